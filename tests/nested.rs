//! Derivatives of derivatives through calls: differentiated code that calls
//! `g_grad` or `g_jvp`, in all four pairs of modes (forward or reverse
//! outside, forward or reverse inside), with the derivatives of the
//! derivatives from `#[jvp(nested)]` and `#[grad(nested)]`.
//!
//! Checked against closed forms, against central differences, forward
//! against reverse (the dot-product test), and the generated `g_grad_jvp`,
//! `g_grad_vjp` and `g_jvp_jvp` on their own; over scalars, slices with
//! `wrt(..)`, a taped loop with a branch and an early exit, for `f64` and
//! `f32`.

// Each function is called through some of its derivatives only.
#![allow(dead_code)]

use approx::assert_relative_eq;

macro_rules! suite {
    ($F:ident, $rel:expr, $fd_step:expr, $fd_tol:expr) => {
        use super::*;
        use adiff::{grad, jvp};

        /// `c·x0²·x1 + x1³`.
        #[jvp(nested)]
        #[grad(wrt(x0, x1), nested)]
        pub fn g(x0: $F, x1: $F, c: $F) -> $F {
            c * x0 * x0 * x1 + x1 * x1 * x1
        }

        /// The closed-form gradient in `(x0, x1, c)` and Hessian of `g`.
        fn g_exact(x0: $F, x1: $F, c: $F) -> ([$F; 3], [[$F; 3]; 3]) {
            let grad = [2.0 * c * x0 * x1, c * x0 * x0 + 3.0 * x1 * x1, x0 * x0 * x1];
            let h = [
                [2.0 * c * x1, 2.0 * c * x0, 2.0 * x0 * x1],
                [2.0 * c * x0, 6.0 * x1, x0 * x0],
                [2.0 * x0 * x1, x0 * x0, 0.0],
            ];
            (grad, h)
        }

        /// `g + a·b` with `(a, b) = ∇ₓ g` from reverse mode.
        #[jvp]
        #[grad]
        pub fn h_r(x0: $F, x1: $F, c: $F) -> $F {
            let (v, (a, b)) = g_grad(x0, x1, c);
            v + a * b
        }

        /// [`h_r`] with `∇ₓ g` from forward mode.
        #[jvp]
        #[grad]
        pub fn h_f(x0: $F, x1: $F, c: $F) -> $F {
            let (v, a) = g_jvp(x0, 1.0, x1, 0.0, c, 0.0);
            let (_, b) = g_jvp(x0, 0.0, x1, 1.0, c, 0.0);
            v + a * b
        }

        /// The closed-form gradient of `h = g + a·b`.
        fn h_exact(x0: $F, x1: $F, c: $F) -> [$F; 3] {
            let (gr, h) = g_exact(x0, x1, c);
            let (a, b) = (gr[0], gr[1]);
            [0, 1, 2].map(|k| gr[k] + b * h[0][k] + a * h[1][k])
        }

        const POINTS: [($F, $F, $F); 3] = [(0.5, -1.25, 2.0), (1.5, 0.75, -0.5), (-0.8, 0.3, 1.1)];

        #[test]
        fn all_four_pairs_are_the_closed_form() {
            for (x0, x1, c) in POINTS {
                let want = h_exact(x0, x1, c);
                let value = h_r(x0, x1, c);
                let (vr, gr) = h_r_grad(x0, x1, c);
                let (vf, gf) = h_f_grad(x0, x1, c);
                let rr = [gr.0, gr.1, gr.2];
                let rf = [gf.0, gf.1, gf.2];
                assert_relative_eq!(vr, value, max_relative = $rel);
                assert_relative_eq!(vf, value, max_relative = $rel);
                for k in 0..3 {
                    let mut dir = [0.0; 3];
                    dir[k] = 1.0;
                    let (_, fr) = h_r_jvp(x0, dir[0], x1, dir[1], c, dir[2]);
                    let (_, ff) = h_f_jvp(x0, dir[0], x1, dir[1], c, dir[2]);
                    for got in [rr[k], rf[k], fr, ff] {
                        assert_relative_eq!(got, want[k], max_relative = $rel);
                    }
                }
            }
        }

        #[test]
        fn pairs_agree_with_central_differences() {
            let eps: $F = $fd_step;
            for (x0, x1, c) in POINTS {
                let (_, gr) = h_r_grad(x0, x1, c);
                let (_, gf) = h_f_grad(x0, x1, c);
                let fd = [
                    (h_r(x0 + eps, x1, c) - h_r(x0 - eps, x1, c)) / (2.0 * eps),
                    (h_r(x0, x1 + eps, c) - h_r(x0, x1 - eps, c)) / (2.0 * eps),
                    (h_r(x0, x1, c + eps) - h_r(x0, x1, c - eps)) / (2.0 * eps),
                ];
                for (k, got) in [gr.0, gr.1, gr.2].into_iter().enumerate() {
                    assert_relative_eq!(got, fd[k], max_relative = $fd_tol, epsilon = $fd_tol);
                }
                for (k, got) in [gf.0, gf.1, gf.2].into_iter().enumerate() {
                    assert_relative_eq!(got, fd[k], max_relative = $fd_tol, epsilon = $fd_tol);
                }
            }
        }

        #[test]
        fn forward_and_reverse_pass_the_dot_product_test() {
            let u = [0.3, -1.7, 0.9];
            for (x0, x1, c) in POINTS {
                let (_, gr) = h_r_grad(x0, x1, c);
                let (_, gf) = h_f_grad(x0, x1, c);
                let (_, fr) = h_r_jvp(x0, u[0], x1, u[1], c, u[2]);
                let (_, ff) = h_f_jvp(x0, u[0], x1, u[1], c, u[2]);
                let rev_r = gr.0 * u[0] + gr.1 * u[1] + gr.2 * u[2];
                let rev_f = gf.0 * u[0] + gf.1 * u[1] + gf.2 * u[2];
                assert_relative_eq!(fr, rev_r, max_relative = $rel);
                assert_relative_eq!(ff, rev_f, max_relative = $rel);
            }
        }

        #[test]
        fn grad_jvp_is_h_times_the_direction() {
            let u = [0.4, -0.6, 1.3];
            for (x0, x1, c) in POINTS {
                let (gr, h) = g_exact(x0, x1, c);
                let ((v, (a, b)), (v_dot, (a_dot, b_dot))) =
                    g_grad_jvp(x0, u[0], x1, u[1], c, u[2]);
                assert_relative_eq!(v, g(x0, x1, c), max_relative = $rel);
                assert_relative_eq!(a, gr[0], max_relative = $rel);
                assert_relative_eq!(b, gr[1], max_relative = $rel);
                let dot = |row: [$F; 3]| row[0] * u[0] + row[1] * u[1] + row[2] * u[2];
                assert_relative_eq!(v_dot, dot(gr), max_relative = $rel);
                // Rows of H in `wrt` only; the direction covers `c` too.
                assert_relative_eq!(a_dot, dot(h[0]), max_relative = $rel);
                assert_relative_eq!(b_dot, dot(h[1]), max_relative = $rel);
            }
        }

        #[test]
        fn grad_vjp_is_the_transpose_of_grad_jvp() {
            // ⟨w, J·u⟩ = ⟨Jᵀ·w, u⟩ for J the Jacobian of (g, ∇ₓ g).
            let u = [0.4, -0.6, 1.3];
            let w = (0.7, (-0.2, 1.1));
            for (x0, x1, c) in POINTS {
                let (_, (v_dot, (a_dot, b_dot))) = g_grad_jvp(x0, u[0], x1, u[1], c, u[2]);
                let lhs = w.0 * v_dot + w.1 .0 * a_dot + w.1 .1 * b_dot;
                let (mut x0_bar, mut x1_bar, mut c_bar) = (0.0, 0.0, 0.0);
                let (v, (a, b)) = g_grad_vjp(x0, &mut x0_bar, x1, &mut x1_bar, c, &mut c_bar, w);
                let rhs = x0_bar * u[0] + x1_bar * u[1] + c_bar * u[2];
                assert_relative_eq!(lhs, rhs, max_relative = $rel);
                let (gr, h) = g_exact(x0, x1, c);
                assert_relative_eq!(v, g(x0, x1, c), max_relative = $rel);
                assert_relative_eq!(a, gr[0], max_relative = $rel);
                assert_relative_eq!(b, gr[1], max_relative = $rel);
                // Closed form: w.0·∇g + H·(w.1, 0) over all three inputs.
                for (k, bar) in [x0_bar, x1_bar, c_bar].into_iter().enumerate() {
                    let want = w.0 * gr[k] + h[k][0] * w.1 .0 + h[k][1] * w.1 .1;
                    assert_relative_eq!(bar, want, max_relative = $rel);
                }
            }
        }

        #[test]
        fn jvp_jvp_is_the_second_directional_derivative() {
            // g_jvp_jvp(x, u, x, v, ..): the tangent of g_jvp's tangent is
            // uᵀ·H·v, and of its value ∇g·u.
            let (u, v) = ([0.4, -0.6, 1.3], [-1.1, 0.2, 0.5]);
            for (x0, x1, c) in POINTS {
                let (gr, h) = g_exact(x0, x1, c);
                let ((y, y_dot), (y_t, y_dot_t)) =
                    g_jvp_jvp(x0, u[0], v[0], 0.0, x1, u[1], v[1], 0.0, c, u[2], v[2], 0.0);
                let uhv: $F = (0..3)
                    .map(|i| (0..3).map(|j| u[i] * h[i][j] * v[j]).sum::<$F>())
                    .sum();
                let dot = |d: [$F; 3]| gr[0] * d[0] + gr[1] * d[1] + gr[2] * d[2];
                assert_relative_eq!(y, g(x0, x1, c), max_relative = $rel);
                assert_relative_eq!(y_dot, dot(v), max_relative = $rel);
                assert_relative_eq!(y_t, dot(u), max_relative = $rel);
                assert_relative_eq!(y_dot_t, uhv, max_relative = $rel);
            }
        }

        /// A taped loop with a branch and an early exit, over a slice, its
        /// gradient only in `x`.
        #[jvp(nested)]
        #[grad(wrt(x), nested)]
        pub fn energy(x: &[$F], k: $F) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                let t = k * x[i] * x[i];
                if t > 4.0 {
                    return s + t;
                }
                s += if x[i] > 0.0 { t * x[i] } else { t.sin() };
            }
            s
        }

        /// Three gradient steps on `energy` from `x`, then the squared
        /// norm: differentiated through `energy_grad` (whose gradient is a
        /// `Vec`) with respect to the start and to `k`.
        #[jvp]
        #[grad]
        pub fn descend(x: &[$F], k: $F) -> $F {
            let n = x.len();
            let mut y = vec![0.0; n];
            for i in 0..n {
                y[i] = x[i];
            }
            for _ in 0..3 {
                let (_, g) = energy_grad(&y, k);
                for i in 0..n {
                    y[i] -= 0.1 * g[i];
                }
            }
            let mut s = 0.0;
            for i in 0..n {
                s += y[i] * y[i];
            }
            s
        }

        #[test]
        fn through_a_taped_gradient_with_an_early_exit() {
            let eps: $F = $fd_step;
            // The third point leaves the loop early (k·x² > 4).
            for (x, k) in [
                (vec![0.3, -0.5, 0.8, -0.2], 1.3),
                (vec![-0.9, 0.4, 0.1], 0.7),
                (vec![0.5, 1.9, -0.4], 1.5),
            ] {
                let (value, (gx, gk)) = descend_grad(&x, k);
                assert_relative_eq!(value, descend(&x, k), max_relative = $rel);
                for i in 0..x.len() {
                    let (mut up, mut down) = (x.clone(), x.clone());
                    up[i] += eps;
                    down[i] -= eps;
                    let fd = (descend(&up, k) - descend(&down, k)) / (2.0 * eps);
                    assert_relative_eq!(gx[i], fd, max_relative = $fd_tol, epsilon = $fd_tol);
                }
                let fd = (descend(&x, k + eps) - descend(&x, k - eps)) / (2.0 * eps);
                assert_relative_eq!(gk, fd, max_relative = $fd_tol, epsilon = $fd_tol);
                // Forward mode over the same calls: the dot-product test.
                let u: Vec<$F> = (0..x.len()).map(|i| 0.5 - 0.3 * i as $F).collect();
                let (_, fwd) = descend_jvp(&x, &u, k, 0.8);
                let rev: $F = gx.iter().zip(&u).map(|(g, u)| g * u).sum::<$F>() + gk * 0.8;
                assert_relative_eq!(fwd, rev, max_relative = $rel, epsilon = $rel);
            }
        }
    };
}

mod f64_suite {
    suite!(f64, 1e-10, 1e-6, 1e-6);
}

mod f32_suite {
    suite!(f32, 1e-4, 1e-2, 2e-2);
}

/// Attributes whose outputs overlap: each function is made once.
mod overlapping_attributes {
    use adiff::{grad, hessian, hvp, jvp, vjp};
    use approx::assert_relative_eq;

    #[vjp] // `f_vjp`, which `#[grad]` also makes
    #[grad]
    #[hvp] // `f_hvp` and `f_jvp_vjp`, which `#[hessian]` also makes
    #[hessian]
    #[jvp(nested)] // `f_jvp_vjp` again
    #[grad(nested)]
    fn f(x: f64, y: f64) -> f64 {
        x * x * y + y.sin()
    }

    #[test]
    fn every_derivative_exists_once_and_agrees() {
        let (x, y) = (0.7, -0.4);
        let (mut xb, mut yb) = (0.0, 0.0);
        f_vjp(x, &mut xb, y, &mut yb, 1.0);
        let (_, (gx, gy)) = f_grad(x, y);
        assert_relative_eq!(xb, gx, max_relative = 1e-14);
        assert_relative_eq!(yb, gy, max_relative = 1e-14);
        let (_, _, h) = f_hessian(x, y);
        let (_, _, (hx, hy)) = f_hvp(x, 1.0, y, 0.0);
        assert_relative_eq!(h[(0, 0)], hx, max_relative = 1e-14);
        assert_relative_eq!(h[(1, 0)], hy, max_relative = 1e-14);
        assert_relative_eq!(h[(0, 0)], 2.0 * y, max_relative = 1e-14);
        assert_relative_eq!(h[(0, 1)], 2.0 * x, max_relative = 1e-14);
        assert_relative_eq!(h[(1, 1)], -y.sin(), max_relative = 1e-14);
        let (_, (_, (dgx, _))) = f_grad_jvp(x, 1.0, y, 0.0);
        assert_relative_eq!(dgx, 2.0 * y, max_relative = 1e-14);
        let (_, d) = f_jvp(x, 1.0, y, 0.0);
        assert_relative_eq!(d, gx, max_relative = 1e-14);
    }
}

//! `#[hvp]` and `#[hessian]`: `f_hvp` and `f_hessian` against closed-form
//! Hessians and against central differences of `f_grad`, over loops with
//! tapes, branches, early exits, local `&mut` buffers, tuples and
//! `wrt(..)`, for `f64` and `f32`; symmetry of `f_hessian`, the dot-product
//! test `⟨u, H·v⟩ = ⟨H·u, v⟩`, and `f_hvp` agreeing with `f_hessian`.

// Each function is called through some of its derivatives only.
#![allow(dead_code)]

use approx::assert_relative_eq;

macro_rules! suite {
    ($F:ident, $rel:expr, $fd_step:expr, $fd_tol:expr) => {
        use super::*;
        use adiff::{grad, hessian, hvp, jvp, Matrix};

        fn assert_close(a: &Matrix<$F>, b: &Matrix<$F>, tol: $F) {
            assert_eq!((a.rows(), a.cols()), (b.rows(), b.cols()));
            for i in 0..a.rows() {
                for j in 0..a.cols() {
                    assert_relative_eq!(a[(i, j)], b[(i, j)], max_relative = tol, epsilon = tol);
                }
            }
        }

        fn assert_vec(a: &[$F], b: &[$F], tol: $F) {
            assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(b) {
                assert_relative_eq!(*x, *y, max_relative = tol, epsilon = tol);
            }
        }

        fn assert_symmetric(h: &Matrix<$F>) {
            for i in 0..h.rows() {
                for j in 0..i {
                    assert_relative_eq!(h[(i, j)], h[(j, i)], max_relative = $rel, epsilon = $rel);
                }
            }
        }

        /// Central differences of a flat gradient `g`: column `j` is
        /// `(g(x + h e_j) - g(x - h e_j)) / 2h`.
        fn fd_hessian(x: &[$F], g: impl Fn(&[$F]) -> Vec<$F>) -> Matrix<$F> {
            let n = x.len();
            let mut h = Matrix::zeros(n, n);
            for j in 0..n {
                let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
                xp[j] += $fd_step;
                xm[j] -= $fd_step;
                let (gp, gm) = (g(&xp), g(&xm));
                for i in 0..n {
                    h[(i, j)] = (gp[i] - gm[i]) / (2.0 * $fd_step);
                }
            }
            h
        }

        fn mat_vec(h: &Matrix<$F>, v: &[$F]) -> Vec<$F> {
            (0..h.rows())
                .map(|i| h.row(i).iter().zip(v).map(|(a, b)| a * b).sum())
                .collect()
        }

        fn dot(a: &[$F], b: &[$F]) -> $F {
            a.iter().zip(b).map(|(x, y)| x * y).sum()
        }

        fn points(n: usize, seed: u64) -> Vec<$F> {
            let mut rng = common::Lcg::new(seed);
            (0..n).map(|_| rng.uniform(-1.0, 1.0) as $F).collect()
        }

        /// Rosenbrock: a loop over neighbours, closed-form Hessian.
        #[grad]
        #[hessian]
        pub fn rosen(x: &[$F]) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() - 1 {
                let a = x[i + 1] - x[i] * x[i];
                let b = 1.0 - x[i];
                s += 100.0 * a * a + b * b;
            }
            s
        }

        fn rosen_exact_hessian(x: &[$F]) -> Matrix<$F> {
            let n = x.len();
            let mut h = Matrix::zeros(n, n);
            for i in 0..n - 1 {
                h[(i, i)] += 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
                h[(i, i + 1)] += -400.0 * x[i];
                h[(i + 1, i)] += -400.0 * x[i];
                h[(i + 1, i + 1)] += 200.0;
            }
            h
        }

        #[test]
        fn rosenbrock_closed_form() {
            for n in [2, 3, 10] {
                let x = points(n, 7 + n as u64);
                let (value, g, h) = rosen_hessian(&x);
                assert_relative_eq!(value, rosen(&x), max_relative = $rel);
                assert_vec(&g, &rosen_grad(&x).1, $rel);
                assert_close(&h, &rosen_exact_hessian(&x), $rel);
                assert_symmetric(&h);
            }
        }

        #[test]
        fn rosenbrock_hvp_is_h_times_v() {
            let x = points(6, 3);
            let v = points(6, 4);
            let (value, g, hv) = rosen_hvp(&x, &v);
            assert_relative_eq!(value, rosen(&x), max_relative = $rel);
            assert_vec(&g, &rosen_grad(&x).1, $rel);
            assert_vec(&hv, &mat_vec(&rosen_exact_hessian(&x), &v), $rel);
        }

        /// A value overwritten in a loop (recorded on a tape), a branch and
        /// a second parameter.
        #[grad]
        #[hessian]
        pub fn taped(x: &[$F], c: $F) -> $F {
            let mut y = c;
            for i in 0..x.len() {
                y = (y * x[i]).sin() + x[i] * y;
                if y > 0.5 {
                    y = y * y * 0.5 + x[i].exp() * 0.1;
                }
            }
            y * y + c * x[0]
        }

        /// The flat gradient of `taped` over `(x, c)`.
        fn taped_flat_grad(z: &[$F]) -> Vec<$F> {
            let n = z.len() - 1;
            let (_, (gx, gc)) = taped_grad(&z[..n], z[n]);
            let mut g = gx;
            g.push(gc);
            g
        }

        #[test]
        fn taped_loop_against_differences_of_the_gradient() {
            let z = points(5, 11);
            let (x, c) = (&z[..4], z[4]);
            let (value, (gx, gc), h) = taped_hessian(x, c);
            assert_relative_eq!(value, taped(x, c), max_relative = $rel);
            let (_, (ex, ec)) = taped_grad(x, c);
            assert_vec(&gx, &ex, $rel);
            assert_relative_eq!(gc, ec, max_relative = $rel, epsilon = $rel);
            assert_close(&h, &fd_hessian(&z, taped_flat_grad), $fd_tol);
            assert_symmetric(&h);
        }

        #[test]
        fn dot_product_test() {
            let z = points(5, 21);
            let (x, c) = (&z[..4], z[4]);
            let (u, v) = (points(5, 22), points(5, 23));
            let (_, _, (hux, huc)) = taped_hvp(x, &u[..4], c, u[4]);
            let (_, _, (hvx, hvc)) = taped_hvp(x, &v[..4], c, v[4]);
            let lhs = dot(&u[..4], &hvx) + u[4] * hvc;
            let rhs = dot(&hux, &v[..4]) + huc * v[4];
            assert_relative_eq!(lhs, rhs, max_relative = $rel, epsilon = $rel);
        }

        #[test]
        fn hvp_agrees_with_hessian_columns() {
            let z = points(5, 31);
            let (x, c) = (&z[..4], z[4]);
            let v = points(5, 32);
            let (_, _, h) = taped_hessian(x, c);
            let (_, _, (hvx, hvc)) = taped_hvp(x, &v[..4], c, v[4]);
            let mut hv = hvx;
            hv.push(hvc);
            assert_vec(&hv, &mat_vec(&h, &v), $rel);
        }

        /// An early exit from the loop, and an early return.
        #[grad]
        #[hessian]
        pub fn early(x: &[$F]) -> $F {
            if x[0] > 2.0 {
                return x[0] * x[0] * x[0];
            }
            let mut s = 0.0;
            for i in 0..x.len() {
                s += x[i] * x[i] * (i as $F + 1.0);
                if s > 1.5 {
                    break;
                }
                s *= x[i].cos();
            }
            s * s
        }

        fn early_flat_grad(x: &[$F]) -> Vec<$F> {
            early_grad(x).1
        }

        #[test]
        fn early_exits_against_differences_of_the_gradient() {
            for seed in 0..6 {
                let x = points(5, 40 + seed);
                let (value, g, h) = early_hessian(&x);
                assert_relative_eq!(value, early(&x), max_relative = $rel);
                assert_vec(&g, &early_grad(&x).1, $rel);
                assert_close(&h, &fd_hessian(&x, early_flat_grad), $fd_tol);
                assert_symmetric(&h);
            }
            let x: Vec<$F> = vec![3.0, 1.0];
            let (_, _, h) = early_hessian(&x);
            assert_relative_eq!(h[(0, 0)], 18.0, max_relative = $rel);
            assert_relative_eq!(h[(1, 1)], 0.0);
        }

        /// A local buffer written in place, element by element.
        #[grad]
        #[hessian]
        pub fn buffered(x: &[$F]) -> $F {
            let n = x.len();
            let mut buf = vec![0.0; n];
            for i in 0..n {
                buf[i] = x[i] * x[i];
            }
            for i in 1..n {
                buf[i] += buf[i - 1] * x[i];
            }
            let mut s = 0.0;
            for i in 0..n {
                s += buf[i].sin();
            }
            s
        }

        fn buffered_flat_grad(x: &[$F]) -> Vec<$F> {
            buffered_grad(x).1
        }

        #[test]
        fn local_buffers_against_differences_of_the_gradient() {
            let x = points(5, 51);
            let (value, g, h) = buffered_hessian(&x);
            assert_relative_eq!(value, buffered(&x), max_relative = $rel);
            assert_vec(&g, &buffered_grad(&x).1, $rel);
            assert_close(&h, &fd_hessian(&x, buffered_flat_grad), $fd_tol);
            assert_symmetric(&h);
        }

        /// `wrt(x)`: `c` gets no direction, no gradient and no column.
        #[hvp(wrt(x))]
        pub fn scaled(x: &[$F], c: $F) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                s += c * x[i] * x[i] * x[i];
            }
            s
        }

        #[hessian(wrt(x))]
        pub fn scaled_h(x: &[$F], c: $F) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                s += c * x[i] * x[i] * x[i];
            }
            s
        }

        #[test]
        fn wrt_restricts_the_gradient_and_the_product() {
            let x = points(3, 61);
            let v = points(3, 62);
            let c: $F = 1.5;
            let (value, g, hv): ($F, Vec<$F>, Vec<$F>) = scaled_hvp(&x, &v, c);
            assert_relative_eq!(value, scaled(&x, c), max_relative = $rel);
            let eg: Vec<$F> = x.iter().map(|xi| 3.0 * c * xi * xi).collect();
            let ehv: Vec<$F> = x.iter().zip(&v).map(|(xi, vi)| 6.0 * c * xi * vi).collect();
            assert_vec(&g, &eg, $rel);
            assert_vec(&hv, &ehv, $rel);
            let (_, g2, h) = scaled_h_hessian(&x, c);
            assert_vec(&g2, &eg, $rel);
            assert_eq!((h.rows(), h.cols()), (3, 3));
            for i in 0..3 {
                for j in 0..3 {
                    let e = if i == j { 6.0 * c * x[i] } else { 0.0 };
                    assert_relative_eq!(h[(i, j)], e, max_relative = $rel, epsilon = $rel);
                }
            }
        }

        /// A `&mut` scratch buffer left out of `wrt(..)`: a constant, filled
        /// with values that carry no derivative.
        #[hvp(wrt(x))]
        pub fn weighted(x: &[$F], w: &mut [$F]) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                w[i] = (i + 1) as $F;
                s += w[i] * x[i] * x[i] * x[i];
            }
            s
        }

        #[hessian(wrt(x))]
        pub fn weighted_h(x: &[$F], w: &mut [$F]) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                w[i] = (i + 1) as $F;
                s += w[i] * x[i] * x[i] * x[i];
            }
            s
        }

        #[test]
        fn scratch_buffer_outside_wrt_is_a_constant() {
            let x = points(3, 71);
            let v = points(3, 72);
            let mut w = vec![0.0; 3];
            let (value, g, hv): ($F, Vec<$F>, Vec<$F>) = weighted_hvp(&x, &v, &mut w);
            assert_relative_eq!(value, weighted(&x, &mut [0.0; 3]), max_relative = $rel);
            assert_eq!(w, vec![1.0, 2.0, 3.0]);
            let k = |i: usize| (i + 1) as $F;
            let eg: Vec<$F> = (0..3).map(|i| 3.0 * k(i) * x[i] * x[i]).collect();
            let ehv: Vec<$F> = (0..3).map(|i| 6.0 * k(i) * x[i] * v[i]).collect();
            assert_vec(&g, &eg, $rel);
            assert_vec(&hv, &ehv, $rel);
            let (_, g2, h) = weighted_h_hessian(&x, &mut w);
            assert_vec(&g2, &eg, $rel);
            let flat_grad = |y: &[$F]| {
                let (_, g, _) = weighted_hvp(y, &[0.0; 3], &mut [0.0; 3]);
                g
            };
            assert_close(&h, &fd_hessian(&x, flat_grad), $fd_tol);
        }

        /// Helpers called from an `#[hvp]` function: their `_jvp` (from
        /// `#[jvp]`) runs in the caller's forward sweep, their `_jvp_vjp`
        /// (from `#[hvp]`) in its reverse sweep. `#[grad]` gives the
        /// callers' `f_grad` their `_vjp`.
        #[jvp]
        #[grad]
        #[hvp]
        pub fn cube(x: $F) -> $F {
            x * x * x
        }

        #[jvp]
        #[grad]
        #[hvp]
        pub fn weighted_dot(a: &[$F], w: &[$F]) -> $F {
            let mut s = 0.0;
            for i in 0..a.len() {
                s += w[i] * a[i] * a[i];
            }
            s
        }

        const WEIGHTS: [$F; 3] = [0.5, -1.25, 2.0];

        /// Calls in a loop (taped), a call with a constant slice argument
        /// (its tangent and adjoint are zeros), and a call of a call's
        /// result.
        #[grad]
        #[hessian]
        pub fn with_calls(x: &[$F], c: $F) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                s += cube(x[i] * c);
            }
            let w: [$F; 3] = WEIGHTS;
            s + weighted_dot(x, &w) * cube(cube(c))
        }

        fn with_calls_flat_grad(y: &[$F]) -> Vec<$F> {
            let (_, (mut g, gc)) = with_calls_grad(&y[..3], y[3]);
            g.push(gc);
            g
        }

        #[test]
        fn calls_to_functions_with_hvp() {
            let x = points(3, 81);
            let c: $F = 0.75;
            let (value, (gx, gc), h) = with_calls_hessian(&x, c);
            assert_relative_eq!(value, with_calls(&x, c), max_relative = $rel);
            let (_, (ex, ec)) = with_calls_grad(&x, c);
            assert_vec(&gx, &ex, $rel);
            assert_relative_eq!(gc, ec, max_relative = $rel);
            let mut y = x.clone();
            y.push(c);
            assert_close(&h, &fd_hessian(&y, with_calls_flat_grad), $fd_tol);
            assert_symmetric(&h);
            // Closed form of one entry: ∂²/∂x0² = 6 c³ x0 + 2 w0 c⁹.
            let e00 = 6.0 * c * c * c * x[0] + 2.0 * WEIGHTS[0] * c.powi(9);
            assert_relative_eq!(h[(0, 0)], e00, max_relative = $rel, epsilon = $rel);
            // f_hvp along v is H·v.
            let v = points(3, 82);
            let vc: $F = -0.5;
            let (_, _, (hx, hc)) = with_calls_hvp(&x, &v, c, vc);
            let mut dir = v.clone();
            dir.push(vc);
            let mut hv = hx.clone();
            hv.push(hc);
            assert_vec(&hv, &mat_vec(&h, &dir), $fd_tol);
        }

        #[jvp]
        #[grad]
        #[hvp]
        pub fn dot_pair(a: &[$F], b: &[$F]) -> $F {
            let mut s = 0.0;
            for i in 0..a.len() {
                s += a[i] * b[i];
            }
            s
        }

        /// A sub-slice chosen at run time, passed to a call: the call's
        /// VJP dispatches on the choice of the slice and of its tangent.
        #[grad]
        #[hessian]
        pub fn chosen(x: &[$F], c: bool) -> $F {
            let r = if c { &x[1..] } else { &x[..2] };
            dot_pair(r, r) * r[0] + x[0] * x[0] * r[1]
        }

        #[test]
        fn call_with_a_chosen_sub_slice() {
            let x = points(3, 91);
            for c in [true, false] {
                let (value, g, h) = chosen_hessian(&x, c);
                assert_relative_eq!(value, chosen(&x, c), max_relative = $rel);
                assert_vec(&g, &chosen_grad(&x, c).1, $rel);
                let flat_grad = |y: &[$F]| chosen_grad(y, c).1;
                assert_close(&h, &fd_hessian(&x, flat_grad), $fd_tol);
                assert_symmetric(&h);
            }
        }

        /// A tuple parameter (for `#[hvp]`) beside an array.
        #[hvp]
        pub fn tupled(p: ($F, $F), a: [$F; 2]) -> $F {
            p.0 * p.1 * a[0] + a[1] * a[1] * p.0
        }

        #[test]
        fn tuples_and_arrays() {
            let (p, a) = ((0.5, -1.5), [2.0, 3.0]);
            let (value, (gp, ga), (hp, ha)) = tupled_hvp(p, (1.0, 0.0), a, [0.0, 0.0]);
            assert_relative_eq!(value, tupled(p, a), max_relative = $rel);
            // ∂/∂p0 = p1 a0 + a1², ∂/∂p1 = p0 a0, ∂/∂a0 = p0 p1, ∂/∂a1 = 2 a1 p0.
            assert_relative_eq!(gp.0, p.1 * a[0] + a[1] * a[1], max_relative = $rel);
            assert_relative_eq!(gp.1, p.0 * a[0], max_relative = $rel);
            assert_vec(&ga, &[p.0 * p.1, 2.0 * a[1] * p.0], $rel);
            // H e_{p0}: (0, a0, p1, 2 a1).
            assert_relative_eq!(hp.0, 0.0);
            assert_relative_eq!(hp.1, a[0], max_relative = $rel);
            assert_vec(&ha, &[p.1, 2.0 * a[1]], $rel);
        }
    };
}

mod common;

mod f64 {
    suite!(f64, 1e-12, 1e-5, 1e-6);
}

mod f32 {
    suite!(f32, 1e-4, 1e-2, 5e-2);
}

//! Closures and iterator chains, written the way Rust users write them:
//! `map(..).sum()`, `zip(..).map(..)`, `fold`, `for_each`, `fold(.., f64::max)`,
//! `for y in x.iter().map(..)`, and local closures bound with `let` that
//! capture the function's values. Each function is checked against its
//! closed-form gradient, a central finite difference, and the dot-product
//! test between `_jvp` and `_vjp` (`⟨g, u⟩` from the gradient against the
//! tangent along `u`).

use approx::assert_relative_eq;

macro_rules! closure_suite {
    ($m:ident, $R:ident, $rel:expr, $h:expr, $fd:expr) => {
        // `#[grad]` also makes `f_vjp`, which these tests reach through `f_grad`.
        #[allow(dead_code)]
        mod $m {
            use super::*;
            use adiff::{grad, jvp, vjp};

            const U: [$R; 4] = [0.3, -0.7, 0.45, 0.9];

            /// Checks the gradient `g` of `f` at `x` against `exact`, the
            /// tangent `dy` along `U` against `⟨g, U⟩` and a finite difference.
            fn check(f: impl Fn(&[$R]) -> $R, x: &[$R], g: &[$R], dy: $R, exact: &[$R]) {
                let n = x.len();
                for i in 0..n {
                    assert_relative_eq!(g[i], exact[i], max_relative = $rel, epsilon = $rel);
                }
                let gu: $R = (0..n).map(|i| g[i] * U[i]).sum();
                assert_relative_eq!(dy, gu, max_relative = $rel, epsilon = $rel);
                let xp: Vec<$R> = (0..n).map(|i| x[i] + $h * U[i]).collect();
                let xm: Vec<$R> = (0..n).map(|i| x[i] - $h * U[i]).collect();
                let fd = (f(&xp) - f(&xm)) / (2.0 * $h);
                assert_relative_eq!(dy, fd, max_relative = $fd, epsilon = $fd);
            }

            #[jvp]
            #[grad]
            pub fn sum_of_squares(x: &[$R]) -> $R {
                x.iter().map(|v| v * v).sum::<$R>()
            }

            #[test]
            fn map_sum() {
                let x = [0.5, -1.5, 2.0, 0.25];
                let (y, g) = sum_of_squares_grad(&x);
                assert_eq!(y, sum_of_squares(&x));
                let (_, dy) = sum_of_squares_jvp(&x, &U);
                let exact: Vec<$R> = x.iter().map(|v| 2.0 * v).collect();
                check(|x| sum_of_squares(x), &x, &g, dy, &exact);
            }

            #[jvp]
            #[vjp]
            pub fn dot(a: &[$R], b: &[$R]) -> $R {
                a.iter().zip(b).map(|(p, q)| p * q).sum()
            }

            #[test]
            fn zip_map_sum() {
                let a = [0.5, -1.5, 2.0, 0.25];
                let b = [1.5, 0.5, -0.75, 3.0];
                let (mut ga, mut gb) = ([0.0; 4], [0.0; 4]);
                let y = dot_vjp(&a, &mut ga, &b, &mut gb, 1.0);
                assert_eq!(y, dot(&a, &b));
                // d/da along U with b fixed, then d/db along U with a fixed.
                let (_, da) = dot_jvp(&a, &U, &b, &[0.0; 4]);
                check(|x| dot(x, &b), &a, &ga, da, &b);
                let (_, db) = dot_jvp(&a, &[0.0; 4], &b, &U);
                check(|x| dot(&a, x), &b, &gb, db, &a);
            }

            /// Horner's rule: `c[0] + x (c[1] + x (c[2] + ...))`.
            #[jvp]
            #[vjp]
            pub fn horner(x: $R, c: &[$R]) -> $R {
                c.iter().rev().fold(0.0, |acc, &ci| acc * x + ci)
            }

            #[test]
            fn fold_with_a_closure() {
                let c = [0.5, -1.0, 2.0, 0.75];
                for x in [0.5 as $R, -1.25, 1.5] {
                    let (y, dy) = horner_jvp(x, 1.0, &c, &[0.0; 4]);
                    assert_eq!(y, horner(x, &c));
                    let exact: $R = (1..4)
                        .map(|k| (k as $R) * c[k] * x.powi(k as i32 - 1))
                        .sum();
                    assert_relative_eq!(dy, exact, max_relative = $rel);
                    let (mut xb, mut cb) = (0.0, [0.0; 4]);
                    horner_vjp(x, &mut xb, &c, &mut cb, 1.0);
                    assert_relative_eq!(xb, dy, max_relative = $rel);
                    let powers: Vec<$R> = (0..4).map(|k| x.powi(k)).collect();
                    let (_, dc) = horner_jvp(x, 0.0, &c, &U);
                    check(|c| horner(x, c), &c, &cb, dc, &powers);
                }
            }

            /// `for_each` writing a captured accumulator, over `enumerate`.
            #[jvp]
            #[grad]
            pub fn weighted(x: &[$R]) -> $R {
                let mut s: $R = 0.0;
                x.iter()
                    .enumerate()
                    .for_each(|(i, &v)| s += v * v * (i as $R + 1.0));
                s
            }

            #[test]
            fn for_each_with_a_captured_accumulator() {
                let x = [0.5, -1.5, 2.0, 0.25];
                let (y, g) = weighted_grad(&x);
                assert_eq!(y, weighted(&x));
                let (_, dy) = weighted_jvp(&x, &U);
                let exact: Vec<$R> = (0..4).map(|i| 2.0 * x[i] * (i as $R + 1.0)).collect();
                check(|x| weighted(x), &x, &g, dy, &exact);
            }

            /// The maximum: `fold` with a function path.
            #[jvp]
            #[grad]
            pub fn largest(x: &[$R]) -> $R {
                x.iter().cloned().fold($R::NEG_INFINITY, $R::max) * 2.0
            }

            #[test]
            fn fold_with_a_function_path() {
                let x = [0.5, -1.5, 2.0, 0.25];
                let (y, g) = largest_grad(&x);
                assert_eq!(y, 4.0);
                let (_, dy) = largest_jvp(&x, &U);
                check(|x| largest(x), &x, &g, dy, &[0.0, 0.0, 2.0, 0.0]);
            }

            /// A local closure capturing a parameter, called twice.
            #[jvp]
            #[grad]
            pub fn smooth(x: $R, a: $R) -> $R {
                let w = |t: $R| 1.0 + (t - 1.0) / 4.0 * a;
                w(x) * w(x * x)
            }

            #[test]
            fn local_closure_with_a_capture() {
                for (x, a) in [(0.5 as $R, 1.5 as $R), (-1.25, 0.5), (2.0, -0.75)] {
                    let w = |t: $R| 1.0 + (t - 1.0) / 4.0 * a;
                    let dx = a / 4.0 * w(x * x) + w(x) * a / 4.0 * 2.0 * x;
                    let da = (x - 1.0) / 4.0 * w(x * x) + w(x) * (x * x - 1.0) / 4.0;
                    let (y, (gx, ga)) = smooth_grad(x, a);
                    assert_eq!(y, smooth(x, a));
                    let (_, dy) = smooth_jvp(x, U[0], a, U[1]);
                    check(|p| smooth(p[0], p[1]), &[x, a], &[gx, ga], dy, &[dx, da]);
                }
            }

            /// `map` over a range, maps in sequence with a local closure, and
            /// `skip`/`take`/`step_by` before the `map`.
            #[jvp]
            #[vjp]
            pub fn chained(x: &[$R], n: usize) -> $R {
                let sq = |u: $R| u * u;
                let a = (0..n).map(|i| x[i] * (i as $R)).sum::<$R>();
                let b: $R = x.iter().map(|v| v * 2.0).map(sq).sum();
                let c: $R = x.iter().skip(1).take(2).map(|v| v.sin()).sum();
                let d: $R = x.iter().step_by(2).map(|&v| v * v * v).sum();
                a + b + c + d
            }

            #[test]
            fn chains_of_adapters() {
                let x = [0.5, -1.5, 2.0, 0.25];
                let mut g = [0.0; 4];
                let y = chained_vjp(&x, &mut g, 3, 1.0);
                assert_eq!(y, chained(&x, 3));
                let (_, dy) = chained_jvp(&x, &U, 3);
                let exact: Vec<$R> = (0..4)
                    .map(|i| {
                        let a = if i < 3 { i as $R } else { 0.0 };
                        let c = if i == 1 || i == 2 { x[i].cos() } else { 0.0 };
                        let d = if i % 2 == 0 { 3.0 * x[i] * x[i] } else { 0.0 };
                        a + 8.0 * x[i] + c + d
                    })
                    .collect();
                check(|x| chained(x, 3), &x, &g, dy, &exact);
            }

            /// `collect` into a `Vec`, after `map` and after `step_by`.
            #[jvp]
            #[vjp]
            pub fn collected(x: &[$R]) -> $R {
                let d: Vec<$R> = x.iter().map(|v| 2.0 * v * v).collect();
                let e = x.iter().step_by(2).map(|&v| v.sin()).collect::<Vec<$R>>();
                d[0] * d[1] + e[e.len() - 1] * (e.len() as $R)
            }

            #[test]
            fn collect_into_a_vec() {
                let x = [0.5, -1.5, 2.0, 0.25];
                let mut g = [0.0; 4];
                let y = collected_vjp(&x, &mut g, 1.0);
                assert_eq!(y, collected(&x));
                let (_, dy) = collected_jvp(&x, &U);
                // 4 x0² x1² + 2 sin x2.
                let exact = [
                    8.0 * x[0] * x[1] * x[1],
                    8.0 * x[0] * x[0] * x[1],
                    2.0 * x[2].cos(),
                    0.0,
                ];
                check(|x| collected(x), &x, &g, dy, &exact);
            }

            /// `for y in x.iter().map(..)`.
            #[jvp]
            #[grad]
            pub fn mapped_loop(x: &[$R]) -> $R {
                let mut s = 0.0;
                for y in x.iter().map(|v| (v * 0.5).exp()) {
                    s += y * y;
                }
                s
            }

            #[test]
            fn for_over_a_map() {
                let x = [0.5, -1.5, 2.0, 0.25];
                let (y, g) = mapped_loop_grad(&x);
                assert_eq!(y, mapped_loop(&x));
                let (_, dy) = mapped_loop_jvp(&x, &U);
                let exact: Vec<$R> = x.iter().map(|v| v.exp()).collect();
                check(|x| mapped_loop(x), &x, &g, dy, &exact);
            }
        }
    };
}

closure_suite!(double, f64, 1e-12, 1e-6, 1e-8);
closure_suite!(single, f32, 2e-4, 1e-2, 2e-2);

/// Array destructuring: `let [a, b] = *x;`, `let [a, b, c] = x;`, nested.
mod destructuring {
    use super::*;
    use adiff::{grad, jvp, vjp};

    #[jvp]
    #[grad]
    fn rosen(x: &[f64; 2]) -> f64 {
        let [x1, x2] = *x;
        (1.0 - x1) * (1.0 - x1) + 100.0 * (x2 - x1 * x1) * (x2 - x1 * x1)
    }

    #[jvp]
    #[vjp]
    fn nested(m: [[f32; 2]; 2], v: [f32; 3]) -> f32 {
        let [[a, b], [c, d]] = m;
        let [p, _, q] = v;
        (a * d - b * c) * p + q.sin()
    }

    #[test]
    fn array_patterns() {
        for x in [[0.5, -1.0], [1.2, 0.7]] {
            let (y, g) = rosen_grad(&x);
            assert_eq!(y, rosen(&x));
            let exact = [
                -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]),
                200.0 * (x[1] - x[0] * x[0]),
            ];
            assert_relative_eq!(g[0], exact[0], max_relative = 1e-12);
            assert_relative_eq!(g[1], exact[1], max_relative = 1e-12);
            let u = [0.3, -0.8];
            let (_, dy) = rosen_jvp(&x, &u);
            assert_relative_eq!(dy, g[0] * u[0] + g[1] * u[1], max_relative = 1e-12);
            let h = 1e-6;
            let fd = (rosen(&[x[0] + h * u[0], x[1] + h * u[1]])
                - rosen(&[x[0] - h * u[0], x[1] - h * u[1]]))
                / (2.0 * h);
            assert_relative_eq!(dy, fd, max_relative = 1e-7);
        }
        let m = [[1.0_f32, 2.0], [0.5, -1.5]];
        let v = [2.0_f32, 9.0, 0.25];
        let (mut mb, mut vb) = ([[0.0; 2]; 2], [0.0; 3]);
        let y = nested_vjp(m, &mut mb, v, &mut vb, 1.0);
        assert_eq!(y, nested(m, v));
        let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
        let exact_m = [
            [m[1][1] * v[0], -m[1][0] * v[0]],
            [-m[0][1] * v[0], m[0][0] * v[0]],
        ];
        let exact_v = [det, 0.0, v[2].cos()];
        for i in 0..2 {
            for j in 0..2 {
                assert_relative_eq!(mb[i][j], exact_m[i][j], max_relative = 1e-6);
            }
        }
        for k in 0..3 {
            assert_relative_eq!(vb[k], exact_v[k], max_relative = 1e-6, epsilon = 1e-7);
        }
        // The dot-product test along one direction.
        let (mu, vu) = ([[0.2_f32, -0.4], [0.6, 0.1]], [-0.3_f32, 0.5, 0.7]);
        let (_, dy) = nested_jvp(m, mu, v, vu);
        let rhs: f32 = (0..2)
            .flat_map(|i| (0..2).map(move |j| (i, j)))
            .map(|(i, j)| mb[i][j] * mu[i][j])
            .sum::<f32>()
            + (0..3).map(|k| vb[k] * vu[k]).sum::<f32>();
        assert_relative_eq!(dy, rhs, max_relative = 1e-5);
    }
}

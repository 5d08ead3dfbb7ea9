//! Reverse mode for functions whose result is a local `Vec`, a tuple
//! holding one, or a `Vec` returned early from a loop or made by a callee.
//! `out_bar` has the output's type (`Vec<S>`, `(S, Vec<S>)`), by value.
//! Each is checked with the dot-product test against `_jvp` and against a
//! closed-form Jacobian.

use approx::assert_relative_eq;

macro_rules! vec_suite {
    ($m:ident, $R:ident, $rel:expr) => {
        mod $m {
            use super::*;
            use adiff::{jvp, vjp};

            fn dot(a: &[$R], b: &[$R]) -> $R {
                a.iter().zip(b).map(|(x, y)| x * y).sum()
            }

            /// Built in a loop: out[i] = x0 * i + sin(x1).
            #[jvp]
            #[vjp]
            pub fn tall(x: &[$R]) -> Vec<$R> {
                let mut out = vec![0.0; 5];
                for i in 0..5 {
                    out[i] = x[0] * (i as $R) + x[1].sin();
                }
                out
            }

            #[test]
            fn result_built_in_a_loop() {
                let x = [0.7, -1.2];
                let w: Vec<$R> = vec![0.5, -1.0, 0.25, 2.0, -0.75];
                let mut xb = [0.0; 2];
                let y = tall_vjp(&x, &mut xb, w.clone());
                assert_eq!(y, tall(&x));
                // Jᵀw in closed form.
                let exact = [
                    (0..5).map(|i| w[i] * i as $R).sum::<$R>(),
                    w.iter().sum::<$R>() * x[1].cos(),
                ];
                assert_relative_eq!(xb[0], exact[0], max_relative = $rel);
                assert_relative_eq!(xb[1], exact[1], max_relative = $rel);
                let u = [0.3, 0.9];
                let (_, ju) = tall_jvp(&x, &u);
                assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
            }

            /// A tuple holding a scalar and a `Vec`.
            #[jvp]
            #[vjp]
            pub fn pair(x: $R, n: usize) -> ($R, Vec<$R>) {
                let mut v = vec![0.0; n];
                let mut s = 0.0;
                for i in 0..n {
                    v[i] = (x * (i as $R + 1.0)).sin();
                    s += v[i];
                }
                (s * x, v)
            }

            #[test]
            fn tuple_with_a_vec() {
                let (x, n) = (0.6, 4);
                let w0: $R = 0.75;
                let w: Vec<$R> = vec![1.0, -0.5, 0.25, 2.0];
                let mut xb = 0.0;
                let y = pair_vjp(x, &mut xb, n, (w0, w.clone()));
                assert_eq!(y, pair(x, n));
                let (_, (d0, dv)) = pair_jvp(x, 1.0, n);
                assert_relative_eq!(xb, w0 * d0 + dot(&w, &dv), max_relative = $rel);
                // Closed form of dv.
                for i in 0..n {
                    let k = i as $R + 1.0;
                    assert_relative_eq!(dv[i], k * (x * k).cos(), max_relative = $rel);
                }
            }

            /// A callee that returns a `Vec`, used by a caller that returns one.
            #[jvp]
            #[vjp]
            pub fn squares(x: &[$R]) -> Vec<$R> {
                let mut out = vec![0.0; x.len()];
                for i in 0..x.len() {
                    out[i] = x[i] * x[i];
                }
                out
            }

            #[jvp]
            #[vjp]
            pub fn outer(x: &[$R]) -> Vec<$R> {
                let s = squares(x);
                let mut out = vec![0.0; 2];
                out[0] = s[0] + s[1];
                out[1] = s[1] * x[0];
                out
            }

            #[test]
            fn nested_calls_returning_vecs() {
                let x = [0.8, -1.1];
                let w: Vec<$R> = vec![0.5, 1.5];
                let mut xb = [0.0; 2];
                let y = outer_vjp(&x, &mut xb, w.clone());
                assert_eq!(y, outer(&x));
                // out = [x0² + x1², x1² x0].
                let exact = [
                    w[0] * 2.0 * x[0] + w[1] * x[1] * x[1],
                    w[0] * 2.0 * x[1] + w[1] * 2.0 * x[1] * x[0],
                ];
                assert_relative_eq!(xb[0], exact[0], max_relative = $rel);
                assert_relative_eq!(xb[1], exact[1], max_relative = $rel);
                let u = [-0.2, 0.7];
                let (_, ju) = outer_jvp(&x, &u);
                assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
            }
        }
    };
}

vec_suite!(double, f64, 1e-12);
vec_suite!(single, f32, 1e-5);

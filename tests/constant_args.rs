//! Method results of constants as call arguments (issue 21): with `m` a
//! constant of the user's type, `g(x, m.bones())` passes the result through
//! as a constant in `#[jvp]`, `#[vjp]` and `#[grad]`, whether the type is
//! constant by `impl adiff::Constant` or by `constant(m)` in the attribute,
//! in a call at the top level, in a loop, and to a callee returning a
//! `Vec`. Each is checked against a closed form and with the dot-product
//! test between `_jvp` and `_vjp`, for `f64` and `f32`.

use approx::assert_relative_eq;

/// A model configuration of the user's: constant by the trait.
pub struct Model {
    bones: usize,
}

impl Model {
    pub fn bones(&self) -> usize {
        self.bones
    }
}

impl adiff::Constant for Model {}

/// A type without the trait: declared constant in the attribute.
pub struct Rig {
    joints: usize,
}

impl Rig {
    pub fn joints(&self) -> usize {
        self.joints
    }
}

macro_rules! constant_suite {
    ($m:ident, $R:ident, $rel:expr) => {
        mod $m {
            use super::*;
            use adiff::{grad, jvp, vjp};

            fn dot(a: &[$R], b: &[$R]) -> $R {
                a.iter().zip(b).map(|(x, y)| x * y).sum()
            }

            /// Σ_{i < nb} (i + 1) x[i % len]².
            #[jvp]
            #[vjp]
            pub fn weigh(x: &[$R], nb: usize) -> $R {
                let mut s = 0.0;
                for i in 0..nb {
                    let xi = x[i % x.len()];
                    s += xi * xi * (i as $R + 1.0);
                }
                s
            }

            /// `weigh`'s gradient in closed form.
            fn weigh_grad(x: &[$R], nb: usize) -> Vec<$R> {
                let mut g = vec![0.0; x.len()];
                for i in 0..nb {
                    let j = i % x.len();
                    g[j] += 2.0 * x[j] * (i as $R + 1.0);
                }
                g
            }

            /// out[i] = x0 i + sin x1, for i < nb.
            #[jvp]
            #[vjp]
            pub fn spread(x: &[$R], nb: usize) -> Vec<$R> {
                let mut out = vec![0.0; nb];
                for i in 0..nb {
                    out[i] = x[0] * (i as $R) + x[1].sin();
                }
                out
            }

            /// t = W (c² + c x0 + x1), c = x2, W = weigh(x, m.bones()).
            #[jvp]
            #[grad]
            pub fn loss(x: &[$R], m: &Model) -> $R {
                let mut t = weigh(x, m.bones());
                for k in 0..2 {
                    t = t * x[2] + weigh(x, m.bones()) * x[k];
                }
                t
            }

            #[test]
            fn method_result_in_calls_of_grad_and_jvp() {
                let m = Model { bones: 4 };
                let x = [0.6, -0.9, 1.3];
                let (y, g) = loss_grad(&x, &m);
                assert_eq!(y, loss(&x, &m));
                let w = weigh(&x, 4);
                let dw = weigh_grad(&x, 4);
                let c = x[2];
                let f = c * c + c * x[0] + x[1];
                let exact = [
                    dw[0] * f + c * w,
                    dw[1] * f + w,
                    dw[2] * f + (2.0 * c + x[0]) * w,
                ];
                for i in 0..3 {
                    assert_relative_eq!(g[i], exact[i], max_relative = $rel);
                }
                let mut xb = [0.0; 3];
                let y2 = loss_vjp(&x, &mut xb, &m, -0.75);
                assert_eq!(y2, y);
                let u = [0.4, 0.1, -0.8];
                let (y3, ju) = loss_jvp(&x, &u, &m);
                assert_eq!(y3, y);
                assert_relative_eq!(-0.75 * ju, dot(&xb, &u), max_relative = $rel);
            }

            /// out = [x1 sin x1, (x0 (nb - 1) + sin x1) x0], nb = m.bones().
            #[jvp]
            #[vjp]
            pub fn features(x: &[$R], m: &Model) -> Vec<$R> {
                let s = spread(x, m.bones());
                let mut out = vec![0.0; 2];
                out[0] = s[0] * x[1];
                out[1] = s[m.bones() - 1] * x[0];
                out
            }

            #[test]
            fn method_result_in_a_call_returning_a_vec() {
                let m = Model { bones: 3 };
                let x = [0.8, 0.5];
                let w: Vec<$R> = vec![1.25, -0.5];
                let mut xb = [0.0; 2];
                let y = features_vjp(&x, &mut xb, &m, w.clone());
                assert_eq!(y, features(&x, &m));
                let nb1 = 2.0;
                let (s, c) = (x[1].sin(), x[1].cos());
                let exact = [
                    w[1] * (2.0 * x[0] * nb1 + s),
                    w[0] * (s + x[1] * c) + w[1] * c * x[0],
                ];
                assert_relative_eq!(xb[0], exact[0], max_relative = $rel);
                assert_relative_eq!(xb[1], exact[1], max_relative = $rel);
                let u = [-0.3, 0.6];
                let (_, ju) = features_jvp(&x, &u, &m);
                assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
            }

            /// A type without `Constant`, declared constant in the attribute.
            #[jvp(constant(r))]
            #[grad(constant(r))]
            pub fn rigged(x: &[$R], r: &Rig) -> $R {
                weigh(x, r.joints()) * x[0]
            }

            #[test]
            fn method_result_of_a_declared_constant() {
                let r = Rig { joints: 5 };
                let x = [0.7, -1.1];
                let (y, g) = rigged_grad(&x, &r);
                assert_eq!(y, rigged(&x, &r));
                let (w, dw) = (weigh(&x, 5), weigh_grad(&x, 5));
                let exact = [dw[0] * x[0] + w, dw[1] * x[0]];
                assert_relative_eq!(g[0], exact[0], max_relative = $rel);
                assert_relative_eq!(g[1], exact[1], max_relative = $rel);
                let u = [0.9, 0.35];
                let (_, ju) = rigged_jvp(&x, &u, &r);
                let mut xb = [0.0; 2];
                let _ = rigged_vjp(&x, &mut xb, &r, 1.5);
                assert_relative_eq!(1.5 * ju, dot(&xb, &u), max_relative = $rel);
            }
        }
    };
}

constant_suite!(double, f64, 1e-12);
constant_suite!(single, f32, 1e-5);

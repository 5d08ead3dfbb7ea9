//! `.into()` and `From` outside a typed `let`: in the function's value and
//! `return`, as an argument of an elementary function (`y.max(x.into())`,
//! `f64::powf(y, x.into())`), `f64::from` of integer constants inside
//! arithmetic, and `.into()` of an `f64` anywhere (the only `From<f64>` is
//! `f64`), including a call argument. Checked against closed forms, central
//! differences in `f64`, and the dot-product test between `_jvp` and
//! `_vjp`. The `f32` suite converts `f32` sources to `f64`.

#![allow(clippy::useless_conversion)]

use approx::assert_relative_eq;

macro_rules! suite {
    ($m:ident, $F:ident, $rel:expr) => {
        mod $m {
            use super::*;
            use adiff::{jvp, vjp};

            /// Tangent and gradient of `f(x, y)` at `(x, y)` against the
            /// closed form `(gx, gy)`, a central difference of `fd` (the same
            /// function in `f64`), and `⟨J u, 1⟩ = ⟨u, Jᵀ 1⟩`.
            fn check(
                primal: impl Fn($F, f64) -> f64,
                jvp: impl Fn($F, $F, f64, f64) -> (f64, f64),
                vjp: impl Fn($F, &mut $F, f64, &mut f64, f64) -> f64,
                fd: impl Fn(f64, f64) -> f64,
                (x, y): ($F, f64),
                (gx, gy): (f64, f64),
            ) {
                let (mut bx, mut by) = (0.0, 0.0);
                vjp(x, &mut bx, y, &mut by, 1.0);
                assert_relative_eq!(f64::from(bx), gx, max_relative = $rel);
                assert_relative_eq!(by, gy, max_relative = 1e-12, epsilon = 1e-12);
                for u in [(1.0, 0.0), (0.0, 1.0), (0.5, -0.75)] {
                    let (v, t) = jvp(x, u.0 as $F, y, u.1);
                    assert_eq!(v, primal(x, y));
                    let exact = gx * u.0 + gy * u.1;
                    let h = 1e-6;
                    let xf = f64::from(x);
                    let num =
                        (fd(xf + h * u.0, y + h * u.1) - fd(xf - h * u.0, y - h * u.1)) / (2.0 * h);
                    assert_relative_eq!(t, exact, max_relative = $rel);
                    assert_relative_eq!(t, num, max_relative = 1e-5);
                    // The dot product between the modes, with the output seed 1.
                    let dot = f64::from(bx) * u.0 + by * u.1;
                    assert_relative_eq!(t, dot, max_relative = $rel);
                }
            }

            /// `.into()` as the function's value and in `return`.
            #[jvp]
            #[vjp]
            pub fn into_value(x: $F, y: f64) -> f64 {
                if y > 2.0 {
                    return (x * x).into();
                }
                let s = x * x * 3.0;
                (s + x).into()
            }

            #[test]
            fn into_as_value_and_return() {
                let (x, y): ($F, f64) = (0.75, -1.25);
                let xf = f64::from(x);
                check(
                    into_value,
                    into_value_jvp,
                    into_value_vjp,
                    |x, _| 3.0 * x * x + x,
                    (x, y),
                    (6.0 * xf + 1.0, 0.0),
                );
                let y2 = 2.5;
                check(
                    into_value,
                    into_value_jvp,
                    into_value_vjp,
                    |x, _| x * x,
                    (x, y2),
                    (2.0 * xf, 0.0),
                );
            }

            /// `.into()` as an argument of elementary functions, and `From`
            /// of integer constants in arithmetic.
            #[jvp]
            #[vjp]
            pub fn into_args(x: $F, y: f64) -> f64 {
                let a = y.max(x.into());
                let b = f64::powf(y * y, x.into());
                let c = y * f64::from(3u8) + f64::from(7u16 as u32);
                let d = y.powf(2u8.into());
                a * b + c * d
            }

            #[test]
            fn into_as_argument() {
                let (x, y): ($F, f64) = (0.75, -1.25);
                let xf = f64::from(x);
                let f = |x: f64, y: f64| y.max(x) * (y * y).powf(x) + (3.0 * y + 7.0) * y * y;
                let b = (y * y).powf(xf);
                // max(y, x) = x here.
                let gx = b + xf * b * (y * y).ln();
                let gy = xf * xf * (y * y).powf(xf - 1.0) * 2.0 * y
                    + 3.0 * y * y
                    + (3.0 * y + 7.0) * 2.0 * y;
                check(into_args, into_args_jvp, into_args_vjp, f, (x, y), (gx, gy));
            }
        }
    };
}

suite!(from_f64, f64, 1e-9);
suite!(from_f32, f32, 1e-5);

/// `.into()` of an `f64` as a call argument: the conversion is `f64` to
/// itself, so the derivative passes through; of an integer constant, a
/// constant argument.
mod call_argument {
    use super::*;
    use adiff::{grad, jvp, vjp};

    #[jvp]
    #[vjp]
    pub fn square(a: f64) -> f64 {
        a * a
    }

    #[jvp]
    #[grad]
    pub fn through_call(x: f64, y: f64) -> f64 {
        square(x.into()) * y + f64::from(2u8) * y + square(3u8.into()) * x
    }

    #[test]
    fn into_as_call_argument() {
        let (x, y) = (0.75, -1.25);
        let (v, (gx, gy)) = through_call_grad(x, y);
        assert_eq!(v, through_call(x, y));
        assert_relative_eq!(gx, 2.0 * x * y + 9.0, max_relative = 1e-12);
        assert_relative_eq!(gy, x * x + 2.0, max_relative = 1e-12);
        let (_, t) = through_call_jvp(x, 0.5, y, -0.75);
        assert_relative_eq!(t, 0.5 * gx - 0.75 * gy, max_relative = 1e-12);
        let h = 1e-6;
        let num = (through_call(x + 0.5 * h, y - 0.75 * h)
            - through_call(x - 0.5 * h, y + 0.75 * h))
            / (2.0 * h);
        assert_relative_eq!(t, num, max_relative = 1e-6);
    }
}

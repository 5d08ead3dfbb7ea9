//! Loops counted by every integer type, in both modes (issue: `for i in
//! 1..=11u64` with a `continue` did not compile in reverse mode, because
//! `Take<Range<u64>>` cannot be reversed). Each function is checked against
//! a closed form, a central finite difference, and `_vjp` against `_jvp`.

// Reverse mode restores `s` after `s = s * 0.5 + ...` although no rule
// reads it (the restore is a dead store, rustc warns on the user's `let`):
// a known gap of the to-be-recorded analysis, noted in the README.
#![allow(unused_assignments)]

use approx::assert_relative_eq;

macro_rules! integer_loops {
    ($m:ident, $I:ty, $R:ident, $rel:expr, $h:expr) => {
        mod $m {
            use super::*;
            use adiff::{jvp, vjp};

            /// An inclusive range with `continue`.
            #[jvp]
            #[vjp]
            pub fn skip_thirds(x: $R, n: $I) -> $R {
                let mut s: $R = 0.0;
                for i in 1..=n {
                    if i % 3 == 0 {
                        continue;
                    }
                    s = s * 0.5 + (x * (i as $R) * 0.1).sin();
                }
                s
            }

            fn skip_thirds_closed(x: $R, n: $I) -> $R {
                let mut ds: $R = 0.0;
                for i in 1..=n {
                    if i % 3 != 0 {
                        let c = (i as $R) * 0.1;
                        ds = ds * 0.5 + (x * c).cos() * c;
                    }
                }
                ds
            }

            /// `step_by` with a `break` that depends on the value.
            #[jvp]
            #[vjp]
            pub fn stepped(x: $R, lo: $I, hi: $I) -> $R {
                let mut s: $R = 1.0;
                for i in (lo..hi).step_by(2) {
                    if s > 50.0 {
                        break;
                    }
                    s = s * x + (i as $R);
                }
                s
            }

            /// A reversed range with an early exit, and a `while` loop whose
            /// counter has the integer type.
            #[jvp]
            #[vjp]
            pub fn backwards(x: $R, n: $I) -> $R {
                let mut s: $R = x;
                for i in (0..n).rev() {
                    if i == 1 {
                        continue;
                    }
                    s = s * (x * 0.3).cos() + (i as $R) * 0.01;
                }
                let mut k: $I = 0;
                while k < n {
                    s = s * 1.01 + x * 0.1;
                    k += 1;
                }
                s
            }

            fn check(
                f: impl Fn($R) -> $R,
                jvp: impl Fn($R) -> ($R, $R),
                vjp: impl Fn($R) -> $R,
                x: $R,
                exact: Option<$R>,
            ) {
                let (y, dy) = jvp(x);
                assert_eq!(y, f(x));
                let fd = (f(x + $h) - f(x - $h)) / (2.0 * $h);
                assert_relative_eq!(dy, fd, max_relative = 1e3 * $rel, epsilon = 1e3 * $rel);
                if let Some(e) = exact {
                    assert_relative_eq!(dy, e, max_relative = $rel, epsilon = $rel);
                }
                // Scalar in, scalar out: the dot-product test is x_bar = dy.
                assert_relative_eq!(vjp(x), dy, max_relative = $rel, epsilon = $rel);
            }

            #[test]
            fn every_loop_form() {
                for n in [0 as $I, 1, 2, 7, 11] {
                    for x in [0.7 as $R, -1.3, 2.1] {
                        check(
                            |x| skip_thirds(x, n),
                            |x| skip_thirds_jvp(x, 1.0, n),
                            |x| {
                                let mut b = 0.0;
                                skip_thirds_vjp(x, &mut b, n, 1.0);
                                b
                            },
                            x,
                            Some(skip_thirds_closed(x, n)),
                        );
                        check(
                            |x| backwards(x, n),
                            |x| backwards_jvp(x, 1.0, n),
                            |x| {
                                let mut b = 0.0;
                                backwards_vjp(x, &mut b, n, 1.0);
                                b
                            },
                            x,
                            None,
                        );
                    }
                }
                for (lo, hi) in [(0 as $I, 9 as $I), (3, 4), (5, 2)] {
                    for x in [0.5 as $R, 1.5] {
                        check(
                            |x| stepped(x, lo, hi),
                            |x| stepped_jvp(x, 1.0, lo, hi),
                            |x| {
                                let mut b = 0.0;
                                stepped_vjp(x, &mut b, lo, hi, 1.0);
                                b
                            },
                            x,
                            None,
                        );
                    }
                }
            }
        }
    };
}

integer_loops!(u8_f64, u8, f64, 1e-10, 1e-6);
integer_loops!(u16_f64, u16, f64, 1e-10, 1e-6);
integer_loops!(u32_f64, u32, f64, 1e-10, 1e-6);
integer_loops!(u64_f64, u64, f64, 1e-10, 1e-6);
integer_loops!(u128_f64, u128, f64, 1e-10, 1e-6);
integer_loops!(usize_f64, usize, f64, 1e-10, 1e-6);
integer_loops!(i8_f64, i8, f64, 1e-10, 1e-6);
integer_loops!(i16_f64, i16, f64, 1e-10, 1e-6);
integer_loops!(i32_f64, i32, f64, 1e-10, 1e-6);
integer_loops!(i64_f64, i64, f64, 1e-10, 1e-6);
integer_loops!(i128_f64, i128, f64, 1e-10, 1e-6);
integer_loops!(isize_f64, isize, f64, 1e-10, 1e-6);
integer_loops!(u64_f32, u64, f32, 1e-4, 1e-2);
integer_loops!(i64_f32, i64, f32, 1e-4, 1e-2);
integer_loops!(u128_f32, u128, f32, 1e-4, 1e-2);
integer_loops!(i8_f32, i8, f32, 1e-4, 1e-2);

//! A function may carry `#[jvp]` together with other attributes (before or
//! after it), doc comments, visibility, and be defined inside `mod` blocks.

// These tests exercise the macros on the styles numeric code is written in
// (index loops, manual copies, `&Vec` parameters, literal casts, early
// returns), so the lints against those styles are off in this file.
#![allow(
    clippy::needless_range_loop,
    clippy::manual_memcpy,
    clippy::ptr_arg,
    clippy::assign_op_pattern,
    clippy::useless_vec,
    clippy::unnecessary_cast,
    clippy::let_and_return,
    clippy::manual_swap,
    clippy::approx_constant,
    clippy::excessive_precision,
    clippy::needless_return,
    clippy::needless_late_init,
    clippy::identity_op,
    clippy::erasing_op,
    clippy::neg_multiply,
    clippy::manual_range_contains,
    clippy::never_loop,
    clippy::unused_unit,
    clippy::let_unit_value,
    clippy::collapsible_if,
    clippy::collapsible_else_if,
    clippy::too_many_arguments,
    clippy::type_complexity,
    unreachable_code,
    unused_assignments
)]

mod common;

// The tests are written once, over the float type `$F`, and instantiated
// for `f64` and `f32` below; `$h` is the helper module of that type
// (`common::f64h` or `common::f32h`, with the type's finite-difference
// steps and tolerances).
macro_rules! suite {
    ($F:ident, $h:ident) => {
        use crate::common::$h::*;
        use adiff::{grad, jvp, vjp};

        /// Doc comment before the attribute.
        #[jvp]
        #[vjp]
        #[inline]
        #[allow(clippy::many_single_char_names, unused_mut)]
        fn attrs_after(x: $F, y: $F) -> $F {
            let mut a = x * y;
            a.sin() + y
        }

        #[inline(always)]
        #[must_use]
        /// Doc comment between attributes.
        #[jvp]
        #[grad]
        #[allow(dead_code)]
        pub(crate) fn attrs_before(x: $F) -> $F {
            x.exp() * x
        }

        #[cfg(not(any()))]
        #[jvp]
        #[grad]
        #[allow(clippy::needless_range_loop)]
        fn with_cfg(x: &[$F]) -> $F {
            let mut s = 0.0;
            for &xi in x {
                s += xi.tanh();
            }
            s
        }

        pub mod nested {
            pub mod deeper {
                use adiff::{jvp, vjp};

                #[jvp]
                #[vjp]
                #[inline]
                pub fn in_module(x: $F, k: u8) -> $F {
                    x.powi(k as i32) * 0.5
                }
            }
        }

        #[test]
        fn attrs_after_matches() {
            for &(x, y) in &[(0.3, 1.2), (-0.7, 0.4)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.2, -0.6)] {
                    let (v, t) = attrs_after_jvp(x, dx, y, dy);
                    assert_eq!(v, attrs_after(x, y));
                    let exact = (x * y).cos() * (dx * y + x * dy) + dy;
                    check(t, exact, fd(|s| attrs_after(x + s * dx, y + s * dy)));
                }
            }
        }

        #[test]
        fn attrs_before_matches() {
            for &x in &[0.3, -1.1] {
                let (v, t) = attrs_before_jvp(x, 1.0);
                assert_eq!(v, attrs_before(x));
                check(t, x.exp() * (1.0 + x), fd(|s| attrs_before(x + s)));
            }
        }

        #[test]
        fn with_cfg_matches() {
            let x = rand_vec(1, 4, -1.0, 1.0);
            for u in dirs(4, 1) {
                let (v, t) = with_cfg_jvp(&x, &u);
                assert_eq!(v, with_cfg(&x));
                let exact: $F = (0..4)
                    .map(|i| (1.0 - x[i].tanh() * x[i].tanh()) * u[i])
                    .sum();
                check(t, exact, fd(|s| with_cfg(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn in_module_matches() {
            for k in [0u8, 1, 3] {
                let x = 1.4;
                let (v, t) = nested::deeper::in_module_jvp(x, 1.0, k);
                assert_eq!(v, nested::deeper::in_module(x, k));
                let exact = if k == 0 {
                    0.0
                } else {
                    0.5 * k as $F * x.powi(k as i32 - 1)
                };
                check(t, exact, fd(|s| nested::deeper::in_module(x + s, k)));
            }
        }

        // `#[grad]` (on `attrs_before` and `with_cfg`) also defines `_vjp`.
        #[test]
        fn attrs_after_reverse() {
            for (i, &(x, y)) in [(0.3, 1.2), (-0.7, 0.4)].iter().enumerate() {
                rev_dot!(attrs_after, attrs_after_jvp, attrs_after_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(attrs_after_vjp; val x, val y);
                check_exact(gx, (x * y).cos() * y);
                check_exact(gy, (x * y).cos() * x + 1.0);
            }
        }

        #[test]
        fn attrs_before_reverse() {
            for (i, &x) in [0.3, -1.1].iter().enumerate() {
                rev_dot!(attrs_before, attrs_before_jvp, attrs_before_vjp, i as u64; val x);
                check_exact(rev_grad!(attrs_before_vjp; val x), x.exp() * (1.0 + x));
                let (v, g) = attrs_before_grad(x);
                assert_eq!(v, attrs_before(x));
                check_exact(g, x.exp() * (1.0 + x));
            }
        }

        #[test]
        fn with_cfg_reverse() {
            for (k, n) in [1usize, 4].into_iter().enumerate() {
                let x = rand_vec(1 + k as u64, n, -1.0, 1.0);
                rev_dot!(with_cfg, with_cfg_jvp, with_cfg_vjp, k as u64; rf x);
                let exact: Vec<$F> = x.iter().map(|a| 1.0 - a.tanh() * a.tanh()).collect();
                check_exact_vec(&rev_grad!(with_cfg_vjp; rf x), &exact);
                let (v, g): ($F, Vec<$F>) = with_cfg_grad(&x);
                assert_eq!(v, with_cfg(&x));
                check_exact_vec(&g, &exact);
            }
        }

        #[test]
        fn in_module_reverse() {
            use nested::deeper::{in_module, in_module_jvp, in_module_vjp};
            for k in [0u8, 1, 3] {
                let x = 1.4;
                rev_dot!(in_module, in_module_jvp, in_module_vjp, k as u64; val x, c k);
                let exact = if k == 0 {
                    0.0
                } else {
                    0.5 * k as $F * x.powi(k as i32 - 1)
                };
                check_exact(rev_grad!(in_module_vjp; val x, c k), exact);
            }
        }
    };
}

mod double {
    suite!(f64, f64h);
}

mod single {
    suite!(f32, f32h);
}

//! Elementary functions, each called both as a method (`x.sin()`) and as an
//! associated function (`f64::sin(x)`), with the documented conventions at
//! kinks of the non-smooth ones.
//!
//! The functions are a table: one row per function with its closed-form
//! derivative and the points it is tested at (after JAX's `LAX_GRAD_OPS`).
//! Each row becomes a module named after the function, holding the method
//! form `m` and the path form `p`, both with `#[jvp]` and `#[vjp]`, and
//! their tests. The whole suite is instantiated for `f64` and `f32`.

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

/// Smooth functions of one argument. A row `f: |a| f'(a), [points];` makes
/// `mod f` with `m(x) = (1.25 * x).f()` and `p(x) = F::f(x)`, and the tests
/// `method`, `path` (tangents for two seeds against the closed form and
/// central differences) and `method_reverse`, `path_reverse` (dot product
/// of `_jvp` and `_vjp`, and the gradient against the closed form).
macro_rules! unary {
    ($F:ident; $($f:ident: |$a:ident| $d:expr, [$($p:expr),+ $(,)?];)*) => {$(
        pub mod $f {
            use super::*;

            #[jvp]
            #[vjp]
            pub fn m(x: $F) -> $F {
                (1.25 * x).$f()
            }

            #[jvp]
            #[vjp]
            pub fn p(x: $F) -> $F {
                $F::$f(x)
            }

            /// The closed-form derivative of `f`.
            fn d($a: $F) -> $F {
                $d
            }

            const POINTS: &[$F] = &[$($p),+];

            #[test]
            fn method() {
                forward(m, m_jvp, |x| 1.25 * d(1.25 * x), POINTS);
            }

            #[test]
            fn method_reverse() {
                reverse(m, m_jvp, m_vjp, |x| 1.25 * d(1.25 * x), POINTS);
            }

            #[test]
            fn path() {
                forward(p, p_jvp, d, POINTS);
            }

            #[test]
            fn path_reverse() {
                reverse(p, p_jvp, p_vjp, d, POINTS);
            }
        }
    )*};
}

/// Piecewise constant functions of one argument, whose derivative is zero:
/// `m(x) = (1.25 * x).f() * x` and `p(x) = F::f(x) * x`, so the product rule
/// leaves `f(..)`. Same tests as [`unary!`].
macro_rules! step {
    ($F:ident; $($f:ident),+; [$($p:expr),+ $(,)?]) => {
        const STEP_POINTS: &[$F] = &[$($p),+];
        $(step!(@row $F, $f);)+
    };
    (@row $F:ident, $f:ident) => {
        pub mod $f {
            use super::*;

            #[jvp]
            #[vjp]
            pub fn m(x: $F) -> $F {
                (1.25 * x).$f() * x
            }

            #[jvp]
            #[vjp]
            pub fn p(x: $F) -> $F {
                $F::$f(x) * x
            }

            #[test]
            fn method() {
                forward(m, m_jvp, |x| (1.25 * x).$f(), STEP_POINTS);
            }

            #[test]
            fn method_reverse() {
                reverse(m, m_jvp, m_vjp, |x| (1.25 * x).$f(), STEP_POINTS);
            }

            #[test]
            fn path() {
                forward(p, p_jvp, |x| x.$f(), STEP_POINTS);
            }

            #[test]
            fn path_reverse() {
                reverse(p, p_jvp, p_vjp, |x| x.$f(), STEP_POINTS);
            }
        }
    };
}

/// Functions of two or three arguments. A row
/// `f(a, b) { method body } { path body } grad [∂f/∂a, ∂f/∂b] at [points];`
/// makes `mod f` with `m(a, b)` and `p(a, b)` and the tests `both_forms`
/// (tangents in each direction of `DIRS2` or `DIRS3` against the gradient
/// and central differences) and `both_forms_reverse` (dot product of `_jvp`
/// and `_vjp`, and the gradient against the closed form).
macro_rules! nary {
    ($F:ident; $($f:ident($($x:ident),+) $m:tt $p:tt grad $g:tt at [$($pt:expr),+ $(,)?];)*) => {$(
        pub mod $f {
            use super::*;

            #[jvp]
            #[vjp]
            pub fn m($($x: $F),+) -> $F $m

            #[jvp]
            #[vjp]
            pub fn p($($x: $F),+) -> $F $p

            /// The closed-form gradient of `f`.
            #[allow(unused_variables)]
            fn grad($($x: $F),+) -> Vec<$F> {
                Vec::from($g)
            }

            const POINTS: &[[$F; nary!(@n $($x)+)]] = &[$($pt),+];

            #[test]
            fn both_forms() {
                for x in POINTS {
                    let g = nary!(@call grad, x; $($x)+);
                    for d in nary!(@dirs $($x)+) {
                        let exact: $F = g.iter().zip(&d).map(|(gi, di)| gi * di).sum();
                        let (v, t) = nary!(@jvp m_jvp, x, d; $($x)+);
                        assert_eq!(v, nary!(@call m, x; $($x)+));
                        check(t, exact, fd(|s| nary!(@call m, axpy_arr(x, s, &d); $($x)+)));
                        let (v, t) = nary!(@jvp p_jvp, x, d; $($x)+);
                        assert_eq!(v, nary!(@call p, x; $($x)+));
                        check(t, exact, fd(|s| nary!(@call p, axpy_arr(x, s, &d); $($x)+)));
                    }
                }
            }

            #[test]
            fn both_forms_reverse() {
                for (i, &[$($x),+]) in POINTS.iter().enumerate() {
                    let i = i as u64;
                    rev_dot!(m, m_jvp, m_vjp, i; $(val $x),+);
                    rev_dot!(p, p_jvp, p_vjp, i; $(val $x),+);
                    let exact = grad($($x),+);
                    for got in [
                        rev_grad!(m_vjp; $(val $x),+),
                        rev_grad!(p_vjp; $(val $x),+),
                    ] {
                        let got: Vec<$F> = got.flat().iter().map(|&g| g as $F).collect();
                        check_exact_vec(&got, &exact);
                    }
                }
            }
        }
    )*};
    (@n $a:ident $b:ident) => { 2 };
    (@n $a:ident $b:ident $c:ident) => { 3 };
    (@dirs $a:ident $b:ident) => {
        DIRS2.map(|(u, v)| [u, v])
    };
    (@dirs $a:ident $b:ident $c:ident) => {
        DIRS3.map(|(u, v, w)| [u, v, w])
    };
    (@call $f:ident, $x:expr; $a:ident $b:ident) => {{
        let x = $x;
        $f(x[0], x[1])
    }};
    (@call $f:ident, $x:expr; $a:ident $b:ident $c:ident) => {{
        let x = $x;
        $f(x[0], x[1], x[2])
    }};
    (@jvp $f:ident, $x:ident, $d:ident; $a:ident $b:ident) => {
        $f($x[0], $d[0], $x[1], $d[1])
    };
    (@jvp $f:ident, $x:ident, $d:ident; $a:ident $b:ident $c:ident) => {
        $f($x[0], $d[0], $x[1], $d[1], $x[2], $d[2])
    };
}

// The tests are written once, over the float type `$F`, and instantiated
// for `f64` and `f32` below; `$h` is the helper module of that type
// (`common::f64h` or `common::f32h`, with the type's finite-difference
// steps and tolerances).
macro_rules! suite {
    ($F:ident, $h:ident) => {
        use crate::common::$h::*;
        use adiff::{jvp, vjp};

        /// The tangent of `f_jvp` at each point, for two seeds, against the
        /// closed form `d(x) * dx` and central differences of `f`.
        fn forward(
            f: fn($F) -> $F,
            f_jvp: fn($F, $F) -> ($F, $F),
            d: impl Fn($F) -> $F,
            points: &[$F],
        ) {
            for &x in points {
                for &dx in &[1.0, -0.7] {
                    let (v, t) = f_jvp(x, dx);
                    assert_eq!(v, f(x), "primal value");
                    let exact: $F = d(x) * dx;
                    check(t, exact, fd(|s| f(x + s * dx)));
                }
            }
        }

        /// Reverse mode at each point: the dot-product test between `f_jvp`
        /// and `f_vjp`, and `f_vjp` with `out_bar = 1` against `d(x)`.
        fn reverse(
            f: fn($F) -> $F,
            f_jvp: fn($F, $F) -> ($F, $F),
            f_vjp: fn($F, &mut $F, $F) -> $F,
            d: impl Fn($F) -> $F,
            points: &[$F],
        ) {
            for (i, &x) in points.iter().enumerate() {
                rev_dot!(f, f_jvp, f_vjp, i as u64; val x);
                let exact: $F = d(x);
                check_exact(rev_grad!(f_vjp; val x), exact);
            }
        }

        const DIRS2: [($F, $F); 3] = [(1.0, 0.0), (0.0, 1.0), (0.55, -0.8)];
        const DIRS3: [($F, $F, $F); 4] = [
            (1.0, 0.0, 0.0),
            (0.0, 1.0, 0.0),
            (0.0, 0.0, 1.0),
            (0.3, -0.6, 0.9),
        ];

        unary! { $F;
            sin: |a| a.cos(), [-1.3, -0.2, 0.4, 1.1];
            cos: |a| -a.sin(), [-1.3, -0.2, 0.4, 1.1];
            tan: |a| 1.0 / (a.cos() * a.cos()), [-1.0, 0.3, 1.1];
            asin: |a| 1.0 / (1.0 - a * a).sqrt(), [-0.7, -0.1, 0.5, 0.7];
            acos: |a| -1.0 / (1.0 - a * a).sqrt(), [-0.7, -0.1, 0.5, 0.7];
            atan: |a| 1.0 / (1.0 + a * a), [-1.3, -0.2, 0.4, 1.1];
            sinh: |a| a.cosh(), [-1.3, -0.2, 0.4, 1.1];
            cosh: |a| a.sinh(), [-1.3, -0.2, 0.4, 1.1];
            tanh: |a| 1.0 - a.tanh() * a.tanh(), [-1.3, -0.2, 0.4, 1.1];
            asinh: |a| 1.0 / (a * a + 1.0).sqrt(), [-1.3, -0.2, 0.4, 1.1];
            acosh: |a| 1.0 / (a * a - 1.0).sqrt(), [1.1, 1.5, 3.0];
            atanh: |a| 1.0 / (1.0 - a * a), [-0.7, -0.1, 0.5, 0.7];
            exp: |a| a.exp(), [-1.3, -0.2, 0.4, 1.1];
            exp2: |a| a.exp2() * std::$F::consts::LN_2, [-1.3, -0.2, 0.4, 1.1];
            exp_m1: |a| a.exp(), [-1.3, -0.2, 0.4, 1.1];
            ln: |a| 1.0 / a, [0.3, 1.0, 2.7, 10.0];
            log2: |a| 1.0 / (a * std::$F::consts::LN_2), [0.3, 1.0, 2.7, 10.0];
            log10: |a| 1.0 / (a * std::$F::consts::LN_10), [0.3, 1.0, 2.7, 10.0];
            ln_1p: |a| 1.0 / (1.0 + a), [-0.5, 0.2, 3.0];
            sqrt: |a| 0.5 / a.sqrt(), [0.3, 1.0, 2.7, 10.0];
            cbrt: |a| 1.0 / (3.0 * a.cbrt() * a.cbrt()), [-1.3, -0.2, 0.4, 1.1];
            recip: |a| -1.0 / (a * a), [-2.0, -0.4, 0.5, 3.0];
            abs: |a| a.signum(), [-1.5, -0.3, 0.2, 2.0];
        }

        step! { $F; floor, ceil, round, trunc, signum; [-1.3, -0.2, 0.3, 1.7, 2.2] }

        nary! { $F;
            atan2(y, x) { y.atan2(x) } { $F::atan2(y, x) }
                grad { let r2 = x * x + y * y; [x / r2, -y / r2] }
                at [[0.5, 1.2], [-0.8, 0.3], [1.1, -0.9], [-0.4, -1.5]];
            log(x, b) { x.log(b) + x.log(3.0) } { $F::log(x, b) + $F::log(x, 3.0) }
                grad {
                    let lb = b.ln();
                    [1.0 / (x * lb) + 1.0 / (x * (3.0 as $F).ln()), -x.ln() / (b * lb * lb)]
                }
                at [[0.7, 2.0], [3.5, 10.0], [5.0, 0.5]];
            powf(x, y) { x.powf(y) } { $F::powf(x, y) }
                grad [y * x.powf(y - 1.0), x.powf(y) * x.ln()]
                at [[0.6, 2.5], [1.7, -1.3], [2.2, 0.5]];
            hypot(x, y) { x.hypot(y) } { $F::hypot(x, y) }
                grad { let h = x.hypot(y); [x / h, y / h] }
                at [[3.0, 4.0], [-0.5, 1.2], [0.9, -0.1]];
            mul_add(a, b, c) { a.mul_add(b, c) } { $F::mul_add(a, b, c) }
                grad [b, a, 1.0]
                at [[0.5, -1.5, 2.0], [-1.2, 0.7, 0.3]];
            // Away from ties; the convention at a tie is tested below.
            max(a, b) { a.max(b) } { $F::max(a, b) }
                grad { if a > b { [1.0, 0.0] } else { [0.0, 1.0] } }
                at [[0.9, 0.2], [-1.0, 0.5], [2.0, -3.0], [-0.4, -0.1]];
            min(a, b) { a.min(b) } { $F::min(a, b) }
                grad { if a < b { [1.0, 0.0] } else { [0.0, 1.0] } }
                at [[0.9, 0.2], [-1.0, 0.5], [2.0, -3.0], [-0.4, -0.1]];
            clamp(x, lo, hi) { x.clamp(lo, hi) } { $F::clamp(x, lo, hi) }
                grad {
                    if x < lo {
                        [0.0, 1.0, 0.0]
                    } else if x > hi {
                        [0.0, 0.0, 1.0]
                    } else {
                        [1.0, 0.0, 0.0]
                    }
                }
                at [[0.3, -1.0, 1.0], [-2.0, -1.0, 1.0], [1.8, -1.0, 1.0], [0.5, 0.2, 0.6]];
            // `r = a - q·b` with `q = a.div_euclid(b)` constant on each
            // piece; the points are away from the jumps (quotients 2, -2,
            // -3 and 0). The convention at a jump is tested below.
            rem_euclid(a, b) { a.rem_euclid(b) * 1.5 + a } { $F::rem_euclid(a, b) * 1.5 + a }
                grad [2.5, -1.5 * a.div_euclid(b)]
                at [[5.3, 2.0], [-1.7, 1.5], [7.0, -3.0], [0.4, 3.0]];
        }

        #[test]
        fn rem_euclid_at_a_jump_follows_the_piece_of_the_result() {
            // At `a / b = 2` the result is 0, on the piece with `q = 2`.
            let (a, b): ($F, $F) = (4.0, 2.0);
            let (_, t) = rem_euclid::m_jvp(a, 0.0, b, 1.0);
            check_exact(t, -3.0);
            let (mut a_bar, mut b_bar) = (0.0, 0.0);
            rem_euclid::p_vjp(a, &mut a_bar, b, &mut b_bar, 1.0);
            check_exact(a_bar, 2.5);
            check_exact(b_bar, -3.0);
        }

        /// On integers `rem_euclid` stays an integer operation.
        #[jvp]
        #[vjp]
        fn rem_euclid_of_an_index(x: $F, n: i64) -> $F {
            let k = (n - 7).rem_euclid(3);
            x * (k as $F + 1.0)
        }

        #[test]
        fn rem_euclid_of_integers_carries_no_derivative() {
            // (5 - 7).rem_euclid(3) = 1, so the factor is 2.
            let (v, t) = rem_euclid_of_an_index_jvp(1.25, 0.5, 5);
            assert_eq!(v, rem_euclid_of_an_index(1.25, 5));
            assert_eq!(v, 2.5);
            check_exact(t, 1.0);
            let mut x_bar = 0.0;
            rem_euclid_of_an_index_vjp(1.25, &mut x_bar, 5, 1.0);
            check_exact(x_bar, 2.0);
        }

        #[jvp]
        #[vjp]
        fn m_powi(x: $F, n: i32) -> $F {
            x.powi(n) + x.powi(3)
        }

        #[jvp]
        #[vjp]
        fn p_powi(x: $F, n: i32) -> $F {
            $F::powi(x, n) + $F::powi(x, 3)
        }

        #[test]
        fn powi_both_forms() {
            for &x in &[-1.4 as $F, 0.6, 2.1] {
                for n in [-2, 0, 1, 4] {
                    let exact = n as $F * x.powi(n - 1) + 3.0 * x * x;
                    let (v, t) = m_powi_jvp(x, 1.0, n);
                    assert_eq!(v, m_powi(x, n));
                    check(t, exact, fd(|s| m_powi(x + s, n)));
                    let (v, t) = p_powi_jvp(x, 1.0, n);
                    assert_eq!(v, p_powi(x, n));
                    check(t, exact, fd(|s| p_powi(x + s, n)));
                }
            }
        }

        #[test]
        fn powi_both_forms_reverse() {
            for &x in &[-1.4 as $F, 0.6, 2.1] {
                for n in [-2, 0, 1, 4] {
                    rev_dot!(m_powi, m_powi_jvp, m_powi_vjp, n as u64; val x, c n);
                    rev_dot!(p_powi, p_powi_jvp, p_powi_vjp, n as u64; val x, c n);
                    let exact = n as $F * x.powi(n - 1) + 3.0 * x * x;
                    check_exact(rev_grad!(m_powi_vjp; val x, c n), exact);
                    check_exact(rev_grad!(p_powi_vjp; val x, c n), exact);
                }
            }
        }


        #[test]
        fn max_min_tie_convention() {
            // At a tie, `a.max(b)` and `a.min(b)` follow `a`.
            for &c in &[0.0, 1.5, -2.0] {
                let (v, t) = max::m_jvp(c, 0.3, c, -0.9);
                assert_eq!(v, c);
                check_exact(t, 0.3);
                let (_, t) = max::p_jvp(c, 0.3, c, -0.9);
                check_exact(t, 0.3);
                let (v, t) = min::m_jvp(c, -0.4, c, 0.8);
                assert_eq!(v, c);
                check_exact(t, -0.4);
                let (_, t) = min::p_jvp(c, -0.4, c, 0.8);
                check_exact(t, -0.4);
            }
        }

        #[test]
        fn max_min_tie_convention_reverse() {
            use max::{
                m as m_max,
                m_jvp as m_max_jvp,
                m_vjp as m_max_vjp,
                p as p_max,
                p_jvp as p_max_jvp,
                p_vjp as p_max_vjp,
            };
            use min::{
                m as m_min,
                m_jvp as m_min_jvp,
                m_vjp as m_min_vjp,
                p as p_min,
                p_jvp as p_min_jvp,
                p_vjp as p_min_vjp,
            };
            // At a tie the whole adjoint goes to `a`, as the tangent follows `a`.
            for (i, &c) in [0.0, 1.5, -2.0].iter().enumerate() {
                let (a, b) = (c, c);
                let i = i as u64;
                rev_dot!(m_max, m_max_jvp, m_max_vjp, i; val a, val b);
                rev_dot!(p_max, p_max_jvp, p_max_vjp, i; val a, val b);
                rev_dot!(m_min, m_min_jvp, m_min_vjp, i; val a, val b);
                rev_dot!(p_min, p_min_jvp, p_min_vjp, i; val a, val b);
                for g in [
                    rev_grad!(m_max_vjp; val a, val b),
                    rev_grad!(p_max_vjp; val a, val b),
                    rev_grad!(m_min_vjp; val a, val b),
                    rev_grad!(p_min_vjp; val a, val b),
                ] {
                    check_exact(g.0, 1.0);
                    check_exact(g.1, 0.0);
                }
            }
        }

        // max/min against a constant (ReLU / clipping), mixed forms.
        #[jvp]
        #[vjp]
        fn relu_mix(x: $F) -> $F {
            x.max(0.0) + $F::min(x, 1.0) * 2.0
        }

        #[test]
        fn relu_mix_matches() {
            for &x in &[-0.8, 0.4, 1.6] {
                let (v, t) = relu_mix_jvp(x, 1.0);
                assert_eq!(v, relu_mix(x));
                let exact = (if x > 0.0 { 1.0 } else { 0.0 }) + (if x < 1.0 { 2.0 } else { 0.0 });
                check(t, exact, fd(|s| relu_mix(x + s)));
            }
            // ReLU at exactly 0: `x.max(0.0)` with x == 0 follows x (a >= b).
            let (_, t) = relu_mix_jvp(0.0, 1.0);
            check_exact(t, 1.0 + 2.0);
        }

        #[test]
        fn relu_mix_reverse() {
            for (i, &x) in [-0.8, 0.4, 1.6, 0.0].iter().enumerate() {
                rev_dot!(relu_mix, relu_mix_jvp, relu_mix_vjp, i as u64; val x);
                // At x == 0 `x.max(0.0)` follows x (a >= b).
                let exact = (if x >= 0.0 { 1.0 } else { 0.0 }) + (if x < 1.0 { 2.0 } else { 0.0 });
                check_exact(rev_grad!(relu_mix_vjp; val x), exact);
            }
        }


        #[test]
        fn clamp_boundary_convention() {
            // `x.clamp(lo, hi)` follows x when lo <= x <= hi, so at either bound
            // the tangent is x's.
            for &(x, lo, hi) in &[(-1.0, -1.0, 1.0), (1.0, -1.0, 1.0), (0.5, 0.5, 0.5)] {
                let (v, t) = clamp::m_jvp(x, 0.7, lo, -0.2, hi, 0.9);
                assert_eq!(v, x);
                check_exact(t, 0.7);
                let (_, t) = clamp::p_jvp(x, 0.7, lo, -0.2, hi, 0.9);
                check_exact(t, 0.7);
            }
        }

        #[test]
        fn clamp_boundary_convention_reverse() {
            use clamp::{
                m as m_clamp,
                m_jvp as m_clamp_jvp,
                m_vjp as m_clamp_vjp,
                p as p_clamp,
                p_jvp as p_clamp_jvp,
                p_vjp as p_clamp_vjp,
            };
            for (i, &(x, lo, hi)) in [(-1.0, -1.0, 1.0), (1.0, -1.0, 1.0), (0.5, 0.5, 0.5)]
                .iter()
                .enumerate()
            {
                let i = i as u64;
                rev_dot!(m_clamp, m_clamp_jvp, m_clamp_vjp, i; val x, val lo, val hi);
                rev_dot!(p_clamp, p_clamp_jvp, p_clamp_vjp, i; val x, val lo, val hi);
                for g in [
                    rev_grad!(m_clamp_vjp; val x, val lo, val hi),
                    rev_grad!(p_clamp_vjp; val x, val lo, val hi),
                ] {
                    check_exact(g.0, 1.0);
                    check_exact(g.1, 0.0);
                    check_exact(g.2, 0.0);
                }
            }
        }

        #[test]
        fn abs_signum_at_zero_convention() {
            // abs'(0) = 0 and signum' = 0 everywhere.
            for &dx in &[1.0, -2.5] {
                let (v, t) = abs::m_jvp(0.0, dx);
                assert_eq!(v, 0.0);
                check_exact(t, 0.0);
                let (_, t) = abs::p_jvp(0.0, dx);
                check_exact(t, 0.0);
                let (_, t) = signum::m_jvp(0.0, dx);
                // (1.25 x).signum() * x at x = 0: signum(0.0) = 1.0, so the
                // product rule gives signum(0) * dx.
                check_exact(t, (0.0 as $F).signum() * dx);
            }
        }

        #[test]
        fn abs_signum_at_zero_convention_reverse() {
            use abs::{
                m as m_abs,
                m_jvp as m_abs_jvp,
                m_vjp as m_abs_vjp,
                p as p_abs,
                p_jvp as p_abs_jvp,
                p_vjp as p_abs_vjp,
            };
            use signum::{m as m_signum, m_jvp as m_signum_jvp, m_vjp as m_signum_vjp};
            let x = 0.0;
            rev_dot!(m_abs, m_abs_jvp, m_abs_vjp, 0; val x);
            rev_dot!(p_abs, p_abs_jvp, p_abs_vjp, 0; val x);
            rev_dot!(m_signum, m_signum_jvp, m_signum_vjp, 0; val x);
            check_exact(rev_grad!(m_abs_vjp; val x), 0.0);
            check_exact(rev_grad!(p_abs_vjp; val x), 0.0);
            check_exact(rev_grad!(m_signum_vjp; val x), (0.0 as $F).signum());
        }

        #[test]
        fn floor_family_has_zero_derivative_at_integers() {
            // Even exactly at a jump the convention is a zero derivative of the
            // rounding function itself: d(floor(x) * x) = floor(x) dx.
            for &x in &[1.0, 2.0, -3.0] {
                let (_, t) = floor::p_jvp(x, 1.0);
                check_exact(t, x.floor());
                let (_, t) = ceil::p_jvp(x, 1.0);
                check_exact(t, x.ceil());
                let (_, t) = trunc::p_jvp(x, 1.0);
                check_exact(t, x.trunc());
            }
            let (_, t) = round::p_jvp(0.5, 1.0);
            check_exact(t, (0.5 as $F).round());
        }

        #[test]
        fn floor_family_has_zero_derivative_at_integers_reverse() {
            use ceil::{p as p_ceil, p_jvp as p_ceil_jvp, p_vjp as p_ceil_vjp};
            use floor::{p as p_floor, p_jvp as p_floor_jvp, p_vjp as p_floor_vjp};
            use round::{p as p_round, p_jvp as p_round_jvp, p_vjp as p_round_vjp};
            use trunc::{p as p_trunc, p_jvp as p_trunc_jvp, p_vjp as p_trunc_vjp};
            for (i, &x) in [1.0, 2.0, -3.0].iter().enumerate() {
                let i = i as u64;
                rev_dot!(p_floor, p_floor_jvp, p_floor_vjp, i; val x);
                rev_dot!(p_ceil, p_ceil_jvp, p_ceil_vjp, i; val x);
                rev_dot!(p_trunc, p_trunc_jvp, p_trunc_vjp, i; val x);
                check_exact(rev_grad!(p_floor_vjp; val x), x.floor());
                check_exact(rev_grad!(p_ceil_vjp; val x), x.ceil());
                check_exact(rev_grad!(p_trunc_vjp; val x), x.trunc());
            }
            let x = 0.5;
            rev_dot!(p_round, p_round_jvp, p_round_vjp, 0; val x);
            check_exact(rev_grad!(p_round_vjp; val x), (0.5 as $F).round());
        }

        // ---- compositions ---------------------------------------------------

        #[jvp]
        #[vjp]
        fn composite(x: $F, y: $F) -> $F {
            let r = (x * x + y * y).sqrt();
            let a = (x.sin() * y.exp()).atan();
            let b = $F::ln(r) * $F::tanh(y);
            let c = (x / r).acos() + (x * 0.3).asinh().cosh();
            a + b + c.powi(2) + $F::hypot(a, b).exp2()
        }

        /// The closed-form tangent of `composite` at `(x, y)` along `(dx, dy)`.
        fn composite_tangent(x: $F, y: $F, dx: $F, dy: $F) -> $F {
            let r = (x * x + y * y).sqrt();
            let dr = (x * dx + y * dy) / r;
            let q = x.sin() * y.exp();
            let dq = x.cos() * y.exp() * dx + q * dy;
            let a = q.atan();
            let da = dq / (1.0 + q * q);
            let b = r.ln() * y.tanh();
            let db = dr / r * y.tanh() + r.ln() * (1.0 - y.tanh() * y.tanh()) * dy;
            let w = x / r;
            let dw = (dx * r - x * dr) / (r * r);
            let z = x * 0.3;
            let c = w.acos() + z.asinh().cosh();
            let dc =
                -dw / (1.0 - w * w).sqrt() + z.asinh().sinh() / (z * z + 1.0).sqrt() * 0.3 * dx;
            let hh = a.hypot(b);
            let dh = (a * da + b * db) / hh;
            da + db + 2.0 * c * dc + hh.exp2() * std::$F::consts::LN_2 * dh
        }

        #[test]
        fn composite_matches() {
            for &(x, y) in &[(0.7, 0.4), (-1.1, 0.9), (0.3, -1.6)] {
                for &(dx, dy) in &DIRS2 {
                    let (v, t) = composite_jvp(x, dx, y, dy);
                    assert_eq!(v, composite(x, y));
                    let exact = composite_tangent(x, y, dx, dy);
                    check(t, exact, fd(|s| composite(x + s * dx, y + s * dy)));
                }
            }
        }

        #[test]
        fn composite_reverse() {
            for (i, &(x, y)) in [(0.7, 0.4), (-1.1, 0.9), (0.3, -1.6)].iter().enumerate() {
                rev_dot!(composite, composite_jvp, composite_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(composite_vjp; val x, val y);
                check_exact(gx, composite_tangent(x, y, 1.0, 0.0));
                check_exact(gy, composite_tangent(x, y, 0.0, 1.0));
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

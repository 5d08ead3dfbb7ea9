//! Constants: integer arithmetic and casts, `std::f64::consts`, associated
//! constants such as `f64::INFINITY`, literals, and constant parameters of
//! various types (integers, bool, `&mut usize`, `&[usize]`).

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
// steps and tolerances). `$two`, `$three`, `$three_u` and `$half` are the
// literals `2.0`, `3.0`, `3.0` and `0.5` with the type's suffix (`2.0f64`,
// `3.0_f64`, ...), as the functions under test spell them.
macro_rules! suite {
    ($F:ident, $h:ident, $two:tt, $three:tt, $three_u:tt, $half:tt) => {
        use crate::common::$h::*;
        use adiff::{jvp, vjp};
        use std::$F::consts::{E, FRAC_PI_2, LN_2, PI, SQRT_2};

        // Integer arithmetic and casts feed constant factors.
        #[jvp]
        #[vjp]
        fn int_arith(x: $F, n: usize, m: i32) -> $F {
            let tri = (n * (n + 1) / 2) as $F;
            let sq = (m * m - 3 * m) as $F;
            let k = n as i32 + m;
            x * tri + x * x * sq + x.powi(k)
        }

        #[test]
        fn int_arith_matches() {
            for &x in &[0.6, -1.3] {
                for &(n, m) in &[(0usize, 0i32), (3, 2), (5, -1)] {
                    let (v, t) = int_arith_jvp(x, 1.0, n, m);
                    assert_eq!(v, int_arith(x, n, m));
                    let tri = (n * (n + 1) / 2) as $F;
                    let sq = (m * m - 3 * m) as $F;
                    let k = n as i32 + m;
                    let exact = tri + 2.0 * x * sq + k as $F * x.powi(k - 1);
                    check(t, exact, fd(|s| int_arith(x + s, n, m)));
                }
            }
        }

        #[test]
        fn int_arith_reverse() {
            for &x in &[0.6, -1.3] {
                for &(n, m) in &[(0usize, 0i32), (3, 2), (5, -1)] {
                    rev_dot!(int_arith, int_arith_jvp, int_arith_vjp, n as u64; val x, c n, c m);
                    let tri = (n * (n + 1) / 2) as $F;
                    let sq = (m * m - 3 * m) as $F;
                    let k = n as i32 + m;
                    let exact = tri + 2.0 * x * sq + k as $F * x.powi(k - 1);
                    check_exact(rev_grad!(int_arith_vjp; val x, c n, c m), exact);
                }
            }
        }

        // Loop index cast to a float is a constant.
        #[jvp]
        #[vjp]
        fn index_cast(x: $F, n: u32) -> $F {
            let mut s = 0.0;
            for i in 0..n {
                let fi = i as $F;
                let w = fi * fi + 1.0;
                s += w * (x * fi).cos();
            }
            s
        }

        #[test]
        fn index_cast_matches() {
            for &x in &[0.4, 2.1] {
                let (v, t) = index_cast_jvp(x, 1.0, 6);
                assert_eq!(v, index_cast(x, 6));
                let mut exact = 0.0;
                for i in 0..6 {
                    let fi = i as $F;
                    exact -= (fi * fi + 1.0) * fi * (x * fi).sin();
                }
                check(t, exact, fd(|s| index_cast(x + s, 6)));
            }
        }

        #[test]
        fn index_cast_reverse() {
            for &x in &[0.4, 2.1] {
                for n in [0u32, 1, 6] {
                    rev_dot!(index_cast, index_cast_jvp, index_cast_vjp, n as u64; val x, c n);
                    let mut exact = 0.0;
                    for i in 0..n {
                        let fi = i as $F;
                        exact -= (fi * fi + 1.0) * fi * (x * fi).sin();
                    }
                    check_exact(rev_grad!(index_cast_vjp; val x, c n), exact);
                }
            }
        }

        // Mathematical constants, imported and by full path.
        #[jvp]
        #[vjp]
        fn math_consts(x: $F) -> $F {
            let a = (PI * x).sin() + E * x;
            let b = std::$F::consts::TAU * x * SQRT_2;
            let c = (x + FRAC_PI_2).cos() * LN_2;
            a + b + c + core::$F::consts::LN_10
        }

        #[test]
        fn math_consts_matches() {
            for &x in &[0.1, -0.75, 1.9] {
                let (v, t) = math_consts_jvp(x, 1.0);
                assert_eq!(v, math_consts(x));
                let exact = PI * (PI * x).cos() + E + std::$F::consts::TAU * SQRT_2
                    - (x + FRAC_PI_2).sin() * LN_2;
                check(t, exact, fd(|s| math_consts(x + s)));
            }
        }

        #[test]
        fn math_consts_reverse() {
            for (i, &x) in [0.1, -0.75, 1.9].iter().enumerate() {
                rev_dot!(math_consts, math_consts_jvp, math_consts_vjp, i as u64; val x);
                let exact = PI * (PI * x).cos() + E + std::$F::consts::TAU * SQRT_2
                    - (x + FRAC_PI_2).sin() * LN_2;
                check_exact(rev_grad!(math_consts_vjp; val x), exact);
            }
        }

        // A constant base raised to an active power, and an elementary function
        // of a constant (both via methods and paths).
        #[jvp]
        #[vjp]
        fn const_base(x: $F) -> $F {
            let r2 = ($two).sqrt();
            E.powf(x) + $three.powf(x * 0.5) + $F::exp(1.5) * x + r2 * $F::ln(x)
        }

        #[test]
        fn const_base_matches() {
            for &x in &[0.5, 2.5] {
                let (v, t) = const_base_jvp(x, 1.0);
                assert_eq!(v, const_base(x));
                let exact = E.powf(x)
                    + 0.5 * (3.0 as $F).ln() * (3.0 as $F).powf(0.5 * x)
                    + (1.5 as $F).exp()
                    + (2.0 as $F).sqrt() / x;
                check(t, exact, fd(|s| const_base(x + s)));
            }
        }

        #[test]
        fn const_base_reverse() {
            for (i, &x) in [0.5, 2.5].iter().enumerate() {
                rev_dot!(const_base, const_base_jvp, const_base_vjp, i as u64; val x);
                let exact = E.powf(x)
                    + 0.5 * (3.0 as $F).ln() * (3.0 as $F).powf(0.5 * x)
                    + (1.5 as $F).exp()
                    + (2.0 as $F).sqrt() / x;
                check_exact(rev_grad!(const_base_vjp; val x), exact);
            }
        }

        // Associated constants: INFINITY as an initial running minimum,
        // EPSILON and MAX in comparisons and arithmetic.
        #[jvp]
        #[vjp]
        fn assoc_consts(x: &[$F]) -> $F {
            let mut lo = $F::INFINITY;
            let mut hi = $F::NEG_INFINITY;
            for &xi in x {
                if xi < lo {
                    lo = xi;
                }
                if xi > hi {
                    hi = xi;
                }
            }
            let spread = hi - lo;
            if spread < $F::MAX {
                spread * (1.0 + $F::EPSILON) + lo * $F::MIN_POSITIVE
            } else {
                0.0
            }
        }

        #[test]
        fn assoc_consts_matches() {
            let x = spread_vec(1, 7);
            let imin = (0..7)
                .min_by(|&a, &b| x[a].partial_cmp(&x[b]).unwrap())
                .unwrap();
            let imax = (0..7)
                .max_by(|&a, &b| x[a].partial_cmp(&x[b]).unwrap())
                .unwrap();
            for u in dirs(7, 1) {
                let (v, t) = assoc_consts_jvp(&x, &u);
                assert_eq!(v, assoc_consts(&x));
                let exact = (u[imax] - u[imin]) * (1.0 + $F::EPSILON) + u[imin] * $F::MIN_POSITIVE;
                check(t, exact, fd(|s| assoc_consts(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn assoc_consts_reverse() {
            for (k, n) in [1usize, 2, 7].into_iter().enumerate() {
                let x = spread_vec(1 + k as u64, n);
                rev_dot!(assoc_consts, assoc_consts_jvp, assoc_consts_vjp, k as u64; rf x);
                let g = rev_grad!(assoc_consts_vjp; rf x);
                let imin = (0..n)
                    .min_by(|&a, &b| x[a].partial_cmp(&x[b]).unwrap())
                    .unwrap();
                let imax = (0..n)
                    .max_by(|&a, &b| x[a].partial_cmp(&x[b]).unwrap())
                    .unwrap();
                let exact = grad_by_dirs(n, |u| {
                    (u[imax] - u[imin]) * (1.0 + $F::EPSILON) + u[imin] * $F::MIN_POSITIVE
                });
                check_exact_vec(&g, &exact);
            }
        }

        // Literal forms: exponents, suffixes, trailing dot, integer-to-float.
        #[jvp]
        #[vjp]
        fn literals(x: $F) -> $F {
            let a = 2.5e-1 * x;
            let b = 1e1 * x * x;
            let c = $three_u * x + 2.;
            let d = x * $half + (2 as $F) * x;
            a + b + c + d + 1_000.0
        }

        #[test]
        fn literals_matches() {
            for &x in &[0.3, -2.0] {
                let (v, t) = literals_jvp(x, 1.0);
                assert_eq!(v, literals(x));
                check(
                    t,
                    0.25 + 20.0 * x + 3.0 + 0.5 + 2.0,
                    fd(|s| literals(x + s)),
                );
            }
        }

        #[test]
        fn literals_reverse() {
            for (i, &x) in [0.3, -2.0].iter().enumerate() {
                rev_dot!(literals, literals_jvp, literals_vjp, i as u64; val x);
                check_exact(
                    rev_grad!(literals_vjp; val x),
                    0.25 + 20.0 * x + 3.0 + 0.5 + 2.0,
                );
            }
        }

        // Constant parameters of several types: bool, i64, u8, &[usize],
        // &mut usize (counter, updated by both f and f_jvp).
        #[jvp]
        #[vjp]
        fn const_params(x: $F, flag: bool, k: i64, b: u8, idx: &[usize], calls: &mut usize) -> $F {
            *calls += 1;
            let mut s = if flag {
                x * k as $F
            } else {
                x / (1.0 + b as $F)
            };
            for &i in idx {
                s += x * i as $F;
            }
            s
        }

        #[test]
        fn const_params_matches() {
            let idx = [1usize, 4, 2];
            for flag in [true, false] {
                let x = 0.9;
                let mut calls_f = 0usize;
                let mut calls_j = 0usize;
                let (v, t) = const_params_jvp(x, 1.0, flag, 3, 2, &idx, &mut calls_j);
                assert_eq!(v, const_params(x, flag, 3, 2, &idx, &mut calls_f));
                assert_eq!(
                    calls_j, 1,
                    "the &mut usize counter must be updated exactly once by f_jvp"
                );
                assert_eq!(calls_f, 1);
                let exact = if flag { 3.0 } else { 1.0 / 3.0 } + 7.0;
                check(
                    t,
                    exact,
                    fd(|s| const_params(x + s, flag, 3, 2, &idx, &mut 0)),
                );
            }
        }

        #[test]
        fn const_params_reverse() {
            let idx = [1usize, 4, 2];
            for flag in [true, false] {
                let x = 0.9;
                rev_dot!(const_params, const_params_jvp, const_params_vjp, flag as u64; val x, c flag, c 3, c 2, c &idx, c &mut 0usize);
                let mut calls_v = 0usize;
                let mut xb = 0.0;
                let v = const_params_vjp(x, &mut xb, flag, 3, 2, &idx, &mut calls_v, 1.0);
                assert_eq!(v, const_params(x, flag, 3, 2, &idx, &mut 0usize));
                assert_eq!(
                    calls_v, 1,
                    "the &mut usize counter must be updated exactly once by f_vjp"
                );
                check_exact(xb, if flag { 3.0 } else { 1.0 / 3.0 } + 7.0);
            }
        }

        // A function where nothing depends on the active input: tangent is 0.
        #[jvp]
        #[vjp]
        fn inactive_result(x: $F, n: u32) -> $F {
            let _y = x * 2.0;
            let mut s = 0.0;
            for i in 0..n {
                s += (i as $F).sqrt();
            }
            s + PI
        }

        #[test]
        fn inactive_result_matches() {
            let (v, t) = inactive_result_jvp(1.5, 1.0, 5);
            assert_eq!(v, inactive_result(1.5, 5));
            check(t, 0.0, fd(|s| inactive_result(1.5 + s, 5)));
        }

        #[test]
        fn inactive_result_reverse() {
            for n in [0u32, 5] {
                let x = 1.5;
                rev_dot!(inactive_result, inactive_result_jvp, inactive_result_vjp, n as u64; val x, c n);
                check_exact(rev_grad!(inactive_result_vjp; val x, c n), 0.0);
            }
        }

        // Conversions of constants through `From` (a call with only constant
        // arguments, left untouched).
        #[jvp]
        #[vjp]
        fn from_conversions(x: $F, n: u16, b: i16) -> $F {
            let a = $F::from(n);
            let c: $F = b.into();
            x * a + x * x * c
        }

        #[test]
        fn from_conversions_matches() {
            let (v, t) = from_conversions_jvp(0.7, 1.0, 4, -3);
            assert_eq!(v, from_conversions(0.7, 4, -3));
            check(
                t,
                4.0 + 2.0 * 0.7 * -3.0,
                fd(|s| from_conversions(0.7 + s, 4, -3)),
            );
        }

        #[test]
        fn from_conversions_reverse() {
            for &(x, n, b) in &[(0.7, 4u16, -3i16), (-1.2, 0, 5)] {
                rev_dot!(from_conversions, from_conversions_jvp, from_conversions_vjp, n as u64; val x, c n, c b);
                let g = rev_grad!(from_conversions_vjp; val x, c n, c b);
                check_exact(g, n as $F + 2.0 * x * b as $F);
            }
        }

        // Casting an active float to an integer gives a constant index:
        // piecewise-linear table interpolation, derivative w.r.t. both the table
        // and the abscissa.
        #[jvp]
        #[vjp]
        fn interp(table: &[$F], x: $F) -> $F {
            let i = (x.floor() as usize).min(table.len() - 2);
            let f = x - i as $F;
            table[i] * (1.0 - f) + table[i + 1] * f
        }

        #[test]
        fn interp_matches() {
            let table = vec![0.0, 1.0, 3.0, 2.5, -1.0];
            for &x in &[0.3, 1.5, 2.75, 3.4, 4.6] {
                for (k, u) in dirs(5, 61).into_iter().enumerate() {
                    let dx = if k % 2 == 0 { 1.0 } else { 0.0 };
                    let (v, t) = interp_jvp(&table, &u, x, dx);
                    assert_eq!(v, interp(&table, x));
                    let i = (x.floor() as usize).min(3);
                    let f = x - i as $F;
                    let exact = u[i] * (1.0 - f) + u[i + 1] * f + (table[i + 1] - table[i]) * dx;
                    check(t, exact, fd(|s| interp(&axpy(&table, s, &u), x + s * dx)));
                }
            }
        }

        #[test]
        fn interp_reverse() {
            let table = vec![0.0, 1.0, 3.0, 2.5, -1.0];
            for (k, &x) in [0.3, 1.5, 2.75, 3.4, 4.6].iter().enumerate() {
                rev_dot!(interp, interp_jvp, interp_vjp, k as u64; rf table, val x);
                let (gt, gx) = rev_grad!(interp_vjp; rf table, val x);
                let i = (x.floor() as usize).min(3);
                let f = x - i as $F;
                let mut et = vec![0.0; 5];
                et[i] = 1.0 - f;
                et[i + 1] = f;
                check_exact_vec(&gt, &et);
                check_exact(gx, table[i + 1] - table[i]);
            }
        }
    };
}

mod double {
    suite!(f64, f64h, 2.0f64, 3.0f64, 3.0_f64, 0.5f64);
}

mod single {
    suite!(f32, f32h, 2.0f32, 3.0f32, 3.0_f32, 0.5f32);
}

//! `if` / `else if` / `else` and `match` (on integers, booleans, ranges), as
//! statements and as expressions, including branches taken on comparisons of
//! primal float values.

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
        use adiff::{jvp, vjp};

        // if / else if / else as a statement, branching on the primal value; the
        // result variable starts as a constant.
        #[jvp]
        #[vjp]
        fn piecewise_stmt(x: $F) -> $F {
            let mut y = 0.0;
            if x < -1.0 {
                y = -x * x;
            } else if x < 1.0 {
                y = x.sin();
            } else {
                y += x.ln() + 2.0 * x;
            }
            y
        }

        fn piecewise_d(x: $F) -> $F {
            if x < -1.0 {
                -2.0 * x
            } else if x < 1.0 {
                x.cos()
            } else {
                1.0 / x + 2.0
            }
        }

        #[test]
        fn piecewise_stmt_matches() {
            for &x in &[-2.5, -1.2, -0.5, 0.0, 0.7, 1.3, 4.0] {
                let (v, t) = piecewise_stmt_jvp(x, 1.0);
                assert_eq!(v, piecewise_stmt(x));
                check(t, piecewise_d(x), fd(|s| piecewise_stmt(x + s)));
                let (_, t2) = piecewise_stmt_jvp(x, -2.5);
                check(
                    t2,
                    -2.5 * piecewise_d(x),
                    fd(|s| piecewise_stmt(x - 2.5 * s)),
                );
            }
        }

        #[test]
        fn piecewise_stmt_reverse() {
            for (i, &x) in [-2.5, -1.2, -0.5, 0.0, 0.7, 1.3, 4.0].iter().enumerate() {
                rev_dot!(piecewise_stmt, piecewise_stmt_jvp, piecewise_stmt_vjp, i as u64; val x);
                check_exact(rev_grad!(piecewise_stmt_vjp; val x), piecewise_d(x));
            }
        }

        // if / else if / else as an expression (value of a let and tail).
        #[jvp]
        #[vjp]
        fn piecewise_expr(x: $F, y: $F) -> $F {
            let d = if x > y {
                x - y
            } else if x * y > 1.0 {
                x * y
            } else {
                y * y + x
            };
            if d > 2.0 {
                d.sqrt()
            } else {
                d * 0.5
            }
        }

        fn piecewise_expr_grad(x: $F, y: $F) -> ($F, $F, $F) {
            let (d, dx, dy) = if x > y {
                (x - y, 1.0, -1.0)
            } else if x * y > 1.0 {
                (x * y, y, x)
            } else {
                (y * y + x, 1.0, 2.0 * y)
            };
            if d > 2.0 {
                let k = 0.5 / d.sqrt();
                (d.sqrt(), k * dx, k * dy)
            } else {
                (d * 0.5, 0.5 * dx, 0.5 * dy)
            }
        }

        #[test]
        fn piecewise_expr_matches() {
            // Covers all 3 x 2 branch combinations that are reachable.
            let pts = [
                (3.0, 0.2),
                (1.5, 1.0),
                (1.2, 2.5),
                (0.9, 1.5),
                (0.3, 0.8),
                (-1.0, 2.0),
            ];
            for &(x, y) in &pts {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.45, -0.7)] {
                    let (v, t) = piecewise_expr_jvp(x, dx, y, dy);
                    assert_eq!(v, piecewise_expr(x, y));
                    let (_, gx, gy) = piecewise_expr_grad(x, y);
                    check(
                        t,
                        gx * dx + gy * dy,
                        fd(|s| piecewise_expr(x + s * dx, y + s * dy)),
                    );
                }
            }
        }

        #[test]
        fn piecewise_expr_reverse() {
            let pts = [
                (3.0, 0.2),
                (1.5, 1.0),
                (1.2, 2.5),
                (0.9, 1.5),
                (0.3, 0.8),
                (-1.0, 2.0),
            ];
            for (i, &(x, y)) in pts.iter().enumerate() {
                rev_dot!(piecewise_expr, piecewise_expr_jvp, piecewise_expr_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(piecewise_expr_vjp; val x, val y);
                let (_, ex, ey) = piecewise_expr_grad(x, y);
                check_exact(gx, ex);
                check_exact(gy, ey);
            }
        }

        // if without else, used for an early return.
        #[jvp]
        #[vjp]
        fn early_return_if(x: $F) -> $F {
            if x < 0.0 {
                return -x * 3.0;
            }
            let y = x * x;
            if y > 4.0 {
                return y.ln();
            }
            y + x
        }

        #[test]
        fn early_return_if_matches() {
            for &x in &[-1.5, -0.3, 0.4, 1.9, 2.5, 7.0] {
                let (v, t) = early_return_if_jvp(x, 1.0);
                assert_eq!(v, early_return_if(x));
                let exact = if x < 0.0 {
                    -3.0
                } else if x * x > 4.0 {
                    2.0 / x
                } else {
                    2.0 * x + 1.0
                };
                check(t, exact, fd(|s| early_return_if(x + s)));
            }
        }

        #[test]
        fn early_return_if_reverse() {
            for (i, &x) in [-1.5, -0.3, 0.4, 1.9, 2.5, 7.0].iter().enumerate() {
                rev_dot!(early_return_if, early_return_if_jvp, early_return_if_vjp, i as u64; val x);
                let exact = if x < 0.0 {
                    -3.0
                } else if x * x > 4.0 {
                    2.0 / x
                } else {
                    2.0 * x + 1.0
                };
                check_exact(rev_grad!(early_return_if_vjp; val x), exact);
            }
        }

        // match on an integer constant, as an expression, with or-patterns and a
        // wildcard.
        #[jvp]
        #[vjp]
        fn match_int_expr(x: $F, k: u32) -> $F {
            match k {
                0 => x,
                1 => x * x,
                2 | 3 => x.sin() * k as $F,
                _ => (x / k as $F).exp(),
            }
        }

        #[test]
        fn match_int_expr_matches() {
            for &x in &[0.3, -1.1] {
                for k in 0..6u32 {
                    let (v, t) = match_int_expr_jvp(x, 0.8, k);
                    assert_eq!(v, match_int_expr(x, k));
                    let kf = k as $F;
                    let d = match k {
                        0 => 1.0,
                        1 => 2.0 * x,
                        2 | 3 => x.cos() * kf,
                        _ => (x / kf).exp() / kf,
                    };
                    check(t, 0.8 * d, fd(|s| match_int_expr(x + 0.8 * s, k)));
                }
            }
        }

        #[test]
        fn match_int_expr_reverse() {
            for &x in &[0.3, -1.1] {
                for k in 0..6u32 {
                    rev_dot!(match_int_expr, match_int_expr_jvp, match_int_expr_vjp, k as u64; val x, c k);
                    let kf = k as $F;
                    let d = match k {
                        0 => 1.0,
                        1 => 2.0 * x,
                        2 | 3 => x.cos() * kf,
                        _ => (x / kf).exp() / kf,
                    };
                    check_exact(rev_grad!(match_int_expr_vjp; val x, c k), d);
                }
            }
        }

        // match as a statement whose arms assign / compound-assign.
        #[jvp]
        #[vjp]
        fn match_int_stmt(x: $F, y: $F, mode: i32) -> $F {
            let mut acc = x;
            match mode {
                -1 => {
                    acc -= y;
                }
                0 => acc *= y,
                1 => {
                    acc = acc * acc;
                    acc += y;
                }
                _ => {}
            }
            acc * 2.0
        }

        #[test]
        fn match_int_stmt_matches() {
            let (x, y) = (0.6, -1.4);
            for mode in -2..3 {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.3, 0.9)] {
                    let (v, t) = match_int_stmt_jvp(x, dx, y, dy, mode);
                    assert_eq!(v, match_int_stmt(x, y, mode));
                    let d = match mode {
                        -1 => dx - dy,
                        0 => dx * y + x * dy,
                        1 => 2.0 * x * dx + dy,
                        _ => dx,
                    };
                    check(
                        t,
                        2.0 * d,
                        fd(|s| match_int_stmt(x + s * dx, y + s * dy, mode)),
                    );
                }
            }
        }

        #[test]
        fn match_int_stmt_reverse() {
            for &(x, y) in &[(0.6, -1.4), (-1.3, 0.45)] {
                for mode in -2..3 {
                    rev_dot!(match_int_stmt, match_int_stmt_jvp, match_int_stmt_vjp, mode as u64; val x, val y, c mode);
                    let (gx, gy) = rev_grad!(match_int_stmt_vjp; val x, val y, c mode);
                    let (ex, ey) = match mode {
                        -1 => (1.0, -1.0),
                        0 => (y, x),
                        1 => (2.0 * x, 1.0),
                        _ => (1.0, 0.0),
                    };
                    check_exact(gx, 2.0 * ex);
                    check_exact(gy, 2.0 * ey);
                }
            }
        }

        // match on booleans: a constant flag and a primal comparison.
        #[jvp]
        #[vjp]
        fn match_bool(x: $F, flag: bool) -> $F {
            let base = match flag {
                true => x.exp(),
                false => x.cos(),
            };
            match base > 1.0 {
                true => base * x,
                false => base - x,
            }
        }

        #[test]
        fn match_bool_matches() {
            for &x in &[-0.8, 0.4, 1.3] {
                for flag in [true, false] {
                    let (v, t) = match_bool_jvp(x, 1.0, flag);
                    assert_eq!(v, match_bool(x, flag));
                    let (b, db) = if flag {
                        (x.exp(), x.exp())
                    } else {
                        (x.cos(), -x.sin())
                    };
                    let exact = if b > 1.0 { db * x + b } else { db - 1.0 };
                    check(t, exact, fd(|s| match_bool(x + s, flag)));
                }
            }
        }

        #[test]
        fn match_bool_reverse() {
            for &x in &[-0.8, 0.4, 1.3] {
                for flag in [true, false] {
                    rev_dot!(match_bool, match_bool_jvp, match_bool_vjp, flag as u64; val x, c flag);
                    let (b, db) = if flag {
                        (x.exp(), x.exp())
                    } else {
                        (x.cos(), -x.sin())
                    };
                    let exact = if b > 1.0 { db * x + b } else { db - 1.0 };
                    check_exact(rev_grad!(match_bool_vjp; val x, c flag), exact);
                }
            }
        }

        // match on integer ranges (inclusive and half-open patterns).
        #[jvp]
        #[vjp]
        fn match_range(x: $F, n: usize) -> $F {
            let w = match n {
                0..=2 => x,
                3..=5 => x * x * 0.5,
                6.. => x.tanh(),
            };
            w + match n % 4 {
                0 | 1 => 1.0,
                _ => x,
            }
        }

        #[test]
        fn match_range_matches() {
            for &x in &[0.35, -0.9] {
                for n in 0..9usize {
                    let (v, t) = match_range_jvp(x, 1.0, n);
                    assert_eq!(v, match_range(x, n));
                    let dw = match n {
                        0..=2 => 1.0,
                        3..=5 => x,
                        _ => 1.0 - x.tanh() * x.tanh(),
                    };
                    let d2 = if n % 4 < 2 { 0.0 } else { 1.0 };
                    check(t, dw + d2, fd(|s| match_range(x + s, n)));
                }
            }
        }

        #[test]
        fn match_range_reverse() {
            for &x in &[0.35, -0.9] {
                for n in 0..9usize {
                    rev_dot!(match_range, match_range_jvp, match_range_vjp, n as u64; val x, c n);
                    let dw = match n {
                        0..=2 => 1.0,
                        3..=5 => x,
                        _ => 1.0 - x.tanh() * x.tanh(),
                    };
                    let d2 = if n % 4 < 2 { 0.0 } else { 1.0 };
                    check_exact(rev_grad!(match_range_vjp; val x, c n), dw + d2);
                }
            }
        }

        // match with a guard on a primal comparison (goes slightly beyond the
        // listed patterns, but is ordinary Rust).
        #[jvp]
        #[vjp]
        fn match_guard(x: $F, k: i32) -> $F {
            match k {
                0 => x * 2.0,
                _ if x > 1.0 => x.ln() * k as $F,
                _ => x * x * k as $F,
            }
        }

        #[test]
        fn match_guard_matches() {
            for &x in &[0.5, 2.0] {
                for k in [0, 1, 3] {
                    let (v, t) = match_guard_jvp(x, 1.0, k);
                    assert_eq!(v, match_guard(x, k));
                    let kf = k as $F;
                    let exact = if k == 0 {
                        2.0
                    } else if x > 1.0 {
                        kf / x
                    } else {
                        2.0 * x * kf
                    };
                    check(t, exact, fd(|s| match_guard(x + s, k)));
                }
            }
        }

        #[test]
        fn match_guard_reverse() {
            for &x in &[0.5, 2.0] {
                for k in [0, 1, 3] {
                    rev_dot!(match_guard, match_guard_jvp, match_guard_vjp, k as u64; val x, c k);
                    let kf = k as $F;
                    let exact = if k == 0 {
                        2.0
                    } else if x > 1.0 {
                        kf / x
                    } else {
                        2.0 * x * kf
                    };
                    check_exact(rev_grad!(match_guard_vjp; val x, c k), exact);
                }
            }
        }

        // Nested branching: if inside match inside if, with comparisons between
        // two active values, the classical "smooth max of three" style code.
        #[jvp]
        #[vjp]
        fn max3_soft(a: $F, b: $F, c: $F, mode: u8) -> $F {
            let m = if a >= b {
                if a >= c {
                    a
                } else {
                    c
                }
            } else if b >= c {
                b
            } else {
                c
            };
            match mode {
                0 => m,
                _ => {
                    let s = (a - m).exp() + (b - m).exp() + (c - m).exp();
                    if mode == 1 {
                        m + s.ln()
                    } else {
                        s
                    }
                }
            }
        }

        #[test]
        fn max3_soft_matches() {
            let pts = [
                (1.0, 0.2, -0.5),
                (0.1, 1.5, 0.7),
                (-0.3, 0.4, 2.2),
                (0.9, 0.2, 1.4),
            ];
            for &(a, b, c) in &pts {
                for mode in 0..3u8 {
                    for &(da, db, dc) in &[
                        (1.0, 0.0, 0.0),
                        (0.0, 1.0, 0.0),
                        (0.0, 0.0, 1.0),
                        (0.5, -0.3, 0.8),
                    ] {
                        let (v, t) = max3_soft_jvp(a, da, b, db, c, dc, mode);
                        assert_eq!(v, max3_soft(a, b, c, mode));
                        let (m, dm) = if a >= b && a >= c {
                            (a, da)
                        } else if b >= c && b > a {
                            (b, db)
                        } else {
                            (c, dc)
                        };
                        let (ea, eb, ec) = ((a - m).exp(), (b - m).exp(), (c - m).exp());
                        let s = ea + eb + ec;
                        let ds = ea * (da - dm) + eb * (db - dm) + ec * (dc - dm);
                        let exact = match mode {
                            0 => dm,
                            1 => dm + ds / s,
                            _ => ds,
                        };
                        check(
                            t,
                            exact,
                            fd(|h| max3_soft(a + h * da, b + h * db, c + h * dc, mode)),
                        );
                    }
                }
            }
        }

        #[test]
        fn max3_soft_reverse() {
            let pts = [
                (1.0, 0.2, -0.5),
                (0.1, 1.5, 0.7),
                (-0.3, 0.4, 2.2),
                (0.9, 0.2, 1.4),
            ];
            for &(a, b, c) in &pts {
                for mode in 0..3u8 {
                    rev_dot!(max3_soft, max3_soft_jvp, max3_soft_vjp, mode as u64; val a, val b, val c, c mode);
                    let (ga, gb, gc) = rev_grad!(max3_soft_vjp; val a, val b, val c, c mode);
                    // d/d(a, b, c) of m and of s = Σ exp(· - m).
                    let im = if a >= b && a >= c {
                        0
                    } else if b >= c && b > a {
                        1
                    } else {
                        2
                    };
                    let m = [a, b, c][im];
                    let e = [(a - m).exp(), (b - m).exp(), (c - m).exp()];
                    let s = e[0] + e[1] + e[2];
                    let dm = |j: usize| if j == im { 1.0 } else { 0.0 };
                    let ds = |j: usize| e[j] - s * dm(j);
                    let exact = |j: usize| match mode {
                        0 => dm(j),
                        1 => dm(j) + ds(j) / s,
                        _ => ds(j),
                    };
                    check_exact(ga, exact(0));
                    check_exact(gb, exact(1));
                    check_exact(gc, exact(2));
                }
            }
        }

        // Branch whose condition involves an active computation and an integer
        // constant, with different active variables assigned in each arm.
        #[jvp]
        #[vjp]
        fn huber(r: $F, delta: $F) -> $F {
            let a = r.abs();
            if a <= delta {
                0.5 * r * r
            } else {
                delta * (a - 0.5 * delta)
            }
        }

        #[test]
        fn huber_matches() {
            for &(r, delta) in &[(0.3, 1.0), (-0.6, 1.0), (2.5, 1.0), (-3.0, 1.5)] {
                for &(dr, dd) in &[(1.0, 0.0), (0.0, 1.0), (-0.4, 0.6)] {
                    let (v, t) = huber_jvp(r, dr, delta, dd);
                    assert_eq!(v, huber(r, delta));
                    let exact = if r.abs() <= delta {
                        r * dr
                    } else {
                        let sg = r.signum();
                        dd * (r.abs() - delta) + delta * sg * dr
                    };
                    check(t, exact, fd(|s| huber(r + s * dr, delta + s * dd)));
                }
            }
        }

        #[test]
        fn huber_reverse() {
            for (i, &(r, delta)) in [(0.3, 1.0), (-0.6, 1.0), (2.5, 1.0), (-3.0, 1.5)]
                .iter()
                .enumerate()
            {
                rev_dot!(huber, huber_jvp, huber_vjp, i as u64; val r, val delta);
                let (gr, gd) = rev_grad!(huber_vjp; val r, val delta);
                if r.abs() <= delta {
                    check_exact(gr, r);
                    check_exact(gd, 0.0);
                } else {
                    check_exact(gr, delta * r.signum());
                    check_exact(gd, r.abs() - delta);
                }
            }
        }
        // Early `return` from inside a match arm (in expression position) and
        // from inside a block expression.
        #[jvp]
        #[vjp]
        fn return_in_arms(x: $F, k: u8) -> $F {
            let y = match k {
                0 => return x * 4.0,
                1 => x.exp(),
                _ => {
                    if x > 1.0 {
                        return x.sqrt();
                    }
                    x * x
                }
            };
            let z = {
                if y > 3.0 {
                    return -y;
                }
                y * x
            };
            z + 1.0
        }

        #[test]
        fn return_in_arms_matches() {
            for &x in &[0.5, 1.5, -0.6] {
                for k in 0..3u8 {
                    let (v, t) = return_in_arms_jvp(x, 1.0, k);
                    assert_eq!(v, return_in_arms(x, k));
                    let exact = match k {
                        0 => 4.0,
                        1 => {
                            let y = x.exp();
                            if y > 3.0 {
                                -y
                            } else {
                                y * x + y
                            }
                        }
                        _ => {
                            if x > 1.0 {
                                0.5 / x.sqrt()
                            } else {
                                3.0 * x * x
                            }
                        }
                    };
                    check(t, exact, fd(|s| return_in_arms(x + s, k)));
                }
            }
        }

        #[test]
        fn return_in_arms_reverse() {
            for &x in &[0.5, 1.5, -0.6] {
                for k in 0..3u8 {
                    rev_dot!(return_in_arms, return_in_arms_jvp, return_in_arms_vjp, k as u64; val x, c k);
                    let exact = match k {
                        0 => 4.0,
                        1 => {
                            let y = x.exp();
                            if y > 3.0 {
                                -y
                            } else {
                                y * x + y
                            }
                        }
                        _ => {
                            if x > 1.0 {
                                0.5 / x.sqrt()
                            } else {
                                3.0 * x * x
                            }
                        }
                    };
                    check_exact(rev_grad!(return_in_arms_vjp; val x, c k), exact);
                }
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

//! `let`, `let mut`, `mut` parameters, shadowing, reassignment, compound
//! assignment, tuples and destructuring, block expressions.

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

        // f = 3x² - x + x³ + 1
        #[jvp]
        #[vjp]
        fn let_shadow_reassign(x: $F) -> $F {
            let a = x * x;
            let mut b = 3.0 * a;
            b = b - x;
            let a = a * x;
            b + a + 1.0
        }

        #[test]
        fn let_shadow_reassign_matches() {
            for &x in &[0.3, -1.7, 2.2] {
                for &dx in &[1.0, -0.6] {
                    let (v, t) = let_shadow_reassign_jvp(x, dx);
                    assert_eq!(v, let_shadow_reassign(x));
                    let exact = (6.0 * x - 1.0 + 3.0 * x * x) * dx;
                    check(t, exact, fd(|s| let_shadow_reassign(x + s * dx)));
                }
            }
        }

        #[test]
        fn let_shadow_reassign_reverse() {
            for (i, &x) in [0.3, -1.7, 2.2].iter().enumerate() {
                rev_dot!(let_shadow_reassign, let_shadow_reassign_jvp, let_shadow_reassign_vjp, i as u64; val x);
                let gx = rev_grad!(let_shadow_reassign_vjp; val x);
                check_exact(gx, 6.0 * x - 1.0 + 3.0 * x * x);
            }
        }

        // s = (x² + xy - y²) / y
        #[jvp]
        #[vjp]
        fn compound_assign(x: $F, y: $F) -> $F {
            let mut s = x;
            s += y;
            s *= x;
            s -= y * y;
            s /= y;
            s
        }

        #[test]
        fn compound_assign_matches() {
            for &(x, y) in &[(0.7, 1.3), (-2.0, 0.5), (1.1, -0.9)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.37, -0.81)] {
                    let (v, t) = compound_assign_jvp(x, dx, y, dy);
                    assert_eq!(v, compound_assign(x, y));
                    let g = x * x + x * y - y * y;
                    let fx = (2.0 * x + y) / y;
                    let fy = ((x - 2.0 * y) * y - g) / (y * y);
                    check(
                        t,
                        fx * dx + fy * dy,
                        fd(|s| compound_assign(x + s * dx, y + s * dy)),
                    );
                }
            }
        }

        #[test]
        fn compound_assign_reverse() {
            for (i, &(x, y)) in [(0.7, 1.3), (-2.0, 0.5), (1.1, -0.9)].iter().enumerate() {
                rev_dot!(compound_assign, compound_assign_jvp, compound_assign_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(compound_assign_vjp; val x, val y);
                let g = x * x + x * y - y * y;
                check_exact(gx, (2.0 * x + y) / y);
                check_exact(gy, ((x - 2.0 * y) * y - g) / (y * y));
            }
        }

        // Compound assignment with an active right-hand side onto a variable that
        // started as a constant.
        #[jvp]
        #[vjp]
        fn compound_from_constant(x: $F, y: $F) -> $F {
            let mut acc = 1.0;
            acc *= x;
            acc += 2.0;
            acc -= y;
            acc /= 4.0;
            let mut p = 10.0;
            p -= acc;
            p * acc
        }

        #[test]
        fn compound_from_constant_matches() {
            for &(x, y) in &[(0.7, 1.3), (-2.0, 0.5)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (-0.4, 0.9)] {
                    let (v, t) = compound_from_constant_jvp(x, dx, y, dy);
                    assert_eq!(v, compound_from_constant(x, y));
                    let acc = (x + 2.0 - y) / 4.0;
                    let dacc = (dx - dy) / 4.0;
                    let exact = (10.0 - 2.0 * acc) * dacc;
                    check(
                        t,
                        exact,
                        fd(|s| compound_from_constant(x + s * dx, y + s * dy)),
                    );
                }
            }
        }

        #[test]
        fn compound_from_constant_reverse() {
            for (i, &(x, y)) in [(0.7, 1.3), (-2.0, 0.5)].iter().enumerate() {
                rev_dot!(compound_from_constant, compound_from_constant_jvp, compound_from_constant_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(compound_from_constant_vjp; val x, val y);
                let acc = (x + 2.0 - y) / 4.0;
                check_exact(gx, (10.0 - 2.0 * acc) / 4.0);
                check_exact(gy, -(10.0 - 2.0 * acc) / 4.0);
            }
        }

        // mut parameters (active and constant).
        #[jvp]
        #[vjp]
        fn mut_params(mut x: $F, mut n: u32) -> $F {
            x *= 2.0;
            n += 1;
            x + x.powi(n as i32)
        }

        #[test]
        fn mut_params_matches() {
            for &x in &[0.3, -0.8, 1.2] {
                for n in 0..4u32 {
                    let (v, t) = mut_params_jvp(x, 0.7, n);
                    assert_eq!(v, mut_params(x, n));
                    let exact = (2.0 + (n as $F + 1.0) * (2.0 * x).powi(n as i32) * 2.0) * 0.7;
                    check(t, exact, fd(|s| mut_params(x + s * 0.7, n)));
                }
            }
        }

        #[test]
        fn mut_params_reverse() {
            for &x in &[0.3, -0.8, 1.2] {
                for n in 0..4u32 {
                    rev_dot!(mut_params, mut_params_jvp, mut_params_vjp, n as u64; val x, c n);
                    let gx = rev_grad!(mut_params_vjp; val x, c n);
                    check_exact(gx, 2.0 + (n as $F + 1.0) * (2.0 * x).powi(n as i32) * 2.0);
                }
            }
        }

        // Type annotations, deferred initialisation, unary minus, parentheses,
        // an ignored binding and a constant local.
        #[jvp]
        #[vjp]
        fn annotated_and_deferred(x: $F, k: i32) -> $F {
            let y: $F;
            y = -(x * 3.0);
            let _unused = y * y;
            let c: $F = k as $F;
            let z: $F = (y - c) * (x + 1.0);
            z
        }

        #[test]
        fn annotated_and_deferred_matches() {
            for &x in &[0.25, -1.5] {
                for k in [-2, 0, 3] {
                    let (v, t) = annotated_and_deferred_jvp(x, 1.0, k);
                    assert_eq!(v, annotated_and_deferred(x, k));
                    // z = (-3x - k)(x + 1) ; z' = -3(x + 1) + (-3x - k)
                    let exact = -3.0 * (x + 1.0) + (-3.0 * x - k as $F);
                    check(t, exact, fd(|s| annotated_and_deferred(x + s, k)));
                }
            }
        }

        #[test]
        fn annotated_and_deferred_reverse() {
            for &x in &[0.25, -1.5] {
                for k in [-2, 0, 3] {
                    rev_dot!(annotated_and_deferred, annotated_and_deferred_jvp, annotated_and_deferred_vjp, k as u64; val x, c k);
                    let gx = rev_grad!(annotated_and_deferred_vjp; val x, c k);
                    check_exact(gx, -3.0 * (x + 1.0) + (-3.0 * x - k as $F));
                }
            }
        }

        // Tuples: construction, field access, destructuring (with mut), nesting.
        #[jvp]
        #[vjp]
        fn tuples(r: $F, theta: $F) -> $F {
            let (c, s) = (theta.cos(), theta.sin());
            let p = (r * c, r * s);
            let (px, py) = p;
            let t = (px, 2.0, py);
            let ((a, b), (mut m, _)) = ((t.0, t.2), (p.1, 5.0));
            m *= a;
            t.0 * t.2 + t.1 * p.1 + m - b
        }

        #[test]
        fn tuples_matches() {
            for &(r, th) in &[(1.5, 0.4), (0.8, -2.1), (2.0, 2.8)] {
                for &(dr, dth) in &[(1.0, 0.0), (0.0, 1.0), (0.6, -0.3)] {
                    let (v, t) = tuples_jvp(r, dr, th, dth);
                    assert_eq!(v, tuples(r, th));
                    // f = 2 r² c s + 2 r s - r s
                    //   = r² sin(2θ) + r sin θ
                    let fr = 2.0 * r * (2.0 * th).sin() + th.sin();
                    let fth = 2.0 * r * r * (2.0 * th).cos() + r * th.cos();
                    check(
                        t,
                        fr * dr + fth * dth,
                        fd(|s| tuples(r + s * dr, th + s * dth)),
                    );
                }
            }
        }

        #[test]
        fn tuples_reverse() {
            for (i, &(r, theta)) in [(1.5, 0.4), (0.8, -2.1), (2.0, 2.8)].iter().enumerate() {
                rev_dot!(tuples, tuples_jvp, tuples_vjp, i as u64; val r, val theta);
                let (gr, gth) = rev_grad!(tuples_vjp; val r, val theta);
                check_exact(gr, 2.0 * r * (2.0 * theta).sin() + theta.sin());
                check_exact(gth, 2.0 * r * r * (2.0 * theta).cos() + r * theta.cos());
            }
        }

        // Destructuring assignment of a tuple inside a loop (a Fibonacci-like
        // recurrence): b_n = F(n) x + F(n+1) y.
        #[jvp]
        #[vjp]
        fn tuple_reassign(x: $F, y: $F, n: usize) -> $F {
            let (mut a, mut b) = (x, y);
            for _ in 0..n {
                (a, b) = (b, a + b);
            }
            b
        }

        fn fib(n: usize) -> $F {
            let (mut a, mut b) = (0.0, 1.0);
            for _ in 0..n {
                (a, b) = (b, a + b);
            }
            a
        }

        #[test]
        fn tuple_reassign_matches() {
            for n in [0usize, 1, 2, 7] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.3, 0.45)] {
                    let (x, y) = (0.4, -1.1);
                    let (v, t) = tuple_reassign_jvp(x, dx, y, dy, n);
                    assert_eq!(v, tuple_reassign(x, y, n));
                    let exact = fib(n) * dx + fib(n + 1) * dy;
                    check(t, exact, fd(|s| tuple_reassign(x + s * dx, y + s * dy, n)));
                }
            }
        }

        #[test]
        fn tuple_reassign_reverse() {
            for n in [0usize, 1, 2, 7] {
                let (x, y) = (0.4, -1.1);
                rev_dot!(tuple_reassign, tuple_reassign_jvp, tuple_reassign_vjp, n as u64; val x, val y, c n);
                let (gx, gy) = rev_grad!(tuple_reassign_vjp; val x, val y, c n);
                check_exact(gx, fib(n));
                check_exact(gy, fib(n + 1));
            }
        }

        // Block expressions, including shadowing inside a block.
        #[jvp]
        #[vjp]
        fn blocks(x: $F, y: $F) -> $F {
            let a = {
                let t = x * y;
                t + x
            };
            let b = {
                let x = a * 2.0;
                x - y
            };
            {
                a * b
            }
        }

        #[test]
        fn blocks_matches() {
            for &(x, y) in &[(0.9, 1.4), (-1.2, 0.3)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (-0.7, 0.2)] {
                    let (v, t) = blocks_jvp(x, dx, y, dy);
                    assert_eq!(v, blocks(x, y));
                    let a = x * y + x;
                    let da = (y + 1.0) * dx + x * dy;
                    // f = a (2a - y)
                    let exact = (4.0 * a - y) * da - a * dy;
                    check(t, exact, fd(|s| blocks(x + s * dx, y + s * dy)));
                }
            }
        }

        #[test]
        fn blocks_reverse() {
            for (i, &(x, y)) in [(0.9, 1.4), (-1.2, 0.3)].iter().enumerate() {
                rev_dot!(blocks, blocks_jvp, blocks_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(blocks_vjp; val x, val y);
                let a = x * y + x;
                check_exact(gx, (4.0 * a - y) * (y + 1.0));
                check_exact(gy, (4.0 * a - y) * x - a);
            }
        }

        // Shadowing changes a name from constant to active and back.
        #[jvp]
        #[vjp]
        fn shadow_activity(x: $F, n: usize) -> $F {
            let v = n as $F;
            let w = v * 2.0;
            let v = x * w;
            let v = v.exp() + v;
            let w = 3.0;
            v * w
        }

        #[test]
        fn shadow_activity_matches() {
            for &x in &[0.1, -0.35] {
                for n in [0usize, 1, 2] {
                    let (v, t) = shadow_activity_jvp(x, 1.0, n);
                    assert_eq!(v, shadow_activity(x, n));
                    let w = 2.0 * n as $F;
                    let exact = 3.0 * ((x * w).exp() * w + w);
                    check(t, exact, fd(|s| shadow_activity(x + s, n)));
                }
            }
        }

        #[test]
        fn shadow_activity_reverse() {
            for &x in &[0.1, -0.35] {
                for n in [0usize, 1, 2] {
                    rev_dot!(shadow_activity, shadow_activity_jvp, shadow_activity_vjp, n as u64; val x, c n);
                    let gx = rev_grad!(shadow_activity_vjp; val x, c n);
                    let w = 2.0 * n as $F;
                    check_exact(gx, 3.0 * ((x * w).exp() * w + w));
                }
            }
        }

        // A variable that starts constant and becomes active by reassignment,
        // plus a mut variable reassigned from itself many times.
        #[jvp]
        #[vjp]
        fn becomes_active(x: $F) -> $F {
            let mut y = 2.0;
            let z = y * 3.0;
            y = y * x;
            let mut q = y;
            q = q * q + z;
            q = q - y;
            q
        }

        #[test]
        fn becomes_active_matches() {
            for &x in &[0.5, -1.25, 3.0] {
                let (v, t) = becomes_active_jvp(x, 1.0);
                assert_eq!(v, becomes_active(x));
                // q = 4x² + 6 - 2x
                check(t, 8.0 * x - 2.0, fd(|s| becomes_active(x + s)));
            }
        }

        #[test]
        fn becomes_active_reverse() {
            for (i, &x) in [0.5, -1.25, 3.0].iter().enumerate() {
                rev_dot!(becomes_active, becomes_active_jvp, becomes_active_vjp, i as u64; val x);
                check_exact(rev_grad!(becomes_active_vjp; val x), 8.0 * x - 2.0);
            }
        }

        // Unit test of a "realistic" scalar formula: the logistic loss with a
        // numerically stable branch-free formulation and intermediate lets.
        #[jvp]
        #[vjp]
        fn log_loss(w: $F, b: $F, x: $F, label: $F) -> $F {
            let z = w * x + b;
            let m = z.max(0.0);
            let log1pexp = m + ((-m).exp() + (z - m).exp()).ln();
            log1pexp - label * z
        }

        #[test]
        fn log_loss_matches() {
            for &(w, b, x, label) in &[
                (0.5, -0.2, 1.5, 1.0),
                (-1.3, 0.4, 0.7, 0.0),
                (2.0, 1.0, -3.0, 1.0),
            ] {
                for &(dw, db, dx) in &[
                    (1.0, 0.0, 0.0),
                    (0.0, 1.0, 0.0),
                    (0.0, 0.0, 1.0),
                    (0.2, -0.5, 0.8),
                ] {
                    let (v, t) = log_loss_jvp(w, dw, b, db, x, dx, label, 0.0);
                    assert_eq!(v, log_loss(w, b, x, label));
                    let z = w * x + b;
                    let sig = 1.0 / (1.0 + (-z).exp());
                    let dz = dw * x + w * dx + db;
                    check(
                        t,
                        (sig - label) * dz,
                        fd(|s| log_loss(w + s * dw, b + s * db, x + s * dx, label)),
                    );
                }
            }
        }

        #[test]
        fn log_loss_reverse() {
            for (i, &(w, b, x, label)) in [
                (0.5, -0.2, 1.5, 1.0),
                (-1.3, 0.4, 0.7, 0.0),
                (2.0, 1.0, -3.0, 1.0),
            ]
            .iter()
            .enumerate()
            {
                rev_dot!(log_loss, log_loss_jvp, log_loss_vjp, i as u64; val w, val b, val x, val label);
                let (gw, gb, gx, gl) = rev_grad!(log_loss_vjp; val w, val b, val x, val label);
                let z = w * x + b;
                let sig = 1.0 / (1.0 + (-z).exp());
                check_exact(gw, (sig - label) * x);
                check_exact(gb, sig - label);
                check_exact(gx, (sig - label) * w);
                check_exact(gl, -z);
            }
        }

        // Mutable tuple fields: compound assignment to `t.0` / `t.1`.
        #[jvp]
        #[vjp]
        fn tuple_fields(x: $F, y: $F) -> $F {
            let mut t = (x, 0.0, 3);
            t.1 += t.0 * 2.0;
            t.0 *= y;
            t.1 = t.1 - t.0;
            t.0 + t.1 * t.2 as $F
        }

        #[test]
        fn tuple_fields_matches() {
            for &(x, y) in &[(0.6, 1.4), (-1.1, 0.2)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.25, -0.5)] {
                    let (v, t) = tuple_fields_jvp(x, dx, y, dy);
                    assert_eq!(v, tuple_fields(x, y));
                    // t0 = xy, t1 = 2x - xy ; f = xy + 3 (2x - xy) = 6x - 2xy
                    let exact = (6.0 - 2.0 * y) * dx - 2.0 * x * dy;
                    check(t, exact, fd(|s| tuple_fields(x + s * dx, y + s * dy)));
                }
            }
        }

        #[test]
        fn tuple_fields_reverse() {
            for (i, &(x, y)) in [(0.6, 1.4), (-1.1, 0.2)].iter().enumerate() {
                rev_dot!(tuple_fields, tuple_fields_jvp, tuple_fields_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(tuple_fields_vjp; val x, val y);
                check_exact(gx, 6.0 - 2.0 * y);
                check_exact(gy, -2.0 * x);
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

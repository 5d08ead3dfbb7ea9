//! `while` (including conditions that contain blocks or side effects),
//! `loop` with `break`, `continue`, `break value`, early `return` from inside
//! loops, nested loops and labelled `break` / `continue`.

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

        // Plain counting while loop over a slice.
        #[jvp]
        #[vjp]
        fn while_index(x: &[$F], c: $F) -> $F {
            let mut i = 0;
            let mut s = 0.0;
            while i < x.len() {
                s += c * x[i] * x[i];
                i += 1;
            }
            s
        }

        #[test]
        fn while_index_matches() {
            let x = rand_vec(1, 6, -1.5, 1.5);
            let c = 0.7;
            for (k, u) in dirs(6, 1).into_iter().enumerate() {
                let dc = if k % 3 == 0 { 0.9 } else { 0.0 };
                let (v, t) = while_index_jvp(&x, &u, c, dc);
                assert_eq!(v, while_index(&x, c));
                let exact: $F = (0..6)
                    .map(|i| dc * x[i] * x[i] + 2.0 * c * x[i] * u[i])
                    .sum();
                check(t, exact, fd(|s| while_index(&axpy(&x, s, &u), c + s * dc)));
            }
        }

        #[test]
        fn while_index_reverse() {
            for (k, n) in [0usize, 1, 6].into_iter().enumerate() {
                let x = rand_vec(1 + k as u64, n, -1.5, 1.5);
                let c = 0.7;
                rev_dot!(while_index, while_index_jvp, while_index_vjp, k as u64; rf x, val c);
                let (gx, gc) = rev_grad!(while_index_vjp; rf x, val c);
                check_exact_vec(&gx, &x.iter().map(|a| 2.0 * c * a).collect::<Vec<_>>());
                check_exact(gc, x.iter().map(|a| a * a).sum());
            }
        }

        // Data-dependent while loop on a primal value (range reduction).
        #[jvp]
        #[vjp]
        fn range_reduce(mut x: $F) -> $F {
            let mut k = 0;
            while x > 2.0 {
                x *= 0.5;
                k += 1;
            }
            x * x + k as $F
        }

        #[test]
        fn range_reduce_matches() {
            for &x in &[0.7, 3.1, 5.0, 100.0] {
                let (v, t) = range_reduce_jvp(x, 1.0);
                assert_eq!(v, range_reduce(x));
                let mut k = 0;
                let mut y = x;
                while y > 2.0 {
                    y *= 0.5;
                    k += 1;
                }
                let exact = 2.0 * x * (0.25 as $F).powi(k);
                check(t, exact, fd(|s| range_reduce(x + s)));
            }
        }

        #[test]
        fn range_reduce_reverse() {
            for (i, &x) in [0.7, 3.1, 5.0, 100.0].iter().enumerate() {
                rev_dot!(range_reduce, range_reduce_jvp, range_reduce_vjp, i as u64; val x);
                let mut k = 0;
                let mut y = x;
                while y > 2.0 {
                    y *= 0.5;
                    k += 1;
                }
                check_exact(
                    rev_grad!(range_reduce_vjp; val x),
                    2.0 * x * (0.25 as $F).powi(k),
                );
            }
        }

        // A while condition that is a block with its own active local.
        #[jvp]
        #[vjp]
        fn cond_block(mut x: $F, y: $F) -> $F {
            while {
                let r = x * x + y * y;
                r < 50.0
            } {
                x = x * 1.5 + y;
            }
            x * y
        }

        #[test]
        fn cond_block_matches() {
            for &(x, y) in &[(1.0, 0.5), (0.2, 0.6), (8.0, 1.0)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.6, 0.8)] {
                    let (v, t) = cond_block_jvp(x, dx, y, dy);
                    assert_eq!(v, cond_block(x, y));
                    // x_n = 1.5^n x + 2 (1.5^n - 1) y
                    let mut n = 0;
                    let mut xn = x;
                    while xn * xn + y * y < 50.0 {
                        xn = xn * 1.5 + y;
                        n += 1;
                    }
                    let g = (1.5 as $F).powi(n);
                    let dxn = g * dx + 2.0 * (g - 1.0) * dy;
                    check(
                        t,
                        dxn * y + xn * dy,
                        fd(|s| cond_block(x + s * dx, y + s * dy)),
                    );
                }
            }
        }

        #[test]
        fn cond_block_reverse() {
            for (i, &(x, y)) in [(1.0, 0.5), (0.2, 0.6), (8.0, 1.0)].iter().enumerate() {
                rev_dot!(cond_block, cond_block_jvp, cond_block_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(cond_block_vjp; val x, val y);
                let mut n = 0;
                let mut xn = x;
                while xn * xn + y * y < 50.0 {
                    xn = xn * 1.5 + y;
                    n += 1;
                }
                let g = (1.5 as $F).powi(n);
                check_exact(gx, g * y);
                check_exact(gy, 2.0 * (g - 1.0) * y + xn);
            }
        }

        // Side effects in the while condition: a do-while loop whose body is
        // entirely in the condition, accumulating an active value.
        #[jvp]
        #[vjp]
        fn do_while(x: &[$F]) -> $F {
            let mut i = 0;
            let mut s = 0.0;
            while {
                s += x[i] * x[i].cos();
                i += 1;
                i < x.len()
            } {}
            s
        }

        #[test]
        fn do_while_matches() {
            for n in [1usize, 4] {
                let x = rand_vec(2 + n as u64, n, -2.0, 2.0);
                for u in dirs(n, 2) {
                    let (v, t) = do_while_jvp(&x, &u);
                    assert_eq!(v, do_while(&x));
                    let exact: $F = (0..n)
                        .map(|i| (x[i].cos() - x[i] * x[i].sin()) * u[i])
                        .sum();
                    check(t, exact, fd(|s| do_while(&axpy(&x, s, &u))));
                }
            }
        }

        #[test]
        fn do_while_reverse() {
            for n in [1usize, 4] {
                let x = rand_vec(2 + n as u64, n, -2.0, 2.0);
                rev_dot!(do_while, do_while_jvp, do_while_vjp, n as u64; rf x);
                let g = rev_grad!(do_while_vjp; rf x);
                check_exact_vec(
                    &g,
                    &x.iter().map(|a| a.cos() - a * a.sin()).collect::<Vec<_>>(),
                );
            }
        }

        // Newton's method for sqrt with the update inside the while condition and
        // a stopping test on the step size.
        #[jvp]
        #[vjp]
        fn newton_while(a: $F) -> $F {
            let mut x = a.max(1.0);
            let mut it = 0;
            while {
                let dx = (x * x - a) / (2.0 * x);
                x -= dx;
                it += 1;
                dx.abs() > 4.0 * $F::EPSILON * x && it < 100
            } {}
            x
        }

        #[test]
        fn newton_while_matches() {
            for &a in &[0.3, 2.0, 17.0] {
                let (v, t) = newton_while_jvp(a, 1.0);
                assert_eq!(v, newton_while(a));
                check(t, 0.5 / a.sqrt(), fd(|s| newton_while(a + s)));
            }
        }

        #[test]
        fn newton_while_reverse() {
            for (i, &a) in [0.3, 2.0, 17.0].iter().enumerate() {
                rev_dot!(newton_while, newton_while_jvp, newton_while_vjp, i as u64; val a);
                check_exact(rev_grad!(newton_while_vjp; val a), 0.5 / a.sqrt());
            }
        }

        // `loop` + `break` value: truncated exponential series.
        #[jvp]
        #[vjp]
        fn series_exp(x: $F) -> $F {
            let mut term = 1.0;
            let mut s = 0.0;
            let mut k = 0;
            let r = loop {
                s += term;
                k += 1;
                if k == 25 {
                    break s;
                }
                term *= x / k as $F;
            };
            r
        }

        #[test]
        fn series_exp_matches() {
            for &x in &[-1.0, 0.5, 2.0] {
                let (v, t) = series_exp_jvp(x, 1.0);
                assert_eq!(v, series_exp(x));
                // derivative of sum_{j<25} x^j/j! is sum_{j<24} x^j/j!
                let mut exact = 0.0;
                let mut term = 1.0;
                for j in 0..24 {
                    exact += term;
                    term *= x / (j + 1) as $F;
                }
                check(t, exact, fd(|s| series_exp(x + s)));
            }
        }

        #[test]
        fn series_exp_reverse() {
            for (i, &x) in [-1.0, 0.5, 2.0].iter().enumerate() {
                rev_dot!(series_exp, series_exp_jvp, series_exp_vjp, i as u64; val x);
                let mut exact = 0.0;
                let mut term = 1.0;
                for j in 0..24 {
                    exact += term;
                    term *= x / (j + 1) as $F;
                }
                check_exact(rev_grad!(series_exp_vjp; val x), exact);
            }
        }

        // `loop` with a plain `break;` and a counter.
        #[jvp]
        #[vjp]
        fn loop_break(x: $F, c: $F, n: usize) -> $F {
            let mut acc = 0.0;
            let mut k = 0;
            loop {
                if k >= n {
                    break;
                }
                acc = acc * x + c;
                k += 1;
            }
            acc
        }

        #[test]
        fn loop_break_matches() {
            for n in [0usize, 1, 3, 6] {
                for &(dx, dc) in &[(1.0, 0.0), (0.0, 1.0), (0.5, -0.5)] {
                    let (x, c) = (0.8, 1.3);
                    let (v, t) = loop_break_jvp(x, dx, c, dc, n);
                    assert_eq!(v, loop_break(x, c, n));
                    // acc = c * sum_{j<n} x^j
                    let mut p = 0.0;
                    let mut dp = 0.0;
                    for j in 0..n {
                        p += x.powi(j as i32);
                        if j > 0 {
                            dp += j as $F * x.powi(j as i32 - 1);
                        }
                    }
                    check(
                        t,
                        dc * p + c * dp * dx,
                        fd(|s| loop_break(x + s * dx, c + s * dc, n)),
                    );
                }
            }
        }

        #[test]
        fn loop_break_reverse() {
            for n in [0usize, 1, 3, 6] {
                let (x, c) = (0.8, 1.3);
                rev_dot!(loop_break, loop_break_jvp, loop_break_vjp, n as u64; val x, val c, c n);
                let (gx, gc) = rev_grad!(loop_break_vjp; val x, val c, c n);
                let mut p = 0.0;
                let mut dp = 0.0;
                for j in 0..n {
                    p += x.powi(j as i32);
                    if j > 0 {
                        dp += j as $F * x.powi(j as i32 - 1);
                    }
                }
                check_exact(gx, c * dp);
                check_exact(gc, p);
            }
        }

        // `continue` in a `for` and in a `while`, skipping on primal signs.
        #[jvp]
        #[vjp]
        fn skip_signs(x: &[$F]) -> $F {
            let mut s = 0.0;
            for &xi in x {
                if xi < 0.0 {
                    continue;
                }
                s += xi * xi.exp();
            }
            let mut i = 0;
            while i < x.len() {
                i += 1;
                if x[i - 1] > 0.0 {
                    continue;
                }
                s -= x[i - 1].sin();
            }
            s
        }

        #[test]
        fn skip_signs_matches() {
            let x = rand_signed(3, 9);
            for u in dirs(9, 3) {
                let (v, t) = skip_signs_jvp(&x, &u);
                assert_eq!(v, skip_signs(&x));
                let mut exact = 0.0;
                for i in 0..9 {
                    if x[i] >= 0.0 {
                        exact += (1.0 + x[i]) * x[i].exp() * u[i];
                    } else {
                        exact -= x[i].cos() * u[i];
                    }
                }
                check(t, exact, fd(|s| skip_signs(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn skip_signs_reverse() {
            for k in 0..3u64 {
                let x = rand_signed(3 + k, 9);
                rev_dot!(skip_signs, skip_signs_jvp, skip_signs_vjp, k; rf x);
                let g = rev_grad!(skip_signs_vjp; rf x);
                let exact: Vec<$F> = x
                    .iter()
                    .map(|&a| {
                        if a >= 0.0 {
                            (1.0 + a) * a.exp()
                        } else {
                            -a.cos()
                        }
                    })
                    .collect();
                check_exact_vec(&g, &exact);
            }
        }

        // Early `return` from inside a `while` and from inside a `loop`; the
        // threshold is an active parameter used only in comparisons.
        #[jvp]
        #[vjp]
        fn first_exceed(x: &[$F], thresh: $F) -> $F {
            let mut acc = 0.0;
            let mut i = 0;
            while i < x.len() {
                acc += x[i];
                if acc > thresh {
                    return acc * x[i];
                }
                i += 1;
            }
            loop {
                if i == 0 {
                    return -acc;
                }
                i -= 1;
                if x[i] < -1.0 {
                    return acc + 3.0 * x[i];
                }
            }
        }

        #[test]
        fn first_exceed_matches() {
            let x = vec![0.5, -0.3, 0.9, 1.2, -1.6, 0.4];
            // Prefix sums: 0.5, 0.2, 1.1, 2.3, 0.7, 1.1.
            for &thresh in &[0.3, 1.7, 5.0] {
                for u in dirs(6, 4) {
                    for &dth in &[0.0, 1.0] {
                        let (v, t) = first_exceed_jvp(&x, &u, thresh, dth);
                        assert_eq!(v, first_exceed(&x, thresh));
                        let mut acc = 0.0;
                        let mut dacc = 0.0;
                        let mut exact = None;
                        for i in 0..6 {
                            acc += x[i];
                            dacc += u[i];
                            if acc > thresh {
                                exact = Some(dacc * x[i] + acc * u[i]);
                                break;
                            }
                        }
                        // Never exceeded: scan back for an entry < -1 (index 4).
                        let exact = exact.unwrap_or(dacc + 3.0 * u[4]);
                        check(
                            t,
                            exact,
                            fd(|s| first_exceed(&axpy(&x, s, &u), thresh + s * dth)),
                        );
                    }
                }
            }
        }

        #[test]
        fn first_exceed_reverse() {
            let x = vec![0.5, -0.3, 0.9, 1.2, -1.6, 0.4];
            for &thresh in &[0.3, 1.7, 5.0] {
                rev_dot!(first_exceed, first_exceed_jvp, first_exceed_vjp, thresh as u64; rf x, val thresh);
                let (gx, gt) = rev_grad!(first_exceed_vjp; rf x, val thresh);
                // The forward test's closed form, applied to each unit vector.
                let exact_dir = |u: &[$F]| {
                    let mut acc = 0.0;
                    let mut dacc = 0.0;
                    for i in 0..6 {
                        acc += x[i];
                        dacc += u[i];
                        if acc > thresh {
                            return dacc * x[i] + acc * u[i];
                        }
                    }
                    dacc + 3.0 * u[4]
                };
                let ex: Vec<$F> = (0..6).map(|i| exact_dir(&dirs(6, 0)[i])).collect();
                check_exact_vec(&gx, &ex);
                check_exact(gt, 0.0);
            }
        }

        // Labelled `continue 'outer` and `break 'outer` in nested for loops.
        #[jvp]
        #[vjp]
        fn labelled_pairs(x: &[$F], lim: $F) -> $F {
            let n = x.len();
            let mut s = 0.0;
            'outer: for i in 0..n {
                for j in 0..n {
                    if j == i {
                        continue;
                    }
                    if j > i + 2 {
                        continue 'outer;
                    }
                    let p = x[i] * x[j];
                    if p > lim {
                        break 'outer;
                    }
                    s += p;
                }
            }
            s
        }

        #[test]
        fn labelled_pairs_matches() {
            let x = vec![0.5, -0.8, 0.3, 1.1, -0.6, 0.9, 1.4];
            for &lim in &[10.0, 1.1, 0.45] {
                for u in dirs(7, 5) {
                    let (v, t) = labelled_pairs_jvp(&x, &u, lim, 0.0);
                    assert_eq!(v, labelled_pairs(&x, lim));
                    let mut exact = 0.0;
                    let mut stop = false;
                    for i in 0..7 {
                        for j in 0..7.min(i + 3) {
                            if j == i {
                                continue;
                            }
                            if x[i] * x[j] > lim {
                                stop = true;
                                break;
                            }
                            exact += u[i] * x[j] + x[i] * u[j];
                        }
                        if stop {
                            break;
                        }
                    }
                    check(t, exact, fd(|s| labelled_pairs(&axpy(&x, s, &u), lim)));
                }
            }
        }

        #[test]
        fn labelled_pairs_reverse() {
            let x = vec![0.5, -0.8, 0.3, 1.1, -0.6, 0.9, 1.4];
            for &lim in &[10.0, 1.1, 0.45] {
                rev_dot!(labelled_pairs, labelled_pairs_jvp, labelled_pairs_vjp, lim as u64; rf x, val lim);
                let (gx, gl) = rev_grad!(labelled_pairs_vjp; rf x, val lim);
                let mut ex = vec![0.0; 7];
                'stop: for i in 0..7 {
                    for j in 0..7.min(i + 3) {
                        if j == i {
                            continue;
                        }
                        if x[i] * x[j] > lim {
                            break 'stop;
                        }
                        ex[i] += x[j];
                        ex[j] += x[i];
                    }
                }
                check_exact_vec(&gx, &ex);
                check_exact(gl, 0.0);
            }
        }

        // Labelled `loop` containing a `while` with `continue 'outer` and
        // `break 'outer`.
        #[jvp]
        #[vjp]
        fn labelled_loop(x: $F, n: u32) -> $F {
            let mut y = x;
            let mut k = 0;
            'outer: loop {
                k += 1;
                let mut j = 0;
                while j < 3 {
                    j += 1;
                    if k % 2 == 0 {
                        continue 'outer;
                    }
                    y = y * 0.9 + 0.2 * x;
                }
                if k >= n {
                    break 'outer;
                }
            }
            y
        }

        #[test]
        fn labelled_loop_matches() {
            for n in [1u32, 2, 5] {
                for &x in &[0.4, -1.3] {
                    let (v, t) = labelled_loop_jvp(x, 1.0, n);
                    assert_eq!(v, labelled_loop(x, n));
                    // Odd k up to the first odd k >= n each do 3 updates.
                    let mut m = 0;
                    let mut k = 1;
                    loop {
                        m += 3;
                        if k >= n {
                            break;
                        }
                        k += 2;
                    }
                    // y_m = x (2 - 0.9^m)
                    let exact = 2.0 - (0.9 as $F).powi(m);
                    check(t, exact, fd(|s| labelled_loop(x + s, n)));
                }
            }
        }

        #[test]
        fn labelled_loop_reverse() {
            for n in [1u32, 2, 5] {
                for &x in &[0.4, -1.3] {
                    rev_dot!(labelled_loop, labelled_loop_jvp, labelled_loop_vjp, n as u64; val x, c n);
                    let mut m = 0;
                    let mut k = 1;
                    loop {
                        m += 3;
                        if k >= n {
                            break;
                        }
                        k += 2;
                    }
                    check_exact(
                        rev_grad!(labelled_loop_vjp; val x, c n),
                        2.0 - (0.9 as $F).powi(m),
                    );
                }
            }
        }

        // Nested while loops with a data-dependent inner loop (bisection-free
        // "grow until larger than the next element").
        #[jvp]
        #[vjp]
        fn nested_while(x: &[$F], g: $F) -> $F {
            let mut i = 1;
            let mut y = x[0];
            let mut total = 0.0;
            while i < x.len() {
                while y < x[i] {
                    y = y * g + 0.25;
                }
                total += y - x[i];
                i += 1;
            }
            total
        }

        #[test]
        fn nested_while_matches() {
            // Inner-loop iterates stay >= 0.16 away from the thresholds.
            let x = vec![0.3, 0.8, 0.2, 2.0, 1.9];
            let g = 1.3;
            for (k, u) in dirs(5, 6).into_iter().enumerate() {
                let dg = if k == 1 { 0.4 } else { 0.0 };
                let (v, t) = nested_while_jvp(&x, &u, g, dg);
                assert_eq!(v, nested_while(&x, g));
                let (mut y, mut dy) = (x[0], u[0]);
                let mut exact = 0.0;
                for i in 1..5 {
                    while y < x[i] {
                        dy = dy * g + y * dg;
                        y = y * g + 0.25;
                    }
                    exact += dy - u[i];
                }
                check(t, exact, fd(|s| nested_while(&axpy(&x, s, &u), g + s * dg)));
            }
        }

        #[test]
        fn nested_while_reverse() {
            let x = vec![0.3, 0.8, 0.2, 2.0, 1.9];
            for (k, &g) in [1.3, 1.7].iter().enumerate() {
                rev_dot!(nested_while, nested_while_jvp, nested_while_vjp, k as u64; rf x, val g);
                let (gx, gg) = rev_grad!(nested_while_vjp; rf x, val g);
                // The forward test's closed form, per input direction.
                let exact_dir = |u: &[$F], dg: $F| {
                    let (mut y, mut dy) = (x[0], u[0]);
                    let mut exact = 0.0;
                    for i in 1..5 {
                        while y < x[i] {
                            dy = dy * g + y * dg;
                            y = y * g + 0.25;
                        }
                        exact += dy - u[i];
                    }
                    exact
                };
                let ex: Vec<$F> = (0..5).map(|i| exact_dir(&dirs(5, 0)[i], 0.0)).collect();
                check_exact_vec(&gx, &ex);
                check_exact(gg, exact_dir(&[0.0; 5], 1.0));
            }
        }

        // `break 'outer value` from a labelled loop, out of an inner `while`.
        #[jvp]
        #[vjp]
        fn labelled_break_value(x: $F, n: u32) -> $F {
            let mut y = x;
            let mut k = 0;
            let r = 'outer: loop {
                let mut j = 0;
                while j < 4 {
                    y = y * 0.5 + x.sin();
                    j += 1;
                    k += 1;
                    if k == n {
                        break 'outer y * 2.0;
                    }
                }
                y += 1.0;
            };
            r + y
        }

        #[test]
        fn labelled_break_value_matches() {
            for n in [1u32, 3, 4, 6, 9] {
                for &x in &[0.4, -1.2] {
                    let (v, t) = labelled_break_value_jvp(x, 1.0, n);
                    assert_eq!(v, labelled_break_value(x, n));
                    let (mut y, mut dy) = (x, 1.0);
                    for k in 1..=n {
                        dy = dy * 0.5 + x.cos();
                        y = y * 0.5 + x.sin();
                        if k % 4 == 0 && k != n {
                            y += 1.0;
                        }
                    }
                    check(t, 3.0 * dy, fd(|s| labelled_break_value(x + s, n)));
                }
            }
        }

        #[test]
        fn labelled_break_value_reverse() {
            for n in [1u32, 3, 4, 6, 9] {
                for &x in &[0.4, -1.2] {
                    rev_dot!(labelled_break_value, labelled_break_value_jvp, labelled_break_value_vjp, n as u64; val x, c n);
                    let (mut y, mut dy) = (x, 1.0);
                    for k in 1..=n {
                        dy = dy * 0.5 + x.cos();
                        y = y * 0.5 + x.sin();
                        if k % 4 == 0 && k != n {
                            y += 1.0;
                        }
                    }
                    let _ = y;
                    check_exact(rev_grad!(labelled_break_value_vjp; val x, c n), 3.0 * dy);
                }
            }
        }

        // Side effect in a while condition combined with `continue` and `break`.
        #[jvp]
        #[vjp]
        fn cond_side_effect_continue(x: &[$F], cap: $F) -> $F {
            let mut i = 0;
            let mut s = 0.0;
            while {
                i += 1;
                i <= x.len()
            } {
                let xi = x[i - 1];
                if xi < 0.0 {
                    continue;
                }
                s += xi * xi;
                if s > cap {
                    break;
                }
            }
            s
        }

        #[test]
        fn cond_side_effect_continue_matches() {
            let x = vec![0.9, -0.4, 1.3, 0.2, -1.0, 1.7, 0.6];
            // Partial sums of squares of the non-negatives: 0.81, 2.5, 2.54, 5.43, 5.79.
            for &cap in &[1.5, 4.0, 100.0] {
                for u in dirs(7, 21) {
                    let (v, t) = cond_side_effect_continue_jvp(&x, &u, cap, 0.0);
                    assert_eq!(v, cond_side_effect_continue(&x, cap));
                    let mut s = 0.0;
                    let mut exact = 0.0;
                    for i in 0..7 {
                        if x[i] < 0.0 {
                            continue;
                        }
                        s += x[i] * x[i];
                        exact += 2.0 * x[i] * u[i];
                        if s > cap {
                            break;
                        }
                    }
                    check(
                        t,
                        exact,
                        fd(|h| cond_side_effect_continue(&axpy(&x, h, &u), cap)),
                    );
                }
            }
        }

        #[test]
        fn cond_side_effect_continue_reverse() {
            let x = vec![0.9, -0.4, 1.3, 0.2, -1.0, 1.7, 0.6];
            for &cap in &[1.5, 4.0, 100.0] {
                rev_dot!(cond_side_effect_continue, cond_side_effect_continue_jvp, cond_side_effect_continue_vjp, cap as u64; rf x, val cap);
                let (gx, gc) = rev_grad!(cond_side_effect_continue_vjp; rf x, val cap);
                let mut s = 0.0;
                let mut ex = vec![0.0; 7];
                for i in 0..7 {
                    if x[i] < 0.0 {
                        continue;
                    }
                    s += x[i] * x[i];
                    ex[i] = 2.0 * x[i];
                    if s > cap {
                        break;
                    }
                }
                check_exact_vec(&gx, &ex);
                check_exact(gc, 0.0);
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

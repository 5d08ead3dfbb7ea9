//! Output shapes: arrays (`[f64; N]`, nested), tuples (including a tuple with
//! an array inside), unit (`()` returns `()`), and returns from several
//! places (early `return` of a tuple, array built in a loop).

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

        // Array output: cross product.
        #[jvp]
        #[vjp]
        fn cross(a: [$F; 3], b: &[$F; 3]) -> [$F; 3] {
            [
                a[1] * b[2] - a[2] * b[1],
                a[2] * b[0] - a[0] * b[2],
                a[0] * b[1] - a[1] * b[0],
            ]
        }

        fn cross_ref(a: &[$F; 3], b: &[$F; 3]) -> [$F; 3] {
            [
                a[1] * b[2] - a[2] * b[1],
                a[2] * b[0] - a[0] * b[2],
                a[0] * b[1] - a[1] * b[0],
            ]
        }

        #[test]
        fn cross_matches() {
            let a = [0.3, -1.2, 0.8];
            let b = [1.1, 0.4, -0.5];
            for u in dirs(6, 1) {
                let da: [$F; 3] = arr(&u[0..3]);
                let db: [$F; 3] = arr(&u[3..6]);
                let (v, t) = cross_jvp(a, da, &b, &db);
                assert_eq!(v, cross(a, &b));
                let p = cross_ref(&da, &b);
                let q = cross_ref(&a, &db);
                let exact = [p[0] + q[0], p[1] + q[1], p[2] + q[2]];
                let fdv = fd_vec(|s| cross(axpy_arr(&a, s, &da), &axpy_arr(&b, s, &db)).to_vec());
                check_vec(&t, &exact, &fdv);
            }
        }

        #[test]
        fn cross_reverse() {
            for k in 0..3u64 {
                let a: [$F; 3] = arr(&rand_vec(1 + k, 3, -1.0, 1.0));
                let b: [$F; 3] = arr(&rand_vec(2 + k, 3, -1.0, 1.0));
                rev_dot!(cross, cross_jvp, cross_vjp, k; val a, rf b);
                // out_bar = w: a_bar = b × w, b_bar = w × a.
                let w = [0.3, -0.8, 0.5];
                let (mut ab, mut bb) = ([0.0; 3], [0.0; 3]);
                cross_vjp(a, &mut ab, &b, &mut bb, w);
                check_exact_vec(&ab, &cross_ref(&b, &w));
                check_exact_vec(&bb, &cross_ref(&w, &a));
            }
        }

        // Array output filled in a loop from a local `[0.0; N]`.
        #[jvp]
        #[vjp]
        fn cumulative(x: &[$F]) -> [$F; 4] {
            let mut out = [0.0; 4];
            let mut acc = 0.0;
            for i in 0..4 {
                acc += x[i] * x[i];
                out[i] = acc.sqrt();
            }
            out
        }

        #[test]
        fn cumulative_matches() {
            let x = rand_vec(2, 4, 0.3, 1.5);
            for u in dirs(4, 2) {
                let (v, t) = cumulative_jvp(&x, &u);
                assert_eq!(v, cumulative(&x));
                let mut exact = Vec::new();
                let (mut acc, mut dacc) = (0.0, 0.0);
                for i in 0..4 {
                    acc += x[i] * x[i];
                    dacc += 2.0 * x[i] * u[i];
                    exact.push(dacc / (2.0 * acc.sqrt()));
                }
                check_vec(
                    &t,
                    &exact,
                    &fd_vec(|s| cumulative(&axpy(&x, s, &u)).to_vec()),
                );
            }
        }

        #[test]
        fn cumulative_reverse() {
            for (k, n) in [4usize, 6].into_iter().enumerate() {
                let x = rand_vec(3 + k as u64, n, -1.0, 1.0);
                rev_dot!(cumulative, cumulative_jvp, cumulative_vjp, k as u64; rf x);
            }
        }

        // Nested array output: outer product of two 2-vectors, scaled.
        #[jvp]
        #[vjp]
        fn outer(a: [$F; 2], b: [$F; 2], s: $F) -> [[$F; 2]; 2] {
            let mut m = [[0.0; 2]; 2];
            for i in 0..2 {
                for j in 0..2 {
                    m[i][j] = s * a[i] * b[j];
                }
            }
            m
        }

        #[test]
        fn outer_matches() {
            let (a, b, s) = ([0.7, -0.4], [1.3, 0.2], 1.5);
            for u in dirs(5, 3) {
                let (da, db, ds) = ([u[0], u[1]], [u[2], u[3]], u[4]);
                let (v, t) = outer_jvp(a, da, b, db, s, ds);
                assert_eq!(v, outer(a, b, s));
                let mut exact = [[0.0; 2]; 2];
                for i in 0..2 {
                    for j in 0..2 {
                        exact[i][j] = ds * a[i] * b[j] + s * da[i] * b[j] + s * a[i] * db[j];
                    }
                }
                let fdm = fd_vec(|h| {
                    flat(&outer(
                        axpy_arr(&a, h, &da),
                        axpy_arr(&b, h, &db),
                        s + h * ds,
                    ))
                });
                check_vec(&flat(&t), &flat(&exact), &fdm);
            }
        }

        #[test]
        fn outer_reverse() {
            for k in 0..3u64 {
                let a: [$F; 2] = arr(&rand_vec(4 + k, 2, -1.0, 1.0));
                let b: [$F; 2] = arr(&rand_vec(5 + k, 2, -1.0, 1.0));
                let s = 0.5 + k as $F;
                rev_dot!(outer, outer_jvp, outer_vjp, k; val a, val b, val s);
            }
        }

        // Tuple output: polar to Cartesian, `-> (f64, f64)` gives
        // `((x, y), (x_dot, y_dot))`.
        #[jvp]
        #[vjp]
        fn to_cartesian(r: $F, th: $F) -> ($F, $F) {
            (r * th.cos(), r * th.sin())
        }

        #[test]
        fn to_cartesian_matches() {
            for &(r, th) in &[(1.5, 0.4), (0.7, -2.0)] {
                for &(dr, dth) in &[(1.0, 0.0), (0.0, 1.0), (0.4, -0.9)] {
                    let ((x, y), (dx, dy)) = to_cartesian_jvp(r, dr, th, dth);
                    assert_eq!((x, y), to_cartesian(r, th));
                    let ex = dr * th.cos() - r * th.sin() * dth;
                    let ey = dr * th.sin() + r * th.cos() * dth;
                    let f = |s: $F| to_cartesian(r + s * dr, th + s * dth);
                    check(dx, ex, fd(|s| f(s).0));
                    check(dy, ey, fd(|s| f(s).1));
                }
            }
        }

        #[test]
        fn to_cartesian_reverse() {
            for (k, &(r, th)) in [(1.5, 0.4), (0.7, -2.0)].iter().enumerate() {
                rev_dot!(to_cartesian, to_cartesian_jvp, to_cartesian_vjp, k as u64; val r, val th);
                // Rows of the Jacobian via out_bar = (1, 0) and (0, 1).
                let (mut rb, mut tb) = (0.0, 0.0);
                to_cartesian_vjp(r, &mut rb, th, &mut tb, (1.0, 0.0));
                check_exact(rb, th.cos());
                check_exact(tb, -r * th.sin());
                let (mut rb, mut tb) = (0.0, 0.0);
                to_cartesian_vjp(r, &mut rb, th, &mut tb, (0.0, 1.0));
                check_exact(rb, th.sin());
                check_exact(tb, r * th.cos());
            }
        }

        // Tuple of a scalar and an array, with an early `return` of a tuple.
        #[jvp]
        #[vjp]
        fn stats(x: &[$F]) -> ($F, [$F; 2]) {
            let n = x.len() as $F;
            let mut s = 0.0;
            let mut lo = x[0];
            let mut hi = x[0];
            for &xi in x {
                s += xi;
                if xi < lo {
                    lo = xi;
                }
                if xi > hi {
                    hi = xi;
                }
            }
            if hi - lo > 100.0 {
                return (0.0, [lo, hi]);
            }
            (s / n, [lo * 2.0, hi * hi])
        }

        #[test]
        fn stats_matches() {
            let x = spread_vec(4, 6);
            let imin = (0..6)
                .min_by(|&a, &b| x[a].partial_cmp(&x[b]).unwrap())
                .unwrap();
            let imax = (0..6)
                .max_by(|&a, &b| x[a].partial_cmp(&x[b]).unwrap())
                .unwrap();
            for u in dirs(6, 4) {
                let ((m, lh), (dm, dlh)) = stats_jvp(&x, &u);
                assert_eq!((m, lh), stats(&x));
                let f = |s: $F| stats(&axpy(&x, s, &u));
                check(dm, u.iter().sum::<$F>() / 6.0, fd(|s| f(s).0));
                check_vec(
                    &dlh,
                    &[2.0 * u[imin], 2.0 * x[imax] * u[imax]],
                    &fd_vec(|s| f(s).1.to_vec()),
                );
            }
            // The early-return branch.
            let y = vec![-60.0, 10.0, 60.0];
            let uy = vec![0.3, -0.2, 0.9];
            let ((m, lh), (dm, dlh)) = stats_jvp(&y, &uy);
            assert_eq!((m, lh), stats(&y));
            check(dm, 0.0, fd(|s| stats(&axpy(&y, s, &uy)).0));
            check_vec(
                &dlh,
                &[0.3, 0.9],
                &fd_vec(|s| stats(&axpy(&y, s, &uy)).1.to_vec()),
            );
        }

        #[test]
        fn stats_reverse() {
            for (k, n) in [1usize, 2, 6].into_iter().enumerate() {
                let x = spread_vec(6 + k as u64, n);
                rev_dot!(stats, stats_jvp, stats_vjp, k as u64; rf x);
            }
        }

        // Triple output with mixed expressions, returned through a binding.
        #[jvp]
        #[vjp]
        fn triple(x: $F, y: $F) -> ($F, $F, $F) {
            let t = (x * y, x + y, (x - y).exp());
            t
        }

        #[test]
        fn triple_matches() {
            let (x, y) = (0.8, -0.3);
            for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.5, 0.5)] {
                let (v, (d0, d1, d2)) = triple_jvp(x, dx, y, dy);
                assert_eq!(v, triple(x, y));
                let f = |s: $F| triple(x + s * dx, y + s * dy);
                check(d0, dx * y + x * dy, fd(|s| f(s).0));
                check(d1, dx + dy, fd(|s| f(s).1));
                check(d2, (x - y).exp() * (dx - dy), fd(|s| f(s).2));
            }
        }

        #[test]
        fn triple_reverse() {
            for (k, &(x, y)) in [(0.8, -0.3), (-1.1, 0.6)].iter().enumerate() {
                rev_dot!(triple, triple_jvp, triple_vjp, k as u64; val x, val y);
            }
        }

        // Unit output: `f_jvp` returns `()`, results go through `&mut`.
        #[jvp]
        #[vjp]
        fn write_poly(out: &mut [$F], x: $F) {
            let mut p = 1.0;
            for o in out.iter_mut() {
                *o = p;
                p *= x;
            }
        }

        #[test]
        fn unit_output_matches() {
            let x = 1.3;
            for &dx in &[1.0, -0.4] {
                let mut out = [9.0; 5];
                let mut out_dot = [7.0; 5];
                let r: () = write_poly_jvp(&mut out, &mut out_dot, x, dx);
                let _ = r;
                let mut out_ref = [9.0; 5];
                write_poly(&mut out_ref, x);
                assert_eq!(out, out_ref);
                // The tangent overwrites the old tangent contents.
                let exact: Vec<$F> = (0..5)
                    .map(|k| {
                        if k == 0 {
                            0.0
                        } else {
                            k as $F * x.powi(k as i32 - 1) * dx
                        }
                    })
                    .collect();
                let fdv = fd_vec(|s| {
                    let mut o = vec![0.0; 5];
                    write_poly(&mut o, x + s * dx);
                    o
                });
                check_vec(&out_dot, &exact, &fdv);
            }
        }

        #[test]
        fn unit_output_reverse() {
            for (k, n) in [0usize, 1, 5].into_iter().enumerate() {
                let out = rand_vec(7 + k as u64, n, -1.0, 1.0);
                let x = 0.7 - 1.5 * k as $F;
                rev_dot!(unit write_poly, write_poly_jvp, write_poly_vjp, k as u64; mt out, val x);
                // The initial contents are overwritten: their cotangent is 0.
                let (mut o, mut ob, mut xb) = (out.clone(), vec![1.0; n], 0.0);
                write_poly_vjp(&mut o, &mut ob, x, &mut xb);
                check_exact_vec(&ob, &vec![0.0; n]);
                check_exact(xb, (1..n).map(|i| i as $F * x.powi(i as i32 - 1)).sum());
            }
        }

        // Unit output with an explicit `-> ()` and an early bare `return;`.
        #[jvp]
        #[vjp]
        fn maybe_add(acc: &mut $F, x: $F, enabled: bool) -> () {
            if !enabled {
                return;
            }
            *acc += x.sin();
        }

        #[test]
        fn explicit_unit_matches() {
            for enabled in [true, false] {
                let (a0, x) = (0.5, 0.9);
                let mut a = a0;
                let mut ad = 0.25;
                let () = maybe_add_jvp(&mut a, &mut ad, x, 1.0, enabled);
                let mut ar = a0;
                maybe_add(&mut ar, x, enabled);
                assert_eq!(a, ar);
                let exact = 0.25 + if enabled { x.cos() } else { 0.0 };
                check(
                    ad,
                    exact,
                    fd(|s| {
                        let mut q = a0 + 0.25 * s;
                        maybe_add(&mut q, x + s, enabled);
                        q
                    }),
                );
            }
        }

        #[test]
        fn explicit_unit_reverse() {
            for enabled in [true, false] {
                let (acc, x) = (0.4, 1.1);
                rev_dot!(unit maybe_add, maybe_add_jvp, maybe_add_vjp, enabled as u64; mt acc, val x, c enabled);
                let (mut a, mut ab, mut xb) = (acc, 1.0, 0.0);
                maybe_add_vjp(&mut a, &mut ab, x, &mut xb, enabled);
                check_exact(ab, 1.0);
                check_exact(xb, if enabled { x.cos() } else { 0.0 });
            }
        }

        // Constant output type with an active input: f64 output that does not
        // depend on x has a zero tangent; an array output likewise.
        #[jvp]
        #[vjp]
        fn const_array_out(x: $F, n: usize) -> [$F; 2] {
            let _ = x * 2.0;
            [n as $F, 1.0]
        }

        #[test]
        fn const_array_out_matches() {
            let (v, t) = const_array_out_jvp(0.3, 1.0, 4);
            assert_eq!(v, const_array_out(0.3, 4));
            check_vec(
                &t,
                &[0.0, 0.0],
                &fd_vec(|s| const_array_out(0.3 + s, 4).to_vec()),
            );
        }

        #[test]
        fn const_array_out_reverse() {
            for n in [0usize, 4] {
                let x = 0.3;
                rev_dot!(const_array_out, const_array_out_jvp, const_array_out_vjp, n as u64; val x, c n);
                let mut xb = 0.0;
                const_array_out_vjp(x, &mut xb, n, [1.0, -2.0]);
                check_exact(xb, 0.0);
            }
        }

        // Mixed f64 and f32 parameters and a mixed tuple output.
        #[jvp]
        #[vjp]
        fn mixed_precision(x: $F, y: f32, v: &[f32]) -> ($F, f32) {
            let mut s = 0.0f32;
            for &vi in v {
                s += vi * y;
            }
            (x.sin() * x, s + y.exp())
        }

        #[test]
        fn mixed_precision_matches() {
            let v = [0.5f32, -1.25, 2.0];
            let (x, y) = (0.7 as $F, 0.3f32);
            for &(dx, dy, dv) in &[
                (1.0 as $F, 0.0f32, [0.0f32; 3]),
                (0.0, 1.0, [0.0; 3]),
                (0.0, 0.0, [1.0, -0.5, 0.25]),
                (0.4, -0.6, [0.2, 0.1, -0.3]),
            ] {
                let ((a, b), (da, db)) = mixed_precision_jvp(x, dx, y, dy, &v, &dv);
                assert_eq!((a, b), mixed_precision(x, y, &v));
                let ea = (x.cos() * x + x.sin()) * dx;
                let sv: f32 = v.iter().sum();
                let eb = dv.iter().sum::<f32>() * y + sv * dy + y.exp() * dy;
                check(da, ea, fd(|s| mixed_precision(x + s * dx, y, &v).0));
                // The f32 component is checked against an f32 four-point difference.
                let h = 2e-2f32;
                let g = |s: f32| {
                    let vs: Vec<f32> = (0..3).map(|i| v[i] + s * dv[i]).collect();
                    mixed_precision(x, y + s * dy, &vs).1
                };
                let fdb = (g(-2.0 * h) - 8.0 * g(-h) + 8.0 * g(h) - g(2.0 * h)) / (12.0 * h);
                assert!(
                    approx::relative_eq!(db, eb, epsilon = 5e-5, max_relative = 1e-4),
                    "{db} vs {eb}"
                );
                assert!(
                    approx::relative_eq!(db, fdb, epsilon = 1e-3, max_relative = 2e-3),
                    "{db} vs fd {fdb}"
                );
            }
        }

        #[test]
        fn mixed_precision_reverse() {
            // Part of the function is computed in f32: f32 tolerance for the dot products.
            use crate::common::f32h::dot_check;
            for (k, n) in [0usize, 3].into_iter().enumerate() {
                let x = 0.9;
                let y = 0.4f32;
                let v: Vec<f32> = (0..n).map(|i| 0.25 * i as f32 - 0.3).collect();
                rev_dot!(mixed_precision, mixed_precision_jvp, mixed_precision_vjp, k as u64; val x, val y, rf v);
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

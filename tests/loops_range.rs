//! `for` loops over integer ranges: `0..n`, `a..=b`, `.rev()`, `.step_by(k)`,
//! `for _ in`, nested range loops.

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

        // Weighted sum with the loop index as a constant weight.
        #[jvp]
        #[vjp]
        fn weighted_sum(x: &[$F], n: usize) -> $F {
            let mut s = 0.0;
            for i in 0..n {
                s += (i + 1) as $F * x[i] * x[i];
            }
            s
        }

        #[test]
        fn weighted_sum_matches() {
            let x = rand_vec(1, 9, -2.0, 2.0);
            for n in [0usize, 1, 5, 9] {
                for u in dirs(9, 11) {
                    let (v, t) = weighted_sum_jvp(&x, &u, n);
                    assert_eq!(v, weighted_sum(&x, n));
                    let exact: $F = (0..n).map(|i| (i + 1) as $F * 2.0 * x[i] * u[i]).sum();
                    check(t, exact, fd(|s| weighted_sum(&axpy(&x, s, &u), n)));
                }
            }
        }

        #[test]
        fn weighted_sum_reverse() {
            let x = rand_vec(1, 9, -2.0, 2.0);
            for n in [0usize, 1, 5, 9] {
                rev_dot!(weighted_sum, weighted_sum_jvp, weighted_sum_vjp, n as u64; rf x, c n);
                let g = rev_grad!(weighted_sum_vjp; rf x, c n);
                let exact: Vec<$F> = (0..9)
                    .map(|i| {
                        if i < n {
                            (i + 1) as $F * 2.0 * x[i]
                        } else {
                            0.0
                        }
                    })
                    .collect();
                check_exact_vec(&g, &exact);
            }
        }

        // Inclusive range with constant bounds computed from parameters.
        #[jvp]
        #[vjp]
        fn inclusive_range(x: $F, a: usize, b: usize) -> $F {
            let mut p = 1.0;
            for k in a..=b {
                p *= 1.0 + x / k as $F;
            }
            p
        }

        #[test]
        fn inclusive_range_matches() {
            for &x in &[0.3, -0.45, 1.7] {
                for &(a, b) in &[(1usize, 1usize), (1, 4), (2, 6), (5, 4)] {
                    let (v, t) = inclusive_range_jvp(x, 1.0, a, b);
                    assert_eq!(v, inclusive_range(x, a, b));
                    // d/dx prod(1 + x/k) = prod * sum 1/(k + x)
                    let mut p = 1.0;
                    let mut q = 0.0;
                    for k in a..=b {
                        p *= 1.0 + x / k as $F;
                        q += 1.0 / (k as $F + x);
                    }
                    check(t, p * q, fd(|s| inclusive_range(x + s, a, b)));
                }
            }
        }

        #[test]
        fn inclusive_range_reverse() {
            for &x in &[0.3, -0.45, 1.7] {
                for &(a, b) in &[(1usize, 1usize), (1, 4), (2, 6), (5, 4)] {
                    rev_dot!(inclusive_range, inclusive_range_jvp, inclusive_range_vjp, (a * 10 + b) as u64; val x, c a, c b);
                    let mut p = 1.0;
                    let mut q = 0.0;
                    for k in a..=b {
                        p *= 1.0 + x / k as $F;
                        q += 1.0 / (k as $F + x);
                    }
                    check_exact(rev_grad!(inclusive_range_vjp; val x, c a, c b), p * q);
                }
            }
        }

        // Horner's rule with a reversed range; coefficients and x both active.
        #[jvp]
        #[vjp]
        fn horner(c: &[$F], x: $F) -> $F {
            let mut acc = 0.0;
            for i in (0..c.len()).rev() {
                acc = acc * x + c[i];
            }
            acc
        }

        #[test]
        fn horner_matches() {
            let c = rand_vec(2, 6, -1.5, 1.5);
            for &x in &[0.4, -1.3] {
                let mut ds = dirs(6, 21);
                ds.push(vec![0.0; 6]);
                for u in ds {
                    for &dx in &[0.0, 1.0, -0.35] {
                        let (v, t) = horner_jvp(&c, &u, x, dx);
                        assert_eq!(v, horner(&c, x));
                        let mut exact = 0.0;
                        for i in 0..6 {
                            exact += u[i] * x.powi(i as i32);
                            if i > 0 {
                                exact += c[i] * i as $F * x.powi(i as i32 - 1) * dx;
                            }
                        }
                        check(t, exact, fd(|s| horner(&axpy(&c, s, &u), x + s * dx)));
                    }
                }
            }
        }

        #[test]
        fn horner_reverse() {
            let c = rand_vec(2, 6, -1.5, 1.5);
            for (k, &x) in [0.4, -1.3].iter().enumerate() {
                rev_dot!(horner, horner_jvp, horner_vjp, k as u64; rf c, val x);
                let (gc, gx) = rev_grad!(horner_vjp; rf c, val x);
                let ec: Vec<$F> = (0..6).map(|i| x.powi(i as i32)).collect();
                let ex: $F = (1..6).map(|i| c[i] * i as $F * x.powi(i as i32 - 1)).sum();
                check_exact_vec(&gc, &ec);
                check_exact(gx, ex);
            }
        }

        // step_by over pairs.
        #[jvp]
        #[vjp]
        fn pair_products(x: &[$F]) -> $F {
            let mut s = 0.0;
            for i in (0..x.len() - 1).step_by(2) {
                s += x[i] * x[i + 1];
            }
            s
        }

        #[test]
        fn pair_products_matches() {
            for n in [2usize, 5, 8] {
                let x = rand_vec(3 + n as u64, n, -2.0, 2.0);
                for u in dirs(n, 31) {
                    let (v, t) = pair_products_jvp(&x, &u);
                    assert_eq!(v, pair_products(&x));
                    let mut exact = 0.0;
                    let mut i = 0;
                    while i + 1 < n {
                        exact += u[i] * x[i + 1] + x[i] * u[i + 1];
                        i += 2;
                    }
                    check(t, exact, fd(|s| pair_products(&axpy(&x, s, &u))));
                }
            }
        }

        #[test]
        fn pair_products_reverse() {
            for n in [2usize, 5, 8] {
                let x = rand_vec(3 + n as u64, n, -2.0, 2.0);
                rev_dot!(pair_products, pair_products_jvp, pair_products_vjp, n as u64; rf x);
                let g = rev_grad!(pair_products_vjp; rf x);
                let mut exact = vec![0.0; n];
                let mut i = 0;
                while i + 1 < n {
                    exact[i] = x[i + 1];
                    exact[i + 1] = x[i];
                    i += 2;
                }
                check_exact_vec(&g, &exact);
            }
        }

        // `for _ in` with a fixed number of Newton iterations for sqrt(a).
        #[jvp]
        #[vjp]
        fn newton_sqrt(a: $F, iters: u32) -> $F {
            let mut x = if a > 1.0 { a } else { 1.0 };
            for _ in 0..iters {
                x = 0.5 * (x + a / x);
            }
            x
        }

        #[test]
        fn newton_sqrt_matches() {
            for &a in &[0.3, 2.0, 9.5] {
                let (v, t) = newton_sqrt_jvp(a, 1.0, 40);
                assert_eq!(v, newton_sqrt(a, 40));
                check(t, 0.5 / a.sqrt(), fd(|s| newton_sqrt(a + s, 40)));
            }
        }

        #[test]
        fn newton_sqrt_reverse() {
            for (k, &a) in [0.3, 2.0, 9.5].iter().enumerate() {
                for iters in [0u32, 1, 3, 40] {
                    rev_dot!(newton_sqrt, newton_sqrt_jvp, newton_sqrt_vjp, k as u64; val a, c iters);
                }
                check_exact(rev_grad!(newton_sqrt_vjp; val a, c 40), 0.5 / a.sqrt());
            }
        }

        // Logistic map iterated a few times; derivative by the chain rule.
        #[jvp]
        #[vjp]
        fn logistic(r: $F, x0: $F, n: usize) -> $F {
            let mut x = x0;
            for _ in 0..n {
                x = r * x * (1.0 - x);
            }
            x
        }

        #[test]
        fn logistic_matches() {
            for n in [0usize, 1, 4] {
                for &(dr, dx0) in &[(1.0, 0.0), (0.0, 1.0), (0.7, -0.2)] {
                    let (r, x0) = (2.9, 0.3);
                    let (v, t) = logistic_jvp(r, dr, x0, dx0, n);
                    assert_eq!(v, logistic(r, x0, n));
                    let (mut x, mut dx) = (x0, dx0);
                    for _ in 0..n {
                        dx = dr * x * (1.0 - x) + r * (1.0 - 2.0 * x) * dx;
                        x = r * x * (1.0 - x);
                    }
                    check(t, dx, fd(|s| logistic(r + s * dr, x0 + s * dx0, n)));
                }
            }
        }

        #[test]
        fn logistic_reverse() {
            for n in [0usize, 1, 4] {
                let (r, x0) = (2.9, 0.3);
                rev_dot!(logistic, logistic_jvp, logistic_vjp, n as u64; val r, val x0, c n);
                let (gr, gx0) = rev_grad!(logistic_vjp; val r, val x0, c n);
                // Forward recurrences for d/dr and d/dx0.
                let (mut x, mut xr, mut xx) = (x0, 0.0, 1.0);
                for _ in 0..n {
                    xr = x * (1.0 - x) + r * (1.0 - 2.0 * x) * xr;
                    xx = r * (1.0 - 2.0 * x) * xx;
                    x = r * x * (1.0 - x);
                }
                check_exact(gr, xr);
                check_exact(gx0, xx);
            }
        }

        // Nested range loops: quadratic form with matrix and vector active.
        #[jvp]
        #[vjp]
        fn quad_form(a: &[[$F; 3]; 3], x: &[$F; 3]) -> $F {
            let mut s = 0.0;
            for i in 0..3 {
                for j in 0..3 {
                    s += x[i] * a[i][j] * x[j];
                }
            }
            s
        }

        #[test]
        fn quad_form_matches() {
            let a: [[$F; 3]; 3] = mat(&rand_vec(4, 9, -1.0, 1.0));
            let x: [$F; 3] = arr(&rand_vec(5, 3, -1.0, 1.0));
            let mut cases: Vec<([[$F; 3]; 3], [$F; 3])> = Vec::new();
            for u in dirs(3, 41) {
                cases.push(([[0.0; 3]; 3], arr(&u)));
            }
            for (k, u) in dirs(9, 43).into_iter().enumerate() {
                let ux: [$F; 3] = if k % 2 == 0 {
                    [0.0; 3]
                } else {
                    arr(&rand_vec(k as u64, 3, -1.0, 1.0))
                };
                cases.push((mat(&u), ux));
            }
            for (da, dx) in cases {
                let (v, t) = quad_form_jvp(&a, &da, &x, &dx);
                assert_eq!(v, quad_form(&a, &x));
                let mut exact = 0.0;
                for i in 0..3 {
                    for j in 0..3 {
                        exact +=
                            x[i] * da[i][j] * x[j] + dx[i] * a[i][j] * x[j] + x[i] * a[i][j] * dx[j];
                    }
                }
                check(
                    t,
                    exact,
                    fd(|s| quad_form(&axpy_mat(&a, s, &da), &axpy_arr(&x, s, &dx))),
                );
            }
        }

        #[test]
        fn quad_form_reverse() {
            for k in 0..3u64 {
                let a: [[$F; 3]; 3] = mat(&rand_vec(4 + 10 * k, 9, -1.0, 1.0));
                let x: [$F; 3] = arr(&rand_vec(5 + 10 * k, 3, -1.0, 1.0));
                rev_dot!(quad_form, quad_form_jvp, quad_form_vjp, k; rf a, rf x);
                let (ga, gx) = rev_grad!(quad_form_vjp; rf a, rf x);
                let mut ea = [[0.0; 3]; 3];
                let mut ex = [0.0; 3];
                for i in 0..3 {
                    for j in 0..3 {
                        ea[i][j] = x[i] * x[j];
                        ex[i] += (a[i][j] + a[j][i]) * x[j];
                    }
                }
                check_exact_vec(&flat(&ga), &flat(&ea));
                check_exact_vec(&gx, &ex);
            }
        }

        // Triangular nested loop with an inner range depending on the outer
        // index, and a loop variable used as a float (trapezoid rule).
        #[jvp]
        #[vjp]
        fn trapezoid(k: $F, n: usize) -> $F {
            let h = 1.0 / n as $F;
            let mut s = 0.0;
            for i in 0..=n {
                let t = i as $F * h;
                let w = if i == 0 || i == n { 0.5 } else { 1.0 };
                s += w * (k * t).sin();
            }
            s * h
        }

        #[test]
        fn trapezoid_matches() {
            for &k in &[0.5, 3.0] {
                for n in [1usize, 4, 16] {
                    let (v, t) = trapezoid_jvp(k, 1.0, n);
                    assert_eq!(v, trapezoid(k, n));
                    let h = 1.0 / n as $F;
                    let mut exact = 0.0;
                    for i in 0..=n {
                        let tt = i as $F * h;
                        let w = if i == 0 || i == n { 0.5 } else { 1.0 };
                        exact += w * tt * (k * tt).cos();
                    }
                    check(t, exact * h, fd(|s| trapezoid(k + s, n)));
                }
            }
        }

        #[test]
        fn trapezoid_reverse() {
            for &k in &[0.5, 3.0] {
                for n in [1usize, 4, 16] {
                    rev_dot!(trapezoid, trapezoid_jvp, trapezoid_vjp, n as u64; val k, c n);
                    let h = 1.0 / n as $F;
                    let mut exact = 0.0;
                    for i in 0..=n {
                        let tt = i as $F * h;
                        let w = if i == 0 || i == n { 0.5 } else { 1.0 };
                        exact += w * tt * (k * tt).cos();
                    }
                    check_exact(rev_grad!(trapezoid_vjp; val k, c n), exact * h);
                }
            }
        }

        #[jvp]
        #[vjp]
        fn lower_triangle(x: &[$F]) -> $F {
            let n = x.len();
            let mut s = 0.0;
            for i in 0..n {
                for j in 0..i {
                    s += (x[i] - x[j]) * (x[i] - x[j]);
                }
            }
            s
        }

        #[test]
        fn lower_triangle_matches() {
            let x = rand_vec(6, 7, -1.0, 1.0);
            for u in dirs(7, 51) {
                let (v, t) = lower_triangle_jvp(&x, &u);
                assert_eq!(v, lower_triangle(&x));
                let mut exact = 0.0;
                for i in 0..7 {
                    for j in 0..i {
                        exact += 2.0 * (x[i] - x[j]) * (u[i] - u[j]);
                    }
                }
                check(t, exact, fd(|s| lower_triangle(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn lower_triangle_reverse() {
            for (k, n) in [1usize, 2, 7].into_iter().enumerate() {
                let x = rand_vec(6 + k as u64, n, -1.0, 1.0);
                rev_dot!(lower_triangle, lower_triangle_jvp, lower_triangle_vjp, k as u64; rf x);
                let g = rev_grad!(lower_triangle_vjp; rf x);
                let exact: Vec<$F> = (0..n)
                    .map(|i| (0..n).map(|j| 2.0 * (x[i] - x[j])).sum())
                    .collect();
                check_exact_vec(&g, &exact);
            }
        }

        // Reversed inclusive range with a step, walking a slice backwards.
        #[jvp]
        #[vjp]
        fn rev_step(x: &[$F]) -> $F {
            let mut s = 0.0;
            let mut sign = 1.0;
            for i in (1..=x.len() - 1).rev().step_by(3) {
                s += sign * x[i].exp();
                sign = -sign;
            }
            s
        }

        #[test]
        fn rev_step_matches() {
            let x = rand_vec(8, 11, -1.0, 1.0);
            for u in dirs(11, 61) {
                let (v, t) = rev_step_jvp(&x, &u);
                assert_eq!(v, rev_step(&x));
                let mut exact = 0.0;
                let mut sign = 1.0;
                let mut i = 10;
                while i >= 1 {
                    exact += sign * x[i].exp() * u[i];
                    sign = -sign;
                    if i < 3 {
                        break;
                    }
                    i -= 3;
                }
                check(t, exact, fd(|s| rev_step(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn rev_step_reverse() {
            for (k, n) in [2usize, 4, 11].into_iter().enumerate() {
                let x = rand_vec(8 + k as u64, n, -1.0, 1.0);
                rev_dot!(rev_step, rev_step_jvp, rev_step_vjp, k as u64; rf x);
                let g = rev_grad!(rev_step_vjp; rf x);
                let mut exact = vec![0.0; n];
                let mut sign = 1.0;
                let mut i = n - 1;
                while i >= 1 {
                    exact[i] = sign * x[i].exp();
                    sign = -sign;
                    if i < 3 {
                        break;
                    }
                    i -= 3;
                }
                check_exact_vec(&g, &exact);
            }
        }

        // Range loop over a `&Vec` and a by-value array together.
        #[jvp]
        #[vjp]
        fn vec_and_array(v: &Vec<$F>, w: [$F; 4]) -> $F {
            let mut s = 0.0;
            for i in 0..4 {
                s += v[i] * w[i] + v[i + 4] / w[i];
            }
            s
        }

        #[test]
        fn vec_and_array_matches() {
            let v = rand_vec(9, 8, -1.0, 1.0);
            let w: [$F; 4] = arr(&rand_vec(10, 4, 0.5, 2.0));
            for k in 0..4 {
                let (dv, dw): (Vec<$F>, [$F; 4]) = match k {
                    0 => (dirs(8, 1)[0].clone(), [0.0; 4]),
                    1 => (vec![0.0; 8], [0.0, 0.0, 1.0, 0.0]),
                    2 => (dirs(8, 2)[2].clone(), [0.0; 4]),
                    _ => (rand_vec(12, 8, -1.0, 1.0), arr(&rand_vec(13, 4, -1.0, 1.0))),
                };
                let (val, t) = vec_and_array_jvp(&v, &dv, w, dw);
                assert_eq!(val, vec_and_array(&v, w));
                let mut exact = 0.0;
                for i in 0..4 {
                    exact += dv[i] * w[i] + v[i] * dw[i] + dv[i + 4] / w[i]
                        - v[i + 4] * dw[i] / (w[i] * w[i]);
                }
                check(
                    t,
                    exact,
                    fd(|s| vec_and_array(&axpy(&v, s, &dv), axpy_arr(&w, s, &dw))),
                );
            }
        }

        #[test]
        fn vec_and_array_reverse() {
            for k in 0..3u64 {
                let v = rand_vec(9 + k, 8, -1.0, 1.0);
                let w: [$F; 4] = arr(&rand_vec(10 + k, 4, 0.5, 2.0));
                rev_dot!(vec_and_array, vec_and_array_jvp, vec_and_array_vjp, k; rf v, val w);
                let (gv, gw) = rev_grad!(vec_and_array_vjp; rf v, val w);
                let mut ev = vec![0.0; 8];
                let mut ew = [0.0; 4];
                for i in 0..4 {
                    ev[i] = w[i];
                    ev[i + 4] = 1.0 / w[i];
                    ew[i] = v[i] - v[i + 4] / (w[i] * w[i]);
                }
                check_exact_vec(&gv, &ev);
                check_exact_vec(&gw, &ew);
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

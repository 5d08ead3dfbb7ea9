//! Stress combinations of control flow and data: nested loops with
//! break/continue/early return, data-dependent while loops, insertion sort
//! followed by a partial sum, running maximum, power iteration, RK4 steps.

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

        // Insertion sort of a local copy, then a weighted partial sum of the
        // `k` smallest values.
        #[jvp]
        #[vjp]
        fn sorted_partial_sum(x: &[$F], k: usize) -> $F {
            let n = x.len();
            let mut a = vec![0.0; n];
            for i in 0..n {
                a[i] = x[i];
            }
            for i in 1..n {
                let mut j = i;
                while j > 0 && a[j - 1] > a[j] {
                    let t = a[j];
                    a[j] = a[j - 1];
                    a[j - 1] = t;
                    j -= 1;
                }
            }
            let mut s = 0.0;
            for i in 0..k {
                s += a[i] * a[i] * (i + 1) as $F;
            }
            s
        }

        #[test]
        fn sorted_partial_sum_matches() {
            let x = spread_vec(1, 9);
            let mut order: Vec<usize> = (0..9).collect();
            order.sort_by(|&p, &q| x[p].partial_cmp(&x[q]).unwrap());
            for k in [0usize, 1, 4, 9] {
                for u in dirs(9, 1) {
                    let (v, t) = sorted_partial_sum_jvp(&x, &u, k);
                    assert_eq!(v, sorted_partial_sum(&x, k));
                    let mut exact = 0.0;
                    for i in 0..k {
                        let p = order[i];
                        exact += 2.0 * x[p] * u[p] * (i + 1) as $F;
                    }
                    check(t, exact, fd(|s| sorted_partial_sum(&axpy(&x, s, &u), k)));
                }
            }
        }

        #[test]
        fn sorted_partial_sum_reverse() {
            let x = spread_vec(1, 9);
            for k in [0usize, 1, 4, 9] {
                rev_dot!(sorted_partial_sum, sorted_partial_sum_jvp, sorted_partial_sum_vjp, k as u64; rf x, c k);
            }
        }

        // Running maximum accumulated into a sum, with the maximum held in a
        // variable assigned inside a branch.
        #[jvp]
        #[vjp]
        fn running_max_sum(x: &[$F]) -> $F {
            let mut m = x[0];
            let mut s = 0.0;
            for &xi in x {
                if xi > m {
                    m = xi;
                }
                s += m * m;
            }
            s
        }

        #[test]
        fn running_max_sum_matches() {
            let x = spread_vec(2, 10);
            for u in dirs(10, 2) {
                let (v, t) = running_max_sum_jvp(&x, &u);
                assert_eq!(v, running_max_sum(&x));
                let mut arg = 0;
                let mut exact = 0.0;
                for i in 0..10 {
                    if x[i] > x[arg] {
                        arg = i;
                    }
                    exact += 2.0 * x[arg] * u[arg];
                }
                check(t, exact, fd(|s| running_max_sum(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn running_max_sum_reverse() {
            for (k, n) in [1usize, 3, 10].into_iter().enumerate() {
                let x = spread_vec(2 + k as u64, n);
                rev_dot!(running_max_sum, running_max_sum_jvp, running_max_sum_vjp, k as u64; rf x);
            }
        }

        // Nested loops with continue, labelled break and an early return in the
        // inner loop, and state carried across the outer loop.
        #[jvp]
        #[vjp]
        fn nested_mix(x: &[$F], lim: $F) -> $F {
            let n = x.len();
            let mut acc = 0.0;
            let mut carry = 1.0;
            'rows: for i in 0..n {
                if x[i] < -1.5 {
                    continue;
                }
                let mut j = i;
                loop {
                    j += 1;
                    if j >= n {
                        break;
                    }
                    if x[j] < 0.0 {
                        continue;
                    }
                    let p = x[i] * x[j] * carry;
                    if p > lim {
                        return acc + p;
                    }
                    if p < -lim {
                        break 'rows;
                    }
                    acc += p;
                }
                carry = carry * 0.5 + x[i] * 0.25;
            }
            acc * carry
        }

        // Independent re-implementation of `nested_mix` carrying tangents by hand.
        fn nested_mix_tangent(x: &[$F], u: &[$F], lim: $F) -> $F {
            let n = x.len();
            let (mut acc, mut dacc) = (0.0, 0.0);
            let (mut carry, mut dcarry) = (1.0, 0.0);
            for i in 0..n {
                if x[i] < -1.5 {
                    continue;
                }
                for j in i + 1..n {
                    if x[j] < 0.0 {
                        continue;
                    }
                    let p = x[i] * x[j] * carry;
                    let dp = u[i] * x[j] * carry + x[i] * u[j] * carry + x[i] * x[j] * dcarry;
                    if p > lim {
                        return dacc + dp;
                    }
                    if p < -lim {
                        return dacc * carry + acc * dcarry;
                    }
                    acc += p;
                    dacc += dp;
                }
                dcarry = dcarry * 0.5 + u[i] * 0.25;
                carry = carry * 0.5 + x[i] * 0.25;
            }
            dacc * carry + acc * dcarry
        }

        #[test]
        fn nested_mix_matches() {
            // lim = 10: no exit; lim = 0.45: the early return fires; the
            // negative-product exit needs a positive x[j] times a negative x[i].
            let x = vec![0.8, -1.9, 0.5, -0.7, 1.2, 0.3, -0.2, 0.9];
            for &lim in &[10.0, 0.45, 0.2] {
                for u in dirs(8, 3) {
                    let (v, t) = nested_mix_jvp(&x, &u, lim, 0.0);
                    assert_eq!(v, nested_mix(&x, lim));
                    check(
                        t,
                        nested_mix_tangent(&x, &u, lim),
                        fd(|s| nested_mix(&axpy(&x, s, &u), lim)),
                    );
                }
            }
        }

        #[test]
        fn nested_mix_reverse() {
            let x = vec![0.8, -1.9, 0.5, -0.7, 1.2, 0.3, -0.2, 0.9];
            for &lim in &[10.0, 0.45, 0.2] {
                rev_dot!(nested_mix, nested_mix_jvp, nested_mix_vjp, (lim * 100.0) as u64; rf x, val lim);
                let (gx, gl) = rev_grad!(nested_mix_vjp; rf x, val lim);
                check_exact_vec(&gx, &grad_by_dirs(8, |u| nested_mix_tangent(&x, u, lim)));
                check_exact(gl, 0.0);
            }
        }

        // Data-dependent while loop: bounce a value into [1, 2) by halving or
        // doubling, counting steps; then refine with a Newton-like loop.
        #[jvp]
        #[vjp]
        fn normalize_exponent(x: $F) -> $F {
            let mut m = x;
            let mut e = 0;
            while m >= 2.0 {
                m *= 0.5;
                e += 1;
            }
            while m < 1.0 {
                m *= 2.0;
                e -= 1;
            }
            // log2(x) = e + log2(m)
            e as $F + m.log2()
        }

        #[test]
        fn normalize_exponent_matches() {
            for &x in &[0.013, 0.3, 1.5, 3.3, 700.0] {
                let (v, t) = normalize_exponent_jvp(x, 1.0);
                assert_eq!(v, normalize_exponent(x));
                check(
                    t,
                    1.0 / (x * std::$F::consts::LN_2),
                    fd_h(|s| normalize_exponent(x + s), H * x),
                );
            }
        }

        #[test]
        fn normalize_exponent_reverse() {
            for (i, &x) in [0.013, 0.3, 1.5, 3.3, 700.0].iter().enumerate() {
                rev_dot!(normalize_exponent, normalize_exponent_jvp, normalize_exponent_vjp, i as u64; val x);
            }
        }

        // Power iteration for the dominant eigenvalue of a symmetric matrix; its
        // derivative is vᵀ dA v (Hellmann–Feynman).
        #[jvp]
        #[vjp]
        fn dominant_eig(a: &[[$F; 3]; 3], iters: usize) -> $F {
            let mut v = [1.0, 1.0, 1.0];
            let mut lam = 0.0;
            for _ in 0..iters {
                let mut w = [0.0; 3];
                for i in 0..3 {
                    for j in 0..3 {
                        w[i] += a[i][j] * v[j];
                    }
                }
                let mut nrm = 0.0;
                for i in 0..3 {
                    nrm += w[i] * w[i];
                }
                let nrm = nrm.sqrt();
                lam = 0.0;
                for i in 0..3 {
                    lam += v[i] * w[i];
                }
                for i in 0..3 {
                    v[i] = w[i] / nrm;
                }
            }
            lam
        }

        #[test]
        fn dominant_eig_matches() {
            let a: [[$F; 3]; 3] = [[4.0, 1.0, 0.5], [1.0, 2.0, 0.3], [0.5, 0.3, 1.0]];
            // Reference eigenvector by many power iterations (plain code).
            let mut v = [1.0, 1.0, 1.0];
            for _ in 0..2000 {
                let mut w = [0.0; 3];
                for i in 0..3 {
                    for j in 0..3 {
                        w[i] += a[i][j] * v[j];
                    }
                }
                let n = (w[0] * w[0] + w[1] * w[1] + w[2] * w[2]).sqrt();
                for i in 0..3 {
                    v[i] = w[i] / n;
                }
            }
            let mut ds: Vec<[[$F; 3]; 3]> = Vec::new();
            for (k, u) in dirs(9, 4).into_iter().enumerate() {
                let m: [[$F; 3]; 3] = mat(&u);
                // Symmetrise half of the directions.
                if k % 2 == 0 {
                    ds.push(core::array::from_fn(|i| {
                        core::array::from_fn(|j| 0.5 * (m[i][j] + m[j][i]))
                    }));
                } else {
                    ds.push(m);
                }
            }
            for da in ds {
                let (lam, t) = dominant_eig_jvp(&a, &da, 200);
                assert_eq!(lam, dominant_eig(&a, 200));
                let mut exact = 0.0;
                for i in 0..3 {
                    for j in 0..3 {
                        exact += v[i] * da[i][j] * v[j];
                    }
                }
                check(t, exact, fd(|s| dominant_eig(&axpy_mat(&a, s, &da), 200)));
            }
        }

        #[test]
        fn dominant_eig_reverse() {
            let a: [[$F; 3]; 3] = [[4.0, 1.0, 0.5], [1.0, 2.0, 0.3], [0.5, 0.3, 1.0]];
            for iters in [0usize, 1, 5, 60] {
                rev_dot!(dominant_eig, dominant_eig_jvp, dominant_eig_vjp, iters as u64; rf a, c iters);
            }
        }

        // Classical RK4 for y' = -k y, n steps: y_n = y0 R(kh)^n.
        #[jvp]
        #[vjp]
        fn rk4_decay(y0: $F, k: $F, h: $F, n: usize) -> $F {
            let mut y = y0;
            let mut t = 0.0;
            for _ in 0..n {
                let k1 = -k * y;
                let k2 = -k * (y + 0.5 * h * k1);
                let k3 = -k * (y + 0.5 * h * k2);
                let k4 = -k * (y + h * k3);
                y += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
                t += h;
            }
            let _ = t;
            y
        }

        #[test]
        fn rk4_decay_matches() {
            let (y0, k, h, n) = (1.3, 0.8, 0.1, 20);
            for &(dy0, dk, dh) in &[
                (1.0, 0.0, 0.0),
                (0.0, 1.0, 0.0),
                (0.0, 0.0, 1.0),
                (0.4, -0.3, 0.2),
            ] {
                let (v, t) = rk4_decay_jvp(y0, dy0, k, dk, h, dh, n);
                assert_eq!(v, rk4_decay(y0, k, h, n));
                let z = k * h;
                let r = 1.0 - z + z * z / 2.0 - z * z * z / 6.0 + z * z * z * z / 24.0;
                let dr = -1.0 + z - z * z / 2.0 + z * z * z / 6.0;
                let dz = dk * h + k * dh;
                let nf = n as $F;
                let exact = dy0 * r.powi(n as i32) + y0 * nf * r.powi(n as i32 - 1) * dr * dz;
                check(
                    t,
                    exact,
                    fd(|s| rk4_decay(y0 + s * dy0, k + s * dk, h + s * dh, n)),
                );
            }
        }

        #[test]
        fn rk4_decay_reverse() {
            for n in [0usize, 1, 20] {
                let (y0, k, h) = (1.3, 0.8, 0.1);
                rev_dot!(rk4_decay, rk4_decay_jvp, rk4_decay_vjp, n as u64; val y0, val k, val h, c n);
            }
        }

        // In-place callee called twice inside a loop, plus early exit.
        #[jvp]
        #[vjp]
        fn damp(v: &mut [$F], c: $F) {
            for i in 0..v.len() {
                v[i] *= c;
            }
        }

        #[jvp]
        #[vjp]
        fn damp_until(x: &[$F; 3], c: $F, tol: $F) -> $F {
            let mut v = *x;
            let mut steps = 0;
            loop {
                damp(&mut v, c);
                damp(&mut v, c);
                steps += 1;
                let mut e = 0.0;
                for &vi in &v {
                    e += vi * vi;
                }
                if e < tol || steps == 50 {
                    return e + steps as $F;
                }
            }
        }

        #[test]
        fn damp_until_matches() {
            let x = [1.0, -0.5, 0.8];
            let c = 0.8;
            // Energy after m rounds: |x|² c^(4m); stop at the first m with
            // energy < tol.
            for &tol in &[0.5, 0.03] {
                for (j, u) in dirs(3, 5).into_iter().enumerate() {
                    let u: [$F; 3] = arr(&u);
                    let dc = if j == 4 { 0.1 } else { 0.0 };
                    let (v, t) = damp_until_jvp(&x, &u, c, dc, tol, 0.0);
                    assert_eq!(v, damp_until(&x, c, tol));
                    let e0: $F = x.iter().map(|a| a * a).sum();
                    let mut m = 1;
                    while e0 * c.powi(4 * m) >= tol {
                        m += 1;
                    }
                    let de0: $F = (0..3).map(|i| 2.0 * x[i] * u[i]).sum();
                    let exact = de0 * c.powi(4 * m) + e0 * (4 * m) as $F * c.powi(4 * m - 1) * dc;
                    check(
                        t,
                        exact,
                        fd(|s| damp_until(&axpy_arr(&x, s, &u), c + s * dc, tol)),
                    );
                }
            }
        }

        #[test]
        fn damp_until_reverse() {
            for (k, n) in [0usize, 1, 4].into_iter().enumerate() {
                let v = rand_vec(5 + k as u64, n, -1.0, 1.0);
                let c = 0.8;
                rev_dot!(unit damp, damp_jvp, damp_vjp, k as u64; mt v, val c);
            }
            let x = [1.0, -0.5, 0.8];
            for &tol in &[0.5, 0.03, 1e-30] {
                let c = 0.8;
                rev_dot!(damp_until, damp_until_jvp, damp_until_vjp, 0; rf x, val c, val tol);
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

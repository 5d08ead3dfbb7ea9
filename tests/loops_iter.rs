//! `for` loops over slices, arrays and Vecs: `x.iter()`, `&x`, `for &xi in x`,
//! `.enumerate()`, `.zip(...)`, `.skip(k)`, `iter_mut()`.

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

        // `x.iter()` with an explicit deref.
        #[jvp]
        #[vjp]
        fn sum_sin(x: &[$F]) -> $F {
            let mut s = 0.0;
            for xi in x.iter() {
                s += (*xi).sin();
            }
            s
        }

        #[test]
        fn sum_sin_matches() {
            let x = rand_vec(1, 12, -3.0, 3.0);
            for u in dirs(12, 1) {
                let (v, t) = sum_sin_jvp(&x, &u);
                assert_eq!(v, sum_sin(&x));
                let exact: $F = x.iter().zip(&u).map(|(a, b)| a.cos() * b).sum();
                check(t, exact, fd(|s| sum_sin(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn sum_sin_reverse() {
            for (k, n) in [1usize, 12].into_iter().enumerate() {
                let x = rand_vec(1 + k as u64, n, -3.0, 3.0);
                rev_dot!(sum_sin, sum_sin_jvp, sum_sin_vjp, k as u64; rf x);
                let g = rev_grad!(sum_sin_vjp; rf x);
                check_exact_vec(&g, &x.iter().map(|a| a.cos()).collect::<Vec<_>>());
            }
        }

        // `for &xi in x` (pattern binding by copy) on a slice parameter.
        #[jvp]
        #[vjp]
        fn log_sum_exp(x: &[$F]) -> $F {
            let mut m = x[0];
            for &xi in x {
                if xi > m {
                    m = xi;
                }
            }
            let mut s = 0.0;
            for &xi in x {
                s += (xi - m).exp();
            }
            m + s.ln()
        }

        #[test]
        fn log_sum_exp_matches() {
            let x = spread_vec(2, 6);
            for u in dirs(6, 2) {
                let (v, t) = log_sum_exp_jvp(&x, &u);
                assert_eq!(v, log_sum_exp(&x));
                let m = x.iter().cloned().fold($F::NEG_INFINITY, $F::max);
                let z: $F = x.iter().map(|a| (a - m).exp()).sum();
                let exact: $F = x.iter().zip(&u).map(|(a, b)| (a - m).exp() / z * b).sum();
                check(t, exact, fd(|s| log_sum_exp(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn log_sum_exp_reverse() {
            for (k, n) in [1usize, 2, 6].into_iter().enumerate() {
                let x = spread_vec(2 + k as u64, n);
                rev_dot!(log_sum_exp, log_sum_exp_jvp, log_sum_exp_vjp, k as u64; rf x);
                let g = rev_grad!(log_sum_exp_vjp; rf x);
                let m = x.iter().cloned().fold($F::NEG_INFINITY, $F::max);
                let z: $F = x.iter().map(|a| (a - m).exp()).sum();
                check_exact_vec(&g, &x.iter().map(|a| (a - m).exp() / z).collect::<Vec<_>>());
            }
        }

        // `for xi in &x` over a by-value array, using method calls through the
        // reference (auto-deref) and `*xi`.
        #[jvp]
        #[vjp]
        fn array_by_ref_loop(x: [$F; 5], k: $F) -> $F {
            let mut s = 0.0;
            for xi in &x {
                s += xi.powi(2) * k + *xi;
            }
            s
        }

        #[test]
        fn array_by_ref_loop_matches() {
            let x: [$F; 5] = arr(&rand_vec(3, 5, -2.0, 2.0));
            let k = 0.75;
            for (j, u) in dirs(5, 3).into_iter().enumerate() {
                let u: [$F; 5] = arr(&u);
                let dk = if j % 2 == 0 { 0.0 } else { 0.6 };
                let (v, t) = array_by_ref_loop_jvp(x, u, k, dk);
                assert_eq!(v, array_by_ref_loop(x, k));
                let mut exact = 0.0;
                for i in 0..5 {
                    exact += 2.0 * x[i] * u[i] * k + x[i] * x[i] * dk + u[i];
                }
                check(
                    t,
                    exact,
                    fd(|s| array_by_ref_loop(axpy_arr(&x, s, &u), k + s * dk)),
                );
            }
        }

        #[test]
        fn array_by_ref_loop_reverse() {
            for j in 0..3u64 {
                let x: [$F; 5] = arr(&rand_vec(3 + j, 5, -2.0, 2.0));
                let k = 0.75 - 0.5 * j as $F;
                rev_dot!(array_by_ref_loop, array_by_ref_loop_jvp, array_by_ref_loop_vjp, j; val x, val k);
                let (gx, gk) = rev_grad!(array_by_ref_loop_vjp; val x, val k);
                check_exact_vec(&gx, &x.map(|a| 2.0 * a * k + 1.0));
                check_exact(gk, x.iter().map(|a| a * a).sum());
            }
        }

        // Iterating a `&Vec<f64>` parameter directly and through `.iter()`.
        #[jvp]
        #[vjp]
        fn vec_param_loops(v: &Vec<$F>) -> $F {
            let mut s = 0.0;
            for vi in v {
                s += vi * vi;
            }
            let mut p = 0.0;
            for vi in v.iter() {
                p += s * vi.cos();
            }
            p
        }

        #[test]
        fn vec_param_loops_matches() {
            let v = rand_vec(4, 7, -1.5, 1.5);
            for u in dirs(7, 4) {
                let (val, t) = vec_param_loops_jvp(&v, &u);
                assert_eq!(val, vec_param_loops(&v));
                let s: $F = v.iter().map(|a| a * a).sum();
                let ds: $F = v.iter().zip(&u).map(|(a, b)| 2.0 * a * b).sum();
                let c: $F = v.iter().map(|a| a.cos()).sum();
                let dc: $F = v.iter().zip(&u).map(|(a, b)| -a.sin() * b).sum();
                check(
                    t,
                    ds * c + s * dc,
                    fd(|h| vec_param_loops(&axpy(&v, h, &u))),
                );
            }
        }

        #[test]
        fn vec_param_loops_reverse() {
            for (k, n) in [1usize, 7].into_iter().enumerate() {
                let v = rand_vec(4 + k as u64, n, -1.5, 1.5);
                rev_dot!(vec_param_loops, vec_param_loops_jvp, vec_param_loops_vjp, k as u64; rf v);
                let g = rev_grad!(vec_param_loops_vjp; rf v);
                let s: $F = v.iter().map(|a| a * a).sum();
                let c: $F = v.iter().map(|a| a.cos()).sum();
                let exact: Vec<$F> = v.iter().map(|a| 2.0 * a * c - s * a.sin()).collect();
                check_exact_vec(&g, &exact);
            }
        }

        // `.enumerate()` with the index used as a constant weight.
        #[jvp]
        #[vjp]
        fn enumerate_weights(x: &[$F]) -> $F {
            let mut s = 0.0;
            for (i, xi) in x.iter().enumerate() {
                s += (i as $F + 1.0) * xi.sin() * *xi;
            }
            s
        }

        #[test]
        fn enumerate_weights_matches() {
            let x = rand_vec(5, 10, -2.0, 2.0);
            for u in dirs(10, 5) {
                let (v, t) = enumerate_weights_jvp(&x, &u);
                assert_eq!(v, enumerate_weights(&x));
                let mut exact = 0.0;
                for i in 0..10 {
                    exact += (i as $F + 1.0) * (x[i].cos() * x[i] + x[i].sin()) * u[i];
                }
                check(t, exact, fd(|s| enumerate_weights(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn enumerate_weights_reverse() {
            let x = rand_vec(5, 10, -2.0, 2.0);
            rev_dot!(enumerate_weights, enumerate_weights_jvp, enumerate_weights_vjp, 0; rf x);
            let g = rev_grad!(enumerate_weights_vjp; rf x);
            let exact: Vec<$F> = (0..10)
                .map(|i| (i as $F + 1.0) * (x[i].cos() * x[i] + x[i].sin()))
                .collect();
            check_exact_vec(&g, &exact);
        }

        // `.enumerate()` with a `&xi` pattern and the index used to read a second
        // active slice.
        #[jvp]
        #[vjp]
        fn enumerate_pattern(x: &[$F], y: &[$F]) -> $F {
            let mut s = 0.0;
            for (i, &xi) in x.iter().enumerate() {
                s += xi * y[x.len() - 1 - i];
            }
            s
        }

        #[test]
        fn enumerate_pattern_matches() {
            let x = rand_vec(6, 5, -1.0, 1.0);
            let y = rand_vec(7, 5, -1.0, 1.0);
            for (k, u) in dirs(5, 6).into_iter().enumerate() {
                let w = if k % 2 == 0 {
                    vec![0.0; 5]
                } else {
                    rand_vec(k as u64, 5, -1.0, 1.0)
                };
                for (ux, uy) in [(u.clone(), w.clone()), (w.clone(), u.clone())] {
                    let (v, t) = enumerate_pattern_jvp(&x, &ux, &y, &uy);
                    assert_eq!(v, enumerate_pattern(&x, &y));
                    let mut exact = 0.0;
                    for i in 0..5 {
                        exact += ux[i] * y[4 - i] + x[i] * uy[4 - i];
                    }
                    check(
                        t,
                        exact,
                        fd(|s| enumerate_pattern(&axpy(&x, s, &ux), &axpy(&y, s, &uy))),
                    );
                }
            }
        }

        #[test]
        fn enumerate_pattern_reverse() {
            for (k, n) in [1usize, 5].into_iter().enumerate() {
                let x = rand_vec(6 + k as u64, n, -1.0, 1.0);
                let y = rand_vec(7 + k as u64, n, -1.0, 1.0);
                rev_dot!(enumerate_pattern, enumerate_pattern_jvp, enumerate_pattern_vjp, k as u64; rf x, rf y);
                let (gx, gy) = rev_grad!(enumerate_pattern_vjp; rf x, rf y);
                let ex: Vec<$F> = (0..n).map(|i| y[n - 1 - i]).collect();
                let ey: Vec<$F> = (0..n).map(|i| x[n - 1 - i]).collect();
                check_exact_vec(&gx, &ex);
                check_exact_vec(&gy, &ey);
            }
        }

        // `.zip(...)`: dot product and weighted squared distance.
        #[jvp]
        #[vjp]
        fn zip_dot(x: &[$F], y: &[$F]) -> $F {
            let mut s = 0.0;
            for (a, b) in x.iter().zip(y.iter()) {
                s += a * b;
            }
            s
        }

        #[jvp]
        #[vjp]
        fn zip_dist(x: &[$F], y: &[$F], w: &[$F; 4]) -> $F {
            let mut s = 0.0;
            for ((&a, &b), wi) in x.iter().zip(y).zip(w) {
                let d = a - b;
                s += wi * d * d;
            }
            s.sqrt()
        }

        #[test]
        fn zip_dot_matches() {
            let x = rand_vec(8, 4, -1.0, 1.0);
            let y = rand_vec(9, 4, -1.0, 1.0);
            for u in dirs(4, 8) {
                let w = rand_vec(10, 4, -1.0, 1.0);
                for (ux, uy) in [
                    (u.clone(), vec![0.0; 4]),
                    (vec![0.0; 4], u.clone()),
                    (u.clone(), w.clone()),
                ] {
                    let (v, t) = zip_dot_jvp(&x, &ux, &y, &uy);
                    assert_eq!(v, zip_dot(&x, &y));
                    check(
                        t,
                        dot(&ux, &y) + dot(&x, &uy),
                        fd(|s| zip_dot(&axpy(&x, s, &ux), &axpy(&y, s, &uy))),
                    );
                }
            }
        }

        #[test]
        fn zip_dist_matches() {
            let x = rand_vec(11, 4, -1.0, 1.0);
            let y = rand_vec(12, 4, -1.0, 1.0);
            let w: [$F; 4] = arr(&rand_vec(13, 4, 0.5, 1.5));
            let mut cases = Vec::new();
            for u in dirs(4, 9) {
                cases.push((u.clone(), vec![0.0; 4], [0.0; 4]));
                cases.push((vec![0.0; 4], u.clone(), [0.0; 4]));
                cases.push((vec![0.0; 4], vec![0.0; 4], arr::<4>(&u)));
            }
            cases.push((
                rand_vec(14, 4, -1.0, 1.0),
                rand_vec(15, 4, -1.0, 1.0),
                arr(&rand_vec(16, 4, -1.0, 1.0)),
            ));
            for (ux, uy, uw) in cases {
                let (v, t) = zip_dist_jvp(&x, &ux, &y, &uy, &w, &uw);
                assert_eq!(v, zip_dist(&x, &y, &w));
                let mut s = 0.0;
                let mut ds = 0.0;
                for i in 0..4 {
                    let d = x[i] - y[i];
                    s += w[i] * d * d;
                    ds += uw[i] * d * d + 2.0 * w[i] * d * (ux[i] - uy[i]);
                }
                let exact = ds / (2.0 * s.sqrt());
                check(
                    t,
                    exact,
                    fd(|h| zip_dist(&axpy(&x, h, &ux), &axpy(&y, h, &uy), &axpy_arr(&w, h, &uw))),
                );
            }
        }

        #[test]
        fn zip_dot_reverse() {
            // Including slices of different lengths (zip stops at the shorter).
            for &(k, nx, ny) in &[(0u64, 4usize, 4usize), (1, 3, 5), (2, 5, 2)] {
                let x = rand_vec(8 + k, nx, -1.0, 1.0);
                let y = rand_vec(9 + k, ny, -1.0, 1.0);
                rev_dot!(zip_dot, zip_dot_jvp, zip_dot_vjp, k; rf x, rf y);
                let (gx, gy) = rev_grad!(zip_dot_vjp; rf x, rf y);
                let m = nx.min(ny);
                let ex: Vec<$F> = (0..nx).map(|i| if i < m { y[i] } else { 0.0 }).collect();
                let ey: Vec<$F> = (0..ny).map(|i| if i < m { x[i] } else { 0.0 }).collect();
                check_exact_vec(&gx, &ex);
                check_exact_vec(&gy, &ey);
            }
        }

        #[test]
        fn zip_dist_reverse() {
            for k in 0..3u64 {
                let x = rand_vec(11 + k, 4, -1.0, 1.0);
                let y = rand_vec(12 + k, 4, -1.0, 1.0);
                let w: [$F; 4] = arr(&rand_vec(13 + k, 4, 0.5, 1.5));
                rev_dot!(zip_dist, zip_dist_jvp, zip_dist_vjp, k; rf x, rf y, rf w);
                let (gx, gy, gw) = rev_grad!(zip_dist_vjp; rf x, rf y, rf w);
                let s: $F = (0..4).map(|i| w[i] * (x[i] - y[i]) * (x[i] - y[i])).sum();
                let r = s.sqrt();
                let ex: Vec<$F> = (0..4).map(|i| w[i] * (x[i] - y[i]) / r).collect();
                let ey: Vec<$F> = ex.iter().map(|a| -a).collect();
                let ew: Vec<$F> = (0..4)
                    .map(|i| (x[i] - y[i]) * (x[i] - y[i]) / (2.0 * r))
                    .collect();
                check_exact_vec(&gx, &ex);
                check_exact_vec(&gy, &ey);
                check_exact_vec(&gw, &ew);
            }
        }

        // `.skip(k)`: finite-difference style sum over consecutive elements.
        #[jvp]
        #[vjp]
        fn skip_diffs(x: &[$F], k: usize) -> $F {
            let mut s = 0.0;
            let mut prev = x[k - 1];
            for &xi in x.iter().skip(k) {
                s += (xi - prev) * (xi - prev);
                prev = xi;
            }
            s
        }

        #[test]
        fn skip_diffs_matches() {
            let x = rand_vec(17, 8, -1.0, 1.0);
            for k in [1usize, 3, 7, 8] {
                for u in dirs(8, 17) {
                    let (v, t) = skip_diffs_jvp(&x, &u, k);
                    assert_eq!(v, skip_diffs(&x, k));
                    let mut exact = 0.0;
                    for i in k..8 {
                        exact += 2.0 * (x[i] - x[i - 1]) * (u[i] - u[i - 1]);
                    }
                    check(t, exact, fd(|s| skip_diffs(&axpy(&x, s, &u), k)));
                }
            }
        }

        #[test]
        fn skip_diffs_reverse() {
            let x = rand_vec(17, 8, -1.0, 1.0);
            for k in [1usize, 3, 7, 8] {
                rev_dot!(skip_diffs, skip_diffs_jvp, skip_diffs_vjp, k as u64; rf x, c k);
                let g = rev_grad!(skip_diffs_vjp; rf x, c k);
                let mut exact = vec![0.0; 8];
                for i in k..8 {
                    let d = 2.0 * (x[i] - x[i - 1]);
                    exact[i] += d;
                    exact[i - 1] -= d;
                }
                check_exact_vec(&g, &exact);
            }
        }

        // `iter_mut()` on a local array and on a local Vec.
        #[jvp]
        #[vjp]
        fn iter_mut_locals(x: &[$F; 4], a: $F) -> $F {
            let mut w = [0.0; 4];
            for i in 0..4 {
                w[i] = x[i];
            }
            for wi in w.iter_mut() {
                *wi *= a;
                *wi += 1.0;
            }
            let mut v = vec![1.0; 4];
            for (vi, wi) in v.iter_mut().zip(w.iter()) {
                *vi = wi * wi;
            }
            let mut s = 0.0;
            for vi in &v {
                s += vi;
            }
            s
        }

        #[test]
        fn iter_mut_locals_matches() {
            let x: [$F; 4] = arr(&rand_vec(18, 4, -1.0, 1.0));
            let a = 1.3;
            for (j, u) in dirs(4, 18).into_iter().enumerate() {
                let u: [$F; 4] = arr(&u);
                let da = if j == 0 { 0.0 } else { 0.5 };
                let (v, t) = iter_mut_locals_jvp(&x, &u, a, da);
                assert_eq!(v, iter_mut_locals(&x, a));
                let mut exact = 0.0;
                for i in 0..4 {
                    let w = x[i] * a + 1.0;
                    exact += 2.0 * w * (u[i] * a + x[i] * da);
                }
                check(
                    t,
                    exact,
                    fd(|s| iter_mut_locals(&axpy_arr(&x, s, &u), a + s * da)),
                );
            }
        }

        #[test]
        fn iter_mut_locals_reverse() {
            for j in 0..3u64 {
                let x: [$F; 4] = arr(&rand_vec(18 + j, 4, -1.0, 1.0));
                let a = 1.3 - 0.9 * j as $F;
                rev_dot!(iter_mut_locals, iter_mut_locals_jvp, iter_mut_locals_vjp, j; rf x, val a);
                let (gx, ga) = rev_grad!(iter_mut_locals_vjp; rf x, val a);
                let w = x.map(|xi| xi * a + 1.0);
                check_exact_vec(&gx, &w.map(|wi| 2.0 * wi * a));
                check_exact(ga, (0..4).map(|i| 2.0 * w[i] * x[i]).sum());
            }
        }

        // Slice of arrays (`&[[f64; 2]]`): polygon perimeter and area.
        #[jvp]
        #[vjp]
        fn polygon(p: &[[$F; 2]]) -> $F {
            let n = p.len();
            let mut area = 0.0;
            let mut perim = 0.0;
            for (i, a) in p.iter().enumerate() {
                let b = p[(i + 1) % n];
                area += a[0] * b[1] - b[0] * a[1];
                perim += ((b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1])).sqrt();
            }
            0.5 * area + perim
        }

        #[test]
        fn polygon_matches() {
            let p: Vec<[$F; 2]> = (0..5)
                .map(|k| {
                    let th = k as $F * 1.2566370614359172 + 0.1;
                    let r = 1.0 + 0.2 * k as $F;
                    [r * th.cos(), r * th.sin()]
                })
                .collect();
            for u in dirs(10, 19) {
                let up: Vec<[$F; 2]> = (0..5).map(|k| [u[2 * k], u[2 * k + 1]]).collect();
                let (v, t) = polygon_jvp(&p, &up);
                assert_eq!(v, polygon(&p));
                let mut exact = 0.0;
                for i in 0..5 {
                    let (a, b) = (p[i], p[(i + 1) % 5]);
                    let (da, db) = (up[i], up[(i + 1) % 5]);
                    exact += 0.5 * (da[0] * b[1] + a[0] * db[1] - db[0] * a[1] - b[0] * da[1]);
                    let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
                    let len = (ex * ex + ey * ey).sqrt();
                    exact += (ex * (db[0] - da[0]) + ey * (db[1] - da[1])) / len;
                }
                let shifted = |s: $F| -> Vec<[$F; 2]> {
                    (0..5)
                        .map(|k| [p[k][0] + s * up[k][0], p[k][1] + s * up[k][1]])
                        .collect()
                };
                check(t, exact, fd(|s| polygon(&shifted(s))));
            }
        }

        #[test]
        fn polygon_reverse() {
            for (k, n) in [3usize, 5].into_iter().enumerate() {
                let p: Vec<[$F; 2]> = (0..n)
                    .map(|i| {
                        let th = i as $F * 6.283185307179586 / n as $F + 0.1;
                        let r = 1.0 + 0.2 * i as $F;
                        [r * th.cos(), r * th.sin()]
                    })
                    .collect();
                rev_dot!(polygon, polygon_jvp, polygon_vjp, k as u64; rf p);
                let g = rev_grad!(polygon_vjp; rf p);
                let mut exact = vec![[0.0; 2]; n];
                for i in 0..n {
                    let j = (i + 1) % n;
                    let (a, b) = (p[i], p[j]);
                    exact[i][0] += 0.5 * b[1];
                    exact[j][1] += 0.5 * a[0];
                    exact[j][0] -= 0.5 * a[1];
                    exact[i][1] -= 0.5 * b[0];
                    let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
                    let len = (ex * ex + ey * ey).sqrt();
                    exact[j][0] += ex / len;
                    exact[j][1] += ey / len;
                    exact[i][0] -= ex / len;
                    exact[i][1] -= ey / len;
                }
                check_exact_vec(&g.concat(), &exact.concat());
            }
        }

        // `iter_mut()` over a `&mut [f64]` parameter combined with `.enumerate()`
        // and `.skip()` on the same loop.
        #[jvp]
        #[vjp]
        fn iter_mut_param(x: &mut [$F], a: $F) -> $F {
            for (i, xi) in x.iter_mut().enumerate().skip(1) {
                *xi = *xi * a + i as $F;
            }
            let mut s = 0.0;
            for xi in x.iter() {
                s += *xi;
            }
            s
        }

        #[test]
        fn iter_mut_param_matches() {
            let x0 = rand_vec(20, 5, -1.0, 1.0);
            let a = 0.8;
            for (j, u) in dirs(5, 20).into_iter().enumerate() {
                let da = if j < 2 { 0.0 } else { -0.7 };
                let mut x = x0.clone();
                let mut dx = u.clone();
                let (v, t) = iter_mut_param_jvp(&mut x, &mut dx, a, da);
                let mut x_ref = x0.clone();
                assert_eq!(v, iter_mut_param(&mut x_ref, a));
                assert_eq!(x, x_ref);
                let mut dx_exact = u.clone();
                for i in 1..5 {
                    dx_exact[i] = u[i] * a + x0[i] * da;
                }
                let fd_x = fd_vec(|s| {
                    let mut y = axpy(&x0, s, &u);
                    iter_mut_param(&mut y, a + s * da);
                    y
                });
                check_vec(&dx, &dx_exact, &fd_x);
                check(
                    t,
                    dx_exact.iter().sum::<$F>(),
                    fd(|s| iter_mut_param(&mut axpy(&x0, s, &u), a + s * da)),
                );
            }
        }

        #[test]
        fn iter_mut_param_reverse() {
            for (k, n) in [1usize, 5].into_iter().enumerate() {
                let x = rand_vec(20 + k as u64, n, -1.0, 1.0);
                let a = 0.8;
                rev_dot!(iter_mut_param, iter_mut_param_jvp, iter_mut_param_vjp, k as u64; mt x, val a);
                // Gradient of the returned sum (final contents get cotangent 0).
                let (mut xv, mut xb, mut ab) = (x.clone(), vec![0.0; n], 0.0);
                iter_mut_param_vjp(&mut xv, &mut xb, a, &mut ab, 1.0);
                let ex: Vec<$F> = (0..n).map(|i| if i == 0 { 1.0 } else { a }).collect();
                check_exact_vec(&xb, &ex);
                check_exact(ab, x[1..].iter().sum());
            }
        }

        // `iter_mut()` on a `&mut Vec<f64>` parameter and `for &vi in v.iter()`.
        #[jvp]
        #[vjp]
        fn vec_mut_iter(v: &mut Vec<$F>, c: $F) -> $F {
            for vi in v.iter_mut() {
                *vi = (*vi * c).sin();
            }
            let mut s = 0.0;
            for &vi in v.iter() {
                s += vi;
            }
            s
        }

        #[test]
        fn vec_mut_iter_matches() {
            let v0 = rand_vec(22, 5, -1.0, 1.0);
            let c = 1.4;
            for (k, u) in dirs(5, 22).into_iter().enumerate() {
                let dc = if k % 2 == 0 { 0.0 } else { 0.5 };
                let mut v = v0.clone();
                let mut vd = u.clone();
                let (s, ts) = vec_mut_iter_jvp(&mut v, &mut vd, c, dc);
                let mut vr = v0.clone();
                assert_eq!(s, vec_mut_iter(&mut vr, c));
                assert_eq!(v, vr);
                let dv: Vec<$F> = (0..5)
                    .map(|i| (v0[i] * c).cos() * (u[i] * c + v0[i] * dc))
                    .collect();
                let fdv = fd_vec(|h| {
                    let mut w = axpy(&v0, h, &u);
                    vec_mut_iter(&mut w, c + h * dc);
                    w
                });
                check_vec(&vd, &dv, &fdv);
                check(
                    ts,
                    dv.iter().sum::<$F>(),
                    fd(|h| vec_mut_iter(&mut axpy(&v0, h, &u), c + h * dc)),
                );
            }
        }

        #[test]
        fn vec_mut_iter_reverse() {
            for (k, n) in [0usize, 1, 5].into_iter().enumerate() {
                let v = rand_vec(22 + k as u64, n, -1.0, 1.0);
                let c = 1.4;
                rev_dot!(vec_mut_iter, vec_mut_iter_jvp, vec_mut_iter_vjp, k as u64; mt v, val c);
                let (mut vv, mut vb, mut cb) = (v.clone(), vec![0.0; n], 0.0);
                vec_mut_iter_vjp(&mut vv, &mut vb, c, &mut cb, 1.0);
                let ev: Vec<$F> = v.iter().map(|a| (a * c).cos() * c).collect();
                check_exact_vec(&vb, &ev);
                check_exact(cb, v.iter().map(|a| (a * c).cos() * a).sum());
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

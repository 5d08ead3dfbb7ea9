//! Indexing arrays, slices and Vecs; writing through an index (`a[i] = ..`,
//! `a[i][j] += ..`); `.len()`; local `[0.0; N]` and `vec![0.0; n]`; `&mut`
//! locals pointing into other variables; `iter().sum()` / `.product()`.

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

        // Reading by index from a slice, a `&[f64; N]`, a `&Vec<f64>` and a
        // by-value array, with computed (wrapping) indices.
        #[jvp]
        #[vjp]
        fn read_index(x: &[$F], a: &[$F; 3], v: &Vec<$F>, w: [$F; 2]) -> $F {
            let n = x.len();
            let mut s = 0.0;
            for i in 0..n {
                s += x[i] * x[(i + 1) % n] * a[i % 3] + v[n - 1 - i] * w[i % 2];
            }
            s
        }

        #[test]
        fn read_index_matches() {
            let n = 5;
            let x = rand_vec(1, n, -1.0, 1.0);
            let a: [$F; 3] = arr(&rand_vec(2, 3, -1.0, 1.0));
            let v = rand_vec(3, n, -1.0, 1.0);
            let w: [$F; 2] = arr(&rand_vec(4, 2, -1.0, 1.0));
            let all = dirs(n + 3 + n + 2, 5);
            for u in all {
                let ux = u[0..n].to_vec();
                let ua: [$F; 3] = arr(&u[n..n + 3]);
                let uv = u[n + 3..2 * n + 3].to_vec();
                let uw: [$F; 2] = arr(&u[2 * n + 3..]);
                let (val, t) = read_index_jvp(&x, &ux, &a, &ua, &v, &uv, w, uw);
                assert_eq!(val, read_index(&x, &a, &v, w));
                let mut exact = 0.0;
                for i in 0..n {
                    let j = (i + 1) % n;
                    exact +=
                        ux[i] * x[j] * a[i % 3] + x[i] * ux[j] * a[i % 3] + x[i] * x[j] * ua[i % 3];
                    exact += uv[n - 1 - i] * w[i % 2] + v[n - 1 - i] * uw[i % 2];
                }
                check(
                    t,
                    exact,
                    fd(|s| {
                        read_index(
                            &axpy(&x, s, &ux),
                            &axpy_arr(&a, s, &ua),
                            &axpy(&v, s, &uv),
                            axpy_arr(&w, s, &uw),
                        )
                    }),
                );
            }
        }

        #[test]
        fn read_index_reverse() {
            for (k, n) in [2usize, 5].into_iter().enumerate() {
                let k = k as u64;
                let x = rand_vec(1 + k, n, -1.0, 1.0);
                let a: [$F; 3] = arr(&rand_vec(2 + k, 3, -1.0, 1.0));
                let v = rand_vec(3 + k, n, -1.0, 1.0);
                let w: [$F; 2] = arr(&rand_vec(4 + k, 2, -1.0, 1.0));
                rev_dot!(read_index, read_index_jvp, read_index_vjp, k; rf x, rf a, rf v, val w);
                let (gx, ga, gv, gw) = rev_grad!(read_index_vjp; rf x, rf a, rf v, val w);
                let (mut ex, mut ea, mut ev, mut ew) = (vec![0.0; n], [0.0; 3], vec![0.0; n], [0.0; 2]);
                for i in 0..n {
                    let j = (i + 1) % n;
                    ex[i] += x[j] * a[i % 3];
                    ex[j] += x[i] * a[i % 3];
                    ea[i % 3] += x[i] * x[j];
                    ev[n - 1 - i] += w[i % 2];
                    ew[i % 2] += v[n - 1 - i];
                }
                check_exact_vec(&gx, &ex);
                check_exact_vec(&ga, &ea);
                check_exact_vec(&gv, &ev);
                check_exact_vec(&gw, &ew);
            }
        }

        // Local `[0.0; N]` written through an index, then read back.
        #[jvp]
        #[vjp]
        fn local_array(x: &[$F; 4]) -> $F {
            let mut c = [0.0; 4];
            for i in 0..4 {
                c[i] = x[i] * x[i];
            }
            c[0] = c[0] + c[3];
            c[2] *= x[1];
            c[1] -= 1.0;
            c[0] * c[1] + c[2] + c[3]
        }

        #[test]
        fn local_array_matches() {
            let x: [$F; 4] = arr(&rand_vec(6, 4, -1.5, 1.5));
            for u in dirs(4, 6) {
                let u: [$F; 4] = arr(&u);
                let (v, t) = local_array_jvp(&x, &u);
                assert_eq!(v, local_array(&x));
                let q = |i: usize| x[i] * x[i];
                let dq = |i: usize| 2.0 * x[i] * u[i];
                let c0 = q(0) + q(3);
                let dc0 = dq(0) + dq(3);
                let c1 = q(1) - 1.0;
                let dc1 = dq(1);
                let dc2 = dq(2) * x[1] + q(2) * u[1];
                let exact = dc0 * c1 + c0 * dc1 + dc2 + dq(3);
                check(t, exact, fd(|s| local_array(&axpy_arr(&x, s, &u))));
            }
        }

        #[test]
        fn local_array_reverse() {
            for k in 0..3u64 {
                let x: [$F; 4] = arr(&rand_vec(6 + k, 4, -1.5, 1.5));
                rev_dot!(local_array, local_array_jvp, local_array_vjp, k; rf x);
                let g = rev_grad!(local_array_vjp; rf x);
                let q = |i: usize| x[i] * x[i];
                let (c0, c1) = (q(0) + q(3), q(1) - 1.0);
                let exact = [
                    2.0 * x[0] * c1,
                    c0 * 2.0 * x[1] + q(2),
                    2.0 * x[2] * x[1],
                    2.0 * x[3] * c1 + 2.0 * x[3],
                ];
                check_exact_vec(&g, &exact);
            }
        }

        // Nested arrays: 2x2 matrix product into a local `[[0.0; 2]; 2]` with
        // `a[i][j] += ...`, then the trace of the square.
        #[jvp]
        #[vjp]
        fn matmul_trace(a: [[$F; 2]; 2], b: &[[$F; 2]; 2]) -> $F {
            let mut c = [[0.0; 2]; 2];
            for i in 0..2 {
                for j in 0..2 {
                    for k in 0..2 {
                        c[i][j] += a[i][k] * b[k][j];
                    }
                }
            }
            let mut tr = 0.0;
            for i in 0..2 {
                for k in 0..2 {
                    tr += c[i][k] * c[k][i];
                }
            }
            tr
        }

        #[test]
        fn matmul_trace_matches() {
            let a: [[$F; 2]; 2] = mat(&rand_vec(7, 4, -1.0, 1.0));
            let b: [[$F; 2]; 2] = mat(&rand_vec(8, 4, -1.0, 1.0));
            for u in dirs(8, 7) {
                let da: [[$F; 2]; 2] = mat(&u[0..4]);
                let db: [[$F; 2]; 2] = mat(&u[4..8]);
                let (v, t) = matmul_trace_jvp(a, da, &b, &db);
                assert_eq!(v, matmul_trace(a, &b));
                let mm = |p: &[[$F; 2]; 2], q: &[[$F; 2]; 2]| -> [[$F; 2]; 2] {
                    let mut r = [[0.0; 2]; 2];
                    for i in 0..2 {
                        for j in 0..2 {
                            r[i][j] = p[i][0] * q[0][j] + p[i][1] * q[1][j];
                        }
                    }
                    r
                };
                let c = mm(&a, &b);
                let d1 = mm(&da, &b);
                let d2 = mm(&a, &db);
                // d tr(C C) = 2 tr(C dC)
                let mut exact = 0.0;
                for i in 0..2 {
                    for k in 0..2 {
                        exact += 2.0 * c[i][k] * (d1[k][i] + d2[k][i]);
                    }
                }
                check(
                    t,
                    exact,
                    fd(|s| matmul_trace(axpy_mat(&a, s, &da), &axpy_mat(&b, s, &db))),
                );
            }
        }

        #[test]
        fn matmul_trace_reverse() {
            for k in 0..3u64 {
                let a: [[$F; 2]; 2] = mat(&rand_vec(7 + k, 4, -1.0, 1.0));
                let b: [[$F; 2]; 2] = mat(&rand_vec(8 + k, 4, -1.0, 1.0));
                rev_dot!(matmul_trace, matmul_trace_jvp, matmul_trace_vjp, k; val a, rf b);
                let (ga, gb) = rev_grad!(matmul_trace_vjp; val a, rf b);
                // tr(C²) with C = AB: dA = 2 (C B^T)^T... = 2 Bᵀ... use 2 (B C)ᵀ and 2 (C A)ᵀ.
                let mm = |p: &[[$F; 2]; 2], q: &[[$F; 2]; 2]| -> [[$F; 2]; 2] {
                    core::array::from_fn(|i| {
                        core::array::from_fn(|j| p[i][0] * q[0][j] + p[i][1] * q[1][j])
                    })
                };
                let c = mm(&a, &b);
                let bc = mm(&b, &c);
                let ca = mm(&c, &a);
                let ea: [[$F; 2]; 2] =
                    core::array::from_fn(|i| core::array::from_fn(|j| 2.0 * bc[j][i]));
                let eb: [[$F; 2]; 2] =
                    core::array::from_fn(|i| core::array::from_fn(|j| 2.0 * ca[j][i]));
                check_exact_vec(&flat(&ga), &flat(&ea));
                check_exact_vec(&flat(&gb), &flat(&eb));
            }
        }

        // `vec![0.0; n]` prefix sums, then reading them back.
        #[jvp]
        #[vjp]
        fn prefix_sums(x: &[$F]) -> $F {
            let n = x.len();
            let mut p = vec![0.0; n + 1];
            for i in 0..n {
                p[i + 1] = p[i] + x[i];
            }
            let mut s = 0.0;
            for i in 1..=n {
                s += p[i] * p[i] / i as $F;
            }
            s
        }

        #[test]
        fn prefix_sums_matches() {
            let x = rand_vec(9, 8, -1.0, 1.0);
            for u in dirs(8, 9) {
                let (v, t) = prefix_sums_jvp(&x, &u);
                assert_eq!(v, prefix_sums(&x));
                let mut exact = 0.0;
                let (mut p, mut dp) = (0.0, 0.0);
                for i in 0..8 {
                    p += x[i];
                    dp += u[i];
                    exact += 2.0 * p * dp / (i + 1) as $F;
                }
                check(t, exact, fd(|s| prefix_sums(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn prefix_sums_reverse() {
            for (k, n) in [1usize, 8].into_iter().enumerate() {
                let x = rand_vec(9 + k as u64, n, -1.0, 1.0);
                rev_dot!(prefix_sums, prefix_sums_jvp, prefix_sums_vjp, k as u64; rf x);
                let g = rev_grad!(prefix_sums_vjp; rf x);
                let exact = grad_by_dirs(n, |u| {
                    let mut exact = 0.0;
                    let (mut p, mut dp) = (0.0, 0.0);
                    for i in 0..n {
                        p += x[i];
                        dp += u[i];
                        exact += 2.0 * p * dp / (i + 1) as $F;
                    }
                    exact
                });
                check_exact_vec(&g, &exact);
            }
        }

        // A `&mut` local pointing into a local array, and into a Vec element.
        #[jvp]
        #[vjp]
        fn mut_ref_local(x: &[$F], y: $F) -> $F {
            let mut a = [1.0; 3];
            let mut v = vec![0.0; 2];
            for i in 0..x.len() {
                let r = &mut a[i % 3];
                *r += x[i] * y;
                *r *= 0.5;
            }
            {
                let r = &mut v[1];
                *r = a[0] * a[1];
                *r -= a[2];
            }
            let q = &mut v[0];
            *q += y;
            v[0] * v[1]
        }

        #[test]
        fn mut_ref_local_matches() {
            let x = rand_vec(10, 7, -1.0, 1.0);
            let y = 0.6;
            for (k, u) in dirs(7, 10).into_iter().enumerate() {
                let dy = if k % 2 == 1 { 0.8 } else { 0.0 };
                let (val, t) = mut_ref_local_jvp(&x, &u, y, dy);
                assert_eq!(val, mut_ref_local(&x, y));
                let mut a = [1.0; 3];
                let mut da = [0.0; 3];
                for i in 0..7 {
                    da[i % 3] = 0.5 * (da[i % 3] + u[i] * y + x[i] * dy);
                    a[i % 3] = 0.5 * (a[i % 3] + x[i] * y);
                }
                let v1 = a[0] * a[1] - a[2];
                let dv1 = da[0] * a[1] + a[0] * da[1] - da[2];
                let exact = dy * v1 + y * dv1;
                check(
                    t,
                    exact,
                    fd(|s| mut_ref_local(&axpy(&x, s, &u), y + s * dy)),
                );
            }
        }

        #[test]
        fn mut_ref_local_reverse() {
            for (k, n) in [2usize, 7].into_iter().enumerate() {
                let x = rand_vec(10 + k as u64, n, -1.0, 1.0);
                let y = 0.6;
                rev_dot!(mut_ref_local, mut_ref_local_jvp, mut_ref_local_vjp, k as u64; rf x, val y);
                let (gx, gy) = rev_grad!(mut_ref_local_vjp; rf x, val y);
                let exact_dir = |u: &[$F], dy: $F| {
                    let mut a = [1.0; 3];
                    let mut da = [0.0; 3];
                    for i in 0..n {
                        da[i % 3] = 0.5 * (da[i % 3] + u[i] * y + x[i] * dy);
                        a[i % 3] = 0.5 * (a[i % 3] + x[i] * y);
                    }
                    let v1 = a[0] * a[1] - a[2];
                    let dv1 = da[0] * a[1] + a[0] * da[1] - da[2];
                    dy * v1 + y * dv1
                };
                check_exact_vec(&gx, &grad_by_dirs(n, |u| exact_dir(u, 0.0)));
                check_exact(gy, exact_dir(&vec![0.0; n], 1.0));
            }
        }

        // `x.iter().sum::<f64>()` and `.product::<f64>()`.
        #[jvp]
        #[vjp]
        fn sum_and_product(x: &[$F]) -> $F {
            let s = x.iter().sum::<$F>();
            let p = x.iter().product::<$F>();
            s * s + p
        }

        #[test]
        fn sum_and_product_matches() {
            let x = rand_signed(11, 6);
            for u in dirs(6, 11) {
                let (v, t) = sum_and_product_jvp(&x, &u);
                assert_eq!(v, sum_and_product(&x));
                let s: $F = x.iter().sum();
                let p: $F = x.iter().product();
                let mut dp = 0.0;
                for i in 0..6 {
                    dp += p / x[i] * u[i];
                }
                check(
                    t,
                    2.0 * s * u.iter().sum::<$F>() + dp,
                    fd(|h| sum_and_product(&axpy(&x, h, &u))),
                );
            }
        }

        #[test]
        fn sum_and_product_reverse() {
            for (k, n) in [1usize, 6].into_iter().enumerate() {
                let x = rand_signed(11 + k as u64, n);
                rev_dot!(sum_and_product, sum_and_product_jvp, sum_and_product_vjp, k as u64; rf x);
                let g = rev_grad!(sum_and_product_vjp; rf x);
                let s: $F = x.iter().sum();
                let p: $F = x.iter().product();
                check_exact_vec(&g, &x.iter().map(|a| 2.0 * s + p / a).collect::<Vec<_>>());
            }
        }

        // sum/product over local arrays and Vecs.
        #[jvp]
        #[vjp]
        fn sum_product_locals(x: $F, n: usize) -> $F {
            let mut a = [0.0; 3];
            let mut v = vec![1.0; n];
            for i in 0..3 {
                a[i] = x + i as $F;
            }
            for i in 0..n {
                v[i] = (x * (i + 1) as $F).cos();
            }
            a.iter().product::<$F>() + v.iter().sum::<$F>()
        }

        #[test]
        fn sum_product_locals_matches() {
            for &x in &[0.3, -1.7] {
                for n in [0usize, 3] {
                    let (v, t) = sum_product_locals_jvp(x, 1.0, n);
                    assert_eq!(v, sum_product_locals(x, n));
                    // d/dx x(x+1)(x+2) = 3x² + 6x + 2
                    let mut exact = 3.0 * x * x + 6.0 * x + 2.0;
                    for i in 0..n {
                        let k = (i + 1) as $F;
                        exact -= k * (x * k).sin();
                    }
                    check(t, exact, fd(|s| sum_product_locals(x + s, n)));
                }
            }
        }

        #[test]
        fn sum_product_locals_reverse() {
            for &x in &[0.3, -1.7] {
                for n in [0usize, 3] {
                    rev_dot!(sum_product_locals, sum_product_locals_jvp, sum_product_locals_vjp, n as u64; val x, c n);
                    let mut exact = 3.0 * x * x + 6.0 * x + 2.0;
                    for i in 0..n {
                        let k = (i + 1) as $F;
                        exact -= k * (x * k).sin();
                    }
                    check_exact(rev_grad!(sum_product_locals_vjp; val x, c n), exact);
                }
            }
        }

        // `.len()` of slices, arrays and Vecs in arithmetic (as constants).
        #[jvp]
        #[vjp]
        fn mean_var(x: &[$F], w: &Vec<$F>, a: [$F; 3]) -> $F {
            let mut m = 0.0;
            for i in 0..x.len() {
                m += x[i];
            }
            m /= x.len() as $F;
            let mut var = 0.0;
            for i in 0..x.len() {
                var += (x[i] - m) * (x[i] - m);
            }
            var / (x.len() - 1) as $F + w[w.len() - 1] * a[a.len() - 1]
        }

        #[test]
        fn mean_var_matches() {
            let x = rand_vec(12, 6, -2.0, 2.0);
            let w = rand_vec(13, 2, -1.0, 1.0);
            let a: [$F; 3] = arr(&rand_vec(14, 3, -1.0, 1.0));
            for (k, u) in dirs(6, 12).into_iter().enumerate() {
                let uw = if k % 2 == 0 {
                    vec![0.0, 0.0]
                } else {
                    vec![0.3, -0.9]
                };
                let ua = if k % 3 == 0 {
                    [0.0; 3]
                } else {
                    [0.2, 0.5, 0.7]
                };
                let (v, t) = mean_var_jvp(&x, &u, &w, &uw, a, ua);
                assert_eq!(v, mean_var(&x, &w, a));
                let m = x.iter().sum::<$F>() / 6.0;
                let dm = u.iter().sum::<$F>() / 6.0;
                let mut dvar = 0.0;
                for i in 0..6 {
                    dvar += 2.0 * (x[i] - m) * (u[i] - dm);
                }
                let exact = dvar / 5.0 + uw[1] * a[2] + w[1] * ua[2];
                check(
                    t,
                    exact,
                    fd(|s| mean_var(&axpy(&x, s, &u), &axpy(&w, s, &uw), axpy_arr(&a, s, &ua))),
                );
            }
        }

        #[test]
        fn mean_var_reverse() {
            for k in 0..2u64 {
                let x = rand_vec(12 + k, 6, -2.0, 2.0);
                let w = rand_vec(13 + k, 2, -1.0, 1.0);
                let a: [$F; 3] = arr(&rand_vec(14 + k, 3, -1.0, 1.0));
                rev_dot!(mean_var, mean_var_jvp, mean_var_vjp, k; rf x, rf w, val a);
                let (gx, gw, ga) = rev_grad!(mean_var_vjp; rf x, rf w, val a);
                let m = x.iter().sum::<$F>() / 6.0;
                check_exact_vec(
                    &gx,
                    &x.iter().map(|xi| 2.0 * (xi - m) / 5.0).collect::<Vec<_>>(),
                );
                check_exact_vec(&gw, &[0.0, a[2]]);
                check_exact_vec(&ga, &[0.0, 0.0, w[1]]);
            }
        }

        // Stencil with writes to a local Vec read from shifted indices (1-D heat
        // equation, a few explicit steps with double buffering).
        #[jvp]
        #[vjp]
        fn heat(u0: &[$F], kappa: $F, steps: usize) -> $F {
            let n = u0.len();
            let mut u = vec![0.0; n];
            let mut next = vec![0.0; n];
            for i in 0..n {
                u[i] = u0[i];
            }
            for _ in 0..steps {
                for i in 1..n - 1 {
                    next[i] = u[i] + kappa * (u[i - 1] - 2.0 * u[i] + u[i + 1]);
                }
                next[0] = u[0];
                next[n - 1] = u[n - 1];
                for i in 0..n {
                    u[i] = next[i];
                }
            }
            let mut e = 0.0;
            for i in 0..n {
                e += u[i] * u[i];
            }
            e
        }

        #[test]
        fn heat_matches() {
            let u0 = rand_vec(15, 6, -1.0, 1.0);
            let kappa = 0.2;
            for (k, du) in dirs(6, 15).into_iter().enumerate() {
                let dk = if k >= 5 { 0.5 } else { 0.0 };
                let (v, t) = heat_jvp(&u0, &du, kappa, dk, 3);
                assert_eq!(v, heat(&u0, kappa, 3));
                // Tangent of a linear scheme: propagate (u, du) by hand.
                let mut u = u0.clone();
                let mut d = du.clone();
                for _ in 0..3 {
                    let mut un = u.clone();
                    let mut dn = d.clone();
                    for i in 1..5 {
                        let lap = u[i - 1] - 2.0 * u[i] + u[i + 1];
                        let dlap = d[i - 1] - 2.0 * d[i] + d[i + 1];
                        un[i] = u[i] + kappa * lap;
                        dn[i] = d[i] + dk * lap + kappa * dlap;
                    }
                    u = un;
                    d = dn;
                }
                let exact = 2.0 * dot(&u, &d);
                check(
                    t,
                    exact,
                    fd(|s| heat(&axpy(&u0, s, &du), kappa + s * dk, 3)),
                );
            }
        }

        #[test]
        fn heat_reverse() {
            for &(k, n, steps) in &[(0u64, 6usize, 3usize), (1, 3, 1), (2, 8, 5), (3, 4, 0)] {
                let u0 = rand_vec(15 + k, n, -1.0, 1.0);
                let kappa = 0.2;
                rev_dot!(heat, heat_jvp, heat_vjp, k; rf u0, val kappa, c steps);
                let (gu, gk) = rev_grad!(heat_vjp; rf u0, val kappa, c steps);
                let exact_dir = |du: &[$F], dk: $F| {
                    let mut u = u0.clone();
                    let mut d = du.to_vec();
                    for _ in 0..steps {
                        let mut un = u.clone();
                        let mut dn = d.clone();
                        for i in 1..n - 1 {
                            let lap = u[i - 1] - 2.0 * u[i] + u[i + 1];
                            let dlap = d[i - 1] - 2.0 * d[i] + d[i + 1];
                            un[i] = u[i] + kappa * lap;
                            dn[i] = d[i] + dk * lap + kappa * dlap;
                        }
                        u = un;
                        d = dn;
                    }
                    2.0 * dot(&u, &d)
                };
                check_exact_vec(&gu, &grad_by_dirs(n, |u| exact_dir(u, 0.0)));
                check_exact(gk, exact_dir(&vec![0.0; n], 1.0));
            }
        }
        // `&mut` locals pointing at scalar locals, chosen by a primal branch.
        #[jvp]
        #[vjp]
        fn mut_ref_scalar(x: $F, y: $F) -> $F {
            let mut lo = 0.0;
            let mut hi = 1.0;
            {
                let r = if x < y { &mut lo } else { &mut hi };
                *r += x * y;
            }
            let q = &mut hi;
            *q *= x;
            lo + hi * y
        }

        #[test]
        fn mut_ref_scalar_matches() {
            for &(x, y) in &[(0.3, 1.2), (1.5, -0.4)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.7, 0.3)] {
                    let (v, t) = mut_ref_scalar_jvp(x, dx, y, dy);
                    assert_eq!(v, mut_ref_scalar(x, y));
                    let dxy = dx * y + x * dy;
                    let exact = if x < y {
                        // lo = xy, hi = x
                        dxy + dx * y + x * dy
                    } else {
                        // lo = 0, hi = (1 + xy) x
                        let hi = (1.0 + x * y) * x;
                        (dxy * x + (1.0 + x * y) * dx) * y + hi * dy
                    };
                    check(t, exact, fd(|s| mut_ref_scalar(x + s * dx, y + s * dy)));
                }
            }
        }

        #[test]
        fn mut_ref_scalar_reverse() {
            for (k, &(x, y)) in [(0.3, 1.2), (1.5, -0.4)].iter().enumerate() {
                rev_dot!(mut_ref_scalar, mut_ref_scalar_jvp, mut_ref_scalar_vjp, k as u64; val x, val y);
                let (gx, gy) = rev_grad!(mut_ref_scalar_vjp; val x, val y);
                if x < y {
                    check_exact(gx, 2.0 * y);
                    check_exact(gy, 2.0 * x);
                } else {
                    let hi = (1.0 + x * y) * x;
                    check_exact(gx, (y * x + 1.0 + x * y) * y);
                    check_exact(gy, x * x * y + hi);
                }
            }
        }

        // Self-referential index updates (the right-hand side reads the target),
        // a swap by tuple destructuring assignment, and a `&mut` to a nested
        // element.
        #[jvp]
        #[vjp]
        fn self_ref_updates(x: &[$F; 4], c: $F) -> $F {
            let mut a = *x;
            let mut m = [[0.0; 2]; 2];
            for i in 0..4 {
                a[i] = a[i] * a[i] + c;
                a[i] -= a[i] * 0.5;
            }
            (a[0], a[3]) = (a[3], a[0]);
            for i in 0..2 {
                for j in 0..2 {
                    let r = &mut m[i][j];
                    *r += a[2 * i + j] * c;
                    *r = *r * *r;
                }
            }
            a[0] * 3.0 + a[3] + m[0][1] - m[1][1] + a.iter().product::<$F>()
        }

        #[test]
        fn self_ref_updates_matches() {
            let x = [0.3, -0.7, 1.1, 0.5];
            let c = 0.4;
            for (k, u) in dirs(4, 13).into_iter().enumerate() {
                let u: [$F; 4] = arr(&u);
                let dc = if k % 2 == 1 { 0.6 } else { 0.0 };
                let (v, t) = self_ref_updates_jvp(&x, &u, c, dc);
                assert_eq!(v, self_ref_updates(&x, c));
                // b_i = (x_i² + c) / 2
                let b: Vec<$F> = (0..4).map(|i| 0.5 * (x[i] * x[i] + c)).collect();
                let db: Vec<$F> = (0..4).map(|i| 0.5 * (2.0 * x[i] * u[i] + dc)).collect();
                // after the swap a = [b3, b1, b2, b0]; m_ij = (a_{2i+j} c)²
                let a = [b[3], b[1], b[2], b[0]];
                let da = [db[3], db[1], db[2], db[0]];
                let dm = |p: usize| 2.0 * a[p] * c * (da[p] * c + a[p] * dc);
                let prod: $F = a.iter().product();
                let dprod: $F = (0..4).map(|p| prod / a[p] * da[p]).sum();
                let exact = 3.0 * da[0] + da[3] + dm(1) - dm(3) + dprod;
                check(
                    t,
                    exact,
                    fd(|s| self_ref_updates(&axpy_arr(&x, s, &u), c + s * dc)),
                );
            }
        }

        #[test]
        fn self_ref_updates_reverse() {
            for (k, &c) in [0.4, -0.9].iter().enumerate() {
                let x = [0.3, -0.7, 1.1, 0.5];
                rev_dot!(self_ref_updates, self_ref_updates_jvp, self_ref_updates_vjp, k as u64; rf x, val c);
                let (gx, gc) = rev_grad!(self_ref_updates_vjp; rf x, val c);
                let exact_dir = |u: &[$F], dc: $F| {
                    let b: Vec<$F> = (0..4).map(|i| 0.5 * (x[i] * x[i] + c)).collect();
                    let db: Vec<$F> = (0..4).map(|i| 0.5 * (2.0 * x[i] * u[i] + dc)).collect();
                    let a = [b[3], b[1], b[2], b[0]];
                    let da = [db[3], db[1], db[2], db[0]];
                    let dm = |p: usize| 2.0 * a[p] * c * (da[p] * c + a[p] * dc);
                    let prod: $F = a.iter().product();
                    let dprod: $F = (0..4).map(|p| prod / a[p] * da[p]).sum();
                    3.0 * da[0] + da[3] + dm(1) - dm(3) + dprod
                };
                check_exact_vec(&gx, &grad_by_dirs(4, |u| exact_dir(u, 0.0)));
                check_exact(gc, exact_dir(&[0.0; 4], 1.0));
            }
        }

        // Arrays and Vecs built from active values (`[x; 3]`, `vec![x, y, 1.0]`,
        // `[a, b]`), a `&mut` into a `&mut [f64]` parameter, and `sum()` /
        // `product()` with a type annotation instead of a turbofish.
        #[jvp]
        #[vjp]
        fn built_from_active(x: $F, y: $F, out: &mut [$F]) -> $F {
            let a = [x; 3];
            let v = vec![x, y, 1.0];
            let b = [a[0] * v[1], v[2] - y];
            for i in 0..out.len() {
                let r = &mut out[i];
                *r += b[i % 2] * a[i % 3];
            }
            let s: $F = v.iter().sum();
            let p: $F = b.iter().product();
            s * p
        }

        #[test]
        fn built_from_active_matches() {
            let out0 = vec![0.5, -0.25, 1.0];
            for &(x, y) in &[(0.7, -0.4), (1.3, 0.9)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.3, 0.8)] {
                    for du in [vec![0.0; 3], vec![1.0, -0.5, 0.25]] {
                        let mut out = out0.clone();
                        let mut out_d = du.clone();
                        let (v, t) = built_from_active_jvp(x, dx, y, dy, &mut out, &mut out_d);
                        let mut out_r = out0.clone();
                        assert_eq!(v, built_from_active(x, y, &mut out_r));
                        assert_eq!(out, out_r);
                        // b = [xy, 1 - y]; out_i += b_{i%2} x ; f = (x + y + 1) xy (1 - y)
                        let (b0, b1) = (x * y, 1.0 - y);
                        let (db0, db1) = (dx * y + x * dy, -dy);
                        let s = x + y + 1.0;
                        let exact = (dx + dy) * b0 * b1 + s * (db0 * b1 + b0 * db1);
                        check(
                            t,
                            exact,
                            fd(|h| built_from_active(x + h * dx, y + h * dy, &mut out0.clone())),
                        );
                        let eo: Vec<$F> = (0..3)
                            .map(|i| {
                                let (b, db) = if i % 2 == 0 { (b0, db0) } else { (b1, db1) };
                                du[i] + db * x + b * dx
                            })
                            .collect();
                        let fdo = fd_vec(|h| {
                            let mut o = axpy(&out0, h, &du);
                            built_from_active(x + h * dx, y + h * dy, &mut o);
                            o
                        });
                        check_vec(&out_d, &eo, &fdo);
                    }
                }
            }
        }

        #[test]
        fn built_from_active_reverse() {
            for (k, &(x, y)) in [(0.7, -0.4), (1.3, 0.9)].iter().enumerate() {
                for n in [0usize, 1, 3, 5] {
                    let out = rand_vec(16 + n as u64, n, -1.0, 1.0);
                    rev_dot!(built_from_active, built_from_active_jvp, built_from_active_vjp, k as u64; val x, val y, mt out);
                }
                // Gradient of the returned value (cotangent 0 on `out`).
                let (mut xb, mut yb, mut ob, mut o) = (0.0, 0.0, vec![0.0; 3], vec![0.5, -0.25, 1.0]);
                built_from_active_vjp(x, &mut xb, y, &mut yb, &mut o, &mut ob, 1.0);
                let (b0, b1, s) = (x * y, 1.0 - y, x + y + 1.0);
                check_exact(xb, b0 * b1 + s * y * b1);
                check_exact(yb, b0 * b1 + s * (x * b1 - b0));
                check_exact_vec(&ob, &[0.0; 3]);
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

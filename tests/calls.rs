//! Calls from a differentiated function to other functions: other `#[jvp]`
//! functions, calls through module paths, recursion, calls with only constant
//! arguments, hand-written `g_jvp`, arguments like `&mut arr[i]` and `&v`, and
//! an in-place callee taking `&mut [f64]` called twice.

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
// steps and tolerances). `$m` is the module the suite is instantiated in,
// for a recursive call through a `crate::` path.
macro_rules! suite {
    ($F:ident, $h:ident, $m:ident) => {
        use crate::common::$h::*;
        use adiff::{jvp, vjp};

        #[jvp]
        #[vjp]
        fn sq_sin(x: $F) -> $F {
            x.sin() * x.sin()
        }

        #[jvp]
        #[vjp]
        fn weighted(x: $F, w: $F, k: usize) -> $F {
            w * x.powi(k as i32)
        }

        // Calls to other #[jvp] functions, nested, with mixed constant/active
        // arguments, and with an all-constant call to a #[jvp] function.
        #[jvp]
        #[vjp]
        fn caller(x: $F, y: $F) -> $F {
            let a = sq_sin(x) + sq_sin(2.0 * y);
            let b = weighted(x, y, 3) + weighted(y, 0.5, 2);
            let c = sq_sin(sq_sin(x + y));
            let d = weighted(2.0, 3.0, 2);
            a * b + c + d
        }

        #[test]
        fn caller_matches() {
            for &(x, y) in &[(0.4, 0.9), (-1.2, 0.3)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.35, -0.75)] {
                    let (v, t) = caller_jvp(x, dx, y, dy);
                    assert_eq!(v, caller(x, y));
                    let s2 = |z: $F| z.sin() * z.sin();
                    let ds2 = |z: $F| 2.0 * z.sin() * z.cos();
                    let a = s2(x) + s2(2.0 * y);
                    let da = ds2(x) * dx + ds2(2.0 * y) * 2.0 * dy;
                    let b = y * x.powi(3) + 0.5 * y * y;
                    let db = dy * x.powi(3) + 3.0 * y * x * x * dx + y * dy;
                    let dc = ds2(s2(x + y)) * ds2(x + y) * (dx + dy);
                    check(
                        t,
                        da * b + a * db + dc,
                        fd(|s| caller(x + s * dx, y + s * dy)),
                    );
                }
            }
        }

        #[test]
        fn caller_reverse() {
            for (i, &(x, y)) in [(0.4, 0.9), (-1.2, 0.3)].iter().enumerate() {
                let i = i as u64;
                rev_dot!(sq_sin, sq_sin_jvp, sq_sin_vjp, i; val x);
                for k in [0usize, 1, 3] {
                    rev_dot!(weighted, weighted_jvp, weighted_vjp, i; val x, val y, c k);
                }
                rev_dot!(caller, caller_jvp, caller_vjp, i; val x, val y);
                let (gx, gy) = rev_grad!(caller_vjp; val x, val y);
                let s2 = |z: $F| z.sin() * z.sin();
                let ds2 = |z: $F| 2.0 * z.sin() * z.cos();
                let a = s2(x) + s2(2.0 * y);
                let b = y * x.powi(3) + 0.5 * y * y;
                let dc = ds2(s2(x + y)) * ds2(x + y);
                check_exact(gx, ds2(x) * b + a * 3.0 * y * x * x + dc);
                check_exact(gy, ds2(2.0 * y) * 2.0 * b + a * (x.powi(3) + y) + dc);
            }
        }

        // A non-#[jvp] helper called only with constant arguments stays as is.
        fn weight_of(i: usize) -> $F {
            1.0 / (1.0 + i as $F)
        }

        #[jvp]
        #[vjp]
        fn const_arg_calls(x: &[$F]) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                s += weight_of(i) * x[i].exp();
            }
            s * weight_of(x.len())
        }

        #[test]
        fn const_arg_calls_matches() {
            let x = rand_vec(1, 5, -1.0, 1.0);
            for u in dirs(5, 1) {
                let (v, t) = const_arg_calls_jvp(&x, &u);
                assert_eq!(v, const_arg_calls(&x));
                let exact: $F = (0..5)
                    .map(|i| x[i].exp() * u[i] / (1.0 + i as $F))
                    .sum::<$F>()
                    / 6.0;
                check(t, exact, fd(|s| const_arg_calls(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn const_arg_calls_reverse() {
            for (k, n) in [1usize, 5].into_iter().enumerate() {
                let x = rand_vec(1 + k as u64, n, -1.0, 1.0);
                rev_dot!(const_arg_calls, const_arg_calls_jvp, const_arg_calls_vjp, k as u64; rf x);
                let g = rev_grad!(const_arg_calls_vjp; rf x);
                let exact: Vec<$F> = (0..n)
                    .map(|i| x[i].exp() / (1.0 + i as $F) / (1.0 + n as $F))
                    .collect();
                check_exact_vec(&g, &exact);
            }
        }

        // Calls through module paths (nested modules, `super::`, `self::`),
        // with #[jvp] functions defined inside `mod` blocks.
        mod geom {
            use adiff::{jvp, vjp};

            #[jvp]
            #[vjp]
            pub fn norm2(p: &[$F; 3]) -> $F {
                (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt()
            }

            pub mod inner {
                use adiff::{jvp, vjp};

                #[jvp]
                #[vjp]
                pub fn cubic(x: $F) -> $F {
                    x * x * x
                }

                #[jvp]
                #[vjp]
                pub fn uses_super(p: &[$F; 3]) -> $F {
                    super::norm2(p) + self::cubic(p[0])
                }
            }

            #[jvp]
            #[vjp]
            pub fn scaled_norm(p: &[$F; 3], s: $F) -> $F {
                s * norm2(p) + inner::cubic(s)
            }
        }

        #[jvp]
        #[vjp]
        fn module_paths(p: &[$F; 3], s: $F) -> $F {
            geom::scaled_norm(p, s) + geom::inner::uses_super(p) + self::geom::inner::cubic(p[1])
        }

        #[test]
        fn module_paths_matches() {
            let p: [$F; 3] = [0.6, -1.1, 0.8];
            let s = 1.3;
            for (k, u) in dirs(3, 2).into_iter().enumerate() {
                let u: [$F; 3] = arr(&u);
                let ds = if k == 3 { 0.0 } else { 0.5 * k as $F };
                let (v, t) = module_paths_jvp(&p, &u, s, ds);
                assert_eq!(v, module_paths(&p, s));
                let n = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
                let dn = (p[0] * u[0] + p[1] * u[1] + p[2] * u[2]) / n;
                let exact = ds * n
                    + s * dn
                    + 3.0 * s * s * ds
                    + dn
                    + 3.0 * p[0] * p[0] * u[0]
                    + 3.0 * p[1] * p[1] * u[1];
                check(
                    t,
                    exact,
                    fd(|h| module_paths(&axpy_arr(&p, h, &u), s + h * ds)),
                );
            }
        }

        #[test]
        fn module_paths_reverse() {
            for (k, &(p, s)) in [([0.6, -1.1, 0.8], 1.3), ([-0.2, 0.5, 1.7], -0.6)]
                .iter()
                .enumerate()
            {
                let k = k as u64;
                rev_dot!(module_paths, module_paths_jvp, module_paths_vjp, k; rf p, val s);
                let (gp, gs) = rev_grad!(module_paths_vjp; rf p, val s);
                let n = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
                let mut ep = p.map(|q| (s + 1.0) * q / n);
                ep[0] += 3.0 * p[0] * p[0];
                ep[1] += 3.0 * p[1] * p[1];
                check_exact_vec(&gp, &ep);
                check_exact(gs, n + 3.0 * s * s);
            }
        }

        // Recursion: power by repeated multiplication and a recursive sum over a
        // slice, both differentiated through the recursive call.
        #[jvp]
        #[vjp]
        fn power(x: $F, n: u32) -> $F {
            if n == 0 {
                1.0
            } else {
                x * power(x, n - 1)
            }
        }

        #[jvp]
        #[vjp]
        fn sum_rec(x: &[$F], i: usize) -> $F {
            if i == x.len() {
                0.0
            } else {
                x[i].sin() * (i + 1) as $F + sum_rec(x, i + 1)
            }
        }

        #[test]
        fn recursion_matches() {
            for &x in &[0.7, -1.3] {
                for n in [0u32, 1, 5] {
                    let (v, t) = power_jvp(x, 1.0, n);
                    assert_eq!(v, power(x, n));
                    let exact = if n == 0 {
                        0.0
                    } else {
                        n as $F * x.powi(n as i32 - 1)
                    };
                    check(t, exact, fd(|s| power(x + s, n)));
                }
            }
            let x = rand_vec(3, 6, -2.0, 2.0);
            for u in dirs(6, 3) {
                for start in [0usize, 2, 6] {
                    let (v, t) = sum_rec_jvp(&x, &u, start);
                    assert_eq!(v, sum_rec(&x, start));
                    let exact: $F = (start..6).map(|i| x[i].cos() * u[i] * (i + 1) as $F).sum();
                    check(t, exact, fd(|s| sum_rec(&axpy(&x, s, &u), start)));
                }
            }
        }

        #[test]
        fn recursion_reverse() {
            for &x in &[0.7, -1.3] {
                for n in [0u32, 1, 5] {
                    rev_dot!(power, power_jvp, power_vjp, n as u64; val x, c n);
                    let exact = if n == 0 {
                        0.0
                    } else {
                        n as $F * x.powi(n as i32 - 1)
                    };
                    check_exact(rev_grad!(power_vjp; val x, c n), exact);
                }
            }
            let x = rand_vec(3, 6, -2.0, 2.0);
            for start in [0usize, 2, 6] {
                rev_dot!(sum_rec, sum_rec_jvp, sum_rec_vjp, start as u64; rf x, c start);
                let g = rev_grad!(sum_rec_vjp; rf x, c start);
                let exact: Vec<$F> = (0..6)
                    .map(|i| {
                        if i >= start {
                            x[i].cos() * (i + 1) as $F
                        } else {
                            0.0
                        }
                    })
                    .collect();
                check_exact_vec(&g, &exact);
            }
        }

        // Mutual recursion between two #[jvp] functions.
        #[jvp]
        #[vjp]
        fn even_part(x: $F, n: u32) -> $F {
            if n == 0 {
                x
            } else {
                odd_part(x * 0.5, n - 1) + x
            }
        }

        #[jvp]
        #[vjp]
        fn odd_part(x: $F, n: u32) -> $F {
            if n == 0 {
                x * x
            } else {
                even_part(x.sin(), n - 1)
            }
        }

        #[test]
        fn mutual_recursion_matches() {
            let x = 0.9;
            // even_part(x, 3) = odd(x/2, 2) + x = even(sin(x/2), 1) + x
            //                 = odd(sin(x/2)/2, 0) + sin(x/2) + x
            //                 = sin(x/2)²/4 + sin(x/2) + x
            let (v, t) = even_part_jvp(x, 1.0, 3);
            assert_eq!(v, even_part(x, 3));
            let (s, c) = ((x * 0.5).sin(), (x * 0.5).cos());
            let exact = 0.5 * s * c * 0.5 + 0.5 * c + 1.0;
            check(t, exact, fd(|h| even_part(x + h, 3)));
        }

        #[test]
        fn mutual_recursion_reverse() {
            for &x in &[0.9, -0.4] {
                for n in 0..5u32 {
                    rev_dot!(even_part, even_part_jvp, even_part_vjp, n as u64; val x, c n);
                    rev_dot!(odd_part, odd_part_jvp, odd_part_vjp, n as u64; val x, c n);
                }
            }
            let x: $F = 0.9;
            let (s, c) = ((x * 0.5).sin(), (x * 0.5).cos());
            check_exact(
                rev_grad!(even_part_vjp; val x, c 3),
                0.5 * s * c * 0.5 + 0.5 * c + 1.0,
            );
        }

        // A hand-written `_jvp` for a function without #[jvp].
        fn softplus(x: $F) -> $F {
            (1.0 + x.exp()).ln()
        }

        fn softplus_jvp(x: $F, x_dot: $F) -> ($F, $F) {
            (softplus(x), x_dot / (1.0 + (-x).exp()))
        }

        // Hand-written, in the `_vjp` calling convention.
        fn softplus_vjp(x: $F, x_bar: &mut $F, out_bar: $F) -> $F {
            *x_bar += out_bar / (1.0 + (-x).exp());
            softplus(x)
        }

        #[jvp]
        #[vjp]
        fn uses_handwritten(x: $F, y: $F) -> $F {
            softplus(x * y) + softplus(2.0) * x
        }

        #[test]
        fn uses_handwritten_matches() {
            for &(x, y) in &[(0.5, -1.2), (1.5, 0.8)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (0.6, 0.6)] {
                    let (v, t) = uses_handwritten_jvp(x, dx, y, dy);
                    assert_eq!(v, uses_handwritten(x, y));
                    let sig = 1.0 / (1.0 + (-(x * y)).exp());
                    let exact = sig * (dx * y + x * dy) + softplus(2.0) * dx;
                    check(t, exact, fd(|s| uses_handwritten(x + s * dx, y + s * dy)));
                }
            }
        }

        #[test]
        fn uses_handwritten_reverse() {
            for (i, &(x, y)) in [(0.5, -1.2), (1.5, 0.8)].iter().enumerate() {
                rev_dot!(softplus, softplus_jvp, softplus_vjp, i as u64; val x);
                rev_dot!(uses_handwritten, uses_handwritten_jvp, uses_handwritten_vjp, i as u64; val x, val y);
                let (gx, gy) = rev_grad!(uses_handwritten_vjp; val x, val y);
                let sig = 1.0 / (1.0 + (-(x * y)).exp());
                check_exact(gx, sig * y + softplus(2.0));
                check_exact(gy, sig * x);
            }
        }

        // `&mut arr[i]` arguments to a callee taking `&mut f64`.
        #[jvp]
        #[vjp]
        fn accumulate(r: &mut $F, v: $F) {
            *r += v * v;
        }

        #[jvp]
        #[vjp]
        fn mut_elem_args(x: &[$F]) -> $F {
            let mut a = [0.0; 3];
            for i in 0..x.len() {
                accumulate(&mut a[i % 3], x[i]);
            }
            let mut v = vec![1.0; 2];
            accumulate(&mut v[1], a[0]);
            a[1] * a[2] + v[1]
        }

        #[test]
        fn mut_elem_args_matches() {
            let x = rand_vec(4, 7, -1.0, 1.0);
            for u in dirs(7, 4) {
                let (v, t) = mut_elem_args_jvp(&x, &u);
                assert_eq!(v, mut_elem_args(&x));
                let mut a = [0.0; 3];
                let mut da = [0.0; 3];
                for i in 0..7 {
                    a[i % 3] += x[i] * x[i];
                    da[i % 3] += 2.0 * x[i] * u[i];
                }
                let exact = da[1] * a[2] + a[1] * da[2] + 2.0 * a[0] * da[0];
                check(t, exact, fd(|s| mut_elem_args(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn mut_elem_args_reverse() {
            for (k, &(r, v)) in [(0.3, 0.8), (-1.1, -0.5)].iter().enumerate() {
                rev_dot!(unit accumulate, accumulate_jvp, accumulate_vjp, k as u64; mt r, val v);
            }
            for (k, n) in [1usize, 3, 7].into_iter().enumerate() {
                let x = rand_vec(4 + k as u64, n, -1.0, 1.0);
                rev_dot!(mut_elem_args, mut_elem_args_jvp, mut_elem_args_vjp, k as u64; rf x);
                let g = rev_grad!(mut_elem_args_vjp; rf x);
                let mut a = [0.0; 3];
                for i in 0..n {
                    a[i % 3] += x[i] * x[i];
                }
                let exact: Vec<$F> = (0..n)
                    .map(|i| {
                        let da = 2.0 * x[i];
                        match i % 3 {
                            0 => 2.0 * a[0] * da,
                            1 => da * a[2],
                            _ => a[1] * da,
                        }
                    })
                    .collect();
                check_exact_vec(&g, &exact);
            }
        }

        // `&v` arguments: a local Vec passed as `&[f64]` and as `&Vec<f64>`, and a
        // slice parameter passed straight through.
        #[jvp]
        #[vjp]
        fn mean(v: &[$F]) -> $F {
            let mut s = 0.0;
            for &vi in v {
                s += vi;
            }
            s / v.len() as $F
        }

        #[jvp]
        #[vjp]
        fn last_sq(v: &Vec<$F>) -> $F {
            v[v.len() - 1] * v[v.len() - 1]
        }

        #[jvp]
        #[vjp]
        fn ref_args(x: &[$F], c: $F) -> $F {
            let mut v = vec![0.0; x.len()];
            for i in 0..x.len() {
                v[i] = (x[i] * c).exp();
            }
            let arr3 = [x[0], c, 1.0];
            mean(&v) + last_sq(&v) + mean(x) + mean(&arr3)
        }

        #[test]
        fn ref_args_matches() {
            let x = rand_vec(5, 5, -1.0, 1.0);
            let c = 0.8;
            for (k, u) in dirs(5, 5).into_iter().enumerate() {
                let dc = if k % 2 == 0 { 0.0 } else { -0.6 };
                let (val, t) = ref_args_jvp(&x, &u, c, dc);
                assert_eq!(val, ref_args(&x, c));
                let mut dmean = 0.0;
                for i in 0..5 {
                    dmean += (x[i] * c).exp() * (u[i] * c + x[i] * dc) / 5.0;
                }
                let e4 = (x[4] * c).exp();
                let dlast = 2.0 * e4 * e4 * (u[4] * c + x[4] * dc);
                let exact = dmean + dlast + u.iter().sum::<$F>() / 5.0 + (u[0] + dc) / 3.0;
                check(t, exact, fd(|s| ref_args(&axpy(&x, s, &u), c + s * dc)));
            }
        }

        #[test]
        fn ref_args_reverse() {
            for (k, n) in [1usize, 5].into_iter().enumerate() {
                let x = rand_vec(5 + k as u64, n, -1.0, 1.0);
                let v = x.clone();
                rev_dot!(mean, mean_jvp, mean_vjp, k as u64; rf x);
                rev_dot!(last_sq, last_sq_jvp, last_sq_vjp, k as u64; rf v);
                let c = 0.8;
                rev_dot!(ref_args, ref_args_jvp, ref_args_vjp, k as u64; rf x, val c);
                let (gx, gc) = rev_grad!(ref_args_vjp; rf x, val c);
                let nf = n as $F;
                let e = |i: usize| (x[i] * c).exp();
                let mut ex: Vec<$F> = (0..n).map(|i| e(i) * c / nf + 1.0 / nf).collect();
                ex[n - 1] += 2.0 * e(n - 1) * e(n - 1) * c;
                ex[0] += 1.0 / 3.0;
                let ec = (0..n).map(|i| e(i) * x[i] / nf).sum::<$F>()
                    + 2.0 * e(n - 1) * e(n - 1) * x[n - 1]
                    + 1.0 / 3.0;
                check_exact_vec(&gx, &ex);
                check_exact(gc, ec);
            }
        }

        // An in-place callee taking `&mut [f64]`, called twice on a local array
        // and once on a local Vec.
        #[jvp]
        #[vjp]
        fn scale_shift(a: &mut [$F], s: $F, b: $F) {
            for i in 0..a.len() {
                a[i] = a[i] * s + b;
            }
        }

        #[jvp]
        #[vjp]
        fn inplace_twice(x: &[$F; 4], s: $F, t: $F) -> $F {
            let mut buf = [0.0; 4];
            for i in 0..4 {
                buf[i] = x[i];
            }
            scale_shift(&mut buf, s, 1.0);
            scale_shift(&mut buf, t, s);
            let mut v = vec![0.5; 3];
            scale_shift(&mut v, t, 0.0);
            buf[0] * buf[3] + buf[1] + buf[2] + v[2]
        }

        #[test]
        fn inplace_twice_matches() {
            let x: [$F; 4] = arr(&rand_vec(6, 4, -1.0, 1.0));
            let (s, t) = (1.3, -0.7);
            let mut cases: Vec<([$F; 4], $F, $F)> = dirs(4, 6)
                .into_iter()
                .map(|u| (arr(&u), 0.0, 0.0))
                .collect();
            cases.push(([0.0; 4], 1.0, 0.0));
            cases.push(([0.0; 4], 0.0, 1.0));
            cases.push(([0.2, -0.4, 0.1, 0.9], 0.5, -0.3));
            for (u, ds, dt) in cases {
                let (v, tan) = inplace_twice_jvp(&x, &u, s, ds, t, dt);
                assert_eq!(v, inplace_twice(&x, s, t));
                // buf_i = (x_i s + 1) t + s
                let b = |i: usize| (x[i] * s + 1.0) * t + s;
                let db = |i: usize| (u[i] * s + x[i] * ds) * t + (x[i] * s + 1.0) * dt + ds;
                let exact = db(0) * b(3) + b(0) * db(3) + db(1) + db(2) + 0.5 * dt;
                check(
                    tan,
                    exact,
                    fd(|h| inplace_twice(&axpy_arr(&x, h, &u), s + h * ds, t + h * dt)),
                );
            }
        }

        #[test]
        fn inplace_twice_reverse() {
            for (k, n) in [0usize, 1, 4].into_iter().enumerate() {
                let a = rand_vec(6 + k as u64, n, -1.0, 1.0);
                let (s, b) = (1.3, -0.4);
                rev_dot!(unit scale_shift, scale_shift_jvp, scale_shift_vjp, k as u64; mt a, val s, val b);
            }
            for k in 0..2u64 {
                let x: [$F; 4] = arr(&rand_vec(6 + k, 4, -1.0, 1.0));
                let (s, t) = (1.3, -0.7);
                rev_dot!(inplace_twice, inplace_twice_jvp, inplace_twice_vjp, k; rf x, val s, val t);
                let (gx, gs, gt) = rev_grad!(inplace_twice_vjp; rf x, val s, val t);
                let exact_dir = |u: &[$F], ds: $F, dt: $F| {
                    let b = |i: usize| (x[i] * s + 1.0) * t + s;
                    let db = |i: usize| (u[i] * s + x[i] * ds) * t + (x[i] * s + 1.0) * dt + ds;
                    db(0) * b(3) + b(0) * db(3) + db(1) + db(2) + 0.5 * dt
                };
                check_exact_vec(&gx, &grad_by_dirs(4, |u| exact_dir(u, 0.0, 0.0)));
                check_exact(gs, exact_dir(&[0.0; 4], 1.0, 0.0));
                check_exact(gt, exact_dir(&[0.0; 4], 0.0, 1.0));
            }
        }

        // Callee returning a tuple and an array, destructured by the caller.
        #[jvp]
        #[vjp]
        fn sincos(x: $F) -> ($F, $F) {
            (x.sin(), x.cos())
        }

        #[jvp]
        #[vjp]
        fn rot(p: [$F; 2], th: $F) -> [$F; 2] {
            let (s, c) = sincos(th);
            [c * p[0] - s * p[1], s * p[0] + c * p[1]]
        }

        #[jvp]
        #[vjp]
        fn structured_results(x: $F, y: $F) -> $F {
            let (s, c) = sincos(x);
            let q = rot([y, 1.0], x * 2.0);
            s * c + q[0] * q[1]
        }

        #[test]
        fn structured_results_matches() {
            for &(x, y) in &[(0.3, 1.2), (-0.9, 0.4)] {
                for &(dx, dy) in &[(1.0, 0.0), (0.0, 1.0), (-0.5, 0.7)] {
                    let (v, t) = structured_results_jvp(x, dx, y, dy);
                    assert_eq!(v, structured_results(x, y));
                    // s c = sin(2x)/2 ; q = R(2x) [y, 1]
                    let th = 2.0 * x;
                    let (s2, c2) = (th.sin(), th.cos());
                    let q0 = c2 * y - s2;
                    let q1 = s2 * y + c2;
                    let dq0 = -s2 * 2.0 * dx * y + c2 * dy - c2 * 2.0 * dx;
                    let dq1 = c2 * 2.0 * dx * y + s2 * dy - s2 * 2.0 * dx;
                    let exact = (2.0 * x).cos() * dx + dq0 * q1 + q0 * dq1;
                    check(t, exact, fd(|h| structured_results(x + h * dx, y + h * dy)));
                }
            }
        }

        #[test]
        fn structured_results_reverse() {
            for (i, &(x, y)) in [(0.3, 1.2), (-0.9, 0.4)].iter().enumerate() {
                let i = i as u64;
                rev_dot!(sincos, sincos_jvp, sincos_vjp, i; val x);
                let p = [y, x];
                let th = 0.7 - x;
                rev_dot!(rot, rot_jvp, rot_vjp, i; val p, val th);
                rev_dot!(structured_results, structured_results_jvp, structured_results_vjp, i; val x, val y);
                let (gx, gy) = rev_grad!(structured_results_vjp; val x, val y);
                let exact = |dx: $F, dy: $F| {
                    let th = 2.0 * x;
                    let (s2, c2) = (th.sin(), th.cos());
                    let q0 = c2 * y - s2;
                    let q1 = s2 * y + c2;
                    let dq0 = -s2 * 2.0 * dx * y + c2 * dy - c2 * 2.0 * dx;
                    let dq1 = c2 * 2.0 * dx * y + s2 * dy - s2 * 2.0 * dx;
                    (2.0 * x).cos() * dx + dq0 * q1 + q0 * dq1
                };
                check_exact(gx, exact(1.0, 0.0));
                check_exact(gy, exact(0.0, 1.0));
            }
        }

        // A callee taking `&mut Vec<f64>`, called with `&mut v` on a local Vec;
        // a call inside a while condition; an `if` expression as an argument.
        #[jvp]
        #[vjp]
        fn push_free_update(v: &mut Vec<$F>, a: $F) {
            for i in 0..v.len() {
                v[i] = v[i] * a + (i as $F) * 0.1;
            }
        }

        #[jvp]
        #[vjp]
        fn norm_sq(v: &Vec<$F>) -> $F {
            let mut s = 0.0;
            for vi in v.iter() {
                s += vi * vi;
            }
            s
        }

        #[jvp]
        #[vjp]
        fn call_in_condition(x: &[$F], a: $F) -> $F {
            let mut v = vec![0.0; x.len()];
            for i in 0..x.len() {
                v[i] = x[i];
            }
            let mut rounds = 0;
            while norm_sq(&v) > 0.05 && rounds < 100 {
                push_free_update(&mut v, a);
                rounds += 1;
            }
            let first = if v[0] > 0.0 { v[0] } else { -v[0] };
            sq_sin(if a > 0.5 { first } else { a }) + norm_sq(&v)
        }

        #[test]
        fn call_in_condition_matches() {
            let x = vec![0.8, -0.6, 0.3];
            for &a in &[0.6, 0.3] {
                for (k, u) in dirs(3, 31).into_iter().enumerate() {
                    let da = if k == 3 { 0.4 } else { 0.0 };
                    let (val, t) = call_in_condition_jvp(&x, &u, a, da);
                    assert_eq!(val, call_in_condition(&x, a));
                    // Count the rounds with plain code, then propagate by hand.
                    let (mut v, mut dv) = (x.clone(), u.clone());
                    let mut rounds = 0;
                    while v.iter().map(|q| q * q).sum::<$F>() > 0.05 && rounds < 100 {
                        for i in 0..3 {
                            dv[i] = dv[i] * a + v[i] * da;
                            v[i] = v[i] * a + i as $F * 0.1;
                        }
                        rounds += 1;
                    }
                    let (first, dfirst) = if v[0] > 0.0 {
                        (v[0], dv[0])
                    } else {
                        (-v[0], -dv[0])
                    };
                    let (z, dz) = if a > 0.5 { (first, dfirst) } else { (a, da) };
                    let exact = 2.0 * z.sin() * z.cos() * dz + 2.0 * dot(&v, &dv);
                    check(
                        t,
                        exact,
                        fd(|s| call_in_condition(&axpy(&x, s, &u), a + s * da)),
                    );
                }
            }
        }

        #[test]
        fn call_in_condition_reverse() {
            for (k, n) in [1usize, 3].into_iter().enumerate() {
                let v = rand_vec(30 + k as u64, n, -1.0, 1.0);
                let a = 0.7;
                rev_dot!(unit push_free_update, push_free_update_jvp, push_free_update_vjp, k as u64; mt v, val a);
                rev_dot!(norm_sq, norm_sq_jvp, norm_sq_vjp, k as u64; rf v);
            }
            let x = vec![0.8, -0.6, 0.3];
            for &a in &[0.6, 0.3] {
                rev_dot!(call_in_condition, call_in_condition_jvp, call_in_condition_vjp, (a * 10.0) as u64; rf x, val a);
                let (gx, ga) = rev_grad!(call_in_condition_vjp; rf x, val a);
                let exact_dir = |u: &[$F], da: $F| {
                    let (mut v, mut dv) = (x.clone(), u.to_vec());
                    let mut rounds = 0;
                    while v.iter().map(|q| q * q).sum::<$F>() > 0.05 && rounds < 100 {
                        for i in 0..3 {
                            dv[i] = dv[i] * a + v[i] * da;
                            v[i] = v[i] * a + i as $F * 0.1;
                        }
                        rounds += 1;
                    }
                    let (first, dfirst) = if v[0] > 0.0 {
                        (v[0], dv[0])
                    } else {
                        (-v[0], -dv[0])
                    };
                    let (z, dz) = if a > 0.5 { (first, dfirst) } else { (a, da) };
                    2.0 * z.sin() * z.cos() * dz + 2.0 * dot(&v, &dv)
                };
                check_exact_vec(&gx, &grad_by_dirs(3, |u| exact_dir(u, 0.0)));
                check_exact(ga, exact_dir(&[0.0; 3], 1.0));
            }
        }

        // Recursion with a `&mut` slice parameter (in-place prefix products).
        #[jvp]
        #[vjp]
        fn prefix_prod_rec(v: &mut [$F], i: usize) {
            if i >= v.len() {
                return;
            }
            v[i] *= v[i - 1];
            prefix_prod_rec(v, i + 1);
        }

        #[test]
        fn prefix_prod_rec_matches() {
            let v0 = rand_vec(41, 5, 0.5, 1.5);
            for u in dirs(5, 41) {
                let mut v = v0.clone();
                let mut vd = u.clone();
                prefix_prod_rec_jvp(&mut v, &mut vd, 1);
                let mut vr = v0.clone();
                prefix_prod_rec(&mut vr, 1);
                assert_eq!(v, vr);
                // v_i = prod_{j<=i} v0_j
                let mut exact = Vec::new();
                for i in 0..5 {
                    let p: $F = v0[..=i].iter().product();
                    exact.push((0..=i).map(|j| p / v0[j] * u[j]).sum::<$F>());
                }
                let fdv = fd_vec(|s| {
                    let mut w = axpy(&v0, s, &u);
                    prefix_prod_rec(&mut w, 1);
                    w
                });
                check_vec(&vd, &exact, &fdv);
            }
        }

        #[test]
        fn prefix_prod_rec_reverse() {
            for (k, n) in [1usize, 2, 3, 4, 5].into_iter().enumerate() {
                let v = rand_vec(41 + k as u64, n, 0.5, 1.5);
                rev_dot!(unit prefix_prod_rec, prefix_prod_rec_jvp, prefix_prod_rec_vjp, k as u64; mt v, c 1);
            }
            // Cotangent e_4 on the final contents: the gradient of the full product.
            let v0 = rand_vec(41, 5, 0.5, 1.5);
            let (mut v, mut vb) = (v0.clone(), vec![0.0, 0.0, 0.0, 0.0, 1.0]);
            prefix_prod_rec_vjp(&mut v, &mut vb, 1);
            let p: $F = v0.iter().product();
            check_exact_vec(&vb, &v0.iter().map(|a| p / a).collect::<Vec<_>>());
        }

        // Recursion through a module path.
        mod rec {
            use adiff::{jvp, vjp};

            #[jvp]
            #[vjp]
            pub fn cheb(x: $F, n: u32) -> $F {
                match n {
                    0 => 1.0,
                    1 => x,
                    _ => 2.0 * x * crate::$m::rec::cheb(x, n - 1) - self::cheb(x, n - 2),
                }
            }
        }

        #[test]
        fn recursion_module_path_matches() {
            for &x in &[0.3, -0.8] {
                for n in [0u32, 1, 2, 5] {
                    let (v, t) = rec::cheb_jvp(x, 1.0, n);
                    assert_eq!(v, rec::cheb(x, n));
                    // T_n(cos θ) = cos nθ ; T_n'(x) = n sin(nθ) / sin θ
                    let th = x.acos();
                    let exact = n as $F * (n as $F * th).sin() / th.sin();
                    check(t, exact, fd(|s| rec::cheb(x + s, n)));
                }
            }
        }

        #[test]
        fn recursion_module_path_reverse() {
            use rec::{cheb, cheb_jvp, cheb_vjp};
            for &x in &[0.3, -0.8] {
                for n in [0u32, 1, 2, 5] {
                    rev_dot!(cheb, cheb_jvp, cheb_vjp, n as u64; val x, c n);
                    let th = x.acos();
                    let exact = n as $F * (n as $F * th).sin() / th.sin();
                    check_exact(rev_grad!(cheb_vjp; val x, c n), exact);
                }
            }
        }

        // A call result used as a method receiver and inside an elementary
        // function argument.
        #[jvp]
        #[vjp]
        fn call_as_receiver(x: $F) -> $F {
            sq_sin(x).sqrt() + sq_sin(x.cos()).exp() + weighted(x, 2.0, 2).ln()
        }

        #[test]
        fn call_as_receiver_matches() {
            for &x in &[0.6, 2.0, -0.9] {
                let (v, t) = call_as_receiver_jvp(x, 1.0);
                assert_eq!(v, call_as_receiver(x));
                // sqrt(sin²x) = |sin x| ; d = sign(sin x) cos x
                let c = x.cos();
                let e = (c.sin() * c.sin()).exp();
                let exact = x.sin().signum() * c + e * 2.0 * c.sin() * c.cos() * -x.sin() + 2.0 / x;
                check(t, exact, fd(|s| call_as_receiver(x + s)));
            }
        }

        #[test]
        fn call_as_receiver_reverse() {
            for (i, &x) in [0.6, 2.0, -0.9].iter().enumerate() {
                rev_dot!(call_as_receiver, call_as_receiver_jvp, call_as_receiver_vjp, i as u64; val x);
                let c = x.cos();
                let e = (c.sin() * c.sin()).exp();
                let exact = x.sin().signum() * c + e * 2.0 * c.sin() * c.cos() * -x.sin() + 2.0 / x;
                check_exact(rev_grad!(call_as_receiver_vjp; val x), exact);
            }
        }
    };
}

mod double {
    suite!(f64, f64h, double);
}

mod single {
    suite!(f32, f32h, single);
}

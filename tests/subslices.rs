//! Sub-slices `&x[a..b]`, `&x[a..]`, `&x[..b]`, `&x[a..=b]` and
//! `&mut x[a..b]` of differentiable slices, arrays and `Vec`s: as call
//! arguments (the callee's `_jvp` gets `&x_dot[a..b]`, its `_vjp` gets
//! `&mut x_bar[a..b]`), in `for` loops, in iterator chains, and bound with
//! `let`. Each function is checked against its closed-form gradient, central
//! finite differences, and the dot-product test between `_jvp` and `_vjp`.

#![allow(
    clippy::needless_range_loop,
    clippy::ptr_arg,
    clippy::useless_vec,
    clippy::too_many_arguments,
    clippy::manual_memcpy,
    clippy::unnecessary_cast
)]

mod common;

macro_rules! suite {
    ($F:ident, $h:ident) => {
        use crate::common::$h::*;
        use adiff::{grad, jvp, vjp};

        /// Checks `f_jvp` against the closed-form gradient `g` and finite
        /// differences in several directions, and `f_vjp` against `g` and
        /// by the dot-product test.
        macro_rules! check_slice_fn {
            ($f:ident, $fj:ident, $fv:ident, $x:expr, $g:expr) => {{
                let x: Vec<$F> = $x;
                let n = x.len();
                let exact: Vec<$F> = $g(&x);
                for u in dirs(n, 3) {
                    let (val, t) = $fj(&x, &u);
                    assert_eq!(val, $f(&x));
                    check(t, dot(&exact, &u), fd(|s| $f(&axpy(&x, s, &u))));
                }
                for seed in 0..3 {
                    rev_dot!($f, $fj, $fv, seed; rf x);
                }
                let gx = rev_grad!($fv; rf x);
                check_exact_vec(&gx, &exact);
            }};
        }

        #[jvp]
        #[vjp]
        fn dot_of(a: &[$F], b: &[$F]) -> $F {
            let mut s = 0.0;
            for i in 0..a.len() {
                s += a[i] * b[i];
            }
            s
        }

        /// Sub-slices of every bound form as call arguments.
        #[jvp]
        #[grad]
        fn shifted(x: &[$F]) -> $F {
            let n = x.len();
            dot_of(&x[1..], &x[..n - 1]) + dot_of(&x[1..=2], &x[0..2])
        }

        fn shifted_grad_exact(x: &[$F]) -> Vec<$F> {
            let n = x.len();
            let mut g = vec![0.0; n];
            for i in 0..n - 1 {
                g[i + 1] += x[i];
                g[i] += x[i + 1];
            }
            g[1] += x[0] + x[2];
            g[0] += x[1];
            g[2] += x[1];
            g
        }

        #[test]
        fn call_arguments() {
            check_slice_fn!(
                shifted,
                shifted_jvp,
                shifted_vjp,
                rand_vec(1, 5, -1.0, 1.0),
                shifted_grad_exact
            );
            let x = rand_vec(2, 4, -1.0, 1.0);
            let (v, g) = shifted_grad(&x);
            assert_eq!(v, shifted(&x));
            check_exact_vec(&g, &shifted_grad_exact(&x));
        }

        /// `for` loops over sub-slices, with `&`, `.iter()`, `enumerate` and
        /// a computed bound.
        #[jvp]
        #[vjp]
        fn loops(x: &[$F]) -> $F {
            let n = x.len();
            let mut s = 0.0;
            for v in &x[1..n - 1] {
                s += v * v * v;
            }
            for (i, v) in x[2..].iter().enumerate() {
                s += (i as $F + 1.0) * v.sin();
            }
            for &v in x[..2].iter() {
                s += v * x[0];
            }
            s
        }

        fn loops_grad_exact(x: &[$F]) -> Vec<$F> {
            let n = x.len();
            let mut g = vec![0.0; n];
            for j in 1..n - 1 {
                g[j] += 3.0 * x[j] * x[j];
            }
            for j in 2..n {
                g[j] += (j as $F - 1.0) * x[j].cos();
            }
            g[0] += 2.0 * x[0] + x[1];
            g[1] += x[0];
            g
        }

        #[test]
        fn for_loops() {
            check_slice_fn!(
                loops,
                loops_jvp,
                loops_vjp,
                rand_vec(3, 5, -1.0, 1.0),
                loops_grad_exact
            );
        }

        /// Iterator chains on sub-slices: `sum`, `zip` with a sub-slice, `map`.
        #[jvp]
        #[vjp]
        fn chains(x: &[$F]) -> $F {
            let n = x.len();
            x[1..].iter().sum::<$F>() * x[0]
                + x[..n - 1]
                    .iter()
                    .zip(&x[1..])
                    .map(|(p, q)| p * q)
                    .sum::<$F>()
                + x[2..].iter().map(|v| v.exp()).sum::<$F>()
        }

        fn chains_grad_exact(x: &[$F]) -> Vec<$F> {
            let n = x.len();
            let mut g = vec![0.0; n];
            g[0] += x[1..].iter().sum::<$F>();
            for j in 1..n {
                g[j] += x[0];
            }
            for i in 0..n - 1 {
                g[i] += x[i + 1];
                g[i + 1] += x[i];
            }
            for j in 2..n {
                g[j] += x[j].exp();
            }
            g
        }

        #[test]
        fn iterator_chains() {
            check_slice_fn!(
                chains,
                chains_jvp,
                chains_vjp,
                rand_vec(4, 5, -1.0, 1.0),
                chains_grad_exact
            );
        }

        /// Sub-slices bound with `let`, indexed, iterated and passed on. The
        /// bounds of `mid` are read when it is taken: `k` changes later.
        #[jvp]
        #[vjp]
        fn bound(x: &[$F]) -> $F {
            let n = x.len();
            let tail = &x[1..];
            let mut k = 1;
            let mid = &x[k..k + 2];
            k += 1;
            let inner = &tail[1..];
            inner[0] * inner.len() as $F
                + tail[0] * tail[tail.len() - 1]
                + mid[0] * mid[1] * k as $F
                + tail.iter().sum::<$F>()
                + dot_of(tail, &x[..n - 1])
        }

        fn bound_grad_exact(x: &[$F]) -> Vec<$F> {
            let n = x.len();
            let mut g = vec![0.0; n];
            for j in 1..n {
                g[j] += 1.0;
            }
            g[1] += x[n - 1];
            g[n - 1] += x[1];
            g[1] += 2.0 * x[2];
            g[2] += 2.0 * x[1];
            g[2] += (n - 2) as $F;
            for i in 0..n - 1 {
                g[i + 1] += x[i];
                g[i] += x[i + 1];
            }
            g
        }

        #[test]
        fn let_bound() {
            check_slice_fn!(
                bound,
                bound_jvp,
                bound_vjp,
                rand_vec(5, 5, -1.0, 1.0),
                bound_grad_exact
            );
        }

        /// Sub-slices whose bounds change every iteration, in a loop whose
        /// reverse sweep needs them again.
        #[jvp]
        #[vjp]
        fn in_loop(x: &[$F]) -> $F {
            let n = x.len();
            let mut s = 0.0;
            for k in 0..n {
                let t = x[k..].iter().sum::<$F>();
                s += t * x[k];
                s += dot_of(&x[k..], &x[k..]);
            }
            // The bound `k` changes after the sub-slice is taken, in a loop
            // the reverse sweep replays.
            let mut k = 0;
            while k < n {
                s += x[k..].iter().sum::<$F>() * 0.5;
                k += 1;
            }
            s
        }

        fn in_loop_grad_exact(x: &[$F]) -> Vec<$F> {
            let n = x.len();
            (0..n)
                .map(|m| {
                    x[m..].iter().sum::<$F>()
                        + x[..=m].iter().sum::<$F>()
                        + 2.0 * x[m] * (m as $F + 1.0)
                        + 0.5 * (m as $F + 1.0)
                })
                .collect()
        }

        #[test]
        fn bounds_change_in_a_loop() {
            check_slice_fn!(
                in_loop,
                in_loop_jvp,
                in_loop_vjp,
                rand_vec(6, 5, -1.0, 1.0),
                in_loop_grad_exact
            );
        }

        #[jvp]
        #[vjp]
        fn scale_in(buf: &mut [$F], c: $F) {
            for i in 0..buf.len() {
                buf[i] *= c;
            }
        }

        /// `&mut` sub-slices of a local `Vec` given to a callee, and a
        /// `&mut` sub-slice bound with `let` and written through.
        #[jvp]
        #[vjp]
        fn partial(x: &[$F], c: $F) -> $F {
            let n = x.len();
            let mut w = vec![0.0; n];
            for i in 0..n {
                w[i] = x[i];
            }
            scale_in(&mut w[1..3], c);
            scale_in(&mut w[2..], c);
            let head = &mut w[..2];
            head[1] += head[0] * c;
            let tail = &mut w[3..];
            scale_in(tail, c);
            let mut s = 0.0;
            for v in &w {
                s += v * v;
            }
            s
        }

        fn partial_grad_exact(x: &[$F], c: $F) -> (Vec<$F>, $F) {
            let n = x.len();
            let w1 = c * x[1] + c * x[0];
            let mut g = vec![0.0; n];
            g[0] = 2.0 * x[0] + 2.0 * c * w1;
            g[1] = 2.0 * c * w1;
            g[2] = 2.0 * c.powi(4) * x[2];
            let mut rest = 0.0;
            for j in 3..n {
                g[j] = 2.0 * c.powi(4) * x[j];
                rest += x[j] * x[j];
            }
            let gc = 2.0 * w1 * (x[0] + x[1]) + 4.0 * c.powi(3) * (x[2] * x[2] + rest);
            (g, gc)
        }

        #[test]
        fn mut_sub_slices_of_a_local() {
            let x = rand_vec(7, 5, -1.0, 1.0);
            let c: $F = 0.8;
            let (gx, gc) = partial_grad_exact(&x, c);
            for (k, u) in dirs(6, 8).into_iter().enumerate() {
                let (ux, uc) = (u[..5].to_vec(), u[5]);
                let (val, t) = partial_jvp(&x, &ux, c, uc);
                assert_eq!(val, partial(&x, c));
                check(
                    t,
                    dot(&gx, &ux) + gc * uc,
                    fd(|s| partial(&axpy(&x, s, &ux), c + s * uc)),
                );
                rev_dot!(partial, partial_jvp, partial_vjp, k as u64; rf x, val c);
            }
            let (bx, bc) = rev_grad!(partial_vjp; rf x, val c);
            check_exact_vec(&bx, &gx);
            check_exact(bc, gc);
        }

        /// A `&mut` parameter updated through sub-slices: a call and
        /// `iter_mut` over a prefix.
        #[jvp]
        #[vjp]
        fn tail_update(buf: &mut [$F], c: $F) {
            scale_in(&mut buf[1..], c);
            for v in buf[..2].iter_mut() {
                *v = *v * *v;
            }
        }

        #[test]
        fn mut_parameter() {
            let b0 = rand_vec(9, 4, -1.0, 1.0);
            let c: $F = 1.3;
            for (k, u) in dirs(5, 10).into_iter().enumerate() {
                let (ub, uc) = (u[..4].to_vec(), u[4]);
                let (mut b, mut bd) = (b0.clone(), ub.clone());
                tail_update_jvp(&mut b, &mut bd, c, uc);
                let mut p = b0.clone();
                tail_update(&mut p, c);
                assert_eq!(b, p);
                // Closed form of the final contents' tangent.
                let mut exact = vec![0.0; 4];
                exact[0] = 2.0 * b0[0] * ub[0];
                let cb1 = c * b0[1];
                exact[1] = 2.0 * cb1 * (uc * b0[1] + c * ub[1]);
                for j in 2..4 {
                    exact[j] = uc * b0[j] + c * ub[j];
                }
                let f = |s: $F| {
                    let mut q = axpy(&b0, s, &ub);
                    tail_update(&mut q, c + s * uc);
                    q
                };
                check_vec(&bd, &exact, &fd_vec(f));
                let buf = b0.clone();
                rev_dot!(unit tail_update, tail_update_jvp, tail_update_vjp, k as u64; mt buf, val c);
            }
        }

        /// Sub-slices of a `&[S; N]`, a `&Vec<S>` and a by-value array.
        #[jvp]
        #[vjp]
        fn containers(a: &[$F; 4], v: &Vec<$F>, m: [$F; 3]) -> $F {
            dot_of(&a[1..3], &v[..2]) + m[1..].iter().sum::<$F>() * a[..2].iter().sum::<$F>()
        }

        #[test]
        fn arrays_and_vecs() {
            let a: [$F; 4] = arr(&rand_vec(11, 4, -1.0, 1.0));
            let v = rand_vec(12, 3, -1.0, 1.0);
            let m: [$F; 3] = arr(&rand_vec(13, 3, -1.0, 1.0));
            let (sm, sa) = (m[1] + m[2], a[0] + a[1]);
            let ga = [sm, v[0] + sm, v[1], 0.0];
            let gv = vec![a[1], a[2], 0.0];
            let gm = [0.0, sa, sa];
            for (k, u) in dirs(10, 14).into_iter().enumerate() {
                let ua: [$F; 4] = arr(&u[..4]);
                let uv = u[4..7].to_vec();
                let um: [$F; 3] = arr(&u[7..]);
                let (val, t) = containers_jvp(&a, &ua, &v, &uv, m, um);
                assert_eq!(val, containers(&a, &v, m));
                let exact = dot(&ga, &ua) + dot(&gv, &uv) + dot(&gm, &um);
                let f = |s| containers(&axpy_arr(&a, s, &ua), &axpy(&v, s, &uv), axpy_arr(&m, s, &um));
                check(t, exact, fd(f));
                rev_dot!(containers, containers_jvp, containers_vjp, k as u64; rf a, rf v, val m);
            }
            let (ba, bv, bm) = rev_grad!(containers_vjp; rf a, rf v, val m);
            check_exact_vec(&ba, &ga);
            check_exact_vec(&bv, &gv);
            check_exact_vec(&bm, &gm);
        }

        #[jvp]
        #[vjp]
        fn mul(a: $F, b: $F) -> $F {
            a * b
        }

        /// One buffer or scalar passed twice to a callee: its adjoints alias,
        /// so the reverse sweep passes a scratch adjoint for the second.
        #[jvp]
        #[vjp]
        fn aliased(x: &[$F]) -> $F {
            let a = x[0];
            dot_of(x, x) + mul(a, a) * dot_of(&x[..2], &x[..2])
        }

        fn aliased_grad_exact(x: &[$F]) -> Vec<$F> {
            let q = x[0] * x[0] + x[1] * x[1];
            let mut g: Vec<$F> = x.iter().map(|v| 2.0 * v).collect();
            g[0] += 2.0 * x[0] * q + x[0] * x[0] * 2.0 * x[0];
            g[1] += x[0] * x[0] * 2.0 * x[1];
            g
        }

        #[test]
        fn aliased_adjoints() {
            check_slice_fn!(
                aliased,
                aliased_jvp,
                aliased_vjp,
                rand_vec(16, 4, -1.0, 1.0),
                aliased_grad_exact
            );
        }

        /// Arguments that carry no derivative (a constant local array, whole
        /// and as a sub-slice) get a scratch zero adjoint in reverse mode.
        #[jvp]
        #[vjp]
        fn inactive_args(x: &[$F]) -> $F {
            let c: [$F; 3] = [0.5, 1.5, -1.0];
            dot_of(&c[1..], &x[..2]) + dot_of(&c, &x[..3])
        }

        #[test]
        fn constant_arguments() {
            check_slice_fn!(
                inactive_args,
                inactive_args_jvp,
                inactive_args_vjp,
                rand_vec(19, 4, -1.0, 1.0),
                |_: &[$F]| vec![2.0, 0.5, -1.0, 0.0]
            );
        }

        /// A sub-slice chosen at run time.
        #[jvp]
        #[vjp]
        fn chosen(x: &[$F], c: bool) -> $F {
            let r = if c { &x[1..] } else { &x[..2] };
            dot_of(r, r) + r[0] * x[0]
        }

        #[test]
        fn chosen_at_run_time() {
            let x = rand_vec(17, 3, -1.0, 1.0);
            for c in [true, false] {
                let lo = usize::from(c);
                let mut exact = vec![0.0; 3];
                exact[lo] += 2.0 * x[lo] + x[0];
                exact[lo + 1] += 2.0 * x[lo + 1];
                exact[0] += x[lo];
                for (k, u) in dirs(3, 18).into_iter().enumerate() {
                    let (val, t) = chosen_jvp(&x, &u, c);
                    assert_eq!(val, chosen(&x, c));
                    check(t, dot(&exact, &u), fd(|s| chosen(&axpy(&x, s, &u), c)));
                    rev_dot!(chosen, chosen_jvp, chosen_vjp, k as u64; rf x, c c);
                }
                let g = rev_grad!(chosen_vjp; rf x, c c);
                check_exact_vec(&g, &exact);
            }
        }

        /// The Rosenbrock function as `argmin_testfunctions` writes it, over
        /// windows of the parameter.
        #[grad]
        #[jvp]
        fn rosenbrock(param: &[$F]) -> $F {
            param[..param.len() - 1]
                .iter()
                .zip(&param[1..])
                .map(|(x, y)| (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x))
                .sum::<$F>()
        }

        #[test]
        fn rosenbrock_over_windows() {
            let x: Vec<$F> = vec![0.3, -0.4, 0.8, 0.5];
            let n = x.len();
            let mut exact = vec![0.0; n];
            for i in 0..n - 1 {
                let r = x[i + 1] - x[i] * x[i];
                exact[i] += -2.0 * (1.0 - x[i]) - 400.0 * x[i] * r;
                exact[i + 1] += 200.0 * r;
            }
            let (v, g) = rosenbrock_grad(&x);
            assert_eq!(v, rosenbrock(&x));
            check_exact_vec(&g, &exact);
            for u in dirs(n, 15) {
                let (_, t) = rosenbrock_jvp(&x, &u);
                check(t, dot(&exact, &u), fd(|s| rosenbrock(&axpy(&x, s, &u))));
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

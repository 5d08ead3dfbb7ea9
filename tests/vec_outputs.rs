//! Reverse mode for functions whose result is a local `Vec`, an array of
//! `Vec`s or a tuple holding one: returned at the end, early from a loop or
//! a branch, as a `break` value, or made by a callee; and `Vec` locals of
//! loops and branches that the reverse sweep reads. `out_bar` has the
//! output's type (`Vec<S>`, `[Vec<S>; 2]`, `(S, Vec<S>)`), by value. Each
//! is checked against a closed form and with the dot-product test against
//! `_jvp`, with a non-trivial cotangent.

use approx::assert_relative_eq;

macro_rules! vec_suite {
    ($m:ident, $R:ident, $rel:expr) => {
        mod $m {
            use super::*;
            use adiff::{grad, jvp, vjp};

            fn dot(a: &[$R], b: &[$R]) -> $R {
                a.iter().zip(b).map(|(x, y)| x * y).sum()
            }

            /// Built in a loop: out[i] = x0 * i + sin(x1).
            #[jvp]
            #[vjp]
            pub fn tall(x: &[$R]) -> Vec<$R> {
                let mut out = vec![0.0; 5];
                for i in 0..5 {
                    out[i] = x[0] * (i as $R) + x[1].sin();
                }
                out
            }

            #[test]
            fn result_built_in_a_loop() {
                let x = [0.7, -1.2];
                let w: Vec<$R> = vec![0.5, -1.0, 0.25, 2.0, -0.75];
                let mut xb = [0.0; 2];
                let y = tall_vjp(&x, &mut xb, w.clone());
                assert_eq!(y, tall(&x));
                // Jᵀw in closed form.
                let exact = [
                    (0..5).map(|i| w[i] * i as $R).sum::<$R>(),
                    w.iter().sum::<$R>() * x[1].cos(),
                ];
                assert_relative_eq!(xb[0], exact[0], max_relative = $rel);
                assert_relative_eq!(xb[1], exact[1], max_relative = $rel);
                let u = [0.3, 0.9];
                let (_, ju) = tall_jvp(&x, &u);
                assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
            }

            /// A tuple holding a scalar and a `Vec`.
            #[jvp]
            #[vjp]
            pub fn pair(x: $R, n: usize) -> ($R, Vec<$R>) {
                let mut v = vec![0.0; n];
                let mut s = 0.0;
                for i in 0..n {
                    v[i] = (x * (i as $R + 1.0)).sin();
                    s += v[i];
                }
                (s * x, v)
            }

            #[test]
            fn tuple_with_a_vec() {
                let (x, n) = (0.6, 4);
                let w0: $R = 0.75;
                let w: Vec<$R> = vec![1.0, -0.5, 0.25, 2.0];
                let mut xb = 0.0;
                let y = pair_vjp(x, &mut xb, n, (w0, w.clone()));
                assert_eq!(y, pair(x, n));
                let (_, (d0, dv)) = pair_jvp(x, 1.0, n);
                assert_relative_eq!(xb, w0 * d0 + dot(&w, &dv), max_relative = $rel);
                // Closed form of dv.
                for i in 0..n {
                    let k = i as $R + 1.0;
                    assert_relative_eq!(dv[i], k * (x * k).cos(), max_relative = $rel);
                }
            }

            /// A callee that returns a `Vec`, used by a caller that returns one.
            #[jvp]
            #[vjp]
            pub fn squares(x: &[$R]) -> Vec<$R> {
                let mut out = vec![0.0; x.len()];
                for i in 0..x.len() {
                    out[i] = x[i] * x[i];
                }
                out
            }

            #[jvp]
            #[vjp]
            pub fn outer(x: &[$R]) -> Vec<$R> {
                let s = squares(x);
                let mut out = vec![0.0; 2];
                out[0] = s[0] + s[1];
                out[1] = s[1] * x[0];
                out
            }

            #[test]
            fn nested_calls_returning_vecs() {
                let x = [0.8, -1.1];
                let w: Vec<$R> = vec![0.5, 1.5];
                let mut xb = [0.0; 2];
                let y = outer_vjp(&x, &mut xb, w.clone());
                assert_eq!(y, outer(&x));
                // out = [x0² + x1², x1² x0].
                let exact = [
                    w[0] * 2.0 * x[0] + w[1] * x[1] * x[1],
                    w[0] * 2.0 * x[1] + w[1] * 2.0 * x[1] * x[0],
                ];
                assert_relative_eq!(xb[0], exact[0], max_relative = $rel);
                assert_relative_eq!(xb[1], exact[1], max_relative = $rel);
                let u = [-0.2, 0.7];
                let (_, ju) = outer_jvp(&x, &u);
                assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
            }

            /// The whole body is a call returning a `Vec` (the reverse sweep
            /// returned the moved value: "borrow of moved value").
            #[jvp]
            #[vjp]
            pub fn tail_squares(x: &[$R]) -> Vec<$R> {
                squares(x)
            }

            #[test]
            fn tail_call_returning_a_vec() {
                let x = [0.8, -1.1];
                let w: Vec<$R> = vec![0.5, 1.5];
                let mut xb = [0.0; 2];
                let y = tail_squares_vjp(&x, &mut xb, w.clone());
                assert_eq!(y, tail_squares(&x));
                assert_relative_eq!(xb[0], w[0] * 2.0 * x[0], max_relative = $rel);
                assert_relative_eq!(xb[1], w[1] * 2.0 * x[1], max_relative = $rel);
                let u = [-0.2, 0.7];
                let (y2, ju) = tail_squares_jvp(&x, &u);
                assert_eq!(y2, y);
                assert_relative_eq!(ju[0], 2.0 * x[0] * u[0], max_relative = $rel);
                assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
            }

            /// An early `return` of a callee's `Vec` from inside a branch:
            /// recording the call's value moved it before it was returned.
            #[jvp]
            #[vjp]
            pub fn early_squares(x: &[$R], c: bool) -> Vec<$R> {
                if c {
                    return squares(x);
                }
                let mut y = vec![0.0; x.len()];
                y[0] = 3.0 * x[0];
                y
            }

            #[test]
            fn early_return_of_a_callee_vec() {
                let x = [0.8, -1.1];
                let w: Vec<$R> = vec![0.5, 1.5];
                let u = [-0.2, 0.7];
                for c in [true, false] {
                    let mut xb = [0.0; 2];
                    let y = early_squares_vjp(&x, &mut xb, c, w.clone());
                    assert_eq!(y, early_squares(&x, c));
                    let (y2, ju) = early_squares_jvp(&x, &u, c);
                    assert_eq!(y2, y);
                    if c {
                        assert_relative_eq!(xb[0], w[0] * 2.0 * x[0], max_relative = $rel);
                        assert_relative_eq!(xb[1], w[1] * 2.0 * x[1], max_relative = $rel);
                        assert_relative_eq!(ju[1], 2.0 * x[1] * u[1], max_relative = $rel);
                    } else {
                        assert_relative_eq!(xb[0], w[0] * 3.0, max_relative = $rel);
                        assert_eq!(xb[1], 0.0);
                        assert_relative_eq!(ju[0], 3.0 * u[0], max_relative = $rel);
                    }
                    assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
                }
            }

            /// `out[0] = x0 x1`, written through a `&mut` buffer.
            #[jvp]
            #[vjp]
            pub fn product_into(x: &[$R], out: &mut [$R]) {
                out[0] = x[0] * x[1];
            }

            /// A function returning `()` that ends in a call to another one:
            /// its `()` got a tangent and a cotangent passed to the callee.
            #[jvp]
            #[vjp]
            pub fn tail_product(x: &[$R], out: &mut [$R]) {
                product_into(x, out)
            }

            /// The same with `return`.
            #[jvp]
            #[vjp]
            pub fn return_product(x: &[$R], out: &mut [$R]) {
                if x[0] > 100.0 {
                    return;
                }
                return product_into(x, out);
            }

            #[test]
            fn tail_call_to_a_function_returning_unit() {
                type F = fn(&[$R], &mut [$R], &mut [$R], &mut [$R]);
                type J = fn(&[$R], &[$R], &mut [$R], &mut [$R]);
                type P = fn(&[$R], &mut [$R]);
                let cases: [(P, F, J); 2] = [
                    (tail_product, tail_product_vjp, tail_product_jvp),
                    (return_product, return_product_vjp, return_product_jvp),
                ];
                let x = [0.8, -1.1];
                for (f, vjp, jvp) in cases {
                    let mut y = [0.0];
                    f(&x, &mut y);
                    let (mut out, mut ob) = ([0.0], [1.5]);
                    let mut xb = [0.0; 2];
                    vjp(&x, &mut xb, &mut out, &mut ob);
                    assert_relative_eq!(xb[0], 1.5 * x[1], max_relative = $rel);
                    assert_relative_eq!(xb[1], 1.5 * x[0], max_relative = $rel);
                    // The old contents are overwritten: no cotangent for them.
                    assert_eq!(ob[0], 0.0);
                    let u = [-0.2, 0.7];
                    let (mut out, mut od) = ([0.0], [0.0]);
                    jvp(&x, &u, &mut out, &mut od);
                    assert_eq!(out, y);
                    assert_relative_eq!(od[0], u[0] * x[1] + x[0] * u[1], max_relative = $rel);
                    assert_relative_eq!(1.5 * od[0], dot(&xb, &u), max_relative = $rel);
                }
            }

            /// An early return from a loop: out[0] = x0², out[i] = x_i x0
            /// up to the first i with out[i] > lim, the rest zero.
            #[jvp]
            #[vjp]
            pub fn early_loop(x: &[$R], lim: $R) -> Vec<$R> {
                let mut out = vec![0.0; 3];
                for i in 0..3 {
                    out[i] = x[i] * x[0];
                    if out[i] > lim {
                        return out;
                    }
                }
                out
            }

            #[test]
            fn early_return_from_a_loop() {
                let x = [1.5, 2.0, 0.5];
                let w: Vec<$R> = vec![0.5, -1.25, 2.0];
                // lim = 2.5 stops at i = 1 (x1 x0 = 3); lim = 10 runs to the end.
                for (lim, last) in [(2.5, 1), (10.0, 2)] {
                    let mut xb = [0.0; 3];
                    let mut lb = 0.0;
                    let y = early_loop_vjp(&x, &mut xb, lim, &mut lb, w.clone());
                    assert_eq!(lb, 0.0);
                    assert_eq!(y, early_loop(&x, lim));
                    let mut exact = [2.0 * x[0] * w[0], 0.0, 0.0];
                    for i in 1..=last {
                        exact[0] += x[i] * w[i];
                        exact[i] = x[0] * w[i];
                    }
                    for i in 0..3 {
                        assert_relative_eq!(xb[i], exact[i], max_relative = $rel);
                    }
                    let u = [0.3, -0.8, 1.1];
                    let (_, ju) = early_loop_jvp(&x, &u, lim, 1.0);
                    assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
                }
            }

            /// An early return from a branch, of a `Vec` declared in it.
            #[jvp]
            #[vjp]
            pub fn early_branch(x: &[$R], c: bool) -> Vec<$R> {
                if c {
                    let mut v = vec![0.0; 2];
                    v[0] = x[0].sin();
                    v[1] = x[1] * v[0];
                    return v;
                }
                let mut w = vec![0.0; 2];
                w[0] = x[1] * x[1];
                w
            }

            #[test]
            fn early_return_from_a_branch() {
                let x = [0.4, -1.3];
                let w: Vec<$R> = vec![1.5, -0.5];
                for c in [true, false] {
                    let mut xb = [0.0; 2];
                    let y = early_branch_vjp(&x, &mut xb, c, w.clone());
                    assert_eq!(y, early_branch(&x, c));
                    let exact = if c {
                        // v = [sin x0, x1 sin x0].
                        [(w[0] + w[1] * x[1]) * x[0].cos(), w[1] * x[0].sin()]
                    } else {
                        [0.0, 2.0 * x[1] * w[0]]
                    };
                    assert_relative_eq!(xb[0], exact[0], max_relative = $rel);
                    assert_relative_eq!(xb[1], exact[1], max_relative = $rel);
                    let u = [0.7, 0.2];
                    let (_, ju) = early_branch_jvp(&x, &u, c);
                    assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
                }
            }

            /// A `break` value: the `Vec` built in the loop's last iteration.
            #[jvp]
            #[vjp]
            pub fn break_value(x: &[$R]) -> Vec<$R> {
                let mut k = 0;
                let r = loop {
                    let mut v = vec![0.0; 2];
                    v[0] = x[0] * x[0] * (k as $R);
                    v[1] = x[1].exp() * v[0];
                    k += 1;
                    if k > 2 {
                        break v;
                    }
                };
                r
            }

            #[test]
            fn break_value_of_a_loop() {
                let x = [0.9, 0.3];
                let w: Vec<$R> = vec![-0.75, 1.25];
                let mut xb = [0.0; 2];
                let y = break_value_vjp(&x, &mut xb, w.clone());
                assert_eq!(y, break_value(&x));
                // r = [2 x0², 2 x0² e^x1].
                let e = x[1].exp();
                let exact = [4.0 * x[0] * (w[0] + w[1] * e), 2.0 * x[0] * x[0] * e * w[1]];
                assert_relative_eq!(xb[0], exact[0], max_relative = $rel);
                assert_relative_eq!(xb[1], exact[1], max_relative = $rel);
                let u = [0.5, -1.5];
                let (_, ju) = break_value_jvp(&x, &u);
                assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
            }

            /// A tuple `(S, Vec<S>)` returned early from a loop.
            #[jvp]
            #[vjp]
            pub fn pair_early(x: $R, n: usize, stop: usize) -> ($R, Vec<$R>) {
                let mut v = vec![0.0; n];
                let mut s = 0.0;
                for i in 0..n {
                    v[i] = (x * (i as $R + 1.0)).sin();
                    s += v[i];
                    if i == stop {
                        return (s * x, v);
                    }
                }
                (s, v)
            }

            #[test]
            fn tuple_with_a_vec_returned_early() {
                let (x, n) = (0.6, 4);
                let w0: $R = 0.75;
                let w: Vec<$R> = vec![1.0, -0.5, 0.25, 2.0];
                for stop in [1, 9] {
                    let mut xb = 0.0;
                    let y = pair_early_vjp(x, &mut xb, n, stop, (w0, w.clone()));
                    assert_eq!(y, pair_early(x, n, stop));
                    // v_i = sin(k x), k = i + 1, for i <= last; s = Σ v_i.
                    let last = stop.min(n - 1);
                    let (mut s, mut ds, mut dv) = (0.0, 0.0, 0.0);
                    for i in 0..=last {
                        let k = i as $R + 1.0;
                        s += (k * x).sin();
                        ds += k * (k * x).cos();
                        dv += w[i] * k * (k * x).cos();
                    }
                    let d0 = if stop < n { s + x * ds } else { ds };
                    assert_relative_eq!(xb, w0 * d0 + dv, max_relative = $rel);
                    let (_, (t0, tv)) = pair_early_jvp(x, 1.0, n, stop);
                    assert_relative_eq!(xb, w0 * t0 + dot(&w, &tv), max_relative = $rel);
                }
            }

            /// A callee returning a `Vec` early, called in a loop of a caller
            /// that returns a `Vec` early: Vec locals from calls inside loops.
            #[jvp]
            #[vjp]
            pub fn head(x: &[$R], m: usize) -> Vec<$R> {
                let mut out = vec![0.0; m];
                for i in 0..x.len() {
                    if i == m {
                        return out;
                    }
                    out[i] = x[i] * x[i];
                }
                out
            }

            #[jvp]
            #[vjp]
            pub fn heads(x: &[$R], stop: $R) -> Vec<$R> {
                let mut out = vec![0.0; 2];
                for k in 0..2 {
                    let h: Vec<$R> = head(x, k + 1);
                    out[k] = h[k] * x[0];
                    if out[k] > stop {
                        return out;
                    }
                }
                out
            }

            #[test]
            fn nested_calls_returning_vecs_early() {
                let x = [1.2, -0.7, 2.0];
                let w: Vec<$R> = vec![0.5, -2.0];
                // out = [x0³, x1² x0]; stop = 1 returns after out[0] = 1.728.
                for (stop, both) in [(1.0, false), (10.0, true)] {
                    let mut xb = [0.0; 3];
                    let mut sb = 0.0;
                    let y = heads_vjp(&x, &mut xb, stop, &mut sb, w.clone());
                    assert_eq!(sb, 0.0);
                    assert_eq!(y, heads(&x, stop));
                    let mut exact = [3.0 * x[0] * x[0] * w[0], 0.0, 0.0];
                    if both {
                        exact[0] += x[1] * x[1] * w[1];
                        exact[1] = 2.0 * x[1] * x[0] * w[1];
                    }
                    for i in 0..3 {
                        assert_relative_eq!(xb[i], exact[i], max_relative = $rel);
                    }
                    let u = [0.4, 0.9, -0.3];
                    let (_, ju) = heads_jvp(&x, &u, stop, 1.0);
                    assert_relative_eq!(dot(&w, &ju), dot(&xb, &u), max_relative = $rel);
                }
            }

            /// A scalar output through `Vec` locals of a loop and a branch.
            #[jvp]
            #[grad]
            pub fn vec_locals(x: &[$R], c: bool) -> $R {
                let mut s = 0.0;
                for k in 0..3 {
                    let mut v = vec![0.0; 2];
                    v[0] = x[0] * (k as $R + 1.0);
                    v[1] = v[0] * x[1];
                    if c {
                        let mut t = vec![0.0; 1];
                        t[0] = v[1] * v[1];
                        s += t[0];
                    } else {
                        s += v[0] * v[1];
                    }
                }
                s
            }

            #[test]
            fn scalar_output_through_vec_locals() {
                let x = [0.8, -1.4];
                for c in [true, false] {
                    let (y, g) = vec_locals_grad(&x, c);
                    assert_eq!(y, vec_locals(&x, c));
                    // Σ_k a_k with a = (k+1)² x0² x1² (c) or (k+1)² x0² x1.
                    let sk: $R = 1.0 + 4.0 + 9.0;
                    let exact = if c {
                        [2.0 * sk * x[0] * x[1] * x[1], 2.0 * sk * x[0] * x[0] * x[1]]
                    } else {
                        [2.0 * sk * x[0] * x[1], sk * x[0] * x[0]]
                    };
                    assert_relative_eq!(g[0], exact[0], max_relative = $rel);
                    assert_relative_eq!(g[1], exact[1], max_relative = $rel);
                    // `_vjp` with a cotangent of 2, against `_jvp`.
                    let mut xb = [0.0; 2];
                    let _ = vec_locals_vjp(&x, &mut xb, c, 2.0);
                    let u = [-0.6, 0.25];
                    let (_, ju) = vec_locals_jvp(&x, &u, c);
                    assert_relative_eq!(2.0 * ju, dot(&xb, &u), max_relative = $rel);
                }
            }

            /// A callee's `Vec` in a loop, without a type annotation: the
            /// macro cannot see its type, and it is recorded all the same.
            #[jvp]
            #[grad]
            pub fn unannotated(x: &[$R]) -> $R {
                let mut s = 1.0;
                for k in 0..2 {
                    let h = squares(x);
                    s = s * h[k] + h[0];
                }
                s
            }

            #[test]
            fn unannotated_vec_from_a_call_in_a_loop() {
                let x = [0.9, -0.6];
                let (y, g) = unannotated_grad(&x);
                assert_eq!(y, unannotated(&x));
                // s = (x0² + x0²) x1² + x0² = 2 x0² x1² + x0².
                let exact = [
                    4.0 * x[0] * x[1] * x[1] + 2.0 * x[0],
                    4.0 * x[0] * x[0] * x[1],
                ];
                assert_relative_eq!(g[0], exact[0], max_relative = $rel);
                assert_relative_eq!(g[1], exact[1], max_relative = $rel);
                let mut xb = [0.0; 2];
                let _ = unannotated_vjp(&x, &mut xb, -1.5);
                let u = [0.35, 1.2];
                let (_, ju) = unannotated_jvp(&x, &u);
                assert_relative_eq!(-1.5 * ju, dot(&xb, &u), max_relative = $rel);
            }

            /// An array of `Vec`s, returned early from a branch.
            #[jvp]
            #[vjp]
            pub fn vec_pair(x: $R, c: bool) -> [Vec<$R>; 2] {
                let mut a = vec![0.0; 2];
                a[0] = x * x;
                a[1] = a[0] * x;
                let mut b = vec![0.0; 1];
                b[0] = x.sin();
                if c {
                    return [b, a];
                }
                [a, b]
            }

            #[test]
            fn array_of_vecs_returned_early() {
                let x = 0.7;
                for c in [true, false] {
                    let (wa, wb): (Vec<$R>, Vec<$R>) = (vec![0.5, 2.0], vec![-1.0]);
                    let w = if c {
                        [wb.clone(), wa.clone()]
                    } else {
                        [wa.clone(), wb.clone()]
                    };
                    let mut xb = 0.0;
                    let y = vec_pair_vjp(x, &mut xb, c, w.clone());
                    assert_eq!(y, vec_pair(x, c));
                    // a = [x², x³], b = [sin x], in either order.
                    let exact = wa[0] * 2.0 * x + wa[1] * 3.0 * x * x + wb[0] * x.cos();
                    assert_relative_eq!(xb, exact, max_relative = $rel);
                    let (_, d) = vec_pair_jvp(x, 1.0, c);
                    let lhs = dot(&w[0], &d[0]) + dot(&w[1], &d[1]);
                    assert_relative_eq!(lhs, xb, max_relative = $rel);
                }
            }

            /// A tuple returned early from a branch, its `Vec` still written after.
            #[jvp]
            #[vjp]
            pub fn tuple_from_branch(x: $R, c: bool) -> ($R, Vec<$R>) {
                let mut v = vec![0.0; 2];
                v[0] = x.exp();
                let s = v[0] * x;
                if c {
                    return (s, v);
                }
                v[1] = s;
                (x, v)
            }

            #[test]
            fn tuple_returned_early_from_a_branch() {
                let x = 0.45;
                let (w0, w): ($R, Vec<$R>) = (0.4, vec![0.3, -1.1]);
                for c in [true, false] {
                    let mut xb = 0.0;
                    let y = tuple_from_branch_vjp(x, &mut xb, c, (w0, w.clone()));
                    assert_eq!(y, tuple_from_branch(x, c));
                    // d(x eˣ) = (1 + x) eˣ.
                    let e = x.exp();
                    let exact = if c {
                        w0 * (1.0 + x) * e + w[0] * e
                    } else {
                        w0 + w[0] * e + w[1] * (1.0 + x) * e
                    };
                    assert_relative_eq!(xb, exact, max_relative = $rel);
                    let (_, (d0, dv)) = tuple_from_branch_jvp(x, 1.0, c);
                    assert_relative_eq!(w0 * d0 + dot(&w, &dv), xb, max_relative = $rel);
                }
            }

            /// A `Vec` declared in a loop body and returned from it.
            #[jvp]
            #[vjp]
            pub fn found(x: &[$R], n: usize) -> Vec<$R> {
                for i in 0..n {
                    let mut v = vec![0.0; 2];
                    v[0] = x[0] * (i as $R);
                    v[1] = v[0] * x[1];
                    if v[1] > 1.0 {
                        return v;
                    }
                }
                vec![x[0], x[1]]
            }

            #[test]
            fn vec_of_a_loop_body_returned_early() {
                let x = [1.3, 0.9];
                let w: Vec<$R> = vec![0.3, -1.1];
                // i = 1: v = [1.3, 1.17] returns; n <= 1 falls through.
                for n in 0..4 {
                    let mut xb = [0.0; 2];
                    let y = found_vjp(&x, &mut xb, n, w.clone());
                    assert_eq!(y, found(&x, n));
                    let exact = if n >= 2 {
                        [w[0] + w[1] * x[1], w[1] * x[0]]
                    } else {
                        [w[0], w[1]]
                    };
                    assert_relative_eq!(xb[0], exact[0], max_relative = $rel);
                    assert_relative_eq!(xb[1], exact[1], max_relative = $rel);
                    let u = [0.2, -0.7];
                    let (_, d) = found_jvp(&x, &u, n);
                    assert_relative_eq!(dot(&w, &d), dot(&xb, &u), max_relative = $rel);
                }
            }

            /// A `Vec` replaced as a whole by a loop body's `Vec`.
            #[jvp]
            #[vjp]
            pub fn replaced(x: $R) -> Vec<$R> {
                let mut v = vec![1.0, 0.5];
                for _k in 0..2 {
                    let mut u = vec![0.0; 2];
                    u[0] = v[1] * x;
                    u[1] = x.sin() * v[0];
                    v = u;
                }
                v
            }

            #[test]
            fn vec_replaced_in_a_loop() {
                let x = 0.7;
                let w: Vec<$R> = vec![0.3, -1.1];
                let mut xb = 0.0;
                let y = replaced_vjp(x, &mut xb, w.clone());
                assert_eq!(y, replaced(x));
                // v = [x sin x, 0.5 x sin x] after two steps.
                let (s, c) = (x.sin(), x.cos());
                let exact = w[0] * (s + x * c) + w[1] * 0.5 * (s + x * c);
                assert_relative_eq!(xb, exact, max_relative = $rel);
                let (_, d) = replaced_jvp(x, 1.0);
                assert_relative_eq!(dot(&w, &d), xb, max_relative = $rel);
            }
        }
    };
}

vec_suite!(double, f64, 1e-12);
vec_suite!(single, f32, 1e-5);

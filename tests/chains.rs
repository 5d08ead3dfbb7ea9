//! Iterator chains in every position: adapters before and after `map` and
//! `filter` (`rev`, `skip`, `take`, `step_by`, `enumerate`, `zip`,
//! `copied`), consumers `sum`, `product`, `fold`, `for_each`, `count`,
//! `collect`, `max_by`/`min_by`/`reduce` with `unwrap`, and `windows`,
//! `chunks` and `chunks_exact` in loops and chains. Each function is made
//! by `#[jvp]` and `#[grad]` and, as a copy, by `#[vjp]`. Each test checks
//! the gradient against a central finite difference (and a closed form
//! where one is short), the `#[vjp]` gradient against the `#[grad]` one,
//! and the dot product `⟨J u, 1⟩ = ⟨u, Jᵀ 1⟩` between the modes.

use approx::assert_relative_eq;

/// One function, its three derivatives, and a test at `$at`.
macro_rules! case {
    ($R:ident, $test:ident: $f:ident, $f_jvp:ident, $f_grad:ident, $v:ident, $v_vjp:ident,
     |$x:ident| $body:block, at = $at:expr $(, exact = $exact:expr)?) => {
        #[jvp]
        #[grad]
        pub fn $f($x: &[$R]) -> $R $body

        #[vjp]
        pub fn $v($x: &[$R]) -> $R $body

        #[test]
        fn $test() {
            let x: Vec<$R> = $at.to_vec();
            let (y, g) = $f_grad(&x);
            assert_eq!(y, $f(&x));
            let mut gv = vec![0.0; x.len()];
            let yv = $v_vjp(&x, &mut gv, 1.0);
            assert_eq!(yv, $v(&x));
            let (yj, dy) = $f_jvp(&x, &U[..x.len()]);
            assert_eq!(yj, y);
            check(|x| $f(x), &x, &g, &gv, dy);
            $(
                let exact: Vec<$R> = ($exact)(&x[..]);
                for i in 0..x.len() {
                    assert_relative_eq!(g[i], exact[i], max_relative = REL, epsilon = REL);
                }
            )?
        }
    };
}

macro_rules! suite {
    ($m:ident, $R:ident, $rel:expr, $h:expr, $fd:expr) => {
        #[allow(dead_code, clippy::all)]
        mod $m {
            use super::*;
            use adiff::{grad, jvp, vjp};

            type R = $R;
            const REL: $R = $rel;
            const U: [$R; 7] = [0.3, -0.7, 0.45, 0.9, -0.2, 0.65, -0.5];
            const X: [$R; 6] = [0.5, -1.25, 2.0, 0.75, -0.4, 1.5];

            /// The gradients `g` (`#[grad]`) and `gv` (`#[vjp]`) and the
            /// tangent `dy` along `U` of `f` at `x`: finite differences of
            /// each component, `g == gv`, and `dy == ⟨g, U⟩`.
            fn check(f: impl Fn(&[$R]) -> $R, x: &[$R], g: &[$R], gv: &[$R], dy: $R) {
                let n = x.len();
                for i in 0..n {
                    let mut xp = x.to_vec();
                    let mut xm = x.to_vec();
                    xp[i] += $h;
                    xm[i] -= $h;
                    let fd = (f(&xp) - f(&xm)) / (2.0 * $h);
                    assert_relative_eq!(g[i], fd, max_relative = $fd, epsilon = $fd);
                    assert_relative_eq!(g[i], gv[i], max_relative = $rel, epsilon = $rel);
                }
                let gu: $R = (0..n).map(|i| g[i] * U[i]).sum();
                assert_relative_eq!(dy, gu, max_relative = $rel, epsilon = $rel);
            }

            case!($R, map_then_skip: map_skip, map_skip_jvp, map_skip_grad, map_skip_v, map_skip_v_vjp,
                |x| { x.iter().map(|v| v.exp()).skip(2).sum() }, at = X,
                exact = |x: &[$R]| x.iter().enumerate().map(|(i, v)| if i >= 2 { v.exp() } else { 0.0 }).collect::<Vec<$R>>());
            case!($R, map_then_take: map_take, map_take_jvp, map_take_grad, map_take_v, map_take_v_vjp,
                |x| { x.iter().map(|v| v * 3.0).take(3).product() }, at = X,
                exact = |x: &[$R]| {
                    let p = 27.0 * x[0] * x[1] * x[2];
                    (0..x.len()).map(|i| if i < 3 { p / x[i] } else { 0.0 }).collect::<Vec<$R>>()
                });
            case!($R, map_then_step_by: map_step, map_step_jvp, map_step_grad, map_step_v, map_step_v_vjp,
                |x| { x.iter().map(|v| v.cos()).step_by(2).sum() }, at = X,
                exact = |x: &[$R]| x.iter().enumerate().map(|(i, v)| if i % 2 == 0 { -v.sin() } else { 0.0 }).collect::<Vec<$R>>());
            case!($R, map_then_rev_enumerate: map_rev_enum, map_rev_enum_jvp, map_rev_enum_grad, map_rev_enum_v, map_rev_enum_v_vjp,
                |x| { x.iter().map(|v| v * v).rev().enumerate().map(|(i, s)| (i as $R + 1.0) * s).sum() }, at = X,
                exact = |x: &[$R]| { let n = x.len(); (0..n).map(|j| 2.0 * x[j] * (n - j) as $R).collect::<Vec<$R>>() });
            case!($R, rev_then_skip: rev_skip, rev_skip_jvp, rev_skip_grad, rev_skip_v, rev_skip_v_vjp,
                |x| { x.iter().rev().skip(1).map(|v| v.sin()).sum() }, at = X,
                exact = |x: &[$R]| { let n = x.len(); (0..n).map(|j| if j + 1 < n { x[j].cos() } else { 0.0 }).collect::<Vec<$R>>() });
            case!($R, step_by_then_take: step_take, step_take_jvp, step_take_grad, step_take_v, step_take_v_vjp,
                |x| { x.iter().step_by(2).take(2).map(|v| v * v * v).sum() }, at = X,
                exact = |x: &[$R]| (0..x.len()).map(|j| if j == 0 || j == 2 { 3.0 * x[j] * x[j] } else { 0.0 }).collect::<Vec<$R>>());
            case!($R, rev_then_enumerate: rev_enum, rev_enum_jvp, rev_enum_grad, rev_enum_v, rev_enum_v_vjp,
                |x| { x.iter().rev().enumerate().map(|(i, v)| i as $R * v * v).sum() }, at = X,
                exact = |x: &[$R]| { let n = x.len(); (0..n).map(|j| 2.0 * x[j] * (n - 1 - j) as $R).collect::<Vec<$R>>() });
            case!($R, step_by_then_enumerate_fold: step_enum, step_enum_jvp, step_enum_grad, step_enum_v, step_enum_v_vjp,
                |x| { x.iter().step_by(2).enumerate().fold(0.0, |acc, (i, v)| acc + (i as $R + 1.0) * v * v) }, at = X);
            case!($R, rev_then_zip: rev_zip, rev_zip_jvp, rev_zip_grad, rev_zip_v, rev_zip_v_vjp,
                |x| { x.iter().rev().zip(x.iter().skip(1)).map(|(a, b)| a * b).sum() }, at = X);
            case!($R, filter_then_map: filter_map, filter_map_jvp, filter_map_grad, filter_map_v, filter_map_v_vjp,
                |x| { x.iter().filter(|v| **v > 0.0).map(|v| v * v).sum() }, at = X,
                exact = |x: &[$R]| x.iter().map(|v| if *v > 0.0 { 2.0 * v } else { 0.0 }).collect::<Vec<$R>>());
            case!($R, map_then_filter: map_filter, map_filter_jvp, map_filter_grad, map_filter_v, map_filter_v_vjp,
                |x| { x.iter().map(|v| v * 2.0).filter(|&v| v > 0.5).sum() }, at = X);
            case!($R, filter_then_count: filter_count, filter_count_jvp, filter_count_grad, filter_count_v, filter_count_v_vjp,
                |x| { x.iter().filter(|&&v| v > 0.0).count() as $R * x[0] }, at = X,
                exact = |x: &[$R]| { let mut e = vec![0.0; x.len()]; e[0] = 4.0; e });
            case!($R, filter_then_enumerate: filter_enum, filter_enum_jvp, filter_enum_grad, filter_enum_v, filter_enum_v_vjp,
                |x| { x.iter().copied().filter(|v| *v > 0.0).enumerate().map(|(i, v)| (i as $R + 1.0) * v).sum() }, at = X,
                exact = |_: &[$R]| vec![1.0, 0.0, 2.0, 3.0, 0.0, 4.0]);
            case!($R, filter_then_take: filter_take, filter_take_jvp, filter_take_grad, filter_take_v, filter_take_v_vjp,
                |x| { x.iter().copied().filter(|v| *v > 0.0).take(2).map(|v| v.powi(3)).sum() }, at = X,
                exact = |x: &[$R]| vec![3.0 * x[0] * x[0], 0.0, 3.0 * x[2] * x[2], 0.0, 0.0, 0.0]);
            case!($R, for_each_after_rev_skip: rev_skip_each, rev_skip_each_jvp, rev_skip_each_grad, rev_skip_each_v, rev_skip_each_v_vjp,
                |x| { let mut s = 0.0; x.iter().copied().rev().skip(1).for_each(|v| s += v * v); s }, at = X);
            case!($R, collect_after_skip: collect_skip, collect_skip_jvp, collect_skip_grad, collect_skip_v, collect_skip_v_vjp,
                |x| { let v: Vec<$R> = x.iter().map(|v| v * v).skip(1).collect(); v[0] * v[4] + v.len() as $R }, at = X);
            case!($R, collect_after_rev_step_by: collect_rev_step, collect_rev_step_jvp, collect_rev_step_grad, collect_rev_step_v, collect_rev_step_v_vjp,
                |x| { let v: Vec<$R> = x.iter().rev().step_by(2).map(|v| v.sin()).collect(); v[0] * v[1] + v[2] }, at = X);
            case!($R, for_over_map_enumerate_skip: for_chain, for_chain_jvp, for_chain_grad, for_chain_v, for_chain_v_vjp,
                |x| { let mut s = 0.0; for (i, v) in x.iter().map(|v| v * v).enumerate().skip(1) { s += i as $R * v; } s }, at = X);
            case!($R, for_over_filter: for_filter, for_filter_jvp, for_filter_grad, for_filter_v, for_filter_v_vjp,
                |x| { let mut s = 1.0; for v in x.iter().filter(|v| v.abs() < 1.0) { s *= v + 2.0; } s }, at = X);
            case!($R, max_by_total_cmp: max_total, max_total_jvp, max_total_grad, max_total_v, max_total_v_vjp,
                |x| { x.iter().copied().max_by(|a, b| a.total_cmp(b)).unwrap() * x[0] }, at = X,
                exact = |x: &[$R]| vec![x[2], 0.0, x[0], 0.0, 0.0, 0.0]);
            case!($R, min_by_partial_cmp: min_partial, min_partial_jvp, min_partial_grad, min_partial_v, min_partial_v_vjp,
                |x| { x.iter().map(|v| (v - 1.0) * (v - 1.0)).min_by(|a, b| a.partial_cmp(b).unwrap()).unwrap() }, at = X,
                exact = |x: &[$R]| vec![0.0, 0.0, 0.0, 2.0 * (x[3] - 1.0), 0.0, 0.0]);
            case!($R, max_by_reversed_is_min: max_rev, max_rev_jvp, max_rev_grad, max_rev_v, max_rev_v_vjp,
                |x| { x.iter().copied().max_by(|a, b| b.total_cmp(a)).unwrap() }, at = X,
                exact = |_: &[$R]| vec![0.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
            case!($R, max_by_path_after_filter: max_filter, max_filter_jvp, max_filter_grad, max_filter_v, max_filter_v_vjp,
                |x| { x.iter().copied().filter(|v| *v < 1.0).max_by($R::total_cmp).unwrap() }, at = X,
                exact = |_: &[$R]| vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
            case!($R, reduce_to_max: reduce_max, reduce_max_jvp, reduce_max_grad, reduce_max_v, reduce_max_v_vjp,
                |x| { x.iter().copied().reduce($R::max).unwrap() }, at = X,
                exact = |_: &[$R]| vec![0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
            case!($R, reduce_closure: reduce_cl, reduce_cl_jvp, reduce_cl_grad, reduce_cl_v, reduce_cl_v_vjp,
                |x| { x.iter().map(|v| v.sin()).reduce(|a, b| a * b + b).unwrap() }, at = X);
            case!($R, windows_in_for: win_for, win_for_jvp, win_for_grad, win_for_v, win_for_v_vjp,
                |x| { let mut s = 0.0; for w in x.windows(2) { s += (w[1] - w[0]).powi(2); } s }, at = X);
            case!($R, windows_in_chain: win_chain, win_chain_jvp, win_chain_grad, win_chain_v, win_chain_v_vjp,
                |x| { x.windows(3).map(|w| w[0] * w[1] - w[2]).sum() }, at = X);
            case!($R, chunks_in_chain: chunks_chain, chunks_chain_jvp, chunks_chain_grad, chunks_chain_v, chunks_chain_v_vjp,
                |x| { x.chunks(4).map(|c| c[0] * c[c.len() - 1]).sum() }, at = X,
                exact = |x: &[$R]| vec![x[3], 0.0, 0.0, x[0], x[5], x[4]]);
            case!($R, chunks_exact_in_chain: chunks_exact, chunks_exact_jvp, chunks_exact_grad, chunks_exact_v, chunks_exact_v_vjp,
                |x| { x.chunks_exact(4).map(|c| c[1] * c[2]).sum::<$R>() + x[5] }, at = X,
                exact = |x: &[$R]| vec![0.0, x[2], x[1], 0.0, 0.0, 1.0]);
            case!($R, chunks_enumerate_in_for: chunks_for, chunks_for_jvp, chunks_for_grad, chunks_for_v, chunks_for_v_vjp,
                |x| { let mut s = 0.0; for (k, c) in x.chunks(4).enumerate() { s += (k as $R + 1.0) * c.iter().map(|v| v * v).sum::<$R>(); } s }, at = X,
                exact = |x: &[$R]| x.iter().enumerate().map(|(i, v)| 2.0 * v * if i < 4 { 1.0 } else { 2.0 }).collect::<Vec<$R>>());
            case!($R, windows_filter: win_filter, win_filter_jvp, win_filter_grad, win_filter_v, win_filter_v_vjp,
                |x| { x.windows(2).filter(|w| w[1] > w[0]).map(|w| w[1] * w[0]).sum() }, at = X,
                exact = |x: &[$R]| vec![0.0, x[2], x[1], 0.0, x[5], x[4]]);
            case!($R, closure_calls_with_take: calls_take, calls_take_jvp, calls_take_grad, calls_take_v, calls_take_v_vjp,
                |x| { let mut calls = 0.0; let s: $R = x.iter().map(|v| { calls += 1.0; v * v }).take(2).sum(); s * calls }, at = X,
                exact = |x: &[$R]| (0..x.len()).map(|j| if j < 2 { 4.0 * x[j] } else { 0.0 }).collect::<Vec<$R>>());
            case!($R, closure_calls_with_skip: calls_skip, calls_skip_jvp, calls_skip_grad, calls_skip_v, calls_skip_v_vjp,
                |x| { let mut calls = 0.0; let s: $R = x.iter().map(|v| { calls += 1.0; v * v }).skip(2).sum(); s * calls }, at = X,
                exact = |x: &[$R]| (0..x.len()).map(|j| if j >= 2 { 12.0 * x[j] } else { 0.0 }).collect::<Vec<$R>>());
            case!($R, sum_after_rev_skip_without_map: plain_rev_skip, plain_rev_skip_jvp, plain_rev_skip_grad, plain_rev_skip_v, plain_rev_skip_v_vjp,
                |x| { x.iter().rev().skip(2).cloned().sum::<$R>() * x[0] }, at = X);
            case!($R, step_by_take_sum_without_map: plain_step_take, plain_step_take_jvp, plain_step_take_grad, plain_step_take_v, plain_step_take_v_vjp,
                |x| { x.iter().step_by(2).take(2).sum::<$R>() * x[1] }, at = X,
                exact = |x: &[$R]| vec![x[1], x[0] + x[2], x[1], 0.0, 0.0, 0.0]);

            #[jvp]
            #[grad]
            pub fn max_only(x: &[$R]) -> $R {
                x.iter().copied().max_by(|a, b| a.total_cmp(b)).unwrap()
            }

            /// `unwrap` of an empty iterator panics in the derivatives too.
            #[test]
            #[should_panic]
            fn max_by_of_nothing_panics_in_grad() {
                let _ = max_only_grad(&[]);
            }

            #[test]
            #[should_panic]
            fn max_by_of_nothing_panics_in_jvp() {
                let _ = max_only_jvp(&[], &[]);
            }

            #[jvp]
            #[grad]
            pub fn window_sum(x: &[$R], k: usize) -> $R {
                let mut s = 0.0;
                for w in x.windows(k) {
                    s += w.len() as $R * w.iter().sum::<$R>();
                }
                s * x[0]
            }

            /// `windows(0)` panics in the derivatives too.
            #[test]
            #[should_panic]
            fn windows_of_zero_panics_in_grad() {
                let _ = window_sum_grad(&X, 0);
            }

            #[test]
            fn windows_of_more_than_the_length_are_none() {
                let (y, g) = window_sum_grad(&X, 7);
                assert_eq!(y, 0.0);
                assert!(g.iter().all(|gi| *gi == 0.0));
                // Two windows of 5: s = 5 (x0 + 2 (x1 + .. + x4) + x5), times x0.
                let (y, g) = window_sum_grad(&X, 5);
                let inner: $R = X[1..5].iter().sum();
                let s = 5.0 * (X[0] + 2.0 * inner + X[5]);
                assert_relative_eq!(y, s * X[0], max_relative = REL);
                assert_relative_eq!(g[0], s + 5.0 * X[0], max_relative = REL);
                assert_relative_eq!(g[2], 10.0 * X[0], max_relative = REL);
                assert_relative_eq!(g[5], 5.0 * X[0], max_relative = REL);
            }
            case!($R, enumerate_filter_on_the_index: enum_filter, enum_filter_jvp, enum_filter_grad, enum_filter_v, enum_filter_v_vjp,
                |x| { x.iter().enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, v)| v * v).sum() }, at = X,
                exact = |x: &[$R]| x.iter().enumerate().map(|(i, v)| if i % 2 == 1 { 2.0 * v } else { 0.0 }).collect::<Vec<$R>>());
            case!($R, zip_filter_cloned: zip_filter, zip_filter_jvp, zip_filter_grad, zip_filter_v, zip_filter_v_vjp,
                |x| { x.iter().cloned().zip(x.iter().skip(1)).filter(|(p, q)| p < *q).map(|(p, q)| p * q).sum() }, at = X);
            case!($R, windows_zip: win_zip, win_zip_jvp, win_zip_grad, win_zip_v, win_zip_v_vjp,
                |x| { x.windows(2).zip(x.iter()).map(|(w, v)| (w[1] - w[0]) * v).sum() }, at = X);
        }
    };
}

suite!(f64_chains, f64, 1e-9, 1e-6, 1e-6);
suite!(f32_chains, f32, 1e-4, 1e-2, 2e-2);

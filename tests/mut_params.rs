//! `&mut` differentiable parameters (`&mut f64`, `&mut [f64]`, `&mut [f64; N]`,
//! `&mut Vec<f64>`, `&mut [[f64; 2]]`, `&mut [[f64; 2]; 2]`): the tangent
//! parameter is `&mut` too and is updated in place alongside the value.
//! Also by-value `mut` parameters and a constant `&mut usize`.

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

        // `&mut f64` with a unit return.
        #[jvp]
        #[vjp]
        fn axpy_scalar(y: &mut $F, a: $F, x: $F) {
            *y += a * x;
            *y = *y * *y;
        }

        #[test]
        fn axpy_scalar_matches() {
            let (y0, a, x) = (0.4, 1.5, -0.8);
            for &(dy, da, dx) in &[
                (1.0, 0.0, 0.0),
                (0.0, 1.0, 0.0),
                (0.0, 0.0, 1.0),
                (0.3, -0.2, 0.7),
            ] {
                let mut y = y0;
                let mut ydot = dy;
                let () = axpy_scalar_jvp(&mut y, &mut ydot, a, da, x, dx);
                let mut y_ref = y0;
                axpy_scalar(&mut y_ref, a, x);
                assert_eq!(y, y_ref);
                let w = y0 + a * x;
                let exact = 2.0 * w * (dy + da * x + a * dx);
                check(
                    ydot,
                    exact,
                    fd(|s| {
                        let mut yy = y0 + s * dy;
                        axpy_scalar(&mut yy, a + s * da, x + s * dx);
                        yy
                    }),
                );
            }
        }

        #[test]
        fn axpy_scalar_reverse() {
            for (k, &(y, a, x)) in [(0.4, 1.5, -0.8), (-1.2, 0.3, 0.9)].iter().enumerate() {
                rev_dot!(unit axpy_scalar, axpy_scalar_jvp, axpy_scalar_vjp, k as u64; mt y, val a, val x);
                // Cotangent 1 on the final y = (y0 + a x)².
                let (mut yv, mut yb, mut ab, mut xb) = (y, 1.0, 0.0, 0.0);
                axpy_scalar_vjp(&mut yv, &mut yb, a, &mut ab, x, &mut xb);
                let r = y + a * x;
                check_exact(yb, 2.0 * r);
                check_exact(ab, 2.0 * r * x);
                check_exact(xb, 2.0 * r * a);
            }
        }

        // `&mut [f64]` scaled in place, returning the new sum of squares.
        #[jvp]
        #[vjp]
        fn scale_slice(v: &mut [$F], s: $F) -> $F {
            let mut e = 0.0;
            for vi in v.iter_mut() {
                *vi *= s;
                e += *vi * *vi;
            }
            e
        }

        #[test]
        fn scale_slice_matches() {
            let v0 = rand_vec(1, 6, -1.0, 1.0);
            let s = 1.7;
            for (k, u) in dirs(6, 1).into_iter().enumerate() {
                let ds = if k % 2 == 0 { 0.0 } else { 0.9 };
                let mut v = v0.clone();
                let mut vd = u.clone();
                let (e, te) = scale_slice_jvp(&mut v, &mut vd, s, ds);
                let mut v_ref = v0.clone();
                assert_eq!(e, scale_slice(&mut v_ref, s));
                assert_eq!(v, v_ref);
                let dv: Vec<$F> = (0..6).map(|i| u[i] * s + v0[i] * ds).collect();
                let fdv = fd_vec(|h| {
                    let mut w = axpy(&v0, h, &u);
                    scale_slice(&mut w, s + h * ds);
                    w
                });
                check_vec(&vd, &dv, &fdv);
                let exact: $F = (0..6).map(|i| 2.0 * v0[i] * s * dv[i]).sum();
                check(
                    te,
                    exact,
                    fd(|h| scale_slice(&mut axpy(&v0, h, &u), s + h * ds)),
                );
            }
        }

        #[test]
        fn scale_slice_reverse() {
            for (k, n) in [0usize, 1, 6].into_iter().enumerate() {
                let v = rand_vec(1 + k as u64, n, -1.0, 1.0);
                let s = 1.7;
                rev_dot!(scale_slice, scale_slice_jvp, scale_slice_vjp, k as u64; mt v, val s);
                // Gradient of the returned energy only.
                let (mut vv, mut vb, mut sb) = (v.clone(), vec![0.0; n], 0.0);
                scale_slice_vjp(&mut vv, &mut vb, s, &mut sb, 1.0);
                check_exact_vec(&vb, &v.iter().map(|a| 2.0 * s * s * a).collect::<Vec<_>>());
                check_exact(sb, v.iter().map(|a| 2.0 * s * a * a).sum());
            }
        }

        // `&mut [f64; 3]` normalised in place; returns the old norm.
        #[jvp]
        #[vjp]
        fn normalize(v: &mut [$F; 3]) -> $F {
            let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
            for i in 0..3 {
                v[i] /= n;
            }
            n
        }

        #[test]
        fn normalize_matches() {
            let v0 = [0.6, -1.2, 0.9];
            for u in dirs(3, 2) {
                let u: [$F; 3] = arr(&u);
                let mut v = v0;
                let mut vd = u;
                let (n, dn) = normalize_jvp(&mut v, &mut vd);
                let mut v_ref = v0;
                assert_eq!(n, normalize(&mut v_ref));
                assert_eq!(v, v_ref);
                let n0 = (v0[0] * v0[0] + v0[1] * v0[1] + v0[2] * v0[2]).sqrt();
                let dn0 = (v0[0] * u[0] + v0[1] * u[1] + v0[2] * u[2]) / n0;
                let dv: Vec<$F> = (0..3)
                    .map(|i| u[i] / n0 - v0[i] * dn0 / (n0 * n0))
                    .collect();
                let fdv = fd_vec(|h| {
                    let mut w = axpy_arr(&v0, h, &u);
                    normalize(&mut w);
                    w.to_vec()
                });
                check_vec(&vd, &dv, &fdv);
                check(dn, dn0, fd(|h| normalize(&mut axpy_arr(&v0, h, &u))));
            }
        }

        #[test]
        fn normalize_reverse() {
            for (k, &v) in [[0.6, -1.2, 0.9], [2.0, 0.1, -0.4]].iter().enumerate() {
                rev_dot!(normalize, normalize_jvp, normalize_vjp, k as u64; mt v);
                // Gradient of the returned norm only.
                let (mut vv, mut vb) = (v, [0.0; 3]);
                normalize_vjp(&mut vv, &mut vb, 1.0);
                let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                check_exact_vec(&vb, &v.map(|a| a / n));
            }
        }

        // `&mut Vec<f64>`: three-point smoothing using a temporary copy, plus a
        // `&mut usize` counter (constant).
        #[jvp]
        #[vjp]
        fn smooth(v: &mut Vec<$F>, w: $F, passes: &mut usize) {
            let n = v.len();
            let mut tmp = vec![0.0; n];
            for i in 0..n {
                tmp[i] = v[i];
            }
            for i in 1..n - 1 {
                v[i] = (1.0 - 2.0 * w) * tmp[i] + w * (tmp[i - 1] + tmp[i + 1]);
            }
            *passes += 1;
        }

        #[test]
        fn smooth_matches() {
            let v0 = rand_vec(3, 6, -1.0, 1.0);
            let w = 0.3;
            for (k, u) in dirs(6, 3).into_iter().enumerate() {
                let dw = if k % 3 == 1 { 1.0 } else { 0.0 };
                let mut v = v0.clone();
                let mut vd = u.clone();
                let mut passes = 0usize;
                smooth_jvp(&mut v, &mut vd, w, dw, &mut passes);
                assert_eq!(passes, 1);
                let mut v_ref = v0.clone();
                let mut p_ref = 0;
                smooth(&mut v_ref, w, &mut p_ref);
                assert_eq!(v, v_ref);
                let mut dv = u.clone();
                for i in 1..5 {
                    dv[i] = (1.0 - 2.0 * w) * u[i] - 2.0 * dw * v0[i]
                        + dw * (v0[i - 1] + v0[i + 1])
                        + w * (u[i - 1] + u[i + 1]);
                }
                let fdv = fd_vec(|h| {
                    let mut y = axpy(&v0, h, &u);
                    smooth(&mut y, w + h * dw, &mut 0);
                    y
                });
                check_vec(&vd, &dv, &fdv);
            }
        }

        #[test]
        fn smooth_reverse() {
            for (k, n) in [2usize, 3, 6].into_iter().enumerate() {
                let v = rand_vec(3 + k as u64, n, -1.0, 1.0);
                let w = 0.3;
                rev_dot!(unit smooth, smooth_jvp, smooth_vjp, k as u64; mt v, val w, c &mut 0usize);
                let mut passes = 0usize;
                let (mut vv, mut vb, mut wb) = (v.clone(), vec![1.0; n], 0.0);
                smooth_vjp(&mut vv, &mut vb, w, &mut wb, &mut passes);
                assert_eq!(
                    passes, 1,
                    "the &mut usize counter must be updated exactly once by f_vjp"
                );
            }
        }

        // `&mut [[f64; 2]]`: rotate points in place by an active angle.
        #[jvp]
        #[vjp]
        fn rotate_points(p: &mut [[$F; 2]], th: $F) {
            let (s, c) = (th.sin(), th.cos());
            for q in p.iter_mut() {
                let x = q[0];
                q[0] = c * x - s * q[1];
                q[1] = s * x + c * q[1];
            }
        }

        #[test]
        fn rotate_points_matches() {
            let p0: Vec<[$F; 2]> = vec![[1.0, 0.5], [-0.3, 0.8], [0.2, -1.1]];
            let th = 0.7;
            for (k, u) in dirs(6, 4).into_iter().enumerate() {
                let dth = if k % 2 == 0 { 0.0 } else { 0.8 };
                let up: Vec<[$F; 2]> = (0..3).map(|i| [u[2 * i], u[2 * i + 1]]).collect();
                let mut p = p0.clone();
                let mut pd = up.clone();
                rotate_points_jvp(&mut p, &mut pd, th, dth);
                let mut p_ref = p0.clone();
                rotate_points(&mut p_ref, th);
                assert_eq!(p, p_ref);
                let (s, c) = (th.sin(), th.cos());
                let mut exact = Vec::new();
                for i in 0..3 {
                    let (x, y) = (p0[i][0], p0[i][1]);
                    let (dx, dy) = (up[i][0], up[i][1]);
                    exact.push(c * dx - s * dy + (-s * x - c * y) * dth);
                    exact.push(s * dx + c * dy + (c * x - s * y) * dth);
                }
                let fdp = fd_vec(|h| {
                    let mut q: Vec<[$F; 2]> = (0..3)
                        .map(|i| [p0[i][0] + h * up[i][0], p0[i][1] + h * up[i][1]])
                        .collect();
                    rotate_points(&mut q, th + h * dth);
                    q.iter().flat_map(|r| r.iter().copied()).collect()
                });
                let got: Vec<$F> = pd.iter().flat_map(|r| r.iter().copied()).collect();
                check_vec(&got, &exact, &fdp);
            }
        }

        #[test]
        fn rotate_points_reverse() {
            for (k, n) in [0usize, 1, 3].into_iter().enumerate() {
                let p: Vec<[$F; 2]> = (0..n)
                    .map(|i| [0.3 * i as $F - 0.5, 1.0 - 0.7 * i as $F])
                    .collect();
                let th = 0.7 + k as $F;
                rev_dot!(unit rotate_points, rotate_points_jvp, rotate_points_vjp, k as u64; mt p, val th);
            }
        }

        // `&mut [[f64; 2]; 2]`: in-place matrix square, returning the trace of
        // the original.
        #[jvp]
        #[vjp]
        fn square_in_place(m: &mut [[$F; 2]; 2]) -> $F {
            let a = *m;
            for i in 0..2 {
                for j in 0..2 {
                    m[i][j] = a[i][0] * a[0][j] + a[i][1] * a[1][j];
                }
            }
            a[0][0] + a[1][1]
        }

        #[test]
        fn square_in_place_matches() {
            let m0: [[$F; 2]; 2] = [[0.5, -1.0], [0.3, 1.2]];
            for u in dirs(4, 5) {
                let dm: [[$F; 2]; 2] = mat(&u);
                let mut m = m0;
                let mut md = dm;
                let (tr, dtr) = square_in_place_jvp(&mut m, &mut md);
                let mut m_ref = m0;
                assert_eq!(tr, square_in_place(&mut m_ref));
                assert_eq!(m, m_ref);
                let mut exact = [[0.0; 2]; 2];
                for i in 0..2 {
                    for j in 0..2 {
                        exact[i][j] = dm[i][0] * m0[0][j]
                            + m0[i][0] * dm[0][j]
                            + dm[i][1] * m0[1][j]
                            + m0[i][1] * dm[1][j];
                    }
                }
                let fdm = fd_vec(|h| {
                    let mut q = axpy_mat(&m0, h, &dm);
                    square_in_place(&mut q);
                    flat(&q)
                });
                check_vec(&flat(&md), &flat(&exact), &fdm);
                check(
                    dtr,
                    dm[0][0] + dm[1][1],
                    fd(|h| square_in_place(&mut axpy_mat(&m0, h, &dm))),
                );
            }
        }

        #[test]
        fn square_in_place_reverse() {
            for (k, &m) in [[[0.5, -1.0], [0.3, 1.2]], [[-0.7, 0.2], [1.4, 0.6]]]
                .iter()
                .enumerate()
            {
                rev_dot!(square_in_place, square_in_place_jvp, square_in_place_vjp, k as u64; mt m);
                // Gradient of the returned trace only.
                let (mut mv, mut mb) = (m, [[0.0; 2]; 2]);
                square_in_place_vjp(&mut mv, &mut mb, 1.0);
                check_exact_vec(&flat(&mb), &[1.0, 0.0, 0.0, 1.0]);
            }
        }

        // By-value `mut` parameters of array type, modified and returned.
        #[jvp]
        #[vjp]
        fn mut_array_param(mut a: [$F; 3], mut k: $F) -> $F {
            for i in 0..3 {
                a[i] *= k;
                k += a[i];
            }
            k
        }

        #[test]
        fn mut_array_param_matches() {
            let a0 = [0.5, -0.2, 0.9];
            let k0 = 1.1;
            for (j, u) in dirs(3, 6).into_iter().enumerate() {
                let u: [$F; 3] = arr(&u);
                let dk = if j % 2 == 0 { 1.0 } else { 0.0 };
                let (v, t) = mut_array_param_jvp(a0, u, k0, dk);
                assert_eq!(v, mut_array_param(a0, k0));
                // k_{i+1} = k_i + a_i k_i = k_i (1 + a_i)
                let mut k = k0;
                let mut dkk = dk;
                for i in 0..3 {
                    dkk = dkk * (1.0 + a0[i]) + k * u[i];
                    k *= 1.0 + a0[i];
                }
                check(
                    t,
                    dkk,
                    fd(|h| mut_array_param(axpy_arr(&a0, h, &u), k0 + h * dk)),
                );
            }
        }

        #[test]
        fn mut_array_param_reverse() {
            for (j, &(a, k)) in [([0.5, -0.2, 0.9], 1.1), ([-1.3, 0.4, 0.25], -0.6)]
                .iter()
                .enumerate()
            {
                rev_dot!(mut_array_param, mut_array_param_jvp, mut_array_param_vjp, j as u64; val a, val k);
            }
        }

        // Two `&mut` parameters updated from each other (in-place Givens-like
        // update), with an active scalar and a returned value.
        #[jvp]
        #[vjp]
        fn coupled(x: &mut [$F], y: &mut [$F; 2], g: $F) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                let t = x[i];
                x[i] = t * g + y[i % 2];
                y[i % 2] = y[i % 2] * g - t;
                s += x[i] * y[i % 2];
            }
            s
        }

        #[test]
        fn coupled_matches() {
            let x0 = rand_vec(7, 4, -1.0, 1.0);
            let y0 = [0.4, -0.6];
            let g = 0.9;
            for u in dirs(7, 7) {
                let ux = u[0..4].to_vec();
                let uy = [u[4], u[5]];
                let dg = u[6];
                let (mut x, mut xd, mut y, mut yd) = (x0.clone(), ux.clone(), y0, uy);
                let (s, ts) = coupled_jvp(&mut x, &mut xd, &mut y, &mut yd, g, dg);
                let (mut xr, mut yr) = (x0.clone(), y0);
                assert_eq!(s, coupled(&mut xr, &mut yr, g));
                assert_eq!(x, xr);
                assert_eq!(y, yr);
                // Hand propagation of the tangent through the loop.
                let (mut xx, mut dx, mut yy, mut dy) = (x0.clone(), ux.clone(), y0, uy);
                let mut ds = 0.0;
                for i in 0..4 {
                    let (t, dt) = (xx[i], dx[i]);
                    let j = i % 2;
                    dx[i] = dt * g + t * dg + dy[j];
                    xx[i] = t * g + yy[j];
                    dy[j] = dy[j] * g + yy[j] * dg - dt;
                    yy[j] = yy[j] * g - t;
                    ds += dx[i] * yy[j] + xx[i] * dy[j];
                }
                let run = |h: $F| {
                    let mut a = axpy(&x0, h, &ux);
                    let mut b = axpy_arr(&y0, h, &uy);
                    let s = coupled(&mut a, &mut b, g + h * dg);
                    (s, a, b)
                };
                check(ts, ds, fd(|h| run(h).0));
                check_vec(&xd, &dx, &fd_vec(|h| run(h).1));
                check_vec(&yd, &dy, &fd_vec(|h| run(h).2.to_vec()));
            }
        }

        #[test]
        fn coupled_reverse() {
            for (k, n) in [0usize, 1, 2, 5].into_iter().enumerate() {
                let x = rand_vec(7 + k as u64, n, -1.0, 1.0);
                let y: [$F; 2] = arr(&rand_vec(8 + k as u64, 2, -1.0, 1.0));
                let g = 0.9;
                rev_dot!(coupled, coupled_jvp, coupled_vjp, k as u64; mt x, mt y, val g);
            }
        }

        // Early return from inside an `iter_mut()` loop over a `&mut` slice: the
        // tangent must be updated for exactly the elements the primal updated.
        #[jvp]
        #[vjp]
        fn scale_until_large(a: &mut [$F], x: $F) -> $F {
            for ai in a.iter_mut() {
                if *ai > 1.0 {
                    return *ai * x;
                }
                *ai *= x;
            }
            0.0
        }

        #[test]
        fn scale_until_large_matches() {
            for a0 in [vec![0.5, -0.3, 2.0, 0.7], vec![0.2, 0.4, 0.6]] {
                let n = a0.len();
                let stop = a0.iter().position(|&v| v > 1.0);
                let x = 1.5;
                for (k, u) in dirs(n, 51).into_iter().enumerate() {
                    let dx = if k % 2 == 0 { 0.0 } else { 0.7 };
                    let mut a = a0.clone();
                    let mut ad = u.clone();
                    let (r, dr) = scale_until_large_jvp(&mut a, &mut ad, x, dx);
                    let mut ar = a0.clone();
                    assert_eq!(r, scale_until_large(&mut ar, x));
                    assert_eq!(a, ar);
                    let upto = stop.unwrap_or(n);
                    let mut ead = u.clone();
                    for i in 0..upto {
                        ead[i] = u[i] * x + a0[i] * dx;
                    }
                    let fda = fd_vec(|h| {
                        let mut w = axpy(&a0, h, &u);
                        scale_until_large(&mut w, x + h * dx);
                        w
                    });
                    check_vec(&ad, &ead, &fda);
                    let er = match stop {
                        Some(j) => u[j] * x + a0[j] * dx,
                        None => 0.0,
                    };
                    check(
                        dr,
                        er,
                        fd(|h| scale_until_large(&mut axpy(&a0, h, &u), x + h * dx)),
                    );
                }
            }
        }

        #[test]
        fn scale_until_large_reverse() {
            for (k, n) in [0usize, 3, 6, 9].into_iter().enumerate() {
                let a = rand_vec(9 + k as u64, n, -0.8, 1.6);
                let x = 1.4;
                rev_dot!(scale_until_large, scale_until_large_jvp, scale_until_large_vjp, k as u64; mt a, val x);
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

//! `#[jacobian]`: `f_jacobian` in automatic mode and in both forced modes
//! agree with each other, with central differences and with closed forms,
//! over loops, branches, calls, `Vec` and tuple results and `&mut` in-out
//! buffers, for `f64` and `f32`.

// The forced-mode copies are called only through their `_jacobian`, and
// a callee's own `_jacobian` is not called at all.
#![allow(dead_code)]

mod common;

use common::jacobian_checks;

use approx::assert_relative_eq;

macro_rules! suite {
    ($F:ident, $h:ident, $rel:expr, $fd_step:expr, $fd_tol:expr) => {
        use super::*;
        use adiff::jacobian;

        jacobian_checks!($F, $rel, $fd_step, $fd_tol);

        /// Tall: n = 3, m = 12 (a loop and a branch).
        #[jacobian]
        pub fn tall(x: [$F; 3]) -> [$F; 12] {
            let mut out = [0.0; 12];
            for i in 0..12 {
                let t = i as $F * 0.25;
                out[i] = if t < 1.5 {
                    x[0] * t.sin() + x[1] * x[2]
                } else {
                    (x[1] * t).cos()
                };
            }
            out
        }

        #[jacobian(mode = forward)]
        pub fn tall_f(x: [$F; 3]) -> [$F; 12] {
            tall(x)
        }

        #[jacobian(mode = reverse)]
        pub fn tall_r(x: [$F; 3]) -> [$F; 12] {
            tall(x)
        }

        #[test]
        fn fixed_shapes_tall() {
            let x: [$F; 3] = [0.7, -0.4, 1.3];
            let (y, j) = tall_jacobian(x);
            assert_eq!(y, tall(x));
            assert_eq!((j.rows(), j.cols()), (12, 3));
            let (yf, jf) = tall_f_jacobian(x);
            let (yr, jr) = tall_r_jacobian(x);
            assert_eq!((yf, yr), (y, y));
            assert_same(&j, &jf);
            assert_same(&j, &jr);
            assert_fd(&j, &fd(&x, |v| tall([v[0], v[1], v[2]]).to_vec()));
            // Closed form: row 1 (t = 0.25 < 1.5).
            assert_relative_eq!(j[(1, 0)], (0.25 as $F).sin(), max_relative = $rel);
            assert_relative_eq!(j[(1, 2)], x[1], max_relative = $rel);
        }

        /// Wide: n = 20 (three forward sweeps of 8), m = 2, over slices.
        #[jacobian]
        pub fn wide(x: &[$F], scale: $F) -> ($F, $F) {
            let mut s = 0.0;
            let mut p = 1.0;
            for i in 0..x.len() {
                s += scale * x[i] * x[i];
                p *= 1.0 + 0.1 * x[i];
            }
            (s, p)
        }

        #[jacobian(mode = forward)]
        pub fn wide_f(x: &[$F], scale: $F) -> ($F, $F) {
            wide(x, scale)
        }

        #[jacobian(mode = reverse)]
        pub fn wide_r(x: &[$F], scale: $F) -> ($F, $F) {
            wide(x, scale)
        }

        #[test]
        fn slices_and_tuples_wide() {
            let x: Vec<$F> = (0..19).map(|i| 0.1 * i as $F - 0.9).collect();
            // `scale` is differentiable too: 20 columns.
            let (y, j) = wide_jacobian(&x, 0.5);
            assert_eq!(y, wide(&x, 0.5));
            assert_eq!((j.rows(), j.cols()), (2, 20));
            assert_same(&j, &wide_f_jacobian(&x, 0.5).1);
            assert_same(&j, &wide_r_jacobian(&x, 0.5).1);
            let flat = |v: &[$F]| {
                let (s, p) = wide(&v[..19], v[19]);
                vec![s, p]
            };
            let mut xs = x.clone();
            xs.push(0.5);
            assert_fd(&j, &fd(&xs, flat));
            for i in 0..19 {
                assert_relative_eq!(
                    j[(0, i)],
                    2.0 * 0.5 * x[i],
                    max_relative = $rel,
                    epsilon = $rel
                );
            }
            assert_relative_eq!(
                j[(0, 19)],
                x.iter().map(|v| v * v).sum::<$F>(),
                max_relative = $rel
            );
        }

        #[jacobian]
        pub fn helper(a: $F, b: $F) -> $F {
            a * b.exp()
        }

        /// Residual style: a call, a `Vec` result and a `&mut` in-out buffer.
        #[jacobian]
        pub fn resid(p: &[$F; 2], r: &mut [$F], k: usize) -> Vec<$F> {
            let mut v = vec![0.0; k];
            for i in 0..r.len() {
                let t = i as $F;
                r[i] = r[i] * p[0] + helper(p[1], t * 0.1);
            }
            for i in 0..k {
                v[i] = p[0] * p[1] + r[i % r.len()];
            }
            v
        }

        #[jacobian(mode = forward)]
        pub fn resid_f(p: &[$F; 2], r: &mut [$F], k: usize) -> Vec<$F> {
            let mut v = vec![0.0; k];
            for i in 0..r.len() {
                let t = i as $F;
                r[i] = r[i] * p[0] + helper(p[1], t * 0.1);
            }
            for i in 0..k {
                v[i] = p[0] * p[1] + r[i % r.len()];
            }
            v
        }

        #[jacobian(mode = reverse)]
        // The body again: reverse mode of a tail call returning a `Vec`
        // moves it before reading it (a reverse-mode bug outside this test).
        pub fn resid_r(p: &[$F; 2], r: &mut [$F], k: usize) -> Vec<$F> {
            let mut v = vec![0.0; k];
            for i in 0..r.len() {
                let t = i as $F;
                r[i] = r[i] * p[0] + helper(p[1], t * 0.1);
            }
            for i in 0..k {
                v[i] = p[0] * p[1] + r[i % r.len()];
            }
            v
        }

        #[test]
        fn calls_vecs_and_in_out_buffers() {
            let p: [$F; 2] = [0.8, -0.3];
            let r0: [$F; 3] = [0.5, 1.5, -0.25];
            let mut r = r0;
            let (v, j) = resid_jacobian(&p, &mut r, 4);
            let mut rp = r0;
            assert_eq!(v, resid(&p, &mut rp, 4));
            // The buffer ends with its final contents.
            assert_eq!(r, rp);
            // Rows: 4 of the result, then 3 final contents; columns: p, then
            // the initial contents of r.
            assert_eq!((j.rows(), j.cols()), (7, 5));
            for f in [resid_f_jacobian, resid_r_jacobian] {
                let mut r = r0;
                let (vf, jf) = f(&p, &mut r, 4);
                assert_eq!((vf, r), (v.clone(), rp));
                assert_same(&j, &jf);
            }
            let flat = |x: &[$F]| {
                let mut r = [x[2], x[3], x[4]];
                let mut out = resid(&[x[0], x[1]], &mut r, 4);
                out.extend_from_slice(&r);
                out
            };
            let x0 = [p[0], p[1], r0[0], r0[1], r0[2]];
            assert_fd(&j, &fd(&x0, flat));
            // Closed form: final r[1] = r0[1] * p0 + helper(..) w.r.t. r0[1].
            assert_relative_eq!(j[(5, 3)], p[0], max_relative = $rel);
            assert_relative_eq!(j[(5, 2)], 0.0);
        }

        /// No result: the `&mut` buffer is the only output.
        #[jacobian]
        pub fn in_place(x: &mut [$F; 3], c: $F) {
            let s = x[0] + x[1] + x[2];
            for i in 0..3 {
                x[i] = x[i] * s * c;
            }
        }

        #[jacobian(mode = reverse)]
        pub fn in_place_r(x: &mut [$F; 3], c: $F) {
            in_place(x, c);
        }

        #[test]
        fn unit_result_with_in_out_buffer() {
            let x0: [$F; 3] = [0.5, -1.0, 2.0];
            let mut x = x0;
            let ((), j) = in_place_jacobian(&mut x, 0.7);
            let mut xr = x0;
            let ((), jr) = in_place_r_jacobian(&mut xr, 0.7);
            let mut xp = x0;
            in_place(&mut xp, 0.7);
            assert_eq!((x, xr), (xp, xp));
            assert_eq!((j.rows(), j.cols()), (3, 4));
            assert_same(&j, &jr);
            let flat = |v: &[$F]| {
                let mut x = [v[0], v[1], v[2]];
                in_place(&mut x, v[3]);
                x.to_vec()
            };
            assert_fd(&j, &fd(&[x0[0], x0[1], x0[2], 0.7], flat));
            // d(x0 * s * c)/d x0 = (s + x0) c.
            let s: $F = x0.iter().sum();
            assert_relative_eq!(j[(0, 0)], (s + x0[0]) * 0.7, max_relative = $rel);
        }

        /// Data that are floats, left out of the columns with `wrt`.
        #[jacobian(wrt(p))]
        pub fn fit(p: [$F; 2], ts: &[$F], r: &mut [$F]) {
            for i in 0..ts.len() {
                r[i] += p[0] * (p[1] * ts[i]).sin();
            }
        }

        #[jacobian]
        pub fn fit_all(p: [$F; 2], ts: &[$F], r: &mut [$F]) {
            for i in 0..ts.len() {
                r[i] += p[0] * (p[1] * ts[i]).sin();
            }
        }

        #[test]
        fn wrt_selects_the_columns() {
            let (p, ts): ([$F; 2], [$F; 3]) = ([1.5, 0.8], [0.1, 0.6, 1.2]);
            let (mut r, mut r_all) = ([0.25; 3], [0.25; 3]);
            let ((), j) = fit_jacobian(p, &ts, &mut r);
            let ((), ja) = fit_all_jacobian(p, &ts, &mut r_all);
            assert_eq!(r, r_all);
            assert_eq!((j.rows(), j.cols()), (3, 2));
            assert_eq!((ja.rows(), ja.cols()), (3, 2 + 3 + 3));
            for i in 0..3 {
                assert_eq!(j.row(i), &ja.row(i)[..2]);
                assert_relative_eq!(j[(i, 0)], (p[1] * ts[i]).sin(), max_relative = $rel);
            }
        }

        /// A `Vec` result of a wide function: its length is known only
        /// after the first forward sweep, and then reverse mode wins.
        #[jacobian]
        pub fn summary(x: &[$F]) -> Vec<$F> {
            let mut out = vec![0.0; 2];
            for i in 0..x.len() {
                out[0] += x[i].sin();
                out[1] += x[i] * out[0];
            }
            out
        }

        #[jacobian(mode = reverse)]
        pub fn summary_r(x: &[$F]) -> Vec<$F> {
            let mut out = vec![0.0; 2];
            for i in 0..x.len() {
                out[0] += x[i].sin();
                out[1] += x[i] * out[0];
            }
            out
        }

        #[test]
        fn vec_result_chosen_after_the_first_sweep() {
            let x: Vec<$F> = (0..40).map(|i| 0.05 * i as $F - 1.0).collect();
            assert!(!adiff::__rt::jac::prefer_forward(40 - 8, 2));
            let (v, j) = summary_jacobian(&x);
            assert_eq!(v, summary(&x));
            assert_eq!((j.rows(), j.cols()), (2, 40));
            assert_same(&j, &summary_r_jacobian(&x).1);
            assert_fd(&j, &fd(&x, summary));
            assert_relative_eq!(j[(0, 3)], x[3].cos(), max_relative = $rel);
        }

        /// A scalar function: the Jacobian is the gradient as one row.
        #[jacobian]
        pub fn scalar(x: $F, y: [$F; 2]) -> $F {
            x * y[0] + y[1].sin()
        }

        #[test]
        fn scalar_result_is_one_row() {
            let (v, j) = scalar_jacobian(2.0, [0.5, 0.25]);
            assert_eq!(v, scalar(2.0, [0.5, 0.25]));
            assert_eq!(j.row(0).len(), 3);
            assert_relative_eq!(j[(0, 0)], 0.5, max_relative = $rel);
            assert_relative_eq!(j[(0, 1)], 2.0, max_relative = $rel);
            assert_relative_eq!(j[(0, 2)], (0.25 as $F).cos(), max_relative = $rel);
        }
    };
}

mod double {
    suite!(f64, f64h, 1e-12, 1e-6, 1e-7);
}

mod single {
    suite!(f32, f32h, 1e-5, 1e-2, 2e-3);
}

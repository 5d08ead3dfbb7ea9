//! In-place buffer methods on differentiable values (issue 12, item 2):
//! `swap`, `reverse`, `fill`, `copy_from_slice` and `clone_from_slice` on
//! local `Vec`s, `&mut [S]` parameters and sub-slices; `std::mem::swap` and
//! `std::mem::replace` on scalars, elements and whole `Vec`s; and
//! `sin_cos`. Each function is checked in `#[jvp]`, `#[vjp]` and `#[grad]`,
//! for `f64` and `f32`: against its closed form, central finite
//! differences, and the dot-product test between `_jvp` and `_vjp`.

#![allow(clippy::needless_range_loop, clippy::ptr_arg, clippy::manual_memcpy)]

mod common;

macro_rules! suite {
    ($F:ident, $h:ident) => {
        use crate::common::$h::*;
        use adiff::{grad, jvp, vjp};

        /// `f_jvp` against the closed-form gradient `g` and finite
        /// differences; `f_vjp` by the dot-product test; `f_grad` against `g`.
        macro_rules! check_all {
            ($f:ident, $fj:ident, $fv:ident, $fg:ident, $x:expr, $g:expr) => {
                crate::common::check_slice!($F, 5, $f, $fj, $fv, $fg, $x, $g)
            };
        }

        /// `swap` then `reverse` of a local `Vec`: `v = [x3, x0, x1, x2]`,
        /// `s = Σ (i + 1) v_i x_i`.
        #[jvp]
        #[grad]
        fn swap_reverse(x: &[$F]) -> $F {
            let mut v = x.to_vec();
            v.swap(0, 2);
            v.reverse();
            let mut s = 0.0;
            for i in 0..v.len() {
                s += (i as $F + 1.0) * v[i] * x[i];
            }
            s
        }

        #[test]
        fn swap_and_reverse() {
            check_all!(swap_reverse, swap_reverse_jvp, swap_reverse_vjp, swap_reverse_grad, vec![0.5, -1.5, 2.0, 0.75], |x: &[$F]| {
                vec![
                    x[3] + 2.0 * x[1],
                    2.0 * x[0] + 3.0 * x[2],
                    3.0 * x[1] + 4.0 * x[3],
                    x[0] + 4.0 * x[2],
                ]
            });
        }

        /// `fill`, `copy_from_slice` and `clone_from_slice` on a local and
        /// on sub-slices: `w = [x0, x0 x1, x0 x1, x2]`, `s = Σ (i + 1) w_i²`.
        #[jvp]
        #[grad]
        fn fills(x: &[$F]) -> $F {
            let mut w = vec![0.0; x.len()];
            w.copy_from_slice(x);
            w[1..3].fill(x[0] * x[1]);
            let mut t = vec![0.0; 2];
            t.clone_from_slice(&w[2..]);
            w[2..].copy_from_slice(&t);
            let mut s = 0.0;
            for i in 0..w.len() {
                s += (i as $F + 1.0) * w[i] * w[i];
            }
            s
        }

        #[test]
        fn fill_copy_clone_from_slice() {
            check_all!(fills, fills_jvp, fills_vjp, fills_grad, vec![0.5, -1.5, 2.0, 0.75], |x: &[$F]| {
                let p = x[0] * x[1];
                vec![2.0 * x[0] + 10.0 * p * x[1], 10.0 * p * x[0], 0.0, 8.0 * x[3]]
            });
        }

        /// On a `&mut [S]` parameter and its sub-slices, reading its old
        /// contents: `out = [o0 x1, o0 x1, x1, x0 x1]`.
        #[jvp]
        #[vjp]
        fn scramble(x: &[$F], out: &mut [$F]) {
            let keep = out[0];
            out.clone_from_slice(x);
            out.swap(0, 3);
            out[1..3].reverse();
            out[..2].fill(keep * x[1]);
            out[3] *= out[2];
        }

        #[test]
        fn on_a_mut_parameter() {
            let x: Vec<$F> = vec![0.5, -1.5, 2.0, 0.75];
            let o: Vec<$F> = vec![1.25, 0.5, -0.25, 2.0];
            for seed in 0..3 {
                rev_dot!(unit scramble, scramble_jvp, scramble_vjp, seed; rf x, mt o);
            }
            for (u, uo) in dirs(4, 7).into_iter().zip(dirs(4, 11)) {
                let mut out = o.clone();
                let mut out_dot = uo.clone();
                scramble_jvp(&x, &u, &mut out, &mut out_dot);
                let exact = vec![
                    uo[0] * x[1] + o[0] * u[1],
                    uo[0] * x[1] + o[0] * u[1],
                    u[1],
                    u[0] * x[1] + x[0] * u[1],
                ];
                let fdv = fd_vec(|s| {
                    let mut out = axpy(&o, s, &uo);
                    scramble(&axpy(&x, s, &u), &mut out);
                    out
                });
                check_vec(&out_dot, &exact, &fdv);
            }
        }

        /// `reverse` of a `&mut` parameter of odd length, and of an empty
        /// and a one-element sub-slice.
        #[jvp]
        #[vjp]
        fn flip(x: &mut [$F]) {
            x.reverse();
            x[..0].reverse();
            x[1..2].reverse();
            x[0] *= x[1];
        }

        #[test]
        fn reverse_odd_and_empty() {
            let x: Vec<$F> = vec![0.5, -1.5, 2.0];
            for seed in 0..3 {
                rev_dot!(unit flip, flip_jvp, flip_vjp, seed; mt x);
            }
            // Final contents [x2 x1, x1, x0].
            let u: Vec<$F> = vec![0.25, -0.5, 1.0];
            let (mut p, mut t) = (x.clone(), u.clone());
            flip_jvp(&mut p, &mut t);
            let exact = vec![u[2] * x[1] + x[2] * u[1], u[1], u[0]];
            let fdv = fd_vec(|s| {
                let mut p = axpy(&x, s, &u);
                flip(&mut p);
                p
            });
            check_vec(&t, &exact, &fdv);
        }

        /// `std::mem::swap` and `std::mem::replace` on scalars and an
        /// element: `s = x0 x2 + x0² x1² + x0 x1 x3`.
        #[jvp]
        #[grad]
        fn mem_ops(x: &[$F]) -> $F {
            let mut a = x[0] * x[1];
            let mut b = x[2];
            std::mem::swap(&mut a, &mut b);
            let old = std::mem::replace(&mut a, b * b);
            let mut v = x.to_vec();
            std::mem::swap(&mut v[0], &mut a);
            old * a + v[0] + b * v[3]
        }

        #[test]
        fn mem_swap_and_replace() {
            check_all!(mem_ops, mem_ops_jvp, mem_ops_vjp, mem_ops_grad, vec![0.5, -1.5, 2.0, 0.75], |x: &[$F]| {
                vec![
                    x[2] + 2.0 * x[0] * x[1] * x[1] + x[1] * x[3],
                    2.0 * x[0] * x[0] * x[1] + x[0] * x[3],
                    x[0],
                    x[0] * x[1],
                ]
            });
        }

        /// Double buffering with `std::mem::swap` of two `Vec`s:
        /// `next_i = cur_i cur_(i+1 mod n)`, `steps` times, then the sum.
        #[jvp]
        #[grad]
        fn double_buffer(x: &[$F], steps: usize) -> $F {
            let n = x.len();
            let mut cur = x.to_vec();
            let mut next = vec![0.0; n];
            for _ in 0..steps {
                for i in 0..n {
                    next[i] = cur[i] * cur[(i + 1) % n];
                }
                std::mem::swap(&mut cur, &mut next);
            }
            let mut s = 0.0;
            for i in 0..n {
                s += cur[i];
            }
            s
        }

        #[test]
        fn mem_swap_of_vecs() {
            let x: Vec<$F> = vec![0.5, -1.5, 1.25];
            // One step: s = x0 x1 + x1 x2 + x2 x0.
            let (_, g) = double_buffer_grad(&x, 1);
            check_exact_vec(&g, &[x[1] + x[2], x[0] + x[2], x[1] + x[0]]);
            for steps in [1, 3] {
                for u in dirs(3, 9) {
                    let (_, t) = double_buffer_jvp(&x, &u, steps);
                    let (_, g) = double_buffer_grad(&x, steps);
                    let f = fd(|s| double_buffer(&axpy(&x, s, &u), steps));
                    check(t, dot(&g, &u), f);
                }
                for seed in 0..3 {
                    rev_dot!(double_buffer, double_buffer_jvp, double_buffer_vjp, seed; rf x, c steps);
                }
            }
        }

        /// `sin_cos` as a method and through the type:
        /// `s = sin(x0 + x1) + x2 cos x0`.
        #[jvp]
        #[grad]
        fn sincos(x: &[$F]) -> $F {
            let (s, c) = x[0].sin_cos();
            let (s2, c2) = $F::sin_cos(x[1]);
            s * c2 + c * s2 + x[2] * c
        }

        #[test]
        fn sin_cos() {
            check_all!(sincos, sincos_jvp, sincos_vjp, sincos_grad, vec![0.5, -1.5, 2.0], |x: &[$F]| {
                let c = (x[0] + x[1]).cos();
                vec![c - x[2] * x[0].sin(), c, x[0].cos()]
            });
        }
    };
}

mod double {
    suite!(f64, f64h);
}

mod single {
    suite!(f32, f32h);
}

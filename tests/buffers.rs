//! Buffer methods on differentiable values (issue 12, item 2): `push`,
//! `pop`, `insert`, `remove`, `resize`, `truncate`, `clear` and
//! `extend_from_slice` on local `Vec`s; `to_vec` and `clone`; and
//! `first`/`last`, `split_at`/`split_at_mut`. In-place methods (`swap`,
//! `reverse`, `fill`, `copy_from_slice`, `clone_from_slice`,
//! `std::mem::swap`/`replace`, `sin_cos`) are in `buffers_in_place.rs`.
//! Every function is checked in `#[jvp]`, `#[vjp]` and `#[grad]`, for `f64`
//! and `f32`: against its closed-form gradient, central finite
//! differences, and the dot-product test between `_jvp` and `_vjp`.

#![allow(
    clippy::needless_range_loop,
    clippy::ptr_arg,
    clippy::vec_init_then_push,
    clippy::useless_vec,
    clippy::clone_on_copy,
    clippy::assign_op_pattern
)]

mod common;

macro_rules! suite {
    ($F:ident, $h:ident) => {
        use crate::common::$h::*;
        use adiff::{grad, jvp, vjp};

        /// `f_jvp` against the closed-form gradient `g` and finite
        /// differences in several directions; `f_vjp` by the dot-product
        /// test; `f_grad` against `g`.
        macro_rules! check_all {
            ($f:ident, $fj:ident, $fv:ident, $fg:ident, $x:expr, $g:expr) => {
                crate::common::check_slice!($F, 3, $f, $fj, $fv, $fg, $x, $g)
            };
        }

        /// The issue's example: push `x[i]²`, sum the `Vec`.
        #[jvp]
        #[grad]
        fn push_squares(x: &[$F]) -> $F {
            let mut v = Vec::new();
            for i in 0..x.len() {
                v.push(x[i] * x[i]);
            }
            let mut s = 0.0;
            for i in 0..v.len() {
                s += v[i];
            }
            s
        }

        #[test]
        fn issue_example_push_then_sum() {
            let (v, g) = push_squares_grad(&[1.0, 2.0]);
            assert_eq!(v, 5.0);
            check_exact_vec(&g, &[2.0, 4.0]);
            check_all!(
                push_squares,
                push_squares_jvp,
                push_squares_vjp,
                push_squares_grad,
                vec![0.5, -1.5, 2.0],
                |x: &[$F]| x.iter().map(|a| 2.0 * a).collect::<Vec<$F>>()
            );
        }

        /// `pop().unwrap()`, `pop();` and a push of the popped value:
        /// `v = [x0, x1, 3 x3]`, `s = Σ (i + 1) v_i²`.
        #[jvp]
        #[grad]
        fn pops(x: &[$F]) -> $F {
            let mut v = x.to_vec();
            let a = v.pop().unwrap();
            v.pop();
            v.push(a * 3.0);
            let mut s = 0.0;
            for i in 0..v.len() {
                s += (i as $F + 1.0) * v[i] * v[i];
            }
            s
        }

        #[test]
        fn pop_unwrap_and_pop_statement() {
            check_all!(
                pops,
                pops_jvp,
                pops_vjp,
                pops_grad,
                vec![0.5, -1.5, 2.0, 0.75],
                |x: &[$F]| { vec![2.0 * x[0], 4.0 * x[1], 0.0, 54.0 * x[3]] }
            );
        }

        /// `insert` and `remove`: `v = [sin x2, x0, x0 x2, x1, x3]`,
        /// `s = Σ (i + 1) v_i`.
        #[jvp]
        #[grad]
        fn insert_remove(x: &[$F]) -> $F {
            let mut v = x.to_vec();
            v.insert(1, x[0] * x[2]);
            let r = v.remove(3);
            v.insert(0, r.sin());
            let mut s = 0.0;
            for i in 0..v.len() {
                s += (i as $F + 1.0) * v[i];
            }
            s
        }

        #[test]
        fn insert_and_remove() {
            check_all!(
                insert_remove,
                insert_remove_jvp,
                insert_remove_vjp,
                insert_remove_grad,
                vec![0.5, -1.5, 2.0, 0.75],
                |x: &[$F]| vec![2.0 + 3.0 * x[2], 4.0, x[2].cos() + 3.0 * x[0], 5.0]
            );
        }

        /// `resize` (growing and shrinking), `truncate`, `clear`.
        #[jvp]
        #[grad]
        fn resizes(x: &[$F]) -> $F {
            let mut v = x.to_vec();
            v.resize(6, x[0]);
            v.truncate(5);
            let mut s = 0.0;
            for i in 0..v.len() {
                s += (i as $F + 1.0) * v[i] * v[i];
            }
            v.resize(2, 1.0);
            s += v[0] * v[1];
            v.clear();
            v.push(x[2] * x[3]);
            s + v[0]
        }

        #[test]
        fn resize_truncate_clear() {
            check_all!(
                resizes,
                resizes_jvp,
                resizes_vjp,
                resizes_grad,
                vec![0.5, -1.5, 2.0, 0.75],
                |x: &[$F]| {
                    vec![
                        12.0 * x[0] + x[1],
                        4.0 * x[1] + x[0],
                        6.0 * x[2] + x[3],
                        8.0 * x[3] + x[2],
                    ]
                }
            );
        }

        /// `extend_from_slice` from a sub-slice and from a slice:
        /// `v = [x0, x1, .., x0, x1, ..]`.
        #[jvp]
        #[grad]
        fn extends(x: &[$F]) -> $F {
            let mut v = vec![x[0]];
            v.extend_from_slice(&x[1..]);
            v.extend_from_slice(x);
            let mut s = 0.0;
            for i in 0..v.len() {
                s += (i as $F + 1.0) * v[i] * v[i];
            }
            s
        }

        #[test]
        fn extend_from_slice() {
            check_all!(
                extends,
                extends_jvp,
                extends_vjp,
                extends_grad,
                vec![0.5, -1.5, 2.0, 0.75],
                |x: &[$F]| {
                    let n = x.len();
                    (0..n)
                        .map(|k| 2.0 * (2 * k + 2 + n) as $F * x[k])
                        .collect::<Vec<$F>>()
                }
            );
        }

        /// A stack machine: push `x_i`, then replace the top two by
        /// `a b + 1`: `r_0 = x_0`, `r_k = x_k r_(k-1) + 1`.
        #[jvp]
        #[grad]
        fn stack(x: &[$F]) -> $F {
            let mut v = Vec::with_capacity(2);
            for i in 0..x.len() {
                v.push(x[i]);
                if v.len() >= 2 {
                    let a = v.pop().unwrap();
                    let b = v.pop().expect("two values");
                    v.push(a * b + 1.0);
                }
            }
            v[0]
        }

        fn stack_grad_exact(x: &[$F]) -> Vec<$F> {
            // dr/dx_0 = Π_(j>0) x_j; dr/dx_k = r_(k-1) Π_(j>k) x_j.
            let n = x.len();
            let mut r = vec![x[0]; n];
            for k in 1..n {
                r[k] = x[k] * r[k - 1] + 1.0;
            }
            (0..n)
                .map(|k| {
                    let tail: $F = x[k + 1..].iter().product();
                    if k == 0 {
                        tail
                    } else {
                        r[k - 1] * tail
                    }
                })
                .collect()
        }

        #[test]
        fn pushes_and_pops_in_a_loop() {
            check_all!(
                stack,
                stack_jvp,
                stack_vjp,
                stack_grad,
                vec![0.5, -1.5, 1.25, 0.75],
                stack_grad_exact
            );
        }

        /// Pops in a `while` loop: `r_(n-1) = x_(n-1)`, `r_k = x_k + r_(k+1)²`.
        #[jvp]
        #[grad]
        fn fold_back(x: &[$F]) -> $F {
            let mut v = x.to_vec();
            while v.len() > 1 {
                let a = v.pop().unwrap();
                let n = v.len();
                v[n - 1] += a * a;
            }
            v[0]
        }

        fn fold_back_exact(x: &[$F]) -> Vec<$F> {
            // dr_0/dx_k = Π_(j=1..k) 2 r_j.
            let n = x.len();
            let mut r = x.to_vec();
            for k in (0..n - 1).rev() {
                r[k] = x[k] + r[k + 1] * r[k + 1];
            }
            let mut g = vec![1.0; n];
            for k in 1..n {
                g[k] = g[k - 1] * 2.0 * r[k];
            }
            g
        }

        #[test]
        fn pops_in_a_while_loop() {
            check_all!(
                fold_back,
                fold_back_jvp,
                fold_back_vjp,
                fold_back_grad,
                vec![0.5, -0.75, 0.25, 0.6],
                fold_back_exact
            );
        }

        /// `to_vec` and `clone`: `s = x0 x1 + x0 x1² + x2`.
        #[jvp]
        #[grad]
        fn copies(x: &[$F]) -> $F {
            let mut w = x.to_vec();
            w[0] = w[0] * w[1];
            let c = w.clone();
            w[1] = 0.0;
            // Copies of a float and of an array stay a float and an array.
            let pair: [$F; 2] = [x[2], w[1]];
            let p2 = pair.clone();
            c[0] + c[1] * w[0] + p2[0].clone() + p2[1]
        }

        #[test]
        fn to_vec_and_clone() {
            check_all!(
                copies,
                copies_jvp,
                copies_vjp,
                copies_grad,
                vec![0.5, -1.5, 2.0],
                |x: &[$F]| { vec![x[1] + x[1] * x[1], x[0] + 2.0 * x[0] * x[1], 1.0] }
            );
        }

        /// `first`/`last` (with `*`, `.copied()`, `.cloned()`, `_mut`):
        /// `s = x0 x_(n-1) + sin x0 + 2 x0 x1`.
        #[jvp]
        #[grad]
        fn ends(x: &[$F]) -> $F {
            let mut v = x.to_vec();
            *v.last_mut().unwrap() = 2.0 * x[0];
            *x.first().unwrap() * x.last().copied().unwrap()
                + x.first().cloned().unwrap().sin()
                + v.last().copied().expect("non-empty") * x[1]
        }

        #[test]
        fn first_and_last() {
            check_all!(
                ends,
                ends_jvp,
                ends_vjp,
                ends_grad,
                vec![0.5, -1.5, 2.0, 0.75],
                |x: &[$F]| { vec![x[3] + x[0].cos() + 2.0 * x[1], 2.0 * x[0], 0.0, x[0]] }
            );
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

        #[jvp]
        #[vjp]
        fn scale(v: &mut [$F], k: $F) {
            for i in 0..v.len() {
                v[i] = v[i] * k;
            }
        }

        /// `split_at`: `s = x0 x3 + x2² + x3² + 2 x1 + x0 x2 + x1 x3`.
        #[jvp]
        #[grad]
        fn halves(x: &[$F]) -> $F {
            let (a, b) = x.split_at(2);
            let mut s = a[0] * b[1];
            for v in b {
                s += v * v;
            }
            s + a.len() as $F * a[1] + dot_of(a, b)
        }

        #[test]
        fn split_at() {
            check_all!(
                halves,
                halves_jvp,
                halves_vjp,
                halves_grad,
                vec![0.5, -1.5, 2.0, 0.75],
                |x: &[$F]| {
                    vec![
                        x[3] + x[2],
                        2.0 + x[3],
                        2.0 * x[2] + x[0],
                        2.0 * x[3] + x[0] + x[1],
                    ]
                }
            );
        }

        /// `split_at_mut` on a local copy, written through both halves and
        /// by a callee: `w = [x2 x3, x1, x0 x2, x0 sin x1]`,
        /// `s = Σ (i + 1) w_i`.
        #[jvp]
        #[grad]
        fn halves_mut(x: &[$F]) -> $F {
            let mut w = x.to_vec();
            let (a, b) = w.split_at_mut(2);
            a[0] = b[0] * b[1];
            b[1] = a[1].sin();
            scale(b, x[0]);
            let mut s = 0.0;
            for i in 0..w.len() {
                s += (i as $F + 1.0) * w[i];
            }
            s
        }

        #[test]
        fn split_at_mut() {
            check_all!(
                halves_mut,
                halves_mut_jvp,
                halves_mut_vjp,
                halves_mut_grad,
                vec![0.5, -1.5, 2.0, 0.75],
                |x: &[$F]| {
                    vec![
                        3.0 * x[2] + 4.0 * x[1].sin(),
                        2.0 + 4.0 * x[0] * x[1].cos(),
                        x[3] + 3.0 * x[0],
                        x[2],
                    ]
                }
            );
        }
    };
}

mod double {
    suite!(f64, f64h);
}

mod single {
    suite!(f32, f32h);
}

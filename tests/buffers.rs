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
    clippy::useless_vec
)]

mod common;

macro_rules! suite {
    ($F:ident, $h:ident) => {
        use crate::common::$h::*;
        use adiff::{grad, jvp};

        /// `f_jvp` against the closed-form gradient `g` and finite
        /// differences in several directions; `f_vjp` by the dot-product
        /// test; `f_grad` against `g`.
        macro_rules! check_all {
            ($f:ident, $fj:ident, $fv:ident, $fg:ident, $x:expr, $g:expr) => {{
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
                let (v, g) = $fg(&x);
                assert_eq!(v, $f(&x));
                check_exact_vec(&g, &exact);
            }};
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
    };
}

mod double {
    suite!(f64, f64h);
}

mod single {
    suite!(f32, f32h);
}

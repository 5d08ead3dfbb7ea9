//! `#[jacobian]` on a chain of stages (`let a = p(x); let b = q(&a);
//! r(b)`): the automatic mode follows the matrix-chain plan of
//! `adiff::chain` over the stage sizes. Its Jacobian agrees with both forced
//! modes (sweeps of the whole function), with central differences and with
//! the product of the stages' own Jacobians, for `f64` and `f32`, whichever
//! plan the sizes give: pure forward, pure reverse, or a hybrid. The forced
//! copies call the chain as one stage, which is not a chain, so they sweep
//! the whole function.

// The stages' own `_jacobian`s are called only in some tests.
#![allow(dead_code)]

mod common;

use common::jacobian_checks;

macro_rules! suite {
    ($F:ident, $rel:expr, $fd_step:expr, $fd_tol:expr) => {
        use super::*;
        use adiff::{chain, jacobian, Matrix};

        jacobian_checks!($F, $rel, $fd_step, $fd_tol);

        fn product(a: &Matrix<$F>, b: &Matrix<$F>) -> Matrix<$F> {
            let mut out = Matrix::zeros(a.rows(), b.cols());
            for i in 0..a.rows() {
                for j in 0..b.cols() {
                    out[(i, j)] = (0..a.cols()).map(|k| a[(i, k)] * b[(k, j)]).sum();
                }
            }
            out
        }

        /// A dense layer: `wide` outputs, each a `tanh` of all the inputs.
        #[jacobian]
        pub fn widen(x: &[$F], wide: usize) -> Vec<$F> {
            let mut out = vec![0.0; wide];
            for i in 0..wide {
                let mut s = 0.0;
                for j in 0..x.len() {
                    let w = ((i * 7 + j * 3) % 11) as $F * 0.1 - 0.5;
                    s += w * x[j];
                }
                out[i] = s.tanh();
            }
            out
        }

        /// Two outputs from many inputs, with a branch.
        #[jacobian]
        pub fn narrow(a: &[$F]) -> [$F; 2] {
            let mut s = [0.0; 2];
            for i in 0..a.len() {
                let t = a[i] * (1.0 + 0.01 * i as $F);
                if i % 2 == 0 {
                    s[0] += t * t;
                } else {
                    s[1] += t.sin();
                }
            }
            s
        }

        /// Many outputs from two inputs, taken by value.
        #[jacobian]
        pub fn spread(b: [$F; 2]) -> Vec<$F> {
            let mut out = Vec::new();
            for i in 0..40 {
                let t = i as $F * 0.05;
                out.push((0.1 * b[0] * t).exp() * (b[1] + t).cos());
            }
            out
        }

        #[jacobian]
        pub fn layer40(x: &[$F]) -> Vec<$F> {
            widen(x, 40)
        }

        #[jacobian]
        pub fn layer3(x: &[$F]) -> Vec<$F> {
            widen(x, 3)
        }

        /// 40 → 40 → 2 → 40: narrowest in the middle.
        #[jacobian]
        pub fn hourglass(x: &[$F]) -> Vec<$F> {
            let a = layer40(x);
            let b = narrow(&a);
            spread(b)
        }

        #[jacobian(mode = forward)]
        pub fn hourglass_f(x: &[$F]) -> Vec<$F> {
            hourglass(x)
        }

        #[jacobian(mode = reverse)]
        pub fn hourglass_r(x: &[$F]) -> Vec<$F> {
            hourglass(x)
        }

        fn input(n: usize) -> Vec<$F> {
            (0..n).map(|i| 0.3 * ((i * 5 % 7) as $F) - 0.8).collect()
        }

        #[test]
        fn a_narrow_middle_takes_the_hybrid_order() {
            assert_eq!(
                chain::plan(&[40, 40, 2, 40]).plan.to_string(),
                "forward[2..3] · reverse[0..2]"
            );
            let x = input(40);
            let (y, j) = hourglass_jacobian(&x);
            assert_eq!(y, hourglass(&x));
            assert_eq!((j.rows(), j.cols()), (40, 40));
            let (yf, jf) = hourglass_f_jacobian(&x);
            let (yr, jr) = hourglass_r_jacobian(&x);
            assert_eq!((&yf, &yr), (&y, &y));
            assert_same(&j, &jf);
            assert_same(&j, &jr);
            assert_fd(&j, &fd(&x, hourglass));
            // The chain rule, from the stages' own Jacobians.
            let (a, ja) = layer40_jacobian(&x);
            let (b, jb) = narrow_jacobian(&a);
            let (_, jc) = spread_jacobian(b);
            assert_same(&j, &product(&jc, &product(&jb, &ja)));
        }

        /// 3 → 3 → 2 → 40, shadowed names and a typed `let`: forward.
        #[jacobian]
        pub fn fan_out(x: &[$F]) -> Vec<$F> {
            let x = layer3(x);
            let x: [$F; 2] = narrow(&x);
            let y = spread(x);
            y
        }

        #[jacobian(mode = reverse)]
        pub fn fan_out_r(x: &[$F]) -> Vec<$F> {
            fan_out(x)
        }

        #[test]
        fn a_narrow_input_takes_forward_sweeps() {
            assert_eq!(
                chain::plan(&[3, 3, 2, 40]).plan,
                chain::Plan::Forward { from: 0, to: 3 }
            );
            let x = input(3);
            let (y, j) = fan_out_jacobian(&x);
            assert_eq!(y, fan_out(&x));
            assert_same(&j, &fan_out_r_jacobian(&x).1);
            assert_fd(&j, &fd(&x, fan_out));
        }

        /// 60 → 40 → 2: a narrow output, reverse sweeps.
        #[jacobian]
        pub fn funnel(x: &[$F]) -> [$F; 2] {
            let a = layer40(x);
            narrow(&a)
        }

        #[jacobian(mode = forward)]
        pub fn funnel_f(x: &[$F]) -> [$F; 2] {
            funnel(x)
        }

        #[test]
        fn a_narrow_output_takes_reverse_sweeps() {
            assert_eq!(
                chain::plan(&[60, 40, 2]).plan,
                chain::Plan::Reverse { from: 0, to: 2 }
            );
            let x = input(60);
            let (y, j) = funnel_jacobian(&x);
            assert_eq!(y, funnel(&x));
            assert_eq!((j.rows(), j.cols()), (2, 60));
            assert_same(&j, &funnel_f_jacobian(&x).1);
            assert_fd(&j, &fd(&x, |v| funnel(v).to_vec()));
        }

        /// 40 → 40 → 2 → 40 → 40 → 2 → 40: six stages; after the first narrow
        /// point one forward sweep carries both directions to the end.
        #[jacobian]
        pub fn twice(x: &[$F]) -> Vec<$F> {
            let a = layer40(x);
            let b = narrow(&a);
            let c = spread(b);
            let d = layer40(&c);
            let e = narrow(&d);
            spread(e)
        }

        #[jacobian(mode = forward)]
        pub fn twice_f(x: &[$F]) -> Vec<$F> {
            twice(x)
        }

        #[test]
        fn six_stages() {
            assert_eq!(
                chain::plan(&[40, 40, 2, 40, 40, 2, 40]).plan.to_string(),
                "forward[2..6] · reverse[0..2]"
            );
            let x = input(40);
            let (y, j) = twice_jacobian(&x);
            assert_eq!(y, twice(&x));
            assert_same(&j, &twice_f_jacobian(&x).1);
            assert_fd(&j, &fd(&x, twice));
        }

        /// An array input by value, two stages.
        #[jacobian]
        pub fn pair(x: [$F; 2]) -> [$F; 2] {
            let y = spread(x);
            narrow(&y)
        }

        #[test]
        fn an_array_input_by_value() {
            let x: [$F; 2] = [0.3, -0.2];
            let (y, j) = pair_jacobian(x);
            assert_eq!(y, pair(x));
            let (_, ja) = spread_jacobian(x);
            let (_, jb) = narrow_jacobian(&spread(x));
            assert_same(&j, &product(&jb, &ja));
            assert_fd(&j, &fd(&x, |v| pair([v[0], v[1]]).to_vec()));
        }
    };
}

mod double {
    suite!(f64, 1e-12, 1e-6, 1e-6);
}

mod single {
    suite!(f32, 1e-4, 1e-2, 5e-3);
}

//! Vector forward mode (`#[jvp(vector)]` → `f_jvpw::<W>`): every lane of
//! one sweep equals the scalar `f_jvp` along that lane's direction, over
//! loops, branches, calls, slices, `&mut` outputs and float casts, for
//! `f64` and `f32`, and one closed form per function.

mod common;

use approx::assert_relative_eq;

macro_rules! suite {
    ($F:ident, $h:ident, $rel:expr) => {
        use super::*;
        use adiff::{jvp, Lanes};
        use common::Lcg;

        const W: usize = 4;

        fn directions(seed: u64, n: usize) -> Vec<[$F; W]> {
            let mut g = Lcg::new(seed);
            (0..n)
                .map(|_| std::array::from_fn(|_| g.uniform(-1.0, 1.0) as $F))
                .collect()
        }

        fn lanes(d: &[[$F; W]]) -> Vec<Lanes<$F, W>> {
            d.iter().map(|a| Lanes(*a)).collect()
        }

        fn lane(d: &[[$F; W]], k: usize) -> Vec<$F> {
            d.iter().map(|a| a[k]).collect()
        }

        /// A loop with a branch inside, over a slice.
        #[jvp(vector)]
        pub fn looped(x: &[$F], c: $F) -> $F {
            let mut s = 0.0;
            for i in 0..x.len() {
                if x[i] > 0.0 {
                    s += c * x[i].sin();
                } else {
                    s -= x[i] * x[i] * c;
                }
            }
            s
        }

        #[test]
        fn loops_and_branches() {
            let x: [$F; 5] = [0.7, -0.4, 1.3, -1.1, 0.2];
            let (dx, dc) = (directions(1, 5), directions(2, 1));
            let (y, t) = looped_jvpw::<W>(&x, &lanes(&dx), 1.5, Lanes(dc[0]));
            assert_eq!(y, looped(&x, 1.5));
            for k in 0..W {
                let (_, tk) = looped_jvp(&x, &lane(&dx, k), 1.5, dc[0][k]);
                assert_relative_eq!(t.lane(k), tk, max_relative = $rel);
            }
            // Closed form of ∂/∂c.
            let (_, tc) = looped_jvpw::<W>(&x, &[Lanes::zero(); 5], 1.5, Lanes::splat(1.0));
            let exact: $F = x
                .iter()
                .map(|&v| if v > 0.0 { v.sin() } else { -v * v })
                .sum();
            assert_relative_eq!(tc.lane(2), exact, max_relative = $rel);
        }

        #[jvp(vector)]
        pub fn inner(a: $F, b: [$F; 2]) -> [$F; 2] {
            [a * b[0], (a + b[1]).exp()]
        }

        /// Calls a callee's `_jvpw`, and writes a `&mut` output.
        #[jvp(vector)]
        pub fn outer(x: [$F; 3], out: &mut [$F]) -> $F {
            let p = inner(x[0], [x[1], x[2]]);
            out[0] = p[0] * p[1];
            out[1] = (p[1] as f64).sqrt() as $F;
            p[0] - x[2]
        }

        #[test]
        fn calls_and_mut_outputs() {
            let x: [$F; 3] = [0.3, -0.8, 0.5];
            let d = directions(3, 3);
            let dx: [Lanes<$F, W>; 3] = std::array::from_fn(|i| Lanes(d[i]));
            let mut out = [0.0; 2];
            let mut out_d = [Lanes::zero(); 2];
            let (y, t) = outer_jvpw::<W>(x, dx, &mut out, &mut out_d);
            let mut out0 = [0.0; 2];
            assert_eq!(y, outer(x, &mut out0));
            assert_eq!(out, out0);
            for k in 0..W {
                let xk: [$F; 3] = std::array::from_fn(|i| d[i][k]);
                let mut o = [0.0; 2];
                let mut od = [0.0; 2];
                let (_, tk) = outer_jvp(x, xk, &mut o, &mut od);
                assert_relative_eq!(t.lane(k), tk, max_relative = $rel);
                for j in 0..2 {
                    assert_relative_eq!(out_d[j].lane(k), od[j], max_relative = $rel);
                }
            }
            // Closed form: d(p0 - x2)/dx1 = x0.
            let unit: [Lanes<$F, W>; 3] = std::array::from_fn(|i| Lanes::unit(i));
            let (_, t) = outer_jvpw::<W>(x, unit, &mut out, &mut [Lanes::zero(); 2]);
            assert_relative_eq!(t.lane(1), x[0], max_relative = $rel);
            assert_relative_eq!(t.lane(2), -1.0, max_relative = $rel);
        }

        /// A `Vec` result written in a `while` loop.
        // `&Vec` on purpose: its tangent is `&Vec<Lanes<S, W>>`.
        #[allow(clippy::ptr_arg)]
        #[jvp(vector)]
        pub fn pushed(x: &Vec<$F>, n: usize) -> Vec<$F> {
            let mut v = vec![0.0; n];
            let mut i = 0;
            while i < n {
                let y: $F = x[i % x.len()] * (i as $F + 1.0);
                v[i] = y.tanh();
                i += 1;
            }
            v
        }

        #[test]
        fn vec_results() {
            let x: Vec<$F> = vec![0.4, -0.3];
            let d = directions(4, 2);
            let dl: Vec<Lanes<$F, W>> = lanes(&d);
            let (y, t) = pushed_jvpw::<W>(&x, &dl, 5);
            assert_eq!(y, pushed(&x, 5));
            for k in 0..W {
                let (_, tk) = pushed_jvp(&x, &lane(&d, k), 5);
                for i in 0..5 {
                    assert_relative_eq!(t[i].lane(k), tk[i], max_relative = $rel);
                }
            }
        }

        /// Width 1 and width 8 from the same function.
        #[test]
        fn any_width() {
            let x: [$F; 2] = [0.9, 0.1];
            let (_, t1) = looped_jvpw::<1>(&x, &[Lanes([1.0]), Lanes([0.0])], 2.0, Lanes([0.0]));
            let (_, t) = looped_jvp(&x, &[1.0, 0.0], 2.0, 0.0);
            assert_relative_eq!(t1.lane(0), t, max_relative = $rel);
            let d8: Vec<Lanes<$F, 8>> = vec![Lanes::unit(0), Lanes::unit(7)];
            let (_, t8) = looped_jvpw::<8>(&x, &d8, 2.0, Lanes::zero());
            assert_relative_eq!(t8.lane(0), t, max_relative = $rel);
            assert_relative_eq!(t8.lane(3), 0.0);
        }
    };
}

mod double {
    suite!(f64, f64h, 1e-13);
}

mod single {
    suite!(f32, f32h, 1e-5);
}

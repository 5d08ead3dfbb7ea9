//! Patterns: tuple parameters (`p: (f64, f64)`, `p.0`, `let (a, b) = p;`),
//! array destructuring (`let [a, b] = *x;`, nested), `.into()` / `From`
//! between float types and from integer constants, and `match` on `Option`
//! and `Result` constants. Each function is checked against closed forms,
//! central finite differences and the dot-product test between `_jvp` and
//! `_vjp`.
//!
//! The calling convention for a tuple parameter `p: (S, T)`: its tangent is
//! `p_dot: (S, T)`, its adjoint `p_bar: &mut (S, T)`, its gradient entry
//! `(S, T)`.

#![allow(clippy::type_complexity, clippy::useless_conversion)]

mod common;

macro_rules! suite {
    ($F:ident, $h:ident) => {
        use crate::common::$h::*;
        use adiff::{grad, jvp, vjp};

        /// Fields, destructuring and a plain scalar beside the tuple.
        #[jvp]
        #[grad]
        fn fields(p: ($F, $F), x: $F) -> $F {
            let (a, b) = p;
            p.0 * x + a * b.sin() + p.1 * p.1
        }

        fn fields_grad_exact(p: ($F, $F), x: $F) -> (($F, $F), $F) {
            ((x + p.1.sin(), p.0 * p.1.cos() + 2.0 * p.1), p.0)
        }

        #[test]
        fn tuple_fields_and_destructuring() {
            let p: ($F, $F) = (0.7, -1.1);
            let x: $F = 1.3;
            let (gp, gx) = fields_grad_exact(p, x);
            for (k, u) in dirs(3, 1).into_iter().enumerate() {
                let (up, ux) = ((u[0], u[1]), u[2]);
                let (val, t) = fields_jvp(p, up, x, ux);
                assert_eq!(val, fields(p, x));
                let exact = gp.0 * up.0 + gp.1 * up.1 + gx * ux;
                let f = |s: $F| fields((p.0 + s * up.0, p.1 + s * up.1), x + s * ux);
                check(t, exact, fd(f));
                rev_dot!(fields, fields_jvp, fields_vjp, k as u64; val p, val x);
            }
            let (val, (g_p, g_x)) = fields_grad(p, x);
            assert_eq!(val, fields(p, x));
            check_exact_vec(&[g_p.0, g_p.1, g_x], &[gp.0, gp.1, gx]);
            let (b_p, b_x) = rev_grad!(fields_vjp; val p, val x);
            check_exact_vec(&[b_p.0, b_p.1, b_x], &[gp.0, gp.1, gx]);
        }

        /// A tuple with an array field, passed to a callee.
        #[jvp]
        #[vjp]
        fn callee(q: ($F, [$F; 2])) -> $F {
            q.0 * q.1[0] + q.1[1].exp()
        }

        /// A `mut` tuple parameter written through a field, whole tuples
        /// copied, and a tuple built for a callee.
        #[jvp]
        #[vjp]
        fn caller(mut p: ($F, $F)) -> $F {
            let r = p;
            p.0 *= 2.0;
            callee((p.0, [r.1, r.0])) + p.0 * r.1
        }

        #[test]
        fn tuples_through_calls() {
            let p: ($F, $F) = (0.6, -0.4);
            // f = 2 p0 p1 + e^{p0} + 2 p0 p1.
            let gp = (4.0 * p.1 + p.0.exp(), 4.0 * p.0);
            for (k, u) in dirs(2, 2).into_iter().enumerate() {
                let up = (u[0], u[1]);
                let (val, t) = caller_jvp(p, up);
                assert_eq!(val, caller(p));
                let exact = gp.0 * up.0 + gp.1 * up.1;
                check(t, exact, fd(|s| caller((p.0 + s * up.0, p.1 + s * up.1))));
                rev_dot!(caller, caller_jvp, caller_vjp, k as u64; val p);
            }
            let b = rev_grad!(caller_vjp; val p);
            check_exact_vec(&[b.0, b.1], &[gp.0, gp.1]);
        }

        /// Array destructuring: `*x` of a `&[S; 2]`, a by-value array, nested.
        #[jvp]
        #[vjp]
        fn arrays(x: &[$F; 2], y: [$F; 3], m: [[$F; 2]; 2]) -> $F {
            let [a, b] = *x;
            let [c, _, e] = y;
            let [[p, q], [r, s]] = m;
            a * b + c * e.sin() + (p * s - q * r) * a
        }

        #[test]
        fn array_destructuring() {
            let x: [$F; 2] = [0.4, -0.9];
            let y: [$F; 3] = [1.1, 0.3, -0.2];
            let m: [[$F; 2]; 2] = [[0.5, 0.2], [-0.3, 0.8]];
            let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
            let gx = [x[1] + det, x[0]];
            let gy = [y[2].sin(), 0.0, y[0] * y[2].cos()];
            let gm = [[m[1][1] * x[0], -m[1][0] * x[0]], [-m[0][1] * x[0], m[0][0] * x[0]]];
            for (k, u) in dirs(9, 3).into_iter().enumerate() {
                let ux: [$F; 2] = arr(&u[..2]);
                let uy: [$F; 3] = arr(&u[2..5]);
                let um: [[$F; 2]; 2] = mat(&u[5..]);
                let (val, t) = arrays_jvp(&x, &ux, y, uy, m, um);
                assert_eq!(val, arrays(&x, y, m));
                let exact = dot(&gx, &ux) + dot(&gy, &uy) + dot(&flat(&gm), &flat(&um));
                let f = |s| arrays(&axpy_arr(&x, s, &ux), axpy_arr(&y, s, &uy), axpy_mat(&m, s, &um));
                check(t, exact, fd(f));
                rev_dot!(arrays, arrays_jvp, arrays_vjp, k as u64; rf x, val y, val m);
            }
            let (bx, by, bm) = rev_grad!(arrays_vjp; rf x, val y, val m);
            check_exact_vec(&bx, &gx);
            check_exact_vec(&by, &gy);
            check_exact_vec(&flat(&bm), &flat(&gm));
        }

        /// `.into()` and `f64::from` to `f64` (from `f32`, or `f64` itself),
        /// with derivative 1, and integer constants converted with `.into()`.
        #[jvp]
        #[vjp]
        fn widen(x: $F, y: f64) -> f64 {
            let z: f64 = x.into();
            let c: f64 = 3u8.into();
            let d: $F = 2i16.into();
            z * y * c + f64::from(x * d).sin()
        }

        #[test]
        fn into_and_from() {
            let (x, y): ($F, f64) = (0.75, -1.25);
            let xf = f64::from(x);
            let gx = 3.0 * y + 2.0 * (2.0 * xf).cos();
            let gy = 3.0 * xf;
            for (k, u) in [(1.0, 0.0), (0.0, 1.0), (0.5, -0.75)].into_iter().enumerate() {
                let (val, t) = widen_jvp(x, u.0 as $F, y, u.1);
                assert_eq!(val, widen(x, y));
                let exact = gx * u.0 + gy * u.1;
                // The conversion is exact, so the difference quotient is
                // taken in `f64` through `f64::from`.
                let fdv = crate::common::f64h::fd(|s| {
                    3.0 * (xf + s * u.0) * (y + s * u.1) + (2.0 * (xf + s * u.0)).sin()
                });
                approx::assert_relative_eq!(t, exact, max_relative = 1e-5);
                approx::assert_relative_eq!(t, fdv, max_relative = 1e-4);
                rev_dot!(widen, widen_jvp, widen_vjp, k as u64; val x, val y);
            }
            let (bx, by) = rev_grad!(widen_vjp; val x, val y);
            approx::assert_relative_eq!(f64::from(bx), gx, max_relative = 1e-5);
            approx::assert_relative_eq!(by, gy, max_relative = 1e-12);
        }

        /// `match` on constant `Option` and `Result` parameters.
        #[jvp(constant(scale, r))]
        #[grad(constant(scale, r))]
        fn options(x: $F, scale: Option<$F>, r: Result<$F, usize>) -> $F {
            let a = match scale {
                Some(s) => x * s,
                None => x,
            };
            let b = match r {
                Ok(v) if v > 1.0 => a * v,
                Ok(_) => a.sin(),
                Err(k) => a * k as $F,
            };
            b * x
        }

        #[test]
        fn match_on_option_and_result() {
            let x: $F = 0.9;
            let cases: [(Option<$F>, Result<$F, usize>, $F); 4] = [
                (Some(3.0), Ok(2.0), 2.0 * 3.0 * 2.0 * x),
                (None, Ok(0.5), x.sin() + x * x.cos()),
                (None, Err(4), 8.0 * x),
                (Some(-0.5), Err(3), 2.0 * -0.5 * 3.0 * x),
            ];
            for (scale, r, exact) in cases {
                let (val, t) = options_jvp(x, 1.0, scale, r);
                assert_eq!(val, options(x, scale, r));
                check(t, exact, fd(|s| options(x + s, scale, r)));
                let (v, g) = options_grad(x, scale, r);
                assert_eq!(v, options(x, scale, r));
                check_exact(g, exact);
            }
        }

        const TWO: usize = 2;

        /// An upper-case name in a pattern is a constant, not a binding.
        #[jvp]
        #[vjp]
        fn const_arm(x: $F, n: usize) -> $F {
            match n {
                TWO => x * x,
                _ => x.sin(),
            }
        }

        #[test]
        fn constant_patterns() {
            let x: $F = 0.6;
            for (n, exact) in [(2, 2.0 * x), (3, x.cos())] {
                let (val, t) = const_arm_jvp(x, 1.0, n);
                assert_eq!(val, const_arm(x, n));
                check(t, exact, fd(|s| const_arm(x + s, n)));
                rev_dot!(const_arm, const_arm_jvp, const_arm_vjp, n as u64; val x, c n);
                check_exact(rev_grad!(const_arm_vjp; val x, c n), exact);
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

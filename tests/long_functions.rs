//! Long functions: derivatives whose blocks have more statements than
//! codegen emits in one block (`adiff-macros/src/codegen/chunks.rs` splits
//! them so that rustc's debug info does not recurse once per `let`). The
//! split must not change a value: each function is checked against a
//! hand-written tangent recurrence, central differences, and the
//! dot-product test between the modes.

// `unused_assignments`: reverse mode restores some values no rule reads (a
// known gap, also without the block splitting), which rustc reports on `a`
// and `b`.
#![allow(clippy::assign_op_pattern, clippy::too_many_lines, unused_assignments)]

mod common;

/// A function of `x[0], x[1]` made of `steps` repetitions of an update, with
/// a loop in the middle, written out by `macro_rules!` repetition so the
/// attribute sees a long straight-line body.
macro_rules! long_fn {
    ($F:ident, $name:ident, $($k:literal)*) => {
        #[jvp]
        #[grad]
        fn $name(x: &[$F]) -> $F {
            let mut a = x[0];
            let mut b = x[1];
            $(
                a = (b * $k).sin() * 0.5 + a;
                b = a.tanh() * 0.25 + b;
                let t = a * b;
                a = a + t * 0.001;
            )*
            for i in 0..3 {
                b = b + (a * i as $F).cos() * 0.01;
            }
            $(
                let u = (a * a + 1.0).sqrt();
                b = b - u * 0.002 * $k;
            )*
            a * b
        }
    };
}

macro_rules! suite {
    ($F:ident, $h:ident) => {
        use crate::common::$h::*;
        use adiff::{grad, jvp};

        long_fn!($F, long, 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1.0 1.1 1.2 1.3 1.4 1.5
            1.6 1.7 1.8 1.9 2.0 2.1 2.2 2.3 2.4 2.5 2.6 2.7 2.8 2.9 3.0);

        /// The same recurrence with its tangent written by hand: value and
        /// derivative along `u`.
        fn reference(x: &[$F], u: &[$F]) -> ($F, $F) {
            let ks: Vec<$F> = (1..=30).map(|k| k as $F * 0.1).collect();
            let (mut a, mut b) = (x[0], x[1]);
            let (mut da, mut db) = (u[0], u[1]);
            for &k in &ks {
                da = (b * k).cos() * k * db * 0.5 + da;
                a = (b * k).sin() * 0.5 + a;
                let th = a.tanh();
                db = (1.0 - th * th) * da * 0.25 + db;
                b = th * 0.25 + b;
                let (t, dt) = (a * b, da * b + a * db);
                a = a + t * 0.001;
                da = da + dt * 0.001;
            }
            for i in 0..3 {
                let c = i as $F;
                db = db - (a * c).sin() * c * da * 0.01;
                b = b + (a * c).cos() * 0.01;
            }
            for &k in &ks {
                let s = (a * a + 1.0).sqrt();
                db = db - a / s * da * 0.002 * k;
                b = b - s * 0.002 * k;
            }
            (a * b, da * b + a * db)
        }

        #[test]
        fn forward_matches_the_hand_written_tangent() {
            let x = rand_vec(3, 2, -1.0, 1.0);
            for u in dirs(2, 5) {
                let (v, t) = long_jvp(&x, &u);
                let (rv, rt) = reference(&x, &u);
                assert_eq!(v, long(&x));
                check_exact(v, rv);
                check(t, rt, fd(|s| long(&axpy(&x, s, &u))));
            }
        }

        #[test]
        fn gradient_matches_and_agrees_with_forward() {
            let x = rand_vec(3, 2, -1.0, 1.0);
            let (v, g) = long_grad(&x);
            assert_eq!(v, long(&x));
            let exact = [reference(&x, &[1.0, 0.0]).1, reference(&x, &[0.0, 1.0]).1];
            check_exact_vec(&g, &exact);
            // Dot-product test: <g, u> (reverse) against the tangent along u.
            for u in dirs(2, 9) {
                let (_, t) = long_jvp(&x, &u);
                check_exact(dot(&g, &u), t);
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

//! `#[checkpoint(..)]` loops: the reverse sweep keeps a few snapshots of
//! the loop's state instead of a tape of every iteration. Each function is
//! written twice, checkpointed and plain; the gradients must agree to
//! rounding (they run the same arithmetic in the same order), match closed
//! forms and central differences, and pass the dot-product test against
//! forward mode.
#![allow(clippy::needless_range_loop, clippy::assign_op_pattern, dead_code)]

use adiff::{grad, jvp, vjp};
use approx::assert_relative_eq;

/// `x ← x·(1 − k·dt)` n times: x_n = x0·(1 − k·dt)^n.
#[grad]
fn decay(x0: f64, k: f64, n: usize) -> f64 {
    let mut x = x0;
    #[checkpoint(snapshots = 3)]
    for _ in 0..n {
        x = x * (1.0 - k * 0.01);
    }
    x
}

/// The same loop, periodic (√T) checkpointing.
#[grad]
fn decay_periodic(x0: f64, k: f64, n: usize) -> f64 {
    let mut x = x0;
    #[checkpoint(periodic)]
    for _ in 0..n {
        x = x * (1.0 - k * 0.01);
    }
    x
}

/// One snapshot: every iteration is run again from the start.
#[grad]
fn decay_one(x0: f64, k: f64, n: usize) -> f64 {
    let mut x = x0;
    #[checkpoint(snapshots = 1)]
    for _ in 0..n {
        x = x * (1.0 - k * 0.01);
    }
    x
}

#[test]
fn decay_matches_the_closed_form() {
    let (x0, k) = (1.7_f64, 3.0_f64);
    for n in [0, 1, 2, 3, 7, 50, 333] {
        let r = 1.0 - k * 0.01;
        let dx0 = r.powi(n as i32);
        let dk = if n == 0 {
            0.0
        } else {
            x0 * n as f64 * r.powi(n as i32 - 1) * -0.01
        };
        for f in [decay_grad, decay_periodic_grad, decay_one_grad] {
            let (y, (g0, gk)) = f(x0, k, n);
            assert_relative_eq!(y, x0 * dx0, max_relative = 1e-12);
            assert_relative_eq!(g0, dx0, max_relative = 1e-12);
            assert_relative_eq!(gk, dk, max_relative = 1e-10, epsilon = 1e-300);
        }
    }
}

/// A nonlinear oscillator in a `Vec` state, with scratch values per
/// iteration and a running sum: semi-implicit Euler.
macro_rules! oscillator {
    ($name:ident $(, #[$ck:meta])?) => {
        #[vjp]
        #[jvp]
        fn $name(q0: &[f64], w: f64, n: usize) -> f64 {
            let mut q = q0.to_vec();
            let mut energy = 0.0;
            $(#[$ck])?
            for step in 0..n {
                let force = -w * q[0].sin() - 0.1 * q[1];
                q[1] = q[1] + 0.05 * force;
                q[0] = q[0] + 0.05 * q[1];
                let e = 0.5 * q[1] * q[1] + w * (1.0 - q[0].cos());
                energy = energy + e * (step as f64 + 1.0) / (n as f64);
            }
            energy + q[0] * q[1]
        }
    };
}

oscillator!(osc_plain);
oscillator!(osc_binomial, #[checkpoint(snapshots = 4)]);
oscillator!(osc_periodic, #[checkpoint(periodic)]);
oscillator!(osc_two, #[checkpoint(snapshots = 2)]);
// A memory budget: (q, energy) takes 24 + 16 + 8 bytes, so 4 snapshots.
oscillator!(osc_memory, #[checkpoint(memory = 200)]);

type Osc = fn(&[f64], &mut [f64], f64, &mut f64, usize, f64) -> f64;

fn osc_grad(f: Osc, q0: &[f64], w: f64, n: usize) -> (f64, Vec<f64>, f64) {
    let (mut q_bar, mut w_bar) = (vec![0.0; q0.len()], 0.0);
    let y = f(q0, &mut q_bar, w, &mut w_bar, n, 1.0);
    (y, q_bar, w_bar)
}

#[test]
fn oscillator_gradients_equal_the_plain_tape() {
    let q0 = [0.8, -0.3];
    for n in [0, 1, 5, 64, 200] {
        let (y, gq, gw) = osc_grad(osc_plain_vjp, &q0, 1.3, n);
        for f in [
            osc_binomial_vjp as Osc,
            osc_periodic_vjp,
            osc_two_vjp,
            osc_memory_vjp,
        ] {
            let (y2, gq2, gw2) = osc_grad(f, &q0, 1.3, n);
            assert_relative_eq!(y2, y, max_relative = 1e-14);
            assert_relative_eq!(gw2, gw, max_relative = 1e-12, epsilon = 1e-14);
            for (a, b) in gq2.iter().zip(&gq) {
                assert_relative_eq!(*a, *b, max_relative = 1e-12, epsilon = 1e-14);
            }
        }
    }
}

#[test]
fn oscillator_gradient_matches_central_differences() {
    let (q0, w, n) = ([0.8, -0.3], 1.3, 120);
    let (_, gq, gw) = osc_grad(osc_binomial_vjp, &q0, w, n);
    let h = 1e-6;
    let fd_w = (osc_plain(&q0, w + h, n) - osc_plain(&q0, w - h, n)) / (2.0 * h);
    assert_relative_eq!(gw, fd_w, max_relative = 1e-6);
    for i in 0..2 {
        let (mut up, mut down) = (q0, q0);
        up[i] += h;
        down[i] -= h;
        let fd = (osc_plain(&up, w, n) - osc_plain(&down, w, n)) / (2.0 * h);
        assert_relative_eq!(gq[i], fd, max_relative = 1e-6);
    }
}

#[test]
fn oscillator_passes_the_dot_product_test() {
    // ⟨w̄, J·u⟩ from forward mode equals ⟨Jᵀ·w̄, u⟩ from the checkpointed reverse.
    let (q0, w, n) = ([0.4, 0.9], 0.7, 90);
    let (u_q, u_w) = ([0.3, -1.1], 0.6);
    let (_, y_dot) = osc_binomial_jvp(&q0, &u_q, w, u_w, n);
    let (_, gq, gw) = osc_grad(osc_periodic_vjp, &q0, w, n);
    let rev = gq[0] * u_q[0] + gq[1] * u_q[1] + gw * u_w;
    assert_relative_eq!(y_dot, rev, max_relative = 1e-12);
}

/// The heat equation, explicit Euler: two `Vec`s written per step
/// (`next` is scratch the step overwrites before it reads it).
macro_rules! heat {
    ($name:ident $(, #[$ck:meta])?) => {
        #[vjp]
        fn $name(u0: &[f64], alpha: f64, steps: usize) -> f64 {
            let n = u0.len();
            let mut u = u0.to_vec();
            let mut next = vec![0.0; n];
            $(#[$ck])?
            for _ in 0..steps {
                for i in 1..n - 1 {
                    next[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1]);
                }
                for i in 1..n - 1 {
                    u[i] = next[i];
                }
            }
            let mut s = 0.0;
            for i in 0..n {
                s += u[i] * u[i] * (i as f64 + 1.0);
            }
            s
        }
    };
}

heat!(heat_plain);
heat!(heat_binomial, #[checkpoint(snapshots = 5)]);
heat!(heat_periodic, #[checkpoint(periodic)]);

#[test]
fn heat_gradients_equal_the_plain_tape_and_differences() {
    let u0: Vec<f64> = (0..9).map(|i| ((i as f64) * 0.7).sin()).collect();
    let alpha = 0.2;
    for steps in [0, 1, 10, 77] {
        let mut g = vec![0.0; 9];
        let mut ga = 0.0;
        let y = heat_plain_vjp(&u0, &mut g, alpha, &mut ga, steps, 1.0);
        for f in [heat_binomial_vjp, heat_periodic_vjp] {
            let mut g2 = vec![0.0; 9];
            let mut ga2 = 0.0;
            let y2 = f(&u0, &mut g2, alpha, &mut ga2, steps, 1.0);
            assert_relative_eq!(y2, y, max_relative = 1e-14);
            assert_relative_eq!(ga2, ga, max_relative = 1e-12, epsilon = 1e-14);
            for (a, b) in g2.iter().zip(&g) {
                assert_relative_eq!(*a, *b, max_relative = 1e-12, epsilon = 1e-14);
            }
        }
        let h = 1e-6;
        let fd =
            (heat_plain(&u0, alpha + h, steps) - heat_plain(&u0, alpha - h, steps)) / (2.0 * h);
        assert_relative_eq!(ga, fd, max_relative = 1e-6, epsilon = 1e-8);
    }
}

/// The loop reads `c`, which a later statement changes, and its reverse
/// does not need `c` (the adjoint of `x.sin() + c` reads only `x`), so
/// nothing else restores it: the snapshot of the loop's start must hold
/// `c`, or the advances would compute the states from `c = 3`.
macro_rules! read_then_changed {
    ($name:ident $(, #[$ck:meta])?) => {
        #[grad]
        fn $name(x0: f64, n: usize) -> f64 {
            let mut x = x0;
            let mut c = 0.5;
            $(#[$ck])?
            for _ in 0..n {
                x = x.sin() + c;
            }
            c = 3.0;
            x * c
        }
    };
}

read_then_changed!(changed_plain);
read_then_changed!(changed_binomial, #[checkpoint(snapshots = 2)]);

#[test]
fn a_value_changed_after_the_loop_is_restored() {
    for n in [1, 2, 9, 40] {
        let (y, g) = changed_binomial_grad(0.3, n);
        let (y2, g2) = changed_plain_grad(0.3, n);
        assert_relative_eq!(y, y2, max_relative = 1e-14);
        assert_relative_eq!(g, g2, max_relative = 1e-12);
        let h = 1e-6;
        let fd = (changed_plain(0.3 + h, n) - changed_plain(0.3 - h, n)) / (2.0 * h);
        assert_relative_eq!(g, fd, max_relative = 1e-6, epsilon = 1e-9);
    }
}

/// An inclusive range, a collection loop, and a call to another derivative.
#[vjp]
fn softclip(x: f64, a: f64) -> f64 {
    a * (x / a).tanh()
}

#[grad]
fn mixed(x: &[f64], a: f64, lo: usize, hi: usize) -> f64 {
    let mut s = 0.0;
    let mut p = 1.0;
    #[checkpoint(snapshots = 3)]
    for i in lo..=hi {
        p = softclip(p * x[i % x.len()] + 0.3, a);
        s = s + p * p;
    }
    let mut t = 0.0;
    #[checkpoint(periodic)]
    for &xi in x.iter() {
        t = (t + xi * s).sin();
    }
    s + t
}

#[grad]
fn mixed_plain(x: &[f64], a: f64, lo: usize, hi: usize) -> f64 {
    let mut s = 0.0;
    let mut p = 1.0;
    for i in lo..=hi {
        p = softclip(p * x[i % x.len()] + 0.3, a);
        s = s + p * p;
    }
    let mut t = 0.0;
    for &xi in x.iter() {
        t = (t + xi * s).sin();
    }
    s + t
}

#[test]
fn inclusive_ranges_collections_and_calls() {
    let x = [0.9, -0.4, 1.2, 0.5, -0.8];
    for (lo, hi) in [(0, 0), (2, 9), (1, 30)] {
        let (y, (gx, ga)) = mixed_grad(&x, 1.5, lo, hi);
        let (y2, (gx2, ga2)) = mixed_plain_grad(&x, 1.5, lo, hi);
        assert_relative_eq!(y, y2, max_relative = 1e-14);
        assert_relative_eq!(ga, ga2, max_relative = 1e-12);
        for (a, b) in gx.iter().zip(&gx2) {
            assert_relative_eq!(*a, *b, max_relative = 1e-12, epsilon = 1e-14);
        }
    }
}

/// Loops whose trip count the header does not give: a `while`, a `loop`
/// with `break`, and a `for` that leaves early. The forward sweep counts
/// the iterations, and the reverse checkpoints that many.
macro_rules! early_loops {
    ($name:ident $(, #[$ck:meta])?) => {
        #[grad]
        fn $name(x0: f64, a: f64, cap: usize) -> f64 {
            let mut x = x0;
            let mut n = 0;
            $(#[$ck])?
            while x < 50.0 && n < cap {
                x = x * (1.0 + a) + 0.1 * x.sin();
                n += 1;
            }
            let mut s = 0.0;
            let mut k = 0;
            $(#[$ck])?
            loop {
                k += 1;
                if k > cap / 2 + 1 {
                    break;
                }
                if k % 3 == 0 {
                    continue;
                }
                s = (s + x / k as f64).tanh() + a * s;
            }
            let mut t = s;
            $(#[$ck])?
            for i in 0..cap {
                if t > 3.0 {
                    break;
                }
                t = t + (a * i as f64).cos() * t.abs().sqrt();
            }
            x * 0.01 + s + t
        }
    };
}

early_loops!(early_plain);
early_loops!(early_binomial, #[checkpoint(snapshots = 2)]);
early_loops!(early_periodic, #[checkpoint(periodic)]);

#[test]
fn while_loop_and_early_exits_equal_the_plain_tape() {
    for (x0, a, cap) in [
        (0.5, 0.3, 0),
        (0.5, 0.3, 1),
        (0.7, 0.2, 7),
        (0.2, 0.05, 40),
        (1.1, 0.4, 200),
    ] {
        let (y, (g0, ga)) = early_plain_grad(x0, a, cap);
        for f in [early_binomial_grad, early_periodic_grad] {
            let (y2, (g02, ga2)) = f(x0, a, cap);
            assert_relative_eq!(y2, y, max_relative = 1e-14);
            assert_relative_eq!(g02, g0, max_relative = 1e-12, epsilon = 1e-14);
            assert_relative_eq!(ga2, ga, max_relative = 1e-12, epsilon = 1e-14);
        }
        let h = 1e-7;
        let fd = (early_plain(x0 + h, a, cap) - early_plain(x0 - h, a, cap)) / (2.0 * h);
        assert_relative_eq!(g0, fd, max_relative = 1e-5, epsilon = 1e-7);
    }
}

/// The state behind `&mut` parameters: a slice updated in place and a
/// scalar. Snapshots copy what they point to.
macro_rules! in_place {
    ($name:ident, $acc:ident $(, #[$ck:meta])?) => {
        #[vjp]
        fn $name(u: &mut [f64], alpha: f64, steps: usize) -> f64 {
            let n = u.len();
            let mut next = vec![0.0; n];
            $(#[$ck])?
            for _ in 0..steps {
                for i in 1..n - 1 {
                    next[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1]) + 0.01 * u[i].sin();
                }
                for i in 1..n - 1 {
                    u[i] = next[i];
                }
            }
            let mut s = 0.0;
            for i in 0..n {
                s += u[i] * u[i];
            }
            s
        }

        #[vjp]
        fn $acc(x: &mut f64, k: f64, steps: usize) {
            $(#[$ck])?
            for _ in 0..steps {
                *x = (*x * k).sin() + 0.5 * *x;
            }
        }
    };
}

in_place!(in_place_plain, acc_plain);
in_place!(in_place_binomial, acc_binomial, #[checkpoint(snapshots = 3)]);
in_place!(in_place_periodic, acc_periodic, #[checkpoint(periodic)]);

type InPlace = fn(&mut [f64], &mut [f64], f64, &mut f64, usize, f64) -> f64;
type Acc = fn(&mut f64, &mut f64, f64, &mut f64, usize);

#[test]
fn state_behind_mut_parameters_equals_the_plain_tape() {
    let u0: Vec<f64> = (0..7).map(|i| (i as f64 * 0.9).cos()).collect();
    for steps in [0, 1, 6, 41] {
        let run = |f: InPlace| {
            let (mut u, mut u_bar, mut a_bar) = (u0.clone(), vec![0.0; 7], 0.0);
            let y = f(&mut u, &mut u_bar, 0.2, &mut a_bar, steps, 1.0);
            (y, u, u_bar, a_bar)
        };
        let plain = run(in_place_plain_vjp);
        for f in [in_place_binomial_vjp as InPlace, in_place_periodic_vjp] {
            let got = run(f);
            assert_relative_eq!(got.0, plain.0, max_relative = 1e-14);
            assert_relative_eq!(got.3, plain.3, max_relative = 1e-12, epsilon = 1e-14);
            for (a, b) in got.2.iter().zip(&plain.2) {
                assert_relative_eq!(*a, *b, max_relative = 1e-12, epsilon = 1e-14);
            }
        }
        // Central differences of the loss in alpha.
        let loss = |alpha: f64| {
            let mut u = u0.clone();
            in_place_plain(&mut u, alpha, steps)
        };
        let h = 1e-6;
        assert_relative_eq!(
            plain.3,
            (loss(0.2 + h) - loss(0.2 - h)) / (2.0 * h),
            max_relative = 1e-6,
            epsilon = 1e-8
        );

        // The scalar: its final value's cotangent in, its initial value's out.
        let acc = |f: Acc| {
            let (mut x, mut x_bar, mut k_bar) = (0.7, 1.0, 0.0);
            f(&mut x, &mut x_bar, 1.3, &mut k_bar, steps);
            (x_bar, k_bar)
        };
        let (xb, kb) = acc(acc_plain_vjp);
        for f in [acc_binomial_vjp as Acc, acc_periodic_vjp] {
            let (xb2, kb2) = acc(f);
            assert_relative_eq!(xb2, xb, max_relative = 1e-12, epsilon = 1e-14);
            assert_relative_eq!(kb2, kb, max_relative = 1e-12, epsilon = 1e-14);
        }
        let fin = |x0: f64, k: f64| {
            let mut x = x0;
            acc_plain(&mut x, k, steps);
            x
        };
        assert_relative_eq!(
            xb,
            (fin(0.7 + h, 1.3) - fin(0.7 - h, 1.3)) / (2.0 * h),
            max_relative = 1e-6,
            epsilon = 1e-8
        );
        assert_relative_eq!(
            kb,
            (fin(0.7, 1.3 + h) - fin(0.7, 1.3 - h)) / (2.0 * h),
            max_relative = 1e-6,
            epsilon = 1e-8
        );
    }
}

/// Checkpointed loops anywhere: inside a branch, inside an outer loop
/// (one schedule per outer iteration), and in a function that returns
/// early.
macro_rules! nested {
    ($name:ident $(, #[$ck:meta])?) => {
        #[grad]
        fn $name(x0: f64, a: f64, n: usize) -> f64 {
            if n == 1 {
                return x0 * a;
            }
            let mut x = x0;
            let mut total = 0.0;
            for epoch in 0..3 {
                let mut s = x * 0.5;
                $(#[$ck])?
                for i in 0..n {
                    s = (s * a + (i + epoch) as f64 * 0.01).sin() + 0.1 * x;
                }
                x = x + s * 0.3;
                total += s;
            }
            if x > 0.0 {
                let mut y = x;
                $(#[$ck])?
                while y < 3.0 {
                    y = y * 1.3 + a * 0.1;
                }
                total += y;
            }
            total + x
        }
    };
}

nested!(nested_plain);
nested!(nested_binomial, #[checkpoint(snapshots = 2)]);
nested!(nested_periodic, #[checkpoint(periodic)]);

#[test]
fn nested_and_early_returning_checkpoints_equal_the_plain_tape() {
    for (x0, a, n) in [(0.4, 0.8, 0), (0.4, 0.8, 1), (0.9, 1.1, 5), (0.3, 0.6, 33)] {
        let (y, (g0, ga)) = nested_plain_grad(x0, a, n);
        for f in [nested_binomial_grad, nested_periodic_grad] {
            let (y2, (g02, ga2)) = f(x0, a, n);
            assert_relative_eq!(y2, y, max_relative = 1e-14);
            assert_relative_eq!(g02, g0, max_relative = 1e-12, epsilon = 1e-14);
            assert_relative_eq!(ga2, ga, max_relative = 1e-12, epsilon = 1e-14);
        }
        let h = 1e-7;
        let fd = (nested_plain(x0, a + h, n) - nested_plain(x0, a - h, n)) / (2.0 * h);
        assert_relative_eq!(ga, fd, max_relative = 1e-5, epsilon = 1e-7);
    }
}

/// Loop indices of other integer types: `u32`, a negative `i64` start,
/// and an `i32` loop that breaks (its end is `start` plus the count).
macro_rules! typed_indices {
    ($name:ident $(, #[$ck:meta])?) => {
        #[grad]
        fn $name(x0: f64, n: u32, lo: i64) -> f64 {
            let mut x = x0;
            $(#[$ck])?
            for i in 0..n {
                x = (x * 1.1 + i as f64 * 0.01).sin();
            }
            $(#[$ck])?
            for k in lo..lo + 6 {
                x = x * 0.9 + (k as f64 * 0.1).cos() * x.tanh();
            }
            let mut j: i32 = -2;
            $(#[$ck])?
            for m in -2i32..40 {
                if x > 2.0 {
                    break;
                }
                x = x + 0.05 * (m as f64).abs().sqrt() * x.cos();
                j = m;
            }
            x + j as f64 * 0.001
        }
    };
}

typed_indices!(typed_plain);
typed_indices!(typed_binomial, #[checkpoint(snapshots = 2)]);

#[test]
fn integer_index_types_other_than_usize() {
    for (x0, n, lo) in [(0.3, 0, -4), (0.7, 5, -10), (1.2, 17, 3)] {
        let (y, g) = typed_plain_grad(x0, n, lo);
        let (y2, g2) = typed_binomial_grad(x0, n, lo);
        assert_relative_eq!(y2, y, max_relative = 1e-14);
        assert_relative_eq!(g2, g, max_relative = 1e-12, epsilon = 1e-14);
        let h = 1e-7;
        let fd = (typed_plain(x0 + h, n, lo) - typed_plain(x0 - h, n, lo)) / (2.0 * h);
        assert_relative_eq!(g, fd, max_relative = 1e-5, epsilon = 1e-7);
    }
}

/// Single precision: a `Vec<f32>` state, checkpointed and plain.
macro_rules! single {
    ($name:ident $(, #[$ck:meta])?) => {
        #[vjp]
        fn $name(x0: &[f32], k: f32, n: usize) -> f32 {
            let mut x = x0.to_vec();
            let mut s = 0.0_f32;
            $(#[$ck])?
            for _ in 0..n {
                x[0] = (x[0] * k).sin() + 0.1 * x[1];
                x[1] = x[1] * 0.95 + 0.05 * x[0].cos();
                s += x[0] * x[1];
            }
            s
        }
    };
}

single!(single_plain);
single!(single_binomial, #[checkpoint(snapshots = 3)]);
single!(single_periodic, #[checkpoint(periodic)]);

type Single = fn(&[f32], &mut [f32], f32, &mut f32, usize, f32) -> f32;

#[test]
fn single_precision_equals_the_plain_tape() {
    let x0 = [0.6_f32, -0.2];
    for n in [0, 1, 9, 50] {
        let run = |f: Single| {
            let (mut xb, mut kb) = ([0.0_f32; 2], 0.0_f32);
            let y = f(&x0, &mut xb, 1.2, &mut kb, n, 1.0);
            (y, xb, kb)
        };
        let plain = run(single_plain_vjp);
        for f in [single_binomial_vjp as Single, single_periodic_vjp] {
            // The same arithmetic in the same order: the same bits.
            assert_eq!(run(f), plain, "n = {n}");
        }
        // Four-point central differences in k, as f32 needs.
        let h = 2e-2_f32;
        let p = |k: f32| single_plain(&x0, k, n);
        let fd =
            (8.0 * (p(1.2 + h) - p(1.2 - h)) - (p(1.2 + 2.0 * h) - p(1.2 - 2.0 * h))) / (12.0 * h);
        assert_relative_eq!(plain.2, fd, max_relative = 2e-3, epsilon = 1e-4);
    }
}

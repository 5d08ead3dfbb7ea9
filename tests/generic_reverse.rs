//! Generic float code through the constructs reverse mode records:
//! overwrites in loops (tapes), `while` with an early `return`, a `Vec`
//! result, sub-slices, iterator chains and a checkpointed loop. Each is
//! checked at `f64` against central differences and forward against
//! reverse, and at `f32` against the `f64` gradient.

#![allow(clippy::needless_range_loop)]

use adiff::{grad, jvp, vjp};
use approx::assert_relative_eq;
use num_traits::Float;

/// A recurrence that overwrites its state: each step's value is taped.
#[jvp]
#[grad]
fn recurrence<T: Float>(x: &[T], a: T) -> T {
    let mut h = T::zero();
    for i in 0..x.len() {
        h = (a * h + x[i]).tanh();
    }
    h * h
}

/// A `while` loop that returns early once the state passes a threshold.
#[jvp]
#[grad]
fn early_exit<T: Float>(x: T, k: T) -> T {
    let mut y = x;
    let mut n = 0;
    while n < 50 {
        y = y * k + y.sin() * T::from(0.1).unwrap();
        if y.abs() > T::from(10.0).unwrap() {
            return y.ln();
        }
        n += 1;
    }
    y
}

/// A `Vec` result, built from a sub-slice and a chain.
#[jvp]
#[vjp]
fn smooth<T: Float>(x: &[T]) -> Vec<T> {
    let inner = &x[1..x.len() - 1];
    let mean = inner.iter().copied().fold(T::zero(), |s, v| s + v) / T::from(inner.len()).unwrap();
    let mut out = vec![T::zero(); x.len()];
    for i in 1..x.len() - 1 {
        out[i] = (x[i - 1] + x[i] + x[i + 1]) / T::from(3.0).unwrap() - mean;
    }
    out
}

/// A checkpointed time loop.
#[jvp]
#[grad]
fn stepped<T: Float>(x0: T, dt: T) -> T {
    let mut x = x0;
    let mut v = T::zero();
    #[checkpoint(snapshots = 3)]
    for _ in 0..40 {
        let a = -x.sin();
        v = v + dt * a;
        x = x + dt * v;
    }
    x * x + v
}

fn fd(f: &dyn Fn(&[f64]) -> f64, x: &[f64], u: &[f64]) -> f64 {
    let h = 1e-6;
    let xp: Vec<f64> = x.iter().zip(u).map(|(a, b)| a + h * b).collect();
    let xm: Vec<f64> = x.iter().zip(u).map(|(a, b)| a - h * b).collect();
    (f(&xp) - f(&xm)) / (2.0 * h)
}

#[test]
fn recurrence_three_ways() {
    let x = [0.3, -0.2, 0.8, 0.1, -0.5];
    let u = [0.1, 0.4, -0.3, 0.2, 0.6];
    let a = 0.7;
    let (y, (g, ga)) = recurrence_grad(&x, a);
    assert_eq!(y, recurrence(&x, a));
    let (_, dy) = recurrence_jvp(&x, &u, a, 0.5);
    let dot: f64 = g.iter().zip(&u).map(|(p, q)| p * q).sum::<f64>() + 0.5 * ga;
    assert_relative_eq!(dy, dot, max_relative = 1e-12);
    let f = |p: &[f64]| recurrence(&p[..5], p[5]);
    let fdv = fd(
        &f,
        &[x[0], x[1], x[2], x[3], x[4], a],
        &[u[0], u[1], u[2], u[3], u[4], 0.5],
    );
    assert_relative_eq!(dy, fdv, max_relative = 1e-6);
    let (_, (g32, ga32)) = recurrence_grad(&x.map(|v| v as f32), a as f32);
    for (p, q) in g32.iter().zip(&g) {
        assert_relative_eq!(*p, *q as f32, max_relative = 1e-4, epsilon = 1e-6);
    }
    assert_relative_eq!(ga32, ga as f32, max_relative = 1e-4);
}

#[test]
fn early_exit_both_ways_out() {
    // k = 1.5 leaves through the `return`; k = 0.5 runs all 50 steps.
    for (x, k) in [(0.8, 1.5), (0.8, 0.5)] {
        let (y, (gx, gk)) = early_exit_grad(x, k);
        assert_eq!(y, early_exit(x, k));
        let (_, dy) = early_exit_jvp(x, 0.3, k, -0.2);
        assert_relative_eq!(dy, 0.3 * gx - 0.2 * gk, max_relative = 1e-12);
        let f = |p: &[f64]| early_exit(p[0], p[1]);
        assert_relative_eq!(
            dy,
            fd(&f, &[x, k], &[0.3, -0.2]),
            max_relative = 1e-6,
            epsilon = 1e-9
        );
        let (_, (gx32, gk32)) = early_exit_grad(x as f32, k as f32);
        assert_relative_eq!(gx32, gx as f32, max_relative = 1e-3, epsilon = 1e-6);
        assert_relative_eq!(gk32, gk as f32, max_relative = 1e-3, epsilon = 1e-6);
    }
}

#[test]
fn smooth_forward_against_reverse() {
    let x = [0.3, -0.2, 0.8, 0.1, -0.5, 0.9];
    let u = [0.1, 0.4, -0.3, 0.2, 0.6, -0.7];
    let (y, y_dot) = smooth_jvp(&x, &u);
    assert_eq!(y, smooth(&x));
    let w = [0.0, 1.0, -0.5, 0.25, 2.0, 0.0];
    let mut x_bar = [0.0; 6];
    let y2 = smooth_vjp(&x, &mut x_bar, w.to_vec());
    assert_eq!(y2, y);
    let lhs: f64 = w.iter().zip(&y_dot).map(|(p, q)| p * q).sum();
    let rhs: f64 = x_bar.iter().zip(&u).map(|(p, q)| p * q).sum();
    assert_relative_eq!(lhs, rhs, max_relative = 1e-12);
    // The map is linear: the tangent is `smooth(u)` shifted by nothing.
    for (p, q) in y_dot.iter().zip(smooth(&u)) {
        assert_relative_eq!(*p, q, max_relative = 1e-12, epsilon = 1e-15);
    }
    let (_, y_dot32) = smooth_jvp(&x.map(|v| v as f32), &u.map(|v| v as f32));
    for (p, q) in y_dot32.iter().zip(&y_dot) {
        assert_relative_eq!(*p, *q as f32, max_relative = 1e-5, epsilon = 1e-6);
    }
}

#[test]
fn checkpointed_generic_loop() {
    let (x0, dt) = (0.9, 0.05);
    let (y, (g0, gdt)) = stepped_grad(x0, dt);
    assert_eq!(y, stepped(x0, dt));
    let (_, dy) = stepped_jvp(x0, 0.4, dt, 0.1);
    assert_relative_eq!(dy, 0.4 * g0 + 0.1 * gdt, max_relative = 1e-12);
    let f = |p: &[f64]| stepped(p[0], p[1]);
    assert_relative_eq!(dy, fd(&f, &[x0, dt], &[0.4, 0.1]), max_relative = 1e-6);
    let (_, (g032, _)) = stepped_grad(x0 as f32, dt as f32);
    assert_relative_eq!(g032, g0 as f32, max_relative = 1e-4);
}

//! Sensitivity of a 1000-point time series to one rate constant.
//!
//! The logistic equation y' = k y (1 − y), y(0) = 0.01, is integrated by
//! explicit RK4 with step 0.01 up to t = 10, and the output is the whole
//! trajectory: one input k, 1000 outputs y(t_1), ..., y(t_1000). The
//! Jacobian is one column.
//!
//! - Forward mode (`#[jvp]`): one sweep with tangent 1 for k gives the
//!   whole column, dy(t_i)/dk for every i.
//! - Reverse mode (`#[vjp]`): one sweep gives one row of the Jacobian, a
//!   weighted sum wᵀ dy/dk. With the weights e_i it is one entry, so the
//!   column costs 1000 sweeps, each of them through the whole integration.
//!
//! Run with `cargo run --release --example ode_sensitivity`. It prints both
//! timings and their ratio, and panics unless the two modes agree with each
//! other, with central differences of the integrator, and with the exact
//! solution's sensitivity t y (1 − y).

use adiff::{jvp, vjp};
use std::hint::black_box;
use std::time::{Duration, Instant};

const Y0: f64 = 0.01;
const STEP: f64 = 0.01;
const STEPS: usize = 1000;
const RATE: f64 = 0.8;

/// The right-hand side, k y (1 − y).
#[jvp]
#[vjp]
#[inline]
fn logistic(k: f64, y: f64) -> f64 {
    k * y * (1.0 - y)
}

/// y after each of [`STEPS`] RK4 steps.
#[jvp]
#[vjp]
fn trajectory(k: f64) -> Vec<f64> {
    let mut out = vec![0.0; STEPS];
    let mut y = Y0;
    for yi in out.iter_mut() {
        let k1 = logistic(k, y);
        let k2 = logistic(k, y + 0.5 * STEP * k1);
        let k3 = logistic(k, y + 0.5 * STEP * k2);
        let k4 = logistic(k, y + STEP * k3);
        y += STEP / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        *yi = y;
    }
    out
}

/// The column dy/dk by forward mode: one sweep.
fn column_forward(k: f64) -> Vec<f64> {
    trajectory_jvp(k, 1.0).1
}

/// The column dy/dk by reverse mode: one sweep per output, seeding the
/// output's cotangent with e_i.
fn column_reverse(k: f64) -> Vec<f64> {
    let mut seed = vec![0.0; STEPS];
    (0..STEPS)
        .map(|i| {
            seed[i] = 1.0;
            let mut k_bar = 0.0;
            trajectory_vjp(k, &mut k_bar, seed.clone());
            seed[i] = 0.0;
            k_bar
        })
        .collect()
}

/// The fastest of `reps` runs of `f` (the least disturbed by other load).
fn fastest<T>(reps: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..reps)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .expect("at least one run")
}

fn max_rel_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / x.abs().max(y.abs()).max(1e-300))
        .fold(0.0, f64::max)
}

fn main() {
    let k = RATE;
    let forward = column_forward(k);
    let reverse = column_reverse(k);
    let y = trajectory(k);

    // The checks. Forward against reverse: the same numbers by two
    // different programs, so to rounding.
    let fwd_rev = max_rel_diff(&forward, &reverse);
    // Central differences of the integrator itself.
    let h = 1e-6;
    let (yp, ym) = (trajectory(k + h), trajectory(k - h));
    let fd: Vec<f64> = yp
        .iter()
        .zip(&ym)
        .map(|(p, m)| (p - m) / (2.0 * h))
        .collect();
    let fwd_fd = max_rel_diff(&forward, &fd);
    // The exact solution y = 1 / (1 + (1/y0 − 1) e^(−kt)) has
    // dy/dk = t y (1 − y); RK4's error in it is O(STEP⁴).
    let exact: Vec<f64> = (0..STEPS)
        .map(|i| {
            let t = (i + 1) as f64 * STEP;
            let yt = 1.0 / (1.0 + (1.0 / Y0 - 1.0) * (-k * t).exp());
            t * yt * (1.0 - yt)
        })
        .collect();
    let fwd_exact = max_rel_diff(&forward, &exact);
    // A dot-product test with weights that are not unit vectors: one
    // reverse sweep gives wᵀ (dy/dk).
    let w: Vec<f64> = (0..STEPS)
        .map(|i| ((i * 7919) % 1000) as f64 / 500.0 - 1.0)
        .collect();
    let mut k_bar = 0.0;
    trajectory_vjp(k, &mut k_bar, w.clone());
    let wj: f64 = w.iter().zip(&forward).map(|(a, b)| a * b).sum();
    let dot = (k_bar - wj).abs() / wj.abs();

    // The timings: fastest of several runs each.
    let t_forward = fastest(200, || column_forward(black_box(k)));
    let t_reverse = fastest(5, || column_reverse(black_box(k)));
    let t_one_reverse = fastest(200, || {
        let mut k_bar = 0.0;
        trajectory_vjp(black_box(k), &mut k_bar, w.clone());
        k_bar
    });
    let t_primal = fastest(200, || trajectory(black_box(k)));
    let ratio = t_reverse.as_secs_f64() / t_forward.as_secs_f64();

    println!(
        "logistic growth y' = k y (1 - y), k = {k}, y(0) = {Y0}, RK4, {STEPS} steps of {STEP}"
    );
    println!(
        "y(10) = {:.6}, dy(10)/dk = {:.6} (exact solution: {:.6})",
        y[STEPS - 1],
        forward[STEPS - 1],
        exact[STEPS - 1]
    );
    println!(
        "primal trajectory:                        {:>10.1} us",
        micros(t_primal)
    );
    println!(
        "forward mode, all {STEPS} sensitivities:     {:>10.1} us  (1 sweep of trajectory_jvp)",
        micros(t_forward)
    );
    println!(
        "reverse mode, one weighted sum:           {:>10.1} us  (1 sweep of trajectory_vjp)",
        micros(t_one_reverse)
    );
    println!(
        "reverse mode, all {STEPS} sensitivities:     {:>10.1} us  ({STEPS} sweeps)",
        micros(t_reverse)
    );
    println!("ratio reverse / forward for the column:   {ratio:>10.0}x");
    println!("max relative difference, forward vs reverse:             {fwd_rev:.1e}");
    println!("max relative difference, forward vs central differences: {fwd_fd:.1e}");
    println!("max relative difference, forward vs exact dy/dk:         {fwd_exact:.1e}");
    println!("dot-product test |w.(dy/dk) - reverse(w)| / |w.(dy/dk)|: {dot:.1e}");

    assert!(
        fwd_rev <= 1e-12,
        "forward and reverse disagree: {fwd_rev:e}"
    );
    assert!(
        fwd_fd <= 1e-6,
        "forward mode and central differences disagree: {fwd_fd:e}"
    );
    assert!(
        fwd_exact <= 1e-6,
        "forward mode and the exact sensitivity disagree: {fwd_exact:e}"
    );
    assert!(dot <= 1e-12, "dot-product test failed: {dot:e}");
    // A loose bound: the column costs 1000 reverse sweeps against one
    // forward sweep, so anything near 1 would mean a measurement is wrong.
    assert!(ratio > 10.0, "reverse / forward ratio only {ratio:.1}");
    println!("ok: both modes agree, with central differences and the exact solution");
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

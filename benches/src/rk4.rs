//! Forward-mode sensitivity: one rate constant `k` drives an explicit RK4
//! integration of the logistic equation y' = k y (1 − y), and the output is
//! the whole trajectory. One input and many outputs is the shape where one
//! forward sweep (`f_jvp`) gives every output's derivative, while reverse
//! mode needs one sweep (`f_vjp`) per output.

use std::hint::black_box;

use adiff::{jvp, vjp};
#[cfg(feature = "peers")]
use num_dual::{Dual64, DualNum};

use crate::compare::{check_line, rel_diff};
use crate::{Case, Run};

/// Initial value y(0).
pub const Y0: f64 = 0.01;
/// Time step.
pub const STEP: f64 = 0.01;
/// The rate constant of the report's case.
pub const RATE: f64 = 0.8;
/// Number of RK4 steps (and outputs) in the report's case.
pub const STEPS: usize = 1_000;

/// The right-hand side of the logistic equation, k y (1 − y).
///
/// ```
/// assert_eq!(adiff_bench::rk4::logistic(2.0, 0.5), 0.5);
/// ```
#[jvp]
#[vjp]
#[inline]
#[must_use]
pub fn logistic(k: f64, y: f64) -> f64 {
    k * y * (1.0 - y)
}

/// Integrates the logistic equation from y(0) = [`Y0`] with RK4 steps of
/// [`STEP`], writing y after step i + 1 into `out[i]`.
///
/// ```
/// let mut out = [0.0; 1000];
/// adiff_bench::rk4::trajectory(0.8, &mut out);
/// // The exact solution at t = 10.
/// let exact = 1.0 / (1.0 + 99.0 * (-0.8f64 * 10.0).exp());
/// assert!((out[999] - exact).abs() < 1e-9);
/// ```
#[jvp]
#[vjp]
pub fn trajectory(k: f64, out: &mut [f64]) {
    let mut y = Y0;
    for yi in out.iter_mut() {
        let k1 = logistic(k, y);
        let k2 = logistic(k, y + 0.5 * STEP * k1);
        let k3 = logistic(k, y + 0.5 * STEP * k2);
        let k4 = logistic(k, y + STEP * k3);
        y += STEP / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        *yi = y;
    }
}

/// [`trajectory`] and, in `sens`, dy/dk along it, by the forward
/// sensitivity equations written out by hand: each stage's derivative is
/// ∂f/∂k + ∂f/∂y · (derivative of the stage's y).
///
/// ```
/// let (mut out, mut sens) = ([0.0; 10], [0.0; 10]);
/// adiff_bench::rk4::trajectory_sensitivity_by_hand(0.8, &mut out, &mut sens);
/// let (mut out2, mut sens2) = ([0.0; 10], [0.0; 10]);
/// adiff_bench::rk4::trajectory_jvp(0.8, 1.0, &mut out2, &mut sens2);
/// assert_eq!(out, out2);
/// assert!(sens.iter().zip(&sens2).all(|(a, b)| (a - b).abs() < 1e-15));
/// ```
pub fn trajectory_sensitivity_by_hand(k: f64, out: &mut [f64], sens: &mut [f64]) {
    // k y (1 − y) and its derivative d/dk when y has derivative s, by the
    // product rule on (k y)(1 − y). (Expanding it to y (1 − y) + k (1 − 2y) s
    // is a third slower: more of the work then waits on y.)
    let rate = |y: f64, s: f64| {
        let (t, dt) = (k * y, y + k * s);
        (t * (1.0 - y), dt * (1.0 - y) - s * t)
    };
    let (mut y, mut s) = (Y0, 0.0);
    for (yi, si) in out.iter_mut().zip(sens.iter_mut()) {
        let (k1, d1) = rate(y, s);
        let (k2, d2) = rate(y + 0.5 * STEP * k1, s + 0.5 * STEP * d1);
        let (k3, d3) = rate(y + 0.5 * STEP * k2, s + 0.5 * STEP * d2);
        let (k4, d4) = rate(y + STEP * k3, s + STEP * d3);
        y += STEP / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        s += STEP / 6.0 * (d1 + 2.0 * d2 + 2.0 * d3 + d4);
        *yi = y;
        *si = s;
    }
}

/// [`trajectory`] for any num-dual number type (with the `peers` feature).
///
/// ```
/// use num_dual::Dual64;
/// let mut out = [Dual64::from(0.0); 10];
/// adiff_bench::rk4::num_dual_trajectory(Dual64::new(0.8, 1.0), &mut out);
/// let (mut y, mut dy) = ([0.0; 10], [0.0; 10]);
/// adiff_bench::rk4::trajectory_jvp(0.8, 1.0, &mut y, &mut dy);
/// assert!((out[9].eps - dy[9]).abs() < 1e-15);
/// ```
#[cfg(feature = "peers")]
pub fn num_dual_trajectory<D: DualNum<Primitive = f64> + Copy>(k: D, out: &mut [D]) {
    let rate = |y: D| k * y * (-y + 1.0);
    let mut y = D::from(Y0);
    for yi in out.iter_mut() {
        let k1 = rate(y);
        let k2 = rate(y + k1 * (0.5 * STEP));
        let k3 = rate(y + k2 * (0.5 * STEP));
        let k4 = rate(y + k3 * STEP);
        y += (k1 + k2 * 2.0 + k3 * 2.0 + k4) * (STEP / 6.0);
        *yi = y;
    }
}

/// dy/dk along the trajectory by central differences: two primal runs at
/// k ± δ, into the caller's buffers.
pub fn trajectory_sensitivity_by_differences(
    k: f64,
    plus: &mut [f64],
    minus: &mut [f64],
    sens: &mut [f64],
) {
    // δ ≈ ∛ε balances truncation and rounding for a central difference.
    let delta = 6e-6 * k.abs().max(1.0);
    trajectory(k + delta, plus);
    trajectory(k - delta, minus);
    for ((s, p), m) in sens.iter_mut().zip(plus.iter()).zip(minus.iter()) {
        *s = (p - m) / (2.0 * delta);
    }
}

/// dy/dk along the trajectory by reverse mode: one `trajectory_vjp` per
/// output, with the cotangent eᵢ of output i.
pub fn trajectory_sensitivity_by_reverse(
    k: f64,
    out: &mut [f64],
    out_bar: &mut [f64],
    sens: &mut [f64],
) {
    for (i, si) in sens.iter_mut().enumerate() {
        out_bar.fill(0.0);
        out_bar[i] = 1.0;
        let mut k_bar = 0.0;
        trajectory_vjp(k, &mut k_bar, out, out_bar);
        *si = k_bar;
    }
}

/// The report's case: the trajectory, `f_jvp`, the hand-written
/// sensitivity, num-dual's `Dual64` (with the `peers` feature), central
/// differences, and reverse mode with one `f_vjp` per output.
#[must_use]
pub fn cases() -> Vec<Case> {
    vec![case(RATE, STEPS)]
}

/// The case for rate `k` and `steps` steps.
#[must_use]
pub fn case(k: f64, steps: usize) -> Case {
    let mut out = vec![0.0; steps];
    trajectory(k, &mut out);
    let mut hand = vec![0.0; steps];
    let mut hand_out = vec![0.0; steps];
    trajectory_sensitivity_by_hand(k, &mut hand_out, &mut hand);
    let mut jvp_out = vec![0.0; steps];
    let mut jvp = vec![0.0; steps];
    trajectory_jvp(k, 1.0, &mut jvp_out, &mut jvp);
    let (mut plus, mut minus, mut fd) = (vec![0.0; steps], vec![0.0; steps], vec![0.0; steps]);
    trajectory_sensitivity_by_differences(k, &mut plus, &mut minus, &mut fd);
    let (mut rev_out, mut out_bar, mut rev) =
        (vec![0.0; steps], vec![0.0; steps], vec![0.0; steps]);
    trajectory_sensitivity_by_reverse(k, &mut rev_out, &mut out_bar, &mut rev);
    let mut checks = vec![
        check_line("f_jvp values vs f", rel_diff(&jvp_out, &out), 0.0),
        check_line("f_jvp vs hand sensitivity", rel_diff(&jvp, &hand), 1e-13),
    ];
    #[cfg(feature = "peers")]
    let mut duals = {
        let mut duals = vec![Dual64::from(0.0); steps];
        num_dual_trajectory(Dual64::new(k, 1.0), &mut duals);
        let dual_eps: Vec<f64> = duals.iter().map(|d| d.eps).collect();
        checks.push(check_line(
            "num-dual Dual64 vs hand",
            rel_diff(&dual_eps, &hand),
            1e-13,
        ));
        duals
    };
    checks.push(check_line(
        "central differences vs hand",
        rel_diff(&fd, &hand),
        1e-7,
    ));
    checks.push(check_line(
        "reverse (one f_vjp per output) vs hand",
        rel_diff(&rev, &hand),
        1e-13,
    ));

    let mut runs = vec![
        Run::new("f", move || {
            trajectory(black_box(k), &mut out);
            out[steps - 1]
        }),
        Run::new("adiff f_jvp", move || {
            trajectory_jvp(black_box(k), 1.0, &mut jvp_out, &mut jvp);
            jvp[steps - 1]
        }),
        Run::new("hand", move || {
            trajectory_sensitivity_by_hand(black_box(k), &mut hand_out, &mut hand);
            hand[steps - 1]
        }),
    ];
    #[cfg(feature = "peers")]
    runs.push(Run::new("num-dual Dual64", move || {
        num_dual_trajectory(Dual64::new(black_box(k), 1.0), &mut duals);
        duals[steps - 1].eps
    }));
    runs.extend([
        Run::new("central differences", move || {
            trajectory_sensitivity_by_differences(black_box(k), &mut plus, &mut minus, &mut fd);
            fd[steps - 1]
        }),
        Run::new(format!("adiff f_vjp x{steps}"), move || {
            trajectory_sensitivity_by_reverse(black_box(k), &mut rev_out, &mut out_bar, &mut rev);
            rev[steps - 1]
        }),
    ]);
    Case {
        benchmark: format!("rk4_sensitivity_{steps}"),
        detail: format!(
            "logistic y' = k y (1 - y), k = {k}, y(0) = {Y0}, {steps} RK4 steps of {STEP}; \
             output: the whole trajectory; every run computes dy/dk at all {steps} points"
        ),
        runs,
        checks,
    }
}

//! Nonlinear least squares: a damped oscillation
//! y(t) = a·e^(−b·t)·cos(c·t + d) fitted to 60 samples with the
//! `levenberg-marquardt` crate, the residuals' Jacobian coming only from
//! `#[jacobian]`'s `residuals_jacobian` (converted to a `nalgebra::DMatrix`).
//!
//! Run with `cargo run --release --features nalgebra --example curve_fit`.
//!
//! Checked at the end (the example panics if a check fails): at the start
//! point the Jacobian agrees with central differences of `residuals` (largest
//! difference ≤ 1e-6 × largest entry), Levenberg–Marquardt reports success,
//! and, the data being noise-free, every fitted parameter is within 1e-8
//! (relative) of the one that generated the data.

use adiff::jacobian;
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::{storage::Owned, DMatrix, DVector, Dyn};
use std::cell::Cell;

/// The parameters that made the data, (a, b, c, d).
const TRUTH: [f64; 4] = [2.5, 0.4, 3.0, 0.5];
/// Where the fit starts: every parameter off, the frequency by 20%.
const START: [f64; 4] = [1.0, 1.0, 2.4, 0.0];
const SAMPLES: usize = 60;

/// Model minus data at each sample time. `wrt(p)`: only the four parameters
/// get Jacobian columns; the sample times and values are data. For 60 rows
/// and 4 columns, `residuals_jacobian` runs `residuals` once (the `Vec`'s
/// length is the row count) and then one width-8 forward sweep.
#[jacobian(wrt(p))]
fn residuals(p: &[f64; 4], t: &[f64], y: &[f64]) -> Vec<f64> {
    let mut r = Vec::with_capacity(t.len());
    for i in 0..t.len() {
        r.push(p[0] * (-p[1] * t[i]).exp() * (p[2] * t[i] + p[3]).cos() - y[i]);
    }
    r
}

/// The problem as `levenberg-marquardt` sees it: m = 60 residuals, n = 4
/// parameters, both sized at run time.
struct Fit<'a> {
    p: [f64; 4],
    t: &'a [f64],
    y: &'a [f64],
    /// Jacobians computed: one per Levenberg–Marquardt iteration.
    jacobians: Cell<usize>,
}

impl LeastSquaresProblem<f64, Dyn, Dyn> for Fit<'_> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, p: &DVector<f64>) {
        self.p.copy_from_slice(p.as_slice());
    }

    fn params(&self) -> DVector<f64> {
        DVector::from_column_slice(&self.p)
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        Some(DVector::from_vec(residuals(&self.p, self.t, self.y)))
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        self.jacobians.set(self.jacobians.get() + 1);
        let (_, j) = residuals_jacobian(&self.p, self.t, self.y);
        Some(DMatrix::from(j))
    }
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn main() {
    let t: Vec<f64> = (0..SAMPLES).map(|i| 0.1 * i as f64).collect();
    // Noise-free data: the model at the true parameters (residuals of zero data).
    let y = residuals(&TRUTH, &t, &vec![0.0; SAMPLES]);

    // The Jacobian at the start point against central differences.
    let (r0, j0) = residuals_jacobian(&START, &t, &y);
    assert_eq!((j0.rows(), j0.cols()), (SAMPLES, 4));
    let scale = j0.as_slice().iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    let mut fd_diff = 0.0_f64;
    for k in 0..4 {
        let h = 1e-6 * START[k].abs().max(1.0);
        let (mut plus, mut minus) = (START, START);
        plus[k] += h;
        minus[k] -= h;
        let (rp, rm) = (residuals(&plus, &t, &y), residuals(&minus, &t, &y));
        for i in 0..SAMPLES {
            let fd = (rp[i] - rm[i]) / (2.0 * h);
            fd_diff = fd_diff.max((fd - j0[(i, k)]).abs());
        }
    }

    let fit = Fit {
        p: START,
        t: &t,
        y: &y,
        jacobians: Cell::new(0),
    };
    let (fit, report) = LevenbergMarquardt::new().minimize(fit);
    let error = (0..4)
        .map(|k| ((fit.p[k] - TRUTH[k]) / TRUTH[k]).abs())
        .fold(0.0_f64, f64::max);

    println!("y(t) = a exp(-b t) cos(c t + d), {SAMPLES} noise-free samples, t in [0, 5.9]");
    println!("start (a, b, c, d): {START:?}, |r| = {:.3e}", norm(&r0));
    println!("Jacobian at start:  max |J - central differences| = {fd_diff:.1e} (largest entry {scale:.2})");
    println!("termination:        {:?}", report.termination);
    println!(
        "iterations:         {} (Jacobians), {} residual evaluations",
        fit.jacobians.get(),
        report.number_of_evaluations
    );
    println!(
        "final |r|:          {:.3e}",
        norm(&residuals(&fit.p, &t, &y))
    );
    println!("recovered:          {:?}", fit.p);
    println!("truth:              {TRUTH:?}");
    println!("max relative error: {error:.1e}");

    assert!(
        fd_diff <= 1e-6 * scale,
        "f_jacobian differs from central differences by {fd_diff:e} (largest entry {scale:e})"
    );
    assert!(
        report.termination.was_successful(),
        "Levenberg-Marquardt failed: {:?}",
        report.termination
    );
    assert!(
        error <= 1e-8,
        "max relative parameter error {error:e} > 1e-8"
    );
    println!("ok: Jacobian = central differences to 1e-6, parameters recovered to 1e-8");
}

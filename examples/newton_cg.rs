//! argmin's Newton-CG with second derivatives from `#[hvp]`, through
//! `adiff::argmin::NewtonProblem`: the conjugate gradient inner loop
//! multiplies by the Hessian, one `_hvp` sweep per product, and the
//! Hessian is never formed.
//!
//! Run with `cargo run --release --example newton_cg --features argmin`.
//!
//! 1. L2-regularised logistic regression (200 samples, 20 features), the
//!    classic use of Newton-CG: it must stop on its own within 50
//!    iterations (its test is the change of the cost, below machine
//!    epsilon) with a gradient norm below 1e-7.
//! 2. Rosenbrock in 10 dimensions, 30 Newton-CG iterations with the
//!    products from `#[hvp]` and, separately, with the closed-form dense
//!    Hessian of `argmin_testfunctions`: the iterates must agree to 1e-9.
//!    (Newton-CG with argmin's More–Thuente line search is slow on
//!    Rosenbrock from the standard start either way; the point here is
//!    that the products are the Hessian's.)
//!
//! The example panics if a check fails.

use adiff::argmin::NewtonProblem;
use adiff::{grad, hvp};
use argmin::core::{CostFunction, Error, Executor, Gradient, Hessian, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::newton::NewtonCG;
use std::cell::Cell;

const SAMPLES: usize = 200;
const FEATURES: usize = 20;

/// The mean logistic loss of the weights `w` on `samples` rows of
/// `features` in `x` (row-major) with labels `y` in {0, 1}, plus
/// `lambda/2 · ‖w‖²`.
#[grad(wrt(w))]
#[hvp(wrt(w))]
fn logistic(w: &[f64], x: &[f64], y: &[f64], lambda: f64) -> f64 {
    let (m, d) = (y.len(), w.len());
    let mut loss = 0.0;
    for i in 0..m {
        let mut z = 0.0;
        for j in 0..d {
            z += x[i * d + j] * w[j];
        }
        // log(1 + e^z) − y·z, written to stay finite for large |z|.
        let softplus = if z > 0.0 {
            z + (-z).exp().ln_1p()
        } else {
            z.exp().ln_1p()
        };
        loss += softplus - y[i] * z;
    }
    let mut reg = 0.0;
    for &wj in w {
        reg += wj * wj;
    }
    loss / m as f64 + 0.5 * lambda * reg
}

/// Rosenbrock's function, Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])².
#[grad]
#[hvp]
fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = x[i + 1] - x[i] * x[i];
        let b = 1.0 - x[i];
        s += 100.0 * a * a + b * b;
    }
    s
}

/// Rosenbrock with argmin_testfunctions' closed-form derivatives and dense
/// Hessian, for comparison.
struct DenseRosenbrock;

impl CostFunction for DenseRosenbrock {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, Error> {
        Ok(argmin_testfunctions::rosenbrock(p))
    }
}

impl Gradient for DenseRosenbrock {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, Error> {
        Ok(argmin_testfunctions::rosenbrock_derivative(p))
    }
}

impl Hessian for DenseRosenbrock {
    type Param = Vec<f64>;
    type Hessian = Vec<Vec<f64>>;
    fn hessian(&self, p: &Vec<f64>) -> Result<Vec<Vec<f64>>, Error> {
        Ok(argmin_testfunctions::rosenbrock_hessian(p))
    }
}

/// A deterministic stream in [−1, 1) (a linear congruential generator).
fn stream(seed: u64) -> impl FnMut() -> f64 {
    let mut s = seed;
    move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

fn logistic_regression() -> Result<(), Error> {
    let mut r = stream(7);
    let truth: Vec<f64> = (0..FEATURES).map(|_| 2.0 * r()).collect();
    let x: Vec<f64> = (0..SAMPLES * FEATURES).map(|_| r()).collect();
    let y: Vec<f64> = (0..SAMPLES)
        .map(|i| {
            let z: f64 = (0..FEATURES).map(|j| x[i * FEATURES + j] * truth[j]).sum();
            // Labels from the model, with some flipped by noise.
            if z + 0.5 * r() > 0.0 {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    let lambda = 1e-2;
    let products = Cell::new(0usize);
    let problem = NewtonProblem::new(
        |w: &[f64]| logistic(w, &x, &y, lambda),
        |w: &[f64]| logistic_grad(w, &x, &y, lambda),
        |w: &[f64], v: &[f64]| {
            products.set(products.get() + 1);
            logistic_hvp(w, v, &x, &y, lambda)
        },
    );
    let result = Executor::new(problem, NewtonCG::new(MoreThuenteLineSearch::new()))
        .configure(|state| state.param(vec![0.0; FEATURES]).max_iters(50))
        .run()?;
    let state = result.state();
    let w = state.get_best_param().expect("a best point");
    let (loss, g) = logistic_grad(w, &x, &y, lambda);
    let norm = g.iter().map(|gi| gi * gi).sum::<f64>().sqrt();
    println!(
        "logistic regression ({SAMPLES} × {FEATURES}): {} Newton-CG iterations, {} Hessian-vector products, loss {loss:.6}, gradient norm {norm:.2e}, stopped: {:?}",
        state.get_iter(),
        products.get(),
        state.get_termination_status()
    );
    assert!(state.get_iter() < 50, "Newton-CG did not stop");
    assert!(norm < 1e-7, "gradient norm {norm:e} at the end");
    Ok(())
}

fn same_iterates_as_the_dense_hessian() -> Result<(), Error> {
    let start: Vec<f64> = (0..10)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect();
    let ours = Executor::new(
        NewtonProblem::new(rosenbrock, rosenbrock_grad, rosenbrock_hvp),
        NewtonCG::new(MoreThuenteLineSearch::new()),
    )
    .configure(|state| state.param(start.clone()).max_iters(30))
    .run()?;
    let dense = Executor::new(DenseRosenbrock, NewtonCG::new(MoreThuenteLineSearch::new()))
        .configure(|state| state.param(start).max_iters(30))
        .run()?;
    let a = ours.state().get_param().expect("a point");
    let b = dense.state().get_param().expect("a point");
    let gap = a
        .iter()
        .zip(b)
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f64::max);
    println!(
        "Rosenbrock (n = 10), 30 Newton-CG iterations: cost {:.6e} with #[hvp] products, {:.6e} with the dense closed-form Hessian; largest difference of the iterates {gap:.1e}",
        ours.state().get_cost(),
        dense.state().get_cost()
    );
    assert!(gap < 1e-9, "the iterates differ by {gap:e}");
    Ok(())
}

fn main() -> Result<(), Error> {
    logistic_regression()?;
    same_iterates_as_the_dense_hessian()
}

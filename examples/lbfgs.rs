//! Rosenbrock's function in 100 dimensions minimised with argmin's L-BFGS,
//! the gradient coming from `#[grad]` through `adiff::argmin::Problem`.
//!
//! Run with `cargo run --release --example lbfgs --features argmin`.
//!
//! Convergence criterion, checked at the end (the example panics if it
//! fails): L-BFGS stops on its own (`SolverConverged`, gradient norm below
//! 1e-12) within 1000 iterations, and the best point is within 1e-8 of the
//! minimiser (1, ..., 1) in every coordinate.

use adiff::argmin::Problem;
use adiff::grad;
use argmin::core::{Executor, State, TerminationReason};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use std::time::Instant;

const N: usize = 100;

/// The extended Rosenbrock function, Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])²;
/// minimum 0 at x = (1, ..., 1).
#[grad]
fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = x[i + 1] - x[i] * x[i];
        let b = 1.0 - x[i];
        s += 100.0 * a * a + b * b;
    }
    s
}

fn main() -> Result<(), argmin::core::Error> {
    // The classic start (−1.2, 1, −1.2, 1, ...).
    let x0: Vec<f64> = (0..N)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect();
    // A gradient tolerance far below the default (√ε) and no cost
    // tolerance, so the solver runs until the point itself is accurate.
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-12)?
        .with_tolerance_cost(0.0)?;
    let start = Instant::now();
    let result = Executor::new(Problem::new(rosenbrock, rosenbrock_grad), solver)
        .configure(|state| state.param(x0).max_iters(1000).counting(true))
        .run()?;
    let elapsed = start.elapsed();

    let state = result.state();
    let best = state.get_best_param().expect("L-BFGS keeps its best point");
    let error = best.iter().map(|xi| (xi - 1.0).abs()).fold(0.0, f64::max);
    let (_, gradient) = rosenbrock_grad(best);
    let gradient_norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
    let counts = state.get_func_counts();
    println!("Rosenbrock, n = {N}, L-BFGS (memory 10, More-Thuente line search)");
    println!("iterations:           {}", state.get_iter());
    println!(
        "evaluations:          {} cost, {} gradient",
        counts["cost_count"], counts["gradient_count"]
    );
    println!("termination:          {:?}", state.get_termination_reason());
    println!("final cost:           {:e}", state.get_best_cost());
    println!("final |grad|:         {gradient_norm:e}");
    println!("final error:          max |x_i - 1| = {error:e}");
    println!(
        "time:                 {:.1} ms",
        elapsed.as_secs_f64() * 1e3
    );

    assert_eq!(
        state.get_termination_reason(),
        Some(&TerminationReason::SolverConverged),
        "L-BFGS did not converge"
    );
    assert!(error <= 1e-8, "max |x_i - 1| = {error:e} > 1e-8");
    println!("ok: converged to 1e-8");
    Ok(())
}

//! `adiff::argmin` (feature `argmin`; the `DVector` cases need `nalgebra`):
//! the problem's cost and gradient are the annotated function's, checked
//! against the closed-form derivative of `argmin_testfunctions` and central
//! differences, and argmin's L-BFGS converges through it.
//!
//! argmin's `Vec<f64>` and `DVector<f64>` backends are `f64`, so unlike the
//! other behaviour tests this file has no `f32` suite.
#![cfg(feature = "argmin")]

use adiff::argmin::{ArgminDot, NewtonProblem, Problem};
use adiff::{grad, hvp};
use approx::assert_relative_eq;
use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;

/// The extended Rosenbrock function, Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])².
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

/// The classic start (−1.2, 1, −1.2, 1, ...).
fn start(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

fn max_error(x: &[f64]) -> f64 {
    x.iter().map(|xi| (xi - 1.0).abs()).fold(0.0, f64::max)
}

#[test]
fn cost_and_gradient_are_the_annotated_functions() {
    let problem = Problem::new(rosenbrock, rosenbrock_grad);
    let x: Vec<f64> = (0..7).map(|i| 0.3 * i as f64 - 0.8).collect();
    assert_eq!(problem.cost(&x).unwrap(), rosenbrock(&x));
    let g = problem.gradient(&x).unwrap();
    // Closed form, hand-written in argmin_testfunctions.
    let exact = argmin_testfunctions::rosenbrock_derivative(&x);
    assert_eq!(g.len(), x.len());
    for (gi, ei) in g.iter().zip(&exact) {
        assert_relative_eq!(*gi, *ei, max_relative = 1e-12, epsilon = 1e-12);
    }
    // Central differences along each axis.
    let h = 1e-6;
    for i in 0..x.len() {
        let (mut xp, mut xm) = (x.clone(), x.clone());
        xp[i] += h;
        xm[i] -= h;
        let fd = (rosenbrock(&xp) - rosenbrock(&xm)) / (2.0 * h);
        assert_relative_eq!(g[i], fd, max_relative = 1e-6, epsilon = 1e-6);
    }
}

#[test]
fn lbfgs_converges_on_rosenbrock_100() {
    let problem = Problem::new(rosenbrock, rosenbrock_grad);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-12)
        .unwrap()
        .with_tolerance_cost(0.0)
        .unwrap();
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(start(100)).max_iters(2000))
        .run()
        .unwrap();
    let state = result.state();
    assert_eq!(
        state.get_termination_reason(),
        Some(&TerminationReason::SolverConverged),
        "stopped after {} iterations",
        state.get_iter()
    );
    let best = state.get_best_param().unwrap();
    assert!(
        max_error(best) <= 1e-8,
        "max |x_i - 1| = {:e}",
        max_error(best)
    );
    assert!(state.get_best_cost() <= 1e-16);
}

#[test]
fn a_gradient_of_the_wrong_length_is_an_error() {
    let problem = Problem::new(rosenbrock, |x: &[f64]| (rosenbrock(x), vec![0.0; 2]));
    let err = problem.gradient(&vec![0.0; 3]).unwrap_err();
    assert!(
        err.to_string().contains("2 entries for a parameter of 3"),
        "{err}"
    );
}

#[test]
fn closures_capturing_data_are_problems() {
    // A constant shift: rosenbrock(x + c) has its minimum at 1 − c.
    let c = [0.5, -0.25, 0.125, 1.0];
    let shifted = |x: &[f64]| -> Vec<f64> { x.iter().zip(&c).map(|(a, b)| a + b).collect() };
    let problem = Problem::new(
        |x: &[f64]| rosenbrock(&shifted(x)),
        |x: &[f64]| rosenbrock_grad(&shifted(x)),
    );
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 5);
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(vec![0.0; 4]).max_iters(500))
        .run()
        .unwrap();
    let best = result.state().get_best_param().unwrap();
    for (xi, ci) in best.iter().zip(&c) {
        assert_relative_eq!(*xi, 1.0 - ci, epsilon = 1e-6);
    }
}

#[test]
fn problems_of_functions_are_send_and_sync() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    send_sync(&Problem::new(rosenbrock, rosenbrock_grad));
}

#[cfg(feature = "nalgebra")]
mod dvector {
    use super::*;
    use nalgebra::DVector;

    #[test]
    fn the_gradient_is_the_vec_problems() {
        let x: Vec<f64> = (0..6).map(|i| 0.4 * i as f64 - 1.0).collect();
        let on_vec = Problem::new(rosenbrock, rosenbrock_grad);
        let on_dvector = Problem::dvector(rosenbrock, rosenbrock_grad);
        let xd = DVector::from_vec(x.clone());
        assert_eq!(on_dvector.cost(&xd).unwrap(), on_vec.cost(&x).unwrap());
        let g = on_dvector.gradient(&xd).unwrap();
        assert_eq!(g.as_slice(), on_vec.gradient(&x).unwrap().as_slice());
    }

    #[test]
    fn lbfgs_converges_on_dvector() {
        let problem = Problem::dvector(rosenbrock, rosenbrock_grad);
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(1e-12)
            .unwrap()
            .with_tolerance_cost(0.0)
            .unwrap();
        let result = Executor::new(problem, solver)
            .configure(|state| state.param(DVector::from_vec(start(50))).max_iters(2000))
            .run()
            .unwrap();
        let best = result.state().get_best_param().unwrap();
        assert!(max_error(best.as_slice()) <= 1e-8);
    }
}

#[test]
fn newton_problem_products_are_the_closed_form_hessians() {
    use argmin::core::Hessian;
    let problem = NewtonProblem::new(rosenbrock, rosenbrock_grad, rosenbrock_hvp);
    for n in [2, 7, 30] {
        let x: Vec<f64> = (0..n).map(|i| 0.3 * (i as f64).sin() - 0.2).collect();
        let v: Vec<f64> = (0..n).map(|i| 1.0 - 0.1 * i as f64).collect();
        let dense = argmin_testfunctions::rosenbrock_hessian(&x);
        let h = problem.hessian(&x).unwrap();
        assert_eq!(h.point(), &x[..]);
        let hv = h.clone().dot(&v);
        for i in 0..n {
            let want: f64 = (0..n).map(|j| dense[i][j] * v[j]).sum();
            assert_relative_eq!(hv[i], want, max_relative = 1e-12, epsilon = 1e-12);
        }
        assert_eq!(problem.cost(&x).unwrap(), rosenbrock(&x));
        assert_eq!(problem.gradient(&x).unwrap(), rosenbrock_grad(&x).1);
    }
}

#[test]
#[should_panic(expected = "a direction of 2 entries at a point of 3")]
fn a_direction_of_the_wrong_length_panics() {
    use argmin::core::Hessian;
    let problem = NewtonProblem::new(rosenbrock, rosenbrock_grad, rosenbrock_hvp);
    let h = problem.hessian(&vec![0.0; 3]).unwrap();
    let _ = h.dot(&vec![1.0, 2.0]);
}

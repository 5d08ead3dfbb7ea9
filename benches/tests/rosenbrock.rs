//! Every Rosenbrock derivative agrees with the others and with central
//! finite differences. The peer crates' derivatives are checked with the
//! `peers` feature only; every check of adiff's own derivatives runs
//! without it.

use adiff_bench::rosenbrock::*;
use approx::assert_relative_eq;
#[cfg(feature = "peers")]
use nalgebra::{DVector, SVector};
#[cfg(feature = "peers")]
use num_dual::Dual64;

/// A point away from the minimum, with no symmetry between coordinates.
fn point(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| -1.2 + 0.37 * i as f64 - 0.011 * (i * i) as f64)
        .collect()
}

fn central_difference_gradient(x: &[f64]) -> Vec<f64> {
    let mut xp = x.to_vec();
    (0..x.len())
        .map(|i| {
            let h = 1e-6 * x[i].abs().max(1.0);
            xp[i] = x[i] + h;
            let up = rosenbrock(&xp);
            xp[i] = x[i] - h;
            let down = rosenbrock(&xp);
            xp[i] = x[i];
            (up - down) / (2.0 * h)
        })
        .collect()
}

#[test]
fn gradients_agree_with_each_other_and_with_differences() {
    let x = point(10);
    let value = rosenbrock(&x);
    let (v, grad) = rosenbrock_grad(&x);
    assert_relative_eq!(v, value, max_relative = 1e-15);

    let mut vjp = vec![0.0; 10];
    assert_relative_eq!(
        rosenbrock_vjp(&x, &mut vjp, 1.0),
        value,
        max_relative = 1e-15
    );
    assert_relative_eq!(&vjp[..], &grad[..], max_relative = 1e-15);

    let mut hand = vec![0.0; 10];
    assert_relative_eq!(
        rosenbrock_grad_by_hand(&x, &mut hand),
        value,
        max_relative = 1e-15
    );
    assert_relative_eq!(&hand[..], &grad[..], max_relative = 1e-13);

    let fd = central_difference_gradient(&x);
    assert_relative_eq!(&fd[..], &grad[..], max_relative = 1e-6, epsilon = 1e-6);
}

#[cfg(feature = "peers")]
#[test]
fn peer_gradients_agree_with_f_grad() {
    let x = point(10);
    let value = rosenbrock(&x);
    let (_, grad) = rosenbrock_grad(&x);

    let (v, g) = num_dual_gradient(&SVector::<f64, 10>::from_column_slice(&x));
    assert_relative_eq!(v, value, max_relative = 1e-15);
    assert_relative_eq!(g.as_slice(), &grad[..], max_relative = 1e-13);
    let (v, g) = num_dual_gradient(&DVector::from_column_slice(&x));
    assert_relative_eq!(v, value, max_relative = 1e-15);
    assert_relative_eq!(g.as_slice(), &grad[..], max_relative = 1e-13);

    let (v, j) = ad_trait_engine(10).derivative(&x);
    assert_relative_eq!(v[0], value, max_relative = 1e-15);
    assert_relative_eq!(j.as_slice(), &grad[..], max_relative = 1e-13);

    let tape = reverse::Tape::new();
    let (v, g) = reverse_gradient(&tape, &x);
    assert_relative_eq!(v, value, max_relative = 1e-15);
    assert_relative_eq!(&g[..], &grad[..], max_relative = 1e-13);
    // The tape is reused: a second call gives the same result.
    assert_eq!(reverse_gradient(&tape, &x).1, g);
}

#[test]
fn forward_mode_agrees_with_the_gradient() {
    let x = point(10);
    let dir: Vec<f64> = (0..10).map(|i| 0.5 - 0.1 * i as f64).collect();
    let (v, t) = rosenbrock_jvp(&x, &dir);
    assert_relative_eq!(v, rosenbrock(&x), max_relative = 1e-15);

    let (_, grad) = rosenbrock_grad(&x);
    let directional: f64 = grad.iter().zip(&dir).map(|(g, d)| g * d).sum();
    assert_relative_eq!(t, directional, max_relative = 1e-12);
}

#[cfg(feature = "peers")]
#[test]
fn dual_numbers_agree_with_forward_mode() {
    let x = point(10);
    let dir: Vec<f64> = (0..10).map(|i| 0.5 - 0.1 * i as f64).collect();
    let (v, t) = rosenbrock_jvp(&x, &dir);

    let duals: Vec<Dual64> = x
        .iter()
        .zip(&dir)
        .map(|(&a, &d)| Dual64::new(a, d))
        .collect();
    let y = num_dual_rosenbrock(&duals);
    assert_relative_eq!(y.re, v, max_relative = 1e-15);
    assert_relative_eq!(y.eps, t, max_relative = 1e-13);
}

#[test]
fn report_case_checks_pass() {
    let case = case(10);
    assert_eq!(case.runs[0].label, "f");
    assert!(!case.checks.is_empty());
    for check in &case.checks {
        assert!(check.ends_with(" ok"), "{check}");
    }
    // Our own checks are always there; the peers' exactly with the feature.
    for own in ["f_grad vs hand", "f_vjp vs f_grad", "f_jvp vs hand"] {
        assert!(
            case.checks.iter().any(|c| c.starts_with(own)),
            "missing check {own}"
        );
    }
    for peer in ["num-dual", "ad_trait", "reverse"] {
        assert_eq!(
            case.runs.iter().any(|r| r.label.starts_with(peer)),
            adiff_bench::PEERS,
            "runs of {peer}"
        );
        assert_eq!(
            case.checks.iter().any(|c| c.starts_with(peer)),
            adiff_bench::PEERS,
            "checks of {peer}"
        );
    }
    // Every run computes the same value (f, or value plus a derivative
    // entry), so a run that does nothing would show up here.
    for mut run in case.runs {
        assert!((run.call)().is_finite(), "{}", run.label);
    }
}

//! Generated code is warning-free under the strictest lints: this file
//! denies all warnings, `clippy::all` and `clippy::pedantic`, and CI runs
//! clippy on it with `-D warnings`.
#![deny(warnings, clippy::all, clippy::pedantic)]

use autodiff::{grad, jvp, vjp};

/// A loss over a slice, with a branch and a loop.
#[jvp]
#[grad]
fn loss(scale: f64, w: &[f64]) -> f64 {
    let mut total = 0.0;
    for &wi in w {
        let z = scale * wi;
        total += if z > 0.0 { z.ln_1p() } else { z.exp() - 1.0 };
    }
    total
}

/// An in-place update with an early exit.
#[jvp]
#[vjp]
fn relax(state: &mut [f64], rate: f64) {
    for s in state.iter_mut() {
        if *s > 10.0 {
            return;
        }
        *s += rate * s.sin();
    }
}

/// A tuple output.
#[jvp]
#[vjp]
fn polar(x: f64, y: f64) -> (f64, f64) {
    (x.hypot(y), y.atan2(x))
}

#[test]
fn strictly_linted_functions_work() {
    let weights = [0.5, -1.0, 2.0];
    let (value, (grad_scale, grad_weights)) = loss_grad(1.5, &weights);
    let (value_fwd, dscale) = loss_jvp(1.5, 1.0, &weights, &[0.0; 3]);
    assert!((value - loss(1.5, &weights)).abs() < 1e-15 && (value - value_fwd).abs() < 1e-15);
    assert!((grad_scale - dscale).abs() < 1e-12);
    assert_eq!(grad_weights.len(), 3);

    let mut state = [0.1, 0.2];
    relax(&mut state, 0.5);
    let mut fwd_state = [0.1, 0.2];
    let mut state_dot = [1.0, 0.0];
    relax_jvp(&mut fwd_state, &mut state_dot, 0.5, 0.0);
    assert!(state
        .iter()
        .zip(&fwd_state)
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    let mut rev_state = [0.1, 0.2];
    let mut state_bar = [1.0, 0.0];
    let mut rate_bar = 0.0;
    relax_vjp(&mut rev_state, &mut state_bar, 0.5, &mut rate_bar);
    assert!((state_bar[0] - state_dot[0]).abs() < 1e-12);

    let (radius, angle) = polar(3.0, 4.0);
    let ((radius_fwd, _), (radius_dot, _)) = polar_jvp(3.0, 1.0, 4.0, 0.0);
    assert!((radius - 5.0).abs() < 1e-12 && (radius_fwd - radius).abs() < 1e-15 && angle > 0.0);
    assert!((radius_dot - 0.6).abs() < 1e-12);
    let (mut x_bar, mut y_bar) = (0.0, 0.0);
    polar_vjp(3.0, &mut x_bar, 4.0, &mut y_bar, (1.0, 0.0));
    assert!((x_bar - 0.6).abs() < 1e-12 && (y_bar - 0.8).abs() < 1e-12);
}

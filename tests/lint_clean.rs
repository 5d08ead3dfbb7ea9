//! Generated code is warning-free under the strictest lints: this file
//! denies all warnings, `clippy::all` and `clippy::pedantic`, and CI runs
//! clippy on it with `-D warnings`.
#![deny(warnings, clippy::all, clippy::pedantic)]

use adiff::{grad, jacobian, jvp, vjp};

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

/// Vector mode and a Jacobian, with an in-out buffer and a `Vec` result.
#[jvp(vector)]
#[must_use]
fn spread(x: &[f64], out: &mut [f64]) -> Vec<f64> {
    let mut v = vec![0.0; x.len()];
    for i in 0..x.len() {
        out[i % out.len()] *= x[i].cos();
        v[i] = x[i] * out[0];
    }
    v
}

/// A Jacobian of fixed shape, through a call to a function with one.
#[jacobian]
#[must_use]
fn twist(p: [f64; 2]) -> [f64; 3] {
    let r = radius(p[0], p[1]);
    [r, p[0] * r, (p[1] - p[0]).sin()]
}

#[jacobian]
#[must_use]
fn radius(a: f64, b: f64) -> f64 {
    a.hypot(b)
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

/// Range patterns on an unsigned integer, and a constant added to a
/// running value (its tangent is unchanged).
#[jvp]
#[vjp]
fn banded(x: f64, n: usize) -> f64 {
    let mut acc = x * x;
    acc += 2.0;
    let w = match n {
        0..=2 => x,
        3..10 => x.sin(),
        _ => 1.0,
    };
    acc * w
}

/// A lint the user silenced on the function stays silenced on its
/// derivatives, which contain the same cast; `expect` becomes `allow` there.
#[allow(clippy::cast_precision_loss)]
#[jvp]
#[grad]
fn scaled(x: f64, n: usize) -> f64 {
    x * n as f64
}

#[expect(clippy::cast_precision_loss)]
#[jvp]
#[vjp]
fn scaled_expect(x: f64, n: usize) -> f64 {
    x * n as f64
}

#[test]
fn silenced_lints_and_range_patterns() {
    for n in [0, 2, 3, 9, 10] {
        let x = 0.7;
        let (value, dx) = banded_jvp(x, 1.0, n);
        let mut x_bar = 0.0;
        let value_rev = banded_vjp(x, &mut x_bar, n, 1.0);
        let expected = match n {
            0..=2 => 3.0 * x * x + 2.0,
            3..=9 => 2.0 * x * x.sin() + (x * x + 2.0) * x.cos(),
            _ => 2.0 * x,
        };
        assert!((value - banded(x, n)).abs() < 1e-15 && (value_rev - value).abs() < 1e-15);
        assert!((dx - expected).abs() < 1e-12, "n = {n}: {dx} vs {expected}");
        assert!((x_bar - expected).abs() < 1e-12);
    }
    assert!((scaled_jvp(2.0, 1.0, 3).0 - scaled(2.0, 3)).abs() < 1e-15);
    assert!((scaled_expect_jvp(2.0, 1.0, 3).0 - scaled_expect(2.0, 3)).abs() < 1e-15);
    assert!((scaled_jvp(2.0, 1.0, 3).1 - 3.0).abs() < 1e-15);
    assert!((scaled_grad(2.0, 3).1 - 3.0).abs() < 1e-15);
    assert!((scaled_expect_jvp(2.0, 1.0, 4).1 - 4.0).abs() < 1e-15);
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

    let mut buf = [1.0, 2.0];
    let mut buf_dot = [adiff::Lanes::<f64, 2>::zero(); 2];
    let x_dot = [adiff::Lanes([1.0, 0.0]), adiff::Lanes([0.0, 1.0])];
    let (v, v_dot) = spread_jvpw::<2>(&[0.5, 0.25], &x_dot, &mut buf, &mut buf_dot);
    assert_eq!(v, spread(&[0.5, 0.25], &mut [1.0, 2.0]));
    assert_eq!(v.len(), v_dot.len());
    let (t, j) = twist_jacobian([3.0, 4.0]);
    assert!((t[0] - 5.0).abs() < 1e-12 && (j[(0, 0)] - 0.6).abs() < 1e-12);
    let (r, jr) = radius_jacobian(3.0, 4.0);
    assert!((r - 5.0).abs() < 1e-12 && (jr[(0, 1)] - 0.8).abs() < 1e-12);
}

/// `std::mem::swap` and `Vec::push` in both modes: their derivatives are
/// lint-clean too (the reverse sweep's swap of the adjoints).
#[jvp]
#[vjp]
fn swapped(x: f64, y: f64) -> f64 {
    let (mut first, mut second) = (x, y * y);
    std::mem::swap(&mut first, &mut second);
    let mut pair = [first, second];
    let mut other = [x, y];
    std::mem::swap(&mut pair[0], &mut other[1]);
    std::mem::swap(&mut pair[0], &mut other[1]);
    pair.swap(0, 1);
    pair.swap(0, 1);
    let [first, second] = pair;
    let mut values = Vec::new();
    for k in 0..2 {
        values.push(if k == 0 { first } else { second * x });
    }
    values[0] - values[1]
}

#[test]
fn swapped_derivatives() {
    let (x, y) = (0.7, -1.3);
    // swapped = y² - x²
    let (value, dx) = swapped_jvp(x, 1.0, y, 0.0);
    assert!((value - swapped(x, y)).abs() < 1e-15);
    assert!((dx + 2.0 * x).abs() < 1e-12);
    let (mut xb, mut yb) = (0.0, 0.0);
    let value_rev = swapped_vjp(x, &mut xb, y, &mut yb, 1.0);
    assert!((value_rev - value).abs() < 1e-15);
    assert!((xb + 2.0 * x).abs() < 1e-12 && (yb - 2.0 * y).abs() < 1e-12);
}

/// A `loop` left only by `return`: the forward sweep's tail after it is
/// unreachable, and must not warn.
#[jvp]
#[grad]
fn fall(w: f64) -> f64 {
    let mut x = 8.0;
    loop {
        x -= 0.5 + w * w;
        if x <= 0.0 {
            return x * x;
        }
    }
}

/// Derivatives of derivatives: a differentiated caller of `pot_grad` and
/// `pot_jvp`, whose `nested` derivatives it calls.
#[jvp(nested)]
#[grad(wrt(x), nested)]
fn pot(x: f64, w: f64) -> f64 {
    1.0 / (x * x + w * w + 1.0).sqrt()
}

#[jvp]
#[grad]
fn step(x: f64, w: f64) -> f64 {
    let (_, g) = pot_grad(x, w);
    let (_, d) = pot_jvp(x, 1.0, w, 0.0);
    x - 0.1 * g + d * d
}

#[test]
fn nested_and_looping_derivatives_run() {
    let (value, g) = fall_grad(0.25);
    let (_, d) = fall_jvp(0.25, 1.0);
    approx::assert_relative_eq!(value, fall(0.25), max_relative = 1e-12);
    approx::assert_relative_eq!(pot_grad(0.5, 0.3).0, pot(0.5, 0.3), max_relative = 1e-12);
    approx::assert_relative_eq!(step_grad(0.5, 0.3).0, step(0.5, 0.3), max_relative = 1e-12);
    approx::assert_relative_eq!(g, d, max_relative = 1e-12);
    let (_, (gx, gw)) = step_grad(0.5, 0.3);
    let (_, dx) = step_jvp(0.5, 1.0, 0.3, 0.0);
    let (_, dw) = step_jvp(0.5, 0.0, 0.3, 1.0);
    approx::assert_relative_eq!(gx, dx, max_relative = 1e-12);
    approx::assert_relative_eq!(gw, dw, max_relative = 1e-12);
}

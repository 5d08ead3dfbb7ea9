//! ode (§2.5): classic RK4 for the linear chain y₀' = x₀, yᵢ' = xᵢ·yᵢ₋₁
//! from y(0) = 0 to t = 2, from cmpad.

use std::hint::black_box;

use adiff::vjp;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{measure, parse, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    x: Vec<f64>,
    s: usize,
}

/// The right-hand side f(y) of the ODE, written into `f`.
#[allow(clippy::needless_range_loop)]
#[vjp]
pub fn ode_rhs(x: &[f64], y: &[f64], f: &mut [f64]) {
    f[0] = x[0];
    for i in 1..x.len() {
        f[i] = x[i] * y[i - 1];
    }
}

/// y(2) after `s` equal RK4 steps from y(0) = 0, written into `y`.
#[allow(clippy::needless_range_loop)]
#[vjp]
pub fn ode(x: &[f64], s: usize, y: &mut [f64]) {
    let n = x.len();
    let h = 2.0 / s as f64;
    let mut k1 = vec![0.0; n];
    let mut k2 = vec![0.0; n];
    let mut k3 = vec![0.0; n];
    let mut k4 = vec![0.0; n];
    let mut stage = vec![0.0; n];
    for i in 0..n {
        y[i] = 0.0;
    }
    for _ in 0..s {
        ode_rhs(x, y, &mut k1);
        for i in 0..n {
            stage[i] = y[i] + h * k1[i] / 2.0;
        }
        ode_rhs(x, &stage, &mut k2);
        for i in 0..n {
            stage[i] = y[i] + h * k2[i] / 2.0;
        }
        ode_rhs(x, &stage, &mut k3);
        for i in 0..n {
            stage[i] = y[i] + h * k3[i];
        }
        ode_rhs(x, &stage, &mut k4);
        for i in 0..n {
            y[i] += h * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]) / 6.0;
        }
    }
}

/// Evaluates `primal` (y(2), `[n]`) or `gradient` (the gradient of the
/// last component y_{n−1}(2) with respect to x, `[n]`).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let Input { x, s } = parse(input)?;
    if x.is_empty() || s == 0 {
        return Err("ode needs at least one x and one step".to_string());
    }
    let n = x.len();
    match function {
        "primal" => measure(
            input,
            || {
                let mut y = vec![0.0; n];
                ode(black_box(&x), s, &mut y);
                y
            },
            |y| y,
        ),
        "gradient" => measure(
            input,
            || {
                let mut y = vec![0.0; n];
                let mut x_bar = vec![0.0; n];
                // One reverse pass seeded with 1 at the last output.
                let mut y_bar = vec![0.0; n];
                y_bar[n - 1] = 1.0;
                ode_vjp(black_box(&x), &mut x_bar, s, &mut y, &mut y_bar);
                x_bar
            },
            |g| g,
        ),
        other => Err(unknown_function("ode", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{assert_gradient, values};

    fn solve(x: &[f64], s: usize) -> Vec<f64> {
        let mut y = vec![0.0; x.len()];
        ode(x, s, &mut y);
        y
    }

    #[test]
    fn first_component_is_exact() {
        // y₀' = x₀ is integrated exactly by RK4.
        let y = solve(&[0.75, 0.5, 0.25], 3);
        assert!((y[0] - 1.5).abs() < 1e-14);
    }

    #[test]
    fn gradient_of_the_last_component_matches_finite_differences() {
        // Small n, so that the last component is not zero (unlike the
        // default workloads); this checks the whole reverse pass.
        for (n, s) in [(6, 3), (4, 1), (1, 2)] {
            let x = values(n as u64, n, 0.5, 1.5);
            let mut y = vec![0.0; n];
            let mut x_bar = vec![0.0; n];
            let mut y_bar = vec![0.0; n];
            y_bar[n - 1] = 1.0;
            ode_vjp(&x, &mut x_bar, s, &mut y, &mut y_bar);
            assert!(x_bar.iter().all(|g| *g != 0.0));
            assert_gradient(|x| solve(x, s)[n - 1], &x, &x_bar);
        }
    }
}

//! llsq (§2.2): linear least squares from cmpad,
//! y = ½ Σ_i (sign(t_i) − Σ_j x_j t_iʲ)² over n points t_i evenly spread on [−1, 1].

use std::hint::black_box;

use adiff::grad;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{measure, parse, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    x: Vec<f64>,
    n: usize,
}

/// The least-squares objective of the polynomial with coefficients `x`,
/// fitted to the sign function at `n` points.
#[allow(clippy::needless_range_loop)]
#[grad]
pub fn llsq(x: &[f64], n: usize) -> f64 {
    let mut y = 0.0;
    for i in 0..n {
        let t = -1.0 + i as f64 * 2.0 / (n as f64 - 1.0);
        let sign = if t > 0.0 {
            1.0
        } else if t < 0.0 {
            -1.0
        } else {
            0.0
        };
        let mut r = sign;
        let mut power = 1.0;
        for j in 0..x.len() {
            r -= x[j] * power;
            power *= t;
        }
        y += 0.5 * r * r;
    }
    y
}

/// Evaluates `primal` (a number) or `gradient` (`[m]`, with respect to x).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let Input { x, n } = parse(input)?;
    match function {
        "primal" => measure(input, || llsq(black_box(&x), n), |y| y),
        "gradient" => measure(input, || llsq_grad(black_box(&x), n).1, |g| g),
        other => Err(unknown_function("llsq", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{assert_gradient, values};

    #[test]
    fn gradient_matches_finite_differences() {
        // n = 7 is odd, so one point sits at t = 0 where the sign is 0.
        for (m, n) in [(5, 7), (3, 16), (1, 2)] {
            let x = values(m as u64, m, 0.0, 1.0);
            let (value, grad) = llsq_grad(&x, n);
            assert_eq!(value, llsq(&x, n));
            assert_gradient(|x| llsq(x, n), &x, &grad);
        }
    }

    #[test]
    fn zero_polynomial_fits_the_sign_with_error_n_over_2() {
        // Every residual is ±1 (no point at t = 0 for even n).
        assert_eq!(llsq(&[0.0; 4], 10), 5.0);
    }
}

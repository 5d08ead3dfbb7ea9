//! lse (§2.3): log-sum-exp with the max trick, a + ln Σ_i exp(x_i − a)
//! where a = max_i x_i.
//!
//! The function is `adiff-objectives`' [`logsumexp`], the helper the GMM
//! objectives of this tool and of the benchmark suite call.

use std::hint::black_box;

use adiff_objectives::gmm::{logsumexp, logsumexp_grad};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{measure, parse, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    x: Vec<f64>,
}

/// Evaluates `primal` (a number) or `gradient` (`[n]`).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let Input { x } = parse(input)?;
    match function {
        "primal" => measure(input, || logsumexp(black_box(&x)), |y| y),
        "gradient" => measure(input, || logsumexp_grad(black_box(&x)).1, |g| g),
        other => Err(unknown_function("lse", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{assert_gradient, values};

    #[test]
    fn gradient_matches_finite_differences() {
        let x = values(3, 9, -2.0, 2.0);
        let (value, grad) = logsumexp_grad(&x);
        assert_eq!(value, logsumexp(&x));
        assert_gradient(logsumexp, &x, &grad);
    }

    #[test]
    fn large_inputs_do_not_overflow() {
        let (value, grad) = logsumexp_grad(&[1000.0, 1000.0]);
        assert!((value - (1000.0 + 2f64.ln())).abs() < 1e-12);
        assert!(grad.iter().all(|g| (g - 0.5).abs() < 1e-12));
    }
}

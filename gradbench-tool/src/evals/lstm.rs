//! lstm (§2.7): ADBench's diagonal LSTM, predicting each character's bits
//! from the previous ones; the loss is the mean log-likelihood.
//!
//! The objective is `adiff-objectives`' [`lstm_objective`], the one the
//! benchmark suite times too; this module converts GradBench's nested
//! arrays to its flat slices.

use std::hint::black_box;

use adiff_objectives::lstm::{lstm_objective, lstm_objective_grad};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{flatten, measure, parse, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    main_params: Vec<Vec<f64>>,
    extra_params: Vec<Vec<f64>>,
    state: Vec<Vec<f64>>,
    sequence: Vec<Vec<f64>>,
}

/// Evaluates `objective` (a number) or `jacobian` (the gradient with
/// respect to `main_params` then `extra_params`, flat and row-major).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let data: Input = parse(input)?;
    let l = data.main_params.len() / 2;
    let b = data.main_params.first().map_or(0, Vec::len) / 4;
    let c = data.sequence.len();
    if l == 0 || b == 0 || c < 2 {
        return Err(format!(
            "lstm needs a layer, a bit and two characters; got l = {l}, b = {b}, c = {c}"
        ));
    }
    let main_params = flatten(&data.main_params, 4 * b, "main_params")?;
    let extra_params = flatten(&data.extra_params, b, "extra_params")?;
    let state = flatten(&data.state, b, "state")?;
    let sequence = flatten(&data.sequence, b, "sequence")?;
    if main_params.len() != 8 * l * b || extra_params.len() != 3 * b || state.len() != 2 * l * b {
        return Err("lstm: main_params, extra_params and state need 2l, 3 and 2l rows".into());
    }
    match function {
        "objective" => measure(
            input,
            || {
                lstm_objective(
                    black_box(&main_params),
                    black_box(&extra_params),
                    &state,
                    &sequence,
                    l,
                    c,
                    b,
                )
            },
            |y| y,
        ),
        "jacobian" => measure(
            input,
            || {
                lstm_objective_grad(
                    black_box(&main_params),
                    black_box(&extra_params),
                    &state,
                    &sequence,
                    l,
                    c,
                    b,
                )
                .1
            },
            |(main, extra)| [main, extra].concat(),
        ),
        other => Err(unknown_function("lstm", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{assert_gradient, values};

    #[test]
    fn gradient_matches_finite_differences() {
        let (l, c, b) = (2, 5, 3);
        let params = values(1, 8 * l * b + 3 * b, -1.0, 1.0);
        let state = values(2, 2 * l * b, -1.0, 1.0);
        let sequence: Vec<f64> = values(3, c * b, 0.0, 1.0)
            .iter()
            .map(|v| v.round())
            .collect();
        let loss = |p: &[f64]| {
            let (main, extra) = p.split_at(8 * l * b);
            lstm_objective(main, extra, &state, &sequence, l, c, b)
        };
        let (main, extra) = params.split_at(8 * l * b);
        let (value, (gm, ge)) = lstm_objective_grad(main, extra, &state, &sequence, l, c, b);
        assert_eq!(value, loss(&params));
        assert_gradient(loss, &params, &[gm, ge].concat());
    }
}

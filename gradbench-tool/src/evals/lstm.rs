//! lstm (§2.7): ADBench's diagonal LSTM, predicting each character's bits
//! from the previous ones; the loss is the mean log-likelihood.

use std::hint::black_box;

use autodiff::{grad, vjp};
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

/// The logistic function 1 / (1 + e⁻ˣ).
#[vjp]
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The loss over a sequence of `c` characters of `b` bits each.
///
/// `main_params` holds 2·`l` rows of 4·`b` (weights, then biases of each
/// layer; blocks forget, input, output, change), `extra_params` 3 rows of
/// `b` (input weight, output weight, output bias), `state` 2·`l` rows of `b`
/// (hidden, then cell state of each layer); all row-major. Every weight
/// acts element-wise, so each bit j runs through the layers on its own.
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
#[grad(wrt(main_params, extra_params))]
pub fn lstm_objective(
    main_params: &[f64],
    extra_params: &[f64],
    state: &[f64],
    sequence: &[f64],
    l: usize,
    b: usize,
    c: usize,
) -> f64 {
    // The input state is the starting point of every evaluation.
    let mut hidden = vec![0.0; l * b];
    let mut cell = vec![0.0; l * b];
    for i in 0..l {
        for j in 0..b {
            hidden[i * b + j] = state[2 * i * b + j];
            cell[i * b + j] = state[(2 * i + 1) * b + j];
        }
    }
    let mut z = vec![0.0; b];
    let mut prediction = vec![0.0; b];
    let mut total = 0.0;
    for t in 0..c - 1 {
        for j in 0..b {
            z[j] = sequence[t * b + j] * extra_params[j];
        }
        for i in 0..l {
            let weight = 2 * i * 4 * b;
            let bias = (2 * i + 1) * 4 * b;
            for j in 0..b {
                let h = hidden[i * b + j];
                let forget = sigmoid(z[j] * main_params[weight + j] + main_params[bias + j]);
                let ingate = sigmoid(h * main_params[weight + b + j] + main_params[bias + b + j]);
                let outgate =
                    sigmoid(z[j] * main_params[weight + 2 * b + j] + main_params[bias + 2 * b + j]);
                let change =
                    (h * main_params[weight + 3 * b + j] + main_params[bias + 3 * b + j]).tanh();
                let s = cell[i * b + j] * forget + ingate * change;
                cell[i * b + j] = s;
                hidden[i * b + j] = outgate * s.tanh();
                z[j] = hidden[i * b + j];
            }
        }
        let mut sum_exp = 0.0;
        for j in 0..b {
            prediction[j] = z[j] * extra_params[b + j] + extra_params[2 * b + j];
            sum_exp += prediction[j].exp();
        }
        let lse = (sum_exp + 2.0).ln();
        for j in 0..b {
            total += sequence[(t + 1) * b + j] * (prediction[j] - lse);
        }
    }
    -total / ((c - 1) * b) as f64
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
                    b,
                    c,
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
                    b,
                    c,
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
        let (l, b, c) = (2, 3, 5);
        let params = values(1, 8 * l * b + 3 * b, -1.0, 1.0);
        let state = values(2, 2 * l * b, -1.0, 1.0);
        let sequence: Vec<f64> = values(3, c * b, 0.0, 1.0)
            .iter()
            .map(|v| v.round())
            .collect();
        let loss = |p: &[f64]| {
            let (main, extra) = p.split_at(8 * l * b);
            lstm_objective(main, extra, &state, &sequence, l, b, c)
        };
        let (main, extra) = params.split_at(8 * l * b);
        let (value, (gm, ge)) = lstm_objective_grad(main, extra, &state, &sequence, l, b, c);
        assert_eq!(value, loss(&params));
        assert_gradient(loss, &params, &[gm, ge].concat());
    }
}

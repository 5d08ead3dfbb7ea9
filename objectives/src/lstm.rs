//! ADBench's diagonal LSTM (GradBench's `lstm` eval is the same problem on
//! the same data): the negative mean log-likelihood of each next character
//! predicted by l layers whose weights act element-wise.
//!
//! [`lstm_objective`] is written as a careful Rust programmer would write it
//! from the problem statement (`shared/adbench/README.md`), with a helper
//! per layer step ([`lstm_model`]) and one for the logistic function
//! ([`sigmoid`]); `#[grad]` derives `lstm_objective_vjp` and
//! `lstm_objective_grad` from it.
//!
//! Sizes are passed as `l, c, b` (layers, characters, bits per character),
//! the order of ADBench's file header.

use adiff::{grad, vjp};

/// The logistic function 1 / (1 + e^(−x)).
///
/// `#[inline]` carries over to `sigmoid_vjp`; it matters because
/// `adiff-bench`'s hand-written LSTM gradient calls `sigmoid` from
/// another crate in its innermost loop.
///
/// ```
/// assert_eq!(adiff_objectives::lstm::sigmoid(0.0), 0.5);
/// ```
#[vjp]
#[inline]
#[must_use]
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// One time step of layer `layer`. Reads the layer's input from `z`,
/// updates its hidden and cell state in `state` (2l rows of b), and leaves
/// the new hidden state in `z` as the next layer's input.
///
/// ```
/// use adiff_objectives::lstm::lstm_model;
/// // b = 1, one layer, all weights and biases 0: every gate is 1/2 and
/// // the change is 0, so the cell halves and h = tanh(s) / 2.
/// let mut state = [0.3, 0.8];
/// let mut z = [1.0];
/// lstm_model(&[0.0; 8], 0, &mut state, &mut z, 1);
/// assert_eq!(state[1], 0.4);
/// assert_eq!(z[0], 0.4f64.tanh() / 2.0);
/// ```
#[vjp]
#[allow(clippy::needless_range_loop)]
pub fn lstm_model(main_params: &[f64], layer: usize, state: &mut [f64], z: &mut [f64], b: usize) {
    let weight = 8 * layer * b;
    let bias = weight + 4 * b;
    let hidden = 2 * layer * b;
    let cell = hidden + b;
    for j in 0..b {
        let h = state[hidden + j];
        let forget = sigmoid(z[j] * main_params[weight + j] + main_params[bias + j]);
        let ingate = sigmoid(h * main_params[weight + b + j] + main_params[bias + b + j]);
        let outgate =
            sigmoid(z[j] * main_params[weight + 2 * b + j] + main_params[bias + 2 * b + j]);
        let change = (h * main_params[weight + 3 * b + j] + main_params[bias + 3 * b + j]).tanh();
        let s = state[cell + j] * forget + ingate * change;
        state[cell + j] = s;
        state[hidden + j] = outgate * s.tanh();
        z[j] = state[hidden + j];
    }
}

/// ADBench's LSTM loss: the negative mean log-likelihood of each next
/// character of `sequence` (c rows of b bits) predicted from the previous
/// ones by l diagonal LSTM layers started from `state` (2l rows of b:
/// per layer the hidden then the cell state; the input is not modified).
///
/// `main_params` holds 2l rows of 4b: per layer a weight row then a bias
/// row, each in blocks forget, ingate, outgate, change. `extra_params`
/// holds 3 rows of b: in_weight, out_weight, out_bias. All row-major.
///
/// ```
/// use adiff_objectives::lstm::{lstm_objective, lstm_objective_grad};
/// let (l, c, b) = (1, 3, 2);
/// let main_params = [0.1; 16];
/// let extra_params = [0.5; 6];
/// let state = [0.2; 4];
/// let sequence = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
/// let loss = lstm_objective(&main_params, &extra_params, &state, &sequence, l, c, b);
/// // Every y − lse is negative (the "+ 2" alone makes lse > y), so the
/// // loss, a weighted sum of their negatives, is not.
/// assert!(loss >= 0.0);
/// let (value, (g_main, g_extra)) =
///     lstm_objective_grad(&main_params, &extra_params, &state, &sequence, l, c, b);
/// assert_eq!(value, loss);
/// assert_eq!((g_main.len(), g_extra.len()), (8 * l * b, 3 * b));
/// ```
#[grad(wrt(main_params, extra_params))]
#[must_use]
// Index loops, and an element-wise copy: slice methods such as
// `copy_from_slice` have no derivative rule.
#[allow(
    clippy::needless_range_loop,
    clippy::manual_memcpy,
    clippy::cast_precision_loss
)]
pub fn lstm_objective(
    main_params: &[f64],
    extra_params: &[f64],
    state: &[f64],
    sequence: &[f64],
    l: usize,
    c: usize,
    b: usize,
) -> f64 {
    // The state evolves over the sequence; start from a copy of the given one.
    let mut st = vec![0.0; 2 * l * b];
    for j in 0..2 * l * b {
        st[j] = state[j];
    }
    let mut z = vec![0.0; b];
    let mut y = vec![0.0; b];
    let mut total = 0.0;
    for t in 0..c - 1 {
        for j in 0..b {
            z[j] = sequence[t * b + j] * extra_params[j];
        }
        for layer in 0..l {
            lstm_model(main_params, layer, &mut st, &mut z, b);
        }
        let mut sum_exp = 0.0;
        for j in 0..b {
            y[j] = z[j] * extra_params[b + j] + extra_params[2 * b + j];
            sum_exp += y[j].exp();
        }
        // The "+ 2" is part of ADBench's definition.
        let lse = (sum_exp + 2.0).ln();
        for j in 0..b {
            total += sequence[(t + 1) * b + j] * (y[j] - lse);
        }
    }
    -total / ((c - 1) * b) as f64
}

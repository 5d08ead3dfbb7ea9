//! A two-layer perceptron, 784-128-10 with a sigmoid hidden layer and
//! softmax cross-entropy over a batch: the loss with its `#[grad]`
//! gradient, and the hand-derived backpropagation formulas it is compared
//! with.
//!
//! Weights are row-major: `w1[j * INPUTS + i]` connects input `i` to hidden
//! unit `j`, `w2[o * HIDDEN + j]` hidden unit `j` to output `o`.

use std::hint::black_box;

use adiff::{grad, hvp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::compare::{check_line, rel_diff};
use crate::{Case, Run};

/// Input size (28 × 28 pixels).
pub const INPUTS: usize = 784;
/// Hidden units.
pub const HIDDEN: usize = 128;
/// Classes.
pub const OUTPUTS: usize = 10;
/// Samples per batch in the report.
pub const BATCH: usize = 256;
/// Seed of the synthetic data.
pub const SEED: u64 = 4;

/// Mean softmax cross-entropy of the network over the batch `x` (one row of
/// [`INPUTS`] per sample) with class labels `labels`.
///
/// ```
/// use adiff_bench::mlp::*;
/// let p = Params::zeros();
/// let x = vec![0.5; INPUTS];
/// // All logits equal: the loss is ln(10) whatever the label.
/// let loss = mlp_loss(&p.w1, &p.b1, &p.w2, &p.b2, &x, &[3]);
/// assert!((loss - 10f64.ln()).abs() < 1e-12);
/// ```
#[grad(wrt(w1, b1, w2, b2))]
#[hvp(wrt(w1, b1, w2, b2))]
pub fn mlp_loss(
    w1: &[f64],
    b1: &[f64],
    w2: &[f64],
    b2: &[f64],
    x: &[f64],
    labels: &[usize],
) -> f64 {
    let mut total = 0.0;
    for s in 0..labels.len() {
        let row = s * INPUTS;
        let mut h = [0.0; HIDDEN];
        for j in 0..HIDDEN {
            let mut z = b1[j];
            for i in 0..INPUTS {
                z += w1[j * INPUTS + i] * x[row + i];
            }
            h[j] = 1.0 / (1.0 + (-z).exp());
        }
        let mut logits = [0.0; OUTPUTS];
        let mut max = f64::NEG_INFINITY;
        for o in 0..OUTPUTS {
            let mut z = b2[o];
            for j in 0..HIDDEN {
                z += w2[o * HIDDEN + j] * h[j];
            }
            logits[o] = z;
            max = max.max(z);
        }
        let mut sum = 0.0;
        for &z in &logits {
            sum += (z - max).exp();
        }
        total += max + sum.ln() - logits[labels[s]];
    }
    total / labels.len() as f64
}

/// The network's parameters, or their gradient.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Hidden-layer weights, [`HIDDEN`] × [`INPUTS`].
    pub w1: Vec<f64>,
    /// Hidden-layer biases.
    pub b1: Vec<f64>,
    /// Output-layer weights, [`OUTPUTS`] × [`HIDDEN`].
    pub w2: Vec<f64>,
    /// Output-layer biases.
    pub b2: Vec<f64>,
}

impl Params {
    /// All zeros (the starting value of a gradient).
    #[must_use]
    pub fn zeros() -> Self {
        Params {
            w1: vec![0.0; HIDDEN * INPUTS],
            b1: vec![0.0; HIDDEN],
            w2: vec![0.0; OUTPUTS * HIDDEN],
            b2: vec![0.0; OUTPUTS],
        }
    }

    /// Sets every entry to zero, keeping the allocations.
    pub fn fill_zero(&mut self) {
        for v in [&mut self.w1, &mut self.b1, &mut self.w2, &mut self.b2] {
            v.fill(0.0);
        }
    }

    /// `self + t · v`, entry by entry.
    #[must_use]
    pub fn axpy(&self, t: f64, v: &Params) -> Params {
        let f = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a + t * b).collect();
        Params {
            w1: f(&self.w1, &v.w1),
            b1: f(&self.b1, &v.b1),
            w2: f(&self.w2, &v.w2),
            b2: f(&self.b2, &v.b2),
        }
    }

    /// All entries, in the order w1, b1, w2, b2.
    #[must_use]
    pub fn flat(&self) -> Vec<f64> {
        [&self.w1[..], &self.b1, &self.w2, &self.b2].concat()
    }
}

/// The loss and, added into `g`, its gradient by the backpropagation
/// formulas: per sample, δ₂ = (softmax(z₂) − onehot(y)) / batch,
/// ∂W₂ += δ₂ hᵀ, ∂b₂ += δ₂, δ_z₁ = (W₂ᵀ δ₂) ⊙ h ⊙ (1 − h), ∂W₁ += δ_z₁ xᵀ,
/// ∂b₁ += δ_z₁. Each sample's forward and backward pass run together, so
/// no activations are stored.
///
/// ```
/// use adiff_bench::mlp::*;
/// let (p, x, labels) = synthetic_data(2, SEED);
/// let mut g = Params::zeros();
/// let v = mlp_grad_by_hand(&p, &x, &labels, &mut g);
/// assert_eq!(v, mlp_loss(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels));
/// ```
pub fn mlp_grad_by_hand(p: &Params, x: &[f64], labels: &[usize], g: &mut Params) -> f64 {
    let scale = 1.0 / labels.len() as f64;
    let mut total = 0.0;
    for (s, &label) in labels.iter().enumerate() {
        let xs = &x[s * INPUTS..(s + 1) * INPUTS];
        let mut h = [0.0; HIDDEN];
        for (j, hj) in h.iter_mut().enumerate() {
            let w = &p.w1[j * INPUTS..(j + 1) * INPUTS];
            let z = p.b1[j] + w.iter().zip(xs).map(|(a, b)| a * b).sum::<f64>();
            *hj = 1.0 / (1.0 + (-z).exp());
        }
        let mut logits = [0.0; OUTPUTS];
        for (o, zo) in logits.iter_mut().enumerate() {
            let w = &p.w2[o * HIDDEN..(o + 1) * HIDDEN];
            *zo = p.b2[o] + w.iter().zip(&h).map(|(a, b)| a * b).sum::<f64>();
        }
        let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = logits.iter().map(|z| (z - max).exp()).sum();
        total += max + sum.ln() - logits[label];

        // δ₂ = softmax − onehot, scaled by 1/batch for the mean.
        let mut delta2 = [0.0; OUTPUTS];
        for (o, d) in delta2.iter_mut().enumerate() {
            let onehot = if o == label { 1.0 } else { 0.0 };
            *d = ((logits[o] - max).exp() / sum - onehot) * scale;
        }
        let mut delta_h = [0.0; HIDDEN];
        for (o, &d) in delta2.iter().enumerate() {
            g.b2[o] += d;
            let w = &p.w2[o * HIDDEN..(o + 1) * HIDDEN];
            let gw = &mut g.w2[o * HIDDEN..(o + 1) * HIDDEN];
            for j in 0..HIDDEN {
                gw[j] += d * h[j];
                delta_h[j] += w[j] * d;
            }
        }
        for j in 0..HIDDEN {
            let dz = delta_h[j] * h[j] * (1.0 - h[j]);
            g.b1[j] += dz;
            let gw = &mut g.w1[j * INPUTS..(j + 1) * INPUTS];
            for (gi, &xi) in gw.iter_mut().zip(xs) {
                *gi += dz * xi;
            }
        }
    }
    total * scale
}

/// Parameters, inputs and labels for `batch` samples from a seeded RNG:
/// weights uniform in ±1/√fan-in, pixels uniform in [0, 1), labels uniform.
///
/// ```
/// let (p, x, labels) = adiff_bench::mlp::synthetic_data(3, 1);
/// assert_eq!((x.len(), labels.len()), (3 * adiff_bench::mlp::INPUTS, 3));
/// assert_eq!(p, adiff_bench::mlp::synthetic_data(3, 1).0);
/// ```
#[must_use]
pub fn synthetic_data(batch: usize, seed: u64) -> (Params, Vec<f64>, Vec<usize>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut uniform =
        |n: usize, r: f64| -> Vec<f64> { (0..n).map(|_| rng.random_range(-r..r)).collect() };
    let r1 = 1.0 / (INPUTS as f64).sqrt();
    let r2 = 1.0 / (HIDDEN as f64).sqrt();
    let p = Params {
        w1: uniform(HIDDEN * INPUTS, r1),
        b1: uniform(HIDDEN, r1),
        w2: uniform(OUTPUTS * HIDDEN, r2),
        b2: uniform(OUTPUTS, r2),
    };
    let x = (0..batch * INPUTS).map(|_| rng.random::<f64>()).collect();
    let labels = (0..batch).map(|_| rng.random_range(0..OUTPUTS)).collect();
    (p, x, labels)
}

/// The report's case, for a batch of [`BATCH`] (see [`case`]).
#[must_use]
pub fn cases() -> Vec<Case> {
    vec![case(BATCH)]
}

/// The case for one batch size: the loss, `f_vjp` into preallocated
/// adjoints, the hand-written backpropagation, and `f_grad`.
#[must_use]
pub fn case(batch: usize) -> Case {
    let (p, x, labels) = synthetic_data(batch, SEED);
    let value = mlp_loss(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    let mut hand = Params::zeros();
    let hand_value = mlp_grad_by_hand(&p, &x, &labels, &mut hand);
    let mut bar = Params::zeros();
    let mut x_bar = vec![0.0; x.len()];
    let vjp_value = vjp(&p, &x, &mut x_bar, &labels, &mut bar);
    let (grad_value, (gw1, gb1, gw2, gb2)) = mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    let grad = Params {
        w1: gw1,
        b1: gb1,
        w2: gw2,
        b2: gb2,
    };
    let checks = vec![
        check_line(
            "values of f_vjp, f_grad, hand vs f",
            rel_diff(&[vjp_value, grad_value, hand_value], &[value; 3]),
            1e-13,
        ),
        check_line("f_vjp vs hand", rel_diff(&bar.flat(), &hand.flat()), 1e-12),
        check_line("f_grad vs f_vjp", rel_diff(&grad.flat(), &bar.flat()), 0.0),
    ];
    // `f_hvp` along a direction `v` shaped like the weights: its gradient
    // is `f_grad`'s, and `H·v` matches central differences of `f_grad`
    // along `v` (step 1e-5; the loss is smooth).
    let (v, _, _) = synthetic_data(1, SEED + 1);
    let (hvp_value, hvp_grad, hv) = hvp(&p, &v, &x, &labels);
    let step = 1e-5;
    let grad_at = |t: f64| {
        let q = p.axpy(t, &v);
        let (_, g) = mlp_loss_grad(&q.w1, &q.b1, &q.w2, &q.b2, &x, &labels);
        Params {
            w1: g.0,
            b1: g.1,
            w2: g.2,
            b2: g.3,
        }
        .flat()
    };
    let fd: Vec<f64> = grad_at(step)
        .iter()
        .zip(grad_at(-step))
        .map(|(a, b)| (a - b) / (2.0 * step))
        .collect();
    let mut checks = checks;
    checks.extend([
        check_line(
            "value of f_hvp vs f",
            rel_diff(&[hvp_value], &[value]),
            1e-13,
        ),
        check_line(
            "f_hvp gradient vs f_grad",
            rel_diff(&hvp_grad.flat(), &grad.flat()),
            1e-12,
        ),
        check_line(
            "f_hvp vs differences of f_grad",
            rel_diff(&hv.flat(), &fd),
            1e-6,
        ),
    ]);

    let (p, x, labels) = (
        std::rc::Rc::new(p),
        std::rc::Rc::new(x),
        std::rc::Rc::new(labels),
    );
    let runs = vec![
        Run::new("f", {
            let (p, x, labels) = (p.clone(), x.clone(), labels.clone());
            move || mlp_loss(&p.w1, &p.b1, &p.w2, &p.b2, black_box(&x), &labels)
        }),
        Run::new("adiff f_vjp", {
            let (p, x, labels) = (p.clone(), x.clone(), labels.clone());
            move || {
                bar.fill_zero();
                x_bar.fill(0.0);
                vjp(&p, black_box(&x), &mut x_bar, &labels, &mut bar) + black_box(&bar).b2[0]
            }
        }),
        Run::new("hand", {
            let (p, x, labels) = (p.clone(), x.clone(), labels.clone());
            move || {
                hand.fill_zero();
                mlp_grad_by_hand(&p, black_box(&x), &labels, &mut hand) + black_box(&hand).b2[0]
            }
        }),
        Run::new("adiff f_grad", {
            let (p, x, labels) = (p.clone(), x.clone(), labels.clone());
            move || {
                let (v, g) = mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, black_box(&x), &labels);
                v + g.3[0]
            }
        }),
        Run::new("adiff f_hvp", move || {
            let (value, g, hv) = hvp(&p, black_box(&v), black_box(&x), &labels);
            value + g.b2[0] + hv.b2[0]
        }),
    ];
    Case {
        benchmark: format!("mlp_784_128_10_b{batch}"),
        detail: format!(
            "synthetic (rand StdRng, seed {SEED}), batch {batch}; f_vjp also computes \
             the inputs' adjoint, f_grad (wrt the weights) does not"
        ),
        runs,
        checks,
    }
}

/// `mlp_loss_hvp` at the weights `p` along the direction `v`: the value,
/// the gradient and `H·v`, each shaped as [`Params`].
///
/// ```
/// use adiff_bench::mlp::*;
/// let (p, x, labels) = synthetic_data(1, SEED);
/// let (_, g, _) = hvp(&p, &Params::zeros(), &x, &labels);
/// let (_, f_grad) = mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
/// assert_eq!(g.b2, f_grad.3);
/// ```
#[must_use]
pub fn hvp(p: &Params, v: &Params, x: &[f64], labels: &[usize]) -> (f64, Params, Params) {
    let (value, g, hv) = mlp_loss_hvp(
        &p.w1, &v.w1, &p.b1, &v.b1, &p.w2, &v.w2, &p.b2, &v.b2, x, labels,
    );
    let params = |(w1, b1, w2, b2)| Params { w1, b1, w2, b2 };
    (value, params(g), params(hv))
}

/// `mlp_loss_vjp` with the gradient added into `bar` and the adjoint of the
/// inputs (which `f_vjp` computes too) into `x_bar`.
///
/// ```
/// use adiff_bench::mlp::*;
/// let (p, x, labels) = synthetic_data(1, SEED);
/// let mut bar = Params::zeros();
/// vjp(&p, &x, &mut vec![0.0; x.len()], &labels, &mut bar);
/// let (_, g) = mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
/// assert_eq!(bar.b2, g.3);
/// ```
pub fn vjp(p: &Params, x: &[f64], x_bar: &mut [f64], labels: &[usize], bar: &mut Params) -> f64 {
    mlp_loss_vjp(
        &p.w1,
        &mut bar.w1,
        &p.b1,
        &mut bar.b1,
        &p.w2,
        &mut bar.w2,
        &p.b2,
        &mut bar.b2,
        x,
        x_bar,
        labels,
        1.0,
    )
}

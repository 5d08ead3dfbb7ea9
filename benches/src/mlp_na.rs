//! The perceptron of [`crate::mlp`] written with nalgebra matrices, as a
//! user holding a model in `DMatrix`/`DVector` fields would write it: the
//! loss is a `&self` method of a `#[derive(Differentiable)]` struct, and
//! `#[grad]` differentiates it whole-matrix (`dL/dW = δ hᵀ`, `δ_h = Wᵀ δ`).
//! Its gradient is checked against the flat-slice version's and the
//! hand-written backpropagation, and the report times all three.

use std::hint::black_box;

use adiff::nalgebra::{DMatrix, DVector};
use adiff::{grad, Differentiable};

use crate::compare::{check_line, rel_diff};
use crate::mlp::{self, Params, HIDDEN, INPUTS, OUTPUTS, SEED};
use crate::{Case, Run};

/// The network's parameters as nalgebra values, or their gradient.
#[derive(Differentiable, Clone, Debug, PartialEq)]
pub struct NaParams {
    /// Hidden-layer weights, [`HIDDEN`] × [`INPUTS`].
    pub w1: DMatrix<f64>,
    /// Hidden-layer biases.
    pub b1: DVector<f64>,
    /// Output-layer weights, [`OUTPUTS`] × [`HIDDEN`].
    pub w2: DMatrix<f64>,
    /// Output-layer biases.
    pub b2: DVector<f64>,
}

impl NaParams {
    /// Mean softmax cross-entropy over the samples `x` with class labels
    /// `labels`: the same function as [`mlp::mlp_loss`] (whose `max` shift
    /// changes only rounding).
    ///
    /// ```
    /// use adiff_bench::mlp_na::NaParams;
    /// let (p, x, labels) = adiff_bench::mlp::synthetic_data(2, 1);
    /// let (q, xs) = (NaParams::from_flat(&p), NaParams::samples(&x));
    /// let flat = adiff_bench::mlp::mlp_loss(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    /// assert!((q.loss(&xs, &labels) - flat).abs() < 1e-12);
    /// ```
    #[grad(wrt(self))]
    pub fn loss(&self, x: &[DVector<f64>], labels: &[usize]) -> f64 {
        let mut total = 0.0;
        for s in 0..labels.len() {
            let z = &self.w1 * &x[s] + &self.b1;
            let h = z.map(|v| 1.0 / (1.0 + (-v).exp()));
            let o = &self.w2 * &h + &self.b2;
            let e = o.map(f64::exp);
            total += e.sum().ln() - o[labels[s]];
        }
        total / labels.len() as f64
    }

    /// The flat row-major parameters of [`crate::mlp`] as matrices.
    #[must_use]
    pub fn from_flat(p: &Params) -> Self {
        NaParams {
            w1: DMatrix::from_row_slice(HIDDEN, INPUTS, &p.w1),
            b1: DVector::from_column_slice(&p.b1),
            w2: DMatrix::from_row_slice(OUTPUTS, HIDDEN, &p.w2),
            b2: DVector::from_column_slice(&p.b2),
        }
    }

    /// Back to flat row-major form (for comparing gradients).
    #[must_use]
    pub fn to_flat(&self) -> Params {
        let rows = |m: &DMatrix<f64>| m.transpose().as_slice().to_vec();
        Params {
            w1: rows(&self.w1),
            b1: self.b1.as_slice().to_vec(),
            w2: rows(&self.w2),
            b2: self.b2.as_slice().to_vec(),
        }
    }

    /// The batch of [`crate::mlp`] (one row of [`INPUTS`] per sample) as
    /// one vector per sample.
    #[must_use]
    pub fn samples(x: &[f64]) -> Vec<DVector<f64>> {
        x.chunks(INPUTS).map(DVector::from_column_slice).collect()
    }
}

/// Backpropagation by hand with nalgebra: the seed's formulas, one sample
/// at a time, added into `g` (which starts at zero).
///
/// ```
/// use adiff_bench::mlp_na::*;
/// let (p, x, labels) = adiff_bench::mlp::synthetic_data(2, 1);
/// let (q, xs) = (NaParams::from_flat(&p), NaParams::samples(&x));
/// let mut g = NaParams::from_flat(&adiff_bench::mlp::Params::zeros());
/// let v = backprop(&q, &xs, &labels, &mut g);
/// assert!((v - q.loss(&xs, &labels)).abs() < 1e-12);
/// ```
pub fn backprop(p: &NaParams, x: &[DVector<f64>], labels: &[usize], g: &mut NaParams) -> f64 {
    let scale = 1.0 / labels.len() as f64;
    let mut total = 0.0;
    let mut delta_h = DVector::zeros(HIDDEN);
    for (xs, &label) in x.iter().zip(labels) {
        let mut h = &p.b1 + &p.w1 * xs;
        h.apply(|v| *v = 1.0 / (1.0 + (-*v).exp()));
        let o = &p.b2 + &p.w2 * &h;
        let e = o.map(f64::exp);
        let sum = e.sum();
        total += sum.ln() - o[label];
        // δ₂ = softmax − onehot, scaled for the mean.
        let mut delta2 = e / sum;
        delta2[label] -= 1.0;
        delta2 *= scale;
        g.b2 += &delta2;
        g.w2.ger(1.0, &delta2, &h, 1.0);
        delta_h.gemv_tr(1.0, &p.w2, &delta2, 0.0);
        delta_h.zip_apply(&h, |d, hj| *d *= hj * (1.0 - hj));
        g.b1 += &delta_h;
        g.w1.ger(1.0, &delta_h, xs, 1.0);
    }
    total * scale
}

/// The report's case, for a batch of [`mlp::BATCH`].
#[must_use]
pub fn cases() -> Vec<Case> {
    vec![case(mlp::BATCH)]
}

/// The nalgebra loss, its `f_grad`, the flat version's `f_grad`, and the
/// flat and nalgebra hand-written backpropagations.
#[must_use]
pub fn case(batch: usize) -> Case {
    let (p, x, labels) = mlp::synthetic_data(batch, SEED);
    let q = NaParams::from_flat(&p);
    let xs = NaParams::samples(&x);
    let value = q.loss(&xs, &labels);
    let (grad_value, g) = q.loss_grad(&xs, &labels);
    let (flat_value, flat) = mlp::mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, &x, &labels);
    let flat = Params {
        w1: flat.0,
        b1: flat.1,
        w2: flat.2,
        b2: flat.3,
    };
    let mut hand = Params::zeros();
    let hand_value = mlp::mlp_grad_by_hand(&p, &x, &labels, &mut hand);
    let zero = NaParams::from_flat(&Params::zeros());
    let mut na_hand = zero.clone();
    let na_hand_value = backprop(&q, &xs, &labels, &mut na_hand);
    let checks = vec![
        check_line(
            "values of f_grad, flat f_grad, hand, nalgebra hand vs f",
            rel_diff(
                &[grad_value, flat_value, hand_value, na_hand_value],
                &[value; 4],
            ),
            1e-12,
        ),
        check_line(
            "f_grad vs flat-slice f_grad",
            rel_diff(&g.to_flat().flat(), &flat.flat()),
            1e-12,
        ),
        check_line(
            "f_grad vs hand",
            rel_diff(&g.to_flat().flat(), &hand.flat()),
            1e-12,
        ),
        check_line(
            "nalgebra hand vs hand",
            rel_diff(&na_hand.to_flat().flat(), &hand.flat()),
            1e-12,
        ),
    ];
    let (p, x, labels, q, xs) = (
        std::rc::Rc::new(p),
        std::rc::Rc::new(x),
        std::rc::Rc::new(labels),
        std::rc::Rc::new(q),
        std::rc::Rc::new(xs),
    );
    let runs = vec![
        Run::new("f", {
            let (q, xs, labels) = (q.clone(), xs.clone(), labels.clone());
            move || q.loss(black_box(&xs), &labels)
        }),
        Run::new("adiff flat f_grad", {
            let (p, x, labels) = (p.clone(), x.clone(), labels.clone());
            move || {
                let (v, g) = mlp::mlp_loss_grad(&p.w1, &p.b1, &p.w2, &p.b2, black_box(&x), &labels);
                v + g.3[0]
            }
        }),
        Run::new("adiff f_grad", {
            let (q, xs, labels) = (q.clone(), xs.clone(), labels.clone());
            move || {
                let (v, g) = q.loss_grad(black_box(&xs), &labels);
                v + g.b2[0]
            }
        }),
        Run::new("hand", {
            let (p, x, labels) = (p.clone(), x.clone(), labels.clone());
            let mut hand = Params::zeros();
            move || {
                hand.fill_zero();
                mlp::mlp_grad_by_hand(&p, black_box(&x), &labels, &mut hand)
                    + black_box(&hand).b2[0]
            }
        }),
        Run::new("hand nalgebra", move || {
            let mut g = zero.clone();
            backprop(&q, black_box(&xs), &labels, &mut g) + black_box(&g).b2[0]
        }),
    ];
    Case {
        benchmark: format!("mlp_nalgebra_784_128_10_b{batch}"),
        detail: format!(
            "the mlp case written with nalgebra DMatrix/DVector fields and a &self loss; \
             synthetic (seed {SEED}), batch {batch}; gradients wrt the weights only"
        ),
        runs,
        checks,
    }
}

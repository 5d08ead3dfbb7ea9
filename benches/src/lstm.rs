//! ADBench LSTM: the gradient of a next-character loss of a diagonal LSTM.
//!
//! The objective [`lstm_objective`], its helpers [`lstm_model`] and
//! [`sigmoid`], and the generated [`lstm_objective_vjp`] and
//! [`lstm_objective_grad`] live in `adiff-objectives`, which the
//! GradBench tool shares, and are re-exported here.
//! [`lstm_grad_by_hand`] is a hand-written gradient tuned for speed, the
//! yardstick for the generated one.
//! [`cases`] times the objective and both gradients on ADBench's l2_c1024
//! and l4_c1024, or on synthetic instances of the same sizes when the data
//! files are absent.

use std::path::Path;
use std::rc::Rc;

pub use adiff_objectives::lstm::{
    lstm_model, lstm_model_vjp, lstm_objective, lstm_objective_grad, lstm_objective_vjp, sigmoid,
    sigmoid_vjp,
};
use rand::{rngs::StdRng, Rng, SeedableRng};
use rand_distr::{Bernoulli, Uniform};

use crate::adbench;
use crate::{Case, Run};

/// The instances timed by [`cases`], as (layers, characters).
pub const INSTANCES: [(usize, usize); 2] = [(2, 1024), (4, 1024)];

/// Bits per character (the hidden size) of ADBench's instances.
pub const B: usize = 14;

/// One LSTM instance: parameters (`main_params`, `extra_params`) and
/// constants.
#[derive(Clone, Debug, PartialEq)]
pub struct Lstm {
    /// Number of layers l.
    pub l: usize,
    /// Number of characters c.
    pub c: usize,
    /// Bits per character b, which is also the hidden size.
    pub b: usize,
    /// 2l rows of 4b: per layer a weight row then a bias row, each in
    /// blocks forget, ingate, outgate, change.
    pub main_params: Vec<f64>,
    /// 3 rows of b: in_weight, out_weight, out_bias.
    pub extra_params: Vec<f64>,
    /// 2l rows of b: per layer the hidden state then the cell state.
    pub state: Vec<f64>,
    /// c rows of b bits (0.0 or 1.0).
    pub sequence: Vec<f64>,
}

impl Lstm {
    /// Parses an ADBench LSTM file (`l c b`, main_params, extra_params,
    /// state, sequence).
    ///
    /// # Panics
    ///
    /// Panics if the file cannot be read or is malformed.
    #[must_use]
    pub fn read(path: &Path) -> Lstm {
        let text = adbench::read_text(path);
        let mut t = adbench::Tokens::new(&text);
        let (l, c, b) = (t.usize(), t.usize(), t.usize());
        Lstm {
            l,
            c,
            b,
            main_params: t.floats(8 * l * b),
            extra_params: t.floats(3 * b),
            state: t.floats(2 * l * b),
            sequence: t.floats(c * b),
        }
    }

    /// A synthetic instance. ADBench's README gives no distributions for
    /// the LSTM; its files hold parameters and state in (0, 1) and
    /// characters with about a quarter of their bits set, so parameters and
    /// state are drawn from U(0, 1) and each bit is 1 with probability 1/4.
    /// The same seed gives the same instance.
    ///
    /// ```
    /// use adiff_bench::lstm::Lstm;
    /// let m = Lstm::synthetic(2, 5, 3, 7);
    /// assert_eq!(m.main_params.len(), 8 * 2 * 3);
    /// assert_eq!(m, Lstm::synthetic(2, 5, 3, 7));
    /// ```
    #[must_use]
    pub fn synthetic(l: usize, c: usize, b: usize, seed: u64) -> Lstm {
        let mut rng = StdRng::seed_from_u64(seed);
        let unit = Uniform::new(0.0, 1.0).expect("0 < 1");
        let mut uniform =
            |count: usize| -> Vec<f64> { (0..count).map(|_| rng.sample(unit)).collect() };
        let main_params = uniform(8 * l * b);
        let extra_params = uniform(3 * b);
        let state = uniform(2 * l * b);
        let bit = Bernoulli::new(0.25).expect("a probability");
        let sequence = (0..c * b)
            .map(|_| if rng.sample(bit) { 1.0 } else { 0.0 })
            .collect();
        Lstm {
            l,
            c,
            b,
            main_params,
            extra_params,
            state,
            sequence,
        }
    }

    /// The number of gradient entries, 8lb + 3b.
    #[must_use]
    pub fn gradient_len(&self) -> usize {
        8 * self.l * self.b + 3 * self.b
    }

    /// The objective, [`lstm_objective`] on this instance.
    #[must_use]
    pub fn objective(&self) -> f64 {
        lstm_objective(
            &self.main_params,
            &self.extra_params,
            &self.state,
            &self.sequence,
            self.l,
            self.c,
            self.b,
        )
    }

    /// The objective and its gradient from the generated
    /// [`lstm_objective_vjp`]: main_params then extra_params.
    ///
    /// ```
    /// use adiff_bench::lstm::Lstm;
    /// let m = Lstm::synthetic(2, 4, 3, 1);
    /// let (v, grad) = m.gradient_adiff();
    /// assert_eq!(v, m.objective());
    /// assert_eq!(grad.len(), m.gradient_len());
    /// ```
    #[must_use]
    pub fn gradient_adiff(&self) -> (f64, Vec<f64>) {
        let mut bufs = VjpBuffers::new(self);
        let v = bufs.run(self);
        (v, bufs.grad)
    }

    /// The objective and its gradient from [`lstm_grad_by_hand`].
    ///
    /// ```
    /// use adiff_bench::lstm::Lstm;
    /// let m = Lstm::synthetic(2, 4, 3, 1);
    /// let (v, grad) = m.gradient_by_hand();
    /// let (w, reference) = m.gradient_adiff();
    /// assert!((v - w).abs() < 1e-14);
    /// assert!(adiff_bench::adbench::max_error(&grad, &reference) < 1e-14);
    /// ```
    #[must_use]
    pub fn gradient_by_hand(&self) -> (f64, Vec<f64>) {
        let mut scratch = HandScratch::new(self.l, self.c, self.b);
        let mut grad = vec![0.0; self.gradient_len()];
        let v = lstm_grad_by_hand(self, &mut scratch, &mut grad);
        (v, grad)
    }
}

/// Scratch space of [`lstm_grad_by_hand`], allocated once per size: the
/// forward values the reverse pass reads, per step and layer.
#[derive(Clone, Debug)]
pub struct HandScratch {
    /// Per (step, layer), 8 rows of b: input, previous hidden, previous
    /// cell, forget, ingate, outgate, change, tanh of the new cell.
    saved: Vec<f64>,
    /// Per step, the adjoint of the top layer's output.
    top_bar: Vec<f64>,
    /// Current state, 2l rows of b.
    state: Vec<f64>,
    /// Adjoints carried backwards in time, 2l rows of b.
    state_bar: Vec<f64>,
    z: Vec<f64>,
    z_bar: Vec<f64>,
}

impl HandScratch {
    /// Scratch for instances with `l` layers, `c` characters and `b` bits.
    #[must_use]
    pub fn new(l: usize, c: usize, b: usize) -> Self {
        let steps = c.saturating_sub(1);
        HandScratch {
            saved: vec![0.0; steps * l * 8 * b],
            top_bar: vec![0.0; steps * b],
            state: vec![0.0; 2 * l * b],
            state_bar: vec![0.0; 2 * l * b],
            z: vec![0.0; b],
            z_bar: vec![0.0; b],
        }
    }
}

/// A hand-written gradient of [`lstm_objective`] with respect to
/// (main_params, extra_params), written for speed: the forward pass saves
/// every gate, and the output layer's adjoint is taken in the forward pass
/// (it depends only on the current step), so the backward pass is one sweep
/// over the steps with no recomputation.
///
/// Overwrites `grad` (length [`Lstm::gradient_len`]) and returns the
/// objective.
///
/// # Panics
///
/// Panics if `grad` or `scratch` do not match the instance's sizes.
#[allow(clippy::cast_precision_loss, clippy::many_single_char_names)]
pub fn lstm_grad_by_hand(m: &Lstm, s: &mut HandScratch, grad: &mut [f64]) -> f64 {
    let (l, c, b) = (m.l, m.c, m.b);
    let steps = c - 1;
    assert_eq!(grad.len(), m.gradient_len(), "gradient length");
    assert_eq!(
        s.saved.len(),
        steps * l * 8 * b,
        "scratch sized for another instance"
    );
    grad.fill(0.0);
    let (g_main, g_extra) = grad.split_at_mut(8 * l * b);
    let (in_w, rest) = m.extra_params.split_at(b);
    let (out_w, out_b) = rest.split_at(b);
    let scale = -1.0 / (steps * b) as f64;

    s.state.copy_from_slice(&m.state);
    let mut total = 0.0;
    for t in 0..steps {
        let x = &m.sequence[t * b..(t + 1) * b];
        for j in 0..b {
            s.z[j] = x[j] * in_w[j];
        }
        for layer in 0..l {
            let p = &m.main_params[8 * layer * b..8 * (layer + 1) * b];
            let (w, bias) = p.split_at(4 * b);
            let (h, cell) = s.state[2 * layer * b..2 * (layer + 1) * b].split_at_mut(b);
            let saved = &mut s.saved[(t * l + layer) * 8 * b..(t * l + layer + 1) * 8 * b];
            for j in 0..b {
                let zj = s.z[j];
                let hj = h[j];
                let f = sigmoid(zj * w[j] + bias[j]);
                let i = sigmoid(hj * w[b + j] + bias[b + j]);
                let o = sigmoid(zj * w[2 * b + j] + bias[2 * b + j]);
                let g = (hj * w[3 * b + j] + bias[3 * b + j]).tanh();
                let cj = cell[j] * f + i * g;
                let tc = cj.tanh();
                saved[j] = zj;
                saved[b + j] = hj;
                saved[2 * b + j] = cell[j];
                saved[3 * b + j] = f;
                saved[4 * b + j] = i;
                saved[5 * b + j] = o;
                saved[6 * b + j] = g;
                saved[7 * b + j] = tc;
                cell[j] = cj;
                h[j] = o * tc;
                s.z[j] = o * tc;
            }
        }
        // Output layer and loss, and their adjoint right away.
        let next = &m.sequence[(t + 1) * b..(t + 2) * b];
        let mut sum_exp = 0.0;
        let mut sum_next = 0.0;
        for j in 0..b {
            let y = s.z[j] * out_w[j] + out_b[j];
            sum_exp += y.exp();
            sum_next += next[j];
            total += next[j] * y;
        }
        let lse = (sum_exp + 2.0).ln();
        total -= sum_next * lse;
        let inv = 1.0 / (sum_exp + 2.0);
        let top_bar = &mut s.top_bar[t * b..(t + 1) * b];
        for j in 0..b {
            let y = s.z[j] * out_w[j] + out_b[j];
            let y_bar = scale * (next[j] - sum_next * y.exp() * inv);
            g_extra[b + j] += y_bar * s.z[j];
            g_extra[2 * b + j] += y_bar;
            top_bar[j] = y_bar * out_w[j];
        }
    }

    s.state_bar.fill(0.0);
    for t in (0..steps).rev() {
        s.z_bar.copy_from_slice(&s.top_bar[t * b..(t + 1) * b]);
        for layer in (0..l).rev() {
            let p = &m.main_params[8 * layer * b..8 * (layer + 1) * b];
            let gp = &mut g_main[8 * layer * b..8 * (layer + 1) * b];
            let (h_bar, cell_bar) = s.state_bar[2 * layer * b..2 * (layer + 1) * b].split_at_mut(b);
            let saved = &s.saved[(t * l + layer) * 8 * b..(t * l + layer + 1) * 8 * b];
            for j in 0..b {
                let (zj, hj, cj) = (saved[j], saved[b + j], saved[2 * b + j]);
                let (f, i, o, g, tc) = (
                    saved[3 * b + j],
                    saved[4 * b + j],
                    saved[5 * b + j],
                    saved[6 * b + j],
                    saved[7 * b + j],
                );
                let hb = h_bar[j] + s.z_bar[j];
                let cb = cell_bar[j] + hb * o * (1.0 - tc * tc);
                let af = cb * cj * f * (1.0 - f);
                let ai = cb * g * i * (1.0 - i);
                let ao = hb * tc * o * (1.0 - o);
                let ag = cb * i * (1.0 - g * g);
                gp[j] += af * zj;
                gp[b + j] += ai * hj;
                gp[2 * b + j] += ao * zj;
                gp[3 * b + j] += ag * hj;
                gp[4 * b + j] += af;
                gp[5 * b + j] += ai;
                gp[6 * b + j] += ao;
                gp[7 * b + j] += ag;
                s.z_bar[j] = af * p[j] + ao * p[2 * b + j];
                h_bar[j] = ai * p[b + j] + ag * p[3 * b + j];
                cell_bar[j] = cb * f;
            }
        }
        let x = &m.sequence[t * b..(t + 1) * b];
        for j in 0..b {
            g_extra[j] += s.z_bar[j] * x[j];
        }
    }
    scale * total
}

/// The adjoint buffers of [`lstm_objective_vjp`], allocated once. The vjp
/// has an adjoint for every float parameter, so `state` and `sequence` get
/// one too.
struct VjpBuffers {
    grad: Vec<f64>,
    state_bar: Vec<f64>,
    sequence_bar: Vec<f64>,
}

impl VjpBuffers {
    fn new(m: &Lstm) -> Self {
        VjpBuffers {
            grad: vec![0.0; m.gradient_len()],
            state_bar: vec![0.0; m.state.len()],
            sequence_bar: vec![0.0; m.sequence.len()],
        }
    }

    /// Zeroes the adjoints, runs the vjp with `out_bar` = 1 and returns the
    /// objective; the gradient is then in `self.grad`.
    fn run(&mut self, m: &Lstm) -> f64 {
        self.grad.fill(0.0);
        self.state_bar.fill(0.0);
        self.sequence_bar.fill(0.0);
        let (main_bar, extra_bar) = self.grad.split_at_mut(8 * m.l * m.b);
        lstm_objective_vjp(
            &m.main_params,
            main_bar,
            &m.extra_params,
            extra_bar,
            &m.state,
            &mut self.state_bar,
            &m.sequence,
            &mut self.sequence_bar,
            m.l,
            m.c,
            m.b,
            1.0,
        )
    }
}

/// The ADBench file of instance (l, c), relative to the data directory.
#[must_use]
pub fn file_name(l: usize, c: usize) -> String {
    format!("lstm/lstm_l{l}_c{c}.txt")
}

/// Errors of an objective value and a gradient against ADBench's reference
/// (`reference/lstm_reference.json`) for instance (l, c), by
/// [`adbench::error`]: (objective error, largest gradient-entry error).
/// `None` when `dir` holds no reference for it.
///
/// # Panics
///
/// Panics if the reference exists but is malformed, or has a different
/// length than `gradient`.
#[must_use]
pub fn max_reference_error(
    dir: &Path,
    l: usize,
    c: usize,
    objective: f64,
    gradient: &[f64],
) -> Option<(f64, f64)> {
    let path = dir.join("reference/lstm_reference.json");
    if !path.is_file() {
        return None;
    }
    let json = adbench::read_json(&path);
    let entry = json.get(format!("lstm_l{l}_c{c}.txt"))?;
    let reference_objective = entry["objective"]
        .as_f64()
        .expect("reference objective is a number");
    let reference = adbench::json_floats(&entry["gradient"], "reference gradient");
    Some((
        adbench::error(objective, reference_objective),
        adbench::max_error(gradient, &reference),
    ))
}

/// The benchmark cases `lstm_l2_c1024` and `lstm_l4_c1024`: runs `f` (the
/// objective), `adiff` (the generated vjp, adjoints zeroed each call)
/// and `hand` ([`lstm_grad_by_hand`]). Data and buffers are prepared here,
/// and the gradients checked against each other and, with ADBench data,
/// against the reference.
#[must_use]
pub fn cases() -> Vec<Case> {
    INSTANCES.iter().map(|&(l, c)| case(l, c)).collect()
}

fn case(l: usize, c: usize) -> Case {
    let (m, detail, dir) = adbench::load_or_synthetic(&file_name(l, c), Lstm::read, || {
        Lstm::synthetic(l, c, B, adbench::SEED)
    });
    let m = Rc::new(m);

    let (value, ours) = m.gradient_adiff();
    let (hand_value, hand) = m.gradient_by_hand();
    let checks = adbench::check_lines((value, &ours), (hand_value, &hand), |v, grad| {
        dir.as_deref()
            .and_then(|dir| max_reference_error(dir, l, c, v, grad))
    });

    let f = {
        let m = Rc::clone(&m);
        Run::new("f", move || m.objective())
    };
    let adiff = {
        let m = Rc::clone(&m);
        let mut bufs = VjpBuffers::new(&m);
        Run::new("adiff", move || bufs.run(&m) + bufs.grad[0])
    };
    let hand = {
        let mut scratch = HandScratch::new(m.l, m.c, m.b);
        let mut grad = vec![0.0; m.gradient_len()];
        Run::new("hand", move || {
            lstm_grad_by_hand(&m, &mut scratch, &mut grad) + grad[0]
        })
    };
    Case {
        benchmark: format!("lstm_l{l}_c{c}"),
        detail,
        runs: vec![f, adiff, hand],
        checks,
    }
}

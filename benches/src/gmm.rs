//! ADBench GMM: the gradient of a Gaussian-mixture log-posterior.
//!
//! [`gmm_objective`] is written as a careful Rust programmer would write it
//! from the problem statement (`shared/adbench/README.md`), and `#[grad]`
//! derives [`gmm_objective_vjp`] and [`gmm_objective_grad`] from it. Its
//! helpers [`logsumexp`] and [`wishart_constant`] live in
//! `adiff-objectives`, shared with the GradBench tool, and are
//! re-exported here; the objective itself stays, because GradBench's GMM
//! lays out its parameters differently.
//! [`gmm_grad_by_hand`] is a hand-written gradient tuned for speed, the
//! yardstick for the generated one. [`cases`] times the objective and both
//! gradients on ADBench's N = 1000 instances, or on synthetic instances of
//! the same sizes when the data files are absent.

// ADBench's own code uses pi = 3.14159265359; kept as is in the
// −ND/2 ln 2π term to reproduce the reference objective bit for bit where
// possible. (The shared `wishart_constant` uses full-precision π; see its
// documentation.)
#![allow(clippy::approx_constant)]

use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use adiff::{grad, hvp, jvp, vjp};
pub use adiff_objectives::gmm::{
    logsumexp, logsumexp_jvp, logsumexp_jvp_vjp, logsumexp_vjp, wishart_constant,
};
use rand::{rngs::StdRng, Rng, SeedableRng};
use rand_distr::{StandardNormal, Uniform};

use crate::adbench;
use crate::compare::{check_line, rel_diff};
use crate::{Case, Run};

/// The instances timed by [`cases`], as (D, K); all have N = [`N`] points.
pub const INSTANCES: [(usize, usize); 4] = [(2, 5), (10, 5), (20, 10), (64, 25)];

/// Number of points of the timed instances.
pub const N: usize = 1000;

/// ADBench's value of pi in the −ND/2 ln 2π term.
const PI: f64 = 3.14159265359;

/// One GMM instance: parameters (`alpha`, `means`, `icf`) and constants.
#[derive(Clone, Debug, PartialEq)]
pub struct Gmm {
    /// Dimension D.
    pub d: usize,
    /// Number of components K.
    pub k: usize,
    /// Number of points N.
    pub n: usize,
    /// Unnormalised log weights, K values.
    pub alpha: Vec<f64>,
    /// Means, K rows of D.
    pub means: Vec<f64>,
    /// Inverse covariance factors, K rows of D(D+1)/2: D log-diagonal values
    /// `q`, then the strictly lower part `l` column by column.
    pub icf: Vec<f64>,
    /// Points, N rows of D.
    pub x: Vec<f64>,
    /// Wishart scale.
    pub gamma: f64,
    /// Wishart degrees of freedom beyond D + 1.
    pub m: usize,
}

impl Gmm {
    /// Parses an ADBench GMM file (`D K N`, alpha, means, icf, x, `gamma m`).
    ///
    /// # Panics
    ///
    /// Panics if the file cannot be read or is malformed.
    #[must_use]
    pub fn read(path: &Path) -> Gmm {
        let text = adbench::read_text(path);
        let mut t = adbench::Tokens::new(&text);
        let (d, k, n) = (t.usize(), t.usize(), t.usize());
        let alpha = t.floats(k);
        let means = t.floats(k * d);
        let icf = t.floats(k * d * (d + 1) / 2);
        let x = t.floats(n * d);
        let gamma = t.float();
        let m = t.usize();
        Gmm {
            d,
            k,
            n,
            alpha,
            means,
            icf,
            x,
            gamma,
            m,
        }
    }

    /// A synthetic instance drawn as ADBench draws its own: alpha, icf
    /// (both `q` and `l`) and the points from N(0, 1), the means from
    /// U(0, 1), gamma = 1 and m = 0. The same seed gives the same instance.
    ///
    /// ```
    /// use adiff_bench::gmm::Gmm;
    /// let g = Gmm::synthetic(3, 2, 10, 7);
    /// assert_eq!(g.icf.len(), 2 * 6);
    /// assert_eq!(g, Gmm::synthetic(3, 2, 10, 7));
    /// ```
    #[must_use]
    pub fn synthetic(d: usize, k: usize, n: usize, seed: u64) -> Gmm {
        let mut rng = StdRng::seed_from_u64(seed);
        let unit = Uniform::new(0.0, 1.0).expect("0 < 1");
        let mut normal =
            |count: usize| -> Vec<f64> { (0..count).map(|_| rng.sample(StandardNormal)).collect() };
        let alpha = normal(k);
        let icf = normal(k * d * (d + 1) / 2);
        let x = normal(n * d);
        let means = (0..k * d).map(|_| rng.sample(unit)).collect();
        Gmm {
            d,
            k,
            n,
            alpha,
            means,
            icf,
            x,
            gamma: 1.0,
            m: 0,
        }
    }

    /// The number of gradient entries, K(D+1)(D+2)/2.
    #[must_use]
    pub fn gradient_len(&self) -> usize {
        self.k * (self.d + 1) * (self.d + 2) / 2
    }

    /// The parameter-free Wishart normaliser C of the objective.
    #[must_use]
    pub fn constant(&self) -> f64 {
        wishart_constant(self.d, self.m, self.gamma)
    }

    /// The objective, [`gmm_objective`] on this instance.
    #[must_use]
    pub fn objective(&self) -> f64 {
        gmm_objective(
            &self.alpha,
            &self.means,
            &self.icf,
            &self.x,
            self.d,
            self.k,
            self.n,
            self.gamma,
            self.m,
            self.constant(),
        )
    }

    /// The objective and its gradient from the generated
    /// [`gmm_objective_vjp`], flattened as ADBench does (alpha, means, icf).
    ///
    /// ```
    /// use adiff_bench::gmm::Gmm;
    /// let g = Gmm::synthetic(2, 3, 4, 1);
    /// let (v, grad) = g.gradient_adiff();
    /// assert_eq!(v, g.objective());
    /// assert_eq!(grad.len(), g.gradient_len());
    /// ```
    #[must_use]
    pub fn gradient_adiff(&self) -> (f64, Vec<f64>) {
        let mut bufs = VjpBuffers::new(self);
        let v = bufs.run(self, self.constant());
        (v, bufs.grad)
    }

    /// The objective, its gradient and the Hessian-vector product `H·v`
    /// from `gmm_objective_hvp`, with `v` and both vectors laid out as the
    /// gradient is (alpha, means, icf).
    ///
    /// ```
    /// use adiff_bench::gmm::Gmm;
    /// let g = Gmm::synthetic(2, 3, 4, 1);
    /// let (v, grad, hv) = g.hvp(&vec![0.0; g.gradient_len()]);
    /// let (w, reference) = g.gradient_adiff();
    /// assert_eq!(v, w);
    /// assert!(adiff_bench::adbench::max_error(&grad, &reference) < 1e-12);
    /// assert!(hv.iter().all(|h| *h == 0.0));
    /// ```
    #[must_use]
    pub fn hvp(&self, v: &[f64]) -> (f64, Vec<f64>, Vec<f64>) {
        let (va, rest) = v.split_at(self.alpha.len());
        let (vm, vi) = rest.split_at(self.means.len());
        let (value, (ga, gm, gi), (ha, hm, hi)) = gmm_objective_hvp(
            &self.alpha,
            va,
            &self.means,
            vm,
            &self.icf,
            vi,
            &self.x,
            self.d,
            self.k,
            self.n,
            self.gamma,
            self.m,
            self.constant(),
        );
        (value, [ga, gm, gi].concat(), [ha, hm, hi].concat())
    }

    /// The instance with (alpha, means, icf) moved by `t · v`, `v` laid
    /// out as the gradient is.
    ///
    /// ```
    /// use adiff_bench::gmm::Gmm;
    /// let g = Gmm::synthetic(2, 3, 4, 1);
    /// let mut v = vec![0.0; g.gradient_len()];
    /// v[0] = 1.0;
    /// assert_eq!(g.shifted(0.5, &v).alpha[0], g.alpha[0] + 0.5);
    /// ```
    #[must_use]
    pub fn shifted(&self, t: f64, v: &[f64]) -> Gmm {
        let mut q = self.clone();
        let params = q.alpha.iter_mut().chain(&mut q.means).chain(&mut q.icf);
        for (p, ve) in params.zip(v) {
            *p += t * ve;
        }
        q
    }

    /// The objective and its gradient from [`gmm_grad_by_hand`].
    ///
    /// ```
    /// use adiff_bench::gmm::Gmm;
    /// let g = Gmm::synthetic(2, 3, 4, 1);
    /// let (v, grad) = g.gradient_by_hand();
    /// let (w, reference) = g.gradient_adiff();
    /// assert!((v - w).abs() < 1e-12);
    /// assert!(adiff_bench::adbench::max_error(&grad, &reference) < 1e-12);
    /// ```
    #[must_use]
    pub fn gradient_by_hand(&self) -> (f64, Vec<f64>) {
        let mut scratch = HandScratch::new(self.d, self.k);
        let mut grad = vec![0.0; self.gradient_len()];
        let v = gmm_grad_by_hand(self, self.constant(), &mut scratch, &mut grad);
        (v, grad)
    }
}

/// The log Wishart prior, summed over the K components:
/// Σ_k ½ γ² (‖exp(q_k)‖² + ‖l_k‖²) − m Σ_j q_kj.
///
/// ```
/// // One component in D = 1: q = 0, so ½ exp(0)² = ½.
/// let p = adiff_bench::gmm::log_wishart_prior(&[0.0], 1, 1, 1.0, 0);
/// assert_eq!(p, 0.5);
/// ```
#[vjp]
#[jvp]
#[hvp]
#[must_use]
#[allow(clippy::cast_precision_loss)]
pub fn log_wishart_prior(icf: &[f64], d: usize, k: usize, gamma: f64, m: usize) -> f64 {
    let icf_size = d * (d + 1) / 2;
    let mut prior = 0.0;
    for c in 0..k {
        let mut frobenius = 0.0;
        let mut sum_q = 0.0;
        for j in 0..d {
            let q = icf[c * icf_size + j];
            sum_q += q;
            frobenius += (2.0 * q).exp();
        }
        for j in d..icf_size {
            let l = icf[c * icf_size + j];
            frobenius += l * l;
        }
        prior += 0.5 * gamma * gamma * frobenius - m as f64 * sum_q;
    }
    prior
}

/// ADBench's GMM objective E(alpha, means, icf) on points `x` (N rows of
/// D); `constant` is [`wishart_constant`]`(d, m, gamma)`.
///
/// ```
/// use adiff_bench::gmm::{gmm_objective, wishart_constant};
/// // D = 1, K = 1, one point at the mean, q = 0:
/// // -½ ln 2π + 0 - 0 + ½ - C.
/// let c = wishart_constant(1, 0, 1.0);
/// let e = gmm_objective(&[0.0], &[0.5], &[0.0], &[0.5], 1, 1, 1, 1.0, 0, c);
/// assert!((e - (-0.5 * (2.0 * 3.14159265359f64).ln() + 0.5 - c)).abs() < 1e-15);
/// ```
#[grad(wrt(alpha, means, icf))]
#[hvp(wrt(alpha, means, icf))]
#[must_use]
#[allow(
    clippy::too_many_arguments,
    clippy::needless_range_loop,
    clippy::cast_precision_loss
)]
pub fn gmm_objective(
    alpha: &[f64],
    means: &[f64],
    icf: &[f64],
    x: &[f64],
    d: usize,
    k: usize,
    n: usize,
    gamma: f64,
    m: usize,
    constant: f64,
) -> f64 {
    let icf_size = d * (d + 1) / 2;
    // exp(q) and Σ q of each component do not depend on the point.
    let mut qdiag = vec![0.0; k * d];
    let mut sum_q = vec![0.0; k];
    for c in 0..k {
        for j in 0..d {
            let q = icf[c * icf_size + j];
            qdiag[c * d + j] = q.exp();
            sum_q[c] += q;
        }
    }
    // x − μ for one point and component.
    let mut xc = vec![0.0; d];
    let mut beta = vec![0.0; k];
    let mut sum_lse = 0.0;
    for i in 0..n {
        for c in 0..k {
            for j in 0..d {
                xc[j] = x[i * d + j] - means[c * d + j];
            }
            // ‖Q (x − μ)‖², row by row: row r of Q is exp(q_r) on the
            // diagonal and l[r][col] for col < r, with the strictly lower
            // part stored column by column (column col starts at
            // col (2d − col − 1) / 2).
            let mut sqnorm = 0.0;
            for r in 0..d {
                let mut qx = qdiag[c * d + r] * xc[r];
                for col in 0..r {
                    qx +=
                        icf[c * icf_size + d + col * (2 * d - col - 1) / 2 + r - col - 1] * xc[col];
                }
                sqnorm += qx * qx;
            }
            beta[c] = alpha[c] + sum_q[c] - 0.5 * sqnorm;
        }
        sum_lse += logsumexp(&beta);
    }
    let prior = log_wishart_prior(icf, d, k, gamma, m);
    -((n * d) as f64) * 0.5 * (2.0 * PI).ln() + sum_lse - n as f64 * logsumexp(alpha) + prior
        - k as f64 * constant
}

/// Scratch space of [`gmm_grad_by_hand`], allocated once per size.
#[derive(Clone, Debug)]
pub struct HandScratch {
    qdiag: Vec<f64>,
    sum_q: Vec<f64>,
    xc: Vec<f64>,
    qxc: Vec<f64>,
    beta: Vec<f64>,
    weight_sum: Vec<f64>,
}

impl HandScratch {
    /// Scratch for instances of dimension `d` with `k` components.
    #[must_use]
    pub fn new(d: usize, k: usize) -> Self {
        HandScratch {
            qdiag: vec![0.0; k * d],
            sum_q: vec![0.0; k],
            xc: vec![0.0; k * d],
            qxc: vec![0.0; k * d],
            beta: vec![0.0; k],
            weight_sum: vec![0.0; k],
        }
    }
}

/// A hand-written gradient of [`gmm_objective`] with respect to (alpha,
/// means, icf), written for speed: one pass over the points, each point's
/// adjoint right after its forward computation (the objective is a sum over
/// points), the lower triangle of Q read once per point and component for
/// both Qᵀv and the outer-product update of its adjoint, and the terms that
/// are linear in the points' weights summed before they are scaled.
///
/// Overwrites `grad` (length [`Gmm::gradient_len`], laid out as ADBench
/// does) and returns the objective.
///
/// # Panics
///
/// Panics if `grad` or `scratch` do not match the instance's sizes.
#[allow(clippy::cast_precision_loss, clippy::similar_names)]
pub fn gmm_grad_by_hand(g: &Gmm, constant: f64, s: &mut HandScratch, grad: &mut [f64]) -> f64 {
    let (d, k, n) = (g.d, g.k, g.n);
    let icf_size = d * (d + 1) / 2;
    assert_eq!(grad.len(), g.gradient_len(), "gradient length");
    assert_eq!(s.xc.len(), k * d, "scratch sized for another instance");
    let (g_alpha, rest) = grad.split_at_mut(k);
    let (g_means, g_icf) = rest.split_at_mut(k * d);
    g_means.fill(0.0);
    g_icf.fill(0.0);
    s.weight_sum.fill(0.0);

    for c in 0..k {
        let q = &g.icf[c * icf_size..c * icf_size + d];
        for (qd, &qj) in s.qdiag[c * d..(c + 1) * d].iter_mut().zip(q) {
            *qd = qj.exp();
        }
        s.sum_q[c] = q.iter().sum();
    }

    let mut sum_lse = 0.0;
    for xi in g.x.chunks_exact(d) {
        // Forward: beta_c, keeping x − μ_c and Q_c (x − μ_c) for the adjoint.
        let mut max = f64::NEG_INFINITY;
        for c in 0..k {
            let xc = &mut s.xc[c * d..(c + 1) * d];
            let qxc = &mut s.qxc[c * d..(c + 1) * d];
            let mu = &g.means[c * d..(c + 1) * d];
            let qdiag = &s.qdiag[c * d..(c + 1) * d];
            for j in 0..d {
                xc[j] = xi[j] - mu[j];
                qxc[j] = qdiag[j] * xc[j];
            }
            let l = &g.icf[c * icf_size + d..(c + 1) * icf_size];
            let mut off = 0;
            for col in 0..d {
                let xcol = xc[col];
                let len = d - col - 1;
                for (qr, &lv) in qxc[col + 1..].iter_mut().zip(&l[off..off + len]) {
                    *qr += lv * xcol;
                }
                off += len;
            }
            let sqnorm: f64 = qxc.iter().map(|v| v * v).sum();
            let beta = g.alpha[c] + s.sum_q[c] - 0.5 * sqnorm;
            s.beta[c] = beta;
            max = max.max(beta);
        }
        let mut sum_exp = 0.0;
        for b in &mut s.beta[..k] {
            *b = (*b - max).exp();
            sum_exp += *b;
        }
        sum_lse += max + sum_exp.ln();

        // Reverse: w_c = d lse / d beta_c; beta_c's adjoint w_c reaches
        // Q (x − μ) as −w_c Q (x − μ).
        let inv = 1.0 / sum_exp;
        for c in 0..k {
            let w = s.beta[c] * inv;
            s.weight_sum[c] += w;
            let xc = &s.xc[c * d..(c + 1) * d];
            let qxc = &s.qxc[c * d..(c + 1) * d];
            let qdiag = &s.qdiag[c * d..(c + 1) * d];
            let l = &g.icf[c * icf_size + d..(c + 1) * icf_size];
            let (g_q, g_l) = g_icf[c * icf_size..(c + 1) * icf_size].split_at_mut(d);
            let g_mu = &mut g_means[c * d..(c + 1) * d];
            let mut off = 0;
            for col in 0..d {
                let len = d - col - 1;
                let wx = w * xc[col];
                // (Qᵀ qxc)_col and the outer product qxc xcᵀ in one pass.
                let mut acc = qdiag[col] * qxc[col];
                for ((&lv, gl), &qr) in l[off..off + len]
                    .iter()
                    .zip(&mut g_l[off..off + len])
                    .zip(&qxc[col + 1..])
                {
                    acc += lv * qr;
                    *gl -= qr * wx;
                }
                off += len;
                // x − μ has adjoint −w Qᵀ qxc; μ gets its negative.
                g_mu[col] += w * acc;
                // Through exp(q): the diagonal's own term, scaled later.
                g_q[col] -= wx * qxc[col];
            }
        }
    }

    // Constant-per-component factors of the sums above, the alpha
    // normaliser, and the prior.
    let lse_alpha = logsumexp(&g.alpha);
    let gamma2 = g.gamma * g.gamma;
    let mut prior = 0.0;
    for c in 0..k {
        g_alpha[c] = s.weight_sum[c] - n as f64 * (g.alpha[c] - lse_alpha).exp();
        let (g_q, g_l) = g_icf[c * icf_size..(c + 1) * icf_size].split_at_mut(d);
        let q = &g.icf[c * icf_size..c * icf_size + d];
        let l = &g.icf[c * icf_size + d..(c + 1) * icf_size];
        let mut frobenius = 0.0;
        for (gq, &e) in g_q.iter_mut().zip(&s.qdiag[c * d..(c + 1) * d]) {
            frobenius += e * e;
            *gq = *gq * e + s.weight_sum[c] + gamma2 * e * e - g.m as f64;
        }
        for (gl, &lv) in g_l.iter_mut().zip(l) {
            frobenius += lv * lv;
            *gl += gamma2 * lv;
        }
        prior += 0.5 * gamma2 * frobenius - g.m as f64 * q.iter().sum::<f64>();
    }
    -((n * d) as f64) * 0.5 * (2.0 * PI).ln() + sum_lse - n as f64 * lse_alpha + prior
        - k as f64 * constant
}

/// The adjoint buffers of [`gmm_objective_vjp`], allocated once. The vjp
/// has an adjoint for every float parameter, so `x`, `gamma` and
/// `constant` get one too.
struct VjpBuffers {
    grad: Vec<f64>,
    x_bar: Vec<f64>,
}

impl VjpBuffers {
    fn new(g: &Gmm) -> Self {
        VjpBuffers {
            grad: vec![0.0; g.gradient_len()],
            x_bar: vec![0.0; g.x.len()],
        }
    }

    /// Zeroes the adjoints, runs the vjp with `out_bar` = 1 and returns the
    /// objective; the gradient is then in `self.grad`.
    fn run(&mut self, g: &Gmm, constant: f64) -> f64 {
        self.grad.fill(0.0);
        self.x_bar.fill(0.0);
        let (alpha_bar, rest) = self.grad.split_at_mut(g.k);
        let (means_bar, icf_bar) = rest.split_at_mut(g.k * g.d);
        let (mut gamma_bar, mut constant_bar) = (0.0, 0.0);
        gmm_objective_vjp(
            &g.alpha,
            alpha_bar,
            &g.means,
            means_bar,
            &g.icf,
            icf_bar,
            &g.x,
            &mut self.x_bar,
            g.d,
            g.k,
            g.n,
            g.gamma,
            &mut gamma_bar,
            g.m,
            constant,
            &mut constant_bar,
            1.0,
        )
    }
}

/// The ADBench file of instance (D, K) with N = 1000, relative to the
/// data directory.
#[must_use]
pub fn file_name(d: usize, k: usize) -> String {
    format!("gmm/1k/gmm_d{d}_K{k}.txt")
}

/// Errors of an objective value and a gradient against ADBench's reference
/// for instance (D, K) with N = 1000, by [`adbench::error`]: (objective
/// error, largest gradient-entry error). `None` when `dir` holds no
/// reference for it.
///
/// # Panics
///
/// Panics if the reference exists but is malformed, or has a different
/// length than `gradient`.
#[must_use]
pub fn max_reference_error(
    dir: &Path,
    d: usize,
    k: usize,
    objective: f64,
    gradient: &[f64],
) -> Option<(f64, f64)> {
    let index = dir.join("reference/gmm/objectives.json");
    if !index.is_file() {
        return None;
    }
    let json = adbench::read_json(&index);
    let entry = json.get(file_name(d, k))?;
    let reference_objective = entry["objective"]
        .as_f64()
        .expect("reference objective is a number");
    let grad_file = dir.join(
        entry["gradient_file"]
            .as_str()
            .expect("reference gradient_file is a string"),
    );
    let text = adbench::read_text(&grad_file);
    let reference = adbench::Tokens::new(&text).floats(text.split_whitespace().count());
    Some((
        adbench::error(objective, reference_objective),
        adbench::max_error(gradient, &reference),
    ))
}

/// The benchmark cases `gmm_d2K5`, `gmm_d10K5`, `gmm_d20K10` and
/// `gmm_d64K25`: runs `f` (the objective), `adiff` (the generated vjp,
/// adjoints zeroed each call) and `hand` ([`gmm_grad_by_hand`]). Data and
/// buffers are prepared here, and the gradients checked against each other
/// and, with ADBench data, against the references.
#[must_use]
pub fn cases() -> Vec<Case> {
    INSTANCES.iter().map(|&(d, k)| case(d, k)).collect()
}

fn case(d: usize, k: usize) -> Case {
    let (g, detail, dir) = adbench::load_or_synthetic(&file_name(d, k), Gmm::read, || {
        Gmm::synthetic(d, k, N, adbench::SEED)
    });
    let g = Rc::new(g);
    let constant = g.constant();

    let (value, ours) = g.gradient_adiff();
    let (hand_value, hand) = g.gradient_by_hand();
    let checks = adbench::check_lines((value, &ours), (hand_value, &hand), |v, grad| {
        dir.as_deref()
            .and_then(|dir| max_reference_error(dir, d, k, v, grad))
    });

    let f = {
        let g = Rc::clone(&g);
        Run::new("f", move || {
            gmm_objective(
                &g.alpha, &g.means, &g.icf, &g.x, g.d, g.k, g.n, g.gamma, g.m, constant,
            )
        })
    };
    let adiff = {
        let g = Rc::clone(&g);
        let mut bufs = VjpBuffers::new(&g);
        Run::new("adiff", move || bufs.run(&g, constant) + bufs.grad[0])
    };
    // `f_hvp` along a fixed pseudo-random direction: its gradient is the
    // generated one, and `H·v` matches central differences of it.
    let direction = hvp_direction(g.gradient_len());
    let (hvp_value, hvp_grad, hv) = g.hvp(&direction);
    let mut checks = checks;
    checks.extend(hvp_checks(
        &g,
        &direction,
        (value, &ours),
        (hvp_value, &hvp_grad, &hv),
    ));
    let adiff_hvp = {
        let g = Rc::clone(&g);
        Run::new("adiff f_hvp", move || {
            let (value, grad, hv) = g.hvp(black_box(&direction));
            value + grad[0] + hv[0]
        })
    };
    let hand = {
        let mut scratch = HandScratch::new(g.d, g.k);
        let mut grad = vec![0.0; g.gradient_len()];
        Run::new("hand", move || {
            gmm_grad_by_hand(&g, constant, &mut scratch, &mut grad) + grad[0]
        })
    };
    Case {
        benchmark: format!("gmm_d{d}K{k}"),
        detail,
        runs: vec![f, adiff, hand, adiff_hvp],
        checks,
    }
}

/// A direction for the benchmark's `f_hvp`: entries in [-1, 1) from a
/// fixed linear congruential sequence.
fn hvp_direction(len: usize) -> Vec<f64> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 52) as f64 - 1.0
        })
        .collect()
}

/// The checks of `f_hvp`: value and gradient against `f_vjp`'s, and `H·v`
/// against central differences of the generated gradient along `v`.
fn hvp_checks(
    g: &Gmm,
    v: &[f64],
    (value, grad): (f64, &[f64]),
    (hvp_value, hvp_grad, hv): (f64, &[f64], &[f64]),
) -> Vec<String> {
    let step = 1e-6;
    let grad_at = |t: f64| g.shifted(t, v).gradient_adiff().1;
    let fd: Vec<f64> = grad_at(step)
        .iter()
        .zip(grad_at(-step))
        .map(|(a, b)| (a - b) / (2.0 * step))
        .collect();
    vec![
        check_line(
            "value of f_hvp vs f_vjp",
            rel_diff(&[hvp_value], &[value]),
            1e-13,
        ),
        check_line("f_hvp gradient vs f_vjp", rel_diff(hvp_grad, grad), 1e-12),
        check_line(
            "f_hvp vs differences of the gradient",
            rel_diff(hv, &fd),
            1e-5,
        ),
    ]
}

//! gmm (§2.6): the log-posterior of a Gaussian mixture model with a Wishart
//! prior, GradBench's corrected version of ADBench's GMM.
//!
//! The objective is this eval's own (GradBench keeps `q` and `l` apart and
//! flips the sign of ADBench's log-prior); its helpers `logsumexp` and
//! `wishart_constant` come from `adiff-objectives`, shared with the
//! benchmark suite's ADBench GMM.

use std::f64::consts::PI;
use std::hint::black_box;

use adiff::grad;
use adiff_objectives::gmm::{logsumexp, logsumexp_vjp, wishart_constant};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{flatten, measure, nest, parse, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    d: usize,
    k: usize,
    n: usize,
    x: Vec<Vec<f64>>,
    m: usize,
    gamma: f64,
    alpha: Vec<f64>,
    mu: Vec<Vec<f64>>,
    q: Vec<Vec<f64>>,
    l: Vec<Vec<f64>>,
}

/// The gradient, in the input's nested shapes.
#[derive(Serialize)]
struct Gradient {
    alpha: Vec<f64>,
    mu: Vec<Vec<f64>>,
    q: Vec<Vec<f64>>,
    l: Vec<Vec<f64>>,
}

/// The GMM log-posterior. `x` is `n` points of dimension `d` (row-major);
/// component c has weight `alpha[c]`, mean `mu[c*d..]`, log-diagonal
/// `q[c*d..]` and strictly lower triangle `l[c*d(d-1)/2..]` of Q_c, filled
/// column by column. `wishart` is the prior's normalising constant C.
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
#[grad(wrt(alpha, mu, q, l))]
pub fn gmm_objective(
    alpha: &[f64],
    mu: &[f64],
    q: &[f64],
    l: &[f64],
    x: &[f64],
    d: usize,
    k: usize,
    n: usize,
    gamma: f64,
    m: usize,
    wishart: f64,
) -> f64 {
    let tri = d * (d - 1) / 2;
    // exp(q) and Σ_j q_j are shared by all points.
    let mut diag = vec![0.0; k * d];
    let mut sum_q = vec![0.0; k];
    for c in 0..k {
        for j in 0..d {
            diag[c * d + j] = q[c * d + j].exp();
            sum_q[c] += q[c * d + j];
        }
    }
    let mut beta = vec![0.0; k];
    let mut sum_lse = 0.0;
    for i in 0..n {
        for c in 0..k {
            // ‖Q_c (x_i − mu_c)‖², Q_c lower triangular, one row at a time.
            let mut sqnorm = 0.0;
            for r in 0..d {
                let mut qx = diag[c * d + r] * (x[i * d + r] - mu[c * d + r]);
                for col in 0..r {
                    let idx = c * tri + col * (2 * d - col - 1) / 2 + r - col - 1;
                    qx += l[idx] * (x[i * d + col] - mu[c * d + col]);
                }
                sqnorm += qx * qx;
            }
            beta[c] = alpha[c] + sum_q[c] - 0.5 * sqnorm;
        }
        sum_lse += logsumexp(&beta);
    }
    let loglik = -((n * d) as f64) / 2.0 * (2.0 * PI).ln() + sum_lse - n as f64 * logsumexp(alpha);
    let mut prior = k as f64 * wishart;
    for c in 0..k {
        let mut frobenius = 0.0;
        for j in 0..d {
            frobenius += diag[c * d + j] * diag[c * d + j];
        }
        for t in 0..tri {
            frobenius += l[c * tri + t] * l[c * tri + t];
        }
        prior -= 0.5 * gamma * gamma * frobenius - m as f64 * sum_q[c];
    }
    loglik + prior
}

/// Evaluates `objective` (a number) or `jacobian` (the gradient, as
/// `{"alpha", "mu", "q", "l"}`).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let data: Input = parse(input)?;
    let (d, k, n, m, gamma) = (data.d, data.k, data.n, data.m, data.gamma);
    if d == 0 || data.alpha.len() != k || data.x.len() != n {
        return Err(format!(
            "gmm needs d >= 1, k alphas and n points; got d = {d}, {} alphas for k = {k}, {} points for n = {n}",
            data.alpha.len(),
            data.x.len()
        ));
    }
    let tri = d * (d - 1) / 2;
    let x = flatten(&data.x, d, "x")?;
    let mu = flatten(&data.mu, d, "mu")?;
    let q = flatten(&data.q, d, "q")?;
    let l = flatten(&data.l, tri, "l")?;
    if mu.len() != k * d || q.len() != k * d || l.len() != k * tri {
        return Err(format!("gmm: mu, q and l need k = {k} rows"));
    }
    let alpha = data.alpha;
    match function {
        "objective" => measure(
            input,
            || {
                let wishart = wishart_constant(d, m, gamma);
                gmm_objective(
                    black_box(&alpha),
                    black_box(&mu),
                    black_box(&q),
                    black_box(&l),
                    &x,
                    d,
                    k,
                    n,
                    gamma,
                    m,
                    wishart,
                )
            },
            |y| y,
        ),
        "jacobian" => measure(
            input,
            || {
                let wishart = wishart_constant(d, m, gamma);
                gmm_objective_grad(
                    black_box(&alpha),
                    black_box(&mu),
                    black_box(&q),
                    black_box(&l),
                    &x,
                    d,
                    k,
                    n,
                    gamma,
                    m,
                    wishart,
                )
                .1
            },
            |(alpha, mu, q, l)| Gradient {
                alpha,
                mu: nest(&mu, k, d),
                q: nest(&q, k, d),
                l: nest(&l, k, tri),
            },
        ),
        other => Err(unknown_function("gmm", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{assert_gradient, values};

    /// ADBench's `test.txt` instance in GradBench form, with the reference
    /// tool's values (`shared/gradbench/README.md` §2.6).
    #[test]
    fn matches_the_readme_hand_check() {
        let alpha = [-0.649014, 1.181166, -0.758453];
        let mu = [0.092339, 0.186260, 0.345561, 0.396767, 0.538817, 0.419195];
        let q = [
            0.586443, -0.851887, -1.509405, 0.875874, 0.166813, -1.965419,
        ];
        let l = [0.800321, -0.242790, -1.270071];
        let x = [1.175171, 2.029160];
        let c = wishart_constant(2, 0, 1.0);
        let (value, (ga, gm, gq, gl)) =
            gmm_objective_grad(&alpha, &mu, &q, &l, &x, 2, 3, 1, 1.0, 0, c);
        assert!((value - -20.067360546658307).abs() < 1e-10, "{value}");
        let expected: [(&[f64], &[f64]); 4] = [
            (&ga, &[0.1086629, -0.7412700, 0.6326072]),
            (
                &gm,
                &[
                    1.1169258, 0.1633330, -0.0219990, 0.2277783, 1.2096303, -0.0606376,
                ],
            ),
            (
                &gq,
                &[
                    -3.8773095, -0.2513581, -0.0242006, -6.1109774, -1.0731188, 0.8208367,
                ],
            ),
            (&gl, &[-1.2148977, 0.1640856, 1.5455011]),
        ];
        for (ours, reference) in expected {
            for (a, b) in ours.iter().zip(reference) {
                assert!((a - b).abs() < 1e-6, "{ours:?} vs {reference:?}");
            }
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (d, k, n, m, gamma) = (3, 2, 4, 1, 0.8);
        let tri = d * (d - 1) / 2;
        let x = values(1, n * d, -1.0, 1.0);
        // alpha, mu, q and l, one after the other.
        let theta = values(2, k + 2 * k * d + k * tri, -1.0, 1.0);
        let c = wishart_constant(d, m, gamma);
        let split = |t: &[f64]| {
            let (alpha, rest) = t.split_at(k);
            let (mu, rest) = rest.split_at(k * d);
            let (q, l) = rest.split_at(k * d);
            gmm_objective(alpha, mu, q, l, &x, d, k, n, gamma, m, c)
        };
        let (alpha, rest) = theta.split_at(k);
        let (mu, rest) = rest.split_at(k * d);
        let (q, l) = rest.split_at(k * d);
        let (value, (ga, gm, gq, gl)) =
            gmm_objective_grad(alpha, mu, q, l, &x, d, k, n, gamma, m, c);
        assert_eq!(value, split(&theta));
        assert_gradient(split, &theta, &[ga, gm, gq, gl].concat());
    }
}

//! Dense Hessians of the extended Rosenbrock function at n = 10 and
//! n = 100: `f_hessian` (one reverse-over-forward sweep per column) against
//! a hand-written Hessian and, with the `peers` feature, num-dual's
//! `hessian` (hyper-dual numbers, one evaluation per entry of the upper
//! triangle, for a dynamic dimension; `Dual2Vec`, one evaluation carrying
//! the whole Hessian, for a static one).

use std::hint::black_box;

use adiff::{hessian, Matrix};

use crate::compare::check_line;
// `pairs_hessian` calls the callee's derivatives by name.
use crate::rosenbrock::{rosenbrock, rosenbrock_jvp, rosenbrock_jvp_vjp, rosenbrock_start};
use crate::{Case, Run};

/// The sizes of the report's cases.
pub const SIZES: [usize; 2] = [10, 100];

/// The benchmarks' Rosenbrock function through a call, so that its
/// Hessian comes from `rosenbrock_jvp` and `rosenbrock_jvp_vjp` (the
/// function's `#[jvp]` and `#[hvp]`).
///
/// ```
/// let x = [0.5, 0.3, -1.2, 1.0];
/// let (_, _, h) = adiff_bench::hessian::pairs_hessian(&x);
/// let hand = adiff_bench::hessian::hessian_by_hand(&x);
/// for (a, b) in h.as_slice().iter().zip(hand.as_slice()) {
///     assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0));
/// }
/// ```
#[hessian]
pub fn pairs(x: &[f64]) -> f64 {
    rosenbrock(x)
}

/// The Hessian of Σ 100 (b − a²)² + (1 − a)² over the pairs (a, b) =
/// (`x[2i]`, `x[2i+1]`), written out: 2 × 2 blocks on the diagonal.
#[must_use]
pub fn hessian_by_hand(x: &[f64]) -> Matrix<f64> {
    let n = x.len();
    let mut h = Matrix::zeros(n, n);
    for i in 0..n / 2 {
        let (a, b) = (x[2 * i], x[2 * i + 1]);
        let (p, q) = (2 * i, 2 * i + 1);
        h[(p, p)] = 1200.0 * a * a - 400.0 * b + 2.0;
        h[(p, q)] = -400.0 * a;
        h[(q, p)] = -400.0 * a;
        h[(q, q)] = 200.0;
    }
    h
}

/// The largest entry difference over the largest entry.
fn rel_diff_matrix(a: &Matrix<f64>, b: &Matrix<f64>) -> f64 {
    let scale = b.as_slice().iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let diff = a
        .as_slice()
        .iter()
        .zip(b.as_slice())
        .fold(0.0_f64, |m, (x, y)| m.max((x - y).abs()));
    diff / scale.max(f64::MIN_POSITIVE)
}

/// The report's cases.
#[must_use]
pub fn cases() -> Vec<Case> {
    SIZES.iter().map(|&n| case(n)).collect()
}

/// The case for one size: `f`, `f_hessian`, the hand-written Hessian, and
/// the peers.
///
/// # Panics
/// If `n` is odd.
#[must_use]
pub fn case(n: usize) -> Case {
    assert!(n.is_multiple_of(2), "the pairs need an even n");
    let x = rosenbrock_start(n);
    let hand = hessian_by_hand(&x);
    let (value, _, h) = pairs_hessian(&x);
    let mut checks = vec![
        check_line(
            "f_hessian value vs f",
            (value - rosenbrock(&x)).abs() / value.abs(),
            0.0,
        ),
        check_line("f_hessian vs hand", rel_diff_matrix(&h, &hand), 1e-14),
    ];
    let mut runs = vec![
        Run::new("f", {
            let x = x.clone();
            move || rosenbrock(black_box(&x))
        }),
        Run::new("adiff f_hessian", {
            let x = x.clone();
            move || {
                let (v, g, h) = pairs_hessian(black_box(&x));
                v + g[0] + h[(0, 0)]
            }
        }),
        Run::new("hand", {
            let x = x.clone();
            move || hessian_by_hand(black_box(&x))[(0, 0)]
        }),
    ];
    runs.extend(peers(&x, &hand, &mut checks));
    Case {
        benchmark: format!("hessian_n{n}"),
        detail: format!("extended Rosenbrock, x = (-1.2, 1, ...), dense {n} × {n}"),
        runs,
        checks,
    }
}

/// num-dual's runs, with the `peers` feature.
#[cfg(feature = "peers")]
fn peers(x: &[f64], hand: &Matrix<f64>, checks: &mut Vec<String>) -> Vec<Run> {
    crate::rosenbrock::num_dual_hessian_runs(x, hand, checks)
}

#[cfg(not(feature = "peers"))]
fn peers(_: &[f64], _: &Matrix<f64>, checks: &mut Vec<String>) -> Vec<Run> {
    checks.push("num-dual: not built (enable the `peers` feature)".into());
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_hessian_is_the_hand_hessian_and_symmetric() {
        for n in SIZES {
            let x: Vec<f64> = (0..n).map(|i| 0.3 * (i as f64).cos() - 0.1).collect();
            let (_, g, h) = pairs_hessian(&x);
            assert!(rel_diff_matrix(&h, &hessian_by_hand(&x)) <= 1e-14);
            let want = crate::rosenbrock::rosenbrock_grad(&x).1;
            assert!(crate::compare::rel_diff(&g, &want) <= 1e-14);
            for i in 0..n {
                for j in 0..n {
                    assert_eq!(h[(i, j)], h[(j, i)]);
                }
            }
        }
    }
}

//! kmeans (§3.1): the k-means cost Σ_i min_j ‖C_j − P_i‖², and the Newton
//! direction J ⊘ h, where J is the gradient with respect to the centroids
//! and h the diagonal of the Hessian.
//!
//! The Hessian is diagonal (each centroid coordinate enters only the squared
//! distances of the points nearest to it), so h = H·1: one `#[hvp]` sweep
//! with an all-ones direction gives J and h together. That sweep is reverse
//! mode over forward mode's output (`cost_jvp_vjp`); the reference tools
//! compute the same product as forward over reverse.

use std::hint::black_box;

use adiff::hvp;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{flatten, measure, nest, parse, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    points: Vec<Vec<f64>>,
    centroids: Vec<Vec<f64>>,
}

/// Σ_i min_j ‖C_j − P_i‖² over `n` points and `k` centroids of dimension
/// `d`, both row-major. A tie goes to the lowest `j` (the comparison is
/// strict), which the derivative follows.
#[allow(clippy::needless_range_loop)]
#[hvp(wrt(centroids))]
pub fn cost(points: &[f64], centroids: &[f64], n: usize, k: usize, d: usize) -> f64 {
    let mut total = 0.0;
    for i in 0..n {
        let mut best = f64::INFINITY;
        for j in 0..k {
            let mut dist = 0.0;
            for l in 0..d {
                let e = centroids[j * d + l] - points[i * d + l];
                dist += e * e;
            }
            if dist < best {
                best = dist;
            }
        }
        total += best;
    }
    total
}

/// The Newton direction J ⊘ h, row-major like the centroids.
pub fn dir(points: &[f64], centroids: &[f64], n: usize, k: usize, d: usize) -> Vec<f64> {
    let ones = vec![1.0; centroids.len()];
    let (_, gradient, diagonal) = cost_hvp(points, centroids, &ones, n, k, d);
    gradient.iter().zip(&diagonal).map(|(g, h)| g / h).collect()
}

/// Evaluates `cost` (a number) or `dir` (`[k][d]`).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let Input { points, centroids } = parse(input)?;
    let d = centroids
        .first()
        .or(points.first())
        .map_or(0, |row| row.len());
    let (n, k) = (points.len(), centroids.len());
    let p = flatten(&points, d, "points")?;
    let c = flatten(&centroids, d, "centroids")?;
    match function {
        "cost" => measure(input, || cost(black_box(&p), black_box(&c), n, k, d), |y| y),
        "dir" => measure(
            input,
            || dir(black_box(&p), black_box(&c), n, k, d),
            |v| nest(&v, k, d),
        ),
        other => Err(unknown_function("kmeans", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{assert_gradient, central, values};

    /// The closed form the eval's reference uses: C_j minus the mean of
    /// the points nearest to C_j (ties to the lowest j).
    fn closed_form(p: &[f64], c: &[f64], n: usize, k: usize, d: usize) -> Vec<f64> {
        let mut sum = vec![0.0; k * d];
        let mut count = vec![0usize; k];
        for i in 0..n {
            let dist =
                |j: usize| -> f64 { (0..d).map(|l| (c[j * d + l] - p[i * d + l]).powi(2)).sum() };
            let j = (1..k).fold(0, |b, j| if dist(j) < dist(b) { j } else { b });
            count[j] += 1;
            for l in 0..d {
                sum[j * d + l] += p[i * d + l];
            }
        }
        (0..k * d)
            .map(|e| c[e] - sum[e] / count[e / d] as f64)
            .collect()
    }

    /// Points in [0, 1) with the centroids the last `k` of them, as the
    /// eval builds its input (every cluster is then non-empty).
    fn workload(n: usize, k: usize, d: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let p = values(seed, n * d, 0.0, 1.0);
        let c = p[(n - k) * d..].to_vec();
        (p, c)
    }

    #[test]
    fn dir_is_the_closed_form() {
        for (n, k, d, seed) in [(50, 3, 2, 1), (200, 10, 8, 2), (30, 1, 5, 3)] {
            let (p, c) = workload(n, k, d, seed);
            let got = dir(&p, &c, n, k, d);
            let want = closed_form(&p, &c, n, k, d);
            for (e, (a, b)) in got.iter().zip(&want).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                    "entry {e}: dir {a}, closed form {b}"
                );
            }
        }
    }

    #[test]
    fn gradient_and_diagonal_match_finite_differences() {
        let (n, k, d) = (40, 4, 3);
        // Centroids away from the points, so that no small step changes
        // which centroid is nearest.
        let p = values(7, n * d, 0.0, 1.0);
        let c = values(8, k * d, 0.0, 1.0);
        let ones = vec![1.0; k * d];
        let (value, g, h) = cost_hvp(&p, &c, &ones, n, k, d);
        assert_eq!(value, cost(&p, &c, n, k, d));
        assert_gradient(|c| cost(&p, c, n, k, d), &c, &g);
        // The diagonal from central differences of the gradient.
        for (e, he) in h.iter().enumerate() {
            let fd = central(|c| cost_hvp(&p, c, &ones, n, k, d).1[e], &c, e);
            assert!(
                (he - fd).abs() <= 1e-6 * fd.abs().max(1.0),
                "entry {e}: H·1 {he}, differences of the gradient {fd}"
            );
        }
    }

    #[test]
    fn hessian_is_diagonal_so_h_times_ones_is_its_diagonal() {
        // H·e_a for a unit direction has its only non-zero at `a`, and
        // that entry is H·1's.
        let (n, k, d) = (25, 3, 2);
        let (p, c) = workload(n, k, d, 11);
        let ones = vec![1.0; k * d];
        let (_, _, h1) = cost_hvp(&p, &c, &ones, n, k, d);
        for a in 0..k * d {
            let mut unit = vec![0.0; k * d];
            unit[a] = 1.0;
            let (_, _, column) = cost_hvp(&p, &c, &unit, n, k, d);
            for (b, x) in column.iter().enumerate() {
                let want = if a == b { h1[a] } else { 0.0 };
                assert_eq!(*x, want, "H[{b}][{a}]");
            }
        }
    }
}

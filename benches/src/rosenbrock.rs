//! Extended Rosenbrock: the objective, its generated derivatives and a
//! hand-written gradient.

use autodiff::{grad, jvp};

/// The extended Rosenbrock function,
/// Σᵢ 100 (x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)², for even `x.len()`.
///
/// ```
/// let (v, g) = autodiff_bench::rosenbrock::rosenbrock_grad(&[1.0, 1.0]);
/// assert_eq!((v, g), (0.0, vec![0.0, 0.0]));
/// ```
#[grad]
#[jvp]
pub fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() / 2 {
        let a = x[2 * i];
        let b = x[2 * i + 1];
        let t = b - a * a;
        let u = 1.0 - a;
        s += 100.0 * t * t + u * u;
    }
    s
}

/// A hand-written gradient of [`rosenbrock`], the reference for speed.
///
/// ```
/// let x = [0.5, 0.3];
/// let mut g = [0.0; 2];
/// let v = autodiff_bench::rosenbrock::rosenbrock_grad_by_hand(&x, &mut g);
/// assert_eq!((v, g.to_vec()), autodiff_bench::rosenbrock::rosenbrock_grad(&x));
/// ```
pub fn rosenbrock_grad_by_hand(x: &[f64], g: &mut [f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() / 2 {
        let a = x[2 * i];
        let b = x[2 * i + 1];
        let t = b - a * a;
        let u = 1.0 - a;
        s += 100.0 * t * t + u * u;
        g[2 * i] = -400.0 * a * t - 2.0 * u;
        g[2 * i + 1] = 200.0 * t;
    }
    s
}

/// Initial point of the extended Rosenbrock problem, (−1.2, 1, −1.2, 1, ...).
///
/// ```
/// assert_eq!(autodiff_bench::rosenbrock::rosenbrock_start(4), vec![-1.2, 1.0, -1.2, 1.0]);
/// ```
#[must_use]
pub fn rosenbrock_start(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

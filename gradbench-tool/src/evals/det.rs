//! det (§2.4): the determinant by recursive Laplace expansion along the
//! first remaining row, from cmpad. Deliberately O(ℓ!).

use std::hint::black_box;

use adiff::grad;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{measure, parse, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    #[serde(rename = "A")]
    a: Vec<f64>,
    ell: usize,
}

/// The determinant of the minor of the ℓ×ℓ row-major matrix `a` made of
/// rows `row..ℓ` and of the columns whose bit is clear in `used`, expanded
/// along its first row over its columns in increasing order.
///
/// A bit set of columns needs no allocation and no unlinking, and visits
/// the columns in the same order as the reference's linked lists, so the
/// floating-point operations are the same.
#[grad]
pub fn det_minor(a: &[f64], ell: usize, row: usize, used: u64) -> f64 {
    if row + 1 == ell {
        let col = used.trailing_ones() as usize;
        return a[row * ell + col];
    }
    let mut acc = 0.0;
    let mut add = true;
    for col in 0..ell {
        if used & (1 << col) != 0 {
            continue;
        }
        let sub = det_minor(a, ell, row + 1, used | (1 << col));
        if add {
            acc += a[row * ell + col] * sub;
        } else {
            acc -= a[row * ell + col] * sub;
        }
        add = !add;
    }
    acc
}

/// Evaluates `primal` (a number) or `gradient` (`[ℓ²]`, row-major).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let Input { a, ell } = parse(input)?;
    if ell == 0 || ell > 64 || a.len() != ell * ell {
        return Err(format!(
            "det needs 1 <= ell <= 64 and ell² entries in A; got ell = {ell} and {} entries",
            a.len()
        ));
    }
    match function {
        "primal" => measure(input, || det_minor(black_box(&a), ell, 0, 0), |d| d),
        "gradient" => measure(input, || det_minor_grad(black_box(&a), ell, 0, 0).1, |g| g),
        other => Err(unknown_function("det", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{assert_gradient, values};

    #[test]
    fn small_determinants() {
        assert_eq!(det_minor(&[4.0], 1, 0, 0), 4.0);
        assert_eq!(det_minor(&[1.0, 2.0, 3.0, 4.0], 2, 0, 0), -2.0);
        let a = [2.0, 0.0, 1.0, 1.0, 3.0, 2.0, 1.0, 1.0, 2.0];
        assert_eq!(det_minor(&a, 3, 0, 0), 6.0);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        for ell in 1..=5 {
            let a = values(ell as u64, ell * ell, 0.0, 1.0);
            let (value, grad) = det_minor_grad(&a, ell, 0, 0);
            assert_eq!(value, det_minor(&a, ell, 0, 0));
            assert_gradient(|a| det_minor(a, ell, 0, 0), &a, &grad);
        }
    }
}

//! The gradient-descent solver that every GradBench tool shares for
//! `particle` and `saddle` (§3.2), kept exactly as specified so that the
//! results and the amount of work match the other tools. The outer solves
//! use it; the inner `argmax` of `saddle`, which is differentiated, is the
//! same algorithm written out inside the differentiated function.

/// The Euclidean norm.
fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Minimises `f` from `x0` with its gradient `grad`: fixed steps `eta`,
/// halved after a step that does not decrease `f` and doubled after ten
/// that do, until the gradient or the step is at most 1e-5.
pub fn argmin(
    f: impl Fn(&[f64]) -> f64,
    grad: impl Fn(&[f64]) -> Vec<f64>,
    x0: &[f64],
) -> Vec<f64> {
    let mut x = x0.to_vec();
    let mut fx = f(&x);
    let mut g = grad(&x);
    let mut i = 0;
    let mut eta = 1e-5;
    loop {
        if norm(&g) <= 1e-5 {
            return x;
        }
        if i == 10 {
            eta *= 2.0;
            i = 0;
            continue;
        }
        let next: Vec<f64> = x.iter().zip(&g).map(|(x, g)| x - eta * g).collect();
        let step: Vec<f64> = x.iter().zip(&next).map(|(a, b)| a - b).collect();
        if norm(&step) <= 1e-5 {
            return x;
        }
        let f_next = f(&next);
        if f_next < fx {
            x = next;
            fx = f_next;
            g = grad(&x);
            i += 1;
        } else {
            eta /= 2.0;
            i = 0;
        }
    }
}

/// `argmin(−f, −grad, x0)`.
pub fn argmax(
    f: impl Fn(&[f64]) -> f64,
    grad: impl Fn(&[f64]) -> Vec<f64>,
    x0: &[f64],
) -> Vec<f64> {
    argmin(|x| -f(x), |x| grad(x).into_iter().map(|g| -g).collect(), x0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_a_quadratic() {
        let f = |x: &[f64]| (x[0] - 3.0).powi(2) + 2.0 * (x[1] + 1.0).powi(2);
        let g = |x: &[f64]| vec![2.0 * (x[0] - 3.0), 4.0 * (x[1] + 1.0)];
        let x = argmin(f, g, &[0.0, 0.0]);
        assert!(
            (x[0] - 3.0).abs() < 1e-4 && (x[1] + 1.0).abs() < 1e-4,
            "{x:?}"
        );
        let y = argmax(
            |x| -f(x),
            |x| g(x).iter().map(|v| -v).collect(),
            &[0.0, 0.0],
        );
        assert_eq!(x, y);
    }
}

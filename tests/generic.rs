use adiff::{grad, jvp};
use num_traits::{Float, FromPrimitive};
use std::iter::Sum;

#[jvp]
#[grad(wrt(param))]
pub fn rosenbrock_ab<T>(param: &[T], a: T, b: T) -> T
where
    T: Float + FromPrimitive + Sum,
{
    param
        .iter()
        .zip(param.iter().skip(1))
        .map(|(&xi, &xi1)| (a - xi).powi(2) + b * (xi1 - xi.powi(2)).powi(2))
        .sum()
}

#[test]
fn rosenbrock_generic() {
    let x = [0.5_f64, -0.3, 1.2];
    let (_, g) = rosenbrock_ab_grad(&x, 1.0, 100.0);
    let h = argmin_testfunctions::rosenbrock_ab_derivative(&x, 1.0, 100.0);
    for (a, b) in g.iter().zip(&h) {
        assert!((a - b).abs() < 1e-9, "{a} {b}");
    }
    let xf = [0.5_f32, -0.3, 1.2];
    let (_, g) = rosenbrock_ab_grad(&xf, 1.0, 100.0);
    let h = argmin_testfunctions::rosenbrock_ab_derivative(&xf, 1.0, 100.0);
    for (a, b) in g.iter().zip(&h) {
        assert!((a - b).abs() < 1e-3, "{a} {b}");
    }
}

use adiff::nalgebra::{DMatrix, DVector};
use adiff::{grad, hvp, jvp};

#[grad]
fn unsupported_method(x: &DVector<f64>, y: &DVector<f64>) -> f64 {
    x.component_div(y).sum()
}

#[jvp]
fn captured(x: &DVector<f64>, k: f64) -> f64 {
    x.map(|v| v * k).sum()
}

#[grad]
fn scaled_in_place(x: &DVector<f64>) -> f64 {
    let mut y = x.clone();
    y *= 2.0;
    y.sum()
}

#[hvp]
fn second_order(w: &DMatrix<f64>, x: &DVector<f64>) -> f64 {
    (w * x).norm_squared()
}

fn main() {}

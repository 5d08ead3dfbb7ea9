use adiff::{jvp, vjp};

// Methods without a derivative rule that write a buffer holding
// differentiable values must be errors, never "no effect" on the derivative.

#[jvp]
fn push(x: &[f64]) -> f64 {
    let mut v = Vec::new();
    for i in 0..x.len() {
        v.push(x[i] * x[i]);
    }
    v[0] + v[1]
}

#[vjp]
fn insert(x: &[f64]) -> f64 {
    let mut v = vec![1.0; 2];
    v.insert(0, x[0]);
    v[0]
}

#[jvp]
fn fill(x: f64, buf: &mut [f64]) {
    buf[0] = x;
    buf.fill(0.5);
}

#[vjp]
fn copy_from_slice(x: &[f64], out: &mut [f64]) {
    out.copy_from_slice(x);
}

#[jvp]
fn extend_from_slice(x: &[f64]) -> f64 {
    let mut v = vec![0.0; 1];
    v.extend_from_slice(x);
    v[1]
}

#[vjp]
fn resize(x: f64) -> f64 {
    let mut v = vec![x; 1];
    v.resize(3, 0.0);
    v[0] + v[2]
}

#[jvp]
fn swap(x: &[f64]) -> f64 {
    let mut v = vec![x[0], 2.0 * x[1]];
    v.swap(0, 1);
    v[0]
}

#[vjp]
fn reverse(x: &mut [f64]) {
    x.reverse();
}

fn main() {}

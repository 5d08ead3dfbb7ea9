use adiff::{jvp, vjp};

// Buffer methods in forms without a derivative rule: each is an error that
// names the form that works.

// A differentiable parameter's length cannot change.
#[vjp]
fn push_to_parameter(x: f64, v: &mut Vec<f64>) {
    v.push(x);
}

// `pop()` is supported as a statement or unwrapped, not as an `Option`.
#[jvp]
fn pop_as_option(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    let last = v.pop();
    last.unwrap_or(0.0)
}

// `first()` without `unwrap`.
#[jvp]
fn first_as_option(x: &[f64]) -> f64 {
    let f = x.first();
    f.copied().unwrap_or(1.0) * 2.0
}

fn main() {}

use adiff::{grad, hvp, jvp};

// `nested` does not take a differentiable `&mut` parameter yet.
#[jvp(nested)]
fn scale(x: &[f64], out: &mut [f64]) -> f64 {
    out[0] = 2.0 * x[0];
    x[0]
}

// `nested` makes `_jvp_vjp` over every parameter; `#[hvp(wrt(..))]` would
// make a second one over fewer.
#[grad(nested)]
#[hvp(wrt(x))]
fn both(x: f64, c: f64) -> f64 {
    x * x * c
}

// `tape` sizes reverse mode's tapes: plain `#[jvp]` has none.
#[jvp(tape = 8)]
fn taped(x: f64) -> f64 {
    x * x
}

fn main() {}

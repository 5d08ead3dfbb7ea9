use adiff::{jvp, vjp};

// A float rebuilt from the bits of a differentiable value would get
// derivative 0 (here the identity would): it must be an error.

#[jvp]
fn identity_by_bits(x: f64) -> f64 {
    f64::from_bits(x.to_bits())
}

#[vjp]
fn next_up_by_bits(x: f64) -> f64 {
    let bits = x.to_bits() + 1;
    f64::from_bits(bits) * 2.0
}

fn main() {}

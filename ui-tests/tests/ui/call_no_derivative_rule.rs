use adiff::jvp;

// `f64::from_bits` on a constant is fine; on a differentiable value it is not.
#[jvp]
fn f(x: f64, bits: u64) -> f64 {
    let c = f64::from_bits(bits);
    x * c + f64::from_bits(x as u64 + 1)
}

#[jvp]
fn g(x: f64) -> f64 {
    f64::copysign(x, -1.0)
}

fn main() {}

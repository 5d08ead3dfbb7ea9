use adiff::jvp;

#[jvp]
fn f(x: f64) -> f64 {
    let b = x.to_bits();
    x * f64::from_bits(b)
}

fn main() {}

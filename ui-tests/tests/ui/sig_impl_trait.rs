use adiff::jvp;

#[jvp]
fn f(x: f64, scale: impl Fn(f64) -> f64) -> f64 {
    x * scale(1.0)
}

fn main() {}

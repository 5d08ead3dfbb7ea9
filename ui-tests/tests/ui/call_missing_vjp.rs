use adiff::{jvp, vjp};

#[jvp]
fn g(x: f64) -> f64 {
    x.sin()
}

#[vjp]
fn f(x: f64) -> f64 {
    g(x) * 2.0
}

fn main() {}

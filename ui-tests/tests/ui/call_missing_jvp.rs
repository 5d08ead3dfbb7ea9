use adiff::jvp;

fn g(x: f64) -> f64 {
    x.sin()
}

#[jvp]
fn f(x: f64) -> f64 {
    g(x) * 2.0
}

fn main() {}

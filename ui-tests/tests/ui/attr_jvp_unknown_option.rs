use adiff::jvp;

#[jvp(fast)]
fn f(x: f64) -> f64 {
    x * x
}

fn main() {}

use adiff::vjp;

#[vjp(checkpoint = 4)]
fn f(x: f64) -> f64 {
    x * x
}

fn main() {}

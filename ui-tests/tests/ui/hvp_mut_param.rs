use adiff::hvp;

#[hvp]
fn f(x: &[f64], acc: &mut [f64]) -> f64 {
    acc[0] = x[0] * x[0];
    acc[0]
}

fn main() {}

use adiff::hessian;

#[hessian]
fn f(p: (f64, f64)) -> f64 {
    p.0 * p.1
}

#[hessian]
fn g(x: &[f64]) -> [f64; 2] {
    [x[0], x[1]]
}

fn main() {}

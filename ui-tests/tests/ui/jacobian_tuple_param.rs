use adiff::jacobian;

// A tuple has no flat columns in `f_jacobian`.
#[jacobian]
fn f(p: (f64, f64)) -> f64 {
    p.0 * p.1
}

fn main() {}

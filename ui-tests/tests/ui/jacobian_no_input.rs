use adiff::jacobian;

// Only constants: no columns.
#[jacobian]
fn no_input(n: usize) -> f64 {
    n as f64
}

fn main() {}

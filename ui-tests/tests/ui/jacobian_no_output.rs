use adiff::jacobian;

// No result and no `&mut` buffer: nothing to take rows from.
#[jacobian]
fn no_output(x: f64, y: &[f64]) {
    let _ = x * y[0];
}

fn main() {}

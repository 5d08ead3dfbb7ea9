use adiff::jacobian;

// A `&mut Vec` may change length, so its final contents have no fixed rows.
#[jacobian]
fn grows(x: f64, out: &mut Vec<f64>) {
    out[0] = x;
}

fn main() {}

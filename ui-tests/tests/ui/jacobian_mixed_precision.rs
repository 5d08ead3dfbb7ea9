use adiff::jacobian;

// One matrix holds one float type.
#[jacobian]
fn mixed(x: f64, y: f32) -> f64 {
    x * y as f64
}

fn main() {}

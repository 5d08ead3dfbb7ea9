use adiff::jacobian;

// A `String` result has no rows.
#[jacobian]
fn named(x: f64) -> (f64, String) {
    (x, String::new())
}

fn main() {}

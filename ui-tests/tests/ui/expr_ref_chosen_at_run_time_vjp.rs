use autodiff::vjp;

// Forward mode follows a reference chosen by a branch; reverse mode asks for an index.
#[vjp]
fn f(x: f64, y: f64) -> f64 {
    let mut lo = 0.0;
    let mut hi = 0.0;
    let r = if x < y { &mut lo } else { &mut hi };
    *r += x * y;
    lo + 2.0 * hi
}

fn main() {}

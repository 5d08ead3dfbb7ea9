use adiff::vjp;

// A reference chosen at run time is fine in reverse mode, but its index must
// stay fixed while it lives.
#[vjp]
fn f(x: f64, v: &mut [f64; 3]) -> f64 {
    let mut i = 0;
    let r = if x > 0.0 { &mut v[i] } else { &mut v[2] };
    i += 1;
    *r += x;
    v[i] * x
}

fn main() {}

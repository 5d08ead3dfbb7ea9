use adiff::vjp;

#[vjp]
fn sum(v: &[f64]) -> f64 {
    v.iter().sum()
}

// Sub-slices work (`sum(&v[1..3])`); a reference to one that is
// reassigned does not, in reverse mode.
#[vjp]
fn f(v: &[f64]) -> f64 {
    let mut r = &v[1..3];
    let a = sum(r);
    r = &v[..2];
    a * sum(r)
}

fn main() {}

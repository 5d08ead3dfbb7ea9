use adiff::jvp;

// Sub-slices work behind `&`, indexed, with `len`, `iter` and `iter_mut`
// and in loops; other methods on them do not.
#[jvp]
fn f(v: &[f64], buf: &mut [f64]) -> f64 {
    buf[1..].fill(v[0]);
    v[1..].to_vec().len() as f64 * buf[1]
}

fn main() {}

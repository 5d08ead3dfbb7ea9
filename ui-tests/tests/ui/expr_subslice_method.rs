use adiff::jvp;

// Sub-slices work behind `&`, indexed, with `len`, `iter` and `iter_mut`,
// in loops, and with the buffer methods (`fill`, `reverse`, `to_vec`, ...);
// other methods on them do not.
#[jvp]
fn f(v: &[f64], buf: &mut [f64]) -> f64 {
    buf[1..].rotate_left(1);
    v[1..].is_sorted() as usize as f64 * buf[1]
}

fn main() {}

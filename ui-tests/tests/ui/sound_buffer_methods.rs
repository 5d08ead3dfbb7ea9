use adiff::{jvp, vjp};

// Methods without a derivative rule that write a buffer holding
// differentiable values must be errors, never "no effect" on the derivative.
// (`push`, `insert`, `fill`, `swap`, `reverse`, ... have rules: see
// `tests/buffers.rs` and `tests/buffers_in_place.rs`.)

#[jvp]
fn rotate(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    v.rotate_left(1);
    v[0]
}

#[vjp]
fn dedup(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    v.dedup();
    v[0]
}

#[jvp]
fn append(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    let mut w = vec![x[0]; 2];
    v.append(&mut w);
    v[2]
}

#[vjp]
fn swap_with_slice(x: &mut [f64], y: &mut [f64]) {
    x.swap_with_slice(y);
}

fn main() {}

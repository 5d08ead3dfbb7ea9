use adiff::vjp;

// The loop writes the caller's buffer: a snapshot cannot restore it.
#[vjp]
fn f(x: &mut [f64], n: usize) {
    #[checkpoint(snapshots = 4)]
    for _ in 0..n {
        x[0] = x[0].sin() * x[1];
    }
}

fn main() {
    let mut x = [1.0, 2.0];
    f(&mut x, 3);
}

use adiff::grad;

// The checkpointed loop is inside another loop.
#[grad]
fn f(x: f64, n: usize) -> f64 {
    let mut s = x;
    for _ in 0..2 {
        #[checkpoint(snapshots = 4)]
        for _ in 0..n {
            s = s.sin();
        }
    }
    s
}

fn main() {
    // The function itself still compiles unchanged.
    let _ = f(1.0, 3);
}

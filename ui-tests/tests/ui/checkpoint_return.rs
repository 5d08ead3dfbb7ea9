use adiff::grad;

// A `return` inside the loop: the function returns early.
#[grad]
fn f(x: f64, n: usize) -> f64 {
    let mut s = x;
    #[checkpoint(snapshots = 4)]
    for _ in 0..n {
        s = s.sin();
        if s < 0.1 {
            return s;
        }
    }
    s
}

fn main() {
    let _ = f(1.0, 3);
}

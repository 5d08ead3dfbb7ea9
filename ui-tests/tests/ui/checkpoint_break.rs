use adiff::grad;

#[grad]
fn f(x: f64, n: usize) -> f64 {
    let mut s = x;
    #[checkpoint(snapshots = 4)]
    for _ in 0..n {
        s = s.sin();
        if s < 0.1 {
            break;
        }
    }
    s
}

fn main() {
    let _ = f(1.0, 3);
}

use adiff::grad;

#[grad]
fn f(x: f64) -> f64 {
    let mut s = x;
    #[checkpoint(snapshots = 4)]
    while s > 0.1 {
        s = s * 0.5;
    }
    s
}

fn main() {
    let _ = f(1.0);
}

use adiff::grad;

#[grad]
fn f(x: f64, n: usize) -> f64 {
    let mut s = x;
    #[checkpoint(budget = 4)]
    for _ in 0..n {
        s = s.sin();
    }
    #[checkpoint]
    for _ in 0..n {
        s = s.cos();
    }
    s
}

fn main() {
    let _ = f(1.0, 3);
}

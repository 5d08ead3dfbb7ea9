use adiff::grad;

// A `for` over a `map` chain is lowered as a whole and cannot be checkpointed.
#[grad]
fn f(x: &[f64]) -> f64 {
    let mut s = 0.0;
    #[checkpoint(periodic)]
    for y in x.iter().map(|v| v * 2.0) {
        s = (s + y).sin();
    }
    s
}

fn main() {
    let _ = f(&[1.0, 2.0]);
}

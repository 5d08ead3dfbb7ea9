use adiff::jvp;

// Independent problems are all reported at once, and `f` itself still compiles.
#[jvp]
fn f(x: f64) -> f64 {
    let a = async { 1.0 };
    let g = move || x;
    x
}

fn main() {
    let _ = f(1.0);
}

use adiff::jvp;

// A type error in the user's body points at the user's tokens.
#[jvp]
fn f(x: f64, n: usize) -> f64 {
    x * n
}

fn main() {}

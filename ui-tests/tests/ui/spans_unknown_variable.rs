use adiff::{jvp, vjp};

// A misspelt name is reported once, on the user's token, not once per
// generated function.
#[jvp]
#[vjp]
fn f(x: f64) -> f64 {
    let scale = 2.0;
    x * scal
}

fn main() {}

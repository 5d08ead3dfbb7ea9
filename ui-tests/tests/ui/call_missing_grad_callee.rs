use adiff::{grad, jvp};

// `g` has only a forward derivative; `#[grad]` on the caller needs `g_vjp`.
#[jvp]
fn g(x: f64) -> f64 {
    x.exp()
}

#[grad]
fn f(x: f64, y: f64) -> f64 {
    g(x) * y
}

fn main() {}

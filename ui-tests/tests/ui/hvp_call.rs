// `g` has first-order derivatives only: the call in `f` needs `g_jvp_vjp`.
use adiff::{hvp, jvp, vjp};

#[jvp]
#[vjp]
fn g(x: f64) -> f64 {
    x.sin()
}

#[hvp]
fn f(x: f64) -> f64 {
    g(x) * x
}

fn main() {
    let _ = f_hvp(1.0, 1.0);
}

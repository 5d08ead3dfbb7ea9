// `g` has `#[hvp]` but no `#[jvp]`: `f_jvp_vjp` also calls `g_jvp`.
use adiff::hvp;

#[hvp]
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

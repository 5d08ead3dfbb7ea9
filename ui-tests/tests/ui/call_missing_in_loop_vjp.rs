use adiff::{grad, jvp, vjp};

// `g` has only a forward derivative and `h` none; the reverse derivative of
// `f` reports both, each once, on the call.
#[jvp]
fn g(x: f64) -> f64 {
    x.exp()
}

#[inline]
fn h(x: f64) -> f64 {
    x * x
}

#[vjp]
fn f(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for &xi in x {
        s += g(xi) + h(xi) + h(2.0 * xi);
    }
    s
}

// A hand-written derivative satisfies the call.
fn k(x: f64) -> f64 {
    x.cos()
}

fn k_vjp(x: f64, x_bar: &mut f64, out_bar: f64) -> f64 {
    *x_bar -= out_bar * x.sin();
    x.cos()
}

#[grad]
fn fine(x: f64) -> f64 {
    k(x) * x
}

fn main() {
    let _ = fine_grad(1.0);
}

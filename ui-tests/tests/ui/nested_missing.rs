use adiff::{grad, jvp};

// `g` has a gradient but no `nested`: forward mode over a call to `g_grad`
// needs `g_grad_jvp`.
#[grad]
fn g(x: f64, y: f64) -> f64 {
    x * x * y
}

#[jvp]
fn f(x: f64) -> f64 {
    let (_, (a, _)) = g_grad(x, 2.0);
    a * x
}

// `h` has `#[jvp]` but no `nested`: forward over `h_jvp` needs `h_jvp_jvp`.
#[jvp]
fn h(x: f64) -> f64 {
    x.sin()
}

#[jvp]
fn k(x: f64) -> f64 {
    let (_, d) = h_jvp(x, 1.0);
    d * x
}

fn main() {}

use adiff::{grad, jvp};

// The derivatives' locals (tangents, adjoints, numbered temporaries) are
// private to the generated functions: user code cannot name them.
#[jvp]
#[grad]
fn f(x: f64) -> f64 {
    let y = x.sin() * x;
    y * y
}

fn main() {
    let _ = f_jvp(1.0, 1.0);
    let _ = f_grad(1.0);
    let _ = y_dot + t0;
}

use adiff::{grad, jvp};

// User variables named like generated ones (`x_dot`, `x_bar`, `t0`) do not
// clash with them: `f` expands without error, and the only error is the
// deliberate one in `main`, which shows the derivatives' types.
#[jvp]
#[grad]
fn f(x: f64) -> f64 {
    let x_dot = x * 3.0;
    let x_bar = x_dot.sin();
    let t0 = x_bar * x;
    t0 + x_dot
}

fn main() {
    let ok: f64 = f_jvp(1.0, 1.0).1 + f_grad(1.0).1;
    let _: () = (ok, f_jvp(1.0, 1.0));
}

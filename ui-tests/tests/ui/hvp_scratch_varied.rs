use adiff::hvp;

// `acc` is left out of `wrt(..)`, so it is a constant, but `x[0] * x[0]`
// depends on `x`: storing it there would drop its derivative.
#[hvp(wrt(x))]
fn f(x: &[f64], acc: &mut [f64]) -> f64 {
    acc[0] = x[0] * x[0];
    acc[0]
}

fn main() {}

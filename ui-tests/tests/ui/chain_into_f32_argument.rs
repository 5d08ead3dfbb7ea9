use adiff::jvp;

#[jvp]
fn square(a: f64) -> f64 {
    a * a
}

// `.into()` on an `f32` where the macro cannot see the target type (an
// argument of a user function): write `f64::from(x)`.
#[jvp]
fn f(x: f32) -> f64 {
    square(x.into())
}

fn main() {}

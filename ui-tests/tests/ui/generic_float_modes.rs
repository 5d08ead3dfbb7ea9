use adiff::{hessian, jacobian, jvp};
use num_traits::Float;

// Vector forward mode and the dense matrices do not take a generic float
// type yet: each is reported on the type parameter.

#[jacobian]
fn pair<T: Float>(x: &[T; 2]) -> [T; 2] {
    [x[0] * x[1], x[0].exp()]
}

#[hessian]
fn cube<T: Float>(x: &[T]) -> T {
    x[0] * x[0] * x[0]
}

#[jvp(vector)]
fn square<T: Float>(x: T) -> T {
    x * x
}

fn main() {}

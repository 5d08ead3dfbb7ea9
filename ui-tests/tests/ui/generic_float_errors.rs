use adiff::grad;
use num_traits::Float;

// Generic float code: the float type is one type parameter, bounded by
// `num_traits::Float` (or `Real`), or named by `float(T)`.

#[grad(float(U))]
fn names_no_param<T: Float>(x: T) -> T {
    x * x
}

pub trait RealField {}

#[grad]
fn real_field<T: RealField + Copy>(x: T) -> T {
    x
}

#[grad]
fn two_floats<T: Float, S: Float>(x: T, y: S) -> T {
    x * T::from(y).unwrap()
}

fn main() {}

use adiff::{grad, jvp};

// A parameter whose type the macro does not model is never silently a
// constant: the macro rejects it, or rustc must prove it carries no
// derivative (`adiff::Constant`).

type Real = f64;

#[jvp]
fn alias(x: Real, y: f64) -> f64 {
    x * y
}

#[grad]
fn foreign(x: f64, _c: &std::cell::Cell<f64>) -> f64 {
    x * 2.0
}

pub struct Model {
    pub scale: f64,
}

#[jvp]
fn user_type(x: f64, _m: &Model) -> f64 {
    x * 3.0
}

// Tuples of floats are differentiable (`p: (f64, f64)`); a tuple mixing
// floats with other types is not.
#[grad]
fn tuple(p: (f64, usize)) -> f64 {
    p.0 * p.1 as f64
}

#[jvp]
fn generic<T: Copy>(x: f64, _t: T) -> f64 {
    x * 2.0
}

#[grad(constant(y))]
fn constant_float(x: f64, y: f64) -> f64 {
    x * y
}

#[jvp(constant(z))]
fn constant_unknown(x: f64) -> f64 {
    x
}

fn main() {}

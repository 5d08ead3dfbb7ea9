use adiff::{jvp, vjp};

// A method result on a constant is passed through a call as a constant in
// every mode, and rustc checks that its type carries no derivative. Here it
// is an `f64` the callee differentiates, so it needs a type annotation:
// `let s: f64 = m.scale();`. Reverse mode says so as forward mode does.

pub struct Model {
    pub scale: f64,
}

impl Model {
    pub fn scale(&self) -> f64 {
        self.scale
    }
}

impl adiff::Constant for Model {}

#[jvp]
#[vjp]
fn scaled(x: f64, s: f64) -> f64 {
    x * s
}

#[vjp]
fn reverse(x: f64, m: &Model) -> f64 {
    let y = scaled(x, m.scale());
    y * x
}

#[jvp]
fn forward(x: f64, m: &Model) -> f64 {
    let y = scaled(x, m.scale());
    y * x
}

fn main() {}

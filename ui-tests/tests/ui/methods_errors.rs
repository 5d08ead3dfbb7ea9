use adiff::{grad, hvp, jvp};

// Methods: the receiver is a constant, so its type must be known to carry
// no derivative; its fields are read, never written; and the modes built
// on drivers (`#[hvp]`, `#[hessian]`, `#[jacobian]`) take free functions.

pub struct Unmarked {
    pub scale: f64,
}

impl Unmarked {
    #[grad]
    fn loss(&self, x: f64) -> f64 {
        self.scale * x
    }
}

pub struct Counter {
    pub calls: f64,
}

impl adiff::Constant for Counter {}

impl Counter {
    #[jvp]
    fn count(&mut self, x: f64) -> f64 {
        self.calls = x * 2.0;
        x
    }

    #[hvp]
    fn curvature(&self, x: &[f64]) -> f64 {
        x[0] * x[0] * self.calls
    }

    fn helper(&self, x: f64) -> f64 {
        x * self.calls
    }

    #[grad]
    fn calls_helper(&self, x: f64) -> f64 {
        self.helper(x).sin()
    }
}

pub struct Pair {
    pub a: f64,
}

fn make(x: f64) -> Pair {
    Pair { a: x }
}

#[grad]
fn field_of_unknown(x: f64) -> f64 {
    let p = make(x);
    p.a * x
}

fn main() {}

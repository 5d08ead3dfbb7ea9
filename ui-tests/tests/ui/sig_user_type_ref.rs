use adiff::jvp;

// A reference to a user type is accepted as a constant parameter, but the
// body cannot read its fields: named fields are not supported.
pub struct Params {
    pub scale: f64,
}

#[jvp]
fn f(x: f64, p: &Params) -> f64 {
    x * p.scale
}

fn main() {}

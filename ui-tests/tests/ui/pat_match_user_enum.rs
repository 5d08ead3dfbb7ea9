use adiff::jvp;

#[derive(Clone, Copy)]
pub enum Shape {
    Circle(f64),
    Square(f64),
}

impl adiff::Constant for Shape {}

// `match` supports `Some`, `Ok` and `Err` of constants, not the variants of
// the user's own enums.
#[jvp]
fn area(x: f64, s: Shape) -> f64 {
    match s {
        Shape::Circle(r) => x * r * r,
        Shape::Square(a) => x * a * a,
    }
}

fn main() {}

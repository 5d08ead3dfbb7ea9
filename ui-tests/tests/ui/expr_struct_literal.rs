use adiff::jvp;

struct Point {
    x: f64,
    y: f64,
}

#[jvp]
fn f(x: f64) -> f64 {
    let p = Point { x, y: 2.0 * x };
    p.x * p.y
}

fn main() {}

use adiff::vjp;

trait Close {
    fn dist(self, other: &f64) -> f64;
}

impl Close for f64 {
    fn dist(self, other: &f64) -> f64 {
        (self - other).abs()
    }
}

// A method without a derivative rule, taking a reference, in reverse mode.
#[vjp]
fn f(a: f64, b: f64) -> f64 {
    a.dist(&b)
}

fn main() {}

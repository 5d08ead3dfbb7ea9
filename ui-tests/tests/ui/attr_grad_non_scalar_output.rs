use adiff::grad;

#[grad]
fn f(x: f64) -> [f64; 2] {
    [x, x * x]
}

fn main() {}

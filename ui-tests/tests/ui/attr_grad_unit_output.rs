use adiff::grad;

#[grad]
fn f(x: &mut [f64]) {
    x[0] *= 2.0;
}

fn main() {}

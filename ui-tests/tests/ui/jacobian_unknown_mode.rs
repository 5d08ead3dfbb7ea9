use adiff::jacobian;

#[jacobian(mode = sideways)]
fn f(x: [f64; 2]) -> [f64; 2] {
    [x[1], x[0]]
}

fn main() {}

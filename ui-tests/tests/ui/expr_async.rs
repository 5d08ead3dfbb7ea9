use adiff::jvp;

#[jvp]
fn f(x: f64) -> f64 {
    let _a = async { 0.0 };
    x * 2.0
}

fn main() {}

use adiff::jvp;

#[jvp]
fn f(x: f64) -> f64 {
    if (0.0..=1.0).contains(&x) {
        x
    } else {
        0.0
    }
}

fn main() {}

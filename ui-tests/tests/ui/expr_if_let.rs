use adiff::jvp;

#[jvp]
fn f(x: f64, k: Option<usize>) -> f64 {
    if let Some(n) = k {
        x * n as f64
    } else {
        x
    }
}

fn main() {}

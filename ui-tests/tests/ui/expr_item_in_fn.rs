use adiff::jvp;

#[jvp]
fn f(x: f64) -> f64 {
    const K: f64 = 2.0;
    fn helper(y: f64) -> f64 {
        y * K
    }
    helper(x)
}

fn main() {}

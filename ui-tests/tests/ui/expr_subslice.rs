use adiff::jvp;

fn sum(v: &[f64]) -> f64 {
    v.iter().sum()
}

#[jvp]
fn f(v: &[f64]) -> f64 {
    sum(&v[1..3])
}

fn main() {}

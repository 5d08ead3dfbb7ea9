use adiff::jvp;

#[jvp]
struct S {
    x: f64,
}

fn main() {}

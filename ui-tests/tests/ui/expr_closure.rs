use adiff::jvp;

fn apply(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    f(x)
}

// A closure passed to a function (not to an iterator adapter, not bound by
// `let` and called) is not supported.
#[jvp]
fn f(x: f64) -> f64 {
    apply(|y: f64| y * 2.0, x)
}

fn main() {}

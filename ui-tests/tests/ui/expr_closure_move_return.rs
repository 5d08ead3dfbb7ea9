use adiff::{jvp, vjp};

// `move` closures copy captures at the definition, which inlining at the
// call cannot reproduce; `return` inside a closure leaves the closure only.
#[jvp]
fn moved(x: f64) -> f64 {
    let g = move |y: f64| y * x;
    g(2.0)
}

#[vjp]
fn returns(x: &[f64]) -> f64 {
    x.iter()
        .map(|v| {
            if *v > 0.0 {
                return *v;
            }
            0.0
        })
        .sum::<f64>()
}

fn main() {}

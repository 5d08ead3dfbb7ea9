//! Quick start: differentiate an ordinary function with `#[jvp]`.
//!
//! Run with `cargo run --example quickstart`; see the generated code with
//! `cargo expand --example quickstart`.

use autodiff::jvp;

/// A smooth loss over a slice of weights: ordinary Rust with a loop and a branch.
#[jvp]
fn loss(scale: f64, w: &[f64]) -> f64 {
    let mut s = 0.0;
    for &wi in w {
        let z = scale * wi;
        s += if z > 0.0 { z.ln_1p() } else { z.exp() - 1.0 };
    }
    s / w.len() as f64
}

fn main() {
    let w = [0.5, -1.0, 2.0, 0.25];
    let scale = 1.5;

    // Tangent 1 for `scale`, 0 for the weights: the derivative d loss / d scale.
    let (value, dscale) = loss_jvp(scale, 1.0, &w, &[0.0; 4]);

    // Check against a central finite difference.
    let h = 1e-6;
    let fd = (loss(scale + h, &w) - loss(scale - h, &w)) / (2.0 * h);

    println!("loss(scale = {scale}, w = {w:?}) = {value:.12}");
    println!("d loss / d scale (jvp)               = {dscale:.12}");
    println!("d loss / d scale (finite difference) = {fd:.12}");
    println!(
        "difference                           = {:.2e}",
        (dscale - fd).abs()
    );
}

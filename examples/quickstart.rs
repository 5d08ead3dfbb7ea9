//! Quick start: differentiate an ordinary function with `#[jvp]` and `#[grad]`.
//!
//! Run with `cargo run --example quickstart`; see the generated code with
//! `cargo expand --example quickstart`.

use adiff::{grad, jvp};

/// A smooth loss over a slice of weights: ordinary Rust with a loop and a branch.
#[jvp]
#[grad]
fn loss(scale: f64, w: &[f64]) -> f64 {
    let mut s = 0.0;
    for &wi in w {
        let z = scale * wi;
        s += if z > 0.0 { z.ln_1p() } else { z.exp() - 1.0 };
    }
    s / w.len() as f64
}

/// Central finite difference of `f` at `t = 0`.
fn finite_difference(f: impl Fn(f64) -> f64) -> f64 {
    let h = 1e-6;
    (f(h) - f(-h)) / (2.0 * h)
}

fn main() {
    let w = [0.5, -1.0, 2.0, 0.25];
    let scale = 1.5;

    // Forward mode: tangent 1 for `scale`, 0 for the weights gives d loss / d scale.
    let (value, dscale) = loss_jvp(scale, 1.0, &w, &[0.0; 4]);
    let fd = finite_difference(|t| loss(scale + t, &w));
    println!("loss(scale = {scale}, w = {w:?}) = {value:.12}");
    println!("d loss / d scale  forward mode       = {dscale:.12}");
    println!("                  finite difference  = {fd:.12}");

    // Reverse mode: the whole gradient in one sweep.
    let (value2, (gscale, gw)) = loss_grad(scale, &w);
    assert_eq!(value, value2);
    println!("d loss / d scale  reverse mode       = {gscale:.12}");
    for (i, g) in gw.iter().enumerate() {
        let fd = finite_difference(|t| {
            let mut wt = w;
            wt[i] += t;
            loss(scale, &wt)
        });
        println!("d loss / d w[{i}]   reverse mode       = {g:.12}   finite difference = {fd:.12}");
    }
}

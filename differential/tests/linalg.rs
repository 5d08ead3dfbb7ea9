//! The generated functions on nalgebra values (see `build.rs` and
//! `adiff_fuzz::linalg`), through the real macros: `_jvp` against central
//! differences where two step sizes agree, `_jvp` against `_vjp` (the
//! dot-product test), and both primal values against `f`. Prints
//! `differential linalg: N programs, M mismatches` and fails on any.

use adiff::nalgebra::{DMatrix, DVector};
use adiff_differential::{LaCase, LA_CASES};
use adiff_fuzz::Rng;

fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    (a - b).abs() <= abs + rel * a.abs().max(b.abs())
}

fn vector(rng: &mut Rng) -> DVector<f64> {
    DVector::from_fn(3, |_, _| rng.uniform(-1.0, 1.0))
}

fn matrix(rng: &mut Rng) -> DMatrix<f64> {
    DMatrix::from_fn(3, 3, |_, _| rng.uniform(-0.8, 0.8))
}

fn check(case: &LaCase, rng: &mut Rng) -> Result<(), String> {
    let (s, x, w, n) = (
        rng.uniform(-1.0, 1.0),
        vector(rng),
        matrix(rng),
        rng.below(4),
    );
    let y = (case.f)(s, &x, &w, n);
    if !y.is_finite() {
        return Ok(());
    }
    let (ds, dx, dw) = (rng.uniform(-1.0, 1.0), vector(rng), matrix(rng));
    let (y1, dy) = (case.jvp)(s, ds, &x, &dx, &w, &dw, n);
    let (mut s_bar, mut x_bar, mut w_bar) = (0.0, DVector::zeros(3), DMatrix::zeros(3, 3));
    let wy = rng.uniform(-1.0, 1.0);
    let y2 = (case.vjp)(s, &mut s_bar, &x, &mut x_bar, &w, &mut w_bar, n, wy);
    if !close(y1, y, 1e-12, 1e-12) || !close(y2, y, 1e-12, 1e-12) {
        return Err(format!("primal: f {y}, jvp {y1}, vjp {y2}"));
    }
    let back = s_bar * ds + x_bar.dot(&dx) + w_bar.dot(&dw);
    if !close(dy * wy, back, 1e-9, 1e-9) {
        return Err(format!(
            "dot test: <w, J u> = {} but <J^T w, u> = {back}",
            dy * wy
        ));
    }
    let fd = |h: f64| {
        let a = (case.f)(s + h * ds, &(&x + &dx * h), &(&w + &dw * h), n);
        let b = (case.f)(s - h * ds, &(&x - &dx * h), &(&w - &dw * h), n);
        (a - b) / (2.0 * h)
    };
    let (f1, f2) = (fd(1e-5), fd(1e-4));
    // Only where the function is smooth at this scale (the two agree).
    if close(f1, f2, 1e-5, 1e-7) && !close(dy, f1, 1e-5, 1e-6) {
        return Err(format!("jvp {dy} but central differences {f1}"));
    }
    Ok(())
}

#[test]
fn generated_linalg_functions() {
    let mut rng = Rng::new(77);
    let mut bad = Vec::new();
    for case in LA_CASES {
        for _ in 0..4 {
            if let Err(e) = check(case, &mut rng) {
                bad.push(format!("{}: {e}\n{}", case.name, case.source));
                break;
            }
        }
    }
    println!(
        "differential linalg: {} programs, {} mismatches",
        LA_CASES.len(),
        bad.len()
    );
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
}

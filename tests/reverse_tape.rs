//! What reverse mode records: straight-line code and loops that only read
//! their inputs push nothing on a tape; overwrites inside loops do.
//!
//! Counted with the runtime's `stats` feature. One `#[test]` only, so no
//! other test thread pushes while we count.

// Test functions are written in the styles users write (index loops,
// compound assignments), to exercise the macro on them.
#![allow(
    clippy::needless_range_loop,
    clippy::assign_op_pattern,
    clippy::ptr_arg
)]

use adiff::{grad, vjp};
use adiff_runtime::tape_pushes;
use approx::assert_relative_eq;

#[grad]
fn straight_line(x: f64, y: f64, z: f64) -> f64 {
    let a = x * y;
    let b = a.sin() + z.exp();
    let c = if b > 0.0 { b.sqrt() } else { -b };
    let mut d = c * x;
    d = d.tanh() * y;
    d + a * z
}

#[grad]
fn read_only_loop(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i];
    }
    s.sqrt()
}

#[grad]
fn read_only_nested(x: &[f64], w: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, &xi) in x.iter().enumerate() {
        for &wj in w {
            s += (xi * wj).sin() * x[(i + 1) % x.len()].exp();
        }
    }
    s
}

/// A per-iteration accumulator used non-linearly: its value at the end of
/// each outer iteration is recorded once (recomputing it would mean running
/// the inner loop again). The `sqrt` after the loop keeps the loop's reverse
/// from being fused into its forward sweep, where nothing would be recorded.
#[vjp]
fn local_accumulator(x: &[f64], w: &[f64]) -> f64 {
    let mut s = 0.0;
    for &xi in x {
        let mut inner = 0.0;
        for &wj in w {
            inner += (xi * wj).sin();
        }
        s += inner * inner;
    }
    s.sqrt()
}

/// The same loop as the function's last statement: its reverse is fused
/// into the forward sweep and records nothing.
#[vjp]
fn local_accumulator_fused(x: &[f64], w: &[f64]) -> f64 {
    let mut s = 0.0;
    for &xi in x {
        let mut inner = 0.0;
        for &wj in w {
            inner += (xi * wj).sin();
        }
        s += inner * inner;
    }
    s
}

/// A product accumulator: `p *= x[i]` needs the old `p` in the reverse
/// sweep, so each iteration records it.
#[vjp]
fn loop_with_overwrite(x: &[f64]) -> f64 {
    let mut p = 1.0;
    for i in 0..x.len() {
        p *= x[i] + 2.0;
    }
    p
}

#[test]
fn only_overwritten_values_are_recorded() {
    let x: Vec<f64> = (0..100).map(|i| (f64::from(i) * 0.3).sin()).collect();
    let w = [0.5, -0.25, 1.5];

    let before = tape_pushes();
    let (v1, g1) = straight_line_grad(0.3, 1.1, -0.4);
    let (v2, g2) = read_only_loop_grad(&x);
    let (v3, g3) = read_only_nested_grad(&x, &w);
    let pushes = tape_pushes() - before;
    assert_eq!(
        pushes, 0,
        "straight-line code and read-only loops must not record"
    );

    // The results are real gradients, not just silence.
    assert_eq!(v1, straight_line(0.3, 1.1, -0.4));
    assert!(g1.0.is_finite() && g1.1.is_finite() && g1.2.is_finite());
    assert_eq!(v2, read_only_loop(&x));
    let norm = v2;
    for i in 0..x.len() {
        assert_relative_eq!(g2[i], x[i] / norm, max_relative = 1e-12);
    }
    assert_eq!(v3, read_only_nested(&x, &w));
    assert_eq!(g3.0.len(), x.len());
    assert_eq!(g3.1.len(), w.len());

    // Positive controls: the counter does see what must be recorded.
    let before = tape_pushes();
    let mut g = vec![0.0; x.len()];
    let v = loop_with_overwrite_vjp(&x, &mut g, 1.0);
    assert_eq!(v, loop_with_overwrite(&x));
    assert_eq!(tape_pushes() - before, x.len());

    let before = tape_pushes();
    let (mut gx, mut gw) = (vec![0.0; x.len()], [0.0; 3]);
    local_accumulator_vjp(&x, &mut gx, &w, &mut gw, 1.0);
    assert_eq!(
        tape_pushes() - before,
        x.len(),
        "one value per outer iteration"
    );

    let before = tape_pushes();
    let (mut fx, mut fw) = (vec![0.0; x.len()], [0.0; 3]);
    let v = local_accumulator_fused_vjp(&x, &mut fx, &w, &mut fw, 1.0);
    assert_eq!(v, local_accumulator_fused(&x, &w));
    assert_eq!(
        tape_pushes() - before,
        0,
        "a fused final loop records nothing"
    );
    // The same gradient up to the chain factor of the outer sqrt.
    let scale = 2.0 * local_accumulator(&x, &w);
    for i in 0..x.len() {
        assert_relative_eq!(fx[i], gx[i] * scale, max_relative = 1e-10, epsilon = 1e-12);
    }
    for j in 0..3 {
        assert_relative_eq!(fw[j], gw[j] * scale, max_relative = 1e-10, epsilon = 1e-12);
    }
}

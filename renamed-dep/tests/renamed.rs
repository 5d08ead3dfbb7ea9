//! The macros under a renamed dependency, against closed forms and each
//! other.

use adiff_renamed_dep::{found, found_jvp, found_vjp, told, told_grad};
use approx::assert_relative_eq;

/// d/dx and d/dy of `sum_i sin(i x) y`, i = 0..3.
fn closed_form(x: f64, y: f64) -> (f64, f64) {
    let dx = (0..3).map(|i| i as f64 * (i as f64 * x).cos() * y).sum();
    let dy = (0..3).map(|i| (i as f64 * x).sin()).sum();
    (dx, dy)
}

#[test]
fn forward_under_a_renamed_dependency() {
    let (x, y) = (0.7, 1.3);
    let (dx, dy) = closed_form(x, y);
    let (v, d) = found_jvp(x, 1.0, y, 0.0);
    assert_relative_eq!(v, found(x, y), max_relative = 1e-15);
    assert_relative_eq!(d, dx, max_relative = 1e-12);
    let (_, d) = found_jvp(x, 0.0, y, 1.0);
    assert_relative_eq!(d, dy, max_relative = 1e-12);
}

#[test]
fn reverse_under_a_renamed_dependency() {
    let (x, y) = (0.7, 1.3);
    let (dx, dy) = closed_form(x, y);
    let (mut xb, mut yb) = (0.0, 0.0);
    let v = found_vjp(x, &mut xb, y, &mut yb, 2.0);
    assert_relative_eq!(v, found(x, y), max_relative = 1e-15);
    assert_relative_eq!(xb, 2.0 * dx, max_relative = 1e-12);
    assert_relative_eq!(yb, 2.0 * dy, max_relative = 1e-12);
}

#[test]
fn gradient_through_a_re_export_named_with_crate_option() {
    let x = [0.5, -1.5, 2.0];
    let (v, g) = told_grad(&x);
    assert_relative_eq!(v, told(&x), max_relative = 1e-15);
    for (gi, xi) in g.iter().zip(x) {
        assert_relative_eq!(*gi, 3.0 * xi * xi, max_relative = 1e-12);
    }
}

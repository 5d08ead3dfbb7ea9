//! Comparing derivatives: the error measure the `checks` lines report.

/// Norm-wise relative difference, max |aᵢ − bᵢ| / max |bᵢ|, with `b` the
/// reference (absolute difference when `b` is all zero).
///
/// ```
/// use adiff_bench::compare::rel_diff;
/// assert_eq!(rel_diff(&[1.0, 2.0], &[1.0, 2.0]), 0.0);
/// assert_eq!(rel_diff(&[1.0, 2.5], &[1.0, 2.0]), 0.25);
/// ```
#[must_use]
pub fn rel_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "compared vectors differ in length");
    let scale = b.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let diff = a
        .iter()
        .zip(b)
        .fold(0.0_f64, |m, (x, y)| m.max((x - y).abs()));
    if scale > 0.0 {
        diff / scale
    } else {
        diff
    }
}

/// One `checks` line: what was compared, the [`rel_diff`], the tolerance,
/// and `ok` or `FAILED`. NaN fails.
///
/// ```
/// use adiff_bench::compare::check_line;
/// assert_eq!(check_line("f_grad vs hand", 0.0, 1e-12), "f_grad vs hand: rel diff 0.0e0 (tol 1e-12) ok");
/// assert!(check_line("x", f64::NAN, 1.0).ends_with("FAILED"));
/// ```
#[must_use]
pub fn check_line(what: &str, diff: f64, tol: f64) -> String {
    let verdict = if diff <= tol { "ok" } else { "FAILED" };
    format!("{what}: rel diff {diff:.1e} (tol {tol:.0e}) {verdict}")
}

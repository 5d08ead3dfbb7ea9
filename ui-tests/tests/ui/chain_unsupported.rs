use adiff::{jvp, vjp};

// Iterator chains the macros do not lower: each is a spanned error that
// names the construct and what to write instead.

#[jvp]
fn zip_after_map(a: &[f64], b: &[f64]) -> f64 {
    a.iter().map(|p| p * 2.0).zip(b).map(|(p, q)| p * q).sum()
}

#[vjp]
fn collect_after_filter(x: &[f64]) -> f64 {
    let v: Vec<f64> = x.iter().copied().filter(|v| *v > 0.0).collect();
    v[0]
}

#[jvp]
fn max_by_without_unwrap(x: &[f64]) -> f64 {
    x.iter().copied().max_by(|a, b| a.total_cmp(b)).unwrap_or(0.0)
}

#[vjp]
fn max_by_other_comparator(x: &[f64]) -> f64 {
    x.iter().copied().max_by(|a, b| (a * a).total_cmp(&(b * b))).unwrap()
}

#[jvp]
fn flat_map_adapter(x: &[f64]) -> f64 {
    x.iter().map(|v| v * 2.0).take_while(|v| *v < 1.0).sum()
}

#[vjp]
fn rev_after_counted_stage(x: &[f64]) -> f64 {
    x.iter().map(|v| v * 2.0).enumerate().rev().map(|(i, v)| i as f64 * v).sum()
}

#[jvp]
fn zip_with_reversed_argument(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b.iter().rev()).map(|(p, q)| p * q).sum()
}

#[vjp]
fn skip_after_enumerate_after_rev(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, v) in x.iter().rev().enumerate().skip(1) {
        s += i as f64 * v;
    }
    s
}

fn main() {}

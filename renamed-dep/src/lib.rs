//! A crate that depends on `adiff` under another name (`ad`) and
//! re-exports it, as a library wrapping adiff would. Its tests check that
//! the derivatives the macros generate here compile and are right.

/// The facade under a path of this crate's choosing, for
/// `#[ad::jvp(crate = "crate::math::autodiff")]`.
pub mod math {
    pub use ad as autodiff;
}

/// Found through `Cargo.toml`: `::ad` is where the runtime is.
#[ad::jvp]
#[ad::vjp]
pub fn found(x: f64, y: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..3 {
        s += (x * i as f64).sin() * y;
    }
    s
}

/// Told with `crate = ".."`: the path through this crate's re-export.
#[ad::grad(crate = "crate::math::autodiff")]
pub fn told(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for v in x {
        s += v * v * v;
    }
    s
}

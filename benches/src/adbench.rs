//! What the ADBench benchmarks ([`crate::gmm`], [`crate::lstm`]) share:
//! where the data lives, ADBench's comparison rule, and a reader for its
//! whitespace-separated text files.
//!
//! The data is optional. [`data_dir`] looks at `ADIFF_ADBENCH_DIR`, then
//! at `../shared/adbench` beside the workspace; without either, the
//! benchmarks generate synthetic instances of the same sizes from
//! [`SEED`].

use std::path::{Path, PathBuf};

/// The environment variable that points at an ADBench data directory (the
/// one holding `gmm/`, `lstm/` and `reference/`).
pub const DIR_VAR: &str = "ADIFF_ADBENCH_DIR";

/// Seed of the synthetic instances used when the ADBench files are absent.
pub const SEED: u64 = 1;

/// ADBench's tolerance for [`error`]: a value passes when its error is
/// below this.
pub const TOLERANCE: f64 = 1e-8;

/// The ADBench data directory, if there is one: `$ADIFF_ADBENCH_DIR` when
/// set, otherwise `<workspace root>/../shared/adbench`. `None` when the
/// chosen directory does not exist, so callers fall back to synthetic data.
///
/// ```
/// if let Some(dir) = adiff_bench::adbench::data_dir() {
///     assert!(dir.is_dir());
/// }
/// ```
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os(DIR_VAR) {
        Some(dir) => PathBuf::from(dir),
        // The workspace root is the parent of this crate's manifest directory.
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/adbench"),
    };
    dir.is_dir().then_some(dir)
}

/// ADBench's element-wise error, |x − y| / max(1, |x| + |y|). Two values
/// agree when it is below [`TOLERANCE`].
///
/// ```
/// use adiff_bench::adbench::error;
/// assert_eq!(error(2.0, 2.0), 0.0);
/// assert_eq!(error(1e-9, 0.0), 1e-9); // absolute near zero
/// assert_eq!(error(1000.0, 1001.0), 1.0 / 2001.0); // relative when large
/// ```
#[must_use]
pub fn error(x: f64, y: f64) -> f64 {
    (x - y).abs() / (x.abs() + y.abs()).max(1.0)
}

/// The largest [`error`] between corresponding entries of two slices of the
/// same length.
///
/// # Panics
///
/// Panics if the lengths differ: a gradient of the wrong length is a bug,
/// not a small error.
///
/// ```
/// let e = adiff_bench::adbench::max_error(&[1.0, 2.0], &[1.0, 2.5]);
/// assert_eq!(e, 0.5 / 4.5);
/// ```
#[must_use]
pub fn max_error(ours: &[f64], reference: &[f64]) -> f64 {
    assert_eq!(ours.len(), reference.len(), "lengths differ");
    ours.iter()
        .zip(reference)
        .map(|(&x, &y)| error(x, y))
        .fold(0.0, f64::max)
}

/// Tokens of a whitespace-separated ADBench text file, parsed on demand.
///
/// ```
/// let mut t = adiff_bench::adbench::Tokens::new("2 3\n0.5 -1e-3");
/// assert_eq!(t.usize(), 2);
/// assert_eq!(t.usize(), 3);
/// assert_eq!(t.floats(2), vec![0.5, -1e-3]);
/// ```
pub struct Tokens<'a> {
    words: std::str::SplitWhitespace<'a>,
}

impl<'a> Tokens<'a> {
    /// Splits `text` at whitespace.
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        Tokens {
            words: text.split_whitespace(),
        }
    }

    fn word(&mut self) -> &'a str {
        self.words
            .next()
            .expect("ADBench file ends early: malformed or truncated")
    }

    /// The next token as a float.
    ///
    /// # Panics
    ///
    /// Panics if the file ends or the token is not a number.
    pub fn float(&mut self) -> f64 {
        let w = self.word();
        w.parse()
            .unwrap_or_else(|_| panic!("ADBench file: `{w}` is not a number"))
    }

    /// The next token as a non-negative integer. ADBench writes some
    /// integers as floats (`0.0`), so those are accepted when integral.
    ///
    /// # Panics
    ///
    /// Panics if the file ends or the token is not a non-negative integer.
    pub fn usize(&mut self) -> usize {
        let w = self.word();
        if let Ok(v) = w.parse() {
            return v;
        }
        match w.parse::<f64>() {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(v) if v >= 0.0 && v.fract() == 0.0 => v as usize,
            _ => panic!("ADBench file: `{w}` is not a non-negative integer"),
        }
    }

    /// The next `count` tokens as floats.
    ///
    /// # Panics
    ///
    /// Panics as [`Tokens::float`] does.
    pub fn floats(&mut self, count: usize) -> Vec<f64> {
        (0..count).map(|_| self.float()).collect()
    }
}

/// Reads a file to a string, saying which file when it cannot.
///
/// # Panics
///
/// Panics if the file cannot be read; callers only read files they have
/// found, so this is a broken data directory.
#[must_use]
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Reads and parses a JSON file.
///
/// # Panics
///
/// Panics if the file cannot be read or is not JSON.
#[must_use]
pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read_text(path))
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// A JSON array of numbers as a `Vec`.
///
/// # Panics
///
/// Panics if `v` is not an array of numbers; `what` names it in the message.
#[must_use]
pub fn json_floats(v: &serde_json::Value, what: &str) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what}: not a JSON array"))
        .iter()
        .map(|x| {
            x.as_f64()
                .unwrap_or_else(|| panic!("{what}: {x} is not a number"))
        })
        .collect()
}

/// An instance from its ADBench file `file` (relative to [`data_dir`]) when
/// the data is present, otherwise the synthetic one: the instance, the
/// `Case::detail` naming its source, and the data directory if used.
pub fn load_or_synthetic<T>(
    file: &str,
    read: impl FnOnce(&Path) -> T,
    synthetic: impl FnOnce() -> T,
) -> (T, String, Option<PathBuf>) {
    if let Some(dir) = data_dir() {
        let path = dir.join(file);
        if path.is_file() {
            return (read(&path), format!("ADBench file {file}"), Some(dir));
        }
    }
    (synthetic(), format!("synthetic, seed {SEED}"), None)
}

/// The `Case::checks` lines of an ADBench case: the generated gradient
/// against the hand-written one and, where `reference` finds reference
/// values, both against them (errors by [`error`] and [`max_error`]).
pub fn check_lines(
    ours: (f64, &[f64]),
    hand: (f64, &[f64]),
    reference: impl Fn(f64, &[f64]) -> Option<(f64, f64)>,
) -> Vec<String> {
    let mut checks = vec![format!(
        "adiff vs hand: objective err {:.1e}, gradient max err {:.1e}",
        error(ours.0, hand.0),
        max_error(ours.1, hand.1)
    )];
    for (label, (v, grad)) in [("adiff", ours), ("hand", hand)] {
        if let Some((e_obj, e_grad)) = reference(v, grad) {
            checks.push(format!(
                "{label} vs ADBench reference: objective err {e_obj:.1e}, gradient max err {e_grad:.1e}"
            ));
        }
    }
    checks
}

//! The evals the tool implements, one module each, and the table that
//! `define` and `evaluate` look modules up in.
//!
//! Every eval writes its function as plain Rust over flat slices and gets
//! the derivative from `#[jvp]`, `#[vjp]`, `#[grad]` or `#[hvp]`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::protocol::Timing;
use crate::timing::{repeat, Runs};

pub mod ba;
pub mod det;
pub mod gmm;
pub mod hello;
pub mod ht;
pub mod kmeans;
pub mod llsq;
pub mod lse;
pub mod lstm;
pub mod ode;
pub mod particle;
pub mod saddle;
mod solver;

/// The result of a successful evaluate.
#[derive(Debug)]
pub struct Evaluated {
    /// The output in the eval's JSON shape, already serialised.
    pub output: Box<RawValue>,
    /// One entry per run.
    pub timings: Vec<Timing>,
}

/// Evaluates one function of a module on its raw JSON input.
type Evaluate = fn(function: &str, input: &RawValue) -> Result<Evaluated, String>;

/// The modules `define` accepts; any other gets `success: false`.
const MODULES: &[(&str, Evaluate)] = &[
    ("hello", hello::evaluate),
    ("llsq", llsq::evaluate),
    ("lse", lse::evaluate),
    ("det", det::evaluate),
    ("ode", ode::evaluate),
    ("gmm", gmm::evaluate),
    ("lstm", lstm::evaluate),
    ("ba", ba::evaluate),
    ("ht", ht::evaluate),
    ("kmeans", kmeans::evaluate),
    ("particle", particle::evaluate),
    ("saddle", saddle::evaluate),
];

/// Whether `define` of this module succeeds.
pub fn is_defined(module: &str) -> bool {
    MODULES.iter().any(|(name, _)| *name == module)
}

/// Evaluates `function` of `module` on `input`; an `Err` is the text of the
/// `success: false` reply.
pub fn evaluate(module: &str, function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let (_, evaluate) = MODULES
        .iter()
        .find(|(name, _)| *name == module)
        .ok_or_else(|| format!("module `{module}` is not implemented"))?;
    evaluate(function, input)
}

/// Parses an eval's typed input. Unknown fields are ignored, because
/// `min_runs` and `min_seconds` sit in the same object.
fn parse<T: DeserializeOwned>(input: &RawValue) -> Result<T, String> {
    serde_json::from_str(input.get()).map_err(|e| format!("bad input: {e}"))
}

/// Times `compute` under the input's repetition rule, then converts the
/// last result to its JSON shape with `output`, outside the timed region.
fn measure<R, T: Serialize>(
    input: &RawValue,
    compute: impl FnMut() -> R,
    output: impl FnOnce(R) -> T,
) -> Result<Evaluated, String> {
    let runs = Runs::of_input(input)?;
    let (result, timings) = repeat(runs, compute);
    let output = serde_json::value::to_raw_value(&output(result))
        .map_err(|e| format!("cannot serialise the output: {e}"))?;
    Ok(Evaluated { output, timings })
}

/// The error for a function name the module does not have.
fn unknown_function(module: &str, function: &str) -> String {
    format!("module `{module}` has no function `{function}`")
}

/// Splits a nested array of rows into one row-major buffer, checking that
/// every row has `width` entries.
fn flatten<T: Copy>(rows: &[Vec<T>], width: usize, what: &str) -> Result<Vec<T>, String> {
    let mut flat = Vec::with_capacity(rows.len() * width);
    for (i, row) in rows.iter().enumerate() {
        if row.len() != width {
            return Err(format!(
                "{what}[{i}] has {} entries, expected {width}",
                row.len()
            ));
        }
        flat.extend_from_slice(row);
    }
    Ok(flat)
}

/// Cuts a row-major buffer into `rows` rows of `width` entries, the nested
/// JSON shape of matrix outputs.
fn nest(flat: &[f64], rows: usize, width: usize) -> Vec<Vec<f64>> {
    (0..rows)
        .map(|r| flat[r * width..(r + 1) * width].to_vec())
        .collect()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Finite-difference checks for the derivatives the evals get from the
    //! macros.

    /// Central difference of `f` at `x` along coordinate `i`.
    pub fn central(f: impl Fn(&[f64]) -> f64, x: &[f64], i: usize) -> f64 {
        let h = 1e-6 * x[i].abs().max(1.0);
        let mut xp = x.to_vec();
        let mut xm = x.to_vec();
        xp[i] += h;
        xm[i] -= h;
        (f(&xp) - f(&xm)) / (2.0 * h)
    }

    /// Asserts that `derivative` agrees with the central difference of `f`
    /// along every coordinate to 1e-6, relative to the larger magnitude.
    pub fn assert_gradient(f: impl Fn(&[f64]) -> f64, x: &[f64], derivative: &[f64]) {
        assert_eq!(derivative.len(), x.len());
        for (i, &d) in derivative.iter().enumerate() {
            let fd = central(&f, x, i);
            let scale = d.abs().max(fd.abs()).max(1.0);
            assert!(
                (d - fd).abs() <= 1e-6 * scale,
                "coordinate {i}: derivative {d}, central difference {fd}"
            );
        }
    }

    /// Deterministic values in [lo, hi), from a small linear congruential
    /// generator, so that tests need no dependency.
    pub fn values(seed: u64, n: usize, lo: f64, hi: f64) -> Vec<f64> {
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                lo + (hi - lo) * ((state >> 11) as f64 / (1u64 << 53) as f64)
            })
            .collect()
    }
}

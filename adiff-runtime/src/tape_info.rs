//! What a generated `_vjp` records, as data: the same figures as the
//! "What the reverse sweep records" section of its doc comment.

/// One tape of a generated reverse sweep, as listed by `<f>_vjp_tapes()`.
///
/// ```
/// let t = adiff_runtime::TapeInfo {
///     tape: "s_tape",
///     elem: "f64",
///     pushed: &["per iteration of `for i in 0..n`"],
///     count: "n",
/// };
/// assert_eq!(t.to_string(), "`s_tape`: n `f64` (per iteration of `for i in 0..n`)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TapeInfo {
    /// The tape's name in the generated code (`s_tape`).
    pub tape: &'static str,
    /// The type of the values pushed (`f64`, `Vec<f64>`).
    pub elem: &'static str,
    /// Where values are pushed, one entry per push site: `once per call`,
    /// or `per iteration of` the loops around it, innermost first.
    pub pushed: &'static [&'static str],
    /// How many values are pushed per call, as a formula in the loops'
    /// trip counts (`n·m`); `≤` when a push is inside a branch. A `loop` or
    /// `while` has no count in its header: its iterations are `k1`, `k2`, ...
    pub count: &'static str,
}

impl core::fmt::Display for TapeInfo {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "`{}`: {} `{}` ({})",
            self.tape,
            self.count,
            self.elem,
            self.pushed.join("; ")
        )
    }
}

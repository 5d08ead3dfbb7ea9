#![doc = include_str!("../docs/guide.md")]
#![forbid(unsafe_code)]

// Generated code names the runtime `::adiff::__rt`; inside this crate (its
// doc tests and unit tests) that path must resolve too.
extern crate self as adiff;

pub use adiff_macros::{grad, hessian, hvp, jacobian, jvp, vjp, Differentiable};

/// The tangent type of vector forward mode; see [`adiff_runtime::Lanes`].
pub use adiff_runtime::Lanes;

/// The dense row-major matrix `f_jacobian` returns; see
/// [`adiff_runtime::Matrix`].
pub use adiff_runtime::Matrix;

/// The plan `f_jacobian` follows for a chain of stages (`let a = p(x); let b
/// = q(&a); r(&b)`): the matrix-chain dynamic program over the sizes.
pub use adiff_runtime::chain;

/// The marker for parameter types that carry no derivative; see
/// [`adiff_runtime::Constant`].
pub use adiff_runtime::Constant;
/// What a generated `_vjp` records, listed by `<f>_vjp_tapes()`.
pub use adiff_runtime::TapeInfo;

/// The schedules of `#[checkpoint(..)]` loops, for counting what a
/// checkpointed reverse runs again; see [`adiff_runtime::Schedule`].
pub use adiff_runtime::{Schedule, ScheduleCounts};

/// SGD with momentum that runs backwards exactly (feature `reversible`);
/// see [`adiff_runtime::reversible`].
#[cfg(feature = "reversible")]
pub use adiff_runtime::reversible;

// Documented in the module itself (`//!`), where its links resolve.
#[cfg(feature = "argmin")]
pub mod argmin;

/// The nalgebra this crate's derivatives of nalgebra values are written
/// for (feature `nalgebra`): name `DVector`, `DMatrix`, `SVector`, ...
/// through it, or depend on the same version (0.34).
#[cfg(feature = "nalgebra")]
pub use nalgebra;

/// Run-time support called by generated code. Not part of the public API.
#[doc(hidden)]
pub use adiff_runtime as __rt;

/// The README's code blocks, compiled and run as doc tests so that the
/// README's example cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

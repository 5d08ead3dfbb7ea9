//! Compile-time automatic differentiation for stable Rust.
//!
//! Add an attribute to an ordinary numeric function and get its derivative
//! as another ordinary function, generated at compile time:
//!
//! ```
//! use adiff::jvp;
//!
//! #[jvp]
//! fn f(x: f64, y: f64) -> f64 {
//!     x * y + x.sin()
//! }
//!
//! // Directional derivative along (1, 0): df/dx = y + cos(x).
//! let (value, dfdx) = f_jvp(1.0, 1.0, 2.0, 0.0);
//! assert_eq!(value, f(1.0, 2.0));
//! assert!((dfdx - (2.0 + 1.0_f64.cos())).abs() < 1e-12);
//! ```
//!
//! See the README for the supported Rust and the calling convention.
#![forbid(unsafe_code)]

// Generated code names the runtime `::adiff::__rt`; inside this crate (its
// doc tests and unit tests) that path must resolve too.
extern crate self as adiff;

pub use adiff_macros::{grad, jvp, vjp};

/// The marker for parameter types that carry no derivative; see
/// [`adiff_runtime::Constant`].
pub use adiff_runtime::Constant;

// Documented in the module itself (`//!`), where its links resolve.
#[cfg(feature = "argmin")]
pub mod argmin;

/// Run-time support called by generated code. Not part of the public API.
#[doc(hidden)]
pub use adiff_runtime as __rt;

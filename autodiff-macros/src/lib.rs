//! Procedural macros of the `autodiff` crate. Use them through the `autodiff`
//! facade crate, which also provides the runtime the generated code calls.
//!
//! The macro is a pipeline of typed stages, each a plain function:
//! [`sig::parse`] → [`lower::lower`] → [`activity::analyze`] →
//! [`forward::transform`] → [`codegen::function`], with [`verify::verify`]
//! run on the IR after every pass. See `ARCHITECTURE.md` at the repository
//! root.

mod activity;
mod codegen;
mod diag;
mod elem;
mod expand;
mod forward;
mod ir;
mod lower;
mod names;
mod rules;
mod sig;
mod ty;
mod typing;
mod verify;

#[cfg(test)]
mod pipeline_tests;

use proc_macro::TokenStream;

/// Forward mode: adds `f_jvp`, which returns `(value, tangent)` of `f` for
/// the given input tangents.
///
/// `#[jvp]` on `fn f(x: f64, v: &[f64], n: usize) -> f64` keeps `f` and adds
/// `fn f_jvp(x: f64, x_dot: f64, v: &[f64], v_dot: &[f64], n: usize) -> (f64, f64)`.
/// Each differentiable parameter (`f32`, `f64`, arrays, slices and `Vec`s of
/// them, and references to these) is followed by its tangent of the same
/// type; other parameters are constants.
///
/// ```
/// use autodiff::jvp;
///
/// #[jvp]
/// fn f(x: f64) -> f64 {
///     x * x.sin()
/// }
///
/// let (y, dy) = f_jvp(2.0, 1.0);
/// assert_eq!(y, f(2.0));
/// assert!((dy - (2.0_f64.sin() + 2.0 * 2.0_f64.cos())).abs() < 1e-12);
/// ```
#[proc_macro_attribute]
pub fn jvp(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(expand::Mode::Jvp, attr.into(), item.into()).into()
}

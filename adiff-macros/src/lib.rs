//! Procedural macros of the `adiff` crate. Use them through the `adiff`
//! facade crate, which also provides the runtime the generated code calls.
//!
//! The macro is a pipeline of typed stages, each a plain function:
//! `sig::parse` → `pipeline::lower` → `pipeline::derive` (forward
//! mode with `forward::transform`, or reverse mode with
//! `reverse::transform`, each running its analyses; then
//! `callees::check` and `dce::remove_dead`) → `codegen::function`,
//! with `verify::verify` run on the IR after every pass.
//! `convention` holds the calling convention of the generated functions.
//! These are private modules; `cargo doc --document-private-items -p
//! adiff-macros` documents them. See `ARCHITECTURE.md` at the repository
//! root.

mod activity;
mod callees;
mod codegen;
mod convention;
mod dce;
mod diag;
mod elem;
mod expand;
mod forward;
mod generic;
mod generic_consts;
mod grad;
mod hessian;
mod hvp;
mod ir;
mod jacobian;
mod linear;
mod lower;
mod names;
mod nested;
mod options;
mod pipeline;
mod reverse;
mod rules;
mod runtime;
mod siblings;
mod sig;
mod structs;
mod tape_report;
mod ty;
mod typing;
mod usage;
mod verify;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod interp;
#[cfg(test)]
mod negative_tests;
#[cfg(test)]
mod pass_times;
#[cfg(test)]
mod pipeline_tests;
#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod test_corpus;

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
/// use adiff::jvp;
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
/// Makes a struct with named fields differentiable field by field: float,
/// array, `Vec` and nested differentiable-struct fields carry derivatives,
/// integer and `bool` fields are constants. A parameter `p: &Params` then
/// gets a tangent `p_dot: &Params` and an adjoint `p_bar: &mut Params`, and
/// `f_grad` returns its gradient as a `Params`. The struct must be defined
/// in the same file as the functions that take it (the attributes read it
/// there; a doctest is compiled from a file it cannot read, hence `ignore`
/// here: `tests/structs.rs` runs this and more).
///
/// ```ignore
/// use adiff::{grad, Differentiable};
///
/// #[derive(Differentiable)]
/// pub struct Line {
///     pub slope: f64,
///     pub offset: f64,
/// }
///
/// #[grad]
/// fn loss(p: &Line, x: f64, y: f64) -> f64 {
///     (p.slope * x + p.offset - y).powi(2)
/// }
///
/// let (l, (g, _, _)) = loss_grad(&Line { slope: 2.0, offset: 1.0 }, 3.0, 6.0);
/// assert_eq!(l, 1.0);
/// assert_eq!((g.slope, g.offset), (6.0, 2.0));
/// ```
#[proc_macro_derive(Differentiable)]
pub fn derive_differentiable(item: TokenStream) -> TokenStream {
    crate::runtime::with_root(crate::runtime::resolve(None), || {
        structs::derive(item.into())
    })
    .into()
}

#[proc_macro_attribute]
pub fn jvp(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand_in(
        convention::Kind::Jvp,
        attr.into(),
        item.into(),
        proc_macro::Span::call_site().local_file().as_deref(),
    )
    .into()
}

/// Reverse mode: adds `f_vjp`, which returns the value of `f` and adds the
/// vector-Jacobian product `Jᵀ · out_bar` into the adjoints.
///
/// `#[vjp]` on `fn f(x: f64, v: &[f64], n: usize) -> f64` keeps `f` and adds
/// `fn f_vjp(x: f64, x_bar: &mut f64, v: &[f64], v_bar: &mut [f64], n: usize, out_bar: f64) -> f64`.
/// Adjoints are accumulated with `+=`: zero them first.
///
/// Option: `#[vjp(tape = N)]` sets the inline capacity of each tape
/// (default 64 elements); longer recordings spill to the heap.
///
/// ```
/// use adiff::vjp;
///
/// #[vjp]
/// fn f(x: f64, v: &[f64]) -> f64 {
///     let mut s = 0.0;
///     for &vi in v {
///         s += x * vi * vi;
///     }
///     s
/// }
///
/// let v = [1.0, 2.0];
/// let (mut x_bar, mut v_bar) = (0.0, [0.0; 2]);
/// let y = f_vjp(3.0, &mut x_bar, &v, &mut v_bar, 1.0);
/// assert_eq!(y, 15.0);
/// assert_eq!(x_bar, 5.0); // Σ v²
/// assert_eq!(v_bar, [6.0, 12.0]); // 2 x v
/// ```
#[proc_macro_attribute]
pub fn vjp(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand_in(
        convention::Kind::Vjp,
        attr.into(),
        item.into(),
        proc_macro::Span::call_site().local_file().as_deref(),
    )
    .into()
}

/// Gradients of a scalar function: adds `f_grad(..) -> (value, gradient)`
/// and `f_vjp` (so other reverse-differentiated functions can call `f`).
///
/// The gradient has one entry per differentiable parameter, in order: a
/// scalar for a scalar, `[S; N]` for an array, `Vec<S>` for a slice. With a
/// single parameter it is that entry alone. `#[grad(wrt(x, y))]` restricts
/// it to the named parameters, and then no other adjoint is computed.
///
/// ```
/// use adiff::grad;
///
/// #[grad]
/// fn rosenbrock(x: &[f64]) -> f64 {
///     let mut s = 0.0;
///     for i in 0..x.len() - 1 {
///         let a = x[i + 1] - x[i] * x[i];
///         let b = 1.0 - x[i];
///         s += 100.0 * a * a + b * b;
///     }
///     s
/// }
///
/// let (value, g) = rosenbrock_grad(&[1.0, 1.0, 1.0]);
/// assert_eq!(value, 0.0);
/// assert_eq!(g, vec![0.0; 3]);
/// ```
#[proc_macro_attribute]
pub fn grad(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand_in(
        convention::Kind::Grad,
        attr.into(),
        item.into(),
        proc_macro::Span::call_site().local_file().as_deref(),
    )
    .into()
}

/// Jacobians: adds `f_jacobian(..) -> (value, adiff::Matrix<S>)`, and the
/// two sweeps it is built from, `f_jvpw` (vector forward mode) and `f_vjp`.
///
/// The matrix is `m × n`: rows are the outputs flattened in order (the
/// return value, then the final contents of each `&mut` parameter),
/// columns the differentiable inputs flattened in parameter order (for a
/// `&mut` parameter, its initial contents). `f_jacobian` runs `⌈n / 8⌉`
/// forward sweeps of 8 directions or `m` reverse sweeps, whichever the
/// cost model predicts cheaper: at compile time when the types fix `n` and
/// `m`, otherwise at run time. `#[jacobian(mode = forward)]` or
/// `#[jacobian(mode = reverse)]` forces a mode (and generates only that
/// sweep). Callees need `g_jvpw` and `g_vjp`: annotate them with
/// `#[jacobian]`, or `#[jvp(vector)]` and `#[vjp]`.
///
/// ```
/// use adiff::jacobian;
///
/// #[jacobian]
/// fn polar(p: [f64; 2]) -> [f64; 2] {
///     [p[0] * p[1].cos(), p[0] * p[1].sin()]
/// }
///
/// let (xy, j) = polar_jacobian([2.0, 0.5]);
/// assert_eq!(xy, polar([2.0, 0.5]));
/// assert_eq!((j.rows(), j.cols()), (2, 2));
/// assert!((j[(0, 1)] + 2.0 * 0.5_f64.sin()).abs() < 1e-12);
/// assert!((j[(1, 0)] - 0.5_f64.sin()).abs() < 1e-12);
/// ```
#[proc_macro_attribute]
pub fn jacobian(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand_in(
        convention::Kind::Jacobian,
        attr.into(),
        item.into(),
        proc_macro::Span::call_site().local_file().as_deref(),
    )
    .into()
}

/// Adds `f_hvp`, the Hessian-vector product of a scalar function, and
/// `f_jvp_vjp`, the reverse-over-forward derivative it calls.
///
/// `f_hvp` takes each differentiable parameter followed by its component of
/// the direction `v` (as `f_jvp` takes tangents), and returns
/// `(value, gradient, H · v)`; the gradient and the product are shaped as
/// `f_grad`'s gradient. `#[hvp(wrt(x))]` restricts both, and the
/// directions, to the named parameters. One call costs a small multiple of
/// a gradient, and `H` is never formed.
///
/// ```
/// use adiff::hvp;
///
/// #[hvp]
/// fn f(x: &[f64]) -> f64 {
///     x[0] * x[0] * x[1] // H = [[2 x1, 2 x0], [2 x0, 0]]
/// }
///
/// let (value, g, hv) = f_hvp(&[3.0, 2.0], &[1.0, 0.0]);
/// assert_eq!(value, 18.0);
/// assert_eq!(g, vec![12.0, 9.0]);
/// assert_eq!(hv, vec![4.0, 6.0]); // first column of H
/// ```
#[proc_macro_attribute]
pub fn hvp(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand_in(
        convention::Kind::Hvp,
        attr.into(),
        item.into(),
        proc_macro::Span::call_site().local_file().as_deref(),
    )
    .into()
}

/// Adds `f_hessian`, the dense Hessian of a scalar function (with `f_hvp`
/// and `f_jvp_vjp`, which it calls).
///
/// `f_hessian` takes `f`'s parameters and returns `(value, gradient, H)`,
/// with `H` an `n × n` `adiff::Matrix` over the
/// differentiable parameters flattened in order (`wrt(..)` selects them).
/// Column `j` is one Hessian-vector product with the unit direction `e_j`.
///
/// ```
/// use adiff::hessian;
///
/// #[hessian]
/// fn f(x: [f64; 2], c: f64) -> f64 {
///     c * x[0] * x[0] * x[1]
/// }
///
/// let (value, g, h) = f_hessian([3.0, 2.0], 1.0);
/// assert_eq!(value, 18.0);
/// assert_eq!(g, ([12.0, 9.0], 18.0));
/// assert_eq!((h.rows(), h.cols()), (3, 3));
/// assert_eq!(h.row(0), &[4.0, 6.0, 12.0]);
/// assert_eq!(h.row(2), &[12.0, 9.0, 0.0]);
/// ```
#[proc_macro_attribute]
pub fn hessian(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand_in(
        convention::Kind::Hessian,
        attr.into(),
        item.into(),
        proc_macro::Span::call_site().local_file().as_deref(),
    )
    .into()
}

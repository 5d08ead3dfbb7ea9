//! The calling convention: the one place that says what a derivative is
//! called, which parameters it takes and what it returns.
//!
//! The convention is a public contract (README, "The calling convention"):
//! users write derivatives by hand in it, and derivatives call each other
//! through it. Every name suffix, parameter type and return type of a
//! generated function is decided here, and the transformations ask this
//! module rather than spelling any of it themselves. A new kind of
//! derivative (`hvp`, `jacobian`, vector mode) is one more [`Kind`].
//!
//! - `f_jvp(x, x_dot, .., n) -> (y, y_dot)`: each differentiable parameter
//!   is followed by its tangent of the same type;
//! - `f_vjp(x, x_bar, .., n, out_bar) -> y`: each differentiable parameter
//!   is followed by its adjoint `&mut T`, accumulated with `+=`, and the
//!   cotangent of the result comes last;
//! - `f_grad(x, .., n) -> (y, gradient)`: one gradient entry per parameter
//!   in `wrt`, a tuple when there are several;
//! - `f_jvpw::<W>(x, x_dot, .., n) -> (y, y_dot)`: vector forward mode, as
//!   `f_jvp` with every float `S` of a tangent's type replaced by
//!   `adiff::Lanes<S, W>` (`W` directions at once);
//! - `f_jacobian(x, .., n) -> (y, adiff::Matrix<S>)`: the Jacobian, rows
//!   the outputs flattened in order, columns the differentiable inputs;
//! - `f_jvp_vjp(x, x_bar, x_dot, x_dot_bar, .., n, out_bar) -> (y, y_dot)`:
//!   the VJP of `f_jvp`, by the `_vjp` rule applied to `f_jvp`'s signature
//!   ([`jvp_signature`]);
//! - `f_hvp(x, x_dot, .., n) -> (y, gradient, H · direction)`: the gradient
//!   and the Hessian-vector product, both shaped as `f_grad`'s gradient;
//! - `f_hessian(x, .., n) -> (y, gradient, adiff::Matrix<S>)`: the dense
//!   Hessian over the differentiable inputs flattened in order.
//!
//! Derivatives of derivatives, for differentiated code that calls a
//! derivative (`#[jvp(nested)]`, `#[grad(nested)]`): a call to `g_jvp` or
//! `g_grad` is a call like any other, so its derivative is named by the same
//! rules, the suffix appended to the callee's name:
//! - `f_jvp_jvp(x, x_dot, x_dot, x_dot_dot, .., n) -> ((y, y_dot), (y_dot, y_dot_dot))`:
//!   the JVP of `f_jvp` (forward over forward), by the `_jvp` rule applied to
//!   `f_jvp`'s signature;
//! - `f_grad_jvp(x, x_dot, .., n) -> ((y, gradient), (y_dot, gradient_dot))`:
//!   the JVP of `f_grad`, with a tangent for every differentiable parameter
//!   (also those outside `wrt`); `gradient_dot` is `H · x_dot` restricted to
//!   the rows in `wrt`;
//! - `f_grad_vjp(x, x_bar, .., n, out_bar) -> (y, gradient)`: the VJP of
//!   `f_grad`, `out_bar = (y_bar, gradient_bar)`; it adds
//!   `y_bar · ∇f + H · gradient_bar` into the adjoints (`H` is symmetric, so
//!   the VJP of a gradient is a Hessian-vector product).
//!
//! Both `f_grad_*` are one call to `f_jvp_vjp` each (`nested.rs`).

use quote::format_ident;

use crate::sig::{ParamSig, Signature};

/// Which derivative: the attribute the user wrote, and the function it makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Forward mode, `#[jvp]` → `f_jvp`.
    Jvp,
    /// Reverse mode, `#[vjp]` → `f_vjp`.
    Vjp,
    /// Gradient of a scalar function, `#[grad]` → `f_vjp` and `f_grad`.
    Grad,
    /// Vector forward mode, `#[jvp(vector)]` (with `f_jvp`) or
    /// `#[jacobian]` → `f_jvpw::<W>`.
    JvpW,
    /// The Jacobian, `#[jacobian]` → `f_jvpw`, `f_vjp` and `f_jacobian`.
    Jacobian,
    /// Reverse over forward: `f_jvp_vjp`, the VJP of `f_jvp` (made by
    /// `#[hvp]` and `#[hessian]`, and called by their callers).
    JvpVjp,
    /// Hessian-vector product, `#[hvp]` → `f_jvp_vjp` and `f_hvp`.
    Hvp,
    /// The dense Hessian, `#[hessian]` → `f_jvp_vjp`, `f_hvp` and
    /// `f_hessian`.
    Hessian,
    /// Forward over forward: `f_jvp_jvp`, the JVP of `f_jvp` (made by
    /// `#[jvp(nested)]`, called by forward-mode callers of `f_jvp`).
    JvpJvp,
    /// The JVP of `f_grad`, `f_grad_jvp` (made by `#[grad(nested)]`, called
    /// by forward-mode callers of `f_grad`).
    GradJvp,
    /// The VJP of `f_grad`, `f_grad_vjp` (made by `#[grad(nested)]`, called
    /// by reverse-mode callers of `f_grad`).
    GradVjp,
}

/// The name of the const generic parameter of `f_jvpw`, its width.
pub fn width_ident() -> syn::Ident {
    format_ident!("W", span = proc_macro2::Span::mixed_site())
}

/// The suffix of a tangent's name: `x_dot`.
pub const TANGENT_SUFFIX: &str = "_dot";
/// The suffix of an adjoint's name: `x_bar`.
pub const ADJOINT_SUFFIX: &str = "_bar";
/// The name of a `_vjp`'s last parameter, the cotangent of the result.
pub const COTANGENT: &str = "out_bar";

impl Kind {
    /// The attribute's name, as the user writes it.
    pub fn attr_name(self) -> &'static str {
        match self {
            Kind::Jvp => "jvp",
            Kind::Vjp => "vjp",
            Kind::Grad => "grad",
            Kind::JvpW => "jvp",
            Kind::Jacobian => "jacobian",
            Kind::JvpVjp | Kind::Hvp => "hvp",
            Kind::Hessian => "hessian",
            Kind::JvpJvp => "jvp",
            Kind::GradJvp | Kind::GradVjp => "grad",
        }
    }

    /// The suffix of the generated function's name.
    pub fn suffix(self) -> &'static str {
        match self {
            Kind::Jvp => "_jvp",
            Kind::Vjp => "_vjp",
            Kind::Grad => "_grad",
            Kind::JvpW => "_jvpw",
            Kind::Jacobian => "_jacobian",
            Kind::JvpVjp => "_jvp_vjp",
            Kind::Hvp => "_hvp",
            Kind::Hessian => "_hessian",
            Kind::JvpJvp => "_jvp_jvp",
            Kind::GradJvp => "_grad_jvp",
            Kind::GradVjp => "_grad_vjp",
        }
    }

    /// The options the attribute accepts.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            Kind::Jvp | Kind::JvpW | Kind::JvpJvp => {
                &["vector", "nested", "tape", "constant", "float", "crate"]
            }
            Kind::Vjp => &["tape", "constant", "float", "crate"],
            Kind::Grad | Kind::GradJvp | Kind::GradVjp => {
                &["wrt", "nested", "tape", "constant", "float", "crate"]
            }
            Kind::Jacobian => &["mode", "wrt", "tape", "constant", "float", "crate"],
            Kind::JvpVjp | Kind::Hvp | Kind::Hessian => {
                &["wrt", "tape", "constant", "float", "crate"]
            }
        }
    }

    /// The functions the attribute generates, in order. `#[grad]` also makes
    /// `f_vjp`, so that other reverse-mode derivatives can call `f`;
    /// `#[jvp(vector)]` adds `f_jvpw`; `#[jacobian]` makes the two sweeps
    /// `f_jacobian` runs, minus the one a forced `mode` leaves out.
    /// `nested` adds what callers differentiating a call to `f_jvp` or
    /// `f_grad` need: `f_jvp_jvp` and `f_jvp_vjp`, or `f_jvp_vjp`,
    /// `f_grad_jvp` and `f_grad_vjp`.
    pub fn outputs(self, vector: bool, nested: bool, mode: JacMode) -> Vec<Kind> {
        let mut out = match self {
            Kind::Jvp if vector => vec![Kind::Jvp, Kind::JvpW],
            Kind::Jvp => vec![Kind::Jvp],
            Kind::JvpW => vec![Kind::JvpW],
            Kind::Vjp => vec![Kind::Vjp],
            Kind::Grad => vec![Kind::Vjp, Kind::Grad],
            Kind::Jacobian => match mode {
                JacMode::Auto => vec![Kind::JvpW, Kind::Vjp, Kind::Jacobian],
                JacMode::Forward => vec![Kind::JvpW, Kind::Jacobian],
                JacMode::Reverse => vec![Kind::Vjp, Kind::Jacobian],
            },
            Kind::JvpVjp => vec![Kind::JvpVjp],
            Kind::Hvp => vec![Kind::JvpVjp, Kind::Hvp],
            Kind::Hessian => vec![Kind::JvpVjp, Kind::Hvp, Kind::Hessian],
            Kind::JvpJvp => vec![Kind::JvpJvp],
            Kind::GradJvp => vec![Kind::GradJvp],
            Kind::GradVjp => vec![Kind::GradVjp],
        };
        match self {
            Kind::Jvp if nested => out.extend([Kind::JvpJvp, Kind::JvpVjp]),
            Kind::Grad if nested => out.extend([Kind::JvpVjp, Kind::GradJvp, Kind::GradVjp]),
            _ => {}
        }
        out
    }

    /// The derivative of a callee that this derivative calls: forward mode
    /// calls `g_jvp`, reverse mode (`_vjp` and `_grad`) calls `g_vjp`.
    pub fn of_callees(self) -> Kind {
        match self {
            Kind::Jvp => Kind::Jvp,
            Kind::JvpW => Kind::JvpW,
            Kind::Vjp | Kind::Grad | Kind::Jacobian => Kind::Vjp,
            Kind::JvpVjp | Kind::Hvp | Kind::Hessian => Kind::JvpVjp,
            Kind::JvpJvp => Kind::JvpJvp,
            // Wrappers of `f_jvp_vjp`, which calls the callees.
            Kind::GradJvp | Kind::GradVjp => Kind::JvpVjp,
        }
    }

    /// Attributes, by last path segment, that generate this kind of function.
    pub fn makers(self) -> &'static [&'static str] {
        match self {
            Kind::Jvp => &["jvp"],
            Kind::JvpW => &["jvp", "jacobian"],
            Kind::Vjp => &["vjp", "grad", "jacobian"],
            Kind::Grad => &["grad"],
            Kind::Jacobian => &["jacobian"],
            // `jvp(nested)` stands for `#[jvp(nested)]` (`callees.rs`).
            Kind::JvpVjp => &["hvp", "hessian", "jvp(nested)", "grad(nested)"],
            Kind::Hvp => &["hvp", "hessian"],
            Kind::Hessian => &["hessian"],
            Kind::JvpJvp => &["jvp(nested)"],
            Kind::GradJvp | Kind::GradVjp => &["grad(nested)"],
        }
    }

    /// Whether the derivative is built by the reverse transformation.
    pub fn is_reverse(self) -> bool {
        matches!(self, Kind::Vjp | Kind::Grad)
    }

    /// Whether the derivative is vector forward mode, with `Lanes` tangents.
    pub fn is_vector(self) -> bool {
        self == Kind::JvpW
    }

    /// The generated function's name for `f`.
    pub fn name_of(self, f: &syn::Ident) -> syn::Ident {
        format_ident!("{}{}", f, self.suffix(), span = f.span())
    }
}

/// How `f_jacobian` sweeps: `#[jacobian(mode = forward | reverse)]`, or
/// chosen from the shapes (`auto`, the default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum JacMode {
    #[default]
    Auto,
    Forward,
    Reverse,
}

/// The type of a tangent: the primal parameter's own type (`(f64, f64)`
/// for a tuple parameter `p: (f64, f64)`).
pub fn tangent_type(t: &syn::Type) -> syn::Type {
    t.clone()
}

/// The tangent type for `kind`: in vector mode every `f32`/`f64` in `t`
/// becomes `Lanes<S, W>` (`&[f64]` → `&[Lanes<f64, W>]`).
pub fn tangent_type_of(kind: Kind, t: &syn::Type) -> syn::Type {
    let mut t = tangent_type(t);
    if kind.is_vector() {
        syn::visit_mut::VisitMut::visit_type_mut(&mut ToLanes, &mut t);
    }
    t
}

/// Replaces float scalar types by their lanes.
struct ToLanes;

impl syn::visit_mut::VisitMut for ToLanes {
    fn visit_type_mut(&mut self, t: &mut syn::Type) {
        if let syn::Type::Path(p) = t {
            if p.qself.is_none() && (p.path.is_ident("f64") || p.path.is_ident("f32")) {
                let (rt, w) = (crate::runtime::path(), width_ident());
                *t = syn::parse_quote!(#rt::Lanes<#p, #w>);
                return;
            }
        }
        syn::visit_mut::visit_type_mut(self, t);
    }
}

/// The type of an adjoint parameter: `T`, `&T`, `&mut T` → `&mut T`, so
/// `&mut (f64, f64)` for a tuple parameter.
pub fn adjoint_type(t: &syn::Type) -> syn::Type {
    let inner = match t {
        syn::Type::Reference(r) => (*r.elem).clone(),
        t => t.clone(),
    };
    syn::parse_quote!(&mut #inner)
}

/// The zero that a `_grad` starts the gradient entry of parameter `var`
/// (of type `ty`) from: `0.0` for a scalar, `zero_vec(x)` for a slice or
/// `Vec`, `zero_like(x)` otherwise; its type is [`gradient_type`].
pub fn gradient_zero(ty: &crate::ty::Ty, var: crate::ir::VarId) -> crate::ir::Op {
    use crate::ir::{Atom, Op};
    use crate::ty::Ty;
    match ty {
        Ty::Float(_) => Op::Use(Atom::float(0.0)),
        Ty::Ref(_, inner) if matches!(**inner, Ty::Slice(_) | Ty::Vec(_)) => {
            Op::ZeroVec(Atom::Var(var))
        }
        _ => Op::ZeroLike(Atom::Var(var)),
    }
}

/// The type of one gradient entry: `S` for a scalar, `[S; N]` for an array
/// or a reference to one, `Vec<S>` for a slice or `Vec`, and the tuple
/// itself for a tuple parameter (`(f64, [f64; 2])`).
pub fn gradient_type(t: &syn::Type) -> syn::Type {
    let inner = match t {
        syn::Type::Reference(r) => &*r.elem,
        t => t,
    };
    match inner {
        syn::Type::Slice(s) => {
            let e = &s.elem;
            syn::parse_quote!(::std::vec::Vec<#e>)
        }
        t => t.clone(),
    }
}

/// The signature of `f_jvp` as a function of its own, for the second-order
/// derivatives: `f_jvp_vjp` is its `_vjp`. Each differentiable parameter in
/// `wrt` is followed by its tangent (both differentiable); one outside
/// `wrt` is a constant, with no tangent. The result is `(y, y_dot)`.
/// Returns the signature and its `wrt` mask (every differentiable
/// parameter).
pub fn jvp_signature(sig: &Signature, wrt: &[bool]) -> (Signature, Vec<bool>) {
    let mut params = Vec::new();
    for (p, w) in sig
        .params
        .iter()
        .zip(wrt.iter().chain(std::iter::repeat(&false)))
    {
        let diff = p.differentiable && *w;
        params.push(ParamSig {
            differentiable: diff,
            ..p.clone()
        });
        if diff {
            params.push(ParamSig {
                ident: format_ident!("{}{TANGENT_SUFFIX}", p.ident, span = p.ident.span()),
                mutable: false,
                ty: tangent_type(&p.ty),
                kind: p.kind.clone(),
                differentiable: true,
                check_constant: false,
            });
        }
    }
    let ret = sig.ret.as_ref().map(|t| syn::parse_quote!((#t, #t)));
    let jvp = Signature {
        ident: Kind::Jvp.name_of(&sig.ident),
        params,
        ret,
    };
    let mask = jvp.params.iter().map(|p| p.differentiable).collect();
    (jvp, mask)
}

mod shell;

pub use shell::{shell, stub, tape_doc, tapes_fn};

/// One parameter of a generated signature, `m name: ty`; a method's
/// receiver (the parameter `self`, of type `Self`, `&Self` or `&mut Self`)
/// is written back in the form the user wrote (`&self`): its derivatives
/// are sibling methods, called as `self.f_jvp(..)`.
pub fn param_decl(
    name: &syn::Ident,
    ty: &syn::Type,
    m: Option<proc_macro2::TokenStream>,
) -> proc_macro2::TokenStream {
    if name == "self" {
        match ty {
            syn::Type::Reference(r) => {
                let (and, lt, mutability) = (&r.and_token, &r.lifetime, &r.mutability);
                return quote::quote!(#and #lt #mutability #name);
            }
            syn::Type::Path(_) => return quote::quote!(#m #name),
            _ => {}
        }
    }
    quote::quote!(#m #name: #ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> syn::Type {
        syn::parse_str(s).unwrap()
    }

    fn text(t: &syn::Type) -> String {
        quote::ToTokens::to_token_stream(t).to_string()
    }

    #[test]
    fn tuple_parameters() {
        let p = ty("(f64, [f32; 2])");
        assert_eq!(text(&tangent_type(&p)), text(&p));
        assert_eq!(text(&adjoint_type(&p)), text(&ty("&mut (f64, [f32; 2])")));
        assert_eq!(text(&gradient_type(&p)), text(&p));
    }

    #[test]
    fn slices_and_arrays() {
        assert_eq!(text(&adjoint_type(&ty("&[f64]"))), text(&ty("&mut [f64]")));
        assert_eq!(
            text(&gradient_type(&ty("&[f32]"))),
            text(&ty("::std::vec::Vec<f32>"))
        );
        assert_eq!(
            text(&gradient_type(&ty("&[f64; 3]"))),
            text(&ty("[f64; 3]"))
        );
    }
}

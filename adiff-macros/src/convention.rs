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
//!   the outputs flattened in order, columns the differentiable inputs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::FnShell;
use crate::sig::Signature;

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
        }
    }

    /// The options the attribute accepts.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            Kind::Jvp | Kind::JvpW => &["vector", "constant", "crate"],
            Kind::Vjp => &["tape", "constant", "crate"],
            Kind::Grad => &["wrt", "tape", "constant", "crate"],
            Kind::Jacobian => &["mode", "wrt", "tape", "constant", "crate"],
        }
    }

    /// The functions the attribute generates, in order. `#[grad]` also makes
    /// `f_vjp`, so that other reverse-mode derivatives can call `f`;
    /// `#[jvp(vector)]` adds `f_jvpw`; `#[jacobian]` makes the two sweeps
    /// `f_jacobian` runs, minus the one a forced `mode` leaves out.
    pub fn outputs(self, vector: bool, mode: JacMode) -> Vec<Kind> {
        match self {
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
        }
    }

    /// The derivative of a callee that this derivative calls: forward mode
    /// calls `g_jvp`, reverse mode (`_vjp` and `_grad`) calls `g_vjp`.
    pub fn of_callees(self) -> Kind {
        match self {
            Kind::Jvp => Kind::Jvp,
            Kind::JvpW => Kind::JvpW,
            Kind::Vjp | Kind::Grad | Kind::Jacobian => Kind::Vjp,
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

/// The return type of the generated function.
fn return_type(kind: Kind, sig: &Signature, wrt: &[bool]) -> Option<TokenStream> {
    let t = sig.ret.as_ref()?;
    Some(match kind {
        Kind::Jvp => quote!((#t, #t)),
        Kind::JvpW => {
            let d = tangent_type_of(kind, t);
            quote!((#t, #d))
        }
        Kind::Jacobian => {
            let s = crate::jacobian::scalar_type(sig);
            let rt = crate::runtime::path();
            quote!((#t, #rt::Matrix<#s>))
        }
        Kind::Vjp => quote!(#t),
        Kind::Grad => {
            let tys: Vec<syn::Type> = in_wrt(sig, wrt).map(|p| gradient_type(&p.ty)).collect();
            let g = if tys.len() == 1 {
                quote!(#(#tys)*)
            } else {
                quote!((#(#tys),*))
            };
            quote!((#t, #g))
        }
    })
}

fn in_wrt<'s>(
    sig: &'s Signature,
    wrt: &'s [bool],
) -> impl Iterator<Item = &'s crate::sig::ParamSig> {
    sig.params
        .iter()
        .zip(wrt)
        .filter(|(_, w)| **w)
        .map(|(p, _)| p)
}

/// The doc comment of the generated function.
fn doc(kind: Kind, sig: &Signature, wrt: &[bool]) -> String {
    let name = &sig.ident;
    let list = |names: Vec<String>| {
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    let diff = list(
        sig.params
            .iter()
            .filter(|p| p.differentiable)
            .map(|p| format!("`{}`", p.ident))
            .collect(),
    );
    match kind {
        Kind::Jvp => format!(
            "Forward-mode derivative (JVP) of [`{name}`], generated by `#[jvp]`.\n\n\
             Returns `({name}(..), tangent)`: the value and its directional derivative along the \
             given tangents. Each differentiable parameter ({diff}) is followed by its tangent \
             `<name>{TANGENT_SUFFIX}` of the same type; other parameters are passed through unchanged."
        ),
        Kind::Vjp => format!(
            "Reverse-mode derivative (VJP) of [`{name}`], generated by `#[vjp]`/`#[grad]`.\n\n\
             Returns `{name}(..)` and adds `Jᵀ · {COTANGENT}` into the adjoints. Each differentiable \
             parameter ({diff}) is followed by its adjoint `<name>{ADJOINT_SUFFIX}: &mut T`, which is \
             accumulated with `+=` (zero it first). `{COTANGENT}`, last, is the cotangent of the \
             result. For a `&mut` parameter the adjoint holds the cotangent of the final contents \
             on entry and of the initial contents on exit; the primal contents of `&mut` \
             parameters after the call are unspecified."
        ),
        Kind::JvpW => format!(
            "Vector forward-mode derivative of [`{name}`]: `W` JVPs in one sweep, generated by \
             `#[jvp(vector)]` or `#[jacobian]`.\n\n\
             Returns `({name}(..), tangents)`, computing the value once. As `{name}_jvp`, but every \
             float `S` in a tangent's type is `adiff::Lanes<S, W>`: lane `k` of each tangent \
             ({diff}) is direction `k`, and lane `k` of the result is the JVP along it."
        ),
        Kind::Jacobian => format!(
            "Jacobian of [`{name}`], generated by `#[jacobian]`.\n\n\
             Returns `({name}(..), J)` with `J` an `m × n` `adiff::Matrix`: row `i` is output `i` \
             (the return value flattened, then the final contents of each `&mut` parameter), \
             column `j` is input `j` (the differentiable parameters ({diff}) flattened in order; \
             for a `&mut` parameter, its initial contents). Built from `{name}_jvpw` sweeps of \
             8 directions or `{name}_vjp` sweeps, one per row, whichever the cost model predicts \
             cheaper (see \"Jacobians\" in adiff's crate docs)."
        ),
        Kind::Grad => format!(
            "Gradient of [`{name}`], generated by `#[grad]`.\n\n\
             Returns `({name}(..), gradient)`, with the gradient with respect to {}: one \
             entry per parameter, in order (a scalar, an array, or a `Vec` for a slice).",
            list(in_wrt(sig, wrt).map(|p| format!("`{}`", p.ident)).collect())
        ),
    }
}

/// The name, attributes, doc comment and return type of a generated function.
pub fn shell<'a>(kind: Kind, func: &'a syn::ItemFn, sig: &Signature, wrt: &[bool]) -> FnShell<'a> {
    let inline: Vec<&syn::Attribute> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("inline"))
        .collect();
    let lints = lint_attrs(&func.attrs);
    let doc = doc(kind, sig, wrt);
    let doc_lines = doc.lines().map(|l| format!(" {l}"));
    let attrs = quote! {
        #(#[doc = #doc_lines])*
        #(#inline)*
        #(#lints)*
        // The calling convention pairs each parameter with its tangent or
        // adjoint, and a derivative is longer than its function: neither is
        // the user's to fix. Rules name `LN_2` and the like when the float
        // type is known, and must write a literal when it is inferred.
        #[allow(clippy::too_many_arguments, clippy::too_many_lines, clippy::approx_constant)]
    };
    let mut generics = func.sig.generics.clone();
    if kind.is_vector() {
        let w = width_ident();
        generics.params.push(syn::parse_quote!(const #w: usize));
    }
    let ret = match (kind, &sig.ret) {
        (Kind::Jacobian, None) => {
            let s = crate::jacobian::scalar_type(sig);
            let rt = crate::runtime::path();
            Some(quote!(((), #rt::Matrix<#s>)))
        }
        _ => return_type(kind, sig, wrt),
    };
    FnShell {
        attrs,
        vis: &func.vis,
        name: format_ident!("{}{}", sig.ident, kind.suffix()),
        generics,
        ret,
        prologue: constant_checks(sig),
        lanes: kind.is_vector(),
    }
}

/// The suffix of the function that lists what `f_vjp` records:
/// `f_vjp_tapes()`.
pub const TAPES_SUFFIX: &str = "_vjp_tapes";

/// The tape report's doc-comment section, for the `_vjp`'s shell.
pub fn tape_doc(tapes: &[crate::tape_report::TapeUse]) -> TokenStream {
    let text = crate::tape_report::doc(tapes);
    let lines = text.lines().map(|l| format!(" {l}"));
    quote!(#(#[doc = #lines])*)
}

/// `fn f_vjp_tapes() -> &'static [TapeInfo]`: what `f_vjp` records, as
/// data (the same figures as its doc comment).
pub fn tapes_fn(
    func: &syn::ItemFn,
    sig: &Signature,
    tapes: &[crate::tape_report::TapeUse],
) -> TokenStream {
    let rt = crate::runtime::path();
    let vis = &func.vis;
    let name = format_ident!("{}{}", sig.ident, TAPES_SUFFIX);
    let vjp = Kind::Vjp.name_of(&sig.ident);
    let doc = format!(" What [`{vjp}`] records in its forward sweep, one entry per tape: the figures of its doc comment, as data.");
    let entries = tapes.iter().map(|t| {
        let (tape, elem, count) = (&t.tape, &t.elem, &t.count);
        let pushed = &t.pushed;
        quote!(#rt::TapeInfo { tape: #tape, elem: #elem, pushed: &[#(#pushed),*], count: #count })
    });
    quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        #vis fn #name() -> &'static [#rt::TapeInfo] {
            &[#(#entries),*]
        }
    }
}

/// A parameter whose type the macro does not model is passed through as a
/// constant only if rustc proves that its type carries no derivative
/// (`adiff::Constant`, whose `on_unimplemented` message says what to do).
/// Spanned on the parameter, so the error points at it.
fn constant_checks(sig: &Signature) -> TokenStream {
    sig.params
        .iter()
        .filter(|p| p.check_constant)
        .map(|p| {
            let id = &p.ident;
            let rt = crate::runtime::path_at(id.span());
            quote::quote_spanned!(id.span()=> #rt::assert_constant(&#id);)
        })
        .collect()
}

/// The user's lint levels, for the derivatives: they contain the same code,
/// so a lint the user silenced on `f` must stay silent on `f_jvp`. An
/// `#[expect]` becomes `#[allow]`, because the derivative may not trip the
/// lint the user expected.
fn lint_attrs(attrs: &[syn::Attribute]) -> Vec<TokenStream> {
    attrs
        .iter()
        .filter_map(|a| {
            let path = a.path();
            if path.is_ident("expect") {
                let syn::Meta::List(list) = &a.meta else {
                    return None;
                };
                let lints = &list.tokens;
                Some(quote!(#[allow(#lints)]))
            } else if ["allow", "warn", "deny", "forbid"]
                .iter()
                .any(|l| path.is_ident(l))
            {
                Some(quote!(#a))
            } else {
                None
            }
        })
        .collect()
}

/// A derivative with the right signature whose body is never reached, so a
/// failed expansion causes no further errors at call sites.
pub fn stub(kind: Kind, func: &syn::ItemFn, sig: &Signature, wrt: &[bool]) -> TokenStream {
    let FnShell {
        attrs,
        vis,
        name,
        generics,
        ret,
        ..
    } = shell(kind, func, sig, wrt);
    let params = sig.params.iter().map(|p| {
        let (id, ty) = (&p.ident, &p.ty);
        match kind {
            Kind::Jvp | Kind::JvpW if p.differentiable => {
                let dot = format_ident!("{}{TANGENT_SUFFIX}", p.ident);
                let dty = tangent_type_of(kind, ty);
                quote!(#id: #ty, #dot: #dty)
            }
            Kind::Vjp if p.differentiable => {
                let bar = format_ident!("{}{ADJOINT_SUFFIX}", p.ident);
                let bty = adjoint_type(ty);
                quote!(#id: #ty, #bar: #bty)
            }
            _ => quote!(#id: #ty),
        }
    });
    let out_bar = match (kind, &sig.ret) {
        (Kind::Vjp, Some(t)) => {
            let ob = format_ident!("{COTANGENT}");
            Some(quote!(#ob: #t))
        }
        _ => None,
    };
    let params: Vec<TokenStream> = params.chain(out_bar).collect();
    let (_, _, where_clause) = generics.split_for_impl();
    let ret = ret.map(|r| quote!(-> #r));
    quote! {
        #attrs
        // The stub only stands in for the signature; the error above is the
        // one thing the user should see.
        #[allow(unused_variables)]
        #vis fn #name #generics (#(#params),*) #ret #where_clause {
            ::core::unreachable!("the derivative macro failed to expand; see the error above")
        }
    }
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

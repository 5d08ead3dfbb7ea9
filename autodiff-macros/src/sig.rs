//! Parsing and checking the signature of an annotated function.

use crate::diag::Diags;
use crate::ty::Ty;

/// One parameter of the user's function.
#[derive(Clone, Debug)]
pub struct ParamSig {
    pub ident: syn::Ident,
    pub mutable: bool,
    pub ty: syn::Type,
    pub kind: Ty,
    /// Whether the parameter gets a tangent or adjoint.
    pub differentiable: bool,
}

/// The signature of the user's function, checked.
#[derive(Clone, Debug)]
pub struct Signature {
    pub ident: syn::Ident,
    pub params: Vec<ParamSig>,
    /// The return type; `None` for `()`.
    pub ret: Option<syn::Type>,
}

/// Reads the signature, reporting every unsupported part.
pub fn parse(sig: &syn::Signature, diags: &mut Diags) -> Option<Signature> {
    let mut ok = true;
    if let Some(a) = &sig.asyncness {
        diags.error_at(a, "`async fn` cannot be differentiated; remove `async`");
        ok = false;
    }
    if let Some(v) = &sig.variadic {
        diags.error_at(v, "variadic functions cannot be differentiated");
        ok = false;
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => {
                diags.error_at(r, "methods with a `self` receiver are not supported; write a free function that takes the fields it needs as parameters");
                ok = false;
            }
            syn::FnArg::Typed(pt) => {
                let syn::Pat::Ident(pi) = &*pt.pat else {
                    diags.error_at(&pt.pat, "parameter patterns are not supported; use a plain name (`x: f64` or `mut x: f64`)");
                    ok = false;
                    continue;
                };
                if pi.by_ref.is_some() || pi.subpat.is_some() {
                    diags.error_at(&pt.pat, "parameter patterns are not supported; use a plain name (`x: f64` or `mut x: f64`)");
                    ok = false;
                    continue;
                }
                if contains_impl_trait(&pt.ty) {
                    diags.error_at(&pt.ty, "`impl Trait` parameters are not supported; the supported differentiable types are `f32`, `f64`, arrays, slices and `Vec`s of them, and references to these");
                    ok = false;
                    continue;
                }
                let kind = Ty::from_syn(&pt.ty);
                params.push(ParamSig {
                    ident: pi.ident.clone(),
                    mutable: pi.mutability.is_some(),
                    ty: (*pt.ty).clone(),
                    differentiable: is_differentiable_param(&kind),
                    kind,
                });
            }
        }
    }
    let ret = match &sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, t) => match &**t {
            syn::Type::Tuple(tt) if tt.elems.is_empty() => None,
            t => {
                if contains_impl_trait(t) {
                    diags.error_at(t, "`impl Trait` return types are not supported; return floats, arrays, tuples or `Vec`s");
                    ok = false;
                }
                Some(t.clone())
            }
        },
    };
    ok.then(|| Signature {
        ident: sig.ident.clone(),
        params,
        ret,
    })
}

/// The calling convention's differentiable parameter types: floats, arrays of
/// them, `&[S]`, `&[S; N]`, `&Vec<S>`, `&mut` of these, and `&mut S`.
fn is_differentiable_param(t: &Ty) -> bool {
    match t {
        Ty::Ref(_, inner) => {
            matches!(
                **inner,
                Ty::Float(_) | Ty::Array(_) | Ty::Slice(_) | Ty::Vec(_)
            ) && inner.is_differentiable()
        }
        Ty::Float(_) | Ty::Array(_) | Ty::Vec(_) => t.is_differentiable(),
        _ => false,
    }
}

fn contains_impl_trait(t: &syn::Type) -> bool {
    match t {
        syn::Type::ImplTrait(_) => true,
        syn::Type::Reference(r) => contains_impl_trait(&r.elem),
        syn::Type::Slice(s) => contains_impl_trait(&s.elem),
        syn::Type::Array(a) => contains_impl_trait(&a.elem),
        syn::Type::Paren(p) => contains_impl_trait(&p.elem),
        syn::Type::Tuple(t) => t.elems.iter().any(contains_impl_trait),
        _ => false,
    }
}

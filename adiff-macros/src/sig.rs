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
    /// A constant of a type the macro does not model: the derivative asks
    /// rustc to prove that the type implements the runtime's `Constant`.
    pub check_constant: bool,
}

/// The signature of the user's function, checked.
#[derive(Clone, Debug)]
pub struct Signature {
    pub ident: syn::Ident,
    pub params: Vec<ParamSig>,
    /// The return type; `None` for `()`.
    pub ret: Option<syn::Type>,
}

/// Reads the signature, reporting every unsupported part. `constants` are
/// the parameters the user declared constant (`constant(m)`).
pub fn parse(
    sig: &syn::Signature,
    constants: &[syn::Ident],
    diags: &mut Diags,
) -> Option<Signature> {
    let mut ok = true;
    if let Some(a) = &sig.asyncness {
        diags.error_at(a, "`async fn` cannot be differentiated; remove `async`");
        ok = false;
    }
    if let Some(v) = &sig.variadic {
        diags.error_at(
            v,
            "variadic functions cannot be differentiated; take the values as a slice (`x: &[f64]`)",
        );
        ok = false;
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            // A method's receiver is a constant whose type rustc must prove
            // carries no derivative (`impl adiff::Constant for Model {}`):
            // the fields it holds are then constants too. It is printed as
            // `self: &Self`, which Rust accepts for every receiver form.
            syn::FnArg::Receiver(r) => {
                let (ty, mutable): (syn::Type, bool) = match &r.kind {
                    syn::ReceiverKind::Value => (syn::parse_quote!(Self), r.mutability.is_some()),
                    syn::ReceiverKind::Reference(_, lt, m) => match m {
                        Some(_) => (syn::parse_quote!(&#lt mut Self), false),
                        None => (syn::parse_quote!(&#lt Self), false),
                    },
                    _ => {
                        diags.error_at(r, "a receiver with an explicit type (`self: Box<Self>`) is not supported; use `self`, `&self` or `&mut self`");
                        ok = false;
                        continue;
                    }
                };
                // `Self` deriving `Differentiable` (`structs.rs`) makes a
                // differentiable receiver, with a tangent `self_dot`.
                let kind = Ty::from_syn(&ty);
                let differentiable = is_differentiable_param(&kind);
                params.push(ParamSig {
                    ident: syn::Ident::new("self", r.self_token.span),
                    mutable,
                    kind: if differentiable {
                        kind
                    } else {
                        constant_kind(kind)
                    },
                    ty,
                    differentiable,
                    check_constant: !differentiable,
                });
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
                let declared = constants.contains(&pi.ident);
                let Some(role) = role(&pi.ident, &pt.ty, declared, &sig.generics, diags) else {
                    ok = false;
                    continue;
                };
                let kind = match role {
                    Role::Differentiable | Role::Constant => Ty::from_syn(&pt.ty),
                    Role::Declared | Role::Checked => constant_kind(Ty::from_syn(&pt.ty)),
                };
                params.push(ParamSig {
                    ident: pi.ident.clone(),
                    mutable: pi.mutability.is_some(),
                    ty: (*pt.ty).clone(),
                    differentiable: role == Role::Differentiable,
                    check_constant: role == Role::Checked,
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

/// How a parameter takes part in the derivative.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// It gets a tangent or adjoint.
    Differentiable,
    /// Its type is known to carry no derivative (integers, `bool`, ...).
    Constant,
    /// The user listed it in `constant(..)`.
    Declared,
    /// A type the macro does not model: constant if rustc proves
    /// `T: Constant`.
    Checked,
}

/// Decides a parameter's role. A parameter is never silently constant:
/// types that may hold floats are either differentiable, declared constant
/// by the user, checked by rustc, or an error here.
fn role(
    ident: &syn::Ident,
    ty: &syn::Type,
    declared: bool,
    generics: &syn::Generics,
    diags: &mut Diags,
) -> Option<Role> {
    let kind = Ty::from_syn(ty);
    if is_differentiable_param(&kind) {
        if declared {
            diags.error_at(ident, format!("`{ident}` has a differentiable type, so it cannot be listed in `constant(..)`; to leave it out of the gradient use `#[grad(wrt(..))]` with the other parameters"));
            return None;
        }
        return Some(Role::Differentiable);
    }
    if kind.is_constant() {
        return Some(Role::Constant);
    }
    if declared {
        return Some(Role::Declared);
    }
    if let Some(g) = generic_in(ty, generics) {
        diags.error_at(ty, format!("parameter `{ident}` has the generic type `{g}`, which is not this function's float type; the float type is the one type parameter bounded by `num_traits::Float` (or `Real`), or named by `float({g})` in the attribute; if `{ident}` carries no derivative, declare it with `constant({ident})`"));
        return None;
    }
    if has_float_tuple(&kind) {
        diags.error_at(ty, format!("this tuple parameter is not supported: a tuple parameter is differentiable when it is passed by value and each field is a float or an array of floats (`{ident}: (f64, f64)`); pass the other fields of `{ident}` as separate parameters"));
        return None;
    }
    Some(Role::Checked)
}

/// The kind of a parameter known to be constant: every part that is not
/// modelled, or float, becomes `Opaque`, so no analysis gives it a derivative.
fn constant_kind(t: Ty) -> Ty {
    match t {
        Ty::Ref(m, e) => Ty::Ref(m, Box::new(constant_kind(*e))),
        Ty::Array(e) => Ty::Array(Box::new(constant_kind(*e))),
        Ty::Slice(e) => Ty::Slice(Box::new(constant_kind(*e))),
        Ty::Vec(e) => Ty::Vec(Box::new(constant_kind(*e))),
        Ty::Tuple(es) => Ty::Tuple(es.into_iter().map(constant_kind).collect()),
        t if t.is_constant() => t,
        _ => Ty::Opaque,
    }
}

fn has_float_tuple(t: &Ty) -> bool {
    match t {
        Ty::Tuple(es) => es.iter().any(|e| !e.is_constant()),
        Ty::Ref(_, e) | Ty::Array(e) | Ty::Slice(e) | Ty::Vec(e) => has_float_tuple(e),
        _ => false,
    }
}

/// The first generic type parameter of `generics` that `ty` mentions.
fn generic_in(ty: &syn::Type, generics: &syn::Generics) -> Option<syn::Ident> {
    let names: Vec<&syn::Ident> = generics.type_params().map(|p| &p.ident).collect();
    let mut found = None;
    find_idents(quote::ToTokens::to_token_stream(ty), &mut |id| {
        if found.is_none() && names.contains(&id) {
            found = Some(id.clone());
        }
    });
    found
}

pub(crate) fn find_idents(ts: proc_macro2::TokenStream, f: &mut dyn FnMut(&syn::Ident)) {
    for tt in ts {
        match tt {
            proc_macro2::TokenTree::Ident(id) => f(&id),
            proc_macro2::TokenTree::Group(g) => find_idents(g.stream(), f),
            _ => {}
        }
    }
}

/// The calling convention's differentiable parameter types: floats, arrays of
/// them, `&[S]`, `&[S; N]`, `&Vec<S>`, `&mut` of these, and `&mut S`; and
/// tuples of floats and arrays of them, by value (`(f64, [f64; 2])`).
fn is_differentiable_param(t: &Ty) -> bool {
    match t {
        Ty::Tuple(es) => {
            !es.is_empty()
                && es
                    .iter()
                    .all(|e| matches!(e, Ty::Float(_) | Ty::Array(_)) && e.is_differentiable())
        }
        Ty::Ref(_, inner) => {
            matches!(
                **inner,
                Ty::Float(_) | Ty::Array(_) | Ty::Slice(_) | Ty::Vec(_) | Ty::Struct(_) | Ty::La(_)
            ) && inner.is_differentiable()
        }
        Ty::Float(_) | Ty::Array(_) | Ty::Vec(_) | Ty::Struct(_) | Ty::La(_) => {
            t.is_differentiable()
        }
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

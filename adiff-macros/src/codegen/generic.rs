//! Zeros and adjoint sums written out by type, for functions generic over
//! their float type `T`.
//!
//! Derivatives of `f64` code make zeros and add non-scalar adjoints with the
//! runtime's `ZeroLike` and `Accumulate`. Those traits cannot also be
//! implemented for every `T: Float`: next to their impls for integers,
//! coherence rejects a blanket impl (num-traits could one day implement
//! `Float` for `u8`). The types are known here, so the code is written out
//! per type instead, asking of `T` only what `Float` gives.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ty::Ty;

/// An owned zero shaped like the value of `x`, whose type is `ty` (a
/// reference is looked through). `None` for a type without a known shape.
pub(super) fn zero(ty: &Ty, x: &TokenStream) -> Option<TokenStream> {
    zero_at(ty, x, false, 0)
}

/// `Vec` of zeros as long as the slice or `Vec` `x` (of type `ty`).
pub(super) fn zero_vec(ty: &Ty, x: &TokenStream) -> Option<TokenStream> {
    match ty.deref() {
        Ty::Slice(e) | Ty::Vec(e) | Ty::Array(e) => vec_of(e, x, 0),
        _ => None,
    }
}

/// `x` is an expression of type `ty`, or a reference to one when `is_ref`.
fn zero_at(ty: &Ty, x: &TokenStream, is_ref: bool, depth: usize) -> Option<TokenStream> {
    let rt = crate::runtime::path();
    Some(match ty {
        Ty::Ref(_, t) => return zero_at(t, x, true, depth),
        Ty::Float(p) => super::float_lit(0.0, *p),
        Ty::Int | Ty::Bool => quote!(::core::default::Default::default()),
        Ty::Unit => quote!(()),
        Ty::Slice(e) | Ty::Vec(e) => return vec_of(e, x, depth),
        Ty::Array(e) => {
            let v = format_ident!("v{depth}");
            let inner = zero_at(e, &quote!(#v), true, depth + 1)?;
            let a = if is_ref { quote!(#x) } else { quote!(&#x) };
            quote!(#rt::map_array(#a, |#v| #inner))
        }
        Ty::Tuple(es) => {
            let parts = es
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let i = syn::Index::from(i);
                    zero_at(e, &quote!((#x).#i), false, depth)
                })
                .collect::<Option<Vec<_>>>()?;
            quote!((#(#parts,)*))
        }
        _ => return None,
    })
}

fn vec_of(elem: &Ty, x: &TokenStream, depth: usize) -> Option<TokenStream> {
    let rt = crate::runtime::path();
    if let Ty::Float(_) = elem {
        let t = crate::ty::Prec::Generic.tokens();
        return Some(quote!(#rt::zeros::<#t>(#x.len())));
    }
    let v = format_ident!("v{depth}");
    let inner = zero_at(elem, &quote!(#v), true, depth + 1)?;
    Some(quote!(#x.iter().map(|#v| #inner).collect::<::std::vec::Vec<_>>()))
}

/// `target += source` for values of type `ty`, element by element:
/// `target` is a place, `source` an expression of the same type.
pub(super) fn accumulate(
    ty: &Ty,
    target: &TokenStream,
    source: &TokenStream,
) -> Option<TokenStream> {
    accumulate_at(ty, target, source, 0)
}

fn accumulate_at(ty: &Ty, t: &TokenStream, a: &TokenStream, depth: usize) -> Option<TokenStream> {
    Some(match ty {
        Ty::Ref(_, e) => return accumulate_at(e, &quote!(*#t), &quote!(*#a), depth),
        Ty::Float(_) => quote!(#t = #t + #a;),
        Ty::Int | Ty::Bool | Ty::Unit => quote!(),
        Ty::Slice(e) | Ty::Vec(e) | Ty::Array(e) => {
            let (tv, av) = (format_ident!("t{depth}"), format_ident!("a{depth}"));
            let inner = accumulate_at(e, &quote!(*#tv), &quote!(*#av), depth + 1)?;
            quote!(for (#tv, #av) in (#t).iter_mut().zip((#a).iter()) { #inner })
        }
        Ty::Tuple(es) => {
            let parts = es
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let i = syn::Index::from(i);
                    accumulate_at(e, &quote!((#t).#i), &quote!((#a).#i), depth)
                })
                .collect::<Option<Vec<_>>>()?;
            quote!(#(#parts)*)
        }
        _ => return None,
    })
}

/// A new tape of `cap` inline slots for values of type `elem` in a generic
/// function. `Tape::new` fills the slots with `Default`, which `T: Float`
/// does not imply, so they start as a zero of `elem` written out here; an
/// element type without such a zero gets a tape with no inline slots.
pub(super) fn tape_new(elem: &Ty, cap: usize) -> TokenStream {
    let rt = crate::runtime::path();
    match fill(elem) {
        Some(f) => {
            let cap = proc_macro2::Literal::usize_unsuffixed(cap);
            quote!(#rt::Tape::<_, #cap>::filled(#f))
        }
        None => quote!(#rt::Tape::<_, 0>::heap()),
    }
}

/// A value of type `ty` that needs no other value to build.
fn fill(ty: &Ty) -> Option<TokenStream> {
    Some(match ty {
        Ty::Float(p) => super::float_lit(0.0, *p),
        Ty::Int | Ty::Bool => quote!(::core::default::Default::default()),
        Ty::Unit => quote!(()),
        Ty::Array(e) => {
            let e = fill(e)?;
            quote!(::core::array::from_fn(|_| #e))
        }
        Ty::Tuple(es) => {
            let es = es.iter().map(fill).collect::<Option<Vec<_>>>()?;
            quote!((#(#es,)*))
        }
        _ => return None,
    })
}

//! What `#[hvp]` and `#[hessian]` take, and `f_hessian`: the dense Hessian
//! from one Hessian-vector product (`f_hvp`) per column.
//!
//! Not an IR transformation: like `f_jacobian`, `f_hessian` is a fixed
//! driver around a generated derivative. Column `j` is `H · e_j`, with the
//! unit direction `e_j` spread over the parameters flattened in order by
//! the runtime's `JacInput` (`bar_unit` makes a parameter's share of it,
//! `read_bar` flattens a product's entry into the column). `n` columns cost
//! `n` sweeps of `f_jvp_vjp`, each a small multiple of one gradient, and
//! never an `n²` number of evaluations.

use proc_macro2::{Span, TokenStream};
use quote::format_ident;

/// `quote!` with the driver's own names hygienic (`Span::mixed_site`).
macro_rules! q {
    ($($t:tt)*) => {
        quote::quote_spanned!(proc_macro2::Span::mixed_site()=> $($t)*)
    };
}

use crate::convention::{Kind, TANGENT_SUFFIX};
use crate::diag::Diags;
use crate::jacobian::{flat_of_floats, float_in};
use crate::sig::{ParamSig, Signature};
use crate::ty::Ty;

/// Reports what `#[hvp]` and `#[hessian]` (`mode`) do not take, spanned on
/// it.
pub fn check(mode: Kind, sig: &Signature, func: &syn::ItemFn, wrt: &[bool], diags: &mut Diags) {
    let attr = mode.attr_name();
    if !matches!(sig.ret.as_ref().map(Ty::from_syn), Some(Ty::Float(_))) {
        let msg = format!("`#[{attr}]` needs a function returning `f32` or `f64`: the Hessian is that of a scalar function; for a vector result use `#[jacobian]`");
        match &sig.ret {
            Some(t) => diags.error_at(t, msg),
            None => diags.error_at(&func.sig.ident, msg),
        }
    }
    // A `&mut` left out of `wrt(..)` is scratch space: a constant, as long
    // as nothing differentiable is stored into it (`hvp::reject_varied_scratch`).
    for (p, _) in sig
        .params
        .iter()
        .zip(wrt)
        .filter(|(p, w)| p.differentiable && **w)
    {
        if matches!(p.kind, Ty::Ref(true, _)) {
            diags.error_at(&p.ty, format!("`#[{attr}]` does not take a differentiable `&mut` parameter: its final contents are a second output, and the Hessian is of the result alone; fill a local buffer instead (`let mut buf = vec![0.0; n];`), or, if it is scratch space that holds no differentiable value, leave it out of `wrt(..)`"));
        }
    }
    if !wrt.iter().any(|w| *w) {
        diags.error_at(&func.sig.ident, format!("`#[{attr}]` needs a differentiable parameter (a float, or an array, slice or `Vec` of floats) to take second derivatives with respect to"));
    }
    if mode == Kind::Hessian {
        check_flat(sig, func, wrt, diags);
    }
}

/// `f_hessian`'s parameters flatten into one matrix: floats, arrays, slices
/// and `Vec`s of one float type.
fn check_flat(sig: &Signature, func: &syn::ItemFn, wrt: &[bool], diags: &mut Diags) {
    let mut precs = Vec::new();
    for (p, _) in sig.params.iter().zip(wrt).filter(|(_, w)| **w) {
        let inner = match &p.kind {
            Ty::Ref(_, t) => &**t,
            t => t,
        };
        if !flat_of_floats(inner, true) {
            diags.error_at(&p.ty, "`#[hessian]` takes parameters that are floats, or arrays, slices and `Vec`s of floats (by value or behind `&`); pass a tuple's fields as an array or as separate parameters, or use `#[hvp]`, which takes tuples");
        }
        precs.extend(float_in(inner));
    }
    if let Some(t) = &sig.ret {
        precs.extend(float_in(&Ty::from_syn(t)));
    }
    if precs.windows(2).any(|w| w[0] != w[1]) {
        diags.error_at(&func.sig, "`#[hessian]` needs every differentiable parameter and the result to be of one float type (all `f64` or all `f32`): the Hessian is one matrix");
    }
}

fn local(name: &str) -> syn::Ident {
    format_ident!("{name}", span = Span::mixed_site())
}

fn suffixed(p: &ParamSig, suffix: &str) -> syn::Ident {
    format_ident!("{}{suffix}", p.ident, span = Span::mixed_site())
}

/// `f_hessian`: the convention's shell around the driver.
pub fn function(func: &syn::ItemFn, sig: &Signature, wrt: &[bool]) -> TokenStream {
    let crate::codegen::FnShell {
        attrs,
        vis,
        name,
        generics,
        ret,
        prologue,
        ..
    } = crate::convention::shell(Kind::Hessian, func, sig, wrt);
    let params = sig.params.iter().map(|p| {
        let (id, ty) = (&p.ident, &p.ty);
        q!(#id: #ty)
    });
    let body = body(sig, wrt);
    let (_, _, where_clause) = generics.split_for_impl();
    let ret = ret.map(|r| q!(-> #r));
    q! {
        #attrs
        #vis fn #name #generics (#(#params),*) #ret #where_clause {
            #prologue
            #body
        }
    }
}

/// The body of `f_hessian`.
fn body(sig: &Signature, wrt: &[bool]) -> TokenStream {
    let rt = crate::runtime::path();
    let s = crate::jacobian::scalar_type(sig);
    let cols: Vec<&ParamSig> = sig
        .params
        .iter()
        .zip(wrt)
        .filter(|(p, w)| p.differentiable && **w)
        .map(|(p, _)| p)
        .collect();
    let (n, j, h, column, sweep) = (
        local("n"),
        local("j"),
        local("h"),
        local("column"),
        local("sweep"),
    );
    let of = |p: &ParamSig| {
        let id = &p.ident;
        if matches!(p.ty, syn::Type::Reference(_)) {
            q!(#id)
        } else {
            q!(&#id)
        }
    };
    let mut setup = TokenStream::new();
    let mut prev = q!(0usize);
    for p in &cols {
        let (col, x) = (suffixed(p, "_col"), of(p));
        setup.extend(q!(let #col: usize = #prev;));
        prev = q!(#col + #rt::jac::JacInput::flat_len(#x));
    }
    setup.extend(q!(let #n: usize = #prev;));
    // The direction `e_j`: each parameter's share, all zero outside it.
    let mut seeds = TokenStream::new();
    for p in &cols {
        let (dot, col, x) = (suffixed(p, TANGENT_SUFFIX), suffixed(p, "_col"), of(p));
        seeds.extend(q! {
            let #dot = #rt::jac::JacInput::bar_unit(#x, #j.checked_sub(#col).unwrap_or(usize::MAX));
        });
    }
    let args = sig.params.iter().zip(wrt).map(|(p, w)| {
        let id = &p.ident;
        if !(p.differentiable && *w) {
            // A `&mut` outside `wrt(..)` is reborrowed by each sweep.
            return if matches!(p.kind, Ty::Ref(true, _)) {
                q!(&mut *#id)
            } else {
                q!(#id)
            };
        }
        let dot = suffixed(p, TANGENT_SUFFIX);
        if matches!(p.ty, syn::Type::Reference(_)) {
            q!(#id, &#dot)
        } else {
            q!(#id, #dot)
        }
    });
    let hvp = Kind::Hvp.name_of(&sig.ident);
    // Writes the product's entries into column `j`.
    let hv = local("hv");
    let mut write = TokenStream::new();
    for (k, p) in cols.iter().enumerate() {
        let (col, x) = (suffixed(p, "_col"), of(p));
        let entry = if cols.len() == 1 {
            q!(&#hv)
        } else {
            let k = syn::Index::from(k);
            q!(&#hv.#k)
        };
        write.extend(q! {
            let len = #rt::jac::JacInput::flat_len(#x);
            #rt::jac::JacInput::read_bar(#x, #entry, &mut #column[#col..#col + len]);
        });
    }
    q! {
        #setup
        let mut #h = #rt::Matrix::<#s>::zeros(#n, #n);
        let mut #column: ::std::vec::Vec<#s> = ::std::vec![0.0; #n];
        // `mut` for a sweep that reborrows a `&mut` scratch buffer.
        #[allow(unused_mut)]
        let mut #sweep = |#j: usize| {
            #seeds
            #hvp(#(#args),*)
        };
        // The first sweep also gives the value and the gradient (with a
        // zero direction when there is no input at all).
        let (value, gradient, #hv) = #sweep(0);
        if #n > 0 {
            let #j = 0usize;
            #write
            for i in 0..#n {
                #h[(i, #j)] = #column[i];
            }
        }
        for #j in 1..#n {
            let (_, _, #hv) = #sweep(#j);
            #write
            for i in 0..#n {
                #h[(i, #j)] = #column[i];
            }
        }
        (value, gradient, #h)
    }
}

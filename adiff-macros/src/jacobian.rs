//! `f_jacobian`: the Jacobian from vector forward sweeps (`f_jvpw`) or
//! reverse sweeps (`f_vjp`), whichever the runtime's cost model predicts
//! cheaper (`adiff::__rt::jac`).
//!
//! Not an IR transformation: the function is a fixed driver around the two
//! generated derivatives. Its parts, per parameter kind, come from the
//! runtime's `JacInput` (seeds, adjoints, restoring in-out buffers),
//! `JacOutput` (cotangents of the result) and `LaneRows` (writing tangents
//! into rows), so this module only sequences calls.

use proc_macro2::{Span, TokenStream};
use quote::format_ident;

/// `quote!` with generated names hygienic (`Span::mixed_site`): the
/// driver's locals (`v`, `pre`, ...) cannot capture or shadow the user's
/// parameters, which keep their own spans.
macro_rules! q {
    ($($t:tt)*) => {
        quote::quote_spanned!(proc_macro2::Span::mixed_site()=> $($t)*)
    };
}

mod chain;

use crate::convention::{JacMode, Kind, ADJOINT_SUFFIX, TANGENT_SUFFIX};
use crate::diag::Diags;
use crate::sig::{ParamSig, Signature};
use crate::ty::{Prec, Ty};

/// How a differentiable parameter is passed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// By value (`x: f64`, `x: [f64; 3]`).
    Value,
    /// Behind `&` (`x: &[f64]`).
    Ref,
    /// Behind `&mut`: an in-out buffer, both an input and an output.
    Mut,
}

fn pass_of(p: &ParamSig) -> Pass {
    match &p.ty {
        syn::Type::Reference(r) if r.mutability.is_some() => Pass::Mut,
        syn::Type::Reference(_) => Pass::Ref,
        _ => Pass::Value,
    }
}

/// The type a parameter's `JacInput` is implemented on (the pointee).
fn pointee(t: &syn::Type) -> &syn::Type {
    match t {
        syn::Type::Reference(r) => &r.elem,
        t => t,
    }
}

/// The float type of the matrix: that of the first differentiable
/// parameter, or of the result.
pub fn scalar_type(sig: &Signature) -> syn::Type {
    let prec = sig
        .params
        .iter()
        .filter(|p| p.differentiable)
        .find_map(|p| float_in(&p.kind))
        .or_else(|| sig.ret.as_ref().and_then(|t| float_in(&Ty::from_syn(t))))
        .unwrap_or(Prec::F64);
    let id = format_ident!("{}", prec.name());
    syn::parse_quote!(#id)
}

pub fn float_in(t: &Ty) -> Option<Prec> {
    match t {
        Ty::Float(p) => *p,
        Ty::Array(t) | Ty::Slice(t) | Ty::Vec(t) | Ty::Ref(_, t) => float_in(t),
        Ty::Tuple(ts) => ts.iter().find_map(float_in),
        _ => None,
    }
}

/// Whether `t` is a float, or arrays, slices and `Vec`s of floats.
pub fn flat_of_floats(t: &Ty, slices: bool) -> bool {
    match t {
        Ty::Float(_) => true,
        Ty::Array(t) => flat_of_floats(t, false),
        Ty::Slice(t) | Ty::Vec(t) => slices && flat_of_floats(t, false),
        _ => false,
    }
}

/// Whether a result type has rows: floats, arrays and `Vec`s of them, and
/// tuples of these.
fn output_ok(t: &Ty) -> bool {
    match t {
        Ty::Tuple(ts) => ts
            .iter()
            .all(|t| flat_of_floats(t, true) && !matches!(t, Ty::Slice(_))),
        Ty::Slice(_) => false,
        t => flat_of_floats(t, true),
    }
}

/// Reports what `#[jacobian]` does not take, spanned on it. Returns whether
/// the signature is supported.
pub fn check(sig: &Signature, func: &syn::ItemFn, diags: &mut Diags) -> bool {
    let before = diags.len();
    let mut precs = Vec::new();
    for p in sig.params.iter().filter(|p| p.differentiable) {
        let inner = match &p.kind {
            Ty::Ref(_, t) => &**t,
            t => t,
        };
        let ok = match pass_of(p) {
            Pass::Mut => flat_of_floats(inner, true) && !matches!(inner, Ty::Vec(_)),
            _ => flat_of_floats(inner, true),
        };
        if !ok {
            let msg = if matches!(inner, Ty::Vec(_)) && pass_of(p) == Pass::Mut {
                "`#[jacobian]` does not take `&mut Vec<_>` parameters, whose length may change; take `&mut [f64]` (a fixed-length in-out buffer) instead".to_owned()
            } else {
                "`#[jacobian]` takes differentiable parameters that are floats, or arrays, slices and `Vec`s of floats (by value or behind `&`/`&mut`); pass a tuple's fields as an array or as separate parameters".to_owned()
            };
            diags.error_at(&p.ty, msg);
        }
        precs.extend(float_in(&p.kind));
    }
    if let Some(t) = &sig.ret {
        let ty = Ty::from_syn(t);
        if !output_ok(&ty) {
            diags.error_at(t, "`#[jacobian]` needs a result that is a float, an array or `Vec` of floats, or a tuple of these (or `()` with `&mut [f64]` outputs); for other results use `#[jvp]`/`#[vjp]`");
        }
        precs.extend(float_in(&ty));
    }
    if precs.windows(2).any(|w| w[0] != w[1]) {
        diags.error_at(&func.sig, "`#[jacobian]` needs every differentiable parameter and result to be of one float type (all `f64` or all `f32`): the Jacobian is one matrix");
    }
    if !sig.params.iter().any(|p| p.differentiable) {
        diags.error_at(&func.sig.ident, "`#[jacobian]` needs a differentiable parameter (a float, or an array, slice or `Vec` of floats): this function has no inputs to differentiate with respect to");
    }
    let mut_out = sig
        .params
        .iter()
        .any(|p| p.differentiable && pass_of(p) == Pass::Mut);
    if sig.ret.is_none() && !mut_out {
        diags.error_at(&func.sig.ident, "`#[jacobian]` needs an output: a result, or a `&mut [f64]` parameter whose final contents are outputs");
    }
    diags.len() == before
}

/// Generated local names, unreachable from user code.
fn local(name: &str) -> syn::Ident {
    format_ident!("{name}", span = Span::mixed_site())
}

fn suffixed(p: &ParamSig, suffix: &str) -> syn::Ident {
    format_ident!("{}{suffix}", p.ident, span = Span::mixed_site())
}

/// Whether `p` is one of the parameters with columns.
fn is_col(cols: &[&ParamSig], p: &ParamSig) -> bool {
    cols.iter().any(|c| c.ident == p.ident)
}

/// The body of `f_jacobian`: in automatic mode, of a function whose body
/// is a chain of stages, the chain's order (`chain.rs`); otherwise the
/// sweeps of the whole function.
pub fn body_of(sig: &Signature, wrt: &[bool], mode: JacMode, block: &syn::Block) -> TokenStream {
    match chain::detect(sig, wrt, block) {
        Some(c) if mode == JacMode::Auto => chain::body(sig, &c),
        _ => body(sig, wrt, mode),
    }
}

/// The body of `f_jacobian` from sweeps of the whole function.
/// `wrt` selects the parameters that get columns (all differentiable ones
/// unless `wrt(..)` was given); the others get zero tangents and adjoints.
fn body(sig: &Signature, wrt: &[bool], mode: JacMode) -> TokenStream {
    let rt = crate::runtime::path();
    let diff: Vec<&ParamSig> = sig.params.iter().filter(|p| p.differentiable).collect();
    let cols: Vec<&ParamSig> = sig
        .params
        .iter()
        .zip(wrt)
        .filter(|(p, w)| p.differentiable && **w)
        .map(|(p, _)| p)
        .collect();
    let muts: Vec<&ParamSig> = diff
        .iter()
        .copied()
        .filter(|p| pass_of(p) == Pass::Mut)
        .collect();
    let (n, value) = (local("n"), local("value"));
    let len = |p: &ParamSig| {
        let id = &p.ident;
        match pass_of(p) {
            Pass::Value => q!(#rt::jac::JacInput::flat_len(&#id)),
            Pass::Ref => q!(#rt::jac::JacInput::flat_len(#id)),
            Pass::Mut => q!(#rt::jac::JacInput::flat_len(&*#id)),
        }
    };
    // Column offsets of the inputs, and rows of the in-out buffers after
    // the result's.
    let mut setup = TokenStream::new();
    let mut prev = q!(0usize);
    for p in &cols {
        let (off, l) = (suffixed(p, "_col"), len(p));
        setup.extend(q!(let #off: usize = #prev;));
        prev = q!(#off + #l);
    }
    setup.extend(q!(let #n: usize = #prev;));
    let m_mut = local("m_mut");
    let mut_lens = muts.iter().map(|p| len(p));
    setup.extend(q!(let #m_mut: usize = 0 #(+ #mut_lens)*;));
    for p in &muts {
        let (init, id) = (suffixed(p, "_init"), &p.ident);
        setup.extend(q!(let #init = ::std::borrow::ToOwned::to_owned(&*#id);));
    }
    let restore: TokenStream = muts
        .iter()
        .map(|p| {
            let (init, id) = (suffixed(p, "_init"), &p.ident);
            q!(#rt::jac::JacInput::restore_from(&mut *#id, &#init);)
        })
        .collect();
    let (sweep, forward) = forward_block(sig, &cols, &muts, &restore);
    let reverse = reverse_block(sig, &cols, &muts, &restore);
    let ret_ty = match &sig.ret {
        Some(t) => q!(#t),
        None => q!(()),
    };
    let choose = match mode {
        JacMode::Forward => q! {
            #sweep
            let mut pre = ::core::option::Option::None;
            let #value = { #forward };
        },
        JacMode::Reverse => q! {
            let pre_value = ::core::option::Option::None;
            let #value = { #reverse };
        },
        JacMode::Auto => {
            let ins = cols.iter().map(|p| {
                let t = pointee(&p.ty);
                q!(<#t as #rt::jac::JacInput>::FLAT)
            });
            let outs = muts.iter().map(|p| {
                let t = pointee(&p.ty);
                q!(<#t as #rt::jac::JacInput>::FLAT)
            });
            let w = q!(#rt::jac::WIDTH);
            q! {
                // Fixed sizes decide at compile time; otherwise the sizes
                // are read at run time. A result holding a `Vec` has its
                // length known only after a run: the first forward sweep
                // is that run, and the choice is then between the
                // remaining forward sweeps and all the reverse sweeps.
                #sweep
                let mut pre = ::core::option::Option::None;
                let forward = match const {
                    #rt::jac::static_choice(&[#(#ins),*], &[<#ret_ty as #rt::jac::JacOutput>::FLAT #(, #outs)*])
                } {
                    ::core::option::Option::Some(f) => f,
                    ::core::option::Option::None => match <#ret_ty as #rt::jac::JacOutput>::FLAT {
                        ::core::option::Option::Some(r) => #rt::jac::prefer_forward(#n, r + #m_mut),
                        ::core::option::Option::None => {
                            let (v, t) = sweep(0);
                            let rows = #rt::jac::JacOutput::flat_len(&v) + #m_mut;
                            let f = #rt::jac::prefer_forward(#n.saturating_sub(#w), rows);
                            pre = ::core::option::Option::Some((v, t));
                            f
                        }
                    },
                };
                let #value = if forward {
                    #forward
                } else {
                    let pre_value = pre.map(|(v, _)| v);
                    #reverse
                };
            }
        }
    };
    q! {
        #setup
        #choose
        #value
    }
}

/// Vector forward sweeps of `WIDTH` columns each: the closure `sweep`
/// that runs one, and the loop over them, which starts from `pre`, a first
/// sweep already made (when `Some`).
fn forward_block(
    sig: &Signature,
    cols: &[&ParamSig],
    muts: &[&ParamSig],
    restore: &TokenStream,
) -> (TokenStream, TokenStream) {
    let rt = crate::runtime::path();
    let (n, first, m_mut, jac, sweep) = (
        local("n"),
        local("first"),
        local("m_mut"),
        local("jac"),
        local("sweep"),
    );
    let w = q!(#rt::jac::WIDTH);
    let mut seeds = TokenStream::new();
    for p in sig.params.iter().filter(|p| p.differentiable) {
        let (dot, col, id) = (suffixed(p, TANGENT_SUFFIX), suffixed(p, "_col"), &p.ident);
        let of = match pass_of(p) {
            Pass::Value => q!(&#id),
            Pass::Ref => q!(#id),
            Pass::Mut => q!(&*#id),
        };
        seeds.extend(if is_col(cols, p) {
            q!(let mut #dot = #rt::jac::JacInput::seed::<{ #w }>(#of, #col, #first);)
        } else {
            q!(let mut #dot = #rt::lanes_zero_like::<{ #w }, _>(#of);)
        });
    }
    let args = sig.params.iter().map(|p| {
        let id = &p.ident;
        if !p.differentiable {
            return q!(#id);
        }
        let dot = suffixed(p, TANGENT_SUFFIX);
        match pass_of(p) {
            Pass::Value => q!(#id, #dot),
            Pass::Ref => q!(#id, &#dot),
            Pass::Mut => q!(&mut *#id, &mut #dot),
        }
    });
    let jvpw = Kind::JvpW.name_of(&sig.ident);
    let mut_dots = muts.iter().map(|p| suffixed(p, TANGENT_SUFFIX));
    let call = if sig.ret.is_some() {
        q! {
            let (v, t) = #jvpw::<{ #w }>(#(#args),*);
            (v, (t, (#(#mut_dots,)*)))
        }
    } else {
        q! {
            #jvpw::<{ #w }>(#(#args),*);
            ((), ((), (#(#mut_dots,)*)))
        }
    };
    let closure = q! {
        // Each sweep starts from the in-out buffers' initial contents and
        // leaves their final contents.
        #[allow(unused_mut)]
        let mut #sweep = |#first: usize| {
            #restore
            #seeds
            #call
        };
    };
    let sweeps = q! {
        let (v, t) = match pre.take() {
            ::core::option::Option::Some(vt) => vt,
            ::core::option::Option::None => #sweep(0),
        };
        let mut #jac = #rt::Matrix::zeros(#rt::jac::JacOutput::flat_len(&v) + #m_mut, #n);
        #rt::jac::LaneRows::write_rows(&t, &mut #jac, 0, 0);
        let mut #first = #w;
        while #first < #n {
            let (_, t) = #sweep(#first);
            #rt::jac::LaneRows::write_rows(&t, &mut #jac, 0, #first);
            #first += #w;
        }
        (v, #jac)
    };
    (closure, sweeps)
}

/// One reverse sweep per row. Expects `pre_value`, the result of a run
/// already made, if any (the in-out buffers then hold their final
/// contents).
fn reverse_block(
    sig: &Signature,
    cols: &[&ParamSig],
    muts: &[&ParamSig],
    restore: &TokenStream,
) -> TokenStream {
    let rt = crate::runtime::path();
    let (n, m_mut, jac, i, row) = (
        local("n"),
        local("m_mut"),
        local("jac"),
        local("i"),
        local("row"),
    );
    let primal_args = sig.params.iter().map(|p| {
        let id = &p.ident;
        if p.differentiable && pass_of(p) == Pass::Mut {
            q!(&mut *#id)
        } else {
            q!(#id)
        }
    });
    let name = &sig.ident;
    let mut bars = TokenStream::new();
    let mut reads = TokenStream::new();
    let mut row_of = q!(#rt::jac::JacOutput::flat_len(&v));
    let mut finals = TokenStream::new();
    let mut restore_final = TokenStream::new();
    for p in sig.params.iter().filter(|p| p.differentiable) {
        let (bar, col, id) = (suffixed(p, ADJOINT_SUFFIX), suffixed(p, "_col"), &p.ident);
        let of = match pass_of(p) {
            Pass::Value => q!(&#id),
            Pass::Ref => q!(#id),
            Pass::Mut => q!(&*#id),
        };
        let unit = if pass_of(p) == Pass::Mut {
            // The cotangent of the final contents: one at this row.
            let r = q!(#i.wrapping_sub(#row_of));
            row_of = q!(#row_of + #rt::jac::JacInput::flat_len(&*#id));
            r
        } else {
            q!(usize::MAX)
        };
        bars.extend(q!(let mut #bar = #rt::jac::JacInput::bar_unit(#of, #unit);));
        if !is_col(cols, p) {
            continue;
        }
        reads.extend(q! {
            let l = #rt::jac::JacInput::flat_len(#of);
            #rt::jac::JacInput::read_bar(#of, &#bar, &mut #row[#col..#col + l]);
        });
    }
    for p in muts {
        let (fin, id) = (suffixed(p, "_final"), &p.ident);
        finals.extend(q!(let #fin = ::std::borrow::ToOwned::to_owned(&*#id);));
        restore_final.extend(q!(#rt::jac::JacInput::restore_from(&mut *#id, &#fin);));
    }
    let args = sig.params.iter().map(|p| {
        let id = &p.ident;
        if !p.differentiable {
            return q!(#id);
        }
        let bar = suffixed(p, ADJOINT_SUFFIX);
        match pass_of(p) {
            Pass::Mut => q!(&mut *#id, &mut #bar),
            _ => q!(#id, &mut #bar),
        }
    });
    let out_bar = sig
        .ret
        .as_ref()
        .map(|_| q!(#rt::jac::JacOutput::unit(&v, #i)));
    let args: Vec<TokenStream> = args.chain(out_bar).collect();
    let vjp = Kind::Vjp.name_of(&sig.ident);
    let call = if sig.ret.is_some() {
        q!(let _ = #vjp(#(#args),*);)
    } else {
        q!(#vjp(#(#args),*);)
    };
    q! {
        let v = match pre_value {
            ::core::option::Option::Some(v) => v,
            ::core::option::Option::None => #name(#(#primal_args),*),
        };
        #finals
        let m = #rt::jac::JacOutput::flat_len(&v) + #m_mut;
        let mut #jac = #rt::Matrix::zeros(m, #n);
        for #i in 0..m {
            #restore
            #bars
            #call
            let #row = #jac.row_mut(#i);
            #reads
        }
        #restore_final
        (v, #jac)
    }
}

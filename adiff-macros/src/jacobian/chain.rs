//! `f_jacobian` of a chain of stages, `let a = p(x); let b = q(&a); r(&b)`,
//! in the order the matrix-chain dynamic program picks at run time
//! (`adiff::__rt::chain`, seed 001's hybrid scheme).
//!
//! Recognised syntactically, in `mode = auto` only: the body is a sequence
//! of `let` bindings of one-argument calls, each taking the previous
//! binding (or the function's one differentiable parameter), by value or
//! by `&`, ending in a last call or the last binding. The stages are then
//! exactly the function: nothing else runs. Each stage is a function with
//! `#[jacobian]` (its `_jvpw` and `_vjp`), which `f_jvpw` and `f_vjp`,
//! generated beside this, already require and check at the call.

use proc_macro2::TokenStream;

use super::{flat_of_floats, local, pass_of, scalar_type, Pass};
use crate::convention::Kind;
use crate::sig::Signature;
use crate::ty::Ty;

/// A recognised chain.
pub struct Chain {
    /// The index of the differentiable parameter, the chain's input.
    param: usize,
    /// The stages in order.
    stages: Vec<Stage>,
}

/// One call `p(arg)` or `p(&arg)`.
struct Stage {
    func: syn::ExprPath,
    by_ref: bool,
}

/// The chain in `block`, if the function is one (see the module docs).
pub fn detect(sig: &Signature, wrt: &[bool], block: &syn::Block) -> Option<Chain> {
    let mut diff = sig
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.differentiable);
    let (param, p) = diff.next()?;
    if diff.next().is_some() || !wrt[param] || pass_of(p) == Pass::Mut {
        return None;
    }
    let ret = Ty::from_syn(sig.ret.as_ref()?);
    if !flat_of_floats(&ret, true) || matches!(ret, Ty::Slice(_)) {
        return None;
    }
    let (last, lets) = block.stmts.split_last()?;
    let mut prev = p.ident.clone();
    let mut stages = Vec::new();
    for stmt in lets {
        let syn::Stmt::Local(l) = stmt else {
            return None;
        };
        let init = l.init.as_ref()?;
        if !l.attrs.is_empty() || init.diverge.is_some() {
            return None;
        }
        let name = binding(&l.pat)?;
        stages.push(stage(&init.expr, &prev)?);
        prev = name;
    }
    match last {
        syn::Stmt::Expr(syn::Expr::Path(e), None) if is_ident(e, &prev) => {}
        syn::Stmt::Expr(e, None) => stages.push(stage(e, &prev)?),
        _ => return None,
    }
    (stages.len() >= 2).then_some(Chain { param, stages })
}

/// The name a `let` binds: `a` or `a: T`.
fn binding(pat: &syn::Pat) -> Option<syn::Ident> {
    match pat {
        syn::Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() && p.attrs.is_empty() => {
            Some(p.ident.clone())
        }
        syn::Pat::Type(t) => binding(&t.pat),
        _ => None,
    }
}

fn is_ident(e: &syn::ExprPath, name: &syn::Ident) -> bool {
    e.qself.is_none() && e.attrs.is_empty() && e.path.get_ident() == Some(name)
}

/// `p(prev)` or `p(&prev)`, with `p` a plain path.
fn stage(e: &syn::Expr, prev: &syn::Ident) -> Option<Stage> {
    let syn::Expr::Call(call) = e else {
        return None;
    };
    let syn::Expr::Path(func) = &*call.func else {
        return None;
    };
    let plain = func.qself.is_none()
        && func
            .path
            .segments
            .iter()
            .all(|s| matches!(s.arguments, syn::PathArguments::None));
    if !plain || call.args.len() != 1 || !call.attrs.is_empty() {
        return None;
    }
    let by_ref = match &call.args[0] {
        syn::Expr::Path(a) if is_ident(a, prev) => false,
        syn::Expr::Reference(r) if r.mutability.is_none() => match &*r.expr {
            syn::Expr::Path(a) if is_ident(a, prev) => true,
            _ => return None,
        },
        _ => return None,
    };
    Some(Stage {
        func: func.clone(),
        by_ref,
    })
}

/// `func` with its last segment suffixed for `kind` (`p_jvpw`, `p_vjp`).
fn derivative(func: &syn::ExprPath, kind: Kind) -> syn::ExprPath {
    let mut f = func.clone();
    if let Some(last) = f.path.segments.last_mut() {
        last.ident = kind.name_of(&last.ident);
    }
    f
}

/// How one stage's input is written in the calls.
struct Input {
    /// The primal argument, as the user passed it (a copy of a value).
    arg: TokenStream,
    /// A reference to the value, for the runtime's `JacInput`.
    of: TokenStream,
    /// Whether the stage takes its tangent behind `&`.
    tangent_by_ref: bool,
}

fn input(sig: &Signature, chain: &Chain, s: usize) -> Input {
    let by_ref = chain.stages[s].by_ref;
    let (value, param_is_ref) = if s == 0 {
        let p = &sig.params[chain.param];
        (p.ident.clone(), pass_of(p) == Pass::Ref)
    } else {
        (value_name(s), false)
    };
    let arg = if by_ref {
        q!(&#value)
    } else {
        q!(::core::clone::Clone::clone(&#value))
    };
    let of = if param_is_ref && !by_ref {
        q!(#value)
    } else {
        q!(&#value)
    };
    Input {
        arg,
        of,
        tangent_by_ref: by_ref || param_is_ref,
    }
}

/// The value after stage `s - 1` (the input of stage `s`).
fn value_name(s: usize) -> syn::Ident {
    local(&format!("v{s}"))
}

/// The body of `f_jacobian` for `chain`.
pub fn body(sig: &Signature, chain: &Chain) -> TokenStream {
    let rt = crate::runtime::path();
    let s_ty = scalar_type(sig);
    let w = q!(#rt::jac::WIDTH);
    let k = chain.stages.len();
    let dims = local("dims");
    let mut primal = TokenStream::new();
    let mut lens = Vec::new();
    let (mut fwd, mut rev) = (Vec::new(), Vec::new());
    let mut stages = TokenStream::new();
    for (s, stage) in chain.stages.iter().enumerate() {
        let Input {
            arg,
            of,
            tangent_by_ref,
        } = input(sig, chain, s);
        let out = value_name(s + 1);
        let func = &stage.func;
        primal.extend(q!(let #out = #func(#arg);));
        if s == 0 {
            lens.push(q!(#rt::jac::JacInput::flat_len(#of)));
        }
        lens.push(q!(#rt::jac::JacInput::flat_len(&#out)));
        let (jvpw, vjp) = (derivative(func, Kind::JvpW), derivative(func, Kind::Vjp));
        let (f, r) = (local(&format!("fwd{s}")), local(&format!("rev{s}")));
        let tangent = if tangent_by_ref { q!(&d) } else { q!(d) };
        stages.extend(q! {
            let #f = |t: &#rt::Matrix<#s_ty>| -> #rt::Matrix<#s_ty> {
                #rt::chain::forward_apply(t, #dims[#s + 1], |first: usize| {
                    let d = #rt::jac::JacInput::seed_from::<{ #w }>(#of, t, 0, first);
                    #jvpw::<{ #w }>(#arg, #tangent).1
                })
            };
            let #r = |c: &#rt::Matrix<#s_ty>| -> #rt::Matrix<#s_ty> {
                #rt::chain::reverse_apply(c, #dims[#s], |row: &[#s_ty], out: &mut [#s_ty]| {
                    let mut bar = #rt::jac::JacInput::bar_unit(#of, usize::MAX);
                    let _ = #vjp(#arg, &mut bar, #rt::jac::JacInput::bar_from(&#out, row));
                    #rt::jac::JacInput::read_bar(#of, &bar, out);
                })
            };
        });
        fwd.push(f);
        rev.push(r);
    }
    let result = value_name(k);
    let n = k + 1;
    q! {
        // One run of the chain gives every stage's input and the sizes;
        // the dynamic program then picks, from the sizes, which runs of
        // stages to sweep forward or in reverse and where to multiply.
        #primal
        let #dims: [usize; #n] = [#(#lens),*];
        #stages
        let plan = #rt::chain::plan(&#dims).plan;
        let jac = #rt::chain::jacobian(&plan, &#dims, &[#(&#fwd),*], &[#(&#rev),*]);
        (#result, jac)
    }
}

//! Several derivative attributes on one function: `#[vjp] #[grad]`,
//! `#[hvp] #[hessian]`, `#[jvp(nested)] #[grad(nested)]`. Their outputs
//! overlap (`#[grad]` also makes `f_vjp`, `#[hessian]` also `f_hvp`, both
//! `nested` attributes `f_jvp_vjp`), and each function may be defined once.
//!
//! An attribute macro sees the attributes after it on the item, still
//! unexpanded, but not those before it (already expanded). So the rule is
//! that of the one that can see: an output that a later attribute also
//! makes, over the same parameters, is left to that one. Over different
//! parameters (`#[hvp(wrt(x))] #[hessian]` would make two `f_hvp`s of
//! different signatures) it is an error on the later attribute.

use crate::convention::Kind;
use crate::diag::Diags;
use crate::options::{self, Options};
use crate::sig::Signature;

/// The attribute of this name, as the `Kind` that parses its options.
fn kind_of(name: &str) -> Option<Kind> {
    Some(match name {
        "jvp" => Kind::Jvp,
        "vjp" => Kind::Vjp,
        "grad" => Kind::Grad,
        "jacobian" => Kind::Jacobian,
        "hvp" => Kind::Hvp,
        "hessian" => Kind::Hessian,
        _ => return None,
    })
}

/// The parameters an output `kind` of an attribute with options `opts` is
/// taken over: the gradient's and second order's follow `wrt(..)`, except
/// what `nested` makes over every differentiable parameter; first-order
/// sweeps are over all of them.
fn over(kind: Kind, opts: &Options, wrt: &[bool], all: &[bool]) -> Vec<bool> {
    match kind {
        Kind::JvpJvp | Kind::JvpVjp if opts.nested => all.to_vec(),
        Kind::Grad
        | Kind::Jacobian
        | Kind::JvpVjp
        | Kind::Hvp
        | Kind::Hessian
        | Kind::GradJvp
        | Kind::GradVjp => wrt.to_vec(),
        Kind::Jvp | Kind::Vjp | Kind::JvpW | Kind::JvpJvp => all.to_vec(),
    }
}

/// Removes from `outputs` (made by `#[mode(opts)]`) those that an attribute
/// in `later` (the attributes after it) also makes over the same
/// parameters; reports those it makes over others.
pub fn drop_repeated(
    mode: Kind,
    opts: &Options,
    sig: &Signature,
    outputs: &mut Vec<Kind>,
    later: &[syn::Attribute],
    diags: &mut Diags,
) {
    let all: Vec<bool> = sig.params.iter().map(|p| p.differentiable).collect();
    let mut scratch = Diags::default();
    let wrt = options::wrt_mask(opts, sig, &mut scratch);
    for a in later {
        let Some(name) = a.path().segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let Some(kind) = kind_of(&name) else {
            continue;
        };
        // That attribute reports its own option errors.
        let tokens = match &a.meta {
            syn::Meta::List(l) => l.tokens.clone(),
            _ => proc_macro2::TokenStream::new(),
        };
        let theirs = options::parse(&name, tokens, kind.options(), &mut scratch);
        let their_wrt = options::wrt_mask(&theirs, sig, &mut scratch);
        let made = kind.outputs(theirs.vector, theirs.nested, theirs.mode);
        outputs.retain(|&k| {
            if !made.contains(&k) {
                return true;
            }
            if over(k, opts, &wrt, &all) != over(k, &theirs, &their_wrt, &all) {
                diags.error_at(
                    a,
                    format!(
                        "`#[{name}]` and `#[{}]` both make `{}`, over different parameters (`wrt(..)`, or `nested`, which takes every differentiable parameter); give them the same `wrt(..)`, or keep one",
                        mode.attr_name(),
                        k.name_of(&sig.ident)
                    ),
                );
            }
            false
        });
    }
}

//! The one sequence of passes that turns a function into a derivative.
//!
//! ```text
//! syn::Block ─ lower ─▶ ir::Func                                  ─ verify
//!            ─ forward::transform | reverse::transform ─▶ ir::Func ─ verify
//!              (each runs its own analyses; reverse mode prepares
//!               the IR first and verifies the preparation)
//!            ─ callees::check (calls to derivatives that do not exist)
//!            ─ dce::remove_dead ─▶ ir::Func                         ─ verify
//!            ─ generic_consts::pin (generic over `T: Float` only)     ─ verify
//! ```
//!
//! `f_grad` without a `wrt(..)` subset skips all of this: it is a call to
//! `f_vjp` (`grad.rs`, through [`derive_named`]); so is `f_hvp`, a call to
//! `f_jvp_vjp` (`hvp.rs`). `f_jvp_vjp` composes the two transformations:
//!
//! ```text
//! ir::Func ─ forward::transform ─ dce ─ hvp::redifferentiable ─ reverse::transform ─ dce
//!            (each step verified)
//! ```
//!
//! `f_jvp_jvp` (forward over forward) is the same with forward mode second;
//! `f_grad_jvp` and `f_grad_vjp` are calls to `f_jvp_vjp` (`nested.rs`).
//!
//! `expand` (the macros) and the IR test harnesses all call these
//! functions, so what the tests check is what the macros run. Codegen is
//! left to `expand`: only it makes tokens.

use std::path::Path;

use crate::convention::Kind;
use crate::diag::{Diags, Stop};
use crate::ir::{Func, Role};
use crate::options::Knobs;
use crate::sig::Signature;
use crate::verify;

/// What the callee check reads: the user's body, and the source file it is
/// in (when known) to tell whether a callee's derivative exists.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub body: &'a syn::Block,
    pub file: Option<&'a Path>,
}

/// Lowers `body` to verified IR. Lowering goes on past errors to report
/// them all, and its IR then has holes, so it stops there.
pub fn lower(sig: &Signature, body: &syn::Block, diags: &mut Diags) -> Result<Func, Stop> {
    let ir = crate::lower::lower(sig, body, diags);
    if !diags.is_empty() {
        return Err(Stop::Reported);
    }
    verify::after("lowering", &ir)?;
    Ok(ir)
}

/// Makes the derivative of kind `kind` of lowered IR. `wrt` selects the
/// parameters of a gradient (by position in the signature; ignored for the
/// other kinds, which are taken with respect to every differentiable
/// parameter). `source` enables the check of calls to missing derivatives.
pub fn derive(
    ir: &Func,
    kind: Kind,
    wrt: &[bool],
    knobs: &Knobs,
    source: Option<Source<'_>>,
    diags: &mut Diags,
) -> Result<Func, Stop> {
    reject_linalg(ir, kind, diags)?;
    let ir = with_wrt(ir, kind, wrt);
    let mut out = if kind == Kind::JvpVjp {
        derive_jvp_vjp(&ir, wrt, knobs, diags)?
    } else if kind == Kind::JvpJvp {
        derive_jvp_jvp(&ir, knobs, diags)?
    } else if kind.is_reverse() {
        let out = crate::reverse::transform(&ir, kind, knobs, diags)?;
        verify::after("reverse mode", &out)?;
        out
    } else {
        let out = crate::forward::transform(&ir, kind, knobs, diags)?;
        verify::after("forward mode", &out)?;
        out
    };
    if let Some(src) = source {
        crate::callees::check(&out, kind, src.body, src.file, diags);
        if !diags.is_empty() {
            return Err(Stop::Reported);
        }
    }
    crate::dce::remove_dead(&mut out);
    verify::after("dead-code removal", &out)?;
    finish(out)
}

/// Vector forward mode, Jacobians and second order are not written for
/// nalgebra values yet (their rules would need lanes of matrices, and the
/// rules of the operations reverse mode makes): an error on the first
/// nalgebra operation, never a derivative without them.
fn reject_linalg(ir: &Func, kind: Kind, diags: &mut Diags) -> Result<(), Stop> {
    let what = match kind {
        Kind::JvpW | Kind::Jacobian => "`#[jacobian]` and `#[jvp(vector)]` are",
        Kind::JvpVjp | Kind::Hvp | Kind::Hessian => "`#[hvp]` and `#[hessian]` are",
        Kind::JvpJvp | Kind::GradJvp | Kind::GradVjp => "`nested` derivatives are",
        _ => return Ok(()),
    };
    let mut at = None;
    crate::ir::for_each_stmt(&ir.body, &mut |s| {
        if let crate::ir::Stmt::Let {
            init: Some(crate::ir::Op::La(..)),
            span,
            ..
        }
        | crate::ir::Stmt::Assign {
            op: crate::ir::Op::La(..),
            span,
            ..
        } = s
        {
            at.get_or_insert(*span);
        }
    });
    let Some(span) = at else {
        return Ok(());
    };
    diags.error(
        span,
        format!(
            "{what} not supported on nalgebra values yet (`#[jvp]`, `#[vjp]` and `#[grad]` are)"
        ),
    );
    Err(Stop::Reported)
}

/// The last pass: in a function generic over its float type, the float
/// constants of type `T` (`generic_consts.rs`).
fn finish(mut out: Func) -> Result<Func, Stop> {
    if crate::ty::float_param().is_some() {
        crate::generic_consts::pin(&mut out);
        verify::after("generic constants", &out)?;
    }
    Ok(out)
}

/// What the macros emit for the function `name`: [`derive`], except that
/// `f_grad` is a call to `f_vjp` when the gradient is taken with respect to
/// every differentiable parameter (see `grad.rs`).
pub fn derive_named(
    ir: &Func,
    kind: Kind,
    name: &syn::Ident,
    wrt: &[bool],
    knobs: &Knobs,
    source: Option<Source<'_>>,
    diags: &mut Diags,
) -> Result<Func, Stop> {
    if matches!(kind, Kind::GradJvp | Kind::GradVjp) {
        reject_linalg(ir, kind, diags)?;
        let out = if kind == Kind::GradJvp {
            crate::nested::grad_jvp(ir, name, wrt)
        } else {
            crate::nested::grad_vjp(ir, name, wrt)
        };
        verify::after("a gradient's derivative as a call to the jvp_vjp", &out)?;
        return finish(out);
    }
    if kind == Kind::Hvp {
        let ir = crate::hvp::only_wrt(ir, wrt);
        let out = crate::hvp::via_jvp_vjp(&ir, name);
        verify::after("hvp as a call to the jvp_vjp", &out)?;
        return finish(out);
    }
    if kind == Kind::Grad {
        let ir = with_wrt(ir, kind, wrt);
        if crate::grad::calls_vjp(&ir) {
            let out = crate::grad::via_vjp(&ir, name);
            verify::after("gradient as a call to the vjp", &out)?;
            return finish(out);
        }
    }
    derive(ir, kind, wrt, knobs, source, diags)
}

/// `f_jvp_vjp`: forward mode, then reverse mode on its output (see
/// `hvp.rs`). Parameters outside `wrt` are constants of both.
fn derive_jvp_vjp(ir: &Func, wrt: &[bool], knobs: &Knobs, diags: &mut Diags) -> Result<Func, Stop> {
    crate::hvp::reject_varied_scratch(ir, wrt, diags);
    if !diags.is_empty() {
        return Err(Stop::Reported);
    }
    let jvp = jvp_as_input(&crate::hvp::only_wrt(ir, wrt), knobs, diags)?;
    let out = crate::reverse::transform(&jvp, Kind::Vjp, knobs, diags)?;
    verify::after("reverse mode", &out)?;
    Ok(out)
}

/// `f_jvp_jvp`: forward mode, then forward mode again on its output, whose
/// tangent parameters are then differentiable too (`hvp::redifferentiable`).
fn derive_jvp_jvp(ir: &Func, knobs: &Knobs, diags: &mut Diags) -> Result<Func, Stop> {
    let jvp = jvp_as_input(ir, knobs, diags)?;
    let out = crate::forward::transform(&jvp, Kind::Jvp, knobs, diags)?;
    verify::after("forward mode", &out)?;
    Ok(out)
}

/// The first half of both second-order compositions: `f_jvp`'s IR, made
/// input for another transformation (`hvp::redifferentiable`), each step
/// verified.
fn jvp_as_input(ir: &Func, knobs: &Knobs, diags: &mut Diags) -> Result<Func, Stop> {
    let mut jvp = crate::forward::transform(ir, Kind::Jvp, knobs, diags)?;
    verify::after("forward mode", &jvp)?;
    crate::dce::remove_dead(&mut jvp);
    verify::after("dead-code removal", &jvp)?;
    crate::hvp::redifferentiable(&mut jvp);
    verify::after("forward mode's output as input", &jvp)?;
    Ok(jvp)
}

/// `ir` with the `wrt` flag of each differentiable parameter set for `kind`.
fn with_wrt(ir: &Func, kind: Kind, wrt: &[bool]) -> Func {
    let mut ir = ir.clone();
    if kind == Kind::Grad {
        for (i, p) in ir.params.iter_mut().enumerate() {
            if let Role::Differentiable { wrt: w, .. } = &mut p.role {
                *w = wrt.get(i).copied().unwrap_or(false);
            }
        }
    }
    ir
}

//! Clean-up of the generated reverse sweep.
//!
//! An adjoint starts at zero and receives `+=`. When nothing touches a fresh
//! scalar zero before its first `+=`, the two become one `let` with that
//! value: it reads better, and without fast-math LLVM may not fold `0.0 + x`
//! into `x` (they differ for `x = -0.0`), so it also saves an addition. The
//! signed zero of a derivative carries no meaning.

use std::collections::HashMap;

use crate::ir::{op_reads, Atom, Block, Const, Func, Op, Origin, Pat, Stmt, VarId};

pub fn first_accumulations_assign(func: &mut Func) {
    let mut body = std::mem::take(&mut func.body);
    block(&mut body, func);
    func.body = body;
}

fn block(b: &mut Block, func: &Func) {
    // Fresh zero adjoints, with the index of their `let`.
    let mut fresh: HashMap<VarId, usize> = HashMap::new();
    let mut folded = Vec::new();
    for (i, s) in b.iter_mut().enumerate() {
        match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(Op::Use(Atom::Const(Const::Float(z)))),
                ..
            } if *z == 0.0 && matches!(func.info(*v).origin, Origin::Adjoint(_)) => {
                fresh.insert(*v, i);
            }
            Stmt::Accum { place, op, span }
                if place.proj.is_empty()
                    && fresh.contains_key(&place.base)
                    && !op_reads(op).contains(&place.base) =>
            {
                let v = place.base;
                // What this reads is no longer untouched.
                for r in op_reads(op) {
                    fresh.remove(&r);
                }
                // Nothing between the zero `let` and here mentions `v`:
                // declare it with its first value instead.
                if let Some(at) = fresh.remove(&v) {
                    folded.push(at);
                }
                *s = Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op.clone()),
                    span: *span,
                };
            }
            other => {
                // Any other mention ends freshness; nested blocks get their own pass.
                for v in mentions(other) {
                    fresh.remove(&v);
                }
                match other {
                    Stmt::If { then, els, .. } => {
                        block(then, func);
                        block(els, func);
                    }
                    Stmt::For { body, .. } | Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
                        block(body, func)
                    }
                    Stmt::Match { arms, .. } => {
                        for (_, b) in arms {
                            block(b, func);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    folded.sort_unstable();
    for at in folded.into_iter().rev() {
        b.remove(at);
    }
}

/// Variables a statement reads or writes, nested blocks included.
fn mentions(s: &Stmt) -> Vec<VarId> {
    let mut out = Vec::new();
    match s {
        Stmt::Let { init: Some(op), .. } | Stmt::Eval { op, .. } | Stmt::Return(Some(op)) => {
            out.extend(op_reads(op))
        }
        Stmt::Assign { place, op, .. } | Stmt::Accum { place, op, .. } => {
            out.push(place.base);
            out.extend(op_reads(op));
        }
        Stmt::TapePush { value, .. } => out.extend(value.var()),
        Stmt::If { then, els, .. } => {
            for x in then.iter().chain(els) {
                out.extend(mentions(x));
            }
        }
        Stmt::For { body, .. } | Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
            for x in body {
                out.extend(mentions(x));
            }
        }
        Stmt::Match { arms, .. } => {
            for (_, b) in arms {
                for x in b {
                    out.extend(mentions(x));
                }
            }
        }
        _ => {}
    }
    out
}

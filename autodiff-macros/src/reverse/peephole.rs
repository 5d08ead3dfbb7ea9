//! Clean-up of the generated reverse sweep.
//!
//! An adjoint starts at zero and receives `+=`. The first `+=` into a fresh
//! scalar zero becomes `=`: without fast-math, LLVM may not fold `0.0 + x`
//! into `x` (they differ for `x = -0.0`), so this saves an addition per
//! adjoint. The signed zero of a derivative carries no meaning.

use std::collections::HashSet;

use crate::ir::{op_reads, Atom, Block, Const, Func, Op, Origin, Pat, Place, Stmt, VarId};

pub fn first_accumulations_assign(func: &mut Func) {
    let mut body = std::mem::take(&mut func.body);
    block(&mut body, func);
    func.body = body;
}

fn block(b: &mut Block, func: &Func) {
    let mut fresh: HashSet<VarId> = HashSet::new();
    for s in b.iter_mut() {
        match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(Op::Use(Atom::Const(Const::Float(z)))),
                ..
            } if *z == 0.0 && matches!(func.info(*v).origin, Origin::Adjoint(_)) => {
                fresh.insert(*v);
            }
            Stmt::Accum { place, op, span }
                if place.proj.is_empty()
                    && fresh.contains(&place.base)
                    && !op_reads(op).contains(&place.base) =>
            {
                let v = place.base;
                fresh.remove(&v);
                *s = Stmt::Assign {
                    place: Place::var(v),
                    op: op.clone(),
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

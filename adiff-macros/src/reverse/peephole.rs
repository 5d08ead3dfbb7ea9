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
                for inner in other.blocks_mut() {
                    block(inner, func);
                }
            }
        }
    }
    // One pass, not a `remove` per fold: a long sweep folds thousands.
    let mut drop = vec![false; b.len()];
    for at in folded {
        drop[at] = true;
    }
    let mut i = 0;
    b.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// Variables a statement reads or writes, nested blocks included.
fn mentions(s: &Stmt) -> Vec<VarId> {
    let mut out = Vec::new();
    crate::ir::for_each_stmt(std::slice::from_ref(s), &mut |s| {
        match s {
            Stmt::Assign { place, .. } | Stmt::Accum { place, .. } => out.push(place.base),
            Stmt::TapePush { value, .. } => out.extend(value.var()),
            _ => {}
        }
        if let Some(op) = s.op() {
            out.extend(op_reads(op));
        }
    });
    out
}

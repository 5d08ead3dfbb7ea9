//! Dead-code removal, the last IR-to-IR pass before codegen.
//!
//! Transformations emit some values no one reads: the adjoint of a branch
//! that contributes nothing, a tangent helper whose tangent is zero. They
//! cost nothing at run time (LLVM removes them), but a person reading the
//! expansion should not have to work out that they are dead.
//!
//! Only statements that cannot have an effect go: a float or plain copy
//! defined into a generated local that nothing reads. The user's own
//! statements stay, dead or not, and so does anything that reads a user
//! variable (`let _ = x * 2.0;` lowers to a temporary): the derivative reads
//! like the function, rustc reports a mistake in them the same way in both
//! (so it can deduplicate the report), and a parameter the function uses is
//! never left unused in its derivative. Calls, methods and tape pops may
//! have effects; indexing and integer arithmetic may panic, and the
//! derivative must panic where its function does.

use std::collections::HashSet;

use crate::ir::{op_reads, Block, Func, Op, Origin, Pat, Proj, Stmt, VarId};
use crate::ty::Ty;

pub fn remove_dead(func: &mut Func) {
    let kept: HashSet<VarId> = func
        .vars
        .iter()
        .enumerate()
        .filter(|(_, info)| info.origin == Origin::User)
        .map(|(i, _)| VarId(i))
        .chain(func.params.iter().map(|p| p.var))
        .collect();
    loop {
        let read = crate::usage::read(&func.body);
        let written = crate::ir::written(&func.body);
        let mut body = std::mem::take(&mut func.body);
        let removed = prune(
            &mut body,
            func,
            &|v| kept.contains(&v) || read.contains(&v),
            &written,
        );
        func.body = body;
        if !removed {
            return;
        }
    }
}

/// Removes dead statements from `b`; whether any went.
fn prune(
    b: &mut Block,
    func: &Func,
    live: &dyn Fn(VarId) -> bool,
    written: &HashSet<VarId>,
) -> bool {
    let mut removed = false;
    b.retain_mut(|s| {
        match s {
            Stmt::If { then, els, .. } => {
                removed |= prune(then, func, live, written);
                removed |= prune(els, func, live, written);
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
                removed |= prune(body, func, live, written);
            }
            Stmt::Match { arms, .. } => {
                for (_, arm) in arms {
                    removed |= prune(arm, func, live, written);
                }
            }
            _ => {}
        }
        let dead = match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(op),
                ..
            } => !live(*v) && !written.contains(v) && harmless(func, op),
            Stmt::Let {
                pat: Pat::Var(v),
                init: None,
                ..
            } => !live(*v) && !written.contains(v),
            Stmt::Assign { place, op, .. } | Stmt::Accum { place, op, .. } => {
                place.proj.is_empty() && !live(place.base) && harmless(func, op)
            }
            _ => false,
        };
        removed |= dead;
        !dead
    });
    removed
}

/// Whether evaluating `op` can have no effect, cannot panic, and reads no
/// user variable.
fn harmless(func: &Func, op: &Op) -> bool {
    if op_reads(op)
        .iter()
        .any(|v| func.info(*v).origin == Origin::User)
    {
        return false;
    }
    match op {
        Op::Call(..) | Op::Method(..) | Op::TapePop(_) | Op::TapePeek(..) | Op::Ck(..) => false,
        Op::Load(p) | Op::Len(p) | Op::Ref(p, _) => !p.proj.iter().any(Proj::may_panic),
        // Integer arithmetic may overflow or divide by zero.
        Op::Bin(..) | Op::Unary(..) | Op::Elem(..) | Op::Lin(_) => {
            matches!(crate::typing::op_ty(func, op), Ty::Float(_) | Ty::Bool)
                && !matches!(
                    op,
                    Op::Bin(crate::ir::BinOp::Shl | crate::ir::BinOp::Shr, ..)
                )
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use crate::convention::Kind;
    use crate::expand::tests::pretty;

    #[test]
    fn an_unread_adjoint_copy_is_removed() {
        let src = "fn f(x: f64, flag: bool) -> f64 { if flag { x * 2.0 } else { 1.0 } }";
        let out = pretty(Kind::Vjp, "", src);
        // Before this pass the `else` arm read `let t2 = t0_bar;` and never used `t2`.
        assert!(!out.contains("t2"), "{out}");
        assert!(out.contains("*x_bar += t1 * 2.0"), "{out}");
    }

    #[test]
    fn the_users_dead_statements_stay() {
        let src = "fn f(x: f64) -> f64 { let unused = x * 3.0; let scale = 2.0; x * scale }";
        for mode in [Kind::Jvp, Kind::Vjp] {
            let out = pretty(mode, "", src);
            assert!(out.contains("let unused = x * 3.0;"), "{out}");
        }
    }

    #[test]
    fn a_call_into_an_unread_local_stays() {
        // The call may have effects (here, on `buf`), so it runs even though
        // its result is unused.
        let src = "fn f(x: f64, buf: &mut [f64]) -> f64 { let _ = g(x, buf); x }";
        let out = pretty(Kind::Jvp, "", src);
        assert!(out.contains("g_jvp("), "{out}");
    }
}

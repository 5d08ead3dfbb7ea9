//! Which variables a function writes and reads, so codegen writes `mut`
//! only where a reader will see a write, and `_` for a loop variable nobody
//! reads. Transformations mark variables mutable generously (an adjoint that
//! may be accumulated into); the written form should not.

use std::collections::HashSet;

use crate::ir::{op_reads, place_atoms, Arg, Atom, Block, Op, Stmt, VarId};

/// Variables read anywhere in `body`.
pub fn read(body: &Block) -> HashSet<VarId> {
    let mut out = HashSet::new();
    reads(body, &mut out);
    out
}

fn reads(b: &Block, out: &mut HashSet<VarId>) {
    let atom = |a: &Atom, out: &mut HashSet<VarId>| out.extend(a.var());
    for s in b {
        match s {
            Stmt::Assign { place, op, .. } | Stmt::Accum { place, op, .. } => {
                place_atoms(place, &mut |a| atom(a, out));
                out.extend(op_reads(op));
            }
            Stmt::Let { init: Some(op), .. } | Stmt::Eval { op, .. } | Stmt::Return(Some(op)) => {
                out.extend(op_reads(op));
            }
            Stmt::TapePush { tape, value } => {
                out.insert(*tape);
                atom(value, out);
            }
            Stmt::If { cond, then, els } => {
                atom(cond, out);
                reads(then, out);
                reads(els, out);
            }
            Stmt::For { range, body, .. } => {
                atom(&range.start, out);
                atom(&range.end, out);
                for a in &range.adapters {
                    match a {
                        crate::ir::RangeAdapter::Rev => {}
                        crate::ir::RangeAdapter::StepBy(k) | crate::ir::RangeAdapter::Take(k) => {
                            atom(k, out);
                        }
                    }
                }
                reads(body, out);
            }
            Stmt::Loop { body, .. } | Stmt::Block { body, .. } => reads(body, out),
            Stmt::Match { scrut, arms } => {
                atom(scrut, out);
                arms.iter().for_each(|(_, b)| reads(b, out));
            }
            Stmt::Assert { args, .. } => args.iter().for_each(|a| atom(a, out)),
            Stmt::Let { init: None, .. }
            | Stmt::Return(None)
            | Stmt::Break(_)
            | Stmt::Continue(_) => {}
        }
    }
}

/// Variables that are assigned, accumulated into, borrowed mutably, used as
/// a method receiver, or used as a tape, anywhere in `body`.
pub fn mutated(body: &Block) -> HashSet<VarId> {
    let mut out = HashSet::new();
    block(body, &mut out);
    out
}

fn block(b: &Block, out: &mut HashSet<VarId>) {
    for s in b {
        match s {
            Stmt::Assign { place, op, .. } | Stmt::Accum { place, op, .. } => {
                out.insert(place.base);
                self::op(op, out);
            }
            Stmt::Let { init: Some(op), .. } | Stmt::Eval { op, .. } | Stmt::Return(Some(op)) => {
                self::op(op, out);
            }
            Stmt::TapePush { tape, .. } => {
                out.insert(*tape);
            }
            Stmt::If { then, els, .. } => {
                block(then, out);
                block(els, out);
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
                block(body, out);
            }
            Stmt::Match { arms, .. } => arms.iter().for_each(|(_, b)| block(b, out)),
            Stmt::Let { init: None, .. }
            | Stmt::Return(None)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::Assert { .. } => {}
        }
    }
}

fn op(op: &Op, out: &mut HashSet<VarId>) {
    match op {
        Op::Ref(p, true) => {
            out.insert(p.base);
        }
        Op::TapePop(t) => {
            out.insert(*t);
        }
        // A method may take `&mut self`; the IR does not say which.
        Op::Method(Atom::Var(v), ..) => {
            out.insert(*v);
        }
        Op::Call(_, args) => args.iter().for_each(|a| arg(a, out)),
        _ => {}
    }
}

fn arg(a: &Arg, out: &mut HashSet<VarId>) {
    match a {
        Arg::RefMut(p) => {
            out.insert(p.base);
        }
        // Zeros are fresh values shaped like the argument, which is only read.
        Arg::Value(_) | Arg::Ref(_) | Arg::ZeroOf(_) | Arg::MutZeroOf(_) => {}
    }
}

//! Which variables a function writes and reads, so codegen writes `mut`
//! only where a reader will see a write, and `_` for a loop variable nobody
//! reads. Transformations mark variables mutable generously (an adjoint that
//! may be accumulated into); the written form should not.

use std::collections::HashSet;

use crate::ir::{op_reads, place_atoms, Atom, Block, Stmt, VarId};

/// Variables read anywhere in `body`.
pub fn read(body: &Block) -> HashSet<VarId> {
    let mut out = HashSet::new();
    reads(body, &mut out);
    out
}

fn reads(b: &Block, out: &mut HashSet<VarId>) {
    crate::ir::for_each_stmt(b, &mut |s| {
        let mut atom = |a: &Atom| out.extend(a.var());
        match s {
            Stmt::Assign { place, .. } | Stmt::Accum { place, .. } => place_atoms(place, &mut atom),
            Stmt::TapePush { tape, value } => {
                atom(&Atom::Var(*tape));
                atom(value);
            }
            Stmt::If { cond, .. } => atom(cond),
            Stmt::For { range, .. } => {
                atom(&range.start);
                atom(&range.end);
                for a in &range.adapters {
                    if let Some(k) = a.arg() {
                        atom(k);
                    }
                }
            }
            Stmt::Match { scrut, .. } => atom(scrut),
            Stmt::Assert { args, .. } => args.iter().for_each(&mut atom),
            _ => {}
        }
        if let Some(op) = s.op() {
            out.extend(op_reads(op));
        }
    });
}

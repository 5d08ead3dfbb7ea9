//! Which variables a function writes and reads, so codegen writes `mut`
//! only where a reader will see a write, and `_` for a loop variable nobody
//! reads. Transformations mark variables mutable generously (an adjoint that
//! may be accumulated into); the written form should not.

use std::collections::{HashMap, HashSet};

use crate::ir::{op_reads, place_atoms, Atom, Stmt, VarId};

/// Variables read anywhere in `body`.
pub fn read(body: &[Stmt]) -> HashSet<VarId> {
    let mut out = HashSet::new();
    crate::ir::for_each_stmt(body, &mut |s| {
        stmt_reads(s, &mut |v| {
            out.insert(v);
        })
    });
    out
}

/// How many times each variable is read in `body`, one count per operand
/// position (`x * x` reads `x` twice).
pub fn read_counts(body: &[Stmt]) -> HashMap<VarId, usize> {
    let mut out = HashMap::new();
    crate::ir::for_each_stmt(body, &mut |s| {
        stmt_reads(s, &mut |v| *out.entry(v).or_insert(0) += 1)
    });
    out
}

/// Calls `f` on each variable `s` itself reads (its operation, condition,
/// range or place indices), not on reads of the statements nested in it.
pub fn stmt_reads(s: &Stmt, f: &mut dyn FnMut(VarId)) {
    let mut atom = |a: &Atom| {
        if let Some(v) = a.var() {
            f(v)
        }
    };
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
        op_reads(op).into_iter().for_each(f);
    }
}

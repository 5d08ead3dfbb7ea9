//! Fusing a final loop's reverse sweep into its forward sweep.
//!
//! When a function ends with a loop whose reverse sweep is *order-free*,
//! its adjoint can run inside the same iteration, as a hand-written
//! gradient would. Order-free means:
//! - the loop-carried outputs change only by `s = s ± t`, and nothing else
//!   in the body reads them (not even another output's update), so their
//!   adjoints stay the same in every iteration;
//! - nothing needs recording, so every value the adjoint reads is in scope;
//! - the loop is followed only by the `return`, so every adjoint seed
//!   (`out_bar`) is known before the loop starts.
//!
//! The adjoints of the operands then receive the same contributions, only
//! summed in forward instead of reverse order.

use std::collections::HashSet;

use super::analysis;
use super::Gen;
use crate::ir::{Arg, BinOp, Op, Pat, Stmt, VarId};

impl Gen<'_> {
    /// Whether loop `l`, the last statement before the final `return`, can be fused.
    pub(super) fn fusable(&self, l: &Stmt) -> bool {
        self.order_free(l, true)
    }

    /// Whether the reverse of loop `l` may visit its iterations in any
    /// order, so the reversed loop can run forwards (indexed loops that run
    /// backwards do not vectorise). `fused`: its reverse runs inside the
    /// forward iterations, where the body's own locals are in scope.
    pub(super) fn order_free(&self, l: &Stmt, fused: bool) -> bool {
        let Stmt::For { body, .. } = l else {
            return false;
        };
        let Some(info) = self.loops.get(&self.id(l)) else {
            return false;
        };
        if !info.exits.is_empty() || info.count.is_some() || !self.needs.has_rev(l) {
            return false;
        }
        let locals: Vec<VarId> = body
            .iter()
            .filter_map(|s| match s {
                Stmt::Let {
                    pat: Pat::Var(v), ..
                } => Some(*v),
                _ => None,
            })
            .collect();
        // Outer variables written in the loop: accumulators only, read
        // nowhere else in the body (or their adjoints would change between
        // iterations).
        let mut accumulators = HashSet::new();
        for s in body {
            if let Stmt::Assign { place, op, .. } = s {
                if locals.contains(&place.base) {
                    continue;
                }
                let keeps = place.proj.is_empty()
                    && match op {
                        Op::Bin(BinOp::Add, a, b) => {
                            (a.var() == Some(place.base)) != (b.var() == Some(place.base))
                        }
                        Op::Bin(BinOp::Sub, a, b) => {
                            a.var() == Some(place.base) && b.var() != Some(place.base)
                        }
                        _ => false,
                    };
                if keeps {
                    accumulators.insert(place.base);
                } else if self.needs.active(place.base) || self.needs.needed.contains(&place.base) {
                    return false;
                }
            }
        }
        // Outer variables written deeper in the body carry values from one
        // iteration to the next unless proven otherwise, and their adjoints
        // would then flow between iterations in reverse order.
        let mut declared = HashSet::new();
        declared_in(body, &mut declared);
        let nested: Vec<&Stmt> = body
            .iter()
            .filter(|s| !matches!(s, Stmt::Assign { .. } | Stmt::Let { .. }))
            .collect();
        for s in nested {
            let w = crate::ir::written(std::slice::from_ref(s));
            if w.iter().any(|v| {
                !declared.contains(v) && (self.needs.active(*v) || self.needs.needed.contains(v))
            }) {
                return false;
            }
        }
        // An accumulator's own update reads it, and only that read is
        // harmless. An update that reads another accumulator (`acc += s1`
        // next to `s1 -= t`) makes `s1_bar` grow by `acc_bar` per remaining
        // iteration, so it is checked against the other accumulators.
        for s in body {
            let reads = match s {
                Stmt::Assign { place, .. } if accumulators.contains(&place.base) => {
                    let mut others = accumulators.clone();
                    others.remove(&place.base);
                    reads_any(s, &others)
                }
                _ => reads_any(s, &accumulators),
            };
            if reads {
                return false;
            }
        }
        !self.records(body, fused)
    }

    /// Whether generating the reverse of `b` would record anything. In the
    /// fused loop's own body (`top`) locals are in scope and need nothing.
    fn records(&self, b: &[Stmt], top: bool) -> bool {
        let written = crate::ir::written(b);
        b.iter().any(|s| match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(op),
                ..
            } => {
                let stored = !top
                    && self.needs.needed.contains(v)
                    && (written.contains(v) || !self.needs.recompute(*v, op, b, &written));
                stored || has_mut_args(op)
            }
            Stmt::Assign { place, op, .. } => {
                self.needs.restore(place.base, self.id(s)) || has_mut_args(op)
            }
            Stmt::Eval { op, .. } => has_mut_args(op),
            Stmt::If { then, els, cond } => {
                cond.var().is_some_and(|c| {
                    crate::ir::written(then).contains(&c) || crate::ir::written(els).contains(&c)
                }) || self.records(then, false)
                    || self.records(els, false)
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => {
                let info = self.loops.get(&self.id(s));
                info.is_none_or(|l| l.count.is_some() || l.codes.is_some())
                    || self.records(body, false)
            }
            Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(_) => true,
            _ => false,
        })
    }
}

/// Whether `s` (nested blocks included) reads any of `vars`.
fn reads_any(s: &Stmt, vars: &HashSet<VarId>) -> bool {
    let op_hits = |op: &Op| crate::ir::op_reads(op).iter().any(|v| vars.contains(v));
    let atom_hits = |a: &crate::ir::Atom| a.var().is_some_and(|v| vars.contains(&v));
    match s {
        Stmt::Let { init: Some(op), .. } | Stmt::Eval { op, .. } | Stmt::Return(Some(op)) => {
            op_hits(op)
        }
        Stmt::Assign { place, op, .. } | Stmt::Accum { place, op, .. } => {
            op_hits(op)
                || analysis::place_index_vars(place)
                    .iter()
                    .any(|v| vars.contains(v))
        }
        Stmt::If { cond, then, els } => {
            atom_hits(cond) || then.iter().chain(els).any(|t| reads_any(t, vars))
        }
        Stmt::For { range, body, .. } => {
            atom_hits(&range.start)
                || atom_hits(&range.end)
                || body.iter().any(|t| reads_any(t, vars))
        }
        Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
            body.iter().any(|t| reads_any(t, vars))
        }
        Stmt::Match { scrut, arms } => {
            atom_hits(scrut)
                || arms
                    .iter()
                    .any(|(_, b)| b.iter().any(|t| reads_any(t, vars)))
        }
        _ => false,
    }
}

/// Variables declared anywhere in `b`: `let`s and loop variables.
fn declared_in(b: &[Stmt], out: &mut HashSet<VarId>) {
    for s in b {
        match s {
            Stmt::Let { pat, .. } => pat_vars(pat, out),
            Stmt::For { var, body, .. } => {
                out.insert(*var);
                declared_in(body, out);
            }
            Stmt::If { then, els, .. } => {
                declared_in(then, out);
                declared_in(els, out);
            }
            Stmt::Loop { body, .. } | Stmt::Block { body, .. } => declared_in(body, out),
            Stmt::Match { arms, .. } => arms.iter().for_each(|(_, a)| declared_in(a, out)),
            _ => {}
        }
    }
}

fn pat_vars(p: &Pat, out: &mut HashSet<VarId>) {
    match p {
        Pat::Var(v) => {
            out.insert(*v);
        }
        Pat::Tuple(ps) => out.extend(ps.iter().flatten()),
    }
}

fn has_mut_args(op: &Op) -> bool {
    matches!(op, Op::Call(_, args) if args.iter().any(|a| matches!(a, Arg::RefMut(_))))
}

//! The reverse sweep: statements in reverse order, each followed back
//! through its adjoint, with recorded values restored as it goes.

use proc_macro2::Span;

use super::analysis::{contains, diverges};
use super::forward_sweep::{elem_kind, lit_usize};
use super::{holds_vec, Gen, TapeKind};
use crate::ir::StmtId;
use crate::ir::{Atom, BinOp, Block, Op, Pat, Place, Range, RangeAdapter, Stmt, VarId};
use crate::ty::Ty;

impl Gen<'_> {
    pub(super) fn bwd_top(&mut self, body: &Block) -> Block {
        let mut out = Vec::new();
        if self.early {
            let Some(exit) = self.exit_var else {
                return out;
            };
            let mut arms = Vec::new();
            if !body.last().is_some_and(diverges) {
                arms.push((0, self.rev_region(body, None, true)));
            }
            for (k, e) in self.top_exits.clone().into_iter().enumerate() {
                arms.push((k + 1, self.rev_region(body, Some(e), true)));
            }
            out.push(Stmt::Match {
                scrut: Atom::Var(exit),
                arms,
            });
        } else {
            let (stmts, ret) = match body.split_last() {
                Some((Stmt::Return(Some(Op::Use(a))), rest)) => (rest, Some(a.clone())),
                _ => (&body[..], None),
            };
            let fused = self.fused;
            if fused.is_none() {
                // (A fused final loop has already declared these and seeded.)
                self.push_scope();
                for s in stmts {
                    if let Stmt::Let {
                        pat: Pat::Var(v), ..
                    } = s
                    {
                        if self.needs.active(*v) {
                            self.declare_bar(*v, &mut out);
                        }
                    }
                }
                if let Some(a) = ret {
                    let seed = self.out_bar.clone();
                    self.acc(&a, Op::Use(seed), &mut out);
                }
            }
            for s in stmts.iter().rev() {
                if Some(self.id(s)) != fused {
                    self.rev_stmt(s, &mut out);
                }
            }
            if fused.is_none() {
                self.pop_scope();
            }
        }
        out
    }

    /// The reverse of block `b`: all of it, or (with `upto`) the part that
    /// ran before the exit statement `upto` left it.
    pub(super) fn rev_region(&mut self, b: &Block, upto: Option<StmtId>, tape_mode: bool) -> Block {
        let mut out = Vec::new();
        let pos = match upto {
            Some(e) => match b.iter().position(|s| contains(&self.needs.ids, s, e)) {
                Some(p) => Some(p),
                None => return out,
            },
            None => {
                if b.last().is_some_and(diverges) {
                    // This block always leaves early: its full reverse never runs.
                    return out;
                }
                None
            }
        };
        let end = pos.unwrap_or(b.len());
        self.push_scope();
        let written = crate::ir::written(b);
        if tape_mode {
            self.prologue(b, end, pos, &written, &mut out);
        }
        for s in &b[..end] {
            if let Stmt::Let {
                pat: Pat::Var(v), ..
            } = s
            {
                if self.needs.active(*v) {
                    self.declare_bar(*v, &mut out);
                }
            }
        }
        if let (Some(p), Some(e)) = (pos, upto) {
            let s = &b[p];
            if self.id(s) == e {
                // A `return v` reached here: its value's adjoint is `out_bar`.
                if let Stmt::Return(Some(Op::Use(a))) = s {
                    let seed = self.out_bar.clone();
                    self.acc(a, Op::Use(seed), &mut out);
                }
            } else {
                self.rev_prefix(s, e, &mut out);
            }
        }
        for s in b[..end].iter().rev() {
            self.rev_stmt(s, &mut out);
        }
        self.pop_scope();
        out
    }

    /// Makes the block's locals that the reverse sweep reads available:
    /// recorded ones are popped, the others recomputed.
    fn prologue(
        &mut self,
        b: &Block,
        end: usize,
        pos: Option<usize>,
        written: &std::collections::HashSet<VarId>,
        out: &mut Block,
    ) {
        for (i, s) in b.iter().enumerate() {
            let declared_before = i < end;
            match s {
                Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op),
                    ..
                } if declared_before && self.needs.needed.contains(v) => {
                    let reassigned = written.contains(v);
                    let init = if !reassigned && self.needs.recompute(*v, op, b, written) {
                        self.without_moves(self.sub_op(op))
                    } else {
                        Op::TapePop(self.tape(*v, TapeKind::Value))
                    };
                    let c = self.copy_of(*v, reassigned);
                    out.push(Stmt::Let {
                        pat: Pat::Var(c),
                        init: Some(init),
                        span: Span::call_site(),
                    });
                }
                // A checkpointed loop counts its iterations in its turns.
                Stmt::For { .. } | Stmt::Loop { .. }
                    if (i < end || Some(i) == pos) && self.checkpointed(s).is_none() =>
                {
                    if let Some(c) = self.loops.get(&self.id(s)).and_then(|l| l.count) {
                        let t = self.tape(c, TapeKind::Value);
                        let copy = self.copy_of(c, false);
                        out.push(Stmt::Let {
                            pat: Pat::Var(copy),
                            init: Some(Op::TapePop(t)),
                            span: Span::call_site(),
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// A recomputed `w = v` with `v` a `Vec` would move `v`, which the
    /// reverse sweep still reads: it takes a clone. (A tuple holding a
    /// `Vec` is recorded, not recomputed: see `analysis::recomputable`.)
    fn without_moves(&self, op: Op) -> Op {
        match op {
            Op::Use(a @ Atom::Var(v)) if holds_vec(&self.f.info(v).ty) => {
                Op::Method(a, syn::Ident::new("clone", Span::call_site()), Vec::new())
            }
            other => other,
        }
    }

    /// The reverse of the part of `s` that ran before exit `e` inside it.
    fn rev_prefix(&mut self, s: &Stmt, e: StmtId, out: &mut Block) {
        match s {
            Stmt::If { then, els, .. } => {
                if let Some(t) = self.site_tapes.get(&self.id(s)).copied() {
                    out.push(Stmt::Eval {
                        op: Op::TapePop(t),
                        span: Span::call_site(),
                    });
                }
                let branch = if then.iter().any(|x| contains(&self.needs.ids, x, e)) {
                    then
                } else {
                    els
                };
                let r = self.rev_region(branch, Some(e), true);
                out.extend(r);
            }
            _ => self.rev_stmt(s, out),
        }
    }

    fn rev_stmt(&mut self, s: &Stmt, out: &mut Block) {
        match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(op),
                ..
            } => {
                if self.needs.call_records(op, Some(*v), self.id(s)) {
                    let seed = self.bar(*v).map(Atom::Var);
                    let discard = seed.is_none();
                    let zero = Atom::Var(self.sub(*v));
                    self.rev_call(
                        op,
                        Some(*v),
                        self.id(s),
                        Some(seed.unwrap_or(zero)),
                        discard,
                        out,
                    );
                } else if self.needs.active(*v) {
                    let (r, seed) = (Atom::Var(self.sub(*v)), self.bar(*v).map(Atom::Var));
                    if let Some(seed) = seed {
                        self.adjoint_op(op, &r, &seed, None, out);
                    }
                }
            }
            Stmt::Assign { place, op, .. } => self.rev_assign(s, place, op, out),
            Stmt::Eval {
                op: op @ (Op::Grow(p) | Op::Shrink(p)),
                ..
            } => self.rev_resize(s, matches!(op, Op::Grow(_)), p, out),
            Stmt::Eval { op, .. } if self.needs.call_records(op, None, self.id(s)) => {
                self.rev_call(op, None, self.id(s), None, false, out);
            }
            Stmt::If { cond, then, els } if self.needs.has_rev(s) => {
                let cond = match self.site_tapes.get(&self.id(s)).copied() {
                    Some(t) => self.temp(Op::TapePop(t), out),
                    None => self.sub_atom(cond),
                };
                let then = self.rev_region(then, None, true);
                let els = self.rev_region(els, None, true);
                out.push(Stmt::If { cond, then, els });
            }
            Stmt::For { .. } | Stmt::Loop { .. }
                if self.needs.has_rev(s) && self.checkpointed(s).is_some() =>
            {
                self.rev_checkpointed(s, out)
            }
            Stmt::For { .. } if self.needs.has_rev(s) => self.rev_for(s, out),
            Stmt::Loop { .. } if self.needs.has_rev(s) => self.rev_loop(s, out),
            _ => {}
        }
    }

    fn rev_assign(&mut self, s: &Stmt, place: &Place, op: &Op, out: &mut Block) {
        let base = place.base;
        let at = self.id(s);
        if self.needs.call_records(op, Some(base), at) {
            let seed = match self.bar_place(place) {
                Some(bp) if self.needs.active(base) => {
                    let seed = self.temp(Op::Load(bp.clone()), out);
                    out.push(Stmt::Assign {
                        place: bp,
                        op: self.zero_for(place),
                        span: Span::call_site(),
                    });
                    Some(seed)
                }
                _ => None,
            };
            // The shape of a discarded result is that of the place written,
            // `a[0]`, not of the whole `a`.
            let elem_is_float = matches!(crate::typing::place_ty(&self.f, place), Ty::Float(_));
            let zero_shape = if place.proj.is_empty() {
                Atom::Var(self.sub(base))
            } else if elem_is_float {
                Atom::float(0.0)
            } else if seed.is_none() {
                let p = self.sub_place(place);
                self.temp(Op::Load(p), out)
            } else {
                Atom::Var(self.sub(base))
            };
            let discard = seed.is_none();
            self.rev_call(
                op,
                Some(base),
                at,
                Some(seed.unwrap_or(zero_shape)),
                discard,
                out,
            );
        } else if self.needs.active(base) {
            if let Some(bp) = self.bar_place(place) {
                let reads_target = crate::ir::op_reads(op).contains(&base);
                let keeps = reads_target && keeps_target(op, base);
                let seed = if place.proj.is_empty() && !self.bar_is_ref.contains(&bp.base) {
                    Atom::Var(bp.base)
                } else {
                    self.temp(Op::Load(bp.clone()), out)
                };
                let seed = if keeps {
                    seed
                } else {
                    // The seed must survive the reset below.
                    let seed = if matches!(seed, Atom::Var(v) if v == bp.base) {
                        self.temp(Op::Use(seed), out)
                    } else {
                        seed
                    };
                    out.push(Stmt::Assign {
                        place: bp,
                        op: self.zero_for(place),
                        span: Span::call_site(),
                    });
                    seed
                };
                let r = if place.proj.is_empty() {
                    Atom::Var(self.sub(base))
                } else if matches!(op, Op::Bin(BinOp::Div, ..) | Op::Elem(..)) {
                    let sp = self.sub_place(place);
                    self.temp(Op::Load(sp), out)
                } else {
                    Atom::Var(self.sub(base))
                };
                self.adjoint_op(op, &r, &seed, keeps.then_some(base), out);
            }
        }
        if self.needs.restore(base, at) {
            let target = self.sub_place(place);
            let value = match self.saved.get(&self.id(s)).copied() {
                Some(v) => Op::Use(Atom::Var(v)),
                None => Op::TapePop(self.tape(base, elem_kind(place))),
            };
            out.push(Stmt::Assign {
                place: target,
                op: value,
                span: Span::call_site(),
            });
        }
    }

    /// The reverse of `Op::Grow` (`grow`) or `Op::Shrink` of the `Vec` at
    /// `p`: the adjoint undoes it, so its length follows the primal's at
    /// every point of the reverse sweep, and so does the primal when the
    /// reverse sweep still reads it. Both undo exactly: a grown element is
    /// a zero, and a shrunk one was set to zero just before (its old value
    /// is restored by the reverse of that store).
    fn rev_resize(&mut self, s: &Stmt, grow: bool, p: &Place, out: &mut Block) {
        let undo = |p: Place| Stmt::Eval {
            op: if grow { Op::Shrink(p) } else { Op::Grow(p) },
            span: Span::call_site(),
        };
        if self.needs.active(p.base) {
            if let Some(bp) = self.bar_place(p) {
                out.push(undo(bp));
            }
        }
        if self.needs.restore(p.base, self.id(s)) {
            out.push(undo(self.sub_place(p)));
        }
    }

    /// Zero for the adjoint of a place.
    fn zero_for(&self, place: &Place) -> Op {
        match crate::typing::place_ty(&self.f, place) {
            Ty::Float(_) => Op::Use(Atom::float(0.0)),
            _ => Op::ZeroLike(Atom::Var(self.sub(place.base))),
        }
    }

    pub(super) fn rev_for(&mut self, s: &Stmt, out: &mut Block) {
        let Stmt::For {
            var, range, body, ..
        } = s
        else {
            return;
        };
        let id = self.id(s);
        let (exits, count, codes) = match self.loops.get(&id) {
            Some(l) => (l.exits.clone(), l.count, l.codes),
            None => (Vec::new(), None, None),
        };
        let mut r = range.map_atoms(&|a| self.sub_atom(a));
        if let Some(turn) = self.turn_range_of(id) {
            r = turn;
        }
        // Reversing needs an exact-size range, which `a..=b` is not.
        if r.inclusive {
            r.end = self.temp(
                Op::Bin(
                    BinOp::Add,
                    r.end.clone(),
                    Atom::Const(crate::ir::Const::Lit(syn::parse_quote!(1))),
                ),
                out,
            );
            r.inclusive = false;
        }
        if let Some(c) = count {
            // Only the iterations that ran, last first.
            r.adapters.push(RangeAdapter::Take(Atom::Var(self.sub(c))));
        }
        // An order-free reverse keeps the forward order, which vectorises.
        let forwards =
            count.is_none() && codes.is_none() && exits.is_empty() && self.order_free(s, false);
        if !forwards {
            r.adapters.push(RangeAdapter::Rev);
        }
        self.push_scope();
        let i = self.copy_of(*var, false);
        let new_body = self.rev_iteration(body, &exits, codes, None);
        self.pop_scope();
        out.push(Stmt::For {
            var: i,
            range: r,
            body: new_body,
            label: None,
        });
    }

    pub(super) fn rev_loop(&mut self, s: &Stmt, out: &mut Block) {
        let Stmt::Loop { body, .. } = s else { return };
        let id = self.id(s);
        let (exits, count, codes, single) = match self.loops.get(&id) {
            Some(l) => (l.exits.clone(), l.count, l.codes, l.single_break),
            None => return,
        };
        let Some(c) = count else { return };
        let c = Atom::Var(self.sub(c));
        let k = self.f.temp(Ty::Int, Span::call_site());
        self.f.vars[k.0].name = "k".into();
        let last = single.then(|| (k, c.clone()));
        let new_body = self.rev_iteration(body, &exits, codes, last);
        out.push(Stmt::For {
            var: k,
            range: Range {
                start: lit_usize(0),
                end: c,
                inclusive: false,
                adapters: vec![RangeAdapter::Rev],
            },
            body: new_body,
            label: None,
        });
    }

    /// The reverse of one iteration: dispatch on how it ended.
    fn rev_iteration(
        &mut self,
        body: &Block,
        exits: &[StmtId],
        codes: Option<VarId>,
        single: Option<(VarId, Atom)>,
    ) -> Block {
        let mut out = Vec::new();
        if let Some(t) = codes {
            let code = self.temp(Op::TapePop(t), &mut out);
            let mut arms = Vec::new();
            if !body.last().is_some_and(diverges) {
                arms.push((0, self.rev_region(body, None, true)));
            }
            for (k, e) in exits.iter().enumerate() {
                arms.push((k + 1, self.rev_region(body, Some(*e), true)));
            }
            out.push(Stmt::Match { scrut: code, arms });
        } else if let (Some((k, count)), Some(e)) = (single, exits.first()) {
            // The last iteration (k = count - 1) is the one that broke out.
            let next = self.temp(Op::Bin(BinOp::Add, Atom::Var(k), lit_usize(1)), &mut out);
            let is_last = self.temp(Op::Bin(BinOp::Eq, next, count), &mut out);
            let then = self.rev_region(body, Some(*e), true);
            let els = self.rev_region(body, None, true);
            out.push(Stmt::If {
                cond: is_last,
                then,
                els,
            });
        } else {
            out = self.rev_region(body, None, true);
        }
        out
    }
}

/// Whether `target = op` keeps the target's adjoint as it is: `s = s + t`
/// and `s = s - t` (the target with coefficient +1).
fn keeps_target(op: &Op, target: VarId) -> bool {
    match op {
        Op::Bin(BinOp::Add, a, b) => (a.var() == Some(target)) != (b.var() == Some(target)),
        Op::Bin(BinOp::Sub, a, b) => a.var() == Some(target) && b.var() != Some(target),
        _ => false,
    }
}

//! The forward sweep: the primal statements plus what the reverse sweep
//! needs recorded.

use proc_macro2::Span;

use super::analysis::diverges;
use super::{holds_vec, Gen, TapeKind};
use crate::ir::StmtId;
use crate::ir::{Arg, Atom, BinOp, Block, Const, Op, Pat, Place, Proj, Stmt, VarId};
use crate::ty::Ty;

/// What encloses the statement being generated, innermost last.
pub(super) enum Frame {
    /// A block. In tape mode its locals are out of scope in the reverse
    /// sweep, so the reassigned ones (`snap`) are recorded when it is left.
    Region {
        tape_mode: bool,
        snap: Vec<VarId>,
    },
    Loop {
        id: StmtId,
        label: Option<String>,
    },
    /// The labelled block around the forward sweep of an early-returning function.
    Top,
}

impl Gen<'_> {
    /// The operation that stores the returned value in `result`. A `Vec`
    /// in it (the value, or a field of a returned tuple) is cloned: the
    /// reverse sweep still reads it, and moving it into `result` would
    /// leave nothing to read. `Copy` values are taken as they are.
    fn result_op(&self, op: &Op) -> Op {
        match op {
            Op::Use(Atom::Var(v)) if holds_vec(&self.f.info(*v).ty) => self.clone_of(*v),
            other => other.clone(),
        }
    }

    /// The value the function returns, `op`, without moving it: as
    /// `result_op`, and also when only the function's declared type says
    /// it holds a `Vec` (the value of a call, `g(x)`, whose type lowering
    /// does not know).
    fn returned_op(&self, op: &Op) -> Op {
        let returns_vec = self
            .f
            .ret
            .as_ref()
            .is_some_and(|t| holds_vec(&Ty::from_syn(t)));
        match op {
            Op::Use(Atom::Var(v)) if returns_vec => self.clone_of(*v),
            other => self.result_op(other),
        }
    }

    fn clone_of(&self, v: VarId) -> Op {
        Op::Method(
            Atom::Var(v),
            syn::Ident::new("clone", Span::call_site()),
            Vec::new(),
        )
    }

    /// `let t = (a, v);`, `let t = [u, v];` or `let w = v;` with `v` a `Vec`
    /// moves `v`, which the reverse sweep may still read: they take a clone
    /// instead.
    fn let_without_moves(&mut self, s: &Stmt, out: &mut Block) -> Stmt {
        if let Stmt::Let {
            pat,
            init: Some(op @ Op::Use(Atom::Var(_))),
            span,
        } = s
        {
            return Stmt::Let {
                pat: pat.clone(),
                init: Some(self.result_op(op)),
                span: *span,
            };
        }
        let (pat, xs, span, array) = match s {
            Stmt::Let {
                pat,
                init: Some(Op::Tuple(xs)),
                span,
            } => (pat, xs, span, false),
            Stmt::Let {
                pat,
                init: Some(Op::Array(xs)),
                span,
            } => (pat, xs, span, true),
            _ => return s.clone(),
        };
        let mut atoms = Vec::new();
        for a in xs {
            match a {
                Atom::Var(v) if holds_vec(&self.f.info(*v).ty) => {
                    let clone = Op::Method(
                        Atom::Var(*v),
                        syn::Ident::new("clone", Span::call_site()),
                        Vec::new(),
                    );
                    atoms.push(self.temp(clone, out));
                }
                other => atoms.push(other.clone()),
            }
        }
        Stmt::Let {
            pat: pat.clone(),
            init: Some(if array {
                Op::Array(atoms)
            } else {
                Op::Tuple(atoms)
            }),
            span: *span,
        }
    }

    /// `place = v` with `v` a `Vec` (a `break v` value, a join variable of
    /// a branch) moves `v`, which may still be recorded or read: it takes a
    /// clone instead.
    fn assign_without_moves(&self, s: &Stmt) -> Stmt {
        match s {
            Stmt::Assign {
                place,
                op: op @ Op::Use(Atom::Var(_)),
                span,
            } => Stmt::Assign {
                place: place.clone(),
                op: self.result_op(op),
                span: *span,
            },
            _ => s.clone(),
        }
    }

    pub(super) fn fwd_top(&mut self, body: &Block) -> Block {
        let mut out = Vec::new();
        if self.early {
            let exit = self.f.temp(Ty::Int, Span::call_site());
            self.f.vars[exit.0].name = "exit".into();
            self.f.vars[exit.0].mutable = true;
            out.push(Stmt::Let {
                pat: Pat::Var(exit),
                init: Some(Op::Use(lit_usize(0))),
                span: Span::call_site(),
            });
            self.exit_var = Some(exit);
            if body.iter().any(returns_value) {
                let r = self.f.temp(Ty::Unknown, Span::call_site());
                self.f.vars[r.0].name = "result".into();
                out.push(Stmt::Let {
                    pat: Pat::Var(r),
                    init: None,
                    span: Span::call_site(),
                });
                self.result = Some(r);
            }
            let mut frames = vec![Frame::Top];
            let inner = self.fwd_region(body, &mut frames, true);
            out.push(Stmt::Block {
                label: self.fwd_label.clone(),
                body: inner,
            });
        } else {
            let (stmts, ret) = match body.split_last() {
                Some((Stmt::Return(Some(op)), rest)) => (rest, Some(op)),
                _ => (&body[..], None),
            };
            let mut frames = Vec::new();
            match stmts.split_last() {
                Some((last, before))
                    if ret.is_some() && self.fusable(last) && self.checkpointed(last).is_none() =>
                {
                    self.fused = Some(self.id(last));
                    out.extend(self.fwd_region(before, &mut frames, false));
                    self.fused_loop(stmts, last, ret, &mut out);
                }
                _ => out.extend(self.fwd_region(stmts, &mut frames, false)),
            }
            if let Some(op) = ret {
                // Spanned on the user's returned expression, so a type error
                // there is reported on the user's tokens (and only once).
                let span = match op {
                    Op::Use(Atom::Var(v)) => self.f.info(*v).span,
                    _ => Span::call_site(),
                };
                let r = self.f.temp(Ty::Unknown, span);
                self.f.vars[r.0].name = "result".into();
                let op = self.returned_op(op);
                out.push(Stmt::Let {
                    pat: Pat::Var(r),
                    init: Some(op),
                    span,
                });
                self.result = Some(r);
            }
        }
        out
    }

    /// A final loop whose adjoint runs in the same iteration (see `fuse`):
    /// the top-level adjoints and the seed come first, then each iteration
    /// runs its primal statements followed by their reverse.
    fn fused_loop(&mut self, top: &[Stmt], l: &Stmt, ret: Option<&Op>, out: &mut Block) {
        for s in top {
            if let Stmt::Let {
                pat: Pat::Var(v), ..
            } = s
            {
                if self.needs.active(*v) {
                    self.declare_bar(*v, out);
                }
            }
        }
        if let Some(Op::Use(a)) = ret {
            let seed = self.out_bar.clone();
            self.acc(a, Op::Use(seed), out);
        }
        let Stmt::For {
            var,
            range,
            body,
            label,
        } = l
        else {
            return;
        };
        let mut frames = Vec::new();
        let mut new_body = self.fwd_region(body, &mut frames, false);
        new_body.extend(self.rev_region(body, None, false));
        out.push(Stmt::For {
            var: *var,
            range: range.clone(),
            body: new_body,
            label: label.clone(),
        });
    }

    fn push_value(&mut self, v: VarId, out: &mut Block) {
        let t = self.tape(v, TapeKind::Value);
        out.push(Stmt::TapePush {
            tape: t,
            value: Atom::Var(v),
        });
    }

    pub(super) fn fwd_region(
        &mut self,
        b: &[Stmt],
        frames: &mut Vec<Frame>,
        tape_mode: bool,
    ) -> Block {
        let written = crate::ir::written(b);
        frames.push(Frame::Region {
            tape_mode,
            snap: Vec::new(),
        });
        let top_level = !tape_mode && frames.len() == 1;
        let mut out = Vec::new();
        for s in b {
            match s {
                Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op),
                    ..
                } => {
                    if self.needs.call_records(op, Some(*v), self.id(s)) {
                        self.save_buffers(op, Some(*v), self.id(s), &mut out);
                    }
                    let stmt = self.let_without_moves(s, &mut out);
                    out.push(stmt);
                    if tape_mode && self.needs.needed.contains(v) {
                        if written.contains(v) {
                            register_snap(frames, *v);
                        } else if !self.needs.recompute(*v, op, b, &written) {
                            if self.records_by_move(*v) {
                                // Pushing moves it, and the block may still
                                // read it: it is recorded when the block is
                                // left, as reassigned locals are.
                                register_snap(frames, *v);
                            } else {
                                self.push_value(*v, &mut out);
                            }
                        }
                    }
                }
                Stmt::Assign { place, op, .. } => {
                    if self.needs.call_records(op, Some(place.base), self.id(s)) {
                        self.save_buffers(op, Some(place.base), self.id(s), &mut out);
                    }
                    if self.needs.restore(place.base, self.id(s)) {
                        let old = self.temp(Op::Load(place.clone()), &mut out);
                        if top_level {
                            if let Atom::Var(v) = old {
                                self.saved.insert(self.id(s), v);
                            }
                        } else {
                            let t = self.tape(place.base, elem_kind(place));
                            out.push(Stmt::TapePush {
                                tape: t,
                                value: old,
                            });
                        }
                    }
                    out.push(self.assign_without_moves(s));
                }
                Stmt::Eval { op, .. } => {
                    if self.needs.call_records(op, None, self.id(s)) {
                        self.save_buffers(op, None, self.id(s), &mut out);
                    }
                    out.push(s.clone());
                }
                Stmt::If { cond, then, els } => {
                    if self.needs.has_rev(s) && cond.var().is_some_and(|c| written_in_if(s, c)) {
                        let t = self.site_tape(self.id(s));
                        out.push(Stmt::TapePush {
                            tape: t,
                            value: cond.clone(),
                        });
                    }
                    let then = self.fwd_region(then, frames, true);
                    let els = self.fwd_region(els, frames, true);
                    out.push(Stmt::If {
                        cond: cond.clone(),
                        then,
                        els,
                    });
                }
                Stmt::For { .. } | Stmt::Loop { .. }
                    if self.checkpointed(s).is_some() && self.needs.has_rev(s) =>
                {
                    self.fwd_checkpointed(s, &mut out)
                }
                Stmt::For { .. } | Stmt::Loop { .. } => self.fwd_loop(s, frames, &mut out),
                Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(_) => {
                    self.fwd_exit(s, frames, &mut out)
                }
                _ => out.push(s.clone()),
            }
        }
        let frame = frames.pop();
        if tape_mode && !b.last().is_some_and(diverges) {
            if let Some(Frame::Region { snap, .. }) = frame {
                for v in snap {
                    self.push_value(v, &mut out);
                }
            }
        }
        out
    }

    pub(super) fn fwd_loop(&mut self, s: &Stmt, frames: &mut Vec<Frame>, out: &mut Block) {
        let id = self.id(s);
        let (count, codes) = match self.loops.get(&id) {
            Some(info) => (info.count, info.codes),
            None => (None, None),
        };
        let (body, label) = match s {
            Stmt::For { body, label, .. } | Stmt::Loop { body, label, .. } => (body, label),
            _ => return,
        };
        let mut new_body = Vec::new();
        if let Some(c) = count {
            out.push(Stmt::Let {
                pat: Pat::Var(c),
                init: Some(Op::Use(lit_usize(0))),
                span: Span::call_site(),
            });
            register_snap(frames, c);
            new_body.push(Stmt::Assign {
                place: Place::var(c),
                op: Op::Bin(BinOp::Add, Atom::Var(c), lit_usize(1)),
                span: Span::call_site(),
            });
        }
        frames.push(Frame::Loop {
            id,
            label: label.as_ref().map(|l| l.ident.to_string()),
        });
        new_body.extend(self.fwd_region(body, frames, true));
        frames.pop();
        if let Some(t) = codes {
            if !body.last().is_some_and(diverges) {
                new_body.push(Stmt::TapePush {
                    tape: t,
                    value: lit_usize(0),
                });
            }
        }
        let turn = self.turn_range_of(id);
        out.push(match (s, turn) {
            (
                Stmt::For {
                    var, range, label, ..
                },
                turn,
            ) => Stmt::For {
                var: *var,
                range: turn.unwrap_or_else(|| range.clone()),
                body: new_body,
                label: label.clone(),
            },
            // A checkpointed `loop`'s turn: one iteration per index.
            (_, Some(range)) => Stmt::For {
                var: self.index_var(),
                range,
                body: new_body,
                label: label.clone(),
            },
            (_, None) => Stmt::Loop {
                body: new_body,
                label: label.clone(),
            },
        });
    }

    /// Records what the reverse sweep needs about a `break`, `continue` or
    /// `return`, then performs it.
    fn fwd_exit(&mut self, s: &Stmt, frames: &[Frame], out: &mut Block) {
        let e = self.id(s);
        let target = match s {
            Stmt::Break(l) | Stmt::Continue(l) => l.as_ref().map(|l| l.ident.to_string()),
            _ => None,
        };
        let is_return = matches!(s, Stmt::Return(_));
        let mut pushes = Vec::new();
        for frame in frames.iter().rev() {
            match frame {
                Frame::Region {
                    tape_mode: true,
                    snap,
                } => pushes.extend(snap.iter().copied().map(PushWhat::Var)),
                Frame::Region { .. } => {}
                Frame::Loop { id, label } => {
                    if let Some(info) = self.loops.get(id) {
                        if let Some(t) = info.codes {
                            let k = info.exits.iter().position(|x| *x == e).map_or(0, |i| i + 1);
                            pushes.push(PushWhat::Code(t, k));
                        }
                    }
                    let is_target = !is_return && (target.is_none() || target == *label);
                    if is_target {
                        break;
                    }
                }
                Frame::Top => break,
            }
        }
        if let (Stmt::Return(Some(op)), true, Some(r)) = (s, self.early, self.result) {
            // Before the pushes: recording a `Vec` moves it.
            let op = self.returned_op(op);
            out.push(Stmt::Assign {
                place: Place::var(r),
                op,
                span: Span::call_site(),
            });
        }
        for p in pushes {
            match p {
                PushWhat::Var(v) => self.push_value(v, out),
                PushWhat::Code(t, k) => out.push(Stmt::TapePush {
                    tape: t,
                    value: lit_usize(k),
                }),
            }
        }
        match s {
            Stmt::Return(_) if self.early => {
                if let Some(x) = self.exit_var {
                    let k = self
                        .top_exits
                        .iter()
                        .position(|x| *x == e)
                        .map_or(0, |i| i + 1);
                    out.push(Stmt::Assign {
                        place: Place::var(x),
                        op: Op::Use(lit_usize(k)),
                        span: Span::call_site(),
                    });
                }
                out.push(Stmt::Break(Some(self.fwd_label.clone())));
            }
            _ => out.push(s.clone()),
        }
    }

    /// Records the contents of a call's `&mut` arguments before the call,
    /// once: the reverse sweep reads them back (without popping) for the
    /// callee's `_vjp` and pops them to restore the buffer if it is read
    /// again.
    fn save_buffers(&mut self, op: &Op, dst: Option<VarId>, at: StmtId, out: &mut Block) {
        let Op::Call(_, args) = op else { return };
        let active = self.needs.call_active(op, dst);
        for a in args {
            let Arg::RefMut(p) = a else { continue };
            if active || self.needs.restore(p.base, at) {
                self.push_buffer(p, out);
            }
        }
    }

    fn push_buffer(&mut self, p: &Place, out: &mut Block) {
        let ty = crate::typing::place_ty(&self.f, p);
        let t = self.tape(p.base, TapeKind::Buffer);
        if matches!(ty.deref(), Ty::Slice(_) | Ty::Vec(_)) {
            // Element by element, so recording does not allocate.
            let len = self.temp(Op::Len(p.clone()), out);
            let i = self.f.temp(Ty::Int, Span::call_site());
            self.f.vars[i.0].name = "i".into();
            let mut body = Vec::new();
            let mut elem = p.clone();
            elem.proj.push(Proj::Index(Atom::Var(i)));
            let x = self.temp(Op::Load(elem), &mut body);
            body.push(Stmt::TapePush { tape: t, value: x });
            out.push(Stmt::For {
                var: i,
                range: crate::ir::Range {
                    start: lit_usize(0),
                    end: len,
                    inclusive: false,
                    adapters: Vec::new(),
                },
                body,
                label: None,
            });
        } else {
            let x = self.temp(Op::Load(p.clone()), out);
            out.push(Stmt::TapePush { tape: t, value: x });
        }
    }
}

enum PushWhat {
    Var(VarId),
    Code(VarId, usize),
}

fn register_snap(frames: &mut [Frame], v: VarId) {
    if let Some(Frame::Region { snap, .. }) = frames.last_mut() {
        snap.push(v);
    }
}

pub(super) fn elem_kind(p: &Place) -> TapeKind {
    if p.proj.is_empty() {
        TapeKind::Value
    } else {
        TapeKind::Elem(p.proj.len())
    }
}

fn written_in_if(s: &Stmt, v: VarId) -> bool {
    match s {
        Stmt::If { then, els, .. } => {
            crate::ir::written(then).contains(&v) || crate::ir::written(els).contains(&v)
        }
        _ => false,
    }
}

fn returns_value(s: &Stmt) -> bool {
    match s {
        Stmt::Return(Some(_)) => true,
        Stmt::If { then, els, .. } => then.iter().chain(els).any(returns_value),
        Stmt::For { body, .. } | Stmt::Loop { body, .. } => body.iter().any(returns_value),
        _ => false,
    }
}

pub(super) fn lit_usize(k: usize) -> Atom {
    let lit = syn::LitInt::new(&format!("{k}usize"), Span::call_site());
    Atom::Const(Const::Lit(syn::Lit::Int(lit)))
}

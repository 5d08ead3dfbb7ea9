//! Checkpointed loops: the reverse of a loop marked `#[checkpoint(..)]`
//! keeps a few snapshots of the loop's state instead of a tape of every
//! iteration, and runs iterations again from them.
//!
//! The forward sweep saves the state the loop starts from and runs the loop
//! as the primal does, recording nothing. Where the reverse sweep reaches
//! the loop, it restores that state and follows the runtime's schedule
//! (`Checkpoints`, binomial or periodic):
//!
//! ```text
//! let mut checkpoints = Checkpoints::binomial(start, end, S);
//! loop {
//!     match checkpoints.next_action() {
//!         0 => break,
//!         1 => for i in checkpoints.lo()..checkpoints.hi() { <primal body> }
//!         2 => checkpoints.save((x.clone(), s)),
//!         3 => { let snapshot = checkpoints.restore(); x = snapshot.0; s = snapshot.1; }
//!         4 => { <forward sweep of iterations lo..hi> <their reverse> }
//!     }
//! }
//! ```
//!
//! A turn is the ordinary forward and reverse sweep of the loop over a
//! range of one iteration (a segment for the periodic schedule): it
//! records and pops its own tapes, so everything else about reverse mode
//! holds inside it. Before a turn, the state is the one the forward sweep
//! had before that iteration (a snapshot, advanced), which makes it
//! replay exactly: the derivative equals the plain tape's.
//!
//! The state is what the loop writes that lives outside it. The snapshot
//! at the start also holds what the loop only reads but a later statement
//! changes, so that the advances read the values the loop read.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;

use super::forward_sweep::{lit_usize, Frame};
use super::Gen;
use crate::diag::Diags;
use crate::ir::{
    Atom, Block, Checkpoint, CkOp, Const, Func, Op, Pat, Place, Proj, Range, Stmt, StmtIds, VarId,
    VarInfo,
};
use crate::ty::Ty;

/// What the sweeps need to know about one checkpointed loop.
pub(super) struct Plan {
    schedule: Checkpoint,
    /// Written by the loop, declared outside it: what a snapshot holds.
    state: Vec<VarId>,
    /// The state, then what the loop reads that later statements change.
    entry: Vec<VarId>,
    /// The snapshot the forward sweep takes before the loop.
    entry_var: VarId,
    /// For a loop whose trip count its header does not give (a `while`, a
    /// `loop`, a `for` that may leave early): the counter of iterations
    /// started, and the variable the forward sweep copies it to after the
    /// loop.
    trips: Option<(VarId, VarId)>,
}

/// The top-level loop a checkpoint mark names: a `for` by its index, a
/// `loop` by the iteration counter its body starts by incrementing.
fn find(src: &Func, key: VarId) -> Option<usize> {
    src.body.iter().position(|s| match s {
        Stmt::For { var, .. } => *var == key,
        Stmt::Loop { body, .. } => body.iter().any(|s| counts(s, key)),
        _ => false,
    })
}

/// Whether `s` is `k = k + 1` for the counter `k`.
fn counts(s: &Stmt, k: VarId) -> bool {
    matches!(s, Stmt::Assign { place, .. } if place.base == k && place.proj.is_empty())
}

/// Adds an iteration counter to the top-level loop at `pos`:
/// `let mut k = 0usize;` before it, `k = k + 1;` first in its body.
fn add_counter(src: &mut Func, pos: usize) -> VarId {
    let k = src.temp(Ty::Int, Span::call_site());
    src.vars[k.0].name = "iterations".into();
    src.vars[k.0].mutable = true;
    if let Stmt::For { body, .. } | Stmt::Loop { body, .. } = &mut src.body[pos] {
        body.insert(
            0,
            Stmt::Assign {
                place: Place::var(k),
                op: Op::Bin(crate::ir::BinOp::Add, Atom::Var(k), lit_usize(1)),
                span: Span::call_site(),
            },
        );
    }
    src.body.insert(
        pos,
        Stmt::Let {
            pat: Pat::Var(k),
            init: Some(Op::Use(lit_usize(0))),
            span: Span::call_site(),
        },
    );
    k
}

/// The checkpointed loops of prepared IR, by their position in the body,
/// with spanned errors for marked loops that cannot be checkpointed. With
/// `all` (the differential tests' mode), every top-level loop that can be
/// is checkpointed, binomially with that many snapshots. A loop whose trip
/// count is not in its header gets an iteration counter here (a `while`
/// or `loop` marked by the user has one from lowering).
pub(super) fn plan(src: &mut Func, all: Option<usize>, diags: &mut Diags) -> Vec<(usize, Plan)> {
    let mut marked: Vec<(VarId, Checkpoint, Option<Span>)> = src
        .checkpoints
        .iter()
        .map(|(v, c, s)| (*v, c.clone(), Some(*s)))
        .collect();
    if let Some(s) = all {
        let k = Atom::Const(Const::Lit(syn::parse_quote!(#s)));
        let mut pos = 0;
        while pos < src.body.len() {
            match &src.body[pos] {
                Stmt::For { var, .. } if !marked.iter().any(|(v, ..)| v == var) => {
                    marked.push((*var, Checkpoint::Binomial(k.clone()), None));
                }
                Stmt::Loop { body, .. }
                    if !marked
                        .iter()
                        .any(|(v, ..)| body.iter().any(|s| counts(s, *v))) =>
                {
                    let c = add_counter(src, pos);
                    marked.push((c, Checkpoint::Binomial(k.clone()), None));
                    pos += 1;
                }
                _ => {}
            }
            pos += 1;
        }
    }
    if marked.is_empty() {
        return Vec::new();
    }
    let early = super::has_early_exit(&src.body);
    // A `for` that may leave early counts its iterations too.
    let leaving: Vec<VarId> = {
        let ids = StmtIds::number(src);
        marked
            .iter()
            .filter_map(|(key, ..)| match find(src, *key).map(|p| &src.body[p]) {
                Some(Stmt::For {
                    var, body, label, ..
                }) => {
                    let name = label.as_ref().map(|l| l.ident.to_string());
                    let exits = super::analysis::loop_exits(&ids, body, name.as_deref());
                    (!exits.is_empty()).then_some(*var)
                }
                _ => None,
            })
            .collect()
    };
    let mut counters: HashMap<VarId, VarId> = HashMap::new();
    if !early {
        for var in leaving {
            if let Some(pos) = find(src, var) {
                counters.insert(var, add_counter(src, pos));
            }
        }
    }
    let mut found = Vec::new();
    for (key, schedule, span) in marked {
        let mut report = |msg: &str| {
            if let Some(span) = span {
                diags.error(span, format!("`#[checkpoint]`: {msg}"));
            }
        };
        let Some(pos) = find(src, key) else {
            report("the loop must be a statement of the function's body, not nested in another loop, a branch or a block; move it out, or into a function of its own");
            continue;
        };
        if early {
            report("the function returns early (`return` before its end, possibly inside the loop), which a checkpointed loop does not support; compute the result in a variable and return it at the end");
            continue;
        }
        let (index, body, counter) = match &src.body[pos] {
            Stmt::For { range, .. } if !range.adapters.is_empty() => {
                report("the loop's range has adapters (`rev`, `step_by`, `skip`, `take`); a checkpointed `for` runs over `a..b`, `a..=b` or a whole collection");
                continue;
            }
            Stmt::For { var, body, .. } => (Some(*var), body, counters.get(var).copied()),
            Stmt::Loop { body, .. } => (None, body, Some(key)),
            _ => continue,
        };
        let mut inside: HashSet<VarId> = index.into_iter().collect();
        declared(body, &mut inside);
        let written: HashSet<VarId> = crate::ir::written(body)
            .into_iter()
            .filter(|v| !inside.contains(v))
            .collect();
        let mut state: Vec<VarId> = written.iter().copied().collect();
        state.sort();
        if let Some(r) = state
            .iter()
            .find(|v| !snapshottable(&src.info(**v).ty))
        {
            let msg = format!("the loop writes through the reference `{}`, whose target's type the macro does not see; write through a `&mut` to a slice, array, `Vec` or scalar, or copy what it points to into a local before the loop", src.info(*r).name);
            report(&msg);
            continue;
        }
        if let Some(u) = state
            .iter()
            .find(|v| declared_without_value(&src.body[..pos], **v))
        {
            let msg = format!(
                "the loop assigns `{}`, which has no value before the loop; initialise it where it is declared",
                src.info(*u).name
            );
            report(&msg);
            continue;
        }
        if state.iter().all(|v| Some(*v) == counter) {
            // Nothing outside the loop changes: no state to snapshot.
            continue;
        }
        let later = crate::ir::written(&src.body[pos + 1..]);
        let mut read = HashSet::new();
        crate::ir::for_each_stmt(body, &mut |s| {
            crate::usage::stmt_reads(s, &mut |v| {
                read.insert(v);
            })
        });
        let mut extra: Vec<VarId> = read
            .into_iter()
            .filter(|v| !inside.contains(v) && !written.contains(v) && later.contains(v))
            .collect();
        extra.sort();
        if let Some(r) = extra
            .iter()
            .find(|v| !snapshottable(&src.info(**v).ty))
        {
            let msg = format!("the loop reads through the reference `{}`, which a later statement writes through, and whose target's type the macro does not see; copy what it points to into a local before the loop and read that", src.info(*r).name);
            report(&msg);
            continue;
        }
        let mut entry = state.clone();
        entry.extend(extra);
        found.push((pos, schedule, state, entry, counter));
    }
    found
        .into_iter()
        .map(|(pos, schedule, state, entry, counter)| {
            let entry_var = src.temp(Ty::Other, Span::call_site());
            src.vars[entry_var.0].name = "checkpoint_entry".into();
            let trips = counter.map(|c| {
                let t = src.temp(Ty::Int, Span::call_site());
                src.vars[t.0].name = "trips".into();
                (c, t)
            });
            (
                pos,
                Plan {
                    schedule,
                    state,
                    entry,
                    entry_var,
                    trips,
                },
            )
        })
        .collect()
}

/// Variables declared in `b` (nested blocks included).
fn declared(b: &Block, out: &mut HashSet<VarId>) {
    crate::ir::for_each_stmt(b, &mut |s| match s {
        Stmt::Let { pat, .. } => match pat {
            Pat::Var(v) => {
                out.insert(*v);
            }
            Pat::Tuple(vs) => out.extend(vs.iter().flatten()),
        },
        Stmt::For { var, .. } => {
            out.insert(*var);
        }
        _ => {}
    });
}

/// Whether `v` is declared by `let v;` among the top-level statements `b`.
fn declared_without_value(b: &[Stmt], v: VarId) -> bool {
    b.iter()
        .any(|s| matches!(s, Stmt::Let { pat: Pat::Var(x), init: None, .. } if *x == v))
}

/// Whether a snapshot can hold what a variable of type `t` stands for:
/// its value, or what a reference to a slice, `Vec`, array or scalar
/// points to.
fn snapshottable(t: &Ty) -> bool {
    match t {
        Ty::Ref(_, inner) => matches!(
            **inner,
            Ty::Slice(_) | Ty::Vec(_) | Ty::Array(_) | Ty::Float(_) | Ty::Int | Ty::Bool
        ),
        _ => true,
    }
}

fn ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::call_site())
}

/// `*v`.
fn deref(v: VarId) -> Place {
    Place {
        base: v,
        proj: vec![Proj::Deref],
    }
}

/// Whether values of `t` are `Copy`, so a snapshot copies them.
fn is_copy(t: &Ty) -> bool {
    match t {
        Ty::Float(_) | Ty::Int | Ty::Bool => true,
        Ty::Array(e) => is_copy(e),
        Ty::Tuple(es) => es.iter().all(is_copy),
        _ => false,
    }
}

impl Gen<'_> {
    /// The plan of a checkpointed top-level loop.
    pub(super) fn checkpointed(&self, s: &Stmt) -> Option<&Plan> {
        if self.checkpoints.is_empty() {
            return None;
        }
        self.checkpoints.get(&self.id(s))
    }

    /// A tuple of the variables' values (`Vec`s cloned), or the value
    /// itself for one variable.
    fn snapshot(&mut self, vars: &[VarId], out: &mut Block) -> Atom {
        let vals: Vec<Atom> = vars
            .iter()
            .map(|&v| {
                let ty = self.f.info(v).ty.clone();
                let (op, copy_ty) = match &ty {
                    t if is_copy(t) => return Atom::Var(v),
                    // What a `&mut` points to: its elements as a `Vec`, or
                    // the value.
                    Ty::Ref(_, inner) => match &**inner {
                        Ty::Slice(e) | Ty::Vec(e) => (
                            Op::Method(Atom::Var(v), ident("to_vec"), Vec::new()),
                            Ty::Vec(e.clone()),
                        ),
                        t => (Op::Load(deref(v)), t.clone()),
                    },
                    t => (Op::Method(Atom::Var(v), ident("clone"), Vec::new()), t.clone()),
                };
                let c = self.temp(op, out);
                // A copy has the type of what it copies.
                if let Atom::Var(c) = c {
                    self.f.vars[c.0].ty = copy_ty;
                }
                c
            })
            .collect();
        match vals.as_slice() {
            [one] => one.clone(),
            _ => self.temp(Op::Tuple(vals), out),
        }
    }

    /// Assigns the snapshot `snap` of `vars` back to them; through a `&mut`
    /// to a slice, element by element.
    fn restore(&mut self, vars: &[VarId], snap: VarId, out: &mut Block) {
        for (k, &v) in vars.iter().enumerate() {
            let at = if vars.len() == 1 {
                Vec::new()
            } else {
                vec![Proj::Field(k)]
            };
            let from = Place {
                base: snap,
                proj: at,
            };
            match self.f.info(v).ty.clone() {
                Ty::Ref(_, inner) if matches!(*inner, Ty::Slice(_) | Ty::Vec(_)) => {
                    let n = self.temp(Op::Len(Place::var(v)), out);
                    let i = self.f.temp(Ty::Int, Span::call_site());
                    self.f.vars[i.0].name = "k".into();
                    let mut elem = from.clone();
                    elem.proj.push(Proj::Index(Atom::Var(i)));
                    let mut to = Place::var(v);
                    to.proj.push(Proj::Index(Atom::Var(i)));
                    out.push(Stmt::For {
                        var: i,
                        range: Range {
                            start: lit_usize(0),
                            end: n,
                            inclusive: false,
                            adapters: Vec::new(),
                        },
                        body: vec![Stmt::Assign {
                            place: to,
                            op: Op::Load(elem),
                            span: Span::call_site(),
                        }],
                        label: None,
                    });
                }
                Ty::Ref(..) => out.push(Stmt::Assign {
                    place: deref(v),
                    op: Op::Load(from),
                    span: Span::call_site(),
                }),
                _ => out.push(Stmt::Assign {
                    place: Place::var(v),
                    op: Op::Load(from),
                    span: Span::call_site(),
                }),
            }
        }
    }

    /// The forward sweep of a checkpointed loop: the snapshot of its start,
    /// then the loop as the primal runs it.
    pub(super) fn fwd_checkpointed(&mut self, s: &Stmt, out: &mut Block) {
        let Some(plan) = self.checkpointed(s) else {
            return;
        };
        let (entry, entry_var, trips) = (plan.entry.clone(), plan.entry_var, plan.trips);
        let snap = self.snapshot(&entry, out);
        out.push(Stmt::Let {
            pat: Pat::Var(entry_var),
            init: Some(Op::Use(snap)),
            span: Span::call_site(),
        });
        out.push(self.fresh_copy(s));
        if let Some((counter, after)) = trips {
            out.push(Stmt::Let {
                pat: Pat::Var(after),
                init: Some(Op::Use(Atom::Var(counter))),
                span: Span::call_site(),
            });
        }
    }

    /// The reverse of a checkpointed loop: its start restored, then the
    /// schedule's actions.
    pub(super) fn rev_checkpointed(&mut self, s: &Stmt, out: &mut Block) {
        let Some(plan) = self.checkpointed(s) else {
            return;
        };
        let (schedule, state, entry, entry_var, trips) = (
            plan.schedule.clone(),
            plan.state.clone(),
            plan.entry.clone(),
            plan.entry_var,
            plan.trips,
        );
        self.restore(&entry, entry_var, out);
        // The iterations, `start..end`: from the header, or counted.
        let (start, end) = match (s, trips) {
            (Stmt::For { range, .. }, None) => {
                let start = self.sub_atom(&range.start);
                let mut end = self.sub_atom(&range.end);
                if range.inclusive {
                    let one = Atom::Const(Const::Lit(syn::parse_quote!(1)));
                    end = self.temp(Op::Bin(crate::ir::BinOp::Add, end, one), out);
                }
                (start, end)
            }
            (Stmt::For { range, .. }, Some((_, after))) => {
                let start = self.sub_atom(&range.start);
                let end = Op::Bin(crate::ir::BinOp::Add, start.clone(), Atom::Var(after));
                (start, self.temp(end, out))
            }
            (_, Some((_, after))) => (lit_usize(0), Atom::Var(after)),
            _ => return,
        };
        let make = match schedule {
            Checkpoint::Binomial(k) => Op::Ck(CkOp::Binomial, vec![start, end, self.sub_atom(&k)]),
            Checkpoint::Periodic => Op::Ck(CkOp::Periodic, vec![start, end]),
            Checkpoint::Memory(bytes) => {
                // References to the state measure one snapshot.
                let refs: Vec<Atom> = state
                    .iter()
                    .map(|&v| self.temp(Op::Ref(Place::var(v), false), out))
                    .collect();
                let refs = self.temp(Op::Tuple(refs), out);
                Op::Ck(CkOp::Within, vec![start, end, self.sub_atom(&bytes), refs])
            }
        };
        let ck = self.f.temp(Ty::Other, Span::call_site());
        self.f.vars[ck.0].name = "checkpoints".into();
        self.f.vars[ck.0].mutable = true;
        out.push(Stmt::Let {
            pat: Pat::Var(ck),
            init: Some(make),
            span: Span::call_site(),
        });
        let cka = Atom::Var(ck);

        let mut advance = Vec::new();
        let (lo, hi) = self.bounds(&cka, &mut advance);
        let again = self.fresh_copy(s);
        let range = Range {
            start: lo,
            end: hi,
            inclusive: false,
            adapters: Vec::new(),
        };
        advance.push(match again {
            Stmt::For {
                var, body, label, ..
            } => Stmt::For {
                var,
                range,
                body,
                label,
            },
            // One iteration of a `loop` per index: `continue` and `break`
            // keep their meaning.
            Stmt::Loop { body, label } => Stmt::For {
                var: self.index_var(),
                range,
                body,
                label,
            },
            other => other,
        });

        let mut save = Vec::new();
        let snap = self.snapshot(&state, &mut save);
        save.push(Stmt::Eval {
            op: Op::Ck(CkOp::Save, vec![cka.clone(), snap]),
            span: Span::call_site(),
        });

        let mut restore = Vec::new();
        let snap = self.f.temp(Ty::Other, Span::call_site());
        self.f.vars[snap.0].name = "snapshot".into();
        restore.push(Stmt::Let {
            pat: Pat::Var(snap),
            init: Some(Op::Ck(CkOp::Restore, vec![cka.clone()])),
            span: Span::call_site(),
        });
        self.restore(&state, snap, &mut restore);

        let mut turn = Vec::new();
        let (lo, hi) = self.bounds(&cka, &mut turn);
        self.turn_range = Some((
            self.id(s),
            Range {
                start: lo,
                end: hi,
                inclusive: false,
                adapters: Vec::new(),
            },
        ));
        let mut frames = vec![Frame::Region {
            tape_mode: false,
            snap: Vec::new(),
        }];
        self.fwd_loop(s, &mut frames, &mut turn);
        match s {
            Stmt::For { .. } => self.rev_for(s, &mut turn),
            _ => self.rev_loop(s, &mut turn),
        }
        self.turn_range = None;

        let mut body = Vec::new();
        let action = self.f.temp(Ty::Int, Span::call_site());
        self.f.vars[action.0].name = "action".into();
        body.push(Stmt::Let {
            pat: Pat::Var(action),
            init: Some(Op::Ck(CkOp::Next, vec![cka])),
            span: Span::call_site(),
        });
        body.push(Stmt::Match {
            scrut: Atom::Var(action),
            arms: vec![
                (0, vec![Stmt::Break(None)]),
                (1, advance),
                (2, save),
                (3, restore),
                (4, turn),
            ],
        });
        out.push(Stmt::Loop { body, label: None });
    }

    /// A fresh index for a `loop` run one iteration per index.
    pub(super) fn index_var(&mut self) -> VarId {
        let i = self.f.temp(Ty::Int, Span::call_site());
        self.f.vars[i.0].name = "iteration".into();
        i
    }

    /// `let lo = checkpoints.lo(); let hi = checkpoints.hi();`
    fn bounds(&mut self, ck: &Atom, out: &mut Block) -> (Atom, Atom) {
        let lo = self.temp(Op::Ck(CkOp::Lo, vec![ck.clone()]), out);
        let hi = self.temp(Op::Ck(CkOp::Hi, vec![ck.clone()]), out);
        (lo, hi)
    }

    /// The range a turn runs loop `id` over, in place of its own.
    pub(super) fn turn_range_of(&self, id: crate::ir::StmtId) -> Option<Range> {
        match &self.turn_range {
            Some((at, r)) if *at == id => Some(r.clone()),
            _ => None,
        }
    }

    /// A copy of primal statement `s` whose own variables are fresh (the
    /// IR declares each variable once), reading the current stand-ins of
    /// the variables outside it.
    fn fresh_copy(&mut self, s: &Stmt) -> Stmt {
        let mut inside = HashSet::new();
        match s {
            Stmt::For { var, body, .. } => {
                inside.insert(*var);
                declared(body, &mut inside);
            }
            Stmt::Loop { body, .. } => declared(body, &mut inside),
            _ => {}
        }
        let mut map = HashMap::new();
        let mut inside: Vec<VarId> = inside.into_iter().collect();
        inside.sort();
        for v in inside {
            let info = self.f.info(v).clone();
            let c = self.f.new_var(VarInfo {
                origin: crate::ir::Origin::Copy(v),
                ..info
            });
            map.insert(v, c);
        }
        let rename = |v: VarId| map.get(&v).copied().unwrap_or_else(|| self.sub(v));
        rename_stmt(s, &rename)
    }
}

fn rename_atom(a: &Atom, f: &dyn Fn(VarId) -> VarId) -> Atom {
    match a {
        Atom::Var(v) => Atom::Var(f(*v)),
        c => c.clone(),
    }
}

fn rename_place(p: &Place, f: &dyn Fn(VarId) -> VarId) -> Place {
    Place {
        base: f(p.base),
        proj: p
            .proj
            .iter()
            .map(|x| x.map_atoms(&|a| rename_atom(a, f)))
            .collect(),
    }
}

fn rename_op(op: &Op, f: &dyn Fn(VarId) -> VarId) -> Op {
    let mut op = op.clone();
    crate::ir::map_op(&mut op, &|a| rename_atom(a, f), &|p| rename_place(p, f));
    op
}

/// `s` with every variable `v` replaced by `f(v)`.
fn rename_stmt(s: &Stmt, f: &dyn Fn(VarId) -> VarId) -> Stmt {
    let block = |b: &Block| b.iter().map(|s| rename_stmt(s, f)).collect::<Block>();
    match s {
        Stmt::Let { pat, init, span } => Stmt::Let {
            pat: match pat {
                Pat::Var(v) => Pat::Var(f(*v)),
                Pat::Tuple(vs) => Pat::Tuple(vs.iter().map(|v| v.map(f)).collect()),
            },
            init: init.as_ref().map(|op| rename_op(op, f)),
            span: *span,
        },
        Stmt::Assign { place, op, span } => Stmt::Assign {
            place: rename_place(place, f),
            op: rename_op(op, f),
            span: *span,
        },
        Stmt::Accum { place, op, span } => Stmt::Accum {
            place: rename_place(place, f),
            op: rename_op(op, f),
            span: *span,
        },
        Stmt::Eval { op, span } => Stmt::Eval {
            op: rename_op(op, f),
            span: *span,
        },
        Stmt::If { cond, then, els } => Stmt::If {
            cond: rename_atom(cond, f),
            then: block(then),
            els: block(els),
        },
        Stmt::For {
            var,
            range,
            body,
            label,
        } => Stmt::For {
            var: f(*var),
            range: Range {
                start: rename_atom(&range.start, f),
                end: rename_atom(&range.end, f),
                inclusive: range.inclusive,
                adapters: range
                    .adapters
                    .iter()
                    .map(|a| match a {
                        crate::ir::RangeAdapter::StepBy(k) => {
                            crate::ir::RangeAdapter::StepBy(rename_atom(k, f))
                        }
                        crate::ir::RangeAdapter::Take(k) => {
                            crate::ir::RangeAdapter::Take(rename_atom(k, f))
                        }
                        crate::ir::RangeAdapter::Skip(k) => {
                            crate::ir::RangeAdapter::Skip(rename_atom(k, f))
                        }
                        crate::ir::RangeAdapter::Rev => crate::ir::RangeAdapter::Rev,
                    })
                    .collect(),
            },
            body: block(body),
            label: label.clone(),
        },
        Stmt::Loop { body, label } => Stmt::Loop {
            body: block(body),
            label: label.clone(),
        },
        Stmt::Block { label, body } => Stmt::Block {
            label: label.clone(),
            body: block(body),
        },
        Stmt::Match { scrut, arms } => Stmt::Match {
            scrut: rename_atom(scrut, f),
            arms: arms.iter().map(|(k, b)| (*k, block(b))).collect(),
        },
        Stmt::Return(op) => Stmt::Return(op.as_ref().map(|op| rename_op(op, f))),
        Stmt::TapePush { tape, value } => Stmt::TapePush {
            tape: f(*tape),
            value: rename_atom(value, f),
        },
        Stmt::Assert { mac, args, rest } => Stmt::Assert {
            mac: mac.clone(),
            args: args.iter().map(|a| rename_atom(a, f)).collect(),
            rest: rest.clone(),
        },
        Stmt::Break(_) | Stmt::Continue(_) => s.clone(),
    }
}

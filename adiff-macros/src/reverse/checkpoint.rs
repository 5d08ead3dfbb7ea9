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
    Atom, Block, Checkpoint, CkOp, Const, Func, Op, Pat, Place, Proj, Range, Stmt, StmtId, VarId,
    VarInfo,
};
use crate::ty::Ty;

/// What the sweeps need to know about one checkpointed loop.
pub(super) struct Plan {
    schedule: Checkpoint,
    /// Written by the loop, declared outside it: what a snapshot holds.
    state: Vec<VarId>,
    /// The state, then what the loop reads that other statements change:
    /// what the snapshot of the loop's start holds.
    pub(super) entry: Vec<VarId>,
    /// Everything declared outside the loop that it reads or writes: the
    /// replays need stand-ins for all of it in the reverse sweep.
    pub(super) outer: Vec<VarId>,
    /// The tape of those snapshots (one per run of the loop), made by the
    /// sweeps.
    pub(super) entry_tape: Option<VarId>,
    /// For a loop whose trip count its header does not give (a `while`, a
    /// `loop`, a `for` that may leave early): the counter of iterations
    /// started, and the tape of its final values.
    pub(super) trips: Option<(VarId, Option<VarId>)>,
}

/// Whether `s` is the loop a checkpoint mark names: a `for` by its index,
/// a `loop` by the iteration counter its body starts by incrementing.
fn is_marked(s: &Stmt, key: VarId) -> bool {
    match s {
        Stmt::For { var, .. } => *var == key,
        Stmt::Loop { body, .. } => body.iter().any(|s| counts(s, key)),
        _ => false,
    }
}

/// The block holding the loop `key` names, and its position there.
fn find(b: &Block, key: VarId) -> Option<(&Block, usize)> {
    if let Some(pos) = b.iter().position(|s| is_marked(s, key)) {
        return Some((b, pos));
    }
    b.iter()
        .flat_map(|s| s.blocks())
        .find_map(|inner| find(inner, key))
}

/// Runs `f` on the block holding the loop `key` names, at its position.
fn with_block<R>(
    b: &mut Block,
    key: VarId,
    f: &mut dyn FnMut(&mut Block, usize) -> R,
) -> Option<R> {
    if let Some(pos) = b.iter().position(|s| is_marked(s, key)) {
        return Some(f(b, pos));
    }
    for s in b.iter_mut() {
        for inner in s.blocks_mut() {
            if let Some(r) = with_block(inner, key, f) {
                return Some(r);
            }
        }
    }
    None
}

/// Whether `s` is `k = k + 1` for the counter `k`.
fn counts(s: &Stmt, k: VarId) -> bool {
    matches!(s, Stmt::Assign { place, .. } if place.base == k && place.proj.is_empty())
}

/// Adds an iteration counter to the loop at `block[pos]`: `let mut k =
/// 0usize;` before it, `k = k + 1;` first in its body.
fn add_counter(k: VarId, block: &mut Block, pos: usize) {
    if let Stmt::For { body, .. } | Stmt::Loop { body, .. } = &mut block[pos] {
        body.insert(
            0,
            Stmt::Assign {
                place: Place::var(k),
                op: Op::Bin(crate::ir::BinOp::Add, Atom::Var(k), lit_usize(1)),
                span: Span::call_site(),
            },
        );
    }
    block.insert(
        pos,
        Stmt::Let {
            pat: Pat::Var(k),
            init: Some(Op::Use(lit_usize(0))),
            span: Span::call_site(),
        },
    );
}

fn new_counter(src: &mut Func) -> VarId {
    let k = src.temp(Ty::Int, Span::call_site());
    src.vars[k.0].name = "iterations".into();
    src.vars[k.0].mutable = true;
    k
}

/// Every loop of `b`, nested ones included: the keys of `for`s and the
/// positions of `loop`s, which have no key until they get a counter.
fn all_loops(b: &mut Block, src_vars: &mut Vec<VarId>, fresh: &mut dyn FnMut() -> VarId) {
    let mut pos = 0;
    while pos < b.len() {
        for inner in b[pos].blocks_mut() {
            all_loops(inner, src_vars, fresh);
        }
        match &b[pos] {
            Stmt::For { var, .. } => src_vars.push(*var),
            Stmt::Loop { body, .. }
                if !src_vars.iter().any(|v| body.iter().any(|s| counts(s, *v))) =>
            {
                let k = fresh();
                add_counter(k, b, pos);
                src_vars.push(k);
                pos += 1;
            }
            _ => {}
        }
        pos += 1;
    }
}

/// Whether a loop body leaves the loop for good: a `return`, or a
/// `break`/`continue` to a label outside it.
fn exits_outward(b: &Block, own: Option<&str>, inner: &mut Vec<Option<String>>) -> bool {
    b.iter().any(|s| match s {
        Stmt::Return(_) => true,
        Stmt::Break(Some(l)) | Stmt::Continue(Some(l)) => {
            let n = l.ident.to_string();
            Some(n.as_str()) != own && !inner.iter().any(|x| x.as_deref() == Some(n.as_str()))
        }
        Stmt::For { body, label, .. } | Stmt::Loop { body, label } => {
            inner.push(label.as_ref().map(|l| l.ident.to_string()));
            let out = exits_outward(body, own, inner);
            inner.pop();
            out
        }
        other => other
            .blocks()
            .into_iter()
            .any(|b| exits_outward(b, own, inner)),
    })
}

/// Whether a loop body may end an iteration or the loop early.
fn exits(b: &Block) -> bool {
    let mut found = false;
    crate::ir::for_each_stmt(b, &mut |s| {
        found |= matches!(s, Stmt::Break(_) | Stmt::Continue(_));
    });
    found
}

/// What the statements of `b` other than `skip` (and those inside it)
/// may change.
fn written_outside(b: &[Stmt], skip: &Stmt, out: &mut HashSet<VarId>) {
    for s in b {
        if std::ptr::eq(s, skip) {
            continue;
        }
        let mut holds = false;
        crate::ir::for_each_stmt(std::slice::from_ref(s), &mut |x| {
            holds |= std::ptr::eq(x, skip);
        });
        if holds {
            for inner in s.blocks() {
                written_outside(inner, skip, out);
            }
        } else {
            out.extend(crate::ir::written(std::slice::from_ref(s)));
        }
    }
}

/// The checkpointed loops of prepared IR, by their keys (a `for`'s index,
/// a `loop`'s counter), with spanned errors for marked loops that cannot
/// be checkpointed. With `all` (the differential tests' mode), every loop
/// that can be is checkpointed, binomially with that many snapshots. A
/// loop whose trip count is not in its header gets an iteration counter
/// here (a `while` or `loop` marked by the user has one from lowering).
pub(super) fn plan(src: &mut Func, all: Option<usize>, diags: &mut Diags) -> Vec<(VarId, Plan)> {
    let mut marked: Vec<(VarId, Checkpoint, Option<Span>)> = src
        .checkpoints
        .iter()
        .map(|(v, c, s)| (*v, c.clone(), Some(*s)))
        .collect();
    if let Some(s) = all {
        let k = Atom::Const(Const::Lit(syn::parse_quote!(#s)));
        let mut keys: Vec<VarId> = marked.iter().map(|(v, ..)| *v).collect();
        let known = keys.len();
        let mut body = std::mem::take(&mut src.body);
        let mut fresh = || new_counter(src);
        all_loops(&mut body, &mut keys, &mut fresh);
        src.body = body;
        // Every schedule gets exercised: binomial with `s` snapshots, with
        // one (each iteration replayed from the start), and periodic.
        let one = Atom::Const(Const::Lit(syn::parse_quote!(1usize)));
        for (n, key) in keys.into_iter().skip(known).enumerate() {
            if !marked.iter().any(|(v, ..)| *v == key) {
                let schedule = match n % 3 {
                    0 => Checkpoint::Binomial(k.clone()),
                    1 => Checkpoint::Binomial(one.clone()),
                    _ => Checkpoint::Periodic,
                };
                marked.push((key, schedule, None));
            }
        }
    }
    if marked.is_empty() {
        return Vec::new();
    }
    // A `for` that may leave early counts its iterations too.
    let leaving: Vec<VarId> = marked
        .iter()
        .filter_map(
            |(key, ..)| match find(&src.body, *key).map(|(b, p)| &b[p]) {
                Some(Stmt::For { var, body, .. }) if exits(body) => Some(*var),
                _ => None,
            },
        )
        .collect();
    let mut counters: HashMap<VarId, VarId> = HashMap::new();
    for var in leaving {
        let k = new_counter(src);
        if with_block(&mut src.body, var, &mut |b, pos| add_counter(k, b, pos)).is_some() {
            counters.insert(var, k);
        }
    }
    let mut found = Vec::new();
    for (key, schedule, span) in marked {
        let mut report = |msg: &str| {
            if let Some(span) = span {
                diags.error(span, format!("`#[checkpoint]`: {msg}"));
            }
        };
        let Some((block, pos)) = find(&src.body, key) else {
            report("the loop is not one the macro can find after lowering; please report");
            continue;
        };
        let l = &block[pos];
        let (index, body, label, counter) = match l {
            Stmt::For { range, .. } if !range.adapters.is_empty() => {
                report("the loop's range has adapters (`rev`, `step_by`, `skip`, `take`); a checkpointed `for` runs over `a..b`, `a..=b` or a whole collection");
                continue;
            }
            Stmt::For {
                var, body, label, ..
            } => (Some(*var), body, label, counters.get(var).copied()),
            Stmt::Loop { body, label } => (None, body, label, Some(key)),
            _ => continue,
        };
        let own = label.as_ref().map(|l| l.ident.to_string());
        if exits_outward(body, own.as_deref(), &mut Vec::new()) {
            report("the loop leaves the function or an outer loop (`return`, or `break`/`continue` to an outer label); a checkpointed loop may `break` and `continue` only itself and loops inside it");
            continue;
        }
        let mut inside: HashSet<VarId> = index.into_iter().collect();
        declared(body, &mut inside);
        let written: HashSet<VarId> = crate::ir::written(body)
            .into_iter()
            .filter(|v| !inside.contains(v))
            .collect();
        let mut state: Vec<VarId> = written.iter().copied().collect();
        state.sort();
        if let Some(r) = state.iter().find(|v| !snapshottable(&src.info(**v).ty)) {
            let msg = format!("the loop writes through the reference `{}`, whose target's type the macro does not see; write through a `&mut` to a slice, array, `Vec` or scalar, or copy what it points to into a local before the loop", src.info(*r).name);
            report(&msg);
            continue;
        }
        if let Some(u) = state
            .iter()
            .find(|v| declared_without_value(&src.body, **v))
        {
            let msg = format!(
                "the loop assigns `{}`, which is declared without a value; initialise it where it is declared",
                src.info(*u).name
            );
            report(&msg);
            continue;
        }
        if state.iter().all(|v| Some(*v) == counter) {
            // Nothing outside the loop changes: no state to snapshot.
            continue;
        }
        let mut elsewhere = HashSet::new();
        written_outside(&src.body, l, &mut elsewhere);
        let mut read = HashSet::new();
        crate::ir::for_each_stmt(body, &mut |s| {
            crate::usage::stmt_reads(s, &mut |v| {
                read.insert(v);
            })
        });
        let mut outer: Vec<VarId> = read
            .iter()
            .copied()
            .chain(written.iter().copied())
            .filter(|v| !inside.contains(v))
            .collect();
        outer.sort();
        outer.dedup();
        let mut extra: Vec<VarId> = read
            .into_iter()
            .filter(|v| !inside.contains(v) && !written.contains(v) && elsewhere.contains(v))
            .collect();
        extra.sort();
        if let Some(r) = extra.iter().find(|v| !snapshottable(&src.info(**v).ty)) {
            let msg = format!("the loop reads through the reference `{}`, which another statement writes through, and whose target's type the macro does not see; copy what it points to into a local before the loop and read that", src.info(*r).name);
            report(&msg);
            continue;
        }
        let mut entry = state.clone();
        entry.extend(extra);
        found.push((key, schedule, state, entry, outer, counter));
    }
    found
        .into_iter()
        .map(|(key, schedule, state, entry, outer, counter)| {
            (
                key,
                Plan {
                    schedule,
                    state,
                    entry,
                    outer,
                    entry_tape: None,
                    trips: counter.map(|c| (c, None)),
                },
            )
        })
        .collect()
}

/// The statement of the loop a plan's key names.
pub(super) fn stmt_of(body: &Block, key: VarId) -> Option<&Stmt> {
    find(body, key).map(|(b, p)| &b[p])
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
    /// Makes the tapes of the checkpointed loops: snapshots of their
    /// starts (moved in and out) and final iteration counts.
    pub(super) fn checkpoint_tapes(&mut self) {
        let keys: Vec<StmtId> = self.checkpoints.keys().copied().collect();
        for id in keys {
            // A loop with nothing to reverse runs as it is.
            let has_rev = self.stmts.get(&id).is_some_and(|s| self.needs.has_rev(s));
            if !has_rev {
                self.checkpoints.remove(&id);
                continue;
            }
            let entry = self.new_tape("checkpoint_entry", Ty::Other);
            // Snapshots may hold `Vec`s, which an owned tape moves.
            if let Some(Stmt::Let { init, .. }) = self.tape_decls.last_mut() {
                *init = Some(Op::TapeNewOwned);
            }
            let counted = self.checkpoints.get(&id).is_some_and(|p| p.trips.is_some());
            let trips = counted.then(|| self.new_tape("trips", Ty::Int));
            if let Some(plan) = self.checkpoints.get_mut(&id) {
                plan.entry_tape = Some(entry);
                if let Some((_, t)) = &mut plan.trips {
                    *t = trips;
                }
            }
        }
    }

    /// The plan of a checkpointed loop.
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
            .map(|&primal| {
                let ty = self.f.info(primal).ty.clone();
                // In the reverse sweep, the stand-in for the variable.
                let v = self.sub(primal);
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
                    t => (
                        Op::Method(Atom::Var(v), ident("clone"), Vec::new()),
                        t.clone(),
                    ),
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
            let ty = self.f.info(v).ty.clone();
            // The variable standing for `v` in the reverse sweep's scope.
            let v = self.sub(v);
            match ty {
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
        let (entry, entry_tape, trips) = (plan.entry.clone(), plan.entry_tape, plan.trips);
        let snap = self.snapshot(&entry, out);
        if let Some(tape) = entry_tape {
            out.push(Stmt::TapePush { tape, value: snap });
        }
        out.push(self.fresh_copy(s));
        if let Some((counter, Some(tape))) = trips {
            out.push(Stmt::TapePush {
                tape,
                value: Atom::Var(counter),
            });
        }
    }

    /// The reverse of a checkpointed loop: its start restored, then the
    /// schedule's actions.
    pub(super) fn rev_checkpointed(&mut self, s: &Stmt, out: &mut Block) {
        let Some(plan) = self.checkpointed(s) else {
            return;
        };
        let (schedule, state, entry, entry_tape, trips) = (
            plan.schedule.clone(),
            plan.state.clone(),
            plan.entry.clone(),
            plan.entry_tape,
            plan.trips,
        );
        let Some(entry_tape) = entry_tape else { return };
        let entry_var = self.f.temp(Ty::Other, Span::call_site());
        self.f.vars[entry_var.0].name = "checkpoint_entry".into();
        out.push(Stmt::Let {
            pat: Pat::Var(entry_var),
            init: Some(Op::TapePop(entry_tape)),
            span: Span::call_site(),
        });
        self.restore(&entry, entry_var, out);
        let trips = match trips {
            Some((_, Some(tape))) => Some(self.temp(Op::TapePop(tape), out)),
            _ => None,
        };
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
            (Stmt::For { range, .. }, Some(after)) => {
                // `start + trips`, in the index's integer type.
                let start = self.sub_atom(&range.start);
                let end = Op::Ck(CkOp::Offset, vec![start.clone(), after]);
                (start, self.temp(end, out))
            }
            (_, Some(after)) => (lit_usize(0), after),
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
        let outer_turn = self.turn_range.take();
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
        let mut forward = Vec::new();
        self.fwd_loop(s, &mut frames, &mut forward);
        // The forward sweep names primal variables; here, in the reverse
        // sweep, the ones declared outside the turn have stand-ins.
        // Its own variables get fresh ones: a loop inside another
        // reversed loop may have its reverse, and so its turns, emitted
        // more than once (once per way the outer iteration can end).
        let mut own = HashSet::new();
        declared(&forward, &mut own);
        let mut own: Vec<VarId> = own.into_iter().collect();
        own.sort();
        let fresh: HashMap<VarId, VarId> = own
            .into_iter()
            .map(|v| {
                let info = self.f.info(v).clone();
                let c = self.f.new_var(VarInfo {
                    origin: crate::ir::Origin::Copy(v),
                    ..info
                });
                (v, c)
            })
            .collect();
        let rename = |v: VarId| fresh.get(&v).copied().unwrap_or_else(|| self.sub(v));
        turn.extend(forward.iter().map(|st| crate::ir::map_vars(st, &rename)));
        // The reverse part reads the iteration count the forward part
        // declared.
        self.push_scope();
        let count = self.loops.get(&self.id(s)).and_then(|l| l.count);
        if let Some((c, f)) = count.and_then(|c| fresh.get(&c).map(|f| (c, *f))) {
            if let Some(m) = self.copies.last_mut() {
                m.insert(c, f);
            }
        }
        match s {
            Stmt::For { .. } => self.rev_for(s, &mut turn),
            _ => self.rev_loop(s, &mut turn),
        }
        self.pop_scope();
        self.turn_range = outer_turn;

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
        crate::ir::map_vars(s, &rename)
    }
}

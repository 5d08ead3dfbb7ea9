//! Reverse mode: the VJP transformation, IR to IR.
//!
//! The output runs a **forward sweep**, the primal code plus recording, and
//! then a **reverse sweep** that visits the statements backwards and
//! accumulates adjoints (`x_bar`) with the same derivative rules as forward
//! mode.
//!
//! Making primal values available to the reverse sweep:
//! - the function's top-level values are still in scope, so nothing is
//!   recorded for straight-line code;
//! - inside loops and branches, a local the reverse sweep reads is either
//!   recomputed (when its operands still hold their values) or recorded on
//!   a tape when defined;
//! - an overwritten value that is read later is recorded before the write
//!   and restored when the reverse sweep passes the write, so at every point
//!   of the reverse sweep the variables hold their forward values;
//! - a loop records its trip count and, if it can end early, an exit code per
//!   iteration; the reversed loop dispatches on it with `match`, replaying
//!   exactly the statements that ran.
//!
//! Each recorded quantity has its own tape (`Tape<T, N>` from the runtime),
//! so the element type is inferred and pops mirror pushes per tape.

mod adjoint;
pub mod analysis;
mod calls;
mod checkpoint;
mod choice;
mod forward_sweep;
mod fuse;
mod peephole;
pub mod prep;
mod reverse_sweep;

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;

use crate::activity::Activity;
use crate::convention::{self, Kind};
use crate::diag::{Diags, Stop};
use crate::ir::StmtId;
use crate::ir::{
    Atom, Block, Func, Op, Origin, Param, Pat, Place, Proj, Role, Stmt, VarId, VarInfo,
};
use crate::options::Knobs;
use crate::ty::Ty;
use crate::verify;
use analysis::Needs;

/// Facts about one loop of the prepared IR.
pub(crate) struct LoopInfo {
    exits: Vec<StmtId>,
    /// Counts iterations started (for `loop`, and `for` that may end early).
    count: Option<VarId>,
    /// The tape of per-iteration exit codes.
    codes: Option<VarId>,
    /// A `loop` whose only exit is one `break`: the last iteration is the
    /// one that broke, so no exit code is recorded.
    single_break: bool,
}

/// What kind of value a tape for a variable holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum TapeKind {
    /// The whole variable.
    Value,
    /// An element reached through `n` projections.
    Elem(usize),
    /// Elements of a buffer passed `&mut` to a callee.
    Buffer,
}

pub(crate) struct Gen<'a> {
    f: Func,
    needs: Needs<'a>,
    /// Primal variable → its stand-in in the current reverse scope.
    copies: Vec<HashMap<VarId, VarId>>,
    /// Primal variable → its adjoint in the current scope.
    bars: Vec<HashMap<VarId, VarId>>,
    /// Adjoint variables that are `&mut` references (`_vjp` parameters).
    bar_is_ref: HashSet<VarId>,
    tapes: HashMap<(VarId, TapeKind), VarId>,
    site_tapes: HashMap<StmtId, VarId>,
    tape_decls: Vec<Stmt>,
    capacity: usize,
    loops: HashMap<StmtId, LoopInfo>,
    stmts: HashMap<StmtId, &'a Stmt>,
    /// Values saved in plain locals before top-level writes.
    saved: HashMap<StmtId, VarId>,
    /// Whether the function returns early (forward sweep in a labelled block).
    early: bool,
    top_exits: Vec<StmtId>,
    exit_var: Option<VarId>,
    result: Option<VarId>,
    out_bar: Atom,
    fwd_label: syn::Lifetime,
    /// The final loop whose reverse runs inside its forward iterations.
    fused: Option<StmtId>,
    /// The loops marked `#[checkpoint]`.
    checkpoints: HashMap<StmtId, checkpoint::Plan>,
    /// While a checkpointed loop's turn is generated: the loop and the
    /// range the turn runs it over.
    turn_range: Option<(StmtId, crate::ir::Range)>,
}

/// Builds `f_vjp` (for [`Kind::Vjp`]) or `f_grad` (for [`Kind::Grad`],
/// with respect to the parameters whose role is in `wrt`). Runs its own
/// preparation (verified) and activity analysis on the prepared IR.
pub fn transform(ir: &Func, kind: Kind, knobs: &Knobs, diags: &mut Diags) -> Result<Func, Stop> {
    let (mut prepped, single) = prep::prepare(ir, diags);
    let plans = checkpoint::plan(&mut prepped, knobs.checkpoint_all, diags);
    if !diags.is_empty() {
        return Err(Stop::Reported);
    }
    verify::after("reverse preparation", &prepped)?;
    let act = crate::activity::for_derivative(&prepped, kind, knobs.activity, diags);
    if !diags.is_empty() {
        return Err(Stop::Reported);
    }
    Ok(sweeps(&prepped, &single, &act, plans, kind, knobs))
}

/// The forward and reverse sweeps of prepared IR.
fn sweeps(
    src: &Func,
    single: &HashSet<VarId>,
    act: &Activity,
    checkpoints: Vec<(VarId, checkpoint::Plan)>,
    kind: Kind,
    knobs: &Knobs,
) -> Func {
    // A checkpointed loop's reverse restores and replays its iterations, so
    // everything they read or write needs stand-ins where it runs.
    let forced: Vec<(VarId, &Stmt)> = checkpoints
        .iter()
        .filter_map(|(key, plan)| checkpoint::stmt_of(&src.body, *key).map(|s| (plan, s)))
        .flat_map(|(plan, s)| plan.outer.iter().map(move |v| (*v, s)))
        .collect();
    let needs = Needs::compute(src, act, single, knobs.record_all, &forced);
    let checkpoints: HashMap<StmtId, checkpoint::Plan> = checkpoints
        .into_iter()
        .filter_map(|(key, plan)| {
            checkpoint::stmt_of(&src.body, key).map(|s| (needs.ids.of(s), plan))
        })
        .collect();
    let mut g = Gen {
        f: src.clone(),
        needs,
        copies: vec![HashMap::new()],
        bars: vec![HashMap::new()],
        bar_is_ref: HashSet::new(),
        tapes: HashMap::new(),
        site_tapes: HashMap::new(),
        tape_decls: Vec::new(),
        capacity: knobs.tape,
        loops: HashMap::new(),
        stmts: HashMap::new(),
        saved: HashMap::new(),
        early: false,
        top_exits: Vec::new(),
        exit_var: None,
        result: None,
        out_bar: Atom::float(1.0),
        fwd_label: syn::Lifetime::new("'forward", Span::mixed_site()),
        fused: None,
        checkpoints,
        turn_range: None,
    };
    g.index(&src.body);
    g.checkpoint_tapes();
    g.early = has_early_exit(&src.body);
    if g.early {
        g.top_exits = analysis::loop_exits(&g.needs.ids, &src.body, None);
    }
    let (params, mut body) = g.signature(src, kind);
    let fwd = g.fwd_top(&src.body);
    let bwd = g.bwd_top(&src.body);
    let mut out = std::mem::take(&mut g.tape_decls);
    out.append(&mut body);
    out.extend(fwd);
    out.extend(bwd);
    out.extend(g.epilogue(src, kind));
    g.f.params = params;
    g.f.body = out;
    peephole::first_accumulations_assign(&mut g.f);
    peephole::kept_adjoints(&mut g.f);
    peephole::dead_restores(&mut g.f);
    g.f
}

/// Whether the function leaves before its final statement: then the forward
/// sweep runs in a labelled block that `return` breaks out of.
fn has_early_exit(body: &Block) -> bool {
    fn any_return(b: &[Stmt]) -> bool {
        let mut found = false;
        crate::ir::for_each_stmt(b, &mut |s| found |= matches!(s, Stmt::Return(_)));
        found
    }
    match body.split_last() {
        Some((Stmt::Return(Some(_)), rest)) => any_return(rest),
        Some(_) => any_return(body),
        None => false,
    }
}

impl<'a> Gen<'a> {
    /// The number of a statement of the prepared IR.
    fn id(&self, s: &Stmt) -> StmtId {
        self.needs.ids.of(s)
    }

    /// Records loop facts and statement identities.
    fn index(&mut self, b: &'a Block) {
        for s in b {
            self.stmts.insert(self.id(s), s);
            match s {
                Stmt::If { then, els, .. } => {
                    self.index(then);
                    self.index(els);
                }
                Stmt::For { body, label, .. } | Stmt::Loop { body, label, .. } => {
                    let name = label.as_ref().map(|l| l.ident.to_string());
                    let exits = analysis::loop_exits(&self.needs.ids, body, name.as_deref());
                    let has_rev = self.needs.has_rev(s);
                    let is_loop = matches!(s, Stmt::Loop { .. });
                    self.index(body);
                    // A checkpointed loop's turns run one iteration each, so
                    // "the last iteration broke" does not say which did.
                    let single_break = is_loop
                        && self.checkpointed(s).is_none()
                        && exits.len() == 1
                        && matches!(self.stmts.get(&exits[0]), Some(Stmt::Break(l)) if l.is_none() || l.as_ref().map(|l| l.ident.to_string()) == name)
                        && !breaks_from_nested(body);
                    let count = (has_rev && (is_loop || !exits.is_empty())).then(|| {
                        let c = self.f.temp(Ty::Int, Span::call_site());
                        self.f.vars[c.0].name = "count".into();
                        self.f.vars[c.0].mutable = true;
                        c
                    });
                    let codes = (has_rev && !exits.is_empty() && !single_break)
                        .then(|| self.new_tape("exit", Ty::Int));
                    self.loops.insert(
                        self.id(s),
                        LoopInfo {
                            exits,
                            count,
                            codes,
                            single_break,
                        },
                    );
                }
                _ => {}
            }
        }
    }

    /// Whether a recorded `v` must be pushed when its block is left rather
    /// than when defined, because pushing may move it: a `Vec`, or a value
    /// of a type the macro cannot see (a callee's result, which may be a
    /// `Vec` the block still reads, for example in an early `return g(x);`).
    fn records_by_move(&self, v: VarId) -> bool {
        let ty = &self.f.info(v).ty;
        holds_vec(ty) || matches!(ty, Ty::Unknown | Ty::Other)
    }

    fn new_tape(&mut self, hint: &str, elem: Ty) -> VarId {
        let t = self.f.temp(elem, Span::call_site());
        self.f.vars[t.0].name = format!("{hint}_tape");
        self.f.vars[t.0].mutable = true;
        self.tape_decls.push(Stmt::Let {
            pat: Pat::Var(t),
            init: Some(Op::TapeNew(self.capacity)),
            span: Span::call_site(),
        });
        t
    }

    /// The tape recording values of `v` of the given kind.
    fn tape(&mut self, v: VarId, kind: TapeKind) -> VarId {
        if let Some(t) = self.tapes.get(&(v, kind)) {
            return *t;
        }
        let suffix = match kind {
            TapeKind::Value => "",
            TapeKind::Elem(_) => "_elem",
            TapeKind::Buffer => "_buf",
        };
        let t = self.new_tape("", Ty::Unknown);
        if kind == TapeKind::Value && holds_vec(&self.f.info(v).ty) {
            // A `Vec` is not `Copy`: it is recorded by move (`owned`).
            self.tape_decls.pop();
            self.tape_decls.push(Stmt::Let {
                pat: Pat::Var(t),
                init: Some(Op::TapeNewOwned),
                span: Span::call_site(),
            });
        } else if self.records_arrays(v, kind) {
            // `[T; N]: Default` stops at N = 32, and inline storage of big
            // arrays would crowd the stack: arrays go straight to the heap.
            self.tape_decls.pop();
            self.tape_decls.push(Stmt::Let {
                pat: Pat::Var(t),
                init: Some(Op::TapeNew(0)),
                span: Span::call_site(),
            });
        }
        let info = &mut self.f.vars[t.0];
        // Named after the variable's final name by `names.rs`.
        info.origin = Origin::Tape(v);
        info.name = suffix.to_owned();
        self.tapes.insert((v, kind), t);
        t
    }

    /// Whether the values recorded for `v` (of this kind) are arrays.
    fn records_arrays(&self, v: VarId, kind: TapeKind) -> bool {
        let mut ty = self.f.info(v).ty.clone();
        let layers = match kind {
            TapeKind::Value => 0,
            TapeKind::Elem(n) => n,
            TapeKind::Buffer => 1,
        };
        for _ in 0..layers {
            ty = match ty {
                Ty::Ref(_, t) => match *t {
                    Ty::Array(e) | Ty::Slice(e) | Ty::Vec(e) => *e,
                    _ => return false,
                },
                Ty::Array(e) | Ty::Slice(e) | Ty::Vec(e) => *e,
                _ => return false,
            };
        }
        matches!(ty, Ty::Array(_))
    }

    /// The tape of a branch flag for statement `s`.
    fn site_tape(&mut self, s: StmtId) -> VarId {
        if let Some(t) = self.site_tapes.get(&s) {
            return *t;
        }
        let t = self.new_tape("branch", Ty::Bool);
        self.site_tapes.insert(s, t);
        t
    }

    fn temp(&mut self, op: Op, out: &mut Block) -> Atom {
        let ty = crate::typing::op_ty(&self.f, &op);
        let v = self.f.temp(ty, Span::call_site());
        out.push(Stmt::Let {
            pat: Pat::Var(v),
            init: Some(op),
            span: Span::call_site(),
        });
        Atom::Var(v)
    }

    // ---- scopes of the reverse sweep ------------------------------------

    fn push_scope(&mut self) {
        self.copies.push(HashMap::new());
        self.bars.push(HashMap::new());
    }

    fn pop_scope(&mut self) {
        self.copies.pop();
        self.bars.pop();
    }

    /// The variable standing for primal `v` in the current reverse scope.
    fn sub(&self, v: VarId) -> VarId {
        self.copies
            .iter()
            .rev()
            .find_map(|m| m.get(&v).copied())
            .unwrap_or(v)
    }

    fn sub_atom(&self, a: &Atom) -> Atom {
        match a {
            Atom::Var(v) => Atom::Var(self.sub(*v)),
            c => c.clone(),
        }
    }

    fn sub_place(&self, p: &Place) -> Place {
        Place {
            base: self.sub(p.base),
            proj: p
                .proj
                .iter()
                .map(|x| x.map_atoms(&|a| self.sub_atom(a)))
                .collect(),
        }
    }

    fn sub_op(&self, op: &Op) -> Op {
        let mut op = op.clone();
        crate::ir::map_op(&mut op, &|a| self.sub_atom(a), &|p| self.sub_place(p));
        op
    }

    /// A fresh stand-in for primal `v` in the current scope.
    fn copy_of(&mut self, v: VarId, mutable: bool) -> VarId {
        let info = self.f.info(v).clone();
        // The copy keeps the user's type annotation: recomputed literals
        // (`[0.25, -0.5]`) need it to have a type.
        let c = self.f.new_var(VarInfo {
            origin: Origin::Copy(v),
            mutable,
            ..info
        });
        if let Some(m) = self.copies.last_mut() {
            m.insert(v, c);
        }
        c
    }

    fn bar(&self, v: VarId) -> Option<VarId> {
        self.bars.iter().rev().find_map(|m| m.get(&v).copied())
    }

    /// Declares the adjoint of primal `v` (zero) in the current scope.
    fn declare_bar(&mut self, v: VarId, out: &mut Block) {
        let info = self.f.info(v).clone();
        let b = self.f.new_var(VarInfo {
            name: String::new(),
            origin: Origin::Adjoint(v),
            mutable: true,
            declared: None,
            ..info.clone()
        });
        let init = match info.ty {
            Ty::Float(_) => Op::Use(Atom::float(0.0)),
            _ => Op::ZeroLike(Atom::Var(self.sub(v))),
        };
        out.push(Stmt::Let {
            pat: Pat::Var(b),
            init: Some(init),
            span: Span::call_site(),
        });
        if let Some(m) = self.bars.last_mut() {
            m.insert(v, b);
        }
    }

    /// The adjoint place matching primal place `p`.
    fn bar_place(&self, p: &Place) -> Option<Place> {
        let b = self.bar(p.base)?;
        let primal_is_ref = matches!(self.f.info(p.base).ty, Ty::Ref(..));
        let bar_is_ref = self.bar_is_ref.contains(&b);
        let mut proj: Vec<Proj> = self.sub_place(p).proj;
        match (bar_is_ref, primal_is_ref) {
            (true, false) => proj.insert(0, Proj::Deref),
            (false, true) if matches!(proj.first(), Some(Proj::Deref)) => {
                proj.remove(0);
            }
            _ => {}
        }
        Some(Place { base: b, proj })
    }

    /// `&mut` to the adjoint of a whole variable, for a callee's adjoint argument.
    fn bar_arg_place(&self, v: VarId) -> Option<Place> {
        let b = self.bar(v)?;
        // `&mut *v_bar` reborrows a `&mut` adjoint parameter; an owned
        // adjoint is passed as `&mut v_bar`.
        let proj = if self.bar_is_ref.contains(&b) {
            vec![Proj::Deref]
        } else {
            Vec::new()
        };
        Some(Place { base: b, proj })
    }

    // ---- signature and epilogue -----------------------------------------

    fn signature(&mut self, src: &Func, kind: Kind) -> (Vec<Param>, Block) {
        let grad = kind == Kind::Grad;
        let mut params = Vec::new();
        let mut body = Vec::new();
        for p in &src.params {
            params.push(p.clone());
            if !p.role.is_wrt() {
                continue;
            }
            let info = self.f.info(p.var).clone();
            let kind_ty = info.ty.clone();
            let b = self.f.new_var(VarInfo {
                name: String::new(),
                origin: Origin::Adjoint(p.var),
                mutable: grad,
                declared: None,
                ..info
            });
            self.bars[0].insert(p.var, b);
            if grad {
                // `f_grad` owns its adjoints: zeros shaped like the parameter.
                let init = convention::gradient_zero(&kind_ty, p.var);
                body.push(Stmt::Let {
                    pat: Pat::Var(b),
                    init: Some(init),
                    span: Span::call_site(),
                });
            } else {
                self.bar_is_ref.insert(b);
                params.push(Param {
                    var: b,
                    ty: convention::adjoint_type(&p.ty),
                    role: Role::Derived,
                });
            }
        }
        if let (false, Some(ret)) = (grad, &src.ret) {
            let ob = self.f.temp(Ty::from_syn(ret), Span::call_site());
            self.f.vars[ob.0].name = convention::COTANGENT.into();
            params.push(Param {
                var: ob,
                ty: ret.clone(),
                role: Role::Derived,
            });
            self.out_bar = Atom::Var(ob);
        }
        (params, body)
    }

    fn epilogue(&mut self, src: &Func, kind: Kind) -> Block {
        let value = match self.result {
            Some(r) => Atom::Var(r),
            None => Atom::Const(crate::ir::Const::Unit),
        };
        if kind != Kind::Grad {
            return if src.ret.is_some() {
                vec![Stmt::Return(Some(Op::Use(value)))]
            } else {
                Vec::new()
            };
        }
        let grads: Vec<Atom> = src
            .params
            .iter()
            .filter(|p| p.role.is_wrt())
            .filter_map(|p| self.bars[0].get(&p.var).map(|b| Atom::Var(*b)))
            .collect();
        let mut out = Vec::new();
        let grad = if grads.len() == 1 {
            grads[0].clone()
        } else {
            self.temp(Op::Tuple(grads), &mut out)
        };
        out.push(Stmt::Return(Some(Op::Tuple(vec![value, grad]))));
        out
    }
}

/// Whether values of `t` own a heap buffer (so are not `Copy`): such a
/// value is recorded by move, when its block is left, and a move out of it
/// that the reverse sweep would miss takes a clone.
pub(super) fn holds_vec(t: &Ty) -> bool {
    match t {
        Ty::Vec(_) | Ty::La(_) => true,
        Ty::Array(e) => holds_vec(e),
        Ty::Tuple(es) => es.iter().any(holds_vec),
        _ => false,
    }
}

/// Whether a loop body contains a `break` of a nested loop that jumps past
/// this loop (which would make "the last iteration broke" ambiguous).
fn breaks_from_nested(body: &Block) -> bool {
    fn walk(b: &Block, depth: usize) -> bool {
        b.iter().any(|s| match s {
            Stmt::Break(Some(_)) | Stmt::Continue(Some(_)) => depth > 0,
            Stmt::Return(_) => depth > 0,
            Stmt::If { then, els, .. } => walk(then, depth) || walk(els, depth),
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => walk(body, depth + 1),
            _ => false,
        })
    }
    walk(body, 0)
}

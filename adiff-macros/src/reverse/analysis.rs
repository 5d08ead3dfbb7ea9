//! Analyses for reverse mode: what each block writes, which loop exits
//! exist, which values the reverse sweep reads (the to-be-recorded
//! analysis), and how each of those values is made available there.

use std::collections::{HashMap, HashSet};

use crate::activity::{mut_arg_bases, Activity};
use crate::ir::{op_reads, Arg, Atom, Block, Func, Op, Pat, Place, Stmt, StmtId, StmtIds, VarId};
use crate::rules;
use crate::ty::Ty;

/// Whether a statement cannot complete normally.
pub fn diverges(s: &Stmt) -> bool {
    match s {
        Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(_) => true,
        Stmt::If { then, els, .. } => {
            then.last().is_some_and(diverges) && els.last().is_some_and(diverges)
        }
        _ => false,
    }
}

/// Whether `s` is, or contains, the statement `e`.
pub fn contains(ids: &StmtIds, s: &Stmt, e: StmtId) -> bool {
    if ids.of(s) == e {
        return true;
    }
    match s {
        Stmt::If { then, els, .. } => then.iter().chain(els).any(|x| contains(ids, x, e)),
        Stmt::For { body, .. } | Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
            body.iter().any(|x| contains(ids, x, e))
        }
        _ => false,
    }
}

/// The statements that end an iteration of loop `l` (whose label is
/// `label`): `continue`/`break` targeting it, jumps to outer loops, and
/// `return`. Nested loops' own `break`/`continue` are not among them.
pub fn loop_exits(ids: &StmtIds, body: &Block, label: Option<&str>) -> Vec<StmtId> {
    let mut out = Vec::new();
    walk_exits(ids, body, label, &mut Vec::new(), &mut out);
    out
}

fn walk_exits(
    ids: &StmtIds,
    b: &Block,
    label: Option<&str>,
    inner: &mut Vec<Option<String>>,
    out: &mut Vec<StmtId>,
) {
    for s in b {
        match s {
            Stmt::Break(l) | Stmt::Continue(l) => {
                let targets_inner = match l {
                    None => !inner.is_empty(),
                    Some(l) => {
                        inner
                            .iter()
                            .any(|x| x.as_deref() == Some(&l.ident.to_string()))
                            && label != Some(&l.ident.to_string())
                    }
                };
                if !targets_inner {
                    out.push(ids.of(s));
                }
            }
            Stmt::Return(_) => out.push(ids.of(s)),
            Stmt::If { then, els, .. } => {
                walk_exits(ids, then, label, inner, out);
                walk_exits(ids, els, label, inner, out);
            }
            Stmt::For { body, label: l, .. } | Stmt::Loop { body, label: l, .. } => {
                inner.push(l.as_ref().map(|l| l.ident.to_string()));
                walk_exits(ids, body, label, inner, out);
                inner.pop();
            }
            _ => {}
        }
    }
}

/// Where a statement is: its rank in textual (pre-)order, and the loops
/// around it.
#[derive(Clone, Default)]
struct Position {
    rank: usize,
    loops: Vec<StmtId>,
}

/// What the reverse sweep needs from the forward sweep (the to-be-recorded
/// analysis).
pub struct Needs<'a> {
    pub func: &'a Func,
    /// The numbering of `func`'s statements, which every fact about a
    /// statement is keyed by.
    pub ids: StmtIds<'a>,
    pub act: &'a Activity,
    pub single: &'a HashSet<VarId>,
    /// Primal variables whose values the reverse sweep reads.
    pub needed: HashSet<VarId>,
    /// Where each needed variable is read (the statements whose reverse
    /// reads it), summarised for [`Needs::restore`].
    reads: HashMap<VarId, ReadSites>,
    positions: HashMap<StmtId, Position>,
    /// The loops around each local's declaration.
    decl_loops: HashMap<VarId, Vec<StmtId>>,
    pub n_primal: usize,
    /// The to-be-recorded analysis switched off: every write to a needed
    /// variable is undone, wherever its reads are, and every needed local is
    /// recorded rather than recomputed (tests check results do not change).
    pub record_all: bool,
}

type Reads = Vec<(VarId, StmtId)>;

/// The statements whose reverse reads one variable, with what
/// [`Needs::restore`] asks of them kept up to date as sites are added:
/// the earliest rank, and every loop around any of them. Asking the
/// summary instead of walking the sites keeps the analysis linear in the
/// number of statements (a variable updated throughout a long function
/// has a read site per update).
#[derive(Default)]
struct ReadSites {
    sites: HashSet<StmtId>,
    first_rank: usize,
    loops: HashSet<StmtId>,
}

impl ReadSites {
    fn add(&mut self, at: StmtId, pos: Option<&Position>) {
        let (rank, loops) = pos.map_or((0, &[][..]), |p| (p.rank, &p.loops[..]));
        if self.sites.is_empty() || rank < self.first_rank {
            self.first_rank = rank;
        }
        self.sites.insert(at);
        self.loops.extend(loops.iter().copied());
    }
}

impl<'a> Needs<'a> {
    pub fn compute(
        func: &'a Func,
        act: &'a Activity,
        single: &'a HashSet<VarId>,
        record_all: bool,
        forced: &[(VarId, &'a Stmt)],
    ) -> Self {
        let ids = StmtIds::number(func);
        let mut positions = HashMap::new();
        let mut decl_loops = HashMap::new();
        number(
            &ids,
            &func.body,
            &mut Vec::new(),
            &mut 0,
            &mut positions,
            &mut decl_loops,
        );
        let mut n = Needs {
            func,
            ids,
            act,
            single,
            needed: HashSet::new(),
            reads: HashMap::new(),
            positions,
            decl_loops,
            n_primal: func.vars.len(),
            record_all,
        };
        // Values a statement's reverse reads beyond what its derivative
        // rules say (a checkpointed loop replays its iterations there).
        for (v, s) in forced {
            let at = n.ids.of(s);
            n.needed.insert(*v);
            n.reads.entry(*v).or_default().add(at, n.positions.get(&at));
        }
        loop {
            let mut add = Vec::new();
            n.block(&func.body, &mut add);
            let mut added = 0;
            for (v, at) in add {
                n.needed.insert(v);
                let r = n.reads.entry(v).or_default();
                if !r.sites.contains(&at) {
                    r.add(at, n.positions.get(&at));
                    added += 1;
                }
            }
            if added == 0 {
                break;
            }
        }
        n
    }

    pub fn active(&self, v: VarId) -> bool {
        v.0 < self.n_primal && self.act.is_active(v)
    }

    pub fn active_atom(&self, a: &Atom) -> bool {
        a.var().is_some_and(|v| self.active(v))
    }

    /// Whether the write to `v` at statement `at` must be undone in the
    /// reverse sweep: some read of `v` by the reverse sweep happens, in the
    /// forward order, before it: textually earlier, or in a loop shared
    /// with the write. Loops around `v`'s own declaration do not count: each
    /// of their iterations makes a fresh `v`, recorded when its block ends.
    pub fn restore(&self, v: VarId, at: StmtId) -> bool {
        if self.single.contains(&v) {
            return false;
        }
        if self.record_all {
            // Position ignored: every write of a needed variable is undone.
            return self.needed.contains(&v);
        }
        let Some(reads) = self.reads.get(&v) else {
            return false;
        };
        let (rank, loops) = self
            .positions
            .get(&at)
            .map_or((0, &[][..]), |p| (p.rank, &p.loops[..]));
        let outer = self.decl_loops.get(&v).map_or(&[][..], |l| &l[..]);
        // Some read is earlier, or shares a loop with the write that is not
        // around `v`'s declaration.
        reads.first_rank < rank
            || loops
                .iter()
                .any(|l| reads.loops.contains(l) && !outer.contains(l))
    }

    /// Whether a call storing its result in `dst` needs its derivative:
    /// an argument is active, and so is something the call writes (its
    /// result or a `&mut` argument).
    pub fn call_active(&self, op: &Op, dst: Option<VarId>) -> bool {
        match op {
            Op::Call(c, args) if !c.opaque => {
                let arg_active = args.iter().any(|a| match a {
                    Arg::Value(x) => self.active_atom(x),
                    Arg::Ref(p) | Arg::RefMut(p) => self.active(p.base),
                    Arg::ZeroOf(_) | Arg::MutZeroOf(_) => false,
                });
                let writes_active = dst.is_some_and(|d| self.active(d))
                    || mut_arg_bases(self.func, args)
                        .iter()
                        .any(|b| self.active(*b));
                arg_active && writes_active
            }
            _ => false,
        }
    }

    /// Whether a call at `at` has a reverse (it is active, or its `&mut`
    /// arguments need their old contents restored).
    pub fn call_records(&self, op: &Op, dst: Option<VarId>, at: StmtId) -> bool {
        match op {
            Op::Call(_, args) => {
                self.call_active(op, dst)
                    || mut_arg_bases(self.func, args)
                        .iter()
                        .any(|b| self.restore(*b, at))
            }
            _ => false,
        }
    }

    /// Whether local `v = op` of `region` is recomputed rather than recorded.
    pub fn recompute(&self, v: VarId, op: &Op, region: &[Stmt], written: &HashSet<VarId>) -> bool {
        !self.record_all && recomputable(self.func, v, op, region, written)
    }

    /// Whether the reverse sweep has anything to do for `s`.
    pub fn has_rev(&self, s: &Stmt) -> bool {
        let at = self.ids.of(s);
        match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(op),
                ..
            } => self.active(*v) || self.call_records(op, Some(*v), at),
            Stmt::Assign { place, op, .. } => {
                self.active(place.base)
                    || self.restore(place.base, at)
                    || self.call_records(op, Some(place.base), at)
            }
            Stmt::Eval {
                op: Op::Grow(p) | Op::Shrink(p),
                ..
            } => self.active(p.base) || self.restore(p.base, at),
            Stmt::Eval { op, .. } => self.call_records(op, None, at),
            // A `return` of an active value seeds its adjoint with `out_bar`,
            // so the loops and branches around it must be reversed.
            Stmt::Return(Some(Op::Use(a))) => self.active_atom(a),
            Stmt::If { then, els, .. } => then.iter().chain(els).any(|s| self.has_rev(s)),
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => {
                body.iter().any(|s| self.has_rev(s))
            }
            _ => false,
        }
    }

    fn block(&self, b: &[Stmt], add: &mut Reads) {
        let written = crate::ir::written(b);
        for s in b {
            self.stmt(s, &written, b, add);
        }
    }

    fn stmt(&self, s: &Stmt, region_written: &HashSet<VarId>, region: &[Stmt], add: &mut Reads) {
        let at = self.ids.of(s);
        let put = |vs: Vec<VarId>, add: &mut Reads| add.extend(vs.into_iter().map(|v| (v, at)));
        match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(op),
                ..
            } => {
                if self.call_records(op, Some(*v), at) {
                    put(op_reads(op), add);
                } else if self.active(*v) {
                    put(self.rule_reads(op, &Atom::Var(*v)), add);
                }
                // A zero adjoint of a non-scalar (or unknown) type is shaped
                // like the value itself.
                if (self.active(*v) || self.call_records(op, Some(*v), at))
                    && !matches!(self.func.info(*v).ty, Ty::Float(_))
                {
                    put(vec![*v], add);
                }
                // A needed local that is recomputed needs its operands.
                if self.needed.contains(v) && self.recompute(*v, op, region, region_written) {
                    put(op_reads(op), add);
                }
            }
            Stmt::Assign { place, op, .. } => {
                let base_active = self.active(place.base);
                if self.call_records(op, Some(place.base), at) {
                    put(op_reads(op), add);
                } else if base_active {
                    put(self.rule_reads(op, &Atom::Var(place.base)), add);
                }
                if base_active || self.restore(place.base, at) {
                    put(place_index_vars(place), add);
                }
            }
            Stmt::Eval { op, .. } if self.call_records(op, None, at) => put(op_reads(op), add),
            Stmt::If { cond, then, els } => {
                if self.has_rev(s) {
                    put(cond.var().into_iter().collect(), add);
                }
                self.block(then, add);
                self.block(els, add);
            }
            Stmt::For { range, body, .. } => {
                if self.has_rev(s) {
                    let mut vs: Vec<VarId> = [&range.start, &range.end]
                        .into_iter()
                        .filter_map(Atom::var)
                        .collect();
                    for ad in &range.adapters {
                        if let Some(a) = ad.arg() {
                            vs.extend(a.var());
                        }
                    }
                    put(vs, add);
                }
                self.block(body, add);
            }
            Stmt::Loop { body, .. } => self.block(body, add),
            _ => {}
        }
    }

    /// The primal variables the adjoint of `result = op` reads.
    pub fn rule_reads(&self, op: &Op, result: &Atom) -> Vec<VarId> {
        rules::adjoint_reads(op, result, |a| self.active_atom(a), self.func)
    }
}

/// Numbers statements in textual order and records the loops around each
/// statement and around each local's declaration.
fn number(
    ids: &StmtIds,
    b: &[Stmt],
    loops: &mut Vec<StmtId>,
    next: &mut usize,
    out: &mut HashMap<StmtId, Position>,
    decls: &mut HashMap<VarId, Vec<StmtId>>,
) {
    for s in b {
        out.insert(
            ids.of(s),
            Position {
                rank: *next,
                loops: loops.clone(),
            },
        );
        *next += 1;
        match s {
            Stmt::Let {
                pat: Pat::Var(v), ..
            } => {
                decls.insert(*v, loops.clone());
            }
            Stmt::If { then, els, .. } => {
                number(ids, then, loops, next, out, decls);
                number(ids, els, loops, next, out, decls);
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => {
                loops.push(ids.of(s));
                number(ids, body, loops, next, out, decls);
                loops.pop();
            }
            _ => {}
        }
    }
}

pub fn place_index_vars(p: &Place) -> Vec<VarId> {
    let mut out = Vec::new();
    crate::ir::place_atoms(p, &mut |a| out.extend(a.var()));
    out
}

/// Whether local `v = op` of `region` can be recomputed at the start of the
/// region's reverse sweep instead of being recorded: it is never written
/// again in the region, and its operands hold the same values at the end of
/// the region as when it was defined.
pub fn recomputable(
    func: &Func,
    v: VarId,
    op: &Op,
    region: &[Stmt],
    region_written: &HashSet<VarId>,
) -> bool {
    if region_written.contains(&v) {
        return false;
    }
    match op {
        Op::Call(..)
        | Op::TapePop(_)
        | Op::TapePeek(..)
        | Op::Ck(..)
        | Op::TapeNew(_)
        | Op::TapeNewOwned
        | Op::Default
        | Op::VecRepeat(..)
        | Op::VecList(_)
        // A matrix product or map costs as much as the adjoint that reads
        // it: recording it (by move) is cheaper than computing it again.
        | Op::La(..) => return false,
        // Rebuilding it would move the `Vec`, which the reverse sweep reads.
        Op::Tuple(xs) | Op::Array(xs)
            if xs
                .iter()
                .any(|a| super::holds_vec(&crate::typing::atom_ty(func, a))) =>
        {
            return false
        }
        _ => {}
    }
    // An operand must not be written again in the region. A local of the
    // same region is then recorded or recomputed itself; any other operand
    // must also be of a type the sweep can hold a copy of. The region is
    // searched only for such rare operands, so that asking about every
    // statement of a long block stays linear.
    op_reads(op).into_iter().all(|u| {
        !region_written.contains(&u)
            && (!matches!(func.info(u).ty, Ty::Other | Ty::Opaque) || declares(region, u))
    })
}

/// Whether `b` declares `v` directly.
fn declares(b: &[Stmt], v: VarId) -> bool {
    b.iter()
        .any(|s| matches!(s, Stmt::Let { pat: Pat::Var(d), .. } if *d == v))
}

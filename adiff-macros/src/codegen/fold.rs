//! Single-use temporaries folded back into the expression that uses them.
//!
//! The IR is in A-normal form: every operation has its own `let`. Printed
//! as is, `c = (d * d + 1.0).sqrt() * 0.01 + c` becomes five statements,
//! and a derivative is ten times the size of its function (issue 18): slow
//! for rustc to check and hard to read. Codegen therefore prints a
//! temporary that is read exactly once, by a later statement of the same
//! block, in place of that read, with parentheses only where Rust's
//! precedence needs them (see [`Prec`]).
//!
//! Moving an operation later is exact only when nothing between its `let`
//! and its use can change what it computes or observe that it moved. So a
//! temporary folds only when
//! - it is a scalar (float, integer, `bool`) written by nothing but its
//!   `let`, with no declared type;
//! - its operation is pure arithmetic, a comparison, a cast, an elementary
//!   function, a selection or a load (no calls, no methods, no tape
//!   operations);
//! - the statements in between are straight-line and call nothing, write no
//!   variable the (folded) operation reads, and declare no name it reads;
//! - the using statement writes such a variable only as a plain variable
//!   target (`c = t4` with `t4 = t3 + c`: the right side runs first);
//! - it is used as a method receiver only if its type is anchored by a
//!   typed operand (`(if c { 1.0 } else { 0.0 }).sqrt()` would not compile).
//!
//! The decisions are made once, before any tokens; the tokens of a folded
//! operation are made where it is used.

use std::collections::{HashMap, HashSet};

use crate::ir::{written, Atom, Block, Func, Op, Origin, Pat, Stmt, VarId};
use crate::names::Names;
use crate::ty::Ty;

/// How far after its `let` a temporary's use is looked for: keeps the plan
/// linear in the function's length.
const WINDOW: usize = 32;

/// Binding strength of a printed expression, as in Rust's precedence table:
/// an operand is parenthesised when it binds more loosely than its position
/// needs.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Prec {
    /// `if c { a } else { b }`: parenthesised in every operand position.
    Select,
    Compare,
    BitOr,
    BitXor,
    BitAnd,
    Shift,
    Sum,
    Product,
    Cast,
    Unary,
    /// Names, literals, calls, method calls, indexing.
    Primary,
}

/// The temporaries to fold, each with the operation that replaces its one
/// read.
#[derive(Default)]
pub struct Folds {
    ops: HashMap<VarId, (Op, proc_macro2::Span)>,
}

impl Folds {
    /// The operation to print in place of a read of `v`, if `v` is folded.
    pub fn get(&self, v: VarId) -> Option<&(Op, proc_macro2::Span)> {
        self.ops.get(&v)
    }

    /// Whether `s` is the `let` of a folded temporary (printed as nothing).
    pub fn is_folded_let(&self, s: &Stmt) -> bool {
        matches!(s, Stmt::Let { pat: Pat::Var(v), init: Some(_), .. } if self.ops.contains_key(v))
    }
}

/// Decides which temporaries of `func` fold.
pub fn plan(func: &Func, mutated: &HashSet<VarId>, names: &Names) -> Folds {
    let mut p = Planner {
        func,
        mutated,
        names,
        counts: printed_reads(&func.body),
        reads: HashMap::new(),
        anchored: HashMap::new(),
        folds: Folds::default(),
    };
    p.block(&func.body);
    p.folds
}

struct Planner<'a> {
    func: &'a Func,
    mutated: &'a HashSet<VarId>,
    names: &'a Names,
    counts: HashMap<VarId, usize>,
    /// What each folded temporary's printed expression reads, through the
    /// temporaries folded into it.
    reads: HashMap<VarId, HashSet<VarId>>,
    /// Whether each folded temporary's expression has a typed operand.
    anchored: HashMap<VarId, bool>,
    folds: Folds,
}

impl Planner<'_> {
    fn block(&mut self, b: &Block) {
        for (i, s) in b.iter().enumerate() {
            for inner in s.blocks() {
                self.block(inner);
            }
            if let Stmt::Let {
                pat: Pat::Var(t),
                init: Some(op),
                span,
            } = s
            {
                if self.is_alias(*t, op) {
                    let Some(y) = op.copy_of() else { continue };
                    self.reads.insert(*t, HashSet::from([y]));
                    self.folds.ops.insert(*t, (op.clone(), *span));
                } else if self.candidate(*t, op) {
                    self.try_fold(b, i, *t, op, *span);
                }
            }
        }
    }

    /// Whether `t` is a copy of a variable `y` that nothing writes (`let
    /// t7_bar = out_bar;`): every read of `t`, however many, then prints
    /// as `y`. Names are unique wherever scopes overlap (see `names`), so
    /// `y` names the same variable at each of `t`'s reads.
    fn is_alias(&self, t: VarId, op: &Op) -> bool {
        let Some(y) = op.copy_of() else {
            return false;
        };
        let y = &y;
        let scalar = |v: VarId| matches!(self.func.info(v).ty, Ty::Float(_) | Ty::Int | Ty::Bool);
        self.generated(t)
            && scalar(t)
            && scalar(*y)
            && self.func.info(t).declared.is_none()
            && !self.mutated.contains(&t)
            && !self.mutated.contains(y)
            // A folded `y` would be printed at every read of `t`.
            && self.folds.get(*y).is_none()
    }

    /// Temporaries, and the tangents and adjoints of temporaries: names
    /// the user never wrote.
    fn generated(&self, t: VarId) -> bool {
        generated_temp(self.func, t)
    }

    /// Whether `t` (bound to `op`) may fold, wherever its use is.
    fn candidate(&self, t: VarId, op: &Op) -> bool {
        let info = self.func.info(t);
        self.generated(t)
            && matches!(info.ty, Ty::Float(_) | Ty::Int | Ty::Bool)
            && info.declared.is_none()
            && !self.mutated.contains(&t)
            && self.counts.get(&t) == Some(&1)
            && pure(op)
    }

    fn try_fold(&mut self, b: &Block, i: usize, t: VarId, op: &Op, span: proc_macro2::Span) {
        let reads = self.reads_of(op);
        let read_names: HashSet<String> = reads.iter().map(|v| self.names.get(*v)).collect();
        for k in (i + 1..b.len()).take(WINDOW) {
            let s = &b[k];
            if reads_top(s, t) {
                if self.use_ok(s, t, op, &reads) {
                    let anchored = self.anchored_op(op);
                    self.reads.insert(t, reads);
                    self.anchored.insert(t, anchored);
                    self.folds.ops.insert(t, (op.clone(), span));
                }
                return;
            }
            if !self.passable(s, &reads, &read_names) {
                return;
            }
        }
    }

    /// Whether the operation may move past `s`.
    fn passable(&self, s: &Stmt, reads: &HashSet<VarId>, read_names: &HashSet<String>) -> bool {
        let straight = match s {
            Stmt::Let { init, pat, .. } => {
                let declared = match pat {
                    Pat::Var(v) => vec![*v],
                    Pat::Tuple(vs) => vs.iter().flatten().copied().collect(),
                };
                if declared
                    .iter()
                    .any(|v| read_names.contains(&self.names.get(*v)))
                {
                    return false;
                }
                init.as_ref().is_none_or(calls_nothing_unknown)
            }
            Stmt::Assign { op, .. } | Stmt::Accum { op, .. } | Stmt::Eval { op, .. } => {
                calls_nothing_unknown(op)
            }
            Stmt::TapePush { .. } => true,
            _ => false,
        };
        straight && written(std::slice::from_ref(s)).is_disjoint(reads)
    }

    /// Whether `t`'s operation may be printed inside `s`, its one reader.
    fn use_ok(&self, s: &Stmt, t: VarId, op: &Op, reads: &HashSet<VarId>) -> bool {
        let writes = written(std::slice::from_ref(s));
        if !writes.is_disjoint(reads) {
            // Only a plain variable target is written after its right side
            // is evaluated; a `&mut` argument or a method receiver is
            // borrowed before the other arguments are.
            let plain = match s {
                Stmt::Let { init: Some(o), .. } => calls_nothing(o),
                Stmt::Assign { place, op, .. } | Stmt::Accum { place, op, .. } => {
                    place.proj.is_empty() && calls_nothing(op)
                }
                _ => false,
            };
            if !plain {
                return false;
            }
        }
        // `!(m >= 2.0)` (a `while` condition) is what clippy's
        // `neg_cmp_op_on_partial_ord` rejects: keep the comparison named.
        if let (Some(Op::Unary(crate::ir::UnOp::Not, _)), Op::Bin(b, ..)) = (s.op(), op) {
            if b.is_comparison() {
                return false;
            }
        }
        let receiver = match s.op() {
            Some(Op::Elem(_, args, _)) => matches!(args.first(), Some(Atom::Var(v)) if *v == t),
            Some(Op::Method(Atom::Var(v), ..)) => *v == t,
            _ => false,
        };
        !receiver || self.anchored_op(op)
    }

    /// Every variable `op`'s printed expression reads.
    fn reads_of(&self, op: &Op) -> HashSet<VarId> {
        let mut out = HashSet::new();
        for v in crate::ir::op_reads(op) {
            match self.reads.get(&v) {
                Some(inner) => out.extend(inner.iter().copied()),
                None => {
                    out.insert(v);
                }
            }
        }
        out
    }

    /// Whether `op`'s type is fixed by one of its operands (a variable, or
    /// a folded expression that is itself anchored), rather than being an
    /// unsuffixed literal's `{float}`.
    fn anchored_op(&self, op: &Op) -> bool {
        let atom = |a: &Atom| match a {
            Atom::Var(v) => self.anchored.get(v).copied().unwrap_or(true),
            Atom::Const(_) => false,
        };
        match op {
            Op::Use(a) | Op::Unary(_, a) => atom(a),
            Op::Bin(_, x, y) => atom(x) || atom(y),
            Op::Select(_, x, y) => atom(x) || atom(y),
            Op::Lin(terms) => terms.iter().any(|t| {
                atom(&t.value)
                    || t.scale.mul.as_ref().is_some_and(atom)
                    || t.scale.div.as_ref().is_some_and(atom)
            }),
            _ => true,
        }
    }
}

/// How many times each variable's name is printed as an operand: its
/// reads, less the second of two equal terms, which codegen prints once
/// (see `ir::doubled`).
fn printed_reads(body: &Block) -> HashMap<VarId, usize> {
    let mut counts = crate::usage::read_counts(body);
    crate::ir::for_each_stmt(body, &mut |s| {
        if let Some(Op::Lin(terms)) = s.op() {
            if crate::ir::doubled(terms) {
                let t = &terms[1];
                for a in std::iter::once(&t.value)
                    .chain(&t.scale.mul)
                    .chain(&t.scale.div)
                {
                    if let Some(n) = a.var().and_then(|v| counts.get_mut(&v)) {
                        *n -= 1;
                    }
                }
            }
        }
    });
    counts
}

/// Temporaries, their copies in the reverse sweep (recomputations), and
/// the tangents and adjoints of temporaries.
pub fn generated_temp(func: &Func, t: VarId) -> bool {
    match func.info(t).origin {
        Origin::Temp => true,
        Origin::Tangent(v) | Origin::Adjoint(v) | Origin::Copy(v) => generated_temp(func, v),
        Origin::User | Origin::Tape(_) => false,
    }
}

/// Operations that compute a value from their operands and nothing else.
fn pure(op: &Op) -> bool {
    match op {
        Op::Use(_)
        | Op::Bin(..)
        | Op::Unary(..)
        | Op::Cast(..)
        | Op::CastPrec(..)
        | Op::Elem(..)
        | Op::Select(..)
        | Op::Lin(_)
        | Op::InRange { .. }
        | Op::Len(_) => true,
        Op::Load(p) => p
            .proj
            .iter()
            .all(|p| !matches!(p, crate::ir::Proj::Slice(_))),
        _ => false,
    }
}

fn calls_nothing(op: &Op) -> bool {
    !matches!(
        op,
        Op::Call(..) | Op::Method(..) | Op::TapePop(_) | Op::Grow(_) | Op::Shrink(_) | Op::Ck(..)
    )
}

/// Whether `op` calls no user code (whose effects are unknown); tape and
/// buffer operations write only their base, which the caller checks.
fn calls_nothing_unknown(op: &Op) -> bool {
    !matches!(op, Op::Call(..) | Op::Method(..))
}

/// Whether `s` itself (not a block inside it) reads `t`.
fn reads_top(s: &Stmt, t: VarId) -> bool {
    let mut found = false;
    crate::usage::stmt_reads(s, &mut |v| found |= v == t);
    found
}

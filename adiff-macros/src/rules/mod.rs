//! The derivative rules: how derivatives pass through each IR operation.
//! Forward mode, reverse mode, the activity analysis and reverse mode's
//! to-be-recorded analysis all read them, so an operation's derivative is
//! known in one place.
//!
//! [`rule`] sorts every operation into one kind of [`Rule`]:
//!
//! - **Scalar** operations (arithmetic, negation, elementary functions)
//!   have a partial derivative with respect to each argument, as a
//!   [`Scale`] over primal atoms, perhaps after helper statements appended
//!   through [`Emit`] (`cos a` for `sin`). Forward mode forms
//!   `r_dot = Σ scale_i · a_i_dot`; reverse mode forms
//!   `a_i_bar += scale_i · r_bar`. [`Scalar::partials`] is the one entry
//!   point: it keeps the arguments that are differentiable and active, and
//!   dispatches to `arith` and `elem`.
//! - **Structural** operations move values without arithmetic (copy, float
//!   cast, load, reference, tuple/array/`Vec` construction, repeat, select).
//!   The derivative of the result is the same structure over the operands'
//!   derivatives: [`tangent_of`] builds it in forward mode, and reverse mode
//!   sends each part of the seed back to the operand it came from.
//! - Everything else (comparisons, integer casts, lengths, tapes, ...)
//!   carries no derivative. Calls are the callee's business.
//!
//! Conventions at non-smooth points: `abs` has derivative 0 at 0, and
//! `hypot` at the origin; `max(a, b)` follows `a` when `a >= b`, `min(a, b)`
//! follows `a` when `a <= b`; `clamp(x, lo, hi)` follows `x` when
//! `lo <= x <= hi`, else the bound it returned; `floor`, `ceil`, `round`,
//! `trunc` and `signum` have derivative 0; `rem_euclid(a, b) = a - q·b`
//! has the derivative of the piece its result lies on (`q = (a - r) / b`),
//! also at a jump, where `a / b` is an integer.

mod arith;
mod elem;
mod emit;
pub mod linalg;

pub use emit::Emit;

use crate::elem::Elem;
use crate::ir::{op_reads, place_atoms, Atom, BinOp, Func, Op, Place, Scale, Stmt, UnOp, VarId};
use crate::ty::Ty;

/// How derivatives pass through one operation.
pub enum Rule<'o> {
    Scalar(Scalar<'o>),
    /// `r = a`: `dr = da`.
    Copy(&'o Atom),
    /// `r = a as f32` (or `f64`): `dr = da`, converted.
    Convert(&'o Atom),
    /// `r = place`: `dr = d(place)`.
    Load(&'o Place),
    /// `r = &place`: the tangent is `&d(place)`.
    Ref(&'o Place, bool),
    /// `r = (x0, x1, ..)`, `[x0, ..]` or `vec![x0, ..]`: `d(r.k) = d(xk)`.
    Gather(Gather, &'o [Atom]),
    /// `r = [a; n]` or `vec![a; n]`: every element's derivative is `da`.
    Repeat(&'o Atom),
    /// `r = if cond { then } else { els }`: the derivative `cond` chose.
    Select {
        cond: &'o Atom,
        then: &'o Atom,
        els: &'o Atom,
    },
    /// An operation on nalgebra values (`linalg.rs`).
    La(&'o crate::ir::LaOp, &'o [Atom]),
    /// No derivative reaches the result.
    None,
}

/// How a [`Rule::Gather`]'s parts are addressed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Gather {
    /// `r.k`
    Field,
    /// `r[k]`
    Index,
}

/// A scalar operation and its arguments.
pub struct Scalar<'o> {
    kind: ScalarKind,
    pub args: Vec<&'o Atom>,
}

#[derive(Clone, Copy)]
enum ScalarKind {
    Bin(BinOp),
    Unary(UnOp),
    Elem(Elem),
}

/// The rule of `op`.
pub fn rule(op: &Op) -> Rule<'_> {
    let scalar = |kind, args| Rule::Scalar(Scalar { kind, args });
    match op {
        Op::Bin(b, x, y) => scalar(ScalarKind::Bin(*b), vec![x, y]),
        Op::Unary(u, x) => scalar(ScalarKind::Unary(*u), vec![x]),
        Op::Elem(e, args, _) => scalar(ScalarKind::Elem(*e), args.iter().collect()),
        Op::Use(a) => Rule::Copy(a),
        Op::Cast(a, t) if matches!(Ty::from_syn(t), Ty::Float(_)) => Rule::Convert(a),
        Op::CastPrec(a, _) => Rule::Convert(a),
        Op::Load(p) => Rule::Load(p),
        Op::Ref(p, m) => Rule::Ref(p, *m),
        Op::Tuple(xs) => Rule::Gather(Gather::Field, xs),
        Op::Array(xs) | Op::VecList(xs) => Rule::Gather(Gather::Index, xs),
        Op::Repeat(a, _) | Op::VecRepeat(a, _) => Rule::Repeat(a),
        Op::Select(cond, then, els) => Rule::Select { cond, then, els },
        Op::La(l, xs) => Rule::La(l, xs),
        // Calls and methods have no rule here (forward and reverse mode call
        // the callee's derivative; activity reports methods), and `Lin` is
        // made by the transformations, after the analyses.
        Op::Cast(..)
        | Op::Method(..)
        | Op::Call(..)
        | Op::Len(_)
        | Op::InRange { .. }
        | Op::Lin(_)
        | Op::ZeroLike(_)
        | Op::ZeroVec(_)
        | Op::TapeNew(_)
        | Op::TapeNewOwned
        | Op::TapePop(_)
        | Op::TapePeek(..)
        | Op::Ck(..)
        // Growing and shrinking move no value: the element stores lowering
        // puts next to them carry the derivative.
        | Op::Grow(_)
        | Op::Shrink(_)
        | Op::Default => Rule::None,
    }
}

impl Rule<'_> {
    /// The variables whose derivatives flow into the result.
    pub fn diff_vars(&self) -> Vec<VarId> {
        match self {
            Rule::Scalar(sc) => sc
                .args
                .iter()
                .zip(sc.diff())
                .filter(|(_, d)| *d)
                .filter_map(|(a, _)| a.var())
                .collect(),
            Rule::Copy(a) | Rule::Convert(a) | Rule::Repeat(a) => a.var().into_iter().collect(),
            Rule::Load(p) | Rule::Ref(p, _) => vec![p.base],
            Rule::Gather(_, xs) => xs.iter().filter_map(Atom::var).collect(),
            Rule::Select { then, els, .. } => [then, els].iter().filter_map(|a| a.var()).collect(),
            Rule::La(l, xs) => linalg::diff_args(l)
                .iter()
                .filter_map(|i| xs.get(*i).and_then(Atom::var))
                .collect(),
            Rule::None => Vec::new(),
        }
    }
}

impl<'o> Scalar<'o> {
    /// Per argument: whether it carries a derivative at all.
    pub fn diff(&self) -> Vec<bool> {
        match self.kind {
            ScalarKind::Bin(b) => arith::bin_diff(b).to_vec(),
            ScalarKind::Unary(u) => vec![arith::unary_diff(u)],
            ScalarKind::Elem(e) => e.info().diff.to_vec(),
        }
    }

    /// The arguments, owned, for a rule to read as they are.
    pub fn operands(&self) -> Vec<Atom> {
        self.args.iter().map(|a| (*a).clone()).collect()
    }

    /// Per argument: differentiable and `active`; `None` if the arity is
    /// broken (lowering checks it, so this only keeps a broken invariant
    /// from panicking).
    fn need(&self, at: &[Atom], active: &[bool]) -> Option<Vec<bool>> {
        let diff = self.diff();
        let ok = at.len() == self.args.len() && diff.len() == self.args.len();
        ok.then(|| diff.iter().zip(active).map(|(d, a)| *d && *a).collect())
    }

    /// The rule itself: one entry per argument, computed for those in `need`.
    fn run(&self, at: &[Atom], r: &Atom, need: &[bool], em: &mut Emit<'_>) -> Vec<Option<Scale>> {
        match self.kind {
            ScalarKind::Bin(b) => arith::bin(b, &at[0], &at[1], r, need, em),
            ScalarKind::Unary(u) => vec![arith::unary(u)],
            ScalarKind::Elem(e) => elem::partials(e, at, r, need, em),
        }
    }

    /// The partials with respect to the arguments that are differentiable
    /// and `active`, paired with the argument. The rules read the atoms
    /// `at` in place of the arguments (reverse mode passes the copies the
    /// reverse sweep can read), and append their helper statements to `em`.
    pub fn partials(
        &self,
        at: &[Atom],
        r: &Atom,
        active: &[bool],
        em: &mut Emit<'_>,
    ) -> Vec<(&'o Atom, Scale)> {
        let Some(need) = self.need(at, active).filter(|n| n.contains(&true)) else {
            return Vec::new();
        };
        let partials = self.run(at, r, &need, em);
        self.args
            .iter()
            .zip(need)
            .zip(partials)
            .filter_map(|((a, n), p)| p.filter(|_| n).map(|s| (*a, s)))
            .collect()
    }
}

/// The forward-mode tangent of a structural operation: the same operation
/// over the tangents `tan` gives for its operands (a select keeps its
/// condition). Other operations are returned unchanged.
pub fn tangent_of(op: &Op, mut tan: impl FnMut(&Atom) -> Atom) -> Op {
    match op {
        Op::Use(a) => Op::Use(tan(a)),
        Op::Cast(a, t) => Op::Cast(tan(a), t.clone()),
        Op::CastPrec(a, p) => Op::CastPrec(tan(a), *p),
        Op::Tuple(xs) => Op::Tuple(xs.iter().map(tan).collect()),
        Op::Array(xs) => Op::Array(xs.iter().map(tan).collect()),
        Op::VecList(xs) => Op::VecList(xs.iter().map(tan).collect()),
        Op::Repeat(a, n) => Op::Repeat(tan(a), n.clone()),
        Op::VecRepeat(a, n) => Op::VecRepeat(tan(a), n.clone()),
        Op::Select(c, a, b) => {
            let (da, db) = (tan(a), tan(b));
            Op::Select(c.clone(), da, db)
        }
        other => other.clone(),
    }
}

/// The primal variables that reverse mode's adjoint of `r = op` reads
/// (for the to-be-recorded analysis): those the scalar rules read, found
/// by running them without declaring anything, the indices of a loaded
/// place, and a select's condition.
pub fn adjoint_reads(op: &Op, r: &Atom, active: impl Fn(&Atom) -> bool, func: &Func) -> Vec<VarId> {
    match rule(op) {
        Rule::Scalar(sc) => {
            let at = sc.operands();
            let active: Vec<bool> = sc.args.iter().map(|a| active(a)).collect();
            let Some(need) = sc.need(&at, &active) else {
                return Vec::new();
            };
            // Every partial the rule gives, needed or not: a cautious
            // superset of what `partials` keeps, as this analysis always was.
            let mut helper = Vec::new();
            let mut em = Emit::dry(func, &mut helper, r);
            let partials = sc.run(&at, r, &need, &mut em);
            let mut out = Vec::new();
            for s in &helper {
                if let Stmt::Let { init: Some(op), .. } = s {
                    out.extend(op_reads(op));
                }
            }
            for sc in partials.iter().flatten() {
                out.extend(sc.mul.iter().chain(&sc.div).filter_map(Atom::var));
            }
            out.retain(|v| v.0 < func.vars.len());
            out
        }
        Rule::Load(p) => {
            let mut out = Vec::new();
            place_atoms(p, &mut |a| out.extend(a.var()));
            out
        }
        Rule::Select { cond, .. } => cond.var().into_iter().collect(),
        Rule::La(l, xs) => {
            let (args, result) = linalg::adjoint_reads(l);
            let mut out: Vec<VarId> = args
                .iter()
                .filter_map(|i| xs.get(*i).and_then(Atom::var))
                .collect();
            if result {
                out.extend(r.var());
            }
            out
        }
        _ => Vec::new(),
    }
}

fn c(x: f64) -> Atom {
    Atom::float(x)
}

fn mul(a: Atom) -> Option<Scale> {
    Some(Scale::mul(a))
}

fn div(a: Atom) -> Option<Scale> {
    Some(Scale {
        div: Some(a),
        ..Scale::default()
    })
}

fn neg_mul(a: Atom) -> Option<Scale> {
    Some(Scale {
        neg: true,
        mul: Some(a),
        ..Scale::default()
    })
}

fn neg_div(a: Atom) -> Option<Scale> {
    Some(Scale {
        neg: true,
        div: Some(a),
        ..Scale::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elem::TABLE;

    /// Every rule gives a partial for exactly the arguments its table row
    /// marks differentiable, so the table is the one list of them.
    #[test]
    fn each_rule_matches_its_table_row() {
        let func = Func {
            vars: Vec::new(),
            params: Vec::new(),
            ret: None,
            body: Vec::new(),
            checkpoints: Vec::new(),
        };
        for row in TABLE {
            let args = vec![Atom::float(0.5); row.diff.len()];
            let op = Op::Elem(row.elem, args.clone(), None);
            let Rule::Scalar(sc) = rule(&op) else {
                panic!("`{}` is not scalar", row.name);
            };
            let r = Atom::float(0.25);
            let mut helper = Vec::new();
            let mut em = Emit::dry(&func, &mut helper, &r);
            let need = vec![true; args.len()];
            let got: Vec<bool> = sc
                .run(&args, &r, row.diff, &mut em)
                .iter()
                .map(Option::is_some)
                .collect();
            assert_eq!(got, row.diff, "partials of `{}`", row.name);
            assert_eq!(sc.need(&args, &need).as_deref(), Some(row.diff));
        }
    }
}

//! Traversals of the IR, in the spirit of syn's `Visit` and `VisitMut`: the
//! one place that knows which blocks a statement holds and which atoms and
//! places an operation reads, so passes do not spell the recursion again.

use std::collections::HashSet;

use super::{Arg, Atom, Block, Op, Place, Stmt, VarId};

impl Op {
    /// The variable this operation copies: `y`, a load of the whole of
    /// `y`, or a sum of the one term `y`.
    pub fn copy_of(&self) -> Option<VarId> {
        match self {
            Op::Use(Atom::Var(y)) => Some(*y),
            Op::Load(p) if p.proj.is_empty() => Some(p.base),
            Op::Lin(terms) => match terms.as_slice() {
                [t] if !t.scale.neg && t.scale.mul.is_none() && t.scale.div.is_none() => {
                    t.value.var()
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether this operation is the float zero (`0.0`, or an empty sum).
    pub fn is_float_zero(&self) -> bool {
        match self {
            Op::Use(Atom::Const(super::Const::Float(z))) => *z == 0.0,
            Op::Lin(terms) => terms.is_empty(),
            _ => false,
        }
    }
}

impl Stmt {
    /// The blocks directly inside this statement, in source order.
    pub fn blocks(&self) -> Vec<&Block> {
        match self {
            Stmt::If { then, els, .. } => vec![then, els],
            Stmt::For { body, .. } | Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
                vec![body]
            }
            Stmt::Match { arms, .. } => arms.iter().map(|(_, b)| b).collect(),
            Stmt::Let { .. }
            | Stmt::Assign { .. }
            | Stmt::Eval { .. }
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::Return(_)
            | Stmt::Accum { .. }
            | Stmt::TapePush { .. }
            | Stmt::Assert { .. } => Vec::new(),
        }
    }

    /// The blocks directly inside this statement, mutably.
    pub fn blocks_mut(&mut self) -> Vec<&mut Block> {
        match self {
            Stmt::If { then, els, .. } => vec![then, els],
            Stmt::For { body, .. } | Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
                vec![body]
            }
            Stmt::Match { arms, .. } => arms.iter_mut().map(|(_, b)| b).collect(),
            Stmt::Let { .. }
            | Stmt::Assign { .. }
            | Stmt::Eval { .. }
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::Return(_)
            | Stmt::Accum { .. }
            | Stmt::TapePush { .. }
            | Stmt::Assert { .. } => Vec::new(),
        }
    }

    /// The operation this statement evaluates, if any.
    pub fn op(&self) -> Option<&Op> {
        match self {
            Stmt::Let { init: Some(op), .. }
            | Stmt::Assign { op, .. }
            | Stmt::Eval { op, .. }
            | Stmt::Accum { op, .. }
            | Stmt::Return(Some(op)) => Some(op),
            _ => None,
        }
    }
}

/// Calls `f` on every statement of `b` and of the blocks nested in it,
/// each statement before the ones inside it.
pub fn for_each_stmt(b: &[Stmt], f: &mut dyn FnMut(&Stmt)) {
    for s in b {
        f(s);
        for inner in s.blocks() {
            for_each_stmt(inner, f);
        }
    }
}

/// Variables whose value a statement of `b` (nested blocks included) may
/// change: assigned and accumulated places, `&mut` call arguments and
/// borrows, method receivers (a method may take `&mut self`; the IR does
/// not say which) and tapes pushed or popped.
pub fn written(b: &[Stmt]) -> HashSet<VarId> {
    let mut out = HashSet::new();
    for_each_stmt(b, &mut |s| {
        match s {
            Stmt::Assign { place, .. } | Stmt::Accum { place, .. } => {
                out.insert(place.base);
            }
            Stmt::TapePush { tape, .. } => {
                out.insert(*tape);
            }
            _ => {}
        }
        if let Some(op) = s.op() {
            op_writes(op, &mut out);
        }
    });
    out
}

fn op_writes(op: &Op, out: &mut HashSet<VarId>) {
    match op {
        Op::Ref(p, true) => {
            out.insert(p.base);
        }
        Op::TapePop(t) => {
            out.insert(*t);
        }
        Op::Grow(p) | Op::Shrink(p) => {
            out.insert(p.base);
        }
        Op::Method(Atom::Var(v), ..) => {
            out.insert(*v);
        }
        Op::Ck(super::CkOp::Next | super::CkOp::Save, xs) => {
            out.extend(xs.first().and_then(Atom::var));
        }
        Op::Call(_, args) => {
            for a in args {
                // Zeros are fresh values shaped like the argument, which is
                // only read.
                if let Arg::RefMut(p) = a {
                    out.insert(p.base);
                }
            }
        }
        _ => {}
    }
}

/// Calls `f` on every operand atom of `op` (not on place bases).
pub fn op_atoms(op: &Op, f: &mut dyn FnMut(&Atom)) {
    match op {
        Op::Use(a)
        | Op::Unary(_, a)
        | Op::Cast(a, _)
        | Op::CastPrec(a, _)
        | Op::ZeroLike(a)
        | Op::ZeroVec(a) => f(a),
        Op::Repeat(a, _) => f(a),
        Op::Bin(_, a, b) | Op::VecRepeat(a, b) => {
            f(a);
            f(b);
        }
        Op::Select(c, a, b) => {
            f(c);
            f(a);
            f(b);
        }
        Op::InRange { x, lo, hi, .. } => {
            f(x);
            lo.iter().chain(hi).for_each(f);
        }
        Op::Elem(_, xs, _)
        | Op::Tuple(xs)
        | Op::Array(xs)
        | Op::VecList(xs)
        | Op::Ck(_, xs)
        | Op::La(_, xs) => {
            xs.iter().for_each(f);
        }
        Op::Method(r, _, xs) => {
            f(r);
            xs.iter().for_each(f);
        }
        Op::Lin(terms) => {
            for t in terms {
                f(&t.value);
                if let Some(m) = &t.scale.mul {
                    f(m);
                }
                if let Some(d) = &t.scale.div {
                    f(d);
                }
            }
        }
        Op::Load(p) | Op::Len(p) | Op::Ref(p, _) | Op::Grow(p) | Op::Shrink(p) => place_atoms(p, f),
        Op::Call(_, args) => args.iter().for_each(|a| arg_atoms(a, f)),
        Op::TapeNew(_) | Op::TapeNewOwned | Op::Default => {}
        Op::TapePop(t) => f(&Atom::Var(*t)),
        Op::TapePeek(t, d) => {
            f(&Atom::Var(*t));
            f(d);
        }
    }
}

fn arg_atoms(arg: &Arg, f: &mut dyn FnMut(&Atom)) {
    match arg {
        Arg::Value(a) => f(a),
        Arg::Ref(p) | Arg::RefMut(p) => place_atoms(p, f),
        Arg::ZeroOf(inner) | Arg::MutZeroOf(inner) => arg_atoms(inner, f),
    }
}

/// Index atoms of a place (its base is reported separately by callers).
pub fn place_atoms(p: &Place, f: &mut dyn FnMut(&Atom)) {
    for proj in &p.proj {
        proj.atoms().into_iter().for_each(&mut *f);
    }
}

/// Every variable `op` reads, place bases included.
pub fn op_reads(op: &Op) -> Vec<VarId> {
    let mut out = Vec::new();
    op_atoms(op, &mut |a| out.extend(a.var()));
    match op {
        Op::Load(p) | Op::Len(p) | Op::Ref(p, _) | Op::Grow(p) | Op::Shrink(p) => out.push(p.base),
        Op::Call(_, args) => {
            for a in args {
                collect_arg_bases(a, &mut out);
            }
        }
        _ => {}
    }
    out
}

fn collect_arg_bases(a: &Arg, out: &mut Vec<VarId>) {
    match a {
        Arg::Ref(p) | Arg::RefMut(p) => out.push(p.base),
        Arg::ZeroOf(inner) | Arg::MutZeroOf(inner) => collect_arg_bases(inner, out),
        Arg::Value(_) => {}
    }
}

/// Replaces every operand atom of `op` (not those inside places) by
/// `fa(atom)`, and every place by `fp(place)`.
pub fn map_op(op: &mut Op, fa: &dyn Fn(&Atom) -> Atom, fp: &dyn Fn(&Place) -> Place) {
    let m = |a: &mut Atom| *a = fa(a);
    match op {
        Op::Use(a)
        | Op::Unary(_, a)
        | Op::Cast(a, _)
        | Op::CastPrec(a, _)
        | Op::ZeroLike(a)
        | Op::ZeroVec(a)
        | Op::Repeat(a, _) => m(a),
        Op::Bin(_, a, b) | Op::VecRepeat(a, b) => {
            m(a);
            m(b);
        }
        Op::Select(c, a, b) => {
            m(c);
            m(a);
            m(b);
        }
        Op::InRange { x, lo, hi, .. } => {
            m(x);
            lo.iter_mut().chain(hi.iter_mut()).for_each(m);
        }
        Op::Elem(_, xs, _)
        | Op::Tuple(xs)
        | Op::Array(xs)
        | Op::VecList(xs)
        | Op::Ck(_, xs)
        | Op::La(_, xs) => xs.iter_mut().for_each(m),
        Op::Method(r, _, xs) => {
            m(r);
            xs.iter_mut().for_each(m);
        }
        Op::Lin(terms) => {
            for t in terms {
                m(&mut t.value);
                t.scale
                    .mul
                    .iter_mut()
                    .chain(t.scale.div.iter_mut())
                    .for_each(m);
            }
        }
        Op::Load(p) | Op::Len(p) | Op::Ref(p, _) | Op::Grow(p) | Op::Shrink(p) => *p = fp(p),
        Op::Call(_, args) => {
            for a in args {
                map_arg(a, fa, fp);
            }
        }
        Op::TapePeek(_, d) => *d = fa(d),
        Op::TapePop(_) | Op::TapeNew(_) | Op::TapeNewOwned | Op::Default => {}
    }
}

fn map_arg(a: &mut Arg, fa: &dyn Fn(&Atom) -> Atom, fp: &dyn Fn(&Place) -> Place) {
    match a {
        Arg::Value(x) => *x = fa(x),
        Arg::Ref(p) | Arg::RefMut(p) => *p = fp(p),
        Arg::ZeroOf(inner) | Arg::MutZeroOf(inner) => map_arg(inner, fa, fp),
    }
}

/// Whether a linear combination starts with the same term twice (`v * m +
/// v * m`, the product rule on `b * b`), which codegen prints once,
/// doubled.
pub fn doubled(terms: &[super::Term]) -> bool {
    let same = |x: &Atom, y: &Atom| match (x, y) {
        (Atom::Var(x), Atom::Var(y)) => x == y,
        (Atom::Const(super::Const::Float(x)), Atom::Const(super::Const::Float(y))) => {
            x.to_bits() == y.to_bits()
        }
        _ => false,
    };
    let same_opt = |x: &Option<Atom>, y: &Option<Atom>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => same(x, y),
        _ => false,
    };
    match terms {
        [a, b, ..] => {
            a.scale.neg == b.scale.neg
                && same(&a.value, &b.value)
                && same_opt(&a.scale.mul, &b.scale.mul)
                && same_opt(&a.scale.div, &b.scale.div)
        }
        _ => false,
    }
}

/// `s` with every variable `v` replaced by `f(v)`: declarations, operands,
/// places, conditions and loop ranges (for copies of a block whose
/// variables must be fresh, or that run where other variables stand in).
pub fn map_vars(s: &Stmt, f: &dyn Fn(VarId) -> VarId) -> Stmt {
    let atom = |a: &Atom| match a {
        Atom::Var(v) => Atom::Var(f(*v)),
        c => c.clone(),
    };
    let place = |p: &Place| Place {
        base: f(p.base),
        proj: p.proj.iter().map(|x| x.map_atoms(&atom)).collect(),
    };
    let op = |o: &Op| {
        let mut o = o.clone();
        map_op(&mut o, &atom, &place);
        o
    };
    let block = |b: &Block| b.iter().map(|s| map_vars(s, f)).collect::<Block>();
    match s {
        Stmt::Let { pat, init, span } => Stmt::Let {
            pat: match pat {
                super::Pat::Var(v) => super::Pat::Var(f(*v)),
                super::Pat::Tuple(vs) => super::Pat::Tuple(vs.iter().map(|v| v.map(f)).collect()),
            },
            init: init.as_ref().map(op),
            span: *span,
        },
        Stmt::Assign {
            place: p,
            op: o,
            span,
        } => Stmt::Assign {
            place: place(p),
            op: op(o),
            span: *span,
        },
        Stmt::Accum {
            place: p,
            op: o,
            span,
        } => Stmt::Accum {
            place: place(p),
            op: op(o),
            span: *span,
        },
        Stmt::Eval { op: o, span } => Stmt::Eval {
            op: op(o),
            span: *span,
        },
        Stmt::If { cond, then, els } => Stmt::If {
            cond: atom(cond),
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
            range: range.map_atoms(&atom),
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
            scrut: atom(scrut),
            arms: arms.iter().map(|(k, b)| (*k, block(b))).collect(),
        },
        Stmt::Return(o) => Stmt::Return(o.as_ref().map(op)),
        Stmt::TapePush { tape, value } => Stmt::TapePush {
            tape: f(*tape),
            value: atom(value),
        },
        Stmt::Assert { mac, args, rest } => Stmt::Assert {
            mac: mac.clone(),
            args: args.iter().map(atom).collect(),
            rest: rest.clone(),
        },
        Stmt::Break(_) | Stmt::Continue(_) => s.clone(),
    }
}

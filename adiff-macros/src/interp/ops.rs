//! Evaluating operations.

use super::prims::{bin, cast, elem};
use super::{Ck, Machine, V};
use crate::ir::{Arg, Atom, BinOp, Callee, CkOp, Op, Term, UnOp, VarId};

impl Machine<'_> {
    pub(super) fn op(&mut self, op: &Op) -> Result<V, String> {
        let v = self.op_value(op)?;
        if let V::F(x) = v {
            if x.is_finite() {
                self.largest = self.largest.max(x.abs());
            } else if self.finite_operands(op) {
                self.nonfinite = true;
            }
        }
        Ok(v)
    }

    /// Whether `op` is arithmetic on finite operands only, so that an
    /// infinite or NaN result is one the program made (an overflow, `0/0`),
    /// not an infinity it was given, such as `f64::NEG_INFINITY` starting
    /// a maximum, which is how such folds are written.
    fn finite_operands(&self, op: &Op) -> bool {
        let operands: Vec<&Atom> = match op {
            Op::Bin(_, x, y) => vec![x, y],
            Op::Unary(_, x) | Op::Cast(x, _) | Op::CastPrec(x, _) => vec![x],
            Op::Elem(_, args, _) => args.iter().collect(),
            _ => return false,
        };
        operands
            .into_iter()
            .all(|a| !matches!(self.atom(a), Ok(V::F(x)) if !x.is_finite()))
    }

    fn op_value(&mut self, op: &Op) -> Result<V, String> {
        Ok(match op {
            Op::Use(a) => self.atom(a)?,
            Op::Load(p) => {
                let loc = self.loc(p)?;
                let loc = if p.proj.is_empty() {
                    loc
                } else {
                    self.follow(loc)?
                };
                self.get(&loc)?.clone()
            }
            Op::Bin(b, x, y) => bin(*b, &self.atom(x)?, &self.atom(y)?)?,
            Op::Unary(u, x) => match (u, self.atom(x)?) {
                (UnOp::Neg, V::F(a)) => V::F(-a),
                (UnOp::Neg, V::I(a)) => V::I(-a),
                (UnOp::Not, V::B(a)) => V::B(!a),
                (_, other) => return Err(format!("unary on {other:?}")),
            },
            Op::Cast(x, t) => cast(
                &self.atom(x)?,
                &quote::ToTokens::to_token_stream(t).to_string(),
            )?,
            Op::CastPrec(x, p) => cast(&self.atom(x)?, &p.name())?,
            Op::Elem(e, args, _) => elem(*e, &self.atoms(args)?)?,
            // Reverse mode clones a `Vec` it must not move; values here
            // are not shared, so a clone is the value itself.
            Op::Method(recv, name, args) if name == "clone" && args.is_empty() => {
                self.atom(recv)?
            }
            // A checkpoint's snapshot of what a `&mut` slice points to.
            Op::Method(recv, name, args) if name == "to_vec" && args.is_empty() => {
                let v = self.atom(recv)?;
                self.deref_value(&v)?
            }
            Op::Method(..) => return Err("opaque method".into()),
            Op::Call(callee, args) => self.call_op(callee, args)?,
            Op::Tuple(xs) => V::T(self.atoms(xs)?),
            Op::Array(xs) | Op::VecList(xs) => V::A(self.atoms(xs)?),
            Op::Repeat(a, n) => V::A(vec![self.atom(a)?; literal_len(n)?]),
            Op::VecRepeat(a, n) => {
                let n = usize::try_from(self.atom(n)?.i()?).map_err(|e| e.to_string())?;
                V::A(vec![self.atom(a)?; n])
            }
            Op::Len(p) => {
                let loc = self.follow(self.loc(p)?)?;
                match self.read(&loc)? {
                    V::A(xs) => V::I(xs.len() as i64),
                    other => return Err(format!("len of {other:?}")),
                }
            }
            Op::Ref(p, _) => V::R(self.loc(p)?),
            Op::InRange {
                x,
                lo,
                hi,
                inclusive,
            } => self.in_range(x, lo.as_ref(), hi.as_ref(), *inclusive)?,
            Op::Select(c, a, b) => {
                if self.atom(c)?.b()? {
                    self.atom(a)?
                } else {
                    self.atom(b)?
                }
            }
            Op::Lin(terms) => self.lin(terms)?,
            Op::ZeroLike(a) | Op::ZeroVec(a) => {
                let v = self.atom(a)?;
                self.deref_value(&v)?.zero()
            }
            Op::TapeNew(_) | Op::TapeNewOwned => V::Tape(Vec::new()),
            Op::TapePop(t) => {
                let cur = self.cur();
                match self.frames[cur].get_mut(t) {
                    Some(V::Tape(xs)) => xs.pop().ok_or("tape underflow")?,
                    _ => return Err("pop from a non-tape".into()),
                }
            }
            Op::TapePeek(t, d) => self.tape_peek(*t, d)?,
            Op::Default => V::Undef,
            Op::Grow(p) | Op::Shrink(p) => self.resize(p, matches!(op, Op::Grow(_)))?,
            Op::Ck(op, xs) => self.checkpoint(*op, xs)?,
            // nalgebra values are tested end to end (`tests/nalgebra.rs`).
            Op::La(..) => return Err("nalgebra operations are not interpreted".into()),
        })
    }

    /// An operation on a checkpointed loop's schedule (see `Op::Ck`).
    fn checkpoint(&mut self, op: CkOp, xs: &[Atom]) -> Result<V, String> {
        use adiff::__rt::{Action, Schedule};
        let int = |v: V| -> Result<i64, String> {
            match v {
                V::I(i) => Ok(i),
                other => Err(format!("checkpoint bound {other:?}")),
            }
        };
        let steps = |start: i64, end: i64| usize::try_from(end.saturating_sub(start)).unwrap_or(0);
        let new = |start: i64, schedule: Schedule| {
            V::Ck(Box::new(Ck {
                schedule,
                slots: Vec::new(),
                start,
                lo: start,
                hi: start,
            }))
        };
        let args = self.atoms(xs)?;
        match op {
            CkOp::Binomial => {
                let [start, end, snaps] = <[V; 3]>::try_from(args).map_err(|_| "binomial arity")?;
                let snaps = usize::try_from(int(snaps)?).map_err(|_| "negative snapshots")?;
                let (start, end) = (int(start)?, int(end)?);
                return Ok(new(start, Schedule::binomial(steps(start, end), snaps)));
            }
            CkOp::Within => {
                let [start, end, bytes, state] =
                    <[V; 4]>::try_from(args).map_err(|_| "within arity")?;
                let bytes = usize::try_from(int(bytes)?).map_err(|_| "negative budget")?;
                // Eight bytes a value, as the runtime counts floats.
                let mut one = 0usize;
                if let V::T(refs) = &state {
                    for r in refs {
                        one += 8 * leaves(&self.deref_value(r)?);
                    }
                }
                let snaps = (bytes / one.max(1)).max(1);
                let (start, end) = (int(start)?, int(end)?);
                return Ok(new(start, Schedule::binomial(steps(start, end), snaps)));
            }
            CkOp::Periodic => {
                let [start, end] = <[V; 2]>::try_from(args).map_err(|_| "periodic arity")?;
                let (start, end) = (int(start)?, int(end)?);
                return Ok(new(start, Schedule::periodic(steps(start, end))));
            }
            CkOp::Offset => {
                let [start, k] = <[V; 2]>::try_from(args).map_err(|_| "offset arity")?;
                return Ok(V::I(int(start)? + int(k)?));
            }
            _ => {}
        }
        let Some(Atom::Var(v)) = xs.first() else {
            return Err("checkpoint operation without a schedule".into());
        };
        let cur = self.cur();
        let Some(V::Ck(ck)) = self.frames[cur].get_mut(v) else {
            return Err("checkpoint operation on a non-schedule".into());
        };
        Ok(match op {
            CkOp::Next => loop {
                let to_i = |k: usize| i64::try_from(k).unwrap_or(i64::MAX);
                break match ck.schedule.next_action() {
                    Action::Done => V::I(0),
                    Action::Advance { from, to } => {
                        (ck.lo, ck.hi) = (ck.start + to_i(from), ck.start + to_i(to));
                        V::I(1)
                    }
                    Action::Save => V::I(2),
                    Action::Restore => V::I(3),
                    Action::Turn { from, to } => {
                        (ck.lo, ck.hi) = (ck.start + to_i(from), ck.start + to_i(to));
                        V::I(4)
                    }
                    Action::Free => {
                        ck.slots.pop();
                        continue;
                    }
                };
            },
            CkOp::Lo => V::I(ck.lo),
            CkOp::Hi => V::I(ck.hi),
            CkOp::Save => {
                let state = args.get(1).cloned().ok_or("save without a state")?;
                ck.slots.push(state);
                V::Unit
            }
            CkOp::Restore => ck
                .slots
                .last()
                .cloned()
                .ok_or("restore without a snapshot")?,
            CkOp::Binomial | CkOp::Periodic | CkOp::Within | CkOp::Offset => {
                return Err("not an operation on a schedule".into())
            }
        })
    }

    /// `Op::Grow` (one zero more, shaped like the last element) and
    /// `Op::Shrink` (the last element dropped) of the `Vec` at `p`.
    fn resize(&mut self, p: &crate::ir::Place, grow: bool) -> Result<V, String> {
        let loc = self.loc(p)?;
        let loc = if p.proj.is_empty() {
            loc
        } else {
            self.follow(loc)?
        };
        match self.get_mut(&loc)? {
            V::A(xs) if grow => {
                let z = xs.last().map_or(V::F(0.0), V::zero);
                xs.push(z);
            }
            V::A(xs) => {
                xs.pop().ok_or("shrink of an empty Vec")?;
            }
            other => return Err(format!("grow or shrink of {other:?}")),
        }
        Ok(V::Unit)
    }

    fn atoms(&self, xs: &[Atom]) -> Result<Vec<V>, String> {
        xs.iter().map(|a| self.atom(a)).collect()
    }

    /// A call to `g`, `g_jvp` or `g_vjp` of the program.
    fn call_op(&mut self, callee: &Callee, args: &[Arg]) -> Result<V, String> {
        let mut name = callee
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if let Some(kind) = callee.derivative {
            name.push_str(kind.suffix());
        }
        let vals: Vec<V> = args.iter().map(|a| self.arg(a)).collect::<Result<_, _>>()?;
        self.call(&name, vals)
    }

    fn in_range(
        &self,
        x: &Atom,
        lo: Option<&Atom>,
        hi: Option<&Atom>,
        inclusive: bool,
    ) -> Result<V, String> {
        let x = self.atom(x)?;
        let above = match lo {
            Some(lo) => bin(BinOp::Ge, &x, &self.atom(lo)?)?.b()?,
            None => true,
        };
        let below = match hi {
            Some(hi) => {
                let op = if inclusive { BinOp::Le } else { BinOp::Lt };
                bin(op, &x, &self.atom(hi)?)?.b()?
            }
            None => true,
        };
        Ok(V::B(above && below))
    }

    fn lin(&self, terms: &[Term]) -> Result<V, String> {
        let mut s = 0.0;
        for t in terms {
            let mut x = self.atom(&t.value)?.f()?;
            if let Some(m) = &t.scale.mul {
                x *= self.atom(m)?.f()?;
            }
            if let Some(d) = &t.scale.div {
                x /= self.atom(d)?.f()?;
            }
            s += if t.scale.neg { -x } else { x };
        }
        Ok(V::F(s))
    }

    fn tape_peek(&self, t: VarId, d: &Atom) -> Result<V, String> {
        let V::I(depth) = self.atom(d)? else {
            return Err("peek depth is not an integer".into());
        };
        match self.frames[self.cur()].get(&t) {
            Some(V::Tape(xs)) => usize::try_from(depth)
                .ok()
                .and_then(|k| xs.len().checked_sub(k + 1))
                .and_then(|i| xs.get(i))
                .cloned()
                .ok_or_else(|| "tape peek past the bottom".into()),
            _ => Err("peek into a non-tape".into()),
        }
    }
}

/// The length of `[a; n]`, which the IR keeps as written.
fn literal_len(n: &syn::Expr) -> Result<usize, String> {
    match n {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse().map_err(|e| e.to_string()),
        _ => Err("array length is not a literal".into()),
    }
}

/// The number of scalars in a value.
fn leaves(v: &V) -> usize {
    match v {
        V::A(xs) | V::T(xs) => xs.iter().map(leaves).sum(),
        _ => 1,
    }
}

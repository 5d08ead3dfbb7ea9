//! Running statements: blocks, bindings, loops and control flow.

use super::{Flow, Machine, V};
use crate::ir::{Block, Label, Op, Pat, Range, RangeAdapter, Stmt, VarId};

impl Machine<'_> {
    /// Counts one statement or loop iteration against the step limit.
    fn tick(&mut self) -> Result<(), String> {
        self.steps += 1;
        if self.steps > self.max_steps {
            return Err(format!(
                "step limit exceeded: more than {} steps",
                self.max_steps
            ));
        }
        Ok(())
    }

    pub(super) fn block(&mut self, b: &Block) -> Result<Flow, String> {
        for s in b {
            self.tick()?;
            match self.stmt(s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn stmt(&mut self, s: &Stmt) -> Result<Flow, String> {
        match s {
            Stmt::Let { pat, init, .. } => self.bind(pat, init.as_ref())?,
            Stmt::Assign { place, op, .. } => {
                let val = self.op(op)?;
                let loc = self.loc(place)?;
                *self.get_mut(&loc)? = val;
            }
            Stmt::Accum { place, op, .. } => {
                let val = self.op(op)?;
                let loc = self.loc(place)?;
                let loc = self.follow(loc)?;
                match loc.window {
                    // `x_bar[a..b] += ...`: element by element.
                    Some((a, b)) => match self.get_whole_mut(&loc)? {
                        V::A(xs) => match xs.get_mut(a..b) {
                            Some(w) => add_into_each(w, &val)?,
                            None => return Err("sub-slice out of bounds".into()),
                        },
                        other => return Err(format!("sub-slice of {other:?}")),
                    },
                    None => add_into(self.get_mut(&loc)?, &val)?,
                }
            }
            Stmt::Eval { op, .. } => {
                self.op(op)?;
            }
            Stmt::If { cond, then, els } => {
                let c = self.atom(cond)?.b()?;
                return self.block(if c { then } else { els });
            }
            Stmt::For {
                var,
                range,
                body,
                label,
            } => return self.for_loop(*var, range, body, label),
            Stmt::Loop { body, label } => return self.loop_(body, label),
            Stmt::Block { label, body } => match self.block(body)? {
                Flow::Break(Some(l)) if label.ident == l => {}
                other => return Ok(other),
            },
            Stmt::Break(l) => return Ok(Flow::Break(label_name(l))),
            Stmt::Continue(l) => return Ok(Flow::Continue(label_name(l))),
            Stmt::Return(op) => {
                let v = match op {
                    Some(op) => self.op(op)?,
                    None => V::Unit,
                };
                return Ok(Flow::Return(v));
            }
            Stmt::TapePush { tape, value } => {
                let val = self.atom(value)?;
                let cur = self.cur();
                match self.frames[cur].get_mut(tape) {
                    Some(V::Tape(t)) => t.push(val),
                    _ => return Err("push to a non-tape".into()),
                }
            }
            Stmt::Match { scrut, arms } => {
                let k = usize::try_from(self.atom(scrut)?.i()?).map_err(|e| e.to_string())?;
                let arm = arms
                    .iter()
                    .find(|(c, _)| *c == k)
                    .ok_or_else(|| format!("unknown exit code {k}"))?;
                return self.block(&arm.1);
            }
            Stmt::Assert { .. } => {}
        }
        Ok(Flow::Normal)
    }

    /// `let pat = init;`
    fn bind(&mut self, pat: &Pat, init: Option<&Op>) -> Result<(), String> {
        let val = match init {
            Some(op) => self.op(op)?,
            None => V::Undef,
        };
        match pat {
            Pat::Var(v) => self.set(*v, val),
            Pat::Tuple(vs) => {
                let V::T(parts) = val else {
                    return Err(format!("tuple pattern on {val:?}"));
                };
                for (v, x) in vs.iter().zip(parts) {
                    if let Some(v) = v {
                        self.set(*v, x);
                    }
                }
            }
        }
        Ok(())
    }

    /// The indices a `for` range visits, adapters applied.
    fn indices(&self, range: &Range) -> Result<Vec<i64>, String> {
        let (a, b) = (self.atom(&range.start)?.i()?, self.atom(&range.end)?.i()?);
        let mut idx: Vec<i64> = if range.inclusive {
            (a..=b).collect()
        } else {
            (a..b).collect()
        };
        for ad in &range.adapters {
            idx = match ad {
                RangeAdapter::Rev => idx.into_iter().rev().collect(),
                RangeAdapter::StepBy(k) => {
                    let k = usize::try_from(self.atom(k)?.i()?).map_err(|e| e.to_string())?;
                    idx.into_iter().step_by(k.max(1)).collect()
                }
                RangeAdapter::Skip(k) => {
                    let k = usize::try_from(self.atom(k)?.i()?).map_err(|e| e.to_string())?;
                    idx.into_iter().skip(k).collect()
                }
                RangeAdapter::Take(k) => {
                    let k = usize::try_from(self.atom(k)?.i()?).map_err(|e| e.to_string())?;
                    idx.into_iter().take(k).collect()
                }
            };
        }
        Ok(idx)
    }

    fn for_loop(
        &mut self,
        var: VarId,
        range: &Range,
        body: &Block,
        label: &Label,
    ) -> Result<Flow, String> {
        let name = label_name(label);
        for i in self.indices(range)? {
            self.set(var, V::I(i));
            match self.block(body)? {
                Flow::Break(l) if l.is_none() || l == name => break,
                Flow::Continue(l) if l.is_none() || l == name => {}
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn loop_(&mut self, body: &Block, label: &Label) -> Result<Flow, String> {
        let name = label_name(label);
        loop {
            self.tick()?;
            match self.block(body)? {
                Flow::Break(l) if l.is_none() || l == name => break,
                Flow::Continue(l) if l.is_none() || l == name => {}
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }
}

fn label_name(l: &Label) -> Option<String> {
    l.as_ref().map(|l| l.ident.to_string())
}

/// `target += val`, elementwise; integers and booleans carry no adjoint.
fn add_into(target: &mut V, val: &V) -> Result<(), String> {
    match (target, val) {
        (V::F(a), v) => *a += v.f()?,
        (V::A(xs), V::A(ys)) | (V::T(xs), V::T(ys)) => {
            for (x, y) in xs.iter_mut().zip(ys) {
                add_into(x, y)?;
            }
        }
        (V::I(_) | V::B(_), _) => {}
        (t, v) => return Err(format!("cannot add {v:?} into {t:?}")),
    }
    Ok(())
}

fn add_into_each(targets: &mut [V], val: &V) -> Result<(), String> {
    let V::A(ys) = val else {
        return Err(format!("cannot add {val:?} into a sub-slice"));
    };
    if ys.len() != targets.len() {
        return Err("sub-slice lengths differ".into());
    }
    for (x, y) in targets.iter_mut().zip(ys) {
        add_into(x, y)?;
    }
    Ok(())
}

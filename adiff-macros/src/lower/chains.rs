//! Iterator chains with closures, lowered to the loop a user would write by
//! hand:
//! - consumers `sum`, `product`, `fold`, `for_each`, `count`, `collect`,
//!   and `max_by`, `min_by` or `reduce` followed by `unwrap`
//!   (`consumers.rs`): `x.iter().map(|v| v * v).sum::<f64>()`,
//!   `a.iter().zip(b).map(|(p, q)| p * q).sum()`;
//! - `for y in chain.map(f) { ... }`.
//!
//! The chain before the first `map` or `filter` is planned as a `for`
//! iterator (`loops.rs`, `adapters.rs`). The rest are *stages* applied in
//! the loop body, in order: `map` applies its closure, `filter` guards the
//! rest of the body with an `if`, and `enumerate`, `skip`, `step_by` and
//! `take` count the items that reach them. `take` leaves the loop, before
//! the next item is read, once it has let its items through, as
//! `Iterator::take` stops pulling. `rev` commutes with `map` and `filter`
//! (they call their closures back to front), so it reverses the planned
//! range. Each closure is called exactly on the items Rust calls it on, in
//! the same order, so closures that write captured variables behave as in
//! Rust, and the derivative of the result is the derivative of that loop.

use crate::ir::{Atom, BinOp, Block, Const, Op, Pat, Place, RangeAdapter, Stmt, VarId};
use crate::ty::Ty;

use super::closures::{Callable, Input};
use super::loops::Plan;
use super::{span_of, strip_parens, Binding, LoopCtx, Lowerer, Val};

/// Whether the method chain `e` contains a `map` or `filter` adapter.
pub(super) fn has_map(e: &syn::Expr) -> bool {
    match strip_parens(e) {
        syn::Expr::MethodCall(m) => {
            m.method == "map" || m.method == "filter" || has_map(&m.receiver)
        }
        _ => false,
    }
}

/// A step of a chain applied in the loop body.
pub(super) enum Stage<'e> {
    Map(Callable<'e>),
    Filter(Callable<'e>),
    /// `enumerate`, `skip(k)`, `step_by(k)`, `take(k)`: a counter of the
    /// items that reach it.
    Count(Counted, &'e syn::ExprMethodCall),
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Counted {
    Enumerate,
    Skip,
    StepBy,
    Take,
}

/// A chain read into its planned part and its stages.
pub(super) struct Chain<'e> {
    pub base: &'e syn::Expr,
    pub stages: Vec<Stage<'e>>,
    /// `rev`s after the first stage, moved onto the planned range.
    pub revs: usize,
}

/// The loop body being built: nested blocks, each but the first under the
/// condition of a `filter`, `skip` or `step_by`.
pub(super) struct Flow {
    blocks: Vec<(Option<Atom>, Block)>,
    /// Checks that leave the loop, run first in each iteration (`take`).
    exits: Block,
    /// Statements after the loop (the check that `unwrap` has a value).
    pub after: Block,
    /// The counting stages so far, as the range adapters that change the
    /// number of items the same way, and whether a `filter` ran.
    pub counted: Vec<RangeAdapter>,
    pub filtered: bool,
}

impl Flow {
    pub(super) fn cur(&mut self) -> &mut Block {
        &mut self.blocks.last_mut().expect("a flow has a block").1
    }

    /// Closes every block into the loop body.
    pub(super) fn close(mut self) -> Block {
        while self.blocks.len() > 1 {
            let (cond, then) = self.blocks.pop().expect("checked length");
            let cond = cond.expect("nested blocks have a condition");
            self.cur().push(Stmt::If {
                cond,
                then,
                els: Vec::new(),
            });
        }
        let mut body = self.exits;
        body.extend(self.blocks.pop().expect("checked length").1);
        body
    }
}

impl Lowerer<'_> {
    /// The function a chain adapter or consumer is given.
    pub(super) fn callable<'e>(&mut self, e: &'e syn::Expr) -> Option<Callable<'e>> {
        match strip_parens(e) {
            syn::Expr::Closure(c) => Some(Callable::Literal(c)),
            syn::Expr::Path(p) if p.qself.is_none() => {
                if let Some(id) = p.path.get_ident() {
                    match self.lookup(&id.to_string()) {
                        Some(Binding::Closure(lc)) => return Some(Callable::Local(lc)),
                        Some(_) => {
                            self.error(e, "this local is not a closure, so it cannot be applied here; give a closure (`|v| v * v`), a local bound to one, or a function path (`f64::max`)");
                            return None;
                        }
                        None => {}
                    }
                }
                Some(Callable::Path(&p.path))
            }
            other => {
                self.error(
                    other,
                    "expected a closure (`|v| ...`) or a function path (`f64::max`) here",
                );
                None
            }
        }
    }

    /// Splits a chain at its first `map` or `filter`.
    pub(super) fn peel<'e>(&mut self, e: &'e syn::Expr) -> Option<Chain<'e>> {
        let mut calls = Vec::new();
        let mut e = strip_parens(e);
        while let syn::Expr::MethodCall(m) = e {
            if !has_map(e) {
                break;
            }
            calls.push(m);
            e = strip_parens(&m.receiver);
        }
        let mut chain = Chain {
            base: e,
            stages: Vec::new(),
            revs: 0,
        };
        for m in calls.into_iter().rev() {
            let name = m.method.to_string();
            let one = m.args.len() == 1;
            let none = m.args.is_empty();
            let stage = match name.as_str() {
                "map" if one => Stage::Map(self.callable(&m.args[0])?),
                "filter" if one => Stage::Filter(self.callable(&m.args[0])?),
                "enumerate" if none => Stage::Count(Counted::Enumerate, m),
                "skip" if one => Stage::Count(Counted::Skip, m),
                "step_by" if one => Stage::Count(Counted::StepBy, m),
                "take" if one => Stage::Count(Counted::Take, m),
                "copied" | "cloned" if none => continue,
                "rev" if none => {
                    if chain.stages.iter().any(|s| matches!(s, Stage::Count(..))) {
                        self.error(&m.method, "`rev` after `enumerate`, `skip`, `step_by` or `take` that follow a `map` or `filter` is not supported; put `rev` before these adapters, or these adapters and `rev` before the `map`");
                        return None;
                    }
                    chain.revs += 1;
                    continue;
                }
                "map" | "filter" | "enumerate" | "skip" | "step_by" | "take" | "rev" => {
                    self.error(
                        m,
                        format!("`{name}` has the wrong number of arguments here"),
                    );
                    return None;
                }
                "zip" => {
                    self.error(&m.method, "`zip` after a `map` or `filter` is not supported; put the `zip` before them (`a.iter().zip(b).map(|(p, q)| ..)`)");
                    return None;
                }
                _ => {
                    self.error(&m.method, format!("iterator adapter `{name}` after a `map` or `filter` is not supported; the adapters supported there are `enumerate`, `skip`, `take`, `step_by` and `rev` (see the supported-Rust table in the crate docs); otherwise write the loop"));
                    return None;
                }
            };
            chain.stages.push(stage);
        }
        Some(chain)
    }

    /// Plans the chain's base, with its `rev`s.
    pub(super) fn plan_chain(&mut self, chain: &Chain<'_>, out: &mut Block) -> Option<Plan> {
        let mut plan = self.plan(chain.base, out)?;
        if chain.revs > 0 && !plan.counters.is_empty() {
            self.error(chain.base, "`rev` after an `enumerate` or `zip` that follows `rev` or `step_by` is not supported; put `rev` before the `enumerate` or `zip` (which then counts from the back), or write the loop with an index");
            return None;
        }
        for _ in 0..chain.revs {
            plan.adapters.push(RangeAdapter::Rev);
        }
        Some(plan)
    }

    /// Runs the stages on the item at `index`, building the loop body;
    /// returns the value that reaches the consumer (`None`: the item
    /// itself) and the body.
    pub(super) fn run_stages(
        &mut self,
        stages: &[Stage<'_>],
        plan: &Plan,
        index: VarId,
        out: &mut Block,
    ) -> Option<(Option<Atom>, Flow)> {
        let mut flow = Flow {
            blocks: vec![(None, Vec::new())],
            exits: Vec::new(),
            after: Vec::new(),
            counted: Vec::new(),
            filtered: false,
        };
        self.enter(plan, flow.cur());
        let mut value: Option<Atom> = None;
        for stage in stages {
            match stage {
                Stage::Map(f) => {
                    let input = match value.take() {
                        Some(a) => Input::Atom(a),
                        None => Input::Item(&plan.item, index),
                    };
                    match self.apply(f, vec![input], flow.cur()) {
                        Val::Atom(a) => value = Some(a),
                        Val::Never => return None,
                    }
                }
                Stage::Filter(p) => {
                    let keep = match value.clone() {
                        Some(v) => self.apply_by_ref(p, v, flow.cur()),
                        // A window or chunk is bound as the sub-slice itself.
                        None if has_slice(&plan.item) => {
                            self.apply(p, vec![Input::Item(&plan.item, index)], flow.cur())
                        }
                        None => {
                            let v = self.item_atom(&plan.item, index, flow.cur())?;
                            self.apply_by_ref(p, v, flow.cur())
                        }
                    };
                    let Val::Atom(keep) = keep else {
                        return None;
                    };
                    flow.blocks.push((Some(keep), Vec::new()));
                    flow.filtered = true;
                }
                Stage::Count(kind, m) => {
                    value = self.count_stage(*kind, m, value, plan, index, &mut flow, out)?;
                }
            }
        }
        Some((value, flow))
    }

    /// One `enumerate`, `skip`, `step_by` or `take` stage.
    #[allow(clippy::too_many_arguments)]
    fn count_stage(
        &mut self,
        kind: Counted,
        m: &syn::ExprMethodCall,
        value: Option<Atom>,
        plan: &Plan,
        index: VarId,
        flow: &mut Flow,
        out: &mut Block,
    ) -> Option<Option<Atom>> {
        let span = span_of(m);
        let k = match kind {
            Counted::Enumerate => None,
            _ => match self.lower_expr(&m.args[0], out) {
                // Rust reads `k` once, when the adapter is made.
                Val::Atom(k) => Some(self.emit(Op::Use(k), span, out)),
                Val::Never => return None,
            },
        };
        let c = self.func.temp(Ty::Int, span);
        self.func.vars[c.0].mutable = true;
        self.func.vars[c.0].name = "n".into();
        out.push(Stmt::Let {
            pat: Pat::Var(c),
            init: Some(Op::Use(int(0))),
            span,
        });
        let cur = Atom::Var(c);
        flow.counted.extend(k.clone().map(|k| match kind {
            Counted::Skip => RangeAdapter::Skip(k),
            Counted::StepBy => RangeAdapter::StepBy(k),
            _ => RangeAdapter::Take(k),
        }));
        let bump = |l: &mut Self, b: &mut Block| {
            let next = l.emit(Op::Bin(BinOp::Add, cur.clone(), int(1)), span, b);
            l.assign(Place::var(c), next, span, b);
        };
        match kind {
            Counted::Take => {
                let k = k.expect("take has a count");
                let done = self.emit(Op::Bin(BinOp::Ge, cur.clone(), k), span, &mut flow.exits);
                flow.exits.push(Stmt::If {
                    cond: done,
                    then: vec![Stmt::Break(None)],
                    els: Vec::new(),
                });
                bump(self, flow.cur());
                Some(value)
            }
            Counted::Enumerate => {
                let n = self.emit(Op::Use(cur.clone()), span, flow.cur());
                bump(self, flow.cur());
                let v = match value {
                    Some(v) => v,
                    None => self.item_atom(&plan.item, index, flow.cur())?,
                };
                Some(Some(self.emit(Op::Tuple(vec![n, v]), span, flow.cur())))
            }
            Counted::Skip | Counted::StepBy => {
                let k = k.expect("skip and step_by have a count");
                let n = self.emit(Op::Use(cur.clone()), span, flow.cur());
                bump(self, flow.cur());
                let keep = if kind == Counted::Skip {
                    self.emit(Op::Bin(BinOp::Ge, n, k), span, flow.cur())
                } else {
                    let r = self.emit(Op::Bin(BinOp::Rem, n, k), span, flow.cur());
                    self.emit(Op::Bin(BinOp::Eq, r, int(0)), span, flow.cur())
                };
                flow.blocks.push((Some(keep), Vec::new()));
                Some(value)
            }
        }
    }

    /// A consumer at the end of a chain.
    pub(super) fn lower_chain(&mut self, m: &syn::ExprMethodCall, out: &mut Block) -> Val {
        let span = span_of(m);
        // `chain.max_by(f).unwrap()`: the consumer is `max_by`.
        let m = match (m.method == "unwrap", strip_parens(&m.receiver)) {
            (true, syn::Expr::MethodCall(inner)) => inner,
            _ => m,
        };
        let Some(chain) = self.peel(&m.receiver) else {
            return Self::poison();
        };
        let Some(plan) = self.plan_chain(&chain, out) else {
            return Self::poison();
        };
        let index = self.func.temp(Ty::Int, span);
        self.func.vars[index.0].name = "i".into();
        let Some((value, mut flow)) = self.run_stages(&chain.stages, &plan, index, out) else {
            return Self::poison();
        };
        let Some(result) = self.consume(m, value, &plan, index, &mut flow, out) else {
            return Self::poison();
        };
        let after = std::mem::take(&mut flow.after);
        out.push(Stmt::For {
            var: index,
            range: plan.into_range(),
            body: flow.close(),
            label: None,
        });
        out.extend(after);
        Val::Atom(result)
    }

    /// `for y in chain.map(f) { body }`: `y` is bound to the mapped value.
    /// Returns `None` when the iterator has no `map` or `filter` (the caller
    /// lowers it).
    pub(super) fn lower_for_mapped(
        &mut self,
        f: &syn::ExprForLoop,
        out: &mut Block,
    ) -> Option<Val> {
        if !has_map(&f.expr) {
            return None;
        }
        let span = span_of(&f.pat);
        let Some(chain) = self.peel(&f.expr) else {
            return Some(Self::poison());
        };
        let Some(plan) = self.plan_chain(&chain, out) else {
            return Some(Self::poison());
        };
        let label = f.label.as_ref().map(|l| l.name.clone());
        let index = self.func.temp(Ty::Int, span);
        self.func.vars[index.0].name = "i".into();
        self.scopes.push(Default::default());
        let Some((value, mut flow)) = self.run_stages(&chain.stages, &plan, index, out) else {
            self.scopes.pop();
            return Some(Self::poison());
        };
        self.loops.push(LoopCtx {
            label: Self::label_name(f.label.as_ref()),
            result: None,
            is_for: true,
        });
        match value {
            Some(v) => self.bind_atom(&f.pat, v, flow.cur()),
            None => self.bind_item(&f.pat, &plan.item, index, flow.cur()),
        }
        self.lower_block_scoped(&f.body, flow.cur());
        self.loops.pop();
        self.scopes.pop();
        out.push(Stmt::For {
            var: index,
            range: plan.into_range(),
            body: flow.close(),
            label,
        });
        Some(Val::Atom(Atom::Const(Const::Unit)))
    }
}

/// The `usize` literal `n`.
pub(super) fn int(n: u32) -> Atom {
    Atom::Const(Const::Lit(syn::Lit::Int(syn::LitInt::new(
        &n.to_string(),
        proc_macro2::Span::call_site(),
    ))))
}

/// Whether an item holds a sub-slice (`windows`, `chunks`).
fn has_slice(item: &super::loops::Item) -> bool {
    use super::loops::Item;
    match item {
        Item::Slice { .. } => true,
        Item::Pair(a, b) => has_slice(a) || has_slice(b),
        Item::Index { .. } | Item::Elem { .. } => false,
    }
}

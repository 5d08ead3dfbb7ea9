//! Iterator chains with closures, lowered to the loop a user would write by
//! hand:
//! - consumers `sum`, `product`, `fold`, `for_each` and `collect`, with `map`
//!   adapters before them: `x.iter().map(|v| v * v).sum::<f64>()`,
//!   `a.iter().zip(b).map(|(p, q)| p * q).sum()`,
//!   `x.iter().cloned().fold(f64::NEG_INFINITY, f64::max)`;
//! - `for y in chain.map(f) { ... }`.
//!
//! The chain before the first `map` is planned as a `for` iterator
//! (`loops.rs`), and each closure is applied in the loop body
//! (`closures.rs`), so the derivative of the result is the derivative of
//! that loop.

use crate::ir::{Atom, BinOp, Block, Const, Op, Pat, Place, Stmt, VarId};
use crate::ty::Ty;

use super::closures::{Callable, Input};
use super::loops::Plan;
use super::{span_of, strip_parens, Binding, LoopCtx, Lowerer, Val};

/// Whether the method chain `e` contains a `map` adapter.
pub(super) fn has_map(e: &syn::Expr) -> bool {
    match strip_parens(e) {
        syn::Expr::MethodCall(m) => m.method == "map" || has_map(&m.receiver),
        _ => false,
    }
}

impl Lowerer<'_> {
    /// The function a chain adapter or consumer is given.
    fn callable<'e>(&mut self, e: &'e syn::Expr) -> Option<Callable<'e>> {
        match strip_parens(e) {
            syn::Expr::Closure(c) => Some(Callable::Literal(c)),
            syn::Expr::Path(p) if p.qself.is_none() => {
                if let Some(id) = p.path.get_ident() {
                    match self.lookup(&id.to_string()) {
                        Some(Binding::Closure(lc)) => return Some(Callable::Local(lc)),
                        Some(_) => {
                            self.error(e, "only closures and functions can be applied here");
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

    /// Splits `chain.map(f).map(g)` into `chain` and `[f, g]`. A `map`
    /// followed by other adapters is reported: they would have to commute
    /// with the closure.
    fn peel_maps<'e>(&mut self, e: &'e syn::Expr) -> Option<(&'e syn::Expr, Vec<Callable<'e>>)> {
        let mut maps = Vec::new();
        let mut e = strip_parens(e);
        while let syn::Expr::MethodCall(m) = e {
            if m.method != "map" {
                if has_map(&m.receiver) {
                    self.error(&m.method, format!("`{}` after `map` is not supported; put it before the `map` (`x.iter().{}(..).map(..)`)", m.method, m.method));
                    return None;
                }
                break;
            }
            if m.args.len() != 1 {
                self.error(m, "`map` takes one closure");
                return None;
            }
            maps.push(self.callable(&m.args[0])?);
            e = strip_parens(&m.receiver);
        }
        maps.reverse();
        Some((e, maps))
    }

    /// Applies the `map`s to the item at `index`; `None` leaves the item
    /// itself (no `map`), `Some(Never)` reports a failure.
    fn mapped(
        &mut self,
        maps: &[Callable<'_>],
        item: &super::loops::Item,
        index: crate::ir::VarId,
        body: &mut Block,
    ) -> Result<Option<Atom>, ()> {
        let mut value: Option<Atom> = None;
        for f in maps {
            let input = match value.take() {
                Some(a) => Input::Atom(a),
                None => Input::Item(item, index),
            };
            match self.apply(f, vec![input], body) {
                Val::Atom(a) => value = Some(a),
                Val::Never => return Err(()),
            }
        }
        Ok(value)
    }

    /// `sum`, `product`, `fold` or `for_each` at the end of a chain.
    pub(super) fn lower_chain(&mut self, m: &syn::ExprMethodCall, out: &mut Block) -> Val {
        let span = span_of(m);
        let name = m.method.to_string();
        let Some((base, maps)) = self.peel_maps(&m.receiver) else {
            return Self::poison();
        };
        let Some(plan) = self.plan(base, out) else {
            return Self::poison();
        };
        let index = self.func.temp(Ty::Int, span);
        self.func.vars[index.0].name = "i".into();
        let mut body = Vec::new();
        let Ok(value) = self.mapped(&maps, &plan.item, index, &mut body) else {
            return Self::poison();
        };
        let input = |value: Option<Atom>| match value {
            Some(a) => Input::Atom(a),
            None => Input::Item(&plan.item, index),
        };
        let result = match name.as_str() {
            "sum" | "product" => match self.reduce(m, value, &plan, index, &mut body, out) {
                Some(a) => a,
                None => return Self::poison(),
            },
            "fold" => {
                let Val::Atom(init) = self.lower_expr(&m.args[0], out) else {
                    return Self::poison();
                };
                let Some(f) = self.callable(&m.args[1]) else {
                    return Self::poison();
                };
                let ty = self.ty_of(&init);
                let acc = self.func.temp(ty, span);
                self.func.vars[acc.0].mutable = true;
                self.func.vars[acc.0].name = "acc".into();
                out.push(Stmt::Let {
                    pat: Pat::Var(acc),
                    init: Some(Op::Use(init)),
                    span,
                });
                let Val::Atom(r) = self.apply(
                    &f,
                    vec![Input::Atom(Atom::Var(acc)), input(value)],
                    &mut body,
                ) else {
                    return Self::poison();
                };
                self.assign(Place::var(acc), r, span, &mut body);
                Atom::Var(acc)
            }
            "collect" => match self.collect_vec(m, value, &plan, index, &mut body, out) {
                Some(a) => a,
                None => return Self::poison(),
            },
            _ => {
                // `for_each`
                let Some(f) = self.callable(&m.args[0]) else {
                    return Self::poison();
                };
                if let Val::Atom(a) = self.apply(&f, vec![input(value)], &mut body) {
                    self.discard(&a, &mut body);
                }
                Atom::Const(Const::Unit)
            }
        };
        out.push(Stmt::For {
            var: index,
            range: plan.into_range(),
            body,
            label: None,
        });
        Val::Atom(result)
    }

    /// The value of one iteration: the last closure's result, or the item
    /// itself when the chain has no `map`.
    fn item_value(
        &mut self,
        value: Option<Atom>,
        plan: &Plan,
        index: VarId,
        body: &mut Block,
    ) -> Option<Atom> {
        match value {
            Some(v) => Some(v),
            None => self.item_atom(&plan.item, index, body),
        }
    }

    /// `sum` or `product` at the end of a chain: an accumulator updated in
    /// the loop `body`.
    fn reduce(
        &mut self,
        m: &syn::ExprMethodCall,
        value: Option<Atom>,
        plan: &Plan,
        index: VarId,
        body: &mut Block,
        out: &mut Block,
    ) -> Option<Atom> {
        let span = span_of(m);
        let name = m.method.to_string();
        let v = self.item_value(value, plan, index, body)?;
        let declared = match &m.turbofish {
            Some(t) => match t.args.first() {
                Some(syn::GenericArgument::Type(ty)) => Ty::from_syn(ty),
                _ => Ty::Unknown,
            },
            None => Ty::Unknown,
        };
        let ty = declared.join(self.ty_of(&v));
        let is_sum = name == "sum";
        let init = match ty {
            Ty::Int => Atom::Const(Const::Lit(if is_sum {
                syn::parse_quote!(0)
            } else {
                syn::parse_quote!(1)
            })),
            _ => Atom::float(if is_sum { 0.0 } else { 1.0 }),
        };
        let acc = self.func.temp(ty, span);
        self.func.vars[acc.0].mutable = true;
        self.func.vars[acc.0].name = name.clone();
        out.push(Stmt::Let {
            pat: Pat::Var(acc),
            init: Some(Op::Use(init)),
            span,
        });
        let op = if is_sum { BinOp::Add } else { BinOp::Mul };
        let new = self.emit(Op::Bin(op, Atom::Var(acc), v), span, body);
        self.assign(Place::var(acc), new, span, body);
        Some(Atom::Var(acc))
    }

    /// `collect` into a `Vec`: a `Vec` as long as the iteration, written by
    /// a counter (no `push`, which has no derivative rule).
    fn collect_vec(
        &mut self,
        m: &syn::ExprMethodCall,
        value: Option<Atom>,
        plan: &Plan,
        index: VarId,
        body: &mut Block,
        out: &mut Block,
    ) -> Option<Atom> {
        let span = span_of(m);
        // `let v: Vec<f64> = x.iter().map(f).collect();`
        let v = self.item_value(value, plan, index, body)?;
        let zero = match self.ty_of(&v) {
            Ty::Int => Atom::Const(Const::Lit(syn::parse_quote!(0))),
            Ty::Float(_) | Ty::Unknown => Atom::float(0.0),
            _ => {
                self.error(&m.method, "`collect` is supported for items that are floats or integers (`x.iter().map(|v| v * 2.0).collect::<Vec<f64>>()`)");
                return None;
            }
        };
        let len = self.trip_count(plan, span, out);
        let vec = self.func.temp(Ty::Vec(Box::new(self.ty_of(&v))), span);
        self.func.vars[vec.0].mutable = true;
        self.func.vars[vec.0].name = "collected".into();
        out.push(Stmt::Let {
            pat: Pat::Var(vec),
            init: Some(Op::VecRepeat(zero, len)),
            span,
        });
        let k = self.func.temp(Ty::Int, span);
        self.func.vars[k.0].mutable = true;
        self.func.vars[k.0].name = "k".into();
        out.push(Stmt::Let {
            pat: Pat::Var(k),
            init: Some(Op::Use(Atom::Const(Const::Lit(syn::parse_quote!(0))))),
            span,
        });
        let mut place = Place::var(vec);
        place.proj.push(crate::ir::Proj::Index(Atom::Var(k)));
        self.assign(place, v, span, body);
        let next = self.emit(
            Op::Bin(
                BinOp::Add,
                Atom::Var(k),
                Atom::Const(Const::Lit(syn::parse_quote!(1))),
            ),
            span,
            body,
        );
        self.assign(Place::var(k), next, span, body);
        Some(Atom::Var(vec))
    }

    /// The number of iterations of `plan`: `max(hi, lo) - lo` (one more
    /// for an inclusive range), divided up by a `step_by`.
    fn trip_count(
        &mut self,
        plan: &super::loops::Plan,
        span: proc_macro2::Span,
        out: &mut Block,
    ) -> Atom {
        let one = || Atom::Const(Const::Lit(syn::parse_quote!(1)));
        let hi = if plan.inclusive {
            self.emit(Op::Bin(BinOp::Add, plan.hi.clone(), one()), span, out)
        } else {
            plan.hi.clone()
        };
        let top = self.emit(
            Op::Elem(crate::elem::Elem::Max, vec![hi, plan.lo.clone()], None),
            span,
            out,
        );
        let mut n = self.emit(Op::Bin(BinOp::Sub, top, plan.lo.clone()), span, out);
        for a in &plan.adapters {
            if let crate::ir::RangeAdapter::StepBy(k) = a {
                let up = self.emit(Op::Bin(BinOp::Add, n, k.clone()), span, out);
                let up = self.emit(Op::Bin(BinOp::Sub, up, one()), span, out);
                n = self.emit(Op::Bin(BinOp::Div, up, k.clone()), span, out);
            }
        }
        n
    }

    /// `for y in chain.map(f) { body }`: `y` is bound to the mapped value.
    /// Returns `None` when the iterator has no `map` (the caller lowers it).
    pub(super) fn lower_for_mapped(
        &mut self,
        f: &syn::ExprForLoop,
        out: &mut Block,
    ) -> Option<Val> {
        if !has_map(&f.expr) {
            return None;
        }
        let span = span_of(&f.pat);
        let Some((base, maps)) = self.peel_maps(&f.expr) else {
            return Some(Self::poison());
        };
        let Some(plan) = self.plan(base, out) else {
            return Some(Self::poison());
        };
        let label = f.label.as_ref().map(|l| l.name.clone());
        let index = self.func.temp(Ty::Int, span);
        self.func.vars[index.0].name = "i".into();
        let mut body = Vec::new();
        self.scopes.push(Default::default());
        let Ok(Some(value)) = self.mapped(&maps, &plan.item, index, &mut body) else {
            self.scopes.pop();
            return Some(Self::poison());
        };
        self.loops.push(LoopCtx {
            label: Self::label_name(f.label.as_ref()),
            result: None,
            is_for: true,
        });
        self.bind_atom(&f.pat, value, &mut body);
        self.lower_block_scoped(&f.body, &mut body);
        self.loops.pop();
        self.scopes.pop();
        out.push(Stmt::For {
            var: index,
            range: plan.into_range(),
            body,
            label,
        });
        Some(Val::Atom(Atom::Const(Const::Unit)))
    }
}

//! The consumer at the end of an iterator chain (`chains.rs`), given the
//! value each iteration yields: an accumulator the loop body updates.
//!
//! `max_by` and `min_by` keep the element Rust's `Iterator::max_by` and
//! `min_by` return: the last of equal maxima, the first of equal minima,
//! so the derivative follows that element. The comparator must be
//! `a.total_cmp(b)` or `a.partial_cmp(b).unwrap()` (either order, or
//! `f64::total_cmp`); it is evaluated with `<` and `>`, which agree with
//! `total_cmp` except on NaN and on `-0.0` against `0.0`.

use crate::elem::Elem;
use crate::ir::{Atom, BinOp, Block, Const, Op, Pat, Place, Proj, Stmt, UnOp, VarId};
use crate::ty::Ty;

use super::chains::{int, Flow};
use super::closures::Input;
use super::loops::Plan;
use super::{span_of, strip_parens, Lowerer, Val};

impl Lowerer<'_> {
    /// The consumer `m`, updated in the innermost block of `flow`.
    pub(super) fn consume(
        &mut self,
        m: &syn::ExprMethodCall,
        value: Option<Atom>,
        plan: &Plan,
        index: VarId,
        flow: &mut Flow,
        out: &mut Block,
    ) -> Option<Atom> {
        let name = m.method.to_string();
        let span = span_of(m);
        let input = |value: Option<Atom>| match value {
            Some(a) => Input::Atom(a),
            None => Input::Item(&plan.item, index),
        };
        match name.as_str() {
            "sum" | "product" | "count" => self.reduce(m, value, plan, index, flow, out),
            "fold" => {
                let Val::Atom(init) = self.lower_expr(&m.args[0], out) else {
                    return None;
                };
                let f = self.callable(&m.args[1])?;
                let acc = self.accumulator(self.ty_of(&init), init, "acc", span, out);
                let Val::Atom(r) = self.apply(
                    &f,
                    vec![Input::Atom(Atom::Var(acc)), input(value)],
                    flow.cur(),
                ) else {
                    return None;
                };
                self.assign(Place::var(acc), r, span, flow.cur());
                Some(Atom::Var(acc))
            }
            "collect" => self.collect_vec(m, value, plan, index, flow, out),
            "for_each" => {
                let f = self.callable(&m.args[0])?;
                if let Val::Atom(a) = self.apply(&f, vec![input(value)], flow.cur()) {
                    self.discard(&a, flow.cur());
                }
                Some(Atom::Const(Const::Unit))
            }
            "max_by" | "min_by" | "reduce" => self.extremum(m, value, plan, index, flow, out),
            _ => {
                self.error(&m.method, format!("`{name}` is not supported at the end of an iterator chain; end it with `sum`, `fold`, `for_each` or `collect` (the supported-Rust table in the crate docs lists the others), or write the loop"));
                None
            }
        }
    }

    /// A mutable variable declared before the loop.
    fn accumulator(
        &mut self,
        ty: Ty,
        init: Atom,
        name: &str,
        span: proc_macro2::Span,
        out: &mut Block,
    ) -> VarId {
        let acc = self.func.temp(ty, span);
        self.func.vars[acc.0].mutable = true;
        self.func.vars[acc.0].name = name.into();
        out.push(Stmt::Let {
            pat: Pat::Var(acc),
            init: Some(Op::Use(init)),
            span,
        });
        acc
    }

    /// The value of one iteration: the last stage's value, or the item.
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

    /// `sum`, `product` or `count`.
    fn reduce(
        &mut self,
        m: &syn::ExprMethodCall,
        value: Option<Atom>,
        plan: &Plan,
        index: VarId,
        flow: &mut Flow,
        out: &mut Block,
    ) -> Option<Atom> {
        let span = span_of(m);
        let name = m.method.to_string();
        if name == "count" {
            let acc = self.accumulator(Ty::Int, int(0), "count", span, out);
            let new = self.emit(
                Op::Bin(BinOp::Add, Atom::Var(acc), int(1)),
                span,
                flow.cur(),
            );
            self.assign(Place::var(acc), new, span, flow.cur());
            return Some(Atom::Var(acc));
        }
        let v = self.item_value(value, plan, index, flow.cur())?;
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
            Ty::Int => int(u32::from(!is_sum)),
            _ => Atom::float(if is_sum { 0.0 } else { 1.0 }),
        };
        let acc = self.accumulator(ty, init, &name, span, out);
        let op = if is_sum { BinOp::Add } else { BinOp::Mul };
        let new = self.emit(Op::Bin(op, Atom::Var(acc), v), span, flow.cur());
        self.assign(Place::var(acc), new, span, flow.cur());
        Some(Atom::Var(acc))
    }

    /// `max_by(cmp)`, `min_by(cmp)` or `reduce(f)`, under `unwrap`.
    fn extremum(
        &mut self,
        m: &syn::ExprMethodCall,
        value: Option<Atom>,
        plan: &Plan,
        index: VarId,
        flow: &mut Flow,
        out: &mut Block,
    ) -> Option<Atom> {
        let span = span_of(m);
        let name = m.method.to_string();
        let swapped = if name == "reduce" {
            None
        } else {
            match comparator(&m.args[0]) {
                Some(s) => Some(s),
                None => {
                    self.error(&m.args[0], format!("this comparator is not supported in `{name}`; write `|a, b| a.total_cmp(b)` or `|a, b| a.partial_cmp(b).unwrap()`"));
                    return None;
                }
            }
        };
        let v = self.item_value(value, plan, index, flow.cur())?;
        let v = Atom::Var(self.materialize(v, span, flow.cur()));
        let ty = self.ty_of(&v);
        // A typed zero: `best.max(v)` needs the float type known.
        let zero = match ty {
            Ty::Int => int(0),
            Ty::Float(Some(crate::ty::Prec::F32)) => {
                Atom::Const(Const::Lit(syn::parse_quote!(0.0f32)))
            }
            Ty::Float(Some(crate::ty::Prec::F64)) => {
                Atom::Const(Const::Lit(syn::parse_quote!(0.0f64)))
            }
            _ => Atom::float(0.0),
        };
        let best = self.accumulator(ty, zero, "best", span, out);
        let seen = self.accumulator(
            Ty::Bool,
            Atom::Const(Const::Lit(syn::parse_quote!(false))),
            "seen",
            span,
            out,
        );
        let mut first = Vec::new();
        self.assign(Place::var(best), v.clone(), span, &mut first);
        self.assign(
            Place::var(seen),
            Atom::Const(Const::Lit(syn::parse_quote!(true))),
            span,
            &mut first,
        );
        let mut next = Vec::new();
        match swapped {
            None => {
                let f = self.callable(&m.args[0])?;
                let Val::Atom(r) = self.apply(
                    &f,
                    vec![Input::Atom(Atom::Var(best)), Input::Atom(v)],
                    &mut next,
                ) else {
                    return None;
                };
                self.assign(Place::var(best), r, span, &mut next);
            }
            Some(swapped) => {
                // `cmp(best, v) == Greater`; `max_by` keeps `best` only
                // then, `min_by` takes `v` only then.
                let op = if swapped { BinOp::Lt } else { BinOp::Gt };
                let gt = self.emit(Op::Bin(op, Atom::Var(best), v.clone()), span, &mut next);
                let take = if name == "max_by" {
                    self.emit(Op::Unary(UnOp::Not, gt), span, &mut next)
                } else {
                    gt
                };
                let mut then = Vec::new();
                self.assign(Place::var(best), v, span, &mut then);
                next.push(Stmt::If {
                    cond: take,
                    then,
                    els: Vec::new(),
                });
            }
        }
        flow.cur().push(Stmt::If {
            cond: Atom::Var(seen),
            then: next,
            els: first,
        });
        // `unwrap` of an empty iterator panics.
        let none = self.emit(Op::Unary(UnOp::Not, Atom::Var(seen)), span, &mut flow.after);
        self.panic_if(none, span, &mut flow.after);
        Some(Atom::Var(best))
    }

    /// Panics when `cond` holds, as the code it stands for does: indexes
    /// a one-element array at `cond as usize`. An index that may panic is
    /// never removed as dead code.
    pub(super) fn panic_if(&mut self, cond: Atom, span: proc_macro2::Span, out: &mut Block) {
        let k = self.emit(Op::Cast(cond, syn::parse_quote!(usize)), span, out);
        let one = self.emit(Op::Array(vec![int(0)]), span, out);
        let mut place = Place::var(one.var().expect("emit makes a variable"));
        place.proj.push(Proj::Index(k));
        // Kept as a `let`: dead-code removal keeps an index that may panic.
        self.emit(Op::Load(place), span, out);
    }

    /// `collect` into a `Vec`: a `Vec` as long as the iteration, written by
    /// a counter (no `push`, which has no derivative rule).
    fn collect_vec(
        &mut self,
        m: &syn::ExprMethodCall,
        value: Option<Atom>,
        plan: &Plan,
        index: VarId,
        flow: &mut Flow,
        out: &mut Block,
    ) -> Option<Atom> {
        let span = span_of(m);
        if flow.filtered {
            self.error(&m.method, "`collect` after `filter` is not supported (the length is not known before the loop); sum or fold the filtered items instead, or write the loop");
            return None;
        }
        let mut len = self.trip_count(plan, span, out);
        for a in flow.counted.clone() {
            len = self.counted_len(&a, len, span, out);
        }
        let v = self.item_value(value, plan, index, flow.cur())?;
        let zero = match self.ty_of(&v) {
            Ty::Int => int(0),
            Ty::Float(_) | Ty::Unknown => Atom::float(0.0),
            _ => {
                self.error(&m.method, "`collect` is supported for items that are floats or integers (`x.iter().map(|v| v * 2.0).collect::<Vec<f64>>()`)");
                return None;
            }
        };
        let vec = self.func.temp(Ty::Vec(Box::new(self.ty_of(&v))), span);
        self.func.vars[vec.0].mutable = true;
        self.func.vars[vec.0].name = "collected".into();
        out.push(Stmt::Let {
            pat: Pat::Var(vec),
            init: Some(Op::VecRepeat(zero, len)),
            span,
        });
        let k = self.accumulator(Ty::Int, int(0), "k", span, out);
        let mut place = Place::var(vec);
        place.proj.push(Proj::Index(Atom::Var(k)));
        self.assign(place, v, span, flow.cur());
        let next = self.emit(Op::Bin(BinOp::Add, Atom::Var(k), int(1)), span, flow.cur());
        self.assign(Place::var(k), next, span, flow.cur());
        Some(Atom::Var(vec))
    }

    /// The number of iterations of `plan`: `max(hi, lo) - lo` (one more
    /// for an inclusive range), through its adapters.
    pub(super) fn trip_count(
        &mut self,
        plan: &Plan,
        span: proc_macro2::Span,
        out: &mut Block,
    ) -> Atom {
        let hi = if plan.inclusive {
            self.emit(Op::Bin(BinOp::Add, plan.hi.clone(), int(1)), span, out)
        } else {
            plan.hi.clone()
        };
        let top = self.emit(
            Op::Elem(Elem::Max, vec![hi, plan.lo.clone()], None),
            span,
            out,
        );
        let n = self.emit(Op::Bin(BinOp::Sub, top, plan.lo.clone()), span, out);
        let mut n = n;
        for a in &plan.adapters {
            n = self.counted_len(a, n, span, out);
        }
        n
    }

    /// The length of a sequence of `n` items after the adapter `a`.
    pub(super) fn counted_len(
        &mut self,
        a: &crate::ir::RangeAdapter,
        n: Atom,
        span: proc_macro2::Span,
        out: &mut Block,
    ) -> Atom {
        use crate::ir::RangeAdapter as R;
        match a {
            R::Rev => n,
            R::StepBy(k) => {
                let up = self.emit(Op::Bin(BinOp::Add, n, k.clone()), span, out);
                let up = self.emit(Op::Bin(BinOp::Sub, up, int(1)), span, out);
                self.emit(Op::Bin(BinOp::Div, up, k.clone()), span, out)
            }
            R::Take(k) => self.emit(Op::Elem(Elem::Min, vec![n, k.clone()], None), span, out),
            R::Skip(k) => {
                let top = self.emit(Op::Elem(Elem::Max, vec![n, k.clone()], None), span, out);
                self.emit(Op::Bin(BinOp::Sub, top, k.clone()), span, out)
            }
        }
    }
}

/// Whether `e` is a supported comparator, and whether it compares its
/// arguments the other way round (`|a, b| b.total_cmp(a)`).
fn comparator(e: &syn::Expr) -> Option<bool> {
    match strip_parens(e) {
        syn::Expr::Path(p) => {
            let last = p.path.segments.last()?;
            (last.ident == "total_cmp" && p.path.segments.len() == 2).then_some(false)
        }
        syn::Expr::Closure(c) if c.inputs.len() == 2 => {
            let a = pat_name(&c.inputs[0])?;
            let b = pat_name(&c.inputs[1])?;
            let body = strip_parens(&c.body);
            // `a.partial_cmp(b).unwrap()`
            let call = match body {
                syn::Expr::MethodCall(u) if u.method == "unwrap" && u.args.is_empty() => {
                    match strip_parens(&u.receiver) {
                        syn::Expr::MethodCall(pc) if pc.method == "partial_cmp" => pc,
                        _ => return None,
                    }
                }
                syn::Expr::MethodCall(tc) if tc.method == "total_cmp" => tc,
                _ => return None,
            };
            if call.args.len() != 1 {
                return None;
            }
            let (x, y) = (expr_name(&call.receiver)?, expr_name(&call.args[0])?);
            if x == a && y == b {
                Some(false)
            } else if x == b && y == a {
                Some(true)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The name a closure parameter binds (`a`, `&a`, `a: &f64`).
fn pat_name(p: &syn::Pat) -> Option<String> {
    match p {
        syn::Pat::Ident(pi) if pi.subpat.is_none() => Some(pi.ident.to_string()),
        syn::Pat::Reference(r) => pat_name(&r.pat),
        syn::Pat::Type(t) => pat_name(&t.pat),
        _ => None,
    }
}

/// The name an expression reads through `&` and `*` (`a`, `&b`, `*a`).
fn expr_name(e: &syn::Expr) -> Option<String> {
    match strip_parens(e) {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        syn::Expr::Reference(r) => expr_name(&r.expr),
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => expr_name(&u.expr),
        _ => None,
    }
}

//! Iterator adapters and sub-slice iterators on a `for` plan (`loops.rs`).
//!
//! An adapter changes the plan's range or its item:
//! - before any `rev` or `step_by`, `skip`, `take`, `enumerate` and `zip`
//!   move the range's bounds or shift the item's index;
//! - after them, `skip` and `take` become range adapters, and `enumerate`
//!   and `zip` read a position counter that each iteration advances, since
//!   the loop index no longer runs over consecutive positions;
//! - `windows(k)`, `chunks(k)` and `chunks_exact(k)` yield the sub-slices
//!   `x[i..i + k]` (cut at the length for `chunks`), with `i` stepping by
//!   `k` for chunks.

use proc_macro2::Span;

use crate::elem::Elem;
use crate::ir::{
    Atom, BinOp, Block, Bounds, Const, Op, Pat, Place, Proj, RangeAdapter, Stmt, VarId,
};
use crate::ty::Ty;

use super::loops::{add_shift, is_zero, set_by_value, Item, Plan, Shift};
use super::{span_of, Lowerer, Val};

fn lit(n: u32) -> Atom {
    Atom::Const(Const::Lit(syn::Lit::Int(syn::LitInt::new(
        &n.to_string(),
        Span::call_site(),
    ))))
}

impl Lowerer<'_> {
    pub(super) fn plan_method(&mut self, m: &syn::ExprMethodCall, out: &mut Block) -> Option<Plan> {
        let name = m.method.to_string();
        let span = span_of(m);
        let no_args = m.args.is_empty();
        match name.as_str() {
            "iter" | "iter_mut" if no_args => {
                let coll = self.lower_place(&m.receiver, out)?;
                let by = if name == "iter" {
                    super::loops::By::Ref
                } else {
                    super::loops::By::Mut
                };
                return Some(self.collection_plan(coll, by, span, out));
            }
            "into_iter" if no_args => return self.plan(&m.receiver, out),
            "windows" | "chunks" | "chunks_exact" if m.args.len() == 1 => {
                return self.plan_slices(m, out)
            }
            _ => {}
        }
        let mut plan = self.plan(&m.receiver, out)?;
        let arg = |l: &mut Self, out: &mut Block| -> Option<Atom> {
            match m.args.first().map(|a| l.lower_expr(a, out)) {
                Some(Val::Atom(a)) if m.args.len() == 1 => Some(a),
                _ => None,
            }
        };
        // After `rev` or `step_by` the index is no longer the position.
        let post = !plan.adapters.is_empty();
        let counted = !plan.counters.is_empty();
        match name.as_str() {
            "copied" | "cloned" if no_args => set_by_value(&mut plan.item),
            "rev" | "step_by" | "skip" if counted => {
                self.error(&m.method, format!("`{name}` after an `enumerate` or `zip` that follows `rev` or `step_by` is not supported; put `{name}` before the `enumerate` or `zip` (which then counts from there), or write the loop with an index"));
                return None;
            }
            "rev" if no_args => plan.adapters.push(RangeAdapter::Rev),
            "step_by" => {
                let k = arg(self, out)?;
                plan.adapters.push(RangeAdapter::StepBy(k));
            }
            "enumerate" if no_args && !post => {
                let shift = if is_zero(&plan.lo) {
                    Shift::default()
                } else {
                    Shift::minus(plan.lo.clone())
                };
                plan.item = Item::Pair(Box::new(Item::Index { shift }), Box::new(plan.item));
            }
            "enumerate" if no_args => {
                let p = self.counter(&mut plan, span, out);
                let shift = Shift {
                    at: Some(p),
                    terms: Vec::new(),
                };
                plan.item = Item::Pair(Box::new(Item::Index { shift }), Box::new(plan.item));
            }
            "skip" if !post => {
                let k = arg(self, out)?;
                plan.lo = if is_zero(&plan.lo) {
                    k
                } else {
                    self.emit(Op::Bin(BinOp::Add, plan.lo.clone(), k), span, out)
                };
            }
            "skip" => {
                let k = arg(self, out)?;
                plan.adapters.push(RangeAdapter::Skip(k));
            }
            "take" if !post => {
                let k = arg(self, out)?;
                let end = if is_zero(&plan.lo) {
                    k
                } else {
                    self.emit(Op::Bin(BinOp::Add, plan.lo.clone(), k), span, out)
                };
                plan.hi = self.emit(
                    Op::Elem(Elem::Min, vec![plan.hi.clone(), end], None),
                    span,
                    out,
                );
            }
            "take" => {
                let k = arg(self, out)?;
                plan.adapters.push(RangeAdapter::Take(k));
            }
            "zip" if m.args.len() == 1 => return self.plan_zip(m, plan, post, out),
            _ => {
                let hint = match name.as_str() {
                    "filter" | "map" => " (`map` and `filter` are supported in a chain that ends in `sum`, `product`, `fold`, `for_each`, `count`, `collect`, `max_by`, `min_by` or `reduce`, or in the iterator of a `for`)",
                    "chain" | "flat_map" | "flatten" | "peekable" | "scan" | "take_while" | "skip_while" => "; write the loop out with indices",
                    _ => "; see the supported-Rust table in the crate docs",
                };
                self.error(
                    &m.method,
                    format!("iterator adapter `{name}` is not supported here{hint}"),
                );
                return None;
            }
        }
        Some(plan)
    }

    /// `a.zip(b)`: `b`'s item at `a`'s position, for as long as both last.
    fn plan_zip(
        &mut self,
        m: &syn::ExprMethodCall,
        mut plan: Plan,
        post: bool,
        out: &mut Block,
    ) -> Option<Plan> {
        let span = span_of(m);
        let other = self.plan(&m.args[0], out)?;
        if !other.adapters.is_empty()
            || !other.counters.is_empty()
            || other.inclusive
            || plan.inclusive
        {
            self.error(
                &m.args[0],
                "`zip` is supported with an argument that is a collection or an exclusive range, with `skip`, `take` or `enumerate`; put `rev` and `step_by` after the `zip`, or index the other collection in the loop",
            );
            return None;
        }
        let other_len = if is_zero(&other.lo) {
            other.hi.clone()
        } else {
            self.emit(
                Op::Bin(BinOp::Sub, other.hi.clone(), other.lo.clone()),
                span,
                out,
            )
        };
        let mut shift = Shift::default();
        if !is_zero(&other.lo) {
            shift.terms.push((true, other.lo.clone()));
        }
        if post {
            // The other item is at the position, counted by the loop.
            shift.at = Some(self.counter(&mut plan, span, out));
            plan.adapters.push(RangeAdapter::Take(other_len));
        } else {
            // The other item at loop index i is its element i + lo' - lo.
            if !is_zero(&plan.lo) {
                shift.terms.push((false, plan.lo.clone()));
            }
            let end = if is_zero(&plan.lo) {
                other_len
            } else {
                self.emit(Op::Bin(BinOp::Add, plan.lo.clone(), other_len), span, out)
            };
            plan.hi = self.emit(
                Op::Elem(Elem::Min, vec![plan.hi.clone(), end], None),
                span,
                out,
            );
        }
        let other_item = add_shift(other.item, &shift);
        plan.item = Item::Pair(Box::new(plan.item), Box::new(other_item));
        Some(plan)
    }

    /// A position counter for `plan`, declared before the loop; returns
    /// the variable that holds the position in each iteration.
    fn counter(&mut self, plan: &mut Plan, span: Span, out: &mut Block) -> VarId {
        let c = self.func.temp(Ty::Int, span);
        self.func.vars[c.0].mutable = true;
        self.func.vars[c.0].name = "n".into();
        out.push(Stmt::Let {
            pat: Pat::Var(c),
            init: Some(Op::Use(lit(0))),
            span,
        });
        let p = self.func.temp(Ty::Int, span);
        self.func.vars[p.0].name = "pos".into();
        plan.counters.push((c, p));
        p
    }

    /// The start of an iteration of `plan`: reads and advances its counters.
    pub(super) fn enter(&mut self, plan: &Plan, body: &mut Block) {
        let span = Span::call_site();
        for &(c, p) in &plan.counters {
            body.push(Stmt::Let {
                pat: Pat::Var(p),
                init: Some(Op::Use(Atom::Var(c))),
                span,
            });
            let next = self.emit(Op::Bin(BinOp::Add, Atom::Var(c), lit(1)), span, body);
            self.assign(Place::var(c), next, span, body);
        }
    }

    /// `x.windows(k)`, `x.chunks(k)`, `x.chunks_exact(k)`.
    fn plan_slices(&mut self, m: &syn::ExprMethodCall, out: &mut Block) -> Option<Plan> {
        let span = span_of(m);
        let coll = self.lower_place(&m.receiver, out)?;
        let Val::Atom(k) = self.lower_expr(&m.args[0], out) else {
            return None;
        };
        // Rust reads `k` once; the body reads the copy.
        let k = self.emit(Op::Use(k), span, out);
        let len = self.emit(Op::Len(coll.clone()), span, out);
        let (hi, adapters, clamp) = match m.method.to_string().as_str() {
            "windows" => {
                // `windows(0)` panics; so must its loop.
                let zero = self.emit(Op::Bin(BinOp::Eq, k.clone(), lit(0)), span, out);
                self.panic_if(zero, span, out);
                // `len + 1 - k` windows, none when `k > len`.
                let up = self.emit(Op::Bin(BinOp::Add, len, lit(1)), span, out);
                let top = self.emit(Op::Elem(Elem::Max, vec![up, k.clone()], None), span, out);
                let n = self.emit(Op::Bin(BinOp::Sub, top, k.clone()), span, out);
                (n, Vec::new(), None)
            }
            "chunks" => (
                len.clone(),
                vec![RangeAdapter::StepBy(k.clone())],
                Some(len),
            ),
            _ => {
                let rem = self.emit(Op::Bin(BinOp::Rem, len.clone(), k.clone()), span, out);
                let n = self.emit(Op::Bin(BinOp::Sub, len, rem), span, out);
                (n, vec![RangeAdapter::StepBy(k.clone())], None)
            }
        };
        Some(Plan {
            lo: lit(0),
            hi,
            inclusive: false,
            adapters,
            item: Item::Slice {
                coll,
                shift: Shift::default(),
                size: k,
                clamp,
            },
            counters: Vec::new(),
        })
    }

    /// The sub-slice place of an `Item::Slice` at loop index `index`.
    pub(super) fn slice_place(
        &mut self,
        (coll, shift, size, clamp): (&Place, &Shift, &Atom, &Option<Atom>),
        index: VarId,
        out: &mut Block,
    ) -> Place {
        let span = Span::call_site();
        let start = self.shifted(index, shift, span, out);
        let start = Atom::Var(self.materialize(start, span, out));
        let mut end = self.emit(Op::Bin(BinOp::Add, start.clone(), size.clone()), span, out);
        if let Some(len) = clamp {
            end = self.emit(Op::Elem(Elem::Min, vec![end, len.clone()], None), span, out);
        }
        let mut place = coll.clone();
        place.proj.push(Proj::Slice(Bounds {
            lo: Some(start),
            hi: Some(end),
            inclusive: false,
        }));
        place
    }
}

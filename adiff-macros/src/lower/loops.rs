//! Lowering of `for` loops and slice reductions.
//!
//! A `for` loop over a collection becomes a loop over an integer index, with
//! the items read by indexing. That keeps the IR to one loop form whose trip
//! count is known on entry, which reverse mode needs, and it reads naturally:
//! `for &xi in x` becomes `for i in 0..x.len() { let xi = x[i]; ... }`.
//!
//! Supported chains: a range `a..b` / `a..=b`, or a collection (`x.iter()`,
//! `x.iter_mut()`, `&x`, `&mut x`, `x`), optionally followed by `.copied()`,
//! `.cloned()`, `.zip(other)`, `.enumerate()`, `.skip(k)`, `.take(k)`, then
//! `.step_by(k)` and `.rev()`.

use proc_macro2::Span;

use crate::ir::{
    Atom, BinOp, Block, Const, Op, Pat, Place, Proj, Range, RangeAdapter, Stmt, VarId,
};
use crate::ty::Ty;

use super::{span_of, strip_parens, Binding, LoopCtx, Lowerer, Val};

/// How an item refers to its collection's element.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum By {
    Ref,
    Mut,
    Value,
}

/// One component of a loop item, as a function of the loop index `i`.
#[derive(Clone)]
pub(super) enum Item {
    /// The number `i + shift` (a range item, or an `enumerate` counter).
    Index {
        shift: Shift,
    },
    /// `coll[i + shift]`.
    Elem {
        coll: Place,
        by: By,
        shift: Shift,
    },
    Pair(Box<Item>, Box<Item>),
    /// The sub-slice `coll[s..s + size]` with `s = i + shift`, cut at the
    /// length `clamp` if given (`windows`, `chunks`, `chunks_exact`).
    Slice {
        coll: Place,
        shift: Shift,
        size: Atom,
        clamp: Option<Atom>,
    },
}

/// Terms added to (`true`) or subtracted from the loop index, or from the
/// position counter `at` (`enumerate` and `zip` after `rev` or `step_by`).
/// Additions are applied first, so the `usize` arithmetic never goes below
/// zero.
#[derive(Clone, Default)]
pub(super) struct Shift {
    pub at: Option<VarId>,
    pub terms: Vec<(bool, Atom)>,
}

impl Shift {
    pub(super) fn is_empty(&self) -> bool {
        self.at.is_none() && self.terms.is_empty()
    }
    pub(super) fn minus(a: Atom) -> Self {
        Shift {
            at: None,
            terms: vec![(false, a)],
        }
    }
}

/// A loop over `lo..hi` with adapters, yielding an item per index.
pub(super) struct Plan {
    pub lo: Atom,
    pub hi: Atom,
    pub inclusive: bool,
    pub adapters: Vec<RangeAdapter>,
    pub item: Item,
    /// Position counters `(c, p)`: each iteration starts with `let p = c;
    /// c += 1;` (`enter`), and items at a position read `p`.
    pub counters: Vec<(VarId, VarId)>,
}

impl Plan {
    /// The IR range the loop runs over (the item is bound separately).
    pub(super) fn into_range(self) -> Range {
        Range {
            start: self.lo,
            end: self.hi,
            inclusive: self.inclusive,
            adapters: self.adapters,
        }
    }
}

impl Lowerer<'_> {
    pub(super) fn lower_for(&mut self, f: &syn::ExprForLoop, out: &mut Block) -> Val {
        if let Some(v) = self.lower_for_mapped(f, out) {
            self.reject_checkpoint(&f.attrs, "a `for` loop over a `map` chain");
            return v;
        }
        let checkpoint = self.checkpoint_of(&f.attrs, out);
        let Some(plan) = self.plan(&f.expr, out) else {
            return Self::poison();
        };
        let label = f.label.as_ref().map(|l| l.name.clone());
        self.loops.push(LoopCtx {
            label: Self::label_name(f.label.as_ref()),
            result: None,
            is_for: true,
        });
        self.scopes.push(Default::default());
        // Name the index after the user's variable when the item is the index.
        let index = match (&plan.item, &*f.pat) {
            (Item::Index { shift }, syn::Pat::Ident(pi))
                if shift.is_empty() && pi.subpat.is_none() && pi.by_ref.is_none() =>
            {
                let v = self.new_user_var(&pi.ident, Ty::Int, false);
                self.bind(&pi.ident.to_string(), Binding::Var(v));
                Some(v)
            }
            _ => None,
        };
        let span = span_of(&f.pat);
        let index = index.unwrap_or_else(|| {
            let v = self.func.temp(Ty::Int, span);
            self.func.vars[v.0].name = "i".into();
            v
        });
        let mut body = Vec::new();
        self.enter(&plan, &mut body);
        let item_is_index = matches!(&plan.item, Item::Index { shift } if shift.is_empty());
        if !item_is_index || !matches!(&*f.pat, syn::Pat::Ident(_)) {
            self.bind_item(&f.pat, &plan.item, index, &mut body);
        }
        self.lower_block_scoped(&f.body, &mut body);
        self.scopes.pop();
        self.loops.pop();
        self.mark_checkpoint(index, checkpoint);
        out.push(Stmt::For {
            var: index,
            range: plan.into_range(),
            body,
            label,
        });
        Val::Atom(Atom::Const(Const::Unit))
    }

    /// `x.iter().sum()` and `.product()`: a loop accumulating the items.
    pub(super) fn lower_reduction(
        &mut self,
        m: &syn::ExprMethodCall,
        is_sum: bool,
        out: &mut Block,
    ) -> Val {
        let span = span_of(m);
        let Some(plan) = self.plan(&m.receiver, out) else {
            return Self::poison();
        };
        let ty = match &m.turbofish {
            Some(t) => match t.args.first() {
                Some(syn::GenericArgument::Type(ty)) => Ty::from_syn(ty),
                _ => Ty::Unknown,
            },
            None => Ty::Unknown,
        };
        let init = if is_sum { 0.0 } else { 1.0 };
        let acc = self.func.temp(ty, span);
        self.func.vars[acc.0].mutable = true;
        self.func.vars[acc.0].name = if is_sum { "sum" } else { "product" }.into();
        out.push(Stmt::Let {
            pat: Pat::Var(acc),
            init: Some(Op::Use(Atom::float(init))),
            span,
        });
        let index = self.func.temp(Ty::Int, span);
        self.func.vars[index.0].name = "i".into();
        let mut body = Vec::new();
        self.enter(&plan, &mut body);
        let item = match &plan.item {
            Item::Elem { coll, shift, .. } => {
                let place = self.elem_place(coll, shift, index, span, &mut body);
                self.emit(Op::Load(place), span, &mut body)
            }
            _ => {
                self.error(&m.receiver, "`sum` and `product` are supported over a slice, array or `Vec` (`x.iter().sum::<f64>()`)");
                return Self::poison();
            }
        };
        let op = if is_sum { BinOp::Add } else { BinOp::Mul };
        let new = self.emit(Op::Bin(op, Atom::Var(acc), item), span, &mut body);
        self.assign(Place::var(acc), new, span, &mut body);
        out.push(Stmt::For {
            var: index,
            range: plan.into_range(),
            body,
            label: None,
        });
        let info_ty = self.func.info(acc).ty.clone();
        if !info_ty.is_known() {
            let elem_ty = self.ty_of(&Atom::Var(acc));
            self.func.vars[acc.0].ty = elem_ty;
        }
        Val::Atom(Atom::Var(acc))
    }

    /// The item at loop index `index` as one value (a pair as a tuple).
    pub(super) fn item_atom(&mut self, item: &Item, index: VarId, out: &mut Block) -> Option<Atom> {
        let span = Span::call_site();
        match item {
            Item::Index { shift } => Some(self.shifted(index, shift, span, out)),
            Item::Elem { coll, shift, .. } => {
                let place = self.elem_place(coll, shift, index, span, out);
                Some(self.emit(Op::Load(place), span, out))
            }
            Item::Pair(a, b) => {
                let x = self.item_atom(a, index, out)?;
                let y = self.item_atom(b, index, out)?;
                Some(self.emit(Op::Tuple(vec![x, y]), span, out))
            }
            Item::Slice { .. } => {
                self.diags.error(span, "a window or chunk is a slice, not a value; bind it with a closure or `for` pattern (`|w| w[1] - w[0]`) and index it");
                None
            }
        }
    }

    /// Reads an iterator chain into a plan.
    pub(super) fn plan(&mut self, e: &syn::Expr, out: &mut Block) -> Option<Plan> {
        let e = strip_parens(e);
        match e {
            syn::Expr::Range(r) => {
                let (Some(start), Some(end)) = (&r.start, &r.end) else {
                    self.error(e, "a `for` range needs both bounds (`a..b` or `a..=b`)");
                    return None;
                };
                let Val::Atom(lo) = self.lower_expr(start, out) else {
                    return None;
                };
                let Val::Atom(hi) = self.lower_expr(end, out) else {
                    return None;
                };
                Some(Plan {
                    lo,
                    hi,
                    inclusive: matches!(r.limits, syn::RangeLimits::Closed(_)),
                    adapters: Vec::new(),
                    item: Item::Index {
                        shift: Shift::default(),
                    },
                    counters: Vec::new(),
                })
            }
            syn::Expr::Reference(r) => {
                let coll = self.lower_place(&r.expr, out)?;
                let by = if r.mutability.is_some() {
                    By::Mut
                } else {
                    By::Ref
                };
                Some(self.collection_plan(coll, by, span_of(e), out))
            }
            syn::Expr::MethodCall(m) => self.plan_method(m, out),
            syn::Expr::Path(_) => {
                let coll = self.lower_place(e, out)?;
                let by = match self.place_ty(&coll) {
                    Ty::Ref(true, _) => By::Mut,
                    Ty::Ref(false, _) => By::Ref,
                    _ => By::Value,
                };
                Some(self.collection_plan(coll, by, span_of(e), out))
            }
            _ => {
                self.error(e, "this iterator is not supported; supported are ranges, and slices, arrays and `Vec`s (`&x`, `x.iter()`, `x.iter_mut()`, `x.windows(k)`, `x.chunks(k)`) with adapters (see the supported-Rust table in the crate docs)");
                None
            }
        }
    }

    pub(super) fn collection_plan(
        &mut self,
        coll: Place,
        by: By,
        span: Span,
        out: &mut Block,
    ) -> Plan {
        let hi = self.emit(Op::Len(coll.clone()), span, out);
        Plan {
            lo: Atom::Const(Const::Lit(syn::parse_quote!(0))),
            hi,
            inclusive: false,
            adapters: Vec::new(),
            item: Item::Elem {
                coll,
                by,
                shift: Shift::default(),
            },
            counters: Vec::new(),
        }
    }

    /// `coll[i - shift]` as a place.
    pub(super) fn elem_place(
        &mut self,
        coll: &Place,
        shift: &Shift,
        index: VarId,
        span: Span,
        out: &mut Block,
    ) -> Place {
        let idx = self.shifted(index, shift, span, out);
        let mut p = coll.clone();
        p.proj.push(Proj::Index(idx));
        p
    }

    /// The loop index plus a shift.
    pub(super) fn shifted(
        &mut self,
        index: VarId,
        shift: &Shift,
        span: Span,
        out: &mut Block,
    ) -> Atom {
        let mut terms: Vec<&(bool, Atom)> = shift.terms.iter().filter(|(add, _)| *add).collect();
        terms.extend(shift.terms.iter().filter(|(add, _)| !*add));
        let mut acc = Atom::Var(shift.at.unwrap_or(index));
        for (add, a) in terms {
            let op = if *add { BinOp::Add } else { BinOp::Sub };
            acc = self.emit(Op::Bin(op, acc, a.clone()), span, out);
        }
        acc
    }

    /// Binds a `for` pattern to the item at loop index `index`.
    pub(super) fn bind_item(&mut self, pat: &syn::Pat, item: &Item, index: VarId, out: &mut Block) {
        let span = span_of(pat);
        match (pat, item) {
            (syn::Pat::Wild(_), _) => {}
            (syn::Pat::Paren(p), _) => self.bind_item(&p.pat, item, index, out),
            (syn::Pat::Tuple(t), Item::Pair(a, b)) if t.elems.len() == 2 => {
                self.bind_item(&t.elems[0], a, index, out);
                self.bind_item(&t.elems[1], b, index, out);
            }
            (syn::Pat::Ident(pi), Item::Index { shift }) if pi.subpat.is_none() => {
                let a = self.shifted(index, shift, span, out);
                let op = self.take_op(a, None, out);
                let v = self.new_user_var(&pi.ident, Ty::Int, pi.mutability.is_some());
                out.push(Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op),
                    span,
                });
                self.bind(&pi.ident.to_string(), Binding::Var(v));
            }
            (syn::Pat::Ident(pi), Item::Elem { coll, by, shift }) if pi.subpat.is_none() => {
                let place = self.elem_place(coll, shift, index, span, out);
                match by {
                    By::Mut => self.bind(&pi.ident.to_string(), Binding::Alias(place)),
                    By::Ref | By::Value => {
                        let ty = self.place_ty(&place);
                        let v = self.new_user_var(&pi.ident, ty, pi.mutability.is_some());
                        out.push(Stmt::Let {
                            pat: Pat::Var(v),
                            init: Some(Op::Load(place)),
                            span,
                        });
                        let b = if *by == By::Ref {
                            Binding::ByRef(v)
                        } else {
                            Binding::Var(v)
                        };
                        self.bind(&pi.ident.to_string(), b);
                    }
                }
            }
            (
                syn::Pat::Ident(pi),
                Item::Slice {
                    coll,
                    shift,
                    size,
                    clamp,
                },
            ) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                let place = self.slice_place((coll, shift, size, clamp), index, out);
                self.bind(&pi.ident.to_string(), Binding::Alias(place));
            }
            (
                syn::Pat::Reference(r),
                Item::Elem {
                    coll,
                    by: By::Ref,
                    shift,
                },
            ) => {
                let place = self.elem_place(coll, shift, index, span, out);
                let a = self.emit(Op::Load(place), span, out);
                self.bind_atom(&r.pat, a, out);
            }
            (syn::Pat::Tuple(_), Item::Elem { coll, by, shift }) if *by != By::Mut => {
                let place = self.elem_place(coll, shift, index, span, out);
                let a = self.emit(Op::Load(place), span, out);
                self.bind_atom(pat, a, out);
            }
            _ => {
                self.error(pat, "this `for` pattern does not fit its iterator; supported are names, `&name`, `_` and pairs for `enumerate` and `zip`");
            }
        }
    }
}

pub(super) fn is_zero(a: &Atom) -> bool {
    match a {
        Atom::Const(Const::Lit(syn::Lit::Int(i))) => i.base10_digits() == "0",
        _ => false,
    }
}

pub(super) fn set_by_value(item: &mut Item) {
    match item {
        Item::Elem { by, .. } => *by = By::Value,
        Item::Pair(a, b) => {
            set_by_value(a);
            set_by_value(b);
        }
        Item::Index { .. } | Item::Slice { .. } => {}
    }
}

impl Shift {
    /// `extra` on top of this shift; a counter in `extra` replaces the base.
    pub(super) fn extend(&mut self, extra: &Shift) {
        if extra.at.is_some() {
            self.at = extra.at;
        }
        self.terms.extend(extra.terms.iter().cloned());
    }
}

/// Shifts every index in `item` by `extra` more.
pub(super) fn add_shift(item: Item, extra: &Shift) -> Item {
    match item {
        Item::Index { mut shift } => {
            shift.extend(extra);
            Item::Index { shift }
        }
        Item::Elem {
            coll,
            by,
            mut shift,
        } => {
            shift.extend(extra);
            Item::Elem { coll, by, shift }
        }
        Item::Slice {
            coll,
            mut shift,
            size,
            clamp,
        } => {
            shift.extend(extra);
            Item::Slice {
                coll,
                shift,
                size,
                clamp,
            }
        }
        Item::Pair(a, b) => Item::Pair(
            Box::new(add_shift(*a, extra)),
            Box::new(add_shift(*b, extra)),
        ),
    }
}

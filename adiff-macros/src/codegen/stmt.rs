//! Tokens for statements.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};

use super::{needs_exact_size, Writer};
use crate::ir::{Block, Op, Pat, Place, Range, RangeAdapter, Stmt, VarId};
use crate::ty::Ty;

impl Writer<'_> {
    /// The tokens of `let pat = op`'s operation. A tape in a generic
    /// function needs its element type, which only the variable has.
    pub(super) fn init(&self, pat: &Pat, op: &Op, span: Span) -> TokenStream {
        match (pat, op) {
            (Pat::Var(v), Op::TapeNew(cap)) if *cap > 0 && crate::ty::float_param().is_some() => {
                super::generic::tape_new(&self.func.info(*v).ty, *cap)
            }
            _ => self.op(op, span),
        }
    }

    pub(super) fn stmt(&self, s: &Stmt) -> TokenStream {
        if self.folds.is_folded_let(s) {
            return TokenStream::new();
        }
        match s {
            Stmt::Let { pat, init, span } => {
                let pat_ir = pat;
                let pat = self.pat(pat);
                match init {
                    Some(op) => {
                        let op = self.init(pat_ir, op, *span);
                        quote_spanned!(*span=> let #pat = #op;)
                    }
                    None => quote!(let #pat;),
                }
            }
            Stmt::Assign { place, op, span } => {
                if let Some(tokens) = self.compound_assign(place, op, *span) {
                    return tokens;
                }
                let place = self.place(place);
                let op = self.op(op, *span);
                quote_spanned!(*span=> #place = #op;)
            }
            Stmt::Eval { op, span } => {
                let op = self.op(op, *span);
                quote_spanned!(*span=> #op;)
            }
            Stmt::If { cond, then, els } => {
                let cond = self.atom(cond);
                let then = self.block(then, false);
                if els.is_empty() {
                    quote!(if #cond { #then })
                } else if let [nested @ Stmt::If { .. }] = els.as_slice() {
                    let nested = self.stmt(nested);
                    quote!(if #cond { #then } else #nested)
                } else {
                    let els = self.block(els, false);
                    quote!(if #cond { #then } else { #els })
                }
            }
            Stmt::For {
                var,
                range,
                body,
                label,
            } => self.for_loop(*var, range, body, label.as_ref()),
            Stmt::Loop { body, label } => {
                let body = self.block(body, false);
                let label = label.as_ref().map(|l| quote!(#l:));
                quote!(#label loop { #body })
            }
            Stmt::Break(l) => quote!(break #l;),
            Stmt::Continue(l) => quote!(continue #l;),
            Stmt::Return(None) => quote!(return;),
            Stmt::Return(Some(op)) => {
                let op = self.op(op, Span::call_site());
                quote!(return #op;)
            }
            Stmt::Accum { place, op, span } => self.accumulate(place, op, *span),
            Stmt::TapePush { tape, value } => {
                let tape = self.ident(*tape);
                let value = self.atom(value);
                quote!(#tape.push(#value);)
            }
            Stmt::Match { scrut, arms } => self.match_codes(scrut, arms),
            Stmt::Block { label, body } => {
                let body = self.block(body, false);
                quote!(#label: { #body })
            }
            Stmt::Assert { mac, args, rest } => {
                let args = args.iter().map(|a| self.atom(a));
                quote!(#mac!(#(#args),* #rest);)
            }
        }
    }

    /// The left side of a `let`, with the user's type annotation if any.
    pub(super) fn pat(&self, pat: &Pat) -> TokenStream {
        match pat {
            Pat::Var(v) => {
                let info = self.func.info(*v);
                let name = self.ident(*v);
                let m = self.mut_token(*v);
                let ty = info.declared.as_ref().map(|t| quote!(: #t));
                quote!(#m #name #ty)
            }
            Pat::Tuple(vs) => {
                let parts = vs.iter().map(|v| match v {
                    Some(v) => {
                        let m = self.mut_token(*v);
                        let name = self.ident(*v);
                        quote!(#m #name)
                    }
                    None => quote!(_),
                });
                quote!((#(#parts),*))
            }
        }
    }

    fn for_loop(
        &self,
        var: VarId,
        range: &Range,
        body: &Block,
        label: Option<&syn::Lifetime>,
    ) -> TokenStream {
        let var = if self.read.contains(&var) {
            self.ident(var).into_token_stream()
        } else {
            quote!(_)
        };
        let iter = self.range(range);
        let body = self.block(body, false);
        let label = label.map(|l| quote!(#l:));
        quote!(#label for #var in #iter { #body })
    }

    /// A `for` loop's iterator: the range and its adapters.
    fn range(&self, range: &Range) -> TokenStream {
        let start = self.operand(&range.start, super::fold::Prec::BitOr);
        let end = self.operand(&range.end, super::fold::Prec::BitOr);
        let dots = if range.inclusive {
            quote!(..=)
        } else {
            quote!(..)
        };
        let mut iter = if needs_exact_size(&range.adapters) {
            // `Take<Range<u64>>` and `StepBy<Range<u64>>` cannot be
            // reversed (`Range<u64>` is not exact-size), nor can any
            // inclusive range: count through the runtime instead.
            let f = if range.inclusive {
                quote!(indices_inclusive)
            } else {
                quote!(indices)
            };
            let rt = crate::runtime::path();
            quote!(#rt::#f(#start, #end))
        } else {
            quote!(#start #dots #end)
        };
        if !range.adapters.is_empty() {
            iter = quote!((#iter));
            for a in &range.adapters {
                iter = match a {
                    RangeAdapter::Rev => quote!(#iter.rev()),
                    RangeAdapter::Skip(k) => {
                        let k = self.atom(k);
                        quote!(#iter.skip(#k))
                    }
                    RangeAdapter::Take(k) => {
                        let k = self.atom(k);
                        quote!(#iter.take(#k))
                    }
                    RangeAdapter::StepBy(k) => {
                        let k = self.atom(k);
                        quote!(#iter.step_by(#k))
                    }
                };
            }
        }
        iter
    }

    /// `place += op`; non-scalar adjoints add element by element.
    fn accumulate(&self, place: &Place, op: &Op, span: Span) -> TokenStream {
        if let Some(t) = self.la_accumulate(place, op, span) {
            return t;
        }
        let target = self.place(place);
        // A concrete float in a generic function (`let x: f64 = p.into()`)
        // takes `+=` as anywhere else.
        let concrete = matches!(
            crate::typing::place_ty(self.func, place),
            Ty::Float(Some(crate::ty::Prec::F64 | crate::ty::Prec::F32))
        );
        if crate::ty::float_param().is_some() && !concrete {
            return self.generic_accumulate(place, op, span);
        }
        if let Op::Use(a) = op {
            let ty = crate::typing::atom_ty(self.func, a);
            if !matches!(ty, Ty::Float(_)) {
                let (rt, a) = (crate::runtime::path(), self.atom(a));
                return quote_spanned!(span=> #rt::accumulate(&mut #target, &#a););
            }
        }
        if let Op::Load(p) = op {
            // A `Vec` part of an adjoint (`seed[0]` of `[Vec<S>; 2]`), added
            // through a reference: it cannot be moved out.
            if !matches!(crate::typing::place_ty(self.func, p), Ty::Float(_)) {
                let (rt, p) = (crate::runtime::path(), self.place(p));
                return quote_spanned!(span=> #rt::accumulate(&mut #target, &#p););
            }
        }
        let op = self.op(op, span);
        quote_spanned!(span=> #target += #op;)
    }

    /// [`Self::accumulate`] in a function generic over its float type,
    /// which has no `+=` (`T: Float` does not imply `AddAssign`).
    fn generic_accumulate(&self, place: &Place, op: &Op, span: Span) -> TokenStream {
        let target = self.place(place);
        let whole = match op {
            Op::Use(a) => Some((crate::typing::atom_ty(self.func, a), self.atom(a))),
            Op::Load(p) => Some((crate::typing::place_ty(self.func, p), self.place(p))),
            _ => None,
        };
        if let Some((ty, source)) = whole.filter(|(t, _)| !matches!(t, Ty::Float(_))) {
            if let Some(t) = super::generic::accumulate(&ty, &target, &source) {
                return t;
            }
            let rt = crate::runtime::path();
            return quote_spanned!(span=> #rt::accumulate(&mut #target, &#source););
        }
        let (op, p) = self.expr(op, span);
        let op = if p < super::fold::Prec::Product {
            quote!((#op))
        } else {
            op
        };
        quote_spanned!(span=> #target = #target + #op;)
    }

    /// A dispatch on recorded exit codes.
    fn match_codes(&self, scrut: &crate::ir::Atom, arms: &[(usize, Block)]) -> TokenStream {
        let scrut = self.atom(scrut);
        let arms = arms.iter().map(|(k, b)| {
            let k = Literal::usize_unsuffixed(*k);
            let b = self.block(b, false);
            quote!(#k => { #b })
        });
        quote! {
            match #scrut {
                #(#arms)*
                _ => ::core::unreachable!("adiff: unknown exit code (internal error; please report)"),
            }
        }
    }
}

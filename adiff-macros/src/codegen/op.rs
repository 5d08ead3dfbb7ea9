//! Tokens for the right-hand side of a statement.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::fold::Prec as P;
use super::{bin_tokens, Writer};
use crate::elem::Elem;
use crate::ir::{Atom, CkOp, Const, Op, Proj, Term};
use crate::ty::{Prec, Ty};

impl Writer<'_> {
    pub(super) fn op(&self, op: &Op, span: Span) -> TokenStream {
        self.expr(op, span).0
    }

    /// The tokens of `op` and how tightly they bind (see [`fold`]): a
    /// folded operand is parenthesised only where its position needs it.
    ///
    /// [`fold`]: super::fold
    pub(super) fn expr(&self, op: &Op, span: Span) -> (TokenStream, P) {
        let tokens = match op {
            // A copy of a matrix is a clone: the original may still be read.
            Op::Use(a @ Atom::Var(v)) if matches!(self.func.info(*v).ty, Ty::La(_)) => {
                let x = self.operand(a, P::Primary);
                quote!(#x.clone())
            }
            Op::Use(a) => return self.atom_prec(a),
            Op::Load(p)
                if crate::typing::place_ty(self.func, p).is_linalg()
                    && !matches!(crate::typing::place_ty(self.func, p), Ty::Ref(..)) =>
            {
                let p = self.place(p);
                quote!(#p.clone())
            }
            Op::La(l, args) => return self.la(l, args, span),
            // A field of a value of a type the macro does not see (a call's
            // tuple result): a copy, since the whole may be read again.
            Op::Load(p)
                if p.proj.iter().any(|q| matches!(q, Proj::Field(_)))
                    && self.func.info(p.base).ty == Ty::Unknown
                    && crate::typing::place_ty(self.func, p) == Ty::Unknown =>
            {
                let (rt, p) = (crate::runtime::path(), self.place(p));
                quote!(#rt::part_of(&#p))
            }
            Op::Load(p) => self.place(p),
            Op::Bin(b, x, y) => {
                let p = bin_prec(*b);
                // `a as usize < b` would start generic arguments.
                let left = match b {
                    crate::ir::BinOp::Lt | crate::ir::BinOp::Shl => P::Unary,
                    _ if p == P::Compare => P::Shift,
                    _ => p,
                };
                let right = above(p);
                let (x, y) = (self.operand(x, left), self.operand(y, right));
                let o = bin_tokens(*b, span);
                return (quote!(#x #o #y), p);
            }
            Op::Unary(u, x) => {
                let x = self.operand(x, P::Unary);
                let t = match u {
                    crate::ir::UnOp::Neg => quote_spanned!(span=> -#x),
                    crate::ir::UnOp::Not => quote_spanned!(span=> !#x),
                };
                return (t, P::Unary);
            }
            Op::Cast(x, t) if self.lanes && self.is_tangent(x) => {
                let (rt, x) = (crate::runtime::path(), self.atom(x));
                quote_spanned!(span=> #rt::LaneCast::<#t>::lane_cast(#x))
            }
            Op::CastPrec(x, p) if self.lanes && self.is_tangent(x) => {
                let (rt, x) = (crate::runtime::path(), self.atom(x));
                let p = format_ident!("{}", p.name());
                quote!(#rt::LaneCast::<#p>::lane_cast(#x))
            }
            Op::Cast(x, t) => {
                let x = self.operand(x, P::Cast);
                return (quote_spanned!(span=> #x as #t), P::Cast);
            }
            // `T` has no `as` casts, to it or from it.
            Op::CastPrec(x, p) if crate::ty::float_param().is_some() => {
                let (rt, x, t) = (crate::runtime::path(), self.atom(x), p.tokens());
                quote!(#rt::cast::<#t, _>(#x))
            }
            Op::CastPrec(x, p) => {
                let x = self.operand(x, P::Cast);
                let p = format_ident!("{}", p.name());
                return (quote!(#x as #p), P::Cast);
            }
            Op::Elem(e, args, prec) => self.elem(*e, args, *prec, span),
            Op::Method(recv, name, args) => {
                let recv = self.operand(recv, P::Primary);
                let args = args.iter().map(|a| self.atom(a));
                quote!(#recv.#name(#(#args),*))
            }
            Op::Call(callee, args) => {
                let mut path = callee.path.clone();
                if let (Some(kind), Some(last)) = (callee.derivative, path.segments.last_mut()) {
                    last.ident = kind.name_of(&last.ident);
                    if kind.is_vector() {
                        // `g_jvpw::<W>`, after the callee's own generic arguments.
                        let w = crate::convention::width_ident();
                        let arg: syn::GenericArgument = syn::parse_quote!(#w);
                        match &mut last.arguments {
                            syn::PathArguments::AngleBracketed(a) => a.args.push(arg),
                            args => {
                                *args =
                                    syn::PathArguments::AngleBracketed(syn::parse_quote!(::<#arg>))
                            }
                        }
                    }
                }
                let args = args.iter().map(|a| self.arg(a));
                quote!(#path(#(#args),*))
            }
            Op::InRange {
                x,
                lo,
                hi,
                inclusive,
            } => {
                let x = self.operand(x, P::Unary);
                let lo = lo.as_ref().map(|a| self.operand(a, P::Compare));
                let hi = hi.as_ref().map(|a| self.operand(a, P::Compare));
                let dots = if *inclusive && hi.is_some() {
                    quote_spanned!(span=> ..=)
                } else {
                    quote_spanned!(span=> ..)
                };
                quote_spanned!(span=> (#lo #dots #hi).contains(&#x))
            }
            Op::Select(c, a, b) => {
                let (c, a, b) = (self.atom(c), self.atom(a), self.atom(b));
                return (quote!(if #c { #a } else { #b }), P::Select);
            }
            Op::Lin(terms) => return self.lin(terms, span),
            Op::Grow(p) => {
                let p = self.place(p);
                quote!(#p.push(::core::default::Default::default()))
            }
            Op::Shrink(p) => {
                let p = self.place(p);
                quote!(#p.pop())
            }
            Op::Tuple(_)
            | Op::Array(_)
            | Op::Repeat(..)
            | Op::VecRepeat(..)
            | Op::VecList(_)
            | Op::Len(_)
            | Op::Ref(..)
            | Op::Default
            | Op::ZeroVec(_)
            | Op::ZeroLike(_)
            | Op::TapeNew(_)
            | Op::TapeNewOwned
            | Op::TapePeek(..)
            | Op::TapePop(_)
            | Op::Ck(..) => self.aggregate_op(op),
        };
        (tokens, P::Primary)
    }

    /// Operations that build, read or zero aggregates, and tape operations.
    fn aggregate_op(&self, op: &Op) -> TokenStream {
        match op {
            Op::Tuple(xs) => {
                let xs: Vec<_> = xs.iter().map(|a| self.atom(a)).collect();
                if xs.len() == 1 {
                    let x = &xs[0];
                    quote!((#x,))
                } else {
                    quote!((#(#xs),*))
                }
            }
            // Folded elements of arrays keep their parentheses: clippy's
            // `possible_missing_comma` reads `[a - b, ..]` from a macro's
            // spans as a missing comma.
            Op::Array(xs) => {
                let xs = xs.iter().map(|a| self.operand(a, P::Primary));
                quote!([#(#xs),*])
            }
            Op::Repeat(x, n) => {
                let x = self.atom(x);
                quote!([#x; #n])
            }
            Op::VecRepeat(x, n) => {
                let (x, n) = (self.atom(x), self.atom(n));
                quote!(::std::vec![#x; #n])
            }
            Op::VecList(xs) => {
                let xs = xs.iter().map(|a| self.operand(a, P::Primary));
                quote!(::std::vec![#(#xs),*])
            }
            Op::Len(p) => {
                let deref = matches!(p.proj.last(), Some(Proj::Deref));
                let p = self.place(p);
                if deref {
                    quote!((#p).len())
                } else {
                    quote!(#p.len())
                }
            }
            Op::Ref(p, m) => {
                let p = self.place(p);
                if *m {
                    quote!(&mut #p)
                } else {
                    quote!(&#p)
                }
            }
            Op::Default => quote!(::core::default::Default::default()),
            Op::ZeroVec(a) | Op::ZeroLike(a) if self.lanes => {
                let is_ref = matches!(crate::typing::atom_ty(self.func, a), Ty::Ref(..));
                let (rt, w) = (crate::runtime::path(), crate::convention::width_ident());
                if matches!(crate::typing::atom_ty(self.func, a), Ty::Float(_)) {
                    return self.lanes_zero(a);
                }
                let a = self.atom(a);
                if is_ref || matches!(op, Op::ZeroVec(_)) {
                    quote!(#rt::lanes_zero_like::<#w, _>(#a))
                } else {
                    quote!(#rt::lanes_zero_like::<#w, _>(&#a))
                }
            }
            Op::ZeroVec(a) | Op::ZeroLike(a) if crate::ty::float_param().is_some() => {
                let ty = crate::typing::atom_ty(self.func, a);
                let x = self.atom(a);
                let z = if matches!(op, Op::ZeroVec(_)) {
                    super::generic::zero_vec(&ty, &x)
                } else {
                    super::generic::zero(&ty, &x)
                };
                match z {
                    Some(z) => z,
                    // A value of a type the macro does not see (a call's
                    // result): shaped by the runtime, in terms of `T`.
                    None => {
                        let (rt, t) = (crate::runtime::path(), Prec::Generic.tokens());
                        if matches!(ty, Ty::Ref(..)) {
                            quote!(#rt::zero_in::<#t, _>(#x))
                        } else {
                            quote!(#rt::zero_in::<#t, _>(&#x))
                        }
                    }
                }
            }
            Op::ZeroVec(a) => {
                let (rt, a) = (crate::runtime::path(), self.atom(a));
                quote!(#rt::zero_vec(#a))
            }
            Op::ZeroLike(a) => {
                // A zero of the referenced value for a reference (`&[f64; 3]`).
                let is_ref = matches!(crate::typing::atom_ty(self.func, a), Ty::Ref(..));
                let (rt, a) = (crate::runtime::path(), self.atom(a));
                if is_ref {
                    quote!(#rt::zero_like(#a))
                } else {
                    quote!(#rt::zero_like(&#a))
                }
            }
            Op::TapeNew(0) => {
                let rt = crate::runtime::path();
                quote!(#rt::Tape::<_, 0>::heap())
            }
            Op::TapeNewOwned => {
                let rt = crate::runtime::path();
                quote!(#rt::OwnedTape::new())
            }
            Op::TapeNew(cap) => {
                let (rt, cap) = (crate::runtime::path(), Literal::usize_unsuffixed(*cap));
                quote!(#rt::Tape::<_, #cap>::new())
            }
            Op::TapePeek(t, d) => {
                let t = self.ident(*t);
                let d = self.atom(d);
                quote!(#t.peek(#d))
            }
            Op::TapePop(t) => {
                let t = self.ident(*t);
                quote!(#t.pop())
            }
            Op::Ck(op @ (CkOp::Binomial | CkOp::Periodic | CkOp::Within), xs) => {
                let rt = crate::runtime::path();
                let name = format_ident!("{}", op.name());
                let xs = xs.iter().map(|a| self.atom(a));
                quote!(#rt::Checkpoints::#name(#(#xs),*))
            }
            Op::Ck(CkOp::Offset, xs) => {
                let rt = crate::runtime::path();
                let xs = xs.iter().map(|a| self.atom(a));
                quote!(#rt::RangeIndex::offset(#(#xs),*))
            }
            Op::Ck(op, xs) => {
                let name = format_ident!("{}", op.name());
                let (ck, args) = match xs.split_first() {
                    Some((ck, args)) => {
                        (self.atom(ck), args.iter().map(|a| self.atom(a)).collect())
                    }
                    None => (quote!(), Vec::new()),
                };
                quote!(#ck.#name(#(#args),*))
            }
            // `op` sends only the operations above here.
            _ => quote!(::core::compile_error!(
                "adiff: operation without tokens (internal error; please report)"
            )),
        }
    }

    /// An elementary function, as a method call on its first argument.
    fn elem(&self, e: Elem, args: &[Atom], prec: Option<Prec>, span: Span) -> TokenStream {
        let name = format_ident!("{}", e.name(), span = span);
        // `2.0.sqrt()` does not compile: an unsuffixed literal needs `f64::sqrt(2.0)`.
        let recv_is_literal = match args.first() {
            Some(Atom::Const(Const::Float(_))) => true,
            Some(Atom::Const(Const::Lit(syn::Lit::Float(f)))) => f.suffix().is_empty(),
            Some(Atom::Const(Const::Lit(syn::Lit::Int(i)))) => i.suffix().is_empty(),
            _ => false,
        };
        let prec = prec.or_else(|| {
            args.iter()
                .find_map(|a| crate::typing::atom_ty(self.func, a).prec())
        });
        let all: Vec<TokenStream> = args.iter().map(|a| self.atom(a)).collect();
        // An integer `max`/`min` of a literal (a range's trip count,
        // `max(40, 0)`) is `Ord`'s, whatever the integer type.
        let int_literal = matches!(args.first(), Some(Atom::Const(Const::Lit(syn::Lit::Int(i)))) if i.suffix().is_empty());
        if int_literal && matches!(e, Elem::Max | Elem::Min) {
            quote!(::core::cmp::Ord::#name(#(#all),*))
        } else if recv_is_literal {
            let p = format_ident!("{}", prec.unwrap_or(Prec::F64).name());
            quote!(#p::#name(#(#all),*))
        } else {
            let recv = self.operand(&args[0], P::Primary);
            let rest = &all[1..];
            quote!(#recv.#name(#(#rest),*))
        }
    }

    /// A linear combination `± a * m / d ± ...`, `0.0` when empty.
    fn lin(&self, terms: &[Term], span: Span) -> (TokenStream, P) {
        if terms.is_empty() {
            return (super::float_lit(0.0, None), P::Primary);
        }
        // `v * m + v * m` (the product rule on `b * b`) prints as
        // `v * m * 2.0`: doubling is exact, so the value is the same to the
        // bit. Only the first two terms: `a + t + t` rounds `a + t` first.
        let doubled = crate::ir::doubled(terms);
        let mut out = TokenStream::new();
        let mut prec = P::Sum;
        for (i, t) in terms.iter().enumerate() {
            if doubled && i == 1 {
                continue;
            }
            let scaled = t.scale.mul.is_some() || t.scale.div.is_some();
            // The value's position: first in a product, after a unary
            // minus, or a whole term of a sum (left of the first `+`,
            // right of the others).
            let need = match (t.scale.neg, scaled || (doubled && i == 0), i) {
                (true, _, _) => P::Unary,
                (false, true, _) => P::Product,
                (false, false, 0) => P::Sum,
                (false, false, _) => P::Product,
            };
            let mut term = self.operand(&t.value, need);
            if let Some(m) = &t.scale.mul {
                let m = self.operand(m, P::Cast);
                term = quote_spanned!(span=> #term * #m);
            }
            if let Some(d) = &t.scale.div {
                let d = self.operand(d, P::Cast);
                term = quote_spanned!(span=> #term / #d);
            }
            if doubled && i == 0 {
                let two = super::float_lit(2.0, crate::typing::atom_ty(self.func, &t.value).prec());
                term = quote_spanned!(span=> #term * #two);
            }
            let alone = terms.len() == 1 || (doubled && terms.len() == 2);
            if alone {
                prec = match (t.scale.neg, scaled || doubled) {
                    (_, true) => P::Product,
                    (true, false) => P::Unary,
                    (false, false) => self.atom_prec(&t.value).1,
                };
            }
            out.extend(match (i, t.scale.neg) {
                (0, false) => term,
                (0, true) => quote_spanned!(span=> -#term),
                (_, false) => quote_spanned!(span=> + #term),
                (_, true) => quote_spanned!(span=> - #term),
            });
        }
        (out, prec)
    }
}

/// How tightly a binary operator binds.
fn bin_prec(b: crate::ir::BinOp) -> P {
    use crate::ir::BinOp as B;
    match b {
        B::Add | B::Sub => P::Sum,
        B::Mul | B::Div | B::Rem => P::Product,
        B::Shl | B::Shr => P::Shift,
        B::BitAnd => P::BitAnd,
        B::BitXor => P::BitXor,
        B::BitOr => P::BitOr,
        B::Lt | B::Le | B::Gt | B::Ge | B::Eq | B::Ne => P::Compare,
    }
}

/// The next tighter level: a right operand of a left-associative operator
/// (`a - (b - c)` keeps its parentheses).
fn above(p: P) -> P {
    match p {
        P::Select => P::Compare,
        P::Compare => P::BitOr,
        P::BitOr => P::BitXor,
        P::BitXor => P::BitAnd,
        P::BitAnd => P::Shift,
        P::Shift => P::Sum,
        P::Sum => P::Product,
        P::Product => P::Cast,
        P::Cast => P::Unary,
        P::Unary | P::Primary => P::Primary,
    }
}

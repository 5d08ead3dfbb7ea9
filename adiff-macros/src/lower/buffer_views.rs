//! Views of buffers and std calls that are loads and stores: `first`/
//! `last` (unwrapped), `split_at`/`split_at_mut`, `std::mem::swap` and
//! `replace`, `Vec::new`/`with_capacity`, and `sin_cos`. See `buffers.rs`.

use proc_macro2::Span;

use crate::ir::{Atom, BinOp, Block, Bounds, Const, Op, Place, Proj, Stmt};
use crate::ty::Ty;

use super::buffers::{index, lit, read};
use super::{span_of, strip_parens, Lowerer, Val};

impl Lowerer<'_> {
    /// `x.sin_cos()`: the tuple `(x.sin(), x.cos())`.
    pub(super) fn sin_cos(
        &mut self,
        x: Atom,
        prec: Option<crate::ty::Prec>,
        span: Span,
        out: &mut Block,
    ) -> Val {
        let prec = prec.or(match self.ty_of(&x) {
            Ty::Float(p) => p,
            _ => None,
        });
        let s = self.emit(
            Op::Elem(crate::elem::Elem::Sin, vec![x.clone()], prec),
            span,
            out,
        );
        let c = self.emit(Op::Elem(crate::elem::Elem::Cos, vec![x], prec), span, out);
        Val::Atom(self.emit(Op::Tuple(vec![s, c]), span, out))
    }

    /// The element `x.first()`/`x.last()` (also `_mut`, `.copied()`,
    /// `.cloned()`) that `unwrap`/`expect` is applied to: `Some(Some(place))`;
    /// `Some(None)` after an error; `None` when `e` is not such a chain.
    pub(super) fn first_last_place(
        &mut self,
        e: &syn::Expr,
        out: &mut Block,
    ) -> Option<Option<Place>> {
        let mut e = strip_parens(e);
        if let syn::Expr::MethodCall(m) = e {
            if (m.method == "copied" || m.method == "cloned") && m.args.is_empty() {
                e = strip_parens(&m.receiver);
            }
        }
        let syn::Expr::MethodCall(m) = e else {
            return None;
        };
        let name = m.method.to_string();
        let first = match name.as_str() {
            "first" | "first_mut" => true,
            "last" | "last_mut" => false,
            _ => return None,
        };
        if !m.args.is_empty() {
            return None;
        }
        let span = span_of(m);
        let Some(x) = self.buffer_place(&m.receiver, out) else {
            return Some(None);
        };
        let i = if first {
            lit(0)
        } else {
            let n = self.emit(Op::Len(x.clone()), span, out);
            self.emit(Op::Bin(BinOp::Sub, n, lit(1)), span, out)
        };
        Some(Some(index(&x, i)))
    }

    /// `let (a, b) = x.split_at(k);` (or `split_at_mut`): `a` and `b` are
    /// the sub-slices `x[..k]` and `x[k..]`. `false` when `init` is not
    /// such a call.
    pub(super) fn bind_split_at(
        &mut self,
        pt: &syn::PatTuple,
        init: Option<&syn::Expr>,
        out: &mut Block,
    ) -> bool {
        let Some(syn::Expr::MethodCall(m)) = init.map(strip_parens) else {
            return false;
        };
        if !(m.method == "split_at" || m.method == "split_at_mut") || m.args.len() != 1 {
            return false;
        }
        let names: Vec<Option<&syn::Ident>> = pt
            .elems
            .iter()
            .map(|p| match p {
                syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                    Some(&pi.ident)
                }
                _ => None,
            })
            .collect();
        if names.len() != 2 || names.iter().any(Option::is_none) {
            self.error(
                pt,
                "`split_at` is supported bound to two names: `let (a, b) = x.split_at(k);`",
            );
            return true;
        }
        let Some(x) = self.buffer_place(&m.receiver, out) else {
            return true;
        };
        let Val::Atom(k) = self.lower_expr(&m.args[0], out) else {
            return true;
        };
        let k = self.fixed(k, span_of(&m.args[0]), out);
        // As std: "mid > len" panics.
        let n = self.emit(Op::Len(x.clone()), span_of(m), out);
        let ok = self.emit(Op::Bin(BinOp::Le, k.clone(), n), span_of(m), out);
        out.push(Stmt::Assert {
            mac: syn::parse_quote!(::core::assert),
            args: vec![ok],
            rest: quote::quote!(, "mid > len"),
        });
        for (name, (lo, hi)) in names
            .into_iter()
            .flatten()
            .zip([(None, Some(k.clone())), (Some(k), None)])
        {
            let mut p = x.clone();
            p.proj.push(Proj::Slice(Bounds {
                lo,
                hi,
                inclusive: false,
            }));
            let is_mut = m.method == "split_at_mut";
            self.bind(&name.to_string(), super::Binding::SubSlice(p, is_mut));
        }
        true
    }

    /// A sub-slice from `split_at` passed to a call: by reference.
    pub(super) fn sub_slice_arg(&self, a: &syn::Expr) -> Option<crate::ir::Arg> {
        let syn::Expr::Path(p) = strip_parens(a) else {
            return None;
        };
        match self.lookup(&p.path.get_ident()?.to_string())? {
            super::Binding::SubSlice(place, true) => Some(crate::ir::Arg::RefMut(place)),
            super::Binding::SubSlice(place, false) => Some(crate::ir::Arg::Ref(place)),
            _ => None,
        }
    }

    /// Calls of std that are loads and stores: `std::mem::swap(&mut a, &mut
    /// b)`, `std::mem::replace(&mut a, v)`; and `Vec::new()` and
    /// `Vec::with_capacity(n)`, an empty `Vec` (the capacity is not kept).
    /// `None` for any other call.
    pub(super) fn lower_std_call(
        &mut self,
        c: &syn::ExprCall,
        path: &syn::Path,
        out: &mut Block,
    ) -> Option<Val> {
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let tail: Vec<&str> = names.iter().rev().take(2).map(String::as_str).collect();
        let span = span_of(c);
        match (tail.as_slice(), c.args.len()) {
            (["new", "Vec"], 0) => {
                return Some(Val::Atom(self.emit(Op::VecList(Vec::new()), span, out)));
            }
            (["with_capacity", "Vec"], 1) => {
                self.lower_expr(&c.args[0], out);
                return Some(Val::Atom(self.emit(Op::VecList(Vec::new()), span, out)));
            }
            (["swap" | "replace", "mem"], 2) => {}
            _ => return None,
        }
        let mut places = Vec::new();
        for a in c.args.iter().take(if tail[0] == "swap" { 2 } else { 1 }) {
            let syn::Expr::Reference(r) = strip_parens(a) else {
                return Some(self.error(
                    a,
                    format!(
                        "`mem::{}` is supported on places borrowed here: `&mut a`, `&mut x[i]`",
                        tail[0]
                    ),
                ));
            };
            if r.mutability.is_none() {
                return Some(self.error(a, "this argument must be `&mut`"));
            }
            let Some(p) = self.lower_place(&r.expr, out) else {
                return Some(Self::poison());
            };
            places.push(p);
        }
        if tail[0] == "replace" {
            let Val::Atom(v) = self.lower_expr(&c.args[1], out) else {
                return Some(Val::Never);
            };
            let old = self.emit(read(&places[0]), span, out);
            self.assign(places[0].clone(), v, span, out);
            return Some(Val::Atom(old));
        }
        // The swap spelled out, `let t = a; a = b; b = t;`, spanned on the
        // macro rather than on the user's call: on the user's tokens,
        // clippy's `manual_swap` fires on the user's line, suggesting the
        // `mem::swap` that is already there.
        let span = proc_macro2::Span::call_site();
        let a = self.emit(read(&places[0]), span, out);
        let b = self.emit(read(&places[1]), span, out);
        self.assign(places[0].clone(), b, span, out);
        self.assign(places[1].clone(), a, span, out);
        Some(Val::Atom(Atom::Const(Const::Unit)))
    }
}

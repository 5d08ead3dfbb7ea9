//! Lowering `let` patterns: names, `_`, tuples and arrays.

use proc_macro2::Span;

use super::{span_of, span_of_pat, strip_parens, Binding, Lowerer, Val};
use crate::ir::{Atom, Block, Const, Op, Origin, Pat, Place, Stmt};
use crate::ty::Ty;

impl Lowerer<'_> {
    /// Binds a `let` pattern to an optional initialiser.
    pub(super) fn bind_pattern(
        &mut self,
        pat: &syn::Pat,
        declared: Option<syn::Type>,
        init: Option<&syn::Expr>,
        out: &mut Block,
    ) {
        match pat {
            syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                self.bind_ident(pi, declared, init, out);
            }
            syn::Pat::Tuple(pt) => {
                if !self.bind_split_at(pt, init, out) {
                    self.bind_tuple(pat, pt, declared, init, out);
                }
            }
            syn::Pat::Wild(_) => {
                if let Some(init) = init {
                    self.lower_expr(init, out);
                }
            }
            syn::Pat::Type(pt) => {
                self.bind_pattern(&pt.pat, Some((*pt.ty).clone()), init, out);
            }
            syn::Pat::Slice(_) => {
                let Some(init) = init else {
                    self.error(pat, "an array pattern in `let` needs an initialiser");
                    return;
                };
                let Val::Atom(a) = self.lower_expr(init, out) else {
                    return;
                };
                if let Some(d) = declared.as_ref().map(Ty::from_syn) {
                    if let Atom::Var(v) = &a {
                        let info = &mut self.func.vars[v.0];
                        info.ty = info.ty.clone().join(d);
                    }
                }
                self.bind_atom(pat, a, out);
            }
            _ => {
                self.error(
                    pat,
                    "this pattern is not supported in `let`; \
                     supported are names, `mut` names, `_`, and tuples and arrays of these",
                );
            }
        }
    }

    /// `let x = e;`, `let mut x: T;` and `let f = |..| ..;`.
    fn bind_ident(
        &mut self,
        pi: &syn::PatIdent,
        declared: Option<syn::Type>,
        init: Option<&syn::Expr>,
        out: &mut Block,
    ) {
        if let Some(syn::Expr::Closure(c)) = init.map(strip_parens) {
            self.bind_closure(&pi.ident, c);
            return;
        }
        let declared_ty = declared.as_ref().map(Ty::from_syn);
        if let (Some(Ty::Float(Some(prec))), Some(e)) = (&declared_ty, init) {
            if let Some(v) = self.lower_into(e, *prec, out) {
                let Val::Atom(a) = v else { return };
                let op = self.take_op(a, None, out);
                let v =
                    self.new_user_var(&pi.ident, Ty::Float(Some(*prec)), pi.mutability.is_some());
                self.func.vars[v.0].declared = declared;
                out.push(Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op),
                    span: span_of(e),
                });
                self.bind(&pi.ident.to_string(), Binding::Var(v));
                return;
            }
        }
        let Some(init) = init else {
            let v = self.new_user_var(
                &pi.ident,
                declared_ty.unwrap_or(Ty::Unknown),
                pi.mutability.is_some(),
            );
            self.func.vars[v.0].declared = declared;
            out.push(Stmt::Let {
                pat: Pat::Var(v),
                init: None,
                span: pi.ident.span(),
            });
            self.bind(&pi.ident.to_string(), Binding::Var(v));
            return;
        };
        let Val::Atom(a) = self.lower_expr(init, out) else {
            return;
        };
        let op = self.take_op(a, None, out);
        if let Op::Use(Atom::Var(t)) = &op {
            if self.is_join_temp(*t, out) {
                // `let y = if c { a } else { b };`: name the join variable `y`.
                let info = &mut self.func.vars[t.0];
                info.name = pi.ident.to_string();
                info.span = pi.ident.span();
                info.origin = Origin::User;
                info.mutable = pi.mutability.is_some();
                if let Some(d) = declared_ty {
                    info.ty = d.join(info.ty.clone());
                }
                info.declared = declared;
                self.bind(&pi.ident.to_string(), Binding::Var(*t));
                return;
            }
        }
        let ty = crate::typing::op_ty(&self.func, &op);
        let ty = match declared_ty {
            Some(d) if d.is_known() => d.join(ty),
            _ => ty,
        };
        let v = self.new_user_var(&pi.ident, ty, pi.mutability.is_some());
        self.func.vars[v.0].declared = declared;
        out.push(Stmt::Let {
            pat: Pat::Var(v),
            init: Some(op),
            span: span_of(init),
        });
        self.bind(&pi.ident.to_string(), Binding::Var(v));
    }

    /// `let (a, b) = e;`, element by element when `e` is a tuple expression.
    fn bind_tuple(
        &mut self,
        pat: &syn::Pat,
        pt: &syn::PatTuple,
        declared: Option<syn::Type>,
        init: Option<&syn::Expr>,
        out: &mut Block,
    ) {
        let Some(init) = init else {
            self.error(pat, "a tuple pattern in `let` needs an initialiser");
            return;
        };
        if let syn::Expr::Tuple(te) = strip_parens(init) {
            if te.elems.len() == pt.elems.len() {
                // Bind element by element: `let (a, b) = (x, y);`.
                let atoms: Vec<Option<Val>> = te
                    .elems
                    .iter()
                    .map(|e| Some(self.lower_expr(e, out)))
                    .collect();
                for (p, v) in pt.elems.iter().zip(atoms) {
                    if let Some(Val::Atom(a)) = v {
                        self.bind_atom(p, a, out);
                    }
                }
                return;
            }
        }
        let Val::Atom(a) = self.lower_expr(init, out) else {
            return;
        };
        let tuple = self.materialize(a, span_of(init), out);
        let declared_tys = declared.as_ref().map(Ty::from_syn);
        if let Some(d) = declared_tys {
            let info = &mut self.func.vars[tuple.0];
            info.ty = info.ty.clone().join(d);
        }
        for (i, p) in pt.elems.iter().enumerate() {
            if matches!(p, syn::Pat::Wild(_)) {
                continue;
            }
            let mut place = Place::var(tuple);
            place.proj.push(crate::ir::Proj::Field(i));
            let a = self.emit(Op::Load(place), span_of_pat(p), out);
            self.bind_atom(p, a, out);
        }
    }

    /// Binds a pattern to an already computed atom.
    pub(super) fn bind_atom(&mut self, pat: &syn::Pat, a: Atom, out: &mut Block) {
        match pat {
            syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                let op = self.take_op(a, None, out);
                let ty = crate::typing::op_ty(&self.func, &op);
                let v = self.new_user_var(&pi.ident, ty, pi.mutability.is_some());
                out.push(Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op),
                    span: pi.ident.span(),
                });
                self.bind(&pi.ident.to_string(), Binding::Var(v));
            }
            syn::Pat::Wild(_) => {}
            syn::Pat::Type(pt) => self.bind_atom(&pt.pat, a, out),
            syn::Pat::Tuple(pt) => {
                let tuple = self.materialize(a, span_of_pat(pat), out);
                for (i, p) in pt.elems.iter().enumerate() {
                    let mut place = Place::var(tuple);
                    place.proj.push(crate::ir::Proj::Field(i));
                    let e = self.emit(Op::Load(place), span_of_pat(p), out);
                    self.bind_atom(p, e, out);
                }
            }
            // `let [a, b] = *x;`: element by element, nested arrays too.
            syn::Pat::Slice(ps) => {
                if let Some(rest) = ps.elems.iter().find(|p| matches!(p, syn::Pat::Rest(_))) {
                    self.error(rest, "`..` in an array pattern is not supported; name every element (`let [a, b, c] = x;`) or index the array");
                    return;
                }
                let array = self.materialize(a, span_of_pat(pat), out);
                for (i, p) in ps.elems.iter().enumerate() {
                    if matches!(p, syn::Pat::Wild(_)) {
                        continue;
                    }
                    let mut place = Place::var(array);
                    let index = syn::Lit::Int(syn::LitInt::new(&i.to_string(), Span::call_site()));
                    place
                        .proj
                        .push(crate::ir::Proj::Index(Atom::Const(Const::Lit(index))));
                    let e = self.emit(Op::Load(place), span_of_pat(p), out);
                    self.bind_atom(p, e, out);
                }
            }
            _ => {
                self.error(
                    pat,
                    "this pattern is not supported here; \
                     supported are names, `mut` names, `_`, and tuples and arrays of these",
                );
            }
        }
    }
}

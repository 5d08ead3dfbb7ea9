//! Operations on nalgebra values (`DVector`, `DMatrix`, `SVector`, ...):
//! `+`, `-`, `*` (products and scalings), `/` by a scalar, unary `-`,
//! `+=`/`-=`, and the methods `dot`, `component_mul`, `transpose`, `norm`,
//! `norm_squared`, `sum`, `map`, `nrows`, `ncols` and `clone`, each one
//! [`Op::La`] whose derivative is in `rules/linalg.rs`. Any other method on
//! a nalgebra value is an error here, never an opaque call.

use std::rc::Rc;

use crate::ir::{Atom, BinOp, Block, DimKind, LaOp, MapFn, Op};
use crate::ty::Ty;

use super::{span_of, strip_parens, Binding, Lowerer, Val};

const METHODS: &str = "`dot`, `component_mul`, `transpose`, `norm`, `norm_squared`, `sum`, `map`, `nrows`, `ncols`, `len`, `clone`, indexing, and the operators `+`, `-`, `*` and `/` by a scalar";

impl Lowerer<'_> {
    /// The type of `e` as far as the names in it tell, without lowering it
    /// (a variable, a field of one, a reference to either).
    fn hint_ty(&self, e: &syn::Expr) -> Ty {
        match strip_parens(e) {
            syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                match self.lookup(&p.path.segments[0].ident.to_string()) {
                    Some(Binding::Var(v) | Binding::ByRef(v)) => self.func.info(v).ty.clone(),
                    Some(Binding::Alias(place)) => self.place_ty(&place),
                    _ => Ty::Unknown,
                }
            }
            syn::Expr::Field(f) => match &f.member {
                syn::Member::Named(n) => self.hint_ty(&f.base).named_field(&n.to_string()),
                syn::Member::Unnamed(i) => self.hint_ty(&f.base).field(i.index as usize),
            },
            syn::Expr::Reference(r) => self.hint_ty(&r.expr),
            _ => Ty::Unknown,
        }
    }

    /// Whether `e` is a nalgebra value: a variable or field of nalgebra
    /// type, or an operation on one.
    pub(super) fn is_la_expr(&self, e: &syn::Expr) -> bool {
        match strip_parens(e) {
            syn::Expr::Reference(r) => self.is_la_expr(&r.expr),
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => self.is_la_expr(&u.expr),
            syn::Expr::Binary(b) => self.is_la_expr(&b.left) || self.is_la_expr(&b.right),
            // A method of a nalgebra value, except those giving a scalar, is
            // taken to give one: supported methods do, and the others are
            // reported when the call itself is lowered.
            syn::Expr::MethodCall(m)
                if ![
                    "dot",
                    "norm",
                    "norm_squared",
                    "sum",
                    "nrows",
                    "ncols",
                    "len",
                ]
                .contains(&m.method.to_string().as_str()) =>
            {
                self.is_la_expr(&m.receiver)
            }
            e => self.hint_ty(e).is_linalg(),
        }
    }

    /// An operand of a nalgebra operation, which codegen passes by
    /// reference anyway: `&h` of a local `h` is `h` itself, so that no
    /// borrow of a variable the loop overwrites is recorded. Other
    /// expressions are lowered as usual (`&self.w` stays a borrow, which
    /// reverse mode recomputes).
    pub(super) fn la_operand(&mut self, e: &syn::Expr, la: bool, out: &mut Block) -> Val {
        if la {
            if let syn::Expr::Reference(r) = strip_parens(e) {
                if let syn::Expr::Path(p) = strip_parens(&r.expr) {
                    if r.mutability.is_none() && p.qself.is_none() && p.path.segments.len() == 1 {
                        if let Some(Binding::Var(v)) =
                            self.lookup(&p.path.segments[0].ident.to_string())
                        {
                            if self.func.info(v).ty.is_linalg() {
                                return Val::Atom(Atom::Var(v));
                            }
                        }
                    }
                }
            }
        }
        self.lower_expr(e, out)
    }

    /// `l op r` when either operand is a nalgebra value; `None` otherwise.
    pub(super) fn la_bin(
        &mut self,
        op: BinOp,
        l: &Atom,
        r: &Atom,
        node: &syn::BinOp,
        out: &mut Block,
    ) -> Option<Val> {
        let (lt, rt) = (self.ty_of(l), self.ty_of(r));
        if !lt.is_linalg() && !rt.is_linalg() {
            return None;
        }
        let span = span_of(node);
        let la = match op {
            BinOp::Add => LaOp::Add,
            BinOp::Sub => LaOp::Sub,
            BinOp::Mul => LaOp::Mul,
            // `m / c` is `m * (1 / c)`.
            BinOp::Div if lt.is_linalg() && matches!(rt.deref(), Ty::Float(_)) => {
                let inv = self.emit(Op::Bin(BinOp::Div, Atom::float(1.0), r.clone()), span, out);
                return Some(Val::Atom(self.emit(
                    Op::La(LaOp::Mul, vec![l.clone(), inv]),
                    span,
                    out,
                )));
            }
            _ => {
                let o = quote::ToTokens::to_token_stream(node);
                return Some(self.error(node, format!("the operator `{o}` on a nalgebra value is not supported; supported are {METHODS}")));
            }
        };
        Some(Val::Atom(self.emit(
            Op::La(la, vec![l.clone(), r.clone()]),
            span,
            out,
        )))
    }

    /// A method call on a nalgebra receiver; `None` if the receiver is not
    /// one (or for `len`, which is lowered as any `len`).
    pub(super) fn lower_la_method(
        &mut self,
        m: &syn::ExprMethodCall,
        out: &mut Block,
    ) -> Option<Val> {
        let name = m.method.to_string();
        if name == "len" || !self.is_la_expr(&m.receiver) {
            return None;
        }
        let span = span_of(m);
        let op = match (name.as_str(), m.args.len()) {
            ("dot", 1) => LaOp::Dot,
            ("component_mul", 1) => LaOp::ComponentMul,
            ("transpose", 0) => LaOp::Transpose,
            ("norm", 0) => LaOp::Norm,
            ("norm_squared", 0) => LaOp::NormSquared,
            ("sum", 0) => LaOp::Sum,
            ("nrows", 0) => LaOp::Dim(DimKind::Rows),
            ("ncols", 0) => LaOp::Dim(DimKind::Cols),
            ("clone", 0) => LaOp::Clone,
            ("map", 1) => {
                let Val::Atom(recv) = self.lower_expr(&m.receiver, out) else {
                    return Some(Val::Never);
                };
                let Some(f) = self.map_fn(&m.args[0], &recv) else {
                    return Some(Self::poison());
                };
                return Some(Val::Atom(self.emit(
                    Op::La(LaOp::Map(Rc::new(f)), vec![recv]),
                    span,
                    out,
                )));
            }
            _ => {
                return Some(self.error(&m.method, format!("`{name}` on a nalgebra value is not supported; supported are {METHODS} (see the guide's section on nalgebra values)")));
            }
        };
        if m.turbofish.is_some() {
            return Some(self.error(m, format!("`{name}` with a turbofish is not supported")));
        }
        let Val::Atom(recv) = self.la_operand(&m.receiver, true, out) else {
            return Some(Val::Never);
        };
        let mut args = vec![recv];
        for a in &m.args {
            let Val::Atom(a) = self.la_operand(a, true, out) else {
                return Some(Val::Never);
            };
            args.push(a);
        }
        Some(Val::Atom(self.emit(Op::La(op, args), span, out)))
    }

    /// The closure of `m.map(f)` as a function of one scalar. It may read
    /// only its argument: its derivative is a separate function.
    fn map_fn(&mut self, f: &syn::Expr, recv: &Atom) -> Option<MapFn> {
        let prec = self.ty_of(recv).prec()?.tokens();
        let (param, body, closure): (syn::Ident, syn::Expr, syn::ExprClosure) = match strip_parens(
            f,
        ) {
            syn::Expr::Closure(c) if c.inputs.len() == 1 => {
                let param = match &c.inputs[0] {
                    syn::Pat::Ident(p) => p.ident.clone(),
                    syn::Pat::Type(t) => match &*t.pat {
                        syn::Pat::Ident(p) => p.ident.clone(),
                        _ => {
                            self.error(&c.inputs[0], "the closure of `map` on a nalgebra value takes one named argument (`|v| ..`)");
                            return None;
                        }
                    },
                    other => {
                        self.error(other, "the closure of `map` on a nalgebra value takes one named argument (`|v| ..`)");
                        return None;
                    }
                };
                (param, (*c.body).clone(), c.clone())
            }
            syn::Expr::Path(p) => {
                let v = syn::Ident::new("v", proc_macro2::Span::call_site());
                let body: syn::Expr = syn::parse_quote!(#p(#v));
                let closure: syn::ExprClosure = syn::parse_quote!(|#v: #prec| #p(#v));
                (v, body, closure)
            }
            other => {
                self.error(other, "`map` on a nalgebra value takes a closure of one float (`|v| v.max(0.0)`) or a function path (`f64::tanh`)");
                return None;
            }
        };
        let mut captured = None;
        crate::sig::find_idents(quote::quote!(#body), &mut |id| {
            if *id != param && captured.is_none() && self.lookup(&id.to_string()).is_some() {
                captured = Some(id.clone());
            }
        });
        if let Some(id) = captured {
            self.error(&id, format!("the closure of `map` on a nalgebra value reads `{id}` from the function; it may read only its argument, because its derivative is a function of its own (apply `{id}` to the matrix outside the `map`)"));
            return None;
        }
        let item: syn::ItemFn = syn::parse_quote! {
            #[allow(dead_code, clippy::all)]
            fn __adiff_map(#param: #prec) -> #prec { #body }
        };
        Some(MapFn { item, closure })
    }
}

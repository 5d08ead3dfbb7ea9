//! Buffer methods, lowered into IR the transformations already handle.
//!
//! In-place methods become index loads and stores (`swap`, `reverse`,
//! `fill`, `copy_from_slice`, ...), so both modes differentiate them, and
//! reverse mode restores what they overwrite, with no rule of their own.
//! Methods that change a local `Vec`'s length use the two IR operations
//! [`Op::Grow`] (one zero element more) and [`Op::Shrink`] (the last
//! element, set to zero first, dropped) around ordinary element stores:
//! `v.push(a)` is `grow(v); v[n] = a`, `v.pop().unwrap()` is
//! `let y = v[n - 1]; v[n - 1] = 0; shrink(v)`. The two undo each other
//! exactly, so the reverse sweep keeps the adjoint `Vec` (and the primal,
//! when it still reads it) as long as the primal at each point.

use proc_macro2::Span;

use crate::ir::{Atom, BinOp, Block, Const, Op, Pat, Place, Proj, Range, Stmt, VarId};
use crate::ty::Ty;

use super::{span_of, strip_parens, Lowerer, Val};

/// The methods lowered here that change a `Vec`'s length.
const RESIZING: &[&str] = &[
    "push",
    "pop",
    "insert",
    "remove",
    "resize",
    "truncate",
    "clear",
    "extend_from_slice",
];

pub(super) fn lit(k: usize) -> Atom {
    Atom::Const(Const::Lit(syn::parse_quote!(#k)))
}

/// The value at `p`: a whole variable as `Use`, which reverse mode clones
/// where moving a `Vec` would leave nothing to restore.
pub(super) fn read(p: &Place) -> Op {
    if p.proj.is_empty() {
        Op::Use(Atom::Var(p.base))
    } else {
        Op::Load(p.clone())
    }
}

pub(super) fn index(p: &Place, i: Atom) -> Place {
    let mut p = p.clone();
    p.proj.push(Proj::Index(i));
    p
}

impl Lowerer<'_> {
    /// A buffer method call, lowered; `None` when `m` is not one (the
    /// caller lowers it as an opaque method).
    pub(super) fn lower_buffer_method(
        &mut self,
        m: &syn::ExprMethodCall,
        out: &mut Block,
    ) -> Option<Val> {
        let name = m.method.to_string();
        let n_args = m.args.len();
        let known = matches!(
            (name.as_str(), n_args),
            ("swap", 2)
                | ("reverse", 0)
                | ("fill", 1)
                | ("copy_from_slice" | "clone_from_slice", 1)
                | ("to_vec" | "clone", 0)
                | ("sin_cos", 0)
                | ("unwrap" | "expect", _)
        ) || (RESIZING.contains(&name.as_str()) && m.turbofish.is_none());
        if !known {
            return None;
        }
        if name == "sin_cos" {
            let Val::Atom(x) = self.lower_expr(&m.receiver, out) else {
                return Some(Val::Never);
            };
            return Some(self.sin_cos(x, None, span_of(m), out));
        }
        if name == "unwrap" || name == "expect" {
            if let syn::Expr::MethodCall(inner) = strip_parens(&m.receiver) {
                if inner.method == "pop" && inner.args.is_empty() {
                    let v = self.resizable(&inner.receiver, &inner.method)?;
                    return Some(self.pop_value(v, inner, out));
                }
            }
            let p = self.first_last_place(&m.receiver, out)?;
            return Some(match p {
                Some(p) => Val::Atom(self.emit(Op::Load(p), span_of(m), out)),
                None => Self::poison(),
            });
        }
        if name == "pop" {
            self.resizable(&m.receiver, &m.method)?;
            return Some(self.error(m, "`v.pop()` is supported as a statement (`v.pop();`) or unwrapped (`v.pop().unwrap()`, `.expect(..)`); for `if let Some(y) = v.pop()`, test `!v.is_empty()` first and unwrap"));
        }
        if RESIZING.contains(&name.as_str()) {
            let v = self.resizable(&m.receiver, &m.method)?;
            return Some(self.resize_method(v, m, out));
        }
        let ty = self.receiver_ty(&m.receiver);
        if name == "clone" {
            match ty {
                // A copy: `Copy` values, and arrays stay arrays.
                Ty::Float(_) | Ty::Int | Ty::Bool => {
                    let Val::Atom(a) = self.lower_expr(&m.receiver, out) else {
                        return Some(Val::Never);
                    };
                    return Some(Val::Atom(self.emit(Op::Use(a), span_of(m), out)));
                }
                Ty::Array(ref e) if matches!(**e, Ty::Float(_) | Ty::Int) => {
                    let Val::Atom(a) = self.lower_expr(&m.receiver, out) else {
                        return Some(Val::Never);
                    };
                    return Some(Val::Atom(self.emit(Op::Use(a), span_of(m), out)));
                }
                // `r.clone()` of a reference is the reference, not a `Vec`;
                // other arrays are not copied into one either.
                Ty::Ref(..) | Ty::Array(_) => return None,
                _ => {}
            }
        }
        let ty = match ty {
            Ty::Ref(_, t) => *t,
            t => t,
        };
        let slice_like = matches!(ty, Ty::Vec(_) | Ty::Slice(_) | Ty::Array(_) | Ty::Unknown);
        if !slice_like {
            return None;
        }
        let recv = self.buffer_place(&m.receiver, out)?;
        let span = span_of(m);
        if name == "clone" && !matches!(ty, Ty::Vec(_) | Ty::Slice(_)) {
            // An element or field (`x[i].clone()`): its type decides.
            return Some(match self.place_ty(&recv) {
                Ty::Float(_) | Ty::Int | Ty::Bool => Val::Atom(self.emit(Op::Load(recv), span, out)),
                Ty::Vec(_) | Ty::Slice(_) => Val::Atom(self.copy_to_vec(&recv, span, out)),
                _ => self.error(m, "`clone` of a value whose type the macro cannot see; copy a float with `let y = x;` or a buffer with `to_vec()`"),
            });
        }
        self.in_place(&name, m, recv, span, out)
    }

    /// `swap`, `reverse`, `fill`, `copy_from_slice`/`clone_from_slice`,
    /// and `to_vec`/`clone` of the buffer at `recv`.
    fn in_place(
        &mut self,
        name: &str,
        m: &syn::ExprMethodCall,
        recv: Place,
        span: Span,
        out: &mut Block,
    ) -> Option<Val> {
        let args: Vec<&syn::Expr> = m.args.iter().collect();
        Some(match name {
            "swap" => {
                let Some(ij) = self.lower_all(args.into_iter(), out) else {
                    return Some(Val::Never);
                };
                self.swap_elems(&recv, &ij[0], &ij[1], span, out);
                Val::Atom(Atom::Const(Const::Unit))
            }
            "reverse" => {
                self.reverse(&recv, span, out);
                Val::Atom(Atom::Const(Const::Unit))
            }
            "fill" => {
                let Val::Atom(a) = self.lower_expr(args[0], out) else {
                    return Some(Val::Never);
                };
                let n = self.emit(Op::Len(recv.clone()), span, out);
                self.counted(lit(0), n, false, span, out, |l, i, body| {
                    l.assign(index(&recv, Atom::Var(i)), a.clone(), span, body);
                });
                Val::Atom(Atom::Const(Const::Unit))
            }
            "copy_from_slice" | "clone_from_slice" => {
                let src = self.buffer_place(args[0], out)?;
                let n = self.emit(Op::Len(recv.clone()), span, out);
                let ns = self.emit(Op::Len(src.clone()), span, out);
                // As std: "source slice length does not match destination".
                out.push(Stmt::Assert {
                    mac: syn::parse_quote!(::core::assert_eq),
                    args: vec![n.clone(), ns],
                    rest: quote::quote!(, "source slice length does not match destination slice length"),
                });
                self.counted(lit(0), n, false, span, out, |l, i, body| {
                    let x = l.emit(Op::Load(index(&src, Atom::Var(i))), span, body);
                    l.assign(index(&recv, Atom::Var(i)), x, span, body);
                });
                Val::Atom(Atom::Const(Const::Unit))
            }
            _ => Val::Atom(self.copy_to_vec(&recv, span, out)),
        })
    }

    /// The type of a method receiver, when it is a local or parameter.
    fn receiver_ty(&self, e: &syn::Expr) -> Ty {
        match strip_parens(e) {
            syn::Expr::Path(p) => {
                match p.path.get_ident().and_then(|i| self.lookup(&i.to_string())) {
                    Some(super::Binding::Var(v) | super::Binding::ByRef(v)) => {
                        self.func.info(v).ty.clone()
                    }
                    Some(super::Binding::SubSlice(..)) => Ty::Slice(Box::new(Ty::Unknown)),
                    _ => Ty::Other,
                }
            }
            // `x[a..b]`, `v[i]` (of a nested buffer), `*r`.
            syn::Expr::Index(_) | syn::Expr::Unary(_) | syn::Expr::Field(_) => Ty::Unknown,
            syn::Expr::Reference(r) => self.receiver_ty(&r.expr),
            _ => Ty::Other,
        }
    }

    /// The place of a buffer operand: `x`, `&x`, `&mut x[a..b]`, `v[i]`.
    pub(super) fn buffer_place(&mut self, e: &syn::Expr, out: &mut Block) -> Option<Place> {
        let e = match strip_parens(e) {
            syn::Expr::Reference(r) => &*r.expr,
            e => e,
        };
        self.lower_place_for_method(e, out)
    }

    /// The local `Vec` whose length `method` changes: `Some` for a local
    /// variable; a differentiable parameter is reported (its adjoint has a
    /// fixed length); `None` for anything else, which stays an opaque
    /// method (reported if it touches a value with a derivative).
    fn resizable(&mut self, recv: &syn::Expr, method: &syn::Ident) -> Option<VarId> {
        let syn::Expr::Path(p) = strip_parens(recv) else {
            return None;
        };
        let Some(super::Binding::Var(v)) =
            p.path.get_ident().and_then(|i| self.lookup(&i.to_string()))
        else {
            return None;
        };
        if let Some(param) = self.func.params.iter().find(|q| q.var == v) {
            if param.role.is_differentiable() {
                self.diags.error(
                    method.span(),
                    format!("`{method}` on the parameter `{}` is not supported: a differentiable parameter's length cannot change, because its tangent and adjoint have a fixed length; copy it into a local `Vec` (`let mut w = {}.to_vec();`) and change that", self.func.info(v).name, self.func.info(v).name),
                );
            }
            return None;
        }
        // Only a `Vec` the macro sees (a `vec![..]`, `Vec::new()`, `to_vec`,
        // or annotated): a local of another type keeps its own methods.
        match &self.func.info(v).ty {
            Ty::Vec(e) if matches!(**e, Ty::Vec(_)) => {
                self.diags.error(
                    method.span(),
                    format!("`{method}` on a `Vec` of `Vec`s is not supported; keep the rows in one flat `Vec` and index it (`v[i * m + j]`)"),
                );
                None
            }
            Ty::Vec(_) => Some(v),
            _ => None,
        }
    }

    /// `push`, `insert`, `remove`, `resize`, `truncate`, `clear` and
    /// `extend_from_slice` on the local `Vec` `v`.
    fn resize_method(&mut self, v: VarId, m: &syn::ExprMethodCall, out: &mut Block) -> Val {
        let span = span_of(m);
        let name = m.method.to_string();
        let vp = Place::var(v);
        let unit = Val::Atom(Atom::Const(Const::Unit));
        let arity = match name.as_str() {
            "push" | "truncate" | "extend_from_slice" | "remove" => 1,
            "insert" | "resize" => 2,
            _ => 0,
        };
        if m.args.len() != arity {
            return self.error(m, format!("`{name}` takes {arity} argument(s)"));
        }
        if name == "extend_from_slice" {
            let Some(src) = self.buffer_place(&m.args[0], out) else {
                return Self::poison();
            };
            let ns = self.emit(Op::Len(src.clone()), span, out);
            self.counted(lit(0), ns, false, span, out, |l, i, body| {
                let x = l.emit(Op::Load(index(&src, Atom::Var(i))), span, body);
                l.push_value(v, x, span, body);
            });
            return unit;
        }
        let Some(args) = self.lower_all(m.args.iter(), out) else {
            return Val::Never;
        };
        match name.as_str() {
            "push" => self.push_value(v, args[0].clone(), span, out),
            "truncate" => self.truncate(v, args[0].clone(), span, out),
            "clear" => self.truncate(v, lit(0), span, out),
            "resize" => {
                self.truncate(v, args[0].clone(), span, out);
                let n = self.emit(Op::Len(vp), span, out);
                let fill = args[1].clone();
                self.counted(n, args[0].clone(), false, span, out, |l, _, body| {
                    l.push_value(v, fill.clone(), span, body);
                });
            }
            "insert" => {
                let i = self.fixed(args[0].clone(), span, out);
                let n = self.emit(Op::Len(vp.clone()), span, out);
                self.grow(v, args[1].clone(), span, out);
                // Shift `v[i..n]` up by one, from the top.
                self.counted(i.clone(), n, true, span, out, |l, k, body| {
                    let x = l.emit(Op::Load(index(&vp, Atom::Var(k))), span, body);
                    let k1 = l.emit(Op::Bin(BinOp::Add, Atom::Var(k), lit(1)), span, body);
                    l.assign(index(&vp, k1), x, span, body);
                });
                self.assign(index(&vp, i), args[1].clone(), span, out);
            }
            _ => return self.remove_at(v, args[0].clone(), span, out),
        }
        unit
    }

    /// `v.pop().unwrap()` (or `.expect(..)`): the last value, removed.
    fn pop_value(&mut self, v: VarId, m: &syn::ExprMethodCall, out: &mut Block) -> Val {
        let span = span_of(m);
        let n = self.emit(Op::Len(Place::var(v)), span, out);
        let last = self.emit(Op::Bin(BinOp::Sub, n, lit(1)), span, out);
        let y = self.emit(Op::Load(index(&Place::var(v), last.clone())), span, out);
        self.drop_at(v, last, span, out);
        Val::Atom(y)
    }

    /// `v.pop();` as a statement: the last element dropped, if any.
    pub(super) fn pop_statement(&mut self, e: &syn::Expr, out: &mut Block) -> bool {
        let syn::Expr::MethodCall(m) = strip_parens(e) else {
            return false;
        };
        if m.method != "pop" || !m.args.is_empty() {
            return false;
        }
        let Some(v) = self.resizable(&m.receiver, &m.method) else {
            return false;
        };
        let span = span_of(m);
        let n = self.emit(Op::Len(Place::var(v)), span, out);
        let has = self.emit(Op::Bin(BinOp::Gt, n.clone(), lit(0)), span, out);
        let mut then = Vec::new();
        let last = self.emit(Op::Bin(BinOp::Sub, n, lit(1)), span, &mut then);
        self.drop_at(v, last, span, &mut then);
        out.push(Stmt::If {
            cond: has,
            then,
            els: Vec::new(),
        });
        true
    }

    /// `v.remove(i)`: the value at `i`, with the elements above shifted down.
    fn remove_at(&mut self, v: VarId, i: Atom, span: Span, out: &mut Block) -> Val {
        let vp = Place::var(v);
        let i = self.fixed(i, span, out);
        let y = self.emit(Op::Load(index(&vp, i.clone())), span, out);
        let n = self.emit(Op::Len(vp.clone()), span, out);
        let top = self.emit(Op::Bin(BinOp::Sub, n, lit(1)), span, out);
        self.counted(i, top.clone(), false, span, out, |l, k, body| {
            let k1 = l.emit(Op::Bin(BinOp::Add, Atom::Var(k), lit(1)), span, body);
            let x = l.emit(Op::Load(index(&vp, k1)), span, body);
            l.assign(index(&vp, Atom::Var(k)), x, span, body);
        });
        self.drop_at(v, top, span, out);
        Val::Atom(y)
    }

    /// `v[last] = 0; shrink(v)`: the zero makes the shrink undo exactly.
    fn drop_at(&mut self, v: VarId, last: Atom, span: Span, out: &mut Block) {
        out.push(Stmt::Assign {
            place: index(&Place::var(v), last),
            op: Op::Default,
            span,
        });
        out.push(Stmt::Eval {
            op: Op::Shrink(Place::var(v)),
            span,
        });
    }

    /// `v.truncate(m)`: the elements from `m` on dropped, last first.
    fn truncate(&mut self, v: VarId, m: Atom, span: Span, out: &mut Block) {
        let n = self.emit(Op::Len(Place::var(v)), span, out);
        self.counted(m, n, true, span, out, |l, k, body| {
            l.drop_at(v, Atom::Var(k), span, body);
        });
    }

    /// `v.push(a)`: `let n = v.len(); grow(v); v[n] = a`.
    fn push_value(&mut self, v: VarId, a: Atom, span: Span, out: &mut Block) {
        let n = self.emit(Op::Len(Place::var(v)), span, out);
        self.grow(v, a.clone(), span, out);
        self.assign(index(&Place::var(v), n), a, span, out);
    }

    /// `grow(v)`, noting the element type that `a` gives `v`.
    fn grow(&mut self, v: VarId, a: Atom, span: Span, out: &mut Block) {
        let elem = self.ty_of(&a);
        let info = &mut self.func.vars[v.0];
        if matches!(&info.ty, Ty::Unknown) || matches!(&info.ty, Ty::Vec(e) if **e == Ty::Unknown) {
            info.ty = Ty::Vec(Box::new(elem));
        }
        info.mutable = true;
        out.push(Stmt::Eval {
            op: Op::Grow(Place::var(v)),
            span,
        });
    }

    /// A copy of a variable atom that nothing reassigns (an index read
    /// once by Rust but used at several places here).
    pub(super) fn fixed(&mut self, a: Atom, span: Span, out: &mut Block) -> Atom {
        match a {
            Atom::Var(v) if self.func.info(v).mutable => self.emit(Op::Use(a), span, out),
            a => a,
        }
    }

    /// `x.swap(i, j)`.
    fn swap_elems(&mut self, x: &Place, i: &Atom, j: &Atom, span: Span, out: &mut Block) {
        let (i, j) = (
            self.fixed(i.clone(), span, out),
            self.fixed(j.clone(), span, out),
        );
        let a = self.emit(Op::Load(index(x, i.clone())), span, out);
        let b = self.emit(Op::Load(index(x, j.clone())), span, out);
        self.assign(index(x, i), b, span, out);
        self.assign(index(x, j), a, span, out);
    }

    /// `x.reverse()`: `x.swap(i, n - i - 1)` for `i < n / 2` (`n - i >= 1`
    /// there, so nothing underflows on an empty slice).
    fn reverse(&mut self, x: &Place, span: Span, out: &mut Block) {
        let n = self.emit(Op::Len(x.clone()), span, out);
        let half = self.emit(Op::Bin(BinOp::Div, n.clone(), lit(2)), span, out);
        self.counted(lit(0), half, false, span, out, |l, i, body| {
            let d = l.emit(Op::Bin(BinOp::Sub, n.clone(), Atom::Var(i)), span, body);
            let j = l.emit(Op::Bin(BinOp::Sub, d, lit(1)), span, body);
            l.swap_elems(x, &Atom::Var(i), &j, span, body);
        });
    }

    /// `x.to_vec()` / `x.clone()` of a buffer: a new `Vec` filled by a loop.
    fn copy_to_vec(&mut self, x: &Place, span: Span, out: &mut Block) -> Atom {
        let v = self.func.temp(Ty::Vec(Box::new(Ty::Unknown)), span);
        self.func.vars[v.0].mutable = true;
        self.func.vars[v.0].name = "copied".into();
        out.push(Stmt::Let {
            pat: Pat::Var(v),
            init: Some(Op::VecList(Vec::new())),
            span,
        });
        let n = self.emit(Op::Len(x.clone()), span, out);
        self.counted(lit(0), n, false, span, out, |l, i, body| {
            let a = l.emit(Op::Load(index(x, Atom::Var(i))), span, body);
            l.push_value(v, a, span, body);
        });
        Atom::Var(v)
    }

    /// `for i in lo..hi` (reversed with `rev`), with the body made by `f`.
    fn counted(
        &mut self,
        lo: Atom,
        hi: Atom,
        rev: bool,
        span: Span,
        out: &mut Block,
        f: impl FnOnce(&mut Self, VarId, &mut Block),
    ) {
        let i = self.func.temp(Ty::Int, span);
        self.func.vars[i.0].name = "i".into();
        let mut body = Vec::new();
        f(self, i, &mut body);
        out.push(Stmt::For {
            var: i,
            range: Range {
                start: lo,
                end: hi,
                inclusive: false,
                adapters: if rev {
                    vec![crate::ir::RangeAdapter::Rev]
                } else {
                    Vec::new()
                },
            },
            body,
            label: None,
        });
    }
}

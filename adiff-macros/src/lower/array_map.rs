//! `a.map(f)` on an array (`[T; N]::map`): a copy of the array written
//! element by element by a counted loop, with `f` inlined in the body.
//!
//! ```text
//! let [x1, x2] = param.map(|x| n4 * x - n2);
//! // lowers as
//! let mut mapped = *param;
//! for i in 0..(*param).len() { mapped[i] = n4 * (*param)[i] - n2; }
//! ```
//!
//! The loop is ordinary IR, so both modes differentiate it with the rules
//! they already have for indexed writes.

use crate::ir::{Atom, Op, Pat, Place, Proj, Range, Stmt};
use crate::ty::Ty;

use super::chains::int;
use super::closures::Input;
use super::span_of;
use super::{Lowerer, Val};

impl Lowerer<'_> {
    /// `a.map(f)` where `a` is an array or a reference to one; `None` for
    /// any other call (the caller lowers it).
    pub(super) fn lower_array_map(
        &mut self,
        m: &syn::ExprMethodCall,
        out: &mut crate::ir::Block,
    ) -> Option<Val> {
        if m.method != "map" || m.args.len() != 1 || m.turbofish.is_some() {
            return None;
        }
        if !matches!(&m.args[0], syn::Expr::Closure(_) | syn::Expr::Path(_)) {
            return None;
        }
        let mut place = if super::calls::is_place_expr(&m.receiver) {
            let mut scratch = Vec::new();
            let p = self.lower_place(&m.receiver, &mut scratch)?;
            out.extend(scratch);
            p
        } else {
            return None;
        };
        let elem = match self.place_ty(&place) {
            Ty::Array(e) => *e,
            Ty::Ref(_, t) => match *t {
                Ty::Array(e) => {
                    place.proj.push(Proj::Deref);
                    *e
                }
                _ => return None,
            },
            _ => return None,
        };
        let span = span_of(m);
        let f = self.callable(&m.args[0])?;
        let copy = self.emit(Op::Load(place.clone()), span, out);
        let mapped = self.func.temp(Ty::Array(Box::new(elem.clone())), span);
        self.func.vars[mapped.0].mutable = true;
        self.func.vars[mapped.0].name = "mapped".into();
        out.push(Stmt::Let {
            pat: Pat::Var(mapped),
            init: Some(Op::Use(copy)),
            span,
        });
        let len = self.emit(Op::Len(place.clone()), span, out);
        let index = self.func.temp(Ty::Int, span);
        self.func.vars[index.0].name = "i".into();
        let mut body = Vec::new();
        let mut item = place;
        item.proj.push(Proj::Index(Atom::Var(index)));
        let x = self.emit(Op::Load(item), span, &mut body);
        let Val::Atom(y) = self.apply(&f, vec![Input::Atom(x)], &mut body) else {
            return Some(Self::poison());
        };
        let same_kind = matches!(
            (self.ty_of(&y), &elem),
            (Ty::Float(_) | Ty::Unknown, Ty::Float(_)) | (Ty::Int, Ty::Int) | (Ty::Bool, Ty::Bool)
        );
        if !same_kind {
            return Some(self.error(&m.args[0], "`map` on an array is supported when the closure returns the array's element type (`param.map(|x| 4.0 * x - 2.0)`); for another element type write the loop"));
        }
        let mut target = Place::var(mapped);
        target.proj.push(Proj::Index(Atom::Var(index)));
        self.assign(target, y, span, &mut body);
        out.push(Stmt::For {
            var: index,
            range: Range {
                start: int(0),
                end: len,
                inclusive: false,
                adapters: Vec::new(),
            },
            body,
            label: None,
        });
        Some(Val::Atom(Atom::Var(mapped)))
    }
}

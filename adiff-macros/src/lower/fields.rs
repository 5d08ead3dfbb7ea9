//! Named fields (`self.scale`, `m.weights[i]`), read from constants.
//!
//! A struct is not a differentiable type yet, so a named field is read
//! only from a value known to carry no derivative: a method's receiver, a
//! parameter whose type rustc proves implements `adiff::Constant`, or one
//! listed in `constant(..)`. Its fields are then constants too. Writing
//! one, or taking `&mut` to it, is an error: a derivative stored there
//! would be lost.

use crate::ir::{Block, Op, Place, Proj, Stmt};
use crate::ty::Ty;

use super::Lowerer;

impl Lowerer<'_> {
    /// `base.name` as a place, when `base` is a constant.
    pub(super) fn lower_named_field(
        &mut self,
        f: &syn::ExprField,
        out: &mut Block,
    ) -> Option<Place> {
        let syn::Member::Named(name) = &f.member else {
            return None;
        };
        let mut base = self.lower_place_or_temp(&f.base, out)?;
        let owner = self.place_ty(&base);
        if matches!(owner.deref(), Ty::Struct(_)) {
            base.proj.push(Proj::Named(name.clone()));
            return Some(base);
        }
        if !is_constant_owner(&self.func.info(base.base).ty) {
            self.error(&f.member, format!("field `{name}` is read from a value that may carry a derivative; named fields are read only from constants: a method's `self`, or a parameter whose type implements `adiff::Constant` or that is listed in `constant(..)`; otherwise pass the field's value as a parameter"));
            return None;
        }
        base.proj.push(Proj::Named(name.clone()));
        Some(base)
    }

    /// Reports every write to a named field in `b` (and `&mut` taken to
    /// one), which lowering cannot see at the place itself.
    pub(super) fn reject_field_writes(&mut self, b: &Block) {
        crate::ir::for_each_stmt(b, &mut |s| {
            let (place, span) = match s {
                Stmt::Assign { place, span, .. } | Stmt::Accum { place, span, .. } => {
                    (place, *span)
                }
                Stmt::Let {
                    init: Some(Op::Ref(place, true) | Op::Grow(place) | Op::Shrink(place)),
                    span,
                    ..
                } => (place, *span),
                _ => return,
            };
            let of_constant = is_constant_owner(&self.func.info(place.base).ty);
            if let Some(name) = place.proj.iter().find_map(|p| match p {
                Proj::Named(n) if of_constant => Some(n),
                _ => None,
            }) {
                self.diags.error(span, format!("writing the field `{name}` of a constant is not supported: a derivative stored there would be lost; compute the value in a local, or return it"));
            }
        });
    }
}

/// Whether a variable of type `t` is a constant whose fields can be read:
/// the kind `sig` gives constants of unmodelled types.
fn is_constant_owner(t: &Ty) -> bool {
    match t {
        Ty::Opaque => true,
        Ty::Ref(_, inner) => is_constant_owner(inner),
        _ => false,
    }
}

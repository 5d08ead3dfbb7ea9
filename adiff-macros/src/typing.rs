//! Type propagation over the IR: the [`Ty`] of atoms, places and operations.

use crate::ir::{Atom, BinOp, Const, Func, LaOp, Op, Place, Proj, UnOp};
use crate::ty::{Prec, Ty};

pub fn atom_ty(func: &Func, a: &Atom) -> Ty {
    match a {
        Atom::Var(v) => func.info(*v).ty.clone(),
        Atom::Const(Const::Float(_)) => Ty::Float(None),
        Atom::Const(Const::FloatT(_)) => Ty::Float(Some(Prec::Generic)),
        Atom::Const(Const::Lit(l)) => lit_ty(l),
        Atom::Const(Const::Path(p)) => path_const_ty(p),
        Atom::Const(Const::Unit) => Ty::Unit,
    }
}

pub fn place_ty(func: &Func, p: &Place) -> Ty {
    let mut t = func.info(p.base).ty.clone();
    for proj in &p.proj {
        t = match proj {
            Proj::Index(_) => t.elem(),
            Proj::Slice(_) => Ty::Slice(Box::new(t.elem())),
            Proj::Field(i) => t.field(*i),
            // A field of a differentiable struct has its declared type; a
            // field of a constant is not seen, and carries no derivative
            // because its owner does not.
            Proj::Named(f) => t.named_field(&f.to_string()),
            Proj::Deref => t.deref().clone(),
        };
    }
    t
}

pub fn op_ty(func: &Func, op: &Op) -> Ty {
    let at = |a: &Atom| atom_ty(func, a);
    match op {
        Op::Use(a) | Op::ZeroLike(a) => at(a),
        Op::ZeroVec(a) => Ty::Vec(Box::new(at(a).elem())),
        // A tape variable's type is the type of its elements.
        Op::TapePop(t) | Op::TapePeek(t, _) => func.info(*t).ty.clone(),
        Op::TapeNew(_) | Op::TapeNewOwned => Ty::Other,
        Op::Ck(
            crate::ir::CkOp::Next
            | crate::ir::CkOp::Lo
            | crate::ir::CkOp::Hi
            | crate::ir::CkOp::Offset,
            _,
        ) => Ty::Int,
        Op::Ck(crate::ir::CkOp::Save, _) => Ty::Unit,
        Op::Ck(..) => Ty::Other,
        Op::Default => Ty::Unknown,
        Op::Grow(_) | Op::Shrink(_) => Ty::Unit,
        Op::Load(p) => place_ty(func, p),
        Op::Bin(b, _, _) if b.is_comparison() => Ty::Bool,
        Op::InRange { .. } => Ty::Bool,
        Op::Bin(BinOp::Shl | BinOp::Shr, a, _) => at(a),
        Op::Bin(_, a, b) | Op::Select(_, a, b) => at(a).join(at(b)),
        Op::Unary(UnOp::Neg | UnOp::Not, a) => at(a),
        Op::Cast(_, t) => Ty::from_syn(t),
        Op::CastPrec(_, p) => Ty::Float(Some(*p)),
        Op::Elem(_, args, prec) => match args.first().map(at) {
            Some(Ty::Int) => Ty::Int,
            _ => args
                .iter()
                .fold(Ty::Float(*prec), |t, a| t.join(float_part(at(a)))),
        },
        Op::La(LaOp::Dim(_), _) => Ty::Int,
        Op::La(l, args) => {
            let prec = args.iter().find_map(|a| at(a).prec());
            match prec {
                Some(p) if l.scalar_result() => Ty::Float(Some(p)),
                Some(p) => Ty::La(p),
                None => Ty::Unknown,
            }
        }
        Op::Method(recv, _, _) if at(recv) == Ty::Int => Ty::Int,
        // `T::one()`, `T::epsilon()`, `T::PI()`: constants of type `T`.
        Op::Call(c, args)
            if c.opaque
                && args.is_empty()
                && c.path.segments.len() == 2
                && Prec::from_name(&c.path.segments[0].ident.to_string())
                    == Some(Prec::Generic)
                && crate::generic::is_constant_fn(&c.path.segments[1].ident.to_string()) =>
        {
            Ty::Float(Some(Prec::Generic))
        }
        Op::Method(..) | Op::Call(..) => Ty::Unknown,
        Op::Tuple(xs) => Ty::Tuple(xs.iter().map(at).collect()),
        Op::Array(xs) => Ty::Array(Box::new(xs.first().map_or(Ty::Unknown, at))),
        Op::Repeat(a, _) => Ty::Array(Box::new(at(a))),
        Op::VecRepeat(a, _) => Ty::Vec(Box::new(at(a))),
        Op::VecList(xs) => Ty::Vec(Box::new(xs.first().map_or(Ty::Unknown, at))),
        Op::Len(_) => Ty::Int,
        Op::Ref(p, m) => Ty::Ref(*m, Box::new(place_ty(func, p))),
        Op::Lin(terms) => terms
            .iter()
            .fold(Ty::Float(None), |t, term| t.join(at(&term.value))),
    }
}

fn float_part(t: Ty) -> Ty {
    match t {
        Ty::Float(p) => Ty::Float(p),
        _ => Ty::Unknown,
    }
}

pub fn lit_ty(l: &syn::Lit) -> Ty {
    match l {
        syn::Lit::Float(f) => Ty::Float(Prec::from_name(f.suffix())),
        syn::Lit::Int(i) => match Prec::from_name(i.suffix()) {
            Some(p) => Ty::Float(Some(p)),
            None => Ty::Int,
        },
        syn::Lit::Bool(_) => Ty::Bool,
        _ => Ty::Other,
    }
}

/// The type of a constant path such as `std::f64::consts::PI` or `f32::MAX`.
pub fn path_const_ty(p: &syn::Path) -> Ty {
    let segs: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
    let last = segs.last().map_or("", String::as_str);
    for s in &segs {
        if let Some(prec) = Prec::from_name(s) {
            return if matches!(last, "DIGITS" | "MANTISSA_DIGITS" | "RADIX")
                || last.ends_with("_EXP")
            {
                Ty::Int
            } else {
                Ty::Float(Some(prec))
            };
        }
    }
    Ty::Unknown
}

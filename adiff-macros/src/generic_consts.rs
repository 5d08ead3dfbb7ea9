//! Float constants of a function generic over its float type `T`: which
//! of them are `T`.
//!
//! The transformations write the constants of a derivative (`0.0`, the
//! `1.0` in `powf(b - 1.0)`, a seed) as [`Const::Float`], an unsuffixed
//! literal whose precision rustc infers. No literal has type `T`, so in a
//! generic function each such constant is `lit::<T>(x)` — unless it meets
//! a value of a concrete type, as it does in code that converts to `f64`
//! (`let x: f64 = param[0].into()`), where it must stay a literal. This
//! pass, run last, reads each constant's context from the types of the
//! values around it and marks the `T` ones [`Const::FloatT`]; codegen
//! then only prints what it is given.

use crate::ir::{Atom, Block, Const, Func, Op, Pat, Stmt};
use crate::ty::{Prec, Ty};
use crate::typing::{atom_ty, place_ty};

/// Marks the float constants of `func` that are the float type parameter.
/// A constant whose context has no known precision is taken to be `T`:
/// a wrong guess is a type error, never a wrong value.
pub fn pin(func: &mut Func) {
    let mut body = std::mem::take(&mut func.body);
    let ret = func.ret.as_ref().and_then(|t| Ty::from_syn(t).prec());
    block(func, ret, &mut body);
    func.body = body;
}

fn block(func: &Func, ret: Option<Prec>, b: &mut Block) {
    for s in b {
        let dest = match s {
            Stmt::Let {
                pat: Pat::Var(v), ..
            } => func.info(*v).ty.prec(),
            Stmt::Assign { place, .. } | Stmt::Accum { place, .. } => place_ty(func, place).prec(),
            Stmt::Return(_) => ret,
            _ => None,
        };
        match s {
            Stmt::Let { init: Some(op), .. }
            | Stmt::Assign { op, .. }
            | Stmt::Accum { op, .. }
            | Stmt::Eval { op, .. }
            | Stmt::Return(Some(op)) => pin_op(func, dest, op),
            _ => {}
        }
        for inner in s.blocks_mut() {
            block(func, ret, inner);
        }
    }
}

/// The precision of the values an operation combines its constants with:
/// its float operands', else its result's.
fn context(func: &Func, dest: Option<Prec>, op: &Op) -> Option<Prec> {
    let of = |a: &Atom| match a {
        Atom::Var(_) => atom_ty(func, a).prec(),
        // No literal the user wrote has type `T`, so its context is a
        // concrete float (which one does not matter here).
        Atom::Const(Const::Lit(syn::Lit::Float(_))) => Some(Prec::F64),
        Atom::Const(_) => None,
    };
    let operands = match op {
        Op::Bin(_, a, b) | Op::Select(_, a, b) => of(a).or(of(b)),
        Op::Elem(_, args, p) => p.or_else(|| args.iter().find_map(of)),
        Op::Lin(terms) => terms.iter().find_map(|t| of(&t.value)),
        _ => None,
    };
    operands.or(dest)
}

fn pin_op(func: &Func, dest: Option<Prec>, op: &mut Op) {
    // The source of a conversion has whatever type makes it convert.
    if matches!(op, Op::Cast(..) | Op::CastPrec(..)) {
        return;
    }
    if !matches!(context(func, dest, op), None | Some(Prec::Generic)) {
        return;
    }
    crate::ir::map_op(
        op,
        &|a| match a {
            Atom::Const(Const::Float(x)) => Atom::Const(Const::FloatT(*x)),
            a => a.clone(),
        },
        &Clone::clone,
    );
}

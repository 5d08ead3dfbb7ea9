//! [`Emit`]: where a rule puts the helper statements its partials need.

use proc_macro2::Span;

use crate::elem::Elem;
use crate::ir::{Atom, BinOp, Block, Const, Func, Op, Pat, Stmt, VarId};
use crate::ty::{Prec, Ty};
use crate::typing::atom_ty;

/// Appends helper statements for partial derivatives (`cos a` for `sin`).
pub struct Emit<'a> {
    temps: Temps<'a>,
    out: &'a mut Block,
    span: Span,
    /// The precision of the operation, when known.
    pub prec: Option<Prec>,
}

/// Where helper temporaries come from.
enum Temps<'a> {
    /// New variables of the function being transformed.
    Func(&'a mut Func),
    /// Numbers past the function's variables, for an analysis that only
    /// asks which primal values a rule reads: nothing is declared, so the
    /// function need not be copied.
    Dry { next: usize },
}

impl<'a> Emit<'a> {
    /// Helpers for the derivative of `r = op`, declared in `func`; the
    /// precision is `r`'s.
    pub fn new(func: &'a mut Func, out: &'a mut Block, span: Span, r: &Atom) -> Self {
        let prec = atom_ty(func, r).prec();
        Emit {
            temps: Temps::Func(func),
            out,
            span,
            prec,
        }
    }

    /// Helpers whose statements are only looked at: their temporaries are
    /// numbered from `func.vars.len()` without being declared.
    pub fn dry(func: &Func, out: &'a mut Block, r: &Atom) -> Self {
        Emit {
            temps: Temps::Dry {
                next: func.vars.len(),
            },
            out,
            span: Span::call_site(),
            prec: atom_ty(func, r).prec(),
        }
    }

    pub(super) fn op(&mut self, op: Op) -> Atom {
        let v = match &mut self.temps {
            Temps::Func(func) => {
                let ty = match crate::typing::op_ty(func, &op) {
                    Ty::Unknown => Ty::Float(self.prec),
                    t => t,
                };
                func.temp(ty, self.span)
            }
            Temps::Dry { next } => {
                *next += 1;
                VarId(*next - 1)
            }
        };
        self.out.push(Stmt::Let {
            pat: Pat::Var(v),
            init: Some(op),
            span: self.span,
        });
        Atom::Var(v)
    }

    pub(super) fn bin(&mut self, op: BinOp, a: &Atom, b: &Atom) -> Atom {
        self.op(Op::Bin(op, a.clone(), b.clone()))
    }

    pub(super) fn elem(&mut self, e: Elem, args: &[&Atom]) -> Atom {
        let args = args.iter().map(|a| (*a).clone()).collect();
        self.op(Op::Elem(e, args, self.prec))
    }

    /// `if c { a } else { b }` of two float constants.
    pub(super) fn select(&mut self, c: &Atom, a: f64, b: f64) -> Atom {
        self.op(Op::Select(c.clone(), Atom::float(a), Atom::float(b)))
    }

    /// `core::f64::consts::LN_2` and the like, named as a person would (and
    /// as clippy's `approx_constant` demands), in the operation's precision.
    /// A literal when the precision is not known here, since a path has
    /// one fixed type.
    pub(super) fn named(&mut self, name: &str, value: f64) -> Atom {
        match self.prec {
            // No path names a constant of type `T`: the `f64` one, cast.
            Some(Prec::Generic) => match syn::parse_str(&format!("::core::f64::consts::{name}")) {
                Ok(path) => self.op(Op::CastPrec(Atom::Const(Const::Path(path)), Prec::Generic)),
                Err(_) => Atom::float(value),
            },
            Some(p) => {
                let path = format!("::core::{}::consts::{name}", p.name());
                match syn::parse_str(&path) {
                    Ok(path) => Atom::Const(Const::Path(path)),
                    Err(_) => Atom::float(value),
                }
            }
            None => Atom::float(value),
        }
    }
}

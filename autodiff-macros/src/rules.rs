//! The derivative rules: one entry per elementary operation.
//!
//! A rule gives the partial derivative of an operation's result with respect
//! to each argument, as a [`Scale`] over primal atoms. Forward mode forms
//! `r_dot = Σ scale_i · a_i_dot`; reverse mode forms `a_i_bar += scale_i ·
//! r_bar`. Both modes read this one table, so adding `erf` means adding one
//! arm to [`elem_partials`] (and a name in [`crate::elem`]).
//!
//! Partials may need helper values (`cos(a)` for `sin`); a rule appends
//! their IR statements through [`Emit`]. They are computed only for the
//! arguments in `need`.
//!
//! Conventions at non-smooth points: `abs` has derivative 0 at 0, and
//! `hypot` at the origin; `max(a, b)`
//! follows `a` when `a >= b`, `min(a, b)` follows `a` when `a <= b`;
//! `clamp(x, lo, hi)` follows `x` when `lo <= x <= hi`, else the bound it
//! returned; `floor`, `ceil`, `round`, `trunc` and `signum` have derivative 0.

use proc_macro2::Span;

use crate::elem::Elem;
use crate::ir::{Atom, BinOp, Block, Const, Func, Op, Pat, Scale, Stmt, UnOp};
use crate::ty::{Prec, Ty};

/// Appends helper statements for partial derivatives.
pub struct Emit<'a> {
    pub func: &'a mut Func,
    pub out: &'a mut Block,
    pub span: Span,
    /// The precision of the operation, when known.
    pub prec: Option<Prec>,
}

impl Emit<'_> {
    fn op(&mut self, op: Op) -> Atom {
        let ty = match crate::typing::op_ty(self.func, &op) {
            Ty::Unknown => Ty::Float(self.prec),
            t => t,
        };
        let v = self.func.temp(ty, self.span);
        self.out.push(Stmt::Let {
            pat: Pat::Var(v),
            init: Some(op),
            span: self.span,
        });
        Atom::Var(v)
    }
    fn bin(&mut self, op: BinOp, a: &Atom, b: &Atom) -> Atom {
        self.op(Op::Bin(op, a.clone(), b.clone()))
    }
    fn elem(&mut self, e: Elem, args: &[&Atom]) -> Atom {
        let args = args.iter().map(|a| (*a).clone()).collect();
        self.op(Op::Elem(e, args, self.prec))
    }
    fn select(&mut self, c: &Atom, a: f64, b: f64) -> Atom {
        self.op(Op::Select(c.clone(), Atom::float(a), Atom::float(b)))
    }
    /// `core::f64::consts::LN_2` and the like, named as a person would (and
    /// as clippy's `approx_constant` demands), in the operation's precision.
    /// A literal when the precision is not known here, since a path has
    /// one fixed type.
    fn named(&self, name: &str, value: f64) -> Atom {
        match self.prec {
            Some(p) => {
                let path = format!("::core::{}::consts::{name}", p.name());
                match syn::parse_str(&path) {
                    Ok(path) => Atom::Const(Const::Path(path)),
                    Err(_) => c(value),
                }
            }
            None => c(value),
        }
    }
}

fn c(x: f64) -> Atom {
    Atom::float(x)
}

fn mul(a: Atom) -> Option<Scale> {
    Some(Scale::mul(a))
}

fn div(a: Atom) -> Option<Scale> {
    Some(Scale {
        div: Some(a),
        ..Scale::default()
    })
}

fn neg_mul(a: Atom) -> Option<Scale> {
    Some(Scale {
        neg: true,
        mul: Some(a),
        ..Scale::default()
    })
}

fn neg_div(a: Atom) -> Option<Scale> {
    Some(Scale {
        neg: true,
        div: Some(a),
        ..Scale::default()
    })
}

/// Which arguments of an elementary function can carry a derivative.
pub fn elem_diff_args(e: Elem, nargs: usize) -> Vec<bool> {
    match e {
        Elem::Floor | Elem::Ceil | Elem::Round | Elem::Trunc | Elem::Signum => vec![false; nargs],
        Elem::Powi => vec![true, false],
        _ => vec![true; nargs],
    }
}

/// Which arguments of a binary operator can carry a derivative.
pub fn bin_diff_args(op: BinOp) -> [bool; 2] {
    if op.is_arith() {
        [true, true]
    } else {
        [false, false]
    }
}

/// Partials of `r = a op b`.
pub fn bin_partials(
    op: BinOp,
    a: &Atom,
    b: &Atom,
    r: &Atom,
    need: &[bool],
    em: &mut Emit<'_>,
) -> Vec<Option<Scale>> {
    match op {
        BinOp::Add => vec![Some(Scale::one()), Some(Scale::one())],
        BinOp::Sub => vec![Some(Scale::one()), Some(Scale::neg())],
        BinOp::Mul => vec![mul(b.clone()), mul(a.clone())],
        BinOp::Div => vec![
            div(b.clone()),
            Some(Scale {
                neg: true,
                mul: Some(r.clone()),
                div: Some(b.clone()),
            }),
        ],
        BinOp::Rem => {
            // a % b = a - trunc(a / b) * b
            let q = if need.get(1).copied().unwrap_or(false) {
                let q = em.bin(BinOp::Div, a, b);
                Some(em.elem(Elem::Trunc, &[&q]))
            } else {
                None
            };
            vec![Some(Scale::one()), q.and_then(neg_mul)]
        }
        _ => vec![None, None],
    }
}

/// Partials of `r = op a`.
pub fn unary_partial(op: UnOp) -> Option<Scale> {
    match op {
        UnOp::Neg => Some(Scale::neg()),
        UnOp::Not => None,
    }
}

/// `sqrt(1 - a²)`.
fn sqrt_one_minus_sq(a: &Atom, em: &mut Emit<'_>) -> Atom {
    let sq = em.bin(BinOp::Mul, a, a);
    let d = em.bin(BinOp::Sub, &c(1.0), &sq);
    em.elem(Elem::Sqrt, &[&d])
}

/// Partials of `r = e(args)`.
#[allow(clippy::too_many_lines)]
pub fn elem_partials(
    e: Elem,
    args: &[Atom],
    r: &Atom,
    need: &[bool],
    em: &mut Emit<'_>,
) -> Vec<Option<Scale>> {
    let arity = crate::elem::ALL
        .iter()
        .find(|(x, _, _)| *x == e)
        .map_or(0, |(_, _, n)| *n);
    if args.len() != arity {
        // Lowering checks arity; this keeps a broken invariant from panicking.
        return vec![None; args.len()];
    }
    let a = &args[0];
    let wants = |i: usize| need.get(i).copied().unwrap_or(false);
    match e {
        Elem::Sin => vec![mul(em.elem(Elem::Cos, &[a]))],
        Elem::Cos => vec![neg_mul(em.elem(Elem::Sin, &[a]))],
        Elem::Tan => {
            let sq = em.bin(BinOp::Mul, r, r);
            vec![mul(em.bin(BinOp::Add, &c(1.0), &sq))]
        }
        Elem::Asin => vec![div(sqrt_one_minus_sq(a, em))],
        Elem::Acos => vec![neg_div(sqrt_one_minus_sq(a, em))],
        Elem::Atan => {
            let sq = em.bin(BinOp::Mul, a, a);
            vec![div(em.bin(BinOp::Add, &c(1.0), &sq))]
        }
        Elem::Atan2 => {
            // r = atan2(y, x): dr = (x dy - y dx) / (x² + y²)
            let x = &args[1];
            let yy = em.bin(BinOp::Mul, a, a);
            let xx = em.bin(BinOp::Mul, x, x);
            let d = em.bin(BinOp::Add, &xx, &yy);
            vec![
                Some(Scale {
                    neg: false,
                    mul: Some(x.clone()),
                    div: Some(d.clone()),
                }),
                Some(Scale {
                    neg: true,
                    mul: Some(a.clone()),
                    div: Some(d),
                }),
            ]
        }
        Elem::Sinh => vec![mul(em.elem(Elem::Cosh, &[a]))],
        Elem::Cosh => vec![mul(em.elem(Elem::Sinh, &[a]))],
        Elem::Tanh => {
            let sq = em.bin(BinOp::Mul, r, r);
            vec![mul(em.bin(BinOp::Sub, &c(1.0), &sq))]
        }
        Elem::Asinh => {
            let sq = em.bin(BinOp::Mul, a, a);
            let s = em.bin(BinOp::Add, &sq, &c(1.0));
            vec![div(em.elem(Elem::Sqrt, &[&s]))]
        }
        Elem::Acosh => {
            let sq = em.bin(BinOp::Mul, a, a);
            let s = em.bin(BinOp::Sub, &sq, &c(1.0));
            vec![div(em.elem(Elem::Sqrt, &[&s]))]
        }
        Elem::Atanh => {
            let sq = em.bin(BinOp::Mul, a, a);
            vec![div(em.bin(BinOp::Sub, &c(1.0), &sq))]
        }
        Elem::Exp => vec![mul(r.clone())],
        Elem::Exp2 => {
            let ln_2 = em.named("LN_2", std::f64::consts::LN_2);
            vec![mul(em.bin(BinOp::Mul, r, &ln_2))]
        }
        Elem::ExpM1 => vec![mul(em.bin(BinOp::Add, r, &c(1.0)))],
        Elem::Ln => vec![div(a.clone())],
        Elem::Log => {
            // log_b(a) = ln a / ln b
            let b = &args[1];
            let ln_b = em.elem(Elem::Ln, &[b]);
            let da = if wants(0) {
                div(em.bin(BinOp::Mul, a, &ln_b))
            } else {
                None
            };
            let db = if wants(1) {
                let d = em.bin(BinOp::Mul, b, &ln_b);
                Some(Scale {
                    neg: true,
                    mul: Some(r.clone()),
                    div: Some(d),
                })
            } else {
                None
            };
            vec![da, db]
        }
        Elem::Log2 => {
            let ln_2 = em.named("LN_2", std::f64::consts::LN_2);
            vec![div(em.bin(BinOp::Mul, a, &ln_2))]
        }
        Elem::Log10 => {
            let ln_10 = em.named("LN_10", std::f64::consts::LN_10);
            vec![div(em.bin(BinOp::Mul, a, &ln_10))]
        }
        Elem::Ln1p => vec![div(em.bin(BinOp::Add, &c(1.0), a))],
        Elem::Sqrt => vec![div(em.bin(BinOp::Add, r, r))],
        Elem::Cbrt => {
            let sq = em.bin(BinOp::Mul, r, r);
            vec![div(em.bin(BinOp::Mul, &c(3.0), &sq))]
        }
        Elem::Powi => {
            // d(a^n) = n a^(n-1) da
            let n = &args[1];
            let one: Atom = Atom::Const(Const::Lit(syn::parse_quote!(1)));
            let n1 = em.bin(BinOp::Sub, n, &one);
            let p = em.elem(Elem::Powi, &[a, &n1]);
            let nf = em.op(Op::CastPrec(n.clone(), em.prec.unwrap_or(Prec::F64)));
            vec![mul(em.bin(BinOp::Mul, &nf, &p)), None]
        }
        Elem::Powf => {
            let b = &args[1];
            let da = if wants(0) {
                let b1 = em.bin(BinOp::Sub, b, &c(1.0));
                let p = em.elem(Elem::Powf, &[a, &b1]);
                mul(em.bin(BinOp::Mul, b, &p))
            } else {
                None
            };
            let db = if wants(1) {
                let ln_a = em.elem(Elem::Ln, &[a]);
                mul(em.bin(BinOp::Mul, r, &ln_a))
            } else {
                None
            };
            vec![da, db]
        }
        Elem::Recip => vec![neg_mul(em.bin(BinOp::Mul, r, r))],
        Elem::Abs => {
            let is_zero = em.bin(BinOp::Eq, a, &c(0.0));
            let s = em.elem(Elem::Signum, &[a]);
            vec![mul(em.op(Op::Select(is_zero, c(0.0), s)))]
        }
        Elem::Signum | Elem::Floor | Elem::Ceil | Elem::Round | Elem::Trunc => vec![None],
        Elem::Hypot => {
            // ∂/∂a = a / r and ∂/∂b = b / r, taken as 0 at the origin.
            let b = &args[1];
            let at_origin = em.bin(BinOp::Eq, r, &c(0.0));
            let part = |x: &Atom, em: &mut Emit<'_>| {
                let q = em.bin(BinOp::Div, x, r);
                mul(em.op(Op::Select(at_origin.clone(), c(0.0), q)))
            };
            let da = if wants(0) { part(a, em) } else { None };
            let db = if wants(1) { part(b, em) } else { None };
            vec![da, db]
        }
        Elem::MulAdd => vec![mul(args[1].clone()), mul(a.clone()), Some(Scale::one())],
        Elem::Min | Elem::Max => {
            let b = &args[1];
            let op = if e == Elem::Min { BinOp::Le } else { BinOp::Ge };
            let first = em.bin(op, a, b);
            let da = if wants(0) {
                mul(em.select(&first, 1.0, 0.0))
            } else {
                None
            };
            let db = if wants(1) {
                mul(em.select(&first, 0.0, 1.0))
            } else {
                None
            };
            vec![da, db]
        }
        Elem::Clamp => {
            let (lo, hi) = (&args[1], &args[2]);
            let below = em.bin(BinOp::Lt, a, lo);
            let above = em.bin(BinOp::Gt, a, hi);
            let dx = if wants(0) {
                let outside = em.bin(BinOp::BitOr, &below, &above);
                mul(em.select(&outside, 0.0, 1.0))
            } else {
                None
            };
            let dlo = if wants(1) {
                mul(em.select(&below, 1.0, 0.0))
            } else {
                None
            };
            let dhi = if wants(2) {
                mul(em.select(&above, 1.0, 0.0))
            } else {
                None
            };
            vec![dx, dlo, dhi]
        }
        Elem::ToRadians => vec![mul(c(std::f64::consts::PI / 180.0))],
        Elem::ToDegrees => vec![mul(c(180.0 / std::f64::consts::PI))],
    }
}

//! Partials of the elementary functions: one arm per [`Elem`], the longer
//! rules as functions grouped by family below.
//!
//! Each rule returns one entry per argument and computes only those in
//! `need`. It is asked only about arguments the table in [`crate::elem`]
//! marks differentiable, so a constant argument's entry is `None`.

use super::{c, div, mul, neg_div, neg_mul, Emit};
use crate::elem::Elem;
use crate::ir::{Atom, BinOp, Const, Op, Scale};
use crate::ty::Prec;

/// Partials of `r = e(args)`; `args.len()` is `e`'s arity.
pub fn partials(
    e: Elem,
    args: &[Atom],
    r: &Atom,
    need: &[bool],
    em: &mut Emit<'_>,
) -> Vec<Option<Scale>> {
    let a = &args[0];
    match e {
        // Trigonometric and hyperbolic.
        Elem::Sin => vec![mul(em.elem(Elem::Cos, &[a]))],
        Elem::Cos => vec![neg_mul(em.elem(Elem::Sin, &[a]))],
        Elem::Tan => vec![mul(one_plus_sq(r, em))],
        Elem::Asin => vec![div(sqrt_one_minus_sq(a, em))],
        Elem::Acos => vec![neg_div(sqrt_one_minus_sq(a, em))],
        Elem::Atan => vec![div(one_plus_sq(a, em))],
        Elem::Atan2 => atan2(a, &args[1], em),
        Elem::Sinh => vec![mul(em.elem(Elem::Cosh, &[a]))],
        Elem::Cosh => vec![mul(em.elem(Elem::Sinh, &[a]))],
        Elem::Tanh => vec![mul(one_minus_sq(r, em))],
        Elem::Asinh => vec![div(sqrt_sq_plus(a, 1.0, em))],
        Elem::Acosh => vec![div(sqrt_sq_plus(a, -1.0, em))],
        Elem::Atanh => vec![div(one_minus_sq(a, em))],
        // Exponentials, logarithms and powers.
        Elem::Exp => vec![mul(r.clone())],
        Elem::Exp2 => {
            let ln_2 = em.named("LN_2", std::f64::consts::LN_2);
            vec![mul(em.bin(BinOp::Mul, r, &ln_2))]
        }
        Elem::ExpM1 => vec![mul(em.bin(BinOp::Add, r, &c(1.0)))],
        Elem::Ln => vec![div(a.clone())],
        Elem::Log => log(a, &args[1], r, need, em),
        Elem::Log2 => vec![div(times_ln(a, "LN_2", std::f64::consts::LN_2, em))],
        Elem::Log10 => vec![div(times_ln(a, "LN_10", std::f64::consts::LN_10, em))],
        Elem::Ln1p => vec![div(em.bin(BinOp::Add, &c(1.0), a))],
        Elem::Sqrt => vec![div(em.bin(BinOp::Add, r, r))],
        Elem::Cbrt => {
            let sq = em.bin(BinOp::Mul, r, r);
            vec![div(em.bin(BinOp::Mul, &c(3.0), &sq))]
        }
        Elem::Powi => powi(a, &args[1], em),
        Elem::Powf => powf(a, &args[1], r, need, em),
        Elem::Recip => vec![neg_mul(em.bin(BinOp::Mul, r, r))],
        // Piecewise: the conventions at kinks are in `rules`' documentation.
        Elem::Abs => {
            let is_zero = em.bin(BinOp::Eq, a, &c(0.0));
            let s = em.elem(Elem::Signum, &[a]);
            vec![mul(em.op(Op::Select(is_zero, c(0.0), s)))]
        }
        Elem::Hypot => hypot(a, &args[1], r, need, em),
        Elem::Min => min_max(BinOp::Le, a, &args[1], need, em),
        Elem::Max => min_max(BinOp::Ge, a, &args[1], need, em),
        Elem::Clamp => clamp(a, &args[1], &args[2], need, em),
        Elem::RemEuclid => rem_euclid(a, &args[1], r, need, em),
        // Piecewise constant: the table marks the argument constant.
        Elem::Signum | Elem::Floor | Elem::Ceil | Elem::Round | Elem::Trunc => vec![None],
        // Linear.
        Elem::MulAdd => vec![mul(args[1].clone()), mul(a.clone()), Some(Scale::one())],
        Elem::ToRadians => vec![mul(c(std::f64::consts::PI / 180.0))],
        Elem::ToDegrees => vec![mul(c(180.0 / std::f64::consts::PI))],
    }
}

// ---- trigonometric and hyperbolic ----------------------------------------

/// `1 + a²`.
fn one_plus_sq(a: &Atom, em: &mut Emit<'_>) -> Atom {
    let sq = em.bin(BinOp::Mul, a, a);
    em.bin(BinOp::Add, &c(1.0), &sq)
}

/// `1 - a²`.
fn one_minus_sq(a: &Atom, em: &mut Emit<'_>) -> Atom {
    let sq = em.bin(BinOp::Mul, a, a);
    em.bin(BinOp::Sub, &c(1.0), &sq)
}

/// `sqrt(1 - a²)`.
fn sqrt_one_minus_sq(a: &Atom, em: &mut Emit<'_>) -> Atom {
    let d = one_minus_sq(a, em);
    em.elem(Elem::Sqrt, &[&d])
}

/// `sqrt(a² + k)` for `k = ±1`.
fn sqrt_sq_plus(a: &Atom, k: f64, em: &mut Emit<'_>) -> Atom {
    let sq = em.bin(BinOp::Mul, a, a);
    let s = if k < 0.0 {
        em.bin(BinOp::Sub, &sq, &c(-k))
    } else {
        em.bin(BinOp::Add, &sq, &c(k))
    };
    em.elem(Elem::Sqrt, &[&s])
}

/// `r = atan2(y, x)`: `dr = (x dy - y dx) / (x² + y²)`.
fn atan2(y: &Atom, x: &Atom, em: &mut Emit<'_>) -> Vec<Option<Scale>> {
    let yy = em.bin(BinOp::Mul, y, y);
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
            mul: Some(y.clone()),
            div: Some(d),
        }),
    ]
}

// ---- exponentials, logarithms and powers ---------------------------------

/// `a · ln(base)`, with `ln(base)` the named constant `name`.
fn times_ln(a: &Atom, name: &str, value: f64, em: &mut Emit<'_>) -> Atom {
    let ln = em.named(name, value);
    em.bin(BinOp::Mul, a, &ln)
}

/// `r = log_b(a) = ln a / ln b`.
fn log(a: &Atom, b: &Atom, r: &Atom, need: &[bool], em: &mut Emit<'_>) -> Vec<Option<Scale>> {
    let ln_b = em.elem(Elem::Ln, &[b]);
    let da = if need[0] {
        div(em.bin(BinOp::Mul, a, &ln_b))
    } else {
        None
    };
    let db = if need[1] {
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

/// `d(a^n) = n a^(n-1) da`; the exponent is an integer.
fn powi(a: &Atom, n: &Atom, em: &mut Emit<'_>) -> Vec<Option<Scale>> {
    let one: Atom = Atom::Const(Const::Lit(syn::parse_quote!(1)));
    let n1 = em.bin(BinOp::Sub, n, &one);
    let p = em.elem(Elem::Powi, &[a, &n1]);
    let nf = em.op(Op::CastPrec(n.clone(), em.prec.unwrap_or(Prec::F64)));
    vec![mul(em.bin(BinOp::Mul, &nf, &p)), None]
}

/// `r = a^b`: `dr = b a^(b-1) da + r ln(a) db`.
fn powf(a: &Atom, b: &Atom, r: &Atom, need: &[bool], em: &mut Emit<'_>) -> Vec<Option<Scale>> {
    let da = if need[0] {
        let b1 = em.bin(BinOp::Sub, b, &c(1.0));
        let p = em.elem(Elem::Powf, &[a, &b1]);
        mul(em.bin(BinOp::Mul, b, &p))
    } else {
        None
    };
    let db = if need[1] {
        let ln_a = em.elem(Elem::Ln, &[a]);
        mul(em.bin(BinOp::Mul, r, &ln_a))
    } else {
        None
    };
    vec![da, db]
}

// ---- piecewise ------------------------------------------------------------

/// `∂/∂a = a / r` and `∂/∂b = b / r`, taken as 0 at the origin.
fn hypot(a: &Atom, b: &Atom, r: &Atom, need: &[bool], em: &mut Emit<'_>) -> Vec<Option<Scale>> {
    let at_origin = em.bin(BinOp::Eq, r, &c(0.0));
    let part = |x: &Atom, em: &mut Emit<'_>| {
        let q = em.bin(BinOp::Div, x, r);
        mul(em.op(Op::Select(at_origin.clone(), c(0.0), q)))
    };
    let da = if need[0] { part(a, em) } else { None };
    let db = if need[1] { part(b, em) } else { None };
    vec![da, db]
}

/// `min` (`first` is `<=`) and `max` (`>=`): the result follows `a` when
/// `a first b`.
fn min_max(
    first: BinOp,
    a: &Atom,
    b: &Atom,
    need: &[bool],
    em: &mut Emit<'_>,
) -> Vec<Option<Scale>> {
    let takes_a = em.bin(first, a, b);
    let da = if need[0] {
        mul(em.select(&takes_a, 1.0, 0.0))
    } else {
        None
    };
    let db = if need[1] {
        mul(em.select(&takes_a, 0.0, 1.0))
    } else {
        None
    };
    vec![da, db]
}

/// `clamp(x, lo, hi)` follows `x` inside the bounds, else the bound it
/// returned.
fn clamp(x: &Atom, lo: &Atom, hi: &Atom, need: &[bool], em: &mut Emit<'_>) -> Vec<Option<Scale>> {
    let below = em.bin(BinOp::Lt, x, lo);
    let above = em.bin(BinOp::Gt, x, hi);
    let dx = if need[0] {
        let outside = em.bin(BinOp::BitOr, &below, &above);
        mul(em.select(&outside, 0.0, 1.0))
    } else {
        None
    };
    let dlo = if need[1] {
        mul(em.select(&below, 1.0, 0.0))
    } else {
        None
    };
    let dhi = if need[2] {
        mul(em.select(&above, 1.0, 0.0))
    } else {
        None
    };
    vec![dx, dlo, dhi]
}

/// `r = a.rem_euclid(b) = a - q·b`, with `q` constant on each piece:
/// `∂/∂a = 1`, `∂/∂b = -q = (r - a) / b`. Computing `q` from the result
/// takes, at a jump, the piece the result lies on.
fn rem_euclid(
    a: &Atom,
    b: &Atom,
    r: &Atom,
    need: &[bool],
    em: &mut Emit<'_>,
) -> Vec<Option<Scale>> {
    let db = if need[1] {
        let d = em.bin(BinOp::Sub, r, a);
        Some(Scale {
            neg: false,
            mul: Some(d),
            div: Some(b.clone()),
        })
    } else {
        None
    };
    vec![Some(Scale::one()), db]
}

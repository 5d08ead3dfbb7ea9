//! Derivatives of the nalgebra operations ([`LaOp`]), whole matrices at a
//! time: the seed's backprop formulas (`dL/dW = δ xᵀ`, `δ_x = Wᵀ δ`) for
//! products, and the plain linear maps for the rest.
//!
//! Forward mode forms a tangent from the operands' tangents with the same
//! operations (a bilinear `a ∘ b` has `da ∘ b + a ∘ db`); reverse mode
//! gives each operand's share of the seed as an operation that its adjoint
//! accumulates. Conventions at non-smooth points follow the scalar table:
//! `norm` has derivative 0 at the origin, as `hypot` does.

use super::Emit;
use crate::ir::{Atom, BinOp, LaOp, Op, Scale, Term};

/// The operand positions whose derivatives flow into the result.
pub fn diff_args(op: &LaOp) -> &'static [usize] {
    match op {
        LaOp::Mul | LaOp::Add | LaOp::Sub | LaOp::ComponentMul | LaOp::Dot => &[0, 1],
        LaOp::Neg
        | LaOp::Clone
        | LaOp::Transpose
        | LaOp::NormSquared
        | LaOp::Norm
        | LaOp::Sum
        | LaOp::Map(_) => &[0],
        // Integers; and the operations only transformations make, which
        // are never differentiated again (second order on nalgebra values
        // is rejected before any transformation runs).
        LaOp::Dim(_) | LaOp::MapDeriv(_) | LaOp::MulTr | LaOp::TrMul | LaOp::Fill => &[],
    }
}

/// The tangent of `r = op(args)`, given the tangent of each active operand
/// (`None` for an inactive one); `None` if no tangent reaches `r`.
pub fn tangent(
    op: &LaOp,
    args: &[Atom],
    r: &Atom,
    tan: &[Option<Atom>],
    em: &mut Emit<'_>,
) -> Option<Op> {
    let t = |i: usize| tan.get(i).cloned().flatten();
    let la = |o: LaOp, xs: Vec<Atom>| Op::La(o, xs);
    match op {
        LaOp::Add => match (t(0), t(1)) {
            (Some(a), Some(b)) => Some(la(LaOp::Add, vec![a, b])),
            (Some(a), None) | (None, Some(a)) => Some(Op::Use(a)),
            (None, None) => None,
        },
        LaOp::Sub => match (t(0), t(1)) {
            (Some(a), Some(b)) => Some(la(LaOp::Sub, vec![a, b])),
            (Some(a), None) => Some(Op::Use(a)),
            (None, Some(b)) => Some(la(LaOp::Neg, vec![b])),
            (None, None) => None,
        },
        LaOp::Neg | LaOp::Clone | LaOp::Transpose | LaOp::Sum => {
            t(0).map(|a| la(op.clone(), vec![a]))
        }
        LaOp::Mul | LaOp::ComponentMul | LaOp::Dot => {
            let left = t(0).map(|da| em.op(la(op.clone(), vec![da, args[1].clone()])));
            let right = t(1).map(|db| em.op(la(op.clone(), vec![args[0].clone(), db])));
            match (left, right) {
                (Some(a), Some(b)) if op.scalar_result() => Some(Op::Bin(BinOp::Add, a, b)),
                (Some(a), Some(b)) => Some(la(LaOp::Add, vec![a, b])),
                (Some(a), None) | (None, Some(a)) => Some(Op::Use(a)),
                (None, None) => None,
            }
        }
        LaOp::NormSquared => {
            let da = t(0)?;
            let d = em.op(la(LaOp::Dot, vec![args[0].clone(), da]));
            Some(Op::Lin(vec![Term {
                value: d,
                scale: Scale::mul(Atom::float(2.0)),
            }]))
        }
        LaOp::Norm => {
            let da = t(0)?;
            let d = em.op(la(LaOp::Dot, vec![args[0].clone(), da]));
            let q = em.bin(BinOp::Div, &d, r);
            Some(Op::Use(at_origin_zero(r, &q, em)))
        }
        LaOp::Map(f) => {
            let da = t(0)?;
            let d = em.op(la(LaOp::MapDeriv(f.clone()), vec![args[0].clone()]));
            Some(la(LaOp::ComponentMul, vec![d, da]))
        }
        LaOp::Dim(_) | LaOp::MapDeriv(_) | LaOp::MulTr | LaOp::TrMul | LaOp::Fill => None,
    }
}

/// `0` where the norm `r` is 0, else `q` (the derivative of `norm` at the
/// origin is 0, as `hypot`'s is).
fn at_origin_zero(r: &Atom, q: &Atom, em: &mut Emit<'_>) -> Atom {
    let zero = em.bin(BinOp::Eq, r, &Atom::float(0.0));
    em.op(Op::Select(zero, Atom::float(0.0), q.clone()))
}

/// Each needed operand's share of the seed of `r = op(args)`: the
/// operation its adjoint accumulates. `at` are the operands as the reverse
/// sweep reads them; `scalar[i]` says operand `i` is a float, not a matrix.
pub fn adjoints(
    op: &LaOp,
    at: &[Atom],
    r: &Atom,
    seed: &Atom,
    need: &[bool],
    scalar: &[bool],
    em: &mut Emit<'_>,
) -> Vec<(usize, Op)> {
    let la = |o: LaOp, xs: Vec<Atom>| Op::La(o, xs);
    let s = seed.clone();
    let a = |i: usize| at[i].clone();
    let mut out: Vec<(usize, Op)> = Vec::new();
    let needed = |i: usize| need.get(i).copied().unwrap_or(false);
    match op {
        LaOp::Add => {
            out.extend((0..2).map(|i| (i, Op::Use(s.clone()))));
        }
        LaOp::Clone => out.push((0, Op::Use(s))),
        LaOp::Sub => {
            out.push((0, Op::Use(s.clone())));
            out.push((1, la(LaOp::Neg, vec![s])));
        }
        LaOp::Neg | LaOp::Transpose => out.push((0, la(op.clone(), vec![s]))),
        LaOp::Sum => out.push((0, la(LaOp::Fill, vec![a(0), s]))),
        LaOp::Mul => match (scalar[0], scalar[1]) {
            // `c * m`: `c_bar += m · seed`, `m_bar += c seed`.
            (true, _) => {
                out.push((0, la(LaOp::Dot, vec![a(1), s.clone()])));
                out.push((1, la(LaOp::Mul, vec![a(0), s])));
            }
            (_, true) => {
                out.push((0, la(LaOp::Mul, vec![a(1), s.clone()])));
                out.push((1, la(LaOp::Dot, vec![a(0), s])));
            }
            // `a b`: `a_bar += seed bᵀ`, `b_bar += aᵀ seed`.
            _ => {
                out.push((0, la(LaOp::MulTr, vec![s.clone(), a(1)])));
                out.push((1, la(LaOp::TrMul, vec![a(0), s])));
            }
        },
        LaOp::ComponentMul => {
            out.push((0, la(LaOp::ComponentMul, vec![s.clone(), a(1)])));
            out.push((1, la(LaOp::ComponentMul, vec![a(0), s])));
        }
        LaOp::Dot => {
            out.push((0, la(LaOp::Mul, vec![s.clone(), a(1)])));
            out.push((1, la(LaOp::Mul, vec![s, a(0)])));
        }
        LaOp::NormSquared if needed(0) => {
            let k = em.bin(BinOp::Mul, &Atom::float(2.0), &s);
            out.push((0, la(LaOp::Mul, vec![k, a(0)])));
        }
        LaOp::Norm if needed(0) => {
            let q = em.bin(BinOp::Div, &s, r);
            let k = at_origin_zero(r, &q, em);
            out.push((0, la(LaOp::Mul, vec![k, a(0)])));
        }
        LaOp::Map(f) if needed(0) => {
            let d = em.op(la(LaOp::MapDeriv(f.clone()), vec![a(0)]));
            out.push((0, la(LaOp::ComponentMul, vec![d, s])));
        }
        _ => {}
    }
    out.retain(|(i, _)| needed(*i));
    out
}

/// The operand positions whose primal values the adjoint of `op` reads
/// (for reverse mode's to-be-recorded analysis); `reads_result` when it
/// also reads the result.
pub fn adjoint_reads(op: &LaOp) -> (&'static [usize], bool) {
    match op {
        LaOp::Mul | LaOp::ComponentMul | LaOp::Dot => (&[0, 1], false),
        LaOp::NormSquared | LaOp::Map(_) | LaOp::Sum => (&[0], false),
        LaOp::Norm => (&[0], true),
        _ => (&[], false),
    }
}

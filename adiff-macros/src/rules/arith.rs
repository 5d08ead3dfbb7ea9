//! Partials of the arithmetic operators.

use super::{div, mul, neg_mul, Emit};
use crate::elem::Elem;
use crate::ir::{Atom, BinOp, Scale, UnOp};

/// Which operands of a binary operator carry a derivative: both for
/// arithmetic, none for comparisons and bit operations.
pub fn bin_diff(op: BinOp) -> [bool; 2] {
    [op.is_arith(); 2]
}

/// Partials of `r = a op b`, for an arithmetic `op`.
pub fn bin(
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
        // Not arithmetic: `bin_diff` marks both operands constant.
        _ => vec![None, None],
    }
}

/// Which operand of a unary operator carries a derivative.
pub fn unary_diff(op: UnOp) -> bool {
    matches!(op, UnOp::Neg)
}

/// Partial of `r = op a`.
pub fn unary(op: UnOp) -> Option<Scale> {
    match op {
        UnOp::Neg => Some(Scale::neg()),
        UnOp::Not => None,
    }
}

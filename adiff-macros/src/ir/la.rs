//! Operations on nalgebra values ([`Ty::La`](crate::ty::Ty::La)), whole
//! matrices and vectors at a time.

use std::rc::Rc;

/// A linear-algebra operation. Operands are atoms of nalgebra type (owned
/// or borrowed) or float scalars; codegen passes nalgebra operands by
/// reference, so no operation moves a matrix the reverse sweep still reads.
#[derive(Clone, Debug)]
pub enum LaOp {
    /// `a * b`: a matrix product (matrix–matrix, matrix–vector) or a
    /// scaling, when one operand is a scalar.
    Mul,
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `-a`.
    Neg,
    /// `a.clone()`: an owned copy (also of a borrowed matrix).
    Clone,
    /// `a.component_mul(&b)`.
    ComponentMul,
    /// `a.transpose()`.
    Transpose,
    /// `a.dot(&b)`: a scalar.
    Dot,
    /// `a.norm_squared()`: a scalar.
    NormSquared,
    /// `a.norm()`: a scalar.
    Norm,
    /// `a.sum()`: a scalar.
    Sum,
    /// `a.nrows()`, `a.ncols()`: integers, no derivative.
    Dim(DimKind),
    /// `a.map(f)`, `f` a closure of one float.
    Map(Rc<MapFn>),
    /// The element-wise derivative of a [`LaOp::Map`]'s closure at `a`
    /// (made by the transformations).
    MapDeriv(Rc<MapFn>),
    /// `seed * b.transpose()`, the adjoint of `a` in `a * b` (made by
    /// reverse mode, accumulated by a fused runtime call).
    MulTr,
    /// `a.transpose() * seed`, the adjoint of `b` in `a * b` (made by
    /// reverse mode, accumulated by a fused runtime call).
    TrMul,
    /// A value shaped like `a` with every entry `s` (made by reverse mode
    /// for the adjoint of a sum).
    Fill,
}

/// `nrows` or `ncols`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DimKind {
    Rows,
    Cols,
}

/// The closure of a `map`, as a function of one float: `fn map(v: S) -> S`.
#[derive(Debug)]
pub struct MapFn {
    /// The closure as a function item, named `__adiff_map`, with the
    /// parameter typed by the matrix's scalar; codegen expands its `_jvp`.
    pub item: syn::ItemFn,
    /// The closure as written, for the primal code.
    pub closure: syn::ExprClosure,
}

impl LaOp {
    /// Whether the result is a scalar rather than a matrix.
    pub fn scalar_result(&self) -> bool {
        matches!(self, LaOp::Dot | LaOp::NormSquared | LaOp::Norm | LaOp::Sum)
    }

    /// The method or operator, for messages and printing.
    pub fn name(&self) -> &'static str {
        match self {
            LaOp::Mul => "mul",
            LaOp::Add => "add",
            LaOp::Sub => "sub",
            LaOp::Neg => "neg",
            LaOp::Clone => "clone",
            LaOp::ComponentMul => "component_mul",
            LaOp::Transpose => "transpose",
            LaOp::Dot => "dot",
            LaOp::NormSquared => "norm_squared",
            LaOp::Norm => "norm",
            LaOp::Sum => "sum",
            LaOp::Dim(DimKind::Rows) => "nrows",
            LaOp::Dim(DimKind::Cols) => "ncols",
            LaOp::Map(_) => "map",
            LaOp::MapDeriv(_) => "map_deriv",
            LaOp::MulTr => "mul_tr",
            LaOp::TrMul => "tr_mul",
            LaOp::Fill => "fill",
        }
    }
}

//! nalgebra values in derivatives (feature `nalgebra`): zeros and
//! accumulation for every owned matrix and vector, and the fused updates
//! reverse mode emits for the adjoints of products, so that a network
//! written with nalgebra differentiates at matrix speed.
//!
//! ```
//! use nalgebra::{DMatrix, DVector};
//! use adiff_runtime::{accumulate, la, zero_like};
//!
//! let w = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
//! let x = DVector::from_vec(vec![1.0, 0.0, -1.0]);
//! let seed = DVector::from_column_slice(&[1.0, 2.0]);
//! // The adjoints of `y = &w * &x`: w_bar += seed xᵀ, x_bar += wᵀ seed.
//! let mut w_bar = zero_like(&w);
//! let mut x_bar = zero_like(&x);
//! la::add_mul_tr(&mut w_bar, &seed, &x);
//! la::add_tr_mul(&mut x_bar, &w, &seed);
//! assert_eq!(w_bar, &seed * x.transpose());
//! assert_eq!(x_bar, w.transpose() * &seed);
//! accumulate(&mut x_bar, &DVector::from_element(3, 1.0));
//! assert_eq!(x_bar[0], 10.0);
//! ```

use nalgebra::allocator::Allocator;
use nalgebra::{
    ClosedAddAssign, DMatrix, DVector, DefaultAllocator, Dim, Matrix, OMatrix, RealField,
    RowDVector, SMatrix, Scalar, Storage, StorageMut,
};
use num_traits::Zero;

use crate::{Accumulate, ZeroLike};

impl<T: Scalar + Zero, R: Dim, C: Dim> ZeroLike for OMatrix<T, R, C>
where
    DefaultAllocator: Allocator<R, C>,
{
    fn zero_like(&self) -> Self {
        let (r, c) = self.shape_generic();
        OMatrix::zeros_generic(r, c)
    }
}

impl<T: Scalar + ClosedAddAssign, R: Dim, C: Dim> Accumulate for OMatrix<T, R, C>
where
    DefaultAllocator: Allocator<R, C>,
{
    fn accumulate(&mut self, other: &Self) {
        *self += other;
    }
}

/// A matrix shaped like `a` with every entry `s`: the adjoint of `a.sum()`
/// for the seed `s`.
///
/// ```
/// let a = nalgebra::DVector::from_column_slice(&[1.0, 2.0]);
/// assert_eq!(adiff_runtime::la::fill_like(&a, 0.5)[1], 0.5);
/// ```
#[must_use]
pub fn fill_like<T: Scalar, R: Dim, C: Dim, S: Storage<T, R, C>>(
    a: &Matrix<T, R, C, S>,
    s: T,
) -> OMatrix<T, R, C>
where
    DefaultAllocator: Allocator<R, C>,
{
    let (r, c) = a.shape_generic();
    OMatrix::from_element_generic(r, c, s)
}

/// `dst += k m`, in place: the adjoint of a scaling `k * m`.
///
/// ```
/// let mut d = nalgebra::DVector::from_vec(vec![1.0, 1.0]);
/// adiff_runtime::la::add_scaled(&mut d, 2.0, &nalgebra::DVector::from_vec(vec![1.0, 3.0]));
/// assert_eq!(d.as_slice(), &[3.0, 7.0]);
/// ```
pub fn add_scaled<T, R, C, S1, S2>(dst: &mut Matrix<T, R, C, S1>, k: T, m: &Matrix<T, R, C, S2>)
where
    T: RealField + Copy,
    R: Dim,
    C: Dim,
    S1: StorageMut<T, R, C>,
    S2: Storage<T, R, C>,
{
    dst.zip_apply(m, |d, x| *d += k * x);
}

/// `self += seed bᵀ`: the adjoint of `a` in `a * b`.
pub trait AddMulTr<S, B> {
    /// Adds `seed * b.transpose()` into `self`.
    fn add_mul_tr(&mut self, seed: &S, b: &B);
}

/// `self += aᵀ seed`: the adjoint of `b` in `a * b`.
pub trait AddTrMul<A, S> {
    /// Adds `a.transpose() * seed` into `self`.
    fn add_tr_mul(&mut self, a: &A, seed: &S);
}

impl<T: RealField + Copy> AddMulTr<DVector<T>, DVector<T>> for DMatrix<T> {
    fn add_mul_tr(&mut self, seed: &DVector<T>, b: &DVector<T>) {
        // A rank-one update, without forming `seed bᵀ`.
        self.ger(T::one(), seed, b, T::one());
    }
}

impl<T: RealField + Copy> AddMulTr<DMatrix<T>, DMatrix<T>> for DMatrix<T> {
    fn add_mul_tr(&mut self, seed: &DMatrix<T>, b: &DMatrix<T>) {
        self.gemm(T::one(), seed, &b.transpose(), T::one());
    }
}

impl<T: RealField + Copy, const R: usize, const C: usize, const K: usize>
    AddMulTr<SMatrix<T, R, K>, SMatrix<T, C, K>> for SMatrix<T, R, C>
{
    fn add_mul_tr(&mut self, seed: &SMatrix<T, R, K>, b: &SMatrix<T, C, K>) {
        // On the stack: no temporary to avoid.
        *self += seed * b.transpose();
    }
}

impl<T: RealField + Copy> AddTrMul<DMatrix<T>, DVector<T>> for DVector<T> {
    fn add_tr_mul(&mut self, a: &DMatrix<T>, seed: &DVector<T>) {
        self.gemv_tr(T::one(), a, seed, T::one());
    }
}

impl<T: RealField + Copy> AddTrMul<DMatrix<T>, DMatrix<T>> for DMatrix<T> {
    fn add_tr_mul(&mut self, a: &DMatrix<T>, seed: &DMatrix<T>) {
        self.gemm_tr(T::one(), a, seed, T::one());
    }
}

impl<T: RealField + Copy, const R: usize, const C: usize, const K: usize>
    AddTrMul<SMatrix<T, R, C>, SMatrix<T, R, K>> for SMatrix<T, C, K>
{
    fn add_tr_mul(&mut self, a: &SMatrix<T, R, C>, seed: &SMatrix<T, R, K>) {
        *self += a.tr_mul(seed);
    }
}

// Products with a row vector: an outer product `a bᵀ` (`DVector` times
// `RowDVector`) and a row times a matrix.

impl<T: RealField + Copy> AddMulTr<DMatrix<T>, RowDVector<T>> for DVector<T> {
    fn add_mul_tr(&mut self, seed: &DMatrix<T>, b: &RowDVector<T>) {
        self.gemv(T::one(), seed, &b.transpose(), T::one());
    }
}

impl<T: RealField + Copy> AddTrMul<DVector<T>, DMatrix<T>> for RowDVector<T> {
    fn add_tr_mul(&mut self, a: &DVector<T>, seed: &DMatrix<T>) {
        *self += a.tr_mul(seed);
    }
}

impl<T: RealField + Copy> AddMulTr<RowDVector<T>, DMatrix<T>> for RowDVector<T> {
    fn add_mul_tr(&mut self, seed: &RowDVector<T>, b: &DMatrix<T>) {
        *self += seed * b.transpose();
    }
}

impl<T: RealField + Copy> AddTrMul<RowDVector<T>, RowDVector<T>> for DMatrix<T> {
    fn add_tr_mul(&mut self, a: &RowDVector<T>, seed: &RowDVector<T>) {
        self.ger(T::one(), &a.transpose(), &seed.transpose(), T::one());
    }
}

/// `dst += seed bᵀ` (see [`AddMulTr`]).
pub fn add_mul_tr<D: AddMulTr<S, B>, S, B>(dst: &mut D, seed: &S, b: &B) {
    dst.add_mul_tr(seed, b);
}

/// `dst += aᵀ seed` (see [`AddTrMul`]).
pub fn add_tr_mul<D: AddTrMul<A, S>, A, S>(dst: &mut D, a: &A, seed: &S) {
    dst.add_tr_mul(a, seed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{Matrix2x3, Vector2, Vector3};

    #[test]
    fn fused_updates_match_the_products() {
        let a = DMatrix::from_fn(3, 4, |i, j| (i as f64) - 0.5 * (j as f64));
        let b = DMatrix::from_fn(4, 2, |i, j| (i * j) as f64 + 1.0);
        let seed = DMatrix::from_fn(3, 2, |i, j| (i + 2 * j) as f64 - 1.5);
        let mut a_bar = DMatrix::from_element(3, 4, 1.0);
        add_mul_tr(&mut a_bar, &seed, &b);
        assert_eq!(
            a_bar,
            DMatrix::from_element(3, 4, 1.0) + &seed * b.transpose()
        );
        let mut b_bar = DMatrix::zeros(4, 2);
        add_tr_mul(&mut b_bar, &a, &seed);
        assert_eq!(b_bar, a.transpose() * &seed);
        let w = Matrix2x3::new(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        let x = Vector3::new(1.0, -1.0, 2.0);
        let s = Vector2::new(0.5, -2.0);
        let mut w_bar = Matrix2x3::zeros();
        add_mul_tr(&mut w_bar, &s, &x);
        assert_eq!(w_bar, s * x.transpose());
        let mut x_bar = Vector3::zeros();
        add_tr_mul(&mut x_bar, &w, &s);
        assert_eq!(x_bar, w.transpose() * s);
        assert_eq!(w.zero_like(), Matrix2x3::zeros());
        // Outer products and rows times matrices.
        let (u, v) = (
            DVector::from_column_slice(&[1.0, 2.0]),
            RowDVector::from_row_slice(&[3.0, -1.0, 0.5]),
        );
        let s = DMatrix::from_fn(2, 3, |i, j| (i + j) as f64 - 1.0);
        let mut u_bar = DVector::zeros(2);
        add_mul_tr(&mut u_bar, &s, &v);
        assert_eq!(u_bar, &s * v.transpose());
        let mut v_bar = RowDVector::zeros(3);
        add_tr_mul(&mut v_bar, &u, &s);
        assert_eq!(v_bar, u.transpose() * &s);
        let m = DMatrix::from_fn(3, 2, |i, j| (2 * i + j) as f64);
        let r = RowDVector::from_row_slice(&[1.0, -2.0]);
        let mut v_bar = RowDVector::zeros(3);
        add_mul_tr(&mut v_bar, &r, &m);
        assert_eq!(v_bar, &r * m.transpose());
        let mut m_bar = DMatrix::zeros(3, 2);
        add_tr_mul(&mut m_bar, &v, &r);
        assert_eq!(m_bar, v.transpose() * &r);
    }
}

//! `Matrix<S>`: the dense row-major matrix `f_jacobian` returns.

use alloc::vec;
use alloc::vec::Vec;
use core::ops::{Index, IndexMut};

/// A dense `rows × cols` matrix, stored row by row.
///
/// `f_jacobian` returns one: row `i` is output `i` (outputs flattened in
/// order), column `j` is differentiable input `j` (inputs flattened in
/// parameter order).
///
/// ```
/// use adiff_runtime::Matrix;
///
/// let mut m = Matrix::<f64>::zeros(2, 3);
/// m[(1, 2)] = 5.0;
/// assert_eq!((m.rows(), m.cols()), (2, 3));
/// assert_eq!(m.row(1), &[0.0, 0.0, 5.0]);
/// assert_eq!(m.as_slice(), &[0.0, 0.0, 0.0, 0.0, 0.0, 5.0]);
/// let t = Matrix::from_row_major(2, 2, vec![1.0, 2.0, 3.0, 4.0]);
/// assert_eq!(t[(1, 0)], 3.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix<S> {
    rows: usize,
    cols: usize,
    data: Vec<S>,
}

impl<S: Copy + Default> Matrix<S> {
    /// A `rows × cols` matrix of zeros (`S::default()`).
    #[must_use]
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![S::default(); rows * cols],
        }
    }
}

impl<S> Matrix<S> {
    /// A matrix from its entries, row by row.
    ///
    /// # Panics
    /// If `data.len() != rows * cols`.
    #[must_use]
    pub fn from_row_major(rows: usize, cols: usize, data: Vec<S>) -> Self {
        assert_eq!(
            data.len(),
            rows * cols,
            "Matrix::from_row_major: wrong length"
        );
        Matrix { rows, cols, data }
    }

    /// The number of rows (outputs).
    #[must_use]
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The number of columns (inputs).
    #[must_use]
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Every entry, row by row.
    #[must_use]
    pub fn as_slice(&self) -> &[S] {
        &self.data
    }

    /// Row `i`.
    #[must_use]
    pub fn row(&self, i: usize) -> &[S] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Row `i`, mutably.
    pub fn row_mut(&mut self, i: usize) -> &mut [S] {
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// The entries, row by row, by value.
    #[must_use]
    pub fn into_vec(self) -> Vec<S> {
        self.data
    }
}

impl<S: Copy> Matrix<S> {
    /// Column `j`, copied.
    #[must_use]
    pub fn column(&self, j: usize) -> Vec<S> {
        (0..self.rows).map(|i| self[(i, j)]).collect()
    }
}

impl<S> Index<(usize, usize)> for Matrix<S> {
    type Output = S;
    fn index(&self, (i, j): (usize, usize)) -> &S {
        assert!(
            j < self.cols,
            "column {j} out of range ({} columns)",
            self.cols
        );
        &self.data[i * self.cols + j]
    }
}

impl<S> IndexMut<(usize, usize)> for Matrix<S> {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut S {
        assert!(
            j < self.cols,
            "column {j} out of range ({} columns)",
            self.cols
        );
        &mut self.data[i * self.cols + j]
    }
}

/// `nalgebra::DMatrix` with the same entries.
///
/// ```
/// let m = adiff_runtime::Matrix::from_row_major(1, 2, vec![1.0_f64, 2.0]);
/// let d: nalgebra::DMatrix<f64> = m.into();
/// assert_eq!(d[(0, 1)], 2.0);
/// ```
#[cfg(feature = "nalgebra")]
impl<S: nalgebra::Scalar> From<Matrix<S>> for nalgebra::DMatrix<S> {
    fn from(m: Matrix<S>) -> Self {
        nalgebra::DMatrix::from_row_iterator(m.rows, m.cols, m.data)
    }
}

/// `ndarray::Array2` with the same entries.
///
/// ```
/// let m = adiff_runtime::Matrix::from_row_major(1, 2, vec![1.0_f64, 2.0]);
/// let a: ndarray::Array2<f64> = m.into();
/// assert_eq!(a[[0, 1]], 2.0);
/// ```
#[cfg(feature = "ndarray")]
impl<S> From<Matrix<S>> for ndarray::Array2<S> {
    fn from(m: Matrix<S>) -> Self {
        // The shape matches the data by construction.
        ndarray::Array2::from_shape_vec((m.rows, m.cols), m.data)
            .unwrap_or_else(|_| unreachable!("a Matrix's data has rows * cols entries"))
    }
}

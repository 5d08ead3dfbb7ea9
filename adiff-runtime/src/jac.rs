//! The pieces `f_jacobian` is assembled from: seeding tangents and
//! cotangents for inputs and outputs of every supported shape, reading
//! them back into a [`Matrix`], and the cost model that picks the mode.
//!
//! Inputs and outputs are flattened in order: a scalar is one entry, an
//! array or slice its elements in order (nested arrays row by row), a
//! tuple its parts in order.

use alloc::vec::Vec;

use crate::lanes::{LaneScalar, Lanes};
use crate::matrix::Matrix;

/// The vector width `f_jacobian`'s forward sweeps use: 8 directions per
/// sweep (one AVX-512 register of `f64`, two AVX2 registers).
pub const WIDTH: usize = 8;

/// Cost of one forward sweep of width [`WIDTH`] inside `f_jacobian`
/// (seeding and writing the columns included), in units of one run of the
/// function. Measured with `adiff-bench`'s report (`ADIFF_BENCH_ONLY=jacobian`)
/// as the forced-forward time over the number of sweeps in the
/// `jac_shape_*` cases: 1.7 to 2.1 (a bare sweep, `jac_sweeps_n100_m100
/// adiff_f_jvpw_W8/f`, 1.6). Only the ratio to [`REVERSE_SWEEP_COST`]
/// matters.
pub const FORWARD_SWEEP_COST: f64 = 1.9;

/// Cost of one reverse sweep (`f_vjp`) inside `f_jacobian`, in units of
/// one run of the function, measured like [`FORWARD_SWEEP_COST`]: 2.2 to
/// 2.3 (a bare sweep, `jac_sweeps_n100_m100 adiff_f_vjp/f`, 2.5).
pub const REVERSE_SWEEP_COST: f64 = 2.3;

/// Whether forward sweeps are predicted cheaper than reverse sweeps for an
/// `m × n` Jacobian: `⌈n / W⌉ · FORWARD_SWEEP_COST ≤ m · REVERSE_SWEEP_COST`.
///
/// ```
/// use adiff_runtime::jac::prefer_forward;
///
/// assert!(prefer_forward(10, 1000));
/// assert!(!prefer_forward(1000, 10));
/// ```
#[must_use]
pub const fn prefer_forward(n: usize, m: usize) -> bool {
    let sweeps = n.div_ceil(WIDTH);
    (sweeps as f64) * FORWARD_SWEEP_COST <= (m as f64) * REVERSE_SWEEP_COST
}

/// The mode, when the types fix every size: `inputs` and `outputs` are the
/// parts' [`JacInput::FLAT`] and [`JacOutput::FLAT`]. Generated code
/// evaluates it in a `const` block, so the choice is made at compile time
/// and the other branch is dead code.
///
/// ```
/// use adiff_runtime::jac::static_choice;
///
/// assert_eq!(static_choice(&[Some(3)], &[Some(100)]), Some(true));
/// assert_eq!(static_choice(&[None], &[Some(100)]), None);
/// ```
#[must_use]
pub const fn static_choice(inputs: &[Option<usize>], outputs: &[Option<usize>]) -> Option<bool> {
    match (sum_flat(inputs), sum_flat(outputs)) {
        (Some(n), Some(m)) => Some(prefer_forward(n, m)),
        _ => None,
    }
}

const fn sum_flat(parts: &[Option<usize>]) -> Option<usize> {
    let mut total = 0;
    let mut i = 0;
    while i < parts.len() {
        match parts[i] {
            Some(l) => total += l,
            None => return None,
        }
        i += 1;
    }
    Some(total)
}

/// A differentiable input, by the type it points to (`f64`, `[f64; N]`,
/// `[f64]`, `Vec<f64>`, nested arrays of these).
pub trait JacInput {
    /// `f32` or `f64`.
    type Scalar: LaneScalar;
    /// The tangent of `W` directions (`Lanes`, arrays of them, or a `Vec`).
    type Seed<const W: usize>;
    /// The adjoint (`f64`, an array, or a `Vec` for a slice).
    type Bar;
    /// The number of entries, statically when the type fixes it.
    const FLAT: Option<usize>;
    /// The number of entries.
    fn flat_len(&self) -> usize;
    /// The tangent that makes lane `k` direction `first + k`, when entry
    /// `e` of this input is column `offset + e`.
    fn seed<const W: usize>(&self, offset: usize, first: usize) -> Self::Seed<W>;
    /// The tangent whose lane `k` at entry `e` is `m[(offset + e, first +
    /// k)]` (zero past `m`'s last column): `W` columns of a matrix of
    /// tangents, one row per entry.
    fn seed_from<const W: usize>(
        &self,
        m: &Matrix<Self::Scalar>,
        offset: usize,
        first: usize,
    ) -> Self::Seed<W>;
    /// The adjoint shaped like `self` holding `flat`'s entries in order.
    fn bar_from(&self, flat: &[Self::Scalar]) -> Self::Bar;
    /// The adjoint with entry `k` one and the others zero (all zero when
    /// `k` is out of range).
    fn bar_unit(&self, k: usize) -> Self::Bar;
    /// Writes the adjoint's entries into `out`, in order.
    fn read_bar(&self, bar: &Self::Bar, out: &mut [Self::Scalar]);
    /// Sets the entries to `saved`'s (an in-out buffer's initial contents,
    /// before each sweep).
    fn restore_from(&mut self, saved: &Self);
}

macro_rules! scalar_input {
    ($($s:ty),*) => {$(
        impl JacInput for $s {
            type Scalar = $s;
            type Seed<const W: usize> = Lanes<$s, W>;
            type Bar = $s;
            const FLAT: Option<usize> = Some(1);
            fn flat_len(&self) -> usize {
                1
            }
            fn seed<const W: usize>(&self, offset: usize, first: usize) -> Lanes<$s, W> {
                match offset.checked_sub(first) {
                    Some(k) => Lanes::unit(k),
                    None => Lanes::zero(),
                }
            }
            fn seed_from<const W: usize>(&self, m: &Matrix<$s>, offset: usize, first: usize) -> Lanes<$s, W> {
                let row = m.row(offset);
                let mut l = Lanes::zero();
                let n = row.len().saturating_sub(first).min(W);
                l.0[..n].copy_from_slice(&row[first..first + n]);
                l
            }
            fn bar_from(&self, flat: &[$s]) -> $s {
                flat[0]
            }
            fn bar_unit(&self, k: usize) -> $s {
                if k == 0 { 1.0 } else { 0.0 }
            }
            fn read_bar(&self, bar: &$s, out: &mut [$s]) {
                out[0] = *bar;
            }
            fn restore_from(&mut self, saved: &$s) {
                *self = *saved;
            }
        }
    )*};
}

scalar_input!(f32, f64);

fn sub_or_max(a: usize, b: usize) -> usize {
    a.checked_sub(b).unwrap_or(usize::MAX)
}

impl<T: JacInput, const N: usize> JacInput for [T; N] {
    type Scalar = T::Scalar;
    type Seed<const W: usize> = [T::Seed<W>; N];
    type Bar = [T::Bar; N];
    const FLAT: Option<usize> = match T::FLAT {
        Some(l) => Some(l * N),
        None => None,
    };
    fn flat_len(&self) -> usize {
        self.iter().map(JacInput::flat_len).sum()
    }
    fn seed<const W: usize>(&self, offset: usize, first: usize) -> Self::Seed<W> {
        let mut off = offset;
        core::array::from_fn(|i| {
            let s = self[i].seed(off, first);
            off += self[i].flat_len();
            s
        })
    }
    fn seed_from<const W: usize>(
        &self,
        m: &Matrix<T::Scalar>,
        offset: usize,
        first: usize,
    ) -> Self::Seed<W> {
        let mut off = offset;
        core::array::from_fn(|i| {
            let s = self[i].seed_from(m, off, first);
            off += self[i].flat_len();
            s
        })
    }
    fn bar_from(&self, flat: &[T::Scalar]) -> Self::Bar {
        let mut off = 0;
        core::array::from_fn(|i| {
            let l = self[i].flat_len();
            let b = self[i].bar_from(&flat[off..off + l]);
            off += l;
            b
        })
    }
    fn bar_unit(&self, k: usize) -> Self::Bar {
        let mut off = 0;
        core::array::from_fn(|i| {
            let b = self[i].bar_unit(sub_or_max(k, off));
            off += self[i].flat_len();
            b
        })
    }
    fn read_bar(&self, bar: &Self::Bar, out: &mut [T::Scalar]) {
        read_slice(self, bar, out);
    }
    fn restore_from(&mut self, saved: &Self) {
        self.as_mut_slice().restore_from(saved);
    }
}

/// Reads the adjoints of the parts `xs` one after the other.
fn read_slice<T: JacInput>(xs: &[T], bars: &[T::Bar], out: &mut [T::Scalar]) {
    let mut off = 0;
    for (x, b) in xs.iter().zip(bars) {
        let l = x.flat_len();
        x.read_bar(b, &mut out[off..off + l]);
        off += l;
    }
}

impl<T: JacInput> JacInput for [T] {
    type Scalar = T::Scalar;
    type Seed<const W: usize> = Vec<T::Seed<W>>;
    type Bar = Vec<T::Bar>;
    const FLAT: Option<usize> = None;
    fn flat_len(&self) -> usize {
        self.iter().map(JacInput::flat_len).sum()
    }
    fn seed<const W: usize>(&self, offset: usize, first: usize) -> Self::Seed<W> {
        let mut off = offset;
        self.iter()
            .map(|x| {
                let s = x.seed(off, first);
                off += x.flat_len();
                s
            })
            .collect()
    }
    fn seed_from<const W: usize>(
        &self,
        m: &Matrix<T::Scalar>,
        offset: usize,
        first: usize,
    ) -> Self::Seed<W> {
        let mut off = offset;
        self.iter()
            .map(|x| {
                let s = x.seed_from(m, off, first);
                off += x.flat_len();
                s
            })
            .collect()
    }
    fn bar_from(&self, flat: &[T::Scalar]) -> Self::Bar {
        let mut off = 0;
        self.iter()
            .map(|x| {
                let l = x.flat_len();
                let b = x.bar_from(&flat[off..off + l]);
                off += l;
                b
            })
            .collect()
    }
    fn bar_unit(&self, k: usize) -> Self::Bar {
        let mut off = 0;
        self.iter()
            .map(|x| {
                let b = x.bar_unit(sub_or_max(k, off));
                off += x.flat_len();
                b
            })
            .collect()
    }
    fn read_bar(&self, bar: &Self::Bar, out: &mut [T::Scalar]) {
        read_slice(self, bar, out);
    }
    fn restore_from(&mut self, saved: &Self) {
        for (x, s) in self.iter_mut().zip(saved) {
            x.restore_from(s);
        }
    }
}

impl<T: JacInput> JacInput for Vec<T> {
    type Scalar = T::Scalar;
    type Seed<const W: usize> = Vec<T::Seed<W>>;
    type Bar = Vec<T::Bar>;
    const FLAT: Option<usize> = None;
    fn flat_len(&self) -> usize {
        self.as_slice().flat_len()
    }
    fn seed<const W: usize>(&self, offset: usize, first: usize) -> Self::Seed<W> {
        self.as_slice().seed(offset, first)
    }
    fn seed_from<const W: usize>(
        &self,
        m: &Matrix<T::Scalar>,
        offset: usize,
        first: usize,
    ) -> Self::Seed<W> {
        self.as_slice().seed_from(m, offset, first)
    }
    fn bar_from(&self, flat: &[T::Scalar]) -> Self::Bar {
        self.as_slice().bar_from(flat)
    }
    fn bar_unit(&self, k: usize) -> Self::Bar {
        self.as_slice().bar_unit(k)
    }
    fn read_bar(&self, bar: &Self::Bar, out: &mut [T::Scalar]) {
        read_slice(self, bar, out);
    }
    fn restore_from(&mut self, saved: &Self) {
        self.as_mut_slice().restore_from(saved);
    }
}

/// A function's result, as rows of its Jacobian: scalars, arrays, `Vec`s
/// and tuples of these, and `()` (no rows).
pub trait JacOutput: Sized {
    /// The number of entries, statically when the type fixes it.
    const FLAT: Option<usize>;
    /// The number of entries.
    fn flat_len(&self) -> usize;
    /// A cotangent shaped like `self`: entry `k` one, the others zero (all
    /// zero when `k` is out of range).
    #[must_use]
    fn unit(&self, k: usize) -> Self;
}

macro_rules! scalar_output {
    ($($s:ty),*) => {$(
        impl JacOutput for $s {
            const FLAT: Option<usize> = Some(1);
            fn flat_len(&self) -> usize {
                1
            }
            fn unit(&self, k: usize) -> $s {
                if k == 0 { 1.0 } else { 0.0 }
            }
        }
    )*};
}

scalar_output!(f32, f64);

impl JacOutput for () {
    const FLAT: Option<usize> = Some(0);
    fn flat_len(&self) -> usize {
        0
    }
    fn unit(&self, _k: usize) -> Self {}
}

const fn add_flat(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        _ => None,
    }
}

impl<T: JacOutput, const N: usize> JacOutput for [T; N] {
    const FLAT: Option<usize> = match T::FLAT {
        Some(l) => Some(l * N),
        None => None,
    };
    fn flat_len(&self) -> usize {
        self.iter().map(JacOutput::flat_len).sum()
    }
    fn unit(&self, k: usize) -> Self {
        let mut off = 0;
        core::array::from_fn(|i| {
            let u = self[i].unit(sub_or_max(k, off));
            off += self[i].flat_len();
            u
        })
    }
}

impl<T: JacOutput> JacOutput for Vec<T> {
    const FLAT: Option<usize> = None;
    fn flat_len(&self) -> usize {
        self.iter().map(JacOutput::flat_len).sum()
    }
    fn unit(&self, k: usize) -> Self {
        let mut off = 0;
        self.iter()
            .map(|x| {
                let u = x.unit(sub_or_max(k, off));
                off += x.flat_len();
                u
            })
            .collect()
    }
}

macro_rules! tuple_output {
    ($($t:ident $i:tt),+) => {
        impl<$($t: JacOutput),+> JacOutput for ($($t,)+) {
            const FLAT: Option<usize> = {
                let f = Some(0);
                $(let f = add_flat(f, $t::FLAT);)+
                f
            };
            fn flat_len(&self) -> usize {
                0 $(+ self.$i.flat_len())+
            }
            fn unit(&self, k: usize) -> Self {
                let mut off = 0;
                ($({
                    let u = self.$i.unit(sub_or_max(k, off));
                    off += self.$i.flat_len();
                    let _ = off;
                    u
                },)+)
            }
        }
    };
}

tuple_output!(A 0);
tuple_output!(A 0, B 1);
tuple_output!(A 0, B 1, C 2);
tuple_output!(A 0, B 1, C 2, D 3);
tuple_output!(A 0, B 1, C 2, D 3, E 4);
tuple_output!(A 0, B 1, C 2, D 3, E 4, F 5);

/// A tangent of `W` directions, written into rows of a Jacobian: lane `k`
/// of entry `e` goes to row `row + e`, column `first + k`.
pub trait LaneRows<S> {
    /// Writes the rows and returns the row after the last one written.
    /// Lanes past the last column are dropped.
    fn write_rows(&self, m: &mut Matrix<S>, row: usize, first: usize) -> usize;
}

impl<S: LaneScalar, const W: usize> LaneRows<S> for Lanes<S, W> {
    fn write_rows(&self, m: &mut Matrix<S>, row: usize, first: usize) -> usize {
        let n = m.cols().saturating_sub(first).min(W);
        let r = m.row_mut(row);
        r[first..first + n].copy_from_slice(&self.0[..n]);
        row + 1
    }
}

impl<S, T: LaneRows<S>, const N: usize> LaneRows<S> for [T; N] {
    fn write_rows(&self, m: &mut Matrix<S>, row: usize, first: usize) -> usize {
        self.as_slice().write_rows(m, row, first)
    }
}

impl<S, T: LaneRows<S>> LaneRows<S> for [T] {
    fn write_rows(&self, m: &mut Matrix<S>, row: usize, first: usize) -> usize {
        self.iter().fold(row, |r, t| t.write_rows(m, r, first))
    }
}

impl<S, T: LaneRows<S>> LaneRows<S> for Vec<T> {
    fn write_rows(&self, m: &mut Matrix<S>, row: usize, first: usize) -> usize {
        self.as_slice().write_rows(m, row, first)
    }
}

impl<S> LaneRows<S> for () {
    fn write_rows(&self, _m: &mut Matrix<S>, row: usize, _first: usize) -> usize {
        row
    }
}

macro_rules! tuple_rows {
    ($($t:ident $i:tt),+) => {
        impl<S, $($t: LaneRows<S>),+> LaneRows<S> for ($($t,)+) {
            fn write_rows(&self, m: &mut Matrix<S>, row: usize, first: usize) -> usize {
                let r = row;
                $(let r = self.$i.write_rows(m, r, first);)+
                r
            }
        }
    };
}

tuple_rows!(A 0);
tuple_rows!(A 0, B 1);
tuple_rows!(A 0, B 1, C 2);
tuple_rows!(A 0, B 1, C 2, D 3);
tuple_rows!(A 0, B 1, C 2, D 3, E 4);
tuple_rows!(A 0, B 1, C 2, D 3, E 4, F 5);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn seeds_cover_their_columns() {
        let x = [[1.0_f64, 2.0], [3.0, 4.0]];
        let s: [[Lanes<f64, 2>; 2]; 2] = x.seed(5, 6);
        assert_eq!(s[0][1].0, [1.0, 0.0]);
        assert_eq!(s[1][0].0, [0.0, 1.0]);
        assert_eq!(s[0][0].0, [0.0, 0.0]);
        let v = vec![1.0_f32; 3];
        assert_eq!(v.seed::<4>(0, 0)[2].0, [0.0, 0.0, 1.0, 0.0]);
        assert_eq!(<[f64; 3] as JacInput>::FLAT, Some(3));
        assert_eq!(v.bar_unit(1), vec![0.0, 1.0, 0.0]);
    }

    #[test]
    fn outputs_flatten_in_order() {
        let r = (vec![1.0_f64; 2], 3.0_f64, [0.0_f64; 2]);
        assert_eq!(r.flat_len(), 5);
        assert_eq!(r.unit(2), (vec![0.0; 2], 1.0, [0.0; 2]));
        assert_eq!(r.unit(4), (vec![0.0; 2], 0.0, [0.0, 1.0]));
        assert_eq!(<(f64, [f32; 3]) as JacOutput>::FLAT, Some(4));
        assert_eq!(<(f64, Vec<f64>) as JacOutput>::FLAT, None);
    }

    #[test]
    fn lane_rows_drop_lanes_past_the_last_column() {
        let mut m = Matrix::<f64>::zeros(2, 3);
        let t = (Lanes([1.0, 2.0]), [Lanes([3.0, 4.0])]);
        assert_eq!(t.write_rows(&mut m, 0, 2), 2);
        assert_eq!(m.as_slice(), &[0.0, 0.0, 1.0, 0.0, 0.0, 3.0]);
    }
}

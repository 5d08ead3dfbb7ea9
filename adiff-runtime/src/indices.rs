//! Integer ranges of any integer type that can be reversed after `take` and
//! `step_by`.
//!
//! Reverse mode replays a loop's iterations backwards, often as
//! `(a..b).take(count).rev()`. The standard library implements that
//! (`Take<I>: DoubleEndedIterator`) only when `I: ExactSizeIterator`, which
//! `Range<u64>`, `Range<i64>`, the 128-bit ranges and every inclusive range
//! are not. [`Indices`] counts in `usize` offsets from the start, so it is
//! exact-size for every integer type, and yields the same values.

/// An integer type a loop can count with.
pub trait RangeIndex: Copy {
    /// The number of values in `start..end` (zero if `end <= start`).
    fn distance(start: Self, end: Self) -> usize;
    /// `self + k`, for `k` below the range's length.
    fn offset(self, k: usize) -> Self;
}

macro_rules! range_index {
    ($wide:ty: $($t:ty),*) => {$(
        impl RangeIndex for $t {
            #[inline]
            fn distance(start: Self, end: Self) -> usize {
                // Widened, so `-100_i8..100` does not overflow.
                if end > start {
                    (end as $wide - start as $wide) as usize
                } else {
                    0
                }
            }
            #[inline]
            fn offset(self, k: usize) -> Self {
                (self as $wide + k as $wide) as $t
            }
        }
    )*};
}
range_index!(i128: i8, i16, i32, i64, i128, isize);
range_index!(u128: u8, u16, u32, u64, u128, usize);

/// The values `start, start + 1, ...` of a range, as an exact-size,
/// double-ended iterator for every integer type.
///
/// ```
/// use adiff_runtime::{indices, indices_inclusive};
///
/// let v: Vec<u64> = indices(3_u64, 7).step_by(2).rev().collect();
/// assert_eq!(v, [5, 3]);
/// let w: Vec<i8> = indices_inclusive(-2_i8, 1).take(3).rev().collect();
/// assert_eq!(w, [0, -1, -2]);
/// ```
#[derive(Clone, Debug)]
pub struct Indices<T> {
    start: T,
    offsets: core::ops::Range<usize>,
}

/// `start..end` as [`Indices`].
#[inline]
pub fn indices<T: RangeIndex>(start: T, end: T) -> Indices<T> {
    Indices {
        start,
        offsets: 0..T::distance(start, end),
    }
}

/// `start..=end` as [`Indices`].
#[inline]
pub fn indices_inclusive<T: RangeIndex + PartialOrd>(start: T, end: T) -> Indices<T> {
    let len = if start <= end {
        T::distance(start, end) + 1
    } else {
        0
    };
    Indices {
        start,
        offsets: 0..len,
    }
}

impl<T: RangeIndex> Iterator for Indices<T> {
    type Item = T;
    #[inline]
    fn next(&mut self) -> Option<T> {
        self.offsets.next().map(|k| self.start.offset(k))
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.offsets.size_hint()
    }
    #[inline]
    fn nth(&mut self, n: usize) -> Option<T> {
        self.offsets.nth(n).map(|k| self.start.offset(k))
    }
}

impl<T: RangeIndex> DoubleEndedIterator for Indices<T> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        self.offsets.next_back().map(|k| self.start.offset(k))
    }
    #[inline]
    fn nth_back(&mut self, n: usize) -> Option<T> {
        self.offsets.nth_back(n).map(|k| self.start.offset(k))
    }
}

impl<T: RangeIndex> ExactSizeIterator for Indices<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn same_values_as_std_ranges() {
        let a: Vec<u64> = indices(2_u64, 9).step_by(3).collect();
        assert_eq!(a, (2_u64..9).step_by(3).collect::<Vec<_>>());
        let b: Vec<i128> = indices_inclusive(-3_i128, 3).take(4).rev().collect();
        assert_eq!(b, [0, -1, -2, -3]);
        let c: Vec<u8> = indices_inclusive(250_u8, 255).rev().collect();
        assert_eq!(c, (250_u8..=255).rev().collect::<Vec<_>>());
        assert_eq!(indices(5_i64, 2).count(), 0);
        assert_eq!(indices(5_u32, 2).count(), 0);
        assert_eq!(indices_inclusive(5_u16, 4).count(), 0);
        let d: Vec<i8> = indices(-100_i8, 100).step_by(50).collect();
        assert_eq!(d, [-100, -50, 0, 50]);
    }
}

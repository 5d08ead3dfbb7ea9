//! Zero values shaped like a given value.

use alloc::vec::Vec;

/// A differentiable value that can produce a zero of its own shape.
///
/// Tangents and adjoints have the same type as the value they shadow. When
/// generated code must start a tangent at zero and the value is not a plain
/// scalar, it calls [`zero_like`], which needs this trait.
///
/// ```
/// use adiff_runtime::ZeroLike;
///
/// assert_eq!(2.5_f64.zero_like(), 0.0);
/// assert_eq!((1.0_f32, [2.0_f64; 2]).zero_like(), (0.0, [0.0; 2]));
/// ```
pub trait ZeroLike {
    /// Returns a value of the same shape as `self` with every float set to zero.
    #[must_use]
    fn zero_like(&self) -> Self;
}

impl ZeroLike for f64 {
    fn zero_like(&self) -> Self {
        0.0
    }
}

impl ZeroLike for f32 {
    fn zero_like(&self) -> Self {
        0.0
    }
}

/// Integers and booleans carry no derivative; inside a tuple such as
/// `(x, 3)` their "tangent" is left at zero so the tuple keeps its type.
macro_rules! constant_zero_like {
    ($($t:ty),*) => {$(
        impl ZeroLike for $t {
            fn zero_like(&self) -> Self {
                <$t>::default()
            }
        }
    )*};
}

constant_zero_like!(bool, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

impl<T: ZeroLike, const N: usize> ZeroLike for [T; N] {
    fn zero_like(&self) -> Self {
        core::array::from_fn(|i| self[i].zero_like())
    }
}

impl<T: ZeroLike> ZeroLike for Vec<T> {
    fn zero_like(&self) -> Self {
        self.iter().map(ZeroLike::zero_like).collect()
    }
}

impl ZeroLike for () {
    fn zero_like(&self) -> Self {}
}

macro_rules! tuple_zero_like {
    ($($t:ident $i:tt),+) => {
        impl<$($t: ZeroLike),+> ZeroLike for ($($t,)+) {
            fn zero_like(&self) -> Self {
                ($(self.$i.zero_like(),)+)
            }
        }
    };
}

tuple_zero_like!(A 0);
tuple_zero_like!(A 0, B 1);
tuple_zero_like!(A 0, B 1, C 2);
tuple_zero_like!(A 0, B 1, C 2, D 3);
tuple_zero_like!(A 0, B 1, C 2, D 3, E 4);
tuple_zero_like!(A 0, B 1, C 2, D 3, E 4, F 5);

/// Returns a zero shaped like `value`; a free-function form of
/// [`ZeroLike::zero_like`] that reads well in generated code.
///
/// ```
/// assert_eq!(adiff_runtime::zero_like(&[3.0_f64; 4]), [0.0; 4]);
/// ```
#[must_use]
pub fn zero_like<T: ZeroLike>(value: &T) -> T {
    value.zero_like()
}

/// A `Vec` of zeros as long as `slice`, each shaped like its element: the
/// owned adjoint of a slice parameter.
///
/// ```
/// assert_eq!(adiff_runtime::zero_vec(&[1.0_f64, 2.0, 3.0][..]), vec![0.0; 3]);
/// ```
#[must_use]
pub fn zero_vec<T: ZeroLike>(slice: &[T]) -> Vec<T> {
    slice.iter().map(ZeroLike::zero_like).collect()
}

/// A copy of a part of a value whose type the macro does not see, such as
/// a field of a call's tuple result (`let (_, g) = h_grad(&y);`): the
/// derivative reads the whole tuple again later (it records it, or zeroes
/// its adjoint from its shape), so moving a `Vec` out of it would not
/// compile. For a `Copy` field this is the copy itself.
///
/// ```
/// let pair = (1.0_f64, vec![2.0_f64]);
/// assert_eq!(adiff_runtime::part_of(&pair.1), vec![2.0]);
/// assert_eq!(pair.1.len(), 1);
/// ```
#[must_use]
pub fn part_of<T: Clone>(value: &T) -> T {
    value.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn nested_shapes_are_zeroed() {
        let v = vec![[1.0_f64, -2.0], [3.0, 4.0]];
        assert_eq!(zero_like(&v), vec![[0.0, 0.0], [0.0, 0.0]]);
        assert_eq!(zero_like(&(1.0_f32, 2.0_f64)), (0.0, 0.0));
        assert_eq!(zero_like(&(1.5_f64, 3_usize, true)), (0.0, 0, false));
    }
}

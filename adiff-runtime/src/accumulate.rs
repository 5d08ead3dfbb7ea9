//! Adding one adjoint into another of the same shape.

use alloc::vec::Vec;

/// A value whose adjoints can be summed in place, element by element.
///
/// Reverse-mode code accumulates adjoints with `+=`; for arrays, tuples and
/// `Vec`s it calls [`accumulate`], which needs this trait.
///
/// ```
/// use adiff_runtime::accumulate;
///
/// let mut a = [1.0, 2.0];
/// accumulate(&mut a, &[0.5, 0.5]);
/// assert_eq!(a, [1.5, 2.5]);
/// ```
pub trait Accumulate {
    /// `self += other`, element by element.
    fn accumulate(&mut self, other: &Self);
}

impl Accumulate for f64 {
    fn accumulate(&mut self, other: &Self) {
        *self += *other;
    }
}

impl Accumulate for f32 {
    fn accumulate(&mut self, other: &Self) {
        *self += *other;
    }
}

/// Integers and booleans carry no derivative: accumulating them does nothing.
macro_rules! constant_accumulate {
    ($($t:ty),*) => {$(
        impl Accumulate for $t {
            fn accumulate(&mut self, _other: &Self) {}
        }
    )*};
}

constant_accumulate!(bool, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

impl<T: Accumulate, const N: usize> Accumulate for [T; N] {
    fn accumulate(&mut self, other: &Self) {
        for (a, b) in self.iter_mut().zip(other) {
            a.accumulate(b);
        }
    }
}

impl<T: Accumulate> Accumulate for [T] {
    fn accumulate(&mut self, other: &Self) {
        for (a, b) in self.iter_mut().zip(other) {
            a.accumulate(b);
        }
    }
}

impl<T: Accumulate> Accumulate for Vec<T> {
    fn accumulate(&mut self, other: &Self) {
        self.as_mut_slice().accumulate(other.as_slice());
    }
}

impl Accumulate for () {
    fn accumulate(&mut self, _other: &Self) {}
}

macro_rules! tuple_accumulate {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Accumulate),+> Accumulate for ($($t,)+) {
            fn accumulate(&mut self, other: &Self) {
                $(self.$i.accumulate(&other.$i);)+
            }
        }
    };
}

tuple_accumulate!(A 0);
tuple_accumulate!(A 0, B 1);
tuple_accumulate!(A 0, B 1, C 2);
tuple_accumulate!(A 0, B 1, C 2, D 3);
tuple_accumulate!(A 0, B 1, C 2, D 3, E 4);
tuple_accumulate!(A 0, B 1, C 2, D 3, E 4, F 5);

/// `*dst += *src` for any [`Accumulate`] shape; a free-function form that
/// reads well in generated code.
///
/// ```
/// let mut v = vec![1.0_f32; 3];
/// adiff_runtime::accumulate(&mut v, &vec![2.0; 3]);
/// assert_eq!(v, vec![3.0; 3]);
/// ```
pub fn accumulate<T: Accumulate + ?Sized>(dst: &mut T, src: &T) {
    dst.accumulate(src);
}

//! Constants and conversions in a generic float type.
//!
//! The derivative of `fn f<T: Float>(x: T) -> T` needs constants of type
//! `T` (a zero adjoint, the `2.0` of `d(x²) = 2x dx`) where a derivative of
//! `f64` code writes a literal. Every float trait of num-traits (`Float`,
//! `Real`) implies `NumCast`, so these two functions are all the generated
//! code asks of `T`. For `T = f64` or `f32` they compile to the literal.

use num_traits::{NumCast, ToPrimitive};

/// The constant `x` in the float type `T`.
///
/// ```
/// assert_eq!(adiff_runtime::lit::<f32>(0.5), 0.5_f32);
/// assert_eq!(adiff_runtime::lit::<f64>(2.0), 2.0);
/// ```
#[inline(always)]
#[must_use]
pub fn lit<T: NumCast>(x: f64) -> T {
    cast(x)
}

/// `x` converted to the float type `T`, as `x as T` would if Rust allowed
/// it for a type parameter: the derivative of `powi(x, n)` needs `n` as a
/// `T`.
///
/// # Panics
/// If `T` cannot represent `x`, which no float type of num-traits allows
/// for an integer or a float.
///
/// ```
/// assert_eq!(adiff_runtime::cast::<f32, _>(3_i32), 3.0_f32);
/// ```
#[inline(always)]
#[must_use]
pub fn cast<T: NumCast, X: ToPrimitive>(x: X) -> T {
    match T::from(x) {
        Some(t) => t,
        None => panic!("adiff: a constant does not fit the float type"),
    }
}

/// A `Vec` of `n` zeros of the float type `T`.
///
/// ```
/// assert_eq!(adiff_runtime::zeros::<f32>(2), vec![0.0_f32; 2]);
/// ```
#[must_use]
pub fn zeros<T: NumCast + Clone>(n: usize) -> alloc::vec::Vec<T> {
    alloc::vec![lit::<T>(0.0); n]
}

/// `[f(&a[0]), f(&a[1]), ..]`: an array's zero, built element by element,
/// with its length taken from `a`.
///
/// ```
/// assert_eq!(adiff_runtime::map_array(&[1.0, 2.0], |x| x * 2.0), [2.0, 4.0]);
/// ```
pub fn map_array<E, R, const N: usize>(a: &[E; N], mut f: impl FnMut(&E) -> R) -> [R; N] {
    core::array::from_fn(|i| f(&a[i]))
}

/// A zero shaped like a value of a generic function whose type the macro
/// does not see (the result of a call), in terms of the float type `T`.
///
/// The runtime's [`ZeroLike`](crate::ZeroLike) cannot be implemented for
/// every `T: Float` next to its `Vec` and array impls (coherence), so a
/// generic function's zeros go through this trait, with `T` named: a
/// value that is none of these shapes is a type error, never a wrong zero.
pub trait ZeroIn<T> {
    /// The zero of `self`'s shape.
    #[must_use]
    fn zero_in(&self) -> Self;
}

impl<T: NumCast> ZeroIn<T> for T {
    #[inline(always)]
    fn zero_in(&self) -> T {
        lit(0.0)
    }
}

impl<T: NumCast + Clone> ZeroIn<T> for alloc::vec::Vec<T> {
    fn zero_in(&self) -> Self {
        zeros(self.len())
    }
}

impl<T: NumCast, const N: usize> ZeroIn<T> for [T; N] {
    fn zero_in(&self) -> Self {
        core::array::from_fn(|_| lit(0.0))
    }
}

/// `x`'s zero through [`ZeroIn`], with the float type named.
///
/// ```
/// assert_eq!(adiff_runtime::zero_in::<f32, _>(&1.5_f32), 0.0);
/// assert_eq!(adiff_runtime::zero_in::<f64, _>(&vec![1.0, 2.0]), vec![0.0; 2]);
/// ```
#[inline(always)]
#[must_use]
pub fn zero_in<T, X: ZeroIn<T>>(x: &X) -> X {
    x.zero_in()
}

//! `Lanes<S, W>`: the tangent of one scalar in vector forward mode.
//!
//! Forward mode emits only statements that are linear in tangents (sums of
//! primal coefficient × tangent, copies, loads). So running `W` directions
//! at once needs nothing but a tangent type with those operations: the
//! generated `f_jvpw::<W>` is the scalar `f_jvp` with `S` tangents replaced
//! by `Lanes<S, W>`, and the primal is computed once. Every operation is a
//! loop over `W` fixed-size lanes, which LLVM unrolls and vectorises.
//! Coefficients multiply from the right (`x_dot * c`): there is no
//! `f64 * Lanes`, which would appear in rustc's list of `Mul` impls in
//! every unrelated `f64 * usize` error of a user crate.

use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use alloc::vec::Vec;

/// `W` tangent directions of one scalar, lane `k` being direction `k`.
///
/// ```
/// use adiff_runtime::Lanes;
///
/// let a = Lanes([1.0_f64, 2.0, 3.0, 4.0]);
/// let b = Lanes::splat(0.5);
/// assert_eq!((a * 2.0 - b).0, [1.5, 3.5, 5.5, 7.5]);
/// assert_eq!((a * 3.0).lane(3), 12.0);
/// assert_eq!(Lanes::<f32, 2>::zero().0, [0.0; 2]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(transparent)]
pub struct Lanes<S, const W: usize>(pub [S; W]);

/// The scalar types lanes hold: `f32` and `f64`.
pub trait LaneScalar:
    Copy
    + Default
    + PartialEq
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The multiplicative identity, for seeding a direction.
    const ONE: Self;
}

impl LaneScalar for f64 {
    const ONE: Self = 1.0;
}

impl LaneScalar for f32 {
    const ONE: Self = 1.0;
}

impl<S: LaneScalar, const W: usize> Lanes<S, W> {
    /// Every lane zero.
    #[must_use]
    pub fn zero() -> Self {
        Lanes([S::default(); W])
    }

    /// Every lane `x`.
    #[must_use]
    pub fn splat(x: S) -> Self {
        Lanes([x; W])
    }

    /// Zero except lane `k`, which is one; all zero if `k >= W`.
    #[must_use]
    pub fn unit(k: usize) -> Self {
        let mut l = Self::zero();
        if let Some(x) = l.0.get_mut(k) {
            *x = S::ONE;
        }
        l
    }

    /// The tangent along direction `k`.
    #[must_use]
    pub fn lane(&self, k: usize) -> S {
        self.0[k]
    }
}

impl<S: LaneScalar, const W: usize> Default for Lanes<S, W> {
    fn default() -> Self {
        Self::zero()
    }
}

macro_rules! lanewise {
    ($tr:ident $f:ident $atr:ident $af:ident $op:tt) => {
        impl<S: LaneScalar, const W: usize> $tr for Lanes<S, W> {
            type Output = Self;
            #[inline(always)]
            fn $f(self, o: Self) -> Self {
                Lanes(core::array::from_fn(|k| self.0[k] $op o.0[k]))
            }
        }
        impl<S: LaneScalar, const W: usize> $atr for Lanes<S, W> {
            #[inline(always)]
            fn $af(&mut self, o: Self) {
                for k in 0..W {
                    self.0[k] = self.0[k] $op o.0[k];
                }
            }
        }
    };
}

lanewise!(Add add AddAssign add_assign +);
lanewise!(Sub sub SubAssign sub_assign -);

macro_rules! scaled {
    ($tr:ident $f:ident $atr:ident $af:ident $op:tt) => {
        impl<S: LaneScalar, const W: usize> $tr<S> for Lanes<S, W> {
            type Output = Self;
            #[inline(always)]
            fn $f(self, c: S) -> Self {
                Lanes(core::array::from_fn(|k| self.0[k] $op c))
            }
        }
        impl<S: LaneScalar, const W: usize> $atr<S> for Lanes<S, W> {
            #[inline(always)]
            fn $af(&mut self, c: S) {
                for k in 0..W {
                    self.0[k] = self.0[k] $op c;
                }
            }
        }
    };
}

scaled!(Mul mul MulAssign mul_assign *);
scaled!(Div div DivAssign div_assign /);

impl<S: LaneScalar, const W: usize> Neg for Lanes<S, W> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Lanes(core::array::from_fn(|k| -self.0[k]))
    }
}

/// A primal value's zero tangent in vector mode: each float becomes
/// [`Lanes`] of zeros, other parts (integers in a tuple) stay as they are.
///
/// ```
/// use adiff_runtime::{lanes_zero_like, Lanes};
///
/// let z: [Lanes<f64, 4>; 2] = lanes_zero_like::<4, _>(&[1.0, 2.0]);
/// assert_eq!(z, [Lanes::zero(); 2]);
/// ```
pub trait LaneZero<const W: usize> {
    /// The tangent type: the value's type with `S` replaced by `Lanes<S, W>`.
    type Out;
    /// A zero tangent shaped like `self`.
    fn lane_zero(&self) -> Self::Out;
}

macro_rules! float_lane_zero {
    ($($s:ty),*) => {$(
        impl<const W: usize> LaneZero<W> for $s {
            type Out = Lanes<$s, W>;
            fn lane_zero(&self) -> Self::Out {
                Lanes::zero()
            }
        }
    )*};
}

float_lane_zero!(f32, f64);

macro_rules! constant_lane_zero {
    ($($t:ty),*) => {$(
        impl<const W: usize> LaneZero<W> for $t {
            type Out = $t;
            fn lane_zero(&self) -> Self::Out {
                <$t>::default()
            }
        }
    )*};
}

constant_lane_zero!(bool, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

impl<T: LaneZero<W>, const N: usize, const W: usize> LaneZero<W> for [T; N] {
    type Out = [T::Out; N];
    fn lane_zero(&self) -> Self::Out {
        core::array::from_fn(|i| self[i].lane_zero())
    }
}

impl<T: LaneZero<W>, const W: usize> LaneZero<W> for [T] {
    type Out = Vec<T::Out>;
    fn lane_zero(&self) -> Self::Out {
        self.iter().map(LaneZero::lane_zero).collect()
    }
}

impl<T: LaneZero<W>, const W: usize> LaneZero<W> for Vec<T> {
    type Out = Vec<T::Out>;
    fn lane_zero(&self) -> Self::Out {
        self.iter().map(LaneZero::lane_zero).collect()
    }
}

impl<T: LaneZero<W> + ?Sized, const W: usize> LaneZero<W> for &T {
    type Out = T::Out;
    fn lane_zero(&self) -> Self::Out {
        (**self).lane_zero()
    }
}

macro_rules! tuple_lane_zero {
    ($($t:ident $i:tt),+) => {
        impl<$($t: LaneZero<W>),+, const W: usize> LaneZero<W> for ($($t,)+) {
            type Out = ($($t::Out,)+);
            fn lane_zero(&self) -> Self::Out {
                ($(self.$i.lane_zero(),)+)
            }
        }
    };
}

tuple_lane_zero!(A 0);
tuple_lane_zero!(A 0, B 1);
tuple_lane_zero!(A 0, B 1, C 2);
tuple_lane_zero!(A 0, B 1, C 2, D 3);
tuple_lane_zero!(A 0, B 1, C 2, D 3, E 4);
tuple_lane_zero!(A 0, B 1, C 2, D 3, E 4, F 5);

/// A zero tangent of `W` lanes shaped like `value` (a slice gives a `Vec`);
/// the vector-mode counterpart of [`zero_like`](crate::zero_like).
#[must_use]
pub fn lanes_zero_like<const W: usize, T: LaneZero<W> + ?Sized>(value: &T) -> T::Out {
    value.lane_zero()
}

/// A float cast of a tangent (`x_dot as f64` in scalar mode).
///
/// ```
/// use adiff_runtime::{LaneCast, Lanes};
///
/// let t: Lanes<f64, 2> = LaneCast::<f64>::lane_cast(Lanes([1.5_f32, 2.0]));
/// assert_eq!(t.0, [1.5, 2.0]);
/// ```
pub trait LaneCast<T> {
    /// The cast tangent.
    type Out;
    /// Casts every lane.
    fn lane_cast(self) -> Self::Out;
}

macro_rules! lane_cast {
    ($($from:ty => $to:ty),*) => {$(
        impl<const W: usize> LaneCast<$to> for Lanes<$from, W> {
            type Out = Lanes<$to, W>;
            #[inline(always)]
            fn lane_cast(self) -> Lanes<$to, W> {
                Lanes(core::array::from_fn(|k| self.0[k] as $to))
            }
        }
    )*};
}

lane_cast!(f32 => f64, f64 => f32, f32 => f32, f64 => f64);

impl<S: LaneScalar, const W: usize> crate::Accumulate for Lanes<S, W> {
    fn accumulate(&mut self, other: &Self) {
        *self += *other;
    }
}

impl<S: LaneScalar, const W: usize> crate::ZeroLike for Lanes<S, W> {
    fn zero_like(&self) -> Self {
        Self::zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn arithmetic_is_lanewise() {
        let a = Lanes([1.0_f64, -2.0, 3.0]);
        let b = Lanes([0.5_f64, 0.25, -1.0]);
        assert_eq!((a + b).0, [1.5, -1.75, 2.0]);
        assert_eq!((a - b).0, [0.5, -2.25, 4.0]);
        assert_eq!((-a / 2.0).0, [-0.5, 1.0, -1.5]);
        let mut c = a;
        c += b;
        c -= a;
        c *= 4.0;
        assert_eq!(c.0, [2.0, 1.0, -4.0]);
        assert_eq!(Lanes::<f32, 3>::unit(1).0, [0.0, 1.0, 0.0]);
        assert_eq!(Lanes::<f32, 3>::unit(5).0, [0.0; 3]);
    }

    #[test]
    fn zero_tangents_follow_the_shape() {
        let z = lanes_zero_like::<2, _>(&(1.0_f32, 3_usize, vec![1.0_f64; 2]));
        assert_eq!(z, (Lanes::zero(), 0, vec![Lanes::<f64, 2>::zero(); 2]));
        let s: &[f64] = &[1.0, 2.0, 3.0];
        assert_eq!(lanes_zero_like::<1, _>(s).len(), 3);
    }
}

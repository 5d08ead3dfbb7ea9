//! Shared helpers for the behaviour tests of `#[jvp]` and `#[vjp]`.
//!
//! Reverse mode is checked with the dot-product test (see [`rev_dot!`]):
//! for inputs X and outputs Y of `f`, pseudo-random `u` (shaped like X) and
//! `w` (shaped like Y), ⟨w, J·u⟩ from `f_jvp` must equal ⟨Jᵀ·w, u⟩ from
//! `f_vjp`. [`rev_grad!`] returns the adjoints for `out_bar = 1`, to compare
//! a gradient with a closed form.
//!
//! Every test compares the tangent returned by a generated `*_jvp` function
//! against two independent references:
//!
//! * a closed-form derivative written by hand in the test, and
//! * a central finite difference of the primal function itself.
//!
//! The helpers are provided twice, once per float type, in the modules
//! [`f64h`] and [`f32h`]. Both expose the same names (`fd`, `check`, ...), so a
//! test file is written once, as a `macro_rules! suite` over the float type
//! `$F` and the helper module `$h` (`use crate::common::$h::*;`), and
//! instantiated as `mod double { suite!(f64, f64h); }` and
//! `mod single { suite!(f32, f32h); }`.
//!
//! Finite differences:
//! * f64: two-point central difference with step `1e-6`
//!   (truncation ~1e-12, round-off ~1e-10 relative).
//! * f32: four-point central difference with step `2e-2`
//!   (truncation ~1e-7, round-off ~1e-5 relative). A plain two-point stencil
//!   with step ~1e-3 would have round-off of order 1e-4 in f32, which would
//!   force a tolerance too loose to catch subtle mistakes.
//!
//! Inputs used with these helpers stay at least 0.1 (in units of the
//! direction, whose entries are at most 1 in size) away from kinks and
//! branch switches, so the finite differences never straddle one.
#![allow(dead_code, unused_imports, unused_macros)]

/// A tiny deterministic linear congruential generator (Knuth's MMIX constants).
#[derive(Clone, Debug)]
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        let mut g = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
        g.next_u64();
        g.next_u64();
        g
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.next_u64() as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform integer in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// `assert_same` (two Jacobians agree to `$rel`), `fd` (central
/// differences of a flat function, step `$fd_step`) and `assert_fd` (a
/// Jacobian against them, to `$fd_tol`) for the Jacobian tests over `$F`.
macro_rules! jacobian_checks {
    ($F:ident, $rel:expr, $fd_step:expr, $fd_tol:expr) => {
        fn assert_same(a: &adiff::Matrix<$F>, b: &adiff::Matrix<$F>) {
            assert_eq!((a.rows(), a.cols()), (b.rows(), b.cols()));
            for (x, y) in a.as_slice().iter().zip(b.as_slice()) {
                approx::assert_relative_eq!(x, y, max_relative = $rel, epsilon = $rel);
            }
        }

        /// Central differences of `f`, one column per entry of `x`.
        fn fd(x: &[$F], f: impl Fn(&[$F]) -> Vec<$F>) -> adiff::Matrix<$F> {
            let m = f(x).len();
            let mut j = adiff::Matrix::zeros(m, x.len());
            for c in 0..x.len() {
                let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
                xp[c] += $fd_step;
                xm[c] -= $fd_step;
                let (fp, fm) = (f(&xp), f(&xm));
                for r in 0..m {
                    j[(r, c)] = (fp[r] - fm[r]) / (2.0 * $fd_step);
                }
            }
            j
        }

        fn assert_fd(a: &adiff::Matrix<$F>, b: &adiff::Matrix<$F>) {
            assert_eq!((a.rows(), a.cols()), (b.rows(), b.cols()));
            for (x, y) in a.as_slice().iter().zip(b.as_slice()) {
                approx::assert_relative_eq!(x, y, max_relative = $fd_tol, epsilon = $fd_tol);
            }
        }
    };
}
pub(crate) use jacobian_checks;

macro_rules! real_helpers {
    ($R:ident, $fd_body:item, $ex_rel:expr, $ex_abs:expr, $fd_rel:expr, $fd_abs:expr) => {
        /// The float type of this helper module.
        pub type R = $R;

        /// Tolerances: closed form (relative, absolute), finite differences
        /// (relative, absolute). A comparison passes if either the relative or
        /// the absolute error is within its bound.
        pub const EXACT_REL: $R = $ex_rel;
        pub const EXACT_ABS: $R = $ex_abs;
        pub const FD_REL: $R = $fd_rel;
        pub const FD_ABS: $R = $fd_abs;

        /// Central finite difference of `f` at `t = 0` with step `h`.
        $fd_body

        /// Central finite difference of `f` at `t = 0` with the default step.
        pub fn fd(f: impl Fn($R) -> $R) -> $R {
            fd_h(f, H)
        }

        /// Central finite difference of a vector-valued `f` at `t = 0`.
        pub fn fd_vec(f: impl Fn($R) -> Vec<$R>) -> Vec<$R> {
            let n = f(0.0).len();
            (0..n).map(|i| fd(|t| f(t)[i])).collect()
        }

        fn close(a: $R, b: $R, rel: $R, abs: $R) -> bool {
            approx::relative_eq!(a, b, epsilon = abs, max_relative = rel)
        }

        /// Checks a tangent against a closed form and against finite differences.
        #[track_caller]
        pub fn check(got: $R, exact: $R, fd: $R) {
            assert!(
                close(exact, fd, FD_REL, FD_ABS),
                "test is inconsistent: closed form {exact:e} vs finite difference {fd:e}"
            );
            assert!(
                close(got, exact, EXACT_REL, EXACT_ABS),
                "tangent {got:e} != closed form {exact:e} (finite difference {fd:e})"
            );
            assert!(
                close(got, fd, FD_REL, FD_ABS),
                "tangent {got:e} != finite difference {fd:e} (closed form {exact:e})"
            );
        }

        /// Checks a tangent against a closed form only (for conventions at
        /// kinks, where finite differences are meaningless).
        #[track_caller]
        pub fn check_exact(got: $R, exact: $R) {
            assert!(
                close(got, exact, EXACT_REL, EXACT_ABS),
                "tangent {got:e} != closed form {exact:e}"
            );
        }

        /// Element-wise [`check_exact`].
        #[track_caller]
        pub fn check_exact_vec(got: &[$R], exact: &[$R]) {
            assert_eq!(got.len(), exact.len(), "length of gradient vs closed form");
            for i in 0..got.len() {
                assert!(
                    close(got[i], exact[i], EXACT_REL, EXACT_ABS),
                    "gradient[{i}] {:e} != closed form {:e}\n got   = {got:?}\n exact = {exact:?}",
                    got[i],
                    exact[i]
                );
            }
        }

        /// Dot-product test: `lhs` = ⟨w, J·u⟩ (from `_jvp`), `rhs` = ⟨Jᵀ·w, u⟩
        /// (from `_vjp`), both computed in f64 as (sum, sum of magnitudes of
        /// the terms). Passes if the two agree to a relative `DOT_REL`, or to
        /// `DOT_REL` times the magnitude sum (for sums that cancel to ~0), or
        /// to `DOT_ABS` (round-off of O(1) intermediates that cancel).
        #[track_caller]
        pub fn dot_check(name: &str, lhs: DotAcc, rhs: DotAcc) {
            let scale = lhs.mag.max(rhs.mag);
            assert!(
                approx::relative_eq!(lhs.sum, rhs.sum, epsilon = DOT_ABS.max(DOT_REL * scale), max_relative = DOT_REL),
                "{name}: dot-product test failed: <w, J u> = {:e} (jvp) vs <J^T w, u> = {:e} (vjp); \
                 rel. difference {:e}, magnitude {:e}",
                lhs.sum,
                rhs.sum,
                (lhs.sum - rhs.sum).abs() / lhs.sum.abs().max(rhs.sum.abs()),
                scale
            );
        }

        /// Element-wise [`check`].
        #[track_caller]
        pub fn check_vec(got: &[$R], exact: &[$R], fd: &[$R]) {
            assert_eq!(got.len(), exact.len(), "length of tangent vs closed form");
            assert_eq!(got.len(), fd.len(), "length of tangent vs finite difference");
            for i in 0..got.len() {
                assert!(
                    close(exact[i], fd[i], FD_REL, FD_ABS),
                    "test is inconsistent at [{i}]: closed form {:e} vs finite difference {:e}",
                    exact[i],
                    fd[i]
                );
                assert!(
                    close(got[i], exact[i], EXACT_REL, EXACT_ABS),
                    "tangent[{i}] {:e} != closed form {:e} (finite difference {:e})\n got   = {got:?}\n exact = {exact:?}",
                    got[i],
                    exact[i],
                    fd[i]
                );
                assert!(
                    close(got[i], fd[i], FD_REL, FD_ABS),
                    "tangent[{i}] {:e} != finite difference {:e} (closed form {:e})",
                    got[i],
                    fd[i],
                    exact[i]
                );
            }
        }

        /// Deterministic pseudo-random vector with entries in `[lo, hi)`.
        pub fn rand_vec(seed: u64, n: usize, lo: $R, hi: $R) -> Vec<$R> {
            let mut g = Lcg::new(seed);
            (0..n).map(|_| g.uniform(lo as f64, hi as f64) as $R).collect()
        }

        /// Deterministic vector whose entries have magnitude in `[0.2, 2)` and
        /// a pseudo-random sign (stays away from a kink or branch at 0).
        pub fn rand_signed(seed: u64, n: usize) -> Vec<$R> {
            let mut g = Lcg::new(seed);
            (0..n)
                .map(|_| {
                    let m = g.uniform(0.2, 2.0);
                    (if g.next_u64() % 2 == 0 { m } else { -m }) as $R
                })
                .collect()
        }

        /// Deterministic vector of distinct values, pairwise at least 0.25
        /// apart, in pseudo-random order (safe for sorting / argmax tests).
        pub fn spread_vec(seed: u64, n: usize) -> Vec<$R> {
            let mut g = Lcg::new(seed);
            let mut v: Vec<$R> = (0..n).map(|k| (k as f64 * 0.375 - 1.3) as $R).collect();
            for i in (1..n).rev() {
                let j = g.below(i + 1);
                v.swap(i, j);
            }
            v
        }

        /// Directions for a function of `n` inputs: all unit vectors when `n`
        /// is small, otherwise the first, middle and last unit vectors; plus
        /// two pseudo-random mixed directions with entries in `[-1, 1)`.
        pub fn dirs(n: usize, seed: u64) -> Vec<Vec<$R>> {
            let mut out = Vec::new();
            let picks: Vec<usize> = if n <= 6 {
                (0..n).collect()
            } else {
                vec![0, n / 2, n - 1]
            };
            for &k in &picks {
                let mut e = vec![0.0 as $R; n];
                e[k] = 1.0;
                out.push(e);
            }
            out.push(rand_vec(seed, n, -1.0, 1.0));
            out.push(rand_vec(seed.wrapping_add(7919), n, -1.0, 1.0));
            out
        }

        /// The gradient of a linear form given by a closed-form directional
        /// derivative `d(u)`: `[d(e_0), ..., d(e_{n-1})]`.
        pub fn grad_by_dirs(n: usize, d: impl Fn(&[$R]) -> $R) -> Vec<$R> {
            (0..n)
                .map(|i| {
                    let mut e = vec![0.0 as $R; n];
                    e[i] = 1.0;
                    d(&e)
                })
                .collect()
        }

        /// `x + t * u`, element-wise.
        pub fn axpy(x: &[$R], t: $R, u: &[$R]) -> Vec<$R> {
            x.iter().zip(u).map(|(a, b)| a + t * b).collect()
        }

        /// Like [`axpy`] for fixed-size arrays.
        pub fn axpy_arr<const N: usize>(x: &[$R; N], t: $R, u: &[$R; N]) -> [$R; N] {
            core::array::from_fn(|i| x[i] + t * u[i])
        }

        /// Like [`axpy`] for nested fixed-size arrays.
        pub fn axpy_mat<const N: usize, const M: usize>(
            x: &[[$R; M]; N],
            t: $R,
            u: &[[$R; M]; N],
        ) -> [[$R; M]; N] {
            core::array::from_fn(|i| core::array::from_fn(|j| x[i][j] + t * u[i][j]))
        }

        /// Converts a slice to a fixed-size array.
        pub fn arr<const N: usize>(v: &[$R]) -> [$R; N] {
            v.try_into().expect("length mismatch")
        }

        /// Converts a slice of length `N * M` (row-major) to a nested array.
        pub fn mat<const N: usize, const M: usize>(v: &[$R]) -> [[$R; M]; N] {
            assert_eq!(v.len(), N * M);
            core::array::from_fn(|i| core::array::from_fn(|j| v[i * M + j]))
        }

        /// Flattens a nested array (row-major).
        pub fn flat<const N: usize, const M: usize>(m: &[[$R; M]; N]) -> Vec<$R> {
            m.iter().flat_map(|r| r.iter().copied()).collect()
        }

        pub fn dot(a: &[$R], b: &[$R]) -> $R {
            a.iter().zip(b).map(|(x, y)| x * y).sum()
        }
    };
}

/// Helpers for `f64` tests.
pub mod f64h {
    use super::Lcg;

    /// Default finite-difference step.
    pub const H: f64 = 1e-6;

    real_helpers!(
        f64,
        pub fn fd_h(f: impl Fn(f64) -> f64, h: f64) -> f64 {
            (f(h) - f(-h)) / (2.0 * h)
        },
        1e-11,
        1e-12,
        1e-6,
        1e-7
    );

    /// Relative tolerance of the dot-product test.
    pub const DOT_REL: f64 = 1e-10;
    pub const DOT_ABS: f64 = 1e-14;
    pub(crate) use super::{rev_dot, rev_grad};
    pub use super::{DotAcc, Shape, Slot};
}

/// Helpers for `f32` tests.
pub mod f32h {
    use super::Lcg;

    /// Default finite-difference step.
    pub const H: f32 = 2e-2;

    real_helpers!(
        f32,
        pub fn fd_h(f: impl Fn(f32) -> f32, h: f32) -> f32 {
            (f(-2.0 * h) - 8.0 * f(-h) + 8.0 * f(h) - f(2.0 * h)) / (12.0 * h)
        },
        1e-4,
        5e-5,
        2e-3,
        1e-3
    );

    /// Relative tolerance of the dot-product test.
    pub const DOT_REL: f64 = 1e-4;
    pub const DOT_ABS: f64 = 1e-6;
    pub(crate) use super::{rev_dot, rev_grad};
    pub use super::{DotAcc, Shape, Slot};
}

// ---------------------------------------------------------------------------
// Reverse mode: the dot-product test.
// ---------------------------------------------------------------------------

/// A differentiable value (or an output) that can be flattened to f64s and
/// refilled element by element: scalars, arrays, `Vec`s and tuples of them.
pub trait Shape: Clone + PartialEq + core::fmt::Debug {
    fn flat_into(&self, out: &mut Vec<f64>);
    fn fill_from(&mut self, src: &mut dyn FnMut() -> f64);

    fn flat(&self) -> Vec<f64> {
        let mut v = Vec::new();
        self.flat_into(&mut v);
        v
    }
    /// A value of the same shape with entries uniform in `[-1, 1)`, seeded by
    /// `seed` and `tag` (the parameter name).
    fn rand_like(&self, seed: u64, tag: &str) -> Self {
        let mut h = seed ^ 0xA076_1D64_78BD_642F;
        for b in tag.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01B3);
        }
        let mut g = Lcg::new(h);
        let mut r = self.clone();
        r.fill_from(&mut || g.uniform(-1.0, 1.0));
        r
    }
    fn zero_like(&self) -> Self {
        let mut r = self.clone();
        r.fill_from(&mut || 0.0);
        r
    }
}

impl Shape for f64 {
    fn flat_into(&self, out: &mut Vec<f64>) {
        out.push(*self)
    }
    fn fill_from(&mut self, src: &mut dyn FnMut() -> f64) {
        *self = src()
    }
}

impl Shape for f32 {
    fn flat_into(&self, out: &mut Vec<f64>) {
        out.push(*self as f64)
    }
    fn fill_from(&mut self, src: &mut dyn FnMut() -> f64) {
        *self = src() as f32
    }
}

impl Shape for () {
    fn flat_into(&self, _: &mut Vec<f64>) {}
    fn fill_from(&mut self, _: &mut dyn FnMut() -> f64) {}
}

impl<T: Shape, const N: usize> Shape for [T; N] {
    fn flat_into(&self, out: &mut Vec<f64>) {
        self.iter().for_each(|x| x.flat_into(out))
    }
    fn fill_from(&mut self, src: &mut dyn FnMut() -> f64) {
        self.iter_mut().for_each(|x| x.fill_from(src))
    }
}

impl<T: Shape> Shape for Vec<T> {
    fn flat_into(&self, out: &mut Vec<f64>) {
        self.iter().for_each(|x| x.flat_into(out))
    }
    fn fill_from(&mut self, src: &mut dyn FnMut() -> f64) {
        self.iter_mut().for_each(|x| x.fill_from(src))
    }
}

macro_rules! shape_tuple {
    ($($T:ident $i:tt),*) => {
        impl<$($T: Shape),*> Shape for ($($T,)*) {
            fn flat_into(&self, out: &mut Vec<f64>) {
                $(self.$i.flat_into(out);)*
            }
            fn fill_from(&mut self, src: &mut dyn FnMut() -> f64) {
                $(self.$i.fill_from(src);)*
            }
        }
    };
}
shape_tuple!(A 0, B 1);
shape_tuple!(A 0, B 1, C 2);
shape_tuple!(A 0, B 1, C 2, D 3);

/// A dot product accumulated in f64: the sum and the sum of the magnitudes
/// of its terms (the scale for an absolute tolerance).
#[derive(Clone, Copy, Debug, Default)]
pub struct DotAcc {
    pub sum: f64,
    pub mag: f64,
}

impl DotAcc {
    pub fn add<T: Shape>(&mut self, a: &T, b: &T) {
        let (a, b) = (a.flat(), b.flat());
        assert_eq!(a.len(), b.len(), "shape mismatch in dot product");
        for (x, y) in a.iter().zip(&b) {
            self.sum += x * y;
            self.mag += (x * y).abs();
        }
    }
}

/// One differentiable parameter of a dot-product test.
///
/// * `p`: the input value; `u`: its tangent (pseudo-random);
/// * `b`: its adjoint: zero for inputs, and for `&mut` parameters the
///   (pseudo-random) cotangent `w` of the final contents before `_vjp` runs;
/// * `pp`, `j`, `ju`, `pv`: the fresh copies handed to `f`, to `f_jvp` (value
///   and tangent) and to `f_vjp` for a `&mut` parameter.
#[derive(Clone, Debug)]
pub struct Slot<T: Shape> {
    pub p: T,
    pub u: T,
    pub b: T,
    pub pp: T,
    pub j: T,
    pub ju: T,
    pub pv: T,
}

impl<T: Shape> Slot<T> {
    pub fn new(p: T, seed: u64, tag: &str, is_mut: bool) -> Self {
        let u = p.rand_like(seed, tag);
        let b = if is_mut {
            p.rand_like(seed.wrapping_add(0x5151), tag)
        } else {
            p.zero_like()
        };
        Slot {
            pp: p.clone(),
            j: p.clone(),
            ju: u.clone(),
            pv: p.clone(),
            p,
            u,
            b,
        }
    }
}

impl<T: Shape> core::ops::Deref for Slot<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.p
    }
}

/// Dot-product test between `f_jvp` and `f_vjp` at one input point.
///
/// ```ignore
/// rev_dot!(f, f_jvp, f_vjp, seed; val x, rf v, mt buf, c n);
/// rev_dot!(unit g, g_jvp, g_vjp, seed; mt y, val a);   // `g` returns ()
/// ```
///
/// Parameters, in the order of `f`'s signature:
/// * `val x`: differentiable by value (`f64`, `[f64; N]`); `x` is a local;
/// * `rf x`: differentiable by shared reference (`&[f64]`, `&[f64; N]`,
///   `&Vec<f64>`); `x` is an owned local (`Vec` or array);
/// * `mt x`: differentiable `&mut` (`&mut f64`, `&mut [f64]`, ...); `x` holds
///   the initial contents; its final contents are outputs;
/// * `c expr`: a constant argument, evaluated anew for each of the three
///   calls (so `c &mut 0usize` is fine). Inside `expr` the differentiable
///   locals are `Slot`s, which deref to their value.
///
/// Checks that `f_jvp` and `f_vjp` return the primal value of `f` exactly,
/// that `f_jvp` leaves `&mut` parameters with the same contents as `f`, and
/// the dot-product identity (tolerance `DOT_REL` of the helper module).
macro_rules! rev_dot {
    (unit $f:ident, $fj:ident, $fv:ident, $seed:expr; $($rest:tt)*) => {
        $crate::common::rev_dot!(@m [unit] [$f $fj $fv ($seed)] [] [] [] [] [] $($rest)*)
    };
    ($f:ident, $fj:ident, $fv:ident, $seed:expr; $($rest:tt)*) => {
        $crate::common::rev_dot!(@m [out] [$f $fj $fv ($seed)] [] [] [] [] [] $($rest)*)
    };
    (@m $o:tt $h:tt [$($pa:tt)*] [$($ja:tt)*] [$($va:tt)*] [$($s:ident)*] [$($ms:ident)*]
        val $x:ident $(, $($rest:tt)*)?) => {
        $crate::common::rev_dot!(@m $o $h
            [$($pa)* $x.p.clone(),] [$($ja)* $x.p.clone(), $x.u.clone(),] [$($va)* $x.p.clone(), &mut $x.b,]
            [$($s)* $x] [$($ms)*] $($($rest)*)?)
    };
    (@m $o:tt $h:tt [$($pa:tt)*] [$($ja:tt)*] [$($va:tt)*] [$($s:ident)*] [$($ms:ident)*]
        rf $x:ident $(, $($rest:tt)*)?) => {
        $crate::common::rev_dot!(@m $o $h
            [$($pa)* &$x.p,] [$($ja)* &$x.p, &$x.u,] [$($va)* &$x.p, &mut $x.b,]
            [$($s)* $x] [$($ms)*] $($($rest)*)?)
    };
    (@m $o:tt $h:tt [$($pa:tt)*] [$($ja:tt)*] [$($va:tt)*] [$($s:ident)*] [$($ms:ident)*]
        mt $x:ident $(, $($rest:tt)*)?) => {
        $crate::common::rev_dot!(@m $o $h
            [$($pa)* &mut $x.pp,] [$($ja)* &mut $x.j, &mut $x.ju,] [$($va)* &mut $x.pv, &mut $x.b,]
            [$($s)*] [$($ms)* $x] $($($rest)*)?)
    };
    (@m $o:tt $h:tt [$($pa:tt)*] [$($ja:tt)*] [$($va:tt)*] [$($s:ident)*] [$($ms:ident)*]
        c $e:expr $(, $($rest:tt)*)?) => {
        $crate::common::rev_dot!(@m $o $h
            [$($pa)* $e,] [$($ja)* $e,] [$($va)* $e,]
            [$($s)*] [$($ms)*] $($($rest)*)?)
    };
    (@m [$o:ident] [$f:ident $fj:ident $fv:ident ($seed:expr)] [$($pa:tt)*] [$($ja:tt)*] [$($va:tt)*]
        [$($s:ident)*] [$($ms:ident)*]) => {{
        let __seed: u64 = $seed;
        $( let mut $s = Slot::new($s.clone(), __seed, stringify!($s), false); )*
        $( let mut $ms = Slot::new($ms.clone(), __seed, stringify!($ms), true); )*
        let mut __desc = String::new();
        $( __desc += &format!(" {}={:?}", stringify!($s), $s.p); )*
        $( __desc += &format!(" {}={:?}", stringify!($ms), $ms.p); )*
        let __name = format!("{} at{}", stringify!($f), __desc);
        let __y = $f($($pa)*);
        let mut __lhs = DotAcc::default();
        $crate::common::rev_dot!(@call $o __y __lhs __name __seed $fj $fv [$($ja)*] [$($va)*] [$($ms)*]);
        $( assert_eq!($ms.j, $ms.pp, "{}: `{}` after _jvp differs from after f", __name, stringify!($ms)); )*
        let mut __rhs = DotAcc::default();
        $( __rhs.add(&$s.b, &$s.u); )*
        $( __rhs.add(&$ms.b, &$ms.u); )*
        dot_check(&__name, __lhs, __rhs);
    }};
    (@call out $y:ident $lhs:ident $name:ident $seed:ident $fj:ident $fv:ident [$($ja:tt)*] [$($va:tt)*] [$($ms:ident)*]) => {
        let (__v, __t) = $fj($($ja)*);
        assert_eq!(__v, $y, "{}: primal value of _jvp", $name);
        let __w = Shape::rand_like(&__t, $seed, "(output)");
        $lhs.add(&__w, &__t);
        $( $lhs.add(&$ms.b, &$ms.ju); )*
        let __p = $fv($($va)* __w);
        assert_eq!(__p, $y, "{}: primal value of _vjp", $name);
    };
    (@call unit $y:ident $lhs:ident $name:ident $seed:ident $fj:ident $fv:ident [$($ja:tt)*] [$($va:tt)*] [$($ms:ident)*]) => {
        let () = $y;
        let () = $fj($($ja)*);
        $( $lhs.add(&$ms.b, &$ms.ju); )*
        let () = $fv($($va)*);
    };
}
pub(crate) use rev_dot;

/// The adjoints of the differentiable parameters after `f_vjp(..., 1.0)`
/// (all adjoints zeroed first): the gradient of a scalar `f`. Returns the
/// single adjoint for one differentiable parameter, otherwise a tuple.
///
/// ```ignore
/// let (gx, gv) = rev_grad!(f_vjp; val x, rf v, c n);
/// ```
/// Same parameter kinds as [`rev_dot!`], except `mt`.
macro_rules! rev_grad {
    ($fv:ident; $($rest:tt)*) => {
        $crate::common::rev_grad!(@m $fv [] [] $($rest)*)
    };
    (@m $fv:ident [$($va:tt)*] [$($s:ident)*] val $x:ident $(, $($rest:tt)*)?) => {
        $crate::common::rev_grad!(@m $fv [$($va)* $x.p.clone(), &mut $x.b,] [$($s)* $x] $($($rest)*)?)
    };
    (@m $fv:ident [$($va:tt)*] [$($s:ident)*] rf $x:ident $(, $($rest:tt)*)?) => {
        $crate::common::rev_grad!(@m $fv [$($va)* &$x.p, &mut $x.b,] [$($s)* $x] $($($rest)*)?)
    };
    (@m $fv:ident [$($va:tt)*] [$($s:ident)*] c $e:expr $(, $($rest:tt)*)?) => {
        $crate::common::rev_grad!(@m $fv [$($va)* $e,] [$($s)*] $($($rest)*)?)
    };
    (@m $fv:ident [$($va:tt)*] [$s0:ident]) => {{
        let mut $s0 = Slot::new($s0.clone(), 0, "", false);
        $fv($($va)* 1.0);
        $s0.b
    }};
    (@m $fv:ident [$($va:tt)*] [$($s:ident)*]) => {{
        $( let mut $s = Slot::new($s.clone(), 0, "", false); )*
        $fv($($va)* 1.0);
        ($($s.b),*)
    }};
}
pub(crate) use rev_grad;

/// The three checks of a function `f(x: &[F]) -> F` against its closed-form
/// gradient `g`: `f_jvp` against `g` and central differences along `dirs`
/// random directions (seed), `f_vjp` by the dot-product test (three
/// seeds), and `f_grad` against `g`. The caller has `dirs`, `check`, `fd`,
/// `dot`, `axpy` and `check_exact_vec` of a helper module in scope.
///
/// ```ignore
/// check_slice!(f64, 3, f, f_jvp, f_vjp, f_grad, vec![1.0, 2.0], |x: &[f64]| vec![2.0 * x[0], 2.0 * x[1]]);
/// ```
macro_rules! check_slice {
    ($F:ty, $dirs:expr, $f:ident, $fj:ident, $fv:ident, $fg:ident, $x:expr, $g:expr) => {{
        let x: Vec<$F> = $x;
        let n = x.len();
        let exact: Vec<$F> = $g(&x);
        for u in dirs(n, $dirs) {
            let (val, t) = $fj(&x, &u);
            assert_eq!(val, $f(&x));
            check(t, dot(&exact, &u), fd(|s| $f(&axpy(&x, s, &u))));
        }
        for seed in 0..3 {
            $crate::common::rev_dot!($f, $fj, $fv, seed; rf x);
        }
        let (v, g) = $fg(&x);
        assert_eq!(v, $f(&x));
        check_exact_vec(&g, &exact);
    }};
}
#[allow(unused_imports)]
pub(crate) use check_slice;

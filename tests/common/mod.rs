//! Shared helpers for the behaviour tests of `#[jvp]`.
//!
//! Every test compares the tangent returned by a generated `*_jvp` function
//! against two independent references:
//!
//! * a closed-form derivative written by hand in the test, and
//! * a central finite difference of the primal function itself.
//!
//! The helpers are provided twice, once per float type, in the modules
//! [`f64h`] and [`f32h`]. Both expose the same names (`fd`, `check`, ...), so a
//! test module only has to pick one of them with a glob import.
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
}

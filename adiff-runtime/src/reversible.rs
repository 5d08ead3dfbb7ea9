//! SGD with momentum that runs backwards exactly (Maclaurin, Duvenaud and
//! Adams, "Gradient-based hyperparameter optimization through reversible
//! learning", 2015), so the reverse sweep of a training run needs no tape
//! of the weights.
//!
//! The update is `v ← γ·v − (1 − γ)·g(w)`, `w ← w + α·v`. In floating
//! point it cannot be undone exactly: `γ·v` rounds, and dividing by `γ`
//! does not give the old `v` back. [`ExactSgdm`] keeps `w` and `v` in
//! fixed point (integers of 2⁻⁵⁰ units, so magnitudes below 2¹³) and
//! multiplies by `γ = n / d` (`d` = 2¹²) exactly reversibly: the remainder
//! of the division by `d` goes into an information buffer, from which the
//! multiplication by `n` takes back what it can (`B ← B·d + (x mod d)`,
//! `x ← (x div d)·n + (B mod n)`, `B ← B div n`; the paper's Algorithm 3).
//! The product is off from `x·n/d` by less than `n` units, 2⁻³⁸. The
//! buffer grows by `log₂(1/γ)` bits per weight and step, the information
//! the multiplication destroys, instead of the 128 bits per weight and
//! step of a tape of `w` and `v`.
//!
//! ```
//! use adiff_runtime::reversible::ExactSgdm;
//!
//! let grad = |w: &[f64]| -> Vec<f64> { w.iter().map(|x| 2.0 * x - 1.0).collect() };
//! let mut opt = ExactSgdm::new(&[0.3, -0.7], &[0.0, 0.0], 0.1, 0.9);
//! let start = opt.clone();
//! for _ in 0..100 {
//!     let g = grad(&opt.weights());
//!     opt.step(&g);
//! }
//! for _ in 0..100 {
//!     opt.unstep_weights();
//!     let g = grad(&opt.weights()); // the gradient the step used
//!     opt.unstep_velocity(&g);
//! }
//! assert!(opt.same_state(&start)); // bit for bit
//! ```

use alloc::vec::Vec;

use num_bigint::BigUint;

/// Fraction bits of the fixed-point weights and velocities.
const FRAC_BITS: i32 = 50;
/// The largest magnitude a weight, velocity or step may have.
const LIMIT: f64 = 8192.0;
/// The denominator of the momentum's fraction `n / d`.
const GAMMA_DEN: u64 = 1 << 12;

fn to_fixed(x: f64) -> i64 {
    assert!(
        x.abs() < LIMIT,
        "ExactSgdm holds magnitudes below {LIMIT} in fixed point; got {x}"
    );
    (x * f64::from(2.0f32).powi(FRAC_BITS)).round() as i64
}

fn from_fixed(x: i64) -> f64 {
    x as f64 * f64::from(2.0f32).powi(-FRAC_BITS)
}

/// Multiplies `x` by `n / d`, keeping what the rounding loses in `b`.
fn mul_ratio(x: &mut i64, b: &mut BigUint, n: u64, d: u64) {
    let r = x.rem_euclid(d as i64) as u64;
    *b = &*b * d + r;
    let q = x.div_euclid(d as i64);
    let s = (&*b % n).iter_u64_digits().next().unwrap_or(0);
    *b = &*b / n;
    *x = q * n as i64 + s as i64;
}

/// The exact inverse of [`mul_ratio`].
fn div_ratio(x: &mut i64, b: &mut BigUint, n: u64, d: u64) {
    let s = x.rem_euclid(n as i64) as u64;
    let q = x.div_euclid(n as i64);
    *b = &*b * n + s;
    let r = (&*b % d).iter_u64_digits().next().unwrap_or(0);
    *b = &*b / d;
    *x = q * d as i64 + r as i64;
}

/// Weights and velocities of SGD with momentum, in fixed point, with the
/// information buffer that makes the steps exactly reversible.
#[derive(Clone, Debug)]
pub struct ExactSgdm {
    w: Vec<i64>,
    v: Vec<i64>,
    info: Vec<BigUint>,
    alpha: f64,
    gamma_num: u64,
}

impl ExactSgdm {
    /// Starts from weights `w0` and velocities `v0` (rounded to fixed
    /// point), with learning rate `alpha` and momentum `gamma` (rounded to
    /// a multiple of 2⁻¹² in (0, 1]; see [`gamma`](Self::gamma)).
    ///
    /// # Panics
    ///
    /// If `w0` and `v0` differ in length, or a value reaches 8192 in
    /// magnitude (here or in a step), which fixed point cannot hold.
    #[must_use]
    pub fn new(w0: &[f64], v0: &[f64], alpha: f64, gamma: f64) -> Self {
        assert_eq!(
            w0.len(),
            v0.len(),
            "weights and velocities differ in length"
        );
        let n = ((gamma * GAMMA_DEN as f64).round() as u64).clamp(1, GAMMA_DEN);
        ExactSgdm {
            w: w0.iter().map(|&x| to_fixed(x)).collect(),
            v: v0.iter().map(|&x| to_fixed(x)).collect(),
            info: w0.iter().map(|_| BigUint::default()).collect(),
            alpha,
            gamma_num: n,
        }
    }

    /// The momentum the steps use: `gamma` rounded to a multiple of 2⁻¹².
    #[must_use]
    pub fn gamma(&self) -> f64 {
        self.gamma_num as f64 / GAMMA_DEN as f64
    }

    /// The current weights.
    #[must_use]
    pub fn weights(&self) -> Vec<f64> {
        self.w.iter().map(|&x| from_fixed(x)).collect()
    }

    /// The current velocities.
    #[must_use]
    pub fn velocities(&self) -> Vec<f64> {
        self.v.iter().map(|&x| from_fixed(x)).collect()
    }

    /// One step with the gradient `g` at the current weights:
    /// `v ← γ·v − (1 − γ)·g`, `w ← w + α·v`.
    pub fn step(&mut self, g: &[f64]) {
        let (n, one_minus) = (self.gamma_num, 1.0 - self.gamma());
        for (((w, v), b), &g) in self
            .w
            .iter_mut()
            .zip(&mut self.v)
            .zip(&mut self.info)
            .zip(g)
        {
            mul_ratio(v, b, n, GAMMA_DEN);
            *v -= to_fixed(one_minus * g);
            *w += to_fixed(self.alpha * from_fixed(*v));
        }
    }

    /// Undoes the weight half of the last step: `w ← w − α·v`. The weights
    /// are then those the step's gradient was taken at.
    pub fn unstep_weights(&mut self) {
        for (w, v) in self.w.iter_mut().zip(&self.v) {
            *w -= to_fixed(self.alpha * from_fixed(*v));
        }
    }

    /// Undoes the velocity half of the last step, given its gradient `g`:
    /// `v ← (v + (1 − γ)·g) / γ`, exactly.
    pub fn unstep_velocity(&mut self, g: &[f64]) {
        let (n, one_minus) = (self.gamma_num, 1.0 - self.gamma());
        for ((v, b), &g) in self.v.iter_mut().zip(&mut self.info).zip(g) {
            *v += to_fixed(one_minus * g);
            div_ratio(v, b, n, GAMMA_DEN);
        }
    }

    /// Whether the fixed-point weights, velocities and information buffer
    /// are those of `other`, bit for bit.
    #[must_use]
    pub fn same_state(&self, other: &ExactSgdm) -> bool {
        self.w == other.w && self.v == other.v && self.info == other.info
    }

    /// The bytes the information buffer holds: what the reversal stores.
    #[must_use]
    pub fn info_bytes(&self) -> usize {
        self.info
            .iter()
            .map(|b| b.bits().div_ceil(8) as usize)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplying_by_a_ratio_is_undone_exactly() {
        for x0 in [
            0i64,
            1,
            -1,
            4095,
            -4096,
            1 << 60,
            -(1 << 60) + 7,
            123_456_789,
        ] {
            for n in [1u64, 3, 3686, 4095, 4096] {
                let (mut x, mut b) = (x0, BigUint::from(12345u32));
                for _ in 0..50 {
                    mul_ratio(&mut x, &mut b, n, GAMMA_DEN);
                }
                for _ in 0..50 {
                    div_ratio(&mut x, &mut b, n, GAMMA_DEN);
                }
                assert_eq!((x, b), (x0, BigUint::from(12345u32)), "x0 = {x0}, n = {n}");
            }
        }
    }

    #[test]
    fn a_thousand_steps_reverse_to_the_initial_state() {
        // A nonconvex gradient, evaluated in floating point from the weights.
        let grad = |w: &[f64]| -> Vec<f64> {
            w.iter()
                .enumerate()
                .map(|(i, x)| (3.0 * x).sin() + 0.1 * (i as f64) * x * x)
                .collect()
        };
        let mut opt = ExactSgdm::new(&[0.5, -1.25, 2.0, 0.1], &[0.01, 0.0, -0.3, 0.2], 0.05, 0.9);
        let start = opt.clone();
        for _ in 0..1000 {
            let g = grad(&opt.weights());
            opt.step(&g);
        }
        assert!(!opt.same_state(&start));
        // About log2(1/0.9) = 0.15 bits per weight and step.
        assert!(
            opt.info_bytes() < 4 * 1000 / 8 / 4,
            "{} bytes",
            opt.info_bytes()
        );
        for _ in 0..1000 {
            opt.unstep_weights();
            let g = grad(&opt.weights());
            opt.unstep_velocity(&g);
        }
        assert!(opt.same_state(&start));
        assert_eq!(opt.weights(), start.weights());
        assert_eq!(opt.velocities(), start.velocities());
    }
}

//! The memory benchmark of checkpointed loops: a damped, driven pendulum
//! integrated with RK4 for `steps` steps, and the gradient of its running
//! cost ∫ θ² dt with respect to the stiffness `k` and the damping `c`.
//!
//! The same function is compiled three ways: with a plain tape (every
//! step's values recorded), with periodic (√T) checkpointing, and with
//! binomial checkpointing whose snapshot count is a run-time argument.
//! `src/bin/checkpoint.rs` measures their peak heap memory and time.

use adiff::vjp;

/// Time step.
pub const DT: f64 = 1e-3;

/// Expands to one pendulum function, with the attribute given on its loop.
macro_rules! pendulum {
    ($(#[$doc:meta])* $name:ident ($($extra:ident: $ty:ty),*) $(, #[$ck:meta])?) => {
        $(#[$doc])*
        #[vjp]
        #[must_use]
        pub fn $name(k: f64, c: f64, steps: usize $(, $extra: $ty)*) -> f64 {
            let mut th: f64 = 1.0;
            let mut om: f64 = 0.0;
            let mut cost = 0.0;
            $(#[$ck])?
            for i in 0..steps {
                let drive = 0.5 * (0.7 * (i as f64) * DT).cos();
                let a1 = drive - k * th.sin() - c * om;
                let th2 = th + 0.5 * DT * om;
                let om2 = om + 0.5 * DT * a1;
                let a2 = drive - k * th2.sin() - c * om2;
                let th3 = th + 0.5 * DT * om2;
                let om3 = om + 0.5 * DT * a2;
                let a3 = drive - k * th3.sin() - c * om3;
                let th4 = th + DT * om3;
                let om4 = om + DT * a3;
                let a4 = drive - k * th4.sin() - c * om4;
                th += DT / 6.0 * (om + 2.0 * om2 + 2.0 * om3 + om4);
                om += DT / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4);
                cost += th * th * DT;
            }
            cost
        }
    };
}

pendulum!(
    /// The running cost, reversed with a tape of every step.
    ///
    /// ```
    /// let (mut k_bar, mut c_bar) = (0.0, 0.0);
    /// let y = adiff_bench::checkpoint::pendulum_vjp(2.0, &mut k_bar, 0.1, &mut c_bar, 100, 1.0);
    /// assert!(y > 0.0 && k_bar.is_finite());
    /// ```
    pendulum()
);

pendulum!(
    /// The running cost, reversed with a snapshot every ⌈√steps⌉ steps.
    pendulum_periodic(),
    #[checkpoint(periodic)]
);

pendulum!(
    /// The running cost, reversed by binomial checkpointing with
    /// `snapshots` stored states.
    pendulum_binomial(snapshots: usize),
    #[checkpoint(snapshots = snapshots)]
);

//! The checkpointing table's recomputation counts are the schedule's:
//! generated code runs exactly the iterations `Schedule` says, again
//! (advanced) and recorded (turned), counted by the runtime's `stats`
//! feature. One `#[test]` in this file, so no other test thread runs a
//! checkpointed loop while it counts.
#![allow(dead_code, clippy::assign_op_pattern)]

use adiff::__rt::{checkpoint_steps, Schedule};
use adiff::grad;

#[grad]
fn decay(x0: f64, k: f64, n: usize, s: usize) -> f64 {
    let mut x = x0;
    #[checkpoint(snapshots = s)]
    for _ in 0..n {
        x = x * (1.0 - k * 0.01) + 0.001 * x.sin();
    }
    x
}

#[grad]
fn decay_periodic(x0: f64, k: f64, n: usize) -> f64 {
    let mut x = x0;
    #[checkpoint(periodic)]
    for _ in 0..n {
        x = x * (1.0 - k * 0.01) + 0.001 * x.sin();
    }
    x
}

#[test]
fn generated_code_runs_what_the_schedule_counts() {
    for (n, s) in [(1, 1), (10, 1), (100, 3), (1000, 5), (5000, 20)] {
        let (a0, t0) = checkpoint_steps();
        let _ = decay_grad(1.1, 0.3, n, s);
        let (a1, t1) = checkpoint_steps();
        assert_eq!(t1 - t0, n, "every iteration turned once (n = {n}, S = {s})");
        assert_eq!(a1 - a0, Schedule::binomial(n, s).run().advanced);
        assert_eq!(
            a1 - a0,
            Schedule::predicted_advances(n, s),
            "n = {n}, S = {s}"
        );
    }
    for n in [0, 1, 17, 400] {
        let (a0, t0) = checkpoint_steps();
        let _ = decay_periodic_grad(1.1, 0.3, n);
        let (a1, t1) = checkpoint_steps();
        assert_eq!(t1 - t0, n);
        assert_eq!(a1 - a0, Schedule::periodic(n).run().advanced);
    }
}

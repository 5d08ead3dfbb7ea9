//! Benchmarks of adiff's generated derivatives against hand-written code
//! and against the crates a user would otherwise pick.
//!
//! Each benchmark module writes its objective the way a careful Rust
//! programmer would and exposes its instances as [`Case`]s; the `report`
//! binary times every [`Run`] of every case and prints the table.
//!
//! The peer crates (num-dual, ad_trait, reverse), their runs and the checks
//! against them are built only with the `peers` feature ([`PEERS`]);
//! everything else, including every check of adiff's own derivatives,
//! is built without it.

pub mod adbench;
pub mod checkpoint;
pub mod compare;
pub mod gmm;
pub mod harness;
pub mod hessian;
pub mod jacobian;
pub mod lstm;
pub mod mlp;
pub mod mlp_na;
pub mod report;
pub mod rk4;
pub mod rosenbrock;

/// Whether this build has the `peers` feature, i.e. whether the cases
/// include the runs and checks of num-dual, ad_trait and reverse.
pub const PEERS: bool = cfg!(feature = "peers");

/// One benchmark instance: the objective and the derivative codes timed
/// against it, all prepared (data loaded, buffers allocated) up front.
pub struct Case {
    /// Benchmark name as it appears in `ratio <benchmark> ...` lines, for
    /// example `gmm_d10K5` or `rosenbrock_n1000`.
    pub benchmark: String,
    /// Where the data came from or other context, for example
    /// `ADBench file` or `synthetic (seed 1)`.
    pub detail: String,
    /// What is timed. The first run is the objective `f`; every other run
    /// is compared with it, and a run not labelled `adiff ...` also with
    /// the nearest `adiff ...` run above it (see [`report`]).
    pub runs: Vec<Run>,
    /// Correctness checks already performed while preparing the case, one
    /// line each, for example `gradient vs ADBench reference: max err 3e-15`.
    pub checks: Vec<String>,
}

/// One timed call: a closure that does the whole work once (and returns
/// a value so the optimiser cannot drop it).
pub struct Run {
    /// Short label, for example `f`, `adiff f_grad`, `hand`,
    /// `num-dual`, `ad_trait`, `reverse`.
    pub label: String,
    /// The work; any output buffers live inside the closure.
    pub call: Box<dyn FnMut() -> f64>,
}

impl Run {
    /// Wraps a closure as a labelled run.
    ///
    /// ```
    /// let mut r = adiff_bench::Run::new("f", || 1.0);
    /// assert_eq!((r.call)(), 1.0);
    /// ```
    pub fn new(label: impl Into<String>, call: impl FnMut() -> f64 + 'static) -> Self {
        Run {
            label: label.into(),
            call: Box::new(call),
        }
    }
}

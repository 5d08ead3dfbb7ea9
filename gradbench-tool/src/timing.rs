//! The repetition rule of `shared/gradbench/README.md` §1.3: run at least
//! `min_runs` times and until the measured time reaches `min_seconds`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::protocol::Timing;

/// How often to repeat an evaluation, read from the input object.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Runs {
    /// At least this many runs (and always at least one).
    #[serde(default = "one")]
    pub min_runs: u64,
    /// Keep running until the runs add up to this many seconds. Arrives as
    /// an integer or a float.
    #[serde(default)]
    pub min_seconds: f64,
}

fn one() -> u64 {
    1
}

impl Default for Runs {
    fn default() -> Runs {
        Runs {
            min_runs: 1,
            min_seconds: 0.0,
        }
    }
}

impl Runs {
    /// The `min_runs`/`min_seconds` fields of an evaluate input. Inputs that
    /// are not objects (hello's bare numbers) get the defaults: one run.
    pub fn of_input(input: &RawValue) -> Result<Runs, String> {
        if input.get().trim_start().starts_with('{') {
            serde_json::from_str(input.get()).map_err(|e| format!("bad min_runs/min_seconds: {e}"))
        } else {
            Ok(Runs::default())
        }
    }
}

/// Runs `compute` as often as `runs` asks, timing each run on its own, and
/// returns the last run's result with one `"evaluate"` timing per run.
/// Each result goes through `black_box` so that no run can be optimised
/// away; results of earlier runs are dropped outside the timed region.
pub fn repeat<R>(runs: Runs, mut compute: impl FnMut() -> R) -> (R, Vec<Timing>) {
    let min_runs = runs.min_runs.max(1);
    let min_total = Duration::try_from_secs_f64(runs.min_seconds.max(0.0)).unwrap_or(Duration::MAX);
    let mut timings = Vec::new();
    let mut total = Duration::ZERO;
    loop {
        let start = Instant::now();
        let result = black_box(compute());
        let elapsed = start.elapsed();
        timings.push(Timing {
            name: "evaluate",
            nanoseconds: u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX),
        });
        total += elapsed;
        if timings.len() as u64 >= min_runs && total >= min_total {
            return (result, timings);
        }
    }
}

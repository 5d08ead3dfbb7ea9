//! Timing and allocation counting for the report.
//!
//! Timing is adaptive: each run gets a batch size that makes one batch last
//! at least [`Settings::batch_time`], and the runs of one case are then timed
//! in interleaved rounds (one batch of each run per round). The figure kept
//! is the median over rounds of the time per call. Interleaving spreads
//! slow phases of a shared machine over all runs of a case, so the ratios
//! between them stay meaningful even when absolute times drift.
//!
//! Allocations are counted with [`stats_alloc`], whose counting wrapper of
//! the system allocator the report binary installs as its global
//! allocator:
//!
//! ```ignore
//! #[global_allocator]
//! static GLOBAL: &stats_alloc::StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;
//! ```
//!
//! Counting needs a global allocator because only the global allocator sees
//! every `Vec`, `Box` and tape spill, including those inside the peer
//! crates; `stats_alloc` provides it (and the `unsafe impl GlobalAlloc` that
//! any allocator needs), so this crate has no `unsafe` code. Without it
//! installed, [`allocator_installed`] is false and counts read zero.

use std::hint::black_box;
use std::time::{Duration, Instant};

use stats_alloc::{Region, INSTRUMENTED_SYSTEM};

/// How long to time.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Minimum wall time of one batch of calls.
    pub batch_time: Duration,
    /// Number of timed batches per run; the median is kept.
    pub rounds: usize,
    /// Calls over which allocations are counted (after warm-up).
    pub alloc_calls: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            batch_time: Duration::from_millis(200),
            rounds: 9,
            alloc_calls: 3,
        }
    }
}

/// What was measured for one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measurement {
    /// Median wall time per call, in seconds.
    pub seconds: f64,
    /// Heap allocations (including reallocations) per call.
    pub allocs: f64,
}

/// Times a group of calls in interleaved rounds and counts their
/// allocations. Returns one [`Measurement`] per call, in order.
///
/// ```
/// use adiff_bench::harness::{measure_group, Settings};
/// use std::time::Duration;
///
/// let settings = Settings { batch_time: Duration::from_millis(1), rounds: 3, alloc_calls: 1 };
/// let mut calls: Vec<Box<dyn FnMut() -> f64>> =
///     vec![Box::new(|| 1.0), Box::new(|| (0..100).map(f64::from).sum())];
/// let m = measure_group(&mut calls, settings);
/// assert_eq!(m.len(), 2);
/// assert!(m[0].seconds > 0.0);
/// ```
pub fn measure_group(
    calls: &mut [Box<dyn FnMut() -> f64>],
    settings: Settings,
) -> Vec<Measurement> {
    let iters: Vec<u64> = calls
        .iter_mut()
        .map(|call| batch_size(call.as_mut(), settings.batch_time))
        .collect();
    let mut per_call = vec![Vec::with_capacity(settings.rounds); calls.len()];
    for _ in 0..settings.rounds {
        for ((call, &n), samples) in calls.iter_mut().zip(&iters).zip(&mut per_call) {
            samples.push(time_batch(call.as_mut(), n).as_secs_f64() / n as f64);
        }
    }
    calls
        .iter_mut()
        .zip(per_call)
        .zip(iters)
        .map(|((call, samples), n)| Measurement {
            seconds: median(samples),
            // A call slower than a batch is counted once, not `alloc_calls` times.
            allocs: allocations_per_call(call.as_mut(), settings.alloc_calls.min(n as usize)),
        })
        .collect()
}

/// The number of calls that makes a batch last at least `target`, found by
/// growing the batch (which also warms up caches and lazy initialisation).
fn batch_size(call: &mut dyn FnMut() -> f64, target: Duration) -> u64 {
    let mut n = 1u64;
    loop {
        let t = time_batch(call, n);
        if t >= target {
            return n;
        }
        // Aim 20% past the target from the rate seen, but grow at most
        // tenfold per step so one fast outlier cannot overshoot wildly.
        let rate = t.as_secs_f64().max(1e-9) / n as f64;
        let want = (target.as_secs_f64() * 1.2 / rate).ceil() as u64;
        n = want.clamp(n + 1, n.saturating_mul(10));
    }
}

fn time_batch(call: &mut dyn FnMut() -> f64, n: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        black_box(call());
    }
    start.elapsed()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

/// Heap allocations (and reallocations) per call, averaged over `calls`
/// calls. Zero when the counting allocator is not installed.
pub fn allocations_per_call(call: &mut dyn FnMut() -> f64, calls: usize) -> f64 {
    let calls = calls.max(1);
    let region = Region::new(&INSTRUMENTED_SYSTEM);
    for _ in 0..calls {
        black_box(call());
    }
    let change = region.change();
    (change.allocations + change.reallocations) as f64 / calls as f64
}

/// Whether the counting allocator of [`stats_alloc`] is this program's
/// global allocator (the report binary installs it; tests and criterion do
/// not).
#[must_use]
pub fn allocator_installed() -> bool {
    let region = Region::new(&INSTRUMENTED_SYSTEM);
    black_box(Box::new(black_box(1u64)));
    region.change().allocations > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn batch_reaches_target() {
        let target = Duration::from_millis(2);
        let mut call = || (0..1000).map(f64::from).sum::<f64>();
        let n = batch_size(&mut call, target);
        assert!(time_batch(&mut call, n) >= target / 2);
    }
}

//! The checkpointing table: peak heap memory and time of the pendulum's
//! gradient (`adiff_bench::checkpoint`) at T = 10³ … 10⁶ steps, with a
//! plain tape, periodic (√T) checkpointing and binomial checkpointing with
//! S = 10, 20 and 50 snapshots.
//!
//! `cargo run --release -p adiff-bench --bin checkpoint` prints a Markdown
//! table and the report's ratio lines. Memory is the peak of the heap
//! during one call above what was live before it, counted by `peak_alloc`
//! (installed as the global allocator). Time is the median of interleaved
//! calls. The recomputation count is what the runtime's schedule runs
//! again (`Schedule::run`, the state machine the generated code follows;
//! `tests/checkpoint_counts.rs` checks generated code runs exactly that
//! many), beside the binomial formula `r·T − C(S + r, S + 1)`.
//!
//! `ADIFF_BENCH_QUICK=1` stops at T = 10⁵ and times fewer calls.

use std::time::Instant;

use adiff::__rt::Schedule;
use adiff_bench::checkpoint::{pendulum_binomial_vjp, pendulum_periodic_vjp, pendulum_vjp};
use peak_alloc::PeakAlloc;

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

#[derive(Clone, Copy)]
enum Scheme {
    Tape,
    Periodic,
    Binomial(usize),
}

impl Scheme {
    fn name(self) -> String {
        match self {
            Scheme::Tape => "plain tape".into(),
            Scheme::Periodic => "periodic (√T)".into(),
            Scheme::Binomial(s) => format!("binomial S = {s}"),
        }
    }

    /// One gradient: the cost and its derivatives in `k` and `c`.
    fn run(self, steps: usize) -> (f64, f64, f64) {
        let (k, c) = (2.0, 0.1);
        let (mut k_bar, mut c_bar) = (0.0, 0.0);
        let y = match self {
            Scheme::Tape => pendulum_vjp(k, &mut k_bar, c, &mut c_bar, steps, 1.0),
            Scheme::Periodic => pendulum_periodic_vjp(k, &mut k_bar, c, &mut c_bar, steps, 1.0),
            Scheme::Binomial(s) => {
                pendulum_binomial_vjp(k, &mut k_bar, c, &mut c_bar, steps, s, 1.0)
            }
        };
        (y, k_bar, c_bar)
    }

    /// Iterations run again, as the schedule counts them, and predicted.
    fn recomputed(self, steps: usize) -> (usize, Option<usize>) {
        match self {
            Scheme::Tape => (0, None),
            Scheme::Periodic => (Schedule::periodic(steps).run().advanced, None),
            Scheme::Binomial(s) => (
                Schedule::binomial(steps, s).run().advanced,
                Some(Schedule::predicted_advances(steps, s)),
            ),
        }
    }
}

/// Peak heap bytes of one call, above what was live before it.
fn peak_bytes(scheme: Scheme, steps: usize) -> usize {
    let before = PEAK.current_usage();
    PEAK.reset_peak_usage();
    std::hint::black_box(scheme.run(std::hint::black_box(steps)));
    PEAK.peak_usage().saturating_sub(before)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let quick = std::env::var_os("ADIFF_BENCH_QUICK").is_some();
    let sizes: &[usize] = if quick {
        &[1_000, 10_000, 100_000]
    } else {
        &[1_000, 10_000, 100_000, 1_000_000]
    };
    let schemes = [
        Scheme::Tape,
        Scheme::Periodic,
        Scheme::Binomial(10),
        Scheme::Binomial(20),
        Scheme::Binomial(50),
    ];
    println!("| T | scheme | peak memory (bytes) | memory / tape | time (ms) | time / tape | recomputed steps | binomial formula |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut ratios = Vec::new();
    for &steps in sizes {
        // Every scheme must give the plain tape's gradient: same arithmetic,
        // same order.
        let reference = Scheme::Tape.run(steps);
        for s in &schemes[1..] {
            let got = s.run(steps);
            let same = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300);
            assert!(
                same(got.0, reference.0) && same(got.1, reference.1) && same(got.2, reference.2),
                "{} at T = {steps}: {got:?}, plain tape {reference:?}",
                s.name()
            );
        }
        let memory: Vec<usize> = schemes.iter().map(|s| peak_bytes(*s, steps)).collect();
        // Interleaved rounds: one call of each scheme per round.
        let rounds = match (quick, steps) {
            (true, _) => 3,
            (false, n) if n >= 1_000_000 => 5,
            _ => 9,
        };
        let reps = (200_000 / steps).max(1);
        let mut times = vec![Vec::new(); schemes.len()];
        for _ in 0..rounds {
            for (i, s) in schemes.iter().enumerate() {
                let t = Instant::now();
                for _ in 0..reps {
                    std::hint::black_box(s.run(std::hint::black_box(steps)));
                }
                times[i].push(t.elapsed().as_secs_f64() / reps as f64);
            }
        }
        let times: Vec<f64> = times.into_iter().map(median).collect();
        for (i, s) in schemes.iter().enumerate() {
            let (again, formula) = s.recomputed(steps);
            let mem_ratio = memory[i] as f64 / memory[0].max(1) as f64;
            let time_ratio = times[i] / times[0];
            println!(
                "| {steps} | {} | {} | {mem_ratio:.2e} | {:.3} | {time_ratio:.2} | {again} | {} |",
                s.name(),
                memory[i],
                times[i] * 1e3,
                formula.map_or("–".to_owned(), |f| f.to_string()),
            );
            if let Scheme::Binomial(20) = s {
                ratios.push((steps, mem_ratio, time_ratio));
            }
        }
    }
    println!();
    for (steps, mem, time) in ratios {
        println!("ratio checkpoint_T{steps}_S20 memory/tape {mem:.6}");
        println!("ratio checkpoint_T{steps}_S20 time/tape {time:.3}");
    }
}

//! `cargo run --release -p autodiff-bench --bin report`: times every case
//! of every benchmark in one run and prints the machine, one markdown
//! table, the correctness checks, and one `ratio` line per ratio.
//!
//! Progress goes to stderr, the report to stdout. `AUTODIFF_BENCH_QUICK=1`
//! times with short batches (for trying the report out, not for figures).

use std::alloc::System;
use std::time::{Duration, Instant};

use autodiff_bench::harness::{allocator_installed, Settings};
use autodiff_bench::report::{self, Measured};
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

// Counts every allocation so the report can give allocations per call.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn main() {
    let start = Instant::now();
    assert!(
        allocator_installed(),
        "the counting allocator is not installed"
    );
    let settings = if std::env::var_os("AUTODIFF_BENCH_QUICK").is_some() {
        Settings {
            batch_time: Duration::from_millis(10),
            rounds: 3,
            alloc_calls: 1,
        }
    } else {
        Settings::default()
    };
    let mut measured: Vec<Measured> = Vec::new();
    for (name, cases) in report::BENCHMARKS {
        eprintln!("[{:6.1} s] preparing {name}", start.elapsed().as_secs_f64());
        for case in cases() {
            eprintln!(
                "[{:6.1} s] timing {} ({} runs)",
                start.elapsed().as_secs_f64(),
                case.benchmark,
                case.runs.len()
            );
            measured.push(report::measure_case(case, settings));
        }
    }

    println!("# autodiff benchmark report\n");
    println!("Machine: {}\n", report::machine());
    println!(
        "Each time is the median over {} interleaved batches of at least {} ms each; \
         \"÷ f\" divides by the case's objective, \"÷ autodiff\" divides by the \
         autodiff run named in brackets (above 1: autodiff is faster).\n",
        settings.rounds,
        settings.batch_time.as_millis()
    );
    print!("{}", report::table(&measured));
    println!("\nChecks:\n");
    print!("{}", report::checks(&measured));
    println!("\nReport took {:.0} s.\n", start.elapsed().as_secs_f64());
    for line in report::ratio_lines(&measured) {
        println!("{line}");
    }
}

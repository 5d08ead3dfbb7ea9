//! `cargo run --release -p adiff-bench --features peers --bin report`:
//! times every case of every benchmark in one run and prints the machine,
//! one markdown table, the correctness checks, and one `ratio` line per
//! ratio.
//!
//! Without `--features peers` the report leaves out the peer crates' runs
//! and checks (and says so in its header); the other runs are the same.
//!
//! Progress goes to stderr, the report to stdout. `ADIFF_BENCH_QUICK=1`
//! times with short batches (for trying the report out, not for figures).
//! `ADIFF_BENCH_ONLY=jacobian,rk4` times only the benchmarks named.

use std::alloc::System;
use std::time::{Duration, Instant};

use adiff_bench::harness::{allocator_installed, Settings};
use adiff_bench::report::{self, Measured};
use adiff_bench::PEERS;
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
    let settings = if std::env::var_os("ADIFF_BENCH_QUICK").is_some() {
        Settings {
            batch_time: Duration::from_millis(10),
            rounds: 3,
            alloc_calls: 1,
        }
    } else {
        Settings::default()
    };
    if !PEERS {
        eprintln!("{}", peers_line());
    }
    let mut measured: Vec<Measured> = Vec::new();
    let only = std::env::var("ADIFF_BENCH_ONLY").ok();
    for (name, cases) in report::BENCHMARKS {
        if only
            .as_ref()
            .is_some_and(|o| !o.split(',').any(|n| n == name))
        {
            continue;
        }
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

    println!("# adiff benchmark report\n");
    println!("Machine: {}\n", report::machine());
    println!("{}\n", peers_line());
    println!(
        "Each time is the median over {} interleaved batches of at least {} ms each; \
         \"÷ f\" divides by the case's objective, \"÷ adiff\" divides by the \
         adiff run named in brackets (above 1: adiff is faster).\n",
        settings.rounds,
        settings.batch_time.as_millis()
    );
    print!("{}", report::table(&measured));
    println!("\nChecks:\n");
    print!("{}", report::checks(&measured));
    let checkpoint = if only
        .as_ref()
        .is_none_or(|o| o.split(',').any(|n| n == "checkpoint"))
    {
        eprintln!(
            "[{:6.1} s] checkpointing table",
            start.elapsed().as_secs_f64()
        );
        checkpoint_table()
    } else {
        String::new()
    };
    let (table, ratios): (Vec<&str>, Vec<&str>) =
        checkpoint.lines().partition(|l| !l.starts_with("ratio "));
    if !table.is_empty() {
        println!("\n## Checkpointed loops\n");
        println!("{}", table.join("\n").trim_end());
    }
    println!("\nReport took {:.0} s.\n", start.elapsed().as_secs_f64());
    for line in report::ratio_lines(&measured) {
        println!("{line}");
    }
    for line in ratios {
        println!("{line}");
    }
}

/// The output of the `checkpoint` binary, which measures peak memory with
/// an allocator of its own (this binary's counts allocations): run next to
/// this executable if built, else through cargo.
fn checkpoint_table() -> String {
    let sibling = std::env::current_exe()
        .ok()
        .map(|p| p.with_file_name(format!("checkpoint{}", std::env::consts::EXE_SUFFIX)))
        .filter(|p| p.exists());
    let output = match (sibling, std::env::var_os("CARGO")) {
        (Some(exe), _) => std::process::Command::new(exe).output(),
        (None, Some(cargo)) => std::process::Command::new(cargo)
            .args([
                "run",
                "--release",
                "-q",
                "-p",
                "adiff-bench",
                "--bin",
                "checkpoint",
            ])
            .output(),
        (None, None) => {
            return "The checkpointing table needs the `checkpoint` binary: \
                    `cargo run --release -p adiff-bench --bin checkpoint`.\n"
                .into()
        }
    };
    match output {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        Ok(o) => format!(
            "The checkpointing table failed: {}\n",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => format!("The checkpointing table could not run: {e}\n"),
    }
}

/// The header line saying whether the peer crates were built.
fn peers_line() -> &'static str {
    if PEERS {
        "Peers: num-dual, ad_trait and reverse included (feature `peers`)."
    } else {
        "Peers: not built, so num-dual, ad_trait and reverse are left out; \
         add `--features peers` to time them."
    }
}

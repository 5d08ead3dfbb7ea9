//! Criterion over the same cases as the report: one group per case, one
//! benchmark per run (`cargo bench -p adiff-bench --features peers`; a
//! filter such as `cargo bench -p adiff-bench --features peers --
//! rosenbrock_n1000` picks cases). Without `--features peers` the peer
//! crates' runs are left out.
//!
//! The report is the tool for the README's figures (one table, ratios,
//! allocations); this bench gives criterion's statistics and history.

use std::time::Duration;

use adiff_bench::report::BENCHMARKS;
use adiff_bench::PEERS;
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    if !PEERS {
        eprintln!(
            "peers not built: num-dual, ad_trait and reverse are left out (add `--features peers`)"
        );
    }
    for (_, cases) in BENCHMARKS {
        for case in cases() {
            let mut group = c.benchmark_group(case.benchmark);
            // Some runs take tens of milliseconds; keep the whole suite to
            // minutes rather than criterion's default 100 samples each.
            group.sample_size(10);
            group.warm_up_time(Duration::from_millis(500));
            group.measurement_time(Duration::from_secs(2));
            for mut run in case.runs {
                group.bench_function(run.label.as_str(), |b| b.iter(&mut run.call));
            }
            group.finish();
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

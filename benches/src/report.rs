//! The report's text: the machine, one markdown table of every run, the
//! checks, and the machine-readable `ratio` lines.
//!
//! Ratios follow one rule. Every run after the first is divided by the
//! case's first run, the objective `f` (quantity `<run>/f`). Every run whose
//! label does not start with `adiff` is also divided by its reference:
//! the nearest run above it whose label does start with `adiff`
//! (quantity `<run>/<reference>`). So a ratio above 1 in the second kind
//! means adiff is faster. Run labels become quantities by replacing
//! every character other than letters, digits, `-` and `_` with `_`.

use std::fmt::Write as _;

use crate::harness::{measure_group, Measurement, Settings};
use crate::{gmm, hessian, jacobian, lstm, mlp, mlp_na, rk4, rosenbrock, Case};

/// Builds a benchmark's cases (data loaded, checks run).
pub type Cases = fn() -> Vec<Case>;

/// Every benchmark, by name, in the report's order.
pub const BENCHMARKS: [(&str, Cases); 8] = [
    ("rosenbrock", rosenbrock::cases),
    ("hessian", hessian::cases),
    ("mlp", mlp::cases),
    ("mlp_nalgebra", mlp_na::cases),
    ("rk4", rk4::cases),
    ("gmm", gmm::cases),
    ("lstm", lstm::cases),
    ("jacobian", jacobian::cases),
];

/// One case after timing.
#[derive(Clone, Debug)]
pub struct Measured {
    /// [`Case::benchmark`].
    pub benchmark: String,
    /// [`Case::detail`].
    pub detail: String,
    /// Run labels with what was measured, in the case's order.
    pub runs: Vec<(String, Measurement)>,
    /// [`Case::checks`].
    pub checks: Vec<String>,
}

/// Times every run of `case`.
#[must_use]
pub fn measure_case(case: Case, settings: Settings) -> Measured {
    let (labels, mut calls): (Vec<String>, Vec<_>) =
        case.runs.into_iter().map(|r| (r.label, r.call)).unzip();
    let measurements = measure_group(&mut calls, settings);
    Measured {
        benchmark: case.benchmark,
        detail: case.detail,
        runs: labels.into_iter().zip(measurements).collect(),
        checks: case.checks,
    }
}

/// The run a run's time is compared with besides `f`: for a run not
/// labelled `adiff...`, the nearest `adiff` run above it.
///
/// ```
/// use adiff_bench::report::reference;
/// let labels = ["f", "adiff f_vjp", "hand", "adiff f_jvp", "num-dual"];
/// assert_eq!(reference(&labels, 2), Some(1));
/// assert_eq!(reference(&labels, 4), Some(3));
/// assert_eq!(reference(&labels, 3), None);
/// ```
#[must_use]
pub fn reference<S: AsRef<str>>(labels: &[S], i: usize) -> Option<usize> {
    if i == 0 || is_adiff(labels[i].as_ref()) {
        return None;
    }
    (1..i).rev().find(|&j| is_adiff(labels[j].as_ref()))
}

fn is_adiff(label: &str) -> bool {
    label.starts_with("adiff")
}

/// A run label as a token of a `ratio` line.
///
/// ```
/// assert_eq!(adiff_bench::report::slug("adiff f_vjp x1000"), "adiff_f_vjp_x1000");
/// assert_eq!(adiff_bench::report::slug("num-dual Dual64"), "num-dual_Dual64");
/// ```
#[must_use]
pub fn slug(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A duration with three significant digits and a unit.
///
/// ```
/// use adiff_bench::report::format_time;
/// assert_eq!(format_time(4.123e-7), "412 ns");
/// assert_eq!(format_time(0.0123), "12.3 ms");
/// assert_eq!(format_time(1.5), "1.50 s");
/// ```
#[must_use]
pub fn format_time(seconds: f64) -> String {
    let (v, unit) = if seconds < 1e-6 {
        (seconds * 1e9, "ns")
    } else if seconds < 1e-3 {
        (seconds * 1e6, "µs")
    } else if seconds < 1.0 {
        (seconds * 1e3, "ms")
    } else {
        (seconds, "s")
    };
    format!("{} {unit}", three_digits(v))
}

/// A positive number with three significant digits (more for ≥ 1000).
fn three_digits(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn format_allocs(a: f64) -> String {
    if a.fract() == 0.0 {
        format!("{a:.0}")
    } else {
        format!("{a:.1}")
    }
}

/// The markdown table of every run of every case.
///
/// ```
/// use adiff_bench::{harness::Measurement, report::{table, Measured}};
/// let m = |s| Measurement { seconds: s, allocs: 0.0 };
/// let case = Measured {
///     benchmark: "b".into(),
///     detail: String::new(),
///     runs: vec![("f".into(), m(1e-6)), ("adiff f_vjp".into(), m(2e-6)), ("hand".into(), m(1e-6))],
///     checks: vec![],
/// };
/// let t = table(&[case]);
/// assert!(t.contains("| b | f | 1.00 µs |  |  | 0 |"));
/// assert!(t.contains("|  | adiff f_vjp | 2.00 µs | 2.00 |  | 0 |"));
/// assert!(t.contains("|  | hand | 1.00 µs | 1.00 | 0.50 (f_vjp) | 0 |"));
/// ```
#[must_use]
pub fn table(cases: &[Measured]) -> String {
    let mut t = String::from(
        "| benchmark | run | time / call | ÷ f | ÷ adiff | allocs / call |\n\
         |---|---|---:|---:|---:|---:|\n",
    );
    for case in cases {
        let labels: Vec<&str> = case.runs.iter().map(|(l, _)| l.as_str()).collect();
        let f = case.runs[0].1.seconds;
        for (i, (label, m)) in case.runs.iter().enumerate() {
            let name = if i == 0 { case.benchmark.as_str() } else { "" };
            let over_f = if i == 0 {
                String::new()
            } else {
                three_digits(m.seconds / f)
            };
            let over_ref = reference(&labels, i).map_or(String::new(), |j| {
                let r = &case.runs[j];
                // "adiff f_vjp" is shown as "f_vjp", a bare "adiff" as is.
                let short = match r.0.trim_start_matches("adiff").trim() {
                    "" => r.0.as_str(),
                    s => s,
                };
                format!("{} ({short})", three_digits(m.seconds / r.1.seconds))
            });
            let _ = writeln!(
                t,
                "| {name} | {label} | {} | {over_f} | {over_ref} | {} |",
                format_time(m.seconds),
                format_allocs(m.allocs)
            );
        }
    }
    t
}

/// The `checks` of every case, under the case's name and detail.
#[must_use]
pub fn checks(cases: &[Measured]) -> String {
    let mut t = String::new();
    for case in cases {
        let _ = writeln!(t, "- **{}** ({})", case.benchmark, case.detail);
        for c in &case.checks {
            let _ = writeln!(t, "  - {c}");
        }
    }
    t
}

/// One `ratio <benchmark> <quantity> <value>` line per ratio (see the
/// module documentation).
///
/// ```
/// use adiff_bench::{harness::Measurement, report::{ratio_lines, Measured}};
/// let m = |s| Measurement { seconds: s, allocs: 0.0 };
/// let case = Measured {
///     benchmark: "b".into(),
///     detail: String::new(),
///     runs: vec![("f".into(), m(1.0)), ("adiff f_vjp".into(), m(2.0)), ("hand".into(), m(3.0))],
///     checks: vec![],
/// };
/// assert_eq!(
///     ratio_lines(&[case]),
///     ["ratio b adiff_f_vjp/f 2.000", "ratio b hand/f 3.000", "ratio b hand/adiff_f_vjp 1.500"]
/// );
/// ```
#[must_use]
pub fn ratio_lines(cases: &[Measured]) -> Vec<String> {
    let mut lines = Vec::new();
    for case in cases {
        let labels: Vec<&str> = case.runs.iter().map(|(l, _)| l.as_str()).collect();
        let (f_label, f) = (&case.runs[0].0, case.runs[0].1.seconds);
        for (i, (label, m)) in case.runs.iter().enumerate().skip(1) {
            let b = &case.benchmark;
            let q = slug(label);
            lines.push(format!(
                "ratio {b} {q}/{} {:.3}",
                slug(f_label),
                m.seconds / f
            ));
            if let Some(j) = reference(&labels, i) {
                let (rl, rm) = &case.runs[j];
                lines.push(format!(
                    "ratio {b} {q}/{} {:.3}",
                    slug(rl),
                    m.seconds / rm.seconds
                ));
            }
        }
        lines.extend(jacobian_lines(case));
        if case.benchmark == "jac_chain_500_500_5_500" {
            lines.extend(jacobian::chain_prediction_lines());
        }
    }
    lines
}

/// The benchmarks' own ratios: the automatic Jacobian mode over the better
/// forced one (`auto/best_forced`, target ≤ 1.10), one vector sweep of
/// width 8 over eight scalar sweeps (`jvpw8/jvp_x8`, target ≤ 0.5), and one
/// Hessian-vector product over one gradient (`hvp/grad`, target ≤ 2.5).
///
/// ```
/// use adiff_bench::{harness::Measurement, report::{jacobian_lines, Measured}};
/// let m = |s| Measurement { seconds: s, allocs: 0.0 };
/// let runs = ["f", "adiff f_jacobian auto", "adiff f_jacobian forward", "adiff f_jacobian reverse"];
/// let case = Measured {
///     benchmark: "b".into(),
///     detail: String::new(),
///     runs: runs.iter().zip([1.0, 2.2, 2.0, 5.0]).map(|(l, s)| (l.to_string(), m(s))).collect(),
///     checks: vec![],
/// };
/// assert_eq!(jacobian_lines(&case), ["ratio b auto/best_forced 1.100"]);
/// ```
#[must_use]
pub fn jacobian_lines(case: &Measured) -> Vec<String> {
    let time = |label: &str| {
        case.runs
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, m)| m.seconds)
    };
    let b = &case.benchmark;
    let mut lines = Vec::new();
    if let (Some(a), Some(f), Some(r)) = (
        time("adiff f_jacobian auto"),
        time("adiff f_jacobian forward"),
        time("adiff f_jacobian reverse"),
    ) {
        lines.push(format!("ratio {b} auto/best_forced {:.3}", a / f.min(r)));
    }
    if let (Some(w), Some(s)) = (time("adiff f_jvpw W8"), time("adiff f_jvp x8")) {
        lines.push(format!("ratio {b} jvpw8/jvp_x8 {:.3}", w / s));
    }
    // Second order: one Hessian-vector product over one gradient (target
    // ≤ 2.5), both returning their vectors.
    // GMM's gradient run is `f_vjp` into preallocated adjoints, "adiff".
    let grad = time("adiff f_grad").or_else(|| time("adiff"));
    if let (Some(h), Some(g)) = (time("adiff f_hvp"), grad) {
        lines.push(format!("ratio {b} hvp/grad {:.3}", h / g));
    }
    // The sweep alone: both into preallocated adjoints.
    if let (Some(h), Some(v)) = (time("adiff f_jvp_vjp"), time("adiff f_vjp")) {
        lines.push(format!("ratio {b} jvp_vjp/vjp {:.3}", h / v));
    }
    lines
}

/// The machine and compiler: CPU model (from `/proc/cpuinfo`), logical
/// cores, and the `rustc` that built this crate.
#[must_use]
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name")?.split(':').nth(1))
        .map_or("unknown CPU", str::trim);
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    format!(
        "{model}, {cores} logical cores; {}",
        env!("ADIFF_BENCH_RUSTC")
    )
}

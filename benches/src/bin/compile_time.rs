//! The compile-time benchmark: how long the macros take, and how large the
//! code they generate is, on generated crates of long numeric functions.
//!
//! ```sh
//! cargo run --release -p adiff-bench --bin compile_time            # all three crates
//! cargo run --release -p adiff-bench --bin compile_time -- --quick  # without the 10,000-statement one
//! cargo run --release -p adiff-bench --bin compile_time -- --adiff /path/to/other/checkout
//! cargo run --release -p adiff-bench --bin compile_time -- --optimise-macros
//! ```
//!
//! `--optimise-macros` gives the generated crates
//! `[profile.dev.build-override] opt-level = 3`, which compiles the macros
//! (and syn) optimised in the dev profile too: what the guide advises.
//!
//! Each crate is written twice under `target/compile-time/`: plain, and
//! with `#[grad] #[jvp]` on every function. The functions are sequences of
//! `a = (op) * 0.01 + a` updates over `sin`, `exp`, `ln_1p`, `sqrt`,
//! `tanh` and `max`, with a short loop every tenth statement. For each
//! crate it prints
//! - the expansion time: the annotated crate's expanded pretty-print
//!   (`RUSTC_BOOTSTRAP=1 cargo rustc --profile=check -- -Zunpretty=expanded`,
//!   no type check) minus the plain crate's;
//! - the size of each derivative ÷ its function's (non-whitespace
//!   characters in that expansion; the worst function);
//! - `cargo check`, debug `cargo build` and release build times, plain and
//!   annotated. A failed build (rustc crashing, say) is printed as such.
//!
//! The generated crates use the default dev profile, as a user's would: the
//! macros then run unoptimised, which is what users wait for.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One generated crate: `fns` functions of `stmts` statements.
struct Case {
    name: &'static str,
    fns: usize,
    stmts: usize,
}

const CASES: [Case; 3] = [
    Case {
        name: "fns100_stmts20",
        fns: 100,
        stmts: 20,
    },
    Case {
        name: "fns1_stmts1000",
        fns: 1,
        stmts: 1000,
    },
    Case {
        name: "fns1_stmts10000",
        fns: 1,
        stmts: 10_000,
    },
];

/// A small deterministic generator (Knuth's MMIX LCG), so every run and
/// every checkout measures the same code.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// The source of function `name` with `stmts` updates.
fn function(name: &str, stmts: usize, seed: u64, annotate: bool) -> String {
    const OPS: [&str; 6] = [
        "a.sin()",
        "b.exp().min(3.0)",
        "c.abs().ln_1p()",
        "(d * d + 1.0).sqrt()",
        "a.tanh()",
        "b.max(c)",
    ];
    let mut r = Lcg(seed);
    let mut s = String::new();
    if annotate {
        s.push_str("#[grad]\n#[jvp]\n");
    }
    let _ = writeln!(s, "pub fn {name}(x: &[f64]) -> f64 {{");
    s.push_str("    let mut a = x[0];\n    let mut b = x[1];\n    let mut c = x[2];\n    let mut d = x[3];\n");
    for i in 0..stmts {
        let v = ["a", "b", "c", "d"][r.below(4)];
        let op = OPS[r.below(OPS.len())];
        if i % 10 == 9 {
            let _ = writeln!(
                s,
                "    for k in 0..3 {{ {v} = ({op}) * 0.01 + {v} + (k as f64) * 0.001; }}"
            );
        } else {
            let _ = writeln!(s, "    {v} = ({op}) * 0.01 + {v};");
        }
    }
    s.push_str("    a + b + c + d\n}\n\n");
    s
}

/// Writes the crate `dir`: `case`'s functions, annotated or not.
fn write_crate(
    dir: &Path,
    case: &Case,
    adiff: &Path,
    annotate: bool,
    optimise_macros: bool,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    let pkg = format!("ct_{}_{}", case.name, if annotate { "ad" } else { "plain" });
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{pkg}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nadiff = {{ path = {:?} }}\n\n[workspace]\n{}",
            adiff.display(),
            if optimise_macros {
                "\n[profile.dev.build-override]\nopt-level = 3\n"
            } else {
                ""
            }
        ),
    )?;
    let mut src = String::from("#![allow(unused)]\nuse adiff::{grad, jvp};\n\n");
    for f in 0..case.fns {
        src.push_str(&function(
            &format!("f{f}"),
            case.stmts,
            f as u64 + 1,
            annotate,
        ));
    }
    std::fs::write(dir.join("src/lib.rs"), src)
}

/// Runs cargo in `dir` with `args`; returns the wall time in seconds and
/// stdout, or why it failed.
fn cargo(
    dir: &Path,
    target: &Path,
    args: &[&str],
    bootstrap: bool,
) -> Result<(f64, String), String> {
    // Touch the source so the crate itself is rebuilt, never its deps.
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, text).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target);
    if bootstrap {
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    let t = Instant::now();
    let out = cmd.output().map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    if out.status.success() {
        Ok((secs, String::from_utf8_lossy(&out.stdout).into_owned()))
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        // A crashed rustc ends its message with `(signal: 11, SIGSEGV: ..)`.
        let why = last.rfind("(signal").map_or(last.trim(), |i| &last[i..]);
        Err(format!("FAILED after {secs:.1} s {why}"))
    }
}

/// Non-whitespace characters of each `fn NAME` item in pretty-printed Rust.
fn fn_sizes(expanded: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut rest = expanded;
    while let Some(at) = rest.find("fn ") {
        let after = &rest[at + 3..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = after.find('{') else { break };
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, ch) in after[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &rest[at..at + 3 + end];
        out.push((name, body.chars().filter(|c| !c.is_whitespace()).count()));
        rest = &after[end..];
    }
    out
}

/// The worst ratio of `f<suffix>` to `f` over the crate's functions.
fn worst_ratio(sizes: &[(String, usize)], suffix: &str) -> Option<f64> {
    let base: std::collections::HashMap<&str, usize> =
        sizes.iter().map(|(n, s)| (n.as_str(), *s)).collect();
    sizes
        .iter()
        .filter_map(|(n, s)| {
            let primal = n.strip_suffix(suffix)?;
            Some(*s as f64 / *base.get(primal)? as f64)
        })
        .reduce(f64::max)
}

fn show(r: &Result<(f64, String), String>) -> String {
    match r {
        Ok((t, _)) => format!("{t:.2} s"),
        Err(e) => e.clone(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let optimise_macros = args.iter().any(|a| a == "--optimise-macros");
    let adiff = args
        .iter()
        .position(|a| a == "--adiff")
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."),
            PathBuf::from,
        );
    let adiff = adiff.canonicalize().expect("the adiff checkout exists");
    let dir = if optimise_macros {
        "../target/compile-time-opt"
    } else {
        "../target/compile-time"
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
    let target = root.join("target");
    let expand_target = root.join("target-expand");
    println!("adiff at {}; crates in {}", adiff.display(), root.display());
    for case in CASES.iter().filter(|c| !quick || c.stmts < 10_000) {
        println!(
            "\n== {}: {} function(s) of {} statements",
            case.name, case.fns, case.stmts
        );
        let plain = root.join(format!("{}_plain", case.name));
        let annotated = root.join(format!("{}_ad", case.name));
        write_crate(&plain, case, &adiff, false, optimise_macros).expect("write the plain crate");
        write_crate(&annotated, case, &adiff, true, optimise_macros)
            .expect("write the annotated crate");
        // Build the dependencies once, outside the timings. The expansion
        // runs get their own target directory: `RUSTC_BOOTSTRAP` changes
        // the dependencies' fingerprints, so sharing one would rebuild
        // them at every switch.
        let expand = [
            "rustc",
            "-q",
            "--profile=check",
            "--",
            "-Zunpretty=expanded",
        ];
        for cmd in [
            &["check", "-q"][..],
            &["build", "-q"],
            &["build", "-q", "--release"],
        ] {
            let _ = cargo(&plain, &target, cmd, false);
        }
        let _ = cargo(&plain, &expand_target, &expand, true);
        let (ep, ea) = (
            cargo(&plain, &expand_target, &expand, true),
            cargo(&annotated, &expand_target, &expand, true),
        );
        match (&ep, &ea) {
            (Ok((tp, _)), Ok((ta, text))) => {
                println!(
                    "expansion: {:.2} s (annotated {ta:.2} s − plain {tp:.2} s)",
                    ta - tp
                );
                let sizes = fn_sizes(text);
                for suffix in ["_jvp", "_vjp", "_grad"] {
                    if let Some(r) = worst_ratio(&sizes, suffix) {
                        println!("size f{suffix} ÷ f (worst): {r:.1}");
                    }
                }
            }
            _ => println!("expansion: plain {}, annotated {}", show(&ep), show(&ea)),
        }
        for (label, cmd) in [
            ("cargo check", &["check", "-q"][..]),
            ("cargo build (debug)", &["build", "-q"][..]),
            ("cargo build --release", &["build", "-q", "--release"][..]),
        ] {
            let p = cargo(&plain, &target, cmd, false);
            let a = cargo(&annotated, &target, cmd, false);
            println!("{label}: plain {} → annotated {}", show(&p), show(&a));
        }
    }
}

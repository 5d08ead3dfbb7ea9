//! Differential testing at the IR level: generated programs (from
//! `adiff-fuzz`) are lowered and transformed, the IR is verified after
//! every pass, and an interpreter runs the original, the forward-mode and the
//! reverse-mode programs on random inputs. For every function it checks:
//! - the JVP against central finite differences (where two step sizes agree);
//! - the dot-product test ⟨w, J·u⟩ = ⟨Jᵀ·w, u⟩ between the two modes;
//! - that results do not change with activity analysis switched off, nor
//!   with the to-be-recorded analysis switched off (everything recorded),
//!   nor with every loop that can be checkpointed checkpointed;
//! - second order (`second.rs`): `f_jvp_vjp`'s gradient against `f_vjp`'s,
//!   and its `H·u` against central differences of `f_vjp`'s gradient.
//!
//! A failing function is shrunk to a small reproducer and printed as Rust.
//! `ADIFF_FUZZ_CASES=N` sets the number of programs (3 functions each).

use std::collections::HashMap;
use std::io::Write;

use adiff_fuzz::{inputs, Inputs, Rng};

use crate::convention::Kind;
use crate::diag::{Diags, Stop};
use crate::interp::{Machine, Program, MAX_STEPS, V};
use crate::ir::Func;
use crate::options::Knobs;
use crate::pipeline;

mod runs;
mod second;
use runs::{array, floats, jvp, vjp};
mod shrink;
use shrink::shrink;

/// The IR of one function in every variant.
struct Variants {
    primal: Func,
    jvp: Func,
    vjp: Func,
    jvp_all_active: Func,
    vjp_all_active: Func,
    vjp_record_all: Func,
    /// Every loop that can be checkpointed is (binomial with 2 snapshots, with 1, or periodic).
    vjp_checkpointed: Func,
    /// `f_jvp_vjp` over `(x, v)`, unless `#[hvp]` rejects the function.
    jvp_vjp: Option<Func>,
    /// `f_jvp_jvp` over `(x, v)`, unless forward mode rejects `buf` as a
    /// constant (a differentiable value stored into it).
    jvp_jvp: Option<Func>,
}

fn compile(src: &str) -> Result<(String, Variants), String> {
    let item: syn::ItemFn = syn::parse_str(src).map_err(|e| format!("parse: {e}"))?;
    let mut d = Diags::default();
    let sig = crate::sig::parse(&item.sig, &[], &mut d).ok_or("signature")?;
    let ir = pipeline::lower(&sig, &item.block, &mut d).map_err(|e| stop("lowering", e, &d))?;
    let wrt: Vec<bool> = sig.params.iter().map(|p| p.differentiable).collect();
    let normal = Knobs {
        tape: 8,
        ..Knobs::default()
    };
    let all_active = Knobs {
        activity: false,
        ..normal.clone()
    };
    let record_all = Knobs {
        record_all: true,
        ..normal.clone()
    };
    let mut derive = |kind: Kind, knobs: &Knobs, what: &str| {
        pipeline::derive(&ir, kind, &wrt, knobs, None, &mut d).map_err(|e| stop(what, e, &d))
    };
    let jvp = derive(Kind::Jvp, &normal, "forward mode")?;
    let jvp_all_active = derive(Kind::Jvp, &all_active, "forward mode, all active")?;
    let vjp = derive(Kind::Vjp, &normal, "reverse mode")?;
    let vjp_all_active = derive(Kind::Vjp, &all_active, "reverse mode, all active")?;
    let vjp_record_all = derive(Kind::Vjp, &record_all, "reverse mode, recording everything")?;
    let checkpointed = Knobs {
        checkpoint_all: Some(2),
        ..normal.clone()
    };
    let vjp_checkpointed = derive(Kind::Vjp, &checkpointed, "reverse mode, loops checkpointed")?;
    let mut has_ck = false;
    crate::ir::for_each_stmt(&vjp_checkpointed.body, &mut |s| {
        has_ck |= matches!(s.op(), Some(crate::ir::Op::Ck(..)));
    });
    if has_ck {
        CHECKPOINTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let mut d2 = Diags::default();
    second::COMPILED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let jvp_vjp = match pipeline::derive(&ir, Kind::JvpVjp, &second::WRT, &normal, None, &mut d2) {
        Ok(f) => Some(f),
        Err(Stop::Reported) => {
            second::REJECTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            None
        }
        Err(e) => return Err(stop("reverse over forward mode", e, &d2)),
    };
    let mut d3 = Diags::default();
    // `buf` is a constant here, as for `f_jvp_vjp`: a function that stores
    // a differentiable value into it is left out.
    crate::hvp::reject_varied_scratch(&ir, &second::WRT, &mut d3);
    let jvp_jvp = if d3.is_empty() {
        let over_xv = crate::hvp::only_wrt(&ir, &second::WRT);
        match pipeline::derive(&over_xv, Kind::JvpJvp, &second::WRT, &normal, None, &mut d3) {
            Ok(f) => Some(f),
            Err(Stop::Reported) => None,
            Err(e) => return Err(stop("forward over forward mode", e, &d3)),
        }
    } else {
        None
    };
    Ok((
        sig.ident.to_string(),
        Variants {
            primal: ir,
            jvp,
            vjp,
            jvp_all_active,
            vjp_all_active,
            vjp_record_all,
            vjp_checkpointed,
            jvp_vjp,
            jvp_jvp,
        },
    ))
}

fn stop(what: &str, e: Stop, d: &Diags) -> String {
    match e {
        Stop::Reported => format!("{what}: {}", d.to_compile_errors()),
        Stop::Broken { pass, msg, ir } => {
            format!("verifier after {pass} ({what}): {msg}\n{ir}")
        }
    }
}

/// The four programs (normal, activity off, recording everything, loops
/// checkpointed).
struct Programs {
    normal: Program,
    all_active: Program,
    record_all: Program,
    checkpointed: Program,
}

/// Functions whose checkpointed variant has a checkpointed loop.
static CHECKPOINTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn build(sources: &[String]) -> Result<Programs, String> {
    let mut p = Programs {
        normal: HashMap::new(),
        all_active: HashMap::new(),
        record_all: HashMap::new(),
        checkpointed: HashMap::new(),
    };
    for src in sources {
        let (name, v) = compile(src)?;
        for map in [
            &mut p.normal,
            &mut p.all_active,
            &mut p.record_all,
            &mut p.checkpointed,
        ] {
            map.insert(name.clone(), v.primal.clone());
        }
        p.normal.insert(format!("{name}_jvp"), v.jvp.clone());
        p.normal.insert(format!("{name}_vjp"), v.vjp.clone());
        p.all_active.insert(format!("{name}_jvp"), v.jvp_all_active);
        p.all_active.insert(format!("{name}_vjp"), v.vjp_all_active);
        p.record_all.insert(format!("{name}_jvp"), v.jvp.clone());
        p.record_all.insert(format!("{name}_vjp"), v.vjp_record_all);
        p.checkpointed.insert(format!("{name}_jvp"), v.jvp);
        p.checkpointed
            .insert(format!("{name}_vjp"), v.vjp_checkpointed);
        if let Some(f) = v.jvp_vjp {
            p.normal.insert(format!("{name}_jvp_vjp"), f);
        }
        if let Some(f) = v.jvp_jvp {
            p.normal.insert(format!("{name}_jvp_jvp"), f);
        }
    }
    second::drop_unresolved(&mut p.normal);
    let _ = second::drop_unresolved_of(&mut p.normal, Kind::JvpJvp);
    Ok(p)
}

/// The primal: outputs are the return value followed by the final `buf`,
/// and the number of steps the interpreter took.
/// Runs the primal `name` at `p`.
fn primal(prog: &Program, name: &str, p: &Inputs, limit: usize) -> Result<Primal, String> {
    let mut mem = vec![array(&p.v), array(&p.buf)];
    let mut m = Machine::new(prog, limit);
    let y = m.run(
        name,
        vec![
            V::F(p.x),
            Machine::buffer_ref(0),
            V::I(p.n as i64),
            Machine::buffer_ref(1),
        ],
        &mut mem,
    )?;
    Ok(Primal {
        out: floats(&y).into_iter().chain(floats(&mem[1])).collect(),
        steps: m.steps(),
        nonfinite: m.saw_nonfinite(),
        largest: m.largest_magnitude(),
    })
}

/// A primal run: its outputs, its length, whether an intermediate value
/// overflowed, and the largest intermediate magnitude.
struct Primal {
    out: Vec<f64>,
    steps: usize,
    nonfinite: bool,
    largest: f64,
}

/// The step limit for a derivative of a primal run that took `steps`.
///
/// It is relative, not the interpreter's fixed `MAX_STEPS`: a primal may
/// legitimately use a good part of that (seed 50480 calls `g1` nine times
/// in nested loops, and `g1` calls `g0` in loops: 143k steps), and its
/// derivatives must then be allowed a constant multiple. Forward mode adds
/// a tangent line per active statement. Reverse mode runs calls jointly: a
/// callee's primal runs in the caller's forward sweep and again in its own
/// `_vjp`'s forward sweep, so code at call depth `d` runs `d + 1` times plus
/// its reverse. With the generator's three functions (depth at most 2) and
/// the analyses switched off (every statement active, everything recorded),
/// the measured ratio on seeds 1..1000 and 50000..50600 stays below 5.2 for
/// primals of 1000 steps or more (4.8 for seed 50480), and below 9 for
/// smaller ones, which the additive slack covers. A factor of 20 leaves room
/// for that and still reports a derivative whose cost grows faster than the
/// primal's (say, a callee replayed per iteration of an enclosing reversed
/// loop) once the primal is long enough, where a fixed limit only caught a
/// derivative that ran away altogether.
fn derivative_step_limit(primal_steps: usize) -> usize {
    20 * primal_steps + 10_000
}

fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    (a - b).abs() <= abs + rel * a.abs().max(b.abs())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn flat(u: &Inputs) -> Vec<f64> {
    std::iter::once(u.x)
        .chain(u.v.iter().copied())
        .chain(u.buf.iter().copied())
        .collect()
}

/// Checks whose primal did not run in the interpreter at the chosen input
/// (a step limit, or an operation it does not implement).
static SKIPPED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Checks whose primal overflowed to an infinity or NaN on the way, even
/// in a value that never reaches an output (see `Machine::saw_nonfinite`).
static NONFINITE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Checks function `name` on input `p`; `Err` describes a mismatch.
fn check(progs: &Programs, name: &str, p: &Inputs, rng: &mut Rng) -> Result<(), String> {
    let Primal {
        out: y,
        steps,
        nonfinite,
        largest,
    } = match primal(&progs.normal, name, p, MAX_STEPS) {
        Ok(r) => r,
        Err(e) => {
            // Counted and reported in the summary, so that a construct the
            // interpreter cannot run does not silently leave checks out.
            SKIPPED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if std::env::var("ADIFF_FUZZ_VERBOSE").is_ok() {
                eprintln!("  skipped {name} at {p:?}: {e}");
            }
            return Ok(());
        }
    };
    let limit = derivative_step_limit(steps);
    if nonfinite {
        // Counted apart: see `Machine::saw_nonfinite`.
        NONFINITE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Ok(());
    }
    if y.iter().any(|v| !v.is_finite() || v.abs() > 1e8) {
        return Ok(());
    }
    let u = Inputs {
        x: rng.uniform(-1.0, 1.0),
        v: p.v.iter().map(|_| rng.uniform(-1.0, 1.0)).collect(),
        n: p.n,
        buf: p.buf.iter().map(|_| rng.uniform(-1.0, 1.0)).collect(),
    };
    let w: Vec<f64> = y.iter().map(|_| rng.uniform(-1.0, 1.0)).collect();
    let (y1, ju) = jvp(&progs.normal, name, p, &u, limit)?;
    if y1 != y {
        return Err(format!("jvp's primal {y1:?} != {y:?}"));
    }
    let (y2, g) = vjp(&progs.normal, name, p, &w, limit)?;
    if y2.to_bits() != y[0].to_bits() {
        return Err(format!("vjp's primal {y2} != {}", y[0]));
    }
    let (lhs, rhs) = (dot(&w, &ju), dot(&g, &flat(&u)));
    let scale = w
        .iter()
        .zip(&ju)
        .map(|(a, b)| (a * b).abs())
        .sum::<f64>()
        .max(1.0);
    if !close(lhs, rhs, 1e-10, 1e-12 * scale) {
        return Err(format!(
            "dot-product test: <w, J u> = {lhs:e}, <J^T w, u> = {rhs:e}"
        ));
    }
    // Analyses switched off must not change results.
    let (_, ju_all) = jvp(&progs.all_active, name, p, &u, limit)?;
    let (_, g_all) = vjp(&progs.all_active, name, p, &w, limit)?;
    let (_, g_rec) = vjp(&progs.record_all, name, p, &w, limit)?;
    // Checkpointing replays the same arithmetic in the same order.
    let (_, g_ck) = vjp(&progs.checkpointed, name, p, &w, 64 * limit)?;
    for (what, a, b) in [
        ("jvp without activity analysis", &ju_all, &ju),
        ("vjp without activity analysis", &g_all, &g),
        ("vjp recording everything", &g_rec, &g),
        ("vjp with loops checkpointed", &g_ck, &g),
    ] {
        for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
            if !close(*x, *y, 1e-12, 1e-14) {
                return Err(format!("{what}: component {i} is {x:e}, not {y:e}"));
            }
        }
    }
    // Each output may be off by a few ulps of the primal's largest values
    // (see `Machine::largest_magnitude`), which a step `h` divides by `h`.
    let noise = |h: f64| 8.0 * f64::EPSILON * largest / h;
    second::check(&progs.normal, name, p, &u, y[0], limit, &noise)?;
    second::check_jvp_jvp(&progs.normal, name, p, &u, y[0], limit)?;
    // Finite differences where two step sizes agree.
    let shifted = |t: f64| Inputs {
        x: p.x + t * u.x,
        v: p.v.iter().zip(&u.v).map(|(a, b)| a + t * b).collect(),
        n: p.n,
        buf: p.buf.iter().zip(&u.buf).map(|(a, b)| a + t * b).collect(),
    };
    // The primal is the untransformed IR: a failure at a shifted input (a
    // trip count that grew past the limit) says nothing about derivatives,
    // so it only skips the comparison.
    let fd = |h: f64| -> Result<Vec<f64>, String> {
        let (a, b) = (
            primal(&progs.normal, name, &shifted(h), MAX_STEPS)?.out,
            primal(&progs.normal, name, &shifted(-h), MAX_STEPS)?.out,
        );
        Ok(a.iter().zip(&b).map(|(a, b)| (a - b) / (2.0 * h)).collect())
    };
    let (Ok(f1), Ok(f2)) = (fd(1e-5), fd(5e-6)) else {
        return Ok(());
    };
    for i in 0..ju.len() {
        if close(f1[i], f2[i], 1e-6, 1e-8 + noise(1e-5))
            && !close(ju[i], f2[i], 1e-5, 1e-6 + noise(5e-6))
        {
            // Both steps may straddle a piece of the function narrower than
            // either (a loop condition that flips within 1e-6 of the
            // point): then a step well inside the piece agrees with the
            // derivative. A wrong derivative disagrees at every step.
            let inside = fd(1e-7).map(|f3| close(ju[i], f3[i], 1e-5, 1e-6 + noise(1e-7)));
            if inside != Ok(true) {
                return Err(format!(
                    "output {i}: jvp {:e}, finite difference {:e}",
                    ju[i], f2[i]
                ));
            }
        }
    }
    Ok(())
}

/// Runs one program; returns the mismatches as (function index, message).
fn run_program(sources: &[String], seed: u64) -> Vec<(usize, Inputs, String)> {
    let verbose = std::env::var("ADIFF_FUZZ_VERBOSE").is_ok();
    let started = std::time::Instant::now();
    let built = build(sources);
    if verbose {
        eprintln!("  built in {:?}", started.elapsed());
    }
    let progs = match built {
        Ok(p) => p,
        Err(e) => return vec![(sources.len() - 1, inputs(&mut Rng::new(seed)), e)],
    };
    let mut out = Vec::new();
    let mut rng = Rng::new(seed.wrapping_mul(31));
    for (k, src) in sources.iter().enumerate() {
        let name = src.split(['(', ' ']).nth(1).unwrap_or_default().to_owned();
        if !name.starts_with('g') {
            // A helper of another signature (`hK`), checked through `gK`.
            continue;
        }
        for _ in 0..3 {
            let p = inputs(&mut rng);
            let mut r2 = rng.clone();
            let t = std::time::Instant::now();
            let result = check(&progs, &name, &p, &mut r2);
            if verbose {
                eprintln!("  checked {name} in {:?}", t.elapsed());
            }
            if let Err(e) = result {
                out.push((k, p, e));
                break;
            }
            rng = r2;
        }
    }
    out
}

#[test]
fn generated_programs_agree_across_modes() {
    let programs = adiff_fuzz::env_number("FUZZ_CASES").unwrap_or(400);
    let first = adiff_fuzz::env_number("FUZZ_SEED").unwrap_or(1);
    // Programs are independent, so they are shared out over the cores: this
    // is the longest test of the workspace, and the harness would otherwise
    // leave the other core idle while it runs. Thread `t` takes the seeds
    // `first + t`, `first + t + threads`, ...; results do not depend on it.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let mismatches: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(programs.max(1)))
            .map(|t| {
                scope.spawn(move || {
                    (first + t..first + programs)
                        .step_by(threads as usize)
                        .map(check_seed)
                        .sum::<usize>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a fuzz worker panicked"))
            .sum()
    });
    // Straight to stderr, so the line shows even when the test passes.
    let _ = writeln!(
        std::io::stderr(),
        "differential: {programs} programs, {mismatches} mismatches ({} checks skipped: the primal did not run in the interpreter; {} skipped: the primal overflowed); {} functions with checkpointed loops; second order: f_jvp_vjp checked at {} points, f_jvp_jvp at {}; #[hvp] rejected {} of {} compiled functions (differentiable values stored into `buf`, calls to such functions)",
        SKIPPED.load(std::sync::atomic::Ordering::Relaxed),
        NONFINITE.load(std::sync::atomic::Ordering::Relaxed),
        CHECKPOINTED.load(std::sync::atomic::Ordering::Relaxed),
        second::CHECKED.load(std::sync::atomic::Ordering::Relaxed),
        second::CHECKED_JVP_JVP.load(std::sync::atomic::Ordering::Relaxed),
        second::REJECTED.load(std::sync::atomic::Ordering::Relaxed),
        second::COMPILED.load(std::sync::atomic::Ordering::Relaxed)
    );
    assert_eq!(mismatches, 0, "see the reproducers above");
}

/// Checks the generated program of `seed`, printing a shrunk reproducer for
/// each mismatch; returns the number of mismatches.
fn check_seed(seed: u64) -> usize {
    if std::env::var("ADIFF_FUZZ_VERBOSE").is_ok() {
        eprintln!("seed {seed}");
    }
    // Helpers first: they are compiled with the program and checked
    // through their callers (`run_program` skips them).
    let program = adiff_fuzz::program(seed, 3);
    let sources: Vec<String> = program
        .helpers
        .into_iter()
        .chain(program.functions)
        .map(|f| f.source)
        .collect();
    let found = run_program(&sources, seed);
    for (k, p, msg) in &found {
        let fails = |srcs: &[String]| -> bool {
            let Ok(progs) = build(srcs) else { return false };
            let name = srcs[*k]
                .split(['(', ' '])
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let mut rng = Rng::new(seed.wrapping_mul(31));
            matches!(check(&progs, &name, p, &mut rng), Err(e) if e.split(':').next() == msg.split(':').next())
        };
        let small = shrink(&sources, *k, &fails);
        eprintln!("MISMATCH seed {seed}, function {k}, at {p:?}: {msg}\nreproducer:\n{small}");
    }
    found.len()
}

/// A recorded finding's program: the base generator, which gives the same
/// program for the seed as when it was found.
fn generated_sources(seed: u64) -> Vec<String> {
    adiff_fuzz::base_program(seed, 3)
        .functions
        .into_iter()
        .map(|f| f.source)
        .collect()
}

/// Runs `check` on the last function of `sources` at `p`, with several
/// directions, and fails with the mismatch.
fn assert_agree(sources: &[String], p: &Inputs) {
    let progs = build(sources).unwrap_or_else(|e| panic!("{e}"));
    let last = &sources[sources.len() - 1];
    let name = last.split(['(', ' ']).nth(1).unwrap_or_default();
    for seed in 0..4 {
        if let Err(e) = check(&progs, name, p, &mut Rng::new(seed)) {
            panic!("{name} at {p:?}, directions {seed}: {e}");
        }
    }
}

/// The generator's inputs for issue 22's reproducers (`v` and `buf` as the
/// fuzzer found them for seed 50595).
fn issue_22_inputs(x: f64, n: usize) -> Inputs {
    Inputs {
        x,
        v: vec![-0.6138234778728492, 1.393397545556513],
        n,
        buf: vec![
            0.8424803765392179,
            -0.583270488080933,
            0.8582034011996384,
            -0.17948065618371567,
        ],
    }
}

/// Issue 22, seed 50595: the final loop of `g1` updates `s1 -= t` and
/// `acc += s1`. One accumulator's update reading another made the loop
/// order-dependent, but accumulator updates were exempt from that check, so
/// the loop was fused with a constant `s1_bar`. The fuzzer saw it in `g2`,
/// whose loops carry `g1`'s result into `buf`; `g1` itself went unnoticed
/// because none of its three random inputs had `n ≥ 2`.
#[test]
fn seed_50595_accumulator_read_by_accumulator() {
    let sources = generated_sources(50595);
    let found = run_program(&sources, 50595);
    assert!(
        found.is_empty(),
        "{:?}",
        found.iter().map(|m| &m.2).collect::<Vec<_>>()
    );
    // The shrunk reproducer at the input the fuzzer found.
    let shrunk = "fn g2(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64 {
        let mut a: [f64; 4] = [0.25, -0.5, 0.75, 1.0];
        let mut s0: f64 = x * 0.5 + v[0];
        s0 *= (g1(((a[(n + 3) % 4]).tanh()).exp_m1(), v, n, buf)).tanh() * 0.5 + 1.0;
        for i0 in (0..n).rev() {
            for i1 in (0..((x * x * 2.0) as usize % 4 + 1)).rev() {
                buf[(i1 + 1) % 4] += s0;
                if (s0 * v[1 % v.len()]) > (i0 as f64 * 0.5) {
                    continue;
                }
            }
        }
        ((0.47_f64).tanh() * 1.2).tan() + a[1] * 0.5 + buf[0]
    }";
    let mut srcs = sources[..2].to_vec();
    srcs.push(shrunk.to_owned());
    assert_agree(&srcs, &issue_22_inputs(-1.053715580043928, 2));
    // `g1` alone, at the argument `g2` passes it.
    for n in 1..4 {
        assert_agree(
            &sources[..2],
            &issue_22_inputs((-0.5f64).tanh().exp_m1(), n),
        );
    }
}

/// Issue 22, minimal form: accumulators that feed each other, in a final
/// loop (fused) and in a loop followed by more code (reversed in forward
/// iteration order when order-free). Both need the reverse order.
#[test]
fn accumulator_read_by_another_accumulator() {
    let body = "let mut s1: f64 = x * 0.5 + v[0];
        let mut acc: f64 = 0.0;
        for i in 0..n {
            s1 -= buf[i % 4] - x;
            acc += s1;
        }";
    let sig = "(x: f64, v: &[f64], n: usize, buf: &mut [f64]) -> f64";
    for src in [
        format!("fn last{sig} {{ {body} acc }}"),
        format!("fn middle{sig} {{ {body} buf[3] = acc * x; acc.sin() }}"),
    ] {
        assert_agree(&[src], &issue_22_inputs(0.2, 3));
    }
}

/// Issue 22, seed 50480: `g2` calls `g1` nine times in nested loops and
/// `g1` calls `g0` in loops, so the primal takes 143k steps and the reverse
/// sweep with the analyses switched off took more than the interpreter's
/// fixed 500k. The derivative is right and costs about 4.8 primals; the
/// limit is now relative (`derivative_step_limit`).
#[test]
fn seed_50480_long_primal_within_step_limit() {
    let sources = generated_sources(50480);
    let found = run_program(&sources, 50480);
    assert!(
        found.is_empty(),
        "{:?}",
        found.iter().map(|m| &m.2).collect::<Vec<_>>()
    );
}

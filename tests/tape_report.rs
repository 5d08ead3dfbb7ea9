//! The tape report: what `f_vjp_tapes()` (and the `_vjp`'s doc comment)
//! says the reverse sweep records, checked against the pushes the runtime
//! counts (feature `stats`). One `#[test]` in this file, so no other test
//! thread pushes while it counts. Index loops on purpose: their headers
//! give the counts.
#![allow(clippy::needless_range_loop)]

use adiff::{grad, vjp, TapeInfo};
use adiff_runtime::tape_pushes;
use approx::assert_relative_eq;
use std::collections::HashMap;

/// Overwrites `s` in every iteration: one `f64` per iteration.
#[vjp]
fn decay(x: &[f64]) -> f64 {
    let mut s = 1.0;
    for i in 0..x.len() {
        s = (s * x[i]).sin();
    }
    s
}

/// Two nested loops: `n·x.len()` values.
#[vjp]
fn nested(x: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for _ in 0..n {
        for j in 0..x.len() {
            s = (s + x[j]).tanh();
        }
    }
    s
}

/// A `while` loop: its iterations have no count in the header (`k1`).
#[vjp]
fn grow(x: f64) -> f64 {
    let mut s = 0.5;
    let mut k = 0;
    while s < 10.0 && k < 50 {
        s = s * 1.5 + x * x;
        k += 1;
    }
    s
}

/// `decay`, checkpointed: the tapes hold one iteration at a time, and the
/// snapshots are listed as `checkpoints`.
#[vjp]
#[allow(dead_code)]
fn decay_checkpointed(x: &[f64]) -> f64 {
    let mut s = 1.0;
    #[checkpoint(snapshots = 3)]
    for i in 0..x.len() {
        s = (s * x[i]).sin();
    }
    s
}

/// Straight-line code records nothing.
#[grad]
fn straight(x: f64, y: f64) -> f64 {
    let a = x * y;
    a.sin() + y.exp()
}

/// A push inside a branch: the count is an upper bound.
#[vjp]
fn some_steps(x: &[f64]) -> f64 {
    let mut s = 1.0;
    for i in 0..x.len() {
        if x[i] > 0.0 {
            s = (s * x[i]).cos();
        }
    }
    s
}

/// The value of a count formula (`2·n + x.len()`, `≤ k1`) with the loop
/// trip counts in `vars`.
fn eval(count: &str, vars: &HashMap<&str, usize>) -> usize {
    count
        .trim_start_matches("≤ ")
        .split(" + ")
        .map(|term| {
            term.split('·')
                .map(|f| {
                    f.parse::<usize>().unwrap_or_else(|_| {
                        *vars
                            .get(f)
                            .unwrap_or_else(|| panic!("no value for `{f}` in `{count}`"))
                    })
                })
                .product::<usize>()
        })
        .sum()
}

fn total(tapes: &[TapeInfo], vars: &HashMap<&str, usize>) -> usize {
    tapes.iter().map(|t| eval(t.count, vars)).sum()
}

#[test]
fn the_report_matches_the_pushes_counted() {
    let x = [0.3, -0.7, 0.9, 0.4, -0.2, 0.8, 0.5];

    // decay: one f64 per iteration, `x.len()` in all.
    let tapes = decay_vjp_tapes();
    assert!(!tapes.is_empty());
    assert!(tapes.iter().all(|t| t.elem == "f64"), "{tapes:?}");
    assert!(tapes.iter().any(|t| t.count == "x.len()"), "{tapes:?}");
    let vars = HashMap::from([("x.len()", x.len())]);
    let mut g = [0.0; 7];
    let before = tape_pushes();
    let v = decay_vjp(&x, &mut g, 1.0);
    assert_eq!(tape_pushes() - before, total(tapes, &vars));
    assert_eq!(v, decay(&x));

    // nested: `n·x.len()`.
    let tapes = nested_vjp_tapes();
    assert!(tapes.iter().any(|t| t.count == "n·x.len()"), "{tapes:?}");
    assert!(
        tapes
            .iter()
            .any(|t| t.pushed.iter().any(|p| p.contains("in `for"))),
        "{tapes:?}"
    );
    for n in [0, 1, 3] {
        let vars = HashMap::from([("x.len()", x.len()), ("n", n)]);
        let mut g = [0.0; 7];
        let before = tape_pushes();
        let v = nested_vjp(&x, &mut g, n, 1.0);
        assert_eq!(tape_pushes() - before, total(tapes, &vars), "n = {n}");
        assert_eq!(v, nested(&x, n));
    }

    // grow: `k1` iterations of the `while` loop.
    let tapes = grow_vjp_tapes();
    assert!(tapes.iter().any(|t| t.count.contains("k1")), "{tapes:?}");
    for x0 in [0.1, 1.0, 2.5] {
        let mut s: f64 = 0.5;
        let mut k1 = 0;
        while s < 10.0 && k1 < 50 {
            s = s * 1.5 + x0 * x0;
            k1 += 1;
        }
        let vars = HashMap::from([("k1", k1)]);
        let mut b = 0.0;
        let before = tape_pushes();
        grow_vjp(x0, &mut b, 1.0);
        assert_eq!(tape_pushes() - before, total(tapes, &vars), "x = {x0}");
        let h = 1e-6;
        assert_relative_eq!(
            b,
            (grow(x0 + h) - grow(x0 - h)) / (2.0 * h),
            max_relative = 1e-5
        );
    }

    // decay_checkpointed: each iteration is turned once, pushing one
    // iteration's values, which the report sizes per turn.
    let tapes = decay_checkpointed_vjp_tapes();
    let (snapshots, rest): (Vec<&TapeInfo>, Vec<&TapeInfo>) =
        tapes.iter().partition(|t| t.tape == "checkpoints");
    // The snapshot of the loop's start, once per call.
    let (entry, turn): (Vec<&TapeInfo>, Vec<&TapeInfo>) = rest
        .into_iter()
        .partition(|t| t.tape == "checkpoint_entry_tape");
    assert_eq!(entry.len(), 1, "{tapes:?}");
    assert_eq!(
        (entry[0].count, entry[0].pushed),
        ("1", &["once per call"][..])
    );
    assert_eq!(snapshots.len(), 1, "{tapes:?}");
    assert_eq!(snapshots[0].count, "≤ 3", "{tapes:?}");
    assert!(!turn.is_empty());
    assert!(
        turn.iter().all(|t| t
            .pushed
            .iter()
            .all(|p| p.contains("checkpointed: one iteration at a time"))),
        "{tapes:?}"
    );
    let per_turn: usize = turn.iter().map(|t| eval(t.count, &HashMap::new())).sum();
    let mut g = [0.0; 7];
    let before = tape_pushes();
    let v = decay_checkpointed_vjp(&x, &mut g, 1.0);
    assert_eq!(tape_pushes() - before, per_turn * x.len() + 1);
    assert_eq!(v, decay(&x));
    let mut g_plain = [0.0; 7];
    decay_vjp(&x, &mut g_plain, 1.0);
    assert_eq!(g, g_plain);

    // straight: nothing.
    assert!(straight_vjp_tapes().is_empty());
    let before = tape_pushes();
    let (v, (gx, gy)) = straight_grad(0.4, 1.2);
    assert_eq!(tape_pushes() - before, 0);
    assert_eq!(v, straight(0.4, 1.2));
    assert_relative_eq!(gx, 1.2 * (0.48_f64).cos(), max_relative = 1e-14);
    assert_relative_eq!(
        gy,
        0.4 * (0.48_f64).cos() + (1.2_f64).exp(),
        max_relative = 1e-14
    );

    // some_steps: an upper bound, reached when every element is positive.
    let tapes = some_steps_vjp_tapes();
    assert!(tapes.iter().any(|t| t.count == "≤ x.len()"), "{tapes:?}");
    let vars = HashMap::from([("x.len()", x.len())]);
    let mut g = [0.0; 7];
    let before = tape_pushes();
    let v = some_steps_vjp(&x, &mut g, 1.0);
    assert!(tape_pushes() - before <= total(tapes, &vars));
    assert_eq!(v, some_steps(&x));
    let positive = x.map(f64::abs);
    let before = tape_pushes();
    some_steps_vjp(&positive, &mut g, 1.0);
    assert_eq!(tape_pushes() - before, total(tapes, &vars));
}

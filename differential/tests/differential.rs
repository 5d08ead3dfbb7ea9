//! Runs every generated function (see `build.rs`) on random inputs:
//! - the JVP against central finite differences, where the function is
//!   smooth near the input (two step sizes agree);
//! - the dot-product test ⟨w, J·u⟩ = ⟨Jᵀ·w, u⟩ between `_jvp` and `_vjp`;
//! - the primal value returned by both derivatives against `f`;
//! - vector mode (`_jvpw`, 4 directions in one sweep) lane by lane against
//!   the scalar `_jvp` along each direction, and its primal against `f`.
//!
//! Prints `differential: N programs, M mismatches` and fails on any
//! mismatch, printing the function's source.

use adiff_differential::{Case, CASES, L, LANES};
use adiff_fuzz::{inputs, Inputs, Rng};
use std::io::Write;

/// Outputs: the return value followed by the final buffer.
fn run(case: &Case, p: &Inputs) -> Vec<f64> {
    let mut buf = p.buf.clone();
    let y = (case.f)(p.x, &p.v, p.n, &mut buf);
    std::iter::once(y).chain(buf).collect()
}

fn axpy(p: &Inputs, u: &Inputs, t: f64) -> Inputs {
    Inputs {
        x: p.x + t * u.x,
        v: p.v.iter().zip(&u.v).map(|(a, b)| a + t * b).collect(),
        n: p.n,
        buf: p.buf.iter().zip(&u.buf).map(|(a, b)| a + t * b).collect(),
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    (a - b).abs() <= abs + rel * a.abs().max(b.abs())
}

/// Checks one case on one input; `Err` describes a mismatch.
fn check(case: &Case, p: &Inputs, rng: &mut Rng) -> Result<bool, String> {
    let y = run(case, p);
    if y.iter().any(|v| !v.is_finite() || v.abs() > 1e8) {
        return Ok(false);
    }
    let u = Inputs {
        x: rng.uniform(-1.0, 1.0),
        v: p.v.iter().map(|_| rng.uniform(-1.0, 1.0)).collect(),
        n: p.n,
        buf: p.buf.iter().map(|_| rng.uniform(-1.0, 1.0)).collect(),
    };
    // Forward mode.
    let mut buf = p.buf.clone();
    let mut buf_dot = u.buf.clone();
    let (y_jvp, ret_dot) = (case.jvp)(p.x, u.x, &p.v, &u.v, p.n, &mut buf, &mut buf_dot);
    if y_jvp.to_bits() != y[0].to_bits() || buf != y[1..] {
        return Err(format!(
            "jvp primal {y_jvp} (buf {buf:?}) != f {} (buf {:?})",
            y[0],
            &y[1..]
        ));
    }
    let ju: Vec<f64> = std::iter::once(ret_dot).chain(buf_dot).collect();
    // Reverse mode.
    let w: Vec<f64> = y.iter().map(|_| rng.uniform(-1.0, 1.0)).collect();
    let mut buf = p.buf.clone();
    let mut buf_bar = w[1..].to_vec();
    let (mut x_bar, mut v_bar) = (0.0, vec![0.0; p.v.len()]);
    let y_vjp = (case.vjp)(
        p.x,
        &mut x_bar,
        &p.v,
        &mut v_bar,
        p.n,
        &mut buf,
        &mut buf_bar,
        w[0],
    );
    if y_vjp.to_bits() != y[0].to_bits() {
        return Err(format!("vjp primal {y_vjp} != f {}", y[0]));
    }
    let lhs = dot(&w, &ju);
    let rhs = x_bar * u.x + dot(&v_bar, &u.v) + dot(&buf_bar, &u.buf);
    let scale = w
        .iter()
        .zip(&ju)
        .map(|(a, b)| (a * b).abs())
        .sum::<f64>()
        .max(1e-300);
    if !close(lhs, rhs, 1e-10, 1e-12 * scale.max(1.0)) {
        return Err(format!(
            "dot-product test: <w, J u> = {lhs:e} but <J^T w, u> = {rhs:e}"
        ));
    }
    // Finite differences, where two step sizes agree (no kink or jump nearby).
    let fd = |h: f64| -> Vec<f64> {
        let (a, b) = (run(case, &axpy(p, &u, h)), run(case, &axpy(p, &u, -h)));
        a.iter().zip(&b).map(|(a, b)| (a - b) / (2.0 * h)).collect()
    };
    let (f1, f2) = (fd(1e-5), fd(5e-6));
    let mut checked = false;
    for i in 0..ju.len() {
        if close(f1[i], f2[i], 1e-6, 1e-8) {
            checked = true;
            if !close(ju[i], f2[i], 1e-5, 1e-6) {
                return Err(format!(
                    "output {i}: jvp {:e} but finite difference {:e}",
                    ju[i], f2[i]
                ));
            }
        }
    }
    Ok(checked)
}

/// Vector mode against scalar mode: one `_jvpw` sweep of `LANES` random
/// directions, each lane against `_jvp` along its direction. Directions
/// come from their own stream, so the other checks' inputs stay as they
/// were. Returns the number of lanes compared.
fn check_lanes(case: &Case, p: &Inputs, rng: &mut Rng) -> Result<usize, String> {
    let y = run(case, p);
    if y.iter().any(|v| !v.is_finite() || v.abs() > 1e8) {
        return Ok(0);
    }
    let mut dir = |len: usize| -> Vec<[f64; LANES]> {
        (0..len)
            .map(|_| std::array::from_fn(|_| rng.uniform(-1.0, 1.0)))
            .collect()
    };
    let (dx, dv, dbuf) = (dir(1)[0], dir(p.v.len()), dir(p.buf.len()));
    let lanes = |d: &[[f64; LANES]]| -> Vec<L> { d.iter().map(|a| adiff::Lanes(*a)).collect() };
    let mut buf = p.buf.clone();
    let mut buf_dot = lanes(&dbuf);
    let (yw, tw) = (case.jvpw)(
        p.x,
        adiff::Lanes(dx),
        &p.v,
        &lanes(&dv),
        p.n,
        &mut buf,
        &mut buf_dot,
    );
    if yw.to_bits() != y[0].to_bits() || buf != y[1..] {
        return Err(format!(
            "jvpw primal {yw} (buf {buf:?}) != f {} (buf {:?})",
            y[0],
            &y[1..]
        ));
    }
    for k in 0..LANES {
        let lane = |d: &[[f64; LANES]]| -> Vec<f64> { d.iter().map(|a| a[k]).collect() };
        let mut buf = p.buf.clone();
        let mut bd = lane(&dbuf);
        let (_, t) = (case.jvp)(p.x, dx[k], &p.v, &lane(&dv), p.n, &mut buf, &mut bd);
        let scalar = std::iter::once(t).chain(bd);
        let vector = std::iter::once(tw.lane(k)).chain(buf_dot.iter().map(|l| l.lane(k)));
        for (i, (a, b)) in scalar.zip(vector).enumerate() {
            if !close(a, b, 1e-12, 1e-14) {
                return Err(format!("lane {k}, output {i}: jvpw {b:e} but jvp {a:e}"));
            }
        }
    }
    Ok(LANES)
}

#[test]
fn generated_functions_agree() {
    let mut rng = Rng::new(12345);
    let mut lane_rng = Rng::new(54321);
    let (mut mismatches, mut fd_checked, mut evaluations, mut lanes) = (0, 0, 0, 0);
    let mut programs = std::collections::HashSet::new();
    for case in CASES {
        programs.insert(case.name.split(' ').nth(1).unwrap_or_default());
        for _ in 0..4 {
            let p = inputs(&mut rng);
            evaluations += 1;
            let outcome = check(case, &p, &mut rng).and_then(|fd| {
                lanes += check_lanes(case, &p, &mut lane_rng)?;
                Ok(fd)
            });
            match outcome {
                Ok(true) => fd_checked += 1,
                Ok(false) => {}
                Err(e) => {
                    mismatches += 1;
                    eprintln!(
                        "MISMATCH in {} at x = {}, v = {:?}, n = {}, buf = {:?}: {e}\n{}\n",
                        case.name, p.x, p.v, p.n, p.buf, case.source
                    );
                }
            }
        }
    }
    // Straight to stderr, so the lines show even when the test passes.
    let mut err = std::io::stderr();
    let _ = writeln!(
        err,
        "differential: {} programs, {mismatches} mismatches",
        programs.len()
    );
    let _ = writeln!(
        err,
        "  ({} functions, {evaluations} evaluations, {fd_checked} also checked against finite differences, {lanes} vector-mode lanes checked against scalar jvp)",
        CASES.len()
    );
    assert_eq!(mismatches, 0, "see the reproducers above");
}

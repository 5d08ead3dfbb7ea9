//! The second-order check: `f_jvp_vjp` (reverse mode over forward mode's
//! output, what `f_hvp` calls) against the first-order derivatives.
//!
//! For a generated `f(x, v, n, buf)`, the derivative is taken with respect
//! to `x` and `v` (`buf` is a constant, as `#[hvp]` takes no differentiable
//! `&mut`). Programs that `#[hvp]` rejects (a call to another function, an
//! active value stored into `buf`) are not checked, and counted apart. For
//! the others, with cotangent `(0, 1)` and direction `u`:
//! - the value is the primal's, bit for bit;
//! - the adjoint of the tangent is the gradient, as `f_vjp` gives it;
//! - the adjoint of the primal is `H · u`, against central differences of
//!   `f_vjp`'s gradient along `u`, where two step sizes agree.

use std::sync::atomic::{AtomicUsize, Ordering};

use adiff_fuzz::Inputs;

use super::close;
use super::runs::{array, floats, vjp};
use crate::convention::Kind;
use crate::interp::{Machine, Program, V};
use crate::ir::Op;

/// Input points at which an `f_jvp_vjp` was checked; functions compiled
/// (helpers and shrinking candidates included) and those of them that
/// `#[hvp]` rejects.
pub static CHECKED: AtomicUsize = AtomicUsize::new(0);
pub static COMPILED: AtomicUsize = AtomicUsize::new(0);
pub static REJECTED: AtomicUsize = AtomicUsize::new(0);

/// Input points at which an `f_jvp_jvp` was checked.
pub static CHECKED_JVP_JVP: AtomicUsize = AtomicUsize::new(0);

/// `wrt` for the generated signature `(x, v, n, buf)`: `x` and `v`.
pub const WRT: [bool; 4] = [true, true, false, false];

/// Removes each `_jvp_vjp` that calls, directly or through another, a
/// callee's `_jvp_vjp` that does not exist (`#[hvp]` rejected the callee)
/// or takes other arguments: with the macros, rustc would reject the call,
/// so the caller is rejected too, and counted so.
pub fn drop_unresolved(prog: &mut Program) {
    let removed = drop_unresolved_of(prog, Kind::JvpVjp);
    REJECTED.fetch_add(removed, Ordering::Relaxed);
}

/// Removes each derivative of kind `kind` (`_jvp_vjp`, `_jvp_jvp`) that
/// calls, directly or through another, a callee's derivative of that kind
/// which does not exist or takes other arguments (a callee whose `buf` is
/// a constant, passed an active buffer), as rustc would reject it.
/// Returns how many it removed.
pub fn drop_unresolved_of(prog: &mut Program, kind: Kind) -> usize {
    let suffix = kind.suffix();
    let mut removed = 0;
    loop {
        let missing: Vec<String> = prog
            .iter()
            .filter(|(name, _)| name.ends_with(suffix))
            .filter(|(_, f)| {
                let mut unresolved = false;
                crate::ir::for_each_stmt(&f.body, &mut |s| {
                    if let Some(Op::Call(c, args)) = s.op() {
                        if c.derivative == Some(kind) {
                            let callee = c.path.segments.last().map(|l| l.ident.to_string());
                            let name = format!("{}{suffix}", callee.unwrap_or_default());
                            unresolved |=
                                prog.get(&name).is_none_or(|g| g.params.len() != args.len());
                        }
                    }
                });
                unresolved
            })
            .map(|(name, _)| name.clone())
            .collect();
        if missing.is_empty() {
            return removed;
        }
        for name in missing {
            prog.remove(&name);
            removed += 1;
        }
    }
}

/// Forward over forward: `name_jvp_jvp` with the outer direction `u` and
/// the inner `w` (and a zero tangent of `w`) returns `((y, y_w), (y_u,
/// uᵀ·H·w))`. The value is the primal's bit for bit; `y_w` and `y_u` are
/// `f_jvp`'s along `w` and `u`; `uᵀ·H·w` is `⟨H·u, w⟩` from `f_jvp_vjp`
/// (reverse over forward) where it exists.
pub fn check_jvp_jvp(
    prog: &Program,
    name: &str,
    p: &Inputs,
    u: &Inputs,
    y: f64,
    limit: usize,
) -> Result<(), String> {
    if !prog.contains_key(&format!("{name}_jvp_jvp")) {
        return Ok(());
    }
    CHECKED_JVP_JVP.fetch_add(1, Ordering::Relaxed);
    let zero_buf = vec![0.0; p.buf.len()];
    let u = Inputs {
        buf: zero_buf.clone(),
        ..u.clone()
    };
    // A second direction, unlike `u`.
    let w = Inputs {
        x: 0.3 - 0.5 * u.x,
        v: u.v.iter().rev().map(|a| 0.7 * a - 0.2).collect(),
        n: u.n,
        buf: zero_buf,
    };
    let zeros = vec![0.0; p.v.len()];
    let mut mem = vec![
        array(&p.v),
        array(&u.v),
        array(&w.v),
        array(&zeros),
        array(&p.buf),
    ];
    let mut m = Machine::new(prog, 4 * limit);
    let args = vec![
        V::F(p.x),
        V::F(u.x),
        V::F(w.x),
        V::F(0.0),
        Machine::buffer_ref(0),
        Machine::buffer_ref(1),
        Machine::buffer_ref(2),
        Machine::buffer_ref(3),
        V::I(p.n as i64),
        Machine::buffer_ref(4),
    ];
    let out = floats(&m.run(&format!("{name}_jvp_jvp"), args, &mut mem)?);
    let [value, y_w, y_u, uhw] = out[..] else {
        return Err(format!("jvp_jvp returned {} floats, not 4", out.len()));
    };
    if value.to_bits() != y.to_bits() {
        return Err(format!("jvp_jvp's primal {value} != {y}"));
    }
    for (what, got, dir) in [("inner", y_w, &w), ("outer", y_u, &u)] {
        let (_, dy) = super::runs::jvp(prog, name, p, dir, limit)?;
        if !close(got, dy[0], 1e-12, 1e-14) {
            return Err(format!(
                "jvp_jvp's {what} tangent {got:e}, f_jvp's {:e}",
                dy[0]
            ));
        }
    }
    if prog.contains_key(&format!("{name}_jvp_vjp")) {
        let (_, _, hu) = jvp_vjp(prog, name, p, &u, 4 * limit)?;
        let wf: Vec<f64> = std::iter::once(w.x).chain(w.v.iter().copied()).collect();
        let want: f64 = hu.iter().zip(&wf).map(|(a, b)| a * b).sum();
        let scale = hu
            .iter()
            .zip(&wf)
            .map(|(a, b)| (a * b).abs())
            .sum::<f64>()
            .max(1.0);
        if !close(uhw, want, 1e-10, 1e-12 * scale) {
            return Err(format!(
                "uᵀ·H·w: forward over forward {uhw:e}, reverse over forward {want:e}"
            ));
        }
    }
    Ok(())
}

/// `(value, gradient, H·u)` over `(x, v)` from `name_jvp_vjp`.
fn jvp_vjp(
    prog: &Program,
    name: &str,
    p: &Inputs,
    u: &Inputs,
    limit: usize,
) -> Result<(f64, Vec<f64>, Vec<f64>), String> {
    let zeros = vec![0.0; p.v.len()];
    let mut mem = vec![
        V::F(0.0),
        V::F(0.0),
        array(&p.v),
        array(&zeros),
        array(&u.v),
        array(&zeros),
        array(&p.buf),
    ];
    let mut m = Machine::new(prog, limit);
    let args = vec![
        V::F(p.x),
        Machine::buffer_ref(0),
        V::F(u.x),
        Machine::buffer_ref(1),
        Machine::buffer_ref(2),
        Machine::buffer_ref(3),
        Machine::buffer_ref(4),
        Machine::buffer_ref(5),
        V::I(p.n as i64),
        Machine::buffer_ref(6),
        V::T(vec![V::F(0.0), V::F(1.0)]),
    ];
    let out = floats(&m.run(&format!("{name}_jvp_vjp"), args, &mut mem)?);
    let grad = floats(&mem[1]).into_iter().chain(floats(&mem[5])).collect();
    let hv = floats(&mem[0]).into_iter().chain(floats(&mem[3])).collect();
    Ok((out[0], grad, hv))
}

/// The gradient over `(x, v)` from `f_vjp` with cotangent 1 on the value.
fn gradient(prog: &Program, name: &str, p: &Inputs, limit: usize) -> Result<Vec<f64>, String> {
    let mut w = vec![0.0; 1 + p.buf.len()];
    w[0] = 1.0;
    let (_, g) = vjp(prog, name, p, &w, limit)?;
    Ok(g[..1 + p.v.len()].to_vec())
}

/// Runs the check when `name_jvp_vjp` exists; `y` is the primal's value.
pub fn check(
    prog: &Program,
    name: &str,
    p: &Inputs,
    u: &Inputs,
    y: f64,
    limit: usize,
    noise: &dyn Fn(f64) -> f64,
) -> Result<(), String> {
    if !prog.contains_key(&format!("{name}_jvp_vjp")) {
        return Ok(());
    }
    CHECKED.fetch_add(1, Ordering::Relaxed);
    // The direction moves `x` and `v` only: `buf` is a constant here.
    let u = Inputs {
        buf: vec![0.0; p.buf.len()],
        ..u.clone()
    };
    let (value, grad, hv) = jvp_vjp(prog, name, p, &u, 4 * limit)?;
    if value.to_bits() != y.to_bits() {
        return Err(format!("jvp_vjp's primal {value} != {y}"));
    }
    let g = gradient(prog, name, p, limit)?;
    for (i, (a, b)) in grad.iter().zip(&g).enumerate() {
        if !close(*a, *b, 1e-12, 1e-14) {
            return Err(format!(
                "jvp_vjp's gradient: component {i} is {a:e}, f_vjp's {b:e}"
            ));
        }
    }
    let shifted = |t: f64| Inputs {
        x: p.x + t * u.x,
        v: p.v.iter().zip(&u.v).map(|(a, b)| a + t * b).collect(),
        n: p.n,
        buf: p.buf.clone(),
    };
    let fd = |h: f64| -> Result<Vec<f64>, String> {
        let (a, b) = (
            gradient(prog, name, &shifted(h), limit)?,
            gradient(prog, name, &shifted(-h), limit)?,
        );
        Ok(a.iter().zip(&b).map(|(a, b)| (a - b) / (2.0 * h)).collect())
    };
    let (Ok(f1), Ok(f2)) = (fd(1e-5), fd(5e-6)) else {
        return Ok(());
    };
    for i in 0..hv.len() {
        if close(f1[i], f2[i], 1e-6, 1e-8 + noise(1e-5))
            && !close(hv[i], f2[i], 1e-5, 1e-6 + noise(5e-6))
        {
            // As for the JVP: both steps may straddle a narrow piece.
            let inside = fd(1e-7).map(|f3| close(hv[i], f3[i], 1e-5, 1e-6 + noise(1e-7)));
            if inside != Ok(true) {
                return Err(format!(
                    "H·u component {i}: jvp_vjp {:e}, differences of the gradient {:e}",
                    hv[i], f2[i]
                ));
            }
        }
    }
    Ok(())
}

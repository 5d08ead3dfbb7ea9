//! saddle (§3.4): the saddle point of `f(x, y) = ‖x‖² − ‖y‖²` by nested
//! gradient descent. The inner problem maximises over `y` with the shared
//! solver's algorithm and the inner gradient `∇_y f`; the outer one
//! minimises the inner maximum over `x`, differentiating through the whole
//! inner ascent (a data-dependent loop that calls `∇_y f`).
//!
//! The four functions pick the two modes, outer first: the outer gradient
//! is `max_r_grad`/`max_f_grad` (reverse) or `max_r_jvp`/`max_f_jvp`
//! (forward), and `max_r` calls `f_grad` (inner reverse) where `max_f`
//! calls `f_jvp` (inner forward). Their derivatives call `f_grad_vjp`,
//! `f_jvp_vjp`, `f_grad_jvp` and `f_jvp_jvp`, from `#[grad(nested)]` and
//! `#[jvp(nested)]`.

use adiff::{grad, jvp};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{measure, parse, solver, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    start: Vec<f64>,
}

/// `(x0² + x1²) − (y0² + y1²)`.
#[jvp(nested)]
#[grad(wrt(y0, y1), nested)]
pub fn f(x0: f64, x1: f64, y0: f64, y1: f64) -> f64 {
    (x0 * x0 + x1 * x1) - (y0 * y0 + y1 * y1)
}

/// `max_y f(x, y)`, by the shared solver's ascent from `(s0, s1)` with
/// `∇_y f` from reverse mode (`f_grad`).
#[jvp]
#[grad(wrt(x0, x1))]
#[allow(clippy::float_cmp)]
pub fn max_r(x0: f64, x1: f64, s0: f64, s1: f64) -> f64 {
    // argmax(F, ∇F) is argmin(−F, −∇F).
    let (mut y0, mut y1) = (s0, s1);
    let mut fy = -f(x0, x1, y0, y1);
    let (_, (mut g0, mut g1)) = f_grad(x0, x1, y0, y1);
    g0 = -g0;
    g1 = -g1;
    let mut i = 0;
    let mut eta = 1e-5;
    loop {
        if (g0 * g0 + g1 * g1).sqrt() <= 1e-5 {
            break;
        }
        if i == 10 {
            eta *= 2.0;
            i = 0;
            continue;
        }
        let (n0, n1) = (y0 - eta * g0, y1 - eta * g1);
        let (d0, d1) = (y0 - n0, y1 - n1);
        if (d0 * d0 + d1 * d1).sqrt() <= 1e-5 {
            break;
        }
        let f_next = -f(x0, x1, n0, n1);
        if f_next < fy {
            y0 = n0;
            y1 = n1;
            fy = f_next;
            let (_, (h0, h1)) = f_grad(x0, x1, y0, y1);
            g0 = -h0;
            g1 = -h1;
            i += 1;
        } else {
            eta /= 2.0;
            i = 0;
        }
    }
    f(x0, x1, y0, y1)
}

/// [`max_r`] with `∇_y f` from two forward-mode derivatives (`f_jvp`).
#[jvp]
#[grad(wrt(x0, x1))]
pub fn max_f(x0: f64, x1: f64, s0: f64, s1: f64) -> f64 {
    let (mut y0, mut y1) = (s0, s1);
    let mut fy = -f(x0, x1, y0, y1);
    let (_, mut g0) = f_jvp(x0, 0.0, x1, 0.0, y0, 1.0, y1, 0.0);
    let (_, mut g1) = f_jvp(x0, 0.0, x1, 0.0, y0, 0.0, y1, 1.0);
    g0 = -g0;
    g1 = -g1;
    let mut i = 0;
    let mut eta = 1e-5;
    loop {
        if (g0 * g0 + g1 * g1).sqrt() <= 1e-5 {
            break;
        }
        if i == 10 {
            eta *= 2.0;
            i = 0;
            continue;
        }
        let (n0, n1) = (y0 - eta * g0, y1 - eta * g1);
        let (d0, d1) = (y0 - n0, y1 - n1);
        if (d0 * d0 + d1 * d1).sqrt() <= 1e-5 {
            break;
        }
        let f_next = -f(x0, x1, n0, n1);
        if f_next < fy {
            y0 = n0;
            y1 = n1;
            fy = f_next;
            let (_, h0) = f_jvp(x0, 0.0, x1, 0.0, y0, 1.0, y1, 0.0);
            let (_, h1) = f_jvp(x0, 0.0, x1, 0.0, y0, 0.0, y1, 1.0);
            g0 = -h0;
            g1 = -h1;
            i += 1;
        } else {
            eta /= 2.0;
            i = 0;
        }
    }
    f(x0, x1, y0, y1)
}

/// The inner maximum with mode `inner`, and its gradient in `x` with mode
/// `outer`.
fn inner_max(outer: char, inner: char, x: &[f64], s: &[f64]) -> (f64, Vec<f64>) {
    let (x0, x1, s0, s1) = (x[0], x[1], s[0], s[1]);
    match (outer, inner) {
        ('r', 'r') => {
            let (v, (d0, d1)) = max_r_grad(x0, x1, s0, s1);
            (v, vec![d0, d1])
        }
        ('r', _) => {
            let (v, (d0, d1)) = max_f_grad(x0, x1, s0, s1);
            (v, vec![d0, d1])
        }
        (_, 'r') => {
            let (v, d0) = max_r_jvp(x0, 1.0, x1, 0.0, s0, 0.0, s1, 0.0);
            let (_, d1) = max_r_jvp(x0, 0.0, x1, 1.0, s0, 0.0, s1, 0.0);
            (v, vec![d0, d1])
        }
        _ => {
            let (v, d0) = max_f_jvp(x0, 1.0, x1, 0.0, s0, 0.0, s1, 0.0);
            let (_, d1) = max_f_jvp(x0, 0.0, x1, 1.0, s0, 0.0, s1, 0.0);
            (v, vec![d0, d1])
        }
    }
}

/// `[r1, r2]` (§3.4) from `start`, with the outer and inner modes.
pub fn solve(outer: char, inner: char, start: &[f64]) -> Vec<f64> {
    let value = |x: &[f64]| match inner {
        'r' => max_r(x[0], x[1], start[0], start[1]),
        _ => max_f(x[0], x[1], start[0], start[1]),
    };
    let r1 = solver::argmin(value, |x| inner_max(outer, inner, x, start).1, start);
    // The maximiser at r1, its gradient ∇_y f in the outer mode.
    let fy = |y: &[f64]| f(r1[0], r1[1], y[0], y[1]);
    let gy = |y: &[f64]| match outer {
        'r' => {
            let (_, (g0, g1)) = f_grad(r1[0], r1[1], y[0], y[1]);
            vec![g0, g1]
        }
        _ => {
            let (_, g0) = f_jvp(r1[0], 0.0, r1[1], 0.0, y[0], 1.0, y[1], 0.0);
            let (_, g1) = f_jvp(r1[0], 0.0, r1[1], 0.0, y[0], 0.0, y[1], 1.0);
            vec![g0, g1]
        }
    };
    let r2 = solver::argmax(fy, gy, start);
    [r1, r2].concat()
}

/// Evaluates `rr`, `rf`, `fr` or `ff` (`[x0, x1, y0, y1]`).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let Input { start } = parse(input)?;
    if start.len() != 2 {
        return Err(format!("start has {} entries, expected 2", start.len()));
    }
    let modes: Vec<char> = function.chars().collect();
    match modes.as_slice() {
        [o @ ('r' | 'f'), i @ ('r' | 'f')] => {
            let (o, i) = (*o, *i);
            measure(input, || solve(o, i, std::hint::black_box(&start)), |v| v)
        }
        _ => Err(unknown_function("saddle", function)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `∇_y f` does not depend on `x`, so the ascent takes the same steps
    /// for every `x`: the inner maximum is `‖x‖² − ‖y*‖²` with `y*` fixed,
    /// and its gradient in `x` is exactly `2x`.
    #[test]
    fn outer_gradients_are_the_closed_form() {
        for x in [[1.0, 1.0], [0.3, -0.7], [2.0, 0.5]] {
            for outer in ['r', 'f'] {
                for inner in ['r', 'f'] {
                    let (_, d) = inner_max(outer, inner, &x, &[1.0, 1.0]);
                    for k in 0..2 {
                        approx::assert_relative_eq!(d[k], 2.0 * x[k], max_relative = 1e-12);
                    }
                }
            }
        }
    }

    #[test]
    fn outer_gradients_match_central_differences() {
        let (x, s, h) = ([0.8, -0.4], [1.0, 1.0], 1e-6);
        for inner in ['r', 'f'] {
            let value = |x: &[f64]| match inner {
                'r' => max_r(x[0], x[1], s[0], s[1]),
                _ => max_f(x[0], x[1], s[0], s[1]),
            };
            let (_, reverse) = inner_max('r', inner, &x, &s);
            let (_, forward) = inner_max('f', inner, &x, &s);
            for k in 0..2 {
                let (mut up, mut down) = (x, x);
                up[k] += h;
                down[k] -= h;
                let fd = (value(&up) - value(&down)) / (2.0 * h);
                approx::assert_relative_eq!(reverse[k], fd, max_relative = 1e-6);
                approx::assert_relative_eq!(forward[k], reverse[k], max_relative = 1e-12);
            }
        }
    }

    #[test]
    fn every_variant_reaches_the_saddle_point() {
        for (o, i) in [('r', 'r'), ('r', 'f'), ('f', 'r'), ('f', 'f')] {
            let r = solve(o, i, &[1.0, 1.0]);
            assert_eq!(r.len(), 4);
            for v in r {
                approx::assert_abs_diff_eq!(v, 8.246_324_826_140_356e-6, epsilon = 1e-7);
            }
        }
    }
}

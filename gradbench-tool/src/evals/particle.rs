//! particle (§3.3): a charged particle falls through the field of two
//! charges, one of which a control `w` moves; gradient descent on `w`
//! minimises the square of where it lands. Nested AD: the particle's
//! acceleration is the gradient of the potential (the inner derivative),
//! and the descent differentiates the whole simulation, an unbounded loop
//! that calls that gradient, with respect to `w` (the outer derivative).
//!
//! The four functions pick the two modes, outer first:
//! - `rr`: `objective_r_grad`, reverse mode over code calling
//!   `potential_grad`, whose VJP is `potential_grad_vjp`;
//! - `rf`: `objective_f_grad` over `potential_jvp` (`potential_jvp_vjp`);
//! - `fr`: `objective_r_jvp` over `potential_grad` (`potential_grad_jvp`);
//! - `ff`: `objective_f_jvp` over `potential_jvp` (`potential_jvp_jvp`).
//!
//! Every derivative, inner and outer, comes from the macros; the
//! derivatives of derivatives from `#[jvp(nested)]` and `#[grad(nested)]`.

use adiff::{grad, jvp};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{measure, parse, solver, unknown_function, Evaluated};

#[derive(Deserialize)]
struct Input {
    w: f64,
}

/// The potential at `(x0, x1)` of unit charges at `(10, 10 − w)` and
/// `(10, 0)`: Σ_c 1 / ‖x − c‖.
#[jvp(nested)]
#[grad(wrt(x0, x1), nested)]
#[allow(dead_code)] // Only its derivatives are called.
pub fn potential(x0: f64, x1: f64, w: f64) -> f64 {
    let (a0, a1) = (x0 - 10.0, x1 - (10.0 - w));
    let (b0, b1) = (x0 - 10.0, x1);
    1.0 / (a0 * a0 + a1 * a1).sqrt() + 1.0 / (b0 * b0 + b1 * b1).sqrt()
}

/// Where the particle lands, squared, with the force from the reverse-mode
/// gradient of the potential.
#[jvp]
#[grad]
pub fn objective_r(w: f64) -> f64 {
    let (mut x0, mut x1) = (0.0, 8.0);
    let (mut v0, mut v1) = (0.75, 0.0);
    let dt = 0.1;
    loop {
        let (_, (g0, g1)) = potential_grad(x0, x1, w);
        x0 += dt * v0;
        x1 += dt * v1;
        if x1 <= 0.0 {
            // Linear interpolation to the x axis.
            let dtf = -x1 / v1;
            let xf = x0 + dtf * v0;
            return xf * xf;
        }
        v0 -= dt * g0;
        v1 -= dt * g1;
    }
}

/// [`objective_r`] with the force from two forward-mode derivatives of the
/// potential, one per axis.
#[jvp]
#[grad]
pub fn objective_f(w: f64) -> f64 {
    let (mut x0, mut x1) = (0.0, 8.0);
    let (mut v0, mut v1) = (0.75, 0.0);
    let dt = 0.1;
    loop {
        let (_, g0) = potential_jvp(x0, 1.0, x1, 0.0, w, 0.0);
        let (_, g1) = potential_jvp(x0, 0.0, x1, 1.0, w, 0.0);
        x0 += dt * v0;
        x1 += dt * v1;
        if x1 <= 0.0 {
            let dtf = -x1 / v1;
            let xf = x0 + dtf * v0;
            return xf * xf;
        }
        v0 -= dt * g0;
        v1 -= dt * g1;
    }
}

/// The final `w` of the shared gradient descent (§3.2) from `w`, with the
/// outer mode `outer` and the inner mode `inner` (`'f'` or `'r'`).
pub fn solve(outer: char, inner: char, w: f64) -> f64 {
    let f = |w: &[f64]| match inner {
        'r' => objective_r(w[0]),
        _ => objective_f(w[0]),
    };
    let g = |w: &[f64]| {
        let d = match (outer, inner) {
            ('r', 'r') => objective_r_grad(w[0]).1,
            ('r', _) => objective_f_grad(w[0]).1,
            (_, 'r') => objective_r_jvp(w[0], 1.0).1,
            _ => objective_f_jvp(w[0], 1.0).1,
        };
        vec![d]
    };
    solver::argmin(f, g, &[w])[0]
}

/// Evaluates `rr`, `rf`, `fr` or `ff` (a number, the final `w`).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let Input { w } = parse(input)?;
    let modes: Vec<char> = function.chars().collect();
    match modes.as_slice() {
        [o @ ('r' | 'f'), i @ ('r' | 'f')] => {
            let (o, i) = (*o, *i);
            measure(input, || solve(o, i, std::hint::black_box(w)), |w| w)
        }
        _ => Err(unknown_function("particle", function)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed-form gradient of the potential.
    fn exact_gradient(x0: f64, x1: f64, w: f64) -> (f64, f64) {
        let (a0, a1) = (x0 - 10.0, x1 - (10.0 - w));
        let (b0, b1) = (x0 - 10.0, x1);
        let (ra, rb) = ((a0 * a0 + a1 * a1).sqrt(), (b0 * b0 + b1 * b1).sqrt());
        (
            -a0 / ra.powi(3) - b0 / rb.powi(3),
            -a1 / ra.powi(3) - b1 / rb.powi(3),
        )
    }

    #[test]
    fn inner_gradients_are_the_closed_form() {
        for (x0, x1, w) in [(0.0, 8.0, 0.0), (3.0, 2.5, 0.3), (7.5, 0.5, -0.2)] {
            let (g0, g1) = exact_gradient(x0, x1, w);
            let (_, (r0, r1)) = potential_grad(x0, x1, w);
            let (_, f0) = potential_jvp(x0, 1.0, x1, 0.0, w, 0.0);
            let (_, f1) = potential_jvp(x0, 0.0, x1, 1.0, w, 0.0);
            for (got, want) in [(r0, g0), (r1, g1), (f0, g0), (f1, g1)] {
                approx::assert_relative_eq!(got, want, max_relative = 1e-12);
            }
        }
    }

    #[test]
    fn the_four_outer_derivatives_agree_with_central_differences() {
        for w in [0.0, 0.1, 0.2] {
            let h = 1e-6;
            let fd = (objective_r(w + h) - objective_r(w - h)) / (2.0 * h);
            let derivatives = [
                objective_r_grad(w).1,
                objective_f_grad(w).1,
                objective_r_jvp(w, 1.0).1,
                objective_f_jvp(w, 1.0).1,
            ];
            for d in derivatives {
                approx::assert_relative_eq!(d, fd, max_relative = 1e-6);
            }
            // Forward and reverse are the same derivative to rounding.
            approx::assert_relative_eq!(derivatives[0], derivatives[2], max_relative = 1e-10);
            approx::assert_relative_eq!(derivatives[1], derivatives[3], max_relative = 1e-10);
        }
    }

    #[test]
    fn every_variant_reaches_the_reference_constant() {
        for (o, i) in [('r', 'r'), ('r', 'f'), ('f', 'r'), ('f', 'f')] {
            let w = solve(o, i, 0.0);
            approx::assert_relative_eq!(w, 0.207_191_874_648_611_6, max_relative = 1e-6);
        }
    }
}

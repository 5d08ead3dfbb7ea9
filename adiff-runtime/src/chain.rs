//! The Jacobian of a chain of stages, `y = r(q(p(x)))`, in the cheapest
//! order: the matrix-chain dynamic program of seed 001 ("a hybrid
//! scheme"), over the sizes of the values between the stages.
//!
//! The Jacobian of the chain is the product of the stages' Jacobians,
//! `J = J_r · J_q · J_p`. Each factor, or each run of consecutive factors,
//! can be had by sweeps through those stages: forward sweeps, one per
//! [`WIDTH`] columns, or reverse sweeps, one per row.
//! Between such pieces the matrices are multiplied. When the narrowest
//! value sits in the middle (|x| = |y| = 500, |b| = 5), reverse sweeps to
//! the narrow point and a forward sweep after it, joined by one product,
//! cost far less than either pure mode.
//!
//! **The cost model** counts multiply-adds. Each stage is taken to be
//! dense, so one run of a stage from `a` entries to `b` entries costs
//! `a · b`. A forward sweep through stages `i..j` costs
//! [`FORWARD_SWEEP_COST`] runs of them, a reverse sweep
//! [`REVERSE_SWEEP_COST`] runs (the constants `f_jacobian`'s mode choice
//! uses), and multiplying an `a × b` matrix by a `b × c` one costs
//! `a · b · c`. For sizes `d_0, …, d_K` the cheapest cost `C(i, j)` of the
//! Jacobian of stages `i..j` is the least of
//! - `⌈d_i / W⌉ · FORWARD_SWEEP_COST · P(i, j)` (forward sweeps),
//! - `d_j · REVERSE_SWEEP_COST · P(i, j)` (reverse sweeps),
//! - `C(i, k) + C(k, j) + d_j · d_k · d_i` for `i < k < j` (a product),
//!
//! where `P(i, j) = Σ d_s · d_{s+1}` over the stages `s` in `i..j`.
//!
//! ```
//! use adiff_runtime::chain::{plan, Plan};
//!
//! // 500 → 500 → 5 → 500: reverse sweeps to the narrow point, then forward.
//! let p = plan(&[500, 500, 5, 500]);
//! assert_eq!(p.plan.to_string(), "forward[2..3] · reverse[0..2]");
//! assert!(p.chosen < p.forward && p.chosen < p.reverse);
//! // Narrowest at the input: pure forward mode.
//! assert_eq!(plan(&[4, 100, 200, 300]).plan, Plan::Forward { from: 0, to: 3 });
//! ```

use alloc::boxed::Box;
use alloc::vec;
use core::fmt;

use crate::jac::{FORWARD_SWEEP_COST, REVERSE_SWEEP_COST, WIDTH};
use crate::lanes::LaneScalar;
use crate::matrix::Matrix;

/// How the Jacobian of stages `from..to` is computed.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// Forward sweeps through the stages, [`WIDTH`] columns per sweep.
    Forward {
        /// The first stage.
        from: usize,
        /// One past the last stage.
        to: usize,
    },
    /// Reverse sweeps through the stages, one per row.
    Reverse {
        /// The first stage.
        from: usize,
        /// One past the last stage.
        to: usize,
    },
    /// The product `later · earlier` of the Jacobians of two consecutive
    /// runs of stages.
    Product(Box<Plan>, Box<Plan>),
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Plan::Forward { from, to } => write!(f, "forward[{from}..{to}]"),
            Plan::Reverse { from, to } => write!(f, "reverse[{from}..{to}]"),
            Plan::Product(later, earlier) => {
                let side = |p: &Plan, f: &mut fmt::Formatter<'_>| match p {
                    Plan::Product(..) => write!(f, "({p})"),
                    p => write!(f, "{p}"),
                };
                side(later, f)?;
                f.write_str(" · ")?;
                side(earlier, f)
            }
        }
    }
}

/// The plan the dynamic program chose, with the predicted costs (in
/// multiply-adds, see the [module docs](self)) of it and of the two pure
/// modes.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// The cheapest plan.
    pub plan: Plan,
    /// Its predicted cost.
    pub chosen: f64,
    /// The predicted cost of forward sweeps through every stage.
    pub forward: f64,
    /// The predicted cost of reverse sweeps through every stage.
    pub reverse: f64,
}

/// The cheapest plan for a chain whose values have `dims[0]` (the input),
/// …, `dims[K]` (the output) entries: `K` stages.
///
/// # Panics
/// If `dims` has fewer than two entries (no stage).
#[must_use]
pub fn plan(dims: &[usize]) -> Prediction {
    assert!(dims.len() >= 2, "a chain needs at least one stage");
    let k = dims.len() - 1;
    let d = |i: usize| dims[i] as f64;
    // run[i][j]: one run of stages i..j.
    let run = |i: usize, j: usize| (i..j).map(|s| d(s) * d(s + 1)).sum::<f64>();
    let forward =
        |i: usize, j: usize| dims[i].div_ceil(WIDTH) as f64 * FORWARD_SWEEP_COST * run(i, j);
    let reverse = |i: usize, j: usize| d(j) * REVERSE_SWEEP_COST * run(i, j);
    // best[i][j] and its plan, for spans of growing length.
    let mut best = vec![vec![(0.0, None::<Plan>); k + 1]; k + 1];
    for len in 1..=k {
        for i in 0..=k - len {
            let j = i + len;
            let (f, r) = (forward(i, j), reverse(i, j));
            let mut choice = if f <= r {
                (f, Plan::Forward { from: i, to: j })
            } else {
                (r, Plan::Reverse { from: i, to: j })
            };
            // `best` is indexed by two ends, so a range loop reads clearest.
            #[allow(clippy::needless_range_loop)]
            for m in i + 1..j {
                let cost = best[i][m].0 + best[m][j].0 + d(j) * d(m) * d(i);
                if cost < choice.0 {
                    let later = best[m][j]
                        .1
                        .clone()
                        .expect("shorter spans are planned first");
                    let earlier = best[i][m]
                        .1
                        .clone()
                        .expect("shorter spans are planned first");
                    choice = (cost, Plan::Product(Box::new(later), Box::new(earlier)));
                }
            }
            best[i][j] = (choice.0, Some(choice.1));
        }
    }
    let (chosen, plan) = best[0][k].clone();
    Prediction {
        plan: plan.expect("the whole chain is planned"),
        chosen,
        forward: forward(0, k),
        reverse: reverse(0, k),
    }
}

/// Applies one stage's Jacobian: to a matrix of tangents of its input (a
/// column per direction), giving the tangents of its output; or, in
/// reverse, to a matrix of cotangents of its output (a row per
/// cotangent), giving those of its input.
pub type Apply<'a, S> = &'a dyn Fn(&Matrix<S>) -> Matrix<S>;

/// The Jacobian of the whole chain by `plan`, from each stage's forward
/// and reverse application (`forward[s]` and `reverse[s]` for stage `s`)
/// and the sizes `dims` of the values.
#[must_use]
pub fn jacobian<S: LaneScalar>(
    plan: &Plan,
    dims: &[usize],
    forward: &[Apply<'_, S>],
    reverse: &[Apply<'_, S>],
) -> Matrix<S> {
    match *plan {
        Plan::Forward { from, to } => forward[from..to]
            .iter()
            .fold(identity(dims[from]), |t, stage| stage(&t)),
        Plan::Reverse { from, to } => reverse[from..to]
            .iter()
            .rev()
            .fold(identity(dims[to]), |c, stage| stage(&c)),
        Plan::Product(ref later, ref earlier) => product(
            &jacobian(later, dims, forward, reverse),
            &jacobian(earlier, dims, forward, reverse),
        ),
    }
}

/// A stage's forward application from its sweeps: `sweep(first)` returns
/// the output tangents whose lane `k` is direction `first + k` (a column
/// of `t`), and they are written into a `rows × t.cols()` matrix.
pub fn forward_apply<S: LaneScalar, T: crate::jac::LaneRows<S>>(
    t: &Matrix<S>,
    rows: usize,
    sweep: impl Fn(usize) -> T,
) -> Matrix<S> {
    let mut out = Matrix::zeros(rows, t.cols());
    let mut first = 0;
    while first < t.cols() {
        sweep(first).write_rows(&mut out, 0, first);
        first += WIDTH;
    }
    out
}

/// A stage's reverse application from its sweeps: `sweep(row, out)` writes
/// into `out` (`cols` entries) the input cotangent for the output
/// cotangent `row`, once for every row of `c`.
pub fn reverse_apply<S: LaneScalar>(
    c: &Matrix<S>,
    cols: usize,
    sweep: impl Fn(&[S], &mut [S]),
) -> Matrix<S> {
    let mut out = Matrix::zeros(c.rows(), cols);
    for i in 0..c.rows() {
        sweep(c.row(i), out.row_mut(i));
    }
    out
}

fn identity<S: LaneScalar>(n: usize) -> Matrix<S> {
    let mut m = Matrix::zeros(n, n);
    for i in 0..n {
        m[(i, i)] = S::ONE;
    }
    m
}

/// `a · b`, row by row: each row of the result accumulates rows of `b`
/// scaled by the entries of `a`'s row, a loop LLVM vectorises.
fn product<S: LaneScalar>(a: &Matrix<S>, b: &Matrix<S>) -> Matrix<S> {
    assert_eq!(a.cols(), b.rows(), "the stages' sizes do not chain");
    let mut out = Matrix::zeros(a.rows(), b.cols());
    for i in 0..a.rows() {
        let row = out.row_mut(i);
        for (k, &aik) in a.row(i).iter().enumerate() {
            for (o, &bkj) in row.iter_mut().zip(b.row(k)) {
                *o = *o + aik * bkj;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// The cost of `plan` by the model, computed from the plan itself.
    fn cost(plan: &Plan, dims: &[usize]) -> f64 {
        let d = |i: usize| dims[i] as f64;
        let run = |i: usize, j: usize| (i..j).map(|s| d(s) * d(s + 1)).sum::<f64>();
        match *plan {
            Plan::Forward { from, to } => {
                dims[from].div_ceil(WIDTH) as f64 * FORWARD_SWEEP_COST * run(from, to)
            }
            Plan::Reverse { from, to } => d(to) * REVERSE_SWEEP_COST * run(from, to),
            Plan::Product(ref l, ref e) => {
                let (Plan::Forward { to, .. } | Plan::Reverse { to, .. }) = rightmost(l) else {
                    unreachable!()
                };
                let (Plan::Forward { from, .. } | Plan::Reverse { from, .. }) = leftmost(e) else {
                    unreachable!()
                };
                let (Plan::Forward { to: mid, .. } | Plan::Reverse { to: mid, .. }) = rightmost(e)
                else {
                    unreachable!()
                };
                cost(l, dims) + cost(e, dims) + d(*to) * d(*mid) * d(*from)
            }
        }
    }

    fn rightmost(p: &Plan) -> &Plan {
        match p {
            Plan::Product(l, _) => rightmost(l),
            p => p,
        }
    }

    fn leftmost(p: &Plan) -> &Plan {
        match p {
            Plan::Product(_, e) => leftmost(e),
            p => p,
        }
    }

    /// Every plan of stages `i..j`, by brute force.
    fn all_plans(i: usize, j: usize) -> Vec<Plan> {
        let mut plans = vec![
            Plan::Forward { from: i, to: j },
            Plan::Reverse { from: i, to: j },
        ];
        for m in i + 1..j {
            for l in all_plans(m, j) {
                for e in all_plans(i, m) {
                    plans.push(Plan::Product(Box::new(l.clone()), Box::new(e)));
                }
            }
        }
        plans
    }

    #[test]
    fn the_dynamic_program_finds_the_cheapest_plan() {
        // Sizes from a fixed pseudo-random sequence, chains of 1 to 5 stages.
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            1 + (state >> 33) as usize % 300
        };
        for case in 0..200 {
            let k = 1 + case % 5;
            let dims: Vec<usize> = (0..=k).map(|_| next()).collect();
            let p = plan(&dims);
            let cheapest = all_plans(0, k)
                .iter()
                .map(|q| cost(q, &dims))
                .fold(f64::INFINITY, f64::min);
            assert!((p.chosen - cheapest).abs() <= 1e-9 * cheapest, "{dims:?}");
            assert!((cost(&p.plan, &dims) - p.chosen).abs() <= 1e-9 * p.chosen);
            assert!(p.chosen <= p.forward && p.chosen <= p.reverse);
        }
    }

    #[test]
    fn the_pure_modes_cost_their_sweeps() {
        // One run of the chain costs Σ d_s·d_{s+1}; forward mode makes
        // ⌈|x| / W⌉ sweeps, reverse mode |y|.
        let dims = [10, 20, 30, 40];
        let p = plan(&dims);
        let run = (10 * 20 + 20 * 30 + 30 * 40) as f64;
        assert_eq!(p.forward, 2.0 * FORWARD_SWEEP_COST * run);
        assert_eq!(p.reverse, 40.0 * REVERSE_SWEEP_COST * run);
        assert_eq!(p.plan, Plan::Forward { from: 0, to: 3 });
        assert_eq!(
            plan(&[400, 30, 20, 10]).plan,
            Plan::Reverse { from: 0, to: 3 }
        );
    }

    type Boxed<'a> = Box<dyn Fn(&Matrix<f64>) -> Matrix<f64> + 'a>;

    #[test]
    fn a_plan_executes_as_the_product_of_the_stage_jacobians() {
        // Linear stages with known matrices: every plan gives their product.
        let mats: Vec<Matrix<f64>> = [(3usize, 2usize), (1, 3), (4, 1)]
            .iter()
            .enumerate()
            .map(|(s, &(r, c))| {
                let data = (0..r * c)
                    .map(|e| (e as f64 + 1.0) * (s as f64 + 0.5))
                    .collect();
                Matrix::from_row_major(r, c, data)
            })
            .collect();
        let dims = [2, 3, 1, 4];
        let fwd: Vec<Boxed<'_>> = mats
            .iter()
            .map(|m| Box::new(move |t: &Matrix<f64>| product(m, t)) as Boxed<'_>)
            .collect();
        let rev: Vec<Boxed<'_>> = mats
            .iter()
            .map(|m| Box::new(move |c: &Matrix<f64>| product(c, m)) as Boxed<'_>)
            .collect();
        let fwd: Vec<Apply<'_, f64>> = fwd.iter().map(|f| &**f).collect();
        let rev: Vec<Apply<'_, f64>> = rev.iter().map(|f| &**f).collect();
        let expected = product(&product(&mats[2], &mats[1]), &mats[0]);
        for p in all_plans(0, 3) {
            let j = jacobian(&p, &dims, &fwd, &rev);
            assert_eq!(j, expected, "{p}");
        }
    }
}

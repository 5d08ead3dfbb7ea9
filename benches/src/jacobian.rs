//! Jacobians over shapes: `f_jacobian` in automatic mode against both
//! forced modes, for n = 10, m = 1000; n = 1000, m = 10; n = m = 100; once
//! with the sizes in the types (the mode is chosen at compile time) and
//! once with slices and a `Vec` result (chosen at run time, after one run
//! of `f` to learn m). And vector mode: one `f_jvpw::<8>` sweep against
//! eight `f_jvp` sweeps, and the sweep costs the cost model is calibrated
//! with (`adiff::__rt::jac`).
//!
//! The objective is dense: every output depends on every input, through a
//! sum over the inputs and a map over the outputs, so one run costs
//! O(n + m) and the full Jacobian O(n m) whichever the mode.

use std::hint::black_box;

use adiff::{jacobian, jvp};

use crate::compare::{check_line, rel_diff};
use crate::{Case, Run};

/// The objective with the sizes in the types: `y_i = tanh(s w_i) + x_{i mod n} w_i`
/// with `s = Σ_j sin((j + 1) x_j / n)` and `w_i = (i + 1) / m`.
macro_rules! fixed {
    ($auto:ident, $fwd:ident, $rev:ident, $n:literal, $m:literal) => {
        fixed!(@one #[jacobian] #[jvp] $auto, $n, $m);
        fixed!(@one #[jacobian(mode = forward)] $fwd, $n, $m);
        fixed!(@one #[jacobian(mode = reverse)] $rev, $n, $m);
    };
    (@one $(#[$a:meta])* $name:ident, $n:literal, $m:literal) => {
        /// The dense objective of this module, with fixed sizes.
        $(#[$a])*
        #[must_use]
        pub fn $name(x: &[f64; $n]) -> [f64; $m] {
            let mut s = 0.0;
            for j in 0..$n {
                s += ((j as f64 + 1.0) * x[j] / $n as f64).sin();
            }
            let mut out = [0.0; $m];
            for i in 0..$m {
                let w = (i as f64 + 1.0) / $m as f64;
                out[i] = (s * w).tanh() + x[i % $n] * w;
            }
            out
        }
    };
}

fixed!(tall, tall_fwd, tall_rev, 10, 1000);
fixed!(wide, wide_fwd, wide_rev, 1000, 10);
fixed!(square, square_fwd, square_rev, 100, 100);

/// The same objective over a slice with `m` outputs in a `Vec`.
macro_rules! dynamic {
    ($(#[$a:meta])* $name:ident) => {
        /// The dense objective of this module, sized at run time.
        $(#[$a])*
        #[must_use]
        pub fn $name(x: &[f64], m: usize) -> Vec<f64> {
            let n = x.len();
            let mut s = 0.0;
            for j in 0..n {
                s += ((j as f64 + 1.0) * x[j] / n as f64).sin();
            }
            let mut out = vec![0.0; m];
            for i in 0..m {
                let w = (i as f64 + 1.0) / m as f64;
                out[i] = (s * w).tanh() + x[i % n] * w;
            }
            out
        }
    };
}

dynamic!(
    #[jacobian]
    #[jvp]
    layer
);
dynamic!(
    #[jacobian(mode = forward)]
    layer_fwd
);
dynamic!(
    #[jacobian(mode = reverse)]
    layer_rev
);

fn input(n: usize) -> Vec<f64> {
    (0..n)
        .map(|j| 0.5 + 0.3 * ((j * 7) % 11) as f64 / 11.0)
        .collect()
}

/// The largest relative difference between two Jacobians.
fn jac_diff(a: &adiff::Matrix<f64>, b: &adiff::Matrix<f64>) -> f64 {
    rel_diff(a.as_slice(), b.as_slice())
}

/// The three modes of one fixed-size function as a case, checked against
/// each other first.
macro_rules! fixed_case {
    ($f:ident, $auto:ident, $fwd:ident, $rev:ident, $n:literal, $m:literal) => {{
        let x: [f64; $n] = input($n).try_into().unwrap_or([0.0; $n]);
        let (ja, jf, jr) = ($auto(&x).1, $fwd(&x).1, $rev(&x).1);
        let forward = adiff::__rt::jac::prefer_forward($n, $m);
        Case {
            benchmark: format!("jac_shape_n{}_m{}", $n, $m),
            detail: format!(
                "dense, sizes in the types (mode fixed at compile time: {})",
                if forward { "forward" } else { "reverse" }
            ),
            checks: vec![
                check_line("auto vs forced forward", jac_diff(&ja, &jf), 1e-12),
                check_line("auto vs forced reverse", jac_diff(&ja, &jr), 1e-12),
            ],
            runs: vec![
                Run::new("f", move || $f(black_box(&x))[0]),
                Run::new("adiff f_jacobian auto", move || {
                    $auto(black_box(&x)).1[(0, 0)]
                }),
                Run::new("adiff f_jacobian forward", move || {
                    $fwd(black_box(&x)).1[(0, 0)]
                }),
                Run::new("adiff f_jacobian reverse", move || {
                    $rev(black_box(&x)).1[(0, 0)]
                }),
            ],
        }
    }};
}

/// The run-time-sized case for `n` inputs and `m` outputs.
fn dynamic_case(n: usize, m: usize) -> Case {
    let x = input(n);
    let (ja, jf, jr) = (
        layer_jacobian(&x, m).1,
        layer_fwd_jacobian(&x, m).1,
        layer_rev_jacobian(&x, m).1,
    );
    let (x1, x2, x3, x4) = (x.clone(), x.clone(), x.clone(), x.clone());
    Case {
        benchmark: format!("jac_shape_dyn_n{n}_m{m}"),
        detail: format!(
            "dense, slice in and Vec out (mode chosen at run time after one run of f: {})",
            if adiff::__rt::jac::prefer_forward(n, m) {
                "forward"
            } else {
                "reverse"
            }
        ),
        checks: vec![
            check_line("auto vs forced forward", jac_diff(&ja, &jf), 1e-12),
            check_line("auto vs forced reverse", jac_diff(&ja, &jr), 1e-12),
        ],
        runs: vec![
            Run::new("f", move || layer(black_box(&x1), m)[0]),
            Run::new("adiff f_jacobian auto", move || {
                layer_jacobian(black_box(&x2), m).1[(0, 0)]
            }),
            Run::new("adiff f_jacobian forward", move || {
                layer_fwd_jacobian(black_box(&x3), m).1[(0, 0)]
            }),
            Run::new("adiff f_jacobian reverse", move || {
                layer_rev_jacobian(black_box(&x4), m).1[(0, 0)]
            }),
        ],
    }
}

/// Vector mode against scalar sweeps, and the sweep costs of the cost
/// model, on the square run-time-sized function (n = m = 100).
fn sweeps_case() -> Case {
    use adiff::Lanes;
    let (n, m) = (100, 100);
    let x = input(n);
    let seeds: Vec<Lanes<f64, 8>> = (0..n).map(Lanes::unit).collect();
    let units: Vec<Vec<f64>> = (0..8)
        .map(|k| (0..n).map(|j| if j == k { 1.0 } else { 0.0 }).collect())
        .collect();
    let (_, tw) = layer_jvpw::<8>(&x, &seeds, m);
    let mut worst: f64 = 0.0;
    for (k, u) in units.iter().enumerate() {
        let (_, t) = layer_jvp(&x, u, m);
        let lane: Vec<f64> = tw.iter().map(|l| l.lane(k)).collect();
        worst = worst.max(rel_diff(&lane, &t));
    }
    let (x1, x2, x3, x4) = (x.clone(), x.clone(), x.clone(), x.clone());
    let s1 = seeds.clone();
    Case {
        benchmark: "jac_sweeps_n100_m100".into(),
        detail: "one vector sweep of width 8 vs 8 scalar sweeps; one reverse sweep".into(),
        checks: vec![check_line("f_jvpw::<8> lanes vs f_jvp", worst, 0.0)],
        runs: vec![
            Run::new("f", move || layer(black_box(&x1), m)[0]),
            Run::new("adiff f_jvpw W8", move || {
                layer_jvpw::<8>(black_box(&x2), &s1, m).1[0].lane(0)
            }),
            Run::new("adiff f_jvp x8", move || {
                let mut s = 0.0;
                for u in &units {
                    s += layer_jvp(black_box(&x3), u, m).1[0];
                }
                s
            }),
            Run::new("adiff f_vjp", move || {
                let mut x_bar = vec![0.0; n];
                let mut out_bar = vec![0.0; m];
                out_bar[0] = 1.0;
                layer_rev_vjp(black_box(&x4), &mut x_bar, m, out_bar);
                x_bar[0]
            }),
        ],
    }
}

/// A dense stage of the chain: `m` outputs `tanh(Σ_j w_ij x_j)`, with
/// weights from the indices, so one run costs O(n m).
#[allow(clippy::needless_range_loop)]
#[jacobian]
#[must_use]
pub fn dense(x: &[f64], m: usize) -> Vec<f64> {
    let mut out = vec![0.0; m];
    for i in 0..m {
        let mut s = 0.0;
        for j in 0..x.len() {
            let w = ((i * 7 + j * 3) % 11) as f64 / 11.0 - 0.45;
            s += w * x[j];
        }
        out[i] = (s / (x.len() as f64).sqrt()).tanh();
    }
    out
}

/// The chain's stages: 500 → 500, 500 → 5, 5 → 500.
#[jacobian]
#[must_use]
pub fn stage_p(x: &[f64]) -> Vec<f64> {
    dense(x, 500)
}

/// 500 → 5, the narrow point.
#[jacobian]
#[must_use]
pub fn stage_q(a: &[f64]) -> Vec<f64> {
    dense(a, 5)
}

/// 5 → 500.
#[jacobian]
#[must_use]
pub fn stage_r(b: &[f64]) -> Vec<f64> {
    dense(b, 500)
}

macro_rules! chain_fn {
    ($(#[$a:meta])* $name:ident) => {
        /// Seed 001's chain `r(q(p(x)))`, narrowest in the middle.
        $(#[$a])*
        #[must_use]
        pub fn $name(x: &[f64]) -> Vec<f64> {
            let a = stage_p(x);
            let b = stage_q(&a);
            stage_r(&b)
        }
    };
}

chain_fn!(
    #[jacobian]
    chain
);
chain_fn!(
    #[jacobian(mode = forward)]
    chain_fwd
);
chain_fn!(
    #[jacobian(mode = reverse)]
    chain_rev
);

/// The chain |x| = |y| = 500 with |b| = 5: automatic mode (the dynamic
/// program's order) against both pure modes, with the costs predicted.
fn chain_case() -> Case {
    let dims = [500, 500, 5, 500];
    let x = input(500);
    let (ja, jf, jr) = (
        chain_jacobian(&x).1,
        chain_fwd_jacobian(&x).1,
        chain_rev_jacobian(&x).1,
    );
    let p = adiff::chain::plan(&dims);
    let (x1, x2, x3, x4) = (x.clone(), x.clone(), x.clone(), x.clone());
    Case {
        benchmark: "jac_chain_500_500_5_500".into(),
        detail: format!(
            "dense stages 500 -> 500 -> 5 -> 500; plan {}; predicted multiply-adds: forward {:.3e}, reverse {:.3e}, chosen {:.3e}",
            p.plan, p.forward, p.reverse, p.chosen
        ),
        checks: vec![
            check_line("auto vs forced forward", jac_diff(&ja, &jf), 1e-12),
            check_line("auto vs forced reverse", jac_diff(&ja, &jr), 1e-12),
        ],
        runs: vec![
            Run::new("f", move || chain(black_box(&x1))[0]),
            Run::new("adiff f_jacobian auto", move || {
                chain_jacobian(black_box(&x2)).1[(0, 0)]
            }),
            Run::new("adiff f_jacobian forward", move || {
                chain_fwd_jacobian(black_box(&x3)).1[(0, 0)]
            }),
            Run::new("adiff f_jacobian reverse", move || {
                chain_rev_jacobian(black_box(&x4)).1[(0, 0)]
            }),
        ],
    }
}

/// The predicted costs of the chain case as ratio lines (chosen over the
/// better pure mode, and each pure mode over the chosen order), so the
/// report shows the prediction beside the measured `auto/best_forced`.
#[must_use]
pub fn chain_prediction_lines() -> Vec<String> {
    let p = adiff::chain::plan(&[500, 500, 5, 500]);
    let b = "jac_chain_500_500_5_500";
    vec![
        format!(
            "ratio {b} predicted_forward/chosen {:.3}",
            p.forward / p.chosen
        ),
        format!(
            "ratio {b} predicted_reverse/chosen {:.3}",
            p.reverse / p.chosen
        ),
    ]
}

/// Every case of this benchmark.
#[must_use]
pub fn cases() -> Vec<Case> {
    vec![
        fixed_case!(
            tall,
            tall_jacobian,
            tall_fwd_jacobian,
            tall_rev_jacobian,
            10,
            1000
        ),
        fixed_case!(
            wide,
            wide_jacobian,
            wide_fwd_jacobian,
            wide_rev_jacobian,
            1000,
            10
        ),
        fixed_case!(
            square,
            square_jacobian,
            square_fwd_jacobian,
            square_rev_jacobian,
            100,
            100
        ),
        dynamic_case(10, 1000),
        dynamic_case(1000, 10),
        dynamic_case(100, 100),
        sweeps_case(),
        chain_case(),
    ]
}

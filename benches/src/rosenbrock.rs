//! Extended Rosenbrock: the objective, its generated derivatives, a
//! hand-written gradient, the peer crates' versions (`peers`, with the
//! `peers` feature) and the report's cases.

#[cfg(feature = "peers")]
mod peers;

use std::hint::black_box;

use adiff::{grad, hvp, jvp};

#[cfg(feature = "peers")]
pub use peers::{
    ad_trait_engine, ad_trait_rosenbrock, num_dual_gradient, num_dual_hessian_runs,
    num_dual_rosenbrock, reverse_gradient, reverse_rosenbrock, AdTraitEngine, AdTraitRosenbrock,
};

use crate::compare::{check_line, rel_diff};
use crate::{Case, Run};

/// The extended Rosenbrock function,
/// Σᵢ 100 (x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)², for even `x.len()`.
///
/// ```
/// let (v, g) = adiff_bench::rosenbrock::rosenbrock_grad(&[1.0, 1.0]);
/// assert_eq!((v, g), (0.0, vec![0.0, 0.0]));
/// ```
#[grad]
#[jvp]
#[hvp]
pub fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() / 2 {
        let a = x[2 * i];
        let b = x[2 * i + 1];
        let t = b - a * a;
        let u = 1.0 - a;
        s += 100.0 * t * t + u * u;
    }
    s
}

/// A hand-written gradient of [`rosenbrock`], the reference for speed.
///
/// ```
/// let x = [0.5, 0.3];
/// let mut g = [0.0; 2];
/// let v = adiff_bench::rosenbrock::rosenbrock_grad_by_hand(&x, &mut g);
/// assert_eq!((v, g.to_vec()), adiff_bench::rosenbrock::rosenbrock_grad(&x));
/// ```
pub fn rosenbrock_grad_by_hand(x: &[f64], g: &mut [f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() / 2 {
        let a = x[2 * i];
        let b = x[2 * i + 1];
        let t = b - a * a;
        let u = 1.0 - a;
        s += 100.0 * t * t + u * u;
        g[2 * i] = -400.0 * a * t - 2.0 * u;
        g[2 * i + 1] = 200.0 * t;
    }
    s
}

/// The Hessian of [`rosenbrock`] times `v`, by hand: the reference for
/// `rosenbrock_hvp`.
///
/// ```
/// let hv = adiff_bench::rosenbrock::rosenbrock_hvp_by_hand(&[1.0, 1.0], &[1.0, 0.0]);
/// assert_eq!(hv, vec![802.0, -400.0]);
/// ```
#[must_use]
pub fn rosenbrock_hvp_by_hand(x: &[f64], v: &[f64]) -> Vec<f64> {
    let mut hv = vec![0.0; x.len()];
    for i in 0..x.len() / 2 {
        let (a, b) = (x[2 * i], x[2 * i + 1]);
        let (haa, hab, hbb) = (1200.0 * a * a - 400.0 * b + 2.0, -400.0 * a, 200.0);
        hv[2 * i] = haa * v[2 * i] + hab * v[2 * i + 1];
        hv[2 * i + 1] = hab * v[2 * i] + hbb * v[2 * i + 1];
    }
    hv
}

/// Initial point of the extended Rosenbrock problem, (−1.2, 1, −1.2, 1, ...).
///
/// ```
/// assert_eq!(adiff_bench::rosenbrock::rosenbrock_start(4), vec![-1.2, 1.0, -1.2, 1.0]);
/// ```
#[must_use]
pub fn rosenbrock_start(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

/// The sizes the report times.
pub const SIZES: [usize; 3] = [10, 1_000, 100_000];

/// num-dual's gradient takes one forward sweep per input for a dynamic
/// size, so it is timed only up to this size.
#[cfg(feature = "peers")]
pub const NUM_DUAL_MAX_N: usize = 1_000;

/// The report's cases, one per size in [`SIZES`].
#[must_use]
pub fn cases() -> Vec<Case> {
    SIZES.iter().map(|&n| case(n)).collect()
}

/// The case for one size: `f`, then the gradient codes (`f_vjp` with a
/// preallocated adjoint, which the hand-written gradient is compared with,
/// then `f_grad`, which returns a `Vec` like the peers it is compared with),
/// then `f_jvp` and num-dual's `Dual64` for the direction (1, ..., 1).
/// Without the `peers` feature the peers' runs and checks are left out;
/// every other run and check is the same.
///
/// # Panics
/// If `n` is odd.
#[must_use]
pub fn case(n: usize) -> Case {
    assert!(
        n.is_multiple_of(2),
        "the extended Rosenbrock function needs an even n"
    );
    let x = rosenbrock_start(n);
    let dir = vec![1.0; n];
    let mut checks = Vec::new();

    let value = rosenbrock(&x);
    let mut hand = vec![0.0; n];
    let hand_value = rosenbrock_grad_by_hand(&x, &mut hand);
    let (grad_value, grad) = rosenbrock_grad(&x);
    let mut vjp = vec![0.0; n];
    let vjp_value = rosenbrock_vjp(&x, &mut vjp, 1.0);
    checks.push(check_line(
        "values of f_grad, f_vjp, hand vs f",
        rel_diff(&[grad_value, vjp_value, hand_value], &[value; 3]),
        1e-14,
    ));
    checks.push(check_line("f_grad vs hand", rel_diff(&grad, &hand), 1e-14));
    checks.push(check_line("f_vjp vs f_grad", rel_diff(&vjp, &grad), 0.0));

    let (_, tangent) = rosenbrock_jvp(&x, &dir);
    let directional: f64 = hand.iter().sum();
    checks.push(check_line(
        "f_jvp vs hand gradient . direction",
        rel_diff(&[tangent], &[directional]),
        1e-12,
    ));
    let (_, hvp_grad, hv) = rosenbrock_hvp(&x, &dir);
    checks.push(check_line(
        "f_hvp gradient vs f_grad",
        rel_diff(&hvp_grad, &grad),
        1e-14,
    ));
    checks.push(check_line(
        "f_hvp vs hand H . direction",
        rel_diff(&hv, &rosenbrock_hvp_by_hand(&x, &dir)),
        1e-12,
    ));
    let mut runs = vec![
        Run::new("f", {
            let x = x.clone();
            move || rosenbrock(black_box(&x))
        }),
        Run::new("adiff f_vjp", {
            let x = x.clone();
            move || {
                vjp.fill(0.0);
                let v = rosenbrock_vjp(black_box(&x), &mut vjp, 1.0);
                v + black_box(&vjp)[0]
            }
        }),
        Run::new("hand", {
            let x = x.clone();
            move || {
                let v = rosenbrock_grad_by_hand(black_box(&x), &mut hand);
                v + black_box(&hand)[0]
            }
        }),
        Run::new("adiff f_grad", {
            let x = x.clone();
            move || {
                let (v, g) = rosenbrock_grad(black_box(&x));
                v + g[0]
            }
        }),
    ];
    #[cfg(feature = "peers")]
    let peers = peers::runs(&x, &dir, value, tangent, &grad, &mut checks);
    #[cfg(feature = "peers")]
    runs.extend(peers.gradient);
    runs.push(Run::new("adiff f_jvp", {
        let (x, dir) = (x.clone(), dir.clone());
        move || {
            let (v, t) = rosenbrock_jvp(black_box(&x), black_box(&dir));
            v + t
        }
    }));
    #[cfg(feature = "peers")]
    runs.push(peers.jvp);
    // The same sweep into preallocated adjoints, as "adiff f_vjp" is timed:
    // without the two result `Vec`s `f_hvp` allocates.
    runs.push(Run::new("adiff f_jvp_vjp", {
        let (x, dir) = (x.clone(), dir.clone());
        let (mut x_bar, mut dir_bar) = (vec![0.0; n], vec![0.0; n]);
        move || {
            x_bar.fill(0.0);
            dir_bar.fill(0.0);
            let (v, t) = rosenbrock_jvp_vjp(
                black_box(&x),
                &mut x_bar,
                black_box(&dir),
                &mut dir_bar,
                (0.0, 1.0),
            );
            v + t + black_box(&x_bar)[0] + black_box(&dir_bar)[0]
        }
    }));
    runs.push(Run::new("adiff f_hvp", {
        let (x, dir) = (x.clone(), dir.clone());
        move || {
            let (v, g, hv) = rosenbrock_hvp(black_box(&x), black_box(&dir));
            v + g[0] + hv[0]
        }
    }));

    Case {
        benchmark: format!("rosenbrock_n{n}"),
        detail: detail(n),
        runs,
        checks,
    }
}

/// The case's detail line.
#[cfg(feature = "peers")]
fn detail(n: usize) -> String {
    format!(
        "x = (-1.2, 1, ...); f_jvp and Dual64 in direction (1, ..., 1){}",
        if n <= NUM_DUAL_MAX_N {
            if n == 10 {
                "; num-dual gradient: SVector, one sweep"
            } else {
                "; num-dual gradient: DVector, one Dual64 sweep per input"
            }
        } else {
            ""
        }
    )
}

/// The case's detail line (no peers: built without the `peers` feature).
#[cfg(not(feature = "peers"))]
fn detail(_n: usize) -> String {
    "x = (-1.2, 1, ...); f_jvp in direction (1, ..., 1); peers not built (feature `peers`)"
        .to_string()
}

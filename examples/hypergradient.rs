//! Hypergradients through a whole training run (Maclaurin, Duvenaud and
//! Adams, 2015): logistic regression trained by 1,000 steps of gradient
//! descent with momentum on `examples/data/classification.csv`, and the
//! gradient of the validation loss with respect to the learning rate `α`,
//! the momentum `γ` and the weight decay `λ`.
//!
//! Three ways:
//! - **plain tape**: `#[grad]` of the training run, whose reverse keeps every
//!   step's overwritten weights and velocities;
//! - **binomial checkpointing**: the same function with
//!   `#[checkpoint(snapshots = 20)]` on the training loop;
//! - **reversible**: the training run in `adiff::reversible::ExactSgdm`,
//!   which undoes each step exactly (fixed point plus the bits the
//!   multiplication by `γ` loses), with the reverse sweep written out
//!   (Maclaurin et al.'s Algorithm 2) around `train_grad_vjp`, the
//!   generated reverse mode of the training gradient (which gives the
//!   Hessian-vector products).
//!
//! For each it prints the hypergradient, its agreement with central
//! differences of the training run, the time and the peak heap memory of
//! the derivative, and it exits non-zero if the three disagree, if they
//! disagree with the differences, if the reversed run does not end at the
//! initial weights bit for bit, or if the reversible run's memory exceeds a
//! tenth of the plain tape's.
//!
//! `cargo run --release --example hypergradient`

use std::time::Instant;

use adiff::reversible::ExactSgdm;
use adiff::{grad, vjp};
use peak_alloc::PeakAlloc;

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

/// Features per row.
const D: usize = 8;
/// Training steps.
const STEPS: usize = 1_000;

/// The gradient of the regularised mean logistic loss,
/// `Xᵀ(σ(Xw) − y)/n + λw`, written into `g`.
#[vjp]
fn train_grad(w: &[f64], lambda: f64, x: &[f64], y: &[f64], g: &mut [f64]) {
    let n = y.len();
    for j in 0..D {
        g[j] = lambda * w[j];
    }
    for i in 0..n {
        let mut z = 0.0;
        for j in 0..D {
            z += x[i * D + j] * w[j];
        }
        let r = (1.0 / (1.0 + (-z).exp()) - y[i]) / n as f64;
        for j in 0..D {
            g[j] += r * x[i * D + j];
        }
    }
}

/// The mean logistic loss on the validation rows.
#[grad(wrt(w))]
fn val_loss(w: &[f64], x: &[f64], y: &[f64]) -> f64 {
    let n = y.len();
    let mut s = 0.0;
    for i in 0..n {
        let mut z = 0.0;
        for j in 0..D {
            z += x[i * D + j] * w[j];
        }
        // log(1 + e^z) − y·z, the loss of a logit z.
        s += (1.0 + z.exp()).ln() - y[i] * z;
    }
    s / n as f64
}

/// The validation loss after training, as a function of the
/// hyperparameters; with or without a checkpointed training loop.
macro_rules! training_run {
    ($name:ident $(, #[$ck:meta])?) => {
        #[grad(wrt(alpha, gamma, lambda))]
        #[allow(clippy::too_many_arguments, dead_code)]
        fn $name(
            alpha: f64,
            gamma: f64,
            lambda: f64,
            x: &[f64],
            y: &[f64],
            xv: &[f64],
            yv: &[f64],
            steps: usize,
        ) -> f64 {
            let mut w = vec![0.1; D];
            let mut v = vec![0.0; D];
            let mut g = vec![0.0; D];
            $(#[$ck])?
            for _ in 0..steps {
                train_grad(&w, lambda, x, y, &mut g);
                for j in 0..D {
                    v[j] = gamma * v[j] - (1.0 - gamma) * g[j];
                    w[j] += alpha * v[j];
                }
            }
            val_loss(&w, xv, yv)
        }
    };
}

training_run!(run_plain);
training_run!(run_checkpointed, #[checkpoint(snapshots = 20)]);

/// Train and validation rows: features row-major, labels.
struct Data {
    x: Vec<f64>,
    y: Vec<f64>,
    xv: Vec<f64>,
    yv: Vec<f64>,
}

fn load() -> Data {
    let text = include_str!("data/classification.csv");
    let rows: Vec<Vec<f64>> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|v| v.trim().parse().expect("a number"))
                .collect()
        })
        .collect();
    let split = |rows: &[Vec<f64>]| {
        let x = rows.iter().flat_map(|r| r[..D].to_vec()).collect();
        let y = rows.iter().map(|r| r[D]).collect();
        (x, y)
    };
    let (x, y) = split(&rows[..200]);
    let (xv, yv) = split(&rows[200..]);
    Data { x, y, xv, yv }
}

/// The hypergradient (∂/∂α, ∂/∂γ, ∂/∂λ) by the reversible run, and whether
/// reversing it ended at the initial weights and velocities bit for bit.
fn reversible(alpha: f64, gamma: f64, lambda: f64, data: &Data) -> (f64, [f64; 3], bool) {
    let (x, y) = (&data.x[..], &data.y[..]);
    let mut opt = ExactSgdm::new(&[0.1; D], &[0.0; D], alpha, gamma);
    let start = opt.clone();
    let gamma = opt.gamma();
    let mut g = vec![0.0; D];
    for _ in 0..STEPS {
        train_grad(&opt.weights(), lambda, x, y, &mut g);
        opt.step(&g);
    }
    let (loss, mut dw) = val_loss_grad(&opt.weights(), &data.xv, &data.yv);
    let mut dv = [0.0; D];
    let (mut d_alpha, mut d_gamma, mut d_lambda) = (0.0, 0.0, 0.0);
    // Scratch adjoints of the data, which are not wanted.
    let (mut x_bar, mut y_bar) = (vec![0.0; x.len()], vec![0.0; y.len()]);
    for _ in 0..STEPS {
        // w_t = w_{t-1} + α v_t
        let v_t = opt.velocities();
        for j in 0..D {
            d_alpha += dw[j] * v_t[j];
            dv[j] += alpha * dw[j];
        }
        opt.unstep_weights();
        let w = opt.weights();
        train_grad(&w, lambda, x, y, &mut g);
        opt.unstep_velocity(&g);
        // v_t = γ v_{t-1} − (1 − γ) g(w_{t-1}, λ)
        let v_prev = opt.velocities();
        for j in 0..D {
            d_gamma += dv[j] * (v_prev[j] + g[j]);
        }
        // (H·dv, ∂g/∂λ·dv) from the reverse mode of the gradient.
        let mut w_bar = vec![0.0; D];
        let mut lambda_bar = 0.0;
        let mut g_bar: Vec<f64> = dv.iter().map(|d| -(1.0 - gamma) * d).collect();
        let mut scratch = vec![0.0; D];
        train_grad_vjp(
            &w,
            &mut w_bar,
            lambda,
            &mut lambda_bar,
            x,
            &mut x_bar,
            y,
            &mut y_bar,
            &mut scratch,
            &mut g_bar,
        );
        for j in 0..D {
            dw[j] += w_bar[j];
            dv[j] *= gamma;
        }
        d_lambda += lambda_bar;
    }
    (loss, [d_alpha, d_gamma, d_lambda], opt.same_state(&start))
}

/// Peak heap bytes of `f` above what was live before it, and its time.
fn measured<T>(f: impl FnOnce() -> T) -> (T, usize, f64) {
    let before = PEAK.current_usage();
    PEAK.reset_peak_usage();
    let t = Instant::now();
    let out = f();
    let seconds = t.elapsed().as_secs_f64();
    (out, PEAK.peak_usage().saturating_sub(before), seconds)
}

fn main() {
    let data = load();
    // γ = 0.875 is a multiple of 2⁻¹⁶, so the reversible run uses it exactly.
    let (alpha, gamma, lambda) = (0.02, 0.875, 0.01);
    let run =
        |a: f64, g: f64, l: f64| run_plain(a, g, l, &data.x, &data.y, &data.xv, &data.yv, STEPS);
    let h = 1e-5;
    let fd = [
        (run(alpha + h, gamma, lambda) - run(alpha - h, gamma, lambda)) / (2.0 * h),
        (run(alpha, gamma + h, lambda) - run(alpha, gamma - h, lambda)) / (2.0 * h),
        (run(alpha, gamma, lambda + h) - run(alpha, gamma, lambda - h)) / (2.0 * h),
    ];
    let ((loss, plain), mem_plain, t_plain) = measured(|| {
        let (y, (a, g, l)) = run_plain_grad(
            alpha, gamma, lambda, &data.x, &data.y, &data.xv, &data.yv, STEPS,
        );
        (y, [a, g, l])
    });
    let ((_, ck), mem_ck, t_ck) = measured(|| {
        let (y, (a, g, l)) = run_checkpointed_grad(
            alpha, gamma, lambda, &data.x, &data.y, &data.xv, &data.yv, STEPS,
        );
        (y, [a, g, l])
    });
    let ((loss_rev, rev, exact), mem_rev, t_rev) =
        measured(|| reversible(alpha, gamma, lambda, &data));

    println!("Validation loss after {STEPS} steps: {loss:.6} (reversible run: {loss_rev:.6})");
    println!(
        "Central differences (h = {h:e}): dα {:.6e}, dγ {:.6e}, dλ {:.6e}\n",
        fd[0], fd[1], fd[2]
    );
    println!("| way | dL/dα | dL/dγ | dL/dλ | max rel. diff. from differences | time (ms) | peak memory (bytes) |");
    println!("|---|---|---|---|---|---|---|");
    let mut ok = true;
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-12);
    for (name, g, mem, t, tol) in [
        ("plain tape", plain, mem_plain, t_plain, 1e-5),
        ("binomial checkpointing, S = 20", ck, mem_ck, t_ck, 1e-5),
        (
            "reversible (exact SGD with momentum)",
            rev,
            mem_rev,
            t_rev,
            1e-5,
        ),
    ] {
        let worst = (0..3).map(|i| rel(g[i], fd[i])).fold(0.0, f64::max);
        ok &= worst < tol;
        println!(
            "| {name} | {:.6e} | {:.6e} | {:.6e} | {worst:.1e} | {:.1} | {mem} |",
            g[0],
            g[1],
            g[2],
            t * 1e3
        );
    }
    // Checkpointing replays the plain tape's arithmetic: the same bits.
    let same = plain == ck;
    println!("\nCheckpointed gradient equal to the plain tape's bit for bit: {same}");
    println!("Reversed run ends at the initial weights and velocities bit for bit: {exact}");
    let share = mem_rev as f64 / mem_plain as f64;
    println!("Reversible memory / plain tape memory: {share:.3}");
    if !(ok && same && exact && share <= 0.1) {
        eprintln!("hypergradient check failed");
        std::process::exit(1);
    }
}

//! The ADBench GMM objective, written plainly over flat slices, with its
//! gradient from `#[grad]`, checked against ADBench's reference values with
//! ADBench's rule |x − y| / max(1, |x| + |y|) < 1e-8.
//!
//! The data lives in `../shared/adbench/` (beside the repository); without
//! it the test prints a message and passes.

// ADBench's own code uses pi = 3.14159265359 and index loops; kept as is.
#![allow(
    clippy::approx_constant,
    clippy::needless_range_loop,
    clippy::cast_precision_loss
)]

use std::path::{Path, PathBuf};

use autodiff::grad;

/// E(alpha, means, icf) of ADBench's GMM (see `../shared/adbench/README.md`).
/// `constant` is the parameter-free Wishart normaliser `C`.
#[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
#[grad(wrt(alpha, means, icf))]
fn gmm_objective(
    alpha: &[f64],
    means: &[f64],
    icf: &[f64],
    x: &[f64],
    d: usize,
    k: usize,
    n: usize,
    gamma: f64,
    m: usize,
    constant: f64,
) -> f64 {
    let icf_size = d * (d + 1) / 2;
    let mut sum_lse = 0.0;
    for i in 0..n {
        // logsumexp over components of beta_ik, in two passes (max, then sum).
        let mut beta_max = f64::NEG_INFINITY;
        for c in 0..k {
            let mut sum_q = 0.0;
            for j in 0..d {
                sum_q += icf[c * icf_size + j];
            }
            let mut sqnorm = 0.0;
            for r in 0..d {
                let mut qx = icf[c * icf_size + r].exp() * (x[i * d + r] - means[c * d + r]);
                for col in 0..r {
                    let l = icf[c * icf_size + d + col * (d - 1) - col * (col + 1) / 2 + r - 1];
                    qx += l * (x[i * d + col] - means[c * d + col]);
                }
                sqnorm += qx * qx;
            }
            let beta = alpha[c] + sum_q - 0.5 * sqnorm;
            beta_max = beta_max.max(beta);
        }
        let mut sum_exp = 0.0;
        for c in 0..k {
            let mut sum_q = 0.0;
            for j in 0..d {
                sum_q += icf[c * icf_size + j];
            }
            let mut sqnorm = 0.0;
            for r in 0..d {
                let mut qx = icf[c * icf_size + r].exp() * (x[i * d + r] - means[c * d + r]);
                for col in 0..r {
                    let l = icf[c * icf_size + d + col * (d - 1) - col * (col + 1) / 2 + r - 1];
                    qx += l * (x[i * d + col] - means[c * d + col]);
                }
                sqnorm += qx * qx;
            }
            let beta = alpha[c] + sum_q - 0.5 * sqnorm;
            sum_exp += (beta - beta_max).exp();
        }
        sum_lse += beta_max + sum_exp.ln();
    }
    let mut alpha_max = f64::NEG_INFINITY;
    for c in 0..k {
        alpha_max = alpha_max.max(alpha[c]);
    }
    let mut alpha_sum = 0.0;
    for c in 0..k {
        alpha_sum += (alpha[c] - alpha_max).exp();
    }
    let lse_alpha = alpha_max + alpha_sum.ln();
    let mut prior = 0.0;
    for c in 0..k {
        let mut frobenius = 0.0;
        let mut sum_q = 0.0;
        for j in 0..d {
            let q = icf[c * icf_size + j];
            sum_q += q;
            frobenius += (2.0 * q).exp();
        }
        for j in d..icf_size {
            let l = icf[c * icf_size + j];
            frobenius += l * l;
        }
        prior += 0.5 * gamma * gamma * frobenius - m as f64 * sum_q;
    }
    let pi = 3.14159265359_f64;
    -((n * d) as f64) * 0.5 * (2.0 * pi).ln() + sum_lse - n as f64 * lse_alpha + prior
        - k as f64 * constant
}

struct Instance {
    d: usize,
    k: usize,
    n: usize,
    alpha: Vec<f64>,
    means: Vec<f64>,
    icf: Vec<f64>,
    x: Vec<f64>,
    gamma: f64,
    m: usize,
}

fn read(path: &Path) -> Instance {
    let text = std::fs::read_to_string(path).expect("readable ADBench file");
    let mut t = text.split_whitespace();
    let mut next = || t.next().expect("well-formed ADBench file");
    let (d, k, n): (usize, usize, usize) = (
        next().parse().unwrap(),
        next().parse().unwrap(),
        next().parse().unwrap(),
    );
    let mut floats = |count: usize| {
        (0..count)
            .map(|_| next().parse::<f64>().unwrap())
            .collect::<Vec<_>>()
    };
    let alpha = floats(k);
    let means = floats(k * d);
    let icf = floats(k * d * (d + 1) / 2);
    let x = floats(n * d);
    let gamma = floats(1)[0];
    let m = floats(1)[0] as usize;
    Instance {
        d,
        k,
        n,
        alpha,
        means,
        icf,
        x,
        gamma,
        m,
    }
}

/// C = n' D (ln γ − ½ ln 2) − lnΓ_D(n'/2), n' = D + m + 1.
fn wishart_constant(d: usize, m: usize, gamma: f64) -> f64 {
    let pi = 3.14159265359_f64;
    let np = (d + m + 1) as f64;
    let a = np / 2.0;
    let mut ln_gamma_d = (d * (d - 1)) as f64 / 4.0 * pi.ln();
    for j in 1..=d {
        ln_gamma_d += libm::lgamma(a + (1.0 - j as f64) / 2.0);
    }
    np * d as f64 * (gamma.ln() - 0.5 * 2f64.ln()) - ln_gamma_d
}

fn adbench_close(x: f64, y: f64) -> bool {
    (x - y).abs() / (x.abs() + y.abs()).max(1.0) < 1e-8
}

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/adbench");
    dir.is_dir().then_some(dir)
}

#[test]
fn gmm_matches_adbench_references() {
    let Some(dir) = shared() else {
        println!("adbench data not found beside the repository; skipped");
        return;
    };
    let objectives = std::fs::read_to_string(dir.join("reference/gmm/objectives.json")).unwrap();
    for name in ["gmm/1k/gmm_d2_K5.txt", "gmm/1k/gmm_d10_K5.txt"] {
        let inst = read(&dir.join(name));
        let c = wishart_constant(inst.d, inst.m, inst.gamma);
        let (value, (ga, gm, gi)) = gmm_objective_grad(
            &inst.alpha,
            &inst.means,
            &inst.icf,
            &inst.x,
            inst.d,
            inst.k,
            inst.n,
            inst.gamma,
            inst.m,
            c,
        );
        assert_eq!(
            value,
            gmm_objective(
                &inst.alpha,
                &inst.means,
                &inst.icf,
                &inst.x,
                inst.d,
                inst.k,
                inst.n,
                inst.gamma,
                inst.m,
                c
            )
        );
        // The reference objective, from the JSON text.
        let key = format!("\"{name}\"");
        let tail = &objectives[objectives.find(&key).unwrap()..];
        let obj_text = tail
            .split("\"objective\":")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .trim();
        let reference: f64 = obj_text.parse().unwrap();
        assert!(
            adbench_close(value, reference),
            "{name}: objective {value} vs reference {reference}"
        );
        let grad_file = format!(
            "reference/gmm/{}.gradient.txt",
            name.trim_start_matches("gmm/")
                .replace('/', "_")
                .trim_end_matches(".txt")
        );
        let reference: Vec<f64> = std::fs::read_to_string(dir.join(grad_file))
            .unwrap()
            .split_whitespace()
            .map(|s| s.parse().unwrap())
            .collect();
        let ours: Vec<f64> = ga.iter().chain(&gm).chain(&gi).copied().collect();
        assert_eq!(ours.len(), reference.len(), "{name}: gradient length");
        for (i, (a, b)) in ours.iter().zip(&reference).enumerate() {
            assert!(
                adbench_close(*a, *b),
                "{name}: gradient[{i}] = {a} vs reference {b}"
            );
        }
    }
}

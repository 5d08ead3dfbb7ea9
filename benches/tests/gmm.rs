//! The GMM gradients: generated vs hand-written vs central finite
//! differences on small synthetic instances, both against ADBench's
//! reference values where the data is present, and the synthetic
//! generator's determinism.

use adiff_bench::adbench;
use adiff_bench::gmm::{max_reference_error, Gmm};

/// The objective with parameter `p` of the flattened (alpha, means, icf)
/// replaced by `value`.
fn objective_at(g: &Gmm, p: usize, value: f64) -> f64 {
    let mut g = g.clone();
    let (k, km) = (g.k, g.k + g.means.len());
    if p < k {
        g.alpha[p] = value;
    } else if p < km {
        g.means[p - k] = value;
    } else {
        g.icf[p - km] = value;
    }
    g.objective()
}

/// Central differences of the objective along every parameter.
fn finite_differences(g: &Gmm) -> Vec<f64> {
    let params: Vec<f64> = g
        .alpha
        .iter()
        .chain(&g.means)
        .chain(&g.icf)
        .copied()
        .collect();
    params
        .iter()
        .enumerate()
        .map(|(p, &v)| {
            let h = 1e-5 * v.abs().max(1.0);
            (objective_at(g, p, v + h) - objective_at(g, p, v - h)) / (2.0 * h)
        })
        .collect()
}

#[test]
fn generated_gradient_matches_hand_and_finite_differences() {
    // Several shapes, including D = 1 (no lower triangle) and K = 1.
    for (d, k, n, seed) in [(1, 1, 3, 1), (2, 3, 5, 2), (3, 4, 7, 3), (5, 2, 4, 4)] {
        let g = Gmm::synthetic(d, k, n, seed);
        let (value, ours) = g.gradient_adiff();
        let (hand_value, hand) = g.gradient_by_hand();
        let fd = finite_differences(&g);
        assert_eq!(ours.len(), g.gradient_len());
        assert_eq!(value, g.objective(), "vjp returns the objective");
        assert!(
            adbench::error(value, hand_value) < 1e-13,
            "d{d}K{k}: objective {value} vs hand {hand_value}"
        );
        let e_hand = adbench::max_error(&ours, &hand);
        assert!(
            e_hand < 1e-12,
            "d{d}K{k}: generated vs hand gradient, max err {e_hand:e}"
        );
        let e_fd = adbench::max_error(&ours, &fd);
        assert!(
            e_fd < 1e-6,
            "d{d}K{k}: generated vs finite differences, max err {e_fd:e}"
        );
    }
}

#[test]
fn synthetic_instances_are_deterministic() {
    let a = Gmm::synthetic(4, 3, 20, adbench::SEED);
    assert_eq!(a, Gmm::synthetic(4, 3, 20, adbench::SEED));
    assert_ne!(a, Gmm::synthetic(4, 3, 20, adbench::SEED + 1));
    assert_eq!((a.gamma, a.m), (1.0, 0));
    assert!(
        a.means.iter().all(|&m| (0.0..1.0).contains(&m)),
        "means from U(0, 1)"
    );
    assert!(a.x.iter().any(|&x| x < 0.0), "points from N(0, 1)");
}

/// The objective and gradient of the ADBench file `name`, by both codes.
fn both_gradients(g: &Gmm) -> [(&'static str, f64, Vec<f64>); 2] {
    let (v, ours) = g.gradient_adiff();
    let (w, hand) = g.gradient_by_hand();
    [("generated", v, ours), ("hand", w, hand)]
}

#[test]
fn matches_adbench_references() {
    let Some(dir) = adbench::data_dir() else {
        println!(
            "ADBench data not found (set {} or put it in ../shared/adbench); skipped",
            adbench::DIR_VAR
        );
        return;
    };
    // The two smaller N = 1000 instances keep this fast in the dev profile.
    for (d, k) in [(2, 5), (10, 5)] {
        let g = Gmm::read(&dir.join(adiff_bench::gmm::file_name(d, k)));
        assert_eq!((g.d, g.k, g.n), (d, k, 1000));
        for (label, v, grad) in both_gradients(&g) {
            let (e_obj, e_grad) =
                max_reference_error(&dir, d, k, v, &grad).expect("reference present");
            println!(
                "gmm_d{d}K{k} {label}: objective err {e_obj:.1e}, gradient max err {e_grad:.1e}"
            );
            assert!(
                e_obj < adbench::TOLERANCE,
                "d{d}K{k} {label}: objective err {e_obj:e}"
            );
            assert!(
                e_grad < adbench::TOLERANCE,
                "d{d}K{k} {label}: gradient err {e_grad:e}"
            );
        }
    }
}

#[test]
fn matches_adbench_test_instance() {
    let Some(dir) = adbench::data_dir() else {
        println!("ADBench data not found; skipped");
        return;
    };
    let g = Gmm::read(&dir.join("gmm/test.txt"));
    let reference = adbench::read_json(&dir.join("reference/gmm_test.json"));
    let objective = reference["objective"].as_f64().unwrap();
    let gradient = adbench::json_floats(&reference["gradient"], "gradient");
    for (label, v, grad) in both_gradients(&g) {
        assert!(
            adbench::error(v, objective) < adbench::TOLERANCE,
            "{label}: objective {v}"
        );
        let e = adbench::max_error(&grad, &gradient);
        assert!(e < adbench::TOLERANCE, "{label}: gradient max err {e:e}");
    }
}

/// `f_hvp` of the objective (through its calls to `logsumexp` and
/// `log_wishart_prior`): the gradient is the generated one, the Hessian
/// from one product per unit direction agrees with central differences of
/// the gradient, and it is symmetric.
#[test]
fn hessian_vector_products() {
    for (d, k, n, seed) in [(1, 1, 3, 5), (2, 3, 5, 6), (3, 2, 4, 7)] {
        let g = Gmm::synthetic(d, k, n, seed);
        let len = g.gradient_len();
        let (_, grad) = g.gradient_adiff();
        let columns: Vec<Vec<f64>> = (0..len)
            .map(|j| {
                let mut e = vec![0.0; len];
                e[j] = 1.0;
                let (value, hg, hv) = g.hvp(&e);
                assert_eq!(value, g.objective());
                assert!(adbench::max_error(&hg, &grad) < 1e-12, "d{d}K{k}: gradient");
                hv
            })
            .collect();
        let h = 1e-6;
        for (j, column) in columns.iter().enumerate() {
            let mut unit = vec![0.0; len];
            unit[j] = 1.0;
            let shifted = |t: f64| g.shifted(t, &unit).gradient_adiff().1;
            let fd: Vec<f64> = shifted(h)
                .iter()
                .zip(shifted(-h))
                .map(|(a, b)| (a - b) / (2.0 * h))
                .collect();
            let e = adbench::max_error(column, &fd);
            assert!(
                e < 1e-5,
                "d{d}K{k}: column {j} vs differences, max err {e:e}"
            );
            for (i, hij) in column.iter().enumerate() {
                let hji = columns[i][j];
                assert!(
                    (hij - hji).abs() <= 1e-10 * hij.abs().max(1.0),
                    "d{d}K{k}: H[{i}][{j}] = {hij}, H[{j}][{i}] = {hji}"
                );
            }
        }
    }
}

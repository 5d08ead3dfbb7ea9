//! The LSTM gradients: generated vs hand-written vs central finite
//! differences on small synthetic instances, both against ADBench's
//! reference values where the data is present, and the synthetic
//! generator's determinism.

use adiff_bench::adbench;
use adiff_bench::lstm::{file_name, max_reference_error, Lstm};

/// The objective with parameter `p` of (main_params, extra_params)
/// replaced by `value`.
fn objective_at(m: &Lstm, p: usize, value: f64) -> f64 {
    let mut m = m.clone();
    let main = m.main_params.len();
    if p < main {
        m.main_params[p] = value;
    } else {
        m.extra_params[p - main] = value;
    }
    m.objective()
}

/// Central differences of the objective along every parameter.
fn finite_differences(m: &Lstm) -> Vec<f64> {
    let params: Vec<f64> = m
        .main_params
        .iter()
        .chain(&m.extra_params)
        .copied()
        .collect();
    params
        .iter()
        .enumerate()
        .map(|(p, &v)| {
            let h = 1e-5 * v.abs().max(1.0);
            (objective_at(m, p, v + h) - objective_at(m, p, v - h)) / (2.0 * h)
        })
        .collect()
}

#[test]
fn generated_gradient_matches_hand_and_finite_differences() {
    // Layers, characters, bits, seed; c = 2 is a single step.
    for (l, c, b, seed) in [(1, 2, 1, 1), (2, 5, 3, 2), (3, 6, 4, 3)] {
        let m = Lstm::synthetic(l, c, b, seed);
        let (value, ours) = m.gradient_adiff();
        let (hand_value, hand) = m.gradient_by_hand();
        let fd = finite_differences(&m);
        assert_eq!(ours.len(), m.gradient_len());
        assert_eq!(value, m.objective(), "vjp returns the objective");
        assert!(
            adbench::error(value, hand_value) < 1e-14,
            "l{l}c{c}: objective {value} vs hand {hand_value}"
        );
        let e_hand = adbench::max_error(&ours, &hand);
        assert!(
            e_hand < 1e-14,
            "l{l}c{c}: generated vs hand gradient, max err {e_hand:e}"
        );
        let e_fd = adbench::max_error(&ours, &fd);
        assert!(
            e_fd < 1e-8,
            "l{l}c{c}: generated vs finite differences, max err {e_fd:e}"
        );
        // The loss is O(1), so an absolute check with gradient entries of
        // size 1e-2 is meaningful; make sure they are not all tiny.
        assert!(
            fd.iter().any(|g| g.abs() > 1e-3),
            "l{l}c{c}: gradient too small to test"
        );
    }
}

#[test]
fn synthetic_instances_are_deterministic() {
    let a = Lstm::synthetic(2, 30, 14, adbench::SEED);
    assert_eq!(a, Lstm::synthetic(2, 30, 14, adbench::SEED));
    assert_ne!(a, Lstm::synthetic(2, 30, 14, adbench::SEED + 1));
    assert!(a.sequence.iter().all(|&x| x == 0.0 || x == 1.0), "bits");
    assert!(
        a.main_params.iter().all(|&p| (0.0..1.0).contains(&p)),
        "U(0, 1)"
    );
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
    for (l, c) in adiff_bench::lstm::INSTANCES {
        let m = Lstm::read(&dir.join(file_name(l, c)));
        assert_eq!((m.l, m.c, m.b), (l, c, 14));
        let (v, ours) = m.gradient_adiff();
        let (w, hand) = m.gradient_by_hand();
        for (label, value, grad) in [("generated", v, ours), ("hand", w, hand)] {
            let (e_obj, e_grad) =
                max_reference_error(&dir, l, c, value, &grad).expect("reference present");
            println!(
                "lstm_l{l}_c{c} {label}: objective err {e_obj:.1e}, gradient max err {e_grad:.1e}"
            );
            assert!(
                e_obj < adbench::TOLERANCE,
                "l{l} {label}: objective err {e_obj:e}"
            );
            assert!(
                e_grad < adbench::TOLERANCE,
                "l{l} {label}: gradient err {e_grad:e}"
            );
        }
    }
}

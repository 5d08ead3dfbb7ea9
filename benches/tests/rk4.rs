//! Every sensitivity of the RK4 trajectory agrees with the others and with
//! central finite differences. num-dual's is checked with the `peers`
//! feature only.

use adiff_bench::rk4::*;
use approx::assert_relative_eq;
#[cfg(feature = "peers")]
use num_dual::Dual64;

const STEPS: usize = 50;
const K: f64 = 0.8;

fn hand() -> Vec<f64> {
    let (mut out, mut sens) = (vec![0.0; STEPS], vec![0.0; STEPS]);
    trajectory_sensitivity_by_hand(K, &mut out, &mut sens);
    let mut primal = vec![0.0; STEPS];
    trajectory(K, &mut primal);
    assert_eq!(out, primal);
    sens
}

#[test]
fn forward_mode_agrees_with_hand_and_differences() {
    let hand = hand();
    let (mut out, mut jvp) = (vec![0.0; STEPS], vec![0.0; STEPS]);
    trajectory_jvp(K, 1.0, &mut out, &mut jvp);
    assert_relative_eq!(&jvp[..], &hand[..], max_relative = 1e-13);

    let (mut plus, mut minus, mut fd) = (vec![0.0; STEPS], vec![0.0; STEPS], vec![0.0; STEPS]);
    trajectory_sensitivity_by_differences(K, &mut plus, &mut minus, &mut fd);
    assert_relative_eq!(&fd[..], &hand[..], max_relative = 1e-7);
}

#[cfg(feature = "peers")]
#[test]
fn dual_numbers_agree_with_hand() {
    let hand = hand();
    let mut duals = vec![Dual64::from(0.0); STEPS];
    num_dual_trajectory(Dual64::new(K, 1.0), &mut duals);
    let eps: Vec<f64> = duals.iter().map(|d| d.eps).collect();
    assert_relative_eq!(&eps[..], &hand[..], max_relative = 1e-13);
}

#[test]
fn reverse_mode_gives_the_same_jacobian_column() {
    let hand = hand();
    let (mut out, mut out_bar, mut rev) = (vec![0.0; STEPS], vec![0.0; STEPS], vec![0.0; STEPS]);
    trajectory_sensitivity_by_reverse(K, &mut out, &mut out_bar, &mut rev);
    assert_relative_eq!(&rev[..], &hand[..], max_relative = 1e-13);
}

#[test]
fn report_case_checks_pass() {
    let case = case(K, STEPS);
    assert_eq!(case.runs[0].label, "f");
    for check in &case.checks {
        assert!(check.ends_with(" ok"), "{check}");
    }
    assert_eq!(
        case.checks.iter().any(|c| c.starts_with("num-dual")),
        adiff_bench::PEERS
    );
}

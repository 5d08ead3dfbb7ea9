//! Reverse mode through control flow: every function is checked with the
//! dot-product test ⟨w, J·u⟩ = ⟨Jᵀ·w, u⟩ between `_jvp` and `_vjp`, and its
//! gradient against central finite differences.

// Test functions are written in the styles users write (index loops,
// compound assignments), to exercise the macro on them.
#![allow(
    clippy::needless_range_loop,
    clippy::assign_op_pattern,
    clippy::ptr_arg,
    clippy::manual_swap
)]

use adiff::{grad, jvp, vjp};
use approx::assert_relative_eq;

/// Central finite-difference gradient of a function of a vector.
fn fd_grad(f: impl Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    let mut xp = x.to_vec();
    (0..x.len())
        .map(|i| {
            let h = 1e-6 * x[i].abs().max(1.0);
            xp[i] = x[i] + h;
            let fp = f(&xp);
            xp[i] = x[i] - h;
            let fm = f(&xp);
            xp[i] = x[i];
            (fp - fm) / (2.0 * h)
        })
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A loop body that ends in `continue` for some iterations.
#[jvp]
#[vjp]
fn continue_skip(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let t = x[i] * x[i];
        if t > 1.0 {
            s += t.sqrt();
            continue;
        }
        s += t * x[i];
    }
    s
}

/// `break` out of an inner loop.
#[jvp]
#[vjp]
fn inner_break(x: &[f64], limit: f64) -> f64 {
    let mut total = 0.0;
    for i in 0..x.len() {
        let mut acc = 1.0;
        for j in 0..x.len() {
            acc *= x[(i + j) % x.len()];
            if acc.abs() > limit {
                break;
            }
        }
        total += acc.sin();
    }
    total
}

/// A `while` loop whose trip count depends on the data.
#[jvp]
#[vjp]
fn data_dependent_while(x: f64, y: f64) -> f64 {
    let mut v = x;
    let mut n = 0;
    while v < 10.0 {
        v = v * y + 1.0;
        n += 1;
    }
    v + n as f64
}

/// A `while` condition with side effects.
#[jvp]
#[vjp]
fn while_side_effects(x: &[f64]) -> f64 {
    let mut i = 0;
    let mut s = 0.0;
    while {
        s += x[i] * x[i];
        i += 1;
        i < x.len() && s < 5.0
    } {
        s *= 1.0 + x[i] * 0.1;
    }
    s
}

/// A variable reassigned many times.
#[jvp]
#[vjp]
fn reassigned(x: f64, y: f64) -> f64 {
    let mut z = x;
    z = z * y;
    z = z.sin() + x;
    z = z * z;
    z = z / (1.0 + y * y);
    z = z.exp() - z;
    z
}

/// Array elements overwritten inside loops.
#[jvp]
#[vjp]
fn overwrite_in_loop(x: &[f64; 4], k: f64) -> f64 {
    let mut a = *x;
    for _ in 0..3 {
        for i in 0..4 {
            a[i] = (a[i] * k).sin() + a[(i + 1) % 4];
        }
    }
    a[0] * a[1] + a[2] * a[3]
}

/// An in-place callee taking `&mut`, called twice.
#[jvp]
#[vjp]
fn scale_in_place(v: &mut [f64], k: f64) {
    for i in 0..v.len() {
        v[i] = v[i] * k + v[i].sin();
    }
}

#[jvp]
#[vjp]
fn calls_in_place_twice(x: &[f64; 3], k: f64) -> f64 {
    let mut buf = *x;
    scale_in_place(&mut buf, k);
    scale_in_place(&mut buf, k * 0.5);
    buf[0] * buf[1] * buf[2]
}

/// Recursion with early returns.
#[jvp]
#[vjp]
fn power_tower(x: f64, n: usize) -> f64 {
    if n == 0 {
        return x;
    }
    if n == 1 {
        return x.sin() * x;
    }
    power_tower(x, n - 1) * 0.5 + x.cos()
}

/// Insertion sort, then the sum of the top half: the gradient flows to the
/// elements that end up in the top half.
#[jvp]
#[vjp]
fn sorted_top_half(x: &[f64; 6]) -> f64 {
    let mut a = *x;
    for i in 1..6 {
        let mut j = i;
        while j > 0 && a[j - 1] > a[j] {
            let t = a[j - 1];
            a[j - 1] = a[j];
            a[j] = t;
            j -= 1;
        }
    }
    let mut s = 0.0;
    for k in 3..6 {
        s += a[k] * a[k];
    }
    s
}

/// A running maximum.
#[jvp]
#[vjp]
fn running_max(x: &[f64]) -> f64 {
    let mut m = x[0];
    let mut s = 0.0;
    for &xi in x {
        m = m.max(xi);
        s += m;
    }
    s
}

/// `return` from inside a loop.
#[jvp]
#[vjp]
fn early_return_in_loop(x: &[f64]) -> f64 {
    let mut p = 1.0;
    for i in 0..x.len() {
        p *= x[i];
        if p > 3.0 {
            return p.ln() + i as f64;
        }
    }
    p
}

/// `loop` with `break value` and labelled `continue` (which leaves a write
/// to `j` unread, on purpose).
#[allow(unused_assignments)]
#[jvp]
#[vjp]
fn labelled(x: &[f64]) -> f64 {
    let mut acc = 0.0;
    'outer: for i in 0..x.len() {
        let mut j = 0;
        let r = loop {
            if j >= x.len() {
                break acc;
            }
            if x[j] < 0.0 {
                j += 1;
                continue 'outer;
            }
            acc += x[i] * x[j];
            j += 1;
            if acc > 2.0 {
                break acc * 0.5;
            }
        };
        acc = r + x[i];
    }
    acc
}

#[grad]
fn extended_rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() / 2 {
        let a = x[2 * i];
        let b = x[2 * i + 1];
        s += 100.0 * (b - a * a).powi(2) + (1.0 - a).powi(2);
    }
    s
}

/// Runs the dot-product test and the finite-difference check on a function
/// of a slice, given its jvp and vjp as closures.
fn check(
    name: &str,
    x: &[f64],
    f: impl Fn(&[f64]) -> f64,
    jvp: impl Fn(&[f64], &[f64]) -> f64,
    vjp: impl Fn(&[f64], f64) -> Vec<f64>,
) {
    let n = x.len();
    let u: Vec<f64> = (0..n).map(|i| ((i as f64) * 1.7 + 0.3).sin()).collect();
    let w = 0.7;
    let ju = jvp(x, &u);
    let jtw = vjp(x, w);
    assert_relative_eq!(w * ju, dot(&jtw, &u), max_relative = 1e-10, epsilon = 1e-12);
    let g = vjp(x, 1.0);
    let fd = fd_grad(&f, x);
    for i in 0..n {
        assert!(
            approx::relative_eq!(g[i], fd[i], max_relative = 1e-5, epsilon = 1e-6),
            "{name}: gradient[{i}] = {} but finite difference = {}",
            g[i],
            fd[i]
        );
    }
}

#[test]
fn continue_and_break() {
    for x in [vec![0.5, -1.4, 0.9, 1.3, -0.2], vec![2.0, 0.1, -0.3]] {
        check(
            "continue_skip",
            &x,
            continue_skip,
            |x, u| continue_skip_jvp(x, u).1,
            |x, w| {
                let mut g = vec![0.0; x.len()];
                continue_skip_vjp(x, &mut g, w);
                g
            },
        );
        check(
            "inner_break",
            &x,
            |x| inner_break(x, 0.65),
            |x, u| inner_break_jvp(x, u, 0.65, 0.0).1,
            |x, w| {
                let mut g = vec![0.0; x.len()];
                let mut lb = 0.0;
                inner_break_vjp(x, &mut g, 0.65, &mut lb, w);
                g
            },
        );
    }
}

#[test]
fn while_loops() {
    let x = [1.3, 1.7];
    check(
        "data_dependent_while",
        &x,
        |x| data_dependent_while(x[0], x[1]),
        |x, u| data_dependent_while_jvp(x[0], u[0], x[1], u[1]).1,
        |x, w| {
            let (mut a, mut b) = (0.0, 0.0);
            data_dependent_while_vjp(x[0], &mut a, x[1], &mut b, w);
            vec![a, b]
        },
    );
    let x = [0.8, 1.1, -0.6, 0.9, 1.4, 0.3];
    check(
        "while_side_effects",
        &x,
        while_side_effects,
        |x, u| while_side_effects_jvp(x, u).1,
        |x, w| {
            let mut g = vec![0.0; x.len()];
            while_side_effects_vjp(x, &mut g, w);
            g
        },
    );
}

#[test]
fn reassignment_and_overwrites() {
    let x = [0.4, 0.9];
    check(
        "reassigned",
        &x,
        |x| reassigned(x[0], x[1]),
        |x, u| reassigned_jvp(x[0], u[0], x[1], u[1]).1,
        |x, w| {
            let (mut a, mut b) = (0.0, 0.0);
            reassigned_vjp(x[0], &mut a, x[1], &mut b, w);
            vec![a, b]
        },
    );
    let x = [0.3, -0.7, 1.1, 0.5, 0.8];
    check(
        "overwrite_in_loop",
        &x,
        |x| overwrite_in_loop(&[x[0], x[1], x[2], x[3]], x[4]),
        |x, u| {
            overwrite_in_loop_jvp(
                &[x[0], x[1], x[2], x[3]],
                &[u[0], u[1], u[2], u[3]],
                x[4],
                u[4],
            )
            .1
        },
        |x, w| {
            let mut a = [0.0; 4];
            let mut k = 0.0;
            overwrite_in_loop_vjp(&[x[0], x[1], x[2], x[3]], &mut a, x[4], &mut k, w);
            vec![a[0], a[1], a[2], a[3], k]
        },
    );
}

#[test]
fn in_place_callee_twice() {
    let x = [0.3, -0.7, 1.1, 0.9];
    check(
        "calls_in_place_twice",
        &x,
        |x| calls_in_place_twice(&[x[0], x[1], x[2]], x[3]),
        |x, u| calls_in_place_twice_jvp(&[x[0], x[1], x[2]], &[u[0], u[1], u[2]], x[3], u[3]).1,
        |x, w| {
            let mut a = [0.0; 3];
            let mut k = 0.0;
            calls_in_place_twice_vjp(&[x[0], x[1], x[2]], &mut a, x[3], &mut k, w);
            vec![a[0], a[1], a[2], k]
        },
    );
}

#[test]
fn recursion_with_early_returns() {
    for n in 0..5 {
        let x = [0.7];
        check(
            "power_tower",
            &x,
            |x| power_tower(x[0], n),
            |x, u| power_tower_jvp(x[0], u[0], n).1,
            |x, w| {
                let mut a = 0.0;
                power_tower_vjp(x[0], &mut a, n, w);
                vec![a]
            },
        );
    }
}

#[test]
fn sort_then_partial_sum() {
    let x = [0.5, -1.2, 2.0, 0.9, -0.3, 1.4];
    let as_arr = |x: &[f64]| [x[0], x[1], x[2], x[3], x[4], x[5]];
    check(
        "sorted_top_half",
        &x,
        |x| sorted_top_half(&as_arr(x)),
        |x, u| sorted_top_half_jvp(&as_arr(x), &as_arr(u)).1,
        |x, w| {
            let mut g = [0.0; 6];
            sorted_top_half_vjp(&as_arr(x), &mut g, w);
            g.to_vec()
        },
    );
    // The gradient is 2·x for the three largest elements and 0 elsewhere.
    let mut g = [0.0; 6];
    sorted_top_half_vjp(&x, &mut g, 1.0);
    assert_eq!(g, [0.0, 0.0, 4.0, 1.8, 0.0, 2.8]);
}

#[test]
fn running_maximum() {
    let x = [0.5, -1.2, 2.0, 0.9, 2.4, 1.4];
    check(
        "running_max",
        &x,
        running_max,
        |x, u| running_max_jvp(x, u).1,
        |x, w| {
            let mut g = vec![0.0; x.len()];
            running_max_vjp(x, &mut g, w);
            g
        },
    );
}

#[test]
fn early_return_and_labels() {
    for x in [vec![1.5, 1.2, 2.5, 0.7], vec![0.5, 0.4, 0.3]] {
        check(
            "early_return_in_loop",
            &x,
            early_return_in_loop,
            |x, u| early_return_in_loop_jvp(x, u).1,
            |x, w| {
                let mut g = vec![0.0; x.len()];
                early_return_in_loop_vjp(x, &mut g, w);
                g
            },
        );
    }
    for x in [
        vec![0.5, 0.4, 0.3, 0.9],
        vec![0.7, -0.4, 1.3, 0.2],
        vec![1.5, 1.2, 2.5],
    ] {
        check(
            "labelled",
            &x,
            labelled,
            |x, u| labelled_jvp(x, u).1,
            |x, w| {
                let mut g = vec![0.0; x.len()];
                labelled_vjp(x, &mut g, w);
                g
            },
        );
    }
}

#[test]
fn grad_of_rosenbrock() {
    let x = [-1.2, 1.0, 0.5, 0.3];
    let (v, g) = extended_rosenbrock_grad(&x);
    assert_eq!(v, extended_rosenbrock(&x));
    let fd = fd_grad(extended_rosenbrock, &x);
    for i in 0..x.len() {
        assert_relative_eq!(g[i], fd[i], max_relative = 1e-6);
    }
}

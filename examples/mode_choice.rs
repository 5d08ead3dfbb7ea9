//! Which mode builds a full Jacobian faster: forward when inputs are few
//! and outputs many (n ≪ m), reverse when outputs are few (m ≪ n).
//!
//! The function is a chain of three dense layers with tanh,
//! x (n) → a → b → y (m), each `v ↦ tanh(W v)` with fixed weights. Its
//! Jacobian is J = J_3 J_2 J_1, m × n. Forward mode (`chain_jvp`) gives one
//! column per sweep, so J costs n sweeps; reverse mode (`chain_vjp`) gives
//! one row per sweep, so J costs m sweeps, each dearer than a forward one
//! (the reverse sweep runs the layers forwards first). The example times
//! both for several shapes, shows where the faster mode changes, and checks
//! that both give the same Jacobian.
//!
//! A chain whose narrowest layer is in the middle (256 → 8 → 256) is best
//! differentiated by a hybrid: reverse mode up to the bottleneck and
//! forward mode after it. adiff has no hybrid mode yet, so that case is not
//! shown.
//!
//! Run with `cargo run --release --example mode_choice`. It panics if the
//! two Jacobians differ (or differ from central differences of the first
//! column), or if the mode predicted to win does not win by a
//! clear margin on the lopsided shapes.

use adiff::{jvp, vjp};
use std::time::{Duration, Instant};

/// The chain's sizes and weights: data, not differentiated.
struct Chain {
    dims: [usize; 4],
    /// `weights[l]` is `dims[l + 1] × dims[l]`, row-major.
    weights: [Vec<f64>; 3],
}

// The weights carry no derivative: `chain`'s derivatives treat `c` as a
// constant, and calls such as `weight(c, ..)` with only constant arguments
// stay plain calls.
impl adiff::Constant for Chain {}

#[inline]
fn dim(c: &Chain, layer: usize) -> usize {
    c.dims[layer]
}

#[inline]
fn weight(c: &Chain, layer: usize, row: usize, col: usize) -> f64 {
    c.weights[layer][row * c.dims[layer] + col]
}

/// y = tanh(W3 tanh(W2 tanh(W1 x))).
#[jvp]
#[vjp]
fn chain(x: &[f64], c: &Chain) -> Vec<f64> {
    let mut a = vec![0.0; dim(c, 1)];
    for (i, ai) in a.iter_mut().enumerate() {
        let mut s = 0.0;
        for (j, &xj) in x.iter().enumerate() {
            s += weight(c, 0, i, j) * xj;
        }
        *ai = s.tanh();
    }
    let mut b = vec![0.0; dim(c, 2)];
    for (i, bi) in b.iter_mut().enumerate() {
        let mut s = 0.0;
        for (j, &aj) in a.iter().enumerate() {
            s += weight(c, 1, i, j) * aj;
        }
        *bi = s.tanh();
    }
    let mut y = vec![0.0; dim(c, 3)];
    for (i, yi) in y.iter_mut().enumerate() {
        let mut s = 0.0;
        for (j, &bj) in b.iter().enumerate() {
            s += weight(c, 2, i, j) * bj;
        }
        *yi = s.tanh();
    }
    y
}

/// xorshift64*, for fixed pseudo-random weights and inputs.
struct Rng(u64);

impl Rng {
    /// Uniform in [-1, 1).
    fn symmetric(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
        bits as f64 / (1u64 << 52) as f64 - 1.0
    }
}

impl Chain {
    /// Weights uniform in ±√(3 / fan-in), so each layer's pre-activations
    /// have about the variance of its inputs and tanh stays unsaturated.
    fn new(dims: [usize; 4], rng: &mut Rng) -> Chain {
        let layer = |l: usize, rng: &mut Rng| -> Vec<f64> {
            let scale = (3.0 / dims[l] as f64).sqrt();
            (0..dims[l] * dims[l + 1])
                .map(|_| scale * rng.symmetric())
                .collect()
        };
        let weights = [layer(0, rng), layer(1, rng), layer(2, rng)];
        Chain { dims, weights }
    }
}

/// The m × n Jacobian, row-major, one forward sweep per column.
fn jacobian_forward(x: &[f64], c: &Chain) -> Vec<f64> {
    let (n, m) = (c.dims[0], c.dims[3]);
    let mut jac = vec![0.0; m * n];
    let mut seed = vec![0.0; n];
    for j in 0..n {
        seed[j] = 1.0;
        let (_, column) = chain_jvp(x, &seed, c);
        seed[j] = 0.0;
        for i in 0..m {
            jac[i * n + j] = column[i];
        }
    }
    jac
}

/// The same Jacobian, one reverse sweep per row.
fn jacobian_reverse(x: &[f64], c: &Chain) -> Vec<f64> {
    let (n, m) = (c.dims[0], c.dims[3]);
    let mut jac = vec![0.0; m * n];
    let mut seed = vec![0.0; m];
    for i in 0..m {
        seed[i] = 1.0;
        let mut x_bar = vec![0.0; n];
        chain_vjp(x, &mut x_bar, c, seed.clone());
        seed[i] = 0.0;
        jac[i * n..(i + 1) * n].copy_from_slice(&x_bar);
    }
    jac
}

/// The fastest of `reps` runs, and the last result.
fn timed<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut result = None;
    for _ in 0..reps {
        let start = Instant::now();
        let r = f();
        best = best.min(start.elapsed());
        result = Some(r);
    }
    (best, result.expect("at least one run"))
}

/// What one shape measured.
struct Row {
    dims: [usize; 4],
    forward: Duration,
    reverse: Duration,
}

impl Row {
    /// reverse time / forward time: above 1, forward wins.
    fn forward_advantage(&self) -> f64 {
        self.reverse.as_secs_f64() / self.forward.as_secs_f64()
    }
}

fn measure(dims: [usize; 4], rng: &mut Rng) -> Row {
    let c = Chain::new(dims, rng);
    let x: Vec<f64> = (0..dims[0]).map(|_| rng.symmetric()).collect();
    let (forward, jf) = timed(3, || jacobian_forward(&x, &c));
    let (reverse, jr) = timed(3, || jacobian_reverse(&x, &c));
    let scale = jf.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    let diff = jf
        .iter()
        .zip(&jr)
        .fold(0.0_f64, |a, (p, q)| a.max((p - q).abs()));
    assert!(
        diff <= 1e-12 * scale,
        "{dims:?}: forward and reverse Jacobians differ by {diff:e} (largest entry {scale:e})"
    );
    // And the first column against central differences of the primal.
    let h = 1e-6;
    let (mut xp, mut xm) = (x.clone(), x.clone());
    xp[0] += h;
    xm[0] -= h;
    let (yp, ym) = (chain(&xp, &c), chain(&xm, &c));
    for i in 0..dims[3] {
        let fd = (yp[i] - ym[i]) / (2.0 * h);
        let ad = jf[i * dims[0]];
        assert!(
            (fd - ad).abs() <= 1e-6 * scale,
            "{dims:?}: dy[{i}]/dx[0] = {ad} by forward mode, {fd} by central differences"
        );
    }
    Row {
        dims,
        forward,
        reverse,
    }
}

fn print(row: &Row) {
    let [n, a, b, m] = row.dims;
    let advantage = row.forward_advantage();
    let winner = if advantage > 1.0 {
        format!("forward, {advantage:.1}x")
    } else {
        format!("reverse, {:.1}x", 1.0 / advantage)
    };
    println!(
        "{:>22}  {n:>5} {m:>5}  {:>10.2} ms  {:>10.2} ms  {winner}",
        format!("{n} -> {a} -> {b} -> {m}"),
        row.forward.as_secs_f64() * 1e3,
        row.reverse.as_secs_f64() * 1e3,
    );
}

fn main() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    println!("Full Jacobian of y = tanh(W3 tanh(W2 tanh(W1 x))), both ways (fastest of 3 runs)");
    println!(
        "{:>22}  {:>5} {:>5}  {:>13}  {:>13}  faster",
        "shape", "n", "m", "forward", "reverse"
    );
    println!(
        "{:>22}  {:>5} {:>5}  {:>13}  {:>13}",
        "", "", "", "(n sweeps)", "(m sweeps)"
    );

    // The seed's two monotone cases.
    println!("-- widening (n << m): forward should win");
    let widening = measure([4, 32, 128, 512], &mut rng);
    print(&widening);
    println!("-- narrowing (m << n): reverse should win");
    let narrowing = measure([512, 128, 32, 4], &mut rng);
    print(&narrowing);

    // The crossover: m fixed, n growing through it.
    println!("-- crossover: m = 64 outputs, n growing");
    let mut sweep = vec![];
    for n in [4, 16, 64, 128, 256, 512, 1024] {
        let row = measure([n, 128, 128, 64], &mut rng);
        print(&row);
        sweep.push(row);
    }
    let crossover = sweep
        .windows(2)
        .find(|w| w[0].forward_advantage() > 1.0 && w[1].forward_advantage() <= 1.0)
        .map(|w| format!("between n = {} and n = {}", w[0].dims[0], w[1].dims[0]));
    println!(
        "forward wins for small n and reverse for large n; the change is {}",
        crossover
            .as_deref()
            .unwrap_or("not bracketed by these shapes")
    );
    println!(
        "(a reverse sweep costs more than a forward one, so at n = m forward still wins; \
         the change comes at an n larger than m)"
    );
    println!(
        "hybrid modes (reverse up to a bottleneck, forward after it) do not exist in adiff yet"
    );

    // The lopsided shapes differ by about 100x in sweep count; a clear
    // margin of 5x leaves room for a loaded machine.
    assert!(
        widening.forward_advantage() > 5.0,
        "forward mode should win clearly when n << m"
    );
    assert!(
        narrowing.forward_advantage() < 0.2,
        "reverse mode should win clearly when m << n"
    );
    println!("ok: Jacobians agree in every shape; each mode wins where the rule says");
}

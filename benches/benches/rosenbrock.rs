//! Extended Rosenbrock: `f_grad` and `f_vjp` against `f` and a hand-written
//! gradient, and `f_jvp` for one direction.

use std::hint::black_box;

use autodiff_bench::rosenbrock::{
    rosenbrock, rosenbrock_grad, rosenbrock_grad_by_hand, rosenbrock_jvp, rosenbrock_start,
    rosenbrock_vjp,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("rosenbrock");
    for n in [10, 1_000, 100_000] {
        let x = rosenbrock_start(n);
        let dir = vec![1.0; n];
        let mut g = vec![0.0; n];
        group.bench_with_input(BenchmarkId::new("f", n), &x, |b, x| {
            b.iter(|| rosenbrock(black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("f_grad", n), &x, |b, x| {
            b.iter(|| rosenbrock_grad(black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("f_vjp", n), &x, |b, x| {
            b.iter(|| {
                g.fill(0.0);
                rosenbrock_vjp(black_box(x), &mut g, 1.0)
            });
        });
        let mut h = vec![0.0; n];
        group.bench_with_input(BenchmarkId::new("hand", n), &x, |b, x| {
            b.iter(|| rosenbrock_grad_by_hand(black_box(x), &mut h))
        });
        group.bench_with_input(BenchmarkId::new("f_jvp", n), &x, |b, x| {
            b.iter(|| rosenbrock_jvp(black_box(x), black_box(&dir)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

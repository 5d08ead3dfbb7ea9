//! `f_grad` on the extended Rosenbrock function with n = 10,000 makes no
//! heap allocation other than the returned gradient `Vec`.
//!
//! A counting global allocator wraps `System` and counts per thread, so
//! other threads of the test harness cannot change the count.

// Test functions are written in the styles users write (index loops,
// compound assignments), to exercise the macro on them.
#![allow(
    clippy::needless_range_loop,
    clippy::assign_op_pattern,
    clippy::ptr_arg
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use adiff::grad;
use approx::assert_relative_eq;

/// Wraps `System`, counting allocations made by the calling thread, so the
/// test harness's other threads cannot change the count (as in
/// `tests/alloc_free.rs`).
struct Counting;

thread_local! {
    /// Allocations (including reallocations) made by this thread so far.
    /// `const` initialisation and no `Drop`: reaching it never allocates.
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

/// `try_with`: during thread teardown the counter may be gone, and an
/// allocation then must neither panic nor be counted.
fn count_one() {
    let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
}

fn allocs() -> usize {
    ALLOCS.with(Cell::get)
}

// SAFETY: forwards to `System` unchanged; only counts calls, which neither
// allocates nor unwinds.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The extended Rosenbrock function:
/// Σᵢ 100 (x₂ᵢ₊₁ − x₂ᵢ²)² + (1 − x₂ᵢ)².
#[grad]
fn rosenbrock(x: &[f64]) -> f64 {
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

#[test]
fn grad_allocates_only_the_gradient() {
    let n = 10_000;
    let x: Vec<f64> = (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 } + 0.01 * (i as f64).sin())
        .collect();

    let before = allocs();
    let (value, g) = rosenbrock_grad(&x);
    let count = allocs() - before;

    assert_eq!(count, 1, "only the returned gradient Vec may be allocated");
    assert_eq!(value, rosenbrock(&x));
    assert_eq!(g.len(), n);
    // Closed form.
    for i in 0..n / 2 {
        let (a, b) = (x[2 * i], x[2 * i + 1]);
        let ga = -400.0 * a * (b - a * a) - 2.0 * (1.0 - a);
        let gb = 200.0 * (b - a * a);
        assert_relative_eq!(g[2 * i], ga, max_relative = 1e-12);
        assert_relative_eq!(g[2 * i + 1], gb, max_relative = 1e-12);
    }
}

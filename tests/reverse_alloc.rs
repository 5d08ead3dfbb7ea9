//! `f_grad` on the extended Rosenbrock function with n = 10,000 makes no
//! heap allocation other than the returned gradient `Vec`.
//!
//! A counting global allocator wraps `System`. One `#[test]` only, so no
//! other test thread allocates while we count.

// Test functions are written in the styles users write (index loops,
// compound assignments), to exercise the macro on them.
#![allow(
    clippy::needless_range_loop,
    clippy::assign_op_pattern,
    clippy::ptr_arg
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use approx::assert_relative_eq;
use autodiff::grad;

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to `System` unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
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

    let before = ALLOCS.load(Ordering::SeqCst);
    let (value, g) = rosenbrock_grad(&x);
    let allocs = ALLOCS.load(Ordering::SeqCst) - before;

    assert_eq!(allocs, 1, "only the returned gradient Vec may be allocated");
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

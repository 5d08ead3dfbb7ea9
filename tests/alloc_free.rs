//! `f_jvp` performs no heap allocation beyond what `f` itself does.
//!
//! A counting global allocator wraps `System`. It counts per thread, and
//! the test reads only its own thread's count, so allocations by other
//! threads (the test harness's, or anything else in the process) do not
//! enter the measurement, however the threads are scheduled.

// These tests exercise the macros on the styles numeric code is written in
// (index loops, manual copies, `&Vec` parameters, literal casts, early
// returns), so the lints against those styles are off in this file.
#![allow(
    clippy::needless_range_loop,
    clippy::manual_memcpy,
    clippy::ptr_arg,
    clippy::assign_op_pattern,
    clippy::useless_vec,
    clippy::unnecessary_cast,
    clippy::let_and_return,
    clippy::manual_swap,
    clippy::approx_constant,
    clippy::excessive_precision,
    clippy::needless_return,
    clippy::needless_late_init,
    clippy::identity_op,
    clippy::erasing_op,
    clippy::neg_multiply,
    clippy::manual_range_contains,
    clippy::never_loop,
    clippy::unused_unit,
    clippy::let_unit_value,
    clippy::collapsible_if,
    clippy::collapsible_else_if,
    clippy::too_many_arguments,
    clippy::type_complexity,
    unreachable_code,
    unused_assignments
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use adiff::{jvp, vjp};

mod common;

/// Wraps `System`, counting allocations made by the calling thread.
///
/// A global allocator needs an `unsafe impl GlobalAlloc`; this is the only
/// `unsafe` code here, it is test-only, and it adds nothing to `System`
/// but the count.
struct Counting;

thread_local! {
    /// Allocations (including reallocations) made by this thread so far.
    /// `const` initialisation and a type without `Drop` mean that reaching
    /// the counter never allocates (which would recurse into the
    /// allocator) and registers no destructor.
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

/// Adds one to the calling thread's count. `try_with` rather than `with`:
/// during thread teardown the thread-local may be gone, and an allocation
/// then must neither panic nor be counted.
fn count_one() {
    let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every method forwards its arguments unchanged to `System`, which
// upholds the `GlobalAlloc` contract; the only addition is `count_one`,
// which neither allocates nor unwinds.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's guarantees for `alloc` are passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: `ptr` came from this allocator, i.e. from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, i.e. from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made so far by the calling thread; differences of two calls
/// on the same thread count what ran in between on that thread only.
fn allocs() -> usize {
    ALLOCS.with(Cell::get)
}

// A loop over the slice, a local array, elementary functions, a branch and a
// compound assignment into the local array.
#[jvp]
#[vjp]
fn energy(x: &[f64], k: f64) -> f64 {
    let mut buckets: [f64; 4] = [0.0; 4];
    let mut acc = 0.0;
    for (i, &xi) in x.iter().enumerate() {
        let e = (k * xi).sin() * (0.1 * xi).exp() + (1.0 + xi * xi).sqrt();
        buckets[i % 4] += e;
        if xi > 0.0 {
            acc += xi.ln_1p() * k;
        } else {
            acc -= xi.atan();
        }
    }
    let mut s = acc;
    for b in buckets.iter() {
        s += b.tanh();
    }
    s
}

#[jvp]
#[vjp]
fn energy32(x: &[f32], k: f32) -> f32 {
    let mut buckets: [f32; 4] = [0.0; 4];
    let mut acc: f32 = 0.0;
    for i in 0..x.len() {
        let xi = x[i];
        buckets[i % 4] += (k * xi).cos() * (xi.abs() + 1.0).sqrt() + xi.powi(2);
        acc = acc.max(xi * k);
    }
    acc + buckets[0] * buckets[1] - buckets[2] / (1.0 + buckets[3].abs())
}

#[test]
fn jvp_does_not_allocate_more_than_primal() {
    let n = 10_000;
    // Inputs and tangents are allocated before measuring. The phase 0.2
    // keeps every x_i at least ~1e-4 away from the branch at 0 (x_0 = 0
    // exactly would put the finite-difference check on a kink).
    let x: Vec<f64> = (0..n)
        .map(|i| ((i as f64) * 0.37 + 0.2).sin() * 2.0)
        .collect();
    let dx: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.11).cos()).collect();
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let dx32: Vec<f32> = dx.iter().map(|&v| v as f32).collect();

    // The counter sees this thread's allocations: one `Vec` is one.
    let before = allocs();
    let probe = std::hint::black_box(Vec::<u8>::with_capacity(16));
    let probe_allocs = allocs() - before;
    drop(probe);

    let before = allocs();
    let y = energy(&x, 0.7);
    let f_allocs = allocs() - before;

    let before = allocs();
    let (y2, t) = energy_jvp(&x, &dx, 0.7, 0.3);
    let jvp_allocs = allocs() - before;

    let before = allocs();
    let y32 = energy32(&x32, 0.7);
    let f32_allocs = allocs() - before;

    let before = allocs();
    let (y32b, t32) = energy32_jvp(&x32, &dx32, 0.7, 0.3);
    let jvp32_allocs = allocs() - before;

    // Assertions (which may allocate for messages) only after measuring.
    assert_eq!(probe_allocs, 1, "the allocation counter missed a Vec");
    assert_eq!(y, y2);
    assert_eq!(y32, y32b);
    assert!(t.is_finite(), "f64 tangent {t}");
    assert!(t32.is_finite(), "f32 tangent {t32}");
    assert_eq!(
        f_allocs, 0,
        "the primal f64 function itself should not allocate"
    );
    assert_eq!(
        f32_allocs, 0,
        "the primal f32 function itself should not allocate"
    );
    assert!(
        jvp_allocs <= f_allocs,
        "energy_jvp made {jvp_allocs} heap allocations, energy made {f_allocs}"
    );
    assert!(
        jvp32_allocs <= f32_allocs,
        "energy32_jvp made {jvp32_allocs} heap allocations, energy32 made {f32_allocs}"
    );

    // Also sanity-check the tangent against a central finite difference so
    // the test cannot pass with a degenerate `_jvp`.
    let h = 1e-6;
    let xp: Vec<f64> = x.iter().zip(&dx).map(|(a, b)| a + h * b).collect();
    let xm: Vec<f64> = x.iter().zip(&dx).map(|(a, b)| a - h * b).collect();
    let fd = (energy(&xp, 0.7 + h * 0.3) - energy(&xm, 0.7 - h * 0.3)) / (2.0 * h);
    approx::assert_relative_eq!(t, fd, max_relative = 1e-5, epsilon = 1e-6);

    // Reverse mode (after all measurements): dot-product test between
    // `_jvp` and `_vjp` for both functions.
    {
        use common::f64h::*;
        for (s, n) in [1usize, 7, 10_000].into_iter().enumerate() {
            let x = x[..n].to_vec();
            let k = 0.7;
            rev_dot!(energy, energy_jvp, energy_vjp, s as u64; rf x, val k);
        }
    }
    {
        use common::f32h::*;
        for (s, n) in [1usize, 7, 100].into_iter().enumerate() {
            let x = x32[..n].to_vec();
            let k = 0.7f32;
            rev_dot!(energy32, energy32_jvp, energy32_vjp, s as u64; rf x, val k);
        }
    }
}

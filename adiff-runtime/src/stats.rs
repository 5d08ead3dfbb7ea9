//! Counters for tests: how many values generated code has recorded.
//! Compiled only with the `stats` feature, so normal builds pay nothing.

use core::sync::atomic::{AtomicUsize, Ordering};

static PUSHES: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn count_push() {
    PUSHES.fetch_add(1, Ordering::Relaxed);
}

/// The number of tape pushes since the program started (all threads).
///
/// ```
/// # #[cfg(feature = "stats")] {
/// let before = adiff_runtime::tape_pushes();
/// let mut t = adiff_runtime::Tape::<f64, 4>::new();
/// t.push(1.0);
/// assert!(adiff_runtime::tape_pushes() > before);
/// # }
/// ```
#[must_use]
pub fn tape_pushes() -> usize {
    PUSHES.load(Ordering::Relaxed)
}

static ADVANCED: AtomicUsize = AtomicUsize::new(0);
static TURNED: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn count_action(a: crate::Action) {
    match a {
        crate::Action::Advance { from, to } => {
            ADVANCED.fetch_add(to - from, Ordering::Relaxed);
        }
        crate::Action::Turn { from, to } => {
            TURNED.fetch_add(to - from, Ordering::Relaxed);
        }
        _ => {}
    }
}

/// Iterations that checkpointed loops have run again (advanced) and
/// recorded (turned), since the program started (all threads).
#[must_use]
pub fn checkpoint_steps() -> (usize, usize) {
    (
        ADVANCED.load(Ordering::Relaxed),
        TURNED.load(Ordering::Relaxed),
    )
}

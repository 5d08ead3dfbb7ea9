//! Checkpointing schedules for the reverse sweep of a loop marked
//! `#[checkpoint(..)]`.
//!
//! A plain reverse sweep keeps a tape of every iteration. A checkpointed
//! loop keeps only a few copies of the loop's state (snapshots) and runs
//! iterations again from them: the reverse of `T` iterations then needs
//! `S` snapshots instead of `T` iterations' tapes, for extra forward work.
//!
//! [`Schedule`] says what to do next. It is a plain state machine, with no
//! knowledge of the state itself, so it can be tested (and its
//! recomputations counted) on its own. [`Checkpoints`] holds the snapshots
//! and is what generated code drives:
//!
//! ```
//! use adiff_runtime::{Action, Schedule};
//!
//! // Reverse 5 steps of x ← 2x with 2 snapshots, by hand.
//! let mut s = Schedule::binomial(5, 2);
//! let (mut x, mut slots, mut x_bar, mut order) = (1.0_f64, Vec::new(), 1.0, Vec::new());
//! loop {
//!     match s.next_action() {
//!         Action::Done => break,
//!         Action::Advance { from, to } => (from..to).for_each(|_| x *= 2.0),
//!         Action::Save => slots.push(x),
//!         Action::Restore => x = *slots.last().unwrap(),
//!         Action::Free => { slots.pop(); }
//!         Action::Turn { from, to } => {
//!             for i in (from..to).rev() {
//!                 order.push(i);
//!                 x_bar *= 2.0; // the adjoint of x ← 2x
//!             }
//!         }
//!     }
//! }
//! assert_eq!(order, [4, 3, 2, 1, 0]);
//! assert_eq!(x_bar, 32.0);
//! ```

use alloc::vec::Vec;

use crate::RangeIndex;

/// One step of a checkpointing schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Run iterations `from..to` of the loop without recording (they were
    /// already run once, by the forward sweep).
    Advance {
        /// The first iteration (counted from 0).
        from: usize,
        /// One past the last iteration.
        to: usize,
    },
    /// Store a copy of the current state as a new snapshot.
    Save,
    /// Set the state to the newest snapshot, which stays stored.
    Restore,
    /// Drop the newest snapshot.
    Free,
    /// Run iterations `from..to` recording them, then their reverse, last
    /// iteration first (the binomial schedule turns one at a time).
    Turn {
        /// The first iteration.
        from: usize,
        /// One past the last iteration.
        to: usize,
    },
    /// The loop's reverse is complete.
    Done,
}

/// A pending piece of work of a [`Schedule`].
#[derive(Clone, Copy, Debug)]
enum Frame {
    /// Reverse iterations `a..b` with `c` snapshots, the newest of which
    /// holds the state before iteration `a`.
    Rev { a: usize, b: usize, c: usize },
    /// Reverse iterations `a..=j` one by one from the single snapshot at `a`
    /// (no room for another): `j - a` advances for iteration `j`.
    Quad { a: usize, j: usize },
    /// Advance from the current state to iteration `m`, then save.
    SaveAt { m: usize },
    /// Record and reverse iterations `a..b` from the newest snapshot (at `a`).
    Segment { a: usize, b: usize },
    /// Drop the newest snapshot.
    Free,
}

/// What a schedule has done so far, for tests and benchmark tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScheduleCounts {
    /// Iterations run again without recording.
    pub advanced: usize,
    /// Iterations recorded and reversed.
    pub turned: usize,
    /// Snapshots stored.
    pub saves: usize,
    /// Snapshots read back.
    pub restores: usize,
    /// The most snapshots held at once.
    pub peak_snapshots: usize,
}

/// A checkpointing schedule for the reverse of `steps` loop iterations.
///
/// Two schedules exist:
/// - [`Schedule::binomial`], Griewank's binomial checkpointing (revolve):
///   with `S` snapshots it runs the fewest iterations again that any
///   schedule of `S` snapshots can, `r·T − C(S + r, S + 1)` (see
///   [`Schedule::predicted_advances`]), with `r` the smallest repetition
///   count such that `T ≤ C(S + r, S)`;
/// - [`Schedule::periodic`], a snapshot every `⌈√T⌉` iterations, each
///   segment between two recorded whole: `√T` snapshots plus one segment's
///   tape, and every iteration but the last segment's run once more.
///
/// The state before iteration 0 must be current when the schedule starts;
/// the first action saves it.
#[derive(Clone, Debug)]
pub struct Schedule {
    stack: Vec<Frame>,
    /// Pending actions of the current frame, last first.
    pending: Vec<Action>,
    /// The iterations the snapshots are taken before, oldest first.
    held: Vec<usize>,
    /// The iteration the current state is before, if it is one.
    current: Option<usize>,
    counts: ScheduleCounts,
}

/// `C(c + r, c)`, saturating.
fn beta(c: usize, r: usize) -> usize {
    let mut b: u128 = 1;
    for k in 1..=r.min(c) as u128 {
        let n = (c + r) as u128 - r.min(c) as u128 + k;
        b = b.saturating_mul(n) / k;
        if b > usize::MAX as u128 {
            return usize::MAX;
        }
    }
    b as usize
}

/// The smallest `r` with `n ≤ β(c, r)`.
fn repetitions(n: usize, c: usize) -> usize {
    let mut r = 0;
    while beta(c, r) < n {
        r += 1;
    }
    r
}

/// Where binomial checkpointing with `c ≥ 2` snapshots splits `n ≥ 2`
/// iterations: the next snapshot goes before iteration `m` of the segment.
/// The right part then needs `r` repetitions with `c - 1` snapshots and
/// the left part `r - 1` with `c`, which is optimal (tested against the
/// exhaustive minimum).
fn split(n: usize, c: usize) -> usize {
    let r = repetitions(n, c);
    let hi = beta(c, r - 1).min(n - 1);
    let lo = n.saturating_sub(beta(c - 1, r)).max(1);
    let m = n.saturating_sub(beta(c - 1, r - 1));
    m.clamp(lo, hi.max(lo))
}

impl Schedule {
    /// Binomial checkpointing of `steps` iterations with `snapshots` stored
    /// states (at least one, the state before the first iteration).
    ///
    /// ```
    /// use adiff_runtime::Schedule;
    ///
    /// let counts = Schedule::binomial(1000, 10).run();
    /// assert_eq!(counts.turned, 1000);
    /// assert!(counts.peak_snapshots <= 10);
    /// assert_eq!(counts.advanced, Schedule::predicted_advances(1000, 10));
    /// ```
    #[must_use]
    pub fn binomial(steps: usize, snapshots: usize) -> Self {
        let mut s = Self::empty();
        if steps > 0 {
            s.stack.push(Frame::Free);
            s.stack.push(Frame::Rev {
                a: 0,
                b: steps,
                c: snapshots.max(1),
            });
            s.pending.push(Action::Save);
        }
        s
    }

    /// Periodic checkpointing: a snapshot before every `⌈√steps⌉`-th
    /// iteration, and each segment recorded and reversed whole.
    ///
    /// ```
    /// use adiff_runtime::Schedule;
    ///
    /// let counts = Schedule::periodic(100).run();
    /// assert_eq!((counts.turned, counts.peak_snapshots), (100, 10));
    /// assert_eq!(counts.advanced, 90);
    /// ```
    #[must_use]
    pub fn periodic(steps: usize) -> Self {
        let mut s = Self::empty();
        if steps == 0 {
            return s;
        }
        let k = (1..=steps).find(|k| k * k >= steps).unwrap_or(steps);
        let starts: Vec<usize> = (0..steps).step_by(k).collect();
        // Frames run last pushed first: saves in order, then the segments
        // from the last back to the first.
        for &a in &starts {
            s.stack.push(Frame::Free);
            s.stack.push(Frame::Segment {
                a,
                b: (a + k).min(steps),
            });
        }
        for &a in starts.iter().skip(1).rev() {
            s.stack.push(Frame::SaveAt { m: a });
        }
        s.pending.push(Action::Save);
        s
    }

    fn empty() -> Self {
        Schedule {
            stack: Vec::new(),
            pending: Vec::new(),
            held: Vec::new(),
            current: Some(0),
            counts: ScheduleCounts::default(),
        }
    }

    /// The number of iterations binomial checkpointing of `steps`
    /// iterations with `snapshots` snapshots runs again:
    /// `r·T − C(S + r, S + 1)`.
    #[must_use]
    pub fn predicted_advances(steps: usize, snapshots: usize) -> usize {
        if steps == 0 {
            return 0;
        }
        let c = snapshots.max(1);
        let r = repetitions(steps, c);
        if r == 0 {
            return 0;
        }
        r * steps - beta(c + 1, r - 1)
    }

    /// What has been done so far.
    #[must_use]
    pub fn counts(&self) -> ScheduleCounts {
        self.counts
    }

    /// Runs the whole schedule without a state, returning its counts.
    #[must_use]
    pub fn run(mut self) -> ScheduleCounts {
        while self.next_action() != Action::Done {}
        self.counts
    }

    /// The next action. After [`Action::Done`] it keeps returning `Done`.
    pub fn next_action(&mut self) -> Action {
        loop {
            if let Some(a) = self.pending.pop() {
                self.account(a);
                return a;
            }
            let Some(frame) = self.stack.pop() else {
                return Action::Done;
            };
            self.expand(frame);
        }
    }

    /// Brings the state to the newest snapshot, which is taken before
    /// iteration `a`, unless it is already there (pushed last-first).
    fn restore_to(&mut self, a: usize) {
        if self.current != Some(a) {
            self.pending.push(Action::Restore);
        }
    }

    fn expand(&mut self, frame: Frame) {
        match frame {
            Frame::Free => self.pending.push(Action::Free),
            Frame::Rev { a, b, c } => {
                let n = b - a;
                if n == 1 {
                    self.pending.push(Action::Turn { from: a, to: b });
                    self.restore_to(a);
                } else if c <= 1 {
                    self.stack.push(Frame::Quad { a, j: b - 1 });
                } else {
                    let m = a + split(n, c);
                    self.stack.push(Frame::Rev { a, b: m, c });
                    self.stack.push(Frame::Free);
                    self.stack.push(Frame::Rev { a: m, b, c: c - 1 });
                    self.pending.push(Action::Save);
                    self.pending.push(Action::Advance { from: a, to: m });
                    self.restore_to(a);
                }
            }
            Frame::Quad { a, j } => {
                if j > a {
                    self.stack.push(Frame::Quad { a, j: j - 1 });
                }
                self.pending.push(Action::Turn { from: j, to: j + 1 });
                if j > a {
                    self.pending.push(Action::Advance { from: a, to: j });
                }
                self.restore_to(a);
            }
            Frame::SaveAt { m } => {
                self.pending.push(Action::Save);
                let from = self.current.unwrap_or(0);
                if m > from {
                    self.pending.push(Action::Advance { from, to: m });
                }
            }
            Frame::Segment { a, b } => {
                self.pending.push(Action::Turn { from: a, to: b });
                self.restore_to(a);
            }
        }
    }

    /// Keeps track of where the state is and what has been done.
    fn account(&mut self, a: Action) {
        let c = &mut self.counts;
        match a {
            Action::Advance { from, to } => {
                c.advanced += to - from;
                self.current = Some(to);
            }
            Action::Save => {
                c.saves += 1;
                self.held.push(self.current.unwrap_or(0));
                c.peak_snapshots = c.peak_snapshots.max(self.held.len());
            }
            Action::Restore => {
                c.restores += 1;
                self.current = self.held.last().copied();
            }
            Action::Free => {
                self.held.pop();
            }
            Action::Turn { from, to } => {
                c.turned += to - from;
                self.current = None;
            }
            Action::Done => {}
        }
    }
}

/// The snapshots and schedule of one checkpointed loop, as generated code
/// uses them: [`next_action`](Checkpoints::next_action) returns a code
/// (0 done, 1 advance, 2 save, 3 restore, 4 turn) and
/// [`lo`](Checkpoints::lo)..[`hi`](Checkpoints::hi) are the loop indices
/// an advance or a turn covers. Snapshots are dropped internally.
///
/// ```
/// use adiff_runtime::Checkpoints;
///
/// // Reverse `for i in 3..8 { x = x * i }` with 2 snapshots.
/// let mut ck = Checkpoints::binomial(3, 8, 2);
/// let (mut x, mut x_bar, mut seen) = (1.0_f64, 1.0, Vec::new());
/// loop {
///     match ck.next_action() {
///         0 => break,
///         1 => (ck.lo()..ck.hi()).for_each(|i| x *= i as f64),
///         2 => ck.save(x),
///         3 => x = ck.restore(),
///         _ => {
///             for i in (ck.lo()..ck.hi()).rev() {
///                 seen.push((i, x)); // the state before iteration i
///                 x_bar *= i as f64;
///             }
///         }
///     }
/// }
/// assert_eq!(seen, [(7, 360.0), (6, 60.0), (5, 12.0), (4, 3.0), (3, 1.0)]);
/// assert_eq!(x_bar, 3.0 * 4.0 * 5.0 * 6.0 * 7.0);
/// ```
///
/// The loop index may be of any integer type (`I`, [`RangeIndex`]).
#[derive(Clone, Debug)]
pub struct Checkpoints<S, I = usize> {
    schedule: Schedule,
    slots: Vec<S>,
    start: I,
    lo: I,
    hi: I,
    snapshots: usize,
}

/// The bytes one snapshot of a value takes: its size, plus the heap
/// elements of `Vec`s. Implemented for floats, integers, `bool`, arrays,
/// `Vec`s, tuples of up to eight and references (which measure what they
/// point to), so `#[checkpoint(memory = B)]` can size the snapshots of a
/// loop's state.
///
/// ```
/// use adiff_runtime::StateBytes;
///
/// assert_eq!(1.0_f64.state_bytes(), 8);
/// assert_eq!([1.0_f32; 4].state_bytes(), 16);
/// assert_eq!((&vec![0.0_f64; 10], 2_u8).state_bytes(), 24 + 80 + 1);
/// ```
pub trait StateBytes {
    /// The bytes a copy of the value takes, heap included.
    fn state_bytes(&self) -> usize;
}

macro_rules! plain_bytes {
    ($($t:ty),*) => {$(
        impl StateBytes for $t {
            fn state_bytes(&self) -> usize {
                core::mem::size_of::<$t>()
            }
        }
    )*};
}
plain_bytes!(f32, f64, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, bool);

impl<T: StateBytes, const N: usize> StateBytes for [T; N] {
    fn state_bytes(&self) -> usize {
        self.iter().map(StateBytes::state_bytes).sum()
    }
}

impl<T: StateBytes> StateBytes for Vec<T> {
    fn state_bytes(&self) -> usize {
        core::mem::size_of::<Vec<T>>() + self.iter().map(StateBytes::state_bytes).sum::<usize>()
    }
}

impl<T: StateBytes + ?Sized> StateBytes for &T {
    fn state_bytes(&self) -> usize {
        (**self).state_bytes()
    }
}

macro_rules! tuple_bytes {
    ($(($($t:ident $i:tt),+)),*) => {$(
        impl<$($t: StateBytes),+> StateBytes for ($($t,)+) {
            fn state_bytes(&self) -> usize {
                0 $(+ self.$i.state_bytes())+
            }
        }
    )*};
}
tuple_bytes!(
    (A 0),
    (A 0, B 1),
    (A 0, B 1, C 2),
    (A 0, B 1, C 2, D 3),
    (A 0, B 1, C 2, D 3, E 4),
    (A 0, B 1, C 2, D 3, E 4, F 5),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
);

impl<S: Clone, I: RangeIndex> Checkpoints<S, I> {
    /// Binomial checkpointing of the loop `for i in start..end` with
    /// `snapshots` stored states.
    #[must_use]
    pub fn binomial(start: I, end: I, snapshots: usize) -> Self {
        let schedule = Schedule::binomial(I::distance(start, end), snapshots);
        let mut ck = Self::with(start, schedule);
        ck.snapshots = snapshots.max(1);
        ck
    }

    /// Binomial checkpointing of the loop `for i in start..end` with as
    /// many snapshots as `bytes` hold (at least one), measured on `state`,
    /// the state now (references to it do).
    ///
    /// ```
    /// use adiff_runtime::Checkpoints;
    ///
    /// let (x, s) = (vec![0.0_f64; 100], 1.0_f64);
    /// // 24 + 800 + 8 = 832 bytes a snapshot: 8 of them fit in 7,000 bytes.
    /// let ck = Checkpoints::<(Vec<f64>, f64)>::within(0_usize, 1000, 7_000, (&x, &s));
    /// assert_eq!(ck.snapshots(), 8);
    /// ```
    #[must_use]
    pub fn within(start: I, end: I, bytes: usize, state: impl StateBytes) -> Self {
        let snapshots = (bytes / state.state_bytes().max(1)).max(1);
        let mut ck = Self::binomial(start, end, snapshots);
        ck.snapshots = snapshots;
        ck
    }

    /// The number of snapshots the schedule may hold (for the periodic
    /// schedule, ⌈√T⌉).
    #[must_use]
    pub fn snapshots(&self) -> usize {
        self.snapshots
    }

    /// Periodic (`√T`) checkpointing of the loop `for i in start..end`.
    #[must_use]
    pub fn periodic(start: I, end: I) -> Self {
        let steps = I::distance(start, end);
        let mut ck = Self::with(start, Schedule::periodic(steps));
        ck.snapshots = (1..=steps).find(|k| k * k >= steps).unwrap_or(0);
        ck
    }

    fn with(start: I, schedule: Schedule) -> Self {
        Checkpoints {
            schedule,
            slots: Vec::new(),
            start,
            lo: start,
            hi: start,
            snapshots: 0,
        }
    }

    /// The next action's code: 0 done, 1 advance, 2 save, 3 restore,
    /// 4 turn.
    pub fn next_action(&mut self) -> usize {
        loop {
            let a = self.schedule.next_action();
            #[cfg(feature = "stats")]
            crate::stats::count_action(a);
            return match a {
                Action::Done => 0,
                Action::Advance { from, to } => {
                    (self.lo, self.hi) = (self.start.offset(from), self.start.offset(to));
                    1
                }
                Action::Save => 2,
                Action::Restore => 3,
                Action::Turn { from, to } => {
                    (self.lo, self.hi) = (self.start.offset(from), self.start.offset(to));
                    4
                }
                Action::Free => {
                    self.slots.pop();
                    continue;
                }
            };
        }
    }

    /// The first loop index of the current advance or turn.
    #[must_use]
    pub fn lo(&self) -> I {
        self.lo
    }

    /// One past the last loop index of the current advance or turn.
    #[must_use]
    pub fn hi(&self) -> I {
        self.hi
    }

    /// Stores a snapshot of the state.
    pub fn save(&mut self, state: S) {
        self.slots.push(state);
    }

    /// A copy of the newest snapshot.
    ///
    /// # Panics
    ///
    /// If no snapshot is stored, which the schedule never asks for.
    #[must_use]
    pub fn restore(&self) -> S {
        self.slots
            .last()
            .cloned()
            .expect("checkpoint schedule restored with no snapshot")
    }
}

// The tables are indexed by snapshot and step counts, as in the formulas.
#[allow(clippy::needless_range_loop)]
#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// The fewest advances any schedule with `c` snapshots needs for `n`
    /// iterations, by exhaustive search over the split point.
    fn optimum(nmax: usize, cmax: usize) -> Vec<Vec<usize>> {
        let mut t = vec![vec![0usize; nmax + 1]; cmax + 1];
        for n in 1..=nmax {
            t[1][n] = n * (n - 1) / 2;
        }
        for c in 2..=cmax {
            for n in 2..=nmax {
                t[c][n] = (1..n).map(|m| m + t[c - 1][n - m] + t[c][m]).min().unwrap();
            }
        }
        t
    }

    /// Simulates a schedule on a state that is the iteration count, and
    /// checks every turn starts from the right state, in reverse order.
    fn check(mut s: Schedule, n: usize, cap: usize) -> ScheduleCounts {
        let (mut state, mut slots, mut next_turn) = (Some(0usize), Vec::new(), n);
        loop {
            match s.next_action() {
                Action::Done => break,
                Action::Advance { from, to } => {
                    assert_eq!(state, Some(from), "advance from a wrong state");
                    state = Some(to);
                }
                Action::Save => {
                    slots.push(state.expect("saving an unknown state"));
                    assert!(slots.len() <= cap, "more than {cap} snapshots");
                }
                Action::Restore => state = Some(*slots.last().expect("no snapshot")),
                Action::Free => {
                    slots.pop().expect("freeing no snapshot");
                }
                Action::Turn { from, to } => {
                    assert_eq!(state, Some(from), "turn from a wrong state");
                    assert_eq!(to, next_turn, "turns out of order");
                    next_turn = from;
                    state = None;
                }
            }
        }
        assert_eq!(next_turn, 0, "not every iteration was reversed");
        assert!(slots.is_empty(), "snapshots left over");
        s.counts()
    }

    #[test]
    fn binomial_is_valid_and_optimal() {
        let t = optimum(120, 6);
        for c in 1..=6 {
            for n in 0..=120 {
                let counts = check(Schedule::binomial(n, c), n, c);
                assert_eq!(counts.turned, n);
                assert_eq!(counts.advanced, t[c][n], "n = {n}, c = {c}");
                assert_eq!(
                    counts.advanced,
                    Schedule::predicted_advances(n, c),
                    "n = {n}, c = {c}"
                );
            }
        }
    }

    #[test]
    fn binomial_at_scale_matches_the_formula() {
        for (n, c) in [(1_000_000, 20), (100_000, 10), (12_345, 3), (7, 50)] {
            let counts = Schedule::binomial(n, c).run();
            assert_eq!(counts.turned, n);
            assert!(counts.peak_snapshots <= c);
            assert_eq!(counts.advanced, Schedule::predicted_advances(n, c));
        }
    }

    #[test]
    fn periodic_is_valid() {
        for n in 0..200 {
            let k = (1..=n.max(1)).find(|k| k * k >= n).unwrap();
            let counts = check(Schedule::periodic(n), n, k);
            assert_eq!(counts.turned, n);
            // Advanced once to the start of the last segment.
            let last_start = if n == 0 { 0 } else { (n - 1) / k * k };
            assert_eq!(counts.advanced, last_start);
        }
    }
}

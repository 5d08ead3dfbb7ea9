//! The tape: a LIFO stack with inline storage that spills to the heap only
//! past its capacity.
//!
//! Reverse-mode code records values that the reverse sweep needs but that
//! are gone by the time it runs: values overwritten in loops, which branch
//! was taken, how many iterations a loop ran and how each iteration ended.
//! Generated code uses one tape per recorded quantity, so each tape holds a
//! single type and pops mirror pushes exactly.

use alloc::vec::Vec;

/// A LIFO of `T` that keeps its first `N` elements inline (on the stack when
/// the tape itself is a local) and the rest in a heap `Vec`.
///
/// Values are read back by `clone`, which for the `Copy` values generated
/// code records (floats, indices, arrays) is a plain copy. A `Vec` whose
/// type the macro could not see (a callee's result) is cloned when read
/// back; `Vec`s it knows of go to an [`OwnedTape`], which moves them.
///
/// ```
/// use adiff_runtime::Tape;
///
/// let mut tape = Tape::<f64, 2>::new();
/// for x in [1.0, 2.0, 3.0] {
///     tape.push(x); // the third push spills to the heap
/// }
/// assert_eq!(tape.len(), 3);
/// assert_eq!(tape.pop(), 3.0);
/// assert_eq!(tape.pop(), 2.0);
/// assert_eq!(tape.pop(), 1.0);
/// assert!(tape.is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct Tape<T, const N: usize> {
    inline: [T; N],
    len: usize,
    spill: Vec<T>,
}

impl<T: Clone + Default, const N: usize> Tape<T, N> {
    /// An empty tape. Does not allocate.
    #[must_use]
    pub fn new() -> Self {
        Tape {
            inline: core::array::from_fn(|_| T::default()),
            len: 0,
            spill: Vec::new(),
        }
    }
}

impl<T: Clone, const N: usize> Tape<T, N> {
    /// An empty tape whose inline slots start as copies of `fill`, for
    /// element types without `Default` (a generic float `T`). The slots
    /// are storage only: the tape is empty. Does not allocate.
    ///
    /// ```
    /// use adiff_runtime::Tape;
    ///
    /// let mut tape = Tape::<f32, 4>::filled(0.0);
    /// assert!(tape.is_empty());
    /// tape.push(1.5);
    /// assert_eq!(tape.pop(), 1.5);
    /// ```
    #[must_use]
    pub fn filled(fill: T) -> Self {
        Tape {
            inline: core::array::from_fn(|_| fill.clone()),
            len: 0,
            spill: Vec::new(),
        }
    }
}

impl<T: Clone> Tape<T, 0> {
    /// An empty tape without inline storage, for element types that have no
    /// `Default` (arrays longer than 32) or are too big to keep inline.
    ///
    /// ```
    /// use adiff_runtime::Tape;
    ///
    /// let mut tape = Tape::<[f64; 40], 0>::heap();
    /// tape.push([1.0; 40]);
    /// assert_eq!(tape.pop(), [1.0; 40]);
    /// ```
    #[must_use]
    pub fn heap() -> Self {
        Tape {
            inline: [],
            len: 0,
            spill: Vec::new(),
        }
    }
}

impl<T: Clone, const N: usize> Tape<T, N> {
    /// Records a value.
    #[inline]
    pub fn push(&mut self, value: T) {
        #[cfg(feature = "stats")]
        crate::stats::count_push();
        if self.len < N {
            self.inline[self.len] = value;
        } else {
            spill_push(&mut self.spill, value);
        }
        self.len += 1;
    }

    /// Takes back the value recorded last.
    ///
    /// # Panics
    ///
    /// Panics if the tape is empty. Generated code pops exactly what it
    /// pushed, so this is an internal error of `adiff`.
    #[inline]
    pub fn pop(&mut self) -> T {
        assert!(
            self.len > 0,
            "adiff: tape underflow (internal error; please report)"
        );
        self.len -= 1;
        if self.len < N {
            self.inline[self.len].clone()
        } else {
            self.spill
                .pop()
                .unwrap_or_else(|| unreachable!("spill holds every element past N"))
        }
    }

    /// The value `depth` places below the last one recorded (0 is the last),
    /// left on the tape.
    ///
    /// # Panics
    ///
    /// Panics if the tape holds `depth` values or fewer (an internal error
    /// of `adiff`, as for [`Tape::pop`]).
    ///
    /// ```
    /// use adiff_runtime::Tape;
    ///
    /// let mut tape = Tape::<f64, 1>::new();
    /// tape.push(1.0);
    /// tape.push(2.0);
    /// assert_eq!((tape.peek(0), tape.peek(1)), (2.0, 1.0));
    /// assert_eq!(tape.len(), 2);
    /// ```
    #[inline]
    #[must_use]
    pub fn peek(&self, depth: usize) -> T {
        assert!(
            depth < self.len,
            "adiff: tape peek past the bottom (internal error; please report)"
        );
        let i = self.len - 1 - depth;
        if i < N {
            self.inline[i].clone()
        } else {
            self.spill[i - N].clone()
        }
    }

    /// The number of recorded values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The heap half of [`Tape::push`], kept out of line: inlined, the growth
/// path of `Vec::push` made LLVM keep loop accumulators of the code around
/// a push in memory (measured: the GMM gradient at d64K25 took 186 ms with
/// it inlined, 129 ms without).
#[cold]
#[inline(never)]
fn spill_push<T>(spill: &mut Vec<T>, value: T) {
    spill.push(value);
}

impl<T: Clone + Default, const N: usize> Default for Tape<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

/// A LIFO of values that own heap memory (`Vec`s, and tuples or arrays
/// holding them), which [`Tape`] cannot hold because it copies. Values are
/// moved in and moved back out, so recording a `Vec` a block is leaving
/// costs no copy of its elements.
///
/// Generated code uses it for a local `Vec` that the reverse sweep reads
/// after the block that owns it is gone (a `Vec` built inside a loop or
/// branch, or returned early).
///
/// ```
/// use adiff_runtime::OwnedTape;
///
/// let mut tape = OwnedTape::new();
/// tape.push(vec![1.0, 2.0]);
/// tape.push(vec![3.0]);
/// assert_eq!(tape.len(), 2);
/// assert_eq!(tape.pop(), vec![3.0]);
/// assert_eq!(tape.pop(), vec![1.0, 2.0]);
/// assert!(tape.is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct OwnedTape<T> {
    items: Vec<T>,
}

impl<T> OwnedTape<T> {
    /// An empty tape. Does not allocate until the first push.
    #[must_use]
    pub fn new() -> Self {
        OwnedTape { items: Vec::new() }
    }

    /// Records a value, taking it.
    #[inline]
    pub fn push(&mut self, value: T) {
        #[cfg(feature = "stats")]
        crate::stats::count_push();
        self.items.push(value);
    }

    /// Gives back the value recorded last.
    ///
    /// # Panics
    ///
    /// Panics if the tape is empty (an internal error of `adiff`, as for
    /// [`Tape::pop`]).
    #[inline]
    pub fn pop(&mut self) -> T {
        self.items
            .pop()
            .unwrap_or_else(|| panic!("adiff: tape underflow (internal error; please report)"))
    }

    /// The number of recorded values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T> Default for OwnedTape<T> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifo_across_the_spill_boundary() {
        let mut t = Tape::<usize, 4>::new();
        for i in 0..10 {
            t.push(i);
        }
        for i in (0..10).rev() {
            assert_eq!(t.pop(), i);
        }
        assert!(t.is_empty());
        // Reuse after spilling.
        t.push(7);
        assert_eq!(t.pop(), 7);
    }

    #[test]
    #[should_panic(expected = "tape underflow")]
    fn owned_pop_on_empty_panics() {
        let mut t = OwnedTape::<alloc::vec::Vec<f64>>::new();
        let _ = t.pop();
    }

    #[test]
    #[should_panic(expected = "tape underflow")]
    fn pop_on_empty_panics() {
        let mut t = Tape::<f64, 1>::new();
        let _ = t.pop();
    }
}

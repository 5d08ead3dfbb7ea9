//! A test-only interpreter of the IR, for differential testing: it runs a
//! function, its forward-mode and its reverse-mode transformation directly,
//! so thousands of generated programs can be checked per `cargo test`
//! without compiling them.
//!
//! This module holds values and memory; `exec` runs statements, `ops`
//! evaluates operations, and `prims` the arithmetic on values (elementary
//! functions are evaluated by their row of the table in [`crate::elem`]).

mod exec;
mod ops;
mod prims;

use std::collections::HashMap;

use crate::ir::{Arg, Atom, Func, Place, Proj, VarId};

/// A run-time value.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    F(f64),
    I(i64),
    B(bool),
    /// Arrays, slices and `Vec`s.
    A(Vec<V>),
    T(Vec<V>),
    /// A reference to a location.
    R(Loc),
    Tape(Vec<V>),
    /// A checkpointed loop's schedule and snapshots.
    Ck(Box<Ck>),
    Unit,
    /// Declared, not yet assigned (or `Default::default()` of unknown type).
    Undef,
}

/// The runtime's `Checkpoints`, over interpreter values: the same
/// schedule generated code runs.
#[derive(Clone, Debug)]
pub struct Ck {
    schedule: adiff::__rt::Schedule,
    slots: Vec<V>,
    start: i64,
    lo: i64,
    hi: i64,
}

impl PartialEq for Ck {
    /// Schedules are never compared; values holding one differ.
    fn eq(&self, _: &Ck) -> bool {
        false
    }
}

/// A location: a variable of a frame, then element indices, then possibly
/// a window `start..end` of the array there (a sub-slice, `&x[a..b]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Loc {
    frame: usize,
    var: VarId,
    path: Vec<usize>,
    window: Option<(usize, usize)>,
}

impl V {
    pub fn f(&self) -> Result<f64, String> {
        match self {
            V::F(x) => Ok(*x),
            V::I(i) => Ok(*i as f64),
            other => Err(format!("expected a float, found {other:?}")),
        }
    }
    fn i(&self) -> Result<i64, String> {
        match self {
            V::I(i) => Ok(*i),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
    fn b(&self) -> Result<bool, String> {
        match self {
            V::B(b) => Ok(*b),
            other => Err(format!("expected a bool, found {other:?}")),
        }
    }
    fn zero(&self) -> V {
        match self {
            V::F(_) => V::F(0.0),
            V::I(_) => V::I(0),
            V::B(_) => V::B(false),
            V::A(xs) => V::A(xs.iter().map(V::zero).collect()),
            V::T(xs) => V::T(xs.iter().map(V::zero).collect()),
            other => other.clone(),
        }
    }
}

enum Flow {
    Normal,
    Break(Option<String>),
    Continue(Option<String>),
    Return(V),
}

/// Functions by name (`g`, `g_jvp`, `g_vjp`).
pub type Program = HashMap<String, Func>;

pub struct Machine<'p> {
    prog: &'p Program,
    frames: Vec<HashMap<VarId, V>>,
    steps: usize,
    max_steps: usize,
    scratch: usize,
    /// Whether an operation has produced an infinite or NaN float.
    nonfinite: bool,
    /// The largest magnitude of a finite float an operation produced.
    largest: f64,
}

/// A bound on the statements one `run` executes when nothing tighter is
/// known, so a program that runs away is reported instead of hanging the
/// test. Callers that know how long a run should take pass a bound relative
/// to that to `Machine::new`.
pub const MAX_STEPS: usize = 500_000;

impl<'p> Machine<'p> {
    /// A machine that stops with "step limit exceeded" after `max_steps`
    /// statements and loop iterations.
    pub fn new(prog: &'p Program, max_steps: usize) -> Self {
        Machine {
            prog,
            frames: Vec::new(),
            steps: 0,
            max_steps,
            scratch: 0,
            nonfinite: false,
            largest: 0.0,
        }
    }

    /// Statements and loop iterations executed so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Whether some arithmetic on finite operands has produced an infinite
    /// or NaN float, even one that never reached an output. Such a run has no meaningful
    /// derivative to compare: a reverse sweep multiplies the intermediate's
    /// zero adjoint by its infinite partial (`0 * inf = NaN`), as IEEE
    /// arithmetic says it must, in generated code and by hand alike.
    pub fn saw_nonfinite(&self) -> bool {
        self.nonfinite
    }

    /// The largest magnitude of a finite float that an operation produced
    /// so far. Rounding errors of that size bound how well a finite
    /// difference of the outputs can resolve a derivative: an output
    /// computed as the difference of two values near 3e7 moves in steps of
    /// 4e-9 (seed 1008628).
    pub fn largest_magnitude(&self) -> f64 {
        self.largest
    }

    /// Calls function `name`. Arguments that are references point into
    /// `caller_memory`, which the caller reads back afterwards.
    pub fn run(&mut self, name: &str, args: Vec<V>, memory: &mut [V]) -> Result<V, String> {
        // Slot 0..n of frame 0 hold the caller's buffers.
        let mut root = HashMap::new();
        for (i, v) in memory.iter().enumerate() {
            root.insert(VarId(usize::MAX - i), v.clone());
        }
        self.frames = vec![root];
        let out = self.call(name, args)?;
        for (i, slot) in memory.iter_mut().enumerate() {
            if let Some(v) = self.frames[0].get(&VarId(usize::MAX - i)) {
                *slot = v.clone();
            }
        }
        Ok(out)
    }

    /// A reference to caller buffer `i` (for `run`'s arguments).
    pub fn buffer_ref(i: usize) -> V {
        V::R(Loc {
            frame: 0,
            var: VarId(usize::MAX - i),
            path: Vec::new(),
            window: None,
        })
    }

    fn call(&mut self, name: &str, args: Vec<V>) -> Result<V, String> {
        let f = self
            .prog
            .get(name)
            .ok_or_else(|| format!("no function `{name}`"))?;
        if f.params.len() != args.len() {
            return Err(format!(
                "`{name}` takes {} arguments, got {}",
                f.params.len(),
                args.len()
            ));
        }
        let mut frame = HashMap::new();
        for (p, a) in f.params.iter().zip(args) {
            frame.insert(p.var, a);
        }
        self.frames.push(frame);
        let flow = self.block(&f.body);
        self.frames.pop();
        match flow? {
            Flow::Return(v) => Ok(v),
            Flow::Normal => Ok(V::Unit),
            _ => Err("break or continue out of a function".into()),
        }
    }

    fn cur(&self) -> usize {
        self.frames.len() - 1
    }

    fn var(&self, v: VarId) -> Result<&V, String> {
        self.frames[self.cur()]
            .get(&v)
            .ok_or_else(|| format!("variable {} is not set", v.0))
    }

    fn get(&self, loc: &Loc) -> Result<&V, String> {
        if loc.window.is_some() {
            return Err("a sub-slice used as a value".into());
        }
        self.get_whole(loc)
    }

    /// The value at `loc`'s path, ignoring its window.
    fn get_whole(&self, loc: &Loc) -> Result<&V, String> {
        let mut v = self.frames[loc.frame]
            .get(&loc.var)
            .ok_or_else(|| format!("dangling reference to {}", loc.var.0))?;
        for &i in &loc.path {
            v = match v {
                V::A(xs) | V::T(xs) => xs
                    .get(i)
                    .ok_or_else(|| format!("index {i} out of bounds ({})", xs.len()))?,
                other => return Err(format!("cannot index {other:?}")),
            };
        }
        Ok(v)
    }

    fn get_mut(&mut self, loc: &Loc) -> Result<&mut V, String> {
        if loc.window.is_some() {
            return Err("a sub-slice assigned as a value".into());
        }
        self.get_whole_mut(loc)
    }

    /// The elements a location stands for: the value there, or the
    /// elements of its window.
    fn read(&self, loc: &Loc) -> Result<V, String> {
        match (loc.window, self.get_whole(loc)?) {
            (None, v) => Ok(v.clone()),
            (Some((a, b)), V::A(xs)) => match xs.get(a..b) {
                Some(w) => Ok(V::A(w.to_vec())),
                None => Err(format!("sub-slice {a}..{b} out of bounds ({})", xs.len())),
            },
            (Some(_), other) => Err(format!("sub-slice of {other:?}")),
        }
    }

    fn get_whole_mut(&mut self, loc: &Loc) -> Result<&mut V, String> {
        let mut v = self.frames[loc.frame]
            .get_mut(&loc.var)
            .ok_or_else(|| format!("dangling reference to {}", loc.var.0))?;
        for &i in &loc.path {
            v = match v {
                V::A(xs) | V::T(xs) => {
                    let n = xs.len();
                    xs.get_mut(i)
                        .ok_or_else(|| format!("index {i} out of bounds ({n})"))?
                }
                other => return Err(format!("cannot index {other:?}")),
            };
        }
        Ok(v)
    }

    /// Follows references until a non-reference location.
    fn follow(&self, mut loc: Loc) -> Result<Loc, String> {
        // A window is always of an array, never of a reference.
        while loc.window.is_none() {
            let V::R(target) = self.get(&loc)? else { break };
            loc = target.clone();
        }
        Ok(loc)
    }

    fn loc(&self, p: &Place) -> Result<Loc, String> {
        let mut loc = Loc {
            frame: self.cur(),
            var: p.base,
            path: Vec::new(),
            window: None,
        };
        for proj in &p.proj {
            match proj {
                Proj::Index(a) => {
                    loc = self.follow(loc)?;
                    let i = self.index(a)?;
                    match loc.window.take() {
                        Some((lo, hi)) if i < hi - lo => loc.path.push(lo + i),
                        Some((lo, hi)) => {
                            return Err(format!("index {i} out of bounds ({})", hi - lo))
                        }
                        None => loc.path.push(i),
                    }
                }
                Proj::Slice(b) => {
                    loc = self.follow(loc)?;
                    let (base, len) = match loc.window {
                        Some((lo, hi)) => (lo, hi - lo),
                        None => match self.get(&loc)? {
                            V::A(xs) => (0, xs.len()),
                            other => return Err(format!("sub-slice of {other:?}")),
                        },
                    };
                    let lo = b.lo.as_ref().map_or(Ok(0), |a| self.index(a))?;
                    let hi = match &b.hi {
                        Some(a) => self.index(a)? + usize::from(b.inclusive),
                        None => len,
                    };
                    if lo > hi || hi > len {
                        return Err(format!("sub-slice {lo}..{hi} out of bounds ({len})"));
                    }
                    loc.window = Some((base + lo, base + hi));
                }
                Proj::Named(f) => return Err(format!("named field `{f}`")),
                Proj::Field(k) => {
                    loc = self.follow(loc)?;
                    if loc.window.is_some() {
                        return Err("field of a sub-slice".into());
                    }
                    loc.path.push(*k);
                }
                Proj::Deref => match self.get(&loc)? {
                    V::R(t) => loc = t.clone(),
                    other => return Err(format!("deref of {other:?}")),
                },
            }
        }
        Ok(loc)
    }

    fn index(&self, a: &Atom) -> Result<usize, String> {
        let i = self.atom(a)?.i()?;
        usize::try_from(i).map_err(|_| format!("negative index {i}"))
    }

    fn atom(&self, a: &Atom) -> Result<V, String> {
        match a {
            Atom::Var(v) => Ok(self.var(*v)?.clone()),
            Atom::Const(c) => prims::constant(c),
        }
    }

    fn set(&mut self, v: VarId, val: V) {
        let cur = self.cur();
        self.frames[cur].insert(v, val);
    }

    fn arg(&mut self, a: &Arg) -> Result<V, String> {
        match a {
            Arg::Value(x) => self.atom(x),
            Arg::Ref(p) | Arg::RefMut(p) => Ok(V::R(self.loc(p)?)),
            Arg::ZeroOf(inner) => {
                let v = self.arg(inner)?;
                Ok(self.deref_value(&v)?.zero())
            }
            Arg::MutZeroOf(inner) => {
                let v = self.arg(inner)?;
                let z = self.deref_value(&v)?.zero();
                self.scratch += 1;
                let slot = VarId(usize::MAX / 2 + self.scratch);
                self.set(slot, z);
                Ok(V::R(Loc {
                    frame: self.cur(),
                    var: slot,
                    path: Vec::new(),
                    window: None,
                }))
            }
        }
    }

    fn deref_value(&self, v: &V) -> Result<V, String> {
        match v {
            V::R(l) => {
                let l = self.follow(l.clone())?;
                self.read(&l)
            }
            other => Ok(other.clone()),
        }
    }
}

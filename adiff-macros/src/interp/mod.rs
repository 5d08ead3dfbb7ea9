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
    Unit,
    /// Declared, not yet assigned (or `Default::default()` of unknown type).
    Undef,
}

/// A location: a variable of a frame, then element indices.
#[derive(Clone, Debug, PartialEq)]
pub struct Loc {
    frame: usize,
    var: VarId,
    path: Vec<usize>,
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
        }
    }

    /// Statements and loop iterations executed so far.
    pub fn steps(&self) -> usize {
        self.steps
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
        while let V::R(target) = self.get(&loc)? {
            loc = target.clone();
        }
        Ok(loc)
    }

    fn loc(&self, p: &Place) -> Result<Loc, String> {
        let mut loc = Loc {
            frame: self.cur(),
            var: p.base,
            path: Vec::new(),
        };
        for proj in &p.proj {
            match proj {
                Proj::Index(a) => {
                    loc = self.follow(loc)?;
                    let i = self.atom(a)?.i()?;
                    loc.path
                        .push(usize::try_from(i).map_err(|_| format!("negative index {i}"))?);
                }
                Proj::Field(k) => {
                    loc = self.follow(loc)?;
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
                }))
            }
        }
    }

    fn deref_value(&self, v: &V) -> Result<V, String> {
        match v {
            V::R(l) => {
                let l = self.follow(l.clone())?;
                Ok(self.get(&l)?.clone())
            }
            other => Ok(other.clone()),
        }
    }
}

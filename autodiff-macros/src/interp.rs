//! A test-only interpreter of the IR, for differential testing: it runs a
//! function, its forward-mode and its reverse-mode transformation directly,
//! so thousands of generated programs can be checked per `cargo test`
//! without compiling them.

use std::collections::HashMap;

use crate::elem::Elem;
use crate::ir::{
    Arg, Atom, BinOp, Block, Const, Func, Op, Pat, Place, Proj, RangeAdapter, Stmt, UnOp, VarId,
};

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
            Atom::Const(c) => constant(c),
        }
    }

    fn block(&mut self, b: &Block) -> Result<Flow, String> {
        for s in b {
            self.steps += 1;
            if self.steps > self.max_steps {
                return Err(format!(
                    "step limit exceeded: more than {} steps",
                    self.max_steps
                ));
            }
            match self.stmt(s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn set(&mut self, v: VarId, val: V) {
        let cur = self.cur();
        self.frames[cur].insert(v, val);
    }

    fn stmt(&mut self, s: &Stmt) -> Result<Flow, String> {
        match s {
            Stmt::Let { pat, init, .. } => {
                let val = match init {
                    Some(op) => self.op(op)?,
                    None => V::Undef,
                };
                match pat {
                    Pat::Var(v) => self.set(*v, val),
                    Pat::Tuple(vs) => {
                        let V::T(parts) = val else {
                            return Err(format!("tuple pattern on {val:?}"));
                        };
                        for (v, x) in vs.iter().zip(parts) {
                            if let Some(v) = v {
                                self.set(*v, x);
                            }
                        }
                    }
                }
            }
            Stmt::Assign { place, op, .. } => {
                let val = self.op(op)?;
                let loc = self.loc(place)?;
                *self.get_mut(&loc)? = val;
            }
            Stmt::Accum { place, op, .. } => {
                let val = self.op(op)?;
                let loc = self.loc(place)?;
                let loc = self.follow(loc)?;
                let target = self.get_mut(&loc)?;
                add_into(target, &val)?;
            }
            Stmt::Eval { op, .. } => {
                self.op(op)?;
            }
            Stmt::If { cond, then, els } => {
                let c = self.atom(cond)?.b()?;
                return self.block(if c { then } else { els });
            }
            Stmt::For {
                var,
                range,
                body,
                label,
            } => {
                let mut idx: Vec<i64> = {
                    let (a, b) = (self.atom(&range.start)?.i()?, self.atom(&range.end)?.i()?);
                    if range.inclusive {
                        (a..=b).collect()
                    } else {
                        (a..b).collect()
                    }
                };
                for ad in &range.adapters {
                    idx = match ad {
                        RangeAdapter::Rev => idx.into_iter().rev().collect(),
                        RangeAdapter::StepBy(k) => {
                            let k =
                                usize::try_from(self.atom(k)?.i()?).map_err(|e| e.to_string())?;
                            idx.into_iter().step_by(k.max(1)).collect()
                        }
                        RangeAdapter::Take(k) => {
                            let k =
                                usize::try_from(self.atom(k)?.i()?).map_err(|e| e.to_string())?;
                            idx.into_iter().take(k).collect()
                        }
                    };
                }
                let name = label.as_ref().map(|l| l.ident.to_string());
                for i in idx {
                    self.set(*var, V::I(i));
                    match self.block(body)? {
                        Flow::Break(l) if l.is_none() || l == name => break,
                        Flow::Continue(l) if l.is_none() || l == name => {}
                        Flow::Normal => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::Loop { body, label } => {
                let name = label.as_ref().map(|l| l.ident.to_string());
                loop {
                    self.steps += 1;
                    if self.steps > self.max_steps {
                        return Err(format!(
                            "step limit exceeded: more than {} steps",
                            self.max_steps
                        ));
                    }
                    match self.block(body)? {
                        Flow::Break(l) if l.is_none() || l == name => break,
                        Flow::Continue(l) if l.is_none() || l == name => {}
                        Flow::Normal => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::Block { label, body } => match self.block(body)? {
                Flow::Break(Some(l)) if label.ident == l => {}
                other => return Ok(other),
            },
            Stmt::Break(l) => return Ok(Flow::Break(l.as_ref().map(|l| l.ident.to_string()))),
            Stmt::Continue(l) => {
                return Ok(Flow::Continue(l.as_ref().map(|l| l.ident.to_string())))
            }
            Stmt::Return(op) => {
                let v = match op {
                    Some(op) => self.op(op)?,
                    None => V::Unit,
                };
                return Ok(Flow::Return(v));
            }
            Stmt::TapePush { tape, value } => {
                let val = self.atom(value)?;
                let cur = self.cur();
                match self.frames[cur].get_mut(tape) {
                    Some(V::Tape(t)) => t.push(val),
                    _ => return Err("push to a non-tape".into()),
                }
            }
            Stmt::Match { scrut, arms } => {
                let k = usize::try_from(self.atom(scrut)?.i()?).map_err(|e| e.to_string())?;
                let arm = arms
                    .iter()
                    .find(|(c, _)| *c == k)
                    .ok_or_else(|| format!("unknown exit code {k}"))?;
                return self.block(&arm.1);
            }
            Stmt::Assert { .. } => {}
        }
        Ok(Flow::Normal)
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

    fn op(&mut self, op: &Op) -> Result<V, String> {
        Ok(match op {
            Op::Use(a) => self.atom(a)?,
            Op::Load(p) => {
                let loc = self.loc(p)?;
                if p.proj.is_empty() {
                    self.get(&loc)?.clone()
                } else {
                    let loc = self.follow(loc)?;
                    self.get(&loc)?.clone()
                }
            }
            Op::Bin(b, x, y) => bin(*b, &self.atom(x)?, &self.atom(y)?)?,
            Op::Unary(u, x) => match (u, self.atom(x)?) {
                (UnOp::Neg, V::F(a)) => V::F(-a),
                (UnOp::Neg, V::I(a)) => V::I(-a),
                (UnOp::Not, V::B(a)) => V::B(!a),
                (_, other) => return Err(format!("unary on {other:?}")),
            },
            Op::Cast(x, t) => cast(
                &self.atom(x)?,
                &quote::ToTokens::to_token_stream(t).to_string(),
            )?,
            Op::CastPrec(x, p) => cast(&self.atom(x)?, p.name())?,
            Op::Elem(e, args, _) => {
                let vals: Vec<V> = args
                    .iter()
                    .map(|a| self.atom(a))
                    .collect::<Result<_, _>>()?;
                elem(*e, &vals)?
            }
            Op::Method(..) => return Err("opaque method".into()),
            Op::Call(callee, args) => {
                let mut name = callee
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                if let Some(kind) = callee.derivative {
                    name.push_str(kind.suffix());
                }
                let vals: Vec<V> = args.iter().map(|a| self.arg(a)).collect::<Result<_, _>>()?;
                self.call(&name, vals)?
            }
            Op::Tuple(xs) => V::T(xs.iter().map(|a| self.atom(a)).collect::<Result<_, _>>()?),
            Op::Array(xs) | Op::VecList(xs) => {
                V::A(xs.iter().map(|a| self.atom(a)).collect::<Result<_, _>>()?)
            }
            Op::Repeat(a, n) => {
                let n: usize = match n {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(i),
                        ..
                    }) => i.base10_parse().map_err(|e| e.to_string())?,
                    _ => return Err("array length is not a literal".into()),
                };
                V::A(vec![self.atom(a)?; n])
            }
            Op::VecRepeat(a, n) => {
                let n = usize::try_from(self.atom(n)?.i()?).map_err(|e| e.to_string())?;
                V::A(vec![self.atom(a)?; n])
            }
            Op::Len(p) => {
                let loc = self.follow(self.loc(p)?)?;
                match self.get(&loc)? {
                    V::A(xs) => V::I(xs.len() as i64),
                    other => return Err(format!("len of {other:?}")),
                }
            }
            Op::Ref(p, _) => V::R(self.loc(p)?),
            Op::InRange {
                x,
                lo,
                hi,
                inclusive,
            } => {
                let x = self.atom(x)?;
                let above = match lo {
                    Some(lo) => bin(BinOp::Ge, &x, &self.atom(lo)?)?.b()?,
                    None => true,
                };
                let below = match hi {
                    Some(hi) => {
                        let op = if *inclusive { BinOp::Le } else { BinOp::Lt };
                        bin(op, &x, &self.atom(hi)?)?.b()?
                    }
                    None => true,
                };
                V::B(above && below)
            }
            Op::Select(c, a, b) => {
                if self.atom(c)?.b()? {
                    self.atom(a)?
                } else {
                    self.atom(b)?
                }
            }
            Op::Lin(terms) => {
                let mut s = 0.0;
                for t in terms {
                    let mut x = self.atom(&t.value)?.f()?;
                    if let Some(m) = &t.scale.mul {
                        x *= self.atom(m)?.f()?;
                    }
                    if let Some(d) = &t.scale.div {
                        x /= self.atom(d)?.f()?;
                    }
                    s += if t.scale.neg { -x } else { x };
                }
                V::F(s)
            }
            Op::ZeroLike(a) | Op::ZeroVec(a) => {
                let v = self.atom(a)?;
                self.deref_value(&v)?.zero()
            }
            Op::TapeNew(_) => V::Tape(Vec::new()),
            Op::TapePop(t) => {
                let cur = self.cur();
                match self.frames[cur].get_mut(t) {
                    Some(V::Tape(xs)) => xs.pop().ok_or("tape underflow")?,
                    _ => return Err("pop from a non-tape".into()),
                }
            }
            Op::TapePeek(t, d) => {
                let V::I(depth) = self.atom(d)? else {
                    return Err("peek depth is not an integer".into());
                };
                let cur = self.cur();
                match self.frames[cur].get(t) {
                    Some(V::Tape(xs)) => usize::try_from(depth)
                        .ok()
                        .and_then(|k| xs.len().checked_sub(k + 1))
                        .and_then(|i| xs.get(i))
                        .cloned()
                        .ok_or("tape peek past the bottom")?,
                    _ => return Err("peek into a non-tape".into()),
                }
            }
            Op::Default => V::Undef,
        })
    }
}

fn add_into(target: &mut V, val: &V) -> Result<(), String> {
    match (target, val) {
        (V::F(a), v) => *a += v.f()?,
        (V::A(xs), V::A(ys)) | (V::T(xs), V::T(ys)) => {
            for (x, y) in xs.iter_mut().zip(ys) {
                add_into(x, y)?;
            }
        }
        (V::I(_) | V::B(_), _) => {}
        (t, v) => return Err(format!("cannot add {v:?} into {t:?}")),
    }
    Ok(())
}

fn constant(c: &Const) -> Result<V, String> {
    Ok(match c {
        Const::Float(x) => V::F(*x),
        Const::Unit => V::Unit,
        Const::Lit(syn::Lit::Float(f)) => V::F(f.base10_parse().map_err(|e| e.to_string())?),
        Const::Lit(syn::Lit::Int(i)) => {
            if matches!(i.suffix(), "f64" | "f32") {
                V::F(i.base10_parse().map_err(|e| e.to_string())?)
            } else {
                V::I(i.base10_parse().map_err(|e| e.to_string())?)
            }
        }
        Const::Lit(syn::Lit::Bool(b)) => V::B(b.value),
        Const::Path(p) => {
            let s = quote::ToTokens::to_token_stream(p)
                .to_string()
                .replace(' ', "");
            match s.rsplit("::").next().unwrap_or_default() {
                "PI" => V::F(std::f64::consts::PI),
                "E" => V::F(std::f64::consts::E),
                "LN_2" => V::F(std::f64::consts::LN_2),
                "LN_10" => V::F(std::f64::consts::LN_10),
                "INFINITY" => V::F(f64::INFINITY),
                other => return Err(format!("constant `{other}`")),
            }
        }
        Const::Lit(_) => return Err("literal".into()),
    })
}

fn bin(b: BinOp, x: &V, y: &V) -> Result<V, String> {
    use BinOp as B;
    Ok(match (x, y) {
        (V::I(a), V::I(c)) => {
            let (a, c) = (*a, *c);
            match b {
                B::Add => V::I(a + c),
                B::Sub => V::I(a - c),
                B::Mul => V::I(a * c),
                B::Div => V::I(a.checked_div(c).ok_or("division by zero")?),
                B::Rem => V::I(a.checked_rem(c).ok_or("division by zero")?),
                B::Lt => V::B(a < c),
                B::Le => V::B(a <= c),
                B::Gt => V::B(a > c),
                B::Ge => V::B(a >= c),
                B::Eq => V::B(a == c),
                B::Ne => V::B(a != c),
                B::BitAnd => V::I(a & c),
                B::BitOr => V::I(a | c),
                B::BitXor => V::I(a ^ c),
                B::Shl => V::I(a << c),
                B::Shr => V::I(a >> c),
            }
        }
        (V::B(a), V::B(c)) => match b {
            B::BitAnd => V::B(*a & *c),
            B::BitOr => V::B(*a | *c),
            B::BitXor => V::B(*a ^ *c),
            B::Eq => V::B(a == c),
            B::Ne => V::B(a != c),
            _ => return Err("bool arithmetic".into()),
        },
        _ => {
            let (a, c) = (x.f()?, y.f()?);
            match b {
                B::Add => V::F(a + c),
                B::Sub => V::F(a - c),
                B::Mul => V::F(a * c),
                B::Div => V::F(a / c),
                B::Rem => V::F(a % c),
                B::Lt => V::B(a < c),
                B::Le => V::B(a <= c),
                B::Gt => V::B(a > c),
                B::Ge => V::B(a >= c),
                B::Eq => V::B(a == c),
                B::Ne => V::B(a != c),
                _ => return Err("bit operation on floats".into()),
            }
        }
    })
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn cast(x: &V, ty: &str) -> Result<V, String> {
    Ok(match (x, ty) {
        (V::F(a), "f64") => V::F(*a),
        (V::F(a), "f32") => V::F(f64::from(*a as f32)),
        (V::I(a), "f64" | "f32") => V::F(*a as f64),
        (V::F(a), "usize" | "u32" | "u64" | "u8") => V::I((*a as u64) as i64),
        (V::F(a), _) => V::I(*a as i64),
        (V::I(a), "usize" | "u32" | "u64" | "u8") => V::I((*a).max(0)),
        (V::I(a), _) => V::I(*a),
        (V::B(a), _) => V::I(i64::from(*a)),
        (other, t) => return Err(format!("cast of {other:?} to {t}")),
    })
}

fn elem(e: Elem, a: &[V]) -> Result<V, String> {
    if let (Some(V::I(x)), Elem::Abs | Elem::Min | Elem::Max) = (a.first(), e) {
        let y = a.get(1).map(V::i).transpose()?;
        return Ok(V::I(match e {
            Elem::Abs => x.abs(),
            Elem::Min => (*x).min(y.unwrap_or(*x)),
            _ => (*x).max(y.unwrap_or(*x)),
        }));
    }
    let x = a[0].f()?;
    let y = || a.get(1).map_or(Ok(0.0), V::f);
    let z = || a.get(2).map_or(Ok(0.0), V::f);
    Ok(V::F(match e {
        Elem::Sin => x.sin(),
        Elem::Cos => x.cos(),
        Elem::Tan => x.tan(),
        Elem::Asin => x.asin(),
        Elem::Acos => x.acos(),
        Elem::Atan => x.atan(),
        Elem::Atan2 => x.atan2(y()?),
        Elem::Sinh => x.sinh(),
        Elem::Cosh => x.cosh(),
        Elem::Tanh => x.tanh(),
        Elem::Asinh => x.asinh(),
        Elem::Acosh => x.acosh(),
        Elem::Atanh => x.atanh(),
        Elem::Exp => x.exp(),
        Elem::Exp2 => x.exp2(),
        Elem::ExpM1 => x.exp_m1(),
        Elem::Ln => x.ln(),
        Elem::Log => x.log(y()?),
        Elem::Log2 => x.log2(),
        Elem::Log10 => x.log10(),
        Elem::Ln1p => x.ln_1p(),
        Elem::Sqrt => x.sqrt(),
        Elem::Cbrt => x.cbrt(),
        Elem::Powi => x.powi(i32::try_from(a[1].i()?).map_err(|e| e.to_string())?),
        Elem::Powf => x.powf(y()?),
        Elem::Recip => x.recip(),
        Elem::Abs => x.abs(),
        Elem::Signum => x.signum(),
        Elem::Hypot => x.hypot(y()?),
        Elem::MulAdd => x.mul_add(y()?, z()?),
        Elem::Min => x.min(y()?),
        Elem::Max => x.max(y()?),
        Elem::Clamp => x.clamp(y()?, z()?),
        Elem::Floor => x.floor(),
        Elem::Ceil => x.ceil(),
        Elem::Round => x.round(),
        Elem::Trunc => x.trunc(),
        Elem::ToRadians => x.to_radians(),
        Elem::ToDegrees => x.to_degrees(),
    }))
}

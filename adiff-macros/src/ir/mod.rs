//! The intermediate representation: a function body in A-normal form.
//!
//! Every computation is `dst = op(atoms)`: operands are atoms (variables and
//! constants), never nested expressions. Structured control flow (`if`,
//! `for`, `loop`, `break`, `continue`, `return`) stays structured, because
//! Rust cannot jump into the middle of a block and the generated code must
//! read like the user's.
//!
//! Invariants, checked by [`crate::verify`]:
//! - every variable is declared exactly once, before it is used;
//! - an `Assign`'s operation does not read the assigned variable, so a
//!   derivative statement emitted after it may read both the old operands and
//!   the new value. The one exception is `s = s + e` / `s = s - e` (see
//!   [`may_read_target`]), whose derivative reads no primal value, and the
//!   linear combinations that transformations emit for tangents;
//! - `break` and `continue` appear inside a loop, and their labels exist.

mod ids;
mod la;
mod print;
mod visit;

use proc_macro2::Span;

use crate::convention::Kind;
use crate::elem::Elem;
use crate::ty::{Prec, Ty};

pub use ids::{StmtId, StmtIds};
pub use la::{DimKind, LaOp, MapFn};
pub use print::print;
pub use visit::{
    doubled, for_each_stmt, map_op, map_vars, op_atoms, op_reads, place_atoms, written,
};

/// Index of a variable in [`Func::vars`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(pub usize);

/// What a variable stands for; decides how codegen names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A parameter or `let` binding written by the user.
    User,
    /// A temporary introduced by lowering or by a transformation.
    Temp,
    /// The tangent of another variable.
    Tangent(VarId),
    /// The adjoint of another variable.
    Adjoint(VarId),
    /// A variable of a reverse sweep standing for a primal variable whose
    /// scope has ended: same name, disjoint scope.
    Copy(VarId),
    /// The tape recording another variable; `name` holds a suffix such as
    /// `_elem`.
    Tape(VarId),
}

/// Everything known about one variable.
#[derive(Clone, Debug)]
pub struct VarInfo {
    /// The user's name, or a hint for temporaries.
    pub name: String,
    pub span: Span,
    pub ty: Ty,
    pub mutable: bool,
    pub origin: Origin,
    /// The type written by the user on the `let` or parameter, if any.
    pub declared: Option<syn::Type>,
}

/// A constant operand.
#[derive(Clone, Debug)]
pub enum Const {
    /// A float literal without a suffix; rustc infers its precision.
    Float(f64),
    /// A float constant of the function's float type parameter `T`
    /// (`lit::<T>(x)`); only `generic_consts::pin`, the last pass, makes it.
    FloatT(f64),
    /// A literal as the user wrote it (keeps its suffix).
    Lit(syn::Lit),
    /// A path to a constant, such as `std::f64::consts::PI` or `N`.
    Path(syn::Path),
    Unit,
}

/// An operand: a variable or a constant.
#[derive(Clone, Debug)]
pub enum Atom {
    Var(VarId),
    Const(Const),
}

impl Atom {
    pub fn var(&self) -> Option<VarId> {
        match self {
            Atom::Var(v) => Some(*v),
            Atom::Const(_) => None,
        }
    }
    pub fn float(x: f64) -> Self {
        Atom::Const(Const::Float(x))
    }
}

/// One step of a place expression.
#[derive(Clone, Debug)]
pub enum Proj {
    Index(Atom),
    /// `[lo..hi]` (a sub-slice, see [`Bounds`]).
    Slice(Bounds),
    Field(usize),
    /// `.name`: a named field, read only from a constant (a receiver, a
    /// parameter of a type rustc proves carries no derivative).
    Named(syn::Ident),
    Deref,
}

/// The bounds of a sub-slice `x[lo..hi]`, `x[lo..=hi]`, `x[lo..]`, `x[..hi]`.
///
/// A place ending in a sub-slice is unsized: lowering uses it only behind a
/// reference (`&x[a..b]`, a call argument), under `len`, or followed by an
/// index. Its bounds are atoms that are never reassigned while the place is
/// used (lowering copies variables into fresh temporaries), so the tangent
/// place `x_dot[lo..hi]` and the adjoint place `x_bar[lo..hi]` address the
/// same elements as the primal one, wherever they are evaluated.
#[derive(Clone, Debug)]
pub struct Bounds {
    pub lo: Option<Atom>,
    pub hi: Option<Atom>,
    pub inclusive: bool,
}

impl Proj {
    /// The operand atoms of this step (indices and sub-slice bounds).
    pub fn atoms(&self) -> Vec<&Atom> {
        match self {
            Proj::Index(a) => vec![a],
            Proj::Slice(b) => b.lo.iter().chain(&b.hi).collect(),
            Proj::Field(_) | Proj::Named(_) | Proj::Deref => Vec::new(),
        }
    }

    /// This step with every operand atom replaced by `f(atom)`.
    pub fn map_atoms(&self, f: &dyn Fn(&Atom) -> Atom) -> Proj {
        match self {
            Proj::Index(a) => Proj::Index(f(a)),
            Proj::Slice(b) => Proj::Slice(Bounds {
                lo: b.lo.as_ref().map(f),
                hi: b.hi.as_ref().map(f),
                inclusive: b.inclusive,
            }),
            other => other.clone(),
        }
    }

    /// Whether evaluating this step can panic (an index or a sub-slice out
    /// of bounds).
    pub fn may_panic(&self) -> bool {
        matches!(self, Proj::Index(_) | Proj::Slice(_))
    }
}

/// A memory location: a variable followed by projections, as in `a[i][j]`.
#[derive(Clone, Debug)]
pub struct Place {
    pub base: VarId,
    pub proj: Vec<Proj>,
}

impl Place {
    pub fn var(base: VarId) -> Self {
        Place {
            base,
            proj: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
}

impl BinOp {
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
        )
    }
    pub fn is_arith(self) -> bool {
        matches!(
            self,
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

/// A call argument. References to places keep the place, so a
/// transformation can pass the matching tangent place.
#[derive(Clone, Debug)]
pub enum Arg {
    Value(Atom),
    Ref(Place),
    RefMut(Place),
    /// A zero shaped like the given argument (used for the tangent of a
    /// differentiable argument that does not vary).
    ZeroOf(Box<Arg>),
    /// `&mut` to a scratch zero shaped like the given argument (an adjoint
    /// argument whose result is discarded).
    MutZeroOf(Box<Arg>),
}

/// A multiplier on one term of a linear combination.
#[derive(Clone, Debug, Default)]
pub struct Scale {
    pub neg: bool,
    pub mul: Option<Atom>,
    pub div: Option<Atom>,
}

impl Scale {
    pub fn one() -> Self {
        Scale::default()
    }
    pub fn neg() -> Self {
        Scale {
            neg: true,
            ..Scale::default()
        }
    }
    pub fn mul(a: Atom) -> Self {
        Scale {
            mul: Some(a),
            ..Scale::default()
        }
    }
}

/// One term `scale * value` of a linear combination.
#[derive(Clone, Debug)]
pub struct Term {
    pub value: Atom,
    pub scale: Scale,
}

/// Which function a call goes to.
#[derive(Clone, Debug)]
pub struct Callee {
    pub path: syn::Path,
    /// The callee's derivative that is called instead (`g_jvp` for
    /// [`Kind::Jvp`]), named by the calling convention.
    pub derivative: Option<Kind>,
    /// A function known to have no derivative (`f64::from_bits`): allowed
    /// only on values that carry no derivative, and never rewritten.
    pub opaque: bool,
}

/// The right-hand side of a statement.
#[derive(Clone, Debug)]
pub enum Op {
    Use(Atom),
    Load(Place),
    Bin(BinOp, Atom, Atom),
    Unary(UnOp, Atom),
    /// `a as T`; the type is kept as written.
    Cast(Atom, syn::Type),
    /// `a as f32` / `a as f64` introduced by a transformation.
    CastPrec(Atom, Prec),
    /// An elementary function; `prec` is set when the user named it through
    /// a type, as in `f64::sin(x)`.
    Elem(Elem, Vec<Atom>, Option<Prec>),
    /// A method that is not differentiable, such as `n.pow(2)`; allowed only
    /// on values that do not vary.
    Method(Atom, syn::Ident, Vec<Atom>),
    Call(Callee, Vec<Arg>),
    Tuple(Vec<Atom>),
    Array(Vec<Atom>),
    /// `[a; len]`.
    Repeat(Atom, syn::Expr),
    /// `vec![a; n]`.
    VecRepeat(Atom, Atom),
    /// `vec![a, b, ...]`.
    VecList(Vec<Atom>),
    /// `place.len()`.
    Len(Place),
    /// `&place` or `&mut place`.
    Ref(Place, bool),
    /// `if c { a } else { b }`.
    Select(Atom, Atom, Atom),
    /// `(lo..=hi).contains(&x)` (`..` when not inclusive; either end may be
    /// missing), for range patterns: spelled as comparisons, `n >= 0` on an
    /// unsigned `n` would trip rustc's `unused_comparisons`.
    InRange {
        x: Atom,
        lo: Option<Atom>,
        hi: Option<Atom>,
        inclusive: bool,
    },
    /// A linear combination `± value · mul / div ± ...` (zero if empty),
    /// which transformations emit: tangents in forward mode, adjoint
    /// updates in reverse mode.
    Lin(Vec<Term>),
    /// A zero shaped like the operand.
    ZeroLike(Atom),
    /// A zero `Vec` as long as the slice operand (an owned adjoint for it).
    ZeroVec(Atom),
    /// `Default::default()`: an initial value for a variable that is
    /// assigned later, whose type rustc infers from that assignment.
    Default,
    /// A new, empty tape with the given inline capacity.
    TapeNew(usize),
    /// A new, empty tape of values that own heap memory (`Vec`s, tuples
    /// holding them), which are recorded by move, not copied.
    TapeNewOwned,
    /// The value recorded last on a tape.
    TapePop(VarId),
    /// The value `depth` places below the top of a tape, left in place.
    TapePeek(VarId, Atom),
    /// `v.push(Default::default())`: the local `Vec` grows by one zero
    /// element, which lowering then assigns (`v.push(a)` is `Grow(v)` and
    /// `v[n] = a`). Undone exactly by [`Op::Shrink`], so reverse mode needs
    /// no tape for it.
    Grow(Place),
    /// `v.pop();` of a last element that lowering has just set to
    /// `Default::default()` (its old value goes through an ordinary
    /// indexed store, which reverse mode restores), so that it is undone
    /// exactly by [`Op::Grow`].
    Shrink(Place),
    /// A step of a checkpointed loop's reverse schedule, run by the
    /// runtime's `Checkpoints` (see `reverse/checkpoint.rs`).
    Ck(CkOp, Vec<Atom>),
    /// An operation on nalgebra values (see [`LaOp`]).
    La(LaOp, Vec<Atom>),
}

/// The operations on a checkpointed loop's schedule. The first atom is the
/// schedule's variable, except for the two that make one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CkOp {
    /// `Checkpoints::binomial(start, end, snapshots)`.
    Binomial,
    /// `Checkpoints::periodic(start, end)`.
    Periodic,
    /// `Checkpoints::within(start, end, bytes, state)`: binomial, with as
    /// many snapshots as a memory budget holds (`state`, a tuple of
    /// references, measures one).
    Within,
    /// `ck.next_action()`: 0 done, 1 advance, 2 save, 3 restore, 4 turn.
    Next,
    /// `ck.lo()`, the first index of an advance or a turn.
    Lo,
    /// `ck.hi()`, one past its last index.
    Hi,
    /// `ck.save(state)`.
    Save,
    /// `ck.restore()`, a copy of the newest snapshot.
    Restore,
    /// `RangeIndex::offset(start, k)`: the `k`-th index of a loop over
    /// `start..`, in the index's own integer type.
    Offset,
}

impl CkOp {
    /// The runtime method or constructor.
    pub fn name(self) -> &'static str {
        match self {
            CkOp::Binomial => "binomial",
            CkOp::Periodic => "periodic",
            CkOp::Within => "within",
            CkOp::Next => "next_action",
            CkOp::Lo => "lo",
            CkOp::Hi => "hi",
            CkOp::Save => "save",
            CkOp::Restore => "restore",
            CkOp::Offset => "offset",
        }
    }
}

/// How the user asked a loop's reverse to be checkpointed
/// (`#[checkpoint(snapshots = S)]` or `#[checkpoint(periodic)]`).
#[derive(Clone, Debug)]
pub enum Checkpoint {
    /// Binomial checkpointing with this many snapshots.
    Binomial(Atom),
    /// A snapshot every `⌈√T⌉` iterations.
    Periodic,
    /// Binomial checkpointing with as many snapshots as this many bytes hold.
    Memory(Atom),
}

/// The left side of a `let`.
#[derive(Clone, Debug)]
pub enum Pat {
    Var(VarId),
    /// `let (a, b) = ...`; `None` is `_`.
    Tuple(Vec<Option<VarId>>),
}

/// A loop label, as written by the user.
pub type Label = Option<syn::Lifetime>;

/// An adapter applied to a `for` loop's integer range.
#[derive(Clone, Debug)]
pub enum RangeAdapter {
    Rev,
    StepBy(Atom),
    /// `.take(n)`: a reverse sweep runs only the iterations that ran.
    Take(Atom),
    /// `.skip(n)`, after a `rev` or `step_by` (before them, lowering moves
    /// the start instead).
    Skip(Atom),
}

impl RangeAdapter {
    /// This adapter with its count replaced by `f(count)`.
    pub fn map_atom(&self, f: &dyn Fn(&Atom) -> Atom) -> RangeAdapter {
        match self {
            RangeAdapter::Rev => RangeAdapter::Rev,
            RangeAdapter::StepBy(k) => RangeAdapter::StepBy(f(k)),
            RangeAdapter::Take(k) => RangeAdapter::Take(f(k)),
            RangeAdapter::Skip(k) => RangeAdapter::Skip(f(k)),
        }
    }

    /// The count the adapter takes, if any.
    pub fn arg(&self) -> Option<&Atom> {
        match self {
            RangeAdapter::Rev => None,
            RangeAdapter::StepBy(k) | RangeAdapter::Take(k) | RangeAdapter::Skip(k) => Some(k),
        }
    }
}

/// `for var in (start..end)<adapters>`.
#[derive(Clone, Debug)]
pub struct Range {
    pub start: Atom,
    pub end: Atom,
    pub inclusive: bool,
    pub adapters: Vec<RangeAdapter>,
}

impl Range {
    /// This range with every operand atom replaced by `f(atom)`.
    pub fn map_atoms(&self, f: &dyn Fn(&Atom) -> Atom) -> Range {
        Range {
            start: f(&self.start),
            end: f(&self.end),
            inclusive: self.inclusive,
            adapters: self.adapters.iter().map(|a| a.map_atom(f)).collect(),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Stmt {
    /// `let pat = op;` or, with no op, `let pat;` (initialised later).
    Let {
        pat: Pat,
        init: Option<Op>,
        span: Span,
    },
    Assign {
        place: Place,
        op: Op,
        span: Span,
    },
    /// An operation run for its effect, such as a call returning `()`.
    Eval {
        op: Op,
        span: Span,
    },
    If {
        cond: Atom,
        then: Block,
        els: Block,
    },
    For {
        var: VarId,
        range: Range,
        body: Block,
        label: Label,
    },
    Loop {
        body: Block,
        label: Label,
    },
    Break(Label),
    Continue(Label),
    /// `return op;` (`None` returns `()`).
    Return(Option<Op>),
    /// `place += op`: adjoint accumulation.
    Accum {
        place: Place,
        op: Op,
        span: Span,
    },
    /// `tape.push(value)`.
    TapePush {
        tape: VarId,
        value: Atom,
    },
    /// `match scrut { k => block, ... }` over integer codes.
    Match {
        scrut: Atom,
        arms: Vec<(usize, Block)>,
    },
    /// A labelled block `'label: { body }`, left by `break 'label`.
    Block {
        label: syn::Lifetime,
        body: Block,
    },
    /// An assertion macro kept for its effect: `name!(atoms..., rest)`.
    Assert {
        mac: syn::Path,
        args: Vec<Atom>,
        rest: proc_macro2::TokenStream,
    },
}

pub type Block = Vec<Stmt>;

/// How a parameter takes part in a derivative. Transformations read it
/// from here, never by matching parameters with the signature by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Passed through; it gets no tangent or adjoint.
    Constant,
    /// It gets a tangent (forward mode) or an adjoint (reverse mode).
    /// `mut_ref`: a `&mut` parameter, whose final contents are an output.
    /// `wrt`: the derivative is taken with respect to it (all of them,
    /// except for parameters left out by `#[grad(wrt(..))]`).
    Differentiable { mut_ref: bool, wrt: bool },
    /// A tangent, adjoint or cotangent that a transformation added.
    Derived,
}

impl Role {
    pub fn is_differentiable(self) -> bool {
        matches!(self, Role::Differentiable { .. })
    }
    /// Whether the derivative is taken with respect to this parameter.
    pub fn is_wrt(self) -> bool {
        matches!(self, Role::Differentiable { wrt: true, .. })
    }
    /// A differentiable `&mut` parameter: its final contents are an output.
    pub fn is_output(self) -> bool {
        matches!(self, Role::Differentiable { mut_ref: true, .. })
    }
}

/// A parameter of an IR function.
#[derive(Clone, Debug)]
pub struct Param {
    pub var: VarId,
    pub ty: syn::Type,
    pub role: Role,
}

/// A whole function in IR form.
#[derive(Clone, Debug)]
pub struct Func {
    pub vars: Vec<VarInfo>,
    pub params: Vec<Param>,
    /// The return type as written; `None` for `()`.
    pub ret: Option<syn::Type>,
    pub body: Block,
    /// The loops marked `#[checkpoint(..)]`, by their index variable.
    pub checkpoints: Vec<(VarId, Checkpoint, Span)>,
}

impl Func {
    /// Whether this is a method: its first parameter is the receiver.
    pub fn is_method(&self) -> bool {
        self.params
            .first()
            .is_some_and(|p| self.info(p.var).name == "self")
    }

    /// The path a function's own derivatives are called by from its other
    /// derivatives: `f` (renamed `f_vjp` by codegen), or `Self::f` for a
    /// method, called with the receiver as its first argument.
    pub fn own_path(&self, name: &syn::Ident) -> syn::Path {
        if self.is_method() {
            syn::parse_quote!(Self::#name)
        } else {
            name.clone().into()
        }
    }

    pub fn info(&self, v: VarId) -> &VarInfo {
        &self.vars[v.0]
    }
    pub fn new_var(&mut self, info: VarInfo) -> VarId {
        self.vars.push(info);
        VarId(self.vars.len() - 1)
    }
    /// A fresh temporary of the given type.
    pub fn temp(&mut self, ty: Ty, span: Span) -> VarId {
        self.new_var(VarInfo {
            name: String::new(),
            span,
            ty,
            mutable: false,
            origin: Origin::Temp,
            declared: None,
        })
    }
}

/// Whether an `Assign` of this operation to `target` may read the target:
/// only `+`, `-` and linear combinations that use it as a term, whose
/// derivatives read no primal value.
pub fn may_read_target(op: &Op, target: VarId) -> bool {
    match op {
        Op::Bin(BinOp::Add | BinOp::Sub, _, _) | Op::La(LaOp::Add | LaOp::Sub, _) => true,
        Op::Lin(terms) => terms.iter().all(|t| {
            let in_scale = [&t.scale.mul, &t.scale.div]
                .into_iter()
                .flatten()
                .any(|a| a.var() == Some(target));
            !in_scale
        }),
        _ => false,
    }
}

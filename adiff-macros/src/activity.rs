//! Activity analysis: which variables need a derivative.
//!
//! A variable is *varied* if its value depends, through differentiable
//! operations, on a differentiable parameter; it is *useful* if its value
//! reaches the output (the return value or a `&mut` parameter). Only
//! variables that are both are *active*, and only they get tangents or
//! adjoints. The analysis is flow-insensitive: a variable is active if any
//! assignment to it is, which is what loops need anyway.
//!
//! A reference made by `&mut place` is the same node as its place's base, so
//! writes through it count as writes to the base.

use crate::convention::Kind;
use crate::diag::Diags;
use crate::ir::{op_reads, Arg, Atom, Block, Func, Op, Pat, Stmt, VarId};
use crate::rules;
use crate::ty::Ty;

pub struct Activity {
    varied: Vec<bool>,
    useful: Vec<bool>,
    group: Vec<usize>,
}

impl Activity {
    /// Every float (or unknown) variable active: activity analysis switched
    /// off, for tests that check it only removes work.
    pub fn all_active(func: &Func) -> Activity {
        let varied: Vec<bool> = func.vars.iter().map(|v| !v.ty.is_constant()).collect();
        Activity {
            useful: varied.clone(),
            varied,
            group: (0..func.vars.len()).collect(),
        }
    }

    pub fn is_active(&self, v: VarId) -> bool {
        let g = self.group[v.0];
        self.varied[g] && self.useful[g]
    }

    /// Whether `v` depends on a differentiable input.
    pub fn is_varied(&self, v: VarId) -> bool {
        self.varied[self.group[v.0]]
    }
}

/// Edges of the value-flow graph: `(from, to)`; `to == None` is the output.
struct Graph {
    edges: Vec<(usize, Option<usize>)>,
    group: Vec<usize>,
}

impl Graph {
    fn find(&mut self, v: usize) -> usize {
        let mut r = v;
        while self.group[r] != r {
            r = self.group[r];
        }
        self.group[v] = r;
        r
    }
    fn union(&mut self, a: VarId, b: VarId) {
        let (ra, rb) = (self.find(a.0), self.find(b.0));
        if ra != rb {
            self.group[ra] = rb;
        }
    }
    fn flow(&mut self, from: VarId, to: Option<VarId>) {
        self.edges.push((from.0, to.map(|v| v.0)));
    }
}

/// The variables whose derivative flows into the result of `op`.
pub fn diff_sources(func: &Func, op: &Op) -> Vec<VarId> {
    match op {
        // Opaque calls and methods have no derivative rule; letting values
        // flow through them lets `check` report them when their result matters.
        Op::Call(..) => op_reads(op)
            .into_iter()
            .filter(|v| !func.info(*v).ty.is_constant())
            .collect(),
        Op::Method(recv, _, args) => std::iter::once(recv)
            .chain(args)
            .filter_map(Atom::var)
            .collect(),
        Op::Lin(terms) => terms.iter().filter_map(|t| t.value.var()).collect(),
        _ => rules::rule(op).diff_vars(),
    }
}

/// Bases of `&mut` arguments of a call: the callee may write them.
pub fn mut_arg_bases(func: &Func, args: &[Arg]) -> Vec<VarId> {
    let mut out = Vec::new();
    for a in args {
        match a {
            Arg::RefMut(p) => out.push(p.base),
            Arg::Value(Atom::Var(v)) if matches!(func.info(*v).ty, Ty::Ref(true, _)) => {
                out.push(*v)
            }
            _ => {}
        }
    }
    out
}

fn collect(func: &Func, block: &Block, g: &mut Graph) {
    for s in block {
        match s {
            Stmt::Let {
                pat,
                init: Some(op),
                ..
            } => {
                let dsts: Vec<VarId> = match pat {
                    Pat::Var(v) => vec![*v],
                    Pat::Tuple(vs) => vs.iter().flatten().copied().collect(),
                };
                for d in &dsts {
                    def(func, *d, op, g);
                }
            }
            Stmt::Assign { place, op, .. } | Stmt::Accum { place, op, .. } => {
                def(func, place.base, op, g);
            }
            Stmt::Match { arms, .. } => {
                for (_, b) in arms {
                    collect(func, b, g);
                }
            }
            Stmt::Block { body, .. } => collect(func, body, g),
            Stmt::TapePush { .. } => {}
            Stmt::Eval { op, .. } => {
                method_writes(func, op, g);
                if let Op::Call(_, args) = op {
                    for b in mut_arg_bases(func, args) {
                        for s in diff_sources(func, op) {
                            g.flow(s, Some(b));
                        }
                    }
                }
            }
            Stmt::Return(Some(op)) => {
                for s in diff_sources(func, op) {
                    g.flow(s, None);
                }
                // Results of a call that is returned directly.
                if let Op::Call(_, args) = op {
                    for b in mut_arg_bases(func, args) {
                        for s in diff_sources(func, op) {
                            g.flow(s, Some(b));
                        }
                    }
                }
            }
            Stmt::If { then, els, .. } => {
                collect(func, then, g);
                collect(func, els, g);
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } => collect(func, body, g),
            Stmt::Let { init: None, .. }
            | Stmt::Return(None)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::Assert { .. } => {}
        }
    }
}

fn def(func: &Func, dst: VarId, op: &Op, g: &mut Graph) {
    if let Op::Ref(p, _) = op {
        g.union(dst, p.base);
        return;
    }
    method_writes(func, op, g);
    // A method without a rule on a receiver it may write can return a
    // reference into it (`v.first_mut()`), so writes through the result are
    // writes to the receiver. Its result is reported anyway if it needs a
    // derivative.
    if let Op::Method(Atom::Var(r), ..) = op {
        if !func.info(dst).ty.is_constant() && written_by_method(func, op).contains(r) {
            g.union(dst, *r);
        }
    }
    let sources = diff_sources(func, op);
    // An integer or boolean result carries no derivative (`t.2` of a tuple
    // `(x, 0.0, 3)`), whatever it was computed from.
    if !func.info(dst).ty.is_constant() {
        for s in &sources {
            g.flow(*s, Some(dst));
        }
    }
    if let Op::Call(_, args) = op {
        for b in mut_arg_bases(func, args) {
            for s in &sources {
                g.flow(*s, Some(b));
            }
        }
    }
}

/// Methods without a rule may write their receiver (`v.push(x)`, `v.fill(0.0)`)
/// or a `&mut` argument, and such a write has no derivative. The operands
/// flow into what may be written, so `check` sees the write as involved in
/// the derivative and reports it, instead of it having no effect.
fn method_writes(func: &Func, op: &Op, g: &mut Graph) {
    let written = written_by_method(func, op);
    if written.is_empty() {
        return;
    }
    let sources: Vec<VarId> = op_reads(op)
        .into_iter()
        .filter(|v| !func.info(*v).ty.is_constant())
        .collect();
    for w in written {
        for s in &sources {
            g.flow(*s, Some(w));
        }
    }
}

/// The variables a method call, or a call without a rule, may write: a
/// receiver that can be mutated (a `mut` binding or a `&mut` reference) and
/// `&mut` arguments, unless their type is known to carry no derivative.
/// Methods known to read only (`is_nan`, `is_empty`, ...) write nothing.
fn written_by_method(func: &Func, op: &Op) -> Vec<VarId> {
    let (recv, args): (Option<&Atom>, &[Atom]) = match op {
        Op::Method(_, name, _) if READ_ONLY.contains(&name.to_string().as_str()) => {
            return Vec::new()
        }
        Op::Method(recv, _, args) => (Some(recv), args),
        Op::Call(callee, args) if callee.opaque => {
            let writable = args
                .iter()
                .filter_map(|a| match a {
                    Arg::Value(Atom::Var(v)) => Some(*v),
                    _ => None,
                })
                .filter(|v| matches!(func.info(*v).ty, Ty::Ref(true, _)))
                .filter(|v| !func.info(*v).ty.is_constant())
                .collect();
            return writable;
        }
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    if let Some(Atom::Var(r)) = recv {
        let info = func.info(*r);
        if (info.mutable || matches!(info.ty, Ty::Ref(true, _))) && !info.ty.is_constant() {
            out.push(*r);
        }
    }
    for a in args {
        if let Atom::Var(v) = a {
            let info = func.info(*v);
            if matches!(info.ty, Ty::Ref(true, _)) && !info.ty.is_constant() {
                out.push(*v);
            }
        }
    }
    out
}

/// Element accessors returning an `Option`, whose differentiable forms
/// (`*x.first().unwrap()`, ...) are lowered to indexing.
const ACCESSORS: &[&str] = &["first", "last", "first_mut", "last_mut", "get", "get_mut"];

/// Methods of `f32`/`f64`, slices and `Vec`s that only read their receiver
/// and return a value with no derivative (or a copy, reported where used).
const READ_ONLY: &[&str] = &[
    "is_nan",
    "is_finite",
    "is_infinite",
    "is_normal",
    "is_subnormal",
    "is_sign_positive",
    "is_sign_negative",
    "is_empty",
    "to_bits",
    "classify",
    "total_cmp",
    "partial_cmp",
    "clone",
    "to_vec",
    "iter",
    "contains",
];

/// The activity of `func` for a derivative of kind `kind`. Inputs are the
/// parameters the derivative is taken with respect to. Outputs are the
/// return value and, except for a gradient (which has only the scalar
/// result), the final contents of differentiable `&mut` parameters. With
/// `enabled` off every variable is active, as tests use to check that the
/// analysis changes no result.
pub fn for_derivative(func: &Func, kind: Kind, enabled: bool, diags: &mut Diags) -> Activity {
    if !enabled {
        return Activity::all_active(func);
    }
    let inputs: Vec<VarId> = func
        .params
        .iter()
        .filter(|p| p.role.is_wrt())
        .map(|p| p.var)
        .collect();
    let outputs: Vec<VarId> = func
        .params
        .iter()
        .filter(|p| kind != Kind::Grad && p.role.is_output())
        .map(|p| p.var)
        .collect();
    analyze(func, &inputs, &outputs, diags)
}

/// Runs the analysis. `inputs` are the differentiable parameters and
/// `outputs` the `&mut` differentiable parameters whose final contents are
/// results.
pub fn analyze(func: &Func, inputs: &[VarId], outputs: &[VarId], diags: &mut Diags) -> Activity {
    let n = func.vars.len();
    let mut g = Graph {
        edges: Vec::new(),
        group: (0..n).collect(),
    };
    collect(func, &func.body, &mut g);
    let edges: Vec<(usize, Option<usize>)> = g
        .edges
        .clone()
        .into_iter()
        .map(|(a, b)| (g.find(a), b.map(|b| g.find(b))))
        .collect();
    let group: Vec<usize> = (0..n).map(|v| g.find(v)).collect();
    let mut varied = vec![false; n];
    for v in inputs {
        varied[group[v.0]] = true;
    }
    let mut changed = true;
    while changed {
        changed = false;
        for (a, b) in &edges {
            if let Some(b) = b {
                if varied[*a] && !varied[*b] {
                    varied[*b] = true;
                    changed = true;
                }
            }
        }
    }
    let mut useful = vec![false; n];
    for v in outputs {
        useful[group[v.0]] = true;
    }
    for (a, b) in &edges {
        if b.is_none() {
            useful[*a] = true;
        }
    }
    changed = true;
    while changed {
        changed = false;
        for (a, b) in &edges {
            if let Some(b) = b {
                if useful[*b] && !useful[*a] {
                    useful[*a] = true;
                    changed = true;
                }
            }
        }
    }
    let act = Activity {
        varied,
        useful,
        group,
    };
    check(func, &func.body, &act, diags);
    check_bits(func, &act, diags);
    act
}

/// `f64::from_bits(x.to_bits() ...)` rebuilds a float from the bits of one
/// that carries a derivative. Integers carry none, so the result would
/// silently get derivative 0 (the identity `from_bits(to_bits(x))` would
/// have derivative 0, not 1). Integer values are not tracked through the
/// analysis, so this is reported whenever a function takes the bits of a
/// value that carries a derivative and also builds a float from bits that
/// are not a literal. Taking the bits alone (sign or NaN tests) is fine.
fn check_bits(func: &Func, act: &Activity, diags: &mut Diags) {
    let mut to_bits = None;
    let mut from_bits = Vec::new();
    crate::ir::for_each_stmt(&func.body, &mut |s| match s.op() {
        Some(Op::Method(Atom::Var(r), name, _)) if name == "to_bits" && act.is_varied(*r) => {
            let info = func.info(*r);
            to_bits.get_or_insert_with(|| match info.origin {
                crate::ir::Origin::User => format!("`{}.to_bits()`", info.name),
                _ => "`.to_bits()` of a value".to_owned(),
            });
        }
        Some(Op::Call(callee, args))
            if callee.opaque
                && callee.path.segments.last().is_some_and(|l| l.ident == "from_bits")
                && args.iter().any(|a| matches!(a, Arg::Value(Atom::Var(_))))
                // An argument that carries a derivative is reported already.
                && !args
                    .iter()
                    .any(|a| matches!(a, Arg::Value(Atom::Var(v)) if act.is_active(*v))) =>
        {
            from_bits.push(callee.path.clone());
        }
        _ => {}
    });
    let Some(name) = to_bits else { return };
    for path in from_bits {
        diags.error_at(
            &path,
            format!("a float built from bits cannot be differentiated, and these bits may come from {name}, which carries a derivative: the result would get derivative 0; compute the value with float operations instead"),
        );
    }
}

/// Reports operations that cannot be differentiated but take part in the
/// derivative: a result that needs a derivative (`x.is_nan()` in a
/// condition is fine: its result is not active), and a write by a method
/// without a rule into a value that carries one.
fn check(func: &Func, block: &Block, act: &Activity, diags: &mut Diags) {
    for s in block {
        let (op, result_active) = match s {
            Stmt::Let {
                pat,
                init: Some(op),
                ..
            } => {
                let active = match pat {
                    Pat::Var(d) => act.is_active(*d),
                    Pat::Tuple(vs) => vs.iter().flatten().any(|v| act.is_active(*v)),
                };
                (Some(op), active)
            }
            Stmt::Assign { place, op, .. } | Stmt::Accum { place, op, .. } => {
                (Some(op), act.is_active(place.base))
            }
            Stmt::Eval { op, .. } => (Some(op), false),
            Stmt::Return(Some(op)) => (
                Some(op),
                diff_sources(func, op).iter().any(|v| act.is_varied(*v)),
            ),
            Stmt::If { then, els, .. } => {
                check(func, then, act, diags);
                check(func, els, act, diags);
                (None, false)
            }
            Stmt::For { body, .. } | Stmt::Loop { body, .. } | Stmt::Block { body, .. } => {
                check(func, body, act, diags);
                (None, false)
            }
            Stmt::Match { arms, .. } => {
                for (_, b) in arms {
                    check(func, b, act, diags);
                }
                (None, false)
            }
            _ => (None, false),
        };
        let Some(op) = op else { continue };
        if result_active {
            check_op(op, diags);
        } else if let Some(w) = written_by_method(func, op)
            .into_iter()
            .find(|w| act.is_active(*w))
        {
            check_write(func, op, w, diags);
        }
    }
}

/// A method (or a call without a rule) that may write `w`, which carries a
/// derivative: its effect on the derivative is unknown.
fn check_write(func: &Func, op: &Op, w: VarId, diags: &mut Diags) {
    let name = &func.info(w).name;
    match op {
        Op::Method(_, method, _) => diags.error(
            method.span(),
            format!(
                "method `{method}` may change `{name}`, which carries a derivative, and it has no derivative rule; write the update with indexing instead (for example `let mut v = vec![0.0; n];` and `v[i] = ...`), see \"Supported Rust\" in adiff's crate docs"
            ),
        ),
        Op::Call(callee, _) => {
            let path = quote::ToTokens::to_token_stream(&callee.path)
                .to_string()
                .replace(' ', "");
            diags.error_at(
                &callee.path,
                format!("`{path}` may change `{name}`, which carries a derivative, and it has no derivative rule; write the update as arithmetic on `{name}`"),
            );
        }
        _ => {}
    }
}

fn check_op(op: &Op, diags: &mut Diags) {
    match op {
        // `first()`, `last()` and the like take no argument, `get(i)` one;
        // a `get()` without one is some other type's (`Cell::get`).
        Op::Method(_, name, args)
            if ACCESSORS.contains(&name.to_string().as_str())
                && (name != "get" || args.len() == 1) =>
        {
            let instead = if args.is_empty() {
                format!("write `*x.{name}().unwrap()` or `x.{name}().copied().unwrap()`, or index: `x[0]`, `x[x.len() - 1]`")
            } else {
                "index instead: `x[i]`".to_owned()
            };
            diags.error(
                name.span(),
                format!("method `{name}` returns an `Option` of a reference, which cannot be differentiated here; {instead}"),
            );
        }
        Op::Method(_, name, _) => diags.error(
            name.span(),
            format!(
                "method `{name}` cannot be differentiated: it is not an elementary function of `f32`/`f64` such as `sin`, `exp` or `powi` (\"Supported Rust\" in adiff's crate docs, lists them all); compute the value from supported operations, or move it into a function whose `_jvp`/`_vjp` you write by hand"
            ),
        ),
        // `T::zero()`, `T::epsilon()`: no argument, so nothing to
        // differentiate with respect to; the value is a constant.
        Op::Call(callee, args) if callee.opaque && !args.is_empty() => {
            let name = quote::ToTokens::to_token_stream(&callee.path)
                .to_string()
                .replace(' ', "");
            diags.error_at(
                &callee.path,
                format!(
                    "`{name}` has no derivative rule; the elementary functions with rules (`sin`, `exp`, `powi`, ...) are listed under \"Supported Rust\" in adiff's crate docs; compute the value from them, or move it into a function whose `_jvp`/`_vjp` you write by hand"
                ),
            );
        }
        _ => {}
    }
}

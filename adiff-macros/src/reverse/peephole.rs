//! Clean-up of the generated reverse sweep.
//!
//! An adjoint starts at zero and receives `+=`. When nothing touches a fresh
//! scalar zero before its first `+=`, the two become one `let` with that
//! value: it reads better, and without fast-math LLVM may not fold `0.0 + x`
//! into `x` (they differ for `x = -0.0`), so it also saves an addition. The
//! signed zero of a derivative carries no meaning.

use std::collections::{HashMap, HashSet};

use crate::ir::{op_reads, Atom, Block, Const, Func, Op, Origin, Pat, Place, Stmt, VarId};

/// How far a kept adjoint's `+=` is looked for (see [`kept_adjoints`]):
/// keeps the pass linear.
const WINDOW: usize = 32;

/// The adjoint of a self-update `c = e + c` reads `c`'s adjoint, zeroes it
/// and adds it back: `let t = c_bar; c_bar = 0.0; ...; c_bar += t;`. When
/// nothing in between mentions `c_bar` (or writes `t`), the zeroing and
/// the `+=` cancel, up to the sign of a zero, and both go; `t` still
/// carries the value to `e`'s other operands.
pub fn kept_adjoints(func: &mut Func) {
    let mut body = std::mem::take(&mut func.body);
    kept(&mut body, func);
    func.body = body;
}

fn kept(b: &mut Block, func: &Func) {
    for s in b.iter_mut() {
        for inner in s.blocks_mut() {
            kept(inner, func);
        }
    }
    let mut drop = vec![false; b.len()];
    for i in 0..b.len().saturating_sub(2) {
        let Stmt::Let {
            pat: Pat::Var(t),
            init: Some(copy),
            ..
        } = &b[i]
        else {
            continue;
        };
        let (t, Some(v)) = (*t, copy.copy_of()) else {
            continue;
        };
        let zeroes = matches!(&b[i + 1], Stmt::Assign { place, op, .. }
            if is_var(place, v) && op.is_float_zero());
        if !zeroes || !matches!(func.info(v).origin, Origin::Adjoint(_)) {
            continue;
        }
        // `t` and its copies (`let t82_bar = t97;`).
        let mut copies = vec![t];
        for k in (i + 2..b.len()).take(WINDOW) {
            let source = b[k].op().and_then(Op::copy_of);
            let of_t = source.is_some_and(|s| copies.contains(&s));
            match &b[k] {
                Stmt::Accum { place, .. } if is_var(place, v) && of_t => {
                    drop[i + 1] = true;
                    drop[k] = true;
                    break;
                }
                Stmt::Let {
                    pat: Pat::Var(u), ..
                } if of_t => copies.push(*u),
                _ => {}
            }
            let s = std::slice::from_ref(&b[k]);
            let written = crate::ir::written(s);
            if written.contains(&v)
                || copies.iter().any(|c| written.contains(c))
                || crate::usage::read(s).contains(&v)
            {
                break;
            }
        }
    }
    let mut i = 0;
    b.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

fn is_var(p: &Place, v: VarId) -> bool {
    p.base == v && p.proj.is_empty()
}

pub fn first_accumulations_assign(func: &mut Func) {
    let mut body = std::mem::take(&mut func.body);
    block(&mut body, func);
    func.body = body;
}

fn block(b: &mut Block, func: &Func) {
    // Fresh zero adjoints, with the index of their `let`.
    let mut fresh: HashMap<VarId, usize> = HashMap::new();
    let mut folded = Vec::new();
    for (i, s) in b.iter_mut().enumerate() {
        match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(Op::Use(Atom::Const(Const::Float(z)))),
                ..
            } if *z == 0.0 && matches!(func.info(*v).origin, Origin::Adjoint(_)) => {
                fresh.insert(*v, i);
            }
            Stmt::Accum { place, op, span }
                if place.proj.is_empty()
                    && fresh.contains_key(&place.base)
                    && !op_reads(op).contains(&place.base) =>
            {
                let v = place.base;
                // What this reads is no longer untouched.
                for r in op_reads(op) {
                    fresh.remove(&r);
                }
                // Nothing between the zero `let` and here mentions `v`:
                // declare it with its first value instead.
                if let Some(at) = fresh.remove(&v) {
                    folded.push(at);
                }
                *s = Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op.clone()),
                    span: *span,
                };
            }
            other => {
                // Any other mention ends freshness; nested blocks get their own pass.
                for v in mentions(other) {
                    fresh.remove(&v);
                }
                for inner in other.blocks_mut() {
                    block(inner, func);
                }
            }
        }
    }
    // One pass, not a `remove` per fold: a long sweep folds thousands.
    let mut drop = vec![false; b.len()];
    for at in folded {
        drop[at] = true;
    }
    let mut i = 0;
    b.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// Variables a statement reads or writes, nested blocks included.
fn mentions(s: &Stmt) -> Vec<VarId> {
    let mut out = Vec::new();
    crate::ir::for_each_stmt(std::slice::from_ref(s), &mut |s| {
        match s {
            Stmt::Assign { place, .. } | Stmt::Accum { place, .. } => out.push(place.base),
            Stmt::TapePush { value, .. } => out.extend(value.var()),
            _ => {}
        }
        if let Some(op) = s.op() {
            out.extend(op_reads(op));
        }
    });
    out
}

/// Restores the reverse sweep does not need. Reversing `c = e` restores
/// `c`'s old value from its save (`c = t83;`), but when the statement
/// before it in the reverse sweep overwrites `c` again before anything
/// reads it (the next restore of `c`), the restore is dead, and so is then
/// the forward sweep's save `t83 = c;`. Both go: they cost nothing at run
/// time, but they are a fifth of a long straight-line derivative's text and
/// rustc's `unused_assignments` warns about the restores.
pub fn dead_restores(func: &mut Func) {
    let mut body = std::mem::take(&mut func.body);
    restores(&mut body, func);
    let counts = crate::usage::read_counts(&body);
    let assigned = crate::ir::written(&body);
    saves(&mut body, func, &counts, &assigned);
    func.body = body;
}

/// Whether `v` is a generated variable a restore or save copies through.
fn saved_copy(func: &Func, v: VarId) -> bool {
    matches!(func.info(v).origin, Origin::Temp | Origin::Copy(_))
}

fn restores(b: &mut Block, func: &Func) {
    for s in b.iter_mut() {
        for inner in s.blocks_mut() {
            restores(inner, func);
        }
    }
    // Walking backwards: variables every path from here to the end of the
    // block overwrites whole before reading.
    let mut killed: HashSet<VarId> = HashSet::new();
    let mut drop = vec![false; b.len()];
    for k in (0..b.len()).rev() {
        let s = &b[k];
        let straight = matches!(
            s,
            Stmt::Let { .. }
                | Stmt::Assign { .. }
                | Stmt::Accum { .. }
                | Stmt::Eval { .. }
                | Stmt::TapePush { .. }
        );
        if !straight {
            killed.clear();
            continue;
        }
        if let Stmt::Assign { place, op, .. } = s {
            if place.proj.is_empty() {
                let v = place.base;
                if killed.contains(&v) && op.copy_of().is_some_and(|t| saved_copy(func, t)) {
                    drop[k] = true;
                    continue;
                }
                killed.insert(v);
            }
        }
        if let Stmt::Accum { place, .. } | Stmt::Assign { place, .. } = s {
            if !place.proj.is_empty() || matches!(s, Stmt::Accum { .. }) {
                killed.remove(&place.base);
            }
        }
        crate::usage::stmt_reads(s, &mut |r| {
            killed.remove(&r);
        });
    }
    let mut i = 0;
    b.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// Removes saves (`t83 = c;`, `let t83 = c;`) into generated variables
/// nothing reads any more. A `let` stays if something assigns the variable
/// later (a replayed copy of a loop assigns its own copies), or that
/// assignment would be to an undeclared variable.
fn saves(
    b: &mut Block,
    func: &Func,
    counts: &HashMap<VarId, usize>,
    assigned: &std::collections::HashSet<VarId>,
) {
    b.retain_mut(|s| {
        for inner in s.blocks_mut() {
            saves(inner, func, counts, assigned);
        }
        let target = match s {
            Stmt::Let {
                pat: Pat::Var(v),
                init: Some(op),
                ..
            } if !assigned.contains(v) => Some((*v, op)),
            Stmt::Assign { place, op, .. } if place.proj.is_empty() => Some((place.base, op)),
            _ => None,
        };
        !target.is_some_and(|(v, op)| {
            saved_copy(func, v) && !counts.contains_key(&v) && op.copy_of().is_some()
        })
    });
}

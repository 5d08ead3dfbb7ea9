//! The IR verifier: checks the invariants documented in [`crate::ir`].
//!
//! It runs after every pass. A failure is a bug in this crate, reported as
//! an internal error instead of producing wrong code.

use std::collections::HashSet;

use crate::diag::Stop;
use crate::ir::{op_reads, Block, Func, Op, Pat, Stmt, VarId};

/// Verifies the output of `pass`, for the pipeline: a broken invariant
/// stops it with [`Stop::Broken`].
pub fn after(pass: &'static str, func: &Func) -> Result<(), Stop> {
    verify(func).map_err(|msg| Stop::Broken {
        pass,
        msg,
        ir: crate::ir::print(func),
    })
}

/// Returns a description of the first broken invariant, if any.
pub fn verify(func: &Func) -> Result<(), String> {
    let mut v = Verifier {
        func,
        declared: HashSet::new(),
        scopes: vec![Vec::new()],
        in_scope: HashSet::new(),
        loops: Vec::new(),
    };
    for p in &func.params {
        v.declare(p.var)?;
    }
    v.block(&func.body)
}

struct Verifier<'f> {
    func: &'f Func,
    declared: HashSet<VarId>,
    /// Variables declared in each open scope.
    scopes: Vec<Vec<VarId>>,
    /// Every variable of the open scopes, so that each use is checked in
    /// constant time (a long function has thousands of variables in scope).
    in_scope: HashSet<VarId>,
    /// Enclosing loops and labelled blocks: (label, is a loop).
    loops: Vec<(Option<String>, bool)>,
}

impl Verifier<'_> {
    fn declare(&mut self, v: VarId) -> Result<(), String> {
        if v.0 >= self.func.vars.len() {
            return Err(format!("variable {} is not in the variable table", v.0));
        }
        if !self.declared.insert(v) {
            return Err(format!(
                "variable `{}` ({}) is declared twice",
                self.func.info(v).name,
                v.0
            ));
        }
        if let Some(s) = self.scopes.last_mut() {
            s.push(v);
            self.in_scope.insert(v);
        }
        Ok(())
    }

    fn visible(&self, v: VarId) -> bool {
        self.in_scope.contains(&v)
    }

    fn pop_scope(&mut self) {
        for v in self.scopes.pop().unwrap_or_default() {
            self.in_scope.remove(&v);
        }
    }

    fn uses(&self, op: &Op) -> Result<(), String> {
        for v in op_reads(op) {
            if !self.visible(v) {
                return Err(format!(
                    "variable `{}` ({}) is used where it is not declared",
                    self.func.info(v).name,
                    v.0
                ));
            }
        }
        Ok(())
    }

    fn scoped(&mut self, b: &Block) -> Result<(), String> {
        self.scopes.push(Vec::new());
        let r = self.block(b);
        self.pop_scope();
        r
    }

    fn block(&mut self, b: &Block) -> Result<(), String> {
        for s in b {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn label_ok(&self, l: Option<&syn::Lifetime>, is_continue: bool) -> bool {
        match l {
            None => self.loops.iter().any(|(_, is_loop)| *is_loop),
            Some(l) => self.loops.iter().any(|(x, is_loop)| {
                x.as_deref() == Some(&l.ident.to_string()) && (*is_loop || !is_continue)
            }),
        }
    }

    fn in_loop(&mut self, label: Option<String>, is_loop: bool, b: &Block) -> Result<(), String> {
        self.loops.push((label, is_loop));
        let r = self.scoped(b);
        self.loops.pop();
        r
    }

    fn stmt(&mut self, s: &Stmt) -> Result<(), String> {
        match s {
            Stmt::Let { pat, init, .. } => {
                if let Some(op) = init {
                    self.uses(op)?;
                }
                match pat {
                    Pat::Var(v) => self.declare(*v)?,
                    Pat::Tuple(vs) => {
                        for v in vs.iter().flatten() {
                            self.declare(*v)?;
                        }
                    }
                }
            }
            Stmt::Assign { place, op, .. } => {
                self.uses(op)?;
                if !self.visible(place.base) {
                    return Err(format!(
                        "assignment to undeclared variable {}",
                        place.base.0
                    ));
                }
                if op_reads(op).contains(&place.base) && !crate::ir::may_read_target(op, place.base)
                {
                    return Err(format!(
                        "assignment to `{}` reads its own target",
                        self.func.info(place.base).name
                    ));
                }
            }
            Stmt::Eval { op, .. } => self.uses(op)?,
            Stmt::Return(Some(op)) => self.uses(op)?,
            Stmt::If { cond, then, els } => {
                if let Some(v) = cond.var() {
                    if !self.visible(v) {
                        return Err("branch condition is not declared".into());
                    }
                }
                self.scoped(then)?;
                self.scoped(els)?;
            }
            Stmt::For {
                var,
                body,
                label,
                range,
            } => {
                for a in [&range.start, &range.end] {
                    if let Some(v) = a.var() {
                        if !self.visible(v) {
                            return Err("loop bound is not declared".into());
                        }
                    }
                }
                for a in &range.adapters {
                    if let Some(a) = a.arg() {
                        if a.var().is_some_and(|v| !self.visible(v)) {
                            return Err("loop adapter argument is not declared".into());
                        }
                    }
                }
                self.scopes.push(Vec::new());
                self.declare(*var)?;
                self.loops
                    .push((label.as_ref().map(|l| l.ident.to_string()), true));
                let r = self.block(body);
                self.loops.pop();
                self.pop_scope();
                r?;
            }
            Stmt::Loop { body, label } => {
                self.in_loop(label.as_ref().map(|l| l.ident.to_string()), true, body)?;
            }
            Stmt::Block { body, label } => {
                self.in_loop(Some(label.ident.to_string()), false, body)?;
            }
            Stmt::Break(l) => {
                if !self.label_ok(l.as_ref(), false) {
                    return Err("`break` outside a matching loop or block".into());
                }
            }
            Stmt::Continue(l) => {
                if !self.label_ok(l.as_ref(), true) {
                    return Err("`continue` outside a matching loop".into());
                }
            }
            Stmt::Accum { place, op, .. } => {
                self.uses(op)?;
                if !self.visible(place.base) {
                    return Err(format!(
                        "accumulation into undeclared variable {}",
                        place.base.0
                    ));
                }
            }
            Stmt::TapePush { tape, value } => {
                let reads = value.var().into_iter().chain(std::iter::once(*tape));
                for v in reads {
                    if !self.visible(v) {
                        return Err(format!("tape push reads undeclared variable {}", v.0));
                    }
                }
            }
            Stmt::Match { scrut, arms } => {
                if scrut.var().is_some_and(|v| !self.visible(v)) {
                    return Err("match scrutinee is not declared".into());
                }
                for (_, b) in arms {
                    self.scoped(b)?;
                }
            }
            Stmt::Return(None) | Stmt::Assert { .. } => {}
        }
        Ok(())
    }
}

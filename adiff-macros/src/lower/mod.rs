//! Lowering: from a parsed function body to IR in A-normal form.
//!
//! Each `lower_*` function appends IR statements to a block and returns the
//! atom that holds the expression's value. Unsupported syntax is reported to
//! [`Diags`] with a span on the offending tokens, and lowering continues with
//! a placeholder so that later problems are reported too.

mod adapters;
mod array_map;
mod buffer_views;
mod buffers;
mod calls;
mod chains;
mod checkpoint;
mod closures;
mod consumers;
mod control;
mod expr;
mod fields;
mod linalg;
mod loops;
mod patterns;

pub(crate) use checkpoint::strip as strip_checkpoints;

use std::collections::HashMap;

use proc_macro2::Span;

use crate::diag::Diags;
use crate::ir::{
    Atom, Block, Const, Func, Op, Origin, Param, Pat, Place, Role, Stmt, VarId, VarInfo,
};
use crate::sig::Signature;
use crate::ty::Ty;

/// What a name in scope refers to.
#[derive(Clone, Debug)]
enum Binding {
    /// An ordinary variable.
    Var(VarId),
    /// A variable holding the value behind a `&T` the user wrote, such as the
    /// item of `for x in v.iter()`: both `x` and `*x` read it.
    ByRef(VarId),
    /// A `&mut T` into a place, such as the item of `iter_mut()`: reading
    /// reads the place and `*x = ...` writes it.
    Alias(Place),
    /// A sub-slice bound by `let (a, b) = x.split_at(k);` (`mut` for
    /// `split_at_mut`): a place, passed to calls by reference.
    SubSlice(Place, bool),
    /// A closure bound by `let`, inlined at each call (`closures.rs`).
    Closure(std::rc::Rc<closures::LocalClosure>),
}

/// The value of a lowered expression.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    Atom(Atom),
    /// The expression diverges (`return`, `break`, `continue`).
    Never,
}

struct LoopCtx {
    label: Option<String>,
    /// The variable that `break value` assigns.
    result: Option<VarId>,
    /// Whether this is a `for` loop, where `break value` is not allowed.
    is_for: bool,
}

pub(crate) struct Lowerer<'d> {
    pub func: Func,
    scopes: Vec<HashMap<String, Binding>>,
    loops: Vec<LoopCtx>,
    diags: &'d mut Diags,
    /// The function's own name and return type: a recursive call's result
    /// has that type.
    self_name: String,
    self_ret: Ty,
    /// How many blocks deep the lowering is: the function's tail is the
    /// last statement at depth 1.
    depth: usize,
}

/// Lowers a whole function body.
pub fn lower(sig: &Signature, body: &syn::Block, diags: &mut Diags) -> Func {
    let mut l = Lowerer {
        func: Func {
            vars: Vec::new(),
            params: Vec::new(),
            ret: sig.ret.clone(),
            body: Vec::new(),
            checkpoints: Vec::new(),
        },
        scopes: vec![HashMap::new()],
        loops: Vec::new(),
        diags,
        self_name: sig.ident.to_string(),
        self_ret: sig.ret.as_ref().map_or(Ty::Unit, Ty::from_syn),
        depth: 0,
    };
    for p in &sig.params {
        let var = l.func.new_var(VarInfo {
            name: p.ident.to_string(),
            span: p.ident.span(),
            ty: p.kind.clone(),
            mutable: p.mutable,
            origin: Origin::User,
            declared: Some(p.ty.clone()),
        });
        l.bind(&p.ident.to_string(), Binding::Var(var));
        let role = if p.differentiable {
            Role::Differentiable {
                mut_ref: matches!(p.kind, Ty::Ref(true, _)),
                wrt: true,
            }
        } else {
            Role::Constant
        };
        l.func.params.push(Param {
            var,
            ty: p.ty.clone(),
            role,
        });
    }
    let mut out = Vec::new();
    let val = l.lower_block_scoped(body, &mut out);
    if let Val::Atom(a) = val {
        // A function returning `()` may end in a call to another one
        // (`g(x, out)`): that value is no output, and returning it would
        // give it a tangent and a cotangent.
        if l.self_ret == Ty::Unit {
            discard_tail(&mut out, &a);
        } else if !matches!(a, Atom::Const(Const::Unit)) {
            out.push(Stmt::Return(Some(Op::Use(a))));
        }
    }
    l.reject_field_writes(&out);
    l.func.body = out;
    l.func
}

/// The tail value `a` of a function returning `()`, if it is the value
/// of the last statement, `let a = g(x, out);`: that becomes `g(x, out);`,
/// a call for its effect, as in the user's code, so no derivative
/// passes a tangent or cotangent for its `()`.
pub(super) fn discard_tail(out: &mut Block, a: &Atom) {
    let Some(last) = out.last_mut() else {
        return;
    };
    if let Stmt::Let {
        pat: Pat::Var(v),
        init: Some(op),
        span,
    } = last
    {
        if matches!(a, Atom::Var(w) if w == v) {
            *last = Stmt::Eval {
                op: op.clone(),
                span: *span,
            };
        }
    }
}

impl Lowerer<'_> {
    fn bind(&mut self, name: &str, b: Binding) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_owned(), b);
        }
    }

    fn lookup(&self, name: &str) -> Option<Binding> {
        self.scopes.iter().rev().find_map(|s| s.get(name).cloned())
    }

    fn new_user_var(&mut self, ident: &syn::Ident, ty: Ty, mutable: bool) -> VarId {
        self.func.new_var(VarInfo {
            name: ident.to_string(),
            span: ident.span(),
            ty,
            mutable,
            origin: Origin::User,
            declared: None,
        })
    }

    /// A placeholder value after an error, so lowering can go on.
    fn poison() -> Val {
        Val::Atom(Atom::Const(Const::Unit))
    }

    fn error<T: quote::ToTokens>(&mut self, node: &T, msg: impl std::fmt::Display) -> Val {
        self.diags.error_at(node, msg);
        Self::poison()
    }

    /// The type of an atom.
    fn atom_ty(&self, a: &Atom) -> Ty {
        crate::typing::atom_ty(&self.func, a)
    }

    fn place_ty(&self, p: &Place) -> Ty {
        crate::typing::place_ty(&self.func, p)
    }

    /// Appends `let tmp = op;` and returns `tmp`.
    fn emit(&mut self, op: Op, span: Span, out: &mut Block) -> Atom {
        Atom::Var(self.emit_var(op, span, out))
    }

    fn emit_var(&mut self, op: Op, span: Span, out: &mut Block) -> VarId {
        let ty = crate::typing::op_ty(&self.func, &op);
        let v = self.func.temp(ty, span);
        out.push(Stmt::Let {
            pat: Pat::Var(v),
            init: Some(op),
            span,
        });
        v
    }

    /// Turns `atom` into an operation for a new binding or an assignment to
    /// `target`. When the atom is the temporary made by the statement just
    /// emitted, that statement is taken back and its operation reused, so
    /// `let y = x.sin();` stays one statement instead of two.
    fn take_op(&mut self, atom: Atom, target: Option<VarId>, out: &mut Block) -> Op {
        if let Atom::Var(t) = atom {
            if self.func.info(t).origin == Origin::Temp {
                if let Some(Stmt::Let {
                    pat: Pat::Var(v),
                    init: Some(op),
                    ..
                }) = out.last()
                {
                    let reads_target =
                        target.is_some_and(|tv| crate::ir::op_reads(op).contains(&tv));
                    if *v == t && !reads_target {
                        let op = op.clone();
                        out.pop();
                        return op;
                    }
                }
            }
        }
        Op::Use(atom)
    }

    fn lower_block_scoped(&mut self, b: &syn::Block, out: &mut Block) -> Val {
        self.scopes.push(HashMap::new());
        self.depth += 1;
        let mut val = Val::Atom(Atom::Const(Const::Unit));
        let n = b.stmts.len();
        for (i, s) in b.stmts.iter().enumerate() {
            let v = self.lower_stmt(s, i + 1 == n, out);
            if matches!(v, Val::Never) {
                val = Val::Never;
            } else if i + 1 == n {
                val = v;
            }
        }
        self.depth -= 1;
        self.scopes.pop();
        val
    }

    /// Lowers a statement; returns the block's value if it is the tail.
    fn lower_stmt(&mut self, s: &syn::Stmt, is_last: bool, out: &mut Block) -> Val {
        match s {
            syn::Stmt::Local(local) => {
                self.lower_local(local, out);
                Val::Atom(Atom::Const(Const::Unit))
            }
            syn::Stmt::Expr(e, semi) => {
                if semi.is_some() && self.pop_statement(e, out) {
                    return Val::Atom(Atom::Const(Const::Unit));
                }
                // The function's value has the return type: `x.into()`
                // converts to it.
                let v = if is_last && semi.is_none() && self.depth == 1 {
                    self.lower_expect(e, self.ret_prec(), out)
                } else {
                    self.lower_expr(e, out)
                };
                match v {
                    Val::Never => Val::Never,
                    Val::Atom(a) if is_last && semi.is_none() => Val::Atom(a),
                    Val::Atom(a) => {
                        self.discard(&a, out);
                        Val::Atom(Atom::Const(Const::Unit))
                    }
                }
            }
            syn::Stmt::Macro(m) => {
                self.lower_macro(&m.mac, out);
                Val::Atom(Atom::Const(Const::Unit))
            }
            syn::Stmt::Item(item) => self.error(
                item,
                "items inside a differentiated function are not supported; \
                 move the item outside the function",
            ),
        }
    }

    fn lower_local(&mut self, local: &syn::Local, out: &mut Block) {
        if let Some(init) = &local.init {
            if let Some((_, diverge)) = &init.diverge {
                self.error(
                    diverge,
                    "`let ... else` is not supported; use `match` or `if`",
                );
                return;
            }
        }
        let (pat, declared) = match &local.pat {
            syn::Pat::Type(pt) => (&*pt.pat, Some((*pt.ty).clone())),
            p => (p, None),
        };
        let init = local.init.as_ref().map(|i| &*i.expr);
        self.bind_pattern(pat, declared, init, out);
    }

    /// A value computed only for its effect: `g(&mut a);` becomes an `Eval`
    /// statement rather than an unused temporary.
    fn discard(&mut self, a: &Atom, out: &mut Block) {
        let Atom::Var(t) = a else { return };
        if self.func.info(*t).origin != Origin::Temp {
            return;
        }
        if let Some(Stmt::Let {
            pat: Pat::Var(v),
            init: Some(op),
            span,
        }) = out.last()
        {
            if v == t {
                let (op, span) = (op.clone(), *span);
                out.pop();
                if matches!(op, Op::Call(..) | Op::Method(..)) {
                    out.push(Stmt::Eval { op, span });
                }
            }
        }
    }

    /// Whether `t` is the result variable of an `if`, `match` or `loop`
    /// expression (declared without a value in this block), which a `let`
    /// can take over instead of copying.
    fn is_join_temp(&self, t: VarId, out: &Block) -> bool {
        self.func.info(t).origin == Origin::Temp
            && out
                .iter()
                .any(|s| matches!(s, Stmt::Let { pat: Pat::Var(v), init: None, .. } if *v == t))
    }

    /// Makes sure a value lives in a variable.
    fn materialize(&mut self, a: Atom, span: Span, out: &mut Block) -> VarId {
        match a {
            Atom::Var(v) => v,
            c @ Atom::Const(_) => self.emit_var(Op::Use(c), span, out),
        }
    }
}

pub(crate) fn strip_parens(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip_parens(&p.expr),
        syn::Expr::Group(g) => strip_parens(&g.expr),
        e => e,
    }
}

pub(crate) fn span_of<T: quote::ToTokens>(t: &T) -> Span {
    syn::spanned::Spanned::span(t)
}

fn span_of_pat(p: &syn::Pat) -> Span {
    span_of(p)
}

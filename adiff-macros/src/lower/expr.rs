//! Lowering of expressions that are not control flow or calls.

use crate::ir::{Atom, BinOp, Block, Bounds, Const, Op, Origin, Place, Proj, Stmt, UnOp};
use crate::ty::Ty;

use super::{span_of, strip_parens, Binding, Lowerer, Val};

impl Lowerer<'_> {
    pub(super) fn lower_expr(&mut self, e: &syn::Expr, out: &mut Block) -> Val {
        let span = span_of(e);
        match e {
            syn::Expr::Lit(l) => self.lower_lit(&l.lit),
            syn::Expr::Path(p) => self.lower_path(p, out),
            syn::Expr::Paren(p) => self.lower_expr(&p.expr, out),
            syn::Expr::Group(g) => self.lower_expr(&g.expr, out),
            syn::Expr::Binary(b) => self.lower_binary(b, out),
            syn::Expr::Unary(u) => match u.op {
                syn::UnOp::Deref(_) => match self.lower_place(e, out) {
                    Some(p) => self.load(p, span, out),
                    None => Self::poison(),
                },
                syn::UnOp::Neg(_) => {
                    let Val::Atom(a) = self.lower_expr(&u.expr, out) else {
                        return Val::Never;
                    };
                    if self.ty_of(&a).is_linalg() {
                        return Val::Atom(self.emit(Op::La(crate::ir::LaOp::Neg, vec![a]), span, out));
                    }
                    Val::Atom(self.emit(Op::Unary(UnOp::Neg, a), span, out))
                }
                syn::UnOp::Not(_) => {
                    let Val::Atom(a) = self.lower_expr(&u.expr, out) else {
                        return Val::Never;
                    };
                    Val::Atom(self.emit(Op::Unary(UnOp::Not, a), span, out))
                }
                _ => self.error(e, "this unary operator is not supported; supported are `-`, `!` and `*`"),
            },
            syn::Expr::Assign(a) => {
                self.lower_assign(&a.left, &a.right, out);
                Val::Atom(Atom::Const(Const::Unit))
            }
            syn::Expr::Index(_) | syn::Expr::Field(_) => match self.lower_place(e, out) {
                Some(p) if matches!(p.proj.last(), Some(Proj::Slice(_))) => self.error(e, "a sub-slice (`x[a..b]`) is supported behind a reference (`&x[a..b]`, `&mut x[a..b]`), indexed, with `.len()`, `.iter()` or `.iter_mut()`, and in `for` loops; other methods on it are not supported (write the loop over its elements instead)"),
                Some(p) => self.load(p, span, out),
                None => Self::poison(),
            },
            syn::Expr::Tuple(t) => {
                if t.elems.is_empty() {
                    return Val::Atom(Atom::Const(Const::Unit));
                }
                let Some(atoms) = self.lower_all(t.elems.iter(), out) else {
                    return Val::Never;
                };
                Val::Atom(self.emit(Op::Tuple(atoms), span, out))
            }
            syn::Expr::Array(a) => {
                let Some(atoms) = self.lower_all(a.elems.iter(), out) else {
                    return Val::Never;
                };
                Val::Atom(self.emit(Op::Array(atoms), span, out))
            }
            syn::Expr::Repeat(r) => {
                let Val::Atom(a) = self.lower_expr(&r.expr, out) else {
                    return Val::Never;
                };
                Val::Atom(self.emit(Op::Repeat(a, (*r.len).clone()), span, out))
            }
            syn::Expr::Cast(c) if matches!(&*c.ty, syn::Type::Ptr(_)) => self.error(
                e,
                "raw pointers are not supported in a differentiated function; use references or indices",
            ),
            syn::Expr::Cast(c) => {
                let Val::Atom(a) = self.lower_expr(&c.expr, out) else {
                    return Val::Never;
                };
                Val::Atom(self.emit(Op::Cast(a, (*c.ty).clone()), span, out))
            }
            syn::Expr::Block(b) => {
                if let Some(label) = &b.label {
                    return self.error(label, "labelled blocks are not supported; use a labelled `loop` instead");
                }
                self.lower_block_scoped(&b.block, out)
            }
            syn::Expr::Reference(r) => {
                let Some(place) = self.lower_place(&r.expr, out) else {
                    return Self::poison();
                };
                Val::Atom(self.emit(Op::Ref(place, r.mutability.is_some()), span, out))
            }
            syn::Expr::If(i) => self.lower_if(i, out),
            syn::Expr::Match(m) => self.lower_match(m, out),
            syn::Expr::ForLoop(f) => self.lower_for(f, out),
            syn::Expr::While(w) => self.lower_while(w, out),
            syn::Expr::Loop(l) => self.lower_loop(l, out),
            syn::Expr::Break(b) => self.lower_break(b, out),
            syn::Expr::Continue(c) => self.lower_continue(c, out),
            syn::Expr::Return(r) => self.lower_return(r, out),
            syn::Expr::Call(c) => self.lower_call(c, out),
            syn::Expr::MethodCall(m) => self.lower_method(m, out),
            syn::Expr::Macro(m) => self.lower_macro(&m.mac, out),
            syn::Expr::Closure(_) => self.error(e, "a closure is supported only bound by `let` and called (`let w = |x: f64| ...; w(a)`), or given to an iterator adapter or consumer (`map`, `filter`, `fold`, `for_each`, `reduce`); otherwise write a separate `fn` and annotate it"),
            syn::Expr::Unsafe(_) => self.error(e, "`unsafe` blocks are not supported in a differentiated function; move the unsafe code into a function of its own and write its `_jvp`/`_vjp` by hand (see \"The calling convention\" in adiff's crate docs)"),
            syn::Expr::Async(_) | syn::Expr::Await(_) => self.error(e, "`async` code and `.await` are not supported in a differentiated function; await the values first and pass them in as parameters"),
            syn::Expr::Try(_) => self.error(e, "the `?` operator is not supported; differentiated functions return plain values"),
            syn::Expr::Let(_) => self.error(e, "`let` patterns in conditions (`if let`, `while let`) are not supported; use `match` (on integers, booleans, or a constant `Option` or `Result`), or a `loop` with a `match` and `break` for `while let`"),
            syn::Expr::Range(_) => self.error(e, "a range is supported only as the iterator of a `for` loop or as a `match` pattern"),
            syn::Expr::Struct(_) => self.error(e, "struct expressions are not supported; differentiated functions work on floats, arrays, slices and tuples"),
            _ => {
                let (kind, hint) = unsupported_expr(e);
                self.error(e, format!("{kind} is not supported in a differentiated function; {hint}"))
            }
        }
    }

    /// Lowers each expression; `None` if one of them diverges.
    pub(super) fn lower_all<'e>(
        &mut self,
        es: impl Iterator<Item = &'e syn::Expr>,
        out: &mut Block,
    ) -> Option<Vec<Atom>> {
        let mut atoms = Vec::new();
        for e in es {
            match self.lower_expr(e, out) {
                Val::Atom(a) => atoms.push(a),
                Val::Never => return None,
            }
        }
        Some(atoms)
    }

    fn lower_lit(&mut self, l: &syn::Lit) -> Val {
        match l {
            syn::Lit::Float(_) | syn::Lit::Int(_) | syn::Lit::Bool(_) => {
                Val::Atom(Atom::Const(Const::Lit(l.clone())))
            }
            _ => self.error(l, "this literal is not supported in a differentiated function: supported are numbers and booleans; compute strings, chars and bytes outside the function and pass what you need as a parameter"),
        }
    }

    fn lower_path(&mut self, p: &syn::ExprPath, out: &mut Block) -> Val {
        if p.qself.is_none() {
            if let Some(ident) = p.path.get_ident() {
                match self.lookup(&ident.to_string()) {
                    Some(Binding::Var(v) | Binding::ByRef(v)) => return Val::Atom(Atom::Var(v)),
                    Some(Binding::Alias(place)) => return self.load(place, ident.span(), out),
                    Some(Binding::SubSlice(..)) => {
                        return self.error(p, format!("`{ident}` is a sub-slice from `split_at`: index it, take `.len()` or `.iter()`, loop over it, or pass it to a function"))
                    }
                    Some(Binding::Closure(_)) => {
                        return self.error(p, "a closure bound by `let` can only be called (`w(x)`) or given to `map`, `fold` or `for_each`; it is inlined there")
                    }
                    None => {}
                }
            }
        }
        // Not a local: a constant such as `PI`, `N` or `f64::INFINITY`.
        Val::Atom(Atom::Const(Const::Path(p.path.clone())))
    }

    fn load(&mut self, place: Place, span: proc_macro2::Span, out: &mut Block) -> Val {
        Val::Atom(self.emit(Op::Load(place), span, out))
    }

    fn lower_binary(&mut self, b: &syn::ExprBinary, out: &mut Block) -> Val {
        use syn::BinOp as B;
        let span = span_of(b);
        let compound = match b.op {
            B::AddAssign(_) => Some(BinOp::Add),
            B::SubAssign(_) => Some(BinOp::Sub),
            B::MulAssign(_) => Some(BinOp::Mul),
            B::DivAssign(_) => Some(BinOp::Div),
            B::RemAssign(_) => Some(BinOp::Rem),
            B::BitAndAssign(_) => Some(BinOp::BitAnd),
            B::BitOrAssign(_) => Some(BinOp::BitOr),
            B::BitXorAssign(_) => Some(BinOp::BitXor),
            B::ShlAssign(_) => Some(BinOp::Shl),
            B::ShrAssign(_) => Some(BinOp::Shr),
            _ => None,
        };
        if let Some(op) = compound {
            // `p op= e` evaluates `e` first, then reads and writes `p`.
            let Val::Atom(rhs) = self.lower_expr(&b.right, out) else {
                return Val::Never;
            };
            let Some(place) = self.lower_place(&b.left, out) else {
                return Self::poison();
            };
            if self.place_ty(&place).is_linalg() {
                let la = match op {
                    BinOp::Add if place.proj.is_empty() => crate::ir::LaOp::Add,
                    BinOp::Sub if place.proj.is_empty() => crate::ir::LaOp::Sub,
                    _ => {
                        let o = quote::ToTokens::to_token_stream(&b.op);
                        return self.error(&b.op, format!("`{o}` on a nalgebra value is supported for `+=` and `-=` on a variable; write `m = &m * ..` instead"));
                    }
                };
                let base = Atom::Var(place.base);
                out.push(Stmt::Assign {
                    place,
                    op: Op::La(la, vec![base, rhs]),
                    span,
                });
                return Val::Atom(Atom::Const(Const::Unit));
            }
            if place.proj.is_empty() && matches!(op, BinOp::Add | BinOp::Sub) {
                // `s += e` stays `s = s + e`: the derivative of `+` and `-`
                // reads no primal value, so the target may be read (see `ir`).
                let base = Atom::Var(place.base);
                out.push(Stmt::Assign {
                    place,
                    op: Op::Bin(op, base, rhs),
                    span,
                });
                return Val::Atom(Atom::Const(Const::Unit));
            }
            let Val::Atom(old) = self.load(place.clone(), span, out) else {
                return Val::Never;
            };
            let new = self.emit(Op::Bin(op, old, rhs), span_of(&b.op), out);
            self.assign(place, new, span, out);
            return Val::Atom(Atom::Const(Const::Unit));
        }
        match b.op {
            B::And(_) | B::Or(_) => return self.lower_short_circuit(b, out),
            _ => {}
        }
        let op = match b.op {
            B::Add(_) => BinOp::Add,
            B::Sub(_) => BinOp::Sub,
            B::Mul(_) => BinOp::Mul,
            B::Div(_) => BinOp::Div,
            B::Rem(_) => BinOp::Rem,
            B::Lt(_) => BinOp::Lt,
            B::Le(_) => BinOp::Le,
            B::Gt(_) => BinOp::Gt,
            B::Ge(_) => BinOp::Ge,
            B::Eq(_) => BinOp::Eq,
            B::Ne(_) => BinOp::Ne,
            B::BitAnd(_) => BinOp::BitAnd,
            B::BitOr(_) => BinOp::BitOr,
            B::BitXor(_) => BinOp::BitXor,
            B::Shl(_) => BinOp::Shl,
            B::Shr(_) => BinOp::Shr,
            _ => {
                let op = quote::ToTokens::to_token_stream(&b.op);
                return self.error(b, format!("the binary operator `{op}` is not supported; supported are the arithmetic, comparison, logical and bit operators (see the supported-Rust table in the crate docs)"));
            }
        };
        let la = self.is_la_expr(&b.left) || self.is_la_expr(&b.right);
        let Val::Atom(l) = self.la_operand(&b.left, la, out) else {
            return Val::Never;
        };
        let Val::Atom(r) = self.la_operand(&b.right, la, out) else {
            return Val::Never;
        };
        if let Some(v) = self.la_bin(op, &l, &r, &b.op, out) {
            return v;
        }
        // The operator's span, so a type error in the copy of the user's code
        // in the derivative is the same diagnostic as in `f`, and rustc reports it once.
        Val::Atom(self.emit(Op::Bin(op, l, r), span_of(&b.op), out))
    }

    pub(super) fn lower_assign(&mut self, left: &syn::Expr, right: &syn::Expr, out: &mut Block) {
        if let syn::Expr::Infer(_) = left {
            self.lower_expr(right, out);
            return;
        }
        if let syn::Expr::Tuple(targets) = strip_parens(left) {
            self.lower_destructuring(targets, right, out);
            return;
        }
        let Val::Atom(a) = self.lower_expr(right, out) else {
            return;
        };
        let Some(place) = self.lower_place(left, out) else {
            return;
        };
        self.assign(place, a, span_of(right), out);
    }

    /// `(a, b) = (b, a + b)`: every value is computed before any target is
    /// written, as in Rust.
    fn lower_destructuring(
        &mut self,
        targets: &syn::ExprTuple,
        right: &syn::Expr,
        out: &mut Block,
    ) {
        let span = span_of(right);
        let values: Vec<Atom> = match strip_parens(right) {
            syn::Expr::Tuple(t) if t.elems.len() == targets.elems.len() => {
                let Some(atoms) = self.lower_all(t.elems.iter(), out) else {
                    return;
                };
                atoms
            }
            _ => {
                let Val::Atom(a) = self.lower_expr(right, out) else {
                    return;
                };
                let tuple = self.materialize(a, span, out);
                (0..targets.elems.len())
                    .map(|i| {
                        let mut p = Place::var(tuple);
                        p.proj.push(Proj::Field(i));
                        self.emit(Op::Load(p), span, out)
                    })
                    .collect()
            }
        };
        let mut places = Vec::new();
        for t in &targets.elems {
            if let syn::Expr::Infer(_) = t {
                places.push(None);
                continue;
            }
            let Some(p) = self.lower_place(t, out) else {
                return;
            };
            places.push(Some(p));
        }
        // A value that is itself a target must be read before the writes.
        let bases: Vec<_> = places.iter().flatten().map(|p| p.base).collect();
        let values: Vec<Atom> = values
            .into_iter()
            .map(|v| match v.var() {
                Some(x) if bases.contains(&x) => self.emit(Op::Use(v), span, out),
                _ => v,
            })
            .collect();
        for (p, v) in places.into_iter().zip(values) {
            if let Some(p) = p {
                out.push(Stmt::Assign {
                    place: p,
                    op: Op::Use(v),
                    span,
                });
            }
        }
    }

    /// Appends `place = value`, reusing the last statement's operation when
    /// that keeps the IR invariant (the operation must not read the target).
    pub(super) fn assign(
        &mut self,
        place: Place,
        value: Atom,
        span: proc_macro2::Span,
        out: &mut Block,
    ) {
        let mut op = self.take_op(value, Some(place.base), out);
        if crate::ir::op_reads(&op).contains(&place.base)
            && !crate::ir::may_read_target(&op, place.base)
        {
            // `s = s;` and the like: read the old value into a temporary first.
            op = Op::Use(self.emit(op, span, out));
        }
        if place.proj.is_empty() {
            let ty = crate::typing::op_ty(&self.func, &op);
            let info = &mut self.func.vars[place.base.0];
            info.ty = info.ty.clone().join(ty);
        }
        out.push(Stmt::Assign { place, op, span });
    }

    /// Lowers an expression that denotes a memory location.
    pub(super) fn lower_place(&mut self, e: &syn::Expr, out: &mut Block) -> Option<Place> {
        match e {
            syn::Expr::Paren(p) => self.lower_place(&p.expr, out),
            syn::Expr::Group(g) => self.lower_place(&g.expr, out),
            syn::Expr::Path(p) if p.path.get_ident().is_some() && p.qself.is_none() => {
                let ident = p.path.get_ident()?;
                match self.lookup(&ident.to_string()) {
                    Some(Binding::Var(v) | Binding::ByRef(v)) => Some(Place::var(v)),
                    Some(Binding::Alias(place) | Binding::SubSlice(place, _)) => Some(place),
                    Some(Binding::Closure(_)) => {
                        self.error(e, "a closure cannot be indexed or assigned");
                        None
                    }
                    None => {
                        self.error(e, format!("cannot find local variable `{ident}`; only locals and parameters can be indexed or assigned"));
                        None
                    }
                }
            }
            syn::Expr::Index(ix) => {
                let mut base = self.lower_place_or_temp(&ix.expr, out)?;
                if let syn::Expr::Range(r) = strip_parens(&ix.index) {
                    let bounds = self.lower_bounds(r, out)?;
                    base.proj.push(Proj::Slice(bounds));
                    return Some(base);
                }
                let Val::Atom(i) = self.lower_expr(&ix.index, out) else {
                    return None;
                };
                base.proj.push(Proj::Index(i));
                Some(base)
            }
            syn::Expr::Field(f) => {
                let syn::Member::Unnamed(idx) = &f.member else {
                    return self.lower_named_field(f, out);
                };
                let mut base = self.lower_place_or_temp(&f.base, out)?;
                base.proj.push(Proj::Field(idx.index as usize));
                Some(base)
            }
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => {
                if let syn::Expr::MethodCall(m) = strip_parens(&u.expr) {
                    if m.method == "unwrap" || m.method == "expect" {
                        if let Some(p) = self.first_last_place(&m.receiver, out) {
                            return p;
                        }
                    }
                }
                // `**v` for the `&&f64` a `filter` closure is given: every
                // `*` of a by-reference binding reads the same value.
                let mut inner = strip_parens(&u.expr);
                while let syn::Expr::Unary(d) = inner {
                    if !matches!(d.op, syn::UnOp::Deref(_)) {
                        break;
                    }
                    inner = strip_parens(&d.expr);
                }
                if let syn::Expr::Path(p) = inner {
                    if let Some(ident) = p.path.get_ident() {
                        if let Some(Binding::ByRef(v)) = self.lookup(&ident.to_string()) {
                            return Some(Place::var(v));
                        }
                    }
                }
                if let syn::Expr::Path(p) = strip_parens(&u.expr) {
                    if let Some(ident) = p.path.get_ident() {
                        match self.lookup(&ident.to_string()) {
                            Some(Binding::ByRef(v)) => return Some(Place::var(v)),
                            Some(Binding::Alias(place)) => return Some(place),
                            _ => {}
                        }
                    }
                }
                let mut base = self.lower_place_or_temp(&u.expr, out)?;
                base.proj.push(Proj::Deref);
                Some(base)
            }
            _ => {
                self.error(e, "this expression is not a place that can be assigned or indexed; supported are locals, `a[i]`, `t.0` and `*r`");
                None
            }
        }
    }

    /// The bounds of a sub-slice `x[a..b]`. Each bound is computed into a
    /// temporary that nothing reassigns (see [`crate::ir::Bounds`]): Rust
    /// evaluates them once, where the sub-slice is taken, while the IR place
    /// is evaluated again at each use (`for v in &x[k..] { k += 1; }`).
    fn lower_bounds(&mut self, r: &syn::ExprRange, out: &mut Block) -> Option<Bounds> {
        let mut bound = |e: &Option<Box<syn::Expr>>, l: &mut Self| -> Option<Option<Atom>> {
            let Some(e) = e else { return Some(None) };
            let Val::Atom(a) = l.lower_expr(e, out) else {
                return None;
            };
            let fixed = match a {
                Atom::Var(v)
                    if l.func.info(v).origin == Origin::Temp && !l.func.info(v).mutable =>
                {
                    a
                }
                Atom::Var(_) => l.emit(Op::Use(a), span_of(e), out),
                c => c,
            };
            Some(Some(fixed))
        };
        let lo = bound(&r.start, self)?;
        let hi = bound(&r.end, self)?;
        let inclusive = matches!(r.limits, syn::RangeLimits::Closed(_));
        Some(Bounds { lo, hi, inclusive })
    }

    /// A place for `e`, computing `e` into a temporary when it is a value.
    pub(super) fn lower_place_or_temp(&mut self, e: &syn::Expr, out: &mut Block) -> Option<Place> {
        match strip_parens(e) {
            syn::Expr::Path(_)
            | syn::Expr::Index(_)
            | syn::Expr::Field(_)
            | syn::Expr::Unary(_) => self.lower_place(e, out),
            _ => {
                let Val::Atom(a) = self.lower_expr(e, out) else {
                    return None;
                };
                Some(Place::var(self.materialize(a, span_of(e), out)))
            }
        }
    }

    /// The type of a value held by an atom (for callers outside this file).
    pub(super) fn ty_of(&self, a: &Atom) -> Ty {
        self.atom_ty(a)
    }
}

/// What an expression that lowering rejects wholesale is called, and the
/// nearest supported alternative (syn's `Expr` is non-exhaustive, hence the
/// fallback).
fn unsupported_expr(e: &syn::Expr) -> (&'static str, &'static str) {
    const REWRITE: &str =
        "rewrite it with `let`, `if`, `match` and loops (see the supported-Rust table in the crate docs)";
    match e {
        syn::Expr::Const(_) => (
            "an inline `const` block",
            "bind the value to a `const` item outside the function",
        ),
        syn::Expr::Infer(_) => ("the placeholder `_`", "write the value or type out"),
        syn::Expr::Yield(_) => ("`yield`", REWRITE),
        syn::Expr::TryBlock(_) => ("a `try` block", REWRITE),
        _ => ("this expression", REWRITE),
    }
}

//! Lowering of function calls, method calls and macros.

use crate::elem::Elem;
use crate::ir::{Arg, Atom, Block, Callee, Const, Op, Stmt};
use crate::ty::{Prec, Ty};

use super::{span_of, strip_parens, Lowerer, Val};

impl Lowerer<'_> {
    pub(super) fn lower_call(&mut self, c: &syn::ExprCall, out: &mut Block) -> Val {
        let span = span_of(c);
        let syn::Expr::Path(fp) = strip_parens(&c.func) else {
            return self.error(&c.func, "only calls to functions named by a path are supported, not calls of a computed function value; call the function by its name (`g(x)`), or bind a closure with `let` and call it by its name");
        };
        if fp.qself.is_some() {
            return self.error(&c.func, "qualified paths (`<T as Trait>::f`) are not supported; call the function by its path");
        }
        let path = &fp.path;
        // A closure bound by `let`: its body, inlined.
        if let Some(id) = path.get_ident() {
            if let Some(super::Binding::Closure(lc)) = self.lookup(&id.to_string()) {
                let Some(args) = self.lower_all(c.args.iter(), out) else {
                    return Val::Never;
                };
                let inputs = args.into_iter().map(super::closures::Input::Atom).collect();
                return self.apply(&super::closures::Callable::Local(lc), inputs, out);
            }
        }
        // `f64::sin(x)`, `f32::max(a, b)`: elementary functions named through a type.
        if path.segments.len() == 2 {
            let ty_name = path.segments[0].ident.to_string();
            let fn_name = path.segments[1].ident.to_string();
            if let Some(prec) = Prec::from_name(&ty_name) {
                if fn_name == "sin_cos" && c.args.len() == 1 {
                    let Val::Atom(a) = self.lower_expr(&c.args[0], out) else {
                        return Val::Never;
                    };
                    return self.sin_cos(a, Some(prec), span, out);
                }
                // `T::from(x)` is `Option<T>`: only `.unwrap()` of it is a
                // conversion (`lower_method`).
                if fn_name == "from" && c.args.len() == 1 && prec != Prec::Generic {
                    let Val::Atom(a) = self.lower_expr(&c.args[0], out) else {
                        return Val::Never;
                    };
                    return Val::Atom(self.emit(Op::CastPrec(a, prec), span, out));
                }
                return match Elem::from_name(&fn_name) {
                    Some((elem, arity)) if arity == c.args.len() => {
                        // `f64::max(a, b.into())`: float arguments are `prec`.
                        let diff = elem.info().diff;
                        let mut args = Vec::new();
                        for (k, a) in c.args.iter().enumerate() {
                            let expect = diff.get(k).copied().unwrap_or(false).then_some(prec);
                            match self.lower_expect(a, expect, out) {
                                Val::Atom(at) => args.push(at),
                                Val::Never => return Val::Never,
                            }
                        }
                        Val::Atom(self.emit(Op::Elem(elem, args, Some(prec)), span, out))
                    }
                    Some((_, arity)) => self.error(
                        c,
                        format!("`{ty_name}::{fn_name}` takes {arity} argument(s)"),
                    ),
                    None => {
                        let Some(args) = self.lower_all(c.args.iter(), out) else {
                            return Val::Never;
                        };
                        let args = args.into_iter().map(Arg::Value).collect();
                        let callee = Callee {
                            path: path.clone(),
                            derivative: None,
                            opaque: true,
                        };
                        Val::Atom(self.emit(Op::Call(callee, args), span, out))
                    }
                };
            }
        }
        if let Some(v) = self.lower_std_call(c, path, out) {
            return v;
        }
        let mut args = Vec::new();
        for a in &c.args {
            match self.lower_arg(a, out) {
                Some(arg) => args.push(arg),
                None => return Val::Never,
            }
        }
        // `f(..)`, or `Self::f(..)` in a method.
        let recursive = path
            .segments
            .last()
            .is_some_and(|s| s.ident == self.self_name)
            && (path.segments.len() == 1
                || (path.segments.len() == 2 && path.segments[0].ident == "Self"));
        let callee = Callee {
            path: path.clone(),
            derivative: None,
            opaque: false,
        };
        let result = self.emit(Op::Call(callee, args), span, out);
        if let (true, Atom::Var(v)) = (recursive, &result) {
            self.func.vars[v.0].ty = self.self_ret.clone();
        }
        Val::Atom(result)
    }

    /// A call argument: `&place` and `&mut place` keep the place.
    fn lower_arg(&mut self, a: &syn::Expr, out: &mut Block) -> Option<crate::ir::Arg> {
        if let Some(arg) = self.sub_slice_arg(a) {
            return Some(arg);
        }
        if let syn::Expr::Reference(r) = strip_parens(a) {
            if is_place_expr(&r.expr) {
                let place = self.lower_place(&r.expr, out)?;
                return Some(if r.mutability.is_some() {
                    Arg::RefMut(place)
                } else {
                    Arg::Ref(place)
                });
            }
        }
        match self.lower_expr(a, out) {
            Val::Atom(at) => Some(Arg::Value(at)),
            Val::Never => None,
        }
    }

    pub(super) fn lower_method(&mut self, m: &syn::ExprMethodCall, out: &mut Block) -> Val {
        let span = span_of(m);
        let name = m.method.to_string();
        // `self.forward(x)` in a method is the call `Self::forward(self, x)`,
        // rewritten like any call (to `Self::forward_jvp(self, x, x_dot)`).
        if is_self(&m.receiver) && self.lookup("self").is_some() {
            if m.turbofish.is_some() {
                return self.error(m, "a method call with a turbofish (`self.f::<T>(..)`) is not supported; call it as `Self::f::<T>(self, ..)`");
            }
            let method = &m.method;
            let args = m.args.iter();
            let call: syn::ExprCall =
                syn::parse_quote_spanned!(span=> Self::#method(self, #(#args),*));
            return self.lower_call(&call, out);
        }
        if let Some(v) = self.lower_la_method(m, out) {
            return v;
        }
        match name.as_str() {
            "sum" | "product" if m.args.is_empty() => {
                if super::chains::has_map(&m.receiver) {
                    return self.lower_chain(m, out);
                }
                return self.lower_reduction(m, name == "sum", out);
            }
            "fold" if m.args.len() == 2 => return self.lower_chain(m, out),
            "for_each" if m.args.len() == 1 => return self.lower_chain(m, out),
            "collect" | "count" if m.args.is_empty() => return self.lower_chain(m, out),
            "unwrap" if m.args.is_empty() && is_extremum(&m.receiver) => {
                return self.lower_chain(m, out)
            }
            "max_by" | "min_by" | "reduce" if m.args.len() == 1 => {
                return self.error(&m.method, format!("`{name}` is supported directly followed by `.unwrap()` (`x.iter().copied().{name}(..).unwrap()`)"));
            }
            "unwrap" | "expect" if m.args.len() == usize::from(name == "expect") => {
                if let Some(v) = self.lower_generic_conversion(&m.receiver, out) {
                    return v;
                }
            }
            "map" => {
                if let Some(v) = self.lower_array_map(m, out) {
                    return v;
                }
            }
            "len" if m.args.is_empty() => {
                let Some(place) = self.lower_place_for_method(&m.receiver, out) else {
                    return Self::poison();
                };
                return Val::Atom(self.emit(Op::Len(place), span, out));
            }
            _ => {}
        }
        if let Some(v) = self.lower_buffer_method(m, out) {
            return v;
        }
        if let Some((elem, arity)) = Elem::from_name(&name) {
            if arity != m.args.len() + 1 {
                return self.error(m, format!("`{name}` takes {} argument(s)", arity - 1));
            }
            let Val::Atom(recv) = self.lower_expr(&m.receiver, out) else {
                return Val::Never;
            };
            let Some(mut args) = self.lower_elem_args(elem, &recv, m.args.iter(), out) else {
                return Val::Never;
            };
            args.insert(0, recv);
            let prec = match self.ty_of(&args[0]) {
                Ty::Float(p) => p,
                _ => None,
            };
            return Val::Atom(self.emit(Op::Elem(elem, args, prec), span, out));
        }
        if m.turbofish.is_some() {
            return self.error(
                m,
                format!("method `{name}` with a turbofish (`::<..>`) is not supported here; remove the turbofish and give the type with a typed `let` (`let s: f64 = ...;`)"),
            );
        }
        if name == "into" && m.args.is_empty() {
            let Val::Atom(recv) = self.lower_expr(&m.receiver, out) else {
                return Val::Never;
            };
            match self.ty_of(&recv) {
                // `From<f64>` is implemented only by `f64`.
                Ty::Float(Some(Prec::F64)) => return Val::Atom(recv),
                Ty::Float(_) => return self.error(m, "`.into()` on an `f32` is supported where the macro sees the target type (`let y: f64 = x.into();`, the function's return value, an argument of `max`, `powf` and the like); here write `f64::from(x)`"),
                _ => {}
            }
            // On an integer constant: a constant, kept as it is.
            return Val::Atom(self.emit(Op::Method(recv, m.method.clone(), Vec::new()), span, out));
        }
        // Any other method is kept as an opaque operation. Activity analysis
        // reports it if it is applied to a value that carries a derivative.
        let Val::Atom(recv) = self.lower_expr(&m.receiver, out) else {
            return Val::Never;
        };
        let Some(args) = self.lower_all(m.args.iter(), out) else {
            return Val::Never;
        };
        Val::Atom(self.emit(Op::Method(recv, m.method.clone(), args), span, out))
    }

    /// `T::from(x)`, `T::from_f64(x)`, `T::from_usize(n)` and the like in
    /// `T::from_f64(x).unwrap()`, where `T` is the function's float type
    /// parameter: a conversion to `T` (derivative 1 from a float, a
    /// constant from an integer). `None` for any other receiver.
    fn lower_generic_conversion(&mut self, recv: &syn::Expr, out: &mut Block) -> Option<Val> {
        let syn::Expr::Call(c) = strip_parens(recv) else {
            return None;
        };
        let syn::Expr::Path(fp) = strip_parens(&c.func) else {
            return None;
        };
        let [ty, conv] = [fp.path.segments.first()?, fp.path.segments.last()?];
        if fp.qself.is_some()
            || fp.path.segments.len() != 2
            || c.args.len() != 1
            || Prec::from_name(&ty.ident.to_string()) != Some(Prec::Generic)
            || !crate::generic::is_conversion(&conv.ident.to_string())
        {
            return None;
        }
        let Val::Atom(a) = self.lower_expr(&c.args[0], out) else {
            return Some(Val::Never);
        };
        Some(Val::Atom(self.emit(
            Op::CastPrec(a, Prec::Generic),
            span_of(recv),
            out,
        )))
    }

    /// `e.into()` where the target float type is known (`let y: f64 =
    /// x.into();`): a conversion to `prec`, `f32 -> f64` included, with
    /// derivative 1 in the target type; from an integer it is a constant.
    /// `None` when `e` is not such a call.
    pub(super) fn lower_into(&mut self, e: &syn::Expr, prec: Prec, out: &mut Block) -> Option<Val> {
        let syn::Expr::MethodCall(m) = strip_parens(e) else {
            return None;
        };
        if m.method != "into" || !m.args.is_empty() || m.turbofish.is_some() {
            return None;
        }
        let Val::Atom(a) = self.lower_expr(&m.receiver, out) else {
            return Some(Val::Never);
        };
        Some(Val::Atom(self.emit(Op::CastPrec(a, prec), span_of(m), out)))
    }

    pub(super) fn lower_place_for_method(
        &mut self,
        e: &syn::Expr,
        out: &mut Block,
    ) -> Option<crate::ir::Place> {
        if is_place_expr(e) {
            self.lower_place(e, out)
        } else {
            let Val::Atom(a) = self.lower_expr(e, out) else {
                return None;
            };
            Some(crate::ir::Place::var(self.materialize(a, span_of(e), out)))
        }
    }

    pub(super) fn lower_macro(&mut self, mac: &syn::Macro, out: &mut Block) -> Val {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        match name.as_str() {
            "vec" => self.lower_vec(mac, out),
            "assert" | "debug_assert" | "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => {
                let n_values = if name.ends_with("assert") { 1 } else { 2 };
                let parsed = mac.parse_body_with(
                    syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
                );
                let exprs = match parsed {
                    Ok(p) => p,
                    Err(e) => {
                        self.diags.push(e);
                        return Self::poison();
                    }
                };
                if exprs.len() < n_values {
                    return self.error(mac, format!("`{name}!` needs {n_values} argument(s)"));
                }
                let values: Vec<&syn::Expr> = exprs.iter().take(n_values).collect();
                let Some(args) = self.lower_all(values.into_iter(), out) else { return Val::Never };
                let rest: proc_macro2::TokenStream = exprs
                    .iter()
                    .skip(n_values)
                    .map(|e| quote::quote!(, #e))
                    .collect();
                out.push(Stmt::Assert { mac: mac.path.clone(), args, rest });
                Val::Atom(Atom::Const(Const::Unit))
            }
            _ => self.error(&mac.path, format!(
                "macro `{name}!` is not supported in a differentiated function; supported are `vec!` and the assertion macros (`assert!`, `assert_eq!`, `debug_assert!`, ...)"
            )),
        }
    }

    fn lower_vec(&mut self, mac: &syn::Macro, out: &mut Block) -> Val {
        let span = span_of(mac);
        if let Ok(r) = mac.parse_body::<syn::ExprRepeat>() {
            let Val::Atom(elem) = self.lower_expr(&r.expr, out) else {
                return Val::Never;
            };
            let Val::Atom(n) = self.lower_expr(&r.len, out) else {
                return Val::Never;
            };
            return Val::Atom(self.emit(Op::VecRepeat(elem, n), span, out));
        }
        if let Ok(repeat) = mac.parse_body_with(parse_repeat) {
            let Val::Atom(elem) = self.lower_expr(&repeat.0, out) else {
                return Val::Never;
            };
            let Val::Atom(n) = self.lower_expr(&repeat.1, out) else {
                return Val::Never;
            };
            return Val::Atom(self.emit(Op::VecRepeat(elem, n), span, out));
        }
        match mac.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) {
            Ok(items) => {
                let Some(atoms) = self.lower_all(items.iter(), out) else {
                    return Val::Never;
                };
                Val::Atom(self.emit(Op::VecList(atoms), span, out))
            }
            Err(e) => {
                self.diags.push(e);
                Self::poison()
            }
        }
    }
}

/// `vec![elem; n]` parsed as two expressions.
fn parse_repeat(input: syn::parse::ParseStream<'_>) -> syn::Result<(syn::Expr, syn::Expr)> {
    let elem: syn::Expr = input.parse()?;
    input.parse::<syn::Token![;]>()?;
    let n: syn::Expr = input.parse()?;
    Ok((elem, n))
}

/// Whether `e` denotes a memory location (a local, an element, a field or a
/// dereference) rather than a computed value.
pub(super) fn is_place_expr(e: &syn::Expr) -> bool {
    match strip_parens(e) {
        syn::Expr::Path(p) => p.path.get_ident().is_some(),
        syn::Expr::Index(i) => is_place_expr(&i.expr),
        syn::Expr::Field(f) => is_place_expr(&f.base),
        syn::Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)),
        _ => false,
    }
}

/// Whether `e` is `chain.max_by(f)`, `min_by(f)` or `reduce(f)`.
fn is_extremum(e: &syn::Expr) -> bool {
    matches!(strip_parens(e), syn::Expr::MethodCall(m)
        if m.args.len() == 1 && ["max_by", "min_by", "reduce"].iter().any(|n| m.method == n))
}

impl Lowerer<'_> {
    /// `x.into()` converted to `prec` when that is the target; any other
    /// expression lowered as usual.
    pub(super) fn lower_expect(
        &mut self,
        e: &syn::Expr,
        prec: Option<Prec>,
        out: &mut Block,
    ) -> Val {
        if let Some(prec) = prec {
            if let Some(v) = self.lower_into(e, prec, out) {
                return v;
            }
        }
        self.lower_expr(e, out)
    }

    /// The float precision the function returns, if it returns a float.
    pub(super) fn ret_prec(&self) -> Option<Prec> {
        match self.self_ret {
            Ty::Float(p) => p,
            _ => None,
        }
    }

    /// The arguments after the receiver of the elementary function `elem`:
    /// a float argument has the receiver's type, so `x.max(y.into())`
    /// converts `y` to it.
    fn lower_elem_args<'e>(
        &mut self,
        elem: Elem,
        recv: &Atom,
        args: impl Iterator<Item = &'e syn::Expr>,
        out: &mut Block,
    ) -> Option<Vec<Atom>> {
        let prec = match self.ty_of(recv) {
            Ty::Float(p) => p,
            _ => None,
        };
        let diff = elem.info().diff;
        let mut atoms = Vec::new();
        for (k, a) in args.enumerate() {
            let expect = prec.filter(|_| diff.get(k + 1).copied().unwrap_or(false));
            match self.lower_expect(a, expect, out) {
                Val::Atom(at) => atoms.push(at),
                Val::Never => return None,
            }
        }
        Some(atoms)
    }
}

/// Whether `e` is the receiver `self`.
fn is_self(e: &syn::Expr) -> bool {
    matches!(strip_parens(e), syn::Expr::Path(p) if p.qself.is_none() && p.path.is_ident("self"))
}

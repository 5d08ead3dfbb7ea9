//! Closures, inlined where they are called.
//!
//! A closure bound with `let` (`let w = |x: f64| 1.0 + (x - 1.0) / 4.0;`)
//! is not a value of the IR: each call `w(a)` lowers the closure's body in
//! place, with its parameters bound to the arguments. The body sees the
//! names in scope where the closure was *defined* (a snapshot of the
//! scopes), as Rust's capture rules say, and it reads and writes captured
//! variables directly. Rust forbids writing a variable a live non-`move`
//! closure borrows, so the captured values at a call are those a real
//! closure would see. `move` closures, which copy at the definition, are
//! rejected rather than risk reading a later value.
//!
//! Iterator chains (`chains.rs`) call closures written in place the same
//! way, and accept paths (`f64::max`) where Rust takes a function.

use std::collections::HashMap;
use std::rc::Rc;

use proc_macro2::TokenTree;

use crate::ir::{Atom, Block};

use super::{Binding, Lowerer, Val};

/// A closure bound by `let`, with the scopes it was defined in.
#[derive(Debug)]
pub(super) struct LocalClosure {
    pub closure: syn::ExprClosure,
    pub scopes: Vec<HashMap<String, Binding>>,
}

/// Something a chain adapter or a call applies to its inputs.
pub(super) enum Callable<'a> {
    /// A closure written in place: its scopes are the current ones.
    Literal(&'a syn::ExprClosure),
    /// A closure bound by `let`.
    Local(Rc<LocalClosure>),
    /// A function named by a path (`f64::max`, a function with `_jvp`).
    Path(&'a syn::Path),
}

/// One input of a callable: a lowered value, or the item of a loop (bound
/// by the closure's pattern, so `|&v|` and `iter_mut` items work).
pub(super) enum Input<'a> {
    Atom(Atom),
    Item(&'a super::loops::Item, crate::ir::VarId),
}

impl Lowerer<'_> {
    /// Checks a closure the lowering can inline; reports why not otherwise.
    pub(super) fn check_closure(&mut self, c: &syn::ExprClosure) -> bool {
        if c.capture.is_some() {
            self.error(c, "`move` closures are not supported; remove `move` (the closure is inlined where it is called, and reads the variables it captures there)");
            return false;
        }
        if c.asyncness.is_some() || c.constness.is_some() || c.lifetimes.is_some() {
            self.error(c, "`async`, `const` and generic closures are not supported; use a plain closure `|x| ...`");
            return false;
        }
        if mentions_return(quote::ToTokens::to_token_stream(&c.body)) {
            self.error(&c.body, "`return` inside a closure is not supported; give the closure's value as its final expression");
            return false;
        }
        true
    }

    /// `let w = |x| ...;`: remembers the closure for the calls to come.
    pub(super) fn bind_closure(&mut self, ident: &syn::Ident, c: &syn::ExprClosure) {
        if !self.check_closure(c) {
            return;
        }
        let lc = LocalClosure {
            closure: c.clone(),
            scopes: self.scopes.clone(),
        };
        self.bind(&ident.to_string(), Binding::Closure(Rc::new(lc)));
    }

    /// Applies `c` to `inputs` in place.
    pub(super) fn apply(
        &mut self,
        c: &Callable<'_>,
        inputs: Vec<Input<'_>>,
        out: &mut Block,
    ) -> Val {
        match c {
            Callable::Literal(cl) => {
                if !self.check_closure(cl) {
                    return Self::poison();
                }
                let scopes = self.scopes.clone();
                self.apply_closure(cl, scopes, inputs, out)
            }
            Callable::Local(lc) => {
                let lc = Rc::clone(lc);
                self.apply_closure(&lc.closure, lc.scopes.clone(), inputs, out)
            }
            Callable::Path(p) => self.apply_path(p, inputs, out),
        }
    }

    fn apply_closure(
        &mut self,
        c: &syn::ExprClosure,
        scopes: Vec<HashMap<String, Binding>>,
        inputs: Vec<Input<'_>>,
        out: &mut Block,
    ) -> Val {
        if c.inputs.len() != inputs.len() {
            return self.error(
                c,
                format!(
                    "this closure takes {} argument(s) but is given {}",
                    c.inputs.len(),
                    inputs.len()
                ),
            );
        }
        let saved = std::mem::replace(&mut self.scopes, scopes);
        self.scopes.push(HashMap::new());
        for (pat, input) in c.inputs.iter().zip(inputs) {
            match input {
                Input::Atom(a) => self.bind_atom(pat, a, out),
                Input::Item(item, index) => {
                    let pat = match pat {
                        syn::Pat::Type(pt) => &*pt.pat,
                        p => p,
                    };
                    self.bind_item(pat, item, index, out);
                }
            }
        }
        let v = self.lower_expr(&c.body, out);
        self.scopes = saved;
        v
    }

    /// Applies the predicate of a `filter` to a reference to `a`: every
    /// name the pattern binds reads through any number of `*` (`|v| **v >
    /// 0.0`, `|&&v| ..`, `|(i, _)| *i % 2 == 0`).
    pub(super) fn apply_by_ref(&mut self, c: &Callable<'_>, a: Atom, out: &mut Block) -> Val {
        let (closure, scopes) = match c {
            Callable::Literal(cl) => {
                if !self.check_closure(cl) {
                    return Self::poison();
                }
                (*cl, self.scopes.clone())
            }
            Callable::Local(lc) => (&lc.closure, lc.scopes.clone()),
            Callable::Path(p) => {
                return self.error(p, "a `filter` takes a closure here (`|v| v.abs() > 1.0`)");
            }
        };
        let closure = closure.clone();
        if closure.inputs.len() != 1 {
            return self.error(&closure, "a `filter` closure takes one argument");
        }
        let saved = std::mem::replace(&mut self.scopes, scopes);
        self.scopes.push(HashMap::new());
        let ok = self.bind_by_ref(&closure.inputs[0], a, out);
        let v = if ok {
            self.lower_expr(&closure.body, out)
        } else {
            Self::poison()
        };
        self.scopes = saved;
        v
    }

    fn bind_by_ref(&mut self, pat: &syn::Pat, a: Atom, out: &mut Block) -> bool {
        match pat {
            syn::Pat::Reference(r) => self.bind_by_ref(&r.pat, a, out),
            syn::Pat::Type(t) => self.bind_by_ref(&t.pat, a, out),
            syn::Pat::Paren(p) => self.bind_by_ref(&p.pat, a, out),
            syn::Pat::Wild(_) => true,
            syn::Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                let v = self.materialize(a, pi.ident.span(), out);
                self.bind(&pi.ident.to_string(), Binding::ByRef(v));
                true
            }
            syn::Pat::Tuple(t) => {
                let tuple = self.materialize(a, proc_macro2::Span::call_site(), out);
                t.elems.iter().enumerate().all(|(i, p)| {
                    let mut place = crate::ir::Place::var(tuple);
                    place.proj.push(crate::ir::Proj::Field(i));
                    let e = self.emit(
                        crate::ir::Op::Load(place),
                        proc_macro2::Span::call_site(),
                        out,
                    );
                    self.bind_by_ref(p, e, out)
                })
            }
            _ => {
                self.error(pat, "this `filter` pattern is not supported; use a name (`|v| **v > 0.0`), `&&v`, or a tuple of names");
                false
            }
        }
    }

    /// `f64::max(acc, v)` for `.fold(x, f64::max)`: the path is called on
    /// fresh names bound to the inputs, and lowered as any call.
    fn apply_path(&mut self, p: &syn::Path, inputs: Vec<Input<'_>>, out: &mut Block) -> Val {
        self.scopes.push(HashMap::new());
        let mut args: Vec<syn::Ident> = Vec::new();
        for (k, input) in inputs.into_iter().enumerate() {
            let a = match input {
                Input::Atom(a) => Some(a),
                Input::Item(item, index) => self.item_atom(item, index, out),
            };
            let Some(a) = a else {
                self.scopes.pop();
                return Self::poison();
            };
            let v = self.materialize(a, proc_macro2::Span::call_site(), out);
            let name = quote::format_ident!("__adiff_arg{}", k);
            self.bind(&name.to_string(), Binding::Var(v));
            args.push(name);
        }
        let call: syn::Expr = syn::parse_quote!(#p(#(#args),*));
        let v = self.lower_expr(&call, out);
        self.scopes.pop();
        v
    }
}

/// Whether the tokens hold the keyword `return`.
fn mentions_return(ts: proc_macro2::TokenStream) -> bool {
    ts.into_iter().any(|tt| match tt {
        TokenTree::Ident(i) => i == "return",
        TokenTree::Group(g) => mentions_return(g.stream()),
        _ => false,
    })
}

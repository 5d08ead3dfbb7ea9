//! Codegen: the only stage that makes tokens.
//!
//! User variables are emitted with their own spans, so a type error in the
//! user's code points at the user's tokens. Generated names use
//! `Span::mixed_site()`, so user code cannot name them by accident.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned};

mod chunks;
mod fold;
mod generic;
mod linalg;
mod op;
mod stmt;

use crate::ir::{
    Arg, Atom, Block, Const, Func, Op, Origin, Place, Proj, RangeAdapter, Stmt, VarId,
};
use crate::names::Names;
use crate::ty::{Prec, Ty};

/// What surrounds a generated function body.
pub struct FnShell<'a> {
    pub attrs: TokenStream,
    pub vis: &'a syn::Visibility,
    pub name: syn::Ident,
    pub generics: syn::Generics,
    pub ret: Option<TokenStream>,
    /// Statements that run first: checks rustc must make on the parameters.
    pub prologue: TokenStream,
    /// Vector forward mode: tangents are `Lanes<S, W>` (zeros, casts and
    /// calls to callees' `_jvpw` print differently).
    pub lanes: bool,
}

pub struct Writer<'f> {
    func: &'f Func,
    names: Names,
    mutated: std::collections::HashSet<VarId>,
    read: std::collections::HashSet<VarId>,
    /// Temporaries printed in place of their one read.
    folds: fold::Folds,
    /// Vector forward mode (`FnShell::lanes`).
    lanes: bool,
}

/// Emits a whole function.
pub fn function(func: &Func, shell: &FnShell<'_>) -> TokenStream {
    let names = crate::names::assign(func);
    let mutated = crate::ir::written(&func.body);
    let folds = fold::plan(func, &mutated, &names);
    let g = Writer {
        func,
        names,
        mutated,
        read: crate::usage::read(&func.body),
        folds,
        lanes: shell.lanes,
    };
    let params = func.params.iter().map(|p| {
        let name = g.ident(p.var);
        let ty = &p.ty;
        let m = g.mut_token(p.var);
        crate::convention::param_decl(&name, ty, m)
    });
    let body = g.block(&func.body, true);
    let FnShell {
        attrs,
        vis,
        name,
        generics,
        ret,
        prologue,
        ..
    } = shell;
    let (_, _, where_clause) = generics.split_for_impl();
    let ret = ret.as_ref().map(|r| quote!(-> #r));
    quote! {
        #attrs
        #vis fn #name #generics (#(#params),*) #ret #where_clause {
            #prologue
            #body
        }
    }
}

impl Writer<'_> {
    /// `mut`, for a variable declared mutable that is written after its
    /// declaration.
    fn mut_token(&self, v: VarId) -> Option<TokenStream> {
        (self.func.info(v).mutable && self.mutated.contains(&v)).then(|| quote!(mut))
    }

    fn ident(&self, v: VarId) -> syn::Ident {
        let info = self.func.info(v);
        let span = match info.origin {
            Origin::User => info.span,
            _ => Span::mixed_site().located_at(info.span),
        };
        make_ident(&self.names.get(v), span)
    }

    fn block(&self, b: &Block, top: bool) -> TokenStream {
        // The function's final `return` reads better as a tail expression.
        let (body, tail) = match b.split_last() {
            Some((Stmt::Return(Some(op)), rest)) if top => {
                (rest, Some(self.op(op, Span::call_site())))
            }
            _ => (&b[..], None),
        };
        if body.len() <= chunks::CHUNK {
            let mut out: TokenStream = body.iter().map(|s| self.stmt(s)).collect();
            out.extend(tail);
            out
        } else {
            chunks::join(body.iter().map(|s| self.emitted(s)).collect(), tail)
        }
    }

    fn atom(&self, a: &Atom) -> TokenStream {
        self.atom_prec(a).0
    }

    /// An atom's tokens and binding strength: a folded temporary prints as
    /// its operation.
    fn atom_prec(&self, a: &Atom) -> (TokenStream, fold::Prec) {
        match a {
            Atom::Var(v) => match self.folds.get(*v) {
                Some((op, span)) => self.expr(op, *span),
                None => (self.ident(*v).into_token_stream(), fold::Prec::Primary),
            },
            Atom::Const(c) => (const_tokens(c), fold::Prec::Primary),
        }
    }

    /// An atom in a position that needs at least `need`'s binding strength,
    /// parenthesised if it binds more loosely.
    fn operand(&self, a: &Atom, need: fold::Prec) -> TokenStream {
        let (t, p) = self.atom_prec(a);
        if p < need {
            quote!((#t))
        } else {
            t
        }
    }

    fn place(&self, p: &Place) -> TokenStream {
        // A folded scalar read as a place (`Op::Load` of the bare variable).
        let mut t = self.operand(&Atom::Var(p.base), fold::Prec::Primary);
        let n = p.proj.len();
        for (i, proj) in p.proj.iter().enumerate() {
            t = match proj {
                Proj::Index(a) => {
                    let a = self.atom(a);
                    quote!(#t[#a])
                }
                Proj::Slice(b) => {
                    let lo = b.lo.as_ref().map(|a| self.operand(a, fold::Prec::BitOr));
                    let hi = b.hi.as_ref().map(|a| self.operand(a, fold::Prec::BitOr));
                    if b.inclusive {
                        quote!(#t[#lo..=#hi])
                    } else {
                        quote!(#t[#lo..#hi])
                    }
                }
                Proj::Field(k) => {
                    let k = syn::Index::from(*k);
                    quote!(#t.#k)
                }
                Proj::Named(f) => quote!(#t.#f),
                // `(*a)[i]` reads better as `a[i]`, which auto-derefs.
                Proj::Deref
                    if matches!(
                        p.proj.get(i + 1),
                        Some(Proj::Index(_) | Proj::Slice(_) | Proj::Field(_) | Proj::Named(_))
                    ) =>
                {
                    t
                }
                Proj::Deref if i + 1 == n => quote!(*#t),
                Proj::Deref => quote!((*#t)),
            };
        }
        t
    }

    fn arg(&self, a: &Arg) -> TokenStream {
        match a {
            Arg::Value(x) => self.atom(x),
            Arg::Ref(p) => {
                let p = self.place(p);
                quote!(&#p)
            }
            Arg::RefMut(p) => {
                let p = self.place(p);
                quote!(&mut #p)
            }
            Arg::ZeroOf(inner) => self.zero_of_arg(inner),
            // An owned zero, borrowed mutably: never `&mut &zero`.
            Arg::MutZeroOf(inner) => {
                let (z, _) = self.zero_value(inner);
                quote!(&mut #z)
            }
        }
    }

    /// A zero shaped like a call argument, as the callee expects it
    /// (`0.0`, a zero array, or a reference to a zero buffer).
    fn zero_of_arg(&self, a: &Arg) -> TokenStream {
        match self.zero_value(a) {
            (z, Some(true)) => quote!(&mut #z),
            (z, Some(false)) => quote!(&#z),
            (z, None) => z,
        }
    }

    /// An owned zero shaped like the value a call argument passes, and
    /// whether the argument is a reference to it (`Some(mutable)`).
    fn zero_value(&self, a: &Arg) -> (TokenStream, Option<bool>) {
        if self.lanes {
            return self.lanes_zero_value(a);
        }
        let rt = crate::runtime::path();
        if crate::ty::float_param().is_some() {
            if let Some(z) = self.generic_zero_value(a) {
                return z;
            }
        }
        match a {
            Arg::Value(x) => match crate::typing::atom_ty(self.func, x) {
                Ty::Float(p) => (float_lit(0.0, p), None),
                Ty::Ref(m, t) if matches!(*t, Ty::Slice(_) | Ty::Vec(_)) => {
                    let x = self.atom(x);
                    (quote!(#rt::zero_vec(#x)), Some(m))
                }
                Ty::Ref(m, _) => {
                    let x = self.atom(x);
                    (quote!(#rt::zero_like(#x)), Some(m))
                }
                _ => {
                    let x = self.atom(x);
                    (quote!(#rt::zero_like(&#x)), None)
                }
            },
            Arg::Ref(p) | Arg::RefMut(p) => {
                let m = matches!(a, Arg::RefMut(_));
                let ty = crate::typing::place_ty(self.func, p);
                let p = self.place(p);
                if matches!(ty.deref(), Ty::Slice(_) | Ty::Vec(_)) {
                    (quote!(#rt::zero_vec(&#p)), Some(m))
                } else {
                    (quote!(#rt::zero_like(&#p)), Some(m))
                }
            }
            Arg::ZeroOf(inner) | Arg::MutZeroOf(inner) => self.zero_value(inner),
        }
    }

    /// [`Self::zero_value`] in vector mode: a zero of `Lanes`, shaped like
    /// the value.
    fn lanes_zero_value(&self, a: &Arg) -> (TokenStream, Option<bool>) {
        let (rt, w) = (crate::runtime::path(), crate::convention::width_ident());
        match a {
            Arg::Value(x) => match crate::typing::atom_ty(self.func, x) {
                Ty::Float(_) => (self.lanes_zero(x), None),
                Ty::Ref(m, _) => {
                    let x = self.atom(x);
                    (quote!(#rt::lanes_zero_like::<#w, _>(#x)), Some(m))
                }
                _ => {
                    let x = self.atom(x);
                    (quote!(#rt::lanes_zero_like::<#w, _>(&#x)), None)
                }
            },
            Arg::Ref(p) | Arg::RefMut(p) => {
                let m = matches!(a, Arg::RefMut(_));
                let p = self.place(p);
                (quote!(#rt::lanes_zero_like::<#w, _>(&#p)), Some(m))
            }
            Arg::ZeroOf(inner) | Arg::MutZeroOf(inner) => self.lanes_zero_value(inner),
        }
    }

    /// [`Self::zero_value`] in a function generic over its float type.
    fn generic_zero_value(&self, a: &Arg) -> Option<(TokenStream, Option<bool>)> {
        match a {
            Arg::Value(x) => {
                let ty = crate::typing::atom_ty(self.func, x);
                let m = match &ty {
                    Ty::Ref(m, _) => Some(*m),
                    _ => None,
                };
                let z = match ty.deref() {
                    Ty::Slice(_) | Ty::Vec(_) => generic::zero_vec(&ty, &self.atom(x))?,
                    _ => generic::zero(&ty, &self.atom(x))?,
                };
                Some((z, m))
            }
            Arg::Ref(p) | Arg::RefMut(p) => {
                let m = matches!(a, Arg::RefMut(_));
                let ty = crate::typing::place_ty(self.func, p);
                let p = self.place(p);
                let z = match ty.deref() {
                    Ty::Slice(_) | Ty::Vec(_) => generic::zero_vec(&ty, &p)?,
                    _ => generic::zero(&ty, &p)?,
                };
                Some((z, Some(m)))
            }
            Arg::ZeroOf(inner) | Arg::MutZeroOf(inner) => self.generic_zero_value(inner),
        }
    }

    /// The zero tangent of the float `x` in vector mode, of `x`'s
    /// precision when typing knows it.
    fn lanes_zero(&self, x: &Atom) -> TokenStream {
        let (rt, w) = (crate::runtime::path(), crate::convention::width_ident());
        match crate::typing::atom_ty(self.func, x) {
            Ty::Float(Some(p)) => {
                let p = quote::format_ident!("{}", p.name());
                quote!(#rt::Lanes::<#p, #w>::zero())
            }
            _ => match x {
                Atom::Var(_) => {
                    let x = self.atom(x);
                    quote!(#rt::lanes_zero_like::<#w, _>(&#x))
                }
                Atom::Const(_) => quote!(#rt::Lanes::<_, #w>::zero()),
            },
        }
    }

    /// Whether `a` is a tangent variable (vector mode casts them lane-wise).
    fn is_tangent(&self, a: &Atom) -> bool {
        a.var()
            .is_some_and(|v| matches!(self.func.info(v).origin, Origin::Tangent(_)))
    }

    /// `x = x + y` as `x += y`, as a person would write it (and as clippy's
    /// `assign_op_pattern` asks). Only rewrites that compute exactly the same
    /// value: two-term sums, and commuted `+`/`*`, which IEEE arithmetic
    /// leaves bit-identical.
    fn compound_assign(&self, place: &Place, op: &Op, span: Span) -> Option<TokenStream> {
        use crate::ir::BinOp as B;
        if !place.proj.is_empty() {
            return None;
        }
        // `T: Float` does not imply `AddAssign`: a generic float is
        // updated as `x = x + y`.
        if crate::ty::float_param().is_some()
            && !matches!(
                self.func.info(place.base).ty,
                Ty::Int | Ty::Float(Some(Prec::F64 | Prec::F32))
            )
        {
            return None;
        }
        // The target itself, or a folded copy of it (`t18 = power`).
        let is_self = |a: &Atom| match a {
            Atom::Var(v) => {
                *v == place.base
                    || self
                        .folds
                        .get(*v)
                        .is_some_and(|(o, _)| o.copy_of() == Some(place.base))
            }
            Atom::Const(_) => false,
        };
        // `x = t9` with `t9 = x * y` folded is `x *= y` too.
        let op = op
            .copy_of()
            .and_then(|v| self.folds.get(v))
            .map_or(op, |(o, _)| o);
        let (o, rhs) = match op {
            Op::Bin(b, x, y) => {
                let rhs = if is_self(x) {
                    y
                } else if is_self(y) && matches!(b, B::Add | B::Mul) {
                    x
                } else {
                    return None;
                };
                (assign_tokens(*b, span)?, self.atom(rhs))
            }
            Op::Lin(terms) => match terms.as_slice() {
                [first, second]
                    if is_self(&first.value)
                        && !first.scale.neg
                        && first.scale.mul.is_none()
                        && first.scale.div.is_none() =>
                {
                    let o = if second.scale.neg {
                        quote_spanned!(span=> -=)
                    } else {
                        quote_spanned!(span=> +=)
                    };
                    let term = crate::ir::Term {
                        value: second.value.clone(),
                        scale: crate::ir::Scale {
                            neg: false,
                            ..second.scale.clone()
                        },
                    };
                    (o, self.op(&Op::Lin(vec![term]), span))
                }
                _ => return None,
            },
            _ => return None,
        };
        let place = self.place(place);
        Some(quote_spanned!(span=> #place #o #rhs;))
    }
}

use quote::ToTokens;

/// An identifier that may be raw (`r#type`); `Ident::new` would panic on it.
fn make_ident(name: &str, span: Span) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, span),
        None => syn::Ident::new(name, span),
    }
}

fn const_tokens(c: &Const) -> TokenStream {
    match c {
        Const::Float(x) => unsuffixed(*x).into_token_stream(),
        Const::FloatT(x) => float_lit(*x, Some(Prec::Generic)),
        Const::Lit(l) => l.into_token_stream(),
        Const::Path(p) => p.into_token_stream(),
        Const::Unit => quote!(()),
    }
}

/// A float constant of the derivative: an unsuffixed literal, whose
/// precision rustc infers, or in a function generic over its float type
/// `T`, where no literal has type `T`, `lit::<T>(x)`.
///
/// `prec` is the constant's precision where codegen knows it; `None` is a
/// constant of the float type parameter in a generic function.
pub(crate) fn float_lit(x: f64, prec: Option<Prec>) -> TokenStream {
    let generic = match prec {
        Some(p) => p == Prec::Generic,
        None => crate::ty::float_param().is_some(),
    };
    let lit = unsuffixed(x);
    match crate::ty::float_param() {
        Some(t) if generic => {
            let rt = crate::runtime::path();
            quote!(#rt::lit::<#t>(#lit))
        }
        _ => lit.into_token_stream(),
    }
}

fn unsuffixed(x: f64) -> Literal {
    Literal::f64_unsuffixed(if x.is_finite() { x } else { 0.0 })
}

/// `+=` for `+`, and so on; `None` for comparisons, which have no such form.
fn assign_tokens(b: crate::ir::BinOp, span: Span) -> Option<TokenStream> {
    use crate::ir::BinOp as B;
    Some(match b {
        B::Add => quote_spanned!(span=> +=),
        B::Sub => quote_spanned!(span=> -=),
        B::Mul => quote_spanned!(span=> *=),
        B::Div => quote_spanned!(span=> /=),
        B::Rem => quote_spanned!(span=> %=),
        B::BitAnd => quote_spanned!(span=> &=),
        B::BitOr => quote_spanned!(span=> |=),
        B::BitXor => quote_spanned!(span=> ^=),
        B::Shl => quote_spanned!(span=> <<=),
        B::Shr => quote_spanned!(span=> >>=),
        B::Lt | B::Le | B::Gt | B::Ge | B::Eq | B::Ne => return None,
    })
}

fn bin_tokens(b: crate::ir::BinOp, span: Span) -> TokenStream {
    use crate::ir::BinOp as B;
    let tokens = match b {
        B::Add => quote!(+),
        B::Sub => quote!(-),
        B::Mul => quote!(*),
        B::Div => quote!(/),
        B::Rem => quote!(%),
        B::Lt => quote!(<),
        B::Le => quote!(<=),
        B::Gt => quote!(>),
        B::Ge => quote!(>=),
        B::Eq => quote!(==),
        B::Ne => quote!(!=),
        B::BitAnd => quote!(&),
        B::BitOr => quote!(|),
        B::BitXor => quote!(^),
        B::Shl => quote!(<<),
        B::Shr => quote!(>>),
    };
    tokens
        .into_iter()
        .map(|mut t| {
            t.set_span(span);
            t
        })
        .collect()
}

/// Whether a `.rev()` follows `.take(..)` or `.step_by(..)`: the standard
/// library reverses those only over exact-size ranges, which ranges of
/// `u64`, `i64`, the 128-bit types and inclusive ranges are not.
fn needs_exact_size(adapters: &[RangeAdapter]) -> bool {
    let mut sized = false;
    for a in adapters {
        match a {
            RangeAdapter::Take(_) | RangeAdapter::StepBy(_) | RangeAdapter::Skip(_) => sized = true,
            RangeAdapter::Rev if sized => return true,
            RangeAdapter::Rev => {}
        }
    }
    false
}

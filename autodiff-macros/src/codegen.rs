//! Codegen: the only stage that makes tokens.
//!
//! User variables are emitted with their own spans, so a type error in the
//! user's code points at the user's tokens. Generated names use
//! `Span::mixed_site()`, so user code cannot name them by accident.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::ir::{
    Arg, Atom, Block, Const, Func, Op, Origin, Pat, Place, Proj, RangeAdapter, Stmt, VarId,
};
use crate::names::Names;
use crate::ty::Ty;

/// What surrounds a generated function body.
pub struct FnShell<'a> {
    pub attrs: TokenStream,
    pub vis: &'a syn::Visibility,
    pub name: syn::Ident,
    pub generics: &'a syn::Generics,
    pub ret: Option<TokenStream>,
    /// Statements that run first: checks rustc must make on the parameters.
    pub prologue: TokenStream,
}

pub struct Gen<'f> {
    func: &'f Func,
    names: Names,
    mutated: std::collections::HashSet<VarId>,
    read: std::collections::HashSet<VarId>,
}

/// Emits a whole function.
pub fn function(func: &Func, shell: &FnShell<'_>) -> TokenStream {
    let g = Gen {
        func,
        names: crate::names::assign(func),
        mutated: crate::usage::mutated(&func.body),
        read: crate::usage::read(&func.body),
    };
    let params = func.params.iter().map(|p| {
        let name = g.ident(p.var);
        let ty = &p.ty;
        let m = g.mut_token(p.var);
        quote!(#m #name: #ty)
    });
    let body = g.block(&func.body, true);
    let FnShell {
        attrs,
        vis,
        name,
        generics,
        ret,
        prologue,
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

impl Gen<'_> {
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
        let n = b.len();
        b.iter()
            .enumerate()
            .map(|(i, s)| match s {
                // The function's final `return` reads better as a tail expression.
                Stmt::Return(Some(op)) if top && i + 1 == n => self.op(op, Span::call_site()),
                s => self.stmt(s),
            })
            .collect()
    }

    fn stmt(&self, s: &Stmt) -> TokenStream {
        match s {
            Stmt::Let { pat, init, span } => {
                let pat = match pat {
                    Pat::Var(v) => {
                        let info = self.func.info(*v);
                        let name = self.ident(*v);
                        let m = self.mut_token(*v);
                        let ty = info.declared.as_ref().map(|t| quote!(: #t));
                        quote!(#m #name #ty)
                    }
                    Pat::Tuple(vs) => {
                        let parts = vs.iter().map(|v| match v {
                            Some(v) => {
                                let m = self.mut_token(*v);
                                let name = self.ident(*v);
                                quote!(#m #name)
                            }
                            None => quote!(_),
                        });
                        quote!((#(#parts),*))
                    }
                };
                match init {
                    Some(op) => {
                        let op = self.op(op, *span);
                        quote_spanned!(*span=> let #pat = #op;)
                    }
                    None => quote!(let #pat;),
                }
            }
            Stmt::Assign { place, op, span } => {
                if let Some(tokens) = self.compound_assign(place, op, *span) {
                    return tokens;
                }
                let place = self.place(place);
                let op = self.op(op, *span);
                quote_spanned!(*span=> #place = #op;)
            }
            Stmt::Eval { op, span } => {
                let op = self.op(op, *span);
                quote_spanned!(*span=> #op;)
            }
            Stmt::If { cond, then, els } => {
                let cond = self.atom(cond);
                let then = self.block(then, false);
                if els.is_empty() {
                    quote!(if #cond { #then })
                } else if let [nested @ Stmt::If { .. }] = els.as_slice() {
                    let nested = self.stmt(nested);
                    quote!(if #cond { #then } else #nested)
                } else {
                    let els = self.block(els, false);
                    quote!(if #cond { #then } else { #els })
                }
            }
            Stmt::For {
                var,
                range,
                body,
                label,
            } => {
                let var = if self.read.contains(var) {
                    self.ident(*var).into_token_stream()
                } else {
                    quote!(_)
                };
                let start = self.atom(&range.start);
                let end = self.atom(&range.end);
                let dots = if range.inclusive {
                    quote!(..=)
                } else {
                    quote!(..)
                };
                let mut iter = if needs_exact_size(&range.adapters) {
                    // `Take<Range<u64>>` and `StepBy<Range<u64>>` cannot be
                    // reversed (`Range<u64>` is not exact-size), nor can any
                    // inclusive range: count through the runtime instead.
                    let f = if range.inclusive {
                        quote!(indices_inclusive)
                    } else {
                        quote!(indices)
                    };
                    quote!(::autodiff::__rt::#f(#start, #end))
                } else {
                    quote!(#start #dots #end)
                };
                if !range.adapters.is_empty() {
                    iter = quote!((#iter));
                    for a in &range.adapters {
                        iter = match a {
                            RangeAdapter::Rev => quote!(#iter.rev()),
                            RangeAdapter::Take(k) => {
                                let k = self.atom(k);
                                quote!(#iter.take(#k))
                            }
                            RangeAdapter::StepBy(k) => {
                                let k = self.atom(k);
                                quote!(#iter.step_by(#k))
                            }
                        };
                    }
                }
                let body = self.block(body, false);
                let label = label.as_ref().map(|l| quote!(#l:));
                quote!(#label for #var in #iter { #body })
            }
            Stmt::Loop { body, label } => {
                let body = self.block(body, false);
                let label = label.as_ref().map(|l| quote!(#l:));
                quote!(#label loop { #body })
            }
            Stmt::Break(l) => quote!(break #l;),
            Stmt::Continue(l) => quote!(continue #l;),
            Stmt::Return(None) => quote!(return;),
            Stmt::Return(Some(op)) => {
                let op = self.op(op, Span::call_site());
                quote!(return #op;)
            }
            Stmt::Accum { place, op, span } => {
                let target = self.place(place);
                // Non-scalar adjoints add element by element.
                if let Op::Use(a) = op {
                    let ty = crate::typing::atom_ty(self.func, a);
                    if !matches!(ty, Ty::Float(_)) {
                        let a = self.atom(a);
                        return quote_spanned!(*span=> ::autodiff::__rt::accumulate(&mut #target, &#a););
                    }
                }
                let op = self.op(op, *span);
                quote_spanned!(*span=> #target += #op;)
            }
            Stmt::TapePush { tape, value } => {
                let tape = self.ident(*tape);
                let value = self.atom(value);
                quote!(#tape.push(#value);)
            }
            Stmt::Match { scrut, arms } => {
                let scrut = self.atom(scrut);
                let arms = arms.iter().map(|(k, b)| {
                    let k = Literal::usize_unsuffixed(*k);
                    let b = self.block(b, false);
                    quote!(#k => { #b })
                });
                quote! {
                    match #scrut {
                        #(#arms)*
                        _ => ::core::unreachable!("autodiff: unknown exit code (internal error; please report)"),
                    }
                }
            }
            Stmt::Block { label, body } => {
                let body = self.block(body, false);
                quote!(#label: { #body })
            }
            Stmt::Assert { mac, args, rest } => {
                let args = args.iter().map(|a| self.atom(a));
                quote!(#mac!(#(#args),* #rest);)
            }
        }
    }

    fn atom(&self, a: &Atom) -> TokenStream {
        match a {
            Atom::Var(v) => self.ident(*v).into_token_stream(),
            Atom::Const(c) => const_tokens(c),
        }
    }

    fn place(&self, p: &Place) -> TokenStream {
        let mut t = self.ident(p.base).into_token_stream();
        let n = p.proj.len();
        for (i, proj) in p.proj.iter().enumerate() {
            t = match proj {
                Proj::Index(a) => {
                    let a = self.atom(a);
                    quote!(#t[#a])
                }
                Proj::Field(k) => {
                    let k = syn::Index::from(*k);
                    quote!(#t.#k)
                }
                // `(*a)[i]` reads better as `a[i]`, which auto-derefs.
                Proj::Deref
                    if matches!(p.proj.get(i + 1), Some(Proj::Index(_) | Proj::Field(_))) =>
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
            Arg::MutZeroOf(inner) => {
                let z = self.zero_of_arg(inner);
                quote!(&mut #z)
            }
        }
    }

    /// A zero shaped like a call argument, as the callee expects it
    /// (`0.0`, a zero array, or a reference to a zero buffer).
    fn zero_of_arg(&self, a: &Arg) -> TokenStream {
        let rt = quote!(::autodiff::__rt);
        match a {
            Arg::Value(x) => match crate::typing::atom_ty(self.func, x) {
                Ty::Float(_) => quote!(0.0),
                Ty::Ref(m, t) if matches!(*t, Ty::Slice(_) | Ty::Vec(_)) => {
                    let x = self.atom(x);
                    let m = m.then(|| quote!(mut));
                    quote!(&#m #rt::zero_vec(#x))
                }
                Ty::Ref(m, _) => {
                    let x = self.atom(x);
                    let m = m.then(|| quote!(mut));
                    quote!(&#m #rt::zero_like(#x))
                }
                _ => {
                    let x = self.atom(x);
                    quote!(#rt::zero_like(&#x))
                }
            },
            Arg::Ref(p) | Arg::RefMut(p) => {
                let m = matches!(a, Arg::RefMut(_)).then(|| quote!(mut));
                let ty = crate::typing::place_ty(self.func, p);
                let p = self.place(p);
                if matches!(ty.deref(), Ty::Slice(_) | Ty::Vec(_)) {
                    quote!(&#m #rt::zero_vec(&#p))
                } else {
                    quote!(&#m #rt::zero_like(&#p))
                }
            }
            Arg::ZeroOf(inner) | Arg::MutZeroOf(inner) => self.zero_of_arg(inner),
        }
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
        let is_self = |a: &Atom| matches!(a, Atom::Var(v) if *v == place.base);
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

    fn op(&self, op: &Op, span: Span) -> TokenStream {
        match op {
            Op::Use(a) => self.atom(a),
            Op::Load(p) => self.place(p),
            Op::Bin(b, x, y) => {
                let (x, y) = (self.atom(x), self.atom(y));
                let o = bin_tokens(*b, span);
                quote!(#x #o #y)
            }
            Op::Unary(u, x) => {
                let x = self.atom(x);
                match u {
                    crate::ir::UnOp::Neg => quote_spanned!(span=> -#x),
                    crate::ir::UnOp::Not => quote_spanned!(span=> !#x),
                }
            }
            Op::Cast(x, t) => {
                let x = self.atom(x);
                quote_spanned!(span=> #x as #t)
            }
            Op::CastPrec(x, p) => {
                let x = self.atom(x);
                let p = format_ident!("{}", p.name());
                quote!(#x as #p)
            }
            Op::Elem(e, args, prec) => {
                let name = format_ident!("{}", e.name(), span = span);
                // `2.0.sqrt()` does not compile: an unsuffixed literal needs `f64::sqrt(2.0)`.
                let recv_is_literal = match args.first() {
                    Some(Atom::Const(Const::Float(_))) => true,
                    Some(Atom::Const(Const::Lit(syn::Lit::Float(f)))) => f.suffix().is_empty(),
                    Some(Atom::Const(Const::Lit(syn::Lit::Int(i)))) => i.suffix().is_empty(),
                    _ => false,
                };
                let prec = prec.or_else(|| {
                    args.iter()
                        .find_map(|a| crate::typing::atom_ty(self.func, a).prec())
                });
                let all: Vec<TokenStream> = args.iter().map(|a| self.atom(a)).collect();
                if recv_is_literal {
                    let p = format_ident!("{}", prec.unwrap_or(crate::ty::Prec::F64).name());
                    quote!(#p::#name(#(#all),*))
                } else {
                    let recv = &all[0];
                    let rest = &all[1..];
                    quote!(#recv.#name(#(#rest),*))
                }
            }
            Op::Method(recv, name, args) => {
                let recv = self.atom(recv);
                let args = args.iter().map(|a| self.atom(a));
                quote!(#recv.#name(#(#args),*))
            }
            Op::Call(callee, args) => {
                let mut path = callee.path.clone();
                if let (Some(suffix), Some(last)) = (callee.suffix, path.segments.last_mut()) {
                    last.ident =
                        format_ident!("{}{}", last.ident, suffix, span = last.ident.span());
                }
                let args = args.iter().map(|a| self.arg(a));
                quote!(#path(#(#args),*))
            }
            Op::Tuple(xs) => {
                let xs: Vec<_> = xs.iter().map(|a| self.atom(a)).collect();
                if xs.len() == 1 {
                    let x = &xs[0];
                    quote!((#x,))
                } else {
                    quote!((#(#xs),*))
                }
            }
            Op::Array(xs) => {
                let xs = xs.iter().map(|a| self.atom(a));
                quote!([#(#xs),*])
            }
            Op::Repeat(x, n) => {
                let x = self.atom(x);
                quote!([#x; #n])
            }
            Op::VecRepeat(x, n) => {
                let (x, n) = (self.atom(x), self.atom(n));
                quote!(::std::vec![#x; #n])
            }
            Op::VecList(xs) => {
                let xs = xs.iter().map(|a| self.atom(a));
                quote!(::std::vec![#(#xs),*])
            }
            Op::Len(p) => {
                let deref = matches!(p.proj.last(), Some(Proj::Deref));
                let p = self.place(p);
                if deref {
                    quote!((#p).len())
                } else {
                    quote!(#p.len())
                }
            }
            Op::Ref(p, m) => {
                let p = self.place(p);
                if *m {
                    quote!(&mut #p)
                } else {
                    quote!(&#p)
                }
            }
            Op::InRange {
                x,
                lo,
                hi,
                inclusive,
            } => {
                let x = self.atom(x);
                let lo = lo.as_ref().map(|a| self.atom(a));
                let hi = hi.as_ref().map(|a| self.atom(a));
                let dots = if *inclusive && hi.is_some() {
                    quote_spanned!(span=> ..=)
                } else {
                    quote_spanned!(span=> ..)
                };
                quote_spanned!(span=> (#lo #dots #hi).contains(&#x))
            }
            Op::Select(c, a, b) => {
                let (c, a, b) = (self.atom(c), self.atom(a), self.atom(b));
                quote!(if #c { #a } else { #b })
            }
            Op::Lin(terms) => {
                let mut out = TokenStream::new();
                for (i, t) in terms.iter().enumerate() {
                    let mut term = self.atom(&t.value);
                    if let Some(m) = &t.scale.mul {
                        let m = self.atom(m);
                        term = quote_spanned!(span=> #term * #m);
                    }
                    if let Some(d) = &t.scale.div {
                        let d = self.atom(d);
                        term = quote_spanned!(span=> #term / #d);
                    }
                    out.extend(match (i, t.scale.neg) {
                        (0, false) => term,
                        (0, true) => quote_spanned!(span=> -#term),
                        (_, false) => quote_spanned!(span=> + #term),
                        (_, true) => quote_spanned!(span=> - #term),
                    });
                }
                if terms.is_empty() {
                    quote!(0.0)
                } else {
                    out
                }
            }
            Op::Default => quote!(::core::default::Default::default()),
            Op::ZeroVec(a) => {
                let a = self.atom(a);
                quote!(::autodiff::__rt::zero_vec(#a))
            }
            Op::TapeNew(0) => quote!(::autodiff::__rt::Tape::<_, 0>::heap()),
            Op::TapeNew(cap) => {
                let cap = Literal::usize_unsuffixed(*cap);
                quote!(::autodiff::__rt::Tape::<_, #cap>::new())
            }
            Op::TapePeek(t, d) => {
                let t = self.ident(*t);
                let d = self.atom(d);
                quote!(#t.peek(#d))
            }
            Op::TapePop(t) => {
                let t = self.ident(*t);
                quote!(#t.pop())
            }
            Op::ZeroLike(a) => {
                // A zero of the referenced value for a reference (`&[f64; 3]`).
                let is_ref = matches!(crate::typing::atom_ty(self.func, a), Ty::Ref(..));
                let a = self.atom(a);
                if is_ref {
                    quote!(::autodiff::__rt::zero_like(#a))
                } else {
                    quote!(::autodiff::__rt::zero_like(&#a))
                }
            }
        }
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
        Const::Float(x) => {
            let lit = if x.is_finite() {
                Literal::f64_unsuffixed(*x)
            } else {
                Literal::f64_unsuffixed(0.0)
            };
            lit.into_token_stream()
        }
        Const::Lit(l) => l.into_token_stream(),
        Const::Path(p) => p.into_token_stream(),
        Const::Unit => quote!(()),
    }
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
            RangeAdapter::Take(_) | RangeAdapter::StepBy(_) => sized = true,
            RangeAdapter::Rev if sized => return true,
            RangeAdapter::Rev => {}
        }
    }
    false
}

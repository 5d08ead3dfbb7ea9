//! Tokens for nalgebra operations ([`LaOp`]). Matrix operands are passed
//! by reference (`&a * &b`, `a.dot(&b)`), so no operation moves a value
//! that the reverse sweep, or a later tangent, still reads.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use super::fold::Prec as P;
use super::Writer;
use crate::ir::{Atom, LaOp, Op, Place};
use crate::ty::Ty;

impl Writer<'_> {
    /// A matrix operand as a shared reference: `&a` for an owned value, `a`
    /// for a `&` one, `&*a` for a `&mut` one; a scalar as it is.
    fn la_ref(&self, a: &Atom) -> TokenStream {
        let ty = crate::typing::atom_ty(self.func, a);
        match ty {
            Ty::La(_) => {
                let x = self.operand(a, P::Unary);
                quote!(&#x)
            }
            Ty::Ref(m, inner) => {
                let x = self.operand(a, P::Unary);
                let mut depth = 1;
                let mut t = &*inner;
                while let Ty::Ref(_, i) = t {
                    depth += 1;
                    t = i;
                }
                match (depth, m) {
                    (1, false) => x,
                    (1, true) => quote!(&*#x),
                    _ => {
                        let stars = (1..depth).map(|_| quote!(*));
                        quote!(&#(#stars)* #x)
                    }
                }
            }
            _ => self.operand(a, P::Product),
        }
    }

    /// A method receiver: the value itself (methods auto-reference).
    fn la_recv(&self, a: &Atom) -> TokenStream {
        self.operand(a, P::Primary)
    }

    /// `op(args)` on nalgebra values.
    pub(super) fn la(&self, op: &LaOp, args: &[Atom], span: Span) -> (TokenStream, P) {
        let arg = |i: usize| args.get(i).map(|a| self.la_ref(a)).unwrap_or_default();
        let recv = |i: usize| args.get(i).map(|a| self.la_recv(a)).unwrap_or_default();
        let rt = crate::runtime::path();
        let t = match op {
            LaOp::Mul => {
                let (a, b) = (arg(0), arg(1));
                return (quote_spanned!(span=> #a * #b), P::Product);
            }
            LaOp::Add => {
                let (a, b) = (arg(0), arg(1));
                return (quote_spanned!(span=> #a + #b), P::Sum);
            }
            LaOp::Sub => {
                let (a, b) = (arg(0), arg(1));
                return (quote_spanned!(span=> #a - #b), P::Sum);
            }
            LaOp::Neg => {
                let a = arg(0);
                return (quote_spanned!(span=> -(#a)), P::Unary);
            }
            // Methods named as in nalgebra (`LaOp::name`), the receiver by
            // value (methods auto-reference), the other operands by reference.
            LaOp::ComponentMul
            | LaOp::Clone
            | LaOp::Transpose
            | LaOp::Dot
            | LaOp::NormSquared
            | LaOp::Norm
            | LaOp::Sum
            | LaOp::Dim(_) => {
                let method = syn::Ident::new(op.name(), span);
                let rest = (1..args.len()).map(arg);
                let a = recv(0);
                quote_spanned!(span=> #a.#method(#(#rest),*))
            }
            LaOp::Map(f) => {
                let (a, c) = (recv(0), &f.closure);
                quote_spanned!(span=> #a.map(#c))
            }
            LaOp::MapDeriv(f) => {
                let a = recv(0);
                let jvp = crate::expand::map_jvp(&f.item);
                let name = crate::convention::Kind::Jvp.name_of(&f.item.sig.ident);
                let prec = crate::typing::atom_ty(self.func, &args[0])
                    .prec()
                    .unwrap_or(crate::ty::Prec::F64)
                    .tokens();
                quote_spanned!(span=> #a.map(|v: #prec| { #jvp #name(v, 1.0).1 }))
            }
            LaOp::MulTr => {
                let (s, b) = (arg(0), recv(1));
                return (quote_spanned!(span=> #s * #b.transpose()), P::Product);
            }
            LaOp::TrMul => {
                let (a, s) = (recv(0), arg(1));
                quote_spanned!(span=> #a.tr_mul(#s))
            }
            LaOp::Fill => {
                let (a, s) = (arg(0), self.operand(&args[1], P::Primary));
                quote_spanned!(span=> #rt::la::fill_like(#a, #s))
            }
        };
        (t, P::Primary)
    }

    /// `place += op` for a nalgebra adjoint, when a fused runtime call does
    /// it without a temporary matrix: `ger`/`gemm` for `seed bᵀ`,
    /// `gemv_tr`/`gemm_tr` for `aᵀ seed`, `axpy` for a scaled matrix.
    pub(super) fn la_accumulate(&self, place: &Place, op: &Op, span: Span) -> Option<TokenStream> {
        if !crate::typing::place_ty(self.func, place).is_linalg() {
            return None;
        }
        let target = self.place(place);
        let rt = crate::runtime::path();
        let Op::La(l, args) = op else {
            return None;
        };
        let r = |i: usize| self.la_ref(&args[i]);
        let scalar = |i: usize| {
            matches!(
                crate::typing::atom_ty(self.func, &args[i]).deref(),
                Ty::Float(_)
            )
        };
        Some(match l {
            LaOp::MulTr => {
                let (s, b) = (r(0), r(1));
                quote_spanned!(span=> #rt::la::add_mul_tr(&mut #target, #s, #b);)
            }
            LaOp::TrMul => {
                let (a, s) = (r(0), r(1));
                quote_spanned!(span=> #rt::la::add_tr_mul(&mut #target, #a, #s);)
            }
            LaOp::Mul if scalar(0) != scalar(1) => {
                let (k, m) = if scalar(0) { (0, 1) } else { (1, 0) };
                let (k, m) = (self.operand(&args[k], P::Primary), r(m));
                quote_spanned!(span=> #rt::la::add_scaled(&mut #target, #k, #m);)
            }
            _ => return None,
        })
    }
}

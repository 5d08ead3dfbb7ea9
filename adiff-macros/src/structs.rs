//! User structs as differentiable values: `#[derive(Differentiable)]`.
//!
//! An attribute sees only the function it is on, not the struct a
//! parameter's type names, so the classification reads the source file
//! the attribute was invoked from (as `callees.rs` does): a struct of that
//! file whose derives include `Differentiable`, with named fields and no
//! generics, is differentiable field by field. For a method, `Self` is the
//! type of the one `impl` block of the file that holds a method of that
//! name. A struct the macro cannot see this way stays what it was: a type
//! rustc must prove constant (`adiff::Constant`), never silently a
//! constant.
//!
//! The derive itself implements the runtime's `ZeroLike` and `Accumulate`
//! field by field, which is all the calling convention needs: a tangent is
//! a `&Params`, an adjoint a `&mut Params`, a gradient entry a `Params`.

use std::collections::HashMap;
use std::rc::Rc;

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit::Visit;

use crate::ty::{StructTy, Ty};

/// The differentiable structs of one source file, and `Self`.
#[derive(Default, Debug)]
pub struct Structs {
    /// Field names and written types, by struct name.
    defs: HashMap<String, Vec<(String, syn::Type)>>,
    /// The struct `Self` names in the function being expanded.
    self_ty: Option<String>,
}

impl Structs {
    /// The struct named `name` (`Self` included), as a `Ty`.
    pub fn ty(&self, name: &str) -> Option<Rc<StructTy>> {
        let name = match name {
            "Self" => self.self_ty.as_deref()?,
            n => n,
        };
        let fields = self.defs.get(name)?;
        Some(Rc::new(StructTy {
            name: name.to_owned(),
            fields: fields
                .iter()
                .map(|(f, t)| (f.clone(), Ty::from_syn(t)))
                .collect(),
        }))
    }
}

/// The differentiable structs of the file at `path`, with `Self` resolved
/// for the method `method` (when it is one).
pub fn in_file(path: Option<&std::path::Path>, method: Option<&syn::Ident>) -> Rc<Structs> {
    let Some(path) = path else {
        return Rc::default();
    };
    let Some(file) = std::fs::read_to_string(path)
        .ok()
        .and_then(|s| syn::parse_file(&s).ok())
    else {
        return Rc::default();
    };
    let mut v = Finder::default();
    v.visit_file(&file);
    let self_ty = method.and_then(|m| {
        let owners: Vec<&String> = v
            .impls
            .iter()
            .filter(|(_, methods)| methods.contains(&m.to_string()))
            .map(|(ty, _)| ty)
            .collect();
        match owners.as_slice() {
            [one] => Some((*one).clone()),
            _ => None,
        }
    });
    Rc::new(Structs {
        defs: v.defs,
        self_ty,
    })
}

#[derive(Default)]
struct Finder {
    defs: HashMap<String, Vec<(String, syn::Type)>>,
    /// Inherent `impl` blocks: the type's name and its methods' names.
    impls: Vec<(String, Vec<String>)>,
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        let derives = s.attrs.iter().any(|a| {
            a.path().is_ident("derive")
                && a.parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .is_ok_and(|ps| {
                    ps.iter().any(|p| {
                        p.segments
                            .last()
                            .is_some_and(|l| l.ident == "Differentiable")
                    })
                })
        });
        if !derives || !s.generics.params.is_empty() {
            return;
        }
        let syn::Fields::Named(named) = &s.fields else {
            return;
        };
        let fields = named
            .named
            .iter()
            .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
            .collect();
        self.defs.insert(s.ident.to_string(), fields);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if i.trait_.is_none() {
            if let syn::Type::Path(p) = &*i.self_ty {
                if let Some(id) = p.path.get_ident() {
                    let methods = i
                        .items
                        .iter()
                        .filter_map(|it| match it {
                            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                            _ => None,
                        })
                        .collect();
                    self.impls.push((id.to_string(), methods));
                }
            }
        }
        syn::visit::visit_item_impl(self, i);
    }
}

/// `#[derive(Differentiable)]`: `ZeroLike` and `Accumulate` field by field.
pub fn derive(item: TokenStream) -> TokenStream {
    let s = match syn::parse2::<syn::ItemStruct>(item) {
        Ok(s) => s,
        Err(_) => {
            return syn::Error::new(
                proc_macro2::Span::call_site(),
                "`#[derive(Differentiable)]` applies to a struct with named fields",
            )
            .to_compile_error();
        }
    };
    let syn::Fields::Named(named) = &s.fields else {
        return syn::Error::new_spanned(&s.ident, "`#[derive(Differentiable)]` needs named fields (`struct Params { w: Vec<f64>, b: f64 }`)").to_compile_error();
    };
    if !s.generics.params.is_empty() {
        return syn::Error::new_spanned(&s.generics, "`#[derive(Differentiable)]` on a generic struct is not supported yet; write the struct for `f64` or `f32`").to_compile_error();
    }
    let rt = crate::runtime::path();
    let name = &s.ident;
    let fields: Vec<&syn::Ident> = named
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref())
        .collect();
    quote! {
        impl #rt::ZeroLike for #name {
            fn zero_like(&self) -> Self {
                #name { #(#fields: #rt::ZeroLike::zero_like(&self.#fields),)* }
            }
        }
        impl #rt::Accumulate for #name {
            fn accumulate(&mut self, other: &Self) {
                #(#rt::Accumulate::accumulate(&mut self.#fields, &other.#fields);)*
            }
        }
    }
}

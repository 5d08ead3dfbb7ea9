//! A small lattice of Rust types, enough to tell floats from integers.
//!
//! A proc macro sees tokens, not types. Parameter and `let` annotations give
//! types; literals, casts and operations propagate them. That is enough to
//! decide which values are differentiable and to pick `f32` or `f64` where
//! generated code must name a precision.

/// Floating-point precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prec {
    F32,
    F64,
    /// The function's float type parameter (`T` in `fn f<T: Float>`), whose
    /// name [`float_param`] gives.
    Generic,
}

impl Prec {
    /// The type's name as the user's code spells it (`f64`, `T`).
    pub fn name(self) -> String {
        match self {
            Prec::F32 => "f32".to_owned(),
            Prec::F64 => "f64".to_owned(),
            Prec::Generic => float_param().map_or_else(|| "f64".to_owned(), |t| t.to_string()),
        }
    }

    /// The precision a type name denotes: `f32`, `f64`, or the function's
    /// float type parameter.
    pub fn from_name(s: &str) -> Option<Prec> {
        match s {
            "f32" => Some(Prec::F32),
            "f64" => Some(Prec::F64),
            _ if float_param().is_some_and(|t| t == s) => Some(Prec::Generic),
            _ => None,
        }
    }

    /// The type as tokens, spanned at the call site.
    pub fn tokens(self) -> proc_macro2::TokenStream {
        let id = syn::Ident::new(&self.name(), proc_macro2::Span::call_site());
        quote::quote!(#id)
    }
}

thread_local! {
    /// The float type parameter of the function being expanded. Kept per
    /// thread for one expansion, like the runtime's path (`runtime.rs`):
    /// type classification (`Ty::from_syn`, `Prec::from_name`) and codegen
    /// both need it, in dozens of places that otherwise know nothing of
    /// the function's generics.
    static FLOAT_PARAM: std::cell::RefCell<Option<syn::Ident>> = const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// The structs deriving `Differentiable` that the expansion can see
    /// (`structs.rs`), by name, with their fields' written types.
    static STRUCTS: std::cell::RefCell<std::rc::Rc<crate::structs::Structs>> = std::cell::RefCell::new(Default::default());
}

/// Runs `f` with `structs` as the differentiable structs in scope.
pub fn with_structs<R>(structs: std::rc::Rc<crate::structs::Structs>, f: impl FnOnce() -> R) -> R {
    let old = STRUCTS.with(|s| s.replace(structs));
    let out = f();
    STRUCTS.with(|s| *s.borrow_mut() = old);
    out
}

/// The float type parameter of the function being expanded (`T` in
/// `fn f<T: Float>`), if it has one.
pub fn float_param() -> Option<syn::Ident> {
    FLOAT_PARAM.with(|p| p.borrow().clone())
}

/// Runs `f` with `param` as the float type parameter; restores the previous
/// one afterwards.
pub fn with_float_param<R>(param: Option<syn::Ident>, f: impl FnOnce() -> R) -> R {
    let old = FLOAT_PARAM.with(|p| p.replace(param));
    let out = f();
    FLOAT_PARAM.with(|p| *p.borrow_mut() = old);
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A float scalar; `None` when only "some float" is known.
    Float(Option<Prec>),
    Int,
    Bool,
    Unit,
    Array(Box<Ty>),
    Slice(Box<Ty>),
    Vec(Box<Ty>),
    Tuple(Vec<Ty>),
    Ref(bool, Box<Ty>),
    /// A type this crate does not model (a user type, a generic, an alias).
    /// It may hold floats, so it is not known to be constant.
    Other,
    /// A type known to carry no derivative: `char`, `str`, `String`, and a
    /// parameter the user declared constant (`constant(p)`, or a type that
    /// implements the runtime's `Constant` trait, which rustc checks).
    Opaque,
    /// A struct deriving `Differentiable` (`structs.rs`): its name and
    /// its named fields' types.
    Struct(std::rc::Rc<StructTy>),
    /// A nalgebra matrix or vector of floats (`DVector<f64>`,
    /// `DMatrix<f32>`, `SVector<f64, 3>`, ...), differentiated as a whole
    /// by the linear-algebra rules (`rules/linalg.rs`). Its shape is
    /// rustc's business: every rule is written with nalgebra's own
    /// operations, which are defined for each pair of shapes they accept.
    La(Prec),
    /// Not known yet.
    Unknown,
}

/// The fields of a differentiable struct, as `Ty`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructTy {
    pub name: String,
    pub fields: Vec<(String, Ty)>,
}

impl Ty {
    /// Converts a written type.
    pub fn from_syn(t: &syn::Type) -> Ty {
        match t {
            syn::Type::Path(p) if p.qself.is_none() => {
                let Some(last) = p.path.segments.last() else {
                    return Ty::Other;
                };
                let name = last.ident.to_string();
                match Prec::from_name(&name) {
                    // `T`, not `T::Output` or `m::T`.
                    Some(Prec::Generic) if p.path.segments.len() > 1 => return Ty::Other,
                    Some(prec) => return Ty::Float(Some(prec)),
                    None => {}
                }
                match name.as_str() {
                    "usize" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128" | "i8" | "i16"
                    | "i32" | "i64" | "i128" => Ty::Int,
                    "bool" => Ty::Bool,
                    "char" | "str" | "String" => Ty::Opaque,
                    "Vec" => Ty::vec_of(&last.arguments),
                    _ if is_nalgebra_name(&name) && nalgebra_path(&p.path) => {
                        Ty::linalg_of(&last.arguments)
                    }
                    // `Params` or `Self`, a struct of this file deriving
                    // `Differentiable`.
                    _ if p.path.segments.len() == 1 => STRUCTS
                        .with(|s| s.borrow().ty(&name))
                        .map_or(Ty::Other, Ty::Struct),
                    _ => Ty::Other,
                }
            }
            syn::Type::Array(a) => Ty::Array(Box::new(Ty::from_syn(&a.elem))),
            syn::Type::Slice(s) => Ty::Slice(Box::new(Ty::from_syn(&s.elem))),
            syn::Type::Reference(r) => {
                Ty::Ref(r.mutability.is_some(), Box::new(Ty::from_syn(&r.elem)))
            }
            syn::Type::Paren(p) => Ty::from_syn(&p.elem),
            syn::Type::Group(g) => Ty::from_syn(&g.elem),
            syn::Type::Tuple(t) if t.elems.is_empty() => Ty::Unit,
            syn::Type::Tuple(t) => Ty::Tuple(t.elems.iter().map(Ty::from_syn).collect()),
            _ => Ty::Other,
        }
    }

    fn vec_of(args: &syn::PathArguments) -> Ty {
        first_type_arg(args).map_or(Ty::Other, |t| Ty::Vec(Box::new(Ty::from_syn(t))))
    }

    /// `DVector<f64>` and the like: `La` when the scalar is a float.
    fn linalg_of(args: &syn::PathArguments) -> Ty {
        match first_type_arg(args).map(Ty::from_syn) {
            Some(Ty::Float(Some(p))) if p != Prec::Generic => Ty::La(p),
            _ => Ty::Other,
        }
    }

    /// Whether this is a nalgebra value, seen through references.
    pub fn is_linalg(&self) -> bool {
        matches!(self.deref(), Ty::La(_))
    }

    /// The type of the named field `name` of a differentiable struct.
    pub fn named_field(&self, name: &str) -> Ty {
        match self.deref() {
            Ty::Struct(s) => s
                .fields
                .iter()
                .find(|(f, _)| f == name)
                .map_or(Ty::Unknown, |(_, t)| t.clone()),
            _ => Ty::Unknown,
        }
    }

    /// Whether values of this type carry derivatives.
    pub fn is_differentiable(&self) -> bool {
        match self {
            Ty::Float(_) | Ty::La(_) => true,
            Ty::Struct(s) => s.fields.iter().any(|(_, t)| t.is_differentiable()),
            Ty::Array(e) | Ty::Slice(e) | Ty::Vec(e) | Ty::Ref(_, e) => e.is_differentiable(),
            Ty::Tuple(es) => es.iter().any(Ty::is_differentiable),
            _ => false,
        }
    }

    /// Whether it is known that values of this type carry no derivative.
    pub fn is_constant(&self) -> bool {
        match self {
            // A type the macro does not model may hold floats: it is not
            // constant unless the user says so (then it is `Opaque`).
            Ty::Int | Ty::Bool | Ty::Unit | Ty::Opaque => true,
            Ty::Array(e) | Ty::Slice(e) | Ty::Vec(e) | Ty::Ref(_, e) => e.is_constant(),
            Ty::Tuple(es) => es.iter().all(Ty::is_constant),
            Ty::Struct(s) => s.fields.iter().all(|(_, t)| t.is_constant()),
            _ => false,
        }
    }

    /// The type seen through references.
    pub fn deref(&self) -> &Ty {
        match self {
            Ty::Ref(_, t) => t.deref(),
            t => t,
        }
    }

    /// The element type of an indexable value.
    pub fn elem(&self) -> Ty {
        match self.deref() {
            Ty::Array(e) | Ty::Slice(e) | Ty::Vec(e) => (**e).clone(),
            // `v[i]`, `m[(i, j)]`.
            Ty::La(p) => Ty::Float(Some(*p)),
            _ => Ty::Unknown,
        }
    }

    /// The type of field `i` of a tuple.
    pub fn field(&self, i: usize) -> Ty {
        match self.deref() {
            Ty::Tuple(es) => es.get(i).cloned().unwrap_or(Ty::Unknown),
            _ => Ty::Unknown,
        }
    }

    /// The precision of the floats in this type, when known.
    pub fn prec(&self) -> Option<Prec> {
        match self {
            Ty::Float(p) => *p,
            Ty::La(p) => Some(*p),
            Ty::Array(e) | Ty::Slice(e) | Ty::Vec(e) | Ty::Ref(_, e) => e.prec(),
            Ty::Tuple(es) => es.iter().find_map(Ty::prec),
            _ => None,
        }
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, Ty::Unknown)
    }

    /// The more precise of two descriptions of the same value.
    pub fn join(self, other: Ty) -> Ty {
        match (self, other) {
            (Ty::Unknown, t) | (t, Ty::Unknown) => t,
            (Ty::Float(None), Ty::Float(p)) | (Ty::Float(p), Ty::Float(None)) => Ty::Float(p),
            (t, _) => t,
        }
    }
}

/// The first generic argument of `Vec<..>`, `DVector<..>`, if a type.
fn first_type_arg(args: &syn::PathArguments) -> Option<&syn::Type> {
    match args {
        syn::PathArguments::AngleBracketed(a) => match a.args.first() {
            Some(syn::GenericArgument::Type(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// nalgebra's matrix and vector types (and aliases) whose first generic
/// argument is the scalar.
fn is_nalgebra_name(name: &str) -> bool {
    matches!(
        name,
        "DVector"
            | "DMatrix"
            | "RowDVector"
            | "SVector"
            | "SMatrix"
            | "RowSVector"
            | "OVector"
            | "OMatrix"
    ) || ["Vector", "Matrix", "RowVector"].iter().any(|stem| {
        name.strip_prefix(stem)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'x'))
    })
}

/// `DVector`, `nalgebra::DVector` or `na::DVector`: a path naming nalgebra
/// or nothing before the type.
fn nalgebra_path(p: &syn::Path) -> bool {
    let n = p.segments.len();
    n == 1 || (n == 2 && ["nalgebra", "na"].iter().any(|c| p.segments[0].ident == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> Ty {
        Ty::from_syn(&syn::parse_str(s).unwrap())
    }

    #[test]
    fn classifies_parameter_types() {
        for d in [
            "f64",
            "f32",
            "[f64; 3]",
            "&[f32]",
            "&mut [[f64; 2]; 2]",
            "&Vec<f64>",
            "&mut f64",
        ] {
            assert!(ty(d).is_differentiable(), "{d}");
        }
        for c in [
            "usize",
            "&mut usize",
            "bool",
            "&[i32]",
            "String",
            "&str",
            "char",
        ] {
            assert!(!ty(c).is_differentiable(), "{c}");
            assert!(ty(c).is_constant(), "{c}");
        }
        // Types the macro does not model are neither: a user type, an alias
        // of `f64` or a generic may hold floats.
        for la in [
            "&nalgebra::DVector<f64>",
            "DMatrix<f32>",
            "&na::SVector<f64, 3>",
            "Matrix3<f64>",
        ] {
            assert!(ty(la).is_differentiable(), "{la}");
            assert!(ty(la).is_linalg(), "{la}");
        }
        for u in [
            "Model",
            "&nalgebra::DVector<T>",
            "Real",
            "T",
            "&[T]",
            "DVector<usize>",
        ] {
            assert!(!ty(u).is_differentiable(), "{u}");
            assert!(!ty(u).is_constant(), "{u}");
        }
        assert_eq!(ty("&[f32; 4]").prec(), Some(Prec::F32));
    }
}

//! Which type parameter of a generic function is its float type.
//!
//! `fn f<T: Float>(x: &[T]) -> T` is differentiated as if `T` were a float
//! precision of its own (`Prec::Generic`): values of type `T` carry
//! derivatives, elementary functions are `T`'s methods, and the constants
//! a derivative needs are made with `num_traits::NumCast` (`lit::<T>(2.0)`
//! in the runtime).
//!
//! A type parameter is the float type when one of its bounds, inline or in
//! the `where` clause, names `num_traits::Float` or `num_traits::real::Real`
//! (by the last segment of the path, as the macro cannot resolve paths), or
//! when the attribute says so with `float(T)`, for a user trait that
//! implies one of them. Every other type parameter is not a float: a
//! parameter whose type mentions one is an error unless it is declared
//! constant (`sig.rs`).

use crate::convention::Kind;
use crate::diag::Diags;

/// The bound names that make a type parameter the float type.
const FLOAT_BOUNDS: &[&str] = &["Float", "Real"];

/// Whether `T::name(x)` converts `x` to `T` (`NumCast::from` and the
/// `FromPrimitive` methods), so that `T::name(x).unwrap()` is a cast.
pub fn is_conversion(name: &str) -> bool {
    name == "from"
        || name.strip_prefix("from_").is_some_and(|t| {
            matches!(
                t,
                "f32"
                    | "f64"
                    | "i8"
                    | "i16"
                    | "i32"
                    | "i64"
                    | "i128"
                    | "isize"
                    | "u8"
                    | "u16"
                    | "u32"
                    | "u64"
                    | "u128"
                    | "usize"
            )
        })
}

/// Whether `T::name()` is a constant of type `T`: the associated functions
/// of `Float`, `Zero`, `One` and `FloatConst` that take no argument.
pub fn is_constant_fn(name: &str) -> bool {
    matches!(
        name,
        "zero"
            | "one"
            | "epsilon"
            | "max_value"
            | "min_value"
            | "min_positive_value"
            | "nan"
            | "infinity"
            | "neg_infinity"
            | "neg_zero"
    ) || (name
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
}

/// The modes that do not take a generic float type yet: vector forward
/// mode and the dense matrices built on it, whose runtime lanes and
/// matrices are implemented for `f32` and `f64` only. Reported on the
/// type parameter rather than left to a trait-bound error in generated code.
pub fn reject_unsupported_modes(mode: Kind, vector: bool, t: &syn::Ident, diags: &mut Diags) {
    let what = match mode {
        Kind::Jacobian => "`#[jacobian]`",
        Kind::Hessian => "`#[hessian]`",
        Kind::Jvp if vector => "`#[jvp(vector)]`",
        _ => return,
    };
    diags.error_at(t, format!("{what} on a function generic over its float type `{t}` is not supported yet (`#[jvp]`, `#[vjp]`, `#[grad]` and `#[hvp]` are); for this mode, write the function for `f64` or `f32`"));
}

/// The function's float type parameter: the one named by `float(T)`, else
/// the one whose bounds name a float trait. At most one; a second, or a
/// `float(T)` that names no type parameter, is an error — except in a
/// method (`in_impl`: a receiver, or `Self` in the signature), where `T`
/// may be the `impl` block's parameter, which the macro does not see
/// (`impl<T: Float> Net<T>`); rustc checks that it exists.
pub fn float_param(
    generics: &syn::Generics,
    declared: Option<&syn::Ident>,
    in_impl: bool,
    diags: &mut Diags,
) -> Option<syn::Ident> {
    let params: Vec<&syn::Ident> = generics.type_params().map(|p| &p.ident).collect();
    if let Some(d) = declared {
        if !params.contains(&d) && !in_impl {
            diags.error_at(d, format!("`float({d})` names no type parameter of this function; write the function's float type parameter (`fn f<T: MyFloat>` with `float(T)`)"));
            return None;
        }
        return Some(d.clone());
    }
    let mut found: Option<syn::Ident> = None;
    for p in &params {
        let Some(bound) = float_bound(generics, p) else {
            if let Some(b) = real_field_bound(generics, p) {
                diags.error_at(b, format!("`{p}: RealField` is not supported yet; bound `{p}` by `num_traits::Float` instead (nalgebra's `f32` and `f64` implement it)"));
            }
            continue;
        };
        match &found {
            None => found = Some((*p).clone()),
            Some(first) => {
                diags.error_at(bound, format!("`{p}` is a second float type parameter (after `{first}`); a differentiated function has at most one: use `{first}` for both"));
            }
        }
    }
    found
}

fn float_bound<'g>(generics: &'g syn::Generics, p: &syn::Ident) -> Option<&'g syn::TraitBound> {
    bound_named(generics, p, FLOAT_BOUNDS)
}

fn real_field_bound<'g>(
    generics: &'g syn::Generics,
    p: &syn::Ident,
) -> Option<&'g syn::TraitBound> {
    bound_named(generics, p, &["RealField"])
}

/// The first bound of `p` whose trait's last path segment is in `names`.
fn bound_named<'g>(
    generics: &'g syn::Generics,
    p: &syn::Ident,
    names: &[&str],
) -> Option<&'g syn::TraitBound> {
    let inline = generics
        .type_params()
        .filter(|tp| tp.ident == *p)
        .flat_map(|tp| tp.bounds.iter());
    let in_where = generics
        .where_clause
        .iter()
        .flat_map(|w| w.predicates.iter())
        .filter_map(|pred| match pred {
            syn::WherePredicate::Type(t) if is_param(&t.bounded_ty, p) => Some(t),
            _ => None,
        })
        .flat_map(|t| t.bounds.iter());
    inline.chain(in_where).find_map(|b| match b {
        syn::TypeParamBound::Trait(t)
            if t.path
                .segments
                .last()
                .is_some_and(|s| names.iter().any(|n| s.ident == n)) =>
        {
            Some(t)
        }
        _ => None,
    })
}

/// Whether `ty` is the bare type parameter `p`.
fn is_param(ty: &syn::Type, p: &syn::Ident) -> bool {
    matches!(ty, syn::Type::Path(tp) if tp.qself.is_none() && tp.path.is_ident(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(src: &str, declared: Option<&str>) -> (Option<String>, usize) {
        let f: syn::ItemFn = syn::parse_str(src).unwrap();
        let mut diags = Diags::default();
        let d = declared.map(|d| syn::Ident::new(d, proc_macro2::Span::call_site()));
        let p = float_param(&f.sig.generics, d.as_ref(), false, &mut diags);
        (p.map(|p| p.to_string()), diags.len())
    }

    #[test]
    fn finds_the_float_parameter_inline_and_in_where_clauses() {
        assert_eq!(
            param("fn f<T: Float>(x: T) -> T { x }", None),
            (Some("T".into()), 0)
        );
        assert_eq!(
            param(
                "fn f<U: Copy, T>(x: T) -> T where T: num_traits::Float + Sum { x }",
                None
            ),
            (Some("T".into()), 0)
        );
        assert_eq!(
            param("fn f<S: num_traits::real::Real>(x: S) -> S { x }", None),
            (Some("S".into()), 0)
        );
        assert_eq!(param("fn f<T: Copy>(x: T) -> T { x }", None), (None, 0));
        assert_eq!(param("fn f(x: f64) -> f64 { x }", None), (None, 0));
    }

    #[test]
    fn a_declared_parameter_wins_and_must_exist() {
        assert_eq!(
            param("fn f<T: MyFloat>(x: T) -> T { x }", Some("T")),
            (Some("T".into()), 0)
        );
        assert_eq!(
            param("fn f<T: MyFloat>(x: T) -> T { x }", Some("U")),
            (None, 1)
        );
    }

    #[test]
    fn two_float_parameters_and_real_field_are_errors() {
        assert_eq!(
            param("fn f<T: Float, U: Float>(x: T, y: U) -> T { x }", None).1,
            1
        );
        assert_eq!(
            param("fn f<T: RealField>(x: T) -> T { x }", None),
            (None, 1)
        );
    }
}

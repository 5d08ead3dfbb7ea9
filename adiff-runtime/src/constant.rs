//! The marker for types whose values carry no derivative.

use alloc::string::String;
use alloc::vec::Vec;

/// A type whose values carry no derivative, so a parameter of this type is
/// passed through a derivative unchanged, with no tangent or adjoint.
///
/// The macros know the primitive cases themselves (integers, `bool`,
/// `char`, `&str`, and references, slices, arrays and `Vec`s of them). For
/// any other parameter type they do not model (your own structs, a foreign
/// type), the derivative asks rustc to prove `T: Constant`, so a type that
/// might hold differentiable floats is never silently treated as constant.
/// Implement it for a configuration or data type of your own:
///
/// ```
/// use adiff_runtime::Constant;
///
/// struct Grid {
///     cells: usize,
/// }
/// impl Constant for Grid {}
///
/// fn needs_constant<T: Constant + ?Sized>(_: &T) {}
/// needs_constant(&Grid { cells: 4 });
/// needs_constant(&[1_u8, 2]);
/// ```
///
/// `f32`, `f64` and types holding them do not implement it. For a foreign
/// type you cannot implement it for, list the parameter in the attribute
/// instead: `#[grad(constant(m))]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not known to carry no derivative, so this value cannot be passed through as a constant",
    label = "the macro cannot tell whether this value holds differentiable values",
    note = "differentiable values need types written as `f32`, `f64`, or arrays, slices, `Vec`s or references of them (type aliases and generic types are not seen through), or a struct with `#[derive(adiff::Differentiable)]` defined in the same file as the function; for a local, annotate it (`let y: f64 = ...;`)",
    note = "if values of this type carry no derivative, implement `adiff::Constant` for it, or list the parameter in the attribute: `#[grad(constant(name))]`"
)]
pub trait Constant {}

macro_rules! constant {
    ($($t:ty),*) => { $(impl Constant for $t {})* };
}
constant!(
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    bool,
    char,
    str,
    String,
    ()
);

impl<T: Constant + ?Sized> Constant for &T {}
impl<T: Constant + ?Sized> Constant for &mut T {}
impl<T: Constant> Constant for [T] {}
impl<T: Constant, const N: usize> Constant for [T; N] {}
impl<T: Constant> Constant for Vec<T> {}
impl<T: Constant> Constant for Option<T> {}

/// Called by generated code for each parameter whose type the macro does not
/// model: it compiles only when rustc proves the type carries no derivative.
#[doc(hidden)]
#[inline(always)]
pub fn assert_constant<T: Constant + ?Sized>(_: &T) {}

/// `assert_constant!(v)`: the check on a call argument whose type the
/// macro cannot tell but which depends on no differentiable input (a
/// method result on a constant, `m.bones()`). It compiles when the value's
/// type is constant, and otherwise says to annotate it.
#[doc(hidden)]
#[macro_export]
macro_rules! assert_constant {
    ($e:expr) => {
        $crate::assert_constant(&$e)
    };
}

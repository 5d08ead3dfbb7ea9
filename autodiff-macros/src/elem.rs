//! The elementary functions of `f32` and `f64` that the macros understand.
//!
//! Their derivatives live in [`crate::rules`]; this module only names them.

/// An elementary function, callable as `x.name(args)` or `f64::name(x, args)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Elem {
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Exp,
    Exp2,
    ExpM1,
    Ln,
    Log,
    Log2,
    Log10,
    Ln1p,
    Sqrt,
    Cbrt,
    Powi,
    Powf,
    Recip,
    Abs,
    Signum,
    Hypot,
    MulAdd,
    Min,
    Max,
    Clamp,
    Floor,
    Ceil,
    Round,
    Trunc,
    ToRadians,
    ToDegrees,
}

/// Every elementary function with its method name and argument count
/// (receiver included).
pub const ALL: &[(Elem, &str, usize)] = &[
    (Elem::Sin, "sin", 1),
    (Elem::Cos, "cos", 1),
    (Elem::Tan, "tan", 1),
    (Elem::Asin, "asin", 1),
    (Elem::Acos, "acos", 1),
    (Elem::Atan, "atan", 1),
    (Elem::Atan2, "atan2", 2),
    (Elem::Sinh, "sinh", 1),
    (Elem::Cosh, "cosh", 1),
    (Elem::Tanh, "tanh", 1),
    (Elem::Asinh, "asinh", 1),
    (Elem::Acosh, "acosh", 1),
    (Elem::Atanh, "atanh", 1),
    (Elem::Exp, "exp", 1),
    (Elem::Exp2, "exp2", 1),
    (Elem::ExpM1, "exp_m1", 1),
    (Elem::Ln, "ln", 1),
    (Elem::Log, "log", 2),
    (Elem::Log2, "log2", 1),
    (Elem::Log10, "log10", 1),
    (Elem::Ln1p, "ln_1p", 1),
    (Elem::Sqrt, "sqrt", 1),
    (Elem::Cbrt, "cbrt", 1),
    (Elem::Powi, "powi", 2),
    (Elem::Powf, "powf", 2),
    (Elem::Recip, "recip", 1),
    (Elem::Abs, "abs", 1),
    (Elem::Signum, "signum", 1),
    (Elem::Hypot, "hypot", 2),
    (Elem::MulAdd, "mul_add", 3),
    (Elem::Min, "min", 2),
    (Elem::Max, "max", 2),
    (Elem::Clamp, "clamp", 3),
    (Elem::Floor, "floor", 1),
    (Elem::Ceil, "ceil", 1),
    (Elem::Round, "round", 1),
    (Elem::Trunc, "trunc", 1),
    (Elem::ToRadians, "to_radians", 1),
    (Elem::ToDegrees, "to_degrees", 1),
];

impl Elem {
    pub fn from_name(name: &str) -> Option<(Elem, usize)> {
        ALL.iter()
            .find(|(_, n, _)| *n == name)
            .map(|(e, _, arity)| (*e, *arity))
    }

    pub fn name(self) -> &'static str {
        ALL.iter()
            .find(|(e, _, _)| *e == self)
            .map_or("?", |(_, n, _)| n)
    }
}

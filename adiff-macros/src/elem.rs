//! The elementary functions of `f32` and `f64` that the macros understand:
//! one table row each, which defines the [`Elem`] variant, the method name,
//! which arguments carry a derivative (their count is the arity), and how
//! to evaluate it (for the test interpreter).
//!
//! The derivatives themselves are rules in [`crate::rules`], whose match on
//! [`Elem`] is exhaustive: a row without a rule does not compile.

/// An evaluation on integers: `None` where Rust would panic.
pub type IntEval = fn(&[i64]) -> Option<i64>;

/// One elementary function.
pub struct ElemInfo {
    pub elem: Elem,
    /// The method name: `x.name(args)` or `f64::name(x, args)`.
    pub name: &'static str,
    /// Per argument, receiver first: whether it carries a derivative. The
    /// others (`powi`'s exponent, `floor`'s argument) are constants to the
    /// activity analysis and the rules, which this is the only list of.
    pub diff: &'static [bool],
    /// The value on `f64` arguments (integer arguments converted), read by
    /// the interpreter. The macro itself never evaluates anything.
    #[cfg_attr(not(test), allow(dead_code))]
    pub eval: fn(&[f64]) -> f64,
    /// The value on integer arguments, for the names that are integer
    /// methods too (lowering makes `min` of loop bounds, users write
    /// `i.rem_euclid(n)`); `None` where Rust would panic. Interpreter only.
    #[cfg_attr(not(test), allow(dead_code))]
    pub eval_int: Option<IntEval>,
}

/// Defines [`Elem`] and [`TABLE`] from one list, so the two cannot disagree
/// and `TABLE[e as usize]` is the row of `e`.
macro_rules! elementary {
    ($($variant:ident $name:literal [$($d:ident),+] $eval:expr $(, int $int:expr)?;)+) => {
        /// An elementary function, callable as `x.name(args)` or `f64::name(x, args)`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Elem {
            $($variant,)+
        }

        /// Every elementary function, in the order of [`Elem`]'s variants.
        pub const TABLE: &[ElemInfo] = &[$(ElemInfo {
            elem: Elem::$variant,
            name: $name,
            diff: &[$(elementary!(@diff $d)),+],
            eval: $eval,
            eval_int: elementary!(@int $($int)?),
        },)+];
    };
    (@diff D) => { true };
    (@diff C) => { false };
    (@int) => { None };
    (@int $int:expr) => { Some($int) };
}

// `D`: the argument carries a derivative; `C`: it is a constant (the
// function is piecewise constant in it, or it is an integer).
elementary! {
    Sin "sin" [D] |a| a[0].sin();
    Cos "cos" [D] |a| a[0].cos();
    Tan "tan" [D] |a| a[0].tan();
    Asin "asin" [D] |a| a[0].asin();
    Acos "acos" [D] |a| a[0].acos();
    Atan "atan" [D] |a| a[0].atan();
    Atan2 "atan2" [D, D] |a| a[0].atan2(a[1]);
    Sinh "sinh" [D] |a| a[0].sinh();
    Cosh "cosh" [D] |a| a[0].cosh();
    Tanh "tanh" [D] |a| a[0].tanh();
    Asinh "asinh" [D] |a| a[0].asinh();
    Acosh "acosh" [D] |a| a[0].acosh();
    Atanh "atanh" [D] |a| a[0].atanh();
    Exp "exp" [D] |a| a[0].exp();
    Exp2 "exp2" [D] |a| a[0].exp2();
    ExpM1 "exp_m1" [D] |a| a[0].exp_m1();
    Ln "ln" [D] |a| a[0].ln();
    Log "log" [D, D] |a| a[0].log(a[1]);
    Log2 "log2" [D] |a| a[0].log2();
    Log10 "log10" [D] |a| a[0].log10();
    Ln1p "ln_1p" [D] |a| a[0].ln_1p();
    Sqrt "sqrt" [D] |a| a[0].sqrt();
    Cbrt "cbrt" [D] |a| a[0].cbrt();
    Powi "powi" [D, C] |a| a[0].powi(a[1] as i32);
    Powf "powf" [D, D] |a| a[0].powf(a[1]);
    Recip "recip" [D] |a| a[0].recip();
    Abs "abs" [D] |a| a[0].abs(), int |a| a[0].checked_abs();
    Signum "signum" [C] |a| a[0].signum();
    Hypot "hypot" [D, D] |a| a[0].hypot(a[1]);
    MulAdd "mul_add" [D, D, D] |a| a[0].mul_add(a[1], a[2]);
    Min "min" [D, D] |a| a[0].min(a[1]), int |a| Some(a[0].min(a[1]));
    Max "max" [D, D] |a| a[0].max(a[1]), int |a| Some(a[0].max(a[1]));
    Clamp "clamp" [D, D, D] |a| a[0].clamp(a[1], a[2]);
    Floor "floor" [C] |a| a[0].floor();
    Ceil "ceil" [C] |a| a[0].ceil();
    Round "round" [C] |a| a[0].round();
    Trunc "trunc" [C] |a| a[0].trunc();
    ToRadians "to_radians" [D] |a| a[0].to_radians();
    ToDegrees "to_degrees" [D] |a| a[0].to_degrees();
    RemEuclid "rem_euclid" [D, D] |a| a[0].rem_euclid(a[1]), int |a| a[0].checked_rem_euclid(a[1]);
}

impl Elem {
    pub fn info(self) -> &'static ElemInfo {
        &TABLE[self as usize]
    }

    /// The function called `name`, with its arity (receiver included).
    pub fn from_name(name: &str) -> Option<(Elem, usize)> {
        TABLE
            .iter()
            .find(|row| row.name == name)
            .map(|row| (row.elem, row.diff.len()))
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_variant_order_with_unique_names() {
        for (i, row) in TABLE.iter().enumerate() {
            assert_eq!(row.elem as usize, i, "row of `{}`", row.name);
            assert_eq!(Elem::from_name(row.name).map(|(e, _)| e), Some(row.elem));
        }
    }
}

//! Arithmetic on interpreter values: constants, operators, casts and the
//! elementary functions, the last read from the table in [`crate::elem`].

use super::V;
use crate::elem::Elem;
use crate::ir::{BinOp, Const};

pub(super) fn constant(c: &Const) -> Result<V, String> {
    Ok(match c {
        Const::Float(x) | Const::FloatT(x) => V::F(*x),
        Const::Unit => V::Unit,
        Const::Lit(syn::Lit::Float(f)) => V::F(f.base10_parse().map_err(|e| e.to_string())?),
        Const::Lit(syn::Lit::Int(i)) => {
            if matches!(i.suffix(), "f64" | "f32") {
                V::F(i.base10_parse().map_err(|e| e.to_string())?)
            } else {
                V::I(i.base10_parse().map_err(|e| e.to_string())?)
            }
        }
        Const::Lit(syn::Lit::Bool(b)) => V::B(b.value),
        Const::Path(p) => {
            let s = quote::ToTokens::to_token_stream(p)
                .to_string()
                .replace(' ', "");
            match s.rsplit("::").next().unwrap_or_default() {
                "PI" => V::F(std::f64::consts::PI),
                "E" => V::F(std::f64::consts::E),
                "LN_2" => V::F(std::f64::consts::LN_2),
                "LN_10" => V::F(std::f64::consts::LN_10),
                "INFINITY" => V::F(f64::INFINITY),
                "NEG_INFINITY" => V::F(f64::NEG_INFINITY),
                "MAX" => V::F(f64::MAX),
                "MIN" => V::F(f64::MIN),
                "EPSILON" => V::F(f64::EPSILON),
                "FRAC_PI_2" => V::F(std::f64::consts::FRAC_PI_2),
                "TAU" => V::F(std::f64::consts::TAU),
                other => return Err(format!("constant `{other}`")),
            }
        }
        Const::Lit(_) => return Err("literal".into()),
    })
}

pub(super) fn bin(b: BinOp, x: &V, y: &V) -> Result<V, String> {
    use BinOp as B;
    Ok(match (x, y) {
        (V::I(a), V::I(c)) => {
            let (a, c) = (*a, *c);
            match b {
                B::Add => V::I(a + c),
                B::Sub => V::I(a - c),
                B::Mul => V::I(a * c),
                B::Div => V::I(a.checked_div(c).ok_or("division by zero")?),
                B::Rem => V::I(a.checked_rem(c).ok_or("division by zero")?),
                B::Lt => V::B(a < c),
                B::Le => V::B(a <= c),
                B::Gt => V::B(a > c),
                B::Ge => V::B(a >= c),
                B::Eq => V::B(a == c),
                B::Ne => V::B(a != c),
                B::BitAnd => V::I(a & c),
                B::BitOr => V::I(a | c),
                B::BitXor => V::I(a ^ c),
                B::Shl => V::I(a << c),
                B::Shr => V::I(a >> c),
            }
        }
        (V::B(a), V::B(c)) => match b {
            B::BitAnd => V::B(*a & *c),
            B::BitOr => V::B(*a | *c),
            B::BitXor => V::B(*a ^ *c),
            B::Eq => V::B(a == c),
            B::Ne => V::B(a != c),
            _ => return Err("bool arithmetic".into()),
        },
        _ => {
            let (a, c) = (x.f()?, y.f()?);
            match b {
                B::Add => V::F(a + c),
                B::Sub => V::F(a - c),
                B::Mul => V::F(a * c),
                B::Div => V::F(a / c),
                B::Rem => V::F(a % c),
                B::Lt => V::B(a < c),
                B::Le => V::B(a <= c),
                B::Gt => V::B(a > c),
                B::Ge => V::B(a >= c),
                B::Eq => V::B(a == c),
                B::Ne => V::B(a != c),
                _ => return Err("bit operation on floats".into()),
            }
        }
    })
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(super) fn cast(x: &V, ty: &str) -> Result<V, String> {
    Ok(match (x, ty) {
        (V::F(a), "f64") => V::F(*a),
        (V::F(a), "f32") => V::F(f64::from(*a as f32)),
        (V::I(a), "f64" | "f32") => V::F(*a as f64),
        (V::F(a), "usize" | "u32" | "u64" | "u8") => V::I((*a as u64) as i64),
        (V::F(a), _) => V::I(*a as i64),
        (V::I(a), "usize" | "u32" | "u64" | "u8") => V::I((*a).max(0)),
        (V::I(a), _) => V::I(*a),
        (V::B(a), _) => V::I(i64::from(*a)),
        (other, t) => return Err(format!("cast of {other:?} to {t}")),
    })
}

/// `e(a)`, by the table's evaluation: on integers for the functions that
/// have one (lowering applies `min` to loop bounds), else on floats.
pub(super) fn elem(e: Elem, a: &[V]) -> Result<V, String> {
    let row = e.info();
    if a.len() != row.diff.len() {
        return Err(format!("`{}` takes {} arguments", row.name, row.diff.len()));
    }
    if let (Some(int), Some(V::I(_))) = (row.eval_int, a.first()) {
        let xs: Vec<i64> = a.iter().map(V::i).collect::<Result<_, _>>()?;
        return int(&xs)
            .map(V::I)
            .ok_or_else(|| format!("`{}` overflows or divides by zero", row.name));
    }
    let xs: Vec<f64> = a.iter().map(V::f).collect::<Result<_, _>>()?;
    Ok(V::F((row.eval)(&xs)))
}

//! hello (§2.1): `square` is x·x and `double` is its derivative, 2·x.

use std::hint::black_box;

use adiff::grad;
use serde_json::value::RawValue;

use super::{measure, parse, unknown_function, Evaluated};

/// x².
#[grad]
pub fn square(x: f64) -> f64 {
    x * x
}

/// Evaluates `square` or `double` on a bare number (which may arrive as an
/// integer literal).
pub fn evaluate(function: &str, input: &RawValue) -> Result<Evaluated, String> {
    let x: f64 = parse(input)?;
    match function {
        "square" => measure(input, || square(black_box(x)), |y| y),
        "double" => measure(input, || square_grad(black_box(x)).1, |dy| dy),
        other => Err(unknown_function("hello", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_is_the_derivative_of_square() {
        for x in [1.0, 2.0, 64.0, -3.5] {
            assert_eq!(square_grad(x), (x * x, 2.0 * x));
        }
    }
}

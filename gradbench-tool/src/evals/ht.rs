//! ht (stub).
use serde_json::value::RawValue;
use super::Evaluated;
/// Not yet.
pub fn evaluate(_function: &str, _input: &RawValue) -> Result<Evaluated, String> {
    Err("not yet".into())
}

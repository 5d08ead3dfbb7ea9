//! Running a generated function's derivatives in the interpreter, with the
//! generated signature `(x, v, n, buf)` laid out in memory.

use adiff_fuzz::Inputs;

use crate::interp::{Machine, Program, V};

pub fn floats(v: &V) -> Vec<f64> {
    match v {
        V::F(x) => vec![*x],
        V::A(xs) | V::T(xs) => xs.iter().flat_map(floats).collect(),
        _ => Vec::new(),
    }
}

pub fn array(xs: &[f64]) -> V {
    V::A(xs.iter().map(|x| V::F(*x)).collect())
}

/// `(outputs, J·u)` from the JVP.
pub fn jvp(
    prog: &Program,
    name: &str,
    p: &Inputs,
    u: &Inputs,
    limit: usize,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let mut mem = vec![array(&p.v), array(&u.v), array(&p.buf), array(&u.buf)];
    let mut m = Machine::new(prog, limit);
    let args = vec![
        V::F(p.x),
        V::F(u.x),
        Machine::buffer_ref(0),
        Machine::buffer_ref(1),
        V::I(p.n as i64),
        Machine::buffer_ref(2),
        Machine::buffer_ref(3),
    ];
    let out = m.run(&format!("{name}_jvp"), args, &mut mem)?;
    let pair = floats(&out);
    let y = std::iter::once(pair[0]).chain(floats(&mem[2])).collect();
    let dy = std::iter::once(pair[1]).chain(floats(&mem[3])).collect();
    Ok((y, dy))
}

/// `(value, Jᵀ·w as (x̄, v̄, buf̄))` from the VJP.
pub fn vjp(
    prog: &Program,
    name: &str,
    p: &Inputs,
    w: &[f64],
    limit: usize,
) -> Result<(f64, Vec<f64>), String> {
    let mut mem = vec![
        V::F(0.0),
        array(&p.v),
        array(&vec![0.0; p.v.len()]),
        array(&p.buf),
        array(&w[1..]),
    ];
    let mut m = Machine::new(prog, limit);
    let args = vec![
        V::F(p.x),
        Machine::buffer_ref(0),
        Machine::buffer_ref(1),
        Machine::buffer_ref(2),
        V::I(p.n as i64),
        Machine::buffer_ref(3),
        Machine::buffer_ref(4),
        V::F(w[0]),
    ];
    let y = m.run(&format!("{name}_vjp"), args, &mut mem)?.f()?;
    let g = floats(&mem[0])
        .into_iter()
        .chain(floats(&mem[2]))
        .chain(floats(&mem[4]))
        .collect();
    Ok((y, g))
}

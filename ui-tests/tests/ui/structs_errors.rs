use adiff::{grad, Differentiable};

// `#[derive(Differentiable)]` takes structs with named fields and no
// generics; a struct the attribute cannot see deriving it stays a type
// rustc must prove constant.

#[derive(Differentiable)]
pub struct Pair(f64, f64);

#[derive(Differentiable)]
pub struct Generic<T> {
    pub x: T,
}

mod elsewhere {
    pub struct Hidden {
        pub x: f64,
    }
}

#[grad]
fn hidden(p: &elsewhere::Hidden, y: f64) -> f64 {
    p.x * y
}

fn main() {}

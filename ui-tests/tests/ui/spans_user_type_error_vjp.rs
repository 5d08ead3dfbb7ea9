use adiff::vjp;

// In reverse mode too, a type error in the user's body points at the user's tokens.
#[vjp]
fn f(x: f64, flag: bool) -> f64 {
    if flag {
        x * 2.0
    } else {
        1
    }
}

fn main() {}

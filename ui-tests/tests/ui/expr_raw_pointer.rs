use adiff::jvp;

// A raw pointer can only be read in `unsafe` code, which is rejected.
#[jvp]
fn f(x: f64) -> f64 {
    let p = &x as *const f64;
    x * unsafe { *p }
}

fn main() {}

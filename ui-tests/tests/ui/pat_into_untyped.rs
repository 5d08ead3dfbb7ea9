use adiff::jvp;

// `.into()` on a float needs its target type written where the macro sees
// it (`let y: f64 = x.into();`).
#[jvp]
fn f(x: f32) -> f64 {
    let y = x.into();
    y
}

fn main() {}

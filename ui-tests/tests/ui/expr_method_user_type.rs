use adiff::jvp;

#[derive(Clone, Copy)]
struct Model {
    k: f64,
}

impl Model {
    fn scale(self, x: f64) -> f64 {
        self.k * x
    }
}

#[jvp]
fn f(x: f64, m: Model) -> f64 {
    m.scale(x)
}

fn main() {}

use adiff::jvp;

struct Model {
    k: f64,
}

impl Model {
    #[jvp]
    fn f(&self, x: f64) -> f64 {
        self.k * x
    }
}

fn main() {}

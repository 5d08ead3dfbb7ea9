// `g` comes from another module through a glob import, which could also
// bring in `g_jvp`; the macro cannot tell, so rustc reports the missing name.
mod helpers {
    pub fn g(x: f64) -> f64 {
        x.sin()
    }
}

mod model {
    use super::helpers::*;
    use adiff::jvp;

    #[jvp]
    pub fn f(x: f64) -> f64 {
        g(x) * 2.0
    }
}

fn main() {}

use adiff::jvp;

fn parse(s: &str) -> Result<f64, std::num::ParseFloatError> {
    s.parse()
}

#[jvp]
fn f(x: f64, s: &str) -> Result<f64, std::num::ParseFloatError> {
    let k = parse(s)?;
    Ok(x * k)
}

fn main() {}

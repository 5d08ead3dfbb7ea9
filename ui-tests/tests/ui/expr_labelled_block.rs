use adiff::jvp;

#[jvp]
fn f(x: f64) -> f64 {
    let y = 'done: {
        if x > 1.0 {
            break 'done x;
        }
        x * x
    };
    y * 2.0
}

fn main() {}

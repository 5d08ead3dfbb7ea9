fn main() {
    let seed: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let p = adiff_fuzz::program(seed, 3);
    for f in p.helpers.iter().chain(&p.functions) {
        println!("{}\n", f.source);
    }
}

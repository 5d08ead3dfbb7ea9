fn main() {
    let p = autodiff_fuzz::program(3, 3);
    for f in &p.functions {
        println!("{}\n", f.source);
    }
}

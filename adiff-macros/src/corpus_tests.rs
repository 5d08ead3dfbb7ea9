//! The corpus test: every `fn` of real numeric crates through the macro entry point.
//!
//! The sources of `libm` and `statrs` (dev-dependencies, located with
//! `cargo metadata`) are parsed with `syn`. Every function is collected: free
//! functions, functions nested in modules or in other functions, methods of
//! `impl` blocks and default methods of traits (turned into free `fn` items,
//! so those with a `self` receiver must get our clear error). Each one is
//! expanded with `#[jvp]` and with `#[vjp]` inside `catch_unwind`.
//!
//! Counting is **per function**. A function is *supported* when neither mode
//! reports an error, a *clear error* when at least one mode reports one of
//! our spanned diagnostics (and neither mode has an internal error or a
//! panic), and otherwise an internal error or a panic. The test prints one
//! line, `corpus: N functions, S supported, E clear errors, P panics`, and
//! fails on any panic, any "internal error in `#[...]`", or any expansion
//! that is not valid Rust syntax. `CORPUS_VERBOSE=1` also prints how often
//! each error message occurs.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::visit::Visit;

use crate::convention::Kind;
use crate::expand::expand;

const CRATES: [&str; 2] = ["libm", "statrs"];

/// The host's target triple, from `rustc -vV`.
fn host_triple() -> String {
    let out = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("running `rustc -vV`");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("`rustc -vV` names the host")
        .to_owned()
}

/// The source directory of each crate of [`CRATES`], from `cargo metadata`.
/// Filtered to the host platform: offline, the workspace's dependencies for
/// other platforms (pulled in by the benchmark peers) are not downloaded.
fn crate_dirs() -> Vec<(String, PathBuf)> {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--filter-platform",
        ])
        .arg(host_triple())
        .arg("--manifest-path")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("running `cargo metadata`");
    assert!(
        out.status.success(),
        "`cargo metadata` failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("`cargo metadata` prints JSON");
    let packages = meta["packages"].as_array().expect("`packages` array");
    CRATES
        .iter()
        .map(|name| {
            let manifest = packages
                .iter()
                .find(|p| p["name"] == *name)
                .and_then(|p| p["manifest_path"].as_str())
                .unwrap_or_else(|| panic!("`{name}` is not a dependency of adiff-macros"));
            let dir = Path::new(manifest).parent().expect("manifest has a parent");
            ((*name).to_owned(), dir.to_owned())
        })
        .collect()
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Collects every function of a file as a free `fn` item.
struct Collect(Vec<syn::ItemFn>);

impl<'ast> Visit<'ast> for Collect {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.0.push(f.clone());
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.0.push(syn::ItemFn {
            attrs: f.attrs.clone(),
            vis: f.vis.clone(),
            modifiers: f.modifiers.clone(),
            sig: f.sig.clone(),
            block: Box::new(f.block.clone()),
        });
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.0.push(syn::ItemFn {
                attrs: f.attrs.clone(),
                vis: syn::Visibility::Inherited,
                modifiers: syn::FnModifiers::default(),
                sig: f.sig.clone(),
                block: Box::new(block.clone()),
            });
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Supported,
    /// Our spanned diagnostics, by message.
    ClearError(Vec<String>),
    InternalError(String),
    /// The expansion is not valid Rust syntax.
    Unparsable(String),
    Panic(String),
}

/// The messages of the `compile_error!` invocations in an expansion.
fn compile_errors(file: &syn::File) -> Vec<String> {
    struct Errors(Vec<String>);
    impl<'ast> Visit<'ast> for Errors {
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            if m.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "compile_error")
            {
                let msg = syn::parse2::<syn::LitStr>(m.tokens.clone())
                    .map(|l| l.value())
                    .unwrap_or_else(|_| m.tokens.to_string());
                self.0.push(msg);
            }
            syn::visit::visit_macro(self, m);
        }
    }
    let mut e = Errors(Vec::new());
    e.visit_file(file);
    e.0
}

fn run(mode: Kind, item: &proc_macro2::TokenStream) -> Outcome {
    let result =
        std::panic::catch_unwind(|| expand(mode, proc_macro2::TokenStream::new(), item.clone()));
    let tokens = match result {
        Ok(t) => t,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic payload)".to_owned());
            return Outcome::Panic(msg);
        }
    };
    let file = match syn::parse2::<syn::File>(tokens) {
        Ok(f) => f,
        Err(e) => return Outcome::Unparsable(e.to_string()),
    };
    let errors = compile_errors(&file);
    if let Some(internal) = errors.iter().find(|m| m.contains("internal error in `#[")) {
        // The other messages tell whether the internal error follows one of
        // our own errors (a cascade) or stands alone.
        let others: Vec<&String> = errors.iter().filter(|m| *m != internal).collect();
        let also = match others.first() {
            None => " (no other error)".to_owned(),
            Some(m) => format!(" (after {} other error(s), first: {m})", others.len()),
        };
        Outcome::InternalError(format!("{internal}{also}"))
    } else if errors.is_empty() {
        Outcome::Supported
    } else {
        Outcome::ClearError(errors)
    }
}

/// A message with its first name in backticks replaced by `_`, to group
/// messages by kind in the verbose histogram.
fn message_kind(msg: &str) -> String {
    let mut parts = msg.splitn(3, '`');
    let kind = match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(_), Some(c)) => format!("{a}`_`{c}"),
        _ => msg.to_owned(),
    };
    kind.chars().take(110).collect()
}

#[test]
fn corpus_expands_without_panics_or_internal_errors() {
    let mut files = Vec::new();
    for (_, dir) in crate_dirs() {
        rust_files(&dir, &mut files);
    }
    // Silence the default hook while expanding; panics are collected instead.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let (mut n, mut supported, mut clear, mut panics, mut parsed_files) = (0, 0, 0, 0, 0);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for path in &files {
        let Ok(src) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(file) = syn::parse_file(&src) else {
            continue;
        };
        parsed_files += 1;
        let mut c = Collect(Vec::new());
        c.visit_file(&file);
        for f in c.0 {
            n += 1;
            let item = f.to_token_stream();
            let outcomes = [
                (Kind::Jvp, run(Kind::Jvp, &item)),
                (Kind::Vjp, run(Kind::Vjp, &item)),
            ];
            let mut bad = false;
            for (mode, o) in &outcomes {
                match o {
                    Outcome::Supported => {}
                    Outcome::ClearError(msgs) => {
                        for m in msgs {
                            *kinds.entry(message_kind(m)).or_default() += 1;
                        }
                    }
                    Outcome::InternalError(msg)
                    | Outcome::Unparsable(msg)
                    | Outcome::Panic(msg) => {
                        bad = true;
                        let what = match o {
                            Outcome::Panic(_) => "panic",
                            Outcome::InternalError(_) => "internal error",
                            _ => "unparsable expansion",
                        };
                        failures.push(format!(
                            "{what} in {mode:?} on `fn {}` ({}): {msg}",
                            f.sig.ident,
                            path.display()
                        ));
                    }
                }
            }
            if outcomes.iter().any(|(_, o)| matches!(o, Outcome::Panic(_))) {
                panics += 1;
            }
            if !bad {
                if outcomes.iter().all(|(_, o)| *o == Outcome::Supported) {
                    supported += 1;
                } else {
                    clear += 1;
                }
            }
        }
    }
    std::panic::set_hook(hook);
    // Written straight to stderr so the line shows without `--nocapture`.
    let mut err = std::io::stderr();
    let _ = writeln!(
        err,
        "corpus: {n} functions, {supported} supported, {clear} clear errors, {panics} panics"
    );
    if std::env::var_os("CORPUS_VERBOSE").is_some() {
        let _ = writeln!(err, "({parsed_files} of {} files parsed)", files.len());
        let mut kinds: Vec<_> = kinds.into_iter().collect();
        kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
        for (k, count) in kinds {
            let _ = writeln!(err, "{count:6}  {k}");
        }
    }
    assert!(n > 500, "expected the functions of {CRATES:?}, found {n}");
    assert!(
        failures.is_empty(),
        "{} panics or internal errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

//! Shrinking a failing generated function to a small reproducer: remove
//! statements, nested ones included, while the failure persists.

/// Removes statements from function `k` while `fails` still holds.
pub(super) fn shrink(sources: &[String], k: usize, fails: &dyn Fn(&[String]) -> bool) -> String {
    let mut best: syn::ItemFn = match syn::parse_str(&sources[k]) {
        Ok(f) => f,
        Err(_) => return sources[k].clone(),
    };
    // Each candidate is a rebuild and a rerun: bound the work.
    let mut budget = 200;
    loop {
        let mut improved = false;
        let count = count_stmts(&best.block);
        for i in 0..count {
            if budget == 0 {
                break;
            }
            budget -= 1;
            let mut cand = best.clone();
            remove_stmt(&mut cand.block, &mut { i });
            let text = quote::ToTokens::to_token_stream(&cand).to_string();
            let mut srcs = sources.to_vec();
            srcs[k] = text;
            if fails(&srcs) {
                best = cand;
                improved = true;
                break;
            }
        }
        if !improved {
            break;
        }
    }
    prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Fn(best)],
    })
}

fn count_stmts(b: &syn::Block) -> usize {
    let mut n = 0;
    for s in &b.stmts {
        n += 1;
        for inner in nested_blocks(s) {
            n += count_stmts(inner);
        }
    }
    n
}

/// Removes the `i`-th statement in pre-order.
fn remove_stmt(b: &mut syn::Block, i: &mut usize) -> bool {
    let mut k = 0;
    while k < b.stmts.len() {
        // Keep the tail expression: it is the function's value.
        let is_tail = k + 1 == b.stmts.len() && matches!(b.stmts[k], syn::Stmt::Expr(_, None));
        if *i == 0 {
            if is_tail {
                return false;
            }
            b.stmts.remove(k);
            return true;
        }
        *i -= 1;
        for inner in nested_blocks_mut(&mut b.stmts[k]) {
            if remove_stmt(inner, i) {
                return true;
            }
        }
        k += 1;
    }
    false
}

fn nested_blocks(s: &syn::Stmt) -> Vec<&syn::Block> {
    let syn::Stmt::Expr(e, _) = s else {
        return Vec::new();
    };
    match e {
        syn::Expr::If(i) => {
            let mut v = vec![&i.then_branch];
            if let Some((_, els)) = &i.else_branch {
                if let syn::Expr::Block(b) = &**els {
                    v.push(&b.block);
                }
            }
            v
        }
        syn::Expr::ForLoop(f) => vec![&f.body],
        syn::Expr::While(w) => vec![&w.body],
        syn::Expr::Block(b) => vec![&b.block],
        _ => Vec::new(),
    }
}

fn nested_blocks_mut(s: &mut syn::Stmt) -> Vec<&mut syn::Block> {
    let syn::Stmt::Expr(e, _) = s else {
        return Vec::new();
    };
    match e {
        syn::Expr::If(i) => {
            let mut v = vec![&mut i.then_branch];
            if let Some((_, els)) = &mut i.else_branch {
                if let syn::Expr::Block(b) = &mut **els {
                    v.push(&mut b.block);
                }
            }
            v
        }
        syn::Expr::ForLoop(f) => vec![&mut f.body],
        syn::Expr::While(w) => vec![&mut w.body],
        syn::Expr::Block(b) => vec![&mut b.block],
        _ => Vec::new(),
    }
}

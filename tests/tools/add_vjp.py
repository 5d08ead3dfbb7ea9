#!/usr/bin/env python3
"""One-off helper: put `#[vjp]` after every `#[jvp]` of the `mod double` part
of behaviour-test files (idempotent) and print a `rev_dot!` skeleton per
function. Usage: python3 tests/tools/add_vjp.py tests/FILE.rs"""
import sys, re

def kinds(params):
    out = []
    depth = 0; cur = ''; parts = []
    for ch in params:
        if ch in '([': depth += 1
        if ch in ')]': depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur); cur = ''
        else:
            cur += ch
    if cur.strip(): parts.append(cur)
    for p in parts:
        name, ty = p.split(':', 1)
        name = name.replace('mut ', '').strip(); ty = ty.strip()
        fl = 'f64' in ty or 'f32' in ty
        if not fl: out.append(f'c {name}')
        elif ty.startswith('&mut'): out.append(f'mt {name}')
        elif ty.startswith('&'): out.append(f'rf {name}')
        else: out.append(f'val {name}')
    return out

for path in sys.argv[1:]:
    src = open(path).read()
    start = src.find("mod double {")
    end = src.find("} // mod double") if start >= 0 else len(src)
    if start < 0: start = 0
    body = src[start:end]
    body = re.sub(r'#\[jvp\]\n(\s*)(?!#\[vjp\])', lambda m: '#[jvp]\n' + m.group(1) + '#[vjp]\n' + m.group(1), body)
    body = body.replace('use autodiff::jvp;', 'use autodiff::{jvp, vjp};')
    src = src[:start] + body + src[end:]
    open(path, 'w').write(src)
    for m in re.finditer(r'#\[vjp\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))? )?fn (\w+)(?:<[^>]*>)?\(([^)]*(?:\)[^)]*)*?)\)\s*(->\s*[^{]*)?\{', body):
        f, params, ret = m.group(1), m.group(2), m.group(3)
        unit = '' if ret and ret.strip() not in ('-> ()',) else 'unit '
        print(f'rev_dot!({unit}{f}, {f}_jvp, {f}_vjp, 1; {", ".join(kinds(params))});')

#!/usr/bin/env python3
"""One-off helper used to add the reverse-mode tests: inserts code blocks into
the `mod double` of a behaviour-test file, each after a named function.

Usage: python3 tests/tools/insert_rev.py tests/FILE.rs SPEC
SPEC holds blocks introduced by a line `### after <fn name>`; a block whose
first `fn` name already occurs in the file is skipped. Regenerate the f32
mirror afterwards with gen_f32_mirror.py."""
import sys, re
path, spec = sys.argv[1], sys.argv[2]
src = open(path).read()
blocks = re.split(r'^### after (\w+)\n', open(spec).read(), flags=re.M)[1:]
for name, code in zip(blocks[::2], blocks[1::2]):
    new = re.search(r'fn (\w+)', code)
    if new and re.search(r'fn ' + new.group(1) + r'\b', src):
        continue
    start = src.find("mod double {")
    if start < 0: start = 0
    m = re.compile(r'fn ' + name + r'\b').search(src, start)
    assert m, name
    i = src.index('{', m.end())
    depth = 0
    while True:
        if src[i] == '{': depth += 1
        elif src[i] == '}':
            depth -= 1
            if depth == 0: break
        i += 1
    i += 1
    src = src[:i] + '\n\n' + code.rstrip('\n').strip('\n') + src[i:] if False else src[:i] + '\n\n' + code.rstrip() + src[i:]
open(path, 'w').write(src)

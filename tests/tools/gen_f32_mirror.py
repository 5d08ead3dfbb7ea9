#!/usr/bin/env python3
"""Regenerate the f32 mirror (`mod single`) of behaviour-test files from their `mod double`.

Usage: python3 tests/tools/gen_f32_mirror.py tests/bindings.rs [more files...]
"""
import sys, re
for path in sys.argv[1:]:
    src = open(path).read()
    start = src.index("mod double {")
    end_marker = "} // mod double\n"
    end = src.index(end_marker) + len(end_marker)
    head, body = src[:end], src[start:end]
    m = body.replace("f64", "f32").replace("crate::double::", "crate::single::").replace("mod double {", "mod single {").replace("} // mod double", "} // mod single")
    note = ("\n// The f32 tests below are a mechanical copy of `mod double` with every\n"
            "// `f64` replaced by `f32` (helpers come from `common::f32h`, which has\n"
            "// f32-appropriate finite-difference steps and tolerances).\n")
    open(path, "w").write(head + note + m)

#!/usr/bin/env python3
"""List every public function and object that include/novita/*.h declares, and write the C table that
makes the whole-library firmware reference all of them.

Usage: public_api.py --cc "arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb" --include DIR --out-c FILE --out-list FILE

The headers are run through the given compiler's preprocessor (so macros such as NOVITA_NODISCARD and the
`extern "C"` guards are resolved exactly as a build sees them); only text that comes from DIR/novita/*.h is
kept. A declaration counts when it is at file scope and is not a typedef or a static (inline) definition:
`T name(...);` is a function, `extern T name;` an object. Because the list is made from the headers at
build time, a new operation cannot be left out of the whole-library image; because the table takes the
address of each one, a declared function that nobody implemented fails the link.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

LINEMARKER = re.compile(r'^# (\d+) "([^"]*)"')


def preprocess(cc, include_dir, headers):
    """Return the preprocessed text that comes from the public headers, with its origin per line."""
    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as tu:
        for h in headers:
            tu.write('#include "novita/%s"\n' % os.path.basename(h))
        tu_name = tu.name
    try:
        cmd = shlex.split(cc) + ["-std=c99", "-E", "-I", include_dir, tu_name]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(tu_name)
    public_dir = os.path.realpath(os.path.join(include_dir, "novita"))
    keep, current = [], ""
    for line in out.splitlines():
        m = LINEMARKER.match(line)
        if m:
            current = m.group(2)
            continue
        if os.path.dirname(os.path.realpath(current)) == public_dir:
            keep.append((os.path.basename(current), line))
    return keep


def strip_attributes(text):
    """Remove __attribute__((...)) groups (balanced parentheses)."""
    while True:
        at = text.find("__attribute__")
        if at < 0:
            return text
        i = text.find("(", at)
        depth = 0
        for j in range(i, len(text)):
            if text[j] == "(":
                depth += 1
            elif text[j] == ")":
                depth -= 1
                if depth == 0:
                    break
        text = text[:at] + " " + text[j + 1:]


def statements(lines):
    """Split file-scope text into (header, statement) pairs; function bodies and brace blocks stay whole."""
    out, buf, header, depth = [], [], "", 0
    for h, line in lines:
        for ch in line + "\n":
            if not buf:
                if ch.isspace():
                    continue
                header = h
            buf.append(ch)
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    so_far = "".join(buf)
                    head = so_far[: so_far.find("{")].strip()
                    if head.endswith(")"):  # a function definition (static inline): ends here
                        out.append((header, so_far.strip()))
                        buf = []
            elif ch == ";" and depth == 0:
                out.append((header, "".join(buf).strip()))
                buf = []
    return out


def declarations(stmts):
    functions, objects = [], []
    for header, s in stmts:
        s = " ".join(strip_attributes(s).split())
        if not s or s.startswith("typedef") or re.search(r"\bstatic\b", s) or "{" in s:
            continue
        s = s.rstrip(";").strip()
        m = re.search(r"([A-Za-z_]\w*)\s*\(", s)
        if m and not s[: m.start()].rstrip().endswith("(*"):
            functions.append((m.group(1), header))
            continue
        if s.startswith("extern"):
            m = re.search(r"([A-Za-z_]\w*)\s*(\[[^\]]*\])?$", s)
            if m:
                objects.append((m.group(1), header))
    return functions, objects


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cc", required=True, help="compiler command whose preprocessor to use")
    ap.add_argument("--include", required=True, help="the include/ directory that holds novita/")
    ap.add_argument("--out-c", required=True, help="C file to write (the reference table)")
    ap.add_argument("--out-list", required=True, help="text file to write: kind name header, one per line")
    args = ap.parse_args()

    headers = sorted(os.path.join(args.include, "novita", f) for f in os.listdir(os.path.join(args.include, "novita"))
                     if f.endswith(".h"))
    functions, objects = declarations(statements(preprocess(args.cc, args.include, headers)))
    functions = sorted(set(functions))
    objects = sorted(set(objects))
    if not functions:
        sys.exit("public_api.py: no public function found in %s/novita/*.h" % args.include)

    with open(args.out_c, "w") as f:
        f.write("/* Generated by tests/cross/public_api.py from the public headers (include/novita): do not edit. */\n")
        f.write("#include <stddef.h>\n\n")
        for h in headers:
            f.write('#include "novita/%s"\n' % os.path.basename(h))
        f.write("\ntypedef void (*novita_any_fn)(void);\n\n")
        f.write("const volatile novita_any_fn novita_public_functions[] = {\n")
        for name, _ in functions:
            f.write("    (novita_any_fn)%s,\n" % name)
        f.write("};\nconst size_t novita_public_function_count = sizeof novita_public_functions / "
                "sizeof novita_public_functions[0];\n\n")
        f.write("const void *const volatile novita_public_objects[] = {\n")
        for name, _ in objects:
            f.write("    &%s,\n" % name)
        if not objects:
            f.write("    NULL,\n")
        f.write("};\nconst size_t novita_public_object_count = %s;\n" %
                ("sizeof novita_public_objects / sizeof novita_public_objects[0]" if objects else "0"))
    with open(args.out_list, "w") as f:
        for name, header in functions:
            f.write("function %s %s\n" % (name, header))
        for name, header in objects:
            f.write("object %s %s\n" % (name, header))
    print("public API: %d functions, %d objects in %d headers" % (len(functions), len(objects), len(headers)))


if __name__ == "__main__":
    main()

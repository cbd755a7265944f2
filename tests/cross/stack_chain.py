#!/usr/bin/env python3
"""Worst static stack chain of every public function, from GCC's -fstack-usage (.su) and
-fcallgraph-info=su (.ci) files.

Usage (standalone): stack_chain.py --obj-dir DIR --src-root DIR --image ELF --objdump TOOL [--roots FILE]
  DIR holds the .su/.ci files of the library objects (compiled from --src-root, so that .ci labels such as
  "src/client.c:471:9" name files under it); ELF is a linked image containing the library; FILE is
  public_api.txt from public_api.py (default: every global function).

What is counted:
- every frame on the deepest call chain, as GCC reports it (.su); a frame GCC marks "dynamic" is reported;
- calls to functions outside the library (libc, libgcc: memcpy, strlen, __aeabi_uldivmod, ...) with the
  frame read from the linked image (the sum of the instructions that lower sp: push / stmdb / sub sp on
  Arm, addi sp on RISC-V), and their own callees the same way;
- indirect calls inside the library, resolved by role (INDIRECT_ROLES below): the call site's member name
  (read from the source at the .ci label) picks the role, and the role's targets are the library functions
  whose address is taken (found from the object files' relocations) and whose name matches the role.
  A call site or an address-taken function that fits no role stops the analysis, so a new callback cannot
  be missed silently.
- recursion: the model decoder (novita_decode_model -> decode_value [-> decode_array] -> novita_decode_model)
  and the model encoder (write_object -> write_field -> write_object) recurse once per nesting level of the
  novita_model tables. The deepest nesting D of those tables is read from the image; the cycle is unrolled
  D + 1 times, with every call edge of the cycle usable once per nesting level (so the decoder's
  "[ {...} ] for {...}" re-call is counted at every level, as hostile input can force it). Any other
  recursion is reported as unbounded and fails the budget.

What is excluded, and said so in the output: calls through the port table (connect, send, recv, close,
now_ms, sleep_ms: the port and its TLS stack are measured separately), and the caller's own callbacks
(list on_item, wait progress, log hook, response-body callback).
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import elf32  # noqa: E402

# Indirect call sites: (member called, file of the call site or None for any, role, target-name pattern).
# role "port" and "caller" are excluded from the chain; "internal" follows the matching targets.
INDIRECT_ROLES = [
    (r"^(connect|send|recv|close|now_ms|sleep_ms)$", None, "port", None),
    (r"^log$", None, "caller", None),
    (r"^progress$", None, "caller", None),
    (r"^on_body$", None, "caller", None),
    (r"^on_item$", r"^src/api/api\.c$", "caller", None),
    (r"^on_item$", r"^src/json_stream\.c$", "internal", r"^deliver$"),         # list element -> api.c deliver
    (r"^body$", None, "internal", r"^(novita_)?write_"),                           # request body writers
    (r"^write$", r"^src/http_response\.c$", "internal", r"(_sink|_scanner_write)$"),  # response body sinks
]

# Call relocation types (calls and jumps are not "address taken").
CALL_RELOCATIONS = {
    elf32.EM_ARM: {10, 28, 29, 30, 51, 102, 103},  # THM_CALL, CALL, JUMP24, THM_JUMP24, THM_JUMP19/11/8
    elf32.EM_RISCV: {16, 17, 18, 19, 43, 44, 45, 51},  # BRANCH, JAL, CALL, CALL_PLT, ALIGN, RVC_*, RELAX
}

# Layout of novita_model / novita_field on a 32-bit target (include/novita/model.h), checked on use.
MODEL_SIZE = 12           # name, fields, uint16_t struct_size, uint16_t field_count
MODEL_FIELDS_OFFSET = 4
MODEL_COUNT_OFFSET = 10
FIELD_EXT_OFFSET = 4      # key, ext, offset, size, uint8_t kind, flags
FIELD_KIND_OFFSET = 12
NESTED_KIND_NAMES = ("NOVITA_FIELD_OBJECT", "NOVITA_FIELD_OBJECT_ARRAY")  # kinds that lead to a model:
# OBJECT's ext is the model; OBJECT_ARRAY's ext is a novita_field_array whose first member is the model
# Recursive functions whose depth the model tables bound, and what a direct self-call of each means:
# - novita_decode_model calls itself once for "[ {...} ]" where an object was documented, on the same
#   nesting level (the next level is entered through decode_value / decode_array);
# - write_object (src/model_encode.c) calls itself through write_field, which GCC inlines: a self-call is
#   the next nesting level.
RECURSION_HEADS = {"novita_decode_model": "same level", "write_object": "next level"}

INF = float("inf")


class Function:
    def __init__(self, title, name, file_, frame, qualifier):
        self.title, self.name, self.file, self.frame, self.qualifier = title, name, file_, frame, qualifier


def tool_version(tool):
    try:
        return subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return tool


def walk_files(directory, suffix):
    for base, _, names in os.walk(directory):
        for n in sorted(names):
            if n.endswith(suffix):
                yield os.path.join(base, n)


def parse_su(obj_dir):
    frames = {}
    for path in walk_files(obj_dir, ".su"):
        with open(path) as f:
            for line in f:
                loc, size, qualifier = line.rstrip("\n").split("\t")
                file_, _line, _col, name = loc.rsplit(":", 3)
                frames[(file_, name)] = (int(size), qualifier)
    return frames


NODE = re.compile(r'^node: \{ title: "([^"]*)" label: "([^"]*)"')
EDGE = re.compile(r'^edge: \{ sourcename: "([^"]*)" targetname: "([^"]*)"(?: label: "([^"]*)")?')


def parse_ci(obj_dir, frames):
    functions, edges = {}, []
    for path in walk_files(obj_dir, ".ci"):
        with open(path) as f:
            for line in f:
                m = NODE.match(line)
                if m:
                    title, parts = m.group(1), m.group(2).split("\\n")
                    name = parts[0]
                    if len(parts) >= 3 and "bytes" in parts[2]:
                        file_ = parts[1].rsplit(":", 2)[0]
                        frame, qualifier = frames.get((file_, name), (int(parts[2].split()[0]), "?"))
                        functions[title] = Function(title, name, file_, frame, qualifier)
                    continue
                m = EDGE.match(line)
                if m:
                    edges.append((m.group(1), m.group(2), m.group(3)))
    return functions, edges


def source_title(obj_path, obj_dir, name, local):
    rel = os.path.relpath(obj_path, obj_dir)
    return "%s:%s" % (rel[:-2] + ".c", name) if local else name


def address_taken(obj_dir):
    """Titles of library functions whose address is taken (a non-call relocation refers to them)."""
    taken = set()
    for path in walk_files(obj_dir, ".o"):
        obj = elf32.Elf(path)
        calls = CALL_RELOCATIONS.get(obj.machine, set())
        by_section = {}
        for sym in obj.symbols:
            if sym.type == elf32.STT_FUNC and sym.shndx:
                by_section.setdefault(sym.shndx, sym)
        for rel in obj.relocations():
            sec = rel.section
            if not sec.flags & elf32.SHF_ALLOC or sec.name.startswith((".ARM.exidx", ".eh_frame")):
                continue
            if rel.type in calls:
                continue
            sym = rel.symbol
            if sym.shndx == sec.index:  # a function's own literal pool or jump table
                continue
            if sym.type == elf32.STT_SECTION:
                sym = by_section.get(sym.shndx)
                if sym is None:
                    continue
            if sym.shndx == 0 and sym.name:  # undefined here: a global of another object (kept if a function)
                taken.add(sym.name)
            elif sym.type == elf32.STT_FUNC:
                taken.add(source_title(path, obj_dir, sym.name, sym.bind == 0))
    return taken


def member_at(src_root, label):
    """The name called at a call site: `x->resp->on_body(` -> on_body."""
    file_, line, col = label.rsplit(":", 2)
    with open(os.path.join(src_root, file_)) as f:
        text = f.read().splitlines()[int(line) - 1][int(col) - 1:]
    m = re.match(r"^([\w\s\->.\[\]()*]*?)\s*\(", text)
    expr = m.group(1) if m else text
    names = re.findall(r"[A-Za-z_]\w*", expr)
    return file_, names[-1] if names else "?"


# ------------------------------------------------------------------------------- external functions


def disassembly(objdump, image):
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", image], capture_output=True, text=True,
                         check=True).stdout
    funcs, current = {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m:
            current = funcs.setdefault(m.group(1), [])
            continue
        if current is not None and re.match(r"^\s*[0-9a-f]+:\s", line):
            current.append(line.split(":", 1)[1].strip())
    return funcs


def register_count(reglist):
    n = 0
    for part in reglist.split(","):
        part = part.strip()
        m = re.match(r"^r(\d+)-r(\d+)$", part)
        n += int(m.group(2)) - int(m.group(1)) + 1 if m else 1
    return n


SP_LOWERING = [  # (pattern, how many bytes): instructions that move sp down
    (re.compile(r"^(?:push(?:\.w)?|stmdb(?:\.w)?\s+sp!,)\s*\{([^}]*)\}"), lambda m: 4 * register_count(m.group(1))),
    (re.compile(r"^sub(?:w|\.w)?\s+sp,\s*(?:sp,\s*)?#(\d+)"), lambda m: int(m.group(1))),
    (re.compile(r"^(?:str|strd|stm)\S*\s+.*\[sp,\s*#-(\d+)\]!"), lambda m: int(m.group(1))),  # pre-indexed
    (re.compile(r"^(?:c\.)?addi?(?:16sp)?\s+sp,\s*(?:sp,\s*)?-(\d+)"), lambda m: int(m.group(1))),  # RISC-V
]
CALL = re.compile(r"^(bl|blx|jal|call|b|b\.w|j|tail)\s+(?:ra,)?\s*[0-9a-fx]+\s+<([^>+]+)>")


def external_frame(instructions):
    """Frame bytes of a libc/libgcc function (the sum of every instruction that lowers sp: an upper bound,
    also when the prologue is shrink-wrapped) and the functions it calls [(name, is_tail_call)]."""
    frame, callees = 0, []
    for ins in instructions:
        ins = ins.replace("\t", " ")
        for pattern, size in SP_LOWERING:
            m = pattern.match(ins)
            if m:
                frame += size(m)
        m = CALL.match(ins)
        if m:
            callees.append((m.group(2), m.group(1) in ("b", "b.w", "j", "tail")))
    return frame, callees


class ExternalCosts:
    def __init__(self, objdump, image):
        self.funcs = disassembly(objdump, image)
        self.memo = {}

    def cost(self, name, depth=0):
        """(bytes, chain) of an external function; builtins are looked up by their library name."""
        name = name[len("__builtin_"):] if name.startswith("__builtin_") else name
        if name in self.memo:
            return self.memo[name]
        if name not in self.funcs or depth > 16:
            return 0, [("%s (not in image)" % name, 0)]
        self.memo[name] = (0, [(name, 0)])  # recursion guard
        frame, callees = external_frame(self.funcs[name])
        best, best_chain = 0, []
        for callee, tail in callees:
            if callee == name or callee.startswith(name + "."):
                continue
            c, chain = self.cost(callee, depth + 1)
            c = c - frame if tail and c > frame else (0 if tail else c)
            if c > best:
                best, best_chain = c, chain
        result = (frame + best, [(name, frame)] + best_chain)
        self.memo[name] = result
        return result


# ------------------------------------------------------------------------------- model depth


def field_kinds(src_root):
    """Values of enum novita_field_kind, read from include/novita/model.h: (all values, nested values,
    the value of NOVITA_FIELD_OBJECT_ARRAY)."""
    with open(os.path.join(src_root, "include", "novita", "model.h")) as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    m = re.search(r"enum\s+novita_field_kind\s*\{([^}]*)\}", text)
    if not m:
        raise SystemExit("stack_chain.py: enum novita_field_kind not found in include/novita/model.h")
    values, value = {}, -1
    for item in m.group(1).split(","):
        item = item.strip()
        if not item:
            continue
        name, _, explicit = item.partition("=")
        value = int(explicit.strip(), 0) if explicit.strip() else value + 1
        values[name.strip()] = value
    return set(values.values()), {values[n] for n in NESTED_KIND_NAMES}, values["NOVITA_FIELD_OBJECT_ARRAY"]


def model_nesting_depth(image_path, src_root):
    """Deepest nesting of the novita_model tables in the image (0 = no nested model anywhere)."""
    all_kinds, nested_kinds, object_array_kind = field_kinds(src_root)
    img = elf32.Elf(image_path)
    objects = {s.value: s for s in img.symbols if s.type == elf32.STT_OBJECT and s.shndx}
    roots = [s for s in img.symbols if s.type == elf32.STT_OBJECT and s.shndx and s.name.endswith("_model")]
    if not roots:
        raise SystemExit("stack_chain.py: no *_model table in %s" % image_path)
    children, field_size = {}, None

    def load(addr):
        if addr in children:
            return
        children[addr] = []
        fields, count = img.u32(addr + MODEL_FIELDS_OFFSET), img.u16(addr + MODEL_COUNT_OFFSET)
        table = objects.get(fields)
        if count == 0:
            return
        if table is None or table.size % count:
            raise SystemExit("stack_chain.py: the novita_model at 0x%x does not look like model.h's layout; "
                             "update MODEL_SIZE / FIELD_* in tests/cross/stack_chain.py" % addr)
        size = table.size // count
        nonlocal field_size
        if field_size not in (None, size):
            raise SystemExit("stack_chain.py: novita_field sizes differ between tables (%d, %d)" % (field_size, size))
        field_size = size
        for i in range(count):
            kind = img.u16(fields + i * size + FIELD_KIND_OFFSET) & 0xFF
            child = img.u32(fields + i * size + FIELD_EXT_OFFSET) if kind in nested_kinds else 0
            if child and kind == object_array_kind:  # the model is the ext's first member
                child = img.u32(child)
            if kind not in all_kinds or (kind in nested_kinds) != (child != 0):
                raise SystemExit("stack_chain.py: field %d of the model at 0x%x does not match model.h's layout; "
                                 "update FIELD_* in tests/cross/stack_chain.py" % (i, addr))
            if child:
                children[addr].append(child)
                load(child)

    for r in roots:
        if r.size != MODEL_SIZE:
            continue
        load(r.value)
    depth_memo = {}

    def depth(addr, seen=()):
        if addr in seen:
            raise SystemExit("stack_chain.py: the model tables nest recursively (0x%x)" % addr)
        if addr not in depth_memo:
            depth_memo[addr] = max([1 + depth(c, seen + (addr,)) for c in children[addr]] or [0])
        return depth_memo[addr]

    return max(depth(a) for a in children), len(children)


# ------------------------------------------------------------------------------- the graph


def strongly_connected(nodes, succ):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        work = [(v, iter(succ(v)))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(succ(w))))
                    advanced = True
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(comp)

    for v in nodes:
        if v not in index:
            visit(v)
    return out


def analyse(obj_dir, src_root, roots, image, objdump):
    frames = parse_su(obj_dir)
    functions, edges = parse_ci(obj_dir, frames)
    taken = {title for title in address_taken(obj_dir) if title in functions}
    problems, excluded_sites = [], {"port": set(), "caller": set()}
    resolved_roles = {}
    for i, (member_re, file_re, role, target_re) in enumerate(INDIRECT_ROLES):
        if role == "internal":
            resolved_roles[i] = sorted(t for t in taken if re.search(target_re, functions[t].name))
    covered = set(t for ts in resolved_roles.values() for t in ts)
    for t in sorted(taken):
        if t not in covered and not functions[t].file.startswith("port/"):
            problems.append("address-taken function %s fits no role of INDIRECT_ROLES in tests/cross/stack_chain.py"
                            % t)
    succ, ext_calls = {t: set() for t in functions}, {t: set() for t in functions}
    for src, dst, lbl in edges:
        if src not in functions:
            continue
        if dst == "__indirect_call":
            file_, member = member_at(src_root, lbl)
            for i, (member_re, file_re, role, _) in enumerate(INDIRECT_ROLES):
                if re.search(member_re, member) and (file_re is None or re.search(file_re, file_)):
                    if role == "internal":
                        succ[src].update(resolved_roles[i])
                    else:
                        excluded_sites[role].add("%s (%s)" % (member, lbl))
                    break
            else:
                problems.append("indirect call of `%s` at %s fits no role of INDIRECT_ROLES in "
                                "tests/cross/stack_chain.py" % (member, lbl))
        elif dst in functions:
            succ[src].add(dst)
        else:
            ext_calls[src].add(dst)
    if problems:
        raise SystemExit("stack_chain.py:\n  " + "\n  ".join(problems))

    externals = ExternalCosts(objdump, image)
    depth, n_models = model_nesting_depth(image, src_root)
    levels = depth + 1
    sccs = strongly_connected(sorted(functions), lambda v: sorted(succ[v]))
    scc_of = {}
    for comp in sccs:
        if len(comp) > 1 or comp[0] in succ[comp[0]]:
            for v in comp:
                scc_of[v] = frozenset(comp)
    notes_rec = []
    memo = {}

    def ext_best(v):
        best, chain = 0, []
        for e in ext_calls[v]:
            c, ch = externals.cost(e)
            if c > best:
                best, chain = c, ch
        return best, chain

    def cost(v):
        """(bytes, chain) of the deepest chain starting at v."""
        if v in memo:
            return memo[v]
        if v in scc_of:
            result = scc_cost(v)
        else:
            best, chain = ext_best(v)
            for w in succ[v]:
                c, ch = cost(w)
                if c > best:
                    best, chain = c, ch
            f = functions[v]
            result = (f.frame + best, [(f.name, f.frame)] + chain)
        memo[v] = result
        return result

    def scc_cost(entry):
        comp = scc_of[entry]
        head_titles = [t for t in comp if functions[t].name in RECURSION_HEADS]
        if len(head_titles) != 1:
            notes_rec.append("unbounded recursion: %s" % ", ".join(sorted(functions[t].name for t in comp)))
            return INF, [("recursion " + "/".join(sorted(functions[t].name for t in comp)), 0)]
        head = head_titles[0]
        head_name = functions[head].name
        if entry != head:
            notes_rec.append("the %s recursion is entered at %s" % (head_name, functions[entry].name))
        walk_memo = {}

        def walk(v, level, used):
            key = (v, level, used)
            if key in walk_memo:
                return walk_memo[key]
            f = functions[v]
            best, chain = ext_best(v)
            for w in succ[v]:
                options = []
                if w not in comp:
                    options.append(cost(w))
                else:
                    # entering the head is the next nesting level; its self-call is what RECURSION_HEADS says
                    self_call = v == head and w == head
                    next_level = w == head and (not self_call or RECURSION_HEADS[head_name] == "next level")
                    if next_level and level < levels:
                        options.append(walk(w, level + 1, frozenset()))
                    elif not next_level and (v, w) not in used:
                        options.append(walk(w, level, used | {(v, w)}))
                for c, ch in options:
                    if c > best:
                        best, chain = c, ch
            result = (f.frame + best, [(f.name, f.frame, head_name)] + chain)
            walk_memo[key] = result
            return result

        return walk(entry, 1 if entry == head else 0, frozenset())

    results = []
    wanted = roots if roots else sorted(t for t in functions if ":" not in t)  # globals have plain titles
    for name in wanted:
        if name not in functions:
            results.append({"name": name, "bytes": 0, "chain": [("inlined or not compiled", 0)]})
            continue
        c, chain = cost(name)
        results.append({"name": name, "bytes": c, "chain": compress(chain)})
    worst = max(results, key=lambda r: r["bytes"])
    dynamic = sorted("%s (%s)" % (f.name, f.qualifier) for f in functions.values() if f.qualifier.startswith("dynamic")
                     and "bounded" not in f.qualifier)
    notes = [
        "Excluded: calls through the port table (%s); the port and its TLS library are outside this budget."
        % ", ".join(sorted({s.split()[0] for s in excluded_sites["port"]})),
        "Excluded: the caller's callbacks (%s)." % ", ".join(sorted({s.split()[0] for s in excluded_sites["caller"]})),
        "Internal indirect calls followed: %s." % "; ".join(
            "`%s` -> %s" % (INDIRECT_ROLES[i][0].strip("^$"), ", ".join(t.rsplit("/", 1)[-1] for t in ts))
            for i, ts in sorted(resolved_roles.items())),
        "Recursion: %s are unrolled %d times (deepest nesting of the image's %d model tables: %d), each "
        "call edge of a cycle once per level." % (" and ".join(sorted(RECURSION_HEADS)), levels, n_models, depth),
    ]
    notes.append("Upper bounds: call paths are not checked for feasibility. In the decoder, for instance, "
                 "decode_array -> decode_value (string elements) is counted as if it could lead to the next "
                 "nesting level, which costs up to one decode_value frame per level more than the real worst "
                 "case.")
    notes += notes_rec
    if dynamic:
        notes.append("Dynamic frames (alloca/VLA), counted at their static part only: " + ", ".join(dynamic))
    largest = sorted(((f.name, f.frame) for f in functions.values()), key=lambda x: -x[1])
    return {"roots": results, "worst": worst, "notes": notes, "largest_frames": largest,
            "model_depth": depth}


def compress(chain):
    """Fold the steps of one recursion into a single step: "[write_object recursion: 8 calls]"."""
    out = []
    for step in chain:
        if len(step) == 3:
            head = step[2]
            if out and len(out[-1]) == 3 and out[-1][2][0] == head:
                _, total, (_, calls, heads) = out.pop()
                calls, heads, total = calls + 1, heads + (step[0] == head), total + step[1]
            else:
                calls, heads, total = 1, int(step[0] == head), step[1]
            out.append(("[%s recursion: %d calls, %d of %s]" % (head, calls, heads, head), total, (head, calls, heads)))
        else:
            out.append(step)
    return [(s[0], s[1]) for s in out]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--obj-dir", required=True)
    ap.add_argument("--src-root", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--objdump", required=True)
    ap.add_argument("--roots", help="public_api.txt (default: every global function)")
    args = ap.parse_args()
    roots = []
    if args.roots:
        with open(args.roots) as f:
            roots = [line.split()[1] for line in f if line.startswith("function ")]
    r = analyse(args.obj_dir, args.src_root, roots, args.image, args.objdump)
    for note in r["notes"]:
        print("note: " + note)
    for x in sorted(r["roots"], key=lambda x: -x["bytes"]):
        print("%6s  %s: %s" % (x["bytes"], x["name"], " -> ".join("%s(%d)" % (n, f) for n, f in x["chain"])))
    print("worst: %s bytes (%s)" % (r["worst"]["bytes"], r["worst"]["name"]))


if __name__ == "__main__":
    main()

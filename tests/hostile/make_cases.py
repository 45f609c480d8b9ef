#!/usr/bin/python3
"""Write the generated families of tests/hostile/cases/*.case.

usage: make_cases.py [--out DIR] [--pending DIR]

Run by hand when a family changes; the .case files it writes are the
corpus (committed), this script is only how they were made. Every family
writes files named gen-<family>-<n>-<what>.case and first deletes the old
gen-*.case files, so the hand-written cases (any other name) stay. The
expectations (exit status, message, position) come from the documented
contract — docs/config.md's schema tables for keys, types, bounds and
defaults, docs/cli.md for options and exit statuses — not from running
pesim; tests/hostile/run.py then checks that pesim agrees.

Standard library only. A few inputs are real pesim outputs (the run JSON
and sweep CSVs that `pesim report`, `sweep merge` and `sweep pareto` read):
tests/hostile/data/, written once by pesim 0.1.0 with tests/hostile/data/make.sh.
"""

import argparse
import glob
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

CASES = []  # (filename, text, pending)


# --------------------------------------------------------------------------
# Writing a case
# --------------------------------------------------------------------------

def is_literal(data):
    """A section can be literal when it is UTF-8 text of whole lines with no
    CR, no control bytes other than tab, and no line that would read as a
    section header."""
    if not data.endswith(b"\n"):
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "\r" in text or "\ufeff" in text:
        return False
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        return False
    return not any(l.startswith("--- ") for l in text.split("\n"))


def escape(data):
    """Escaped section body: printable ASCII as is, the rest as \\xNN; a
    case-file line break after each \\n (the runner drops those)."""
    out = []
    for b in data:
        c = chr(b)
        if c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append("\\x%02x" % b)
    s = "".join(out)
    if not s.endswith("\n"):
        s += "\n"
    return s


def case(name, desc, args, exit, stderr=(), stdout=(), files=None, absent=(),
         unchanged=(), device=(), fifo=(), needs=(), pending=False):
    assert "\n" not in desc
    lines = ["# " + desc, "args: " + args, "exit: %d" % exit]
    lines += ["stderr: " + s for s in stderr]
    lines += ["stdout: " + s for s in stdout]
    lines += ["absent: " + s for s in absent]
    lines += ["unchanged: " + s for s in unchanged]
    lines += ["device: " + s for s in device]
    lines += ["fifo: " + s for s in fifo]
    lines += ["needs: " + s for s in needs]
    text = "\n".join(lines) + "\n"
    for fname, data in (files or {}).items():
        if isinstance(data, str):
            data = data.encode("utf-8")
        if is_literal(data):
            text += "--- %s\n" % fname + data.decode("utf-8")
        else:
            text += "--- %s (escaped)\n" % fname + escape(data)
    fname = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") + ".case"
    CASES.append((fname, text, pending))


# --------------------------------------------------------------------------
# The schema tables of docs/config.md
# --------------------------------------------------------------------------

def schema(doc, which):
    """{dotted key: (type, allowed, default)} of one <!-- schema:X --> block."""
    text = open(os.path.join(ROOT, "docs", doc), encoding="utf-8").read()
    block = text.split("<!-- schema:%s -->" % which)[1].split("<!-- /schema:%s -->" % which)[0]
    keys = {}
    prefixes = [""]
    for line in block.split("\n"):
        if line.startswith("#### "):
            heads = re.findall(r"`([^`]+)`", line)
            prefixes = [h.replace("[]", "") + "." for h in heads] if heads else [""]
        m = re.match(r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|", line)
        if m:
            for p in prefixes:
                keys[p + m.group(1)] = (m.group(2).strip(), m.group(3).strip(),
                                        m.group(4).strip())
    return keys


ARCH_SCHEMA = schema("config.md", "arch")
WL_SCHEMA = schema("config.md", "workload")


def bounds(allowed):
    m = re.match(r"^\[(-?[0-9.e+]+), (-?[0-9.e+]+)\]$", allowed)
    return (float(m.group(1)), float(m.group(2))) if m else None


# --------------------------------------------------------------------------
# Canonical inputs, one key per line so that every value has a known place
# --------------------------------------------------------------------------

# (indent, key, value): value None opens a mapping.
ARCH = [
    (0, "clock_mhz", "1000"),
    (0, "word_bits", None),
    (2, "weights", "16"), (2, "inputs", "16"), (2, "outputs", "16"),
    (0, "pe_array", None),
    (2, "rows", "16"), (2, "cols", "16"), (2, "mac_latency_cycles", "1"),
    (2, "scratchpad", None),
    (4, "weights", "64"), (4, "inputs", "32"), (4, "outputs", "32"),
    (0, "noc", None),
    (2, "weights", None), (4, "width_words", "16"), (4, "multicast", "true"),
    (2, "inputs", None), (4, "width_words", "16"), (4, "multicast", "true"),
    (2, "outputs", None), (4, "width_words", "16"), (4, "multicast", "false"),
    (0, "glb", None),
    (2, "capacity_bytes", "131072"), (2, "banks", "16"),
    (2, "bank_words_per_cycle", "4"), (2, "read_ports", "2"), (2, "write_ports", "1"),
    (2, "holds", "[weights, inputs, outputs]"),
    (2, "max_bytes", None),
    (4, "weights", "0"), (4, "inputs", "0"), (4, "outputs", "0"),
    (2, "double_buffer", "true"),
    (0, "energy", None),
    (2, "unit", "normalized"), (2, "mac", "1"), (2, "rf_read", "1"), (2, "rf_write", "1"),
    (2, "noc", "2"), (2, "glb_read", "6"), (2, "glb_write", "6"),
    (2, "dram_read", "200"), (2, "dram_write", "200"), (2, "leakage_per_cycle", "0"),
    (0, "area", None),
    (2, "rf_per_glb_byte", "1.6"),
    # required keys last, so that any cut before the end misses one
    (0, "dram", None),
    (2, "bandwidth_gbps", "16"), (2, "latency_cycles", "100"),
    (0, "name", "hostile-arch"),
]

WL = [
    (0, "source", "hostile corpus"),
    (0, "layers", "LIST"),
    (4, "type", "conv"), (4, "N", "1"), (4, "G", "1"), (4, "M", "8"), (4, "C", "4"),
    (4, "P", "6"), (4, "Q", "6"), (4, "R", "3"), (4, "S", "3"),
    (4, "stride", "1"), (4, "padding", "0"), (4, "dilation", "1"),
    (4, "name", "L1"),
    (0, "name", "hostile-net"),
]


def paths_of(entries):
    """Dotted path of every entry (layers[0] for the workload's list)."""
    out = []
    stack = []
    for ind, key, val in entries:
        while stack and stack[-1][0] >= ind:
            stack.pop()
        prefix = ".".join(k for _, k in stack)
        if prefix == "layers":
            prefix = "layers[0]"
        path = (prefix + "." if prefix else "") + key
        out.append(path)
        if val is None or val == "LIST":
            stack.append((ind, key))
    return out


def render(entries, replace=None, drop=None, rename=None):
    """Text and {path: (line, col)} of every value. replace: {i: text};
    drop: an index whose entry (and children) is left out; rename: {i: key}."""
    replace = replace or {}
    rename = rename or {}
    lines = []
    pos = {}
    paths = paths_of(entries)
    skip_below = None
    for i, (ind, key, val) in enumerate(entries):
        if skip_below is not None:
            if ind > skip_below:
                continue
            skip_below = None
        if i == drop:
            if val is None or val == "LIST":
                skip_below = ind
            continue
        k = rename.get(i, key)
        if val == "LIST":
            lines.append(" " * ind + k + ":")
            first = True
            continue
        v = replace.get(i, val)
        lead = " " * ind
        if ind == 4 and entries is WL and first:
            lead = "  - "
            first = False
        if val is None:
            lines.append(lead + k + ":" + ("" if i not in replace else " " + v))
        else:
            lines.append(lead + k + ": " + v)
            pos[paths[i]] = (len(lines), len(lead) + len(k) + 3)
    return "\n".join(lines) + "\n", pos


ARCH_TEXT, ARCH_POS = render(ARCH)
WL_TEXT, WL_POS = render(WL)

RUN_ARCH = "run --arch @arch.yaml --workload @wl.yaml --engine analysis"
RUN_WL = "run --arch generic-16x16 --workload @wl.yaml --engine analysis"

MAPPING = """mapping:
  dram:
    temporal: [{dim: P, bound: 4}, {dim: Q, bound: 2}, {dim: M, bound: 2}]
    bypass: []
  glb:
    temporal: [{dim: M, bound: 4}]
    bypass: []
  spatial: [{dim: M, bound: 14, axis: x}, {dim: C, bound: 3, axis: y}, {dim: R, bound: 4, axis: y}]
  rf:
    temporal: [{dim: R, bound: 3}, {dim: S, bound: 11}, {dim: P, bound: 14}, {dim: Q, bound: 28}]
    bypass: [inputs, outputs]
"""
RUN_MAP = ("run --arch eyeriss-v1 --workload alexnet --layer CONV1 --mapping @m.yaml "
           "--engine analysis")

SPEC = """sweep: hostile
base:
  arch: generic-16x16
  workload: wl.yaml
  engine: analysis
axes:
  - {key: pe_array.rows, values: [8, 16]}
  - {key: dataflow, values: [ws, os]}
constraints:
  - pe_array.rows >= 8
"""

SCALESIM = """Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
Conv1,32,32,3,3,3,16,1,
Conv2,30,30,3,3,16,32,2,
"""
SCALESIM_HEADER = SCALESIM.split("\n")[0]

SCALESIM_CFG = """[general]
run_name = t

[architecture_presets]
ArrayHeight: 8
ArrayWidth: 4
IfmapSramSzkB: 64
FilterSramSzkB: 64
OfmapSramSzkB: 64
IfmapOffset: 0
FilterOffset: 10000000
OfmapOffset: 20000000
Bandwidth : 10
Dataflow : ws
MemoryBanks: 1

[run_presets]
InterfaceBandwidth: CALC
"""

TIMELOOP_SHORT = """problem:
  version: 0.4
  instance:
    C: 3
    M: 16
    N: 1
    P: 8
    Q: 8
    R: 3
    S: 3
    Hstride: 1
    Wstride: 1
  shape:
    name: CNN_Layer
    dimensions: [C, M, R, S, N, P, Q]
"""

TIMELOOP = open(os.path.join(ROOT, "tests", "importers", "data", "timeloop_alexnet_conv1.yaml"),
                encoding="utf-8").read()

ERT = """ERT:
  version: 0.3
  tables:
  - name: t.mac
    actions:
    - {name: mac, arguments: null, energy: 0.5}
  - name: t.rf
    actions:
    - {name: read, arguments: null, energy: 1.0}
    - {name: write, arguments: null, energy: 1.2}
  - name: t.glb
    actions:
    - {name: read, arguments: null, energy: 6.0}
    - {name: write, arguments: null, energy: 6.5}
  - name: t.dram
    actions:
    - {name: read, arguments: null, energy: 200}
    - {name: write, arguments: null, energy: 210}
"""

EMAP = """accelergy_map:
  mac: {component: t.mac, action: mac}
  rf_read: {component: t.rf, action: read}
  rf_write: {component: t.rf, action: write}
  noc: {component: t.rf, action: read, scale: 2}
  glb_read: {component: t.glb, action: read}
  glb_write: {component: t.glb, action: write}
  dram_read: {component: t.dram, action: read}
  dram_write: {component: t.dram, action: write}
"""

ART = """ART:
  version: 0.3
  tables:
  - {name: t.rf, area: 100}
  - {name: t.glb, area: 5000}
"""

EMAP_AREA = EMAP + """  area:
    rf: {component: t.rf, bytes: 64}
    glb: {component: t.glb, bytes: 4096}
"""

ACC_ARCH = ARCH_TEXT.replace("  unit: normalized\n", "  accelergy:\n    ert: ert.yaml\n    map: map.yaml\n")
ACC_ARCH = re.sub(r"  (mac|rf_read|rf_write|noc|glb_read|glb_write|dram_read|dram_write): [0-9]+\n",
                  "", ACC_ARCH)


def wl_files(extra=None):
    d = {"wl.yaml": WL_TEXT}
    d.update(extra or {})
    return d


# --------------------------------------------------------------------------
# Families
# --------------------------------------------------------------------------

def bad_values(typ, allowed):
    """(label, YAML text, what the message must contain) of values a key of
    this type must refuse."""
    out = [("list", "[1, 2, 3]", "got a list"), ("mapping", "{a: 1}", "got a mapping")]
    if typ != "string":
        out.insert(0, ("string", "'abc'", "got 'abc'"))
    b = bounds(allowed)
    if typ == "integer":
        lo, hi = b
        out += [("fraction", "1.5", "got 1.5"),
                ("overflow", "99999999999999999999999", "overflows 64 bits"),
                ("hex", "0x10", "got 0x10"),
                ("above", "%d" % (int(hi) + 1), "got %d" % (int(hi) + 1))]
        if lo > 0:
            out.append(("below", "%d" % (int(lo) - 1), "got %d" % (int(lo) - 1)))
        else:
            out.append(("negative", "-1", "got -1"))
    elif typ == "number":
        lo, hi = b
        out += [("nan", ".nan", "got '.nan'"), ("inf", ".inf", "got '.inf'"),
                ("huge", "1e400", "got 1e400"), ("above", "%g" % (hi * 10), "got %g" % (hi * 10))]
        out.append(("below", "-1" if lo >= 0 else "-1e301", ""))
    elif typ == "bool":
        out += [("yes", "yes", "got 'yes'"), ("one", "1", "got 1")]
    elif typ == "enum":
        out += [("unknown", "joules", "got 'joules'")]
    elif typ == "string":
        most = int(re.match(r"1 to (\d+) characters", allowed).group(1))
        out += [("toolong", "'%s'" % ("x" * (most + 1)), "expected a string of 1 to %d characters" % most),
                ("empty", "''", "")]
    elif typ.startswith("list of"):
        out = [("mapping", "{a: 1}", "got a mapping"), ("unknown", "[weights, bogus]", "got 'bogus'"),
               ("number-item", "[1]", "got 1"), ("scalar-int", "3", ""), ("nested", "[[weights]]", "")]
    return out


def family_types(entries, schema_, text_pos, file, args, files_fn, label):
    n = 0
    paths = paths_of(entries)
    for i, (ind, key, val) in enumerate(entries):
        if val is None or val == "LIST":
            continue
        path = paths[i]
        sk = re.sub(r"\[\d+\]", "", path)
        typ, allowed, default = schema_[sk]
        if typ.startswith("integer or"):
            typ = "integer"
        for what, v, msg in bad_values(typ, allowed):
            text, pos = render(entries, replace={i: v})
            line, col = pos[path]
            where = "%s:%d:%d: error: %s: " % (file, line, col, path)
            if typ.startswith("list of") and v.startswith("["):
                where = "%s:%d:" % (file, line)
            n += 1
            case("gen-%s-type-%03d-%s-%s" % (label, n, path.replace("[0]", ""), what),
                 "%s: %s (%s) given %s (%s) is bad input at its own position" %
                 (file, path, typ, v, what),
                 args, 2, stderr=[where] +
                 ([msg] if msg else []),
                 files=files_fn({file: text}))


def family_missing(entries, schema_, file, args, files_fn, label):
    n = 0
    paths = paths_of(entries)
    for i, (ind, key, val) in enumerate(entries):
        path = paths[i]
        sk = re.sub(r"\[\d+\]", "", path)
        typ, allowed, default = schema_[sk]
        text, _ = render(entries, drop=i)
        n += 1
        required = default == "required" or (label == "wl" and key in ("M", "C", "P", "Q"))
        # the three scratchpads are required unless `shared` is given
        required = required or sk.startswith("pe_array.scratchpad.")
        # the only key of its section: the section is left empty, which is no mapping
        only_child = (i + 1 == len(entries) or entries[i + 1][0] < ind) and entries[i - 1][2] is None \
            and entries[i - 1][0] < ind
        if only_child:
            parent = path.rsplit(".", 1)[0]
            case("gen-%s-missing-%03d-%s" % (label, n, path.replace("[0]", "")),
                 "%s: a section (%s) left empty is no mapping and is refused" % (file, parent),
                 args, 2, stderr=["%s:" % file, "error: %s: got nothing, expected a mapping" % parent],
                 files=files_fn({file: text}))
            continue
        if label == "wl" and key == "layers":
            required = True
        if required:
            case("gen-%s-missing-%03d-%s" % (label, n, path.replace("[0]", "")),
                 "%s without the required key %s is refused, naming it" % (file, path),
                 args, 2, stderr=["%s:" % file, "error: %s: missing" % path
                                  if key != "layers" else "error:"],
                 files=files_fn({file: text}))
        else:
            case("gen-%s-missing-%03d-%s" % (label, n, path.replace("[0]", "")),
                 "%s without the optional key %s takes its default and runs" % (file, path),
                 args, 0, files=files_fn({file: text}))


def family_typos(entries, file, args, files_fn, label):
    n = 0
    paths = paths_of(entries)
    for i, (ind, key, val) in enumerate(entries):
        if len(key) < 4:
            continue
        typo = key[:-2] + key[-1]  # drop the last letter but one
        text, _ = render(entries, rename={i: typo})
        n += 1
        prefix = paths[i][:-len(key)]
        case("gen-%s-typo-%03d-%s" % (label, n, paths[i].replace("[0]", "")),
             "%s: the misspelt key %s is an error that suggests %s" % (file, prefix + typo, key),
             args, 2, stderr=["%s:" % file, "error: %s%s: unknown key" % (prefix, typo),
                              "did you mean '%s'?" % key],
             files=files_fn({file: text}))


def family_truncate(label, file, data, args, files_fn, cuts, extra_err=()):
    """Cut a valid file in the middle of a key name on several lines: always
    a YAML syntax error or a missing key, never a crash."""
    lines = data.split("\n")
    n = 0
    offsets = []
    off = 0
    for l in lines:
        offsets.append(off)
        off += len(l) + 1
    for frac in cuts:
        li = int(frac * (len(lines) - 1))
        while li < len(lines) and not re.search(r"[A-Za-z_]{2}", lines[li]):
            li += 1
        if li >= len(lines):
            continue
        m = re.search(r"[A-Za-z_]{2,}", lines[li])
        cut = offsets[li] + m.start() + max(1, (m.end() - m.start()) // 2)
        n += 1
        case("gen-%s-truncated-%02d-at-%d" % (label, n, cut),
             "%s cut after %d of its %d bytes (inside a name on line %d) is refused at a position"
             % (file, cut, len(data), li + 1),
             args, 2, stderr=["%s:" % file, "error:"] + list(extra_err),
             files=files_fn({file: data[:cut]}))


def family_hostile_bytes(label, file, data, args, files_fn, yaml=True):
    """The same valid content, spoiled in the ways a hand-edited file is."""
    b = data.encode()
    first_nl = b.index(b"\n")
    variants = [
        ("empty", b"", 2, "an empty file is bad input"),
        ("newline-only", b"\n", 2, "a file of one newline is bad input"),
        ("nul-in-middle", b[:first_nl] + b"\x00" + b[first_nl:], 2,
         "a NUL byte in the first line is bad input, not a truncated string"),
        ("nul-only", b"\x00" * 64, 2, "64 NUL bytes are bad input"),
        ("binary", bytes(range(256)), 2, "every byte value once is bad input"),
    ]
    if yaml:
        variants += [
            ("bom", b"\xef\xbb\xbf" + b, 0, "a UTF-8 byte-order mark before valid YAML is accepted"),
            ("crlf", b.replace(b"\n", b"\r\n"), 0, "CRLF line ends are accepted"),
            ("bom-crlf", b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), 0,
             "a BOM and CRLF line ends together are accepted"),
            ("tab-indent", b.replace(b"\n  ", b"\n\t", 1), 2,
             "a tab as indentation is a YAML error"),
            ("scalar", b"just a string\n", 2, "a document that is a scalar is bad input"),
            ("list", b"- 1\n- 2\n", 2, "a document that is a list is bad input"),
            ("two-docs", b + b"---\n" + b, 2, "two YAML documents in one file are bad input"),
            ("deep-flow", b"[" * 200 + b"]" * 200 + b"\n", 2,
             "200 nested flow lists are refused, not recursed into"),
            ("deep-block", b"".join(b"  " * k + b"k%d:\n" % k for k in range(60)), 2,
             "60 nested block mappings are refused without a crash"),
            ("alias-bomb",
             b"a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
             b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
             2, "aliases that expand to 4096 nodes are refused quickly"),
            ("unclosed-quote", b"name: \"abc\n", 2, "an unterminated quoted string is a YAML error"),
            ("dup-top", b + b.split(b"\n")[0] + b"\n", 2,
             "a top-level key given twice is an error naming the first"),
            ("latin1", b.replace(b"\n", b"\n# caf\xe9\n", 1), 2,
             "a Latin-1 byte in a comment is not UTF-8 and is refused"),
            ("garbage-tail", b + b"}}}]]]:::\n", 2, "junk after valid YAML is a syntax error"),
        ]
    n = 0
    for what, content, ex, desc in variants:
        n += 1
        case("gen-%s-bytes-%02d-%s" % (label, n, what), "%s: %s" % (file, desc), args, ex,
             stderr=["%s:" % file, "error:"] if ex == 2 else [],
             files=files_fn({file: content}))


# --------------------------------------------------------------------------

def arch_families():
    files = lambda d: wl_files(d)
    case("gen-arch-valid", "the canonical architecture of the corpus runs (the base of every arch family)",
         RUN_ARCH, 0, stdout=["hostile-arch"], files=files({"arch.yaml": ARCH_TEXT}))
    family_types(ARCH, ARCH_SCHEMA, ARCH_POS, "arch.yaml", RUN_ARCH, files, "arch")
    family_missing(ARCH, ARCH_SCHEMA, "arch.yaml", RUN_ARCH, files, "arch")
    family_typos(ARCH, "arch.yaml", RUN_ARCH, files, "arch")
    family_truncate("arch", "arch.yaml", ARCH_TEXT, RUN_ARCH, files,
                    [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.97])
    family_hostile_bytes("arch", "arch.yaml", ARCH_TEXT, RUN_ARCH, files)


def wl_families():
    files = lambda d: d
    case("gen-wl-valid", "the canonical workload of the corpus runs (the base of every workload family)",
         RUN_WL, 0, stdout=["hostile-net"], files={"wl.yaml": WL_TEXT})
    family_types(WL, WL_SCHEMA, WL_POS, "wl.yaml", RUN_WL, files, "wl")
    family_missing(WL, WL_SCHEMA, "wl.yaml", RUN_WL, files, "wl")
    family_typos(WL, "wl.yaml", RUN_WL, files, "wl")
    family_truncate("wl", "wl.yaml", WL_TEXT, RUN_WL, files, [0.0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9])
    family_hostile_bytes("wl", "wl.yaml", WL_TEXT, RUN_WL, files)


def mapping_families():
    files = lambda d: d
    case("gen-map-valid", "the corpus mapping (docs/examples/conv1-ws.yaml) runs AlexNet CONV1",
         RUN_MAP, 0, files={"m.yaml": MAPPING})
    swaps = [
        ("dim-unknown", "{dim: P, bound: 4}", "{dim: Z, bound: 4}", "got 'Z'"),
        ("dim-lower", "{dim: P, bound: 4}", "{dim: p, bound: 4}", "got 'p'"),
        ("bound-zero", "{dim: P, bound: 4}", "{dim: P, bound: 0}", "got 0"),
        ("bound-negative", "{dim: P, bound: 4}", "{dim: P, bound: -4}", "got -4"),
        ("bound-overflow", "{dim: P, bound: 4}", "{dim: P, bound: 99999999999999999999}", "overflows"),
        ("bound-huge", "{dim: P, bound: 4}", "{dim: P, bound: 4294967296}", "got 4294967296"),
        ("bound-string", "{dim: P, bound: 4}", "{dim: P, bound: four}", "got 'four'"),
        ("bound-missing", "{dim: P, bound: 4}", "{dim: P}", "missing"),
        ("dim-missing", "{dim: P, bound: 4}", "{bound: 4}", "missing"),
        ("extra-key", "{dim: P, bound: 4}", "{dim: P, bound: 4, tile: 2}", "unknown key"),
        ("axis-unknown", "axis: x}", "axis: z}", "got 'z'"),
        ("axis-missing", "{dim: M, bound: 14, axis: x}", "{dim: M, bound: 14}", "missing"),
        ("bypass-unknown", "bypass: [inputs, outputs]", "bypass: [inputs, psums]", "psums"),
        ("bypass-scalar", "bypass: [inputs, outputs]", "bypass: 7", "bypass"),
        ("temporal-scalar", "temporal: [{dim: M, bound: 4}]", "temporal: M", "temporal"),
        ("temporal-mapping", "temporal: [{dim: M, bound: 4}]", "temporal: {dim: M}", "temporal"),
        ("spatial-mapping", "spatial: [", "spatial: {x: [", ""),
        ("level-unknown", "  glb:\n", "  gbl:\n", "did you mean 'glb'"),
        ("dram-bypass", "  dram:\n    temporal: [{dim: P, bound: 4}, {dim: Q, bound: 2}, {dim: M, bound: 2}]\n    bypass: []",
         "  dram:\n    temporal: [{dim: P, bound: 4}, {dim: Q, bound: 2}, {dim: M, bound: 2}]\n    bypass: [weights]",
         ""),
        ("product-short", "{dim: Q, bound: 2}", "{dim: Q, bound: 1}", ""),
        ("product-2-40", "{dim: Q, bound: 2}", "{dim: Q, bound: 4294967295}, {dim: Q, bound: 4294967295}", ""),
        ("spatial-too-wide", "{dim: M, bound: 14, axis: x}", "{dim: M, bound: 28, axis: x}", ""),
        ("top-mapping-list", "mapping:\n", "mapping: []\nx:\n", ""),
        ("no-mapping", "mapping:\n", "mappings:\n", "mappings"),
    ]
    for i, (what, old, new, msg) in enumerate(swaps, 1):
        assert old in MAPPING, old
        case("gen-map-%02d-%s" % (i, what),
             "mapping file: %s is bad input at its position (exit 2), not a simulation failure" % what,
             RUN_MAP, 2, stderr=["m.yaml:", "error:"] + ([msg] if msg else []),
             files={"m.yaml": MAPPING.replace(old, new, 1)})
    family_truncate("map", "m.yaml", MAPPING, RUN_MAP, files, [0.0, 0.2, 0.4, 0.6, 0.8, 0.95])
    family_hostile_bytes("map", "m.yaml", MAPPING, RUN_MAP, files)
    layers = "layers:\n  - layer: CONV1\n    mapping:\n" + "".join(
        "    " + l + "\n" for l in MAPPING.split("\n")[1:] if l)
    case("gen-map-product-long", "a mapping whose Q loops cover 84 > 55 is valid (partial tiles, docs/model.md)",
         RUN_MAP, 0, files={"m.yaml": MAPPING.replace("{dim: Q, bound: 2}", "{dim: Q, bound: 3}")})
    case("gen-map-set-valid", "a mapping set (layers: list) runs its layer",
         RUN_MAP, 0, files={"m.yaml": layers})
    case("gen-map-set-unknown-layer", "a mapping set for a layer the workload lacks, without one for CONV1",
         RUN_MAP, 2, stderr=["error:"], files={"m.yaml": layers.replace("CONV1", "CONV9")})
    case("gen-map-set-duplicate-layer", "a mapping set naming CONV1 twice is refused",
         RUN_MAP, 2, stderr=["m.yaml:", "error:"], files={"m.yaml": layers + layers[8:]})
    case("gen-map-set-and-mapping", "a file with both mapping and layers is refused",
         RUN_MAP, 2, stderr=["m.yaml:", "error:"], files={"m.yaml": MAPPING + layers})
    case("gen-map-nofit", "a valid mapping whose tiles overflow a 2-byte GLB is a simulation failure (exit 1)",
         RUN_MAP + " --set glb.capacity_bytes=2", 1, stderr=["error:"], files={"m.yaml": MAPPING})


def sweep_families():
    def files(d):
        out = {"wl.yaml": WL_TEXT}
        out.update(d)
        return out
    args = "sweep @spec.yaml -o @out.csv --quiet"
    case("gen-sweep-valid", "the corpus sweep spec runs its four points", args, 0,
         files=files({"spec.yaml": SPEC}))
    swaps = [
        ("no-name", "sweep: hostile\n", "", "missing"),
        ("no-base", "base:\n  arch: generic-16x16\n  workload: wl.yaml\n  engine: analysis\n", "", "base"),
        ("no-axes", "axes:\n  - {key: pe_array.rows, values: [8, 16]}\n  - {key: dataflow, values: [ws, os]}\n", "", "axes"),
        ("empty-axes", "axes:\n  - {key: pe_array.rows, values: [8, 16]}\n  - {key: dataflow, values: [ws, os]}\n", "axes: []\n", ""),
        ("axis-unknown-key", "key: pe_array.rows", "key: pe_array.rowz", "pe_array.rowz"),
        ("axis-dup-key", "key: dataflow", "key: pe_array.rows", ""),
        ("axis-empty-values", "values: [8, 16]", "values: []", ""),
        ("axis-value-type", "values: [8, 16]", "values: [8, sixteen]", ""),
        ("axis-value-range", "values: [8, 16]", "values: [8, 0]", ""),
        ("axis-value-list", "values: [8, 16]", "values: [[8], 16]", ""),
        ("axis-both", "values: [8, 16]", "values: [8, 16], range: {from: 8, to: 16, step: 8}", ""),
        ("axis-neither", "{key: pe_array.rows, values: [8, 16]}", "{key: pe_array.rows}", ""),
        ("range-step-zero", "values: [8, 16]", "range: {from: 8, to: 16, step: 0}", ""),
        ("range-factor-one", "values: [8, 16]", "range: {from: 8, to: 16, factor: 1}", ""),
        ("range-backwards", "values: [8, 16]", "range: {from: 16, to: 8, step: 1}", ""),
        ("range-nan", "values: [8, 16]", "range: {from: .nan, to: 16, step: 1}", ""),
        ("range-huge-count", "values: [8, 16]", "range: {from: 1, to: 1e300, step: 1}", ""),
        ("range-both", "values: [8, 16]", "range: {from: 8, to: 16, step: 8, factor: 2}", ""),
        ("dataflow-unknown", "values: [ws, os]", "values: [ws, xx]", "xx"),
        ("base-arch-missing-file", "arch: generic-16x16", "arch: no-such-arch.yaml", "no-such-arch"),
        ("base-workload-missing", "workload: wl.yaml", "workload: nope.yaml", "nope"),
        ("base-engine", "engine: analysis", "engine: warp", "warp"),
        ("base-batch-zero", "engine: analysis", "engine: analysis\n  batch: 0", ""),
        ("base-unknown-key", "engine: analysis", "engine: analysis\n  engin: event", "did you mean"),
        ("constraint-syntax", "pe_array.rows >= 8", "pe_array.rows >= ", ""),
        ("constraint-unknown-name", "pe_array.rows >= 8", "pe_array.rowz >= 8", "pe_array.rowz"),
        ("constraint-parens", "pe_array.rows >= 8", "((pe_array.rows >= 8)", ""),
        ("constraint-deep-parens", "pe_array.rows >= 8", "(" * 300 + "1" + ")" * 300, ""),
        ("constraint-junk", "pe_array.rows >= 8", "pe_array.rows >= 8 $(touch pwned)", ""),
        ("constraint-not-string", "  - pe_array.rows >= 8", "  - [1, 2]", ""),
        ("constraint-backquote", "pe_array.rows >= 8", "`touch pwned`", ""),
        ("layers-nomatch", "engine: analysis", "engine: analysis\n  layers: NOPE", "NOPE"),
    ]
    for i, (what, old, new, msg) in enumerate(swaps, 1):
        assert old in SPEC, old
        case("gen-sweep-%02d-%s" % (i, what),
             "sweep spec: %s is a spec error (exit 2) and no results are written" % what,
             args, 2, stderr=["error:"] + ([msg] if msg else []), absent=["out.csv"],
             files=files({"spec.yaml": SPEC.replace(old, new, 1)}))
    family_truncate("sweep", "spec.yaml", SPEC, args, files, [0.0, 0.2, 0.4, 0.6, 0.8])
    family_hostile_bytes("sweep", "spec.yaml", SPEC, args, files)
    opts = [
("jobs-negative", "--jobs -1", 2), ("jobs-text", "--jobs many", 2),
        ("jobs-huge", "--jobs 99999999999999999999", 2), ("shard-zero", "--shard 0/2", 2),
        ("shard-over", "--shard 3/2", 2), ("shard-text", "--shard a/b", 2), ("shard-noslash", "--shard 1", 2),
        ("shard-zero-of-zero", "--shard 0/0", 2), ("jobs-above", "--jobs 257", 2),
        ("shard-long", "--shard 11111111111111111111/2", 2), ("format-bad", "--format xml", 2),
        ("unknown-option", "--frobnicate", 2), ("shard-empty", "--shard ''", 2),
    ]
    for i, (what, o, ex) in enumerate(opts, 1):
        case("gen-sweep-opt-%02d-%s" % (i, what), "pesim sweep %s is an option error (exit 2)" % o,
             args + " " + o, ex, stderr=["error:"], absent=["out.csv"], files=files({"spec.yaml": SPEC}))
    case("gen-sweep-no-output", "pesim sweep without -o is an option error", "sweep @spec.yaml --quiet",
         2, stderr=["error:"], files=files({"spec.yaml": SPEC}))
    case("gen-sweep-missing-spec", "pesim sweep of a spec that does not exist", "sweep @nope.yaml -o @out.csv",
         2, stderr=["nope.yaml", "error:"], absent=["out.csv"], files=files({}))
    case("gen-sweep-spec-folder", "pesim sweep of a folder as its spec", "sweep @dir -o @out.csv",
         2, stderr=["error:"], absent=["out.csv"], files=files({"dir/x": ""}))
    case("gen-sweep-output-is-spec", "pesim sweep -o onto its own spec is refused and the spec survives",
         "sweep @spec.yaml -o @spec.yaml --quiet", 2, stderr=["error:"], unchanged=["spec.yaml"],
         files=files({"spec.yaml": SPEC}))
    case("gen-sweep-output-folder", "pesim sweep -o onto a folder is refused",
         "sweep @spec.yaml -o @dir --quiet", 2, stderr=["error:"], files=files({"spec.yaml": SPEC, "dir/keep": "x\n"}),
         unchanged=["dir/keep"])
    case("gen-sweep-jobs-zero", "pesim sweep --jobs 0 runs one job per core", args + " --jobs 0", 0,
         files=files({"spec.yaml": SPEC}))
    case("gen-sweep-output-new-folders", "pesim sweep -o into folders that do not exist makes them",
         "sweep @spec.yaml -o @a/b/c/out.csv --quiet", 0, files=files({"spec.yaml": SPEC}))


# Real outputs of pesim 0.1.0 (see the module's docstring).
SWEEP_CSV_HEADER = ("id,pe_array.rows,dataflow,status,reason,cycles,latency_us,energy_total,energy_per_mac,"
                    "energy_dram,energy_glb,energy_noc,energy_rf,energy_mac,energy_weights,energy_inputs,"
                    "energy_outputs,util_spatial,util_temporal,stall_compute,stall_fill_drain,"
                    "stall_dram_bandwidth,stall_dram_latency,stall_glb,stall_noc,dram_accesses,area")


def report_families(pesim_out):
    run_json, sweep_csv, part1, part2 = pesim_out
    needs = ["gnuplot"]
    case("gen-report-valid-run", "pesim report of a run's JSON writes the page", "report @r.json -o @r.html",
         0, files={"r.json": run_json}, needs=needs)
    case("gen-report-valid-sweep", "pesim report of a sweep's CSV writes the page", "report @s.csv -o @r.html",
         0, files={"s.csv": sweep_csv}, needs=needs)
    n = 0
    for frac in (0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        cut = int(len(run_json) * frac)
        n += 1
        case("gen-report-json-truncated-%02d-at-%d" % (n, cut),
             "pesim report of run JSON cut after %d of %d bytes is an error at a position; no page" % (cut, len(run_json)),
             "report @r.json -o @r.html", 2, stderr=["r.json:", "error:"], absent=["r.html"],
             files={"r.json": run_json[:cut]}, needs=needs)
    spoil = [
        ("empty", "", "r.json"), ("array", "[]\n", "r.json"), ("number", "42\n", "r.json"),
        ("string", "\"layers\"\n", "r.json"), ("null", "null\n", "r.json"),
        ("object-empty", "{}\n", "r.json"),
        ("layers-not-list", '{"pesim": "0.1.0", "layers": 7, "total": {}}\n', "r.json"),
        ("layers-empty", '{"pesim": "0.1.0", "arch": "a", "workload": "w", "dataflow": "ws", "layers": [], "total": {}}\n', "r.json"),
        ("deep-array", "[" * 100 + "]" * 100 + "\n", "r.json"),
        ("nul", run_json[:40] + "\x00" + run_json[40:], "r.json"),
        ("trailing-junk", run_json + "}}}\n", "r.json"),
        ("dataflows-string", '{"pesim": "0.1.0", "dataflows": "ws"}\n', "r.json"),
        ("csv-header-only", SWEEP_CSV_HEADER + "\n", "s.csv"),
        ("csv-short-row", SWEEP_CSV_HEADER + "\n0123456789abcdef,8,ws,ok\n", "s.csv"),
        ("csv-text-number", "\n".join([sweep_csv.split("\n")[0]] + [",".join(
            c if k != 5 else "many" for k, c in enumerate(r.split(","))) if r else r
            for r in sweep_csv.split("\n")[1:]]), "s.csv"),
        ("csv-binary", "\x01\x02\x03,\xff\n", "s.csv"),
        ("jsonl-bad", '{"id": "1", "status": "ok"}\n{not json\n', "s.jsonl"),
        ("text", "hello world\n", "notes.txt"),
    ]
    for i, (what, content, name) in enumerate(spoil, 1):
        case("gen-report-input-%02d-%s" % (i, what),
             "pesim report of %s (%s) is bad input (exit 2) and writes no page" % (name, what),
             "report @%s -o @r.html" % name, 2, stderr=["error:"], absent=["r.html"],
             files={name: content}, needs=needs)
    case("gen-report-missing-input", "pesim report of a missing file", "report @nope.json -o @r.html", 2,
         stderr=["nope.json", "error:"], absent=["r.html"], files={}, needs=needs)
    case("gen-report-no-input", "pesim report with no input", "report -o @r.html", 2,
         stderr=["error:"], absent=["r.html"], files={}, needs=needs)
    case("gen-report-folder-input", "pesim report of a folder", "report @d -o @r.html", 2,
         stderr=["error:"], absent=["r.html"], files={"d/x": ""}, needs=needs)
    case("gen-report-output-is-input", "pesim report -o onto its input is refused and the input survives",
         "report @r.json -o @r.json", 2, stderr=["error:"], unchanged=["r.json"],
         files={"r.json": run_json}, needs=needs)
    case("gen-report-bad-format", "pesim report --format doc is an option error", "report @r.json --format doc -o @r.html",
         2, stderr=["error:"], absent=["r.html"], files={"r.json": run_json}, needs=needs)
    case("gen-report-bad-metric", "pesim report --metric of a column the sweep lacks",
         "report @s.csv --metric nosuch -o @r.html", 2, stderr=["nosuch"], absent=["r.html"],
         files={"s.csv": sweep_csv}, needs=needs)
    case("gen-report-bad-axis", "pesim report --x of an axis the sweep lacks",
         "report @s.csv --x glb.banks -o @r.html", 2, stderr=["glb.banks"], absent=["r.html"],
         files={"s.csv": sweep_csv}, needs=needs)
    case("gen-report-output-new-folders", "pesim report -o into folders that do not exist makes them",
         "report @r.json -o @x/y/r.html", 0, files={"r.json": run_json}, needs=needs)

    # sweep merge
    merge = "sweep merge -o @m.csv @p1.csv @p2.csv"
    case("gen-merge-valid", "sweep merge of the two shards of one sweep", merge, 0,
         files={"p1.csv": part1, "p2.csv": part2})
    mspoil = [
        ("one-part", "sweep merge -o @m.csv @p1.csv", {"p1.csv": part1}),
        ("same-part-twice", "sweep merge -o @m.csv @p1.csv @p1.csv", {"p1.csv": part1}),
        ("empty-part", merge, {"p1.csv": part1, "p2.csv": ""}),
        ("header-only", merge, {"p1.csv": part1, "p2.csv": part2.split("\n")[0] + "\n"}),
        ("other-header", merge, {"p1.csv": part1, "p2.csv": part2.replace("dataflow", "glb.banks", 1)}),
        ("binary-part", merge, {"p1.csv": part1, "p2.csv": "\x00\x01\xfe\xff"}),
        ("missing-part", "sweep merge -o @m.csv @p1.csv @nope.csv", {"p1.csv": part1}),
        ("folder-part", "sweep merge -o @m.csv @p1.csv @d", {"p1.csv": part1, "d/x": ""}),
        ("no-output", "sweep merge @p1.csv @p2.csv", {"p1.csv": part1, "p2.csv": part2}),
        ("no-parts", "sweep merge -o @m.csv", {}),
    ]
    for i, (what, a, f) in enumerate(mspoil, 1):
        case("gen-merge-%02d-%s" % (i, what), "sweep merge: %s is refused (exit 2), nothing written" % what,
             a, 2, stderr=["error:"], absent=["m.csv"], files=f)
    case("gen-merge-output-is-part", "sweep merge -o onto one of its parts is refused; the part survives",
         "sweep merge -o @p1.csv @p1.csv @p2.csv", 2, stderr=["error:"], unchanged=["p1.csv"],
         files={"p1.csv": part1, "p2.csv": part2})

    # sweep pareto
    case("gen-pareto-valid", "sweep pareto of a sweep's CSV", "sweep pareto @s.csv --min latency --min energy",
         0, stdout=["id,"], files={"s.csv": sweep_csv})
    pspoil = [
        ("unknown-metric", "--min nosuch", sweep_csv),
        ("no-metric", "", sweep_csv),
        ("text-metric", "--min dataflow", sweep_csv),
        ("empty-metric", "--min ''", sweep_csv),
    ]
    for i, (what, o, content) in enumerate(pspoil, 1):
        case("gen-pareto-%02d-%s" % (i, what), "sweep pareto: %s is an option error (exit 2)" % what,
             "sweep pareto @s.csv " + o, 2, stderr=["error:"], files={"s.csv": content})
    for i, (what, content) in enumerate([("empty", ""), ("header-only", SWEEP_CSV_HEADER + "\n"),
                                         ("garbage", "a,b\n1,2,3\n"), ("nul", "\x00" * 10),
                                         ("truncated", sweep_csv[:len(sweep_csv) // 2])], 1):
        ex = 0 if what == "header-only" else 2
        case("gen-pareto-input-%02d-%s" % (i, what),
             "sweep pareto of a results file that is %s" % what + (" prints just the header" if ex == 0 else " is bad input"),
             "sweep pareto @s.csv --min latency --min energy", ex, stderr=["error:"] if ex else [],
             files={"s.csv": content})


def importer_families():
    imp = "import @%s -o @out.yaml"
    # SCALE-Sim
    case("gen-scalesim-valid", "a two-layer SCALE-Sim topology imports", imp % "t.csv", 0,
         files={"t.csv": SCALESIM})
    rows = SCALESIM.split("\n")
    cells = [
        ("negative", "-3"), ("zero", "0"), ("text", "three"), ("empty", ""), ("fraction", "3.5"),
        ("overflow", "99999999999999999999999"), ("huge", "1099511627777"), ("quoted", "\"3\""),
        ("space-inside", "3 3"), ("plus", "+3"), ("hex", "0x3"), ("nul", "3\x00"),
    ]
    n = 0
    for col in (1, 3, 5, 6, 7):
        for what, v in cells:
            f = rows[1].split(",")
            f[col] = v
            text = "\n".join([rows[0], ",".join(f)] + rows[2:])
            n += 1
            ex = 2
            case("gen-scalesim-%03d-col%d-%s" % (n, col, what),
                 "SCALE-Sim: column %d (%s) of Conv1 given %r is refused at t.csv:2" %
                 (col, rows[0].split(",")[col].strip(), v),
                 imp % "t.csv", ex, stderr=["t.csv:2:", "error:"], absent=["out.yaml"],
                 files={"t.csv": text})
    shapes = [
        ("header-only", rows[0] + "\n", 2),
        ("no-header", "\n".join(rows[1:]), 2),
        ("missing-column", "\n".join(",".join(r.split(",")[:6]) for r in rows if r) + "\n", 2),
        ("extra-columns", "\n".join(r + "9,9," for r in rows if r) + "\n", 2),
        ("crlf", SCALESIM.replace("\n", "\r\n"), 0),
        ("bom", "\ufeff" + SCALESIM, 0),
        ("no-trailing-comma", "\n".join(r.rstrip(",") for r in rows if r) + "\n", 0),
        ("no-final-newline", SCALESIM.rstrip("\n"), 0),
        ("blank-lines", SCALESIM.replace("\n", "\n\n"), 0),
        ("name-empty", SCALESIM.replace("Conv1,", ",", 1), 2),
        ("name-duplicate", SCALESIM.replace("Conv2,", "Conv1,", 1), 2),
        ("name-long", SCALESIM.replace("Conv1,", "C" * 100 + ",", 1), 2),
        ("filter-bigger-than-input", SCALESIM.replace("Conv1,32,32,3,3", "Conv1,2,2,3,3", 1), 2),
        ("many-rows", rows[0] + "\n" + "".join("L%d,8,8,3,3,1,1,1,\n" % k for k in range(3000)), 0),
    ]
    for i, (what, text, ex) in enumerate(shapes, 1):
        case("gen-scalesim-shape-%02d-%s" % (i, what),
             "SCALE-Sim topology with %s: %s" % (what, "imports" if ex == 0 else "refused with its position"),
             imp % "t.csv", ex, stderr=["t.csv", "error:"] if ex else [],
             absent=["out.yaml"] if ex else [], files={"t.csv": text})
    family_truncate("scalesim", "t.csv", SCALESIM, imp % "t.csv", lambda d: d, [0.0, 0.5], ())

    # SCALE-Sim configurations (.cfg) as architectures
    run_cfg = "run --arch @s.cfg --workload @t.csv -o @out.txt"
    cfg_files = lambda text: {"s.cfg": text, "t.csv": SCALESIM}
    case("gen-sccfg-valid", "a SCALE-Sim .cfg runs its array on a topology", run_cfg, 0,
         files=cfg_files(SCALESIM_CFG))
    case("gen-sccfg-import", "a SCALE-Sim .cfg imports as a pesim architecture",
         "import @s.cfg -o @out.yaml", 0, files={"s.cfg": SCALESIM_CFG})
    keys = [("ArrayHeight", "8"), ("ArrayWidth", "4"), ("IfmapSramSzkB", "64"),
            ("FilterSramSzkB", "64"), ("OfmapSramSzkB", "64")]
    n = 0
    for key, good in keys:
        for what, v in cells:
            if "\x00" in v:
                continue
            n += 1
            text = SCALESIM_CFG.replace("%s: %s\n" % (key, good), "%s: %s\n" % (key, v), 1)
            case("gen-sccfg-%03d-%s-%s" % (n, key, what),
                 "SCALE-Sim .cfg: %s given %r is refused at its line" % (key, v),
                 run_cfg, 2, stderr=["s.cfg:", "error:", key], absent=["out.txt"],
                 files=cfg_files(text))
    cfg_shapes = [
        ("crlf", SCALESIM_CFG.replace("\n", "\r\n"), 0),
        ("bom", "\ufeff" + SCALESIM_CFG, 0),
        ("lower-keys", SCALESIM_CFG.replace("ArrayHeight", "arrayheight"), 0),
        ("equals", SCALESIM_CFG.replace("ArrayWidth: 4", "ArrayWidth = 4"), 0),
        ("comments", "# a comment\n; another\n" + SCALESIM_CFG, 0),
        ("no-dataflow", SCALESIM_CFG.replace("Dataflow : ws\n", ""), 2),
        ("dataflow-rs", SCALESIM_CFG.replace("Dataflow : ws", "Dataflow : rs"), 2),
        ("unknown-key", SCALESIM_CFG.replace("MemoryBanks", "MemoryBank"), 2),
        ("twice", SCALESIM_CFG + "[architecture_presets]\nArrayWidth: 8\n", 2),
        ("unknown-section", SCALESIM_CFG + "[extra]\nx: 1\n", 2),
        ("user-no-bandwidth", SCALESIM_CFG.replace("Bandwidth : 10\n", "").replace("CALC", "USER"), 2),
        ("user-zero-bandwidth", SCALESIM_CFG.replace("Bandwidth : 10", "Bandwidth : 0").replace("CALC", "USER"), 2),
        ("name-shell", SCALESIM_CFG.replace("run_name = t", "run_name = $(touch pwned); `touch pwned2`"), 0),
        ("name-yaml", SCALESIM_CFG.replace("run_name = t", "run_name = x\": {a: [1]}, b: *c"), 0),
        ("name-long", SCALESIM_CFG.replace("run_name = t", "run_name = " + "n" * 5000), 2),
        ("array-huge", SCALESIM_CFG.replace("ArrayHeight: 8", "ArrayHeight: 65536").replace(
            "ArrayWidth: 4", "ArrayWidth: 65536"), 2),
        ("many-lines", SCALESIM_CFG + "".join("# %d\n" % k for k in range(20000)), 0),
    ]
    for i, (what, text, ex) in enumerate(cfg_shapes, 1):
        case("gen-sccfg-shape-%02d-%s" % (i, what),
             "SCALE-Sim .cfg with %s: %s" % (what, "runs" if ex == 0 else "refused with its position"),
             run_cfg, ex, stderr=["s.cfg", "error:"] if ex else [],
             absent=["out.txt"] if ex else [], files=cfg_files(text))
    family_truncate("sccfg", "s.cfg", SCALESIM_CFG, run_cfg,
                    lambda d: dict(d, **{"t.csv": SCALESIM}), [0.2, 0.5, 0.8], ())

    # Timeloop
    case("gen-timeloop-valid", "a Timeloop v0.4 problem imports", imp % "p.yaml", 0,
         files={"p.yaml": TIMELOOP})
    tl = [
        ("C-zero", "    C: 3\n", "    C: 0\n"), ("C-negative", "    C: 3\n", "    C: -3\n"),
        ("C-missing", "    C: 3\n", ""), ("M-missing", "    M: 96\n", ""),
        ("C-text", "    C: 3\n", "    C: three\n"), ("C-overflow", "    C: 3\n", "    C: 99999999999999999999\n"),
        ("M-list", "    M: 96\n", "    M: [96]\n"), ("stride-zero", "    Hstride: 4\n", "    Hstride: 0\n"),
        ("unknown-dim", "    N: 1\n", "    Z: 1\n"), ("instance-list", "  instance:\n", "  instance: []\n  x:\n"),
        ("problem-scalar", "problem:\n", "problem: 3\nx:\n"),
        ("P-huge", "    P: 55\n", "    P: 1099511627777\n"),
        ("no-shape", "  shape:\n", "  shapes:\n"), ("projection-junk", "      - - - C\n", "      - - - Z\n"),
    ]
    for i, (what, old, new) in enumerate(tl, 1):
        assert old in TIMELOOP, old
        case("gen-timeloop-%02d-%s" % (i, what), "Timeloop problem with %s is refused at its position" % what,
             imp % "p.yaml", 2, stderr=["p.yaml:", "error:"], absent=["out.yaml"],
             files={"p.yaml": TIMELOOP.replace(old, new, 1)})
    family_truncate("timeloop", "p.yaml", TIMELOOP, imp % "p.yaml", lambda d: d, [0.0, 0.3, 0.6, 0.9])

    # ONNX, from the committed seeds of the ONNX fuzzer
    seeds = os.path.join(ROOT, "tests", "fuzz", "corpus-onnx")
    tiny = open(os.path.join(seeds, "tiny.onnx"), "rb").read()
    case("gen-onnx-valid", "a tiny ONNX model (conv + gemm, shapes inferred) imports",
         imp % "m.onnx", 0, files={"m.onnx": tiny})
    for name, why in [("baddims", "a 0 and a negative dimension"), ("badtype", "a weight of data type 99"),
                      ("conv1d_weight", "a Conv with a 1-D weight"),
                      ("garbage", "bytes that are not a protobuf"), ("truncated", "half of a model")]:
        case("gen-onnx-seed-%s" % name, "ONNX model with %s is refused naming the file" % why,
             imp % "m.onnx", 2, stderr=["m.onnx", "error:"], absent=["out.yaml"],
             files={"m.onnx": open(os.path.join(seeds, name + ".onnx"), "rb").read()})
    # pesim infers shapes (docs/workloads.md, ONNX "Shapes"): a model without
    # value_info imports, a symbolic batch takes --batch (1 without)
    seed = lambda name: open(os.path.join(seeds, name + ".onnx"), "rb").read()
    case("gen-onnx-seed-noshape", "an ONNX model without value_info imports: pesim infers the shapes",
         imp % "m.onnx", 0, files={"m.onnx": seed("noshape")})
    case("gen-onnx-exported-batch", "an exported ONNX model (symbolic batch, no value_info) takes --batch 4",
         imp % "m.onnx" + " --batch 4", 0, files={"m.onnx": seed("exported")})
    case("gen-onnx-exported-nobatch", "an exported ONNX model's symbolic batch runs as 1 and says so",
         imp % "m.onnx", 0, stderr=["m.onnx: note: input 'input' has a symbolic batch ('batch_size'): batch 1"],
         files={"m.onnx": seed("exported")})
    case("gen-onnx-exported-run", "an exported ONNX model runs with --batch",
         "run --arch generic-16x16 --workload @m.onnx --engine analysis --batch 3", 0,
         files={"m.onnx": seed("exported")})
    case("gen-onnx-exported-batch-huge", "a symbolic ONNX batch above 2^40 is refused",
         imp % "m.onnx" + " --batch 1099511627777", 2, stderr=["m.onnx: error: batch 1099511627777"],
         absent=["out.yaml"], files={"m.onnx": seed("exported")})
    case("gen-onnx-exported-batch-overflow", "a symbolic ONNX batch that makes a tensor too large is refused",
         imp % "m.onnx" + " --batch 1099511627776", 2, stderr=["m.onnx: error:", "has more than 1099511627776 elements"],
         absent=["out.yaml"], files={"m.onnx": seed("exported")})
    for name, why, msg in [
            ("sym_dim", "a symbolic dim that is not the batch", "dimension 2 is symbolic ('height')"),
            ("neg_dim", "a negative dim", "dimension 2 is -16"),
            ("reshape_two_neg", "a Reshape with two -1", "node 'view' (Reshape): target dim 1 is -1"),
            ("reshape_count", "a Reshape to another element count", "node 'view' (Reshape): input [1, 8, 14, 14]"),
            ("vi_mismatch", "value_info that disagrees with the inferred shape", "node 'conv' (Conv): output 0 'y' is"),
            ("add_mismatch", "an Add whose shapes do not broadcast", "node 'add' (Add): input 1's shape"),
            ("unknown_op", "an unknown op between two convs", "node 'fancy' (FancyResample)"),
            ("dynamic_reshape", "a Reshape to a run-time shape before a MatMul", "node 'view' (Reshape), whose outputs"),
            ("self_cycle", "a node that reads its own output", "input #1 is made by node #0, itself"),
            ("absurd_flatten", "a Flatten of more than 2^40 elements", "node 'flat' (Flatten)"),
            ("absurd_concat", "a Concat of more than 2^40 along its axis", "node 'cat' (Concat): more than"),
            ("absurd_conv", "a Conv whose counts overflow 64 bits", "node 'conv' (Conv): MACs or data sizes overflow"),
            ("bad_perm", "a Transpose perm that is no permutation", "node 'tr' (Transpose): perm")]:
        case("gen-onnx-infer-%s" % name.replace("_", "-"),
             "ONNX model with %s is refused naming the node" % why,
             imp % "m.onnx" + " --batch 1", 2, stderr=["m.onnx: error: ", msg], absent=["out.yaml"],
             files={"m.onnx": seed("bad_" + name)})
    for i, cut in enumerate(sorted({1, 2, 5, 17, len(tiny) // 3, len(tiny) // 2, len(tiny) - 40, len(tiny) - 1}), 1):
        case("gen-onnx-truncated-%02d-at-%d" % (i, cut),
             "the tiny ONNX model cut after %d of %d bytes is refused, never read past its end" % (cut, len(tiny)),
             imp % "m.onnx", 2, stderr=["m.onnx", "error:"], absent=["out.yaml"], files={"m.onnx": tiny[:cut]})
    for i, (what, data) in enumerate([
            ("empty", b""), ("one-zero", b"\x00"), ("varint-overlong", b"\x08" + b"\xff" * 20),
            ("length-huge", b"\x3a\xff\xff\xff\xff\x0f"), ("yaml", WL_TEXT.encode()),
            ("flipped", bytes(b ^ 0x55 for b in tiny))], 1):
        case("gen-onnx-bytes-%02d-%s" % (i, what), "ONNX input that is %s is refused" % what,
             imp % "m.onnx", 2, stderr=["m.onnx", "error:"], absent=["out.yaml"], files={"m.onnx": data})
    case("gen-onnx-as-workload", "an ONNX model runs directly through --workload",
         "run --arch generic-16x16 --workload @m.onnx --engine analysis", 0, files={"m.onnx": tiny})

    # Accelergy tables
    acc = {"arch.yaml": ACC_ARCH, "ert.yaml": ERT, "map.yaml": EMAP}
    case("gen-accelergy-valid", "an architecture priced by an ERT and a map runs in pJ",
         RUN_ARCH, 0, stdout=["pJ"], files=wl_files(acc))
    art = dict(acc)
    art["arch.yaml"] = ACC_ARCH.replace("    map: map.yaml\n", "    map: map.yaml\n    art: art.yaml\n").replace("area:\n  rf_per_glb_byte: 1.6\n", "")
    art["art.yaml"] = ART
    art["map.yaml"] = EMAP_AREA
    case("gen-accelergy-art-valid", "an ART and a map's area section set the area ratio", RUN_ARCH, 0,
         files=wl_files(art))
    accs = [
        ("ert", "energy: 0.5", "energy: -0.5"), ("ert", "energy: 0.5", "energy: lots"),
        ("ert", "energy: 0.5", "energy: .nan"), ("ert", "energy: 0.5", "energy: 1e400"),
        ("ert", "ERT:\n", "ERTX:\n"), ("ert", "  tables:\n", "  tables: 7\n"),
        ("ert", "- name: t.mac\n", "- name: [t, mac]\n"), ("ert", "    - {name: mac, arguments: null, energy: 0.5}\n", "    - 17\n"),
        ("map", "mac: {component: t.mac, action: mac}", "mac: {component: t.nope, action: mac}"),
        ("map", "mac: {component: t.mac, action: mac}", "mac: {component: t.mac, action: nope}"),
        ("map", "mac: {component: t.mac, action: mac}", "mac: {component: mac, action: mac, scale: -1}"),
        ("map", "mac: {component: t.mac, action: mac}", "mac: []"),
        ("map", "mac: {component: t.mac, action: mac}", "mac: 0.5"),
        ("map", "  rf_read: {component: t.rf, action: read}\n", ""),
        ("map", "accelergy_map:\n", "accelergy_mapp:\n"),
        ("map", "dram_read: {component: t.dram, action: read}", "dram_read: {component: t, action: read}"),
        ("arch", "    ert: ert.yaml\n", "    ert: missing.yaml\n"), ("arch", "    ert: ert.yaml\n", "    ert: .\n"),
        ("arch", "    ert: ert.yaml\n", "    ert: ''\n"), ("arch", "    map: map.yaml\n", ""),
        ("arch", "    ert: ert.yaml\n", "    ert: /dev/null\n"),
        ("arch", "  accelergy:\n", "  unit: normalized\n  accelergy:\n"),
    ]
    for i, (which, old, new) in enumerate(accs, 1):
        f = dict(acc)
        key = {"ert": "ert.yaml", "map": "map.yaml", "arch": "arch.yaml"}[which]
        assert old in f[key], old
        f[key] = f[key].replace(old, new, 1)
        case("gen-accelergy-%02d-%s" % (i, which), "Accelergy %s: %r instead of %r is refused"
             % (which, new.strip()[:40], old.strip()[:40]), RUN_ARCH, 2, stderr=["error:"], files=wl_files(f))
    family_truncate("ert", "ert.yaml", ERT, RUN_ARCH, lambda d: wl_files(dict(acc, **d)), [0.0, 0.3, 0.6, 0.9])
    family_truncate("emap", "map.yaml", EMAP, RUN_ARCH, lambda d: wl_files(dict(acc, **d)), [0.0, 0.4, 0.8])


def cli_families():
    base = "run --arch generic-16x16 --workload @wl.yaml --engine analysis"
    f = {"wl.yaml": WL_TEXT}
    n = 0

    def opt(what, args, ex, err=(), desc=None, files=None, **kw):
        nonlocal n
        n += 1
        case("gen-cli-%03d-%s" % (n, what), desc or "%s: exit %d" % (args, ex), args, ex,
             stderr=list(err), files=files if files is not None else f, **kw)

    for cmd in ("run", "compare", "map"):
        b = base.replace("run", cmd, 1) + (" --layer L1" if cmd == "map" else "")
        for v in ("0", "-1", "1e3", "99999999999999999999", "", " 1", "1 ", "0x10", "+1", "1.0", "four", "１"):
            opt("%s-batch-%s" % (cmd, v.strip() or "empty"), b + " --batch '%s'" % v, 2,
                ["--batch: expected a positive integer"], "%s --batch %r is an option error" % (cmd, v))
        if cmd != "map":
            for v in ("65", "-1", "abc", "", "99999999999999999999", "1.5"):
                opt("%s-threads-%s" % (cmd, v or "empty"), b + " --threads '%s'" % v, 2,
                    ["--threads: expected an integer in [0, 64]"], "%s --threads %r is an option error" % (cmd, v))
            opt("%s-format" % cmd, b + " --format xml", 2, ["--format: expected one of"])
            opt("%s-format-empty" % cmd, b + " --format ''", 2, ["--format: expected one of"])
            opt("%s-engine" % cmd, b + " --engine warp", 2, ["--engine: expected one of"])
        opt("%s-objective" % cmd, b + " --objective speed", 2, ["--objective: expected one of"])
        opt("%s-unknown-option" % cmd, b + " --frobnicate", 2, ["unknown option '--frobnicate'"])
        opt("%s-stray-argument" % cmd, b + " extra", 2, ["unexpected argument 'extra'"])
        opt("%s-missing-value" % cmd, b + " --batch", 2, ["--batch: missing value"])
        opt("%s-value-on-flag" % cmd, b + " --help=yes", 2, ["takes no value"])
        opt("%s-no-arch" % cmd, cmd + " --workload alexnet", 2, ["missing --arch"])
        opt("%s-no-workload" % cmd, cmd + " --arch eyeriss-v1", 2, ["missing --workload"])
        opt("%s-empty-arch" % cmd, b.replace("--arch generic-16x16", "--arch ''"), 2, ["error:"])
        opt("%s-empty-workload" % cmd, b.replace("--workload @wl.yaml", "--workload ''"), 2, ["error:"])
        opt("%s-layers-empty" % cmd, b + " --layers ''", 2, ["expected a layer selector"])
        opt("%s-layers-nomatch" % cmd, b + " --layers NOPE", 2, ["NOPE"])
        opt("%s-layers-bad-range" % cmd, b + " --layers L1:NOPE", 2, ["NOPE"])
        opt("%s-layers-commas" % cmd, b + " --layers ,,,", 2, ["error:"])
        opt("%s-arch-folder" % cmd, b.replace("--arch generic-16x16", "--arch @d"), 2, ["error:"],
            files=dict(f, **{"d/x": ""}))
        opt("%s-arch-missing" % cmd, b.replace("--arch generic-16x16", "--arch @nope.yaml"), 2, ["nope.yaml"])
        opt("%s-arch-devnull" % cmd, b.replace("--arch generic-16x16", "--arch /dev/null"), 2, ["error:"])
        opt("%s-workload-folder" % cmd, b.replace("--workload @wl.yaml", "--workload @d"), 2, ["error:"],
            files={"d/x": ""})
        opt("%s-preset-typo" % cmd, b.replace("generic-16x16", "generic-16x61"), 2, ["generic-16x61"])
        opt("%s-dataflow-unknown" % cmd, b + " --dataflow zz", 2,
            ["unknown dataflow 'zz'"] if cmd != "compare" else ["error:"])
        # -o
        opt("%s-o-folder" % cmd, b + " -o @d", 2, ["error:"], files=dict(f, **{"d/keep": "x\n"}),
            unchanged=["d/keep"])
        opt("%s-o-is-input" % cmd, b + " -o @wl.yaml", 2, ["error:"], unchanged=["wl.yaml"],
            desc="%s -o onto its own workload file is refused and the file is left as it was" % cmd)
        opt("%s-o-empty" % cmd, b + " -o ''", 2, ["-o: expected a file name"])
        opt("%s-o-new-folders" % cmd, b + " -o @a/b/c/out.txt", 0,
            desc="%s -o into folders that do not exist creates them" % cmd)
        opt("%s-o-device" % cmd, b + " -o @dev", 0, device=["dev"],
            desc="%s -o onto a character device writes to it and leaves it a device" % cmd)
        opt("%s-o-fifo" % cmd, b + " -o @fifo", 0, fifo=["fifo"],
            desc="%s -o onto a FIFO writes into it and leaves it a FIFO" % cmd)
        opt("%s-o-failed-run-keeps-file" % cmd, b + " --layers NOPE -o @out.txt", 2, ["NOPE"],
            files=dict(f, **{"out.txt": "old\n"}), unchanged=["out.txt"],
            desc="%s failing leaves an existing -o file untouched" % cmd)
        opt("%s-o-failed-run-writes-nothing" % cmd, b + " --batch 0 -o @out.txt", 2, ["error:"],
            absent=["out.txt"], desc="%s failing creates no -o file" % cmd)
        opt("%s-o-under-file" % cmd, b + " -o @wl.yaml/out.txt", 2, ["error:"], unchanged=["wl.yaml"],
            desc="%s -o below a regular file (not a folder) is refused" % cmd)
        # --set
        sets = [("no-equals", "pe_array.rows"), ("empty", ""), ("equals-only", "="),
                ("no-value", "pe_array.rows="), ("unknown-key", "pe_array.rowz=4"),
                ("bad-type", "pe_array.rows=abc"), ("out-of-range", "pe_array.rows=99999"),
                ("overflow", "pe_array.rows=99999999999999999999999"),
                ("unclosed-list", "glb.holds=[inputs"), ("bad-list", "glb.holds=[bogus]"),
                ("section-scalar", "glb=3"), ("dots", "...=1"), ("leading-dot", ".rows=1"),
                ("backquote", "name=`touch pwned-set`"),
                
                ("nested-flow", "pe_array.rows=" + "[" * 50 + "]" * 50),
                ("name-too-long", "name=" + "x" * 100), ("two-docs", "pe_array.rows=1 --- 2"),
                ("alias", "pe_array.rows=*a"), ("tables", "energy.accelergy={ert: x.yaml}"),
                ("tab-value", "pe_array.rows=\t"), ("mapping-for-int", "pe_array.rows={a: 1}")]
        for what, v in sets:
            opt("%s-set-%s" % (cmd, what), b + " --set '%s'" % v.replace("'", "'\\''"), 2, ["error:"],
                desc="%s --set %r is refused and nothing runs" % (cmd, v[:40]))
        opt("%s-set-all-reported" % cmd, b + " --set pe_array.rows=0 --set pe_array.cols=0", 2,
            ["pe_array.rows", "pe_array.cols"], desc="%s: every bad --set is reported, not only the first" % cmd)
        for what, v in (("shell", "name=$(touch pwned-set)"), ("anchor", "pe_array.rows=&a 8")):
            opt("%s-set-%s" % (cmd, what), b + " --set '%s'" % v, 0,
                desc="%s --set %r is a plain value: it runs and executes nothing" % (cmd, v))
        opt("%s-set-valid" % cmd, b + " --set pe_array.rows=8 --set 'glb.holds=[inputs, outputs]'", 0,
            desc="%s with two valid --set overrides runs" % cmd)
    # run only
    r = base.replace("--engine analysis", "")
    for v, what in (("0", "zero"), ("1048577", "above"), ("x", "text"), ("", "empty")):
        opt("run-trace-max-%s" % what, r + " --trace @t.json --trace-max-mb '%s'" % v, 2,
            ["--trace-max-mb: expected an integer in [1, 1048576]"])
    for v, what in (("5", "no-colon"), ("5:5", "empty-window"), ("9:3", "backwards"), ("a:b", "text"),
                    ("-1:5", "negative"), ("1" * 40 + ":", "long-from"), (":99999999999999999999999", "overflow")):
        opt("run-trace-window-%s" % what, r + " --trace @t.json --trace-window '%s'" % v, 2,
            ["--trace-window: expected FROM:TO"], absent=["t.json"])
    opt("run-trace-empty", r + " --trace ''", 2, ["--trace: expected a file name"])
    opt("run-trace-analysis", base + " --trace @t.json", 2, ["error:"], absent=["t.json"],
        desc="run --trace with --engine analysis is refused (a trace needs the event engine)")
    opt("run-trace-is-input", r + " --trace @wl.yaml", 2, ["error:"], unchanged=["wl.yaml"],
        desc="run --trace onto its own workload file is refused, file unchanged")
    opt("run-trace-same-as-o", r + " --trace @t.json -o @t.json", 2, ["error:"], absent=["t.json"],
        desc="run --trace and -o naming the same file is refused (one would replace the other)")
    opt("run-trace-same-as-o-other-name", r + " --trace @t.json -o @./t.json", 2, ["error:"],
        unchanged=["t.json"], files=dict(f, **{"t.json": "old\n"}),
        desc="run --trace and -o naming one existing file by two names is refused, file unchanged")
    opt("run-trace-folder", r + " --trace @d", 2, ["error:"], files=dict(f, **{"d/k": "k\n"}), unchanged=["d/k"])
    opt("run-trace-device", r + " --trace @dev", 0, device=["dev"],
        desc="run --trace onto a character device leaves it a device")
    opt("run-trace-window-valid", r + " --trace @t.json --trace-window 10:50 --trace-max-mb 1", 0,
        desc="a valid trace window and size cap run")
    opt("run-mapping-and-dataflow", "run --arch eyeriss-v1 --workload alexnet --layer CONV1 --dataflow ws "
        "--mapping @m.yaml", 2, ["--dataflow and --mapping exclude each other"], files={"m.yaml": MAPPING})
    opt("run-mapping-missing", "run --arch eyeriss-v1 --workload alexnet --layer CONV1 --mapping @nope.yaml",
        2, ["nope.yaml"], files={})
    opt("compare-iso-shared-rf", "compare --arch generic-16x16 --workload @wl.yaml --engine analysis --iso-area "
        "--set 'pe_array.scratchpad={shared: 64}'", 0,
        desc="compare --iso-area with a shared RF runs: row-stationary keeps it (docs/dataflows.md)")
    # global
    opt("no-command", "", 2, ["usage: pesim"], desc="pesim with no command prints usage and exits 2")
    opt("unknown-command", "frobnicate", 2, ["unknown command 'frobnicate'"])
    opt("empty-command", "''", 2, ["unknown command"])
    opt("help-unknown", "help frobnicate", 2, ["no help for unknown command"])
    opt("version", "--version", 0, stdout=["pesim 0."])
    for cmd in ("run", "compare", "map", "import", "sweep", "report"):
        opt("help-%s" % cmd, "help " + cmd, 0, desc="pesim help %s prints the command's help" % cmd)
        opt("dash-help-%s" % cmd, cmd + " --help", 0, desc="pesim %s --help wins over missing arguments" % cmd)
    # import options
    opt("import-batch-zero", "import @wl.yaml --batch 0", 2, ["--batch"])
    opt("import-layers-nomatch", "import @wl.yaml --layers NOPE", 2, ["NOPE"])
    opt("import-no-file", "import", 2, ["error:"])
    opt("import-two-files", "import @wl.yaml @wl.yaml", 2, ["error:"])
    opt("import-o-is-input", "import @wl.yaml -o @wl.yaml", 2, ["error:"], unchanged=["wl.yaml"],
        desc="import -o onto its input is refused and the input survives")
    opt("import-o-device", "import @wl.yaml -o @dev", 0, device=["dev"])
    opt("import-o-folder", "import @wl.yaml -o @d", 2, ["error:"], files=dict(f, **{"d/k": "k\n"}))
    opt("import-unknown-ext", "import @wl.txt", 2, ["error:"], files={"wl.txt": "hello\n"})


def names_families():
    """Names that a shell, a CSV or JSON writer could mistake for syntax."""
    hostile = [
        ("dollar", "$(touch pwned-name)"), ("backquote", "`touch pwned-name`"),
        ("quote", "it's \\\"q\\\""), ("semicolon", "a; touch pwned-name"), ("at", "@wl.yaml"),
        ("comma", "a,b,c"), ("newline", "a\\nb"), ("tab", "a\\tb"), ("utf8", "caf\u00e9 \u2603"),
        ("braces", "{x}"), ("percent", "100%s%n"), ("backslash", "a\\\\b"),
    ]
    for i, (what, name) in enumerate(hostile, 1):
        wl = WL_TEXT.replace("name: L1", 'name: "L%s"' % name).replace("name: hostile-net", 'name: "N%s"' % name)
        for fmt in ("text", "json", "csv"):
            case("gen-names-%02d-%s-%s" % (i, what, fmt),
                 "layer and workload names with %s are data, not syntax, in %s output (no canary)" % (what, fmt),
                 "run --arch generic-16x16 --workload @wl.yaml --engine analysis --format %s -o @out" % fmt, 0,
                 files={"wl.yaml": wl})
        case("gen-names-%02d-%s-import" % (i, what),
             "import writes a workload whose names hold %s as YAML that reads back" % what,
             "import @wl.yaml -o @out.yaml", 0, files={"wl.yaml": wl})
    for i, (what, fname) in enumerate([("dollar", "$(touch pwned-file).yaml"), ("backquote", "`touch pwned-file`.yaml"),
                                       ("space", "my arch.yaml"), ("quote", "it's.yaml"),
                                       ("dash", "-o.yaml"), ("at", "@x.yaml")], 1):
        files = {fname: ARCH_TEXT, "wl.yaml": WL_TEXT}
        arg = "@" + fname
        case("gen-names-file-%02d-%s" % (i, what),
             "an architecture file named %r loads and its name in the JSON command line runs nothing" % fname,
             "run --arch '%s' --workload @wl.yaml --engine analysis --format json -o @out.json"
             % arg.replace("'", "'\\''"), 0, files=files)


def report_names_families(pesim_out):
    """Names that gnuplot would run: a backquote (a shell command), a
    newline then gnuplot's `!` (a shell escape), `@` macros and system()
    in double quotes, a trailing backslash (a line continuation) -- as a
    layer, a dataflow, an architecture, and a sweep axis and its values, in
    every figure format. The canaries are /tmp/pesim-pwned-*, which the
    runner checks (gnuplot runs in pesim's own temporary folder)."""
    import csv
    import io
    import json
    run_json, sweep_csv, _, _ = pesim_out
    hostile = [
        ("backquote", "c`touch /tmp/pesim-pwned-bq`"),
        ("newline-bang", "x\n!touch /tmp/pesim-pwned-nl\n"),
        ("macro-system", '@m system("touch /tmp/pesim-pwned-sys")'),
        ("quotes-backslash", "q'\"`touch /tmp/pesim-pwned-q`\\"),
        ("html", "<img src=x onerror=alert(1)>&amp;"),
    ]
    rows = list(csv.reader(io.StringIO(sweep_csv)))
    n = 0
    for what, name in hostile:
        js = json.dumps(name)
        hostile_run = run_json.replace('"name": "L1"', '"name": %s' % js).replace(
            '"dataflow": "ws"', '"dataflow": %s' % json.dumps("w" + name)).replace(
            '"arch": "generic-16x16"', '"arch": %s' % json.dumps("a" + name))
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["r" + name if c == "pe_array.rows" else c for c in rows[0]])
        for r in rows[1:]:
            w.writerow(["w" + name if c == "ws" else c for c in r])
        for fmt in ("html", "svg", "pdf", "png"):
            dest = "-o @r.html" if fmt == "html" else "--format %s -o @figs/" % fmt
            kinds = [("run", "r.json", hostile_run), ("sweep", "s.csv", out.getvalue())]
            for kind, fname, content in kinds[:1] if "\n" in name else kinds:
                # a sweep's CSV holds one record a line (docs/sweeps.md)
                n += 1
                case("gen-report-names-%02d-%s-%s-%s" % (n, what, kind, fmt),
                     "pesim report (%s) of a %s whose names hold %s runs nothing" % (fmt, kind, what),
                     "report @%s %s" % (fname, dest), 0, files={fname: content}, needs=["gnuplot"])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "cases"))
    ap.add_argument("--pending", default=os.path.join(HERE, "pending"))
    opts = ap.parse_args()
    arch_families()
    wl_families()
    mapping_families()
    sweep_families()
    importer_families()
    cli_families()
    names_families()
    report_families(read_outputs())
    report_names_families(read_outputs())
    for d in (opts.out, opts.pending):
        os.makedirs(d, exist_ok=True)
        for old in glob.glob(os.path.join(d, "gen-*.case")):
            os.unlink(old)
    seen = set()
    for fname, text, pending in CASES:
        assert fname not in seen, fname
        seen.add(fname)
        with open(os.path.join(opts.pending if pending else opts.out, fname), "w", encoding="utf-8") as f:
            f.write(text)
    print("%d cases (%d pending)" % (len(CASES), sum(1 for c in CASES if c[2])))


def read_outputs():
    """The pesim outputs embedded in the corpus: kept in tests/hostile/data."""
    d = os.path.join(HERE, "data")
    return tuple(open(os.path.join(d, n), encoding="utf-8").read()
                 for n in ("run.json", "sweep.csv", "part-1.csv", "part-2.csv"))


if __name__ == "__main__":
    main()

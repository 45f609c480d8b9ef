#!/usr/bin/python3
"""Timeloop parity: run each case through pesim and compare with Timeloop.

usage: parity.py PESIM [--cases DIR] [--reference FILE] [--known FILE]
                 [--engine E]... [--only CASE]... [--markdown] [-v]
                 [--timeout S]

For every case of reference.json (Timeloop's published outputs, written by
extract_ref.py) that has a folder DIR/<case>/ (default tests/timeloop/
cases/), runs, in that folder,

    PESIM run --arch arch.yaml --workload prob.yaml --mapping map.yaml
              [--ert ERT.yaml] --engine E --format json

(map.txt when there is no map.yaml; ERT_summary.yaml when there is no
ERT.yaml). A file `pesim.args` in the folder replaces the arguments before
--engine, one per line ('#' starts a comment line): a case written in
pesim's own YAML, or one that needs other options. Then compares, by level
name, pesim's totals with Timeloop's per-instance counts times the utilized
instances of that level and data space:

- per storage level and data space: reads, fills, updates (exactly; a data
  space Timeloop bypasses must have none) and the tile (pesim's
  tile_words against Timeloop's utilized capacity, per instance; not at
  pesim's level 0, whose tile is the whole tensor and reported as 0);
- the MACs and the MAC instances used (active_pes);
- with the event and step engines, the cycles and the utilization
  (computes / (cycles x MACs), at the two decimals Timeloop prints);
- energy within 0.5% (or 0.01 pJ, Timeloop's printed precision): per level
  and data space, the MAC's, and the total.

Timeloop's container-only spatial levels have no pesim level and are
skipped; a pesim level that Timeloop does not have must count nothing.

Prints one row per compared number that differs (all with -v), a status
line per case and engine, and "N of M counts equal, E of F energies within
0.5%" (--markdown: the table of docs/validation.md, "Timeloop", cases and the
differences, instead of the rows). A case passes when
every number it compares is equal. known.txt lists the cases expected to
differ, one per line as `CASE[@ENGINE] cause`; the run fails (exit 1) when
a case not listed differs, when pesim fails on any case (listed or not: a
case pesim cannot express has no folder), and when a listed case now
passes (delete its line). Cases without a folder are skipped; exit 77
(meson's "skipped") when no case ran, 2 on bad arguments or files.

Standard library only: it runs from meson test on a bare Debian.
"""

import argparse
import difflib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DS = ("weights", "inputs", "outputs")
ENGINES = ("analysis", "event", "step")
TIMED = ("event", "step")  # engines whose cycles are compared
ENERGY_REL = 0.005
ENERGY_ABS_PJ = 0.01


class Row:
    __slots__ = ("case", "engine", "level", "ds", "counter", "pesim",
                 "timeloop", "equal", "note")

    def __init__(self, case, engine, level, ds, counter, pesim, timeloop,
                 equal, note=""):
        self.case, self.engine, self.level, self.ds = case, engine, level, ds
        self.counter, self.pesim, self.timeloop = counter, pesim, timeloop
        self.equal, self.note = equal, note


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return "%.6g" % v
    return str(v)


def ratio(p, t):
    if isinstance(p, (int, float)) and isinstance(t, (int, float)) and t:
        return "%.4g" % (p / t)
    return "-"


def is_energy(row):
    return row.counter.startswith("energy")


def tally(rows):
    """(counts equal, counts, energies equal, energies) of some rows."""
    c = [x for x in rows if not is_energy(x)]
    e = [x for x in rows if is_energy(x)]
    return (sum(1 for x in c if x.equal), len(c),
            sum(1 for x in e if x.equal), len(e))


def energy_equal(p, t):
    return abs(p - t) <= ENERGY_ABS_PJ + ENERGY_REL * abs(t)


def case_args(folder):
    """The arguments before --engine for one case folder, or an error."""
    path = os.path.join(folder, "pesim.args")
    if os.path.exists(path):
        try:
            with open(path, encoding="utf-8") as f:
                args = [l.strip() for l in f
                        if l.strip() and not l.lstrip().startswith("#")]
        except (OSError, UnicodeDecodeError) as e:
            return None, "%s: cannot read: %s" % (path, e)
        if not args:
            return None, "%s: no arguments" % path
        return args, None
    args = ["--arch", "arch.yaml", "--workload", "prob.yaml"]
    for m in ("map.yaml", "map.txt"):
        if os.path.exists(os.path.join(folder, m)):
            args += ["--mapping", m]
            break
    else:
        return None, "%s: no map.yaml or map.txt" % folder
    for e in ("ERT.yaml", "ERT_summary.yaml"):
        if os.path.exists(os.path.join(folder, e)):
            args += ["--ert", e]
            break
    return args, None


def run_pesim(pesim, folder, args, engine, timeout):
    """pesim's layer record (dict), or (None, why)."""
    cmd = [pesim, "run"] + args + ["--engine", engine, "--format", "json"]
    try:
        p = subprocess.run(cmd, cwd=folder, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timed out after %gs" % timeout
    except OSError as e:
        return None, "cannot run %s: %s" % (pesim, e)
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace").strip().split("\n")
        return None, "exit %d: %s" % (p.returncode, err[0] if err and err[0] else "(no message)")
    try:
        doc = json.loads(p.stdout.decode("utf-8"))
        if not isinstance(doc, dict):
            raise ValueError("not an object")
    except ValueError as e:
        return None, "output is not JSON: %s" % e
    layers = doc.get("layers")
    if not isinstance(layers, list) or len(layers) != 1:
        return None, "expected one layer in pesim's JSON, got %s" % (
            len(layers) if isinstance(layers, list) else "none")
    return layers[0], None


def compare(case, engine, ref, out):
    """Every compared number of one run, as Rows."""
    rows = []

    def add(level, ds, counter, p, t, equal=None, note=""):
        if equal is None:
            equal = p == t
        rows.append(Row(case, engine, level, ds, counter, p, t, equal, note))

    acc = out.get("accesses", {})
    energy = out.get("energy", {})
    breakdown = energy.get("breakdown", {})
    by_level = energy.get("by_level", {})
    pj = energy.get("unit") == "pJ"
    pesim_levels = list(acc.keys())
    storage = ref["storage"]
    for lv in ref["levels"]:
        if lv["kind"] != "storage":
            continue
        name = lv["name"]
        tl = storage[name]
        if name not in acc:
            add(name, "-", "level", "absent", "present", False)
            continue
        pa = acc[name]
        for ds in DS:
            pd = pa.get(ds, {})
            td = tl["dataspaces"].get(ds)
            note = ""
            if pd.get("drains"):
                note = "drains %s" % pd["drains"]
            if td is None:  # Timeloop keeps nothing of ds here
                for c in ("reads", "fills", "updates"):
                    add(name, ds, c, pd.get(c), 0, note=note if c == "reads" else "")
                continue
            n = td["utilized_instances"]
            for c in ("reads", "fills", "updates"):
                add(name, ds, c, pd.get(c), td[c] * n,
                    note=(note if c == "reads" else "") +
                    ("" if n == 1 else "%s%d x %d" % ("; " if note and c == "reads" else "",
                                                       td[c], n)))
            if pesim_levels.index(name) > 0:
                add(name, ds, "tile", pd.get("tile_words"), td["utilized_capacity"])
            if pj:
                p = breakdown.get(name, {}).get(ds)
                t = td["energy_pj"]
                add(name, ds, "energy_pj", p, t,
                    p is not None and energy_equal(p, t))
    for name in pesim_levels:
        if name in storage:
            continue
        for ds in DS:
            pd = acc[name].get(ds, {})
            for c in ("reads", "fills", "updates", "drains"):
                if pd.get(c):
                    add(name, ds, c, pd[c], 0, note="no such Timeloop level")
    mac = ref["mac"]
    add("mac", "-", "computes", out.get("macs"), mac["computes"])
    add("mac", "-", "instances", out.get("active_pes"), mac["utilized_instances"])
    if pj:
        p = by_level.get("mac")
        add("mac", "-", "energy_pj", p, mac["energy_pj"],
            p is not None and energy_equal(p, mac["energy_pj"]))
        p = energy.get("total")
        t = ref["summary"]["energy_pj"]
        add("total", "-", "energy_pj", p, t, p is not None and energy_equal(p, t))
    else:
        add("total", "-", "energy_unit", energy.get("unit"), "pJ", False)
    if engine in TIMED:
        # Timeloop counts the steady state: no first fill, no last drain
        # (docs/model.md §8.4); pesim's `cycles` keeps both.
        cyc = out.get("steady_cycles", out.get("cycles"))
        add("total", "-", "cycles", cyc, ref["summary"]["cycles"])
        pes = out.get("pes")
        util = None
        if isinstance(cyc, int) and cyc > 0 and isinstance(pes, int) and pes > 0:
            util = round(100.0 * out.get("macs", 0) / (cyc * pes), 2)
        t = ref["summary"]["utilization_percent"]
        add("total", "-", "utilization_pct", util, t,
            util is not None and abs(util - t) < 0.005)
    return rows


def load_known(path, cases):
    """{(case, engine or None): cause}; raises ValueError with every error."""
    known = {}
    errors = []
    if not os.path.exists(path):
        return known
    with open(path) as f:
        for no, line in enumerate(f, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            col = len(line) - len(line.lstrip()) + 1
            key, _, cause = s.partition(" ")
            case, at, engine = key.partition("@")
            if case not in cases:
                near = difflib.get_close_matches(case, list(cases), 1)
                errors.append("%s:%d:%d: error: unknown case %r%s" % (
                    path, no, col, case, ", did you mean %r?" % near[0] if near else ""))
                continue
            if at and engine not in ENGINES:
                errors.append("%s:%d:%d: error: unknown engine %r, expected one of %s"
                              % (path, no, col + len(case) + 1, engine, ", ".join(ENGINES)))
                continue
            if not cause.strip():
                errors.append("%s:%d:%d: error: %s has no cause, expected "
                              "`CASE[@ENGINE] cause`" % (path, no, col, key))
                continue
            k = (case, engine or None)
            if k in known:
                errors.append("%s:%d:%d: error: %s listed twice" % (path, no, col, key))
                continue
            known[k] = cause.strip()
    if errors:
        raise ValueError("\n".join(errors))
    return known


def known_cause(known, case, engine):
    return known.get((case, engine)) or known.get((case, None))


def print_rows(rows, out):
    head = ("case", "engine", "level", "data", "counter", "pesim", "timeloop",
            "ratio", "note")
    table = [head] + [(r.case, r.engine, r.level, r.ds, r.counter, fmt(r.pesim),
                       fmt(r.timeloop), ratio(r.pesim, r.timeloop), r.note)
                      for r in rows]
    widths = [max(len(t[i]) for t in table) for i in range(len(head))]
    for t in table:
        out.write("  ".join(c.ljust(w) for c, w in zip(t, widths)).rstrip() + "\n")


def print_markdown(results, ref, out):
    out.write("| Case | Engine | Counts equal | Energies within 0.5% | "
              "Cycles (pesim / Timeloop) | Energy, pJ (pesim / Timeloop) | Status |\n")
    out.write("|---|---|---|---|---|---|---|\n")
    for r in results:
        tl = ref["cases"][r["case"]]["summary"]
        if r["rows"] is None:
            out.write("| %s | %s | - | - | - | - | pesim failed: %s |\n"
                      % (r["case"], r["engine"], r["why"].replace("|", "\\|")))
            continue
        ce, cn, ee, en = tally(r["rows"])
        cyc = r["out"].get("steady_cycles", r["out"].get("cycles"))
        e = r["out"].get("energy", {}).get("total")
        status = "equal" if r["pass"] else "differs: " + (r["known"] or "not listed")
        out.write("| %s | %s | %d of %d | %d of %d | %s / %d | %s / %.6g | %s |\n" % (
            r["case"], r["engine"], ce, cn, ee, en, fmt(cyc), tl["cycles"],
            fmt(e), tl["energy_pj"], status.replace("|", "\\|")))
    # One row per difference; the engines that agree on it share the row.
    merged = {}
    for r in results:
        for x in r["rows"] or ():
            if x.equal:
                continue
            k = (x.case, x.level, x.ds, x.counter, fmt(x.pesim), fmt(x.timeloop), x.note)
            merged.setdefault(k, []).append(x.engine)
    if merged:
        out.write("\n| Case | Engines | Level | Data | Counter | pesim | Timeloop | Note |\n")
        out.write("|---|---|---|---|---|---|---|---|\n")
        for k, engines in merged.items():
            case, level, ds, counter, p, t, note = k
            out.write("| %s | %s | %s | %s | %s | %s | %s | %s |\n" % (
                case, ", ".join(engines), level, ds, counter, p, t, note))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pesim")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases"))
    ap.add_argument("--reference", default=os.path.join(HERE, "reference.json"))
    ap.add_argument("--known", default=os.path.join(HERE, "known.txt"))
    ap.add_argument("--engine", action="append", choices=ENGINES,
                    help="repeatable; default: analysis and event")
    ap.add_argument("--only", action="append", metavar="CASE",
                    help="run only this case (repeatable)")
    ap.add_argument("--markdown", action="store_true",
                    help="print the docs table instead of the difference rows")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds per pesim run (default 600)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every compared number, not only the differences")
    a = ap.parse_args()
    engines = a.engine or ["analysis", "event"]
    try:
        with open(a.reference) as f:
            ref = json.load(f)
        cases = ref["cases"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        sys.stderr.write("%s: error: cannot read the reference: %s\n" % (a.reference, e))
        return 2
    try:
        known = load_known(a.known, cases)
    except OSError as e:
        sys.stderr.write("%s: error: %s\n" % (a.known, e))
        return 2
    except ValueError as e:
        sys.stderr.write("%s\n" % e)
        return 2
    names = sorted(cases)
    if a.only:
        for c in a.only:
            if c not in cases:
                sys.stderr.write("error: --only %s: no such case (cases: %s)\n"
                                 % (c, ", ".join(names)))
                return 2
            if not os.path.isdir(os.path.join(a.cases, c)):
                sys.stderr.write("error: --only %s: no folder %s\n"
                                 % (c, os.path.join(a.cases, c)))
                return 2
        names = [c for c in names if c in a.only]
    pesim = os.path.abspath(a.pesim)

    results = []
    skipped = []
    for case in names:
        folder = os.path.join(a.cases, case)
        if not os.path.isdir(folder):
            skipped.append(case)
            continue
        args, why = case_args(folder)
        for engine in engines:
            r = {"case": case, "engine": engine, "rows": None, "why": why,
                 "out": None, "known": known_cause(known, case, engine)}
            if args is not None:
                out, r["why"] = run_pesim(pesim, folder, args, engine, a.timeout)
                if out is not None:
                    try:
                        r["rows"] = compare(case, engine, cases[case], out)
                        r["out"] = out
                    except (KeyError, TypeError, AttributeError, ValueError) as e:
                        r["why"] = "unexpected JSON layout: %s: %s" % (type(e).__name__, e)
            r["pass"] = r["rows"] is not None and all(x.equal for x in r["rows"])
            results.append(r)

    out = sys.stdout
    if a.markdown:
        print_markdown(results, ref, out)
    else:
        shown = [x for r in results if r["rows"] for x in r["rows"]
                 if a.verbose or not x.equal]
        if shown:
            print_rows(shown, out)
            out.write("\n")
    failed = 0
    sums = [0, 0, 0, 0]
    for r in results:
        tag = "%s@%s" % (r["case"], r["engine"])
        if r["rows"] is not None:
            t = tally(r["rows"])
            sums = [a + b for a, b in zip(sums, t)]
            what = "%d/%d counts, %d/%d energies" % t
        else:
            what = "pesim failed: %s" % r["why"]
        if r["rows"] is None:
            status = "FAIL (pesim did not run; known.txt covers differences only)"
            failed += 1
        elif r["pass"] and r["known"]:
            status = "FAIL (passes, but known.txt lists it: delete that line)"
            failed += 1
        elif r["pass"]:
            status = "pass"
        elif r["known"]:
            status = "known: %s" % r["known"]
        else:
            status = "FAIL (not in known.txt)"
            failed += 1
        if not a.markdown:
            out.write("%-24s %-30s %s\n" % (tag, what, status))
    if not a.markdown:
        if skipped:
            out.write("skipped (no folder in %s): %s\n" % (a.cases, ", ".join(skipped)))
        out.write("%d of %d counts equal, %d of %d energies within 0.5%%; "
                  "%d runs, %d failed, %d cases skipped\n"
                  % (sums[0], sums[1], sums[2], sums[3], len(results), failed,
                     len(skipped)))
    if failed:
        return 1
    if not results:
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())

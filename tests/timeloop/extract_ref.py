#!/usr/bin/python3
"""Write tests/timeloop/reference.json from Timeloop's published outputs.

usage: extract_ref.py MIRROR [--commit SHA] [-o FILE]

MIRROR is a git clone (bare is fine) of
Accelergy-Project/timeloop-accelergy-exercises; the files are read at
--commit (default: the commit the committed reference.json was made from)
with `git show`, so the mirror needs no work tree and its checkout does not
matter. For every case of CASES below it parses the checked-in
timeloop-model.stats.txt or timeloop-mapper.stats.txt and records, with
the file's path and the commit:

- the level order, innermost (0, the MAC) first, as Timeloop numbers it:
  arithmetic, storage and container-only spatial levels (these have no
  storage and no counts, and no pesim level);
- the MAC: instances, utilized instances, computes (total), cycles and
  energy (total, pJ);
- per storage level: instances, cycles, bandwidth throttling, leakage
  energy (total, pJ), fJ/Compute (the summary's line, which includes the
  leakage) and, per data space it keeps: utilized capacity (words per
  instance), utilized instances, scalar reads, fills and updates
  (per-instance, as Timeloop prints them) and energy (total, pJ);
- the summary: cycles, utilization (percent, as printed), computes, the
  printed energy (uJ, two decimals) and energy_pj, the total of the
  fJ/Compute lines times the computes (more digits than the uJ line).

Timeloop's per-instance counts are the average over the utilized
instances (its nest analysis sums the sampled instances and divides), so
the total over instances is per-instance x utilized instances. The script
checks that relation where the file lets it: Energy (total) equals Energy
(per-instance) x Utilized instances to the printed precision, and the MAC's
computes equal its cycles x utilized instances when utilization is full per
instance. It also checks that the fJ/Compute lines add up to their Total,
and that each level's data-space energies plus its leakage give its
fJ/Compute line. A file that breaks any of these, or that it cannot parse,
stops the script with the file and line; nothing is written then.

Standard library only (the files are plain text); the output is sorted
and indented so that regenerating it from the same commit gives the same
bytes (docs/validation.md, "Timeloop", "Regenerating the reference").
"""

import argparse
import json
import os
import re
import subprocess
import sys

REPO = "Accelergy-Project/timeloop-accelergy-exercises"
COMMIT = "2d5510807128e9bd5f1cad0705cdf2ec4612fd4e"
ISPASS = "workspace/tutorial_exercises/01_accelergy_timeloop_2020_ispass"
DESIGNS = "workspace/example_designs/example_designs"

# case name -> folder of the reference output, file name in it.
CASES = [
    ("tl00-1level", ISPASS + "/timeloop/00-model-conv1d-1level/ref-output",
     "timeloop-model"),
    ("tl01-os", ISPASS + "/timeloop/01-model-conv1d-2level/ref-output/os",
     "timeloop-model"),
    ("tl01-ws", ISPASS + "/timeloop/01-model-conv1d-2level/ref-output/ws",
     "timeloop-model"),
    ("tl02-no-tiling",
     ISPASS + "/timeloop/02-model-conv1d+oc-2level/ref-output/no-tiling",
     "timeloop-model"),
    ("tl02-tiling",
     ISPASS + "/timeloop/02-model-conv1d+oc-2level/ref-output/tiling",
     "timeloop-model"),
    ("tl03-bypass",
     ISPASS + "/timeloop/03-model-conv1d+oc-3level/ref-output/bypass",
     "timeloop-model"),
    ("tl03-no-bypass",
     ISPASS + "/timeloop/03-model-conv1d+oc-3level/ref-output/no-bypass",
     "timeloop-model"),
    ("tl04-cp",
     ISPASS + "/timeloop/04-model-conv1d+oc-3levelspatial/ref-output/cp",
     "timeloop-model"),
    ("tl04-kp",
     ISPASS + "/timeloop/04-model-conv1d+oc-3levelspatial/ref-output/kp",
     "timeloop-model"),
    ("tl05-baked",
     ISPASS + "/timeloop/05-mapper-conv1d+oc-3level/ref-output/baked",
     "timeloop-mapper"),
    ("tl05-freebypass",
     ISPASS + "/timeloop/05-mapper-conv1d+oc-3level/ref-output/freebypass",
     "timeloop-mapper"),
    ("tl05-null",
     ISPASS + "/timeloop/05-mapper-conv1d+oc-3level/ref-output/null",
     "timeloop-mapper"),
    ("tl06-eyeriss",
     ISPASS + "/timeloop/06-mapper-convlayer-eyeriss/ref-output",
     "timeloop-mapper"),
    ("intmac", ISPASS + "/timeloop+accelergy/ref-output/intmac",
     "timeloop-mapper"),
    ("fpmac", ISPASS + "/timeloop+accelergy/ref-output/fpmac",
     "timeloop-mapper"),
    ("eyeriss-like", DESIGNS + "/eyeriss_like/ref_outputs/default_problem",
     "timeloop-mapper"),
    ("simba-like", DESIGNS + "/simba_like/ref_outputs/default_problem",
     "timeloop-mapper"),
    ("simple-os",
     DESIGNS + "/simple_output_stationary/ref_outputs/default_problem",
     "timeloop-mapper"),
    ("simple-ws",
     DESIGNS + "/simple_weight_stationary/ref_outputs/default_problem",
     "timeloop-mapper"),
]

# Timeloop's data-space names in these problems -> pesim's.
DATA_SPACES = {"Weights": "weights", "Inputs": "inputs", "Outputs": "outputs"}

# "Key : value" lines inside a data-space block, and what they become.
DS_KEYS = {
    "Utilized capacity": ("utilized_capacity", int),
    "Utilized instances (max)": ("utilized_instances", int),
    "Scalar reads (per-instance)": ("reads", int),
    "Scalar fills (per-instance)": ("fills", int),
    "Scalar updates (per-instance)": ("updates", int),
    "Energy (per-instance)": ("energy_per_instance_pj", "pj"),
    "Energy (total)": ("energy_pj", "pj"),
}


class ParseError(Exception):
    pass


def git_show(mirror, commit, path):
    try:
        out = subprocess.run(["git", "-C", mirror, "show", commit + ":" + path],
                             check=True, capture_output=True)
    except subprocess.CalledProcessError as e:
        raise ParseError("%s: git show %s:%s failed: %s" % (
            mirror, commit[:12], path, e.stderr.decode(errors="replace").strip()))
    return out.stdout.decode("utf-8")


def pj(text, where):
    m = re.fullmatch(r"(-?[0-9.]+(?:e[-+]?[0-9]+)?) pJ", text)
    if not m:
        raise ParseError("%s: expected an energy in pJ, got %r" % (where, text))
    return float(m.group(1))


def convert(kind, text, where):
    if kind is int:
        if not re.fullmatch(r"[0-9]+", text):
            raise ParseError("%s: expected an integer, got %r" % (where, text))
        return int(text)
    if kind == "pj":
        return pj(text, where)
    if kind is float:
        try:
            return float(text)
        except ValueError:
            raise ParseError("%s: expected a number, got %r" % (where, text))
    return text


def parse_stats(text, path):
    """The facts of one stats.txt as a dict (the case's record)."""
    lines = text.split("\n")
    where = lambda i: "%s:%d" % (path, i + 1)
    storage = {}       # name -> record
    storage_index = {}  # name -> Timeloop level number
    mac = None
    order = []         # names, inner to outer, from the intensity section
    summary = {}
    fj = {}            # name -> fJ/Compute
    i = 0
    n = len(lines)
    section = None
    cur = None          # the level record being read
    cur_ds = None       # the data-space record being read
    level_no = None
    in_spec = False
    in_fj = False
    while i < n:
        line = lines[i]
        s = line.strip()
        if s == "Buffer and Arithmetic Levels":
            section = "levels"
        elif s == "Networks":
            section = "networks"
        elif s == "Operational Intensity Stats":
            section = "intensity"
        elif s == "Summary Stats":
            section = "summary"
        elif section == "levels":
            m = re.fullmatch(r"Level ([0-9]+)", s)
            if m:
                level_no = int(m.group(1))
                cur = cur_ds = None
            m = re.fullmatch(r"=== (.+) ===", s)
            if m:
                name = m.group(1)
                if level_no is None:
                    raise ParseError("%s: level %s without a Level line" % (where(i), name))
                if level_no == 0:
                    if mac is not None:
                        raise ParseError("%s: a second arithmetic level" % where(i))
                    mac = {"name": name}
                    cur = mac
                else:
                    if name in storage:
                        raise ParseError("%s: level %s twice" % (where(i), name))
                    cur = {"name": name, "dataspaces": {}}
                    storage[name] = cur
                    storage_index[name] = level_no
                cur_ds = None
                in_spec = False
            elif s == "SPECS":
                in_spec = True
            elif s == "STATS":
                in_spec = False
            elif cur is not None and s.endswith(":") and s[:-1] in DATA_SPACES:
                if cur is mac:
                    raise ParseError("%s: a data space in the MAC level" % where(i))
                cur_ds = {}
                cur["dataspaces"][DATA_SPACES[s[:-1]]] = cur_ds
            elif cur is not None and ":" in s:
                key, _, val = s.partition(":")
                key = key.strip()
                val = val.strip()
                if cur is mac:
                    mk = {"Instances": ("instances", None),
                          "Utilized instances": ("utilized_instances", int),
                          "Computes (total)": ("computes", int),
                          "Cycles": ("cycles", int),
                          "Energy (total)": ("energy_pj", "pj")}.get(key)
                    if mk:
                        if mk[0] == "instances":
                            mm = re.fullmatch(r"([0-9]+) \(.*\)", val)
                            if not mm:
                                raise ParseError("%s: bad Instances %r" % (where(i), val))
                            mac["instances"] = int(mm.group(1))
                        else:
                            mac[mk[0]] = convert(mk[1], val, where(i))
                elif cur_ds is not None and not in_spec and key in DS_KEYS:
                    k, kind = DS_KEYS[key]
                    cur_ds[k] = convert(kind, val, where(i))
                elif in_spec and key == "Instances":
                    mm = re.fullmatch(r"([0-9]+) \(.*\)", val)
                    if not mm:
                        raise ParseError("%s: bad Instances %r" % (where(i), val))
                    cur["instances"] = int(mm.group(1))
                elif in_spec and key == "Leakage energy (total)":
                    cur["leakage_pj"] = pj(val, where(i))
                elif not in_spec and cur_ds is None and key == "Cycles":
                    cur["cycles"] = convert(int, val, where(i))
                elif not in_spec and cur_ds is None and key == "Bandwidth throttling":
                    cur["bandwidth_throttling"] = convert(float, val, where(i))
        elif section == "intensity":
            m = re.fullmatch(r"=== (.+) ===", s)
            if m:
                order.append(m.group(1))
        elif section == "summary":
            m = re.fullmatch(r"(Utilization|Cycles|Energy): (.*)", s)
            if m:
                key, val = m.groups()
                if key == "Utilization":
                    mm = re.fullmatch(r"([0-9.]+)%", val)
                    if not mm:
                        raise ParseError("%s: bad utilization %r" % (where(i), val))
                    summary["utilization_percent"] = float(mm.group(1))
                elif key == "Cycles":
                    summary["cycles"] = convert(int, val, where(i))
                else:
                    mm = re.fullmatch(r"([0-9.]+) uJ", val)
                    if not mm:
                        raise ParseError("%s: bad energy %r" % (where(i), val))
                    summary["energy_uj_printed"] = float(mm.group(1))
            m = re.fullmatch(r"Computes = ([0-9]+)", s)
            if m:
                summary["computes"] = int(m.group(1))
            elif s == "fJ/Compute":
                in_fj = True
            m = re.fullmatch(r"(\S+)\s+= ([0-9.]+)", s)
            if m and in_fj:
                fj[m.group(1)] = float(m.group(2))
        i += 1

    if mac is None:
        raise ParseError("%s: no arithmetic level (Level 0)" % path)
    for k in ("instances", "utilized_instances", "computes", "cycles", "energy_pj"):
        if k not in mac:
            raise ParseError("%s: the MAC level has no %s" % (path, k))
    for k in ("cycles", "utilization_percent", "computes", "energy_uj_printed"):
        if k not in summary:
            raise ParseError("%s: the summary has no %s" % (path, k))
    if "Total" not in fj:
        raise ParseError("%s: no fJ/Compute Total line" % path)

    # The level order: the intensity section lists every non-arithmetic
    # level inner to outer; its position + 1 is Timeloop's level number.
    levels = [{"index": 0, "name": mac["name"], "kind": "arithmetic"}]
    for pos, name in enumerate(order):
        idx = pos + 1
        if name in storage:
            if storage_index[name] != idx:
                raise ParseError("%s: %s is Level %d but position %d of the "
                                 "intensity section" % (path, name, storage_index[name], idx))
            levels.append({"index": idx, "name": name, "kind": "storage"})
        else:
            levels.append({"index": idx, "name": name, "kind": "container"})
    if set(storage) - set(order):
        raise ParseError("%s: storage levels %s missing from the intensity section"
                         % (path, sorted(set(storage) - set(order))))

    for name, rec in storage.items():
        for k in ("instances", "cycles", "bandwidth_throttling", "leakage_pj"):
            if k not in rec:
                raise ParseError("%s: level %s has no %s" % (path, name, k))
        for ds, d in rec["dataspaces"].items():
            for k, _ in DS_KEYS.values():
                if k not in d:
                    raise ParseError("%s: %s %s has no %s" % (path, name, ds, k))
        if name not in fj:
            raise ParseError("%s: no fJ/Compute line for %s" % (path, name))
        rec["fj_per_compute"] = fj[name]
    if mac["name"] not in fj:
        raise ParseError("%s: no fJ/Compute line for %s" % (path, mac["name"]))

    check(path, mac, storage, summary, fj)

    for rec in storage.values():
        for d in rec["dataspaces"].values():
            del d["energy_per_instance_pj"]  # checked, implied by the total
    comp = summary["computes"]
    return {
        "levels": levels,
        "mac": {k: mac[k] for k in ("name", "instances", "utilized_instances",
                                     "computes", "cycles", "energy_pj")},
        "storage": {name: {k: rec[k] for k in ("instances", "cycles",
                                               "bandwidth_throttling", "leakage_pj",
                                               "fj_per_compute", "dataspaces")}
                    for name, rec in storage.items()},
        "summary": {
            "cycles": summary["cycles"],
            "utilization_percent": summary["utilization_percent"],
            "computes": comp,
            "energy_uj_printed": summary["energy_uj_printed"],
            "fj_per_compute_total": fj["Total"],
            "energy_pj": round(fj["Total"] * comp / 1000.0, 6),
        },
    }


def close(a, b, tol_abs, tol_rel=0.0):
    return abs(a - b) <= tol_abs + tol_rel * max(abs(a), abs(b))


def check(path, mac, storage, summary, fj):
    """The relations between the printed numbers (see the module doc)."""
    comp = summary["computes"]
    if mac["computes"] != comp:
        raise ParseError("%s: MAC computes %d != summary %d" % (path, mac["computes"], comp))
    if mac["cycles"] * mac["utilized_instances"] < comp:
        raise ParseError("%s: MAC cycles x utilized instances < computes" % path)
    # Printed values carry two decimals: a product of one with n instances
    # is off by at most 0.005 n, plus the other's own rounding.
    for name, rec in storage.items():
        for ds, d in rec["dataspaces"].items():
            n = d["utilized_instances"]
            if not close(d["energy_per_instance_pj"] * n, d["energy_pj"], 0.005 * n + 0.005):
                raise ParseError("%s: %s %s: energy per instance x %d instances = %.2f, "
                                 "total %.2f" % (path, name, ds, n,
                                                 d["energy_per_instance_pj"] * n, d["energy_pj"]))
        lvl = sum(d["energy_pj"] for d in rec["dataspaces"].values()) + rec["leakage_pj"]
        # fJ/Compute has two decimals: +-0.005 fJ per compute.
        if not close(lvl * 1000.0 / comp, rec["fj_per_compute"], 0.005 + 0.005 * 4 * 1000.0 / comp):
            raise ParseError("%s: %s: energies + leakage = %.4f fJ/compute, printed %.2f"
                             % (path, name, lvl * 1000.0 / comp, rec["fj_per_compute"]))
    if not close(mac["energy_pj"] * 1000.0 / comp, fj[mac["name"]], 0.005 + 5.0 / comp):
        raise ParseError("%s: MAC energy %.2f pJ vs %.2f fJ/compute"
                         % (path, mac["energy_pj"], fj[mac["name"]]))
    parts = sum(v for k, v in fj.items() if k != "Total")
    if not close(parts, fj["Total"], 0.005 * len(fj)):
        raise ParseError("%s: fJ/Compute lines add up to %.2f, Total %.2f"
                         % (path, parts, fj["Total"]))
    if not close(fj["Total"] * comp / 1e9, summary["energy_uj_printed"],
                 0.005 + 0.005 * comp / 1e9 + 1e-9):
        raise ParseError("%s: fJ/Compute Total x computes = %.4f uJ, printed %.2f"
                         % (path, fj["Total"] * comp / 1e9, summary["energy_uj_printed"]))
    util = 100.0 * comp / (summary["cycles"] * mac["instances"])
    if not close(util, summary["utilization_percent"], 0.005 + 1e-9):
        raise ParseError("%s: computes / (cycles x MACs) = %.4f%%, printed %.2f%%"
                         % (path, util, summary["utilization_percent"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mirror", help="git directory of %s" % REPO)
    ap.add_argument("--commit", default=COMMIT)
    ap.add_argument("-o", "--output",
                    default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "reference.json"))
    args = ap.parse_args()
    try:
        full = subprocess.run(["git", "-C", args.mirror, "rev-parse", "--verify",
                               args.commit + "^{commit}"], check=True,
                              capture_output=True).stdout.decode().strip()
    except subprocess.CalledProcessError as e:
        sys.stderr.write("%s: error: no commit %s: %s\n" % (
            args.mirror, args.commit, e.stderr.decode(errors="replace").strip()))
        return 2
    cases = {}
    try:
        for name, folder, stem in CASES:
            path = folder + "/" + stem + ".stats.txt"
            rec = parse_stats(git_show(args.mirror, full, path), path)
            rec["source"] = {"repo": REPO, "commit": full, "path": path,
                             "ert": folder + "/" + stem + ".ERT.yaml"}
            cases[name] = rec
    except ParseError as e:
        sys.stderr.write("error: %s\n" % e)
        return 2
    doc = {
        "about": "Timeloop's published reference outputs, one record per case; "
                 "written by tests/timeloop/extract_ref.py (see its header for the "
                 "meaning of every field). Counts of storage levels are "
                 "per instance as Timeloop prints them; the total over instances "
                 "is per-instance x utilized_instances.",
        "repo": REPO,
        "commit": full,
        "cases": cases,
    }
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    tmp = args.output + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, args.output)
    print("%s: %d cases from %s@%s" % (args.output, len(cases), REPO, full[:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

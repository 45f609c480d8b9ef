#!/usr/bin/python3
"""pesim's mapper against timeloop-mapper on Timeloop's own exercises.

usage: mapper.py PESIM [--cases DIR] [--reference FILE] [-v]

For each case below (the exercises whose reference outputs are
timeloop-mapper's: 05's three constraint sets, 06's Eyeriss-like VGG
layer, the intmac/fpmac tutorial, the four example designs), runs in its
folder, under the case's own constraints (the architecture's, and
constraints.yaml when there is one, the exercise's mapspace constraints
file) and its own Accelergy ERT,

    PESIM map --dataflow mapspace --objective energy --engine analysis
    PESIM run --mapping <that> --engine analysis --format json

and checks that

- pesim's mapping is legal: `run --mapping` checks it against every
  constraint (pesim_map_check_rules) and refuses it otherwise;
- its energy is at most Timeloop's published total (reference.json, from
  the case's timeloop-mapper.stats.txt; to 0.01 pJ, the precision the
  parity test allows: where the constraints leave one mapping, pesim's
  energy of it is Timeloop's to 0.006 pJ) and at most pesim's own energy
  of Timeloop's mapping (map.yaml), so the win is not the model's
  difference;
- the map is the same bytes with --threads 1 and 2 (determinism);
- on the example designs, the templates (ws, os, rs) map legally too:
  under the design's constraints and the template's own
  (configs/dataflows/), `run --mapping` accepts what `map` picks.

Prints a row per case: energies and the ratio. Exit 1 on any failure.
"""
import json
import os
import subprocess
import sys
import tempfile

CASES = ["tl05-baked", "tl05-freebypass", "tl05-null", "tl06-eyeriss", "intmac", "fpmac",
         "eyeriss-like", "simba-like", "simple-os", "simple-ws"]


def total_energy(doc):
    layers = doc["layers"] if "layers" in doc else doc["results"][0]["layers"]
    return sum(l["energy"]["total"] for l in layers)


def pesim(exe, folder, args):
    p = subprocess.run([exe] + args, cwd=folder, capture_output=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError("pesim %s: exit %d: %s" % (args[0], p.returncode,
                                                      p.stderr.decode(errors="replace")[:400]))
    return p.stdout


def main(argv):
    exe = os.path.abspath(argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    cases_dir = os.path.join(here, "cases")
    ref_path = os.path.join(here, "reference.json")
    verbose = "-v" in argv
    if "--cases" in argv:
        cases_dir = argv[argv.index("--cases") + 1]
    if "--reference" in argv:
        ref_path = argv[argv.index("--reference") + 1]
    ref = json.load(open(ref_path))["cases"]
    failed = 0
    print("%-16s %16s %16s %16s %8s" % ("case", "pesim pJ", "timeloop pJ",
                                        "pesim(TL map) pJ", "ratio"))
    for case in CASES:
        folder = os.path.join(cases_dir, case)
        if not os.path.isdir(folder):
            print("%-16s skipped (no folder)" % case)
            continue
        base = ["--arch", "arch.yaml", "--workload", "prob.yaml", "--ert", "ERT.yaml"]
        if os.path.exists(os.path.join(folder, "constraints.yaml")):
            base += ["--constraints", "constraints.yaml"]
        try:
            with tempfile.TemporaryDirectory() as tmp:
                maps = []
                for threads in ("1", "2"):
                    out = os.path.join(tmp, "map%s.yaml" % threads)
                    pesim(exe, folder, ["map"] + base + [
                        "--dataflow", "mapspace", "--objective", "energy", "--engine",
                        "analysis", "--threads", threads, "-o", out])
                    maps.append(open(out, "rb").read())
                mine = total_energy(json.loads(pesim(exe, folder, ["run"] + base + [
                    "--mapping", os.path.join(tmp, "map1.yaml"), "--engine", "analysis",
                    "--format", "json"])))
            theirs_here = total_energy(json.loads(pesim(exe, folder, ["run"] + base + [
                "--mapping", "map.yaml", "--engine", "analysis", "--format", "json"])))
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            print("%-16s FAIL %s" % (case, e))
            failed += 1
            continue
        theirs = ref[case]["summary"]["energy_pj"]
        status = "ok"
        if maps[0] != maps[1]:
            status = "FAIL: --threads 2 maps differently"
        elif mine > theirs + 0.01:
            status = "FAIL: above Timeloop's energy"
        elif mine > theirs_here * (1 + 1e-9):
            status = "FAIL: above pesim's energy of Timeloop's mapping"
        if status != "ok":
            failed += 1
        print("%-16s %16.1f %16.1f %16.1f %8.4f %s" % (case, mine, theirs, theirs_here,
                                                      mine / theirs, status))
    for case in ["eyeriss-like", "simba-like", "simple-os", "simple-ws", "intmac"]:
        folder = os.path.join(cases_dir, case)
        if not os.path.isdir(folder):
            continue
        base = ["--arch", "arch.yaml", "--workload", "prob.yaml", "--ert", "ERT.yaml"]
        for df in ("ws", "os", "rs"):
            try:
                with tempfile.TemporaryDirectory() as tmp:
                    out = os.path.join(tmp, "m.yaml")
                    pesim(exe, folder, ["map"] + base + ["--dataflow", df, "--objective",
                                                         "energy", "--engine", "analysis",
                                                         "-o", out])
                    pesim(exe, folder, ["run"] + base + ["--mapping", out, "--engine",
                                                         "analysis"])
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print("%-16s %s FAIL %s" % (case, df, e))
                failed += 1
    if verbose:
        print("cases:", cases_dir)
    print("%d of %d cases at or below timeloop-mapper's energy, legal, deterministic" %
          (len(CASES) - failed, len(CASES)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Build tests/scalesim/data/cases.csv: run SCALE-Sim v2 (a checkout given
as the first argument, e.g. scalesim-project/scale-sim-v2 at commit
22f88b17f1dd3160e18bff5df165035bf8146e83) on the layers and arrays below
and record what it reports. SCALE-Sim's numbers are the reference; this
script only drives it (it needs Debian's python3-numpy, -pandas, -tqdm,
-absl). docs/systolic.md, "The SCALE-Sim table".

    /usr/bin/python3 tools/scalesim_table.py /path/to/scale-sim-v2 > tests/scalesim/data/cases.csv
"""
import csv
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "scalesim"))
import scfiles  # noqa: E402

# (name, ifmap h, ifmap w, filter h, filter w, channels, filters, stride):
# ifmap sizes include any padding, as SCALE-Sim takes them. A name with DP
# is depthwise (SCALE-Sim runs one single-channel layer per channel).
CONVS = {
    "c3x3": ("c3x3", 9, 9, 3, 3, 16, 24, 1),          # 3x3, pad 1 on 7x7
    "c3x3s2": ("c3x3s2", 17, 17, 3, 3, 8, 20, 2),     # stride 2, padded
    "c5x5": ("c5x5", 14, 12, 5, 5, 6, 10, 1),         # non-square plane
    "c7x7s2": ("c7x7s2", 37, 37, 7, 7, 3, 16, 2),     # ResNet-like stem, small
    "c1x1": ("c1x1", 14, 14, 1, 1, 64, 48, 1),        # pointwise
    "c1x1s2": ("c1x1s2", 15, 15, 1, 1, 24, 36, 2),    # strided downsample
    "fc": ("fc", 1, 1, 1, 1, 200, 70, 1),             # fully connected
    "dw3x3": ("DP_dw3x3", 10, 10, 3, 3, 6, 1, 1),     # depthwise 3x3
    "dw3x3s2": ("DP_dw3x3s2", 11, 11, 3, 3, 4, 1, 2), # depthwise, stride 2
    "c3x3big": ("c3x3big", 16, 16, 3, 3, 64, 130, 1),
}
# (name, M, N, K): (M x K) . (K x N)
GEMMS = {
    "g1": ("g1", 100, 60, 40),
    "g2": ("g2", 7, 300, 33),
    "g3": ("g3", 256, 128, 64),
    "g4": ("g4", 33, 33, 257),
}
# (rows, cols): the layers each array runs
ARRAYS = [
    ((4, 4), ["c3x3", "dw3x3", "c1x1s2"], ["g2"]),
    ((8, 16), ["c3x3s2", "c5x5", "fc", "dw3x3s2"], ["g1"]),
    ((16, 8), ["c3x3", "c1x1", "dw3x3"], ["g4"]),
    ((32, 32), ["c7x7s2", "c3x3big", "c1x1s2"], ["g3", "g2"]),
    ((12, 40), ["c5x5", "c3x3s2"], ["g1"]),
    ((64, 32), ["c3x3big", "fc"], ["g4"]),
    ((128, 128), ["c1x1", "c3x3"], ["g3"]),
]
DATAFLOWS = ["os", "ws", "is"]
# SCALE-Sim's shipped configurations (configs/*.cfg: array, the three SRAM
# sizes in kB, dataflow, all CALC) on its shipped AlexNet topology
# (topologies/conv_nets/alexnet.csv), Conv1 alone on the 12x14 array
ALEXNET = {
    "Conv1": ("Conv1", 224, 224, 11, 11, 3, 96, 4),
    "Conv2": ("Conv2", 27, 27, 5, 5, 96, 256, 1),
    "Conv3": ("Conv3", 13, 13, 3, 3, 256, 384, 1),
    "Conv4": ("Conv4", 13, 13, 3, 3, 384, 384, 1),
    "Conv5": ("Conv5", 13, 13, 3, 3, 384, 256, 1),
}
SHIPPED = [
    (32, 32, "64/64/64", "os", ["Conv1", "Conv2", "Conv3", "Conv4", "Conv5"]),       # scale.cfg
    (256, 256, "6144/6144/2048", "ws", ["Conv1", "Conv2", "Conv3", "Conv4", "Conv5"]),  # google.cfg
    (12, 14, "36/36/36", "ws", ["Conv1"]),                                          # eyeriss.cfg
]
# Bandwidth-limited runs (InterfaceBandwidth USER, Bandwidth words per
# cycle per buffer) with SRAMs that hold the layer: (rows, cols, kB, bw,
# convs, gemms)
USER = [
    (8, 8, 1024, 2, ["c3x3", "c1x1"], ["g1"]),
    (32, 16, 1024, 1, ["c3x3s2", "dw3x3"], ["g4"]),
]

FIELDS = ["rows", "cols", "sram_kb", "mode", "bandwidth", "dataflow", "kind", "layer", "a", "b", "c", "d", "e", "f", "g",
          "total_cycles", "stall_cycles", "overall_util", "mapping_eff", "compute_util",
          "sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes",
          "dram_ifmap_reads", "dram_filter_reads", "dram_ofmap_writes", "runs"]


def run(ss, tmp, rows, cols, df, kind, layers, kb=1024, mode="CALC", bw=10):
    run_name = f"r{rows}x{cols}_{df}_{kind}_{mode}{bw}"
    cfg = os.path.join(tmp, run_name + ".cfg")
    topo = os.path.join(tmp, run_name + ".csv")
    scfiles.write_cfg(cfg, run_name, rows, cols, df, kb, mode, bw)
    scfiles.write_topology(topo, kind, layers)
    out = os.path.join(tmp, "out")
    subprocess.run(["/usr/bin/python3", os.path.join(ss, "scalesim", "scale.py"), "-t", topo,
                    "-c", cfg, "-p", out, "-i", kind],
                   cwd=ss, env=dict(os.environ, PYTHONPATH=ss), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rep = os.path.join(out, run_name)
    comp = list(csv.reader(open(os.path.join(rep, "COMPUTE_REPORT.csv"))))[1:]
    det = list(csv.reader(open(os.path.join(rep, "DETAILED_ACCESS_REPORT.csv"))))[1:]
    # SCALE-Sim's rows, one per layer it ran (a DP layer: one per channel)
    i = 0
    result = []
    for row in layers:
        n = row[5] if kind == "conv" and "DP" in row[0] else 1
        c = [[float(x) for x in r[1:6]] for r in comp[i:i + n]]
        d = [[float(x) for x in r[1:19]] for r in det[i:i + n]]
        i += n
        sums = [sum(r[k] for r in c) for k in range(2)]
        # utilizations as SCALE-Sim reports them per run: one DP channel's
        # (every channel the same)
        utils = c[0][2:5]
        counts = [sum(r[k] for r in d) for k in (2, 5, 8, 11, 14, 17)]
        vals = list(row[1:]) + [""] * (7 - len(row[1:]))
        result.append([rows, cols, kb, mode, bw, df, kind, row[0]] + vals + [int(sums[0]), int(sums[1])] +
                      [f"{u:.6f}" for u in utils] + [int(x) for x in counts] + [n])
    return result


def main():
    ss = os.path.abspath(sys.argv[1])
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(FIELDS)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(rows, cols, 1024, "CALC", 10, convs, gemms)
                for (rows, cols), convs, gemms in ARRAYS]
        runs += [(rows, cols, kb, "USER", bw, convs, gemms)
                 for rows, cols, kb, bw, convs, gemms in USER]
        for rows, cols, kb, df, convs in SHIPPED:
            for r in run(ss, tmp, rows, cols, df, "conv", [ALEXNET[n] for n in convs], kb):
                w.writerow(r)
        for rows, cols, kb, mode, bw, convs, gemms in runs:
            for df in DATAFLOWS:
                for kind, names, table in (("conv", convs, CONVS), ("gemm", gemms, GEMMS)):
                    if names:
                        for r in run(ss, tmp, rows, cols, df, kind, [table[n] for n in names],
                                     kb, mode, bw):
                            w.writerow(r)


if __name__ == "__main__":
    main()

"""SCALE-Sim's input files for one case, shared by tests/scalesim/table.py
and tools/scalesim_table.py (which runs SCALE-Sim on them): a .cfg as
scalesim/scale_config.py reads it and a one-layer topology CSV, conv
(`Layer name, IFMAP Height, ...`) or GEMM (`Layer, M, N, K`)."""
import os

CFG = """[general]
run_name = {run}

[architecture_presets]
ArrayHeight: {rows}
ArrayWidth: {cols}
IfmapSramSzkB: {ikb}
FilterSramSzkB: {fkb}
OfmapSramSzkB: {okb}
IfmapOffset: 0
FilterOffset: 10000000
OfmapOffset: 20000000
Bandwidth : {bw}
Dataflow : {df}
MemoryBanks: 1

[run_presets]
InterfaceBandwidth: {mode}
"""
CONV_HEAD = ("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
             "Num Filter, Strides,\n")
GEMM_HEAD = "Layer, M, N, K,\n"


def write_cfg(path, run, rows, cols, df, kb=1024, mode="CALC", bw=10):
    """kb: the three SRAMs' size, or "ifmap/filter/ofmap" sizes."""
    ikb, fkb, okb = (str(kb).split("/") * 3)[:3] if "/" not in str(kb) else str(kb).split("/")
    with open(path, "w") as f:
        f.write(CFG.format(run=run, rows=rows, cols=cols, df=df, ikb=ikb, fkb=fkb, okb=okb,
                           mode=mode, bw=bw))


def write_topology(path, kind, layers):
    """layers: rows of (name, values...) in SCALE-Sim's column order."""
    with open(path, "w") as f:
        f.write(CONV_HEAD if kind == "conv" else GEMM_HEAD)
        for row in layers:
            f.write(", ".join(str(v) for v in row) + ",\n")


def case_files(tmp, c):
    """The .cfg and topology of a case (a row of data/cases.csv)."""
    cfg = os.path.join(tmp, "a.cfg")
    topo = os.path.join(tmp, "w.csv")
    write_cfg(cfg, "r%sx%s_%s" % (c["rows"], c["cols"], c["dataflow"]), c["rows"], c["cols"],
              c["dataflow"], c.get("sram_kb") or 1024, c.get("mode") or "CALC",
              c.get("bandwidth") or 10)
    keys = "abcdefg" if c["kind"] == "conv" else "abc"
    write_topology(topo, c["kind"], [[c["layer"]] + [c[k] for k in keys]])
    return cfg, topo

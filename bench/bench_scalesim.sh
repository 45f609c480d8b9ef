#!/bin/sh
# pesim against SCALE-Sim v2 on the same layers, both as whole processes
# measured back to back (docs/validation.md, "SCALE-Sim"): for each array
# and dataflow, the median wall time of 5 runs of SCALE-Sim's scale.py and
# of `pesim run` on the same .cfg and topology, and their ratio. Needs a
# SCALE-Sim checkout (scalesim-project/scale-sim-v2) and Debian's
# python3-numpy, -pandas, -tqdm, -absl.
# usage: bench/bench_scalesim.sh SCALESIM_DIR [PESIM]
SS=$(realpath "$1") || exit 2
PESIM=$(realpath "${2:-build/cli/pesim}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/topo.csv" <<'CSV'
Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
conv3x3, 30, 30, 3, 3, 64, 64, 1,
conv1x1, 28, 28, 1, 1, 128, 256, 1,
CSV
median() { sort -n | sed -n 3p; }
time_us() { s=$(date +%s%N); "$@" >/dev/null 2>&1 || echo FAIL >&2; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
printf '%-10s %-3s %14s %12s %8s\n' array df "SCALE-Sim ms" "pesim ms" ratio
for a in 32x32 16x64 128x128; do
  r=${a%x*}; c=${a#*x}
  for df in os ws is; do
    sed -e "s/^ArrayHeight:.*/ArrayHeight: $r/" -e "s/^ArrayWidth:.*/ArrayWidth: $c/" \
        -e "s/^Dataflow.*/Dataflow : $df/" -e "s/^InterfaceBandwidth.*/InterfaceBandwidth: CALC/" \
        -e "s/SramSzkB:.*/SramSzkB: 1024/" "$SS/configs/scale.cfg" > "$T/a.cfg"
    ss=$(for i in 1 2 3 4 5; do
           (cd "$SS" && PYTHONPATH="$SS" time_us /usr/bin/python3 scalesim/scale.py -t "$T/topo.csv" \
              -c "$T/a.cfg" -p "$T/out")
         done | median)
    pe=$(for i in 1 2 3 4 5; do time_us "$PESIM" run --arch "$T/a.cfg" --workload "$T/topo.csv"; done | median)
    awk -v a="$a" -v d="$df" -v s="$ss" -v p="$pe" \
      'BEGIN { printf "%-10s %-3s %14.1f %12.2f %8.0f\n", a, d, s / 1000, p / 1000, s / p }'
  done
done

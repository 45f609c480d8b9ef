#!/bin/sh
# The whole-mapspace search on timeloop-mapper's exercises (docs/validation.md,
# "The mapper against timeloop-mapper"): the median wall time of 11 whole
# `pesim map --dataflow mapspace --objective energy` processes per case
# (start-up, YAML, ERT and constraints included: an upper bound on the
# search), and how many times faster that is than a 15-second Timeloop
# search. usage: bench/bench_mapspace.sh [PESIM] [THREADS]
PESIM=$(realpath "${1:-build/cli/pesim}")
THREADS=${2:-2}
cd "$(dirname "$0")/../tests/timeloop/cases" || exit 2
printf '%-16s %10s %10s\n' case "median ms" "x 15 s"
for c in tl05-baked tl05-freebypass tl05-null tl06-eyeriss intmac fpmac eyeriss-like \
         simba-like simple-os simple-ws; do
  cons=""
  [ -f "$c/constraints.yaml" ] && cons="--constraints $c/constraints.yaml"
  for i in 1 2 3 4 5 6 7 8 9 10 11; do
    s=$(date +%s%N)
    "$PESIM" map --arch $c/arch.yaml --workload $c/prob.yaml --ert $c/ERT.yaml $cons \
      --dataflow mapspace --objective energy --engine analysis --threads "$THREADS" \
      -o /dev/null || exit 1
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
  done | sort -n | sed -n 6p | awk -v c="$c" '{ printf "%-16s %10.1f %10.0f\n", c, $1 / 1000, 15e6 / $1 }'
done

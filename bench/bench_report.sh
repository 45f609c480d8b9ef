#!/bin/sh
# bench_report: time `pesim report` on a 1,000-point sweep's results (the
# sweep itself is run first and not timed). Run by hand from the source
# tree: bench/bench_report.sh [build-dir]; target: under 5 s.
set -eu
build=${1:-build}
pesim="$(cd "$build" && pwd)/cli/pesim"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/spec.yaml" <<'SPEC'
sweep: bench-report
base: {arch: eyeriss-v1, workload: alexnet, layers: CONV1, engine: analysis}
axes:
  - {key: pe_array.rows, values: [4, 6, 8, 10, 12, 14, 16, 20, 24, 32]}
  - {key: pe_array.cols, values: [4, 6, 8, 10, 12, 14, 16, 20, 24, 32]}
  - {key: glb.capacity_bytes, values: [65536, 131072]}
  - {key: dataflow, values: [ws, os, is, nlr, rs]}
SPEC
"$pesim" sweep "$tmp/spec.yaml" -o "$tmp/results.csv" --quiet
points=$(($(wc -l < "$tmp/results.csv") - 1))
for fmt in html png; do
    start=$(date +%s.%N)
    if [ $fmt = html ]; then out="$tmp/r.html"; else out="$tmp/figs/"; fi
    "$pesim" report "$tmp/results.csv" --format $fmt -o "$out"
    end=$(date +%s.%N)
    echo "pesim report, $points-point sweep, --format $fmt: $(echo "$end - $start" | bc) s"
done

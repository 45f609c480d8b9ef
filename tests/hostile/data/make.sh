#!/usr/bin/env bash
# Write the pesim outputs that tests/hostile/make_cases.py spoils for the
# report, sweep merge and sweep pareto cases: a run's JSON and a sweep's
# CSV (whole and as two shards). Run once by hand with a built pesim:
#   tests/hostile/data/make.sh build/cli/pesim
set -euo pipefail
pesim="$(realpath "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cat > wl.yaml <<'YAML'
name: hostile-net
layers:
  - {name: L1, type: conv, N: 1, M: 8, C: 4, P: 6, Q: 6, R: 3, S: 3}
YAML
cat > spec.yaml <<'YAML'
sweep: hostile
base: {arch: generic-16x16, workload: wl.yaml, engine: analysis}
axes:
  - {key: pe_array.rows, values: [8, 16]}
  - {key: dataflow, values: [ws, os]}
YAML
"$pesim" run --arch generic-16x16 --workload wl.yaml --engine analysis --format json -o run.json && cp run.json "$here/"
"$pesim" sweep spec.yaml -o "$here/sweep.csv" --quiet
"$pesim" sweep spec.yaml --shard 1/2 -o "$here/part-1.csv" --quiet
"$pesim" sweep spec.yaml --shard 2/2 -o "$here/part-2.csv" --quiet

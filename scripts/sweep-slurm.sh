#!/usr/bin/env bash
# Submit a pesim sweep to Slurm (docs/sweeps.md, "Clusters"): a job array
# of N shards, each `pesim sweep SPEC --shard K/N -o OUT.part-K --quiet`,
# and a merge job that runs once every shard succeeded
# (`--dependency=afterok`), writes OUT with `pesim sweep merge` and removes
# the parts. With --wait, returns when the merge job ends, with its status.
set -euo pipefail

prog="$(basename "$0")"

usage() {
    cat <<EOF
usage: $prog SPEC OUT N [--pesim PATH] [--wait] [--] [SBATCH_ARG...]

Submit the sweep SPEC to Slurm as a job array of N shards and a merge job
that writes OUT (docs/sweeps.md, "Clusters"). Parts OUT.part-K and the
jobs' logs OUT.part-K.log and OUT.merge.log go next to OUT, which must be
on a file system that every node sees.

  --pesim PATH   the pesim executable the jobs run (default: pesim on
                 PATH, else build/cli/pesim of this checkout)
  --wait         return when the merge job has ended, with its exit status
  SBATCH_ARG     any other argument goes to sbatch for both jobs
                 (e.g. --partition=short --time=01:00:00); after --,
                 everything does

example:
  $prog docs/examples/sweep-shape.yaml shape.csv 4 --wait
EOF
}

die() {
    printf '%s: %s\n' "$prog" "$1" >&2
    exit 2
}

# An absolute path for $1 without requiring it to exist (its directory must).
absolute() {
    local dir base
    dir="$(dirname -- "$1")"
    base="$(basename -- "$1")"
    [ -d "$dir" ] || return 1
    dir="$(cd -- "$dir" && pwd -P)"
    printf '%s/%s\n' "${dir%/}" "$base"
}

case "${1:-}" in
-h | --help)
    usage
    exit 0
    ;;
esac
if [ "$#" -lt 3 ]; then
    usage | head -n 1 >&2
    die "expected SPEC OUT N, got $# argument(s) (see --help)"
fi

spec_arg="$1" out_arg="$2" n="$3"
shift 3
pesim="" wait=0
sbatch_args=()
while [ "$#" -gt 0 ]; do
    case "$1" in
    --pesim)
        [ "$#" -ge 2 ] || die "--pesim: missing the PATH"
        pesim="$2"
        shift 2
        ;;
    --pesim=*)
        pesim="${1#--pesim=}"
        shift
        ;;
    --wait)
        wait=1
        shift
        ;;
    --)
        shift
        sbatch_args+=("$@")
        break
        ;;
    *)
        sbatch_args+=("$1")
        shift
        ;;
    esac
done

case "$n" in
'' | *[!0-9]* | 0*) die "N: got '$n', expected a whole number of shards in [1, 100000]" ;;
esac
if [ "${#n}" -gt 6 ] || [ "$n" -gt 100000 ]; then
    die "N: got '$n', expected a whole number of shards in [1, 100000]"
fi

if [ ! -f "$spec_arg" ] || [ ! -r "$spec_arg" ]; then
    die "SPEC: cannot read '$spec_arg'"
fi
spec="$(absolute "$spec_arg")"
out="$(absolute "$out_arg")" || die "OUT: the directory of '$out_arg' does not exist"
if [ -d "$out" ]; then
    die "OUT: '$out_arg' is a directory, expected a results file"
fi

if [ -z "$pesim" ]; then
    if command -v pesim >/dev/null 2>&1; then
        pesim="$(command -v pesim)"
    else
        pesim="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)/build/cli/pesim"
        [ -x "$pesim" ] || die "no pesim on PATH nor at $pesim; build it or pass --pesim PATH"
    fi
fi
case "$pesim" in
*/*)
    if [ ! -f "$pesim" ] || [ ! -x "$pesim" ]; then
        die "--pesim: '$pesim' is not an executable file"
    fi
    pesim="$(absolute "$pesim")"
    ;;
*)
    found="$(command -v -- "$pesim")" || die "--pesim: no '$pesim' on PATH"
    pesim="$found"
    ;;
esac

command -v sbatch >/dev/null 2>&1 ||
    die "sbatch not found: run this on a Slurm login node (Debian package slurm-client)"

# The job scripts are bash, so printf %q quoting is safe in them.
q() { printf '%q' "$1"; }

parts=()
for ((k = 1; k <= n; k++)); do
    parts+=("$out.part-$k")
done
name="pesim-$(basename -- "$spec" | sed 's/\.[^.]*$//')"

# Each task uses the CPUs Slurm gave it: pesim's default (every core of
# the node) would oversubscribe a shared node. Results do not depend on it.
shard_script="#!/bin/bash
set -euo pipefail
jobs=\"\${SLURM_CPUS_ON_NODE:-0}\"
[ \"\$jobs\" -le 256 ] || jobs=256
exec $(q "$pesim") sweep $(q "$spec") --shard \"\$SLURM_ARRAY_TASK_ID/$n\" \\
    -o $(q "$out").part-\"\$SLURM_ARRAY_TASK_ID\" --jobs \"\$jobs\" --quiet
"

merge_script="#!/bin/bash
set -euo pipefail
$(q "$pesim") sweep merge -o $(q "$out")"
for p in "${parts[@]}"; do
    merge_script+=" \\
    $(q "$p")"
done
merge_script+="
rm -f --"
for p in "${parts[@]}"; do
    merge_script+=" $(q "$p")"
done
# The shards' logs are empty when all went well (--quiet): drop those.
merge_script+="
for log in $(q "$out").part-{1..$n}.log; do
    [ -s \"\$log\" ] || rm -f -- \"\$log\"
done
"

# sbatch expands %a and the like in --output: a literal % is %%.
log="${out//%/%%}"
# sbatch --parsable prints "JOBID" or "JOBID;CLUSTER".
array_id="$(printf '%s' "$shard_script" | sbatch --parsable --array="1-$n" \
    --job-name="$name" --output="$log.part-%a.log" "${sbatch_args[@]}")" ||
    { echo "$prog: sbatch refused the shard array" >&2; exit 1; }
array_id="${array_id%%;*}"
echo "shards: job array $array_id, tasks 1-$n, writing $out.part-K"

merge_args=(--parsable --job-name="$name-merge" --output="$log.merge.log"
    --dependency="afterok:$array_id" --kill-on-invalid-dep=yes)
if [ "$wait" = 0 ]; then
    merge_id="$(printf '%s' "$merge_script" | sbatch "${merge_args[@]}" "${sbatch_args[@]}")" || {
        echo "$prog: sbatch refused the merge job; cancelling job array $array_id" >&2
        scancel "$array_id" || true
        exit 1
    }
    echo "merge: job ${merge_id%%;*}, after every shard succeeded, writing $out"
    exit 0
fi

# sbatch --wait prints the id at once, then returns when the job has ended
# with its exit status: read the id as it comes to report it before that.
# stdbuf: sbatch's stdout is a pipe here, which stdio would hold until exit.
line_buffered=()
command -v stdbuf >/dev/null 2>&1 && line_buffered=(stdbuf -oL)
id_file="$(mktemp)"
trap 'rm -f -- "$id_file"' EXIT
set +e
printf '%s' "$merge_script" |
    "${line_buffered[@]}" sbatch --wait "${merge_args[@]}" "${sbatch_args[@]}" | {
    IFS= read -r merge_id || exit 0
    merge_id="${merge_id%%;*}"
    echo "$merge_id" >"$id_file"
    echo "merge: job $merge_id, after every shard succeeded, writing $out"
    echo "waiting for job array $array_id and merge job $merge_id..."
    cat
}
status="${PIPESTATUS[1]}"
set -e
merge_id="$(cat -- "$id_file")"
if [ -z "$merge_id" ]; then
    echo "$prog: sbatch refused the merge job; cancelling job array $array_id" >&2
    scancel "$array_id" || true
    exit 1
fi

# sbatch --wait also exits 0 for a job cancelled before it started, which
# is what --kill-on-invalid-dep does to the merge job when a shard fails:
# ask Slurm how the jobs ended (it remembers them for MinJobAge, 300 s by
# default).
state() { sed -n 's/.* JobState=\([A-Z_]*\) .*/\1/p'; }
merge_state="$(scontrol show job -o "$merge_id" 2>/dev/null | state)" || true
if [ "$status" = 0 ] && [ -n "$merge_state" ] && [ "$merge_state" != COMPLETED ]; then
    status=1
fi
if [ "$status" != 0 ]; then
    failed="$(scontrol show job -o "$array_id" 2>/dev/null |
        sed -n '/ JobState=COMPLETED /!s/.* ArrayTaskId=\([0-9]*\) .*/\1/p' | sort -n |
        paste -sd ' ')" || true
    {
        echo "$prog: the merge job ${merge_state:+ended $merge_state, }exit status $status;" \
            "shards not completed: ${failed:-none known}. Logs: $out.part-K.log, $out.merge.log."
        echo "Rerun each failed shard K (the other parts are kept), then merge:"
        echo "  $(q "$pesim") sweep $(q "$spec") --shard K/$n -o $(q "$out").part-K"
        echo "  $(q "$pesim") sweep merge -o $(q "$out") $(q "$out").part-{1..$n}"
    } >&2
else
    echo "done: $out"
fi
exit "$status"

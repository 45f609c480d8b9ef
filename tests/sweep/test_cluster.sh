#!/usr/bin/env bash
# The cluster recipes of docs/sweeps.md ("Clusters"), end to end, against a
# single run of docs/examples/sweep-shape.yaml:
#
#   test_cluster.sh parallel [PESIM]  4 shards run by GNU parallel, merged
#   test_cluster.sh slurm [PESIM]     scripts/sweep-slurm.sh on a real
#                                     one-node Slurm cluster this test starts
#
# Both must give the same bytes as the single run. Exit 77 (meson's skip)
# with a "SKIP:" line when a tool is not installed or the daemons cannot
# run here. PESIM defaults to $PESIM_BUILD_ROOT/cli/pesim.
set -euo pipefail

mode="${1:-}"
pesim="${2:-${PESIM_BUILD_ROOT:-}/cli/pesim}"
src="${PESIM_SOURCE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
spec="$src/docs/examples/sweep-shape.yaml"
shards=4

skip() {
    echo "SKIP: $1"
    exit 77
}
fail() {
    echo "FAIL: $1" >&2
    exit 1
}

case "$mode" in
parallel | slurm) ;;
*) fail "usage: test_cluster.sh parallel|slurm [PESIM]" ;;
esac
[ -x "$pesim" ] || fail "no pesim executable at '$pesim'"
pesim="$(cd "$(dirname "$pesim")" && pwd)/$(basename "$pesim")"
# Jobs that Slurm starts may get libraries preloaded before a sanitizer
# build's ASan runtime; ASan then refuses to start unless told that the
# order is fine (the sanitizer build of the suite runs this test too).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pesim-cluster.XXXXXX")"
# shellcheck disable=SC2317 # called from the trap
cleanup_daemons() { :; }
# shellcheck disable=SC2317 # called from the trap
cleanup() {
    cleanup_daemons
    rm -rf -- "$tmp"
}
trap cleanup EXIT
# A signal (meson's timeout sends TERM) must also stop the daemons.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

echo "== reference: one run"
"$pesim" sweep "$spec" -o "$tmp/single.csv" --quiet
[ "$(wc -l <"$tmp/single.csv")" -gt 4 ] || fail "expected a header and more rows than shards"

if [ "$mode" = parallel ]; then
    command -v parallel >/dev/null 2>&1 || skip "GNU parallel not installed (Debian package parallel)"
    parallel --version 2>/dev/null | grep -q 'GNU parallel' ||
        skip "'parallel' is not GNU parallel (Debian package parallel, not moreutils)"

    echo "== GNU parallel: $shards shards, 2 at a time, then merge"
    # The line of docs/sweeps.md, with -q so that paths are quoted.
    (cd "$tmp" && parallel --will-cite -j 2 -q "$pesim" sweep "$spec" --shard '{}/4' \
        -o 'part-{}.csv' --quiet ::: 1 2 3 4)
    (cd "$tmp" && "$pesim" sweep merge -o parallel.csv part-1.csv part-2.csv part-3.csv \
        part-4.csv)
    cmp "$tmp/single.csv" "$tmp/parallel.csv" ||
        fail "4 shards run by GNU parallel and merged differ from one run"
    echo "same bytes as one run"

    echo "== merge without shard 3 names it and its command"
    status=0
    (cd "$tmp" && "$pesim" sweep merge -o partial.csv part-1.csv part-2.csv part-4.csv) \
        2>"$tmp/merge.err" || status=$?
    cat "$tmp/merge.err"
    [ "$status" -eq 2 ] || fail "merge with a shard missing: exit $status, expected 2"
    grep -q "shard 3/4 not given; run shard 3/4 of .*sweep-shape.yaml into part-3" "$tmp/merge.err" ||
        fail "merge did not name the missing shard 3/4 with its command"
    [ ! -e "$tmp/partial.csv" ] || fail "merge wrote results with a shard missing"
    echo "PASS"
    exit 0
fi

# ---- Slurm: a one-node cluster of our own, in $tmp ----
for tool in sbatch sinfo squeue scancel scontrol slurmctld slurmd; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed (Debian package slurm-wlm)"
done
for tool in munged munge; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed (Debian package munge)"
done
[ "$(id -u)" -eq 0 ] || skip "starting slurmd needs root (it runs jobs as their owner)"

# Jobs inherit our environment: nothing of an enclosing Slurm job may leak in.
while read -r var; do
    unset "$var"
done < <(compgen -e | grep '^SLURM_' || true)

# A port nobody listens on, so that several runs (and a real cluster) can
# coexist on one machine.
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 30000))
        if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

pids=()
# shellcheck disable=SC2317 # called from the trap
cleanup_daemons() {
    if [ "${#pids[@]}" -gt 0 ] && [ -n "${SLURM_CONF:-}" ]; then
        timeout 10 scancel --user="$(id -un)" 2>/dev/null || true
        # Let cancelled steps end before slurmd goes.
        for _ in $(seq 20); do
            [ -z "$(timeout 5 squeue -h 2>/dev/null)" ] && break
            sleep 0.5
        done
    fi
    # slurmd, slurmctld, then munged: the reverse order of starting.
    local i pid
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid="${pids[i]}"
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}

show_logs() {
    local f
    for f in "$tmp"/log/*; do
        echo "---- $f (last 30 lines)"
        tail -n 30 "$f"
    done
}

# munged refuses a socket in a directory that not everyone can traverse.
chmod 755 "$tmp"
mkdir -p "$tmp/log" "$tmp/munge" "$tmp/state" "$tmp/spool"

echo "== munged"
key="$tmp/munge/munge.key"
if command -v mungekey >/dev/null 2>&1; then
    mungekey --create --keyfile="$key"
else
    dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
fi
chmod 600 "$key"
sock="$tmp/munge/munge.sock"
munged --foreground --socket="$sock" --key-file="$key" --pid-file="$tmp/munge/munged.pid" \
    --seed-file="$tmp/munge/munged.seed" --log-file="$tmp/log/munged.log" \
    >"$tmp/log/munged.out" 2>&1 &
pids+=("$!")
for _ in $(seq 40); do
    munge -n -S "$sock" 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1 && break
    kill -0 "${pids[0]}" 2>/dev/null || break
    sleep 0.25
done
if ! munge -n -S "$sock" 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1; then
    show_logs
    skip "munged could not start here (its log is above)"
fi

echo "== slurm.conf"
host="$(hostname -s 2>/dev/null || uname -n)"
host="${host%%.*}"
cpus="$(nproc)"
mem_mb="$(free -m | awk '/^Mem:/ { print $2 }')"
# Leave room for the OS: slurmd drains a node that has less than configured.
mem_mb=$((mem_mb - mem_mb / 10))
ctld_port="$(free_port)" || skip "no free TCP port for slurmctld"
d_port="$(free_port)" || skip "no free TCP port for slurmd"
[ "$ctld_port" != "$d_port" ] || d_port=$((ctld_port + 1))
export SLURM_CONF="$tmp/slurm.conf"
cat >"$SLURM_CONF" <<EOF
# One node, root everywhere, no cgroups, no accounting: enough to run job
# arrays and dependencies (tests/sweep/test_cluster.sh).
ClusterName=pesimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=pesimtest Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
cat "$SLURM_CONF"

echo "== slurmctld, slurmd"
slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=("$!")
slurmd -D -f "$SLURM_CONF" -N "$host" >"$tmp/log/slurmd.out" 2>&1 &
pids+=("$!")
state=""
for _ in $(seq 120); do
    state="$(timeout 5 sinfo -h -n "$host" -o %T 2>/dev/null || true)"
    [ "$state" = idle ] && break
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null || break 2
    done
    sleep 0.25
done
if [ "$state" != idle ]; then
    show_logs
    skip "the Slurm daemons could not start here (node state '${state:-none}'; logs above)"
fi
sinfo

echo "== scripts/sweep-slurm.sh: $shards array tasks and a merge job"
status=0
(cd "$tmp" && timeout 90 "$src/scripts/sweep-slurm.sh" "$spec" out.csv "$shards" --wait \
    --pesim "$pesim") || status=$?
if [ "$status" -ne 0 ]; then
    show_logs
    for f in "$tmp"/out.csv.*log; do
        [ -e "$f" ] && { echo "---- $f"; cat "$f"; }
    done
    fail "scripts/sweep-slurm.sh --wait: exit $status (124: timed out)"
fi
cmp "$tmp/single.csv" "$tmp/out.csv" ||
    fail "$shards Slurm array tasks merged differ from one run"
for ((k = 1; k <= shards; k++)); do
    [ ! -e "$tmp/out.csv.part-$k" ] || fail "the merge job left out.csv.part-$k behind"
done
echo "same bytes as one run"
echo "PASS"

#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz/fuzz_inputs.c: the architecture,
# workload and mapping loaders, the checks and the event engine;
# tests/fuzz/fuzz_onnx.c: the ONNX importer and its YAML round trip) with
# clang under AddressSanitizer + UBSan, and run each for SECONDS (default
# 30) from the committed corpora. Fails on any crash, leak, timeout or
# sanitizer report; the input that caused it is left in
# build-fuzz/artifacts/ (add it to the corpus once fixed).
#
#   scripts/fuzz.sh            # 30 s each (what scripts/test.sh runs)
#   scripts/fuzz.sh 600        # 10 minutes each, by hand
#   FUZZ_SECONDS=600 scripts/fuzz.sh
#
# Needs clang and libclang-rt-14-dev (the README's packages). New inputs
# the fuzzer finds go to build-fuzz/corpus-*/ (kept between runs, never
# into the source tree), so a later run starts from them too.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-${FUZZ_SECONDS:-30}}"
case "$seconds" in
    '' | *[!0-9]*) echo "fuzz.sh: error: expected SECONDS as a whole number, got '$seconds'" >&2; exit 2 ;;
esac
dir=build-fuzz
cc="${FUZZ_CC:-clang}"

# UBSan aborts on its first report (libFuzzer then saves the input);
# fuzzer-no-link instruments the library for coverage without a main.
flags="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all"
opts=(-Db_sanitize=address,undefined -Db_lundef=false -Dtests=disabled -Dbench=false
      -Dsystemc=disabled -Donnx=enabled "-Dc_args=$flags")
echo "== fuzz build ($dir, $cc, ASan + UBSan)"
if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "${opts[@]}" >/dev/null
else
    rm -rf "$dir"
    CC="$cc" meson setup "$dir" "${opts[@]}" >/dev/null
fi
if ! meson compile -C "$dir" pesim:static_library >"$dir/compile.log" 2>&1; then
    tail -n 40 "$dir/compile.log" >&2
    exit 1
fi
link=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -I.)
"$cc" "${link[@]}" tests/fuzz/fuzz_inputs.c "$dir/libpesim.a" -lyaml -lm -o "$dir/fuzz_inputs"
"$cc" "${link[@]}" tests/fuzz/fuzz_onnx.c "$dir/libpesim.a" -lprotobuf-c -lyaml -lm \
    -o "$dir/fuzz_onnx"

mkdir -p "$dir/artifacts" "$dir/corpus-inputs" "$dir/corpus-onnx"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# run NAME MAX_LEN SEEDS: libFuzzer writes new inputs to the first corpus
# folder and only reads the committed seeds.
run() {
    local name="$1" max_len="$2" seeds="$3"
    echo "== $name: $seconds s from $seeds"
    if ! "$dir/$name" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$name-" \
            "$dir/corpus-${name#fuzz_}" "$seeds" >"$dir/$name.log" 2>&1; then
        tail -n 60 "$dir/$name.log" >&2
        echo "fuzz.sh: error: $name found a failure; see $dir/$name.log and $dir/artifacts/" >&2
        return 1
    fi
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$dir/$name.log" |
        tr '\n' ' '
    echo
}

status=0
run fuzz_inputs 8192 tests/fuzz/corpus || status=1
run fuzz_onnx 20000 tests/fuzz/corpus-onnx || status=1
[ "$status" = 0 ] && echo "== fuzzing found nothing"
exit "$status"

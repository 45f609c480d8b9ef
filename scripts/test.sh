#!/usr/bin/env bash
# Build and run the whole test suite twice: a normal build with warnings
# as errors, then an AddressSanitizer + UBSan build (all but the docs'
# commands, suite 'docs'); both with the SystemC
# binding (libsystemc-dev; its tests pass under the sanitizers too). Then
# run both libFuzzer targets for 30 s each (scripts/fuzz.sh; FUZZ_SECONDS
# changes it).
# Works from a clean clone once the Debian packages of the README are
# installed, and again and again when the build directories already exist.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# setup_dir DIR OPTIONS...: configure a new build dir, or reconfigure an
# existing one with the same options (so a stale dir cannot hide a flag).
setup_dir() {
    local dir="$1"
    shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@"
    else
        rm -rf "$dir"
        meson setup "$dir" "$@"
    fi
}

echo "== normal build (-Dwerror=true)"
setup_dir build -Dwerror=true -Dtests=enabled -Dsystemc=enabled
meson compile -C build
meson test -C build --print-errorlogs

echo "== sanitizer build (address, undefined)"
setup_dir build-sanitize -Dwerror=true -Dtests=enabled -Dsystemc=enabled \
    -Db_sanitize=address,undefined -Db_lundef=false
# Any UBSan report fails the test that triggered it.
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1"
meson compile -C build-sanitize
# Everything but the docs' commands (suite 'docs'): they check that the
# docs say what pesim does, which build flags do not change, and under
# ASan they alone took 4 of the pass's 10 minutes (CI has 15 on a
# 2-core machine). The code they run is the CLI's, which the cli,
# hostile, report and reportgen tests run here under the sanitizers.
meson test -C build-sanitize --print-errorlogs --timeout-multiplier 3 --no-suite docs

echo "== fuzzing (libFuzzer, ASan + UBSan, ${FUZZ_SECONDS:-30} s per target)"
scripts/fuzz.sh

echo "== all tests passed"

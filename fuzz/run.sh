#!/bin/sh
# Build the libFuzzer targets and run each for a bounded time; exit 1 if any target crashes, leaks, hits
# an invariant, or fails to replay a saved regression input. See docs/fuzzing.md.
#
# Usage: fuzz/run.sh [SECONDS_PER_TARGET]        (default 30)
# Environment:
#   FUZZ_BUILD_DIR  build directory (default: build-fuzz at the top of the tree)
#   FUZZ_TARGETS    targets to run (default: all four)
#   FUZZ_CC         the clang to use (default: clang)
#   FUZZ_ARGS       extra libFuzzer flags, e.g. "-jobs=2 -workers=2"
#
# Needs clang with its libFuzzer runtime (Debian: clang libclang-rt-14-dev), cmake and libjsmn-dev.
# New inputs the fuzzer finds go to $FUZZ_BUILD_DIR/corpus/<target>, never into fuzz/corpus.
set -eu

seconds=${1:-30}
case $seconds in
'' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
cc=${FUZZ_CC:-clang}
targets=${FUZZ_TARGETS:-"fuzz_http_response fuzz_chunked fuzz_json_models fuzz_client"}
jobs=$(nproc 2>/dev/null || echo 2)

# ---- prerequisites, each with the package that provides it
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found (Debian: apt-get install clang)" >&2
    exit 1
fi
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    >"$probe_dir/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe_dir/probe.c" -o "$probe_dir/probe" 2>"$probe_dir/err"; then
    cat "$probe_dir/err" >&2
    echo "fuzz: $cc cannot link libFuzzer (Debian: apt-get install libclang-rt-14-dev)" >&2
    exit 1
fi

# ---- build
cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs"

# ASan: report leaks too; UBSan already aborts (-fno-sanitize-recover=all), with a stack trace.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=""
for t in $targets; do
    bin="$build/$t"
    work="$build/corpus/$t"
    artifacts="$build/artifacts/$t"
    mkdir -p "$work" "$artifacts"

    # 1. every saved reproducer must now pass (each file is run once)
    if [ -d "$here/regressions/$t" ] && [ -n "$(ls -A "$here/regressions/$t" 2>/dev/null)" ]; then
        echo "== $t: replaying fuzz/regressions/$t"
        if ! "$bin" "$here/regressions/$t"/* >"$build/$t.regressions.log" 2>&1; then
            tail -n 40 "$build/$t.regressions.log" >&2
            failed="$failed $t(regression)"
            continue
        fi
    fi

    # 2. fuzz for the time given: new inputs go to $work, the seeds are read from fuzz/corpus
    echo "== $t: fuzzing for ${seconds}s"
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=32768 \
        -dict="$here/novita.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 ${FUZZ_ARGS:-} \
        "$work" "$here/corpus/$t" >"$build/$t.log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$build/$t.log" || true
    else
        tail -n 60 "$build/$t.log" >&2
        echo "fuzz: $t failed; reproducer(s) in $artifacts:" >&2
        ls -1 "$artifacts" >&2 || true
        echo "reproduce with: $bin <file>    (see docs/fuzzing.md)" >&2
        failed="$failed $t"
    fi
done

if [ -n "$failed" ]; then
    echo "fuzz: FAILED:$failed" >&2
    exit 1
fi
echo "fuzz: all targets ran ${seconds}s without a finding"

#!/bin/sh
# The whole test suite: build + ctest (with the zero-heap interposer runs), the C tests under valgrind, the
# same under ASan+UBSan, a clang -Werror build, the fuzz targets for a bounded time, cppcheck and
# clang-tidy, Cortex-M4 and RV32IMC cross builds with a map-file check and the size/stack table, the unit
# tests run on those two targets and on an Xtensa LX106 core under QEMU, and a check of the core library's
# undefined symbols (no heap, stdio or other libc calls).
set -eu
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages $BASE_PACKAGES clang gcc-arm-none-eabi libnewlib-arm-none-eabi cppcheck clang-tidy valgrind \
    gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf libclang-rt-14-dev
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build and test (gcc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== the C tests under valgrind memcheck"
sh scripts/valgrind.sh build

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNOVITA_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== build with clang (warnings are errors)"
CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release -DNOVITA_BUILD_TESTS=OFF >/dev/null
cmake --build build-clang -j "$jobs"

echo "== fuzz targets (libFuzzer + ASan + UBSan, 20 s each; docs/fuzzing.md says how to run them for hours)"
sh fuzz/run.sh 20

echo "== static analysis (cppcheck, clang-tidy)"
sh scripts/lint.sh

echo "== cross builds (Cortex-M4 + newlib-nano, RV32IMC + picolibc): map check, sizes, stack -> docs/size.md"
# Fails when a figure exceeds its budget, or its interim ceiling where the budget is not met yet (core and
# instances-only image: see tests/cross/footprint.py), or when the map check finds malloc, free, printf,
# scanf or abort linked.
sh scripts/cross-build.sh

echo "== the unit tests on emulated 32-bit targets (QEMU: Cortex-M4 mps2-an386, RV32IMC virt, Xtensa LX106 sim)"
sh scripts/target-test.sh

echo "== the core calls nothing outside itself but memcpy, memmove, memset and memcmp"
# By symbol, not by text: every spelling of a call (a macro, (malloc)(n), a function pointer, a header's
# inline function, strndup, valloc, ...) leaves an undefined symbol in the library. Checked on both the
# Debug and the Release build (optimisation changes which helpers the compiler calls).
CC=gcc cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DNOVITA_BUILD_TESTS=OFF >/dev/null
cmake --build build-release -j "$jobs" --target novita_c
for lib in build/libnovita.a build-release/libnovita.a; do
    nm --defined-only --format=just-symbols "$lib" | sort -u >"$lib.defined"
    outside=$(nm --undefined-only --format=just-symbols "$lib" | sort -u | comm -23 - "$lib.defined" |
        grep -vxE 'memcpy|memmove|memset|memcmp' || true)
    if [ -n "$outside" ]; then
        echo "$lib calls outside the core:" $outside >&2
        exit 1
    fi
done
echo "all checks passed"

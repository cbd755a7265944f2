#!/bin/sh
# The whole test suite: build + ctest, the same under ASan+UBSan, a clang -Werror build, cppcheck and
# clang-tidy, a Cortex-M4 cross-compile of the core, and a check that src/ holds no heap or stdio calls.
set -eu
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages $BASE_PACKAGES clang gcc-arm-none-eabi libnewlib-arm-none-eabi cppcheck clang-tidy
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build and test (gcc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNOVITA_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure

echo "== build with clang (warnings are errors)"
CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release -DNOVITA_BUILD_TESTS=OFF >/dev/null
cmake --build build-clang -j "$jobs"

echo "== static analysis (cppcheck, clang-tidy)"
sh scripts/lint.sh

echo "== cross-compile the core for Cortex-M4 (arm-none-eabi-gcc -Os)"
mkdir -p build-cross/include
cp /usr/include/jsmn.h build-cross/include/ # only jsmn: never the host's libc headers
for src in src/*.c src/api/*.c; do
    arm-none-eabi-gcc -std=c99 -Os -mcpu=cortex-m4 -mthumb -ffunction-sections -fdata-sections \
        -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Werror \
        -Iinclude -Isrc -isystem build-cross/include -c "$src" -o "build-cross/$(basename "$src" .c).o"
done
arm-none-eabi-size -t build-cross/*.o | tail -1

echo "== no heap or stdio calls in the core"
if grep -nE '\b(malloc|calloc|realloc|free|strdup|printf|sprintf|snprintf|sscanf|strtod|strtol|atof|atoi)[[:space:]]*\(' src/*.c src/*/*.c; then
    echo "heap or stdio call found in src/" >&2
    exit 1
fi
echo "all checks passed"

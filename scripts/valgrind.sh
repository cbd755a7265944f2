#!/bin/sh
# The C tests once under valgrind memcheck: the unit test programs directly, and the integration
# programs through their drivers ($NOVITA_TEST_WRAPPER). Any invalid access, use of uninitialised memory
# or leak fails. Timing-dependent checks (integration.faults measures timeouts) are left to the other runs.
set -eu
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages $BASE_PACKAGES valgrind

# Usage: scripts/valgrind.sh [BUILD_DIR]   (default build: a plain, non-sanitizer build; built if needed)
dir=${1:-build}
VALGRIND="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
cmake -S . -B "$dir" >/dev/null
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

for source in tests/unit/test_*.c; do
    test="$dir/tests/$(basename "$source" .c)"
    echo "== valgrind $(basename "$test")"
    $VALGRIND "$test" | tail -1
done
echo "== valgrind: integration programs"
NOVITA_TEST_WRAPPER="$VALGRIND" ctest --test-dir "$dir" --output-on-failure \
    -R '^integration\.' -E 'integration\.faults'
echo "valgrind clean"

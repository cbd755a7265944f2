#!/bin/sh
# Static analysis: cppcheck and clang-tidy over the library and the POSIX port (port/posix, port/mbedtls), with
# the checked-in configuration (.cppcheck-suppressions, .clang-tidy); cppcheck over port/esp32 too. Any
# finding fails.
set -eu
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages $BASE_PACKAGES cppcheck clang-tidy

echo "== cppcheck"
cppcheck --enable=warning,style,performance,portability --std=c99 --inline-suppr --quiet \
    --error-exitcode=1 --suppressions-list=.cppcheck-suppressions -UNOVITA_CONFIG_FILE \
    -Iinclude -Isrc -Iport/posix -Iport/mbedtls -Iport/null src/*.c src/api/*.c port/posix/*.c port/mbedtls/*.c \
    port/null/*.c
# port/esp32 against the ESP-IDF stand-ins of tests/esp32host (no ESP-IDF here)
cppcheck --enable=warning,style,performance,portability --std=c99 --inline-suppr --quiet \
    --error-exitcode=1 --suppressions-list=.cppcheck-suppressions -UNOVITA_CONFIG_FILE \
    -Iinclude -Iport/esp32 -Iport/mbedtls -Itests/esp32host/include port/esp32/*.c

echo "== clang-tidy"
cmake -S . -B build-lint -DNOVITA_BUILD_TESTS=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
if ! clang-tidy -p build-lint --quiet src/*.c src/api/*.c port/posix/*.c port/mbedtls/*.c \
    >build-lint/clang-tidy.txt 2>&1; then
    grep -v "warnings generated" build-lint/clang-tidy.txt >&2
    exit 1
fi
echo "lint clean"

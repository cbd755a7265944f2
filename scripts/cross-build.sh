#!/bin/sh
# Cross builds of novita-c for Cortex-M4 (arm-none-eabi-gcc, newlib-nano) and RV32IMC (riscv64-unknown-elf-gcc,
# picolibc): compiles src/ + port/null, links two firmware images per target (instances-only, whole library),
# proves from the map files that no heap, printf/scanf or abort is linked, and writes the size and stack
# table to docs/size.md. Fails when a budget is exceeded (see tests/cross/footprint.py for the budgets).
#
# Usage: scripts/cross-build.sh [--report-only] [--out DIR] [--doc FILE]
#   --report-only  measure and write the table, but exit 0 even when a budget is exceeded
#   --out DIR      build directory (default: build-cross-fw; removed and recreated; no spaces in the path)
#   --doc FILE     where to write the table (default: docs/size.md; "-" = do not write)
# Packages (Debian): gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
# libjsmn-dev python3 gcc clang; installed when missing and running as root.
#
# shellcheck disable=SC2086 # the compiler flag lists ($cflags, $arch, ...) are meant to split into words
# shellcheck source=scripts/common.sh
set -eu
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages python3 gcc clang libjsmn-dev gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf \
    picolibc-riscv64-unknown-elf

out=build-cross-fw
doc=docs/size.md
report_only=""
while [ $# -gt 0 ]; do
    case "$1" in
    --report-only) report_only=--report-only ;;
    --out) out=$2; shift ;;
    --doc) doc=$2; shift ;;
    *) echo "usage: $0 [--report-only] [--out DIR] [--doc FILE]" >&2; exit 2 ;;
    esac
    shift
done

root=$(pwd)
rm -rf "$out"
mkdir -p "$out/include" "$out/gen" "$out/host"
out=$(cd "$out" && pwd)
# Build from a snapshot, so that the sources read by the stack analysis are the ones compiled, even while
# someone edits the tree.
mkdir -p "$out/snapshot/port"
cp -R src include "$out/snapshot/"
cp -R port/null "$out/snapshot/port/"
cp /usr/include/jsmn.h "$out/include/" # only jsmn: never the host's libc headers

warnings="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wstrict-prototypes -Wvla -Werror"

echo "== null port: warning-free with gcc and clang (host)"
for cc in gcc clang; do
    $cc $warnings -Iinclude -c port/null/novita_port_null.c -o "$out/host/novita_port_null.$cc.o"
done

echo "== public API (include/novita/*.h)"
python3 tests/cross/public_api.py --cc "arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb" --include "$out/snapshot/include" \
    --out-c "$out/gen/public_refs.c" --out-list "$out/gen/public_api.txt"

# has_init_code OBJDUMP OBJECT: whether OBJECT carries constructors or destructors (code that runs, and could
# allocate, before main or after it, and that a linker script without KEEP would silently drop)
has_init_code() {
    "$1" -h "$2" | grep -qE '[.](init_array|fini_array|preinit_array|ctors|dtors)'
}

# build_target NAME CC "ARCH FLAGS" "LIBC FLAGS" "LINK FLAGS" STARTUP_SOURCE_OR_EMPTY "CONTROL IMAGE LINK FLAGS"
build_target() {
    name=$1 cc=$2 arch=$3 libc=$4 link=$5 startup=$6
    dir=$out/$name
    cflags="$arch $libc -Os -ffunction-sections -fdata-sections $warnings"
    echo "== $name: compile src/*.c src/api/*.c port/null/*.c ($cc $arch -Os)"
    lib_objs=""
    (cd "$out/snapshot" && for src in src/*.c src/api/*.c port/null/*.c; do
        obj="$dir/obj/${src%.c}.o"
        mkdir -p "$(dirname "$obj")"
        # run from the snapshot root, so -fcallgraph-info labels read "src/client.c:12:3"
        $cc $cflags -fstack-usage -fcallgraph-info=su -Iinclude -Isrc -Iport/null -isystem "$out/include" \
            -c "$src" -o "$obj"
    done)
    for src in "$out"/snapshot/src/*.c "$out"/snapshot/src/api/*.c "$out"/snapshot/port/null/*.c; do
        rel=${src#"$out/snapshot/"}
        lib_objs="$lib_objs $dir/obj/${rel%.c}.o"
    done
    fw="$dir/firmware"
    mkdir -p "$fw"
    echo "== $name: no constructors or destructors in the library"
    printf '%s\n' 'static int c;' '__attribute__((constructor)) static void init(void) { c = 1; }' \
        'int canary_value(void) { return c; }' >"$fw/ctor_canary.c"
    $cc $cflags -c "$fw/ctor_canary.c" -o "$fw/ctor_canary.o"
    if ! has_init_code "${cc%gcc}objdump" "$fw/ctor_canary.o"; then
        echo "the constructor check missed the one in its negative control" >&2
        exit 1
    fi
    for obj in $lib_objs; do
        if has_init_code "${cc%gcc}objdump" "$obj"; then
            echo "$obj has a constructor or destructor: the library must run nothing outside its calls" >&2
            exit 1
        fi
    done
    inc="-I$out/snapshot/include -I$out/snapshot/port/null"
    $cc $cflags $inc -c tests/cross/firmware.c -o "$fw/firmware_instances.o"
    $cc $cflags $inc -DNOVITA_FIRMWARE_WHOLE -c tests/cross/firmware.c -o "$fw/firmware_whole.o"
    $cc $cflags $inc -c "$out/gen/public_refs.c" -o "$fw/public_refs.o"
    start_obj=""
    if [ -n "$startup" ]; then
        $cc $cflags -c "$startup" -o "$fw/startup.o"
        start_obj=$fw/startup.o
    fi
    echo "== $name: link instances-only and whole-library firmware"
    $cc $arch $libc $link -Wl,--gc-sections -Wl,--cref -Wl,-Map="$dir/instances.map" -o "$dir/instances.elf" \
        $start_obj "$fw/firmware_instances.o" $lib_objs
    $cc $arch $libc $link -Wl,--gc-sections -Wl,--cref -Wl,-Map="$dir/whole.map" -o "$dir/whole.elf" \
        $start_obj "$fw/firmware_whole.o" "$fw/public_refs.o" $lib_objs
    echo "== $name: negative control: an image that does call malloc, free, printf, sscanf and abort"
    $cc $arch $libc -Os -c tests/cross/forbidden_canary.c -o "$fw/forbidden_canary.o"
    $cc $arch $libc $link $7 -Wl,--gc-sections -Wl,--cref -Wl,-Map="$dir/canary.map" -o "$dir/canary.elf" \
        $start_obj "$fw/forbidden_canary.o"
    python3 tests/cross/footprint.py check-map --expect-all "$dir/canary.map" "$dir/canary.elf" >"$dir/canary.txt" || {
        cat "$dir/canary.txt" >&2
        echo "the map check missed a forbidden function in the negative control" >&2
        exit 1
    }
    echo "   the check finds all five in the control image"
    echo "== $name: no malloc, free, calloc, realloc, printf, scanf or abort in the firmware images"
    python3 tests/cross/footprint.py check-map "$dir/instances.map" "$dir/instances.elf"
    python3 tests/cross/footprint.py check-map "$dir/whole.map" "$dir/whole.elf"
}

build_target cortex-m4 arm-none-eabi-gcc "-mcpu=cortex-m4 -mthumb" "--specs=nano.specs" \
    "-nostartfiles -T$root/tests/cross/cortex_m4.ld" tests/cross/startup_cortex_m4.c "--specs=nosys.specs"
build_target rv32imc riscv64-unknown-elf-gcc "-march=rv32imc -mabi=ilp32" "--specs=picolibc.specs" \
    "--crt0=minimal -Wl,--defsym=__flash_size=0x100000 -Wl,--defsym=__ram_size=0x40000" "" "--oslib=semihost"

echo "== sizes, stack chains and budgets"
python3 tests/cross/footprint.py report $report_only --api "$out/gen/public_api.txt" --doc "$doc" \
    --target "cortex-m4:$out/cortex-m4:arm-none-eabi-" --target "rv32imc:$out/rv32imc:riscv64-unknown-elf-" \
    --src-root "$out/snapshot"

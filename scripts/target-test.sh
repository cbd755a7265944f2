#!/bin/sh
# The unit tests (tests/unit/test_*.c, through the in-memory fake port) and tests/target/test_*.c (the stack
# the deepest operations use, measured by painting) on emulated 32-bit microcontrollers,
# where the host run cannot show what differs: 32-bit size_t and long, the targets' ABIs (AAPCS short
# enums, alignment), int64 arithmetic without a 64-bit ALU, the embedded C libraries.
#   cortex-m4  Thumb-2, soft-float, newlib-nano + librdimon (semihosting), QEMU -M mps2-an386; start-up code
#              and linker script in tests/target/ (MPU stack guard, fault report, exit status)
#   rv32imc    ilp32, picolibc (crt0-semihost), QEMU -M virt -bios none
#   xtensa-lx106  the ESP8266's Xtensa core (call0 ABI, no divide instruction), picolibc, QEMU -M sim;
#              start-up code, integer helpers and linker script in tests/target/ (fault report, exit status).
#              ESP32 chips use other Xtensa cores (LX6/LX7, windowed ABI) with Espressif's compiler: not this one.
# The library is compiled as scripts/cross-build.sh compiles it (same flags, -Os, project warnings, -Werror),
# each test program is linked against it and run under QEMU with a timeout. One line per test and target;
# exits non-zero when a test fails, faults, times out or does not build, or when a tool is missing.
#
# Usage: scripts/target-test.sh [--out DIR] [--target cortex-m4|rv32imc|xtensa-lx106|all] [--timeout SECONDS]
#   --out DIR          build directory (default: build-target; removed and recreated; no spaces in the path)
#   --target NAME      which target (default: all)
#   --timeout SECONDS  limit per test program (default: 120; test_http_response takes ~35 s on an idle core)
# Packages (Debian): gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm (cortex-m4),
# gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc (rv32imc), gcc-xtensa-lx106
# picolibc-xtensa-lx106-elf qemu-system-misc (xtensa-lx106), libjsmn-dev, cmake; installed when missing and
# running as root.
#
# shellcheck disable=SC2086 # the compiler flag lists ($cflags, ...) are meant to split into words
# shellcheck source=scripts/common.sh
set -eu
cd "$(dirname "$0")/.."
. scripts/common.sh

out=build-target
targets="cortex-m4 rv32imc xtensa-lx106"
limit=120
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=$2; shift ;;
    --target)
        case "$2" in
        cortex-m4 | rv32imc | xtensa-lx106) targets=$2 ;;
        all) targets="cortex-m4 rv32imc xtensa-lx106" ;;
        *) echo "unknown target: $2 (cortex-m4, rv32imc, xtensa-lx106 or all)" >&2; exit 2 ;;
        esac
        shift
        ;;
    --timeout) limit=$2; shift ;;
    *) echo "usage: $0 [--out DIR] [--target cortex-m4|rv32imc|xtensa-lx106|all] [--timeout SECONDS]" >&2; exit 2 ;;
    esac
    shift
done

packages="cmake libjsmn-dev"
tools="timeout cmake"
for target in $targets; do
    case $target in
    cortex-m4)
        packages="$packages gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm"
        tools="$tools arm-none-eabi-gcc qemu-system-arm"
        ;;
    rv32imc)
        packages="$packages gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc"
        tools="$tools riscv64-unknown-elf-gcc qemu-system-riscv32"
        ;;
    xtensa-lx106)
        packages="$packages gcc-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc"
        tools="$tools xtensa-lx106-elf-gcc qemu-system-xtensa"
        ;;
    esac
done
ensure_packages $packages
for tool in $tools; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$tool not found (Debian packages:$packages)" >&2
        exit 1
    fi
done

root=$(pwd)
rm -rf "$out"
mkdir -p "$out/include" "$out/gen"
out=$(cd "$out" && pwd)
cp /usr/include/jsmn.h "$out/include/" # only jsmn: never the host's libc headers
# The exported models for test_json_decode.c, from the one place that finds them (as the CMake build does).
cmake -DNOVITA_ROOT="$root" -DNOVITA_MODEL_FILE="$out/gen/unit_models.inc" -DNOVITA_MODEL_MACRO=M \
    -P cmake/NovitaModels.cmake

warnings="-std=c99 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wstrict-prototypes -Wvla -Werror"
test_inc="-Iinclude -Isrc -Itests/unit -I$out/gen -isystem $out/include"
failed=0
count=0

# run_target NAME CC "ARCH + LIBC FLAGS" "LINK FLAGS" "STARTUP SOURCES (or empty)" "QEMU COMMAND"
run_target() {
    name=$1 cc=$2 arch=$3 link=$4 startup=$5 qemu=$6
    dir=$out/$name
    mkdir -p "$dir/lib" "$dir/tests"
    cflags="$arch -Os -g -ffunction-sections -fdata-sections"
    test_cflags="$cflags -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Werror"
    echo "== $name: compile src/*.c src/api/*.c ($cc $arch -Os, project warnings, -Werror)"
    lib_objs=""
    for src in src/*.c src/api/*.c; do
        obj="$dir/lib/$(echo "${src%.c}" | tr / _).o"
        $cc $cflags $warnings -Iinclude -Isrc -isystem "$out/include" -c "$src" -o "$obj"
        lib_objs="$lib_objs $obj"
    done
    start_obj=""
    for src in $startup; do
        obj="$dir/$(basename "$src" .c).o"
        $cc $cflags $warnings -c "$src" -o "$obj"
        start_obj="$start_obj $obj"
    done
    $cc $test_cflags $test_inc -c tests/unit/fake_port.c -o "$dir/fake_port.o"

    echo "== $name: build and run each unit test (${limit} s limit each)"
    for src in tests/unit/test_*.c tests/target/test_*.c; do
        test=$(basename "$src" .c)
        elf="$dir/tests/$test.elf"
        log="$dir/tests/$test.log"
        count=$((count + 1))
        if ! { $cc $test_cflags $test_inc -c "$src" -o "$dir/tests/$test.o" &&
            $cc $arch $link -Wl,--gc-sections -Wl,-Map="$dir/tests/$test.map" -o "$elf" $start_obj \
                "$dir/tests/$test.o" "$dir/fake_port.o" $lib_objs; } >"$log" 2>&1; then
            echo "FAIL  $name  $test  (does not build)"
            sed 's/^/      /' "$log"
            failed=$((failed + 1))
            continue
        fi
        start=$(date +%s)
        status=0
        timeout "$limit" $qemu -kernel "$elf" </dev/null >"$log" 2>&1 || status=$?
        secs=$(($(date +%s) - start))
        summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
        stack=$(sed -n 's/^\[target\] stack used: \([0-9]*\) of.*/; stack \1 B/p' "$log" | tail -n 1)
        detail="${summary:-no summary}; ${secs} s$stack"
        if [ "$status" -eq 0 ] && [ -n "$summary" ]; then
            echo "PASS  $name  $test  ($detail)"
            continue
        fi
        case $status in
        124) why="timed out after $limit s" ;;
        *) why="exit status $status" ;;
        esac
        if grep -q -e '^\*\*\* target fault' -e '^RISCV fault' "$log"; then
            why="$why, fault"
        fi
        echo "FAIL  $name  $test  ($why; $detail)"
        tail -n 40 "$log" | cut -c 1-300 | sed 's/^/      /'
        # The fault's PC and return address: "PC=0x... LR=0x..." (startup_mps2_an386.c), or "mepc:" and
        # "x1 ra" (picolibc's RISC-V trap handler).
        pc=$(sed -n -e 's/.*: PC=\(0x[0-9a-f]*\) LR=.*/\1/p' \
            -e 's/^[[:space:]]*mepc:[[:space:]]*\(0x[0-9a-f]*\).*/\1/p' "$log" | tail -n 1)
        ra=$(sed -n -e 's/.*: PC=0x[0-9a-f]* LR=\(0x[0-9a-f]*\).*/\1/p' \
            -e 's/^[[:space:]]*x1 ra[[:space:]]*\(0x[0-9a-f]*\).*/\1/p' "$log" | tail -n 1)
        if [ -n "$pc" ]; then
            echo "      code at the fault (PC, then return address):"
            "${cc%gcc}addr2line" -f -p -e "$elf" $pc $ra | sed 's/^/        /'
        fi
        failed=$((failed + 1))
    done
}

# run_named TARGET: run_target with that target's toolchain and QEMU; leaves "count failed" in
# $out/TARGET.result (no file: the library did not build).
run_named() {
    case $1 in
    cortex-m4)
        # Soft-float, as scripts/cross-build.sh builds the firmware: the library has no floating point, and
        # soft-float objects link into any Cortex-M application (M0+/M3/M4/M33).
        run_target cortex-m4 arm-none-eabi-gcc \
            "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft --specs=nano.specs --specs=rdimon.specs" \
            "-nostartfiles -T$root/tests/target/mps2_an386.ld" tests/target/startup_mps2_an386.c \
            "qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none
                -semihosting-config enable=on,target=native"
        ;;
    rv32imc)
        # picolibc's own crt0 and linker script: code at the start of QEMU virt's RAM (0x80000000, where
        # -bios none jumps), 8 MiB of data from 0x80400000, 512 KiB of stack at its top. No stack guard.
        run_target rv32imc riscv64-unknown-elf-gcc "-march=rv32imc -mabi=ilp32 --specs=picolibc.specs" \
            "--crt0=semihost --oslib=semihost -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x400000
                -Wl,--defsym=__ram=0x80400000 -Wl,--defsym=__ram_size=0x800000
                -Wl,--defsym=__stack_size=0x80000" "" \
            "qemu-system-riscv32 -M virt -bios none -nographic -monitor none -serial none
                -semihosting-config enable=on,target=native"
        ;;
    xtensa-lx106)
        # Code in the sim machine's system ROM (0x50000000, where it starts), data and 512 KiB of stack in its
        # 64 MiB of system RAM. Debian installs picolibc.specs outside this compiler's search path, and its
        # libgcc lacks the core's division helpers (arith_xtensa_lx106.c).
        run_target xtensa-lx106 xtensa-lx106-elf-gcc "-mlongcalls --specs=/usr/lib/xtensa-lx106-elf/picolibc.specs" \
            "-nostartfiles -T$root/tests/target/xtensa_sim.ld" \
            "tests/target/startup_xtensa_sim.c tests/target/arith_xtensa_lx106.c" \
            "qemu-system-xtensa -M sim -cpu lx106 -m 64M -nographic -monitor none -serial none -semihosting"
        ;;
    esac
    echo "$count $failed" >"$out/$1.result"
}

# The targets run side by side (one QEMU each); their output is shown one target after the other.
for target in $targets; do
    (count=0; failed=0; run_named "$target") >"$out/$target.out" 2>&1 &
done
wait
for target in $targets; do
    cat "$out/$target.out"
    if read -r n f <"$out/$target.result"; then
        count=$((count + n)) failed=$((failed + f))
    else
        echo "FAIL  $target  (the library did not build: see above)"
        failed=$((failed + 1))
    fi
done

if [ "$failed" -ne 0 ]; then
    echo "$failed failures ($count test programs built and run on $targets; logs: $out/*/tests/*.log)" >&2
    exit 1
fi
echo "all $count unit test programs passed ($targets)"

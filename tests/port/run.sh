#!/bin/sh
# run.sh TEST_BINARY [WORK_DIR] - generate test certificates, start the local test servers, run the
# POSIX port test against them, stop the servers. Exit status = the test's (0 = all passed).
# Loopback only; needs python3 and the openssl CLI.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 TEST_BINARY [WORK_DIR]" >&2
    exit 2
fi
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 2 ]; then
    work=$2
    mkdir -p "$work"
    cleanup_work=false
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/novita-port-test.XXXXXX")
    cleanup_work=true
fi

pids=""
cleanup() {
    for pid in $pids; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $pids; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "$cleanup_work" = true ]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sh "$here/../tls/gen-certs.sh" "$work/certs"

# start NAME ARGS...: launch a server, remember its pid, wait for "PORT n", store n in $port_NAME
start() {
    name=$1
    shift
    python3 "$here/tls_server.py" --lifetime 300 "$@" >"$work/$name.out" 2>"$work/$name.err" &
    pids="$pids $!"
    i=0
    while ! grep -q '^PORT ' "$work/$name.out" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 100 ]; then
            echo "run.sh: server $name did not start:" >&2
            cat "$work/$name.err" >&2
            exit 1
        fi
        sleep 0.1
    done
    eval "port_$name=\$(sed -n 's/^PORT //p' \"\$work/\$name.out\")"
}

start plain --plain
start tls --cert "$work/certs/server.crt" --key "$work/certs/server.key"
start expired --cert "$work/certs/expired.crt" --key "$work/certs/expired.key"

"$bin" "$work/certs" "$port_plain" "$port_tls" "$port_expired"

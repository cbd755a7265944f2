#!/bin/sh
# run.sh TEST_BINARY EMPTY_RECORDS_SERVER [WORK_DIR] - generate test certificates, start the local test
# servers (tls_server.py, and the tls_empty_records_server program built with the tests), run the port test
# against them, stop the servers. Exit status = the test's (0 = all passed).
# Loopback only; needs python3 and the openssl CLI.
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 TEST_BINARY EMPTY_RECORDS_SERVER [WORK_DIR]" >&2
    exit 2
fi
bin=$1
empty_records_server=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 3 ]; then
    work=$3
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

# start NAME PROGRAM ARGS...: launch a server, remember its pid, wait for "PORT n", store n in $port_NAME
start() {
    name=$1
    shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" &
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

# start_py NAME ARGS...: the same with tls_server.py
start_py() {
    name=$1
    shift
    start "$name" python3 "$here/tls_server.py" --lifetime 300 "$@"
}

start_py plain --plain
start_py tls --cert "$work/certs/server.crt" --key "$work/certs/server.key"
start_py expired --cert "$work/certs/expired.crt" --key "$work/certs/expired.key"
start_py client_only --cert "$work/certs/client-only.crt" --key "$work/certs/client-only.key"
start empty_records "$empty_records_server" "$work/certs/server.crt" "$work/certs/server.key"

"$bin" "$work/certs" "$port_plain" "$port_tls" "$port_expired" "$port_client_only" "$port_empty_records"

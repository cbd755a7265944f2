#!/bin/sh
# Demo: the novita CLI launches a GPU instance on the bundled simulator over HTTPS (test CA made now),
# shows its progress until it runs, prints it, then stops and deletes it.
set -eu
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages $BASE_PACKAGES
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target novita_cli >/dev/null
certs=build/demo-certs
sh tests/tls/gen-certs.sh "$certs" >/dev/null
port_file=$(mktemp)
python3 tests/sim/novita_sim.py --port 0 --port-file "$port_file" --step-ms 1500 \
    --tls-cert "$certs/server.crt" --tls-key "$certs/server.key" >/dev/null &
sim=$!
trap 'kill $sim 2>/dev/null; rm -f "$port_file"' EXIT INT TERM
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    [ -s "$port_file" ] && break
    sleep 0.2
done
port=$(cat "$port_file")
export NOVITA_BASE_URL="https://localhost:$port" NOVITA_API_KEY=sim-key
novita="build/novita --cacert $certs/ca.crt"
echo "simulator: $NOVITA_BASE_URL (HTTPS, test CA $certs/ca.crt)"
echo "\$ novita products list --gpu-num 1"
$novita products list --gpu-num 1
echo "\$ novita instances create --product 4090.16c62g --image nginx:latest --name demo --port 80/http --wait"
$novita instances create --product 4090.16c62g --image nginx:latest --name demo --port 80/http --wait

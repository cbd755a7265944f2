#!/usr/bin/env python3
"""Integration tests: the C library against the simulator over real sockets, HTTP and HTTPS.

Usage: run_instances.py TEST_BINARY
Generates a test CA at run time (tests/tls/gen-certs.sh), starts simulators on loopback, runs the C test
program in several modes, then checks what the simulator received on the wire for each operation.
Prints "N passed, N failed" and exits non-zero on any failure.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import GPU, Harness, Sim, find  # noqa: E402

h = Harness()
check = h.check


def check_wire(log, created):
    gpu = GPU
    for r in log:
        check(r["headers"].get("authorization") == "Bearer sim-key", "bearer header on " + r["path"])
        check(r["headers"].get("content-type") == "application/json", "content-type on " + r["path"])
    prods = find(log, "GET", gpu + "/products")
    check(len(prods) == 1 and set(prods[0]["query"]) == {"clusterId", "gpuNum", "productName", "minCpuPerGpu",
                                                          "minMemoryPerGpu", "minRootFSSize", "billingMethod"},
          "products query names")
    creates = find(log, "POST", gpu + "/gpu/instance/create")
    check(len(creates) == 2, "two creates sent, none resent")
    if creates:
        body = creates[0]["body"]
        check(body.get("productId") == "4090.16c62g" and body.get("kind") == "gpu" and body.get("gpuNum") == 1
              and body.get("rootfsSize") == 10 and body.get("ports") == "8888/http"
              and body.get("envs") == [{"key": "MODE", "value": "test"}] and body.get("clusterId") == "1",
              "create body " + json.dumps(body))
    gets = find(log, "GET", gpu + "/gpu/instance")
    check(len(gets) > 3 and all(g["query"].get("instanceId") for g in gets), "get carries instanceId")
    lists = find(log, "GET", gpu + "/gpu/instances")
    check(len(lists) == 1 and lists[0]["query"] == {"name": "itest", "pageSize": "10", "pageNum": "1"},
          "list query")
    for action in ("start", "stop", "restart", "delete", "migrate"):
        reqs = find(log, "POST", gpu + "/gpu/instance/" + action)
        check(len(reqs) == 1 and reqs[0]["body"] == {"instanceId": created}, action + " body")
    edit = find(log, "POST", gpu + "/gpu/instance/edit")
    check(len(edit) == 1 and edit[0]["body"] == {"instanceId": created, "ports": [{"port": 8888, "type": "http"}],
                                                  "expandRootDisk": 10}, "edit body")
    up = find(log, "POST", gpu + "/gpu/instance/upgrade")
    check(len(up) == 1 and up[0]["body"].get("networkVolume") ==
          {"volumeMounts": [{"type": "network", "id": "ns-1", "mountPath": "/data"}]}
          and up[0]["body"].get("save") is True and up[0]["body"].get("imageUrl") == "nginx:1.27", "upgrade body")
    for path, body in (("renewInstance", {"instanceId": "seed-0002", "month": 1}),
                       ("transToMonthlyInstance", {"instanceId": "seed-0001", "month": 1}),
                       ("setAutoRenew", {"instanceIds": [created], "autoRenew": True, "autoRenewMonth": 3}),
                       ("setAutoMigrate", {"instanceId": created, "autoMigrateOpen": True,
                                           "autoMigrateSystemDisk": False})):
        reqs = find(log, "POST", gpu + "/gpu/instance/" + path)
        check(len(reqs) == 1 and reqs[0]["body"] == body, path + " body")
    metrics = find(log, "GET", "/openapi/v1/metrics/gpu/instance")
    check(len(metrics) == 1 and metrics[0]["query"] == {"instanceId": created, "interval": "30"}, "metrics query")
    check(len(find(log, "GET", gpu + "/clusters")) == 1, "clusters")
    check(len(find(log, "GET", gpu + "/cpu/products")) == 1, "cpu products")


def main():
    binary = sys.argv[1]
    run = h.run
    with h.sims() as (plain, tls, ca):
        certs = os.path.dirname(ca)
        expired = Sim("--tls-cert", os.path.join(certs, "expired.crt"), "--tls-key", os.path.join(certs, "expired.key"))
        zero_based = Sim("--page-base", "0")
        try:
            for name, sim, url, cafile in h.modes(plain, tls, ca):
                sim.reset()
                p = run(binary, url, cafile, "lifecycle")
                check(p.returncode == 0, name + " lifecycle exit code")
                created = [ln.split()[1] for ln in p.stdout.splitlines() if ln.startswith("CREATED ")]
                conns = [int(ln.split()[1]) for ln in p.stdout.splitlines() if ln.startswith("CONNECTIONS ")]
                check(len(created) == 1, name + " created an instance")
                check(conns == [1], name + " one keep-alive connection for the whole lifecycle: %s" % conns)
                check(sim.hook("/__sim/connections")["accepted"] <= 2, name + " server saw (almost) one connection")
                check_wire(sim.requests(), created[0] if created else "")
            # 300 extra instances walked page by page over one connection, against a 1-based server (page 0
            # reads as page 1) and a 0-based one.
            for name, sim in (("1-based", plain), ("0-based", zero_based)):
                sim.reset()
                total = sim.hook("/__sim/seed", {"instances": 300})["total"]
                p = run(binary, sim.url, "-", "walk")
                line = [ln.split() for ln in p.stdout.splitlines() if ln.startswith("WALKED ")]
                check(p.returncode == 0 and len(line) == 1, name + " walk ran")
                if line:
                    check(int(line[0][1]) == total == 302, name + " walked every instance: %s of %d"
                          % (line[0][1], total))
                    check(int(line[0][5]) == 1, name + " one connection for the walk")
                nums = [r["query"].get("pageNum") for r in find(sim.requests(), "GET", GPU + "/gpu/instances")]
                want = [str(n) for n in range(0, 14)] if name == "1-based" else [str(n) for n in range(0, 13)]
                check(nums == want, name + " page numbers %s" % nums)
            check(run(binary, tls.url, os.path.join(certs, "other-ca.crt"), "tls-fail").returncode == 0,
                  "wrong CA refused")
            check(run(binary, "https://127.0.0.1:%d" % tls.port, ca, "tls-fail").returncode == 0,
                  "wrong host name refused")
            check(run(binary, "https://localhost:%d" % expired.port, ca, "tls-fail").returncode == 0,
                  "expired certificate refused")
            check(run(binary, plain.url, "-", "auth-fail").returncode == 0, "wrong key is an auth error")
        finally:
            expired.stop()
            zero_based.stop()
    return h.report()


if __name__ == "__main__":
    sys.exit(main())

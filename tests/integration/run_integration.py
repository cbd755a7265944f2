#!/usr/bin/env python3
"""Integration tests: the C library against the simulator over real sockets, HTTP and HTTPS.

Usage: run_integration.py TEST_BINARY
Generates a test CA at run time (tests/tls/gen-certs.sh), starts simulators on loopback, runs the C test
program in several modes, then checks what the simulator received on the wire for each operation.
Prints "N passed, N failed" and exits non-zero on any failure.
"""
import json
import os
import ssl
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIM = os.path.join(ROOT, "tests", "sim", "novita_sim.py")
GEN = os.path.join(ROOT, "tests", "tls", "gen-certs.sh")

passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what, file=sys.stderr)


class Sim:
    def __init__(self, *extra, cafile=None):
        self.context = ssl.create_default_context(cafile=cafile) if cafile else None
        self.scheme = "https://localhost" if cafile else "http://127.0.0.1"
        self.proc = subprocess.Popen([sys.executable, SIM, "--port", "0", "--step-ms", "100", *extra],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            raise RuntimeError("simulator did not start")
        self.port = int(line[1])

    def hook(self, path, body=None):
        req = urllib.request.Request("%s:%d%s" % (self.scheme, self.port, path),
                                     data=None if body is None else json.dumps(body).encode(),
                                     method="GET" if body is None else "POST")
        with urllib.request.urlopen(req, timeout=10, context=self.context) as r:
            return json.loads(r.read())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def run(binary, url, ca, mode):
    wrapper = os.environ.get("NOVITA_TEST_WRAPPER", "").split()  # e.g. valgrind (scripts/valgrind.sh)
    p = subprocess.run(wrapper + [binary, url, ca, mode], capture_output=True, text=True, timeout=300)
    sys.stderr.write(p.stderr)
    return p


def find(log, method, path):
    return [r for r in log if r["method"] == method and r["path"] == path]


def check_wire(log, created):
    gpu = "/gpu-instance/openapi/v1"
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
    certs = tempfile.mkdtemp(prefix="novita-certs-")
    subprocess.run(["sh", GEN, certs], check=True)
    ca = os.path.join(certs, "ca.crt")
    plain = Sim()
    tls = Sim("--tls-cert", os.path.join(certs, "server.crt"), "--tls-key", os.path.join(certs, "server.key"), cafile=ca)
    expired = Sim("--tls-cert", os.path.join(certs, "expired.crt"), "--tls-key", os.path.join(certs, "expired.key"))
    try:
        for name, sim, url, cafile in (("http", plain, "http://127.0.0.1:%d" % plain.port, "-"),
                                       ("https", tls, "https://localhost:%d" % tls.port, ca)):
            sim.hook("/__sim/reset", {"state": True})
            p = run(binary, url, cafile, "lifecycle")
            check(p.returncode == 0, name + " lifecycle exit code")
            created = [ln.split()[1] for ln in p.stdout.splitlines() if ln.startswith("CREATED ")]
            conns = [int(ln.split()[1]) for ln in p.stdout.splitlines() if ln.startswith("CONNECTIONS ")]
            check(len(created) == 1, name + " created an instance")
            check(conns == [1], name + " one keep-alive connection for the whole lifecycle: %s" % conns)
            check(sim.hook("/__sim/connections")["accepted"] <= 2, name + " server saw (almost) one connection")
            check_wire(sim.hook("/__sim/requests"), created[0] if created else "")
        # 300 extra instances walked page by page over one connection, against a 1-based server (page 0
        # reads as page 1) and a 0-based one.
        zero_based = Sim("--page-base", "0")
        try:
            for name, sim in (("1-based", plain), ("0-based", zero_based)):
                sim.hook("/__sim/reset", {"state": True})
                total = sim.hook("/__sim/seed", {"instances": 300})["total"]
                p = run(binary, "http://127.0.0.1:%d" % sim.port, "-", "walk")
                line = [ln.split() for ln in p.stdout.splitlines() if ln.startswith("WALKED ")]
                check(p.returncode == 0 and len(line) == 1, name + " walk ran")
                if line:
                    check(int(line[0][1]) == total == 302, name + " walked every instance: %s of %d"
                          % (line[0][1], total))
                    check(int(line[0][5]) == 1, name + " one connection for the walk")
                nums = [r["query"].get("pageNum") for r in
                        find(sim.hook("/__sim/requests"), "GET", "/gpu-instance/openapi/v1/gpu/instances")]
                want = [str(n) for n in range(0, 14)] if name == "1-based" else [str(n) for n in range(0, 13)]
                check(nums == want, name + " page numbers %s" % nums)
        finally:
            zero_based.stop()
        check(run(binary, "https://localhost:%d" % tls.port, os.path.join(certs, "other-ca.crt"),
                  "tls-fail").returncode == 0, "wrong CA refused")
        check(run(binary, "https://127.0.0.1:%d" % tls.port, ca, "tls-fail").returncode == 0,
              "wrong host name refused")
        check(run(binary, "https://localhost:%d" % expired.port, ca, "tls-fail").returncode == 0,
              "expired certificate refused")
        check(run(binary, "http://127.0.0.1:%d" % plain.port, "-", "auth-fail").returncode == 0,
              "wrong key is an auth error")
    finally:
        for s in (plain, tls, expired):
            s.stop()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

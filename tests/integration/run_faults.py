#!/usr/bin/env python3
"""Every simulator fault switch driven through the library (test_faults) and the CLI (issue 4):
chunked responses, keep-alive connections closed after N requests, 429 and 503 with Retry-After
(seconds and HTTP date), a delay before responding, and truncated responses. Also proves a failing
create is never resent.

Usage: run_faults.py TEST_BINARY   (the CLI is found through $NOVITA_CLI, default build/novita)
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import GPU, ROOT, Harness, find  # noqa: E402

CREATE = GPU + "/gpu/instance/create"
GET = GPU + "/gpu/instance"


def cli_path():
    path = os.environ.get("NOVITA_CLI", os.path.join(ROOT, "build", "novita"))
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def main():
    h = Harness()
    binary = sys.argv[1]
    cli = cli_path()

    def faults(sim, **settings):
        sim.reset()
        sim.hook("/__sim/faults", settings)

    def lib(sim, url, ca, mode):
        p = h.run(binary, url, ca, mode)
        h.check(p.returncode == 0, "%s: exit code %d" % (mode, p.returncode))
        return p.stdout

    def value(out, key):
        for line in out.splitlines():
            parts = line.split()
            if key in parts:
                return int(parts[parts.index(key) + 1])
        return -1

    def run_cli(sim, *args):
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOVITA_")}
        p = subprocess.run([cli, "--base-url", sim.url, "--api-key", "sim-key", "--retries", "2", *args],
                           capture_output=True, text=True, env=env, timeout=120)
        h.check("sim-key" not in p.stdout + p.stderr, "API key never printed")
        return p

    with h.sims() as (plain, tls, ca):
        for name, sim, url, cafile in h.modes(plain, tls, ca):
            # chunked responses and connections closed after every response: reads still all succeed,
            # with one new connection per request (stale kept-alive connections are detected)
            faults(sim, chunked=True)
            out = lib(sim, url, cafile, "reads")
            h.check(value(out, "CONNECTIONS") == 1, name + " chunked: one connection")
            faults(sim, close_after=1)
            out = lib(sim, url, cafile, "reads")
            requests = len(sim.requests())
            h.check(value(out, "CONNECTIONS") == requests, name + " close_after=1: %d connections for %d requests"
                    % (value(out, "CONNECTIONS"), requests))
            faults(sim, close_after=3, chunked=True)
            out = lib(sim, url, cafile, "reads")
            h.check(0 < value(out, "CONNECTIONS") <= requests // 3 + 1, name + " close_after=3")

        sim, url, cafile = plain, plain.url, "-"
        # 429 twice with Retry-After: 1 -> the client waits about a second each time, then succeeds
        faults(sim, rate_limit=2, retry_after="1", path=GET)
        out = lib(sim, url, cafile, "rate-limited")
        h.check(value(out, "ATTEMPTS") == 3, "429 x2: three attempts")
        h.check(value(out, "ELAPSED_MS") >= 1900, "429 x2: Retry-After honoured (%d ms)" % value(out, "ELAPSED_MS"))
        # the same with Retry-After as an HTTP date (2 s ahead of the Date header)
        faults(sim, rate_limit=1, retry_after="date:2", path=GET)
        out = lib(sim, url, cafile, "rate-limited")
        h.check(value(out, "ATTEMPTS") == 2, "429 with a date: two attempts")
        h.check(value(out, "ELAPSED_MS") >= 1000, "429 with a date: waited (%d ms)" % value(out, "ELAPSED_MS"))
        # 503 once on a read: retried
        faults(sim, unavailable=1, retry_after="0", path=GET)
        out = lib(sim, url, cafile, "rate-limited")
        h.check(value(out, "ATTEMPTS") == 2, "503 on a read: retried")
        # rate limited for longer than the retries last
        faults(sim, rate_limit=10, retry_after="0", path=GET)
        lib(sim, url, cafile, "exhausted")
        h.check(len(find(sim.requests(), "GET", GET)) == 3, "exhausted: three requests")

        # a failing create is never resent: 503 (unprocessed) and a cut response (processed!)
        faults(sim, unavailable=5, retry_after="0", path=CREATE)
        lib(sim, url, cafile, "create-503")
        h.check(len(find(sim.requests(), "POST", CREATE)) == 1, "create answered 503: sent once")
        faults(sim, truncate=5, path=CREATE)
        lib(sim, url, cafile, "create-cut")
        h.check(len(find(sim.requests(), "POST", CREATE)) == 1, "create with a cut response: sent once")
        # a read cut short is an early close: retried, and the retry's answer counts; cut every time, it
        # fails as a network error, never half a struct
        faults(sim, truncate=1, path=GET)
        lib(sim, url, cafile, "get-cut")
        h.check(len(find(sim.requests(), "GET", GET)) == 2, "get cut once: sent twice")
        faults(sim, truncate=10, path=GET)
        lib(sim, url, cafile, "get-cut-all")
        # a silent server: the inactivity timeout; then the overall deadline across attempts
        faults(sim, delay_ms=2000, path=GET)
        lib(sim, url, cafile, "slow")
        faults(sim, delay_ms=2000, path=GET)
        lib(sim, url, cafile, "deadline")

        # the same faults through the CLI, with its exit codes
        faults(sim, rate_limit=1, retry_after="1", path=GET)
        p = run_cli(sim, "instances", "get", "seed-0001")
        h.check(p.returncode == 0 and "seed-0001" in p.stdout, "CLI: 429 then success")
        faults(sim, rate_limit=10, retry_after="0", path=GET)
        p = run_cli(sim, "instances", "get", "seed-0001")
        h.check(p.returncode == 5 and "HTTP 429 RATE_LIMIT_EXCEEDED" in p.stderr, "CLI: rate limited exit 5")
        faults(sim, unavailable=5, retry_after="0", path=CREATE)
        p = run_cli(sim, "instances", "create", "--product", "4090.16c62g", "--image", "nginx")
        h.check(p.returncode == 6 and len(find(sim.requests(), "POST", CREATE)) == 1,
                "CLI: create answered 503 exits 6, sent once")
        faults(sim, truncate=1, path=CREATE)
        p = run_cli(sim, "instances", "create", "--product", "4090.16c62g", "--image", "nginx")
        h.check(p.returncode == 8 and len(find(sim.requests(), "POST", CREATE)) == 1,
                "CLI: create with a cut response exits 8 (network), sent once")
        faults(sim, delay_ms=3000, path=GET)
        p = run_cli(sim, "--timeout", "1", "--retries", "0", "instances", "get", "seed-0001")
        h.check(p.returncode == 7, "CLI: silent server exits 7 (got %d)" % p.returncode)
        faults(sim, close_after=1, chunked=True)
        p = run_cli(sim, "--json", "instances", "list", "--all")
        h.check(p.returncode == 0 and '"total":2' in p.stdout, "CLI: list over closing, chunked connections")
        faults(sim, rate_limit=1, retry_after="1")
        p = run_cli(sim, "-v", "clusters", "list")
        h.check(p.returncode == 0 and "Authorization: Bearer ***" in p.stderr and "< HTTP 429" in p.stderr,
                "CLI --verbose shows the retry and the masked key")
    return h.report()


if __name__ == "__main__":
    sys.exit(main())

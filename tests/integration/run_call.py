#!/usr/bin/env python3
"""Calling serverless endpoints (issue 3, item 2): novita_call (test_call), the firmware-style example
(examples/posix/endpoint_report.c) and `novita endpoints call`, against the simulator's stand-in worker
over HTTP and HTTPS. Checks what the worker received on the wire.

Usage: run_call.py TEST_BINARY   ($NOVITA_CLI and $NOVITA_EXAMPLES_DIR locate the CLI and the example)
"""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Harness  # noqa: E402

WORKER = "/__worker/seed-ep-0001"


def main():
    h = Harness()
    binary = sys.argv[1]
    cli = os.environ.get("NOVITA_CLI", os.path.join(ROOT, "build", "novita"))
    example = os.path.join(os.environ.get("NOVITA_EXAMPLES_DIR", os.path.join(ROOT, "build", "examples")),
                           "endpoint_report")
    env_base = {k: v for k, v in os.environ.items() if not k.startswith("NOVITA_")}

    with h.sims() as (plain, tls, ca):
        for name, sim, url, cafile in h.modes(plain, tls, ca):
            sim.reset()
            p = h.run(binary, url, cafile, "call")
            h.check(p.returncode == 0, name + " test_call exit code")
            log = sim.requests()
            worker = [r for r in log if r["path"].startswith(WORKER)]
            blob = [r for r in worker if r["path"] == WORKER + "/blob"]
            h.check_auth_headers([r for r in worker if r not in blob])
            h.check(len(blob) == 1 and blob[0]["headers"].get("content-type") == "application/octet-stream"
                    and blob[0]["headers"].get("authorization") == "Bearer sim-key"
                    and blob[0]["headers"].get("content-length") == "8",
                    name + " raw body sent with its own content type")
            first = worker[0] if worker else {}
            h.check(first.get("method") == "POST" and first.get("path") == WORKER + "/report"
                    and first.get("query") == {"unit": "c"} and first.get("body") == {"input": {"x": 1}}
                    and first["headers"].get("content-type") == "application/json",
                    name + " report as received: %s" % json.dumps(first)[:300])
            h.check(len([r for r in worker if r["query"].get("status") == "503" and r["method"] == "POST"]) == 1,
                    name + " the POST answered 503 was sent once")
            h.check(len([r for r in worker if r["query"].get("status") == "503" and r["method"] == "GET"]) == 4,
                    name + " the GET answered 503 was retried")
            runs = [r for r in log if r["path"].endswith("/run")]
            h.check(len(runs) == 1 and runs[0]["path"].startswith("/v1/seed-ep-0001-"), name + " async run path")

            # the firmware-style example: a report, then ~200 KB streamed through an 8 KB work buffer
            env = dict(env_base, NOVITA_BASE_URL=url, NOVITA_API_KEY="sim-key")
            if cafile != "-":
                env["NOVITA_CA_FILE"] = cafile
            p = subprocess.run([example, "seed-ep-0001", "?size=200000"], capture_output=True, text=True,
                               env=env, timeout=60)
            sys.stderr.write(p.stderr)
            h.check(p.returncode == 0, name + " example exit code")
            fields = dict(zip(*[iter(p.stdout.split("\n")[1].split())] * 2)) if p.stdout.count("\n") >= 2 else {}
            report = [r for r in sim.requests() if r["path"] == WORKER and r["query"].get("size") == "200000"]
            h.check(len(report) == 1 and report[0]["body"]["input"]["device"] == "sensor-7",
                    name + " example's report reached the worker")
            # the same request again from Python: the worker's answer is deterministic
            req = urllib.request.Request(url + WORKER + "?size=200000", method="POST",
                                         data=report[0]["raw_body"].encode() if report else b"",
                                         headers={"Authorization": "Bearer sim-key",
                                                  "Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10, context=sim.context) as r:
                expected = r.read()
            h.check(fields.get("status") == "200" and int(fields.get("bytes", 0)) == len(expected) > 8192
                    and int(fields.get("pieces", 0)) > 1
                    and fields.get("crc32") == "%08x" % zlib.crc32(expected),
                    name + " example received the whole answer: %s vs %d bytes crc %08x"
                    % (fields, len(expected), zlib.crc32(expected)))

            # the CLI: --data JSON, --data @FILE, raw GET streamed to stdout, exit codes
            def novita(*args, stdin=None):
                argv = [cli, "--base-url", url, "--api-key", "sim-key"]
                if cafile != "-":
                    argv += ["--cacert", cafile]
                return subprocess.run(argv + list(args), capture_output=True, env=env_base, timeout=60,
                                      input=stdin)
            worker_url = url + WORKER
            p = novita("endpoints", "call", worker_url + "/cli", "--data", '{"input":{"n":2}}')
            doc = json.loads(p.stdout) if p.returncode == 0 else {}
            h.check(doc.get("input") == {"input": {"n": 2}} and doc.get("path") == "/cli", name + " CLI --data")
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                f.write('{"from":"file"}')
            p = novita("endpoints", "call", worker_url, "--data", "@" + f.name)
            os.unlink(f.name)
            h.check(p.returncode == 0 and json.loads(p.stdout).get("input") == {"from": "file"},
                    name + " CLI --data @FILE")
            p = novita("endpoints", "call", worker_url, "--data", "@-", stdin=b'{"from":"stdin"}')
            h.check(p.returncode == 0 and json.loads(p.stdout).get("input") == {"from": "stdin"},
                    name + " CLI --data @-")
            p = novita("endpoints", "call", worker_url + "?raw=1&size=500000", "--method", "GET")
            pattern = (b"abcdefghijklmnopqrstuvwxyz" * 20000)[:500000]
            h.check(p.returncode == 0 and p.stdout == pattern, name + " CLI streams 500 KB to stdout")
            p = novita("endpoints", "call", worker_url + "?status=503", "--data", "{}")
            h.check(p.returncode == 6 and b'"endpointId"' in p.stdout and b"HTTP 503" in p.stderr,
                    name + " CLI: 503 prints the body and exits 6")
            p = novita("endpoints", "call", url + "/__worker/nope")
            h.check(p.returncode == 4, name + " CLI: unknown endpoint exits 4")
            p = novita("endpoints", "call")
            h.check(p.returncode == 2, name + " CLI: a URL is required")
            for r in (novita("-v", "endpoints", "call", worker_url, "--data", "{}"),):
                h.check(b"sim-key" not in r.stdout + r.stderr and b"Bearer ***" in r.stderr,
                        name + " CLI: the key is masked in the trace")
    return h.report()


if __name__ == "__main__":
    sys.exit(main())

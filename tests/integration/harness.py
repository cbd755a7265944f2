"""Shared pieces of the integration drivers (run_<group>.py): a simulator process, the test CA, running
the C test program, and pass/fail counting. Python 3 standard library only.

A driver typically does:
    h = Harness()                      # counts checks
    with h.sims() as (plain, tls, ca): # an HTTP and an HTTPS simulator plus the CA file
        for name, sim, url, cafile in h.modes(plain, tls, ca):
            sim.reset()
            p = h.run(binary, url, cafile, "mode")
            h.check(p.returncode == 0, name + " exit code")
            log = sim.requests()
    sys.exit(h.report())
"""
import contextlib
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIM = os.path.join(ROOT, "tests", "sim", "novita_sim.py")
GEN = os.path.join(ROOT, "tests", "tls", "gen-certs.sh")
GPU = "/gpu-instance/openapi/v1"
BASIC = "/openapi/v1"


class Sim:
    """The simulator on an ephemeral loopback port. `extra` are command-line flags (e.g. --page-base 0)."""

    def __init__(self, *extra, cafile=None):
        self.context = ssl.create_default_context(cafile=cafile) if cafile else None
        self.scheme = "https://localhost" if cafile else "http://127.0.0.1"
        self.proc = subprocess.Popen([sys.executable, SIM, "--port", "0", "--step-ms", "100", *extra],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            raise RuntimeError("simulator did not start")
        self.port = int(line[1])
        self.url = "%s:%d" % (self.scheme, self.port)

    def hook(self, path, body=None):
        req = urllib.request.Request(self.url + path,
                                     data=None if body is None else json.dumps(body).encode(),
                                     method="GET" if body is None else "POST")
        with urllib.request.urlopen(req, timeout=10, context=self.context) as r:
            return json.loads(r.read())

    def reset(self):
        """Fresh seed state and an empty request log."""
        self.hook("/__sim/reset", {"state": True})

    def requests(self):
        return self.hook("/__sim/requests")

    def stop(self):
        self.proc.terminate()
        stop_or_kill(self.proc)
        self.proc.stdout.close()


def stop_or_kill(proc, grace_s=10):
    """Wait for a simulator sent SIGTERM; one that has not exited after grace_s prints its threads' stacks
    (SIGUSR1, faulthandler) and is killed, so that it cannot hold the test's output pipe open and stall the
    run. Returns its exit status (negative when killed). The simulator is test tooling: a slow shutdown is
    reported loudly, not counted as a failure of the library under test."""
    try:
        return proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        sys.stderr.write("WARNING: simulator pid %d ignored SIGTERM for %d s; its threads:\n" % (proc.pid, grace_s))
        proc.send_signal(signal.SIGUSR1)
        time.sleep(1)
        proc.kill()
        return proc.wait()


def find(log, method, path):
    """Requests of the log with this method and full path (e.g. GPU + "/templates")."""
    return [r for r in log if r["method"] == method and r["path"] == path]


class Harness:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what, file=sys.stderr)
        return cond

    @staticmethod
    def run(binary, url, ca, mode, timeout=300):
        """Run the C program as `binary URL CA MODE` (behind $NOVITA_TEST_WRAPPER, e.g. valgrind, when
        set); its stderr is passed through."""
        wrapper = os.environ.get("NOVITA_TEST_WRAPPER", "").split()
        p = subprocess.run(wrapper + [binary, url, ca, mode], capture_output=True, text=True, timeout=timeout)
        sys.stderr.write(p.stderr)
        return p

    def check_auth_headers(self, log, what=""):
        """Every logged request carried the bearer key (and a JSON content type when it had a body)."""
        for r in log:
            self.check(r["headers"].get("authorization") == "Bearer sim-key", "bearer header on " + r["path"])
            if r["method"] == "POST":
                self.check(r["headers"].get("content-type") == "application/json",
                           "content-type on " + r["path"])

    @contextlib.contextmanager
    def sims(self, *extra):
        """An HTTP and an HTTPS simulator (test CA generated now), yielded as (plain, tls, ca_file)."""
        certs = tempfile.mkdtemp(prefix="novita-certs-")
        subprocess.run(["sh", GEN, certs], check=True, capture_output=True)
        ca = os.path.join(certs, "ca.crt")
        plain = Sim(*extra)
        tls = None
        try:
            tls = Sim(*extra, "--tls-cert", os.path.join(certs, "server.crt"),
                      "--tls-key", os.path.join(certs, "server.key"), cafile=ca)
            yield plain, tls, ca
        finally:
            plain.stop()
            if tls:
                tls.stop()

    @staticmethod
    def modes(plain, tls, ca):
        """(name, sim, base_url, ca_arg) for HTTP and HTTPS."""
        return (("http", plain, plain.url, "-"), ("https", tls, tls.url, ca))

    def report(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0

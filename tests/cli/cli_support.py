"""Shared parts of the CLI tests (tests/cli/test_cli*.py): the simulator process and a TestCase base with
helpers to run `novita` against it. Python 3 standard library only.

A group's test file:
    import os, sys, unittest
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from cli_support import CliCase, GPU
    class TemplatesCli(CliCase):
        def test_list(self):
            doc = self.ok_json("templates", "list")
    if __name__ == "__main__":
        unittest.main()
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIM = os.path.join(ROOT, "tests", "sim", "novita_sim.py")
KEY = "sim-key"
GPU = "/gpu-instance/openapi/v1"


def cli_path():
    path = os.environ.get("NOVITA_CLI", "build/novita")
    if not os.path.isabs(path) and not os.path.exists(path):
        path = os.path.join(ROOT, path)
    return os.path.abspath(path)


def version_string():
    with open(os.path.join(ROOT, "include", "novita", "client.h")) as f:
        m = re.search(r'#define NOVITA_VERSION_STRING "([^"]+)"', f.read())
    return m.group(1)


class Sim:
    """The simulator on an ephemeral port, plus one kept-alive connection for the /__sim/ hooks (so the
    hooks themselves do not show up in the connection counter after a reset)."""

    def __init__(self, *extra):
        self.proc = subprocess.Popen([sys.executable, SIM, "--port", "0", "--step-ms", "100", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.proc.kill()
            raise RuntimeError("simulator did not start: %r %s" % (line, self.proc.stderr.read()))
        self.port = int(line.split()[1])
        host = extra[extra.index("--host") + 1] if "--host" in extra else "127.0.0.1"
        self.base = "http://%s:%d" % ("[%s]" % host if ":" in host else host, self.port)  # IPv6: "[::1]"
        self.conn = http.client.HTTPConnection(host, self.port, timeout=10)

    def hook(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        self.conn.request(method, "/__sim/" + path, body=data, headers=headers)
        resp = self.conn.getresponse()
        payload = resp.read()
        if resp.status != 200:
            raise AssertionError("hook %s %s -> %d %r" % (method, path, resp.status, payload))
        return json.loads(payload)

    def stop(self):
        """Stop the simulator: its exit status (0 after a clean shutdown), or None when it ignored SIGTERM
        for 10 s and was killed. The simulator is test tooling: that is reported loudly, with the stacks of
        its threads (faulthandler on SIGUSR1), not counted as a failure of the CLI under test."""
        self.conn.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGUSR1)
            time.sleep(1)
            self.proc.kill()
            self.proc.wait()
            sys.stderr.write("WARNING: simulator ignored SIGTERM for 10 s; killed. Its threads:\n%s\n"
                             % self.proc.stderr.read())
            return None
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()


class CliCase(unittest.TestCase):
    """Starts one simulator per test class; see the helpers below."""

    @classmethod
    def setUpClass(cls):
        cls.cli = cli_path()
        if not os.access(cls.cli, os.X_OK):
            raise RuntimeError("CLI binary not found at %s: build it or set NOVITA_CLI" % cls.cli)
        cls.sim = Sim(*getattr(cls, "sim_args", ()))

    @classmethod
    def tearDownClass(cls):
        rc = cls.sim.stop()
        assert rc in (0, None), "simulator exit code %r" % rc

    # ---------------------------------------------------------------- helpers

    def run_cli(self, *args, key=KEY, base=None, env_extra=None, timeout=60, stdin=None):
        """Run the CLI with --base-url/--api-key in front of args (and `stdin` text fed to it). Returns the
        CompletedProcess."""
        argv = [self.cli]
        argv += ["--base-url", base or self.sim.base]
        if key is not None:
            argv += ["--api-key", key]
        argv += list(args)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOVITA_")}
        env.update(env_extra or {})
        p = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                           timeout=timeout)
        # The key must never be echoed, whatever happened.
        self.assertNotIn(KEY, p.stdout)
        self.assertNotIn(KEY, p.stderr)
        return p

    def ok(self, *args, **kw):
        p = self.run_cli(*args, **kw)
        self.assertEqual(p.returncode, 0, "novita %s: rc=%d\nstdout: %s\nstderr: %s"
                         % (" ".join(args), p.returncode, p.stdout, p.stderr))
        return p

    def ok_json(self, *args, **kw):
        p = self.ok("--json", *args, **kw)
        return json.loads(p.stdout)

    def fails(self, code, *args, **kw):
        p = self.run_cli(*args, **kw)
        self.assertEqual(p.returncode, code, "novita %s: rc=%d (want %d)\nstdout: %s\nstderr: %s"
                         % (" ".join(args), p.returncode, code, p.stdout, p.stderr))
        return p

    def assert_one_error_line(self, p):
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith("novita: error: "), p.stderr)

    def requests(self, method=None, path_suffix=None):
        out = []
        for r in self.sim.hook("GET", "requests"):
            if method and r["method"] != method:
                continue
            if path_suffix and not r["path"].endswith(path_suffix):
                continue
            out.append(r)
        return out

    def create(self, *extra):
        p = self.ok("instances", "create", "--product", "4090.16c62g", "--image", "nginx:latest", *extra)
        new_id = p.stdout.strip()
        self.assertRegex(new_id, r"^[a-z0-9]{16}$")
        return new_id

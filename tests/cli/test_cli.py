"""End-to-end tests of the `novita` command-line tool against the API simulator.

Run:  NOVITA_CLI=build/novita python3 -m unittest tests/cli/test_cli.py -v
(NOVITA_CLI defaults to build/novita, relative to the repository root unless absolute.)
Only the Python 3 standard library is used.
"""

import json
import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_support import GPU, KEY, ROOT, CliCase, version_string  # noqa: E402


class CliTest(CliCase):
    # ---------------------------------------------------------------- global options and usage

    def test_version_and_help(self):
        p = subprocess.run([self.cli, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout.strip(), "novita " + version_string())
        p = subprocess.run([self.cli, "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 0)
        for word in ("--base-url", "--api-key", "--cacert", "--timeout", "--retries", "--json", "--verbose",
                     "instances create", "products cpu", "Exit status"):
            self.assertIn(word, p.stdout)

    def test_usage_errors_exit_2(self):
        self.fails(2, "clusters", "list", key=None)                       # no --api-key, no env
        self.fails(2, "clusters", "list", key="")                         # empty key
        self.fails(2, "bogus")                                            # unknown group
        self.fails(2, "instances", "bogus")                               # unknown command
        self.fails(2)                                                     # no command at all
        self.fails(2, "--no-such-option", "clusters", "list")
        self.fails(2, "instances", "create", "--image", "nginx")          # missing --product
        self.fails(2, "instances", "create", "--product", "4090.16c62g")  # missing --image
        self.fails(2, "instances", "create", "--product", "x", "--image", "y", "--port", "2222/tcp")
        self.fails(2, "instances", "create", "--product", "x", "--image", "y", "--port", "80/udp")
        self.fails(2, "instances", "create", "--product", "x", "--image", "y", "--env", "NOEQUALS")
        self.fails(2, "instances", "create", "--product", "x", "--image", "y", "--kind", "tpu")
        self.fails(2, "instances", "create", "--product", "x", "--image", "y", "--gpu-num", "nine")
        self.fails(2, "instances", "get")                                 # missing id
        self.fails(2, "instances", "get", "a", "b")                       # two ids
        self.fails(2, "instances", "edit", "seed-0001")                   # nothing to edit
        self.fails(2, "instances", "wait", "seed-0001", "--status", "pulling")
        self.fails(2, "instances", "list", "--all", "--page", "2")
        self.fails(2, "products", "list", "--billing", "yearly")
        self.fails(2, "--timeout", "0", "clusters", "list")
        self.fails(2, "--retries", "x", "clusters", "list")
        self.fails(2, "clusters", "list", base="ftp://127.0.0.1:1")     # invalid base URL
        # Usage errors never reach the server.
        self.sim.hook("POST", "reset", {})
        self.fails(2, "instances", "create", "--image", "nginx")
        self.assertEqual(self.requests(), [])

    def test_api_key_from_environment(self):
        p = self.run_cli("clusters", "list", key=None, env_extra={"NOVITA_API_KEY": KEY})
        self.assertEqual(p.returncode, 0, p.stderr)
        p = subprocess.run([self.cli, "clusters", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env={"NOVITA_API_KEY": KEY, "NOVITA_BASE_URL": self.sim.base})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("US-01 (Dallas)", p.stdout)

    def test_wrong_key_exit_3(self):
        p = self.fails(3, "clusters", "list", key="wrong-key")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 401", p.stderr)
        self.assertIn("UNAUTHORIZED", p.stderr)
        self.assertNotIn("wrong-key", p.stderr)
        self.assertEqual(p.stdout, "")

    def test_not_found_exit_4(self):
        p = self.fails(4, "instances", "get", "nonexistent")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 RESOURCE_NOT_FOUND", p.stderr)
        self.assertIn("instance not found", p.stderr)
        self.fails(4, "--json", "instances", "stop", "nonexistent")

    def test_network_error_exit_8(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        p = self.fails(8, "--retries", "0", "clusters", "list", base="http://127.0.0.1:%d" % port)
        self.assert_one_error_line(p)

    def test_verbose_masks_key(self):
        p = self.ok("-v", "clusters", "list")
        self.assertIn("Authorization: Bearer ***", p.stderr)
        self.assertIn("GET " + GPU + "/clusters", p.stderr)
        self.assertIn("< HTTP 200", p.stderr)
        self.assertNotIn("\r", p.stderr)
        self.assertNotIn("Authorization", p.stdout)
        # run_cli already checked that sim-key appears nowhere.

    # ---------------------------------------------------------------- clusters and products

    def test_clusters(self):
        doc = self.ok_json("clusters", "list")
        self.assertEqual(set(doc), {"items", "total"})
        self.assertEqual([c["id"] for c in doc["items"]], ["1", "5", "8", "12"])
        self.assertEqual(doc["total"], 4)
        first = doc["items"][0]
        self.assertEqual(first["name"], "US-01 (Dallas)")
        self.assertIs(first["supportNetworkStorage"], True)
        self.assertIs(first["supportInstanceNetwork"], True)
        self.assertIn("RTX 4090 24GB", first["availableGpuType"])
        p = self.ok("clusters", "list")
        lines = p.stdout.splitlines()
        self.assertTrue(lines[0].startswith("ID"))
        self.assertEqual(len(lines), 5)
        self.assertIn("AS-SGP-02 (Singapore)", p.stdout)

    def test_gpu_products(self):
        doc = self.ok_json("products", "list")
        by_id = {p["id"]: p for p in doc["items"]}
        self.assertEqual(set(by_id), {"4090.16c62g", "3090.16c92g", "a100.12c120g", "h100.24c250g",
                                      "l40s.16c80g"})
        p4090 = by_id["4090.16c62g"]
        self.assertEqual(p4090["price"], 67000)
        self.assertEqual(p4090["spotPrice"], 34000)
        self.assertEqual(p4090["billingMethods"], ["onDemand", "monthly", "spot"])
        self.assertIs(by_id["h100.24c250g"]["availableDeploy"], False)
        self.assertIn("monthlyPrice", p4090)
        self.assertIn("maxRootFS", p4090)
        doc = self.ok_json("products", "list", "--cluster", "8", "--gpu-num", "2")
        self.assertEqual(sorted(p["id"] for p in doc["items"]), ["a100.12c120g", "h100.24c250g", "l40s.16c80g"])
        self.ok_json("products", "list", "--billing", "spot", "--name", "4090")
        q = self.requests("GET", "/products")[-1]["query"]
        self.assertEqual(q, {"billingMethod": "spot", "productName": "4090"})
        p = self.ok("products", "list")
        self.assertIn("4090.16c62g", p.stdout)
        self.assertIn("$0.67/h", p.stdout)
        self.assertIn("$1.59/h", p.stdout)

    def test_cpu_products(self):
        doc = self.ok_json("products", "cpu", "--cluster", "8")
        self.assertEqual(sorted(p["id"] for p in doc["items"]), ["cpu.16c32g", "cpu.8c16g"])
        for key in ("cpuNum", "memorySize", "rootfsSize", "localVolumeSize", "availableDeploy", "price"):
            self.assertIn(key, doc["items"][0])
        p = self.ok("products", "cpu", "--name", "4 Cores")
        self.assertIn("cpu.4c8g", p.stdout)

    # ---------------------------------------------------------------- instances: reads

    def test_get_instance(self):
        doc = self.ok_json("instances", "get", "seed-0001")
        self.assertEqual(doc["id"], "seed-0001")
        self.assertEqual(doc["status"], "running")
        self.assertEqual(doc["productId"], "4090.16c62g")
        self.assertEqual(doc["clusterId"], "1")
        self.assertEqual(doc["gpuNum"], 1)
        self.assertEqual(doc["cpuNum"], 16)
        self.assertEqual(doc["portMappings"][0]["port"], 8888)
        self.assertTrue(doc["portMappings"][0]["endpoint"])
        self.assertIn("sshCommand", doc["connectComponentSSH"])
        self.assertEqual(doc["endTime"], -1)
        self.assertEqual(doc["billingMode"], "onDemand")
        p = self.ok("instances", "get", "seed-0001")
        self.assertRegex(p.stdout, r"(?m)^id:\s+seed-0001$")
        self.assertRegex(p.stdout, r"(?m)^status:\s+running$")
        self.assertIn("8888/http", p.stdout)
        # Passwords are never shown as text.
        self.assertNotRegex(p.stdout, r"(?i)password")
        if doc["connectComponentSSH"].get("password"):
            self.assertNotIn(doc["connectComponentSSH"]["password"], p.stdout)

    def test_list_single_page(self):
        doc = self.ok_json("instances", "list", "--page", "1", "--page-size", "1")
        self.assertEqual(len(doc["items"]), 1)
        self.assertGreaterEqual(doc["total"], 2)
        for key in ("id", "name", "status", "productId", "clusterId", "gpuNum"):
            self.assertIn(key, doc["items"][0])
        req = self.requests("GET", "/gpu/instances")[-1]
        self.assertEqual(req["query"], {"pageSize": "1", "pageNum": "1"})
        doc = self.ok_json("instances", "list", "--name", "seed-web-1", "--status", "running")
        self.assertIn("seed-0001", [i["id"] for i in doc["items"]])
        p = self.ok("instances", "list")
        header = p.stdout.splitlines()[0].split()
        self.assertEqual(header, ["ID", "NAME", "STATUS", "PRODUCT", "GPUS", "CLUSTER"])
        self.assertIn("seed-0001", p.stdout)
        self.assertIn("seed-0002", p.stdout)

    def test_list_all_uses_one_connection(self):
        # 300 instances, 100 per page, one connection; the CLI holds one decoded instance at a time.
        self.sim.hook("POST", "reset", {"state": True})
        self.addCleanup(self.sim.hook, "POST", "reset", {"state": True})  # back to the 2 seeds for other tests
        seeded = self.sim.hook("POST", "seed", {"instances": 298})
        self.assertEqual(seeded["total"], 300)
        expected = {"seed-%04d" % i for i in range(1, 301)}
        self.sim.hook("POST", "reset", {})  # clears the log and the connection counter
        doc = self.ok_json("instances", "list", "--all")
        ids = [i["id"] for i in doc["items"]]
        self.assertEqual(len(ids), 300)           # no page delivered twice
        self.assertEqual(set(ids), expected)
        self.assertEqual(doc["total"], 300)
        self.assertEqual(self.sim.hook("GET", "connections")["accepted"], 1)
        pages = self.requests("GET", "/gpu/instances")
        # The simulator is 1-based and reads page 0 as page 1: the walk starts at 0, skips the repeat.
        self.assertEqual([(r["query"]["pageNum"], r["query"]["pageSize"]) for r in pages],
                         [("0", "100"), ("1", "100"), ("2", "100"), ("3", "100")])
        # Table mode: every id, on one connection too.
        self.sim.hook("POST", "reset", {})
        p = self.ok("instances", "list", "--all")
        self.assertEqual(set(re.findall(r"(?m)^(seed-\d{4})\s", p.stdout)), expected)
        self.assertEqual(self.sim.hook("GET", "connections")["accepted"], 1)

    def test_metrics(self):
        doc = self.ok_json("instances", "metrics", "seed-0001")
        for key in ("cpuUtilization", "memUtilization", "rootDiskUtilization", "gpuUtilization",
                    "gpuMemUtilization"):
            self.assertIn(key, doc)
        self.assertTrue(doc["cpuUtilization"])
        self.assertIn("value", doc["cpuUtilization"][0])
        p = self.ok("instances", "metrics", "seed-0001")
        self.assertIn("cpu", p.stdout)
        self.assertIn("%", p.stdout)

    # ---------------------------------------------------------------- instances: writes

    def test_create_request_body(self):
        self.sim.hook("POST", "reset", {})
        new_id = self.create("--name", "body-test", "--gpu-num", "2", "--rootfs", "50", "--cluster", "1",
                             "--port", "8888/http", "--port", "22/tcp", "--env", "A=1", "--env", "B=x=y",
                             "--command", "sleep infinity", "--billing", "onDemand",
                             "--network-storage", "d4e82677-3f80-4020-a731-d15b1c589aa8:/data")
        creates = self.requests("POST", "/gpu/instance/create")
        self.assertEqual(len(creates), 1)
        r = creates[0]
        self.assertEqual(r["headers"]["authorization"], "Bearer sim-key")
        self.assertEqual(r["status"], 200)
        body = r["body"]
        self.assertEqual(body["name"], "body-test")
        self.assertEqual(body["productId"], "4090.16c62g")
        self.assertEqual(body["imageUrl"], "nginx:latest")
        self.assertEqual(body["gpuNum"], 2)
        self.assertEqual(body["rootfsSize"], 50)
        self.assertEqual(body["clusterId"], "1")
        self.assertEqual(body["kind"], "gpu")
        self.assertEqual(body["ports"], "8888/http,22/tcp")
        self.assertEqual(body["envs"], [{"key": "A", "value": "1"}, {"key": "B", "value": "x=y"}])
        self.assertEqual(body["command"], "sleep infinity")
        self.assertEqual(body["billingMode"], "onDemand")
        self.assertEqual(body["networkStorages"],
                         [{"Id": "d4e82677-3f80-4020-a731-d15b1c589aa8", "mountPoint": "/data"}])
        got = self.ok_json("instances", "get", new_id)
        self.assertEqual(got["name"], "body-test")
        self.assertEqual(got["gpuNum"], 2)

    def test_create_json_prints_id(self):
        doc = self.ok_json("instances", "create", "--product", "cpu.4c8g", "--kind", "cpu", "--image", "alpine")
        self.assertEqual(set(doc), {"id"})
        self.assertRegex(doc["id"], r"^[a-z0-9]{16}$")
        body = self.requests("POST", "/gpu/instance/create")[-1]["body"]
        self.assertEqual(body["kind"], "cpu")
        self.assertNotIn("gpuNum", body)

    def test_lifecycle_with_wait(self):
        doc = self.ok_json("instances", "create", "--product", "4090.16c62g", "--image", "nginx",
                           "--name", "life", "--wait", "--wait-timeout", "30")
        self.assertEqual(doc["status"], "running")
        self.assertEqual(doc["name"], "life")
        new_id = doc["id"]
        # Progress went to stderr, one line per status (not a terminal here).
        doc = self.ok_json("instances", "stop", new_id, "--wait")
        self.assertEqual(doc, {"ok": True, "id": new_id, "status": "exited"})
        self.assertEqual(self.ok_json("instances", "get", new_id)["status"], "exited")
        p = self.ok("instances", "start", new_id, "--wait")
        self.assertEqual(p.stdout.strip(), "%s: running" % new_id)
        self.assertIn("running", p.stderr)
        self.assertNotIn("\r", p.stderr)
        doc = self.ok_json("instances", "restart", new_id)
        self.assertEqual(doc, {"ok": True, "id": new_id})
        doc = self.ok_json("instances", "wait", new_id, "--status", "running", "--timeout", "30")
        self.assertEqual(doc["status"], "running")
        # restart --wait returns only once the instance started again (not at once, while still running)
        before = self.ok_json("instances", "get", new_id)["lastStartedAt"]
        time.sleep(1.1)  # the API's start times are whole seconds
        p = self.ok("instances", "restart", new_id, "--wait")
        self.assertEqual(p.stdout.strip(), "%s: running" % new_id)
        self.assertGreater(int(self.ok_json("instances", "get", new_id)["lastStartedAt"]), int(before))
        doc = self.ok_json("instances", "delete", new_id, "--wait")
        self.assertEqual(doc, {"ok": True, "id": new_id, "status": "removed"})
        self.fails(4, "instances", "get", new_id)
        doc = self.ok_json("instances", "wait", new_id, "--status", "removed")
        self.assertEqual(doc, {"id": new_id, "status": "removed"})

    def test_create_wait_text(self):
        p = self.ok("instances", "create", "--product", "4090.16c62g", "--image", "nginx", "--wait")
        self.assertRegex(p.stdout, r"(?m)^status:\s+running$")
        m = re.search(r"(?m)^id:\s+([a-z0-9]{16})$", p.stdout)
        self.assertTrue(m, p.stdout)
        self.assertIn(m.group(1), p.stderr)  # progress lines name the instance

    def test_create_failed_image(self):
        p = self.fails(1, "instances", "create", "--product", "4090.16c62g", "--image", "registry/fail:1",
                       "--wait", "--wait-timeout", "20")
        errors = [l for l in p.stderr.splitlines() if l.startswith("novita: error: ")]
        self.assertEqual(len(errors), 1, p.stderr)
        self.assertIn("instance failed", errors[0])
        self.assertIn("image pull failed", errors[0])
        self.assertRegex(p.stderr, r"(?m)^created [a-z0-9]{16}, waiting")

    def test_wait_timeout_exit_7(self):
        # seed-0002 is exited and stays so: waiting for running must time out.
        p = self.fails(7, "instances", "wait", "seed-0002", "--timeout", "1")
        self.assertIn("novita: error: ", p.stderr)

    def test_edit(self):
        new_id = self.create()
        doc = self.ok_json("instances", "edit", new_id, "--port", "8080/http", "--port", "9000/tcp",
                           "--expand-disk", "5")
        self.assertEqual(doc, {"ok": True, "id": new_id})
        body = self.requests("POST", "/gpu/instance/edit")[-1]["body"]
        self.assertEqual(body, {"instanceId": new_id, "ports": [{"port": 8080, "type": "http"},
                                                                {"port": 9000, "type": "tcp"}],
                                "expandRootDisk": 5})
        got = self.ok_json("instances", "get", new_id)
        self.assertEqual(got["rootfsSize"], 15)
        self.assertEqual([(pm["port"], pm["type"]) for pm in got["portMappings"]], [(8080, "http"), (9000, "tcp")])
        p = self.ok("instances", "edit", new_id, "--expand-disk", "1")
        self.assertEqual(p.stdout.strip(), "%s: edited" % new_id)

    def test_upgrade(self):
        new_id = self.create()
        doc = self.ok_json("instances", "upgrade", new_id, "--image", "nginx:1.27", "--env", "A=1", "--save",
                           "--command", "run.sh", "--network-storage", "ns-1:/data")
        self.assertEqual(doc, {"ok": True, "id": new_id})
        body = self.requests("POST", "/gpu/instance/upgrade")[-1]["body"]
        self.assertEqual(body["instanceId"], new_id)
        self.assertEqual((body["imageUrl"], body["envs"], body["command"], body["save"]),
                         ("nginx:1.27", [{"key": "A", "value": "1"}], "run.sh", True))
        self.assertEqual(body["networkVolume"], {"volumeMounts": [{"type": "network", "id": "ns-1",
                                                                    "mountPath": "/data"}]})
        self.assertEqual(self.ok_json("instances", "get", new_id)["imageUrl"], "nginx:1.27")
        self.fails(2, "instances", "upgrade", new_id)                      # --image is required
        self.fails(4, "instances", "upgrade", "nope", "--image", "x")

    def test_subscriptions(self):
        p = self.ok("instances", "renew", "seed-0002", "--months", "2")
        self.assertEqual(p.stdout.strip(), "seed-0002: renewed")
        self.assertEqual(self.requests("POST", "/renewInstance")[-1]["body"], {"instanceId": "seed-0002", "month": 2})
        self.fails(1, "instances", "renew", "seed-0001", "--months", "1")   # not monthly: API error
        self.fails(2, "instances", "renew", "seed-0002")                    # --months is required
        self.ok("instances", "to-monthly", "seed-0001", "--months", "1")
        self.assertEqual(self.requests("POST", "/transToMonthlyInstance")[-1]["body"],
                         {"instanceId": "seed-0001", "month": 1})
        doc = self.ok_json("instances", "auto-renew", "seed-0001", "seed-0002", "--on", "--months", "3")
        self.assertEqual(doc, {"ok": True, "ids": ["seed-0001", "seed-0002"]})
        self.assertEqual(self.requests("POST", "/setAutoRenew")[-1]["body"],
                         {"instanceIds": ["seed-0001", "seed-0002"], "autoRenew": True, "autoRenewMonth": 3})
        self.fails(2, "instances", "auto-renew", "seed-0001", "--on", "--off")
        self.fails(2, "instances", "auto-renew", "seed-0001")
        self.ok("instances", "auto-migrate", "seed-0001", "--on", "--system-disk")
        self.assertEqual(self.requests("POST", "/setAutoMigrate")[-1]["body"],
                         {"instanceId": "seed-0001", "autoMigrateOpen": True, "autoMigrateSystemDisk": True})
        self.ok("instances", "auto-migrate", "seed-0001", "--off")
        self.assertEqual(self.requests("POST", "/setAutoMigrate")[-1]["body"],
                         {"instanceId": "seed-0001", "autoMigrateOpen": False, "autoMigrateSystemDisk": False})
        calls = len(self.requests("POST", "/setAutoMigrate"))
        p = self.fails(2, "instances", "auto-migrate", "seed-0001", "--off", "--system-disk")  # not ignored
        self.assertIn("--system-disk goes with --on", p.stderr)
        self.assertEqual(len(self.requests("POST", "/setAutoMigrate")), calls)
        self.sim.hook("POST", "reset", {"state": True})

    def test_api_error_message(self):
        # The sold-out H100: a 400 that is not "not found" -> exit 1 with reason and message.
        p = self.fails(1, "instances", "create", "--product", "h100.24c250g", "--image", "nginx")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 INSUFFICIENT_RESOURCE", p.stderr)


class Ipv6LiteralCli(CliCase):
    """A base URL whose host is a bracketed IPv6 literal: the CLI reaches a simulator listening on ::1 and
    sends the literal, brackets included, as Host."""
    sim_args = ("--host", "::1")

    def test_list_over_ipv6_loopback(self):
        self.assertTrue(self.sim.base.startswith("http://[::1]:"), self.sim.base)
        doc = self.ok_json("clusters", "list")
        self.assertTrue(doc, "clusters over IPv6")
        self.assertEqual(self.requests("GET", "/clusters")[-1]["headers"].get("host"), "[::1]:%d" % self.sim.port)

    def test_unterminated_or_empty_literal_is_a_usage_error(self):
        for base in ("http://[::1", "http://[::1/x]:80", "http://[]:80", "http://[::1]x/"):
            p = self.fails(2, "clusters", "list", base=base)
            self.assertIn("base URL", p.stderr)


if __name__ == "__main__":
    unittest.main()

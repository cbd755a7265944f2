"""CLI tests of `novita endpoints list|get|limits|create|update|delete` (serverless endpoints) against the
simulator: output, --json keys as the API spells them, exit codes, and the exact requests sent (whole JSON
bodies), including update sending the complete configuration built from a get plus the options.

Run:  NOVITA_CLI=build/novita python3 tests/cli/test_cli_endpoints.py -v
"""
import http.client
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_support import GPU, KEY, CliCase  # noqa: E402

ENDPOINT_KEYS = {"id", "name", "appName", "state", "url", "workerConfig", "policy", "image", "rootfsSize",
                 "volumeMounts", "envs", "ports", "workers", "products", "healthy", "clusterID", "log"}
LIMIT_KEYS = {"minRootfsSize", "maxRootfsSize", "freeRootfsSize", "minLocalVolumeSize", "maxLocalVolumeSize",
              "freeLocalVolumeSize", "minWorkerNum", "maxWorkerNum", "minFreeTimeout", "maxFreeTimeout",
              "minConcurrencyNum", "maxConcurrencyNum", "minQueueWaitTime", "maxQueueWaitTime", "minRequestNum",
              "maxRequestNum", "minGPUNum", "maxGPUNum", "cudaVersionList"}
REQUIRED = ("--name", "web", "--image", "nginx:latest", "--product", "4090.16c62g", "--port", "8080",
            "--min", "0", "--max", "2", "--gpu-num", "1")


class EndpointsCli(CliCase):
    def setUp(self):
        self.sim.hook("POST", "reset", {"state": True})

    # ---------------------------------------------------------------- helpers

    def api(self, method, path, body=None):
        """A request to the simulated API itself (for seeding), with the key."""
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        try:
            conn.request(method, GPU + path, body=None if body is None else json.dumps(body),
                         headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
            resp = conn.getresponse()
            data = json.loads(resp.read())
            self.assertEqual(resp.status, 200, data)
            return data
        finally:
            conn.close()

    def bodies(self, path):
        return [r["body"] for r in self.requests("POST", path)]

    def create(self, *extra):
        p = self.ok("endpoints", "create", *(REQUIRED + extra))
        new_id = p.stdout.strip()
        self.assertRegex(new_id, r"^[a-z0-9]{16}$")
        return new_id

    # ---------------------------------------------------------------- list

    def test_list_table(self):
        p = self.ok("endpoints", "list")
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "NAME", "STATE", "RUNNING", "MIN-MAX", "POLICY", "URL"])
        self.assertTrue(lines[1].startswith("seed-ep-0002 "), p.stdout)   # newest first
        self.assertIn("concurrency 10", lines[1])
        self.assertIn("%s/__worker/seed-ep-0002" % self.sim.base, lines[1])
        self.assertIn("1/2", lines[2])                                     # running/total workers
        self.assertEqual(len(lines), 3)

    def test_list_json_keys_and_values(self):
        doc = self.ok_json("endpoints", "list")
        self.assertEqual(doc["total"], 2)
        self.assertEqual([e["id"] for e in doc["items"]], ["seed-ep-0002", "seed-ep-0001"])
        for item in doc["items"]:
            self.assertEqual(set(item), ENDPOINT_KEYS)
        sd = doc["items"][1]
        self.assertEqual(sd["workerConfig"]["freeTimeout"], 300)          # a string on the wire
        self.assertEqual(sd["workerConfig"]["maxConcurrent"], 4)
        self.assertEqual(sd["policy"], {"type": "queue", "value": 60})
        self.assertEqual(sd["ports"], [{"port": 8080}])
        self.assertEqual(sd["clusterID"], "1")
        self.assertEqual(self.requests("GET", "/endpoints")[0]["query"], {})

    def test_list_page(self):
        p = self.ok("endpoints", "list", "--page", "2", "--page-size", "1")
        self.assertIn("seed-ep-0001", p.stdout)
        self.assertNotIn("seed-ep-0002", p.stdout)
        self.assertIn("(1 of 2 endpoints; see --page, --page-size, --all)", p.stdout)
        self.assertEqual(self.requests("GET", "/endpoints")[0]["query"], {"pageNum": "2", "pageSize": "1"})

    def test_list_all_walks_every_page(self):
        for k in range(105):
            self.api("POST", "/endpoint/create", {"endpoint": {
                "name": "bulk-%03d" % k, "appName": "bulk-%03d" % k,
                "workerConfig": {"minNum": 0, "maxNum": 1, "freeTimeout": 60, "maxConcurrent": 1, "gpuNum": 1},
                "ports": [{"port": "80"}], "policy": {"type": "queue", "value": 10},
                "image": {"image": "nginx"}, "products": [{"id": "4090.16c62g"}], "rootfsSize": 100,
                "volumeMounts": [], "healthy": {"path": "/"}}})
        self.sim.hook("POST", "reset", {})  # log only
        doc = self.ok_json("endpoints", "list", "--all")
        ids = [e["id"] for e in doc["items"]]
        self.assertEqual(doc["total"], 107)
        self.assertEqual(len(ids), 107)
        self.assertEqual(len(set(ids)), 107)
        queries = [r["query"] for r in self.requests("GET", "/endpoints")]
        self.assertTrue(all(q["pageSize"] == "100" for q in queries), queries)
        # Page 0 then 1 (the 1-based simulator repeats page 1 for 0: skipped), then 2.
        self.assertEqual([q["pageNum"] for q in queries], ["0", "1", "2"])
        self.assertEqual(self.sim.hook("GET", "connections")["accepted"], 1)
        p = self.ok("endpoints", "list", "--all")
        self.assertEqual(len(p.stdout.splitlines()), 108)

    def test_list_usage(self):
        self.fails(2, "endpoints", "list", "--all", "--page", "2")
        self.fails(2, "endpoints", "list", "--page-size", "0")
        self.fails(2, "endpoints", "list", "extra")
        self.assertEqual(self.requests(), [])

    # ---------------------------------------------------------------- get

    def test_get_text(self):
        p = self.ok("endpoints", "get", "seed-ep-0001")
        out = p.stdout
        self.assertIn("url:             %s/__worker/seed-ep-0001\n" % self.sim.base, out)
        self.assertIn("state:           serving\n", out)
        self.assertIn("workers:         2 (1 running, 1 healthy)\n", out)
        self.assertIn("seed-ep-0001-w2 pulling unhealthy, pulling image", out)
        self.assertIn("min 1, max 3 workers, 1 GPU each, idle timeout 300 s, 4 concurrent", out)
        self.assertIn("policy:          queue 60 s\n", out)
        self.assertIn("volumes:         local /workspace (30 GB)\n", out)
        self.assertIn("health check:    /health", out)
        self.assertEqual(self.requests("GET", "/endpoint")[0]["query"], {"id": "seed-ep-0001"})

    def test_get_json(self):
        doc = self.ok_json("endpoints", "get", "seed-ep-0002")
        self.assertEqual(set(doc), ENDPOINT_KEYS)
        self.assertEqual(doc["url"], "%s/__worker/seed-ep-0002" % self.sim.base)
        self.assertEqual(doc["workerConfig"]["maxConcurrent"], 16)
        self.assertEqual(doc["policy"], {"type": "concurrency", "value": 10})
        self.assertEqual(doc["workers"][0]["healthy"], True)
        self.assertEqual(set(doc["workers"][0]), {"id", "state", "log", "metrics", "healthy"})
        self.assertEqual(set(doc["healthy"]), {"path", "initialDelay", "period", "timeout", "successThreshold",
                                               "failureThreshold"})
        self.assertEqual(doc["volumeMounts"][0]["type"], "network")

    def test_get_not_found_exit_4(self):
        p = self.fails(4, "endpoints", "get", "nope")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 SERVERLESS_ENDPOINT_NOT_FOUND", p.stderr)
        self.assertEqual(p.stdout, "")

    def test_get_usage(self):
        self.fails(2, "endpoints", "get")
        self.fails(2, "endpoints", "get", "a", "b")
        self.fails(2, "endpoints", "bogus")
        self.fails(2, "endpoints")
        self.assertEqual(self.requests(), [])

    # ---------------------------------------------------------------- limits

    def test_limits(self):
        p = self.ok("endpoints", "limits")
        self.assertIn("workers:         0-20\n", p.stdout)
        self.assertIn("queue wait:      1-300 s (policy queue)\n", p.stdout)
        self.assertIn("local volume:    10-500 GB (30 GB free)\n", p.stdout)
        self.assertIn("cuda versions:   11.8,12.1,12.4,12.6\n", p.stdout)
        doc = self.ok_json("endpoints", "limits")
        self.assertEqual(set(doc), LIMIT_KEYS)
        self.assertEqual(doc["maxGPUNum"], 8)
        self.assertEqual(doc["cudaVersionList"], ["11.8", "12.1", "12.4", "12.6"])

    # ---------------------------------------------------------------- create

    def test_create_defaults(self):
        new_id = self.create()
        self.assertEqual(self.bodies("/endpoint/create"), [{"endpoint": {
            "name": "web",
            "workerConfig": {"minNum": 0, "maxNum": 2, "freeTimeout": 60, "maxConcurrent": 1, "gpuNum": 1},
            "ports": [{"port": "8080"}],
            "policy": {"type": "queue", "value": 60},
            "image": {"image": "nginx:latest"},
            "products": [{"id": "4090.16c62g"}],
            "rootfsSize": 100,
            "volumeMounts": [],
            "healthy": {"path": "/health"}}}])
        self.assertEqual(self.ok_json("endpoints", "get", new_id)["name"], "web")

    def test_create_every_option(self):
        doc = self.ok_json("endpoints", "create", *REQUIRED, "--app-name", "web-app", "--free-timeout", "30",
                           "--max-concurrent", "2", "--request-timeout", "120", "--policy", "concurrency",
                           "--policy-value", "5", "--rootfs", "200", "--local-volume", "40:/cache",
                           "--network-volume", "ns-1:/data", "--cluster", "1", "--env", "A=1", "--env", "B=x=y",
                           "--health-path", "/ready", "--command", "nginx -g 'daemon off;'", "--auth-id", "auth-9")
        self.assertEqual(set(doc), {"id"})
        self.assertEqual(self.bodies("/endpoint/create"), [{"endpoint": {
            "name": "web", "appName": "web-app", "clusterID": "1",
            "workerConfig": {"minNum": 0, "maxNum": 2, "freeTimeout": 30, "maxConcurrent": 2, "gpuNum": 1,
                             "requestTimeout": 120},
            "ports": [{"port": "8080"}],
            "policy": {"type": "concurrency", "value": 5},
            "image": {"image": "nginx:latest", "authId": "auth-9", "command": "nginx -g 'daemon off;'"},
            "products": [{"id": "4090.16c62g"}],
            "rootfsSize": 200,
            "volumeMounts": [{"type": "local", "size": 40, "mountPath": "/cache"},
                             {"type": "network", "id": "ns-1", "mountPath": "/data"}],
            "envs": [{"key": "A", "value": "1"}, {"key": "B", "value": "x=y"}],
            "healthy": {"path": "/ready"}}}])
        got = self.ok_json("endpoints", "get", doc["id"])
        self.assertEqual(got["appName"], "web-app")
        self.assertEqual(got["volumeMounts"][1]["id"], "ns-1")

    def test_create_usage_errors_send_nothing(self):
        for k in range(0, len(REQUIRED), 2):  # each required option left out
            args = REQUIRED[:k] + REQUIRED[k + 2:]
            self.fails(2, "endpoints", "create", *args)
        self.fails(2, "endpoints", "create", *REQUIRED, "--port", "2222")
        self.fails(2, "endpoints", "create", *REQUIRED[:6], "--port", "70000", *REQUIRED[8:])
        self.fails(2, "endpoints", "create", *REQUIRED, "--policy", "fifo")
        self.fails(2, "endpoints", "create", *REQUIRED, "--policy", "concurrency")
        self.fails(2, "endpoints", "create", *REQUIRED, "--local-volume", "big:/x")
        self.fails(2, "endpoints", "create", *REQUIRED, "--network-volume", "ns-1")
        self.fails(2, "endpoints", "create", *REQUIRED, "--env", "NOEQUALS")
        self.fails(2, "endpoints", "create", *REQUIRED, "--min", "3")       # min > max
        self.fails(2, "endpoints", "create", *REQUIRED, "--gpu-num", "two")
        # A network volume without a cluster: the library refuses it (invalid argument, exit 2).
        p = self.fails(2, "endpoints", "create", *REQUIRED, "--network-volume", "ns-1:/data")
        self.assertIn("cluster id", p.stderr)
        self.assertEqual(self.requests(), [])

    def test_create_rejected_by_api(self):
        p = self.fails(1, "endpoints", "create", *REQUIRED, "--policy-value", "100000")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 VALIDATOR_PARAM", p.stderr)
        self.assertEqual(len(self.requests("POST", "/endpoint/create")), 1)  # never resent

    # ---------------------------------------------------------------- update

    def test_update_sends_full_body_from_get(self):
        p = self.ok("endpoints", "update", "seed-ep-0001", "--max", "5", "--env", "NEW=1", "--command", "",
                    "--name", "renamed")
        self.assertEqual(p.stdout, "seed-ep-0001: updated\n")
        log = self.requests()
        self.assertEqual([(r["method"], r["path"]) for r in log],
                         [("GET", GPU + "/endpoint"), ("POST", GPU + "/endpoint/update")])
        self.assertEqual(log[0]["query"], {"id": "seed-ep-0001"})
        self.assertEqual(log[1]["body"], {
            "id": "seed-ep-0001", "name": "renamed", "clusterID": "1",
            "workerConfig": {"minNum": 1, "maxNum": 5, "freeTimeout": 300, "maxConcurrent": 4, "gpuNum": 1,
                             "requestTimeout": 600},
            "ports": [{"port": "8080"}],
            "policy": {"type": "queue", "value": 60},
            "image": {"image": "novitalabs/sd-webui:v1.10.1"},             # --command "" cleared it
            "volumeMounts": [{"type": "local", "size": 30, "mountPath": "/workspace"}],
            "envs": [{"key": "NEW", "value": "1"}],
            "healthy": {"path": "/health"}})
        got = self.ok_json("endpoints", "get", "seed-ep-0001")
        self.assertEqual(got["workerConfig"]["maxNum"], 5)
        self.assertEqual(got["image"]["command"], "")
        self.assertEqual(got["products"], [{"id": "4090.16c62g"}])               # untouched

    def test_update_keeps_network_volume_and_cluster(self):
        doc = self.ok_json("endpoints", "update", "seed-ep-0002", "--policy", "queue", "--policy-value", "9",
                           "--port", "9000")
        self.assertEqual(doc, {"ok": True, "id": "seed-ep-0002"})
        body = self.bodies("/endpoint/update")[0]
        self.assertEqual(body["volumeMounts"], [{"type": "network", "id": "d4e82677-3f80-4020-a731-d15b1c589aa8",
                                                 "mountPath": "/models"}])
        self.assertEqual(body["clusterID"], "1")
        self.assertEqual(body["image"], {"image": "vllm/vllm-openai:v0.6.3", "authId": "auth-7f3a",
                                         "command": "--model /models/llama-3-8b"})
        self.assertEqual(body["policy"], {"type": "queue", "value": 9})
        self.assertEqual(body["ports"], [{"port": "9000"}])
        self.assertEqual(body["envs"], [{"key": "HF_HOME", "value": "/models/hf"}])
        self.assertNotIn("endpoint_id", body)

    def test_update_sends_empty_lists(self):
        new_id = self.create()
        self.sim.hook("POST", "reset", {})  # log only
        self.ok("endpoints", "update", new_id, "--max", "3")
        self.assertEqual(self.bodies("/endpoint/update"), [{
            "id": new_id, "name": "web",
            "workerConfig": {"minNum": 0, "maxNum": 3, "freeTimeout": 60, "maxConcurrent": 1, "gpuNum": 1},
            "ports": [{"port": "8080"}],
            "policy": {"type": "queue", "value": 60},
            "image": {"image": "nginx:latest"},
            "volumeMounts": [],       # the update replaces everything: "none" is said explicitly
            "envs": [],
            "healthy": {"path": "/health"}}])

    def test_update_usage_errors_send_nothing(self):
        self.fails(2, "endpoints", "update", "--max", "3")                  # no id
        self.fails(2, "endpoints", "update", "seed-ep-0001")                # nothing to change
        self.fails(2, "endpoints", "update", "seed-ep-0001", "--product", "x")
        self.fails(2, "endpoints", "update", "seed-ep-0001", "--rootfs", "50")
        self.fails(2, "endpoints", "update", "seed-ep-0001", "--app-name", "x")
        self.fails(2, "endpoints", "update", "seed-ep-0001", "seed-ep-0002", "--max", "3")
        self.fails(2, "endpoints", "update", "seed-ep-0001", "--bogus")
        self.assertEqual(self.requests(), [])

    def test_update_not_found(self):
        p = self.fails(4, "endpoints", "update", "nope", "--max", "3")
        self.assert_one_error_line(p)
        self.assertEqual(self.requests("POST", "/endpoint/update"), [])

    # ---------------------------------------------------------------- delete

    def test_delete(self):
        new_id = self.create()
        p = self.ok("endpoints", "delete", new_id)
        self.assertEqual(p.stdout, "%s: deleted\n" % new_id)
        self.assertEqual(self.bodies("/endpoint/delete"), [{"name": new_id}])
        self.fails(4, "endpoints", "get", new_id)
        p = self.fails(4, "endpoints", "delete", new_id)
        self.assertIn("SERVERLESS_ENDPOINT_NOT_FOUND", p.stderr)
        self.assertEqual(self.ok_json("endpoints", "delete", "seed-ep-0002"), {"ok": True, "id": "seed-ep-0002"})
        self.fails(2, "endpoints", "delete")

    # ---------------------------------------------------------------- dispatch and help

    def test_call_is_forwarded(self):
        p = self.run_cli("endpoints", "call")
        self.assertNotIn("unknown command", p.stderr)

    def test_help_lists_commands(self):
        p = self.ok("--help", key=None)
        for text in ("endpoints list", "endpoints get ID", "endpoints limits", "endpoints create --name S",
                     "endpoints update ID", "endpoints delete ID"):
            self.assertIn(text, p.stdout)


if __name__ == "__main__":
    unittest.main()

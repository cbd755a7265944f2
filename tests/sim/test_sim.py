"""Tests of the Novita API simulator.  Run: python3 -m unittest tests/sim/test_sim.py -v"""

import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SIM = os.path.join(HERE, "novita_sim.py")
GPU = "/gpu-instance/openapi/v1"
BASIC = "/openapi/v1"
KEY = "sim-key"
STEP = 0.1


class Sim:
    """A simulator subprocess on an ephemeral port."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([sys.executable, SIM, "--port", "0"] + list(args),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.proc.kill()
            raise RuntimeError("simulator did not start: %r %s"
                               % (line, self.proc.stderr.read()))
        self.port = int(line.split()[1])
        self.base = "http://127.0.0.1:%d" % self.port

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=10)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()
        return rc

    def call(self, method, path, body=None, query=None, key=KEY, raw=None, headers=None):
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None
                                            else None)
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if key is not None:
            req.add_header("Authorization", "Bearer " + key)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")


class SimTestCase(unittest.TestCase):
    args = ("--step-ms", str(int(STEP * 1000)))

    @classmethod
    def setUpClass(cls):
        cls.sim = Sim(*cls.args)

    @classmethod
    def tearDownClass(cls):
        rc = cls.sim.stop()
        assert rc == 0, "simulator exit code %r" % rc

    def setUp(self):
        st, _ = self.sim.call("POST", "/__sim/reset", {"state": True}, key=None)
        self.assertEqual(st, 200)

    # helpers
    def get(self, path, **query):
        return self.sim.call("GET", path, query=query or None)

    def post(self, path, body):
        return self.sim.call("POST", path, body)

    def ok(self, result):
        st, body = result
        self.assertEqual(st, 200, body)
        return body

    def err(self, result, status, reason):
        st, body = result
        self.assertEqual(st, status, body)
        self.assertEqual(set(body), {"code", "reason", "message", "metadata"})
        self.assertEqual(body["code"], status)
        self.assertEqual(body["reason"], reason)
        self.assertEqual(body["metadata"], {})
        return body

    def inst(self, iid):
        return self.get(GPU + "/gpu/instance", instanceId=iid)

    def create(self, **over):
        body = {"productId": "4090.16c62g", "imageUrl": "ubuntu:22.04", "kind": "gpu",
                "gpuNum": 1, "rootfsSize": 20, "name": "t-inst"}
        body.update(over)
        return self.ok(self.post(GPU + "/gpu/instance/create", body))["id"]

    def watch(self, iid, final, timeout=5.0, cond=None):
        """Poll until status == final (and cond(inst)); return distinct statuses seen."""
        seen, deadline = [], time.time() + timeout
        while time.time() < deadline:
            st, d = self.inst(iid)
            status = d["status"] if st == 200 else "<gone>"
            if not seen or seen[-1] != status:
                seen.append(status)
            if status == final and (cond is None or cond(d)):
                return seen
            time.sleep(STEP / 5)
        self.fail("instance %s never reached %s; saw %s" % (iid, final, seen))


class CatalogTests(SimTestCase):
    def test_clusters(self):
        data = self.ok(self.get(GPU + "/clusters"))["data"]
        self.assertEqual([c["id"] for c in data], ["1", "5", "8", "12"])
        for c in data:
            self.assertIsInstance(c["name"], str)
            self.assertIsInstance(c["availableGpuType"], list)
            self.assertIsInstance(c["supportNetworkStorage"], bool)
            self.assertIsInstance(c["supportInstanceNetwork"], bool)

    def ids(self, **q):
        return [p["id"] for p in self.ok(self.get(GPU + "/products", **q))["data"]]

    def test_products_fields(self):
        data = self.ok(self.get(GPU + "/products"))["data"]
        self.assertEqual(len(data), 5)
        p = data[0]
        self.assertEqual(p["id"], "4090.16c62g")
        self.assertIsInstance(p["spotPrice"], str)
        self.assertIsInstance(p["price"], int)
        self.assertEqual(p["monthlyPrice"][0], {"price": 39000000, "month": 1})
        self.assertIn("EU-01", p["regions"])
        self.assertEqual(p["billingMethods"], ["onDemand", "monthly", "spot"])
        self.assertEqual(p["inventoryState"], "high")
        for q in data:
            self.assertFalse(any(k.startswith("_") for k in q))
        self.assertNotIn("spotPrice", data[3])              # optional field absent

    def test_products_filters(self):
        self.assertEqual(self.ids(clusterId="5"), ["4090.16c62g", "3090.16c92g", "l40s.16c80g"])
        self.assertEqual(self.ids(clusterId="nope"), [])
        self.assertEqual(self.ids(gpuNum=4), ["4090.16c62g", "3090.16c92g", "a100.12c120g",
                                              "h100.24c250g"])
        self.assertEqual(self.ids(productName="a100"), ["a100.12c120g"])
        self.assertEqual(self.ids(productName="rtx"), ["4090.16c62g", "3090.16c92g"])
        self.assertEqual(self.ids(minCpuPerGpu=20), ["h100.24c250g"])
        self.assertEqual(self.ids(minMemoryPerGpu=100), ["a100.12c120g", "h100.24c250g"])
        self.assertEqual(self.ids(minRootFSSize=900), ["a100.12c120g", "h100.24c250g"])
        self.assertEqual(self.ids(billingMethod="monthly"),
                         ["4090.16c62g", "a100.12c120g", "h100.24c250g"])
        self.assertEqual(self.ids(billingMethod="spot", clusterId="12"),
                         ["4090.16c62g", "l40s.16c80g"])
        self.err(self.get(GPU + "/products", gpuNum="x"), 400, "VALIDATOR_PARAM")
        self.err(self.get(GPU + "/products", billingMethod="yearly"), 400, "VALIDATOR_PARAM")

    def test_cpu_products(self):
        data = self.ok(self.get(GPU + "/cpu/products"))["data"]
        self.assertEqual([p["id"] for p in data], ["cpu.4c8g", "cpu.8c16g", "cpu.16c32g"])
        self.assertEqual(set(data[0]), {"id", "name", "cpuNum", "memorySize", "rootfsSize",
                                        "localVolumeSize", "availableDeploy", "price"})
        data = self.ok(self.get(GPU + "/cpu/products", clusterId="8"))["data"]
        self.assertEqual([p["id"] for p in data], ["cpu.8c16g", "cpu.16c32g"])
        data = self.ok(self.get(GPU + "/cpu/products", productName="16 cores"))["data"]
        self.assertEqual([p["id"] for p in data], ["cpu.16c32g"])


class ProtocolTests(SimTestCase):
    def test_auth(self):
        for key in (None, "wrong"):
            b = self.err(self.sim.call("GET", GPU + "/clusters", key=key), 401, "UNAUTHORIZED")
            self.assertEqual(b["message"], "invalid api key")
        self.err(self.sim.call("GET", BASIC + "/metrics/gpu/instance",
                               query={"instanceId": "seed-0001"}, key=None), 401,
                 "UNAUTHORIZED")

    def test_unknown_route(self):
        b = self.err(self.get(GPU + "/nope"), 404, "API_NOT_FOUND")
        self.assertEqual(b["message"], "api not found")
        # the seed SDK's wrong metrics paths do not exist
        self.err(self.get(GPU + "/instance/metrics", instance_id="seed-0001"), 404,
                 "API_NOT_FOUND")
        self.err(self.get(GPU + "/metrics/gpu/instance", instanceId="seed-0001"), 404,
                 "API_NOT_FOUND")
        self.err(self.sim.call("DELETE", GPU + "/gpu/instance"), 404, "API_NOT_FOUND")

    def test_malformed_json(self):
        self.err(self.sim.call("POST", GPU + "/gpu/instance/stop", raw=b"{bad"), 400,
                 "VALIDATOR_PARAM")
        self.err(self.sim.call("POST", GPU + "/gpu/instance/stop", raw=b"[1]"), 400,
                 "VALIDATOR_PARAM")

    def test_request_log(self):
        self.get(GPU + "/gpu/instances", pageSize=5, pageNum=1)
        self.post(GPU + "/gpu/instance/stop", {"instanceId": "seed-0001"})
        self.sim.call("GET", GPU + "/clusters", key="bad")
        log = self.ok(self.sim.call("GET", "/__sim/requests", key=None))
        self.assertEqual(len(log), 3)
        a, b, c = log
        self.assertEqual((a["method"], a["path"]), ("GET", GPU + "/gpu/instances"))
        self.assertEqual(a["query"], {"pageSize": "5", "pageNum": "1"})
        self.assertEqual(a["headers"]["authorization"], "Bearer sim-key")
        self.assertEqual(a["headers"]["content-type"], "application/json")
        self.assertIsNone(a["body"])
        self.assertEqual(a["raw_body"], "")
        self.assertEqual(b["body"], {"instanceId": "seed-0001"})
        self.assertEqual(json.loads(b["raw_body"]), {"instanceId": "seed-0001"})
        self.assertEqual(b["status"], 200)
        self.assertEqual(c["headers"]["authorization"], "Bearer bad")
        self.assertEqual(c["status"], 401)
        self.ok(self.sim.call("POST", "/__sim/reset", key=None))
        self.assertEqual(self.ok(self.sim.call("GET", "/__sim/requests", key=None)), [])

    def test_keep_alive_connection_count(self):
        self.ok(self.sim.call("POST", "/__sim/reset", key=None))
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        try:
            for _ in range(5):
                conn.request("GET", GPU + "/clusters",
                             headers={"Authorization": "Bearer " + KEY})
                r = conn.getresponse()
                self.assertEqual(r.status, 200)
                self.assertIsNotNone(r.getheader("Content-Length"))
                json.loads(r.read())
            conn.request("GET", "/__sim/connections")
            r = conn.getresponse()
            self.assertEqual(json.loads(r.read()), {"accepted": 1})
        finally:
            conn.close()
        st, body = self.sim.call("GET", "/__sim/connections", key=None)
        self.assertEqual(body, {"accepted": 2})

    def test_hooks(self):
        b = self.ok(self.sim.call("POST", "/__sim/seed", {"instances": 3}, key=None))
        self.assertEqual(b["ids"], ["seed-0003", "seed-0004", "seed-0005"])
        self.assertEqual(b["total"], 5)
        self.err(self.sim.call("POST", "/__sim/faults", {"nope": 1}, key=None), 400, "VALIDATOR_PARAM")
        self.err(self.sim.call("POST", "/__sim/faults", {"rate_limit": -1}, key=None), 400,
                 "VALIDATOR_PARAM")
        self.err(self.sim.call("GET", "/__sim/nope", key=None), 404, "API_NOT_FOUND")


class FaultTests(SimTestCase):
    """The fault switches of /__sim/faults (and their command-line defaults)."""

    def setUp(self):
        self.ok(self.sim.call("POST", "/__sim/reset", {"state": True}, key=None))

    def raw_exchange(self, conn, path):
        conn.request("GET", path, headers={"Authorization": "Bearer " + KEY})
        r = conn.getresponse()
        return r, r.read()

    def test_rate_limit_and_unavailable_count_down(self):
        f = self.ok(self.sim.call("POST", "/__sim/faults",
                                  {"rate_limit": 1, "unavailable": 1, "retry_after": "date:3",
                                   "path": GPU + "/clusters"}, key=None))
        self.assertEqual(f["rate_limit"], 1)
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        self.addCleanup(conn.close)
        r, _ = self.raw_exchange(conn, GPU + "/products")        # other paths unaffected
        self.assertEqual(r.status, 200)
        r, body = self.raw_exchange(conn, GPU + "/clusters")
        self.assertEqual(r.status, 429)
        self.assertEqual(json.loads(body)["reason"], "RATE_LIMIT_EXCEEDED")
        self.assertTrue(r.getheader("Retry-After").endswith(" GMT"))
        self.assertIsNotNone(r.getheader("Date"))
        r, body = self.raw_exchange(conn, GPU + "/clusters")
        self.assertEqual(r.status, 503)
        r, _ = self.raw_exchange(conn, GPU + "/clusters")
        self.assertEqual(r.status, 200)
        self.assertEqual(self.ok(self.sim.call("GET", "/__sim/faults", key=None))["unavailable"], 0)

    def test_unprocessed_create(self):
        self.ok(self.sim.call("POST", "/__sim/faults", {"unavailable": 1}, key=None))
        st, _ = self.sim.call("POST", GPU + "/gpu/instance/create",
                              {"productId": "4090.16c62g", "imageUrl": "nginx", "gpuNum": 1,
                               "rootfsSize": 10, "kind": "gpu"})
        self.assertEqual(st, 503)
        _, body = self.sim.call("GET", GPU + "/gpu/instances")
        self.assertEqual(body["total"], 2)   # the seeds only: the create was not processed

    def test_truncate_and_close_after(self):
        self.ok(self.sim.call("POST", "/__sim/faults", {"truncate": 1}, key=None))
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", GPU + "/clusters", headers={"Authorization": "Bearer " + KEY})
        r = conn.getresponse()
        with self.assertRaises(http.client.IncompleteRead):
            r.read()
        self.ok(self.sim.call("POST", "/__sim/faults", {"close_after": 2}, key=None))
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        self.addCleanup(conn.close)
        for _ in range(2):
            r, _ = self.raw_exchange(conn, GPU + "/clusters")
            self.assertEqual(r.status, 200)
            self.assertIsNone(r.getheader("Connection"))   # silent
        conn.sock.settimeout(5)
        self.assertEqual(conn.sock.recv(1), b"")           # the server closed it

    def test_delay_and_chunked(self):
        self.ok(self.sim.call("POST", "/__sim/faults", {"delay_ms": 300, "chunked": True}, key=None))
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        self.addCleanup(conn.close)
        t0 = time.monotonic()
        r, body = self.raw_exchange(conn, GPU + "/clusters")
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        self.assertEqual(r.getheader("Transfer-Encoding"), "chunked")
        self.assertIn("data", json.loads(body))
        # a state reset restores the command-line defaults (none here)
        self.ok(self.sim.call("POST", "/__sim/reset", {"state": True}, key=None))
        self.assertEqual(self.ok(self.sim.call("GET", "/__sim/faults", key=None))["delay_ms"], 0)


class FaultDefaultTests(SimTestCase):
    args = ("--unavailable", "1", "--retry-after", "2")

    def test_command_line_faults(self):
        st, body = self.sim.call("GET", GPU + "/clusters")
        self.assertEqual(st, 503)
        st, body = self.sim.call("GET", GPU + "/clusters")
        self.assertEqual(st, 200)


class InstanceTests(SimTestCase):
    def test_seed_and_get_shape(self):
        d = self.ok(self.inst("seed-0001"))
        self.assertEqual(d["status"], "running")
        self.assertEqual(d["productId"], "4090.16c62g")
        self.assertEqual(d["clusterId"], "1")
        for k in ("cpuNum", "memory", "gpuNum"):
            self.assertIsInstance(d[k], str)
        self.assertEqual((d["cpuNum"], d["memory"], d["gpuNum"]), ("16", "62", "1"))
        self.assertEqual(d["endTime"], "-1")
        self.assertEqual(d["spotStatus"], "")
        self.assertEqual(d["imageAuthId"], "")
        self.assertNotIn("statusError", d)
        self.assertEqual(d["someFutureField"], {"nested": [1, 2]})
        self.assertIs(d["futureFlag"], True)
        self.assertEqual(set(d["connectComponentSSH"]), {"sshCommand", "password", "isRunning"})
        self.assertEqual(set(d["connectComponentWebTerminal"]),
                         {"address", "username", "password", "isRunning"})
        self.assertEqual(set(d["connectComponentJupyter"]), {"port", "address", "isRunning"})
        self.assertEqual(set(d["connectComponentLog"]),
                         {"systemLogAddress", "instanceLogAddress", "isRunning"})
        self.assertTrue(all("endpoint" in p for p in d["portMappings"]))
        self.assertIsInstance(d["node"], list)
        d2 = self.ok(self.inst("seed-0002"))
        self.assertEqual((d2["status"], d2["billingMode"]), ("exited", "monthly"))
        self.assertNotEqual(d2["endTime"], "-1")
        self.assertEqual(d2["volumeMounts"][0]["size"], 100)           # number in get
        lst = self.ok(self.get(GPU + "/gpu/instances"))
        self.assertEqual(lst["total"], 2)
        item = [i for i in lst["instances"] if i["id"] == "seed-0002"][0]
        self.assertEqual(item["volumeMounts"][0]["size"], "100")       # string in list
        self.assertTrue(all("endpoint" not in p for p in item["portMappings"]))

    def test_get_missing(self):
        b = self.err(self.inst("nope"), 400, "RESOURCE_NOT_FOUND")
        self.assertEqual(b["message"], "instance not found")
        self.err(self.get(GPU + "/gpu/instance"), 400, "VALIDATOR_PARAM")

    def test_create_validation(self):
        p = GPU + "/gpu/instance/create"
        base = {"productId": "4090.16c62g", "imageUrl": "ubuntu", "kind": "gpu",
                "gpuNum": 1, "rootfsSize": 20}
        for drop in ("productId", "imageUrl", "kind", "gpuNum", "rootfsSize"):
            body = dict(base)
            del body[drop]
            b = self.err(self.post(p, body), 400, "VALIDATOR_PARAM")
            self.assertIn(drop, b["message"])
        self.err(self.post(p, dict(base, productId="nope")), 400, "VALIDATOR_PARAM")
        self.err(self.post(p, dict(base, gpuNum="1")), 400, "VALIDATOR_PARAM")
        self.err(self.post(p, dict(base, ports="2222/tcp")), 400, "VALIDATOR_PARAM")
        self.err(self.post(p, dict(base, productId="h100.24c250g")), 400,
                 "INSUFFICIENT_RESOURCE")
        self.err(self.post(p, dict(base, clusterId="8")), 400, "INSUFFICIENT_RESOURCE")
        # a CPU instance needs neither gpuNum nor rootfsSize
        b = self.ok(self.post(p, {"productId": "cpu.4c8g", "imageUrl": "ubuntu",
                                  "kind": "cpu"}))
        d = self.ok(self.inst(b["id"]))
        self.assertEqual((d["kind"], d["gpuNum"], d["cpuNum"]), ("cpu", "0", "4"))

    def test_lifecycle(self):
        iid = self.create(ports="8080/http, 3306/tcp", clusterId="5")
        self.assertEqual(len(iid), 16)
        d = self.ok(self.inst(iid))
        self.assertEqual(d["status"], "toCreate")
        self.assertEqual(d["clusterName"], "EU-01")
        self.assertEqual([(p["port"], p["type"]) for p in d["portMappings"]],
                         [(8080, "http"), (3306, "tcp")])
        self.assertEqual(self.watch(iid, "running"), ["toCreate", "pulling", "running"])
        d = self.ok(self.inst(iid))
        self.assertTrue(d["connectComponentSSH"]["isRunning"])
        self.assertNotEqual(d["lastStartedAt"], "0")

        self.assertEqual(self.ok(self.post(GPU + "/gpu/instance/stop", {"instanceId": iid})), {})
        self.assertEqual(self.watch(iid, "exited"), ["toStop", "stopping", "exited"])
        self.ok(self.post(GPU + "/gpu/instance/start", {"instanceId": iid}))
        self.assertEqual(self.watch(iid, "running"), ["starting", "running"])
        self.ok(self.post(GPU + "/gpu/instance/restart", {"instanceId": iid}))
        self.assertEqual(self.watch(iid, "running"), ["restarting", "running"])

        self.ok(self.post(GPU + "/gpu/instance/delete", {"instanceId": iid}))
        self.ok(self.post(GPU + "/gpu/instance/delete", {"instanceId": iid}))   # repeated
        self.assertEqual(self.watch(iid, "<gone>"),
                         ["toRemove", "removing", "removed", "<gone>"])
        b = self.err(self.inst(iid), 400, "RESOURCE_NOT_FOUND")
        self.assertEqual(b["message"], "instance not found")
        ids = [i["id"] for i in self.ok(self.get(GPU + "/gpu/instances"))["instances"]]
        self.assertNotIn(iid, ids)
        b = self.err(self.post(GPU + "/gpu/instance/start", {"instanceId": iid}), 400,
                     "RESOURCE_NOT_FOUND")
        self.assertEqual(b["message"], "instance not fount")
        b = self.err(self.post(GPU + "/gpu/instance/stop", {"instanceId": iid}), 400,
                     "RESOURCE_NOT_FOUND")
        self.assertEqual(b["message"], "instance not found")
        self.err(self.post(GPU + "/gpu/instance/delete", {"instanceId": iid}), 400,
                 "RESOURCE_NOT_FOUND")

    def test_timing(self):
        t0 = time.time()
        iid = self.create()
        self.watch(iid, "running")
        self.assertGreaterEqual(time.time() - t0, 2 * STEP * 0.9)

    def test_pull_failure(self):
        iid = self.create(imageUrl="example.com/will-fail:latest")
        self.watch(iid, "pulling", cond=lambda d: "statusError" in d)
        time.sleep(3 * STEP)
        d = self.ok(self.inst(iid))
        self.assertEqual(d["status"], "pulling")
        self.assertEqual(d["statusError"], {"state": "pullFailed",
                                            "message": "image pull failed"})

    def test_actions_on_removed_instance_during_delete(self):
        iid = self.create()
        self.ok(self.post(GPU + "/gpu/instance/delete", {"instanceId": iid}))
        self.err(self.post(GPU + "/gpu/instance/restart", {"instanceId": iid}), 400,
                 "RESOURCE_NOT_FOUND")

    def test_prepaid_delete_refused(self):
        self.err(self.post(GPU + "/gpu/instance/delete", {"instanceId": "seed-0002"}), 400,
                 "PREPAID_INSTANCE_NOT_SUPPORT_RELEASE")

    def test_list_paging_and_filters(self):
        self.ok(self.sim.call("POST", "/__sim/seed", {"instances": 23}, key=None))
        lst = self.ok(self.get(GPU + "/gpu/instances"))
        self.assertEqual(lst["total"], 25)
        self.assertEqual(len(lst["instances"]), 10)                      # default pageSize
        self.assertEqual(lst["instances"][0]["id"], "seed-0025")          # newest first
        seen = []
        for page in (1, 2, 3, 4):
            got = self.ok(self.get(GPU + "/gpu/instances", pageSize=10, pageNum=page))
            self.assertEqual(got["total"], 25)
            seen += [i["id"] for i in got["instances"]]
        self.assertEqual(seen, ["seed-%04d" % n for n in range(25, 0, -1)])
        p0 = self.ok(self.get(GPU + "/gpu/instances", pageSize=7, pageNum=0))
        p1 = self.ok(self.get(GPU + "/gpu/instances", pageSize=7, pageNum=1))
        self.assertEqual(p0, p1)
        byname = self.ok(self.get(GPU + "/gpu/instances", name="TRAIN", pageSize=100))
        self.assertEqual(byname["total"], 5)
        self.assertTrue(all("train" in i["name"] for i in byname["instances"]))
        byprod = self.ok(self.get(GPU + "/gpu/instances", productName="4090", pageSize=100))
        self.assertEqual(byprod["total"], 5)
        bystat = self.ok(self.get(GPU + "/gpu/instances", status="exited", pageSize=100))
        self.assertEqual(bystat["total"], 10)
        self.assertEqual(bystat["instances"][0]["status"], "exited")
        self.err(self.get(GPU + "/gpu/instances", pageSize="x"), 400, "VALIDATOR_PARAM")

    def test_edit_and_other_actions(self):
        p = GPU + "/gpu/instance/"
        self.assertEqual(self.ok(self.post(p + "edit", {
            "instanceId": "seed-0001", "ports": [{"port": 80, "type": "http"}],
            "expandRootDisk": 10})), {})
        d = self.ok(self.inst("seed-0001"))
        self.assertEqual([(x["port"], x["type"]) for x in d["portMappings"]], [(80, "http")])
        self.assertEqual(d["rootfsSize"], 70)
        self.err(self.post(p + "edit", {"instanceId": "seed-0001",
                                        "ports": [{"port": 2223, "type": "tcp"}]}),
                 400, "VALIDATOR_PARAM")

        self.ok(self.post(p + "migrate", {"instanceId": "seed-0001"}))
        self.assertEqual(self.watch("seed-0001", "running"), ["migrating", "running"])

        self.ok(self.post(p + "upgrade", {
            "instanceId": "seed-0001", "imageUrl": "ubuntu:24.04",
            "envs": [{"key": "A", "value": "1"}], "command": "sleep inf", "entrypoint": "",
            "save": True, "networkVolume": {"volumeMounts": []}}))
        self.assertEqual(self.watch("seed-0001", "running"), ["pulling", "running"])
        d = self.ok(self.inst("seed-0001"))
        self.assertEqual((d["imageUrl"], d["command"], d["envs"]),
                         ("ubuntu:24.04", "sleep inf", [{"key": "A", "value": "1"}]))

        end = int(self.ok(self.inst("seed-0002"))["endTime"])
        self.ok(self.post(p + "renewInstance", {"instanceId": "seed-0002", "month": 1}))
        self.assertEqual(int(self.ok(self.inst("seed-0002"))["endTime"]), end + 30 * 86400)
        self.err(self.post(p + "renewInstance", {"instanceId": "seed-0001", "month": 1}),
                 400, "UNSUPPORTED_BILLING_MODE")
        self.ok(self.post(p + "transToMonthlyInstance", {"instanceId": "seed-0001",
                                                         "month": 2}))
        d = self.ok(self.inst("seed-0001"))
        self.assertEqual(d["billingMode"], "monthly")
        self.assertGreater(int(d["endTime"]), time.time() + 59 * 86400)

        self.ok(self.post(p + "setAutoRenew", {"instanceIds": ["seed-0001", "seed-0002"],
                                               "autoRenew": True, "autoRenewMonth": 1}))
        self.err(self.post(p + "setAutoRenew", {"instanceIds": ["nope"], "autoRenew": True,
                                                "autoRenewMonth": 1}),
                 400, "RESOURCE_NOT_FOUND")
        self.err(self.post(p + "setAutoRenew", {"instanceIds": [], "autoRenew": True,
                                                "autoRenewMonth": 1}),
                 400, "VALIDATOR_PARAM")
        self.ok(self.post(p + "setAutoMigrate", {"instanceId": "seed-0001",
                                                 "autoMigrateOpen": True,
                                                 "autoMigrateSystemDisk": False}))
        self.assertIs(self.ok(self.inst("seed-0001"))["autoMigrateOpen"], True)
        self.err(self.post(p + "setAutoMigrate", {"instanceId": "seed-0001"}), 400,
                 "VALIDATOR_PARAM")

    def test_reset_state(self):
        self.create()
        self.assertEqual(self.ok(self.get(GPU + "/gpu/instances"))["total"], 3)
        self.ok(self.sim.call("POST", "/__sim/reset", {"state": True}, key=None))
        self.assertEqual(self.ok(self.get(GPU + "/gpu/instances"))["total"], 2)


class MetricsTests(SimTestCase):
    def test_metrics(self):
        m = self.ok(self.get(BASIC + "/metrics/gpu/instance", instanceId="seed-0001",
                             startTime=1000, endTime=1120, interval=30))
        self.assertEqual(set(m), {"cpuUtilization", "memUtilization", "rootDiskUtilization",
                                  "gpuUtilization", "gpuMemUtilization"})
        self.assertEqual([p["timestamp"] for p in m["cpuUtilization"]],
                         ["1000", "1030", "1060", "1090", "1120"])
        self.assertTrue(all(isinstance(p["value"], float) for p in m["memUtilization"]))
        g = m["gpuUtilization"]
        self.assertEqual(len(g["avg"]), 5)
        self.assertEqual(g["gpuIds"][0]["gpuId"], "0")
        self.assertEqual(len(g["gpuIds"][0]["items"]), 5)
        # defaults: the last minute at 15 s
        m = self.ok(self.get(BASIC + "/metrics/gpu/instance", instanceId="seed-0001"))
        self.assertEqual(len(m["cpuUtilization"]), 5)
        # exited instance: zeros; 2 GPUs
        m = self.ok(self.get(BASIC + "/metrics/gpu/instance", instanceId="seed-0002"))
        self.assertEqual(len(m["gpuMemUtilization"]["gpuIds"]), 2)
        self.assertTrue(all(p["value"] == 0.0 for p in m["cpuUtilization"]))

    def test_metrics_errors(self):
        self.err(self.get(BASIC + "/metrics/gpu/instance", instanceId="nope"), 400,
                 "RESOURCE_NOT_FOUND")
        self.err(self.get(BASIC + "/metrics/gpu/instance"), 400, "VALIDATOR_PARAM")


class ChunkedTests(SimTestCase):
    args = ("--chunked", "--seed-instances", "0")

    def test_chunked_responses(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        try:
            for _ in range(2):
                conn.request("GET", GPU + "/products",
                             headers={"Authorization": "Bearer " + KEY})
                r = conn.getresponse()
                self.assertEqual(r.getheader("Transfer-Encoding"), "chunked")
                self.assertIsNone(r.getheader("Content-Length"))
                self.assertEqual(len(json.loads(r.read())["data"]), 5)
        finally:
            conn.close()
        self.assertEqual(self.ok(self.get(GPU + "/gpu/instances")),
                         {"instances": [], "total": 0})


class CliTests(unittest.TestCase):
    def test_help(self):
        out = subprocess.run([sys.executable, SIM, "--help"], capture_output=True, text=True,
                             timeout=30)
        self.assertEqual(out.returncode, 0)
        for flag in ("--port", "--port-file", "--api-key", "--step-ms", "--seed-instances",
                     "--chunked", "--tls-cert", "--tls-key", "--verbose"):
            self.assertIn(flag, out.stdout)

    def test_port_file_api_key_and_sigint(self):
        tmp = tempfile.mkdtemp()
        try:
            pf = os.path.join(tmp, "port")
            sim = Sim("--port-file", pf, "--api-key", "k2")
            with open(pf) as f:
                self.assertEqual(int(f.read()), sim.port)
            self.assertEqual(sim.call("GET", GPU + "/clusters", key="k2")[0], 200)
            self.assertEqual(sim.call("GET", GPU + "/clusters")[0], 401)
            sim.proc.send_signal(signal.SIGINT)
            self.assertEqual(sim.proc.wait(timeout=10), 0)
            sim.proc.stdout.close()
            sim.proc.stderr.close()
            self.assertFalse(os.path.exists(pf))
        finally:
            shutil.rmtree(tmp)

    @unittest.skipUnless(shutil.which("openssl"), "openssl not installed")
    def test_tls(self):
        tmp = tempfile.mkdtemp()
        try:
            crt, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                            "-out", crt, "-days", "1", "-subj", "/CN=localhost"],
                           check=True, capture_output=True, timeout=60)
            sim = Sim("--tls-cert", crt, "--tls-key", key)
            try:
                ctx = ssl.create_default_context(cafile=crt)
                ctx.check_hostname = False
                conn = http.client.HTTPSConnection("127.0.0.1", sim.port, context=ctx,
                                                   timeout=10)
                for _ in range(2):
                    conn.request("GET", GPU + "/clusters",
                                 headers={"Authorization": "Bearer " + KEY})
                    r = conn.getresponse()
                    self.assertEqual(r.status, 200)
                    json.loads(r.read())
                conn.request("GET", "/__sim/connections")
                self.assertEqual(json.loads(conn.getresponse().read()), {"accepted": 1})
                conn.close()
            finally:
                self.assertEqual(sim.stop(), 0)
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()

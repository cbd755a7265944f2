"""CLI tests of `novita storage ...` and `novita networks ...` against the simulator.

Run:  NOVITA_CLI=build/novita python3 tests/cli/test_cli_storage.py -v
"""
import http.client
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_support import GPU, KEY, CliCase  # noqa: E402

SEED_STORAGE_1 = "d4e82677-3f80-4020-a731-d15b1c589aa8"   # mounted by seed instance seed-0002
SEED_STORAGE_2 = "082383c6-bc28-4bfa-a3b3-b6d6511bdf64"
SEED_NETWORK_1 = "9dzcf4k3b7m2q8xa"
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
STORAGE_KEYS = ["storageId", "storageName", "storageSize", "clusterId", "clusterName", "price"]
NETWORK_KEYS = ["Id", "user", "name", "state", "segment", "clusterId", "Addresses", "createTime"]


class Case(CliCase):
    def setUp(self):
        self.sim.hook("POST", "reset", {"state": True})

    def api(self, method, path, body=None):
        """Call the simulated API directly (to seed many items quickly); returns the parsed body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        try:
            conn.request(method, GPU + path, body=None if body is None else json.dumps(body),
                         headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            self.assertEqual(resp.status, 200, data)
            return json.loads(data) if data else None
        finally:
            conn.close()

    def bodies(self, method, path):
        return [r["body"] if method == "POST" else r["query"] for r in self.requests(method, GPU + path)
                if r["path"] == GPU + path]


class StorageCli(Case):
    def test_list_table_and_json(self):
        p = self.ok("storage", "list")
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "NAME", "SIZE", "CLUSTER", "PRICE"])
        self.assertIn(SEED_STORAGE_1, lines[1])
        self.assertIn("10 GB", lines[1])
        self.assertIn("EU-01 (5)", lines[1])
        self.assertTrue(lines[1].rstrip().endswith("100"))
        self.assertEqual(len(lines), 3)
        doc = self.ok_json("storage", "list")
        self.assertEqual(doc["total"], 2)
        self.assertEqual(list(doc["items"][0]), STORAGE_KEYS)
        self.assertEqual(doc["items"][0], {"storageId": SEED_STORAGE_1, "storageName": "123", "storageSize": 10,
                                           "clusterId": "5", "clusterName": "EU-01", "price": "100"})
        self.assertEqual(self.bodies("GET", "/networkstorages/list"), [{}, {}])

    def test_list_filters_and_paging(self):
        doc = self.ok_json("storage", "list", "--name", "DATA", "--id", SEED_STORAGE_2)
        self.assertEqual([i["storageName"] for i in doc["items"]], ["datasets"])
        p = self.ok("storage", "list", "--page", "2", "--page-size", "1")
        self.assertIn(SEED_STORAGE_2, p.stdout)
        self.assertNotIn(SEED_STORAGE_1, p.stdout)
        self.assertIn("(1 of 2 storages; see --page, --page-size, --all)", p.stdout)
        self.assertEqual(self.bodies("GET", "/networkstorages/list"),
                         [{"storageName": "DATA", "storageId": SEED_STORAGE_2},
                          {"pageNo": "2", "pageSize": "1"}])

    def test_list_all_walks_every_page(self):
        for k in range(105):
            self.api("POST", "/networkstorage/create", {"clusterId": "1", "storageName": "bulk-%03d" % k,
                                                        "storageSize": 10})
        self.sim.hook("POST", "reset", {})          # log only
        doc = self.ok_json("storage", "list", "--all")
        self.assertEqual(doc["total"], 107)
        ids = [i["storageId"] for i in doc["items"]]
        self.assertEqual(len(ids), 107)
        self.assertEqual(len(set(ids)), 107)
        # pageNo from 0; the 1-based simulator repeats page 1 for page 0 (skipped by the walk).
        self.assertEqual(self.bodies("GET", "/networkstorages/list"),
                         [{"pageNo": str(k), "pageSize": "100"} for k in range(3)])
        self.assertEqual(self.sim.hook("GET", "connections")["accepted"], 1)
        p = self.ok("storage", "list", "--all")
        self.assertEqual(len(p.stdout.splitlines()), 108)   # header + every storage, no "of" hint

    def test_create(self):
        p = self.ok("storage", "create", "--cluster", "1", "--name", "vol-a", "--size", "20")
        new_id = p.stdout.strip()
        self.assertRegex(new_id, UUID)
        doc = self.ok_json("storage", "create", "--cluster", "5", "--name", "vol-b", "--size", "10")
        self.assertEqual(list(doc), ["id"])
        self.assertRegex(doc["id"], UUID)
        self.assertEqual(self.bodies("POST", "/networkstorage/create"),
                         [{"clusterId": "1", "storageName": "vol-a", "storageSize": 20},
                          {"clusterId": "5", "storageName": "vol-b", "storageSize": 10}])
        listed = self.ok_json("storage", "list", "--id", new_id)
        self.assertEqual(listed["items"][0]["storageSize"], 20)
        self.assertEqual(listed["items"][0]["clusterName"], "US-01 (Dallas)")

    def test_create_refused_by_the_api(self):
        p = self.fails(1, "storage", "create", "--cluster", "8", "--name", "x", "--size", "10")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 CUR_CLUSTER_NETWORK_STORAGE_NOT_SUPPORT", p.stderr)
        self.assertEqual(p.stdout, "")
        p = self.fails(1, "storage", "create", "--cluster", "1", "--name", "x", "--size", "20000")
        self.assertIn("NETWORK_STORAGE_TOO_LARGE", p.stderr)

    def test_update(self):
        p = self.ok("storage", "update", SEED_STORAGE_2, "--name", "renamed", "--size", "600")
        self.assertEqual(p.stdout, SEED_STORAGE_2 + ": updated\n")
        doc = self.ok_json("storage", "update", SEED_STORAGE_2, "--size", "700")      # name kept
        self.assertEqual(doc, {"ok": True, "id": SEED_STORAGE_2})
        self.ok("storage", "update", SEED_STORAGE_2, "--name", "again")              # size kept
        self.assertEqual(self.bodies("POST", "/networkstorage/update"), [
            {"storageId": SEED_STORAGE_2, "storageName": "renamed", "storageSize": 600},
            {"storageId": SEED_STORAGE_2, "storageName": "renamed", "storageSize": 700},
            {"storageId": SEED_STORAGE_2, "storageName": "again", "storageSize": 700}])
        # The missing value came from the list's storageId filter.
        self.assertIn({"storageId": SEED_STORAGE_2}, self.bodies("GET", "/networkstorages/list"))
        item = self.ok_json("storage", "list", "--id", SEED_STORAGE_2)["items"][0]
        self.assertEqual((item["storageName"], item["storageSize"], item["price"]), ("again", 700, "7000"))

    def test_update_errors(self):
        p = self.fails(1, "storage", "update", SEED_STORAGE_2, "--size", "100")      # cannot shrink
        self.assertIn("HTTP 400 VALIDATOR_PARAM", p.stderr)
        p = self.fails(4, "storage", "update", "no-such-storage", "--size", "20")
        self.assert_one_error_line(p)
        self.assertIn("no network storage with id no-such-storage", p.stderr)
        self.assertEqual(self.bodies("POST", "/networkstorage/update"), [
            {"storageId": SEED_STORAGE_2, "storageName": "datasets", "storageSize": 100}])
        p = self.fails(4, "storage", "update", "no-such-storage", "--size", "20", "--name", "x")
        self.assertIn("HTTP 400 NETWORK_STORAGE_NOT_FOUND", p.stderr)

    def test_delete(self):
        new_id = self.ok("storage", "create", "--cluster", "1", "--name", "tmp", "--size", "10").stdout.strip()
        p = self.ok("storage", "delete", new_id)
        self.assertEqual(p.stdout, new_id + ": deleted\n")
        self.assertEqual(self.bodies("POST", "/networkstorage/delete"), [{"storageId": new_id}])
        p = self.fails(4, "storage", "delete", new_id)
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 NETWORK_STORAGE_NOT_FOUND", p.stderr)
        p = self.fails(1, "--json", "storage", "delete", SEED_STORAGE_1)
        self.assertIn("NETWORK_STORAGE_IN_USE", p.stderr)
        self.assertEqual(p.stdout, "")
        doc = self.ok_json("storage", "delete", SEED_STORAGE_2)
        self.assertEqual(doc, {"ok": True, "id": SEED_STORAGE_2})

    def test_usage_errors(self):
        self.sim.hook("POST", "reset", {})
        for args in (("storage",), ("storage", "bogus"), ("storage", "list", "--all", "--page", "2"),
                     ("storage", "list", "--page-size", "0"), ("storage", "list", "extra"),
                     ("storage", "create", "--cluster", "1", "--name", "x"),
                     ("storage", "create", "--cluster", "1", "--size", "10"),
                     ("storage", "create", "--name", "x", "--size", "10"),
                     ("storage", "create", "--cluster", "1", "--name", "x", "--size", "ten"),
                     ("storage", "update", SEED_STORAGE_2), ("storage", "update", "--size", "20"),
                     ("storage", "update", SEED_STORAGE_2, "--name", "", "--size", "20"),
                     ("storage", "delete"), ("storage", "delete", "a", "b"), ("storage", "delete", "--bogus")):
            p = self.fails(2, *args)
            self.assertIn("Try 'novita --help'", p.stderr)
        self.assertEqual(self.requests(), [])

    def test_help_lists_both_groups(self):
        p = self.ok("--help")
        for line in ("storage list [--name S] [--id ID] [--page N] [--page-size N | --all]",
                     "storage create --cluster ID --name S --size GB", "storage update ID", "storage delete ID",
                     "networks list [--name S] [--page N] [--page-size N | --all]", "networks get ID",
                     "networks create --cluster ID [--name S]", "networks update ID --name S",
                     "networks delete ID"):
            self.assertIn(line, p.stdout)


class NetworksCli(Case):
    def test_list_table_and_json(self):
        p = self.ok("networks", "list")
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "NAME", "STATE", "SEGMENT", "CLUSTER", "INSTANCES", "CREATED"])
        self.assertEqual(lines[1].split()[:6], [SEED_NETWORK_1, "default-vpc", "ready", "10.0.0.0/24", "1", "0"])
        self.assertIn("2024-06-03 08:00:00 UTC", lines[1])
        self.assertEqual(len(lines), 4)
        # No pageNum: the docs' shape ("network", total "3", state object[]) ...
        doc = self.ok_json("networks", "list")
        self.assertEqual(doc["total"], 3)
        self.assertEqual(list(doc["items"][0]), NETWORK_KEYS)
        self.assertEqual(doc["items"][0]["state"], {"state": "ready", "error": ""})
        self.assertEqual(doc["items"][0]["createTime"], 1717401600)
        # ... and an odd pageNum: the live shape ("networks", total 3): the same networks either way.
        live = self.ok_json("networks", "list", "--page", "1", "--page-size", "2")
        self.assertEqual(live["total"], 3)
        self.assertEqual(live["items"], doc["items"][:2])
        self.assertEqual(self.bodies("GET", "/networks"), [{}, {}, {"pageNum": "1", "pageSize": "2"}])

    def test_list_name_filter_and_hint(self):
        doc = self.ok_json("networks", "list", "--name", "TEAM")
        self.assertEqual([n["name"] for n in doc["items"]], ["team-shared"])
        p = self.ok("networks", "list", "--page-size", "1")
        self.assertIn("(1 of 3 networks; see --page, --page-size, --all)", p.stdout)

    def test_list_all_walks_every_page(self):
        for k in range(101):
            self.api("POST", "/network/create", {"clusterId": "1", "name": "bulk-%03d" % k})
        self.sim.hook("POST", "reset", {})
        doc = self.ok_json("networks", "list", "--all")
        self.assertEqual(doc["total"], 104)
        self.assertEqual(len({n["Id"] for n in doc["items"]}), 104)
        self.assertEqual(self.bodies("GET", "/networks"), [{"pageNum": str(k), "pageSize": "100"} for k in range(3)])

    def test_get(self):
        p = self.ok("networks", "get", SEED_NETWORK_1)
        self.assertIn("id:              " + SEED_NETWORK_1, p.stdout)
        self.assertIn("name:            default-vpc", p.stdout)
        self.assertIn("segment:         10.0.0.0/24", p.stdout)
        self.assertIn("user:            u7k2m9x4p1q8w3e6", p.stdout)
        doc = self.ok_json("networks", "get", SEED_NETWORK_1)
        self.assertEqual(list(doc), NETWORK_KEYS)
        self.assertEqual(doc["Id"], SEED_NETWORK_1)
        self.assertEqual(self.bodies("GET", "/network"), [{"networkId": SEED_NETWORK_1}] * 2)
        p = self.fails(4, "networks", "get", "no-such-network")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 NETWORK_NOT_FOUND", p.stderr)

    def test_create_with_and_without_an_id_in_the_response(self):
        # The simulator alternates: 1st create {"network":[...]} (docs), 2nd {} (live API per the seed SDK).
        p = self.ok("networks", "create", "--cluster", "1", "--name", "net-a")
        new_id = p.stdout.strip()
        self.assertRegex(new_id, r"^[a-z0-9]{16}$")
        self.assertEqual(self.ok_json("networks", "get", new_id)["name"], "net-a")
        p = self.ok("networks", "create", "--cluster", "8", "--name", "net-b")
        self.assertEqual(p.stdout, "")
        self.assertIn("returned no id", p.stderr)
        self.assertIn("'novita networks list --name net-b'", p.stderr)
        listed = self.ok_json("networks", "list", "--name", "net-b")
        self.assertEqual([n["clusterId"] for n in listed["items"]], ["8"])
        doc = self.ok_json("networks", "create", "--cluster", "1")
        self.assertEqual(list(doc), NETWORK_KEYS)
        self.assertRegex(doc["Id"], r"^[a-z0-9]{16}$")
        self.assertEqual(doc["state"]["state"], "creating")
        doc = self.ok_json("networks", "create", "--cluster", "1", "--name", "net-d")   # what is known
        self.assertEqual((doc["Id"], doc["name"], doc["clusterId"]), ("", "net-d", "1"))
        self.assertEqual(self.bodies("POST", "/network/create"),
                         [{"clusterId": "1", "name": "net-a"}, {"clusterId": "8", "name": "net-b"},
                          {"clusterId": "1"}, {"clusterId": "1", "name": "net-d"}])
        p = self.fails(1, "networks", "create", "--cluster", "5", "--name", "x")       # no VPC in cluster 5
        self.assertIn("HTTP 400 VALIDATOR_PARAM", p.stderr)

    def test_update_and_delete(self):
        p = self.ok("networks", "update", SEED_NETWORK_1, "--name", "renamed")
        self.assertEqual(p.stdout, SEED_NETWORK_1 + ": updated\n")
        self.assertEqual(self.ok_json("networks", "get", SEED_NETWORK_1)["name"], "renamed")
        doc = self.ok_json("networks", "delete", SEED_NETWORK_1)
        self.assertEqual(doc, {"ok": True, "id": SEED_NETWORK_1})
        self.assertEqual(self.bodies("POST", "/network/update"), [{"networkId": SEED_NETWORK_1, "name": "renamed"}])
        self.assertEqual(self.bodies("POST", "/network/delete"), [{"networkId": SEED_NETWORK_1}])
        self.fails(4, "networks", "get", SEED_NETWORK_1)
        p = self.fails(4, "networks", "delete", SEED_NETWORK_1)
        self.assertIn("HTTP 400 NETWORK_NOT_FOUND", p.stderr)
        self.fails(4, "networks", "update", SEED_NETWORK_1, "--name", "x")

    def test_members_and_in_use(self):
        inst = self.api("POST", "/gpu/instance/create", {"productId": "4090.16c62g", "imageUrl": "nginx:latest",
                                                          "kind": "gpu", "gpuNum": 1, "rootfsSize": 10,
                                                          "clusterId": "1", "networkId": SEED_NETWORK_1})["id"]
        p = self.ok("networks", "get", SEED_NETWORK_1)
        self.assertRegex(p.stdout, r"instances:\s+%s 10\.0\.0\.\d+" % inst)
        self.assertEqual(self.ok_json("networks", "get", SEED_NETWORK_1)["Addresses"][0]["Id"], inst)
        p = self.fails(1, "networks", "delete", SEED_NETWORK_1)
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 NETWORK_IN_USE", p.stderr)

    def test_usage_errors(self):
        self.sim.hook("POST", "reset", {})
        for args in (("networks",), ("networks", "bogus"), ("networks", "get"), ("networks", "get", "a", "b"),
                     ("networks", "list", "--all", "--page-size", "5"), ("networks", "list", "--id", "x"),
                     ("networks", "create"), ("networks", "create", "--name", "x"),
                     ("networks", "update", SEED_NETWORK_1), ("networks", "update", "--name", "x"),
                     ("networks", "delete")):
            p = self.fails(2, *args)
            self.assertIn("Try 'novita --help'", p.stderr)
        self.assertEqual(self.requests(), [])
        self.assertTrue(re.search(r"networks get ID", self.ok("networks", "get", "--help").stdout))


if __name__ == "__main__":
    unittest.main()

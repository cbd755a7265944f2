"""CLI tests of `novita jobs`, `novita images save` and `novita prewarm` against the API simulator.

Run:  NOVITA_CLI=build/novita python3 tests/cli/test_cli_jobs.py -v
"""
import http.client
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_support import GPU, KEY, CliCase  # noqa: E402

RUNNING_JOB = "2b7kq0c1m5x8d3fa"   # the simulator's seeded running job
SEED_JOBS = ["4d9ms2e3o7z0f5hc", "3c8lr1d2n6y9e4gb", RUNNING_JOB, "10wi9visv0rqt57w"]  # newest first
SEED_TASKS = ["q8w2e4r6t8y0u1i3", "fexahnwdp4l1ajva", "nzd5nyi4keefsv2d"]
ID_RE = r"^[a-z0-9]{16}$"


class JobsCli(CliCase):
    def setUp(self):
        self.sim.hook("POST", "reset", {"state": True})

    # ---------------------------------------------------------------- helpers

    def api_post_many(self, path, bodies):
        """POST each body straight to the simulator (to build long lists quickly); returns the answers."""
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        out = []
        try:
            for body in bodies:
                conn.request("POST", GPU + path, body=json.dumps(body),
                             headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
                resp = conn.getresponse()
                out.append(json.loads(resp.read()))
                self.assertEqual(resp.status, 200, out[-1])
        finally:
            conn.close()
        return out

    def api_get(self, path_and_query):
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        try:
            conn.request("GET", GPU + path_and_query, headers={"Authorization": "Bearer " + KEY})
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def wait_job_done(self, job_id):
        """Until the job reached its final state, so no state changes while a walk pages through the list
        (a walk recognises a repeated page by its first element)."""
        for _ in range(200):
            if self.api_get("/jobs?jobId=" + job_id)["jobs"][0]["state"]["state"] == "success":
                return
            time.sleep(0.05)
        self.fail("job %s did not finish" % job_id)

    def only_request(self, method, suffix):
        reqs = self.requests(method, suffix)
        self.assertEqual(len(reqs), 1, reqs)
        return reqs[0]

    def clear_log(self):
        self.sim.hook("POST", "reset", {})

    # ---------------------------------------------------------------- help and usage

    def test_help_lists_the_commands(self):
        out = self.ok("--help").stdout
        for words in ("jobs list [--type saveImage|instanceMigrate|autoInstanceMigrate]", "jobs break ID",
                      "images save INSTANCE_ID --image REF [--registry-auth ID]", "prewarm list", "prewarm quota",
                      "prewarm create --image URL --cluster ID", "prewarm edit ID --note S", "prewarm delete ID..."):
            self.assertIn(words, out)

    def test_usage_errors_exit_2_and_send_nothing(self):
        self.clear_log()
        for args in (("jobs",), ("jobs", "bogus"), ("jobs", "list", "--type", "upload"),
                     ("jobs", "list", "--all", "--page", "2"), ("jobs", "list", "--all", "--page-size", "5"),
                     ("jobs", "list", "--page", "zero"), ("jobs", "list", "extra"),
                     ("jobs", "break"), ("jobs", "break", "a", "b"), ("jobs", "break", "--force", "a"),
                     ("images",), ("images", "push", "seed-0001"),
                     ("images", "save", "seed-0001"), ("images", "save", "--image", "r/x:1"),
                     ("images", "save", "a", "b", "--image", "r/x:1"),
                     ("prewarm",), ("prewarm", "bogus"), ("prewarm", "quota", "extra"),
                     ("prewarm", "list", "--all", "--page", "1"),
                     ("prewarm", "create", "--cluster", "1"), ("prewarm", "create", "--image", "nginx"),
                     ("prewarm", "create", "--image", "nginx", "--cluster", "1", "--product"),
                     ("prewarm", "edit", "nzd5nyi4keefsv2d"), ("prewarm", "edit", "--note", "x"),
                     ("prewarm", "delete"), ("prewarm", "delete", "--all")):
            with self.subTest(args=args):
                self.fails(2, *args)
        self.assertEqual(self.requests(), [])

    # ---------------------------------------------------------------- jobs

    def test_jobs_list_table(self):
        out = self.ok("jobs", "list").stdout
        lines = out.splitlines()
        self.assertEqual(lines[0].split()[:3], ["ID", "TYPE", "STATE"])
        self.assertEqual([line.split()[0] for line in lines[1:]], SEED_JOBS)
        # The failure detail, whether the API spells it errorMessage or message.
        self.assertIn("no node with enough free GPUs in the cluster", out)
        self.assertIn("unauthorized: authentication required", out)
        self.assertEqual(self.only_request("GET", "/jobs")["query"], {})

    def test_jobs_list_json_uses_the_api_keys(self):
        doc = self.ok_json("jobs", "list", "--state", "fail")
        self.assertEqual(doc["total"], 2)
        first, second = doc["items"]
        self.assertEqual(set(first), {"Id", "user", "type", "envs", "state", "logAddress", "createdAt",
                                      "instanceId"})
        self.assertEqual(first["Id"], "4d9ms2e3o7z0f5hc")
        self.assertEqual(first["state"], {"state": "fail", "error": "pushFailed",
                                          "errorMessage": "unauthorized: authentication required"})
        self.assertEqual(first["envs"], [{"key": "IMAGE_PUSH_RETRY", "value": "3"}])
        self.assertGreater(first["createdAt"], 1000000000)
        self.assertEqual(second["state"]["errorMessage"], "no node with enough free GPUs in the cluster")

    def test_jobs_list_filters_and_paging(self):
        self.clear_log()
        out = self.ok("jobs", "list", "--type", "saveImage", "--state", "fail", "--id", "4d9ms2e3o7z0f5hc",
                      "--page", "1", "--page-size", "5").stdout
        self.assertIn("4d9ms2e3o7z0f5hc", out)
        self.assertEqual(self.only_request("GET", "/jobs")["query"],
                         {"type": "saveImage", "state": "fail", "jobId": "4d9ms2e3o7z0f5hc", "pageNum": "1",
                          "pageSize": "5"})
        out = self.ok("jobs", "list", "--page-size", "2").stdout
        self.assertIn("(2 of 4 jobs; see --page, --page-size, --all)", out)

    def test_jobs_list_all_walks_every_page_on_one_connection(self):
        answers = self.api_post_many("/job/save/image", [{"instanceId": "seed-0001", "image": "r/page:%d" % i}
                                                         for i in range(40)])
        created = {a["jobId"] for a in answers}
        self.wait_job_done(answers[-1]["jobId"])
        self.clear_log()
        doc = self.ok_json("jobs", "list", "--all")
        ids = [item["Id"] for item in doc["items"]]
        self.assertEqual(doc["total"], 44)
        self.assertEqual(len(ids), 44)
        self.assertEqual(len(set(ids)), 44)
        self.assertTrue(created <= set(ids))
        pages = [r["query"] for r in self.requests("GET", "/jobs")]
        self.assertGreaterEqual(len(pages), 3)
        self.assertTrue(all(q["pageSize"] == "20" for q in pages), pages)
        self.assertEqual(self.sim.hook("GET", "connections")["accepted"], 1)
        out = self.ok("jobs", "list", "--all").stdout
        self.assertEqual(len(out.splitlines()), 45)
        self.assertNotIn("see --page", out)

    def test_jobs_break(self):
        self.clear_log()
        p = self.ok("jobs", "break", RUNNING_JOB)
        self.assertEqual(p.stdout, RUNNING_JOB + ": break requested\n")
        self.assertEqual(self.only_request("POST", "/job/break")["body"], {"jobId": RUNNING_JOB})
        doc = self.ok_json("jobs", "list", "--id", RUNNING_JOB)
        self.assertEqual(doc["items"][0]["state"]["state"], "break")
        p = self.fails(1, "jobs", "break", RUNNING_JOB)          # no longer running: an API error
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 VALIDATOR_PARAM", p.stderr)
        p = self.fails(4, "jobs", "break", "nosuchjob")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 JOB_NOT_FOUND", p.stderr)
        self.assertEqual(p.stdout, "")

    def test_jobs_break_json(self):
        doc = self.ok_json("jobs", "break", RUNNING_JOB)
        self.assertEqual(doc, {"ok": True, "id": RUNNING_JOB})

    # ---------------------------------------------------------------- images save

    def test_images_save(self):
        self.clear_log()
        p = self.ok("images", "save", "seed-0001", "--image", "registry.example.com/team/web:v2",
                    "--registry-auth", "ra-sim-0001")
        job_id = p.stdout.strip()
        self.assertRegex(job_id, ID_RE)
        self.assertEqual(self.only_request("POST", "/job/save/image")["body"],
                         {"instanceId": "seed-0001", "image": "registry.example.com/team/web:v2",
                          "registryAuthId": "ra-sim-0001"})
        doc = self.ok_json("jobs", "list", "--id", job_id)
        self.assertEqual(doc["items"][0]["type"], "saveImage")
        self.assertEqual(doc["items"][0]["instanceId"], "seed-0001")

    def test_images_save_json_and_not_found(self):
        self.clear_log()
        doc = self.ok_json("images", "save", "seed-0002", "--image", "r/x:1")
        self.assertEqual(list(doc), ["jobId"])
        self.assertRegex(doc["jobId"], ID_RE)
        self.assertEqual(self.requests("POST", "/job/save/image")[0]["body"],
                         {"instanceId": "seed-0002", "image": "r/x:1"})
        p = self.fails(4, "images", "save", "nosuchinstance", "--image", "r/x:1")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 RESOURCE_NOT_FOUND", p.stderr)

    # ---------------------------------------------------------------- prewarm

    def test_prewarm_list_table(self):
        out = self.ok("prewarm", "list").stdout
        lines = out.splitlines()
        self.assertEqual(lines[0].split()[:3], ["ID", "IMAGE", "STATE"])
        self.assertEqual([line.split()[0] for line in lines[1:]], SEED_TASKS)
        self.assertIn("Succeeded", out)
        self.assertIn("6.8 GB", out)          # imageSize "6762128493" (a string on the wire)
        self.assertIn("4090.16c62g", out)

    def test_prewarm_list_json_uses_the_api_keys(self):
        doc = self.ok_json("prewarm", "list", "--name", "py")
        self.assertEqual(doc["total"], 1)
        task = doc["items"][0]
        self.assertEqual(set(task), {"id", "imageName", "imageUrl", "repositoryAuth", "clusterId", "clusterName",
                                     "products", "imageSize", "createTime", "state", "completeTime", "note",
                                     "reason"})
        self.assertEqual(task["id"], "fexahnwdp4l1ajva")
        self.assertEqual(task["imageSize"], 6762128493)
        self.assertEqual(task["state"], "Succeeded")
        self.assertEqual(task["products"], [{"productId": "4090.16c62g", "productName": "RTX 4090 24GB"}])
        self.assertEqual(task["reason"], ["image pulled successfully"])
        self.assertEqual(task["completeTime"] - task["createTime"], 6)

    def test_prewarm_list_filters_and_paging(self):
        self.clear_log()
        doc = self.ok_json("prewarm", "list", "--state", "Succeeded", "--cluster", "1", "--name", "ngin",
                           "--page", "1", "--page-size", "5")
        self.assertEqual([t["id"] for t in doc["items"]], ["nzd5nyi4keefsv2d"])
        self.assertEqual(self.only_request("GET", "/image/prewarm")["query"],
                         {"state": "Succeeded", "clusterId": "1", "name": "ngin", "page": "1", "pageSize": "5"})
        out = self.ok("prewarm", "list", "--page", "2", "--page-size", "2").stdout
        self.assertEqual([line.split()[0] for line in out.splitlines()[1:2]], ["nzd5nyi4keefsv2d"])
        self.assertIn("(1 of 3 prewarm tasks", out)

    def test_prewarm_list_all_walks_every_page_on_one_connection(self):
        self.api_post_many("/image/prewarm", [{"imageUrl": "r/page:%d" % i, "clusterId": "5"} for i in range(40)])
        self.clear_log()
        doc = self.ok_json("prewarm", "list", "--all")
        ids = [t["id"] for t in doc["items"]]
        self.assertEqual(doc["total"], 43)
        self.assertEqual(len(set(ids)), 43)
        pages = [r["query"] for r in self.requests("GET", "/image/prewarm")]
        self.assertEqual(pages, [{"page": str(n), "pageSize": "20"} for n in (1, 2, 3)])
        self.assertEqual(self.sim.hook("GET", "connections")["accepted"], 1)

    def test_prewarm_quota(self):
        out = self.ok("prewarm", "quota").stdout
        self.assertRegex(out, r"tasks:\s+3 of 50")
        self.assertRegex(out, r"image size max:\s+50 GB")
        self.assertEqual(self.ok_json("prewarm", "quota"), {"total": 3, "limit": 50, "perImageSize": 50})

    def test_prewarm_create_edit_delete(self):
        self.clear_log()
        first = self.ok("prewarm", "create", "--image", "registry.example.com/team/trainer:3", "--cluster", "1",
                        "--registry-auth", "ra-sim-0001", "--product", "4090.16c62g", "--product", "a100.12c120g",
                        "--note", "launch").stdout.strip()
        self.assertRegex(first, ID_RE)
        self.assertEqual(self.only_request("POST", "/image/prewarm")["body"],
                         {"imageUrl": "registry.example.com/team/trainer:3", "clusterId": "1",
                          "repositoryAuth": "ra-sim-0001", "productIds": ["4090.16c62g", "a100.12c120g"],
                          "note": "launch"})
        doc = self.ok_json("prewarm", "create", "--image", "nginx:1.27", "--cluster", "5")
        self.assertEqual(list(doc), ["id"])
        second = doc["id"]
        self.assertEqual(self.requests("POST", "/image/prewarm")[1]["body"],
                         {"imageUrl": "nginx:1.27", "clusterId": "5"})
        self.assertEqual(self.ok_json("prewarm", "quota")["total"], 5)

        self.assertEqual(self.ok("prewarm", "edit", first, "--note", "moved").stdout, first + ": edited\n")
        self.assertEqual(self.ok_json("prewarm", "edit", second, "--note", ""), {"ok": True, "id": second})
        self.assertEqual([r["body"] for r in self.requests("POST", "/image/prewarm/edit")],
                         [{"id": first, "note": "moved"}, {"id": second, "note": ""}])
        notes = {t["id"]: t["note"] for t in self.ok_json("prewarm", "list", "--all")["items"]}
        self.assertEqual((notes[first], notes[second]), ("moved", ""))
        p = self.fails(4, "prewarm", "edit", "nosuchtask", "--note", "x")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 RESOURCE_NOT_FOUND", p.stderr)

        out = self.ok("prewarm", "delete", first, second).stdout
        self.assertEqual(out, "%s: deleted\n%s: deleted\n" % (first, second))
        self.assertEqual(self.only_request("POST", "/image/prewarm/delete")["body"], {"ids": [first, second]})
        self.assertEqual(self.ok_json("prewarm", "quota")["total"], 3)
        p = self.fails(4, "prewarm", "delete", first)
        self.assert_one_error_line(p)

    def test_prewarm_delete_json_and_rejected_create(self):
        doc = self.ok_json("prewarm", "delete", SEED_TASKS[0], SEED_TASKS[2])
        self.assertEqual(doc, {"ok": True, "ids": [SEED_TASKS[0], SEED_TASKS[2]]})
        self.assertEqual([t["id"] for t in self.ok_json("prewarm", "list")["items"]], [SEED_TASKS[1]])
        p = self.fails(1, "prewarm", "create", "--image", "nginx", "--cluster", "99")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 VALIDATOR_PARAM", p.stderr)


if __name__ == "__main__":
    unittest.main()

"""CLI tests of `novita templates ...` and `novita registries ...` against the simulator.

Run:  NOVITA_CLI=build/novita python3 tests/cli/test_cli_templates.py -v
"""
import http.client
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_support import GPU, KEY, CliCase  # noqa: E402

SEED_AUTH = "75irlsvvsehnqdajg2r481mjk54ecodc"
TEMPLATE_KEYS = ["Id", "name", "readme", "type", "channel", "image", "imageAuth", "startCommand", "entrypoint",
                 "rootfsSize", "ports", "envs", "tools", "createdAt", "recommendCards", "minCudaVersion", "user",
                 "volumes"]


class TemplatesCli(CliCase):
    def setUp(self):
        self.sim.hook("POST", "reset", {"state": True})

    # ---------------------------------------------------------------- helpers

    def api_create(self, conn, name):
        """Create a template straight through the API (fast seeding for --all)."""
        body = json.dumps({"template": {"name": name, "type": "instance", "channel": "private",
                                        "image": "busybox:1", "rootfsSize": 10}})
        conn.request("POST", GPU + "/template/create", body=body,
                     headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        self.assertEqual(resp.status, 200, data)
        return json.loads(data)["templateId"]

    # ---------------------------------------------------------------- templates list

    def test_list_table_and_json(self):
        p = self.ok("templates", "list")
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["ID", "NAME", "CHANNEL", "TYPE", "IMAGE", "ROOTFS", "CREATED"])
        self.assertEqual(len(lines), 8)
        self.assertIn("ComfyUI", p.stdout)
        self.assertIn("vllm-openai", p.stdout)   # the lenient seed (lower-case "id", string numbers)
        self.assertEqual(self.requests("GET", "/templates")[-1]["query"], {})
        doc = self.ok_json("templates", "list", "--channel", "official")
        self.assertEqual(doc["total"], 3)
        self.assertEqual([t["Id"] for t in doc["items"]], ["102", "101", "100"])
        self.assertEqual(list(doc["items"][0].keys()), TEMPLATE_KEYS)
        self.assertEqual(doc["items"][0]["tools"][0]["name"], "Jupyter")
        self.assertEqual(doc["items"][0]["recommendCards"], [{"gpuSpecId": "4090.18c.60g", "cardNum": 2}])
        self.assertEqual(self.requests("GET", "/templates")[-1]["query"],
                         {"channel": "official", "isMyCommunity": "false"})

    def test_list_filters_and_paging(self):
        doc = self.ok_json("templates", "list", "--channel", "private", "--name", "ubu", "--type", "instance")
        self.assertEqual([t["Id"] for t in doc["items"]], ["212"])
        self.assertEqual(self.requests("GET", "/templates")[-1]["query"],
                         {"channel": "private", "isMyCommunity": "true", "name": "ubu", "type": "instance"})
        p = self.ok("templates", "list", "--page", "2", "--page-size", "3")
        self.assertEqual(self.requests("GET", "/templates")[-1]["query"], {"pageNum": "2", "pageSize": "3"})
        self.assertIn("(3 of 7 templates; see --page, --page-size, --all)", p.stdout)
        self.assertIn("150", p.stdout)

    def test_list_all_pages_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.port, timeout=10)
        try:
            ids = [self.api_create(conn, "many-%03d" % k) for k in range(105)]
        finally:
            conn.close()
        self.sim.hook("POST", "reset", {})   # clears the log and the connection counter, keeps the templates
        doc = self.ok_json("templates", "list", "--all", "--channel", "private", "--name", "many-")
        self.assertEqual(doc["total"], 105)
        self.assertEqual(sorted(t["Id"] for t in doc["items"]), sorted(ids))
        pages = [r["query"] for r in self.requests("GET", "/templates")]
        self.assertEqual([q["pageNum"] for q in pages], ["0", "1", "2"])   # 1-based simulator: page 0 = page 1
        self.assertTrue(all(q["pageSize"] == "100" for q in pages))
        self.assertEqual(self.sim.hook("GET", "connections")["accepted"], 1)

    def test_list_usage_errors(self):
        self.fails(2, "templates", "list", "--channel", "public")
        self.fails(2, "templates", "list", "--all", "--page", "2")
        self.fails(2, "templates", "list", "--page-size", "0")
        self.fails(2, "templates", "list", "extra")
        self.fails(2, "templates")
        self.fails(2, "templates", "bogus")
        self.assertEqual(self.requests(), [])

    # ---------------------------------------------------------------- templates get

    def test_get_text_and_json(self):
        p = self.ok("templates", "get", "212")
        for text in ("id:              212", "name:            ubuntu", "channel:         private",
                     "image:           ubuntu:latest", "rootfs:          10 GB", "8080,8090/tcp", "6000,60001/http",
                     "TEMPLATE=ubuntu", "min CUDA:        11.8", "readme:\n# ubuntu"):
            self.assertIn(text, p.stdout)
        doc = self.ok_json("templates", "get", "212")
        self.assertEqual(list(doc.keys()), TEMPLATE_KEYS)
        self.assertEqual(doc["Id"], "212")
        self.assertEqual(doc["envs"], [{"key": "TEMPLATE", "value": "ubuntu"}])
        self.assertEqual(doc["ports"], [{"type": "tcp", "ports": [8080, 8090]},
                                        {"type": "http", "ports": [6000, 60001]}])   # numbers, as the API sends
        self.assertEqual(self.requests("GET", "/template")[-1]["query"], {"templateId": "212"})
        doc = self.ok_json("templates", "get", "151")          # answered flat, with "id" and string numbers
        self.assertEqual((doc["Id"], doc["name"], doc["rootfsSize"]), ("151", "vllm-openai", 50))

    def test_server_text_cannot_drive_the_terminal(self):
        # A community template's name is anyone's text: escape sequences in it are printed as spaces, in the
        # key: value view and in tables alike.
        evil = "evil\x1b]0;pwned\x07\x1b[2J\x7f"
        self.ok("templates", "update", "212", "--name", evil)
        for args in (("templates", "get", "212"), ("templates", "list")):
            p = self.ok(*args)
            self.assertIn("evil ]0;pwned  [2J ", p.stdout)
            for byte in ("\x1b", "\x07", "\x7f"):
                self.assertNotIn(byte, p.stdout)
        self.assertEqual(self.ok_json("templates", "get", "212")["name"], evil)  # --json keeps the data exact

    def test_get_errors(self):
        p = self.fails(4, "templates", "get", "999999")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 TEMPLATE_NOT_FOUND", p.stderr)
        self.assertIn("template not found", p.stderr)
        self.fails(2, "templates", "get")
        self.fails(2, "templates", "get", "1", "2")
        self.fails(2, "templates", "get", "--bogus", "1")

    # ---------------------------------------------------------------- templates create

    def test_create_full_body(self):
        p = self.ok("templates", "create", "--name", "cli-tpl", "--image", "nginx:1.27", "--rootfs", "20",
                    "--readme", "# cli\nline two", "--image-auth-id", SEED_AUTH, "--start-command", "nginx",
                    "--entrypoint", "/entry.sh", "--port", "80,8080/http", "--port", "22/tcp",
                    "--env", "A=1", "--env", "B=x=y", "--min-cuda", "12.4")
        new_id = p.stdout.strip()
        self.assertRegex(new_id, r"^[0-9]+$")
        body = self.requests("POST", "/template/create")[-1]["body"]
        self.assertEqual(body, {"template": {
            "name": "cli-tpl", "readme": "# cli\nline two", "type": "instance", "channel": "private",
            "image": "nginx:1.27", "imageAuth": SEED_AUTH, "startCommand": "nginx", "entrypoint": "/entry.sh",
            "rootfsSize": 20, "ports": [{"type": "http", "ports": [80, 8080]}, {"type": "tcp", "ports": [22]}],
            "envs": [{"key": "A", "value": "1"}, {"key": "B", "value": "x=y"}], "minCudaVersion": "12.4"}})
        doc = self.ok_json("templates", "get", new_id)
        self.assertEqual(doc["name"], "cli-tpl")
        self.assertEqual(doc["imageAuth"], SEED_AUTH)

    def test_create_minimal_json(self):
        doc = self.ok_json("templates", "create", "--name", "mini", "--image", "alpine", "--rootfs", "5")
        self.assertEqual(list(doc.keys()), ["id"])
        self.assertEqual(self.requests("POST", "/template/create")[-1]["body"],
                         {"template": {"name": "mini", "type": "instance", "channel": "private",
                                       "image": "alpine", "rootfsSize": 5}})

    def test_create_usage_errors(self):
        base = ["templates", "create", "--name", "n", "--image", "i", "--rootfs", "10"]
        self.fails(2, "templates", "create", "--image", "i", "--rootfs", "10")
        self.fails(2, "templates", "create", "--name", "n", "--rootfs", "10")
        self.fails(2, "templates", "create", "--name", "n", "--image", "i")
        self.fails(2, *(base[:-1] + ["ten"]))
        for bad in ("2222/tcp", "80/udp", "80,/http", "abc/tcp", "/tcp", "70000/http"):
            self.fails(2, *(base + ["--port", bad]))
        self.fails(2, *(base + ["--env", "NOEQUALS"]))
        self.fails(2, *(base + ["stray"]))
        self.assertEqual(self.requests(), [])

    # ---------------------------------------------------------------- templates update / delete

    def test_update_merges_current_fields(self):
        self.ok("templates", "update", "212", "--name", "ubuntu-renamed")
        log = self.requests()
        self.assertEqual([(r["method"], r["path"]) for r in log],
                         [("GET", GPU + "/template"), ("POST", GPU + "/template/update")])
        body = log[1]["body"]["template"]
        self.assertEqual(body["Id"], "212")
        self.assertEqual(body["name"], "ubuntu-renamed")
        self.assertEqual(body["image"], "ubuntu:latest")      # kept from the current template
        self.assertEqual(body["rootfsSize"], 10)
        self.assertEqual(body["ports"], [{"type": "tcp", "ports": [8080, 8090]},
                                         {"type": "http", "ports": [6000, 60001]}])
        self.assertEqual(body["envs"], [{"key": "TEMPLATE", "value": "ubuntu"}])
        self.assertTrue(body["readme"].startswith("# ubuntu"))
        self.assertEqual(self.ok_json("templates", "get", "212")["name"], "ubuntu-renamed")
        doc = self.ok_json("templates", "update", "212", "--port", "7860/http", "--rootfs", "40")
        self.assertEqual(doc, {"ok": True, "id": "212"})
        body = self.requests("POST", "/template/update")[-1]["body"]["template"]
        self.assertEqual(body["ports"], [{"type": "http", "ports": [7860]}])
        self.assertEqual(body["rootfsSize"], 40)
        self.assertEqual(body["name"], "ubuntu-renamed")

    def test_update_errors(self):
        self.fails(2, "templates", "update", "212")              # nothing to change
        self.fails(2, "templates", "update", "--name", "x")      # no id
        self.assertEqual(self.requests(), [])
        p = self.fails(4, "templates", "update", "999999", "--name", "x")
        self.assertIn("TEMPLATE_NOT_FOUND", p.stderr)
        self.assertEqual(self.requests("POST"), [])

    def test_delete(self):
        new_id = self.ok("templates", "create", "--name", "gone", "--image", "alpine", "--rootfs", "5").stdout.strip()
        p = self.ok("templates", "delete", new_id)
        self.assertEqual(p.stdout, "%s: deleted\n" % new_id)
        self.assertEqual(self.requests("POST", "/template/delete")[-1]["body"], {"templateId": new_id})
        p = self.fails(4, "templates", "delete", new_id)
        self.assert_one_error_line(p)
        self.fails(4, "templates", "get", new_id)
        other = self.ok("templates", "create", "--name", "gone2", "--image", "alpine", "--rootfs", "5").stdout.strip()
        self.assertEqual(self.ok_json("templates", "delete", other), {"ok": True, "id": other})
        p = self.fails(3, "templates", "delete", "100")          # an official template: 403
        self.assertIn("HTTP 403 FORBIDDEN", p.stderr)
        self.fails(2, "templates", "delete")

    # ---------------------------------------------------------------- registries

    def test_registries_list_never_shows_password(self):
        p = self.run_cli("registries", "create", "--name", "ghcr.io", "--username", "bot", stdin="Zq-very-secret-77\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        table = self.ok("registries", "list").stdout
        self.assertEqual(table.splitlines()[0].split(), ["ID", "NAME", "USERNAME"])
        self.assertIn("ghcr.io", table)
        self.assertIn("registry.sim.example", table)
        self.assertNotIn("Zq-very-secret-77", table)
        self.assertNotIn("1111", table)                           # the seed's password
        doc = self.ok_json("registries", "list")                   # --json: what the API returned
        self.assertEqual(doc["items"][0], {"id": SEED_AUTH, "name": "registry.sim.example", "username": "uuuu",
                                           "password": "1111"})
        self.assertEqual(doc["items"][1]["password"], "Zq-very-secret-77")
        self.assertEqual(doc["total"], 2)

    def test_registries_create_reads_stdin(self):
        p = self.run_cli("registries", "create", "--name", "quay.io",
                           "--username", "robot", stdin="p@ss word\nsecond line\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        new_id = p.stdout.strip()
        self.assertRegex(new_id, r"^[a-z0-9]{32}$")
        self.assertNotIn("p@ss", p.stdout + p.stderr)
        log = self.requests()
        self.assertEqual([(r["method"], r["path"]) for r in log],
                         [("GET", GPU + "/repository/auths"), ("POST", GPU + "/repository/auth/save"),
                          ("GET", GPU + "/repository/auths")])
        self.assertEqual(log[1]["body"], {"name": "quay.io", "username": "robot", "password": "p@ss word"})
        listed = [a for a in self.ok_json("registries", "list")["items"] if a["id"] == new_id]
        self.assertEqual(listed[0]["name"], "quay.io")
        # CRLF line ending and no final newline at all.
        p = self.run_cli("--json", "registries", "create", "--name", "a.io", "--username", "u", stdin="tok\r\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(list(json.loads(p.stdout).keys()), ["id"])
        self.assertEqual(self.requests("POST", "/repository/auth/save")[-1]["body"]["password"], "tok")
        p = self.run_cli("registries", "create", "--name", "b.io", "--username", "u", stdin="no-newline")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.requests("POST", "/repository/auth/save")[-1]["body"]["password"], "no-newline")

    def test_registries_create_204(self):
        p = self.run_cli("registries", "create", "--name", "nocontent.example", "--username", "ci", stdin="t0k\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.requests("POST", "/repository/auth/save")[-1]["status"], 204)
        self.assertEqual(p.stdout.strip(), [a["id"] for a in self.ok_json("registries", "list")["items"]
                                            if a["name"] == "nocontent.example"][0])

    def test_registries_create_refuses(self):
        for stdin in ("", "\n", "\r\n"):
            p = self.run_cli("registries", "create", "--name", "x.io", "--username", "u", stdin=stdin)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("password", p.stderr)
        p = self.run_cli("registries", "create", "--name", "x.io", "--username", "u", stdin="x" * 1025 + "\n")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(self.run_cli("registries", "create", "--username", "u", stdin="pw\n").returncode, 2)
        self.assertEqual(self.run_cli("registries", "create", "--name", "x.io", stdin="pw\n").returncode, 2)
        self.assertEqual(self.requests(), [])

    def test_registries_delete(self):
        new_id = self.run_cli("registries", "create", "--name", "d.io", "--username", "u", stdin="pw\n").stdout.strip()
        self.assertEqual(self.ok("registries", "delete", new_id).stdout, "%s: deleted\n" % new_id)
        self.assertEqual(self.requests("POST", "/repository/auth/delete")[-1]["body"], {"id": new_id})
        p = self.fails(4, "registries", "delete", new_id)
        self.assertIn("HTTP 400 RESOURCE_NOT_FOUND", p.stderr)
        p = self.fails(1, "registries", "delete", SEED_AUTH)     # template 213 uses it
        self.assert_one_error_line(p)
        self.assertIn("IMAGE_AUTH_IN_USE", p.stderr)
        self.fails(2, "registries", "delete")
        self.fails(2, "registries", "bogus")

    def test_help_lists_both_groups(self):
        p = self.ok("--help")
        for text in ("templates list [--channel official|community|private]", "templates create --name S",
                     "templates update ID", "templates delete ID", "registries list",
                     "registries create --name HOST --username U", "registries delete ID"):
            self.assertIn(text, p.stdout)

    def test_wrong_key(self):
        p = self.fails(3, "registries", "list", key="wrong-key")
        self.assertNotIn("wrong-key", p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()

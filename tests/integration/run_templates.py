#!/usr/bin/env python3
"""Integration driver of templates and registry auths: runs test_templates over HTTP and HTTPS, then checks
every request the simulator received (method, path, query, exact JSON body, status, bearer header).

Usage: run_templates.py TEST_BINARY
"""
import json
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import GPU, Harness, Sim  # noqa: E402

SEED_AUTH = "75irlsvvsehnqdajg2r481mjk54ecodc"


def lines(p, tag):
    """The words after `tag` of every stdout line starting with it."""
    return [ln.split()[1:] for ln in p.stdout.splitlines() if ln.startswith(tag + " ")]


def req(method, path, query=None, body=None, status=200):
    return {"method": method, "path": GPU + path, "query": query or {}, "body": body, "status": status}


def seen(log):
    return [{"method": r["method"], "path": r["path"], "query": r["query"], "body": r["body"],
             "status": r["status"]} for r in log]


def check_sequence(h, name, log, expected):
    got = seen(log)
    h.check(len(got) == len(expected), "%s: %d requests, expected %d" % (name, len(got), len(expected)))
    for k, (g, e) in enumerate(zip(got, expected)):
        h.check(g == e, "%s request %d:\n  got      %s\n  expected %s" % (name, k, g, e))


def template(name, image, rootfs, **extra):
    t = {"name": name, "type": "instance", "channel": "private", "image": image, "rootfsSize": rootfs}
    t.update(extra)
    return {"template": t}


def templates_expected(created, minimal, long_id, long_len):
    listing = "/templates"
    full = template("itest-template", "nginx:1.27", 20,
                    readme="# itest\n\nA template made by the integration test.",
                    imageAuth=SEED_AUTH, startCommand="nginx -g 'daemon off;'",
                    entrypoint="/docker-entrypoint.sh",
                    ports=[{"type": "http", "ports": [80, 8080]}, {"type": "tcp", "ports": [22]}],
                    envs=[{"key": "A", "value": "1"}, {"key": "B", "value": "two words"}],
                    minCudaVersion="12.4")
    renamed = template("itest-renamed", "nginx:1.28", 30, ports=[{"type": "http", "ports": [7860]}])
    renamed["template"] = dict([("Id", created)] + list(renamed["template"].items()))
    missing = {"template": dict(renamed["template"], Id="999999")}
    long_body = template("itest-long-readme", "ubuntu:22.04", 10, readme="#" + "r" * (long_len - 1))
    return [
        req("GET", listing, {"channel": "official", "isMyCommunity": "false", "pageSize": "2", "pageNum": "1"}),
        req("GET", listing, {"channel": "community", "isMyCommunity": "false"}),
        req("GET", listing, {"channel": "private", "isMyCommunity": "true"}),
        req("GET", listing, {"channel": "private", "isMyCommunity": "false"}),
        req("GET", listing, {"name": "ubuntu", "type": "instance"}),
        req("GET", listing, {}),
        req("GET", "/template", {"templateId": "212"}),
        req("GET", "/template", {"templateId": "100"}),
        req("GET", "/template", {"templateId": "213"}),
        req("GET", "/template", {"templateId": "151"}),
        req("GET", "/template", {"templateId": "999999"}, status=400),
        req("POST", "/template/create", body=full),
        req("GET", "/template", {"templateId": created}),
        req("POST", "/template/create", body=template("itest-minimal", "alpine:3", 5)),
        req("POST", "/template/update", body=renamed),
        req("GET", "/template", {"templateId": created}),
        req("POST", "/template/update", body=missing, status=400),
        req("POST", "/template/delete", body={"templateId": created}),
        req("GET", "/template", {"templateId": created}, status=400),
        req("POST", "/template/delete", body={"templateId": created}, status=400),
        req("POST", "/template/delete", body={"templateId": minimal}),
        req("POST", "/template/delete", body={"templateId": "100"}, status=403),
        req("POST", "/template/create", body=long_body),
        req("GET", "/template", {"templateId": long_id}),
        req("GET", listing, {"channel": "private", "isMyCommunity": "true", "name": "itest-long"}),
        req("POST", "/template/delete", body={"templateId": long_id}),
        req("POST", "/template/create", body=template("itest-tiny-id", "ubuntu:22.04", 10)),
    ]


def pages_expected(page_numbers, array_page_numbers):
    out = [req("POST", "/template/create", body=template("bulk-%02d" % k, "busybox:1.36", 10))
           for k in range(40)]
    query = {"channel": "private", "isMyCommunity": "true", "name": "bulk-", "pageSize": "7"}
    out += [req("GET", "/templates", dict(query, pageNum=str(n))) for n in page_numbers]
    out += [req("GET", "/templates", dict(query, pageNum=str(n))) for n in array_page_numbers]
    return out


def registries_expected(first, second):
    save = "/repository/auth/save"
    delete = "/repository/auth/delete"
    return [
        req("GET", "/repository/auths"),
        req("POST", save, body={"name": "itest.registry.io", "username": "itest-user", "password": "s3cret-pass"}),
        req("POST", save, body={"name": "nocontent.registry.io", "username": "robot$ci", "password": "tok-204"},
            status=204),
        req("GET", "/repository/auths"),
        req("POST", delete, body={"id": first}),
        req("POST", delete, body={"id": first}, status=400),
        req("POST", delete, body={"id": second}),
        req("POST", delete, body={"id": SEED_AUTH}, status=400),
        req("GET", "/repository/auths"),
    ]


def post(sim, path, body):
    """POST a JSON body to the simulator's API with the key; returns (status, parsed body)."""
    request = urllib.request.Request(sim.url + GPU + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer sim-key",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10, context=sim.context) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def check_sim_rejects_wrong_shapes(h, sim):
    """The simulator catches wire mistakes (e.g. the seed SDK's), so the client's wire tests mean something."""
    sim.reset()
    ok = {"name": "x", "type": "instance", "channel": "private", "image": "y", "rootfsSize": 10}
    bad = [
        ("/template/create", ok),                                               # not wrapped
        ("/template/create", {"template": ok, "extra": 1}),
        ("/template/create", {"template": dict(ok, rootfsSize="10")}),         # string number
        ("/template/create", {"template": dict(ok, rootfs_size=10)}),          # unknown key
        ("/template/create", {"template": dict(ok, channel="official")}),
        ("/template/create", {"template": dict(ok, ports="80/http")}),         # instance-style ports string
        ("/template/create", {"template": dict(ok, ports=[{"type": "http", "ports": ["80"]}])}),
        ("/template/create", {"template": {k: v for k, v in ok.items() if k != "image"}}),
        ("/template/update", {"template": ok}),                                 # no Id
        ("/template/update", {"template": dict(ok, id="212")}),                # lower-case id
        ("/template/delete", {"template_id": "212"}),
        ("/repository/auth/save", {"name": "r", "username": "u"}),            # no password
        ("/repository/auth/save", {"registry": "r", "name": "r", "username": "u", "password": "p"}),
        ("/repository/auth/delete", {"auth_id": "x"}),
    ]
    for path, body in bad:
        status, answer = post(sim, path, body)
        h.check(status == 400 and answer.get("reason") == "VALIDATOR_PARAM",
                "simulator rejects %s %s: %s %s" % (path, json.dumps(body), status, answer))
    status, answer = post(sim, "/template/create", {"template": ok})
    h.check(status == 200 and set(answer) == {"templateId"}, "simulator accepts the documented body")


def run_mode(h, binary, name, sim, url, ca, mode):
    sim.reset()
    p = h.run(binary, url, ca, mode)
    h.check(p.returncode == 0, "%s %s exit code %d" % (name, mode, p.returncode))
    log = sim.requests()
    h.check_auth_headers(log)
    return p, log


def check_pages(h, name, p, log, page_numbers, array_page_numbers):
    h.check(lines(p, "BULK") == [["40"]], name + " pages: 40 templates created")
    h.check(lines(p, "WALKED") == [["40", str(len(page_numbers))]],
            name + " pages: walked 40 in %d requests: %s" % (len(page_numbers), lines(p, "WALKED")))
    h.check(lines(p, "CONNECTIONS") == [["1"]], name + " pages: one kept-alive connection")
    check_sequence(h, name + " pages", log, pages_expected(page_numbers, array_page_numbers))


def main():
    binary = sys.argv[1]
    h = Harness()
    with h.sims() as (plain, tls, ca):
        for name, sim, url, cafile in h.modes(plain, tls, ca):
            p, log = run_mode(h, binary, name, sim, url, cafile, "templates")
            created, minimal, long_ = lines(p, "CREATED"), lines(p, "CREATED_MIN"), lines(p, "LONG")
            if h.check(len(created) == 1 and len(minimal) == 1 and len(long_) == 1, name + " printed the ids"):
                check_sequence(h, name + " templates", log,
                               templates_expected(created[0][0], minimal[0][0], long_[0][0], int(long_[0][1])))

            # The default simulator reads pageNum 0 as 1: the walk skips the repeated page.
            p, log = run_mode(h, binary, name, sim, url, cafile, "pages")
            check_pages(h, name, p, log, [0, 1, 2, 3, 4, 5, 6], [0, 1, 2])

            p, log = run_mode(h, binary, name, sim, url, cafile, "registries")
            auths = dict((words[0], words[1]) for words in lines(p, "AUTH"))
            h.check(lines(p, "CONNECTIONS") == [["1"]], name + " registries: one connection, also after the 204")
            if h.check(len(auths) == 2, name + " printed the auth ids"):
                check_sequence(h, name + " registries", log,
                               registries_expected(auths["itest.registry.io"], auths["nocontent.registry.io"]))
                h.check(all(len(a) == 32 for a in auths.values()), name + " auth ids have 32 characters")

        check_sim_rejects_wrong_shapes(h, plain)

    # A simulator numbering pages from 0: no repeated page.
    base0 = Sim("--page-base", "0")
    try:
        p, log = run_mode(h, binary, "http page-base-0", base0, base0.url, "-", "pages")
        check_pages(h, "page-base-0", p, log, [0, 1, 2, 3, 4, 5], [0, 1])
    finally:
        base0.stop()
    return h.report()


if __name__ == "__main__":
    sys.exit(main())

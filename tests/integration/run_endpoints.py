#!/usr/bin/env python3
"""Integration tests of serverless endpoints: the C program test_endpoints against the simulator over HTTP
and HTTPS, then the wire checks of every operation from the simulator's request log (method, path, query,
whole JSON bodies, bearer header), and an all-pages walk over more than 40 endpoints on 1-based and 0-based
page numbering.

Usage: run_endpoints.py TEST_BINARY        Prints "N passed, N failed"; exits non-zero on any failure.
"""
import copy
import json
import math
import os
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import GPU, Harness, Sim, find  # noqa: E402

SEEDED = 45          # endpoints created through the API before the "pages" run (the seed has 2 more)
PAGE_SIZE = 7        # as in test_endpoints.c


def printed(out, tag):
    return [line.split()[1:] for line in out.splitlines() if line.startswith(tag + " ")]


def api(sim, method, path, body=None):
    """A request to the simulated API itself (not a hook), with the bearer key."""
    req = urllib.request.Request(sim.url + GPU + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer sim-key",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10, context=sim.context) as r:
        return json.loads(r.read())


def create_body():
    """The body test_endpoints.c sends for its successful create (fill_create), as the docs shape it."""
    return {"endpoint": {
        "name": "itest-ep", "appName": "itest-app", "clusterID": "1",
        "workerConfig": {"minNum": 0, "maxNum": 2, "freeTimeout": 120, "maxConcurrent": 8, "gpuNum": 1,
                         "requestTimeout": 900},
        "ports": [{"port": "9000"}],
        "policy": {"type": "concurrency", "value": 20},
        "image": {"image": "nginx:1.27", "authId": "auth-1", "command": "nginx -g 'daemon off;'"},
        "products": [{"id": "4090.16c62g"}],
        "rootfsSize": 100,
        "volumeMounts": [{"type": "local", "size": 30, "mountPath": "/cache"},
                         {"type": "network", "id": "ns-1", "mountPath": "/data"}],
        "envs": [{"key": "MODE", "value": "test"}],
        "healthy": {"path": "/ready"},
    }}


def flat(body, endpoint_id):
    """The update form of a create body: flat, with the id, without the create-only fields, lists always."""
    d = {"id": endpoint_id}
    d.update({k: copy.deepcopy(v) for k, v in body["endpoint"].items()
              if k not in ("appName", "products", "rootfsSize")})
    d.setdefault("envs", [])
    return d


def check_ops(h, name, log, out):
    created = printed(out, "CREATED")
    if not h.check(len(created) == 1 and printed(out, "UPDATED") == created, name + ": ids printed"):
        return
    eid = created[0][0]
    h.check_auth_headers(log)
    paths = {r["path"] for r in log}
    h.check(paths <= {GPU + p for p in ("/endpoint/limit", "/endpoints", "/endpoint", "/endpoint/create",
                                        "/endpoint/update", "/endpoint/delete")},
            name + ": only endpoint routes " + repr(sorted(paths)))

    limit = find(log, "GET", GPU + "/endpoint/limit")
    h.check(len(limit) == 1 and limit[0]["query"] == {} and limit[0]["body"] is None, name + ": limits request")
    lists = find(log, "GET", GPU + "/endpoints")
    h.check([r["query"] for r in lists] == [{"pageSize": "10", "pageNum": "1"}], name + ": list query")

    # get: ?id= (never the SDK's endpoint_id), seed first, then the created endpoint, 404-style at the end.
    gets = find(log, "GET", GPU + "/endpoint")
    h.check([r["query"] for r in gets] == [{"id": "seed-ep-0001"}] + [{"id": eid}] * 4,
            name + ": get queries " + repr([r["query"] for r in gets]))
    h.check([r["status"] for r in gets] == [200, 200, 200, 200, 400], name + ": get statuses")

    # create: whole bodies; the three server-side rejections first, nothing for the local refusals.
    good = create_body()
    bad_policy = json.loads(json.dumps(good))
    bad_policy["endpoint"]["policy"]["value"] = 100000
    bad_product = json.loads(json.dumps(good))
    bad_product["endpoint"]["products"] = [{"id": "no-such-product"}]
    bad_app = json.loads(json.dumps(good))
    bad_app["endpoint"]["appName"] = "sd-txt2img"
    creates = find(log, "POST", GPU + "/endpoint/create")
    bodies = [r["body"] for r in creates]
    h.check(bodies == [bad_policy, bad_product, bad_app, good], name + ": create bodies " + json.dumps(bodies))
    h.check([r["status"] for r in creates] == [400, 400, 400, 200], name + ": create statuses (never resent)")

    # update: the full flat body built from get + changes, then one for the deleted endpoint.
    want_update = flat(good, eid)
    want_update["name"] = "itest-ep-2"
    want_update["workerConfig"]["maxNum"] = 4
    want_update["policy"] = {"type": "queue", "value": 30}
    want_update["envs"] = [{"key": "STAGE", "value": "two"}]
    updates = find(log, "POST", GPU + "/endpoint/update")
    ubodies = [r["body"] for r in updates]
    h.check(ubodies == [want_update, flat(good, eid)], name + ": update bodies " + json.dumps(ubodies))
    h.check([r["status"] for r in updates] == [200, 400], name + ": update statuses")

    # delete: {"name": "<endpoint id>"} (the docs), not {"endpoint_id": ...}.
    deletes = find(log, "POST", GPU + "/endpoint/delete")
    h.check([r["body"] for r in deletes] == [{"name": eid}, {"name": eid}], name + ": delete bodies")
    h.check([r["status"] for r in deletes] == [200, 400], name + ": delete statuses")


def run_pages(h, name, sim, binary, url, ca, base):
    """Seed SEEDED endpoints through the API, then walk them all with list.all_pages."""
    sim.reset()
    template = create_body()["endpoint"]
    for k in range(SEEDED):
        body = dict(template, name="bulk-%02d" % k, appName="bulk-app-%02d" % k)
        api(sim, "POST", "/endpoint/create", {"endpoint": body})
    everything = api(sim, "GET", "/endpoints?pageSize=1000&pageNum=%d" % base)
    want_ids = [e["id"] for e in everything["endpoints"]]
    h.check(everything["total"] == SEEDED + 2 and len(want_ids) == SEEDED + 2, name + ": seeded")
    sim.hook("/__sim/reset", {})   # empty log, state kept
    p = h.run(binary, url, ca, "pages")
    h.check(p.returncode == 0, name + ": pages exit code")
    items = [x[0] for x in printed(p.stdout, "ITEM")]
    h.check(items == want_ids, name + ": every endpoint once, in order (%d of %d)" % (len(items), len(want_ids)))
    listed = printed(p.stdout, "LISTED")
    pages = math.ceil(len(want_ids) / PAGE_SIZE)
    # A 1-based server reads page 0 as page 1: the client skips that repeat with one extra request.
    want_pages = pages + (1 if base == 1 else 0)
    h.check(listed == [[str(len(want_ids)), str(len(want_ids)), str(want_pages)]], name + ": LISTED " + repr(listed))
    h.check(printed(p.stdout, "CONNECTIONS") == [["1"]], name + ": one connection for the whole walk")
    log = sim.requests()
    h.check_auth_headers(log)
    queries = [r["query"] for r in find(log, "GET", GPU + "/endpoints")]
    h.check(len(queries) == want_pages and all(q.get("pageSize") == str(PAGE_SIZE) for q in queries),
            name + ": page size on every page")
    h.check([int(q["pageNum"]) for q in queries] == list(range(want_pages)),
            name + ": pageNum 0, 1, 2, ... " + repr([q.get("pageNum") for q in queries]))


def main():
    binary = sys.argv[1]
    h = Harness()
    with h.sims() as (plain, tls, ca):
        for name, sim, url, cafile in h.modes(plain, tls, ca):
            sim.reset()
            p = h.run(binary, url, cafile, "ops")
            h.check(p.returncode == 0, name + ": ops exit code")
            check_ops(h, name, sim.requests(), p.stdout)
            run_pages(h, name + " pages (1-based)", sim, binary, url, cafile, 1)
    zero = Sim("--page-base", "0")
    try:
        run_pages(h, "http pages (0-based)", zero, binary, zero.url, "-", 0)
    finally:
        zero.stop()
    return h.report()


if __name__ == "__main__":
    sys.exit(main())

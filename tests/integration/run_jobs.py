#!/usr/bin/env python3
"""Integration tests of jobs, save image and image prewarm: the C program test_jobs against the simulator
over HTTP and HTTPS, then the wire checks of every operation from the simulator's request log.

Usage: run_jobs.py TEST_BINARY        Prints "N passed, N failed"; exits non-zero on any failure.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import GPU, Harness, Sim, find  # noqa: E402

SEED_RUNNING_JOB = "2b7kq0c1m5x8d3fa"
MANY = 38  # as in test_jobs.c


def printed(out, tag):
    """Values of the program's "TAG value" lines."""
    return [line.split()[1] for line in out.splitlines() if line.startswith(tag + " ")]


def queries(log, path):
    return [r["query"] for r in find(log, "GET", GPU + path)]


def bodies(log, path):
    return [r["body"] for r in find(log, "POST", GPU + path)]


def statuses(log, method, path):
    return [r["status"] for r in find(log, method, GPU + path)]


def check_ops(h, name, log, out):
    saved, saved_fail = printed(out, "SAVED"), printed(out, "SAVED_FAIL")
    p1, p2 = printed(out, "PREWARM"), printed(out, "PREWARM2")
    if not h.check(len(saved) == 1 and len(saved_fail) == 1 and len(p1) == 1 and len(p2) == 1,
                   name + ": ids printed"):
        return
    saved, saved_fail, p1, p2 = saved[0], saved_fail[0], p1[0], p2[0]
    h.check_auth_headers(log)

    # jobs list: the three filtered calls, then the lookups by jobId of the test's polling.
    q = queries(log, "/jobs")
    h.check(q[:3] == [{"type": "saveImage", "pageSize": "10", "pageNum": "1"},
                      {"state": "fail"},
                      {"jobId": SEED_RUNNING_JOB, "startTime": "1", "endTime": "4102444800",
                       "creators": "sim-user-0001"}], name + ": jobs list queries " + repr(q[:3]))
    h.check(len(q) > 5 and all(x.keys() == {"jobId"} and x["jobId"] in (SEED_RUNNING_JOB, saved, saved_fail)
                               for x in q[3:]), name + ": job lookups by jobId only")

    # break: {"jobId"} (not the seed SDK's {"job_id"}); invalid arguments were never sent.
    h.check(bodies(log, "/job/break") == [{"jobId": SEED_RUNNING_JOB}, {"jobId": SEED_RUNNING_JOB},
                                          {"jobId": "nosuchjob"}], name + ": break bodies")
    h.check(statuses(log, "POST", "/job/break") == [200, 400, 400], name + ": break statuses")

    # save image: optional registryAuthId only when given; never resent.
    h.check(bodies(log, "/job/save/image") == [
        {"instanceId": "seed-0001", "image": "registry.example.com/team/seed-web:v1",
         "registryAuthId": "ra-sim-0001"},
        {"instanceId": "seed-0002", "image": "registry.example.com/team/fail:v1"},
        {"instanceId": "nosuchinstance", "image": "registry.example.com/team/fail:v1"},
        {"instanceId": "seed-0001", "image": "registry.example.com/team/fail:v1"},
    ], name + ": save image bodies " + repr(bodies(log, "/job/save/image")))
    h.check(statuses(log, "POST", "/job/save/image") == [200, 200, 400, 200], name + ": save image statuses")

    # prewarm quota: no query; three calls (the NULL-output call was refused locally).
    h.check(queries(log, "/image/prewarm/quota") == [{}, {}, {}], name + ": quota queries")

    # prewarm list: 1-based `page`, then the polling walks (default page size 50 from page 1).
    q = queries(log, "/image/prewarm")
    h.check(q[:3] == [{"page": "1", "pageSize": "2"}, {"page": "2", "pageSize": "2"},
                      {"state": "Succeeded", "clusterId": "1", "name": "py"}],
            name + ": prewarm list queries " + repr(q[:3]))
    h.check(len(q) > 5 and all(x == {"page": "1", "pageSize": "50"} for x in q[3:]),
            name + ": prewarm walks start at page 1")

    h.check(bodies(log, "/image/prewarm") == [
        {"imageUrl": "registry.example.com/team/trainer:2024.2", "clusterId": "1",
         "repositoryAuth": "ra-sim-0001", "productIds": ["4090.16c62g", "a100.12c120g"],
         "note": "before the launch"},
        {"imageUrl": "nginx:1.27", "clusterId": "5"},
        {"imageUrl": "nginx:1.27", "clusterId": "99"},
    ], name + ": prewarm create bodies " + repr(bodies(log, "/image/prewarm")))
    h.check(statuses(log, "POST", "/image/prewarm") == [200, 200, 400], name + ": prewarm create statuses")

    # edit {id, note} (no task_id); delete {ids: [...]}, several ids in one request.
    h.check(bodies(log, "/image/prewarm/edit") == [{"id": p1, "note": "edited"}, {"id": p2, "note": ""},
                                                   {"id": "nosuchtask", "note": "x"}], name + ": edit bodies")
    h.check(statuses(log, "POST", "/image/prewarm/edit") == [200, 200, 400], name + ": edit statuses")
    h.check(bodies(log, "/image/prewarm/delete") == [{"ids": [p1, p2]}, {"ids": [p1]}], name + ": delete bodies")
    h.check(statuses(log, "POST", "/image/prewarm/delete") == [200, 400], name + ": delete statuses")


def check_pages(h, name, log, out, zero_based):
    h.check(printed(out, "JOBS") == [str(MANY + 4)], name + ": jobs walked")
    h.check(printed(out, "PREWARMS") == [str(MANY + 3)], name + ": prewarm tasks walked")
    h.check_auth_headers(log)
    h.check(len(bodies(log, "/job/save/image")) == MANY and len(bodies(log, "/image/prewarm")) == MANY,
            name + ": items created through the API")

    # The jobs walk: pageNum from 0 (its base is undocumented). A 1-based server answers page 0 like page 1,
    # so page 1 repeats it and is skipped; a 0-based server goes straight on.
    walk = [x for x in queries(log, "/jobs") if x.get("pageSize") == "10"]
    pages = ["0", "1", "2", "3", "4"] if zero_based else ["0", "1", "2", "3", "4", "5"]
    h.check([x["pageNum"] for x in walk] == pages and all(set(x) == {"pageNum", "pageSize"} for x in walk),
            name + ": jobs walk pages " + repr(walk))
    empty = [x for x in queries(log, "/jobs") if x.get("state") == "break"]
    h.check(empty == [{"state": "break", "pageNum": "0", "pageSize": "50"}], name + ": empty walk " + repr(empty))

    # The prewarm walk: `page` from 1, documented; 41 tasks in pages of 10.
    walk = [x for x in queries(log, "/image/prewarm") if x.get("pageSize") == "10"]
    h.check(walk == [{"page": str(n), "pageSize": "10"} for n in range(1, 6)],
            name + ": prewarm walk pages " + repr(walk))


def run_mode(h, binary, name, sim, url, ca, mode, zero_based=False):
    sim.reset()
    p = h.run(binary, url, ca, mode)
    h.check(p.returncode == 0, "%s %s: exit code %d\n%s" % (name, mode, p.returncode, p.stdout))
    log = sim.requests()
    if mode == "ops":
        check_ops(h, name, log, p.stdout)
    else:
        check_pages(h, name, log, p.stdout, zero_based)


def main():
    binary = sys.argv[1]
    h = Harness()
    with h.sims() as (plain, tls, ca):
        for name, sim, url, cafile in h.modes(plain, tls, ca):
            run_mode(h, binary, name, sim, url, cafile, "ops")
            run_mode(h, binary, name, sim, url, cafile, "pages")
    zero = Sim("--page-base", "0")
    try:
        run_mode(h, binary, "http page-base 0", zero, zero.url, "-", "pages", zero_based=True)
    finally:
        zero.stop()
    sys.exit(h.report())


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Integration tests of network storage and VPC networks: the C program against the simulator, HTTP and
HTTPS, then the simulator's request log checked for every operation (method, path, query, exact body,
bearer header).

Usage: run_storage.py TEST_BINARY
"""
import sys

from harness import GPU, Harness, find

SEED_STORAGE_1 = "d4e82677-3f80-4020-a731-d15b1c589aa8"
SEED_STORAGE_2 = "082383c6-bc28-4bfa-a3b3-b6d6511bdf64"
OTHER_USER = "u0a1b2c3d4e5f6g7"
PAGE_ITEMS = 40


def lines(p, tag):
    return [ln.split()[1:] for ln in p.stdout.splitlines() if ln.startswith(tag + " ")]


def one(h, p, tag, name):
    got = lines(p, tag)
    h.check(len(got) == 1, "%s printed one %s line: %s" % (name, tag, got))
    return got[0][0] if got else ""


def check_sequence(h, reqs, expected, what):
    """Requests `reqs` carry exactly the `expected` query dicts (GET) or bodies (POST), in order."""
    got = [r["query"] if r["method"] == "GET" else r["body"] for r in reqs]
    h.check(got == expected, "%s: %s != %s" % (what, got, expected))


def check_ops(h, name, p, log):
    storage = one(h, p, "STORAGE", name)
    network = one(h, p, "NETWORK", name)
    network_b = one(h, p, "NETWORK_B", name)
    instance = one(h, p, "INSTANCE", name)
    # One kept-alive connection, plus one reopen: the client drops the connection after the create whose id
    # did not fit the caller's buffer (it closes after any failure to decode a response).
    h.check(lines(p, "CONNECTIONS") == [["2"]], name + " connections: %s" % lines(p, "CONNECTIONS"))
    h.check_auth_headers(log)

    # ---- storage
    lists = find(log, "GET", GPU + "/networkstorages/list")
    check_sequence(h, lists, [{}, {"storageId": SEED_STORAGE_2, "pageSize": "5", "pageNo": "1"},
                              {"storageName": "itest-vol"}, {"storageId": storage}, {"storageId": storage},
                              {"storageId": storage}], name + " storage list queries")
    creates = find(log, "POST", GPU + "/networkstorage/create")
    check_sequence(h, creates, [
        {"clusterId": "1", "storageName": "itest-vol", "storageSize": 10},
        {"clusterId": "8", "storageName": "nope", "storageSize": 10},
        {"clusterId": "1", "storageName": "huge", "storageSize": 20000},
        {"clusterId": "5", "storageName": "small-buffer", "storageSize": 10},
    ], name + " storage create bodies (storageSize an integer)")
    h.check([r["status"] for r in creates] == [200, 400, 400, 200], name + " storage create statuses")
    updates = find(log, "POST", GPU + "/networkstorage/update")
    check_sequence(h, updates, [
        {"storageId": storage, "storageName": "itest-vol2", "storageSize": 12},
        {"storageId": storage, "storageName": "itest-vol2", "storageSize": 11},
        {"storageId": storage, "storageName": "x", "storageSize": 20},
    ], name + " storage update bodies (storageSize an integer)")
    deletes = find(log, "POST", GPU + "/networkstorage/delete")
    check_sequence(h, deletes, [{"storageId": SEED_STORAGE_1}, {"storageId": storage}, {"storageId": storage}],
                   name + " storage delete bodies ({storageId}, not {id})")
    h.check([r["status"] for r in deletes] == [400, 200, 400], name + " storage delete statuses")

    # ---- networks
    nlists = find(log, "GET", GPU + "/networks")
    check_sequence(h, nlists, [{}, {"pageNum": "1", "pageSize": "2"}, {"creators": OTHER_USER}, {"name": "TRAIN"},
                               {"name": "itest-net-b"}], name + " network list queries")
    ncreates = find(log, "POST", GPU + "/network/create")
    check_sequence(h, ncreates, [
        {"clusterId": "1", "name": "itest-net"},
        {"clusterId": "8", "name": "itest-net-b"},
        {"clusterId": "5", "name": "no-vpc-here"},
        {"clusterId": "1", "name": "a-name-longer-than-thirty-chars"},
    ], name + " network create bodies")
    gets = find(log, "GET", GPU + "/network")
    check_sequence(h, gets, [{"networkId": network}] * 4, name + " network get queries")
    h.check([r["status"] for r in gets] == [200, 200, 200, 400], name + " network get statuses")
    nupdates = find(log, "POST", GPU + "/network/update")
    check_sequence(h, nupdates, [{"networkId": network, "name": "itest-net-2"}, {"networkId": network, "name": "again"}],
                   name + " network update bodies")
    ndeletes = find(log, "POST", GPU + "/network/delete")
    check_sequence(h, ndeletes, [{"networkId": network}] * 3 + [{"networkId": network_b}],
                   name + " network delete bodies")
    h.check([r["status"] for r in ndeletes] == [400, 200, 400, 200], name + " network delete statuses")
    icreates = find(log, "POST", GPU + "/gpu/instance/create")
    h.check(len(icreates) == 1 and icreates[0]["body"].get("networkId") == network, name + " instance in the network")
    idel = find(log, "POST", GPU + "/gpu/instance/delete")
    h.check(len(idel) == 1 and idel[0]["body"] == {"instanceId": instance}, name + " instance delete")

    # Invalid arguments sent nothing: the log holds exactly the requests above.
    expected = (len(lists) + len(creates) + len(updates) + len(deletes) + len(nlists) + len(ncreates) + len(gets)
                + len(nupdates) + len(ndeletes) + len(icreates) + len(idel))
    h.check(len(log) == expected == 6 + 4 + 3 + 3 + 5 + 4 + 4 + 2 + 4 + 1 + 1,
            name + " no stray requests: %d logged" % len(log))


def walk_pages(h, reqs, page_key, size, what):
    """The requests of one all-pages walk: consecutive page numbers from 0, the same page size."""
    numbers = [r["query"].get(page_key) for r in reqs]
    h.check(numbers == [str(k) for k in range(len(reqs))], what + " page numbers " + str(numbers))
    h.check(all(r["query"].get("pageSize") == size for r in reqs), what + " page size " + size)
    h.check(all(r["status"] == 200 for r in reqs), what + " statuses")


def check_paging(h, name, p, log, base):
    h.check(lines(p, "STORAGE_WALK") and lines(p, "STORAGE_WALK")[0][0] == str(PAGE_ITEMS),
            name + " storage walk count")
    h.check(lines(p, "NETWORK_WALK") and lines(p, "NETWORK_WALK")[0][0] == str(PAGE_ITEMS),
            name + " network walk count")
    h.check(lines(p, "CONNECTIONS") == [["1"]], name + " one connection for the whole walk")
    h.check_auth_headers(log)
    h.check(len(find(log, "POST", GPU + "/networkstorage/create")) == PAGE_ITEMS, name + " storages created")
    h.check(len(find(log, "POST", GPU + "/network/create")) == PAGE_ITEMS, name + " networks created")

    lists = find(log, "GET", GPU + "/networkstorages/list")
    filtered = [r for r in lists if r["query"].get("storageName") == "page-vol"]
    h.check(all(set(r["query"]) == {"pageNo", "pageSize", "storageName"} for r in filtered),
            name + " storage walk query names")
    walk_pages(h, filtered, "pageNo", "7", name + " storage walk")
    # 40 in pages of 7 = 6 pages; a 1-based server answers page 0 like page 1 (one repeat, skipped).
    h.check(len(filtered) == (7 if base == 1 else 6), name + " storage walk requests: %d" % len(filtered))
    h.check(lines(p, "STORAGE_WALK")[0][1] == str(len(filtered)), name + " storage walk pages reported")
    unfiltered = [r for r in lists if "storageName" not in r["query"]]
    h.check([r["query"] for r in unfiltered] == [{"pageNo": "0", "pageSize": "50"}],
            name + " unfiltered storage walk: one page at the default size")

    nlists = find(log, "GET", GPU + "/networks")
    h.check(all(r["query"].get("name") == "page-net-" and set(r["query"]) == {"pageNum", "pageSize", "name"}
                for r in nlists), name + " network walk query names")
    walked = int(lines(p, "NETWORK_WALK")[0][1])
    walk_pages(h, nlists[:walked], "pageNum", "6", name + " network walk")
    walk_pages(h, nlists[walked:], "pageNum", "6", name + " network array-mode walk")
    h.check(walked == (8 if base == 1 else 7), name + " network walk requests: %d" % walked)
    # Odd page numbers got {"networks", total:int}, even ones {"network", total:"n"}: both were decoded.
    parities = {int(r["query"]["pageNum"]) % 2 for r in nlists[:walked]}
    h.check(parities == {0, 1}, name + " both response shapes served during the walk")


def main():
    binary = sys.argv[1]
    h = Harness()
    p = h.run(binary, "-", "-", "decode")
    h.check(p.returncode == 0, "decode mode exit code")
    for base, extra in ((1, ()), (0, ("--page-base", "0"))):
        with h.sims(*extra) as (plain, tls, ca):
            for name, sim, url, cafile in h.modes(plain, tls, ca):
                if base == 0 and name == "https":
                    continue  # the 0-based pager is the same over TLS; spare the run time
                name = "%s page-base %d" % (name, base)
                if base == 1:
                    sim.reset()
                    p = h.run(binary, url, cafile, "ops")
                    h.check(p.returncode == 0, name + " ops exit code")
                    check_ops(h, name, p, sim.requests())
                sim.reset()
                p = h.run(binary, url, cafile, "paging")
                h.check(p.returncode == 0, name + " paging exit code")
                check_paging(h, name, p, sim.requests(), base)
    sys.exit(h.report())


if __name__ == "__main__":
    main()

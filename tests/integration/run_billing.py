#!/usr/bin/env python3
"""Integration test of the balance and bill operations: test_billing (C) against the simulator over HTTP
and HTTPS, then every request checked on the wire: method, path under /openapi/v1 (the basic
namespace, never /gpu-instance), exact query names and values, the bearer header, and that invalid
arguments sent nothing.

Usage: run_billing.py TEST_BINARY
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BASIC, GPU, Harness, find  # noqa: E402

DAY = 86400
DEC_2025 = 1764547200
JAN_2026 = 1767225600


def queries(log, path):
    return [r["query"] for r in find(log, "GET", BASIC + path)]


def check_wire(h, name, log):
    h.check_auth_headers(log)
    h.check(all(r["method"] == "GET" for r in log), name + ": only GETs")
    h.check(all(r["path"].startswith(BASIC + "/billing/") and not r["path"].startswith(GPU) for r in log),
            name + ": every path in the basic namespace: %s" % sorted({r["path"] for r in log}))
    h.check(all(r["body"] is None for r in log), name + ": no request bodies")

    bal = queries(log, "/billing/balance/detail")
    h.check(bal == [{}], name + ": one balance request without a query (invalid calls sent nothing): %s" % bal)

    dec7 = {"startTime": str(DEC_2025), "endTime": str(DEC_2025 + 7 * DAY)}
    full = dict(cycleType="Day", productCategory="gpu", category="instance", productName="4090",
                ownerId="seed-0001", **dec7)
    summary = {"cycleType": "Month", "productCategory": "summary", "startTime": str(DEC_2025),
               "endTime": str(DEC_2025 + 31 * DAY - 1)}
    gpu_week = {"cycleType": "Day", "productCategory": "gpu", "startTime": str(DEC_2025)}
    usage = queries(log, "/billing/bill/list")
    want = [full, summary, summary, summary,                      # array, callback, cancelled callback
            dict(gpu_week, cycleType="Year", endTime=str(DEC_2025 + 31 * DAY - 1)),
            dict(gpu_week, productCategory="bogus", endTime=str(DEC_2025 + 31 * DAY - 1)),
            dict(gpu_week, endTime=str(DEC_2025 + 40 * DAY)),
            dict(gpu_week, endTime=str(DEC_2025 + 7 * DAY), productName="too-fast"),
            dict(gpu_week, endTime=str(DEC_2025 + 7 * DAY), productName="too-fast"),   # the one retry
            dict(gpu_week, endTime=str(DEC_2025 + 7 * DAY), productName="bill-error"),  # not retried
            dict(gpu_week, endTime=str(DEC_2025 + 7 * DAY), productName="fraction-test")]
    h.check(usage == want, name + ": usage-bill queries (invalid arguments sent nothing)\n got  %s\n want %s"
            % (usage, want))

    fixed = queries(log, "/billing/bill/monthly/list")
    f_full = {"category": "gpu", "productName": "4090", "startTime": str(DEC_2025),
              "endTime": str(DEC_2025 + 30 * DAY), "ownerId": "seed-0002"}
    want = [f_full, {}, dict(f_full, category="bogus"), dict(f_full, productName="too-fast"),
            dict(f_full, productName="too-fast")]
    h.check(fixed == want, name + ": fixed-term queries\n got  %s\n want %s" % (fixed, want))

    monthly = queries(log, "/billing/monthly/bill")
    want = [{"page": "2", "pageSize": "5"}, {"startMonth": "2025-10"}]
    want += [{"page": str(p), "pageSize": "7"} for p in range(1, 6)]        # the walk: pages 1..5 of 7
    want += [{"page": str(p), "pageSize": "10"} for p in range(1, 5)]       # 3 full pages + an empty one
    want += [{"page": "1", "pageSize": "50"}]                               # NOVITA_LIST_PAGE_SIZE
    want += [{"startMonth": "2025-13"}]
    h.check(monthly == want, name + ": monthly-bill queries (all-pages walk from page 1)\n got  %s\n want %s"
            % (monthly, want))

    apikey = queries(log, "/billing/apikey/bill/list")
    a_full = {"cycleType": "Day", "category": "llm", "productName": "deepseek", "startTime": str(JAN_2026),
              "endTime": str(JAN_2026 + 7 * DAY)}
    a_bare = {"cycleType": "Day", "startTime": str(JAN_2026), "endTime": str(JAN_2026 + 7 * DAY)}
    want = [a_full, a_bare, dict(a_bare, cycleType="Hour"), dict(a_bare, startTime=str(JAN_2026 - 2 * DAY)),
            dict(a_bare, productName="too-fast"), dict(a_bare, productName="too-fast")]
    h.check(apikey == want, name + ": API-key bill queries\n got  %s\n want %s" % (apikey, want))

    statuses = [r["status"] for r in find(log, "GET", BASIC + "/billing/bill/list")
                if r["query"].get("productName") == "too-fast"]
    h.check(statuses == [429, 429], name + ": 429 answered twice (first try and one retry): %s" % statuses)


def main():
    binary = sys.argv[1]
    h = Harness()
    with h.sims() as (plain, tls, ca):
        for name, sim, url, cafile in h.modes(plain, tls, ca):
            sim.reset()
            p = h.run(binary, url, cafile, "all")
            h.check(p.returncode == 0, name + " exit code (%s)" % p.stdout.strip())
            check_wire(h, name, sim.requests())
    return h.report()


if __name__ == "__main__":
    sys.exit(main())

"""CLI tests of `novita balance` and `novita billing usage|fixed|monthly|apikey` against the simulator.

Run:  NOVITA_CLI=build/novita python3 tests/cli/test_cli_billing.py -v
"""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_support import CliCase  # noqa: E402

BASIC = "/openapi/v1"
DEC_2025 = 1764547200
JAN_2026 = 1767225600
DAY = 86400

USAGE_KEYS = ["userId", "startTime", "endTime", "billingMethod", "productName", "category", "ownerID",
              "billNum0", "billNum1", "basePrice0", "basePrice1", "discountPrice0", "discountPrice1", "amount",
              "voucherAmount", "payAmount", "payAmountDisplay", "pricePrecision", "productId"]
FIXED_KEYS = ["userId", "memberId", "startTime", "endTime", "productName", "productCategory", "ownerID",
              "tradeMode", "tradeType", "basePrice", "billNum", "amount", "voucherAmount", "payAmount",
              "payAmountDisplay", "pricePrecision", "createTime", "cycle", "storageDays", "productId",
              "billingMethod"]
MONTHLY_KEYS = ["billId", "userId", "billingMonth", "totalAmount", "originTotalAmount", "voucherPayAmount",
                "cashPayAmount", "debtAmount", "status", "invoiceUrl", "startTime", "endTime", "repaidAmount"]


class BillingCli(CliCase):
    def setUp(self):
        self.sim.hook("POST", "reset", {"state": True})

    def only_request(self, path):
        reqs = self.requests()
        self.assertEqual([(r["method"], r["path"]) for r in reqs], [("GET", BASIC + path)])
        return reqs[0]

    # ---------------------------------------------------------------- balance

    def test_balance_text(self):
        p = self.ok("balance")
        lines = p.stdout.splitlines()
        self.assertEqual([re.split(r":\s+", ln, 1) for ln in lines],
                         [["available", "$15.0000"], ["cash", "-$5.0000"], ["credit limit", "$20.0000"],
                          ["pending charges", "$0.0000"], ["outstanding", "$5.0000"]])
        self.assertEqual(self.only_request("/billing/balance/detail")["query"], {})

    def test_balance_json(self):
        doc = self.ok_json("balance")
        self.assertEqual(list(doc), ["availableBalance", "cashBalance", "creditLimit", "pendingCharges",
                                     "outstandingInvoices"])
        self.assertEqual(doc, {"availableBalance": 150000, "cashBalance": -50000, "creditLimit": 200000,
                               "pendingCharges": 0, "outstandingInvoices": 50000})

    def test_balance_usage_and_auth_errors(self):
        self.fails(2, "balance", "extra")
        self.fails(2, "balance", "--bogus")
        self.assertEqual(self.requests(), [])
        p = self.fails(3, "balance", key="wrong-key")
        self.assertIn("HTTP 401 UNAUTHORIZED", p.stderr)
        self.assertEqual(p.stdout, "")

    # ---------------------------------------------------------------- usage-based bills

    def test_usage_every_option(self):
        p = self.ok("billing", "usage", "--cycle", "Day", "--category", "gpu", "--subcategory", "instance",
                    "--product", "4090", "--start", str(DEC_2025), "--end", str(DEC_2025 + 7 * DAY),
                    "--owner", "seed-0001")
        req = self.only_request("/billing/bill/list")
        self.assertEqual(req["query"], {"cycleType": "Day", "productCategory": "gpu", "category": "instance",
                                        "productName": "4090", "startTime": str(DEC_2025),
                                        "endTime": str(DEC_2025 + 7 * DAY), "ownerId": "seed-0001"})
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["START", "END", "CATEGORY", "PRODUCT", "OWNER", "AMOUNT", "VOUCHER",
                                            "PAID"])
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[1].startswith("2025-12-01 00:00:00 UTC  2025-12-01 23:59:59 UTC"), lines[1])
        self.assertEqual(lines[1].split()[-3:], ["$16.0800", "$6.0800", "$10.0000"])
        self.assertEqual(lines[2].split()[-3:], ["-$0.5000", "$0.0000", "-$0.5000"])

    def test_usage_json(self):
        doc = self.ok_json("billing", "usage", "--cycle", "Month", "--category", "summary",
                           "--start", str(DEC_2025), "--end", str(DEC_2025 + 31 * DAY - 1))
        self.assertEqual(doc["total"], 4)
        self.assertEqual([list(b) for b in doc["items"]], [USAGE_KEYS] * 4)
        llm = doc["items"][1]
        self.assertEqual((llm["amount"], llm["payAmount"], llm["payAmountDisplay"], llm["billingMethod"]),
                         (123456, 123456, "12.3456", "1"))
        self.assertEqual([b["amount"] for b in doc["items"]], [160800, 123456, -5000, 0])

    def test_usage_usage_errors(self):
        self.fails(2, "billing", "usage", "--category", "gpu")                       # no --cycle
        self.fails(2, "billing", "usage", "--cycle", "Year", "--category", "gpu")   # not a cycle
        self.fails(2, "billing", "usage", "--cycle", "Day")                         # no --category
        self.fails(2, "billing", "usage", "--cycle", "Day", "--category", "gpu", "--start", "yesterday")
        self.fails(2, "billing", "usage", "--cycle", "Day", "--category", "gpu", "--start", "0")
        self.fails(2, "billing", "usage", "--cycle", "Day", "--category", "gpu", "extra")
        self.assertEqual(self.requests(), [])

    def test_usage_api_errors(self):
        p = self.fails(1, "billing", "usage", "--cycle", "Day", "--category", "bogus")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 400 INVALID_PRODUCT_CATEGORY", p.stderr)
        p = self.fails(1, "billing", "usage", "--cycle", "Day", "--category", "gpu", "--start", str(DEC_2025),
                       "--end", str(DEC_2025 + 40 * DAY))
        self.assertIn("31 days", p.stderr)

    def test_rate_limited_exit_5_after_retries(self):
        p = self.fails(5, "--retries", "1", "billing", "usage", "--cycle", "Day", "--category", "gpu",
                       "--product", "too-fast")
        self.assert_one_error_line(p)
        self.assertIn("HTTP 429 LIST_BILL_TOO_FAST", p.stderr)
        self.assertEqual([r["status"] for r in self.requests("GET", "/billing/bill/list")], [429, 429])

    def test_server_error_exit_6(self):
        p = self.fails(6, "billing", "usage", "--cycle", "Day", "--category", "gpu", "--product", "bill-error")
        self.assertIn("HTTP 500 LIST_BILL_ERROR", p.stderr)
        self.assertEqual(len(self.requests()), 1)  # 500 is not retried

    def test_fractional_amount_is_a_decode_error(self):
        p = self.fails(9, "billing", "usage", "--cycle", "Day", "--category", "gpu", "--product",
                       "fraction-test")
        self.assertIn("usageBill.amount", p.stderr)
        self.assertEqual(p.stdout, "")

    # ---------------------------------------------------------------- fixed-term bills

    def test_fixed(self):
        p = self.ok("billing", "fixed", "--category", "gpu", "--product", "4090", "--start", str(DEC_2025),
                    "--end", str(DEC_2025 + 30 * DAY), "--owner", "seed-0002")
        self.assertEqual(self.only_request("/billing/bill/monthly/list")["query"],
                         {"category": "gpu", "productName": "4090", "startTime": str(DEC_2025),
                          "endTime": str(DEC_2025 + 30 * DAY), "ownerId": "seed-0002"})
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["CYCLE", "CATEGORY", "PRODUCT", "OWNER", "TRADE", "START", "END",
                                            "AMOUNT", "VOUCHER", "PAID"])
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[1].startswith("2025-12  gpu  "), lines[1])
        self.assertIn("monthly_new_buy", lines[1])
        self.assertEqual(lines[1].split()[-3:], ["$390.0000", "$0.0000", "$390.0000"])

    def test_fixed_json_defaults(self):
        doc = self.ok_json("billing", "fixed")
        self.assertEqual(self.only_request("/billing/bill/monthly/list")["query"], {})
        self.assertEqual(doc["total"], 3)
        self.assertEqual([list(b) for b in doc["items"]], [FIXED_KEYS] * 3)
        self.assertEqual([(b["productCategory"], b["amount"], b["voucherAmount"], b["storageDays"])
                          for b in doc["items"]],
                         [("gpu", 3900000, 0, 0), ("local_storage", 50000, 50000, 30), ("image", -20000, 0, 0)])

    # ---------------------------------------------------------------- monthly bills

    def test_monthly_page(self):
        p = self.ok("billing", "monthly", "--page", "2", "--page-size", "5")
        self.assertEqual(self.only_request("/billing/monthly/bill")["query"], {"page": "2", "pageSize": "5"})
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["MONTH", "BILL", "STATUS", "TOTAL", "ORIGINAL", "VOUCHER", "CASH",
                                            "DEBT", "REPAID"])
        self.assertEqual([ln.split()[0] for ln in lines[1:6]], ["2023-12", "2024-01", "2024-02", "2024-03",
                                                                "2024-04"])
        self.assertEqual(lines[3].split()[1:], ["mb-202402", "paid", "$108.6415", "$118.6415", "$10.0000",
                                                "$108.6415", "$0.0000", "$0.0000"])
        self.assertEqual(lines[6], "(page 2; more may follow: see --page, --all)")

    def test_monthly_start_month_json(self):
        doc = self.ok_json("billing", "monthly", "--start-month", "2025-10")
        self.assertEqual(self.only_request("/billing/monthly/bill")["query"], {"startMonth": "2025-10"})
        self.assertEqual([list(b) for b in doc["items"]], [MONTHLY_KEYS] * 3)
        self.assertEqual([(b["billingMonth"], b["status"]) for b in doc["items"]],
                         [("2025-10", "paid"), ("2025-11", "outed"), ("2025-12", "pending")])
        self.assertEqual(doc["items"][1]["debtAmount"], doc["items"][1]["totalAmount"])

    def test_monthly_all(self):
        doc = self.ok_json("billing", "monthly", "--all")
        self.assertEqual(doc["total"], 30)
        months = [b["billingMonth"] for b in doc["items"]]
        self.assertEqual(months[0], "2023-07")
        self.assertEqual(months[-1], "2025-12")
        self.assertEqual(months, sorted(set(months)))
        self.assertIn(-15000, [b["totalAmount"] for b in doc["items"]])
        reqs = self.requests("GET", "/billing/monthly/bill")
        self.assertEqual([r["query"] for r in reqs], [{"page": "1", "pageSize": "50"}])
        p = self.ok("billing", "monthly", "--all", "--start-month", "2025-01")
        self.assertEqual(len(p.stdout.splitlines()), 1 + 12)
        self.assertNotIn("more may follow", p.stdout)

    def test_monthly_usage_errors(self):
        self.fails(2, "billing", "monthly", "--all", "--page", "2")
        self.fails(2, "billing", "monthly", "--all", "--page-size", "5")
        self.fails(2, "billing", "monthly", "--start-month", "2025-13")
        self.fails(2, "billing", "monthly", "--start-month", "202501")
        self.fails(2, "billing", "monthly", "--page", "0")
        self.assertEqual(self.requests(), [])

    # ---------------------------------------------------------------- API-key bills

    def test_apikey(self):
        p = self.ok("billing", "apikey", "--cycle", "Day", "--start", str(JAN_2026), "--end",
                    str(JAN_2026 + 7 * DAY), "--category", "llm", "--product", "deepseek")
        self.assertEqual(self.only_request("/billing/apikey/bill/list")["query"],
                         {"cycleType": "Day", "category": "llm", "productName": "deepseek",
                          "startTime": str(JAN_2026), "endTime": str(JAN_2026 + 7 * DAY)})
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("prod-backend (sk-****a1b2)", lines[1])
        self.assertEqual(lines[1].split()[-3:], ["$1.0000", "$0.0000", "$1.0000"])

    def test_apikey_json(self):
        doc = self.ok_json("billing", "apikey", "--cycle", "Week", "--start", str(JAN_2026), "--end",
                           str(JAN_2026 + 7 * DAY))
        self.assertEqual([list(b) for b in doc["items"]], [USAGE_KEYS + ["apikeyName", "apikeyMask"]] * 3)
        self.assertEqual([(b["apikeyName"], b["amount"]) for b in doc["items"]],
                         [("prod-backend", 10000), ("ci-tests", 2500), ("prod-backend", -100)])

    def test_apikey_usage_errors(self):
        self.fails(2, "billing", "apikey", "--start", str(JAN_2026), "--end", str(JAN_2026 + DAY))
        self.fails(2, "billing", "apikey", "--cycle", "Hour", "--start", str(JAN_2026), "--end",
                   str(JAN_2026 + DAY))
        self.fails(2, "billing", "apikey", "--cycle", "Day", "--end", str(JAN_2026 + DAY))
        self.fails(2, "billing", "apikey", "--cycle", "Day", "--start", str(JAN_2026))
        self.assertEqual(self.requests(), [])
        p = self.fails(1, "billing", "apikey", "--cycle", "Day", "--start", str(JAN_2026 - 2 * DAY), "--end",
                       str(JAN_2026 + DAY))
        self.assertIn("HTTP 400 VALIDATOR_PARAM", p.stderr)

    # ---------------------------------------------------------------- group

    def test_group_usage(self):
        self.fails(2, "billing")
        self.fails(2, "billing", "bogus")
        self.assertEqual(self.requests(), [])
        p = subprocess.run([self.cli, "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 0)
        for line in ("  balance\n", "  billing usage --cycle Hour|Day|Week|Month --category C",
                     "  billing fixed [--category C]", "  billing monthly [--start-month YYYY-MM]",
                     "  billing apikey --cycle Day|Week|Month --start UNIX --end UNIX"):
            self.assertIn(line, p.stdout)
        self.assertEqual(self.run_cli("billing", "--help").returncode, 0)


if __name__ == "__main__":
    unittest.main()

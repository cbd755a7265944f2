"""Account balance and bills (REFERENCE 7 #50-#54, 8.12).  BASIC namespace: /openapi/v1/billing/...

GET /billing/balance/detail    -> {availableBalance, cashBalance, creditLimit, pendingCharges,
                                   outstandingInvoices}
GET /billing/bill/list         usage-based: cycleType (req, Hour|Day|Week|Month), productCategory (req),
                                   category (subcategory), productName (fuzzy), startTime, endTime, ownerId
                                   -> {bills: [...]}, not paged
GET /billing/bill/monthly/list fixed-term: category, productName, startTime, endTime, ownerId -> {bills}
GET /billing/monthly/bill      startMonth (YYYY-MM), page (from 1), pageSize (default 10) -> {data: [...]},
                                   no total; 30 months 2023-07 .. 2025-12, oldest first
GET /billing/apikey/bill/list  cycleType (req, Day|Week|Month), startTime (req, >= 2026-01-01),
                                   endTime (req, > startTime), category, productName -> {bills: [...]}

Amounts are in 0.0001 USD and, as in the docs, mostly strings; a few are JSON numbers (the docs' newer
examples mix both), one balance is negative (debt) and some bills are negative (refunds) or zero.

Errors (billing table of REFERENCE 5.3): a bad cycleType is 400 INVALID_BILL_CYCLE, a bad product
category 400 INVALID_PRODUCT_CATEGORY, a missing required parameter, a malformed number or month, an
end before the start or a range over 31 days 400 VALIDATOR_PARAM.
Deterministic failures for tests, chosen by productName: "too-fast" -> 429 LIST_BILL_TOO_FAST (on every
request, so retries are exhausted), "bill-error" -> 500 LIST_BILL_ERROR, and on the usage list
"fraction-test" returns one bill whose amount is "12.5" (a fraction the docs never show).
"""

import calendar
import copy
import re

from .core import BASIC, ApiError, bad_param, fuzzy, paginate, public

USER = "u-7f3a9c21"
DAY = 86400
MAX_RANGE = 31 * DAY
DEC_2025 = 1764547200        # 2025-12-01 00:00:00 UTC
NOV_2025 = 1761955200        # 2025-11-01 00:00:00 UTC
JAN_2026 = 1767225600        # 2026-01-01 00:00:00 UTC: API-key bills start here (docs)

USAGE_CYCLES = ("Hour", "Day", "Week", "Month")
APIKEY_CYCLES = ("Day", "Week", "Month")
USAGE_CATEGORIES = ("summary", "gpu", "llm", "serverless", "cloud_storage", "gen_api", "cloud_sandbox",
                    "llm_dedicated_endpoint", "web_search", "bare_metal")
FIXED_CATEGORIES = ("summary", "gpu", "serverless", "cloud_storage", "local_storage", "image", "bare_metal")

BALANCE = {
    # The account owes $5: a negative cash balance, covered by the credit limit.
    "availableBalance": "150000",
    "cashBalance": "-50000",
    "creditLimit": 200000,            # a JSON number, as some newer examples show
    "pendingCharges": "0",
    "outstandingInvoices": "50000",
}


def _usage(start, category, product, owner, amount, voucher, pay, sub, **extra):
    bill = {
        "userId": USER, "startTime": str(start), "endTime": str(start + DAY - 1), "billingMethod": "1",
        "productName": product, "category": category, "ownerID": owner,
        "billNum0": "0", "billNum1": "0", "basePrice0": "0", "basePrice1": "0",
        "discountPrice0": "0", "discountPrice1": "0",
        "amount": amount, "voucherAmount": voucher, "payAmount": pay, "payAmountDisplay": "0",
        "pricePrecision": "1", "productId": "", "_sub": sub,
    }
    bill.update(extra)
    return bill


USAGE_BILLS = [
    # 24 h of an RTX 4090 at $0.67/h = $16.08, $6.08 of it paid by a voucher.
    _usage(DEC_2025, "gpu", "RTX 4090 24GB", "seed-0001", "160800", "60800", "100000", "instance",
           billNum0="24", basePrice0="6700", discountPrice0="6700", payAmountDisplay="10",
           productId="4090.16c62g"),
    # The docs' newer example: numbers where the older one had strings.
    _usage(DEC_2025 + DAY, "llm", "deepseek/deepseek-r1", "", "123456", "0", 123456, "chat",
           billingMethod=1, billNum0="1000", billNum1="500", payAmountDisplay=12.3456, pricePrecision=1,
           productId="llm-deepseek-r1"),
    # A refund: negative amounts.
    _usage(DEC_2025 + 2 * DAY, "gpu", "RTX 4090 24GB", "seed-0001", "-5000", "0", "-5000", "instance",
           payAmountDisplay="-0.5", productId="4090.16c62g"),
    # Nothing to pay.
    _usage(DEC_2025 + 3 * DAY, "serverless", "endpoint llama-3-8b", "ep-0001", "0", "0", "0", "endpoint"),
    # November: outside a December range.
    _usage(NOV_2025 + 9 * DAY, "cloud_storage", "Network Storage 100GB", "ns-1", "30000", "0", "30000",
           "network_storage", billNum0="100", basePrice0="300", payAmountDisplay="3"),
]

FIXED_BILLS = [
    {"userId": USER, "memberId": "", "startTime": str(DEC_2025), "endTime": str(DEC_2025 + 31 * DAY - 1),
     "productName": "RTX 4090 24GB", "productCategory": "gpu", "ownerID": "seed-0002",
     "tradeMode": "monthly", "tradeType": "monthly_new_buy", "basePrice": "3900000", "billNum": "1",
     "amount": "3900000", "voucherAmount": "0", "payAmount": "3900000", "payAmountDisplay": 390,
     "pricePrecision": 1, "createTime": str(DEC_2025), "cycle": "2025-12", "productId": "4090.16c62g",
     "billingMethod": 2},
    {"userId": USER, "memberId": "", "startTime": str(DEC_2025), "endTime": str(DEC_2025 + 31 * DAY - 1),
     "productName": "Local Storage 100GB", "productCategory": "local_storage", "ownerID": "seed-0002",
     "tradeMode": "monthly", "tradeType": "monthly_renew", "basePrice": "50000", "billNum": "1",
     "amount": "50000", "voucherAmount": 50000, "payAmount": "0", "payAmountDisplay": "0",
     "pricePrecision": "1", "createTime": str(DEC_2025 + 3600), "cycle": "2025-12", "storageDays": "30",
     "productId": "local-storage", "billingMethod": "2"},
    {"userId": USER, "memberId": "m-0042", "startTime": str(NOV_2025), "endTime": str(NOV_2025 + 30 * DAY - 1),
     "productName": "Image cache 50GB", "productCategory": "image", "ownerID": "img-7",
     "tradeMode": "monthly", "tradeType": "monthly_refund", "basePrice": "20000", "billNum": "1",
     "amount": "-20000", "voucherAmount": "0", "payAmount": "-20000", "payAmountDisplay": "-2",
     "pricePrecision": "1", "createTime": str(NOV_2025 + 5 * DAY), "cycle": "2025-11",
     "productId": "image-cache", "billingMethod": "2"},
]


def _apikey(start, key_id, name, mask, category, product, amount, pay, **extra):
    bill = {
        "userId": USER, "startTime": str(start), "endTime": str(start + DAY - 1), "billingMethod": 1,
        "productName": product, "category": category, "ownerID": key_id,
        "billNum0": "1000", "billNum1": "500", "basePrice0": "0", "basePrice1": "0",
        "discountPrice0": "0", "discountPrice1": "0", "amount": amount, "voucherAmount": "0",
        "payAmount": pay, "payAmountDisplay": 1, "pricePrecision": 1, "productId": "",
        "apikeyName": name, "apikeyMask": mask,
    }
    bill.update(extra)
    return bill


APIKEY_BILLS = [
    _apikey(JAN_2026, "key-01", "prod-backend", "sk-****a1b2", "llm", "deepseek/deepseek-r1", "10000",
            "10000", productId="llm-deepseek-r1"),
    _apikey(JAN_2026 + DAY, "key-02", "ci-tests", "sk-****c3d4", "gen_api", "flux-1-schnell", 2500, 2500,
            billNum0="10", billNum1="0", payAmountDisplay="0.25"),
    _apikey(JAN_2026 + 2 * DAY, "key-01", "prod-backend", "sk-****a1b2", "web_search", "web-search", "-100",
            "-100", payAmountDisplay="-0.01"),
]


def _month_bounds(year, month):
    start = calendar.timegm((year, month, 1, 0, 0, 0))
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    return start, calendar.timegm((ny, nm, 1, 0, 0, 0)) - 1


def monthly_seed():
    """30 statements, 2023-07 .. 2025-12, oldest first."""
    out = []
    year, month = 2023, 7
    for i in range(30):
        label = "%04d-%02d" % (year, month)
        start, end = _month_bounds(year, month)
        total = 0 if i == 0 else 1000000 + i * 12345
        voucher = 100000 if i % 3 == 1 else 0
        status, debt, repaid = "paid", 0, 0
        if label == "2025-12":
            status = "pending"
        elif label == "2025-11":
            status, debt = "outed", total
        elif label == "2025-05":
            status, debt = "overdue", total - 250000
        elif label == "2024-09":
            repaid = 250000
        if label == "2024-12":
            total = -15000                # a month of refunds
        cash = 0 if total <= 0 or status == "pending" else total - debt   # pending: not charged yet
        bill = {
            "billId": "mb-%04d%02d" % (year, month), "userId": USER, "billingMonth": label,
            "totalAmount": str(total), "originTotalAmount": str(total + voucher),
            "voucherPayAmount": str(voucher), "cashPayAmount": str(cash),
            "debtAmount": str(debt), "status": status,
            "invoiceUrl": "" if status == "pending" else
            "https://invoices.novita.example/%s/%s.pdf" % (USER, label),
            "startTime": str(start), "endTime": str(end), "repaidAmount": str(repaid),
        }
        if label == "2024-02":             # numbers instead of strings
            for k in ("totalAmount", "originTotalAmount", "voucherPayAmount", "cashPayAmount",
                      "debtAmount", "repaidAmount", "startTime", "endTime"):
                bill[k] = int(bill[k])
        out.append(bill)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# ---------------------------------------------------------------- validation

def _enum(req, name, allowed, reason, required):
    v = req.q_str(name)
    if v is None:
        if required:
            raise bad_param("%s is required" % name)
        return None
    if v not in allowed:
        raise ApiError(400, reason, "invalid %s: %s" % (name, v))
    return v


def _time_range(req, required=False):
    start = req.q_int("startTime", lo=0)
    end = req.q_int("endTime", lo=0)
    if required:
        if not start:
            raise bad_param("startTime is required")
        if not end:
            raise bad_param("endTime is required")
    if start and end:
        if end <= start:
            raise bad_param("endTime must be greater than startTime")
        if end - start > MAX_RANGE:
            raise bad_param("the query range must not exceed 31 days")
    return start, end


def _special_product(name):
    """Deterministic failures chosen by productName (see the module docstring)."""
    if name == "too-fast":
        raise ApiError(429, "LIST_BILL_TOO_FAST", "list bill too fast, please try again later")
    if name == "bill-error":
        raise ApiError(500, "LIST_BILL_ERROR", "list bill error")


def _in_range(bill, start, end):
    if start and int(bill["endTime"]) < start:
        return False
    if end and int(bill["startTime"]) > end:
        return False
    return True


def _matches(bill, product, owner, start, end):
    return ((product is None or fuzzy(product, bill["productName"]))
            and (owner is None or bill["ownerID"] == owner)
            and _in_range(bill, start, end))


# ---------------------------------------------------------------- handlers

def get_balance(req):
    return dict(req.store.billing_balance)


def list_usage_bills(req):
    _enum(req, "cycleType", USAGE_CYCLES, "INVALID_BILL_CYCLE", True)
    category = _enum(req, "productCategory", USAGE_CATEGORIES, "INVALID_PRODUCT_CATEGORY", True)
    sub = req.q_str("category")
    product = req.q_str("productName")
    owner = req.q_str("ownerId")
    start, end = _time_range(req)
    _special_product(product)
    if product == "fraction-test":
        bill = public(USAGE_BILLS[0])
        bill.update({"productName": product, "amount": "12.5"})
        return {"bills": [bill]}
    bills = [public(b) for b in req.store.billing_usage
             if (category == "summary" or b["category"] == category)
             and (sub is None or b["_sub"] == sub)
             and _matches(b, product, owner, start, end)]
    return {"bills": bills}


def list_fixed_term_bills(req):
    category = _enum(req, "category", FIXED_CATEGORIES, "INVALID_PRODUCT_CATEGORY", False) or "summary"
    product = req.q_str("productName")
    owner = req.q_str("ownerId")
    start, end = _time_range(req)
    _special_product(product)
    bills = [dict(b) for b in req.store.billing_fixed
             if (category == "summary" or b["productCategory"] == category)
             and _matches(b, product, owner, start, end)]
    return {"bills": bills}


MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def list_monthly_bills(req):
    start_month = req.q_str("startMonth")
    if start_month is not None and not MONTH_RE.match(start_month):
        raise bad_param("startMonth must be YYYY-MM")
    bills = [b for b in req.store.billing_monthly
             if start_month is None or b["billingMonth"] >= start_month]
    page, _total = paginate(req, bills, "page", "pageSize", 10, one_based=True)
    return {"data": [dict(b) for b in page]}      # no total: the docs show none


def list_apikey_bills(req):
    _enum(req, "cycleType", APIKEY_CYCLES, "INVALID_BILL_CYCLE", True)
    category = req.q_str("category")
    product = req.q_str("productName")
    start, end = _time_range(req, required=True)
    if start < JAN_2026:
        raise bad_param("startTime must not be before 2026-01-01 00:00:00")
    _special_product(product)
    bills = [dict(b) for b in req.store.billing_apikey
             if (category is None or b["category"] == category)
             and _matches(b, product, None, start, end)]
    return {"bills": bills}


def init_state(store):
    store.billing_balance = dict(BALANCE)
    store.billing_usage = copy.deepcopy(USAGE_BILLS)
    store.billing_fixed = copy.deepcopy(FIXED_BILLS)
    store.billing_monthly = monthly_seed()
    store.billing_apikey = copy.deepcopy(APIKEY_BILLS)


def register(router):
    router.add("GET", BASIC + "/billing/balance/detail", get_balance)
    router.add("GET", BASIC + "/billing/bill/list", list_usage_bills)
    router.add("GET", BASIC + "/billing/bill/monthly/list", list_fixed_term_bills)
    router.add("GET", BASIC + "/billing/monthly/bill", list_monthly_bills)
    router.add("GET", BASIC + "/billing/apikey/bill/list", list_apikey_bills)

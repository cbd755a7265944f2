/*
 * Balance and bills against the simulator over real sockets (HTTP or HTTPS through the POSIX port).
 * Usage: test_billing BASE_URL CA_FILE|- all
 * Runs every billing operation: decoded amounts compared as exact integers (strings, JSON numbers,
 * negatives), client-side validation (nothing sent), the billing error reasons, the 429 mapping after
 * retries and the all-pages walk of the monthly bills. The driver (run_billing.py) checks the wire.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "itest.h"
#include "novita/billing.h"

#define DAY 86400
#define DEC_2025 1764547200 /* 2025-12-01 00:00:00 UTC */
#define JAN_2026 1767225600 /* 2026-01-01 00:00:00 UTC */

static itest t;
static novita_usage_bill usage[8];
static novita_fixed_term_bill fixed[8];
static novita_monthly_bill monthly[40];
static novita_monthly_bill one_monthly;
static novita_apikey_bill apikey[8];

static const novita_error *last(void)
{
    return novita_client_last_error(&t.client);
}

static void check_api_error(novita_result r, novita_result want, int status, const char *reason)
{
    CHECK_EQ_INT(r, want);
    CHECK_EQ_INT(last()->http_status, status);
    CHECK_STR(last()->reason, reason);
}

/* ------------------------------------------------------------------ balance */

static void balance(void)
{
    novita_balance b;
    CHECK_EQ_INT(novita_balance_get(&t.client, &b, NULL), NOVITA_OK);
    CHECK_EQ_INT(b.available_balance, 150000);
    CHECK_EQ_INT(b.cash_balance, -50000); /* debt: "-50000" */
    CHECK_EQ_INT(b.credit_limit, 200000); /* a JSON number on the wire */
    CHECK_EQ_INT(b.pending_charges, 0);
    CHECK_EQ_INT(b.outstanding_invoices, 50000);
    CHECK_EQ_INT(novita_balance_get(&t.client, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_balance_get(NULL, &b, NULL), NOVITA_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ usage-based bills */

typedef struct usage_tally {
    size_t seen;
    int64_t amount_sum;
    size_t stop_after; /* 0 = never stop */
} usage_tally;

static novita_result on_usage(void *user, const void *item)
{
    usage_tally *tally = (usage_tally *)user;
    const novita_usage_bill *bill = (const novita_usage_bill *)item;
    tally->seen++;
    tally->amount_sum += bill->amount;
    return tally->stop_after && tally->seen >= tally->stop_after ? NOVITA_ERR_CANCELLED : NOVITA_OK;
}

static void usage_bills(void)
{
    novita_usage_bill_filter f;
    novita_list list = NOVITA_LIST_ARRAY(usage);
    novita_call_opts one_retry = NOVITA_CALL_OPTS_INIT;
    novita_usage_bill scratch;
    usage_tally tally;
    novita_list cb;
    one_retry.max_retries = 1;

    /* Every query parameter. */
    memset(&f, 0, sizeof f);
    f.cycle_type = "Day";
    f.product_category = "gpu";
    f.category = "instance";
    f.product_name = "4090";
    f.start_time = DEC_2025;
    f.end_time = DEC_2025 + 7 * DAY;
    f.owner_id = "seed-0001";
    CHECK_EQ_INT(novita_bills_usage_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_EQ_INT(list.total, -1);
    CHECK_STR(usage[0].user_id, "u-7f3a9c21");
    CHECK_EQ_INT(usage[0].start_time, DEC_2025);
    CHECK_EQ_INT(usage[0].end_time, DEC_2025 + DAY - 1);
    CHECK_STR(usage[0].billing_method, "1");
    CHECK_STR(usage[0].product_name, "RTX 4090 24GB");
    CHECK_STR(usage[0].category, "gpu");
    CHECK_STR(usage[0].owner_id, "seed-0001"); /* "ownerID" on the wire */
    CHECK_EQ_INT(usage[0].bill_num0, 24);
    CHECK_EQ_INT(usage[0].base_price0, 6700);
    CHECK_EQ_INT(usage[0].discount_price0, 6700);
    CHECK_EQ_INT(usage[0].amount, 160800);
    CHECK_EQ_INT(usage[0].voucher_amount, 60800);
    CHECK_EQ_INT(usage[0].pay_amount, 100000);
    CHECK_EQ_INT(usage[0].amount, usage[0].voucher_amount + usage[0].pay_amount);
    CHECK_STR(usage[0].pay_amount_display, "10");
    CHECK_EQ_INT(usage[0].price_precision, 1);
    CHECK_STR(usage[0].product_id, "4090.16c62g");
    CHECK_EQ_INT(usage[1].amount, -5000); /* a refund */
    CHECK_EQ_INT(usage[1].pay_amount, -5000);
    CHECK_STR(usage[1].pay_amount_display, "-0.5");

    /* Summary over December: the November bill is out of range; numbers arrive as JSON numbers too. */
    memset(&f, 0, sizeof f);
    f.cycle_type = "Month";
    f.product_category = "summary";
    f.start_time = DEC_2025;
    f.end_time = DEC_2025 + 31 * DAY - 1;
    list = (novita_list)NOVITA_LIST_ARRAY(usage);
    CHECK_EQ_INT(novita_bills_usage_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 4);
    CHECK_STR(usage[1].category, "llm");
    CHECK_STR(usage[1].billing_method, "1");        /* the number 1 */
    CHECK_EQ_INT(usage[1].pay_amount, 123456);      /* the number 123456 */
    CHECK_STR(usage[1].pay_amount_display, "12.3456"); /* the number 12.3456, kept as its text */
    CHECK_EQ_INT(usage[1].price_precision, 1);
    CHECK_EQ_INT(usage[1].bill_num0, 1000);
    CHECK_EQ_INT(usage[1].bill_num1, 500);
    CHECK_STR(usage[1].owner_id, "");
    CHECK_EQ_INT(usage[3].amount, 0);
    CHECK_STR(usage[3].owner_id, "ep-0001");

    /* Callback mode: one struct for any number of bills; the callback can stop the listing. */
    memset(&tally, 0, sizeof tally);
    cb = (novita_list)NOVITA_LIST_CALLBACK(&scratch, on_usage, &tally);
    CHECK_EQ_INT(novita_bills_usage_list(&t.client, &f, &cb, NULL), NOVITA_OK);
    CHECK_EQ_UINT(tally.seen, 4);
    CHECK_EQ_INT(tally.amount_sum, 160800 + 123456 - 5000 + 0);
    memset(&tally, 0, sizeof tally);
    tally.stop_after = 1;
    cb = (novita_list)NOVITA_LIST_CALLBACK(&scratch, on_usage, &tally);
    CHECK_EQ_INT(novita_bills_usage_list(&t.client, &f, &cb, NULL), NOVITA_ERR_CANCELLED);
    CHECK_EQ_UINT(tally.seen, 1);

    /* Required parameters are checked before anything is sent. */
    list = (novita_list)NOVITA_LIST_ARRAY(usage);
    CHECK_EQ_INT(novita_bills_usage_list(&t.client, NULL, &list, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "filter.cycle_type is required");
    f.cycle_type = "";
    CHECK_EQ_INT(novita_bills_usage_list(&t.client, &f, &list, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "filter.cycle_type is required");
    f.cycle_type = "Day";
    f.product_category = NULL;
    CHECK_EQ_INT(novita_bills_usage_list(&t.client, &f, &list, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "filter.product_category is required");
    CHECK_EQ_INT(last()->http_status, 0);
    f.product_category = "gpu";
    CHECK_EQ_INT(novita_bills_usage_list(NULL, &f, &list, NULL), NOVITA_ERR_INVALID_ARG);

    /* The API's validation: billing reasons, and the 31-day limit. */
    f.cycle_type = "Year";
    check_api_error(novita_bills_usage_list(&t.client, &f, &list, NULL), NOVITA_ERR_API, 400,
                    "INVALID_BILL_CYCLE");
    f.cycle_type = "Day";
    f.product_category = "bogus";
    check_api_error(novita_bills_usage_list(&t.client, &f, &list, NULL), NOVITA_ERR_API, 400,
                    "INVALID_PRODUCT_CATEGORY");
    f.product_category = "gpu";
    f.end_time = f.start_time + 40 * DAY;
    check_api_error(novita_bills_usage_list(&t.client, &f, &list, NULL), NOVITA_ERR_API, 400,
                    "VALIDATOR_PARAM");
    f.end_time = f.start_time + 7 * DAY;

    /* 429 LIST_BILL_TOO_FAST: retried once (per-call option), then NOVITA_ERR_RATE_LIMITED. */
    f.product_name = "too-fast";
    check_api_error(novita_bills_usage_list(&t.client, &f, &list, &one_retry), NOVITA_ERR_RATE_LIMITED, 429,
                    "LIST_BILL_TOO_FAST");
    CHECK_EQ_INT(last()->attempts, 2);
    /* 500 LIST_BILL_ERROR: a server error, not retried (only 502/503/504 are). */
    f.product_name = "bill-error";
    check_api_error(novita_bills_usage_list(&t.client, &f, &list, &one_retry), NOVITA_ERR_SERVER, 500,
                    "LIST_BILL_ERROR");
    CHECK_EQ_INT(last()->attempts, 1);
    /* A fractional amount is never rounded: a decode error naming the field. */
    f.product_name = "fraction-test";
    CHECK_EQ_INT(novita_bills_usage_list(&t.client, &f, &list, NULL), NOVITA_ERR_DECODE);
    CHECK_STR(last()->what, "usageBill.amount");
}

/* ------------------------------------------------------------------ fixed-term bills */

static void fixed_term_bills(void)
{
    novita_fixed_term_bill_filter f;
    novita_list list = NOVITA_LIST_ARRAY(fixed);
    novita_call_opts one_retry = NOVITA_CALL_OPTS_INIT;
    one_retry.max_retries = 1;

    memset(&f, 0, sizeof f);
    f.category = "gpu";
    f.product_name = "4090";
    f.start_time = DEC_2025;
    f.end_time = DEC_2025 + 30 * DAY;
    f.owner_id = "seed-0002";
    CHECK_EQ_INT(novita_bills_fixed_term_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_STR(fixed[0].product_category, "gpu");
    CHECK_STR(fixed[0].owner_id, "seed-0002");
    CHECK_STR(fixed[0].trade_mode, "monthly");
    CHECK_STR(fixed[0].trade_type, "monthly_new_buy");
    CHECK_EQ_INT(fixed[0].base_price, 3900000);
    CHECK_EQ_INT(fixed[0].bill_num, 1);
    CHECK_EQ_INT(fixed[0].amount, 3900000);
    CHECK_EQ_INT(fixed[0].pay_amount, 3900000);
    CHECK_STR(fixed[0].pay_amount_display, "390"); /* a number on the wire */
    CHECK_EQ_INT(fixed[0].price_precision, 1);
    CHECK_STR(fixed[0].billing_method, "2");
    CHECK_STR(fixed[0].cycle, "2025-12");
    CHECK_EQ_INT(fixed[0].create_time, DEC_2025);
    CHECK_EQ_INT(fixed[0].start_time, DEC_2025);
    CHECK_EQ_INT(fixed[0].end_time, DEC_2025 + 31 * DAY - 1);
    CHECK_STR(fixed[0].product_id, "4090.16c62g");

    /* No filter: the API's defaults (summary, everything). */
    list = (novita_list)NOVITA_LIST_ARRAY(fixed);
    CHECK_EQ_INT(novita_bills_fixed_term_list(&t.client, NULL, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 3);
    CHECK_STR(fixed[1].product_category, "local_storage");
    CHECK_EQ_INT(fixed[1].voucher_amount, 50000); /* a number */
    CHECK_EQ_INT(fixed[1].pay_amount, 0);
    CHECK_EQ_INT(fixed[1].storage_days, 30);
    CHECK_STR(fixed[2].member_id, "m-0042");
    CHECK_EQ_INT(fixed[2].amount, -20000);
    CHECK_EQ_INT(fixed[2].pay_amount, -20000);

    f.category = "bogus";
    check_api_error(novita_bills_fixed_term_list(&t.client, &f, &list, NULL), NOVITA_ERR_API, 400,
                    "INVALID_PRODUCT_CATEGORY");
    f.category = "gpu";
    f.product_name = "too-fast";
    check_api_error(novita_bills_fixed_term_list(&t.client, &f, &list, &one_retry), NOVITA_ERR_RATE_LIMITED, 429,
                    "LIST_BILL_TOO_FAST");
    CHECK_EQ_INT(last()->attempts, 2);
    CHECK_EQ_INT(novita_bills_fixed_term_list(NULL, NULL, &list, NULL), NOVITA_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ monthly bills */

typedef struct month_walk {
    size_t seen;
    char last_month[NOVITA_SHORT_MAX];
    bool ascending;
    int64_t refund_total;   /* totalAmount of 2024-12 */
    int64_t overdue_debt;   /* debtAmount of 2025-05 */
    int64_t repaid;         /* repaidAmount of 2024-09 */
} month_walk;

static novita_result on_month(void *user, const void *item)
{
    month_walk *w = (month_walk *)user;
    const novita_monthly_bill *b = (const novita_monthly_bill *)item;
    if (w->seen > 0 && strcmp(b->billing_month, w->last_month) <= 0)
        w->ascending = false;
    (void)snprintf(w->last_month, sizeof w->last_month, "%s", b->billing_month);
    if (strcmp(b->billing_month, "2024-12") == 0)
        w->refund_total = b->total_amount;
    if (strcmp(b->billing_month, "2025-05") == 0)
        w->overdue_debt = b->debt_amount;
    if (strcmp(b->billing_month, "2024-09") == 0)
        w->repaid = b->repaid_amount;
    w->seen++;
    return NOVITA_OK;
}

static void monthly_bills(void)
{
    novita_monthly_bill_filter f;
    novita_list list = NOVITA_LIST_ARRAY(monthly);
    month_walk walk;
    novita_list all;
    uint32_t connections;

    /* One page. */
    memset(&f, 0, sizeof f);
    f.page = 2;
    f.page_size = 5;
    CHECK_EQ_INT(novita_bills_monthly_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 5);
    CHECK_EQ_INT(list.total, -1); /* the API sends no total */
    CHECK_EQ_UINT(list.pages, 1);
    CHECK_STR(monthly[0].billing_month, "2023-12");
    CHECK_STR(monthly[2].billing_month, "2024-02"); /* its amounts are JSON numbers */
    CHECK_STR(monthly[2].bill_id, "mb-202402");
    CHECK_EQ_INT(monthly[2].total_amount, 1086415);
    CHECK_EQ_INT(monthly[2].origin_total_amount, 1186415);
    CHECK_EQ_INT(monthly[2].voucher_pay_amount, 100000);
    CHECK_EQ_INT(monthly[2].cash_pay_amount, 1086415);
    CHECK_EQ_INT(monthly[2].debt_amount, 0);
    CHECK_EQ_INT(monthly[2].start_time, 1706745600);  /* 2024-02-01 */
    CHECK_EQ_INT(monthly[2].end_time, 1709251199);    /* 2024-02-29 23:59:59 */
    CHECK_STR(monthly[4].billing_month, "2024-04");

    /* From a month on, API defaults for paging. */
    memset(&f, 0, sizeof f);
    f.start_month = "2025-10";
    list = (novita_list)NOVITA_LIST_ARRAY(monthly);
    CHECK_EQ_INT(novita_bills_monthly_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 3);
    CHECK_STR(monthly[0].status, "paid");
    CHECK_STR(monthly[0].invoice_url, "https://invoices.novita.example/u-7f3a9c21/2025-10.pdf");
    CHECK_STR(monthly[1].status, "outed");
    CHECK_EQ_INT(monthly[1].debt_amount, monthly[1].total_amount);
    CHECK_STR(monthly[2].status, "pending");
    CHECK_STR(monthly[2].invoice_url, "");
    CHECK_EQ_INT(monthly[2].total_amount, 1358005);

    /* Every page, callback mode, 7 per page: 4 full pages and a short one end the walk (no total). */
    memset(&walk, 0, sizeof walk);
    walk.ascending = true;
    memset(&f, 0, sizeof f);
    f.page = 3; /* ignored by the walk */
    f.page_size = 7;
    all = (novita_list)NOVITA_LIST_ALL(&one_monthly, on_month, &walk);
    connections = t.client.connections_opened;
    CHECK_EQ_INT(novita_bills_monthly_list(&t.client, &f, &all, NULL), NOVITA_OK);
    CHECK(t.client.connections_opened - connections <= 1); /* one kept-alive connection for the walk */
    CHECK_EQ_UINT(walk.seen, 30);
    CHECK_EQ_UINT(all.count, 30);
    CHECK_EQ_UINT(all.pages, 5);
    CHECK(walk.ascending);
    CHECK_STR(walk.last_month, "2025-12");
    CHECK_EQ_INT(walk.refund_total, -15000);
    CHECK_EQ_INT(walk.overdue_debt, 1271590 - 250000);
    CHECK_EQ_INT(walk.repaid, 250000);

    /* 10 per page: three full pages, then an empty fourth ends the walk. */
    f.page_size = 10;
    all = (novita_list)NOVITA_LIST_ARRAY(monthly);
    all.all_pages = true;
    CHECK_EQ_INT(novita_bills_monthly_list(&t.client, &f, &all, NULL), NOVITA_OK);
    CHECK_EQ_UINT(all.count, 30);
    CHECK_EQ_UINT(all.pages, 4);
    CHECK_STR(monthly[0].billing_month, "2023-07");
    CHECK_EQ_INT(monthly[0].total_amount, 0);
    CHECK_STR(monthly[29].billing_month, "2025-12");

    /* No page size: NOVITA_LIST_PAGE_SIZE per page, one short page. */
    all = (novita_list)NOVITA_LIST_ARRAY(monthly);
    all.all_pages = true;
    CHECK_EQ_INT(novita_bills_monthly_list(&t.client, NULL, &all, NULL), NOVITA_OK);
    CHECK_EQ_UINT(all.count, 30);
    CHECK_EQ_UINT(all.pages, 1);

    memset(&f, 0, sizeof f);
    f.start_month = "2025-13";
    list = (novita_list)NOVITA_LIST_ARRAY(monthly);
    check_api_error(novita_bills_monthly_list(&t.client, &f, &list, NULL), NOVITA_ERR_API, 400, "VALIDATOR_PARAM");
    CHECK_EQ_INT(novita_bills_monthly_list(NULL, NULL, &list, NULL), NOVITA_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ API-key bills */

static void apikey_bills(void)
{
    novita_apikey_bill_filter f;
    novita_list list = NOVITA_LIST_ARRAY(apikey);
    novita_call_opts one_retry = NOVITA_CALL_OPTS_INIT;
    one_retry.max_retries = 1;

    memset(&f, 0, sizeof f);
    f.cycle_type = "Day";
    f.category = "llm";
    f.product_name = "deepseek";
    f.start_time = JAN_2026;
    f.end_time = JAN_2026 + 7 * DAY;
    CHECK_EQ_INT(novita_bills_apikey_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_STR(apikey[0].apikey_name, "prod-backend");
    CHECK_STR(apikey[0].apikey_mask, "sk-****a1b2");
    CHECK_STR(apikey[0].usage.owner_id, "key-01");
    CHECK_STR(apikey[0].usage.billing_method, "1"); /* numbers and strings mixed, as in the docs */
    CHECK_STR(apikey[0].usage.pay_amount_display, "1");
    CHECK_EQ_INT(apikey[0].usage.price_precision, 1);
    CHECK_EQ_INT(apikey[0].usage.amount, 10000);
    CHECK_EQ_INT(apikey[0].usage.bill_num0, 1000);
    CHECK_EQ_INT(apikey[0].usage.start_time, JAN_2026);

    f.category = NULL;
    f.product_name = NULL;
    list = (novita_list)NOVITA_LIST_ARRAY(apikey);
    CHECK_EQ_INT(novita_bills_apikey_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 3);
    CHECK_EQ_INT(apikey[1].usage.amount, 2500); /* a number */
    CHECK_STR(apikey[1].usage.pay_amount_display, "0.25");
    CHECK_STR(apikey[1].apikey_name, "ci-tests");
    CHECK_EQ_INT(apikey[2].usage.amount, -100);

    /* cycle_type, start_time and end_time are required. */
    f.cycle_type = NULL;
    CHECK_EQ_INT(novita_bills_apikey_list(&t.client, &f, &list, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "filter.cycle_type is required");
    f.cycle_type = "Day";
    f.start_time = 0;
    CHECK_EQ_INT(novita_bills_apikey_list(&t.client, &f, &list, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "filter.start_time is required");
    f.start_time = JAN_2026;
    f.end_time = 0;
    CHECK_EQ_INT(novita_bills_apikey_list(&t.client, &f, &list, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "filter.end_time is required");
    CHECK_EQ_INT(novita_bills_apikey_list(&t.client, NULL, &list, NULL), NOVITA_ERR_INVALID_ARG);
    f.end_time = JAN_2026 + 7 * DAY;

    f.cycle_type = "Hour"; /* valid for usage bills, not here */
    check_api_error(novita_bills_apikey_list(&t.client, &f, &list, NULL), NOVITA_ERR_API, 400, "INVALID_BILL_CYCLE");
    f.cycle_type = "Day";
    f.start_time = JAN_2026 - 2 * DAY;
    check_api_error(novita_bills_apikey_list(&t.client, &f, &list, NULL), NOVITA_ERR_API, 400, "VALIDATOR_PARAM");
    f.start_time = JAN_2026;
    f.product_name = "too-fast";
    check_api_error(novita_bills_apikey_list(&t.client, &f, &list, &one_retry), NOVITA_ERR_RATE_LIMITED, 429,
                    "LIST_BILL_TOO_FAST");
    CHECK_EQ_INT(last()->attempts, 2);
}

int main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[3], "all") != 0) {
        fprintf(stderr, "usage: %s BASE_URL CA_FILE|- all\n", argv[0]);
        return 2;
    }
    if (itest_init(&t, argv[1], argv[2]) != 0)
        return 1;
    balance();
    usage_bills();
    fixed_term_bills();
    monthly_bills();
    apikey_bills();
    itest_free(&t);
    return TEST_REPORT();
}

/* novita CLI: balance, billing usage|fixed|monthly|apikey. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "novita/billing.h"

const char cli_usage_billing[] =
    "  balance\n"
    "                 account balance in USD; --json prints the API's object (amounts in 0.0001 USD)\n"
    "  billing usage --cycle Hour|Day|Week|Month --category C [--subcategory S] [--product S]\n"
    "                 [--start UNIX] [--end UNIX] [--owner ID]\n"
    "                 pay-as-you-go bills; C: summary, gpu, llm, serverless, cloud_storage, gen_api, ...\n"
    "  billing fixed [--category C] [--product S] [--start UNIX] [--end UNIX] [--owner ID]\n"
    "                 subscription bills; C: summary (default), gpu, local_storage, image, ...\n"
    "  billing monthly [--start-month YYYY-MM] [--page N] [--page-size N | --all]\n"
    "                 monthly statements; --all walks every page over one connection\n"
    "  billing apikey --cycle Day|Week|Month --start UNIX --end UNIX [--category C] [--product S]\n"
    "                 bills per API key (from 2026-01-01); bill ranges stay within 31 days\n";

/* One element each: lists run in callback mode, so the library decodes every element into these. */
static novita_usage_bill g_usage;
static novita_fixed_term_bill g_fixed;
static novita_monthly_bill g_monthly;
static novita_apikey_bill g_apikey;

static const char *const usage_cycles[] = { "Hour", "Day", "Week", "Month", NULL };
static const char *const apikey_cycles[] = { "Day", "Week", "Month", NULL };

/* Unix seconds accepted by --start/--end: up to 9999-12-31. */
#define CLI_MAX_UNIX 253402300799LL

/* 0.0001 USD units as "$12.3456" / "-$5.0000" (integer math: exact for every int64). */
static const char *format_usd(char *buf, size_t size, int64_t units)
{
    uint64_t mag = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
    (void)snprintf(buf, size, "%s$%llu.%04llu", units < 0 ? "-" : "", (unsigned long long)(mag / 10000u),
                   (unsigned long long)(mag % 10000u));
    return buf;
}

static bool is_month(const char *s)
{
    for (int k = 0; k < 7; k++) {
        bool digit = s[k] >= '0' && s[k] <= '9';
        if (k == 4 ? s[k] != '-' : !digit)
            return false;
    }
    return s[7] == '\0' && ((s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2'));
}

/* ------------------------------------------------------------------ balance */

static void print_balance(const void *object)
{
    const novita_balance *b = (const novita_balance *)object;
    char buf[48];
    kv("available:", "%s", format_usd(buf, sizeof(buf), b->available_balance));
    kv("cash:", "%s", format_usd(buf, sizeof(buf), b->cash_balance));
    kv("credit limit:", "%s", format_usd(buf, sizeof(buf), b->credit_limit));
    kv("pending charges:", "%s", format_usd(buf, sizeof(buf), b->pending_charges));
    kv("outstanding:", "%s", format_usd(buf, sizeof(buf), b->outstanding_invoices));
}

int cmd_balance(cli_ctx *cli, int argc, char **argv)
{
    static novita_balance balance;
    novita_result r;
    int code;
    if (!start_no_args(cli, argc, argv, "balance", &code))
        return code;
    r = novita_balance_get(cli->client, &balance, NULL);
    return print_object(cli, r, &novita_balance_model, &balance, print_balance);
}

/* ------------------------------------------------------------------ usage-based bills */

/* Cells shared by the usage and API-key tables. */
typedef struct bill_cells {
    char start[40], end[40], amount[32], voucher[32], paid[32];
} bill_cells;

static void fill_cells(bill_cells *c, int64_t start, int64_t end, int64_t amount, int64_t voucher, int64_t paid)
{
    format_time(c->start, sizeof(c->start), start);
    format_time(c->end, sizeof(c->end), end);
    format_usd(c->amount, sizeof(c->amount), amount);
    format_usd(c->voucher, sizeof(c->voucher), voucher);
    format_usd(c->paid, sizeof(c->paid), paid);
}

static novita_result on_usage_bill(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_usage_bill *b = (const novita_usage_bill *)item;
    bill_cells c;
    const char *row[8];
    fill_cells(&c, b->start_time, b->end_time, b->amount, b->voucher_amount, b->pay_amount);
    row[0] = c.start;
    row[1] = c.end;
    row[2] = b->category;
    row[3] = b->product_name;
    row[4] = b->owner_id;
    row[5] = c.amount;
    row[6] = c.voucher;
    row[7] = c.paid;
    list_out_add(o, &novita_usage_bill_model, b, row);
    return NOVITA_OK;
}

/* --start UNIX / --end UNIX of the bill commands, into the filter's fields: 1 consumed, 0 not one, -1 usage
 * error (use with CLI_OPT). */
static int time_option(int argc, char **argv, int *i, int64_t *start, int64_t *end)
{
    long long v;
    int m = opt_int(argc, argv, i, "--start", 1, CLI_MAX_UNIX, &v);
    if (m > 0)
        *start = v;
    if (m == 0 && (m = opt_int(argc, argv, i, "--end", 1, CLI_MAX_UNIX, &v)) > 0)
        *end = v;
    return m;
}

static int billing_usage(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "START", "END", "CATEGORY", "PRODUCT", "OWNER", "AMOUNT", "VOUCHER",
                                           "PAID" };
    novita_usage_bill_filter f;
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_usage, on_usage_bill, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--cycle", f.cycle_type)
        CLI_OPT_STR("--category", f.product_category)
        CLI_OPT_STR("--subcategory", f.category)
        CLI_OPT_STR("--product", f.product_name)
        CLI_OPT_STR("--owner", f.owner_id)
        CLI_OPT(time_option(argc, argv, &i, &f.start_time, &f.end_time))
        return cli_usage_error("unexpected argument '%s' for 'billing usage'", argv[i]);
    }
    if (!f.cycle_type || !one_of(f.cycle_type, usage_cycles))
        return cli_usage_error("billing usage needs --cycle Hour, Day, Week or Month");
    if (!f.product_category || !f.product_category[0])
        return cli_usage_error("billing usage needs --category (e.g. summary, gpu, llm)");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 8, headers);
    r = novita_bills_usage_list(cli->client, &f, &list, NULL);
    return list_out_finish(cli, &o, r, list.total);
}

/* ------------------------------------------------------------------ fixed-term bills */

static novita_result on_fixed_bill(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_fixed_term_bill *b = (const novita_fixed_term_bill *)item;
    bill_cells c;
    const char *row[10];
    fill_cells(&c, b->start_time, b->end_time, b->amount, b->voucher_amount, b->pay_amount);
    row[0] = b->cycle;
    row[1] = b->product_category;
    row[2] = b->product_name;
    row[3] = b->owner_id;
    row[4] = b->trade_type;
    row[5] = c.start;
    row[6] = c.end;
    row[7] = c.amount;
    row[8] = c.voucher;
    row[9] = c.paid;
    list_out_add(o, &novita_fixed_term_bill_model, b, row);
    return NOVITA_OK;
}

static int billing_fixed(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "CYCLE", "CATEGORY", "PRODUCT", "OWNER", "TRADE", "START", "END",
                                           "AMOUNT", "VOUCHER", "PAID" };
    novita_fixed_term_bill_filter f;
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_fixed, on_fixed_bill, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--category", f.category)
        CLI_OPT_STR("--product", f.product_name)
        CLI_OPT_STR("--owner", f.owner_id)
        CLI_OPT(time_option(argc, argv, &i, &f.start_time, &f.end_time))
        return cli_usage_error("unexpected argument '%s' for 'billing fixed'", argv[i]);
    }
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 10, headers);
    r = novita_bills_fixed_term_list(cli->client, &f, &list, NULL);
    return list_out_finish(cli, &o, r, list.total);
}

/* ------------------------------------------------------------------ monthly bills */

static novita_result on_monthly_bill(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_monthly_bill *b = (const novita_monthly_bill *)item;
    char total[32], origin[32], voucher[32], cash[32], debt[32], repaid[32];
    const char *row[9];
    row[0] = b->billing_month;
    row[1] = b->bill_id;
    row[2] = b->status;
    row[3] = format_usd(total, sizeof(total), b->total_amount);
    row[4] = format_usd(origin, sizeof(origin), b->origin_total_amount);
    row[5] = format_usd(voucher, sizeof(voucher), b->voucher_pay_amount);
    row[6] = format_usd(cash, sizeof(cash), b->cash_pay_amount);
    row[7] = format_usd(debt, sizeof(debt), b->debt_amount);
    row[8] = format_usd(repaid, sizeof(repaid), b->repaid_amount);
    list_out_add(o, &novita_monthly_bill_model, b, row);
    return NOVITA_OK;
}

static int billing_monthly(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "MONTH", "BILL", "STATUS", "TOTAL", "ORIGINAL", "VOUCHER", "CASH",
                                           "DEBT", "REPAID" };
    novita_monthly_bill_filter f;
    page_args p = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_monthly, on_monthly_bill, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--start-month", f.start_month)
        CLI_OPT(page_option(argc, argv, &i, &p))
        return cli_usage_error("unexpected argument '%s' for 'billing monthly'", argv[i]);
    }
    if (f.start_month && !is_month(f.start_month))
        return cli_usage_error("--start-month needs YYYY-MM, not '%s'", f.start_month);
    /* --all: one decoded bill in memory at a time, the API's page size (0); the API sends no total, so the
     * walk ends at a short or empty page. */
    if ((code = page_check(&p, 0, &f.page, &f.page_size, &list)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 9, headers);
    r = novita_bills_monthly_list(cli->client, &f, &list, NULL);
    code = list_out_finish(cli, &o, r, list.total);
    if (code == CLI_EXIT_OK && !o.json && !p.all && p.page_size > 0 && list.received == (size_t)p.page_size)
        printf("(page %lld; more may follow: see --page, --all)\n", p.page ? p.page : 1);
    return code;
}

/* ------------------------------------------------------------------ API-key bills */

static novita_result on_apikey_bill(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_apikey_bill *b = (const novita_apikey_bill *)item;
    bill_cells c;
    char key[NOVITA_NAME_MAX + NOVITA_SHORT_MAX + 4];
    const char *row[8];
    fill_cells(&c, b->usage.start_time, b->usage.end_time, b->usage.amount, b->usage.voucher_amount,
               b->usage.pay_amount);
    (void)snprintf(key, sizeof(key), "%s%s%s%s", b->apikey_name, b->apikey_mask[0] ? " (" : "", b->apikey_mask,
                   b->apikey_mask[0] ? ")" : "");
    row[0] = c.start;
    row[1] = c.end;
    row[2] = key;
    row[3] = b->usage.category;
    row[4] = b->usage.product_name;
    row[5] = c.amount;
    row[6] = c.voucher;
    row[7] = c.paid;
    list_out_add(o, &novita_apikey_bill_model, b, row);
    return NOVITA_OK;
}

static int billing_apikey(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "START", "END", "API KEY", "CATEGORY", "PRODUCT", "AMOUNT", "VOUCHER",
                                           "PAID" };
    novita_apikey_bill_filter f;
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_apikey, on_apikey_bill, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--cycle", f.cycle_type)
        CLI_OPT_STR("--category", f.category)
        CLI_OPT_STR("--product", f.product_name)
        CLI_OPT(time_option(argc, argv, &i, &f.start_time, &f.end_time))
        return cli_usage_error("unexpected argument '%s' for 'billing apikey'", argv[i]);
    }
    if (!f.cycle_type || !one_of(f.cycle_type, apikey_cycles))
        return cli_usage_error("billing apikey needs --cycle Day, Week or Month");
    if (!f.start_time || !f.end_time)
        return cli_usage_error("billing apikey needs --start UNIX and --end UNIX");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 8, headers);
    r = novita_bills_apikey_list(cli->client, &f, &list, NULL);
    return list_out_finish(cli, &o, r, list.total);
}

int cmd_billing(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "usage", billing_usage },
        { "fixed", billing_fixed },
        { "monthly", billing_monthly },
        { "apikey", billing_apikey },
    };
    return run_command(cli, "billing", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

/* Account balance and bills: field tables and thin operations (REFERENCE 7 #50-#54, 8.12; basic namespace). */
#include "novita/billing.h"

#include "api.h"

/* ------------------------------------------------------------------ models */

static const novita_field balance_fields[] = {
    NOVITA_F_INT(novita_balance, "availableBalance", available_balance),
    NOVITA_F_INT(novita_balance, "cashBalance", cash_balance),
    NOVITA_F_INT(novita_balance, "creditLimit", credit_limit),
    NOVITA_F_INT(novita_balance, "pendingCharges", pending_charges),
    NOVITA_F_INT(novita_balance, "outstandingInvoices", outstanding_invoices),
};
const novita_model novita_balance_model = NOVITA_MODEL(novita_balance, "balance", balance_fields);

/* The usage-bill keys, for the usage bill itself (m empty) and for the API-key bill that nests one
 * (m = usage.): one list, so the two models cannot drift apart. */
#define USAGE_BILL_FIELDS(S, m)                                               \
    NOVITA_F_STRING(S, "userId", m user_id),                                  \
    NOVITA_F_INT(S, "startTime", m start_time),                               \
    NOVITA_F_INT(S, "endTime", m end_time),                                   \
    NOVITA_F_STRING(S, "billingMethod", m billing_method),                    \
    NOVITA_F_STRING(S, "productName", m product_name),                        \
    NOVITA_F_STRING(S, "category", m category),                               \
    NOVITA_F_STRING2(S, "ownerID", "ownerId", m owner_id),                    \
    NOVITA_F_INT(S, "billNum0", m bill_num0),                                 \
    NOVITA_F_INT(S, "billNum1", m bill_num1),                                 \
    NOVITA_F_INT(S, "basePrice0", m base_price0),                             \
    NOVITA_F_INT(S, "basePrice1", m base_price1),                             \
    NOVITA_F_INT(S, "discountPrice0", m discount_price0),                     \
    NOVITA_F_INT(S, "discountPrice1", m discount_price1),                     \
    NOVITA_F_INT(S, "amount", m amount),                                      \
    NOVITA_F_INT(S, "voucherAmount", m voucher_amount),                       \
    NOVITA_F_INT(S, "payAmount", m pay_amount),                               \
    NOVITA_F_STRING(S, "payAmountDisplay", m pay_amount_display),             \
    NOVITA_F_INT(S, "pricePrecision", m price_precision),                     \
    NOVITA_F_STRING(S, "productId", m product_id)

static const novita_field usage_bill_fields[] = {
    USAGE_BILL_FIELDS(novita_usage_bill, ),
};
const novita_model novita_usage_bill_model = NOVITA_MODEL(novita_usage_bill, "usageBill", usage_bill_fields);

static const novita_field apikey_bill_fields[] = {
    USAGE_BILL_FIELDS(novita_apikey_bill, usage.),
    NOVITA_F_STRING(novita_apikey_bill, "apikeyName", apikey_name),
    NOVITA_F_STRING(novita_apikey_bill, "apikeyMask", apikey_mask),
};
const novita_model novita_apikey_bill_model = NOVITA_MODEL(novita_apikey_bill, "apikeyBill", apikey_bill_fields);

#define F novita_fixed_term_bill
static const novita_field fixed_term_bill_fields[] = {
    NOVITA_F_STRING(F, "userId", user_id),
    NOVITA_F_STRING(F, "memberId", member_id),
    NOVITA_F_INT(F, "startTime", start_time),
    NOVITA_F_INT(F, "endTime", end_time),
    NOVITA_F_STRING(F, "productName", product_name),
    NOVITA_F_STRING(F, "productCategory", product_category),
    NOVITA_F_STRING2(F, "ownerID", "ownerId", owner_id),
    NOVITA_F_STRING(F, "tradeMode", trade_mode),
    NOVITA_F_STRING(F, "tradeType", trade_type),
    NOVITA_F_INT(F, "basePrice", base_price),
    NOVITA_F_INT(F, "billNum", bill_num),
    NOVITA_F_INT(F, "amount", amount),
    NOVITA_F_INT(F, "voucherAmount", voucher_amount),
    NOVITA_F_INT(F, "payAmount", pay_amount),
    NOVITA_F_STRING(F, "payAmountDisplay", pay_amount_display),
    NOVITA_F_INT(F, "pricePrecision", price_precision),
    NOVITA_F_INT(F, "createTime", create_time),
    NOVITA_F_STRING(F, "cycle", cycle),
    NOVITA_F_INT(F, "storageDays", storage_days),
    NOVITA_F_STRING(F, "productId", product_id),
    NOVITA_F_STRING(F, "billingMethod", billing_method),
};
#undef F
const novita_model novita_fixed_term_bill_model =
    NOVITA_MODEL(novita_fixed_term_bill, "fixedTermBill", fixed_term_bill_fields);

#define M novita_monthly_bill
static const novita_field monthly_bill_fields[] = {
    NOVITA_F_STRING(M, "billId", bill_id),
    NOVITA_F_STRING(M, "userId", user_id),
    NOVITA_F_STRING(M, "billingMonth", billing_month),
    NOVITA_F_INT(M, "totalAmount", total_amount),
    NOVITA_F_INT(M, "originTotalAmount", origin_total_amount),
    NOVITA_F_INT(M, "voucherPayAmount", voucher_pay_amount),
    NOVITA_F_INT(M, "cashPayAmount", cash_pay_amount),
    NOVITA_F_INT(M, "debtAmount", debt_amount),
    NOVITA_F_STRING(M, "status", status),
    NOVITA_F_STRING(M, "invoiceUrl", invoice_url),
    NOVITA_F_INT(M, "startTime", start_time),
    NOVITA_F_INT(M, "endTime", end_time),
    NOVITA_F_INT(M, "repaidAmount", repaid_amount),
};
#undef M
const novita_model novita_monthly_bill_model = NOVITA_MODEL(novita_monthly_bill, "monthlyBill", monthly_bill_fields);

/* ------------------------------------------------------------------ operations */

/* Stand-ins for a NULL filter of the lists that have required fields. */
static const novita_usage_bill_filter no_usage_filter;
static const novita_apikey_bill_filter no_apikey_filter;

/* The bill lists are documented as {"bills": [...]}, not paged; {"data": [...]} is accepted too. */
#define BILLS_LIST_OP(path, model) { NOVITA_NS_BASIC, (path), &(model), "bills", "data", NOVITA_UNPAGED }

novita_result novita_balance_get(novita_client *c, novita_balance *out, const novita_call_opts *opts)
{
    novita_request req = NOVITA_GET_REQUEST(NOVITA_NS_BASIC, "/billing/balance/detail", NULL, 0);
    /* Documented flat. */
    return novita_api_get(c, &req, &novita_balance_model, out, "output balance is required", NULL, NULL, NULL, opts);
}

novita_result novita_bills_usage_list(novita_client *c, const novita_usage_bill_filter *f, novita_list *list,
                                      const novita_call_opts *opts)
{
    static const novita_list_op op = BILLS_LIST_OP("/billing/bill/list", novita_usage_bill_model);
    novita_query_param query[7] = {
        { "cycleType", NULL, 0 }, { "productCategory", NULL, 0 }, { "category", NULL, 0 }, { "productName", NULL, 0 },
        { "startTime", NULL, 0 }, { "endTime", NULL, 0 }, { "ownerId", NULL, 0 },
    };
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!f)
        f = &no_usage_filter; /* then the required fields below are reported missing */
    if (!novita_api_require(c, f->cycle_type, "filter.cycle_type", &r) ||
        !novita_api_require(c, f->product_category, "filter.product_category", &r))
        return r;
    query[0].value = f->cycle_type;
    query[1].value = f->product_category;
    query[2].value = f->category;
    query[3].value = f->product_name;
    query[4].number = f->start_time;
    query[5].number = f->end_time;
    query[6].value = f->owner_id;
    return novita_api_list(c, &op, query, 7, 0, 0, list, opts);
}

novita_result novita_bills_fixed_term_list(novita_client *c, const novita_fixed_term_bill_filter *f,
                                           novita_list *list, const novita_call_opts *opts)
{
    static const novita_list_op op = BILLS_LIST_OP("/billing/bill/monthly/list", novita_fixed_term_bill_model);
    novita_query_param query[5] = {
        { "category", NULL, 0 }, { "productName", NULL, 0 }, { "startTime", NULL, 0 }, { "endTime", NULL, 0 },
        { "ownerId", NULL, 0 },
    };
    if (f) {
        query[0].value = f->category;
        query[1].value = f->product_name;
        query[2].number = f->start_time;
        query[3].number = f->end_time;
        query[4].value = f->owner_id;
    }
    return novita_api_list(c, &op, query, 5, 0, 0, list, opts);
}

novita_result novita_bills_monthly_list(novita_client *c, const novita_monthly_bill_filter *f, novita_list *list,
                                        const novita_call_opts *opts)
{
    /* Documented as {"data": [...]}, page numbers from 1; {"bills": [...]} is accepted too. */
    static const novita_list_op op = { NOVITA_NS_BASIC, "/billing/monthly/bill", &novita_monthly_bill_model, "data",
                                       "bills", NOVITA_PAGED(1, 2, 1) };
    novita_query_param query[3] = { { "startMonth", NULL, 0 }, { "page", NULL, 0 }, { "pageSize", NULL, 0 } };
    if (f)
        query[0].value = f->start_month;
    return novita_api_list(c, &op, query, 3, f ? f->page : 0, f ? f->page_size : 0, list, opts);
}

novita_result novita_bills_apikey_list(novita_client *c, const novita_apikey_bill_filter *f, novita_list *list,
                                       const novita_call_opts *opts)
{
    static const novita_list_op op = BILLS_LIST_OP("/billing/apikey/bill/list", novita_apikey_bill_model);
    novita_query_param query[5] = {
        { "cycleType", NULL, 0 }, { "category", NULL, 0 }, { "productName", NULL, 0 }, { "startTime", NULL, 0 },
        { "endTime", NULL, 0 },
    };
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!f)
        f = &no_apikey_filter;
    if (!novita_api_require(c, f->cycle_type, "filter.cycle_type", &r))
        return r;
    query[0].value = f->cycle_type;
    query[1].value = f->category;
    query[2].value = f->product_name;
    query[3].number = f->start_time;
    query[4].number = f->end_time;
    if (f->start_time <= 0 || f->end_time <= 0) /* both required here, as Unix seconds */
        return novita_fail_joined(c, NOVITA_ERR_INVALID_ARG,
                                  f->start_time <= 0 ? "filter.start_time" : "filter.end_time", " is required");
    return novita_api_list(c, &op, query, 5, 0, 0, list, opts);
}

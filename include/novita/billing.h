/**
 * @file billing.h
 * @brief Account balance and bills (REFERENCE 7 #50-#54, 8.12), on the basic namespace
 *        https://api.novita.ai/openapi/v1 (not under /gpu-instance).
 *
 * Money: every amount is an int64_t count of 0.0001 USD (10000 = $1.00), kept exact: never floating point.
 * The API sends amounts as strings ("1000000"), sometimes as JSON numbers; both are accepted, and so are
 * negative values (debts, refunds). The docs define amounts as whole counts of 0.0001 USD, so a fraction
 * ("12.5") is not rounded: it fails with NOVITA_ERR_DECODE and novita_error.what names the field.
 *
 * Returns of every function here: NOVITA_OK, or the errors listed at the top of instances.h, with these
 * billing-specific cases:
 * - NOVITA_ERR_INVALID_ARG: a NULL client, output or list, or a required filter field missing (checked
 *   before anything is sent; the message names the field, e.g. "filter.cycle_type is required");
 * - NOVITA_ERR_API: HTTP 400 with reason INVALID_BILL_CYCLE or INVALID_PRODUCT_CATEGORY, or another 400
 *   (a range over 31 days, a malformed month); the reason and message are in novita_client_last_error();
 * - NOVITA_ERR_RATE_LIMITED: HTTP 429 LIST_BILL_TOO_FAST once the retries the call allows are spent
 *   (reads are retried on 429 with backoff; novita_error.attempts counts the attempts);
 * - NOVITA_ERR_SERVER: HTTP 5xx such as 500 LIST_BILL_ERROR.
 *
 * The bill lists are not paged by the API (keep each range within 31 days); the monthly bills are paged
 * (`page` from 1, no total), so list.all_pages walks them until a short or empty page. Bill structs are a
 * few hundred bytes each: for long lists prefer callback mode (NOVITA_LIST_CALLBACK, see list.h).
 */
#ifndef NOVITA_BILLING_H
#define NOVITA_BILLING_H

#include <stdint.h>

#include "novita/client.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Account balance (GET /billing/balance/detail). Amounts in 0.0001 USD. */
typedef struct novita_balance {
    int64_t available_balance;    /**< 0.0001 USD: what can be spent now (may be negative) */
    int64_t cash_balance;         /**< 0.0001 USD: remaining top-up */
    int64_t credit_limit;         /**< 0.0001 USD: the most the account may owe */
    int64_t pending_charges;      /**< 0.0001 USD: newer docs; "currently 0"; 0 when absent */
    int64_t outstanding_invoices; /**< 0.0001 USD: what the account owes now */
} novita_balance;

/** One usage-based (pay-as-you-go) bill. Strings the API leaves out stay "". */
typedef struct novita_usage_bill {
    char user_id[NOVITA_ID_MAX];
    int64_t start_time;                     /**< Unix seconds: start of the billing cycle */
    int64_t end_time;                       /**< Unix seconds: end of the billing cycle */
    char billing_method[NOVITA_ENUM_TEXT_MAX]; /**< as sent: a code such as "1" (numbers kept as text) */
    char product_name[NOVITA_NAME_MAX];
    char category[NOVITA_ENUM_TEXT_MAX];    /**< product category, e.g. "gpu", "llm" */
    char owner_id[NOVITA_ID_MAX];           /**< `ownerID`: the instance, endpoint or key billed */
    int64_t bill_num0;                      /**< first metered quantity (e.g. input tokens), product unit */
    int64_t bill_num1;                      /**< second metered quantity (e.g. output tokens), product unit */
    int64_t base_price0;                    /**< list unit price of bill_num0: 0.0001 USD at price_precision */
    int64_t base_price1;                    /**< list unit price of bill_num1: 0.0001 USD at price_precision */
    int64_t discount_price0;                /**< discounted unit price of bill_num0, same unit */
    int64_t discount_price1;                /**< discounted unit price of bill_num1, same unit */
    int64_t amount;                         /**< 0.0001 USD: charge before vouchers (negative = refund) */
    int64_t voucher_amount;                 /**< 0.0001 USD: part paid by vouchers */
    int64_t pay_amount;                     /**< 0.0001 USD: part paid in cash */
    char pay_amount_display[NOVITA_SHORT_MAX]; /**< display value as sent (USD, e.g. "1"; numbers as text) */
    int32_t price_precision;                /**< precision code of the unit prices, as sent */
    char product_id[NOVITA_ID_MAX];
} novita_usage_bill;

/** One API-key bill: a usage bill plus the key it was charged to. */
typedef struct novita_apikey_bill {
    novita_usage_bill usage;                /**< the usage fields (flat in the JSON) */
    char apikey_name[NOVITA_NAME_MAX];
    char apikey_mask[NOVITA_SHORT_MAX];     /**< e.g. "sk-****" */
} novita_apikey_bill;

/** One fixed-term (subscription) bill. */
typedef struct novita_fixed_term_bill {
    char user_id[NOVITA_ID_MAX];
    char member_id[NOVITA_ID_MAX];
    int64_t start_time;                     /**< Unix seconds */
    int64_t end_time;                       /**< Unix seconds */
    char product_name[NOVITA_NAME_MAX];
    char product_category[NOVITA_ENUM_TEXT_MAX]; /**< "gpu", "local_storage", "image", ... */
    char owner_id[NOVITA_ID_MAX];           /**< `ownerID`: the instance billed */
    char trade_mode[NOVITA_ENUM_TEXT_MAX];  /**< e.g. "monthly" */
    char trade_type[NOVITA_ENUM_TEXT_MAX];  /**< e.g. "monthly_new_buy", "monthly_renew" */
    int64_t base_price;                     /**< 0.0001 USD per unit at price_precision */
    int64_t bill_num;                       /**< units bought (e.g. months) */
    int64_t amount;                         /**< 0.0001 USD: charge before vouchers */
    int64_t voucher_amount;                 /**< 0.0001 USD */
    int64_t pay_amount;                     /**< 0.0001 USD */
    char pay_amount_display[NOVITA_SHORT_MAX]; /**< display value as sent (USD; numbers as text) */
    int32_t price_precision;                /**< precision code of base_price, as sent */
    int64_t create_time;                    /**< Unix seconds */
    char cycle[NOVITA_SHORT_MAX];           /**< billing cycle, e.g. "2025-12" */
    int64_t storage_days;                   /**< days, for storage products */
    char product_id[NOVITA_ID_MAX];
    char billing_method[NOVITA_ENUM_TEXT_MAX]; /**< as sent (numbers kept as text) */
} novita_fixed_term_bill;

/** One monthly statement (samples/docs_query_monthly_bill.json). */
typedef struct novita_monthly_bill {
    char bill_id[NOVITA_ID_MAX];
    char user_id[NOVITA_ID_MAX];
    char billing_month[NOVITA_SHORT_MAX];   /**< "YYYY-MM" */
    int64_t total_amount;                   /**< 0.0001 USD: amount due after discounts */
    int64_t origin_total_amount;            /**< 0.0001 USD: before discounts */
    int64_t voucher_pay_amount;             /**< 0.0001 USD: paid by vouchers */
    int64_t cash_pay_amount;                /**< 0.0001 USD: paid in cash */
    int64_t debt_amount;                    /**< 0.0001 USD: still owed */
    char status[NOVITA_ENUM_TEXT_MAX];      /**< "pending", "outed" (payment due), "paid", "overdue" */
    char invoice_url[NOVITA_INVOICE_URL_MAX];
    int64_t start_time;                     /**< Unix seconds */
    int64_t end_time;                       /**< Unix seconds */
    int64_t repaid_amount;                  /**< 0.0001 USD: debt repaid later */
} novita_monthly_bill;

extern const novita_model novita_balance_model;
extern const novita_model novita_usage_bill_model;
extern const novita_model novita_apikey_bill_model;
extern const novita_model novita_fixed_term_bill_model;
extern const novita_model novita_monthly_bill_model;

/** Query of the usage-based bills. NULL strings and 0 times are not sent. */
typedef struct novita_usage_bill_filter {
    const char *cycle_type;       /**< required: "Hour", "Day", "Week" or "Month" */
    const char *product_category; /**< required: "summary", "gpu", "llm", "serverless", "cloud_storage",
                                       "gen_api", "cloud_sandbox", "llm_dedicated_endpoint", "web_search",
                                       "bare_metal" */
    const char *category;         /**< product subcategory (query `category`) */
    const char *product_name;     /**< fuzzy */
    int64_t start_time;           /**< Unix seconds */
    int64_t end_time;             /**< Unix seconds; at most 31 days after start_time */
    const char *owner_id;         /**< instance (resource) id */
} novita_usage_bill_filter;

/** Query of the fixed-term bills. NULL strings and 0 times are not sent. */
typedef struct novita_fixed_term_bill_filter {
    const char *category;         /**< "summary" (API default), "gpu", "serverless", "cloud_storage",
                                       "local_storage", "image", "bare_metal" */
    const char *product_name;     /**< fuzzy */
    int64_t start_time;           /**< Unix seconds */
    int64_t end_time;             /**< Unix seconds; at most 31 days after start_time */
    const char *owner_id;         /**< instance id */
} novita_fixed_term_bill_filter;

/** Query and paging of the monthly bills. NULL and 0 fields are not sent. */
typedef struct novita_monthly_bill_filter {
    const char *start_month;      /**< "YYYY-MM": bills from this month on (data exists from 2025-10) */
    uint32_t page;                /**< from 1 (API default 1); ignored by list.all_pages */
    uint32_t page_size;           /**< API default 10; also the page size of list.all_pages */
} novita_monthly_bill_filter;

/** Query of the API-key bills (data from 2026-01-01 on). */
typedef struct novita_apikey_bill_filter {
    const char *cycle_type;       /**< required: "Day", "Week" or "Month" */
    const char *category;         /**< e.g. "llm", "gen_api", "web_search"; NULL = not sent */
    const char *product_name;     /**< fuzzy; NULL = not sent */
    int64_t start_time;           /**< required: Unix seconds */
    int64_t end_time;             /**< required: Unix seconds, after start_time, within 31 days */
} novita_apikey_bill_filter;

/**
 * @brief Get the account balance (GET /openapi/v1/billing/balance/detail).
 * @param[in]  client the client
 * @param[out] out    receives the balance (zeroed first; caller memory)
 * @param[in]  opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_balance_get(novita_client *client, novita_balance *out,
                                                  const novita_call_opts *opts);

/**
 * @brief List usage-based bills (GET /openapi/v1/billing/bill/list). Not paged: one request.
 * @param[in]     client the client
 * @param[in]     filter query; cycle_type and product_category are required
 * @param[in,out] list   output: items must point to novita_usage_bill elements (see list.h)
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed at the
 *         top of this file.
 */
NOVITA_NODISCARD novita_result novita_bills_usage_list(novita_client *client, const novita_usage_bill_filter *filter,
                                                       novita_list *list, const novita_call_opts *opts);

/**
 * @brief List fixed-term (subscription) bills (GET /openapi/v1/billing/bill/monthly/list). Not paged.
 * @param[in]     client the client
 * @param[in]     filter query, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_fixed_term_bill elements (see list.h)
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed at the
 *         top of this file.
 */
NOVITA_NODISCARD novita_result novita_bills_fixed_term_list(novita_client *client,
                                                            const novita_fixed_term_bill_filter *filter,
                                                            novita_list *list, const novita_call_opts *opts);

/**
 * @brief List monthly bills (GET /openapi/v1/billing/monthly/bill), one page or, with list->all_pages,
 *        every page (pages from 1; the walk stops at a short or empty page, the API sends no total).
 * @param[in]     client the client
 * @param[in]     filter query and paging, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_monthly_bill elements (see list.h);
 *                       list->total stays -1
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed at the
 *         top of this file.
 */
NOVITA_NODISCARD novita_result novita_bills_monthly_list(novita_client *client,
                                                         const novita_monthly_bill_filter *filter,
                                                         novita_list *list, const novita_call_opts *opts);

/**
 * @brief List bills per API key (GET /openapi/v1/billing/apikey/bill/list). Not paged.
 * @param[in]     client the client
 * @param[in]     filter query; cycle_type, start_time and end_time are required
 * @param[in,out] list   output: items must point to novita_apikey_bill elements (see list.h)
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed at the
 *         top of this file.
 */
NOVITA_NODISCARD novita_result novita_bills_apikey_list(novita_client *client, const novita_apikey_bill_filter *filter,
                                                        novita_list *list, const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_BILLING_H */

/* Shared plumbing of the resource files (internal): one call shape per kind of operation. */
#ifndef NOVITA_API_H
#define NOVITA_API_H

#include "../client_internal.h"
#include "../model_macros.h"
#include "novita/list.h"

/** Room for a number formatted as a query value, with its NUL. */
#define NOVITA_QUERY_NUMBER_MAX (NOVITA_I64_TEXT_MAX + 1u)

/** Format v into buf as a query value; NULL (the parameter is not sent) when v <= 0. */
const char *novita_query_number(char buf[NOVITA_QUERY_NUMBER_MAX], int64_t v);

/** A GET of ns + path with a query: idempotent, so it may be retried. */
novita_request novita_get_request(novita_namespace ns, const char *path, const novita_query_param *query,
                                  size_t query_count);

/** A POST of a JSON body to the GPU namespace: never resent once it may have reached the server. */
novita_request novita_post_request(const char *path, novita_body_fn body, const void *body_ctx);

/** How a list operation pages (REFERENCE 4): the query parameters that carry the page number and size.
 *  Both point into the request's own query array; the all-pages walk rewrites their values per page. */
typedef struct novita_paging {
    novita_query_param *page; /* e.g. {"pageNum", ...}; its value is the caller's page number or NULL */
    novita_query_param *size; /* e.g. {"pageSize", ...}; its value is the caller's page size or NULL */
    uint32_t first_page;      /* 0 where the base is unknown (pageNum, pageNo), 1 where documented (page) */
} novita_paging;

/** GET a list and deliver its elements through `list` (array or callback mode; every page when
 *  list->all_pages and `paging` is not NULL). `array_key` names the array in the envelope, `array_alt_key`
 *  an accepted alternative (or NULL); a bare array body is accepted too. */
novita_result novita_api_list(novita_client *c, const novita_request *req, const novita_model *item_model,
                              const char *array_key, const char *array_alt_key, const novita_paging *paging,
                              novita_list *list, const novita_call_opts *opts);

/** GET one object into out (flat, or inside root_key when the response wraps it). */
novita_result novita_api_get(novita_client *c, const novita_request *req, const novita_model *model, void *out,
                             const char *root_key, const novita_call_opts *opts);

/** POST an action whose response body does not matter (any 2xx is success). */
novita_result novita_api_action(novita_client *c, const char *path, novita_body_fn body, const void *body_ctx,
                                const novita_call_opts *opts);

/** Reject a NULL client, and record "<what> is required" when a required string is NULL or empty. */
bool novita_api_require(novita_client *c, const char *value, const char *what, novita_result *r);

/** Body {"instanceId": id} and similar single-id bodies: ctx is a novita_id_body. */
typedef struct novita_id_body {
    const char *key;
    const char *id;
} novita_id_body;
void novita_write_id_body(novita_json_writer *w, const void *ctx);

#endif /* NOVITA_API_H */

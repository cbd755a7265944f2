/* Shared plumbing of the resource files (internal): one call shape per kind of operation, and the field
 * tables and body writers of the JSON shapes several resources share. */
#ifndef NOVITA_API_H
#define NOVITA_API_H

#include "../client_internal.h"
#include "../model_macros.h"
#include "novita/instances.h"
#include "novita/list.h"

/** Every operation's first check: without a client there is nowhere to record an error. */
#define NOVITA_REQUIRE_CLIENT(c)           \
    do {                                   \
        if (!(c))                          \
            return NOVITA_ERR_INVALID_ARG; \
    } while (0)

/* ------------------------------------------------------------------ shared models */

/** {key, value} (novita_env): the table, for a model labelled otherwise, and the "envs[]" model. */
extern const novita_field novita_env_fields[2];
extern const novita_model novita_env_model;

/** {type, size, id, mountPath} (novita_volume_mount): "volumeMounts[]" of instances and endpoints. */
extern const novita_model novita_volume_mount_model;

/* ------------------------------------------------------------------ shared body writers */

/** "envs": [{"key": ..., "value": ...}, ...] (a NULL value is sent as ""). */
void novita_write_envs(novita_json_writer *w, const novita_env_spec *envs, size_t count);

/** "<key>": ["...", ...]. */
void novita_write_string_array(novita_json_writer *w, const char *key, const char *const *items, size_t count);

/* ------------------------------------------------------------------ requests */

/* Initializers rather than functions returning a struct, which would put a second copy on the stack. */

/** A GET of ns + path with a query: idempotent, so it may be retried. */
#define NOVITA_GET_REQUEST(ns, path, query, query_count) \
    { "GET", (ns), (path), (query), (query_count), NULL, NULL, true, NULL }

/** A POST of a JSON body to the GPU namespace: never resent once it may have reached the server. */
#define NOVITA_POST_REQUEST(path, body, body_ctx) \
    { "POST", NOVITA_NS_GPU, (path), NULL, 0, (body), (body_ctx), false, NULL }

/* ------------------------------------------------------------------ operations */

/** Run req, decoding the response by `mode` (NONE, OBJECT or STRING) into out: the model (OBJECT), the
 *  capacity of out (STRING) and the wrapper key (OBJECT, STRING; NULL: flat) as the mode needs them. */
novita_result novita_api_exchange(novita_client *c, const novita_request *req, novita_decode_mode mode,
                                  const novita_model *model, void *out, size_t out_size, const char *root_key,
                                  const novita_call_opts *opts);

/** What stays the same between calls of one list operation. */
typedef struct novita_list_op {
    novita_namespace ns;
    const char *path;
    const novita_model *item_model;
    const char *array_key;     /* the array in the envelope (a bare array body is accepted too) */
    const char *array_alt_key; /* an accepted alternative, or NULL */
    bool paged;                /* query[page_at] and query[size_at] carry the page number and size (REFERENCE 4) */
    uint8_t page_at;           /* e.g. {"pageNum", ...} */
    uint8_t size_at;           /* e.g. {"pageSize", ...} */
    uint8_t first_page;        /* 0 where the base is unknown (pageNum, pageNo), 1 where documented (page) */
} novita_list_op;

/** The tail of a novita_list_op initializer: query[page_at] is the page number, query[size_at] the size. */
#define NOVITA_PAGED(page_at, size_at, first_page) true, page_at, size_at, first_page
/** The tail of a novita_list_op initializer for a list the API does not page. */
#define NOVITA_UNPAGED false, 0, 0, 0

/** GET a list and deliver its elements through `list` (array or callback mode; every page when
 *  list->all_pages and the operation is paged). `query` holds the filter's values; a paged operation's
 *  page number and size (0: not sent) are set here, and rewritten per page by the all-pages walk. */
novita_result novita_api_list(novita_client *c, const novita_list_op *op, novita_query_param *query,
                              size_t query_count, uint32_t page, uint32_t page_size, novita_list *list,
                              const novita_call_opts *opts);

/** GET one object into out (flat, or inside root_key when the response wraps it), after the checks of
 *  every get: a client, out (else `out_message`; zeroed first) and, when id_what is not NULL, the id
 *  ("<id_what> is required"). On failure out stays zeroed. */
novita_result novita_api_get(novita_client *c, const novita_request *req, const novita_model *model, void *out,
                             const char *out_message, const char *id, const char *id_what, const char *root_key,
                             const novita_call_opts *opts);

/** A create's first checks: a client, its request (request_ok) and an id output, which is cleared.
 *  False with *r set (`message` recorded unless the client is NULL) when one is missing. Callers test
 *  their request pointer again after it (`|| !q`): the static analyser does not see into this file. */
bool novita_api_id_output(novita_client *c, bool request_ok, char *id_out, size_t id_size, const char *message,
                          novita_result *r);

/** POST a create whose response is the new id, a bare JSON string or {"<id_key>": "..."} (a string or a
 *  number; "Id" accepted for "id"; never empty), into id_out. Never resent once it may have reached the
 *  server: a second create is a second paid resource. */
novita_result novita_api_create_id(novita_client *c, const char *path, novita_body_fn body, const void *body_ctx,
                                   const char *id_key, char *id_out, size_t id_size, const novita_call_opts *opts);

/** POST an action whose response body does not matter (any 2xx is success). */
novita_result novita_api_action(novita_client *c, const char *path, novita_body_fn body, const void *body_ctx,
                                const novita_call_opts *opts);

/** POST {"<key>": id} as an action, after checking the client and the id ("<what> is required"). */
novita_result novita_api_id_action(novita_client *c, const char *path, const char *key, const char *id,
                                   const char *what, const novita_call_opts *opts);

/** Record "<what> is required" when a required string is NULL or empty (c must not be NULL). */
bool novita_api_require(novita_client *c, const char *value, const char *what, novita_result *r);

#endif /* NOVITA_API_H */

/*
 * The exchange engine behind every operation (internal): one request description in, one decoded
 * response out. Resource files (src/api/) only fill these descriptions.
 */
#ifndef NOVITA_CLIENT_INTERNAL_H
#define NOVITA_CLIENT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "http_request.h"
#include "json_stream.h"
#include "json_write.h"
#include "novita/call.h"
#include "novita/client.h"
#include "novita/model.h"

/* Keeps a function's frame off the deep receive-and-decode stack path: GCC and clang otherwise inline
 * single-call static functions into novita_exchange, whose frame then holds all of them at once. */
#if defined(__GNUC__) || defined(__clang__)
#define NOVITA_NOINLINE __attribute__((noinline))
#else
#define NOVITA_NOINLINE
#endif

/** API namespaces on the host (REFERENCE section 1). */
typedef enum novita_namespace {
    NOVITA_NS_GPU = 0, /* /gpu-instance/openapi/v1 */
    NOVITA_NS_BASIC    /* /openapi/v1: metrics, billing */
} novita_namespace;

/** One query parameter; `value` NULL or "" omits it. The head writer's own type: passed without a copy. */
typedef novita_http_query novita_query_param;

/** Writes the JSON body of a POST. */
typedef void (*novita_body_fn)(novita_json_writer *w, const void *ctx);

/** Split an http(s) URL (novita_url, in http_request.h; an empty path becomes "/"); an IPv6 literal host keeps its
 *  brackets (as Host sends it; the port gets it without them); userinfo and fragments are refused. NOVITA_OK or NOVITA_ERR_INVALID_ARG (recorded in c's error with a message
 *  naming `what`). */
novita_result novita_url_parse(novita_client *c, const char *url, const char *what, novita_url *out);

/** What a request to an absolute URL (novita_call) adds to an API request. */
typedef struct novita_url_request {
    novita_url url;              /* host, port, scheme and path (query included) */
    novita_http_content content; /* its body is sent as is after the head (not copied) */
} novita_url_request;

typedef struct novita_request {
    const char *method; /* "GET", "POST", ... */
    novita_namespace ns;
    const char *path;   /* e.g. "/gpu-instance/instances" */
    const novita_query_param *query;
    size_t query_count;
    novita_body_fn body;   /* POST body writer, or NULL */
    const void *body_ctx;
    bool idempotent;       /* safe to resend after a failure */
    const novita_url_request *call; /* a request to an absolute URL: ns, path, query and body are unused */
} novita_request;

typedef enum novita_decode_mode {
    NOVITA_DECODE_NONE = 0, /* action: any 2xx body is success */
    NOVITA_DECODE_OBJECT,   /* whole body -> one model (optionally inside root_key) */
    NOVITA_DECODE_LIST,     /* list elements streamed through the scanner */
    NOVITA_DECODE_STRING,   /* a bare JSON string (or an object's root_key string) -> char[] */
    NOVITA_DECODE_RAW       /* any body, any status: to on_body, or kept in the work buffer */
} novita_decode_mode;

/** RAW mode results, filled as far as the exchange got. */
typedef struct novita_raw_result {
    int status;
    size_t body_len; /* kept in the work buffer (from its start), or passed to on_body */
} novita_raw_result;

typedef struct novita_response_spec {
    novita_decode_mode mode;
    size_t out_size;           /* STRING: capacity of out */
    const char *root_key;      /* OBJECT/STRING: wrapper key; the body is used flat when absent */
    /* From here to `user`: the list scanner's configuration, in its order (copied as one block) */
    const char *array_key;     /* LIST */
    const char *array_alt_key;
    const novita_model *envelope;
    void *envelope_out;
    const novita_model *model; /* OBJECT: the model; LIST: the element model */
    void *out;                 /* OBJECT: struct; LIST: one element's storage; STRING: char[] */
    novita_item_fn on_item;    /* LIST */
    void *user;
    /* RAW */
    novita_response_body_fn on_body; /* or NULL: keep the body in the work buffer */
    void *body_user;
    novita_raw_result *raw_out;
    /* LIST: elements of this request handed to the caller, kept by on_item's owner. A decoded element is
     * not always handed over (a page repeated by a walk is skipped), and only handed-over elements make a
     * retry unsafe (they would be delivered twice). */
    const size_t *handed_over;
} novita_response_spec;

/** Run one operation: build, send (reusing or opening the connection), receive, decode, map errors,
 *  retry what is safe to retry. */
novita_result novita_exchange(novita_client *c, const novita_request *req, const novita_response_spec *resp,
                              const novita_call_opts *opts);

/** Bytes at the start of the work buffer's tail (client.exchange_state) for the state of the operation in
 *  progress (its response description; a list's page walk): off the task stack, like the exchange's own
 *  state, which follows. A multiple of 8. */
#define NOVITA_OP_STATE_BYTES (30u * sizeof(void *) + 88u)

/** That operation state of client c (one operation runs at a time on a client). Inline: a call would
 *  make every caller keep its arguments in saved registers across it. */
static inline void *novita_op_state(novita_client *c)
{
    return c->exchange_state;
}

/** Record a local failure (invalid argument etc.) in the client's error and return result. */
novita_result novita_fail(novita_client *c, novita_result result, const char *message);

/** The same with the message a + b (truncated to fit): one copy of a shared part such as " is required". */
novita_result novita_fail_joined(novita_client *c, novita_result result, const char *a, const char *b);

/** The n-th of the NUL-separated texts (0-based), or the last-th when n > last (result.c). */
const char *novita_nth_text(const char *texts, uint32_t n, uint32_t last);

#endif /* NOVITA_CLIENT_INTERNAL_H */

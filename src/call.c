/* novita_call: one request to an absolute URL (a serverless endpoint), over the client's connection. */
#include <string.h>

#include "client_internal.h"

/* An HTTP method is a token: letters only here, which covers every method a caller needs. */
static bool is_method(const char *m)
{
    size_t n = 0;
    for (; m[n]; n++) {
        if (m[n] < 'A' || m[n] > 'Z' || n >= 16u)
            return false;
    }
    return n > 0;
}

/* A header value: no control byte (CR or LF would start a header line of the caller's making). */
static bool is_header_value(const char *v)
{
    for (; *v; v++) {
        if ((unsigned char)*v < 0x20u || *v == 0x7F)
            return false;
    }
    return true;
}

static bool is_safe_method(const char *m)
{
    return novita_streq(m, "GET") || novita_streq(m, "HEAD");
}

novita_result novita_call(novita_client *c, const novita_call_request *q, novita_call_response *out,
                          const novita_call_opts *opts)
{
    novita_url_request target;
    novita_request req;
    novita_response_spec spec;
    novita_raw_result raw;
    novita_result r;
    const char *method;
    if (!c)
        return NOVITA_ERR_INVALID_ARG;
    if (out)
        memset(out, 0, sizeof(*out));
    if (!q || !out || !q->url)
        return novita_fail(c, NOVITA_ERR_INVALID_ARG, "request, response and url are required");
    method = q->method ? q->method : "POST";
    if (!is_method(method))
        return novita_fail(c, NOVITA_ERR_INVALID_ARG, "method is not an upper-case token");
    if (q->body_len > 0 && !q->body)
        return novita_fail(c, NOVITA_ERR_INVALID_ARG, "body_len without body");
    if (q->content_type && (!q->content_type[0] || !is_header_value(q->content_type)))
        return novita_fail(c, NOVITA_ERR_INVALID_ARG, "content_type is empty or has a control character");
    r = novita_url_parse(c, q->url, "url", &target.url);
    if (r != NOVITA_OK)
        return r;
    memset(&req, 0, sizeof(req));
    req.method = method;
    req.call = &target;
    /* Methods other than GET/HEAD always carry a length (0 for no body), as HTTP/1.1 servers expect. */
    req.idempotent = is_safe_method(method);
    target.content.body = q->body ? (const uint8_t *)q->body : (req.idempotent ? NULL : (const uint8_t *)"");
    target.content.body_len = q->body ? q->body_len : 0u;
    target.content.content_type = q->content_type;
    target.content.accept = "*/*";
    memset(&spec, 0, sizeof(spec));
    memset(&raw, 0, sizeof(raw));
    spec.mode = NOVITA_DECODE_RAW;
    spec.on_body = q->on_body;
    spec.body_user = q->user;
    spec.raw_out = &raw;
    r = novita_exchange(c, &req, &spec, opts);
    out->status = raw.status;
    out->body_len = raw.body_len;
    out->body = q->on_body || raw.status == 0 ? NULL : c->work;
    return r;
}

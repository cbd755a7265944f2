/* The client: configuration, connection reuse, and the exchange loop over the sans-I/O core. */
#include <stddef.h>
#include <string.h>

#include "client_internal.h"
#include "http_request.h"
#include "http_response.h"
#include "json_decode.h"

/* The caller's token storage is used as jsmn tokens: the layouts must agree. */
typedef char novita_token_size_check[(sizeof(jsmntok_t) == sizeof(novita_json_token)) ? 1 : -1];

#define NOVITA_MIN_WORK_SIZE 1024u
#define NOVITA_MIN_TOKENS 16u
/* Error bodies are kept up to this share of the work buffer; the rest is read and dropped. */
#define NOVITA_ERROR_BODY_SHARE 2u

static const char *const namespace_base[] = { "/gpu-instance/openapi/v1", "/openapi/v1" };

/* ------------------------------------------------------------------ errors */

novita_result novita_fail_joined(novita_client *c, novita_result result, const char *a, const char *b)
{
    novita_error *e = &c->error;
    size_t n = novita_strnlen(a, sizeof(e->message) - 1u);
    memcpy(e->message, a, n);
    (void)novita_copy_string(e->message + n, sizeof(e->message) - n, b, novita_strlen(b));
    e->result = result;
    return result;
}

novita_result novita_fail(novita_client *c, novita_result result, const char *message)
{
    return novita_fail_joined(c, result, message, "");
}

/* A caller buffer (or a config.h capacity) is too small: `what` (a + b) names it, the message repeats it. */
static novita_result fail_buffer_of(novita_client *c, const char *a, const char *b, size_t needed)
{
    novita_error *e = &c->error;
    (void)novita_fail_joined(c, NOVITA_ERR_BUFFER_TOO_SMALL, a, b);
    (void)novita_copy_string(e->what, sizeof(e->what), e->message, novita_strlen(e->message));
    e->needed = needed;
    return novita_fail_joined(c, NOVITA_ERR_BUFFER_TOO_SMALL, e->what, " too small");
}

static novita_result fail_buffer(novita_client *c, const char *what, size_t needed)
{
    return fail_buffer_of(c, what, "", needed);
}

/* ------------------------------------------------------------------ configuration */

/* Visible ASCII or UTF-8 bytes only: no space, control byte or DEL. */
static bool is_header_text(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] <= 0x20u || s[i] == 0x7F)
            return false;
    }
    return true;
}

void novita_client_config_init(novita_client_config *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->connect_timeout_ms = NOVITA_CONNECT_TIMEOUT_MS;
    cfg->io_timeout_ms = NOVITA_IO_TIMEOUT_MS;
    cfg->deadline_ms = NOVITA_DEADLINE_MS;
    cfg->max_retries = NOVITA_MAX_RETRIES;
    cfg->retry_base_ms = 500u;
    cfg->retry_max_ms = 10000u;
}

/* Advance *p past prefix when the text starts with it. */
static bool skip_prefix(const char **p, const char *prefix)
{
    const char *s = *p;
    while (*prefix && *s == *prefix) {
        s++;
        prefix++;
    }
    if (*prefix)
        return false;
    *p = s;
    return true;
}

/* Where a host ends: ':', '/' or the end. The other characters that would end it (query, fragment, user
 * info) are refused by split_url's check after it. An IPv6 literal ends after its ']'. */
static const char *host_end(const char *p)
{
    if (*p == '[') { /* the resolver judges what is inside; an empty or unclosed literal is refused here */
        const char *s = p;
        while (*s && *s != ']' && *s != '/')
            s++;
        return *s == ']' && s - p > 1 ? s + 1 : p;
    }
    for (; *p; p++) {
        const char *e = ":/?#@[";
        while (*e && *e != *p)
            e++;
        if (*e)
            break;
    }
    return p;
}

/* "http(s)://host[:port][/path]", host a name, an IPv4 or a bracketed IPv6 literal ("[::1]", kept with its
 * brackets, as Host sends it): no user info, fragment, space or control character. */
static bool split_url(const char *p, novita_url *out)
{
    uint32_t port, digits = 0;
    bool ok;
    out->use_tls = skip_prefix(&p, "https://");
    ok = out->use_tls || skip_prefix(&p, "http://");
    port = out->use_tls ? 443u : 80u;
    out->host = p;
    p = host_end(p);
    out->host_len = (size_t)(p - out->host);
    if (*p == ':') {
        port = 0;
        for (p++; *p >= '0' && *p <= '9' && digits < 6u; p++, digits++)
            port = port * 10u + (uint32_t)(*p - '0');
    }
    out->port = (uint16_t)port;
    ok = ok && out->host_len > 0 && port - 1u < 65535u && (*p == '\0' || *p == '/');
    out->path = *p ? p : "/"; /* a request target is never empty; a base URL's prefix drops it */
    for (p = out->host; ok && *p; p++) /* host and path: a control byte would end up in the head */
        ok = *p != '#' && (unsigned char)*p > 0x20u && *p != 0x7F;
    return ok;
}

static novita_result url_failure(novita_client *c, const char *what)
{
    return novita_fail_joined(c, NOVITA_ERR_INVALID_ARG, what, " is not an http(s)://host[:port][/path] URL");
}

novita_result novita_url_parse(novita_client *c, const char *url, const char *what, novita_url *out)
{
    return split_url(url, out) ? NOVITA_OK : url_failure(c, what);
}

/* Keep the host, port, TLS flag and path prefix (without trailing slashes) of the base URL. */
static novita_result parse_base_url(novita_client *c, const char *base_url)
{
    novita_url url;
    size_t path_len = 0;
    bool ok = split_url(base_url, &url);
    for (size_t i = 0; ok && url.path[i]; i++) {
        ok = url.path[i] != '?'; /* a prefix, not a query */
        if (url.path[i] != '/')
            path_len = i + 1u;
    }
    if (!ok)
        return url_failure(c, "base URL");
    if (url.host_len >= sizeof(c->host))
        return fail_buffer(c, "NOVITA_HOST_MAX", url.host_len + 1);
    if (path_len >= sizeof(c->path_prefix))
        return fail_buffer(c, "NOVITA_PATH_PREFIX_MAX", path_len + 1);
    (void)novita_copy_string(c->host, sizeof(c->host), url.host, url.host_len);
    (void)novita_copy_string(c->path_prefix, sizeof(c->path_prefix), url.path, path_len);
    c->port_number = url.port;
    c->use_tls = url.use_tls;
    return NOVITA_OK;
}

/* One exchange: its settings, and the state kept in the work buffer's tail (novita_client.exchange_state). */
typedef struct call_settings {
    uint32_t io_timeout_ms;
    uint32_t deadline_ms;
    uint32_t start_ms;
    uint8_t max_retries;
} call_settings;

typedef struct exchange {
    novita_client *c;
    const novita_request *req;
    const novita_response_spec *resp;
    call_settings cs;          /* the whole call's, across attempts */
    novita_url target;         /* where the request goes: the API host, or a call's URL */
    novita_http_parser parser; /* from here on: one attempt's state, zeroed per attempt */
    novita_body_store store;
    novita_list_scanner scanner;
    bool body_started;
    bool is_success;
    bool error_body_truncated;
    bool request_sent;       /* some bytes of the request left this host */
    bool body_delivered;     /* RAW: some body bytes went to on_body (a retry would repeat them) */
    bool response_started;   /* some bytes of a response arrived */
} exchange;

/* The scanner's configuration from array_key to user is the response description's, field for field
 * (all pointers): one copy instead of eight assignments. */
#define NOVITA_SCANNER_CONFIG_BYTES (offsetof(novita_list_scanner, store) - offsetof(novita_list_scanner, array_key))
#define NOVITA_SPEC_OFFSET(member) (offsetof(novita_response_spec, member) - offsetof(novita_response_spec, array_key))
#define NOVITA_SCANNER_OFFSET(member) (offsetof(novita_list_scanner, member) - offsetof(novita_list_scanner, array_key))
typedef char novita_scanner_config_check[(NOVITA_SPEC_OFFSET(on_body) == NOVITA_SCANNER_CONFIG_BYTES &&
                                          NOVITA_SPEC_OFFSET(model) == NOVITA_SCANNER_OFFSET(item_model) &&
                                          NOVITA_SPEC_OFFSET(out) == NOVITA_SCANNER_OFFSET(item) &&
                                          NOVITA_SPEC_OFFSET(on_item) == NOVITA_SCANNER_OFFSET(on_item) &&
                                          NOVITA_SPEC_OFFSET(user) == NOVITA_SCANNER_OFFSET(user))
                                             ? 1 : -1];

/* The operation's state, then the exchange, each 8-byte aligned, plus slack to align the start. */
#define NOVITA_TAIL_BYTES (NOVITA_OP_STATE_BYTES + sizeof(exchange) + sizeof(uint64_t))
typedef char novita_op_state_aligned[(NOVITA_OP_STATE_BYTES % 8u == 0u) ? 1 : -1];

/* The work buffer, with the part that did not fit: "work buffer (response body)" etc. `usable` is what that
 * part needs; the work buffer also holds the exchange state in its tail, so the size to give is that much more. */
static novita_result fail_work(novita_client *c, const char *part, size_t usable)
{
    return fail_buffer_of(c, "work buffer", part, usable ? usable + NOVITA_TAIL_BYTES : 0u);
}

/* Not inlined: the returned pointer is a base register of its own, so the exchange's members are reached
 * with short offsets instead of NOVITA_OP_STATE_BYTES + offset in every instruction. */
NOVITA_NOINLINE static exchange *exchange_of(const novita_client *c)
{
    return (exchange *)(void *)((uint8_t *)c->exchange_state + NOVITA_OP_STATE_BYTES);
}

novita_result novita_client_init(novita_client *c, const novita_client_config *cfg, novita_port *port,
                                 uint8_t *work, size_t work_size, novita_json_token *tokens, size_t token_count)
{
    size_t key_len;
    uint8_t *state;
    if (!c)
        return NOVITA_ERR_INVALID_ARG;
    memset(c, 0, sizeof(*c));
    if (!cfg || !port || !work || !tokens || !port->connect || !port->send || !port->recv || !port->close ||
        !port->now_ms || !port->sleep_ms || !cfg->api_key || !cfg->api_key[0])
        return novita_fail(c, NOVITA_ERR_INVALID_ARG, "cfg with api_key, full port, work and tokens are required");
    if (work_size < NOVITA_MIN_WORK_SIZE + NOVITA_TAIL_BYTES)
        return fail_work(c, "", NOVITA_MIN_WORK_SIZE);
    if (token_count < NOVITA_MIN_TOKENS)
        return fail_buffer(c, "token array", NOVITA_MIN_TOKENS);
    key_len = novita_strnlen(cfg->api_key, sizeof(c->api_key));
    if (key_len >= sizeof(c->api_key))
        return fail_buffer(c, "NOVITA_API_KEY_MAX", 0);
    if (!is_header_text(cfg->api_key, key_len)) /* it goes into a header line, and a trailing \n from fgets
                                                   would end the head early */
        return novita_fail(c, NOVITA_ERR_INVALID_ARG, "api_key contains a space or control character");
    if (parse_base_url(c, cfg->base_url ? cfg->base_url : NOVITA_DEFAULT_BASE_URL) != NOVITA_OK)
        return c->error.result;
    (void)novita_copy_string(c->api_key, sizeof(c->api_key), cfg->api_key, key_len);
    c->config = *cfg;
    c->config.base_url = NULL; /* copied above; the caller's strings need not outlive init */
    c->config.api_key = NULL;
    c->port = port;
    /* The state of one exchange (parser, list scanner) and of the operation lives in the work buffer's last
     * bytes, aligned, so the deep receive-and-decode path does not carry it on the caller's stack. */
    state = work + work_size - NOVITA_TAIL_BYTES + sizeof(uint64_t);
    state -= (uintptr_t)state % sizeof(uint64_t);
    c->exchange_state = state;
    c->work_size = (size_t)(state - work);
    c->work = work;
    c->tokens = tokens;
    c->token_count = token_count;
    c->rng_state = port->now_ms(port->ctx) | 1u;
    return NOVITA_OK;
}

void novita_client_close(novita_client *c)
{
    if (c && c->port && c->connected) {
        c->port->close(c->port->ctx);
        c->connected = false;
    }
}

const novita_error *novita_client_last_error(const novita_client *c)
{
    return c ? &c->error : NULL;
}

/* ------------------------------------------------------------------ one exchange */

static void trace(const novita_client *c, const char *text, size_t len)
{
    if (c->config.log)
        c->config.log(c->config.log_ctx, text, len);
}

/* Trace the request head line by line, each line after "> ", with the API key replaced by "***". */
static void trace_head(const novita_client *c, const uint8_t *head, size_t len, size_t key_at, size_t key_len)
{
    size_t line = 0;
    for (size_t i = 0; i < len; i++) {
        if (head[i] != '\n')
            continue;
        trace(c, "> ", 2);
        if (key_at >= line && key_at < i) {
            trace(c, (const char *)head + line, key_at - line);
            trace(c, "***", 3);
            line = key_at + key_len;
        }
        trace(c, (const char *)head + line, i + 1 - line);
        line = i + 1;
    }
}

static uint32_t elapsed(const exchange *x)
{
    return x->c->port->now_ms(x->c->port->ctx) - x->cs.start_ms;
}

/* Timeout for the next port call: the inactivity timeout, shortened by the overall deadline. 0 = expired. */
static uint32_t next_timeout(const exchange *x)
{
    uint32_t t = x->cs.io_timeout_ms;
    if (x->cs.deadline_ms) {
        uint32_t used = elapsed(x);
        if (used >= x->cs.deadline_ms)
            return 0;
        if (x->cs.deadline_ms - used < t)
            t = x->cs.deadline_ms - used;
    }
    return t;
}

/* A port failure while `doing` something: the result it maps to, and a message naming both. */
static novita_result port_failure(novita_client *c, int32_t code, const char *doing)
{
    /* by -1 - code (novita_port_status), then the text for any other code */
    static const char reasons[] = "connection closed\0timed out\0name not resolved\0refused or unreachable\0"
                                  "I/O error\0TLS failure\0peer not verified\0bad arguments\0port has no TLS\0"
                                  "port error";
    novita_result r = NOVITA_ERR_NETWORK;
    if (code == NOVITA_PORT_TIMEOUT)
        r = NOVITA_ERR_TIMEOUT;
    else if (code == NOVITA_PORT_ERR_TLS || code == NOVITA_PORT_ERR_CERT || code == NOVITA_PORT_ERR_NO_TLS)
        r = NOVITA_ERR_TLS;
    c->error.port_code = code;
    return novita_fail_joined(c, r, doing, novita_nth_text(reasons, (uint32_t)(-1 - code), 9u));
}

/* A kept-alive connection may have been closed by the server while idle: probe it without waiting. */
static void drop_if_stale(novita_client *c)
{
    uint8_t probe;
    if (c->connected && c->port->recv(c->port->ctx, &probe, 1, 0) != NOVITA_PORT_TIMEOUT)
        novita_client_close(c); /* closed, failed, or unexpected bytes: not reusable */
}

/* The server a request goes to: the API host (its path prefix first), or a call's URL. */
static void set_target(exchange *x)
{
    const novita_client *c = x->c;
    novita_url *t = &x->target;
    if (x->req->call) {
        *t = x->req->call->url;
        return;
    }
    t->host = c->host;
    t->host_len = novita_strlen(c->host);
    t->port = c->port_number;
    t->use_tls = c->use_tls;
    t->path = c->path_prefix;
}

/* The name the port resolves: the host without an IPv6 literal's brackets. */
static size_t connect_name(const novita_url *t, const char **name)
{
    bool literal = t->host[0] == '[';
    *name = literal ? t->host + 1 : t->host;
    return literal ? t->host_len - 2u : t->host_len;
}

static bool connected_to(const novita_client *c, const novita_url *t)
{
    const char *name;
    size_t len = connect_name(t, &name);
    return c->conn_port == t->port && c->conn_tls == t->use_tls &&
           novita_strnlen(c->conn_host, sizeof(c->conn_host)) == len && memcmp(c->conn_host, name, len) == 0;
}

NOVITA_NOINLINE static novita_result ensure_connected(exchange *x)
{
    novita_client *c = x->c;
    const novita_url *t = &x->target;
    novita_port_target target;
    int32_t rc;
    uint32_t timeout = next_timeout(x);
    const char *name;
    size_t name_len = connect_name(t, &name);
    drop_if_stale(c);
    if (c->connected && !connected_to(c, t))
        novita_client_close(c); /* one connection per client: switch hosts */
    if (c->connected)
        return NOVITA_OK;
    if (name_len >= sizeof(c->conn_host))
        return fail_buffer(c, "NOVITA_HOST_MAX", name_len + 1);
    if (timeout > c->config.connect_timeout_ms)
        timeout = c->config.connect_timeout_ms;
    (void)novita_copy_string(c->conn_host, sizeof(c->conn_host), name, name_len);
    c->conn_port = target.port = t->port;
    c->conn_tls = target.use_tls = t->use_tls;
    target.host = c->conn_host;
    rc = timeout == 0 ? NOVITA_PORT_TIMEOUT : c->port->connect(c->port->ctx, &target, timeout);
    if (rc != NOVITA_PORT_OK) {
        c->port->close(c->port->ctx);
        return port_failure(c, rc, "connect: ");
    }
    c->connected = true;
    c->connections_opened++;
    return NOVITA_OK;
}

/* Build [head | body] at the start of the work buffer: a counting pass of the body writer (capacity 0)
 * gives Content-Length, the head is written, then the body after it. */
NOVITA_NOINLINE static novita_result build_request(exchange *x, size_t *total)
{
    novita_client *c = x->c;
    const novita_request *req = x->req;
    novita_http_head head;
    novita_json_writer w;
    size_t body_len = 0, head_len, needed, key_at, key_len;
    memset(&head, 0, sizeof(head));
    if (req->call) /* its body is sent from the caller's memory after the head */
        head.content = req->call->content;
    else
        head.path_parts[0] = namespace_base[req->ns];
    if (req->body) {
        novita_jw_init(&w, c->work, 0);
        req->body(&w, req->body_ctx);
        body_len = w.len;
        if (w.invalid)
            return fail_work(c, " (request body)", 0);
        head.content.body = c->work; /* not read: the head only needs the length */
        head.content.body_len = body_len;
    }
    head.method = req->method;
    head.target = &x->target;
    head.path_parts[1] = req->path;
    head.query = req->query; /* a call has none */
    head.query_count = req->query_count;
    head.api_key = c->api_key;
    /* with no room left for it, the head is only measured, so the size needed covers both */
    head_len = novita_http_write_head(c->work, body_len < c->work_size ? c->work_size - body_len : 0u, &head,
                                      &needed, &key_at, &key_len);
    if (head_len == 0)
        return fail_work(c, body_len < c->work_size ? " (request)" : " (request body)", body_len + needed);
    if (c->config.log)
        trace_head(c, c->work, head_len, key_at, key_len);
    if (req->body) { /* the same text again, now stored: it fits, as counted */
        novita_jw_init(&w, c->work + head_len, body_len);
        req->body(&w, req->body_ctx);
    }
    *total = head_len + body_len;
    return NOVITA_OK;
}

static novita_result send_all(exchange *x, const uint8_t *data, size_t len)
{
    novita_client *c = x->c;
    while (len > 0) {
        uint32_t timeout = next_timeout(x);
        int32_t n = timeout == 0 ? NOVITA_PORT_TIMEOUT : c->port->send(c->port->ctx, data, len, timeout);
        if (n <= 0)
            return port_failure(c, n == 0 ? NOVITA_PORT_ERR_IO : n, "send: ");
        x->request_sent = true;
        data += n;
        len -= (size_t)n;
    }
    return NOVITA_OK;
}

/* ---- body sinks */

static novita_result keep_bytes(exchange *x, const uint8_t *data, size_t len)
{
    /* data lies after store.kept in the same buffer: memmove compacts it down. */
    memmove(x->store.base + x->store.kept, data, len);
    x->store.kept += len;
    return NOVITA_OK;
}

/* The status is known once the body starts (or the response ends without one): pick the body's fate. */
static void begin_body(exchange *x)
{
    if (x->body_started)
        return;
    x->body_started = true;
    x->is_success = x->parser.status >= 200 && x->parser.status < 300;
    if (x->is_success && x->resp->mode == NOVITA_DECODE_LIST)
        novita_list_scanner_start(&x->scanner);
}

/* RAW mode with a callback: every byte of any status goes to the caller. */
static novita_result deliver_body(exchange *x, const uint8_t *data, size_t len)
{
    novita_result r;
    if (len == 0)
        return NOVITA_OK;
    x->body_delivered = true;
    x->resp->raw_out->body_len += len;
    r = x->resp->on_body(x->resp->body_user, data, len);
    if (r != NOVITA_OK)
        (void)novita_fail(x->c, r, "callback stopped the call");
    return r;
}

static novita_result body_sink(void *ctx, const uint8_t *data, size_t len)
{
    exchange *x = (exchange *)ctx;
    begin_body(x);
    if (x->resp->mode == NOVITA_DECODE_RAW && x->resp->on_body)
        return deliver_body(x, data, len);
    if (!x->is_success) {
        size_t cap = x->c->work_size / NOVITA_ERROR_BODY_SHARE;
        size_t room = x->store.kept < cap ? cap - x->store.kept : 0;
        if (len > room)
            x->error_body_truncated = true;
        return keep_bytes(x, data, len < room ? len : room);
    }
    if (x->resp->mode == NOVITA_DECODE_LIST)
        return novita_list_scanner_write(&x->scanner, data, len);
    return x->resp->mode == NOVITA_DECODE_NONE ? NOVITA_OK : keep_bytes(x, data, len); /* NONE: ignored */
}

/* The work buffer filled up before the response was complete: say with what. */
static novita_result no_room(exchange *x)
{
    size_t needed = 0;
    const char *what = " (response body)";
    if (x->parser.state == NOVITA_HTTP_STATUS_LINE || x->parser.state == NOVITA_HTTP_HEADERS ||
        x->parser.state == NOVITA_HTTP_TRAILERS || x->parser.state == NOVITA_HTTP_CHUNK_SIZE)
        what = " (response headers)";
    else if (x->resp->mode == NOVITA_DECODE_LIST)
        what = " (one list element)";
    else if (x->parser.has_content_length && x->parser.content_length < SIZE_MAX / 2u)
        needed = (size_t)x->parser.content_length + 1024u; /* body + room for headers */
    return fail_work(x->c, what, needed);
}

/* The parser sets its error text with every protocol error it reports. */
static novita_result protocol_error(novita_client *c, const novita_http_parser *p)
{
    return novita_fail(c, NOVITA_ERR_PROTOCOL, p->error);
}

/* Receive and parse until the response is complete. Returns with the body (or list state) in x. */
static novita_result receive_response(exchange *x)
{
    novita_client *c = x->c;
    novita_body_sink sink;
    size_t raw_start = 0, raw_end = 0;
    sink.write = body_sink;
    sink.ctx = x;
    novita_http_parser_init(&x->parser);
    x->parser.no_body = novita_streq(x->req->method, "HEAD"); /* its response ends with the headers */
    x->store.base = c->work;
    while (x->parser.state != NOVITA_HTTP_DONE) {
        size_t consumed = 0, unconsumed;
        uint32_t timeout;
        int32_t n;
        novita_result r;
        if (raw_end >= c->work_size)
            return no_room(x);
        timeout = next_timeout(x);
        n = timeout == 0 ? NOVITA_PORT_TIMEOUT
                         : c->port->recv(c->port->ctx, c->work + raw_end, c->work_size - raw_end, timeout);
        if (n == NOVITA_PORT_CLOSED && x->response_started) {
            /* Cut short (a line or the body incomplete): an early close, so a network failure that an
             * idempotent request may retry, not a malformed response. */
            if (novita_http_finish(&x->parser) != NOVITA_OK) {
                c->error.port_code = NOVITA_PORT_CLOSED;
                return novita_fail_joined(c, NOVITA_ERR_NETWORK, "receive: connection closed, ", x->parser.error);
            }
            break;
        }
        if (n <= 0)
            return port_failure(c, n == 0 ? NOVITA_PORT_ERR_IO : n, "receive: ");
        x->response_started = true;
        raw_end += (size_t)n;
        r = novita_http_parse(&x->parser, c->work + raw_start, raw_end - raw_start, &consumed, &sink);
        if (r != NOVITA_OK && x->parser.error)
            return protocol_error(c, &x->parser);
        if (r != NOVITA_OK) { /* the sink's own (list decoding, a callback's code): it described the failure */
            c->error.result = r;
            return r;
        }
        unconsumed = raw_end - raw_start - consumed;
        memmove(c->work + x->store.kept, c->work + raw_start + consumed, unconsumed);
        raw_start = x->store.kept;
        raw_end = raw_start + unconsumed;
        if (x->parser.state == NOVITA_HTTP_DONE && unconsumed > 0)
            x->parser.keep_alive = false; /* bytes nobody asked for: do not trust this connection */
    }
    begin_body(x); /* an empty body: success is decided by the status alone */
    return NOVITA_OK;
}

/* ---- decoding */

static void tokenizer_over_body(const exchange *x, novita_json_doc *doc, novita_error *err)
{
    doc->json = (const char *)x->c->work;
    doc->len = x->store.kept;
    doc->tokens = (jsmntok_t *)(void *)x->c->tokens;
    doc->token_cap = x->c->token_count;
    doc->token_count = 0;
    doc->err = err;
}

/* A create's answer: the new id as a bare JSON string, or as root_key's value in an object ("id", also
 * spelt "Id"), a string or a number. Lenient because the resource exists once the server answered: losing
 * its id would leave it running unseen. An empty id is refused for the same reason. */
static novita_result decode_string_body(exchange *x, novita_json_doc *doc)
{
    const novita_response_spec *resp = x->resp;
    const jsmntok_t *t;
    int at = 0;
    if (doc->tokens[0].type == JSMN_OBJECT && resp->root_key) {
        at = novita_json_find(doc, 0, resp->root_key);
        if (at < 0 && novita_streq(resp->root_key, "id"))
            at = novita_json_find(doc, 0, "Id");
    }
    t = &doc->tokens[at < 0 ? 0 : at];
    if (at < 0 || t->end == t->start ||
        (t->type != JSMN_STRING &&
         (t->type != JSMN_PRIMITIVE || (doc->json[t->start] != '-' && (unsigned)(doc->json[t->start] - '0') > 9u))))
        return novita_decode_fail(&x->c->error, NOVITA_ERR_DECODE, "response", resp->root_key, 0,
                                  "expected a non-empty id");
    if (novita_json_string_copy(doc, at, (char *)resp->out, resp->out_size))
        return NOVITA_OK;
    ((char *)resp->out)[0] = '\0';
    return novita_decode_fail(&x->c->error, NOVITA_ERR_BUFFER_TOO_SMALL, "response", resp->root_key,
                              (size_t)(doc->tokens[at].end - doc->tokens[at].start) + 1u,
                              "string longer than the output buffer");
}

NOVITA_NOINLINE static novita_result decode_success(exchange *x)
{
    const novita_response_spec *resp = x->resp;
    novita_json_doc doc;
    novita_result r;
    int at = 0;
    if (resp->mode == NOVITA_DECODE_NONE || resp->mode == NOVITA_DECODE_RAW)
        return NOVITA_OK;
    if (resp->mode == NOVITA_DECODE_LIST)
        return novita_list_scanner_finish(&x->scanner);
    tokenizer_over_body(x, &doc, &x->c->error);
    r = novita_json_tokenize(&doc);
    if (r != NOVITA_OK)
        return r;
    if (resp->mode == NOVITA_DECODE_STRING)
        return decode_string_body(x, &doc);
    if (resp->root_key) {
        int wrapped = novita_json_find(&doc, 0, resp->root_key);
        if (wrapped >= 0 && doc.tokens[wrapped].type != JSMN_PRIMITIVE)
            at = wrapped; /* {"template": {...}}; otherwise the object is flat */
    }
    return novita_decode_model(&doc, at, resp->model, resp->out);
}

/* ---- API errors */

/* "not found" in any case, or the API's own misspelling "not fount". */
static bool says_not_found(const char *s)
{
    static const char stem[] = "not foun";
    for (; *s; s++) {
        size_t k = 0;
        while (k < sizeof(stem) - 1u && s[k] && (s[k] | 0x20) == stem[k])
            k++;
        if (k == sizeof(stem) - 1u && ((s[k] | 0x20) == 'd' || (s[k] | 0x20) == 't'))
            return true;
    }
    return false;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = novita_strlen(s), m = novita_strlen(suffix);
    return n >= m && novita_streq(s + n - m, suffix);
}

/* Copy a string (or number) member of an error body into dst; false when there is none. */
static bool copy_member(const novita_json_doc *doc, int obj, const char *key, char *dst, size_t cap)
{
    int at = novita_json_find(doc, obj, key);
    if (at < 0 || (doc->tokens[at].type != JSMN_STRING && doc->tokens[at].type != JSMN_PRIMITIVE))
        return false;
    (void)novita_json_string_copy(doc, at, dst, cap);
    return true;
}

/* Pick reason and message out of {"code","reason","message"} or {"error": "..." | {"message"}}. */
NOVITA_NOINLINE static void parse_error_body(exchange *x)
{
    novita_error *e = &x->c->error;
    novita_json_doc doc;
    size_t n;
    /* a non-JSON error body must not overwrite the API error with a decode error: no error record */
    tokenizer_over_body(x, &doc, NULL);
    if (doc.len > 0 && !x->error_body_truncated && novita_json_tokenize(&doc) == NOVITA_OK &&
        doc.tokens[0].type == JSMN_OBJECT) {
        int inner = novita_json_find(&doc, 0, "error");
        (void)copy_member(&doc, 0, "reason", e->reason, sizeof(e->reason));
        if (!copy_member(&doc, 0, "message", e->message, sizeof(e->message)) && inner >= 0)
            (void)(doc.tokens[inner].type == JSMN_OBJECT
                       ? copy_member(&doc, inner, "message", e->message, sizeof(e->message))
                       : copy_member(&doc, 0, "error", e->message, sizeof(e->message)));
        if (e->message[0] || e->reason[0])
            return;
    }
    /* Not the documented envelope: keep the start of the raw body, control characters made visible. */
    n = doc.len < sizeof(e->message) - 1u ? doc.len : sizeof(e->message) - 1u;
    /* cppcheck-suppress knownConditionTrueFalse ; false positive: doc.len is the body kept, not 0 */
    for (size_t i = 0; i < n; i++) {
        uint8_t ch = x->c->work[i];
        e->message[i] = (char)((ch < 0x20u || ch == 0x7Fu) ? (uint8_t)' ' : ch);
    }
    e->message[n] = '\0';
}

/* The shortest start of the key that counts as the key when a copy ends with it (the copy was cut off). */
#define NOVITA_KEY_PREFIX_MIN 4u

/* Text from the server goes into messages that applications log: the API key (echoed whole, or cut off at
 * the end of a field) becomes "***", and control characters become spaces (no forged log lines). */
static void clean_server_text(const novita_client *c, char *text)
{
    size_t key_len = novita_strlen(c->api_key), len = novita_strlen(text);
    for (size_t i = 0; i < len; i++) {
        size_t n = 0;
        while (n < key_len && i + n < len && text[i + n] == c->api_key[n])
            n++;
        if (n > 0 && (n == key_len || (i + n == len && n >= NOVITA_KEY_PREFIX_MIN))) {
            size_t stars = n < 3u ? n : 3u;
            memset(text + i, '*', stars);
            memmove(text + i + stars, text + i + n, len + 1u - i - n);
            len -= n - stars;
            i += stars - 1u;
        } else if ((unsigned char)text[i] < 0x20u || text[i] == 0x7F) {
            text[i] = ' ';
        }
    }
}

NOVITA_NOINLINE static void clean_error_texts(novita_client *c)
{
    clean_server_text(c, c->error.message);
    clean_server_text(c, c->error.reason);
}

static novita_result map_status(const novita_error *e)
{
    int status = e->http_status;
    if (status == 401 || status == 403)
        return NOVITA_ERR_AUTH;
    if (status == 404 || (status == 400 && (ends_with(e->reason, "_NOT_FOUND") || says_not_found(e->message))))
        return NOVITA_ERR_NOT_FOUND; /* the GPU API reports missing resources as 400 (REFERENCE 5.1) */
    if (status == 429)
        return NOVITA_ERR_RATE_LIMITED;
    return status >= 500 ? NOVITA_ERR_SERVER : NOVITA_ERR_API;
}

NOVITA_NOINLINE static void trace_status(const novita_client *c, int status)
{
    char line[16] = "< HTTP ";
    size_t n = 7;
    n += novita_format_i64(line + n, status);
    line[n++] = '\n';
    trace(c, line, n);
}

static novita_result run_attempt(exchange *x)
{
    novita_client *c = x->c;
    const novita_request *req = x->req;
    size_t request_len = 0;
    novita_result r = build_request(x, &request_len);
    if (r == NOVITA_OK)
        r = ensure_connected(x);
    if (r == NOVITA_OK)
        r = send_all(x, c->work, request_len);
    if (r == NOVITA_OK && req->call && req->call->content.body) {
        trace(c, "> (body not traced)\n", 20);
        r = send_all(x, req->call->content.body, req->call->content.body_len);
    }
    if (r == NOVITA_OK)
        r = receive_response(x);
    if (r != NOVITA_OK) {
        novita_client_close(c); /* never reuse a connection after a failure */
        return r;
    }
    trace_status(c, x->parser.status);
    c->error.http_status = x->parser.status;
    if (!x->parser.keep_alive)
        novita_client_close(c);
    if (x->is_success) {
        r = decode_success(x);
        if (r != NOVITA_OK)
            novita_client_close(c); /* a server sending undecodable data is not trusted further */
    } else {
        parse_error_body(x);
        clean_error_texts(c);
        r = map_status(&c->error);
    }
    c->error.result = r;
    return r;
}

/* One attempt from a clean state. Not inlined: its frame (with the receive loop's) is only on the stack
 * while it runs, and the retry loop around it keeps a small one. */
NOVITA_NOINLINE static novita_result attempt(exchange *x, uint8_t attempt_index)
{
    novita_client *c = x->c;
    const novita_response_spec *resp = x->resp;
    novita_list_scanner *s = &x->scanner;
    novita_result r;
    memset(&c->error, 0, sizeof(c->error)); /* each attempt reports afresh; attempts counts them all */
    c->error.attempts = (uint8_t)(attempt_index < UINT8_MAX ? attempt_index + 1u : UINT8_MAX);
    memset(&x->parser, 0, sizeof(*x) - offsetof(exchange, parser));
    memcpy(&s->array_key, &resp->array_key, NOVITA_SCANNER_CONFIG_BYTES);
    s->store = &x->store;
    s->tokens = (jsmntok_t *)(void *)c->tokens;
    s->token_cap = c->token_count;
    s->err = &c->error;
    r = run_attempt(x);
    if (resp->raw_out) { /* as far as this attempt got */
        resp->raw_out->status = x->parser.status;
        if (!resp->on_body)
            resp->raw_out->body_len = x->store.kept;
    }
    return r;
}

/* ------------------------------------------------------------------ retries */

static bool retryable(const exchange *x, novita_result r)
{
    int status = x->c->error.http_status;
    bool transient = r == NOVITA_ERR_NETWORK || r == NOVITA_ERR_TIMEOUT || r == NOVITA_ERR_RATE_LIMITED ||
                     (r == NOVITA_ERR_SERVER && (status == 502 || status == 503 || status == 504));
    if (!transient)
        return false;
    if ((x->resp->mode == NOVITA_DECODE_LIST && *x->resp->handed_over > 0) || x->body_delivered)
        return false; /* elements or bytes already handed to the caller would be delivered twice */
    /* A request that may have reached the server is resent only when resending is harmless. */
    return x->req->idempotent || !x->request_sent;
}

static uint32_t backoff_ms(novita_client *c, uint8_t attempt_index, const novita_http_parser *p)
{
    uint32_t cap = c->config.retry_max_ms, delay = c->config.retry_base_ms, asked_s;
    for (uint8_t i = 0; i < attempt_index && delay < cap; i++)
        delay = delay > cap / 2u ? cap : delay * 2u; /* never past the cap, so never past UINT32_MAX */
    if (delay > cap)
        delay = cap;
    c->rng_state = c->rng_state * 1664525u + 1013904223u; /* jitter: 50%..100% of the delay */
    delay = delay / 2u + (delay / 2u ? (c->rng_state >> 8) % (delay / 2u + 1u) : 0u);
    if (novita_http_retry_after(p, &asked_s)) {
        uint32_t server = asked_s > cap / 1000u ? cap : asked_s * 1000u;
        if (server > delay)
            delay = server;
    }
    return delay;
}

/* After a failed attempt: whether to try again, after sleeping the backoff delay. */
NOVITA_NOINLINE static bool retry_after_backoff(exchange *x, novita_result r, uint8_t attempt_index)
{
    uint32_t delay;
    if (r == NOVITA_OK || attempt_index >= x->cs.max_retries || !retryable(x, r))
        return false;
    delay = backoff_ms(x->c, attempt_index, &x->parser);
    if (x->cs.deadline_ms && (uint64_t)elapsed(x) + delay >= x->cs.deadline_ms)
        return false;
    x->c->port->sleep_ms(x->c->port->ctx, delay);
    return true;
}

novita_result novita_exchange(novita_client *c, const novita_request *req, const novita_response_spec *resp,
                              const novita_call_opts *opts)
{
    exchange *xp = exchange_of(c); /* the work buffer's tail: off the task stack */
    call_settings *cs = &xp->cs;
    uint8_t attempt_index = 0;
    novita_result r;
    xp->c = c;
    xp->req = req;
    xp->resp = resp;
    cs->io_timeout_ms = opts && opts->io_timeout_ms ? opts->io_timeout_ms : c->config.io_timeout_ms;
    cs->deadline_ms = opts && opts->deadline_ms ? opts->deadline_ms : c->config.deadline_ms;
    cs->max_retries = opts && opts->max_retries >= 0
                          ? (uint8_t)(opts->max_retries > 255 ? 255 : opts->max_retries) : c->config.max_retries;
    cs->start_ms = c->port->now_ms(c->port->ctx);
    set_target(xp);
    do {
        r = attempt(xp, attempt_index);
    } while (retry_after_backoff(xp, r, attempt_index++));
    return r;
}

/*
 * libFuzzer target: the whole client (src/client.c and the resource files in src/api/) over an in-memory
 * port whose peer "sends" the fuzz input, in pieces the input itself chooses.
 *
 * Input: [operations][split seed][piece size class][faults][buffers] then what the server sends: its
 * answers to successive requests (retries included), separated by the 6 bytes "\0NEXT\0". Each request
 * releases the next answer, delivered in fuzzed pieces; when an answer runs out the server closes (or goes
 * silent). An answer may hold anything: a response cut short, two responses, garbage.
 *   operations: bits 0-1 pick a list call (instances one page, instances every page through a callback,
 *               GPU products, clusters), bits 2-3 a get call (0-1: an instance, 2: instance metrics,
 *               3: none), bit 4 runs the get first;
 *   faults:     bits 0-1 max retries; bit 2: the peer goes silent (timeouts) instead of closing at the end;
 *               bit 3: a receive now and then times out; bit 4: the first connect fails;
 *               bit 5: trace hook on (the API key must never reach it);
 *   buffers:    work buffer: the smallest the client accepts plus 0..15 KiB; 16..384 tokens.
 * The calls share one client, so the second call meets what the first left behind: a kept-alive
 * connection, one the server closed while idle, or bytes nobody asked for, as it would in the field.
 *
 * Checks: every result is a documented one and matches last_error; error strings stay terminated; a get
 * that failed leaves its struct all zero ("zeroed on failure"), one that succeeded passes
 * fuzz_check_model(); a list never stores more than its capacity and every stored element passes
 * fuzz_check_model(); the port is used as port.h says (recv into the work buffer only, with len > 0, on
 * an open connection); the API key never appears in traces; the client does not spin (bounded port calls).
 */
#include "fuzz_common.h"
#include "novita/client.h"
#include "novita/instances.h"
#include "novita/list.h"
#include "novita/products.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define API_KEY "fz-secret-key-0123456789"
/* More port calls than this for one input means the client is spinning. */
#define MAX_PORT_CALLS 200000u

typedef struct fake_peer {
    novita_port port;
    const uint8_t *stream; /* what the server sends: one answer per request, separated */
    size_t len;
    size_t pos, end;       /* the current answer's unread bytes: stream[pos..end) */
    size_t next;           /* where the next answer starts (> len: none left) */
    bool in_request;       /* the last port call was a send: more sends belong to the same request */
    fuzz_splitter split;
    uint8_t faults;
    bool open;
    unsigned connects;
    unsigned calls;
    uint32_t now;
    const uint8_t *work; /* the client's work buffer: recv must land inside it */
    size_t work_size;
    char trace[8192];    /* the tail of the trace, to look for the key across calls */
    size_t trace_len;
} fake_peer;

/* Separates the server's answers to successive requests in the input. */
static const uint8_t answer_separator[6] = { 0, 'N', 'E', 'X', 'T', 0 };

#define FAULT_RETRIES 0x03u
#define FAULT_SILENT_END 0x04u
#define FAULT_TIMEOUTS 0x08u
#define FAULT_CONNECT 0x10u
#define FAULT_TRACE 0x20u

static void count_call(fake_peer *f)
{
    FUZZ_CHECK(++f->calls < MAX_PORT_CALLS, "the client keeps calling the port: it spins");
    f->now += 1u; /* time passes with every port call, so deadlines are reached */
}

/* A new request arrived: the server starts sending its next answer (nothing once they ran out). */
static void next_answer(fake_peer *f)
{
    if (f->next > f->len) {
        f->pos = f->end = f->len;
        return;
    }
    f->pos = f->end = f->next;
    while (f->end < f->len &&
           !(f->len - f->end >= sizeof(answer_separator) &&
             memcmp(f->stream + f->end, answer_separator, sizeof(answer_separator)) == 0))
        f->end++;
    f->next = f->end < f->len ? f->end + sizeof(answer_separator) : f->len + 1u;
}

static int32_t peer_connect(void *ctx, const novita_port_target *target, uint32_t timeout_ms)
{
    fake_peer *f = (fake_peer *)ctx;
    count_call(f);
    FUZZ_CHECK(target != NULL && target->host != NULL && target->host[0] != '\0', "connect without a host");
    FUZZ_CHECK(timeout_ms > 0, "connect with a zero timeout");
    f->in_request = false;
    if ((f->faults & FAULT_CONNECT) && f->connects++ == 0)
        return NOVITA_PORT_ERR_CONNECT;
    f->pos = f->end; /* a new connection: nothing of an earlier answer arrives on it */
    f->open = true;
    return NOVITA_PORT_OK;
}

static int32_t peer_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    fake_peer *f = (fake_peer *)ctx;
    size_t n;
    (void)timeout_ms;
    count_call(f);
    FUZZ_CHECK(f->open, "send without a connection");
    FUZZ_CHECK(data != NULL && len > 0, "send of nothing");
    if (!f->in_request) {
        f->in_request = true;
        next_answer(f);
    }
    /* Take the request in pieces too: a port may send less than asked. */
    n = fuzz_next_piece(&f->split, len);
    return (int32_t)(n > 0x7FFFFFFFu ? 0x7FFFFFFFu : n);
}

static int32_t peer_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    fake_peer *f = (fake_peer *)ctx;
    size_t n;
    count_call(f);
    FUZZ_CHECK(f->open, "recv without a connection");
    FUZZ_CHECK(len > 0, "recv of nothing");
    f->in_request = false;
    if (timeout_ms == 0) {
        /* The idle probe of a kept-alive connection (into a byte of its own). Bytes the last answer had
         * beyond its response are pending: the probe eats one, as a socket would. Otherwise the server
         * has sometimes closed the idle connection meanwhile. */
        if (f->pos < f->end) {
            buf[0] = f->stream[f->pos++];
            return 1;
        }
        return fuzz_rand(&f->split) % 4u == 0 ? NOVITA_PORT_CLOSED : NOVITA_PORT_TIMEOUT;
    }
    FUZZ_CHECK(buf >= f->work && buf + len <= f->work + f->work_size, "recv outside the work buffer");
    if (f->pos == f->end || ((f->faults & FAULT_TIMEOUTS) && fuzz_rand(&f->split) % 16u == 0)) {
        /* The answer ran out (or a fault): the server closes, or goes silent until the timeout. */
        if (f->pos == f->end && !(f->faults & FAULT_SILENT_END))
            return NOVITA_PORT_CLOSED;
        f->now += timeout_ms;
        return NOVITA_PORT_TIMEOUT;
    }
    n = fuzz_next_piece(&f->split, f->end - f->pos);
    if (n > len)
        n = len;
    memcpy(buf, f->stream + f->pos, n);
    f->pos += n;
    return (int32_t)n;
}

static void peer_close(void *ctx)
{
    fake_peer *f = (fake_peer *)ctx;
    count_call(f);
    f->open = false;
}

static uint32_t peer_now(void *ctx)
{
    fake_peer *f = (fake_peer *)ctx;
    return f->now++;
}

static void peer_sleep(void *ctx, uint32_t ms)
{
    fake_peer *f = (fake_peer *)ctx;
    count_call(f);
    f->now += ms;
}

/* The trace hook: the key must not appear in any piece nor across the pieces. */
static void peer_log(void *ctx, const char *text, size_t len)
{
    fake_peer *f = (fake_peer *)ctx;
    size_t key_len = strlen(API_KEY);
    FUZZ_CHECK(text != NULL, "trace with no text");
    if (f->trace_len + len >= sizeof(f->trace)) { /* keep the tail: enough to catch a split key */
        size_t keep = key_len < f->trace_len ? key_len : f->trace_len;
        memmove(f->trace, f->trace + f->trace_len - keep, keep);
        f->trace_len = keep;
    }
    if (len >= sizeof(f->trace) - f->trace_len)
        len = sizeof(f->trace) - f->trace_len - 1u;
    memcpy(f->trace + f->trace_len, text, len);
    f->trace_len += len;
    f->trace[f->trace_len] = '\0';
    FUZZ_CHECK(strstr(f->trace, API_KEY) == NULL, "the API key appeared in a trace");
}

/* ------------------------------------------------------------------ checks */

static void check_error(const novita_client *c, novita_result r)
{
    const novita_error *e = novita_client_last_error(c);
    FUZZ_CHECK(r <= NOVITA_OK && r >= NOVITA_ERR_INSTANCE_FAILED, "an undocumented result");
    FUZZ_CHECK(r != NOVITA_ERR_INVALID_ARG, "the server's bytes made the client blame its caller");
    FUZZ_CHECK(e->result == r, "last_error().result disagrees with the returned result");
    fuzz_check_error(e);
    if (r != NOVITA_OK)
        FUZZ_CHECK(e->attempts >= 1, "a failed call reports no attempt");
}

static void check_get(const novita_model *m, const void *out, novita_result r)
{
    if (r == NOVITA_OK)
        fuzz_check_model(m, (const uint8_t *)out);
    else
        FUZZ_CHECK(fuzz_all_zero((const uint8_t *)out, m->struct_size), "a failed get left data in its struct");
}

static void check_list(const novita_model *m, const novita_list *list)
{
    FUZZ_CHECK(list->count <= list->capacity || list->on_item, "a list stored more than its capacity");
    FUZZ_CHECK(list->on_item || list->count <= list->received, "a list stored elements it did not receive");
    if (!list->on_item) {
        for (size_t i = 0; i < list->count; i++)
            fuzz_check_model(m, (const uint8_t *)list->items + i * m->struct_size);
    }
}

typedef struct callback_state {
    const novita_model *model;
    size_t seen;
} callback_state;

static novita_result on_element(void *user, const void *item)
{
    callback_state *s = (callback_state *)user;
    fuzz_check_model(s->model, (const uint8_t *)item);
    s->seen++;
    return NOVITA_OK;
}

/* ------------------------------------------------------------------ the calls */

static void run_list(novita_client *c, unsigned which, const novita_call_opts *opts)
{
    novita_result r;
    switch (which) {
    case 0: {
        novita_instance *items = (novita_instance *)calloc(3, sizeof(novita_instance));
        novita_list list = { 0 };
        FUZZ_CHECK(items != NULL, "out of memory in the harness");
        list.items = items;
        list.capacity = 3;
        r = novita_instances_list(c, NULL, &list, opts);
        check_error(c, r);
        check_list(&novita_instance_model, &list);
        free(items);
        break;
    }
    case 1: {
        novita_instance *one = (novita_instance *)malloc(sizeof(novita_instance));
        callback_state cb = { &novita_instance_model, 0 };
        novita_instance_filter filter;
        novita_list list = { 0 };
        FUZZ_CHECK(one != NULL, "out of memory in the harness");
        memset(&filter, 0, sizeof(filter));
        list.items = one;
        list.capacity = 1;
        list.on_item = on_element;
        list.user = &cb;
        list.all_pages = true;
        r = novita_instances_list(c, &filter, &list, opts);
        check_error(c, r);
        check_list(&novita_instance_model, &list);
        FUZZ_CHECK(list.count == cb.seen, "the list count disagrees with the callback");
        free(one);
        break;
    }
    case 2: {
        novita_gpu_product items[2];
        novita_list list = NOVITA_LIST_ARRAY(items);
        r = novita_gpu_products_list(c, NULL, &list, opts);
        check_error(c, r);
        check_list(&novita_gpu_product_model, &list);
        break;
    }
    default: {
        novita_cluster items[4];
        novita_list list = NOVITA_LIST_ARRAY(items);
        r = novita_clusters_list(c, &list, opts);
        check_error(c, r);
        check_list(&novita_cluster_model, &list);
        break;
    }
    }
}

static void run_get(novita_client *c, unsigned which, const novita_call_opts *opts)
{
    novita_result r;
    switch (which) {
    case 0:
    case 1: {
        novita_instance *out = (novita_instance *)malloc(sizeof(novita_instance));
        FUZZ_CHECK(out != NULL, "out of memory in the harness");
        memset(out, 0xA5, sizeof(*out)); /* whatever the caller had there must not survive */
        r = novita_instances_get(c, "inst-1", out, opts);
        check_error(c, r);
        check_get(&novita_instance_model, out, r);
        free(out);
        break;
    }
    case 2: {
        novita_instance_metrics *out = (novita_instance_metrics *)malloc(sizeof(novita_instance_metrics));
        FUZZ_CHECK(out != NULL, "out of memory in the harness");
        memset(out, 0xA5, sizeof(*out));
        r = novita_instances_metrics(c, "inst-1", NULL, out, opts);
        check_error(c, r);
        check_get(&novita_instance_metrics_model, out, r);
        free(out);
        break;
    }
    default:
        break; /* list only */
    }
}

/* ------------------------------------------------------------------ entry point */

/* Added to the smallest work buffer novita_client_init accepts (which depends on the build). */
static const size_t work_extra[] = { 0u, 1024u, 3072u, 15360u };
static const size_t token_counts[] = { 16u, 64u, 384u, 384u };

/* A port for the one init call that asks the minimum work size: none of it is ever called. */
static int32_t idle_connect(void *ctx, const novita_port_target *target, uint32_t timeout_ms)
{
    (void)ctx;
    (void)target;
    (void)timeout_ms;
    return NOVITA_PORT_ERR_ARG;
}

static int32_t idle_io(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return NOVITA_PORT_ERR_ARG;
}

static int32_t idle_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    return idle_io(ctx, (uint8_t *)(uintptr_t)data, len, timeout_ms);
}

static void idle_close(void *ctx)
{
    (void)ctx;
}

static uint32_t idle_now(void *ctx)
{
    (void)ctx;
    return 0;
}

static void idle_sleep(void *ctx, uint32_t ms)
{
    (void)ctx;
    (void)ms;
}

/* The smallest work buffer novita_client_init accepts, as it reports it (`needed` of its
 * BUFFER_TOO_SMALL): asked once, so the harness follows changes of the client's own bookkeeping. */
static size_t min_work_size(void)
{
    static size_t cached;
    if (!cached) {
        novita_port port = { NULL, idle_connect, idle_send, idle_io, idle_close, idle_now, idle_sleep };
        novita_client_config cfg;
        novita_json_token tokens[384];
        uint8_t byte;
        novita_client *c = (novita_client *)malloc(sizeof(novita_client));
        FUZZ_CHECK(c != NULL, "out of memory in the harness");
        novita_client_config_init(&cfg);
        cfg.api_key = API_KEY;
        FUZZ_CHECK(novita_client_init(c, &cfg, &port, &byte, 1, tokens, 384) == NOVITA_ERR_BUFFER_TOO_SMALL,
                   "a one-byte work buffer was accepted");
        cached = novita_client_last_error(c)->needed;
        FUZZ_CHECK(cached > 1, "the client does not say how big the work buffer must be");
        free(c);
    }
    return cached;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    uint8_t ops = fuzz_take(&in), seed = fuzz_take(&in), size_class = fuzz_take(&in);
    uint8_t faults = fuzz_take(&in), buffers = fuzz_take(&in);
    size_t work_size = min_work_size() + work_extra[buffers & 3u], token_count = token_counts[(buffers >> 2) & 3u];
    uint8_t *work = (uint8_t *)malloc(work_size); /* exact size: overruns are caught */
    novita_json_token *tokens = (novita_json_token *)malloc(token_count * sizeof(novita_json_token));
    novita_client *client = (novita_client *)malloc(sizeof(novita_client));
    fake_peer *peer = (fake_peer *)calloc(1, sizeof(fake_peer));
    novita_client_config cfg;
    novita_call_opts opts = NOVITA_CALL_OPTS_INIT;
    novita_result r;

    FUZZ_CHECK(work && tokens && client && peer, "out of memory in the harness");
    peer->port.ctx = peer;
    peer->port.connect = peer_connect;
    peer->port.send = peer_send;
    peer->port.recv = peer_recv;
    peer->port.close = peer_close;
    peer->port.now_ms = peer_now;
    peer->port.sleep_ms = peer_sleep;
    peer->stream = in.data;
    peer->len = in.len;
    peer->faults = faults;
    peer->work = work;
    peer->work_size = work_size;
    fuzz_splitter_init(&peer->split, seed, size_class, in.len);

    novita_client_config_init(&cfg);
    cfg.base_url = "http://api.test:8080";
    cfg.api_key = API_KEY;
    if (faults & FAULT_TRACE) {
        cfg.log = peer_log;
        cfg.log_ctx = peer;
    }
    opts.max_retries = (int16_t)(faults & FAULT_RETRIES);
    r = novita_client_init(client, &cfg, &peer->port, work, work_size, tokens, token_count);
    FUZZ_CHECK(r == NOVITA_OK, "client init failed on a valid configuration");

    if (ops & 0x10u) {
        run_get(client, (ops >> 2) & 3u, &opts);
        run_list(client, ops & 3u, &opts);
    } else {
        run_list(client, ops & 3u, &opts);
        run_get(client, (ops >> 2) & 3u, &opts);
    }
    novita_client_close(client);
    FUZZ_CHECK(!peer->open, "the connection is still open after novita_client_close");

    free(peer);
    free(client);
    free(tokens);
    free(work);
    return 0;
}

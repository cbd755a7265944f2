/*
 * Unit tests of the incremental HTTP response parser (src/http_response.c).
 *
 * Every response is fed whole, split at every possible point, one byte at a time and in random fragments
 * (fixed seed), through a driver that behaves like the real caller: it keeps the bytes the parser did not
 * consume and appends the next read to them. Each fragmentation must give exactly the outcome of the whole
 * feed (status, header-derived fields, body, bytes left over, error), and that outcome is checked against the
 * expected values. The parser's answer must never depend on how the network happened to cut the stream.
 *
 * Build: cc -std=c99 -Iinclude -Isrc src/http_response.c tests/unit/test_http_response.c
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http_response.h"
#include "test_util.h"

#define BODY_CAP 65536u       /* largest body a test collects */
#define INPUT_CAP (2u * NOVITA_MAX_HEADER_BYTES + 1024u) /* largest generated response */
#define RECV_CAP INPUT_CAP                               /* the emulated caller's receive buffer */
#define RANDOM_ROUNDS 40u
#define NO_SINK_FAILURE SIZE_MAX

/* ---- Body sink that collects what it is given ---- */

typedef struct collector {
    uint8_t body[BODY_CAP];
    size_t len;
    unsigned zero_len_calls;
    bool overflow;
    size_t fail_above;          /* refuse a call that would bring len above this */
    novita_result fail_result;
} collector;

static novita_result collect(void *ctx, const uint8_t *data, size_t len)
{
    collector *c = ctx;
    if (len == 0) {
        c->zero_len_calls++;
    }
    if (len > c->fail_above - c->len) {
        return c->fail_result;
    }
    if (len > BODY_CAP - c->len) {
        c->overflow = true;
        return NOVITA_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(c->body + c->len, data, len);
    c->len += len;
    return NOVITA_OK;
}

/* ---- The caller emulation ---- */

typedef enum frag_mode { FRAG_WHOLE, FRAG_SPLIT, FRAG_BYTES, FRAG_RANDOM } frag_mode;

typedef struct frag {
    frag_mode mode;
    size_t split;  /* FRAG_SPLIT: size of the first fragment */
    uint32_t rng;  /* FRAG_RANDOM: xorshift state */
    uint32_t max;  /* FRAG_RANDOM: largest fragment */
} frag;

static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static size_t frag_next(frag *f, size_t fed, size_t left)
{
    size_t n = left;
    switch (f->mode) {
    case FRAG_WHOLE:
        break;
    case FRAG_SPLIT:
        n = fed < f->split ? f->split - fed : left;
        break;
    case FRAG_BYTES:
        n = 1;
        break;
    case FRAG_RANDOM:
        n = 1u + (size_t)(xorshift32(&f->rng) % f->max);
        break;
    }
    return n < left ? n : left;
}

typedef struct case_opts {
    bool finish;              /* call novita_http_finish() once the input is exhausted */
    size_t sink_fail_above;   /* NO_SINK_FAILURE, or the body size above which the sink refuses */
    bool head;                /* the response answers a HEAD request (parser.no_body) */
} case_opts;

static const case_opts OPTS_FINISH = {true, NO_SINK_FAILURE};
static const case_opts OPTS_NO_FINISH = {false, NO_SINK_FAILURE};

typedef struct outcome {
    novita_result rc;         /* first non-OK result of parse/finish, else NOVITA_OK */
    const char *error;
    novita_http_state state;
    int status;
    unsigned minor;
    bool keep_alive, chunked, has_cl, has_ra;
    uint64_t cl, body_received;
    uint32_t ra;
    size_t tail;              /* input bytes left unconsumed (they belong to the next response) */
    size_t fed_at_error;      /* input bytes handed over when parse failed */
    bool contract_ok;         /* consumed <= len always; a repeated call on the leftover consumed nothing */
    bool harness_ok;          /* the emulated receive buffer never overflowed */
    collector sink;
} outcome;

static uint8_t g_recv[RECV_CAP];

static void record(const novita_http_parser *p, outcome *out)
{
    out->error = p->error;
    out->state = p->state;
    out->status = p->status;
    out->minor = p->version_minor;
    out->keep_alive = p->keep_alive;
    out->chunked = p->chunked;
    out->has_cl = p->has_content_length;
    out->cl = p->content_length;
    out->ra = 0;
    out->has_ra = novita_http_retry_after(p, &out->ra);
    out->body_received = p->body_received;
}

/* Offers everything unconsumed, like the real caller, until DONE, an error, or the end of the input. */
static void run(const uint8_t *resp, size_t len, frag f, const case_opts *o, outcome *out)
{
    novita_http_parser p;
    novita_http_parser_init(&p);
    p.no_body = o->head;
    memset(out, 0, sizeof *out);
    out->contract_ok = out->harness_ok = true;
    out->sink.fail_above = o->sink_fail_above;
    out->sink.fail_result = NOVITA_ERR_CANCELLED;
    novita_body_sink sink = {collect, &out->sink};
    size_t have = 0, fed = 0;
    novita_result rc = NOVITA_OK;
    for (;;) {
        if (fed < len) {
            size_t n = frag_next(&f, fed, len - fed);
            if (n > RECV_CAP - have) {
                out->harness_ok = false;
                break;
            }
            memcpy(g_recv + have, resp + fed, n);
            have += n;
            fed += n;
        }
        size_t used = SIZE_MAX;
        rc = novita_http_parse(&p, g_recv, have, &used, &sink);
        if (used > have) {
            out->contract_ok = false;
            break;
        }
        memmove(g_recv, g_recv + used, have - used);
        have -= used;
        if (rc != NOVITA_OK) {
            out->fed_at_error = fed;
            break;
        }
        if (p.state != NOVITA_HTTP_DONE && have > 0) {
            size_t again = SIZE_MAX; /* nothing more can be consumed until more bytes arrive */
            if (novita_http_parse(&p, g_recv, have, &again, &sink) != NOVITA_OK || again != 0) {
                out->contract_ok = false;
            }
        }
        if (p.state == NOVITA_HTTP_DONE || fed == len) {
            break;
        }
    }
    if (rc == NOVITA_OK && o->finish) {
        rc = novita_http_finish(&p);
    }
    out->rc = rc;
    out->tail = have + (len - fed);
    record(&p, out);
}

static bool same_str(const char *a, const char *b)
{
    return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

/* Name of the first field that differs, or NULL. */
static const char *first_difference(const outcome *a, const outcome *b)
{
    if (a->rc != b->rc) return "rc";
    if (!same_str(a->error, b->error)) return "error";
    if (a->state != b->state) return "state";
    if (a->status != b->status || a->minor != b->minor) return "status/version";
    if (a->keep_alive != b->keep_alive || a->chunked != b->chunked) return "keep_alive/chunked";
    if (a->has_cl != b->has_cl || a->cl != b->cl) return "content_length";
    if (a->has_ra != b->has_ra || a->ra != b->ra) return "retry_after";
    if (a->body_received != b->body_received) return "body_received";
    if (a->tail != b->tail) return "tail";
    if (!a->contract_ok || !a->harness_ok || a->sink.zero_len_calls != 0 || a->sink.overflow) return "contract";
    if (a->sink.len != b->sink.len || memcmp(a->sink.body, b->sink.body, a->sink.len) != 0) return "body";
    return NULL;
}

static outcome g_expected, g_got;

/* Counts the fragmentations whose outcome differs from the whole feed; prints the first one. */
static unsigned count_mismatch(const char *name, const char *mode, size_t arg, const uint8_t *resp, size_t len,
                               frag f, const case_opts *o, unsigned mismatches)
{
    run(resp, len, f, o, &g_got);
    const char *diff = first_difference(&g_got, &g_expected);
    if (diff != NULL && mismatches == 0) {
        fprintf(stderr, "  %s: %s %lu differs in %s (error \"%s\")\n", name, mode, (unsigned long)arg, diff,
                g_got.error ? g_got.error : "");
    }
    return mismatches + (diff != NULL ? 1u : 0u);
}

/* Runs `resp` in every fragmentation and returns the (common) outcome for the caller's own checks. */
static const outcome *run_case(const char *name, const void *resp_v, size_t len, const case_opts *o)
{
    const uint8_t *resp = resp_v;
    TEST_CONTEXT(name);
    run(resp, len, (frag){FRAG_WHOLE, 0, 0, 0}, o, &g_expected);
    CHECK(g_expected.contract_ok && g_expected.harness_ok);
    CHECK_EQ_UINT(g_expected.sink.zero_len_calls, 0);
    CHECK(!g_expected.sink.overflow);
    CHECK(g_expected.body_received == g_expected.sink.len);

    unsigned split = 0, bytes = 0, random = 0;
    for (size_t i = 1; i < len; i++) {
        split = count_mismatch(name, "split", i, resp, len, (frag){FRAG_SPLIT, i, 0, 0}, o, split);
    }
    bytes = count_mismatch(name, "bytes", 1, resp, len, (frag){FRAG_BYTES, 0, 0, 0}, o, bytes);
    uint32_t seed = 0x2545F491u;
    for (uint32_t r = 0; r < RANDOM_ROUNDS; r++) {
        uint32_t max = r % 4u == 3u ? 257u : 17u;
        random = count_mismatch(name, "random round", r, resp, len, (frag){FRAG_RANDOM, 0, seed + r, max}, o,
                                random);
    }
    CHECK_EQ_UINT(split, 0);
    CHECK_EQ_UINT(bytes, 0);
    CHECK_EQ_UINT(random, 0);
    return &g_expected;
}

#define LIT(s) (s), (sizeof(s) - 1u)

static void check_body(const outcome *o, const char *body)
{
    CHECK_MEM(o->sink.body, o->sink.len, body, strlen(body));
    CHECK_EQ_UINT(o->body_received, strlen(body));
}

/* A complete response: DONE, OK, nothing left over. */
static const outcome *expect_done(const char *name, const void *resp, size_t len, int status, bool keep_alive,
                                  const char *body)
{
    const outcome *o = run_case(name, resp, len, &OPTS_FINISH);
    CHECK_EQ_INT(o->rc, NOVITA_OK);
    CHECK(o->error == NULL);
    CHECK_EQ_INT(o->state, NOVITA_HTTP_DONE);
    CHECK_EQ_INT(o->status, status);
    CHECK_EQ_INT(o->keep_alive, keep_alive);
    CHECK_EQ_UINT(o->tail, 0);
    check_body(o, body);
    return o;
}

/* A protocol error with the given reason, whether found by parse or by finish. */
static const outcome *expect_error(const char *name, const void *resp, size_t len, const char *error)
{
    const outcome *o = run_case(name, resp, len, &OPTS_FINISH);
    CHECK_EQ_INT(o->rc, NOVITA_ERR_PROTOCOL);
    CHECK_STR(o->error, error);
    return o;
}

/* ---- Well-formed responses ---- */

static void test_content_length(void)
{
    const outcome *o = expect_done("content-length",
                                   LIT("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                       "content-LENGTH:   13  \r\n\r\n{\"ok\": true}\n"),
                                   200, true, "{\"ok\": true}\n");
    CHECK_EQ_UINT(o->minor, 1);
    CHECK(o->has_cl);
    CHECK_EQ_UINT(o->cl, 13);
    CHECK(!o->chunked);
    CHECK(!o->has_ra);

    o = expect_done("zero length", LIT("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), 200, true, "");
    CHECK(o->has_cl);
    CHECK_EQ_UINT(o->cl, 0);

    o = expect_done("duplicate equal CL", LIT("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
                    200, true, "hello");
    CHECK_EQ_UINT(o->cl, 5);

    o = expect_done("empty reason with SP", LIT("HTTP/1.1 201 \r\nContent-Length: 2\r\n\r\nok"), 201, true, "ok");
    o = expect_done("no reason at all", LIT("HTTP/1.1 404\r\nContent-Length: 1\r\n\r\n!"), 404, true, "!");
    o = expect_done("reason with obs-text and tab", LIT("HTTP/1.1 500 Int\xe9rnal\tError\r\nContent-Length: 0\r\n\r\n"),
                    500, true, "");
    o = expect_done("empty header value", LIT("HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Blank:   \r\nContent-Length: 0\r\n\r\n"),
                    200, true, "");

    /* The largest representable length (SIZE_MAX) is accepted; the body then never completes here. */
#if SIZE_MAX == UINT64_MAX
    o = run_case("CL max size_t", LIT("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nab"), &OPTS_FINISH);
#else
    o = run_case("CL max size_t", LIT("HTTP/1.1 200 OK\r\nContent-Length: 4294967295\r\n\r\nab"), &OPTS_FINISH);
#endif
    CHECK_EQ_INT(o->rc, NOVITA_ERR_PROTOCOL);
    CHECK_STR(o->error, "truncated body");
    CHECK_EQ_UINT(o->cl, SIZE_MAX);
    check_body(o, "ab");

    /* One more is a protocol error, wherever size_t ends. */
    expect_error("CL SIZE_MAX + 1",
#if SIZE_MAX == UINT64_MAX
                 LIT("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\nab"),
#else
                 LIT("HTTP/1.1 200 OK\r\nContent-Length: 4294967296\r\n\r\nab"),
#endif
                 "bad Content-Length");
}

static void test_no_body_statuses(void)
{
    const outcome *o = expect_done("204", LIT("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n"), 204, true, "");
    CHECK_EQ_INT(o->keep_alive, true); /* not read-until-close despite having no length */

    /* A 304 carries the length the resource would have; no body follows and the next bytes stay unconsumed. */
    static const char next[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    o = run_case("304 with CL then next response",
                 LIT("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n"
                     "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                 &OPTS_NO_FINISH);
    CHECK_EQ_INT(o->rc, NOVITA_OK);
    CHECK_EQ_INT(o->state, NOVITA_HTTP_DONE);
    CHECK_EQ_INT(o->status, 304);
    CHECK_EQ_UINT(o->tail, sizeof next - 1u);
    CHECK_EQ_UINT(o->body_received, 0);

    /* A response to HEAD: its Content-Length or chunked coding describe a body that never comes, also after
     * an interim response; the next response's bytes stay unconsumed. */
    static const case_opts head = {false, NO_SINK_FAILURE, true};
    o = run_case("HEAD: 100, then 200 with CL", LIT("HTTP/1.1 100 Continue\r\n\r\n"
                                                    "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"
                                                    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                 &head);
    CHECK_EQ_INT(o->rc, NOVITA_OK);
    CHECK_EQ_INT(o->state, NOVITA_HTTP_DONE);
    CHECK_EQ_INT(o->keep_alive, true);
    CHECK_EQ_UINT(o->tail, sizeof next - 1u);
    o = run_case("HEAD: chunked", LIT("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), &head);
    CHECK_EQ_INT(o->state, NOVITA_HTTP_DONE);
    CHECK_EQ_UINT(o->body_received, 0);
}

static void test_chunked(void)
{
    const outcome *o = expect_done("chunked with extensions and trailers",
                                   LIT("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                       "5;name=value\r\nhello\r\n"
                                       "7 ; a=\"q s\";b\r\n, world\r\n"
                                       "0;last\r\nX-Trailer: yes\r\nX-Other:1\r\n\r\n"),
                                   200, true, "hello, world");
    CHECK(o->chunked);
    CHECK(!o->has_cl);

    static const char body63[] = "abcdefghijklmnopqrstuvwxyz"      /* 0x1A */
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0"     /* 0x1b */
                                 "0123456789";                     /* 0x0000a */
    expect_done("hex sizes in both cases",
                LIT("HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED\r\n\r\n"
                    "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                    "1b\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ0\r\n"
                    "0000a\r\n0123456789\r\n"
                    "0\r\n\r\n"),
                200, true, body63);

    expect_done("chunked, no trailers, 1 byte chunks",
                LIT("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n"), 200, true,
                "ab");

    /* The largest chunk size is accepted (the body is cut short here). */
    o = run_case("chunk size 2^31", LIT("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n80000000\r\nxy"),
                 &OPTS_FINISH);
    CHECK_EQ_INT(o->rc, NOVITA_ERR_PROTOCOL);
    CHECK_STR(o->error, "truncated body");
    check_body(o, "xy");
}

/* The CRLF after chunk data arriving in two reads: the CR must be left for the next call. */
static void test_chunk_crlf_split(void)
{
    TEST_CONTEXT("chunk CRLF split");
    static const char part1[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r";
    static const char part2[] = "\n0\r\n\r\n";
    static uint8_t buf[256];
    collector c;
    memset(&c, 0, sizeof c);
    c.fail_above = NO_SINK_FAILURE;
    novita_body_sink sink = {collect, &c};
    novita_http_parser p;
    novita_http_parser_init(&p);
    size_t used = 0;
    memcpy(buf, part1, sizeof part1 - 1u);
    CHECK_EQ_INT(novita_http_parse(&p, buf, sizeof part1 - 1u, &used, &sink), NOVITA_OK);
    CHECK_EQ_UINT(used, sizeof part1 - 2u); /* all but the CR */
    CHECK_EQ_INT(p.state, NOVITA_HTTP_CHUNK_DATA_END);
    CHECK_MEM(c.body, c.len, "hello", 5u);
    memcpy(buf, "\r", 1u);
    memcpy(buf + 1, part2, sizeof part2 - 1u);
    CHECK_EQ_INT(novita_http_parse(&p, buf, sizeof part2, &used, &sink), NOVITA_OK);
    CHECK_EQ_UINT(used, sizeof part2);
    CHECK_EQ_INT(p.state, NOVITA_HTTP_DONE);
    CHECK_EQ_UINT(p.body_received, 5);
}

static void test_until_close(void)
{
    const outcome *o = expect_done("HTTP/1.0 read until close",
                                   LIT("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until close"), 200, false,
                                   "body until close");
    CHECK_EQ_UINT(o->minor, 0);

    /* Without finish() the body is still open. */
    o = run_case("HTTP/1.0 until close, no finish", LIT("HTTP/1.0 200 OK\r\n\r\nabc"), &OPTS_NO_FINISH);
    CHECK_EQ_INT(o->rc, NOVITA_OK);
    CHECK_EQ_INT(o->state, NOVITA_HTTP_BODY_UNTIL_CLOSE);
    check_body(o, "abc");

    /* HTTP/1.1 without framing: the close delimits the body, so the connection cannot be reused. */
    expect_done("HTTP/1.1 until close", LIT("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\nxyz"), 200, false,
                "xyz");
    expect_done("until close, empty body", LIT("HTTP/1.1 500 Oops\r\n\r\n"), 500, false, "");
}

static void test_keep_alive(void)
{
    static const struct {
        const char *name;
        const char *resp;
        bool keep_alive;
    } rows[] = {
        {"1.1 default", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true},
        {"1.1 close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false},
        {"1.1 Close mixed case", "HTTP/1.1 200 OK\r\ncOnNeCtIoN: ClOsE\r\nContent-Length: 0\r\n\r\n", false},
        {"1.1 keep-alive", "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true},
        {"1.1 'closed' is not close", "HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n", true},
        {"1.1 close in list", "HTTP/1.1 200 OK\r\nConnection: upgrade,  close ,x\r\nContent-Length: 0\r\n\r\n",
         false},
        {"1.0 default", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false},
        {"1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true},
        {"1.0 Keep-Alive in list", "HTTP/1.0 200 OK\r\nConnection: Upgrade , Keep-Alive\r\nContent-Length: 0\r\n\r\n",
         true},
        {"1.0 keep-alive then close", "HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n",
         false},
        {"1.0 close then keep-alive header",
         "HTTP/1.0 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false},
        {"1.0 chunked", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const outcome *o = expect_done(rows[i].name, rows[i].resp, strlen(rows[i].resp), 200, rows[i].keep_alive, "");
        CHECK_EQ_UINT(o->minor, rows[i].resp[7] - '0');
    }
}

static void test_pipelined(void)
{
    static const char second[] = "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    const outcome *o = run_case("pipelined: first",
                                LIT("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                                    "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
                                &OPTS_NO_FINISH);
    CHECK_EQ_INT(o->rc, NOVITA_OK);
    CHECK_EQ_INT(o->state, NOVITA_HTTP_DONE);
    CHECK_EQ_INT(o->status, 200);
    check_body(o, "hello");
    CHECK_EQ_UINT(o->tail, sizeof second - 1u);
    expect_done("pipelined: second", LIT(second), 202, true, "abc");

    /* After DONE nothing more is consumed. */
    TEST_CONTEXT("after done");
    novita_http_parser p;
    novita_http_parser_init(&p);
    size_t used = 0;
    static const char both[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n";
    CHECK_EQ_INT(novita_http_parse(&p, (const uint8_t *)both, sizeof both - 1u, &used, NULL), NOVITA_OK);
    CHECK_EQ_UINT(used, sizeof both - 1u - 17u);
    CHECK_EQ_INT(novita_http_parse(&p, (const uint8_t *)both + used, 17u, &used, NULL), NOVITA_OK);
    CHECK_EQ_UINT(used, 0);
    CHECK_EQ_INT(novita_http_finish(&p), NOVITA_OK);
}

static void test_interim(void)
{
    const outcome *o = expect_done("100 Continue then 200",
                                   LIT("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
                                   200, true, "ok");
    CHECK_EQ_UINT(o->cl, 2);

    /* Interim headers are not interpreted: their framing and Connection must not leak into the final one. */
    o = expect_done("103 with headers, 100, then 1.0 200",
                    LIT("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\nContent-Length: 99\r\nConnection: close\r\n"
                        "Transfer-Encoding: gzip\r\nContent-Length: 98\r\n"
                        "Retry-After: 5\r\n\r\n"
                        "HTTP/1.1 100 Continue\r\n\r\n"
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
                    200, true, "abc");
    CHECK_EQ_UINT(o->cl, 3);
    CHECK(!o->has_ra);
}

static void test_retry_after(void)
{
    static const struct {
        const char *name;
        const char *value;
        bool has;
        uint32_t seconds;
    } rows[] = {
        {"delta", "120", true, 120},
        {"zero", "0", true, 0},
        {"OWS", "  7 ", true, 7},
        {"cap exactly", "2592000", true, 2592000},
        {"cap + 1", "2592001", true, 2592000},
        {"huge", "123456789012345678901234567890", true, 2592000},
        {"http-date without Date", "Wed, 21 Oct 2015 07:28:00 GMT", false, 0},
        {"bad http-date", "Wed, 31 Feb 2015 07:28:00 GMT", false, 0},
        {"fraction", "1.5", false, 0},
        {"negative", "-1", false, 0},
        {"empty", "", false, 0},
        {"huge then junk", "99999999999999999999x", false, 0},
    };
    static char resp[256];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int n = snprintf(resp, sizeof resp,
                         "HTTP/1.1 429 Too Many Requests\r\nRetry-After:%s\r\nContent-Length: 0\r\n\r\n",
                         rows[i].value);
        const outcome *o = expect_done(rows[i].name, resp, (size_t)n, 429, true, "");
        CHECK_EQ_INT(o->has_ra, rows[i].has);
        CHECK_EQ_UINT(o->ra, rows[i].seconds);
    }
}

/* Retry-After as an HTTP-date is measured against the response's Date header (no wall clock needed). */
static void test_retry_after_date(void)
{
    static const struct {
        const char *name;
        const char *date;
        const char *retry_after;
        bool has;
        uint32_t seconds;
    } rows[] = {
        {"IMF-fixdate", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:30 GMT", true, 30},
        {"across a day and a leap day", "Mon, 28 Feb 2028 23:59:50 GMT", "Tue, 29 Feb 2028 00:00:10 GMT", true, 20},
        {"across a year", "Thu, 31 Dec 2026 23:59:59 GMT", "Fri, 01 Jan 2027 00:00:04 GMT", true, 5},
        {"RFC 850", "Sunday, 06-Nov-94 08:49:37 GMT", "Sunday, 06-Nov-94 08:50:37 GMT", true, 60},
        {"asctime", "Sun Nov  6 08:49:37 1994", "Sun Nov  6 09:49:37 1994", true, 3600},
        {"in the past", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:27:00 GMT", true, 0},
        {"far future is capped", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2065 07:28:00 GMT", true, 2592000},
        {"unreadable Date", "yesterday", "Wed, 21 Oct 2015 07:28:30 GMT", false, 0},
        {"lower-case gmt", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:30 gmt", false, 0},
        {"bad hour", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 24:28:30 GMT", false, 0},
        {"trailing junk", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:30 GMTx", false, 0},
        {"full day name, tabs around", "Wed, 21 Oct 2015 07:28:00 GMT", "\tWednesday, 21-Oct-15 07:28:30 GMT\t", true,
         30},
        {"unknown day name", "Wed, 21 Oct 2015 07:28:00 GMT", "Xyz, 21 Oct 2015 07:28:30 GMT", false, 0},
        {"month written as a day name", "Wed, 21 Oct 2015 07:28:00 GMT", "Janday, 21 Oct 2015 07:28:30 GMT", false, 0},
        {"no day name", "Wed, 21 Oct 2015 07:28:00 GMT", "21 Oct 2015 07:28:30 GMT", false, 0},
        {"two times", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:30 07:28:30 GMT", false, 0},
        {"three-digit year", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 201 07:28:30 GMT", false, 0},
        {"before 1970", "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 1969 07:28:30 GMT", false, 0},
    };
    static char resp[256];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int n = snprintf(resp, sizeof resp,
                         "HTTP/1.1 503 Busy\r\nDate: %s\r\nRetry-After: %s\r\nContent-Length: 0\r\n\r\n",
                         rows[i].date, rows[i].retry_after);
        const outcome *o = expect_done(rows[i].name, resp, (size_t)n, 503, true, "");
        CHECK_EQ_INT(o->has_ra, rows[i].has);
        CHECK_EQ_UINT(o->ra, rows[i].seconds);
    }
}

/* ---- Malformed responses ---- */

static void test_bad_status_lines(void)
{
    static const struct {
        const char *resp;
        const char *error;
    } rows[] = {
        {"HTTP/2 200 OK\r\n\r\n", "bad status line"},
        {"HTTP/2.0 200 OK\r\n\r\n", "bad status line"},
        {"http/1.1 200 OK\r\n\r\n", "bad status line"},
        {"garbage\r\n\r\n", "bad status line"},
        {"\r\nHTTP/1.1 200 OK\r\n\r\n", "bad status line"},
        {" HTTP/1.1 200 OK\r\n\r\n", "bad status line"},
        {"HTTP/1.1 20\r\n\r\n", "bad status line"},
        {"HTTP/1.2 200 OK\r\n\r\n", "bad status line"},
        {"HTTP/1.1 20 OK\r\n\r\n", "bad status line"},
        {"HTTP/1.1 2000 OK\r\n\r\n", "bad status line"},
        {"HTTP/1.1 2x0 OK\r\n\r\n", "bad status line"},
        {"HTTP/1.1  200 OK\r\n\r\n", "bad status line"},
        {"HTTP/1.1\t200 OK\r\n\r\n", "bad status line"},
        {"HTTP/1.1 200\tOK\r\n\r\n", "bad status line"},
        {"HTTP/1.1 099 Low\r\n\r\n", "bad status line"},
        {"HTTP/1.1 600 High\r\n\r\n", "bad status line"},
        {"HTTP/1.1 101 Switching Protocols\r\n\r\n", "bad status line"},
        {"HTTP/1.1 200 OK\n\r\n", "bad byte in line"},
        {"HTTP/1.1 200 OK\rX\r\n\r\n", "bad byte in line"},
        {"HTTP/1.1 200 OK\r\r\n\r\n", "bad byte in line"},
        {"HTTP/1.1 200 O\x01K\r\n\r\n", "bad byte in line"},
        {"HTTP/1.1 200 O\x7fK\r\n\r\n", "bad byte in line"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const outcome *o = expect_error(rows[i].resp, rows[i].resp, strlen(rows[i].resp), rows[i].error);
        CHECK_EQ_UINT(o->body_received, 0);
    }
    expect_error("NUL in reason", LIT("HTTP/1.1 200 O\0K\r\n\r\n"), "bad byte in line");
}

static void test_bad_headers(void)
{
    static const struct {
        const char *name;
        const char *resp;
        const char *error;
    } rows[] = {
        {"no colon", "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", "bad header line"},
        {"space in name", "HTTP/1.1 200 OK\r\nX Y: z\r\n\r\n", "bad header line"},
        {"space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello", "bad header line"},
        {"empty name", "HTTP/1.1 200 OK\r\n: v\r\n\r\n", "bad header line"},
        {"folded", "HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n",
         "bad header line"},
        {"folded with tab first", "HTTP/1.1 200 OK\r\n\tX: y\r\n\r\n", "bad header line"},
        {"bare LF", "HTTP/1.1 200 OK\r\nX: a\n\r\n", "bad byte in line"},
        {"bare CR", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", "bad byte in line"},
        {"DEL in value", "HTTP/1.1 200 OK\r\nX: a\x7f\r\n\r\n", "bad byte in line"},
        {"CL + TE", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
         "ambiguous framing"},
        {"TE + CL", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
         "ambiguous framing"},
        {"CL differs", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
         "ambiguous framing"},
        {"CL 20 digits", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
         "bad Content-Length"},
        {"CL 2^64", "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n", "bad Content-Length"},
        {"CL 25 digits", "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789012345\r\n\r\n",
         "bad Content-Length"},
        {"CL hex", "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", "bad Content-Length"},
        {"CL negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"},
        {"CL plus", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", "bad Content-Length"},
        {"CL empty", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "bad Content-Length"},
        {"CL list", "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello", "bad Content-Length"},
        {"TE gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "bad Transfer-Encoding"},
        {"TE chunked, gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
         "bad Transfer-Encoding"},
        {"TE gzip, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
         "bad Transfer-Encoding"},
        {"TE identity", "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n", "bad Transfer-Encoding"},
        {"TE twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
         "bad Transfer-Encoding"},
        {"CL + TE on 204", "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n",
         "ambiguous framing"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const outcome *o = expect_error(rows[i].name, rows[i].resp, strlen(rows[i].resp), rows[i].error);
        CHECK_EQ_UINT(o->body_received, 0);
    }
    expect_error("NUL in value", LIT("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n"), "bad byte in line");
}

static uint8_t g_input[INPUT_CAP];

static size_t append(size_t at, const char *s)
{
    size_t n = strlen(s);
    memcpy(g_input + at, s, n);
    return at + n;
}

static size_t append_fill(size_t at, uint8_t c, size_t n)
{
    memset(g_input + at, c, n);
    return at + n;
}

/* Status line (17) + "Content-Length: 0\r\n" (19) + "X: " + pad + CRLF + CRLF = 43 + pad bytes. */
static size_t header_block_of(size_t total)
{
    size_t n = append(0, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: ");
    n = append_fill(n, 'a', total - 43u);
    return append(n, "\r\n\r\n");
}

static void test_header_budget(void)
{
    size_t n = header_block_of(NOVITA_MAX_HEADER_BYTES);
    CHECK_EQ_UINT(n, NOVITA_MAX_HEADER_BYTES);
    expect_done("header block of exactly the limit", g_input, n, 200, true, "");

    n = header_block_of(NOVITA_MAX_HEADER_BYTES + 1u);
    expect_error("header block one byte over", g_input, n, "headers too large");

    /* A bare CR as the last byte the budget allows: the budget decides, so every split gives the same error. */
    n = append(0, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: ");
    n = append_fill(n, 'a', NOVITA_MAX_HEADER_BYTES - 1u - n);
    n = append(n, "\rX\r\n\r\n");
    expect_error("bare CR at the budget edge", g_input, n, "headers too large");

    /* Many small headers. */
    n = append(0, "HTTP/1.1 200 OK\r\n");
    while (n < NOVITA_MAX_HEADER_BYTES + 100u) {
        n = append(n, "X-Pad: 0123456789abcdef\r\n");
    }
    n = append(n, "Content-Length: 0\r\n\r\n");
    expect_error("oversized header block", g_input, n, "headers too large");

    /* A header line that never ends must fail once the budget is used up, not wait for a CRLF. */
    n = append(0, "HTTP/1.1 200 OK\r\nX-Endless: ");
    n = append_fill(n, 'a', NOVITA_MAX_HEADER_BYTES + 64u - n);
    const outcome *o = run_case("endless header line", g_input, n, &OPTS_NO_FINISH);
    CHECK_EQ_INT(o->rc, NOVITA_ERR_PROTOCOL);
    CHECK_STR(o->error, "headers too large");
    CHECK_EQ_UINT(o->fed_at_error, n); /* whole feed: failed in parse, before finish */
    run(g_input, n, (frag){FRAG_BYTES, 0, 0, 0}, &OPTS_NO_FINISH, &g_got);
    CHECK_EQ_UINT(g_got.fed_at_error, NOVITA_MAX_HEADER_BYTES); /* the very byte that exhausted the budget */

    /* An endless status line, and an endless stream of interim responses, hit the same budget. */
    n = append(0, "HTTP/1.1 200 ");
    n = append_fill(n, 'r', NOVITA_MAX_HEADER_BYTES + 10u - n);
    expect_error("endless status line", g_input, n, "headers too large");
    n = 0;
    while (n < NOVITA_MAX_HEADER_BYTES + 100u) {
        n = append(n, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    expect_error("endless interim responses", g_input, n, "headers too large");

    /* Trailers share the budget with the headers. */
    n = append(0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n");
    while (n < NOVITA_MAX_HEADER_BYTES + 100u) {
        n = append(n, "X-Trailer: 0123456789abcdef\r\n");
    }
    n = append(n, "\r\n");
    o = expect_error("oversized trailers", g_input, n, "headers too large");
    check_body(o, "z");

    n = append(0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=");
    n = append_fill(n, 'e', NOVITA_MAX_HEADER_BYTES + 100u);
    expect_error("endless chunk size line", g_input, n, "bad chunk");
}

static void test_bad_chunks(void)
{
    static const struct {
        const char *name;
        const char *chunks;
        const char *error;
    } rows[] = {
        {"non-hex size", "zz\r\n", "bad chunk"},
        {"empty size", "\r\n", "bad chunk"},
        {"negative size", "-1\r\n", "bad chunk"},
        {"0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", "bad chunk"},
        {"leading space", " 5\r\nhello\r\n0\r\n\r\n", "bad chunk"},
        {"trailing space without extension", "5 \r\nhello\r\n0\r\n\r\n", "bad chunk"},
        {"junk after size", "5x\r\nhello\r\n0\r\n\r\n", "bad chunk"},
        {"control byte in extension", "5;a\x01\r\nhello\r\n0\r\n\r\n", "bad byte in line"},
        {"size 2^31 + 1", "80000001\r\n", "bad chunk"},
        {"size 2^32", "100000000\r\n", "bad chunk"},
        {"size 20 hex digits", "FFFFFFFFFFFFFFFFFFFF\r\n", "bad chunk"},
        {"bare LF after size", "5\nhello\r\n0\r\n\r\n", "bad byte in line"},
        {"data longer than size", "5\r\nhelloXX\r\n0\r\n\r\n", "bad chunk"},
        {"LF only after data", "5\r\nhello\n0\r\n\r\n", "bad byte in line"},
        {"CR then junk after data", "5\r\nhello\rX0\r\n\r\n", "bad byte in line"},
        {"bad trailer", "0\r\nNoColon\r\n\r\n", "bad header line"},
        {"folded trailer", "0\r\nX: a\r\n b\r\n\r\n", "bad header line"},
    };
    static char resp[256];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int n = snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%s",
                         rows[i].chunks);
        expect_error(rows[i].name, resp, (size_t)n, rows[i].error);
    }
}

static void test_truncation(void)
{
    static const struct {
        const char *name;
        const char *resp;
        const char *error;
        const char *body;
    } rows[] = {
        {"nothing", "", "truncated headers", ""},
        {"partial status line", "HTTP/1.1 200 O", "truncated headers", ""},
        {"status line without LF", "HTTP/1.1 200 OK\r", "truncated headers", ""},
        {"in headers", "HTTP/1.1 200 OK\r\nContent-Len", "truncated headers", ""},
        {"before empty line", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n", "truncated headers", ""},
        {"after interim", "HTTP/1.1 100 Continue\r\n\r\n", "truncated headers", ""},
        {"CL body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd", "truncated body", "abcd"},
        {"CL no body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "truncated body", ""},
        {"chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5", "truncated body", ""},
        {"chunk data", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "truncated body",
         "hel"},
        {"chunk CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r", "truncated body",
         "hello"},
        {"next chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
         "truncated body", "hello"},
        {"trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: y\r\n",
         "truncated body", "hello"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const outcome *o = expect_error(rows[i].name, rows[i].resp, strlen(rows[i].resp), rows[i].error);
        check_body(o, rows[i].body);
        CHECK_EQ_UINT(o->fed_at_error, 0); /* found by finish(), not by parse() */
    }
}

static void test_sink_errors(void)
{
    /* The sink refuses its first call: its result comes back unchanged and no error text is set. */
    case_opts refuse = {true, 0};
    const outcome *o = run_case("sink refuses CL body", LIT("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
                                &refuse);
    CHECK_EQ_INT(o->rc, NOVITA_ERR_CANCELLED);
    CHECK(o->error == NULL);
    CHECK_EQ_UINT(o->body_received, 0);

    /* It accepts the first chunk (in however many pieces) and refuses the second. */
    case_opts after5 = {true, 5};
    o = run_case("sink refuses second chunk",
                 LIT("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n"),
                 &after5);
    CHECK_EQ_INT(o->rc, NOVITA_ERR_CANCELLED);
    CHECK(o->error == NULL);
    check_body(o, "hello");

    o = run_case("sink refuses until-close body", LIT("HTTP/1.0 200 OK\r\n\r\nabc"), &refuse);
    CHECK_EQ_INT(o->rc, NOVITA_ERR_CANCELLED);

    /* The failure is sticky. */
    TEST_CONTEXT("sticky sink error");
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    collector c;
    memset(&c, 0, sizeof c);
    c.fail_result = NOVITA_ERR_CANCELLED;
    novita_body_sink sink = {collect, &c};
    novita_http_parser p;
    novita_http_parser_init(&p);
    size_t used = 0;
    CHECK_EQ_INT(novita_http_parse(&p, (const uint8_t *)resp, sizeof resp - 1u, &used, &sink), NOVITA_ERR_CANCELLED);
    c.fail_above = NO_SINK_FAILURE;
    CHECK_EQ_INT(novita_http_parse(&p, (const uint8_t *)resp + used, sizeof resp - 1u - used, &used, &sink),
                 NOVITA_ERR_CANCELLED);
    CHECK_EQ_UINT(used, 0);
    CHECK_EQ_INT(novita_http_finish(&p), NOVITA_ERR_CANCELLED);
    CHECK_EQ_UINT(c.len, 0);
}

static void test_api_edges(void)
{
    TEST_CONTEXT("api edges");
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
    const uint8_t *d = (const uint8_t *)resp;
    novita_http_parser p;
    size_t used = 7;
    novita_http_parser_init(&p);
    CHECK_EQ_INT(novita_http_parse(NULL, d, 3, &used, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_UINT(used, 0);
    CHECK_EQ_INT(novita_http_parse(&p, d, 3, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_http_parse(&p, NULL, 3, &used, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_http_parse(&p, NULL, 0, &used, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_http_finish(NULL), NOVITA_ERR_INVALID_ARG);
    novita_http_parser_init(NULL); /* must not crash */

    /* A NULL sink discards the body but still counts it. */
    CHECK_EQ_INT(novita_http_parse(&p, d, sizeof resp - 1u, &used, NULL), NOVITA_OK);
    CHECK_EQ_UINT(used, sizeof resp - 1u);
    CHECK_EQ_INT(p.state, NOVITA_HTTP_DONE);
    CHECK_EQ_UINT(p.body_received, 3);

    /* A protocol error is sticky too, and init() starts afresh. */
    novita_http_parser_init(&p);
    CHECK_EQ_INT(novita_http_parse(&p, (const uint8_t *)"HTTP/9 200\r\n", 12, &used, NULL), NOVITA_ERR_PROTOCOL);
    CHECK_EQ_INT(novita_http_parse(&p, d, sizeof resp - 1u, &used, NULL), NOVITA_ERR_PROTOCOL);
    CHECK_EQ_INT(novita_http_finish(&p), NOVITA_ERR_PROTOCOL);
    novita_http_parser_init(&p);
    CHECK(p.error == NULL);
    CHECK_EQ_INT(novita_http_parse(&p, d, sizeof resp - 1u, &used, NULL), NOVITA_OK);
    CHECK_EQ_INT(p.state, NOVITA_HTTP_DONE);

    /* body_received cannot wrap (white-box: a body of 2^64 bytes is not feasible to send). */
    novita_http_parser_init(&p);
    CHECK_EQ_INT(novita_http_parse(&p, (const uint8_t *)"HTTP/1.1 200 OK\r\n\r\n", 19, &used, NULL), NOVITA_OK);
    CHECK_EQ_INT(p.state, NOVITA_HTTP_BODY_UNTIL_CLOSE);
    p.body_received = SIZE_MAX - 1u;
    CHECK_EQ_INT(novita_http_parse(&p, (const uint8_t *)"ab", 2, &used, NULL), NOVITA_ERR_PROTOCOL);
    CHECK_STR(p.error, "body too large");
}

int main(void)
{
    test_content_length();
    test_no_body_statuses();
    test_chunked();
    test_chunk_crlf_split();
    test_until_close();
    test_keep_alive();
    test_pipelined();
    test_interim();
    test_retry_after();
    test_retry_after_date();
    test_bad_status_lines();
    test_bad_headers();
    test_header_budget();
    test_bad_chunks();
    test_truncation();
    test_sink_errors();
    test_api_edges();
    TEST_CONTEXT(NULL);
    return TEST_REPORT();
}

/*
 * Drives the incremental HTTP response parser (src/http_response.c) the way the client does: bytes arrive
 * in pieces, the parser consumes whole lines and body bytes, and what it leaves is offered again with the
 * next piece. Shared by fuzz_http_response.c and fuzz_chunked.c.
 *
 * Every call gets its window in a fresh heap block of exactly the window's size, so AddressSanitizer
 * reports any read past the bytes the parser was given. The checks after each call are the caller
 * contract of http_response.h; the outcome of a whole run is compared by the targets between a
 * fragmented run and a one-piece run of the same bytes ("the verdict depends only on the bytes seen,
 * never on how they were split into reads").
 */
#ifndef NOVITA_FUZZ_HTTP_DRIVER_H
#define NOVITA_FUZZ_HTTP_DRIVER_H

#include "fuzz_common.h"
#include "http_response.h"
#include "novita/config.h"

/* How body bytes leave the parser. */
typedef enum http_sink_mode {
    HTTP_SINK_NONE,       /* sink pointer NULL: the body is discarded */
    HTTP_SINK_NO_WRITE,   /* a sink whose write is NULL: also discards */
    HTTP_SINK_KEEP,       /* copies every byte, checks where the bytes point */
    HTTP_SINK_FAIL_AFTER, /* keeps bytes, then refuses with NOVITA_ERR_CANCELLED past a limit */
    HTTP_SINK_MODES
} http_sink_mode;

/* Responses parsed back to back on one "connection" (a parser reused after DONE). */
#define HTTP_MAX_RESPONSES 4u

typedef struct http_outcome {
    novita_result result;   /* of the last parse or finish */
    const char *error;      /* the parser's static description, or NULL */
    novita_http_state state;
    int status;
    bool keep_alive;
    size_t responses;       /* responses that reached DONE */
    size_t used;            /* stream bytes consumed */
    uint8_t *body;          /* bytes the KEEP/FAIL_AFTER sink received, all responses */
    size_t body_len;
    size_t first_end;       /* stream offset where the first response ended (when responses > 0) */
    size_t first_body_len;  /* body bytes of the first response */
    uint32_t retry_after;   /* novita_http_retry_after() of the last complete response, or UINT32_MAX */
} http_outcome;

typedef struct http_sink_ctx {
    http_outcome *out;
    const uint8_t *window; /* the bytes of the current parse call */
    size_t window_len;
    size_t fail_after;     /* FAIL_AFTER: body bytes accepted before refusing */
    bool fail_mode;
    uint64_t response_bytes; /* delivered to the sink in the current response */
} http_sink_ctx;

static inline novita_result http_sink_write(void *ctx, const uint8_t *data, size_t len)
{
    http_sink_ctx *s = (http_sink_ctx *)ctx;
    FUZZ_CHECK(len > 0, "sink called with len 0");
    FUZZ_CHECK(data >= s->window && data + len <= s->window + s->window_len,
               "sink bytes lie outside the buffer given to the parser");
    if (s->fail_mode && s->out->body_len + len > s->fail_after)
        return NOVITA_ERR_CANCELLED;
    /* the body can never be longer than the stream, which is what out->body was sized for */
    memcpy(s->out->body + s->out->body_len, data, len);
    s->out->body_len += len;
    s->response_bytes += len;
    return NOVITA_OK;
}

static inline bool http_is_line_state(novita_http_state st)
{
    return st == NOVITA_HTTP_STATUS_LINE || st == NOVITA_HTTP_HEADERS || st == NOVITA_HTTP_TRAILERS ||
           st == NOVITA_HTTP_CHUNK_SIZE || st == NOVITA_HTTP_CHUNK_DATA_END;
}

/* A failed parser stays failed: parse and finish return the same result and consume nothing. */
static inline void http_check_sticky(novita_http_parser *p, novita_result r, const novita_body_sink *sink)
{
    size_t consumed = 1;
    const uint8_t more[] = "HTTP/1.1 200 OK\r\n\r\n";
    FUZZ_CHECK(novita_http_parse(p, more, sizeof(more) - 1u, &consumed, sink) == r, "failure is not sticky");
    FUZZ_CHECK(consumed == 0, "a failed parser consumed bytes");
    FUZZ_CHECK(novita_http_finish(p) == r, "finish after a failure changed the result");
}

/* Checks a response that just reached DONE. */
static inline void http_check_done(const novita_http_parser *p, const http_sink_ctx *s, http_sink_mode mode)
{
    FUZZ_CHECK(p->status >= 200 && p->status <= 599, "a final response with a status outside 200..599");
    FUZZ_CHECK(p->error == NULL, "DONE with an error description set");
    if (mode == HTTP_SINK_KEEP)
        FUZZ_CHECK(p->body_received == s->response_bytes, "body_received disagrees with the bytes delivered");
    if (p->status == 204 || p->status == 304)
        FUZZ_CHECK(p->body_received == 0, "a body was delivered for 204/304");
    else if (p->has_content_length && !p->chunked)
        FUZZ_CHECK(p->body_received == p->content_length, "DONE before Content-Length bytes arrived");
    FUZZ_CHECK(!(p->chunked && p->has_content_length), "accepted both Content-Length and chunked");
    FUZZ_CHECK(!p->connection_close || !p->keep_alive, "keep-alive despite Connection: close");
}

/* Retry-After of a complete response (seconds or an HTTP-date against Date): within the 30-day clamp. */
static inline uint32_t http_retry_after(const novita_http_parser *p)
{
    uint32_t seconds = UINT32_MAX;
    if (!novita_http_retry_after(p, &seconds))
        return UINT32_MAX;
    FUZZ_CHECK(seconds <= 30u * 86400u, "Retry-After beyond the 30-day clamp");
    return seconds;
}

/*
 * Feeds stream[0..len) to a parser: in pieces chosen by `split`, or all at once when split is NULL.
 * Up to `max_responses` responses are parsed back to back. When the stream ends before DONE, finish is
 * called, as the client does when the peer closes. out->body must hold len bytes.
 */
static inline void http_drive(const uint8_t *stream, size_t len, fuzz_splitter *split, http_sink_mode mode,
                              size_t fail_after, size_t max_responses, http_outcome *out)
{
    novita_http_parser p;
    novita_body_sink sink;
    http_sink_ctx sctx;
    const novita_body_sink *sink_arg = NULL;
    size_t start = 0, end = 0; /* unconsumed bytes are stream[start..end) */
    bool need_more = true;
    novita_result r = NOVITA_OK;

    memset(&sctx, 0, sizeof(sctx));
    sctx.out = out;
    sctx.fail_after = fail_after;
    sctx.fail_mode = mode == HTTP_SINK_FAIL_AFTER;
    sink.write = mode == HTTP_SINK_NO_WRITE ? NULL : http_sink_write;
    sink.ctx = &sctx;
    if (mode != HTTP_SINK_NONE)
        sink_arg = &sink;
    out->body_len = 0;
    out->responses = 0;
    out->first_end = 0;
    out->first_body_len = 0;
    out->retry_after = UINT32_MAX;
    novita_http_parser_init(&p);

    for (;;) {
        size_t window_len, consumed = 0;
        uint8_t *window;
        novita_http_state before = p.state;
        if (need_more) {
            if (end == len)
                break; /* the peer closed */
            end += split ? fuzz_next_piece(split, len - end) : len - end;
        }
        window_len = end - start;
        window = (uint8_t *)malloc(window_len ? window_len : 1u);
        FUZZ_CHECK(window != NULL, "out of memory in the harness");
        memcpy(window, stream + start, window_len);
        sctx.window = window;
        sctx.window_len = window_len;
        r = novita_http_parse(&p, window, window_len, &consumed, sink_arg);
        FUZZ_CHECK(consumed <= window_len, "consumed more than it was given");
        start += consumed;
        if (r != NOVITA_OK) {
            FUZZ_CHECK(r == NOVITA_ERR_PROTOCOL || (r == NOVITA_ERR_CANCELLED && sctx.fail_mode),
                       "parse failed with a result it never documents");
            FUZZ_CHECK(r != NOVITA_ERR_PROTOCOL || p.error != NULL, "protocol error without a description");
            http_check_sticky(&p, r, sink_arg);
            free(window);
            break;
        }
        free(window);
        if (p.state != NOVITA_HTTP_STATUS_LINE)
            FUZZ_CHECK(p.status >= 100 && p.status <= 599, "status outside 100..599");
        if (p.state == NOVITA_HTTP_DONE) {
            http_check_done(&p, &sctx, mode);
            out->retry_after = http_retry_after(&p);
            if (out->responses++ == 0) {
                out->first_end = start;
                out->first_body_len = out->body_len;
            }
            if (out->responses == max_responses || start == len)
                break;
            novita_http_parser_init(&p); /* the next response on the same connection */
            sctx.response_bytes = 0;
            need_more = start == end;
            continue;
        }
        /* Not done: whatever is left is one incomplete line, shorter than the header budget, so a receive
         * buffer of NOVITA_MAX_HEADER_BYTES plus one read always makes progress (http_response.h). */
        FUZZ_CHECK(start == end || http_is_line_state(p.state), "bytes left over in a body state");
        FUZZ_CHECK(end - start < (size_t)NOVITA_MAX_HEADER_BYTES, "pending line reached the header budget");
        FUZZ_CHECK(consumed > 0 || p.state == before, "state changed without consuming anything");
        need_more = true;
    }
    if (r == NOVITA_OK && p.state != NOVITA_HTTP_DONE) {
        r = novita_http_finish(&p);
        FUZZ_CHECK(r == NOVITA_OK || r == NOVITA_ERR_PROTOCOL, "finish failed with an undocumented result");
        if (r == NOVITA_OK) {
            FUZZ_CHECK(p.state == NOVITA_HTTP_DONE, "finish succeeded without DONE");
            http_check_done(&p, &sctx, mode);
            out->retry_after = http_retry_after(&p);
            if (out->responses++ == 0) {
                out->first_end = start;
                out->first_body_len = out->body_len;
            }
        } else {
            FUZZ_CHECK(p.error != NULL, "truncation without a description");
            http_check_sticky(&p, r, sink_arg);
        }
    }
    out->result = r;
    out->error = p.error;
    out->state = p.state;
    out->status = p.status;
    out->keep_alive = p.keep_alive;
    out->used = start;
}

/* How much of two outcomes must agree. */
typedef enum http_compare {
    HTTP_SAME_RESULT,   /* FAIL_AFTER: where the sink refuses depends on the piece sizes by design */
    HTTP_SAME_FRAMING,  /* everything but the body (one of the runs discarded it) */
    HTTP_SAME_ALL
} http_compare;

/* Two runs over the same bytes must agree on everything but how the bytes were split. */
static inline void http_check_same(const http_outcome *a, const http_outcome *b, http_compare level)
{
    FUZZ_CHECK(a->result == b->result, "the result depends on fragmentation or on the sink");
    if (level == HTTP_SAME_RESULT)
        return;
    FUZZ_CHECK(a->error == b->error, "the error description depends on fragmentation");
    FUZZ_CHECK(a->state == b->state, "the final state depends on fragmentation");
    FUZZ_CHECK(a->status == b->status, "the status depends on fragmentation");
    FUZZ_CHECK(a->keep_alive == b->keep_alive, "keep-alive depends on fragmentation");
    FUZZ_CHECK(a->responses == b->responses, "the number of responses depends on fragmentation");
    FUZZ_CHECK(a->used == b->used, "the bytes consumed depend on fragmentation");
    FUZZ_CHECK(a->first_end == b->first_end, "where the first response ends depends on fragmentation");
    FUZZ_CHECK(a->retry_after == b->retry_after, "Retry-After depends on fragmentation");
    if (level == HTTP_SAME_FRAMING)
        return;
    FUZZ_CHECK(a->body_len == b->body_len && memcmp(a->body, b->body, a->body_len) == 0,
               "the body depends on fragmentation");
    FUZZ_CHECK(a->first_body_len == b->first_body_len, "the first body's length depends on fragmentation");
}

#endif /* NOVITA_FUZZ_HTTP_DRIVER_H */

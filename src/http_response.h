/*
 * Incremental HTTP/1.1 response parser (internal; sans-I/O, no allocation).
 *
 * The caller owns the bytes. It calls novita_http_parse() with everything received and not yet consumed; the
 * parser consumes whole lines only (status line, header lines, chunk-size lines, trailers) and hands body
 * bytes to the sink as soon as they arrive. Bytes it did not consume (an incomplete line) must be kept by the
 * caller and offered again, followed by more data. When the connection ends, the caller calls
 * novita_http_finish() to tell a complete read-until-close body from a truncated response.
 *
 * No line the parser waits for is longer than NOVITA_MAX_HEADER_BYTES (the header budget bounds status,
 * header and trailer lines; a chunk-size line is bounded by the same value on its own), so a receive buffer of
 * that size plus room for one read never deadlocks. Responses to HEAD are not supported (novita-c never sends
 * HEAD): their Content-Length would be taken as a body to wait for.
 */
#ifndef NOVITA_HTTP_RESPONSE_H
#define NOVITA_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/result.h"

/** Receives body bytes (already de-chunked). Return NOVITA_OK to continue, anything else to abort parsing
 *  with that result. `data` points into the caller's receive buffer and is valid during the call only. */
typedef struct novita_body_sink {
    novita_result (*write)(void *ctx, const uint8_t *data, size_t len);
    void *ctx;
} novita_body_sink;

typedef enum novita_http_state {
    NOVITA_HTTP_STATUS_LINE = 0,
    NOVITA_HTTP_HEADERS,
    NOVITA_HTTP_BODY_LENGTH,      /* Content-Length body */
    NOVITA_HTTP_BODY_UNTIL_CLOSE, /* no length, no chunking: body ends when the connection closes */
    NOVITA_HTTP_CHUNK_SIZE,
    NOVITA_HTTP_CHUNK_DATA,
    NOVITA_HTTP_CHUNK_DATA_END, /* the CRLF after chunk data */
    NOVITA_HTTP_TRAILERS,
    NOVITA_HTTP_DONE
} novita_http_state;

typedef struct novita_http_parser {
    novita_http_state state;
    int status;                /* 100..599 */
    uint8_t version_minor;     /* HTTP/1.x */
    bool keep_alive;           /* connection may be reused after this response */
    bool chunked;
    bool has_content_length;
    bool connection_close;     /* a `Connection: close` was seen: a later `keep-alive` token cannot undo it */
    bool has_retry_after;
    bool retry_after_is_date;  /* retry_after is an HTTP-date (Unix seconds), else delta-seconds */
    bool has_date;             /* a valid Date header: date holds it */
    bool no_body;              /* the response answers a HEAD request: no body, whatever the headers say
                                  (RFC 9110 9.3.2). Cleared by novita_http_parser_init; the caller sets it
                                  after init, and it holds across interim responses */
    size_t content_length;     /* a larger Content-Length is a protocol error */
    size_t remaining;          /* body or chunk bytes still expected */
    size_t body_received;      /* de-chunked body bytes delivered to the sink */
    size_t header_bytes;       /* bytes of status lines + headers so far, 1xx interim responses and trailers
                                  included, so no stream of them can pin the caller (bounded by
                                  NOVITA_MAX_HEADER_BYTES) */
    int64_t retry_after;       /* Retry-After: seconds (clamped to 30 days), or Unix seconds of the date */
    int64_t date;              /* Date: Unix seconds */
    const char *error;         /* static description of the protocol error, or NULL */
    novita_result failure;     /* sticky: once a call failed, every later parse/finish returns this */
} novita_http_parser;

/**
 * The delay the server asked for, in seconds: Retry-After as delta-seconds, or as an HTTP-date measured
 * against the response's own Date header (so no wall clock is needed; a date in the past gives 0).
 * @return false when there is no usable Retry-After (absent, unreadable, or a date without a Date header).
 */
bool novita_http_retry_after(const novita_http_parser *p, uint32_t *seconds);

/** Start a new response (also before reusing the parser for the next response on a kept-alive connection). */
void novita_http_parser_init(novita_http_parser *p);

/**
 * Feed bytes. Consumes whole lines and body bytes, writes *consumed.
 * @return NOVITA_OK (check p->state == NOVITA_HTTP_DONE for completion; *consumed < len means an incomplete
 *         line is pending and more bytes are needed), NOVITA_ERR_PROTOCOL on malformed input (p->error says
 *         why), or the sink's own error. After any failure the parser stays failed. `sink` (or its write)
 *         may be NULL to discard the body. The sink is never called with len 0. After DONE nothing more is
 *         consumed: the bytes left belong to the next response.
 */
novita_result novita_http_parse(novita_http_parser *p, const uint8_t *data, size_t len, size_t *consumed,
                                const novita_body_sink *sink);

/**
 * The peer closed the connection. @return NOVITA_OK if the response is complete (or was a read-until-close
 * body, which this completes), NOVITA_ERR_PROTOCOL if it was cut short (p->error says where).
 */
novita_result novita_http_finish(novita_http_parser *p);

#endif /* NOVITA_HTTP_RESPONSE_H */

/*
 * Incremental HTTP/1.1 response parser. See http_response.h for the caller contract.
 *
 * Every byte comes from the network and is treated as hostile: each line is found and bounded before it is
 * looked at, numbers are parsed here with explicit overflow checks (no libc number parsing: its locale and
 * errno behaviour is not wanted in a parser), and anything ambiguous is a protocol error rather than a guess.
 */
#include "http_response.h"

#include "http_date.h"

#include <string.h>

#include "novita/config.h"

/* Largest chunk accepted: bigger chunks are not plausible from this API and a cap keeps sums far from overflow. */
#define HTTP_CHUNK_SIZE_MAX ((uint64_t)1u << 31)

/* Retry-After values above 30 days are clamped: waiting longer than that is never what a caller wants. */
#define HTTP_RETRY_AFTER_MAX ((uint64_t)86400u * 30u)

/* A chunk-size line (extensions included) is bounded like a header block so the caller's buffer suffices. */
#define HTTP_CHUNK_LINE_MAX ((size_t)NOVITA_MAX_HEADER_BYTES)

/* The shortest status line content: "HTTP/1.1 200". */
#define HTTP_STATUS_LINE_MIN 12u

typedef struct span {
    const uint8_t *s;
    size_t len;
} span;

typedef enum line_status { LINE_FOUND, LINE_PENDING, LINE_ERROR } line_status;

typedef enum num_status { NUM_OK, NUM_BAD, NUM_OVER } num_status;

/* ---- Character classes (ASCII only: the C library's are locale-dependent) ---- */

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

static bool is_ows(uint8_t c) { return c == ' ' || c == '\t'; }

static bool is_alpha(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* RFC 9110 tchar: the bytes allowed in a header name. */
static bool is_tchar(uint8_t c)
{
    if (is_alpha(c) || is_digit(c)) {
        return true;
    }
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Bytes allowed in a header value, reason phrase or chunk extension: VCHAR, SP, HT and obs-text.
 * Every other control byte (NUL, CR, LF, DEL, ...) is refused so it cannot reach later consumers. */
static bool is_field_byte(uint8_t c) { return c == '\t' || (c >= 0x20u && c != 0x7Fu); }

static uint8_t to_lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c; }

/* Value of a hex digit, or -1. */
static int hex_value(uint8_t c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    c = to_lower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* Case-insensitive comparison with a lowercase literal. */
static bool span_ieq(span a, const char *lit)
{
    size_t n = strlen(lit);
    if (a.len != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (to_lower(a.s[i]) != (uint8_t)lit[i]) {
            return false;
        }
    }
    return true;
}

static span span_trim(span a)
{
    while (a.len > 0 && is_ows(a.s[0])) {
        a.s++;
        a.len--;
    }
    while (a.len > 0 && is_ows(a.s[a.len - 1])) {
        a.len--;
    }
    return a;
}

/* Digits only, at least one, value <= limit (limit >= 9). The whole span is checked even after an overflow,
 * so "99999999999999999999x" is NUM_BAD, not NUM_OVER. */
static num_status parse_decimal(span a, uint64_t limit, uint64_t *out)
{
    uint64_t v = 0;
    bool over = false;
    if (a.len == 0) {
        return NUM_BAD;
    }
    for (size_t i = 0; i < a.len; i++) {
        if (!is_digit(a.s[i])) {
            return NUM_BAD;
        }
        uint64_t d = (uint64_t)(a.s[i] - '0');
        if (over || v > (limit - d) / 10u) {
            over = true;
        } else {
            v = v * 10u + d;
        }
    }
    *out = v;
    return over ? NUM_OVER : NUM_OK;
}

static novita_result fail(novita_http_parser *p, const char *why)
{
    p->error = why;
    return NOVITA_ERR_PROTOCOL;
}

/*
 * Finds the CRLF ending the line at d. Only the first `max` bytes are examined, so a line whose length with
 * CRLF would exceed `max` fails as soon as `max` bytes are present instead of waiting for a CRLF that may never
 * come. The verdict depends only on the bytes seen, never on how they were split into reads.
 */
static line_status find_line(const uint8_t *d, size_t len, size_t max, size_t *content_len, const char **why,
                             const char *too_long)
{
    size_t window = len < max ? len : max;
    for (size_t i = 0; i < window; i++) {
        if (d[i] == '\n') {
            if (i == 0 || d[i - 1] != '\r') {
                *why = "bare LF in line";
                return LINE_ERROR;
            }
            *content_len = i - 1;
            return LINE_FOUND;
        }
        if (d[i] == '\r' && i + 1 < window && d[i + 1] != '\n') {
            *why = "bare CR in line";
            return LINE_ERROR;
        }
    }
    if (len >= max) {
        *why = too_long;
        return LINE_ERROR;
    }
    return LINE_PENDING;
}

/* ---- Status line ---- */

static void begin_response(novita_http_parser *p, int status, uint8_t minor)
{
    p->status = status;
    p->version_minor = minor;
    p->keep_alive = minor >= 1u; /* HTTP/1.1 defaults to persistent, HTTP/1.0 to close */
    p->connection_close = false;
    p->chunked = false;
    p->has_content_length = false;
    p->content_length = 0;
    p->has_retry_after = false;
    p->retry_after_s = 0;
    p->retry_after_is_date = false;
    p->has_date = false;
    p->retry_after_date = 0;
    p->date = 0;
    p->remaining = 0;
    p->body_received = 0;
}

/* "HTTP/1.x SP 3DIGIT [SP reason]"; the reason may be empty or absent altogether. */
static novita_result on_status_line(novita_http_parser *p, span line)
{
    const uint8_t *s = line.s;
    if (line.len < HTTP_STATUS_LINE_MIN || memcmp(s, "HTTP/1.", 7) != 0) {
        return fail(p, "not an HTTP/1.x status line");
    }
    if (s[7] != '0' && s[7] != '1') {
        return fail(p, "unsupported HTTP version");
    }
    if (s[8] != ' ' || !is_digit(s[9]) || !is_digit(s[10]) || !is_digit(s[11])) {
        return fail(p, "malformed status code");
    }
    if (line.len > HTTP_STATUS_LINE_MIN && s[HTTP_STATUS_LINE_MIN] != ' ') {
        return fail(p, "malformed status code"); /* e.g. four digits */
    }
    for (size_t i = HTTP_STATUS_LINE_MIN; i < line.len; i++) {
        if (!is_field_byte(s[i])) {
            return fail(p, "invalid byte in reason phrase");
        }
    }
    int status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    if (status < 100 || status > 599) {
        return fail(p, "status code out of range");
    }
    if (status == 101) {
        /* novita-c never asks for an upgrade; what follows would not be HTTP/1.1 at all. */
        return fail(p, "unexpected 101 Switching Protocols");
    }
    begin_response(p, status, (uint8_t)(s[7] - '0'));
    p->state = NOVITA_HTTP_HEADERS;
    return NOVITA_OK;
}

/* ---- Header fields of the final response ---- */

static novita_result on_content_length(novita_http_parser *p, span value)
{
    uint64_t v = 0;
    switch (parse_decimal(value, UINT64_MAX, &v)) {
    case NUM_BAD:
        return fail(p, "invalid Content-Length");
    case NUM_OVER:
        return fail(p, "Content-Length overflow");
    case NUM_OK:
        break;
    }
    /* Identical duplicates are harmless; differing ones mean intermediaries may disagree on framing. */
    if (p->has_content_length && p->content_length != v) {
        return fail(p, "conflicting Content-Length headers");
    }
    p->has_content_length = true;
    p->content_length = v;
    return NOVITA_OK;
}

static novita_result on_transfer_encoding(novita_http_parser *p, span value)
{
    /* A second header would make the coding list "chunked, chunked" (or worse): never valid. */
    if (p->chunked) {
        return fail(p, "repeated Transfer-Encoding");
    }
    if (!span_ieq(value, "chunked")) {
        return fail(p, "unsupported Transfer-Encoding");
    }
    p->chunked = true;
    return NOVITA_OK;
}

/* Comma-separated tokens. `close` wins whatever the order; `keep-alive` only matters for HTTP/1.0. */
static void on_connection(novita_http_parser *p, span value)
{
    size_t start = 0;
    for (size_t i = 0; i <= value.len; i++) {
        if (i < value.len && value.s[i] != ',') {
            continue;
        }
        span tok = span_trim((span){value.s + start, i - start});
        if (span_ieq(tok, "close")) {
            p->connection_close = true;
            p->keep_alive = false;
        } else if (span_ieq(tok, "keep-alive") && p->version_minor == 0u && !p->connection_close) {
            p->keep_alive = true;
        }
        start = i + 1;
    }
}

/* Retry-After is advisory: a form we cannot read is ignored, not a protocol error. */
static void on_retry_after(novita_http_parser *p, span value)
{
    uint64_t v = 0;
    switch (parse_decimal(value, HTTP_RETRY_AFTER_MAX, &v)) {
    case NUM_OK:
        p->has_retry_after = true;
        p->retry_after_s = (uint32_t)v;
        break;
    case NUM_OVER:
        p->has_retry_after = true;
        p->retry_after_s = (uint32_t)HTTP_RETRY_AFTER_MAX;
        break;
    case NUM_BAD:
        p->retry_after_s = 0;
        p->retry_after_is_date = novita_http_date_parse(value.s, value.len, &p->retry_after_date);
        p->has_retry_after = p->retry_after_is_date;
        break;
    }
}

static void on_date(novita_http_parser *p, span value)
{
    p->has_date = novita_http_date_parse(value.s, value.len, &p->date);
}

bool novita_http_retry_after(const novita_http_parser *p, uint32_t *seconds)
{
    int64_t delta;
    if (!p->has_retry_after)
        return false;
    if (!p->retry_after_is_date) {
        *seconds = p->retry_after_s;
        return true;
    }
    if (!p->has_date)
        return false;
    delta = p->retry_after_date - p->date;
    if (delta < 0)
        delta = 0;
    *seconds = delta > (int64_t)HTTP_RETRY_AFTER_MAX ? (uint32_t)HTTP_RETRY_AFTER_MAX : (uint32_t)delta;
    return true;
}

static novita_result apply_header(novita_http_parser *p, span name, span value)
{
    if (span_ieq(name, "content-length")) {
        return on_content_length(p, value);
    }
    if (span_ieq(name, "transfer-encoding")) {
        return on_transfer_encoding(p, value);
    }
    if (span_ieq(name, "connection")) {
        on_connection(p, value);
    } else if (span_ieq(name, "retry-after")) {
        on_retry_after(p, value);
    } else if (span_ieq(name, "date")) {
        on_date(p, value);
    }
    return NOVITA_OK;
}

/* Picks the body framing once all headers are known (RFC 9112 section 6.3). */
static novita_result end_of_headers(novita_http_parser *p)
{
    if (p->status < 200) {
        p->state = NOVITA_HTTP_STATUS_LINE; /* interim: the real response follows */
        return NOVITA_OK;
    }
    if (p->chunked && p->has_content_length) {
        /* Request-smuggling ambiguity: refuse rather than pick one. */
        return fail(p, "both Content-Length and Transfer-Encoding");
    }
    if (p->chunked && p->version_minor == 0u) {
        p->keep_alive = false; /* RFC 9112 6.1: framing of a 1.0 message with TE is suspect; do not reuse */
    }
    if (p->status == 204 || p->status == 304) {
        p->state = NOVITA_HTTP_DONE;
    } else if (p->chunked) {
        p->state = NOVITA_HTTP_CHUNK_SIZE;
    } else if (p->has_content_length) {
        p->remaining = p->content_length;
        p->state = p->remaining > 0u ? NOVITA_HTTP_BODY_LENGTH : NOVITA_HTTP_DONE;
    } else {
        p->keep_alive = false; /* the close is what delimits the body */
        p->state = NOVITA_HTTP_BODY_UNTIL_CLOSE;
    }
    return NOVITA_OK;
}

/* "name: OWS value OWS". Header and trailer lines share the syntax; only final-response headers count. */
static novita_result on_field_line(novita_http_parser *p, span line)
{
    if (line.len == 0) {
        if (p->state == NOVITA_HTTP_TRAILERS) {
            p->state = NOVITA_HTTP_DONE;
            return NOVITA_OK;
        }
        return end_of_headers(p);
    }
    if (is_ows(line.s[0])) {
        return fail(p, "obsolete header line folding");
    }
    if (memchr(line.s, ':', line.len) == NULL) {
        return fail(p, "header line without colon");
    }
    size_t n = 0;
    while (is_tchar(line.s[n])) {
        n++; /* stops at the ':' at the latest */
    }
    if (n == 0 || line.s[n] != ':') {
        return fail(p, "invalid header name");
    }
    span value = span_trim((span){line.s + n + 1, line.len - n - 1});
    for (size_t i = 0; i < value.len; i++) {
        if (!is_field_byte(value.s[i])) {
            return fail(p, "invalid byte in header value");
        }
    }
    if (p->state == NOVITA_HTTP_HEADERS && p->status >= 200) {
        return apply_header(p, (span){line.s, n}, value);
    }
    return NOVITA_OK;
}

/* Status, header and trailer lines: all drawn from the one header budget. */
static novita_result step_header_line(novita_http_parser *p, const uint8_t *d, size_t len, size_t *used)
{
    size_t content = 0;
    const char *why = NULL;
    size_t budget = (size_t)NOVITA_MAX_HEADER_BYTES - p->header_bytes;
    switch (find_line(d, len, budget, &content, &why, "header block too large")) {
    case LINE_PENDING:
        return NOVITA_OK;
    case LINE_ERROR:
        return fail(p, why);
    case LINE_FOUND:
        break;
    }
    p->header_bytes += content + 2u;
    *used = content + 2u;
    span line = {d, content};
    return p->state == NOVITA_HTTP_STATUS_LINE ? on_status_line(p, line) : on_field_line(p, line);
}

/* ---- Chunked framing ---- */

/* chunk-size [ BWS ";" chunk-ext ]; extensions are checked for stray control bytes and otherwise ignored. */
static novita_result on_chunk_size_line(novita_http_parser *p, span line)
{
    uint64_t v = 0;
    size_t n = 0;
    while (n < line.len && hex_value(line.s[n]) >= 0) {
        uint64_t h = (uint64_t)hex_value(line.s[n]);
        if (v > (HTTP_CHUNK_SIZE_MAX - h) / 16u) {
            return fail(p, "chunk size too large");
        }
        v = v * 16u + h;
        n++;
    }
    if (n == 0) {
        return fail(p, "invalid chunk size");
    }
    size_t i = n;
    while (i < line.len && is_ows(line.s[i])) {
        i++;
    }
    if (i < line.len || i > n) { /* whitespace is allowed only before an extension */
        if (i == line.len || line.s[i] != ';') {
            return fail(p, "invalid chunk size");
        }
        for (; i < line.len; i++) {
            if (!is_field_byte(line.s[i])) {
                return fail(p, "invalid chunk extension");
            }
        }
    }
    p->remaining = v;
    p->state = v > 0u ? NOVITA_HTTP_CHUNK_DATA : NOVITA_HTTP_TRAILERS;
    return NOVITA_OK;
}

static novita_result step_chunk_size(novita_http_parser *p, const uint8_t *d, size_t len, size_t *used)
{
    size_t content = 0;
    const char *why = NULL;
    switch (find_line(d, len, HTTP_CHUNK_LINE_MAX, &content, &why, "chunk size line too long")) {
    case LINE_PENDING:
        return NOVITA_OK;
    case LINE_ERROR:
        return fail(p, why);
    case LINE_FOUND:
        break;
    }
    *used = content + 2u;
    return on_chunk_size_line(p, (span){d, content});
}

/* Exactly CRLF must follow chunk data: anything else means the size lied. len >= 1. */
static novita_result step_chunk_data_end(novita_http_parser *p, const uint8_t *d, size_t len, size_t *used)
{
    if (d[0] != '\r' || (len >= 2u && d[1] != '\n')) {
        return fail(p, "missing CRLF after chunk data");
    }
    if (len < 2u) {
        return NOVITA_OK; /* the LF is still on its way */
    }
    *used = 2u;
    p->state = NOVITA_HTTP_CHUNK_SIZE;
    return NOVITA_OK;
}

/* ---- Body bytes ---- */

static novita_result deliver(novita_http_parser *p, const uint8_t *d, size_t n, const novita_body_sink *sink)
{
    if (p->body_received > UINT64_MAX - (uint64_t)n) {
        return fail(p, "body too large");
    }
    if (sink != NULL && sink->write != NULL) {
        novita_result r = sink->write(sink->ctx, d, n);
        if (r != NOVITA_OK) {
            return r;
        }
    }
    p->body_received += (uint64_t)n;
    return NOVITA_OK;
}

/* Hands over as much body as is both present and expected; len >= 1. */
static novita_result step_body(novita_http_parser *p, const uint8_t *d, size_t len, size_t *used,
                               const novita_body_sink *sink)
{
    size_t n = len;
    if (p->state != NOVITA_HTTP_BODY_UNTIL_CLOSE && p->remaining < (uint64_t)len) {
        n = (size_t)p->remaining;
    }
    novita_result r = deliver(p, d, n, sink);
    if (r != NOVITA_OK) {
        return r;
    }
    *used = n;
    if (p->state == NOVITA_HTTP_BODY_UNTIL_CLOSE) {
        return NOVITA_OK;
    }
    p->remaining -= (uint64_t)n;
    if (p->remaining == 0u) {
        p->state = p->state == NOVITA_HTTP_CHUNK_DATA ? NOVITA_HTTP_CHUNK_DATA_END : NOVITA_HTTP_DONE;
    }
    return NOVITA_OK;
}

/* One unit of progress. *used stays 0 when more bytes are needed before anything can be consumed. */
static novita_result step(novita_http_parser *p, const uint8_t *d, size_t len, size_t *used,
                          const novita_body_sink *sink)
{
    switch (p->state) {
    case NOVITA_HTTP_STATUS_LINE:
    case NOVITA_HTTP_HEADERS:
    case NOVITA_HTTP_TRAILERS:
        return step_header_line(p, d, len, used);
    case NOVITA_HTTP_CHUNK_SIZE:
        return step_chunk_size(p, d, len, used);
    case NOVITA_HTTP_CHUNK_DATA_END:
        return step_chunk_data_end(p, d, len, used);
    case NOVITA_HTTP_BODY_LENGTH:
    case NOVITA_HTTP_BODY_UNTIL_CLOSE:
    case NOVITA_HTTP_CHUNK_DATA:
        return step_body(p, d, len, used, sink);
    case NOVITA_HTTP_DONE:
        return NOVITA_OK;
    }
    return fail(p, "corrupt parser state"); /* only reachable if the struct was overwritten */
}

/* ---- Public functions ---- */

void novita_http_parser_init(novita_http_parser *p)
{
    if (p == NULL) {
        return;
    }
    p->state = NOVITA_HTTP_STATUS_LINE;
    begin_response(p, 0, 1u);
    p->header_bytes = 0;
    p->error = NULL;
    p->failure = NOVITA_OK;
}

novita_result novita_http_parse(novita_http_parser *p, const uint8_t *data, size_t len, size_t *consumed,
                                const novita_body_sink *sink)
{
    if (consumed != NULL) {
        *consumed = 0;
    }
    if (p == NULL || consumed == NULL || (data == NULL && len > 0u)) {
        return NOVITA_ERR_INVALID_ARG;
    }
    if (p->failure != NOVITA_OK) {
        return p->failure;
    }
    size_t pos = 0;
    novita_result r = NOVITA_OK;
    while (pos < len && p->state != NOVITA_HTTP_DONE) {
        size_t used = 0;
        r = step(p, data + pos, len - pos, &used, sink);
        if (r != NOVITA_OK || used == 0u) {
            break;
        }
        pos += used;
    }
    *consumed = pos;
    p->failure = r;
    return r;
}

static const char *truncation_reason(const novita_http_parser *p)
{
    switch (p->state) {
    case NOVITA_HTTP_STATUS_LINE:
        return p->header_bytes == 0u ? "connection closed before a complete status line"
                                     : "response truncated in headers";
    case NOVITA_HTTP_HEADERS:
        return "response truncated in headers";
    case NOVITA_HTTP_BODY_LENGTH:
        return "body truncated";
    case NOVITA_HTTP_CHUNK_SIZE:
    case NOVITA_HTTP_CHUNK_DATA:
    case NOVITA_HTTP_CHUNK_DATA_END:
        return "chunked body truncated";
    case NOVITA_HTTP_TRAILERS:
        return "response truncated in trailers";
    case NOVITA_HTTP_BODY_UNTIL_CLOSE:
    case NOVITA_HTTP_DONE:
        break;
    }
    return "corrupt parser state";
}

novita_result novita_http_finish(novita_http_parser *p)
{
    if (p == NULL) {
        return NOVITA_ERR_INVALID_ARG;
    }
    if (p->failure != NOVITA_OK) {
        return p->failure;
    }
    if (p->state == NOVITA_HTTP_BODY_UNTIL_CLOSE) {
        p->state = NOVITA_HTTP_DONE; /* the close was the end of the body */
    }
    if (p->state == NOVITA_HTTP_DONE) {
        return NOVITA_OK;
    }
    p->failure = fail(p, truncation_reason(p));
    return p->failure;
}

/*
 * Incremental HTTP/1.1 response parser. See http_response.h for the caller contract.
 *
 * Every byte comes from the network and is treated as hostile: each line is found, bounded and checked for
 * control bytes before it is looked at, numbers are parsed here with explicit overflow checks (no libc number
 * parsing: its locale and errno behaviour is not wanted in a parser), and anything ambiguous is a protocol
 * error rather than a guess.
 *
 * Shape, for size and stack on microcontrollers: novita_http_parse() delivers body bytes itself (the sink is
 * the deep call, so the frame above it stays small) and hands every line to step_line(), which is kept out of
 * line. Protocol errors are reported by setting p->error, which is NULL until then.
 */
#include "http_response.h"

#include "http_date.h"

#include <string.h>

#include "novita/config.h"

/* Largest chunk accepted: bigger chunks are not plausible from this API and a cap keeps sums far from overflow. */
#define HTTP_CHUNK_SIZE_MAX ((size_t)1u << 31)

/* Retry-After values above 30 days are clamped: waiting longer than that is never what a caller wants. */
#define HTTP_RETRY_AFTER_MAX 2592000u

/* The shortest status line content: "HTTP/1.1 200". */
#define HTTP_STATUS_LINE_MIN 12u

#if defined(__GNUC__)
#define HTTP_NOINLINE __attribute__((noinline))
#else
#define HTTP_NOINLINE
#endif

/* ---- Character classes (ASCII only: the C library's are locale-dependent) ---- */

static bool is_ows(uint8_t c) { return c == ' ' || c == '\t'; }

/* RFC 9110 tchar, the bytes of a header name: one bit per byte 0x20..0x7F. */
static bool is_tchar(uint8_t c)
{
    static const uint32_t set[3] = { 0x03FF6CFAu, 0xC7FFFFFEu, 0x57FFFFFFu };
    return c >= 0x20u && c < 0x80u && ((set[(c - 0x20u) >> 5] >> (c & 31u)) & 1u) != 0u;
}

static size_t skip_ows(const uint8_t *s, size_t i, size_t n)
{
    while (i < n && is_ows(s[i])) {
        i++;
    }
    return i;
}

/* The header names and value tokens acted on, lowercase; keyword() returns an index into this list. */
enum { KW_CONTENT_LENGTH, KW_TRANSFER_ENCODING, KW_CONNECTION, KW_RETRY_AFTER, KW_DATE, KW_CHUNKED, KW_CLOSE,
       KW_KEEP_ALIVE, KW_NONE };
static const char k_keywords[] =
    "content-length\0transfer-encoding\0connection\0retry-after\0date\0chunked\0close\0keep-alive\0";

/*
 * Which keyword s[0, n) is, ignoring case and surrounding whitespace, or KW_NONE. OR-ing 0x20 only folds A-Z
 * onto a-z here: the other bytes it could map onto a keyword's letters or '-' (CR, '@', ...) never get this
 * far, as find_line() refuses control bytes and names are checked against tchar first.
 */
static int keyword(const uint8_t *s, size_t n)
{
    const char *kw = k_keywords;
    int k = 0;
    size_t from = skip_ows(s, 0, n);
    for (; k < KW_NONE; k++) {
        size_t i = from;
        while (*kw != '\0' && i < n && (uint8_t)(s[i] | 0x20u) == (uint8_t)*kw) {
            i++;
            kw++;
        }
        if (*kw == '\0' && skip_ows(s, i, n) == n) {
            break;
        }
        while (*kw++ != '\0') {
        }
    }
    return k;
}

typedef enum num_status { NUM_OK, NUM_BAD, NUM_OVER } num_status;

/* Digits only (at least one, surrounding whitespace ignored), value <= SIZE_MAX. The whole span is checked
 * even after an overflow, so "99999999999999999999x" is NUM_BAD, not NUM_OVER; after NUM_OVER, *out holds
 * the digits read before the overflow (over SIZE_MAX / 10 - 1). */
static num_status parse_decimal(const uint8_t *s, size_t n, size_t *out)
{
    size_t v = 0, i = skip_ows(s, 0, n), first = i;
    num_status st = NUM_OK;
    for (; i < n; i++) {
        unsigned d = (unsigned)s[i] - '0';
        if (d > 9u) {
            break;
        }
        if (v > (SIZE_MAX - d) / 10u) {
            st = NUM_OVER;
        } else {
            v = v * 10u + d;
        }
    }
    if (i == first || skip_ows(s, i, n) != n) {
        return NUM_BAD;
    }
    *out = v;
    return st;
}

static void fail(novita_http_parser *p, const char *why) { p->error = why; }

/*
 * Length of the line at d with its CRLF, or 0 while it is incomplete (or on error, with p->error set). Only
 * the first `max` bytes are examined, so a line whose length with CRLF would exceed `max` fails as soon as
 * `max` bytes are present instead of waiting for a CRLF that may never come. Control bytes other than HT,
 * and CR or LF outside a CRLF, are refused so they cannot reach later consumers. The verdict depends only on
 * the bytes seen, never on how they were split into reads.
 */
static size_t find_line(novita_http_parser *p, const uint8_t *d, size_t len, size_t max, const char *too_long)
{
    size_t window = len < max ? len : max;
    for (size_t i = 0; i < window; i++) {
        uint8_t c = d[i];
        if (c == '\r') {
            if (i + 1u == window) {
                break; /* the LF may still come, unless the window is all we may look at */
            }
            if (d[i + 1u] == '\n') {
                return i + 2u;
            }
        }
        if ((c < 0x20u && c != '\t') || c == 0x7Fu) {
            fail(p, "bad byte in line");
            return 0;
        }
    }
    if (len >= max) {
        fail(p, too_long);
    }
    return 0;
}

/* ---- Status line ---- */

/* A fresh response: everything but the header budget, which spans interim responses, and what the request
 * was (HEAD or not) starts over. */
static void begin_response(novita_http_parser *p, size_t header_bytes, int status, unsigned minor)
{
    bool no_body = p->no_body;
    memset(p, 0, sizeof *p);
    p->error = NULL;
    p->no_body = no_body;
    p->header_bytes = header_bytes;
    p->status = status;
    p->version_minor = (uint8_t)minor;
    p->keep_alive = minor != 0u; /* HTTP/1.1 defaults to persistent, HTTP/1.0 to close */
}

/* "HTTP/1.x SP 3DIGIT [SP reason]"; the reason may be empty or absent altogether. */
static void on_status_line(novita_http_parser *p, const uint8_t *s, size_t n)
{
    size_t status = 0;
    /* 101 is refused too: novita-c never asks for an upgrade; what follows would not be HTTP/1.1 at all. */
    if (n < HTTP_STATUS_LINE_MIN || memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') ||
        s[8] != ' ' || parse_decimal(s + 9, 3, &status) != NUM_OK || status < 100u || status > 599u ||
        status == 101u || (n > HTTP_STATUS_LINE_MIN && s[HTTP_STATUS_LINE_MIN] != ' ')) {
        fail(p, "bad status line");
    } else {
        begin_response(p, p->header_bytes, (int)status, (unsigned)s[7] - '0');
        p->state = NOVITA_HTTP_HEADERS;
    }
}

/* ---- Header fields of the final response ---- */

static void on_content_length(novita_http_parser *p, const uint8_t *v, size_t n)
{
    size_t value = 0;
    if (parse_decimal(v, n, &value) != NUM_OK) {
        fail(p, "bad Content-Length");
    } else if (p->has_content_length && p->content_length != value) {
        /* Identical duplicates are harmless; differing ones mean intermediaries may disagree on framing. */
        fail(p, "ambiguous framing");
    } else {
        p->has_content_length = true;
        p->content_length = value;
    }
}

/* Comma-separated tokens. `close` wins whatever the order; `keep-alive` only matters for HTTP/1.0. */
static void on_connection(novita_http_parser *p, const uint8_t *v, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && v[i] != ',') {
            continue;
        }
        int k = keyword(v + start, i - start);
        if (k == KW_CLOSE) {
            p->connection_close = true;
            p->keep_alive = false;
        } else if (k == KW_KEEP_ALIVE && p->version_minor == 0u && !p->connection_close) {
            p->keep_alive = true;
        }
        start = i + 1u;
    }
}

/* Retry-After is advisory: a form we cannot read is ignored, not a protocol error. */
static void on_retry_after(novita_http_parser *p, const uint8_t *v, size_t n)
{
    size_t seconds = 0;
    bool is_date = parse_decimal(v, n, &seconds) == NUM_BAD; /* NUM_OVER leaves seconds above the clamp */
    p->retry_after_is_date = is_date;
    p->retry_after = seconds > HTTP_RETRY_AFTER_MAX ? HTTP_RETRY_AFTER_MAX : (int64_t)seconds;
    p->has_retry_after = !is_date || novita_http_date_parse(v, n, &p->retry_after);
}

bool novita_http_retry_after(const novita_http_parser *p, uint32_t *seconds)
{
    int64_t delta = p->retry_after;
    if (!p->has_retry_after) {
        return false;
    }
    if (p->retry_after_is_date) {
        if (!p->has_date) {
            return false;
        }
        delta -= p->date;
    }
    *seconds = delta < 0 ? 0u : delta > HTTP_RETRY_AFTER_MAX ? HTTP_RETRY_AFTER_MAX : (uint32_t)delta;
    return true;
}

/* The value v[0, n) comes with its surrounding whitespace: the parsers here ignore it. */
static void apply_header(novita_http_parser *p, int name, const uint8_t *v, size_t n)
{
    switch (name) {
    case KW_CONTENT_LENGTH:
        on_content_length(p, v, n);
        break;
    case KW_TRANSFER_ENCODING:
        /* Only "chunked", once: a second header would make the coding list "chunked, chunked" (or worse). */
        if (p->chunked || keyword(v, n) != KW_CHUNKED) {
            fail(p, "bad Transfer-Encoding");
        }
        p->chunked = true;
        break;
    case KW_CONNECTION:
        on_connection(p, v, n);
        break;
    case KW_RETRY_AFTER:
        on_retry_after(p, v, n);
        break;
    case KW_DATE:
        p->has_date = novita_http_date_parse(v, n, &p->date);
        break;
    default:
        break;
    }
}

/* Picks the body framing once all headers are known (RFC 9112 section 6.3). */
static void end_of_headers(novita_http_parser *p)
{
    novita_http_state next = NOVITA_HTTP_DONE;
    if (p->state == NOVITA_HTTP_TRAILERS) {
        p->state = next; /* the last-chunk's trailer section is over */
        return;
    }
    if (p->status < 200) {
        next = NOVITA_HTTP_STATUS_LINE; /* interim: the real response follows */
    } else if (p->chunked && p->has_content_length) {
        /* Request-smuggling ambiguity: refuse rather than pick one. */
        fail(p, "ambiguous framing");
        return;
    } else if (p->status == 204 || p->status == 304 || p->no_body) {
        /* no body, whatever the headers say */
    } else if (p->chunked) {
        next = NOVITA_HTTP_CHUNK_SIZE;
        if (p->version_minor == 0u) {
            p->keep_alive = false; /* RFC 9112 6.1: framing of a 1.0 message with TE is suspect; do not reuse */
        }
    } else if (p->has_content_length) {
        p->remaining = p->content_length;
        if (p->remaining > 0u) {
            next = NOVITA_HTTP_BODY_LENGTH;
        }
    } else {
        p->keep_alive = false; /* the close is what delimits the body */
        next = NOVITA_HTTP_BODY_UNTIL_CLOSE;
    }
    p->state = next;
}

/* "name: OWS value OWS". Header and trailer lines share the syntax; only final-response headers count.
 * A line starting with whitespace (obsolete folding) has an empty name and is refused with the rest. */
static void on_field_line(novita_http_parser *p, const uint8_t *s, size_t n)
{
    size_t name_len = 0;
    if (n == 0u) {
        end_of_headers(p);
        return;
    }
    while (name_len < n && is_tchar(s[name_len])) {
        name_len++;
    }
    if (name_len == 0u || name_len == n || s[name_len] != ':') {
        fail(p, "bad header line");
        return;
    }
    if (p->state == NOVITA_HTTP_HEADERS && p->status >= 200) {
        apply_header(p, keyword(s, name_len), s + name_len + 1u, n - name_len - 1u);
    }
}

/* ---- Chunked framing ---- */

/* chunk-size [ BWS ";" chunk-ext ]; find_line already refused control bytes, extensions are ignored. */
static void on_chunk_size_line(novita_http_parser *p, const uint8_t *s, size_t n)
{
    size_t v = 0, i = 0;
    for (; i < n; i++) {
        unsigned h = (unsigned)s[i] - '0';
        if (h > 9u) {
            h = ((unsigned)s[i] | 0x20u) - ('a' - 10u); /* A-F and a-f; anything else lands outside 10..15 */
            if (h - 10u > 5u) {
                break;
            }
        }
        if (v > (HTTP_CHUNK_SIZE_MAX - h) >> 4) {
            break; /* too large: i < n with a hex digit at i fails below */
        }
        v = v * 16u + h;
    }
    size_t j = skip_ows(s, i, n);
    /* at least one digit; whitespace is allowed only before an extension */
    if (i == 0u || (j < n ? s[j] != ';' : j > i)) {
        fail(p, "bad chunk");
        return;
    }
    p->remaining = v;
    p->state = v > 0u ? NOVITA_HTTP_CHUNK_DATA : NOVITA_HTTP_TRAILERS;
}

/* ---- Lines ---- */

/*
 * Status, header, trailer and chunk-size lines, and the CRLF after chunk data (an empty line of at most 2
 * bytes). Returns the bytes used, 0 while the line is incomplete; failures set p->error.
 */
static HTTP_NOINLINE size_t step_line(novita_http_parser *p, const uint8_t *d, size_t len)
{
    novita_http_state st = p->state;
    size_t max = (size_t)NOVITA_MAX_HEADER_BYTES; /* a chunk-size line is bounded like a header block */
    const char *too_long = "bad chunk";
    if (st == NOVITA_HTTP_CHUNK_DATA_END) {
        max = 2u; /* exactly CRLF: anything else means the chunk size lied */
    } else if (st != NOVITA_HTTP_CHUNK_SIZE) {
        max -= p->header_bytes; /* status, header and trailer lines all draw from the one header budget */
        too_long = "headers too large";
    }
    size_t n = find_line(p, d, len, max, too_long);
    if (n == 0u) {
        return 0;
    }
    if (st == NOVITA_HTTP_CHUNK_DATA_END) {
        p->state = NOVITA_HTTP_CHUNK_SIZE;
    } else if (st == NOVITA_HTTP_CHUNK_SIZE) {
        on_chunk_size_line(p, d, n - 2u);
    } else {
        p->header_bytes += n;
        if (st == NOVITA_HTTP_STATUS_LINE) {
            on_status_line(p, d, n - 2u);
        } else {
            on_field_line(p, d, n - 2u);
        }
    }
    return n;
}

/* ---- Public functions ---- */

void novita_http_parser_init(novita_http_parser *p)
{
    if (p != NULL) {
        p->no_body = false;
        begin_response(p, 0, 0, 1u);
    }
}

novita_result novita_http_parse(novita_http_parser *p, const uint8_t *data, size_t len, size_t *consumed,
                                const novita_body_sink *sink)
{
    size_t pos = 0;
    if (consumed != NULL) {
        *consumed = 0;
    }
    if (p == NULL || consumed == NULL || (data == NULL && len > 0u)) {
        return NOVITA_ERR_INVALID_ARG;
    }
    novita_result r = p->failure;
    while (r == NOVITA_OK && pos < len && p->state != NOVITA_HTTP_DONE) {
        novita_http_state st = p->state;
        size_t n = len - pos;
        if (st == NOVITA_HTTP_BODY_LENGTH || st == NOVITA_HTTP_BODY_UNTIL_CLOSE || st == NOVITA_HTTP_CHUNK_DATA) {
            /* as much body as is both present and expected */
            if (st != NOVITA_HTTP_BODY_UNTIL_CLOSE && p->remaining < n) {
                n = p->remaining;
            }
            if (n > SIZE_MAX - p->body_received) {
                fail(p, "body too large");
                r = NOVITA_ERR_PROTOCOL;
                break;
            }
            if (sink != NULL && sink->write != NULL && (r = sink->write(sink->ctx, data + pos, n)) != NOVITA_OK) {
                break;
            }
            p->body_received += n;
            if (st != NOVITA_HTTP_BODY_UNTIL_CLOSE && (p->remaining -= n) == 0u) {
                p->state = st == NOVITA_HTTP_CHUNK_DATA ? NOVITA_HTTP_CHUNK_DATA_END : NOVITA_HTTP_DONE;
            }
        } else {
            n = step_line(p, data + pos, n);
            if (p->error != NULL) {
                r = NOVITA_ERR_PROTOCOL;
                break;
            }
            if (n == 0u) {
                break; /* an incomplete line: more bytes are needed */
            }
        }
        pos += n;
    }
    *consumed = pos;
    p->failure = r;
    return r;
}

novita_result novita_http_finish(novita_http_parser *p)
{
    if (p == NULL) {
        return NOVITA_ERR_INVALID_ARG;
    }
    if (p->failure == NOVITA_OK) {
        if (p->state == NOVITA_HTTP_BODY_UNTIL_CLOSE || p->state == NOVITA_HTTP_DONE) {
            p->state = NOVITA_HTTP_DONE; /* for a read-until-close body, the close was its end */
            return NOVITA_OK;
        }
        /* trailers are the last part of a chunked body */
        fail(p, p->state <= NOVITA_HTTP_HEADERS ? "truncated headers" : "truncated body");
        p->failure = NOVITA_ERR_PROTOCOL;
    }
    return p->failure;
}

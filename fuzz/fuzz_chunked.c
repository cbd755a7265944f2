/*
 * libFuzzer target: chunked transfer decoding inside the HTTP response parser.
 *
 * Input: [split seed][piece size class][head choice] then the bytes after a fixed chunked response head,
 * i.e. chunk-size lines, chunk data, the last chunk and trailers. Fixing the head spends every mutation on
 * the chunked framing instead of on reaching it.
 *
 * Checks, on top of the per-call contract in fuzz_http_driver.h:
 * - a fragmented run and a one-piece run agree on everything (result, error, body, bytes consumed);
 * - the parser agrees with a small independent reference decoder: whatever the parser accepts, the
 *   reference decodes to the same body ending at the same byte; and a canonical encoding (hex sizes only,
 *   no extensions, no trailers, sizes within the parser's documented 2^31 cap) that the reference
 *   accepts, the parser must accept too.
 */
#include "fuzz_http_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The heads the body is appended to: HTTP/1.1, and HTTP/1.0 asking for keep-alive (which chunking must
 * not honour). Both end with the blank line. */
static const char *const heads[] = {
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\ntransfer-encoding: CHUNKED\r\n\r\n",
};

#define CHUNK_SIZE_CAP ((uint64_t)1u << 31)

typedef struct ref_result {
    bool complete;   /* a whole chunked body, last chunk and trailer section included */
    bool canonical;  /* only hex sizes within the cap, no extensions, no trailers */
    size_t end;      /* offset just after the final CRLF */
    size_t body_len; /* decoded bytes, written to the caller's buffer */
} ref_result;

static bool isxdigit_ascii(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex_digit(uint8_t c)
{
    return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

/* Offset of the CRLF ending the line at `from`, or len when there is none. */
static size_t ref_line_end(const uint8_t *s, size_t len, size_t from)
{
    for (size_t i = from; i + 1u < len; i++) {
        if (s[i] == '\r' && s[i + 1u] == '\n')
            return i;
    }
    return len;
}

/*
 * RFC 9112 section 7.1 decoding, written for clarity rather than strictness: a size line is hex digits
 * followed by anything, trailer lines are anything up to the empty line. It accepts a superset of what
 * the parser should, and is only trusted on the framing of what both accept.
 */
static ref_result ref_decode(const uint8_t *s, size_t len, uint8_t *body)
{
    ref_result r = { false, true, 0, 0 };
    size_t pos = 0;
    for (;;) {
        size_t eol = ref_line_end(s, len, pos), i = pos;
        uint64_t chunk = 0;
        if (eol == len)
            return r;
        while (i < eol && isxdigit_ascii(s[i])) {
            if (chunk > (uint64_t)len) /* far beyond the input: it can never complete */
                return r;
            chunk = chunk * 16u + (uint64_t)hex_digit(s[i]);
            i++;
        }
        if (i == pos)
            return r;
        if (i != eol || chunk > CHUNK_SIZE_CAP || i - pos > 16u)
            r.canonical = false;
        pos = eol + 2u;
        if (chunk == 0)
            break;
        if (chunk > (uint64_t)(len - pos) || len - pos - (size_t)chunk < 2u)
            return r;
        memcpy(body + r.body_len, s + pos, (size_t)chunk);
        r.body_len += (size_t)chunk;
        pos += (size_t)chunk;
        if (s[pos] != '\r' || s[pos + 1u] != '\n')
            return r;
        pos += 2u;
    }
    for (;;) { /* trailer section */
        size_t eol = ref_line_end(s, len, pos);
        if (eol == len)
            return r;
        if (eol == pos) {
            r.complete = true;
            r.end = eol + 2u;
            return r;
        }
        r.canonical = false;
        pos = eol + 2u;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    uint8_t seed = fuzz_take(&in);
    uint8_t size_class = fuzz_take(&in);
    const char *head = heads[fuzz_take(&in) % (sizeof(heads) / sizeof(heads[0]))];
    size_t head_len = strlen(head), len = head_len + in.len;
    uint8_t *stream = (uint8_t *)malloc(len);
    uint8_t *bodies = (uint8_t *)malloc(3u * (len + 1u));
    fuzz_splitter split;
    http_outcome whole, pieces;
    ref_result ref;

    FUZZ_CHECK(stream != NULL && bodies != NULL, "out of memory in the harness");
    memcpy(stream, head, head_len);
    memcpy(stream + head_len, in.data, in.len);
    whole.body = bodies;
    pieces.body = bodies + len + 1u;

    /* One response only: bytes after the chunked body would start a new response, which
     * fuzz_http_response covers. */
    http_drive(stream, len, NULL, HTTP_SINK_KEEP, 0, 1, &whole);
    fuzz_splitter_init(&split, seed, size_class, len);
    http_drive(stream, len, &split, HTTP_SINK_KEEP, 0, 1, &pieces);
    http_check_same(&whole, &pieces, HTTP_SAME_ALL);

    ref = ref_decode(in.data, in.len, bodies + 2u * (len + 1u));
    if (whole.responses == 1) {
        FUZZ_CHECK(ref.complete, "the parser accepted a chunked body the reference finds incomplete");
        FUZZ_CHECK(ref.end == whole.first_end - head_len, "the parser ended the body at another byte");
        FUZZ_CHECK(ref.body_len == whole.first_body_len &&
                       memcmp(bodies + 2u * (len + 1u), whole.body, ref.body_len) == 0,
                   "the parser decoded another body than the reference");
        FUZZ_CHECK(!whole.keep_alive || head[7] == '1', "keep-alive after a chunked HTTP/1.0 response");
    } else if (ref.complete && ref.canonical) {
        FUZZ_CHECK(false, "the parser refused a canonical chunked body");
    }
    free(bodies);
    free(stream);
    return 0;
}

/*
 * libFuzzer target: the incremental HTTP/1.1 response parser (src/http_response.c) on arbitrary bytes.
 *
 * Input: [split seed][piece size class][sink mode][sink limit] then the bytes "the server sent".
 * Each input is parsed three times:
 *   1. in one piece with a sink that keeps the body (the reference run);
 *   2. in pieces chosen by the first two bytes, same sink: must agree with run 1 in every respect;
 *   3. in the same pieces with the sink chosen by the third byte (NULL sink, sink without write, or a
 *      sink that refuses after a limit): must agree with run 1 on the framing (or, for the refusing
 *      sink, with a one-piece run of that sink on the result).
 * fuzz_http_driver.h checks the per-call contract (consumed <= given, no read past the buffer, sticky
 * failures, bounded pending line, Content-Length honoured, Retry-After within its clamp, in seconds or as
 * an HTTP-date against Date) during every run. Up to four responses are
 * parsed back to back, so parser reuse after DONE and 1xx interim responses are covered too.
 */
#include "fuzz_http_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    uint8_t seed = fuzz_take(&in);
    uint8_t size_class = fuzz_take(&in);
    http_sink_mode mode = (http_sink_mode)(fuzz_take(&in) % HTTP_SINK_MODES);
    size_t fail_after = (size_t)fuzz_take(&in) * 7u;
    fuzz_splitter split;
    http_outcome whole, pieces, other;
    uint8_t *bodies = (uint8_t *)malloc(3u * (in.len + 1u));

    FUZZ_CHECK(bodies != NULL, "out of memory in the harness");
    whole.body = bodies;
    pieces.body = bodies + in.len + 1u;
    other.body = bodies + 2u * (in.len + 1u);

    http_drive(in.data, in.len, NULL, HTTP_SINK_KEEP, 0, HTTP_MAX_RESPONSES, &whole);

    fuzz_splitter_init(&split, seed, size_class, in.len);
    http_drive(in.data, in.len, &split, HTTP_SINK_KEEP, 0, HTTP_MAX_RESPONSES, &pieces);
    http_check_same(&whole, &pieces, HTTP_SAME_ALL);

    fuzz_splitter_init(&split, seed, size_class, in.len);
    http_drive(in.data, in.len, &split, mode, fail_after, HTTP_MAX_RESPONSES, &other);
    if (mode == HTTP_SINK_FAIL_AFTER) {
        /* Where a refusing sink stops depends on piece sizes; only the verdict must match. */
        http_drive(in.data, in.len, NULL, mode, fail_after, HTTP_MAX_RESPONSES, &whole);
        http_check_same(&whole, &other, HTTP_SAME_RESULT);
    } else {
        http_check_same(&whole, &other, HTTP_SAME_FRAMING);
    }
    free(bodies);
    return 0;
}

/*
 * novita_call against the simulator's stand-in serverless worker, over real sockets (HTTP or HTTPS).
 * Usage: test_call BASE_URL CA_FILE|- call
 * The endpoint's url comes from novita_endpoints_get (seed endpoint seed-ep-0001). Prints
 * "CONNECTIONS n" at the end.
 */
#include "test_util.h"
#include "itest.h"

static itest t;
static novita_endpoint ep;
static char url[1024];

typedef struct sink {
    size_t bytes, pieces, mismatches;
    bool pattern; /* check the worker's raw byte pattern */
} sink;

static novita_result on_body(void *user, const uint8_t *data, size_t len)
{
    sink *s = (sink *)user;
    if (s->pattern) {
        for (size_t i = 0; i < len; i++) {
            if (data[i] != (uint8_t)('a' + (int)((s->bytes + i) % 26u)))
                s->mismatches++;
        }
    }
    s->bytes += len;
    s->pieces++;
    return NOVITA_OK;
}

static const char *worker_url(const char *suffix)
{
    snprintf(url, sizeof url, "%s%s", ep.url, suffix);
    return url;
}

static bool body_contains(const novita_call_response *resp, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; resp->body && i + n <= resp->body_len; i++) {
        if (memcmp(resp->body + i, needle, n) == 0)
            return true;
    }
    return false;
}

static void call(const char *base_url)
{
    static const char report[] = "{\"input\":{\"x\":1}}";
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    sink s;
    size_t base_len = strlen(base_url);

    CHECK_EQ_INT(novita_endpoints_get(&t.client, "seed-ep-0001", &ep, NULL), NOVITA_OK);
    CHECK(strncmp(ep.url, base_url, base_len) == 0);
    CHECK_STR(ep.url + base_len, "/__worker/seed-ep-0001");

    /* a small answer, kept in the work buffer */
    req.url = worker_url("/report?unit=c");
    req.body = report;
    req.body_len = sizeof report - 1u;
    CHECK_EQ_INT(novita_call(&t.client, &req, &resp, NULL), NOVITA_OK);
    CHECK_EQ_INT(resp.status, 200);
    CHECK(body_contains(&resp, "\"endpointId\":\"seed-ep-0001\""));
    CHECK(body_contains(&resp, "\"path\":\"/report\""));
    CHECK(body_contains(&resp, "\"bodyBytes\":17"));
    CHECK(body_contains(&resp, "\"input\":{\"input\":{\"x\":1}}"));

    /* raw bytes with their own content type: sent as they are */
    {
        static const uint8_t blob[8] = { 0x00, 0x01, 0xFF, 'b', 'i', 'n', '\r', '\n' };
        novita_call_request raw = NOVITA_CALL_REQUEST_INIT;
        raw.url = worker_url("/blob");
        raw.content_type = "application/octet-stream";
        raw.body = blob;
        raw.body_len = sizeof blob;
        CHECK_EQ_INT(novita_call(&t.client, &raw, &resp, NULL), NOVITA_OK);
        CHECK(body_contains(&resp, "\"bodyBytes\":8"));
        CHECK(body_contains(&resp, "\"input\":null"));
        CHECK(body_contains(&resp, "\"contentType\":\"application/octet-stream\""));
    }

    /* about 1 MB of JSON through a 16 KB work buffer, chunked and not */
    for (int chunked = 0; chunked <= 1; chunked++) {
        memset(&s, 0, sizeof s);
        req.url = worker_url(chunked ? "?size=1000000&chunked=1" : "?size=1000000&chunked=0");
        req.on_body = on_body;
        req.user = &s;
        CHECK_EQ_INT(novita_call(&t.client, &req, &resp, NULL), NOVITA_OK);
        CHECK(s.bytes >= 1000000 && s.bytes < 1000100);
        CHECK_EQ_UINT(resp.body_len, s.bytes);
        CHECK(s.pieces > 1);
    }

    /* raw bytes, GET, checked byte for byte */
    memset(&s, 0, sizeof s);
    s.pattern = true;
    req.method = "GET";
    req.body = NULL;
    req.body_len = 0;
    req.url = worker_url("?raw=1&size=300000");
    CHECK_EQ_INT(novita_call(&t.client, &req, &resp, NULL), NOVITA_OK);
    CHECK_EQ_UINT(s.bytes, 300000);
    CHECK_EQ_UINT(s.mismatches, 0);

    /* too big for the work buffer without a callback: a clear error */
    req.on_body = NULL;
    req.url = worker_url("?size=100000");
    CHECK_EQ_INT(novita_call(&t.client, &req, &resp, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK(novita_client_last_error(&t.client)->needed >= 100000);

    /* error statuses: the body still comes back; a POST is sent once, a GET retried */
    req.method = NULL;
    req.body = report;
    req.body_len = sizeof report - 1u;
    req.url = worker_url("?status=503");
    CHECK_EQ_INT(novita_call(&t.client, &req, &resp, NULL), NOVITA_ERR_SERVER);
    CHECK_EQ_INT(resp.status, 503);
    CHECK_EQ_UINT(novita_client_last_error(&t.client)->attempts, 1);
    CHECK(body_contains(&resp, "\"endpointId\":\"seed-ep-0001\""));
    req.method = "GET";
    req.body = NULL;
    req.body_len = 0;
    CHECK_EQ_INT(novita_call(&t.client, &req, &resp, NULL), NOVITA_ERR_SERVER);
    CHECK_EQ_UINT(novita_client_last_error(&t.client)->attempts, 4);
    req.url = worker_url("x-unknown");
    CHECK_EQ_INT(novita_call(&t.client, &req, &resp, NULL), NOVITA_ERR_NOT_FOUND);
    CHECK_EQ_INT(resp.status, 404);

    /* the async gateway's run path (on the simulator's host) */
    snprintf(url, sizeof url, "%s/v1/%s-%s/run", base_url, ep.id, ep.app_name);
    req.url = url;
    req.method = NULL;
    req.body = report;
    req.body_len = sizeof report - 1u;
    CHECK_EQ_INT(novita_call(&t.client, &req, &resp, NULL), NOVITA_OK);
    CHECK(body_contains(&resp, "\"status\":\"IN_QUEUE\""));

    /* and back to the API on the same client */
    CHECK_EQ_INT(novita_endpoints_get(&t.client, "seed-ep-0002", &ep, NULL), NOVITA_OK);
    CHECK_STR(ep.id, "seed-ep-0002");
}

int main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[3], "call") != 0) {
        fprintf(stderr, "usage: %s BASE_URL CA_FILE|- call\n", argv[0]);
        return 2;
    }
    if (itest_init(&t, argv[1], argv[2]) != 0)
        return 1;
    call(argv[1]);
    printf("CONNECTIONS %u\n", t.client.connections_opened);
    itest_free(&t);
    return TEST_REPORT();
}

/* Reliability against hostile or broken servers, through the scripted fake port: every bad response ends
 * in a clear error, caller structs never keep half-decoded data, a failed connection is never reused,
 * and Retry-After (seconds or HTTP-date) drives the backoff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_port.h"
#include "novita/novita.h"
#include "test_util.h"

static uint8_t work[8192];
static novita_json_token tokens[128];
static novita_client client;
static fake_port fake;
static char response_buf[FAKE_MAX_RESPONSES][300000];

/* A fresh fake port and the configuration every test starts from; the test adjusts it, then initialises. */
static void fresh_config(novita_client_config *cfg)
{
    fake_port_init(&fake);
    novita_client_config_init(cfg);
    cfg->api_key = "secret-key-123";
    cfg->base_url = "http://api.example";
}

static void setup(size_t chunk)
{
    novita_client_config cfg;
    fresh_config(&cfg);
    fake.chunk = chunk;
    cfg.retry_base_ms = 100;
    cfg.retry_max_ms = 60000;
    cfg.deadline_ms = 0;
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 128), NOVITA_OK);
}

static void script_raw(size_t i, const char *bytes, size_t len)
{
    memcpy(response_buf[i], bytes, len);
    response_buf[i][len] = '\0'; /* an empty response must read as empty (response_len 0 = strlen) */
    fake_port_respond(&fake, i, response_buf[i], len);
}

static void script(size_t i, const char *head_extra, int status, const char *body)
{
    char head[512];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\n%sContent-Length: %lu\r\n\r\n", status,
                     head_extra ? head_extra : "", (unsigned long)strlen(body));
    memcpy(response_buf[i], head, (size_t)n);
    memcpy(response_buf[i] + n, body, strlen(body));
    fake_port_respond(&fake, i, response_buf[i], (size_t)n + strlen(body));
}

/* ------------------------------------------------------------------ Retry-After */

static void test_retry_after_forms(void)
{
    novita_instance inst;
    /* an HTTP-date 7 s after the response's Date: the client waits 7 s (more than its own backoff) */
    setup(0);
    script(0, "Date: Sat, 21 Nov 2026 10:00:00 GMT\r\nRetry-After: Sat, 21 Nov 2026 10:00:07 GMT\r\n", 503, "{}");
    script(1, NULL, 200, "{\"id\":\"i\"}");
    CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_OK);
    CHECK_EQ_UINT(fake.sleeps, 1);
    CHECK_EQ_UINT(fake.slept_ms, 7000);
    CHECK_EQ_UINT(novita_client_last_error(&client)->attempts, 2);
    /* seconds form on 429 */
    setup(0);
    script(0, "Retry-After: 3\r\n", 429, "{\"reason\":\"RATE_LIMIT_EXCEEDED\"}");
    script(1, NULL, 200, "{\"id\":\"i\"}");
    CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_OK);
    CHECK_EQ_UINT(fake.slept_ms, 3000);
    /* a date without a Date header cannot be measured: the client's own backoff (50..100% of 100 ms) */
    setup(0);
    script(0, "Retry-After: Sat, 21 Nov 2026 10:00:07 GMT\r\n", 503, "{}");
    script(1, NULL, 200, "{\"id\":\"i\"}");
    CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_OK);
    CHECK(fake.slept_ms >= 50 && fake.slept_ms <= 100);
    /* retries exhausted: the last error and the attempt count are reported */
    setup(0);
    for (size_t i = 0; i < 4; i++)
        script(i, "Retry-After: 0\r\n", 429, "{\"reason\":\"RATE_LIMIT_EXCEEDED\",\"message\":\"slow down\"}");
    CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_ERR_RATE_LIMITED);
    CHECK_EQ_UINT(novita_client_last_error(&client)->attempts, 4);
    CHECK_STR(novita_client_last_error(&client)->reason, "RATE_LIMIT_EXCEEDED");
    CHECK_EQ_UINT(fake.requests, 4);
}

/* ------------------------------------------------------------------ hostile responses */

static char big[300000];

typedef struct hostile_case {
    const char *name;
    const char *response; /* whole response, or the body of a 200 with its Content-Length when is_body */
    bool is_body;
    novita_result expected;
} hostile_case;

static void check_hostile_get(const char *name, const char *bytes, size_t len, novita_result expected)
{
    static novita_instance inst;
    unsigned connects;
    TEST_CONTEXT(name);
    for (size_t chunk = 0; chunk <= 1; chunk++) {
        setup(chunk ? 7 : 0);
        script_raw(0, bytes, len);
        fake.close_after_response = 1;
        memset(&inst, 0xA5, sizeof inst);
        CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), expected);
        CHECK(test_all_zero(&inst, sizeof inst));
        CHECK(!client.connected);
        CHECK(novita_client_last_error(&client)->message[0] != '\0');
        /* the next call opens a fresh connection */
        connects = fake.connects;
        script(1, NULL, 200, "{\"id\":\"ok\"}");
        fake.close_after_response = 0;
        fake.served = 1; /* whatever part of response 0 was read, the next request gets response 1 */
        CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_OK);
        CHECK_EQ_UINT(fake.connects, connects + 1u);
        CHECK_STR(inst.id, "ok");
    }
    TEST_CONTEXT(NULL);
}

static void test_hostile_responses(void)
{
    static const hostile_case cases[] = {
        { "garbage status line", "HTTP/9 OK\r\n\r\n", false, NOVITA_ERR_PROTOCOL },
        { "status out of range", "HTTP/1.1 999 X\r\nContent-Length: 0\r\n\r\n", false, NOVITA_ERR_PROTOCOL },
        { "NUL in a header", NULL, false, NOVITA_ERR_PROTOCOL },
        { "two lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", false,
          NOVITA_ERR_PROTOCOL },
        { "bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", false,
          NOVITA_ERR_PROTOCOL },
        { "huge chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", false,
          NOVITA_ERR_PROTOCOL },
        { "body cut short", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":\"half", false, NOVITA_ERR_NETWORK },
        { "chunked cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"id\"", false,
          NOVITA_ERR_NETWORK }, /* early closes: retried, and the retries find the server gone */
        { "closed before any byte", "", false, NOVITA_ERR_NETWORK },
        { "invalid JSON", "{\"id\":\"x}", true, NOVITA_ERR_DECODE },
        { "wrong type", "{\"id\":\"x\",\"gpuNum\":\"a\"}", true, NOVITA_ERR_DECODE },
        { "object where a string goes", "{\"id\":\"x\",\"name\":{\"a\":[1,2,3]}}", true, NOVITA_ERR_DECODE },
        { "JSON array body", "[1,2,3]", true, NOVITA_ERR_DECODE },
        { "trailing garbage", "{\"id\":\"x\"} {}", true, NOVITA_ERR_DECODE },
    };
    static const char nul_header[] = "HTTP/1.1 200 OK\r\nX: a\0b\r\nContent-Length: 2\r\n\r\n{}";
    static char built[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *bytes = cases[i].response;
        size_t len;
        if (!bytes) {
            bytes = nul_header;
            len = sizeof nul_header - 1u;
        } else if (cases[i].is_body) {
            len = (size_t)snprintf(built, sizeof built, "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\n\r\n%s",
                                   (unsigned long)strlen(cases[i].response), cases[i].response);
            bytes = built;
        } else {
            len = strlen(bytes);
        }
        check_hostile_get(cases[i].name, bytes, len, cases[i].expected);
    }
}

static void test_oversized_inputs(void)
{
    size_t n;
    /* endless headers: stopped at NOVITA_MAX_HEADER_BYTES, long before the 200 KB arrive */
    n = (size_t)snprintf(big, sizeof big, "HTTP/1.1 200 OK\r\n");
    while (n < 200000)
        n += (size_t)snprintf(big + n, sizeof big - n, "X-Filler: %s\r\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    check_hostile_get("endless headers", big, n, NOVITA_ERR_PROTOCOL);
    /* a 10 MB body announced for an object: a clear buffer error once the work buffer is full */
    n = (size_t)snprintf(big, sizeof big, "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n{\"id\":\"");
    memset(big + n, 'a', 100000);
    n += 100000;
    check_hostile_get("10 MB body", big, n, NOVITA_ERR_BUFFER_TOO_SMALL);
    /* deep nesting inside an unknown key */
    n = (size_t)snprintf(big, sizeof big, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n{\"x\":", 5 + 2 * 5000 + 1);
    for (int k = 0; k < 5000; k++)
        big[n++] = '[';
    for (int k = 0; k < 5000; k++)
        big[n++] = ']';
    big[n++] = '}';
    check_hostile_get("5000 nested arrays", big, n, NOVITA_ERR_BUFFER_TOO_SMALL);
    /* a string longer than its member: named, never truncated */
    {
        static novita_instance inst;
        static char body[2048];
        size_t body_len = (size_t)snprintf(body, sizeof body, "{\"id\":\"i\",\"name\":\"");
        memset(body + body_len, 'n', 1000);
        body_len += 1000;
        memcpy(body + body_len, "\"}", 3);
        setup(0);
        script(0, NULL, 200, body);
        CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
        CHECK_STR(novita_client_last_error(&client)->what, "instance.name");
        CHECK(test_all_zero(&inst, sizeof inst));
    }
}

/* A list whose third element is bad: the first two stay (count says so), the slot being decoded is zeroed. */
static void test_list_failure_midway(void)
{
    static novita_instance items[4];
    novita_list list = NOVITA_LIST_ARRAY(items);
    setup(3);
    script(0, NULL, 200, "{\"instances\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\",\"gpuNum\":\"x\"},{\"id\":\"d\"}],"
                         "\"total\":4}");
    memset(items, 0xA5, sizeof items);
    CHECK_EQ_INT(novita_instances_list(&client, NULL, &list, NULL), NOVITA_ERR_DECODE);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_STR(items[0].id, "a");
    CHECK_STR(items[1].id, "b");
    CHECK(test_all_zero(&items[2], sizeof items[2]));
}

/* The API key never appears in the log hook's output or in error messages. */
static char trace_text[65536];
static size_t trace_len;

static void capture(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    if (trace_len + len < sizeof trace_text) {
        memcpy(trace_text + trace_len, text, len);
        trace_len += len;
        trace_text[trace_len] = '\0';
    }
}

static void test_key_masked_in_traces(void)
{
    novita_client_config cfg;
    novita_instance inst;
    fresh_config(&cfg);
    cfg.log = capture;
    trace_len = 0;
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 128), NOVITA_OK);
    script(0, NULL, 401, "{\"reason\":\"UNAUTHORIZED\",\"message\":\"bad key secret-key-123\"}");
    CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_ERR_AUTH);
    CHECK(strstr(trace_text, "Authorization: Bearer ***") != NULL);
    CHECK(strstr(trace_text, "secret-key-123") == NULL);
    CHECK(strstr(fake.sent, "Authorization: Bearer secret-key-123\r\n") != NULL); /* it was sent, only masked */
    /* a server echoing the key in its error message: masked there too */
    CHECK(strstr(novita_client_last_error(&client)->message, "secret-key-123") == NULL);
    CHECK_STR(novita_client_last_error(&client)->message, "bad key ***");
}

/* The key echoed in `reason`, cut off at the end of `message` (a long text truncated to the field), and
 * control characters meant to forge log lines: all cleaned before the error reaches the application. */
static void test_server_texts_cleaned(void)
{
    char body[600], message[400];
    const novita_error *e;
    novita_instance inst;
    setup(0);
    memset(message, 'x', sizeof message);
    /* "...xxx secret-key-123" where the field (NOVITA_TEXT_MAX) cuts the key after "secret-k" */
    memcpy(message + NOVITA_TEXT_MAX - 1 - 9, " secret-key-123", 15);
    message[NOVITA_TEXT_MAX - 1 - 9 + 15] = '\0';
    snprintf(body, sizeof body, "{\"reason\":\"KEY secret-key-123 REJECTED\",\"message\":\"%s\"}", message);
    script(0, NULL, 400, body);
    CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_ERR_API);
    e = novita_client_last_error(&client);
    CHECK_STR(e->reason, "KEY *** REJECTED");
    CHECK(strstr(e->message, "secret-k") == NULL);
    CHECK(strlen(e->message) > 200 && strcmp(e->message + strlen(e->message) - 4, " ***") == 0);

    script(1, NULL, 500, "{\"reason\":\"X\\r\\nY\",\"message\":\"line one\\nERROR forged\\u0007\"}");
    CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, &(novita_call_opts){ 0, 0, 0 }), NOVITA_ERR_SERVER);
    CHECK_STR(e->reason, "X  Y");
    CHECK_STR(e->message, "line one ERROR forged ");
}

/* A key with a control character (a trailing newline from fgets) would go into the request head as it is. */
static void test_api_key_checked(void)
{
    static const char *const bad[] = { "sk_live\n", "sk live", "sk\r\nX-Injected: 1", "sk\x7f" };
    novita_client_config cfg;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fresh_config(&cfg);
        cfg.api_key = bad[i];
        CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 128),
                     NOVITA_ERR_INVALID_ARG);
        CHECK(strstr(novita_client_last_error(&client)->message, "api_key") != NULL);
    }
    cfg.api_key = "sk_\xc3\xa9-utf8-is-fine"; /* bytes above 0x7F are not control characters */
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 128), NOVITA_OK);
}

/* A retry cap near UINT32_MAX: the doubling stops at the cap instead of wrapping to no wait at all. */
static void test_backoff_never_wraps(void)
{
    novita_client_config cfg;
    novita_instance inst;
    fresh_config(&cfg);
    cfg.retry_base_ms = 1000;
    cfg.retry_max_ms = UINT32_MAX;
    cfg.deadline_ms = 0;
    cfg.max_retries = 40;
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 128), NOVITA_OK);
    fake.connect_result = NOVITA_PORT_ERR_CONNECT;
    CHECK_EQ_INT(novita_instances_get(&client, "i", &inst, NULL), NOVITA_ERR_NETWORK);
    CHECK_EQ_UINT(fake.sleeps, 40);
    CHECK_EQ_UINT(novita_client_last_error(&client)->attempts, 41);
    /* from the 23rd on, each sleep is at least half of the cap (jitter: 50 to 100% of the delay) */
    CHECK(fake.last_sleep_ms >= UINT32_MAX / 2u);
    CHECK(fake.slept_ms >= (uint64_t)18 * (UINT32_MAX / 2u));
}

/* The size a too-small work buffer reports is enough when given: it counts the state kept in its tail. */
static void test_needed_is_enough(void)
{
    static uint8_t small_work[2048];
    static uint8_t sized_work[8192];
    novita_instance_create q;
    novita_env_spec envs[40];
    char id[64];
    size_t needed;
    novita_client_config cfg;
    memset(&q, 0, sizeof q);
    for (size_t i = 0; i < 40; i++) {
        envs[i].key = "SOME_RATHER_LONG_ENVIRONMENT_KEY";
        envs[i].value = "and-a-value-that-takes-some-room";
    }
    q.product_id = "p";
    q.image_url = "img";
    q.envs = envs;
    q.env_count = 40;
    fresh_config(&cfg);
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, small_work, sizeof small_work, tokens, 128), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
    needed = novita_client_last_error(&client)->needed;
    CHECK(needed > sizeof small_work && needed <= sizeof sized_work);
    fake_port_init(&fake);
    script(0, NULL, 200, "{\"id\":\"new\"}");
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, sized_work, needed, tokens, 128), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), NOVITA_OK);
    CHECK_STR(id, "new");
}

int main(void)
{
    test_retry_after_forms();
    test_hostile_responses();
    test_oversized_inputs();
    test_list_failure_midway();
    test_key_masked_in_traces();
    test_server_texts_cleaned();
    test_api_key_checked();
    test_backoff_never_wraps();
    test_needed_is_enough();
    return TEST_REPORT();
}

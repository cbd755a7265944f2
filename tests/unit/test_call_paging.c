/* novita_call (streamed and buffered bodies, host switching, resend rules) and the all-pages list walk
 * (0- and 1-based servers, repeated pages, stopping rules), through the scripted fake port. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_port.h"
#include "novita/novita.h"
#include "test_util.h"

#define STARTS_WITH(s, prefix) (strncmp((s), (prefix), strlen(prefix)) == 0)

static uint8_t work[4096];
static novita_json_token tokens[64];
static novita_client client;
static fake_port fake;
static char response_buf[FAKE_MAX_RESPONSES][70000];

static void setup(size_t chunk)
{
    CHECK_EQ_INT(fake_client_init(&client, &fake, chunk, "https://api.example:8443/v", 10, work, sizeof work, tokens,
                                  64),
                 NOVITA_OK);
}

static void script_raw(size_t i, const char *head, const char *body, size_t body_len)
{
    int n = snprintf(response_buf[i], sizeof response_buf[i], "%s", head);
    memcpy(response_buf[i] + n, body, body_len);
    fake_port_respond(&fake, i, response_buf[i], (size_t)n + body_len);
}

static void script(size_t i, int status, const char *body)
{
    char head[128];
    snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Length: %lu\r\n\r\n", status,
             (unsigned long)strlen(body));
    script_raw(i, head, body, strlen(body));
}

/* ------------------------------------------------------------------ novita_call */

typedef struct sink {
    size_t bytes;
    size_t pieces;
    size_t mismatches; /* bytes that differ from the expected pattern */
    size_t stop_after; /* 0 = never stop */
} sink;

static char pattern_at(size_t i)
{
    return (char)('a' + (int)(i % 26u));
}

static novita_result on_body(void *user, const uint8_t *data, size_t len)
{
    sink *s = (sink *)user;
    CHECK(len > 0);
    for (size_t i = 0; i < len; i++) {
        if ((char)data[i] != pattern_at(s->bytes + i))
            s->mismatches++;
    }
    s->bytes += len;
    s->pieces++;
    if (s->stop_after && s->bytes >= s->stop_after)
        return NOVITA_ERR_CANCELLED;
    return NOVITA_OK;
}

static char big[60000];

static void fill_pattern(size_t n)
{
    for (size_t i = 0; i < n; i++)
        big[i] = pattern_at(i);
}

static void test_call_streams_body_larger_than_work_buffer(void)
{
    static const char report[] = "{\"input\":{\"t\":21.5}}";
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    sink s;
    char chunked[70000];
    size_t n = 0, at = 0;
    fill_pattern(50000);
    /* chunked, with pieces of varying size: the callback sees the de-chunked bytes in order */
    n += (size_t)snprintf(chunked, sizeof chunked, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    while (at < 50000) {
        size_t k = 50000 - at < 1234 ? 50000 - at : 1234;
        n += (size_t)snprintf(chunked + n, sizeof chunked - n, "%lx\r\n%.*s\r\n", (unsigned long)k, (int)k,
                              big + at);
        at += k;
    }
    n += (size_t)snprintf(chunked + n, sizeof chunked - n, "0\r\n\r\n");
    for (size_t piece = 0; piece <= 7; piece += 7) {
        setup(piece);
        script_raw(0, "", chunked, n);
        memset(&s, 0, sizeof s);
        req.url = "http://worker.example:9000/__worker/ep1/report?x=1";
        req.body = report;
        req.body_len = sizeof report - 1;
        req.on_body = on_body;
        req.user = &s;
        CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
        CHECK_EQ_INT(resp.status, 200);
        CHECK_EQ_UINT(resp.body_len, 50000);
        CHECK(resp.body == NULL);
        CHECK_EQ_UINT(s.bytes, 50000);
        CHECK_EQ_UINT(s.mismatches, 0);
        CHECK(s.pieces > 1);
        CHECK_STR(fake.last_host, "worker.example");
        CHECK_EQ_UINT(fake.last_port, 9000);
        CHECK(!fake.last_tls);
        {
            const char *sent = fake_port_request(&fake, 0);
            CHECK(STARTS_WITH(sent, "POST /__worker/ep1/report?x=1 HTTP/1.1\r\nHost: worker.example:9000\r\n"));
            CHECK(strstr(sent, "Authorization: Bearer test-key\r\n") != NULL);
            CHECK(strstr(sent, "Content-Type: application/json\r\n") != NULL);
            CHECK(strstr(sent, "Content-Length: 20\r\n\r\n{\"input\":{\"t\":21.5}}") != NULL);
        }
    }
}

static void test_call_buffered_and_too_small(void)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    setup(0);
    script(0, 200, "{\"output\":\"ok\"}");
    req.url = "https://api.example:8443/other";
    req.method = "GET";
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
    CHECK_EQ_UINT(resp.body_len, 15);
    CHECK(resp.body != NULL && memcmp(resp.body, "{\"output\":\"ok\"}", 15) == 0);
    CHECK(STARTS_WITH(fake_port_request(&fake, 0), "GET /other HTTP/1.1\r\nHost: api.example:8443\r\n"));
    CHECK(strstr(fake_port_request(&fake, 0), "Content-Length") == NULL);

    /* a body larger than the work buffer without a callback: a clear error with the size needed */
    fill_pattern(10000);
    script(1, 200, "");
    {
        char head[128];
        snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n");
        script_raw(1, head, big, 10000);
    }
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK_STR(novita_client_last_error(&client)->what, "work buffer (response body)");
    CHECK(novita_client_last_error(&client)->needed >= 10000);
}

static void test_call_error_status_keeps_body(void)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    setup(3);
    script(0, 422, "{\"message\":\"bad input\"}");
    req.url = "http://w.example/run";
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_API);
    CHECK_EQ_INT(resp.status, 422);
    CHECK(resp.body != NULL && resp.body_len == 23 && memcmp(resp.body, "{\"message\":\"bad input\"}", 23) == 0);
    CHECK_STR(novita_client_last_error(&client)->message, "bad input");
    /* an empty POST still says Content-Length: 0 */
    CHECK(strstr(fake_port_request(&fake, 0), "Content-Length: 0\r\n") != NULL);
    CHECK(STARTS_WITH(fake_port_request(&fake, 0), "POST /run HTTP/1.1\r\nHost: w.example\r\n"));
}

static void test_call_resend_rules(void)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    sink s;
    /* POST answered 503: never resent */
    setup(0);
    script(0, 503, "{}");
    script(1, 200, "{}");
    req.url = "http://w.example/run";
    req.body = "{}";
    req.body_len = 2;
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_SERVER);
    CHECK_EQ_UINT(fake.requests, 1);
    CHECK_EQ_UINT(novita_client_last_error(&client)->attempts, 1);
    /* GET answered 503: retried */
    setup(0);
    script(0, 503, "{}");
    script(1, 200, "abc");
    req.method = "GET";
    req.body = NULL;
    req.body_len = 0;
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
    CHECK_EQ_UINT(fake.requests, 2);
    CHECK_EQ_UINT(novita_client_last_error(&client)->attempts, 2);
    /* a GET whose body bytes already reached the callback is not retried after a cut */
    setup(0);
    script_raw(0, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "abcdefghij", 10);
    fake.close_after_response = 1;
    script(1, 200, "abc");
    memset(&s, 0, sizeof s);
    req.on_body = on_body;
    req.user = &s;
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_NETWORK);
    CHECK_EQ_UINT(fake.requests, 1);
    CHECK_EQ_UINT(s.bytes, 10);
    /* the callback stops the call */
    setup(1);
    fill_pattern(500);
    {
        char head[128];
        snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n");
        script_raw(0, head, big, 500);
    }
    memset(&s, 0, sizeof s);
    s.stop_after = 100;
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_CANCELLED);
    CHECK_EQ_UINT(s.bytes, 100);
    CHECK(!client.connected);
}

static void test_call_switches_hosts(void)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    novita_cluster clusters[2];
    novita_list list = NOVITA_LIST_ARRAY(clusters);
    setup(0);
    script(0, 200, "{\"data\":[]}");
    script(1, 200, "{}");
    script(2, 200, "{}");
    script(3, 200, "{\"data\":[]}");
    CHECK_EQ_INT(novita_clusters_list(&client, &list, NULL), NOVITA_OK);
    CHECK_STR(fake.last_host, "api.example");
    CHECK(fake.last_tls);
    req.url = "http://w.example:81/a";
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK); /* same host: reused */
    CHECK_EQ_INT(novita_clusters_list(&client, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(fake.connects, 3);
    CHECK_STR(fake.last_host, "api.example");
    CHECK_EQ_UINT(fake.last_port, 8443);
    CHECK(STARTS_WITH(fake_port_request(&fake, 3), "GET /v/gpu-instance/openapi/v1/clusters HTTP/1.1\r\n"
                                                   "Host: api.example:8443\r\n"));
}

/* An IPv6 literal: Host keeps the brackets, the port resolves the address without them, and a second call
 * to the same literal reuses the connection. */
static void test_call_ipv6_literal(void)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    setup(0);
    script(0, 200, "{}");
    script(1, 200, "{}");
    req.url = "http://[fe80::1]:8080/run?x=1";
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
    CHECK_EQ_UINT(fake.connects, 1);
    CHECK_STR(fake.last_host, "fe80::1");
    CHECK_EQ_UINT(fake.last_port, 8080);
    CHECK(!fake.last_tls);
    CHECK(STARTS_WITH(fake_port_request(&fake, 0), "POST /run?x=1 HTTP/1.1\r\nHost: [fe80::1]:8080\r\n"));
}

static void test_call_invalid_arguments(void)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    static const char *const bad_urls[] = { "ftp://x/", "http://", "http://user@h/", "http://h/#frag",
                                            "http://h:99999/", "http://h/a b", "http://[::1/",
                                            "http://[]/", "http://[::1]x/",
                                            "http://h\r\nX-Injected: 1/", "http://h x/", "http://h\x7f:80/" };
    setup(0);
    CHECK_EQ_INT(novita_call(&client, NULL, &resp, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_INVALID_ARG); /* no url */
    for (size_t i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        TEST_CONTEXT(bad_urls[i]);
        req.url = bad_urls[i];
        CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_INVALID_ARG);
        CHECK(STARTS_WITH(novita_client_last_error(&client)->message, "url "));
    }
    TEST_CONTEXT(NULL);
    req.url = "http://h/";
    req.method = "get";
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_INVALID_ARG);
    req.method = NULL;
    req.body_len = 3;
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_INVALID_ARG);
    req.body_len = 0;
    /* a content type is a header value: CR or LF would add header lines of the caller's making */
    req.content_type = "application/json\r\nX-Injected: 1";
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK(STARTS_WITH(novita_client_last_error(&client)->message, "content_type "));
    req.content_type = "";
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_UINT(fake.connects, 0);
}

/* A response to HEAD ends with its headers, whatever Content-Length or Transfer-Encoding say: the next
 * response on the kept-alive connection follows at once. */
static void test_call_head(void)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    for (size_t chunk = 0; chunk <= 1; chunk++) {
        setup(chunk);
        script_raw(0, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", "", 0);
        script_raw(1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "", 0);
        script(2, 200, "{\"after\":1}");
        req.url = "https://api.example:8443/health";
        req.method = "HEAD";
        CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
        CHECK_EQ_INT(resp.status, 200);
        CHECK_EQ_UINT(resp.body_len, 0);
        CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
        CHECK_EQ_UINT(resp.body_len, 0);
        req.method = "GET";
        CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_OK);
        CHECK_EQ_UINT(resp.body_len, 11);
        CHECK_EQ_UINT(fake.requests, 3);
        CHECK_EQ_UINT(fake.connects, 1); /* one connection for all three */
    }
}

/* A callback may stop the call with any code of its own, NOVITA_ERR_PROTOCOL included ("not what my device
 * expects"): the call returns it, as for any other code. */
static novita_result refuse_body(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return NOVITA_ERR_PROTOCOL;
}

static novita_result refuse_item(void *user, const void *item)
{
    (void)user;
    (void)item;
    return NOVITA_ERR_PROTOCOL;
}

static void test_callback_own_codes(void)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    novita_instance one;
    novita_list list = NOVITA_LIST_CALLBACK(&one, refuse_item, NULL);
    setup(0);
    script(0, 200, "hello");
    req.url = "http://w.example/run";
    req.on_body = refuse_body;
    CHECK_EQ_INT(novita_call(&client, &req, &resp, NULL), NOVITA_ERR_PROTOCOL);
    CHECK_EQ_INT(novita_client_last_error(&client)->result, NOVITA_ERR_PROTOCOL);
    script(1, 200, "{\"instances\":[{\"id\":\"a\"},{\"id\":\"b\"}]}");
    CHECK_EQ_INT(novita_instances_list(&client, NULL, &list, NULL), NOVITA_ERR_PROTOCOL);
    CHECK_EQ_UINT(list.received, 1);
}

/* ------------------------------------------------------------------ all-pages walk */

typedef struct seen {
    char ids[64][NOVITA_ID_MAX];
    size_t count;
} seen;

static novita_result collect(void *user, const void *item)
{
    seen *s = (seen *)user;
    const novita_instance *in = (const novita_instance *)item;
    if (s->count < 64)
        memcpy(s->ids[s->count], in->id, sizeof in->id);
    s->count++;
    return NOVITA_OK;
}

static novita_instance scratch;

static int CHECK_OK(novita_result r)
{
    CHECK_EQ_INT(r, NOVITA_OK);
    return r == NOVITA_OK;
}

/* A page of instances "p<first>".."p<first+n-1>" with a total (or none when total < 0). */
static void script_page(size_t i, int first, int n, int total)
{
    char body[4096];
    size_t len = 0;
    len += (size_t)snprintf(body, sizeof body, "{\"instances\":[");
    for (int k = 0; k < n; k++)
        len += (size_t)snprintf(body + len, sizeof body - len, "%s{\"id\":\"p%d\"}", k ? "," : "", first + k);
    if (total >= 0)
        snprintf(body + len, sizeof body - len, "],\"total\":\"%d\"}", total);
    else
        snprintf(body + len, sizeof body - len, "]}");
    script(i, 200, body);
}

/* A fresh client and collector, and a filter asking for pages of two. */
static void walk_pages_of_two(seen *s, novita_instance_filter *f)
{
    memset(s, 0, sizeof *s);
    memset(f, 0, sizeof *f);
    f->page_size = 2;
    setup(0);
}

static const char *query_of(size_t k)
{
    const char *req = fake_port_request(&fake, k);
    return strchr(req, '?');
}

static void test_walk_one_based_server(void)
{
    /* page 0 is read as page 1: the repeat is skipped, nothing is delivered twice */
    seen s;
    novita_list list = NOVITA_LIST_ALL(&scratch, collect, &s);
    novita_instance_filter f;
    walk_pages_of_two(&s, &f);
    script_page(0, 0, 2, 5);
    script_page(1, 0, 2, 5);
    script_page(2, 2, 2, 5);
    script_page(3, 4, 1, 5);
    CHECK_EQ_INT(novita_instances_list(&client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(s.count, 5);
    CHECK_EQ_UINT(list.count, 5);
    CHECK_EQ_UINT(list.received, 5);
    CHECK_EQ_INT(list.total, 5);
    CHECK_EQ_UINT(list.pages, 4);
    CHECK_STR(s.ids[0], "p0");
    CHECK_STR(s.ids[2], "p2");
    CHECK_STR(s.ids[4], "p4");
    CHECK(STARTS_WITH(query_of(0), "?pageSize=2&pageNum=0 "));
    CHECK(STARTS_WITH(query_of(3), "?pageSize=2&pageNum=3 "));
    CHECK_EQ_UINT(fake.connects, 1);
}

/* Jobs without ids (missing or ""): each page is told apart by its whole first element, so a different
 * page is never taken for a repeat. */
static novita_result count_job(void *user, const void *item)
{
    (void)item;
    (*(size_t *)user)++;
    return NOVITA_OK;
}

static void test_walk_elements_without_ids(void)
{
    static novita_job one;
    size_t delivered = 0;
    novita_list list = NOVITA_LIST_ALL(&one, count_job, &delivered);
    novita_job_filter f;
    memset(&f, 0, sizeof f);
    f.page_size = 2;
    setup(0);
    script(0, 200, "{\"jobs\":[{\"Id\":\"\",\"instanceId\":\"i1\"},{\"instanceId\":\"i2\"}],\"total\":3}");
    script(1, 200, "{\"jobs\":[{\"Id\":\"\",\"instanceId\":\"i3\"}],\"total\":3}");
    CHECK_EQ_INT(novita_jobs_list(&client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(delivered, 3);
    CHECK_EQ_UINT(list.received, 3);
    CHECK_EQ_UINT(list.pages, 2);
}

/* A repeated page (a 1-based server's answer to page 1 after page 0) that is cut short delivered nothing:
 * it is retried like any request that handed nothing over. */
static void test_walk_repeated_page_cut_is_retried(void)
{
    seen s;
    novita_list list = NOVITA_LIST_ALL(&scratch, collect, &s);
    novita_instance_filter f;
    walk_pages_of_two(&s, &f);
    script_page(0, 0, 2, 4);
    script_raw(1, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\nConnection: close\r\n\r\n",
               "{\"instances\":[{\"id\":\"p0\"},{\"id\":\"p1\"}],", 38);
    script_page(2, 0, 2, 4);
    script_page(3, 2, 2, 4);
    CHECK_EQ_INT(novita_instances_list(&client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(s.count, 4);
    CHECK_STR(s.ids[3], "p3");
    CHECK_EQ_UINT(fake.requests, 4);
}

static void test_walk_zero_based_and_no_total(void)
{
    seen s;
    novita_list list = NOVITA_LIST_ALL(&scratch, collect, &s);
    memset(&s, 0, sizeof s);
    setup(5);
    /* default page size NOVITA_LIST_PAGE_SIZE; no total: a short page ends the walk */
    {
        char body[8192];
        size_t len = (size_t)snprintf(body, sizeof body, "{\"instances\":[");
        for (unsigned k = 0; k < NOVITA_LIST_PAGE_SIZE; k++)
            len += (size_t)snprintf(body + len, sizeof body - len, "%s{\"id\":\"a%u\"}", k ? "," : "", k);
        snprintf(body + len, sizeof body - len, "]}");
        script(0, 200, body);
    }
    script_page(1, 100, 3, -1);
    CHECK_EQ_INT(novita_instances_list(&client, NULL, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(s.count, NOVITA_LIST_PAGE_SIZE + 3u);
    CHECK_EQ_UINT(list.pages, 2);
    CHECK_EQ_INT(list.total, -1);
    CHECK_STR(s.ids[NOVITA_LIST_PAGE_SIZE], "p100");
}

static void test_walk_empty_page_zero_then_one(void)
{
    seen s;
    novita_list list = NOVITA_LIST_ALL(&scratch, collect, &s);
    memset(&s, 0, sizeof s);
    setup(0);
    script_page(0, 0, 0, 3);
    script_page(1, 0, 3, 3);
    CHECK_EQ_INT(novita_instances_list(&client, NULL, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(s.count, 3);
    CHECK_EQ_UINT(list.pages, 2);
    CHECK(STARTS_WITH(query_of(1), "?pageSize=50&pageNum=1 "));
    /* an empty list with total 0 takes one request */
    setup(0);
    memset(&s, 0, sizeof s);
    script_page(0, 0, 0, 0);
    CHECK_EQ_INT(novita_instances_list(&client, NULL, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.pages, 1);
    CHECK_EQ_UINT(s.count, 0);
}

/* The repeated page is recognised by the first element's id even when its state changed in between. */
static void test_walk_repeat_with_changed_state(void)
{
    seen s;
    novita_list list = NOVITA_LIST_ALL(&scratch, collect, &s);
    novita_instance_filter f;
    walk_pages_of_two(&s, &f);
    script(0, 200, "{\"instances\":[{\"id\":\"p0\",\"status\":\"pulling\"},{\"id\":\"p1\"}],\"total\":3}");
    script(1, 200, "{\"instances\":[{\"id\":\"p0\",\"status\":\"running\"},{\"id\":\"p1\"}],\"total\":3}");
    script(2, 200, "{\"instances\":[{\"id\":\"p2\"}],\"total\":3}");
    CHECK_EQ_INT(novita_instances_list(&client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(s.count, 3);
    CHECK_STR(s.ids[2], "p2");
}

static void test_walk_server_ignoring_page_number(void)
{
    seen s;
    novita_list list = NOVITA_LIST_ALL(&scratch, collect, &s);
    novita_instance_filter f;
    walk_pages_of_two(&s, &f);
    for (size_t i = 0; i < 4; i++)
        script_page(i, 0, 2, 10);
    CHECK_EQ_INT(novita_instances_list(&client, &f, &list, NULL), NOVITA_ERR_PROTOCOL);
    CHECK_EQ_UINT(s.count, 2); /* the first page only, never a repeat */
    CHECK_EQ_UINT(list.pages, 3);
}

static void test_walk_array_mode_and_retry(void)
{
    novita_instance arr[3];
    novita_list list = NOVITA_LIST_ARRAY(arr);
    novita_instance_filter f;
    memset(&f, 0, sizeof f);
    f.page_size = 2;
    f.page_num = 7; /* ignored by the walk */
    list.all_pages = true;
    setup(0);
    script_page(0, 0, 2, 9);
    script(1, 503, "{}");     /* page 1 fails before any element: retried */
    script_page(2, 2, 2, 9);
    if (!CHECK_OK(novita_instances_list(&client, &f, &list, NULL)))
        fprintf(stderr, "    %s\n", novita_client_last_error(&client)->message);
    CHECK_EQ_UINT(list.count, 3);  /* array full: the walk stops */
    CHECK_EQ_UINT(list.received, 4);
    CHECK_EQ_INT(list.total, 9);
    CHECK_STR(arr[2].id, "p2");
    CHECK(STARTS_WITH(query_of(0), "?pageSize=2&pageNum=0 "));
    CHECK(STARTS_WITH(query_of(2), "?pageSize=2&pageNum=1 "));
}

static void test_single_page_unchanged(void)
{
    novita_instance arr[4];
    novita_list list = NOVITA_LIST_ARRAY(arr);
    novita_instance_filter f;
    memset(&f, 0, sizeof f);
    f.page_num = 3;
    setup(0);
    script_page(0, 0, 2, 9);
    CHECK_EQ_INT(novita_instances_list(&client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.pages, 1);
    CHECK_EQ_UINT(list.count, 2);
    CHECK(STARTS_WITH(query_of(0), "?pageNum=3 "));
}

int main(void)
{
    test_call_streams_body_larger_than_work_buffer();
    test_call_buffered_and_too_small();
    test_call_error_status_keeps_body();
    test_call_resend_rules();
    test_call_switches_hosts();
    test_call_ipv6_literal();
    test_call_invalid_arguments();
    test_call_head();
    test_callback_own_codes();
    test_walk_one_based_server();
    test_walk_elements_without_ids();
    test_walk_repeated_page_cut_is_retried();
    test_walk_zero_based_and_no_total();
    test_walk_empty_page_zero_then_one();
    test_walk_repeat_with_changed_state();
    test_walk_server_ignoring_page_number();
    test_walk_array_mode_and_retry();
    test_single_page_unchanged();
    return TEST_REPORT();
}

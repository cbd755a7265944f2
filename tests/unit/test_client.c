/* Client + decoder + list scanner through a scripted fake port: wire bytes, fragmentation, faults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_port.h"
#include "novita/novita.h"
#include "test_util.h"

#define STARTS_WITH(s, prefix) (strncmp((s), (prefix), strlen(prefix)) == 0)

static uint8_t work[16384];
static novita_json_token tokens[NOVITA_JSON_TOKENS];
static novita_client client;
static fake_port fake;
static novita_instance inst;
static novita_instance many[128];
static char big[200000];

#define INSTANCE_JSON                                                                                   \
    "{\"id\":\"inst-1\",\"name\":\"demo \\u00e9\\ud83d\\ude00\",\"clusterId\":\"5\",\"status\":\"running\"," \
    "\"cpuNum\":\"8\",\"memory\":\"64\",\"gpuNum\":\"1\",\"rootfsSize\":100,\"endTime\":\"-1\","        \
    "\"portMappings\":[{\"port\":8888,\"endpoint\":\"1.2.3.4:30001\",\"type\":\"http\"}],"               \
    "\"billingMode\":\"\",\"spotStatus\":\"\",\"futureField\":{\"deep\":[1,{\"x\":null}]},"              \
    "\"node\":[{\"maxRootfsSize\":600}],\"connectComponentSSH\":{\"sshCommand\":\"ssh root@h\","          \
    "\"password\":\"p\",\"isRunning\":true},\"statusError\":null}"

static void setup(size_t chunk)
{
    CHECK_EQ_INT(fake_client_init(&client, &fake, chunk, "http://sim.local:8080/prefix/", 100, work, sizeof work,
                                  tokens, NOVITA_JSON_TOKENS),
                 NOVITA_OK);
}

static char response_buf[FAKE_MAX_RESPONSES][100000];

static void script(size_t i, int status, const char *extra_headers, const char *body)
{
    snprintf(response_buf[i], sizeof response_buf[i],
             "HTTP/1.1 %d X\r\nContent-Length: %lu\r\n%s\r\n%s", status, (unsigned long)strlen(body),
             extra_headers ? extra_headers : "", body);
    fake_port_respond(&fake, i, response_buf[i], 0);
}

static void script_chunked(size_t i, const char *body, size_t piece)
{
    size_t len = strlen(body), at = 0;
    int n = snprintf(response_buf[i], sizeof response_buf[i], "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    while (at < len) {
        size_t k = len - at < piece ? len - at : piece;
        n += snprintf(response_buf[i] + n, sizeof response_buf[i] - (size_t)n, "%lx;ext=1\r\n%.*s\r\n",
                      (unsigned long)k, (int)k, body + at);
        at += k;
    }
    snprintf(response_buf[i] + n, sizeof response_buf[i] - (size_t)n, "0\r\nTrailer: x\r\n\r\n");
    fake_port_respond(&fake, i, response_buf[i], 0);
}

static void test_get_instance_every_fragmentation(void)
{
    size_t chunks[] = { 0, 1, 2, 7, 64 };
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        setup(chunks[k]);
        if (k % 2)
            script_chunked(0, INSTANCE_JSON, 1 + k * 5);
        else
            script(0, 200, NULL, INSTANCE_JSON);
        CHECK_EQ_INT(novita_instances_get(&client, "inst-1", &inst, NULL), NOVITA_OK);
        CHECK_STR(inst.id, "inst-1");
        CHECK_STR(inst.name, "demo \xc3\xa9\xf0\x9f\x98\x80");
        CHECK_EQ_INT(inst.status, NOVITA_INSTANCE_RUNNING);
        CHECK_STR(inst.status_text, "running");
        CHECK_EQ_INT(inst.cpu_num, 8);
        CHECK_EQ_INT(inst.memory, 64);
        CHECK_EQ_INT(inst.end_time, -1);
        CHECK_EQ_INT(inst.port_mapping_count, 1);
        CHECK_EQ_INT(inst.port_mappings[0].port, 8888);
        CHECK_STR(inst.port_mappings[0].endpoint, "1.2.3.4:30001");
        CHECK_EQ_INT(inst.billing_mode, NOVITA_BILLING_UNKNOWN);
        CHECK_EQ_INT(inst.node.max_rootfs_size, 600);
        CHECK(inst.connect_ssh.is_running);
        CHECK_STR(inst.connect_ssh.ssh_command, "ssh root@h");
    }
    /* The request as it went on the wire. */
    {
        const char *req = fake_port_request(&fake, 0);
        CHECK(STARTS_WITH(req, "GET /prefix/gpu-instance/openapi/v1/gpu/instance?instanceId=inst-1 HTTP/1.1\r\n"));
        CHECK(strstr(req, "\r\nHost: sim.local:8080\r\n") != NULL);
        CHECK(strstr(req, "\r\nAuthorization: Bearer test-key\r\n") != NULL);
        CHECK(strstr(req, "\r\nContent-Type: application/json\r\n") != NULL);
        CHECK(strstr(req, "\r\nUser-Agent: novita-c/" NOVITA_VERSION_STRING "\r\n") != NULL);
        CHECK(strstr(req, "Content-Length") == NULL);
    }
}

static void test_create_body_and_no_resend(void)
{
    novita_port_spec ports[] = { { 8888, "http" }, { 22, "tcp" } };
    novita_env_spec envs[] = { { "A", "x\"y\n" } };
    novita_storage_mount_spec mounts[] = { { "ns-1", NULL } };
    novita_instance_create q;
    char id[NOVITA_ID_MAX];
    const char *req, *body;
    memset(&q, 0, sizeof q);
    q.product_id = "4090.16c62g";
    q.image_url = "nginx:latest";
    q.name = "n";
    q.ports = ports;
    q.port_count = 2;
    q.envs = envs;
    q.env_count = 1;
    q.network_storages = mounts;
    q.network_storage_count = 1;
    setup(3);
    script(0, 200, NULL, "{\"id\":\"new-1\"}");
    CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), NOVITA_OK);
    CHECK_STR(id, "new-1");
    req = fake_port_request(&fake, 0);
    body = strstr(req, "\r\n\r\n");
    CHECK(STARTS_WITH(req, "POST /prefix/gpu-instance/openapi/v1/gpu/instance/create HTTP/1.1\r\n"));
    CHECK(body != NULL);
    if (body) {
        char expect_len[64];
        body += 4;
        snprintf(expect_len, sizeof expect_len, "\r\nContent-Length: %lu\r\n", (unsigned long)strlen(body));
        CHECK(strstr(req, expect_len) != NULL);
        CHECK_STR(body, "{\"name\":\"n\",\"productId\":\"4090.16c62g\",\"gpuNum\":1,\"rootfsSize\":10,"
                        "\"imageUrl\":\"nginx:latest\",\"ports\":\"8888/http,22/tcp\","
                        "\"envs\":[{\"key\":\"A\",\"value\":\"x\\\"y\\n\"}],"
                        "\"networkStorages\":[{\"Id\":\"ns-1\",\"mountPoint\":\"/network\"}],\"kind\":\"gpu\"}");
    }
    /* A 503 on create is reported, never resent: a second create would be a second paid instance. */
    setup(0);
    script(0, 503, NULL, "{\"code\":503,\"reason\":\"SERVICE_NOT_AVAILABLE\",\"message\":\"busy\"}");
    script(1, 200, NULL, "{\"id\":\"dup\"}");
    CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), NOVITA_ERR_SERVER);
    CHECK_EQ_UINT(fake.requests, 1);
    CHECK_EQ_INT(novita_client_last_error(&client)->attempts, 1);
    CHECK_STR(novita_client_last_error(&client)->reason, "SERVICE_NOT_AVAILABLE");
    CHECK_STR(id, "");
    /* Connect failure: the request never left, so even a create may be tried again. */
    setup(0);
    fake.connect_result = NOVITA_PORT_ERR_CONNECT;
    CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), NOVITA_ERR_NETWORK);
    CHECK_EQ_UINT(fake.connects, 4); /* 1 + 3 retries */
    CHECK_EQ_UINT(fake.requests, 0);
}

static void test_get_retries_then_succeeds(void)
{
    setup(0);
    script(0, 503, "Retry-After: 2\r\n", "<html>busy</html>");
    script(1, 200, NULL, INSTANCE_JSON);
    CHECK_EQ_INT(novita_instances_get(&client, "inst-1", &inst, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_client_last_error(&client)->attempts, 2);
    CHECK(fake.slept_ms >= 2000); /* Retry-After honoured */
    CHECK_STR(inst.id, "inst-1");
    /* NOVITA_CALL_OPTS_INIT inherits the client's retries while overriding the timeout. */
    setup(0);
    script(0, 503, NULL, "<html>busy</html>");
    script(1, 200, NULL, INSTANCE_JSON);
    {
        novita_call_opts inherit = NOVITA_CALL_OPTS_INIT;
        inherit.io_timeout_ms = 500;
        CHECK_EQ_INT(novita_instances_get(&client, "inst-1", &inst, &inherit), NOVITA_OK);
        CHECK_EQ_INT(novita_client_last_error(&client)->attempts, 2);
    }
    /* Per-call override: no retries. */
    setup(0);
    script(0, 503, NULL, "<html>busy</html>");
    script(1, 200, NULL, INSTANCE_JSON);
    {
        novita_call_opts opts = { 0, 0, 0 };
        CHECK_EQ_INT(novita_instances_get(&client, "inst-1", &inst, &opts), NOVITA_ERR_SERVER);
        CHECK_STR(novita_client_last_error(&client)->message, "<html>busy</html>");
        CHECK_EQ_INT(novita_client_last_error(&client)->http_status, 503);
    }
}

static void test_error_mapping(void)
{
    struct {
        int status;
        const char *body;
        novita_result expect;
    } cases[] = {
        { 400, "{\"code\":400,\"reason\":\"TEMPLATE_NOT_FOUND\",\"message\":\"x\",\"metadata\":{}}", NOVITA_ERR_NOT_FOUND },
        { 400, "{\"message\":\"instance not fount\"}", NOVITA_ERR_NOT_FOUND },
        { 400, "{\"code\":400,\"reason\":\"VALIDATOR_PARAM\",\"message\":\"bad\"}", NOVITA_ERR_API },
        { 401, "{\"code\":401,\"reason\":\"UNAUTHORIZED\",\"message\":\"invalid api key\"}", NOVITA_ERR_AUTH },
        { 403, "{\"error\":{\"message\":\"forbidden\"}}", NOVITA_ERR_AUTH },
        { 404, "", NOVITA_ERR_NOT_FOUND },
        { 429, "{}", NOVITA_ERR_RATE_LIMITED },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        novita_call_opts no_retry = { 0, 0, 0 };
        setup(0);
        script(0, cases[i].status, NULL, cases[i].body);
        CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), cases[i].expect);
        CHECK_EQ_INT(novita_client_last_error(&client)->http_status, cases[i].status);
    }
    CHECK_STR(novita_client_last_error(&client)->message, "{}");
    setup(0);
    script(0, 403, NULL, "{\"error\":{\"message\":\"forbidden\"}}");
    CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, NULL), NOVITA_ERR_AUTH);
    CHECK_STR(novita_client_last_error(&client)->message, "forbidden");
}

static void test_truncated_and_malformed(void)
{
    novita_call_opts no_retry = { 0, 0, 0 };
    setup(0);
    fake.close_after_response = 1;
    fake.responses[0] = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"id\":\"inst-1\",\"name\":";
    fake.response_count = 1;
    CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), NOVITA_ERR_NETWORK); /* early close */
    CHECK_STR(novita_client_last_error(&client)->message, "receive: connection closed, truncated body");
    CHECK_STR(inst.id, ""); /* nothing half-written */
    setup(0);
    fake.close_after_response = 1;
    fake.responses[0] = "HTTP/1.1 200 OK\r\nContent-Len"; /* closed in the middle of a header line */
    fake.response_count = 1;
    CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), NOVITA_ERR_NETWORK);
    CHECK_STR(novita_client_last_error(&client)->message, "receive: connection closed, truncated headers");
    /* a read cut short is retried like any early close; the retry's answer counts */
    setup(0);
    fake.close_after_response = 1;
    fake.responses[0] = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"id\":";
    fake.responses[1] = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"id\":\"ok-1\"}";
    fake.response_count = 2;
    CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, NULL), NOVITA_OK);
    CHECK_STR(inst.id, "ok-1");
    CHECK_EQ_UINT(novita_client_last_error(&client)->attempts, 2);
    setup(1);
    fake.responses[0] = "HTTP/1.1 2OO OK\r\n\r\n";
    fake.response_count = 1;
    CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), NOVITA_ERR_PROTOCOL);
    setup(0);
    script(0, 200, NULL, "{\"id\":\"a\",\"cpuNum\":\"eight\"}");
    CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), NOVITA_ERR_DECODE);
    CHECK_STR(novita_client_last_error(&client)->what, "instance.cpuNum");
    CHECK_STR(inst.id, "");
    setup(0);
    script(0, 200, NULL, "{\"id\":\"a\",\"cpuNum\":8e0}"); /* integers take no exponent */
    CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), NOVITA_ERR_DECODE);
    setup(0);
    script(0, 200, NULL, "{\"id\":\"a\",\"name\":[1,2");
    CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), NOVITA_ERR_DECODE);
}

static void test_buffer_limits(void)
{
    novita_call_opts no_retry = { 0, 0, 0 };
    /* A name longer than NOVITA_NAME_MAX names the field and the size it needs. */
    memset(big, 'n', 300);
    big[300] = '\0';
    {
        static char body[400];
        snprintf(body, sizeof body, "{\"id\":\"a\",\"name\":\"%.300s\"}", big);
        setup(0);
        script(0, 200, NULL, body);
        CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), NOVITA_ERR_BUFFER_TOO_SMALL);
        CHECK_STR(novita_client_last_error(&client)->what, "instance.name");
        CHECK_EQ_UINT(novita_client_last_error(&client)->needed, 301);
    }
    /* A body larger than the work buffer. */
    {
        static char body[40000];
        memset(big, 'c', 30000);
        big[30000] = '\0';
        snprintf(body, sizeof body, "{\"id\":\"a\",\"x\":\"%.30000s\"}", big);
        setup(0);
        script(0, 200, NULL, body);
        CHECK_EQ_INT(novita_instances_get(&client, "x", &inst, &no_retry), NOVITA_ERR_BUFFER_TOO_SMALL);
        CHECK_STR(novita_client_last_error(&client)->what, "work buffer (response body)");
        CHECK(novita_client_last_error(&client)->needed > 30000);
    }
    /* A request that does not fit. */
    {
        novita_instance_create q;
        char id[8];
        memset(&q, 0, sizeof q);
        q.product_id = "p";
        q.image_url = big; /* 30000 bytes */
        setup(0);
        CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
        CHECK_STR(novita_client_last_error(&client)->what, "work buffer (request body)");
        CHECK_EQ_UINT(fake.connects, 0);
    }
    /* An endless header. */
    {
        static char resp[20000];
        memset(resp, 'h', sizeof resp - 1);
        memcpy(resp, "HTTP/1.1 200 OK\r\nX: ", 20);
        setup(100);
        fake.responses[0] = resp;
        fake.response_count = 1;
        CHECK(novita_instances_get(&client, "x", &inst, &no_retry) != NOVITA_OK);
        CHECK_EQ_INT(fake.closes, 1);
    }
}

static novita_result count_cb(void *user, const void *item)
{
    const novita_instance *i = (const novita_instance *)item;
    size_t *n = (size_t *)user;
    if (i->id[0] == 'i')
        (*n)++;
    return NOVITA_OK;
}

static void test_list_100_in_16k(void)
{
    /* 100 full instances: far larger than the 16 KB work buffer. */
    size_t at = 0, counted = 0;
    novita_list list = NOVITA_LIST_ARRAY(many);
    novita_instance_filter filter;
    at += (size_t)snprintf(big + at, sizeof big - at, "{\"instances\":[");
    for (int i = 0; i < 100; i++) {
        at += (size_t)snprintf(big + at, sizeof big - at, "%s{\"id\":\"i-%03d\",\"name\":\"n\",\"status\":\"%s\","
                               "\"cpuNum\":\"8\",\"imageUrl\":\"%0400d\",\"envs\":[{\"key\":\"k\",\"value\":\"v\"}],"
                               "\"portMappings\":[{\"port\":%d,\"type\":\"tcp\"}]}",
                               i ? "," : "", i, i % 2 ? "running" : "someNewStatus", 0, 1000 + i);
    }
    at += (size_t)snprintf(big + at, sizeof big - at, "],\"total\":\"100\"}");
    CHECK(at > 3 * sizeof work);
    setup(1000);
    fake.responses[0] = NULL;
    {
        static char resp[220000];
        snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Length: %lu\r\n\r\n%s", (unsigned long)at,
                 big);
        fake.responses[0] = resp;
        fake.response_count = 1;
        memset(&filter, 0, sizeof filter);
        filter.page_size = 100;
        filter.page_num = 1;
        filter.status = "running & more";
        CHECK_EQ_INT(novita_instances_list(&client, &filter, &list, NULL), NOVITA_OK);
        CHECK_EQ_UINT(list.count, 100);
        CHECK_EQ_UINT(list.received, 100);
        CHECK_EQ_INT(list.total, 100);
        CHECK_STR(many[0].id, "i-000");
        CHECK_STR(many[99].id, "i-099");
        CHECK_EQ_INT(many[1].status, NOVITA_INSTANCE_RUNNING);
        CHECK_EQ_INT(many[0].status, NOVITA_INSTANCE_UNKNOWN);
        CHECK_STR(many[0].status_text, "someNewStatus");
        CHECK_EQ_INT(many[42].port_mappings[0].port, 1042);
        CHECK(strstr(fake_port_request(&fake, 0),
                     "GET /prefix/gpu-instance/openapi/v1/gpu/instances?pageSize=100&pageNum=1&status=running%20%26%20more "
                     "HTTP/1.1\r\n") == fake_port_request(&fake, 0));
        /* Array smaller than the page: the rest is counted, not written past the array. */
        {
            novita_list small = { many, 3, NULL, NULL, 0, 0, -1 };
            fake_port_init(&fake);
            fake.port.ctx = &fake;
            fake.chunk = 7;
            fake.responses[0] = resp;
            fake.response_count = 1;
            client.port = &fake.port;
            client.connected = false;
            CHECK_EQ_INT(novita_instances_list(&client, NULL, &small, NULL), NOVITA_OK);
            CHECK_EQ_UINT(small.count, 3);
            CHECK_EQ_UINT(small.received, 100);
        }
        /* Callback mode: one struct for the whole page. */
        {
            novita_list cb = NOVITA_LIST_CALLBACK(&inst, count_cb, &counted);
            fake_port_init(&fake);
            fake.responses[0] = resp;
            fake.response_count = 1;
            client.port = &fake.port;
            client.connected = false;
            CHECK_EQ_INT(novita_instances_list(&client, NULL, &cb, NULL), NOVITA_OK);
            CHECK_EQ_UINT(counted, 100);
            CHECK_EQ_UINT(cb.count, 100);
        }
    }
}

static void test_keep_alive_reuse(void)
{
    setup(0);
    script(0, 200, NULL, INSTANCE_JSON);
    script(1, 200, NULL, INSTANCE_JSON);
    script(2, 200, "Connection: close\r\n", "{}");
    script(3, 200, NULL, "");
    CHECK_EQ_INT(novita_instances_get(&client, "a", &inst, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_get(&client, "b", &inst, NULL), NOVITA_OK);
    CHECK_EQ_UINT(fake.connects, 1);
    CHECK_EQ_INT(novita_instances_stop(&client, "b", NULL), NOVITA_OK); /* {} body */
    CHECK_EQ_UINT(fake.closes, 1);                                     /* Connection: close honoured */
    fake.open = 0;
    CHECK_EQ_INT(novita_instances_start(&client, "b", NULL), NOVITA_OK); /* empty body */
    CHECK_EQ_UINT(fake.connects, 2);
    CHECK(strstr(fake_port_request(&fake, 3), "\r\n\r\n{\"instanceId\":\"b\"}") != NULL);
}

static void test_invalid_arguments(void)
{
    novita_client_config cfg;
    setup(0);
    CHECK_EQ_INT(novita_instances_get(&client, "", &inst, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(novita_client_last_error(&client)->message, "instance id is required");
    CHECK_EQ_INT(novita_instances_get(NULL, "x", &inst, NULL), NOVITA_ERR_INVALID_ARG);
    novita_client_config_init(&cfg);
    cfg.api_key = "k";
    cfg.base_url = "ftp://x";
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 64), NOVITA_ERR_INVALID_ARG);
    cfg.base_url = "https://h:99999";
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 64), NOVITA_ERR_INVALID_ARG);
    cfg.base_url = NULL;
    cfg.api_key = NULL;
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 64), NOVITA_ERR_INVALID_ARG);
    cfg.api_key = "k";
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, 100, tokens, 64), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ_INT(novita_client_init(&client, &cfg, &fake.port, work, sizeof work, tokens, 64), NOVITA_OK);
    CHECK_STR(client.host, "api.novita.ai");
    CHECK(client.use_tls);
}

static void test_model_to_json(void)
{
    char out[4096];
    size_t len = 0;
    setup(0);
    script(0, 200, NULL, INSTANCE_JSON);
    CHECK_EQ_INT(novita_instances_get(&client, "inst-1", &inst, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_model_to_json(&novita_instance_model, &inst, out, sizeof out, &len), NOVITA_OK);
    CHECK(strstr(out, "\"id\":\"inst-1\"") != NULL);
    CHECK(strstr(out, "\"cpuNum\":8") != NULL);
    CHECK(strstr(out, "\"status\":\"running\"") != NULL);
    CHECK(strstr(out, "\"portMappings\":[{\"port\":8888,\"endpoint\":\"1.2.3.4:30001\",\"type\":\"http\"}]") != NULL);
    CHECK_EQ_UINT(len, strlen(out));
    CHECK_EQ_INT(novita_model_to_json(&novita_instance_model, &inst, out, 10, &len), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK(len > 10);
}

static void test_metrics_decimals(void)
{
    static novita_instance_metrics m;
    setup(0);
    script(0, 200, NULL,
           "{\"cpuUtilization\":[{\"timestamp\":\"1700000000\",\"value\":37.5},{\"timestamp\":\"1700000015\",\"value\":1e-2}],"
           "\"memUtilization\":[],\"rootDiskUtilization\":[{\"timestamp\":\"1\",\"value\":\"12.3456\"}],"
           "\"gpuUtilization\":{\"avg\":[{\"timestamp\":\"1\",\"value\":99}],\"gpuIds\":[{\"gpuId\":\"0\",\"items\":[]}]},"
           "\"gpuMemUtilization\":{\"avg\":[],\"gpuIds\":[]}}");
    CHECK_EQ_INT(novita_instances_metrics(&client, "i", NULL, &m, NULL), NOVITA_OK);
    CHECK(STARTS_WITH(fake_port_request(&fake, 0), "GET /prefix/openapi/v1/metrics/gpu/instance?instanceId=i HTTP"));
    CHECK_EQ_INT(m.cpu_count, 2);
    CHECK_EQ_INT(m.cpu[0].timestamp, 1700000000);
    CHECK_EQ_INT(m.cpu[0].value_milli, 37500);
    CHECK_EQ_INT(m.cpu[1].value_milli, 10);
    CHECK_EQ_INT(m.root_disk[0].value_milli, 12345);
    CHECK_EQ_INT(m.gpu.avg[0].value_milli, 99000);
    CHECK_EQ_INT(m.gpu.gpu_count, 1);
}

/* The wait's target status counts at once unless started_after asks for a later start; an instance that
 * never ran (lastStartedAt 0 or absent) reaches "exited" like any other. */
static void test_wait_started_after(void)
{
    novita_wait_opts w = { 10, 1000, NULL, NULL, 0 };
    setup(0);
    script(0, 200, NULL, "{\"id\":\"i\",\"status\":\"exited\",\"lastStartedAt\":\"0\"}");
    CHECK_EQ_INT(novita_instances_wait(&client, "i", NOVITA_INSTANCE_EXITED, &w, &inst), NOVITA_OK);
    CHECK_EQ_UINT(fake.requests, 1);
    /* after a restart: "running" from before the restart does not count, the new start does */
    w.started_after = 1700000000;
    setup(0);
    script(0, 200, NULL, "{\"id\":\"i\",\"status\":\"running\",\"lastStartedAt\":\"1700000000\"}");
    script(1, 200, NULL, "{\"id\":\"i\",\"status\":\"running\",\"lastStartedAt\":\"1700000060\"}");
    CHECK_EQ_INT(novita_instances_wait(&client, "i", NOVITA_INSTANCE_RUNNING, &w, &inst), NOVITA_OK);
    CHECK_EQ_UINT(fake.requests, 2);
    CHECK_EQ_UINT(fake.sleeps, 1);
}

/* A create's answer: the id however the server spells it, never an empty one. */
static void test_create_id_forms(void)
{
    static const struct {
        const char *body;
        novita_result result;
        const char *id;
    } cases[] = {
        { "{\"id\":\"abc\"}", NOVITA_OK, "abc" },   { "\"bare\"", NOVITA_OK, "bare" },
        { "{\"Id\":\"cap\"}", NOVITA_OK, "cap" },   { "{\"id\":12345}", NOVITA_OK, "12345" },
        { "{\"id\":\"\"}", NOVITA_ERR_DECODE, "" },   { "{\"id\":true}", NOVITA_ERR_DECODE, "" },
        { "{\"id\":null}", NOVITA_ERR_DECODE, "" },   { "{\"other\":\"x\"}", NOVITA_ERR_DECODE, "" },
    };
    novita_instance_create q;
    char id[16];
    memset(&q, 0, sizeof q);
    q.product_id = "p";
    q.image_url = "img";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TEST_CONTEXT(cases[i].body);
        setup(0);
        script(0, 200, NULL, cases[i].body);
        memset(id, 'z', sizeof id);
        CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), cases[i].result);
        CHECK_STR(id, cases[i].id);
        if (cases[i].result != NOVITA_OK)
            CHECK_STR(novita_client_last_error(&client)->message, "expected a non-empty id");
    }
    TEST_CONTEXT(NULL);
}

int main(void)
{
    test_get_instance_every_fragmentation();
    test_create_body_and_no_resend();
    test_get_retries_then_succeeds();
    test_error_mapping();
    test_truncated_and_malformed();
    test_buffer_limits();
    test_list_100_in_16k();
    test_keep_alive_reuse();
    test_invalid_arguments();
    test_model_to_json();
    test_metrics_decimals();
    test_wait_started_after();
    test_create_id_forms();
    return TEST_REPORT();
}

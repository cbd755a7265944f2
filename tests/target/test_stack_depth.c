/*
 * Stack use of library operations, measured on the target (scripts/target-test.sh runs this under QEMU on
 * Cortex-M4 and RV32IMC, built like the library at -Os).
 *
 * scripts/cross-build.sh bounds every public function's stack statically (docs/size.md: at most 1 KB, the
 * port, TLS and the caller's callbacks excluded). A static analysis can miss what it cannot see (an
 * indirect call, an alloca, a frame the compiler grew after the .su files were read), so this checks the
 * same budget from the other side: it paints the stack below the caller, runs an operation through the
 * in-memory fake port (tests/unit/fake_port.c), and finds the deepest byte that changed. The figure
 * includes the fake port's own frames (about 30-40 bytes below the library's deepest frame): it must stay
 * within the budget plus PORT_ALLOWANCE. The deepest case lands within a few dozen bytes of the static
 * figure for the same function, which is how the two methods check each other.
 *
 * The deepest paths by the static analysis are exercised: a list decoded element by element from one-byte
 * reads, a get of the largest model, a create with a request body, a get retried after a 503 whose
 * Retry-After is an HTTP date, and an API error body.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fake_port.h"
#include "novita/novita.h"
#include "test_util.h"

#if defined(__GNUC__)
#define PROBE_NOINLINE __attribute__((noinline))
#else
#define PROBE_NOINLINE
#endif

#define STACK_BUDGET 1024u  /* issue 5: worst stack chain of a public function, port excluded */
#define PORT_ALLOWANCE 64u  /* the fake port's recv/send frames and its memcpy, which the budget excludes */
#define PROBE_BYTES 8192u   /* painted below the caller: far more than any operation may use */
#define PROBE_SPARE 256u    /* left unpainted under the caller, for paint()'s own frame */
#define PAINT 0xC5u

static uint8_t work[NOVITA_WORK_BUFFER_SIZE];
static novita_json_token tokens[NOVITA_JSON_TOKENS];
static novita_client client;
static fake_port fake;
static novita_instance instance;
static novita_job jobs[4];
static char response_buf[FAKE_MAX_RESPONSES][2048];

/* An address in this function's frame: just below the caller's stack pointer. */
static PROBE_NOINLINE uintptr_t stack_here(void)
{
    volatile uint8_t marker = 0;
    return (uintptr_t)&marker;
}

/* Writing below the stack pointer: fine on these bare-metal targets, where nothing else (no signal
 * handler, no interrupt here) uses the stack meanwhile. */
static PROBE_NOINLINE void paint(uintptr_t top)
{
    volatile uint8_t *p = (volatile uint8_t *)(top - PROBE_BYTES);
    for (size_t i = 0; i < PROBE_BYTES - PROBE_SPARE; i++)
        p[i] = PAINT;
}

/* Bytes between top and the deepest painted byte that changed (PROBE_SPARE at least). */
static size_t used_below(uintptr_t top)
{
    const volatile uint8_t *p = (const volatile uint8_t *)(top - PROBE_BYTES);
    size_t i = 0;
    while (i < PROBE_BYTES - PROBE_SPARE && p[i] == PAINT)
        i++;
    return PROBE_BYTES - i;
}

static void setup(size_t chunk)
{
    CHECK_EQ_INT(fake_client_init(&client, &fake, chunk, "http://sim.local:8080/prefix/", 10, work, sizeof work,
                                  tokens, NOVITA_JSON_TOKENS),
                 NOVITA_OK);
}

static void script(size_t i, int status, const char *extra_headers, const char *body)
{
    snprintf(response_buf[i], sizeof response_buf[i], "HTTP/1.1 %d X\r\nContent-Length: %lu\r\n%s\r\n%s", status,
             (unsigned long)strlen(body), extra_headers ? extra_headers : "", body);
    fake_port_respond(&fake, i, response_buf[i], 0);
}

/* ---- the operations, each behind the same signature so one probe measures them all */

static novita_result list_jobs(void)
{
    novita_list list = NOVITA_LIST_ARRAY(jobs);
    novita_result r = novita_jobs_list(&client, NULL, &list, NULL);
    CHECK_EQ_UINT(list.count, 3);
    return r;
}

static novita_result get_instance(void)
{
    return novita_instances_get(&client, "inst-1", &instance, NULL);
}

static novita_result create_instance(void)
{
    static const novita_env_spec envs[] = { { "MODE", "test" } };
    novita_instance_create q;
    char id[NOVITA_ID_MAX];
    memset(&q, 0, sizeof q);
    q.product_id = "4090.16c62g";
    q.image_url = "nginx:latest";
    q.name = "probe";
    q.envs = envs;
    q.env_count = 1;
    return novita_instances_create(&client, &q, id, sizeof id, NULL);
}

static novita_result start_instance(void)
{
    return novita_instances_start(&client, "inst-1", NULL);
}

typedef struct scenario {
    const char *name;
    size_t chunk;                        /* bytes per recv: 1 = every parser state at every byte */
    novita_result want;
    novita_result (*op)(void);
    void (*script_it)(void);
} scenario;

#define JOB "{\"Id\":\"j%d\",\"user\":\"u\",\"type\":\"saveImage\",\"envs\":[{\"key\":\"K\",\"value\":\"V\"}]," \
            "\"state\":{\"state\":\"running\",\"error\":\"\"},\"createdAt\":\"1700000000\"}"

static void script_jobs(void)
{
    char body[1024];
    char one[256];
    size_t n = (size_t)snprintf(body, sizeof body, "{\"total\":3,\"jobs\":[");
    for (int k = 0; k < 3; k++) {
        snprintf(one, sizeof one, JOB, k);
        n += (size_t)snprintf(body + n, sizeof body - n, "%s%s", k ? "," : "", one);
    }
    snprintf(body + n, sizeof body - n, "]}");
    script(0, 200, "Content-Type: application/json\r\n", body);
}

static void script_instance(void)
{
    script(0, 200, NULL,
           "{\"id\":\"inst-1\",\"name\":\"demo \\u00e9\\ud83d\\ude00\",\"clusterId\":\"5\",\"status\":\"running\","
           "\"cpuNum\":\"8\",\"memory\":\"64\",\"gpuNum\":\"1\",\"rootfsSize\":100,\"endTime\":\"-1\","
           "\"portMappings\":[{\"port\":8888,\"endpoint\":\"1.2.3.4:30001\",\"type\":\"http\"}],"
           "\"billingMode\":\"spot\",\"futureField\":{\"deep\":[1,{\"x\":null}]},"
           "\"node\":[{\"maxRootfsSize\":600}],\"connectComponentSSH\":{\"sshCommand\":\"ssh root@h\","
           "\"password\":\"p\",\"isRunning\":true},\"statusError\":null}");
}

static void script_create(void)
{
    script(0, 200, NULL, "{\"id\":\"inst-9\"}");
}

static void script_retry_then_ok(void)
{
    script(0, 503, "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nRetry-After: Sun, 06 Nov 1994 08:49:38 GMT\r\n",
           "{\"code\":503,\"reason\":\"BUSY\",\"message\":\"try later\"}");
    script(1, 200, NULL, "{\"id\":\"inst-1\"}");
}

static void script_api_error(void)
{
    script(0, 400, NULL, "{\"code\":400,\"reason\":\"INSTANCE_NOT_FOUND\",\"message\":\"instance not found\"}");
}

static const scenario scenarios[] = {
    { "jobs list, 1-byte reads", 1, NOVITA_OK, list_jobs, script_jobs },
    { "instance get, 1-byte reads", 1, NOVITA_OK, get_instance, script_instance },
    { "instance create", 0, NOVITA_OK, create_instance, script_create },
    { "get after 503 + Retry-After date", 0, NOVITA_OK, get_instance, script_retry_then_ok },
    { "API error body (400 not found)", 0, NOVITA_ERR_NOT_FOUND, start_instance, script_api_error },
};

/* Runs the operation from this frame, between painting and scanning. */
static PROBE_NOINLINE size_t measure(const scenario *s, novita_result *r)
{
    uintptr_t top = stack_here();
    paint(top);
    *r = s->op();
    return used_below(top);
}

int main(void)
{
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        const scenario *s = &scenarios[i];
        novita_result r;
        size_t used;
        TEST_CONTEXT(s->name);
        setup(s->chunk);
        s->script_it();
        used = measure(s, &r);
        CHECK_EQ_INT(r, s->want);
        printf("  %-36s %4lu bytes of stack, fake port included (budget %u + %u for the port)\n", s->name,
               (unsigned long)used, STACK_BUDGET, PORT_ALLOWANCE);
        CHECK(used > PROBE_SPARE); /* the probe saw the operation at all */
        CHECK(used <= STACK_BUDGET + PORT_ALLOWANCE);
    }
    TEST_CONTEXT(NULL);
    return TEST_REPORT();
}

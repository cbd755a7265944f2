/*
 * endpoint_report: firmware-style reporting to a Novita serverless endpoint, on the POSIX port.
 *
 * What a device does: look up its endpoint once (novita_endpoints_get gives the endpoint's url), then
 * post a small JSON report to it and consume the answer, which may be far larger than the device's
 * memory, piece by piece through the body callback (here: counted and checksummed, as firmware would
 * write it to flash). Every buffer is static and sized like a small device's; nothing is allocated.
 *
 * Usage: endpoint_report ENDPOINT_ID [QUERY]
 *   NOVITA_API_KEY, NOVITA_BASE_URL (default the real API) and NOVITA_CA_FILE (optional PEM bundle) come
 *   from the environment. QUERY is appended to the endpoint's url (e.g. "?size=100000" on the simulator's
 *   stand-in worker, which then answers about 100 KB).
 * Prints: "url <url>", then "status <http status> bytes <n> pieces <n> crc32 <hex>", exit 0 on a 2xx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "novita/novita.h"
#include "novita_env.h"
#include "novita_port_posix.h"

/* A device-sized work buffer: the endpoint lookup and the report must fit; the answer need not. */
#define REPORT_WORK_SIZE 8192u
#define REPORT_TOKENS 512u

static uint8_t work[REPORT_WORK_SIZE];
static novita_json_token tokens[REPORT_TOKENS];
static novita_posix_port posix; /* ~40 KiB: static, never on the stack */
static novita_client client;
static novita_endpoint endpoint; /* ~27 KiB: static too */
static char url[NOVITA_TEXT_MAX + 256];

/* What firmware keeps of the answer: its size and a checksum (standing in for a flash write). */
typedef struct answer_sink {
    size_t bytes;
    size_t pieces;
    uint32_t crc;
} answer_sink;

static uint32_t crc32_update(uint32_t crc, const uint8_t *data, size_t len)
{
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static novita_result on_answer(void *user, const uint8_t *data, size_t len)
{
    answer_sink *sink = (answer_sink *)user;
    sink->crc = crc32_update(sink->crc, data, len);
    sink->bytes += len;
    sink->pieces++;
    return NOVITA_OK;
}

static int fail(const char *doing)
{
    const novita_error *e = novita_client_last_error(&client);
    fprintf(stderr, "endpoint_report: %s: %s (HTTP %d %s)\n", doing, e->message, e->http_status, e->reason);
    return 1;
}

int main(int argc, char **argv)
{
    static const char report[] = "{\"input\":{\"device\":\"sensor-7\",\"temperature_c\":21.5,\"uptime_s\":86400}}";
    novita_posix_config pcfg;
    novita_client_config cfg;
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    answer_sink sink = { 0, 0, 0 };
    novita_result r;
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: endpoint_report ENDPOINT_ID [QUERY]\n");
        return 2;
    }
    memset(&pcfg, 0, sizeof pcfg);
    pcfg.ca_file = getenv("NOVITA_CA_FILE");
    if (novita_posix_port_init(&posix, &pcfg) != NOVITA_PORT_OK) {
        fprintf(stderr, "endpoint_report: port: %s\n", novita_posix_port_last_error(&posix));
        return 1;
    }
    novita_client_config_init(&cfg);
    if (!novita_config_from_env(&cfg)) {
        fprintf(stderr, "endpoint_report: set NOVITA_API_KEY\n");
        return 2;
    }
    if (novita_client_init(&client, &cfg, novita_posix_port_get(&posix), work, sizeof work, tokens,
                           REPORT_TOKENS) != NOVITA_OK)
        return fail("client");

    /* Once at start-up: where does this device's endpoint live? */
    if (novita_endpoints_get(&client, argv[1], &endpoint, NULL) != NOVITA_OK)
        return fail("looking up the endpoint");
    if ((size_t)snprintf(url, sizeof url, "%s%s", endpoint.url, argc == 3 ? argv[2] : "") >= sizeof url) {
        fprintf(stderr, "endpoint_report: url too long\n");
        return 1;
    }
    printf("url %s\n", url);

    /* The report: sent from this static buffer; the answer streams through on_answer. */
    req.url = url;
    req.body = report;
    req.body_len = sizeof report - 1u;
    req.on_body = on_answer;
    req.user = &sink;
    r = novita_call(&client, &req, &resp, NULL);
    printf("status %d bytes %lu pieces %lu crc32 %08lx\n", resp.status, (unsigned long)sink.bytes,
           (unsigned long)sink.pieces, (unsigned long)sink.crc);
    novita_client_close(&client);
    novita_posix_port_free(&posix);
    if (r != NOVITA_OK)
        return fail("reporting");
    return 0;
}

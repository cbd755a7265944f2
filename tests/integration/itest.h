/*
 * Shared setup of the integration test programs (tests/integration/test_<group>.c): a client on the POSIX
 * port, pointed at the simulator. Header-only; include after test_util.h.
 *
 * Every program is run by its driver (run_<group>.py) as:  test_<group> BASE_URL CA_FILE|- MODE
 */
#ifndef NOVITA_ITEST_H
#define NOVITA_ITEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "novita/novita.h"
#include "novita_port_posix.h"

#define ITEST_WORK_SIZE 16384u

typedef struct itest {
    uint8_t work[ITEST_WORK_SIZE];
    novita_json_token tokens[NOVITA_JSON_TOKENS];
    novita_posix_port posix; /* ~40 KiB: keep the whole struct static */
    novita_client client;
} itest;

/* Set up the port (CA file or "-" for plain HTTP) and a client with key "sim-key" and short backoff.
 * Returns 0 on success; prints the failure and returns 1 otherwise. */
static inline int itest_init(itest *t, const char *base_url, const char *ca_file)
{
    novita_posix_config pcfg;
    novita_client_config cfg;
    memset(&pcfg, 0, sizeof pcfg);
    pcfg.ca_file = strcmp(ca_file, "-") == 0 ? NULL : ca_file;
    if (novita_posix_port_init(&t->posix, &pcfg) != NOVITA_PORT_OK) {
        fprintf(stderr, "port: %s\n", novita_posix_port_last_error(&t->posix));
        return 1;
    }
    novita_client_config_init(&cfg);
    cfg.base_url = base_url;
    cfg.api_key = "sim-key";
    cfg.retry_base_ms = 50;
    if (novita_client_init(&t->client, &cfg, novita_posix_port_get(&t->posix), t->work, sizeof t->work,
                           t->tokens, NOVITA_JSON_TOKENS) != NOVITA_OK) {
        fprintf(stderr, "client: %s\n", novita_client_last_error(&t->client)->message);
        novita_posix_port_free(&t->posix);
        return 1;
    }
    return 0;
}

static inline void itest_free(itest *t)
{
    novita_client_close(&t->client);
    novita_posix_port_free(&t->posix);
}

/* The last error's message, for failure output. */
static inline const char *itest_error(const itest *t)
{
    return novita_client_last_error(&t->client)->message;
}

#endif /* NOVITA_ITEST_H */

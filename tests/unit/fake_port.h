/* A scripted in-memory port for unit tests: fault injection without sockets. */
#ifndef NOVITA_FAKE_PORT_H
#define NOVITA_FAKE_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/port.h"

#define FAKE_MAX_RESPONSES 8
#define FAKE_SENT_MAX 65536

typedef struct fake_port {
    novita_port port;
    /* script: response i is served on the i-th request */
    const char *responses[FAKE_MAX_RESPONSES];
    size_t response_len[FAKE_MAX_RESPONSES]; /* 0 = strlen */
    size_t response_count;
    size_t served;            /* responses started */
    size_t chunk;             /* bytes per recv (1 = one byte at a time); 0 = all available */
    int32_t connect_result;   /* what connect returns */
    int close_after_response; /* peer closes after each response */
    /* state */
    size_t pos;               /* position in the current response */
    int open;
    int response_active;
    uint32_t now;
    /* observations */
    unsigned connects, closes, sleeps;
    char last_host[128];      /* target of the latest connect */
    uint16_t last_port;
    bool last_tls;
    uint64_t slept_ms;        /* total of all sleeps */
    uint32_t last_sleep_ms;
    char sent[FAKE_SENT_MAX];
    size_t sent_len;
    size_t request_starts[FAKE_MAX_RESPONSES];
    size_t requests;
} fake_port;

void fake_port_init(fake_port *f);
/* Serve `bytes` as the response to request i: len bytes, or up to the NUL when len is 0. Borrowed: they
 * must stay valid while the port serves them. */
void fake_port_respond(fake_port *f, size_t i, const char *bytes, size_t len);
/* Initialise f (reads of `chunk` bytes, 0 = all available) and a client c on it with key "test-key",
 * base_url and retry_base_ms, over the caller's work buffer and tokens. Returns novita_client_init's result. */
novita_result fake_client_init(novita_client *c, fake_port *f, size_t chunk, const char *base_url,
                               uint32_t retry_base_ms, uint8_t *work, size_t work_size, novita_json_token *tokens,
                               size_t token_count);
/* Bytes of request k (0-based) as sent, NUL-terminated copy into out. */
const char *fake_port_request(const fake_port *f, size_t k);

#endif

#include "fake_port.h"

#include <string.h>

static size_t response_length(const fake_port *f, size_t i)
{
    return f->response_len[i] ? f->response_len[i] : strlen(f->responses[i]);
}

static int32_t fake_connect(void *ctx, const novita_port_target *target, uint32_t timeout_ms)
{
    fake_port *f = (fake_port *)ctx;
    size_t n = strlen(target->host);
    (void)timeout_ms;
    if (n >= sizeof(f->last_host))
        n = sizeof(f->last_host) - 1;
    memcpy(f->last_host, target->host, n);
    f->last_host[n] = '\0';
    f->last_port = target->port;
    f->last_tls = target->use_tls;
    f->connects++;
    if (f->connect_result != NOVITA_PORT_OK)
        return f->connect_result;
    f->open = 1;
    return NOVITA_PORT_OK;
}

static int32_t fake_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    fake_port *f = (fake_port *)ctx;
    (void)timeout_ms;
    if (!f->open)
        return NOVITA_PORT_ERR_IO;
    if (!f->response_active) { /* first bytes of a new request */
        if (f->requests < FAKE_MAX_RESPONSES)
            f->request_starts[f->requests] = f->sent_len;
        f->requests++;
        f->response_active = 1;
        f->pos = 0;
    }
    if (f->sent_len + len < FAKE_SENT_MAX) {
        memcpy(f->sent + f->sent_len, data, len);
        f->sent_len += len;
        f->sent[f->sent_len] = '\0';
    }
    return (int32_t)len;
}

static int32_t fake_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    fake_port *f = (fake_port *)ctx;
    size_t i, total, n;
    if (!f->open)
        return NOVITA_PORT_CLOSED;
    if (!f->response_active) /* idle probe or nothing requested */
        return timeout_ms == 0 ? NOVITA_PORT_TIMEOUT : NOVITA_PORT_TIMEOUT;
    i = f->served;
    if (i >= f->response_count)
        return NOVITA_PORT_CLOSED;
    total = response_length(f, i);
    if (f->pos >= total) {
        f->served++;
        f->response_active = 0;
        if (f->close_after_response) {
            f->open = 0;
            return NOVITA_PORT_CLOSED;
        }
        return NOVITA_PORT_TIMEOUT;
    }
    n = total - f->pos;
    if (f->chunk && n > f->chunk)
        n = f->chunk;
    if (n > len)
        n = len;
    memcpy(buf, f->responses[i] + f->pos, n);
    f->pos += n;
    if (f->pos >= total && !f->close_after_response) {
        f->served++;
        f->response_active = 0;
    }
    return (int32_t)n;
}

static void fake_close(void *ctx)
{
    fake_port *f = (fake_port *)ctx;
    if (f->open)
        f->closes++;
    f->open = 0;
    f->response_active = 0;
}

static uint32_t fake_now(void *ctx)
{
    fake_port *f = (fake_port *)ctx;
    return f->now += 1; /* time moves a little on every look */
}

static void fake_sleep(void *ctx, uint32_t ms)
{
    fake_port *f = (fake_port *)ctx;
    f->sleeps++;
    f->slept_ms += ms;
    f->last_sleep_ms = ms;
    f->now += ms;
}

void fake_port_init(fake_port *f)
{
    memset(f, 0, sizeof(*f));
    f->port.ctx = f;
    f->port.connect = fake_connect;
    f->port.send = fake_send;
    f->port.recv = fake_recv;
    f->port.close = fake_close;
    f->port.now_ms = fake_now;
    f->port.sleep_ms = fake_sleep;
}

novita_result fake_client_init(novita_client *c, fake_port *f, size_t chunk, const char *base_url,
                               uint32_t retry_base_ms, uint8_t *work, size_t work_size, novita_json_token *tokens,
                               size_t token_count)
{
    novita_client_config cfg;
    fake_port_init(f);
    f->chunk = chunk;
    novita_client_config_init(&cfg);
    cfg.api_key = "test-key";
    cfg.base_url = base_url;
    cfg.retry_base_ms = retry_base_ms;
    return novita_client_init(c, &cfg, &f->port, work, work_size, tokens, token_count);
}

void fake_port_respond(fake_port *f, size_t i, const char *bytes, size_t len)
{
    f->responses[i] = bytes;
    f->response_len[i] = len;
    if (f->response_count <= i)
        f->response_count = i + 1;
}

const char *fake_port_request(const fake_port *f, size_t k)
{
    if (k >= f->requests || k >= FAKE_MAX_RESPONSES)
        return "";
    return f->sent + f->request_starts[k];
}

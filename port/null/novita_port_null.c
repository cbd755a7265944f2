/*
 * The null port (see novita_port_null.h): every function of the port table, none of them with a network.
 * A new port starts from a copy of this file and replaces each body (docs/porting.md).
 */
#include "novita_port_null.h"

#include <stddef.h>

static int32_t null_connect(void *ctx, const novita_port_target *target, uint32_t timeout_ms)
{
    novita_null_port *port = (novita_null_port *)ctx;
    (void)timeout_ms; /* a real port bounds DNS + TCP connect + TLS handshake by this */
    if (port == NULL || target == NULL || target->host == NULL || target->host[0] == '\0')
        return NOVITA_PORT_ERR_ARG;
    port->connect_calls++;
    /* A real port would close any previous connection here, resolve target->host, connect to
     * target->port and, when target->use_tls, run a verified TLS handshake with target->host as SNI. */
    return NOVITA_PORT_ERR_CONNECT;
}

static int32_t null_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    (void)data;
    (void)len;
    (void)timeout_ms;
    return NOVITA_PORT_ERR_ARG; /* no connection is ever open */
}

static int32_t null_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return NOVITA_PORT_ERR_ARG; /* no connection is ever open; never 0 */
}

static void null_close(void *ctx)
{
    (void)ctx; /* nothing to close */
}

static uint32_t null_now_ms(void *ctx)
{
    const novita_null_port *port = (const novita_null_port *)ctx;
    return port != NULL ? port->clock_ms : 0u;
}

static void null_sleep_ms(void *ctx, uint32_t ms)
{
    novita_null_port *port = (novita_null_port *)ctx;
    if (port != NULL)
        port->clock_ms += ms; /* unsigned: wraps at 2^32 like a hardware tick counter */
}

novita_port *novita_null_port_init(novita_null_port *port)
{
    if (port == NULL)
        return NULL;
    port->table.ctx = port;
    port->table.connect = null_connect;
    port->table.send = null_send;
    port->table.recv = null_recv;
    port->table.close = null_close;
    port->table.now_ms = null_now_ms;
    port->table.sleep_ms = null_sleep_ms;
    port->clock_ms = 0u;
    port->connect_calls = 0u;
    return &port->table;
}

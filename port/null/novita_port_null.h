/**
 * @file novita_port_null.h
 * @brief The null port: the smallest complete implementation of novita/port.h. It has no network.
 *
 * Two uses:
 * - the porting example: every function of the port table is here, in under a hundred lines, with the
 *   argument checks and return codes a real port must give (docs/porting.md walks through it);
 * - the port that cross-built firmware links (scripts/cross-build.sh), so that code size and stack depth
 *   of the library can be measured without any network stack or TLS library.
 *
 * Behaviour of the function table (the general contract is in novita/port.h):
 * - connect: always fails with NOVITA_PORT_ERR_CONNECT ("unreachable": this port has no network), or
 *   NOVITA_PORT_ERR_ARG for a NULL context/target or an empty host. It never blocks.
 * - send, recv: no connection can be open, so both return NOVITA_PORT_ERR_ARG (the status every port gives
 *   for I/O without a connection). recv never returns 0, as the contract requires.
 * - close: does nothing (there is never a connection); safe to call at any time.
 * - now_ms: a virtual clock in milliseconds. It starts at 0 and only sleep_ms advances it, so timeouts,
 *   retry backoff and the polling of novita_instances_wait() run to completion instantly and
 *   deterministically, with no timer hardware.
 * - sleep_ms: does not block; adds ms to the virtual clock (wrapping at 2^32 like a real 32-bit clock).
 *
 * Memory: no allocation, no global state; all state is in the caller's novita_null_port.
 * Threads: one novita_null_port per client task, like every port.
 *
 * @code{c}
 * static novita_null_port null_port;
 * novita_port *port = novita_null_port_init(&null_port);
 * // novita_client_init(&client, &cfg, port, ...); every call then fails with NOVITA_ERR_NETWORK and
 * // novita_client_last_error(&client)->port_code == NOVITA_PORT_ERR_CONNECT.
 * @endcode
 */
#ifndef NOVITA_PORT_NULL_H
#define NOVITA_PORT_NULL_H

#include <stdint.h>

#include "novita/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** State of one null port. Caller-allocated; fields are readable for diagnostics, written only by the port. */
typedef struct novita_null_port {
    novita_port table;      /**< function table returned by novita_null_port_init(); ctx points to this struct */
    uint32_t clock_ms;      /**< the virtual clock read by now_ms and advanced by sleep_ms */
    uint32_t connect_calls; /**< how many times connect was called (each one failed) */
} novita_null_port;

/**
 * @brief Initialise a null port and return its function table.
 * @param[out] port caller-allocated storage (any contents); owned by the caller, must stay at the same
 *                  address while the table is in use (the table's ctx points to it).
 * @return the function table inside `port`, to hand to novita_client_init(); NULL when port is NULL.
 *         The clock starts at 0 and connect_calls at 0.
 */
novita_port *novita_null_port_init(novita_null_port *port);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_PORT_NULL_H */

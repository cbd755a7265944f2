/**
 * @file port.h
 * @brief The port interface: the only way novita-c touches the network, the clock and time.
 *
 * A port owns at most one connection at a time. The core never blocks except inside these functions, and
 * never calls them with a timeout longer than the one it was configured with. Implementations:
 * port/posix (BSD sockets + mbedTLS), port/esp32 (lwIP sockets + mbedTLS + the ESP-IDF certificate bundle),
 * both over port/mbedtls (their shared socket and TLS code), and port/null (does nothing; for size
 * measurement and cross builds). docs/porting.md says how to write another.
 *
 * Contract for every function that returns int32_t:
 * - a value > 0 is a byte count (send, recv), 0 is success (connect);
 * - a negative value is one of novita_port_status;
 * - recv never returns 0: a peer that closed the stream is NOVITA_PORT_CLOSED, no data within the
 *   timeout is NOVITA_PORT_TIMEOUT (and with timeout_ms == 0 that means "nothing available right now").
 */
#ifndef NOVITA_PORT_H
#define NOVITA_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Negative results of port functions. */
typedef enum novita_port_status {
    NOVITA_PORT_OK = 0,
    NOVITA_PORT_CLOSED = -1,        /**< the peer closed the connection (EOF, TLS close_notify) */
    NOVITA_PORT_TIMEOUT = -2,       /**< nothing happened within the timeout */
    NOVITA_PORT_ERR_DNS = -3,       /**< the host name could not be resolved */
    NOVITA_PORT_ERR_CONNECT = -4,   /**< TCP connect refused or unreachable */
    NOVITA_PORT_ERR_IO = -5,        /**< send/recv failed (reset, broken pipe) */
    NOVITA_PORT_ERR_TLS = -6,       /**< TLS handshake or record failure */
    NOVITA_PORT_ERR_CERT = -7,      /**< the server certificate or host name did not verify */
    NOVITA_PORT_ERR_ARG = -8,       /**< bad arguments or port not initialised */
    NOVITA_PORT_ERR_NO_TLS = -9     /**< TLS was asked for but this port has none */
} novita_port_status;

/** Where to connect. `host` is NUL-terminated and stays valid during the call only. */
typedef struct novita_port_target {
    const char *host; /**< DNS name or literal address; also the TLS server name (SNI + verification) */
    uint16_t port;    /**< TCP port */
    bool use_tls;     /**< true for https:// */
} novita_port_target;

/** A port: a table of functions and their context. The caller owns it; the client borrows it. */
typedef struct novita_port {
    void *ctx; /**< passed back to every function */

    /** Open a connection (TCP, then TLS when target->use_tls), closing any previous one first.
     *  @return NOVITA_PORT_OK or a negative novita_port_status. */
    int32_t (*connect)(void *ctx, const novita_port_target *target, uint32_t timeout_ms);

    /** Send up to len bytes. @return bytes sent (> 0, possibly fewer than len) or a negative status. */
    int32_t (*send)(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms);

    /** Receive up to len bytes, waiting at most timeout_ms.
     *  @return bytes received (> 0) or a negative status; never 0. */
    int32_t (*recv)(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms);

    /** Close the connection if one is open. Safe to call when none is. */
    void (*close)(void *ctx);

    /** A monotonic clock in milliseconds (wraps at 2^32; the core only subtracts). */
    uint32_t (*now_ms)(void *ctx);

    /** Sleep for ms milliseconds (used between retries and polls). */
    void (*sleep_ms)(void *ctx, uint32_t ms);
} novita_port;

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_PORT_H */

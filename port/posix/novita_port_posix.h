/**
 * @file novita_port_posix.h
 * @brief The POSIX port: BSD sockets (getaddrinfo, poll) and mbedTLS 2.28 / 3.x for TLS.
 *
 * Usage:
 * @code
 *   static novita_posix_port pp;                 // caller-allocated and large: prefer static storage
 *   novita_posix_config cfg = { NULL };          // NULL = system CA bundle
 *   if (novita_posix_port_init(&pp, &cfg) != NOVITA_PORT_OK) {
 *       fprintf(stderr, "%s\n", novita_posix_port_last_error(&pp));
 *   }
 *   novita_port *port = novita_posix_port_get(&pp); // hand this to the client
 *   ...
 *   novita_posix_port_free(&pp);
 * @endcode
 *
 * Behaviour of the function table (see novita/port.h for the general contract):
 * - connect: resolves with getaddrinfo() and tries every address in order; the TCP connect of all addresses
 *   plus the TLS handshake share one deadline of timeout_ms (name resolution itself cannot be bounded).
 *   Returns NOVITA_PORT_OK, NOVITA_PORT_ERR_ARG (NULL/empty host, port not initialised), NOVITA_PORT_ERR_DNS,
 *   NOVITA_PORT_ERR_CONNECT (every address refused/unreachable), NOVITA_PORT_TIMEOUT (deadline passed during
 *   TCP connect or the handshake), NOVITA_PORT_ERR_CERT (no usable CA bundle, or the server certificate or
 *   host name did not verify), NOVITA_PORT_ERR_TLS (any other handshake failure).
 *   TLS always verifies the peer (VERIFY_REQUIRED, TLS >= 1.2) and always sets the host name for SNI and
 *   name checking. A literal IP address as host only verifies against an IP SAN on mbedTLS >= 3.5.
 * - send: bytes sent (> 0, possibly fewer than len), NOVITA_PORT_TIMEOUT (socket not writable in time),
 *   NOVITA_PORT_ERR_IO (reset, broken pipe; SIGPIPE is never raised), NOVITA_PORT_ERR_TLS,
 *   NOVITA_PORT_ERR_ARG (no connection, NULL data or len == 0). A TLS send that times out leaves a partly
 *   written record behind: every later send/recv on that connection returns NOVITA_PORT_ERR_IO until close
 *   or connect. Likewise after NOVITA_PORT_ERR_IO / NOVITA_PORT_ERR_TLS on a TLS connection, later calls
 *   repeat that status.
 * - recv: bytes received (> 0), NOVITA_PORT_CLOSED (EOF or TLS close_notify; repeated on later calls),
 *   NOVITA_PORT_TIMEOUT (nothing within timeout_ms; timeout_ms == 0 only takes what is already there; the
 *   connection stays usable), NOVITA_PORT_ERR_IO, NOVITA_PORT_ERR_TLS, NOVITA_PORT_ERR_ARG.
 * - close: sends a TLS close_notify without waiting, closes the socket. Safe without a connection.
 * - now_ms: CLOCK_MONOTONIC in milliseconds, truncated to 32 bits. sleep_ms: nanosleep, resumed after signals.
 *
 * Memory: this code never calls malloc. mbedTLS allocates internally (record buffers ~32 KiB while a TLS
 * connection is open, the parsed CA chain for the life of the port), and so does getaddrinfo().
 *
 * Threads: one novita_posix_port must be used by one thread at a time; separate ports are independent.
 * psa_crypto_init() is called by init when mbedTLS has PSA crypto; the port never calls
 * mbedtls_psa_crypto_free() because PSA state is process-global.
 */
#ifndef NOVITA_PORT_POSIX_H
#define NOVITA_PORT_POSIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/port.h"
#include "novita_mbedtls_io.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of the last-error text buffer, including the NUL. Longer messages are truncated. */
#ifndef NOVITA_POSIX_ERROR_MAX
#define NOVITA_POSIX_ERROR_MAX 192u
#endif

/** Configuration for novita_posix_port_init(). Only read during the init call. */
typedef struct novita_posix_config {
    /** PEM bundle of trusted CA certificates; NULL = system bundle, trying
     *  /etc/ssl/certs/ca-certificates.crt then /etc/pki/tls/certs/ca-bundle.crt */
    const char *ca_file;
} novita_posix_config;

/**
 * State of one POSIX port. Allocated by the caller; it embeds the mbedTLS contexts (in `io`), so its size
 * depends on the mbedTLS build: about 40 KiB with Debian 12's 2.28 (HAVEGE state inside the entropy
 * context), about 3.4 KiB with a default 3.6. Prefer static storage. Every field is private: use the
 * functions below.
 */
typedef struct novita_posix_port {
    novita_port table;      /**< function table handed out by novita_posix_port_get(); ctx = this struct */
    uint32_t magic;         /**< marks an initialised port */
    int32_t ca_status;      /**< NOVITA_PORT_OK if the CA chain loaded, else NOVITA_PORT_ERR_CERT */
    char ca_error[NOVITA_POSIX_ERROR_MAX];   /**< why no CA chain is available (replayed on TLS connect) */
    char last_error[NOVITA_POSIX_ERROR_MAX]; /**< text of the last failure (io writes its texts here) */
    novita_mbedtls_io io;   /**< socket, TLS session, mbedTLS contexts and CA chain (port/mbedtls) */
} novita_posix_port;

/**
 * Initialise a port: seed the random generator, set up the TLS configuration and load the CA bundle.
 *
 * Loading rules: an explicit cfg->ca_file that cannot be read or holds no parsable certificate makes init
 * fail with NOVITA_PORT_ERR_CERT. With cfg == NULL or cfg->ca_file == NULL the system bundles are tried;
 * if none loads, init still succeeds (plain TCP works) and every TLS connect fails with
 * NOVITA_PORT_ERR_CERT and the reason in novita_posix_port_last_error().
 *
 * @param[out] p    caller-allocated storage, any contents, but not an initialised port (that would leak:
 *                  call novita_posix_port_free() first); owned by the caller, must stay at the same
 *                  address until novita_posix_port_free() (the function table points into it).
 * @param[in]  cfg  configuration, may be NULL (= system bundle); not retained after the call.
 * @return NOVITA_PORT_OK;
 *         NOVITA_PORT_ERR_ARG if p is NULL;
 *         NOVITA_PORT_ERR_CERT if cfg->ca_file is set but unusable;
 *         NOVITA_PORT_ERR_TLS if mbedTLS could not be set up (PSA init, RNG seeding, TLS defaults).
 *         On any failure everything is already released and novita_posix_port_last_error() (if p is not
 *         NULL) says why; calling novita_posix_port_free() afterwards is allowed and does nothing.
 */
int32_t novita_posix_port_init(novita_posix_port *p, const novita_posix_config *cfg);

/**
 * The function table of an initialised port, to give to the client.
 *
 * @param[in] p  a port on which novita_posix_port_init() succeeded.
 * @return a pointer into p (ctx == p), valid until novita_posix_port_free(p); NULL if p is NULL.
 *         The table's functions return NOVITA_PORT_ERR_ARG if the port is not initialised.
 */
novita_port *novita_posix_port_get(novita_posix_port *p);

/**
 * Close any open connection and release everything mbedTLS allocated for the port.
 *
 * @param[in,out] p  a port after novita_posix_port_init() (successful or not), or NULL (no-op).
 *                   Calling it twice is harmless. The storage stays owned by the caller; the table
 *                   from novita_posix_port_get() must not be used afterwards.
 */
void novita_posix_port_free(novita_posix_port *p);

/**
 * A short human description of the most recent failure (e.g. "certificate verify failed: The certificate
 * Common Name (CN) does not match with the expected CN", "connect localhost (127.0.0.1) port 1: Connection
 * refused"). Successful calls do not clear it.
 *
 * @param[in] p  a port after novita_posix_port_init(), or NULL.
 * @return a NUL-terminated string inside p (owned by p, overwritten by the next failure); "" if nothing
 *         failed yet; a static string if p is NULL.
 */
const char *novita_posix_port_last_error(const novita_posix_port *p);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_PORT_POSIX_H */

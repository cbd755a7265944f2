/**
 * @file novita_mbedtls_io.h
 * @brief One connection over a non-blocking BSD socket with optional mbedTLS: the part of port/posix and
 *        port/esp32 that does not depend on the platform, written once.
 *
 * A port embeds a novita_mbedtls_io in its state struct and keeps only what differs per platform:
 * - its novita_mbedtls_io_ops: the monotonic clock, how to wait for a socket (POSIX poll(), lwIP select()
 *   with tick rounding), the flags of every send() (MSG_NOSIGNAL where SIGPIPE exists);
 * - name resolution and the TCP connect (it stores the connected non-blocking socket in io->fd);
 * - its trust anchors (a CA file, a PEM text, the ESP-IDF certificate bundle) in io->ca / io->conf;
 * - now_ms, sleep_ms, and the extra hints it adds to error texts.
 *
 * This module does the rest: the mbedTLS client configuration (VERIFY_REQUIRED, TLS 1.2 minimum,
 * psa_crypto_init() where PSA exists), the handshake (host name always set for SNI and the name check),
 * send, recv, close_notify, and the mapping of every failure to a novita_port_status plus an error text.
 *
 * Timeouts: every port call starts one deadline (connect: before the TCP connect, so the TCP connect and
 * the handshake share it). mbedTLS reads and writes through our own BIO callbacks, which wait on the socket
 * at most until that deadline and then report MBEDTLS_ERR_SSL_TIMEOUT / MBEDTLS_ERR_SSL_WANT_WRITE, so a
 * loop over mbedTLS ends; mbedTLS's own read timeout (mbedtls_ssl_conf_read_timeout) is not used. Each loop
 * iteration does at most one bounded wait, and past the deadline only a few non-blocking attempts
 * (for records that already arrived, e.g. a TLS 1.3 NewSessionTicket before application data).
 *
 * Builds against mbedTLS 2.28 and 3.x (3.2 .. 3.6) using public APIs only. Never calls malloc; mbedTLS
 * allocates internally. One novita_mbedtls_io is used by one thread or task at a time.
 */
#ifndef NOVITA_MBEDTLS_IO_H
#define NOVITA_MBEDTLS_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/version.h>

#if MBEDTLS_VERSION_NUMBER >= 0x04000000
#error "port/mbedtls supports mbedTLS 2.28 and 3.x; mbedTLS 4 is not supported yet"
#endif

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "novita/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a platform supplies. A port keeps one static const instance and passes it to novita_mbedtls_io_init(). */
typedef struct novita_mbedtls_io_ops {
    /** A monotonic clock in microseconds (any origin). */
    int64_t (*now_us)(void);

    /**
     * Wait once until fd is readable (for_write false) or writable (true), or until deadline_us (a
     * now_us() value) has passed. It must really block until then (never return 0 before the deadline
     * just because the platform's timer is coarse) and return at once when the deadline has passed.
     * @return 1 ready (or an error is pending: the next send/recv reports it), 0 the deadline passed,
     *         -1 the wait itself failed (errno says why).
     */
    int (*wait)(int fd, bool for_write, int64_t deadline_us);

    /** Flags passed to every send(): MSG_NOSIGNAL where SIGPIPE exists, else 0. */
    int send_flags;

    /** Name of the wait primitive in error texts, e.g. "poll" ("recv: poll: Bad file descriptor"). */
    const char *wait_name;
} novita_mbedtls_io_ops;

/**
 * One connection and the mbedTLS state behind it. Lives inside the port's caller-allocated struct, which
 * must not move after novita_mbedtls_io_init() (mbedTLS and `error` point into it). The port may read every
 * field and writes only fd (after its TCP connect), ca and conf (trust anchors, at init); the rest is
 * private to this module.
 */
typedef struct novita_mbedtls_io {
    const novita_mbedtls_io_ops *ops; /**< the platform's functions (borrowed, must outlive io) */
    char *error;                      /**< where error texts go: normally the port's last_error (borrowed) */
    size_t error_size;                /**< size of that buffer, including the NUL */
    int fd;                           /**< connected non-blocking socket, -1 when none */
    bool tls;                         /**< the open connection uses TLS (ssl is set up) */
    bool peer_closed;                 /**< EOF or close_notify seen: recv keeps returning NOVITA_PORT_CLOSED */
    bool tcp_eof;                     /**< the socket itself reached end of stream (mbedtls_ssl_read's 0
                                           also follows two empty TLS records, which are no close) */
    int32_t fatal;                    /**< non-zero: the connection is unusable, send/recv return this */
    int sock_errno;                   /**< errno of the last socket failure (named in error texts) */
    uint32_t verify_flags;            /**< X.509 flags of the last failed certificate verification, else 0 */
    int64_t deadline_us;              /**< ops->now_us() deadline of the current port call */
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_x509_crt ca;              /**< trust anchors the port parsed (may stay empty, e.g. with a bundle) */
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
} novita_mbedtls_io;

/**
 * Prepare io: no connection, every mbedTLS context in its initial state. Cannot fail.
 *
 * @param[out] io          storage inside the port's struct (any contents; not an io already set up: that
 *                         would leak).
 * @param[in]  ops         the platform's functions; borrowed, must outlive io (a static const is best).
 * @param[out] error       buffer for error texts (the port's last_error); borrowed, must outlive io.
 * @param[in]  error_size  its size, including the NUL.
 */
void novita_mbedtls_io_init(novita_mbedtls_io *io, const novita_mbedtls_io_ops *ops, char *error,
                            size_t error_size);

/**
 * Set up the TLS client configuration: psa_crypto_init() (when mbedTLS has PSA crypto), the CTR-DRBG seeded
 * from mbedTLS's entropy sources, stream client defaults, VERIFY_REQUIRED, TLS 1.2 minimum. Trust anchors
 * are the port's job afterwards (io->ca + mbedtls_ssl_conf_ca_chain(), or a verify callback).
 *
 * @param[in,out] io               after novita_mbedtls_io_init().
 * @param[in]     personalization  NUL-terminated string mixed into the DRBG seed (names the port).
 * @return NOVITA_PORT_OK, or NOVITA_PORT_ERR_TLS with the reason in the error text ("psa_crypto_init
 *         failed", "tls init: ..."). On failure the caller releases io with novita_mbedtls_io_free().
 */
int32_t novita_mbedtls_io_setup(novita_mbedtls_io *io, const char *personalization);

/**
 * Close any connection and free every mbedTLS context of io (the error text is left as it is).
 *
 * @param[in,out] io  after novita_mbedtls_io_init(); afterwards only novita_mbedtls_io_init() may use it.
 */
void novita_mbedtls_io_free(novita_mbedtls_io *io);

/**
 * Start the deadline of the current port call: timeout_ms from now. send and recv start their own; a
 * port's connect calls this before its TCP connect, waits with ops->wait(fd, ..., io->deadline_us), and
 * novita_mbedtls_io_handshake() then uses what is left.
 *
 * @param[in,out] io          after novita_mbedtls_io_init().
 * @param[in]     timeout_ms  0 = already passed: every wait is a pure poll.
 */
void novita_mbedtls_io_start_deadline(novita_mbedtls_io *io, uint32_t timeout_ms);

/**
 * Run the TLS handshake on the connected socket io->fd, within the deadline already started: set up the
 * ssl context, set the host name (SNI and certificate name check, always), verify the server.
 *
 * @param[in,out] io          set up, with io->fd connected and no TLS session yet.
 * @param[in]     host        the name to send and verify (NUL-terminated; only used during the call,
 *                            mbedTLS keeps its own copy).
 * @param[in]     timeout_ms  the connect timeout, only to be named in the error text.
 * @return NOVITA_PORT_OK;
 *         NOVITA_PORT_TIMEOUT (deadline passed);
 *         NOVITA_PORT_ERR_CERT (chain, dates, host name or key usage did not verify: io->verify_flags holds the X.509
 *         flags, or the server certificate did not parse);
 *         NOVITA_PORT_ERR_ARG (host name refused by mbedTLS, no connected socket);
 *         NOVITA_PORT_ERR_TLS (any other failure).
 *         On failure the error text says why and the caller must call novita_mbedtls_io_close() (no
 *         close_notify is sent for a failed handshake).
 */
int32_t novita_mbedtls_io_handshake(novita_mbedtls_io *io, const char *host, uint32_t timeout_ms);

/**
 * Send up to len bytes, over TLS when the handshake was done, else over plain TCP. Waits at most
 * timeout_ms for the socket to take at least one byte. SIGPIPE is avoided through ops->send_flags.
 *
 * @param[in,out] io    after novita_mbedtls_io_init().
 * @param[in]     data  bytes to send (borrowed for the call).
 * @param[in]     len   > 0.
 * @return bytes sent (1..len), NOVITA_PORT_TIMEOUT, NOVITA_PORT_ERR_IO (reset, broken pipe),
 *         NOVITA_PORT_ERR_TLS, NOVITA_PORT_ERR_ARG (no connection, NULL data, len 0). A TLS send that
 *         times out may leave a record half written: the connection is then unusable and later calls
 *         return NOVITA_PORT_ERR_IO; after NOVITA_PORT_ERR_IO / _ERR_TLS on TLS, later calls repeat it.
 */
int32_t novita_mbedtls_io_send(novita_mbedtls_io *io, const uint8_t *data, size_t len, uint32_t timeout_ms);

/**
 * Receive up to len bytes, waiting at most timeout_ms for the first one (0: only what has already
 * arrived, in mbedTLS's buffer or in the socket). TLS 1.3 post-handshake messages (NewSessionTicket)
 * are consumed on the way.
 *
 * @param[in,out] io   after novita_mbedtls_io_init().
 * @param[out]    buf  where the bytes go.
 * @param[in]     len  > 0.
 * @return bytes received (> 0, never 0), NOVITA_PORT_CLOSED (EOF or close_notify; repeated on later
 *         calls), NOVITA_PORT_TIMEOUT (the connection stays usable), NOVITA_PORT_ERR_IO,
 *         NOVITA_PORT_ERR_TLS, NOVITA_PORT_ERR_ARG.
 */
int32_t novita_mbedtls_io_recv(novita_mbedtls_io *io, uint8_t *buf, size_t len, uint32_t timeout_ms);

/**
 * Close the connection if there is one: a TLS close_notify (one non-blocking attempt, skipped after a
 * failure), the ssl context, the socket. Safe without a connection and more than once.
 *
 * @param[in,out] io  after novita_mbedtls_io_init().
 */
void novita_mbedtls_io_close(novita_mbedtls_io *io);

/**
 * Replace the error text (printf format), truncating to the buffer. Ports use it for their own failures.
 *
 * @param[in,out] io   after novita_mbedtls_io_init().
 * @param[in]     fmt  printf format and its arguments.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void novita_mbedtls_io_set_error(novita_mbedtls_io *io, const char *fmt, ...);

/**
 * Append text to the error text, truncating (e.g. a hint after "certificate verify failed: ...").
 *
 * @param[in,out] io    after novita_mbedtls_io_init().
 * @param[in]     text  NUL-terminated.
 */
void novita_mbedtls_io_append_error(novita_mbedtls_io *io, const char *text);

/**
 * Describe an mbedTLS error code: "<mbedTLS text> (-0x2700)", or "mbedTLS error -0x2700" when mbedTLS was
 * built without error strings.
 *
 * @param[in]  ret   a negative mbedTLS return code.
 * @param[out] buf   where the NUL-terminated text goes (truncated to size).
 * @param[in]  size  size of buf; > 0.
 */
void novita_mbedtls_io_error_text(int ret, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_MBEDTLS_IO_H */

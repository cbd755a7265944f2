/**
 * @file novita_mbedtls_io.c
 * @brief Socket I/O and mbedTLS for port/posix and port/esp32 (see novita_mbedtls_io.h).
 *
 * Layers, bottom up:
 * - sock_send / sock_recv: one non-blocking send()/recv() with its waits, bounded by io->deadline_us;
 * - bio_send / bio_recv_timeout: the same, as mbedTLS I/O callbacks (our own, not mbedtls_net_*: ESP-IDF's
 *   mbedtls_net_recv() maps an SO_RCVTIMEO expiry to WANT_READ, which would make the loops below endless);
 * - the public send / recv / handshake / close, over TLS or plain TCP, mapping everything to port statuses.
 */
#include "novita_mbedtls_io.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h> /* only for the MBEDTLS_ERR_NET_* codes our callbacks return */
#include <mbedtls/x509.h>

#if defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

/* How many extra mbedTLS calls a read/write/handshake may make after its deadline passed, so that records
 * already received (e.g. a TLS 1.3 NewSessionTicket before the data) are still consumed with a zero wait. */
#define LATE_RETRIES 8

/* Results of sock_send / sock_recv below zero. */
#define SOCK_TIMEOUT (-1)     /* the deadline passed before the socket was ready */
#define SOCK_RESET (-2)       /* the peer reset the connection (ECONNRESET, EPIPE); sock_errno set */
#define SOCK_FAILED (-3)      /* any other send/recv error; sock_errno set */
#define SOCK_WAIT_FAILED (-4) /* ops->wait failed; sock_errno set */

/* Error formatting stays out of line: its text buffers must not sit in the stack frame that calls
 * mbedtls_ssl_handshake(), the deepest path on a device. */
#if defined(__GNUC__)
#define NOT_INLINED __attribute__((noinline))
#else
#define NOT_INLINED
#endif

/* ------------------------------------------------------------------------------------------------ */
/* Error texts                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

void novita_mbedtls_io_set_error(novita_mbedtls_io *io, const char *fmt, ...)
{
    va_list ap;
    if (io->error == NULL || io->error_size == 0u) {
        return;
    }
    va_start(ap, fmt);
    (void)vsnprintf(io->error, io->error_size, fmt, ap);
    va_end(ap);
}

void novita_mbedtls_io_append_error(novita_mbedtls_io *io, const char *text)
{
    size_t used;
    size_t n = strlen(text);
    if (io->error == NULL || io->error_size == 0u) {
        return;
    }
    used = strlen(io->error);
    if (n > io->error_size - 1u - used) {
        n = io->error_size - 1u - used;
    }
    memcpy(io->error + used, text, n);
    io->error[used + n] = '\0';
}

void novita_mbedtls_io_error_text(int ret, char *buf, size_t size)
{
#if defined(MBEDTLS_ERROR_C)
    char tmp[100];
    mbedtls_strerror(ret, tmp, sizeof tmp);
    (void)snprintf(buf, size, "%s (-0x%04x)", tmp, (unsigned)-ret);
#else
    (void)snprintf(buf, size, "mbedTLS error -0x%04x", (unsigned)-ret);
#endif
}

/* Append mbedTLS's description of ret to the error text ("tls setup: " + "... (-0x7f00)"). */
static NOT_INLINED void append_tls_text(novita_mbedtls_io *io, int ret)
{
    char text[160];
    novita_mbedtls_io_error_text(ret, text, sizeof text);
    novita_mbedtls_io_append_error(io, text);
}

/* "<what>: timed out after N ms" */
static void set_timeout_error(novita_mbedtls_io *io, const char *what, uint32_t timeout_ms)
{
    novita_mbedtls_io_set_error(io, "%s: timed out after %u ms", what, (unsigned)timeout_ms);
}

/* ------------------------------------------------------------------------------------------------ */
/* Deadline and the non-blocking socket                                                               */
/* ------------------------------------------------------------------------------------------------ */

void novita_mbedtls_io_start_deadline(novita_mbedtls_io *io, uint32_t timeout_ms)
{
    io->deadline_us = io->ops->now_us() + (int64_t)timeout_ms * 1000;
}

static bool deadline_passed(const novita_mbedtls_io *io)
{
    return io->ops->now_us() >= io->deadline_us;
}

/* May a loop over mbedTLS call again? Until the deadline, and then LATE_RETRIES more times (zero waits). */
static bool may_retry(const novita_mbedtls_io *io, int *late)
{
    return !deadline_passed(io) || (*late)++ < LATE_RETRIES;
}

static int wait_socket(novita_mbedtls_io *io, bool for_write)
{
    int w = io->ops->wait(io->fd, for_write, io->deadline_us);
    if (w < 0) {
        io->sock_errno = errno;
    }
    return w;
}

static int socket_failure(novita_mbedtls_io *io, int err)
{
    io->sock_errno = err;
    return (err == ECONNRESET || err == EPIPE) ? SOCK_RESET : SOCK_FAILED;
}

/* Send at least one byte of buf, waiting for room until the deadline.
 * @return bytes sent (> 0) or a SOCK_* code. */
static int sock_send(novita_mbedtls_io *io, const unsigned char *buf, size_t len)
{
    if (len > (size_t)INT_MAX) {
        len = (size_t)INT_MAX;
    }
    for (;;) {
        ssize_t n = send(io->fd, buf, len, io->ops->send_flags);
        int w;
        if (n > 0) {
            return (int)n;
        }
        if (n < 0 && errno == EINTR) {
            continue; /* a signal arrived, the buffer may have room: try again at once */
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            return socket_failure(io, errno);
        }
        w = wait_socket(io, true);
        if (w == 0) {
            return SOCK_TIMEOUT;
        }
        if (w < 0) {
            return SOCK_WAIT_FAILED;
        }
    }
}

/* Receive up to len bytes, waiting for the first until the deadline.
 * @return bytes received (> 0), 0 at EOF, or a SOCK_* code. */
static int sock_recv(novita_mbedtls_io *io, unsigned char *buf, size_t len)
{
    if (len > (size_t)INT_MAX) {
        len = (size_t)INT_MAX;
    }
    for (;;) {
        ssize_t n;
        int w = wait_socket(io, false);
        if (w == 0) {
            return SOCK_TIMEOUT;
        }
        if (w < 0) {
            return SOCK_WAIT_FAILED;
        }
        n = recv(io->fd, buf, len, 0);
        if (n >= 0) {
            return (int)n;
        }
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            return socket_failure(io, errno);
        }
        if (deadline_passed(io)) {
            return SOCK_TIMEOUT; /* ready but nothing to read, and no time left: a new wait would be a poll */
        }
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* mbedTLS I/O callbacks                                                                              */
/* ------------------------------------------------------------------------------------------------ */

/* Errors our callbacks produce for socket failures (the text comes from io->sock_errno). */
static bool is_socket_error(int ret)
{
    return ret == MBEDTLS_ERR_NET_CONN_RESET || ret == MBEDTLS_ERR_NET_RECV_FAILED ||
           ret == MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    int n = sock_send((novita_mbedtls_io *)ctx, buf, len);
    switch (n) {
    case SOCK_TIMEOUT:
        return MBEDTLS_ERR_SSL_WANT_WRITE; /* deadline: the loops over mbedTLS turn this into a timeout */
    case SOCK_RESET:
        return MBEDTLS_ERR_NET_CONN_RESET;
    case SOCK_FAILED:
    case SOCK_WAIT_FAILED:
        return MBEDTLS_ERR_NET_SEND_FAILED;
    default:
        return n;
    }
}

/* The timeout argument (mbedtls_ssl_conf_read_timeout) is ignored: the deadline of the current port call
 * bounds the wait instead, so a whole handshake shares one budget. */
static int bio_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    int n = sock_recv((novita_mbedtls_io *)ctx, buf, len);
    (void)timeout;
    switch (n) {
    case SOCK_TIMEOUT:
        return MBEDTLS_ERR_SSL_TIMEOUT;
    case SOCK_RESET:
        return MBEDTLS_ERR_NET_CONN_RESET;
    case SOCK_FAILED:
    case SOCK_WAIT_FAILED:
        return MBEDTLS_ERR_NET_RECV_FAILED;
    default:
        if (n == 0) { /* TCP EOF; mbedTLS reports it as a 0 return of mbedtls_ssl_read */
            ((novita_mbedtls_io *)ctx)->tcp_eof = true;
        }
        return n;
    }
}

/* WANT_READ / WANT_WRITE and (3.x, TLS 1.3) a received session ticket only mean "call again". */
static bool tls_retryable(int ret)
{
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
        return true;
    }
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
    if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
        return true;
    }
#endif
#if defined(MBEDTLS_ERR_SSL_CRYPTO_IN_PROGRESS)
    if (ret == MBEDTLS_ERR_SSL_CRYPTO_IN_PROGRESS) {
        return true;
    }
#endif
    return false;
}

/* ------------------------------------------------------------------------------------------------ */
/* Life cycle                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

void novita_mbedtls_io_init(novita_mbedtls_io *io, const novita_mbedtls_io_ops *ops, char *error,
                            size_t error_size)
{
    memset(io, 0, sizeof *io);
    io->ops = ops;
    io->error = error;
    io->error_size = error_size;
    io->fd = -1;
    mbedtls_entropy_init(&io->entropy);
    mbedtls_ctr_drbg_init(&io->drbg);
    mbedtls_x509_crt_init(&io->ca);
    mbedtls_ssl_config_init(&io->conf);
    mbedtls_ssl_init(&io->ssl);
}

int32_t novita_mbedtls_io_setup(novita_mbedtls_io *io, const char *personalization)
{
    int ret;

#if defined(MBEDTLS_PSA_CRYPTO_C)
    /* Required for TLS 1.3 on mbedTLS 3.6.0 (ESP-IDF v5.3.0) and harmless elsewhere; idempotent. */
    if (psa_crypto_init() != PSA_SUCCESS) {
        novita_mbedtls_io_set_error(io, "psa_crypto_init failed");
        return NOVITA_PORT_ERR_TLS;
    }
#endif
    ret = mbedtls_ctr_drbg_seed(&io->drbg, mbedtls_entropy_func, &io->entropy,
                                (const unsigned char *)personalization, strlen(personalization));
    if (ret == 0) {
        ret = mbedtls_ssl_config_defaults(&io->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    }
    if (ret != 0) {
        novita_mbedtls_io_set_error(io, "tls init: ");
        append_tls_text(io, ret);
        return NOVITA_PORT_ERR_TLS;
    }
    mbedtls_ssl_conf_authmode(&io->conf, MBEDTLS_SSL_VERIFY_REQUIRED); /* never "optional" */
    mbedtls_ssl_conf_rng(&io->conf, mbedtls_ctr_drbg_random, &io->drbg);
    /* TLS 1.2 minimum: mbedTLS 2.28 still allows 1.0 and 1.1 by default */
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
    mbedtls_ssl_conf_min_tls_version(&io->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(&io->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
    return NOVITA_PORT_OK;
}

void novita_mbedtls_io_free(novita_mbedtls_io *io)
{
    novita_mbedtls_io_close(io);
    mbedtls_ssl_free(&io->ssl);
    mbedtls_ssl_config_free(&io->conf);
    mbedtls_x509_crt_free(&io->ca);
    mbedtls_ctr_drbg_free(&io->drbg);
    mbedtls_entropy_free(&io->entropy);
}

void novita_mbedtls_io_close(novita_mbedtls_io *io)
{
    if (io->tls) {
        if (io->fatal == 0 && io->fd >= 0) {
            /* best effort, never waits: one non-blocking send attempt */
            novita_mbedtls_io_start_deadline(io, 0);
            (void)mbedtls_ssl_close_notify(&io->ssl);
        }
        mbedtls_ssl_free(&io->ssl);
        mbedtls_ssl_init(&io->ssl);
        io->tls = false;
    }
    if (io->fd >= 0) {
        (void)close(io->fd);
        io->fd = -1;
    }
    io->peer_closed = false;
    io->tcp_eof = false;
    io->fatal = 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* Handshake                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

/* Error text "certificate verify failed: a; b" from the X.509 verification flags (one line each). */
static NOT_INLINED void describe_verify_failure(novita_mbedtls_io *io, uint32_t flags)
{
    novita_mbedtls_io_set_error(io, "certificate verify failed");
#if !defined(MBEDTLS_X509_REMOVE_INFO)
    {
        char info[256];
        char *line = info;
        const char *sep = ": ";
        if (mbedtls_x509_crt_verify_info(info, sizeof info, "", flags) > 0) {
            while (*line != '\0') {
                char *end = strchr(line, '\n');
                if (end != NULL) {
                    *end = '\0';
                }
                novita_mbedtls_io_append_error(io, sep);
                novita_mbedtls_io_append_error(io, line);
                sep = "; ";
                if (end == NULL) {
                    break;
                }
                line = end + 1;
            }
            return;
        }
    }
#endif
    {
        char hex[24];
        (void)snprintf(hex, sizeof hex, " (flags 0x%08lx)", (unsigned long)flags);
        novita_mbedtls_io_append_error(io, hex);
    }
}

/* The handshake's "bad certificate message" error: mbedTLS also returns it for a certificate whose chain
 * and name verify but whose key usage or extended key usage rule out a server. */
#if defined(MBEDTLS_ERR_SSL_BAD_CERTIFICATE)
#define TLS_BAD_CERTIFICATE MBEDTLS_ERR_SSL_BAD_CERTIFICATE
#else
#define TLS_BAD_CERTIFICATE MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE
#endif

/* Map a failed handshake's return code to a port status and set the error text. */
static int32_t handshake_failure(novita_mbedtls_io *io, int ret, uint32_t timeout_ms)
{
    int high = (-ret) & 0x7F80; /* high-level module part of the error code */
    uint32_t flags = ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || ret == TLS_BAD_CERTIFICATE
                         ? mbedtls_ssl_get_verify_result(&io->ssl) : 0u;

    /* (the verify result is all ones when no verification ran) */
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || (flags != 0u && flags != UINT32_MAX)) {
        io->verify_flags = flags;
        describe_verify_failure(io, flags);
        return NOVITA_PORT_ERR_CERT;
    }
    /* A verify callback refused the chain (mbedTLS then sets every flag): ESP-IDF's certificate bundle does
     * so when the issuer is not in the bundle. Also the error for a chain too long to verify. */
    if (ret == MBEDTLS_ERR_X509_FATAL_ERROR) {
        io->verify_flags = MBEDTLS_X509_BADCERT_NOT_TRUSTED;
        novita_mbedtls_io_set_error(io, "certificate verify failed: issuer not trusted (or chain too long)");
        return NOVITA_PORT_ERR_CERT;
    }
#if defined(MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME)
    if (ret == MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME) {
        novita_mbedtls_io_set_error(io, "certificate verify failed: no host name set");
        return NOVITA_PORT_ERR_CERT;
    }
#endif
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT || tls_retryable(ret)) {
        set_timeout_error(io, "tls handshake", timeout_ms);
        return NOVITA_PORT_TIMEOUT;
    }
    if (is_socket_error(ret)) {
        novita_mbedtls_io_set_error(io, "tls handshake: %s", strerror(io->sock_errno));
        return NOVITA_PORT_ERR_TLS;
    }
    if (high >= 0x2000 && high < 0x3000) { /* X.509 module: the server certificate could not be parsed */
        novita_mbedtls_io_set_error(io, "server certificate: ");
        append_tls_text(io, ret);
        return NOVITA_PORT_ERR_CERT;
    }
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF) {
        novita_mbedtls_io_set_error(io, "tls handshake: connection closed by peer");
        return NOVITA_PORT_ERR_TLS;
    }
    novita_mbedtls_io_set_error(io, "tls handshake: ");
    append_tls_text(io, ret);
    return NOVITA_PORT_ERR_TLS;
}

/* mbedtls_ssl_setup + mbedtls_ssl_set_hostname. @return NOVITA_PORT_OK or the status to return. */
static int32_t start_session(novita_mbedtls_io *io, const char *host)
{
    int ret = mbedtls_ssl_setup(&io->ssl, &io->conf);
    if (ret != 0) {
        novita_mbedtls_io_set_error(io, "tls setup: ");
        append_tls_text(io, ret);
        mbedtls_ssl_free(&io->ssl);
        mbedtls_ssl_init(&io->ssl);
        return NOVITA_PORT_ERR_TLS;
    }
    io->tls = true; /* from here on novita_mbedtls_io_close() frees the ssl context */

    /* Always: SNI and the name the certificate must match (2.28 skips the check without it). */
    ret = mbedtls_ssl_set_hostname(&io->ssl, host);
    if (ret != 0) {
        novita_mbedtls_io_set_error(io, "tls host name '%s': ", host);
        append_tls_text(io, ret);
        io->fatal = NOVITA_PORT_ERR_TLS;
        return ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA ? NOVITA_PORT_ERR_ARG : NOVITA_PORT_ERR_TLS;
    }
    mbedtls_ssl_set_bio(&io->ssl, io, bio_send, NULL, bio_recv_timeout);
    return NOVITA_PORT_OK;
}

int32_t novita_mbedtls_io_handshake(novita_mbedtls_io *io, const char *host, uint32_t timeout_ms)
{
    int ret;
    int late = 0;
    int32_t rc;

    io->verify_flags = 0;
    if (io->fd < 0 || io->tls || host == NULL) {
        novita_mbedtls_io_set_error(io, "tls handshake: no TCP connection");
        return NOVITA_PORT_ERR_ARG;
    }
    rc = start_session(io, host);
    if (rc != NOVITA_PORT_OK) {
        return rc;
    }
    do {
        ret = mbedtls_ssl_handshake(&io->ssl);
        if (ret == 0) {
            return NOVITA_PORT_OK;
        }
    } while (tls_retryable(ret) && may_retry(io, &late));
    io->fatal = NOVITA_PORT_ERR_TLS; /* no close_notify on a failed handshake */
    return handshake_failure(io, ret, timeout_ms);
}

/* ------------------------------------------------------------------------------------------------ */
/* Data transfer                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

/* Start a send/recv: check the arguments and the connection, cap *len so that the byte count fits the
 * int32_t result, start the deadline. @return NOVITA_PORT_OK to go on, else the status to return. */
static int32_t begin_io(novita_mbedtls_io *io, const void *buf, size_t *len, uint32_t timeout_ms,
                        const char *what)
{
    if (buf == NULL || *len == 0) {
        novita_mbedtls_io_set_error(io, "%s: no buffer", what);
        return NOVITA_PORT_ERR_ARG;
    }
    if (io->fd < 0) {
        novita_mbedtls_io_set_error(io, "%s: not connected", what);
        return NOVITA_PORT_ERR_ARG;
    }
    if (io->fatal != 0) {
        novita_mbedtls_io_set_error(io, "%s: connection unusable after an earlier failure", what);
        return io->fatal;
    }
    if (*len > (size_t)INT32_MAX) {
        *len = (size_t)INT32_MAX;
    }
    novita_mbedtls_io_start_deadline(io, timeout_ms);
    return NOVITA_PORT_OK;
}

/* A failed mbedtls_ssl_write/read: the connection is unusable from now on. */
static int32_t tls_io_failure(novita_mbedtls_io *io, int ret, const char *what)
{
    if (is_socket_error(ret)) {
        novita_mbedtls_io_set_error(io, "%s: %s", what, strerror(io->sock_errno));
        io->fatal = NOVITA_PORT_ERR_IO;
        return NOVITA_PORT_ERR_IO;
    }
    novita_mbedtls_io_set_error(io, "%s: ", what);
    append_tls_text(io, ret);
    io->fatal = NOVITA_PORT_ERR_TLS;
    return NOVITA_PORT_ERR_TLS;
}

/* A plain TCP sock_send/sock_recv result below zero as a port status (the connection stays open). */
static int32_t plain_io_failure(novita_mbedtls_io *io, int n, const char *what, uint32_t timeout_ms)
{
    if (n == SOCK_TIMEOUT) {
        set_timeout_error(io, what, timeout_ms);
        return NOVITA_PORT_TIMEOUT;
    }
    if (n == SOCK_WAIT_FAILED) {
        novita_mbedtls_io_set_error(io, "%s: %s: %s", what, io->ops->wait_name, strerror(io->sock_errno));
    } else {
        novita_mbedtls_io_set_error(io, "%s: %s", what, strerror(io->sock_errno));
    }
    return NOVITA_PORT_ERR_IO;
}

static int32_t peer_closed(novita_mbedtls_io *io, const char *how)
{
    novita_mbedtls_io_set_error(io, "recv: connection closed by peer%s", how);
    io->peer_closed = true;
    return NOVITA_PORT_CLOSED;
}

static int32_t tls_send(novita_mbedtls_io *io, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    int late = 0;
    for (;;) {
        int ret = mbedtls_ssl_write(&io->ssl, data, len);
        if (ret > 0) {
            return (int32_t)ret;
        }
        if (!tls_retryable(ret) && ret != MBEDTLS_ERR_SSL_TIMEOUT) {
            return tls_io_failure(io, ret, "send");
        }
        if (!may_retry(io, &late)) {
            /* mbedTLS may hold a partly sent record that only the same write could finish */
            novita_mbedtls_io_set_error(io, "send: timed out after %u ms (connection unusable)",
                                        (unsigned)timeout_ms);
            io->fatal = NOVITA_PORT_ERR_IO;
            return NOVITA_PORT_TIMEOUT;
        }
    }
}

static int32_t tls_recv(novita_mbedtls_io *io, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    int late = 0;
    for (;;) {
        int ret = mbedtls_ssl_read(&io->ssl, buf, len);
        if (ret > 0) {
            return (int32_t)ret;
        }
        if ((ret == 0 && io->tcp_eof) || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            return peer_closed(io, ret == 0 ? " (without close_notify)" : "");
        }
        if (ret == 0) { /* empty application-data records, legal TLS: more may follow */
            ret = MBEDTLS_ERR_SSL_WANT_READ;
        }
        /* TLS 1.3: NewSessionTicket messages surface as WANT_READ / RECEIVED_NEW_SESSION_TICKET */
        if (tls_retryable(ret) && may_retry(io, &late)) {
            continue;
        }
        if (ret == MBEDTLS_ERR_SSL_TIMEOUT || tls_retryable(ret)) {
            set_timeout_error(io, "recv", timeout_ms);
            return NOVITA_PORT_TIMEOUT; /* stream TLS resumes cleanly: nothing was consumed half-way */
        }
        return tls_io_failure(io, ret, "recv");
    }
}

int32_t novita_mbedtls_io_send(novita_mbedtls_io *io, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    int n;
    int32_t rc = begin_io(io, data, &len, timeout_ms, "send");
    if (rc != NOVITA_PORT_OK) {
        return rc;
    }
    if (io->tls) {
        return tls_send(io, data, len, timeout_ms);
    }
    n = sock_send(io, data, len);
    return n > 0 ? (int32_t)n : plain_io_failure(io, n, "send", timeout_ms);
}

int32_t novita_mbedtls_io_recv(novita_mbedtls_io *io, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    int n;
    int32_t rc = begin_io(io, buf, &len, timeout_ms, "recv");
    if (rc != NOVITA_PORT_OK) {
        return rc;
    }
    if (io->peer_closed) {
        return peer_closed(io, ""); /* again: EOF and close_notify are final */
    }
    if (io->tls) {
        return tls_recv(io, buf, len, timeout_ms);
    }
    n = sock_recv(io, buf, len);
    if (n > 0) {
        return (int32_t)n;
    }
    return n == 0 ? peer_closed(io, "") : plain_io_failure(io, n, "recv", timeout_ms);
}

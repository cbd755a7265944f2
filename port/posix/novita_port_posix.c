/**
 * @file novita_port_posix.c
 * @brief POSIX port: non-blocking BSD sockets driven by poll(), mbedTLS with our own BIO callbacks.
 *
 * Builds against mbedTLS 2.28 (Debian 12) and 3.x (3.2 .. 3.6) using public APIs only.
 * The socket stays non-blocking for its whole life; every wait is a poll() bounded by the deadline of the
 * current operation (p->deadline_ms), which the TLS callbacks read too, so the mbedTLS read-timeout
 * argument is not used.
 */
#include "novita_port_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h> /* only for the MBEDTLS_ERR_NET_* codes our callbacks return */
#include <mbedtls/version.h>

#if defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* platforms without it use SO_NOSIGPIPE below */
#endif

#define PORT_MAGIC 0x4e505058u /* "NPPX" */

/* How many extra mbedTLS calls a read/write/handshake may make after its deadline passed, so that records
 * already in the socket (e.g. after a TLS 1.3 NewSessionTicket) are still consumed with timeout 0. */
#define LATE_RETRIES 8

static const char *const system_bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
};

/* ------------------------------------------------------------------------------------------------ */
/* Small helpers                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void set_error(novita_posix_port *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(p->last_error, sizeof p->last_error, fmt, ap);
    va_end(ap);
}

/* dst = a followed by b, truncated to size (no format-truncation games with fixed arrays). */
static void join_text(char *dst, size_t size, const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    if (size == 0) {
        return;
    }
    if (la > size - 1u) {
        la = size - 1u;
    }
    if (lb > size - 1u - la) {
        lb = size - 1u - la;
    }
    memmove(dst, a, la);
    memmove(dst + la, b, lb);
    dst[la + lb] = '\0';
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0;
    }
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void start_deadline(novita_posix_port *p, uint32_t timeout_ms)
{
    p->deadline_ms = mono_ms() + timeout_ms;
}

static bool deadline_passed(const novita_posix_port *p)
{
    return mono_ms() >= p->deadline_ms;
}

/* Milliseconds left until the deadline, as a poll() timeout (0 once it passed). */
static int remaining_ms(const novita_posix_port *p)
{
    uint64_t now = mono_ms();
    uint64_t left;
    if (now >= p->deadline_ms) {
        return 0;
    }
    left = p->deadline_ms - now;
    return left > (uint64_t)INT_MAX ? INT_MAX : (int)left;
}

/* Wait until the socket is ready for `events` or the deadline passes.
 * @return 1 ready (or error/hangup pending: the next syscall reports it), 0 timed out, -1 poll failed. */
static int wait_fd(const novita_posix_port *p, int fd, short events)
{
    for (;;) {
        struct pollfd pfd;
        int r;
        pfd.fd = fd;
        pfd.events = events;
        pfd.revents = 0;
        r = poll(&pfd, 1, remaining_ms(p));
        if (r > 0) {
            return 1;
        }
        if (r == 0) {
            return 0;
        }
        if (errno != EINTR) {
            return -1;
        }
    }
}

static bool is_port(const void *ctx)
{
    return ctx != NULL && ((const novita_posix_port *)ctx)->magic == PORT_MAGIC;
}

/* A description of an mbedTLS error code, "(-0x2700)" style when mbedTLS has no error strings. */
static void tls_error_text(int ret, char *buf, size_t size)
{
#if defined(MBEDTLS_ERROR_C)
    char tmp[100];
    mbedtls_strerror(ret, tmp, sizeof tmp);
    (void)snprintf(buf, size, "%s (-0x%04x)", tmp, (unsigned)-ret);
#else
    (void)snprintf(buf, size, "mbedTLS error -0x%04x", (unsigned)-ret);
#endif
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

/* Errors our own socket callbacks produce (see bio_send / bio_recv_timeout). */
static bool is_socket_error(int ret)
{
    return ret == MBEDTLS_ERR_NET_CONN_RESET || ret == MBEDTLS_ERR_NET_RECV_FAILED ||
           ret == MBEDTLS_ERR_NET_SEND_FAILED;
}

/* ------------------------------------------------------------------------------------------------ */
/* TLS socket callbacks                                                                               */
/* ------------------------------------------------------------------------------------------------ */

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    novita_posix_port *p = (novita_posix_port *)ctx;
    if (len > (size_t)INT_MAX) {
        len = (size_t)INT_MAX;
    }
    for (;;) {
        ssize_t n = send(p->fd, buf, len, MSG_NOSIGNAL);
        int w;
        if (n >= 0) {
            return (int)n;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            p->bio_errno = errno;
            return (errno == EPIPE || errno == ECONNRESET) ? MBEDTLS_ERR_NET_CONN_RESET
                                                           : MBEDTLS_ERR_NET_SEND_FAILED;
        }
        w = wait_fd(p, p->fd, POLLOUT);
        if (w == 0) {
            return MBEDTLS_ERR_SSL_WANT_WRITE; /* deadline: the caller turns this into a timeout */
        }
        if (w < 0) {
            p->bio_errno = errno;
            return MBEDTLS_ERR_NET_SEND_FAILED;
        }
    }
}

/* The timeout argument (mbedtls_ssl_conf_read_timeout) is ignored: the deadline of the current port call
 * bounds the wait instead, so a whole handshake shares one budget. */
static int bio_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    novita_posix_port *p = (novita_posix_port *)ctx;
    (void)timeout;
    if (len > (size_t)INT_MAX) {
        len = (size_t)INT_MAX;
    }
    for (;;) {
        ssize_t n;
        int w = wait_fd(p, p->fd, POLLIN);
        if (w == 0) {
            return MBEDTLS_ERR_SSL_TIMEOUT;
        }
        if (w < 0) {
            p->bio_errno = errno;
            return MBEDTLS_ERR_NET_RECV_FAILED;
        }
        n = recv(p->fd, buf, len, 0);
        if (n >= 0) {
            return (int)n; /* 0 = TCP EOF; mbedTLS reports it as a 0 return of mbedtls_ssl_read */
        }
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
            continue; /* spurious wake-up; wait_fd() returns 0 once the deadline passed */
        }
        p->bio_errno = errno;
        return errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Connection handling                                                                                */
/* ------------------------------------------------------------------------------------------------ */

static void port_close(void *ctx)
{
    novita_posix_port *p = (novita_posix_port *)ctx;
    if (!is_port(ctx)) {
        return;
    }
    if (p->tls) {
        if (p->fatal == 0 && p->fd >= 0) {
            /* best effort, never waits: one non-blocking send attempt */
            start_deadline(p, 0);
            (void)mbedtls_ssl_close_notify(&p->ssl);
        }
        mbedtls_ssl_free(&p->ssl);
        mbedtls_ssl_init(&p->ssl);
        p->tls = false;
    }
    if (p->fd >= 0) {
        (void)close(p->fd);
        p->fd = -1;
    }
    p->peer_closed = false;
    p->fatal = 0;
}

static int set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL, 0);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        return -1;
    }
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
#if defined(SO_NOSIGPIPE)
    {
        int one = 1;
        (void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, (socklen_t)sizeof one);
    }
#endif
    return 0;
}

static void addr_text(const struct addrinfo *ai, char *buf, size_t size)
{
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, (socklen_t)size, NULL, 0, NI_NUMERICHOST) != 0) {
        (void)snprintf(buf, size, "?");
    }
}

/* Resolve and connect the TCP socket; on success p->fd is open and non-blocking. */
static int32_t tcp_connect(novita_posix_port *p, const char *host, uint16_t port, uint32_t timeout_ms)
{
    struct addrinfo hints;
    struct addrinfo *res = NULL;
    const struct addrinfo *ai;
    char service[8];
    int32_t result = NOVITA_PORT_ERR_CONNECT;
    int rc;

    (void)snprintf(service, sizeof service, "%u", (unsigned)port);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV;

    rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0) {
        if (rc == EAI_SYSTEM) {
            set_error(p, "dns %s: %s", host, strerror(errno));
        } else {
            set_error(p, "dns %s: %s", host, gai_strerror(rc));
        }
        return NOVITA_PORT_ERR_DNS;
    }
    start_deadline(p, timeout_ms); /* resolution is not counted: it cannot be bounded anyway */
    set_error(p, "connect %s port %u: no usable address", host, (unsigned)port);

    for (ai = res; ai != NULL; ai = ai->ai_next) {
        char addr[64];
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        int err = 0;
        addr_text(ai, addr, sizeof addr);
        if (fd < 0) {
            set_error(p, "socket %s: %s", addr, strerror(errno));
            continue;
        }
        if (set_nonblocking(fd) != 0) {
            set_error(p, "fcntl %s: %s", addr, strerror(errno));
            (void)close(fd);
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            if (errno != EINPROGRESS && errno != EINTR) {
                err = errno;
            } else {
                int w = wait_fd(p, fd, POLLOUT);
                if (w == 0) {
                    set_error(p, "connect %s (%s) port %u: timed out after %u ms", host, addr, (unsigned)port,
                              (unsigned)timeout_ms);
                    (void)close(fd);
                    result = NOVITA_PORT_TIMEOUT;
                    break; /* the deadline is shared by all addresses */
                }
                if (w < 0) {
                    err = errno;
                } else {
                    socklen_t elen = (socklen_t)sizeof err;
                    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) {
                        err = errno;
                    }
                }
            }
        }
        if (err != 0) {
            set_error(p, "connect %s (%s) port %u: %s", host, addr, (unsigned)port, strerror(err));
            (void)close(fd);
            continue;
        }
        {
            int one = 1;
            (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, (socklen_t)sizeof one);
        }
        p->fd = fd;
        result = NOVITA_PORT_OK;
        break;
    }
    freeaddrinfo(res);
    return result;
}

/* Turn the verification flags into "certificate verify failed: a; b". */
static void cert_error(novita_posix_port *p, uint32_t flags)
{
#if !defined(MBEDTLS_X509_REMOVE_INFO)
    char info[256];
    char joined[256];
    size_t i;
    size_t o = 0;
    int n = mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
    if (n <= 0) {
        set_error(p, "certificate verify failed (flags 0x%08lx)", (unsigned long)flags);
        return;
    }
    /* one line per flag: join them with "; " */
    for (i = 0; info[i] != '\0' && o + 3u < sizeof joined; i++) {
        if (info[i] != '\n') {
            joined[o++] = info[i];
        } else if (info[i + 1] != '\0') {
            joined[o++] = ';';
            joined[o++] = ' ';
        }
    }
    joined[o] = '\0';
    set_error(p, "certificate verify failed: %s", joined);
#else
    set_error(p, "certificate verify failed (flags 0x%08lx)", (unsigned long)flags);
#endif
}

/* Map a failed handshake return code to a port status and set last_error. */
static int32_t handshake_failure(novita_posix_port *p, int ret, uint32_t timeout_ms)
{
    char text[160];
    int high = (-ret) & 0x7F80; /* high-level module part of the error code */

    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        cert_error(p, mbedtls_ssl_get_verify_result(&p->ssl));
        return NOVITA_PORT_ERR_CERT;
    }
#if defined(MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME)
    if (ret == MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME) {
        set_error(p, "certificate verify failed: no host name set");
        return NOVITA_PORT_ERR_CERT;
    }
#endif
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT || tls_retryable(ret)) {
        set_error(p, "tls handshake: timed out after %u ms", (unsigned)timeout_ms);
        return NOVITA_PORT_TIMEOUT;
    }
    if (is_socket_error(ret)) {
        set_error(p, "tls handshake: %s", strerror(p->bio_errno));
        return NOVITA_PORT_ERR_TLS;
    }
    tls_error_text(ret, text, sizeof text);
    if (high >= 0x2000 && high < 0x3000) { /* X.509 module: the server certificate could not be parsed */
        set_error(p, "server certificate: %s", text);
        return NOVITA_PORT_ERR_CERT;
    }
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF) {
        set_error(p, "tls handshake: connection closed by peer");
        return NOVITA_PORT_ERR_TLS;
    }
    set_error(p, "tls handshake: %s", text);
    return NOVITA_PORT_ERR_TLS;
}

static int32_t tls_connect(novita_posix_port *p, const char *host, uint32_t timeout_ms)
{
    int ret;
    int late = 0;
    char text[160];

    ret = mbedtls_ssl_setup(&p->ssl, &p->conf);
    if (ret != 0) {
        tls_error_text(ret, text, sizeof text);
        set_error(p, "tls setup: %s", text);
        mbedtls_ssl_free(&p->ssl);
        mbedtls_ssl_init(&p->ssl);
        return NOVITA_PORT_ERR_TLS;
    }
    p->tls = true; /* from here on port_close() frees the ssl context */

    /* Always: SNI and the name the certificate must match (2.28 skips the check without it). */
    ret = mbedtls_ssl_set_hostname(&p->ssl, host);
    if (ret != 0) {
        tls_error_text(ret, text, sizeof text);
        set_error(p, "tls host name '%s': %s", host, text);
        p->fatal = NOVITA_PORT_ERR_TLS;
        return ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA ? NOVITA_PORT_ERR_ARG : NOVITA_PORT_ERR_TLS;
    }
    mbedtls_ssl_set_bio(&p->ssl, p, bio_send, NULL, bio_recv_timeout);

    for (;;) {
        ret = mbedtls_ssl_handshake(&p->ssl);
        if (ret == 0) {
            return NOVITA_PORT_OK;
        }
        if (tls_retryable(ret) && (!deadline_passed(p) || late++ < LATE_RETRIES)) {
            continue;
        }
        p->fatal = NOVITA_PORT_ERR_TLS; /* no close_notify on a failed handshake */
        return handshake_failure(p, ret, timeout_ms);
    }
}

static int32_t port_connect(void *ctx, const novita_port_target *target, uint32_t timeout_ms)
{
    novita_posix_port *p = (novita_posix_port *)ctx;
    int32_t rc;

    if (!is_port(ctx)) {
        return NOVITA_PORT_ERR_ARG;
    }
    port_close(p);
    if (target == NULL || target->host == NULL || target->host[0] == '\0') {
        set_error(p, "connect: no host");
        return NOVITA_PORT_ERR_ARG;
    }
    if (target->use_tls && p->ca_status != NOVITA_PORT_OK) {
        join_text(p->last_error, sizeof p->last_error, p->ca_error, "");
        return NOVITA_PORT_ERR_CERT;
    }
    rc = tcp_connect(p, target->host, target->port, timeout_ms);
    if (rc != NOVITA_PORT_OK || !target->use_tls) {
        return rc;
    }
    rc = tls_connect(p, target->host, timeout_ms);
    if (rc != NOVITA_PORT_OK) {
        port_close(p);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------------ */
/* Data transfer                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

/* Common checks of send/recv. @return NOVITA_PORT_OK to go on, else the status to return. */
static int32_t io_precheck(novita_posix_port *p, const void *buf, size_t len, const char *what)
{
    if (!is_port(p)) {
        return NOVITA_PORT_ERR_ARG;
    }
    if (buf == NULL || len == 0) {
        set_error(p, "%s: no buffer", what);
        return NOVITA_PORT_ERR_ARG;
    }
    if (p->fd < 0) {
        set_error(p, "%s: not connected", what);
        return NOVITA_PORT_ERR_ARG;
    }
    if (p->fatal != 0) {
        set_error(p, "%s: connection unusable after an earlier failure", what);
        return p->fatal;
    }
    return NOVITA_PORT_OK;
}

static int32_t tls_io_failure(novita_posix_port *p, int ret, const char *what)
{
    char text[160];
    if (is_socket_error(ret)) {
        set_error(p, "%s: %s", what, strerror(p->bio_errno));
        p->fatal = NOVITA_PORT_ERR_IO;
        return NOVITA_PORT_ERR_IO;
    }
    tls_error_text(ret, text, sizeof text);
    set_error(p, "%s: %s", what, text);
    p->fatal = NOVITA_PORT_ERR_TLS;
    return NOVITA_PORT_ERR_TLS;
}

static int32_t port_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    novita_posix_port *p = (novita_posix_port *)ctx;
    int32_t rc = io_precheck(p, data, len, "send");
    if (rc != NOVITA_PORT_OK) {
        return rc;
    }
    if (len > (size_t)INT32_MAX) {
        len = (size_t)INT32_MAX;
    }
    start_deadline(p, timeout_ms);

    if (p->tls) {
        int late = 0;
        for (;;) {
            int ret = mbedtls_ssl_write(&p->ssl, data, len);
            if (ret > 0) {
                return (int32_t)ret;
            }
            if (tls_retryable(ret) || ret == MBEDTLS_ERR_SSL_TIMEOUT) {
                if (!deadline_passed(p) || late++ < LATE_RETRIES) {
                    continue;
                }
                /* mbedTLS may hold a partly sent record that only the same write could finish */
                set_error(p, "send: timed out after %u ms (connection unusable)", (unsigned)timeout_ms);
                p->fatal = NOVITA_PORT_ERR_IO;
                return NOVITA_PORT_TIMEOUT;
            }
            return tls_io_failure(p, ret, "send");
        }
    }

    for (;;) {
        ssize_t n = send(p->fd, data, len, MSG_NOSIGNAL);
        int w;
        if (n > 0) {
            return (int32_t)n;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            set_error(p, "send: %s", strerror(errno));
            return NOVITA_PORT_ERR_IO;
        }
        w = wait_fd(p, p->fd, POLLOUT);
        if (w == 0) {
            set_error(p, "send: timed out after %u ms", (unsigned)timeout_ms);
            return NOVITA_PORT_TIMEOUT;
        }
        if (w < 0) {
            set_error(p, "send: poll: %s", strerror(errno));
            return NOVITA_PORT_ERR_IO;
        }
    }
}

static int32_t port_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    novita_posix_port *p = (novita_posix_port *)ctx;
    int32_t rc = io_precheck(p, buf, len, "recv");
    if (rc != NOVITA_PORT_OK) {
        return rc;
    }
    if (p->peer_closed) {
        set_error(p, "recv: connection closed by peer");
        return NOVITA_PORT_CLOSED;
    }
    if (len > (size_t)INT32_MAX) {
        len = (size_t)INT32_MAX;
    }
    start_deadline(p, timeout_ms);

    if (p->tls) {
        int late = 0;
        for (;;) {
            int ret = mbedtls_ssl_read(&p->ssl, buf, len);
            if (ret > 0) {
                return (int32_t)ret;
            }
            if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
                set_error(p, "recv: connection closed by peer%s",
                          ret == 0 ? " (without close_notify)" : "");
                p->peer_closed = true;
                return NOVITA_PORT_CLOSED;
            }
            if (tls_retryable(ret) && (!deadline_passed(p) || late++ < LATE_RETRIES)) {
                continue;
            }
            if (ret == MBEDTLS_ERR_SSL_TIMEOUT || tls_retryable(ret)) {
                set_error(p, "recv: timed out after %u ms", (unsigned)timeout_ms);
                return NOVITA_PORT_TIMEOUT; /* stream TLS resumes cleanly: nothing was consumed half-way */
            }
            return tls_io_failure(p, ret, "recv");
        }
    }

    for (;;) {
        ssize_t n;
        int w = wait_fd(p, p->fd, POLLIN);
        if (w == 0) {
            set_error(p, "recv: timed out after %u ms", (unsigned)timeout_ms);
            return NOVITA_PORT_TIMEOUT;
        }
        if (w < 0) {
            set_error(p, "recv: poll: %s", strerror(errno));
            return NOVITA_PORT_ERR_IO;
        }
        n = recv(p->fd, buf, len, 0);
        if (n > 0) {
            return (int32_t)n;
        }
        if (n == 0) {
            set_error(p, "recv: connection closed by peer");
            p->peer_closed = true;
            return NOVITA_PORT_CLOSED;
        }
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            set_error(p, "recv: %s", strerror(errno));
            return NOVITA_PORT_ERR_IO;
        }
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Clock                                                                                              */
/* ------------------------------------------------------------------------------------------------ */

static uint32_t port_now_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)(mono_ms() & 0xFFFFFFFFu);
}

static void port_sleep_ms(void *ctx, uint32_t ms)
{
    struct timespec req;
    struct timespec rem;
    (void)ctx;
    req.tv_sec = (time_t)(ms / 1000u);
    req.tv_nsec = (long)(ms % 1000u) * 1000000L;
    while (nanosleep(&req, &rem) != 0 && errno == EINTR) {
        req = rem;
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Life cycle                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

/* Load one PEM bundle into p->ca. @return true if at least one certificate was parsed. */
static bool load_ca(novita_posix_port *p, const char *path, char *why, size_t why_size)
{
    int fd;
    int ret;
    struct stat st;
    char text[120];

    fd = open(path, O_RDONLY); /* a clear errno for missing/unreadable files */
    if (fd < 0) {
        (void)snprintf(why, why_size, "CA file %s: %s", path, strerror(errno));
        return false;
    }
    ret = fstat(fd, &st);
    (void)close(fd);
    if (ret != 0 || !S_ISREG(st.st_mode)) {
        (void)snprintf(why, why_size, "CA file %s: not a regular file", path);
        return false;
    }
    ret = mbedtls_x509_crt_parse_file(&p->ca, path);
    if (ret < 0) {
        mbedtls_x509_crt_free(&p->ca);
        mbedtls_x509_crt_init(&p->ca);
        tls_error_text(ret, text, sizeof text);
        (void)snprintf(why, why_size, "CA file %s: %s", path, text);
        return false;
    }
    /* ret > 0: some certificates of a system bundle did not parse; at least one did (else ret < 0) */
    return true;
}

int32_t novita_posix_port_init(novita_posix_port *p, const novita_posix_config *cfg)
{
    static const char pers[] = "novita-c posix port";
    int ret;
    char text[160];

    if (p == NULL) {
        return NOVITA_PORT_ERR_ARG;
    }
    memset(p, 0, sizeof *p);
    p->fd = -1;
    p->ca_status = NOVITA_PORT_ERR_CERT;
    mbedtls_entropy_init(&p->entropy);
    mbedtls_ctr_drbg_init(&p->drbg);
    mbedtls_x509_crt_init(&p->ca);
    mbedtls_ssl_config_init(&p->conf);
    mbedtls_ssl_init(&p->ssl);
    p->magic = PORT_MAGIC;

    p->table.ctx = p;
    p->table.connect = port_connect;
    p->table.send = port_send;
    p->table.recv = port_recv;
    p->table.close = port_close;
    p->table.now_ms = port_now_ms;
    p->table.sleep_ms = port_sleep_ms;

#if defined(MBEDTLS_PSA_CRYPTO_C)
    if (psa_crypto_init() != PSA_SUCCESS) {
        novita_posix_port_free(p);
        set_error(p, "psa_crypto_init failed");
        return NOVITA_PORT_ERR_TLS;
    }
#endif
    ret = mbedtls_ctr_drbg_seed(&p->drbg, mbedtls_entropy_func, &p->entropy, (const unsigned char *)pers,
                                sizeof pers - 1u);
    if (ret == 0) {
        ret = mbedtls_ssl_config_defaults(&p->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    }
    if (ret != 0) {
        tls_error_text(ret, text, sizeof text);
        novita_posix_port_free(p);
        set_error(p, "tls init: %s", text);
        return NOVITA_PORT_ERR_TLS;
    }
    mbedtls_ssl_conf_authmode(&p->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_rng(&p->conf, mbedtls_ctr_drbg_random, &p->drbg);
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
    mbedtls_ssl_conf_min_tls_version(&p->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(&p->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
    mbedtls_ssl_conf_ca_chain(&p->conf, &p->ca, NULL);

    if (cfg != NULL && cfg->ca_file != NULL) {
        if (!load_ca(p, cfg->ca_file, p->ca_error, sizeof p->ca_error)) {
            novita_posix_port_free(p);
            join_text(p->last_error, sizeof p->last_error, p->ca_error, "");
            return NOVITA_PORT_ERR_CERT;
        }
        p->ca_status = NOVITA_PORT_OK;
    } else {
        size_t i;
        char why[NOVITA_POSIX_ERROR_MAX];
        why[0] = '\0';
        for (i = 0; i < sizeof system_bundles / sizeof system_bundles[0]; i++) {
            if (load_ca(p, system_bundles[i], why, sizeof why)) {
                p->ca_status = NOVITA_PORT_OK;
                break;
            }
        }
        if (p->ca_status != NOVITA_PORT_OK) {
            join_text(p->ca_error, sizeof p->ca_error, "no system CA bundle: ", why);
        }
    }
    return NOVITA_PORT_OK;
}

novita_port *novita_posix_port_get(novita_posix_port *p)
{
    return p == NULL ? NULL : &p->table;
}

void novita_posix_port_free(novita_posix_port *p)
{
    if (!is_port(p)) {
        return;
    }
    port_close(p);
    mbedtls_ssl_free(&p->ssl);
    mbedtls_ssl_config_free(&p->conf);
    mbedtls_x509_crt_free(&p->ca);
    mbedtls_ctr_drbg_free(&p->drbg);
    mbedtls_entropy_free(&p->entropy);
    p->magic = 0;
    p->table.ctx = NULL;
}

const char *novita_posix_port_last_error(const novita_posix_port *p)
{
    if (p == NULL) {
        return "no port";
    }
    return p->last_error;
}

/**
 * @file novita_port_esp32.c
 * @brief ESP-IDF port: non-blocking lwIP sockets driven by select(), mbedTLS with our own BIO callbacks and
 *        the ESP-IDF certificate bundle, esp_timer for the clock, vTaskDelay for sleeping.
 *
 * Builds against the mbedTLS of ESP-IDF v5.x (3.2 .. 3.6) and 2.28 (ESP-IDF v4.4) using public APIs only.
 * The socket stays non-blocking for its whole life; every wait is one select() bounded by the deadline of
 * the current operation (p->deadline_us), which the TLS callbacks read too, so the mbedTLS read-timeout
 * argument is not used. Neither SO_RCVTIMEO nor ESP-IDF's mbedtls_net_recv() is used: on ESP-IDF the latter
 * maps an SO_RCVTIMEO expiry to MBEDTLS_ERR_SSL_WANT_READ, so a handshake or read loop would never end.
 */
#include "novita_port_esp32.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>

#include "esp_err.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "sdkconfig.h"

#if defined(CONFIG_MBEDTLS_CERTIFICATE_BUNDLE)
#include "esp_crt_bundle.h"
#endif

#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h> /* only for the MBEDTLS_ERR_NET_* codes our callbacks return */
#include <mbedtls/x509.h>

#if defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#define PORT_MAGIC 0x4e504533u /* "NPE3" */

/* How many extra mbedTLS calls a read/write/handshake may make after its deadline passed, so that records
 * already received (e.g. after a TLS 1.3 NewSessionTicket) are still consumed with a zero wait. */
#define LATE_RETRIES 8

/* Certificates checked before this time (2024-01-01 UTC) mean the clock was never set (SNTP not run). */
#define CLOCK_PLAUSIBLE_AFTER ((time_t)1704067200)

/* One FreeRTOS tick in microseconds: the granularity of every lwIP and FreeRTOS wait. */
#define TICK_US ((int64_t)1000000 / (int64_t)configTICK_RATE_HZ)

/* ------------------------------------------------------------------------------------------------ */
/* Small helpers                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void set_error(novita_esp32_port *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(p->last_error, sizeof p->last_error, fmt, ap);
    va_end(ap);
}

/* Append text to last_error, truncating. */
static void append_error(novita_esp32_port *p, const char *text)
{
    size_t used = strlen(p->last_error);
    size_t room = sizeof p->last_error - 1u - used;
    size_t n = strlen(text);
    if (n > room) {
        n = room;
    }
    memcpy(p->last_error + used, text, n);
    p->last_error[used + n] = '\0';
}

static int64_t now_us(void)
{
    return esp_timer_get_time();
}

static void start_deadline(novita_esp32_port *p, uint32_t timeout_ms)
{
    p->deadline_us = now_us() + (int64_t)timeout_ms * 1000;
}

static bool deadline_passed(const novita_esp32_port *p)
{
    return now_us() >= p->deadline_us;
}

/* Wait until the socket is readable (for_write false) or writable, or the deadline passes.
 * lwIP converts select() timeouts to whole ticks, rounding down: a remaining time below one tick is rounded
 * up to one tick (otherwise it would be no wait at all, and a caller retrying on such "timeouts" would
 * spin), and a select() that returns early with more than a tick left waits again (each wait blocks until
 * at least the next tick, so this never spins). Past the deadline the check is a pure poll.
 * @return 1 ready (or an error is pending: the next socket call reports it), 0 timed out, -1 select failed. */
static int wait_fd(const novita_esp32_port *p, int fd, bool for_write)
{
    for (;;) {
        fd_set set;
        struct timeval tv;
        int64_t left_us = p->deadline_us - now_us();
        int r;

        if (left_us < 0) {
            left_us = 0;
        } else if (left_us > 0 && left_us < TICK_US) {
            left_us = TICK_US;
        }
        FD_ZERO(&set);
        FD_SET(fd, &set);
        tv.tv_sec = (time_t)(left_us / 1000000);
        tv.tv_usec = (suseconds_t)(left_us % 1000000);
        r = select(fd + 1, for_write ? NULL : &set, for_write ? &set : NULL, NULL, &tv);
        if (r > 0) {
            return 1;
        }
        if (r == 0) {
            if (p->deadline_us - now_us() > TICK_US) {
                continue; /* woke early because of tick rounding: wait for the rest */
            }
            return 0;
        }
        if (errno != EINTR) {
            return -1;
        }
    }
}

static bool is_port(const void *ctx)
{
    return ctx != NULL && ((const novita_esp32_port *)ctx)->magic == PORT_MAGIC;
}

/* A description of an mbedTLS error code, "(-0x2700)" style when mbedTLS has no error strings. */
static void tls_error_text(int ret, char *buf, size_t size)
{
#if defined(MBEDTLS_ERROR_C)
    char tmp[80];
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

static bool would_block(int err)
{
    return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

/* ------------------------------------------------------------------------------------------------ */
/* TLS socket callbacks                                                                               */
/* ------------------------------------------------------------------------------------------------ */

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    novita_esp32_port *p = (novita_esp32_port *)ctx;
    if (len > (size_t)INT_MAX) {
        len = (size_t)INT_MAX;
    }
    for (;;) {
        ssize_t n = send(p->fd, buf, len, 0); /* no SIGPIPE on ESP-IDF: no MSG_NOSIGNAL needed */
        int w;
        if (n >= 0) {
            return (int)n;
        }
        if (!would_block(errno)) {
            p->bio_errno = errno;
            return (errno == EPIPE || errno == ECONNRESET) ? MBEDTLS_ERR_NET_CONN_RESET
                                                           : MBEDTLS_ERR_NET_SEND_FAILED;
        }
        w = wait_fd(p, p->fd, true);
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
    novita_esp32_port *p = (novita_esp32_port *)ctx;
    (void)timeout;
    if (len > (size_t)INT_MAX) {
        len = (size_t)INT_MAX;
    }
    for (;;) {
        ssize_t n;
        int w = wait_fd(p, p->fd, false);
        if (w == 0) {
            return MBEDTLS_ERR_SSL_TIMEOUT;
        }
        if (w < 0) {
            p->bio_errno = errno;
            return MBEDTLS_ERR_NET_RECV_FAILED;
        }
        n = recv(p->fd, buf, len, 0);
        if (n >= 0) {
            return (int)n; /* 0 = TCP FIN; mbedTLS reports it as a 0 return of mbedtls_ssl_read */
        }
        if (would_block(errno)) {
            if (deadline_passed(p)) {
                return MBEDTLS_ERR_SSL_TIMEOUT;
            }
            continue; /* spurious readiness: wait again (select blocks, so this cannot spin) */
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
    novita_esp32_port *p = (novita_esp32_port *)ctx;
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

static const char *resolver_error_text(int rc)
{
    switch (rc) {
    case EAI_NONAME:
        return "host not found";
    case EAI_FAIL:
        return "DNS lookup failed (no network or no DNS server?)";
    case EAI_MEMORY:
        return "out of memory";
    case EAI_SERVICE:
        return "bad port";
    case EAI_FAMILY:
        return "address family not supported";
    default:
        return "resolver error";
    }
}

/* Numeric text of the address in ai ("?" if it cannot be shown). lwIP has no getnameinfo() before
 * ESP-IDF v5.3, so inet_ntop() is used. */
static void addr_text(const struct addrinfo *ai, char *buf, size_t size)
{
    const void *raw = NULL;
    if (ai->ai_family == AF_INET) {
        raw = &((const struct sockaddr_in *)(const void *)ai->ai_addr)->sin_addr;
    }
#if !defined(LWIP_IPV6) || LWIP_IPV6
    else if (ai->ai_family == AF_INET6) {
        raw = &((const struct sockaddr_in6 *)(const void *)ai->ai_addr)->sin6_addr;
    }
#endif
    if (raw == NULL || inet_ntop(ai->ai_family, raw, buf, (socklen_t)size) == NULL) {
        (void)snprintf(buf, size, "?");
    }
}

/* Start a non-blocking connect of fd to ai and wait for it within the deadline.
 * @return 0 connected, an errno value on failure, -1 when the deadline passed. */
static int connect_one(const novita_esp32_port *p, int fd, const struct addrinfo *ai)
{
    int fl = fcntl(fd, F_GETFL, 0);
    int err = 0;
    int w;
    socklen_t elen = (socklen_t)sizeof err;

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        return errno != 0 ? errno : EINVAL;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        return 0;
    }
    if (errno != EINPROGRESS && errno != EINTR && errno != EAGAIN) {
        return errno;
    }
    w = wait_fd(p, fd, true);
    if (w == 0) {
        return -1;
    }
    if (w < 0) {
        return errno;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) {
        return errno;
    }
    return err;
}

/* Resolve and connect the TCP socket; on success p->fd is open and non-blocking. */
static int32_t connect_tcp(novita_esp32_port *p, const char *host, uint16_t port, uint32_t timeout_ms)
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

    rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0 || res == NULL) {
        set_error(p, "dns %s: %s (%d)", host, resolver_error_text(rc), rc);
        if (res != NULL) {
            freeaddrinfo(res);
        }
        return NOVITA_PORT_ERR_DNS;
    }
    start_deadline(p, timeout_ms); /* resolution is not counted: lwIP bounds it with its own timeouts */

    for (ai = res; ai != NULL; ai = ai->ai_next) {
        char addr[48];
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        int err;
        addr_text(ai, addr, sizeof addr);
        if (fd < 0) {
            set_error(p, "socket %s: %s", addr, strerror(errno));
            continue;
        }
        err = connect_one(p, fd, ai);
        if (err == -1) {
            set_error(p, "connect %s (%s) port %u: timed out after %u ms", host, addr, (unsigned)port,
                      (unsigned)timeout_ms);
            (void)close(fd);
            result = NOVITA_PORT_TIMEOUT;
            break; /* the deadline is shared by all addresses */
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

/* last_error = "certificate verify failed: a; b" from the verification flags, plus a hint when the
 * validity dates failed because the clock was never set. */
static void cert_error(novita_esp32_port *p, uint32_t flags)
{
    set_error(p, "certificate verify failed");
#if !defined(MBEDTLS_X509_REMOVE_INFO)
    {
        char info[NOVITA_ESP32_ERROR_MAX];
        char *line = info;
        const char *sep = ": ";
        if (mbedtls_x509_crt_verify_info(info, sizeof info, "", flags) > 0) {
            while (*line != '\0') {
                char *end = strchr(line, '\n');
                if (end != NULL) {
                    *end = '\0';
                }
                append_error(p, sep);
                append_error(p, line);
                sep = "; ";
                if (end == NULL) {
                    break;
                }
                line = end + 1;
            }
        } else {
            char hex[24];
            (void)snprintf(hex, sizeof hex, " (flags 0x%08lx)", (unsigned long)flags);
            append_error(p, hex);
        }
    }
#else
    {
        char hex[24];
        (void)snprintf(hex, sizeof hex, " (flags 0x%08lx)", (unsigned long)flags);
        append_error(p, hex);
    }
#endif
    if ((flags & (uint32_t)(MBEDTLS_X509_BADCERT_FUTURE | MBEDTLS_X509_BADCERT_EXPIRED)) != 0u &&
        time(NULL) < CLOCK_PLAUSIBLE_AFTER) {
        append_error(p, " (system clock not set: sync SNTP before TLS)");
    }
    if (p->uses_bundle && (flags & (uint32_t)MBEDTLS_X509_BADCERT_NOT_TRUSTED) != 0u) {
        append_error(p, " (issuer not in the ESP-IDF certificate bundle)");
    }
}

/* Map a failed handshake return code to a port status and set last_error. */
static int32_t handshake_failure(novita_esp32_port *p, int ret, uint32_t timeout_ms)
{
    char text[120];
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

static int32_t tls_connect(novita_esp32_port *p, const char *host, uint32_t timeout_ms)
{
    int ret;
    int late = 0;
    char text[120];

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
    novita_esp32_port *p = (novita_esp32_port *)ctx;
    int32_t rc;

    if (!is_port(ctx)) {
        return NOVITA_PORT_ERR_ARG;
    }
    port_close(p);
    if (target == NULL || target->host == NULL || target->host[0] == '\0') {
        set_error(p, "connect: no host");
        return NOVITA_PORT_ERR_ARG;
    }
    if (target->use_tls && p->trust_status != NOVITA_PORT_OK) {
#if defined(CONFIG_MBEDTLS_CERTIFICATE_BUNDLE)
        set_error(p, "tls: no trusted CA certificates");
#else
        set_error(p, "tls: no trusted CA certificates (enable CONFIG_MBEDTLS_CERTIFICATE_BUNDLE or pass ca_pem)");
#endif
        return NOVITA_PORT_ERR_CERT;
    }
    rc = connect_tcp(p, target->host, target->port, timeout_ms);
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
static int32_t io_precheck(novita_esp32_port *p, const void *buf, size_t len, const char *what)
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

static int32_t tls_io_failure(novita_esp32_port *p, int ret, const char *what)
{
    char text[120];
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
    novita_esp32_port *p = (novita_esp32_port *)ctx;
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
        ssize_t n = send(p->fd, data, len, 0);
        int w;
        if (n > 0) {
            return (int32_t)n;
        }
        if (n < 0 && !would_block(errno)) {
            set_error(p, "send: %s", strerror(errno));
            return NOVITA_PORT_ERR_IO;
        }
        w = wait_fd(p, p->fd, true);
        if (w == 0) {
            set_error(p, "send: timed out after %u ms", (unsigned)timeout_ms);
            return NOVITA_PORT_TIMEOUT;
        }
        if (w < 0) {
            set_error(p, "send: select: %s", strerror(errno));
            return NOVITA_PORT_ERR_IO;
        }
    }
}

static int32_t port_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    novita_esp32_port *p = (novita_esp32_port *)ctx;
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
            /* TLS 1.3: NewSessionTicket messages surface as WANT_READ / RECEIVED_NEW_SESSION_TICKET */
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
        int w = wait_fd(p, p->fd, false);
        if (w == 0) {
            set_error(p, "recv: timed out after %u ms", (unsigned)timeout_ms);
            return NOVITA_PORT_TIMEOUT;
        }
        if (w < 0) {
            set_error(p, "recv: select: %s", strerror(errno));
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
        if (!would_block(errno)) {
            set_error(p, "recv: %s", strerror(errno));
            return NOVITA_PORT_ERR_IO;
        }
        if (deadline_passed(p)) {
            set_error(p, "recv: timed out after %u ms", (unsigned)timeout_ms);
            return NOVITA_PORT_TIMEOUT;
        }
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Clock                                                                                              */
/* ------------------------------------------------------------------------------------------------ */

static uint32_t port_now_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)((uint64_t)(now_us() / 1000) & 0xFFFFFFFFu);
}

/* vTaskDelay() with the milliseconds rounded up to whole ticks (pdMS_TO_TICKS rounds down, and a 0-tick
 * delay only yields). Long delays are split so that the tick count never overflows TickType_t. */
static void port_sleep_ms(void *ctx, uint32_t ms)
{
    uint64_t ticks = ((uint64_t)ms * (uint64_t)configTICK_RATE_HZ + 999u) / 1000u;
    const uint64_t max_chunk = (uint64_t)(portMAX_DELAY - 1u);
    (void)ctx;
    while (ticks > 0u) {
        uint64_t chunk = ticks < max_chunk ? ticks : max_chunk;
        vTaskDelay((TickType_t)chunk);
        ticks -= chunk;
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Life cycle                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

/* Trust anchors: the caller's PEM, else the ESP-IDF certificate bundle. */
static int32_t setup_trust(novita_esp32_port *p, const novita_esp32_config *cfg)
{
    char text[120];

    if (cfg != NULL && cfg->ca_pem != NULL) {
        /* PEM input: the length must include the terminating NUL */
        int ret = mbedtls_x509_crt_parse(&p->ca, (const unsigned char *)cfg->ca_pem, strlen(cfg->ca_pem) + 1u);
        if (ret < 0) {
            tls_error_text(ret, text, sizeof text);
            set_error(p, "ca_pem: %s", text);
            return NOVITA_PORT_ERR_CERT;
        }
        /* ret > 0: some certificates of the text did not parse; at least one did (else ret < 0) */
        mbedtls_ssl_conf_ca_chain(&p->conf, &p->ca, NULL);
        p->trust_status = NOVITA_PORT_OK;
        return NOVITA_PORT_OK;
    }
#if defined(CONFIG_MBEDTLS_CERTIFICATE_BUNDLE)
    {
        /* Sets a placeholder CA chain and the bundle's verify callback; neither is touched afterwards. */
        esp_err_t err = esp_crt_bundle_attach(&p->conf);
        if (err != ESP_OK) {
            set_error(p, "certificate bundle: esp_crt_bundle_attach failed: %s", esp_err_to_name(err));
            return NOVITA_PORT_ERR_CERT;
        }
        p->uses_bundle = true;
        p->trust_status = NOVITA_PORT_OK;
    }
#endif
    /* Without the bundle option trust_status stays NOVITA_PORT_ERR_CERT: TLS connects explain why. */
    return NOVITA_PORT_OK;
}

int32_t novita_esp32_port_init(novita_esp32_port *p, const novita_esp32_config *cfg)
{
    static const char personalization[] = "novita-c esp32 port";
    int ret;
    int32_t rc;
    char text[120];

    if (p == NULL) {
        return NOVITA_PORT_ERR_ARG;
    }
    memset(p, 0, sizeof *p);
    p->fd = -1;
    p->trust_status = NOVITA_PORT_ERR_CERT;
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
    /* Required for TLS 1.3 on mbedTLS 3.6.0 (ESP-IDF v5.3.0) and harmless elsewhere; idempotent. */
    if (psa_crypto_init() != PSA_SUCCESS) {
        novita_esp32_port_free(p);
        set_error(p, "psa_crypto_init failed");
        return NOVITA_PORT_ERR_TLS;
    }
#endif
    ret = mbedtls_ctr_drbg_seed(&p->drbg, mbedtls_entropy_func, &p->entropy,
                                (const unsigned char *)personalization, sizeof personalization - 1u);
    if (ret == 0) {
        ret = mbedtls_ssl_config_defaults(&p->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    }
    if (ret != 0) {
        tls_error_text(ret, text, sizeof text);
        novita_esp32_port_free(p);
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

    rc = setup_trust(p, cfg);
    if (rc != NOVITA_PORT_OK) {
        char why[NOVITA_ESP32_ERROR_MAX];
        memcpy(why, p->last_error, sizeof why);
        novita_esp32_port_free(p);
        memcpy(p->last_error, why, sizeof why);
        return rc;
    }
    return NOVITA_PORT_OK;
}

novita_port *novita_esp32_port_get(novita_esp32_port *p)
{
    return p == NULL ? NULL : &p->table;
}

void novita_esp32_port_free(novita_esp32_port *p)
{
    if (!is_port(p)) {
        return;
    }
    port_close(p);
    mbedtls_ssl_free(&p->ssl);
    mbedtls_ssl_config_free(&p->conf); /* the shared certificate bundle stays loaded for other users */
    mbedtls_x509_crt_free(&p->ca);
    mbedtls_ctr_drbg_free(&p->drbg);
    mbedtls_entropy_free(&p->entropy);
    p->magic = 0;
    p->uses_bundle = false;
    p->table.ctx = NULL;
}

const char *novita_esp32_port_last_error(const novita_esp32_port *p)
{
    if (p == NULL) {
        return "no port";
    }
    return p->last_error;
}

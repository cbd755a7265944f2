/**
 * @file novita_port_posix.c
 * @brief POSIX port: non-blocking BSD sockets driven by poll(); socket I/O and mbedTLS in port/mbedtls.
 *
 * Builds against mbedTLS 2.28 (Debian 12) and 3.x (3.2 .. 3.6) using public APIs only.
 * This file holds what is POSIX-specific: the clock (CLOCK_MONOTONIC), the wait (poll), MSG_NOSIGNAL /
 * SO_NOSIGPIPE, getaddrinfo + non-blocking connect, the CA file, nanosleep. The connection itself (send,
 * recv, close, TLS handshake, error texts) is novita_mbedtls_io (port/mbedtls/novita_mbedtls_io.h).
 * The socket stays non-blocking for its whole life; every wait is a poll() bounded by the deadline of the
 * current operation (p->io.deadline_us).
 */
#include "novita_port_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* platforms without it use SO_NOSIGPIPE below */
#endif

#define PORT_MAGIC 0x4e505058u /* "NPPX" */

static const char *const system_bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
};

/* ------------------------------------------------------------------------------------------------ */
/* Small helpers                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

#define set_error(p, ...) novita_mbedtls_io_set_error(&(p)->io, __VA_ARGS__)

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

static int64_t mono_us(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0;
    }
    return (int64_t)ts.tv_sec * 1000000 + (int64_t)(ts.tv_nsec / 1000);
}

/* Milliseconds until deadline_us as a poll() timeout: rounded up (rounding down would wake before the
 * deadline and make the caller poll again), at most INT_MAX, 0 once it passed. */
static int poll_timeout_ms(int64_t deadline_us)
{
    int64_t left_us = deadline_us - mono_us();
    int64_t left_ms;
    if (left_us <= 0) {
        return 0;
    }
    left_ms = (left_us + 999) / 1000;
    return left_ms > (int64_t)INT_MAX ? INT_MAX : (int)left_ms;
}

/* novita_mbedtls_io_ops.wait: poll() until the socket is ready or the deadline passes.
 * @return 1 ready (or error/hangup pending: the next syscall reports it), 0 timed out, -1 poll failed. */
static int wait_fd(int fd, bool for_write, int64_t deadline_us)
{
    for (;;) {
        struct pollfd pfd;
        int r;
        pfd.fd = fd;
        pfd.events = for_write ? POLLOUT : POLLIN;
        pfd.revents = 0;
        r = poll(&pfd, 1, poll_timeout_ms(deadline_us));
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

static const novita_mbedtls_io_ops posix_io_ops = { mono_us, wait_fd, MSG_NOSIGNAL, "poll" };

static bool is_port(const void *ctx)
{
    return ctx != NULL && ((const novita_posix_port *)ctx)->magic == PORT_MAGIC;
}

/* ------------------------------------------------------------------------------------------------ */
/* Connection handling                                                                                */
/* ------------------------------------------------------------------------------------------------ */

static void port_close(void *ctx)
{
    if (is_port(ctx)) {
        novita_mbedtls_io_close(&((novita_posix_port *)ctx)->io);
    }
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

/* Resolve and connect the TCP socket; on success p->io.fd is open and non-blocking. */
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
    /* resolution is not counted: it cannot be bounded anyway */
    novita_mbedtls_io_start_deadline(&p->io, timeout_ms);
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
                int w = wait_fd(fd, true, p->io.deadline_us);
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
        p->io.fd = fd;
        result = NOVITA_PORT_OK;
        break;
    }
    freeaddrinfo(res);
    return result;
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
    rc = novita_mbedtls_io_handshake(&p->io, target->host, timeout_ms);
    if (rc != NOVITA_PORT_OK) {
        port_close(p);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------------ */
/* Data transfer and clock                                                                            */
/* ------------------------------------------------------------------------------------------------ */

static int32_t port_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    if (!is_port(ctx)) {
        return NOVITA_PORT_ERR_ARG;
    }
    return novita_mbedtls_io_send(&((novita_posix_port *)ctx)->io, data, len, timeout_ms);
}

static int32_t port_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    if (!is_port(ctx)) {
        return NOVITA_PORT_ERR_ARG;
    }
    return novita_mbedtls_io_recv(&((novita_posix_port *)ctx)->io, buf, len, timeout_ms);
}

static uint32_t port_now_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)((uint64_t)(mono_us() / 1000) & 0xFFFFFFFFu);
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

/* Load one PEM bundle into p->io.ca. @return true if at least one certificate was parsed. */
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
    ret = mbedtls_x509_crt_parse_file(&p->io.ca, path);
    if (ret < 0) {
        mbedtls_x509_crt_free(&p->io.ca);
        mbedtls_x509_crt_init(&p->io.ca);
        novita_mbedtls_io_error_text(ret, text, sizeof text);
        (void)snprintf(why, why_size, "CA file %s: %s", path, text);
        return false;
    }
    /* ret > 0: some certificates of a system bundle did not parse; at least one did (else ret < 0) */
    return true;
}

/* Trust anchors: cfg->ca_file (must load), else the first system bundle that loads (none: TLS connects
 * fail later with the reason kept in ca_error). @return NOVITA_PORT_OK or NOVITA_PORT_ERR_CERT. */
static int32_t setup_trust(novita_posix_port *p, const novita_posix_config *cfg)
{
    mbedtls_ssl_conf_ca_chain(&p->io.conf, &p->io.ca, NULL);
    if (cfg != NULL && cfg->ca_file != NULL) {
        if (!load_ca(p, cfg->ca_file, p->ca_error, sizeof p->ca_error)) {
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

int32_t novita_posix_port_init(novita_posix_port *p, const novita_posix_config *cfg)
{
    int32_t rc;

    if (p == NULL) {
        return NOVITA_PORT_ERR_ARG;
    }
    memset(p, 0, sizeof *p);
    p->ca_status = NOVITA_PORT_ERR_CERT;
    novita_mbedtls_io_init(&p->io, &posix_io_ops, p->last_error, sizeof p->last_error);
    p->magic = PORT_MAGIC;

    p->table.ctx = p;
    p->table.connect = port_connect;
    p->table.send = port_send;
    p->table.recv = port_recv;
    p->table.close = port_close;
    p->table.now_ms = port_now_ms;
    p->table.sleep_ms = port_sleep_ms;

    rc = novita_mbedtls_io_setup(&p->io, "novita-c posix port");
    if (rc == NOVITA_PORT_OK) {
        rc = setup_trust(p, cfg);
    }
    if (rc != NOVITA_PORT_OK) {
        novita_posix_port_free(p); /* keeps last_error */
    }
    return rc;
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
    novita_mbedtls_io_free(&p->io);
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

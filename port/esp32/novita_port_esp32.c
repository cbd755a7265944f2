/**
 * @file novita_port_esp32.c
 * @brief ESP-IDF port: non-blocking lwIP sockets driven by select(), the ESP-IDF certificate bundle,
 *        esp_timer for the clock, vTaskDelay for sleeping; socket I/O and mbedTLS in port/mbedtls.
 *
 * Builds against the mbedTLS of ESP-IDF v5.x (3.2 .. 3.6) and 2.28 (ESP-IDF v4.4) using public APIs only.
 * This file holds what is ESP-IDF-specific: the clock (esp_timer), the wait (lwIP select() with its tick
 * rounding), lwIP getaddrinfo + non-blocking connect, the trust anchors (PEM text or certificate bundle)
 * and the hints added to certificate errors. The connection itself (send, recv, close, TLS handshake with
 * our own BIO callbacks, error texts) is novita_mbedtls_io (port/mbedtls/novita_mbedtls_io.h).
 * The socket stays non-blocking for its whole life; every wait is one select() bounded by the deadline of
 * the current operation (p->io.deadline_us). Neither SO_RCVTIMEO nor ESP-IDF's mbedtls_net_recv() is used:
 * on ESP-IDF the latter maps an SO_RCVTIMEO expiry to MBEDTLS_ERR_SSL_WANT_READ, so a handshake or read
 * loop would never end.
 */
#include "novita_port_esp32.h"

#include <errno.h>
#include <fcntl.h>
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

#include <mbedtls/x509.h>

#define PORT_MAGIC 0x4e504533u /* "NPE3" */

/* Certificates checked before this time (2024-01-01 UTC) mean the clock was never set (SNTP not run). */
#define CLOCK_PLAUSIBLE_AFTER ((time_t)1704067200)

/* One FreeRTOS tick in microseconds: the granularity of every lwIP and FreeRTOS wait. */
#define TICK_US ((int64_t)1000000 / (int64_t)configTICK_RATE_HZ)

/* ------------------------------------------------------------------------------------------------ */
/* Small helpers                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

#define set_error(p, ...) novita_mbedtls_io_set_error(&(p)->io, __VA_ARGS__)

static int64_t now_us(void)
{
    return esp_timer_get_time();
}

/* novita_mbedtls_io_ops.wait: select() until the socket is readable (for_write false) or writable, or the
 * deadline passes.
 * lwIP converts select() timeouts to whole ticks, rounding down: a remaining time below one tick is rounded
 * up to one tick (otherwise it would be no wait at all, and a caller retrying on such "timeouts" would
 * spin), and a select() that returns early with more than a tick left waits again (each wait blocks until
 * at least the next tick, so this never spins). Past the deadline the check is a pure poll.
 * @return 1 ready (or an error is pending: the next socket call reports it), 0 timed out, -1 select failed. */
static int wait_fd(int fd, bool for_write, int64_t deadline_us)
{
    for (;;) {
        fd_set set;
        struct timeval tv;
        int64_t left_us = deadline_us - now_us();
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
            if (deadline_us - now_us() > TICK_US) {
                continue; /* woke early because of tick rounding: wait for the rest */
            }
            return 0;
        }
        if (errno != EINTR) {
            return -1;
        }
    }
}

/* No SIGPIPE on ESP-IDF: no MSG_NOSIGNAL needed. */
static const novita_mbedtls_io_ops esp32_io_ops = { now_us, wait_fd, 0, "select" };

static bool is_port(const void *ctx)
{
    return ctx != NULL && ((const novita_esp32_port *)ctx)->magic == PORT_MAGIC;
}

/* ------------------------------------------------------------------------------------------------ */
/* Connection handling                                                                                */
/* ------------------------------------------------------------------------------------------------ */

static void port_close(void *ctx)
{
    if (is_port(ctx)) {
        novita_mbedtls_io_close(&((novita_esp32_port *)ctx)->io);
    }
}

static const char *resolver_error_text(int rc)
{
    switch (rc) {
    case EAI_NONAME:
        return "host not found";
    case EAI_FAIL:
        return "lookup failed (unknown host, no network or no DNS server)"; /* lwIP's answer to all three */
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
    w = wait_fd(fd, true, p->io.deadline_us);
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

/* Resolve and connect the TCP socket; on success p->io.fd is open and non-blocking. */
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
    /* resolution is not counted: lwIP bounds it with its own timeouts */
    novita_mbedtls_io_start_deadline(&p->io, timeout_ms);

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
        p->io.fd = fd;
        result = NOVITA_PORT_OK;
        break;
    }
    freeaddrinfo(res);
    return result;
}

/* After a failed certificate verification, name the two causes a device can fix itself: a system clock
 * that was never set (dates look wrong) and a server whose issuer is not in the certificate bundle. */
static void add_verify_hints(novita_esp32_port *p)
{
    uint32_t flags = p->io.verify_flags;
    if ((flags & (uint32_t)(MBEDTLS_X509_BADCERT_FUTURE | MBEDTLS_X509_BADCERT_EXPIRED)) != 0u &&
        time(NULL) < CLOCK_PLAUSIBLE_AFTER) {
        novita_mbedtls_io_append_error(&p->io, " (system clock not set: sync SNTP before TLS)");
    }
    /* the bundle is only consulted when "not trusted" is the certificate's one problem */
    if (p->uses_bundle && (flags & ~(uint32_t)MBEDTLS_X509_BADCERT_BAD_MD) == (uint32_t)MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
        novita_mbedtls_io_append_error(&p->io, " (issuer not in the ESP-IDF certificate bundle)");
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
    rc = novita_mbedtls_io_handshake(&p->io, target->host, timeout_ms);
    if (rc == NOVITA_PORT_ERR_CERT) {
        add_verify_hints(p);
    }
    if (rc != NOVITA_PORT_OK) {
        port_close(p);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------------ */
/* Data transfer                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

static int32_t port_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    if (!is_port(ctx)) {
        return NOVITA_PORT_ERR_ARG;
    }
    return novita_mbedtls_io_send(&((novita_esp32_port *)ctx)->io, data, len, timeout_ms);
}

static int32_t port_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    if (!is_port(ctx)) {
        return NOVITA_PORT_ERR_ARG;
    }
    return novita_mbedtls_io_recv(&((novita_esp32_port *)ctx)->io, buf, len, timeout_ms);
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
        int ret = mbedtls_x509_crt_parse(&p->io.ca, (const unsigned char *)cfg->ca_pem, strlen(cfg->ca_pem) + 1u);
        if (ret < 0) {
            novita_mbedtls_io_error_text(ret, text, sizeof text);
            set_error(p, "ca_pem: %s", text);
            return NOVITA_PORT_ERR_CERT;
        }
        /* ret > 0: some certificates of the text did not parse; at least one did (else ret < 0) */
        mbedtls_ssl_conf_ca_chain(&p->io.conf, &p->io.ca, NULL);
        p->trust_status = NOVITA_PORT_OK;
        return NOVITA_PORT_OK;
    }
#if defined(CONFIG_MBEDTLS_CERTIFICATE_BUNDLE)
    {
        /* Sets a placeholder CA chain and the bundle's verify callback; neither is touched afterwards. */
        esp_err_t err = esp_crt_bundle_attach(&p->io.conf);
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
    int32_t rc;

    if (p == NULL) {
        return NOVITA_PORT_ERR_ARG;
    }
    memset(p, 0, sizeof *p);
    p->trust_status = NOVITA_PORT_ERR_CERT;
    novita_mbedtls_io_init(&p->io, &esp32_io_ops, p->last_error, sizeof p->last_error);
    p->magic = PORT_MAGIC;

    p->table.ctx = p;
    p->table.connect = port_connect;
    p->table.send = port_send;
    p->table.recv = port_recv;
    p->table.close = port_close;
    p->table.now_ms = port_now_ms;
    p->table.sleep_ms = port_sleep_ms;

    rc = novita_mbedtls_io_setup(&p->io, "novita-c esp32 port");
    if (rc == NOVITA_PORT_OK) {
        rc = setup_trust(p, cfg);
    }
    if (rc != NOVITA_PORT_OK) {
        novita_esp32_port_free(p); /* keeps last_error */
    }
    return rc;
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
    novita_mbedtls_io_free(&p->io); /* the shared certificate bundle stays loaded for other users */
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

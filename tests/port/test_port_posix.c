/*
 * test_port_posix.c - end-to-end tests of the POSIX port against local test servers (loopback only).
 *
 * usage: test_port_posix CERT_DIR PLAIN_PORT TLS_PORT EXPIRED_PORT CLIENT_ONLY_PORT EMPTY_RECORDS_PORT
 *   CERT_DIR           output of tests/tls/gen-certs.sh
 *   PLAIN_PORT         tests/port/tls_server.py --plain
 *   TLS_PORT           tests/port/tls_server.py --cert server.crt --key server.key
 *   EXPIRED_PORT       tests/port/tls_server.py --cert expired.crt --key expired.key
 *   CLIENT_ONLY_PORT   tests/port/tls_server.py --cert client-only.crt --key client-only.key
 *   EMPTY_RECORDS_PORT tests/port/tls_empty_records_server server.crt server.key
 * tests/port/run.sh starts the servers and runs this program. Exit status 0 = all passed.
 */
#include "novita_port_posix.h"

#include <mbedtls/version.h>

#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char *cert_dir;
static uint16_t plain_port;
static uint16_t tls_port;
static uint16_t expired_port;
static uint16_t client_only_port;
static uint16_t empty_records_port;

static novita_posix_port pp; /* large: keep it off the stack */
static int checks_failed;    /* failures within the current test */
static int tests_passed;
static int tests_failed;

#define CHECK(cond)                                                                                         \
    do {                                                                                                    \
        if (!(cond)) {                                                                                      \
            printf("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                                        \
            checks_failed++;                                                                                \
        }                                                                                                   \
    } while (0)

#define CHECK_RC(expr, want)                                                                                \
    do {                                                                                                    \
        int32_t rc_ = (expr);                                                                               \
        if (rc_ != (want)) {                                                                                \
            printf("  FAIL %s:%d: %s = %ld, want %s (%ld); last_error: %s\n", __FILE__, __LINE__, #expr,    \
                   (long)rc_, #want, (long)(want), novita_posix_port_last_error(&pp));                      \
            checks_failed++;                                                                                \
        }                                                                                                   \
    } while (0)

static void run(const char *name, void (*fn)(void))
{
    checks_failed = 0;
    fn();
    if (checks_failed == 0) {
        tests_passed++;
        printf("ok   %s\n", name);
    } else {
        tests_failed++;
        printf("FAIL %s\n", name);
    }
    fflush(stdout);
}

/* ---- helpers -------------------------------------------------------------------------------------- */

static const char *cert_path(const char *file)
{
    static char buf[4][512];
    static unsigned next;
    char *b = buf[next++ % 4u];
    (void)snprintf(b, sizeof buf[0], "%s/%s", cert_dir, file);
    return b;
}

/* (Re)initialise the global port with a CA file. */
static int32_t init_with_ca(const char *ca_file)
{
    novita_posix_config cfg;
    cfg.ca_file = ca_file;
    novita_posix_port_free(&pp);
    return novita_posix_port_init(&pp, &cfg);
}

static novita_port *port(void)
{
    return novita_posix_port_get(&pp);
}

static int32_t do_connect(const char *host, uint16_t tcp_port, bool tls, uint32_t timeout_ms)
{
    novita_port_target t;
    t.host = host;
    t.port = tcp_port;
    t.use_tls = tls;
    return port()->connect(port()->ctx, &t, timeout_ms);
}

static bool send_all(const char *s)
{
    size_t len = strlen(s);
    size_t off = 0;
    while (off < len) {
        int32_t n = port()->send(port()->ctx, (const uint8_t *)s + off, len - off, 5000);
        if (n <= 0) {
            printf("  send failed: %ld (%s)\n", (long)n, novita_posix_port_last_error(&pp));
            return false;
        }
        off += (size_t)n;
    }
    return true;
}

/* Read up to and excluding '\n' (one byte at a time: nothing after the line is consumed).
 * @return the recv status that stopped it (> 0 = got a line) */
static int32_t recv_line(char *line, size_t cap, uint32_t timeout_ms)
{
    size_t n = 0;
    for (;;) {
        uint8_t c;
        int32_t r = port()->recv(port()->ctx, &c, 1, timeout_ms);
        if (r <= 0) {
            line[n] = '\0';
            return r;
        }
        if (c == '\n') {
            line[n] = '\0';
            return 1;
        }
        if (n + 1 < cap) {
            line[n++] = (char)c;
        }
    }
}

static uint32_t now(void)
{
    return port()->now_ms(port()->ctx);
}

/* A loopback port with nothing listening: bind an ephemeral port, then release it. */
static uint16_t closed_port(void)
{
    struct sockaddr_in a;
    socklen_t alen = (socklen_t)sizeof a;
    uint16_t result = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, alen) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &alen) == 0) {
        result = ntohs(a.sin_port);
    }
    if (fd >= 0) {
        close(fd);
    }
    return result;
}

/* ---- tests ---------------------------------------------------------------------------------------- */

static void t_clock(void)
{
    uint32_t t0 = now();
    uint32_t dt;
    port()->sleep_ms(port()->ctx, 50);
    dt = now() - t0;
    CHECK(dt >= 45 && dt < 2000);
    port()->sleep_ms(port()->ctx, 0);
}

static void t_args(void)
{
    uint8_t b[4];
    novita_port_target t;
    CHECK(novita_posix_port_init(NULL, NULL) == NOVITA_PORT_ERR_ARG);
    CHECK(novita_posix_port_get(NULL) == NULL);
    CHECK(novita_posix_port_last_error(NULL) != NULL);
    novita_posix_port_free(NULL);
    CHECK_RC(port()->connect(port()->ctx, NULL, 1000), NOVITA_PORT_ERR_ARG);
    t.host = "";
    t.port = plain_port;
    t.use_tls = false;
    CHECK_RC(port()->connect(port()->ctx, &t, 1000), NOVITA_PORT_ERR_ARG);
    CHECK_RC(port()->send(port()->ctx, (const uint8_t *)"x", 1, 100), NOVITA_PORT_ERR_ARG);
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 100), NOVITA_PORT_ERR_ARG);
    port()->close(port()->ctx);
    port()->close(port()->ctx);
    CHECK_RC(do_connect("127.0.0.1", plain_port, false, 2000), NOVITA_PORT_OK);
    CHECK_RC(port()->send(port()->ctx, NULL, 1, 100), NOVITA_PORT_ERR_ARG);
    CHECK_RC(port()->recv(port()->ctx, b, 0, 100), NOVITA_PORT_ERR_ARG);
    port()->close(port()->ctx);
}

static void t_plain_echo(void)
{
    char line[128];
    CHECK_RC(do_connect("localhost", plain_port, false, 3000), NOVITA_PORT_OK);
    CHECK(send_all("ECHO hello plain\n"));
    CHECK(recv_line(line, sizeof line, 3000) > 0);
    CHECK(strcmp(line, "hello plain") == 0);
    /* connect again without close: the old connection is replaced */
    CHECK_RC(do_connect("127.0.0.1", plain_port, false, 3000), NOVITA_PORT_OK);
    CHECK(send_all("ECHO again\n"));
    CHECK(recv_line(line, sizeof line, 3000) > 0);
    CHECK(strcmp(line, "again") == 0);
    port()->close(port()->ctx);
}

static void check_big(bool tls, uint16_t p, const char *host)
{
    static uint8_t buf[5000];
    size_t total = 0;
    size_t want = 200000;
    bool pattern_ok = true;
    int32_t n;
    size_t step = 1;
    CHECK_RC(do_connect(host, p, tls, 3000), NOVITA_PORT_OK);
    CHECK(send_all("BIG 200000\n"));
    while (total < want) {
        size_t i;
        size_t ask = step < sizeof buf ? step : sizeof buf;
        step = step * 3 + 1; /* vary the read sizes: 1, 4, 13, ... capped */
        n = port()->recv(port()->ctx, buf, ask, 5000);
        if (n <= 0) {
            printf("  recv after %lu bytes: %ld (%s)\n", (unsigned long)total, (long)n,
                   novita_posix_port_last_error(&pp));
            break;
        }
        CHECK((size_t)n <= ask);
        for (i = 0; i < (size_t)n; i++) {
            if (buf[i] != (uint8_t)('a' + (total + i) % 26u)) {
                pattern_ok = false;
            }
        }
        total += (size_t)n;
    }
    CHECK(total == want);
    CHECK(pattern_ok);
    /* nothing more is coming */
    CHECK_RC(port()->recv(port()->ctx, buf, sizeof buf, 0), NOVITA_PORT_TIMEOUT);
    port()->close(port()->ctx);
}

static void t_plain_big(void)
{
    check_big(false, plain_port, "127.0.0.1");
}

static void check_timeouts(bool tls, uint16_t p)
{
    uint8_t b[16];
    char line[64];
    uint32_t t0;
    uint32_t dt;
    CHECK_RC(do_connect("localhost", p, tls, 3000), NOVITA_PORT_OK);
    /* silent server: returns after about the timeout */
    t0 = now();
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 300), NOVITA_PORT_TIMEOUT);
    dt = now() - t0;
    CHECK(dt >= 250 && dt < 5000);
    /* timeout 0: only what is there already */
    t0 = now();
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 0), NOVITA_PORT_TIMEOUT);
    CHECK(now() - t0 < 1000);
    /* a timeout leaves the connection usable */
    CHECK(send_all("DELAY 400 late\n"));
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 50), NOVITA_PORT_TIMEOUT);
    CHECK(recv_line(line, sizeof line, 5000) > 0);
    CHECK(strcmp(line, "late") == 0);
    CHECK(send_all("ECHO still alive\n"));
    CHECK(recv_line(line, sizeof line, 5000) > 0);
    CHECK(strcmp(line, "still alive") == 0);
    port()->close(port()->ctx);
}

static void t_plain_timeout(void)
{
    check_timeouts(false, plain_port);
}

/* A peer that stops reading: send eventually times out instead of blocking. */
static void check_send_timeout(bool tls, uint16_t p)
{
    static uint8_t chunk[65536];
    size_t total = 0;
    int32_t r = 0;
    uint32_t t0;
    uint32_t dt = 0;
    memset(chunk, 'x', sizeof chunk);
    CHECK_RC(do_connect("localhost", p, tls, 3000), NOVITA_PORT_OK);
    CHECK(send_all("STALL\n"));
    while (total < (size_t)256 * 1024 * 1024) {
        t0 = now();
        r = port()->send(port()->ctx, chunk, sizeof chunk, 200);
        dt = now() - t0;
        if (r <= 0) {
            break;
        }
        total += (size_t)r;
    }
    printf("  send timed out after %lu bytes in flight\n", (unsigned long)total);
    CHECK_RC(r, NOVITA_PORT_TIMEOUT);
    CHECK(dt >= 150 && dt < 5000);
    /* TLS: a record may be half written, so the connection is unusable; plain TCP stays usable */
    r = port()->send(port()->ctx, chunk, sizeof chunk, 0);
    if (tls) {
        CHECK_RC(r, NOVITA_PORT_ERR_IO);
    } else {
        CHECK(r == NOVITA_PORT_TIMEOUT || r > 0);
    }
    port()->close(port()->ctx);
}

static void t_plain_send_timeout(void)
{
    check_send_timeout(false, plain_port);
}

static void t_tls_send_timeout(void)
{
    check_send_timeout(true, tls_port);
}

static void t_plain_peer_close(void)
{
    uint8_t b[16];
    CHECK_RC(do_connect("127.0.0.1", plain_port, false, 3000), NOVITA_PORT_OK);
    CHECK(send_all("CLOSE\n"));
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 5000), NOVITA_PORT_CLOSED);
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 5000), NOVITA_PORT_CLOSED);
    port()->close(port()->ctx);
}

static void t_closed_port(void)
{
    uint16_t cp = closed_port();
    CHECK(cp != 0);
    CHECK_RC(do_connect("127.0.0.1", cp, false, 3000), NOVITA_PORT_ERR_CONNECT);
    CHECK(strstr(novita_posix_port_last_error(&pp), "refused") != NULL);
    CHECK_RC(do_connect("localhost", cp, true, 3000), NOVITA_PORT_ERR_CONNECT);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
}

static void t_dns(void)
{
    CHECK_RC(do_connect("nonexistent.invalid", 443, true, 3000), NOVITA_PORT_ERR_DNS);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
    CHECK_RC(do_connect("nonexistent.invalid", 80, false, 3000), NOVITA_PORT_ERR_DNS);
}

/* A listener whose accept queue is full drops further SYNs, so connect() hangs until our timeout. */
static void t_connect_timeout(void)
{
    struct sockaddr_in a;
    socklen_t alen = (socklen_t)sizeof a;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int fillers[8];
    int nf = 0;
    int i;
    int32_t rc;
    uint32_t t0;
    uint32_t dt;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(lfd >= 0);
    CHECK(bind(lfd, (struct sockaddr *)&a, alen) == 0);
    CHECK(getsockname(lfd, (struct sockaddr *)&a, &alen) == 0);
    CHECK(listen(lfd, 0) == 0);
    for (i = 0; i < 4; i++) { /* fill the backlog with blocking connects that complete */
        struct timeval tv;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        tv.tv_sec = 0;
        tv.tv_usec = 300000;
        (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, (socklen_t)sizeof tv);
        if (connect(fd, (struct sockaddr *)&a, alen) != 0) {
            close(fd);
            break;
        }
        fillers[nf++] = fd;
    }
    t0 = now();
    rc = do_connect("127.0.0.1", ntohs(a.sin_port), false, 500);
    dt = now() - t0;
    if (rc == NOVITA_PORT_OK) {
        printf("  SKIP: this kernel accepted the connection despite a full backlog\n");
    } else {
        CHECK_RC(rc, NOVITA_PORT_TIMEOUT);
        CHECK(dt >= 400 && dt < 5000);
    }
    port()->close(port()->ctx);
    for (i = 0; i < nf; i++) {
        close(fillers[i]);
    }
    close(lfd);
}

static void t_ca_errors(void)
{
    CHECK_RC(init_with_ca("/nonexistent/ca.pem"), NOVITA_PORT_ERR_CERT);
    CHECK(strstr(novita_posix_port_last_error(&pp), "No such file") != NULL);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
    novita_posix_port_free(&pp); /* allowed after a failed init */
    CHECK_RC(init_with_ca(cert_path("server.key")), NOVITA_PORT_ERR_CERT); /* PEM, but no certificate */
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
    CHECK_RC(init_with_ca(cert_dir), NOVITA_PORT_ERR_CERT); /* a directory */
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
}

static void t_system_bundle(void)
{
    novita_posix_port_free(&pp);
    CHECK_RC(novita_posix_port_init(&pp, NULL), NOVITA_PORT_OK);
    /* the test CA is not in the system bundle (or there is none): the handshake must not verify */
    CHECK_RC(do_connect("localhost", tls_port, true, 3000), NOVITA_PORT_ERR_CERT);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
#if defined(NOVITA_HOST_POSIX_API_OVER_ESP32_H)
    /* the ESP32 port: ESP-IDF's bundle refuses through its verify callback, and the port says where to look */
    CHECK(strstr(novita_posix_port_last_error(&pp), "issuer not in the ESP-IDF certificate bundle") != NULL);
#endif
    /* plain TCP works regardless of the CA */
    CHECK_RC(do_connect("127.0.0.1", plain_port, false, 3000), NOVITA_PORT_OK);
    port()->close(port()->ctx);
}

static void t_tls_ok(void)
{
    char line[256];
    char last[256];
    int32_t r;
    CHECK_RC(init_with_ca(cert_path("ca.crt")), NOVITA_PORT_OK);
    r = do_connect("localhost", tls_port, true, 5000);
    CHECK_RC(r, NOVITA_PORT_OK);
    if (r != NOVITA_PORT_OK) {
        return;
    }
    /* informational only; peeks into the port's ssl context, which only a test may do */
    printf("  negotiated %s %s (mbedTLS %s)\n", mbedtls_ssl_get_version(&pp.io.ssl),
           mbedtls_ssl_get_ciphersuite(&pp.io.ssl), MBEDTLS_VERSION_STRING);
    CHECK(send_all("ECHO hello tls\n"));
    CHECK(recv_line(line, sizeof line, 5000) > 0);
    CHECK(strcmp(line, "hello tls") == 0);
    /* minimal HTTP/1.1 exchange, server closes without close_notify afterwards */
    CHECK(send_all("GET /v1/ping HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    CHECK(recv_line(line, sizeof line, 5000) > 0);
    CHECK(strncmp(line, "HTTP/1.1 200 OK", 15) == 0);
    last[0] = '\0';
    while ((r = recv_line(line, sizeof line, 5000)) > 0) {
        memcpy(last, line, sizeof last);
    }
    CHECK_RC(r, NOVITA_PORT_CLOSED); /* Connection: close, no close_notify */
    CHECK(strcmp(last, "hello") == 0);
    port()->close(port()->ctx);
}

static void t_tls_big(void)
{
    check_big(true, tls_port, "localhost");
}

static void t_tls_timeout(void)
{
    check_timeouts(true, tls_port);
}

static void t_tls_peer_close(void)
{
    uint8_t b[16];
    /* close_notify */
    CHECK_RC(do_connect("localhost", tls_port, true, 5000), NOVITA_PORT_OK);
    CHECK(send_all("CLOSE\n"));
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 5000), NOVITA_PORT_CLOSED);
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 5000), NOVITA_PORT_CLOSED);
    port()->close(port()->ctx);
    /* plain TCP FIN without close_notify */
    CHECK_RC(do_connect("localhost", tls_port, true, 5000), NOVITA_PORT_OK);
    CHECK(send_all("DROP\n"));
    CHECK_RC(port()->recv(port()->ctx, b, sizeof b, 5000), NOVITA_PORT_CLOSED);
    port()->close(port()->ctx);
}

static void t_tls_wrong_ca(void)
{
    CHECK_RC(init_with_ca(cert_path("other-ca.crt")), NOVITA_PORT_OK);
    CHECK_RC(do_connect("localhost", tls_port, true, 5000), NOVITA_PORT_ERR_CERT);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
    CHECK(strstr(novita_posix_port_last_error(&pp), "verify failed") != NULL);
    CHECK(strstr(novita_posix_port_last_error(&pp), "not correctly signed") != NULL);
}

static void t_tls_wrong_host(void)
{
    CHECK_RC(init_with_ca(cert_path("ca.crt")), NOVITA_PORT_OK);
    CHECK_RC(do_connect("127.0.0.1", tls_port, true, 5000), NOVITA_PORT_ERR_CERT);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
    CHECK(strstr(novita_posix_port_last_error(&pp), "CN") != NULL);
    /* the same port object still works for the right name afterwards */
    CHECK_RC(do_connect("localhost", tls_port, true, 5000), NOVITA_PORT_OK);
    port()->close(port()->ctx);
}

static void t_tls_expired(void)
{
    CHECK_RC(init_with_ca(cert_path("ca.crt")), NOVITA_PORT_OK);
    CHECK_RC(do_connect("localhost", expired_port, true, 5000), NOVITA_PORT_ERR_CERT);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
    CHECK(strstr(novita_posix_port_last_error(&pp), "expired") != NULL);
    /* two problems at once are both reported */
    CHECK_RC(do_connect("127.0.0.1", expired_port, true, 5000), NOVITA_PORT_ERR_CERT);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
    CHECK(strstr(novita_posix_port_last_error(&pp), "expired; ") != NULL ||
          strstr(novita_posix_port_last_error(&pp), "; The certificate validity has expired") != NULL);
}

/* A certificate whose chain and name verify but whose extended key usage is clientAuth only: refused as a
 * certificate problem, with the reason, like any other verification failure. */
static void t_tls_wrong_purpose(void)
{
    CHECK_RC(init_with_ca(cert_path("ca.crt")), NOVITA_PORT_OK);
    CHECK_RC(do_connect("localhost", client_only_port, true, 5000), NOVITA_PORT_ERR_CERT);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
    CHECK(strstr(novita_posix_port_last_error(&pp), "certificate verify failed") != NULL);
}

/* Two empty application-data records (legal TLS) before the data: mbedtls_ssl_read() returns 0 for them,
 * as it does at the end of the stream, but the connection is open and the data follows. */
static void t_tls_empty_records(void)
{
    uint8_t b[16];
    int32_t n;
    CHECK_RC(init_with_ca(cert_path("ca.crt")), NOVITA_PORT_OK);
    CHECK_RC(do_connect("localhost", empty_records_port, true, 5000), NOVITA_PORT_OK);
    CHECK(send_all("go\n"));
    n = port()->recv(port()->ctx, b, sizeof b, 5000);
    CHECK_RC(n, 6);
    CHECK(n == 6 && memcmp(b, "hello\n", 6) == 0);
    port()->close(port()->ctx);
}

/* TLS to a server that never answers the ClientHello: the handshake is bounded by the connect timeout. */
static void t_tls_handshake_timeout(void)
{
    uint32_t t0;
    uint32_t dt;
    CHECK_RC(init_with_ca(cert_path("ca.crt")), NOVITA_PORT_OK);
    t0 = now();
    CHECK_RC(do_connect("localhost", plain_port, true, 500), NOVITA_PORT_TIMEOUT);
    dt = now() - t0;
    CHECK(dt >= 400 && dt < 5000);
    printf("  last_error: %s\n", novita_posix_port_last_error(&pp));
}

static uint16_t parse_port(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v <= 0 || v > 65535) {
        fprintf(stderr, "bad port: %s\n", s);
        exit(2);
    }
    return (uint16_t)v;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: %s CERT_DIR PLAIN_PORT TLS_PORT EXPIRED_PORT CLIENT_ONLY_PORT EMPTY_RECORDS_PORT\n",
                argv[0]);
        return 2;
    }
    cert_dir = argv[1];
    plain_port = parse_port(argv[2]);
    tls_port = parse_port(argv[3]);
    expired_port = parse_port(argv[4]);
    client_only_port = parse_port(argv[5]);
    empty_records_port = parse_port(argv[6]);

    if (init_with_ca(cert_path("ca.crt")) != NOVITA_PORT_OK) {
        fprintf(stderr, "init failed: %s\n", novita_posix_port_last_error(&pp));
        return 1;
    }
    run("clock", t_clock);
    run("argument checks", t_args);
    run("plain connect+send+recv", t_plain_echo);
    run("plain 200000 bytes, varied read sizes", t_plain_big);
    run("plain recv timeout, connection survives", t_plain_timeout);
    run("plain peer close -> CLOSED", t_plain_peer_close);
    run("plain send timeout on a stalled peer", t_plain_send_timeout);
    run("closed port -> ERR_CONNECT", t_closed_port);
    run("unresolvable host -> ERR_DNS", t_dns);
    run("connect timeout (full backlog) -> TIMEOUT", t_connect_timeout);
    run("TLS right CA + localhost", t_tls_ok);
    run("TLS 200000 bytes, varied read sizes", t_tls_big);
    run("TLS recv timeout, connection survives", t_tls_timeout);
    run("TLS peer close (close_notify, FIN) -> CLOSED", t_tls_peer_close);
    run("TLS send timeout on a stalled peer", t_tls_send_timeout);
    run("TLS handshake bounded by connect timeout", t_tls_handshake_timeout);
    run("TLS wrong CA -> ERR_CERT", t_tls_wrong_ca);
    run("TLS host 127.0.0.1 vs localhost-only cert -> ERR_CERT", t_tls_wrong_host);
    run("TLS expired cert -> ERR_CERT", t_tls_expired);
    run("TLS certificate for clients only -> ERR_CERT", t_tls_wrong_purpose);
    run("TLS empty records are not a close", t_tls_empty_records);
    run("CA file errors -> ERR_CERT at init", t_ca_errors);
    run("system CA bundle does not trust the test CA", t_system_bundle);
    novita_posix_port_free(&pp);
    novita_posix_port_free(&pp);

    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed == 0 ? 0 : 1;
}

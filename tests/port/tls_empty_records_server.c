/*
 * TLS test server for the port test (tests/port/run.sh): after each handshake it reads one line, then sends
 * two empty application-data records, then "hello\n", and keeps the connection open until the client
 * closes it (or 10 s pass). Empty records are legal TLS, and mbedtls_ssl_read() reports two in a row as a
 * 0 return, the same value it uses for the end of the stream: a port must not take them for a close.
 * Python's ssl module cannot send an empty record, hence this small mbedTLS program.
 *
 * Usage: tls_empty_records_server CERT KEY   (prints "PORT <n>" once listening on 127.0.0.1; exits after
 * 300 s so that a crashed test run leaves nothing behind)
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#if defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#define LIFETIME_S 300u
#define HOLD_MS 10000u

typedef struct server {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_x509_crt cert;
    mbedtls_pk_context key;
    mbedtls_ssl_config conf;
    mbedtls_net_context listener;
} server;

static int load(server *s, const char *cert, const char *key)
{
    static const char pers[] = "novita-c empty records server";
    if (mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy, (const unsigned char *)pers,
                              sizeof pers - 1u) != 0 ||
        mbedtls_x509_crt_parse_file(&s->cert, cert) != 0)
        return -1;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    if (mbedtls_pk_parse_keyfile(&s->key, key, NULL, mbedtls_ctr_drbg_random, &s->drbg) != 0)
        return -1;
#else
    if (mbedtls_pk_parse_keyfile(&s->key, key, NULL) != 0)
        return -1;
#endif
    if (mbedtls_ssl_config_defaults(&s->conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        return -1;
    mbedtls_ssl_conf_rng(&s->conf, mbedtls_ctr_drbg_random, &s->drbg);
    mbedtls_ssl_conf_read_timeout(&s->conf, HOLD_MS);
    return mbedtls_ssl_conf_own_cert(&s->conf, &s->cert, &s->key);
}

/* One connection: handshake, one line in, two empty records and "hello\n" out, then wait for the close. */
static void serve(server *s, mbedtls_net_context *client)
{
    mbedtls_ssl_context ssl;
    unsigned char line[256];
    int ret;
    mbedtls_ssl_init(&ssl);
    if (mbedtls_ssl_setup(&ssl, &s->conf) != 0)
        goto done;
    mbedtls_ssl_set_bio(&ssl, client, mbedtls_net_send, NULL, mbedtls_net_recv_timeout);
    while ((ret = mbedtls_ssl_handshake(&ssl)) == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
    }
    if (ret != 0)
        goto done;
    do {
        ret = mbedtls_ssl_read(&ssl, line, sizeof line);
    } while (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
             || ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
#endif
    );
    if (ret <= 0)
        goto done;
    (void)mbedtls_ssl_write(&ssl, line, 0); /* an empty application-data record */
    (void)mbedtls_ssl_write(&ssl, line, 0);
    (void)mbedtls_ssl_write(&ssl, (const unsigned char *)"hello\n", 6);
    do { /* until the client closes, or the read timeout */
        ret = mbedtls_ssl_read(&ssl, line, sizeof line);
    } while (ret > 0 || ret == MBEDTLS_ERR_SSL_WANT_READ);
    (void)mbedtls_ssl_close_notify(&ssl);
done:
    mbedtls_ssl_free(&ssl);
    mbedtls_net_free(client);
}

int main(int argc, char **argv)
{
    static server s;
    struct sockaddr_in addr;
    socklen_t addr_len = sizeof addr;
    if (argc != 3) {
        fprintf(stderr, "usage: %s CERT KEY\n", argv[0]);
        return 2;
    }
    alarm(LIFETIME_S);
    mbedtls_entropy_init(&s.entropy);
    mbedtls_ctr_drbg_init(&s.drbg);
    mbedtls_x509_crt_init(&s.cert);
    mbedtls_pk_init(&s.key);
    mbedtls_ssl_config_init(&s.conf);
    mbedtls_net_init(&s.listener);
#if defined(MBEDTLS_PSA_CRYPTO_C)
    if (psa_crypto_init() != PSA_SUCCESS)
        return 1;
#endif
    if (load(&s, argv[1], argv[2]) != 0 ||
        mbedtls_net_bind(&s.listener, "127.0.0.1", "0", MBEDTLS_NET_PROTO_TCP) != 0 ||
        getsockname(s.listener.fd, (struct sockaddr *)&addr, &addr_len) != 0) {
        fprintf(stderr, "tls_empty_records_server: set-up failed\n");
        return 1;
    }
    printf("PORT %u\n", (unsigned)ntohs(addr.sin_port));
    fflush(stdout);
    for (;;) {
        mbedtls_net_context client;
        mbedtls_net_init(&client);
        if (mbedtls_net_accept(&s.listener, &client, NULL, 0, NULL) == 0)
            serve(&s, &client);
    }
}

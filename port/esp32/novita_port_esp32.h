/**
 * @file novita_port_esp32.h
 * @brief The ESP-IDF port: lwIP BSD sockets, mbedTLS with the ESP-IDF certificate bundle, esp_timer, FreeRTOS.
 *
 * Usage (from a task with enough stack for a TLS handshake, see examples/esp32/README.md):
 * @code
 *   static novita_esp32_port ep;                  // caller-allocated: prefer static storage
 *   if (novita_esp32_port_init(&ep, NULL) != NOVITA_PORT_OK) {   // NULL = ESP-IDF certificate bundle
 *       ESP_LOGE(TAG, "port: %s", novita_esp32_port_last_error(&ep));
 *   }
 *   novita_port *port = novita_esp32_port_get(&ep); // hand this to novita_client_init()
 *   ...
 *   novita_esp32_port_free(&ep);
 * @endcode
 *
 * Behaviour of the function table (general contract in novita/port.h):
 * - connect: resolves with lwIP getaddrinfo() (lwIP returns one address; every returned address is tried),
 *   then a non-blocking TCP connect bounded by select(); the TCP connect and the TLS handshake share one
 *   deadline of timeout_ms (name resolution is bounded by lwIP's own DNS timeouts, not by timeout_ms).
 *   Returns NOVITA_PORT_OK, NOVITA_PORT_ERR_ARG (NULL/empty host, port not initialised),
 *   NOVITA_PORT_ERR_DNS, NOVITA_PORT_ERR_CONNECT, NOVITA_PORT_TIMEOUT (deadline passed during TCP connect or
 *   the handshake), NOVITA_PORT_ERR_CERT (no trust anchors configured, or the server certificate or host
 *   name did not verify; an unset system clock is named in the error text), NOVITA_PORT_ERR_TLS (any other
 *   handshake failure).
 *   TLS always verifies the peer (VERIFY_REQUIRED, TLS >= 1.2, TLS 1.3 when the mbedTLS build has it) and
 *   always sets the host name for SNI and the certificate name check (mbedtls_ssl_set_hostname).
 * - send: bytes sent (> 0, possibly fewer than len), NOVITA_PORT_TIMEOUT (socket not writable in time),
 *   NOVITA_PORT_ERR_IO (reset), NOVITA_PORT_ERR_TLS, NOVITA_PORT_ERR_ARG (no connection, NULL data, len 0).
 *   A TLS send that times out may leave a partly written record behind: every later send/recv on that
 *   connection returns NOVITA_PORT_ERR_IO until close or connect. Likewise after NOVITA_PORT_ERR_IO /
 *   NOVITA_PORT_ERR_TLS on a TLS connection, later calls repeat that status.
 * - recv: bytes received (> 0), NOVITA_PORT_CLOSED (FIN or TLS close_notify; repeated on later calls),
 *   NOVITA_PORT_TIMEOUT (nothing within timeout_ms; timeout_ms == 0 only takes what is already there; the
 *   connection stays usable), NOVITA_PORT_ERR_IO, NOVITA_PORT_ERR_TLS, NOVITA_PORT_ERR_ARG. Never 0.
 * - close: sends a TLS close_notify without waiting, closes the socket. Safe without a connection.
 * - now_ms: esp_timer_get_time() / 1000, truncated to 32 bits. sleep_ms: vTaskDelay(), rounded up to whole
 *   ticks so that a short sleep never degenerates into a busy yield.
 *
 * Files: this port is port/esp32/novita_port_esp32.c (clock, select() wait, lwIP resolver and connect, trust
 * anchors, certificate-error hints) plus port/mbedtls/novita_mbedtls_io.c, shared with port/posix (send,
 * recv, close, the TLS configuration and handshake, error texts). The component's CMakeLists.txt builds
 * both and adds port/esp32 and port/mbedtls to the include path.
 *
 * Timeouts never spin: the socket is non-blocking for its whole life and every wait is one select() bounded
 * by the deadline of the current call (lwIP waits at least 1 ms for any non-zero timeout). The port uses its
 * own mbedTLS I/O callbacks, not ESP-IDF's mbedtls_net_recv(), which turns an SO_RCVTIMEO expiry into
 * MBEDTLS_ERR_SSL_WANT_READ and makes a "retry on WANT_READ" loop spin forever. TLS 1.3 post-handshake
 * messages (NewSessionTicket: WANT_READ, MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) are consumed
 * transparently.
 *
 * Memory: this code never calls malloc. mbedTLS allocates internally (record buffers while a TLS connection
 * is open: about 20 KiB with ESP-IDF's default asymmetric 16 KiB in / 4 KiB out; certificate parsing),
 * and so do lwIP's getaddrinfo() and mbedtls_ssl_set_hostname(). See docs/porting.md for a static pool.
 *
 * Stack: the handshake runs on the caller's task. ESP-IDF's own TLS examples use 8192-byte tasks; add about
 * 2 KiB for novita-c's call frames (examples/esp32 uses 10240 bytes and logs what it never used). RSA-4096
 * chains or software-only ECC need more.
 *
 * Threads: one novita_esp32_port must be used by one task at a time; separate ports are independent.
 * Initialise ports from one task at a time (psa_crypto_init() is called by init when mbedTLS has PSA
 * crypto; the port never calls mbedtls_psa_crypto_free() because PSA state is global).
 *
 * Supported: ESP-IDF v5.x (mbedTLS 3.1 to 3.6; the component manifest asks for v5). The mbedTLS 2.28 code
 * paths (ESP-IDF v4.4) are kept and tested on the host only. ESP-IDF v6 (mbedTLS 4) is not supported yet.
 */
#ifndef NOVITA_PORT_ESP32_H
#define NOVITA_PORT_ESP32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/version.h>

#if MBEDTLS_VERSION_NUMBER >= 0x04000000
#error "port/esp32 supports mbedTLS 2.28 and 3.x (ESP-IDF v4.4 to v5.x); mbedTLS 4 (ESP-IDF v6) is not supported yet"
#endif

#include "novita/port.h"
#include "novita_mbedtls_io.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of the last-error text buffer, including the NUL. Longer messages are truncated. */
#ifndef NOVITA_ESP32_ERROR_MAX
#define NOVITA_ESP32_ERROR_MAX 256u
#endif

/** Configuration for novita_esp32_port_init(). Only read during the init call. */
typedef struct novita_esp32_config {
    /** Trust anchors: NULL = the ESP-IDF certificate bundle (esp_crt_bundle_attach(); needs
     *  CONFIG_MBEDTLS_CERTIFICATE_BUNDLE=y). Otherwise a NUL-terminated PEM text with the CA certificates to
     *  trust instead of the bundle (e.g. a private test server); it is parsed during init and may be freed
     *  afterwards. */
    const char *ca_pem;
} novita_esp32_config;

/**
 * State of one ESP-IDF port. Allocated by the caller; it embeds the mbedTLS contexts (in `io`; about 1.5 to 1.7 KiB
 * on a 32-bit target, depending on the mbedTLS configuration), so prefer static storage to a task stack.
 * Every field is private: use the functions below.
 */
typedef struct novita_esp32_port {
    novita_port table;      /**< function table handed out by novita_esp32_port_get(); ctx = this struct */
    uint32_t magic;         /**< marks an initialised port */
    bool uses_bundle;       /**< trust comes from the ESP-IDF certificate bundle (named in verify errors) */
    int32_t trust_status;   /**< NOVITA_PORT_OK if trust anchors are configured, else NOVITA_PORT_ERR_CERT */
    char last_error[NOVITA_ESP32_ERROR_MAX]; /**< text of the last failure (io writes its texts here) */
    novita_mbedtls_io io;   /**< socket, TLS session, mbedTLS contexts; io.ca = parsed config ca_pem (empty
                                 when the bundle is used). Shared with port/posix: port/mbedtls */
} novita_esp32_port;

/**
 * Initialise a port: PSA crypto (when present), the random generator (ESP32 hardware RNG through mbedTLS's
 * entropy source), the TLS client configuration and its trust anchors.
 *
 * Trust: with cfg == NULL or cfg->ca_pem == NULL the ESP-IDF certificate bundle is attached; its own
 * verify callback is kept (this port never installs one). If the firmware was built without
 * CONFIG_MBEDTLS_CERTIFICATE_BUNDLE, init still succeeds (plain TCP works) and every TLS connect fails with
 * NOVITA_PORT_ERR_CERT, naming the missing option in novita_esp32_port_last_error().
 *
 * @param[out] p    caller-allocated storage, any contents, but not an initialised port (that would leak:
 *                  call novita_esp32_port_free() first); owned by the caller, must stay at the same address
 *                  until novita_esp32_port_free() (the function table and mbedTLS point into it).
 * @param[in]  cfg  configuration, may be NULL (= certificate bundle); not retained after the call.
 * @return NOVITA_PORT_OK;
 *         NOVITA_PORT_ERR_ARG if p is NULL;
 *         NOVITA_PORT_ERR_CERT if cfg->ca_pem is set but holds no parsable certificate, or the certificate
 *         bundle could not be attached;
 *         NOVITA_PORT_ERR_TLS if mbedTLS could not be set up (PSA init, RNG seeding, TLS defaults).
 *         On any failure everything is already released and novita_esp32_port_last_error() (if p is not
 *         NULL) says why; calling novita_esp32_port_free() afterwards is allowed and does nothing.
 */
int32_t novita_esp32_port_init(novita_esp32_port *p, const novita_esp32_config *cfg);

/**
 * The function table of an initialised port, to give to the client.
 *
 * @param[in] p  a port on which novita_esp32_port_init() succeeded.
 * @return a pointer into p (ctx == p), valid until novita_esp32_port_free(p); NULL if p is NULL.
 *         The table's functions return NOVITA_PORT_ERR_ARG if the port is not initialised.
 */
novita_port *novita_esp32_port_get(novita_esp32_port *p);

/**
 * Close any open connection and release everything mbedTLS allocated for the port. The ESP-IDF certificate
 * bundle is global and shared with esp-tls, esp_http_client and others: it stays loaded (the port never
 * calls esp_crt_bundle_detach(), which would unload it for everyone).
 *
 * @param[in,out] p  a port after novita_esp32_port_init() (successful or not), or NULL (no-op).
 *                   Calling it twice is harmless. The storage stays owned by the caller; the table from
 *                   novita_esp32_port_get() must not be used afterwards.
 */
void novita_esp32_port_free(novita_esp32_port *p);

/**
 * A short human description of the most recent failure (e.g. "certificate verify failed: The certificate
 * validity starts in the future (system clock not set: sync SNTP before TLS)", "connect api.novita.ai
 * (1.2.3.4) port 443: timed out after 10000 ms"). Successful calls do not clear it.
 *
 * @param[in] p  a port after novita_esp32_port_init(), or NULL.
 * @return a NUL-terminated string inside p (owned by p, overwritten by the next failure); "" if nothing
 *         failed yet; a static string if p is NULL.
 */
const char *novita_esp32_port_last_error(const novita_esp32_port *p);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_PORT_ESP32_H */

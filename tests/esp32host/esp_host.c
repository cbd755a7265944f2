/* Host implementations of the ESP-IDF functions port/esp32 calls, so the port's own code can be compiled
 * with the project's warnings and run against the POSIX port's tests on every CI run (tests/esp32host).
 * lwIP is not emulated: its BSD socket API (socket, connect, select, send, recv, getaddrinfo) is the
 * host's. What this cannot show: lwIP's own error codes and timing, the real bundle, a real device. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "esp_crt_bundle.h"
#include "esp_err.h"
#include "esp_timer.h"
#include "freertos/task.h"

int64_t esp_timer_get_time(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + (int64_t)(ts.tv_nsec / 1000);
}

void vTaskDelay(const TickType_t ticks)
{
    unsigned long long ms = (unsigned long long)ticks * portTICK_PERIOD_MS;
    struct timespec req;
    req.tv_sec = (time_t)(ms / 1000u);
    req.tv_nsec = (long)(ms % 1000u) * 1000000L;
    while (nanosleep(&req, &req) != 0 && errno == EINTR) {
    }
}

const char *esp_err_to_name(esp_err_t code)
{
    return code == ESP_OK ? "ESP_OK" : "ESP_FAIL";
}

/* The bundle: one chain shared by every user, like ESP-IDF's global bundle. Here it is the host's system
 * bundle when there is one, else empty; either way it lacks the tests' own CA, as the real bundle does. */
static mbedtls_x509_crt bundle;
static int bundle_ready;

/* ESP-IDF's bundle works through a verify callback (esp_crt_bundle.c, esp_crt_verify_callback): when "not
 * trusted" is a certificate's only problem it looks the issuer up in the bundle, and when the issuer is
 * not there it returns an error, which mbedTLS reports as MBEDTLS_ERR_X509_FATAL_ERROR with all verify
 * flags set. Any other problem (dates, name) is left to mbedTLS. The stand-in does the same, its lookup
 * being the system chain above, so the port meets the errors a device meets. */
static int bundle_verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    (void)ctx;
    (void)crt;
    (void)depth;
    if ((*flags & ~(uint32_t)MBEDTLS_X509_BADCERT_BAD_MD) != (uint32_t)MBEDTLS_X509_BADCERT_NOT_TRUSTED)
        return 0;
    return MBEDTLS_ERR_X509_CERT_VERIFY_FAILED; /* issuer not in the bundle (ESP-IDF v5.5's return value) */
}

esp_err_t esp_crt_bundle_attach(void *conf)
{
    if (!bundle_ready) {
        mbedtls_x509_crt_init(&bundle);
        (void)mbedtls_x509_crt_parse_file(&bundle, "/etc/ssl/certs/ca-certificates.crt");
        bundle_ready = 1;
    }
    mbedtls_ssl_conf_ca_chain((mbedtls_ssl_config *)conf, &bundle, NULL);
    mbedtls_ssl_conf_verify((mbedtls_ssl_config *)conf, bundle_verify, NULL);
    return ESP_OK;
}

/* ESP-IDF has no signals: a send on a reset socket fails with EPIPE there. Make the host do the same, since
 * the ESP32 port passes no MSG_NOSIGNAL. */
__attribute__((constructor)) static void ignore_sigpipe(void)
{
    (void)signal(SIGPIPE, SIG_IGN);
}

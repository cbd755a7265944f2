/*
 * novita-c on ESP32: join Wi-Fi, set the clock with SNTP, then rent a GPU instance on Novita AI, wait until
 * it runs, print how to reach it, and stop it (instance_demo.c). Configure with `idf.py menuconfig`
 * ("Example configuration"); see README.md.
 *
 * Memory: every large object is static (port ~1.5-1.7 KiB, client ~1 KiB, work buffer, JSON tokens, the
 * instance record in instance_demo.c). The main task stack only carries call frames: the TLS handshake
 * inside mbedTLS is the deepest path, so sdkconfig.defaults sets CONFIG_ESP_MAIN_TASK_STACK_SIZE=10240;
 * the app logs the stack it never touched at the end (README.md, "Stack").
 */
#include <stdbool.h>
#include <string.h>
#include <time.h>

/* First, so that an older ESP-IDF stops with this message instead of a missing esp_netif_sntp.h. */
#include "esp_idf_version.h"
#if ESP_IDF_VERSION < ESP_IDF_VERSION_VAL(5, 1, 0)
#error "this example needs ESP-IDF v5.1 or newer (esp_netif_sntp)"
#endif

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_netif_sntp.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"
#include "freertos/task.h"
#include "nvs_flash.h"
#include "sdkconfig.h"

#include "novita/novita.h"
#include "novita_port_esp32.h"

#include "instance_demo.h"

static const char *TAG = "novita_example";

#define WIFI_CONNECTED_BIT ((EventBits_t)1 << 0)
#define WIFI_FAILED_BIT ((EventBits_t)1 << 1)
#define WIFI_MAX_RETRIES 5
#define WIFI_CONNECT_TIMEOUT_MS 30000u
#define SNTP_TIMEOUT_MS 30000u
#define CLOCK_PLAUSIBLE_AFTER ((time_t)1704067200) /* 2024-01-01: before this the clock was never set */

/* Static, not on the stack: see the file comment. */
static novita_esp32_port s_port;
static novita_client s_client;
static uint8_t s_work[NOVITA_WORK_BUFFER_SIZE];
static novita_json_token s_tokens[NOVITA_JSON_TOKENS];

static EventGroupHandle_t s_wifi_events;
static int s_wifi_retries;
static bool s_wifi_joined; /* joined once: from then on a lost connection is retried for as long as it takes */

/* ------------------------------------------------------------------ Wi-Fi */

static void on_network_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    (void)arg;
    (void)data;
    if (base == WIFI_EVENT && id == WIFI_EVENT_STA_START) {
        (void)esp_wifi_connect();
    } else if (base == WIFI_EVENT && id == WIFI_EVENT_STA_DISCONNECTED) {
        /* Before the first join, give up after a few tries (wrong SSID or password). After it, always
         * reconnect (ESP-IDF leaves that to the application): the demo must still reach the API to stop
         * the paid instance after, say, a router reboot. */
        if (s_wifi_joined || s_wifi_retries < WIFI_MAX_RETRIES) {
            s_wifi_retries++;
            ESP_LOGW(TAG, "Wi-Fi disconnected, reconnecting (attempt %d)", s_wifi_retries);
            (void)esp_wifi_connect();
        } else {
            xEventGroupSetBits(s_wifi_events, WIFI_FAILED_BIT);
        }
    } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
        s_wifi_retries = 0;
        s_wifi_joined = true;
        xEventGroupSetBits(s_wifi_events, WIFI_CONNECTED_BIT);
    }
}

/* Copy a C string into a fixed Wi-Fi config field (which need not be NUL-terminated when full). */
static void copy_field(uint8_t *field, size_t size, const char *text)
{
    size_t len = strlen(text);
    memset(field, 0, size);
    memcpy(field, text, len < size ? len : size);
}

/* Join the configured network as a station and wait for an IP address. */
static esp_err_t wifi_connect(void)
{
    wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
    wifi_config_t station;
    EventBits_t bits;

    s_wifi_events = xEventGroupCreate();
    if (s_wifi_events == NULL) {
        return ESP_ERR_NO_MEM;
    }
    (void)esp_netif_create_default_wifi_sta();
    ESP_ERROR_CHECK(esp_wifi_init(&init));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_network_event, NULL, NULL));
    ESP_ERROR_CHECK(esp_event_handler_instance_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_network_event, NULL, NULL));

    memset(&station, 0, sizeof station);
    copy_field(station.sta.ssid, sizeof station.sta.ssid, CONFIG_EXAMPLE_WIFI_SSID);
    copy_field(station.sta.password, sizeof station.sta.password, CONFIG_EXAMPLE_WIFI_PASSWORD);
    station.sta.threshold.authmode = CONFIG_EXAMPLE_WIFI_PASSWORD[0] != '\0' ? WIFI_AUTH_WPA2_PSK : WIFI_AUTH_OPEN;
    ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
    ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &station));
    ESP_ERROR_CHECK(esp_wifi_start());

    ESP_LOGI(TAG, "joining Wi-Fi '%s'", CONFIG_EXAMPLE_WIFI_SSID);
    bits = xEventGroupWaitBits(s_wifi_events, WIFI_CONNECTED_BIT | WIFI_FAILED_BIT, pdFALSE, pdFALSE,
                               pdMS_TO_TICKS(WIFI_CONNECT_TIMEOUT_MS));
    if ((bits & WIFI_CONNECTED_BIT) == 0) {
        ESP_LOGE(TAG, "could not join Wi-Fi '%s'", CONFIG_EXAMPLE_WIFI_SSID);
        return ESP_FAIL;
    }
    ESP_LOGI(TAG, "Wi-Fi connected");
    return ESP_OK;
}

/* ------------------------------------------------------------------ clock */

/* Certificates are only valid between two dates: with CONFIG_MBEDTLS_HAVE_TIME_DATE=y (sdkconfig.defaults)
 * mbedTLS checks them against the system clock, which starts at 1970 until SNTP sets it. */
static esp_err_t sync_clock(void)
{
    esp_sntp_config_t config = ESP_NETIF_SNTP_DEFAULT_CONFIG(CONFIG_EXAMPLE_SNTP_SERVER);
    esp_err_t err = esp_netif_sntp_init(&config);
    if (err != ESP_OK) {
        ESP_LOGE(TAG, "SNTP init failed: %s", esp_err_to_name(err));
        return err;
    }
    ESP_LOGI(TAG, "setting the clock from %s", CONFIG_EXAMPLE_SNTP_SERVER);
    err = esp_netif_sntp_sync_wait(pdMS_TO_TICKS(SNTP_TIMEOUT_MS));
    if (err != ESP_OK || time(NULL) < CLOCK_PLAUSIBLE_AFTER) {
        ESP_LOGE(TAG, "no time from %s within %u s: certificate checks would fail", CONFIG_EXAMPLE_SNTP_SERVER,
                 (unsigned)(SNTP_TIMEOUT_MS / 1000u));
        return ESP_ERR_TIMEOUT;
    }
    {
        time_t now = time(NULL);
        struct tm utc;
        char text[32];
        (void)gmtime_r(&now, &utc);
        (void)strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
        ESP_LOGI(TAG, "clock set: %s UTC", text);
    }
    return ESP_OK;
}

/* ------------------------------------------------------------------ Novita */

#ifdef CONFIG_EXAMPLE_NOVITA_TRACE
/* Request lines and headers (API key masked by the library), response status lines. */
static void log_trace(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r')) {
        len--;
    }
    ESP_LOGI("novita", "%.*s", (int)len, text);
}
#endif

static const char *port_error_text(const void *port)
{
    return novita_esp32_port_last_error((const novita_esp32_port *)port);
}

static novita_result run_novita(void)
{
    novita_client_config config;
    instance_demo_config demo;
    novita_result result;
    int32_t port_status;

    port_status = novita_esp32_port_init(&s_port, NULL); /* NULL: trust the ESP-IDF certificate bundle */
    if (port_status != NOVITA_PORT_OK) {
        ESP_LOGE(TAG, "port init failed (%d): %s", (int)port_status, novita_esp32_port_last_error(&s_port));
        return NOVITA_ERR_TLS;
    }

    novita_client_config_init(&config);
    config.base_url = CONFIG_EXAMPLE_NOVITA_BASE_URL;
    config.api_key = CONFIG_EXAMPLE_NOVITA_API_KEY;
#ifdef CONFIG_EXAMPLE_NOVITA_TRACE
    config.log = log_trace;
#endif
    result = novita_client_init(&s_client, &config, novita_esp32_port_get(&s_port), s_work, sizeof s_work, s_tokens,
                                NOVITA_JSON_TOKENS);
    if (result != NOVITA_OK) {
        ESP_LOGE(TAG, "client init failed: %s: %s (set the API key and base URL in menuconfig)",
                 novita_strerror(result), novita_client_last_error(&s_client)->message);
        novita_esp32_port_free(&s_port);
        return result;
    }

    memset(&demo, 0, sizeof demo);
    demo.product_id = CONFIG_EXAMPLE_NOVITA_PRODUCT_ID;
    demo.image_url = CONFIG_EXAMPLE_NOVITA_IMAGE_URL;
    demo.name = CONFIG_EXAMPLE_NOVITA_INSTANCE_NAME[0] != '\0' ? CONFIG_EXAMPLE_NOVITA_INSTANCE_NAME : NULL;
    demo.http_port = (uint16_t)CONFIG_EXAMPLE_NOVITA_HTTP_PORT;
    demo.wait_timeout_ms = (uint32_t)CONFIG_EXAMPLE_NOVITA_WAIT_TIMEOUT_S * 1000u;
    demo.poll_interval_ms = 5000u;
#ifdef CONFIG_EXAMPLE_NOVITA_DELETE_AFTER_STOP
    demo.delete_after_stop = true;
#endif
    demo.transport_error = port_error_text;
    demo.transport = &s_port;
    result = instance_demo_run(&s_client, &demo);

    novita_client_close(&s_client);
    novita_esp32_port_free(&s_port);
    return result;
}

void app_main(void)
{
    esp_err_t err = nvs_flash_init(); /* the Wi-Fi driver keeps its calibration data in NVS */
    novita_result result;

    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());

    if (wifi_connect() != ESP_OK || sync_clock() != ESP_OK) {
        return;
    }

    result = run_novita();
    if (result == NOVITA_OK) {
        ESP_LOGI(TAG, "done");
    } else {
        ESP_LOGE(TAG, "finished with an error: %s", novita_strerror(result));
    }
    /* ESP-IDF counts stack in bytes: this is the part of the main task stack that was never used. */
    ESP_LOGI(TAG, "main task stack never used: %u of %u bytes", (unsigned)uxTaskGetStackHighWaterMark(NULL),
             (unsigned)CONFIG_ESP_MAIN_TASK_STACK_SIZE);
}

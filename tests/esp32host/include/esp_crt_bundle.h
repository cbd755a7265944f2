/* Host stand-in for ESP-IDF's esp_crt_bundle.h (the v5.x signature: void *conf) (tests/esp32host). */
#ifndef NOVITA_HOST_ESP_CRT_BUNDLE_H
#define NOVITA_HOST_ESP_CRT_BUNDLE_H
#include "esp_err.h"
esp_err_t esp_crt_bundle_attach(void *conf);
#endif

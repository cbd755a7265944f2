/* Host stand-in for ESP-IDF's esp_err.h: only what port/esp32 uses (tests/esp32host). */
#ifndef NOVITA_HOST_ESP_ERR_H
#define NOVITA_HOST_ESP_ERR_H
typedef int esp_err_t;
#define ESP_OK 0
#define ESP_FAIL (-1)
const char *esp_err_to_name(esp_err_t code);
#endif

/* Host stand-in for ESP-IDF's esp_timer.h: microseconds since boot (tests/esp32host). */
#ifndef NOVITA_HOST_ESP_TIMER_H
#define NOVITA_HOST_ESP_TIMER_H
#include <stdint.h>
int64_t esp_timer_get_time(void);
#endif

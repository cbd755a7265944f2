/* Host stand-in for FreeRTOS.h as ESP-IDF configures it: 32-bit ticks (tests/esp32host). */
#ifndef NOVITA_HOST_FREERTOS_H
#define NOVITA_HOST_FREERTOS_H
#include <stdint.h>
#include "sdkconfig.h"
typedef uint32_t TickType_t;
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
#define configTICK_RATE_HZ CONFIG_FREERTOS_HZ
#define portTICK_PERIOD_MS ((TickType_t)1000 / configTICK_RATE_HZ)
#endif

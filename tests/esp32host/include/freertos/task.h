/* Host stand-in for FreeRTOS's task.h: only vTaskDelay (tests/esp32host). */
#ifndef NOVITA_HOST_FREERTOS_TASK_H
#define NOVITA_HOST_FREERTOS_TASK_H
#include "freertos/FreeRTOS.h"
void vTaskDelay(const TickType_t ticks);
#endif

/* Host stand-in for the sdkconfig.h an ESP-IDF build generates: the certificate bundle on, FreeRTOS at
 * ESP-IDF's default 100 Hz tick (tests/esp32host). */
#ifndef NOVITA_HOST_SDKCONFIG_H
#define NOVITA_HOST_SDKCONFIG_H
#define CONFIG_MBEDTLS_CERTIFICATE_BUNDLE 1
#define CONFIG_FREERTOS_HZ 100
#endif

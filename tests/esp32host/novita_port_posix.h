/* The POSIX port's API over the ESP32 port, so that tests/port/test_port_posix.c drives port/esp32
 * unchanged (tests/esp32host). This directory comes first on the test's include path; the real
 * port/posix is not on it. ca_file is read here and handed to the ESP32 port as ca_pem; without one the
 * port uses the (stand-in) certificate bundle. */
#ifndef NOVITA_HOST_POSIX_API_OVER_ESP32_H
#define NOVITA_HOST_POSIX_API_OVER_ESP32_H
#include "novita_port_esp32.h"

typedef novita_esp32_port novita_posix_port;

typedef struct novita_posix_config {
    const char *ca_file;
} novita_posix_config;

int32_t novita_posix_port_init(novita_posix_port *p, const novita_posix_config *cfg);
#define novita_posix_port_get novita_esp32_port_get
#define novita_posix_port_free novita_esp32_port_free
#define novita_posix_port_last_error novita_esp32_port_last_error
#endif

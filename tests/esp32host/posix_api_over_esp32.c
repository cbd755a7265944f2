/* novita_posix_port_init() for the ESP32 port (see novita_port_posix.h in this directory). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "novita_port_posix.h"

static char pem[1u << 20]; /* the test CA files are a few KB */

int32_t novita_posix_port_init(novita_posix_port *p, const novita_posix_config *cfg)
{
    novita_esp32_config esp_cfg = { NULL };
    FILE *f;
    size_t n;
    if (p == NULL || cfg == NULL || cfg->ca_file == NULL) {
        return novita_esp32_port_init(p, NULL);
    }
    f = fopen(cfg->ca_file, "r");
    n = f != NULL ? fread(pem, 1, sizeof pem - 1u, f) : 0;
    if (f == NULL || ferror(f)) {
        int err = errno;
        int32_t rc;
        if (f != NULL) {
            (void)fclose(f);
        }
        esp_cfg.ca_pem = ""; /* no certificate: init fails with NOVITA_PORT_ERR_CERT, as for a bad CA file */
        rc = novita_esp32_port_init(p, &esp_cfg);
        (void)snprintf(p->last_error, sizeof p->last_error, "CA file %s: %s", cfg->ca_file, strerror(err));
        return rc;
    }
    (void)fclose(f);
    pem[n] = '\0';
    esp_cfg.ca_pem = pem;
    return novita_esp32_port_init(p, &esp_cfg);
}

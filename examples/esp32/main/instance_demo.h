/**
 * @file instance_demo.h
 * @brief The Novita part of the ESP32 example: create a GPU instance, wait until it runs, report how to
 *        reach it, stop it (and optionally delete it). Uses only novita-c and ESP_LOG, so it also runs on
 *        a host against the simulator.
 */
#ifndef INSTANCE_DEMO_H
#define INSTANCE_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "novita/novita.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What to create and how long to wait. Strings are borrowed for the duration of the call. */
typedef struct instance_demo_config {
    const char *product_id;     /**< GPU product to rent (required) */
    const char *image_url;      /**< container image (required) */
    const char *name;           /**< instance name, or NULL for none */
    uint16_t http_port;         /**< container port to expose over HTTP; 0 = none */
    uint32_t wait_timeout_ms;   /**< longest wait for "running" and again for "exited"/"removed" */
    uint32_t poll_interval_ms;  /**< time between status polls */
    bool delete_after_stop;     /**< release the instance (and its disk) after stopping it */
    /** Optional: text of the port's last failure (e.g. novita_esp32_port_last_error), logged after a
     *  network, TLS or timeout failure; NULL = not logged. */
    const char *(*transport_error)(const void *transport);
    const void *transport;      /**< passed to transport_error */
} instance_demo_config;

/**
 * @brief Create an instance from cfg, wait until it runs (logging every status change), log its port
 *        mappings and SSH command, then stop it and wait until it has exited; with delete_after_stop, delete
 *        it and wait until it is gone. Once the create succeeded, any later failure still stops (and, if
 *        configured, deletes) the instance, so a paid GPU is not left running.
 * @param[in] client an initialised client (its port, buffers and key); used by this task only
 * @param[in] cfg    what to create; product_id and image_url must be non-empty
 * @return NOVITA_OK when every step succeeded; otherwise the first failure (NOVITA_ERR_INVALID_ARG for a
 *         missing product or image, an error of novita_instances_create/wait/stop/delete, e.g.
 *         NOVITA_ERR_AUTH for a wrong API key, NOVITA_ERR_INSTANCE_FAILED, NOVITA_ERR_TIMEOUT). Details are
 *         logged as they happen.
 */
novita_result instance_demo_run(novita_client *client, const instance_demo_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* INSTANCE_DEMO_H */

/*
 * instance_demo.c - create a GPU instance, wait for it, show how to reach it, stop it.
 *
 * Memory: the instance record (about 12 KiB on a 32-bit target with the default capacities) is static, not on the task stack;
 * everything else here is a few hundred bytes of locals.
 */
#include "instance_demo.h"

#include <stdio.h>
#include <string.h>

#include "esp_log.h"

static const char *TAG = "instance_demo";

/* One instance record, reused by every wait: far too large for a task stack. */
static novita_instance s_instance;

/* State of the progress callback: log status changes, and a heartbeat every 30 s. */
typedef struct wait_progress {
    const char *waiting_for;
    novita_instance_status last_status;
    uint32_t last_log_ms;
    bool logged_once;
} wait_progress;

#define HEARTBEAT_MS 30000u

static bool log_wait_progress(void *user, const novita_instance *instance, uint32_t elapsed_ms)
{
    wait_progress *progress = (wait_progress *)user;
    if (!progress->logged_once || instance->status != progress->last_status ||
        elapsed_ms - progress->last_log_ms >= HEARTBEAT_MS) {
        ESP_LOGI(TAG, "  %s: status %s after %u s (waiting for %s)", instance->id,
                 instance->status_text[0] != '\0' ? instance->status_text : "(none)",
                 (unsigned)(elapsed_ms / 1000u), progress->waiting_for);
        progress->logged_once = true;
        progress->last_status = instance->status;
        progress->last_log_ms = elapsed_ms;
    }
    return true; /* never cancel */
}

/* Log the details of the client's last failure (and the port's own text when the port failed). */
static void log_failure(const novita_client *client, const instance_demo_config *cfg, const char *step,
                        novita_result result)
{
    const novita_error *error = novita_client_last_error(client);
    ESP_LOGE(TAG, "%s failed: %s", step, novita_strerror(result));
    if (error->http_status != 0 || error->reason[0] != '\0') {
        ESP_LOGE(TAG, "  HTTP %d, reason '%s'", error->http_status, error->reason);
    }
    if (error->message[0] != '\0') {
        ESP_LOGE(TAG, "  %s", error->message);
    }
    if (error->what[0] != '\0') {
        ESP_LOGE(TAG, "  concerns: %s (needs %u bytes)", error->what, (unsigned)error->needed);
    }
    if (error->port_code != 0) {
        ESP_LOGE(TAG, "  port status %d after %u attempt(s)", (int)error->port_code, (unsigned)error->attempts);
        if (cfg->transport_error != NULL) {
            ESP_LOGE(TAG, "  %s", cfg->transport_error(cfg->transport));
        }
    }
}

static novita_result wait_for(novita_client *client, const instance_demo_config *cfg, const char *id,
                              novita_instance_status target)
{
    wait_progress progress;
    novita_wait_opts wait;
    memset(&progress, 0, sizeof progress);
    progress.waiting_for = novita_instance_status_name(target);
    memset(&wait, 0, sizeof wait);
    wait.poll_interval_ms = cfg->poll_interval_ms;
    wait.timeout_ms = cfg->wait_timeout_ms;
    wait.progress = log_wait_progress;
    wait.user = &progress;
    return novita_instances_wait(client, id, target, &wait, &s_instance);
}

/* How to reach the running instance: public port mappings, SSH, private address. Secrets are not logged. */
static void log_access(const novita_instance *instance)
{
    uint16_t i;
    ESP_LOGI(TAG, "instance %s is running: %s, %d GPU(s), cluster %s", instance->id, instance->product_name,
             (int)instance->gpu_num, instance->cluster_name);
    for (i = 0; i < instance->port_mapping_count; i++) {
        const novita_port_mapping *mapping = &instance->port_mappings[i];
        ESP_LOGI(TAG, "  port %d/%s -> %s", (int)mapping->port, mapping->type,
                 mapping->endpoint[0] != '\0' ? mapping->endpoint : "(no public endpoint yet)");
    }
    if (instance->port_mapping_total > instance->port_mapping_count) {
        ESP_LOGW(TAG, "  %u more port mapping(s) not kept: raise CONFIG_NOVITA_MAX_PORTS",
                 (unsigned)(instance->port_mapping_total - instance->port_mapping_count));
    }
    if (instance->connect_ssh.ssh_command[0] != '\0') {
        ESP_LOGI(TAG, "  ssh: %s%s", instance->connect_ssh.ssh_command,
                 instance->connect_ssh.password[0] != '\0' ? "  (password: see the Novita console)" : "");
    }
    if (instance->connect_web_terminal.address[0] != '\0') {
        ESP_LOGI(TAG, "  web terminal: %s", instance->connect_web_terminal.address);
    }
    if (instance->network.ip[0] != '\0') {
        ESP_LOGI(TAG, "  private address: %s", instance->network.ip);
    }
}

/* Stop the instance and wait until it has exited; then delete it and wait until it is gone, if configured.
 * @return the first failure, or NOVITA_OK. */
static novita_result stop_instance(novita_client *client, const instance_demo_config *cfg, const char *id)
{
    novita_result result;

    ESP_LOGI(TAG, "stopping %s", id);
    result = novita_instances_stop(client, id, NULL);
    if (result != NOVITA_OK) {
        log_failure(client, cfg, "stop", result);
        ESP_LOGE(TAG, "instance %s may still be running: stop it in the Novita console", id);
        return result;
    }
    result = wait_for(client, cfg, id, NOVITA_INSTANCE_EXITED);
    if (result != NOVITA_OK) {
        log_failure(client, cfg, "waiting for exited", result);
    } else {
        ESP_LOGI(TAG, "instance %s has exited", id);
    }
    if (!cfg->delete_after_stop) {
        if (result == NOVITA_OK) {
            ESP_LOGI(TAG, "kept the stopped instance %s (its disk may still be billed); delete it when done",
                     id);
        }
        return result;
    }
    ESP_LOGI(TAG, "deleting %s", id);
    {
        novita_result deleted = novita_instances_delete(client, id, NULL);
        if (deleted == NOVITA_OK) {
            deleted = wait_for(client, cfg, id, NOVITA_INSTANCE_REMOVED);
        }
        if (deleted != NOVITA_OK) {
            log_failure(client, cfg, "delete", deleted);
            return result != NOVITA_OK ? result : deleted;
        }
    }
    ESP_LOGI(TAG, "instance %s is deleted", id);
    return result;
}

novita_result instance_demo_run(novita_client *client, const instance_demo_config *cfg)
{
    novita_instance_create request;
    novita_port_spec http_port;
    char id[NOVITA_ID_MAX];
    novita_result result;
    novita_result stopped;

    if (client == NULL || cfg == NULL || cfg->product_id == NULL || cfg->product_id[0] == '\0' ||
        cfg->image_url == NULL || cfg->image_url[0] == '\0') {
        ESP_LOGE(TAG, "set a product id and an image (idf.py menuconfig -> Example configuration)");
        return NOVITA_ERR_INVALID_ARG;
    }

    memset(&request, 0, sizeof request);
    request.name = cfg->name;
    request.product_id = cfg->product_id;
    request.image_url = cfg->image_url;
    request.kind = "gpu";
    request.gpu_num = 1;
    if (cfg->http_port != 0) {
        http_port.port = (int32_t)cfg->http_port;
        http_port.type = "http";
        request.ports = &http_port;
        request.port_count = 1;
    }

    ESP_LOGI(TAG, "creating a GPU instance: product %s, image %s", cfg->product_id, cfg->image_url);
    result = novita_instances_create(client, &request, id, sizeof id, NULL);
    if (result != NOVITA_OK) {
        log_failure(client, cfg, "create", result); /* nothing to clean up: creates are never resent */
        return result;
    }
    ESP_LOGI(TAG, "created instance %s; waiting for it to run (up to %u s)", id,
             (unsigned)(cfg->wait_timeout_ms / 1000u));

    result = wait_for(client, cfg, id, NOVITA_INSTANCE_RUNNING);
    if (result == NOVITA_OK) {
        log_access(&s_instance);
    } else {
        log_failure(client, cfg, "waiting for running", result);
    }

    /* Whatever happened after the create: do not leave a paid GPU running. */
    stopped = stop_instance(client, cfg, id);
    return result != NOVITA_OK ? result : stopped;
}

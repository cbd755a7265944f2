/**
 * @file instances.h
 * @brief GPU and CPU instances: create, list, get, edit, lifecycle actions, subscriptions, metrics, waiting.
 *
 * Every function takes the client first and optional per-call overrides last (NULL = client settings).
 * Every function returns NOVITA_OK or an error of novita_result; details are in
 * novita_client_last_error(). Errors common to all operations are listed once here:
 * NOVITA_ERR_INVALID_ARG (NULL client/arguments, empty required strings), NOVITA_ERR_AUTH (401/403),
 * NOVITA_ERR_NOT_FOUND (404, or 400 with a *_NOT_FOUND reason or "not found" message),
 * NOVITA_ERR_RATE_LIMITED, NOVITA_ERR_SERVER, NOVITA_ERR_API (other statuses), NOVITA_ERR_NETWORK,
 * NOVITA_ERR_TLS, NOVITA_ERR_TIMEOUT, NOVITA_ERR_PROTOCOL, NOVITA_ERR_BUFFER_TOO_SMALL (work buffer, token
 * array or a model field: `what` names it), NOVITA_ERR_DECODE (`what` names the field).
 * Actions (start, stop, ...) succeed on any 2xx whatever the body holds. Reads are retried on transient
 * failures; actions and creates are never resent once they may have reached the server.
 */
#ifndef NOVITA_INSTANCES_H
#define NOVITA_INSTANCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Instance status (REFERENCE section 6). Unknown values decode to NOVITA_INSTANCE_UNKNOWN with the raw
 *  text kept in novita_instance.status_text. */
typedef enum novita_instance_status {
    NOVITA_INSTANCE_UNKNOWN = 0,
    NOVITA_INSTANCE_TO_CREATE,
    NOVITA_INSTANCE_CREATING,
    NOVITA_INSTANCE_PULLING,
    NOVITA_INSTANCE_RUNNING,
    NOVITA_INSTANCE_TO_START,
    NOVITA_INSTANCE_STARTING,
    NOVITA_INSTANCE_TO_STOP,
    NOVITA_INSTANCE_STOPPING,
    NOVITA_INSTANCE_EXITED,
    NOVITA_INSTANCE_TO_RESTART,
    NOVITA_INSTANCE_RESTARTING,
    NOVITA_INSTANCE_TO_REMOVE,
    NOVITA_INSTANCE_REMOVING,
    NOVITA_INSTANCE_REMOVED,
    NOVITA_INSTANCE_TO_RESET,
    NOVITA_INSTANCE_RESETTING,
    NOVITA_INSTANCE_MIGRATING,
    NOVITA_INSTANCE_FREEZING,
    NOVITA_INSTANCE_PENDING /**< undocumented, seen live */
} novita_instance_status;

/** Billing mode of an instance or product. */
typedef enum novita_billing_mode {
    NOVITA_BILLING_UNKNOWN = 0, /**< also "" (the API sends empty strings) */
    NOVITA_BILLING_ON_DEMAND,
    NOVITA_BILLING_MONTHLY,
    NOVITA_BILLING_SPOT
} novita_billing_mode;

typedef struct novita_port_mapping {
    int32_t port;
    char endpoint[NOVITA_ADDRESS_MAX]; /**< public address (get only; list items lack it) */
    char type[NOVITA_ENUM_TEXT_MAX];   /**< "tcp" or "http" */
} novita_port_mapping;

typedef struct novita_env {
    char key[NOVITA_ENV_KEY_MAX];
    char value[NOVITA_ENV_VALUE_MAX];
} novita_env;

typedef struct novita_volume_mount {
    char type[NOVITA_ENUM_TEXT_MAX]; /**< "local" or "network" */
    int64_t size;                    /**< GB */
    char id[NOVITA_ID_MAX];          /**< network storage id */
    char mount_path[NOVITA_TEXT_MAX];
} novita_volume_mount;

typedef struct novita_status_error {
    char state[NOVITA_ENUM_TEXT_MAX];
    char message[NOVITA_TEXT_MAX];
} novita_status_error;

typedef struct novita_instance_job {
    char id[NOVITA_ID_MAX];
    char type[NOVITA_ENUM_TEXT_MAX];
} novita_instance_job;

typedef struct novita_instance_network {
    char id[NOVITA_ID_MAX];
    char ip[NOVITA_SHORT_MAX];
} novita_instance_network;

typedef struct novita_connect_ssh {
    char ssh_command[NOVITA_TEXT_MAX];
    char password[NOVITA_SHORT_MAX];
    bool is_running;
} novita_connect_ssh;

typedef struct novita_connect_web_terminal {
    char address[NOVITA_ADDRESS_MAX];
    char username[NOVITA_SHORT_MAX];
    char password[NOVITA_SHORT_MAX];
    bool is_running;
} novita_connect_web_terminal;

typedef struct novita_connect_jupyter {
    int32_t port;
    char address[NOVITA_ADDRESS_MAX];
    bool is_running;
} novita_connect_jupyter;

typedef struct novita_connect_log {
    char system_log_address[NOVITA_ADDRESS_MAX];
    char instance_log_address[NOVITA_ADDRESS_MAX];
    bool is_running;
} novita_connect_log;

typedef struct novita_instance_node {
    int64_t max_rootfs_size;
} novita_instance_node;

/** An instance as returned by get (all fields) and list (a subset; the rest stay zero). */
typedef struct novita_instance {
    char id[NOVITA_ID_MAX];
    char name[NOVITA_NAME_MAX];
    char cluster_id[NOVITA_ID_MAX];
    char cluster_name[NOVITA_NAME_MAX];
    novita_instance_status status;
    char status_text[NOVITA_ENUM_TEXT_MAX]; /**< raw status, also for values this version does not know */
    novita_status_error status_error;       /**< set when creation failed or the instance is unavailable */
    char image_url[NOVITA_IMAGE_URL_MAX];
    char image_auth_id[NOVITA_ID_MAX];
    char command[NOVITA_TEXT_MAX];
    char entrypoint[NOVITA_TEXT_MAX];
    int32_t cpu_num;   /**< cores (the API sends a string) */
    int32_t memory;    /**< GB (the API sends a string) */
    int32_t gpu_num;   /**< (the API sends a string) */
    int32_t rootfs_size;
    char product_id[NOVITA_ID_MAX];
    char product_name[NOVITA_NAME_MAX];
    novita_port_mapping port_mappings[NOVITA_MAX_PORTS];
    uint16_t port_mapping_count, port_mapping_total;
    novita_volume_mount volume_mounts[NOVITA_MAX_VOLUMES];
    uint16_t volume_mount_count, volume_mount_total;
    novita_env envs[NOVITA_MAX_ENVS];
    uint16_t env_count, env_total;
    novita_instance_job jobs[NOVITA_MAX_INSTANCE_JOBS];
    uint16_t job_count, job_total;
    novita_instance_node node;
    novita_instance_network network;
    novita_connect_ssh connect_ssh;
    novita_connect_web_terminal connect_web_terminal;
    novita_connect_jupyter connect_jupyter;
    novita_connect_log connect_log;
    char kind[NOVITA_ENUM_TEXT_MAX]; /**< "gpu" or "cpu" */
    novita_billing_mode billing_mode;
    char billing_mode_text[NOVITA_ENUM_TEXT_MAX];
    int64_t end_time;                 /**< subscription end (Unix s); -1 for pay-as-you-go */
    char spot_status[NOVITA_ENUM_TEXT_MAX];
    int64_t spot_reclaim_time;        /**< 0 = reclaim not started */
    int32_t free_storage_size;        /**< GB */
    int32_t keep_data_day;
    int64_t created_at, last_started_at, last_stopped_at; /**< Unix seconds */
} novita_instance;

/** Name of a status value ("running"), "" for NOVITA_INSTANCE_UNKNOWN. */
const char *novita_instance_status_name(novita_instance_status status);

/** Parse a status name ("running"). @return the value, NOVITA_INSTANCE_UNKNOWN for unknown text. */
novita_instance_status novita_instance_status_parse(const char *name);

/** Model descriptors (for novita_model_to_json). */
extern const novita_model novita_instance_model;

/* ------------------------------------------------------------------ requests */

/** A port to expose: 1-65535 except 2222-2224. */
typedef struct novita_port_spec {
    int32_t port;
    const char *type; /**< "http" or "tcp" */
} novita_port_spec;

typedef struct novita_env_spec {
    const char *key;
    const char *value;
} novita_env_spec;

typedef struct novita_tool_spec {
    const char *name; /**< e.g. "Jupyter" */
    int32_t port;
    const char *type;
} novita_tool_spec;

/** A network storage to mount (create: `networkStorages[].Id/mountPoint`; upgrade: `volumeMounts[].id/mountPath`). */
typedef struct novita_storage_mount_spec {
    const char *id;
    const char *mount_path; /**< NULL = "/network" */
} novita_storage_mount_spec;

/** Body of instances create (REFERENCE 8.3.1). NULL strings and zero numbers are omitted. */
typedef struct novita_instance_create {
    const char *name;
    const char *product_id;       /**< required */
    const char *image_url;        /**< required */
    const char *kind;             /**< "gpu" (default when NULL) or "cpu" */
    int32_t gpu_num;              /**< GPU instances: 1-8 (default 1 when 0 and kind is gpu) */
    int32_t rootfs_size;          /**< GPU instances: GB (default 10 when 0 and kind is gpu) */
    const char *image_auth;       /**< "username:password" for a private registry */
    const char *image_auth_id;    /**< registry auth id instead of image_auth */
    const char *command;
    const char *entrypoint;
    const char *cluster_id;       /**< NULL = any cluster */
    const char *network_id;       /**< VPC network */
    const char *local_storage_mount_point; /**< CPU instances */
    const char *billing_mode;     /**< "onDemand" (API default), "monthly", "spot" */
    int32_t month;                /**< > 0 buys a subscription of that many months */
    bool auto_renew;              /**< monthly only */
    int32_t auto_renew_month;     /**< 1-12; monthly with auto_renew only */
    const char *min_cuda_version; /**< e.g. "12.4" */
    const novita_port_spec *ports;
    size_t port_count;
    const novita_env_spec *envs;
    size_t env_count;
    const novita_tool_spec *tools;
    size_t tool_count;
    const novita_storage_mount_spec *network_storages;
    size_t network_storage_count;
} novita_instance_create;

/** Filters and paging of instances list. NULL/0 fields are not sent. */
typedef struct novita_instance_filter {
    const char *name;         /**< fuzzy */
    const char *product_name; /**< fuzzy */
    const char *status;       /**< e.g. "running" */
    uint32_t page_size;
    uint32_t page_num;
} novita_instance_filter;

/** Body of instances edit. */
typedef struct novita_instance_edit {
    const novita_port_spec *ports; /**< replaces the exposed ports when port_count > 0 */
    size_t port_count;
    int32_t expand_root_disk;      /**< GB to add; 0 = none */
} novita_instance_edit;

/** Body of instances upgrade (the API wants every field; NULL strings are sent as ""). */
typedef struct novita_instance_upgrade {
    const char *image_url;     /**< required */
    const char *image_auth_id;
    const novita_env_spec *envs;
    size_t env_count;
    const char *command;
    const char *entrypoint;
    bool save;                 /**< keep the data of the previous instance */
    const novita_storage_mount_spec *volume_mounts; /**< network volumes; none = remove all mounts */
    size_t volume_mount_count;
} novita_instance_upgrade;

/* ------------------------------------------------------------------ operations */

/**
 * @brief Create an instance (POST /gpu/instance/create). Never resent automatically: a create that may
 *        have reached the server is reported as an error rather than risk a second paid instance.
 * @param[in]  client   the client
 * @param[in]  request  body fields; product_id and image_url required
 * @param[out] id_out   receives the new instance id (caller buffer of id_size bytes, NUL-terminated)
 * @param[in]  id_size  size of id_out (NOVITA_ID_MAX recommended)
 * @param[in]  opts     per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file; NOVITA_ERR_BUFFER_TOO_SMALL also when the
 *         id does not fit id_out; NOVITA_ERR_DECODE when the answer carries no id, or an empty one (the
 *         id may come as {"id": ...}, {"Id": ...}, a number, or a bare JSON string).
 */
NOVITA_NODISCARD novita_result novita_instances_create(novita_client *client, const novita_instance_create *request,
                                                       char *id_out, size_t id_size, const novita_call_opts *opts);

/**
 * @brief List instances (GET /gpu/instances) one page at a time, in bounded memory (see list.h).
 * @param[in]     client the client
 * @param[in]     filter filters and paging, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_instance elements
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed at the
 *         top of this file.
 */
NOVITA_NODISCARD novita_result novita_instances_list(novita_client *client, const novita_instance_filter *filter,
                                                     novita_list *list, const novita_call_opts *opts);

/**
 * @brief Get one instance (GET /gpu/instance?instanceId=), flat or wrapped.
 * @param[in]  client the client
 * @param[in]  id     instance id
 * @param[out] out    receives the instance (zeroed on failure)
 * @param[in]  opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file (a deleted instance is NOVITA_ERR_NOT_FOUND).
 */
NOVITA_NODISCARD novita_result novita_instances_get(novita_client *client, const char *id, novita_instance *out,
                                                    const novita_call_opts *opts);

/**
 * @brief Edit ports and/or expand the root disk (POST /gpu/instance/edit).
 * @param[in] client the client; @param[in] id instance id; @param[in] edit changes; @param[in] opts or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_instances_edit(novita_client *client, const char *id,
                                                     const novita_instance_edit *edit, const novita_call_opts *opts);

/**
 * @brief Start a stopped instance (POST /gpu/instance/start).
 * @param[in] client the client; @param[in] id instance id; @param[in] opts per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_instances_start(novita_client *client, const char *id, const novita_call_opts *opts);

/** @brief Stop an instance (POST /gpu/instance/stop). Parameters and returns as novita_instances_start(). */
NOVITA_NODISCARD novita_result novita_instances_stop(novita_client *client, const char *id, const novita_call_opts *opts);

/** @brief Restart an instance (POST /gpu/instance/restart). Parameters and returns as novita_instances_start(). */
NOVITA_NODISCARD novita_result novita_instances_restart(novita_client *client, const char *id, const novita_call_opts *opts);

/** @brief Delete (release) an instance (POST /gpu/instance/delete). Parameters and returns as
 *  novita_instances_start(). */
NOVITA_NODISCARD novita_result novita_instances_delete(novita_client *client, const char *id, const novita_call_opts *opts);

/** @brief Migrate an instance to another node (POST /gpu/instance/migrate); data on the system and local disk
 *  is not preserved. Parameters and returns as novita_instances_start(). */
NOVITA_NODISCARD novita_result novita_instances_migrate(novita_client *client, const char *id, const novita_call_opts *opts);

/**
 * @brief Replace the image, environment and mounts of an instance (POST /gpu/instance/upgrade).
 * @param[in] client the client; @param[in] id instance id; @param[in] upgrade new settings (image_url
 *            required); @param[in] opts per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_instances_upgrade(novita_client *client, const char *id,
                                                        const novita_instance_upgrade *upgrade,
                                                        const novita_call_opts *opts);

/**
 * @brief Renew a monthly instance (POST /gpu/instance/renewInstance).
 * @param[in] client the client; @param[in] id instance id; @param[in] months months to add (>= 1);
 * @param[in] opts per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_instances_renew(novita_client *client, const char *id, int32_t months,
                                                      const novita_call_opts *opts);

/**
 * @brief Convert a pay-as-you-go instance to monthly billing (POST /gpu/instance/transToMonthlyInstance).
 * @param[in] client the client; @param[in] id instance id; @param[in] months subscription length (>= 1);
 * @param[in] opts per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_instances_to_monthly(novita_client *client, const char *id, int32_t months,
                                                           const novita_call_opts *opts);

/**
 * @brief Turn auto-renewal on or off for monthly instances (POST /gpu/instance/setAutoRenew).
 * @param[in] client the client; @param[in] ids instance ids; @param[in] id_count number of ids (>= 1);
 * @param[in] auto_renew on/off; @param[in] months renewal length 1-12; @param[in] opts or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_instances_set_auto_renew(novita_client *client, const char *const *ids,
                                                               size_t id_count, bool auto_renew, int32_t months,
                                                               const novita_call_opts *opts);

/**
 * @brief Turn automatic migration on or off. The docs give the body but no URL; this calls
 *        POST /gpu/instance/setAutoMigrate, a guess by analogy with setAutoRenew (REFERENCE 8.3.7).
 * @param[in] client the client; @param[in] id instance id; @param[in] enable auto-migrate on/off;
 * @param[in] migrate_system_disk also migrate the system disk; @param[in] opts or NULL
 * @return NOVITA_OK or an error listed at the top of this file (NOVITA_ERR_NOT_FOUND if the guess is wrong).
 */
NOVITA_NODISCARD novita_result novita_instances_set_auto_migrate(novita_client *client, const char *id, bool enable,
                                                                 bool migrate_system_disk,
                                                                 const novita_call_opts *opts);

/* ------------------------------------------------------------------ metrics */

/** One sample: Unix seconds and the value in thousandths (37.5 % -> 37500). */
typedef struct novita_metric_point {
    int64_t timestamp;
    int64_t value_milli;
} novita_metric_point;

typedef struct novita_gpu_metric_series {
    char gpu_id[NOVITA_ID_MAX];
    novita_metric_point items[NOVITA_MAX_METRIC_POINTS];
    uint16_t item_count, item_total;
} novita_gpu_metric_series;

typedef struct novita_gpu_metrics {
    novita_metric_point avg[NOVITA_MAX_METRIC_POINTS];
    uint16_t avg_count, avg_total;
    novita_gpu_metric_series gpus[NOVITA_MAX_METRIC_GPUS];
    uint16_t gpu_count, gpu_total;
} novita_gpu_metrics;

/** Utilisation series of an instance (percentages). Series longer than NOVITA_MAX_METRIC_POINTS keep their
 *  first points; *_total says how many the response held. */
typedef struct novita_instance_metrics {
    novita_metric_point cpu[NOVITA_MAX_METRIC_POINTS];
    uint16_t cpu_count, cpu_total;
    novita_metric_point memory[NOVITA_MAX_METRIC_POINTS];
    uint16_t memory_count, memory_total;
    novita_metric_point root_disk[NOVITA_MAX_METRIC_POINTS];
    uint16_t root_disk_count, root_disk_total;
    novita_gpu_metrics gpu;
    novita_gpu_metrics gpu_memory;
} novita_instance_metrics;

extern const novita_model novita_instance_metrics_model;

/** Time range of a metrics query; zero fields are left to the API (now, now-60 s, 15 s). */
typedef struct novita_metrics_query {
    int64_t start_time; /**< Unix seconds */
    int64_t end_time;   /**< Unix seconds */
    int32_t interval;   /**< seconds (> 15) */
} novita_metrics_query;

/**
 * @brief Utilisation metrics of an instance (GET /openapi/v1/metrics/gpu/instance, the basic namespace).
 *
 * The response takes 19 + 25 P + G (10 + 10 P) JSON tokens for P samples per series and G GPUs (plus any
 * field the library does not know): with the default NOVITA_JSON_TOKENS (576), up to 15 samples with one
 * GPU, e.g. a 15 s interval over 3.5 minutes. A longer range fails with NOVITA_ERR_BUFFER_TOO_SMALL naming
 * "token array" and the number needed: ask for a shorter range or a longer interval, or raise
 * NOVITA_JSON_TOKENS.
 * @param[in]  client the client; @param[in] id instance id; @param[in] query range or NULL
 * @param[out] out receives the series (zeroed on failure); @param[in] opts per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_instances_metrics(novita_client *client, const char *id,
                                                        const novita_metrics_query *query,
                                                        novita_instance_metrics *out, const novita_call_opts *opts);

/* ------------------------------------------------------------------ waiting */

/** Called after every poll with the latest state; return false to stop waiting (NOVITA_ERR_CANCELLED). */
typedef bool (*novita_wait_progress_fn)(void *user, const novita_instance *instance, uint32_t elapsed_ms);

typedef struct novita_wait_opts {
    uint32_t poll_interval_ms;        /**< 0 = 2000 */
    uint32_t timeout_ms;              /**< 0 = 600000 (10 min) */
    novita_wait_progress_fn progress; /**< or NULL */
    void *user;
    int64_t started_after;            /**< > 0: the target counts only once the instance's last_started_at
                                           is later than this (Unix s). After restart or migrate, pass the
                                           last_started_at read before the action: the instance is still
                                           "running" until the action takes effect. 0 = off */
} novita_wait_opts;

/**
 * @brief Poll an instance until it reaches `target`, reports statusError, or the timeout passes.
 *        Waiting for NOVITA_INSTANCE_REMOVED also succeeds when the instance is gone (not found).
 * @param[in]  client the client
 * @param[in]  id     instance id
 * @param[in]  target status to wait for
 * @param[in]  wait   interval, timeout and progress callback, or NULL for defaults
 * @param[out] out    required: the storage each poll decodes into; holds the last state seen (zeroed
 *                    when the instance is gone)
 * @return NOVITA_OK when the target was reached; NOVITA_ERR_INSTANCE_FAILED when statusError was set
 *         (its state and message are in the client's last error); NOVITA_ERR_TIMEOUT; NOVITA_ERR_CANCELLED
 *         when progress returned false; or an error of novita_instances_get().
 */
NOVITA_NODISCARD novita_result novita_instances_wait(novita_client *client, const char *id,
                                                     novita_instance_status target, const novita_wait_opts *wait,
                                                     novita_instance *out);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_INSTANCES_H */

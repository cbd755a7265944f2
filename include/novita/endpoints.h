/**
 * @file endpoints.h
 * @brief Serverless endpoints: limits, list, get, create, update, delete (REFERENCE 7 #44-#49, 8.11).
 *
 * Every function takes the client first and optional per-call overrides last (NULL = client settings).
 * Every operation returns NOVITA_OK or an error of novita_result; details are in novita_client_last_error().
 * Errors common to all operations are listed once here: NOVITA_ERR_INVALID_ARG (NULL client/arguments,
 * empty required strings, a configuration the docs rule out), NOVITA_ERR_AUTH (401/403),
 * NOVITA_ERR_NOT_FOUND (404, or 400 SERVERLESS_ENDPOINT_NOT_FOUND / a "not found" message),
 * NOVITA_ERR_RATE_LIMITED, NOVITA_ERR_SERVER, NOVITA_ERR_API (other statuses, e.g. 400 VALIDATOR_PARAM for a
 * value outside the limits), NOVITA_ERR_NETWORK, NOVITA_ERR_TLS, NOVITA_ERR_TIMEOUT, NOVITA_ERR_PROTOCOL,
 * NOVITA_ERR_BUFFER_TOO_SMALL (work buffer, token array or a model field: `what` names it; an endpoint
 * with many workers needs more than the default NOVITA_JSON_TOKENS), NOVITA_ERR_DECODE (`what` names the
 * field). Reads are retried on transient failures; create, update and delete are never resent once they
 * may have reached the server. Update and delete succeed on any 2xx whatever the body holds.
 *
 * Where the seed SDK disagrees, these follow the official docs: get sends `?id=` and unwraps
 * `{"endpoint": {...}}` (a flat object is accepted too); update sends a flat body with `id` and objects for
 * workerConfig/policy/image/healthy; delete sends `{"name": "<endpoint id>"}`; create sends `ports` as an
 * array `[{"port": "8080"}]` and reads `{"id"}` from the response.
 *
 * Responses send workerConfig.freeTimeout, workerConfig.maxConcurrent and policy.value as strings and
 * ports[].port as a string or a number; they decode into integers here. Requests send them as integers
 * (ports as strings), as the docs ask.
 */
#ifndef NOVITA_ENDPOINTS_H
#define NOVITA_ENDPOINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/instances.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Root filesystem size (GB) sent when novita_endpoint_config.rootfs_size is 0: the docs fix it at 100. */
#define NOVITA_ENDPOINT_DEFAULT_ROOTFS_GB 100
/** Size (GB) of a local volume whose size is 0: the docs fix local volumes at 30. */
#define NOVITA_ENDPOINT_DEFAULT_LOCAL_VOLUME_GB 30

/* ------------------------------------------------------------------ responses */

/** State of an endpoint or a worker. `state` is an open set: "serving" (endpoint) and "running" (worker)
 *  mean available. */
typedef struct novita_endpoint_state {
    char state[NOVITA_ENUM_TEXT_MAX];
    char error[NOVITA_TEXT_MAX];
    char message[NOVITA_TEXT_MAX];
} novita_endpoint_state;

/** Scaling of the workers. */
typedef struct novita_endpoint_worker_config {
    int32_t min_num;
    int32_t max_num;
    int32_t free_timeout;    /**< idle seconds before a worker stops (a string in responses) */
    int32_t max_concurrent;  /**< requests per worker (a string in responses) */
    int32_t gpu_num;         /**< GPUs per worker */
    int32_t request_timeout; /**< seconds; 0 when the API does not send it */
    char cuda_version[NOVITA_SHORT_MAX];
} novita_endpoint_worker_config;

/** Auto-scaling policy. */
typedef struct novita_endpoint_policy {
    char type[NOVITA_ENUM_TEXT_MAX]; /**< "queue" (value = queue wait seconds) or "concurrency"
                                          (value = requests) */
    int32_t value;                   /**< a string in responses */
} novita_endpoint_policy;

typedef struct novita_endpoint_image {
    char image[NOVITA_IMAGE_URL_MAX];
    char auth_id[NOVITA_ID_MAX];    /**< container registry auth */
    char command[NOVITA_TEXT_MAX];
} novita_endpoint_image;

typedef struct novita_endpoint_port {
    int32_t port; /**< a string (or a number) in responses */
} novita_endpoint_port;

typedef struct novita_endpoint_worker {
    char id[NOVITA_ID_MAX];
    novita_endpoint_state state;
    char log[NOVITA_TEXT_MAX];
    char metrics[NOVITA_TEXT_MAX];
    bool healthy;
} novita_endpoint_worker;

typedef struct novita_endpoint_product {
    char id[NOVITA_ID_MAX];
} novita_endpoint_product;

/** Health check of the workers. */
typedef struct novita_endpoint_health {
    char path[NOVITA_TEXT_MAX];
    int32_t initial_delay;
    int32_t period;
    int32_t timeout;
    int32_t success_threshold;
    int32_t failure_threshold;
} novita_endpoint_health;

/** An endpoint as returned by list and get (REFERENCE 8.11). About 28 KiB with the default capacities:
 *  keep it static or on the heap, not on a small stack. */
typedef struct novita_endpoint {
    char id[NOVITA_ID_MAX];
    char name[NOVITA_TEXT_MAX];       /**< up to 220 characters */
    char app_name[NOVITA_TEXT_MAX];   /**< part of the url; defaults to the id */
    novita_endpoint_state state;
    char url[NOVITA_TEXT_MAX];        /**< where the service answers HTTP */
    novita_endpoint_worker_config worker_config;
    novita_endpoint_policy policy;
    novita_endpoint_image image;
    int32_t rootfs_size;              /**< GB */
    novita_volume_mount volume_mounts[NOVITA_MAX_ENDPOINT_VOLUMES];
    uint16_t volume_mount_count, volume_mount_total;
    novita_env envs[NOVITA_MAX_ENVS];
    uint16_t env_count, env_total;
    novita_endpoint_port ports[NOVITA_MAX_ENDPOINT_PORTS];
    uint16_t port_count, port_total;
    novita_endpoint_worker workers[NOVITA_MAX_ENDPOINT_WORKERS];
    uint16_t worker_count, worker_total;
    novita_endpoint_product products[NOVITA_MAX_ENDPOINT_PRODUCTS];
    uint16_t product_count, product_total;
    novita_endpoint_health healthy;
    char cluster_id[NOVITA_ID_MAX];   /**< `clusterID` (capital ID) on the wire */
    char log[NOVITA_TEXT_MAX];
} novita_endpoint;

/** Valid ranges of endpoint settings (GET /endpoint/limit). Sizes in GB, times in seconds. */
typedef struct novita_endpoint_limits {
    int32_t min_rootfs_size, max_rootfs_size, free_rootfs_size;
    int32_t min_local_volume_size, max_local_volume_size, free_local_volume_size;
    int32_t min_worker_num, max_worker_num;
    int32_t min_free_timeout, max_free_timeout;
    int32_t min_concurrency_num, max_concurrency_num; /**< workerConfig.maxConcurrent */
    int32_t min_queue_wait_time, max_queue_wait_time; /**< policy "queue" value */
    int32_t min_request_num, max_request_num;         /**< policy "concurrency" value */
    int32_t min_gpu_num, max_gpu_num;
    char cuda_versions[NOVITA_MAX_STRINGS][NOVITA_SHORT_MAX]; /**< `cudaVersionList` */
    uint16_t cuda_version_count, cuda_version_total;
} novita_endpoint_limits;

/** Model descriptors (for novita_model_to_json). */
extern const novita_model novita_endpoint_model;
extern const novita_model novita_endpoint_limits_model;

/* ------------------------------------------------------------------ requests */

/** Worker settings of a request: all sent as integers. min_num may be 0. */
typedef struct novita_endpoint_worker_spec {
    int32_t min_num;
    int32_t max_num;
    int32_t free_timeout;    /**< seconds */
    int32_t max_concurrent;
    int32_t gpu_num;         /**< GPUs per worker */
    int32_t request_timeout; /**< seconds; 0 = not sent (newer docs only) */
} novita_endpoint_worker_spec;

typedef struct novita_endpoint_policy_spec {
    const char *type; /**< required: "queue" or "concurrency" */
    int32_t value;    /**< queue wait seconds, or requests (see novita_endpoint_limits) */
} novita_endpoint_policy_spec;

typedef struct novita_endpoint_image_spec {
    const char *image;   /**< required */
    const char *auth_id; /**< NULL/"" = not sent */
    const char *command; /**< NULL/"" = not sent */
} novita_endpoint_image_spec;

/** A volume to mount: a local disk or a network storage. */
typedef struct novita_endpoint_volume_spec {
    const char *type;       /**< required: "local" or "network" */
    int32_t size;           /**< GB; local only (0 = NOVITA_ENDPOINT_DEFAULT_LOCAL_VOLUME_GB), else 0 */
    const char *id;         /**< network storage id (network only) */
    const char *mount_path; /**< required */
} novita_endpoint_volume_spec;

/**
 * The complete configuration of an endpoint: the body of create and of update (one description for both).
 * Create wraps it as `{"endpoint": {...}}`; update sends it flat with the endpoint id, and **replaces the
 * whole configuration** ("all parameters must be provided in full", D:serverless-update-endpoint): pass
 * every setting the endpoint should keep, e.g. built from a get with novita_endpoint_config_from().
 * NULL or "" strings are not sent.
 */
typedef struct novita_endpoint_config {
    const char *name;       /**< 0-220 characters */
    const char *app_name;   /**< create only (part of the url; the API defaults it to the id) */
    const char *cluster_id; /**< `clusterID`; required with a network volume */
    novita_endpoint_worker_spec worker_config;
    const int32_t *ports;   /**< required: HTTP ports, 1-65535 except 2222-2224 (the docs allow one) */
    size_t port_count;
    novita_endpoint_policy_spec policy;
    novita_endpoint_image_spec image;
    const char *const *product_ids; /**< create only, at least one */
    size_t product_count;
    int32_t rootfs_size;            /**< create only: GB (0 = NOVITA_ENDPOINT_DEFAULT_ROOTFS_GB) */
    const novita_endpoint_volume_spec *volume_mounts; /**< none: both send [] */
    size_t volume_mount_count;
    const novita_env_spec *envs;    /**< none: create omits `envs`, update sends [] (clears them) */
    size_t env_count;
    const char *health_path;        /**< `healthy.path`: required by create, optional for update */
} novita_endpoint_config;

/** Storage for the arrays of a configuration built by novita_endpoint_config_from(). */
typedef struct novita_endpoint_config_arrays {
    int32_t ports[NOVITA_MAX_ENDPOINT_PORTS];
    novita_endpoint_volume_spec volume_mounts[NOVITA_MAX_ENDPOINT_VOLUMES];
    novita_env_spec envs[NOVITA_MAX_ENVS];
    const char *product_ids[NOVITA_MAX_ENDPOINT_PRODUCTS];
} novita_endpoint_config_arrays;

/** Paging of endpoints list; 0 fields are not sent (the API's defaults). */
typedef struct novita_endpoint_filter {
    uint32_t page_size;
    uint32_t page_num;
} novita_endpoint_filter;

/* ------------------------------------------------------------------ operations */

/**
 * @brief Valid ranges of endpoint settings (GET /endpoint/limit).
 * @param[in]  client the client
 * @param[out] out    receives the limits (zeroed on failure)
 * @param[in]  opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_endpoints_limits(novita_client *client, novita_endpoint_limits *out,
                                                       const novita_call_opts *opts);

/**
 * @brief List endpoints (GET /endpoints?pageSize=&pageNum=) one page at a time, in bounded memory; with
 *        list->all_pages every page (see list.h).
 * @param[in]     client the client
 * @param[in]     filter paging, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_endpoint elements
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed at the
 *         top of this file.
 */
NOVITA_NODISCARD novita_result novita_endpoints_list(novita_client *client, const novita_endpoint_filter *filter,
                                                     novita_list *list, const novita_call_opts *opts);

/**
 * @brief Get one endpoint with its workers (GET /endpoint?id=), wrapped as {"endpoint": {...}} or flat.
 * @param[in]  client the client
 * @param[in]  id     endpoint id
 * @param[out] out    receives the endpoint (zeroed on failure)
 * @param[in]  opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file (an unknown or deleted endpoint is
 *         NOVITA_ERR_NOT_FOUND).
 */
NOVITA_NODISCARD novita_result novita_endpoints_get(novita_client *client, const char *id, novita_endpoint *out,
                                                    const novita_call_opts *opts);

/**
 * @brief Create an endpoint (POST /endpoint/create with {"endpoint": {...}}). Never resent automatically.
 * @param[in]  client  the client
 * @param[in]  config  the configuration: image.image, policy.type, at least one port, at least one product
 *                     and health_path are required; a network volume needs its id and cluster_id
 * @param[out] id_out  receives the new endpoint id (caller buffer of id_size bytes, NUL-terminated)
 * @param[in]  id_size size of id_out (NOVITA_ID_MAX recommended)
 * @param[in]  opts    per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file; NOVITA_ERR_BUFFER_TOO_SMALL also when the
 *         id does not fit id_out.
 */
NOVITA_NODISCARD novita_result novita_endpoints_create(novita_client *client, const novita_endpoint_config *config,
                                                       char *id_out, size_t id_size, const novita_call_opts *opts);

/**
 * @brief Replace the configuration of an endpoint (POST /endpoint/update, flat body with `id`).
 *        The API wants every setting: pass the complete configuration (see novita_endpoint_config); the
 *        create-only fields (app_name, product_ids, rootfs_size) are not sent.
 * @param[in] client the client
 * @param[in] id     endpoint id
 * @param[in] config the complete new configuration: image.image, policy.type and at least one port are
 *                   required; a network volume needs its id and cluster_id
 * @param[in] opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_endpoints_update(novita_client *client, const char *id,
                                                       const novita_endpoint_config *config,
                                                       const novita_call_opts *opts);

/**
 * @brief Delete an endpoint and its workers (POST /endpoint/delete with {"name": "<endpoint id>"}: the
 *        field is called name but takes the id).
 * @param[in] client the client
 * @param[in] id     endpoint id
 * @param[in] opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_endpoints_delete(novita_client *client, const char *id,
                                                       const novita_call_opts *opts);

/**
 * @brief Describe an endpoint's current settings as a configuration, the starting point of an update:
 *        change what should change, then pass it to novita_endpoints_update(). No request is made.
 * @param[in]  endpoint the endpoint, e.g. from novita_endpoints_get(); it must outlive `config`, whose
 *                      strings point into it
 * @param[out] config   receives the configuration (every member set)
 * @param[out] arrays   storage the configuration's arrays point into; must outlive `config`
 * @return NOVITA_OK; NOVITA_ERR_INVALID_ARG when a pointer is NULL; NOVITA_ERR_BUFFER_TOO_SMALL when the
 *         endpoint holds more ports, volume mounts, variables or products than it kept (*_total >
 *         *_count), since an update built from it would silently drop the rest.
 */
NOVITA_NODISCARD novita_result novita_endpoint_config_from(const novita_endpoint *endpoint,
                                                           novita_endpoint_config *config,
                                                           novita_endpoint_config_arrays *arrays);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_ENDPOINTS_H */

/* Serverless endpoints: field tables and thin operations (REFERENCE 7 #44-#49, 8.11). */
#include "novita/endpoints.h"

#include <string.h>

#include "api.h"

/* ------------------------------------------------------------------ models */

static const novita_field state_fields[] = {
    NOVITA_F_STRING(novita_endpoint_state, "state", state),
    NOVITA_F_STRING(novita_endpoint_state, "error", error),
    NOVITA_F_STRING(novita_endpoint_state, "message", message),
};
static const novita_model state_model = NOVITA_MODEL(novita_endpoint_state, "state", state_fields);

#define W novita_endpoint_worker_config
static const novita_field worker_config_fields[] = {
    NOVITA_F_INT(W, "minNum", min_num),
    NOVITA_F_INT(W, "maxNum", max_num),
    NOVITA_F_INT(W, "freeTimeout", free_timeout),     /* a string in responses */
    NOVITA_F_INT(W, "maxConcurrent", max_concurrent), /* a string in responses */
    NOVITA_F_INT(W, "gpuNum", gpu_num),
    NOVITA_F_INT(W, "requestTimeout", request_timeout),
    NOVITA_F_STRING(W, "cudaVersion", cuda_version),
};
#undef W
static const novita_model worker_config_model =
    NOVITA_MODEL(novita_endpoint_worker_config, "workerConfig", worker_config_fields);

static const novita_field policy_fields[] = {
    NOVITA_F_STRING(novita_endpoint_policy, "type", type),
    NOVITA_F_INT(novita_endpoint_policy, "value", value), /* a string in responses */
};
static const novita_model policy_model = NOVITA_MODEL(novita_endpoint_policy, "policy", policy_fields);

static const novita_field image_fields[] = {
    NOVITA_F_STRING(novita_endpoint_image, "image", image),
    NOVITA_F_STRING(novita_endpoint_image, "authId", auth_id),
    NOVITA_F_STRING(novita_endpoint_image, "command", command),
};
static const novita_model image_model = NOVITA_MODEL(novita_endpoint_image, "image", image_fields);

static const novita_field port_fields[] = {
    NOVITA_F_INT(novita_endpoint_port, "port", port), /* "8080" or 8080 */
};
static const novita_model port_model = NOVITA_MODEL(novita_endpoint_port, "ports[]", port_fields);

static const novita_field worker_fields[] = {
    NOVITA_F_STRING2(novita_endpoint_worker, "id", "Id", id),
    NOVITA_F_OBJECT(novita_endpoint_worker, "state", state, state_model),
    NOVITA_F_STRING(novita_endpoint_worker, "log", log),
    NOVITA_F_STRING(novita_endpoint_worker, "metrics", metrics),
    NOVITA_F_BOOL(novita_endpoint_worker, "healthy", healthy),
};
static const novita_model worker_model = NOVITA_MODEL(novita_endpoint_worker, "workers[]", worker_fields);

static const novita_field product_fields[] = {
    NOVITA_F_STRING2(novita_endpoint_product, "id", "Id", id),
};
static const novita_model product_model = NOVITA_MODEL(novita_endpoint_product, "products[]", product_fields);

#define H novita_endpoint_health
static const novita_field health_fields[] = {
    NOVITA_F_STRING(H, "path", path),
    NOVITA_F_INT(H, "initialDelay", initial_delay),
    NOVITA_F_INT(H, "period", period),
    NOVITA_F_INT(H, "timeout", timeout),
    NOVITA_F_INT(H, "successThreshold", success_threshold),
    NOVITA_F_INT(H, "failureThreshold", failure_threshold),
};
#undef H
static const novita_model health_model = NOVITA_MODEL(novita_endpoint_health, "healthy", health_fields);

#define E novita_endpoint
static const novita_field endpoint_fields[] = {
    NOVITA_F_STRING2(E, "id", "Id", id),
    NOVITA_F_STRING(E, "name", name),
    NOVITA_F_STRING(E, "appName", app_name),
    NOVITA_F_OBJECT(E, "state", state, state_model),
    NOVITA_F_STRING(E, "url", url),
    NOVITA_F_OBJECT(E, "workerConfig", worker_config, worker_config_model),
    NOVITA_F_OBJECT(E, "policy", policy, policy_model),
    NOVITA_F_OBJECT(E, "image", image, image_model),
    NOVITA_F_INT(E, "rootfsSize", rootfs_size),
    NOVITA_F_OBJECT_ARRAY(E, "volumeMounts", volume_mounts, volume_mount_count, volume_mount_total,
                          novita_volume_mount_model),
    NOVITA_F_OBJECT_ARRAY(E, "envs", envs, env_count, env_total, novita_env_model),
    NOVITA_F_OBJECT_ARRAY(E, "ports", ports, port_count, port_total, port_model),
    NOVITA_F_OBJECT_ARRAY(E, "workers", workers, worker_count, worker_total, worker_model),
    NOVITA_F_OBJECT_ARRAY(E, "products", products, product_count, product_total, product_model),
    NOVITA_F_OBJECT(E, "healthy", healthy, health_model),
    NOVITA_F_STRING(E, "clusterID", cluster_id), /* capital ID, unlike everywhere else */
    NOVITA_F_STRING(E, "log", log),
};
#undef E
const novita_model novita_endpoint_model = NOVITA_MODEL(novita_endpoint, "endpoint", endpoint_fields);

#define L novita_endpoint_limits
static const novita_field limits_fields[] = {
    NOVITA_F_INT(L, "minRootfsSize", min_rootfs_size),
    NOVITA_F_INT(L, "maxRootfsSize", max_rootfs_size),
    NOVITA_F_INT(L, "freeRootfsSize", free_rootfs_size),
    NOVITA_F_INT(L, "minLocalVolumeSize", min_local_volume_size),
    NOVITA_F_INT(L, "maxLocalVolumeSize", max_local_volume_size),
    NOVITA_F_INT(L, "freeLocalVolumeSize", free_local_volume_size),
    NOVITA_F_INT(L, "minWorkerNum", min_worker_num),
    NOVITA_F_INT(L, "maxWorkerNum", max_worker_num),
    NOVITA_F_INT(L, "minFreeTimeout", min_free_timeout),
    NOVITA_F_INT(L, "maxFreeTimeout", max_free_timeout),
    NOVITA_F_INT(L, "minConcurrencyNum", min_concurrency_num),
    NOVITA_F_INT(L, "maxConcurrencyNum", max_concurrency_num),
    NOVITA_F_INT(L, "minQueueWaitTime", min_queue_wait_time),
    NOVITA_F_INT(L, "maxQueueWaitTime", max_queue_wait_time),
    NOVITA_F_INT(L, "minRequestNum", min_request_num),
    NOVITA_F_INT(L, "maxRequestNum", max_request_num),
    NOVITA_F_INT(L, "minGPUNum", min_gpu_num),
    NOVITA_F_INT(L, "maxGPUNum", max_gpu_num),
    NOVITA_F_STRING_ARRAY(L, "cudaVersionList", cuda_versions, cuda_version_count, cuda_version_total),
};
#undef L
const novita_model novita_endpoint_limits_model = NOVITA_MODEL(novita_endpoint_limits, "limits", limits_fields);

/* ------------------------------------------------------------------ bodies */

/* What distinguishes the two bodies of one configuration: create wraps it, update names the endpoint. */
typedef struct config_body {
    const novita_endpoint_config *config;
    const char *update_id; /* NULL: create */
} config_body;

static void write_worker_config(novita_json_writer *w, const novita_endpoint_worker_spec *s)
{
    novita_jw_key(w, "workerConfig");
    novita_jw_object_begin(w);
    novita_jw_member_int(w, "minNum", s->min_num);
    novita_jw_member_int(w, "maxNum", s->max_num);
    novita_jw_member_int(w, "freeTimeout", s->free_timeout);
    novita_jw_member_int(w, "maxConcurrent", s->max_concurrent);
    novita_jw_member_int(w, "gpuNum", s->gpu_num);
    if (s->request_timeout > 0)
        novita_jw_member_int(w, "requestTimeout", s->request_timeout);
    novita_jw_object_end(w);
}

/* An array of objects (not the SDK's single object), each port a string. */
static void write_ports(novita_json_writer *w, const int32_t *ports, size_t count)
{
    novita_jw_key(w, "ports");
    novita_jw_array_begin(w);
    for (size_t i = 0; i < count; i++) {
        char text[NOVITA_I64_TEXT_MAX];
        novita_jw_object_begin(w);
        novita_jw_key(w, "port");
        novita_jw_string_n(w, text, novita_format_i64(text, ports[i]));
        novita_jw_object_end(w);
    }
    novita_jw_array_end(w);
}

static void write_policy(novita_json_writer *w, const novita_endpoint_policy_spec *p)
{
    novita_jw_key(w, "policy");
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "type", p->type);
    novita_jw_member_int(w, "value", p->value);
    novita_jw_object_end(w);
}

static void write_image(novita_json_writer *w, const novita_endpoint_image_spec *im)
{
    novita_jw_key(w, "image");
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "image", im->image);
    novita_jw_member_string_opt(w, "authId", im->auth_id);
    novita_jw_member_string_opt(w, "command", im->command);
    novita_jw_object_end(w);
}

static bool is_local(const novita_endpoint_volume_spec *v)
{
    return novita_streq(v->type, "local");
}

static void write_volume_mounts(novita_json_writer *w, const novita_endpoint_volume_spec *mounts, size_t count)
{
    novita_jw_key(w, "volumeMounts");
    novita_jw_array_begin(w);
    for (size_t i = 0; i < count; i++) {
        const novita_endpoint_volume_spec *v = &mounts[i];
        novita_jw_object_begin(w);
        novita_jw_member_string(w, "type", v->type);
        if (v->size > 0 || is_local(v))
            novita_jw_member_int(w, "size", v->size > 0 ? v->size : NOVITA_ENDPOINT_DEFAULT_LOCAL_VOLUME_GB);
        novita_jw_member_string_opt(w, "id", v->id);
        novita_jw_member_string(w, "mountPath", v->mount_path);
        novita_jw_object_end(w);
    }
    novita_jw_array_end(w);
}

static void write_health(novita_json_writer *w, const char *path)
{
    novita_jw_key(w, "healthy");
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "path", path);
    novita_jw_object_end(w);
}

static void write_products(novita_json_writer *w, const char *const *ids, size_t count)
{
    novita_jw_key(w, "products");
    novita_jw_array_begin(w);
    for (size_t i = 0; i < count; i++) {
        novita_jw_object_begin(w);
        novita_jw_member_string(w, "id", ids[i]);
        novita_jw_object_end(w);
    }
    novita_jw_array_end(w);
}

/* Create: {"endpoint": {...}} with the create-only fields. Update: flat {"id", ...}, and the lists are
 * always sent (an empty list says "none": the update replaces the whole configuration). */
static void write_config(novita_json_writer *w, const void *ctx)
{
    const config_body *b = (const config_body *)ctx;
    const novita_endpoint_config *q = b->config;
    bool create = b->update_id == NULL;
    novita_jw_object_begin(w);
    if (create) {
        novita_jw_key(w, "endpoint");
        novita_jw_object_begin(w);
    } else {
        novita_jw_member_string(w, "id", b->update_id);
    }
    novita_jw_member_string_opt(w, "name", q->name);
    if (create)
        novita_jw_member_string_opt(w, "appName", q->app_name);
    novita_jw_member_string_opt(w, "clusterID", q->cluster_id); /* capital ID, as documented */
    write_worker_config(w, &q->worker_config);
    write_ports(w, q->ports, q->port_count);
    write_policy(w, &q->policy);
    write_image(w, &q->image);
    if (create) {
        write_products(w, q->product_ids, q->product_count);
        novita_jw_member_int(w, "rootfsSize", q->rootfs_size > 0 ? q->rootfs_size : NOVITA_ENDPOINT_DEFAULT_ROOTFS_GB);
    }
    write_volume_mounts(w, q->volume_mounts, q->volume_mount_count);
    if (!create || q->env_count > 0)
        novita_write_envs(w, q->envs, q->env_count);
    if (q->health_path && q->health_path[0])
        write_health(w, q->health_path);
    if (create)
        novita_jw_object_end(w);
    novita_jw_object_end(w);
}

/* ------------------------------------------------------------------ validation */

static bool valid_port(int32_t port)
{
    return port >= 1 && port <= 65535 && !(port >= 2222 && port <= 2224);
}

static bool check_volumes(novita_client *c, const novita_endpoint_config *q, novita_result *r)
{
    if (q->volume_mount_count > 0 && !q->volume_mounts) {
        *r = novita_fail(c, NOVITA_ERR_INVALID_ARG, "volume_mounts is NULL but volume_mount_count is not 0");
        return false;
    }
    for (size_t i = 0; i < q->volume_mount_count; i++) {
        const novita_endpoint_volume_spec *v = &q->volume_mounts[i];
        if (!novita_api_require(c, v->type, "volume mount type", r) ||
            !novita_api_require(c, v->mount_path, "volume mount path", r))
            return false;
        if (novita_streq(v->type, "network") &&
            (!novita_api_require(c, v->id, "network volume id", r) ||
             !novita_api_require(c, q->cluster_id, "cluster id (with a network volume)", r)))
            return false;
        if (v->size < 0) {
            *r = novita_fail(c, NOVITA_ERR_INVALID_ARG, "volume mount size must not be negative");
            return false;
        }
    }
    return true;
}

static bool check_lists(novita_client *c, const novita_endpoint_config *q, novita_result *r)
{
    if (q->port_count == 0 || !q->ports) {
        *r = novita_fail(c, NOVITA_ERR_INVALID_ARG, "at least one port is required");
        return false;
    }
    for (size_t i = 0; i < q->port_count; i++) {
        if (!valid_port(q->ports[i])) {
            *r = novita_fail(c, NOVITA_ERR_INVALID_ARG, "ports must be 1-65535 except 2222-2224");
            return false;
        }
    }
    if (q->env_count > 0 && !q->envs) {
        *r = novita_fail(c, NOVITA_ERR_INVALID_ARG, "envs is NULL but env_count is not 0");
        return false;
    }
    for (size_t i = 0; i < q->env_count; i++) {
        if (!novita_api_require(c, q->envs[i].key, "environment variable key", r))
            return false;
    }
    return check_volumes(c, q, r);
}

/* What create and update both need; create additionally needs products and a health path. */
static bool check_config(novita_client *c, const novita_endpoint_config *q, bool create, novita_result *r)
{
    if (!q) {
        *r = novita_fail(c, NOVITA_ERR_INVALID_ARG, "endpoint configuration is required");
        return false;
    }
    if (!novita_api_require(c, q->image.image, "image", r) || !novita_api_require(c, q->policy.type, "policy type", r))
        return false;
    if (!check_lists(c, q, r))
        return false;
    if (!create)
        return true;
    if (q->product_count == 0 || !q->product_ids) {
        *r = novita_fail(c, NOVITA_ERR_INVALID_ARG, "at least one product id is required");
        return false;
    }
    for (size_t i = 0; i < q->product_count; i++) {
        if (!novita_api_require(c, q->product_ids[i], "product id", r))
            return false;
    }
    return novita_api_require(c, q->health_path, "health check path", r);
}

/* ------------------------------------------------------------------ operations */

novita_result novita_endpoints_limits(novita_client *c, novita_endpoint_limits *out, const novita_call_opts *opts)
{
    novita_request req = NOVITA_GET_REQUEST(NOVITA_NS_GPU, "/endpoint/limit", NULL, 0);
    return novita_api_get(c, &req, &novita_endpoint_limits_model, out, "output limits are required", NULL, NULL,
                          NULL, opts); /* flat */
}

novita_result novita_endpoints_list(novita_client *c, const novita_endpoint_filter *f, novita_list *list,
                                    const novita_call_opts *opts)
{
    /* pageNum: base unknown (REFERENCE 4) */
    static const novita_list_op op = { NOVITA_NS_GPU, "/endpoints", &novita_endpoint_model, "endpoints", NULL,
                                       NOVITA_PAGED(1, 0, 0) };
    novita_query_param query[2] = { { "pageSize", NULL, 0 }, { "pageNum", NULL, 0 } };
    return novita_api_list(c, &op, query, 2, f ? f->page_num : 0, f ? f->page_size : 0, list, opts);
}

novita_result novita_endpoints_get(novita_client *c, const char *id, novita_endpoint *out,
                                   const novita_call_opts *opts)
{
    novita_query_param query[1] = { { "id", id, 0 } }; /* not the SDK's endpoint_id */
    novita_request req = NOVITA_GET_REQUEST(NOVITA_NS_GPU, "/endpoint", query, 1);
    return novita_api_get(c, &req, &novita_endpoint_model, out, "output endpoint is required", id, "endpoint id",
                          "endpoint", opts);
}

novita_result novita_endpoints_create(novita_client *c, const novita_endpoint_config *q, char *id_out,
                                      size_t id_size, const novita_call_opts *opts)
{
    config_body body;
    novita_result r;
    if (!novita_api_id_output(c, true, id_out, id_size, "id output is required", &r) || !check_config(c, q, true, &r))
        return r;
    body.config = q;
    body.update_id = NULL;
    return novita_api_create_id(c, "/endpoint/create", write_config, &body, "id", id_out, id_size, opts);
}

novita_result novita_endpoints_update(novita_client *c, const char *id, const novita_endpoint_config *q,
                                      const novita_call_opts *opts)
{
    config_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!novita_api_require(c, id, "endpoint id", &r) || !check_config(c, q, false, &r))
        return r;
    body.config = q;
    body.update_id = id;
    return novita_api_action(c, "/endpoint/update", write_config, &body, opts);
}

novita_result novita_endpoints_delete(novita_client *c, const char *id, const novita_call_opts *opts)
{
    /* The key is documented as `name`, but it takes the endpoint id. */
    return novita_api_id_action(c, "/endpoint/delete", "name", id, "endpoint id", opts);
}

/* ------------------------------------------------------------------ configuration from an endpoint */

static const char *or_null(const char *s)
{
    return s[0] ? s : NULL;
}

novita_result novita_endpoint_config_from(const novita_endpoint *ep, novita_endpoint_config *q,
                                          novita_endpoint_config_arrays *arrays)
{
    if (!ep || !q || !arrays)
        return NOVITA_ERR_INVALID_ARG;
    if (ep->port_total > ep->port_count || ep->volume_mount_total > ep->volume_mount_count ||
        ep->env_total > ep->env_count || ep->product_total > ep->product_count)
        return NOVITA_ERR_BUFFER_TOO_SMALL;
    memset(q, 0, sizeof(*q));
    q->name = or_null(ep->name);
    q->app_name = or_null(ep->app_name);
    q->cluster_id = or_null(ep->cluster_id);
    q->worker_config.min_num = ep->worker_config.min_num;
    q->worker_config.max_num = ep->worker_config.max_num;
    q->worker_config.free_timeout = ep->worker_config.free_timeout;
    q->worker_config.max_concurrent = ep->worker_config.max_concurrent;
    q->worker_config.gpu_num = ep->worker_config.gpu_num;
    q->worker_config.request_timeout = ep->worker_config.request_timeout;
    for (size_t i = 0; i < ep->port_count; i++)
        arrays->ports[i] = ep->ports[i].port;
    q->ports = arrays->ports;
    q->port_count = ep->port_count;
    q->policy.type = or_null(ep->policy.type);
    q->policy.value = ep->policy.value;
    q->image.image = or_null(ep->image.image);
    q->image.auth_id = or_null(ep->image.auth_id);
    q->image.command = or_null(ep->image.command);
    for (size_t i = 0; i < ep->product_count; i++)
        arrays->product_ids[i] = ep->products[i].id;
    q->product_ids = arrays->product_ids;
    q->product_count = ep->product_count;
    q->rootfs_size = ep->rootfs_size;
    for (size_t i = 0; i < ep->volume_mount_count; i++) {
        const novita_volume_mount *m = &ep->volume_mounts[i];
        arrays->volume_mounts[i].type = m->type;
        /* Only a local volume's size is a setting; a network volume's is its storage's. */
        arrays->volume_mounts[i].size =
            novita_streq(m->type, "local") && m->size > 0 && m->size <= INT32_MAX ? (int32_t)m->size : 0;
        arrays->volume_mounts[i].id = or_null(m->id);
        arrays->volume_mounts[i].mount_path = m->mount_path;
    }
    q->volume_mounts = arrays->volume_mounts;
    q->volume_mount_count = ep->volume_mount_count;
    for (size_t i = 0; i < ep->env_count; i++) {
        arrays->envs[i].key = ep->envs[i].key;
        arrays->envs[i].value = ep->envs[i].value;
    }
    q->envs = arrays->envs;
    q->env_count = ep->env_count;
    q->health_path = or_null(ep->healthy.path);
    return NOVITA_OK;
}

/* Instances: field tables and thin operations (REFERENCE 7 #4-#18, 8.3, 8.4). */
#include "novita/instances.h"

#include <string.h>

#include "api.h"

/* ------------------------------------------------------------------ enums */

static const char *const status_names[] = {
    "",         "toCreate", "creating", "pulling",  "running",    "toStart",  "starting",
    "toStop",   "stopping", "exited",   "toRestart", "restarting", "toRemove", "removing",
    "removed",  "toReset",  "resetting", "migrating", "freezing",  "pending",
};

static const char *const billing_names[] = { "", "onDemand", "monthly", "spot" };

const char *novita_instance_status_name(novita_instance_status status)
{
    return novita_enum_name(status_names, (uint16_t)(sizeof(status_names) / sizeof(status_names[0])), (int)status);
}

novita_instance_status novita_instance_status_parse(const char *name)
{
    for (size_t i = 1; name && i < sizeof(status_names) / sizeof(status_names[0]); i++) {
        if (novita_streq(name, status_names[i]))
            return (novita_instance_status)i;
    }
    return NOVITA_INSTANCE_UNKNOWN;
}

/* ------------------------------------------------------------------ models */

static const novita_field port_mapping_fields[] = {
    NOVITA_F_INT(novita_port_mapping, "port", port),
    NOVITA_F_STRING(novita_port_mapping, "endpoint", endpoint),
    NOVITA_F_STRING(novita_port_mapping, "type", type),
};
static const novita_model port_mapping_model = NOVITA_MODEL(novita_port_mapping, "portMappings[]", port_mapping_fields);

static const novita_field status_error_fields[] = {
    NOVITA_F_STRING(novita_status_error, "state", state),
    NOVITA_F_STRING(novita_status_error, "message", message),
};
static const novita_model status_error_model = NOVITA_MODEL(novita_status_error, "statusError", status_error_fields);

static const novita_field job_fields[] = {
    NOVITA_F_STRING2(novita_instance_job, "id", "Id", id),
    NOVITA_F_STRING(novita_instance_job, "type", type),
};
static const novita_model job_model = NOVITA_MODEL(novita_instance_job, "jobs[]", job_fields);

static const novita_field node_fields[] = {
    NOVITA_F_INT(novita_instance_node, "maxRootfsSize", max_rootfs_size),
};
static const novita_model node_model = NOVITA_MODEL(novita_instance_node, "node", node_fields);

static const novita_field network_fields[] = {
    NOVITA_F_STRING2(novita_instance_network, "id", "Id", id),
    NOVITA_F_STRING2(novita_instance_network, "ip", "Ip", ip),
};
static const novita_model network_model = NOVITA_MODEL(novita_instance_network, "network", network_fields);

static const novita_field ssh_fields[] = {
    NOVITA_F_STRING(novita_connect_ssh, "sshCommand", ssh_command),
    NOVITA_F_STRING(novita_connect_ssh, "password", password),
    NOVITA_F_BOOL(novita_connect_ssh, "isRunning", is_running),
};
static const novita_model ssh_model = NOVITA_MODEL(novita_connect_ssh, "connectComponentSSH", ssh_fields);

static const novita_field web_terminal_fields[] = {
    NOVITA_F_STRING(novita_connect_web_terminal, "address", address),
    NOVITA_F_STRING(novita_connect_web_terminal, "username", username),
    NOVITA_F_STRING(novita_connect_web_terminal, "password", password),
    NOVITA_F_BOOL(novita_connect_web_terminal, "isRunning", is_running),
};
static const novita_model web_terminal_model =
    NOVITA_MODEL(novita_connect_web_terminal, "connectComponentWebTerminal", web_terminal_fields);

static const novita_field jupyter_fields[] = {
    NOVITA_F_INT(novita_connect_jupyter, "port", port),
    NOVITA_F_STRING(novita_connect_jupyter, "address", address),
    NOVITA_F_BOOL(novita_connect_jupyter, "isRunning", is_running),
};
static const novita_model jupyter_model = NOVITA_MODEL(novita_connect_jupyter, "connectComponentJupyter", jupyter_fields);

static const novita_field log_fields[] = {
    NOVITA_F_STRING(novita_connect_log, "systemLogAddress", system_log_address),
    NOVITA_F_STRING(novita_connect_log, "instanceLogAddress", instance_log_address),
    NOVITA_F_BOOL(novita_connect_log, "isRunning", is_running),
};
static const novita_model log_model = NOVITA_MODEL(novita_connect_log, "connectComponentLog", log_fields);

#define I novita_instance
static const novita_field instance_fields[] = {
    NOVITA_F_STRING2(I, "id", "Id", id),
    NOVITA_F_STRING(I, "name", name),
    NOVITA_F_STRING(I, "clusterId", cluster_id),
    NOVITA_F_STRING(I, "clusterName", cluster_name),
    NOVITA_F_ENUM(I, "status", status, status_text, status_names),
    NOVITA_F_OBJECT(I, "statusError", status_error, status_error_model),
    NOVITA_F_STRING(I, "imageUrl", image_url),
    NOVITA_F_STRING(I, "imageAuthId", image_auth_id),
    NOVITA_F_STRING(I, "command", command),
    NOVITA_F_STRING(I, "entrypoint", entrypoint),
    NOVITA_F_INT(I, "cpuNum", cpu_num),
    NOVITA_F_INT(I, "memory", memory),
    NOVITA_F_INT(I, "gpuNum", gpu_num),
    NOVITA_F_INT(I, "rootfsSize", rootfs_size),
    NOVITA_F_STRING(I, "productId", product_id),
    NOVITA_F_STRING(I, "productName", product_name),
    NOVITA_F_OBJECT_ARRAY(I, "portMappings", port_mappings, port_mapping_count, port_mapping_total, port_mapping_model),
    NOVITA_F_OBJECT_ARRAY(I, "volumeMounts", volume_mounts, volume_mount_count, volume_mount_total,
                          novita_volume_mount_model),
    NOVITA_F_OBJECT_ARRAY(I, "envs", envs, env_count, env_total, novita_env_model),
    NOVITA_F_OBJECT_ARRAY(I, "jobs", jobs, job_count, job_total, job_model),
    NOVITA_F_OBJECT(I, "node", node, node_model),
    NOVITA_F_OBJECT(I, "network", network, network_model),
    NOVITA_F_OBJECT(I, "connectComponentSSH", connect_ssh, ssh_model),
    NOVITA_F_OBJECT(I, "connectComponentWebTerminal", connect_web_terminal, web_terminal_model),
    NOVITA_F_OBJECT(I, "connectComponentJupyter", connect_jupyter, jupyter_model),
    NOVITA_F_OBJECT(I, "connectComponentLog", connect_log, log_model),
    NOVITA_F_STRING(I, "kind", kind),
    NOVITA_F_ENUM(I, "billingMode", billing_mode, billing_mode_text, billing_names),
    NOVITA_F_INT(I, "endTime", end_time),
    NOVITA_F_STRING(I, "spotStatus", spot_status),
    NOVITA_F_INT(I, "spotReclaimTime", spot_reclaim_time),
    NOVITA_F_INT(I, "freeStorageSize", free_storage_size),
    NOVITA_F_INT(I, "keepDataDay", keep_data_day),
    NOVITA_F_INT(I, "createdAt", created_at),
    NOVITA_F_INT(I, "lastStartedAt", last_started_at),
    NOVITA_F_INT(I, "lastStoppedAt", last_stopped_at),
};
#undef I
const novita_model novita_instance_model = NOVITA_MODEL(novita_instance, "instance", instance_fields);

/* Metric values are percentages with a fraction: kept exactly as thousandths. */
static const novita_field point_fields[] = {
    NOVITA_F_INT(novita_metric_point, "timestamp", timestamp),
    NOVITA_F_DECIMAL(novita_metric_point, "value", value_milli, 3),
};
static const novita_model point_model = NOVITA_MODEL(novita_metric_point, "metrics[]", point_fields);

static const novita_field gpu_series_fields[] = {
    NOVITA_F_STRING(novita_gpu_metric_series, "gpuId", gpu_id),
    NOVITA_F_OBJECT_ARRAY(novita_gpu_metric_series, "items", items, item_count, item_total, point_model),
};
static const novita_model gpu_series_model = NOVITA_MODEL(novita_gpu_metric_series, "gpuIds[]", gpu_series_fields);

static const novita_field gpu_metrics_fields[] = {
    NOVITA_F_OBJECT_ARRAY(novita_gpu_metrics, "avg", avg, avg_count, avg_total, point_model),
    NOVITA_F_OBJECT_ARRAY(novita_gpu_metrics, "gpuIds", gpus, gpu_count, gpu_total, gpu_series_model),
};
static const novita_model gpu_metrics_model = NOVITA_MODEL(novita_gpu_metrics, "gpuUtilization", gpu_metrics_fields);

#define M novita_instance_metrics
static const novita_field metrics_fields[] = {
    NOVITA_F_OBJECT_ARRAY(M, "cpuUtilization", cpu, cpu_count, cpu_total, point_model),
    NOVITA_F_OBJECT_ARRAY(M, "memUtilization", memory, memory_count, memory_total, point_model),
    NOVITA_F_OBJECT_ARRAY(M, "rootDiskUtilization", root_disk, root_disk_count, root_disk_total, point_model),
    NOVITA_F_OBJECT(M, "gpuUtilization", gpu, gpu_metrics_model),
    NOVITA_F_OBJECT(M, "gpuMemUtilization", gpu_memory, gpu_metrics_model),
};
#undef M
const novita_model novita_instance_metrics_model = NOVITA_MODEL(novita_instance_metrics, "metrics", metrics_fields);

/* ------------------------------------------------------------------ bodies */

/* Create takes ports as one string: "80/http,3306/tcp". */
static void write_ports_string(novita_json_writer *w, const novita_port_spec *ports, size_t count)
{
    char number[NOVITA_I64_TEXT_MAX];
    novita_jw_key(w, "ports");
    novita_jw_string_open(w);
    for (size_t i = 0; i < count; i++) {
        const char *type = ports[i].type ? ports[i].type : "tcp";
        if (i > 0)
            novita_jw_string_append(w, ",", 1);
        novita_jw_string_append(w, number, novita_format_i64(number, ports[i].port));
        novita_jw_string_append(w, "/", 1);
        novita_jw_string_append(w, type, novita_strlen(type));
    }
    novita_jw_string_close(w);
}

static void write_create(novita_json_writer *w, const void *ctx)
{
    const novita_instance_create *q = (const novita_instance_create *)ctx;
    const char *kind = q->kind && q->kind[0] ? q->kind : "gpu";
    bool gpu = novita_streq(kind, "gpu");
    novita_jw_object_begin(w);
    novita_jw_member_string_opt(w, "name", q->name);
    novita_jw_member_string(w, "productId", q->product_id);
    if (gpu || q->gpu_num)
        novita_jw_member_int(w, "gpuNum", q->gpu_num ? q->gpu_num : 1);
    if (gpu || q->rootfs_size)
        novita_jw_member_int(w, "rootfsSize", q->rootfs_size ? q->rootfs_size : 10);
    novita_jw_member_string(w, "imageUrl", q->image_url);
    novita_jw_member_string_opt(w, "imageAuth", q->image_auth);
    novita_jw_member_string_opt(w, "imageAuthId", q->image_auth_id);
    if (q->port_count)
        write_ports_string(w, q->ports, q->port_count);
    if (q->env_count)
        novita_write_envs(w, q->envs, q->env_count);
    if (q->tool_count) {
        novita_jw_key(w, "tools");
        novita_jw_array_begin(w);
        for (size_t i = 0; i < q->tool_count; i++) {
            char port[NOVITA_I64_TEXT_MAX];
            novita_jw_object_begin(w);
            novita_jw_member_string(w, "name", q->tools[i].name);
            novita_jw_key(w, "port"); /* a string in the API */
            novita_jw_string_n(w, port, novita_format_i64(port, q->tools[i].port));
            novita_jw_member_string(w, "type", q->tools[i].type ? q->tools[i].type : "http");
            novita_jw_object_end(w);
        }
        novita_jw_array_end(w);
    }
    novita_jw_member_string_opt(w, "command", q->command);
    novita_jw_member_string_opt(w, "entrypoint", q->entrypoint);
    novita_jw_member_string_opt(w, "clusterId", q->cluster_id);
    novita_jw_member_string_opt(w, "localStorageMountPoint", q->local_storage_mount_point);
    if (q->network_storage_count) {
        novita_jw_key(w, "networkStorages");
        novita_jw_array_begin(w);
        for (size_t i = 0; i < q->network_storage_count; i++) {
            const novita_storage_mount_spec *m = &q->network_storages[i];
            novita_jw_object_begin(w);
            novita_jw_member_string(w, "Id", m->id); /* capital I, as documented */
            novita_jw_member_string(w, "mountPoint", m->mount_path ? m->mount_path : "/network");
            novita_jw_object_end(w);
        }
        novita_jw_array_end(w);
    }
    novita_jw_member_string_opt(w, "networkId", q->network_id);
    novita_jw_member_string(w, "kind", kind);
    if (q->month)
        novita_jw_member_int(w, "month", q->month);
    novita_jw_member_string_opt(w, "billingMode", q->billing_mode);
    if (q->auto_renew) {
        novita_jw_member_bool(w, "autoRenew", true);
        if (q->auto_renew_month)
            novita_jw_member_int(w, "autoRenewMonth", q->auto_renew_month);
    }
    novita_jw_member_string_opt(w, "minCudaVersion", q->min_cuda_version);
    novita_jw_object_end(w);
}

typedef struct edit_body {
    const char *id;
    const novita_instance_edit *edit;
} edit_body;

static void write_edit(novita_json_writer *w, const void *ctx)
{
    const edit_body *b = (const edit_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "instanceId", b->id);
    if (b->edit->port_count) {
        novita_jw_key(w, "ports");
        novita_jw_array_begin(w);
        for (size_t i = 0; i < b->edit->port_count; i++) {
            novita_jw_object_begin(w);
            novita_jw_member_int(w, "port", b->edit->ports[i].port);
            novita_jw_member_string(w, "type", b->edit->ports[i].type ? b->edit->ports[i].type : "tcp");
            novita_jw_object_end(w);
        }
        novita_jw_array_end(w);
    }
    if (b->edit->expand_root_disk)
        novita_jw_member_int(w, "expandRootDisk", b->edit->expand_root_disk);
    novita_jw_object_end(w);
}

typedef struct upgrade_body {
    const char *id;
    const novita_instance_upgrade *up;
} upgrade_body;

static void write_upgrade(novita_json_writer *w, const void *ctx)
{
    const upgrade_body *b = (const upgrade_body *)ctx;
    const novita_instance_upgrade *u = b->up;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "instanceId", b->id);
    novita_jw_member_string(w, "imageUrl", u->image_url);
    novita_jw_member_string_opt(w, "imageAuthId", u->image_auth_id);
    novita_write_envs(w, u->envs, u->env_count);
    novita_jw_member_string(w, "command", u->command);
    novita_jw_member_string(w, "entrypoint", u->entrypoint);
    novita_jw_member_bool(w, "save", u->save);
    novita_jw_key(w, "networkVolume");
    novita_jw_object_begin(w);
    novita_jw_key(w, "volumeMounts");
    novita_jw_array_begin(w);
    for (size_t i = 0; i < u->volume_mount_count; i++) {
        const novita_storage_mount_spec *m = &u->volume_mounts[i];
        novita_jw_object_begin(w);
        novita_jw_member_string(w, "type", "network");
        novita_jw_member_string(w, "id", m->id);
        novita_jw_member_string(w, "mountPath", m->mount_path ? m->mount_path : "/network");
        novita_jw_object_end(w);
    }
    novita_jw_array_end(w);
    novita_jw_object_end(w);
    novita_jw_object_end(w);
}

typedef struct months_body {
    const char *id;
    int32_t months;
} months_body;

static void write_months(novita_json_writer *w, const void *ctx)
{
    const months_body *b = (const months_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "instanceId", b->id);
    novita_jw_member_int(w, "month", b->months);
    novita_jw_object_end(w);
}

typedef struct auto_renew_body {
    const char *const *ids;
    size_t count;
    bool on;
    int32_t months;
} auto_renew_body;

static void write_auto_renew(novita_json_writer *w, const void *ctx)
{
    const auto_renew_body *b = (const auto_renew_body *)ctx;
    novita_jw_object_begin(w);
    novita_write_string_array(w, "instanceIds", b->ids, b->count);
    novita_jw_member_bool(w, "autoRenew", b->on);
    novita_jw_member_int(w, "autoRenewMonth", b->months);
    novita_jw_object_end(w);
}

typedef struct auto_migrate_body {
    const char *id;
    bool on;
    bool system_disk;
} auto_migrate_body;

static void write_auto_migrate(novita_json_writer *w, const void *ctx)
{
    const auto_migrate_body *b = (const auto_migrate_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "instanceId", b->id);
    novita_jw_member_bool(w, "autoMigrateOpen", b->on);
    novita_jw_member_bool(w, "autoMigrateSystemDisk", b->system_disk);
    novita_jw_object_end(w);
}

/* ------------------------------------------------------------------ operations */

novita_result novita_instances_create(novita_client *c, const novita_instance_create *q, char *id_out,
                                      size_t id_size, const novita_call_opts *opts)
{
    novita_result r;
    if (!novita_api_id_output(c, q != NULL, id_out, id_size, "request and id output are required", &r) || !q)
        return r;
    if (!novita_api_require(c, q->product_id, "product id", &r) || !novita_api_require(c, q->image_url, "image URL", &r))
        return r;
    return novita_api_create_id(c, "/gpu/instance/create", write_create, q, "id", id_out, id_size, opts);
}

novita_result novita_instances_list(novita_client *c, const novita_instance_filter *f, novita_list *list,
                                    const novita_call_opts *opts)
{
    static const novita_list_op op = { NOVITA_NS_GPU, "/gpu/instances", &novita_instance_model, "instances", NULL,
                                       NOVITA_PAGED(1, 0, 0) };
    novita_query_param query[5] = {
        { "pageSize", NULL, 0 }, { "pageNum", NULL, 0 }, { "name", NULL, 0 }, { "productName", NULL, 0 },
        { "status", NULL, 0 },
    };
    if (f) {
        query[2].value = f->name;
        query[3].value = f->product_name;
        query[4].value = f->status;
    }
    return novita_api_list(c, &op, query, 5, f ? f->page_num : 0, f ? f->page_size : 0, list, opts);
}

novita_result novita_instances_get(novita_client *c, const char *id, novita_instance *out,
                                   const novita_call_opts *opts)
{
    novita_query_param query[1] = { { "instanceId", id, 0 } };
    novita_request req = NOVITA_GET_REQUEST(NOVITA_NS_GPU, "/gpu/instance", query, 1);
    /* Documented flat; wrapped as {"instance": {...}} is accepted too. */
    return novita_api_get(c, &req, &novita_instance_model, out, "output instance is required", id, "instance id",
                          "instance", opts);
}

novita_result novita_instances_start(novita_client *c, const char *id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/gpu/instance/start", "instanceId", id, "instance id", opts);
}

novita_result novita_instances_stop(novita_client *c, const char *id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/gpu/instance/stop", "instanceId", id, "instance id", opts);
}

novita_result novita_instances_restart(novita_client *c, const char *id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/gpu/instance/restart", "instanceId", id, "instance id", opts);
}

novita_result novita_instances_delete(novita_client *c, const char *id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/gpu/instance/delete", "instanceId", id, "instance id", opts);
}

novita_result novita_instances_migrate(novita_client *c, const char *id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/gpu/instance/migrate", "instanceId", id, "instance id", opts);
}

novita_result novita_instances_edit(novita_client *c, const char *id, const novita_instance_edit *edit,
                                    const novita_call_opts *opts)
{
    edit_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!edit)
        return novita_fail(c, r, "edit is required");
    if (!novita_api_require(c, id, "instance id", &r))
        return r;
    body.id = id;
    body.edit = edit;
    return novita_api_action(c, "/gpu/instance/edit", write_edit, &body, opts);
}

novita_result novita_instances_upgrade(novita_client *c, const char *id, const novita_instance_upgrade *up,
                                       const novita_call_opts *opts)
{
    upgrade_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!up)
        return novita_fail(c, r, "upgrade is required");
    if (!novita_api_require(c, id, "instance id", &r) || !novita_api_require(c, up->image_url, "image URL", &r))
        return r;
    body.id = id;
    body.up = up;
    return novita_api_action(c, "/gpu/instance/upgrade", write_upgrade, &body, opts);
}

static novita_result months_action(novita_client *c, const char *path, const char *id, int32_t months,
                                   const novita_call_opts *opts)
{
    months_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!novita_api_require(c, id, "instance id", &r))
        return r;
    if (months < 1)
        return novita_fail(c, r, "months must be at least 1");
    body.id = id;
    body.months = months;
    return novita_api_action(c, path, write_months, &body, opts);
}

novita_result novita_instances_renew(novita_client *c, const char *id, int32_t months, const novita_call_opts *opts)
{
    return months_action(c, "/gpu/instance/renewInstance", id, months, opts);
}

novita_result novita_instances_to_monthly(novita_client *c, const char *id, int32_t months,
                                          const novita_call_opts *opts)
{
    return months_action(c, "/gpu/instance/transToMonthlyInstance", id, months, opts);
}

novita_result novita_instances_set_auto_renew(novita_client *c, const char *const *ids, size_t id_count,
                                              bool auto_renew, int32_t months, const novita_call_opts *opts)
{
    auto_renew_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!ids || id_count == 0)
        return novita_fail(c, r, "at least one instance id is required");
    for (size_t i = 0; i < id_count; i++) {
        if (!novita_api_require(c, ids[i], "instance id", &r))
            return r;
    }
    body.ids = ids;
    body.count = id_count;
    body.on = auto_renew;
    body.months = months;
    return novita_api_action(c, "/gpu/instance/setAutoRenew", write_auto_renew, &body, opts);
}

novita_result novita_instances_set_auto_migrate(novita_client *c, const char *id, bool enable,
                                                bool migrate_system_disk, const novita_call_opts *opts)
{
    auto_migrate_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!novita_api_require(c, id, "instance id", &r))
        return r;
    body.id = id;
    body.on = enable;
    body.system_disk = migrate_system_disk;
    /* URL undocumented: a guess by analogy with setAutoRenew (REFERENCE 8.3.7). */
    return novita_api_action(c, "/gpu/instance/setAutoMigrate", write_auto_migrate, &body, opts);
}

novita_result novita_instances_metrics(novita_client *c, const char *id, const novita_metrics_query *q,
                                       novita_instance_metrics *out, const novita_call_opts *opts)
{
    novita_query_param query[4] = {
        { "instanceId", id, 0 }, { "startTime", NULL, 0 }, { "endTime", NULL, 0 }, { "interval", NULL, 0 },
    };
    /* Metrics live outside /gpu-instance (REFERENCE 8.4). */
    novita_request req = NOVITA_GET_REQUEST(NOVITA_NS_BASIC, "/metrics/gpu/instance", query, 4);
    if (q) {
        query[1].number = q->start_time;
        query[2].number = q->end_time;
        query[3].number = q->interval;
    }
    return novita_api_get(c, &req, &novita_instance_metrics_model, out, "output metrics are required", id,
                          "instance id", NULL, opts);
}

/* ------------------------------------------------------------------ waiting */

novita_result novita_instances_wait(novita_client *c, const char *id, novita_instance_status target,
                                    const novita_wait_opts *wait, novita_instance *out)
{
    uint32_t interval = wait && wait->poll_interval_ms ? wait->poll_interval_ms : 2000u;
    uint32_t timeout = wait && wait->timeout_ms ? wait->timeout_ms : 600000u;
    uint32_t start;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!out)
        return novita_fail(c, r, "output instance is required");
    if (!novita_api_require(c, id, "instance id", &r))
        return r;
    start = c->port->now_ms(c->port->ctx);
    for (;;) {
        uint32_t elapsed;
        r = novita_instances_get(c, id, out, NULL);
        elapsed = c->port->now_ms(c->port->ctx) - start;
        if (r == NOVITA_ERR_NOT_FOUND && target == NOVITA_INSTANCE_REMOVED)
            return NOVITA_OK; /* gone is as removed as it gets */
        if (r != NOVITA_OK)
            return r;
        if (wait && wait->progress && !wait->progress(wait->user, out, elapsed))
            return novita_fail(c, NOVITA_ERR_CANCELLED, "the progress callback stopped the wait");
        if (out->status == target && (!wait || wait->started_after <= 0 || out->last_started_at > wait->started_after))
            return NOVITA_OK;
        if (out->status_error.state[0] || out->status_error.message[0]) {
            (void)novita_copy_string(c->error.reason, sizeof(c->error.reason), out->status_error.state,
                                     novita_strlen(out->status_error.state));
            return novita_fail(c, NOVITA_ERR_INSTANCE_FAILED,
                               out->status_error.message[0] ? out->status_error.message : "instance failed");
        }
        if (elapsed >= timeout)
            return novita_fail(c, NOVITA_ERR_TIMEOUT, "instance did not reach the status in time");
        c->port->sleep_ms(c->port->ctx, timeout - elapsed < interval ? timeout - elapsed : interval);
    }
}

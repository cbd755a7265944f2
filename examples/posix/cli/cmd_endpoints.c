/* novita CLI: endpoints list|get|limits|create|update|delete (serverless), and `endpoints call` forwarded to
 * cmd_call.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "novita/endpoints.h"

const char cli_usage_endpoints[] =
    "  endpoints list [--page N] [--page-size N | --all]\n"
    "                 --all walks every page (100 per request) over one connection\n"
    "  endpoints get ID\n"
    "  endpoints limits\n"
    "  endpoints create --name S --image REF --product ID --port PORT --min N --max N --gpu-num N\n"
    "                 [--app-name S] [--free-timeout SEC] [--max-concurrent N] [--request-timeout SEC]\n"
    "                 [--policy queue|concurrency --policy-value N] [--rootfs GB]\n"
    "                 [--local-volume GB:/PATH | --network-volume ID:/PATH]... [--cluster ID]\n"
    "                 [--env KEY=VALUE]... [--health-path /P] [--command CMD] [--auth-id ID]\n"
    "                 prints the new id. Defaults: --free-timeout 60, --max-concurrent 1, policy queue\n"
    "                 with 60 s (concurrency needs --policy-value), --rootfs 100 and local volumes of\n"
    "                 30 GB (fixed by the docs), --health-path /health; limits shows the valid ranges\n"
    "  endpoints update ID [create's options except --app-name, --product, --rootfs]\n"
    "                 reads the endpoint, applies the options and sends its whole configuration (the API\n"
    "                 replaces everything); --port, --env and the volume options replace those lists\n"
    "  endpoints delete ID\n";

/* A novita_endpoint is about 27 KiB: static storage, never the stack. */
static novita_endpoint g_endpoint;
static novita_endpoint_limits g_limits;
static novita_endpoint_config_arrays g_arrays;

#define CLI_ALL_PAGE_SIZE 100u
#define CLI_MAX_ENDPOINT_ENVS 64u
#define CLI_VOLUME_TEXT_MAX 512u
#define CLI_DEFAULT_FREE_TIMEOUT 60
#define CLI_DEFAULT_MAX_CONCURRENT 1
#define CLI_DEFAULT_QUEUE_WAIT 60
#define CLI_DEFAULT_HEALTH_PATH "/health"

static const char *const policy_words[] = { "queue", "concurrency", NULL };

/* ------------------------------------------------------------------ shared helpers */

static const char *state_of(const novita_endpoint_state *s)
{
    return s->state[0] ? s->state : "unknown";
}

static size_t running_workers(const novita_endpoint *ep)
{
    size_t n = 0;
    for (size_t k = 0; k < ep->worker_count; k++)
        n += strcmp(ep->workers[k].state.state, "running") == 0;
    return n;
}

/* ------------------------------------------------------------------ list */

static novita_result on_endpoint(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_endpoint *ep = (const novita_endpoint *)item;
    char workers[48], range[48], policy[64];
    const char *row[7];
    (void)snprintf(workers, sizeof(workers), "%lu/%u", (unsigned long)running_workers(ep), (unsigned)ep->worker_total);
    (void)snprintf(range, sizeof(range), "%ld-%ld", (long)ep->worker_config.min_num, (long)ep->worker_config.max_num);
    (void)snprintf(policy, sizeof(policy), "%s %ld", ep->policy.type, (long)ep->policy.value);
    row[0] = ep->id;
    row[1] = ep->name;
    row[2] = state_of(&ep->state);
    row[3] = workers;
    row[4] = range;
    row[5] = ep->policy.type[0] ? policy : "";
    row[6] = ep->url;
    list_out_add(o, &novita_endpoint_model, ep, row);
    return NOVITA_OK;
}

static int endpoints_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "STATE", "RUNNING", "MIN-MAX", "POLICY", "URL" };
    novita_endpoint_filter f;
    page_args p = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_endpoint, on_endpoint, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT(page_option(argc, argv, &i, &p))
        return cli_usage_error("unexpected argument '%s' for 'endpoints list'", argv[i]);
    }
    /* --all: one endpoint in memory at a time */
    if ((code = page_check(&p, CLI_ALL_PAGE_SIZE, &f.page_num, &f.page_size, &list)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 7, headers);
    r = novita_endpoints_list(cli->client, &f, &list, NULL);
    return list_out_finish_paged(cli, &o, r, &list, "endpoints");
}

/* ------------------------------------------------------------------ get */

static void print_state(const novita_endpoint_state *s)
{
    if (s->error[0])
        kv("state:", "%s (error: %s)", state_of(s), s->error);
    else
        kv("state:", "%s", state_of(s));
    kv("state message:", "%s", s->message);
}

static void print_workers(const novita_endpoint *ep)
{
    size_t healthy = 0;
    for (size_t k = 0; k < ep->worker_count; k++)
        healthy += ep->workers[k].healthy;
    kv("workers:", "%u (%lu running, %lu healthy)", (unsigned)ep->worker_total, (unsigned long)running_workers(ep),
       (unsigned long)healthy);
    for (size_t k = 0; k < ep->worker_count; k++) {
        const novita_endpoint_worker *wk = &ep->workers[k];
        kv("", "%s %s%s%s%s%s%s", wk->id, state_of(&wk->state), wk->healthy ? " healthy" : " unhealthy",
           wk->state.error[0] ? ", error: " : "", wk->state.error, wk->state.message[0] ? ", " : "",
           wk->state.message);
    }
    if (ep->worker_total > ep->worker_count)
        kv("", "(%u more)", (unsigned)(ep->worker_total - ep->worker_count));
}

static void print_config(const novita_endpoint *ep)
{
    const novita_endpoint_worker_config *wc = &ep->worker_config;
    char timeout[48] = "";
    if (wc->request_timeout > 0)
        (void)snprintf(timeout, sizeof(timeout), ", request timeout %ld s", (long)wc->request_timeout);
    kv("scaling:", "min %ld, max %ld workers, %ld GPU%s each, idle timeout %ld s, %ld concurrent%s",
       (long)wc->min_num, (long)wc->max_num, (long)wc->gpu_num, wc->gpu_num == 1 ? "" : "s", (long)wc->free_timeout,
       (long)wc->max_concurrent, timeout);
    kv("cuda:", "%s", wc->cuda_version);
    if (ep->policy.type[0])
        kv("policy:", "%s %ld%s", ep->policy.type, (long)ep->policy.value,
           strcmp(ep->policy.type, "queue") == 0 ? " s" : "");
    kv("image:", "%s", ep->image.image);
    kv("image auth id:", "%s", ep->image.auth_id);
    kv("command:", "%s", ep->image.command);
    if (ep->rootfs_size)
        kv("rootfs:", "%ld GB", (long)ep->rootfs_size);
    for (size_t k = 0; k < ep->port_count; k++)
        kv(k ? "" : "ports:", "%ld", (long)ep->ports[k].port);
    for (size_t k = 0; k < ep->product_count; k++)
        kv(k ? "" : "products:", "%s", ep->products[k].id);
    kv_volumes(ep->volume_mounts, ep->volume_mount_count);
    kv_envs(ep->envs, ep->env_count, ep->env_total);
    if (ep->healthy.path[0])
        kv("health check:", "%s (delay %ld s, every %ld s, timeout %ld s, %ld ok / %ld failed)", ep->healthy.path,
           (long)ep->healthy.initial_delay, (long)ep->healthy.period, (long)ep->healthy.timeout,
           (long)ep->healthy.success_threshold, (long)ep->healthy.failure_threshold);
}

static void print_endpoint(const void *object)
{
    const novita_endpoint *ep = (const novita_endpoint *)object;
    kv("id:", "%s", ep->id);
    kv("name:", "%s", ep->name);
    kv("app name:", "%s", ep->app_name);
    print_state(&ep->state);
    kv("url:", "%s", ep->url);
    print_workers(ep);
    print_config(ep);
    kv("cluster:", "%s", ep->cluster_id);
    kv("log:", "%s", ep->log);
}

static int endpoints_get(cli_ctx *cli, int argc, char **argv)
{
    const char *id;
    novita_result r;
    int code;
    if (!start_with_id(cli, argc, argv, "endpoints get", "endpoint id", &id, &code))
        return code;
    r = novita_endpoints_get(cli->client, id, &g_endpoint, NULL);
    return print_object(cli, r, &novita_endpoint_model, &g_endpoint, print_endpoint);
}

/* ------------------------------------------------------------------ limits */

static void range(const char *key, int32_t lo, int32_t hi, const char *unit)
{
    kv(key, "%ld-%ld%s", (long)lo, (long)hi, unit);
}

static void print_limits(const void *object)
{
    const novita_endpoint_limits *l = (const novita_endpoint_limits *)object;
    char cuda[512];
    range("workers:", l->min_worker_num, l->max_worker_num, "");
    range("gpus per worker:", l->min_gpu_num, l->max_gpu_num, "");
    range("idle timeout:", l->min_free_timeout, l->max_free_timeout, " s");
    range("max concurrent:", l->min_concurrency_num, l->max_concurrency_num, "");
    range("queue wait:", l->min_queue_wait_time, l->max_queue_wait_time, " s (policy queue)");
    range("requests:", l->min_request_num, l->max_request_num, " (policy concurrency)");
    kv("rootfs:", "%ld-%ld GB (%ld GB free)", (long)l->min_rootfs_size, (long)l->max_rootfs_size,
       (long)l->free_rootfs_size);
    kv("local volume:", "%ld-%ld GB (%ld GB free)", (long)l->min_local_volume_size, (long)l->max_local_volume_size,
       (long)l->free_local_volume_size);
    kv("cuda versions:", "%s",
       join_strings(cuda, sizeof(cuda), l->cuda_versions[0], sizeof(l->cuda_versions[0]), l->cuda_version_count));
}

static int endpoints_limits(cli_ctx *cli, int argc, char **argv)
{
    novita_result r;
    int code;
    if (!start_no_args(cli, argc, argv, "endpoints limits", &code))
        return code;
    r = novita_endpoints_limits(cli->client, &g_limits, NULL);
    return print_object(cli, r, &novita_endpoint_limits_model, &g_limits, print_limits);
}

/* ------------------------------------------------------------------ create / update options */

/* The options of create and update as given: strings stay NULL and numbers -1 when absent (update tells
 * "" from absent: --command "" clears the command). */
typedef struct endpoint_args {
    const char *id; /* update */
    const char *name, *app_name, *image, *cluster, *health_path, *command, *auth_id, *policy;
    long long min_num, max_num, gpu_num, free_timeout, max_concurrent, request_timeout, policy_value, rootfs;
    int32_t ports[NOVITA_MAX_ENDPOINT_PORTS];
    size_t port_count;
    const char *products[NOVITA_MAX_ENDPOINT_PRODUCTS];
    size_t product_count;
    novita_endpoint_volume_spec volumes[NOVITA_MAX_ENDPOINT_VOLUMES];
    char volume_text[NOVITA_MAX_ENDPOINT_VOLUMES][CLI_VOLUME_TEXT_MAX];
    size_t volume_count;
    novita_env_spec envs[CLI_MAX_ENDPOINT_ENVS];
    size_t env_count;
} endpoint_args;

static endpoint_args g_args;

static void endpoint_args_init(endpoint_args *a)
{
    memset(a, 0, sizeof(*a));
    a->min_num = a->max_num = a->gpu_num = a->free_timeout = a->max_concurrent = -1;
    a->request_timeout = a->policy_value = a->rootfs = -1;
}

static int add_port(endpoint_args *a, const char *text)
{
    if (a->port_count >= NOVITA_MAX_ENDPOINT_PORTS)
        return cli_usage_error("at most %u --port options", (unsigned)NOVITA_MAX_ENDPOINT_PORTS);
    if (!parse_port(text, &a->ports[a->port_count]))
        return cli_usage_error("--port needs a port in 1-65535 except 2222-2224, not '%s'", text);
    a->port_count++;
    return CLI_EXIT_OK;
}

/* "--local-volume GB:/PATH" or "--network-volume ID:/PATH". */
static int add_volume(endpoint_args *a, const char *option, const char *value, bool local)
{
    novita_endpoint_volume_spec *v;
    char *text, *colon;
    long long size = 0;
    if (a->volume_count >= NOVITA_MAX_ENDPOINT_VOLUMES)
        return cli_usage_error("at most %u volume options", (unsigned)NOVITA_MAX_ENDPOINT_VOLUMES);
    if (strlen(value) >= CLI_VOLUME_TEXT_MAX)
        return cli_usage_error("%s value too long", option);
    text = a->volume_text[a->volume_count];
    strcpy(text, value);
    colon = strchr(text, ':');
    if (!colon || colon == text || !colon[1])
        return cli_usage_error("%s needs %s:/PATH, not '%s'", option, local ? "GB" : "ID", value);
    *colon = '\0';
    if (local && !parse_int(text, 1, 1000000, &size))
        return cli_usage_error("%s needs a size in GB before the colon, not '%s'", option, value);
    v = &a->volumes[a->volume_count++];
    v->type = local ? "local" : "network";
    v->size = (int32_t)size;
    v->id = local ? NULL : text;
    v->mount_path = colon + 1;
    return CLI_EXIT_OK;
}

/* Parse the options of create, or of update (update = true: the endpoint id is positional). */
static int parse_endpoint_args(cli_ctx *cli, int argc, char **argv, bool update, endpoint_args *a)
{
    const char *value;
    int m, code;
    endpoint_args_init(a);
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--name", a->name)
        CLI_OPT_STR("--app-name", a->app_name)
        CLI_OPT_STR("--image", a->image)
        CLI_OPT_STR("--cluster", a->cluster)
        CLI_OPT_STR("--health-path", a->health_path)
        CLI_OPT_STR("--command", a->command)
        CLI_OPT_STR("--auth-id", a->auth_id)
        CLI_OPT_STR("--policy", a->policy)
        CLI_OPT_INT("--min", 0, 100000, a->min_num)
        CLI_OPT_INT("--max", 1, 100000, a->max_num)
        CLI_OPT_INT("--gpu-num", 1, 64, a->gpu_num)
        CLI_OPT_INT("--free-timeout", 1, 604800, a->free_timeout)
        CLI_OPT_INT("--max-concurrent", 1, 100000, a->max_concurrent)
        CLI_OPT_INT("--request-timeout", 1, 604800, a->request_timeout)
        CLI_OPT_INT("--policy-value", 1, 1000000, a->policy_value)
        CLI_OPT_INT("--rootfs", 1, 1000000, a->rootfs)
        CLI_OPT_ADD("--port", add_port(a, value))
        CLI_OPT_ADD("--product",
                    add_value(a->products, &a->product_count, NOVITA_MAX_ENDPOINT_PRODUCTS, "--product", value, "an id"))
        CLI_OPT_ADD("--local-volume", add_volume(a, "--local-volume", value, true))
        CLI_OPT_ADD("--network-volume", add_volume(a, "--network-volume", value, false))
        CLI_OPT_ADD("--env", add_env(a->envs, &a->env_count, CLI_MAX_ENDPOINT_ENVS, value))
        if (!update)
            return cli_usage_error("unexpected argument '%s' for 'endpoints create'", argv[i]);
        if ((code = take_id(&a->id, argv[i], "endpoints update")) != CLI_EXIT_OK)
            return code;
    }
    if (a->policy && !one_of(a->policy, policy_words))
        return cli_usage_error("--policy must be queue or concurrency, not '%s'", a->policy);
    return CLI_EXIT_OK;
}

static int check_create_args(const endpoint_args *a)
{
    if (!a->name || !a->name[0])
        return cli_usage_error("endpoints create needs --name S");
    if (!a->image || !a->image[0])
        return cli_usage_error("endpoints create needs --image REF");
    if (a->product_count == 0)
        return cli_usage_error("endpoints create needs --product ID");
    if (a->port_count == 0)
        return cli_usage_error("endpoints create needs --port PORT");
    if (a->min_num < 0 || a->max_num < 0 || a->gpu_num < 0)
        return cli_usage_error("endpoints create needs --min N, --max N and --gpu-num N");
    if (a->min_num > a->max_num)
        return cli_usage_error("--min must not exceed --max");
    if (a->policy && strcmp(a->policy, "concurrency") == 0 && a->policy_value < 0)
        return cli_usage_error("--policy concurrency needs --policy-value N");
    return CLI_EXIT_OK;
}

static bool any_change(const endpoint_args *a)
{
    return a->name || a->image || a->cluster || a->health_path || a->command || a->auth_id || a->policy ||
           a->min_num >= 0 || a->max_num >= 0 || a->gpu_num >= 0 || a->free_timeout >= 0 ||
           a->max_concurrent >= 0 || a->request_timeout >= 0 || a->policy_value >= 0 || a->port_count ||
           a->volume_count || a->env_count;
}

static int check_update_args(const endpoint_args *a)
{
    if (!a->id)
        return cli_usage_error("missing endpoint id: endpoints update ID [options]");
    if (a->app_name || a->product_count || a->rootfs >= 0)
        return cli_usage_error("--app-name, --product and --rootfs are set at creation: the API's update "
                               "cannot change them");
    if (!any_change(a))
        return cli_usage_error("endpoints update needs at least one option to change");
    if (a->image && !a->image[0])
        return cli_usage_error("--image cannot be empty");
    return CLI_EXIT_OK;
}

/* Put the options given over q (update: the current configuration; create: the defaults). */
static void apply_args(const endpoint_args *a, novita_endpoint_config *q)
{
    if (a->name)
        q->name = a->name;
    if (a->app_name)
        q->app_name = a->app_name;
    if (a->cluster)
        q->cluster_id = a->cluster;
    if (a->image)
        q->image.image = a->image;
    if (a->auth_id)
        q->image.auth_id = a->auth_id;
    if (a->command)
        q->image.command = a->command;
    if (a->health_path)
        q->health_path = a->health_path;
    if (a->min_num >= 0)
        q->worker_config.min_num = (int32_t)a->min_num;
    if (a->max_num >= 0)
        q->worker_config.max_num = (int32_t)a->max_num;
    if (a->gpu_num >= 0)
        q->worker_config.gpu_num = (int32_t)a->gpu_num;
    if (a->free_timeout >= 0)
        q->worker_config.free_timeout = (int32_t)a->free_timeout;
    if (a->max_concurrent >= 0)
        q->worker_config.max_concurrent = (int32_t)a->max_concurrent;
    if (a->request_timeout >= 0)
        q->worker_config.request_timeout = (int32_t)a->request_timeout;
    if (a->policy)
        q->policy.type = a->policy;
    if (a->policy_value >= 0)
        q->policy.value = (int32_t)a->policy_value;
    if (a->rootfs >= 0)
        q->rootfs_size = (int32_t)a->rootfs;
    if (a->port_count) {
        q->ports = a->ports;
        q->port_count = a->port_count;
    }
    if (a->product_count) {
        q->product_ids = a->products;
        q->product_count = a->product_count;
    }
    if (a->volume_count) {
        q->volume_mounts = a->volumes;
        q->volume_mount_count = a->volume_count;
    }
    if (a->env_count) {
        q->envs = a->envs;
        q->env_count = a->env_count;
    }
}

/* ------------------------------------------------------------------ create */

static int endpoints_create(cli_ctx *cli, int argc, char **argv)
{
    endpoint_args *a = &g_args;
    novita_endpoint_config q;
    char id[NOVITA_ID_MAX];
    novita_result r;
    int code;
    if ((code = parse_endpoint_args(cli, argc, argv, false, a)) != CLI_EXIT_OK)
        return code;
    if ((code = check_create_args(a)) != CLI_EXIT_OK)
        return code;
    memset(&q, 0, sizeof(q));
    q.worker_config.free_timeout = CLI_DEFAULT_FREE_TIMEOUT;
    q.worker_config.max_concurrent = CLI_DEFAULT_MAX_CONCURRENT;
    q.policy.type = "queue";
    q.policy.value = CLI_DEFAULT_QUEUE_WAIT;
    q.health_path = CLI_DEFAULT_HEALTH_PATH;
    apply_args(a, &q);
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_endpoints_create(cli->client, &q, id, sizeof(id), NULL);
    return print_new_id(cli, r, "id", id);
}

/* ------------------------------------------------------------------ update */

static int endpoints_update(cli_ctx *cli, int argc, char **argv)
{
    endpoint_args *a = &g_args;
    novita_endpoint_config q;
    novita_result r;
    int code;
    if ((code = parse_endpoint_args(cli, argc, argv, true, a)) != CLI_EXIT_OK)
        return code;
    if ((code = check_update_args(a)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    /* The API replaces the whole configuration: start from the current one, change what was asked. */
    r = novita_endpoints_get(cli->client, a->id, &g_endpoint, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (novita_endpoint_config_from(&g_endpoint, &q, &g_arrays) != NOVITA_OK) {
        fprintf(stderr, "novita: error: endpoint %s has more ports, volumes, variables or products than this "
                        "build keeps; updating it would drop some\n", a->id);
        return CLI_EXIT_BUFFER;
    }
    apply_args(a, &q);
    r = novita_endpoints_update(cli->client, a->id, &q, NULL);
    return print_done(cli, r, a->id, NULL, "updated");
}

/* ------------------------------------------------------------------ delete */

static int endpoints_delete(cli_ctx *cli, int argc, char **argv)
{
    return run_id_action(cli, argc, argv, "endpoints delete", "endpoint id", novita_endpoints_delete, "deleted");
}

/* ------------------------------------------------------------------ dispatch */

int cmd_endpoints(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", endpoints_list },
        { "get", endpoints_get },
        { "limits", endpoints_limits },
        { "create", endpoints_create },
        { "update", endpoints_update },
        { "delete", endpoints_delete },
        { "call", cmd_endpoints_call },
    };
    return run_command(cli, "endpoints", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

/* novita CLI: instances list|get|create|start|stop|restart|delete|migrate|edit|upgrade|renew|to-monthly|
 * auto-renew|auto-migrate|wait|metrics. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char cli_usage_instances[] =
    "  instances list [--status S] [--name S] [--product S] [--page N] [--page-size N | --all]\n"
    "                 --all walks every page (100 per request) over one connection\n"
    "  instances get ID\n"
    "  instances create --product ID --image URL [--name S] [--gpu-num N] [--rootfs GB] [--cluster ID]\n"
    "                 [--port PORT[/http|tcp]]... [--env KEY=VALUE]... [--command CMD] [--kind gpu|cpu]\n"
    "                 [--billing onDemand|monthly|spot] [--image-auth-id ID]\n"
    "                 [--network-storage ID[:MOUNTPATH]]... [--wait [--wait-timeout SEC]]\n"
    "                 prints the new id; with --wait, the instance once it is running; a port without\n"
    "                 /http or /tcp is tcp\n"
    "  instances start|stop|restart|delete|migrate ID [--wait [--wait-timeout SEC]]\n"
    "                 --wait waits for running|exited|running|removed|running respectively (after\n"
    "                 restart and migrate: running again, with a new start time)\n"
    "  instances edit ID [--port PORT[/http|tcp]]... [--expand-disk GB]\n"
    "  instances upgrade ID --image URL [--image-auth-id ID] [--env KEY=VALUE]... [--command CMD]\n"
    "                 [--entrypoint CMD] [--save] [--network-storage ID[:MOUNTPATH]]...\n"
    "                 replaces image, envs and mounts (those not given are removed); --save keeps the data\n"
    "  instances renew ID --months N          adds N months to a monthly instance\n"
    "  instances to-monthly ID --months N     converts pay-as-you-go to monthly billing\n"
    "  instances auto-renew ID... --on [--months N] | --off   (N: 1-12, default 1)\n"
    "  instances auto-migrate ID --on [--system-disk] | --off\n"
    "                 the URL of this call is not documented: novita-c uses /gpu/instance/setAutoMigrate\n"
    "  instances wait ID [--status running|exited|removed] [--timeout SEC]   (default running, 600 s)\n"
    "  instances metrics ID\n";

/* The model structs are large (~10 KiB each): static storage, never the stack. */
static novita_instance g_instance;
static novita_instance_metrics g_metrics;

#define CLI_MAX_ENVS 64u
#define CLI_MAX_STORAGES 16u
#define CLI_MAX_IDS 64u
#define CLI_ALL_PAGE_SIZE 100u
#define CLI_POLL_MS 1000u
#define CLI_WAIT_DEFAULT_S 600

static const char *const billing_words[] = { "onDemand", "monthly", "spot", NULL };
static const char *const kind_words[] = { "gpu", "cpu", NULL };

/* ------------------------------------------------------------------ shared helpers */

/* --wait and --wait-timeout SEC of create and the actions. */
typedef struct wait_args {
    bool wait;
    bool timeout_set;
    long long timeout_s;
} wait_args;

/* 1: argv[*i] was a wait option (consumed), -1: usage error (reported), 0: not a wait option. */
static int wait_option(int argc, char **argv, int *i, wait_args *w)
{
    int m;
    if (strcmp(argv[*i], "--wait") == 0) {
        w->wait = true;
        return 1;
    }
    m = opt_int(argc, argv, i, "--wait-timeout", 1, 86400, &w->timeout_s);
    if (m > 0)
        w->timeout_set = true;
    return m;
}

static int wait_args_check(const wait_args *w)
{
    return w->timeout_set && !w->wait ? cli_usage_error("--wait-timeout needs --wait") : CLI_EXIT_OK;
}

/* "PORT[/http|tcp]" -> spec (type defaults to tcp). */
static bool parse_port_spec(const char *text, novita_port_spec *out)
{
    char number[8];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (n == 0 || n >= sizeof(number))
        return false;
    memcpy(number, text, n);
    number[n] = '\0';
    if (!parse_port(number, &out->port))
        return false;
    out->type = slash ? slash + 1 : "tcp";
    return strcmp(out->type, "http") == 0 || strcmp(out->type, "tcp") == 0;
}

static int add_port(novita_port_spec *ports, size_t *count, const char *text)
{
    if (*count >= NOVITA_MAX_PORTS)
        return cli_usage_error("at most %u --port options", (unsigned)NOVITA_MAX_PORTS);
    if (!parse_port_spec(text, &ports[*count]))
        return cli_usage_error("--port needs PORT, PORT/http or PORT/tcp with PORT in 1-65535 except 2222-2224, "
                               "not '%s'", text);
    (*count)++;
    return CLI_EXIT_OK;
}

/* "--network-storage ID[:MOUNTPATH]": split in place (argv is writable); no path = the API's default. */
static int add_storage(novita_storage_mount_spec *mounts, size_t *count, const char *value)
{
    char *text = (char *)(uintptr_t)value, *colon = strchr(text, ':');
    if (*count >= CLI_MAX_STORAGES)
        return cli_usage_error("at most %u --network-storage options", (unsigned)CLI_MAX_STORAGES);
    if (colon)
        *colon = '\0';
    if (!text[0])
        return cli_usage_error("--network-storage needs ID[:MOUNTPATH], not '%s'", value);
    mounts[*count].id = text;
    mounts[*count].mount_path = colon && colon[1] ? colon + 1 : NULL;
    (*count)++;
    return CLI_EXIT_OK;
}

static const char *status_of(const novita_instance *inst)
{
    return inst->status_text[0] ? inst->status_text : "unknown";
}

/* ------------------------------------------------------------------ the instance as text */

static void print_instance(const void *object)
{
    const novita_instance *in = (const novita_instance *)object;
    char buf[NOVITA_NAME_MAX + NOVITA_ID_MAX + 4], buf2[64];
    if (in->status_error.state[0] || in->status_error.message[0])
        kv("status:", "%s (error: %s%s%s)", status_of(in), in->status_error.state,
           in->status_error.state[0] && in->status_error.message[0] ? ": " : "", in->status_error.message);
    kv("id:", "%s", in->id);
    kv("name:", "%s", in->name);
    if (!(in->status_error.state[0] || in->status_error.message[0]))
        kv("status:", "%s", status_of(in));
    kv("product:", "%s", name_and_id(buf, sizeof(buf), in->product_name, in->product_id));
    kv("kind:", "%s", in->kind);
    if (in->gpu_num)
        kv("gpus:", "%ld", (long)in->gpu_num);
    if (in->cpu_num)
        kv("cpus:", "%ld", (long)in->cpu_num);
    if (in->memory)
        kv("memory:", "%ld GB", (long)in->memory);
    if (in->rootfs_size)
        kv("rootfs:", "%ld GB", (long)in->rootfs_size);
    kv("cluster:", "%s", name_and_id(buf, sizeof(buf), in->cluster_name, in->cluster_id));
    kv("image:", "%s", in->image_url);
    kv("image auth id:", "%s", in->image_auth_id);
    kv("command:", "%s", in->command);
    kv("entrypoint:", "%s", in->entrypoint);
    kv("billing:", "%s", in->billing_mode_text);
    if (in->end_time > 0)
        kv("ends:", "%s", format_time(buf, sizeof(buf), in->end_time));
    kv("spot status:", "%s", in->spot_status);
    if (in->spot_reclaim_time > 0)
        kv("spot reclaim:", "%s", format_time(buf, sizeof(buf), in->spot_reclaim_time));
    for (size_t k = 0; k < in->port_mapping_count; k++) {
        const novita_port_mapping *p = &in->port_mappings[k];
        kv(k ? "" : "ports:", "%ld/%s%s%s", (long)p->port, p->type, p->endpoint[0] ? " -> " : "", p->endpoint);
    }
    if (in->port_mapping_total > in->port_mapping_count)
        kv("", "(%u more)", (unsigned)(in->port_mapping_total - in->port_mapping_count));
    kv_volumes(in->volume_mounts, in->volume_mount_count);
    kv_envs(in->envs, in->env_count, in->env_total);
    /* Connection details without their passwords (--json shows everything the API returned). */
    kv("ssh:", "%s", in->connect_ssh.ssh_command);
    if (in->connect_web_terminal.address[0])
        kv("web terminal:", "%s%s%s", in->connect_web_terminal.address,
           in->connect_web_terminal.username[0] ? " user " : "", in->connect_web_terminal.username);
    kv("jupyter:", "%s", in->connect_jupyter.address);
    kv("system log:", "%s", in->connect_log.system_log_address);
    kv("instance log:", "%s", in->connect_log.instance_log_address);
    if (in->network.id[0] || in->network.ip[0])
        kv("network:", "%s%s%s", in->network.id, in->network.id[0] && in->network.ip[0] ? " " : "", in->network.ip);
    for (size_t k = 0; k < in->job_count; k++)
        kv(k ? "" : "jobs:", "%s %s", in->jobs[k].type, in->jobs[k].id);
    kv("created:", "%s", format_time(buf, sizeof(buf), in->created_at));
    kv("last started:", "%s", format_time(buf, sizeof(buf), in->last_started_at));
    kv("last stopped:", "%s", format_time(buf2, sizeof(buf2), in->last_stopped_at));
}

/* ------------------------------------------------------------------ waiting */

/* Wait for `target` with progress on stderr. The last state is in g_instance (zeroed when gone). */
static novita_result wait_for(cli_ctx *cli, const char *id, novita_instance_status target, long long timeout_s,
                              int64_t started_after)
{
    wait_progress_state st;
    novita_wait_opts w;
    novita_result r;
    wait_progress_init(&st, id);
    memset(&w, 0, sizeof(w));
    w.poll_interval_ms = CLI_POLL_MS;
    w.timeout_ms = (uint32_t)(timeout_s * 1000);
    w.progress = wait_progress;
    w.user = &st;
    w.started_after = started_after;
    r = novita_instances_wait(cli->client, id, target, &w, &g_instance);
    wait_progress_end(&st);
    return r;
}

/* ------------------------------------------------------------------ list */

static novita_result on_instance(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_instance *in = (const novita_instance *)item;
    char gpus[16];
    const char *row[6];
    (void)snprintf(gpus, sizeof(gpus), "%ld", (long)in->gpu_num);
    row[0] = in->id;
    row[1] = in->name;
    row[2] = status_of(in);
    row[3] = in->product_name[0] ? in->product_name : in->product_id;
    row[4] = in->gpu_num ? gpus : "-";
    row[5] = in->cluster_name[0] ? in->cluster_name : in->cluster_id;
    list_out_add(o, &novita_instance_model, in, row);
    return NOVITA_OK;
}

static int instances_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "STATUS", "PRODUCT", "GPUS", "CLUSTER" };
    novita_instance_filter f;
    page_args p = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_instance, on_instance, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--status", f.status)
        CLI_OPT_STR("--name", f.name)
        CLI_OPT_STR("--product", f.product_name)
        CLI_OPT(page_option(argc, argv, &i, &p))
        return cli_usage_error("unexpected argument '%s' for 'instances list'", argv[i]);
    }
    /* --all: the library walks every page; callback mode keeps one decoded instance in memory at a time. */
    if ((code = page_check(&p, CLI_ALL_PAGE_SIZE, &f.page_num, &f.page_size, &list)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 6, headers);
    r = novita_instances_list(cli->client, &f, &list, NULL);
    return list_out_finish_paged(cli, &o, r, &list, "instances");
}

/* ------------------------------------------------------------------ get */

static int instances_get(cli_ctx *cli, int argc, char **argv)
{
    const char *id;
    novita_result r;
    int code;
    if (!start_with_id(cli, argc, argv, "instances get", "instance id", &id, &code))
        return code;
    r = novita_instances_get(cli->client, id, &g_instance, NULL);
    return print_object(cli, r, &novita_instance_model, &g_instance, print_instance);
}

/* ------------------------------------------------------------------ create */

static int instances_create(cli_ctx *cli, int argc, char **argv)
{
    static novita_port_spec ports[NOVITA_MAX_PORTS];
    static novita_env_spec envs[CLI_MAX_ENVS];
    static novita_storage_mount_spec storages[CLI_MAX_STORAGES];
    novita_instance_create q;
    long long gpu_num = 0, rootfs = 0;
    wait_args w = { false, false, CLI_WAIT_DEFAULT_S };
    const char *value;
    char id[NOVITA_ID_MAX];
    novita_result r;
    int m, code;
    memset(&q, 0, sizeof(q));
    q.ports = ports;
    q.envs = envs;
    q.network_storages = storages;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--product", q.product_id)
        CLI_OPT_STR("--image", q.image_url)
        CLI_OPT_STR("--name", q.name)
        CLI_OPT_STR("--cluster", q.cluster_id)
        CLI_OPT_STR("--command", q.command)
        CLI_OPT_STR("--kind", q.kind)
        CLI_OPT_STR("--billing", q.billing_mode)
        CLI_OPT_STR("--image-auth-id", q.image_auth_id)
        CLI_OPT_INT("--gpu-num", 1, 8, gpu_num)
        CLI_OPT_INT("--rootfs", 1, 1000000, rootfs)
        CLI_OPT(wait_option(argc, argv, &i, &w))
        CLI_OPT_ADD("--port", add_port(ports, &q.port_count, value))
        CLI_OPT_ADD("--env", add_env(envs, &q.env_count, CLI_MAX_ENVS, value))
        CLI_OPT_ADD("--network-storage", add_storage(storages, &q.network_storage_count, value))
        return cli_usage_error("unexpected argument '%s' for 'instances create'", argv[i]);
    }
    if (!q.product_id || !q.product_id[0])
        return cli_usage_error("instances create needs --product ID");
    if (!q.image_url || !q.image_url[0])
        return cli_usage_error("instances create needs --image URL");
    if (q.kind && !one_of(q.kind, kind_words))
        return cli_usage_error("--kind must be gpu or cpu, not '%s'", q.kind);
    if (q.billing_mode && !one_of(q.billing_mode, billing_words))
        return cli_usage_error("--billing must be onDemand, monthly or spot, not '%s'", q.billing_mode);
    if ((code = wait_args_check(&w)) != CLI_EXIT_OK)
        return code;
    q.gpu_num = (int32_t)gpu_num;
    q.rootfs_size = (int32_t)rootfs;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_instances_create(cli->client, &q, id, sizeof(id), NULL);
    if (r != NOVITA_OK || !w.wait)
        return print_new_id(cli, r, "id", id);
    /* Progress (stderr) names the new id first, so a failed or interrupted wait still tells which instance
     * exists now; the error itself stays one line. */
    fprintf(stderr, "created %s, waiting for it to run\n", id);
    r = wait_for(cli, id, NOVITA_INSTANCE_RUNNING, w.timeout_s, 0);
    return print_object(cli, r, &novita_instance_model, &g_instance, print_instance);
}

/* ------------------------------------------------------------------ actions */

typedef novita_result (*action_fn)(novita_client *, const char *, const novita_call_opts *);

typedef struct action_def {
    const char *name;
    action_fn fn;
    novita_instance_status target; /* what --wait waits for */
    const char *done;              /* text after success without --wait */
    bool restarts;                 /* the instance is already `target` before: wait for a new start */
} action_def;

static const action_def actions[] = {
    { "start", novita_instances_start, NOVITA_INSTANCE_RUNNING, "start requested", false },
    { "stop", novita_instances_stop, NOVITA_INSTANCE_EXITED, "stop requested", false },
    { "restart", novita_instances_restart, NOVITA_INSTANCE_RUNNING, "restart requested", true },
    { "delete", novita_instances_delete, NOVITA_INSTANCE_REMOVED, "delete requested", false },
    { "migrate", novita_instances_migrate, NOVITA_INSTANCE_RUNNING, "migration requested", true },
};

static int instances_action(cli_ctx *cli, const action_def *a, int argc, char **argv)
{
    const char *id = NULL;
    wait_args w = { false, false, CLI_WAIT_DEFAULT_S };
    char command[32];
    int64_t started_after;
    novita_result r;
    int m, code;
    (void)snprintf(command, sizeof(command), "instances %s", a->name);
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT(wait_option(argc, argv, &i, &w))
        if ((code = take_id(&id, argv[i], command)) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing instance id: %s ID", command);
    if ((code = wait_args_check(&w)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    if (w.wait && a->restarts) { /* remember the current start, so the wait sees the new one */
        r = novita_instances_get(cli->client, id, &g_instance, NULL);
        if (r != NOVITA_OK)
            return cli_fail(cli, r);
    }
    started_after = w.wait && a->restarts ? g_instance.last_started_at : 0;
    r = a->fn(cli->client, id, NULL);
    if (r != NOVITA_OK || !w.wait)
        return print_done(cli, r, id, NULL, a->done);
    r = wait_for(cli, id, a->target, w.timeout_s, started_after);
    return print_done(cli, r, id, g_instance.id[0] ? status_of(&g_instance) : novita_instance_status_name(a->target),
                      NULL);
}

static int instances_start(cli_ctx *cli, int argc, char **argv)
{
    return instances_action(cli, &actions[0], argc, argv);
}

static int instances_stop(cli_ctx *cli, int argc, char **argv)
{
    return instances_action(cli, &actions[1], argc, argv);
}

static int instances_restart(cli_ctx *cli, int argc, char **argv)
{
    return instances_action(cli, &actions[2], argc, argv);
}

static int instances_delete(cli_ctx *cli, int argc, char **argv)
{
    return instances_action(cli, &actions[3], argc, argv);
}

static int instances_migrate(cli_ctx *cli, int argc, char **argv)
{
    return instances_action(cli, &actions[4], argc, argv);
}

/* ------------------------------------------------------------------ edit */

static int instances_edit(cli_ctx *cli, int argc, char **argv)
{
    static novita_port_spec ports[NOVITA_MAX_PORTS];
    novita_instance_edit e;
    const char *id = NULL, *value;
    long long expand = 0;
    novita_result r;
    int m, code;
    memset(&e, 0, sizeof(e));
    e.ports = ports;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_INT("--expand-disk", 1, 1000000, expand)
        CLI_OPT_ADD("--port", add_port(ports, &e.port_count, value))
        if ((code = take_id(&id, argv[i], "instances edit")) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing instance id: instances edit ID");
    if (e.port_count == 0 && expand == 0)
        return cli_usage_error("instances edit needs --port or --expand-disk");
    e.expand_root_disk = (int32_t)expand;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_instances_edit(cli->client, id, &e, NULL);
    return print_done(cli, r, id, NULL, "edited");
}

/* ------------------------------------------------------------------ upgrade */

static int instances_upgrade(cli_ctx *cli, int argc, char **argv)
{
    static novita_env_spec envs[CLI_MAX_ENVS];
    static novita_storage_mount_spec mounts[CLI_MAX_STORAGES];
    novita_instance_upgrade u;
    const char *id = NULL, *value;
    novita_result r;
    int m, code;
    memset(&u, 0, sizeof(u));
    u.envs = envs;
    u.volume_mounts = mounts;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--image", u.image_url)
        CLI_OPT_STR("--image-auth-id", u.image_auth_id)
        CLI_OPT_STR("--command", u.command)
        CLI_OPT_STR("--entrypoint", u.entrypoint)
        if (strcmp(argv[i], "--save") == 0) {
            u.save = true;
            continue;
        }
        CLI_OPT_ADD("--env", add_env(envs, &u.env_count, CLI_MAX_ENVS, value))
        CLI_OPT_ADD("--network-storage", add_storage(mounts, &u.volume_mount_count, value))
        if ((code = take_id(&id, argv[i], "instances upgrade")) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing instance id: instances upgrade ID --image URL");
    if (!u.image_url || !u.image_url[0])
        return cli_usage_error("instances upgrade needs --image URL");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_instances_upgrade(cli->client, id, &u, NULL);
    return print_done(cli, r, id, NULL, "upgrade requested");
}

/* ------------------------------------------------------------------ subscriptions */

/* renew ID --months N | to-monthly ID --months N (`command` is the full text, e.g. "instances renew") */
static int instances_months(cli_ctx *cli, int argc, char **argv, const char *command, const char *done,
                            novita_result (*fn)(novita_client *, const char *, int32_t, const novita_call_opts *))
{
    const char *id = NULL;
    long long months = 0;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_INT("--months", 1, 36, months)
        if ((code = take_id(&id, argv[i], command)) != CLI_EXIT_OK)
            return code;
    }
    if (!id || months == 0)
        return cli_usage_error("usage: %s ID --months N", command);
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = fn(cli->client, id, (int32_t)months, NULL);
    return print_done(cli, r, id, NULL, done);
}

static int instances_renew(cli_ctx *cli, int argc, char **argv)
{
    return instances_months(cli, argc, argv, "instances renew", "renewed", novita_instances_renew);
}

static int instances_to_monthly(cli_ctx *cli, int argc, char **argv)
{
    return instances_months(cli, argc, argv, "instances to-monthly", "converted to monthly billing",
                            novita_instances_to_monthly);
}

/* --on / --off: exactly one. */
static int on_off(const char *arg, int *state)
{
    int value = strcmp(arg, "--on") == 0 ? 1 : strcmp(arg, "--off") == 0 ? 0 : -1;
    if (value < 0)
        return 0;
    if (*state >= 0 && *state != value)
        return -1;
    *state = value;
    return 1;
}

/* auto-renew ID... --on [--months N] | --off */
static int instances_auto_renew(cli_ctx *cli, int argc, char **argv)
{
    static const char *ids[CLI_MAX_IDS];
    size_t id_count = 0;
    long long months = 1;
    int state = -1, m, code;
    novita_result r;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_INT("--months", 1, 12, months)
        if ((m = on_off(argv[i], &state)) != 0) {
            if (m < 0)
                return cli_usage_error("give --on or --off, not both");
            continue;
        }
        if ((code = add_id(ids, &id_count, CLI_MAX_IDS, argv[i], "instances auto-renew", "instance ids")) !=
            CLI_EXIT_OK)
            return code;
    }
    if (id_count == 0 || state < 0)
        return cli_usage_error("usage: instances auto-renew ID... --on [--months N] | --off");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_instances_set_auto_renew(cli->client, ids, id_count, state == 1, (int32_t)months, NULL);
    return print_ids_done(cli, r, ids, id_count, state ? "auto-renew on" : "auto-renew off");
}

/* auto-migrate ID --on [--system-disk] | --off */
static int instances_auto_migrate(cli_ctx *cli, int argc, char **argv)
{
    const char *id = NULL;
    bool system_disk = false;
    int state = -1, m, code;
    novita_result r;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        if (strcmp(argv[i], "--system-disk") == 0) {
            system_disk = true;
            continue;
        }
        if ((m = on_off(argv[i], &state)) != 0) {
            if (m < 0)
                return cli_usage_error("give --on or --off, not both");
            continue;
        }
        if ((code = take_id(&id, argv[i], "instances auto-migrate")) != CLI_EXIT_OK)
            return code;
    }
    if (!id || state < 0)
        return cli_usage_error("usage: instances auto-migrate ID --on [--system-disk] | --off");
    if (system_disk && state == 0)
        return cli_usage_error("--system-disk goes with --on");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_instances_set_auto_migrate(cli->client, id, state == 1, system_disk, NULL);
    return print_done(cli, r, id, NULL, state ? "auto-migrate on" : "auto-migrate off");
}

/* ------------------------------------------------------------------ wait */

static int instances_wait(cli_ctx *cli, int argc, char **argv)
{
    static const char *const targets[] = { "running", "exited", "removed", NULL };
    const char *id = NULL, *status = "running";
    long long timeout = CLI_WAIT_DEFAULT_S;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--status", status)
        CLI_OPT_INT("--timeout", 1, 86400, timeout)
        if ((code = take_id(&id, argv[i], "instances wait")) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing instance id: instances wait ID");
    if (!one_of(status, targets))
        return cli_usage_error("--status must be running, exited or removed, not '%s'", status);
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = wait_for(cli, id, novita_instance_status_parse(status), timeout, 0);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json && g_instance.id[0])
        return print_model_json(&novita_instance_model, &g_instance); /* has "id" and "status" too */
    if (cli->json) { /* removed and gone */
        print_id_json(id, "removed", false);
        return CLI_EXIT_OK;
    }
    printf("%s: %s\n", id, g_instance.id[0] ? status_of(&g_instance) : status);
    return CLI_EXIT_OK;
}

/* ------------------------------------------------------------------ metrics */

/* Thousandths of a percent as "37.5%". */
static const char *percent(char *buf, size_t size, int64_t milli)
{
    char num[32];
    (void)snprintf(buf, size, "%s%%", format_milli(num, sizeof(num), milli));
    return buf;
}

static void metric_row(table *t, const char *series, const novita_metric_point *points, size_t count,
                       size_t total)
{
    char n[48], latest[40], avg[40], max[40], when[64];
    const char *row[6];
    int64_t sum = 0, hi = 0;
    for (size_t k = 0; k < count; k++) {
        sum += points[k].value_milli;
        if (k == 0 || points[k].value_milli > hi)
            hi = points[k].value_milli;
    }
    if (total > count)
        (void)snprintf(n, sizeof(n), "%lu of %lu", (unsigned long)count, (unsigned long)total);
    else
        (void)snprintf(n, sizeof(n), "%lu", (unsigned long)count);
    row[0] = series;
    row[1] = n;
    row[2] = count ? percent(latest, sizeof(latest), points[count - 1].value_milli) : "-";
    row[3] = count ? percent(avg, sizeof(avg), sum / (int64_t)count) : "-";
    row[4] = count ? percent(max, sizeof(max), hi) : "-";
    row[5] = count ? format_time(when, sizeof(when), points[count - 1].timestamp) : "-";
    table_add(t, row);
}

static void gpu_metric_rows(table *t, const char *label, const novita_gpu_metrics *g)
{
    char name[160];
    (void)snprintf(name, sizeof(name), "%s (avg)", label);
    metric_row(t, name, g->avg, g->avg_count, g->avg_total);
    for (size_t k = 0; k < g->gpu_count; k++) {
        (void)snprintf(name, sizeof(name), "%s %s", label, g->gpus[k].gpu_id);
        metric_row(t, name, g->gpus[k].items, g->gpus[k].item_count, g->gpus[k].item_total);
    }
}

static void print_metrics(const void *object)
{
    static const char *const headers[] = { "SERIES", "POINTS", "LATEST", "AVERAGE", "MAX", "LATEST AT" };
    const novita_instance_metrics *g = (const novita_instance_metrics *)object;
    table t;
    table_init(&t, 6, headers);
    metric_row(&t, "cpu", g->cpu, g->cpu_count, g->cpu_total);
    metric_row(&t, "memory", g->memory, g->memory_count, g->memory_total);
    metric_row(&t, "root disk", g->root_disk, g->root_disk_count, g->root_disk_total);
    gpu_metric_rows(&t, "gpu", &g->gpu);
    gpu_metric_rows(&t, "gpu memory", &g->gpu_memory);
    table_print(&t);
}

static int instances_metrics(cli_ctx *cli, int argc, char **argv)
{
    const char *id;
    novita_result r;
    int code;
    if (!start_with_id(cli, argc, argv, "instances metrics", "instance id", &id, &code))
        return code;
    r = novita_instances_metrics(cli->client, id, NULL, &g_metrics, NULL);
    return print_object(cli, r, &novita_instance_metrics_model, &g_metrics, print_metrics);
}

/* ------------------------------------------------------------------ dispatch */

int cmd_instances(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", instances_list },
        { "get", instances_get },
        { "create", instances_create },
        { "start", instances_start },
        { "stop", instances_stop },
        { "restart", instances_restart },
        { "delete", instances_delete },
        { "migrate", instances_migrate },
        { "edit", instances_edit },
        { "upgrade", instances_upgrade },
        { "renew", instances_renew },
        { "to-monthly", instances_to_monthly },
        { "auto-renew", instances_auto_renew },
        { "auto-migrate", instances_auto_migrate },
        { "wait", instances_wait },
        { "metrics", instances_metrics },
    };
    return run_command(cli, "instances", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

/* novita CLI: jobs list|break, images save, prewarm list|quota|create|edit|delete. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "novita/jobs.h"
#include "novita/prewarm.h"

const char cli_usage_jobs[] =
    "  jobs list [--type saveImage|instanceMigrate|autoInstanceMigrate] [--state S] [--id JOB]\n"
    "            [--page N] [--page-size N | --all]\n"
    "                 --all walks every page (20 per request) over one connection\n"
    "  jobs break ID\n"
    "  images save INSTANCE_ID --image REF [--registry-auth ID]\n"
    "                 prints the id of the saveImage job (follow it with 'jobs list --id JOB')\n"
    "  prewarm list [--state Pending|Running|Succeeded|Failed] [--cluster ID] [--name S] [--page N]\n"
    "               [--page-size N | --all]\n"
    "  prewarm quota\n"
    "  prewarm create --image URL --cluster ID [--registry-auth ID] [--product ID]... [--note S]\n"
    "                 prints the new id\n"
    "  prewarm edit ID --note S\n"
    "  prewarm delete ID...   (all ids in one request)\n";

/* One element each: lists run in callback mode, so the library decodes every element into these. */
static novita_job g_job;
static novita_prewarm_task g_task;

/* --all: jobs and prewarm tasks are few and small; modest pages keep each response short. */
#define CLI_ALL_PAGE_SIZE 20u
#define CLI_MAX_PRODUCTS 64u
#define CLI_MAX_IDS 256u

static const char *const job_types[] = { "saveImage", "instanceMigrate", "autoInstanceMigrate", NULL };

/* ------------------------------------------------------------------ shared helpers */

/* take_id, except that an option-like word is an unknown option even after the argument (take_id calls it
 * an unexpected argument there). */
static int take_arg(const char **dst, const char *arg, const char *command)
{
    int code = reject_option(arg, command);
    return code != CLI_EXIT_OK ? code : take_id(dst, arg, command);
}

/* Bytes as "72.3 MB" / "6.30 GB" (decimal units, as registries report image sizes). */
static const char *format_bytes(char *buf, size_t size, int64_t bytes)
{
    static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
    double v = (double)bytes;
    size_t u = 0;
    if (bytes <= 0) {
        (void)snprintf(buf, size, "-");
        return buf;
    }
    while (v >= 1000.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
        v /= 1000.0;
        u++;
    }
    (void)snprintf(buf, size, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

/* ------------------------------------------------------------------ jobs */

static novita_result on_job(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_job *j = (const novita_job *)item;
    char created[64];
    const char *row[6];
    row[0] = j->id;
    row[1] = j->type;
    row[2] = j->state.state;
    row[3] = j->instance_id;
    row[4] = format_time(created, sizeof(created), j->created_at);
    row[5] = j->state.error_message[0] ? j->state.error_message : j->state.error;
    list_out_add(o, &novita_job_model, j, row);
    return NOVITA_OK;
}

static int jobs_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "TYPE", "STATE", "INSTANCE", "CREATED", "ERROR" };
    novita_job_filter f;
    page_args p = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_job, on_job, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--type", f.type)
        CLI_OPT_STR("--state", f.state)
        CLI_OPT_STR("--id", f.job_id)
        CLI_OPT(page_option(argc, argv, &i, &p))
        return cli_usage_error("unexpected argument '%s' for 'jobs list'", argv[i]);
    }
    if (f.type && !one_of(f.type, job_types))
        return cli_usage_error("--type must be saveImage, instanceMigrate or autoInstanceMigrate, not '%s'", f.type);
    if ((code = page_check(&p, CLI_ALL_PAGE_SIZE, &f.page_num, &f.page_size, &list)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 6, headers);
    r = novita_jobs_list(cli->client, &f, &list, NULL);
    return list_out_finish_paged(cli, &o, r, &list, "jobs");
}

static int jobs_break(cli_ctx *cli, int argc, char **argv)
{
    const char *id = NULL;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        if ((code = take_arg(&id, argv[i], "jobs break")) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing job id: jobs break ID");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_jobs_break(cli->client, id, NULL);
    return print_done(cli, r, id, NULL, "break requested");
}

int cmd_jobs(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", jobs_list },
        { "break", jobs_break },
    };
    return run_command(cli, "jobs", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

/* ------------------------------------------------------------------ images save */

static int images_save(cli_ctx *cli, int argc, char **argv)
{
    novita_image_save q;
    char job_id[NOVITA_ID_MAX];
    novita_result r;
    int m, code;
    memset(&q, 0, sizeof(q));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--image", q.image)
        CLI_OPT_STR("--registry-auth", q.registry_auth_id)
        if ((code = take_arg(&q.instance_id, argv[i], "images save")) != CLI_EXIT_OK)
            return code;
    }
    if (!q.instance_id)
        return cli_usage_error("missing instance id: images save INSTANCE_ID --image REF");
    if (!q.image || !q.image[0])
        return cli_usage_error("images save needs --image REF");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_images_save(cli->client, &q, job_id, sizeof(job_id), NULL);
    return print_new_id(cli, r, "jobId", job_id);
}

int cmd_images(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = { { "save", images_save } };
    return run_command(cli, "images", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

/* ------------------------------------------------------------------ prewarm */

static novita_result on_task(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_prewarm_task *t = (const novita_prewarm_task *)item;
    char size[32], created[64], products[512];
    const char *row[8];
    join_strings(products, sizeof(products), t->products[0].product_id, sizeof(t->products[0]),
                 t->product_count);
    row[0] = t->id;
    row[1] = t->image_url;
    row[2] = t->state;
    row[3] = t->cluster_name[0] ? t->cluster_name : t->cluster_id;
    row[4] = t->product_count ? products : "(all)";
    row[5] = format_bytes(size, sizeof(size), t->image_size);
    row[6] = format_time(created, sizeof(created), t->create_time);
    row[7] = t->note;
    list_out_add(o, &novita_prewarm_task_model, t, row);
    return NOVITA_OK;
}

static int prewarm_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "IMAGE", "STATE", "CLUSTER", "PRODUCTS", "SIZE", "CREATED",
                                           "NOTE" };
    novita_prewarm_task_filter f;
    page_args p = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_task, on_task, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--state", f.state)
        CLI_OPT_STR("--cluster", f.cluster_id)
        CLI_OPT_STR("--name", f.name)
        CLI_OPT(page_option(argc, argv, &i, &p))
        return cli_usage_error("unexpected argument '%s' for 'prewarm list'", argv[i]);
    }
    /* `page` starts at 1, like --page */
    if ((code = page_check(&p, CLI_ALL_PAGE_SIZE, &f.page, &f.page_size, &list)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 8, headers);
    r = novita_prewarm_list(cli->client, &f, &list, NULL);
    return list_out_finish_paged(cli, &o, r, &list, "prewarm tasks");
}

static void print_quota(const void *object)
{
    const novita_prewarm_quota *q = (const novita_prewarm_quota *)object;
    kv("tasks:", "%ld of %ld", (long)q->total, (long)q->limit);
    kv("image size max:", "%ld GB", (long)q->per_image_size);
}

static int prewarm_quota(cli_ctx *cli, int argc, char **argv)
{
    novita_prewarm_quota q;
    novita_result r;
    int code;
    if (!start_no_args(cli, argc, argv, "prewarm quota", &code))
        return code;
    r = novita_prewarm_get_quota(cli->client, &q, NULL);
    return print_object(cli, r, &novita_prewarm_quota_model, &q, print_quota);
}

static int prewarm_create(cli_ctx *cli, int argc, char **argv)
{
    static const char *products[CLI_MAX_PRODUCTS];
    novita_prewarm_task_create q;
    const char *value;
    char id[NOVITA_ID_MAX];
    novita_result r;
    int m, code;
    memset(&q, 0, sizeof(q));
    q.product_ids = products;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--image", q.image_url)
        CLI_OPT_STR("--cluster", q.cluster_id)
        CLI_OPT_STR("--registry-auth", q.repository_auth)
        CLI_OPT_STR("--note", q.note)
        CLI_OPT_ADD("--product",
                    add_value(products, &q.product_id_count, CLI_MAX_PRODUCTS, "--product", value, "a product id"))
        return cli_usage_error("unexpected argument '%s' for 'prewarm create'", argv[i]);
    }
    if (!q.image_url || !q.image_url[0])
        return cli_usage_error("prewarm create needs --image URL");
    if (!q.cluster_id || !q.cluster_id[0])
        return cli_usage_error("prewarm create needs --cluster ID");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_prewarm_create(cli->client, &q, id, sizeof(id), NULL);
    return print_new_id(cli, r, "id", id);
}

static int prewarm_edit(cli_ctx *cli, int argc, char **argv)
{
    const char *id = NULL, *note = NULL;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--note", note)
        if ((code = take_arg(&id, argv[i], "prewarm edit")) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing prewarm task id: prewarm edit ID --note S");
    if (!note)
        return cli_usage_error("prewarm edit needs --note S (--note '' clears the note)");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_prewarm_edit(cli->client, id, note, NULL);
    return print_done(cli, r, id, NULL, "edited");
}

static int prewarm_delete(cli_ctx *cli, int argc, char **argv)
{
    static const char *ids[CLI_MAX_IDS];
    size_t count = 0;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        if ((code = add_id(ids, &count, CLI_MAX_IDS, argv[i], "prewarm delete", "ids per 'prewarm delete'")) !=
            CLI_EXIT_OK)
            return code;
    }
    if (count == 0)
        return cli_usage_error("missing prewarm task id: prewarm delete ID...");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_prewarm_delete(cli->client, ids, count, NULL);
    return print_ids_done(cli, r, ids, count, "deleted");
}

int cmd_prewarm(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", prewarm_list },
        { "quota", prewarm_quota },
        { "create", prewarm_create },
        { "edit", prewarm_edit },
        { "delete", prewarm_delete },
    };
    return run_command(cli, "prewarm", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

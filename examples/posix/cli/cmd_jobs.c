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

/* --page N, --page-size N and --all of the list commands. */
typedef struct page_args {
    long long page, page_size;
    bool all;
} page_args;

/* 1: argv[*i] was a paging option (consumed), -1: usage error (reported), 0: not one. */
static int page_option(int argc, char **argv, int *i, page_args *p)
{
    int m;
    if (strcmp(argv[*i], "--all") == 0) {
        p->all = true;
        return 1;
    }
    if ((m = opt_int(argc, argv, i, "--page", 1, 1000000, &p->page)) != 0)
        return m;
    return opt_int(argc, argv, i, "--page-size", 1, 1000, &p->page_size);
}

static int page_args_check(const page_args *p)
{
    if (p->all && (p->page || p->page_size))
        return cli_usage_error("--all cannot be combined with --page or --page-size");
    return CLI_EXIT_OK;
}

/* After a one-page table: say when the API holds more than was shown. */
static void more_hint(const cli_ctx *cli, const page_args *p, size_t seen, int64_t total, const char *what)
{
    if (!cli->json && !p->all && total > (int64_t)seen)
        printf("(%lu of %lld %s; see --page, --page-size, --all)\n", (unsigned long)seen, (long long)total, what);
}

/* The one positional argument of a command; a second one or an unknown option is a usage error. */
static int take_arg(const char **dst, const char *arg, const char *command)
{
    if (arg[0] == '-' && arg[1])
        return cli_usage_error("unknown option '%s' for '%s'", arg, command);
    if (*dst)
        return cli_usage_error("unexpected argument '%s' for '%s'", arg, command);
    *dst = arg;
    return CLI_EXIT_OK;
}

/* {"<key>":"<value>"} on stdout. */
static void print_key_json(const char *key, const char *value)
{
    strbuf sb = { NULL, 0, 0 };
    sb_append(&sb, "{");
    sb_json_string(&sb, key);
    sb_append(&sb, ":");
    sb_json_string(&sb, value);
    sb_append(&sb, "}\n");
    fputs(sb.data, stdout);
    sb_free(&sb);
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
        if ((m = page_option(argc, argv, &i, &p)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        return cli_usage_error("unexpected argument '%s' for 'jobs list'", argv[i]);
    }
    if (f.type && !one_of(f.type, job_types))
        return cli_usage_error("--type must be saveImage, instanceMigrate or autoInstanceMigrate, not '%s'", f.type);
    if ((code = page_args_check(&p)) != CLI_EXIT_OK)
        return code;
    f.page_num = (uint32_t)p.page;
    f.page_size = p.all ? CLI_ALL_PAGE_SIZE : (uint32_t)p.page_size;
    list.all_pages = p.all; /* every page over the client's one kept-alive connection */
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 6, headers);
    r = novita_jobs_list(cli->client, &f, &list, NULL);
    code = list_out_finish(cli, &o, r, list.total >= 0 ? list.total : (int64_t)list.count);
    if (code == CLI_EXIT_OK)
        more_hint(cli, &p, list.count, list.total, "jobs");
    return code;
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
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        print_id_json(id, NULL, true);
    else
        printf("%s: break requested\n", id);
    return CLI_EXIT_OK;
}

int cmd_jobs(cli_ctx *cli, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage_error("missing command: jobs list|break");
    if (cli_common_flag(cli, argv[0]) == 2)
        return CLI_EXIT_OK;
    if (strcmp(argv[0], "list") == 0)
        return jobs_list(cli, argc - 1, argv + 1);
    if (strcmp(argv[0], "break") == 0)
        return jobs_break(cli, argc - 1, argv + 1);
    return cli_usage_error("unknown command 'jobs %s'", argv[0]);
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
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        print_key_json("jobId", job_id);
    else
        printf("%s\n", job_id);
    return CLI_EXIT_OK;
}

int cmd_images(cli_ctx *cli, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage_error("missing command: images save");
    if (cli_common_flag(cli, argv[0]) == 2)
        return CLI_EXIT_OK;
    if (strcmp(argv[0], "save") == 0)
        return images_save(cli, argc - 1, argv + 1);
    return cli_usage_error("unknown command 'images %s'", argv[0]);
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
        if ((m = page_option(argc, argv, &i, &p)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        return cli_usage_error("unexpected argument '%s' for 'prewarm list'", argv[i]);
    }
    if ((code = page_args_check(&p)) != CLI_EXIT_OK)
        return code;
    f.page = (uint32_t)p.page; /* `page` starts at 1, like --page */
    f.page_size = p.all ? CLI_ALL_PAGE_SIZE : (uint32_t)p.page_size;
    list.all_pages = p.all;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 8, headers);
    r = novita_prewarm_list(cli->client, &f, &list, NULL);
    code = list_out_finish(cli, &o, r, list.total >= 0 ? list.total : (int64_t)list.count);
    if (code == CLI_EXIT_OK)
        more_hint(cli, &p, list.count, list.total, "prewarm tasks");
    return code;
}

static int prewarm_quota(cli_ctx *cli, int argc, char **argv)
{
    novita_prewarm_quota q;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        return cli_usage_error("unexpected argument '%s' for 'prewarm quota'", argv[i]);
    }
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_prewarm_get_quota(cli->client, &q, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        return print_model_json(&novita_prewarm_quota_model, &q);
    kv("tasks:", "%ld of %ld", (long)q.total, (long)q.limit);
    kv("image size max:", "%ld GB", (long)q.per_image_size);
    return CLI_EXIT_OK;
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
        if ((m = opt_value(argc, argv, &i, "--product", &value)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            if (q.product_id_count >= CLI_MAX_PRODUCTS)
                return cli_usage_error("at most %u --product options", (unsigned)CLI_MAX_PRODUCTS);
            if (!value[0])
                return cli_usage_error("--product needs a product id");
            products[q.product_id_count++] = value;
            continue;
        }
        return cli_usage_error("unexpected argument '%s' for 'prewarm create'", argv[i]);
    }
    if (!q.image_url || !q.image_url[0])
        return cli_usage_error("prewarm create needs --image URL");
    if (!q.cluster_id || !q.cluster_id[0])
        return cli_usage_error("prewarm create needs --cluster ID");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_prewarm_create(cli->client, &q, id, sizeof(id), NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        print_id_json(id, NULL, false);
    else
        printf("%s\n", id);
    return CLI_EXIT_OK;
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
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        print_id_json(id, NULL, true);
    else
        printf("%s: edited\n", id);
    return CLI_EXIT_OK;
}

static int prewarm_delete(cli_ctx *cli, int argc, char **argv)
{
    static const char *ids[CLI_MAX_IDS];
    size_t count = 0;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("unknown option '%s' for 'prewarm delete'", argv[i]);
        if (count >= CLI_MAX_IDS)
            return cli_usage_error("at most %u ids per 'prewarm delete'", (unsigned)CLI_MAX_IDS);
        ids[count++] = argv[i];
    }
    if (count == 0)
        return cli_usage_error("missing prewarm task id: prewarm delete ID...");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_prewarm_delete(cli->client, ids, count, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    print_ids_done(cli->json, ids, count, "deleted");
    return CLI_EXIT_OK;
}

int cmd_prewarm(cli_ctx *cli, int argc, char **argv)
{
    const char *sub;
    if (argc < 1)
        return cli_usage_error("missing command: prewarm list|quota|create|edit|delete");
    if (cli_common_flag(cli, argv[0]) == 2)
        return CLI_EXIT_OK;
    sub = argv[0];
    argc--;
    argv++;
    if (strcmp(sub, "list") == 0)
        return prewarm_list(cli, argc, argv);
    if (strcmp(sub, "quota") == 0)
        return prewarm_quota(cli, argc, argv);
    if (strcmp(sub, "create") == 0)
        return prewarm_create(cli, argc, argv);
    if (strcmp(sub, "edit") == 0)
        return prewarm_edit(cli, argc, argv);
    if (strcmp(sub, "delete") == 0)
        return prewarm_delete(cli, argc, argv);
    return cli_usage_error("unknown command 'prewarm %s'", sub);
}

/* novita CLI: storage list|create|update|delete, networks list|get|create|update|delete. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "novita/networks.h"
#include "novita/storage.h"

const char cli_usage_storage[] =
    "  storage list [--name S] [--id ID] [--page N] [--page-size N | --all]\n"
    "                 --all walks every page (100 per request) over one connection\n"
    "  storage create --cluster ID --name S --size GB\n"
    "                 prints the new storage id; the cluster must support network storage\n"
    "  storage update ID [--name S] [--size GB]\n"
    "                 rename and/or grow (never shrink); an option left out keeps its current value\n"
    "  storage delete ID\n"
    "  networks list [--name S] [--page N] [--page-size N | --all]\n"
    "  networks get ID\n"
    "  networks create --cluster ID [--name S]\n"
    "                 prints the new network id when the API returns one; otherwise says so: then find it\n"
    "                 with 'networks list --name S'\n"
    "  networks update ID --name S\n"
    "  networks delete ID\n";

/* One element each: lists run in callback mode, so the library decodes every element into these. */
static novita_network_storage g_storage;
static novita_network g_network;

#define CLI_ALL_PAGE_SIZE 100u
#define CLI_MAX_SIZE_GB 1000000

/* ------------------------------------------------------------------ shared helpers */

/* The one positional argument (an id) of `group command`; a second one or an unknown option is a usage
 * error. */
static int take_id(const char **id, const char *arg, const char *group, const char *command)
{
    if (*id)
        return cli_usage_error("unexpected argument '%s' for '%s %s'", arg, group, command);
    if (arg[0] == '-' && arg[1])
        return cli_usage_error("unknown option '%s' for '%s %s'", arg, group, command);
    *id = arg;
    return CLI_EXIT_OK;
}

/* Arguments of commands that take only an id. CLI_EXIT_OK with *id NULL means --help was printed. */
static int id_only(cli_ctx *cli, int argc, char **argv, const char *group, const char *command, const char **id)
{
    int m, code;
    *id = NULL;
    for (int i = 0; i < argc; i++) {
        if ((m = cli_common_flag(cli, argv[i])) != 0) {
            if (m == 2) {
                *id = NULL;
                return CLI_EXIT_OK;
            }
            continue;
        }
        if ((code = take_id(id, argv[i], group, command)) != CLI_EXIT_OK)
            return code;
    }
    if (!*id)
        return cli_usage_error("missing id: %s %s ID", group, command);
    return CLI_EXIT_OK;
}

/* After a successful update or delete: {"ok":true,"id":"..."} or "<id>: <text>". */
static int print_done(const cli_ctx *cli, const char *id, const char *text)
{
    if (cli->json)
        print_id_json(id, NULL, true);
    else
        printf("%s: %s\n", id, text);
    return CLI_EXIT_OK;
}

/* --page N, --page-size N and --all of the list commands. */
typedef struct page_args {
    long long page, page_size;
    bool all;
} page_args;

/* 1: argv[*i] was a paging option (consumed), -1: usage error (reported), 0: not a paging option. */
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

/* The page size to request: CLI_ALL_PAGE_SIZE for --all, else the one asked for (0 = the API's). */
static int page_check(const page_args *p, uint32_t *page, uint32_t *page_size)
{
    if (p->all && (p->page || p->page_size))
        return cli_usage_error("--all cannot be combined with --page or --page-size");
    *page = (uint32_t)p->page;
    *page_size = p->all ? CLI_ALL_PAGE_SIZE : (uint32_t)p->page_size;
    return CLI_EXIT_OK;
}

/* Finish a list command, with a hint when one page did not hold everything. */
static int finish_list(const cli_ctx *cli, list_out *o, novita_result r, const novita_list *list, const char *what)
{
    int64_t total = list->total >= 0 ? list->total : (int64_t)list->count;
    int code = list_out_finish(cli, o, r, total);
    if (code == CLI_EXIT_OK && !o->json && !list->all_pages && total > (int64_t)list->count)
        printf("(%lu of %lld %s; see --page, --page-size, --all)\n", (unsigned long)list->count, (long long)total,
               what);
    return code;
}

/* "Name (id)", or whichever of the two is set. */
static const char *name_and_id(char *buf, size_t size, const char *name, const char *id)
{
    if (name[0] && id[0])
        (void)snprintf(buf, size, "%s (%s)", name, id);
    else
        (void)snprintf(buf, size, "%s", name[0] ? name : id);
    return buf;
}

/* ------------------------------------------------------------------ storage */

static novita_result on_storage(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_network_storage *s = (const novita_network_storage *)item;
    char size[32], cluster[NOVITA_NAME_MAX + NOVITA_ID_MAX + 4];
    const char *row[5];
    (void)snprintf(size, sizeof(size), "%ld GB", (long)s->storage_size);
    row[0] = s->storage_id;
    row[1] = s->storage_name;
    row[2] = size;
    row[3] = name_and_id(cluster, sizeof(cluster), s->cluster_name, s->cluster_id);
    row[4] = s->price; /* as the API sends it: its unit is not documented */
    list_out_add(o, &novita_network_storage_model, s, row);
    return NOVITA_OK;
}

static int storage_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "SIZE", "CLUSTER", "PRICE" };
    novita_storage_filter f;
    page_args pa = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_storage, on_storage, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--name", f.storage_name)
        CLI_OPT_STR("--id", f.storage_id)
        if ((m = page_option(argc, argv, &i, &pa)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        return cli_usage_error("unexpected argument '%s' for 'storage list'", argv[i]);
    }
    if ((code = page_check(&pa, &f.page_no, &f.page_size)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list.all_pages = pa.all; /* every page over the client's one kept-alive connection */
    list_out_init(&o, cli->json, 5, headers);
    r = novita_storage_list(cli->client, &f, &list, NULL);
    return finish_list(cli, &o, r, &list, "storages");
}

static int storage_create(cli_ctx *cli, int argc, char **argv)
{
    const char *cluster = NULL, *name = NULL;
    long long size = 0;
    char id[NOVITA_ID_MAX];
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--cluster", cluster)
        CLI_OPT_STR("--name", name)
        CLI_OPT_INT("--size", 1, CLI_MAX_SIZE_GB, size)
        return cli_usage_error("unexpected argument '%s' for 'storage create'", argv[i]);
    }
    if (!cluster || !cluster[0] || !name || !name[0] || !size)
        return cli_usage_error("storage create needs --cluster ID, --name S and --size GB");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_storage_create(cli->client, cluster, name, (int32_t)size, id, sizeof(id), NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        print_id_json(id, NULL, false);
    else
        printf("%s\n", id);
    return CLI_EXIT_OK;
}

/* The storage with this id into g_storage (the API has no "get": the list's storageId filter). */
static int storage_lookup(cli_ctx *cli, const char *id)
{
    novita_network_storage found[1];
    novita_list list = NOVITA_LIST_ARRAY(found);
    novita_storage_filter f;
    novita_result r;
    memset(&f, 0, sizeof(f));
    f.storage_id = id;
    r = novita_storage_list(cli->client, &f, &list, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (list.count == 0 || strcmp(found[0].storage_id, id) != 0) {
        fprintf(stderr, "novita: error: %s: no network storage with id %s\n", novita_strerror(NOVITA_ERR_NOT_FOUND),
                id);
        return CLI_EXIT_NOT_FOUND;
    }
    g_storage = found[0];
    return CLI_EXIT_OK;
}

static int storage_update(cli_ctx *cli, int argc, char **argv)
{
    const char *id = NULL, *name = NULL;
    long long size = 0;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--name", name)
        CLI_OPT_INT("--size", 1, CLI_MAX_SIZE_GB, size)
        if ((code = take_id(&id, argv[i], "storage", "update")) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing id: storage update ID [--name S] [--size GB]");
    if ((!name || !name[0]) && !size)
        return cli_usage_error("storage update needs --name S and/or --size GB");
    if (name && !name[0])
        return cli_usage_error("--name needs a non-empty name");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    /* The API wants name and size every time: fill the one not given from the current state. */
    if (!name || !size) {
        if ((code = storage_lookup(cli, id)) != CLI_EXIT_OK)
            return code;
        if (!name)
            name = g_storage.storage_name;
        if (!size)
            size = g_storage.storage_size;
    }
    r = novita_storage_update(cli->client, id, name, (int32_t)size, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    return print_done(cli, id, "updated");
}

static int storage_delete(cli_ctx *cli, int argc, char **argv)
{
    const char *id;
    novita_result r;
    int code;
    if ((code = id_only(cli, argc, argv, "storage", "delete", &id)) != CLI_EXIT_OK || !id)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_storage_delete(cli->client, id, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    return print_done(cli, id, "deleted");
}

int cmd_storage(cli_ctx *cli, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage_error("missing command: storage list|create|update|delete");
    if (cli_common_flag(cli, argv[0]) == 2)
        return CLI_EXIT_OK;
    if (strcmp(argv[0], "list") == 0)
        return storage_list(cli, argc - 1, argv + 1);
    if (strcmp(argv[0], "create") == 0)
        return storage_create(cli, argc - 1, argv + 1);
    if (strcmp(argv[0], "update") == 0)
        return storage_update(cli, argc - 1, argv + 1);
    if (strcmp(argv[0], "delete") == 0)
        return storage_delete(cli, argc - 1, argv + 1);
    return cli_usage_error("unknown command 'storage %s'", argv[0]);
}

/* ------------------------------------------------------------------ networks */

/* "ready", or "creating (error: ...)". */
static const char *network_state(char *buf, size_t size, const novita_network *n)
{
    const char *state = n->state.state[0] ? n->state.state : "unknown";
    if (n->state.error[0])
        (void)snprintf(buf, size, "%s (error: %s)", state, n->state.error);
    else
        (void)snprintf(buf, size, "%s", state);
    return buf;
}

static novita_result on_network(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_network *n = (const novita_network *)item;
    char state[NOVITA_ENUM_TEXT_MAX + NOVITA_TEXT_MAX + 16], members[16], created[64];
    const char *row[7];
    (void)snprintf(members, sizeof(members), "%u", (unsigned)n->address_total);
    row[0] = n->id;
    row[1] = n->name;
    row[2] = network_state(state, sizeof(state), n);
    row[3] = n->segment;
    row[4] = n->cluster_id;
    row[5] = members;
    row[6] = format_time(created, sizeof(created), n->create_time);
    list_out_add(o, &novita_network_model, n, row);
    return NOVITA_OK;
}

static int networks_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "STATE", "SEGMENT", "CLUSTER", "INSTANCES", "CREATED" };
    novita_network_filter f;
    page_args pa = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_network, on_network, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--name", f.name)
        if ((m = page_option(argc, argv, &i, &pa)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        return cli_usage_error("unexpected argument '%s' for 'networks list'", argv[i]);
    }
    if ((code = page_check(&pa, &f.page_num, &f.page_size)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list.all_pages = pa.all;
    list_out_init(&o, cli->json, 7, headers);
    r = novita_networks_list(cli->client, &f, &list, NULL);
    return finish_list(cli, &o, r, &list, "networks");
}

static void print_network(const novita_network *n)
{
    char buf[NOVITA_ENUM_TEXT_MAX + NOVITA_TEXT_MAX + 16];
    kv("id:", "%s", n->id);
    kv("name:", "%s", n->name);
    kv("state:", "%s", network_state(buf, sizeof(buf), n));
    kv("segment:", "%s", n->segment);
    kv("cluster:", "%s", n->cluster_id);
    kv("user:", "%s", n->user);
    kv("created:", "%s", format_time(buf, sizeof(buf), n->create_time));
    for (size_t k = 0; k < n->address_count; k++)
        kv(k ? "" : "instances:", "%s %s", n->addresses[k].id, n->addresses[k].ip);
    if (n->address_total > n->address_count)
        kv("", "(%u more)", (unsigned)(n->address_total - n->address_count));
}

static int networks_get(cli_ctx *cli, int argc, char **argv)
{
    const char *id;
    novita_result r;
    int code;
    if ((code = id_only(cli, argc, argv, "networks", "get", &id)) != CLI_EXIT_OK || !id)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_networks_get(cli->client, id, &g_network, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        return print_model_json(&novita_network_model, &g_network);
    print_network(&g_network);
    return CLI_EXIT_OK;
}

static int networks_create(cli_ctx *cli, int argc, char **argv)
{
    const char *cluster = NULL, *name = NULL;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--cluster", cluster)
        CLI_OPT_STR("--name", name)
        return cli_usage_error("unexpected argument '%s' for 'networks create'", argv[i]);
    }
    if (!cluster || !cluster[0])
        return cli_usage_error("networks create needs --cluster ID");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_networks_create(cli->client, cluster, name, &g_network, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (!g_network.id[0]) {
        /* The live API may not return the network (REFERENCE 8.8): say so, and how to find it. */
        if (name && name[0])
            fprintf(stderr, "novita: network created, but the API returned no id: find it with "
                            "'novita networks list --name %s'\n", name);
        else
            fprintf(stderr, "novita: network created, but the API returned no id: find it with "
                            "'novita networks list' (give --name next time to find it by name)\n");
        if (!cli->json)
            return CLI_EXIT_OK;
        /* What is known: the request's name and cluster, with an empty Id. */
        (void)snprintf(g_network.name, sizeof(g_network.name), "%s", name ? name : "");
        (void)snprintf(g_network.cluster_id, sizeof(g_network.cluster_id), "%s", cluster);
    }
    if (cli->json)
        return print_model_json(&novita_network_model, &g_network);
    printf("%s\n", g_network.id);
    return CLI_EXIT_OK;
}

static int networks_update(cli_ctx *cli, int argc, char **argv)
{
    const char *id = NULL, *name = NULL;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--name", name)
        if ((code = take_id(&id, argv[i], "networks", "update")) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing id: networks update ID --name S");
    if (!name || !name[0])
        return cli_usage_error("networks update needs --name S");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_networks_update(cli->client, id, name, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    return print_done(cli, id, "updated");
}

static int networks_delete(cli_ctx *cli, int argc, char **argv)
{
    const char *id;
    novita_result r;
    int code;
    if ((code = id_only(cli, argc, argv, "networks", "delete", &id)) != CLI_EXIT_OK || !id)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_networks_delete(cli->client, id, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    return print_done(cli, id, "deleted");
}

int cmd_networks(cli_ctx *cli, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage_error("missing command: networks list|get|create|update|delete");
    if (cli_common_flag(cli, argv[0]) == 2)
        return CLI_EXIT_OK;
    if (strcmp(argv[0], "list") == 0)
        return networks_list(cli, argc - 1, argv + 1);
    if (strcmp(argv[0], "get") == 0)
        return networks_get(cli, argc - 1, argv + 1);
    if (strcmp(argv[0], "create") == 0)
        return networks_create(cli, argc - 1, argv + 1);
    if (strcmp(argv[0], "update") == 0)
        return networks_update(cli, argc - 1, argv + 1);
    if (strcmp(argv[0], "delete") == 0)
        return networks_delete(cli, argc - 1, argv + 1);
    return cli_usage_error("unknown command 'networks %s'", argv[0]);
}

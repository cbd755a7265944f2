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
    page_args p = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_storage, on_storage, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--name", f.storage_name)
        CLI_OPT_STR("--id", f.storage_id)
        CLI_OPT(page_option(argc, argv, &i, &p))
        return cli_usage_error("unexpected argument '%s' for 'storage list'", argv[i]);
    }
    if ((code = page_check(&p, CLI_ALL_PAGE_SIZE, &f.page_no, &f.page_size, &list)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 5, headers);
    r = novita_storage_list(cli->client, &f, &list, NULL);
    return list_out_finish_paged(cli, &o, r, &list, "storages");
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
    return print_new_id(cli, r, "id", id);
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
        if ((code = take_id(&id, argv[i], "storage update")) != CLI_EXIT_OK)
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
    return print_done(cli, r, id, NULL, "updated");
}

static int storage_delete(cli_ctx *cli, int argc, char **argv)
{
    return run_id_action(cli, argc, argv, "storage delete", "id", novita_storage_delete, "deleted");
}

int cmd_storage(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", storage_list },
        { "create", storage_create },
        { "update", storage_update },
        { "delete", storage_delete },
    };
    return run_command(cli, "storage", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
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
    page_args p = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_network, on_network, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--name", f.name)
        CLI_OPT(page_option(argc, argv, &i, &p))
        return cli_usage_error("unexpected argument '%s' for 'networks list'", argv[i]);
    }
    if ((code = page_check(&p, CLI_ALL_PAGE_SIZE, &f.page_num, &f.page_size, &list)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 7, headers);
    r = novita_networks_list(cli->client, &f, &list, NULL);
    return list_out_finish_paged(cli, &o, r, &list, "networks");
}

static void print_network(const void *object)
{
    const novita_network *n = (const novita_network *)object;
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
    if (!start_with_id(cli, argc, argv, "networks get", "id", &id, &code))
        return code;
    r = novita_networks_get(cli->client, id, &g_network, NULL);
    return print_object(cli, r, &novita_network_model, &g_network, print_network);
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
        if ((code = take_id(&id, argv[i], "networks update")) != CLI_EXIT_OK)
            return code;
    }
    if (!id)
        return cli_usage_error("missing id: networks update ID --name S");
    if (!name || !name[0])
        return cli_usage_error("networks update needs --name S");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_networks_update(cli->client, id, name, NULL);
    return print_done(cli, r, id, NULL, "updated");
}

static int networks_delete(cli_ctx *cli, int argc, char **argv)
{
    return run_id_action(cli, argc, argv, "networks delete", "id", novita_networks_delete, "deleted");
}

int cmd_networks(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", networks_list },
        { "get", networks_get },
        { "create", networks_create },
        { "update", networks_update },
        { "delete", networks_delete },
    };
    return run_command(cli, "networks", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

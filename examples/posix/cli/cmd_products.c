/* novita CLI: clusters list, products list, products cpu. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char cli_usage_products[] =
    "  clusters list\n"
    "  products list [--cluster ID] [--gpu-num N] [--name S] [--billing onDemand|monthly|spot]\n"
    "  products cpu [--cluster ID] [--name S]\n";

/* One element each: lists run in callback mode, so the library decodes every element into these. */
static novita_cluster g_cluster;
static novita_gpu_product g_gpu_product;
static novita_cpu_product g_cpu_product;

static const char *const billing_words[] = { "onDemand", "monthly", "spot", NULL };

/* ------------------------------------------------------------------ clusters */

static novita_result on_cluster(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_cluster *c = (const novita_cluster *)item;
    char gpus[1024];
    const char *row[5];
    join_strings(gpus, sizeof(gpus), c->available_gpu_types[0], sizeof(c->available_gpu_types[0]),
                 c->available_gpu_type_count);
    row[0] = c->id;
    row[1] = c->name;
    row[2] = c->support_network_storage ? "yes" : "no";
    row[3] = c->support_instance_network ? "yes" : "no";
    row[4] = gpus;
    list_out_add(o, &novita_cluster_model, c, row);
    return NOVITA_OK;
}

static int clusters_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "NETWORK-STORAGE", "VPC", "GPU TYPES" };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_cluster, on_cluster, &o);
    novita_result r;
    int code;
    if (!start_no_args(cli, argc, argv, "clusters list", &code))
        return code;
    list_out_init(&o, cli->json, 5, headers);
    r = novita_clusters_list(cli->client, &list, NULL);
    return list_out_finish(cli, &o, r, list.total);
}

int cmd_clusters(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = { { "list", clusters_list } };
    return run_command(cli, "clusters", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

/* ------------------------------------------------------------------ GPU products */

static novita_result on_gpu_product(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_gpu_product *p = (const novita_gpu_product *)item;
    char price[32], spot[32], gpus[16], billing[128];
    const char *row[8];
    join_strings(billing, sizeof(billing), p->billing_methods[0], sizeof(p->billing_methods[0]),
                 p->billing_method_count);
    (void)snprintf(gpus, sizeof(gpus), "%ld", (long)p->available_gpu_number);
    row[0] = p->id;
    row[1] = p->name;
    row[2] = format_price(price, sizeof(price), p->price);
    row[3] = p->spot_price > 0 ? format_price(spot, sizeof(spot), p->spot_price) : "-";
    row[4] = p->available_deploy ? "yes" : "no";
    row[5] = p->inventory_state;
    row[6] = p->available_gpu_number > 0 ? gpus : "-";
    row[7] = billing;
    list_out_add(o, &novita_gpu_product_model, p, row);
    return NOVITA_OK;
}

static int products_gpu(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "PRICE", "SPOT", "DEPLOYABLE", "INVENTORY", "FREE GPUS",
                                           "BILLING" };
    novita_gpu_product_filter f;
    long long gpu_num = 0;
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_gpu_product, on_gpu_product, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--cluster", f.cluster_id)
        CLI_OPT_STR("--name", f.product_name)
        CLI_OPT_STR("--billing", f.billing_method)
        CLI_OPT_INT("--gpu-num", 1, 8, gpu_num)
        return cli_usage_error("unexpected argument '%s' for 'products list'", argv[i]);
    }
    if (f.billing_method && !one_of(f.billing_method, billing_words))
        return cli_usage_error("--billing must be onDemand, monthly or spot, not '%s'", f.billing_method);
    f.gpu_num = (int32_t)gpu_num;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 8, headers);
    r = novita_gpu_products_list(cli->client, &f, &list, NULL);
    return list_out_finish(cli, &o, r, list.total);
}

/* ------------------------------------------------------------------ CPU products */

static novita_result on_cpu_product(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_cpu_product *p = (const novita_cpu_product *)item;
    char price[32], cpus[16], mem[24], rootfs[24], local[24];
    const char *row[8];
    (void)snprintf(cpus, sizeof(cpus), "%ld", (long)p->cpu_num);
    (void)snprintf(mem, sizeof(mem), "%ld GB", (long)p->memory_size);
    (void)snprintf(rootfs, sizeof(rootfs), "%ld GB", (long)p->rootfs_size);
    (void)snprintf(local, sizeof(local), "%ld GB", (long)p->local_volume_size);
    row[0] = p->id;
    row[1] = p->name;
    row[2] = cpus;
    row[3] = mem;
    row[4] = rootfs;
    row[5] = local;
    row[6] = format_price(price, sizeof(price), p->price);
    row[7] = p->available_deploy ? "yes" : "no";
    list_out_add(o, &novita_cpu_product_model, p, row);
    return NOVITA_OK;
}

static int products_cpu(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "CPUS", "MEMORY", "ROOTFS", "LOCAL DISK", "PRICE",
                                           "DEPLOYABLE" };
    novita_cpu_product_filter f;
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_cpu_product, on_cpu_product, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--cluster", f.cluster_id)
        CLI_OPT_STR("--name", f.product_name)
        return cli_usage_error("unexpected argument '%s' for 'products cpu'", argv[i]);
    }
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 8, headers);
    r = novita_cpu_products_list(cli->client, &f, &list, NULL);
    return list_out_finish(cli, &o, r, list.total);
}

int cmd_products(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", products_gpu },
        { "cpu", products_cpu },
    };
    return run_command(cli, "products", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

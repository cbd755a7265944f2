/*
 * Instance lifecycle against the simulator over real sockets (HTTP or HTTPS through the POSIX port).
 * Usage: test_instances BASE_URL CA_FILE|- MODE
 *   MODE "lifecycle": every instance operation; prints "CREATED <id>" so the driver can check the wire log.
 *   MODE "walk":      every instance through the all-pages walk; prints "WALKED n PAGES p CONNECTIONS c".
 *   MODE "tls-fail":  the first call must fail with NOVITA_ERR_TLS (wrong CA, wrong host name, expired cert).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "novita/novita.h"
#include "novita_env.h"
#include "novita_port_posix.h"
#include "test_util.h"

static uint8_t work[16384];
static novita_json_token tokens[NOVITA_JSON_TOKENS];
static novita_client client;
static novita_posix_port posix;
static novita_instance inst;
static novita_instance page[16];
static novita_gpu_product products[8];
static novita_cpu_product cpus[8];
static novita_cluster clusters[8];
static novita_instance_metrics metrics;

static unsigned progress_calls;
static bool on_progress(void *user, const novita_instance *i, uint32_t elapsed_ms)
{
    (void)user;
    (void)elapsed_ms;
    (void)i;
    progress_calls++;
    return true;
}

static void lifecycle(void)
{
    novita_port_spec ports[] = { { 8888, "http" } };
    novita_env_spec envs[] = { { "MODE", "test" } };
    novita_instance_create q;
    novita_wait_opts wait = { 50, 20000, on_progress, NULL, 0 };
    char id[NOVITA_ID_MAX];
    novita_list list = NOVITA_LIST_ARRAY(clusters);
    novita_gpu_product_filter pf;
    novita_list plist = NOVITA_LIST_ARRAY(products);
    novita_list clist = NOVITA_LIST_ARRAY(cpus);
    novita_instance_filter filter;
    novita_list ilist = NOVITA_LIST_ARRAY(page);

    CHECK_EQ_INT(novita_clusters_list(&client, &list, NULL), NOVITA_OK);
    CHECK(list.count >= 1);
    CHECK(clusters[0].id[0] != '\0');

    memset(&pf, 0, sizeof pf);
    pf.cluster_id = "1";
    pf.gpu_num = 1;
    pf.billing_method = "spot";
    pf.product_name = "4090";
    pf.min_cpu_per_gpu = 1;
    pf.min_memory_per_gpu = 1;
    pf.min_rootfs_size = 10;
    CHECK_EQ_INT(novita_gpu_products_list(&client, &pf, &plist, NULL), NOVITA_OK);
    CHECK_EQ_UINT(plist.count, 1);
    CHECK_STR(products[0].id, "4090.16c62g");
    CHECK_EQ_INT(products[0].spot_price, 34000); /* a string on the wire */
    CHECK(products[0].available_deploy);

    CHECK_EQ_INT(novita_cpu_products_list(&client, NULL, &clist, NULL), NOVITA_OK);
    CHECK(clist.count >= 2);

    memset(&q, 0, sizeof q);
    q.name = "itest";
    q.product_id = "4090.16c62g";
    q.image_url = "nginx:latest";
    q.cluster_id = "1";
    q.ports = ports;
    q.port_count = 1;
    q.envs = envs;
    q.env_count = 1;
    CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), NOVITA_OK);
    printf("CREATED %s\n", id);

    CHECK_EQ_INT(novita_instances_wait(&client, id, NOVITA_INSTANCE_RUNNING, &wait, &inst), NOVITA_OK);
    CHECK_EQ_INT(inst.status, NOVITA_INSTANCE_RUNNING);
    CHECK(progress_calls >= 2);
    CHECK_STR(inst.name, "itest");
    CHECK_EQ_INT(inst.gpu_num, 1);
    CHECK(inst.port_mapping_count >= 1);

    memset(&filter, 0, sizeof filter);
    filter.name = "itest";
    filter.page_size = 10;
    filter.page_num = 1;
    CHECK_EQ_INT(novita_instances_list(&client, &filter, &ilist, NULL), NOVITA_OK);
    CHECK_EQ_UINT(ilist.count, 1);
    CHECK_EQ_INT(ilist.total, 1);
    CHECK_STR(page[0].id, id);

    {
        novita_instance_edit edit = { ports, 1, 10 };
        const char *ids[] = { id };
        novita_metrics_query mq = { 0, 0, 30 };
        CHECK_EQ_INT(novita_instances_edit(&client, id, &edit, NULL), NOVITA_OK);
        CHECK_EQ_INT(novita_instances_set_auto_renew(&client, ids, 1, true, 3, NULL), NOVITA_OK);
        CHECK_EQ_INT(novita_instances_set_auto_migrate(&client, id, true, false, NULL), NOVITA_OK);
        CHECK_EQ_INT(novita_instances_metrics(&client, id, &mq, &metrics, NULL), NOVITA_OK);
        CHECK(metrics.cpu_count >= 1);
    }

    CHECK_EQ_INT(novita_instances_restart(&client, id, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_wait(&client, id, NOVITA_INSTANCE_RUNNING, &wait, &inst), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_stop(&client, id, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_wait(&client, id, NOVITA_INSTANCE_EXITED, &wait, &inst), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_start(&client, id, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_wait(&client, id, NOVITA_INSTANCE_RUNNING, &wait, &inst), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_migrate(&client, id, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_wait(&client, id, NOVITA_INSTANCE_RUNNING, &wait, &inst), NOVITA_OK);
    {
        novita_storage_mount_spec mounts[] = { { "ns-1", "/data" } };
        novita_instance_upgrade up;
        memset(&up, 0, sizeof up);
        up.image_url = "nginx:1.27";
        up.envs = envs;
        up.env_count = 1;
        up.save = true;
        up.volume_mounts = mounts;
        up.volume_mount_count = 1;
        CHECK_EQ_INT(novita_instances_upgrade(&client, id, &up, NULL), NOVITA_OK);
        CHECK_EQ_INT(novita_instances_wait(&client, id, NOVITA_INSTANCE_RUNNING, &wait, &inst), NOVITA_OK);
        CHECK_STR(inst.image_url, "nginx:1.27");
    }
    /* Subscriptions on the simulator's seed instances: seed-0002 is monthly, seed-0001 on demand. */
    CHECK_EQ_INT(novita_instances_renew(&client, "seed-0002", 1, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_to_monthly(&client, "seed-0001", 1, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_delete(&client, id, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_wait(&client, id, NOVITA_INSTANCE_REMOVED, &wait, &inst), NOVITA_OK);

    /* Once removed, the API answers 400 RESOURCE_NOT_FOUND: mapped to not found. */
    {
        for (int i = 0; i < 100 && novita_instances_get(&client, id, &inst, NULL) == NOVITA_OK; i++)
            posix.table.sleep_ms(posix.table.ctx, 50);
        CHECK_EQ_INT(novita_instances_get(&client, id, &inst, NULL), NOVITA_ERR_NOT_FOUND);
        CHECK_EQ_INT(novita_client_last_error(&client)->http_status, 400);
        CHECK_STR(novita_client_last_error(&client)->reason, "RESOURCE_NOT_FOUND");
    }

    /* A failing image reports statusError: the wait stops early. */
    q.image_url = "registry.local/fail:1";
    CHECK_EQ_INT(novita_instances_create(&client, &q, id, sizeof id, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_instances_wait(&client, id, NOVITA_INSTANCE_RUNNING, &wait, &inst), NOVITA_ERR_INSTANCE_FAILED);
    CHECK_STR(novita_client_last_error(&client)->reason, "pullFailed");
    printf("CONNECTIONS %u\n", client.connections_opened);
}

/* Every instance through the all-pages walk, in a small work buffer: ids must be unique. */
typedef struct walk_state {
    char ids[400][NOVITA_ID_MAX];
    size_t count;
    size_t duplicates;
} walk_state;

static walk_state walked;

static novita_result on_walk(void *user, const void *item)
{
    walk_state *w = (walk_state *)user;
    const novita_instance *in = (const novita_instance *)item;
    for (size_t i = 0; i < w->count && i < 400; i++) {
        if (strcmp(w->ids[i], in->id) == 0)
            w->duplicates++;
    }
    if (w->count < 400)
        memcpy(w->ids[w->count], in->id, sizeof in->id);
    w->count++;
    return NOVITA_OK;
}

static void walk(void)
{
    novita_list list = NOVITA_LIST_ALL(&inst, on_walk, &walked);
    novita_instance_filter f;
    memset(&f, 0, sizeof f);
    f.page_size = 25;
    CHECK_EQ_INT(novita_instances_list(&client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(walked.duplicates, 0);
    CHECK_EQ_UINT(list.count, walked.count);
    CHECK_EQ_INT(list.total, (int64_t)walked.count);
    printf("WALKED %lu PAGES %u CONNECTIONS %u\n", (unsigned long)walked.count, list.pages,
           client.connections_opened);
}

int main(int argc, char **argv)
{
    novita_posix_config pcfg;
    novita_client_config cfg;
    if (argc != 4) {
        fprintf(stderr, "usage: %s BASE_URL CA_FILE|- lifecycle|walk|tls-fail|auth-fail\n", argv[0]);
        return 2;
    }
    memset(&pcfg, 0, sizeof pcfg);
    pcfg.ca_file = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
    if (novita_posix_port_init(&posix, &pcfg) != NOVITA_PORT_OK) {
        fprintf(stderr, "port: %s\n", novita_posix_port_last_error(&posix));
        return 1;
    }
    novita_client_config_init(&cfg);
    /* The environment helper supplies the URL and key, as in an application. */
    setenv("NOVITA_BASE_URL", argv[1], 1);
    setenv("NOVITA_API_KEY", strcmp(argv[3], "auth-fail") == 0 ? "wrong-key" : "sim-key", 1);
    CHECK(novita_config_from_env(&cfg));
    CHECK_STR(cfg.base_url, argv[1]);
    cfg.retry_base_ms = 50;
    CHECK_EQ_INT(novita_client_init(&client, &cfg, novita_posix_port_get(&posix), work, sizeof work, tokens,
                                    NOVITA_JSON_TOKENS),
                 NOVITA_OK);
    if (strcmp(argv[3], "lifecycle") == 0) {
        lifecycle();
    } else if (strcmp(argv[3], "walk") == 0) {
        walk();
    } else if (strcmp(argv[3], "tls-fail") == 0) {
        novita_list list = NOVITA_LIST_ARRAY(clusters);
        CHECK_EQ_INT(novita_clusters_list(&client, &list, NULL), NOVITA_ERR_TLS);
        CHECK_EQ_INT(novita_client_last_error(&client)->port_code, NOVITA_PORT_ERR_CERT);
        fprintf(stderr, "refused as expected: %s\n", novita_posix_port_last_error(&posix));
    } else {
        novita_list list = NOVITA_LIST_ARRAY(clusters);
        CHECK_EQ_INT(novita_clusters_list(&client, &list, NULL), NOVITA_ERR_AUTH);
        CHECK_EQ_INT(novita_client_last_error(&client)->http_status, 401);
    }
    novita_client_close(&client);
    novita_posix_port_free(&posix);
    return TEST_REPORT();
}

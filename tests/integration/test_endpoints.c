/*
 * Serverless endpoints against the simulator over real sockets (HTTP or HTTPS).
 * Usage: test_endpoints BASE_URL CA_FILE|- MODE
 *   MODE "ops":   every operation, with decoded values (string numbers, url, workers), error mapping and
 *                 invalid arguments. Prints "CREATED <id>" for the driver's wire checks.
 *   MODE "pages": walks every endpoint with list.all_pages (page size 7; the driver has seeded over 40) and
 *                 prints "ITEM <id>" per endpoint, then "LISTED <count> <total> <pages>" and
 *                 "CONNECTIONS <n>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "itest.h"
#include "novita/endpoints.h"

static itest t;
static novita_client *client;
static const char *base_url;
static novita_endpoint ep;
static novita_endpoint page[4];
static novita_endpoint_limits limits;
static novita_endpoint_config_arrays arrays;

static const novita_error *last_error(void)
{
    return novita_client_last_error(client);
}

static void check_error(novita_result got, novita_result want, int status, const char *reason)
{
    CHECK_EQ_INT(got, want);
    CHECK_EQ_INT(last_error()->http_status, status);
    CHECK_STR(last_error()->reason, reason);
}

/* The simulator's url points back at itself: BASE_URL/__worker/<id>. */
static void check_url(const novita_endpoint *e)
{
    char want[NOVITA_TEXT_MAX];
    (void)snprintf(want, sizeof want, "%s/__worker/%s", base_url, e->id);
    CHECK_STR(e->url, want);
}

static void check_limits(void)
{
    CHECK_EQ_INT(novita_endpoints_limits(client, &limits, NULL), NOVITA_OK);
    CHECK_EQ_INT(limits.min_rootfs_size, 10);
    CHECK_EQ_INT(limits.max_rootfs_size, 1000);
    CHECK_EQ_INT(limits.free_rootfs_size, 100);
    CHECK_EQ_INT(limits.min_local_volume_size, 10);
    CHECK_EQ_INT(limits.max_local_volume_size, 500);
    CHECK_EQ_INT(limits.free_local_volume_size, 30);
    CHECK_EQ_INT(limits.min_worker_num, 0);
    CHECK_EQ_INT(limits.max_worker_num, 20);
    CHECK_EQ_INT(limits.min_free_timeout, 5);
    CHECK_EQ_INT(limits.max_free_timeout, 3600);
    CHECK_EQ_INT(limits.min_concurrency_num, 1);
    CHECK_EQ_INT(limits.max_concurrency_num, 100);
    CHECK_EQ_INT(limits.min_queue_wait_time, 1);
    CHECK_EQ_INT(limits.max_queue_wait_time, 300);
    CHECK_EQ_INT(limits.min_request_num, 1);
    CHECK_EQ_INT(limits.max_request_num, 100);
    CHECK_EQ_INT(limits.min_gpu_num, 1);
    CHECK_EQ_INT(limits.max_gpu_num, 8);
    CHECK_EQ_UINT(limits.cuda_version_count, 4);
    CHECK_EQ_UINT(limits.cuda_version_total, 4);
    CHECK_STR(limits.cuda_versions[0], "11.8");
    CHECK_STR(limits.cuda_versions[3], "12.6");
}

/* One page of the seed (newest first): string numbers decode into integers. */
static void check_list_page(void)
{
    novita_endpoint_filter f = { 10, 1 };
    novita_list list = NOVITA_LIST_ARRAY(page);
    CHECK_EQ_INT(novita_endpoints_list(client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_EQ_INT(list.total, 2);
    CHECK_EQ_UINT(list.pages, 1);
    CHECK_STR(page[0].id, "seed-ep-0002");
    CHECK_STR(page[1].id, "seed-ep-0001");
    CHECK_STR(page[0].name, "llm-chat");
    CHECK_EQ_INT(page[0].worker_config.free_timeout, 60);    /* "60" */
    CHECK_EQ_INT(page[0].worker_config.max_concurrent, 16);  /* "16" */
    CHECK_EQ_INT(page[0].worker_config.gpu_num, 2);
    CHECK_STR(page[0].policy.type, "concurrency");
    CHECK_EQ_INT(page[0].policy.value, 10);                  /* "10" */
    CHECK_EQ_UINT(page[0].port_count, 1);
    CHECK_EQ_INT(page[0].ports[0].port, 8000);               /* "8000" */
    CHECK_STR(page[0].cluster_id, "1");                      /* clusterID */
    CHECK_STR(page[0].image.auth_id, "auth-7f3a");
    CHECK_STR(page[0].volume_mounts[0].type, "network");
    CHECK_STR(page[0].volume_mounts[0].id, "d4e82677-3f80-4020-a731-d15b1c589aa8");
    CHECK_EQ_INT(page[0].volume_mounts[0].size, 200);
    CHECK_STR(page[0].healthy.path, "/v1/models");
    CHECK_EQ_INT(page[0].healthy.initial_delay, 120);
    check_url(&page[0]);
    check_url(&page[1]);
}

static void check_seed_get(void)
{
    CHECK_EQ_INT(novita_endpoints_get(client, "seed-ep-0001", &ep, NULL), NOVITA_OK);
    CHECK_STR(ep.id, "seed-ep-0001");
    CHECK_STR(ep.name, "sd-txt2img");
    CHECK_STR(ep.app_name, "sd-txt2img");
    CHECK_STR(ep.state.state, "serving");
    check_url(&ep);
    CHECK_EQ_INT(ep.worker_config.min_num, 1);
    CHECK_EQ_INT(ep.worker_config.max_num, 3);
    CHECK_EQ_INT(ep.worker_config.free_timeout, 300);
    CHECK_EQ_INT(ep.worker_config.max_concurrent, 4);
    CHECK_EQ_INT(ep.worker_config.request_timeout, 600);
    CHECK_STR(ep.worker_config.cuda_version, "12.4");
    CHECK_STR(ep.policy.type, "queue");
    CHECK_EQ_INT(ep.policy.value, 60);
    CHECK_STR(ep.image.image, "novitalabs/sd-webui:v1.10.1");
    CHECK_STR(ep.image.auth_id, "");
    CHECK_STR(ep.image.command, "python launch.py --api");
    CHECK_EQ_INT(ep.rootfs_size, 100);
    CHECK_EQ_UINT(ep.volume_mount_count, 1);
    CHECK_STR(ep.volume_mounts[0].type, "local");
    CHECK_EQ_INT(ep.volume_mounts[0].size, 30);
    CHECK_STR(ep.volume_mounts[0].mount_path, "/workspace");
    CHECK_EQ_UINT(ep.env_count, 2);
    CHECK_STR(ep.envs[1].key, "PORT");
    CHECK_STR(ep.envs[1].value, "8080");
    CHECK_EQ_INT(ep.ports[0].port, 8080);
    CHECK_EQ_UINT(ep.worker_count, 2);
    CHECK_EQ_UINT(ep.worker_total, 2);
    CHECK_STR(ep.workers[0].id, "seed-ep-0001-w1");
    CHECK_STR(ep.workers[0].state.state, "running");
    CHECK(ep.workers[0].healthy);
    CHECK(strstr(ep.workers[0].log, "seed-ep-0001-w1") != NULL);
    CHECK(strstr(ep.workers[0].metrics, "seed-ep-0001-w1") != NULL);
    CHECK_STR(ep.workers[1].state.state, "pulling");
    CHECK_STR(ep.workers[1].state.message, "pulling image");
    CHECK(!ep.workers[1].healthy);
    CHECK_EQ_UINT(ep.product_count, 1);
    CHECK_STR(ep.products[0].id, "4090.16c62g");
    CHECK_STR(ep.healthy.path, "/health");
    CHECK_EQ_INT(ep.healthy.period, 10);
    CHECK_EQ_INT(ep.healthy.timeout, 5);
    CHECK_EQ_INT(ep.healthy.success_threshold, 1);
    CHECK_EQ_INT(ep.healthy.failure_threshold, 3);
    CHECK_STR(ep.cluster_id, "1");
    CHECK(strstr(ep.log, "seed-ep-0001") != NULL);
}

/* The configuration of the created endpoint (the driver compares the wire body with it). */
static const int32_t create_ports[] = { 9000 };
static const char *const create_products[] = { "4090.16c62g" };
static const novita_endpoint_volume_spec create_volumes[] = {
    { "local", 0, NULL, "/cache" },     /* size 0: the documented 30 GB */
    { "network", 0, "ns-1", "/data" },
};
static const novita_env_spec create_envs[] = { { "MODE", "test" } };

static void fill_create(novita_endpoint_config *q)
{
    memset(q, 0, sizeof *q);
    q->name = "itest-ep";
    q->app_name = "itest-app";
    q->cluster_id = "1";
    q->worker_config.min_num = 0;
    q->worker_config.max_num = 2;
    q->worker_config.free_timeout = 120;
    q->worker_config.max_concurrent = 8;
    q->worker_config.gpu_num = 1;
    q->worker_config.request_timeout = 900;
    q->ports = create_ports;
    q->port_count = 1;
    q->policy.type = "concurrency";
    q->policy.value = 20;
    q->image.image = "nginx:1.27";
    q->image.auth_id = "auth-1";
    q->image.command = "nginx -g 'daemon off;'";
    q->product_ids = create_products;
    q->product_count = 1;
    q->volume_mounts = create_volumes;
    q->volume_mount_count = 2;
    q->envs = create_envs;
    q->env_count = 1;
    q->health_path = "/ready";
}

/* Requests the library must refuse before sending anything (the driver checks nothing reached the wire). */
static void check_invalid_arguments(void)
{
    novita_endpoint_config q;
    char id[NOVITA_ID_MAX];
    novita_list empty = { NULL, 0, NULL, NULL, false, 0, 0, -1, 0 };
    const int32_t reserved[] = { 2223 };
    const novita_endpoint_volume_spec no_id[] = { { "network", 0, NULL, "/data" } };

    CHECK_EQ_INT(novita_endpoints_create(client, NULL, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    fill_create(&q);
    CHECK_EQ_INT(novita_endpoints_create(client, &q, NULL, 0, NULL), NOVITA_ERR_INVALID_ARG);
    q.image.image = "";
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last_error()->message, "image is required");
    fill_create(&q);
    q.policy.type = NULL;
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    fill_create(&q);
    q.port_count = 0;
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    fill_create(&q);
    q.ports = reserved;
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    fill_create(&q);
    q.product_count = 0;
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    fill_create(&q);
    q.health_path = NULL; /* required by create only */
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    fill_create(&q);
    q.cluster_id = NULL; /* a network volume needs the cluster */
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    fill_create(&q);
    q.volume_mounts = no_id;
    q.volume_mount_count = 1;
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last_error()->message, "network volume id is required");
    fill_create(&q);
    CHECK_EQ_INT(novita_endpoints_update(client, "", &q, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_endpoints_update(client, "seed-ep-0001", NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_endpoints_get(client, "", &ep, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_endpoints_get(client, "seed-ep-0001", NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_endpoints_delete(client, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_endpoints_limits(client, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_endpoints_list(client, NULL, &empty, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_endpoints_get(NULL, "x", &ep, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_endpoint_config_from(NULL, &q, &arrays), NOVITA_ERR_INVALID_ARG);
}

static void check_created(const char *id)
{
    CHECK_EQ_INT(novita_endpoints_get(client, id, &ep, NULL), NOVITA_OK);
    CHECK_STR(ep.id, id);
    CHECK_STR(ep.name, "itest-ep");
    CHECK_STR(ep.app_name, "itest-app");
    check_url(&ep);
    CHECK_EQ_INT(ep.worker_config.max_num, 2);
    CHECK_EQ_INT(ep.worker_config.free_timeout, 120);
    CHECK_EQ_INT(ep.worker_config.max_concurrent, 8);
    CHECK_EQ_INT(ep.worker_config.request_timeout, 900);
    CHECK_STR(ep.policy.type, "concurrency");
    CHECK_EQ_INT(ep.policy.value, 20);
    CHECK_EQ_INT(ep.ports[0].port, 9000);
    CHECK_EQ_INT(ep.rootfs_size, 100);
    CHECK_EQ_UINT(ep.volume_mount_count, 2);
    CHECK_EQ_INT(ep.volume_mounts[0].size, 30);
    CHECK_STR(ep.volume_mounts[1].id, "ns-1");
    CHECK_STR(ep.healthy.path, "/ready");
    CHECK_STR(ep.cluster_id, "1");
    CHECK(ep.worker_count >= 1);
}

/* Update from the current configuration: the API replaces everything, so start from a get. */
static void check_update(const char *id)
{
    novita_endpoint_config q;
    static const novita_env_spec envs[] = { { "STAGE", "two" } };
    CHECK_EQ_INT(novita_endpoints_get(client, id, &ep, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_endpoint_config_from(&ep, &q, &arrays), NOVITA_OK);
    q.name = "itest-ep-2";
    q.worker_config.max_num = 4;
    q.policy.type = "queue";
    q.policy.value = 30;
    q.envs = envs;
    q.env_count = 1;
    CHECK_EQ_INT(novita_endpoints_update(client, id, &q, NULL), NOVITA_OK);
    printf("UPDATED %s\n", id);

    CHECK_EQ_INT(novita_endpoints_get(client, id, &ep, NULL), NOVITA_OK);
    CHECK_STR(ep.name, "itest-ep-2");
    CHECK_EQ_INT(ep.worker_config.max_num, 4);
    CHECK_EQ_INT(ep.worker_config.free_timeout, 120); /* kept: sent back from the get */
    CHECK_STR(ep.policy.type, "queue");
    CHECK_EQ_INT(ep.policy.value, 30);
    CHECK_EQ_UINT(ep.env_count, 1);
    CHECK_STR(ep.envs[0].key, "STAGE");
    CHECK_EQ_UINT(ep.volume_mount_count, 2);
    CHECK_STR(ep.image.command, "nginx -g 'daemon off;'");
    CHECK_STR(ep.app_name, "itest-app"); /* create-only: untouched */

    /* An endpoint holding more than the struct kept cannot be described completely. */
    ep.env_total = (uint16_t)(ep.env_count + 1u);
    CHECK_EQ_INT(novita_endpoint_config_from(&ep, &q, &arrays), NOVITA_ERR_BUFFER_TOO_SMALL);
}

static void check_server_errors(void)
{
    novita_endpoint_config q;
    char id[NOVITA_ID_MAX];
    fill_create(&q);
    q.policy.value = 100000; /* outside the limits */
    check_error(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_API, 400, "VALIDATOR_PARAM");
    fill_create(&q);
    q.product_ids = (const char *const[]){ "no-such-product" };
    check_error(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_NOT_FOUND, 400,
                "SERVERLESS_PRODUCT_NOT_FOUND");
    fill_create(&q);
    q.app_name = "sd-txt2img"; /* taken by a seed endpoint */
    check_error(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_ERR_API, 400,
                "SERVERLESS_APP_NAME_IS_EXIST");
}

static void check_delete(const char *id)
{
    novita_endpoint_config q;
    fill_create(&q);
    CHECK_EQ_INT(novita_endpoints_delete(client, id, NULL), NOVITA_OK);
    check_error(novita_endpoints_get(client, id, &ep, NULL), NOVITA_ERR_NOT_FOUND, 400,
                "SERVERLESS_ENDPOINT_NOT_FOUND");
    CHECK_STR(ep.id, ""); /* zeroed on failure */
    check_error(novita_endpoints_update(client, id, &q, NULL), NOVITA_ERR_NOT_FOUND, 400,
                "SERVERLESS_ENDPOINT_NOT_FOUND");
    check_error(novita_endpoints_delete(client, id, NULL), NOVITA_ERR_NOT_FOUND, 400,
                "SERVERLESS_ENDPOINT_NOT_FOUND");
}

static void ops(void)
{
    novita_endpoint_config q;
    char id[NOVITA_ID_MAX];
    check_limits();
    check_list_page();
    check_seed_get();
    check_invalid_arguments();
    check_server_errors();

    fill_create(&q);
    CHECK_EQ_INT(novita_endpoints_create(client, &q, id, sizeof id, NULL), NOVITA_OK);
    CHECK(strlen(id) == 16);
    printf("CREATED %s\n", id);
    check_created(id);
    check_update(id);
    check_delete(id);
}

static novita_result print_item(void *user, const void *item)
{
    const novita_endpoint *e = (const novita_endpoint *)item;
    (void)user;
    printf("ITEM %s\n", e->id);
    return e->url[0] && e->workers[0].id[0] ? NOVITA_OK : NOVITA_ERR_DECODE;
}

static void pages(void)
{
    novita_endpoint_filter f = { 7, 0 };
    novita_list all = NOVITA_LIST_ALL(&ep, print_item, NULL);
    CHECK_EQ_INT(novita_endpoints_list(client, &f, &all, NULL), NOVITA_OK);
    CHECK(all.total > 40);
    CHECK_EQ_UINT(all.count, (size_t)all.total);
    printf("LISTED %lu %lld %u\n", (unsigned long)all.count, (long long)all.total, all.pages);
    printf("CONNECTIONS %u\n", client->connections_opened);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s BASE_URL CA_FILE|- ops|pages\n", argv[0]);
        return 2;
    }
    if (itest_init(&t, argv[1], argv[2]) != 0)
        return 1;
    client = &t.client;
    base_url = argv[1];
    if (strcmp(argv[3], "ops") == 0)
        ops();
    else if (strcmp(argv[3], "pages") == 0)
        pages();
    else
        CHECK(!"unknown mode");
    itest_free(&t);
    return TEST_REPORT();
}

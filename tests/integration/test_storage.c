/*
 * Network storage and VPC networks against the simulator over real sockets (HTTP or HTTPS).
 * Usage: test_storage BASE_URL CA_FILE|- MODE
 *   MODE "ops":    every operation of both resources, decoded values, error mapping, invalid arguments.
 *                  Prints "STORAGE <id>", "NETWORK <id>", "NETWORK_B <id>", "INSTANCE <id>" for the driver.
 *   MODE "paging": creates 40 storages and 40 networks, then walks them with list.all_pages.
 *   MODE "decode": no sockets (BASE_URL and CA_FILE are ignored): response shapes the simulator does not
 *                  produce (flat and wrapped network get, empty arrays, empty create bodies, the docs'
 *                  samples verbatim) served through the scripted port of the unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "novita/networks.h"
#include "novita/storage.h"
#include "test_util.h"
#include "itest.h"
#include "fake_port.h"
#include "fake_port.c" /* the scripted port of the unit tests, compiled into this program for "decode" */

#define SEED_STORAGE_1 "d4e82677-3f80-4020-a731-d15b1c589aa8" /* mounted by seed instance seed-0002 */
#define SEED_STORAGE_2 "082383c6-bc28-4bfa-a3b3-b6d6511bdf64"
#define SEED_NETWORK_1 "9dzcf4k3b7m2q8xa"
#define OTHER_USER "u0a1b2c3d4e5f6g7"
#define PAGE_ITEMS 40

static itest t;
static novita_network_storage storages[8];
static novita_network networks[8];
static novita_network net;
static novita_network_storage one_storage;

static const novita_error *last(void)
{
    return novita_client_last_error(&t.client);
}

/* The API's error as decoded: result, HTTP status and reason. */
#define CHECK_API_ERROR(call, result, status, reason_text)          \
    do {                                                              \
        CHECK_EQ_INT((call), (result));                               \
        CHECK_EQ_INT(last()->http_status, (status));                  \
        CHECK_STR(last()->reason, (reason_text));                     \
    } while (0)

/* ------------------------------------------------------------------ storage */

static void storage_seed_list(void)
{
    novita_list list = NOVITA_LIST_ARRAY(storages);
    novita_storage_filter f;
    CHECK_EQ_INT(novita_storage_list(&t.client, NULL, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_EQ_INT(list.total, 2);
    CHECK_STR(storages[0].storage_id, SEED_STORAGE_1);
    CHECK_STR(storages[0].storage_name, "123");
    CHECK_EQ_INT(storages[0].storage_size, 10);
    CHECK_STR(storages[0].cluster_id, "5");
    CHECK_STR(storages[0].cluster_name, "EU-01");
    CHECK_STR(storages[0].price, "100");

    memset(&f, 0, sizeof f);
    f.storage_id = SEED_STORAGE_2;
    f.page_size = 5;
    f.page_no = 1;
    CHECK_EQ_INT(novita_storage_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_EQ_INT(list.total, 1);
    CHECK_STR(storages[0].storage_name, "datasets");
    CHECK_EQ_INT(storages[0].storage_size, 500);
    CHECK_STR(storages[0].cluster_name, "US-01 (Dallas)");
    CHECK_STR(storages[0].price, "5000");
}

/* The one storage with this id (via the list's storageId filter): 1 when found. */
static size_t find_storage(const char *id)
{
    novita_list list = NOVITA_LIST_ARRAY(storages);
    novita_storage_filter f;
    memset(&f, 0, sizeof f);
    f.storage_id = id;
    CHECK_EQ_INT(novita_storage_list(&t.client, &f, &list, NULL), NOVITA_OK);
    if (list.count == 1)
        one_storage = storages[0];
    return list.count;
}

static void storage_lifecycle(void)
{
    char id[NOVITA_ID_MAX], small[8];
    novita_list list = NOVITA_LIST_ARRAY(storages);
    novita_storage_filter f;

    CHECK_EQ_INT(novita_storage_create(&t.client, "1", "itest-vol", 10, id, sizeof id, NULL), NOVITA_OK);
    CHECK_EQ_UINT(strlen(id), 36); /* a UUID, read from the bare JSON string */
    printf("STORAGE %s\n", id);

    memset(&f, 0, sizeof f);
    f.storage_name = "itest-vol";
    CHECK_EQ_INT(novita_storage_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_STR(storages[0].storage_id, id);
    CHECK_EQ_INT(storages[0].storage_size, 10);
    CHECK_STR(storages[0].cluster_id, "1");

    CHECK_EQ_INT(novita_storage_update(&t.client, id, "itest-vol2", 12, NULL), NOVITA_OK);
    CHECK_EQ_UINT(find_storage(id), 1);
    CHECK_STR(one_storage.storage_name, "itest-vol2");
    CHECK_EQ_INT(one_storage.storage_size, 12);
    CHECK_STR(one_storage.price, "120");

    /* Server-side rules, reported with the API's reason. */
    CHECK_API_ERROR(novita_storage_update(&t.client, id, "itest-vol2", 11, NULL), NOVITA_ERR_API, 400,
                    "VALIDATOR_PARAM"); /* cannot shrink */
    CHECK_API_ERROR(novita_storage_create(&t.client, "8", "nope", 10, id, sizeof id, NULL), NOVITA_ERR_API, 400,
                    "CUR_CLUSTER_NETWORK_STORAGE_NOT_SUPPORT");
    CHECK_STR(id, ""); /* cleared on failure */
    CHECK_API_ERROR(novita_storage_create(&t.client, "1", "huge", 20000, small, sizeof small, NULL), NOVITA_ERR_API,
                    400, "NETWORK_STORAGE_TOO_LARGE");
    CHECK_API_ERROR(novita_storage_delete(&t.client, SEED_STORAGE_1, NULL), NOVITA_ERR_API, 400,
                    "NETWORK_STORAGE_IN_USE");

    /* An id that does not fit the caller's buffer: named, with the size it needs (the storage exists now). */
    CHECK_EQ_INT(novita_storage_create(&t.client, "5", "small-buffer", 10, small, sizeof small, NULL),
                 NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK_STR(last()->what, "response.storageId");
    CHECK_EQ_UINT(last()->needed, 37);

    /* Delete, then every operation on the deleted id is "not found" (400 NETWORK_STORAGE_NOT_FOUND). */
    CHECK_EQ_UINT(find_storage(one_storage.storage_id), 1);
    CHECK_EQ_INT(novita_storage_delete(&t.client, one_storage.storage_id, NULL), NOVITA_OK);
    CHECK_EQ_UINT(find_storage(one_storage.storage_id), 0);
    CHECK_API_ERROR(novita_storage_delete(&t.client, one_storage.storage_id, NULL), NOVITA_ERR_NOT_FOUND, 400,
                    "NETWORK_STORAGE_NOT_FOUND");
    CHECK_API_ERROR(novita_storage_update(&t.client, one_storage.storage_id, "x", 20, NULL), NOVITA_ERR_NOT_FOUND,
                    400, "NETWORK_STORAGE_NOT_FOUND");
}

/* Rejected before anything is sent (the driver checks that the log has no trace of them). */
static void storage_invalid_args(void)
{
    char id[NOVITA_ID_MAX];
    novita_list empty = { storages, 0, NULL, NULL, false, 0, 0, -1, 0 };
    CHECK_EQ_INT(novita_storage_create(&t.client, NULL, "n", 10, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "cluster id is required");
    CHECK_EQ_INT(novita_storage_create(&t.client, "1", "", 10, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "storage name is required");
    CHECK_EQ_INT(novita_storage_create(&t.client, "1", "n", 0, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_storage_create(&t.client, "1", "n", 10, NULL, 0, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_storage_create(NULL, "1", "n", 10, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_storage_update(&t.client, "", "n", 10, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "storage id is required");
    CHECK_EQ_INT(novita_storage_update(&t.client, SEED_STORAGE_2, NULL, 10, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_storage_update(&t.client, SEED_STORAGE_2, "n", -5, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_storage_delete(&t.client, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_storage_list(&t.client, NULL, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_storage_list(&t.client, NULL, &empty, NULL), NOVITA_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ networks */

static void networks_seed_list(void)
{
    novita_list list = NOVITA_LIST_ARRAY(networks);
    novita_network_filter f;
    /* No pageNum: the simulator answers in the docs' shape, {"network": [...], "total": "3"}, state object[]. */
    CHECK_EQ_INT(novita_networks_list(&t.client, NULL, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 3);
    CHECK_EQ_INT(list.total, 3);
    CHECK_STR(networks[0].id, SEED_NETWORK_1);
    CHECK_STR(networks[0].user, "u7k2m9x4p1q8w3e6");
    CHECK_STR(networks[0].name, "default-vpc");
    CHECK_STR(networks[0].state.state, "ready");
    CHECK_STR(networks[0].segment, "10.0.0.0/24");
    CHECK_STR(networks[0].cluster_id, "1");
    CHECK_EQ_INT(networks[0].create_time, 1717401600);
    CHECK_EQ_UINT(networks[0].address_count, 0);

    /* Odd pageNum: the live shape, {"networks": [...], "total": 3}, state an object. */
    memset(&f, 0, sizeof f);
    f.page_num = 1;
    f.page_size = 2;
    CHECK_EQ_INT(novita_networks_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_EQ_INT(list.total, 3);
    CHECK_STR(networks[1].name, "training");
    CHECK_STR(networks[1].state.state, "ready");
    CHECK_EQ_INT(networks[1].create_time, 1719993600);

    memset(&f, 0, sizeof f);
    f.creators = OTHER_USER;
    CHECK_EQ_INT(novita_networks_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_STR(networks[0].name, "team-shared");
    CHECK_STR(networks[0].user, OTHER_USER);
    memset(&f, 0, sizeof f);
    f.name = "TRAIN";
    CHECK_EQ_INT(novita_networks_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_STR(networks[0].id, "p3n8v6t1w5r9y2hc");
}

/* Id of the one network named exactly `name` (listed by name, as callers must after a create). */
static void network_id_by_name(const char *name, char *id, size_t size)
{
    novita_list list = NOVITA_LIST_ARRAY(networks);
    novita_network_filter f;
    id[0] = '\0';
    memset(&f, 0, sizeof f);
    f.name = name;
    CHECK_EQ_INT(novita_networks_list(&t.client, &f, &list, NULL), NOVITA_OK);
    for (size_t k = 0; k < list.count; k++) {
        if (strcmp(networks[k].name, name) == 0)
            (void)snprintf(id, size, "%s", networks[k].id);
    }
}

static void networks_lifecycle(void)
{
    char id[NOVITA_ID_MAX], id_b[NOVITA_ID_MAX], instance_id[NOVITA_ID_MAX];
    novita_instance_create q;

    CHECK_EQ_INT(novita_networks_create(&t.client, "1", "itest-net", &net, NULL), NOVITA_OK);
    CHECK(net.id[0] != '\0'); /* the simulator's first create returns {"network": [Network]} as documented */
    CHECK_STR(net.name, "itest-net");
    CHECK_STR(net.cluster_id, "1");
    CHECK_STR(net.state.state, "creating");
    CHECK(net.create_time > 1700000000);
    CHECK(net.segment[0] != '\0');
    (void)snprintf(id, sizeof id, "%s", net.id);
    printf("NETWORK %s\n", id);

    /* The simulator's second create answers {} like the live API: no network, so the id comes from the
     * list, by name. */
    memset(&net, 0x55, sizeof net);
    CHECK_EQ_INT(novita_networks_create(&t.client, "8", "itest-net-b", &net, NULL), NOVITA_OK);
    CHECK_STR(net.id, "");
    CHECK_STR(net.name, "");
    network_id_by_name("itest-net-b", id_b, sizeof id_b);
    CHECK(id_b[0] != '\0');
    printf("NETWORK_B %s\n", id_b);

    CHECK_EQ_INT(novita_networks_get(&t.client, id, &net, NULL), NOVITA_OK);
    CHECK_STR(net.id, id);
    CHECK_STR(net.name, "itest-net");
    CHECK_STR(net.user, "u7k2m9x4p1q8w3e6");

    CHECK_EQ_INT(novita_networks_update(&t.client, id, "itest-net-2", NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_networks_get(&t.client, id, &net, NULL), NOVITA_OK);
    CHECK_STR(net.name, "itest-net-2");

    /* An instance in the network shows up in Addresses (capitalised keys) and blocks the delete. */
    memset(&q, 0, sizeof q);
    q.name = "itest-vpc-member";
    q.product_id = "4090.16c62g";
    q.image_url = "nginx:latest";
    q.cluster_id = "1";
    q.network_id = id;
    CHECK_EQ_INT(novita_instances_create(&t.client, &q, instance_id, sizeof instance_id, NULL), NOVITA_OK);
    printf("INSTANCE %s\n", instance_id);
    CHECK_EQ_INT(novita_networks_get(&t.client, id, &net, NULL), NOVITA_OK);
    CHECK_EQ_UINT(net.address_count, 1);
    CHECK_EQ_UINT(net.address_total, 1);
    CHECK_STR(net.addresses[0].id, instance_id);
    CHECK(strncmp(net.addresses[0].ip, "10.0.0.", 7) == 0);
    CHECK_API_ERROR(novita_networks_delete(&t.client, id, NULL), NOVITA_ERR_API, 400, "NETWORK_IN_USE");
    CHECK_EQ_INT(novita_instances_delete(&t.client, instance_id, NULL), NOVITA_OK);

    CHECK_EQ_INT(novita_networks_delete(&t.client, id, NULL), NOVITA_OK);
    CHECK_API_ERROR(novita_networks_get(&t.client, id, &net, NULL), NOVITA_ERR_NOT_FOUND, 400, "NETWORK_NOT_FOUND");
    CHECK_STR(net.id, ""); /* zeroed on failure */
    CHECK_API_ERROR(novita_networks_update(&t.client, id, "again", NULL), NOVITA_ERR_NOT_FOUND, 400,
                    "NETWORK_NOT_FOUND");
    CHECK_API_ERROR(novita_networks_delete(&t.client, id, NULL), NOVITA_ERR_NOT_FOUND, 400, "NETWORK_NOT_FOUND");
    CHECK_EQ_INT(novita_networks_delete(&t.client, id_b, NULL), NOVITA_OK);

    /* Server-side validation. */
    CHECK_API_ERROR(novita_networks_create(&t.client, "5", "no-vpc-here", &net, NULL), NOVITA_ERR_API, 400,
                    "VALIDATOR_PARAM"); /* cluster 5 has no VPC support */
    CHECK_API_ERROR(novita_networks_create(&t.client, "1", "a-name-longer-than-thirty-chars", &net, NULL),
                    NOVITA_ERR_API, 400, "VALIDATOR_PARAM");
}

static void networks_invalid_args(void)
{
    CHECK_EQ_INT(novita_networks_get(&t.client, NULL, &net, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "network id is required");
    CHECK_EQ_INT(novita_networks_get(&t.client, SEED_NETWORK_1, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_networks_create(&t.client, "", "n", &net, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "cluster id is required");
    CHECK_EQ_INT(novita_networks_update(&t.client, SEED_NETWORK_1, "", NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_STR(last()->message, "network name is required");
    CHECK_EQ_INT(novita_networks_update(&t.client, NULL, "n", NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_networks_delete(&t.client, "", NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_networks_delete(NULL, "x", NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_networks_list(&t.client, NULL, NULL, NULL), NOVITA_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ paging */

typedef struct walk {
    char names[PAGE_ITEMS][NOVITA_NAME_MAX];
    size_t seen;
    size_t foreign; /* elements that are not ours */
} walk;

static walk g_walk;

/* Record a name once; a second sighting is a duplicate the walk must not deliver. */
static void walk_add(walk *w, const char *prefix, const char *name)
{
    if (strncmp(name, prefix, strlen(prefix)) != 0) {
        w->foreign++;
        return;
    }
    for (size_t k = 0; k < w->seen && k < PAGE_ITEMS; k++) {
        if (strcmp(w->names[k], name) == 0) {
            CHECK(!"element delivered twice");
            fprintf(stderr, "    duplicate %s\n", name);
            return;
        }
    }
    if (w->seen < PAGE_ITEMS)
        (void)snprintf(w->names[w->seen], sizeof w->names[0], "%s", name);
    w->seen++;
}

static novita_result on_storage(void *user, const void *item)
{
    walk_add((walk *)user, "page-vol-", ((const novita_network_storage *)item)->storage_name);
    return NOVITA_OK;
}

static novita_result on_network(void *user, const void *item)
{
    walk_add((walk *)user, "page-net-", ((const novita_network *)item)->name);
    return NOVITA_OK;
}

static void paging(void)
{
    novita_network_storage scratch_storage;
    novita_network scratch_network;
    novita_storage_filter sf;
    novita_network_filter nf;
    char id[NOVITA_ID_MAX], name[32];
    novita_list list;
    for (int k = 0; k < PAGE_ITEMS; k++) {
        (void)snprintf(name, sizeof name, "page-vol-%02d", k);
        CHECK_EQ_INT(novita_storage_create(&t.client, "1", name, 10 + k, id, sizeof id, NULL), NOVITA_OK);
        (void)snprintf(name, sizeof name, "page-net-%02d", k);
        /* Without an output struct the response is not read at all (either shape is fine). */
        CHECK_EQ_INT(novita_networks_create(&t.client, k % 2 ? "1" : "8", name, NULL, NULL), NOVITA_OK);
    }

    memset(&g_walk, 0, sizeof g_walk);
    memset(&sf, 0, sizeof sf);
    sf.storage_name = "page-vol";
    sf.page_size = 7;
    sf.page_no = 3; /* ignored by the walk */
    list = (novita_list)NOVITA_LIST_ALL(&scratch_storage, on_storage, &g_walk);
    CHECK_EQ_INT(novita_storage_list(&t.client, &sf, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(g_walk.seen, PAGE_ITEMS);
    CHECK_EQ_UINT(g_walk.foreign, 0);
    CHECK_EQ_UINT(list.count, PAGE_ITEMS);
    CHECK_EQ_INT(list.total, PAGE_ITEMS);
    printf("STORAGE_WALK %lu %u\n", (unsigned long)list.count, (unsigned)list.pages);

    /* Every storage, seeds included, at the default page size: one page of 42. */
    memset(&g_walk, 0, sizeof g_walk);
    list = (novita_list)NOVITA_LIST_ALL(&scratch_storage, on_storage, &g_walk);
    CHECK_EQ_INT(novita_storage_list(&t.client, NULL, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(g_walk.seen, PAGE_ITEMS);
    CHECK_EQ_UINT(g_walk.foreign, 2);
    CHECK_EQ_INT(list.total, PAGE_ITEMS + 2);

    /* Networks: page numbers alternate the response shape ("networks"/int total, "network"/string total).
     * First let every new network leave "creating" (one simulator step), so that a page a 1-based server
     * repeats is byte-for-byte the same and recognised as a repeat. */
    {
        novita_port *port = novita_posix_port_get(&t.posix);
        port->sleep_ms(port->ctx, 500);
    }
    memset(&g_walk, 0, sizeof g_walk);
    memset(&nf, 0, sizeof nf);
    nf.name = "page-net-";
    nf.page_size = 6;
    list = (novita_list)NOVITA_LIST_ALL(&scratch_network, on_network, &g_walk);
    CHECK_EQ_INT(novita_networks_list(&t.client, &nf, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(g_walk.seen, PAGE_ITEMS);
    CHECK_EQ_UINT(g_walk.foreign, 0);
    CHECK_EQ_INT(list.total, PAGE_ITEMS);
    printf("NETWORK_WALK %lu %u\n", (unsigned long)list.count, (unsigned)list.pages);

    /* Array mode over all pages stops once the array is full. */
    {
        novita_list arr = NOVITA_LIST_ARRAY(networks);
        arr.all_pages = true;
        CHECK_EQ_INT(novita_networks_list(&t.client, &nf, &arr, NULL), NOVITA_OK);
        CHECK_EQ_UINT(arr.count, sizeof networks / sizeof networks[0]);
        CHECK(strncmp(networks[7].name, "page-net-", 9) == 0);
    }
}

/* ------------------------------------------------------------------ decode (scripted port) */

static fake_port fake;
static novita_client fclient;
static char script_buf[8192];

/* A fresh client whose only response is `status` + `body`. */
static novita_client *serve(int status, const char *body)
{
    novita_client_config cfg;
    fake_port_init(&fake);
    (void)snprintf(script_buf, sizeof script_buf,
                   "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %lu\r\n\r\n%s", status,
                   (unsigned long)strlen(body), body);
    fake.responses[0] = script_buf;
    fake.response_count = 1;
    novita_client_config_init(&cfg);
    cfg.api_key = "k";
    cfg.base_url = "http://api.test";
    cfg.max_retries = 0;
    CHECK_EQ_INT(novita_client_init(&fclient, &cfg, &fake.port, t.work, sizeof t.work, t.tokens, NOVITA_JSON_TOKENS),
                 NOVITA_OK);
    return &fclient;
}

#define NET_JSON(id) "{\"Id\":\"" id "\",\"name\":\"n\",\"state\":{\"state\":\"ready\"},\"createTime\":\"42\"}"

static void decode(void)
{
    char id[NOVITA_ID_MAX];
    novita_client *c;
    novita_list list = NOVITA_LIST_ARRAY(networks);
    novita_list slist = NOVITA_LIST_ARRAY(storages);

    /* The docs' storage list sample, verbatim (samples/docs_list_network_storages.json). */
    c = serve(200, "{\"data\":[{\"storageId\":\"d4e82677-3f80-4020-a731-d15b1c589aa8\",\"storageName\":\"123\","
                   "\"storageSize\":10,\"clusterId\":\"5\",\"clusterName\":\"EU-01\",\"price\":\"100\"},"
                   "{\"storageId\":\"082383c6-bc28-4bfa-a3b3-b6d6511bdf64\",\"storageName\":\"123\","
                   "\"storageSize\":10,\"clusterId\":\"5\",\"clusterName\":\"EU-01\",\"price\":\"100\"}],"
                   "\"total\":2}");
    CHECK_EQ_INT(novita_storage_list(c, NULL, &slist, NULL), NOVITA_OK);
    CHECK_EQ_UINT(slist.count, 2);
    CHECK_STR(storages[1].storage_id, "082383c6-bc28-4bfa-a3b3-b6d6511bdf64");
    CHECK(strstr(fake_port_request(&fake, 0), "GET /gpu-instance/openapi/v1/networkstorages/list HTTP/1.1") != NULL);
    /* A numeric price is kept as its text; storageSize as a string is a number. */
    c = serve(200, "{\"data\":[{\"storageId\":\"s\",\"storageSize\":\"25\",\"price\":250.5}],\"total\":\"1\"}");
    CHECK_EQ_INT(novita_storage_list(c, NULL, &slist, NULL), NOVITA_OK);
    CHECK_EQ_INT(storages[0].storage_size, 25);
    CHECK_STR(storages[0].price, "250.5");
    CHECK_EQ_INT(slist.total, 1);

    /* Storage create: the bare string (documented), or an object with storageId. */
    c = serve(200, "\"0c8a2d5e-0000-4000-8000-000000000001\"");
    CHECK_EQ_INT(novita_storage_create(c, "1", "v", 10, id, sizeof id, NULL), NOVITA_OK);
    CHECK_STR(id, "0c8a2d5e-0000-4000-8000-000000000001");
    c = serve(200, "{\"storageId\":\"s-2\"}");
    CHECK_EQ_INT(novita_storage_create(c, "1", "v", 10, id, sizeof id, NULL), NOVITA_OK);
    CHECK_STR(id, "s-2");
    c = serve(200, "{}"); /* created, but no id to report */
    CHECK_EQ_INT(novita_storage_create(c, "1", "v", 10, id, sizeof id, NULL), NOVITA_ERR_DECODE);
    CHECK_STR(id, "");
    /* update/delete: any 2xx body is success. */
    c = serve(200, "");
    CHECK_EQ_INT(novita_storage_update(c, "s", "v", 12, NULL), NOVITA_OK);
    CHECK(strstr(fake_port_request(&fake, 0), "{\"storageId\":\"s\",\"storageName\":\"v\",\"storageSize\":12}") != NULL);
    c = serve(200, "not json");
    CHECK_EQ_INT(novita_storage_delete(c, "s", NULL), NOVITA_OK);

    /* The SDK test's network list sample (samples/sdk_test_list_networks.json): "networks", total "1". */
    c = serve(200, "{\"networks\":[{\"Id\":\"net-1\",\"user\":\"user-1\",\"name\":\"Network 1\",\"state\":"
                   "{\"state\":\"ready\"},\"segment\":\"10.0.0.0/24\",\"clusterId\":\"cluster-1\",\"Addresses\":"
                   "[{\"Id\":\"addr-1\",\"Ip\":\"10.0.0.5\"}],\"createTime\":\"1234567890\"}],\"total\":\"1\"}");
    CHECK_EQ_INT(novita_networks_list(c, NULL, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_EQ_INT(list.total, 1);
    CHECK_STR(networks[0].id, "net-1");
    CHECK_STR(networks[0].addresses[0].id, "addr-1");
    CHECK_STR(networks[0].addresses[0].ip, "10.0.0.5");
    CHECK_EQ_INT(networks[0].create_time, 1234567890);
    /* Lower-case id/ip, state as an array with an error. */
    c = serve(200, "{\"network\":[{\"id\":\"n-2\",\"state\":[{\"state\":\"creating\",\"error\":\"quota\"}],"
                   "\"Addresses\":[{\"id\":\"i-1\",\"ip\":\"10.1.0.2\"}]}],\"total\":1}");
    CHECK_EQ_INT(novita_networks_list(c, NULL, &list, NULL), NOVITA_OK);
    CHECK_STR(networks[0].id, "n-2");
    CHECK_STR(networks[0].state.state, "creating");
    CHECK_STR(networks[0].state.error, "quota");
    CHECK_STR(networks[0].addresses[0].ip, "10.1.0.2");

    /* Get: the documented one-element array, a wrapped object, a flat object. */
    c = serve(200, "{\"network\":[" NET_JSON("a") "]}");
    CHECK_EQ_INT(novita_networks_get(c, "a", &net, NULL), NOVITA_OK);
    CHECK_STR(net.id, "a");
    CHECK_EQ_INT(net.create_time, 42);
    CHECK(strstr(fake_port_request(&fake, 0), "GET /gpu-instance/openapi/v1/network?networkId=a HTTP/1.1") != NULL);
    c = serve(200, "{\"network\":" NET_JSON("b") "}");
    CHECK_EQ_INT(novita_networks_get(c, "b", &net, NULL), NOVITA_OK);
    CHECK_STR(net.id, "b");
    c = serve(200, NET_JSON("c"));
    CHECK_EQ_INT(novita_networks_get(c, "c", &net, NULL), NOVITA_OK);
    CHECK_STR(net.state.state, "ready");
    /* An empty array, or nothing with an id: not found, with the 200 status and a clear message. */
    c = serve(200, "{\"network\":[]}");
    CHECK_EQ_INT(novita_networks_get(c, "d", &net, NULL), NOVITA_ERR_NOT_FOUND);
    CHECK_EQ_INT(novita_client_last_error(c)->http_status, 200);
    CHECK_STR(novita_client_last_error(c)->message, "network not found: the response held no network");
    CHECK_STR(net.id, "");
    c = serve(200, "{}");
    CHECK_EQ_INT(novita_networks_get(c, "e", &net, NULL), NOVITA_ERR_NOT_FOUND);
    c = serve(200, "{\"network\":null}");
    CHECK_EQ_INT(novita_networks_get(c, "f", &net, NULL), NOVITA_ERR_NOT_FOUND);
    /* A field that does not fit stays an error naming the field (not a "not found"). */
    c = serve(200, "{\"network\":[{\"Id\":\"g\",\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]}");
    CHECK_EQ_INT(novita_networks_get(c, "g", &net, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK_STR(novita_client_last_error(c)->what, "network.name");
    /* A 400 NETWORK_NOT_FOUND envelope. */
    c = serve(400, "{\"code\":400,\"reason\":\"NETWORK_NOT_FOUND\",\"message\":\"network not found\",\"metadata\":{}}");
    CHECK_EQ_INT(novita_networks_get(c, "h", &net, NULL), NOVITA_ERR_NOT_FOUND);
    CHECK_STR(novita_client_last_error(c)->reason, "NETWORK_NOT_FOUND");

    /* Create: the documented {"network": [Network]}, or no network at all (the live API, per the SDK). */
    c = serve(200, "{\"network\":[" NET_JSON("new-1") "]}");
    CHECK_EQ_INT(novita_networks_create(c, "1", "n", &net, NULL), NOVITA_OK);
    CHECK_STR(net.id, "new-1");
    CHECK(strstr(fake_port_request(&fake, 0), "\r\n\r\n{\"clusterId\":\"1\",\"name\":\"n\"}") != NULL);
    {
        static const char *const none[] = { "{}", "", "{\"network\":[]}", "null", "\"ok\"", "not json" };
        for (size_t k = 0; k < sizeof none / sizeof none[0]; k++) {
            TEST_CONTEXT(none[k]);
            memset(&net, 0x55, sizeof net);
            c = serve(200, none[k]);
            CHECK_EQ_INT(novita_networks_create(c, "1", NULL, &net, NULL), NOVITA_OK);
            CHECK_STR(net.id, "");
            CHECK_STR(net.name, "");
            CHECK(strstr(fake_port_request(&fake, 0), "\r\n\r\n{\"clusterId\":\"1\"}") != NULL);
        }
        TEST_CONTEXT(NULL);
    }
    /* ...but an HTTP error is still an error. */
    c = serve(400, "{\"code\":400,\"reason\":\"NETWORK_MAX_LIMIT\",\"message\":\"limit\",\"metadata\":{}}");
    CHECK_EQ_INT(novita_networks_create(c, "1", "n", &net, NULL), NOVITA_ERR_API);
    CHECK_STR(novita_client_last_error(c)->reason, "NETWORK_MAX_LIMIT");
    CHECK_STR(net.id, "");
    novita_client_close(&fclient);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s BASE_URL CA_FILE|- ops|paging|decode\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[3], "decode") == 0) {
        decode();
        return TEST_REPORT();
    }
    if (itest_init(&t, argv[1], argv[2]) != 0)
        return 1;
    if (strcmp(argv[3], "ops") == 0) {
        storage_seed_list();
        storage_invalid_args();
        storage_lifecycle();
        networks_seed_list();
        networks_invalid_args();
        networks_lifecycle();
    } else if (strcmp(argv[3], "paging") == 0) {
        paging();
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[3]);
        itest_free(&t);
        return 2;
    }
    printf("CONNECTIONS %u\n", t.client.connections_opened);
    itest_free(&t);
    return TEST_REPORT();
}

/*
 * The library against the simulator's fault switches (set by run_faults.py through /__sim/faults before
 * each mode). Usage: test_faults BASE_URL CA_FILE|- MODE
 *   reads        clusters, products, instances list (all pages) and get must succeed unchanged
 *   rate-limited a get succeeds after the 429s (attempts and sleep reported: "ATTEMPTS n ELAPSED_MS t")
 *   exhausted    a get fails NOVITA_ERR_RATE_LIMITED after all retries
 *   create-503   a create answered 503 fails NOVITA_ERR_SERVER after one attempt (never resent)
 *   create-cut   a create whose response is cut fails NOVITA_ERR_NETWORK after one attempt (never resent)
 *   get-cut      a get whose body is cut once is retried and succeeds
 *   get-cut-all  a get whose body is always cut fails NOVITA_ERR_NETWORK, the struct zeroed
 *   slow         a silent server ends in NOVITA_ERR_TIMEOUT within the inactivity timeout
 *   deadline     several slow attempts end in NOVITA_ERR_TIMEOUT at the overall deadline
 * Every mode prints "CONNECTIONS n" at the end.
 */
#include "test_util.h"
#include "itest.h"

static itest t;
static novita_instance inst;
static novita_cluster clusters[8];
static novita_gpu_product products[8];

static uint32_t now_ms(void)
{
    return t.posix.table.now_ms(t.posix.table.ctx);
}

typedef struct counter {
    size_t count;
} counter;

static novita_result count_item(void *user, const void *item)
{
    (void)item;
    ((counter *)user)->count++;
    return NOVITA_OK;
}

static void reads(void)
{
    novita_list cl = NOVITA_LIST_ARRAY(clusters);
    novita_list pl = NOVITA_LIST_ARRAY(products);
    counter n = { 0 };
    novita_list all = NOVITA_LIST_ALL(&inst, count_item, &n);
    for (int round = 0; round < 3; round++) {
        CHECK_EQ_INT(novita_clusters_list(&t.client, &cl, NULL), NOVITA_OK);
        CHECK(cl.count >= 4);
        CHECK_EQ_INT(novita_gpu_products_list(&t.client, NULL, &pl, NULL), NOVITA_OK);
        CHECK(pl.count >= 4);
        n.count = 0;
        CHECK_EQ_INT(novita_instances_list(&t.client, NULL, &all, NULL), NOVITA_OK);
        CHECK_EQ_UINT(n.count, 2);
        CHECK_EQ_INT(novita_instances_get(&t.client, "seed-0001", &inst, NULL), NOVITA_OK);
        CHECK_STR(inst.id, "seed-0001");
    }
}

static void get_seed(novita_result expected)
{
    uint32_t start = now_ms();
    CHECK_EQ_INT(novita_instances_get(&t.client, "seed-0001", &inst, NULL), expected);
    printf("ATTEMPTS %u ELAPSED_MS %u\n", (unsigned)novita_client_last_error(&t.client)->attempts,
           (unsigned)(now_ms() - start));
    if (expected == NOVITA_OK)
        CHECK_STR(inst.id, "seed-0001");
    else
        CHECK(test_all_zero(&inst, sizeof inst));
}

static void create(novita_result expected)
{
    novita_instance_create q;
    char id[NOVITA_ID_MAX];
    memset(&q, 0, sizeof q);
    q.name = "faulty";
    q.product_id = "4090.16c62g";
    q.image_url = "nginx:latest";
    CHECK_EQ_INT(novita_instances_create(&t.client, &q, id, sizeof id, NULL), expected);
    CHECK_EQ_UINT(novita_client_last_error(&t.client)->attempts, 1);
    CHECK_STR(id, "");
}

int main(int argc, char **argv)
{
    const char *mode;
    if (argc != 4) {
        fprintf(stderr, "usage: %s BASE_URL CA_FILE|- MODE\n", argv[0]);
        return 2;
    }
    if (itest_init(&t, argv[1], argv[2]) != 0)
        return 1;
    mode = argv[3];
    if (strcmp(mode, "reads") == 0) {
        reads();
    } else if (strcmp(mode, "rate-limited") == 0) {
        get_seed(NOVITA_OK);
    } else if (strcmp(mode, "exhausted") == 0) {
        novita_call_opts opts = NOVITA_CALL_OPTS_INIT;
        opts.max_retries = 2;
        CHECK_EQ_INT(novita_instances_get(&t.client, "seed-0001", &inst, &opts), NOVITA_ERR_RATE_LIMITED);
        CHECK_EQ_UINT(novita_client_last_error(&t.client)->attempts, 3);
        CHECK_EQ_INT(novita_client_last_error(&t.client)->http_status, 429);
        CHECK_STR(novita_client_last_error(&t.client)->reason, "RATE_LIMIT_EXCEEDED");
    } else if (strcmp(mode, "create-503") == 0) {
        create(NOVITA_ERR_SERVER);
    } else if (strcmp(mode, "create-cut") == 0) {
        create(NOVITA_ERR_NETWORK);
    } else if (strcmp(mode, "get-cut") == 0) {
        get_seed(NOVITA_OK);
        CHECK_EQ_UINT(novita_client_last_error(&t.client)->attempts, 2);
    } else if (strcmp(mode, "get-cut-all") == 0) {
        get_seed(NOVITA_ERR_NETWORK);
        CHECK(!t.client.connected);
    } else if (strcmp(mode, "slow") == 0) {
        novita_call_opts opts = NOVITA_CALL_OPTS_INIT;
        uint32_t start = now_ms();
        opts.io_timeout_ms = 300;
        opts.max_retries = 0;
        CHECK_EQ_INT(novita_instances_get(&t.client, "seed-0001", &inst, &opts), NOVITA_ERR_TIMEOUT);
        CHECK(now_ms() - start < 1500);
        CHECK(!t.client.connected);
    } else if (strcmp(mode, "deadline") == 0) {
        novita_call_opts opts = NOVITA_CALL_OPTS_INIT;
        uint32_t start = now_ms(), took;
        opts.io_timeout_ms = 500;   /* each attempt times out... */
        opts.deadline_ms = 1200;    /* ...and all of them together stop here */
        opts.max_retries = 10;
        CHECK_EQ_INT(novita_instances_get(&t.client, "seed-0001", &inst, &opts), NOVITA_ERR_TIMEOUT);
        took = now_ms() - start;
        CHECK(took >= 1000 && took < 2500);
        CHECK(novita_client_last_error(&t.client)->attempts >= 2);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    printf("CONNECTIONS %u\n", t.client.connections_opened);
    itest_free(&t);
    return TEST_REPORT();
}

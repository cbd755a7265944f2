/*
 * Jobs, save image and image prewarm against the simulator over real sockets (HTTP or HTTPS).
 * Usage: test_jobs BASE_URL CA_FILE|- MODE
 *   MODE "ops":   every operation once or more, with decoded values, error mapping and invalid arguments.
 *                 Prints "SAVED <job id>", "SAVED_FAIL <job id>", "PREWARM <id>" and "PREWARM2 <id>" for
 *                 the driver's wire checks.
 *   MODE "pages": creates jobs and prewarm tasks through the API until each list holds over 40, then walks
 *                 both with list.all_pages. Prints "JOBS <n> PAGES <p>" and "PREWARMS <n> PAGES <p>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "itest.h"
#include "novita/jobs.h"
#include "novita/prewarm.h"

#define SEED_RUNNING_JOB "2b7kq0c1m5x8d3fa"
#define POLL_MS 50u
#define POLL_TRIES 200
#define MANY 38 /* created in "pages" mode, on top of the simulator's seed (4 jobs, 3 tasks) */

static itest t;
static novita_client *client;
static novita_job jobs[8];
static novita_job one_job;
static novita_prewarm_task tasks[4];
static novita_prewarm_task one_task;

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

static void pause_ms(uint32_t ms)
{
    t.posix.table.sleep_ms(t.posix.table.ctx, ms);
}

/* The job with this id (filtered list of one), into one_job. */
static novita_result get_job(const char *id)
{
    novita_job_filter f;
    novita_list list = NOVITA_LIST_ARRAY(jobs);
    novita_result r;
    memset(&f, 0, sizeof f);
    f.job_id = id;
    r = novita_jobs_list(client, &f, &list, NULL);
    if (r == NOVITA_OK && list.count != 1)
        r = NOVITA_ERR_NOT_FOUND;
    if (r == NOVITA_OK)
        one_job = jobs[0];
    return r;
}

/* Poll a job until its state is `state`; false when it never got there. */
static bool wait_job(const char *id, const char *state)
{
    for (int i = 0; i < POLL_TRIES; i++) {
        if (get_job(id) != NOVITA_OK)
            return false;
        if (strcmp(one_job.state.state, state) == 0)
            return true;
        pause_ms(POLL_MS);
    }
    return false;
}

static novita_result on_task_find(void *user, const void *item)
{
    const novita_prewarm_task *task = (const novita_prewarm_task *)item;
    if (strcmp(task->id, (const char *)user) == 0)
        one_task = *task;
    return NOVITA_OK;
}

/* The task with this id (every page walked), into one_task; false when absent. */
static bool get_task(const char *id)
{
    novita_prewarm_task scratch;
    novita_list list = NOVITA_LIST_ALL(&scratch, on_task_find, (void *)(uintptr_t)id);
    memset(&one_task, 0, sizeof one_task);
    return novita_prewarm_list(client, NULL, &list, NULL) == NOVITA_OK && strcmp(one_task.id, id) == 0;
}

static bool wait_task(const char *id, const char *state)
{
    for (int i = 0; i < POLL_TRIES; i++) {
        if (!get_task(id))
            return false;
        if (strcmp(one_task.state, state) == 0)
            return true;
        pause_ms(POLL_MS);
    }
    return false;
}

/* ------------------------------------------------------------------ jobs */

static void jobs_list_ops(void)
{
    novita_job_filter f;
    novita_list list = NOVITA_LIST_ARRAY(jobs);

    /* saveImage jobs of the seed: newest first; the newer one spells its detail "message" (SPEC). */
    memset(&f, 0, sizeof f);
    f.type = "saveImage";
    f.page_size = 10;
    f.page_num = 1;
    CHECK_EQ_INT(novita_jobs_list(client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_EQ_INT(list.total, 2);
    CHECK_STR(jobs[0].id, "4d9ms2e3o7z0f5hc"); /* "Id" on the wire */
    CHECK_STR(jobs[0].type, "saveImage");
    CHECK_STR(jobs[0].user, "sim-user-0001");
    CHECK_STR(jobs[0].instance_id, "seed-0001");
    CHECK_STR(jobs[0].state.state, "fail");
    CHECK_STR(jobs[0].state.error, "pushFailed");
    CHECK_STR(jobs[0].state.error_message, "unauthorized: authentication required");
    CHECK_EQ_UINT(jobs[0].env_count, 1);
    CHECK_STR(jobs[0].envs[0].key, "IMAGE_PUSH_RETRY");
    CHECK_STR(jobs[0].envs[0].value, "3");
    CHECK(jobs[0].created_at > 1000000000); /* a Unix-second string on the wire */
    CHECK_STR(jobs[0].log_address, "https://logs.sim.novita.local/jobs/4d9ms2e3o7z0f5hc");
    CHECK_STR(jobs[1].id, "10wi9visv0rqt57w");
    CHECK_STR(jobs[1].state.state, "success");
    CHECK(jobs[1].created_at < jobs[0].created_at);

    /* Failed jobs: the older one spells its detail "errorMessage" (docs). */
    memset(&f, 0, sizeof f);
    f.state = "fail";
    CHECK_EQ_INT(novita_jobs_list(client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_STR(jobs[1].id, "3c8lr1d2n6y9e4gb");
    CHECK_STR(jobs[1].type, "autoInstanceMigrate");
    CHECK_STR(jobs[1].state.error, "migrateFailed");
    CHECK_STR(jobs[1].state.error_message, "no node with enough free GPUs in the cluster");
    CHECK_EQ_UINT(jobs[1].env_count, 0);

    /* Every other filter at once. */
    memset(&f, 0, sizeof f);
    f.job_id = SEED_RUNNING_JOB;
    f.start_time = 1;
    f.end_time = 4102444800; /* 2100-01-01 */
    f.creators = "sim-user-0001";
    CHECK_EQ_INT(novita_jobs_list(client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_STR(jobs[0].id, SEED_RUNNING_JOB);
    CHECK_STR(jobs[0].type, "instanceMigrate");
    CHECK_STR(jobs[0].state.state, "running");
}

static void jobs_break_ops(void)
{
    CHECK_EQ_INT(novita_jobs_break(client, SEED_RUNNING_JOB, NULL), NOVITA_OK);
    CHECK_EQ_INT(get_job(SEED_RUNNING_JOB), NOVITA_OK);
    CHECK_STR(one_job.state.state, "break");
    /* A job that has ended cannot be broken: a plain API error, not "not found". */
    check_error(novita_jobs_break(client, SEED_RUNNING_JOB, NULL), NOVITA_ERR_API, 400, "VALIDATOR_PARAM");
    check_error(novita_jobs_break(client, "nosuchjob", NULL), NOVITA_ERR_NOT_FOUND, 400, "JOB_NOT_FOUND");
    /* Invalid arguments never reach the server. */
    CHECK_EQ_INT(novita_jobs_break(client, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_jobs_break(client, "", NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_jobs_break(NULL, SEED_RUNNING_JOB, NULL), NOVITA_ERR_INVALID_ARG);
}

static void save_image_ops(void)
{
    novita_image_save q;
    char job_id[NOVITA_ID_MAX], tiny[4];

    memset(&q, 0, sizeof q);
    q.instance_id = "seed-0001";
    q.image = "registry.example.com/team/seed-web:v1";
    q.registry_auth_id = "ra-sim-0001";
    CHECK_EQ_INT(novita_images_save(client, &q, job_id, sizeof job_id, NULL), NOVITA_OK);
    printf("SAVED %s\n", job_id);
    CHECK_EQ_UINT(strlen(job_id), 16);
    CHECK(wait_job(job_id, "success"));
    CHECK_STR(one_job.type, "saveImage");
    CHECK_STR(one_job.instance_id, "seed-0001");
    CHECK_STR(one_job.state.error_message, "");

    /* A push that fails: the job ends in "fail" with its errorMessage. */
    q.instance_id = "seed-0002";
    q.image = "registry.example.com/team/fail:v1";
    q.registry_auth_id = NULL;
    CHECK_EQ_INT(novita_images_save(client, &q, job_id, sizeof job_id, NULL), NOVITA_OK);
    printf("SAVED_FAIL %s\n", job_id);
    CHECK(wait_job(job_id, "fail"));
    CHECK_STR(one_job.state.error, "pushFailed");
    CHECK_STR(one_job.state.error_message, "image push failed: registry refused the upload");

    /* An unknown instance: 400 RESOURCE_NOT_FOUND, mapped to not found; the output is cleared. */
    q.instance_id = "nosuchinstance";
    check_error(novita_images_save(client, &q, job_id, sizeof job_id, NULL), NOVITA_ERR_NOT_FOUND, 400,
                "RESOURCE_NOT_FOUND");
    CHECK_STR(job_id, "");

    /* A job id that does not fit the caller's buffer is a clear error (the job exists nonetheless). */
    q.instance_id = "seed-0001";
    CHECK_EQ_INT(novita_images_save(client, &q, tiny, sizeof tiny, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK_STR(tiny, "");

    /* Invalid arguments never reach the server. */
    CHECK_EQ_INT(novita_images_save(client, NULL, job_id, sizeof job_id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_images_save(client, &q, NULL, 0, NULL), NOVITA_ERR_INVALID_ARG);
    q.image = "";
    CHECK_EQ_INT(novita_images_save(client, &q, job_id, sizeof job_id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK(strstr(last_error()->message, "image") != NULL);
    q.image = "registry.example.com/team/x:1";
    q.instance_id = NULL;
    CHECK_EQ_INT(novita_images_save(client, &q, job_id, sizeof job_id, NULL), NOVITA_ERR_INVALID_ARG);
}

/* ------------------------------------------------------------------ prewarm */

static void prewarm_read_ops(void)
{
    novita_prewarm_quota quota;
    novita_prewarm_task_filter f;
    novita_list list = NOVITA_LIST_ARRAY(tasks);

    CHECK_EQ_INT(novita_prewarm_get_quota(client, &quota, NULL), NOVITA_OK);
    CHECK_EQ_INT(quota.total, 3);
    CHECK_EQ_INT(quota.limit, 50);
    CHECK_EQ_INT(quota.per_image_size, 50);
    CHECK_EQ_INT(novita_prewarm_get_quota(client, NULL, NULL), NOVITA_ERR_INVALID_ARG);

    /* Page 1 of 2 (pages start at 1), newest first. */
    memset(&f, 0, sizeof f);
    f.page = 1;
    f.page_size = 2;
    CHECK_EQ_INT(novita_prewarm_list(client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_EQ_INT(list.total, 3);
    CHECK_STR(tasks[0].id, "q8w2e4r6t8y0u1i3");
    CHECK_STR(tasks[0].state, "Failed");
    CHECK_STR(tasks[0].image_name, "trainer");
    CHECK_STR(tasks[0].repository_auth, "ra-sim-0001");
    CHECK_STR(tasks[0].cluster_id, "5");
    CHECK_STR(tasks[0].cluster_name, "EU-01");
    CHECK_STR(tasks[0].note, "nightly build");
    CHECK_EQ_UINT(tasks[0].reason_count, 2);
    CHECK_STR(tasks[0].reason[0], "pull image failed: manifest unknown");
    CHECK_STR(tasks[0].reason[1], "retry limit reached");
    CHECK_EQ_INT(tasks[0].image_size, 0);
    CHECK_EQ_INT(tasks[0].complete_time - tasks[0].create_time, 12);
    CHECK_STR(tasks[1].id, "fexahnwdp4l1ajva");
    CHECK_STR(tasks[1].state, "Succeeded");
    CHECK_STR(tasks[1].image_url, "test-image.ppinfra.com/test-public/pytorch:v2");
    CHECK_EQ_INT(tasks[1].image_size, 6762128493LL); /* a string on the wire, beyond 32 bits */
    CHECK_EQ_UINT(tasks[1].product_count, 1);
    CHECK_STR(tasks[1].products[0].product_id, "4090.16c62g");
    CHECK_STR(tasks[1].products[0].product_name, "RTX 4090 24GB");
    CHECK_STR(tasks[1].reason[0], "image pulled successfully");

    f.page = 2;
    CHECK_EQ_INT(novita_prewarm_list(client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_STR(tasks[0].id, "nzd5nyi4keefsv2d");
    CHECK_EQ_INT(tasks[0].image_size, 72298048);
    CHECK_EQ_UINT(tasks[0].product_count, 0);
    CHECK_EQ_UINT(tasks[0].reason_count, 0);

    memset(&f, 0, sizeof f);
    f.state = "Succeeded";
    f.cluster_id = "1";
    f.name = "py";
    CHECK_EQ_INT(novita_prewarm_list(client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_STR(tasks[0].id, "fexahnwdp4l1ajva");
}

static void prewarm_write_ops(void)
{
    static const char *const products[] = { "4090.16c62g", "a100.12c120g" };
    novita_prewarm_task_create q;
    novita_prewarm_quota quota;
    char id[NOVITA_ID_MAX], id2[NOVITA_ID_MAX];

    memset(&q, 0, sizeof q);
    q.image_url = "registry.example.com/team/trainer:2024.2";
    q.cluster_id = "1";
    q.repository_auth = "ra-sim-0001";
    q.product_ids = products;
    q.product_id_count = 2;
    q.note = "before the launch";
    CHECK_EQ_INT(novita_prewarm_create(client, &q, id, sizeof id, NULL), NOVITA_OK);
    printf("PREWARM %s\n", id);
    memset(&q, 0, sizeof q);
    q.image_url = "nginx:1.27";
    q.cluster_id = "5";
    CHECK_EQ_INT(novita_prewarm_create(client, &q, id2, sizeof id2, NULL), NOVITA_OK);
    printf("PREWARM2 %s\n", id2);

    CHECK(wait_task(id, "Succeeded"));
    CHECK_STR(one_task.image_name, "trainer");
    CHECK_STR(one_task.note, "before the launch");
    CHECK_STR(one_task.repository_auth, "ra-sim-0001");
    CHECK_EQ_UINT(one_task.product_count, 2);
    CHECK_STR(one_task.products[1].product_name, "A100 80GB");
    CHECK(one_task.image_size > 0);
    CHECK(one_task.complete_time >= one_task.create_time);

    /* Invalid arguments never reach the server; an unknown cluster is the API's validation error. */
    {
        char out[NOVITA_ID_MAX];
        novita_prewarm_task_create bad = q;
        bad.cluster_id = "99";
        check_error(novita_prewarm_create(client, &bad, out, sizeof out, NULL), NOVITA_ERR_API, 400,
                    "VALIDATOR_PARAM");
        bad = q;
        bad.cluster_id = NULL;
        CHECK_EQ_INT(novita_prewarm_create(client, &bad, out, sizeof out, NULL), NOVITA_ERR_INVALID_ARG);
        bad = q;
        bad.image_url = "";
        CHECK_EQ_INT(novita_prewarm_create(client, &bad, out, sizeof out, NULL), NOVITA_ERR_INVALID_ARG);
        bad = q;
        bad.product_id_count = 1;
        CHECK_EQ_INT(novita_prewarm_create(client, &bad, out, sizeof out, NULL), NOVITA_ERR_INVALID_ARG);
        CHECK_EQ_INT(novita_prewarm_create(client, NULL, out, sizeof out, NULL), NOVITA_ERR_INVALID_ARG);
    }

    CHECK_EQ_INT(novita_prewarm_get_quota(client, &quota, NULL), NOVITA_OK);
    CHECK_EQ_INT(quota.total, 5);

    CHECK_EQ_INT(novita_prewarm_edit(client, id, "edited", NULL), NOVITA_OK);
    CHECK(get_task(id));
    CHECK_STR(one_task.note, "edited");
    CHECK_EQ_INT(novita_prewarm_edit(client, id2, "", NULL), NOVITA_OK);
    check_error(novita_prewarm_edit(client, "nosuchtask", "x", NULL), NOVITA_ERR_NOT_FOUND, 400,
                "RESOURCE_NOT_FOUND");
    CHECK_EQ_INT(novita_prewarm_edit(client, id, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_prewarm_edit(client, "", "x", NULL), NOVITA_ERR_INVALID_ARG);

    {
        const char *both[2];
        const char *with_null[2];
        both[0] = id;
        both[1] = id2;
        with_null[0] = id;
        with_null[1] = NULL;
        CHECK_EQ_INT(novita_prewarm_delete(client, both, 2, NULL), NOVITA_OK);
        CHECK(!get_task(id));
        CHECK(!get_task(id2));
        check_error(novita_prewarm_delete(client, both, 1, NULL), NOVITA_ERR_NOT_FOUND, 400, "RESOURCE_NOT_FOUND");
        CHECK_EQ_INT(novita_prewarm_delete(client, both, 0, NULL), NOVITA_ERR_INVALID_ARG);
        CHECK_EQ_INT(novita_prewarm_delete(client, NULL, 1, NULL), NOVITA_ERR_INVALID_ARG);
        CHECK_EQ_INT(novita_prewarm_delete(client, with_null, 2, NULL), NOVITA_ERR_INVALID_ARG);
    }
    CHECK_EQ_INT(novita_prewarm_get_quota(client, &quota, NULL), NOVITA_OK);
    CHECK_EQ_INT(quota.total, 3);
}

/* ------------------------------------------------------------------ every page */

#define MAX_SEEN 128
typedef struct seen_ids {
    char ids[MAX_SEEN][NOVITA_ID_MAX];
    size_t count;
    int duplicates;
} seen_ids;

static void remember(seen_ids *s, const char *id)
{
    for (size_t i = 0; i < s->count; i++) {
        if (strcmp(s->ids[i], id) == 0) {
            s->duplicates++;
            return;
        }
    }
    if (s->count < MAX_SEEN)
        (void)snprintf(s->ids[s->count++], NOVITA_ID_MAX, "%s", id);
}

static novita_result on_job(void *user, const void *item)
{
    remember((seen_ids *)user, ((const novita_job *)item)->id);
    return NOVITA_OK;
}

static novita_result on_task(void *user, const void *item)
{
    remember((seen_ids *)user, ((const novita_prewarm_task *)item)->id);
    return NOVITA_OK;
}

static seen_ids seen;

static void pages(void)
{
    novita_job_filter jf;
    novita_prewarm_task_filter pf;
    novita_image_save q;
    novita_prewarm_task_create c;
    char last_job[NOVITA_ID_MAX] = "", last_task[NOVITA_ID_MAX] = "";
    novita_list list;

    memset(&q, 0, sizeof q);
    memset(&c, 0, sizeof c);
    c.cluster_id = "1";
    for (int i = 0; i < MANY; i++) {
        char image[96];
        (void)snprintf(image, sizeof image, "registry.example.com/team/page-%02d:v1", i);
        q.instance_id = i % 2 ? "seed-0002" : "seed-0001";
        q.image = image;
        CHECK_EQ_INT(novita_images_save(client, &q, last_job, sizeof last_job, NULL), NOVITA_OK);
        c.image_url = image;
        CHECK_EQ_INT(novita_prewarm_create(client, &c, last_task, sizeof last_task, NULL), NOVITA_OK);
    }
    /* Once the newest ones have finished, every state is final: pages cannot shift during the walk. */
    CHECK(wait_job(last_job, "success"));
    CHECK(wait_task(last_task, "Succeeded"));

    memset(&seen, 0, sizeof seen);
    memset(&jf, 0, sizeof jf);
    jf.page_size = 10;
    jf.page_num = 3; /* ignored by the walk */
    list = (novita_list)NOVITA_LIST_ALL(&one_job, on_job, &seen);
    CHECK_EQ_INT(novita_jobs_list(client, &jf, &list, NULL), NOVITA_OK);
    CHECK_EQ_INT(list.total, MANY + 4);
    CHECK_EQ_UINT(list.count, MANY + 4);
    CHECK_EQ_UINT(seen.count, MANY + 4);
    CHECK_EQ_INT(seen.duplicates, 0);
    CHECK(list.pages >= 5);
    printf("JOBS %lu PAGES %u\n", (unsigned long)list.count, (unsigned)list.pages);

    /* Array mode over every page of an empty result (no job was broken): one request. */
    {
        novita_list empty = NOVITA_LIST_ARRAY(jobs);
        empty.all_pages = true;
        memset(&jf, 0, sizeof jf);
        jf.state = "break";
        CHECK_EQ_INT(novita_jobs_list(client, &jf, &empty, NULL), NOVITA_OK);
        CHECK_EQ_UINT(empty.count, 0);
        CHECK_EQ_INT(empty.total, 0);
        CHECK_EQ_UINT(empty.pages, 1);
    }

    memset(&seen, 0, sizeof seen);
    memset(&pf, 0, sizeof pf);
    pf.page_size = 10;
    list = (novita_list)NOVITA_LIST_ALL(&one_task, on_task, &seen);
    CHECK_EQ_INT(novita_prewarm_list(client, &pf, &list, NULL), NOVITA_OK);
    CHECK_EQ_INT(list.total, MANY + 3);
    CHECK_EQ_UINT(list.count, MANY + 3);
    CHECK_EQ_UINT(seen.count, MANY + 3);
    CHECK_EQ_INT(seen.duplicates, 0);
    CHECK_EQ_UINT(list.pages, (MANY + 3 + 9) / 10);
    printf("PREWARMS %lu PAGES %u\n", (unsigned long)list.count, (unsigned)list.pages);
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
    if (strcmp(argv[3], "ops") == 0) {
        jobs_list_ops();
        jobs_break_ops();
        save_image_ops();
        prewarm_read_ops();
        prewarm_write_ops();
    } else if (strcmp(argv[3], "pages") == 0) {
        pages();
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[3]);
        itest_free(&t);
        return 2;
    }
    itest_free(&t);
    return TEST_REPORT();
}

/*
 * Templates and container registry auths against the simulator over real sockets (HTTP or HTTPS).
 * Usage: test_templates BASE_URL CA_FILE|- MODE
 *   MODE "templates":  list (every filter, lenient decoding), get, create, update, delete, not-found mapping,
 *                      invalid arguments, the too-long readme; prints CREATED <id>, CREATED_MIN <id> and
 *                      LONG <id> <readme length>.
 *   MODE "pages":      creates 40 templates through the API, then walks them with list.all_pages; prints
 *                      BULK <n> and WALKED <n> <pages>.
 *   MODE "registries": list, create (200 {} and 204), delete, not-found and in-use mapping, invalid
 *                      arguments; prints AUTH <name> <id> and CONNECTIONS <n>.
 * The driver (run_templates.py) checks the wire log of each mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "itest.h"
#include "novita/registries.h"
#include "novita/templates.h"

#define SEED_AUTH_ID "75irlsvvsehnqdajg2r481mjk54ecodc"
#define SIM_USER "u-sim00001"
#define BULK_COUNT 40

static itest t;
static novita_template tpl;
static novita_template page[8];
static novita_registry_auth auths[8];
static char long_readme[NOVITA_TEMPLATE_README_MAX + 100u];

static void check_not_found(novita_result r, const char *reason)
{
    const novita_error *e = novita_client_last_error(&t.client);
    CHECK_EQ_INT(r, NOVITA_ERR_NOT_FOUND);
    CHECK_EQ_INT(e->http_status, 400);
    CHECK_STR(e->reason, reason);
}

static const novita_template *find_in_page(const novita_list *list, const char *id)
{
    for (size_t k = 0; k < list->count; k++) {
        if (strcmp(page[k].id, id) == 0)
            return &page[k];
    }
    return NULL;
}

/* ------------------------------------------------------------------ templates: list */

static void list_by_channel(void)
{
    novita_template_filter f;
    novita_list list = NOVITA_LIST_ARRAY(page);
    const novita_template *lenient;

    /* Official, one page of 2: decoded like docs_list_templates.json. */
    memset(&f, 0, sizeof f);
    f.channel = "official";
    f.page_size = 2;
    f.page_num = 1;
    CHECK_EQ_INT(novita_templates_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_EQ_INT(list.total, 3);
    CHECK_STR(page[0].id, "102");
    CHECK_STR(page[0].name, "ComfyUI");
    CHECK_STR(page[0].channel, "official");
    CHECK_EQ_UINT(page[0].port_group_count, 1);
    CHECK_STR(page[0].ports[0].type, "http");
    CHECK_EQ_UINT(page[0].ports[0].port_count, 2);
    CHECK_EQ_INT(page[0].ports[0].ports[0], 8188);
    CHECK_EQ_INT(page[0].ports[0].ports[1], 8888);
    CHECK_EQ_UINT(page[0].ports[0].port_total, 2);
    CHECK_EQ_UINT(page[0].tool_count, 1);
    CHECK_STR(page[0].tools[0].name, "Jupyter");
    CHECK_EQ_INT(page[0].tools[0].port, 8888);
    CHECK_EQ_UINT(page[0].recommend_card_count, 1);
    CHECK_EQ_INT(page[0].recommend_cards[0].card_num, 2); /* "2" on the wire */
    CHECK(page[0].created_at > 1600000000);                 /* a Unix-second string on the wire */
    CHECK_STR(page[1].id, "101");

    /* Community: isMyCommunity derived as false. Seed 151 is the lenient one: "id", string rootfs/ports. */
    memset(&f, 0, sizeof f);
    f.channel = "community";
    CHECK_EQ_INT(novita_templates_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    lenient = find_in_page(&list, "151");
    CHECK(lenient != NULL);
    if (lenient) {
        CHECK_STR(lenient->name, "vllm-openai");
        CHECK_EQ_INT(lenient->rootfs_size, 50);
        CHECK_EQ_INT(lenient->ports[0].ports[0], 8000);
        CHECK_EQ_UINT(lenient->volume_count, 1);
        CHECK_EQ_INT(lenient->volumes[0].size, 50);
        CHECK_STR(lenient->volumes[0].mount_path, "/workspace");
        CHECK_STR(lenient->user, "u-community7");
    }

    /* Private: isMyCommunity derived as true shows the caller's own templates. */
    memset(&f, 0, sizeof f);
    f.channel = "private";
    CHECK_EQ_INT(novita_templates_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK_EQ_INT(list.total, 2);
    CHECK(find_in_page(&list, "212") != NULL && find_in_page(&list, "213") != NULL);

    /* An explicit isMyCommunity wins over the derived one (and private templates then stay hidden). */
    f.is_my_community = NOVITA_TEMPLATE_MINE_NO;
    CHECK_EQ_INT(novita_templates_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 0);
    CHECK_EQ_INT(list.total, 0);

    /* No channel: neither channel nor isMyCommunity is sent; name (fuzzy) and type filter. */
    memset(&f, 0, sizeof f);
    f.name = "ubuntu";
    f.type = "instance";
    CHECK_EQ_INT(novita_templates_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 2);
    CHECK(find_in_page(&list, "101") != NULL && find_in_page(&list, "212") != NULL);

    CHECK_EQ_INT(novita_templates_list(&t.client, NULL, &list, NULL), NOVITA_OK); /* API defaults */
    CHECK_EQ_INT(list.total, 7);
}

/* ------------------------------------------------------------------ templates: get */

static void get_seeds(void)
{
    const novita_error *e = novita_client_last_error(&t.client);
    /* docs_get_template.json's shape: {"template": {...}} with a capital Id. */
    CHECK_EQ_INT(novita_templates_get(&t.client, "212", &tpl, NULL), NOVITA_OK);
    CHECK_STR(tpl.id, "212");
    CHECK_STR(tpl.name, "ubuntu");
    CHECK_STR(tpl.type, "instance");
    CHECK_STR(tpl.channel, "private");
    CHECK_STR(tpl.image, "ubuntu:latest");
    CHECK_STR(tpl.image_auth, "");
    CHECK_EQ_INT(tpl.rootfs_size, 10);
    CHECK_EQ_UINT(tpl.port_group_count, 2);
    CHECK_STR(tpl.ports[0].type, "tcp");
    CHECK_EQ_INT(tpl.ports[0].ports[1], 8090);
    CHECK_STR(tpl.ports[1].type, "http");
    CHECK_EQ_INT(tpl.ports[1].ports[1], 60001);
    CHECK_EQ_UINT(tpl.env_count, 1);
    CHECK_STR(tpl.envs[0].key, "TEMPLATE");
    CHECK_STR(tpl.envs[0].value, "ubuntu");
    CHECK_STR(tpl.min_cuda_version, "11.8");
    CHECK_STR(tpl.user, SIM_USER);
    CHECK(strstr(tpl.readme, "# ubuntu") == tpl.readme);
    CHECK(tpl.created_at > 1600000000);

    CHECK_EQ_INT(novita_templates_get(&t.client, "100", &tpl, NULL), NOVITA_OK);
    CHECK_STR(tpl.start_command, "jupyter lab --allow-root");
    CHECK_STR(tpl.tools[0].describe, "Start Jupyter Notebook");
    CHECK_STR(tpl.recommend_cards[0].gpu_spec_id, "4090.18c.60g");

    CHECK_EQ_INT(novita_templates_get(&t.client, "213", &tpl, NULL), NOVITA_OK);
    CHECK_STR(tpl.image_auth, SEED_AUTH_ID);

    /* The simulator answers this one flat, with "id", a string rootfsSize and string ports. */
    CHECK_EQ_INT(novita_templates_get(&t.client, "151", &tpl, NULL), NOVITA_OK);
    CHECK_STR(tpl.id, "151");
    CHECK_STR(tpl.name, "vllm-openai");
    CHECK_EQ_INT(tpl.rootfs_size, 50);
    CHECK_EQ_INT(tpl.ports[0].ports[0], 8000);

    check_not_found(novita_templates_get(&t.client, "999999", &tpl, NULL), "TEMPLATE_NOT_FOUND");
    CHECK_STR(tpl.id, ""); /* zeroed on failure */
    CHECK(strstr(e->message, "template not found") != NULL);
}

/* ------------------------------------------------------------------ templates: create, update, delete */

static void create_update_delete(void)
{
    static const int32_t http_ports[] = { 80, 8080 }, tcp_ports[] = { 22 }, new_ports[] = { 7860 };
    novita_template_port_spec groups[] = { { "http", http_ports, 2 }, { "tcp", tcp_ports, 1 } };
    novita_template_port_spec new_groups[] = { { "http", new_ports, 1 } };
    novita_env_spec envs[] = { { "A", "1" }, { "B", "two words" } };
    novita_template_spec s;
    char id[NOVITA_ID_MAX], min_id[NOVITA_ID_MAX];

    memset(&s, 0, sizeof s);
    s.name = "itest-template";
    s.readme = "# itest\n\nA template made by the integration test.";
    s.image = "nginx:1.27";
    s.image_auth = SEED_AUTH_ID;
    s.start_command = "nginx -g 'daemon off;'";
    s.entrypoint = "/docker-entrypoint.sh";
    s.rootfs_size = 20;
    s.ports = groups;
    s.port_count = 2;
    s.envs = envs;
    s.env_count = 2;
    s.min_cuda_version = "12.4";
    CHECK_EQ_INT(novita_templates_create(&t.client, &s, id, sizeof id, NULL), NOVITA_OK);
    printf("CREATED %s\n", id);
    CHECK_EQ_INT(novita_templates_get(&t.client, id, &tpl, NULL), NOVITA_OK);
    CHECK_STR(tpl.id, id);
    CHECK_STR(tpl.name, "itest-template");
    CHECK_STR(tpl.readme, s.readme);
    CHECK_STR(tpl.type, "instance");
    CHECK_STR(tpl.channel, "private");
    CHECK_STR(tpl.image_auth, SEED_AUTH_ID);
    CHECK_STR(tpl.start_command, s.start_command);
    CHECK_STR(tpl.entrypoint, s.entrypoint);
    CHECK_EQ_INT(tpl.rootfs_size, 20);
    CHECK_EQ_UINT(tpl.port_group_count, 2);
    CHECK_EQ_INT(tpl.ports[0].ports[1], 8080);
    CHECK_STR(tpl.ports[1].type, "tcp");
    CHECK_STR(tpl.envs[1].value, "two words");
    CHECK_STR(tpl.min_cuda_version, "12.4");
    CHECK_STR(tpl.user, SIM_USER);

    /* Minimal: type and channel take their defaults, optional fields are not sent. */
    memset(&s, 0, sizeof s);
    s.name = "itest-minimal";
    s.image = "alpine:3";
    s.rootfs_size = 5;
    CHECK_EQ_INT(novita_templates_create(&t.client, &s, min_id, sizeof min_id, NULL), NOVITA_OK);
    printf("CREATED_MIN %s\n", min_id);

    /* Update replaces the fields. */
    memset(&s, 0, sizeof s);
    s.name = "itest-renamed";
    s.image = "nginx:1.28";
    s.rootfs_size = 30;
    s.ports = new_groups;
    s.port_count = 1;
    CHECK_EQ_INT(novita_templates_update(&t.client, id, &s, NULL), NOVITA_OK);
    CHECK_EQ_INT(novita_templates_get(&t.client, id, &tpl, NULL), NOVITA_OK);
    CHECK_STR(tpl.name, "itest-renamed");
    CHECK_STR(tpl.image, "nginx:1.28");
    CHECK_EQ_INT(tpl.rootfs_size, 30);
    CHECK_EQ_UINT(tpl.port_group_count, 1);
    CHECK_EQ_INT(tpl.ports[0].ports[0], 7860);
    CHECK_EQ_UINT(tpl.env_count, 0);
    check_not_found(novita_templates_update(&t.client, "999999", &s, NULL), "TEMPLATE_NOT_FOUND");

    CHECK_EQ_INT(novita_templates_delete(&t.client, id, NULL), NOVITA_OK);
    check_not_found(novita_templates_get(&t.client, id, &tpl, NULL), "TEMPLATE_NOT_FOUND");
    check_not_found(novita_templates_delete(&t.client, id, NULL), "TEMPLATE_NOT_FOUND");
    CHECK_EQ_INT(novita_templates_delete(&t.client, min_id, NULL), NOVITA_OK);

    /* Someone else's template: 403 is an auth/permission error. */
    CHECK_EQ_INT(novita_templates_delete(&t.client, "100", NULL), NOVITA_ERR_AUTH);
}

/* Every local check fails before anything is sent (the driver counts the requests). */
static void invalid_arguments(void)
{
    static const int32_t no_ports[1] = { 0 };
    novita_template_port_spec empty_group[] = { { "tcp", no_ports, 0 } };
    novita_template_spec s;
    novita_list list = NOVITA_LIST_ARRAY(page);
    char id[NOVITA_ID_MAX];
    memset(&s, 0, sizeof s);
    s.name = "x";
    s.image = "y";
    s.rootfs_size = 10;
    CHECK_EQ_INT(novita_templates_create(&t.client, NULL, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_templates_create(&t.client, &s, NULL, 0, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_templates_create(NULL, &s, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    s.name = "";
    CHECK_EQ_INT(novita_templates_create(&t.client, &s, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK(strstr(novita_client_last_error(&t.client)->message, "template name is required") != NULL);
    s.name = "x";
    s.image = NULL;
    CHECK_EQ_INT(novita_templates_create(&t.client, &s, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    s.image = "y";
    s.rootfs_size = 0;
    CHECK_EQ_INT(novita_templates_create(&t.client, &s, id, sizeof id, NULL), NOVITA_ERR_INVALID_ARG);
    s.rootfs_size = 10;
    s.ports = empty_group;
    s.port_count = 1;
    CHECK_EQ_INT(novita_templates_update(&t.client, "212", &s, NULL), NOVITA_ERR_INVALID_ARG);
    s.port_count = 0;
    CHECK_EQ_INT(novita_templates_update(&t.client, "", &s, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_templates_update(&t.client, "212", NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_templates_get(&t.client, NULL, &tpl, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_templates_get(&t.client, "212", NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_templates_delete(&t.client, "", NULL), NOVITA_ERR_INVALID_ARG);
    list.capacity = 0;
    CHECK_EQ_INT(novita_templates_list(&t.client, NULL, &list, NULL), NOVITA_ERR_INVALID_ARG);
}

/* A readme longer than NOVITA_TEMPLATE_README_MAX: a clear BUFFER_TOO_SMALL naming the field. */
static void long_readme_is_clear(void)
{
    const novita_error *e = novita_client_last_error(&t.client);
    novita_template_filter f;
    novita_list list = NOVITA_LIST_ARRAY(page);
    novita_template_spec s;
    char id[NOVITA_ID_MAX], tiny[2];
    size_t n = sizeof long_readme - 1u;
    memset(long_readme, 'r', n);
    long_readme[0] = '#';
    long_readme[n] = '\0';
    memset(&s, 0, sizeof s);
    s.name = "itest-long-readme";
    s.image = "ubuntu:22.04";
    s.rootfs_size = 10;
    s.readme = long_readme;
    CHECK_EQ_INT(novita_templates_create(&t.client, &s, id, sizeof id, NULL), NOVITA_OK);
    printf("LONG %s %lu\n", id, (unsigned long)n);
    CHECK_EQ_INT(novita_templates_get(&t.client, id, &tpl, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK_STR(e->what, "template.readme");
    CHECK_EQ_UINT(e->needed, n + 1u);
    CHECK(strstr(e->message, "longer than its field") != NULL);
    CHECK_STR(tpl.readme, "");

    memset(&f, 0, sizeof f);
    f.channel = "private";
    f.name = "itest-long";
    CHECK_EQ_INT(novita_templates_list(&t.client, &f, &list, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK_STR(e->what, "template.readme");
    CHECK_EQ_INT(novita_templates_delete(&t.client, id, NULL), NOVITA_OK);

    /* The new id does not fit the caller's buffer: reported, not truncated (the template exists). */
    s.readme = NULL;
    s.name = "itest-tiny-id";
    CHECK_EQ_INT(novita_templates_create(&t.client, &s, tiny, sizeof tiny, NULL), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK_STR(tiny, "");
    CHECK_STR(e->what, "id_out");
    CHECK(e->needed >= 3u);
}

/* ------------------------------------------------------------------ all pages */

typedef struct walk_state {
    size_t seen;
    bool duplicate;
    char ids[BULK_COUNT + 1][NOVITA_ID_MAX];
} walk_state;

static walk_state walk;

static novita_result on_bulk(void *user, const void *item)
{
    walk_state *w = (walk_state *)user;
    const novita_template *x = (const novita_template *)item;
    for (size_t k = 0; k < w->seen && k <= BULK_COUNT; k++) {
        if (strcmp(w->ids[k], x->id) == 0)
            w->duplicate = true;
    }
    if (w->seen <= BULK_COUNT)
        (void)snprintf(w->ids[w->seen], NOVITA_ID_MAX, "%s", x->id);
    w->seen++;
    return strncmp(x->name, "bulk-", 5) == 0 ? NOVITA_OK : NOVITA_ERR_DECODE;
}

static void all_pages(void)
{
    novita_template_spec s;
    novita_template_filter f;
    novita_list list = NOVITA_LIST_ALL(&tpl, on_bulk, &walk);
    novita_list array = NOVITA_LIST_ARRAY(page);
    char name[32], id[NOVITA_ID_MAX];
    int created = 0;
    memset(&s, 0, sizeof s);
    s.image = "busybox:1.36";
    s.rootfs_size = 10;
    s.name = name;
    for (int k = 0; k < BULK_COUNT; k++) {
        (void)snprintf(name, sizeof name, "bulk-%02d", k);
        if (novita_templates_create(&t.client, &s, id, sizeof id, NULL) == NOVITA_OK)
            created++;
    }
    CHECK_EQ_INT(created, BULK_COUNT);
    printf("BULK %d\n", created);

    memset(&f, 0, sizeof f);
    f.channel = "private";
    f.name = "bulk-";
    f.page_size = 7;
    CHECK_EQ_INT(novita_templates_list(&t.client, &f, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(walk.seen, BULK_COUNT);
    CHECK(!walk.duplicate);
    CHECK_EQ_UINT(list.count, BULK_COUNT);
    CHECK_EQ_INT(list.total, BULK_COUNT);
    CHECK(list.pages >= 6);
    printf("WALKED %lu %lu\n", (unsigned long)walk.seen, (unsigned long)list.pages);

    /* Array mode stops once the array is full. */
    array.all_pages = true;
    CHECK_EQ_INT(novita_templates_list(&t.client, &f, &array, NULL), NOVITA_OK);
    CHECK_EQ_UINT(array.count, sizeof page / sizeof page[0]);
    CHECK_STR(page[0].name, "bulk-39"); /* newest first */
    printf("CONNECTIONS %lu\n", (unsigned long)t.client.connections_opened);
}

/* ------------------------------------------------------------------ registries */

static const novita_registry_auth *find_auth(const novita_list *list, const char *name)
{
    for (size_t k = 0; k < list->count; k++) {
        if (strcmp(auths[k].name, name) == 0)
            return &auths[k];
    }
    return NULL;
}

static bool work_holds(const char *secret)
{
    size_t n = strlen(secret);
    for (size_t i = 0; i + n <= t.client.work_size; i++) {
        if (memcmp(t.client.work + i, secret, n) == 0)
            return true;
    }
    return false;
}

static void registries(void)
{
    novita_list list = NOVITA_LIST_ARRAY(auths);
    const novita_registry_auth *a, *b;
    char first[NOVITA_ID_MAX] = "", second[NOVITA_ID_MAX] = "";

    CHECK_EQ_INT(novita_registry_auths_list(&t.client, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);
    CHECK_EQ_INT(list.total, -1); /* not paged, no total */
    CHECK_STR(auths[0].id, SEED_AUTH_ID);
    CHECK_STR(auths[0].name, "registry.sim.example");
    CHECK_STR(auths[0].username, "uuuu");
    CHECK_STR(auths[0].password, "1111");

    CHECK_EQ_INT(novita_registry_auths_create(&t.client, "itest.registry.io", "itest-user", "s3cret-pass", NULL),
                 NOVITA_OK);
    CHECK(!work_holds("s3cret-pass"));
    /* The simulator answers this name with 204 and no body. */
    CHECK_EQ_INT(novita_registry_auths_create(&t.client, "nocontent.registry.io", "robot$ci", "tok-204", NULL),
                 NOVITA_OK);
    CHECK_EQ_INT(novita_client_last_error(&t.client)->http_status, 204);
    CHECK_EQ_INT(novita_registry_auths_list(&t.client, &list, NULL), NOVITA_OK); /* same connection after 204 */
    CHECK_EQ_UINT(list.count, 3);
    a = find_auth(&list, "itest.registry.io");
    b = find_auth(&list, "nocontent.registry.io");
    CHECK(a != NULL && b != NULL);
    if (a && b) {
        CHECK_STR(a->username, "itest-user");
        CHECK_STR(a->password, "s3cret-pass");
        CHECK_EQ_UINT(strlen(a->id), 32);
        CHECK_STR(b->password, "tok-204");
        (void)snprintf(first, sizeof first, "%s", a->id);
        (void)snprintf(second, sizeof second, "%s", b->id);
        printf("AUTH itest.registry.io %s\nAUTH nocontent.registry.io %s\n", first, second);
    }

    CHECK_EQ_INT(novita_registry_auths_delete(&t.client, first, NULL), NOVITA_OK);
    check_not_found(novita_registry_auths_delete(&t.client, first, NULL), "RESOURCE_NOT_FOUND");
    CHECK_EQ_INT(novita_registry_auths_delete(&t.client, second, NULL), NOVITA_OK);
    /* Seed template 213 uses the seed auth. */
    CHECK_EQ_INT(novita_registry_auths_delete(&t.client, SEED_AUTH_ID, NULL), NOVITA_ERR_API);
    CHECK_EQ_INT(novita_client_last_error(&t.client)->http_status, 400);
    CHECK_STR(novita_client_last_error(&t.client)->reason, "IMAGE_AUTH_IN_USE");
    CHECK_EQ_INT(novita_registry_auths_list(&t.client, &list, NULL), NOVITA_OK);
    CHECK_EQ_UINT(list.count, 1);

    /* Local checks: nothing sent. */
    CHECK_EQ_INT(novita_registry_auths_create(&t.client, "h", "u", "", NULL), NOVITA_ERR_INVALID_ARG);
    CHECK(strstr(novita_client_last_error(&t.client)->message, "registry password is required") != NULL);
    CHECK_EQ_INT(novita_registry_auths_create(&t.client, NULL, "u", "p", NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_registry_auths_create(&t.client, "h", "", "p", NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_registry_auths_delete(&t.client, NULL, NULL), NOVITA_ERR_INVALID_ARG);
    CHECK_EQ_INT(novita_registry_auths_list(NULL, &list, NULL), NOVITA_ERR_INVALID_ARG);
    printf("CONNECTIONS %lu\n", (unsigned long)t.client.connections_opened);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s BASE_URL CA_FILE|- templates|pages|registries\n", argv[0]);
        return 2;
    }
    if (itest_init(&t, argv[1], argv[2]) != 0)
        return 1;
    if (strcmp(argv[3], "templates") == 0) {
        list_by_channel();
        get_seeds();
        create_update_delete();
        invalid_arguments();
        long_readme_is_clear();
    } else if (strcmp(argv[3], "pages") == 0) {
        all_pages();
    } else if (strcmp(argv[3], "registries") == 0) {
        registries();
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[3]);
        itest_free(&t);
        return 2;
    }
    fflush(stdout);
    itest_free(&t);
    return TEST_REPORT();
}

/*
 * Minimal firmware for the cross builds (scripts/cross-build.sh): a client on the null port that calls the
 * instance operations. It is linked, never run on a board; with the null port every operation fails with
 * NOVITA_ERR_NETWORK at once, which is fine: the point is what the linker keeps.
 *
 * Two images come from this file:
 * - instances-only (default): create, list, get, start, stop, delete, wait;
 * - whole library (-DNOVITA_FIRMWARE_WHOLE): the same, plus a generated table (public_refs.c, written by
 *   tests/cross/public_api.py from the public headers) that references every public function and object,
 *   so the image holds the whole library.
 *
 * Buffers are static, as on a device: none of them is on the stack.
 */
#include <stddef.h>
#include <stdint.h>

#include "novita/novita.h"
#include "novita_port_null.h"

#ifdef NOVITA_FIRMWARE_WHOLE
/** Generated: one entry per public function / object of the public headers. */
typedef void (*novita_any_fn)(void);
extern const volatile novita_any_fn novita_public_functions[];
extern const size_t novita_public_function_count;
extern const void *const volatile novita_public_objects[];
extern const size_t novita_public_object_count;
#endif

static uint8_t work[NOVITA_WORK_BUFFER_SIZE];
static novita_json_token tokens[NOVITA_JSON_TOKENS];
static novita_client client;
static novita_null_port null_port;
static novita_instance instance;
static char instance_id[NOVITA_ID_MAX];

/** The outcome of main is kept here so the debugger (and the compiler) sees every result used. */
volatile int32_t firmware_failures;

static void tally(novita_result result)
{
    if (result != NOVITA_OK)
        firmware_failures++;
}

static novita_result on_instance(void *user, const void *item)
{
    (void)user;
    (void)item;
    return NOVITA_OK;
}

static void instance_operations(void)
{
    static const novita_port_spec ports[] = { { 8888, "http" } };
    novita_instance_create create = { 0 };
    novita_list list = NOVITA_LIST_CALLBACK(&instance, on_instance, NULL);
    novita_wait_opts wait = { 0u, 0u, NULL, NULL, 0 };

    create.name = "firmware";
    create.product_id = "product-id";
    create.image_url = "nvidia/cuda:12.4.1-base-ubuntu22.04";
    create.ports = ports;
    create.port_count = sizeof ports / sizeof ports[0];
    tally(novita_instances_create(&client, &create, instance_id, sizeof instance_id, NULL));
    tally(novita_instances_list(&client, NULL, &list, NULL));
    tally(novita_instances_get(&client, instance_id, &instance, NULL));
    tally(novita_instances_start(&client, instance_id, NULL));
    tally(novita_instances_stop(&client, instance_id, NULL));
    tally(novita_instances_delete(&client, instance_id, NULL));
    tally(novita_instances_wait(&client, instance_id, NOVITA_INSTANCE_RUNNING, &wait, &instance));
}

int main(void)
{
    novita_client_config cfg;
    novita_client_config_init(&cfg);
    cfg.api_key = "sk_firmware";
    if (novita_client_init(&client, &cfg, novita_null_port_init(&null_port), work, sizeof work, tokens,
                           NOVITA_JSON_TOKENS) != NOVITA_OK)
        return 1;
    instance_operations();
#ifdef NOVITA_FIRMWARE_WHOLE
    for (size_t i = 0; i < novita_public_function_count; i++)
        if (novita_public_functions[i] == NULL)
            firmware_failures++;
    for (size_t i = 0; i < novita_public_object_count; i++)
        if (novita_public_objects[i] == NULL)
            firmware_failures++;
#endif
    novita_client_close(&client);
    return firmware_failures == 0 ? 0 : 2;
}

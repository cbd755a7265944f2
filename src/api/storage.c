/* Network storage: field table and thin operations (REFERENCE 7 #27-#30, 8.7). */
#include "novita/storage.h"

#include "api.h"

#define S novita_network_storage
static const novita_field storage_fields[] = {
    NOVITA_F_STRING(S, "storageId", storage_id),
    NOVITA_F_STRING(S, "storageName", storage_name),
    NOVITA_F_INT(S, "storageSize", storage_size),
    NOVITA_F_STRING(S, "clusterId", cluster_id),
    NOVITA_F_STRING(S, "clusterName", cluster_name),
    NOVITA_F_STRING(S, "price", price),
};
#undef S
const novita_model novita_network_storage_model = NOVITA_MODEL(novita_network_storage, "networkStorage", storage_fields);

/* ------------------------------------------------------------------ bodies */

typedef struct storage_body {
    const char *key_of_first; /* "clusterId" (create) or "storageId" (update) */
    const char *first;
    const char *name;
    int32_t size_gb;
} storage_body;

/* create {clusterId, storageName, storageSize} and update {storageId, storageName, storageSize}: the size is
 * an integer in both (see novita_storage_update for why). */
static void write_storage_body(novita_json_writer *w, const void *ctx)
{
    const storage_body *b = (const storage_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, b->key_of_first, b->first);
    novita_jw_member_string(w, "storageName", b->name);
    novita_jw_member_int(w, "storageSize", b->size_gb);
    novita_jw_object_end(w);
}

/* The checks and the body of create and update, which differ in their first member only. */
static bool storage_body_set(novita_client *c, storage_body *b, const char *key_of_first, const char *first,
                             const char *first_what, const char *name, int32_t size_gb, novita_result *r)
{
    *r = NOVITA_ERR_INVALID_ARG;
    if (!novita_api_require(c, first, first_what, r) || !novita_api_require(c, name, "storage name", r))
        return false;
    if (size_gb < 1) {
        *r = novita_fail(c, *r, "storage size must be at least 1 GB");
        return false;
    }
    b->key_of_first = key_of_first;
    b->first = first;
    b->name = name;
    b->size_gb = size_gb;
    return true;
}

/* ------------------------------------------------------------------ operations */

novita_result novita_storage_list(novita_client *c, const novita_storage_filter *f, novita_list *list,
                                  const novita_call_opts *opts)
{
    static const novita_list_op op = { NOVITA_NS_GPU, "/networkstorages/list", &novita_network_storage_model, "data",
                                       NULL, NOVITA_PAGED(0, 1, 0) };
    novita_query_param query[4] = {
        { "pageNo", NULL, 0 }, { "pageSize", NULL, 0 }, { "storageName", NULL, 0 }, { "storageId", NULL, 0 },
    };
    if (f) {
        query[2].value = f->storage_name;
        query[3].value = f->storage_id;
    }
    return novita_api_list(c, &op, query, 4, f ? f->page_no : 0, f ? f->page_size : 0, list, opts);
}

novita_result novita_storage_create(novita_client *c, const char *cluster_id, const char *name, int32_t size_gb,
                                    char *id_out, size_t id_size, const novita_call_opts *opts)
{
    storage_body body;
    novita_result r;
    if (!novita_api_id_output(c, true, id_out, id_size, "id output is required", &r) ||
        !storage_body_set(c, &body, "clusterId", cluster_id, "cluster id", name, size_gb, &r))
        return r;
    /* Documented response: a bare JSON string, the new storage id; {"storageId": "..."} is accepted too. */
    return novita_api_create_id(c, "/networkstorage/create", write_storage_body, &body, "storageId", id_out, id_size,
                                opts);
}

novita_result novita_storage_update(novita_client *c, const char *storage_id, const char *name, int32_t size_gb,
                                    const novita_call_opts *opts)
{
    storage_body body;
    novita_result r;
    NOVITA_REQUIRE_CLIENT(c);
    if (!storage_body_set(c, &body, "storageId", storage_id, "storage id", name, size_gb, &r))
        return r;
    return novita_api_action(c, "/networkstorage/update", write_storage_body, &body, opts);
}

novita_result novita_storage_delete(novita_client *c, const char *storage_id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/networkstorage/delete", "storageId", storage_id, "storage id", opts);
}

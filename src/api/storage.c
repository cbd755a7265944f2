/* Network storage: field table and thin operations (REFERENCE 7 #27-#30, 8.7). */
#include "novita/storage.h"

#include <string.h>

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

/* ------------------------------------------------------------------ operations */

#define REQUIRE_CLIENT(c)                  \
    do {                                   \
        if (!(c))                          \
            return NOVITA_ERR_INVALID_ARG; \
    } while (0)

novita_result novita_storage_list(novita_client *c, const novita_storage_filter *f, novita_list *list,
                                  const novita_call_opts *opts)
{
    char page_no[NOVITA_QUERY_NUMBER_MAX], page_size[NOVITA_QUERY_NUMBER_MAX];
    novita_query_param query[4] = {
        { "pageNo", NULL }, { "pageSize", NULL }, { "storageName", NULL }, { "storageId", NULL },
    };
    novita_paging paging = { &query[0], &query[1], 0 };
    novita_request req = novita_get_request(NOVITA_NS_GPU, "/networkstorages/list", query, 4);
    REQUIRE_CLIENT(c);
    if (f) {
        query[0].value = novita_query_number(page_no, f->page_no);
        query[1].value = novita_query_number(page_size, f->page_size);
        query[2].value = f->storage_name;
        query[3].value = f->storage_id;
    }
    return novita_api_list(c, &req, &novita_network_storage_model, "data", NULL, &paging, list, opts);
}

novita_result novita_storage_create(novita_client *c, const char *cluster_id, const char *name, int32_t size_gb,
                                    char *id_out, size_t id_size, const novita_call_opts *opts)
{
    storage_body body;
    novita_request req;
    novita_response_spec spec;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    REQUIRE_CLIENT(c);
    if (!id_out || id_size == 0)
        return novita_fail(c, r, "id output is required");
    id_out[0] = '\0';
    if (!novita_api_require(c, cluster_id, "cluster id", &r) || !novita_api_require(c, name, "storage name", &r))
        return r;
    if (size_gb < 1)
        return novita_fail(c, r, "storage size must be at least 1 GB");
    body.key_of_first = "clusterId";
    body.first = cluster_id;
    body.name = name;
    body.size_gb = size_gb;
    req = novita_post_request("/networkstorage/create", write_storage_body, &body);
    /* Documented response: a bare JSON string, the new storage id. root_key also takes {"storageId": "..."}. */
    memset(&spec, 0, sizeof(spec));
    spec.mode = NOVITA_DECODE_STRING;
    spec.root_key = "storageId";
    spec.out = id_out;
    spec.out_size = id_size;
    return novita_exchange(c, &req, &spec, opts);
}

novita_result novita_storage_update(novita_client *c, const char *storage_id, const char *name, int32_t size_gb,
                                    const novita_call_opts *opts)
{
    storage_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    REQUIRE_CLIENT(c);
    if (!novita_api_require(c, storage_id, "storage id", &r) || !novita_api_require(c, name, "storage name", &r))
        return r;
    if (size_gb < 1)
        return novita_fail(c, r, "storage size must be at least 1 GB");
    body.key_of_first = "storageId";
    body.first = storage_id;
    body.name = name;
    body.size_gb = size_gb;
    return novita_api_action(c, "/networkstorage/update", write_storage_body, &body, opts);
}

novita_result novita_storage_delete(novita_client *c, const char *storage_id, const novita_call_opts *opts)
{
    novita_id_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    REQUIRE_CLIENT(c);
    if (!novita_api_require(c, storage_id, "storage id", &r))
        return r;
    body.key = "storageId";
    body.id = storage_id;
    return novita_api_action(c, "/networkstorage/delete", novita_write_id_body, &body, opts);
}

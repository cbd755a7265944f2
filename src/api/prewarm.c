/* Image prewarm: field tables and thin operations (REFERENCE 7 #39-#43, 8.10). */
#include "novita/prewarm.h"

#include "api.h"

/* ------------------------------------------------------------------ models */

static const novita_field product_fields[] = {
    NOVITA_F_STRING(novita_prewarm_product, "productId", product_id),
    NOVITA_F_STRING(novita_prewarm_product, "productName", product_name),
};
static const novita_model product_model = NOVITA_MODEL(novita_prewarm_product, "products[]", product_fields);

#define T novita_prewarm_task
static const novita_field task_fields[] = {
    NOVITA_F_STRING2(T, "id", "Id", id),
    NOVITA_F_STRING(T, "imageName", image_name),
    NOVITA_F_STRING(T, "imageUrl", image_url),
    NOVITA_F_STRING(T, "repositoryAuth", repository_auth),
    NOVITA_F_STRING(T, "clusterId", cluster_id),
    NOVITA_F_STRING(T, "clusterName", cluster_name),
    NOVITA_F_OBJECT_ARRAY(T, "products", products, product_count, product_total, product_model),
    NOVITA_F_INT(T, "imageSize", image_size),
    NOVITA_F_INT(T, "createTime", create_time),
    NOVITA_F_STRING(T, "state", state),
    NOVITA_F_INT(T, "completeTime", complete_time),
    NOVITA_F_STRING(T, "note", note),
    NOVITA_F_STRING_ARRAY(T, "reason", reason, reason_count, reason_total),
};
#undef T
const novita_model novita_prewarm_task_model = NOVITA_MODEL(novita_prewarm_task, "prewarmTask", task_fields);

static const novita_field quota_fields[] = {
    NOVITA_F_INT(novita_prewarm_quota, "total", total),
    NOVITA_F_INT(novita_prewarm_quota, "limit", limit),
    NOVITA_F_INT(novita_prewarm_quota, "perImageSize", per_image_size),
};
const novita_model novita_prewarm_quota_model = NOVITA_MODEL(novita_prewarm_quota, "prewarmQuota", quota_fields);

/* ------------------------------------------------------------------ bodies */

static void write_create(novita_json_writer *w, const void *ctx)
{
    const novita_prewarm_task_create *q = (const novita_prewarm_task_create *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "imageUrl", q->image_url);
    novita_jw_member_string(w, "clusterId", q->cluster_id);
    novita_jw_member_string_opt(w, "repositoryAuth", q->repository_auth);
    if (q->product_id_count)
        novita_write_string_array(w, "productIds", q->product_ids, q->product_id_count);
    novita_jw_member_string_opt(w, "note", q->note);
    novita_jw_object_end(w);
}

typedef struct edit_body {
    const char *id;
    const char *note;
} edit_body;

static void write_edit(novita_json_writer *w, const void *ctx)
{
    const edit_body *b = (const edit_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "id", b->id);
    novita_jw_member_string(w, "note", b->note); /* "" is sent: it clears the note */
    novita_jw_object_end(w);
}

typedef struct delete_body {
    const char *const *ids;
    size_t count;
} delete_body;

static void write_delete(novita_json_writer *w, const void *ctx)
{
    const delete_body *b = (const delete_body *)ctx;
    novita_jw_object_begin(w);
    novita_write_string_array(w, "ids", b->ids, b->count);
    novita_jw_object_end(w);
}

/* ------------------------------------------------------------------ operations */

novita_result novita_prewarm_get_quota(novita_client *c, novita_prewarm_quota *out, const novita_call_opts *opts)
{
    novita_request req = NOVITA_GET_REQUEST(NOVITA_NS_GPU, "/image/prewarm/quota", NULL, 0);
    return novita_api_get(c, &req, &novita_prewarm_quota_model, out, "output quota is required", NULL, NULL, NULL,
                          opts);
}

novita_result novita_prewarm_create(novita_client *c, const novita_prewarm_task_create *q, char *id_out,
                                    size_t id_size, const novita_call_opts *opts)
{
    novita_result r;
    if (!novita_api_id_output(c, q != NULL, id_out, id_size, "request and id output are required", &r) || !q)
        return r;
    if (!novita_api_require(c, q->image_url, "image URL", &r) ||
        !novita_api_require(c, q->cluster_id, "cluster id", &r))
        return r;
    if (q->product_id_count && !q->product_ids)
        return novita_fail(c, r, "product ids are missing");
    for (size_t i = 0; i < q->product_id_count; i++) {
        if (!novita_api_require(c, q->product_ids[i], "product id", &r))
            return r;
    }
    /* Never resent: a second create would be a second task counted against the quota. */
    return novita_api_create_id(c, "/image/prewarm", write_create, q, "id", id_out, id_size, opts);
}

novita_result novita_prewarm_list(novita_client *c, const novita_prewarm_task_filter *f, novita_list *list,
                                  const novita_call_opts *opts)
{
    /* `page` is documented as starting at 1 (REFERENCE 4). */
    static const novita_list_op op = { NOVITA_NS_GPU, "/image/prewarm", &novita_prewarm_task_model, "data", NULL,
                                       NOVITA_PAGED(0, 1, 1) };
    novita_query_param query[5] = {
        { "page", NULL, 0 }, { "pageSize", NULL, 0 }, { "state", NULL, 0 }, { "clusterId", NULL, 0 },
        { "name", NULL, 0 },
    };
    if (f) {
        query[2].value = f->state;
        query[3].value = f->cluster_id;
        query[4].value = f->name;
    }
    return novita_api_list(c, &op, query, 5, f ? f->page : 0, f ? f->page_size : 0, list, opts);
}

novita_result novita_prewarm_edit(novita_client *c, const char *id, const char *note, const novita_call_opts *opts)
{
    edit_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!novita_api_require(c, id, "prewarm task id", &r))
        return r;
    if (!note)
        return novita_fail(c, r, "note is required (\"\" clears it)");
    /* {id, note} as documented; the seed SDK adds a "task_id" the API does not know. */
    body.id = id;
    body.note = note;
    return novita_api_action(c, "/image/prewarm/edit", write_edit, &body, opts);
}

novita_result novita_prewarm_delete(novita_client *c, const char *const *ids, size_t id_count,
                                    const novita_call_opts *opts)
{
    delete_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!ids || id_count == 0)
        return novita_fail(c, r, "at least one prewarm task id is required");
    for (size_t i = 0; i < id_count; i++) {
        if (!novita_api_require(c, ids[i], "prewarm task id", &r))
            return r;
    }
    /* {"ids": [...]} as documented; the seed SDK sends {"task_id": id}. */
    body.ids = ids;
    body.count = id_count;
    return novita_api_action(c, "/image/prewarm/delete", write_delete, &body, opts);
}

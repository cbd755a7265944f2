/* Shared plumbing of the resource files. */
#include "api.h"

#include <string.h>

/* The envelope of every list: only `total` matters (a string in some endpoints). */
typedef struct list_envelope {
    int64_t total;
} list_envelope;

static const novita_field list_envelope_fields[] = {
    NOVITA_F_INT(list_envelope, "total", total),
};
static const novita_model list_envelope_model = NOVITA_MODEL(list_envelope, "list", list_envelope_fields);

typedef struct list_cursor {
    novita_list *list;
    size_t item_size;
} list_cursor;

/* Array mode decodes each element straight into its slot and, once the array is full, only counts the
 * rest (NULL slot). Callback mode decodes every element into items[0]. */
static novita_result deliver(void *user, void **item)
{
    list_cursor *cursor = (list_cursor *)user;
    novita_list *list = cursor->list;
    list->received++;
    if (list->on_item) {
        novita_result r = list->on_item(list->user, *item);
        if (r != NOVITA_OK)
            return r;
        list->count++;
        return NOVITA_OK;
    }
    if (*item)
        list->count++;
    *item = list->count < list->capacity ? (uint8_t *)list->items + list->count * cursor->item_size : NULL;
    return NOVITA_OK;
}

novita_result novita_api_list(novita_client *c, const novita_request *req, const novita_model *item_model,
                              const char *array_key, const char *array_alt_key, novita_list *list,
                              const novita_call_opts *opts)
{
    novita_response_spec spec;
    list_envelope envelope;
    list_cursor cursor;
    novita_result r;
    if (!list || !list->items || list->capacity == 0)
        return novita_fail(c, NOVITA_ERR_INVALID_ARG, "list needs items and a capacity of at least 1");
    list->count = 0;
    list->received = 0;
    list->total = -1;
    memset(&spec, 0, sizeof(spec));
    envelope.total = -1;
    cursor.list = list;
    cursor.item_size = item_model->struct_size;
    spec.mode = NOVITA_DECODE_LIST;
    spec.model = item_model;
    spec.out = list->items;
    spec.array_key = array_key;
    spec.array_alt_key = array_alt_key;
    spec.envelope = &list_envelope_model;
    spec.envelope_out = &envelope;
    spec.on_item = deliver;
    spec.user = &cursor;
    r = novita_exchange(c, req, &spec, opts);
    list->total = envelope.total;
    if (r == NOVITA_ERR_CANCELLED)
        (void)novita_fail(c, r, "the item callback stopped the listing");
    return r;
}

novita_result novita_api_get(novita_client *c, const novita_request *req, const novita_model *model, void *out,
                             const char *root_key, const novita_call_opts *opts)
{
    novita_response_spec spec;
    memset(&spec, 0, sizeof(spec));
    spec.mode = NOVITA_DECODE_OBJECT;
    spec.model = model;
    spec.out = out;
    spec.root_key = root_key;
    return novita_exchange(c, req, &spec, opts);
}

const char *novita_query_number(char buf[NOVITA_QUERY_NUMBER_MAX], int64_t v)
{
    size_t n;
    if (v <= 0)
        return NULL;
    n = novita_format_i64(buf, v);
    buf[n] = '\0';
    return buf;
}

novita_request novita_get_request(novita_namespace ns, const char *path, const novita_query_param *query,
                                  size_t query_count)
{
    novita_request req;
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.ns = ns;
    req.path = path;
    req.query = query;
    req.query_count = query_count;
    req.idempotent = true;
    return req;
}

novita_request novita_post_request(const char *path, novita_body_fn body, const void *body_ctx)
{
    novita_request req;
    memset(&req, 0, sizeof(req));
    req.method = "POST";
    req.ns = NOVITA_NS_GPU;
    req.path = path;
    req.body = body;
    req.body_ctx = body_ctx;
    req.idempotent = false;
    return req;
}

novita_result novita_api_action(novita_client *c, const char *path, novita_body_fn body, const void *body_ctx,
                                const novita_call_opts *opts)
{
    novita_request req = novita_post_request(path, body, body_ctx);
    novita_response_spec spec;
    memset(&spec, 0, sizeof(spec));
    spec.mode = NOVITA_DECODE_NONE;
    return novita_exchange(c, &req, &spec, opts);
}

bool novita_api_require(novita_client *c, const char *value, const char *what, novita_result *r)
{
    char message[96];
    size_t pos = 0;
    if (value && value[0])
        return true;
    while (*what && pos + 13u < sizeof(message))
        message[pos++] = *what++;
    memcpy(message + pos, " is required", 13);
    *r = novita_fail(c, NOVITA_ERR_INVALID_ARG, message);
    return false;
}

void novita_write_id_body(novita_json_writer *w, const void *ctx)
{
    const novita_id_body *b = (const novita_id_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, b->key, b->id);
    novita_jw_object_end(w);
}

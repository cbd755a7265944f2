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

/* How a list pages: the query parameters that carry the page number and size. Both point into the
 * request's own query array; the all-pages walk rewrites their values per page. */
typedef struct novita_paging {
    novita_query_param *page;
    novita_query_param *size;
    uint32_t first_page;
} novita_paging;

/* One list operation's state, kept in the work buffer's tail (novita_op_state), off the task stack. */
typedef struct list_cursor {
    novita_request req;
    novita_response_spec spec;
    list_envelope envelope;
    novita_list *list;
    size_t item_size;
    const novita_field *identity; /* the element's id field, or NULL: the whole element identifies it */
    bool walking;              /* an all-pages walk: fingerprint each page's first element */
    size_t page_received;      /* elements of the current page */
    size_t page_delivered;     /* of which handed to the caller (none of a repeated page) */
    uint32_t fingerprint;      /* of the current page's first element */
    uint32_t previous;         /* of the previous delivered page's first element */
    bool has_previous;
    bool repeated;             /* the current page repeats the previous one: deliver nothing */
    bool stopped_by_callback;  /* on_item returned non-OK: items[0] is the caller's last element */
} list_cursor;

typedef char list_cursor_fits_its_place[(sizeof(list_cursor) <= NOVITA_OP_STATE_BYTES) ? 1 : -1];

/* The id of a list element: a string field keyed "id"/"Id", else one whose key ends in "Id" (storageId,
 * billId). Comparing ids, not whole elements, keeps a repeated page recognisable while its elements
 * change state between the two requests. */
static const novita_field *identity_field(const novita_model *m)
{
    const novita_field *suffix = NULL;
    for (size_t i = 0; i < m->field_count; i++) {
        const novita_field *f = &m->fields[i];
        size_t n = novita_strlen(f->key);
        bool id_like = n >= 2 && (novita_streq(f->key + n - 2, "Id") || novita_streq(f->key, "id"));
        if (f->kind != NOVITA_FIELD_STRING || !id_like)
            continue;
        if (n == 2)
            return f; /* "id" or "Id" itself */
        if (!suffix)
            suffix = f;
    }
    return suffix;
}

/* FNV-1a over the element's id, or over the whole decoded element (zeroed before decoding, so equal
 * JSON gives equal bytes). */
static uint32_t fingerprint(const list_cursor *cursor, const void *item)
{
    const uint8_t *p = (const uint8_t *)item;
    size_t size = cursor->item_size;
    uint32_t h = 2166136261u;
    if (cursor->identity && p[cursor->identity->offset] != '\0') { /* no id: the element itself */
        p += cursor->identity->offset;
        size = novita_strnlen((const char *)p, cursor->identity->size);
    }
    for (size_t i = 0; i < size; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Array mode decodes each element straight into its slot and, once the array is full, only counts the
 * rest (NULL slot). Callback mode decodes every element into items[0]. */
static novita_result deliver(void *user, void **item)
{
    list_cursor *cursor = (list_cursor *)user;
    novita_list *list = cursor->list;
    if (cursor->page_received++ == 0 && cursor->walking && *item) {
        cursor->fingerprint = fingerprint(cursor, *item);
        cursor->repeated = cursor->has_previous && cursor->fingerprint == cursor->previous;
    }
    if (cursor->repeated)
        return NOVITA_OK; /* the slot is reused by the next element */
    list->received++;
    cursor->page_delivered++;
    if (list->on_item) {
        novita_result r = list->on_item(list->user, *item);
        if (r != NOVITA_OK) {
            cursor->stopped_by_callback = true;
            return r;
        }
        list->count++;
        return NOVITA_OK;
    }
    if (*item)
        list->count++;
    *item = list->count < list->capacity ? (uint8_t *)list->items + list->count * cursor->item_size : NULL;
    return NOVITA_OK;
}

static novita_result fetch_page(novita_client *c, list_cursor *cursor, const novita_call_opts *opts)
{
    novita_list *list = cursor->list;
    novita_result r;
    cursor->envelope.total = -1;
    cursor->page_received = 0;
    cursor->page_delivered = 0;
    cursor->repeated = false;
    cursor->spec.out = list->on_item ? list->items
                                     : (list->count < list->capacity
                                            ? (uint8_t *)list->items + list->count * cursor->item_size : NULL);
    r = novita_exchange(c, &cursor->req, &cursor->spec, opts);
    list->pages++;
    if (cursor->envelope.total >= 0)
        list->total = cursor->envelope.total;
    return r;
}

/* Whether the walk is over after the page just fetched. */
static bool walk_done(const novita_list *list, const list_cursor *cursor, uint32_t page_size)
{
    if (cursor->repeated)
        return false;
    if (cursor->page_received == 0)
        return true;
    if (!list->on_item && list->count >= list->capacity)
        return true; /* array mode: nowhere to put more */
    if (list->total >= 0)
        return list->received >= (size_t)list->total;
    return cursor->page_received < page_size;
}

static novita_result walk_pages(novita_client *c, const novita_paging *paging, list_cursor *cursor,
                                const novita_call_opts *opts)
{
    novita_list *list = cursor->list;
    uint32_t page_size = NOVITA_LIST_PAGE_SIZE, number = paging->first_page, repeats = 0;
    if (paging->size->number > 0 && paging->size->number <= 100000)
        page_size = (uint32_t)paging->size->number;
    paging->size->number = page_size;
    cursor->walking = true;
    for (;;) {
        novita_result r;
        paging->page->number = number;
        paging->page->value = number ? NULL : "0"; /* page 0 is sent, unlike other zero numbers */
        r = fetch_page(c, cursor, opts);
        if (r != NOVITA_OK)
            return r;
        if (cursor->repeated && ++repeats > 1)
            return novita_fail(c, NOVITA_ERR_PROTOCOL, "server ignores the page number");
        if (cursor->page_received == 0 && number == 0 && list->total != 0) {
            number = 1; /* a 1-based server may answer page 0 with nothing */
            continue;
        }
        if (walk_done(list, cursor, page_size))
            return NOVITA_OK;
        if (!cursor->repeated) {
            cursor->previous = cursor->fingerprint;
            cursor->has_previous = true;
        }
        if (list->pages >= NOVITA_LIST_MAX_PAGES)
            return novita_fail(c, NOVITA_ERR_PROTOCOL, "more than NOVITA_LIST_MAX_PAGES pages");
        number++;
    }
}

novita_result novita_api_list(novita_client *c, const novita_list_op *op, novita_query_param *query,
                              size_t query_count, uint32_t page, uint32_t page_size, novita_list *list,
                              const novita_call_opts *opts)
{
    novita_paging paging = { NULL, NULL, op->first_page };
    list_cursor *cursor;
    novita_result r;
    NOVITA_REQUIRE_CLIENT(c);
    if (!list || !list->items || list->capacity == 0)
        return novita_fail(c, NOVITA_ERR_INVALID_ARG, "list items and capacity are required");
    list->count = 0;
    list->received = 0;
    list->total = -1;
    list->pages = 0;
    cursor = (list_cursor *)novita_op_state(c);
    memset(cursor, 0, sizeof(*cursor));
    cursor->req = (novita_request)NOVITA_GET_REQUEST(op->ns, op->path, query, query_count);
    cursor->spec.mode = NOVITA_DECODE_LIST;
    cursor->spec.model = op->item_model;
    cursor->spec.array_key = op->array_key;
    cursor->spec.array_alt_key = op->array_alt_key;
    cursor->spec.envelope = &list_envelope_model;
    cursor->spec.envelope_out = &cursor->envelope;
    cursor->spec.on_item = deliver;
    cursor->spec.user = cursor;
    cursor->spec.handed_over = &cursor->page_delivered;
    cursor->list = list;
    cursor->item_size = op->item_model->struct_size;
    cursor->identity = identity_field(op->item_model);
    if (op->paged) {
        paging.page = &query[op->page_at];
        paging.size = &query[op->size_at];
        paging.page->number = page;
        paging.size->number = page_size;
    }
    if (list->all_pages && op->paged)
        r = walk_pages(c, &paging, cursor, opts);
    else
        r = fetch_page(c, cursor, opts);
    if (r != NOVITA_OK && !cursor->stopped_by_callback && (list->on_item || list->count < list->capacity))
        memset((uint8_t *)list->items + (list->on_item ? 0u : list->count * cursor->item_size), 0,
               cursor->item_size); /* the element being decoded when it failed is not data */
    if (r == NOVITA_ERR_CANCELLED)
        (void)novita_fail(c, r, "callback stopped the call");
    return r;
}

novita_result novita_api_exchange(novita_client *c, const novita_request *req, novita_decode_mode mode,
                                  const novita_model *model, void *out, size_t out_size, const char *root_key,
                                  const novita_call_opts *opts)
{
    novita_response_spec *spec = (novita_response_spec *)novita_op_state(c); /* off the task stack */
    /* Every member stored, without a memset call: no register has to outlive a call, so this frame
     * stays off the deep receive-and-decode stack path. */
    spec->mode = mode;
    spec->out_size = out_size;
    spec->root_key = root_key;
    spec->array_key = NULL;
    spec->array_alt_key = NULL;
    spec->envelope = NULL;
    spec->envelope_out = NULL;
    spec->model = model;
    spec->out = out;
    spec->on_item = NULL;
    spec->user = NULL;
    spec->on_body = NULL;
    spec->body_user = NULL;
    spec->raw_out = NULL;
    spec->handed_over = NULL;
    return novita_exchange(c, req, spec, opts);
}

novita_result novita_api_get(novita_client *c, const novita_request *req, const novita_model *model, void *out,
                             const char *out_message, const char *id, const char *id_what, const char *root_key,
                             const novita_call_opts *opts)
{
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!out)
        return novita_fail(c, r, out_message);
    memset(out, 0, model->struct_size);
    if (id_what && !novita_api_require(c, id, id_what, &r))
        return r;
    r = novita_api_exchange(c, req, NOVITA_DECODE_OBJECT, model, out, 0, root_key, opts);
    if (r != NOVITA_OK)
        memset(out, 0, model->struct_size); /* never half a struct that could pass for data */
    return r;
}

bool novita_api_id_output(novita_client *c, bool request_ok, char *id_out, size_t id_size, const char *message,
                          novita_result *r)
{
    *r = NOVITA_ERR_INVALID_ARG;
    if (!c)
        return false;
    if (!request_ok || !id_out || id_size == 0) {
        *r = novita_fail(c, *r, message);
        return false;
    }
    id_out[0] = '\0';
    return true;
}

novita_result novita_api_create_id(novita_client *c, const char *path, novita_body_fn body, const void *body_ctx,
                                   const char *id_key, char *id_out, size_t id_size, const novita_call_opts *opts)
{
    novita_request req = NOVITA_POST_REQUEST(path, body, body_ctx);
    return novita_api_exchange(c, &req, NOVITA_DECODE_STRING, NULL, id_out, id_size, id_key, opts);
}

novita_result novita_api_action(novita_client *c, const char *path, novita_body_fn body, const void *body_ctx,
                                const novita_call_opts *opts)
{
    novita_request req = NOVITA_POST_REQUEST(path, body, body_ctx);
    return novita_api_exchange(c, &req, NOVITA_DECODE_NONE, NULL, NULL, 0, NULL, opts);
}

bool novita_api_require(novita_client *c, const char *value, const char *what, novita_result *r)
{
    if (value && value[0])
        return true;
    *r = novita_fail_joined(c, NOVITA_ERR_INVALID_ARG, what, " is required");
    return false;
}

/* Body {"instanceId": id} and similar single-id bodies. */
typedef struct id_body {
    const char *key;
    const char *id;
} id_body;

static void write_id_body(novita_json_writer *w, const void *ctx)
{
    const id_body *b = (const id_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, b->key, b->id);
    novita_jw_object_end(w);
}

novita_result novita_api_id_action(novita_client *c, const char *path, const char *key, const char *id,
                                   const char *what, const novita_call_opts *opts)
{
    id_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!novita_api_require(c, id, what, &r))
        return r;
    body.key = key;
    body.id = id;
    return novita_api_action(c, path, write_id_body, &body, opts);
}

/* ------------------------------------------------------------------ shared models and body writers */

const novita_field novita_env_fields[2] = {
    NOVITA_F_STRING(novita_env, "key", key),
    NOVITA_F_STRING(novita_env, "value", value),
};
const novita_model novita_env_model = NOVITA_MODEL(novita_env, "envs[]", novita_env_fields);

static const novita_field volume_mount_fields[] = {
    NOVITA_F_STRING(novita_volume_mount, "type", type),
    NOVITA_F_INT(novita_volume_mount, "size", size),
    NOVITA_F_STRING2(novita_volume_mount, "id", "Id", id),
    NOVITA_F_STRING(novita_volume_mount, "mountPath", mount_path),
};
const novita_model novita_volume_mount_model = NOVITA_MODEL(novita_volume_mount, "volumeMounts[]", volume_mount_fields);

void novita_write_envs(novita_json_writer *w, const novita_env_spec *envs, size_t count)
{
    novita_jw_key(w, "envs");
    novita_jw_array_begin(w);
    for (size_t i = 0; i < count; i++) {
        novita_jw_object_begin(w);
        novita_jw_member_string(w, "key", envs[i].key);
        novita_jw_member_string(w, "value", envs[i].value);
        novita_jw_object_end(w);
    }
    novita_jw_array_end(w);
}

void novita_write_string_array(novita_json_writer *w, const char *key, const char *const *items, size_t count)
{
    novita_jw_key(w, key);
    novita_jw_array_begin(w);
    for (size_t i = 0; i < count; i++)
        novita_jw_string(w, items[i]);
    novita_jw_array_end(w);
}

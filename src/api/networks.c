/* VPC networks: field tables and thin operations (REFERENCE 7 #31-#35, 8.8). */
#include "novita/networks.h"

#include <string.h>

#include "api.h"

/* The element model's name: a decode failure of the network object itself (not of one of its fields)
 * reports exactly this name in novita_error.what. */
#define NETWORK_MODEL_NAME "network"

static const novita_field state_fields[] = {
    NOVITA_F_STRING(novita_network_state, "state", state),
    NOVITA_F_STRING(novita_network_state, "error", error),
};
static const novita_model state_model = NOVITA_MODEL(novita_network_state, "network.state", state_fields);

static const novita_field address_fields[] = {
    NOVITA_F_STRING2(novita_network_address, "Id", "id", id),
    NOVITA_F_STRING2(novita_network_address, "Ip", "ip", ip),
};
static const novita_model address_model = NOVITA_MODEL(novita_network_address, "network.Addresses[]", address_fields);

#define N novita_network
static const novita_field network_fields[] = {
    NOVITA_F_STRING2(N, "Id", "id", id),
    NOVITA_F_STRING(N, "user", user),
    NOVITA_F_STRING(N, "name", name),
    NOVITA_F_OBJECT(N, "state", state, state_model), /* object, or object[] as the docs say */
    NOVITA_F_STRING(N, "segment", segment),
    NOVITA_F_STRING(N, "clusterId", cluster_id),
    NOVITA_F_OBJECT_ARRAY(N, "Addresses", addresses, address_count, address_total, address_model),
    NOVITA_F_INT(N, "createTime", create_time),
};
#undef N
const novita_model novita_network_model = NOVITA_MODEL(novita_network, NETWORK_MODEL_NAME, network_fields);

/* ------------------------------------------------------------------ bodies */

typedef struct network_body {
    const char *id_key; /* "clusterId" (create) or "networkId" (update) */
    const char *id;
    const char *name;   /* NULL: not sent */
} network_body;

static void write_network_body(novita_json_writer *w, const void *ctx)
{
    const network_body *b = (const network_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, b->id_key, b->id);
    if (b->name)
        novita_jw_member_string(w, "name", b->name);
    novita_jw_object_end(w);
}

/* ------------------------------------------------------------------ operations */

/* After a 2xx whose `network` value was neither an object nor a non-empty array of objects (the documented
 * empty array `[]`), the decoder reports a failure of the network object itself. */
static bool response_had_no_network(const novita_client *c, novita_result r)
{
    const novita_error *e = novita_client_last_error(c);
    return r == NOVITA_ERR_DECODE && e->http_status >= 200 && e->http_status < 300 &&
           novita_streq(e->what, NETWORK_MODEL_NAME);
}

novita_result novita_networks_list(novita_client *c, const novita_network_filter *f, novita_list *list,
                                   const novita_call_opts *opts)
{
    /* Live key `networks` (seed SDK, after live tests), docs key `network`: both accepted. */
    static const novita_list_op op = { NOVITA_NS_GPU, "/networks", &novita_network_model, "networks", "network",
                                       NOVITA_PAGED(1, 0, 0) };
    novita_query_param query[4] = {
        { "pageSize", NULL, 0 }, { "pageNum", NULL, 0 }, { "name", NULL, 0 }, { "creators", NULL, 0 },
    };
    if (f) {
        query[2].value = f->name;
        query[3].value = f->creators;
    }
    return novita_api_list(c, &op, query, 4, f ? f->page_num : 0, f ? f->page_size : 0, list, opts);
}

novita_result novita_networks_get(novita_client *c, const char *id, novita_network *out,
                                  const novita_call_opts *opts)
{
    novita_query_param query[1] = { { "networkId", id, 0 } };
    novita_request req = NOVITA_GET_REQUEST(NOVITA_NS_GPU, "/network", query, 1);
    /* {"network": [ {...} ]} as documented; the decoder takes the array's first element, and also accepts
     * {"network": {...}} and a flat object. */
    novita_result r = novita_api_get(c, &req, &novita_network_model, out, "output network is required", id,
                                     "network id", "network", opts);
    if (response_had_no_network(c, r) || (r == NOVITA_OK && out->id[0] == '\0')) {
        memset(out, 0, sizeof(*out));
        return novita_fail(c, NOVITA_ERR_NOT_FOUND, "network not found: the response held no network");
    }
    return r;
}

novita_result novita_networks_create(novita_client *c, const char *cluster_id, const char *name,
                                     novita_network *out, const novita_call_opts *opts)
{
    network_body body;
    novita_request req;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (out)
        memset(out, 0, sizeof(*out));
    if (!novita_api_require(c, cluster_id, "cluster id", &r))
        return r;
    body.id_key = "clusterId";
    body.id = cluster_id;
    body.name = name;
    if (!out)
        return novita_api_action(c, "/network/create", write_network_body, &body, opts);
    req = (novita_request)NOVITA_POST_REQUEST("/network/create", write_network_body, &body);
    r = novita_api_exchange(c, &req, NOVITA_DECODE_OBJECT, &novita_network_model, out, 0, "network", opts);
    if (r == NOVITA_ERR_DECODE && c->error.http_status >= 200 && c->error.http_status < 300) {
        /* Created (2xx) but nothing readable came back ({}, [], "", not JSON): as documented, no network. */
        memset(out, 0, sizeof(*out));
        c->error.result = NOVITA_OK;
        return NOVITA_OK;
    }
    return r;
}

novita_result novita_networks_update(novita_client *c, const char *id, const char *name,
                                     const novita_call_opts *opts)
{
    network_body body;
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!novita_api_require(c, id, "network id", &r) || !novita_api_require(c, name, "network name", &r))
        return r;
    body.id_key = "networkId";
    body.id = id;
    body.name = name;
    return novita_api_action(c, "/network/update", write_network_body, &body, opts);
}

novita_result novita_networks_delete(novita_client *c, const char *id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/network/delete", "networkId", id, "network id", opts);
}

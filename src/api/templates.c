/* Templates: field tables and thin operations (REFERENCE 7 #19-#23, 8.5). */
#include "novita/templates.h"

#include <string.h>

#include "api.h"

/* Field sizes and offsets are 16-bit (model.h); the readme is the last member, so only its size is at risk. */
typedef char novita_template_readme_fits_u16[(NOVITA_TEMPLATE_README_MAX <= 65535u) ? 1 : -1];

/* ------------------------------------------------------------------ models */

static const novita_field port_group_fields[] = {
    NOVITA_F_STRING(novita_template_ports, "type", type),
    NOVITA_F_INT_ARRAY(novita_template_ports, "ports", ports, port_count, port_total),
};
static const novita_model port_group_model = NOVITA_MODEL(novita_template_ports, "template.ports[]", port_group_fields);

/* The shared {key, value} table under this resource's label. */
static const novita_model env_model = NOVITA_MODEL(novita_env, "template.envs[]", novita_env_fields);

static const novita_field tool_fields[] = {
    NOVITA_F_STRING(novita_template_tool, "name", name),
    NOVITA_F_STRING(novita_template_tool, "describe", describe),
    NOVITA_F_INT(novita_template_tool, "port", port),
    NOVITA_F_STRING(novita_template_tool, "type", type),
};
static const novita_model tool_model = NOVITA_MODEL(novita_template_tool, "template.tools[]", tool_fields);

static const novita_field card_fields[] = {
    NOVITA_F_STRING(novita_template_card, "gpuSpecId", gpu_spec_id),
    NOVITA_F_INT(novita_template_card, "cardNum", card_num),
};
static const novita_model card_model = NOVITA_MODEL(novita_template_card, "template.recommendCards[]", card_fields);

static const novita_field volume_fields[] = {
    NOVITA_F_STRING(novita_volume_mount, "type", type),
    NOVITA_F_INT(novita_volume_mount, "size", size),
    NOVITA_F_STRING(novita_volume_mount, "mountPath", mount_path),
};
static const novita_model volume_model = NOVITA_MODEL(novita_volume_mount, "template.volumes[]", volume_fields);

#define T novita_template
static const novita_field template_fields[] = {
    NOVITA_F_STRING2(T, "Id", "id", id), /* capital I, as documented */
    NOVITA_F_STRING(T, "name", name),
    NOVITA_F_STRING(T, "readme", readme),
    NOVITA_F_STRING(T, "type", type),
    NOVITA_F_STRING(T, "channel", channel),
    NOVITA_F_STRING(T, "image", image),
    NOVITA_F_STRING(T, "imageAuth", image_auth),
    NOVITA_F_STRING(T, "startCommand", start_command),
    NOVITA_F_STRING(T, "entrypoint", entrypoint),
    NOVITA_F_INT(T, "rootfsSize", rootfs_size),
    NOVITA_F_OBJECT_ARRAY(T, "ports", ports, port_group_count, port_group_total, port_group_model),
    NOVITA_F_OBJECT_ARRAY(T, "envs", envs, env_count, env_total, env_model),
    NOVITA_F_OBJECT_ARRAY(T, "tools", tools, tool_count, tool_total, tool_model),
    NOVITA_F_INT(T, "createdAt", created_at),
    NOVITA_F_OBJECT_ARRAY(T, "recommendCards", recommend_cards, recommend_card_count, recommend_card_total,
                          card_model),
    NOVITA_F_STRING(T, "minCudaVersion", min_cuda_version),
    NOVITA_F_STRING(T, "user", user),
    NOVITA_F_OBJECT_ARRAY(T, "volumes", volumes, volume_count, volume_total, volume_model),
};
#undef T
const novita_model novita_template_model = NOVITA_MODEL(novita_template, "template", template_fields);

/* The create response {"templateId": "..."}: a model rather than a bare string so a numeric id decodes too. */
typedef struct template_id_response {
    char template_id[NOVITA_ID_MAX];
} template_id_response;

static const novita_field template_id_fields[] = {
    NOVITA_F_STRING(template_id_response, "templateId", template_id),
};
static const novita_model template_id_model = NOVITA_MODEL(template_id_response, "templateCreated", template_id_fields);

/* ------------------------------------------------------------------ bodies */

typedef struct template_body {
    const char *id; /* update only: sent as "Id" */
    const novita_template_spec *spec;
} template_body;

static void write_port_groups(novita_json_writer *w, const novita_template_port_spec *groups, size_t count)
{
    novita_jw_key(w, "ports");
    novita_jw_array_begin(w);
    for (size_t i = 0; i < count; i++) {
        novita_jw_object_begin(w);
        novita_jw_member_string(w, "type", groups[i].type ? groups[i].type : "tcp");
        novita_jw_key(w, "ports");
        novita_jw_array_begin(w);
        for (size_t k = 0; k < groups[i].port_count; k++)
            novita_jw_int(w, groups[i].ports[k]);
        novita_jw_array_end(w);
        novita_jw_object_end(w);
    }
    novita_jw_array_end(w);
}

/* {"template": {...}}: the docs wrap create and update bodies (the seed SDK's flat body is wrong). */
static void write_template(novita_json_writer *w, const void *ctx)
{
    const template_body *b = (const template_body *)ctx;
    const novita_template_spec *s = b->spec;
    novita_jw_object_begin(w);
    novita_jw_key(w, "template");
    novita_jw_object_begin(w);
    if (b->id)
        novita_jw_member_string(w, "Id", b->id);
    novita_jw_member_string(w, "name", s->name);
    novita_jw_member_string_opt(w, "readme", s->readme);
    novita_jw_member_string(w, "type", s->type && s->type[0] ? s->type : "instance");
    novita_jw_member_string(w, "channel", s->channel && s->channel[0] ? s->channel : "private");
    novita_jw_member_string(w, "image", s->image);
    novita_jw_member_string_opt(w, "imageAuth", s->image_auth);
    novita_jw_member_string_opt(w, "startCommand", s->start_command);
    novita_jw_member_string_opt(w, "entrypoint", s->entrypoint);
    novita_jw_member_int(w, "rootfsSize", s->rootfs_size);
    if (s->port_count)
        write_port_groups(w, s->ports, s->port_count);
    if (s->env_count)
        novita_write_envs(w, s->envs, s->env_count);
    novita_jw_member_string_opt(w, "minCudaVersion", s->min_cuda_version);
    novita_jw_object_end(w);
    novita_jw_object_end(w);
}

/* ------------------------------------------------------------------ operations */

/* Checks shared by create and update: the fields the API requires and array shapes it cannot take. */
static bool spec_valid(novita_client *c, const novita_template_spec *s, novita_result *r)
{
    *r = NOVITA_ERR_INVALID_ARG;
    if (!s) {
        *r = novita_fail(c, *r, "template fields are required");
        return false;
    }
    if (!novita_api_require(c, s->name, "template name", r) || !novita_api_require(c, s->image, "template image", r))
        return false;
    if (s->rootfs_size <= 0) {
        *r = novita_fail(c, *r, "rootfs size must be at least 1 GB");
        return false;
    }
    if ((s->port_count && !s->ports) || (s->env_count && !s->envs)) {
        *r = novita_fail(c, *r, "ports and envs need arrays when their counts are set");
        return false;
    }
    for (size_t i = 0; i < s->port_count; i++) {
        if (s->ports[i].port_count == 0 || !s->ports[i].ports) {
            *r = novita_fail(c, *r, "every port group needs at least one port");
            return false;
        }
    }
    return true;
}

novita_result novita_templates_list(novita_client *c, const novita_template_filter *f, novita_list *list,
                                    const novita_call_opts *opts)
{
    static const novita_list_op op = { NOVITA_NS_GPU, "/templates", &novita_template_model, "template", "templates",
                                       NOVITA_PAGED(1, 0, 0) };
    novita_query_param query[6] = {
        { "pageSize", NULL, 0 }, { "pageNum", NULL, 0 }, { "name", NULL, 0 },
        { "type", NULL, 0 },     { "channel", NULL, 0 }, { "isMyCommunity", NULL, 0 },
    };
    if (f) {
        query[2].value = f->name;
        query[3].value = f->type;
        query[4].value = f->channel;
        if (f->is_my_community == NOVITA_TEMPLATE_MINE_YES)
            query[5].value = "true";
        else if (f->is_my_community == NOVITA_TEMPLATE_MINE_NO)
            query[5].value = "false";
        else if (f->channel && f->channel[0]) /* own private templates show only with isMyCommunity=true */
            query[5].value = novita_streq(f->channel, "private") ? "true" : "false";
    }
    return novita_api_list(c, &op, query, 6, f ? f->page_num : 0, f ? f->page_size : 0, list, opts);
}

novita_result novita_templates_get(novita_client *c, const char *id, novita_template *out,
                                   const novita_call_opts *opts)
{
    novita_query_param query[1] = { { "templateId", id, 0 } };
    novita_request req = NOVITA_GET_REQUEST(NOVITA_NS_GPU, "/template", query, 1);
    /* Documented as {"template": {...}}; flat is accepted too. */
    return novita_api_get(c, &req, &novita_template_model, out, "output template is required", id, "template id",
                          "template", opts);
}

novita_result novita_templates_create(novita_client *c, const novita_template_spec *spec, char *id_out,
                                      size_t id_size, const novita_call_opts *opts)
{
    template_body body = { NULL, spec };
    template_id_response created;
    novita_request req = NOVITA_POST_REQUEST("/template/create", write_template, &body);
    novita_result r;
    size_t len;
    if (!novita_api_id_output(c, true, id_out, id_size, "id output is required", &r) || !spec_valid(c, spec, &r))
        return r;
    /* Not novita_api_create_id: decoded through a model, the id may also be a JSON number. */
    r = novita_api_get(c, &req, &template_id_model, &created, NULL, NULL, NULL, NULL, opts);
    if (r != NOVITA_OK)
        return r;
    len = novita_strlen(created.template_id);
    if (len == 0)
        return novita_fail(c, NOVITA_ERR_DECODE, "the create response carries no templateId");
    if (!novita_copy_string(id_out, id_size, created.template_id, len)) {
        id_out[0] = '\0';
        c->error.needed = len + 1u;
        (void)novita_copy_string(c->error.what, sizeof(c->error.what), "id_out", 6);
        return novita_fail(c, NOVITA_ERR_BUFFER_TOO_SMALL, "the template id does not fit id_out");
    }
    return NOVITA_OK;
}

novita_result novita_templates_update(novita_client *c, const char *id, const novita_template_spec *spec,
                                      const novita_call_opts *opts)
{
    template_body body = { id, spec };
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!novita_api_require(c, id, "template id", &r) || !spec_valid(c, spec, &r))
        return r;
    return novita_api_action(c, "/template/update", write_template, &body, opts);
}

novita_result novita_templates_delete(novita_client *c, const char *id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/template/delete", "templateId", id, "template id", opts);
}

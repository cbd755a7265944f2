/* Container registry auths: field table and thin operations (REFERENCE 7 #24-#26, 8.6). */
#include "novita/registries.h"

#include <string.h>

#include "api.h"

static const novita_field registry_auth_fields[] = {
    NOVITA_F_STRING2(novita_registry_auth, "id", "Id", id),
    NOVITA_F_STRING(novita_registry_auth, "name", name),
    NOVITA_F_STRING(novita_registry_auth, "username", username),
    NOVITA_F_STRING(novita_registry_auth, "password", password),
};
const novita_model novita_registry_auth_model =
    NOVITA_MODEL(novita_registry_auth, "registryAuth", registry_auth_fields);

typedef struct save_body {
    const char *name;
    const char *username;
    const char *password;
} save_body;

static void write_save(novita_json_writer *w, const void *ctx)
{
    const save_body *b = (const save_body *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "name", b->name);
    novita_jw_member_string(w, "username", b->username);
    novita_jw_member_string(w, "password", b->password);
    novita_jw_object_end(w);
}

novita_result novita_registry_auths_list(novita_client *c, novita_list *list, const novita_call_opts *opts)
{
    /* Documented as {"data": [...]}, not paged; a bare array is accepted too. */
    static const novita_list_op op = { NOVITA_NS_GPU, "/repository/auths", &novita_registry_auth_model, "data", NULL,
                                       NOVITA_UNPAGED };
    return novita_api_list(c, &op, NULL, 0, 0, 0, list, opts);
}

novita_result novita_registry_auths_create(novita_client *c, const char *name, const char *username,
                                           const char *password, const novita_call_opts *opts)
{
    save_body body = { name, username, password };
    novita_result r = NOVITA_ERR_INVALID_ARG;
    NOVITA_REQUIRE_CLIENT(c);
    if (!novita_api_require(c, name, "registry name", &r) || !novita_api_require(c, username, "registry username", &r) ||
        !novita_api_require(c, password, "registry password", &r))
        return r;
    /* Any 2xx is success: the docs show 200 {}, the seed SDK's spec claims 204 with no body. */
    r = novita_api_action(c, "/repository/auth/save", write_save, &body, opts);
    /* The request held the password in clear text: do not leave it in the caller's work buffer. */
    memset(c->work, 0, c->work_size);
    return r;
}

novita_result novita_registry_auths_delete(novita_client *c, const char *id, const novita_call_opts *opts)
{
    return novita_api_id_action(c, "/repository/auth/delete", "id", id, "registry auth id", opts);
}

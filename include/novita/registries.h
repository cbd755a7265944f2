/**
 * @file registries.h
 * @brief Container registry auths (REFERENCE 7 #24-#26, 8.6): credentials for private image registries,
 *        referenced by id from templates (image_auth) and instances (image_auth_id).
 *
 * Returns of every function here: NOVITA_OK, or the errors listed at the top of instances.h.
 * The API returns passwords in clear text: a listed novita_registry_auth holds one, so treat the list
 * memory as secret (wipe it when done) and never print it.
 */
#ifndef NOVITA_REGISTRIES_H
#define NOVITA_REGISTRIES_H

#include "novita/client.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One registry auth. */
typedef struct novita_registry_auth {
    char id[NOVITA_ID_MAX];                          /**< 32 lowercase alphanumerics */
    char name[NOVITA_TEXT_MAX];                      /**< registry host, e.g. "ghcr.io" */
    char username[NOVITA_REGISTRY_USERNAME_MAX];
    char password[NOVITA_REGISTRY_PASSWORD_MAX];     /**< clear text, as the API returns it */
} novita_registry_auth;

/** Model descriptor (for novita_model_to_json). */
extern const novita_model novita_registry_auth_model;

/**
 * @brief List the registry auths (GET /repository/auths). The list is not paged: one request.
 * @param[in]     client the client
 * @param[in,out] list   output: items must point to novita_registry_auth elements
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed in
 *         instances.h.
 */
NOVITA_NODISCARD novita_result novita_registry_auths_list(novita_client *client, novita_list *list,
                                                          const novita_call_opts *opts);

/**
 * @brief Save a new registry auth (POST /repository/auth/save, body {name, username, password}).
 *
 * The API answers 200 {} (or 204 with no body) and returns no id: list the auths and match by name to find
 * it. Never resent automatically. The request, which holds the password, is wiped from the work buffer
 * afterwards.
 * @param[in] client   the client
 * @param[in] name     registry host, required (1-255 characters)
 * @param[in] username required (1-511 characters)
 * @param[in] password required (1-1024 characters)
 * @param[in] opts     per-call overrides or NULL
 * @return NOVITA_OK or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_registry_auths_create(novita_client *client, const char *name,
                                                            const char *username, const char *password,
                                                            const novita_call_opts *opts);

/**
 * @brief Delete a registry auth (POST /repository/auth/delete, body {"id": id}).
 * @param[in] client the client; @param[in] id auth id; @param[in] opts per-call overrides or NULL
 * @return NOVITA_OK or an error listed in instances.h (NOVITA_ERR_API with reason IMAGE_AUTH_IN_USE while
 *         a template or instance uses it).
 */
NOVITA_NODISCARD novita_result novita_registry_auths_delete(novita_client *client, const char *id,
                                                            const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_REGISTRIES_H */

/**
 * @file templates.h
 * @brief Instance templates (REFERENCE 7 #19-#23, 8.5): list, get, create, update, delete.
 *
 * Returns of every function here: NOVITA_OK, or the errors listed at the top of instances.h. A template
 * that does not exist is NOVITA_ERR_NOT_FOUND (the API answers HTTP 400 TEMPLATE_NOT_FOUND).
 *
 * Decoding follows model.h: a string longer than its member is NOVITA_ERR_BUFFER_TOO_SMALL with
 * novita_error.what naming the field ("template.readme"), never a silent truncation. The readme is the
 * field most likely to hit this: the API allows markdown of up to 100 KB, far more than a fixed struct
 * should hold by default, so raise NOVITA_TEMPLATE_README_MAX (and the work buffer, which must hold one whole
 * template) when your templates carry long readmes.
 */
#ifndef NOVITA_TEMPLATES_H
#define NOVITA_TEMPLATES_H

#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/instances.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Ports of one protocol. Numbers are accepted as JSON numbers or numeric strings (an older API revision). */
typedef struct novita_template_ports {
    char type[NOVITA_ENUM_TEXT_MAX];  /**< "http" or "tcp" */
    int32_t ports[NOVITA_MAX_PORTS];  /**< port numbers */
    uint16_t port_count, port_total;
} novita_template_ports;

/** A tool an official template starts (e.g. Jupyter). */
typedef struct novita_template_tool {
    char name[NOVITA_SHORT_MAX];
    char describe[NOVITA_TEXT_MAX];
    int32_t port;
    char type[NOVITA_ENUM_TEXT_MAX]; /**< "http" or "tcp" */
} novita_template_tool;

/** A GPU product the template recommends. */
typedef struct novita_template_card {
    char gpu_spec_id[NOVITA_ID_MAX]; /**< e.g. "4090.18c.60g" */
    int32_t card_num;                /**< the API sends a string */
} novita_template_card;

/** A template as returned by get and list. Strings the API omits stay "". */
typedef struct novita_template {
    char id[NOVITA_ID_MAX];                 /**< "Id" on the wire ("id" accepted); numeric-looking ("212") */
    char name[NOVITA_NAME_MAX];
    char type[NOVITA_ENUM_TEXT_MAX];        /**< "instance" */
    char channel[NOVITA_ENUM_TEXT_MAX];     /**< "official", "community" or "private" */
    char image[NOVITA_IMAGE_URL_MAX];
    char image_auth[NOVITA_ID_MAX];         /**< registry auth id (registries.h), "" for public images */
    char start_command[NOVITA_TEXT_MAX];
    char entrypoint[NOVITA_TEXT_MAX];
    int32_t rootfs_size;                    /**< GB */
    novita_template_ports ports[NOVITA_MAX_TEMPLATE_PORT_GROUPS];
    uint16_t port_group_count, port_group_total;
    novita_env envs[NOVITA_MAX_ENVS];
    uint16_t env_count, env_total;
    novita_template_tool tools[NOVITA_MAX_TEMPLATE_TOOLS];
    uint16_t tool_count, tool_total;
    int64_t created_at;                     /**< Unix seconds (the API sends a string) */
    novita_template_card recommend_cards[NOVITA_MAX_TEMPLATE_CARDS];
    uint16_t recommend_card_count, recommend_card_total;
    char min_cuda_version[NOVITA_SHORT_MAX]; /**< e.g. "11.8" */
    char user[NOVITA_ID_MAX];               /**< owner (not in every response) */
    novita_volume_mount volumes[NOVITA_MAX_VOLUMES]; /**< type, size, mount_path (id unused) */
    uint16_t volume_count, volume_total;
    char readme[NOVITA_TEMPLATE_README_MAX]; /**< markdown; last member so the 16-bit field offsets stay small */
} novita_template;

/** Model descriptor (for novita_model_to_json). */
extern const novita_model novita_template_model;

/* ------------------------------------------------------------------ requests */

/** Ports of one protocol to expose (the API allows at most 10 per group). */
typedef struct novita_template_port_spec {
    const char *type;     /**< "http" or "tcp" (NULL = "tcp") */
    const int32_t *ports; /**< port numbers, 1-65535 except 2222-2224 */
    size_t port_count;    /**< >= 1 */
} novita_template_port_spec;

/** Fields of a template for create and update. NULL strings and zero counts are not sent. The API
 *  replaces a template with the fields of an update, so pass every field to keep (get it first). */
typedef struct novita_template_spec {
    const char *name;             /**< required, 1-255 characters */
    const char *readme;           /**< markdown, up to 102400 characters (the request must fit the work buffer) */
    const char *type;             /**< NULL = "instance" */
    const char *channel;          /**< NULL = "private" (the only channel a user can create in) */
    const char *image;            /**< required, e.g. "ubuntu:22.04" */
    const char *image_auth;       /**< registry auth id (registries.h) for a private image */
    const char *start_command;
    const char *entrypoint;
    int32_t rootfs_size;          /**< required, GB, > 0 */
    const novita_template_port_spec *ports;
    size_t port_count;            /**< number of port groups */
    const novita_env_spec *envs;
    size_t env_count;
    const char *min_cuda_version; /**< e.g. "12.4" */
} novita_template_spec;

/** Whether a template list asks for the caller's own templates (`isMyCommunity`). */
typedef enum novita_template_mine {
    NOVITA_TEMPLATE_MINE_AUTO = 0, /**< derived from the channel: true for "private", false otherwise */
    NOVITA_TEMPLATE_MINE_YES,
    NOVITA_TEMPLATE_MINE_NO
} novita_template_mine;

/** Filters and paging of templates list. NULL/0 fields are not sent. */
typedef struct novita_template_filter {
    const char *channel;  /**< "official", "community" or "private"; NULL sends neither channel nor an
                               AUTO isMyCommunity and leaves the choice to the API */
    const char *name;     /**< fuzzy */
    const char *type;     /**< e.g. "instance" */
    novita_template_mine is_my_community;
    uint32_t page_size;
    uint32_t page_num;
} novita_template_filter;

/* ------------------------------------------------------------------ operations */

/**
 * @brief List templates (GET /templates) one page at a time, in bounded memory (see list.h).
 *
 * The docs mark `channel` and `isMyCommunity` required: with a channel, isMyCommunity is always sent
 * (derived from the channel unless the filter sets it), because the API shows a user's private templates
 * only with channel=private&isMyCommunity=true.
 * @param[in]     client the client
 * @param[in]     filter filters and paging, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_template elements
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed in
 *         instances.h.
 */
NOVITA_NODISCARD novita_result novita_templates_list(novita_client *client, const novita_template_filter *filter,
                                                     novita_list *list, const novita_call_opts *opts);

/**
 * @brief Get one template (GET /template?templateId=), wrapped as {"template": {...}} or flat.
 * @param[in]  client the client
 * @param[in]  id     template id
 * @param[out] out    receives the template (zeroed on failure)
 * @param[in]  opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed in instances.h (an unknown id is NOVITA_ERR_NOT_FOUND; a readme
 *         longer than NOVITA_TEMPLATE_README_MAX is NOVITA_ERR_BUFFER_TOO_SMALL naming "template.readme").
 */
NOVITA_NODISCARD novita_result novita_templates_get(novita_client *client, const char *id, novita_template *out,
                                                    const novita_call_opts *opts);

/**
 * @brief Create a template (POST /template/create, body {"template": {...}}). Never resent automatically.
 * @param[in]  client  the client
 * @param[in]  spec    fields; name, image and rootfs_size required
 * @param[out] id_out  receives the new template id (caller buffer of id_size bytes, NUL-terminated)
 * @param[in]  id_size size of id_out (NOVITA_ID_MAX recommended)
 * @param[in]  opts    per-call overrides or NULL
 * @return NOVITA_OK or an error listed in instances.h; NOVITA_ERR_BUFFER_TOO_SMALL also when the id does
 *         not fit id_out; NOVITA_ERR_DECODE when a 2xx response carries no templateId (the template may
 *         exist: list to find it).
 */
NOVITA_NODISCARD novita_result novita_templates_create(novita_client *client, const novita_template_spec *spec,
                                                       char *id_out, size_t id_size, const novita_call_opts *opts);

/**
 * @brief Replace the fields of a template (POST /template/update, body {"template": {"Id": id, ...}}).
 * @param[in] client the client; @param[in] id template id; @param[in] spec the new fields (name, image and
 *            rootfs_size required); @param[in] opts per-call overrides or NULL
 * @return NOVITA_OK or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_templates_update(novita_client *client, const char *id,
                                                       const novita_template_spec *spec,
                                                       const novita_call_opts *opts);

/**
 * @brief Delete a template (POST /template/delete, body {"templateId": id}).
 * @param[in] client the client; @param[in] id template id; @param[in] opts per-call overrides or NULL
 * @return NOVITA_OK or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_templates_delete(novita_client *client, const char *id,
                                                       const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_TEMPLATES_H */

/**
 * @file prewarm.h
 * @brief Image prewarm: pull an image onto a cluster's nodes ahead of time (REFERENCE 7 #39-#43, 8.10).
 *
 * Every function takes the client first and optional per-call overrides last (NULL = client settings) and
 * returns NOVITA_OK or one of the errors common to all operations, listed at the top of instances.h.
 * Editing or deleting an unknown task is NOVITA_ERR_NOT_FOUND (400 with a *_NOT_FOUND reason). Creates,
 * edits and deletes are never resent automatically; reads may be retried.
 */
#ifndef NOVITA_PREWARM_H
#define NOVITA_PREWARM_H

#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A product a task prewarms on (none = the whole cluster). */
typedef struct novita_prewarm_product {
    char product_id[NOVITA_ID_MAX];
    char product_name[NOVITA_NAME_MAX];
} novita_prewarm_product;

/** A prewarm task as listed by GET /image/prewarm. */
typedef struct novita_prewarm_task {
    char id[NOVITA_ID_MAX];
    char image_name[NOVITA_NAME_MAX];
    char image_url[NOVITA_IMAGE_URL_MAX];
    char repository_auth[NOVITA_ID_MAX];    /**< registry auth id, often "" */
    char cluster_id[NOVITA_ID_MAX];
    char cluster_name[NOVITA_NAME_MAX];
    novita_prewarm_product products[NOVITA_MAX_PREWARM_PRODUCTS];
    uint16_t product_count, product_total;  /**< stored / present in the response */
    int64_t image_size;                     /**< bytes (a string on the wire) */
    int64_t create_time;                    /**< Unix seconds (a string on the wire) */
    char state[NOVITA_ENUM_TEXT_MAX];       /**< "Pending", "Running", "Succeeded" or "Failed" (capitalised) */
    int64_t complete_time;                  /**< Unix seconds; 0 while unfinished */
    char note[NOVITA_TEXT_MAX];
    char reason[NOVITA_MAX_STRINGS][NOVITA_TEXT_MAX]; /**< progress or failure messages */
    uint16_t reason_count, reason_total;
} novita_prewarm_task;

/** Prewarm quota of the account. */
typedef struct novita_prewarm_quota {
    int32_t total;          /**< existing tasks */
    int32_t limit;          /**< most tasks allowed */
    int32_t per_image_size; /**< largest image, GB */
} novita_prewarm_quota;

/** Model descriptors (for novita_model_to_json). */
extern const novita_model novita_prewarm_task_model;
extern const novita_model novita_prewarm_quota_model;

/** Body of prewarm create. NULL strings and an empty product list are not sent. */
typedef struct novita_prewarm_task_create {
    const char *image_url;          /**< required (1-500 chars) */
    const char *cluster_id;         /**< required */
    const char *repository_auth;    /**< registry auth id for a private image, or NULL */
    const char *const *product_ids; /**< products to prewarm on; none = the whole cluster */
    size_t product_id_count;
    const char *note;
} novita_prewarm_task_create;

/** Filters and paging of prewarm list. NULL and 0 fields are not sent. */
typedef struct novita_prewarm_task_filter {
    const char *state;      /**< "Pending", "Running", "Succeeded" or "Failed" */
    const char *cluster_id;
    const char *name;       /**< image name */
    uint32_t page_size;     /**< API default 10 */
    uint32_t page;          /**< `page`, documented as starting at 1 (the API's default) */
} novita_prewarm_task_filter;

/**
 * @brief Prewarm quota (GET /image/prewarm/quota).
 * @param[in]  client the client
 * @param[out] out    receives the quota (zeroed on failure)
 * @param[in]  opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_prewarm_get_quota(novita_client *client, novita_prewarm_quota *out,
                                                        const novita_call_opts *opts);

/**
 * @brief Create a prewarm task (POST /image/prewarm).
 * @param[in]  client  the client
 * @param[in]  request image_url and cluster_id required
 * @param[out] id_out  receives the new task id (caller buffer, NUL-terminated; "" on failure)
 * @param[in]  id_size size of id_out (NOVITA_ID_MAX recommended)
 * @param[in]  opts    per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_BUFFER_TOO_SMALL when the id does not fit id_out, or an error listed in
 *         instances.h (a full quota is NOVITA_ERR_API with the API's reason).
 */
NOVITA_NODISCARD novita_result novita_prewarm_create(novita_client *client,
                                                     const novita_prewarm_task_create *request, char *id_out,
                                                     size_t id_size, const novita_call_opts *opts);

/**
 * @brief List prewarm tasks (GET /image/prewarm) one page at a time, or every page with list->all_pages
 *        (see list.h; pages are numbered from 1).
 * @param[in]     client the client
 * @param[in]     filter filters and paging, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_prewarm_task elements
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed in
 *         instances.h.
 */
NOVITA_NODISCARD novita_result novita_prewarm_list(novita_client *client,
                                                   const novita_prewarm_task_filter *filter, novita_list *list,
                                                   const novita_call_opts *opts);

/**
 * @brief Change the note of a prewarm task (POST /image/prewarm/edit with body {"id", "note"}).
 * @param[in] client the client
 * @param[in] id     task id (required)
 * @param[in] note   new note; "" clears it (required, not NULL)
 * @param[in] opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_NOT_FOUND for an unknown task, or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_prewarm_edit(novita_client *client, const char *id, const char *note,
                                                   const novita_call_opts *opts);

/**
 * @brief Delete prewarm tasks in one request (POST /image/prewarm/delete with body {"ids": [...]}).
 * @param[in] client   the client
 * @param[in] ids      task ids (each required)
 * @param[in] id_count number of ids (>= 1)
 * @param[in] opts     per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_NOT_FOUND when a task is unknown, or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_prewarm_delete(novita_client *client, const char *const *ids, size_t id_count,
                                                     const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_PREWARM_H */

/**
 * @file storage.h
 * @brief Network storage (REFERENCE 7 #27-#30, 8.7): list, create, update (rename/resize), delete.
 *
 * Every function takes the client first and optional per-call overrides last (NULL = client settings).
 * Every function returns NOVITA_OK or an error of novita_result; details are in
 * novita_client_last_error(). Errors common to all operations are listed once here:
 * NOVITA_ERR_INVALID_ARG (NULL client/arguments, empty required strings, sizes below 1 GB),
 * NOVITA_ERR_AUTH (401/403), NOVITA_ERR_NOT_FOUND (404, or 400 with a *_NOT_FOUND reason such as
 * NETWORK_STORAGE_NOT_FOUND, or a "not found" message), NOVITA_ERR_RATE_LIMITED, NOVITA_ERR_SERVER,
 * NOVITA_ERR_API (other statuses, e.g. 400 NETWORK_STORAGE_TOO_LARGE, CUR_CLUSTER_NETWORK_STORAGE_NOT_SUPPORT,
 * NETWORK_STORAGE_IN_USE: the reason is in novita_error.reason), NOVITA_ERR_NETWORK, NOVITA_ERR_TLS,
 * NOVITA_ERR_TIMEOUT, NOVITA_ERR_PROTOCOL, NOVITA_ERR_BUFFER_TOO_SMALL (work buffer, token array or a
 * model field: `what` names it), NOVITA_ERR_DECODE (`what` names the field).
 * Update and delete succeed on any 2xx whatever the body holds. The list is retried on transient failures;
 * create, update and delete are never resent once they may have reached the server.
 *
 * There is no "get one storage" endpoint: list with novita_storage_filter.storage_id set instead.
 */
#ifndef NOVITA_STORAGE_H
#define NOVITA_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One network storage volume, as listed by GET /networkstorages/list. */
typedef struct novita_network_storage {
    char storage_id[NOVITA_ID_MAX];      /**< a UUID */
    char storage_name[NOVITA_NAME_MAX];
    int32_t storage_size;                /**< GB */
    char cluster_id[NOVITA_ID_MAX];
    char cluster_name[NOVITA_NAME_MAX];
    /** The price exactly as the API sends it (a string such as "100"; a number is kept as its text).
     *  Kept as text because its unit is not documented (unlike product prices) and a fraction must not
     *  make the whole list undecodable. */
    char price[NOVITA_SHORT_MAX];
} novita_network_storage;

/** Model descriptor (for novita_model_to_json). */
extern const novita_model novita_network_storage_model;

/** Filters and paging of the storage list. NULL and 0 fields are not sent. */
typedef struct novita_storage_filter {
    const char *storage_name; /**< `storageName` */
    const char *storage_id;   /**< `storageId`: the way to fetch one storage */
    uint32_t page_size;       /**< `pageSize` */
    uint32_t page_no;         /**< `pageNo` (this list's page parameter; not pageNum) */
} novita_storage_filter;

/**
 * @brief List network storages (GET /networkstorages/list) one page at a time, in bounded memory (list.h).
 *        With list->all_pages every page is fetched (page numbers from 0; see list.h for 1-based servers).
 * @param[in]     client the client
 * @param[in]     filter filters and paging, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_network_storage elements
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed at the
 *         top of this file.
 */
NOVITA_NODISCARD novita_result novita_storage_list(novita_client *client, const novita_storage_filter *filter,
                                                   novita_list *list, const novita_call_opts *opts);

/**
 * @brief Create a network storage (POST /networkstorage/create {clusterId, storageName, storageSize}).
 *
 * The documented response is a bare JSON string holding the new storage id ("<uuid>"), which is what this
 * function reads (the seed SDK wrongly parses an object); an object {"storageId": "..."} is accepted too.
 * Never resent automatically. The cluster must support network storage (clusters list,
 * support_network_storage), else 400 CUR_CLUSTER_NETWORK_STORAGE_NOT_SUPPORT (NOVITA_ERR_API).
 * @param[in]  client     the client
 * @param[in]  cluster_id cluster to create it in (required)
 * @param[in]  name       storage name (required)
 * @param[in]  size_gb    size in GB (>= 1; the API accepts 10-10240)
 * @param[out] id_out     receives the new storage id (caller buffer of id_size bytes, NUL-terminated;
 *                        "" on failure)
 * @param[in]  id_size    size of id_out (NOVITA_ID_MAX recommended)
 * @param[in]  opts       per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file; NOVITA_ERR_BUFFER_TOO_SMALL also when the id
 *         does not fit id_out, NOVITA_ERR_DECODE when a 2xx response held no id (the storage was probably
 *         created: list it by name).
 */
NOVITA_NODISCARD novita_result novita_storage_create(novita_client *client, const char *cluster_id, const char *name,
                                                     int32_t size_gb, char *id_out, size_t id_size,
                                                     const novita_call_opts *opts);

/**
 * @brief Rename and/or resize a network storage (POST /networkstorage/update {storageId, storageName,
 *        storageSize}). The API wants all three: pass the current name or size for the one not changing.
 *
 * storageSize is sent as a JSON integer. The docs type it as a string on this page only (an integer
 * everywhere else, create included), and the seed SDK's live integration test resized 10 -> 12 GB with an
 * integer successfully, so the integer is the better-supported choice. The size cannot shrink.
 * @param[in] client     the client
 * @param[in] storage_id storage to change (required)
 * @param[in] name       new (or current) name (required)
 * @param[in] size_gb    new (or current) size in GB (>= 1; not smaller than the current size)
 * @param[in] opts       per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file (an unknown id is NOVITA_ERR_NOT_FOUND).
 */
NOVITA_NODISCARD novita_result novita_storage_update(novita_client *client, const char *storage_id, const char *name,
                                                     int32_t size_gb, const novita_call_opts *opts);

/**
 * @brief Delete a network storage (POST /networkstorage/delete {storageId}; not {"id"} as the official CLI
 *        sends). A storage mounted by an instance is refused (400 NETWORK_STORAGE_IN_USE, NOVITA_ERR_API).
 * @param[in] client     the client
 * @param[in] storage_id storage to delete (required)
 * @param[in] opts       per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file (an unknown id is NOVITA_ERR_NOT_FOUND).
 */
NOVITA_NODISCARD novita_result novita_storage_delete(novita_client *client, const char *storage_id,
                                                     const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_STORAGE_H */

/**
 * @file networks.h
 * @brief VPC networks (REFERENCE 7 #31-#35, 8.8): list, get, create, update (rename), delete.
 *
 * Every function takes the client first and optional per-call overrides last (NULL = client settings).
 * Every function returns NOVITA_OK or an error of novita_result; details are in
 * novita_client_last_error(). Errors common to all operations are listed once here:
 * NOVITA_ERR_INVALID_ARG (NULL client/arguments, empty required strings), NOVITA_ERR_AUTH (401/403),
 * NOVITA_ERR_NOT_FOUND (404, or 400 with a *_NOT_FOUND reason such as NETWORK_NOT_FOUND, or a "not found"
 * message), NOVITA_ERR_RATE_LIMITED, NOVITA_ERR_SERVER, NOVITA_ERR_API (other statuses, e.g. 400
 * NETWORK_IN_USE or NETWORK_MAX_LIMIT: the reason is in novita_error.reason), NOVITA_ERR_NETWORK,
 * NOVITA_ERR_TLS, NOVITA_ERR_TIMEOUT, NOVITA_ERR_PROTOCOL, NOVITA_ERR_BUFFER_TOO_SMALL (work buffer, token
 * array or a model field: `what` names it), NOVITA_ERR_DECODE (`what` names the field).
 * Update and delete succeed on any 2xx whatever the body holds. Reads are retried on transient failures;
 * create, update and delete are never resent once they may have reached the server.
 */
#ifndef NOVITA_NETWORKS_H
#define NOVITA_NETWORKS_H

#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** State of a network. The docs type `state` as object[] while their sample shows an object: both are
 *  accepted (an array gives its first element). */
typedef struct novita_network_state {
    char state[NOVITA_ENUM_TEXT_MAX]; /**< "creating" or "ready" (kept as text: other values may appear) */
    char error[NOVITA_TEXT_MAX];      /**< set when creation failed, else "" */
} novita_network_state;

/** An instance attached to the network (`Addresses[]`, capitalised keys; lower case accepted too). */
typedef struct novita_network_address {
    char id[NOVITA_ID_MAX];  /**< `Id`: the instance id */
    char ip[NOVITA_SHORT_MAX]; /**< `Ip` */
} novita_network_address;

/** A VPC network. */
typedef struct novita_network {
    char id[NOVITA_ID_MAX];            /**< `Id` (capital I; `id` accepted too) */
    char user[NOVITA_ID_MAX];          /**< owner user id */
    char name[NOVITA_NAME_MAX];        /**< at most 30 characters */
    novita_network_state state;
    char segment[NOVITA_SHORT_MAX];    /**< CIDR, e.g. "10.0.0.0/24" */
    char cluster_id[NOVITA_ID_MAX];
    novita_network_address addresses[NOVITA_MAX_NETWORK_ADDRESSES];
    uint16_t address_count, address_total;
    int64_t create_time;               /**< Unix seconds (the API sends a string) */
} novita_network;

/** Model descriptor (for novita_model_to_json). */
extern const novita_model novita_network_model;

/** Filters and paging of the network list. NULL and 0 fields are not sent. */
typedef struct novita_network_filter {
    const char *name;     /**< `name`, fuzzy */
    const char *creators; /**< `creators`: owner user id */
    uint32_t page_size;   /**< `pageSize` */
    uint32_t page_num;    /**< `pageNum` */
} novita_network_filter;

/**
 * @brief List VPC networks (GET /networks) one page at a time, in bounded memory (see list.h).
 *
 * The array is read from `networks` (what the live API returned to the seed SDK) or `network` (the docs'
 * key), and `total` as a number or a numeric string (the docs type it as a string). With list->all_pages
 * every page is fetched (page numbers from 0; see list.h for 1-based servers).
 * @param[in]     client the client
 * @param[in]     filter filters and paging, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_network elements
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed at the
 *         top of this file.
 */
NOVITA_NODISCARD novita_result novita_networks_list(novita_client *client, const novita_network_filter *filter,
                                                    novita_list *list, const novita_call_opts *opts);

/**
 * @brief Get one VPC network (GET /network?networkId=).
 *
 * The documented response is {"network": [Network]}, a one-element array; {"network": {...}} and a flat
 * object are accepted too. An empty array (or a response with no network id at all) is
 * NOVITA_ERR_NOT_FOUND with http_status 200 and a message saying so; an unknown or deleted id is normally
 * 400 NETWORK_NOT_FOUND (also NOVITA_ERR_NOT_FOUND).
 * @param[in]  client the client
 * @param[in]  id     network id (required)
 * @param[out] out    receives the network (zeroed on failure)
 * @param[in]  opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file.
 */
NOVITA_NODISCARD novita_result novita_networks_get(novita_client *client, const char *id, novita_network *out,
                                                   const novita_call_opts *opts);

/**
 * @brief Create a VPC network (POST /network/create {clusterId, name?}). Never resent automatically.
 *
 * The docs say the response is {"network": [Network]}, but the seed SDK's live test found no id in it.
 * So any 2xx is success: when the response carries the network it is decoded into `out`, otherwise `out`
 * is left zeroed (out->id == "") and the caller must list by name (novita_networks_list with
 * filter.name) to learn the id. Give the network a unique name when you need to find it again.
 * @param[in]  client     the client
 * @param[in]  cluster_id cluster to create it in (required; 1-255 characters)
 * @param[in]  name       network name (0-30 characters), or NULL to send none
 * @param[out] out        receives the created network when the response carries it (zeroed otherwise);
 *                        may be NULL when the caller does not need it
 * @param[in]  opts       per-call overrides or NULL
 * @return NOVITA_OK (also when the response held no readable network) or an error listed at the top of this
 *         file; NOVITA_ERR_BUFFER_TOO_SMALL when the returned network does not fit `out` (it was created).
 */
NOVITA_NODISCARD novita_result novita_networks_create(novita_client *client, const char *cluster_id, const char *name,
                                                      novita_network *out, const novita_call_opts *opts);

/**
 * @brief Rename a VPC network (POST /network/update {networkId, name}).
 * @param[in] client the client
 * @param[in] id     network id (required)
 * @param[in] name   new name (required; 1-30 characters)
 * @param[in] opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file (an unknown id is NOVITA_ERR_NOT_FOUND).
 */
NOVITA_NODISCARD novita_result novita_networks_update(novita_client *client, const char *id, const char *name,
                                                      const novita_call_opts *opts);

/**
 * @brief Delete a VPC network (POST /network/delete {networkId}). A network with instances attached is
 *        refused (400 NETWORK_IN_USE, NOVITA_ERR_API).
 * @param[in] client the client
 * @param[in] id     network id (required)
 * @param[in] opts   per-call overrides or NULL
 * @return NOVITA_OK or an error listed at the top of this file (an unknown id is NOVITA_ERR_NOT_FOUND).
 */
NOVITA_NODISCARD novita_result novita_networks_delete(novita_client *client, const char *id,
                                                      const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_NETWORKS_H */

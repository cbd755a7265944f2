/**
 * @file products.h
 * @brief Clusters, GPU products and CPU products (REFERENCE 8.1, 8.2). Lists as described in list.h.
 *
 * Returns of every function here: NOVITA_OK, or the errors listed at the top of instances.h.
 * Prices are integers in 1/100000 USD per hour (67000 = $0.67/h), accepted as numbers or strings.
 */
#ifndef NOVITA_PRODUCTS_H
#define NOVITA_PRODUCTS_H

#include <stdbool.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct novita_cluster {
    char id[NOVITA_ID_MAX];
    char name[NOVITA_NAME_MAX];
    char available_gpu_types[NOVITA_MAX_STRINGS][NOVITA_SHORT_MAX];
    uint16_t available_gpu_type_count, available_gpu_type_total;
    bool support_network_storage;
    bool support_instance_network;
} novita_cluster;

typedef struct novita_monthly_price {
    int64_t price;
    int32_t month;
} novita_monthly_price;

typedef struct novita_gpu_product {
    char id[NOVITA_ID_MAX];
    char name[NOVITA_NAME_MAX];
    int32_t cpu_per_gpu;
    int32_t memory_per_gpu;  /**< GB */
    int32_t disk_per_gpu;    /**< GB */
    bool available_deploy;   /**< false: not enough resources right now */
    int32_t min_root_fs, max_root_fs;             /**< GB */
    int32_t min_local_storage, max_local_storage; /**< GB */
    char regions[NOVITA_MAX_STRINGS][NOVITA_SHORT_MAX]; /**< cluster names; none = every cluster */
    uint16_t region_count, region_total;
    int64_t price;           /**< on demand, 1/100000 USD per hour */
    novita_monthly_price monthly_prices[NOVITA_MAX_MONTHLY_PRICES];
    uint16_t monthly_price_count, monthly_price_total;
    char billing_methods[4][NOVITA_ENUM_TEXT_MAX]; /**< "onDemand", "monthly", "spot" */
    uint16_t billing_method_count, billing_method_total;
    int64_t spot_price;      /**< 0 when not offered */
    char inventory_state[NOVITA_ENUM_TEXT_MAX]; /**< "none", "low", "normal", "high" */
    int32_t available_gpu_number;
} novita_gpu_product;

typedef struct novita_cpu_product {
    char id[NOVITA_ID_MAX];
    char name[NOVITA_NAME_MAX];
    int32_t cpu_num;
    int32_t memory_size;       /**< GB */
    int32_t rootfs_size;       /**< GB */
    int32_t local_volume_size; /**< GB */
    bool available_deploy;
    int64_t price;
} novita_cpu_product;

extern const novita_model novita_cluster_model;
extern const novita_model novita_gpu_product_model;
extern const novita_model novita_cpu_product_model;

/** Filters of GPU products; NULL and 0 fields are not sent. */
typedef struct novita_gpu_product_filter {
    const char *cluster_id;
    int32_t gpu_num;            /**< 1-8 */
    const char *product_name;   /**< fuzzy */
    int32_t min_cpu_per_gpu;
    int32_t min_memory_per_gpu; /**< GB */
    int32_t min_rootfs_size;    /**< GB */
    const char *billing_method; /**< "onDemand", "monthly" or "spot" */
} novita_gpu_product_filter;

/** Filters of CPU products; NULL fields are not sent. */
typedef struct novita_cpu_product_filter {
    const char *cluster_id;
    const char *product_name;
} novita_cpu_product_filter;

/**
 * @brief List clusters (GET /clusters).
 * @param[in] client the client; @param[in,out] list items are novita_cluster; @param[in] opts or NULL
 * @return NOVITA_OK or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_clusters_list(novita_client *client, novita_list *list,
                                                    const novita_call_opts *opts);

/**
 * @brief List GPU products (GET /products) with every documented filter.
 * @param[in] client the client; @param[in] filter or NULL; @param[in,out] list items are novita_gpu_product;
 * @param[in] opts or NULL
 * @return NOVITA_OK or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_gpu_products_list(novita_client *client, const novita_gpu_product_filter *filter,
                                                        novita_list *list, const novita_call_opts *opts);

/**
 * @brief List CPU products (GET /cpu/products).
 * @param[in] client the client; @param[in] filter or NULL; @param[in,out] list items are novita_cpu_product;
 * @param[in] opts or NULL
 * @return NOVITA_OK or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_cpu_products_list(novita_client *client, const novita_cpu_product_filter *filter,
                                                        novita_list *list, const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_PRODUCTS_H */

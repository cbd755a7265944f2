/* Clusters, GPU and CPU products: field tables and thin operations (REFERENCE 7 #1-#3, 8.1, 8.2). */
#include "novita/products.h"

#include "api.h"

static const novita_field cluster_fields[] = {
    NOVITA_F_STRING2(novita_cluster, "id", "Id", id),
    NOVITA_F_STRING(novita_cluster, "name", name),
    NOVITA_F_STRING_ARRAY(novita_cluster, "availableGpuType", available_gpu_types, available_gpu_type_count,
                          available_gpu_type_total),
    NOVITA_F_BOOL(novita_cluster, "supportNetworkStorage", support_network_storage),
    NOVITA_F_BOOL(novita_cluster, "supportInstanceNetwork", support_instance_network),
};
const novita_model novita_cluster_model = NOVITA_MODEL(novita_cluster, "cluster", cluster_fields);

static const novita_field monthly_price_fields[] = {
    NOVITA_F_INT(novita_monthly_price, "price", price),
    NOVITA_F_INT(novita_monthly_price, "month", month),
};
static const novita_model monthly_price_model = NOVITA_MODEL(novita_monthly_price, "monthlyPrice[]", monthly_price_fields);

#define P novita_gpu_product
static const novita_field gpu_product_fields[] = {
    NOVITA_F_STRING2(P, "id", "Id", id),
    NOVITA_F_STRING(P, "name", name),
    NOVITA_F_INT(P, "cpuPerGpu", cpu_per_gpu),
    NOVITA_F_INT(P, "memoryPerGpu", memory_per_gpu),
    NOVITA_F_INT(P, "diskPerGpu", disk_per_gpu),
    NOVITA_F_BOOL(P, "availableDeploy", available_deploy),
    NOVITA_F_INT(P, "minRootFS", min_root_fs),
    NOVITA_F_INT(P, "maxRootFS", max_root_fs),
    NOVITA_F_INT(P, "minLocalStorage", min_local_storage),
    NOVITA_F_INT(P, "maxLocalStorage", max_local_storage),
    NOVITA_F_STRING_ARRAY(P, "regions", regions, region_count, region_total),
    NOVITA_F_INT(P, "price", price),
    NOVITA_F_OBJECT_ARRAY(P, "monthlyPrice", monthly_prices, monthly_price_count, monthly_price_total,
                          monthly_price_model),
    NOVITA_F_STRING_ARRAY(P, "billingMethods", billing_methods, billing_method_count, billing_method_total),
    NOVITA_F_INT(P, "spotPrice", spot_price),
    NOVITA_F_STRING(P, "inventoryState", inventory_state),
    NOVITA_F_INT(P, "availableGpuNumber", available_gpu_number),
};
#undef P
const novita_model novita_gpu_product_model = NOVITA_MODEL(novita_gpu_product, "product", gpu_product_fields);

static const novita_field cpu_product_fields[] = {
    NOVITA_F_STRING2(novita_cpu_product, "id", "Id", id),
    NOVITA_F_STRING(novita_cpu_product, "name", name),
    NOVITA_F_INT(novita_cpu_product, "cpuNum", cpu_num),
    NOVITA_F_INT(novita_cpu_product, "memorySize", memory_size),
    NOVITA_F_INT(novita_cpu_product, "rootfsSize", rootfs_size),
    NOVITA_F_INT(novita_cpu_product, "localVolumeSize", local_volume_size),
    NOVITA_F_BOOL(novita_cpu_product, "availableDeploy", available_deploy),
    NOVITA_F_INT(novita_cpu_product, "price", price),
};
const novita_model novita_cpu_product_model = NOVITA_MODEL(novita_cpu_product, "cpuProduct", cpu_product_fields);

/* Documented as {"data": [...]}, not paged; a bare array is accepted too. */
#define PRODUCTS_LIST_OP(path, model) { NOVITA_NS_GPU, (path), &(model), "data", NULL, NOVITA_UNPAGED }

novita_result novita_clusters_list(novita_client *c, novita_list *list, const novita_call_opts *opts)
{
    static const novita_list_op op = PRODUCTS_LIST_OP("/clusters", novita_cluster_model);
    return novita_api_list(c, &op, NULL, 0, 0, 0, list, opts);
}

novita_result novita_gpu_products_list(novita_client *c, const novita_gpu_product_filter *f, novita_list *list,
                                       const novita_call_opts *opts)
{
    static const novita_list_op op = PRODUCTS_LIST_OP("/products", novita_gpu_product_model);
    novita_query_param query[7] = {
        { "clusterId", NULL, 0 }, { "gpuNum", NULL, 0 }, { "productName", NULL, 0 }, { "minCpuPerGpu", NULL, 0 },
        { "minMemoryPerGpu", NULL, 0 }, { "minRootFSSize", NULL, 0 }, { "billingMethod", NULL, 0 },
    };
    if (f) {
        query[0].value = f->cluster_id;
        query[1].number = f->gpu_num;
        query[2].value = f->product_name;
        query[3].number = f->min_cpu_per_gpu;
        query[4].number = f->min_memory_per_gpu;
        query[5].number = f->min_rootfs_size;
        query[6].value = f->billing_method;
    }
    return novita_api_list(c, &op, query, 7, 0, 0, list, opts);
}

novita_result novita_cpu_products_list(novita_client *c, const novita_cpu_product_filter *f, novita_list *list,
                                       const novita_call_opts *opts)
{
    static const novita_list_op op = PRODUCTS_LIST_OP("/cpu/products", novita_cpu_product_model);
    novita_query_param query[2] = { { "clusterId", NULL, 0 }, { "productName", NULL, 0 } };
    if (f) {
        query[0].value = f->cluster_id;
        query[1].value = f->product_name;
    }
    return novita_api_list(c, &op, query, 2, 0, 0, list, opts);
}

"""Clusters and products (REFERENCE 8.1, 8.2).  GPU v1 namespace.

GET /clusters          -> {data: Cluster[]}
GET /products          -> {data: GPUProduct[]}   filters: clusterId, gpuNum, productName (fuzzy),
                          minCpuPerGpu, minMemoryPerGpu, minRootFSSize, billingMethod
GET /cpu/products      -> {data: CPUProduct[]}   filters: clusterId, productName (fuzzy)

Prices are integers in 1/100000 USD per hour; spotPrice is a STRING (docs).
Keys starting with "_" are internal and never rendered.
"""

import copy

from .core import GPU_V1, fuzzy, public

CLUSTERS = [
    {"id": "1", "name": "US-01 (Dallas)",
     "availableGpuType": ["RTX 4090 24GB", "A100 80GB", "L40S 48GB"],
     "supportNetworkStorage": True, "supportInstanceNetwork": True},
    {"id": "5", "name": "EU-01",
     "availableGpuType": ["RTX 4090 24GB", "RTX 3090 24GB", "L40S 48GB"],
     "supportNetworkStorage": True, "supportInstanceNetwork": False},
    {"id": "8", "name": "US-CA-06 (California)",
     "availableGpuType": ["A100 80GB", "H100 80GB SXM", "L40S 48GB"],
     "supportNetworkStorage": False, "supportInstanceNetwork": True},
    {"id": "12", "name": "AS-SGP-02 (Singapore)",
     "availableGpuType": ["RTX 4090 24GB", "L40S 48GB"],
     "supportNetworkStorage": False, "supportInstanceNetwork": False},
]

# _maxGpuNum: largest gpuNum the product can be created with / listed for.
GPU_PRODUCTS = [
    {"id": "4090.16c62g", "name": "RTX 4090 24GB", "cpuPerGpu": 16, "memoryPerGpu": 62,
     "diskPerGpu": 60, "availableDeploy": True, "minRootFS": 10, "maxRootFS": 500,
     "minLocalStorage": 0, "maxLocalStorage": 200,
     "regions": ["US-01 (Dallas)", "EU-01", "AS-SGP-02 (Singapore)"],
     "price": 67000,
     "monthlyPrice": [{"price": 39000000, "month": 1}, {"price": 111000000, "month": 3}],
     "billingMethods": ["onDemand", "monthly", "spot"],
     "spotPrice": "34000", "inventoryState": "high", "_maxGpuNum": 8},
    {"id": "3090.16c92g", "name": "RTX 3090 24GB", "cpuPerGpu": 16, "memoryPerGpu": 92,
     "diskPerGpu": 60, "availableDeploy": True, "minRootFS": 10, "maxRootFS": 300,
     "minLocalStorage": 0, "maxLocalStorage": 100,
     "regions": ["EU-01"],
     "price": 35000, "monthlyPrice": [],
     "billingMethods": ["onDemand", "spot"],
     "spotPrice": "18000", "inventoryState": "normal", "_maxGpuNum": 4},
    {"id": "a100.12c120g", "name": "A100 80GB", "cpuPerGpu": 12, "memoryPerGpu": 120,
     "diskPerGpu": 200, "availableDeploy": True, "minRootFS": 20, "maxRootFS": 1000,
     "minLocalStorage": 0, "maxLocalStorage": 500,
     "regions": ["US-01 (Dallas)", "US-CA-06 (California)"],
     "price": 159000,
     "monthlyPrice": [{"price": 95000000, "month": 1}],
     "billingMethods": ["onDemand", "monthly"],
     "spotPrice": "0", "inventoryState": "low", "_maxGpuNum": 8},
    {"id": "h100.24c250g", "name": "H100 80GB SXM", "cpuPerGpu": 24, "memoryPerGpu": 250,
     "diskPerGpu": 400, "availableDeploy": False, "minRootFS": 20, "maxRootFS": 2000,
     "minLocalStorage": 0, "maxLocalStorage": 1000,
     "regions": ["US-CA-06 (California)"],
     "price": 279000,
     "monthlyPrice": [{"price": 170000000, "month": 1}],
     "billingMethods": ["onDemand", "monthly"],
     # no spotPrice at all (optional field)
     "inventoryState": "none", "_maxGpuNum": 8},
    {"id": "l40s.16c80g", "name": "L40S 48GB", "cpuPerGpu": 16, "memoryPerGpu": 80,
     "diskPerGpu": 100, "availableDeploy": True, "minRootFS": 10, "maxRootFS": 600,
     "minLocalStorage": 0, "maxLocalStorage": 300,
     "regions": [],            # empty = every cluster (docs)
     "price": 86000, "monthlyPrice": [],
     "billingMethods": ["onDemand", "spot"],
     "spotPrice": "43000", "inventoryState": "normal",
     "someFutureField": {"nested": [1, 2]}, "_maxGpuNum": 2},
]

# _clusters: cluster ids offering the product (not rendered; docs list no regions field).
CPU_PRODUCTS = [
    {"id": "cpu.4c8g", "name": "CPU 4 Cores 8GB", "cpuNum": 4, "memorySize": 8,
     "rootfsSize": 30, "localVolumeSize": 50, "availableDeploy": True, "price": 2000,
     "_clusters": ["1", "5", "12"]},
    {"id": "cpu.8c16g", "name": "CPU 8 Cores 16GB", "cpuNum": 8, "memorySize": 16,
     "rootfsSize": 50, "localVolumeSize": 100, "availableDeploy": True, "price": 4000,
     "_clusters": ["1", "8"]},
    {"id": "cpu.16c32g", "name": "CPU 16 Cores 32GB", "cpuNum": 16, "memorySize": 32,
     "rootfsSize": 50, "localVolumeSize": 200, "availableDeploy": False, "price": 8000,
     "_clusters": ["8"]},
]


def init_state(store):
    store.clusters = copy.deepcopy(CLUSTERS)
    store.gpu_products = copy.deepcopy(GPU_PRODUCTS)
    store.cpu_products = copy.deepcopy(CPU_PRODUCTS)


# ---- lookups used by other resources ----

def find_cluster(store, cluster_id):
    for c in store.clusters:
        if c["id"] == cluster_id:
            return c
    return None


def find_product(store, product_id):
    """-> ("gpu", product) | ("cpu", product) | (None, None)"""
    for p in store.gpu_products:
        if p["id"] == product_id:
            return "gpu", p
    for p in store.cpu_products:
        if p["id"] == product_id:
            return "cpu", p
    return None, None


def product_cluster_ids(store, kind, product):
    if kind == "cpu":
        return list(product["_clusters"])
    if not product["regions"]:
        return [c["id"] for c in store.clusters]
    names = set(product["regions"])
    return [c["id"] for c in store.clusters if c["name"] in names]


# ---- handlers ----

def list_clusters(req):
    return {"data": copy.deepcopy(req.store.clusters)}


def list_products(req):
    cluster_id = req.q_str("clusterId", max_len=255)
    gpu_num = req.q_int("gpuNum", lo=0, hi=8)
    name = req.q_str("productName")
    min_cpu = req.q_int("minCpuPerGpu", lo=0)
    min_mem = req.q_int("minMemoryPerGpu", lo=0)
    min_rootfs = req.q_int("minRootFSSize", lo=0)
    billing = req.q_enum("billingMethod", ("onDemand", "monthly", "spot"))
    out = []
    for p in req.store.gpu_products:
        if cluster_id is not None and cluster_id not in product_cluster_ids(req.store, "gpu", p):
            continue
        if gpu_num and gpu_num > p["_maxGpuNum"]:
            continue
        if name is not None and not fuzzy(name, p["name"]):
            continue
        if min_cpu is not None and p["cpuPerGpu"] < min_cpu:
            continue
        if min_mem is not None and p["memoryPerGpu"] < min_mem:
            continue
        if min_rootfs is not None and p["maxRootFS"] < min_rootfs:
            continue
        if billing is not None and billing not in p["billingMethods"]:
            continue
        out.append(copy.deepcopy(public(p)))
    return {"data": out}


def list_cpu_products(req):
    cluster_id = req.q_str("clusterId", max_len=255)
    name = req.q_str("productName")
    out = []
    for p in req.store.cpu_products:
        if cluster_id is not None and cluster_id not in p["_clusters"]:
            continue
        if name is not None and not fuzzy(name, p["name"]):
            continue
        out.append(public(p))
    return {"data": out}


def register(router):
    router.add("GET", GPU_V1 + "/clusters", list_clusters)
    router.add("GET", GPU_V1 + "/products", list_products)
    router.add("GET", GPU_V1 + "/cpu/products", list_cpu_products)

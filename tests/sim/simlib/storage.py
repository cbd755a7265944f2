"""Network storage (REFERENCE 7 #27-#30, 8.7).  GPU v1 namespace.

GET  /networkstorages/list   pageNo (1-based; 0 counts as 1, or 0-based with --page-base 0), pageSize
                             (default 10), storageName (case-insensitive substring), storageId (exact)
                             -> {data: [NetworkStorage], total: int}, oldest first
POST /networkstorage/create  {clusterId, storageName, storageSize:int} -> a BARE JSON STRING, the new
                             storageId (a UUID), as documented (the seed SDK wrongly expects an object)
POST /networkstorage/update  {storageId, storageName, storageSize} -> {}
POST /networkstorage/delete  {storageId} -> {}   (the official CLI's {"id"} is refused: storageId is required)

NetworkStorage: {storageId, storageName, storageSize:int GB, clusterId, clusterName, price:string}; the
price is 10 per GB as text ("100" for 10 GB, like the docs' sample; its unit is undocumented).

Rules:
- storageSize is an int in [10, 10240] (SDK IT, MCP): below 10 -> 400 VALIDATOR_PARAM, above 10240 ->
  400 NETWORK_STORAGE_TOO_LARGE.
- update: the docs type storageSize as a string on that page only (an integer everywhere else, and the SDK's
  live test sent an integer), so both an int and a numeric string are accepted there; the size must not
  shrink (MCP: "must be larger than the current one"; the same size is accepted so a rename can resend it).
- the cluster must exist (400 VALIDATOR_PARAM) and support network storage (catalog clusters
  supportNetworkStorage), else 400 CUR_CLUSTER_NETWORK_STORAGE_NOT_SUPPORT.
- unknown storageId (update, delete) -> 400 NETWORK_STORAGE_NOT_FOUND "network storage not found".
- delete of a storage mounted by a live instance (volumeMounts[].id) -> 400 NETWORK_STORAGE_IN_USE.
"""

import uuid

from .core import GPU_V1, ApiError, bad_param, fuzzy, paginate, req_int, req_str
from . import catalog, instances

MIN_SIZE = 10
MAX_SIZE = 10240
NAME_MAX = 255

# The docs' sample (samples/docs_list_network_storages.json); the first is mounted by seed instance
# seed-0002 (instances.py), so deleting it is refused while that instance lives.
SEED_STORAGES = [
    {"storageId": "d4e82677-3f80-4020-a731-d15b1c589aa8", "storageName": "123", "storageSize": 10,
     "clusterId": "5"},
    {"storageId": "082383c6-bc28-4bfa-a3b3-b6d6511bdf64", "storageName": "datasets", "storageSize": 500,
     "clusterId": "1"},
]


def _render(s):
    return dict(s)


def _new_storage(store, storage_id, name, size, cluster):
    s = {"storageId": storage_id, "storageName": name, "storageSize": size,
         "clusterId": cluster["id"], "clusterName": cluster["name"], "price": str(size * 10)}
    store.storages.append(s)
    return s


def init_state(store):
    store.storages = []
    for seed in SEED_STORAGES:
        _new_storage(store, seed["storageId"], seed["storageName"], seed["storageSize"],
                     catalog.find_cluster(store, seed["clusterId"]))


def find_storage(store, storage_id):
    for s in store.storages:
        if s["storageId"] == storage_id:
            return s
    return None


def _target(store, body):
    sid = req_str(body, "storageId", max_len=255)
    s = find_storage(store, sid)
    if s is None:
        raise ApiError(400, "NETWORK_STORAGE_NOT_FOUND", "network storage not found")
    return s


def _check_size(size):
    if size < MIN_SIZE:
        raise bad_param("storageSize must be at least %d GB" % MIN_SIZE)
    if size > MAX_SIZE:
        raise ApiError(400, "NETWORK_STORAGE_TOO_LARGE", "storageSize must be at most %d GB" % MAX_SIZE)
    return size


def _size_int_or_numeric_string(body):
    """update only: the docs type storageSize as a string on that page."""
    v = body.get("storageSize")
    if isinstance(v, str) and v.isdigit():
        return int(v)
    if v is None:
        raise bad_param("storageSize is required")
    return req_int(body, "storageSize")


# ---- handlers ----

def list_storages(req):
    name = req.q_str("storageName", max_len=NAME_MAX)
    sid = req.q_str("storageId", max_len=255)
    items = [s for s in req.store.storages
             if (name is None or fuzzy(name, s["storageName"])) and (sid is None or s["storageId"] == sid)]
    page, total = paginate(req, items, "pageNo", "pageSize", 10)
    return {"data": [_render(s) for s in page], "total": total}


def create_storage(req):
    body = req.json_obj()
    cluster_id = req_str(body, "clusterId", max_len=255)
    name = req_str(body, "storageName", max_len=NAME_MAX)
    size = _check_size(req_int(body, "storageSize"))
    cluster = catalog.find_cluster(req.store, cluster_id)
    if cluster is None:
        raise bad_param("cluster not found")
    if not cluster.get("supportNetworkStorage"):
        raise ApiError(400, "CUR_CLUSTER_NETWORK_STORAGE_NOT_SUPPORT",
                       "current cluster does not support network storage")
    s = _new_storage(req.store, str(uuid.uuid4()), name, size, cluster)
    return s["storageId"]          # a bare JSON string, as documented


def update_storage(req):
    body = req.json_obj()
    s = _target(req.store, body)
    name = req_str(body, "storageName", max_len=NAME_MAX)
    size = _check_size(_size_int_or_numeric_string(body))
    if size < s["storageSize"]:
        raise bad_param("storageSize cannot be smaller than the current size (%d GB)" % s["storageSize"])
    s["storageName"] = name
    s["storageSize"] = size
    s["price"] = str(size * 10)
    return {}


def _mounted(store, storage_id):
    for inst in instances.all_live(store):
        if not inst.deleted and any(m.get("id") == storage_id for m in inst.volume_mounts):
            return True
    return False


def delete_storage(req):
    body = req.json_obj()
    s = _target(req.store, body)
    if _mounted(req.store, s["storageId"]):
        raise ApiError(400, "NETWORK_STORAGE_IN_USE", "network storage is in use")
    req.store.storages.remove(s)
    return {}


def register(router):
    router.add("GET", GPU_V1 + "/networkstorages/list", list_storages)
    router.add("POST", GPU_V1 + "/networkstorage/create", create_storage)
    router.add("POST", GPU_V1 + "/networkstorage/update", update_storage)
    router.add("POST", GPU_V1 + "/networkstorage/delete", delete_storage)

"""Image prewarm (REFERENCE 8.10).  GPU v1 namespace.

GET  /image/prewarm/quota   -> {total: <tasks now>, limit: 50, perImageSize: 50}
POST /image/prewarm         {imageUrl (1-500), clusterId, repositoryAuth?, productIds?: [string], note?}
                            -> {id}. clusterId must be a known cluster and every productId a GPU product
                            offered there (else 400 VALIDATOR_PARAM); once `limit` tasks exist
                            -> 400 OPERATION_LIMIT.
GET  /image/prewarm         page (documented default 1; 0 counts as 1), pageSize (default 10), state
                            (Pending|Running|Succeeded|Failed, exact case, else 400), clusterId (exact),
                            name (fuzzy, on imageName) -> {data: PrewarmTask[], total}, newest first
POST /image/prewarm/edit    {id, note?} -> {}; the seed SDK's extra "task_id" is rejected (400)
POST /image/prewarm/delete  {ids: [string, ...]} (at least one) -> {}; the seed SDK's {"task_id"} is
                            rejected. An unknown id in either -> 400 RESOURCE_NOT_FOUND and nothing changes.

Task object as in samples/ppio_docs_list_image_prewarm.json: imageSize, createTime and completeTime are
STRINGS (completeTime "" until the task ends), state is capitalised, reason is a string array.
The real limit is unknown (the SDK's test sample says 10); 50 lets tests page through a few dozen tasks.

Lifecycle of a created task (config.step_ms per step, computed lazily):
    Pending -> Running -> Succeeded           (0, 1, 2 steps)
    imageUrl containing "fail": Pending -> Running -> Failed, reason ["pull image failed: ..."]
"""

import random
import string
import zlib

from .core import GPU_V1, ApiError, bad_param, opt_list, opt_str, paginate, public, req_str
from . import catalog

LIMIT = 50
PER_IMAGE_SIZE = 50          # GB
STATES = ("Pending", "Running", "Succeeded", "Failed")
ALPHABET = string.ascii_lowercase + string.digits

_rng = random.Random()

# Shaped like the PPIO docs sample (imageName is derived from imageUrl), placed on the simulator's clusters
# and products. _age: seconds since creation; _took: seconds until completion.
SEED_TASKS = [
    {"id": "nzd5nyi4keefsv2d", "imageUrl": "nginx",
     "clusterId": "1", "products": [], "imageSize": "72298048", "_age": 86400, "_took": 29,
     "state": "Succeeded", "note": "", "reason": [], "repositoryAuth": ""},
    {"id": "fexahnwdp4l1ajva", "imageUrl": "test-image.ppinfra.com/test-public/pytorch:v2",
     "clusterId": "1", "products": [{"productId": "4090.16c62g", "productName": "RTX 4090 24GB"}],
     "imageSize": "6762128493", "_age": 43200, "_took": 6,
     "state": "Succeeded", "note": "", "reason": ["image pulled successfully"], "repositoryAuth": ""},
    {"id": "q8w2e4r6t8y0u1i3", "imageUrl": "registry.example.com/team/trainer:2024.1",
     "clusterId": "5", "products": [], "imageSize": "0", "_age": 3600, "_took": 12,
     "state": "Failed", "note": "nightly build",
     "reason": ["pull image failed: manifest unknown", "retry limit reached"],
     "repositoryAuth": "ra-sim-0001"},
]


def _task(store, tid, url, cluster, products, create_time, state, repository_auth="", note=""):
    """A task with the keys in the order of the docs' sample."""
    return {
        "id": tid, "imageName": _image_name(url), "imageUrl": url,
        "clusterId": cluster["id"], "clusterName": cluster["name"], "products": products,
        "imageSize": "0", "createTime": str(int(create_time)), "state": state, "completeTime": "",
        "note": note, "reason": [], "repositoryAuth": repository_auth,
        "_seq": _next_seq(store), "_plan": None,
    }


def init_state(store):
    store.prewarm_tasks = {}
    store.prewarm_seq = 0
    wall = int(store.wall())
    for seed in SEED_TASKS:
        cluster = catalog.find_cluster(store, seed["clusterId"])
        task = _task(store, seed["id"], seed["imageUrl"], cluster, [dict(p) for p in seed["products"]],
                     wall - seed["_age"], seed["state"], seed["repositoryAuth"], seed["note"])
        task["imageSize"] = seed["imageSize"]
        task["completeTime"] = str(wall - seed["_age"] + seed["_took"])
        task["reason"] = list(seed["reason"])
        store.prewarm_tasks[task["id"]] = task


def _next_seq(store):
    store.prewarm_seq += 1
    return store.prewarm_seq


def _new_id(store):
    while True:
        tid = "".join(_rng.choice(ALPHABET) for _ in range(16))
        if tid not in store.prewarm_tasks:
            return tid


def _image_name(url):
    """"registry/team/pytorch:v2" -> "pytorch"."""
    last = url.rsplit("/", 1)[-1]
    return last.split("@", 1)[0].split(":", 1)[0]


def _refresh(store, task):
    """Advance a created task along its plan (start monotonic time, final state, final reasons)."""
    plan = task["_plan"]
    if plan is None:
        return task
    start, final, reasons = plan
    step = store.step()
    idx = 2 if step <= 0 else int((store.now() - start) / step)
    if idx <= 0:
        task["state"] = "Pending"
    elif idx == 1:
        task["state"] = "Running"
    else:
        task["state"] = final
        task["reason"] = list(reasons)
        task["completeTime"] = str(int(store.wall()))
        if final == "Succeeded":
            task["imageSize"] = str(50000000 + zlib.crc32(task["imageUrl"].encode()) % 5000000000)
        task["_plan"] = None
    return task


def _live_tasks(store):
    tasks = sorted(store.prewarm_tasks.values(), key=lambda t: t["_seq"], reverse=True)
    return [_refresh(store, t) for t in tasks]


def _cluster_products(store, cluster, product_ids):
    out = []
    for pid in product_ids:
        if not isinstance(pid, str) or not pid:
            raise bad_param("productIds items must be non-empty strings")
        product = next((p for p in store.gpu_products if p["id"] == pid), None)
        if product is None or (product["regions"] and cluster["name"] not in product["regions"]):
            raise bad_param("productId %s is not offered in cluster %s" % (pid, cluster["id"]))
        out.append({"productId": pid, "productName": product["name"]})
    return out


def _reject_task_id(body):
    if "task_id" in body:
        raise bad_param("unknown field task_id")


# ---- handlers ----

def quota(req):
    return {"total": len(req.store.prewarm_tasks), "limit": LIMIT, "perImageSize": PER_IMAGE_SIZE}


def create(req):
    store = req.store
    body = req.json_obj()
    url = req_str(body, "imageUrl", max_len=500)
    cluster_id = req_str(body, "clusterId", max_len=255)
    auth = opt_str(body, "repositoryAuth", "", max_len=255)
    product_ids = opt_list(body, "productIds", [])
    note = opt_str(body, "note", "", max_len=255)
    if any(c.isspace() for c in url):
        raise bad_param("imageUrl must not contain spaces")
    cluster = catalog.find_cluster(store, cluster_id)
    if cluster is None:
        raise bad_param("unknown clusterId %s" % cluster_id)
    products = _cluster_products(store, cluster, product_ids)
    if len(store.prewarm_tasks) >= LIMIT:
        raise ApiError(400, "OPERATION_LIMIT", "prewarm task limit reached (%d)" % LIMIT)
    failing = "fail" in url.lower()
    task = _task(store, _new_id(store), url, cluster, products, store.wall(), "Pending", auth, note)
    task["_plan"] = (store.now(), "Failed" if failing else "Succeeded",
                     ["pull image failed: manifest unknown"] if failing else ["image pulled successfully"])
    store.prewarm_tasks[task["id"]] = _refresh(store, task)
    return {"id": task["id"]}


def list_tasks(req):
    store = req.store
    state = req.q_enum("state", STATES)
    cluster_id = req.q_str("clusterId")
    name = req.q_str("name")
    out = []
    for t in _live_tasks(store):
        if state is not None and t["state"] != state:
            continue
        if cluster_id is not None and t["clusterId"] != cluster_id:
            continue
        if name is not None and name.lower() not in t["imageName"].lower():
            continue
        out.append(t)
    page, total = paginate(req, out, "page", "pageSize", 10, one_based=True)
    return {"data": [public(t) for t in page], "total": total}


def edit(req):
    store = req.store
    body = req.json_obj()
    _reject_task_id(body)
    tid = req_str(body, "id", max_len=255)
    note = opt_str(body, "note", None, max_len=255)
    task = store.prewarm_tasks.get(tid)
    if task is None:
        raise ApiError(400, "RESOURCE_NOT_FOUND", "prewarm task not found")
    if note is not None:
        task["note"] = note
    return {}


def delete(req):
    store = req.store
    body = req.json_obj()
    _reject_task_id(body)
    ids = body.get("ids")
    if ids is None:
        raise bad_param("ids is required")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise bad_param("ids must be a non-empty array of strings")
    missing = [i for i in ids if i not in store.prewarm_tasks]
    if missing:
        raise ApiError(400, "RESOURCE_NOT_FOUND", "prewarm task not found: %s" % missing[0])
    for i in ids:
        store.prewarm_tasks.pop(i, None)
    return {}


def register(router):
    router.add("GET", GPU_V1 + "/image/prewarm/quota", quota)
    router.add("POST", GPU_V1 + "/image/prewarm", create)
    router.add("GET", GPU_V1 + "/image/prewarm", list_tasks)
    router.add("POST", GPU_V1 + "/image/prewarm/edit", edit)
    router.add("POST", GPU_V1 + "/image/prewarm/delete", delete)

"""Serverless endpoints (REFERENCE 7 #44-#49, 8.11).  GPU v1 namespace.

GET  /endpoint/limit   -> the limits object: every key of 8.11 (ints) + cudaVersionList
GET  /endpoints        -> {endpoints: Endpoint[], total}   pageSize (default 10), pageNum; newest first
GET  /endpoint?id=     -> {endpoint: Endpoint}              (the SDK's ?endpoint_id= gives 400)
POST /endpoint/create  {endpoint: {...}}  -> {id}
POST /endpoint/update  flat {id, name?, clusterID?, workerConfig, ports, policy, image,
                       volumeMounts?, envs?, healthy?} -> {}.  "All parameters must be provided in
                       full": a left-out optional part is cleared.
POST /endpoint/delete  {name: "<endpoint id>"} -> {}       (removes the endpoint and its workers)

Wire shapes follow the docs, not the seed SDK, and wrong shapes get 400 VALIDATOR_PARAM:
- requests carry ints in workerConfig and policy.value (a string int is rejected) and ports as an ARRAY
  of {port: "<string>"} with exactly one entry (the SDK's object {port} and numeric ports are rejected);
- update and delete reject `endpoint_id`; update rejects a wrapped {endpoint: {...}} body and arrays
  for workerConfig/policy/image/healthy; `clusterId` (lower-case d) is rejected in favour of `clusterID`;
- values are checked against the limits (LIMITS below), minNum <= maxNum.
Unknown ids give 400 SERVERLESS_ENDPOINT_NOT_FOUND ("endpoint not found"); unknown products
400 SERVERLESS_PRODUCT_NOT_FOUND; a taken appName 400 SERVERLESS_APP_NAME_IS_EXIST.

Responses reproduce the documented quirks: workerConfig.freeTimeout, workerConfig.maxConcurrent and
policy.value are STRINGS, ports are [{port: "8080"}], the cluster key is `clusterID`, and each endpoint's
`url` points back at this simulator: "<scheme>://<Host header>/__worker/<endpoint id>" (computed per
request by endpoint_url(), so it is right over HTTP and HTTPS).

State for other modules:
  store.endpoints      {endpoint id: dict}. Each dict has the API's camelCase keys (id, name, appName,
                       state, workerConfig, policy, image, rootfsSize, volumeMounts, envs, ports, workers,
                       products, healthy, clusterID, log) with request types: freeTimeout, maxConcurrent,
                       policy.value and ports[].port are ints here and become strings only when rendered.
                       `url` is not stored (see endpoint_url); keys starting with "_" are internal.
  store.endpoint_seq   creation counter (lists are newest first).
  find(store, id)      the stored dict or None.
"""

import copy
import random
import string

from .core import (GPU_V1, ApiError, bad_param, check_envs, opt_int, opt_list, opt_str, paginate,
                   req_int, req_str)
from . import catalog

RESERVED_PORTS = (2222, 2223, 2224)

LIMITS = {
    "minRootfsSize": 10, "maxRootfsSize": 1000, "freeRootfsSize": 100,
    "minLocalVolumeSize": 10, "maxLocalVolumeSize": 500, "freeLocalVolumeSize": 30,
    "minWorkerNum": 0, "maxWorkerNum": 20,
    "minFreeTimeout": 5, "maxFreeTimeout": 3600,
    "minConcurrencyNum": 1, "maxConcurrencyNum": 100,
    "minQueueWaitTime": 1, "maxQueueWaitTime": 300,
    "minRequestNum": 1, "maxRequestNum": 100,
    "minGPUNum": 1, "maxGPUNum": 8,
    "cudaVersionList": ["11.8", "12.1", "12.4", "12.6"],
}

DEFAULT_HEALTH = {"initialDelay": 30, "period": 10, "timeout": 5, "successThreshold": 1,
                  "failureThreshold": 3}

_rng = random.Random()


def endpoint_not_found():
    return ApiError(400, "SERVERLESS_ENDPOINT_NOT_FOUND", "endpoint not found")


def find(store, endpoint_id):
    return store.endpoints.get(endpoint_id)


def endpoint_url(req, endpoint_id):
    """Where the endpoint's service answers: the worker stand-in of this simulator."""
    host = req.headers.get("host") or "127.0.0.1"
    return "%s://%s/__worker/%s" % (req.store.config.scheme, host, endpoint_id)


# ---- seed ----

def _log_url(endpoint_id, worker_id=None):
    if worker_id:
        return "https://logs.sim.novita.local/serverless/%s/workers/%s" % (endpoint_id, worker_id)
    return "https://logs.sim.novita.local/serverless/%s" % endpoint_id


def _worker(endpoint_id, n, state="running", healthy=True, message=""):
    wid = "%s-w%d" % (endpoint_id, n)
    return {"id": wid, "state": {"state": state, "error": "", "message": message},
            "log": _log_url(endpoint_id, wid),
            "metrics": "https://metrics.sim.novita.local/serverless/%s/workers/%s" % (endpoint_id, wid),
            "healthy": healthy}


def _seed():
    sd = {
        "id": "seed-ep-0001", "name": "sd-txt2img", "appName": "sd-txt2img",
        "state": {"state": "serving", "error": "", "message": ""},
        "workerConfig": {"minNum": 1, "maxNum": 3, "freeTimeout": 300, "maxConcurrent": 4, "gpuNum": 1,
                         "requestTimeout": 600, "cudaVersion": "12.4"},
        "policy": {"type": "queue", "value": 60},
        "image": {"image": "novitalabs/sd-webui:v1.10.1", "authId": "", "command": "python launch.py --api"},
        "rootfsSize": 100,
        "volumeMounts": [{"type": "local", "id": "", "size": 30, "mountPath": "/workspace"}],
        "envs": [{"key": "MODEL", "value": "sdxl-base-1.0"}, {"key": "PORT", "value": "8080"}],
        "ports": [{"port": 8080}],
        "workers": [_worker("seed-ep-0001", 1),
                    _worker("seed-ep-0001", 2, state="pulling", healthy=False, message="pulling image")],
        "products": [{"id": "4090.16c62g"}],
        "healthy": dict(DEFAULT_HEALTH, path="/health"),
        "clusterID": "1",
        "log": _log_url("seed-ep-0001"),
        "_seq": 1,
    }
    llm = {
        "id": "seed-ep-0002", "name": "llm-chat", "appName": "llm-chat",
        "state": {"state": "serving", "error": "", "message": ""},
        "workerConfig": {"minNum": 0, "maxNum": 2, "freeTimeout": 60, "maxConcurrent": 16, "gpuNum": 2,
                         "requestTimeout": 300, "cudaVersion": "12.1"},
        "policy": {"type": "concurrency", "value": 10},
        "image": {"image": "vllm/vllm-openai:v0.6.3", "authId": "auth-7f3a",
                  "command": "--model /models/llama-3-8b"},
        "rootfsSize": 100,
        "volumeMounts": [{"type": "network", "id": "d4e82677-3f80-4020-a731-d15b1c589aa8", "size": 200,
                          "mountPath": "/models"}],
        "envs": [{"key": "HF_HOME", "value": "/models/hf"}],
        "ports": [{"port": 8000}],
        "workers": [_worker("seed-ep-0002", 1)],
        "products": [{"id": "a100.12c120g"}],
        "healthy": dict(DEFAULT_HEALTH, path="/v1/models", initialDelay=120),
        "clusterID": "1",
        "log": _log_url("seed-ep-0002"),
        "_seq": 2,
    }
    return [sd, llm]


def init_state(store):
    store.endpoints = {}
    store.endpoint_seq = 0
    for ep in _seed():
        store.endpoints[ep["id"]] = ep
        store.endpoint_seq = max(store.endpoint_seq, ep["_seq"])


# ---- rendering ----

def render(req, ep):
    d = {k: copy.deepcopy(v) for k, v in ep.items() if not k.startswith("_")}
    wc = d["workerConfig"]
    wc["freeTimeout"] = str(wc["freeTimeout"])          # strings in responses (docs)
    wc["maxConcurrent"] = str(wc["maxConcurrent"])
    d["policy"]["value"] = str(d["policy"]["value"])
    d["ports"] = [{"port": str(p["port"])} for p in d["ports"]]
    d["url"] = endpoint_url(req, ep["id"])
    return d


# ---- request parsing ----

def _limit_int(obj, name, lo_key, hi_key, prefix):
    v = obj.get(name)
    if v is None:
        raise bad_param("%s%s is required" % (prefix, name))
    if isinstance(v, bool) or not isinstance(v, int):
        raise bad_param("%s%s must be an integer" % (prefix, name))
    if not LIMITS[lo_key] <= v <= LIMITS[hi_key]:
        raise bad_param("%s%s out of range [%d, %d]" % (prefix, name, LIMITS[lo_key], LIMITS[hi_key]))
    return v


def _req_object(body, name):
    v = body.get(name)
    if v is None:
        raise bad_param("%s is required" % name)
    if not isinstance(v, dict):
        raise bad_param("%s must be an object" % name)
    return v


def _parse_worker_config(body):
    wc = _req_object(body, "workerConfig")
    p = "workerConfig."
    out = {
        "minNum": _limit_int(wc, "minNum", "minWorkerNum", "maxWorkerNum", p),
        "maxNum": _limit_int(wc, "maxNum", "minWorkerNum", "maxWorkerNum", p),
        "freeTimeout": _limit_int(wc, "freeTimeout", "minFreeTimeout", "maxFreeTimeout", p),
        "maxConcurrent": _limit_int(wc, "maxConcurrent", "minConcurrencyNum", "maxConcurrencyNum", p),
        "gpuNum": _limit_int(wc, "gpuNum", "minGPUNum", "maxGPUNum", p),
    }
    if out["maxNum"] < 1 or out["minNum"] > out["maxNum"]:
        raise bad_param("workerConfig needs 1 <= maxNum and minNum <= maxNum")
    timeout = opt_int(wc, "requestTimeout", lo=1, hi=86400)
    if timeout is not None:
        out["requestTimeout"] = timeout
    return out


def _parse_ports(body):
    ports = body.get("ports")
    if ports is None:
        raise bad_param("ports is required")
    if not isinstance(ports, list):
        raise bad_param("ports must be an array of {port} (not an object)")
    if len(ports) != 1:
        raise bad_param("exactly one port is supported")
    out = []
    for item in ports:
        if not isinstance(item, dict):
            raise bad_param("ports items must be objects")
        port = item.get("port")
        if not isinstance(port, str):
            raise bad_param("ports[].port must be a string")
        if not port.isdigit() or not 1 <= int(port) <= 65535 or int(port) in RESERVED_PORTS:
            raise bad_param("invalid port %r" % port)
        out.append({"port": int(port)})
    return out


def _parse_policy(body):
    pol = _req_object(body, "policy")
    ptype = req_str(pol, "type")
    if ptype == "queue":
        value = _limit_int(pol, "value", "minQueueWaitTime", "maxQueueWaitTime", "policy.")
    elif ptype == "concurrency":
        value = _limit_int(pol, "value", "minRequestNum", "maxRequestNum", "policy.")
    else:
        raise bad_param("policy.type must be queue or concurrency")
    return {"type": ptype, "value": value}


def _parse_image(body):
    im = _req_object(body, "image")
    return {"image": req_str(im, "image", max_len=511),
            "authId": opt_str(im, "authId", "", max_len=255),
            "command": opt_str(im, "command", "", max_len=2047)}


def _parse_cluster(store, body):
    if "clusterId" in body:
        raise bad_param("unknown field clusterId (the endpoint field is clusterID)")
    cid = opt_str(body, "clusterID", "", max_len=255)
    if cid and catalog.find_cluster(store, cid) is None:
        raise bad_param("cluster not found: %s" % cid)
    return cid


def _parse_volumes(body, cluster_id, required):
    raw = body.get("volumeMounts")
    if raw is None and required:
        raise bad_param("volumeMounts is required")
    raw = opt_list(body, "volumeMounts", [], max_items=8)
    out = []
    for v in raw:
        if not isinstance(v, dict):
            raise bad_param("volumeMounts items must be objects")
        vtype = req_str(v, "type")
        mount_path = req_str(v, "mountPath", max_len=255)
        if vtype == "local":
            size = opt_int(v, "size", LIMITS["freeLocalVolumeSize"], lo=LIMITS["minLocalVolumeSize"],
                           hi=LIMITS["maxLocalVolumeSize"])
            out.append({"type": "local", "id": "", "size": size, "mountPath": mount_path})
        elif vtype == "network":
            vid = req_str(v, "id", max_len=255)
            if not cluster_id:
                raise bad_param("clusterID is required with network storage")
            size = opt_int(v, "size", 100, lo=1)
            out.append({"type": "network", "id": vid, "size": size, "mountPath": mount_path})
        else:
            raise bad_param("volumeMounts[].type must be local or network")
    return out


def _parse_health(body, required):
    h = body.get("healthy")
    if h is None:
        if required:
            raise bad_param("healthy is required")
        return {"path": "", "initialDelay": 0, "period": 0, "timeout": 0, "successThreshold": 0,
                "failureThreshold": 0}
    if not isinstance(h, dict):
        raise bad_param("healthy must be an object")
    return dict(DEFAULT_HEALTH, path=req_str(h, "path", max_len=255))


def _parse_products(store, body):
    raw = body.get("products")
    if not isinstance(raw, list) or not raw:
        raise bad_param("products must be a non-empty array of {id}")
    out = []
    for p in raw:
        if not isinstance(p, dict):
            raise bad_param("products items must be objects")
        pid = req_str(p, "id", max_len=255)
        kind, _ = catalog.find_product(store, pid)
        if kind != "gpu":
            raise ApiError(400, "SERVERLESS_PRODUCT_NOT_FOUND", "product not found: %s" % pid)
        out.append({"id": pid})
    return out


def _parse_common(store, body, create):
    """The parts create and update share (create's inner object, update's flat body)."""
    cluster_id = _parse_cluster(store, body)
    return {
        "name": opt_str(body, "name", "", max_len=220),
        "clusterID": cluster_id,
        "workerConfig": _parse_worker_config(body),
        "ports": _parse_ports(body),
        "policy": _parse_policy(body),
        "image": _parse_image(body),
        "volumeMounts": _parse_volumes(body, cluster_id, required=create),
        "envs": check_envs(opt_list(body, "envs", [])),
        "healthy": _parse_health(body, required=create),
    }


def _reject_sdk_id(body):
    if "endpoint_id" in body:
        raise bad_param("unknown field endpoint_id")


def _new_id(store):
    alphabet = string.ascii_lowercase + string.digits
    while True:
        eid = "".join(_rng.choice(alphabet) for _ in range(16))
        if eid not in store.endpoints:
            return eid


def _fit_workers(ep):
    """Keep between max(minNum, 1) and maxNum workers (one warm worker even when minNum is 0)."""
    wc = ep["workerConfig"]
    want = min(max(wc["minNum"], 1), wc["maxNum"])
    workers = ep["workers"][:wc["maxNum"]]
    n = len(workers)
    while len(workers) < want:
        n += 1
        workers.append(_worker(ep["id"], n))
    ep["workers"] = workers


def _apply(ep, parsed):
    wc = parsed["workerConfig"]
    wc.setdefault("requestTimeout", 0)
    wc["cudaVersion"] = ep.get("workerConfig", {}).get("cudaVersion") or LIMITS["cudaVersionList"][-1]
    ep.update(parsed)


# ---- handlers ----

def get_limits(req):
    return copy.deepcopy(LIMITS)


def list_endpoints(req):
    items = sorted(req.store.endpoints.values(), key=lambda e: -e["_seq"])
    page, total = paginate(req, items, "pageNum", "pageSize", 10)
    return {"endpoints": [render(req, e) for e in page], "total": total}


def get_endpoint(req):
    eid = req.q_str("id")
    if eid is None:
        raise bad_param("id is required")
    ep = find(req.store, eid)
    if ep is None:
        raise endpoint_not_found()
    return {"endpoint": render(req, ep)}


def create_endpoint(req):
    store = req.store
    body = req.json_obj()
    _reject_sdk_id(body)
    inner = body.get("endpoint")
    if not isinstance(inner, dict):
        raise bad_param("endpoint is required (the body is {\"endpoint\": {...}})")
    _reject_sdk_id(inner)
    parsed = _parse_common(store, inner, create=True)
    parsed["products"] = _parse_products(store, inner)
    parsed["rootfsSize"] = _limit_int(inner, "rootfsSize", "minRootfsSize", "maxRootfsSize", "")
    eid = _new_id(store)
    app_name = opt_str(inner, "appName", "", max_len=63) or eid
    if any(e["appName"] == app_name for e in store.endpoints.values()):
        raise ApiError(400, "SERVERLESS_APP_NAME_IS_EXIST", "app name already exists")
    store.endpoint_seq += 1
    ep = {"id": eid, "appName": app_name, "state": {"state": "serving", "error": "", "message": ""},
          "workers": [], "log": _log_url(eid), "_seq": store.endpoint_seq}
    _apply(ep, parsed)
    _fit_workers(ep)
    store.endpoints[eid] = ep
    return {"id": eid}


def update_endpoint(req):
    store = req.store
    body = req.json_obj()
    _reject_sdk_id(body)
    if "endpoint" in body:
        raise bad_param("the update body is flat: {id, workerConfig, ...}, not {endpoint: {...}}")
    eid = req_str(body, "id", max_len=255)
    ep = find(store, eid)
    if ep is None:
        raise endpoint_not_found()
    parsed = _parse_common(store, body, create=False)   # validate everything before changing anything
    _apply(ep, parsed)
    _fit_workers(ep)
    return {}


def delete_endpoint(req):
    body = req.json_obj()
    _reject_sdk_id(body)
    eid = req_str(body, "name", max_len=255)     # called name, holds the endpoint id (docs)
    if find(req.store, eid) is None:
        raise endpoint_not_found()
    del req.store.endpoints[eid]
    return {}


def register(router):
    router.add("GET", GPU_V1 + "/endpoint/limit", get_limits)
    router.add("GET", GPU_V1 + "/endpoints", list_endpoints)
    router.add("GET", GPU_V1 + "/endpoint", get_endpoint)
    router.add("POST", GPU_V1 + "/endpoint/create", create_endpoint)
    router.add("POST", GPU_V1 + "/endpoint/update", update_endpoint)
    router.add("POST", GPU_V1 + "/endpoint/delete", delete_endpoint)

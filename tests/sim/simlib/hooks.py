"""Test hooks under /__sim/ (no auth, not recorded in the request log).

GET  /__sim/requests     -> [ {method, path, query, headers, body, raw_body, status}, ... ]
POST /__sim/reset        body optional {"state": true}; clears log + connection counter,
                         with state=true also rebuilds the store from the seed
POST /__sim/seed         {"instances": N} -> {"ids": [...], "total": <instances now>}
GET  /__sim/connections  -> {"accepted": <TCP connections accepted since start/reset>}
GET  /__sim/faults       -> the fault settings now in force (see faults.py)
POST /__sim/faults       {"unavailable": 2, "path": "/gpu-instance/openapi/v1/gpu/instance/create", ...}
                         changes some settings -> all settings
"""

import copy

from .core import opt_bool, req_int
from . import instances

PREFIX = "/__sim"


def get_requests(req):
    return copy.deepcopy(req.store.requests)


def reset(req):
    body = req.json_obj()
    state = opt_bool(body, "state", False)
    req.store.reset_log()
    if state:
        req.store.reset_state()
    return {"ok": True, "state": state}


def seed(req):
    body = req.json_obj()
    n = req_int(body, "instances", lo=0, hi=100000)
    ids = instances.add_seed_instances(req.store, n)
    return {"ids": ids, "total": len(instances.all_live(req.store))}


def connections(req):
    return {"accepted": req.store.connections_accepted}


def get_faults(req):
    return req.store.faults.snapshot()


def set_faults(req):
    return req.store.faults.update(req.json_obj())


def register(router):
    router.add("GET", PREFIX + "/requests", get_requests, auth=False)
    router.add("POST", PREFIX + "/reset", reset, auth=False)
    router.add("POST", PREFIX + "/seed", seed, auth=False)
    router.add("GET", PREFIX + "/connections", connections, auth=False)
    router.add("GET", PREFIX + "/faults", get_faults, auth=False)
    router.add("POST", PREFIX + "/faults", set_faults, auth=False)

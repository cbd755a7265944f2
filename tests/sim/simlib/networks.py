"""VPC networks (REFERENCE 7 #31-#35, 8.8).  GPU v1 namespace.

GET  /networks         pageSize (default 10), pageNum (1-based; 0 counts as 1, or 0-based with
                       --page-base 0), name (case-insensitive substring, <= 255), creators (owner user id)
                       -> two shapes, chosen by the pageNum the client sent (a deterministic rule, so clients
                          meet both):
                          odd pageNum:          {"networks": [...], "total": <int>}   (what the live API
                                                returned to the seed SDK; state is an object)
                          absent or even:       {"network": [...], "total": "<n>"}    (the docs: key `network`,
                                                total a string, state typed object[] -> a one-element array)
GET  /network          networkId -> {"network": [Network]} (a one-element array, as documented)
POST /network/create   {clusterId (1-255), name? (0-30)} -> the two known answers alternate, counting the
                       successful creates since the last reset (deterministic, so clients meet both):
                          1st, 3rd, ...:  {"network": [Network]}   (the docs)
                          2nd, 4th, ...:  {}                       (the live API per the seed SDK's
                                          integration test: "API doesn't return ID on create")
POST /network/update   {networkId, name? (1-30)} -> {}
POST /network/delete   {networkId} -> {}

Network: {Id (capital I), user, name, state {state, error?}, segment (CIDR), clusterId,
          Addresses [{Id: instance id, Ip}] (capitalised keys), createTime (Unix-second string)}.
A new network is "creating" for one lifecycle step, then "ready". Addresses are the live instances created
with its networkId (instances.py keeps {id, ip} per instance).

Errors: unknown networkId -> 400 NETWORK_NOT_FOUND "network not found"; unknown cluster or a cluster
without supportInstanceNetwork -> 400 VALIDATOR_PARAM; more than MAX_NETWORKS of one user -> 400
NETWORK_MAX_LIMIT; delete while a live instance uses it -> 400 NETWORK_IN_USE.
"""

import random
import string

from .core import (GPU_V1, ApiError, bad_param, fuzzy, opt_str, paginate, public, req_str)
from . import catalog, instances

NAME_MAX = 30
MAX_NETWORKS = 200
SIM_USER = "u7k2m9x4p1q8w3e6"          # the API key's user
OTHER_USER = "u0a1b2c3d4e5f6g7"        # a colleague's networks (the creators filter)

SEED_NETWORKS = [
    # Id, user, name, clusterId, segment, createTime
    ("9dzcf4k3b7m2q8xa", SIM_USER, "default-vpc", "1", "10.0.0.0/24", "1717401600"),
    ("p3n8v6t1w5r9y2hc", SIM_USER, "training", "8", "10.0.1.0/24", "1719993600"),
    ("k5j2h8g4f1d7s3qa", OTHER_USER, "team-shared", "1", "10.0.2.0/24", "1722585600"),
]

_rng = random.Random()


def _new_id():
    return "".join(_rng.choice(string.ascii_lowercase + string.digits) for _ in range(16))


def init_state(store):
    store.networks = []
    store.network_seq = 0
    store.network_creates = 0          # successful creates since the reset: picks the response shape
    for nid, user, name, cluster, segment, created in SEED_NETWORKS:
        _add(store, nid, user, name, cluster, segment, created, ready_at=0.0)


def _add(store, nid, user, name, cluster_id, segment, created, ready_at):
    store.network_seq += 1
    n = {"Id": nid, "user": user, "name": name, "segment": segment, "clusterId": cluster_id,
         "createTime": created, "_ready_at": ready_at, "_seq": store.network_seq}
    store.networks.append(n)
    return n


def _addresses(store, nid):
    out = []
    for inst in instances.all_live(store):
        if not inst.deleted and inst.network is not None and inst.network.get("id") == nid:
            out.append({"Id": inst.id, "Ip": inst.network.get("ip", "")})
    return out


def _render(store, n, state_as_array=False):
    state = {"state": "ready" if store.now() >= n["_ready_at"] else "creating"}
    d = public(n)
    d["state"] = [state] if state_as_array else state
    d["Addresses"] = _addresses(store, n["Id"])
    # Keep the documented key order.
    order = ("Id", "user", "name", "state", "segment", "clusterId", "Addresses", "createTime")
    return {k: d[k] for k in order}


def find_network(store, nid):
    for n in store.networks:
        if n["Id"] == nid:
            return n
    return None


def _target(store, nid):
    n = find_network(store, nid)
    if n is None:
        raise ApiError(400, "NETWORK_NOT_FOUND", "network not found")
    return n


def _segment(seq):
    return "10.%d.%d.0/24" % (seq // 256 % 256, seq % 256)


# ---- handlers ----

def list_networks(req):
    name = req.q_str("name", max_len=255)
    creators = req.q_str("creators", max_len=255)
    number = req.q_int("pageNum", None, lo=0)
    items = [n for n in req.store.networks
             if (name is None or fuzzy(name, n["name"])) and (creators is None or n["user"] == creators)]
    page, total = paginate(req, items, "pageNum", "pageSize", 10)
    if number is not None and number % 2 == 1:
        return {"networks": [_render(req.store, n) for n in page], "total": total}
    return {"network": [_render(req.store, n, state_as_array=True) for n in page], "total": str(total)}


def get_network(req):
    nid = req.q_str("networkId", max_len=255)
    if nid is None:
        raise bad_param("networkId is required")
    return {"network": [_render(req.store, _target(req.store, nid))]}


def create_network(req):
    body = req.json_obj()
    cluster_id = req_str(body, "clusterId", max_len=255)
    name = opt_str(body, "name", "", max_len=NAME_MAX)
    cluster = catalog.find_cluster(req.store, cluster_id)
    if cluster is None:
        raise bad_param("cluster not found")
    if not cluster.get("supportInstanceNetwork"):
        raise bad_param("cluster does not support VPC networks")
    if sum(1 for n in req.store.networks if n["user"] == SIM_USER) >= MAX_NETWORKS:
        raise ApiError(400, "NETWORK_MAX_LIMIT", "network limit reached")
    store = req.store
    n = _add(store, _new_id(), SIM_USER, name, cluster_id, _segment(store.network_seq + 3),
             str(int(store.wall())), ready_at=store.now() + store.step())
    store.network_creates += 1
    if store.network_creates % 2 == 0:
        return {}
    return {"network": [_render(store, n)]}


def update_network(req):
    body = req.json_obj()
    n = _target(req.store, req_str(body, "networkId", max_len=255))
    name = opt_str(body, "name", None, max_len=NAME_MAX)
    if name is not None:
        if name == "":
            raise bad_param("name is too short")
        n["name"] = name
    return {}


def delete_network(req):
    body = req.json_obj()
    n = _target(req.store, req_str(body, "networkId", max_len=255))
    if _addresses(req.store, n["Id"]):
        raise ApiError(400, "NETWORK_IN_USE", "network is in use by instances")
    req.store.networks.remove(n)
    return {}


def register(router):
    router.add("GET", GPU_V1 + "/networks", list_networks)
    router.add("GET", GPU_V1 + "/network", get_network)
    router.add("POST", GPU_V1 + "/network/create", create_network)
    router.add("POST", GPU_V1 + "/network/update", update_network)
    router.add("POST", GPU_V1 + "/network/delete", delete_network)

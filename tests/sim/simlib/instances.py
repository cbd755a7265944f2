"""GPU/CPU instances (REFERENCE 8.3) with a wall-clock lifecycle.  GPU v1 namespace.

Lifecycle: every state-changing call installs a *plan*, a list of statuses that
advance one per step (config.step_ms) from the moment of the call; the current
status is computed lazily from the monotonic clock whenever the instance is
looked at.  The last entry of a plan sticks (or, for GONE, removes the
instance).  A new action replaces any plan still running.

  create          toCreate -> pulling -> running           (0, 1, 2 steps)
  create "fail"   toCreate -> pulling -> pulling + statusError{pullFailed}
  stop            toStop -> stopping -> exited
  start           starting -> running
  restart         restarting -> running
  delete          toRemove -> removing -> removed -> gone  (gone = 400 RESOURCE_NOT_FOUND)
  migrate         migrating -> running (or -> exited if it was exited)
  upgrade         pulling -> running   ("fail" image: pulling + statusError)

An imageUrl containing "fail" never pulls: start/restart of such an instance
end in pulling + statusError as well.
"""

import random
import string
import zlib

from .core import (GPU_V1, ApiError, bad_param, check_envs, fuzzy, not_found, paginate,
                   opt_bool, opt_int, opt_list, opt_str, req_bool, req_int,
                   req_str)
from . import catalog

GONE = object()
PULL_FAILED = {"state": "pullFailed", "message": "image pull failed"}
MONTH_SECONDS = 30 * 86400
RESERVED_PORTS = (2222, 2223, 2224)

_rng = random.Random()


class Instance:
    def __init__(self, iid, seq):
        self.id = iid
        self.seq = seq                   # creation order; lists are newest first
        self.name = ""
        self.kind = "gpu"
        self.product_id = ""
        self.product_name = ""
        self.cluster_id = ""
        self.cluster_name = ""
        self.gpu_num = 1
        self.cpu_num = 0
        self.memory = 0
        self.rootfs_size = 10
        self.max_rootfs = 10
        self.image_url = ""
        self.image_auth_id = ""
        self.command = ""
        self.entrypoint = ""
        self.ports = []                  # [{port:int, type:str}]
        self.tools = []                  # [{name, port:str, type}]
        self.envs = []
        self.volume_mounts = []          # [{type, size:int, id?, mountPath}]
        self.network = None              # {id, ip} or None
        self.billing_mode = "onDemand"
        self.end_time = "-1"
        self.spot_status = ""
        self.spot_reclaim_time = "0"
        self.auto_renew = False
        self.auto_renew_month = 0
        self.auto_migrate_open = False
        self.auto_migrate_system_disk = False
        self.min_cuda_version = ""
        self.created_at = "0"
        self.last_started_at = "0"
        self.last_stopped_at = "0"
        self.status = "toCreate"
        self.status_error = None
        self.pulled_ok = False
        self.deleted = False             # delete accepted (toRemove and later)
        # current plan
        self.steps = None                # [(status, statusError|None) | (GONE, None)]
        self.plan_start = 0.0            # monotonic
        self.plan_wall = 0.0             # wall clock at plan start
        self.on_done = None

    # ---- derived values for rendering ----
    def public_ip(self):
        return "203.0.113.%d" % (zlib.crc32(self.id.encode()) % 250 + 1)

    def mapped_port(self, port):
        return 30000 + zlib.crc32(("%s:%d" % (self.id, port)).encode()) % 20000

    def endpoint(self, p):
        if p["type"] == "http":
            return "https://%s-%d.proxy.sim.novita.local" % (self.id, p["port"])
        return "%s:%d" % (self.public_ip(), self.mapped_port(p["port"]))

    def password(self):
        return "%08x" % zlib.crc32(("pw:" + self.id).encode())

    def running(self):
        return self.status == "running"

    def _mounts(self, size_as_string):
        out = []
        for m in self.volume_mounts:
            d = {"type": m["type"],
                 "size": str(m["size"]) if size_as_string else m["size"]}
            if m.get("id"):
                d["id"] = m["id"]
            d["mountPath"] = m["mountPath"]
            out.append(d)
        return out

    def _common(self):
        d = {
            "id": self.id,
            "name": self.name,
            "clusterId": self.cluster_id,
            "clusterName": self.cluster_name,
            "status": self.status,
        }
        if self.status_error is not None:
            d["statusError"] = dict(self.status_error)
        d.update({
            "imageUrl": self.image_url,
            "imageAuthId": self.image_auth_id,
            "command": self.command,
            "entrypoint": self.entrypoint,
            "cpuNum": str(self.cpu_num),
            "memory": str(self.memory),
            "gpuNum": str(self.gpu_num),
        })
        return d

    def render_list(self):
        d = self._common()
        d["portMappings"] = [{"port": p["port"], "type": p["type"]} for p in self.ports]
        d.update({
            "productId": self.product_id,
            "productName": self.product_name,
            "rootfsSize": self.rootfs_size,
            "volumeMounts": self._mounts(size_as_string=True),
            "envs": [dict(e) for e in self.envs],
            "kind": self.kind,
            "billingMode": self.billing_mode,
            "endTime": self.end_time,
            "spotStatus": self.spot_status,
            "spotReclaimTime": self.spot_reclaim_time,
            "createdAt": self.created_at,
            "lastStartedAt": self.last_started_at,
            "lastStoppedAt": self.last_stopped_at,
            "futureFlag": True,
        })
        return d

    def render_get(self):
        d = self._common()
        run = self.running()
        ip = self.public_ip()
        jupyter = next((t for t in self.tools if t["name"].lower() == "jupyter"), None)
        jport = int(jupyter["port"]) if jupyter else 8888
        d.update({
            "portMappings": [{"port": p["port"], "endpoint": self.endpoint(p),
                              "type": p["type"]} for p in self.ports],
            "volumeMounts": self._mounts(size_as_string=False),
            "node": [{"maxRootfsSize": self.max_rootfs}],
            "jobs": [],
            "envs": [dict(e) for e in self.envs],
        })
        if self.network is not None:
            d["network"] = dict(self.network)
        d.update({
            "connectComponentSSH": {
                "sshCommand": "ssh root@%s -p %d" % (ip, self.mapped_port(22)),
                "password": self.password(), "isRunning": run},
            "connectComponentWebTerminal": {
                "address": "https://%s-terminal.sim.novita.local" % self.id,
                "username": "root", "password": self.password(), "isRunning": run},
            "connectComponentJupyter": {
                "port": jport,
                "address": "https://%s-%d.proxy.sim.novita.local" % (self.id, jport),
                "isRunning": run and jupyter is not None},
            "connectComponentLog": {
                "systemLogAddress": "https://%s-syslog.sim.novita.local/logs" % self.id,
                "instanceLogAddress": "https://%s-log.sim.novita.local/logs" % self.id,
                "isRunning": run},
            "kind": self.kind,
            "billingMode": self.billing_mode,
            "endTime": self.end_time,
            "spotStatus": self.spot_status,
            "spotReclaimTime": self.spot_reclaim_time,
            "freeStorageSize": max(self.rootfs_size - 6, 0),
            "keepDataDay": 15,
            "productId": self.product_id,
            "productName": self.product_name,
            "rootfsSize": self.rootfs_size,
            "createdAt": self.created_at,
            "lastStartedAt": self.last_started_at,
            "lastStoppedAt": self.last_stopped_at,
            "autoMigrateOpen": self.auto_migrate_open,
            "someFutureField": {"nested": [1, 2]},
            "futureFlag": True,
        })
        return d


# ---- lifecycle ----

def start_plan(store, inst, steps, on_done=None):
    inst.steps = [(s, e) for s, e in steps]
    inst.plan_start = store.now()
    inst.plan_wall = store.wall()
    inst.on_done = on_done
    refresh(store, inst)


def refresh(store, inst):
    """Advance inst to the current time. Returns False once it is gone."""
    if inst.steps is None:
        return True
    step = store.step()
    last = len(inst.steps) - 1
    idx = last if step <= 0 else int((store.now() - inst.plan_start) / step)
    if idx >= last:
        status, err = inst.steps[last]
        if status is GONE:
            return False
        inst.status, inst.status_error = status, err
        cb, when = inst.on_done, inst.plan_wall + last * max(step, 0)
        inst.steps = inst.on_done = None
        if cb:
            cb(inst, when)
    else:
        inst.status, inst.status_error = inst.steps[idx]
    return True


def _ts(wall):
    return str(int(wall))


def _started(inst, wall):
    inst.pulled_ok = True
    inst.last_started_at = _ts(wall)


def _stopped(inst, wall):
    inst.last_stopped_at = _ts(wall)


def _image_fails(url):
    return "fail" in url.lower()


def live(store, iid):
    """The instance if it still exists (deleting ones included)."""
    inst = store.instances.get(iid)
    if inst is not None and not refresh(store, inst):
        del store.instances[iid]
        return None
    return inst


def all_live(store):
    out = []
    for iid in list(store.instances):
        if live(store, iid) is not None:
            out.append(store.instances[iid])
    return out


def _target(req, typo=False):
    """Resolve body.instanceId for an action; removed/deleting/unknown -> 400."""
    body = req.json_obj()
    iid = req_str(body, "instanceId", max_len=255)
    inst = live(req.store, iid)
    if inst is None or inst.deleted:
        raise not_found("instance not fount" if typo else "instance not found")
    return body, inst


# ---- state / seed ----

SEED_SHAPES = [
    # name prefix, product, gpuNum, cluster, final status, billing mode
    ("seed-web", "4090.16c62g", 1, "1", "running", "onDemand"),
    ("seed-train", "a100.12c120g", 2, "8", "exited", "monthly"),
    ("seed-cpu", "cpu.4c8g", 0, "5", "running", "onDemand"),
    ("seed-spot", "3090.16c92g", 1, "5", "running", "spot"),
    ("seed-batch", "l40s.16c80g", 2, "12", "exited", ""),     # billingMode "" quirk
]


def init_state(store):
    store.instances = {}
    store.instance_seq = 0
    store.seed_seq = 0
    add_seed_instances(store, store.config.seed_instances)


def _next_seq(store):
    store.instance_seq += 1
    return store.instance_seq


def _apply_product(store, inst, kind, product, gpu_num):
    inst.kind = kind
    inst.product_id = product["id"]
    inst.product_name = product["name"]
    if kind == "gpu":
        inst.gpu_num = gpu_num
        inst.cpu_num = product["cpuPerGpu"] * gpu_num
        inst.memory = product["memoryPerGpu"] * gpu_num
        inst.max_rootfs = product["maxRootFS"]
    else:
        inst.gpu_num = 0
        inst.cpu_num = product["cpuNum"]
        inst.memory = product["memorySize"]
        inst.max_rootfs = product["rootfsSize"]


def _set_cluster(store, inst, cluster_id):
    c = catalog.find_cluster(store, cluster_id)
    inst.cluster_id = c["id"]
    inst.cluster_name = c["name"]


def add_seed_instances(store, n):
    ids = []
    now = store.wall()
    for _ in range(n):
        store.seed_seq += 1
        k = store.seed_seq
        prefix, pid, gpus, cid, status, billing = SEED_SHAPES[(k - 1) % len(SEED_SHAPES)]
        inst = Instance("seed-%04d" % k, _next_seq(store))
        inst.name = "%s-%d" % (prefix, k)
        kind, product = catalog.find_product(store, pid)
        _apply_product(store, inst, kind, product, gpus)
        _set_cluster(store, inst, cid)
        inst.created_at = _ts(now - 86400 + k * 60)
        inst.last_started_at = _ts(now - 86400 + k * 60 + 120)
        inst.status = status
        inst.pulled_ok = True
        if status == "exited":
            inst.last_stopped_at = _ts(now - 3600)
        inst.billing_mode = billing
        if billing == "monthly":
            inst.end_time = _ts(now + MONTH_SECONDS)
        if billing == "spot":
            inst.spot_status = "running"
        if kind == "cpu":
            inst.image_url = "ubuntu:22.04"
            inst.rootfs_size = product["rootfsSize"]
            inst.volume_mounts = [{"type": "local", "size": product["localVolumeSize"],
                                   "mountPath": "/workspace"}]
            inst.ports = [{"port": 22, "type": "tcp"}]
        else:
            inst.image_url = "nvidia/cuda:12.4.1-runtime-ubuntu22.04"
            inst.rootfs_size = 60 if gpus == 1 else 100
            inst.ports = [{"port": 8888, "type": "http"}, {"port": 22, "type": "tcp"}]
            inst.tools = [{"name": "Jupyter", "port": "8888", "type": "http"}]
            inst.envs = [{"key": "SEED_INDEX", "value": str(k)}]
        if prefix == "seed-train":
            inst.image_url = "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime"
            inst.command = "python train.py"
            inst.volume_mounts = [{"type": "network", "size": 100,
                                   "id": "d4e82677-3f80-4020-a731-d15b1c589aa8",
                                   "mountPath": "/network"}]
        store.instances[inst.id] = inst
        ids.append(inst.id)
    return ids


def _new_id(store):
    alphabet = string.ascii_lowercase + string.digits
    while True:
        iid = "".join(_rng.choice(alphabet) for _ in range(16))
        if iid not in store.instances:
            return iid


# ---- request parsing helpers ----

def _parse_ports_string(s):
    out = []
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        pieces = [x.strip() for x in part.split("/")]
        if len(pieces) != 2 or not pieces[0].isdigit() or pieces[1] not in ("tcp", "http"):
            raise bad_param("invalid ports entry %r (want e.g. \"80/http, 3306/tcp\")" % part)
        out.append({"port": int(pieces[0]), "type": pieces[1]})
    return out


def _check_ports(ports, tools):
    seen = set()
    for p in ports:
        if not 1 <= p["port"] <= 65535 or p["port"] in RESERVED_PORTS:
            raise bad_param("invalid port %d" % p["port"])
        if p["port"] in seen:
            raise bad_param("duplicate port %d" % p["port"])
        seen.add(p["port"])
    if len(ports) + len(tools) > 15:
        raise bad_param("too many ports and tools (max 15)")


def _parse_tools(raw):
    out = []
    for t in raw:
        if not isinstance(t, dict):
            raise bad_param("tools items must be objects")
        name = req_str(t, "name")
        port = req_str(t, "port")
        if not port.isdigit():
            raise bad_param("tools.port must be a numeric string")
        ttype = opt_str(t, "type", "http")
        if ttype not in ("tcp", "http"):
            raise bad_param("tools.type must be tcp or http")
        out.append({"name": name, "port": port, "type": ttype})
    return out


# ---- handlers ----

def create_instance(req):
    store = req.store
    body = req.json_obj()
    product_id = req_str(body, "productId", max_len=255)
    image_url = req_str(body, "imageUrl", max_len=500)
    kind = req_str(body, "kind")
    if kind not in ("gpu", "cpu"):
        raise bad_param("kind must be gpu or cpu")
    name = opt_str(body, "name", "", max_len=255)
    pkind, product = catalog.find_product(store, product_id)
    if product is None or pkind != kind:
        raise bad_param("product not found: %s" % product_id)
    if kind == "gpu":
        gpu_num = req_int(body, "gpuNum", lo=1, hi=8)
        rootfs = req_int(body, "rootfsSize", lo=0)
        rootfs = max(rootfs, 10)
        if rootfs > product["maxRootFS"]:
            raise bad_param("rootfsSize exceeds product maxRootFS (%d)" % product["maxRootFS"])
    else:
        gpu_num = 0
        rootfs = opt_int(body, "rootfsSize", product["rootfsSize"], lo=0)
        rootfs = max(rootfs, 10)
    image_auth = opt_str(body, "imageAuth", "", max_len=10239)
    image_auth_id = opt_str(body, "imageAuthId", "", max_len=255)
    ports_s = opt_str(body, "ports", "")
    ports = _parse_ports_string(ports_s)
    tools = _parse_tools(opt_list(body, "tools", []))
    _check_ports(ports, tools)
    envs = check_envs(opt_list(body, "envs", []))
    command = opt_str(body, "command", "", max_len=2047)
    entrypoint = opt_str(body, "entrypoint", "", max_len=2047)
    cluster_id = opt_str(body, "clusterId", "", max_len=255)
    local_mp = opt_str(body, "localStorageMountPoint", "/workspace", max_len=4095)
    nstor = opt_list(body, "networkStorages", [], max_items=30)
    network_id = opt_str(body, "networkId", "", max_len=255)
    month = opt_int(body, "month", 0, lo=0)
    billing = opt_str(body, "billingMode", "onDemand")
    if billing not in ("onDemand", "monthly", "spot"):
        raise bad_param("billingMode must be onDemand, monthly or spot")
    auto_renew = opt_bool(body, "autoRenew", False)
    auto_renew_month = opt_int(body, "autoRenewMonth", 0, lo=0, hi=12)
    min_cuda = opt_str(body, "minCudaVersion", "", max_len=255)

    mounts = []
    if kind == "cpu":
        mounts.append({"type": "local", "size": product["localVolumeSize"],
                       "mountPath": local_mp})
    for ns in nstor:
        if not isinstance(ns, dict):
            raise bad_param("networkStorages items must be objects")
        sid = req_str(ns, "Id", max_len=255)
        mp = opt_str(ns, "mountPoint", "/network", max_len=4095) or "/network"
        mounts.append({"type": "network", "size": 10, "id": sid, "mountPath": mp})

    if month > 0:
        billing = "monthly"
    if kind == "gpu" and billing not in product["billingMethods"]:
        raise ApiError(400, "UNSUPPORTED_BILLING_MODE",
                       "product does not support billing mode %s" % billing)
    # placement
    allowed = catalog.product_cluster_ids(store, kind, product)
    if cluster_id:
        if catalog.find_cluster(store, cluster_id) is None:
            raise bad_param("cluster not found: %s" % cluster_id)
        if cluster_id not in allowed:
            raise ApiError(400, "INSUFFICIENT_RESOURCE",
                           "insufficient resource in cluster %s" % cluster_id)
    if not product["availableDeploy"] or not allowed or (
            kind == "gpu" and gpu_num > product["_maxGpuNum"]):
        raise ApiError(400, "INSUFFICIENT_RESOURCE", "insufficient resource")
    if not cluster_id:
        cluster_id = allowed[0]

    inst = Instance(_new_id(store), _next_seq(store))
    inst.name = name
    _apply_product(store, inst, kind, product, gpu_num)
    _set_cluster(store, inst, cluster_id)
    inst.rootfs_size = rootfs
    inst.image_url = image_url
    inst.image_auth_id = image_auth_id
    inst.image_auth = image_auth
    inst.command = command
    inst.entrypoint = entrypoint
    inst.ports = ports
    inst.tools = tools
    inst.envs = envs
    inst.volume_mounts = mounts
    if network_id:
        inst.network = {"id": network_id,
                        "ip": "10.0.0.%d" % (inst.seq % 250 + 2)}
    inst.billing_mode = billing
    if billing == "monthly":
        inst.end_time = _ts(store.wall() + max(month, 1) * MONTH_SECONDS)
        inst.auto_renew = auto_renew
        inst.auto_renew_month = auto_renew_month
    if billing == "spot":
        inst.spot_status = "running"
    inst.min_cuda_version = min_cuda
    inst.created_at = _ts(store.wall())
    store.instances[inst.id] = inst
    if _image_fails(image_url):
        start_plan(store, inst, [("toCreate", None), ("pulling", None),
                                 ("pulling", PULL_FAILED)])
    else:
        start_plan(store, inst, [("toCreate", None), ("pulling", None),
                                 ("running", None)], _started)
    return {"id": inst.id}


def list_instances(req):
    name = req.q_str("name", max_len=255)
    product_name = req.q_str("productName")
    status = req.q_str("status", max_len=63)
    items = [i for i in all_live(req.store)
             if (name is None or fuzzy(name, i.name))
             and (product_name is None or fuzzy(product_name, i.product_name))
             and (status is None or i.status == status)]
    items.sort(key=lambda i: i.seq, reverse=True)
    page, total = paginate(req, items)
    return {"instances": [i.render_list() for i in page], "total": total}


def get_instance(req):
    iid = req.q_str("instanceId")
    if iid is None:
        raise bad_param("instanceId is required")
    inst = live(req.store, iid)
    if inst is None:
        raise not_found("instance not found")
    return inst.render_get()


def edit_instance(req):
    body, inst = _target(req)
    ports = opt_list(body, "ports")
    expand = opt_int(body, "expandRootDisk", 0, lo=0)
    if ports is not None:
        parsed = []
        for p in ports:
            if not isinstance(p, dict):
                raise bad_param("ports items must be objects")
            port = req_int(p, "port", lo=1, hi=65535)
            ptype = req_str(p, "type")
            if ptype not in ("tcp", "http"):
                raise bad_param("ports.type must be tcp or http")
            parsed.append({"port": port, "type": ptype})
        _check_ports(parsed, inst.tools)
        inst.ports = parsed
    if expand:
        inst.rootfs_size += expand
        inst.max_rootfs = max(inst.max_rootfs, inst.rootfs_size)
    return {}


def _boot(store, inst, first_status):
    """start and restart: first_status, then running, or back to a failing pull for a bad image."""
    if inst.pulled_ok and not _image_fails(inst.image_url):
        start_plan(store, inst, [(first_status, None), ("running", None)], _started)
    else:
        start_plan(store, inst, [(first_status, None), ("pulling", PULL_FAILED)])


def start_instance(req):
    _, inst = _target(req, typo=True)    # the real API's typo "instance not fount"
    _boot(req.store, inst, "starting")
    return {}


def stop_instance(req):
    _, inst = _target(req)
    start_plan(req.store, inst, [("toStop", None), ("stopping", None), ("exited", None)],
               _stopped)
    return {}


def restart_instance(req):
    _, inst = _target(req)
    _boot(req.store, inst, "restarting")
    return {}


def delete_instance(req):
    store = req.store
    body = req.json_obj()
    iid = req_str(body, "instanceId", max_len=255)
    inst = live(store, iid)
    if inst is None or inst.status == "removed":
        raise not_found("instance not found")
    if inst.deleted:
        return {}                         # repeated delete while removing: accepted
    if (inst.billing_mode == "monthly" and inst.end_time not in ("", "-1")
            and int(inst.end_time) > store.wall()):
        raise ApiError(400, "PREPAID_INSTANCE_NOT_SUPPORT_RELEASE",
                       "prepaid instance does not support release")
    inst.deleted = True
    start_plan(store, inst, [("toRemove", None), ("removing", None), ("removed", None),
                             (GONE, None)])
    return {}


def migrate_instance(req):
    _, inst = _target(req)
    final = "exited" if inst.status == "exited" else "running"
    start_plan(req.store, inst, [("migrating", None), (final, None)],
               _started if final == "running" else None)
    return {}


def upgrade_instance(req):
    body, inst = _target(req)
    image_url = req_str(body, "imageUrl", max_len=500)
    image_auth_id = opt_str(body, "imageAuthId", "", max_len=255)
    envs = check_envs(opt_list(body, "envs", []))
    command = opt_str(body, "command", "", max_len=2047)
    entrypoint = opt_str(body, "entrypoint", "", max_len=2047)
    opt_bool(body, "save", False)
    nv = body.get("networkVolume")
    mounts = [m for m in inst.volume_mounts if m["type"] == "local"]
    if nv is not None:
        if not isinstance(nv, dict):
            raise bad_param("networkVolume must be an object")
        for m in opt_list(nv, "volumeMounts", [], max_items=30):
            if not isinstance(m, dict):
                raise bad_param("volumeMounts items must be objects")
            vid = req_str(m, "id", max_len=255)
            mp = opt_str(m, "mountPath", "/network", max_len=4095) or "/network"
            mounts.append({"type": "network", "size": 10, "id": vid, "mountPath": mp})
    # "All parameters must be provided in full": what is left out is cleared.
    inst.image_url = image_url
    inst.image_auth_id = image_auth_id
    inst.envs = envs
    inst.command = command
    inst.entrypoint = entrypoint
    inst.volume_mounts = mounts
    if _image_fails(image_url):
        inst.pulled_ok = False
        start_plan(req.store, inst, [("pulling", None), ("pulling", PULL_FAILED)])
    else:
        start_plan(req.store, inst, [("pulling", None), ("running", None)], _started)
    return {}


def renew_instance(req):
    body, inst = _target(req)
    month = req_int(body, "month", lo=1)
    if inst.status in ("toCreate", "creating", "pulling") and not inst.pulled_ok:
        raise ApiError(400, "CREATING_INSTANCE_NOT_SUPPORT_RENEWAL",
                       "creating instance does not support renewal")
    if inst.billing_mode != "monthly":
        raise ApiError(400, "UNSUPPORTED_BILLING_MODE", "instance is not monthly")
    base = max(int(inst.end_time), int(req.store.wall()))
    inst.end_time = _ts(base + month * MONTH_SECONDS)
    return {}


def trans_to_monthly(req):
    body, inst = _target(req)
    month = req_int(body, "month", lo=1)
    if inst.billing_mode == "monthly":
        raise ApiError(400, "UNSUPPORTED_BILLING_MODE", "instance is already monthly")
    inst.billing_mode = "monthly"
    inst.spot_status = ""
    inst.end_time = _ts(req.store.wall() + month * MONTH_SECONDS)
    return {}


def set_auto_renew(req):
    store = req.store
    body = req.json_obj()
    ids = opt_list(body, "instanceIds")
    if not ids:
        raise bad_param("instanceIds is required")
    auto_renew = req_bool(body, "autoRenew")
    month = req_int(body, "autoRenewMonth", lo=0, hi=12)
    targets = []
    for iid in ids:
        if not isinstance(iid, str):
            raise bad_param("instanceIds must be strings")
        inst = live(store, iid)
        if inst is None or inst.deleted:
            raise not_found("instance not found")
        targets.append(inst)
    for inst in targets:
        inst.auto_renew = auto_renew
        inst.auto_renew_month = month
    return {}


def set_auto_migrate(req):
    body, inst = _target(req)
    inst.auto_migrate_open = req_bool(body, "autoMigrateOpen")
    inst.auto_migrate_system_disk = req_bool(body, "autoMigrateSystemDisk")
    return {}


def register(router):
    p = GPU_V1 + "/gpu/instance"
    router.add("POST", p + "/create", create_instance)
    router.add("GET", GPU_V1 + "/gpu/instances", list_instances)
    router.add("GET", p, get_instance)
    router.add("POST", p + "/edit", edit_instance)
    router.add("POST", p + "/start", start_instance)
    router.add("POST", p + "/stop", stop_instance)
    router.add("POST", p + "/restart", restart_instance)
    router.add("POST", p + "/delete", delete_instance)
    router.add("POST", p + "/migrate", migrate_instance)
    router.add("POST", p + "/upgrade", upgrade_instance)
    router.add("POST", p + "/renewInstance", renew_instance)
    router.add("POST", p + "/transToMonthlyInstance", trans_to_monthly)
    router.add("POST", p + "/setAutoRenew", set_auto_renew)
    # URL not documented anywhere; guessed by analogy (REFERENCE 8.3.7).
    router.add("POST", p + "/setAutoMigrate", set_auto_migrate)

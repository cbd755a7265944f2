"""Instance templates (REFERENCE 7 #19-#23, 8.5).  GPU v1 namespace.

GET  /templates         query pageSize, pageNum, name (fuzzy), type, channel, isMyCommunity
                        -> {template: Template[], total}, newest first
GET  /template          ?templateId= -> {template: Template} (wrapped, as documented)
POST /template/create   {template: {...}} -> {templateId}
POST /template/update   {template: {Id, ...}} -> {templateId}   (replaces every field)
POST /template/delete   {templateId} -> {templateId}

Visibility (docs + official CLI e2e): `channel` selects official/community/private templates;
`isMyCommunity=true` keeps only the caller's own templates, and the caller's private templates show only
with isMyCommunity=true. Without `channel` every channel is listed (the live API has defaults, SDK IT).

Quirks reproduced: capital `Id`, `createdAt` as a Unix-second string, `recommendCards[].cardNum` as a
string, unknown template -> 400 TEMPLATE_NOT_FOUND "template not found".  One community seed exercises
client leniency on purpose: lower-case `id`, `rootfsSize` as a string, ports as strings (an older doc
revision shows string ports), and GET /template answers it flat instead of wrapped.

Validation is strict (core validators): the body must be {"template": {...}} with no other top-level key,
unknown template keys are rejected (a misspelt key would otherwise be silently lost), `channel` must be
"private" and `type` "instance" on create, update needs `Id`.  Only the caller's own templates can be
updated or deleted (403 FORBIDDEN otherwise).
"""

import copy

from .core import (GPU_V1, ApiError, bad_param, check_envs, fuzzy, opt_list, opt_str, paginate,
                   req_int, req_str)

SIM_USER = "u-sim00001"
OTHER_USER = "u-community7"
RESERVED_PORTS = (2222, 2223, 2224)
TEMPLATE_KEYS = {"name", "readme", "type", "channel", "image", "imageAuth", "startCommand", "entrypoint",
                 "rootfsSize", "ports", "envs", "minCudaVersion"}

LENIENT_ID = "151"   # rendered with the leniency quirks below
JUPYTER = {"name": "Jupyter", "describe": "Start Jupyter Notebook", "port": 8888, "type": "http"}

# (Id, name, channel, owner, image, rootfsSize, ports, minCudaVersion, age in days)
SEEDS = [
    ("100", "PyTorch 2.3 CUDA 12.1", "official", "", "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime", 60,
     [{"type": "http", "ports": [8888]}, {"type": "tcp", "ports": [22]}], "12.1", 90),
    ("101", "Ubuntu 22.04 CUDA 12.4", "official", "", "nvidia/cuda:12.4.1-runtime-ubuntu22.04", 30,
     [{"type": "tcp", "ports": [22]}], "12.4", 80),
    ("102", "ComfyUI", "official", "", "ghcr.io/ai-dock/comfyui:latest-cuda", 100,
     [{"type": "http", "ports": [8188, 8888]}], "11.8", 70),
    ("150", "stable-diffusion-webui", "community", OTHER_USER, "universonic/stable-diffusion-webui:latest",
     80, [{"type": "http", "ports": [7860]}], "", 40),
    ("151", "vllm-openai", "community", OTHER_USER, "vllm/vllm-openai:v0.5.0", 50,
     [{"type": "http", "ports": [8000]}], "12.1", 30),
    ("212", "ubuntu", "private", SIM_USER, "ubuntu:latest", 10,
     [{"type": "tcp", "ports": [8080, 8090]}, {"type": "http", "ports": [6000, 60001]}], "11.8", 20),
    ("213", "my-inference", "private", SIM_USER, "registry.sim.example/team/infer:1.4", 40,
     [{"type": "http", "ports": [8080]}], "12.4", 10),
]


def init_state(store):
    store.templates = {}
    store.template_seq = 0
    store.template_next_id = 1000
    now = int(store.wall())
    for tid, name, channel, owner, image, rootfs, ports, cuda, age in SEEDS:
        t = {
            "Id": tid, "name": name,
            "readme": "# %s\n\nSeed template of the simulator.\n" % name,
            "type": "instance", "channel": channel, "image": image,
            "imageAuth": "75irlsvvsehnqdajg2r481mjk54ecodc" if tid == "213" else "",
            "startCommand": "jupyter lab --allow-root" if channel == "official" and tid == "100" else "",
            "entrypoint": "",
            "rootfsSize": rootfs, "ports": copy.deepcopy(ports),
            "envs": [{"key": "TEMPLATE", "value": name}] if channel != "community" else [],
            "tools": [dict(JUPYTER)] if channel == "official" else [],
            "createdAt": str(now - age * 86400),
            "recommendCards": ([{"gpuSpecId": "4090.18c.60g", "cardNum": "2"}]
                               if channel == "official" else []),
            "minCudaVersion": cuda,
        }
        if owner:
            t["user"] = owner
        if tid == LENIENT_ID:
            t["volumes"] = [{"type": "local", "size": 50, "mountPath": "/workspace"}]
        _add(store, t, owner)


def _add(store, t, owner):
    store.template_seq += 1
    t["_seq"] = store.template_seq
    t["_owner"] = owner
    store.templates[t["Id"]] = t


def render(t):
    """The template as the API shows it (the lenient-decoding seed "151" is rendered differently)."""
    d = {k: copy.deepcopy(v) for k, v in t.items() if not k.startswith("_")}
    if t["Id"] == LENIENT_ID:
        d = {("id" if k == "Id" else k): v for k, v in d.items()}
        d["rootfsSize"] = str(d["rootfsSize"])
        for group in d["ports"]:
            group["ports"] = [str(p) for p in group["ports"]]
    return d


def _mine(t):
    return t["_owner"] == SIM_USER


def _bool_query(req, name):
    v = req.q_str(name)
    if v is None:
        return None
    if v not in ("true", "false"):
        raise bad_param("%s must be true or false" % name)
    return v == "true"


def list_templates(req):
    channel = req.q_enum("channel", ("official", "community", "private"))
    mine = _bool_query(req, "isMyCommunity")
    name = req.q_str("name", max_len=255)
    ttype = req.q_str("type")
    items = []
    for t in req.store.templates.values():
        if channel is not None and t["channel"] != channel:
            continue
        if mine is True and not _mine(t):
            continue
        if mine is False and t["channel"] == "private":
            continue    # own private templates only show with isMyCommunity=true (CLI e2e)
        if name is not None and not fuzzy(name, t["name"]):
            continue
        if ttype is not None and t["type"] != ttype:
            continue
        items.append(t)
    items.sort(key=lambda t: t["_seq"], reverse=True)
    page, total = paginate(req, items)
    return {"template": [render(t) for t in page], "total": total}


def _find(store, tid):
    t = store.templates.get(tid)
    if t is None:
        raise ApiError(400, "TEMPLATE_NOT_FOUND", "template not found")
    return t


def get_template(req):
    tid = req.q_str("templateId")
    if tid is None:
        raise bad_param("templateId is required")
    t = _find(req.store, tid)
    if tid == LENIENT_ID:
        return render(t)    # flat: clients must accept both (the official CLI reads .get("template", body))
    return {"template": render(t)}


def _ports(raw):
    out = []
    for g in opt_list({"ports": raw}, "ports", [], max_items=10):
        if not isinstance(g, dict) or set(g) - {"type", "ports"}:
            raise bad_param("ports items must be objects {type, ports}")
        gtype = req_str(g, "type")
        if gtype not in ("http", "tcp"):
            raise bad_param("ports.type must be http or tcp")
        nums = opt_list(g, "ports", max_items=10)
        if not nums:
            raise bad_param("ports.ports is required")
        checked = []
        for p in nums:
            if not isinstance(p, int) or isinstance(p, bool):
                raise bad_param("ports.ports items must be integers")
            if not 1 <= p <= 65535 or p in RESERVED_PORTS:
                raise bad_param("invalid port %d" % p)
            checked.append(p)
        out.append({"type": gtype, "ports": checked})
    return out


def _template_body(req, update):
    """The {"template": {...}} object of create/update, validated field by field."""
    body = req.json_obj()
    if set(body) != {"template"}:
        raise bad_param("body must be {\"template\": {...}}")
    t = body["template"]
    if not isinstance(t, dict):
        raise bad_param("template must be an object")
    unknown = set(t) - TEMPLATE_KEYS - ({"Id"} if update else set())
    if unknown:
        raise bad_param("unknown template field(s): %s" % ", ".join(sorted(unknown)))
    fields = {
        "name": req_str(t, "name", max_len=255),
        "readme": opt_str(t, "readme", "", max_len=102400),
        "type": req_str(t, "type"),
        "channel": req_str(t, "channel"),
        "image": req_str(t, "image", max_len=500),
        "imageAuth": opt_str(t, "imageAuth", "", max_len=255),
        "startCommand": opt_str(t, "startCommand", "", max_len=2047),
        "entrypoint": opt_str(t, "entrypoint", "", max_len=2047),
        "rootfsSize": req_int(t, "rootfsSize", lo=1),
        "ports": _ports(t.get("ports")),
        "envs": check_envs(opt_list(t, "envs", [])),
        "minCudaVersion": opt_str(t, "minCudaVersion", "", max_len=255),
    }
    if fields["type"] != "instance":
        raise bad_param("type must be instance")
    if fields["channel"] != "private":
        raise bad_param("channel must be private")
    return t, fields


def create_template(req):
    store = req.store
    _, fields = _template_body(req, update=False)
    store.template_next_id += 1
    t = {"Id": str(store.template_next_id)}
    t.update(fields)
    t.update({"tools": [], "createdAt": str(int(store.wall())), "recommendCards": [], "user": SIM_USER})
    _add(store, t, SIM_USER)
    return {"templateId": t["Id"]}


def _own(store, tid):
    t = _find(store, tid)
    if not _mine(t):
        raise ApiError(403, "FORBIDDEN", "template belongs to another user")
    return t


def update_template(req):
    raw, fields = _template_body(req, update=True)
    tid = req_str(raw, "Id", max_len=255)
    t = _own(req.store, tid)
    t.update(fields)
    return {"templateId": tid}


def delete_template(req):
    body = req.json_obj()
    tid = req_str(body, "templateId", max_len=255)
    _own(req.store, tid)
    del req.store.templates[tid]
    return {"templateId": tid}


def register(router):
    router.add("GET", GPU_V1 + "/templates", list_templates)
    router.add("GET", GPU_V1 + "/template", get_template)
    router.add("POST", GPU_V1 + "/template/create", create_template)
    router.add("POST", GPU_V1 + "/template/update", update_template)
    router.add("POST", GPU_V1 + "/template/delete", delete_template)

"""Container registry auths (REFERENCE 7 #24-#26, 8.6).  GPU v1 namespace.

GET  /repository/auths        -> {data: [{id, name, username, password}]}   (not paged; password in clear)
POST /repository/auth/save    {name, username, password} -> 200 {}  (no id comes back)
POST /repository/auth/delete  {id} -> {}

The docs answer save with 200 {}; the seed SDK's spec claims 204.  A name starting with "nocontent"
answers 204 with no body so clients' handling of both is exercised.  Save rejects keys other than the three
documented ones (a misspelt key would otherwise be lost).  Deleting an unknown id gives 400
RESOURCE_NOT_FOUND "repository auth not found"; deleting one a template uses gives 400 IMAGE_AUTH_IN_USE.
"""

import random
import string

from .core import GPU_V1, ApiError, Response, bad_param, req_str

SEED = [
    {"id": "75irlsvvsehnqdajg2r481mjk54ecodc", "name": "registry.sim.example", "username": "uuuu",
     "password": "1111"},
]

_rng = random.Random()


def init_state(store):
    store.registry_auths = [dict(a) for a in SEED]


def _new_id(store):
    alphabet = string.ascii_lowercase + string.digits
    taken = {a["id"] for a in store.registry_auths}
    while True:
        aid = "".join(_rng.choice(alphabet) for _ in range(32))
        if aid not in taken:
            return aid


def list_auths(req):
    return {"data": [dict(a) for a in req.store.registry_auths]}


def save_auth(req):
    body = req.json_obj()
    unknown = set(body) - {"name", "username", "password"}
    if unknown:
        raise bad_param("unknown field(s): %s" % ", ".join(sorted(unknown)))
    auth = {
        "id": _new_id(req.store),
        "name": req_str(body, "name", max_len=255),
        "username": req_str(body, "username", max_len=511),
        "password": req_str(body, "password", max_len=1024),
    }
    req.store.registry_auths.append(auth)
    if auth["name"].startswith("nocontent"):
        return Response(204, None)
    return {}


def delete_auth(req):
    body = req.json_obj()
    aid = req_str(body, "id", max_len=255)
    store = req.store
    for i, a in enumerate(store.registry_auths):
        if a["id"] == aid:
            templates = getattr(store, "templates", None)
            if templates and any(t.get("imageAuth") == aid for t in templates.values()):
                raise ApiError(400, "IMAGE_AUTH_IN_USE", "repository auth is in use")
            del store.registry_auths[i]
            return {}
    raise ApiError(400, "RESOURCE_NOT_FOUND", "repository auth not found")


def register(router):
    router.add("GET", GPU_V1 + "/repository/auths", list_auths)
    router.add("POST", GPU_V1 + "/repository/auth/save", save_auth)
    router.add("POST", GPU_V1 + "/repository/auth/delete", delete_auth)

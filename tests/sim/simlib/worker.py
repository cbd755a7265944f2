"""A stand-in serverless worker: what an endpoint's `url` (and the async gateway) answer, so the
client's generic call function (novita_call, `novita endpoints call`) can be tested end to end.

Routes (bearer key required, like the real endpoints):
  ANY  /__worker/<endpoint id>[/<path>]     the endpoint's own URL (see endpoints.py: `url`)
  POST /v1/<endpoint id>-<app name>/run     the async gateway (REFERENCE 8.11): {"id", "status"}

The worker answers with a JSON echo of what it received:
  {"endpointId", "method", "path", "query", "contentType", "bodyBytes", "input", "output"}
where `input` is the parsed JSON body (null when the body is not JSON) and `output` a padding string.
Query switches shape the answer, so tests can ask for what they need:
  size=N     pad the JSON answer to about N bytes (a response larger than a client's work buffer)
  raw=1      answer N (size) bytes of application/octet-stream instead: byte i is b"abcdefghijklmnopqrstuvwxyz"[i % 26]
  status=S   answer with HTTP status S (the echo stays the body)
  chunked=1  force Transfer-Encoding: chunked (0 forces Content-Length)
An endpoint id unknown to the endpoints module answers 404 {"error": "endpoint not found"}.
"""

import hashlib
import json

from .core import ApiError, Response

WORKER_PREFIX = "/__worker/"
ASYNC_PREFIX = "/v1/"
MAX_SIZE = 16 * 1024 * 1024


def init_state(store):
    store.worker_runs = {}      # async request id -> {"endpointId", "input"}


def register(router):
    router.add_prefix(WORKER_PREFIX, handle_worker, any_body=True)
    router.add_prefix(ASYNC_PREFIX, handle_async)


def _known(store, endpoint_id):
    return endpoint_id in getattr(store, "endpoints", {})


def _int(req, name, default, lo, hi):
    try:
        v = int(req.query.get(name, default))
    except ValueError:
        raise ApiError(400, "VALIDATOR_PARAM", "%s must be an integer" % name)
    if v < lo or v > hi:
        raise ApiError(400, "VALIDATOR_PARAM", "%s out of range" % name)
    return v


def _chunked(req):
    v = req.query.get("chunked")
    return None if v is None else v == "1"


def handle_worker(req):
    rest = req.path[len(WORKER_PREFIX):]
    endpoint_id, _, sub = rest.partition("/")
    if not _known(req.store, endpoint_id):
        return Response(404, {"error": "endpoint not found"})
    status = _int(req, "status", 200, 100, 599)
    size = _int(req, "size", 0, 0, MAX_SIZE)
    if req.query.get("raw") == "1":
        pattern = b"abcdefghijklmnopqrstuvwxyz"
        body = (pattern * (size // len(pattern) + 1))[:size]
        return Response(status, body, content_type="application/octet-stream", chunked=_chunked(req))
    echo = {
        "endpointId": endpoint_id,
        "method": req.method,
        "path": "/" + sub,
        "query": req.query,
        "contentType": req.headers.get("content-type", ""),
        "bodyBytes": len(req.raw_body),
        "input": req.body,
        "output": "",
    }
    base = len(_json_bytes(echo))
    if size > base:
        echo["output"] = "x" * (size - base)
    return Response(status, echo, chunked=_chunked(req))


def _json_bytes(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def handle_async(req):
    rest = req.path[len(ASYNC_PREFIX):]
    target, _, action = rest.partition("/")
    # "<endpoint id>-<app name>": ids may hold dashes themselves, so match the known ids
    known = [e for e in getattr(req.store, "endpoints", {}) if target.startswith(e + "-")]
    if req.method != "POST" or action != "run" or not known:
        return Response(404, {"error": "not found"})
    endpoint_id = max(known, key=len)
    run_id = hashlib.sha1(("%s:%d" % (target, len(req.store.worker_runs))).encode()).hexdigest()[:16]
    req.store.worker_runs[run_id] = {"endpointId": endpoint_id, "input": req.body}
    return {"id": run_id, "status": "IN_QUEUE"}

"""Errors, request object, route table and validators shared by all resources."""

GPU_V1 = "/gpu-instance/openapi/v1"   # GPU v1 namespace
BASIC = "/openapi/v1"                 # basic namespace (metrics, billing)


class ApiError(Exception):
    """An error answered with Novita's envelope (REFERENCE 5.2):
    {"code": <http status>, "reason": "UPPER_SNAKE", "message": "...", "metadata": {}}"""

    def __init__(self, status, reason, message, metadata=None):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.metadata = metadata or {}

    def body(self):
        return {"code": self.status, "reason": self.reason,
                "message": self.message, "metadata": self.metadata}


def bad_param(message):
    return ApiError(400, "VALIDATOR_PARAM", message)


def not_found(message="instance not found"):
    return ApiError(400, "RESOURCE_NOT_FOUND", message)


def api_not_found():
    return ApiError(404, "API_NOT_FOUND", "api not found")


def unauthorized():
    return ApiError(401, "UNAUTHORIZED", "invalid api key")


class Response:
    """Handlers return either a plain JSON-able object (HTTP 200) or a Response. `body` is a JSON-able
    object, or bytes sent as they are (with `content_type`), or None for no body at all (e.g. 204)."""

    def __init__(self, status, body, content_type="application/json", chunked=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.chunked = chunked      # None: the server's --chunked setting; True/False: forced


class Request:
    """What a handler sees. `query` maps each name to its first value."""

    def __init__(self, store, method, path, query, headers, body, raw_body):
        self.store = store
        self.method = method
        self.path = path
        self.query = query          # {name: first value}
        self.headers = headers      # {lower-case name: value}
        self.body = body            # parsed JSON, or None when the body was empty
        self.raw_body = raw_body    # bytes

    # ---- query helpers (an empty value counts as absent) ----
    def q_str(self, name, default=None, max_len=None):
        v = self.query.get(name)
        if v is None or v == "":
            return default
        if max_len is not None and len(v) > max_len:
            raise bad_param("%s is too long" % name)
        return v

    def q_int(self, name, default=None, lo=None, hi=None):
        v = self.query.get(name)
        if v is None or v == "":
            return default
        try:
            n = int(v, 10)
        except ValueError:
            raise bad_param("%s must be an integer" % name)
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            raise bad_param("%s out of range" % name)
        return n

    def q_enum(self, name, allowed):
        v = self.q_str(name)
        if v is not None and v not in allowed:
            raise bad_param("%s must be one of %s" % (name, ", ".join(allowed)))
        return v

    def json_obj(self):
        """The body as a JSON object; an empty body counts as {}."""
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise bad_param("request body must be a JSON object")
        return self.body


class Route:
    def __init__(self, method, path, handler, auth, any_body=False):
        self.method = method
        self.path = path
        self.handler = handler
        self.auth = auth
        self.any_body = any_body    # the handler takes non-JSON bodies (req.body is then None)


class Router:
    """Exact-match route table: (METHOD, path) -> Route."""

    def __init__(self):
        self.routes = {}
        self.prefixes = []

    def add(self, method, path, handler, auth=True):
        key = (method.upper(), path)
        if key in self.routes:
            raise ValueError("duplicate route %s %s" % key)
        self.routes[key] = Route(method.upper(), path, handler, auth)

    def add_prefix(self, prefix, handler, auth=True, any_body=False):
        """Route every method and every path under `prefix` (e.g. "/__worker/") to handler, unless an
        exact route matches first. any_body: non-JSON request bodies reach the handler too."""
        self.prefixes.append((prefix, Route("*", prefix, handler, auth, any_body)))

    def match(self, method, path):
        route = self.routes.get((method.upper(), path))
        if route is None:
            for prefix, r in self.prefixes:
                if path.startswith(prefix):
                    return r
        return route

    def table(self):
        return sorted(self.routes)


# ---- body field validators (strict JSON types: ints are ints, not strings) ----

def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def req_str(body, name, min_len=1, max_len=None):
    v = body.get(name)
    if v is None:
        raise bad_param("%s is required" % name)
    if not isinstance(v, str):
        raise bad_param("%s must be a string" % name)
    if len(v) < min_len:
        raise bad_param("%s is required" % name if min_len == 1 and v == ""
                        else "%s is too short" % name)
    if max_len is not None and len(v) > max_len:
        raise bad_param("%s is too long" % name)
    return v


def opt_str(body, name, default=None, max_len=None):
    v = body.get(name)
    if v is None:
        return default
    if not isinstance(v, str):
        raise bad_param("%s must be a string" % name)
    if max_len is not None and len(v) > max_len:
        raise bad_param("%s is too long" % name)
    return v


def req_int(body, name, lo=None, hi=None):
    v = body.get(name)
    if v is None:
        raise bad_param("%s is required" % name)
    return _check_int(name, v, lo, hi)


def opt_int(body, name, default=None, lo=None, hi=None):
    v = body.get(name)
    if v is None:
        return default
    return _check_int(name, v, lo, hi)


def _check_int(name, v, lo, hi):
    if not _is_int(v):
        raise bad_param("%s must be an integer" % name)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise bad_param("%s out of range" % name)
    return v


def req_bool(body, name):
    v = body.get(name)
    if v is None:
        raise bad_param("%s is required" % name)
    if not isinstance(v, bool):
        raise bad_param("%s must be a boolean" % name)
    return v


def opt_bool(body, name, default=None):
    v = body.get(name)
    if v is None:
        return default
    if not isinstance(v, bool):
        raise bad_param("%s must be a boolean" % name)
    return v


def opt_list(body, name, default=None, max_items=None):
    v = body.get(name)
    if v is None:
        return default
    if not isinstance(v, list):
        raise bad_param("%s must be an array" % name)
    if max_items is not None and len(v) > max_items:
        raise bad_param("too many %s" % name)
    return v


def check_envs(envs, max_items=100):
    out = []
    if len(envs) > max_items:
        raise bad_param("too many envs")
    for e in envs:
        if not isinstance(e, dict):
            raise bad_param("envs items must be objects")
        k = req_str(e, "key", min_len=0, max_len=511)
        v = req_str(e, "value", min_len=0, max_len=4095)
        out.append({"key": k, "value": v})
    return out


def fuzzy(needle, hay):
    """Case-insensitive substring match used for the *fuzzy* filters."""
    return needle.lower() in (hay or "").lower()


def public(obj):
    """Drop internal keys (leading underscore) before rendering."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def paginate(req, items, page_name="pageNum", size_name="pageSize", default_size=10, one_based=None):
    """One page of `items` for a paged list (REFERENCE 4).

    Whether page numbers start at 0 or 1 is unsettled for pageNum/pageNo lists: by default the simulator
    is 1-based and treats 0 as 1 (as the live API appears to), `--page-base 0` makes it 0-based. Lists
    documented as starting at 1 (`page`) pass one_based=True. Returns (page_items, total)."""
    size = req.q_int(size_name, default_size, lo=0)
    if size == 0:
        size = default_size
    base0 = (not one_based) and getattr(req.store.config, "page_base", 1) == 0
    number = req.q_int(page_name, 0 if base0 else 1, lo=0)
    index = number if base0 else max(number, 1) - 1
    start = index * size
    return items[start:start + size], len(items)

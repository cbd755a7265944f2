"""Fault injection: what the simulator does wrong on purpose, so clients can be tested against flaky
networks and overloaded servers (issue 4). Settings come from the command line (the defaults) and from
POST /__sim/faults (per test); POST /__sim/reset {"state": true} restores the command-line defaults.

Settings (all optional in a /__sim/faults body; omitted ones keep their value):
  chunked       bool  send every API response with Transfer-Encoding: chunked
  close_after   int   close each connection silently (no "Connection: close") after N responses; 0 = never
  rate_limit    int   answer the next K matching requests 429 RATE_LIMIT_EXCEEDED, unprocessed
  unavailable   int   answer the next K matching requests 503 SERVICE_NOT_AVAILABLE, unprocessed
  retry_after   str   Retry-After of those answers: "<seconds>", "date:<seconds>" (an HTTP date that far
                      ahead, next to the Date header), or "" for none. Default "1"
  delay_ms      int   wait this long before answering each matching request
  truncate      int   process the next K matching requests but send only half of each body, then close
  path          str   the counted faults (rate_limit, unavailable, truncate, delay_ms) apply only to
                      API paths starting with this prefix; "" = every API request (never the hooks)
"""

import threading
import time
from email.utils import formatdate

from .core import ApiError, bad_param

FIELDS = {
    "chunked": bool,
    "close_after": int,
    "rate_limit": int,
    "unavailable": int,
    "retry_after": str,
    "delay_ms": int,
    "truncate": int,
    "path": str,
}


class Decision:
    """What to do with one request."""

    def __init__(self):
        self.error = None          # ApiError answered instead of processing the request
        self.headers = {}          # extra response headers
        self.delay_s = 0.0
        self.truncate = False


class Faults:
    def __init__(self, defaults=None):
        self.lock = threading.Lock()
        self.defaults = {"chunked": False, "close_after": 0, "rate_limit": 0, "unavailable": 0,
                         "retry_after": "1", "delay_ms": 0, "truncate": 0, "path": ""}
        if defaults:
            self.defaults.update(validate(defaults))
        self.reset()

    def reset(self):
        with self.lock:
            self.settings = dict(self.defaults)

    def update(self, body):
        values = validate(body)
        with self.lock:
            self.settings.update(values)
            return dict(self.settings)

    def snapshot(self):
        with self.lock:
            return dict(self.settings)

    def decide(self, path):
        """Consume the counted faults that apply to a request on `path`."""
        d = Decision()
        with self.lock:
            s = self.settings
            if not path.startswith(s["path"]):
                return d
            d.delay_s = s["delay_ms"] / 1000.0
            if s["rate_limit"] > 0:
                s["rate_limit"] -= 1
                d.error = ApiError(429, "RATE_LIMIT_EXCEEDED", "rate limit exceeded (simulated)")
            elif s["unavailable"] > 0:
                s["unavailable"] -= 1
                d.error = ApiError(503, "SERVICE_NOT_AVAILABLE", "service not available (simulated)")
            elif s["truncate"] > 0:
                s["truncate"] -= 1
                d.truncate = True
            if d.error is not None and s["retry_after"]:
                d.headers["Retry-After"] = retry_after_value(s["retry_after"])
        return d


def retry_after_value(spec):
    if spec.startswith("date:"):
        return formatdate(timeval=time.time() + int(spec[5:]), usegmt=True)
    return spec


def validate(body):
    if not isinstance(body, dict):
        raise bad_param("faults body must be a JSON object")
    out = {}
    for k, v in body.items():
        kind = FIELDS.get(k)
        if kind is None:
            raise bad_param("unknown fault %r" % k)
        if kind is int and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            raise bad_param("%s must be an integer >= 0" % k)
        if kind is bool and not isinstance(v, bool):
            raise bad_param("%s must be a boolean" % k)
        if kind is str and not isinstance(v, str):
            raise bad_param("%s must be a string" % k)
        if k == "retry_after" and v and not (v.isdigit() or (v.startswith("date:") and v[5:].isdigit())):
            raise bad_param("retry_after must be \"<seconds>\" or \"date:<seconds>\"")
        out[k] = v
    return out

"""Instance metrics (REFERENCE 8.4).  BASIC namespace: /openapi/v1/metrics/gpu/instance.

Query: instanceId (required), endTime (default now), startTime (default
endTime-60, clamped to <= endTime-60), interval (seconds, default 15, values
below 15 fall back to 15).  Invalid numbers fall back to the defaults, as the
docs say.  Timestamps are strings, values floats in 0.5 steps.  Values are a
deterministic function of (instance, series, timestamp); all 0.0 unless the
instance is running.  CPU instances get empty GPU series.
"""

import zlib

from .core import BASIC, bad_param, not_found
from . import instances

MAX_POINTS = 1440


def _int_or(v, default):
    try:
        return int(v, 10)
    except (TypeError, ValueError):
        return default


def _value(iid, series, ts, running):
    if not running:
        return 0.0
    h = zlib.crc32(("%s|%s|%d" % (iid, series, ts)).encode())
    return 10.0 + (h % 171) / 2.0          # 10.0 .. 95.0


def get_metrics(req):
    iid = req.q_str("instanceId")
    if iid is None:
        raise bad_param("instanceId is required")
    inst = instances.live(req.store, iid)
    if inst is None:
        raise not_found("instance not found")
    now = int(req.store.wall())
    end = _int_or(req.query.get("endTime"), now)
    if end <= 0:
        end = now
    start = _int_or(req.query.get("startTime"), end - 60)
    if start <= 0 or start > end - 60:
        start = end - 60
    interval = _int_or(req.query.get("interval"), 15)
    if interval < 15:
        interval = 15
    span = end - start
    if span // interval + 1 > MAX_POINTS:
        interval = -(-span // (MAX_POINTS - 1))
    stamps = list(range(start, end + 1, interval))
    run = inst.running()

    def series(name):
        return [{"timestamp": str(t), "value": _value(iid, name, t, run)} for t in stamps]

    def gpu_series(name):
        if inst.kind != "gpu" or inst.gpu_num < 1:
            return {"avg": [], "gpuIds": []}
        ids = [{"gpuId": str(g), "items": series("%s.%d" % (name, g))}
               for g in range(inst.gpu_num)]
        avg = []
        for k, t in enumerate(stamps):
            vals = [g["items"][k]["value"] for g in ids]
            avg.append({"timestamp": str(t),
                        "value": round(sum(vals) / len(vals) * 2) / 2.0})
        return {"avg": avg, "gpuIds": ids}

    return {
        "cpuUtilization": series("cpu"),
        "memUtilization": series("mem"),
        "rootDiskUtilization": series("disk"),
        "gpuUtilization": gpu_series("gpu"),
        "gpuMemUtilization": gpu_series("gpumem"),
    }


def init_state(store):
    pass


def register(router):
    router.add("GET", BASIC + "/metrics/gpu/instance", get_metrics)

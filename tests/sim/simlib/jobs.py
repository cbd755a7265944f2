"""Jobs and save image (REFERENCE 8.9).  GPU v1 namespace.

GET  /jobs             pageSize (default 10), pageNum (1-based, 0 counts as 1; 0-based with --page-base 0),
                       jobId, state, type (exact), startTime/endTime (createdAt bounds, 0 = none),
                       creators (user id) -> {jobs: Job[], total}, newest first
POST /job/break        {jobId} -> {jobId}; the job must be pulling or running and becomes "break".
                       Unknown job -> 400 JOB_NOT_FOUND; a job that already ended -> 400 VALIDATOR_PARAM.
                       The seed SDK's {"job_id"} is rejected (jobId is required).
POST /job/save/image   {instanceId, image, registryAuthId?} -> {jobId}. The instance must exist (else
                       400 RESOURCE_NOT_FOUND "instance not found"); creates a "saveImage" job.

Job object, as in the docs (and samples/sdk_test_list_jobs.json): capital `Id`, `createdAt` a Unix-second
STRING, `state` an object {state, error?, errorMessage?}. One seed job spells the detail `message` (the
seed SDK's spec) instead of `errorMessage` (the docs): clients should accept both.

Save-image lifecycle (config.step_ms per step, counted from the call, computed lazily):
    pulling -> running -> success            (0, 1, 2 steps)
    image containing "fail": pulling -> running -> fail {error: "pushFailed", errorMessage: ...}
A break freezes the job at "break". Seeded jobs keep their state (their running ones never finish).
"""

import random
import string

from .core import GPU_V1, ApiError, bad_param, not_found, opt_str, paginate, req_str
from . import instances

USER = "sim-user-0001"
ALPHABET = string.ascii_lowercase + string.digits
ACTIVE = ("pulling", "running")
PUSH_FAILED = {"error": "pushFailed", "errorMessage": "image push failed: registry refused the upload"}

_rng = random.Random()


class Job:
    def __init__(self, jid, seq, jtype, instance_id, created_wall):
        self.id = jid
        self.seq = seq                  # creation order; lists are newest first
        self.type = jtype
        self.instance_id = instance_id
        self.created_at = str(int(created_wall))
        self.envs = []
        self.state = {"state": "running"}
        self.steps = None               # save-image plan: [state dict, ...], one per step
        self.plan_start = 0.0

    def current(self, store):
        """The state now: a plan advances one entry per step and its last entry sticks."""
        if self.steps is not None:
            step = store.step()
            idx = len(self.steps) - 1 if step <= 0 else int((store.now() - self.plan_start) / step)
            self.state = dict(self.steps[min(idx, len(self.steps) - 1)])
            if idx >= len(self.steps) - 1:
                self.steps = None
        return self.state

    def render(self, store):
        return {
            "Id": self.id,
            "user": USER,
            "type": self.type,
            "envs": [dict(e) for e in self.envs],
            "state": dict(self.current(store)),
            "logAddress": "https://logs.sim.novita.local/jobs/%s" % self.id,
            "createdAt": self.created_at,
            "instanceId": self.instance_id,
        }


# (id, type, instance, age in seconds, state) -- shaped like the docs' example and the SDK's test sample.
SEED_JOBS = [
    ("10wi9visv0rqt57w", "saveImage", "seed-0001", 7200,
     {"state": "success"}),
    ("2b7kq0c1m5x8d3fa", "instanceMigrate", "seed-0002", 3600,
     {"state": "running"}),
    ("3c8lr1d2n6y9e4gb", "autoInstanceMigrate", "seed-0002", 1800,
     {"state": "fail", "error": "migrateFailed",
      "errorMessage": "no node with enough free GPUs in the cluster"}),
    ("4d9ms2e3o7z0f5hc", "saveImage", "seed-0001", 600,
     {"state": "fail", "error": "pushFailed", "message": "unauthorized: authentication required"}),
]


def init_state(store):
    store.jobs = {}
    store.job_seq = 0
    wall = store.wall()
    for jid, jtype, iid, age, state in SEED_JOBS:
        job = Job(jid, _next_seq(store), jtype, iid, wall - age)
        job.state = dict(state)
        if jtype == "saveImage":
            job.envs = [{"key": "IMAGE_PUSH_RETRY", "value": "3"}]
        store.jobs[jid] = job


def _next_seq(store):
    store.job_seq += 1
    return store.job_seq


def _new_id(store):
    """16 lowercase letters and digits, like the docs' example."""
    while True:
        jid = "".join(_rng.choice(ALPHABET) for _ in range(16))
        if jid not in store.jobs:
            return jid


def _newest_first(store):
    return sorted(store.jobs.values(), key=lambda j: j.seq, reverse=True)


# ---- handlers ----

def list_jobs(req):
    store = req.store
    job_id = req.q_str("jobId", max_len=255)
    state = req.q_str("state")
    jtype = req.q_str("type")
    start = req.q_int("startTime", 0, lo=0)
    end = req.q_int("endTime", 0, lo=0)
    creators = req.q_str("creators")
    out = []
    for job in _newest_first(store):
        created = int(job.created_at)
        if job_id is not None and job.id != job_id:
            continue
        if state is not None and job.current(store)["state"] != state:
            continue
        if jtype is not None and job.type != jtype:
            continue
        if start and created < start:
            continue
        if end and created > end:
            continue
        if creators is not None and creators != USER:
            continue
        out.append(job)
    page, total = paginate(req, out, "pageNum", "pageSize", 10)
    return {"jobs": [j.render(store) for j in page], "total": total}


def break_job(req):
    store = req.store
    body = req.json_obj()
    jid = req_str(body, "jobId", max_len=255)
    job = store.jobs.get(jid)
    if job is None:
        raise ApiError(400, "JOB_NOT_FOUND", "job not found")
    if job.current(store)["state"] not in ACTIVE:
        raise bad_param("job is not running")
    job.steps = None
    job.state = {"state": "break"}
    return {"jobId": jid}


def save_image(req):
    store = req.store
    body = req.json_obj()
    iid = req_str(body, "instanceId", max_len=255)
    image = req_str(body, "image", max_len=4095)
    opt_str(body, "registryAuthId", max_len=255)
    if any(c.isspace() for c in image):
        raise bad_param("image must be a reference like registry/repository:tag")
    inst = instances.live(store, iid)
    if inst is None or inst.deleted:
        raise not_found("instance not found")
    job = Job(_new_id(store), _next_seq(store), "saveImage", iid, store.wall())
    end = dict(PUSH_FAILED, state="fail") if "fail" in image.lower() else {"state": "success"}
    job.steps = [{"state": "pulling"}, {"state": "running"}, end]
    job.plan_start = store.now()
    job.current(store)
    store.jobs[job.id] = job
    return {"jobId": job.id}


def register(router):
    router.add("GET", GPU_V1 + "/jobs", list_jobs)
    router.add("POST", GPU_V1 + "/job/break", break_job)
    router.add("POST", GPU_V1 + "/job/save/image", save_image)

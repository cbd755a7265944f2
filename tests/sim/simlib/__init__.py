"""Building blocks of the Novita API simulator (tests/sim/novita_sim.py).

Layout:
  core.py       errors, Request, Router (route table), body/query validators
  store.py      Store: the single object that owns all simulator state
  catalog.py    clusters, GPU products, CPU products          (GPU v1 namespace)
  instances.py  GPU/CPU instances with a wall-clock lifecycle   (GPU v1 namespace)
  metrics.py    instance metrics                               (basic namespace)
  hooks.py      /__sim/ test hooks (no auth)

Adding a resource: write a module with init_state(store) and register(router),
then append it to RESOURCE_MODULES below.
"""

import importlib

from . import catalog, instances, metrics

# Order matters for init_state: later modules may use state of earlier ones
# (instances look up products and clusters).
RESOURCE_MODULES = [catalog, instances, metrics]

# Resources being added in parallel (issue 3); each is registered once its module exists.
# TODO(issue 3): replace with plain imports once every module has landed.
for _name in ("templates", "registries", "storage", "networks", "jobs", "prewarm",
              "endpoints", "billing", "worker"):
    try:
        RESOURCE_MODULES.append(importlib.import_module("." + _name, __name__))
    except ModuleNotFoundError as _e:
        if _e.name != __name__ + "." + _name:
            raise

"""Building blocks of the Novita API simulator (tests/sim/novita_sim.py).

Layout:
  core.py       errors, Request, Router (route table), body/query validators
  store.py      Store: the single object that owns all simulator state
  catalog.py    clusters, GPU products, CPU products          (GPU v1 namespace)
  instances.py  GPU/CPU instances with a wall-clock lifecycle   (GPU v1 namespace)
  metrics.py    instance metrics                               (basic namespace)
  templates.py, registries.py, storage.py, networks.py, jobs.py, prewarm.py, endpoints.py
                the other v1 resources                         (GPU v1 namespace)
  billing.py    balance and bills                              (basic namespace)
  worker.py     a stand-in serverless worker behind endpoint URLs and the async gateway
  faults.py     fault injection (/__sim/faults, command-line switches)
  hooks.py      /__sim/ test hooks (no auth)

Adding a resource: write a module with init_state(store) and register(router),
then append it to RESOURCE_MODULES below.
"""

from . import (billing, catalog, endpoints, instances, jobs, metrics, networks, prewarm, registries,
               storage, templates, worker)

# Order matters for init_state: later modules may use state of earlier ones
# (instances look up products and clusters; jobs and storage look up instances; the worker looks up
# endpoints).
RESOURCE_MODULES = [catalog, instances, metrics, templates, registries, storage, networks, jobs, prewarm,
                    endpoints, billing, worker]

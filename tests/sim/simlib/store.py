"""The single object holding all simulator state.

Resource state lives in attributes that each resource module creates in its
init_state(store) (catalog: clusters, gpu_products, cpu_products; instances:
instances, instance_seq, seed_seq).  Test-hook state (request log, connection
counter) lives here too but survives a state reset.
"""

import threading
import time

from .faults import Faults


class Config:
    def __init__(self, api_key="sim-key", step_ms=1500, seed_instances=2,
                 max_log=10000, page_base=1, scheme="http", faults=None):
        self.api_key = api_key
        self.scheme = scheme              # "https" when serving TLS (for URLs the simulator hands out)
        self.faults = faults or {}        # command-line fault settings (see faults.py)
        self.page_base = page_base        # first pageNum/pageNo: 1 (0 counts as 1) or 0
        self.step_ms = step_ms
        self.seed_instances = seed_instances
        self.max_log = max_log


class Store:
    def __init__(self, config, modules):
        self.config = config
        self.modules = list(modules)
        # One coarse lock: every API handler and hook runs under it.
        self.lock = threading.RLock()
        self.requests = []                # request log for /__sim/requests
        self.connections_accepted = 0     # TCP accepts since start/reset
        self.faults = Faults(config.faults)  # survives reset_log; reset_state restores the defaults
        self.reset_state()

    # ---- clocks ----
    @staticmethod
    def now():
        """Monotonic seconds; drives the lifecycle."""
        return time.monotonic()

    @staticmethod
    def wall():
        """Unix seconds; used for rendered timestamps."""
        return time.time()

    def step(self):
        """One lifecycle step in seconds."""
        return self.config.step_ms / 1000.0

    # ---- state ----
    def reset_state(self):
        with self.lock:
            self.faults.reset()
            for m in self.modules:
                m.init_state(self)

    # ---- hooks bookkeeping ----
    def log_request(self, entry):
        with self.lock:
            self.requests.append(entry)
            extra = len(self.requests) - self.config.max_log
            if extra > 0:
                del self.requests[:extra]

    def count_connection(self):
        with self.lock:
            self.connections_accepted += 1

    def reset_log(self):
        with self.lock:
            self.requests = []
            self.connections_accepted = 0

#!/usr/bin/env python3
"""Local simulator of the Novita AI GPU cloud API (v1), Python 3 stdlib only.

Serves the GPU v1 namespace (/gpu-instance/openapi/v1) and the basic namespace
(/openapi/v1) with Novita's wire quirks, plus test hooks under /__sim/.
See tests/sim/README.md for routes, seed data and timings.

Once listening it prints exactly one line "PORT <n>" to stdout.
"""

import argparse
import faulthandler
import json
import os
import signal
import socket
import socketserver
import ssl
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from simlib import RESOURCE_MODULES, hooks                      # noqa: E402
from simlib.core import (ApiError, Request, Response, Router,   # noqa: E402
                         api_not_found, bad_param, unauthorized)
from simlib.faults import validate as validate_faults          # noqa: E402
from simlib.store import Config, Store                          # noqa: E402

MAX_BODY = 16 * 1024 * 1024
# --chunked: the body is cut into chunks of these sizes, cycling, so clients
# see tiny, odd and larger chunks.
CHUNK_SIZES = (5, 100, 1, 512)


def build_routers():
    api = Router()
    for module in RESOURCE_MODULES:
        module.register(api)
    sim = Router()
    hooks.register(sim)
    return api, sim


class _BodyError(Exception):
    def __init__(self, status, reason, message):
        super().__init__(message)
        self.error = ApiError(status, reason, message)


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, store, api_router, sim_router, chunked=False,
                 verbose=False, idle_timeout=30.0):
        self.store = store
        self.api_router = api_router
        self.sim_router = sim_router
        self.chunked = chunked
        self.verbose = verbose
        self.idle_timeout = idle_timeout
        super().__init__(addr, SimHandler)

    def server_bind(self):
        # HTTPServer.server_bind calls getfqdn(), which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = self.server_address[1]

    def process_request(self, request, client_address):
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every response.
        try:
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.store.count_connection()
        super().process_request(request, client_address)

    def handle_error(self, request, client_address):
        if self.verbose:
            sys.stderr.write("novita-sim: connection %s: %s\n"
                             % (client_address, sys.exc_info()[1]))


class SimServer6(SimServer):
    address_family = socket.AF_INET6


class SimHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"        # keep-alive
    server_version = "novita-sim/1.0"
    sys_version = ""

    def version_string(self):
        return self.server_version

    def setup(self):
        self.timeout = self.server.idle_timeout   # idle keep-alive timeout
        self._responses = 0                       # on this connection (for the close_after fault)
        super().setup()

    # quiet by default; never logs headers (so never the Authorization value)
    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("novita-sim: %s\n" % (fmt % args))

    def log_request(self, code="-", size="-"):
        pass

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    # ---- request ----
    def _read_body(self):
        te = self.headers.get("Transfer-Encoding")
        if te and "chunked" in te.lower():
            parts, total = [], 0
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise _BodyError(400, "VALIDATOR_PARAM", "truncated chunked body")
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _BodyError(400, "VALIDATOR_PARAM", "bad chunk size")
                if size == 0:
                    while True:                       # trailers
                        t = self.rfile.readline(65537)
                        if t in (b"\r\n", b"\n", b""):
                            break
                    return b"".join(parts)
                total += size
                if total > MAX_BODY:
                    raise _BodyError(413, "REQUEST", "request body too large")
                parts.append(self.rfile.read(size))
                self.rfile.readline()                 # CRLF after the chunk
        cl = self.headers.get("Content-Length")
        if cl is None:
            return b""
        try:
            n = int(cl)
        except ValueError:
            raise _BodyError(400, "VALIDATOR_PARAM", "bad Content-Length")
        if n < 0 or n > MAX_BODY:
            raise _BodyError(413, "REQUEST", "request body too large")
        return self.rfile.read(n) if n else b""

    def _authorized(self, value):
        if not value:
            return False
        parts = value.split(None, 1)
        return (len(parts) == 2 and parts[0].lower() == "bearer"
                and parts[1].strip() == self.server.store.config.api_key)

    def _dispatch(self):
        server = self.server
        store = server.store
        method = self.command
        split = urlsplit(self.path)
        path = split.path
        qmulti = parse_qs(split.query, keep_blank_values=True)
        try:
            raw = self._read_body()
        except _BodyError as e:
            self.close_connection = True
            self._send(e.error.status, e.error.body())
            return
        headers = {}
        for k, v in self.headers.items():
            lk = k.lower()
            headers[lk] = headers[lk] + ", " + v if lk in headers else v
        body, body_err = None, None
        if raw:
            try:
                body = json.loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                body_err = str(e)
        is_hook = path == "/__sim" or path.startswith("/__sim/")
        decision = None if is_hook else store.faults.decide(path)
        if decision is not None and decision.delay_s:
            time.sleep(decision.delay_s)
        if decision is not None and decision.error is not None:
            status, obj = decision.error.status, decision.error.body()
        else:
            status, obj = self._handle(method, path, qmulti, headers, body, body_err, raw,
                                       is_hook)
        if not is_hook:
            store.log_request({
                "method": method,
                "path": path,
                "query": {k: (v[0] if len(v) == 1 else v) for k, v in qmulti.items()},
                "headers": headers,
                "body": body,
                "raw_body": raw.decode("utf-8", "replace"),
                "status": status,
            })
        if server.verbose:
            sys.stderr.write("novita-sim: %s %s -> %d\n" % (method, path, status))
        extra = decision.headers if decision is not None else {}
        truncate = decision is not None and decision.truncate
        self._send(status, obj, extra, truncate)
        if is_hook:
            return
        self._responses += 1
        close_after = store.faults.snapshot()["close_after"]
        if close_after and self._responses >= close_after:
            # a silent close, as a server dropping an idle keep-alive connection does
            self.close_connection = True

    def _handle(self, method, path, qmulti, headers, body, body_err, raw, is_hook):
        server = self.server
        store = server.store
        try:
            if is_hook:
                route = server.sim_router.match(method, path)
            else:
                if not self._authorized(headers.get("authorization")):
                    raise unauthorized()
                route = server.api_router.match(method, path)
            if route is None:
                raise api_not_found()
            if body_err is not None and method != "GET" and not route.any_body:
                raise bad_param("invalid JSON body: %s" % body_err)
            query = {k: v[0] for k, v in qmulti.items()}
            req = Request(store, method, path, query, headers,
                          body if body_err is None else None, raw)
            with store.lock:
                result = route.handler(req)
        except ApiError as e:
            return e.status, e.body()
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return 500, ApiError(500, "UNKNOWN", "internal simulator error").body()
        if isinstance(result, Response):
            return result.status, result
        return 200, result

    # ---- response ----
    def _send(self, status, obj, extra_headers=None, truncate=False):
        content_type = "application/json"
        chunked = self.server.chunked or self.server.store.faults.snapshot()["chunked"]
        if isinstance(obj, Response):
            content_type = obj.content_type
            if obj.chunked is not None:
                chunked = obj.chunked
            obj = obj.body
        if obj is None:
            data = None                      # no body at all (204)
        elif isinstance(obj, (bytes, bytearray)):
            data = bytes(obj)
        else:
            data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        chunked = chunked and data is not None and self.request_version == "HTTP/1.1"
        self.send_response(status)
        if data is not None:
            self.send_header("Content-Type", content_type)
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif data is not None or status not in (204, 304) and not 100 <= status < 200:
            self.send_header("Content-Length", str(len(data or b"")))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD" or data is None:
            return
        if truncate:
            # half the body, then the connection goes away (the truncate fault)
            self.wfile.write(data[:len(data) // 2] if not chunked
                             else b"%x\r\n%s" % (len(data), data[:len(data) // 2]))
            self.wfile.flush()
            self.close_connection = True
            return
        if not chunked:
            self.wfile.write(data)
            return
        pos, k = 0, 0
        while pos < len(data):
            piece = data[pos:pos + CHUNK_SIZES[k % len(CHUNK_SIZES)]]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            pos += len(piece)
            k += 1
        self.wfile.write(b"0\r\n\r\n")


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="novita_sim.py",
        description="Local simulator of the Novita AI GPU cloud API (v1). "
                    "Prints 'PORT <n>' on stdout once listening.")
    ap.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=0, help="TCP port, 0 = ephemeral (default 0)")
    ap.add_argument("--port-file", metavar="PATH",
                    help="also write the port number to PATH (removed on clean exit)")
    ap.add_argument("--api-key", default="sim-key",
                    help="accepted bearer key (default sim-key)")
    ap.add_argument("--step-ms", type=int, default=1500,
                    help="duration of one lifecycle step in ms (default 1500)")
    ap.add_argument("--seed-instances", type=int, default=2,
                    help="pre-existing instances seed-0001.. (default 2)")
    ap.add_argument("--chunked", action="store_true",
                    help="send every response with Transfer-Encoding: chunked")
    ap.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate chain")
    ap.add_argument("--tls-key", metavar="PEM", help="private key for --tls-cert")
    ap.add_argument("--idle-timeout", type=float, default=30.0,
                    help="close idle keep-alive connections after N seconds (default 30)")
    ap.add_argument("--max-log", type=int, default=10000,
                    help="keep at most N entries in the request log (default 10000)")
    ap.add_argument("--close-after", type=int, default=0, metavar="N",
                    help="fault: close each connection silently after N responses")
    ap.add_argument("--rate-limit", type=int, default=0, metavar="K",
                    help="fault: answer the first K API requests 429 with Retry-After")
    ap.add_argument("--unavailable", type=int, default=0, metavar="K",
                    help="fault: answer the first K API requests 503 with Retry-After")
    ap.add_argument("--retry-after", default="1", metavar="V",
                    help="Retry-After of those faults: seconds, date:<seconds> or '' (default 1)")
    ap.add_argument("--delay-ms", type=int, default=0, metavar="D",
                    help="fault: wait D ms before answering each API request")
    ap.add_argument("--truncate", type=int, default=0, metavar="K",
                    help="fault: cut the first K API responses in half and close")
    ap.add_argument("--page-base", type=int, choices=(0, 1), default=1,
                    help="first pageNum/pageNo of paged lists: 1 (0 counts as 1, default) or 0")
    ap.add_argument("--verbose", action="store_true",
                    help="log requests (method, path, status; never headers) to stderr")
    args = ap.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        ap.error("--tls-cert and --tls-key go together")
    if args.step_ms < 0 or args.seed_instances < 0:
        ap.error("--step-ms and --seed-instances must be >= 0")
    try:
        validate_faults({"close_after": args.close_after, "rate_limit": args.rate_limit,
                         "unavailable": args.unavailable, "retry_after": args.retry_after,
                         "delay_ms": args.delay_ms, "truncate": args.truncate})
    except ApiError as e:
        ap.error(e.message)
    return args


def make_server(args):
    store = Store(Config(api_key=args.api_key, step_ms=args.step_ms,
                         seed_instances=args.seed_instances, max_log=args.max_log,
                         page_base=args.page_base,
                         faults={"close_after": args.close_after, "rate_limit": args.rate_limit,
                                 "unavailable": args.unavailable, "retry_after": args.retry_after,
                                 "delay_ms": args.delay_ms, "truncate": args.truncate},
                         scheme="https" if args.tls_cert else "http"),
                  RESOURCE_MODULES)
    api, sim = build_routers()
    cls = SimServer6 if ":" in args.host else SimServer
    server = cls((args.host, args.port), store, api, sim, chunked=args.chunked,
                 verbose=args.verbose, idle_timeout=args.idle_timeout)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certfile=args.tls_cert, keyfile=args.tls_key)
        # Lazy handshake: done in the connection thread, not in accept().
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    return server


def main(argv=None):
    args = parse_args(argv)
    server = make_server(args)
    # The handlers only set a flag that the main loop polls. Not threading.Event.set(): a signal that lands
    # while the main thread is re-acquiring the Event's lock inside Event.wait() makes set() wait for that
    # same lock, and the main thread deadlocks with itself (it hung one suite run here).
    stop = {"requested": False}

    def request_stop(*_):
        stop["requested"] = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    if hasattr(signal, "SIGUSR1"):  # where every thread is, for a test harness whose SIGTERM went unheeded
        faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="novita-sim", daemon=True)
    thread.start()
    sys.stdout.write("PORT %d\n" % port)
    sys.stdout.flush()
    while not stop["requested"]:
        time.sleep(0.2)
    server.shutdown()
    server.server_close()
    if args.port_file:
        try:
            os.remove(args.port_file)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

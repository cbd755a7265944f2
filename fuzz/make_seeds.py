#!/usr/bin/env python3
"""Regenerate the seed corpora and the dictionary of the fuzz targets (see docs/fuzzing.md).

Seeds come from two places:
  * the sample bodies in ../shared/novita-api/samples (override with --samples DIR);
  * bodies and whole HTTP responses captured from the simulator (tests/sim/novita_sim.py), once with
    Content-Length framing and once with --chunked.
Each seed carries the control bytes its target reads first (see the comment at the top of each target).
Files are named after what they hold; inputs the fuzzer finds later are named by their SHA-1.

Usage: python3 fuzz/make_seeds.py [--samples DIR] [--out fuzz]
(replaces the seed_* files and the dictionary; inputs the fuzzer found are kept)
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GPU = "/gpu-instance/openapi/v1"
BASIC = "/openapi/v1"

# Keys fuzz_json_models.c may treat as the list (same order as its list_keys[]).
LIST_KEYS = ["data", "instances", "template", "templates", "jobs", "networks", "network", "endpoints", "bills",
             "list"]

# sample file -> (model stem, list key or None)
SAMPLES = {
    "docs_create_template_response.json": ("template", None),
    "docs_get_template.json": ("template", None),
    "docs_list_network_storages.json": ("network_storage", "data"),
    "docs_list_repository_auths.json": ("registry_auth", "data"),
    "docs_list_templates.json": ("template", "template"),
    "docs_query_monthly_bill.json": ("monthly_bill", "data"),
    "observed_error_envelope_llm_api.json": ("instance", None),
    "ppio_docs_list_image_prewarm.json": ("prewarm_task", "data"),
    "sdk_test_image_prewarm_quota.json": ("prewarm_quota", None),
    "sdk_test_list_clusters.json": ("cluster", "data"),
    "sdk_test_list_cpu_products.json": ("cpu_product", "data"),
    "sdk_test_list_gpu_products.json": ("gpu_product", "data"),
    "sdk_test_list_instances.json": ("instance", "instances"),
    "sdk_test_list_jobs.json": ("job", "jobs"),
    "sdk_test_list_networks.json": ("network", "networks"),
}

# simulator capture name -> (path, model stem, list key or None)
CAPTURES = {
    "clusters": (GPU + "/clusters", "cluster", "data"),
    "gpu_products": (GPU + "/products", "gpu_product", "data"),
    "cpu_products": (GPU + "/cpu/products", "cpu_product", "data"),
    "instances": (GPU + "/gpu/instances?pageSize=3", "instance", "instances"),
    "instance": (GPU + "/gpu/instance?instanceId=seed-0001", "instance", None),
    "instance_cpu": (GPU + "/gpu/instance?instanceId=seed-0003", "instance", None),
    "instance_missing": (GPU + "/gpu/instance?instanceId=nope", "instance", None),
    "metrics": (BASIC + "/metrics/gpu/instance?instanceId=seed-0001", "instance_metrics", None),
    "jobs": (GPU + "/jobs", "job", "jobs"),
    "networks": (GPU + "/networks", "network", "networks"),
    "templates": (GPU + "/templates", "template", "template"),
    "storages": (GPU + "/networkstorages/list", "network_storage", "data"),
    "registry_auths": (GPU + "/repository/auths", "registry_auth", "data"),
    "prewarm": (GPU + "/image/prewarm", "prewarm_task", "data"),
    "prewarm_quota": (GPU + "/image/prewarm/quota", "prewarm_quota", None),
    "endpoints": (GPU + "/endpoints", "endpoint", "endpoints"),
    "endpoint_limits": (GPU + "/endpoint/limit", "endpoint_limits", None),
    "balance": (BASIC + "/billing/balance/detail", "balance", None),
    "usage_bills": (BASIC + "/billing/bill/list?cycleType=Day&productCategory=gpu", "usage_bill", "bills"),
    "fixed_term_bills": (BASIC + "/billing/bill/monthly/list", "fixed_term_bill", "bills"),
    "monthly_bills": (BASIC + "/billing/monthly/bill", "monthly_bill", "data"),
    "unauthorized": (GPU + "/clusters#nokey", "instance", None),
}


# ------------------------------------------------------------------ simulator


class Sim:
    def __init__(self, chunked):
        args = [sys.executable, os.path.join(ROOT, "tests/sim/novita_sim.py"), "--port", "0", "--step-ms", "0"]
        if chunked:
            args.append("--chunked")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            raise RuntimeError("simulator did not print PORT")
        self.port = int(line[1])

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def read_response(sock):
    """One whole HTTP response as sent (head and framed body), read off a kept-alive connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    headers = head.decode("latin-1").lower()
    m = re.search(r"\ncontent-length:\s*(\d+)", headers)
    body = rest
    if m:
        need = int(m.group(1))
        while len(body) < need:
            body += sock.recv(65536)
    elif "transfer-encoding: chunked" in headers:
        while not body.endswith(b"\r\n0\r\n\r\n") and body != b"0\r\n\r\n":
            body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def capture(sim, path):
    key = not path.endswith("#nokey")
    path = path.split("#")[0]
    req = "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: make_seeds\r\nAccept: application/json\r\n" % (
        path, sim.port)
    if key:
        req += "Authorization: Bearer sim-key\r\n"
    req += "\r\n"
    with socket.create_connection(("127.0.0.1", sim.port), timeout=10) as sock:
        sock.sendall(req.encode())
        return read_response(sock)


def body_of(response):
    head, _, body = response.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" not in head.lower():
        return body
    out, pos = b"", 0
    while True:
        eol = body.index(b"\r\n", pos)
        size = int(body[pos:eol].split(b";")[0], 16)
        pos = eol + 2
        if size == 0:
            return out
        out += body[pos:pos + size]
        pos += size + 2


# ------------------------------------------------------------------ framing


def with_length(body, status="200 OK", extra=""):
    return ("HTTP/1.1 %s\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n" % (
        status, extra, len(body))).encode() + body


def chunk(body, sizes=(7, 64, 1, 300), ext=True, trailer=True):
    """The chunked encoding of body (no head), with an extension and a trailer to reach those paths."""
    out, pos, i = b"", 0, 0
    while pos < len(body):
        n = sizes[i % len(sizes)]
        piece = body[pos:pos + n]
        out += b"%x%s\r\n" % (len(piece), b";name=value" if ext and i == 1 else b"") + piece + b"\r\n"
        pos += len(piece)
        i += 1
    out += b"0\r\n" + (b"X-Trailer: done\r\n" if trailer else b"") + b"\r\n"
    return out


def with_chunks(body, **kw):
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(body, **kw)


# ------------------------------------------------------------------ writing


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "seed_" + name), "wb") as f:
        f.write(data)


def json_seed(stem, key, body, tokens=0xFF, shape=0x13):
    """[stem]\n[tokens][list key][split seed][shape][cancel] + body; the list key is the one the body has."""
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        key = next((k for k, v in doc.items() if isinstance(v, list) and k in LIST_KEYS), key)
    keys = LIST_KEYS.index(key) if key in LIST_KEYS else 0
    return stem.encode() + b"\n" + bytes([tokens, keys, 0x5A, shape, 0]) + body


def field_keys():
    keys = set()
    for dirpath, _, files in os.walk(os.path.join(ROOT, "src/api")):
        for name in files:
            if name.endswith(".c"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    keys.update(re.findall(r'NOVITA_F_[A-Z_0-9]+\(\s*\w+\s*,\s*"([^"]+)"', f.read()))
    return sorted(keys)


HTTP_TOKENS = [
    "HTTP/1.1 ", "HTTP/1.0 ", " 200 OK", " 100 Continue", " 204 No Content", " 304 ", " 429 ", " 503 ",
    "\r\n", "\r\n\r\n", "Content-Length: ", "content-length:", "Transfer-Encoding: chunked",
    "Connection: close", "Connection: keep-alive", "Retry-After: ", "Content-Type: application/json",
    "0\r\n\r\n", ";ext=1", "X-Trailer: v\r\n", "ffffffff", "7fffffff", "18446744073709551616",
    "\0NEXT\0",  # fuzz_client's separator between answers
    "Date: ", "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    "Feb 29", " GMT",
]
JSON_TOKENS = [
    "{", "}", "[", "]", ":", ",", '"', "true", "false", "null", "\\u0000", "\\ud83d\\ude00", "\\udc00",
    '\\"', "1e5", "1e-3", "E+2", "-0", "0.5", "12.000", "9223372036854775807", "-9223372036854775808", '""',
]


def dict_escape(text):
    """A dictionary value as libFuzzer reads it: printable ASCII; backslash, quote and other bytes escaped."""
    out = ""
    for ch in text.encode("utf-8"):
        c = chr(ch)
        if c in '\\"':
            out += "\\" + c
        elif 0x20 <= ch < 0x7F:
            out += c
        else:
            out += "\\x%02X" % ch
    return out


def write_dict(path):
    lines = ["# libFuzzer dictionary for every target: HTTP framing, JSON syntax, and the JSON keys of",
             "# the model tables in src/api/. Regenerated by fuzz/make_seeds.py."]
    entries = [("http_%d" % i, tok) for i, tok in enumerate(HTTP_TOKENS)]
    entries += [("json_%d" % i, tok) for i, tok in enumerate(JSON_TOKENS)]
    keys = field_keys() + LIST_KEYS + ["total", "message", "reason", "code", "error", "price", "ok", "state"]
    entries += [("key_" + re.sub(r"\W", "_", key), '"%s"' % key) for key in dict.fromkeys(keys)]
    for name, value in entries:
        lines.append('%s="%s"' % (name, dict_escape(value)))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", default=os.path.join(ROOT, "..", "shared", "novita-api", "samples"))
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()
    corpus = os.path.join(args.out, "corpus")
    http_dir, chunk_dir = os.path.join(corpus, "fuzz_http_response"), os.path.join(corpus, "fuzz_chunked")
    json_dir, client_dir = os.path.join(corpus, "fuzz_json_models"), os.path.join(corpus, "fuzz_client")

    for d in (http_dir, chunk_dir, json_dir, client_dir):  # drop seeds of a previous run, keep found inputs
        if os.path.isdir(d):
            for name in os.listdir(d):
                if name.startswith("seed_"):
                    os.remove(os.path.join(d, name))

    # control bytes: [split seed][piece class][sink mode][sink limit] / [seed][class][head]
    http_ctl = [bytes([1, 0, 2, 0]), bytes([7, 6, 0, 0]), bytes([3, 4, 1, 0]), bytes([9, 2, 3, 40])]

    # sample bodies
    samples = {}
    for name in sorted(os.listdir(args.samples)):
        if name in SAMPLES:
            with open(os.path.join(args.samples, name), "rb") as f:
                samples[name[:-5]] = (f.read(), ) + SAMPLES[name]
    for i, (name, (body, stem, key)) in enumerate(sorted(samples.items())):
        write(json_dir, "sample_" + name, json_seed(stem, key, body))
        write(http_dir, "sample_cl_" + name, http_ctl[i % 4] + with_length(body))
        write(http_dir, "sample_chunked_" + name, http_ctl[(i + 1) % 4] + with_chunks(body))
        write(chunk_dir, "sample_" + name, bytes([i, i % 11, i % 2]) + chunk(body))
    # token exhaustion and a cancelled list, on the biggest list sample
    body, stem, key = samples["sdk_test_list_instances"]
    write(json_dir, "few_tokens_instances", json_seed(stem, key, body, tokens=20))
    write(json_dir, "cancel_instances", json_seed(stem, key, body)[:-len(body) - 1] + b"\x01" + body)

    # hand-made bodies for paths the samples never take: null arrays, a single object where a list is
    # documented, exponents and fractions in decimals, escapes and surrogate pairs, numbers as strings
    write(json_dir, "edge_instance", json_seed("instance", None, json.dumps({
        "instance": {"id": "i\u00e9\ud83d\ude00", "name": "a\\\"b\n", "status": "someFutureStatus",
                     "cpuNum": "8", "memory": 64.0, "gpuNum": "", "portMappings": None,
                     "envs": {"key": "K", "value": "V"}, "node": [{"maxRootfsSize": "500"}],
                     "volumeMounts": [], "jobs": [{"jobId": 1}], "endTime": "-1", "futureFlag": True}}).encode()))
    write(json_dir, "edge_metrics", json_seed("instance_metrics", None, json.dumps({
        "cpu": [{"timestamp": "1700000000", "value": "1.5e-2"}, {"timestamp": 1, "value": 12.3456}],
        "memory": [{"timestamp": 2, "value": "-7E+2"}], "rootDisk": None,
        "gpu": {"avg": [{"timestamp": 3, "value": 0.0005}], "gpus": [{"gpuId": "0", "items": []}]}}).encode()))
    write(json_dir, "edge_bare_list", json_seed("gpu_product", "list", json.dumps([
        {"id": "p", "regions": None, "billingMethods": ["onDemand", "spot"], "monthlyPrice": {"month": 1}},
        7, "x", [], {"id": "q"}]).encode()))

    # simulator captures, both framings
    captured = {}
    for chunked in (False, True):
        sim = Sim(chunked)
        try:
            for name, (path, stem, key) in CAPTURES.items():
                captured[(name, chunked)] = capture(sim, path)
        finally:
            sim.close()
    for i, ((name, chunked), response) in enumerate(sorted(captured.items())):
        path, stem, key = CAPTURES[name]
        tag = ("chunked_" if chunked else "cl_") + name
        write(http_dir, "sim_" + tag, http_ctl[i % 4] + response)
        if chunked:
            write(chunk_dir, "sim_" + name, bytes([i, i % 11, 0]) + response.partition(b"\r\n\r\n")[2])
        else:
            write(json_dir, "sim_" + name, json_seed(stem, key, body_of(response)))

    # hand-made HTTP shapes: interim 1xx, empty bodies, read-until-close, retry hints, pipelining
    ok = b'{"data":[]}'
    write(http_dir, "interim_100", http_ctl[0] + b"HTTP/1.1 100 Continue\r\n\r\n" + with_length(ok))
    write(http_dir, "no_content_pipelined", http_ctl[1] + b"HTTP/1.1 204 No Content\r\n\r\n" + with_length(ok)
          + with_chunks(ok, trailer=False))
    write(http_dir, "until_close_10", http_ctl[2] + b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n" + ok)
    write(http_dir, "retry_after_429", http_ctl[3] + with_length(b'{"code":429}', "429 Too Many Requests",
                                                                 "Retry-After: 7\r\nConnection: close\r\n"))
    for i, (date, later) in enumerate((("Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:50:07 GMT"),
                                       ("Sunday, 06-Nov-94 08:49:37 GMT", "Monday, 07-Nov-94 08:49:37 GMT"),
                                       ("Sun Nov  6 08:49:37 1994", "Tue Feb 29 00:00:00 2028"))):
        extra = "Date: %s\r\nRetry-After: %s\r\n" % (date, later)
        write(http_dir, "retry_after_date_%d" % i, http_ctl[i] + with_length(b'{}', "503 Service Unavailable", extra))

    # hostile sizes: a header line and a header block past NOVITA_MAX_HEADER_BYTES (8192), and a chunk-size
    # line as long (these need inputs longer than the fuzzer grows on its own in a short run)
    write(http_dir, "huge_header_line", http_ctl[0] + b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n")
    write(http_dir, "endless_headers", http_ctl[1] + b"HTTP/1.1 200 OK\r\n" + b"X-Many: 1234567890\r\n" * 450)
    write(chunk_dir, "huge_chunk_extension", bytes([0, 0, 0]) + b"5;" + b"e" * 9000 + b"\r\nhello\r\n0\r\n\r\n")

    # whole client runs: [ops][seed][class][faults][buffers] + what the server sends
    def sim_resp(name, chunked=False):
        return captured[(name, chunked)]
    unavailable = with_length(b'{"code":503,"reason":"UNAVAILABLE","message":"try later"}',
                              "503 Service Unavailable", "Retry-After: 1\r\n")
    sep = b"\0NEXT\0"  # fuzz_client: separates the server's answers to successive requests
    half_list = sim_resp("instances")[:len(sim_resp("instances")) // 2]
    client = {
        "instances_list_get": (0x00, 0x20, 0x0F, sim_resp("instances") + sep + sim_resp("instance")),
        "instances_list_get_chunked": (0x00, 0x00, 0x0F,
                                       sim_resp("instances", True) + sep + sim_resp("instance", True)),
        "get_first_then_list": (0x10, 0x00, 0x0F, sim_resp("instance") + sep + sim_resp("instances")),
        "instances_all_pages_metrics": (0x09, 0x00, 0x0F, sim_resp("instances") + sep + sim_resp("metrics")),
        "gpu_products": (0x0E, 0x20, 0x0F, sim_resp("gpu_products", True)),
        "clusters_small_buffers": (0x0F, 0x00, 0x00, sim_resp("clusters")),
        "retry_503_then_list": (0x00, 0x01, 0x0F,
                                unavailable + sep + sim_resp("instances") + sep + sim_resp("instance")),
        "cut_then_retry_silent": (0x00, 0x06, 0x0F,
                                  half_list + sep + sim_resp("instances") + sep + sim_resp("instance")),
        "not_found_unauthorized": (0x14, 0x00, 0x0F, sim_resp("instance_missing") + sep + sim_resp("unauthorized")),
        "unsolicited_bytes": (0x00, 0x00, 0x0F, sim_resp("instances") + b"HTTP/1.1 200 OK\r\n" + sep
                              + sim_resp("instance")),
    }
    for i, (name, (ops, faults, buffers, stream)) in enumerate(sorted(client.items())):
        write(client_dir, name, bytes([ops, i, 6 + i % 5, faults, buffers]) + stream)

    write_dict(os.path.join(args.out, "novita.dict"))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Tiny line-based test server for the port tests (stdlib only).

Listens on 127.0.0.1, prints "PORT <n>" on stdout once listening, serves each connection in a thread.
TLS unless --plain. Protocol, one command per line ("\\n"-terminated):

  ECHO <text>          -> "<text>\\n"
  DELAY <ms> <text>    -> waits <ms>, then "<text>\\n"
  BIG <n>              -> n bytes: byte i is ord('a') + i % 26
  CLOSE                -> orderly close (TLS: close_notify first)
  DROP                 -> TCP close without TLS close_notify
  STALL                -> stops reading for 20 s (the client's sends eventually time out), then closes
  GET/POST/... HTTP/1.1 request line -> reads the headers, answers a minimal HTTP/1.1 200 and closes
  anything else        -> ignored (no answer), so a silent peer is simply one that sends nothing

The process exits by itself after --lifetime seconds so a crashed test run leaves nothing behind.
"""
import argparse
import os
import socket
import ssl
import sys
import threading
import time


def read_line(conn, buf):
    """Return (line_without_newline or None on EOF, remaining_buffer)."""
    while b"\n" not in buf:
        data = conn.recv(4096)
        if not data:
            return None, buf
        buf += data
        if len(buf) > 65536:
            return None, b""
    line, _, rest = buf.partition(b"\n")
    return line.rstrip(b"\r"), rest


def handle(conn, is_tls):
    buf = b""
    try:
        conn.settimeout(30)
        while True:
            line, buf = read_line(conn, buf)
            if line is None:
                return
            cmd, _, arg = line.partition(b" ")
            if cmd == b"ECHO":
                conn.sendall(arg + b"\n")
            elif cmd == b"DELAY":
                ms, _, text = arg.partition(b" ")
                time.sleep(int(ms) / 1000.0)
                conn.sendall(text + b"\n")
            elif cmd == b"BIG":
                n = int(arg)
                pattern = bytes(ord("a") + i for i in range(26)) * 2600  # 67600 bytes, multiple of 26
                sent = 0
                while sent < n:
                    chunk = pattern[: min(len(pattern), n - sent)]
                    conn.sendall(chunk)
                    sent += len(chunk)
            elif cmd == b"CLOSE":
                if is_tls:
                    conn = conn.unwrap()  # sends close_notify (and waits for the peer's, or EOF)
                conn.shutdown(socket.SHUT_RDWR)
                return
            elif cmd == b"STALL":
                time.sleep(20)
                return
            elif cmd == b"DROP":
                conn.shutdown(socket.SHUT_RDWR)  # no TLS close_notify
                return
            elif arg.endswith(b"HTTP/1.1") or arg.endswith(b"HTTP/1.0"):
                while True:  # skip the request headers
                    hdr, buf = read_line(conn, buf)
                    if hdr is None or hdr == b"":
                        break
                body = b"hello\n"
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                             b"Connection: close\r\n\r\n%s" % (len(body), body))
                return
            # unknown command: say nothing
    except (OSError, ValueError) as e:  # ssl.SSLError is an OSError: failed handshakes end up here
        if os.environ.get("TLS_SERVER_VERBOSE"):
            sys.stderr.write("tls_server: %s\n" % e)
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cert", help="PEM certificate (TLS mode)")
    ap.add_argument("--key", help="PEM private key (TLS mode)")
    ap.add_argument("--port", type=int, default=0, help="TCP port, 0 = any free port (default)")
    ap.add_argument("--plain", action="store_true", help="no TLS")
    ap.add_argument("--lifetime", type=float, default=300.0, help="exit after this many seconds (default 300)")
    args = ap.parse_args()
    if not args.plain and not (args.cert and args.key):
        ap.error("--cert and --key are required unless --plain")

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(64)
    if not args.plain:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certfile=args.cert, keyfile=args.key)
        # handshake lazily in the connection thread, not in accept()
        sock = ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)

    timer = threading.Timer(args.lifetime, lambda: os._exit(0))
    timer.daemon = True
    timer.start()

    print("PORT %d" % sock.getsockname()[1], flush=True)
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            continue
        threading.Thread(target=handle, args=(conn, not args.plain), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass

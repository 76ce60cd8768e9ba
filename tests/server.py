#!/usr/bin/env python3
"""A scriptable HTTP/1.1 server on 127.0.0.1 for the network tests.

    python3 tests/server.py --port-file P [--log L] [--routes R.json]
                            [--root DIR] [--max-life SECONDS]
                            [--tls-cert CRT --tls-key KEY]

It binds a free port on 127.0.0.1, writes the number to P (atomically), logs
every request as one JSON line to L -- {"n", "t", "conn", "active", "method",
"path", "headers": {lowercased name: value}} where conn numbers the TCP
connection and active counts the requests being served at that moment
(among those with the same batch= query parameter, when there is one;
a request stops counting once its answer is about to be sent) -- and
exits when its parent process dies, on SIGTERM, or after --max-life seconds.
With --tls-cert and --tls-key it speaks HTTPS (HTTP/1.1 over TLS) instead.

Behaviour comes from the path (query parameters in brackets):

  /feed                  a small RSS feed  [items=N]
  /status/CODE           that status with a one-line body
  /redirect/C1,C2/REST   redirect with C1 to /redirect/C2/REST, ..., then /REST
  /to                    redirect to any URL  [url=U, code=302]
  /loop/a, /loop/b       302 to each other
  /drip                  Content-Length N, then R bytes per second  [bytes=N, rate=R]
  /stall                 headers and B bytes, then silence  [bytes=B]
  /endless               a chunked body that never ends
  /huge                  N bytes  [size=N, chunked=1]
  /bomb                  N zero bytes, compressed  [size=N, enc=gzip|deflate]
  /changing              a feed whose version goes up every K requests,
                         ETag "vN", 304 when If-None-Match is current
                         [every=K, items=N (2), text=T: the headline's
                         words after "Dispatch V.I: "]
  /echo                  the request headers as a JSON object
  /file/NAME             the file NAME under --root

and, on any route:

  status=N               override the status
  h=Name:Value           add a response header (repeatable)
  etag=E                 send ETag E; answer 304 when If-None-Match is E
  lm=DATE                send Last-Modified DATE; 304 when If-Modified-Since is DATE
  ct=TYPE                Content-Type (default application/rss+xml; charset=utf-8)
  delay=MS               wait before answering
  enc=gzip|deflate       compress the body and say so in Content-Encoding

A --routes JSON file maps exact paths to fixed answers and is looked up
first: {"/x": {"status": 200, "headers": {"ETag": "\\"1\\""},
"body": "..." | "body_file": "name relative to --root"}}. It is read again
whenever it changes, so a test can change a feed between two polls by
rewriting it (write a temporary file and rename it over the old one).
"""

import argparse
import http.server
import json
import os
import signal
import socket
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse
import zlib

LOCK = threading.Lock()
STATE = {"n": 0, "conn": 0, "active": {}, "hits": {}}
LOG = None
ROUTES = {}
ROOT = "."
BOMBS = {}

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>Loopback Wire</title>
<link>http://127.0.0.1/</link>
<description>Test feed served by tests/server.py</description>
{items}</channel>
</rss>
"""
ITEM = """<item>
<title>Dispatch {v}.{i}: {text}</title>
<link>http://127.0.0.1/story/{v}/{i}</link>
<guid>http://127.0.0.1/story/{v}/{i}</guid>
<description>Report number {i} of version {v}.</description>
</item>
"""


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def feed(items, version=0, text="ministers meet in Minsk"):
    return FEED.format(items="".join(
        ITEM.format(v=version, i=i, text=esc(text))
        for i in range(items))).encode()


def compress(data, enc):
    if enc == "gzip":
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
    elif enc == "deflate":
        c = zlib.compressobj(9, zlib.DEFLATED, 15)
    else:
        return None
    return c.compress(data) + c.flush()


def bomb(size, enc):
    """size zero bytes compressed, built in pieces and cached."""
    key = (size, enc)
    if key not in BOMBS:
        c = zlib.compressobj(9, zlib.DEFLATED, 31 if enc == "gzip" else 15)
        block = bytes(1 << 20)
        out, left = [], size
        while left > 0:
            n = min(left, len(block))
            out.append(c.compress(block[:n]))
            left -= n
        out.append(c.flush())
        BOMBS[key] = b"".join(out)
    return BOMBS[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "wirewatch-test/1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle
        # and delayed ACKs add 40 ms to every keep-alive response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()
        with LOCK:
            STATE["conn"] += 1
            self.conn_id = STATE["conn"]

    # One entry point for every method: the tests only need GET and HEAD.
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.batch = q.get("batch", [""])[0]
        with LOCK:
            STATE["n"] += 1
            active = STATE["active"][self.batch] = STATE["active"].get(self.batch, 0) + 1
            self.active_counted = True
            entry = {
                "n": STATE["n"], "t": round(time.time(), 3),
                "conn": self.conn_id, "active": active,
                "method": self.command, "path": self.path,
                "headers": {},
            }
            for k, v in self.headers.items():
                k = k.lower()
                h = entry["headers"]
                h[k] = h[k] + ", " + v if k in h else v
            if LOG is not None:
                LOG.write(json.dumps(entry) + "\n")
                LOG.flush()
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        finally:
            self.done()

    do_HEAD = do_GET
    do_POST = do_GET

    def done(self):
        """Stop counting this request as active (before its last bytes go out)."""
        if getattr(self, "active_counted", False):
            with LOCK:
                STATE["active"][self.batch] -= 1
            self.active_counted = False

    def send(self, status, body=b"", headers=None, ctype=None):
        q = self.q
        status = int(q.get("status", [status])[0])
        hdrs = dict(headers or {})
        hdrs.setdefault("Content-Type",
                        ctype or q.get("ct", ["application/rss+xml; charset=utf-8"])[0])
        etag = q.get("etag", [None])[0]
        lm = q.get("lm", [None])[0]
        if etag is not None:
            hdrs["ETag"] = etag
        if lm is not None:
            hdrs["Last-Modified"] = lm
        if status == 200 and (
                (etag is not None and self.headers.get("If-None-Match") == etag) or
                (lm is not None and etag is None and
                 self.headers.get("If-Modified-Since") == lm)):
            status, body = 304, b""
        for h in q.get("h", []):
            name, _, value = h.partition(":")
            hdrs[name.strip()] = value.strip()
        enc = q.get("enc", [None])[0]
        if enc and body and status != 304 and "Content-Encoding" not in hdrs:
            z = compress(body, enc)
            if z is None:
                status, body, enc = 501, b"unknown encoding\n", None
            else:
                body = z
                hdrs["Content-Encoding"] = enc
        self.delay()
        self.done()
        self.send_response(status)
        for k, v in hdrs.items():
            self.send_header(k, v)
        if status != 304 and status >= 200:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)

    def delay(self):
        ms = int(self.q.get("delay", ["0"])[0])
        if ms > 0:
            time.sleep(ms / 1000.0)

    def redirect(self, code, location):
        self.send(code, b"moved\n", {"Location": location}, "text/plain")

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        self.q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        path = u.path
        query = "?" + u.query if u.query else ""
        routes = load_routes()
        if path in routes:
            return self.fixed(routes[path])
        parts = path.strip("/").split("/")
        name = parts[0]
        with LOCK:
            hits = STATE["hits"][path] = STATE["hits"].get(path, 0) + 1
        if name == "feed":
            return self.send(200, feed(int(self.q.get("items", ["3"])[0])))
        if name == "status" and len(parts) == 2:
            return self.send(int(parts[1]), ("status %s\n" % parts[1]).encode(),
                             ctype="text/plain")
        if name == "redirect" and len(parts) >= 3:
            codes = parts[1].split(",")
            rest = "/".join(parts[2:])
            if len(codes) > 1:
                target = "/redirect/%s/%s" % (",".join(codes[1:]), rest)
            else:
                target = "/" + rest
            return self.redirect(int(codes[0]), target + query)
        if name == "to":
            return self.redirect(int(self.q.get("code", ["302"])[0]),
                                 self.q.get("url", ["/feed"])[0])
        if name == "loop":
            other = "b" if parts[-1] == "a" else "a"
            return self.redirect(302, "/loop/" + other)
        if name == "drip":
            return self.drip(int(self.q.get("bytes", ["1000"])[0]),
                             float(self.q.get("rate", ["2"])[0]))
        if name == "stall":
            return self.stall(int(self.q.get("bytes", ["10"])[0]))
        if name == "endless":
            return self.chunked(None)
        if name == "huge":
            size = int(self.q.get("size", ["1000000"])[0])
            if self.q.get("chunked", ["0"])[0] == "1":
                return self.chunked(size)
            return self.send(200, b"x" * size, ctype="text/plain")
        if name == "bomb":
            enc = self.q.get("enc", ["gzip"])[0]
            body = bomb(int(self.q.get("size", ["33554432"])[0]), enc)
            return self.send(200, body, {"Content-Encoding": enc})
        if name == "changing":
            every = max(1, int(self.q.get("every", ["2"])[0]))
            v = (hits - 1) // every
            etag = '"v%d"' % v
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, b"", {"ETag": etag})
            return self.send(200, feed(int(self.q.get("items", ["2"])[0]), v,
                                        self.q.get("text", ["ministers meet in Minsk"])[0]),
                             {"ETag": etag})
        if name == "echo":
            body = json.dumps({k.lower(): v for k, v in self.headers.items()})
            return self.send(200, body.encode() + b"\n", ctype="application/json")
        if name == "file" and len(parts) >= 2:
            return self.file("/".join(parts[1:]))
        return self.send(404, b"no such route\n", ctype="text/plain")

    def fixed(self, r):
        body = r.get("body", "").encode()
        if "body_file" in r:
            with open(os.path.join(ROOT, r["body_file"]), "rb") as f:
                body = f.read()
        return self.send(int(r.get("status", 200)), body, r.get("headers", {}),
                         r.get("headers", {}).get("Content-Type"))

    def file(self, name):
        full = os.path.realpath(os.path.join(ROOT, name))
        if not full.startswith(os.path.realpath(ROOT) + os.sep) or not os.path.isfile(full):
            return self.send(404, b"no such file\n", ctype="text/plain")
        with open(full, "rb") as f:
            return self.send(200, f.read())

    def head(self, extra):
        self.delay()
        self.done()
        self.send_response(int(self.q.get("status", ["200"])[0]))
        self.send_header("Content-Type", "application/rss+xml")
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()

    def drip(self, n, rate):
        """n bytes at rate bytes per second, in pieces about 0.1 s apart."""
        self.head({"Content-Length": str(n)})
        piece = max(1, int(rate / 10))
        start, sent = time.monotonic(), 0
        while sent < n:
            k = min(piece, n - sent)
            self.wfile.write(b"x" * k)
            self.wfile.flush()
            sent += k
            # Sleep to the schedule, not per write, so load does not slow it.
            time.sleep(max(0.0, start + sent / rate - time.monotonic()))

    def stall(self, n):
        self.head({"Content-Length": str(n + 1000000)})
        self.wfile.write(b"<" * n)
        self.wfile.flush()
        # Keep the connection open and silent until the client gives up.
        self.connection.settimeout(60)
        try:
            while self.connection.recv(4096):
                pass
        except OSError:
            pass
        self.close_connection = True

    def chunked(self, size):
        self.head({"Transfer-Encoding": "chunked"})
        piece = b"<item>filler</item>\n" * 800
        left = size
        while left is None or left > 0:
            n = len(piece) if left is None else min(left, len(piece))
            self.wfile.write(b"%x\r\n" % n + piece[:n] + b"\r\n")
            if left is not None:
                left -= n
        self.wfile.write(b"0\r\n\r\n")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        # Clients that hang up (aborted transfers) are part of the tests.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


ROUTES_FILE = {"path": None, "mtime": None}


def load_routes():
    """The routes file, read again when its modification time changes."""
    global ROUTES
    path = ROUTES_FILE["path"]
    if path is None:
        return ROUTES
    with LOCK:
        try:
            st = os.stat(path)
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            if stamp != ROUTES_FILE["mtime"]:
                with open(path) as f:
                    ROUTES = json.load(f)
                ROUTES_FILE["mtime"] = stamp
        except (OSError, ValueError) as e:
            sys.stderr.write("server.py: routes: %s\n" % e)
        return ROUTES


def watchdog(parent, max_life):
    end = time.monotonic() + max_life
    while time.monotonic() < end and os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


def main():
    global LOG, ROOT
    ap = argparse.ArgumentParser(description="loopback HTTP server for tests")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--routes")
    ap.add_argument("--root", default=".")
    ap.add_argument("--max-life", type=float, default=120)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    a = ap.parse_args()
    ROOT = a.root
    if a.routes:
        ROUTES_FILE["path"] = a.routes
        load_routes()
    if a.log:
        LOG = open(a.log, "a")
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    srv = Server(("127.0.0.1", 0), Handler)
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        ctx.set_alpn_protocols(["http/1.1"])
        # The handshake runs in the request's thread (Handler.setup).
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=False)
    threading.Thread(target=watchdog, args=(os.getppid(), a.max_life),
                     daemon=True).start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    srv.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    sys.exit(main())

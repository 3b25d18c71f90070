"""A small HTTP proxy on 127.0.0.1 in front of a DAV server that a test can make misbehave.

``FaultyProxy(upstream)`` forwards every request as is (``ok``). :meth:`FaultyProxy.fail`
switches it to answer ``500`` to every request, to ``hang`` (read the request, answer nothing
until the test moves on: the client times out), to ``lost`` (pass the request on, then answer
nothing: the server did it, the client never hears so), or to ``empty`` (a listing, PROPFIND
Depth 1 or REPORT, answers an empty 207 multistatus: a server that lost the collection's
contents). ``after_writes=N`` lets the first N writes (PUT, DELETE) through before the fault
starts: a server that dies in the middle of a run. :meth:`FaultyProxy.heal` goes back to ``ok``.
"""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

EMPTY_MULTISTATUS = b'<?xml version="1.0" encoding="utf-8"?>\n<multistatus xmlns="DAV:"/>\n'
WRITES = ("PUT", "DELETE")
MODES = ("ok", "500", "hang", "lost", "empty")


class FaultyProxy:
    """The proxy's server thread and its current fault; ``url`` is ``http://127.0.0.1:PORT``."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.mode = "ok"
        self.writes_left: int | None = None  # writes let through before the fault starts
        self.lock = threading.Lock()
        self.released = threading.Event()  # set: hanging requests give up
        self.upstream_session = requests.Session()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def fail(self, mode: str, after_writes: int | None = None) -> None:
        assert mode in MODES, mode
        with self.lock:
            self.released.clear()
            self.mode, self.writes_left = mode, after_writes

    def heal(self) -> None:
        with self.lock:
            self.mode, self.writes_left = "ok", None
            self.released.set()

    def close(self) -> None:
        self.heal()
        self.server.shutdown()
        self.server.server_close()
        self.upstream_session.close()

    def fault_for(self, method: str) -> str:
        """The fault this request meets (``ok`` for none); counts the writes let through."""
        with self.lock:
            if self.mode == "ok":
                return "ok"
            if self.writes_left is None:
                return self.mode
            if method in WRITES:
                if self.writes_left > 0:
                    self.writes_left -= 1
                    return "ok"
                self.writes_left = None  # the server is gone from now on
                return self.mode
            return "ok"

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        return self.upstream_session.request(
            method, self.upstream + path, data=body, headers=headers, timeout=30
        )


def _handler(proxy: FaultyProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
            return

        def handle_any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            fault = proxy.fault_for(self.command)
            if fault == "500":
                self.answer(500, b"Internal Server Error", {"Content-Type": "text/plain"})
                return
            if fault == "hang":
                proxy.released.wait(60)
                self.close_connection = True
                return
            listing = self.command == "REPORT" or (
                self.command == "PROPFIND" and self.headers.get("Depth") == "1"
            )
            if fault == "empty" and listing:
                self.answer(207, EMPTY_MULTISTATUS, {"Content-Type": "application/xml"})
                return
            skip = {"host", "content-length", "connection", "accept-encoding"}
            headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
            r = proxy.forward(self.command, self.path, headers, body)
            if fault == "lost":
                proxy.released.wait(60)
                self.close_connection = True
                return
            keep = ("content-type", "etag", "location", "www-authenticate", "dav")
            self.answer(
                r.status_code,
                r.content,
                {k: v for k, v in r.headers.items() if k.lower() in keep},
            )

        def answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            with contextlib.suppress(OSError):  # the client gave up (timed out, was killed)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

    methods = ("GET", "HEAD", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "REPORT", "OPTIONS")
    for method in (*methods, "MKCOL"):
        setattr(Handler, f"do_{method}", Handler.handle_any)
    return Handler

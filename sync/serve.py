"""`netweave serve`: a read-only calendar feed (text/calendar) of the last synced plan.

Calendar apps subscribe to ``webcal://HOST:PORT/TOKEN/netweave.ics``. The token is a random,
unguessable string (``secrets.token_urlsafe``) kept in a mode-0600 file beside the state; any
other path answers 404 (the token is compared in constant time), so the feed is only readable by
whoever holds the URL. The server binds to 127.0.0.1 unless told otherwise.

Each request re-reads the state, so every new ``netweave sync`` is served without a restart;
``ETag`` (a hash of the body) and ``Last-Modified`` (the last sync's end) let clients poll
cheaply (``304 Not Modified``). With ``[export] private = false`` the feed carries the neutral,
confidential view of each event (no names, goals or agendas).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from sync.config import Config

log = logging.getLogger("netweave.serve")

FEED_NAME = "netweave.ics"
LOOPBACK = ("127.0.0.1", "::1", "localhost")


# --------------------------------------------------------------------------- the token


def token_path(config: Config) -> Path:
    """Where the feed token lives: beside the state file (``state.feed-token``)."""
    return config.state.resolved().with_suffix(".feed-token")


def feed_token(config: Config, *, renew: bool = False) -> str:
    """The feed's secret token: read it, or create it (mode 0600) on first use or ``renew``."""
    path = token_path(config)
    if not renew:
        try:
            token = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            token = ""
        if len(token) >= 32:
            return token
    token = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (token + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return token


# --------------------------------------------------------------------------- the feed


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime | None
    events: int


def current_feed(config: Config) -> Feed:
    """The agenda of the last synced plan, as the export would write it (fresh from the state)."""
    from sync.engine import last_plan, view_for
    from sync.export import calendar_to_ical
    from sync.state import State

    path = config.state.resolved()
    events = []
    seqs: dict[str, int] = {}
    modified: datetime | None = None
    if path.exists():
        with State(path) as state:
            events = last_plan(state)
            for row in state.all_owned():
                seqs[row.nid] = max(seqs.get(row.nid, 0), row.sequence)
            run = state.last_run()
        if run and isinstance(run.get("finished"), str):
            try:
                modified = datetime.fromisoformat(str(run["finished"])).astimezone(UTC)
            except ValueError:
                modified = None
    shown = [view_for(config, not config.export.private, e) for e in events]
    body = calendar_to_ical(shown, config.tz, config.export.calendar_name, seqs)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Feed(body, etag, modified.replace(microsecond=0) if modified else None, len(shown))


# --------------------------------------------------------------------------- HTTP


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], config: Config, token: str) -> None:
        self.config = config
        self.token = token
        self.lock = threading.Lock()  # one state read at a time
        super().__init__(address, FeedHandler)

    def feed_path(self) -> str:
        return f"/{self.token}/{FEED_NAME}"


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer
    server_version = "netweave"
    sys_version = ""

    def _authorised(self) -> bool:
        path = urlsplit(self.path).path
        want = self.server.feed_path().encode("utf-8")
        # Constant time over the whole path: no early exit on the first wrong character.
        return hmac.compare_digest(path.encode("utf-8", "surrogateescape"), want)

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def _refuse(self, code: int, allow: bool = False) -> None:
        self.send_response(code)
        if allow:
            self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802
        self._refuse(404 if not self._authorised() else 405, allow=True)

    do_PUT = do_DELETE = do_PATCH = do_POST  # noqa: N815

    def _serve(self, send_body: bool) -> None:
        if not self._authorised():
            self._refuse(404)
            return
        try:
            with self.server.lock:
                feed = current_feed(self.server.config)
        except Exception as e:  # the state is being replaced, or unreadable: say so, keep serving
            log.warning("cannot read the plan: %s", e)
            self.send_response(503)
            self.send_header("Retry-After", "30")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self._not_modified(feed):
            self.send_response(304)
            self._headers(feed)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Disposition", f'inline; filename="{FEED_NAME}"')
        self.send_header("Content-Length", str(len(feed.body)))
        self._headers(feed)
        self.end_headers()
        if send_body:
            self.wfile.write(feed.body)

    def _headers(self, feed: Feed) -> None:
        self.send_header("ETag", feed.etag)
        if feed.last_modified is not None:
            self.send_header("Last-Modified", format_datetime(feed.last_modified, usegmt=True))
        self.send_header("Cache-Control", "private, no-cache")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")

    def _not_modified(self, feed: Feed) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            return feed.etag in tags or "*" in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and feed.last_modified is not None:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return feed.last_modified <= since
        return False

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        # Never log the token: the request line carries it.
        text = format % args
        text = text.replace(self.server.token, "<token>")
        log.info("%s %s", self.address_string(), text)


def make_server(config: Config, host: str, port: int, *, renew: bool = False) -> FeedServer:
    """A bound (not yet serving) feed server; ``port`` 0 picks a free port."""
    token = feed_token(config, renew=renew)
    return FeedServer((host, port), config, token)


def feed_urls(server: FeedServer) -> tuple[str, str]:
    """(webcal URL, http URL) of the feed. A server on every address (0.0.0.0, ::) is named by
    this machine's host name, the name other machines reach it by."""
    host, port = server.server_address[:2]
    h = str(host)
    if is_wildcard(h):
        h = socket.gethostname() or h
    if ":" in h:
        h = f"[{h}]"
    path = server.feed_path()
    return f"webcal://{h}:{port}{path}", f"http://{h}:{port}{path}"


def is_wildcard(host: str) -> bool:
    """An address that means every interface of this machine."""
    return host in ("", "0.0.0.0", "::", "[::]")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")

"""A real Radicale server for tests: started on 127.0.0.1 with a temporary storage folder.

Use the module-scoped fixture in a test module::

    from radicale_server import RadicaleServer, radicale_fixture  # noqa: F401 (the fixture)

    def test_x(radicale: RadicaleServer) -> None:
        user = radicale.new_user()          # a fresh principal: fresh, empty collections
        url = radicale.make_addressbook(user, "contacts")

With ``auth = none`` Radicale still needs a username (it becomes the principal ``/NAME/``), so
every helper sends one. ``RadicaleServer(users={"ann": "secret"})`` switches to htpasswd
(plain) for password tests. :meth:`stop` / :meth:`start` take the server down and bring it
back on the same port with the same storage (a server that goes away mid-run).
"""

from __future__ import annotations

import itertools
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

MKCOL_ADDRESSBOOK = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>
    <D:displayname>{name}</D:displayname>
  </D:prop></D:set>
</D:mkcol>"""

MKCOL_CALENDAR = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
    <D:displayname>{name}</D:displayname>
    <C:supported-calendar-component-set><C:comp name="{comp}"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</D:mkcol>"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RadicaleServer:
    """One Radicale process. ``url`` is ``http://127.0.0.1:PORT``."""

    def __init__(self, folder: Path, users: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.users = dict(users or {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self._ids = itertools.count(1)
        self._config = folder / "config"
        self._write_config()

    def _write_config(self) -> None:
        storage = self.folder / "collections"
        storage.mkdir(parents=True, exist_ok=True)
        if self.users:
            htpasswd = self.folder / "users"
            htpasswd.write_text("".join(f"{u}:{p}\n" for u, p in self.users.items()))
            auth = f"type = htpasswd\nhtpasswd_filename = {htpasswd}\nhtpasswd_encryption = plain\n"
            auth += "delay = 0\n"
        else:
            auth = "type = none\n"
        self._config.write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\n"
            f"[auth]\n{auth}"
            "[rights]\ntype = owner_only\n"
            f"[storage]\nfilesystem_folder = {storage}\n"
            "[logging]\nlevel = warning\n"
        )

    # ------------------------------------------------------------------ process

    def start(self, timeout: float = 15.0) -> None:
        if self.proc is not None:
            return
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "radicale", "-C", str(self._config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                self.proc = None
                raise RuntimeError(f"radicale exited at start: {err}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"radicale did not listen on {self.url} within {timeout} s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # ------------------------------------------------------------------ acting as the user

    def new_user(self) -> str:
        """A fresh principal name (auth none): each test gets empty collections of its own."""
        return f"user{next(self._ids)}"

    def auth(self, user: str) -> tuple[str, str]:
        return (user, self.users.get(user, "x"))

    def session(self, user: str) -> requests.Session:
        s = requests.Session()
        s.auth = self.auth(user)
        return s

    def _mkcol(self, user: str, path: str, body: str) -> str:
        url = f"{self.url}/{user}/{path}/"
        with self.session(user) as s:
            r = s.request("MKCOL", url, data=body.encode(), headers={"Content-Type": "text/xml"})
        if r.status_code != 201:
            raise RuntimeError(f"MKCOL {url}: {r.status_code} {r.text}")
        return url

    def make_addressbook(self, user: str, name: str = "contacts") -> str:
        return self._mkcol(user, name, MKCOL_ADDRESSBOOK.format(name=name))

    def make_calendar(self, user: str, name: str = "calendar", comp: str = "VEVENT") -> str:
        return self._mkcol(user, name, MKCOL_CALENDAR.format(name=name, comp=comp))

    def put(
        self,
        user: str,
        url: str,
        data: str | bytes,
        content_type: str,
        etag: str | None = None,
        create: bool = False,
    ) -> requests.Response:
        headers = {"Content-Type": content_type}
        if etag:
            headers["If-Match"] = etag
        if create:
            headers["If-None-Match"] = "*"
        body = data.encode() if isinstance(data, str) else data
        with self.session(user) as s:
            return s.put(url, data=body, headers=headers)

    def get(self, user: str, url: str) -> requests.Response:
        with self.session(user) as s:
            return s.get(url)

    def delete(self, user: str, url: str) -> requests.Response:
        with self.session(user) as s:
            return s.delete(url)


@pytest.fixture(scope="module", name="radicale")
def radicale_fixture() -> Iterator[RadicaleServer]:
    """One Radicale (auth none) per test module; use ``new_user()`` for fresh collections."""
    with tempfile.TemporaryDirectory(prefix="netweave-radicale-") as tmp:
        server = RadicaleServer(Path(tmp))
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module", name="radicale_htpasswd")
def radicale_htpasswd_fixture() -> Iterator[RadicaleServer]:
    """A Radicale that checks passwords: user ``ann``, password ``s3cret-pw``."""
    with tempfile.TemporaryDirectory(prefix="netweave-radicale-") as tmp:
        server = RadicaleServer(Path(tmp), users={"ann": "s3cret-pw"})
        server.start()
        try:
            yield server
        finally:
            server.stop()

"""The safety promises with the written calendar on CalDAV, through the CLI on a copy of the
example: a real Radicale on 127.0.0.1 behind a proxy that misbehaves on cue (``dav_proxy``).
A server that lists the collection as empty is not trusted (nothing written, deleted or
tombstoned); a server that dies in the middle of the writes costs a bounded time and the next
run converges; writes the server did but never confirmed are not written twice."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
from dav_proxy import FaultyProxy
from radicale_server import RadicaleServer, radicale_fixture  # noqa: F401 (the fixture)
from sandbox import NOW, Home, writes

VDIR = 'type = "vdir"\npath = "out/networking"'


class DavHome:
    """The example with its written calendar on Radicale, reached through the proxy."""

    def __init__(self, root: Path, radicale: RadicaleServer, proxy: FaultyProxy) -> None:
        self.home = Home.make(root)
        self.user = radicale.new_user()
        url = radicale.make_calendar(self.user, "networking")
        self.folder = radicale.folder / "collections" / "collection-root" / self.user / "networking"
        config = root / "config.toml"
        text = config.read_text(encoding="utf-8")
        assert VDIR in text
        collection = proxy.url + url.removeprefix(radicale.url)
        caldav = (
            f'type = "caldav"\nurl = "{proxy.url}/"\nusername = "{self.user}"\n'
            f'collection = "{collection}"\ntimeout = 2\nretries = 1'
        )
        config.write_text(text.replace(VDIR, caldav), encoding="utf-8")

    def files(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(self.folder.glob("*.ics"))}

    def uids(self) -> list[str]:
        out = []
        for body in self.files().values():
            for ev in icalendar.Calendar.from_ical(body).walk("VEVENT"):
                out.append(str(ev["UID"]))
        return sorted(out)

    def tombstones(self) -> int:
        with sqlite3.connect(self.home.state) as db:
            return int(db.execute("SELECT COUNT(*) FROM tombstones").fetchone()[0])


@pytest.fixture(name="proxy")
def proxy_fixture(radicale: RadicaleServer) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(radicale.url)
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.fixture(name="dav")
def dav_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, radicale: RadicaleServer, proxy: FaultyProxy
) -> DavHome:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return DavHome(tmp_path, radicale, proxy)


def test_a_server_listing_nothing_loses_nothing(dav: DavHome, proxy: FaultyProxy) -> None:
    first = dav.home.sync()
    assert first["_code"] == 0 and first["inserted"] >= 5, first
    before = dav.files()
    proxy.fail("empty")
    held = dav.home.sync()
    proxy.heal()
    assert held["_code"] == 1 and writes(held) == (0, 0, 0), held
    assert "networking" in {e["source"] for e in held["errors"]}
    assert dav.files() == before and dav.tombstones() == 0
    again = dav.home.sync()
    assert again["_code"] == 0 and writes(again) == (0, 0, 0), again
    assert dav.files() == before


@pytest.mark.parametrize("fault", ["500", "hang"])
def test_a_server_dying_mid_run_stops_early_and_the_next_run_converges(
    dav: DavHome, proxy: FaultyProxy, fault: str
) -> None:
    proxy.fail(fault, after_writes=2)
    started = time.monotonic()
    broken = dav.home.sync()
    took = time.monotonic() - started
    proxy.heal()
    assert broken["_code"] == 1 and broken["inserted"] == 2, broken
    messages = " ".join(e["message"] for e in broken["errors"])
    assert "stopped writing to it after 3 failed writes in a row" in messages, messages
    assert took < 30, took  # three failures (two tries each), not one per remaining write
    healed = dav.home.sync()
    assert healed["_code"] == 0 and healed["inserted"] >= 3, healed
    uids = dav.uids()
    assert len(uids) == len(set(uids)) == 2 + healed["inserted"]
    again = dav.home.sync()
    assert again["_code"] == 0 and writes(again) == (0, 0, 0), again


def test_writes_the_server_did_but_never_confirmed_are_not_repeated(
    dav: DavHome, proxy: FaultyProxy
) -> None:
    proxy.fail("lost", after_writes=1)
    lost = dav.home.sync()
    proxy.heal()
    assert lost["_code"] == 1, lost
    on_server = dav.uids()
    assert len(on_server) >= 2  # one confirmed, then at least one done but never confirmed
    healed = dav.home.sync()
    assert healed["_code"] == 0, healed
    uids = dav.uids()
    assert len(uids) == len(set(uids)), uids
    assert set(on_server) <= set(uids)
    again = dav.home.sync()
    assert again["_code"] == 0 and writes(again) == (0, 0, 0), again
    status = json.loads(dav.home.run("status", "--json").out)
    assert status["pending"] == 0 and status["owned"] == len(uids)

"""A stateful property test of the safety promises: random sequences of good runs, degraded
inputs (a busy calendar truncated, emptied or replaced, address books emptied or cut short, the
written calendar's folder gone or empty), user moves and deletes, the state file deleted, the
clock moving on, and runs killed with SIGKILL (at the N-th write, before or after it, or after a
random delay), all through the CLI on a copy of the example. The calendar netweave writes to is
a local vdir, or CalDAV on a real Radicale (127.0.0.1) behind a proxy that can answer 500, hang
(the client times out), lose answers, list the collection as empty, or die after N writes.

After every step: netweave's events never overlap each other or the busy calendar, and no UID
is held twice; a degraded run wrote nothing and deleted nothing; after a healthy run the
calendar holds the plan, a second identical run writes nothing, the user's moves stay and their
deletes are not recreated (every user event of the written calendar is byte-identical).

Bounded for CI (about a minute for each backend). A longer run:
``NETWEAVE_SAFETY_EXAMPLES=200 NETWEAVE_SAFETY_STEPS=25 pytest tests/test_safety_machine.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dav_proxy import FaultyProxy
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from radicale_server import RadicaleServer, radicale_fixture  # noqa: F401 (the fixture)
from sandbox import NOW, Home, writes

from sync.busy import busy_from_events, merge_busy
from sync.config import load as load_config
from sync.sources.ics import IcsFileCalendar

TZ = ZoneInfo("America/New_York")
EXAMPLES = int(os.environ.get("NETWEAVE_SAFETY_EXAMPLES", "5"))
STEPS = int(os.environ.get("NETWEAVE_SAFETY_STEPS", "8"))
KILLER = Path(__file__).with_name("kill_at.py")
VDIR = 'type = "vdir"\npath = "out/networking"'

Span = tuple[str, datetime, datetime]  # uid, start, end


def spans(files: dict[str, bytes]) -> dict[str, Span]:
    """netweave's events among calendar resources, by resource name."""
    out: dict[str, Span] = {}
    for name, body in files.items():
        if b"X-NETWEAVE-ID" not in body:
            continue
        for ev in icalendar.Calendar.from_ical(body).walk("VEVENT"):
            out[name] = (str(ev["UID"]), ev.decoded("DTSTART"), ev.decoded("DTEND"))
    return out


class VdirCalendar:
    """The calendar netweave writes to as a local vdir folder (the example's)."""

    def __init__(self, home: Home) -> None:
        self.home = home

    def files(self) -> dict[str, bytes]:
        return self.home.files()

    def replace(self, name: str, data: bytes) -> None:
        (self.home.target / name).write_bytes(data)

    def remove(self, name: str) -> None:
        (self.home.target / name).unlink()


class CalDavCalendar:
    """The calendar netweave writes to as a CalDAV collection on Radicale: read from its
    storage folder (what the server holds, byte for byte), changed over HTTP as a calendar app
    would (so the server's etags and caches follow)."""

    def __init__(self, radicale: RadicaleServer, user: str, url: str) -> None:
        self.radicale, self.user, self.url = radicale, user, url
        self.folder = radicale.folder / "collections" / "collection-root" / user / "networking"

    def files(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(self.folder.glob("*.ics"))}

    def replace(self, name: str, data: bytes) -> None:
        url = self.url + name
        etag = self.radicale.get(self.user, url).headers["ETag"]
        r = self.radicale.put(self.user, url, data, "text/calendar", etag=etag)
        assert r.status_code in (201, 204), r.text

    def remove(self, name: str) -> None:
        r = self.radicale.delete(self.user, self.url + name)
        assert r.status_code in (200, 204), r.text


class SafetyMachine(RuleBasedStateMachine):
    """The promises over a local vdir; :class:`CalDavSafetyMachine` adds a server's faults."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="nw-safety-"))
        self.home = Home.make(self.tmp)
        self.cal: VdirCalendar | CalDavCalendar = VdirCalendar(self.home)
        self.now = datetime.fromisoformat(NOW)
        self.env = {k: os.environ.get(k) for k in ("NETWEAVE_NOW", "NETWEAVE_CONFIG")}
        os.environ.pop("NETWEAVE_CONFIG", None)
        self.cwd = Path.cwd()
        os.chdir(self.tmp)
        self.moved: dict[str, tuple[datetime, datetime]] = {}  # uid -> where the user put it
        self.deleted: set[str] = set()  # uids the user deleted (tombstones)
        self.deleted_since_run = False
        # what a degraded read is compared with lives in the state: gone with it until a run
        self.state_known = False
        # nothing changed since the last healthy run but degraded runs: the next one writes
        # nothing (a run that was not trusted leaves no trace in the plan)
        self.settled = False
        self.foreign = self.add_user_event()

    def add_user_event(self) -> dict[str, bytes]:
        """One event of the user's own in the calendar netweave writes to: never touched."""
        start = self.now.astimezone(TZ).replace(hour=19, minute=0) + timedelta(days=3)
        ical = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\nBEGIN:VEVENT\r\n"
            "UID:weekly-class@me\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART;TZID=America/New_York:{start:%Y%m%dT%H%M%S}\r\n"
            f"DTEND;TZID=America/New_York:{start + timedelta(hours=2):%Y%m%dT%H%M%S}\r\n"
            "RRULE:FREQ=WEEKLY\r\nSUMMARY:Pottery class\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        self.put_user_event("weekly-class.ics", ical.encode())
        (self.tmp / "class.ics").write_text(ical)  # its busy time, for the invariant
        return {n: b for n, b in self.cal.files().items() if b"X-NETWEAVE-ID" not in b}

    def put_user_event(self, name: str, data: bytes) -> None:
        self.home.target.mkdir(parents=True, exist_ok=True)
        (self.home.target / name).write_bytes(data)

    def teardown(self) -> None:
        os.chdir(self.cwd)
        for k, v in self.env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(self.tmp, ignore_errors=True)

    def sync(self, *args: str) -> dict[str, Any]:
        os.environ["NETWEAVE_NOW"] = self.now.isoformat()
        return self.home.sync(*args)

    # ------------------------------------------------------------------ steps

    @initialize()
    def first_run(self) -> None:
        self.good_run()

    @rule()
    def good_run(self) -> None:
        data = self.sync()
        assert data["_code"] == 0, (data["errors"], data["_err"])
        if self.settled:
            assert writes(data) == (0, 0, 0), data
        self.ran()
        after = self.cal.files()
        again = self.sync()
        assert again["_code"] == 0, (again["errors"], again["_err"])
        assert writes(again) == (0, 0, 0), again  # one run settles
        assert self.cal.files() == after
        self.check_calendar_is_the_plan()

    def ran(self) -> None:
        """A run completed with every source healthy: the state knows the counts again."""
        self.deleted_since_run = False
        self.state_known = True
        self.settled = True

    @rule(days=st.integers(1, 4))
    def clock_advances(self, days: int) -> None:
        self.settled = False
        self.now += timedelta(days=days)

    @precondition(lambda self: self.state_known)
    @rule(damage=st.sampled_from(["empty", "binary", "truncated", "html"]))
    def busy_calendar_damaged(self, damage: str) -> None:
        cal = self.home.root / "examples" / "calendar.ics"
        good = cal.read_bytes()
        cal.write_bytes(
            {
                "empty": b"",
                "binary": bytes(range(256)) * 4,
                "truncated": good[: len(good) // 9].rsplit(b"BEGIN:VEVENT", 1)[0],
                "html": b"<html>502 Bad Gateway</html>",
            }[damage]
        )
        try:
            self.held()
        finally:
            cal.write_bytes(good)

    @precondition(lambda self: self.state_known)
    @rule(keep=st.sampled_from([0, 1, 4, 10]))
    def address_books_cut(self, keep: int) -> None:
        ex = self.home.root / "examples"
        books = [ex / "contacts.vcf", ex / "outlook.vcf"]
        saved = {p: p.read_bytes() for p in books}
        for p, data in saved.items():
            cards = data.split(b"END:VCARD")
            p.write_bytes(b"END:VCARD".join(cards[:keep]) + (b"END:VCARD\r\n" if keep else b""))
        try:
            self.held()
        finally:
            for p, data in saved.items():
                p.write_bytes(data)

    @precondition(lambda self: self.state_known and len(self.owned()) >= 2)
    @rule(empty_folder=st.booleans())
    def written_calendar_unmounted(self, empty_folder: bool) -> None:
        aside = self.tmp / "aside"
        shutil.move(self.home.target, aside)
        if empty_folder:
            self.home.target.mkdir()
        try:
            data = self.sync()
            assert data["_code"] == 1 and writes(data) == (0, 0, 0), data
            assert not self.home.owned()
        finally:
            shutil.rmtree(self.home.target, ignore_errors=True)
            shutil.move(aside, self.home.target)

    @precondition(lambda self: bool(self.owned()))
    @rule(pick=st.integers(0, 1000), hours=st.sampled_from([-26, 24, 48]))
    def user_moves(self, pick: int, hours: int) -> None:
        events = self.future_owned()
        if not events:
            return
        name = sorted(events)[pick % len(events)]
        uid, start, end = events[name]
        cal = icalendar.Calendar.from_ical(self.cal.files()[name])
        for ev in cal.walk("VEVENT"):
            for prop in ("dtstart", "dtend"):
                value = ev.decoded(prop) + timedelta(hours=hours)
                del ev[prop]
                ev.add(prop, value)
        self.cal.replace(name, cal.to_ical())
        self.settled = False
        self.moved[uid] = (start + timedelta(hours=hours), end + timedelta(hours=hours))

    @precondition(lambda self: len(self.owned()) >= 4 and not self.deleted_since_run)
    @rule(pick=st.integers(0, 1000))
    def user_deletes(self, pick: int) -> None:
        events = self.future_owned()
        if not events:
            return
        name = sorted(events)[pick % len(events)]
        uid = events[name][0]
        self.cal.remove(name)
        self.settled = False
        if self.state_knows(uid):  # else nothing can tell a delete from never written
            self.deleted.add(uid)
        self.moved.pop(uid, None)
        self.deleted_since_run = True

    @rule()
    def state_deleted(self) -> None:
        self.settled = False
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.home.state) + suffix).unlink(missing_ok=True)
        self.deleted.clear()  # tombstones live in the state: a new state may plan them again
        self.state_known = False

    @rule(
        when=st.one_of(
            st.tuples(st.sampled_from(["before", "after"]), st.integers(1, 4)),
            st.tuples(st.just("delay"), st.integers(2, 40)),  # tenths of a second
        )
    )
    def killed_run(self, when: tuple[str, int]) -> None:
        """``sync`` in its own process, SIGKILLed at the N-th write or after a delay. What it
        did stays; the invariants hold and the next healthy run converges."""
        mode, n = when
        self.settled = False
        env = {**os.environ, "NETWEAVE_NOW": self.now.isoformat()}
        args = ["--config", str(self.home.root / "config.toml"), "sync", "--json"]
        if mode == "delay":
            cmd = [sys.executable, "-m", "sync", *args]
        else:
            cmd = [sys.executable, str(KILLER), mode, str(n), *args]
        proc = subprocess.Popen(
            cmd, cwd=self.tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        if mode == "delay":
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=n / 10)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, -signal.SIGKILL), (proc.returncode, err.decode())
        event(f"killed_run {mode}: {'killed' if proc.returncode else 'finished'}")
        if proc.returncode == 0:
            assert json.loads(out)["errors"] == [], out
            self.ran()

    # ------------------------------------------------------------------ checks

    def held(self) -> None:
        """A degraded run: exit 1, nothing written, nothing deleted, the agenda kept."""
        before = self.cal.files()
        agenda = self.home.agenda.read_bytes() if self.home.agenda.exists() else None
        data = self.sync()
        assert data["_code"] == 1, data
        assert writes(data) == (0, 0, 0), data
        assert self.cal.files() == before
        if agenda is not None:
            assert self.home.agenda.read_bytes() == agenda

    def state_knows(self, uid: str) -> bool:
        """Whether the state records ``uid`` as written (so a delete of it is the user's)."""
        if not self.home.state.exists():
            return False
        with sqlite3.connect(self.home.state) as db:
            row = db.execute(
                "SELECT 1 FROM owned WHERE nid = ? AND status IN ('done', 'pending-update')",
                (uid,),
            ).fetchone()
        return row is not None

    def owned(self) -> dict[str, Span]:
        return spans(self.cal.files())

    def future_owned(self) -> dict[str, Span]:
        return {n: s for n, s in self.owned().items() if s[1] > self.now + timedelta(days=1)}

    def check_calendar_is_the_plan(self) -> None:
        with sqlite3.connect(self.home.state) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'last_plan'").fetchone()
        plan = {r["uid"]: r for r in json.loads(row[0])} if row else {}
        held = {uid: (a, b) for uid, a, b in self.owned().values()}
        for uid, r in plan.items():
            start = datetime.fromisoformat(r["start"])
            if start < self.now:
                continue
            assert uid in held, (uid, r["title"])
            assert held[uid][0] == start, (uid, held[uid], r["start"])
        for uid, (a, _b) in held.items():
            if a > self.now and uid not in self.moved:
                assert uid in plan, uid
        for uid, (a, b) in self.moved.items():
            if uid in held:
                assert held[uid] == (a, b), (uid, held[uid], (a, b))
        for uid in self.deleted:
            assert uid not in held, uid

    @invariant()
    def users_events_untouched(self) -> None:
        mine = {n: b for n, b in self.cal.files().items() if b"X-NETWEAVE-ID" not in b}
        assert mine == self.foreign, sorted(mine)

    @invariant()
    def no_duplicates(self) -> None:
        uids = [uid for uid, _a, _b in self.owned().values()]
        assert len(uids) == len(set(uids)), sorted(uids)

    @invariant()
    def no_double_booking(self) -> None:
        mine = sorted(
            (a, b, uid)
            for uid, a, b in self.owned().values()
            if uid not in self.moved and b > self.now
        )
        for (_a1, b1, u1), (a2, _b2, u2) in zip(mine, mine[1:], strict=False):
            assert b1 <= a2, (u1, u2)
        lo = self.now - timedelta(days=1)
        hi = self.now + timedelta(days=60)
        cfg = load_config(self.home.root / "config.toml")
        work = IcsFileCalendar("work", self.home.root / "examples" / "calendar.ics", TZ)
        class_ = IcsFileCalendar("class", self.tmp / "class.ics", TZ)
        busy = merge_busy(
            busy_from_events(
                [*work.read(lo, hi).events, *class_.read(lo, hi).events],
                ignore_all_day=cfg.planner.ignore_all_day,
                owner_emails=cfg.owner.emails,
            )
        )
        for a, b, uid in mine:
            if a <= self.now:
                continue
            for x in busy:
                assert not (x.start < b and a < x.end), (uid, a, b, x)


class CalDavSafetyMachine(SafetyMachine):
    """The same promises with the written calendar on CalDAV (Radicale behind a proxy that can
    fail), plus the server's own faults: 500, a hang past the client's timeout, an answer lost
    after the server did the write, an empty listing, and any of them after N writes."""

    def __init__(self, radicale: RadicaleServer, proxy: FaultyProxy) -> None:
        self.radicale, self.proxy = radicale, proxy
        self.user = radicale.new_user()
        self.url = radicale.make_calendar(self.user, "networking")
        super().__init__()
        self.cal = CalDavCalendar(radicale, self.user, self.url)
        self.foreign = self.add_user_event()
        config = self.home.root / "config.toml"
        text = config.read_text(encoding="utf-8")
        assert VDIR in text
        collection = self.proxy.url + self.url.removeprefix(radicale.url)
        caldav = (
            f'type = "caldav"\nurl = "{self.proxy.url}/"\nusername = "{self.user}"\n'
            f'collection = "{collection}"\ntimeout = 2\nretries = 1'
        )
        config.write_text(text.replace(VDIR, caldav), encoding="utf-8")

    def put_user_event(self, name: str, data: bytes) -> None:
        if not isinstance(self.cal, CalDavCalendar):
            return  # the base class's set-up: the collection is not ours yet
        r = self.radicale.put(self.user, self.url + name, data, "text/calendar", create=True)
        assert r.status_code == 201, r.text

    def teardown(self) -> None:
        self.proxy.heal()
        super().teardown()

    @precondition(lambda self: False)
    @rule()
    def written_calendar_unmounted(self) -> None:
        """A vdir's case; a server's is :meth:`server_lists_nothing`."""

    @precondition(lambda self: self.state_known and len(self.owned()) >= 2)
    @rule()
    def server_lists_nothing(self) -> None:
        """The server answers every listing with an empty 207: not trusted, nothing written."""
        self.proxy.fail("empty")
        try:
            self.held()
        finally:
            self.proxy.heal()

    @rule(fault=st.sampled_from(["500", "hang", "lost"]))
    def server_down(self, fault: str) -> None:
        """The server fails from the first request: the run exits 1 having changed nothing."""
        before = self.cal.files()
        self.proxy.fail(fault)
        try:
            data = self.sync()
        finally:
            self.proxy.heal()
        assert data["_code"] == 1 and writes(data) == (0, 0, 0), data
        assert self.cal.files() == before

    @rule(fault=st.sampled_from(["500", "hang", "lost"]), after=st.integers(0, 4))
    def server_dies_mid_run(self, fault: str, after: int) -> None:
        """The server lets ``after`` writes through, then fails for the rest of the run."""
        self.proxy.fail(fault, after_writes=after)
        self.settled = False
        started = time.monotonic()
        try:
            data = self.sync()
        finally:
            self.proxy.heal()
        assert data["_code"] in (0, 1), data
        event(f"server_dies_mid_run: exit {data['_code']}, {sum(writes(data))} writes")
        if data["_code"] == 0:
            self.ran()
        # a server gone mid-run costs a bounded time: writing stops after a few failures
        assert time.monotonic() - started < 30, data


SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SafetyMachine.TestCase.settings = SETTINGS
test_safety_machine = SafetyMachine.TestCase


@pytest.fixture(name="proxy")
def proxy_fixture(radicale: RadicaleServer) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(radicale.url)
    try:
        yield proxy
    finally:
        proxy.close()


def test_safety_machine_caldav(radicale: RadicaleServer, proxy: FaultyProxy) -> None:
    machine: Any = lambda: CalDavSafetyMachine(radicale, proxy)  # noqa: E731 - a factory
    run_state_machine_as_test(machine, settings=SETTINGS)


def test_the_proxy_fails_as_told(radicale: RadicaleServer, proxy: FaultyProxy) -> None:
    """The proxy itself: passes requests on, then answers 500, lists nothing, or lets N writes
    through before failing (so a green machine run means the faults were really met)."""
    import requests

    user = radicale.new_user()
    url = radicale.make_calendar(user, "networking")
    via = proxy.url + url.removeprefix(radicale.url)
    s = requests.Session()
    s.auth = radicale.auth(user)
    body = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\n"
    body += b"DTSTAMP:20261101T000000Z\r\nDTSTART:20261201T100000Z\r\n"
    body += b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    assert s.put(via + "a.ics", data=body, headers={"Content-Type": "text/calendar"}).ok
    listing = s.request("PROPFIND", via, headers={"Depth": "1"})
    assert listing.status_code == 207 and "a.ics" in listing.text
    proxy.fail("empty")
    listing = s.request("PROPFIND", via, headers={"Depth": "1"})
    assert listing.status_code == 207 and "a.ics" not in listing.text
    proxy.fail("500", after_writes=1)
    assert s.get(via + "a.ics").status_code == 200  # reads pass until the writes run out
    assert s.delete(via + "a.ics").status_code in (200, 204)
    assert s.put(via + "a.ics", data=body).status_code == 500
    assert s.get(via + "a.ics").status_code == 500  # gone for the rest of the run
    proxy.fail("hang")
    with pytest.raises(requests.Timeout):
        s.get(via, timeout=0.5)
    proxy.heal()
    assert s.get(via + "a.ics").status_code == 404
    assert re.search(r"<[^>]*href>", s.request("PROPFIND", via, headers={"Depth": "1"}).text)

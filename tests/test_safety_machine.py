"""A stateful property test of the safety promises: random sequences of good runs, degraded
inputs (a busy calendar truncated, emptied or replaced, address books emptied or cut short, the
written calendar's folder gone or empty), user moves and deletes, the state file deleted and
the clock moving on, all through the CLI over the example's local vdir.

After every step: netweave's events never overlap each other or the busy calendar; a degraded
run wrote nothing and deleted nothing; after a healthy run the calendar holds the plan, a
second identical run writes nothing, the user's moves stay and their deletes are not recreated.

Bounded for CI (about a minute). A longer run:
``NETWEAVE_SAFETY_EXAMPLES=200 NETWEAVE_SAFETY_STEPS=25 pytest tests/test_safety_machine.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sandbox import NOW, Home, writes

from sync.busy import busy_from_events, merge_busy
from sync.config import load as load_config
from sync.sources.ics import IcsFileCalendar

TZ = ZoneInfo("America/New_York")
EXAMPLES = int(os.environ.get("NETWEAVE_SAFETY_EXAMPLES", "5"))
STEPS = int(os.environ.get("NETWEAVE_SAFETY_STEPS", "8"))

Span = tuple[str, datetime, datetime]  # uid, start, end


def owned_events(home: Home) -> dict[str, Span]:
    """netweave's events in the written calendar, by file name."""
    out: dict[str, Span] = {}
    for name, body in home.owned().items():
        for ev in icalendar.Calendar.from_ical(body).walk("VEVENT"):
            out[name] = (str(ev["UID"]), ev.decoded("DTSTART"), ev.decoded("DTEND"))
    return out


class SafetyMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="nw-safety-"))
        self.home = Home.make(self.tmp)
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
        assert data["_code"] == 0, data
        self.deleted_since_run = False
        self.state_known = True
        after = self.home.files()
        again = self.sync()
        assert again["_code"] == 0 and writes(again) == (0, 0, 0), again  # one run settles
        assert self.home.files() == after
        self.check_calendar_is_the_plan()

    @rule(days=st.integers(1, 4))
    def clock_advances(self, days: int) -> None:
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

    @precondition(lambda self: self.state_known and len(self.home.owned()) >= 2)
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

    @precondition(lambda self: bool(self.home.owned()))
    @rule(pick=st.integers(0, 1000), hours=st.sampled_from([-26, 24, 48]))
    def user_moves(self, pick: int, hours: int) -> None:
        events = self.future_owned()
        if not events:
            return
        name = sorted(events)[pick % len(events)]
        uid, start, end = events[name]
        path = self.home.target / name
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        for ev in cal.walk("VEVENT"):
            for prop in ("dtstart", "dtend"):
                value = ev.decoded(prop) + timedelta(hours=hours)
                del ev[prop]
                ev.add(prop, value)
        path.write_bytes(cal.to_ical())
        self.moved[uid] = (start + timedelta(hours=hours), end + timedelta(hours=hours))

    @precondition(lambda self: len(self.home.owned()) >= 4 and not self.deleted_since_run)
    @rule(pick=st.integers(0, 1000))
    def user_deletes(self, pick: int) -> None:
        events = self.future_owned()
        if not events:
            return
        name = sorted(events)[pick % len(events)]
        uid = events[name][0]
        (self.home.target / name).unlink()
        self.deleted.add(uid)
        self.moved.pop(uid, None)
        self.deleted_since_run = True

    @rule()
    def state_deleted(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.home.state) + suffix).unlink(missing_ok=True)
        self.deleted.clear()  # tombstones live in the state: a new state may plan them again
        self.state_known = False

    # ------------------------------------------------------------------ checks

    def held(self) -> None:
        """A degraded run: exit 1, nothing written, nothing deleted, the agenda kept."""
        before = self.home.files()
        agenda = self.home.agenda.read_bytes() if self.home.agenda.exists() else None
        data = self.sync()
        assert data["_code"] == 1, data
        assert writes(data) == (0, 0, 0), data
        assert self.home.files() == before
        if agenda is not None:
            assert self.home.agenda.read_bytes() == agenda

    def future_owned(self) -> dict[str, Span]:
        return {
            n: s for n, s in owned_events(self.home).items() if s[1] > self.now + timedelta(days=1)
        }

    def check_calendar_is_the_plan(self) -> None:
        with sqlite3.connect(self.home.state) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'last_plan'").fetchone()
        plan = {r["uid"]: r for r in json.loads(row[0])} if row else {}
        held = {uid: (a, b) for uid, a, b in owned_events(self.home).values()}
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
    def no_double_booking(self) -> None:
        mine = sorted(
            (a, b, uid)
            for uid, a, b in owned_events(self.home).values()
            if uid not in self.moved and b > self.now
        )
        for (_a1, b1, u1), (a2, _b2, u2) in zip(mine, mine[1:], strict=False):
            assert b1 <= a2, (u1, u2)
        lo = self.now - timedelta(days=1)
        hi = self.now + timedelta(days=60)
        cfg = load_config(self.home.root / "config.toml")
        work = IcsFileCalendar("work", self.home.root / "examples" / "calendar.ics", TZ)
        busy = merge_busy(
            busy_from_events(
                work.read(lo, hi).events,
                ignore_all_day=cfg.planner.ignore_all_day,
                owner_emails=cfg.owner.emails,
            )
        )
        for a, b, uid in mine:
            if a <= self.now:
                continue
            for x in busy:
                assert not (x.start < b and a < x.end), (uid, a, b, x)


SafetyMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_safety_machine = SafetyMachine.TestCase

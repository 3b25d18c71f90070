"""The engine's invariants against the Google backend, end to end through the CLI.

`netweave sync` runs on the bundled example address books with a Google calendar (the local fake
of Google's REST APIs, driven by the real google-api-python-client) as busy source and write
target: a token file whose refresh goes to the fake's token endpoint, state in tmp,
NETWEAVE_NOW fixed. The fake holds the person's own busy events (the example calendar's
events, converted) and some tricky foreign events.

Covered: batched first write and its request count; twenty no-change syncs that write nothing
at a constant handful of requests; the user's move, title edit and delete; foreign events
untouched byte for byte; confidential mode on a shared calendar; 503/429 storms on reads and
on batches; a revoked authorization; SIGKILL at several points of the write phase (a real
subprocess), on the first write and on a later one with updates; an expired sync token (410)
mid-life; time passing (past meetings stay); the request count printed by `sync`.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fake_google import FakeGoogle
from google.oauth2.credentials import Credentials

from sync.cli import main
from sync.model import planned_uid
from sync.sources import google as google_mod
from sync.sources.google.credentials import (
    SCOPE_CALENDAR_EVENTS,
    SCOPE_CALENDAR_FREEBUSY,
    save_token,
)
from sync.sources.ics import IcsFileCalendar

pytestmark = pytest.mark.network

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-21T10:00:00-05:00"
NY = ZoneInfo("America/New_York")
OWNER = "dana.whitfield@gmail.com"  # the example person's own address: her primary calendar
SHARED_ID = "baxterlowe-team@group.calendar.google.com"
Json = dict[str, Any]

# The example's planner window is 4 weeks from 2026-11-21; its history reaches a year back.
SEED_FROM = datetime(2025, 11, 1, tzinfo=NY)
SEED_TO = datetime(2027, 2, 1, tzinfo=NY)
WEEK_START = datetime(2026, 11, 23, tzinfo=NY)  # the Monday after NOW


# --------------------------------------------------------------------------- the world


def example_config(fake: FakeGoogle, token_file: Path, calendars: str, retries: int = 3) -> str:
    """config.example.toml with its calendars replaced by ``calendars`` and a [google] table."""
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("["):
            skipping = s == "[[calendars]]"
        if not skipping:
            kept.append(line)
    assert "[google]" not in kept, "the example config grew a [google] table: merge it here"
    kept.append(calendars)
    kept.append(
        textwrap.dedent(
            f"""
            [google]
            token_file = "{token_file}"
            api_endpoint = "{fake.calendar_endpoint}"
            max_retries = {retries}
            """
        )
    )
    return "\n".join(kept) + "\n"


def google_calendar(name: str, calendar_id: str, shared: bool = False) -> str:
    return textwrap.dedent(
        f"""
        [[calendars]]
        type = "google"
        name = "{name}"
        calendar_id = "{calendar_id}"
        busy = true
        write = true
        shared = {str(shared).lower()}
        """
    )


def write_token(path: Path, fake: FakeGoogle) -> None:
    """An expired token, as `netweave auth google` leaves it after an hour: the first run
    refreshes it at the fake's token endpoint."""
    creds = Credentials(
        token="expired",
        refresh_token="refresh-1",
        token_uri=fake.token_uri,
        client_id="cid.apps.googleusercontent.com",
        client_secret="secret",
        scopes=[SCOPE_CALENDAR_EVENTS, SCOPE_CALENDAR_FREEBUSY],
        expiry=datetime(2020, 1, 1),
    )
    save_token(path, creds)


def seed_person_calendar(fake: FakeGoogle, examples: Path) -> None:
    """The example person's calendar (examples/calendar.ics, instances expanded) at Google,
    plus the kind of foreign events that must never be mistaken for netweave's."""
    ics = IcsFileCalendar("ics", examples / "calendar.ics", NY)
    result = ics.read(SEED_FROM, SEED_TO)
    assert not result.problems
    seen: Counter[str] = Counter()
    for ev in result.events:
        seen[ev.uid] += 1
        # Instances of a series, seeded one by one, each get their own iCalUID (as Google
        # gives a moved instance); the first keeps the file's UID.
        uid = ev.uid if seen[ev.uid] == 1 else f"{seen[ev.uid]}-{ev.uid}"
        fields: Json = {"iCalUID": uid}
        if ev.attendees:
            fields["attendees"] = [{"email": a} for a in ev.attendees]
        if ev.location:
            fields["location"] = ev.location
        if ev.transparent:
            fields["transparency"] = "transparent"
        if ev.all_day:
            fake.seed_event(summary=ev.summary, start=ev.start.date(), end=ev.end.date(), **fields)
        else:
            fake.seed_event(summary=ev.summary, start=ev.start, end=ev.end, **fields)
    at = WEEK_START
    # Another app's event, marked in its own private properties.
    fake.seed_event(
        summary="Dentist",
        start=at.replace(hour=8),
        end=at.replace(hour=9),
        extendedProperties={"private": {"otherapp": "owned", "otherappId": "42"}},
    )
    # netweave's marker, but in the *shared* properties: not ours.
    fake.seed_event(
        summary="Imported from a colleague",
        start=at.replace(day=24, hour=16),
        end=at.replace(day=24, hour=17),
        extendedProperties={"shared": {"netweave": "owned", "netweaveId": "nw-x@netweave"}},
    )
    # A netweave id without the ownership marker: not ours either.
    fake.seed_event(
        summary="Copied by hand",
        start=at.replace(day=25, hour=16),
        end=at.replace(day=25, hour=17),
        extendedProperties={"private": {"netweaveId": "nw-y@netweave"}},
    )
    # A weekly series (expanded by the fake), an all-day and a transparent event, a cancelled one.
    fake.seed_event(
        summary="Team standup",
        start=at.replace(hour=9, minute=30),
        end=at.replace(hour=10),
        recurrence=["RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=12"],
    )
    fake.seed_event(summary="Out of office", start=date(2026, 12, 4), end=date(2026, 12, 5))
    fake.seed_event(
        summary="Maybe: book club",
        start=at.replace(day=26, hour=18),
        end=at.replace(day=26, hour=20),
        transparency="transparent",
    )
    gone = fake.seed_event(
        summary="Cancelled lunch", start=at.replace(hour=12), end=at.replace(hour=13)
    )
    fake.user_delete_event("primary", gone["id"])


@dataclass
class World:
    home: Path
    fake: FakeGoogle
    foreign: dict[str, dict[str, Json]] = field(default_factory=dict)  # cal -> id -> raw

    @property
    def config(self) -> Path:
        return self.home / "config.toml"

    def write_config(self, calendars: str, retries: int = 3) -> None:
        token = self.home / "cfg" / "google-token.json"
        if not token.exists():
            write_token(token, self.fake)
        text = example_config(self.fake, token, calendars, retries)
        self.config.write_text(text, encoding="utf-8")

    def snapshot_foreign(self) -> None:
        with self.fake.lock:
            self.foreign = {
                cid: copy.deepcopy(cal.events) for cid, cal in self.fake.calendars.items()
            }

    def foreign_now(self) -> dict[str, dict[str, Json]]:
        """The stored resources (etag, updated, sequence, internal seq) of the events that
        existed before netweave ran."""
        with self.fake.lock:
            return {
                cid: {eid: copy.deepcopy(cal.events.get(eid, {})) for eid in self.foreign[cid]}
                for cid, cal in self.fake.calendars.items()
            }

    def run(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(["--config", str(self.config), *args])
            except SystemExit as e:
                code = int(e.code or 0)
        return code, out.getvalue(), err.getvalue()

    def sync(self, *extra: str) -> Json:
        code, out, err = self.run("sync", "--json", *extra)
        data: Json = json.loads(out)
        data["_code"], data["_err"] = code, err
        return data

    def owned(self, calendar_id: str = "primary", cancelled: bool = False) -> list[Json]:
        return [
            e
            for e in self.fake.events_of(calendar_id, include_cancelled=cancelled)
            if (e.get("extendedProperties") or {}).get("private", {}).get("netweave") == "owned"
        ]


def make_world(root: Path, shared: bool = False) -> World:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "examples", root / "examples")
    fake = FakeGoogle(owner_email=OWNER).start()
    fake.add_calendar(SHARED_ID, "Baxter Lowe team", access_role="writer")
    seed_person_calendar(fake, root / "examples")
    w = World(root, fake)
    cals = google_calendar("gcal", "primary")
    if shared:
        cals += google_calendar("work", SHARED_ID, shared=True)
    w.write_config(cals)
    w.snapshot_foreign()
    return w


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture
def world(env: Path) -> Iterator[World]:
    w = make_world(env / "home")
    try:
        yield w
    finally:
        w.fake.stop()


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Retries without waiting; the attempts are recorded."""
    attempts: list[int] = []

    def backoff(self: Any, attempt: int, hint: float | None = None) -> float:
        attempts.append(attempt)
        return 0.0

    monkeypatch.setattr(google_mod.GoogleApi, "backoff", backoff)
    return attempts


def calendar_view(events: list[Json]) -> list[tuple[str, str, str, str]]:
    """What the user sees of netweave's events: (netweaveId, start, end, title), sorted."""
    return sorted(
        (
            e["extendedProperties"]["private"]["netweaveId"],
            _utc(e["start"]["dateTime"]),
            _utc(e["end"]["dateTime"]),
            str(e.get("summary", "")),
        )
        for e in events
    )


def _utc(s: str) -> str:
    return datetime.fromisoformat(s).astimezone(ZoneInfo("UTC")).isoformat()


def assert_no_duplicates(w: World, calendar_id: str = "primary") -> None:
    live = Counter(e["extendedProperties"]["private"]["netweaveId"] for e in w.owned(calendar_id))
    assert live and max(live.values()) == 1, live.most_common(3)
    ical = Counter(e["iCalUID"] for e in w.owned(calendar_id))
    assert max(ical.values()) == 1


def assert_plan_avoids_busy(w: World) -> None:
    """No netweave event overlaps an opaque timed foreign event (Google busy time was read)."""
    busy = []
    for e in w.fake.events_of("primary"):
        if (e.get("extendedProperties") or {}).get("private", {}).get("netweave") == "owned":
            continue
        if e.get("transparency") == "transparent" or "dateTime" not in e["start"]:
            continue
        if e.get("recurrence"):
            continue  # the series is checked through its instances below
        busy.append(
            (
                datetime.fromisoformat(e["start"]["dateTime"]),
                datetime.fromisoformat(e["end"]["dateTime"]),
            )
        )
    standup = [
        (
            WEEK_START.replace(hour=9, minute=30) + timedelta(days=d),
            WEEK_START.replace(hour=10) + timedelta(days=d),
        )
        for d in range(0, 42)
        if (WEEK_START + timedelta(days=d)).weekday() in (0, 2)
    ]
    for o in w.owned("primary"):
        s = datetime.fromisoformat(o["start"]["dateTime"])
        t = datetime.fromisoformat(o["end"]["dateTime"])
        for bs, be in busy + standup:
            assert not (s < be and bs < t), (o["summary"], s, t, bs, be)


@dataclass(frozen=True)
class Reference:
    """An uninterrupted first sync of a fresh world (text output): what every other run must
    converge on."""

    view: list[tuple[str, str, str, str]]
    out: str
    client_requests: int  # what the run itself sent (the fake saw these plus a token refresh)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NETWEAVE_NOW", NOW)
        mp.delenv("NETWEAVE_CONFIG", raising=False)
        w = make_world(tmp_path_factory.mktemp("reference"))
        try:
            w.fake.reset_counters()
            code, out, err = w.run("sync")
            assert code == 0, err
            assert w.fake.calls["token"] == 1
            return Reference(calendar_view(w.owned()), out, w.fake.http_requests - 1)
        finally:
            w.fake.stop()


def writes(data: Json) -> tuple[int, int, int]:
    return data["inserted"], data["updated"], data["deleted"]


def write_requests(fake: FakeGoogle) -> list[tuple[str, str]]:
    return [(m, p) for m, p in fake.log if m != "GET" and not p.startswith("/token")]


# --------------------------------------------------------------------------- 1, 2, 4


def test_first_sync_batches_then_twenty_syncs_write_nothing(
    world: World, reference: Reference
) -> None:
    w, fake = world, world.fake
    fake.reset_counters()
    first = w.sync()
    assert first["_code"] == 0 and not first["errors"], first
    n = first["inserted"]
    assert 10 <= n <= 60 and writes(first) == (n, 0, 0)
    # Every insert went as a part of a batch: one batch request for the whole write.
    assert fake.calls["events.insert"] == n and fake.calls["batch"] == 1
    assert write_requests(fake) == [("POST", "/batch/calendar/v3")]
    # token refresh + full read + owned listing + one batch
    assert fake.calls["token"] == 1
    assert fake.http_requests <= 6, fake.log
    # The run's own count is the client's HTTP requests (the token refresh at start-up goes
    # through google-auth's own transport and is not counted).
    assert first["http_requests"] == fake.http_requests - fake.calls["token"] > 0
    assert len(w.owned()) == n
    assert_no_duplicates(w)
    assert calendar_view(w.owned()) == reference.view  # deterministic: same plan every time
    assert_plan_avoids_busy(w)
    for o in w.owned():
        assert not o["start"]["dateTime"].startswith("2026-12-04"), "planned on an all-day OOO"
        assert o.get("attendees") is None  # nobody invited, nobody emailed
    after_first = {e["id"]: e for e in w.owned()}

    for i in range(20):
        fake.reset_counters()
        again = w.sync()
        assert again["_code"] == 0 and not again["errors"], (i, again)
        assert writes(again) == (0, 0, 0) and again["unchanged"] == n, (i, again)
        assert write_requests(fake) == [], (i, fake.log)
        # incremental events.list (sync token) + owned listing: a handful, whatever the size
        assert fake.http_requests <= 3, (i, fake.log)
        assert again["http_requests"] == fake.http_requests, (i, again)
    assert {e["id"]: e for e in w.owned()} == after_first  # not an etag moved
    assert w.foreign_now() == w.foreign  # byte for byte: etag, updated, sequence...
    assert not [e for e in w.owned(cancelled=True) if e["status"] == "cancelled"]

    # Three times the events (past, transparent: the plan stays): the same handful.
    small = fake.http_requests
    base = datetime(2026, 1, 5, 7, 0, tzinfo=NY)
    for i in range(600):
        at = base + timedelta(hours=i % 10, days=i // 10)
        fake.seed_event(
            summary=f"Filing {i}", start=at, end=at + timedelta(minutes=30),
            transparency="transparent",
        )  # fmt: skip
    seen = w.sync()  # the 600 new events arrive incrementally
    assert seen["_code"] == 0 and writes(seen) == (0, 0, 0), seen
    fake.reset_counters()
    again = w.sync()
    assert writes(again) == (0, 0, 0) and again["unchanged"] == n
    assert fake.http_requests == small, fake.log


# --------------------------------------------------------------------------- 3


def test_user_move_title_edit_and_delete_win(world: World) -> None:
    w, fake = world, world.fake
    first = w.sync()
    assert first["_code"] == 0, first
    ones = sorted(w.owned(), key=lambda e: e["start"]["dateTime"])
    assert len(ones) >= 3
    moved, edited, deleted = ones[0], ones[1], ones[2]
    start = datetime.fromisoformat(moved["start"]["dateTime"])
    length = datetime.fromisoformat(moved["end"]["dateTime"]) - start
    saturday = start + timedelta(days=(5 - start.weekday()) % 7 or 7)
    new_start = saturday.replace(hour=10, minute=0)
    fake.user_move_event("primary", moved["id"], new_start, new_start + length)
    fake.user_update_event("primary", edited["id"], summary="Coffee (my own title)")
    fake.user_delete_event("primary", deleted["id"])
    users = {
        e["id"]: e
        for e in fake.events_of(include_cancelled=True)
        if e["id"] in (moved["id"], edited["id"], deleted["id"])
    }
    fake.reset_counters()
    dry = w.sync("--dry-run")
    assert dry["_code"] == 0 and dry["dry_run"], dry
    assert write_requests(fake) == []  # a dry run sends no write

    def nid_of(e: Json) -> str:
        return str(e["extendedProperties"]["private"]["netweaveId"])

    def kids(e: Json) -> set[str]:
        return {planned_uid("prep", nid_of(e)), planned_uid("follow-up", nid_of(e))}

    before = {nid_of(e): e for e in ones}
    touched = {nid_of(moved), nid_of(edited), nid_of(deleted)}
    # The deleted meeting takes its own prep and follow-up with it (those the user left
    # alone: an edited prep block is the user's and stays); nothing else is deleted.
    gone = (kids(deleted) & before.keys()) - touched
    # The moved event's prep and follow-up follow it (updates); nothing else is updated.
    follow = (kids(moved) & before.keys()) - touched
    # The dry run counted what the real run then does.
    assert writes(dry) == (0, len(follow), len(gone)), (dry, gone, follow)
    for i in range(3):
        again = w.sync()
        assert again["_code"] == 0 and not again["errors"], (i, again)
        if i:
            assert writes(again) == (0, 0, 0), (i, again)  # converged after one run
            continue
        # Deleted time is not refilled: no insert.
        assert writes(again) == (0, len(follow), len(gone)), (i, again, gone, follow)
    after = {nid_of(e): e for e in w.owned()}
    assert after.keys() == before.keys() - gone - {nid_of(deleted)}
    for n, e in after.items():  # other people's meetings do not move
        if n not in touched | follow:
            assert (e["start"], e["end"]) == (before[n]["start"], before[n]["end"]), e
    now = {e["id"]: e for e in fake.events_of(include_cancelled=True)}
    for eid, mine in users.items():
        assert now[eid] == mine  # the user's versions, untouched (etag included)
    assert now[deleted["id"]]["status"] == "cancelled"  # not brought back
    nid = deleted["extendedProperties"]["private"]["netweaveId"]
    assert nid not in {e["extendedProperties"]["private"]["netweaveId"] for e in w.owned()}
    assert_no_duplicates(w)
    assert w.foreign_now() == w.foreign
    code, out, _ = w.run("status", "--json")
    status = json.loads(out)
    assert code == 0 and status["user_modified"] == 2 and status["tombstones"] == 1


# --------------------------------------------------------------------------- 5


def test_shared_calendar_gets_the_neutral_view_only(env: Path) -> None:
    from sync import config as configmod

    w = make_world(env / "home", shared=True)
    try:
        mine = w.fake.seed_event(
            SHARED_ID, summary="Team offsite", start=WEEK_START.replace(day=27, hour=9),
            end=WEEK_START.replace(day=27, hour=17),
        )  # fmt: skip
        w.snapshot_foreign()
        first = w.sync()
        assert first["_code"] == 0 and not first["errors"], first
        cfg = configmod.load(w.config)
        conf = cfg.confidential
        code, out, _ = w.run("contacts", "--json")
        assert code == 0
        people = json.loads(out)
        secrets = {p["name"] for p in people if " " in p["name"]}
        secrets |= {e for p in people for e in p["emails"]}
        secrets |= {p["organization"] for p in people if p["organization"]}
        secrets |= {g.text for g in cfg.goals} | {g.id for g in cfg.goals}
        secrets |= set(conf.sensitive_words)
        secrets = {s.casefold() for s in secrets if len(s) >= 4}

        on_shared = w.owned(SHARED_ID)
        # A shared calendar also gets the travel around each meeting in person, as "Travel"
        # (travel.blocks = "shared"): an assistant booking from it sees the time is taken.
        travel = [ev for ev in on_shared if ev["summary"] == "Travel"]
        shared = [ev for ev in on_shared if ev["summary"] != "Travel"]
        private = w.owned("primary")
        assert travel and len(shared) == len(private) == (first["inserted"] - len(travel)) // 2
        leaks = []
        for ev in travel:
            assert not ev.get("location") and not ev.get("description")
            leaks += [s for s in secrets if s in json.dumps(ev, ensure_ascii=False).casefold()]
        for ev in shared:
            assert ev["summary"] == conf.neutral_title
            assert ev["visibility"] == "private"
            assert ev.get("location", "") == conf.neutral_location
            assert not ev.get("description")
            assert not ev.get("attendees")
            text = json.dumps(ev, ensure_ascii=False).casefold()
            leaks += [s for s in secrets if s in text]
        assert leaks == []
        # The same plan, with names, on the private calendar (the check above can fail).
        private_text = json.dumps(private, ensure_ascii=False).casefold()
        assert any(s in private_text for s in secrets)
        assert [v[1:3] for v in calendar_view(shared)] == [v[1:3] for v in calendar_view(private)]
        again = w.sync()
        assert writes(again) == (0, 0, 0), again
        assert w.fake.events_of(SHARED_ID) and mine["id"] in {
            e["id"] for e in w.fake.events_of(SHARED_ID)
        }
        assert w.foreign_now() == w.foreign
        assert_no_duplicates(w, SHARED_ID)
    finally:
        w.fake.stop()


# --------------------------------------------------------------------------- 6


def test_revoked_authorization_fails_the_run_with_what_to_do(world: World) -> None:
    """Unattended: Google revoked the refresh token (an app left in "Testing" after 7 days)."""
    w = world
    w.fake.revoke_refresh_token("refresh-1")
    code, out, err = w.run("sync")
    assert code == 1, (out, err)
    assert "netweave auth google" in err and "Traceback" not in err, err
    assert w.owned(cancelled=True) == [] and w.fake.calls["batch"] == 0
    assert w.foreign_now() == w.foreign


def test_storms_fail_the_run_cleanly_and_the_next_run_converges(
    env: Path, reference: Reference, no_backoff: list[int]
) -> None:
    """503 on every events.list, then 503 on every batch, then a 429 storm on the calls inside
    the batches that ends half-way: exit 1 each time with the server and status named,
    nothing duplicated; then one clean run gives the uninterrupted run's calendar."""
    w = make_world(env / "home")
    fake = w.fake
    server = fake.url.split("/")[2]  # 127.0.0.1:PORT
    w.write_config(google_calendar("gcal", "primary"), retries=2)
    try:
        fake.fail("events.list", "503", times=1000)
        code, out, err = w.run("sync")  # as cron runs it: text output
        assert code == 1, (out, err)
        assert f"{server} events.list" in err and "HTTP 503" in err, err
        assert "3 attempts" in err  # retried (max_retries = 2), then given up
        assert fake.calls["batch"] == 0 and w.owned(cancelled=True) == []
        fake.failures.clear()

        no_backoff.clear()
        fake.fail("batch", "503", times=1000)
        storm = w.sync()
        assert storm["_code"] == 1 and storm["inserted"] == 0, storm
        assert storm["errors"] and all(
            server in e["message"] and "503" in e["message"] for e in storm["errors"]
        ), storm["errors"]
        assert no_backoff == [0, 1]
        assert w.owned(cancelled=True) == []
        fake.failures.clear()

        n = len(reference.view)
        # rounds 1 and 2 (the retry): every call; round 3 (the last retry): half of them
        fake.fail("events.insert", "429", times=2 * n + n // 2)
        part = w.sync()
        assert part["_code"] == 1, part
        failed = n - part["inserted"]
        assert 0 < failed < n and len(part["errors"]) == failed, part
        assert all(server in e["message"] and "429" in e["message"] for e in part["errors"]), part[
            "errors"
        ]
        assert_no_duplicates(w)
        fake.failures.clear()

        fake.reset_counters()
        healed = w.sync()
        assert healed["_code"] == 0 and not healed["errors"], healed
        assert writes(healed) == (failed, 0, 0), healed
        assert fake.calls["batch"] == 1
        assert calendar_view(w.owned()) == reference.view
        assert_no_duplicates(w)
        assert writes(w.sync()) == (0, 0, 0)
        assert w.foreign_now() == w.foreign
    finally:
        fake.stop()


# --------------------------------------------------------------------------- 7


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from sync.sources import google
    mode, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    count = [0]
    init = google.GoogleCalendar.__init__
    def small_batches(self, *a, **k):
        if size:
            k["batch_size"] = size
        init(self, *a, **k)
    google.GoogleCalendar.__init__ = small_batches
    send = google.GoogleCalendar._send_batch
    def killing_send(self, *a, **k):
        count[0] += 1
        if mode == "before" and count[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        r = send(self, *a, **k)
        if mode == "after" and count[0] == n:  # Google has the events; we have no outcome
            os.kill(os.getpid(), signal.SIGKILL)
        return r
    google.GoogleCalendar._send_batch = killing_send
    from sync.cli import main
    main(sys.argv[4:])
    """
)


def kill_sync(
    w: World, killer: Path, mode: str, k: int, size: int, now: str
) -> subprocess.CompletedProcess[str]:
    """`netweave sync --json` in a real process that SIGKILLs itself around its k-th batch."""
    cmd = [sys.executable, str(killer), mode, str(k), str(size)]
    cmd += ["--config", str(w.config), "sync", "--json"]
    return subprocess.run(
        cmd, cwd=w.home, env={**os.environ, "NETWEAVE_NOW": now},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_sigkill_in_the_write_phase_converges(
    env: Path, reference: Reference, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A real `netweave sync` process killed before or after its k-th batch (batches of 4),
    then rerun: the uninterrupted run's calendar, no duplicate, no orphan."""
    size = 4
    batches = math.ceil(len(reference.view) / size)
    assert batches >= 3
    killer = env / "killer.py"
    killer.write_text(KILLER, encoding="utf-8")
    points = [("before", 1), ("after", 1), ("before", batches // 2 + 1), ("after", batches)]
    for mode, k in points:
        w = make_world(tmp_path_factory.mktemp(f"kill-{mode}-{k}"))
        try:
            killed = kill_sync(w, killer, mode, k, size, NOW)
            assert killed.returncode == -signal.SIGKILL, (mode, k, killed.stderr)
            landed = k if mode == "after" else k - 1
            assert len(w.owned()) == min(landed * size, len(reference.view)), (mode, k)
            rerun = w.sync()
            assert rerun["_code"] == 0 and not rerun["errors"], (mode, k, rerun)
            assert rerun["deleted"] == 0 and rerun["updated"] == 0, (mode, k, rerun)
            assert calendar_view(w.owned()) == reference.view, (mode, k)
            assert_no_duplicates(w)
            assert w.owned(cancelled=True) == w.owned()  # nothing deleted, nothing orphaned
            third = w.sync()
            assert writes(third) == (0, 0, 0), (mode, k, third)
            assert w.foreign_now() == w.foreign
            code, out, _ = w.run("status", "--json")
            assert json.loads(out)["pending"] == 0
        finally:
            w.fake.stop()


# --------------------------------------------------------------------------- 8


def test_expired_sync_token_full_resync_mid_life(world: World) -> None:
    """Google expires the sync token (410 GONE) while the user adds a meeting over one of
    netweave's events: one full resync sees it, the event moves, nothing is duplicated."""
    w, fake = world, world.fake
    assert w.sync()["_code"] == 0
    assert writes(w.sync()) == (0, 0, 0)
    victim = sorted(w.owned(), key=lambda e: e["start"]["dateTime"])[-1]
    hearing = fake.seed_event(
        summary="Court hearing",
        start=datetime.fromisoformat(victim["start"]["dateTime"]) - timedelta(minutes=15),
        end=datetime.fromisoformat(victim["end"]["dateTime"]) + timedelta(minutes=15),
    )
    fake.expire_event_sync_tokens()
    fake.reset_counters()
    resync = w.sync()
    assert resync["_code"] == 0 and not resync["errors"], resync
    lists = [p for m, p in fake.log if m == "GET" and "/events?" in p]
    assert any("syncToken=" in p for p in lists)  # tried incrementally: 410
    assert any("timeMin=" in p and "privateExtendedProperty" not in p for p in lists)  # full
    assert resync["inserted"] + resync["updated"] >= 1, resync
    assert_no_duplicates(w)
    assert_plan_avoids_busy(w)
    assert hearing == next(e for e in fake.events_of() if e["id"] == hearing["id"])
    fake.reset_counters()
    calm = w.sync()
    assert writes(calm) == (0, 0, 0), calm
    assert fake.http_requests <= 3
    for _, p in fake.log:  # incremental again: no full window read
        assert "syncToken=" in p or "privateExtendedProperty=" in p, p
    assert w.foreign_now() == w.foreign


# --------------------------------------------------------------------------- time passes


LATER = "2026-12-01T10:00:00-05:00"  # nine days on: last week's meetings are history


def test_time_passing_keeps_past_meetings_and_a_kill_mid_update_converges(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nine days later the plan moves on (inserts and updates in one batch): past meetings
    stay in the calendar untouched; a run killed right after that batch reached Google,
    then rerun, gives the uninterrupted run's calendar."""
    steady = make_world(env / "steady")
    crashed = make_world(env / "crashed")
    killer = env / "killer.py"
    killer.write_text(KILLER, encoding="utf-8")
    try:
        for w in (steady, crashed):
            assert w.sync()["_code"] == 0
        past = {
            e["id"]: e
            for e in steady.owned()
            if datetime.fromisoformat(e["start"]["dateTime"]) < datetime.fromisoformat(LATER)
        }
        assert past
        monkeypatch.setenv("NETWEAVE_NOW", LATER)
        later = steady.sync()
        assert later["_code"] == 0 and later["deleted"] == 0, later
        assert later["inserted"] + later["updated"] >= 2, later  # a mixed batch to crash in
        assert {e["id"]: e for e in steady.owned() if e["id"] in past} == past
        expected = calendar_view(steady.owned())

        crashed.fake.reset_counters()
        killed = kill_sync(crashed, killer, "after", 1, 0, LATER)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert crashed.fake.calls["batch"] == 1
        rerun = crashed.sync()
        assert rerun["_code"] == 0 and not rerun["errors"], rerun
        assert writes(rerun) == (0, 0, 0), rerun  # every write had landed: adopted, not redone
        assert calendar_view(crashed.owned()) == expected
        assert_no_duplicates(crashed)
        assert {e["id"]: e for e in crashed.owned() if e["id"] in past}.keys() == past.keys()
        assert crashed.foreign_now() == crashed.foreign
        code, out, _ = crashed.run("status", "--json")
        assert json.loads(out)["pending"] == 0
    finally:
        steady.fake.stop()
        crashed.fake.stop()


def test_user_edit_racing_a_batch_update_wins(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user edits an event between netweave's read and its batch update (If-Match: 412):
    a warning, the user's version stays, and later runs leave it alone."""
    w, fake = world, world.fake
    assert w.sync()["_code"] == 0
    group = next(e for e in w.owned() if e["summary"].startswith("Midtown Business Exchange"))
    send = google_mod.GoogleCalendar._send_batch

    def racing(self: Any, *a: Any, **k: Any) -> None:
        monkeypatch.setattr(google_mod.GoogleCalendar, "_send_batch", send)
        fake.user_update_event("primary", group["id"], summary="MBE (my notes)")
        send(self, *a, **k)

    monkeypatch.setattr(google_mod.GoogleCalendar, "_send_batch", racing)
    monkeypatch.setenv("NETWEAVE_NOW", LATER)  # the plan updates that event: a batch with it
    raced = w.sync()
    assert raced["_code"] == 0 and not raced["errors"], raced
    nid = group["extendedProperties"]["private"]["netweaveId"]
    assert f"{nid} changed while syncing; kept the calendar's version" in raced["_err"]
    mine = next(e for e in fake.events_of() if e["id"] == group["id"])
    assert mine["summary"] == "MBE (my notes)"
    for _ in range(2):
        later = w.sync()
        assert later["_code"] == 0 and later["deleted"] == 0, later
    assert next(e for e in fake.events_of() if e["id"] == group["id"]) == mine
    assert_no_duplicates(w)
    code, out, _ = w.run("status", "--json")
    assert json.loads(out)["user_modified"] == 1


def test_a_second_sync_after_time_passes_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = world
    assert w.sync()["_code"] == 0
    monkeypatch.setenv("NETWEAVE_NOW", LATER)
    assert w.sync()["_code"] == 0
    w.fake.reset_counters()
    again = w.sync()
    assert writes(again) == (0, 0, 0), again
    assert w.fake.http_requests <= 3


# --------------------------------------------------------------------------- issue 5


def test_text_output_says_how_many_http_requests(reference: Reference) -> None:
    """Issue 5: "A run prints how many HTTP requests it made" (what the fake received)."""
    assert "inserted" in reference.out
    said = re.findall(r"(?im)^HTTP requests: (\d+)$", reference.out)
    assert said == [str(reference.client_requests)], reference.out

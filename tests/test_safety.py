"""Never double-book, never lose a meeting: every degraded input, through the CLI, on a copy of
the example after one good sync, with the next run a day later (as a scheduled run finds it).

A source that is empty, not iCalendar, unreadable or far smaller than its last healthy read
means nothing is written to any calendar, the agenda keeps its last good content, the run exits
1 naming the source and how to accept the change; events outside a run's window are left alone;
a moved window settles in one run; errors reach stderr under ``-q``; and the small things (temp
files of a killed write, a 0-byte state, a server that died) are handled.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sandbox import NOW, Home, writes

from sync.engine.health import DEGRADED, FAILED, HEALTHY, Seen, judge
from sync.engine.invariants import check_deletes, check_plan
from sync.model import Busy, Kind, PlannedEvent

NEXT_DAY = "2026-11-22T10:00:00-05:00"

PERSONAL = """
[[calendars]]
type = "vdir"
path = "examples/personal"
name = "personal"
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.delenv("NETWEAVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    yield Home.make(tmp_path)


def synced(home: Home, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """One good sync, then the clock moves on a day. Returns what the calendar holds."""
    first = home.sync()
    assert first["_code"] == 0 and first["inserted"] >= 5, first
    monkeypatch.setenv("NETWEAVE_NOW", NEXT_DAY)
    return home.files()


def assert_held(home: Home, before: dict[str, bytes], agenda: bytes, data: dict[str, Any]) -> None:
    """Nothing written to the calendar, the agenda as it was, exit 1."""
    assert data["_code"] == 1, data
    assert writes(data) == (0, 0, 0), data
    assert home.files() == before
    assert home.agenda.read_bytes() == agenda


def tombstones(home: Home) -> int:
    with sqlite3.connect(home.state) as db:
        return int(db.execute("SELECT COUNT(*) FROM tombstones").fetchone()[0])


# ------------------------------------------------------------------ busy calendars


@pytest.mark.parametrize(
    "damage",
    [b"", bytes(range(256)) * 8, b"<html><body>503 Service Unavailable</body></html>\n"],
    ids=["zero-bytes", "binary", "html"],
)
def test_a_damaged_busy_calendar_means_nothing_is_written(
    home: Home, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    before = synced(home, monkeypatch)
    agenda = home.agenda.read_bytes()
    (home.root / "examples" / "calendar.ics").write_bytes(damage)
    data = home.sync()
    assert_held(home, before, agenda, data)
    messages = [e["message"] for e in data["errors"] if e["source"] == "work"]
    assert messages and "calendar.ics" in messages[0], data["errors"]
    assert "empty (0 bytes)" in messages[0] or "not an iCalendar file" in messages[0]
    assert data["health"]["calendar:work"] == FAILED
    assert any("nothing was written" in e["message"] for e in data["errors"])


def spans(home: Home) -> list[tuple[datetime, datetime]]:
    """(start, end) of every event netweave wrote."""
    import icalendar

    out = []
    for body in home.owned().values():
        for ev in icalendar.Calendar.from_ical(body).walk("VEVENT"):
            out.append((ev.decoded("DTSTART"), ev.decoded("DTEND")))
    return out


def _write_event(folder: Path, uid: str, start: datetime, end: datetime, title: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{uid}.ics").write_bytes(
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n"
            f"DTEND:{end.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n"
            f"SUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
    )


def test_a_busy_vdir_emptied_means_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.chdir(tmp_path)
    home = Home.make(tmp_path, PERSONAL)
    personal = home.root / "examples" / "personal"
    personal.mkdir()
    plan = home.run("plan", "--json").json()
    coffee = next(e for e in plan if e["title"].startswith("Coffee with"))
    start, end = datetime.fromisoformat(coffee["start"]), datetime.fromisoformat(coffee["end"])
    focus = (start - timedelta(minutes=30), end + timedelta(minutes=30))
    _write_event(personal, "focus-1", *focus, "Focus time")
    _write_event(personal, "class-1", start + timedelta(days=1), end + timedelta(days=1), "Class")
    before = synced(home, monkeypatch)
    for a, b in spans(home):  # the plan kept clear of the focus block
        assert b <= focus[0] or a >= focus[1], (a, b, focus)
    agenda = home.agenda.read_bytes()
    for p in personal.iterdir():
        p.unlink()
    data = home.sync()
    assert_held(home, before, agenda, data)
    (err,) = [e["message"] for e in data["errors"] if e["source"] == "personal"]
    assert "reads as empty" in err and "2 events, now 0" in err
    assert "netweave sync --accept personal" in err
    assert data["health"]["calendar:personal"] == DEGRADED
    # intended: accepted once, and the plan uses the free time again
    accepted = home.sync("--accept", "personal")
    assert accepted["_code"] == 0, accepted
    assert home.sync()["_code"] == 0


def test_expect_empty_trusts_an_empty_source(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = home.root / "config.toml"
    text = cfg.read_text().replace('name = "nextcloud"', 'name = "nextcloud"\nexpect_empty = true')
    cfg.write_text(text)
    synced(home, monkeypatch)
    for p in (home.root / "examples" / "nextcloud").iterdir():
        p.unlink()
    data = home.sync()
    assert data["_code"] == 0, data
    assert data["health"]["addressbook:nextcloud"] == HEALTHY


# ------------------------------------------------------------------ address books


def test_every_address_book_emptied_freezes_the_plan(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = synced(home, monkeypatch)
    agenda = home.agenda.read_bytes()
    ex = home.root / "examples"
    saved = {p: p.read_bytes() for p in [ex / "contacts.vcf", ex / "outlook.vcf"]}
    for p in saved:
        p.write_bytes(b"")
    nextcloud = ex / "nextcloud"
    shutil.move(nextcloud, home.root / "nextcloud.bak")
    nextcloud.mkdir()
    data = home.sync()
    assert_held(home, before, agenda, data)
    sources = {e["source"] for e in data["errors"]}
    assert {"apple", "outlook", "nextcloud"} <= sources
    # restored: the plan is the one that was frozen, nothing lost or moved
    for p, b in saved.items():
        p.write_bytes(b)
    shutil.rmtree(nextcloud)
    shutil.move(home.root / "nextcloud.bak", nextcloud)
    again = home.sync()
    assert again["_code"] == 0 and writes(again) == (0, 0, 0), again
    assert home.files() == before


def test_a_frozen_plan_names_people_not_their_ids(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The books cannot be read, so the last plan stands: its Who column still names the
    people it met (as the state knows them), never a raw contact id."""
    synced(home, monkeypatch)
    ex = home.root / "examples"
    for p in [ex / "contacts.vcf", ex / "outlook.vcf", ex / "linkedin.csv", ex / "alumni.csv"]:
        p.write_bytes(b"")
    shutil.rmtree(ex / "nextcloud")
    (ex / "nextcloud").mkdir()
    r = home.run("sync")
    assert r.code == 1, r.err
    assert "Anthony Marchetti" in r.out  # the coffee of 10 Dec, as the good run planned it
    assert not re.search(r"\bc-[0-9a-f]{12}\b", r.out), r.out


@pytest.mark.parametrize("kept", [1, 4])
def test_an_address_book_far_smaller_freezes_the_plan(
    home: Home, monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    before = synced(home, monkeypatch)
    agenda = home.agenda.read_bytes()
    book = home.root / "examples" / "contacts.vcf"
    original = book.read_bytes()
    cards = original.split(b"END:VCARD")
    book.write_bytes(b"END:VCARD".join(cards[:kept]) + b"END:VCARD\r\n")
    data = home.sync()
    assert_held(home, before, agenda, data)
    (err,) = [e["message"] for e in data["errors"] if e["source"] == "apple"]
    assert "far smaller" in err and f"now {kept}" in err and "--accept apple" in err
    book.write_bytes(original)
    again = home.sync()
    assert again["_code"] == 0 and writes(again) == (0, 0, 0), again
    assert home.files() == before


def test_min_ratio_is_configurable(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = home.root / "config.toml"
    cfg.write_text(cfg.read_text().replace("min_ratio = 0.5 ", "min_ratio = 0.01"))
    synced(home, monkeypatch)
    book = home.root / "examples" / "contacts.vcf"
    cards = book.read_bytes().split(b"END:VCARD")
    book.write_bytes(b"END:VCARD".join(cards[:4]) + b"END:VCARD\r\n")
    assert home.sync()["_code"] == 0


# ------------------------------------------------------------------ the calendar netweave writes


@pytest.mark.parametrize("how", ["folder-gone", "folder-empty"])
def test_the_written_calendar_reading_empty_loses_nothing(
    home: Home, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    before = synced(home, monkeypatch)
    agenda = home.agenda.read_bytes()
    aside = home.root / "unmounted"
    shutil.move(home.target, aside)
    if how == "folder-empty":
        home.target.mkdir()
    data = home.sync()
    assert data["_code"] == 1 and writes(data) == (0, 0, 0), data
    assert not home.files()  # nothing written into the empty place
    assert home.agenda.read_bytes() == agenda
    assert tombstones(home) == 0
    (err,) = [e["message"] for e in data["errors"] if e["source"] == "networking"]
    assert f"knows {len(before)} of netweave's events, now 0" in err
    # the disk is back: every event is still known, nothing to do
    shutil.rmtree(home.target, ignore_errors=True)
    shutil.move(aside, home.target)
    again = home.sync()
    assert again["_code"] == 0 and writes(again) == (0, 0, 0), again
    assert home.files() == before


def test_most_events_vanishing_at_once_is_not_a_user_delete(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = synced(home, monkeypatch)
    names = sorted(home.owned())
    for name in names[: len(names) * 2 // 3]:
        (home.target / name).unlink()
    data = home.sync()
    assert data["_code"] == 1 and writes(data) == (0, 0, 0), data
    assert tombstones(home) == 0
    assert data["health"]["target:networking"] == DEGRADED
    assert len(home.files()) < len(before)


def test_one_event_deleted_by_the_user_is_a_tombstone(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced(home, monkeypatch)
    name = next(n for n, b in home.owned().items() if b"SUMMARY:Coffee with" in b)
    (home.target / name).unlink()
    data = home.sync()
    assert data["_code"] == 0 and data["inserted"] == 0, data
    assert tombstones(home) == 1
    assert name not in home.files()


# ------------------------------------------------------------------ the window


def test_a_shorter_horizon_deletes_nothing(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    before = synced(home, monkeypatch)
    short = home.sync("--weeks", "1")
    assert short["_code"] == 0 and short["deleted"] == 0, short
    assert home.files() == before
    full = home.sync()
    assert full["_code"] == 0 and writes(full) == (0, 0, 0), full
    assert home.files() == before


def test_a_moved_window_settles_in_one_run(home: Home) -> None:
    home.sync()
    moved = home.sync("--from", "2026-11-24")
    assert moved["_code"] == 0, moved
    for _ in range(2):
        again = home.sync("--from", "2026-11-24")
        assert again["_code"] == 0 and writes(again) == (0, 0, 0), again


# ------------------------------------------------------------------ traces of failures


def test_quiet_still_shows_errors(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    synced(home, monkeypatch)
    (home.root / "examples" / "calendar.ics").write_bytes(b"")
    r = home.run("-q", "sync")
    assert r.code == 1
    assert "error: work:" in r.err and "calendar.ics" in r.err
    assert "wrote:" not in r.out  # -q: no summaries


def test_status_keeps_the_last_failure(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    synced(home, monkeypatch)
    cal = home.root / "examples" / "calendar.ics"
    good = cal.read_bytes()
    cal.write_bytes(b"")
    assert home.sync()["_code"] == 1
    cal.write_bytes(good)
    assert home.sync()["_code"] == 0
    r = home.run("status")
    assert "last failed sync: " in r.out and "calendar.ics is empty" in r.out
    assert home.run("status", "--json").json()["last_failure"]["errors"]


def test_temp_files_of_a_killed_write_are_removed(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced(home, monkeypatch)
    name, body = next(iter(home.owned().items()))
    ours = home.target / f".{name}.k3j_x9q2.tmp"
    ours.write_bytes(body)
    empty = home.target / f".{name}.a1b2c3d4.tmp"
    empty.write_bytes(b"")
    foreign = home.target / ".dentist.ics.zz99.tmp"
    foreign.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert home.sync("--dry-run")["_code"] == 0
    assert ours.exists()  # a dry run changes nothing
    assert home.sync()["_code"] == 0
    assert not ours.exists() and not empty.exists()
    assert foreign.exists()  # not netweave's: left alone


def test_an_empty_state_file_is_an_error_not_a_reset(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = synced(home, monkeypatch)
    for suffix in ("-wal", "-shm"):
        Path(str(home.state) + suffix).unlink(missing_ok=True)
    home.state.write_bytes(b"")
    r = home.run("sync")
    assert r.code == 1
    assert "empty (0 bytes)" in r.err and "state" in r.err
    assert home.state.stat().st_size == 0
    assert home.files() == before


def test_writing_stops_after_failures_in_a_row(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.errors import SourceError
    from sync.sources import localwrite

    calls: list[str] = []

    def down(self: Any, event: PlannedEvent) -> Any:
        calls.append(event.uid)
        raise SourceError(self.name, "127.0.0.1:9: cannot reach the server after 5 attempts")

    monkeypatch.setattr(localwrite.WritableVdirCalendar, "insert", down)
    data = home.sync()
    assert data["_code"] == 1
    assert len(calls) == 3, calls
    assert any(
        "stopped writing to it after 3 failed writes" in e["message"] for e in data["errors"]
    )
    monkeypatch.undo()
    monkeypatch.setenv("NETWEAVE_NOW", NOW)
    monkeypatch.chdir(home.root)
    assert home.sync()["inserted"] >= 10


def test_a_broken_plan_is_not_written(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from sync.engine import run as runmod

    real = runmod.make_plan

    def overlapping(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        e = next(e for e in result.events if e.kind == Kind.ONE_ON_ONE)
        twin = replace(e, uid=e.uid + "-twin", title="Twin " + e.title)
        return replace(result, events=(*result.events, twin))

    monkeypatch.setattr(runmod, "make_plan", overlapping)
    data = home.sync()
    assert data["_code"] == 1 and writes(data) == (0, 0, 0), data
    assert any("refusing to write" in e["message"] for e in data["errors"])
    assert not home.files()


# ------------------------------------------------------------------ the pure parts


def test_judge() -> None:
    seen = [
        Seen("calendar", "work", 40),
        Seen("calendar", "gone", None, "missing"),
        Seen("addressbook", "apple", 4),
        Seen("addressbook", "empty", 0),
        Seen("addressbook", "fine-empty", 0, expect_empty=True),
        Seen("target", "networking", 9),
        Seen("calendar", "new", 0),
    ]
    remembered = {
        "calendar:work": 50,
        "addressbook:apple": 49,
        "addressbook:empty": 3,
        "addressbook:fine-empty": 3,
        "target:networking": 17,
    }
    got = {h.seen.name: h.status for h in judge(seen, remembered, min_ratio=0.5)}
    assert got == {
        "work": HEALTHY,
        "gone": FAILED,
        "apple": DEGRADED,
        "empty": DEGRADED,
        "fine-empty": HEALTHY,
        "networking": HEALTHY,
        "new": HEALTHY,
    }
    accepted = judge(seen, remembered, min_ratio=0.5, accepted=frozenset({"apple", "gone"}))
    assert {h.seen.name: h.status for h in accepted}["apple"] == HEALTHY
    assert {h.seen.name: h.status for h in accepted}["gone"] == FAILED  # cannot be accepted
    assert judge([Seen("target", "n", 8)], {"target:n": 17}, min_ratio=0.5)[0].status == DEGRADED


def _ev(uid: str, hour: int, minutes: int = 45, kind: Kind = Kind.ONE_ON_ONE) -> PlannedEvent:
    start = datetime(2026, 12, 1, hour, tzinfo=UTC)
    return PlannedEvent(uid, kind, uid, start, start + timedelta(minutes=minutes))


def test_check_plan() -> None:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    a, b = _ev("a", 10), _ev("b", 12)
    assert check_plan([a, b], [], 10, now) == []
    close = _ev("c", 11)  # 10:45 + 10 min buffer overlaps 11:00 - 10 min
    assert len(check_plan([a, close], [], 10, now)) == 1
    assert check_plan([a, close], [], 0, now) == []
    busy = [Busy(a.start + timedelta(minutes=50), a.end + timedelta(hours=1), "work", "Focus")]
    (msg,) = check_plan([a], busy, 10, now)
    assert "busy time" in msg and "Focus" in msg
    assert check_plan([a], busy, 0, now) == []
    pinned = [PlannedEvent("p", Kind.ONE_ON_ONE, "p", a.start, a.end, pinned=True), a]
    assert check_plan(pinned, [], 10, now) == []  # the user put it there
    travel = PlannedEvent("t", Kind.TRAVEL, "Travel", a.start - timedelta(minutes=20), a.start)
    assert check_plan([a, travel], [], 10, now) == []  # part of its activity's footprint
    assert check_deletes(3, False) and not check_deletes(3, True) and not check_deletes(0, False)


def test_a_server_that_is_down_is_reported_once(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writable calendar whose server is down fails its read and would fail its listing of
    netweave's events too: one error, not two (as for CalDAV)."""
    from sync.errors import SourceError
    from sync.sources import localwrite

    synced(home, monkeypatch)

    def down(self: Any, *args: Any) -> Any:
        raise SourceError(self.name, "https://dav.example/: cannot reach the server")

    monkeypatch.setattr(localwrite.WritableVdirCalendar, "read", down)
    monkeypatch.setattr(localwrite.WritableVdirCalendar, "list_owned", down)
    r = home.run("sync")
    assert r.code == 1
    assert r.err.count("cannot reach the server") == 1, r.err

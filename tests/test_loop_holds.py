"""The times an outreach message offers are held in the calendar, through the CLI on the
example: free holds titled for the owner, written like every event of netweave's (marker, no
duplicates, nothing on a second run), never on busy time or on each other, neutral on a shared
calendar, released by ``confirm`` (which makes the chosen one the meeting)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from example_home import NOW, cli, make_home

from sync.config import load
from sync.engine import RunOptions, plan_only


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_home(tmp_path, monkeypatch)


def sync(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = cli(home, capsys, "sync", "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def written(home: Path) -> dict[str, Any]:
    """Every event in the calendar folder netweave writes to, by file name."""
    out = {}
    for p in sorted((home / "out" / "networking").glob("*.ics")):
        (ev,) = icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")
        out[p.name] = ev
    return out


def holds(home: Path) -> list[Any]:
    return [e for e in written(home).values() if str(e.get("X-NETWEAVE-KIND")) == "hold"]


def span(ev: Any) -> tuple[datetime, datetime]:
    return ev.decoded("DTSTART"), ev.decoded("DTEND")


def offered_times(out: str, title: str) -> list[str]:
    """The times an outreach message offers ("Monday 14 December, 16:30-17:15")."""
    block = next(b for b in out.split("=== ") if b.startswith(title))
    return [ln.strip()[2:] for ln in block.splitlines() if ln.startswith("  - ")]


def local(ev: Any) -> str:
    s, e = span(ev)
    tz = s.tzinfo
    return f"{s:%A %d %B, %H:%M}-{e.astimezone(tz):%H:%M}"


def test_reading_the_drafts_holds_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only a sent message offers times: previewing drafts must not fill the calendar."""
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "outreach")
    assert code == 0 and "Coffee with Anthony Marchetti" in out
    again = sync(home, capsys)
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert holds(home) == []


def test_outreach_holds_the_offered_times_once(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    assert holds(home) == []
    code, out, _ = cli(home, capsys, "outreach", "Anthony Marchetti", "--sent")
    assert code == 0
    times = offered_times(out, "Coffee with Anthony Marchetti")
    assert 2 <= len(times) <= 3
    assert holds(home) == []  # the next sync writes them
    first = sync(home, capsys)
    hs = holds(home)
    assert len(hs) == len(times) - 1 == first["inserted"]
    meeting = next(
        e for e in written(home).values() if str(e["SUMMARY"]) == "Coffee with Anthony Marchetti"
    )
    # The meeting's own time is the meeting; every other offered time is held.
    assert sorted([local(meeting), *map(local, hs)]) == sorted(times)
    code, plan, _ = cli(home, capsys, "plan")
    assert plan.count("Hold: coffee (offered)") == len(hs)
    for h in hs:
        assert str(h["SUMMARY"]) == "Hold: coffee with Anthony Marchetti (offered)"
        assert str(h["TRANSP"]) == "TRANSPARENT"
        assert str(h["X-NETWEAVE-ID"]).endswith("@netweave.invalid")
        assert "netweave confirm Anthony" in str(h["DESCRIPTION"])
    # Nothing changes on the next runs, and outreach again offers the same times.
    files = {p.name: p.read_bytes() for p in (home / "out" / "networking").glob("*.ics")}
    again = sync(home, capsys)
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)
    code, out, _ = cli(home, capsys, "outreach", "Anthony Marchetti")
    assert offered_times(out, "Coffee with Anthony Marchetti") == times
    again = sync(home, capsys)
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert {p.name: p.read_bytes() for p in (home / "out" / "networking").glob("*.ics")} == files


def test_holds_never_overlap_busy_time_each_other_or_any_event(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "outreach", "--sent")
    assert code == 0
    sync(home, capsys)
    hs = holds(home)
    assert len({str(h["SUMMARY"]) for h in hs}) >= 2  # holds for more than one person
    config = load(home / "config.toml")
    now = datetime.fromisoformat(NOW)
    inputs, _ = plan_only(config, RunOptions(now=now))
    pad = timedelta(minutes=config.budget.buffer_minutes)
    events = written(home)
    for h in hs:
        a, b = span(h)
        travel = timedelta(minutes=20)  # the example's travel to the office area
        assert not [x for x in inputs.busy if x.start < b + travel and a - travel < x.end], h
        for other in events.values():
            if str(other["UID"]) == str(h["UID"]):
                continue
            c, d = span(other)
            assert not (c < b + travel + pad and a - travel - pad < d), (
                str(h["SUMMARY"]),
                a,
                str(other["SUMMARY"]),
                c,
            )


def test_confirm_makes_the_chosen_time_the_meeting_and_deletes_the_other_holds(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "outreach", "Anthony Marchetti", "--sent")
    times = offered_times(out, "Coffee with Anthony Marchetti")
    sync(home, capsys)
    (home / "out" / "networking" / "mine.ics").write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\nBEGIN:VEVENT\r\nUID:mine-1\r\n"
        b"DTSTAMP:20261101T000000Z\r\nDTSTART:20261130T150000Z\r\nDTEND:20261130T160000Z\r\n"
        b"SUMMARY:Hold: my own note\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    mine = (home / "out" / "networking" / "mine.ics").read_bytes()
    assert len(holds(home)) == len(times) - 1
    code, out, err = cli(home, capsys, "confirm", "Anthony", "2")
    assert code == 0, err
    assert f"{len(times) - 1} other offered time(s) released" in out
    assert holds(home) == []
    meeting = next(
        e for e in written(home).values() if str(e["SUMMARY"]) == "Coffee with Anthony Marchetti"
    )
    assert local(meeting) == times[1] and str(meeting["TRANSP"]) == "OPAQUE"
    assert (home / "out" / "networking" / "mine.ics").read_bytes() == mine
    again = sync(home, capsys)
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)


def test_a_held_time_that_turns_busy_is_released(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sync(home, capsys)
    cli(home, capsys, "outreach", "Anthony Marchetti", "--sent")
    sync(home, capsys)
    before = holds(home)
    assert before
    a, b = span(before[0])
    stamp = "%Y%m%dT%H%M%SZ"
    busy = (
        "BEGIN:VEVENT\r\nUID:court-hearing-1\r\nDTSTAMP:20261101T000000Z\r\n"
        f"DTSTART:{a.astimezone(UTC).strftime(stamp)}\r\n"
        f"DTEND:{b.astimezone(UTC).strftime(stamp)}\r\n"
        "SUMMARY:Hearing\r\nEND:VEVENT\r\n"
    )
    cal = home / "examples" / "calendar.ics"
    text = cal.read_text()
    cal.write_text(text[: text.rindex("END:VCALENDAR")] + busy + "END:VCALENDAR\r\n")
    run = sync(home, capsys)
    assert run["deleted"] >= 1
    after = holds(home)
    assert span(before[0]) not in {span(h) for h in after}
    assert len(after) == len(before) - 1


def test_holds_on_a_shared_calendar_are_neutral(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = home / "config.toml"
    text = cfg.read_text().replace("shared = false ", "shared = true  ", 1)
    assert "shared = true" in text
    cfg.write_text(text)
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "outreach", "Anthony Marchetti", "--sent")
    times = offered_times(out, "Coffee with Anthony Marchetti")
    sync(home, capsys)
    hs = holds(home)
    assert len(hs) == len(times) - 1
    for h in hs:
        assert str(h["SUMMARY"]) == "Personal appointment"
        assert str(h["TRANSP"]) == "TRANSPARENT" and str(h["CLASS"]) == "PRIVATE"
    for p in (home / "out" / "networking").glob("*.ics"):
        data = p.read_text()
        assert "Anthony" not in data and "Marchetti" not in data and "Hold:" not in data
        assert not re.search(r"^DESCRIPTION", data, re.M)

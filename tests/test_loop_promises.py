"""Promises from the interaction log become follow-up tasks on the calendar, through the CLI on
the example: one short task after the meeting for each promise (``done --promised`` or ``log
--promised``), written once, kept where it is, never duplicated, not made again once deleted
or once its time has passed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
from example_home import cli, make_home

LATER = "2026-12-09T10:00:00-05:00"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_home(tmp_path, monkeypatch)


def sync(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = cli(home, capsys, "sync", "--json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def tasks(home: Path) -> dict[str, tuple[str, Any]]:
    """The promise tasks in the calendar folder: file name -> (title, the event)."""
    out = {}
    for p in sorted((home / "out" / "networking").glob("*.ics")):
        (ev,) = icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT")
        if str(ev["SUMMARY"]).startswith("Keep your promise to "):
            out[p.name] = (str(ev["SUMMARY"]), ev)
    return out


def files(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (home / "out" / "networking").glob("*.ics")}


def test_a_promise_becomes_one_task_after_the_meeting(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "status", "--json")
    first = next(a for a in json.loads(out)["activities"] if a["kind"] == "one-on-one")
    monkeypatch.setenv("NETWEAVE_NOW", LATER)
    code, _, err = cli(
        home, capsys, "done", first["name"], "--note", "her move to trial work",
        "--promised", "the Kessler brief",
    )  # fmt: skip
    assert code == 0, err
    assert tasks(home) == {}  # the next sync writes it
    sync(home, capsys)
    ((name, (title, ev)),) = tasks(home).items()
    assert title == f"Keep your promise to {first['name']}: the Kessler brief"
    assert str(ev["X-NETWEAVE-KIND"]) == "follow-up"
    assert str(ev["X-NETWEAVE-ID"]).endswith("@netweave.invalid")
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    assert start > datetime.fromisoformat(LATER) > datetime.fromisoformat(first["end"])
    assert start.weekday() < 5 and 9 <= start.hour < 18 and (end - start).seconds <= 30 * 60
    assert "You promised" in str(ev["DESCRIPTION"]) and "the Kessler brief" in str(
        ev["DESCRIPTION"]
    )
    # Later runs write nothing more: no duplicate.
    before = files(home)
    again = sync(home, capsys)
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert files(home) == before
    # A promise from a meeting held elsewhere becomes a task too; the first stays as it is.
    code, out, _ = cli(home, capsys, "contacts", "--json")
    other = next(
        c["name"]
        for c in sorted(json.loads(out), key=lambda c: c["name"])
        if c["id"] != first["contact"] and c["emails"]
    )
    code, _, err = cli(
        home, capsys, "log", other, "2026-12-08", "--promised", "an intro to Priya Raman"
    )
    assert code == 0, err
    sync(home, capsys)
    now = tasks(home)
    assert len(now) == 2 and now[name][0] == title
    assert (home / "out" / "networking" / name).read_bytes() == before[name]
    assert {t for t, _ in now.values()} == {
        title,
        f"Keep your promise to {other}: an intro to Priya Raman",
    }
    again = sync(home, capsys)
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)


def test_a_promise_task_deleted_or_past_is_not_made_again(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(home, capsys)
    code, out, _ = cli(home, capsys, "status", "--json")
    acts = [a for a in json.loads(out)["activities"] if a["kind"] == "one-on-one"]
    monkeypatch.setenv("NETWEAVE_NOW", LATER)
    for a, what in zip(
        acts[:2], ("the Kessler brief", "a copy of the bar panel slides"), strict=True
    ):
        code, _, err = cli(home, capsys, "log", a["name"], "2026-12-08", "--promised", what)
        assert code == 0, err
    sync(home, capsys)
    made = tasks(home)
    assert len(made) == 2
    gone, kept = sorted(made, key=lambda n: made[n][0])
    (home / "out" / "networking" / gone).unlink()  # the user deletes one
    sync(home, capsys)
    assert set(tasks(home)) == {kept}
    # Weeks later, the other task's time has passed: it stays as it was, and nothing is added.
    monkeypatch.setenv("NETWEAVE_NOW", "2026-12-28T10:00:00-05:00")
    sync(home, capsys)
    sync(home, capsys)
    assert set(tasks(home)) == {kept}
    code, out, _ = cli(home, capsys, "plan", "--json")
    assert not [e for e in json.loads(out) if e["title"].startswith("Keep your promise")]

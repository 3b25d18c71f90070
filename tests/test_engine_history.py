"""Time passes between syncs: what netweave already did stays done (the engine's history).

The bundled example through the CLI, as cron runs it: a sync on Saturday 21 Nov 2026, then
syncs ten days later. The introduction request of Monday 23 Nov is history: it is not asked
again, not moved to the new day, and the second run at the same time writes nothing.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from example_home import cli, make_home

LATER = "2026-12-01T10:00:00-05:00"  # ten days on: the week of 23 Nov is history
MUCH_LATER = "2026-12-20T10:00:00-05:00"  # the trial visit of 3 Dec is history too


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_home(tmp_path, monkeypatch)


def sync(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, _ = cli(home, capsys, "sync", "--json")
    data: dict[str, Any] = json.loads(out)
    assert code == 0 and not data["errors"], data
    return data


def writes(data: dict[str, Any]) -> tuple[int, int, int]:
    return data["inserted"], data["updated"], data["deleted"]


def calendar(home: Path) -> dict[str, tuple[str, datetime, bytes]]:
    """uid -> (title, start, file bytes) of every event in the written vdir calendar."""
    out = {}
    for p in sorted((home / "out" / "networking").glob("*.ics")):
        data = p.read_bytes()
        for ev in icalendar.Calendar.from_ical(data).walk("VEVENT"):
            out[str(ev["UID"])] = (str(ev["SUMMARY"]), ev.decoded("DTSTART"), data)
    return out


def asks(cal: dict[str, tuple[str, datetime, bytes]]) -> dict[str, tuple[str, datetime]]:
    return {u: (t, s) for u, (t, s, _) in cal.items() if t.startswith("Ask ")}


def test_time_passing_keeps_what_was_done_and_converges(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert writes(sync(home, capsys))[0] > 0
    before = calendar(home)
    (intro_uid,) = asks(before)
    intro_title, intro_start, intro_bytes = before[intro_uid]
    assert intro_title == "Ask Marcus Ibekwe for an introduction to Thomas Kessler"
    assert intro_start.date() == date(2026, 11, 23)

    monkeypatch.setenv("NETWEAVE_NOW", LATER)
    sync(home, capsys)  # the plan moves on
    for _ in range(2):
        assert writes(sync(home, capsys)) == (0, 0, 0)  # and then stays put
    after = calendar(home)
    # The past request is untouched (same file, same day) and is not asked a second time.
    assert after[intro_uid][2] == intro_bytes
    assert asks(after) == {intro_uid: (intro_title, intro_start)}
    for uid, (_title, start, data) in before.items():  # the past week stays as it was
        if start < datetime.fromisoformat(LATER):
            assert after[uid][2] == data
    # Six weeks: the example's December is full (a trip, a reception, out of office, holidays).
    code, out, _ = cli(home, capsys, "plan", "--json", "--weeks", "6")
    events = json.loads(out)
    assert code == 0 and not [e for e in events if e["title"].startswith("Ask ")]
    # The target's first meeting follows the request by introduction_lead_days (14).
    kessler = [e for e in events if e["title"].endswith("with Thomas Kessler")]
    assert kessler
    for e in kessler:
        assert datetime.fromisoformat(e["start"]).date() >= intro_start.date() + timedelta(14)

    # Later still: the trial visit of 3 Dec was made, so January's is the second of two, in
    # every run (not "1 of 2" once the previous plan no longer lists December's).
    monkeypatch.setenv("NETWEAVE_NOW", MUCH_LATER)
    sync(home, capsys)
    assert writes(sync(home, capsys)) == (0, 0, 0)
    visits = sorted(
        (start, title)
        for title, start, _ in calendar(home).values()
        if title.startswith("Midtown Business Exchange")
    )
    assert [t.endswith("(trial visit 1 of 2)") for _, t in visits] == [True, False]
    assert visits[1][1].endswith("(trial visit 2 of 2)"), visits
    assert asks(calendar(home)) == {intro_uid: (intro_title, intro_start)}


def test_an_event_the_user_made_busy_stays_busy(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Time defence: netweave writes far-ahead events free (TRANSP:TRANSPARENT). Once the
    meeting is agreed the user makes it busy: that is the acceptance netweave can see (it
    writes no guests). The user's change is adopted, not written over, and netweave never
    turns that event back to free, not even when it rewrites it later."""
    sync(home, capsys)
    folder = home / "out" / "networking"
    far = sorted(
        p
        for p in folder.glob("*.ics")
        if b"TRANSP:TRANSPARENT" in p.read_bytes() and b"SUMMARY:Coffee with" in p.read_bytes()
    )
    assert len(far) >= 2
    mine, other = far[0], far[1]
    mine.write_bytes(mine.read_bytes().replace(b"TRANSP:TRANSPARENT", b"TRANSP:OPAQUE"))
    made_busy = mine.read_bytes()
    for _ in range(2):
        assert writes(sync(home, capsys)) == (0, 0, 0)  # adopted: nothing written over
    assert mine.read_bytes() == made_busy
    uid = mine.name.removesuffix(".ics")
    agenda = icalendar.Calendar.from_ical((home / "out" / "netweave-agenda.ics").read_bytes())
    transp = {str(e["UID"]): str(e.get("TRANSP")) for e in agenda.walk("VEVENT")}
    assert transp[uid] == "OPAQUE" and transp[other.name.removesuffix(".ics")] == "TRANSPARENT"

    # A later rewrite (the goal's wording changed: every agenda changes) keeps it busy.
    config = home / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("Equity-partner track", "Equity partnership"), "utf-8")
    assert sync(home, capsys)["updated"] > 0
    (rewritten,) = icalendar.Calendar.from_ical(mine.read_bytes()).walk("VEVENT")
    assert "Equity partnership" in str(rewritten["DESCRIPTION"])
    assert str(rewritten["TRANSP"]) == "OPAQUE"
    assert b"TRANSP:TRANSPARENT" in other.read_bytes()
    assert writes(sync(home, capsys)) == (0, 0, 0)

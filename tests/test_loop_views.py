"""What the user sees of the meeting loop outside ``status``: each event's state in
``plan --json`` and the report's counts and per-meeting marks, through the CLI on the example."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from example_home import cli, make_home

LATER = "2026-12-09T10:00:00-05:00"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_home(tmp_path, monkeypatch)


def run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = cli(home, capsys, *args)
    assert code == 0, err
    return out


def plan_json(home: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    return {e["uid"]: e for e in json.loads(run(home, capsys, "plan", "--json", "--weeks", "4"))}


def activities(home: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    acts: list[dict[str, Any]] = json.loads(run(home, capsys, "status", "--json"))["activities"]
    return acts


def test_plan_json_carries_each_events_state_and_its_date(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan_json(home, capsys)
    assert before and all(
        e["state"] is None and e["state_changed"] is None for e in before.values()
    )
    run(home, capsys, "sync", "--weeks", "4")
    acts = activities(home, capsys)
    meetings = [a for a in acts if a["kind"] == "one-on-one"]
    first, second = meetings[0], meetings[1]
    after = plan_json(home, capsys)
    tracked = [e for e in after.values() if e["uid"] in {a["uid"] for a in acts}]
    assert {e["kind"] for e in tracked} >= {"one-on-one", "group"}
    assert all(e["state"] == "held" for e in tracked)
    assert all(e["state_changed"] == "2026-11-21" for e in tracked)
    # Prep, follow-up and travel blocks have no state of their own.
    assert all(e["state"] is None for e in after.values() if e not in tracked)
    assert {e["kind"] for e in after.values() if e not in tracked} >= {"prep", "follow-up"}
    monkeypatch.setenv("NETWEAVE_NOW", "2026-11-23T09:00:00-05:00")
    run(home, capsys, "outreach", second["name"], "--sent")
    run(home, capsys, "confirm", first["name"], "--no-sync")
    after = plan_json(home, capsys)
    assert after[first["uid"]]["state"] == "confirmed"
    assert after[second["uid"]]["state"] == "proposed"
    assert after[second["uid"]]["state_changed"] == "2026-11-23"
    others = [e for e in tracked if e["uid"] not in (first["uid"], second["uid"])]
    assert all(after[e["uid"]]["state"] == "held" for e in others)


def _chips(page: str) -> dict[str, int]:
    found = re.findall(
        r"<li data-state='(\w+)'><span class='state \w+'>[^<]*</span> <b>(\d+)</b>", page
    )
    return {s: int(n) for s, n in found}


def _marks(page: str) -> dict[str, str]:
    rows = re.findall(r"<tr data-uid='([^']+)'>.*?<span class='state (\w+)'", page)
    return dict(rows)


def test_the_report_shows_where_each_meeting_stands(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = home / "report.html"
    run(home, capsys, "report", "--weeks", "4", "--out", str(out))
    page = out.read_text()
    assert "No sync has recorded these activities yet" in page
    assert set(_marks(page).values()) == {"new"}
    run(home, capsys, "sync", "--weeks", "4")
    meetings = [a for a in activities(home, capsys) if a["kind"] == "one-on-one"]
    first, second, third = meetings[:3]
    run(home, capsys, "outreach", second["name"], "--sent")
    run(home, capsys, "confirm", third["name"], "--no-sync")
    monkeypatch.setenv("NETWEAVE_NOW", LATER)  # the first has passed, nobody said a word
    run(home, capsys, "report", "--from", "2026-11-21", "--weeks", "4", "--out", str(out))
    page = out.read_text()
    marks = _marks(page)
    assert marks[first["uid"]] == "awaiting"
    assert marks[third["uid"]] == "confirmed"
    assert "✓ confirmed" in page and "? did it take place" in page
    chips = _chips(page)
    acts = activities(home, capsys)
    in_window = [a for a in acts if "2026-11-21" <= a["start"][:10] < "2026-12-19"]
    assert sum(chips.values()) == len(in_window)
    assert chips["confirmed"] == 1 and chips["awaiting"] >= 1
    run(home, capsys, "done", first["name"], "--note", "a good talk")
    run(home, capsys, "report", "--from", "2026-11-21", "--weeks", "4", "--out", str(out))
    page = out.read_text()
    assert _chips(page)["done"] == 1
    assert _chips(page)["awaiting"] == chips["awaiting"] - 1
    assert "title='done since 09 Dec'" in page

"""The benchmark's generated data is a calendar a person could have: its 26-week plan places
meetings in most weeks (an unrealistic calendar that reads as one long trip plans nothing, and
then every benchmark figure measures a sync that does no work)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from sync.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402


def test_the_generated_calendar_plans_meetings_in_most_weeks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = generate.write(tmp_path, 400, 20_000)
    monkeypatch.setenv("NETWEAVE_NOW", f"{generate.PLAN_START.isoformat()}T10:00:00-05:00")
    try:
        main(["--config", str(paths["config"]), "plan", "--json"])
    except SystemExit as e:
        assert e.code in (0, 1, None)
    planned = json.loads(capsys.readouterr().out)
    meetings = [e for e in planned if e["kind"] == "one-on-one"]
    weeks = Counter(date.fromisoformat(e["start"][:10]).isocalendar()[:2] for e in meetings)
    assert len(weeks) >= 10, weeks  # the calendar is dense: most weeks, not all
    # The trips are in it, and no meeting falls on the day of a flight.
    text = paths["ics"].read_text(encoding="utf-8")
    flight_days = {
        event.split("DTSTART;TZID=America/New_York:", 1)[1][:8]
        for event in text.split("BEGIN:VEVENT")[1:]
        if "SUMMARY:Flight to" in event
    }
    assert len(flight_days) > 200
    met = {e["start"][:10].replace("-", "") for e in meetings}
    assert not met & flight_days


def _weekly_counts(folder: Path, capsys: pytest.CaptureFixture[str]) -> Counter[tuple[int, int]]:
    try:
        main(["--config", str(folder / "config.toml"), "plan", "--json"])
    except SystemExit as e:
        assert e.code in (0, 1, None)
    planned = json.loads(capsys.readouterr().out)
    return Counter(date.fromisoformat(e["start"][:10]).isocalendar()[:2] for e in planned)


def test_the_scaling_data_plans_the_same_events_every_week_at_twice_the_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scaling case's promise: twice the contacts and twice the events over twice the span
    plan the same number of events in every week (the owner's named focus people; the calendar
    around the plan is the same)."""
    monkeypatch.setenv("NETWEAVE_NOW", f"{generate.PLAN_START.isoformat()}T10:00:00-05:00")
    one = generate.write(tmp_path / "1x", 500, 10_000, span=1, focus=5)
    two = generate.write(tmp_path / "2x", 1_000, 20_000, span=2, focus=5)
    assert "focus = [" in one["config"].read_text()
    weeks_1x = _weekly_counts(one["config"].parent, capsys)
    weeks_2x = _weekly_counts(two["config"].parent, capsys)
    assert sum(weeks_1x.values()) >= 30  # a plan, not two empty ones
    assert weeks_1x == weeks_2x

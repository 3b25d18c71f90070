"""The week view (`netweave plan` without --json) and the progress helper."""

from __future__ import annotations

import io
import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from example_home import NOW, ROOT, cli, make_home

from sync import config as configmod
from sync.config import Config
from sync.engine import RunOptions, plan_only
from sync.model import Contact, Kind, PlannedEvent
from sync.planner import cost_minutes
from sync.view import progress, source_count, week_hours, week_view

TZ = ZoneInfo("America/New_York")


def make_config(hours: float = 4, buffer: int = 10) -> Config:
    return configmod.parse(
        {
            "owner": {"timezone": "America/New_York"},
            "goals": [
                {"id": "partner", "text": "Equity partner at a small litigation firm"},
                {"id": "trial", "text": "Known as a trial lawyer"},
            ],
            "budget": {"hours_per_week": hours, "buffer_minutes": buffer},
        },
        base=ROOT,
    )


def ev(uid: str, kind: Kind, start: datetime, minutes: int, **kw: object) -> PlannedEvent:
    return PlannedEvent(
        uid=uid,
        kind=kind,
        title=str(kw.pop("title", uid)),
        start=start,
        end=start + timedelta(minutes=minutes),
        **kw,  # type: ignore[arg-type]
    )


PEOPLE = [
    Contact(id="c-eleanor", name="Eleanor Vance", organization="Vance & Co"),
    Contact(id="c-marcus", name="Marcus Lee"),
]


def sample() -> list[PlannedEvent]:
    tue = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
    return [
        ev(
            "p1",
            Kind.PREP,
            tue - timedelta(minutes=30),
            15,
            title="Prepare: Breakfast with Eleanor",
            contacts=("c-eleanor",),
        ),
        ev(
            "b1",
            Kind.ONE_ON_ONE,
            tue,
            60,
            title="Breakfast with Eleanor Vance",
            location="Midtown",
            contacts=("c-eleanor",),
            activity="breakfast",
            goal="Equity partner at a small litigation firm",
            travel_before=10,
            travel_after=10,
        ),
        ev(
            "l1",
            Kind.ONE_ON_ONE,
            tue + timedelta(days=2, hours=4),
            60,
            title="Lunch",
            location="Harvard Club",
            contacts=("c-marcus",),
            activity="lunch",
            goal="trial",
            in_person=False,
        ),
        ev(
            "g1",
            Kind.GROUP,
            tue + timedelta(days=8, hours=10),
            120,
            title="NYC Small Firm Litigators Forum",
            location="Downtown",
            goal="partner",
            travel_before=25,
            travel_after=25,
        ),
    ]


def test_week_view_lists_each_activity_with_time_place_who_goal_and_budget() -> None:
    config = make_config()
    text = week_view(config, sample(), PEOPLE, color=False, width=140)
    assert "\x1b[" not in text  # plain text when not a terminal
    lines = text.splitlines()
    assert lines[0].startswith("Week of Mon 23 Nov 2026")
    assert any(line.startswith("Week of Mon 30 Nov 2026") for line in lines)
    prep = next(line for line in lines if "07:30-07:45" in line)
    assert prep.startswith("Tue 24") and "Prepare" in prep  # the day on its first row
    row = next(line for line in lines if "08:00-09:00" in line)
    assert row.startswith(" ") and "Breakfast" in row and "Midtown" in row
    assert "Eleanor Vance" in row and "partner" in row  # contact id -> name; goal text -> id
    lunch = next(line for line in lines if "12:00-13:00" in line)
    assert "Thu 26" in lunch and "Marcus Lee" in lunch and "(call)" in lunch and "trial" in lunch
    assert "Goal partner: Equity partner at a small litigation firm" in text
    # Budget: the planner's own cost (meeting + travel + buffers), per ISO week.
    week1 = sum(cost_minutes(e, 10) for e in sample()[:3])
    assert week1 == 15 + (60 + 20 + 20) + (60 + 20)
    assert f"{week1 // 60}h{week1 % 60:02d} of 4h ({round(week1 / 240 * 100)}%)" in lines[0]
    assert "c-eleanor" not in text


def test_week_view_colour_only_when_asked_and_over_budget_is_flagged() -> None:
    config = make_config(hours=1)
    coloured = week_view(config, sample(), PEOPLE, color=True, width=140)
    assert "\x1b[" in coloured
    plain = week_view(config, sample(), PEOPLE, color=False, width=140)
    assert "of 1h (" in plain and "%)" in plain
    first = plain.splitlines()[0]
    pct = int(first.rsplit("(", 1)[1].split("%")[0])
    assert pct > 100


def test_week_view_of_nothing_says_why() -> None:
    text = week_view(make_config(), [], PEOPLE, color=False)
    assert text.startswith("Nothing planned")


def test_week_hours_lists_empty_weeks_of_the_horizon() -> None:
    config = make_config()
    uses = week_hours(config, sample(), date(2026, 11, 21), 4)  # a Saturday: 5 ISO weeks
    assert [u.monday for u in uses] == [
        date(2026, 11, 16) + timedelta(days=7 * i) for i in range(5)
    ]
    assert [u.events for u in uses] == [0, 3, 1, 0, 0]
    assert uses[2].minutes == 120 + 50 + 20
    assert all(u.budget_minutes == 240 for u in uses)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_and_logs_each_step(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tty = Tty()
    with progress(2, "reading", stream=tty) as tick:
        tick("apple")
        tick("work")
    assert "reading" in tty.getvalue()
    quiet = Tty()
    with progress(2, "reading", quiet=True, stream=quiet) as tick:
        tick("apple")
    assert quiet.getvalue() == ""
    pipe = io.StringIO()
    with caplog.at_level(logging.INFO, logger="netweave"), progress(2, "reading", stream=pipe) as t:
        t("apple")
        t("work")
    assert pipe.getvalue() == ""
    assert [r.getMessage() for r in caplog.records][-2:] == ["reading: apple", "reading: work"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = make_home(tmp_path, monkeypatch)
    (home / "out" / "networking").mkdir(parents=True)
    return home


def test_read_inputs_reports_each_source_to_the_progress_callback(home: Path) -> None:
    config = configmod.load(home / "config.toml")
    seen: list[str] = []
    opts = RunOptions(now=datetime.fromisoformat(NOW), progress=seen.append)
    plan_only(config, opts)
    assert seen[:7] == ["apple", "outlook", "nextcloud", "linkedin", "alumni", "work", "networking"]
    assert len(seen) == source_count(config)
    assert all(s.startswith("group:") for s in seen[7:])


def test_plan_command_prints_the_week_view_to_stdout_only(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(home, capsys, "plan")
    assert code == 0, err
    assert out.startswith("Week of ")
    assert "\x1b[" not in out and "\x1b[" not in err  # not a terminal: no colour, no bar
    assert "budget" in out and "incl. travel and buffers" in out
    assert "Week of" not in err

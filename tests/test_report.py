"""`netweave report`: the HTML page, its data, and the page rendered in a real headless Chromium.

The browser tests need Debian's chromium (``apt-get install chromium``). Without it they are
skipped, unless ``NETWEAVE_REQUIRE_BROWSER=1`` (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from example_home import NOW, ROOT, make_home

from sync import config as configmod
from sync.cli import main
from sync.config import Config
from sync.model import Contact, Event, Kind, PlannedEvent, Tie
from sync.report import (
    FocusPerson,
    ReportInput,
    build_html,
    focus_rows,
    per_category,
    ties_over_time,
)

TZ = ZoneInfo("America/New_York")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


# ------------------------------------------------------------------ the browser


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("NETWEAVE_REQUIRE_BROWSER") == "1":
        pytest.fail("NETWEAVE_REQUIRE_BROWSER=1 but no chromium: apt-get install -y chromium")
    pytest.skip("no chromium installed (apt-get install -y chromium)")


def render(page: Path, tmp_path: Path) -> tuple[str, list[str]]:
    """The DOM after the page's scripts ran, and every console message (errors included)."""
    profile = tmp_path / f"profile-{page.stem}"
    done = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def test_the_harness_sees_script_errors_and_blocked_requests(tmp_path: Path) -> None:
    """Negative control: a broken page is caught, so a clean report really is clean."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta http-equiv='Content-Security-Policy' "
        "content=\"default-src 'none'; script-src 'unsafe-inline'\"></head><body>"
        "<img src='http://192.0.2.1/x.png'><script>document.body.dataset.ready='1';"
        "notDefined();</script></body></html>",
        encoding="utf-8",
    )
    dom, console = render(page, tmp_path)
    assert 'data-ready="1"' in dom
    assert any("notDefined" in line for line in console)
    assert any("Content Security Policy" in line or "Refused" in line for line in console)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = make_home(tmp_path, monkeypatch)
    (home / "out" / "networking").mkdir(parents=True)
    return home


def run(home: Path, *args: str) -> int:
    try:
        main(["--config", str(home / "config.toml"), *args])
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def test_report_of_the_example_renders_in_chromium_with_every_chart_drawn(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = home / "report.html"
    assert run(home, "report", "--out", str(out), "--weeks", "4") == 0
    _stdout, err = capsys.readouterr()
    assert "names people" in err
    assert out.stat().st_mode & 0o077 == 0  # private: it names people
    html = out.read_text(encoding="utf-8")
    # Self-contained: nothing is fetched at view time.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "Confidential." in html and "names of people" in html

    dom, console = render(out, tmp_path)
    assert console == [], console
    assert 'data-ready="1"' in dom  # the inline script ran to its end
    assert 'data-charts="5"' in dom
    charts = set(re.findall(r'<svg class="chart" data-chart="([a-z]+)"', dom))
    assert charts == {"hours", "categories", "goals", "ties", "network"}
    hours_bars = re.findall(r'<rect class="bar[^"]*" data-week="([0-9-]+)"', dom)
    assert hours_bars == ["2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"]
    assert "· 4 weeks ·" in dom and "of 16 h budget" in dom
    assert len(re.findall(r'<circle class="node', dom)) >= 50  # every contact on the map
    assert len(re.findall(r'<g class="hub"', dom)) >= 8
    assert re.search(r'class="status (planned|due|overdue|ok)"', dom)


# ------------------------------------------------------------------ the data, unit by unit


def cfg(**planner: object) -> Config:
    return configmod.parse(
        {
            "owner": {"timezone": "America/New_York", "name": "Dana"},
            "goals": [{"id": "partner", "text": "Equity partner"}],
            "budget": {"hours_per_week": 3},
            "planner": planner,
        },
        base=ROOT,
    )


def at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def pe(uid: str, start: datetime, contacts: tuple[str, ...], cats: tuple[str, ...]) -> PlannedEvent:
    return PlannedEvent(
        uid=uid,
        kind=Kind.ONE_ON_ONE,
        title=f"Coffee {uid}",
        start=start,
        end=start + timedelta(hours=1),
        contacts=contacts,
        categories=cats,
        goal="Equity partner",
        activity="coffee",
    )


FRIEND = Contact(
    id="c-f",
    name="Fran Friend",
    emails=("fran@example.com",),
    categories=("friends",),
    tie=Tie.STRONG,
    last_met=date(2026, 11, 1),
)
TARGET = Contact(
    id="c-t",
    name="Tom Target",
    emails=("tom@firm.example",),
    categories=("targets",),
    tie=Tie.WEAK,
    last_met=date(2026, 9, 1),
    organization="Burke <Feinstein>",
)
NEVER = Contact(id="c-n", name="<script>alert(1)</script>", categories=("alumni",))


def meeting(uid: str, start: datetime, *emails: str) -> Event:
    return Event(
        uid=uid,
        summary="Lunch",
        start=start,
        end=start + timedelta(hours=1),
        attendees=("dana@example.com", *emails),
    )


def report_input(**kw: object) -> ReportInput:
    base = dict(
        config=cfg(),
        events=[
            pe("a", at(24, 8), ("c-t",), ("targets",)),
            pe("b", at(2, 12, 12), ("c-f",), ("friends",)),
            pe("c", at(3, 12, 12), ("c-t",), ("targets",)),
        ],
        contacts=[FRIEND, TARGET, NEVER],
        history=[
            meeting("h1", at(1, 12), "fran@example.com"),
            meeting("h2", at(1, 9, 9), "tom@firm.example", "fran@example.com"),
            meeting("h3", at(20, 9, 10), "stranger@example.com"),
            Event(
                uid="h4",
                summary="x",
                start=at(5, 9),
                end=at(5, 10),
                cancelled=True,
                attendees=("fran@example.com",),
            ),
            meeting("future", at(30, 9), "fran@example.com"),  # after now: not "met"
        ],
        focus=[
            FocusPerson("c-t", "Tom Target", TARGET),
            FocusPerson("c-n", "Nora", NEVER),
            FocusPerson("target:kessler", "Thomas Kessler", None),
        ],
        now=datetime.fromisoformat(NOW),
        start=date(2026, 11, 21),
        weeks=3,
    )
    base.update(kw)
    return ReportInput(**base)  # type: ignore[arg-type]


def test_ties_over_time_counts_past_meetings_from_calendars_and_planned_ones() -> None:
    months = {m.month: m for m in ties_over_time(report_input())}
    assert min(months) == date(2026, 5, 1) and max(months) == date(2026, 12, 1)
    assert (months[date(2026, 9, 1)].strong, months[date(2026, 9, 1)].weak) == (1, 1)
    nov = months[date(2026, 11, 1)]
    assert (nov.strong, nov.weak) == (1, 0)  # cancelled and future calendar events not counted
    assert (nov.strong_planned, nov.weak_planned) == (0, 1)
    dec = months[date(2026, 12, 1)]
    assert (dec.strong_planned, dec.weak_planned) == (1, 1)
    assert months[date(2026, 10, 1)].total == 0  # a stranger is nobody's tie


def test_focus_rows_say_when_each_was_last_met_and_is_next_due() -> None:
    inp = report_input(config=cfg(cadence={"targets": {"ideal_days": 30, "max_days": 60}}))
    rows = {r.name: r for r in focus_rows(inp)}
    tom = rows["Tom Target"]
    assert tom.last_met == date(2026, 9, 1)
    assert tom.due == date(2026, 10, 1) and tom.latest == date(2026, 10, 31)
    assert tom.next_planned is not None and tom.next_planned.uid == "a"
    assert tom.status == "planned"
    assert rows["Thomas Kessler"].status == "due" and rows["Thomas Kessler"].due is None
    later = report_input(events=[])
    assert {r.name: r.status for r in focus_rows(later)}["Tom Target"] == "overdue"


def test_activities_per_category_and_the_page_escapes_every_name() -> None:
    inp = report_input()
    assert per_category(inp.events) == [("targets", 2), ("friends", 1)]
    html = build_html(inp)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Burke &lt;Feinstein&gt;" in html
    assert html.count('<circle class="node') == 3
    assert html.count('data-chart="categories"') == 1
    assert re.findall(r'data-label="([^"]+)" data-value="(\d+)"', html)[:2] == [
        ("targets", "2"),
        ("friends", "1"),
    ]
    assert build_html(inp) == html  # deterministic


def test_an_empty_plan_still_makes_a_readable_page(tmp_path: Path) -> None:
    inp = report_input(events=[], contacts=[], history=[], focus=[])
    html = build_html(inp)
    assert "no activities planned" in html and "no contacts read" in html
    page = tmp_path / "empty.html"
    page.write_text(html, encoding="utf-8")
    dom, console = render(page, tmp_path)
    assert console == [] and 'data-ready="1"' in dom


# ------------------------------------------------------------------ true and clear


def test_header_weeks_chart_weeks_and_budget_agree() -> None:
    """From a Saturday, 4 weeks: no empty weekend bar, 4 bars, a 4-week budget."""
    events = [
        pe(f"w{i}", at(24, 8) + timedelta(days=7 * i), ("c-t",), ("targets",)) for i in range(4)
    ]
    page = build_html(report_input(events=events, start=date(2026, 11, 21), weeks=4))
    bars = re.findall(r'<rect class="bar[^"]*" data-week="([0-9-]+)"', page)
    assert bars == ["2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"]
    assert "· 4 weeks ·" in page
    assert "of 12 h budget" in page  # 4 weeks x 3 h


def test_ties_chart_leaves_out_internal_team_meetings() -> None:
    config = configmod.parse(
        {"owner": {"timezone": "America/New_York", "emails": ["dana@baxterlowe.com"]}}, base=ROOT
    )
    team = tuple(f"p{i}@baxterlowe.com" for i in range(8))
    colleagues = [
        Contact(id=f"k{i}", name=f"K {i}", emails=(a,), categories=("colleagues",), tie=Tie.STRONG)
        for i, a in enumerate(team)
    ]
    history = [
        Event(uid=f"standup{d}", summary="Team standup", start=at(d, 9), end=at(d, 10),
              attendees=("dana@baxterlowe.com", *team))
        for d in range(2, 20)
    ] + [
        Event(uid="1on1", summary="Review", start=at(3, 14), end=at(3, 15),
              attendees=("dana@baxterlowe.com", team[0])),
        meeting("lunch", at(4, 12), "fran@example.com"),
    ]  # fmt: skip
    months = ties_over_time(
        report_input(config=config, contacts=[*colleagues, FRIEND], history=history, events=[])
    )
    nov = next(m for m in months if m.month == date(2026, 11, 1))
    assert (nov.strong, nov.weak) == (1, 0)  # only the lunch with a friend outside the firm


def test_y_ticks_are_round_values() -> None:
    from sync.report import hours_chart
    from sync.report.charts import nice_ticks
    from sync.view import WeekUse

    for top in (0.4, 3.3, 4.2, 5.25, 9.9, 17, 34, 120):
        ticks = nice_ticks(top)
        step = ticks[1] - ticks[0]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert round(mantissa, 9) in (1, 2, 5), (top, ticks)
        assert ticks[-1] >= top and ticks[-2] < top
    svg = hours_chart([WeekUse(date(2026, 11, 23), 300, 240, 3)])
    labels = re.findall(r'class="axis tick"[^>]*>([0-9.]+)h<', svg)
    assert labels and "1.25" not in labels
    assert all(float(v) == int(float(v)) for v in labels), labels


def test_ties_legend_has_a_swatch_for_planned() -> None:
    from sync.report import ties_chart

    svg = ties_chart(ties_over_time(report_input()))
    assert re.search(r'<rect class="bar planned swatch"', svg)
    assert "pale: planned" in svg and "(pale: planned)" not in svg


def test_goal_labels_are_never_cut_off() -> None:
    from sync.report import hbar_chart

    goal = "Equity-partner track at a small-to-medium litigation firm in New York"
    svg = hbar_chart("goals", "Activities per goal", [(goal, 3), ("Known as a trial lawyer", 1)])
    assert "…" not in svg
    shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    assert goal in shown and "Known as a trial lawyer" in shown


def test_network_map_labels_do_not_overlap() -> None:
    from sync.report import network_map
    from sync.report.charts import HUB_CHAR, label_box

    people = [
        Contact(id=f"t{i}", name=f"Target Person Number {i}", categories=("targets",))
        for i in range(12)
    ]
    svg = network_map(people, {c.id for c in people})
    boxes = [
        label_box(float(x), float(y), text, anchor)
        for x, y, anchor, text in re.findall(
            r'<text class="node-label name" x="([0-9.-]+)" y="([0-9.-]+)" '
            r'text-anchor="(\w+)">([^<]*)</text>',
            svg,
        )
    ]
    boxes += [
        label_box(float(x), float(y), text, "middle", HUB_CHAR)
        for x, y, text in re.findall(
            r'<text class="hub-label" x="([0-9.-]+)" y="([0-9.-]+)" '
            r'text-anchor="middle">([^<]*)</text>',
            svg,
        )
    ]
    assert len(boxes) == 13
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_report_totals_and_bars_agree_with_the_plan_json(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a browser: the page's numbers against `plan --json` for the same window."""
    assert run(home, "plan", "--json", "--weeks", "4") == 0
    plan = json.loads(capsys.readouterr().out)
    out = home / "report.html"
    assert run(home, "report", "--out", str(out), "--weeks", "4") == 0
    page = out.read_text(encoding="utf-8")
    acts = [e for e in plan if e["kind"] in ("one-on-one", "group")]
    assert re.search(rf"<b>{len(acts)}</b><span>activities planned</span>", page)
    bars = re.findall(r'data-week="([0-9-]+)" data-hours="([0-9.]+)"', page)
    days = [date.fromisoformat(e["start"][:10]) for e in plan]
    weeks_with_events = {(d - timedelta(days=d.weekday())).isoformat() for d in days}
    assert weeks_with_events <= {w for w, _ in bars}
    n = len(bars)
    assert f"of {4 * n:g} h budget" in page
    assert ("· 4 weeks ·" in page) == (n == 4)

"""What the plan says about itself, from the CLI on the bundled example: introduction requests
are their own kind everywhere (plan JSON, week view, sync output, agenda, report), group titles
name their group once, and ``plan --explain`` gives true reasons (no past days, the wait for an
introduction, the monthly cap with its numbers)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from example_home import cli_text, make_home

NOW = "2026-12-04T10:00:00-05:00"
FROM = "2026-12-07"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_home(tmp_path, monkeypatch, NOW, plain_terminal=True)


def plan_json(home: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, str]]:
    code, out = cli_text(home, capsys, "plan", "--json", "--from", FROM, "--weeks", "6", *extra)
    assert code == 0, out
    data = json.loads(out)
    assert isinstance(data, list)
    return data


# ------------------------------------------------------------------ introductions


def test_an_introduction_request_is_its_own_kind_with_one_goal(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = plan_json(home, capsys)
    (intro,) = [e for e in events if e["title"].startswith("Ask ")]
    assert intro["kind"] == "introduction"
    assert intro["goal"] and f"My goal: {intro['goal']}" in intro["agenda"]
    assert intro["why"].endswith("the introduction comes first")
    # the week view: its Goal column names the goal (by id, as every other row)
    code, out = cli_text(home, capsys, "plan", "--from", FROM, "--weeks", "6")
    assert code == 0
    goal_ids = dict(re.findall(r"^Goal (\S+): (.+)$", out, re.M))
    row = next(ln for ln in out.splitlines() if "Ask Marcus Ibekwe" in ln)
    assert row.split()[-1] in goal_ids and goal_ids[row.split()[-1]] == intro["goal"]


def test_an_introduction_request_is_written_and_exported_as_one(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = cli_text(home, capsys, "sync", "--from", FROM, "--weeks", "6")
    assert code == 0, out
    line = next(ln for ln in out.splitlines() if "for an introduction to" in ln)
    assert line.startswith("  inserted  Thu 10 Dec 09:00-09:15  Ask Marcus Ibekwe")
    agenda = (home / "out" / "netweave-agenda.ics").read_text(encoding="utf-8")
    unfolded = agenda.replace("\r\n ", "")
    intro = next(b for b in unfolded.split("BEGIN:VEVENT") if "for an introduction to" in b)
    assert "X-NETWEAVE-KIND:introduction" in intro
    written = "".join(p.read_text() for p in (home / "out" / "networking").iterdir())
    assert "X-NETWEAVE-KIND:introduction" in written
    # status lists it among what the lifecycle follows, as an introduction
    code, out = cli_text(home, capsys, "status", "--json")
    assert code == 0
    kinds = {a["title"]: a["kind"] for a in json.loads(out)["activities"]}
    assert kinds[intro_title(unfolded)] == "introduction"


def intro_title(ics: str) -> str:
    (title,) = re.findall(r"^SUMMARY:(Ask .+ for an introduction to .+?)\r?$", ics, re.M)
    return title


def test_a_request_recorded_as_prep_before_is_an_introduction_now(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """State written when introduction requests were "prep" tasks reads as introductions, and
    the next sync only updates the request (same uid: nothing deleted, nothing doubled)."""
    import sqlite3

    assert cli_text(home, capsys, "sync", "--from", FROM, "--weeks", "6")[0] == 0
    db = sqlite3.connect(home / "out" / "state.sqlite")  # [state] path of the example
    (raw,) = db.execute("SELECT value FROM meta WHERE key = 'last_plan'").fetchone()
    db.execute(
        "UPDATE meta SET value = ? WHERE key = 'last_plan'",
        (raw.replace('"kind": "introduction"', '"kind": "prep"'),),
    )
    db.execute(
        'UPDATE owned SET planned = replace(planned, \'"kind": "introduction"\', '
        '\'"kind": "prep"\')'
    )
    db.execute("UPDATE activities SET kind = 'prep' WHERE kind = 'introduction'")
    db.commit()
    db.close()
    # an old record of the plan reads as an introduction at once; the lifecycle's row as it was
    assert intro_kinds(home, capsys) == ({"prep"}, {"introduction"})
    code, out = cli_text(home, capsys, "sync", "--from", FROM, "--weeks", "6")
    assert code == 0, out
    assert not re.search(r"^  (inserted|deleted) ", out, re.M)
    assert intro_kinds(home, capsys) == ({"introduction"}, {"introduction"})


def intro_kinds(home: Path, capsys: pytest.CaptureFixture[str]) -> tuple[set[str], set[str]]:
    """The kinds ``status --json`` gives the introduction request: in its activities (the
    lifecycle) and in the next events (the last plan)."""
    code, out = cli_text(home, capsys, "status", "--json")
    assert code == 0
    data = json.loads(out)
    return tuple(  # type: ignore[return-value]
        {x["kind"] for x in data[key] if "for an introduction to" in x["title"]}
        for key in ("activities", "next")
    )


def test_the_report_lists_the_introduction_request(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = home / "report.html"
    code, out = cli_text(home, capsys, "report", "--out", str(page), "--from", FROM)
    assert code == 0, out
    html = page.read_text(encoding="utf-8")
    agenda = html.split("Planned activities", 1)[1]
    assert "Ask Marcus Ibekwe for an introduction to Thomas Kessler" in agenda


# ------------------------------------------------------------------ group titles


def test_group_titles_name_their_group_once(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = plan_json(home, capsys)
    groups = [e for e in events if e["kind"] == "group"]
    assert groups
    for e in groups:
        for name in ("Midtown Business Exchange", "NYC Small Firm Litigators Forum"):
            assert e["title"].count(name) <= 1, e["title"]
    titles = {e["title"] for e in groups}
    assert "Midtown Business Exchange - first Thursday networking (trial visit 1 of 2)" in titles
    # a summary that does not name its group keeps the group's name before it
    nysba = "NYSBA Commercial & Federal Litigation Section"
    assert f"{nysba}: NYSBA Com Fed Section - holiday reception" in titles
    code, out = cli_text(home, capsys, "plan", "--from", FROM, "--weeks", "6")
    assert code == 0 and "Midtown Business Exchange: Midtown" not in out.replace("\n", " ")


# ------------------------------------------------------------------ what a deletion deleted


def test_sync_says_what_it_deleted_from_the_actions_alone(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's deletions carry the event as it was planned: the command prints them
    without opening the state a second time before the run."""
    from sync.state import State

    assert cli_text(home, capsys, "sync", "--weeks", "4")[0] == 0
    cfg = home / "config.toml"
    text = cfg.read_text()
    cfg.write_text(text.replace("max_one_on_ones_per_week = 3", "max_one_on_ones_per_week = 1"))
    opened: list[Path] = []
    init = State.__init__

    def counting(self: State, path: Path) -> None:
        opened.append(Path(path))
        init(self, path)

    monkeypatch.setattr(State, "__init__", counting)
    code, out = cli_text(home, capsys, "sync", "--weeks", "4")
    assert code == 0, out
    assert len(opened) == 1, opened
    deleted = [ln for ln in out.splitlines() if ln.startswith("  deleted ")]
    assert deleted and all("(no longer planned)" in ln for ln in deleted)
    assert any(re.search(r"\d\d:\d\d-\d\d:\d\d  \w[\w .]+: Coffee", ln) for ln in deleted)
    assert "@netweave.invalid" not in out and "Not found in any plan" not in out


# ------------------------------------------------------------------ plan --explain


def explain_weeks(text: str) -> dict[str, str]:
    """The explanation cut into its weeks, by ISO label."""
    parts = re.split(r"^Week (\d{4}-W\d\d) ", text, flags=re.M)
    return {label: body for label, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_explain_leaves_out_the_days_already_past(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETWEAVE_NOW", "2026-12-06T10:00:00-05:00")  # a Sunday
    code, out = cli_text(home, capsys, "plan", "--explain", "--weeks", "2")
    assert code == 0, out
    weeks = explain_weeks(out)
    first = weeks["2026-W49"]
    assert first.startswith("(from Mon 30 Nov 2026; planned from Sun 06 Dec: the days before")
    assert "no free window" not in first and "Mon 30 Nov —" not in first
    assert "no meeting window is left this week (days left: Sun 06 Dec)" in first
    assert "Placed:" in weeks["2026-W50"]


def test_explain_says_who_waits_for_an_introduction_and_until_when(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = plan_json(home, capsys)
    (intro,) = [e for e in events if e["kind"] == "introduction"]
    asked = date.fromisoformat(intro["start"][:10])
    lead = 14  # [planner] introduction_lead_days of the example
    assert f"introduction_lead_days = {lead}" in (home / "config.toml").read_text()
    code, out = cli_text(home, capsys, "plan", "--explain", "--from", FROM, "--weeks", "3")
    assert code == 0
    wait = (
        f"Thomas Kessler — waiting for the introduction (asked {asked:%a %d %b}): "
        f"a meeting is possible from {asked + timedelta(days=lead)}"
    )
    assert wait in out
    assert "Thomas Kessler — cadence not due" not in out
    # the same words with --json: the explanation travels with the events
    code, out = cli_text(
        home, capsys, "plan", "--json", "--explain", "--from", FROM, "--weeks", "3"
    )
    data = json.loads(out)
    assert code == 0 and data["events"] and any(wait in ln for ln in data["explanation"])


def test_the_monthly_cap_gives_its_count_and_its_weeks(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = home / "config.toml"
    text = cfg.read_text()
    assert "activities_per_month = 6" in text
    cfg.write_text(text.replace("activities_per_month = 6", "activities_per_month = 2"))
    events = plan_json(home, capsys)
    code, out = cli_text(home, capsys, "plan", "--explain", "--from", FROM, "--weeks", "6")
    assert code == 0
    said = r"monthly activity cap reached: (\d+) of (\d+) in the four weeks "
    found = re.findall(said + r"(\d\d \w\w\w)-(\d\d \w\w\w)", out)
    assert found
    for n, cap, first, last in set(found):
        lo = datetime.strptime(f"{first} 2026", "%d %b %Y").date()
        hi = datetime.strptime(f"{last} 2026", "%d %b %Y").date()
        hi = hi.replace(year=2027) if hi < lo else hi
        assert (hi - lo).days == 27 and lo.weekday() == 0
        held = [
            e
            for e in events
            if e["kind"] in ("one-on-one", "group")
            and lo <= date.fromisoformat(e["start"][:10]) <= hi
        ]
        assert (int(n), int(cap)) == (len(held), 2), (first, last, held)


def test_a_group_event_is_never_filed_under_another_group_sharing_its_feed(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three groups of the example read one feed; a window holding only one group's event
    (Midtown's first Thursday) plans it under that group alone, and a longer sync afterwards
    keeps it (no deletion, no second copy)."""
    monkeypatch.setenv("NETWEAVE_NOW", "2026-11-21T10:00:00-05:00")
    groups = ("NYC Small Firm Litigators Forum", "NYSBA", "Midtown Business Exchange")
    code, out = cli_text(home, capsys, "plan", "--json", "--weeks", "2")
    assert code == 0, out
    visits = [e for e in json.loads(out) if e["kind"] == "group"]
    assert visits
    for e in visits:
        assert sum(g in e["title"] for g in groups) == 1, e["title"]
    code, out = cli_text(home, capsys, "sync", "--weeks", "1")
    assert code == 0, out
    code, out = cli_text(home, capsys, "sync", "--weeks", "4")
    assert code == 0, out
    assert not re.search(r"^  deleted ", out, re.M), out

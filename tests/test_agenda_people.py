"""Agendas built from the person, in the owner's field's words: no template leftover ever
reaches an event, no legal vocabulary outside law, the ask fits the role, and ``plan --json``
carries the agenda, the why and the category of every event."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest

from sync.agenda import agenda_for
from sync.cli import main
from sync.config import Goal, StateConfig, load
from sync.engine import RunOptions, plan_only
from sync.model import Contact, Kind, PlannedEvent

PEOPLE = Path(__file__).resolve().parent / "data" / "people"
NOW = datetime(2026, 11, 21, 18, tzinfo=UTC)
START = date(2026, 11, 23)

#: What a template leaves behind when something was missing.
LEFTOVERS = re.compile(
    r"\{[A-Za-z_]*\}|\bNone\b|our last meeting|\(no name\)|\bTODO\b|\bXXX\b|\bnull\b|"
    r"\b(?:them|They) is\b|: \.|, \.|\n  - \n|Leave with: \n|My goal: \n"
)
#: Words of the legal field's template (the notes and titles of the people are theirs).
LEGAL = re.compile(
    r"\b(firm|firms|practice|counsel|litigation|attorney|lawyer|legal|court|matter|bar)\b", re.I
)


@cache
def _events(slug: str, tmp: str) -> tuple[PlannedEvent, ...]:
    config = replace(
        load(PEOPLE / slug / "config.toml"), state=StateConfig(path=Path(tmp) / "s.sqlite")
    )
    _inputs, result = plan_only(config, RunOptions(now=NOW, start=START, weeks=40))
    return tuple(result.events)


def _template_lines(text: str) -> list[str]:
    """The agenda without what quotes the person: their notes, title and organisation, the
    event's title (their name), the goal as the owner wrote it."""
    out = []
    for line in text.splitlines()[1:]:
        s = line.strip()
        if s.startswith(("From my notes:", "My goal:", "Ask for an introduction to")):
            continue
        if s.endswith(".") and ", " in s and ":" in s.split(",")[0]:
            continue  # "Jane Roe: Partner, Smith LLP."
        out.append(line)
    return out


@pytest.mark.parametrize("slug", ["ops", "engineer", "physician"])
def test_no_leftovers_and_no_legal_words_in_forty_weeks(slug: str, tmp_path: Path) -> None:
    events = _events(slug, str(tmp_path))
    one_on_ones = [e for e in events if e.kind == Kind.ONE_ON_ONE]
    assert len(one_on_ones) >= 20
    for e in events:
        assert e.description.strip(), e.title
        assert not LEFTOVERS.search(e.description), (e.title, LEFTOVERS.search(e.description))
        assert not LEFTOVERS.search(e.title), e.title
    for e in one_on_ones:
        body = "\n".join(_template_lines(e.description))
        assert not LEGAL.search(body), (e.title, LEGAL.search(body), body)
    # built from the person: a contact with notes has them quoted
    assert any("From my notes:" in e.description for e in one_on_ones)


def _person(title: str, org: str, cats: tuple[str, ...] = ("targets",), note: str = "") -> Contact:
    return Contact(
        id="c-1", name="Mark Feldman", title=title, organization=org, categories=cats, note=note
    )


def _meeting(c: Contact) -> PlannedEvent:
    start = datetime(2026, 12, 2, 15, tzinfo=UTC)
    return PlannedEvent(
        uid="u", kind=Kind.ONE_ON_ONE, title=f"Coffee with {c.name}", start=start, end=start,
        contacts=(c.id,), categories=c.categories,
    )  # fmt: skip


GOALS = (Goal("coo", "COO role at a mid-size industrial manufacturer"),)


@pytest.mark.parametrize(
    ("title", "org", "expect"),
    [
        ("Partner, Industrial Practice", "Halvorsen Search Partners", "how they place someone"),
        ("Senior Client Partner", "Korn Ferry", "how they place someone"),
        ("Executive Recruiter", "Acme Talent", "how they place someone"),
        ("Independent Director", "Ostrowski Manufacturing", "what boards look for"),
        ("Chairman of the Board", "Ostrowski Manufacturing", "what boards look for"),
        ("Operating Partner", "Riverbend Capital", "the leaders they put into their companies"),
        ("Chief Operating Officer", "Regal Rexnord", "what they learned in the move"),
        ("President & CEO", "Badger Meter", "how their organisation decides who to bring in"),
    ],
)
def test_the_ask_fits_the_role(title: str, org: str, expect: str) -> None:
    c = _person(title, org)
    text = agenda_for(_meeting(c), {c.id: c}, GOALS, field="operations", peer_title="COO")
    assert expect in text, text
    assert "information interview into" not in text


def test_a_recruiter_is_never_asked_for_an_information_interview() -> None:
    c = _person("Partner, Industrial Practice", "Halvorsen Search Partners")
    text = agenda_for(_meeting(c), {c.id: c}, GOALS, field="operations")
    assert "Ask for an information interview" not in text


def test_repeat_meeting_without_a_date_reads_well() -> None:
    c = _person("Plant Manager", "Cummins", ("school-friends",))
    text = agenda_for(_meeting(c), {c.id: c}, GOALS, first_meeting=False, field="operations")
    assert "Repeat meeting: pick up where we left off." in text
    assert "our last meeting" not in text
    dated = agenda_for(
        _meeting(c), {c.id: c}, GOALS, first_meeting=False, last_met=date(2026, 10, 1)
    )
    assert "Repeat meeting (last met 2026-10-01)" in dated


def test_field_words_replace_the_lawyers() -> None:
    c = _person("Chief Medical Officer", "Advocate Health Care")
    law = agenda_for(_meeting(c), {c.id: c}, GOALS, field="law")
    care = agenda_for(_meeting(c), {c.id: c}, GOALS, field="healthcare")
    assert "their firm and practice" in law
    assert "firm" not in care and "practice" not in care
    assert "Advocate Health Care look for" in care


def test_notes_are_quoted_and_trimmed() -> None:
    c = _person("CEO", "Briggs Industrial", note="family-owned; " + "x " * 300)
    text = agenda_for(_meeting(c), {c.id: c}, GOALS, field="operations")
    line = next(x for x in text.splitlines() if "From my notes:" in x)
    assert "family-owned" in line and len(line) < 280


def test_plan_json_carries_agenda_why_and_category(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ops"
    folder.mkdir()
    for f in (PEOPLE / "ops").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    cfg = folder / "config.toml"
    cfg.write_text(cfg.read_text() + '\n[state]\npath = "state.sqlite"\n')
    monkeypatch.setenv("NETWEAVE_NOW", "2026-11-21T12:00:00-06:00")
    code = 0
    try:
        main(["--config", str(cfg), "plan", "--json", "--from", "2026-11-23", "--weeks", "4"])
    except SystemExit as stop:
        code = int(stop.code or 0)
    assert code == 0
    events = json.loads(capsys.readouterr().out)
    assert events
    for e in events:
        assert e["agenda"].strip() and e["why"].strip(), e["title"]
        if e["kind"] == "one-on-one":
            assert e["category"] in e["categories"]

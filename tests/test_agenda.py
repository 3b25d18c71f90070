"""Agenda texts per category and history, and the confidential public view."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.agenda import (
    ADVICE,
    INFORMATION_INTERVIEW,
    REFERRAL,
    agenda_for,
    ask_for,
    decide_text,
    follow_up_text,
    introduction_text,
    mentions,
    public_text_fields,
    public_view,
)
from sync.config import Confidential, Goal, Group, Target, parse
from sync.model import Contact, Kind, PlannedEvent, Tie
from sync.planner import PlanInput, plan

NY = ZoneInfo("America/New_York")
GOALS = (Goal("move", "Equity partner in a small-to-medium litigation firm"),)


def meeting(contact: Contact, title: str = "", **kw: object) -> PlannedEvent:
    start = datetime(2026, 12, 1, 12, 30, tzinfo=NY)
    fields: dict[str, object] = {
        "uid": "nw-1@netweave.invalid",
        "kind": Kind.ONE_ON_ONE,
        "title": title or f"Lunch with {contact.name}",
        "start": start,
        "end": start + timedelta(hours=1),
        "location": "Midtown Diner, 5th Ave",
        "contacts": (contact.id,),
        "categories": contact.categories,
        "goal": GOALS[0].text,
        "activity": "lunch",
    }
    fields.update(kw)
    return PlannedEvent(**fields)  # type: ignore[arg-type]


def contact(cat: str, *, met: int = 0, tie: Tie = Tie.WEAK) -> Contact:
    return Contact(
        id=f"c-{cat}",
        name="Jane Doe",
        organization="Smith & Partners LLP",
        title="Partner",
        categories=(cat,),
        tie=tie,
        times_met=met,
        last_met=date(2026, 10, 1) if met else None,
    )


@pytest.mark.parametrize(
    ("cat", "first", "repeat"),
    [
        ("targets", INFORMATION_INTERVIEW, REFERRAL),
        ("introducers", REFERRAL, REFERRAL),
        ("brain-builders", INFORMATION_INTERVIEW, ADVICE),
        ("mentors", ADVICE, ADVICE),
        ("alumni", INFORMATION_INTERVIEW, REFERRAL),
        ("client-professionals", INFORMATION_INTERVIEW, REFERRAL),
        ("colleagues", ADVICE, REFERRAL),
        ("family", ADVICE, ADVICE),
    ],
)
def test_the_ask_depends_on_category_and_history(cat: str, first: str, repeat: str) -> None:
    assert ask_for((cat,), True) == first
    assert ask_for((cat,), False) == repeat
    text = agenda_for(meeting(contact(cat)), {f"c-{cat}": contact(cat)}, GOALS)
    assert f"The ask ({first}):" in text
    met = contact(cat, met=3)
    assert f"The ask ({repeat}):" in agenda_for(meeting(met), {met.id: met}, GOALS)


def test_agenda_sections_for_a_first_meeting_with_a_target() -> None:
    c = contact("targets")
    text = agenda_for(meeting(c), {c.id: c}, GOALS, why="focus person; first meeting", field="law")
    for part in (
        "Why I am going:",
        "What I want to accomplish:",
        "The ask (",
        "Questions to ask:",
        "Topics:",
    ):
        assert part in text
    assert "My goal: Equity partner in a small-to-medium litigation firm" in text
    assert "Partner, Smith & Partners LLP" in text
    assert "First meeting" in text
    assert "Planned because: focus person; first meeting." in text
    assert "What does your firm look for" in text


def test_repeat_meeting_and_strong_tie() -> None:
    c = contact("friends", met=5, tie=Tie.STRONG)
    text = agenda_for(meeting(c), {c.id: c}, GOALS)
    assert "Repeat meeting (last met 2026-10-01)" in text
    assert "strong tie" in text


def test_introducer_agenda_lists_the_introductions_to_ask_for() -> None:
    c = contact("introducers", met=2)
    text = agenda_for(meeting(c), {c.id: c}, GOALS, asks=["Tara Target at Smith LLP"])
    assert "Ask for an introduction to Tara Target at Smith LLP." in text


def test_stranger_introduced_by_someone() -> None:
    ev = meeting(contact("targets"), title="Coffee with Tara Target", contacts=())
    text = agenda_for(
        ev,
        {},
        GOALS,
        person_name="Tara Target",
        target=Target(name="Tara Target", organization="Big Firm LLP"),
        introducer="Ian Introducer",
        first_meeting=True,
    )
    assert "Tara Target: Big Firm LLP." in text
    assert "Introduced by Ian Introducer" in text
    assert f"The ask ({INFORMATION_INTERVIEW})" in text


def test_group_agendas_business_profession_and_hosting() -> None:
    ev = meeting(contact("targets"), title="Alliance", kind=Kind.GROUP, contacts=())
    biz = Group(name="Alliance", rrule="FREQ=MONTHLY;BYDAY=2WE", status="trial", trial_visits=2)
    text = agenda_for(ev, {}, GOALS, group=biz, visit=1, attending_targets=["Tara T (Big)"])
    assert "before and after" in text and "Trial visit 1 of 2" in text
    assert "Connect ahead" in text and "Tara T (Big)" in text
    bar = Group(name="Bar", kind="profession", rrule="FREQ=MONTHLY", status="member")
    assert "outside my own area" in agenda_for(ev, {}, GOALS, group=bar)
    host = Group(name="Dinner", mode="active", rrule="FREQ=MONTHLY", status="member")
    assert "I host this one" in agenda_for(ev, {}, GOALS, group=host)


def test_task_texts() -> None:
    c = contact("targets")
    ev = meeting(c)
    assert "thank-you note to Jane Doe" in follow_up_text(ev, {c.id: c})
    intro = introduction_text("Ian I", "Tara T", "Big LLP", GOALS[0].text)
    assert intro.startswith("Ask Ian I for an introduction to Tara T (Big LLP).")
    assert "My goal: Equity partner" in intro
    g = Group(name="Alliance", rrule="FREQ=MONTHLY", trial_visits=2)
    assert 'status to "member" or "retired"' in decide_text(g, 2)


# --------------------------------------------------------------------------- confidential

words = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=0x24F), min_size=1, max_size=12
)


@settings(max_examples=100, deadline=None)
@given(
    name=words,
    employer=words,
    sensitive=st.lists(words, min_size=0, max_size=5),
    neutral=st.sampled_from(["Personal appointment", "Appointment", "Busy", "Out"]),
    neutral_location=st.sampled_from(["", "Out of office", "Downtown"]),
)
def test_public_view_never_leaks(
    name: str, employer: str, sensitive: list[str], neutral: str, neutral_location: str
) -> None:
    c = Contact(id="c-x", name=name, organization=employer, categories=("targets",))
    ev = meeting(
        c,
        title=f"Lunch with {name} ({employer})",
        location=f"{employer} HQ",
        description=agenda_for(meeting(c), {"c-x": c}, GOALS),
        goal=GOALS[0].text,
    )
    conf = Confidential(
        neutral_title=neutral,
        neutral_location=neutral_location,
        sensitive_words=(name, employer, *sensitive),
    )
    pub = public_view(ev, conf)
    assert pub.private and pub.description == "" and pub.contacts == () and pub.goal == ""
    assert (pub.start, pub.end, pub.uid, pub.kind) == (ev.start, ev.end, ev.uid, ev.kind)
    for field in public_text_fields(pub):
        assert not mentions(field, conf.sensitive_words), (field, conf.sensitive_words)
        assert "litigation" not in field.casefold()


def test_public_view_defaults() -> None:
    c = contact("targets")
    pub = public_view(meeting(c), Confidential(sensitive_words=("Smith",)))
    assert pub.title == "Personal appointment" and pub.location == ""
    # A neutral title that itself says too much is replaced.
    pub2 = public_view(
        meeting(c), Confidential(neutral_title="Interview", sensitive_words=("interview",))
    )
    assert pub2.title == "Personal appointment"
    # An introduction request is written as the task it looks like: its kind would say more.
    ask = replace(meeting(c), kind=Kind.INTRODUCTION, activity="introduction")
    assert public_view(ask, Confidential()).kind == Kind.PREP


def test_planned_events_carry_their_agenda() -> None:
    cfg = parse(
        {
            "owner": {"timezone": "America/New_York"},
            "goals": [{"id": "move", "text": "Equity partner in a small litigation firm"}],
            "planner": {"focus_size": 2},
            "targets": [{"name": "Jane Doe", "organization": "Smith LLP"}],
        },
        base=Path("."),
    )
    jane = Contact(id="c-j", name="Jane Doe", categories=("targets",), sources=("vcard:x",))
    p = plan(
        PlanInput(cfg, [jane], [], date(2026, 11, 23), 1, datetime(2026, 11, 22, 20, tzinfo=NY))
    )
    one = next(e for e in p.events if e.kind == Kind.ONE_ON_ONE)
    assert f"The ask ({INFORMATION_INTERVIEW})" in one.description
    assert "My goal: Equity partner in a small litigation firm" in one.description
    prep = next(e for e in p.events if e.kind == Kind.PREP)
    assert prep.description.startswith(f"Prepare for: {one.title}")
    assert one.description in prep.description

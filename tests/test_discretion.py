"""Property: with confidential.enabled, for random address books, no planned event's title,
description or introducer refers to anyone tied to the owner's employer, whatever their title,
notes or labels say (a CFO who "can introduce me to" a target, a board member tagged Targets)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.config import Config, parse
from sync.merge import name_tokens
from sync.model import Contact, Event, contact_id
from sync.planner import PlanInput, plan
from sync.who import Setting, is_tied, judge, rules_for

CHI = ZoneInfo("America/Chicago")
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 22, 20, 0, tzinfo=CHI)

FIRST = ["Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu", "Max"]
LAST = ["Stone", "Rivera", "Okafor", "Lind", "Novak", "Patel", "Quinn", "Berg", "Sato", "Vance"]
TITLES = ["CEO", "Chief Operating Officer", "Operating Partner", "Partner", "Recruiter", "CFO",
          "Plant Manager", "Board Director", "VP Operations", "", "Buyer", "Engineer"]  # fmt: skip
ORGS = ["Brandt Precision", "Acme Industrial", "Riverbend Capital", "First Lakeshore Bank",
        "Korn Ferry", "Ostrowski Manufacturing", "", "Haller Krause LLP"]  # fmt: skip
NOTES = ["", "can introduce me to {other}", "want to meet", "Brandt board", "our auditor",
         "hiring a COO", "well connected", "{other}'s son-in-law", "knows everyone",
         "super connector; offered to introduce me"]  # fmt: skip
LABELS = ["Targets", "Introducers", "Suppliers", "Friends", "Customers", "Board"]
DOMAINS = ["brandtprecision.com", "gmail.com", "acme.com", "firstlakeshore.com", "kornferry.com"]


def _config() -> Config:
    data: dict[str, Any] = {
        "owner": {
            "timezone": "America/Chicago",
            "name": "Renata Holloway",
            "emails": ["renata@brandtprecision.com"],
            "employers": ["Brandt Precision"],
            "field": "operations",
        },
        "goals": [{"id": "coo", "text": "COO of a mid-size manufacturer"}],
        "budget": {"hours_per_week": 8, "max_one_on_ones_per_week": 4},
        "planner": {
            "focus_size": 6,
            "cadence": {
                "colleagues": {"ideal_days": 14, "max_days": 28},
                "clients": {"ideal_days": 14, "max_days": 28},
            },
        },
        "confidential": {
            "enabled": True,
            "employer_ties": ["First Lakeshore Bank", "Haller Krause"],
        },
    }
    return parse(data, base=Path("."))


CONFIG = _config()
RULES = rules_for(CONFIG)


@st.composite
def address_book(draw: st.DrawFn) -> list[Contact]:
    n = draw(st.integers(4, 16))
    names: list[str] = []
    for _ in range(n):
        name = f"{draw(st.sampled_from(FIRST))} {draw(st.sampled_from(LAST))}"
        if name not in names:
            names.append(name)
    out = []
    for i, name in enumerate(names):
        other = names[(i + 1) % len(names)]
        note = draw(st.sampled_from(NOTES)).format(other=other.split()[0])
        domain = draw(st.sampled_from(DOMAINS))
        email = f"{name.split()[0].lower()}{i}@{domain}"
        labels = tuple(draw(st.lists(st.sampled_from(LABELS), max_size=2, unique=True)))
        out.append(
            Contact(
                id=contact_id(None, (email,), name),
                name=name,
                emails=(email,),
                organization=draw(st.sampled_from(ORGS)) or None,
                title=draw(st.sampled_from(TITLES)) or None,
                note=note,
                source_categories=labels,
                sources=("vcard:test",),
            )
        )
    return out


def _mentions(text: str, name: str) -> bool:
    words = " ".join(name_tokens(text.replace("\n", " ")))
    return f" {' '.join(name_tokens(name))} " in f" {words} "


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(address_book())
def test_no_event_refers_to_anyone_tied_to_the_employer(contacts: list[Contact]) -> None:
    setting = Setting(CONFIG.owner, CONFIG.confidential, today=MONDAY)
    events: list[Event] = []
    tagged = [j.contact for j in judge(contacts, RULES, setting, events)]
    tied = [c for c in tagged if is_tied(c)]
    for c in tied:
        assert not {"targets", "introducers"} & set(c.categories), (c.name, c.categories)
    inp = PlanInput(config=CONFIG, contacts=tagged, busy=[], start=MONDAY, weeks=6, now=NOW)
    result = plan(inp)
    tied_ids = {c.id for c in tied}
    # a name shared with someone not tied (two "Ann Stone"s) cannot be told apart in text
    untied_names = {name_tokens(c.name) for c in tagged if not is_tied(c)}
    for e in result.events:
        assert not tied_ids & set(e.contacts), (e.title, e.contacts)
        for c in tied:
            if name_tokens(c.name) in untied_names:
                continue
            for text in (e.title, e.description, e.location):
                assert not _mentions(text, c.name), (c.name, e.title)

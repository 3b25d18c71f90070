"""Held-out owners (tests/data/people/professor and transport): books no rule was tuned on.

A professor of computer science moving to industry research at a robotics or AI company, and a
city transport official moving to clean-energy policy; each a Google Contacts export and an
iCloud export (groups as group cards, related names, duplicates, phone-only cards), a calendar
with recurring work meetings and past one-on-ones. Each owner's category for every card was
written by hand and committed before netweave was run on them.

Measured (first category as the owner would give it; 100 and 92 cards):

=============================  =========  =========
                               professor  transport
=============================  =========  =========
before any change (held out)   69.0%      77.2%
employer people not tied       2 of 17    1 of 14
expected targets found         2 of 11    3 of 9
after general rule changes     88.0%      91.3%
after the goals' words count   97.0%      97.8%
employer people not tied       0          0
expected targets found         11 of 11   9 of 9
=============================  =========  =========

Still wrong after the changes: a tech-transfer office's manager tied by the config (community,
from "Foundation"); an alum whose note names the school only as "UMN"; two relatives of
employer colleagues, whom the house convention makes colleagues (the owner called them
community); a school friend whose note names the school by acronym only.

The floors below sit slightly under what was reached; discretion (nobody tied to the employer
is a target, introducer, offered as introducer or planned) must hold for everyone.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from sync.config import Config, Goal, StateConfig, load
from sync.engine import RunOptions, plan_only
from sync.engine.read import Inputs, read_inputs
from sync.introductions import rank_introducers
from sync.model import Contact, Kind
from sync.who import infer_field, is_tied

PEOPLE = Path(__file__).resolve().parent / "data" / "people"
OWNERS = ("professor", "transport")
FLOOR = {"professor": 0.95, "transport": 0.95}
NOW = datetime(2026, 11, 21, 18, tzinfo=UTC)
START = date(2026, 11, 23)


@cache
def _config(slug: str) -> Config:
    return load(PEOPLE / slug / "config.toml")


@cache
def _inputs(slug: str) -> Inputs:
    return read_inputs(_config(slug), START, 4, NOW, None)


def _inputs_for(config: Config) -> Inputs:
    return read_inputs(config, START, 4, NOW, None)


def _expected(slug: str) -> dict[str, dict[str, Any]]:
    with (PEOPLE / slug / "expected.toml").open("rb") as f:
        people: dict[str, dict[str, Any]] = tomllib.load(f)["people"]
    return people


def _by_name(contacts: list[Contact]) -> dict[str, Contact]:
    return {c.name: c for c in contacts}


@pytest.mark.parametrize("slug", OWNERS)
def test_every_card_is_read_merged_and_expected(slug: str) -> None:
    inp = _inputs(slug)
    assert not inp.problems and not inp.failures
    expected = _expected(slug)
    assert 80 <= len(expected) <= 120
    # the people in both exports are one contact each; group cards are no one
    assert set(_by_name(inp.contacts)) == set(expected)


def test_fields_are_inferred_from_the_title() -> None:
    assert infer_field(_config("professor").owner) == "academia"
    assert infer_field(_config("transport").owner) == "public-sector"


@pytest.mark.parametrize("slug", OWNERS)
def test_most_people_get_the_category_their_owner_would_give(slug: str) -> None:
    expected = _expected(slug)
    got = _by_name(_inputs(slug).contacts)
    wrong = {
        n: (e["category"], got[n].categories)
        for n, e in expected.items()
        if got[n].categories[0] != e["category"]
    }
    assert len(expected) - len(wrong) >= FLOOR[slug] * len(expected), wrong


@pytest.mark.parametrize("slug", OWNERS)
def test_everyone_tied_to_the_employer_is_found_and_kept_out(slug: str) -> None:
    got = _by_name(_inputs(slug).contacts)
    tied = [n for n, e in _expected(slug).items() if e.get("employer")]
    assert len(tied) >= 10
    for n in tied:
        assert is_tied(got[n]), n
        assert not {"targets", "introducers"} & set(got[n].categories), (n, got[n].categories)


@pytest.mark.parametrize("slug", OWNERS)
def test_no_target_is_offered_an_employer_introducer(slug: str) -> None:
    contacts = _inputs(slug).contacts
    employer = {n for n, e in _expected(slug).items() if e.get("employer")}
    targets = [c for c in contacts if "targets" in c.categories]
    assert targets
    for t in targets:
        for c, _score, why in rank_introducers(t, contacts):
            assert not is_tied(c) and c.name not in employer, (t.name, c.name, why)


@pytest.mark.parametrize("slug", OWNERS)
def test_targets_are_the_goals_people(slug: str) -> None:
    """Every person the owner would meet for the goal is a target; nobody is a target first
    whom the owner would put elsewhere."""
    expected = _expected(slug)
    got = _by_name(_inputs(slug).contacts)
    want = {n for n, e in expected.items() if e["category"] == "targets"}
    have = {n for n, c in got.items() if "targets" in c.categories}
    first = {n for n, c in got.items() if c.categories[0] == "targets"}
    assert want <= have, sorted(want - have)
    assert first <= want, sorted(first - want)


@pytest.mark.parametrize("slug", OWNERS)
def test_a_forty_week_plan_never_meets_the_employers_people(slug: str, tmp_path: Path) -> None:
    base = _config(slug)
    config = replace(base, state=StateConfig(path=tmp_path / "state.sqlite"))
    inputs, result = plan_only(config, RunOptions(now=NOW, start=START, weeks=40))
    events = list(result.events)
    assert sum(1 for e in events if e.kind == Kind.ONE_ON_ONE) >= 10
    tied = {c.id for c in inputs.contacts if is_tied(c)}
    employer = {n for n, e in _expected(slug).items() if e.get("employer")}
    names = {c.id: c.name for c in inputs.contacts}
    for e in events:
        assert not tied & set(e.contacts), (e.title, e.contacts)
        assert not employer & {names.get(x, "") for x in e.contacts}, e.title


# --------------------------------------------------------------------------- the goal's words


def _with_goal(slug: str, text: str) -> dict[str, Contact]:
    base = _config(slug)
    return _by_name(_inputs_for(replace(base, goals=(Goal("g", text),))).contacts)


def test_a_robotics_or_ai_goal_makes_the_robotics_and_ai_people_targets() -> None:
    got = _with_goal("professor", "Move into industry research at a robotics or AI company")
    for n in ("Olga Petrenko", "Tom Brennan", "Ben Hollis", "Emily Sato", "Jason Cole"):
        assert got[n].categories[0] == "targets", (n, got[n].categories)
    # a Director of Engineering elsewhere, a department chair, a robot vendor's sales manager
    # and a robotics society's chair are not what this goal needs
    for n in ("Dave Muller", "Grace Liu", "Karen Yost", "Paul Adeyemi", "Sarah Nilsson"):
        assert got[n].categories[0] != "targets", (n, got[n].categories)
    assert "targets" not in got["Grace Liu"].categories  # a university is not a company


def test_a_goal_in_the_owners_field_leaves_the_pack_to_decide() -> None:
    from sync.who.goals import narrows_pack_targets, read_goal, read_goals

    stay = Goal("g", "Full professor at a research university")
    assert read_goal(stay, 0, "academia").industries == ()
    assert read_goal(stay, 0, "academia").serves is None
    assert not narrows_pack_targets(read_goals([stay], "academia"))
    leave = Goal("h", "Move into industry research at a robotics or AI company")
    words = read_goal(leave, 1, "academia")
    assert words.industries == ("robotics", "AI")
    assert words.functions == ("research",) and words.company
    assert narrows_pack_targets(read_goals([leave], "academia"))
    # one goal that stays in the field keeps the pack's targets for everyone
    assert not narrows_pack_targets(read_goals([leave, stay], "academia"))
    # a goal for other categories only (a board seat for mentors) takes no targets
    assert read_goals([Goal("b", "A board seat at a solar company", ("mentors",))], "") == ()


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        (
            "A research scientist role at Nvidia or Meridian Dynamics",
            ("Nvidia", "Meridian Dynamics"),
        ),
        ("Policy lead at Rivian, ChargePoint and Voltline", ("Rivian", "ChargePoint", "Voltline")),
        ("Move into industry research at a robotics or AI company", ()),
        ("Research lead at AI startups", ()),
    ],
)
def test_the_organisations_a_goal_names(text: str, orgs: tuple[str, ...]) -> None:
    from sync.who.goals import named_organisations

    assert named_organisations(text) == orgs


def test_not_inverts_a_matcher() -> None:
    from sync.tagging import OrganizationRule
    from sync.who.goals import Not

    uni = Contact(id="1", name="A", organization="University of Michigan")
    firm = Contact(id="2", name="B", organization="Halcyon Robotics")
    rule = Not(OrganizationRule("University"))
    assert not rule.match(uni) and rule.match(firm)


def test_a_goal_naming_organisations_makes_their_people_targets() -> None:
    got = _with_goal("professor", "A research scientist role at Nvidia or Meridian Dynamics")
    assert "targets" in got["Olga Petrenko"].categories
    assert "targets" in got["Jason Cole"].categories
    assert "targets" in got["Wei Zhang"].categories  # at Nvidia (and still an introducer)
    assert "targets" not in got["Ben Hollis"].categories


def test_a_clean_energy_policy_goal_is_not_every_director_at_a_department() -> None:
    got = _by_name(_inputs("transport").contacts)
    for n in ("David Chen", "Sarah Goldman", "Nathan Price", "Rebecca Hale", "Kwame Asante"):
        assert got[n].categories[0] == "targets", (n, got[n].categories)
    for n in ("Steve Olson", "Gwen Adeyemi", "Victoria Shaw", "Brandon Fox", "Yolanda Price"):
        assert "targets" not in got[n].categories, (n, got[n].categories)


def test_with_a_government_goal_the_directors_at_departments_are_targets_again() -> None:
    got = _with_goal("transport", "Commissioner of a state department of transportation")
    assert "targets" in got["Steve Olson"].categories
    assert "targets" not in got["Sarah Goldman"].categories

"""Who can introduce me: ranking introducers and targets from the config."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from sync.config import Target
from sync.introductions import CONFIG_SOURCE, find_target, rank_introducers, targets_from_config
from sync.merge import merge_contacts
from sync.model import Contact, Tie, contact_id
from sync.sources.vcard import VcardDir, VcardFile

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def person(name: str, org: str = "", email: str = "", **kw: object) -> Contact:
    emails = (email,) if email else ()
    return Contact(
        id=contact_id(None, emails, name),
        name=name,
        emails=emails,
        organization=org or None,
        sources=("contacts",),
        **kw,  # type: ignore[arg-type]
    )


TARGET = Target(
    name="Rachel Kim",
    organization="Kim & Osei LLP",
    groups=("NYC Small Firm Litigators Forum", "Clients"),
    introducers=("fitch@carrow.example",),
)

BOOK = [
    person("Nora Quinlan", "Kim & Osei, LLP", "nquinlan@kimosei.example"),
    person(
        "Lauren Fitch",
        "Carrow Legal Search",
        "fitch@carrow.example",
        note="Legal recruiter. Can introduce me to Rachel Kim and Elena Vasquez.",
        last_met=date(2026, 11, 11),
        times_met=2,
    ),
    person("Paul Grady", "Grady PC", note="Mentioned Rachel Kim's trial win at the CLE."),
    person("Ann Lee", "Lee Forensics", source_categories=("NYC Small Firm Litigators Forum",)),
    person("Tom Reyes", "Reyes LLP", source_categories=("Clients",)),  # generic label: no link
    person("Sam Ortiz", "Ortiz Law", note="Clerked with people from Kim & Osei LLP."),
    person("Nobody Linked", "Elsewhere Inc"),
    person("Rachel Kim", "Kim & Osei LLP", "rkim@kimosei.example"),  # the target herself
    person("Daniel Osei", "Kim & Osei LLP", categories=("targets",)),  # another unmet target
    Contact(id="c-cfg", name="Config Only", organization="Kim & Osei LLP", sources=("config",)),
]


def test_rank_introducers_for_a_config_target() -> None:
    ranked = rank_introducers(TARGET, BOOK)
    names = [c.name for c, _s, _w in ranked]
    assert names == ["Lauren Fitch", "Nora Quinlan", "Paul Grady", "Sam Ortiz", "Ann Lee"]
    scores = {c.name: s for c, s, _w in ranked}
    assert scores["Lauren Fitch"] == 10 + 8 + 0.5  # named, offered to introduce, met
    assert scores["Nora Quinlan"] == 5
    assert scores["Paul Grady"] == 5
    assert scores["Sam Ortiz"] == 3
    assert scores["Ann Lee"] == 2
    why = {c.name: w for c, _s, w in ranked}
    assert why["Lauren Fitch"].startswith("named in the config as introducer to Rachel Kim")
    assert "can introduce you to Rachel Kim" in why["Lauren Fitch"]
    assert "met 2 times" in why["Lauren Fitch"]
    assert why["Nora Quinlan"] == "works at Kim & Osei LLP"
    assert why["Ann Lee"] == "both in NYC Small Firm Litigators Forum"
    assert rank_introducers(TARGET, list(reversed(BOOK))) == ranked  # order independent


def test_rank_introducers_for_a_contact_target_school_class_and_domain() -> None:
    target = person(
        "Grace Liu",
        "Hartwell Partners",
        "grace.liu@hartwell.example",
        extra=(("school", "NYU School of Law"), ("class_year", "2011")),
        note="Was at Baxter & Lowe before Hartwell.",
    )
    book = [
        target,
        person("Ken Ito", extra=(("school", "nyu school of law"), ("class_year", "2011"))),
        person("Lia Park", extra=(("school", "NYU School of Law"), ("class_year", "2009"))),
        person("Olu Ade", "Hartwell Capital Group", "olu@hartwell.example"),
        person("Steve Marsh", "Baxter & Lowe LLP", tie=Tie.STRONG),
        person("Gmail User", "", "someone@gmail.com"),
    ]
    ranked = {c.name: (s, w) for c, s, w in rank_introducers(target, book)}
    assert ranked["Steve Marsh"] == (4.0, "Grace Liu was at Baxter & Lowe LLP (a strong tie)")
    assert ranked["Ken Ito"][0] == 4 and "class of 2011" in ranked["Ken Ito"][1]
    assert ranked["Lia Park"][0] == 2 and "alumni" in ranked["Lia Park"][1]
    assert ranked["Olu Ade"] == (4.0, "email at hartwell.example")
    assert "Gmail User" not in ranked and "Grace Liu" not in ranked


def test_targets_from_config_finds_or_creates() -> None:
    targets = (
        Target(name="Rachel Kim", organization="Kim & Osei LLP"),
        Target(
            name="Someone New",
            organization="Burke Feinstein PLLC",
            groups=("Forum",),
            introducers=("Lauren Fitch",),
            email="New@Burke.example",
        ),
        Target(name="Nora Quinlan", email="nquinlan@kimosei.example"),
        Target(name="Rachel Kim", organization="Kim & Osei LLP"),  # listed twice: once
    )
    out = targets_from_config(targets, BOOK)
    assert [c.name for c in out] == ["Rachel Kim", "Someone New", "Nora Quinlan"]
    assert out[0] is BOOK[7] and out[2] is BOOK[0]
    new = out[1]
    assert new.sources == (CONFIG_SOURCE,) and new.categories == ("targets",)
    assert new.emails == ("new@burke.example",) and new.organization == "Burke Feinstein PLLC"
    assert new.source_categories == ("Forum",) and new.get("introducer") == "Lauren Fitch"
    assert targets_from_config(targets, BOOK)[1].id == new.id  # stable
    # the new target's introducers: the named one ranks first
    ranked = rank_introducers(new, BOOK)
    assert ranked[0][0].name == "Lauren Fitch"


def test_find_target_is_conservative_with_namesakes() -> None:
    two = [
        person("John Smith", "A Corp", "j@a.example"),
        person("John Smith", "B LLC", "j@b.example"),
    ]
    assert find_target(Target(name="John Smith"), two) is None
    assert find_target(Target(name="John Smith", organization="B LLC"), two) is two[1]
    assert find_target(Target(name="John Smith", organization="C Inc"), two) is None
    bob = [person("Bob Stone", "Acme")]
    assert find_target(Target(name="Robert Stone", organization="ACME Inc."), bob) is bob[0]
    assert find_target(Target(name="Robert Stone"), bob) is None


@pytest.mark.skipif(not (EXAMPLES / "expected.toml").exists(), reason="no example data")
def test_example_introducers_rank_first_for_their_targets() -> None:
    expected = tomllib.loads((EXAMPLES / "expected.toml").read_text())
    raw: list[Contact] = []
    for b in (
        VcardFile("contacts", EXAMPLES / "contacts.vcf"),
        VcardFile("outlook", EXAMPLES / "outlook.vcf"),
        VcardDir("nextcloud", EXAMPLES / "nextcloud"),
    ):
        raw += b.read().contacts
    merged, _ = merge_contacts(raw, ["contacts", "outlook", "nextcloud"])
    people = {c.name: c for c in merged}
    checked = 0
    for name, p in expected["people"].items():
        for target in p.get("introduces", []):
            ranked = rank_introducers(people[target], merged)
            assert ranked and ranked[0][0].name == name, (target, ranked[:2])
            checked += 1
    assert checked >= 10

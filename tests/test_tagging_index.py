"""The compiled rule index gives every contact the same categories, reasons and tie as a
straightforward reading of the rules: every rule, in order of precedence, each of its pattern
lists searched with its own regex over the contact's folded text.

Checked on the bundled example, on the generated benchmark book and on random contacts made of
the rules' own words (with plurals, accents, punctuation and noise) and random user rules.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.config import RULE_MATCHERS, TagRule
from sync.model import STRONG_CATEGORIES, Contact, Tie, contact_id
from sync.tagging import (
    DISCREET_CATEGORIES,
    OWNER_PLACEHOLDER,
    PUBLIC_MAIL_DOMAINS,
    Reason,
    Tagger,
    fold,
    load_rules,
    rules_from_owner,
    rules_from_targets,
)
from sync.tagging.text import _word_regex

ROOT = Path(__file__).resolve().parent.parent
OWNER_DOMAINS = ("baxterlowe.com", "gmail.com")
DEFAULT = "acquaintances"

# --------------------------------------------------------------------------- the reference

# (rule key, Contact field, witness label, whole label): the order a rule's witness lists them
_TEXT_LISTS = (
    ("relation", "relations", "relation", False),
    ("source_category", "source_categories", "source_category", True),
    ("name", "name", "name", False),
    ("organization", "organization", "organization", False),
    ("title", "title", "title", False),
    ("note", "note", "note", False),
    ("school", "school", "school", False),
    ("class_year", "class_year", "class year", True),
)


def _text(c: Contact, field: str) -> str:
    """The field's folded lines, each padded with a space on both sides."""
    if field in ("relations", "source_categories"):
        lines = [fold(x) for x in getattr(c, field)]
    elif field == "note":
        lines = [fold(x) for x in c.note.splitlines()]
    elif field in ("school", "class_year"):
        lines = [fold(c.get(field) or "")]
    else:
        lines = [fold(getattr(c, field) or "")]
    return "\n".join(f" {x} " for x in lines if x)


def _domains(entries: Sequence[str], owner_domains: Sequence[str]) -> list[str]:
    employer = [d.strip().casefold().lstrip("@") for d in owner_domains]
    employer = [d for d in employer if d and d not in PUBLIC_MAIL_DOMAINS]
    out: list[str] = []
    for d in entries:
        for x in employer if d.strip() == OWNER_PLACEHOLDER else [d]:
            x = x.strip().casefold()
            if not ("@" in x and not x.startswith("@")):
                x = x.lstrip("@").removeprefix("*").lstrip(".")
            if x:
                out.append(x)
    return out


def _at(email: str, entry: str) -> bool:
    if "@" in entry:
        return email == entry
    dom = email.rpartition("@")[2]
    return dom == entry or dom.endswith("." + entry)


@functools.cache
def _regex(pattern: str, whole: bool) -> re.Pattern[str] | None:
    rx = _word_regex(pattern, whole)
    return None if rx is None else re.compile(rx, re.M)


def reference_reasons(
    c: Contact, rules: Sequence[TagRule], owner_domains: Sequence[str]
) -> list[Reason]:
    lists = lambda r: sum(1 for m in RULE_MATCHERS if getattr(r, m))  # noqa: E731
    order = sorted(range(len(rules)), key=lambda i: (-rules[i].priority, -lists(rules[i]), i))
    emails = [e.strip().casefold() for e in c.emails if "@" in e]
    employer = _domains([OWNER_PLACEHOLDER], owner_domains)
    at_employer = any(_at(e, d) for e in emails for d in employer)
    out: list[Reason] = []
    for i in order:
        rule = rules[i]
        if any(r.category == rule.category for r in out):
            continue
        if at_employer and rule.category in DISCREET_CATEGORIES and rule.priority <= 1000:
            continue
        because: list[str] | None = []
        if rule.email_domain:
            doms = _domains(rule.email_domain, owner_domains)
            hit = next(((e, d) for e in emails for d in doms if _at(e, d)), None)
            because = None if hit is None else [f"email_domain {hit[1]!r} ({hit[0]})"]
        for key, field, label, whole in _TEXT_LISTS:
            patterns: tuple[str, ...] = getattr(rule, key)
            if because is None or not patterns:
                continue
            text = _text(c, field)
            found = [p for p in patterns if (rx := _regex(p, whole)) and rx.search(text)]
            because = None if not found else [*because, f"{label} {found[0]!r}"]
        if because:  # a rule without any list matches nothing
            out.append(Reason(rule.category, rule.origin or "rule", tuple(because)))
    return out or [Reason(DEFAULT, "default_category")]


def assert_same(contacts: Sequence[Contact], rules: Sequence[TagRule]) -> int:
    """The index agrees with the reference on every contact; returns how many got a rule."""
    tagged = Tagger.build(rules, OWNER_DOMAINS).explain(
        contacts, default_category=DEFAULT, strong_after_meetings=3
    )
    matched = 0
    for c, (got, why) in zip(contacts, tagged, strict=True):
        want = reference_reasons(c, rules, OWNER_DOMAINS)
        assert why == want, c
        cats = tuple(r.category for r in want)
        assert got.categories == cats
        strong = any(x in STRONG_CATEGORIES for x in cats) or c.times_met >= 3
        assert got.tie == (Tie.STRONG if strong else Tie.WEAK)
        matched += want[0].origin != "default_category"
    return matched


# --------------------------------------------------------------------------- data


@pytest.fixture(scope="module")
def defaults() -> list[TagRule]:
    from sync.config import Owner, School

    owner = Owner(
        emails=("dana@baxterlowe.com",),
        schools=(School("Columbia Law School", 2016), School("Brooklyn Tech")),
        employers=("Baxter Lowe LLP",),
    )
    return [*load_rules(None, []), *rules_from_owner(owner)]


def test_example_contacts(monkeypatch: pytest.MonkeyPatch) -> None:
    from sync import config as config_mod
    from sync.engine import read_inputs

    monkeypatch.chdir(ROOT)
    cfg = config_mod.load(ROOT / "config.example.toml")
    now = datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("America/New_York"))
    contacts = read_inputs(cfg, date(2026, 12, 7), 6, now, None).contacts
    rules = [
        *load_rules(cfg.tagging.rules_dir, [*cfg.tagging.rules, *rules_from_targets(cfg.targets)]),
        *rules_from_owner(cfg.owner),
    ]
    assert len(contacts) > 20
    assert assert_same(contacts, rules) > 10


def test_generated_book(defaults: list[TagRule]) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from sync.sources.vcard import parse_vcards

    contacts = parse_vcards(generate.vcards(600), "all").contacts
    assert assert_same(contacts, defaults) > 300


def _vocabulary(rules: Sequence[TagRule]) -> list[str]:
    patterns = [p for r in rules for m in RULE_MATCHERS for p in getattr(r, m)]
    return sorted({w for p in patterns for w in fold(p).split()})


NOISE = ["the", "at", "of", "and", "New York", "LLP", "Inc.", "Ph.D.", "M.D.", "co-founder"]
DECORATE = st.sampled_from(["", "s", "es", "ing", "é", "'s", "."])


@st.composite
def phrases(draw: st.DrawFn, vocab: list[str], most: int = 4) -> str:
    n = draw(st.integers(0, most))
    parts = []
    for _ in range(n):
        w = draw(st.sampled_from(vocab + NOISE))
        if draw(st.booleans()):
            w = w.capitalize() if draw(st.booleans()) else w.upper()
        parts.append(w + draw(DECORATE))
    sep = draw(st.sampled_from([" ", " ", "-", ", ", " / "]))
    return sep.join(parts)


@st.composite
def contacts(draw: st.DrawFn, vocab: list[str], domains: list[str]) -> Contact:
    name = draw(phrases(vocab, 3)) or "X"
    emails = tuple(
        f"{draw(st.sampled_from(['a', 'jo', 'x.y']))}@"
        + draw(st.sampled_from(["", "law.", "mail."]))
        + draw(st.sampled_from(domains))
        for _ in range(draw(st.integers(0, 2)))
    )
    extra = {}
    if draw(st.booleans()):
        extra["school"] = draw(phrases(vocab, 3))
    if draw(st.booleans()):
        extra["class_year"] = draw(st.sampled_from(["2016", "2017", "2016-17", "'16"]))
    return Contact(
        id=contact_id(None, emails, name),
        name=name,
        emails=emails,
        organization=draw(phrases(vocab)) or None,
        title=draw(phrases(vocab, 3)) or None,
        note="\n".join(draw(st.lists(phrases(vocab, 6), max_size=3))),
        source_categories=tuple(draw(st.lists(phrases(vocab, 2), max_size=3))),
        relations=tuple(draw(st.lists(phrases(vocab, 2), max_size=2))),
        extra=tuple(sorted(extra.items())),
        times_met=draw(st.integers(0, 4)),
    )


@st.composite
def user_rules(draw: st.DrawFn, vocab: list[str], domains: list[str]) -> list[TagRule]:
    out = []
    for i in range(draw(st.integers(0, 4))):
        lists: dict[str, tuple[str, ...]] = {}
        for key in draw(st.lists(st.sampled_from(RULE_MATCHERS), min_size=1, max_size=2)):
            if key == "email_domain":
                pats = [draw(st.sampled_from([*domains, OWNER_PLACEHOLDER, "@a@x.org"]))]
            else:
                pats = [
                    draw(st.sampled_from(["", "^"]))
                    + " ".join(draw(st.lists(st.sampled_from(vocab), min_size=1, max_size=2)))
                    + draw(st.sampled_from(["", "", "*"]))
                    for _ in range(draw(st.integers(1, 3)))
                ]
            lists[key] = tuple(pats)
        category = draw(st.sampled_from(["targets", "mentors", "clients", "friends"]))
        out.append(TagRule(category, priority=2001 + i, origin=f"user[{i}]", **lists))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_contacts(defaults: list[TagRule], data: st.DataObject) -> None:
    vocab = _vocabulary(defaults)
    domains = [
        "baxterlowe.com",
        "gmail.com",
        "columbia.edu",
        "example.org",
        *sorted({d.lstrip("@*.") for r in defaults for d in r.email_domain if "$" not in d}),
    ]
    rules = [*data.draw(user_rules(vocab, domains)), *defaults]
    people = data.draw(st.lists(contacts(vocab, domains), min_size=1, max_size=8))
    assert_same(people, rules)

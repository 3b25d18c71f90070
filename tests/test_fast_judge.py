"""The judge's faster paths against the straightforward ones they replaced, on random address
books made of names that name each other (relationship fields, possessive notes, labels of
community groups, employer ties, never_ask, corrections, goals, repeated ids): the relation
rounds over only the cards that name someone, the employer ties through relatives read from
those cards alone, the rule hits of shared fields served from a memo, never_ask read once; text
folding with its shortcuts against the plain regex steps; and a contact's changed copy
(:func:`sync.copies.changed`) against :func:`dataclasses.replace`."""

from __future__ import annotations

import pickle
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.config import Confidential, Goal, Owner, TagRule
from sync.copies import changed
from sync.merge import name_tokens
from sync.model import CATEGORIES, STRONG_CATEGORIES, Contact, Event, Tie
from sync.tagging import Reason, employer_domains, fold, load_rules, rules_from_owner, tie_for
from sync.tagging.text import _TRANSLIT, ContactText
from sync.who import Judge, Judged, Setting
from sync.who.employer import _direct, internal_meetings
from sync.who.judge import (
    _CARD_CATEGORIES,
    _DISCREET,
    _NONE,
    NEVER_ASK_KEY,
    TIE_KEY,
    USER_LEVEL,
    _merge,
    _narrowed,
)
from sync.who.overrides import Correction, by_id
from sync.who.relations import People, label_evidence, possessive_ties, relation_evidence

# ----------------------------------------------------------------------------- the reference


def _never_asked(c: Contact, confidential: Confidential) -> bool:
    refs = confidential.never_ask
    emails = {r.strip().casefold() for r in refs if "@" in r}
    names = {name_tokens(r) for r in refs if "@" not in r and name_tokens(r)}
    return name_tokens(c.name) in names or any(e.casefold() in emails for e in c.emails)


def _ties(contacts: Sequence[Contact], s: Setting, events: list[Event]) -> dict[str, str]:
    """Every contact asked directly, then every contact (not only those naming someone) asked
    for a tied relative, twice."""
    if not s.confidential.enabled:
        return {}
    ties = list(s.confidential.employer_ties)
    tie_domains = {t.strip().casefold().lstrip("@") for t in ties if "." in t and " " not in t}
    met = internal_meetings(events, s.owner, s.today) if s.today else {}
    domains = set(employer_domains(s.owner.emails))
    out = {}
    for c in contacts:
        why = _direct(c, s.owner, domains, ties, tie_domains, met)
        if why:
            out[c.id] = why
    people = People(contacts, s.owner.name)
    for _ in range(2):
        for c in contacts:
            if c.id not in out:
                via = possessive_ties(c, people, out)
                if via:
                    out[c.id] = via
    return out


def _card(c: Contact, met: dict[str, str], owner: Owner) -> list[tuple[str, int, str, str]]:
    out = []
    toks = name_tokens(owner.name)
    last = toks[-1] if len(toks) >= 2 else ""
    mine = name_tokens(c.name)
    if last and not c.organization and len(mine) >= 2 and mine[-1] == last:
        out.append(("family", 30, "name", f"your surname, {c.name}"))
    for label in c.source_categories:
        cat = _CARD_CATEGORIES.get(fold(label))
        if cat:
            out.append((cat, 120, "card label", f"your label {label!r}"))
    for e in c.emails:
        if e.rpartition("@")[2].casefold().startswith(("alumni.", "alum.")):
            out.append(("alumni", 45, "email", f"alumni address {e}"))
            break
    for e in c.emails:
        if e.casefold() in met:
            out.append(
                (
                    "colleagues",
                    45,
                    "calendar",
                    f"met in your employer's meeting {met[e.casefold()]!r}",
                )
            )
            break
    return out


def reference_judge(
    contacts: Sequence[Contact], rules: Sequence[TagRule], s: Setting, events: list[Event]
) -> list[Judged]:
    """The judge as it read before its faster paths: every contact in every relation round."""
    j = Judge(rules, s)
    met = internal_meetings(events, s.owner, s.today) if s.today else {}
    tied = _ties(contacts, s, events)
    base: dict[str, list[tuple[int, Reason]]] = {}
    outside = set()
    for c in contacts:
        view = ContactText.of(c)
        goal, inside = j._goal_evidence(view) if j.goals or j.narrow else ([], True)
        if not inside:
            outside.add(c.id)
        ranked = [
            (j.rank.get((r.category, r.origin), 0), r)
            for r in j.tagger.reasons_in(view, _NONE)
            if r.category != _NONE
        ]
        from sync.who.relations import Evidence

        card = [Evidence(*x) for x in _card(c, met, s.owner)]
        base[c.id] = _merge(ranked, [*card, *goal])
    aside: dict[str, list[Reason]] = {}
    for cid in outside:
        base[cid], aside[cid] = _narrowed(base[cid])
    people = People(contacts, s.owner.name)
    merged = base
    for _ in range(3):
        primary = {cid: r[0][1].category for cid, r in merged.items() if r}
        groups = {
            fold(c.organization or ""): "community"
            for c in contacts
            if primary.get(c.id) == "community" and c.organization
        }
        merged = {
            c.id: _merge(
                base[c.id],
                [
                    *relation_evidence(c, people, primary, tied),
                    *([] if base[c.id] else label_evidence(c, groups, frozenset())),
                ],
            )
            for c in contacts
        }
    fixes = by_id(contacts, s.corrections)
    return [
        _finish(c, merged[c.id], tied.get(c.id, ""), fixes.get(c.id), s, tuple(aside.get(c.id, ())))
        for c in contacts
    ]


def _finish(
    c: Contact,
    ranked: list[tuple[int, Reason]],
    tie: str,
    fix: Correction | None,
    s: Setting,
    narrowed: tuple[Reason, ...],
) -> Judged:
    from dataclasses import replace

    never = s.confidential.enabled and _never_asked(c, s.confidential)
    kept: list[Reason] = []
    dropped: list[Reason] = []
    strong = bool(ranked) and ranked[0][1].category in STRONG_CATEGORIES
    for p, r in ranked:
        unwanted = (r.category in _DISCREET and bool(tie or never)) or (
            r.category == "targets" and strong
        )
        (dropped if unwanted and p <= USER_LEVEL else kept).append(r)
    if tie and not kept:
        kept.append(Reason("colleagues", "employer", (tie,)))
    if fix is not None:
        kept = [r for r in kept if r.category not in fix.remove and r.category not in fix.add]
        kept = [Reason(x, "netweave tag", ("your correction",)) for x in fix.add] + kept
    if not kept:
        kept.append(Reason(s.default_category, "default_category"))
    cats = tuple(r.category for r in kept)
    extra = [(k, v) for k, v in c.extra if k not in (TIE_KEY, NEVER_ASK_KEY)]
    if tie:
        extra.append((TIE_KEY, tie))
    if never:
        extra.append((NEVER_ASK_KEY, "1"))
    tagged = replace(
        c,
        categories=cats,
        tie=tie_for(cats, c.times_met, s.strong_after_meetings),
        extra=tuple(extra),
    )
    return Judged(tagged, tuple(kept), tie, never, tuple(dropped), narrowed)


# ----------------------------------------------------------------------------- the books

OWNER = Owner(
    name="Renata Holloway",
    emails=("renata@brandt.com",),
    employers=("Brandt Co",),
    title="VP Operations",
)
NAMES = [
    "Anya Holloway", "Greg Reed", "Tom Grady", "Thomas Grady", "Maya Lin", "Karl Brandt",
    "Lena Park", "Dan Ortiz", "Daniel Ortiz", "Rick Alvarez", "Coach Rick Alvarez", "Jo Vega",
    "Renata Holloway", "Sam", "Pat Quinn", "Linh Pham",
]  # fmt: skip
RELATED = ["spouse", "Mother", "friend", "colleague", "neighbor", "child", "sister-in-law", "boss"]
KIN = ["husband", "wife", "mom", "son-in-law", "sister", "little brother", "friend", "daughter"]
ORGS = [
    "Brandt Co", "St. Robert Parish", "First Lakeshore Bank", "Haller Krause LLP", "Acme Robotics",
    "Kim & Osei LLP", "Northwestern University", "City of Chicago", "Rivian",
]  # fmt: skip
LABELS = ["St. Robert", "Mentors", "family", "Clients", "school-friend", "Book club", "Robert"]
TITLES = ["Managing Partner", "Director of Research", "VP Engineering", "Pastor", "CEO", "Analyst"]
NOTES = [
    "my sister",
    "close friend",
    "Brandt board",
    "our auditor",
    "met at the Brandt offsite",
    "mentor from my first job",
    "St. Robert choir",
]
DOMAINS = ["brandt.com", "gmail.com", "lakeshorebank.com", "alumni.nu.edu", "rivian.com"]
SOURCES = "abcdefgh"


@st.composite
def _note(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            who = draw(st.sampled_from(NAMES))
            who = who.split()[draw(st.integers(0, len(who.split()) - 1))]
            who = draw(st.sampled_from([who, draw(st.sampled_from(NAMES))]))
            mark = draw(st.sampled_from(["'s", "’s"]))
            parts.append(f"{who}{mark} {draw(st.sampled_from(KIN))}")
        else:
            parts.append(draw(st.sampled_from(NOTES)))
    return draw(st.sampled_from(["\n", ". ", "; "])).join(parts)


@st.composite
def _contact(draw: st.DrawFn, i: int) -> Contact:
    name = draw(st.sampled_from(NAMES))
    extra = [
        (f"related.{draw(st.sampled_from(RELATED))}", draw(st.sampled_from(NAMES)))
        for _ in range(draw(st.integers(0, 2)))
    ]
    emails = tuple(
        f"{name.split()[0].lower()}{i}@{draw(st.sampled_from(DOMAINS))}"
        for _ in range(draw(st.integers(0, 2)))
    )
    plain = draw(st.integers(0, 2)) == 0  # labels alone: a community group's may be evidence
    return Contact(
        id=f"c-{draw(st.integers(0, 30)) if draw(st.integers(0, 9)) == 0 else i}",
        name=name,
        emails=emails,
        organization=None if plain else draw(st.none() | st.sampled_from(ORGS)),
        title=None if plain else draw(st.none() | st.sampled_from(TITLES)),
        note="" if plain else draw(_note()),
        source_categories=tuple(draw(st.lists(st.sampled_from(LABELS), max_size=2))),
        extra=tuple(extra),
        times_met=draw(st.integers(0, 5)),
    )


@st.composite
def _book(draw: st.DrawFn) -> list[Contact]:
    n = draw(st.integers(1, 25))
    return [draw(_contact(i)) for i in range(n)]


RULES = [*load_rules(None, []), *rules_from_owner(OWNER)]
GOALS = [
    (),
    (Goal("g0", "Move into industry research at a robotics or AI company"),),
    (Goal("g0", "A COO role at Rivian or ChargePoint"),),
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _book(),
    st.sampled_from(GOALS),
    st.booleans(),
    st.lists(st.sampled_from([*NAMES, "jo3@gmail.com", "karl1@brandt.com"]), max_size=2),
    st.lists(
        st.tuples(st.sampled_from(NAMES), st.sampled_from(["mentors", "targets"])), max_size=2
    ),
)
def test_the_judge_decides_as_the_straightforward_one(
    book: list[Contact],
    goals: tuple[Goal, ...],
    enabled: bool,
    never: list[str],
    fixes: list[tuple[str, str]],
) -> None:
    setting = Setting(
        OWNER,
        Confidential(
            enabled=enabled,
            employer_ties=("First Lakeshore Bank", "haller-krause.com"),
            never_ask=tuple(never),
        ),
        corrections=tuple(Correction(n, add=(c,)) for n, c in fixes),
        goals=goals,
    )
    got = Judge(RULES, setting).judge(book)
    assert got == reference_judge(book, RULES, setting, [])


# ----------------------------------------------------------------------------- folding

_APOSTROPHES = re.compile(r"['’ʼ`´]")
_DOTTED = re.compile(r"(?<![^\W_])[^\W\d_]{1,2}(?:\.[^\W\d_]{1,2})+\.?(?![^\W_])")
_NON_WORD = re.compile(r"[\W_]+")


def _plain_fold(text: str) -> str:
    if text.isascii():
        t = text.lower()
    else:
        t = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
        t = "".join(ch for ch in t if not unicodedata.combining(ch)).casefold()
    t = _APOSTROPHES.sub("", t)
    t = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), t)
    return _NON_WORD.sub(" ", t).strip()


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=30) | st.text(alphabet="aZ .'`’ʼ´-éøßM.D\n_", max_size=30))
def test_fold_with_its_shortcuts_is_the_plain_folding(text: str) -> None:
    assert fold(text) == _plain_fold(text)


# ----------------------------------------------------------------------------- changed copies

_TEXTS = st.text(max_size=6)
_CHANGES = st.fixed_dictionaries(
    {},
    optional={
        "name": _TEXTS,
        "organization": st.none() | _TEXTS,
        "note": _TEXTS,
        "extra": st.lists(st.tuples(_TEXTS, _TEXTS), max_size=2).map(tuple),
        "categories": st.lists(st.sampled_from(CATEGORIES), max_size=3).map(tuple),
        "tie": st.none() | st.sampled_from(Tie),
        "focus": st.booleans(),
        "last_met": st.none() | st.dates(),
        "times_met": st.integers(0, 9),
    },
)


@settings(max_examples=200, deadline=None)
@given(_book(), _CHANGES)
def test_a_changed_copy_is_what_replace_makes(book: list[Contact], changes: dict[str, Any]) -> None:
    c = book[0]
    fast, plain = changed(c, **changes), replace(c, **changes)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert pickle.dumps(fast) == pickle.dumps(plain)
    assert c == replace(plain, **{k: getattr(c, k) for k in changes})  # the original is kept


def test_changed_copies_need_a_contact_without_post_init() -> None:
    assert not hasattr(Contact, "__post_init__")
    assert all(f.init for f in fields(Contact))
    with pytest.raises(TypeError, match="colour"):
        changed(Contact(id="c", name="A"), colour="red")

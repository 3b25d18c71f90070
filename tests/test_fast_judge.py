"""The judge's shortcuts against the straightforward reading they replaced: every contact in
every round of relation and label evidence, the employer ties found from every contact with
the organisation keys and note names worked out again for each, the owner's surname and
``never_ask`` read again for each contact; and names folded without the Unicode steps when they
are ASCII. Checked on the bundled example, the generated benchmark book and random address books
full of relatives, possessive notes, labels and employer ties.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.config import Confidential, Owner, School, TagRule
from sync.merge import _plain, merge_contacts, org_key
from sync.model import Contact, Event
from sync.tagging import employer_domains, fold, load_rules, rules_from_owner
from sync.who import Judge, Judged, Setting, judge
from sync.who.employer import _OUR, _TIE_WORDS, _domain, internal_meetings
from sync.who.fields import distinctive
from sync.who.judge import _card_evidence, _merge
from sync.who.overrides import by_id
from sync.who.relations import People, label_evidence, possessive_ties, relation_evidence

ROOT = Path(__file__).resolve().parent.parent
NY = ZoneInfo("America/New_York")

# --------------------------------------------------------------------------- the reference


def _ref_matches_org(org: str | None, names: Iterable[str]) -> str | None:
    key = org_key(org)
    if not key:
        return None
    for n in names:
        k = org_key(n)
        if k and (key == k or key.startswith(k + " ") or k.startswith(key + " ")):
            return n
    return None


def _ref_note_tie(note: str, employers: Sequence[str]) -> str | None:
    text = fold(note)
    found = _OUR.search(text)
    if found:
        return f"their notes: {found.group(0)!r}"
    padded = f" {text} "
    for e in employers:
        for name in {fold(e), distinctive(e)} - {""}:
            hit = f" {name} " in padded or f" {name}s " in padded
            if hit and any(f" {w} " in padded for w in _TIE_WORDS):
                return f"their notes tie them to {e}"
    return None


def _ref_direct(
    c: Contact,
    owner: Owner,
    domains: set[str],
    ties: list[str],
    tie_domains: set[str],
    met: Mapping[str, str],
) -> str | None:
    for e in c.emails:
        d = _domain(e)
        if d in domains:
            return f"email at {d}, your employer"
        if any(d == t or d.endswith("." + t) for t in tie_domains):
            return f"email at {d} (confidential.employer_ties)"
    employer = _ref_matches_org(c.organization, owner.employers)
    if employer:
        return f"works at {employer}, your employer"
    tie = _ref_matches_org(c.organization, ties)
    if tie:
        return f"works at {tie} (confidential.employer_ties)"
    for e in c.emails:
        if e.strip().casefold() in met:
            return f"met in your employer's meeting {met[e.strip().casefold()]!r}"
    return _ref_note_tie(c.note, [*owner.employers, *ties])


def reference_ties(
    contacts: Sequence[Contact], owner: Owner, conf: Confidential, events: list[Event], today: date
) -> dict[str, str]:
    if not conf.enabled:
        return {}
    domains = set(employer_domains(owner.emails))
    ties = list(conf.employer_ties)
    tie_domains = {t.strip().casefold().lstrip("@") for t in ties if "." in t and " " not in t}
    met = internal_meetings(events, owner, today)
    out: dict[str, str] = {}
    for c in contacts:
        why = _ref_direct(c, owner, domains, ties, tie_domains, met)
        if why:
            out[c.id] = why
    people = People(contacts, owner.name)
    for _ in range(2):
        for c in contacts:
            if c.id not in out:
                via = possessive_ties(c, people, out)
                if via:
                    out[c.id] = via
    return out


def reference_judge(
    contacts: Sequence[Contact], rules: Sequence[TagRule], s: Setting, events: list[Event]
) -> list[Judged]:
    j = Judge(rules, s)
    assert s.today is not None
    met = internal_meetings(events, s.owner, s.today)
    tied = reference_ties(contacts, s.owner, s.confidential, events, s.today)
    base = {c.id: _merge(j._ranked(c), _card_evidence(c, met, s.owner)) for c in contacts}
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
    return [j._finish(c, merged[c.id], tied.get(c.id, ""), fixes.get(c.id)) for c in contacts]


def assert_same(
    contacts: Sequence[Contact], rules: Sequence[TagRule], s: Setting, events: list[Event]
) -> list[Judged]:
    got = judge(contacts, rules, s, events)
    assert got == reference_judge(contacts, rules, s, events)
    return got


# --------------------------------------------------------------------------- data

OWNER = Owner(
    timezone="America/New_York",
    name="Dana Whitfield",
    emails=("dana.whitfield@baxterlowe.com",),
    schools=(School("Columbia Law School", 2016),),
    employers=("Baxter Lowe LLP",),
)


def _rules(owner: Owner = OWNER) -> list[TagRule]:
    return [*load_rules(None, []), *rules_from_owner(owner)]


def test_example(monkeypatch: pytest.MonkeyPatch) -> None:
    from sync import config as config_mod
    from sync.engine import read_inputs
    from sync.engine.contacts import setting_for
    from sync.who import rules_for

    monkeypatch.chdir(ROOT)
    cfg = config_mod.load(ROOT / "config.example.toml")
    now = datetime(2026, 12, 4, 10, tzinfo=NY)
    inputs = read_inputs(cfg, date(2026, 12, 7), 6, now, None)
    judged = assert_same(
        inputs.contacts, rules_for(cfg), setting_for(cfg, now.date()), inputs.events
    )
    assert sum(1 for j in judged if j.employer_tie) >= 1


def test_generated_book() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from sync.sources.ics.read import parse_calendar_text
    from sync.sources.vcard import parse_vcards

    contacts, _ = merge_contacts(parse_vcards(generate.vcards(1500), "all").contacts, ["all"])
    emails = [c.emails[0] for c in contacts if c.emails][:400]
    text = generate.calendar(3000, emails)
    events = parse_calendar_text(
        text, "work", NY, datetime(2025, 11, 1, tzinfo=NY), datetime(2027, 6, 1, tzinfo=NY)
    ).events
    named = [c for c in contacts if c.name][:3]
    conf = Confidential(
        employer_ties=("Kessler Bank", "quillfeather.com"),
        never_ask=(named[0].name, *named[1].emails),
    )
    s = Setting(owner=OWNER, confidential=conf, today=date(2026, 11, 21))
    judged = assert_same(contacts, _rules(), s, events)
    assert sum(1 for j in judged if j.never_ask) >= 2
    assert sum(1 for j in judged if j.employer_tie) >= 10


# --------------------------------------------------------------------------- random books

_FIRST = ["Anya", "Karl", "Maya", "Ines", "Omar", "Lena"]
_LAST = ["Reed", "Brandt", "Whitfield", "Osei", "Müller"]
_KIN = ["husband", "wife", "son-in-law", "mom", "friend", "sister", "boss", "neighbor"]
_ORGS = [
    "",
    "Baxter Lowe LLP",
    "Baxter Lowe",
    "Kessler Bank",
    "St. Robert Parish",
    "Acme & Co.",
    "Brandt Capital",
]
_LABELS = ["St. Robert", "Mentors", "family", "Book club", "Brandt", "x"]
_NOTES = [
    "",
    "{who}'s {kin}",
    "{who}’s little {kin}",
    "sits on the Baxter Lowe board",
    "our outside counsel",
    "met at {who}'s party",
    "Brandt's auditor",
]


@st.composite
def _book(draw: st.DrawFn) -> list[Contact]:
    n = draw(st.integers(min_value=1, max_value=14))
    names = [f"{draw(st.sampled_from(_FIRST))} {draw(st.sampled_from(_LAST))}" for _ in range(n)]
    out = []
    for i, name in enumerate(names):
        refs = [*names, "Dana Whitfield", "Anya", "Karl Brandt"]
        extra = tuple(
            (f"related.{draw(st.sampled_from(_KIN))}", draw(st.sampled_from(refs)))
            for _ in range(draw(st.integers(min_value=0, max_value=2)))
        )
        note = draw(st.sampled_from(_NOTES)).format(
            who=draw(st.sampled_from(refs)).split()[0], kin=draw(st.sampled_from(_KIN))
        )
        domain = draw(st.sampled_from(["gmail.com", "baxterlowe.com", "quillfeather.com", "x.org"]))
        out.append(
            Contact(
                id=f"c{i}",
                name=name,
                emails=(f"p{i}@{domain}",),
                organization=draw(st.sampled_from(_ORGS)) or None,
                note=note,
                source_categories=tuple(draw(st.lists(st.sampled_from(_LABELS), max_size=2))),
                extra=extra,
            )
        )
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=_book(), enabled=st.booleans())
def test_random_books(book: list[Contact], enabled: bool) -> None:
    conf = Confidential(
        enabled=enabled,
        employer_ties=("Kessler Bank", "quillfeather.com"),
        never_ask=("Omar Osei",),
    )
    s = Setting(owner=OWNER, confidential=conf, today=date(2026, 11, 21))
    assert_same(book, _rules(), s, [])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20) | st.text(alphabet="aZ ,.'-éÉøß", max_size=20))
def test_plain_is_the_unicode_folding(text: str) -> None:
    n = unicodedata.normalize("NFKD", text)
    assert _plain(text) == "".join(ch for ch in n if not unicodedata.combining(ch)).casefold()

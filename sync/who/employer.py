"""Who is tied to the owner's current employer (pure): they are never a target, never asked for
an introduction, never proposed as an introducer, so a confidential search stays confidential.

Tied are: anyone with an address at an employer domain or working at a current employer; anyone
at an organisation of ``confidential.employer_ties`` (its bank, auditors, outside counsel,
investors); anyone met in the employer's internal meetings (most guests at the employer, or the
employer named in the title); anyone whose notes tie them to the employer ("Brandt board", "our
auditor", "sits on the Quillfeather board"); and the relatives of anyone tied ("Karl's
son-in-law"). ``confidential.never_ask`` names the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from sync.config import Confidential, Owner
from sync.merge import name_tokens, org_key
from sync.model import Contact, Event
from sync.tagging import employer_domains, fold
from sync.who.fields import distinctive
from sync.who.relations import People, possessive_ties

#: Words that, next to the employer's name in a note, tie someone to the employer.
_TIE_WORDS = (
    "board", "director", "trustee", "bank", "banker", "audit", "auditor", "auditors", "counsel",
    "lawyer", "lawyers", "investor", "investors", "shareholder", "owner", "owners", "lender",
    "chairman", "founder",
)  # fmt: skip
_OUR = re.compile(
    r"\b(?:our|the company s|the firm s)\s+(?:outside\s+)?(?:board|bank|banker|auditors?|audit|"
    r"counsel|lawyers?|investors?|lenders?|series [a-z])\b"
)


def _domain(email: str) -> str:
    return email.rpartition("@")[2].casefold()


def _within(domain: str, domains: Iterable[str]) -> str | None:
    """The entry of ``domains`` that ``domain`` is, or is a subdomain of."""
    return next((d for d in domains if domain == d or domain.endswith("." + d)), None)


def _matches_org(org: str | None, names: Sequence[str]) -> str | None:
    if not names:
        return None
    key = org_key(org)
    if not key:
        return None
    for n in names:
        k = org_key(n)
        if k and (key == k or key.startswith(k + " ") or k.startswith(key + " ")):
            return n
    return None


def internal_meetings(events: Iterable[Event], owner: Owner, today: date) -> dict[str, str]:
    """Lower-cased email -> the title of an internal meeting of the employer they attended.

    Internal: at least two guests at an employer domain, or more than half of them, or the
    employer's name in the title. Only meetings before ``today`` count."""
    domains = set(employer_domains(owner.emails))
    words = [w for w in (distinctive(e) for e in owner.employers) if w]
    mine = {e.strip().casefold() for e in owner.emails}
    out: dict[str, str] = {}
    titles: dict[str, str] = {}
    for ev in events:
        if ev.cancelled or ev.start.date() >= today or ev.netweave_id:
            continue
        guests = [a.strip().casefold() for a in ev.attendees if a.strip().casefold() not in mine]
        if not guests:
            continue
        inside = sum(1 for g in guests if _within(_domain(g), domains))
        title = titles.get(ev.summary)
        if title is None:  # a series' instances share their summary
            title = titles[ev.summary] = f" {fold(ev.summary)} "
        named = any(f" {w} " in title for w in words)
        if inside >= 2 or inside * 2 > len(guests) or (named and inside):
            for g in guests:
                out.setdefault(g, ev.summary)
    return out


def _note_tie(note: str, employers: Sequence[str]) -> str | None:
    text = fold(note)
    if _OUR.search(text):
        return f"their notes: {_OUR.search(text).group(0)!r}"  # type: ignore[union-attr]
    padded = f" {text} "
    for e in employers:
        for name in {fold(e), distinctive(e)} - {""}:
            found = f" {name} " in padded or f" {name}s " in padded
            if found and any(f" {w} " in padded for w in _TIE_WORDS):
                return f"their notes tie them to {e}"
    return None


class NeverAsk:
    """``confidential.never_ask`` read once: the addresses and the names it lists."""

    def __init__(self, confidential: Confidential) -> None:
        refs = confidential.never_ask
        self.emails = {r.strip().casefold() for r in refs if "@" in r}
        self.names = {name_tokens(r) for r in refs if "@" not in r and name_tokens(r)}

    def lists(self, c: Contact, tokens: tuple[str, ...] | None = None) -> bool:
        """Whether ``c`` is listed; ``tokens``: the name's :func:`name_tokens`, if known."""
        if not self.emails and not self.names:
            return False
        toks = name_tokens(c.name) if tokens is None else tokens
        return toks in self.names or any(e.casefold() in self.emails for e in c.emails)


def never_asked(c: Contact, confidential: Confidential) -> bool:
    return NeverAsk(confidential).lists(c)


def employer_ties(
    contacts: Sequence[Contact],
    owner: Owner,
    confidential: Confidential,
    events: Iterable[Event] = (),
    today: date | None = None,
    *,
    met: Mapping[str, str] | None = None,
    people: People | None = None,
) -> dict[str, str]:
    """Contact id -> why they are tied to a current employer (empty when not confidential).

    ``met`` (:func:`internal_meetings` of ``events`` before ``today``) and ``people`` (of
    ``contacts`` and the owner) may be given when the caller has them already."""
    if not confidential.enabled:
        return {}
    domains = set(employer_domains(owner.emails))
    ties = list(confidential.employer_ties)
    tie_domains = {t.strip().casefold().lstrip("@") for t in ties if "." in t and " " not in t}
    if met is None:
        met = internal_meetings(events, owner, today or date.max) if today else {}
    out: dict[str, str] = {}
    notes: dict[str, str | None] = {}  # a note -> what it says (many notes are alike)
    for c in contacts:
        why = _direct(c, owner, domains, ties, tie_domains, met, notes)
        if why:
            out[c.id] = why
    if people is None:
        people = People(contacts, owner.name)
    for _ in range(2):  # relatives of the tied, and their relatives
        for c in people.linked:  # nobody else names a relative
            if c.id not in out:
                via = possessive_ties(c, people, out)
                if via:
                    out[c.id] = via
    return out


def _direct(
    c: Contact,
    owner: Owner,
    domains: set[str],
    ties: Sequence[str],
    tie_domains: set[str],
    met: Mapping[str, str],
    notes: dict[str, str | None] | None = None,
) -> str | None:
    for e in c.emails:
        d = _domain(e)
        if _within(d, domains):
            return f"email at {d}, your employer"
        if any(d == t or d.endswith("." + t) for t in tie_domains):
            return f"email at {d} (confidential.employer_ties)"
    employer = _matches_org(c.organization, owner.employers)
    if employer:
        return f"works at {employer}, your employer"
    tie = _matches_org(c.organization, ties)
    if tie:
        return f"works at {tie} (confidential.employer_ties)"
    for e in c.emails:
        if e.strip().casefold() in met:
            return f"met in your employer's meeting {met[e.strip().casefold()]!r}"
    if notes is None:
        return _note_tie(c.note, [*owner.employers, *ties])
    if c.note not in notes:
        notes[c.note] = _note_tie(c.note, [*owner.employers, *ties])
    return notes[c.note]

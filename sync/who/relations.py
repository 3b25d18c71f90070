"""What a card's relationship fields and possessive notes say about a person (pure).

A card's ``Spouse: Ann`` says who Ann is to the contact, not to the owner. So a relation is
evidence only when it names the owner (then its label decides: a spouse is family, a friend a
friend) or someone the owner already knows: the spouse of the owner's sister is family, the
spouse of a friend is a community tie. Notes written as people write them work the same way:
"Anya's husband" is family when Anya is, "Maya's mom" a community tie (a child's friend's
parent), "Karl's son-in-law" tied to the employer when Karl is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sync.merge import given_names, name_tokens
from sync.model import Contact
from sync.tagging import fold

KIN = frozenset(
    {"mother", "father", "parent", "mom", "mum", "dad", "sibling", "brother", "sister", "spouse",
     "husband", "wife", "partner", "domestic partner", "child", "son", "daughter", "kin", "cousin",
     "aunt", "uncle", "niece", "nephew", "grandmother", "grandfather", "grandparent", "grandchild",
     "grandson", "granddaughter", "stepmother", "stepfather", "stepbrother", "stepsister",
     "stepson", "stepdaughter", "mother in law", "father in law", "son in law", "daughter in law",
     "sister in law", "brother in law", "in laws", "parents", "godmother", "godfather",
     "godchild", "fiance", "fiancee", "sweetheart"}
)  # fmt: skip
_FRIEND = frozenset({"friend", "best friend", "close friend"})
_WORK = frozenset({"colleague", "co worker", "coworker", "assistant", "manager", "boss", "report"})
_NEIGHBOUR = frozenset({"neighbor", "neighbour", "co resident"})

_KIN_WORDS = (
    "mother-in-law|father-in-law|son-in-law|daughter-in-law|sister-in-law|brother-in-law|in-laws|"
    "mom|mum|mother|dad|father|parents|husband|wife|partner|son|daughter|brother|sister|cousin|"
    "aunt|uncle|niece|nephew|fianc[ée]e?|girlfriend|boyfriend|stepson|stepdaughter"
)
_POSSESSIVE = re.compile(
    r"\b((?:[A-Z][\w-]+\s+)?[A-Z][\w-]+)['’]s\s+"
    r"(?:(?:little|older|younger|big|baby|twin)\s+)?(" + _KIN_WORDS + r")\b"
)


@dataclass(frozen=True)
class Evidence:
    """One category for a contact from evidence other than a rule, with its rank and why."""

    category: str
    priority: int
    origin: str
    because: str


def _label(raw: str) -> str:
    return fold(raw).replace("-", " ")


def names_someone(c: Contact, notes: dict[str, bool] | None = None) -> bool:
    """Whether ``c``'s relationship fields or notes name anyone: else :func:`relation_evidence`
    and :func:`possessive_ties` have nothing to say about ``c``. ``notes``: what each note
    read so far says (many notes are alike)."""
    if any(k.startswith("related.") for k, _ in c.extra):
        return True
    if notes is None:
        return _POSSESSIVE.search(c.note) is not None
    said = notes.get(c.note)
    if said is None:
        said = notes[c.note] = _POSSESSIVE.search(c.note) is not None
    return said


class People:
    """The address book, looked up by full name or first name; ``linked``: the contacts whose
    relationship fields or notes name someone (:func:`names_someone`), in order."""

    def __init__(self, contacts: Sequence[Contact], owner_name: str) -> None:
        self._tokens: dict[str, tuple[str, ...]] = {}
        self._named: dict[str, list[Contact]] = {}
        self._labels: dict[str, str] = {}
        self.owner = self.tokens(owner_name)
        self.by_full: dict[tuple[str, ...], list[Contact]] = {}
        self.by_first: dict[str, list[Contact]] = {}
        self.by_last: dict[str, list[tuple[tuple[str, ...], Contact]]] = {}
        notes: dict[str, bool] = {}
        self.linked = [c for c in contacts if names_someone(c, notes)]
        for c in contacts:
            toks = self.tokens(c.name)
            if toks:
                self.by_full.setdefault(toks, []).append(c)
                self.by_first.setdefault(toks[0], []).append(c)
                if len(toks) >= 2:
                    self.by_last.setdefault(toks[-1], []).append((toks, c))

    def tokens(self, name: str) -> tuple[str, ...]:
        """:func:`~sync.merge.name_tokens` of ``name`` (each name read once)."""
        toks = self._tokens.get(name)
        if toks is None:
            toks = self._tokens[name] = name_tokens(name)
        return toks

    def label(self, raw: str) -> str:
        """A relation's label folded ("Sister-in-law" -> "sister in law"), each label once."""
        got = self._labels.get(raw)
        if got is None:
            got = self._labels[raw] = _label(raw)
        return got

    def is_owner(self, name: str) -> bool:
        toks = self.tokens(name)
        return bool(toks) and bool(self.owner) and toks == self.owner

    def named(self, name: str) -> list[Contact]:
        """The contacts ``name`` may be (each name looked up once; do not change the list)."""
        found = self._named.get(name)
        if found is None:
            found = self._named[name] = self._lookup(name)
        return found

    def _lookup(self, name: str) -> list[Contact]:
        toks = self.tokens(name)
        if not toks:
            return []
        if len(toks) == 1:
            found = self.by_first.get(toks[0], [])
            if found:
                return found
            # "Dan's mother": Daniel, when no card is named Dan
            return [c for n in sorted(given_names(toks[0])) for c in self.by_first.get(n, [])]
        exact = self.by_full.get(toks, [])
        if exact:
            return exact
        # "Tom Grady" is "Thomas Grady"; "Rick Alvarez" is "Coach Rick Alvarez"
        first = given_names(toks[0])
        return [
            c
            for full, c in self.by_last.get(toks[-1], [])
            if any(w in first for w in full[:-1]) and set(toks[1:-1]) <= set(full)
        ]

    def possessor(self, written: str) -> list[Contact]:
        """Whom a possessive in a note names: "Tom Grady's" (full name), else "Grady's" or a
        first name ("Maya's"), the last word written."""
        found = self.named(written)
        if found or " " not in written.strip():
            return found
        return self.named(written.split()[-1])


def _to_owner(label: str) -> Evidence | None:
    if label in KIN or label.endswith(" in law"):
        return Evidence("family", 95, "relation", f"their card names you as {label}")
    if label in _FRIEND:
        return Evidence("friends", 85, "relation", f"their card names you as {label}")
    if label in _WORK:
        return Evidence("colleagues", 85, "relation", f"their card names you as {label}")
    if label in _NEIGHBOUR:
        return Evidence("community", 80, "relation", f"their card names you as {label}")
    return None


def relation_evidence(
    c: Contact, people: People, primary: Mapping[str, str], tied: Mapping[str, str]
) -> list[Evidence]:
    """Evidence from ``c``'s relationship fields and possessive notes.

    ``primary``: contact id -> the category they have so far; ``tied``: contact id -> why they
    are tied to the employer.
    """
    out: list[Evidence] = []
    for key, who in c.extra:
        if not key.startswith("related."):
            continue
        label = people.label(key.removeprefix("related."))
        if people.is_owner(who):
            ev = _to_owner(label)
            if ev is not None:
                out.append(ev)
            continue
        out.extend(_via(c, label, who, people, primary, tied, "relation", kin_needed=False))
    for m in _POSSESSIVE.finditer(c.note):
        who, kin = m.group(1), people.label(m.group(2))
        if people.is_owner(who) or people.is_owner(who.split()[-1]):
            continue
        out.extend(_via(c, kin, who, people, primary, tied, "note", kin_needed=True))
    return out


def _via(
    c: Contact,
    label: str,
    who: str,
    people: People,
    primary: Mapping[str, str],
    tied: Mapping[str, str],
    origin: str,
    kin_needed: bool,
) -> list[Evidence]:
    """Evidence from ``c`` being ``label`` of ``who`` (someone other than the owner)."""
    found = people.possessor(who) if origin == "note" else people.named(who)
    others = [o for o in found if o.id != c.id]
    kin = label in KIN or label.endswith(" in law")
    if kin_needed and not kin:
        return []
    said = f"{label} of {who}"
    if any(primary.get(o.id) == "family" for o in others) and kin:
        return [Evidence("family", 92, origin, f"{said}, who is family")]
    tied_to = [o for o in others if o.id in tied]
    if tied_to:
        return [Evidence("colleagues", 52, origin, f"{said}, who is tied to your employer")]
    if not others and origin == "relation":
        return []  # the card's own spouse or child: nothing about the owner
    return [Evidence("community", 47, origin, f"{said}: someone you know through them")]


def possessive_ties(c: Contact, people: People, tied: Mapping[str, str]) -> str | None:
    """Why ``c`` is tied to the employer through a relative: "Karl Brandt's son-in-law"."""
    for key, who in c.extra:
        if key.startswith("related.") and not people.is_owner(who):
            for o in people.named(who):
                if o.id in tied and o.id != c.id:
                    return f"{_label(key.removeprefix('related.'))} of {o.name}"
    for m in _POSSESSIVE.finditer(c.note):
        for o in people.possessor(m.group(1)):
            if o.id in tied and o.id != c.id:
                return f"{o.name}'s {m.group(2)}"
    return None


def label_evidence(c: Contact, orgs: Mapping[str, str], matched: frozenset[str]) -> list[Evidence]:
    """A label no rule knows that names a community group someone else belongs to ("St.
    Robert" on a card, "St. Robert Parish" the organisation of the owner's pastor): a community
    tie. ``orgs``: folded organisation -> category of the community contacts there;
    ``matched``: the labels some rule already read."""
    out: list[Evidence] = []
    for label in c.source_categories:
        key = fold(label)
        if not key or key in matched or len(key) < 4:
            continue
        for org, cat in orgs.items():
            if f" {key} " in f" {org} ":
                out.append(Evidence(cat, 48, "label", f"label {label!r}, like {org!r}"))
                return out
    return out

"""Which person a name on the command line means: an email address, the whole name (accents,
case, honorifics and "Last, First" aside), all its words, a part of the name, or the start of
each word, in that order; the first way that finds anyone decides. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sync.merge import name_tokens


@dataclass(frozen=True)
class Candidate:
    """A person a name may mean: the contact id, the name, and what tells namesakes apart."""

    contact: str
    name: str
    emails: tuple[str, ...] = ()
    organization: str = ""

    def label(self) -> str:
        """The name, with the organisation or first address when there is one."""
        hint = self.organization or (self.emails[0] if self.emails else "")
        return f"{self.name} ({hint})" if hint else self.name


def _tiers(query: str) -> list[Callable[[Candidate], bool]]:
    q = query.strip().casefold()
    words = name_tokens(query)

    def email(c: Candidate) -> bool:
        return "@" in q and q in (e.casefold() for e in c.emails)

    def whole(c: Candidate) -> bool:
        return bool(words) and name_tokens(c.name) == words

    def every_word(c: Candidate) -> bool:
        return bool(words) and set(words) <= set(name_tokens(c.name))

    def part(c: Candidate) -> bool:
        return bool(q) and q in c.name.casefold()

    def word_starts(c: Candidate) -> bool:
        mine = name_tokens(c.name)
        return bool(words) and all(any(m.startswith(w) for m in mine) for w in words)

    return [email, whole, every_word, part, word_starts]


def match_people(query: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The people ``query`` means (one per contact id, by name), from the first way of matching
    that finds anyone; empty when nobody matches."""
    unique: dict[str, Candidate] = {}
    for c in candidates:
        unique.setdefault(c.contact, c)
    people: Sequence[Candidate] = sorted(unique.values(), key=lambda c: (c.name, c.contact))
    for test in _tiers(query):
        hits = [c for c in people if test(c)]
        if hits:
            return hits
    return []

"""Matchers: one small object per kind of test (``match`` and ``witness``), and
:func:`compile_rule`, which turns a declarative :class:`~sync.config.TagRule` into
``All(Any-of-each-non-empty-list)``."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Protocol

from sync.config import TagRule
from sync.model import Contact
from sync.tagging.text import ContactText, _view, _word_regex, pattern_key

#: Placeholder in ``email_domain`` for the owner's employer domains.
OWNER_PLACEHOLDER = "$owner"

#: Web-mail and ISP domains: never an employer (see :func:`employer_domains`).
PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "aol.com", "att.net", "btinternet.com", "comcast.net", "fastmail.com", "fastmail.fm",
        "gmail.com", "gmx.com", "gmx.de", "gmx.net", "googlemail.com", "hey.com", "hotmail.com",
        "hotmail.co.uk", "icloud.com", "live.com", "mac.com", "mail.com", "me.com", "msn.com",
        "outlook.com", "posteo.de", "proton.me", "protonmail.com", "sbcglobal.net",
        "verizon.net", "web.de", "yahoo.com", "yahoo.co.uk", "yandex.com", "zoho.com",
    }
)  # fmt: skip


class Matcher(Protocol):
    def match(self, contact: Contact | ContactText) -> bool: ...

    def witness(self, contact: ContactText) -> tuple[str, ...] | None:
        """What matched, for explanations (None: no match)."""
        ...


@dataclass(frozen=True, init=False)
class _TextRule:
    """Any of ``patterns`` occurs, as whole words, in one text field of the contact."""

    patterns: tuple[str, ...]
    # first word of a pattern (see pattern_key) -> (index, regex) of the patterns starting with it
    _by_first: Mapping[str, tuple[tuple[int, re.Pattern[str]], ...]] = field(
        repr=False, compare=False
    )
    label: ClassVar[str] = ""
    attr: ClassVar[str] = ""
    whole: ClassVar[bool] = False  # the pattern must be a whole entry (a label), not words in it

    def __init__(self, *patterns: str) -> None:
        groups: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        for i, p in enumerate(patterns):
            rx = _word_regex(p, self.whole)
            if rx is not None:
                groups.setdefault(pattern_key(p), []).append((i, re.compile(rx, re.MULTILINE)))
        by_first = {k: tuple(v) for k, v in groups.items()}
        object.__setattr__(self, "patterns", tuple(patterns))
        object.__setattr__(self, "_by_first", MappingProxyType(by_first))

    def _text(self, v: ContactText) -> str:
        text: str = getattr(v, self.attr)
        return text

    def _hits(self, v: ContactText, first_only: bool) -> list[int]:
        """Indexes of the patterns found (only the first one tried with ``first_only``)."""
        text = self._text(v)
        if not text:
            return []
        words = v.words.get(self.attr)
        if words is None:  # a hand-made ContactText: try everything
            keys = sorted(self._by_first)
        elif self._by_first.keys().isdisjoint(words):
            return []
        else:
            keys = sorted(words.intersection(self._by_first))
        found = []
        for k in keys:
            for i, rx in self._by_first[k]:
                if rx.search(text) is not None:
                    found.append(i)
                    if first_only:
                        return found
        return found

    def match(self, contact: Contact | ContactText) -> bool:
        return bool(self._hits(_view(contact), first_only=True))

    def witness(self, contact: ContactText) -> tuple[str, ...] | None:
        """The first pattern (in the order given) that occurs."""
        found = self._hits(contact, first_only=False)
        if not found:
            return None
        return (f"{self.label} {self.patterns[min(found)]!r}",)


class OrganizationRule(_TextRule):
    label, attr = "organization", "organization"


class TitleRule(_TextRule):
    label, attr = "title", "title"


class NoteKeywordRule(_TextRule):
    label, attr = "note", "note"


class NameRule(_TextRule):
    label, attr = "name", "name"


class SourceCategoryRule(_TextRule):
    """A whole address-book label: "Client" matches "Clients", not "Client Professionals"
    ("Client*" matches both)."""

    label, attr, whole = "source_category", "source_categories", True


class RelationRule(_TextRule):
    label, attr = "relation", "relations"


@dataclass(frozen=True, init=False)
class EmailDomainRule:
    """Any email is at one of ``domains`` or a subdomain; an entry with ``@`` is an address."""

    domains: tuple[str, ...]

    def __init__(self, *domains: str) -> None:
        clean = []
        for d in domains:
            d = d.strip().casefold()
            if "@" in d and not d.startswith("@"):
                clean.append(d)
            else:
                d = d.lstrip("@").removeprefix("*").lstrip(".")
                if d:
                    clean.append(d)
        object.__setattr__(self, "domains", tuple(clean))

    def _hit(self, email: str) -> str | None:
        dom = email.rpartition("@")[2]
        for d in self.domains:
            if "@" in d:
                if email == d:
                    return d
            elif dom == d or dom.endswith("." + d):
                return d
        return None

    def match(self, contact: Contact | ContactText) -> bool:
        return self.witness(_view(contact)) is not None

    def witness(self, contact: ContactText) -> tuple[str, ...] | None:
        for e in contact.emails:
            d = self._hit(e)
            if d is not None:
                return (f"email_domain {d!r} ({e})",)
        return None


@dataclass(frozen=True, init=False)
class All:
    """Every part matches (an empty All matches everything)."""

    parts: tuple[Matcher, ...]

    def __init__(self, *parts: Matcher) -> None:
        object.__setattr__(self, "parts", parts)

    def match(self, contact: Contact | ContactText) -> bool:
        return self.witness(_view(contact)) is not None

    def witness(self, contact: ContactText) -> tuple[str, ...] | None:
        out: list[str] = []
        for p in self.parts:
            w = p.witness(contact)
            if w is None:
                return None
            out.extend(w)
        return tuple(out)


@dataclass(frozen=True, init=False)
class Any:
    """At least one part matches (an empty Any matches nothing)."""

    parts: tuple[Matcher, ...]

    def __init__(self, *parts: Matcher) -> None:
        object.__setattr__(self, "parts", parts)

    def match(self, contact: Contact | ContactText) -> bool:
        return self.witness(_view(contact)) is not None

    def witness(self, contact: ContactText) -> tuple[str, ...] | None:
        for p in self.parts:
            w = p.witness(contact)
            if w is not None:
                return w
        return None


class SchoolRule(_TextRule):
    """The school of an alumni-directory or LinkedIn record (``extra["school"]``)."""

    label = "school"
    attr = "school"


class ClassYearRule(_TextRule):
    """The class year (``extra["class_year"]``), as a whole entry: "2024" is not "2024-25"."""

    label = "class year"
    attr = "class_year"
    whole = True


_LEAVES: tuple[tuple[str, type[_TextRule]], ...] = (
    ("relation", RelationRule),
    ("source_category", SourceCategoryRule),
    ("name", NameRule),
    ("organization", OrganizationRule),
    ("title", TitleRule),
    ("note", NoteKeywordRule),
    ("school", SchoolRule),
    ("class_year", ClassYearRule),
)


def _employer(owner_domains: Sequence[str]) -> list[str]:
    out = [d.strip().casefold().lstrip("@") for d in owner_domains]
    return [d for d in out if d and d not in PUBLIC_MAIL_DOMAINS]


def compile_rule(rule: TagRule, owner_domains: Sequence[str] = ()) -> Matcher:
    """A TagRule as a matcher: every non-empty list must match; any entry of a list matches.

    ``$owner`` in ``email_domain`` expands to ``owner_domains`` minus public web mail (an owner
    on gmail.com has no employer domain: gmail users are not colleagues); nothing if none.
    """
    parts: list[Matcher] = []
    if rule.email_domain:
        employer = _employer(owner_domains)
        doms: list[str] = []
        for d in rule.email_domain:
            doms.extend(employer if d.strip() == OWNER_PLACEHOLDER else [d])
        parts.append(EmailDomainRule(*doms))
    for attr, cls in _LEAVES:
        pats: tuple[str, ...] = getattr(rule, attr)
        if pats:
            parts.append(cls(*pats))
    if not parts:
        return Any()  # a rule without matchers matches nothing
    return parts[0] if len(parts) == 1 else All(*parts)

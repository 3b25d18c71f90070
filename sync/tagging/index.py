"""Every rule compiled once into one index, so that tagging a contact looks at the patterns
its words can start rather than at every rule.

Each distinct pattern of a field is compiled once (rules share many: "partner", "columbia
law"), keyed by the word it starts with (:func:`~sync.tagging.text.pattern_key`). For a contact,
only the patterns whose key is among the field's words are searched; the rules that use a
pattern found are the only candidates, and each is decided from the set of patterns found.
The result is the same as asking every compiled :class:`~sync.tagging.matchers.Matcher`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from sync.config import TagRule
from sync.tagging.matchers import _LEAVES, OWNER_PLACEHOLDER, EmailDomainRule, _employer
from sync.tagging.text import ContactText, _word_regex, pattern_key

#: The matcher lists in the order a rule's witness names them (as :func:`compile_rule`).
_FIELDS: tuple[tuple[str, str, str, bool], ...] = tuple(
    (key, cls.attr, cls.label, cls.whole) for key, cls in _LEAVES
)


#: Fields each contact has of its own: never served from a memo.
_OWN = frozenset({"name"})


@dataclass(frozen=True)
class _List:
    """One non-empty matcher list of one rule: its patterns and their ids in the index."""

    label: str  # "" for email_domain
    patterns: tuple[str, ...]
    ids: tuple[int, ...]  # -1: a pattern that folds to nothing (never matches)


@dataclass(frozen=True)
class RuleIndex:
    """The ranked rules as lists of pattern ids, and the patterns by field and first word."""

    lists: tuple[tuple[_List, ...], ...]  # per ranked rule (empty: matches nothing)
    sources: tuple[str, ...]  # text pattern id -> its regex (compiled when first needed)
    by_field: Mapping[str, Mapping[str, tuple[int, ...]]]  # attr -> key -> text pattern ids
    keys: Mapping[str, frozenset[str]]  # attr -> the keys of by_field[attr]
    emails: Mapping[str, int]  # an address or a domain -> its id (after the text ids)
    users: Mapping[int, tuple[int, ...]]  # pattern or email id -> ranks of the rules using it
    # text pattern id -> its compiled regex: most patterns (of about 900 in the bundled rules)
    # never meet a contact whose words they start with, and compiling them all costs 0.1 s
    _compiled: list[re.Pattern[str] | None] = field(default_factory=list, compare=False, repr=False)
    # an email domain -> its entries (see _at_domain), for the domains many contacts share
    _domains: dict[str, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, ranked: Sequence[TagRule], owner_domains: Sequence[str]) -> RuleIndex:
        ids: dict[tuple[str, str], int] = {}
        regexes: list[str] = []
        by_field: dict[str, dict[str, list[int]]] = {}
        email_entries: dict[str, int] = {}
        lists: list[tuple[_List, ...]] = []
        users: dict[tuple[str, int], list[int]] = {}
        employer = _employer(owner_domains)
        for rank, rule in enumerate(ranked):
            out: list[_List] = []
            if rule.email_domain:
                doms: list[str] = []
                for d in rule.email_domain:
                    doms.extend(employer if d.strip() == OWNER_PLACEHOLDER else [d])
                clean = EmailDomainRule(*doms).domains
                eids = tuple(email_entries.setdefault(d, len(email_entries)) for d in clean)
                out.append(_List("", clean, eids))
                for i in eids:
                    users.setdefault(("@", i), []).append(rank)
            for key, attr, label, whole in _FIELDS:
                pats: tuple[str, ...] = getattr(rule, key)
                if not pats:
                    continue
                pids: list[int] = []
                for p in pats:
                    rx = _word_regex(p, whole)
                    if rx is None:
                        pids.append(-1)
                        continue
                    pid = ids.get((attr, rx))
                    if pid is None:
                        pid = ids[(attr, rx)] = len(regexes)
                        regexes.append(rx)
                        by_field.setdefault(attr, {}).setdefault(pattern_key(p), []).append(pid)
                    pids.append(pid)
                    users.setdefault(("", pid), []).append(rank)
                out.append(_List(label, pats, tuple(pids)))
            lists.append(tuple(out))
        offset = len(regexes)
        return cls(
            lists=tuple(lists),
            sources=tuple(regexes),
            _compiled=[None] * len(regexes),
            by_field=MappingProxyType(
                {
                    a: MappingProxyType({k: tuple(v) for k, v in m.items()})
                    for a, m in by_field.items()
                }
            ),
            keys=MappingProxyType({a: frozenset(m) for a, m in by_field.items()}),
            emails=MappingProxyType({d: i + offset for d, i in email_entries.items()}),
            users=MappingProxyType(
                {
                    (i if kind == "" else i + offset): tuple(sorted(set(r)))
                    for (kind, i), r in users.items()
                }
            ),
        )

    def found(
        self, view: ContactText, memo: dict[tuple[str, str], frozenset[int]] | None = None
    ) -> tuple[set[int], list[tuple[str, set[int]]]]:
        """The text patterns found in the contact, and for each of its emails the address and
        domain entries it is at. ``memo`` (kept by the caller across contacts of
        :meth:`ContactText.of`) serves the fields many contacts share (firm, title, labels,
        notes)."""
        hits: set[int] = set()
        for attr, keyed in self.by_field.items():
            text: str = getattr(view, attr)
            if not text:
                continue
            words = view.words.get(attr)
            if memo is None or attr in _OWN or words is None:
                hits.update(self._search(attr, keyed, text, words))
                continue
            got = memo.get((attr, text))
            if got is None:
                got = memo[(attr, text)] = frozenset(self._search(attr, keyed, text, words))
            hits.update(got)
        per_email: list[tuple[str, set[int]]] = []
        if self.emails:
            for e in view.emails:
                dom = e.rpartition("@")[2]
                at = set(self._at_domain(dom))
                if e in self.emails:
                    at.add(self.emails[e])
                if at:
                    per_email.append((e, at))
        return hits, per_email

    def _at_domain(self, dom: str) -> frozenset[int]:
        """The domain entries ``dom`` is at: itself and each domain it is a subdomain of."""
        got = self._domains.get(dom)
        if got is None:
            names = {dom, *(dom[i + 1 :] for i, ch in enumerate(dom) if ch == ".")}
            got = self._domains[dom] = frozenset(self.emails[n] for n in names if n in self.emails)
        return got

    def _search(
        self,
        attr: str,
        keyed: Mapping[str, tuple[int, ...]],
        text: str,
        words: frozenset[str] | None,
    ) -> list[int]:
        """The patterns of one field found in its text (``words``: the text's, see
        :class:`ContactText`; None: try every pattern)."""
        out: list[int] = []
        compiled = self._compiled
        keys = keyed.keys() if words is None else words & self.keys[attr]
        for k in keys:
            for pid in keyed[k]:
                rx = compiled[pid]
                if rx is None:
                    rx = compiled[pid] = re.compile(self.sources[pid], re.MULTILINE)
                if rx.search(text) is not None:
                    out.append(pid)
        return out

    def candidates(self, hits: set[int], per_email: list[tuple[str, set[int]]]) -> list[int]:
        """Ranks of the rules that use a pattern found (the others cannot match), in order."""
        ranks: set[int] = set()
        for pid in hits:
            ranks.update(self.users.get(pid, ()))
        for _, at in per_email:
            for i in at:
                ranks.update(self.users.get(i, ()))
        return sorted(ranks)

    def witness(
        self, rank: int, hits: set[int], per_email: list[tuple[str, set[int]]]
    ) -> tuple[str, ...] | None:
        """What made rule ``rank`` match (each list's first pattern found), or None."""
        out: list[str] = []
        for lst in self.lists[rank]:
            if not lst.label:  # email_domain: the first email at one of the entries
                w = next(
                    (
                        f"email_domain {d!r} ({e})"
                        for e, at in per_email
                        for d in lst.patterns
                        if self.emails[d] in at
                    ),
                    None,
                )
            else:
                w = next(
                    (
                        f"{lst.label} {p!r}"
                        for p, pid in zip(lst.patterns, lst.ids, strict=True)
                        if pid in hits
                    ),
                    None,
                )
            if w is None:
                return None
            out.append(w)
        return tuple(out) if out else None

"""Tagging: contacts -> categories (primary first), the reasons, and tie strength."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sync.config import RULE_MATCHERS, TagRule
from sync.model import STRONG_CATEGORIES, Contact, Tie
from sync.tagging.index import RuleIndex
from sync.tagging.matchers import (
    PUBLIC_MAIL_DOMAINS,
    EmailDomainRule,
    _employer,
)
from sync.tagging.text import ContactText, _Folded


def specificity(rule: TagRule) -> int:
    """How many matcher lists the rule combines (more: more specific)."""
    return sum(1 for m in RULE_MATCHERS if getattr(rule, m))


@dataclass(frozen=True)
class Reason:
    """Why a contact has a category: the rule (its origin) and what matched."""

    category: str
    origin: str
    because: tuple[str, ...] = ()

    def __str__(self) -> str:
        why = f" ({'; '.join(self.because)})" if self.because else ""
        return f"{self.category}: {self.origin}{why}"


#: Categories no default rule gives to someone with an address at the owner's employer: a
#: confidential search must not plan introductions through (or to) the current firm. The
#: user's own rules still can.
DISCREET_CATEGORIES: frozenset[str] = frozenset({"targets", "introducers"})


def is_user_rule(rule: TagRule) -> bool:
    """A rule from the user's config, as :func:`load_rules` returns it (boosted priority)."""
    return rule.priority > 1000


def tie_for(categories: Iterable[str], times_met: int, strong_after_meetings: int) -> Tie:
    """Strong for family, friends, school friends and mentors, or someone met often; else weak."""
    if any(c in STRONG_CATEGORIES for c in categories):
        return Tie.STRONG
    return Tie.STRONG if times_met >= strong_after_meetings else Tie.WEAK


def _ranked(rules: Sequence[TagRule]) -> list[TagRule]:
    order = sorted(range(len(rules)), key=lambda i: (-rules[i].priority, -specificity(rules[i]), i))
    return [rules[i] for i in order]


@dataclass
class TagMemo:
    """What tagging many contacts reuses (kept by the caller across the contacts of
    :meth:`ContactText.of`): the patterns found in the fields many share (firm, title,
    labels, notes; see :meth:`RuleIndex.found`), and the reasons a set of patterns found gives
    a contact with no address any rule names."""

    fields: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    reasons: dict[tuple[bool, frozenset[int]], tuple[Reason, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Tagger:
    """Rules compiled once, for tagging many batches (``netweave serve``, ``contacts --explain``).

    :func:`tag` and :func:`tag_explained` build one per call. ``ranked``: the rules in order
    of precedence; ``index``: the same rules compiled together (:class:`RuleIndex`), which
    decides like :func:`compile_rule`'s matchers.
    """

    ranked: tuple[TagRule, ...]
    employer: EmailDomainRule
    index: RuleIndex

    @classmethod
    def build(cls, rules: Sequence[TagRule], owner_domains: Sequence[str] = ()) -> Tagger:
        ranked = _ranked(rules)
        return cls(
            ranked=tuple(ranked),
            employer=EmailDomainRule(*_employer(owner_domains)),
            index=RuleIndex.build(ranked, owner_domains),
        )

    def reasons(
        self,
        contact: Contact,
        default_category: str,
        memo: dict[tuple[str, object], _Folded] | None = None,
    ) -> list[Reason]:
        """Why the contact gets each category, primary first (never empty). ``memo``: see
        :meth:`ContactText.of`."""
        return self.reasons_in(ContactText.of(contact, memo), default_category)

    def reasons_in(
        self, view: ContactText, default_category: str, memo: TagMemo | None = None
    ) -> list[Reason]:
        """:meth:`reasons` for a contact's text already read (``memo``: see :class:`TagMemo`)."""
        at_employer = self.employer.match(view)
        hits, per_email = self.index.found(view, None if memo is None else memo.fields)
        if memo is None or per_email:  # an email's reason names the address: its own
            reasons = self._decide(hits, per_email, at_employer)
        else:
            key = (at_employer, frozenset(hits))
            got = memo.reasons.get(key)
            if got is None:
                got = memo.reasons[key] = tuple(self._decide(hits, per_email, at_employer))
            reasons = list(got)
        return reasons or [Reason(default_category, "default_category")]

    def _decide(
        self, hits: set[int], per_email: list[tuple[str, set[int]]], at_employer: bool
    ) -> list[Reason]:
        """The reasons of the rules the patterns found make match, primary first."""
        reasons: list[Reason] = []
        seen: set[str] = set()
        for rank in self.index.candidates(hits, per_email):
            rule = self.ranked[rank]
            if rule.category in seen:
                continue
            if at_employer and rule.category in DISCREET_CATEGORIES and not is_user_rule(rule):
                continue
            w = self.index.witness(rank, hits, per_email)
            if w is not None:
                seen.add(rule.category)
                reasons.append(Reason(rule.category, rule.origin or "rule", w))
        return reasons

    def explain(
        self, contacts: Sequence[Contact], *, default_category: str, strong_after_meetings: int
    ) -> list[tuple[Contact, list[Reason]]]:
        out: list[tuple[Contact, list[Reason]]] = []
        memo: dict[tuple[str, object], _Folded] = {}
        for c in contacts:
            why = self.reasons(c, default_category, memo)
            cats = tuple(r.category for r in why)
            tie = tie_for(cats, c.times_met, strong_after_meetings)
            out.append((replace(c, categories=cats, tie=tie), why))
        return out


def tag_explained(
    contacts: Sequence[Contact],
    rules: Sequence[TagRule],
    *,
    default_category: str,
    strong_after_meetings: int,
    owner_domains: Sequence[str] = (),
) -> list[tuple[Contact, list[Reason]]]:
    """Like :func:`tag`, with the reasons: one per category, in the same order (primary first)."""
    return Tagger.build(rules, owner_domains).explain(
        contacts, default_category=default_category, strong_after_meetings=strong_after_meetings
    )


def tag(
    contacts: Sequence[Contact],
    rules: Sequence[TagRule],
    *,
    default_category: str,
    strong_after_meetings: int,
    owner_domains: Sequence[str] = (),
) -> list[Contact]:
    """Set ``categories`` (primary first) and ``tie`` on every contact; the order is kept.

    Contacts no rule matches get ``default_category``. ``owner_domains`` are the owner's
    employer domains (what ``$owner`` in a rule's ``email_domain`` stands for; public web mail
    is ignored). Someone with an address at the employer never gets a
    :data:`DISCREET_CATEGORIES` category from a default rule.
    """
    return [
        c
        for c, _ in tag_explained(
            contacts,
            rules,
            default_category=default_category,
            strong_after_meetings=strong_after_meetings,
            owner_domains=owner_domains,
        )
    ]


#: Second-level labels under a country code that are not an organisation's own name
#: ("co.uk", "ac.jp", "gov.au").
_SHARED_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "go", "ne", "net", "or", "org"})


def organisation_domain(domain: str) -> str:
    """The organisation's own domain of a department's subdomain: "cs.wisc.edu" -> "wisc.edu",
    "mail.acme.co.uk" -> "acme.co.uk"; a domain with no subdomain is itself."""
    labels = domain.split(".")
    keep = 2
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SHARED_SECOND_LEVEL:
        keep = 3
    return ".".join(labels[-keep:]) if len(labels) > keep else domain


def employer_domains(owner_emails: Sequence[str]) -> tuple[str, ...]:
    """The owner's employer domains: the domains of their addresses, minus public web mail,
    each with its organisation's domain (a professor at cs.wisc.edu works for wisc.edu)."""
    out: list[str] = []
    for e in owner_emails:
        local, at, d = e.strip().casefold().rpartition("@")
        if not (local and at and d) or d in PUBLIC_MAIL_DOMAINS:
            continue
        for x in (d, organisation_domain(d)):
            if x not in out and x not in PUBLIC_MAIL_DOMAINS:
                out.append(x)
    return tuple(out)

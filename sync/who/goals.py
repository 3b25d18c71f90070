"""What a goal's words say about whom it needs (pure): the industries and sectors it names,
the organisations it names, the function it is in, and whether it means a company.

"Move into industry research at a robotics or AI company" names two industries (robotics, AI),
a function (research) and a company: people in research or in a senior role at a robotics or AI
company serve it, not every "Director" the field's rule pack knows. Each goal is compiled into
small rules with one ``match()`` (the matchers of :mod:`sync.tagging.matchers`, and :class:`Not`)
put together with ``All`` and ``Any``. An industry that is the owner's own field says nothing
about whom (everyone in a manufacturer's address book is in manufacturing): the field's rule
pack decides there. A goal that leads out of the owner's field (every target-taking goal names
another world) also narrows the pack's title-only targets to the people in that world.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sync.config import Goal
from sync.model import Contact
from sync.tagging import (
    All,
    Any,
    EmailDomainRule,
    Matcher,
    NoteKeywordRule,
    OrganizationRule,
    TitleRule,
    fold,
)
from sync.tagging.text import ContactText, _word_regex
from sync.who.fields import goal_title


@dataclass(frozen=True)
class Industry:
    """An industry or sector: the goal words that name it, the card words that show someone is
    in it, the field of work it is (``""``: none of the rule packs') and its email domains."""

    name: str
    goal_words: tuple[str, ...]
    card_words: tuple[str, ...]
    field: str = ""
    domains: tuple[str, ...] = ()


INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "robotics",
        ("robotics", "robotic", "robot", "robots", "autonomous", "autonomy"),
        ("robotics", "robotic", "robot*", "autonomous", "autonomy", "embodied", "humanoid*",
         "legged", "manipulation", "drone*"),
        "technology",
    ),
    Industry(
        "AI",
        ("ai", "artificial intelligence", "machine learning", "ml", "deep learning", "llm"),
        ("ai", "artificial intelligence", "machine learning", "ml", "deep learning", "llm*",
         "generative", "foundation model*"),
        "technology",
        ("ai",),
    ),
    Industry(
        "clean energy",
        ("clean energy", "renewable", "renewables", "solar", "wind", "climate", "cleantech",
         "clean tech", "energy transition", "decarbonization"),
        ("clean energy", "renewable*", "solar", "wind", "clean grid", "cleantech", "clean tech",
         "climate", "energy storage", "battery", "batteries", "geothermal", "hydrogen",
         "decarboniz*", "electrification"),
    ),
    Industry(
        "electric vehicles",
        ("electric vehicle", "electric vehicles", "ev", "evs", "e-mobility", "electric mobility"),
        ("ev", "evs", "electric vehicle*", "ev charging", "charging", "e-mobility",
         "electric mobility"),
    ),
    Industry(
        "fintech",
        ("fintech", "payments", "banking", "bank", "private equity", "asset management",
         "investment firm", "hedge fund", "venture capital"),
        ("fintech", "payments", "bank", "banking", "capital", "private equity", "asset management",
         "investments", "ventures", "fund"),
        "finance",
    ),
    Industry(
        "healthcare",
        ("healthcare", "health care", "hospital", "hospitals", "health system", "biotech",
         "pharma", "pharmaceutical", "medical device", "medical devices"),
        ("health*", "hospital*", "medical", "medicine", "clinic*", "biotech*", "pharma*",
         "therapeutics"),
        "healthcare",
    ),
    Industry(
        "manufacturing",
        ("manufacturing", "manufacturer", "manufacturers", "industrial", "factory", "plant"),
        ("manufactur*", "industrial", "industries", "precision", "components", "plant"),
        "operations",
    ),
    Industry(
        "software",
        ("software", "saas", "tech company", "technology company", "cloud"),
        ("software", "saas", "cloud", "platform", "technologies", "tech"),
        "technology",
        ("io",),
    ),
    Industry(
        "government",
        ("government", "public sector", "public service", "agency", "city government"),
        ("department", "agency", "city of", "county", "state of", "commission", "bureau"),
        "public-sector",
        ("gov",),
    ),
    Industry(
        "academia",
        ("university", "universities", "academia", "faculty", "college"),
        ("university", "college", "institute of technology", "school of"),
        "academia",
        ("edu",),
    ),
    Industry(
        "law",
        ("law firm", "law firms", "litigation", "legal"),
        ("llp", "law firm", "law group", "law offices", "attorneys", "legal"),
        "law",
    ),
)  # fmt: skip

#: A function of work: the goal words that name it and the title words of people in it.
FUNCTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("research", ("research", "r&d"), ("research*", "scientist", "r&d")),
    (
        "policy",
        ("policy", "government affairs", "regulatory", "public affairs", "government relations"),
        ("policy", "government affairs", "regulatory", "public affairs", "government relations",
         "external affairs"),
    ),
    ("engineering", ("engineering",), ("engineering", "engineer*")),
    ("product", ("product management", "product"), ("product",)),
    ("operations", ("operations",), ("operations", "coo", "chief operating officer")),
    ("finance", ("finance",), ("finance", "cfo", "chief financial officer", "treasur*")),
    ("strategy", ("strategy", "corporate development"), ("strategy", "corporate development")),
)  # fmt: skip

#: Titles of people who decide or hire.
SENIOR: tuple[str, ...] = (
    "director", "head", "vp", "vice president", "svp", "evp", "chief", "founder", "co-founder",
    "ceo", "cto", "coo", "president", "lead", "principal", "partner", "staff", "general manager",
    "managing director",
)  # fmt: skip

#: Organisations that are not companies (universities, agencies, societies), by name or domain.
NOT_COMPANY_ORGS: tuple[str, ...] = (
    "University", "College", "Department", "Agency", "Society", "Association", "Commission",
    "City of", "County", "State of", "Ministry", "Institute of Technology", "School of", "Bureau",
)  # fmt: skip
NOT_COMPANY_DOMAINS: tuple[str, ...] = ("edu", "gov", "mil")

_COMPANY_WORDS = re.compile(
    r"\b(?:company|companies|startup|startups|firm|firms|business|businesses|corporation|"
    r"industry|employer)\b"
)
_NAMED = r"[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*"
_ORG_LEAD = re.compile(
    r"\b(?:at|with|join|joining|like|such as|including)\s+(" + _NAMED
    + r"(?:\s*(?:,|\bor\b|\band\b)\s*" + _NAMED + r")*)"
)  # fmt: skip


@dataclass(frozen=True, init=False)
class Not:
    """The part does not match."""

    part: Matcher

    def __init__(self, part: Matcher) -> None:
        object.__setattr__(self, "part", part)

    def match(self, contact: Contact | ContactText) -> bool:
        return not self.part.match(contact)

    def witness(self, contact: ContactText) -> tuple[str, ...] | None:
        return None if self.part.witness(contact) is not None else ()


def mentions(words: Sequence[str]) -> Matcher:
    """Any of ``words`` in the card's organisation, title or notes."""
    return Any(OrganizationRule(*words), TitleRule(*words), NoteKeywordRule(*words))


def _says(text: str, words: Sequence[str]) -> bool:
    padded = f" {text} "
    return any(f" {fold(w)} " in padded for w in words)


def named_organisations(text: str) -> tuple[str, ...]:
    """Organisations a goal names: "at Rivian or ChargePoint" -> ("Rivian", "ChargePoint");
    words naming an industry ("at AI companies") are not organisations."""
    out: list[str] = []
    for m in _ORG_LEAD.finditer(text):
        for part in re.split(r"\s*(?:,|\bor\b|\band\b)\s*", m.group(1)):
            name = part.strip(" .")
            if name and not any(_says(fold(name), i.goal_words) for i in INDUSTRIES):
                out.append(name)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Gate:
    """A quick test that a contact may match a goal at all: one regex per text field for
    every word the goal's rules need (an industry's, a function's, an organisation's name),
    and the industries' email domains. Most contacts fail it and are not asked further."""

    fields: tuple[tuple[str, re.Pattern[str]], ...]
    domains: tuple[str, ...]

    @classmethod
    def of(cls, words: dict[str, list[str]], domains: Sequence[str]) -> Gate:
        fields = []
        for attr, pats in words.items():
            rxs = [rx for rx in (_word_regex(p) for p in pats) if rx is not None]
            if rxs:
                fields.append((attr, re.compile("|".join(f"(?:{r})" for r in rxs))))
        return cls(tuple(fields), tuple(domains))

    def open(self, view: ContactText) -> bool:
        for attr, rx in self.fields:
            text: str = getattr(view, attr)
            if text and rx.search(text) is not None:
                return True
        return any(e.rpartition(".")[2] in self.domains for e in view.emails)


@dataclass(frozen=True)
class GoalWords:
    """One goal read: what it names, who serves it (``serves``) and who is in its world
    (``scope``; None when it names no world beyond the owner's field); ``gate`` opens for
    every contact either may match."""

    index: int
    industries: tuple[str, ...]
    organisations: tuple[str, ...]
    functions: tuple[str, ...]
    company: bool
    serves: Matcher | None
    scope: Matcher | None
    takes_targets: bool
    gate: Gate = Gate((), ())

    @property
    def origin(self) -> str:
        return f"goals[{self.index}] words"


def read_goal(goal: Goal, index: int, field: str) -> GoalWords:
    """The goal's words as rules. Industries of the owner's own ``field`` are left out."""
    text = fold(goal.text)
    industries = [i for i in INDUSTRIES if _says(text, i.goal_words) and i.field != field]
    functions = [f for f in FUNCTIONS if _says(text, f[1])]
    orgs = named_organisations(goal.text)
    company = bool(_COMPANY_WORDS.search(text))
    not_public: list[Matcher] = []
    if company:
        not_public.append(
            Not(Any(OrganizationRule(*NOT_COMPANY_ORGS), EmailDomainRule(*NOT_COMPANY_DOMAINS)))
        )
    at_org = OrganizationRule(*orgs) if orgs else None
    in_world: Matcher | None = None
    if industries:
        signs: list[Matcher] = [mentions([w for i in industries for w in i.card_words])]
        domains = [d for i in industries for d in i.domains]
        if domains:
            signs.append(EmailDomainRule(*domains))
        in_world = All(Any(*signs), *not_public)
    function = TitleRule(*(w for f in functions for w in f[2])) if functions else None
    senior = TitleRule(*SENIOR)
    serves: list[Matcher] = [m for m in (at_org,) if m is not None]
    if in_world is not None:
        serves.append(All(in_world, Any(*(m for m in (function, senior) if m is not None))))
    if function is not None and not goal_title(goal) and (industries or orgs):
        serves.append(All(function, senior, *not_public))
    scopes = [m for m in (at_org, in_world) if m is not None]
    card = [w for i in industries for w in i.card_words]
    gate = Gate.of(
        {
            "organization": [*card, *orgs],
            "title": [*card, *(w for f in functions for w in f[2])],
            "note": card,
        },
        [d for i in industries for d in i.domains],
    )
    return GoalWords(
        index=index,
        industries=tuple(i.name for i in industries),
        organisations=orgs,
        functions=tuple(f[0] for f in functions),
        company=company,
        serves=Any(*serves) if serves else None,
        scope=Any(*scopes) if scopes else None,
        takes_targets=not goal.categories or "targets" in goal.categories,
        gate=gate,
    )


def read_goals(goals: Sequence[Goal], field: str) -> tuple[GoalWords, ...]:
    """Every goal that takes targets, read (those naming nothing useful are left out)."""
    out = (read_goal(g, i, field) for i, g in enumerate(goals))
    return tuple(g for g in out if g.takes_targets)


def narrows_pack_targets(goals: Sequence[GoalWords]) -> bool:
    """Whether every target-taking goal names a world of its own (leads out of the field)."""
    return bool(goals) and all(g.scope is not None for g in goals)

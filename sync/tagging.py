"""Tagging: rules -> networking categories and tie strength for each contact (pure).

Two layers, like khard's ``query.py``:

* **Matchers** are small composable objects with one ``match(contact) -> bool`` method:
  :class:`OrganizationRule`, :class:`TitleRule`, :class:`EmailDomainRule`,
  :class:`SourceCategoryRule`, :class:`NoteKeywordRule`, :class:`RelationRule`, :class:`NameRule`,
  combined with :class:`All` and :class:`Any`.
* :class:`~sync.config.TagRule` is the declarative form (``rules/*.toml`` and ``[[tagging.rules]]``
  in the config). :func:`compile_rule` turns one into ``All(Any-of-each-non-empty-list)``: every
  non-empty matcher list must match, and within a list any entry matches.

Text matching is case-insensitive, accent-insensitive and word-boundary aware: ``"law"`` does not
match ``"lawn"``, ``"Partner"`` matches ``"Managing Partner"``, ``"Jose"`` matches ``"José"``.
A word also matches its plural (``"client"`` matches ``"Clients"``), dotted abbreviations are
read as one word (``"MD"`` matches ``"M.D."``), a trailing ``*`` matches any ending
(``"consult*"`` matches ``"Consultant"``) and a leading ``^`` anchors at the start of a line
(``"^client"`` matches a note "Client - Atlas v. Meridian", not "met a client"). A
``source_category`` entry must be a whole label: ``"Client"`` matches "Clients" but not "Client
Professionals" (``"Client*"`` matches both). An ``email_domain`` entry matches that domain and its
subdomains (``columbia.edu`` matches ``law.columbia.edu``); an entry with an ``@`` matches that
exact address; the placeholder ``$owner`` stands for the owner's employer domains passed to
:func:`tag` (see :func:`employer_domains`).

Precedence: a contact gets every category whose rule matches, primary first. Rules are ranked by
priority (higher first), then specificity (more matcher lists first), then their order.
:func:`load_rules` puts the user's rules (from the config) above every default rule.

Discretion: no default rule tags someone with an address at the owner's employer as a target or
introducer (:data:`DISCREET_CATEGORIES`); only the user's own rules can.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar, Protocol

import sync
from sync.config import RULE_MATCHERS, ConfigError, Owner, TagRule, Target, rule_from_table
from sync.config.table import Table, did_you_mean
from sync.model import STRONG_CATEGORIES, Contact, Event, Tie, is_owned_uid

#: Placeholder in ``email_domain`` for the owner's employer domains.
OWNER_PLACEHOLDER = "$owner"

#: Added to a user rule's priority by :func:`load_rules`: the user's rules outrank every default
#: (rule priorities are validated to -1000..1000).
USER_PRIORITY_BOOST = 2001

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

# Letters NFKD does not decompose into ASCII + combining marks.
_TRANSLIT = MappingProxyType(
    {
        ord("ø"): "o", ord("Ø"): "O", ord("æ"): "ae", ord("Æ"): "AE", ord("œ"): "oe",
        ord("Œ"): "OE", ord("ł"): "l", ord("Ł"): "L", ord("đ"): "d", ord("Đ"): "D",
        ord("ð"): "d", ord("Ð"): "D", ord("þ"): "th", ord("Þ"): "Th", ord("ı"): "i",
    }
)  # fmt: skip
_APOSTROPHES = re.compile(r"['’ʼ`´]")
# "M.D.", "Ph.D.", "U.S.", "C.P.A." -> one word; "law.columbia.edu" is left alone.
_DOTTED = re.compile(r"(?<![^\W_])[^\W\d_]{1,2}(?:\.[^\W\d_]{1,2})+\.?(?![^\W_])")
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Normalise text for matching: accents and case folded, punctuation -> single spaces.

    >>> fold("  Ph.D., Managing-Partner at Société Générale ")
    'phd managing partner at societe generale'
    """
    if text.isascii():
        t = text.lower()
    else:
        t = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
        t = "".join(ch for ch in t if not unicodedata.combining(ch)).casefold()
    t = _APOSTROPHES.sub("", t)
    t = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), t)
    return _NON_WORD.sub(" ", t).strip()


def _stems(text: str) -> frozenset[str]:
    """The words of folded text, each also without a plural ending, and "" (a pre-filter)."""
    out = {""}  # the key of the patterns that may start at any word ("consult*")
    for w in text.split():
        out.add(w)
        if w.endswith("s"):
            out.add(w[:-1])
            if w.endswith("es"):
                out.add(w[:-2])
    return frozenset(out)


def _word_regex(pattern: str, whole: bool = False) -> str | None:
    """One pattern -> a regex over folded text (None if nothing is left after folding).

    Words match whole words (or their plural); a trailing ``*`` lets the last word (or, with
    ``whole``, the rest of the label) go on; a leading ``^`` anchors at the start of the text or
    of a line. ``whole``: the pattern must be the entire label (source categories).
    """
    star = pattern.rstrip().endswith("*")
    anchored = pattern.lstrip().startswith("^")
    words = fold(pattern).split()
    if not words:
        return None
    # Texts are padded (see _pad): every word has a space on each side, so each regex starts
    # with a literal space and the engine only tries it where a word starts.
    parts = [re.escape(w) + "(?:s|es)?" for w in words]
    if star:
        parts[-1] = re.escape(words[-1]) + (r"[^\n]*" if whole else r"\w*")
    body = " ".join(parts)
    if whole:
        return f"^ {body}$" if star else f"^ {body} $"
    return f"^ {body} " if anchored else f" {body} "


def _pad(lines: Iterable[str]) -> str:
    """Folded lines as one searchable text: `` a b \n c `` (empty: "")."""
    kept = [x for x in lines if x]
    return "".join(f" {x} \n" for x in kept)[:-1] if kept else ""


# --------------------------------------------------------------------------- contact view


@dataclass(frozen=True)
class ContactText:
    """A contact's searchable text, folded once (tagging thousands of contacts stays cheap).

    Each text is padded with a space around every line; list fields (and note lines) are one
    line each, so a phrase never spans two entries.
    """

    name: str
    organization: str
    title: str
    note: str
    source_categories: str
    relations: str
    emails: tuple[str, ...]
    school: str = ""
    class_year: str = ""
    #: field name -> its words (and their singulars): rules whose first words are all missing
    #: skip the regex.
    words: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    @classmethod
    def of(cls, c: Contact) -> ContactText:
        texts = {
            "name": _pad([fold(c.name)]),
            "organization": _pad([fold(c.organization or "")]),
            "title": _pad([fold(c.title or "")]),
            "note": _pad(fold(line) for line in c.note.splitlines()),
            "source_categories": _pad(fold(x) for x in c.source_categories),
            "relations": _pad(fold(x) for x in c.relations),
            "school": _pad([fold(c.get("school") or "")]),
            "class_year": _pad([fold(c.get("class_year") or "")]),
        }
        return cls(
            **texts,
            emails=tuple(e.strip().casefold() for e in c.emails if "@" in e),
            words=MappingProxyType({k: _stems(v) for k, v in texts.items()}),
        )


def _view(contact: Contact | ContactText) -> ContactText:
    return contact if isinstance(contact, ContactText) else ContactText.of(contact)


# --------------------------------------------------------------------------- matchers


class Matcher(Protocol):
    def match(self, contact: Contact | ContactText) -> bool: ...

    def witness(self, contact: ContactText) -> tuple[str, ...] | None:
        """What matched, for explanations (None: no match)."""
        ...


@dataclass(frozen=True, init=False)
class _TextRule:
    """Any of ``patterns`` occurs, as whole words, in one text field of the contact."""

    patterns: tuple[str, ...]
    # first word of a pattern -> one regex for the patterns that start with it; "" -> the
    # patterns whose only word has a trailing * (they may start anywhere)
    _by_first: Mapping[str, re.Pattern[str]] = field(repr=False, compare=False)
    label: ClassVar[str] = ""
    attr: ClassVar[str] = ""
    whole: ClassVar[bool] = False  # the pattern must be a whole entry (a label), not words in it

    def __init__(self, *patterns: str) -> None:
        groups: dict[str, list[str]] = {}
        for i, p in enumerate(patterns):
            rx = _word_regex(p, self.whole)
            if rx is not None:
                words = fold(p).split()
                first = "" if len(words) == 1 and p.rstrip().endswith("*") else words[0]
                groups.setdefault(first, []).append(f"(?P<p{i}>{rx})")
        by_first = {w: re.compile("|".join(alts), re.MULTILINE) for w, alts in groups.items()}
        object.__setattr__(self, "patterns", tuple(patterns))
        object.__setattr__(self, "_by_first", MappingProxyType(by_first))

    def _text(self, v: ContactText) -> str:
        text: str = getattr(v, self.attr)
        return text

    def _hits(self, v: ContactText, first_only: bool) -> list[int]:
        """Indexes of the patterns found (only the first one found with ``first_only``)."""
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
            m = self._by_first[k].search(text)
            if m is not None:
                found.append(int((m.lastgroup or "p0")[1:]))
                if first_only:
                    break
        return found

    def match(self, contact: Contact | ContactText) -> bool:
        return bool(self._hits(_view(contact), first_only=True))

    def witness(self, contact: ContactText) -> tuple[str, ...] | None:
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


def specificity(rule: TagRule) -> int:
    """How many matcher lists the rule combines (more: more specific)."""
    return sum(1 for m in RULE_MATCHERS if getattr(rule, m))


# --------------------------------------------------------------------------- tagging


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


@dataclass(frozen=True)
class Tagger:
    """Rules compiled once, for tagging many batches (``netweave serve``, ``contacts --explain``).

    :func:`tag` and :func:`tag_explained` build one per call.
    """

    ranked: tuple[tuple[TagRule, Matcher], ...]
    employer: EmailDomainRule

    @classmethod
    def build(cls, rules: Sequence[TagRule], owner_domains: Sequence[str] = ()) -> Tagger:
        return cls(
            ranked=tuple((r, compile_rule(r, owner_domains)) for r in _ranked(rules)),
            employer=EmailDomainRule(*_employer(owner_domains)),
        )

    def reasons(self, contact: Contact, default_category: str) -> list[Reason]:
        """Why the contact gets each category, primary first (never empty)."""
        view = ContactText.of(contact)
        at_employer = self.employer.match(view)
        reasons: list[Reason] = []
        seen: set[str] = set()
        for rule, m in self.ranked:
            if rule.category in seen:
                continue
            if at_employer and rule.category in DISCREET_CATEGORIES and not is_user_rule(rule):
                continue
            w = m.witness(view)
            if w is not None:
                seen.add(rule.category)
                reasons.append(Reason(rule.category, rule.origin or "rule", w))
        return reasons or [Reason(default_category, "default_category")]

    def explain(
        self, contacts: Sequence[Contact], *, default_category: str, strong_after_meetings: int
    ) -> list[tuple[Contact, list[Reason]]]:
        out: list[tuple[Contact, list[Reason]]] = []
        for c in contacts:
            why = self.reasons(c, default_category)
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


def employer_domains(owner_emails: Sequence[str]) -> tuple[str, ...]:
    """The owner's employer domains: the domains of their addresses, minus public web mail."""
    out: list[str] = []
    for e in owner_emails:
        local, at, d = e.strip().casefold().rpartition("@")
        if local and at and d and d not in PUBLIC_MAIL_DOMAINS and d not in out:
            out.append(d)
    return tuple(out)


def rules_from_targets(targets: Sequence[Target]) -> list[TagRule]:
    """Rules for the config's ``[[targets]]``: each target by email or full name, and each
    named introducer. They are user rules: pass them to :func:`load_rules` with the others."""
    out: list[TagRule] = []
    for i, t in enumerate(targets):
        if t.email:
            out.append(TagRule("targets", email_domain=(t.email,), origin=f"targets[{i}].email"))
        if t.name.strip():
            out.append(TagRule("targets", name=(t.name,), origin=f"targets[{i}].name"))
        for j, who in enumerate(t.introducers):
            origin = f"targets[{i}].introducers[{j}]"
            if "@" in who:
                out.append(TagRule("introducers", email_domain=(who,), origin=origin))
            elif who.strip():
                out.append(TagRule("introducers", name=(who,), origin=origin))
    return out


# --------------------------------------------------------------------------- loading rules


def rules_from_owner(owner: Owner) -> list[TagRule]:
    """Default-level rules from the owner's own profile: classmates (same school and class year)
    are school friends, others from the same school are alumni, people at a current or former
    employer are colleagues. They rank like the bundled rules (by specificity), below the
    user's own rules."""
    out: list[TagRule] = []
    for i, school in enumerate(owner.schools):
        if school.class_year is not None:
            out.append(
                TagRule(
                    "school-friends",
                    school=(school.name,),
                    class_year=(str(school.class_year),),
                    priority=150,  # a classmate above the generic alumni labels (100)
                    origin=f"owner.schools[{i}]",
                )
            )
        out.append(TagRule("alumni", school=(school.name,), origin=f"owner.schools[{i}]"))
    for i, employer in enumerate(owner.employers):
        out.append(TagRule("colleagues", organization=(employer,), origin=f"owner.employers[{i}]"))
    return out


def bundled_rules_dir() -> Path:
    """The default rules: ``sync/rules`` when installed as package data, else the source tree's
    top-level ``rules/`` folder."""
    pkg = Path(sync.__file__).resolve().parent
    inside = pkg / "rules"
    return inside if inside.is_dir() else pkg.parent / "rules"


_RULE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*rule[ \t]*\]\]", re.MULTILINE)


_RULE_KEYS = ("category", *RULE_MATCHERS, "priority")


def _check_patterns(rule: TagRule, key: str, path: Path | None) -> None:
    for m in RULE_MATCHERS:
        for i, p in enumerate(getattr(rule, m)):
            if m == "email_domain":
                ok = bool(p.strip().lstrip("@*.")) and " " not in p.strip()
            else:
                ok = _word_regex(p) is not None
            if not ok:
                raise ConfigError(
                    f"{key}.{m}[{i}]" if key else f"{m}[{i}]",
                    f"expected words (or a domain) to match, got {p!r}",
                    path,
                )


def read_rules_file(path: Path, origin_prefix: str | None = None) -> list[TagRule]:
    """The ``[[rule]]`` tables of one TOML file. Raises ConfigError naming file and key."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError("", f"not UTF-8 text (byte {e.start})", path) from None
    except OSError as e:
        raise ConfigError("", f"cannot read the rules file: {e.strerror}", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("", f"not valid TOML: {e}", path) from None
    lines = [text.count("\n", 0, m.start()) + 1 for m in _RULE_HEADER.finditer(text)]
    prefix = origin_prefix if origin_prefix is not None else str(path)
    out = []
    try:
        root = Table(data, "", path.parent)
        for i, t in enumerate(root.tables("rule")):
            line = f":{lines[i]}" if i < len(lines) else f" rule[{i}]"
            for k in sorted(t.data):
                if k not in _RULE_KEYS:
                    hint = did_you_mean(k, _RULE_KEYS)
                    raise ConfigError(t.k(k), f"unknown key{hint}")
            r = rule_from_table(t, origin=f"{prefix}{line}")
            t.done()
            _check_patterns(r, t.key, path)
            out.append(r)
        root.done()
    except ConfigError as e:
        raise ConfigError(e.key, e.message, path) from None
    return out


def load_rules(rules_dir: Path | None, user_rules: Sequence[TagRule]) -> list[TagRule]:
    """User rules (boosted above every default) then every ``rules_dir/*.toml`` rule, by name.

    ``rules_dir`` None: the bundled default rules (:func:`bundled_rules_dir`). Raises
    :class:`ConfigError` naming the file and key of a bad rule, or the config key of a bad user
    rule.
    """
    bundled = rules_dir is None
    folder = bundled_rules_dir() if rules_dir is None else rules_dir
    if not folder.is_dir():
        raise ConfigError(
            "tagging.rules_dir",
            "no such folder" + (" (the bundled rules are missing: reinstall)" if bundled else ""),
            folder,
        )
    user: list[TagRule] = []
    for r in user_rules:
        _check_patterns(r, r.origin, None)
        user.append(replace(r, priority=r.priority + USER_PRIORITY_BOOST))
    defaults: list[TagRule] = []
    for f in sorted(folder.glob("*.toml")):
        defaults.extend(read_rules_file(f, f"rules/{f.name}" if bundled else None))
    return user + defaults


# --------------------------------------------------------------------------- history


def _instant_key(ev: Event) -> tuple[str, datetime]:
    s = ev.start if ev.start.tzinfo else ev.start.replace(tzinfo=UTC)
    return (ev.uid, s.astimezone(UTC))


#: Honorifics and suffixes left out when looking for a name in an event summary.
_NAME_AFFIXES = frozenset(
    {"dr", "mr", "mrs", "ms", "mx", "prof", "professor", "hon", "judge", "rev", "sir",
     "jr", "sr", "ii", "iii", "iv", "md", "phd", "jd", "esq", "cpa", "mba", "llm"}
)  # fmt: skip


def _name_words(name: str) -> tuple[str, ...] | None:
    """The words to look for in event summaries (honorifics dropped), or None if too vague."""
    words = tuple(w for w in fold(name).split() if w not in _NAME_AFFIXES)
    if len(words) < 2 or sum(len(w) for w in words) < 5:
        return None  # "Mom", "J": too vague to find in free text
    return words


def apply_history(
    contacts: Sequence[Contact],
    events: Iterable[Event],
    owner_emails: Sequence[str],
    today: date,
) -> list[Contact]:
    """Set ``last_met`` and ``times_met`` from past meetings (pure; the order is kept).

    A meeting is an event that started before ``today``, is neither cancelled nor declined by
    the owner (transparent ones count: a lunch marked free is still a lunch) and has the
    contact among its attendees. Each
    instance counts once, even when several calendars hold it (dedupe by UID and start).

    A contact's full name in the summary ("Coffee with Jane Doe", word boundaries, accents
    folded) also counts when the contact has no email or the event has no attendees other than
    the owner; never for events netweave wrote itself (its prep and follow-up blocks carry
    names too), never for names of one word, and never for a name two contacts share.
    The owner's own card (an email in ``owner_emails``) gets no history.
    """
    owners = {e.strip().casefold() for e in owner_emails}
    by_email: dict[str, list[int]] = {}
    words_of: dict[int, tuple[str, ...]] = {}
    name_count: dict[tuple[str, ...], int] = {}
    for i, c in enumerate(contacts):
        emails = {e.strip().casefold() for e in c.emails if e.strip()}
        if emails & owners:
            continue
        for e in emails:
            by_email.setdefault(e, []).append(i)
        words = _name_words(c.name)
        if words is not None:
            words_of[i] = words
            name_count[words] = name_count.get(words, 0) + 1
    # a name's words -> the one contact with that name (ambiguous names are left out)
    by_name = {words: i for i, words in words_of.items() if name_count[words] == 1}
    lengths = sorted({len(words) for words in by_name})
    no_email = {i for i in words_of if not contacts[i].emails}

    met: dict[int, set[tuple[str, datetime]]] = {}
    last: dict[int, date] = {}
    for ev in events:
        if ev.cancelled or ev.start.date() >= today:
            continue
        if ev.declined_by and not owners.isdisjoint(ev.declined_by):
            continue  # an invitation the owner declined: they did not meet
        # copies of one instance in several calendars count once (``met`` holds keys), and
        # every copy is looked at: one may list guests another lacks
        key = _instant_key(ev)
        who: set[int] = set()
        guests = {a.strip().casefold() for a in ev.attendees} - owners
        for a in guests:
            who.update(by_email.get(a, ()))
        owned = ev.netweave_id is not None or is_owned_uid(ev.uid)
        if by_name and not owned:
            tokens = tuple(fold(ev.summary).split())
            for j in range(len(tokens) - 1):
                for n in lengths:
                    i = by_name.get(tokens[j : j + n], -1)
                    if i >= 0 and i not in who and (not guests or i in no_email):
                        who.add(i)
        d = ev.start.date()
        for i in who:
            met.setdefault(i, set()).add(key)
            if i not in last or d > last[i]:
                last[i] = d
    return [
        replace(c, last_met=last.get(i), times_met=len(met.get(i, ())))
        for i, c in enumerate(contacts)
    ]

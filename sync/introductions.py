"""Who can introduce me to a target person (pure).

The method: for each of the 10 to 20 target people, find who among your contacts can make the
introduction, and ask them before trying to meet the target. :func:`rank_introducers` scores
every contact by what connects them to the target; :func:`targets_from_config` turns the
config's ``[[targets]]`` into contacts (the address-book contact when the target is already
known, else a contact with source ``"config"``).

Scores (points add up; the reason lists each, strongest first):

=====================================================  ======
named as an introducer for this target in the config     10
their note says they can introduce you to the target      8
their note mentions the target by name                    5
works at the target's organisation now                    5
the same email domain as the target (not webmail)         4
same school and class year                                4
their note mentions the target's organisation (before)    3
the target's note mentions their organisation             3
same school, another class                                2
a shared group (each, at most two)                        2
=====================================================  ======

Only contacts with at least one of these links are proposed. A warm tie breaks ties between
links: +1 for a strong tie or a contact tagged ``introducers``, +0.5 if met in the history
window. Contacts that are themselves targets not yet met, the target, and contacts read only
from the config are never proposed; nor is anyone tied to the owner's employer or listed in
``confidential.never_ask`` (:func:`sync.who.kept_out`): :func:`excluded_introducers` says who
was left out and why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sync.config import Target
from sync.merge import name_tokens, names_compatible, org_key
from sync.model import CATEGORIES, Contact, Tie, contact_id

CONFIG_SOURCE = "config"
WEBMAIL = frozenset(
    (
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "protonmail.com",
        "proton.me",
        "gmx.com",
        "gmx.de",
        "web.de",
        "fastmail.com",
    )
)
# Address-book labels that say nothing about a group two people share (netweave's categories
# and the usual personal labels: two of your clients need not know each other).
_GENERIC_GROUPS = frozenset(
    x.casefold().replace("-", " ")
    for x in (
        *CATEGORIES,
        *(c.rstrip("s") for c in CATEGORIES),
        "myContacts",
        "starred",
        "favorites",
        "vip",
        "LinkedIn",
        "Contacts",
        "All Contacts",
        "work",
        "coworkers",
        "personal",
        "business",
        "other",
        "target",
    )
)
_INTRO_RE = re.compile(
    r"(?:can|could|will|would|happy to|offered to|willing to|able to)\s+(?:\w+\s+){0,2}"
    r"introduc\w*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Probe:
    id: str
    name: str
    organization: str
    emails: tuple[str, ...]
    groups: tuple[str, ...]
    introducers: tuple[str, ...]
    school: str
    class_year: str
    note: str


def _probe(target: Contact | Target) -> _Probe:
    if isinstance(target, Target):
        emails = (target.email.lower(),) if target.email else ()
        return _Probe(
            id=_target_id(target),
            name=target.name,
            organization=target.organization,
            emails=emails,
            groups=target.groups,
            introducers=target.introducers,
            school="",
            class_year="",
            note="",
        )
    return _Probe(
        id=target.id,
        name=target.name,
        organization=target.organization or "",
        emails=tuple(e.lower() for e in target.emails),
        groups=target.source_categories,
        introducers=tuple(v for k, v in target.extra if k == "introducer"),
        school=target.get("school") or "",
        class_year=target.get("class_year") or "",
        note=target.note,
    )


def _generic(group: str) -> bool:
    return group.casefold().replace("-", " ").strip() in _GENERIC_GROUPS


def _fold(s: str) -> str:
    n = unicodedata.normalize("NFKD", s)
    return " ".join("".join(ch for ch in n if not unicodedata.combining(ch)).casefold().split())


def _mentions(text: str, phrase: str) -> bool:
    """``phrase`` appears in ``text`` as whole words (case and accents ignored)."""
    if not text or not phrase.strip():
        return False
    return re.search(r"\b" + re.escape(_fold(phrase)) + r"\b", _fold(text)) is not None


def _mentions_org(text: str, org: str) -> bool:
    """``org`` appears in ``text``, legal suffixes and punctuation ignored ("Baxter & Lowe"
    in a note mentions "Baxter & Lowe LLP")."""
    key = org_key(org)
    if len(key) < 3 or not text:
        return False
    return re.search(r"\b" + re.escape(key) + r"\b", org_key(text)) is not None


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def _is_ref(ref: str, c: Contact) -> bool:
    r = ref.strip().casefold()
    if "@" in r:
        return r in (e.casefold() for e in c.emails)
    return bool(r) and (r == c.name.strip().casefold() or name_tokens(ref) == name_tokens(c.name))


def _same_person(t: _Probe, c: Contact) -> bool:
    if c.id == t.id or set(t.emails) & {e.lower() for e in c.emails}:
        return True
    same_name = name_tokens(c.name) == name_tokens(t.name) and bool(name_tokens(t.name))
    if not same_name:
        return False
    return (
        not t.organization
        or not c.organization
        or org_key(t.organization) == org_key(c.organization)
    )


def _only_config(c: Contact) -> bool:
    return bool(c.sources) and all(s == CONFIG_SOURCE for s in c.sources)


def rank_introducers(
    target: Contact | Target, contacts: Sequence[Contact]
) -> list[tuple[Contact, float, str]]:
    """Contacts who can introduce the owner to ``target``, best first: (contact, score, reason).
    Deterministic: ties are broken by name, then id. Nobody kept out of asks is proposed."""
    from sync.who import kept_out

    return _rank(target, [c for c in contacts if kept_out(c) is None])


def excluded_introducers(
    target: Contact | Target, contacts: Sequence[Contact]
) -> list[tuple[Contact, str]]:
    """The contacts linked to ``target`` who are never asked, with why (employer tie,
    ``confidential.never_ask``), best link first."""
    from sync.who import kept_out

    out = []
    for c, _score, why in _rank(target, [c for c in contacts if kept_out(c) is not None]):
        out.append((c, f"{kept_out(c)} (would have been: {why})"))
    return out


def _rank(
    target: Contact | Target, contacts: Sequence[Contact]
) -> list[tuple[Contact, float, str]]:
    t = _probe(target)
    t_org = org_key(t.organization)
    t_domains = {_domain(e) for e in t.emails} - WEBMAIL
    t_groups = {g.casefold(): g for g in t.groups if not _generic(g)}
    out: list[tuple[Contact, float, str]] = []
    for c in contacts:
        if _same_person(t, c) or _only_config(c):
            continue
        if "targets" in c.categories and not (c.times_met or c.last_met):
            continue  # another target we do not know yet
        links: list[tuple[float, str]] = []
        if any(_is_ref(ref, c) for ref in t.introducers):
            links.append((10, f"named in the config as introducer to {t.name}"))
        if _mentions(c.note, t.name):
            m = _INTRO_RE.search(c.note)
            if m:
                links.append((8, f"their notes say they can introduce you to {t.name}"))
            else:
                links.append((5, f"their notes mention {t.name}"))
        c_org = org_key(c.organization)
        if t_org and c_org == t_org:
            links.append((5, f"works at {t.organization}"))
        elif t_domains and t_domains & {_domain(e) for e in c.emails}:
            links.append((4, f"email at {sorted(t_domains & {_domain(e) for e in c.emails})[0]}"))
        elif t.organization and _mentions_org(c.note, t.organization):
            links.append((3, f"knows {t.organization} (in their notes)"))
        if c_org and t_org != c_org and c.organization and _mentions_org(t.note, c.organization):
            links.append((3, f"{t.name} was at {c.organization}"))
        c_school = c.get("school") or ""
        if t.school and c_school and _fold(t.school) == _fold(c_school):
            c_year = c.get("class_year") or ""
            if t.class_year and c_year == t.class_year:
                links.append((4, f"{c_school} class of {c_year}, like {t.name}"))
            else:
                links.append((2, f"{c_school} alumni, like {t.name}"))
        shared = sorted(
            t_groups[g.casefold()] for g in c.source_categories if g.casefold() in t_groups
        )
        for g in shared[:2]:
            links.append((2, f"both in {g}"))
        if not links:
            continue
        score = sum(p for p, _ in links)
        warm = []
        if c.tie == Tie.STRONG or "introducers" in c.categories:
            score += 1
            warm.append("a strong tie" if c.tie == Tie.STRONG else "tagged introducer")
        if c.times_met or c.last_met:
            score += 0.5
            warm.append(
                f"met {c.times_met} times"
                if c.times_met > 1
                else "met once"
                if c.times_met == 1
                else "met before"
            )
        links.sort(key=lambda x: -x[0])
        reason = "; ".join(r for _, r in links)
        if warm:
            reason += f" ({', '.join(warm)})"
        out.append((c, float(score), reason))
    out.sort(key=lambda x: (-x[1], x[0].name.casefold(), x[0].id))
    return out


def _target_id(t: Target) -> str:
    return contact_id(None, (), f"target:{_fold(t.name)}")


def find_target(t: Target, contacts: Sequence[Contact]) -> Contact | None:
    """The address-book contact who is this target: by email, else by name (and organisation
    when both have one). An ambiguous name (two such contacts) finds nobody."""
    if t.email:
        e = t.email.strip().lower()
        for c in contacts:
            if e in (x.lower() for x in c.emails) and not _only_config(c):
                return c
    toks = name_tokens(t.name)
    if not toks:
        return None
    same = [c for c in contacts if name_tokens(c.name) == toks and not _only_config(c)]
    if t.organization:
        with_org = [c for c in same if org_key(c.organization) == org_key(t.organization)]
        same = with_org or [c for c in same if not c.organization]
    if len(same) == 1:
        return same[0]
    if not same and t.organization:
        # "Bob Stone" for a target "Robert Stone" at the same organisation
        fits = [
            c
            for c in contacts
            if org_key(c.organization) == org_key(t.organization)
            and len(name_tokens(c.name)) >= 2
            and name_tokens(c.name)[-1] == toks[-1]
            and names_compatible(c.name, t.name)
            and not _only_config(c)
        ]
        if len(fits) == 1:
            return fits[0]
    return None


def targets_from_config(targets: Sequence[Target], contacts: Sequence[Contact]) -> list[Contact]:
    """One contact per config target, in config order: the address-book contact if the target
    is one (see :func:`find_target`), else a new contact with source ``"config"`` carrying the
    target's organisation, email and groups (as ``source_categories``) and its named
    introducers (``extra["introducer"]``)."""
    out: list[Contact] = []
    seen: set[str] = set()
    for t in targets:
        c = find_target(t, contacts)
        if c is None:
            c = Contact(
                id=_target_id(t),
                name=t.name.strip(),
                emails=(t.email.strip().lower(),) if t.email.strip() else (),
                organization=t.organization or None,
                source_categories=t.groups,
                sources=(CONFIG_SOURCE,),
                extra=tuple(("introducer", i) for i in t.introducers),
                categories=("targets",),
            )
        if c.id not in seen:
            seen.add(c.id)
            out.append(c)
    return out

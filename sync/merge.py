"""Merge the same person found in several address books (pure).

Evidence that two records are one person, strongest first:

1. the same card UID (one card synced into two books);
2. a shared email address (case-insensitive);
3. a shared phone number (normalised, see :func:`normalize_phone`), unless that number is on
   records with more than two different names: an office switchboard or a family landline is no
   evidence;
4. for a record without any email (a LinkedIn connection, an alumni-directory row), the same
   name and the same organisation (:func:`org_key`: case, punctuation and legal suffixes such as
   LLP or Inc. ignored): same last name and a compatible first name (equal, a prefix of three
   letters or more, or a nickname; an initial is not enough). If the name and organisation fit
   people who are known apart (their emails differ and nothing linked them), the match is
   ambiguous: reported as a Problem, not merged. Records without email that match only each
   other are merged (the same connection in LinkedIn and an alumni list).

Links are followed transitively (A~B by email, B~C by phone: one person) with union-find, but
conservatively: two groups are joined only if every name in one is compatible with every name in
the other (:func:`names_compatible`: same first name or initial or nickname, or one name's words
contained in the other's; a missing name or a name that is an email is compatible with any).
So "Jane Smith" and "John Smith" sharing ``smiths@example.com`` stay two people, and the shared
email is reported as a Problem (a shared phone is not: couples and assistants share phones).

The result does not depend on the input order: records are first sorted by a canonical key
(source rank, then id and content).

Ids: a merged person keeps the id of its record from the **first source in config order**
(``source_order``; ties: the smallest id). Adding a source at the end of the config therefore
never changes an existing id, even when the new source contributes a second email; put new
sources last. Every merged contact lists where it came from in ``extra`` as
``("origin", "<record id> <source name>")`` pairs; :func:`tags_for_source` maps tags keyed by
merged ids back to one source's own ids for ``AddressBook.write_tags``.

Fields: emails, phones, sources, source categories, relations and extras are united (the
representative's first); the name is the representative's unless it is only an email, a phone
or a single word while another record has a full name; organization and title come together
from the record that has the most of them (a title belongs to its organisation); distinct notes
are joined.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from sync.copies import changed
from sync.model import Contact, Problem

SOURCE = "merge"

_EXT_RE = re.compile(r"(?i)\s*(?:;?ext[.=]?|x|#|extension)\s*\d+\s*$")
_NONDIGIT_RE = re.compile(r"\D")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_HONORIFICS = frozenset(
    ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "hon", "rev", "jr", "sr")
    + ("ii", "iii", "iv", "esq", "phd", "md", "jd", "llm", "cpa", "mba")
)
_NICKNAME_TABLE = {
    "robert": "bob bobby rob robbie bert",
    "william": "bill billy will willy liam",
    "james": "jim jimmy jamie",
    "john": "jack johnny jon",
    "michael": "mike mickey mick",
    "richard": "rick ricky dick rich",
    "thomas": "tom tommy",
    "elizabeth": "liz lizzie beth betsy betty eliza libby",
    "katherine": "kate kathy katie kat kitty",
    "catherine": "cathy cate kate katie",
    "margaret": "maggie meg peggy marge",
    "jennifer": "jen jenny",
    "rebecca": "becky becca",
    "patricia": "pat patty trish tricia",
    "patrick": "pat paddy",
    "edward": "ed eddie ted ned",
    "theodore": "ted teddy theo",
    "charles": "charlie chuck chas",
    "anthony": "tony",
    "joseph": "joe joey",
    "daniel": "dan danny",
    "david": "dave davey",
    "steven": "steve",
    "stephen": "steve",
    "christopher": "chris kit",
    "christine": "chris tina",
    "alexander": "alex sasha xander",
    "alexandra": "alex sasha lexi",
    "nicholas": "nick nicky",
    "benjamin": "ben benny",
    "samuel": "sam sammy",
    "samantha": "sam sammy",
    "susan": "sue susie",
    "deborah": "deb debbie",
    "victoria": "vicky tori",
    "gregory": "greg",
    "lawrence": "larry",
    "henry": "hank harry",
    "harold": "harry hal",
    "francis": "frank",
    "frances": "fran frankie",
    "abigail": "abby",
    "andrew": "andy drew",
    "matthew": "matt",
    "jonathan": "jon jonny",
    "kenneth": "ken kenny",
    "ronald": "ron ronnie",
    "donald": "don donnie",
    "douglas": "doug",
    "timothy": "tim timmy",
    "peter": "pete",
    "philip": "phil",
    "raymond": "ray",
    "gerald": "jerry gerry",
    "jeffrey": "jeff",
    "geoffrey": "geoff jeff",
    "leonard": "len lenny leo",
    "eleanor": "ellie nora",
    "dorothy": "dot dottie",
    "barbara": "barb babs",
    "cynthia": "cindy",
    "judith": "judy",
    "pamela": "pam",
    "sandra": "sandy",
}


def _nickname_index() -> Mapping[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for full, nicks in _NICKNAME_TABLE.items():
        for n in nicks.split():
            index.setdefault(n, set()).add(full)
    return MappingProxyType({k: frozenset(v) for k, v in index.items()})


_NICK_TO_FULL = _nickname_index()  # read-only
_NICKNAMES_OF = MappingProxyType({k: tuple(v.split()) for k, v in _NICKNAME_TABLE.items()})


def _given_names(word: str) -> frozenset[str]:
    """The full given names a word may stand for (itself included)."""
    return _NICK_TO_FULL.get(word, frozenset()) | {word}


# --------------------------------------------------------------------------- phones and names


def given_names(word: str) -> frozenset[str]:
    """The given names a first-name word may stand for, itself included ("tom": thomas)."""
    names = set(_given_names(word))
    for n in list(names):
        names.update(_NICKNAMES_OF.get(n, ()))
    return frozenset(names)


def normalize_phone(phone: str, default_country: str = "1") -> str:
    """A phone number as ``+<digits>`` (E.164-ish) for matching, or ``""`` when it has too few
    digits to identify anyone (an extension). Extensions are dropped. Without a country code,
    a 10-digit number whose area code starts with 2-9 is taken as NANP (``default_country``
    "1"); other national numbers keep their digits without ``+`` (they still match each other).
    """
    s = _EXT_RE.sub("", phone.strip())
    if s.lower().startswith("tel:"):
        s = s[4:].split(";")[0]
    plus = s.lstrip().startswith("+")
    digits = _NONDIGIT_RE.sub("", s)
    if len(digits) < 7:
        return ""
    if plus:
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("011") and len(digits) > 11:
        return "+" + digits[3:]
    if default_country == "1":
        if len(digits) == 10 and digits[0] in "23456789":
            return "+1" + digits
        if len(digits) == 11 and digits[0] == "1":
            return "+" + digits
    return digits


def _plain(text: str) -> str:
    """``text`` without accents, case folded (ASCII, most names, needs neither step)."""
    if text.isascii():
        return text.lower()
    n = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in n if not unicodedata.combining(ch)).casefold()


def name_tokens(name: str) -> tuple[str, ...]:
    """Words of a person's name for comparison: accents and case folded, honorifics dropped,
    "Last, First" turned around."""
    if "@" in name:
        return ()
    n = _plain(name)
    if n.count(",") == 1:
        last, first = (x.strip() for x in n.split(","))
        if first and last and first.rstrip(".") not in _HONORIFICS:
            n = f"{first} {last}"
    words = [w for w in _WORD_RE.findall(n) if w.rstrip(".") not in _HONORIFICS]
    return tuple(words)


def _first_names_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if (a.startswith(b) or b.startswith(a)) and min(len(a), len(b)) >= 3:
        return True
    return bool(_given_names(a) & _given_names(b))


def names_compatible(a: str, b: str) -> bool:
    """Whether two names may belong to one person (see the module doc). Conservative for
    different first names: "Jane Smith" / "John Smith" are not compatible."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return True
    sa, sb = set(ta), set(tb)
    if sa <= sb or sb <= sa:
        return True
    if len(ta) == 1 or len(tb) == 1:
        return False  # one word, not contained in the other name
    return _first_names_compatible(ta[0], tb[0])


def _degenerate_name(name: str) -> bool:
    return "@" in name or not name_tokens(name) or len(name_tokens(name)) < 2


# --------------------------------------------------------------------------- union-find


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i


def _rank_of(c: Contact, ranks: Mapping[str, int]) -> tuple[int, str]:
    best: tuple[int, str] = (len(ranks), "\uffff")
    for s in c.sources or ("",):
        r = (ranks.get(s, len(ranks)), s if s not in ranks else "")
        best = min(best, r)
    return best


def _canon_key(c: Contact, ranks: Mapping[str, int]) -> tuple[object, ...]:
    return (
        _rank_of(c, ranks),
        c.id,
        c.name,
        c.emails,
        c.phones,
        c.organization or "",
        c.title or "",
        c.note,
        c.source_categories,
        c.relations,
        c.uid or "",
        c.sources,
        c.extra,
    )


@dataclass
class _Evidence:
    kind: str  # "uid" | "email" | "phone"
    key: str
    members: list[int]


def _evidence(recs: Sequence[Contact]) -> list[_Evidence]:
    by_uid: dict[str, list[int]] = {}
    by_email: dict[str, list[int]] = {}
    by_phone: dict[str, list[int]] = {}
    for i, c in enumerate(recs):
        if c.uid:
            u = c.uid.strip().lower()
            by_uid.setdefault(u[9:] if u.startswith("urn:uuid:") else u, []).append(i)
        for e in dict.fromkeys(x.strip().lower() for x in c.emails):
            if e:
                by_email.setdefault(e, []).append(i)
        for p in dict.fromkeys(normalize_phone(x) for x in c.phones):
            if p:
                by_phone.setdefault(p, []).append(i)
    out: list[_Evidence] = []
    for kind, table in (("uid", by_uid), ("email", by_email), ("phone", by_phone)):
        # a record is listed once per key, in order: a key of one record is no evidence
        for key in sorted(k for k, m in table.items() if len(m) >= 2):
            members = table[key]
            if kind == "phone":
                names = {name_tokens(recs[i].name) for i in members} - {()}
                if len(names) > 2:
                    continue  # a switchboard: no evidence
            out.append(_Evidence(kind, key, members))
    return out


def _join(uf: _UnionFind, names: dict[int, list[str]], a: int, b: int) -> bool:
    """Join the groups of records ``a`` and ``b`` if every name of one is compatible with every
    name of the other; True if they are (now) one group."""
    ra, rb = uf.find(a), uf.find(b)
    if ra == rb:
        return True
    if not all(names_compatible(x, y) for x in names[ra] for y in names[rb]):
        return False
    keep, gone = min(ra, rb), max(ra, rb)
    uf.parent[gone] = keep
    names[keep] = list(dict.fromkeys(names[keep] + names.pop(gone)))
    return True


_LEGAL_SUFFIXES = frozenset(
    ("llp", "llc", "pllc", "lp", "inc", "incorporated", "corp", "corporation", "co", "company")
    + ("ltd", "limited", "plc", "pc", "pa", "gmbh", "ag", "sa", "sas", "bv", "nv", "the")
)


def org_key(org: str | None) -> str:
    """An organisation name for comparison: "Kim & Osei, LLP" and "kim and osei" are equal."""
    if not org:
        return ""
    n = _plain(org)
    n = n.replace("&", " and ").replace("p.c.", "pc").replace("l.l.p.", "llp")
    words = [w for w in re.findall(r"[a-z0-9]+", n) if w not in _LEGAL_SUFFIXES]
    return " ".join(words)


def _name_org_match(ta: tuple[str, ...], tb: tuple[str, ...]) -> bool:
    if len(ta) < 2 or len(tb) < 2 or ta[-1] != tb[-1]:
        return False
    fa, fb = ta[0], tb[0]
    if len(fa) == 1 or len(fb) == 1:
        return False
    return _first_names_compatible(fa, fb)


def _merge_by_name_and_org(
    recs: Sequence[Contact],
    uf: _UnionFind,
    names: dict[int, list[str]],
    problems: dict[str, Problem],
) -> None:
    buckets: dict[tuple[str, str], list[int]] = {}
    tokens: dict[int, tuple[str, ...]] = {}  # of the records with an organisation
    orgs: dict[str, str] = {}  # organisation -> its org_key (firms repeat)
    for i, c in enumerate(recs):
        if not c.organization:
            continue
        org = orgs.get(c.organization)
        if org is None:
            org = orgs[c.organization] = org_key(c.organization)
        if org:
            toks = tokens[i] = name_tokens(c.name)
            if len(toks) >= 2:
                buckets.setdefault((toks[-1], org), []).append(i)
    has_email = {i for i, c in enumerate(recs) if c.emails}
    email_roots = {uf.find(j) for j in has_email}  # groups that hold an email (kept current)
    for key in sorted(buckets):
        members = buckets[key]
        if len(members) < 2:
            continue
        for i in members:
            if i in has_email:
                continue
            root = uf.find(i)
            if root in email_roots:
                continue  # linked to an email already (by phone): that decides
            cands = [j for j in members if j != i and _name_org_match(tokens[i], tokens[j])]
            known = sorted({uf.find(j) for j in cands if j in has_email})
            # groups that hold an email are known people; others are email-less records
            known = sorted({r for r in known if r != root})
            if len(known) > 1:
                pkey = f"{recs[i].name} @ {recs[i].organization}"
                if pkey not in problems:
                    who = ", ".join(
                        sorted(
                            {
                                f"{recs[j].name} <{recs[j].emails[0]}>"
                                for j in cands
                                if j in has_email
                            }
                        )
                    )
                    problems[pkey] = Problem(
                        SOURCE,
                        f"{recs[i].name!r} ({', '.join(recs[i].sources)}) has no email and "
                        f"fits several people at {recs[i].organization}: {who}. Not merged; "
                        "add the email to one of them to link it.",
                        pkey,
                    )
                continue
            targets = known or [uf.find(j) for j in cands]
            for t in targets:
                before = {uf.find(i), uf.find(t)}
                if _join(uf, names, i, t) and before & email_roots:
                    email_roots.add(uf.find(i))


def merge_contacts(
    contacts: Sequence[Contact], source_order: Sequence[str] = ()
) -> tuple[list[Contact], list[Problem]]:
    """Merge records of the same person (see the module doc). ``source_order`` is the config
    order of the address books (it decides which record's id a merged person keeps); sources
    not listed come after, by name. The result is sorted by name, then id, and does not depend
    on the order of ``contacts``."""
    ranks = {s: i for i, s in enumerate(dict.fromkeys(source_order))}
    recs = sorted(contacts, key=lambda c: _canon_key(c, ranks))
    uf = _UnionFind(len(recs))
    names: dict[int, list[str]] = {i: [c.name] for i, c in enumerate(recs)}
    problems: dict[str, Problem] = {}

    for ev in _evidence(recs):
        first = ev.members[0]
        for other in ev.members[1:]:
            if _join(uf, names, first, other):
                continue
            if ev.kind != "phone" and ev.key not in problems:
                a, b = recs[first], recs[other]
                problems[ev.key] = Problem(
                    SOURCE,
                    f"{a.name!r} ({', '.join(a.sources)}) and {b.name!r} "
                    f"({', '.join(b.sources)}) share this {ev.kind} but their names differ: "
                    "kept as two people. If they are one person, fix the name in one address "
                    "book.",
                    ev.key,
                )

    _merge_by_name_and_org(recs, uf, names, problems)

    clusters: dict[int, list[int]] = {}
    for i in range(len(recs)):
        clusters.setdefault(uf.find(i), []).append(i)

    merged: list[Contact] = []
    taken: set[str] = set()
    for root in sorted(clusters):
        c = _combine([recs[i] for i in clusters[root]])
        cid, n = c.id, 1
        while cid in taken:  # two people whose records happen to share an id (same name only)
            n += 1
            cid = "c-" + hashlib.sha256(f"{c.id}#{n}".encode()).hexdigest()[:12]
        taken.add(cid)
        merged.append(c if cid == c.id else replace(c, id=cid))
    merged.sort(key=lambda c: (c.name.casefold(), c.id))
    return merged, [problems[k] for k in sorted(problems)]


def _union(items: Iterable[str], fold: bool = False) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for x in items:
        k = x.casefold() if fold else x
        if x and k not in seen:
            seen.add(k)
            out.append(x)
    return tuple(out)


def _origins(c: Contact) -> list[tuple[str, str]]:
    own = [(k, v) for k, v in c.extra if k == "origin"]
    if own:
        return own
    return [("origin", f"{c.id} {c.sources[0] if c.sources else ''}".rstrip())]


def _combine(group: list[Contact]) -> Contact:
    """One contact from the records of one person, ``group`` in canonical order (the first is
    the representative)."""
    rep = group[0]
    if len(group) == 1:
        origins = _origins(rep)
        extra = rep.extra if ("origin", origins[0][1]) in rep.extra else (*rep.extra, *origins)
        return rep if extra == rep.extra else changed(rep, extra=extra)
    name = rep.name
    if _degenerate_name(name):
        full = [c.name for c in group if not _degenerate_name(c.name)]
        if full:
            name = full[0]
        elif "@" in name:
            name = next((c.name for c in group if "@" not in c.name), name)
    best = max(
        group,
        key=lambda c: (bool(c.organization) + bool(c.title), -group.index(c)),
    )
    notes: list[str] = []
    for c in group:
        n = c.note.strip()
        if n and not any(n in m for m in notes):
            notes = [m for m in notes if m not in n] + [n]
    phones: list[str] = []
    seen_phones: set[str] = set()
    for c in group:
        for p in c.phones:
            k = normalize_phone(p) or p
            if k not in seen_phones:
                seen_phones.add(k)
                phones.append(p)
    extra_items: list[tuple[str, str]] = []
    for c in group:
        extra_items.extend((k, v) for k, v in c.extra if k != "origin")
    for c in group:
        extra_items.extend(_origins(c))
    last_met = max((c.last_met for c in group if c.last_met), default=None)
    return changed(
        rep,
        name=name,
        emails=_union(e.lower() for c in group for e in c.emails),
        phones=tuple(phones),
        organization=best.organization,
        title=best.title,
        note="\n\n".join(notes),
        source_categories=_union((x for c in group for x in c.source_categories), fold=True),
        relations=_union((x for c in group for x in c.relations), fold=True),
        uid=rep.uid or next((c.uid for c in group if c.uid), None),
        sources=_union(s for c in group for s in c.sources),
        extra=tuple(dict.fromkeys(extra_items)),
        categories=_union(x for c in group for x in c.categories),
        focus=any(c.focus for c in group),
        last_met=last_met,
        times_met=max(c.times_met for c in group),
    )


def origins(contact: Contact) -> list[tuple[str, str]]:
    """(record id, source name) of every record merged into ``contact``."""
    out = []
    for _k, v in _origins(contact):
        rid, _, src = v.partition(" ")
        out.append((rid, src))
    return out


def tags_for_source(
    tags: Mapping[str, tuple[str, ...]], merged: Sequence[Contact], source: str
) -> dict[str, tuple[str, ...]]:
    """Tags keyed by merged contact ids -> the same tags keyed by ``source``'s own record ids
    (what that address book's ``write_tags`` expects)."""
    out: dict[str, tuple[str, ...]] = {}
    for c in merged:
        if c.id not in tags:
            continue
        for rid, src in origins(c):
            if src == source:
                out[rid] = tags[c.id]
    return out

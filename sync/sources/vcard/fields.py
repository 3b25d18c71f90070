"""What one card says: its values decoded (transfer encoding and charset), gathered property
by property into :class:`Fields`, and the contact, group or problem they make. Both readers
(the reference one in :mod:`.parse` and the fast one in :mod:`.fast`) end here."""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sync.merge import normalize_phone
from sync.model import Contact, contact_id
from sync.sources.vcard.syntax import Prop, Unreadable, split_escaped, unescape

APPLE_LABEL_RE = re.compile(r"^_\$!<(.*)>!\$_$")
THREE_DIGITS_RE = re.compile(r"\d\D*\d\D*\d")
QP = frozenset(("QUOTED-PRINTABLE", "Q"))
# Relation properties written by Outlook, Evolution and others (a name as value).
RELATION_PROPS = {
    "X-SPOUSE": "spouse",
    "X-MS-SPOUSE": "spouse",
    "X-EVOLUTION-SPOUSE": "spouse",
    "X-MANAGER": "manager",
    "X-MS-MANAGER": "manager",
    "X-EVOLUTION-MANAGER": "manager",
    "X-ASSISTANT": "assistant",
    "X-MS-ASSISTANT": "assistant",
    "X-EVOLUTION-ASSISTANT": "assistant",
    "X-MS-CHILD": "child",
    "X-CHILD": "child",
}
# Never decoded nor read (every other property is decoded, so a bad byte in it is a problem).
SKIPPED = frozenset(("VERSION", "PRODID", "REV", "PHOTO", "LOGO", "SOUND", "KEY"))


# What a property's parameters say to the reader: ENCODING (upper-cased, "" without one),
# CHARSET, preferred (TYPE=pref or PREF=1) and the TYPE values.
Info = tuple[str, str | None, bool, tuple[str, ...]]
NO_PARAMS: Info = ("", None, False, ())


def info_of(params: dict[str, list[str]]) -> Info:
    enc = params.get("ENCODING")
    charset = params.get("CHARSET")
    types = params.get("TYPE", [])
    pref = params.get("PREF")
    return (
        enc[0].upper() if enc else "",
        charset[0] if charset else None,
        "pref" in types or (pref[0] == "1" if pref else False),
        tuple(types),
    )


@dataclass(slots=True)
class Card:
    first: int  # index of the BEGIN:VCARD physical line
    stop: int  # index past the END:VCARD physical line
    props: list[Prop] = field(default_factory=list)
    error: Unreadable | None = None

    @property
    def line(self) -> int:
        return self.first + 1


@dataclass
class ParsedCard:
    """One card read: a contact, a group (name, member uid keys), or a problem."""

    card: Card
    contact: Contact | None = None
    group: tuple[str, list[str]] | None = None
    problem: Unreadable | None = None


def _bytes_to_str(b: bytes, charset: str | None, version: str, line: int) -> str:
    if b.isascii():
        return b.decode("ascii")
    bad_at = 0
    try:
        utf8: str | None = b.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8, bad_at = None, e.start
    if charset:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            raise Unreadable(line, f"unknown CHARSET {charset!r}") from None
        if utf8 is not None:
            return utf8  # valid UTF-8 wins over a stale label (a re-encoded export)
        try:
            return b.decode(codec)
        except UnicodeDecodeError as e:
            raise Unreadable(
                line, f"bytes not valid in CHARSET {charset} (0x{b[e.start]:02X})"
            ) from None
    if utf8 is not None:
        return utf8
    if version == "2.1":
        try:
            return b.decode("cp1252")
        except UnicodeDecodeError as e:
            raise Unreadable(line, f"undecodable byte 0x{b[e.start]:02X}") from None
    raise Unreadable(
        line,
        f"not UTF-8 (byte 0x{b[bad_at]:02X}); vCard {version} must be UTF-8: re-save the file "
        "as UTF-8",
    )


def decode_value(raw: str, encoding: str, charset: str | None, version: str, line: int) -> str:
    """A raw value as text (transfer encoding and charset undone, escapes kept); ``encoding``
    is the ENCODING parameter upper-cased (``""`` without one). Raises :class:`Unreadable`."""
    if encoding in QP:
        b = binascii.a2b_qp(raw.encode("utf-8", "surrogateescape"))
        text = _bytes_to_str(b, charset, version, line)
        return text.replace("\r\n", "\n") if "\r" in text else text
    if raw.isascii():
        return raw
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # undecoded bytes (surrogateescape): not UTF-8
        b = raw.encode("utf-8", "surrogateescape")
        return _bytes_to_str(b, charset, version, line)
    return raw  # valid UTF-8 wins over a CHARSET label


def apple_label(s: str) -> str:
    m = APPLE_LABEL_RE.match(s.strip())
    return (m.group(1) if m else s).strip().lower()


def bday(s: str) -> str:
    s = s.strip()
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?", s)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = re.fullmatch(r"--(\d{2})-?(\d{2})", s)
    if m:
        return f"--{m.group(1)}-{m.group(2)}"
    return s


def phone_display(s: str) -> str:
    s = s.strip()
    if s.lower().startswith("tel:"):
        s = s[4:]
        s, _, rest = s.partition(";")
        for p in rest.split(";"):
            if p.lower().startswith("ext="):
                s += f" ext. {p[4:]}"
    return s.strip()


def uid_key(uid: str) -> str:
    u = uid.strip().lower()
    return u[9:] if u.startswith("urn:uuid:") else u


def full_name(value: str) -> str:
    """The name an ``N`` value spells: honorific, given, additional, family, suffix."""
    if "\\" in value:
        parts = [unescape(x).strip() for x in split_escaped(value, ";")]
    else:  # nothing escaped: the same parts, split plainly
        parts = [x.strip() for x in value.split(";", 5)]
    if len(parts) < 5:
        parts += [""] * (5 - len(parts))
    family, given, additional, honorific, suffix = parts[:5]
    return " ".join([x for x in (honorific, given, additional, family, suffix) if x])


def city(value: str) -> str:
    """The locality of an ``ADR`` value (``""`` without one)."""
    if "\\" in value:
        parts = split_escaped(value, ";")
        return unescape(parts[3]).strip() if len(parts) > 3 else ""
    parts = value.split(";", 4)  # nothing escaped: the fourth part, split plainly
    return parts[3].strip() if len(parts) > 3 else ""


def add_categories(value: str, pfx: str, cats: list[str], own_tags: list[str]) -> None:
    """A ``CATEGORIES`` value's items: netweave's own (``pfx``-ed) ones to ``own_tags``."""
    for c in split_escaped(value, ","):
        c = unescape(c).strip()
        if not c:
            continue
        if pfx and c.lower().startswith(pfx):
            own_tags.append(c[len(pfx) :].strip())
        else:
            cats.append(c)


@dataclass(slots=True)
class Fields:
    """What one card says, gathered property by property (first FN, N, ORG, TITLE, UID win)."""

    pfx: str  # the tag prefix, stripped and lower-cased
    fn: str = ""
    n_name: str = ""
    org: str = ""
    title: str = ""
    uid: str = ""
    kind: str = ""
    notes: list[str] = field(default_factory=list)
    emails: list[tuple[int, str]] = field(default_factory=list)  # (0 if preferred, address)
    phones: list[tuple[int, str]] = field(default_factory=list)
    cats: list[str] = field(default_factory=list)
    own_tags: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    related_names: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def add(self, name: str, group: str, info: Info, value: str) -> None:
        """Take one property: its upper-cased name, lower-cased group, what its parameters say
        and its value (decoded, escapes kept)."""
        if name == "EMAIL":
            e = unescape(value).strip().lower()
            if e.startswith("mailto:"):
                e = e[7:]
            if "@" in e:
                self.emails.append((0 if info[2] else 1, e))
        elif name == "TEL":
            t = phone_display(unescape(value))
            if THREE_DIGITS_RE.search(t):
                self.phones.append((0 if info[2] else 1, t))
        elif name == "FN":
            self.fn = self.fn or unescape(value).strip()
        elif name == "N":
            self.n_name = self.n_name or full_name(value)
        elif name == "ORG":
            self.org = self.org or unescape(split_escaped(value, ";")[0]).strip()
        elif name == "TITLE" or name == "ROLE":
            self.title = self.title or unescape(value).strip()
        elif name == "NOTE":
            note = unescape(value).strip()
            if note:
                self.notes.append(note)
        elif name == "UID":
            self.uid = self.uid or value.strip()
        elif name == "CATEGORIES":
            add_categories(value, self.pfx, self.cats, self.own_tags)
        elif name == "ADR":
            where = city(value)
            if where:
                self.extra.append(("city", where))
        else:
            self._add_link(name, group, info, value)

    def _add_link(self, name: str, group: str, info: Info, value: str) -> None:
        """Relations, kind and group members, and the other extras (birthday, web)."""
        if name == "X-ABLABEL":
            self.labels[group] = apple_label(unescape(value))
        elif name == "X-ABRELATEDNAMES":
            self.related_names.append((group, unescape(value).strip(), info[3]))
        elif name == "RELATED":
            v = unescape(value).strip()
            for t in [t for t in info[3] if t != "pref"] or ["related"]:
                self.relate(t, v)
        elif name in RELATION_PROPS:
            self.relate(RELATION_PROPS[name], unescape(value).strip())
        elif name == "BDAY":
            self.extra.append(("bday", bday(value)))
        elif name == "URL":
            self.extra.append(("url", unescape(value).strip()))
        elif name == "X-SOCIALPROFILE":
            v = unescape(value).strip()
            if "linkedin" in v.lower() or "linkedin" in info[3]:
                self.extra.append(("linkedin", v))
        elif name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
            self.kind = value.strip().lower()
        elif name == "X-ABSHOWAS" and value.strip().upper() == "COMPANY":
            self.kind = self.kind or "org"
        elif name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
            self.members.append(uid_key(unescape(value)))

    def relate(self, relation: str, who: str) -> None:
        self.relations.append(relation)
        self.extra.append((f"related.{relation}", who))

    def label_related_names(self) -> None:
        """Apple's related names get their label (``item3.X-ABLabel``), else their type."""
        for group, rname, types in self.related_names:
            label = self.labels.get(group) if group else None
            if not label:
                label = next((t for t in types if t != "pref"), "related")
            self.relate(label, rname)


def finish(card: Card, f: Fields, source: str) -> ParsedCard:
    """The contact, group or problem a card's gathered fields make."""
    if f.related_names:
        f.label_related_names()
    if f.kind == "group":
        gname = f.fn or f.n_name or f.org
        if not gname:
            return ParsedCard(
                card, problem=Unreadable(card.line, "a group card without a name: skipped")
            )
        return ParsedCard(card, group=(gname, f.members))
    contact = _contact(f, source)
    if contact is None:
        return ParsedCard(
            card,
            problem=Unreadable(card.line, "the card has no name, organization, email or phone"),
        )
    return ParsedCard(card, contact=contact)


def _contact(f: Fields, source: str) -> Contact | None:
    """The contact a person's (or company's) card describes; None without anything to call it."""
    extra = f.extra
    email_list = _dedupe(_preferred_first(f.emails))
    phone_list = _dedupe_phones(_preferred_first(f.phones))
    if f.kind == "org":
        display = f.org or f.fn or f.n_name
        extra.append(("kind", "org"))
    else:
        display = f.fn or f.n_name or f.org
        if f.kind and f.kind != "individual":
            extra.append(("kind", f.kind))
    display = (
        display or (email_list[0] if email_list else "") or (phone_list[0] if phone_list else "")
    )
    if not display:
        return None
    if f.own_tags:
        extra.append(("netweave_tags", ",".join(f.own_tags)))
    uid_val = f.uid or None
    return Contact(
        id=contact_id(uid_val, email_list, display),
        name=display,
        emails=email_list,
        phones=phone_list,
        organization=f.org or None,
        title=f.title or None,
        note="\n\n".join(f.notes),
        source_categories=dedupe(f.cats, fold=True),
        relations=dedupe(f.relations),
        uid=uid_val,
        sources=(source,),
        extra=tuple(extra),
    )


def _preferred_first(items: list[tuple[int, str]]) -> list[str]:
    """The values, preferred ones (0) first, each in card order (a stable sort on the flag)."""
    if len(items) < 2:
        return [x for _, x in items]
    return [x for p, x in items if p == 0] + [x for p, x in items if p != 0]


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(items) if len(items) < 2 else tuple(dict.fromkeys(items))


def dedupe(items: Sequence[str], fold: bool = False) -> tuple[str, ...]:
    if len(items) < 2:
        return tuple(items)
    seen: set[str] = set()
    out = []
    for x in items:
        k = x.casefold() if fold else x
        if k not in seen:
            seen.add(k)
            out.append(x)
    return tuple(out)


def _dedupe_phones(items: list[str]) -> tuple[str, ...]:
    if len(items) < 2:
        return tuple(items)
    seen: set[str] = set()
    out = []
    for x in items:
        k = normalize_phone(x) or x
        if k not in seen:
            seen.add(k)
            out.append(x)
    return tuple(out)

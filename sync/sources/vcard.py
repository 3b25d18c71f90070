"""vCard address books: a ``.vcf`` file holding many cards, or a vdir (one card per file, as
khard and vdirsyncer keep them).

The parser is netweave's own small line-level parser (unfolding, groups, parameters,
quoted-printable and charset decoding, escaping), not vobject: on a synthetic 10,000-card file
(``benchmarks/bench_vcard.py``) it reads and maps every card in 1.9 s with a 38 MB peak, where
vobject needs 7.5 s only to tokenise them; and vobject stops at the first bad line of a file,
losing every card after it, where this parser skips one card. It reads the three dialects
found in the wild:

* vCard 2.1 from Outlook: ``ENCODING=QUOTED-PRINTABLE`` with soft line breaks, ``CHARSET=``
  Windows-1252 / UTF-8 / ISO-8859-1 (or raw 8-bit bytes in the ANSI code page), bare parameters
  (``TEL;WORK;VOICE:``), base64 photos with unindented continuation lines;
* vCard 3.0 from Apple and Google: ``item1.EMAIL`` groups with ``item1.X-ABLabel``,
  ``X-ABRELATEDNAMES`` with ``_$!<Mother>!$_`` labels, ``X-ABShowAs:COMPANY``, group cards
  (``X-ADDRESSBOOKSERVER-KIND:group`` with ``X-ADDRESSBOOKSERVER-MEMBER``) and Google's
  ``CATEGORIES:myContacts,Friends``;
* vCard 4.0 from Nextcloud: ``TEL;VALUE=uri:tel:+1-...``, ``RELATED;TYPE=spouse``, ``KIND``,
  ``UID:urn:uuid:...``, ``MEMBER`` on ``KIND:group`` cards.

Charset rule: a value that is valid UTF-8 is read as UTF-8. Otherwise its ``CHARSET`` parameter
decides; without one, a vCard 2.1 card is read in Windows-1252 (Outlook's ANSI code page) and a
3.0/4.0 card (UTF-8 by specification) is skipped with a Problem saying to re-save as UTF-8.

A malformed card (no ``END:VCARD``, a line that is not a property, undecodable bytes) is skipped
with one :class:`~sync.model.Problem` naming the file and line; every other card is read.

Writing tags changes only the ``CATEGORIES`` values that carry netweave's prefix
(``"netweave: clients"``); every other line is kept byte for byte (see :func:`set_categories`).
Netweave's own prefixed values are not read back as ``source_categories`` (no feedback loop):
they go to ``Contact.extra["netweave_tags"]``.
"""

from __future__ import annotations

import binascii
import codecs
import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Self

from sync.merge import normalize_phone
from sync.model import Contact, Problem, contact_id
from sync.sources.base import ContactsResult, SourceError

if TYPE_CHECKING:
    from sync.config import AddressBookConfig

DEFAULT_PREFIX = "netweave: "

_SEP_RE = re.compile(r"(\r\n|\n|\r)")
_NAME_RE = re.compile(r"[A-Za-z0-9-]+")
_GROUP_RE = re.compile(r"[A-Za-z0-9-]*")
_B64_RE = re.compile(r"[A-Za-z0-9+/=]+")
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT", "Q"}
_APPLE_LABEL_RE = re.compile(r"^_\$!<(.*)>!\$_$")
_DIGITS_RE = re.compile(r"\d")
_CARD_EDGES = ("END:VCARD", "BEGIN:VCARD")
_ESC_RE = re.compile(r"\\([nN,;:\\])")
# Relation properties written by Outlook, Evolution and others (a name as value).
_RELATION_PROPS = {
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


class _Bad(Exception):
    """A card cannot be read: the message says why, ``line`` where (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# --------------------------------------------------------------------------- lines


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    """Physical lines and their endings (``""`` for a last line without one)."""
    parts = _SEP_RE.split(text)
    contents = parts[0::2]
    endings = parts[1::2] + [""]
    return contents, endings


def _head(line: str) -> str:
    i = line.find(":")
    return (line if i < 0 else line[:i]).upper()


@dataclass(slots=True)
class _Logical:
    first: int  # index of the first physical line
    stop: int  # index past the last physical line
    text: str  # unfolded


def _unfold(contents: list[str]) -> Iterator[_Logical]:
    """Join folded lines (a leading space or tab), quoted-printable soft line breaks (a value
    ending in ``=``) and unindented base64 continuation lines (vCard 2.1). Blank lines vanish."""
    cur: _Logical | None = None
    qp = b64 = False
    for i, c in enumerate(contents):
        if cur is not None:
            if qp and cur.text.endswith("=") and c.strip().upper() not in _CARD_EDGES:
                cur.text = cur.text[:-1] + c
                cur.stop = i + 1
                continue
            if c[:1] in (" ", "\t"):
                cur.text += c.strip() if b64 else c[1:]
                cur.stop = i + 1
                continue
            if b64 and c and _B64_RE.fullmatch(c):
                cur.text += c
                cur.stop = i + 1
                continue
        if cur is not None:
            yield cur
        if not c.strip():
            cur = None
            qp = b64 = False
            continue
        cur = _Logical(i, i + 1, c)
        if ";" in c:
            h = _head(c)
            qp = "QUOTED-PRINTABLE" in h or "ENCODING=Q" in h
            b64 = "BASE64" in h or "ENCODING=B" in h
        else:
            qp = b64 = False
    if cur is not None:
        yield cur


@dataclass(slots=True)
class _Prop:
    group: str  # lower-cased, "" without a group
    name: str  # upper-cased
    params: dict[str, list[str]]  # upper-cased keys; TYPE values lower-cased
    raw: str  # the value as written (after unfolding)
    line: int  # 1-based

    def types(self) -> list[str]:
        return self.params.get("TYPE", [])

    def param(self, key: str) -> str | None:
        v = self.params.get(key)
        return v[0] if v else None


def _split_unquoted(s: str, sep: str) -> list[str]:
    if '"' not in s:
        return s.split(sep)
    out: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in s:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf))
    return out


def _parse_prop(text: str, line: int) -> _Prop:
    if '"' in text:
        quoted, colon = False, -1
        for j, ch in enumerate(text):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                colon = j
                break
    else:
        colon = text.find(":")
    if colon <= 0:
        raise _Bad(line, f"not a vCard property line: {text[:40]!r}")
    head, value = text[:colon], text[colon + 1 :]
    parts = _split_unquoted(head, ";")
    group, _, name = parts[0].strip().rpartition(".")
    if not _NAME_RE.fullmatch(name) or not _GROUP_RE.fullmatch(group):
        raise _Bad(line, f"not a vCard property line: {text[:40]!r}")
    params: dict[str, list[str]] = {}
    for p in parts[1:]:
        p = p.strip()
        if not p:
            continue
        if "=" in p:
            k, _, v = p.partition("=")
            key = k.strip().upper()
            vals = [x.strip().strip('"') for x in _split_unquoted(v, ",")]
        else:
            up = p.upper()
            key, vals = ("ENCODING", [up]) if up in _ENCODINGS else ("TYPE", [p])
        if key == "TYPE":
            vals = [x.lower() for x in vals if x]
        params.setdefault(key, []).extend(vals)
    return _Prop(group.lower(), name.upper(), params, value, line)


# --------------------------------------------------------------------------- cards


@dataclass(slots=True)
class _Card:
    first: int  # index of the BEGIN:VCARD physical line
    stop: int  # index past the END:VCARD physical line
    props: list[_Prop] = field(default_factory=list)
    error: _Bad | None = None

    @property
    def line(self) -> int:
        return self.first + 1


def _scan(contents: list[str], stray: list[_Bad]) -> Iterator[_Card]:
    """The cards, one at a time (props parsed); text outside any card goes to ``stray``."""
    card: _Card | None = None
    last_stray = -2
    for lg in _unfold(contents):
        key = lg.text.strip().upper()
        if key == "BEGIN:VCARD":
            if card is not None:
                card.stop = lg.first
                if card.error is None:
                    card.error = _Bad(
                        card.line,
                        f"no END:VCARD before the next card at line {lg.first + 1}",
                    )
                yield card
            card = _Card(lg.first, lg.stop)
        elif key == "END:VCARD":
            if card is None:
                stray.append(_Bad(lg.first + 1, "END:VCARD without BEGIN:VCARD: ignored"))
            else:
                card.stop = lg.stop
                yield card
                card = None
        elif card is None:
            if lg.first > last_stray + 1:  # one problem per run of stray lines
                stray.append(_Bad(lg.first + 1, "text outside any card: ignored"))
            last_stray = lg.stop - 1
        elif card.error is None:
            try:
                card.props.append(_parse_prop(lg.text, lg.first + 1))
            except _Bad as e:
                card.error = e
            card.stop = lg.stop
        else:
            card.stop = lg.stop
    if card is not None:
        card.stop = len(contents)
        if card.error is None:
            card.error = _Bad(card.line, "no END:VCARD: the card runs to the end of the file")
        yield card


# --------------------------------------------------------------------------- values


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
            raise _Bad(line, f"unknown CHARSET {charset!r}") from None
        if utf8 is not None:
            return utf8  # valid UTF-8 wins over a stale label (a re-encoded export)
        try:
            return b.decode(codec)
        except UnicodeDecodeError as e:
            raise _Bad(line, f"bytes not valid in CHARSET {charset} (0x{b[e.start]:02X})") from None
    if utf8 is not None:
        return utf8
    if version == "2.1":
        try:
            return b.decode("cp1252")
        except UnicodeDecodeError as e:
            raise _Bad(line, f"undecodable byte 0x{b[e.start]:02X}") from None
    raise _Bad(
        line,
        f"not UTF-8 (byte 0x{b[bad_at]:02X}); vCard {version} must be UTF-8: re-save the file "
        "as UTF-8",
    )


def _decode(prop: _Prop, version: str) -> str:
    """The prop's value as text (transfer encoding and charset undone, escapes kept)."""
    raw = prop.raw
    enc = (prop.param("ENCODING") or "").upper()
    charset = prop.param("CHARSET")
    if enc in ("QUOTED-PRINTABLE", "Q"):
        b = binascii.a2b_qp(raw.encode("utf-8", "surrogateescape"))
        text = _bytes_to_str(b, charset, version, prop.line)
        return text.replace("\r\n", "\n") if "\r" in text else text
    if raw.isascii():
        return raw
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # undecoded bytes (surrogateescape): not UTF-8
        b = raw.encode("utf-8", "surrogateescape")
        return _bytes_to_str(b, charset, version, prop.line)
    return raw  # valid UTF-8 wins over a CHARSET label


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    return _ESC_RE.sub(_unescape_one, s)


def _unescape_one(m: re.Match[str]) -> str:
    ch = m.group(1)
    return "\n" if ch in "nN" else ch


def _split_escaped(s: str, sep: str) -> list[str]:
    """Split on ``sep`` not preceded by a backslash escape; items keep their escapes."""
    if "\\" not in s:
        return s.split(sep)
    out, buf, i, n = [], [], 0, len(s)
    while i < n:
        ch = s[i]
        if ch == "\\" and i + 1 < n:
            buf.append(s[i : i + 2])
            i += 2
            continue
        if ch == sep:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    out.append("".join(buf))
    return out


def _escape(s: str) -> str:
    return (
        s.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _apple_label(s: str) -> str:
    m = _APPLE_LABEL_RE.match(s.strip())
    return (m.group(1) if m else s).strip().lower()


def _bday(s: str) -> str:
    s = s.strip()
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?", s)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = re.fullmatch(r"--(\d{2})-?(\d{2})", s)
    if m:
        return f"--{m.group(1)}-{m.group(2)}"
    return s


def _phone_display(s: str) -> str:
    s = s.strip()
    if s.lower().startswith("tel:"):
        s = s[4:]
        s, _, rest = s.partition(";")
        for p in rest.split(";"):
            if p.lower().startswith("ext="):
                s += f" ext. {p[4:]}"
    return s.strip()


def _uid_key(uid: str) -> str:
    u = uid.strip().lower()
    return u[9:] if u.startswith("urn:uuid:") else u


# --------------------------------------------------------------------------- card -> contact


@dataclass
class _Parsed:
    """One card read: a contact, a group (name, member uid keys), or a problem."""

    card: _Card
    contact: Contact | None = None
    group: tuple[str, list[str]] | None = None
    problem: _Bad | None = None


def _card_to_contact(card: _Card, source: str, prefix: str) -> _Parsed:
    version = "3.0"
    for p in card.props:
        if p.name == "VERSION":
            version = p.raw.strip()
            break
    fn = n_name = org = title = uid = kind = ""
    notes: list[str] = []
    emails: list[tuple[int, str]] = []
    phones: list[tuple[int, str]] = []
    cats: list[str] = []
    own_tags: list[str] = []
    relations: list[str] = []
    extra: list[tuple[str, str]] = []
    members: list[str] = []
    labels: dict[str, str] = {}
    related_names: list[tuple[str, str, list[str]]] = []  # (group, name, types)
    pfx = prefix.strip().lower()
    for p in card.props:
        name = p.name
        if name in ("VERSION", "PRODID", "REV", "PHOTO", "LOGO", "SOUND", "KEY"):
            continue
        value = _decode(p, version)
        if name == "FN":
            fn = fn or _unescape(value).strip()
        elif name == "N":
            parts = [_unescape(x).strip() for x in _split_escaped(value, ";")]
            parts += [""] * (5 - len(parts))
            family, given, additional, honorific, suffix = parts[:5]
            n_name = n_name or " ".join(
                x for x in (honorific, given, additional, family, suffix) if x
            )
        elif name == "ORG":
            org = org or _unescape(_split_escaped(value, ";")[0]).strip()
        elif name == "TITLE":
            title = title or _unescape(value).strip()
        elif name == "ROLE" and not title:
            title = _unescape(value).strip()
        elif name == "NOTE":
            note = _unescape(value).strip()
            if note:
                notes.append(note)
        elif name == "UID":
            uid = uid or value.strip()
        elif name == "EMAIL":
            e = _unescape(value).strip().lower()
            if e.startswith("mailto:"):
                e = e[7:]
            if "@" in e:
                emails.append((0 if _is_pref(p) else 1, e))
        elif name == "TEL":
            t = _phone_display(_unescape(value))
            if len(_DIGITS_RE.findall(t)) >= 3:
                phones.append((0 if _is_pref(p) else 1, t))
        elif name == "CATEGORIES":
            for c in _split_escaped(value, ","):
                c = _unescape(c).strip()
                if not c:
                    continue
                if pfx and c.lower().startswith(pfx):
                    own_tags.append(c[len(pfx) :].strip())
                else:
                    cats.append(c)
        elif name == "X-ABLABEL":
            labels[p.group] = _apple_label(_unescape(value))
        elif name == "X-ABRELATEDNAMES":
            related_names.append((p.group, _unescape(value).strip(), p.types()))
        elif name == "RELATED":
            types = [t for t in p.types() if t != "pref"]
            v = _unescape(value).strip()
            for t in types or ["related"]:
                relations.append(t)
                extra.append((f"related.{t}", v))
        elif name in _RELATION_PROPS:
            rel = _RELATION_PROPS[name]
            relations.append(rel)
            extra.append((f"related.{rel}", _unescape(value).strip()))
        elif name == "BDAY":
            extra.append(("bday", _bday(value)))
        elif name == "URL":
            extra.append(("url", _unescape(value).strip()))
        elif name == "X-SOCIALPROFILE":
            v = _unescape(value).strip()
            if "linkedin" in v.lower() or "linkedin" in p.types():
                extra.append(("linkedin", v))
        elif name == "ADR":
            parts = [_unescape(x).strip() for x in _split_escaped(value, ";")]
            if len(parts) > 3 and parts[3]:
                extra.append(("city", parts[3]))
        elif name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
            kind = value.strip().lower()
        elif name == "X-ABSHOWAS" and value.strip().upper() == "COMPANY":
            kind = kind or "org"
        elif name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
            members.append(_uid_key(_unescape(value)))
    for group, rname, types in related_names:
        label = labels.get(group) if group else None
        if not label:
            label = next((t for t in types if t != "pref"), "related")
        relations.append(label)
        extra.append((f"related.{label}", rname))

    if kind == "group":
        gname = fn or n_name or org
        if not gname:
            return _Parsed(card, problem=_Bad(card.line, "a group card without a name: skipped"))
        return _Parsed(card, group=(gname, members))

    email_list = _dedupe(e for _, e in sorted(emails, key=lambda x: x[0]))
    phone_list = _dedupe_phones(t for _, t in sorted(phones, key=lambda x: x[0]))
    if kind == "org":
        display = org or fn or n_name
        extra.append(("kind", "org"))
    else:
        display = fn or n_name or org
        if kind and kind != "individual":
            extra.append(("kind", kind))
    display = (
        display or (email_list[0] if email_list else "") or (phone_list[0] if phone_list else "")
    )
    if not display:
        return _Parsed(
            card, problem=_Bad(card.line, "the card has no name, organization, email or phone")
        )
    if own_tags:
        extra.append(("netweave_tags", ",".join(own_tags)))
    uid_val = uid or None
    contact = Contact(
        id=contact_id(uid_val, email_list, display),
        name=display,
        emails=email_list,
        phones=phone_list,
        organization=org or None,
        title=title or None,
        note="\n\n".join(notes),
        source_categories=_dedupe(cats, fold=True),
        relations=_dedupe(relations),
        uid=uid_val,
        sources=(source,),
        extra=tuple(extra),
    )
    return _Parsed(card, contact=contact)


def _is_pref(p: _Prop) -> bool:
    return "pref" in p.types() or p.param("PREF") == "1"


def _dedupe(items: Iterable[str], fold: bool = False) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for x in items:
        k = x.casefold() if fold else x
        if k not in seen:
            seen.add(k)
            out.append(x)
    return tuple(out)


def _dedupe_phones(items: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for x in items:
        k = normalize_phone(x) or x
        if k not in seen:
            seen.add(k)
            out.append(x)
    return tuple(out)


def _parse_text(text: str, source: str, prefix: str) -> tuple[list[_Parsed], list[_Bad]]:
    contents, _ = _split_lines(text)
    stray: list[_Bad] = []
    out: list[_Parsed] = []
    for card in _scan(contents, stray):
        if card.error is not None:
            out.append(_Parsed(card, problem=card.error))
        else:
            try:
                out.append(_card_to_contact(card, source, prefix))
            except _Bad as e:
                out.append(_Parsed(card, problem=e))
        card.props = []  # read: free the memory
    return out, stray


def unique_ids(contacts: Sequence[Contact]) -> list[Contact]:
    """Give every contact of one source its own id: a repeated id (two cards with only the same
    name, or a duplicated UID) gets a derived one, in source order (stable across runs)."""
    seen: set[str] = set()
    out = []
    for c in contacts:
        cid, n = c.id, 1
        while cid in seen:
            n += 1
            cid = contact_id(None, (), f"{c.id}#{n}")
        seen.add(cid)
        out.append(c if cid == c.id else replace(c, id=cid))
    return out


def _apply_groups(parsed: list[_Parsed]) -> None:
    """Group cards (Apple, vCard 4 KIND:group) become source categories of their members."""
    groups = [p.group for p in parsed if p.group is not None]
    if not groups:
        return
    by_uid: dict[str, list[str]] = {}
    for gname, members in groups:
        for m in members:
            by_uid.setdefault(m, []).append(gname)
    for p in parsed:
        c = p.contact
        if c is not None and c.uid and _uid_key(c.uid) in by_uid:
            cats = _dedupe((*c.source_categories, *by_uid[_uid_key(c.uid)]), fold=True)
            p.contact = replace(c, source_categories=cats)


def _problem(source: str, place: str, bad: _Bad, card_line: int | None = None) -> Problem:
    msg = bad.message
    if card_line is not None:
        msg += (
            f" (card from line {card_line} skipped)"
            if card_line != bad.line
            else (" (card skipped)")
        )
    return Problem(source, msg, f"{place}:{bad.line}")


def _finish(parsed: list[_Parsed], stray: list[_Bad], source: str, place: str) -> ContactsResult:
    _apply_groups(parsed)
    problems = [_problem(source, place, b) for b in stray]
    contacts = []
    for p in parsed:
        if p.problem is not None:
            problems.append(_problem(source, place, p.problem, p.card.line))
        elif p.contact is not None:
            contacts.append(p.contact)
    return ContactsResult(contacts=contacts, problems=problems)


def parse_vcards(
    data: bytes | str,
    source: str,
    place: str | None = None,
    tag_prefix: str = DEFAULT_PREFIX,
) -> ContactsResult:
    """Read every card in ``data`` (pure). ``source`` names the address book (Problem.source and
    Contact.sources); ``place`` the file or href for problem places (``place:line``; default
    ``source``). Bad cards are skipped with one Problem each; ids are unique within ``data``."""
    where = place or source
    text = data if isinstance(data, str) else _decode_file(data)[0]
    parsed, stray = _parse_text(text, source, tag_prefix)
    result = _finish(parsed, stray, source, where)
    if not parsed and not stray and text.strip():
        result.problems.append(Problem(source, "no vCard (BEGIN:VCARD) found", f"{where}:1"))
    result.contacts = unique_ids(result.contacts)
    return result


# --------------------------------------------------------------------------- files


def _decode_file(data: bytes) -> tuple[str, str, bytes]:
    """Text of a file, the codec and BOM to write it back with. UTF-8 is decoded with
    surrogateescape so that bytes in other charsets survive a rewrite byte for byte."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "surrogateescape"), "utf-8", codecs.BOM_UTF8
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[2:].decode(codec, "replace"), codec, bom
    head = data[:4]
    if len(head) == 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        return data.decode("utf-16-le", "replace"), "utf-16-le", b""
    if len(head) == 4 and head[0] == 0 and head[2] == 0 and head[1] and head[3]:
        return data.decode("utf-16-be", "replace"), "utf-16-be", b""
    return data.decode("utf-8", "surrogateescape"), "utf-8", b""


def _encode_file(text: str, codec: str, bom: bytes) -> bytes:
    if codec == "utf-8":
        return bom + text.encode("utf-8", "surrogateescape")
    return bom + text.encode(codec)


def _read_bytes(source: str, path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(
            source,
            f"{path}: no such {what}. Check the address book's path in the config "
            "(export your contacts as .vcf there).",
        ) from None
    except IsADirectoryError:
        raise SourceError(
            source, f'{path} is a folder: use type = "vdir" for a folder of .vcf files'
        ) from None
    except PermissionError:
        raise SourceError(source, f"{path}: permission denied; let this user read it") from None
    except OSError as e:
        raise SourceError(source, f"{path}: cannot read: {e.strerror}") from None


def _read_only(path: Path) -> str | None:
    """Why ``path`` must not be rewritten, or None. Mode bits count even for root."""
    try:
        st = path.stat()
    except OSError as e:
        return f"cannot stat: {e.strerror}"
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        path, os.W_OK
    ):
        return "the file is read-only: tags not written (make it writable or set write_tags=false)"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is not writable: tags not written"
    return None


def _atomic_write(path: Path, data: bytes, expect: bytes) -> None:
    """Replace ``path`` with ``data`` (temp file + fsync + os.replace), unless its content is no
    longer ``expect`` (someone edited it meanwhile). Raises OSError or _Changed."""
    target = path.resolve()
    st = target.stat()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if target.read_bytes() != expect:
            raise _Changed(str(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    try:
        dfd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


class _Changed(Exception):
    pass


def _retag_text(
    text: str,
    parsed: list[_Parsed],
    tags: Mapping[str, tuple[str, ...]],
    prefix: str,
) -> tuple[str, int]:
    """``text`` with the tagged cards' CATEGORIES changed; and how many cards changed."""
    contents, endings = _split_lines(text)
    phys = [c + e for c, e in zip(contents, endings, strict=True)]
    changed = 0
    for p in sorted(parsed, key=lambda x: x.card.first, reverse=True):
        c = p.contact
        if c is None or c.id not in tags:
            continue
        card_text = "".join(phys[p.card.first : p.card.stop])
        new = set_categories(card_text, tags[c.id], prefix)
        if new != card_text:
            phys[p.card.first : p.card.stop] = [new]
            changed += 1
    return "".join(phys), changed


def _parsed_with_ids(text: str, source: str, prefix: str) -> tuple[list[_Parsed], list[_Bad]]:
    parsed, stray = _parse_text(text, source, prefix)
    _apply_groups(parsed)
    return parsed, stray


def _assign_ids(parsed: list[_Parsed]) -> None:
    with_contact = [p for p in parsed if p.contact is not None]
    fixed = unique_ids([p.contact for p in with_contact if p.contact is not None])
    for p, c in zip(with_contact, fixed, strict=True):
        p.contact = c


class _VcardBook:
    """What a vCard file and a vdir share: where they are and netweave's tag prefix."""

    def __init__(self, name: str, path: Path, tag_prefix: str = DEFAULT_PREFIX) -> None:
        self.name = name
        self.path = Path(path)
        self.tag_prefix = tag_prefix

    @classmethod
    def from_config(cls, ab: AddressBookConfig) -> Self:
        assert ab.path is not None
        return cls(ab.name, ab.path, ab.tag_prefix)

    @property
    def can_write_tags(self) -> bool:
        return True


class VcardFile(_VcardBook):
    """A ``.vcf`` file with any number of cards (an Outlook, Apple or Google export)."""

    def _load(self) -> tuple[bytes, str, str, bytes]:
        data = _read_bytes(self.name, self.path, "file")
        text, codec, bom = _decode_file(data)
        return data, text, codec, bom

    def read(self) -> ContactsResult:
        _data, text, _codec, _bom = self._load()
        return parse_vcards(text, self.name, str(self.path), self.tag_prefix)

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        place = str(self.path)
        try:
            data, text, codec, bom = self._load()
        except SourceError as e:
            return [Problem(self.name, e.message, place)]
        parsed, _stray = _parsed_with_ids(text, self.name, self.tag_prefix)
        _assign_ids(parsed)
        new_text, changed = _retag_text(text, parsed, tags, self.tag_prefix)
        if not changed:
            return []
        why = _read_only(self.path)
        if why:
            return [Problem(self.name, f"{why} ({changed} cards to retag)", place)]
        try:
            _atomic_write(self.path, _encode_file(new_text, codec, bom), data)
        except _Changed:
            return [Problem(self.name, "the file changed while tags were written; next run", place)]
        except (OSError, UnicodeEncodeError) as e:
            return [Problem(self.name, f"tags not written: {e}", place)]
        return []


class VcardDir(_VcardBook):
    """A vdir: a folder with one card per ``.vcf`` file (khard, vdirsyncer)."""

    SUFFIXES = (".vcf", ".vcard")

    def _files(self) -> list[Path]:
        if not self.path.exists():
            raise SourceError(
                self.name,
                f"{self.path}: no such folder. Check the address book's path in the config "
                "(the vdir that khard/vdirsyncer keep).",
            )
        if not self.path.is_dir():
            raise SourceError(
                self.name, f'{self.path} is a file, not a folder: use type = "vcard" for it'
            )
        try:
            entries = sorted(self.path.iterdir())
        except PermissionError:
            raise SourceError(self.name, f"{self.path}: permission denied") from None
        return [
            f
            for f in entries
            if f.suffix.lower() in self.SUFFIXES and not f.name.startswith(".") and f.is_file()
        ]

    def _parse_all(
        self,
    ) -> tuple[list[tuple[Path, bytes, str, str, bytes, list[_Parsed]]], list[Problem]]:
        files = []
        problems: list[Problem] = []
        for f in self._files():
            try:
                data = f.read_bytes()
            except OSError as e:
                problems.append(Problem(self.name, f"cannot read: {e.strerror}", str(f)))
                continue
            text, codec, bom = _decode_file(data)
            parsed, stray = _parsed_with_ids(text, self.name, self.tag_prefix)
            problems.extend(_problem(self.name, str(f), b) for b in stray)
            if not parsed and not stray and text.strip():
                problems.append(Problem(self.name, "no vCard (BEGIN:VCARD) found", f"{f}:1"))
            files.append((f, data, text, codec, bom, parsed))
        _assign_ids([p for *_, parsed in files for p in parsed])
        return files, problems

    def read(self) -> ContactsResult:
        files, problems = self._parse_all()
        contacts = []
        for f, *_rest, parsed in files:
            for p in parsed:
                if p.problem is not None:
                    problems.append(_problem(self.name, str(f), p.problem, p.card.line))
                elif p.contact is not None:
                    contacts.append(p.contact)
        return ContactsResult(contacts=contacts, problems=problems)

    def write_tags(self, tags: Mapping[str, tuple[str, ...]]) -> list[Problem]:
        try:
            files, _problems = self._parse_all()
        except SourceError as e:
            return [Problem(self.name, e.message, str(self.path))]
        problems = []
        for f, data, text, codec, bom, parsed in files:
            new_text, changed = _retag_text(text, parsed, tags, self.tag_prefix)
            if not changed:
                continue
            why = _read_only(f)
            if why:
                problems.append(Problem(self.name, why, str(f)))
                continue
            try:
                _atomic_write(f, _encode_file(new_text, codec, bom), data)
            except _Changed:
                problems.append(Problem(self.name, "changed while tags were written", str(f)))
            except (OSError, UnicodeEncodeError) as e:
                problems.append(Problem(self.name, f"tags not written: {e}", str(f)))
        return problems


# --------------------------------------------------------------------------- CATEGORIES


def _fold(line: str, ending: str) -> str:
    """Fold to lines of at most 75 octets (RFC 6350 3.2), never inside a UTF-8 sequence."""
    out: list[str] = []
    cur: list[str] = []
    size = 0
    for ch in line:
        n = len(ch.encode("utf-8", "surrogateescape"))
        if size + n > 75:
            out.append("".join(cur))
            cur, size = [" "], 1
        cur.append(ch)
        size += n
    out.append("".join(cur))
    return ending.join(out) + ending


def _qp_encode(b: bytes, head_len: int, ending: str) -> str:
    """Quoted-printable with soft line breaks (vCard 2.1), lines of at most 76 characters."""
    out: list[str] = []
    cur = ""
    width = head_len
    for i, byte in enumerate(b):
        last = i == len(b) - 1
        if 33 <= byte <= 126 and byte != 61 or (byte in (9, 32) and not last):
            tok = chr(byte)
        else:
            tok = f"={byte:02X}"
        if width + len(cur) + len(tok) > 75:
            out.append(cur + "=")
            cur, width = "", 0
        cur += tok
    out.append(cur)
    return ending.join(out) + ending


def set_categories(card_text: str, categories: Sequence[str], prefix: str) -> str:
    """Set netweave's categories on one card's text (``BEGIN:VCARD`` .. ``END:VCARD``).

    Only ``CATEGORIES`` lines that carry ``prefix``-ed values change: their prefixed values are
    replaced by ``prefix + c`` for each of ``categories`` (the user's own values on the same line
    stay, escapes and all). With no such line, one new ``CATEGORIES`` line goes before
    ``END:VCARD``. Every other line is kept byte for byte, with the card's line endings; new
    lines are folded at 75 octets (quoted-printable lines stay quoted-printable). If the card
    already carries exactly these categories, the text is returned unchanged.
    """
    pfx = prefix.strip().lower()
    if not pfx:
        raise ValueError("an empty tag prefix would claim the user's own categories")
    wanted = list(dict.fromkeys(c.strip() for c in categories if c.strip()))
    contents, endings = _split_lines(card_text)
    logical = list(_unfold(contents))
    end_idx = next((lg for lg in reversed(logical) if lg.text.strip().upper() == "END:VCARD"), None)
    if end_idx is None:
        raise ValueError("not a card: no END:VCARD")
    version = "3.0"
    ours: list[tuple[_Logical, _Prop, list[str], list[str]]] = []  # line, prop, user, ours
    for lg in logical:
        if lg.text[:8].upper() == "VERSION:":
            version = lg.text[8:].strip()
        if "CATEGORIES" not in _head(lg.text):
            continue
        try:
            prop = _parse_prop(lg.text, lg.first + 1)
        except _Bad:
            continue
        if prop.name != "CATEGORIES":
            continue
        value = _value_for_edit(prop)
        user: list[str] = []
        mine: list[str] = []
        for tok in _split_escaped(value, ","):
            (mine if _unescape(tok).strip().lower().startswith(pfx) else user).append(tok)
        if mine:
            ours.append((lg, prop, user, mine))
    present = sorted(_unescape(t).strip() for *_x, mine in ours for t in mine)
    new_tokens = [_escape(prefix + c) for c in wanted]
    if present == sorted(_unescape(t).strip() for t in new_tokens) and len(ours) <= 1:
        return card_text
    eol = next((e for e in endings if e), "\r\n")
    phys = [c + e for c, e in zip(contents, endings, strict=True)]
    edits: list[tuple[int, int, str]] = []
    for k, (lg, prop, user, _mine) in enumerate(ours):
        tokens = user + (new_tokens if k == 0 else [])
        ending = endings[lg.stop - 1] or eol
        text = "" if not tokens else _render(lg.text, prop, ",".join(tokens), ending)
        edits.append((lg.first, lg.stop, text))
    if not ours and new_tokens:
        line = "CATEGORIES"
        value = ",".join(new_tokens)
        if version == "2.1" and not value.isascii():
            line += ";CHARSET=UTF-8"
        first = end_idx.first
        before = endings[first - 1] if first > 0 and endings[first - 1] else eol
        edits.append((first, first, _fold(f"{line}:{value}", before)))
    for first, stop, text in sorted(edits, reverse=True):
        phys[first:stop] = [text] if text else []
    return "".join(phys)


def _value_for_edit(prop: _Prop) -> str:
    """The prop's value with transfer encoding undone but bytes kept (surrogateescape)."""
    enc = (prop.param("ENCODING") or "").upper()
    if enc in ("QUOTED-PRINTABLE", "Q"):
        b = binascii.a2b_qp(prop.raw.encode("utf-8", "surrogateescape"))
        return b.decode(_codec(prop), "surrogateescape")
    return prop.raw


def _codec(prop: _Prop) -> str:
    try:
        return codecs.lookup(prop.param("CHARSET") or "utf-8").name
    except LookupError:
        return "utf-8"


def _render(original: str, prop: _Prop, value: str, ending: str) -> str:
    colon = _colon(original)
    head = original[:colon]
    enc = (prop.param("ENCODING") or "").upper()
    if enc in ("QUOTED-PRINTABLE", "Q"):
        b = value.encode(_codec(prop), "surrogateescape")
        return head + ":" + _qp_encode(b, len(head) + 1, ending)
    return _fold(f"{head}:{value}", ending)


def _colon(text: str) -> int:
    quoted = False
    for j, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return j
    return -1

"""The fast reader of well-formed cards: a card that starts at a plain ``BEGIN:VCARD`` line and
ends at a plain ``END:VCARD`` line is unfolded in one pass over its text and read straight into
:class:`~.fields.Fields`, without a property object per line; properties netweave never reads
are skipped unless their value could hold a byte to decode. Whatever it is not sure to read as
the reference reader (:mod:`.parse`) does (a line to report, a value it cannot decode, a card
edge inside a card) it leaves to that reader, which then reads the card with line numbers."""

from __future__ import annotations

from sync.sources.vcard.fields import (
    NO_PARAMS,
    QP,
    RELATION_PROPS,
    SKIPPED,
    Card,
    Fields,
    Info,
    ParsedCard,
    decode_value,
    finish,
    info_of,
)
from sync.sources.vcard.syntax import (
    B64_RE,
    CARD_EDGES,
    HEAD_RE,
    Unreadable,
    parse_params,
    parse_prop_general,
)

BEGIN, END = "BEGIN:VCARD", "END:VCARD"
# How a property head reads: what the reader does with it (a role below), name (upper-cased),
# group (lower-cased), what its parameters say, and where its value starts (-1: after the
# first colon).
Head = tuple[int, str, str, Info, int]
_READ_IT, _CHECK, _SKIP, _VERSION, _EDGE = range(5)  # _CHECK: decoded only to find bad bytes


def _role(name: str) -> int:
    if name in _READ:
        return _READ_IT
    if name == "VERSION":
        return _VERSION
    if name in SKIPPED:
        return _SKIP
    return _EDGE if name in ("BEGIN", "END") else _CHECK


_READ = frozenset(
    (
        *("FN", "N", "ORG", "TITLE", "ROLE", "NOTE", "UID", "EMAIL", "TEL", "CATEGORIES"),
        *("X-ABLABEL", "X-ABRELATEDNAMES", "RELATED", "BDAY", "URL", "X-SOCIALPROFILE", "ADR"),
        *("KIND", "X-ADDRESSBOOKSERVER-KIND", "X-ABSHOWAS"),
        *("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"),
        *RELATION_PROPS,
    )
)


def card_starts(contents: list[str]) -> list[int]:
    """The indices of the plain ``BEGIN:VCARD`` lines that start a card whatever comes before
    them (the next line does not continue them): the reference reader starts a card at each."""
    n = len(contents)
    return [
        i
        for i, c in enumerate(contents)
        if c == BEGIN and (i + 1 == n or contents[i + 1][:1] not in (" ", "\t"))
    ]


def card_end(contents: list[str], begin: int, stop: int) -> int:
    """The index of the plain ``END:VCARD`` line that ends the card at ``begin`` when only
    empty lines follow it before ``stop``; -1 when the card is not that plain."""
    e = stop - 1
    while e > begin and not contents[e]:
        e -= 1
    return e if e > begin and contents[e] == END else -1


def logical_lines(lines: list[str]) -> list[str]:
    """The unfolded lines of a card's body (whose first line does not start with a space or
    a tab), as :func:`~.syntax.unfold` reads them. Without blank lines, line ends after ``=``
    (a quoted-printable soft break) or base64 values, that is removing each line end followed
    by a space or a tab. (An odd blank line, ``"\x0b"``, stays: its card is left to the
    reference reader, as a line starts with a space.)"""
    if not lines:
        return []
    body = "\n".join(lines)
    if (
        "=\n" in body
        or "" in lines
        or (("64" in body or "=b" in body or "=B" in body) and _base64_said(body))
    ):
        return unfold_texts(lines)
    if "\n " in body or "\n\t" in body:
        return body.replace("\n ", "").replace("\n\t", "").split("\n")
    return lines


def _base64_said(body: str) -> bool:
    """Whether some line could ask for base64 continuation lines (see ``unfold``)."""
    up = body.upper()
    return "BASE64" in up or "ENCODING=B" in up


def unfold_texts(lines: list[str]) -> list[str]:
    """``[lg.text for lg in unfold(lines)]``, without the line numbers."""
    out: list[str] = []
    cur: str | None = None
    qp = b64 = False
    for c in lines:
        if cur is not None:
            if qp and cur[-1:] == "=" and c.strip().upper() not in CARD_EDGES:
                cur = cur[:-1] + c
                continue
            if c[:1] in (" ", "\t"):
                cur += c.strip() if b64 else c[1:]
                continue
            if b64 and c and B64_RE.fullmatch(c):
                cur += c
                continue
            out.append(cur)
        if not c.strip():
            cur = None
            qp = b64 = False
            continue
        cur = c
        if ";" in c:
            colon = c.find(":")
            h = (c if colon < 0 else c[:colon]).upper()  # prop_head(c)
            qp = "QUOTED-PRINTABLE" in h or "ENCODING=Q" in h
            b64 = "BASE64" in h or "ENCODING=B" in h
        else:
            qp = b64 = False
    if cur is not None:
        out.append(cur)
    return out


def read_card(
    contents: list[str], begin: int, end: int, source: str, pfx: str, heads: dict[str, Head]
) -> ParsedCard | None:
    """The card from ``contents[begin]`` (``BEGIN:VCARD``) to ``contents[end]``
    (``END:VCARD``), or None to leave it to the reference reader. ``pfx`` is the tag prefix
    stripped and lower-cased; ``heads`` (one per file) the property heads read so far."""
    lines = logical_lines(contents[begin + 1 : end])
    version = lines[0][8:].strip() if lines and lines[0][:8] == "VERSION:" else None
    f = Fields(pfx)
    add = f.add
    for s in lines:
        colon = s.find(":")
        head = heads.get(s[:colon]) if colon > 0 else None
        if head is None:
            head = _head(s, colon, heads)
            if head is None:
                return None  # spaces around a name, a line that is not a property...
        role, name, group, info, value_at = head
        raw = s[colon + 1 :] if value_at < 0 else s[value_at:]
        if role:
            if role == _SKIP:
                continue
            if role == _VERSION:
                if version is None:
                    version = raw.strip()
                continue
            if role == _EDGE:
                return None
            if raw.isascii() and "=" not in raw:
                continue  # not read, and nothing to decode that could fail
        if info[0] in QP or not raw.isascii():
            if version is None:
                return None
            try:
                raw = decode_value(raw, info[0], info[1], version, 0)
            except Unreadable:
                return None
        if not role:
            add(name, group, info, raw)
    return finish(Card(begin, end + 1), f, source)


def _head(line: str, colon: int, heads: dict[str, Head]) -> Head | None:
    """How the reference reader reads the head of ``line`` (the text before its first colon
    at ``colon``, kept in ``heads`` when it is the whole head); None to leave the card to it."""
    if colon <= 0 or line[0].isspace():
        return None
    text = line[:colon]
    if text.count('"') % 2:  # the first colon is quoted: read the line as a whole
        try:
            p = parse_prop_general(line, 0)
        except Unreadable:
            return None
        return (_role(p.name), p.name, p.group, info_of(p.params), len(line) - len(p.raw))
    m = HEAD_RE.match(line) if '"' not in text else None
    if m is not None:
        group, name, rest = m.groups()
        info = info_of(parse_params(rest)) if rest else NO_PARAMS
        name = name.upper()
        head = (_role(name), name, group.lower() if group else "", info, -1)
    else:  # quoted parameter values, spaces around the name: as the general parser reads it
        try:
            p = parse_prop_general(text + ":", 0)
        except Unreadable:
            return None
        head = (_role(p.name), p.name, p.group, info_of(p.params), -1)
    heads[text] = head
    return head

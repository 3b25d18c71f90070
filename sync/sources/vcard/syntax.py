"""The line syntax of a vCard, shared by the reader and the tag writer: physical lines and
their endings, unfolding (folded lines, quoted-printable soft line breaks, unindented base64
continuations), one property line split into group, name, parameters and raw value, and the
backslash escapes of values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SEP_RE = re.compile(r"(\r\n|\n|\r)")
_NAME_RE = re.compile(r"[A-Za-z0-9-]+")
_GROUP_RE = re.compile(r"[A-Za-z0-9-]*")
B64_RE = re.compile(r"[A-Za-z0-9+/=]+")
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT", "Q"}
CARD_EDGES = ("END:VCARD", "BEGIN:VCARD")
_ESC_RE = re.compile(r"\\([nN,;:\\])")
# A plain property head: optional group, name, parameters without quotes, then the colon.
HEAD_RE = re.compile(r"(?:([A-Za-z0-9-]*)\.)?([A-Za-z0-9-]+)((?:;[^\":]*)?):")


class Unreadable(Exception):
    """A card cannot be read: the message says why, ``line`` where (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Physical lines and their endings (``""`` for a last line without one)."""
    parts = _SEP_RE.split(text)
    contents = parts[0::2]
    endings = parts[1::2] + [""]
    return contents, endings


def physical_lines(text: str) -> list[str]:
    """The physical lines of ``text`` (``split_lines(text)[0]``), splitting on the one line
    ending a file uses without a regex when it uses only one."""
    if "\r" not in text:
        return text.split("\n")
    crlf = text.count("\r\n")
    if crlf == text.count("\r") == text.count("\n"):
        return text.split("\r\n")
    return split_lines(text)[0]


def prop_head(line: str) -> str:
    i = line.find(":")
    return (line if i < 0 else line[:i]).upper()


@dataclass(slots=True)
class Logical:
    first: int  # index of the first physical line
    stop: int  # index past the last physical line
    text: str  # unfolded


def unfold(contents: list[str], start: int = 0, stop: int | None = None) -> Iterator[Logical]:
    """Join folded lines (a leading space or tab), quoted-printable soft line breaks (a value
    ending in ``=``) and unindented base64 continuation lines (vCard 2.1). Blank lines vanish.
    ``start`` and ``stop`` read only ``contents[start:stop]`` (indices stay the list's)."""
    cur: Logical | None = None
    qp = b64 = False
    for i in range(start, len(contents) if stop is None else stop):
        c = contents[i]
        if cur is not None:
            if qp and cur.text.endswith("=") and c.strip().upper() not in CARD_EDGES:
                cur.text = cur.text[:-1] + c
                cur.stop = i + 1
                continue
            if c[:1] in (" ", "\t"):
                cur.text += c.strip() if b64 else c[1:]
                cur.stop = i + 1
                continue
            if b64 and c and B64_RE.fullmatch(c):
                cur.text += c
                cur.stop = i + 1
                continue
        if cur is not None:
            yield cur
        if not c.strip():
            cur = None
            qp = b64 = False
            continue
        cur = Logical(i, i + 1, c)
        if ";" in c:
            h = prop_head(c)
            qp = "QUOTED-PRINTABLE" in h or "ENCODING=Q" in h
            b64 = "BASE64" in h or "ENCODING=B" in h
        else:
            qp = b64 = False
    if cur is not None:
        yield cur


@dataclass(slots=True)
class Prop:
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


def parse_prop(text: str, line: int, memo: dict[str, dict[str, list[str]]] | None = None) -> Prop:
    """One property line: group, name, parameters and raw value (raises :class:`Unreadable`).

    Lines whose head (before the first colon) is a plain ``group.NAME;params`` without quotes
    or spaces around the name, nearly all of them, take one regex match; the rest go through
    :func:`parse_prop_general`, which gives the same result for these. ``memo`` (one per file)
    keeps the parameters of each parameter text seen, as they repeat from card to card."""
    m = HEAD_RE.match(text)
    if m is None:
        return parse_prop_general(text, line)
    group, name, rest = m.groups()
    if not rest:
        params: dict[str, list[str]] = {}
    elif memo is None:
        params = parse_params(rest)
    else:
        known = memo.get(rest)
        if known is None:
            known = memo[rest] = parse_params(rest)
        params = {k: v.copy() for k, v in known.items()}
    return Prop(group.lower() if group else "", name.upper(), params, text[m.end() :], line)


def parse_params(rest: str) -> dict[str, list[str]]:
    """The parameters of ``;a=b,c;d`` (no quotes), as :func:`parse_prop_general` reads them."""
    params: dict[str, list[str]] = {}
    for p in rest.split(";"):
        p = p.strip()
        if not p:
            continue
        if "=" in p:
            k, _, v = p.partition("=")
            key = k.strip().upper()
            vals = [x.strip() for x in v.split(",")]
        else:
            up = p.upper()
            key, vals = ("ENCODING", [up]) if up in _ENCODINGS else ("TYPE", [p])
        if key == "TYPE":
            vals = [x.lower() for x in vals if x]
        params.setdefault(key, []).extend(vals)
    return params


def parse_prop_general(text: str, line: int) -> Prop:
    """Any property line: quoted parameter values, spaces around the name, bad lines (raises
    :class:`Unreadable`). The reference :func:`parse_prop` must agree with."""
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
        raise Unreadable(line, f"not a vCard property line: {text[:40]!r}")
    head, value = text[:colon], text[colon + 1 :]
    parts = _split_unquoted(head, ";")
    group, _, name = parts[0].strip().rpartition(".")
    if not _NAME_RE.fullmatch(name) or not _GROUP_RE.fullmatch(group):
        raise Unreadable(line, f"not a vCard property line: {text[:40]!r}")
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
    return Prop(group.lower(), name.upper(), params, value, line)


def unescape(s: str) -> str:
    if "\\" not in s:
        return s
    return _ESC_RE.sub(_unescape_one, s)


def _unescape_one(m: re.Match[str]) -> str:
    ch = m.group(1)
    return "\n" if ch in "nN" else ch


def split_escaped(s: str, sep: str) -> list[str]:
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


def escape(s: str) -> str:
    return (
        s.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def value_colon(text: str) -> int:
    quoted = False
    for j, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return j
    return -1

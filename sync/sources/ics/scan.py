"""Splitting calendar text into VEVENT chunks and VTIMEZONE texts, without a full parse.

Boundaries and the properties the reader needs are found by regular expressions over the whole
text, not by a Python loop over every line: a file of tens of thousands of events is split in a
fraction of the time a full parse takes. Each chunk keeps the line numbers of its properties, so
a problem found later names the line. Nested components (VALARM) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple


class Line(NamedTuple):
    """One unfolded content line of an event, with the physical line it starts on (a tuple:
    a large calendar has hundreds of thousands, made four times faster than a dataclass)."""

    lineno: int
    name: str  # upper-cased property name
    text: str  # the whole unfolded content line


@dataclass
class Chunk:
    """One VEVENT as text: its own properties (not those of its VALARMs) with line numbers.

    The scan reads only the UID, times and rules of each event (``keys``: name and text, what
    the pre-scan judges by, without line numbers); the rest of its lines, and the key lines with
    their numbers, are read from its text when first asked for (:attr:`lines`,
    :attr:`key_lines`), so the events the pre-scan skips, most of a large calendar, cost less.
    """

    lineno: int
    keys: list[tuple[str, str]] = field(default_factory=list)  # (upper-cased name, text)
    uid: str | None = None
    recurring: bool = False  # RRULE / RDATE / EXRULE
    override: bool = False  # RECURRENCE-ID
    #: the text the lines are read from: (text, begin, end), nested components blanked
    source: tuple[str, int, int] = field(default=("", 0, 0), repr=False, compare=False)
    _lines: list[Line] | None = field(default=None, repr=False)
    _key_lines: list[Line] | None = field(default=None, repr=False)

    @property
    def key_lines(self) -> list[Line]:
        """The lines of :attr:`keys` with their line numbers (read on first use)."""
        if self._key_lines is None:
            text, begin, end = self.source
            self._key_lines = _prop_lines(text[begin:end], self.lineno, _KEY_RE)
        return self._key_lines

    @property
    def lines(self) -> list[Line]:
        """Every content line the reader needs, in order (read on first use)."""
        if self._lines is None:
            text, begin, end = self.source
            self._lines = _prop_lines(text[begin:end], self.lineno, _PROP_RE)
        return self._lines

    def first(self, name: str) -> Line | None:
        """The first line of property ``name`` (upper case), or None."""
        for line in self.key_lines if name in _KEY_NAMES else self.lines:
            if line.name == name:
                return line
        return None


@dataclass
class Scan:
    """A calendar text split up: its events, its time zones and what was wrong with its shape."""

    events: list[Chunk] = field(default_factory=list)
    timezones: dict[str, str] = field(default_factory=dict)  # TZID -> VTIMEZONE text
    x_wr_timezone: str | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)
    components: int = 0  # top-level components seen (VCALENDAR...)


_RECURRING = frozenset(("RRULE", "RDATE", "EXRULE"))
# Patterns of whole lines start with the newline before the line, not with ``^`` (re.M): a
# literal first character lets the regex engine skip ahead instead of trying every position,
# three times faster (:func:`_line_pattern` also makes the pattern for the text's first line).
_LinePattern = tuple[re.Pattern[str], re.Pattern[str]]


def _line_pattern(pattern: str, flags: int) -> _LinePattern:
    """``pattern`` at the start of a text, and after a newline (group 1 starts the line)."""
    return re.compile(pattern, flags), re.compile("\n" + pattern, flags)


_MARKER_RE = _line_pattern(r"(BEGIN|END):(VEVENT|VTIMEZONE)[ \t\r]*$", re.M | re.I)
_NESTED_RE = re.compile(r"^BEGIN:([A-Za-z0-9-]+)[ \t\r]*$.*?^END:\1[ \t\r]*$", re.M | re.S | re.I)
_WANTED_NAMES = (
    "DTSTART|DTEND|DURATION|RRULE|EXRULE|RDATE|EXDATE|RECURRENCE-ID|UID|SUMMARY|LOCATION|"
    "TRANSP|STATUS|ATTENDEE|ORGANIZER|X-NETWEAVE-ID|X-MICROSOFT-CDO-BUSYSTATUS"
)
# A wanted property at the start of a line, with its folded continuation lines.
_PROP_RE = _line_pattern(rf"(({_WANTED_NAMES})[;:][^\n]*(?:\n[ \t][^\n]*)*)", re.M | re.I)
# The same for the properties the pre-scan reads (and the UID, which groups events).
_KEYS = ("UID", "DTSTART", "DTEND", "DURATION", "RRULE", "EXRULE", "RDATE", "RECURRENCE-ID")
_KEY_NAMES = frozenset(_KEYS)
_KEY_RE = _line_pattern(rf"(({'|'.join(_KEYS)})[;:][^\n]*(?:\n[ \t][^\n]*)*)", re.M | re.I)
_FOLD_RE = re.compile(r"\r?\n[ \t]")
_X_WR_RE = _line_pattern(r"(X-WR-TIMEZONE[^:\n]*:([^\r\n]*))", re.M | re.I)
_TZID_RE = re.compile(r"^TZID[^:\n]*:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", re.M | re.I)


def scan_text(text: str) -> Scan:
    """Split a calendar into VEVENT chunks and VTIMEZONE texts, with line numbers.

    Boundaries and the properties the reader needs are found by regular expressions over the
    whole text (no Python loop over every line); nested components (VALARM) are left out.
    """
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")
    scan = Scan()
    scan.components = 1 if re.search(r"^BEGIN:", text, re.M | re.I) else 0
    line = 1
    pos = 0
    open_kind = ""
    open_end = open_line = 0
    event_spans: list[tuple[int, int]] = []
    for m in _line_matches(_MARKER_RE, text):
        line += text.count("\n", pos, m.start(1))
        pos = m.start(1)
        begin = m.group(1).upper() == "BEGIN"
        kind = m.group(2).upper()
        if begin:
            if open_kind == "VEVENT":
                chunk = _make_chunk(text, open_end, m.start(), open_line)
                scan.problems.append(
                    (open_line, f"skipped {uid_label(chunk)}: VEVENT has no END:VEVENT")
                )
            if open_kind != "VEVENT" or kind == "VEVENT":
                open_kind, open_end, open_line = kind, m.end(), line
            continue
        if kind != open_kind:
            continue  # a stray END, or a VTIMEZONE marker inside an event
        if kind == "VEVENT":
            scan.events.append(_make_chunk(text, open_end, m.start(), open_line))
            event_spans.append((open_end, m.start()))
        else:
            body = text[open_end : m.start()]
            tzid = _TZID_RE.search(body)
            if tzid is not None:
                name = _FOLD_RE.sub("", tzid.group(1)).strip()
                block = f"BEGIN:VTIMEZONE\r\n{body.strip()}\r\nEND:VTIMEZONE\r\n"
                scan.timezones.setdefault(name, block)
        open_kind = ""
    if open_kind == "VEVENT":
        chunk = _make_chunk(text, open_end, len(text), open_line)
        scan.problems.append(
            (open_line, f"skipped {uid_label(chunk)}: VEVENT has no END:VEVENT (file cut short?)")
        )
    for m in _line_matches(_X_WR_RE, text):
        if not any(a <= m.start(1) < b for a, b in event_spans):
            scan.x_wr_timezone = m.group(2).strip() or None
            break
    return scan


def _make_chunk(text: str, begin: int, end: int, lineno: int) -> Chunk:
    """The VEVENT whose BEGIN line is ``lineno`` and whose body is text[begin:end]."""
    body = text[begin:end]
    source = (text, begin, end)
    if "BEGIN:" in body.upper():  # blank out VALARMs etc., keeping the line count
        body = _NESTED_RE.sub(_blank, body)
        source = (body, 0, len(body))
    chunk = Chunk(lineno, _key_texts(body), source=source)
    for name, line_text in chunk.keys:
        if name == "UID":
            if chunk.uid is None:
                chunk.uid = line_text[line_text.find(":") + 1 :].strip()
        elif name in _RECURRING:
            chunk.recurring = True
        elif name == "RECURRENCE-ID":
            chunk.override = True
    return chunk


def _key_texts(body: str) -> list[tuple[str, str]]:
    """(upper-cased name, unfolded text) of the key lines of an event's body, in order: what
    :func:`_prop_lines` gives for ``_KEY_RE`` without the line numbers (found by ``findall``,
    with no match object per line)."""
    first, after_newline = _KEY_RE
    out: list[tuple[str, str]] = []
    m = first.match(body)
    found = after_newline.findall(body, m.end() if m is not None else 0)
    if m is not None:
        found.insert(0, m.group(1, 2))
    fold = _FOLD_RE.sub
    for raw, name in found:
        if "\n" in raw:
            raw = fold("", raw)
        out.append((name.upper(), raw.rstrip("\r")))
    return out


def _prop_lines(body: str, lineno: int, patterns: _LinePattern) -> list[Line]:
    """The content lines of ``patterns``' properties in an event's body (unfolded), with the
    line each starts on (the body's first line is ``lineno``)."""
    first, after_newline = patterns
    m = first.match(body)
    matches = after_newline.finditer(body, m.end() if m is not None else 0)
    lines: list[Line] = []
    line = lineno
    pos = 0
    count = body.count
    fold = _FOLD_RE.sub
    if m is not None:
        raw, name = m.group(1, 2)
        lines.append(Line(line, name.upper(), (fold("", raw) if "\n" in raw else raw).rstrip("\r")))
    for m in matches:  # a loop of its own, not a generator: hundreds of thousands of lines
        start = m.start(1)
        line += count("\n", pos, start)
        pos = start
        raw, name = m.group(1, 2)
        if "\n" in raw:
            raw = fold("", raw)
        lines.append(_new_line(Line, (line, name.upper(), raw.rstrip("\r"))))
    return lines


#: ``Line(a, b, c)`` without the Python-level ``__new__`` of a NamedTuple (one frame less per line)
_new_line = tuple.__new__


def _blank(m: re.Match[str]) -> str:
    """A nested component as as many empty lines as it had."""
    return "\n" * m.group(0).count("\n")


def _line_matches(patterns: _LinePattern, text: str) -> Iterator[re.Match[str]]:
    """The matches of a line pattern at every line start of ``text``, the first included."""
    first, after_newline = patterns
    m = first.match(text)
    if m is None:
        yield from after_newline.finditer(text)
    else:
        yield m
        yield from after_newline.finditer(text, m.end())


def uid_label(chunk: Chunk) -> str:
    """How problems name an event: by its UID, when it has one."""
    return f"UID {chunk.uid}" if chunk.uid else "event without UID"


# --------------------------------------------------------------------------- pre-scan

"""Content lines of iCalendar text and the values in them.

Unfolding lines (keeping the number of the physical line each starts on), splitting a line into
its parameters and value, and reading the value types the reader needs itself: date-times (as
text, see ``DT_RE``), durations and escaped TEXT. No time zones here: those are resolved per
file in :mod:`sync.sources.ics.zones`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

#: A DATE or DATE-TIME value: year, month, day, then hour, minute, second and a UTC ``Z``.
DT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:[Tt](\d{2})(\d{2})(\d{2})?([Zz])?)?")
_DURATION_RE = re.compile(
    r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", re.IGNORECASE
)
#: Longer durations are nonsense (and overflow date arithmetic near year 9999).
_MAX_DURATION = timedelta(days=3660)
_UNESCAPE_RE = re.compile(r"\\(.)")


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on."""
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")
    parts: list[str] = []
    first = 0
    for lineno, raw in enumerate(text.split("\n"), 1):
        if raw.endswith("\r"):
            raw = raw[:-1]
        if raw[:1] in (" ", "\t") and parts:
            parts.append(raw[1:])
            continue
        if parts:
            yield first, parts[0] if len(parts) == 1 else "".join(parts)
        parts = [raw] if raw.strip() else []
        first = lineno
    if parts:
        yield first, "".join(parts)


def name_of(line: str) -> str:
    """The upper-cased property name of a content line."""
    end = line.find(":")
    if end < 0:
        end = len(line)
    semi = line.find(";", 0, end)
    if semi >= 0:
        end = semi
    return line[:end].strip().upper()


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    """``text.split(sep)``, ignoring separators inside double quotes."""
    if '"' not in text:
        return text.split(sep)
    out: list[str] = []
    quoted = False
    begin = 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            out.append(text[begin:i])
            begin = i + 1
    out.append(text[begin:])
    return out


def split_prop(text: str, date_valued: bool = False) -> tuple[dict[str, str], str]:
    """Parameters (upper-cased names, unquoted values) and the raw value of a content line.

    Date-valued properties never have a colon in their value: when the first colon leaves one
    there, it belonged to an unquoted parameter (Outlook's ``TZID=(UTC-05:00) Eastern Time``)
    and the last colon separates the value.
    """
    if '"' not in text:
        colon = text.find(":")
    else:
        colon = -1
        quoted = False
        for i, ch in enumerate(text):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                colon = i
                break
    if colon < 0:
        raise ValueError(f"no ':' in content line {text[:60]!r}")
    if date_valued and ":" in text[colon + 1 :] and "=" in text[:colon]:
        colon = text.rfind(":")
    head, value = text[:colon], text[colon + 1 :]
    params: dict[str, str] = {}
    semi = head.find(";")
    if semi >= 0:
        for part in _split_outside_quotes(head[semi + 1 :], ";"):
            key, eq, val = part.partition("=")
            if eq:
                val = val.strip()
                if len(val) >= 2 and val[0] == '"' and val[-1] == '"':
                    val = val[1:-1]
                params[key.strip().upper()] = val
    return params, value


def unescape(value: str) -> str:
    """A TEXT value with its backslash escapes resolved (``\\n`` is a line break)."""
    if "\\" not in value:
        return value
    return _UNESCAPE_RE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse_duration(text: str) -> timedelta | None:
    """An iCalendar DURATION (``-PT15M``, ``P1W``), or None when malformed or absurdly long."""
    m = _DURATION_RE.fullmatch(text.strip())
    if m is None or not any(m.group(i) for i in range(2, 7)):
        return None
    weeks, days, hours, minutes, seconds = (int(m.group(i) or 0) for i in range(2, 7))
    try:
        delta = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        return None
    if delta > _MAX_DURATION:
        return None
    return -delta if m.group(1) == "-" else delta

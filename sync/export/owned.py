"""netweave's own events read back from iCalendar bytes, to see what the user did with them.

A small reader handles what netweave and ordinary clients write (IANA TZIDs, UTC, dates) in a
fraction of icalendar's time; anything else (custom VTIMEZONEs, odd encodings) goes to
icalendar. Pure functions, no I/O.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sync.export.attendees import accepted_attendees
from sync.export.render import MARKER
from sync.model import OwnedEvent

if TYPE_CHECKING:  # icalendar is imported where it is used: most reads need none
    import icalendar


def has_marker(data: bytes) -> bool:
    """Cheap test: does this iCalendar text carry netweave's marker on a line of its own?"""
    return _MARKER_LINE.search(data) is not None


_MARKER_LINE = re.compile(rb"(?:^|\n)" + MARKER.encode() + rb"[;:]", re.I)


def _as_datetime(value: date | datetime, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    return datetime.combine(value, time(0), tz)


def _text(component: icalendar.cal.Component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):  # repeated property: first one wins
        value = value[0]
    return str(value)


def owned_from_ical(
    data: bytes, href: str, etag: str, tz: tzinfo | None = None
) -> OwnedEvent | None:
    """The owned event stored in ``data``, or None if it carries no X-NETWEAVE-ID (not ours).

    ``tz`` is used for floating times or dates (a user may turn the event into an all-day one);
    UTC when not given. Raises ValueError when the marked event cannot be read (bad iCalendar,
    missing DTSTART): the caller reports it and must not treat the event as gone.

    A small reader handles what netweave and ordinary clients write (IANA TZIDs, UTC, dates) in
    a fraction of icalendar's time; anything else (custom VTIMEZONEs, odd encodings) goes to
    icalendar.
    """
    if not has_marker(data):
        return None
    zone = tz or UTC
    try:
        owned = _owned_fast(data, href, etag, zone)
    except _NeedFullParse:
        owned = _owned_full(data, href, etag, zone)
    guests = accepted_attendees(data)
    return replace(owned, accepted_by=guests) if owned is not None and guests else owned


class _NeedFullParse(Exception):
    """The fast reader met something it leaves to icalendar."""


_UNESCAPE = MappingProxyType({"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\"})
_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")


def _unescape(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append(_UNESCAPE.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split_line(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;P=V;P2="quoted:val":value -> (NAME, {P: V, ...}, value)."""
    in_quotes = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == ":" and not in_quotes:
            head, value = line[:i], line[i + 1 :]
            break
    else:
        raise _NeedFullParse(line)
    parts = head.split(";")
    params: dict[str, str] = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        if '"' in v and not (v.startswith('"') and v.endswith('"')):
            raise _NeedFullParse(line)  # a quoted ';' inside a parameter
        params[k.strip().upper()] = v.strip().strip('"')
    return parts[0].strip().upper(), params, value


def _fast_datetime(value: str, params: dict[str, str], zone: tzinfo) -> tuple[datetime, bool]:
    m = _DATE_TIME.match(value.strip())
    if m is None:
        raise _NeedFullParse(value)
    y, mo, d, hh, mm, ss, z = m.groups()
    if hh is None:
        return datetime(int(y), int(mo), int(d), tzinfo=zone), True
    naive = datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss))
    if z:
        return naive.replace(tzinfo=UTC), False
    tzid = params.get("TZID")
    if tzid is None:
        return naive.replace(tzinfo=zone), False
    try:
        return naive.replace(tzinfo=ZoneInfo(tzid)), False
    except (ValueError, KeyError, OSError):  # not an IANA name (e.g. Outlook's)
        raise _NeedFullParse(tzid) from None


#: A VEVENT's properties as the fast reader keeps them: name -> (parameters, raw value).
_Props = dict[str, tuple[dict[str, str], str]]


def _vevents(data: bytes, href: str) -> list[_Props]:
    """Every VEVENT's properties (the first of each name), checking BEGIN/END nest."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _NeedFullParse("encoding") from None
    text = re.sub(r"\r?\n[ \t]", "", text)
    stack: list[str] = []
    events: list[_Props] = []
    current: _Props | None = None
    for raw in text.split("\n"):  # not splitlines(): U+2028 and friends are text here
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        name, params, value = _split_line(raw)
        if name == "BEGIN":
            stack.append(value.strip().upper())
            if stack[-1] == "VEVENT":
                current = {}
                events.append(current)
            continue
        if name == "END":
            if not stack or stack[-1] != value.strip().upper():
                raise ValueError(f"{href}: END:{value} does not close {stack[-1:] or 'anything'}")
            stack.pop()
            continue
        if stack and stack[-1] == "VEVENT" and current is not None:
            current.setdefault(name, (params, value))
    if stack:
        raise ValueError(f"{href}: unterminated {stack[-1]}")
    return events


def _owned_fast(data: bytes, href: str, etag: str, zone: tzinfo) -> OwnedEvent | None:
    events = _vevents(data, href)
    marked = [e for e in events if MARKER in e]
    candidates = [e for e in marked if "RECURRENCE-ID" not in e] or marked
    if not candidates:
        return None
    ev = candidates[0]
    if "DTSTART" not in ev:
        raise ValueError(f"{href}: no DTSTART")
    start, is_date = _fast_datetime(ev["DTSTART"][1], ev["DTSTART"][0], zone)
    if "DTEND" in ev:
        end, _ = _fast_datetime(ev["DTEND"][1], ev["DTEND"][0], zone)
    elif "DURATION" in ev:
        try:
            from icalendar import vDuration

            end = start + vDuration.from_ical(ev["DURATION"][1].strip())
        except ValueError:
            raise _NeedFullParse("duration") from None
    else:
        end = start + timedelta(days=1) if is_date else start
    try:
        sequence = int(ev["SEQUENCE"][1].strip()) if "SEQUENCE" in ev else 0
    except ValueError:
        raise _NeedFullParse("sequence") from None

    def text_of(name: str) -> str:
        return _unescape(ev[name][1]) if name in ev else ""

    return OwnedEvent(
        nid=text_of(MARKER).strip(),
        href=href,
        etag=etag,
        start=start,
        end=end,
        title=text_of("SUMMARY"),
        location=text_of("LOCATION"),
        sequence=sequence,
        transparent=text_of("TRANSP").strip().upper() == "TRANSPARENT",
        has_guests="ATTENDEE" in ev,
    )


def _owned_full(data: bytes, href: str, etag: str, zone: tzinfo) -> OwnedEvent | None:
    import icalendar

    try:
        cal = icalendar.Calendar.from_ical(data)
        candidates = [
            c
            for c in cal.walk("VEVENT")
            if c.get(MARKER) is not None and c.get("recurrence-id") is None
        ] or [c for c in cal.walk("VEVENT") if c.get(MARKER) is not None]
        if not candidates:
            return None
        ev = candidates[0]
        nid = _text(ev, MARKER).strip()
        if "dtstart" not in ev:
            raise ValueError("no DTSTART")
        start = _as_datetime(ev.decoded("dtstart"), zone)
        if "dtend" in ev:
            end = _as_datetime(ev.decoded("dtend"), zone)
        elif "duration" in ev:
            end = start + ev.decoded("duration")
        elif isinstance(ev.decoded("dtstart"), datetime):
            end = start
        else:
            end = start + timedelta(days=1)
        sequence = int(ev.decoded("sequence")) if "sequence" in ev else 0
        transparent = _text(ev, "transp").strip().upper() == "TRANSPARENT"
        has_guests = ev.get("attendee") is not None
    except ValueError as exc:
        raise ValueError(f"{href}: {exc}") from exc
    except Exception as exc:  # icalendar raises assorted errors for malformed input
        raise ValueError(f"{href}: unreadable iCalendar ({exc})") from exc
    return OwnedEvent(
        nid=nid,
        href=href,
        etag=etag,
        start=start,
        end=end,
        title=_text(ev, "summary"),
        location=_text(ev, "location"),
        sequence=sequence,
        transparent=transparent,
        has_guests=has_guests,
    )


def etag_of(data: bytes) -> str:
    """A strong etag for stored bytes (quoted, as HTTP writes them)."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'

"""Planned events rendered as iCalendar bytes: one event per file, or the whole agenda.

Pure functions (no clock, no I/O). Stability is a requirement: the same plan renders
byte-identical output. So DTSTAMP is either given by the caller (the run time) or derived from
the content (a fixed epoch plus SEQUENCE seconds, so a newer revision still carries a newer
stamp), and the VTIMEZONE components come from :mod:`sync.export.vtimezone`.

Every event carries netweave's ownership marker (:data:`MARKER`, its value the event's uid).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sync.export.vtimezone import span_years, vtimezone, wall_time, zone_id
from sync.model import PlannedEvent

if TYPE_CHECKING:  # icalendar is imported where it is used
    import icalendar

PRODID = "-//netweave//netweave//EN"
#: The ownership marker (its value is the planned event's uid).
MARKER = "X-NETWEAVE-ID"
KIND_PROPERTY = "X-NETWEAVE-KIND"
#: DTSTAMP when the caller gives none: this epoch plus SEQUENCE seconds (deterministic).
DTSTAMP_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------------- text hygiene


def clean_text(text: str) -> str:
    """Text as iCalendar can carry it: CR/CRLF become LF, other control characters are dropped.

    RFC 5545 TEXT may not contain control characters other than HTAB (LF is escaped as ``\\n``).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROL)


@cache
def _text_type() -> type[icalendar.vText]:
    """icalendar's vText with TEXT escaped as RFC 5545 says: backslash first, then ``;`` ``,``
    and newline. icalendar's own escaping first turns a literal backslash-N into a newline, so
    such a text would not read back as written (and would look edited by the user)."""
    import icalendar

    class Text(icalendar.vText):
        def to_ical(self) -> bytes:
            text = str(self)
            text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            return text.replace("\n", "\\n").encode("utf-8")

    return Text


#: Control characters (C0 but LF and HTAB, DEL, C1) mapped to nothing, for str.translate.
_CONTROL = {c: None for c in (*range(32), *range(127, 160)) if chr(c) not in "\n\t"}


# --------------------------------------------------------------------------- rendering


def vevent(
    event: PlannedEvent,
    tz: ZoneInfo,
    sequence: int = 0,
    dtstamp: datetime | None = None,
    *,
    notes: str | None = None,
) -> icalendar.Event:
    """One VEVENT for a planned event, with netweave's ownership marker.

    Times are written in ``tz`` (the owner's zone, TZID=<IANA name>); UTC zones are written as
    UTC (``...Z``). ``dtstamp`` should be the run time; when None a content-derived value is used
    so that the output is stable.

    ``notes`` (events written into a calendar, not the agenda): the DESCRIPTION to write in place
    of the event's own (its text with the user's additions kept, see :mod:`.keep`); a hash of
    the event's own description is recorded so that the next rewrite can tell them apart.
    """
    import icalendar

    from sync.export.keep import NOTES_HASH, notes_hash

    start, end = wall_time(event.start, tz), wall_time(event.end, tz)
    if end <= start:
        raise ValueError(f"{event.uid}: end {event.end} is not after start {event.start}")
    if dtstamp is None:
        stamp = DTSTAMP_EPOCH + timedelta(seconds=sequence)
    else:
        stamp = (dtstamp if dtstamp.tzinfo else dtstamp.replace(tzinfo=UTC)).astimezone(UTC)
        stamp = stamp.replace(microsecond=0)
    ev = icalendar.Event()
    ev.add("uid", event.uid)
    ev.add(MARKER, event.uid)
    ev.add(KIND_PROPERTY, str(event.kind))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", start.replace(microsecond=0))
    ev.add("dtend", end.replace(microsecond=0))
    ev.add("summary", _text_type()(clean_text(event.title)))
    if event.location:
        ev.add("location", _text_type()(clean_text(event.location)))
    description = event.description if notes is None else notes
    if description:
        ev.add("description", _text_type()(clean_text(description)))
    if notes is not None:
        ev.add(NOTES_HASH, notes_hash(clean_text(event.description)))
    categories = [clean_text(c) for c in event.categories if c.strip()]
    if categories:
        ev.add("categories", categories)
    ev.add("class", "PRIVATE" if event.private else "PUBLIC")
    ev.add("transp", "TRANSPARENT" if event.transparent else "OPAQUE")
    ev.add("sequence", max(0, sequence))
    return ev


def _calendar(calendar_name: str | None, tz: ZoneInfo) -> icalendar.Calendar:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if calendar_name is not None:
        cal.add("x-wr-calname", clean_text(calendar_name))
        cal.add("x-wr-timezone", zone_id(tz) or "UTC")
    return cal


def fold_ascii(line: str) -> str:
    """An ASCII content line folded exactly as icalendar folds it, in slices instead of one
    character at a time: 74 octets a line, then a space and 74 more, and a backslash or ``^``
    (an escape) never left at the end of a line but moved to the next."""
    if len(line) <= 74:
        return line
    parts: list[str] = []
    start = 0
    while len(line) - start > 74:
        end = start + 74
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)


def ical_bytes(component: icalendar.cal.Component) -> bytes:
    """``component.to_ical()``, byte for byte, with ASCII lines folded by :func:`fold_ascii`
    (icalendar's folder looks at each character; it was half the time of an export)."""
    out: list[bytes] = []
    for line in component.content_lines():
        if not line:
            continue
        out.append(fold_ascii(line).encode("ascii") if line.isascii() else line.to_ical())
    return b"\r\n".join(out) + b"\r\n"


def event_to_ical(
    event: PlannedEvent,
    tz: ZoneInfo,
    sequence: int = 0,
    calendar_name: str | None = None,
    *,
    notes: str | None = None,
) -> bytes:
    """One VCALENDAR with the event and its VTIMEZONE: a vdir file or a CalDAV resource.

    ``notes``: see :func:`vevent` (given for events written into a calendar).
    """
    cal = _calendar(calendar_name, tz)
    event_lines = vevent(event, tz, sequence, notes=notes)
    return _assemble(cal, _zone_bytes(tz, span_years([event], tz)), [event_lines])


def rewrite_ical(old: bytes | None, event: PlannedEvent, tz: ZoneInfo, sequence: int = 0) -> bytes:
    """The calendar object for ``event`` written into a calendar: a new one (``old`` None), or
    ``old`` rewritten keeping everything the user added (:mod:`.keep`)."""
    from sync.export.keep import keep_in_calendar, merge_notes, owned_vevent, user_part

    description = clean_text(event.description)
    if old is None:
        return event_to_ical(event, tz, sequence, notes=description)
    stored = owned_vevent(old, MARKER)
    _keep, current, written = user_part(stored) if stored is not None else ([], "", None)
    notes = merge_notes(current, written, description)
    return keep_in_calendar(old, event_to_ical(event, tz, sequence, notes=notes), MARKER)


def rewrite_vevent(
    old: bytes | None, event: PlannedEvent, tz: ZoneInfo, sequence: int = 0
) -> bytes:
    """One VEVENT chunk (a single .ics file) for ``event``; ``old`` as in :func:`rewrite_ical`."""
    from sync.export.keep import keep_in_vevent, merge_notes, user_part

    description = clean_text(event.description)
    if old is None:
        return bytes(vevent(event, tz, sequence, notes=description).to_ical())
    _keep, current, written = user_part(old)
    notes = merge_notes(current, written, description)
    return keep_in_vevent(old, bytes(vevent(event, tz, sequence, notes=notes).to_ical()))


def calendar_to_ical(
    events: Sequence[PlannedEvent],
    tz: ZoneInfo,
    calendar_name: str,
    sequences: Mapping[str, int] | None = None,
) -> bytes:
    """The agenda export: every event, sorted by (start, uid), byte-identical for equal input."""
    seen: set[str] = set()
    for e in events:
        if e.uid in seen:
            raise ValueError(f"duplicate uid {e.uid} in export")
        seen.add(e.uid)
    cal = _calendar(calendar_name, tz)
    cal.add("method", "PUBLISH")
    seqs = sequences or {}
    ordered = sorted(events, key=lambda e: (e.start.astimezone(UTC), e.uid))
    return _assemble(
        cal,
        _zone_bytes(tz, span_years(events, tz)),
        [vevent(e, tz, seqs.get(e.uid, 0)) for e in ordered],
    )


def _zone_bytes(tz: ZoneInfo, years: tuple[int, int] | None) -> bytes:
    """The VTIMEZONE lines for ``tz`` over ``years`` (none for UTC or without events)."""
    if not zone_id(tz) or not years:
        return b""
    return _vtimezone_bytes(tz, *years)


@lru_cache(maxsize=64)
def _vtimezone_bytes(tz: ZoneInfo, first_year: int, last_year: int) -> bytes:
    """A VTIMEZONE rendered once (it depends only on the zone and the years), not per file."""
    return ical_bytes(vtimezone(tz, first_year, last_year))


_END_CALENDAR = b"END:VCALENDAR\r\n"


def _assemble(
    cal: icalendar.Calendar, zone: bytes, components: Sequence[icalendar.cal.Component]
) -> bytes:
    """``ical_bytes`` of ``cal`` with the VTIMEZONE and then ``components`` added, put
    together from the lines of each: a component's lines do not depend on its parent."""
    head = ical_bytes(cal)
    if not head.endswith(_END_CALENDAR):  # cannot happen: _calendar adds no component
        raise ValueError("a calendar with components of its own")
    return b"".join(
        [head[: -len(_END_CALENDAR)], zone, *(ical_bytes(c) for c in components), _END_CALENDAR]
    )

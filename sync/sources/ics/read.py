"""Reading one calendar text into model events, with problems that name file and line.

1. The text is split into VEVENT chunks with their line numbers (:mod:`.scan`); VTIMEZONEs are
   kept aside for every event of the file.
2. The pre-scan (:mod:`.prescan`) skips UID groups that surely lie outside the window.
3. Kept chunks are parsed (:mod:`.parse`); one bad chunk is reported as a
   :class:`~sync.model.Problem` with file, line and UID and the rest is read.
4. Non-recurring events become :class:`~sync.model.Event` directly; series (RRULE, RDATE,
   RECURRENCE-ID overrides) are expanded one UID at a time (:mod:`.expand`).

Every time is then read in the owner's zone; all-day events span midnight to midnight of their
days there. Zero-length events count when they sit inside the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sync.model import Event, Problem
from sync.sources.base import EventsResult
from sync.sources.ics.expand import series_occurrences
from sync.sources.ics.parse import BadEvent, Parsed, parse_chunk
from sync.sources.ics.prescan import PRESCAN_MARGIN, group_may_matter
from sync.sources.ics.scan import Chunk, scan_text, uid_label
from sync.sources.ics.zones import FileZones, ZoneCache


@dataclass
class _Reader:
    """State of reading one calendar text (one file, one vdir item, one server resource)."""

    source: str
    place: str
    owner: ZoneInfo
    start: datetime
    end: datetime
    cache: ZoneCache
    result: EventsResult = field(default_factory=EventsResult)

    def problem(self, message: str, lineno: int | None = None) -> None:
        """Report a problem at this text's place (and line)."""
        place = f"{self.place}:{lineno}" if lineno else self.place
        self.result.problems.append(Problem(self.source, message, place))

    def as_owner(self, value: date | datetime) -> datetime:
        """A time in the owner's zone; a date is its midnight there."""
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=self.owner)
            return value.astimezone(self.owner)
        return datetime.combine(value, time(), tzinfo=self.owner)

    def emit(
        self,
        parsed: Parsed,
        start: date | datetime,
        end: date | datetime,
        recurrence_id: date | datetime | None,
    ) -> None:
        """Add one occurrence as an Event when it overlaps the window."""
        s, e = self.as_owner(start), self.as_owner(end)
        if e < s:
            e = s
        if not (s < self.end and (e > self.start or (s == e and s >= self.start))):
            return
        self.result.events.append(
            Event(
                uid=parsed.uid,
                summary=parsed.summary,
                start=s,
                end=e,
                all_day=parsed.all_day,
                transparent=parsed.transparent,
                cancelled=parsed.cancelled,
                attendees=parsed.attendees,
                location=parsed.location,
                source=self.source,
                recurrence_id=self.as_owner(recurrence_id) if recurrence_id is not None else None,
                netweave_id=parsed.netweave_id,
                declined_by=parsed.declined_by,
                zone=_zone_of(start, self.owner),
                status=parsed.status,
            )
        )

    def read(self, text: str, prescan: bool) -> None:
        """Read every event of ``text`` that may reach into the window."""
        scan = scan_text(text)
        for lineno, message in scan.problems:
            self.problem(message, lineno)
        if not scan.events and scan.components == 0 and text.strip():
            self.problem("not an iCalendar file (no BEGIN:VCALENDAR or BEGIN:VEVENT)", 1)
            return
        zones = FileZones(scan, self.owner, self.cache)
        groups: dict[str, list[Chunk]] = {}
        for chunk in scan.events:
            key = chunk.uid if chunk.uid else f"\x00{chunk.lineno}"
            groups.setdefault(key, []).append(chunk)
        lo = (self.start.astimezone(UTC) - PRESCAN_MARGIN).replace(tzinfo=None)
        hi = (self.end.astimezone(UTC) + PRESCAN_MARGIN).replace(tzinfo=None)
        for chunks in groups.values():
            if prescan and not group_may_matter(chunks, lo, hi):
                continue
            parsed = self.parse_group(chunks, zones)
            if parsed:
                self.expand(parsed)
        self.result.problems.extend(zones.problems(self.source, self.place))

    def parse_group(self, chunks: list[Chunk], zones: FileZones) -> list[Parsed]:
        """The readable chunks of one UID group; the others and all warnings are reported."""
        parsed: list[Parsed] = []
        for chunk in chunks:
            try:
                item = parse_chunk(chunk, zones)
            except BadEvent as exc:
                self.problem(f"skipped {uid_label(chunk)}: {exc.message}", exc.lineno)
                continue
            except (OverflowError, ValueError) as exc:  # dates out of range and the like
                self.problem(f"skipped {uid_label(chunk)}: {exc}", chunk.lineno)
                continue
            for lineno, message in item.warnings:
                self.problem(f"{uid_label(chunk)}: {message}", lineno)
            parsed.append(item)
        return parsed

    def expand(self, group: list[Parsed]) -> None:
        """Emit the occurrences of one UID group: single events, a series, or lone overrides."""
        masters = [p for p in group if p.recurrence_id is None]
        overrides = [p for p in group if p.recurrence_id is not None]
        if not overrides and all(not p.rrules and not p.rdates for p in masters):
            for p in masters:  # the common case: single events (duplicates all count)
                self.emit(p, p.start, p.end, None)
            return
        if not masters:  # instances of a series we were not given: each stands alone
            for p in overrides:
                self.emit(p, p.start, p.end, p.recurrence_id)
            return
        for master in masters:  # duplicated masters: every copy counts
            try:
                self.expand_series(master, overrides)
            except Exception as exc:  # noqa: BLE001 - recurring-ical-events raises many kinds
                self.problem(
                    f"skipped UID {master.uid}: cannot expand its recurrence: {exc}",
                    master.chunk.lineno,
                )

    def expand_series(self, master: Parsed, overrides: list[Parsed]) -> None:
        """Emit the occurrences of one series in the window."""
        members = [master, *overrides]
        span = (self.start - PRESCAN_MARGIN, self.end + PRESCAN_MARGIN)
        for index, begin, finish in series_occurrences(members, *span):
            p = members[index]
            recurrence = p.recurrence_id if p.recurrence_id is not None else begin
            self.emit(p, begin, finish, recurrence)


def decode_calendar(data: bytes, source: str, place: str) -> tuple[str, list[Problem]]:
    """UTF-8 text of a calendar (BOM removed). Bad bytes become U+FFFD and are reported with
    the line of the first one."""
    try:
        text = data.decode("utf-8")
        problems: list[Problem] = []
    except UnicodeDecodeError as exc:
        lineno = data.count(b"\n", 0, exc.start) + 1
        text = data.decode("utf-8", errors="replace")
        problems = [
            Problem(
                source,
                "not valid UTF-8 (first bad byte here); undecodable characters replaced "
                "with U+FFFD — save the file as UTF-8 to fix names",
                f"{place}:{lineno}",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, problems


def parse_calendar_text(
    text: str,
    source: str,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    *,
    place: str | None = None,
    prescan: bool = True,
    zone_cache: ZoneCache | None = None,
) -> EventsResult:
    """Every event instance of an iCalendar text overlapping [start, end).

    ``source`` goes into each Event and Problem; ``place`` (default: ``source``) names the file
    or resource in Problems, followed by the line. ``prescan=False`` disables the cheap skipping
    of events far outside the window (for tests). ``zone_cache`` shares resolved VTIMEZONEs
    between the texts of one read. Zero-length events count when they sit inside the window.
    """
    if start.tzinfo is None:
        start = start.replace(tzinfo=tz)
    if end.tzinfo is None:
        end = end.replace(tzinfo=tz)
    reader = _Reader(
        source=source,
        place=place or source,
        owner=tz,
        start=start,
        end=end,
        cache=zone_cache or ZoneCache(),
    )
    reader.read(text, prescan)
    return reader.result


def parse_calendar_bytes(
    data: bytes,
    source: str,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    *,
    place: str | None = None,
    prescan: bool = True,
    zone_cache: ZoneCache | None = None,
) -> EventsResult:
    """:func:`parse_calendar_text` on raw bytes (see :func:`decode_calendar`)."""
    text, problems = decode_calendar(data, source, place or source)
    result = parse_calendar_text(
        text, source, tz, start, end, place=place, prescan=prescan, zone_cache=zone_cache
    )
    result.problems[:0] = problems
    return result


def _zone_of(start: date | datetime, owner: ZoneInfo) -> str:
    """The zone an event was written in when its clock differs from the owner's there (a
    trip to another zone); "" for the owner's zone, UTC, floating times and all-day events."""
    if not isinstance(start, datetime) or start.tzinfo is None or start.tzinfo is owner:
        return ""
    tz = start.tzinfo
    name = str(getattr(tz, "key", "") or start.tzname() or "")
    if not name or name.upper() in ("UTC", "Z", "GMT", "ETC/UTC", "ETC/GMT"):
        return ""
    if start.utcoffset() == start.astimezone(owner).utcoffset():
        return ""
    return name

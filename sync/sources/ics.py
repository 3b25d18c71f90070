"""Reading calendars from local files: one ``.ics`` file, or a vdir folder (one ``.ics`` per event).

The reader is built for real exports (Google, Outlook/Exchange, iCloud, Thunderbird, khal) and for
size (tens of thousands of events):

1. The text is split into VEVENT chunks with their line numbers, without a full parse. VTIMEZONEs
   are kept aside for every event of the file.
2. A cheap pre-scan reads each chunk's DTSTART/DTEND/DURATION/RRULE/RDATE/RECURRENCE-ID text and
   skips a whole UID group only when it surely ends before the window or starts after it (with a
   two-day margin, so any time zone reading of the times is covered). A rule's end is its UNTIL,
   or for COUNT a safe bound (COUNT periods of its FREQ, when every period surely holds an
   instance). Anything it cannot judge (an open-ended rule, a COUNT with BYxxx parts that may
   leave periods empty, a period, an odd value) is kept.
3. Kept chunks are parsed by a small content-line parser here; one bad chunk is reported as a
   :class:`~sync.model.Problem` with file, line and UID and the rest is read.
4. Non-recurring events become :class:`~sync.model.Event` directly. Recurring ones (RRULE, RDATE,
   RECURRENCE-ID overrides) are rebuilt as icalendar components with already resolved times and
   expanded with ``recurring-ical-events``, one UID at a time.

Time zones are resolved per file, never through icalendar's process-wide cache (two files may
define the same custom TZID differently): IANA names, Windows ids and display names
(:mod:`sync.tzmap`), vendor-prefixed ids, then the file's own VTIMEZONE (dateutil's ``tzical``),
then offset matching. An unknown TZID is read in the owner's zone and reported. ``X-WR-TIMEZONE``
is applied the way the ``x-wr-timezone`` package does (UTC and floating times move to that zone).
Floating times are in the owner's zone. All-day events span midnight to midnight of their days in
the owner's zone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sync import tzmap
from sync.model import Event, Problem
from sync.sources.base import EventsResult, SourceError

if TYPE_CHECKING:  # imported where used: a run served by the read cache never needs them
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

#: How far the pre-scan looks beyond the window: covers every UTC offset a time may be read in.
PRESCAN_MARGIN = timedelta(days=2)

_DT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:[Tt](\d{2})(\d{2})(\d{2})?([Zz])?)?")
_DURATION_RE = re.compile(
    r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", re.IGNORECASE
)
#: Longer durations are nonsense (and overflow date arithmetic near year 9999).
_MAX_DURATION = timedelta(days=3660)
_UNTIL_RE = re.compile(r"(?:^|;)\s*UNTIL\s*=\s*([0-9Tt]+[Zz]?)", re.IGNORECASE)
_UNESCAPE_RE = re.compile(r"\\(.)")
_DATE_PROPS = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE"})


class _BadEvent(Exception):
    """A VEVENT that cannot be read; carries the line of the offending property."""

    def __init__(self, lineno: int, message: str) -> None:
        super().__init__(message)
        self.lineno = lineno
        self.message = message


# --------------------------------------------------------------------------- text level


@dataclass(frozen=True)
class _Line:
    lineno: int
    name: str  # upper-cased property name
    text: str  # the whole unfolded content line


@dataclass
class _Chunk:
    """One VEVENT as text: its own properties (not those of its VALARMs) with line numbers."""

    lineno: int
    lines: list[_Line] = field(default_factory=list)
    uid: str | None = None
    recurring: bool = False  # RRULE / RDATE / EXRULE
    override: bool = False  # RECURRENCE-ID

    def first(self, name: str) -> _Line | None:
        for line in self.lines:
            if line.name == name:
                return line
        return None


@dataclass
class _Scan:
    events: list[_Chunk] = field(default_factory=list)
    timezones: dict[str, str] = field(default_factory=dict)  # TZID -> VTIMEZONE text
    x_wr_timezone: str | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)
    components: int = 0  # top-level components seen (VCALENDAR...)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
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


def _name_of(line: str) -> str:
    end = line.find(":")
    if end < 0:
        end = len(line)
    semi = line.find(";", 0, end)
    if semi >= 0:
        end = semi
    return line[:end].strip().upper()


def _split_outside_quotes(text: str, sep: str) -> list[str]:
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


def _split_prop(text: str, date_valued: bool = False) -> tuple[dict[str, str], str]:
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


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return _UNESCAPE_RE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


_MARKER_RE = re.compile(r"^(BEGIN|END):(VEVENT|VTIMEZONE)[ \t\r]*$", re.M | re.I)
_NESTED_RE = re.compile(r"^BEGIN:([A-Za-z0-9-]+)[ \t\r]*$.*?^END:\1[ \t\r]*$", re.M | re.S | re.I)
_WANTED_NAMES = (
    "DTSTART|DTEND|DURATION|RRULE|EXRULE|RDATE|EXDATE|RECURRENCE-ID|UID|SUMMARY|LOCATION|"
    "TRANSP|STATUS|ATTENDEE|ORGANIZER|X-NETWEAVE-ID|X-MICROSOFT-CDO-BUSYSTATUS"
)
# A wanted property at the start of a line, with its folded continuation lines.
_PROP_RE = re.compile(rf"^({_WANTED_NAMES})([;:][^\n]*(?:\n[ \t][^\n]*)*)", re.M | re.I)
_FOLD_RE = re.compile(r"\r?\n[ \t]")
_X_WR_RE = re.compile(r"^X-WR-TIMEZONE[^:\n]*:([^\r\n]*)", re.M | re.I)
_TZID_RE = re.compile(r"^TZID[^:\n]*:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", re.M | re.I)


def _scan(text: str) -> _Scan:
    """Split a calendar into VEVENT chunks and VTIMEZONE texts, with line numbers.

    Boundaries and the properties the reader needs are found by regular expressions over the
    whole text (no Python loop over every line); nested components (VALARM) are left out.
    """
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")
    scan = _Scan()
    scan.components = 1 if re.search(r"^BEGIN:", text, re.M | re.I) else 0
    line = 1
    pos = 0
    open_kind = ""
    open_end = open_line = 0
    event_spans: list[tuple[int, int]] = []
    for m in _MARKER_RE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        begin = m.group(1).upper() == "BEGIN"
        kind = m.group(2).upper()
        if begin:
            if open_kind == "VEVENT":
                chunk = _make_chunk(text, open_end, m.start(), open_line)
                scan.problems.append(
                    (open_line, f"skipped {_uid_label(chunk)}: VEVENT has no END:VEVENT")
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
            (open_line, f"skipped {_uid_label(chunk)}: VEVENT has no END:VEVENT (file cut short?)")
        )
    for m in _X_WR_RE.finditer(text):
        if not any(a <= m.start() < b for a, b in event_spans):
            scan.x_wr_timezone = m.group(1).strip() or None
            break
    return scan


def _make_chunk(text: str, begin: int, end: int, lineno: int) -> _Chunk:
    """The VEVENT whose BEGIN line is ``lineno`` and whose body is text[begin:end]."""
    chunk = _Chunk(lineno)
    body = text[begin:end]
    if "BEGIN:" in body.upper():  # blank out VALARMs etc., keeping the line count
        body = _NESTED_RE.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    line = lineno
    pos = 0
    for m in _PROP_RE.finditer(body):
        start = m.start()
        line += body.count("\n", pos, start)
        pos = start
        name = m.group(1).upper()
        raw = m.group(0)
        if "\n" in raw:
            raw = _FOLD_RE.sub("", raw)
        chunk.lines.append(_Line(line, name, raw.rstrip("\r")))
        if name == "UID":
            if chunk.uid is None:
                chunk.uid = raw[raw.find(":") + 1 :].strip()
        elif name in ("RRULE", "RDATE", "EXRULE"):
            chunk.recurring = True
        elif name == "RECURRENCE-ID":
            chunk.override = True
    return chunk


def _uid_label(chunk: _Chunk) -> str:
    return f"UID {chunk.uid}" if chunk.uid else "event without UID"


# --------------------------------------------------------------------------- pre-scan


def _quick_dt(value: str) -> datetime | None:
    """A naive datetime from a DATE or DATE-TIME text, read in no zone; None if odd."""
    m = _DT_RE.fullmatch(value.strip())
    if m is None:
        return None
    try:
        return datetime(
            int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
        )
    except ValueError:
        return None


def _quick_value(line: _Line) -> str:
    """The value of a date-valued line (dates have no colon; unquoted TZIDs may)."""
    return line.text[line.text.rfind(":") + 1 :]


def _chunk_bounds(chunk: _Chunk) -> tuple[datetime, datetime] | None:
    """Earliest start and latest end of anything this chunk can put on the calendar, as naive
    times in no particular zone; ``None`` when that cannot be judged cheaply."""
    dtstart = chunk.first("DTSTART")
    if dtstart is None:
        return None
    start = _quick_dt(_quick_value(dtstart))
    if start is None:
        return None
    is_date = len(_quick_value(dtstart).strip()) == 8 or "VALUE=DATE" in dtstart.text.upper()
    dtend = chunk.first("DTEND")
    duration_line = chunk.first("DURATION")
    if dtend is not None:
        end = _quick_dt(_quick_value(dtend))
        if end is None:
            return None
    elif duration_line is not None:
        dur = _parse_duration(duration_line.text[duration_line.text.find(":") + 1 :])
        if dur is None:
            return None
        end = start + dur
    else:
        end = start
    length = max(end - start, timedelta(days=1) if is_date else timedelta(0))
    lo, hi = start, start + length
    for line in chunk.lines:
        if line.name == "RRULE":
            rule = line.text[line.text.find(":") + 1 :]
            until = _UNTIL_RE.search(rule)
            last = _quick_dt(until.group(1)) if until is not None else _count_bound(rule, start)
            if last is None:
                return None  # open-ended, or a rule whose COUNT cannot be bounded cheaply
            hi = max(hi, last + length)
        elif line.name == "RDATE":
            if "PERIOD" in line.text.upper():
                return None
            for value in _quick_value(line).split(","):
                when = _quick_dt(value)
                if when is None:
                    return None
                lo, hi = min(lo, when), max(hi, when + length)
        elif line.name == "RECURRENCE-ID":
            if "THISANDFUTURE" in line.text.upper():
                return None
            when = _quick_dt(_quick_value(line))
            if when is None:
                return None
            lo, hi = min(lo, when), max(hi, when + length)
    return lo, hi


#: The longest period of each frequency, in wall-clock time (DST moves none of these).
_PERIOD = {
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(days=7),
    "MONTHLY": timedelta(days=31),
    "YEARLY": timedelta(days=366),
}
_WEEKDAY_RE = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_RULE_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "WKST", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY"}
    | {"BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "UNTIL"}
)


def _ints(text: str, low: int, high: int) -> list[int] | None:
    """A comma list of integers all within [low, high] (sign allowed), else None."""
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        return None
    return values if values and all(low <= abs(v) <= high for v in values) else None


def _every_period_has_one(freq: str, parts: dict[str, str], start: datetime) -> bool:
    """True when the rule surely yields an instance in every period of its FREQ (from the
    second one on: instances before DTSTART in the first period do not count).

    Only shapes where that is certain qualify; the rest (BYMONTH limiting a DAILY rule, the
    31st of the month, the fifth Friday, Feb 29, BYWEEKNO, BYYEARDAY, BYSETPOS beyond the first
    or last...) return False and the series is expanded.
    """
    by = {k: v for k, v in parts.items() if k.startswith("BY")}
    # Times of day expand within each day of the period: with valid values they add, never remove.
    for name, high in (("BYHOUR", 23), ("BYMINUTE", 59), ("BYSECOND", 59)):
        if name in by:
            values = _ints(by.pop(name), 0, high)
            if values is None or any(v < 0 for v in values):
                return False
    if "BYSETPOS" in by:  # the first or the last of a non-empty set always exists
        positions = _ints(by.pop("BYSETPOS"), 1, 366)
        if positions is None or not ({1, -1} & set(positions)):
            return False
    days: list[tuple[int | None, str]] = []
    if "BYDAY" in by:
        for item in by.pop("BYDAY").split(","):
            m = _WEEKDAY_RE.fullmatch(item.strip())
            if m is None:
                return False
            days.append((int(m[1]) if m[1] else None, m[2]))
    monthdays = _ints(by.pop("BYMONTHDAY"), 1, 28) if "BYMONTHDAY" in by else None
    if "BYMONTHDAY" in parts and monthdays is None:
        return False
    months = _ints(by.pop("BYMONTH"), 1, 12) if "BYMONTH" in by else None
    if "BYMONTH" in parts and (months is None or any(v < 0 for v in months)):
        return False
    if by:  # BYYEARDAY, BYWEEKNO: not judged here
        return False
    if freq == "DAILY":
        return not days and monthdays is None and months is None
    if freq == "WEEKLY":  # every week has every weekday
        return monthdays is None and months is None and all(n is None for n, _ in days)
    if freq == "MONTHLY":
        if months is not None or (days and monthdays is not None):
            return False  # BYMONTH, or BYDAY limiting BYMONTHDAY (Friday the 13th)
        if days:  # every month has at least four of each weekday
            return all(n is None or 1 <= abs(n) <= 4 for n, _ in days)
        return monthdays is not None or start.day <= 28
    if freq == "YEARLY":
        if days and monthdays is not None:
            return False
        if days:  # n-th weekday of the month (with BYMONTH) or of the year
            limit = 4 if months is not None else 52
            return all(n is None or 1 <= abs(n) <= limit for n, _ in days)
        if monthdays is not None:
            return True  # with or without BYMONTH: days 1-28 exist in every month
        return start.day <= 28 or (start.month != 2 and months is None)
    return False


def _count_bound(rule: str, start: datetime) -> datetime | None:
    """Latest start of any instance of a COUNT-limited rule from DTSTART ``start`` (naive, as
    written), or None when it cannot be bounded cheaply and surely.

    When every period of the rule's FREQ holds at least one instance, COUNT instances need at
    most COUNT periods after the one of DTSTART (which may hold none: its instances before
    DTSTART do not count), so none starts after DTSTART + (COUNT + 1) * INTERVAL * the longest
    period. EXDATEs only remove instances; RDATEs and overrides are bounded on their own.
    """
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        if not item.strip():
            continue  # "FREQ=WEEKLY;COUNT=5;"
        name, eq, value = item.partition("=")
        name = name.strip().upper()
        if not eq or name in parts or name not in _RULE_PARTS:
            return None
        parts[name] = value.strip().upper()
    freq = parts.get("FREQ")
    if freq not in _PERIOD or "COUNT" not in parts or "UNTIL" in parts:
        return None
    try:
        count = int(parts["COUNT"])
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return None
    if count < 1 or interval < 1 or count > 100_000 or interval > 10_000:
        return None
    if not _every_period_has_one(freq, parts, start):
        return None
    return start + (count + 1) * interval * _PERIOD[freq]


def _group_may_matter(chunks: list[_Chunk], lo: datetime, hi: datetime) -> bool:
    """False only if no chunk of this UID group can reach into [lo, hi] (naive UTC, margins
    already applied)."""
    for chunk in chunks:
        try:
            bounds = _chunk_bounds(chunk)
        except (OverflowError, ValueError):
            bounds = None
        if bounds is None or (bounds[1] >= lo and bounds[0] <= hi):
            return True
    return False


# --------------------------------------------------------------------------- values


def _parse_duration(text: str) -> timedelta | None:
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


class ZoneCache:
    """Resolved TZIDs shared by the files of one read (a vdir repeats the same VTIMEZONE in
    every file). Keyed by TZID and the VTIMEZONE text, so two different definitions of the same
    custom name never mix."""

    def __init__(self) -> None:
        self._zones: dict[tuple[str, str], tuple[tzinfo | None, str | None]] = {}

    def resolve(self, tzid: str, vtimezone: str | None) -> tuple[tzinfo | None, str | None]:
        """(zone or None, a note to report or None)."""
        key = (tzid, vtimezone or "")
        found = self._zones.get(key)
        if found is None:
            found = _resolve_tzid(tzid, vtimezone)
            self._zones[key] = found
        return found


def _resolve_tzid(tzid: str, vtimezone: str | None) -> tuple[tzinfo | None, str | None]:
    zone = tzmap.resolve_tz_name(tzid)
    if zone is not None:
        return zone, None
    if vtimezone is None:
        return None, None
    from dateutil.tz import tzical

    try:
        return tzical(StringIO(vtimezone)).get(), None
    except Exception:  # noqa: BLE001 - dateutil raises plain ValueError/KeyError/IndexError...
        pass
    # The VTIMEZONE is malformed: guess from its offsets.
    standard: timedelta | None = None
    daylight: timedelta | None = None
    std_month = dst_month = 0
    section = ""
    for _lineno, line in _logical_lines(vtimezone):
        name = _name_of(line)
        value = line[line.find(":") + 1 :].strip() if ":" in line else ""
        if name == "BEGIN":
            section = value.upper()
        elif name == "TZOFFSETTO":
            m = re.fullmatch(r"([+-])(\d{2})(\d{2})(\d{2})?", value)
            if m:
                off = timedelta(hours=int(m[2]), minutes=int(m[3]), seconds=int(m[4] or 0))
                off = -off if m[1] == "-" else off
                if section == "DAYLIGHT":
                    daylight = off
                else:
                    standard = off
        elif name == "DTSTART" and len(value) >= 6 and value[4:6].isdigit():
            if section == "DAYLIGHT":
                dst_month = int(value[4:6])
            else:
                std_month = int(value[4:6])
    if standard is None:
        return None, None
    northern = not (dst_month and std_month and dst_month > std_month)
    iana = tzmap.match_offsets(standard, daylight, northern=northern)
    note = f"TZID {tzid!r}: its VTIMEZONE is malformed; read as "
    if iana is not None:
        return ZoneInfo(iana), note + f"{iana} (same offsets)"
    return tzmap.resolve_tz_name(f"UTC{_fmt_offset(standard)}"), note + "a fixed offset"


def _fmt_offset(off: timedelta) -> str:
    minutes = int(off.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class _FileZones:
    """Time-zone resolution for one file."""

    def __init__(
        self,
        scan: _Scan,
        owner: ZoneInfo,
        cache: ZoneCache,
    ) -> None:
        self.owner = owner
        self.timezones = scan.timezones
        self.cache = cache
        self.unknown: dict[str, list[str]] = {}  # TZID -> UIDs read in the owner's zone
        self.notes: dict[str, str] = {}
        self.floating: tzinfo = owner
        self.walker: x_wr_timezone.UTCChangingWalker | None = None
        self.xwr_problem: str | None = None
        if scan.x_wr_timezone:
            zone, _note = cache.resolve(scan.x_wr_timezone, None)
            if zone is None:
                self.xwr_problem = (
                    f"X-WR-TIMEZONE {scan.x_wr_timezone!r} is not a time zone; ignored"
                )
            else:
                import x_wr_timezone

                self.floating = zone
                self.walker = x_wr_timezone.UTCChangingWalker(zone)

    def zone(self, tzid: str, uid: str) -> tzinfo:
        tzid = tzid.strip()
        zone, note = self.cache.resolve(tzid, self.timezones.get(tzid))
        if note:
            self.notes[tzid] = note
        if zone is None:
            self.unknown.setdefault(tzid, []).append(uid)
            return self.owner
        return zone

    def value(self, text: str, params: dict[str, str], uid: str) -> date | datetime:
        """A DATE (date) or DATE-TIME (aware datetime) value; ValueError if malformed."""
        raw = text.strip()
        m = _DT_RE.fullmatch(raw)
        if m is None:
            raise ValueError(f"not a date or date-time: {raw[:40]!r}")
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if m[4] is None or params.get("VALUE", "").upper() == "DATE":
            return date(year, month, day)
        naive = datetime(year, month, day, int(m[4]), int(m[5]), int(m[6] or 0))
        if m[7]:
            aware = naive.replace(tzinfo=UTC)
            return self.walker.walk_value_datetime(aware) if self.walker else aware
        tzid = params.get("TZID")
        if tzid:
            return naive.replace(tzinfo=self.zone(tzid, uid))
        return naive.replace(tzinfo=self.floating)

    def problems(self, source: str, place: str) -> list[Problem]:
        out: list[Problem] = []
        if self.xwr_problem:
            out.append(Problem(source, self.xwr_problem, place))
        for note in self.notes.values():
            out.append(Problem(source, note, place))
        for tzid, uids in self.unknown.items():
            listed = list(dict.fromkeys(uids))
            shown = ", ".join(listed[:3]) + (
                f" and {len(listed) - 3} more" if len(listed) > 3 else ""
            )
            out.append(
                Problem(
                    source,
                    f"unknown time zone TZID {tzid!r} (no VTIMEZONE) in UID {shown}: "
                    f"read in {self.owner.key}",
                    place,
                )
            )
        return out


# --------------------------------------------------------------------------- events


@dataclass
class _Parsed:
    """One VEVENT with resolved values."""

    chunk: _Chunk
    uid: str
    start: date | datetime
    end: date | datetime  # same type as start, never before it
    summary: str = ""
    location: str = ""
    transparent: bool = False
    cancelled: bool = False
    attendees: tuple[str, ...] = ()
    declined_by: tuple[str, ...] = ()
    netweave_id: str | None = None
    recurrence_id: date | datetime | None = None
    this_and_future: bool = False
    rrules: list[str] = field(default_factory=list)
    exrules: list[str] = field(default_factory=list)
    rdates: list[date | datetime | tuple[datetime, datetime]] = field(default_factory=list)
    exdates: list[date | datetime] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def length(self) -> timedelta:
        if isinstance(self.start, datetime) and isinstance(self.end, datetime):
            return self.end - self.start
        if not isinstance(self.start, datetime) and not isinstance(self.end, datetime):
            return self.end - self.start
        return timedelta(0)


def _email(value: str, params: dict[str, str]) -> str | None:
    value = value.strip()
    if value[:7].lower() == "mailto:":
        addr = value[7:].strip()
        if "@" in addr:
            return addr.lower()
    email = params.get("EMAIL", "").strip()
    if "@" in email:
        return email.lower()
    return None


def _synthetic_uid(chunk: _Chunk) -> str:
    text = "\n".join(line.text for line in chunk.lines)
    return "nouid-" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


def _parse_chunk(chunk: _Chunk, zones: _FileZones) -> _Parsed:
    uid = chunk.uid or _synthetic_uid(chunk)
    values: dict[str, tuple[_Line, dict[str, str], str]] = {}
    attendees: list[str] = []
    declined: list[str] = []
    p_rrules: list[str] = []
    p_exrules: list[str] = []
    rdate_lines: list[tuple[_Line, dict[str, str], str]] = []
    exdate_lines: list[tuple[_Line, dict[str, str], str]] = []
    for line in chunk.lines:
        name = line.name
        if name not in _WANTED:
            continue
        try:
            params, value = _split_prop(line.text, name in _DATE_PROPS)
        except ValueError as exc:
            if name in ("DTSTART", "DTEND", "DURATION", "RRULE", "RECURRENCE-ID"):
                raise _BadEvent(line.lineno, f"{name}: {exc}") from None
            continue
        if name in ("ATTENDEE", "ORGANIZER"):
            addr = _email(value, params)
            if addr:
                attendees.append(addr)
                if name == "ATTENDEE" and params.get("PARTSTAT", "").upper() == "DECLINED":
                    declined.append(addr)
        elif name == "RRULE":
            p_rrules.append("".join(value.split()))  # "BYDAY=MO, TU" is seen in the wild
        elif name == "EXRULE":
            p_exrules.append("".join(value.split()))
        elif name == "RDATE":
            rdate_lines.append((line, params, value))
        elif name == "EXDATE":
            exdate_lines.append((line, params, value))
        else:
            values.setdefault(name, (line, params, value))

    def get_dt(name: str) -> date | datetime | None:
        item = values.get(name)
        if item is None:
            return None
        line, params, value = item
        try:
            return zones.value(value, params, uid)
        except ValueError as exc:
            raise _BadEvent(line.lineno, f"bad {name}: {exc}") from None

    start = get_dt("DTSTART")
    if start is None:
        raise _BadEvent(chunk.lineno, "no DTSTART")
    parsed = _Parsed(chunk=chunk, uid=uid, start=start, end=start)
    parsed.end = _end_of(parsed, get_dt("DTEND"), values)
    parsed.recurrence_id = get_dt("RECURRENCE-ID")
    if parsed.recurrence_id is not None:
        rid_params = values["RECURRENCE-ID"][1]
        parsed.this_and_future = rid_params.get("RANGE", "").upper() == "THISANDFUTURE"

    def text(name: str) -> str:
        item = values.get(name)
        return _unescape(item[2]).strip() if item else ""

    parsed.summary = text("SUMMARY")
    parsed.location = text("LOCATION")
    transp = text("TRANSP").upper()
    busy_status = text("X-MICROSOFT-CDO-BUSYSTATUS").upper()
    parsed.transparent = transp == "TRANSPARENT" or (not transp and busy_status == "FREE")
    parsed.cancelled = text("STATUS").upper() == "CANCELLED"
    parsed.attendees = tuple(dict.fromkeys(attendees))
    parsed.declined_by = tuple(dict.fromkeys(declined))
    parsed.netweave_id = text("X-NETWEAVE-ID") or None
    if p_rrules or p_exrules:
        from icalendar.prop import vRecur
    for rule in p_rrules + p_exrules:
        try:
            vRecur.from_ical(rule)
        except (ValueError, TypeError, KeyError) as exc:
            line = next(li for li in chunk.lines if li.name in ("RRULE", "EXRULE"))
            raise _BadEvent(line.lineno, f"bad recurrence rule {rule[:60]!r}: {exc}") from None
    parsed.rrules = p_rrules
    parsed.exrules = p_exrules
    for line, params, value in rdate_lines:
        period = params.get("VALUE", "").upper() == "PERIOD"
        for item in value.split(","):
            if not item.strip():
                continue
            try:
                parsed.rdates.append(_rdate(zones, item, params, uid, period))
            except ValueError as exc:
                parsed.warnings.append((line.lineno, f"RDATE value ignored: {exc}"))
    for line, params, value in exdate_lines:
        for item in value.split(","):
            if not item.strip():
                continue
            try:
                parsed.exdates.append(zones.value(item, params, uid))
            except ValueError as exc:
                parsed.warnings.append((line.lineno, f"EXDATE value ignored: {exc}"))
    return parsed


_WANTED = frozenset(
    {
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "EXRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "SUMMARY",
        "LOCATION",
        "TRANSP",
        "STATUS",
        "ATTENDEE",
        "ORGANIZER",
        "X-NETWEAVE-ID",
        "X-MICROSOFT-CDO-BUSYSTATUS",
    }
)


def _rdate(
    zones: _FileZones, item: str, params: dict[str, str], uid: str, period: bool
) -> date | datetime | tuple[datetime, datetime]:
    if not period and "/" not in item:
        return zones.value(item, params, uid)
    first, _slash, second = item.partition("/")
    begin = zones.value(first, params, uid)
    if not isinstance(begin, datetime):
        return begin  # "20240101/20240102": a day, read as an instance of the event
    dur = _parse_duration(second)
    if dur is not None:
        return begin, begin + dur
    finish = zones.value(second, params, uid)
    if not isinstance(finish, datetime) or finish < begin:
        raise ValueError(f"bad period end: {item[:40]!r}")
    return begin, finish


def _end_of(
    parsed: _Parsed,
    dtend: date | datetime | None,
    values: dict[str, tuple[_Line, dict[str, str], str]],
) -> date | datetime:
    """DTEND, else DTSTART + DURATION, else the default; same type as DTSTART, never before it."""
    start = parsed.start
    if dtend is None and "DURATION" in values:
        line, _params, text = values["DURATION"]
        dur = _parse_duration(text)
        if dur is None:
            raise _BadEvent(line.lineno, f"bad DURATION {text.strip()[:40]!r}")
        if isinstance(start, datetime):
            dtend = start + dur
        elif dur.seconds or dur.microseconds:
            # A date with a time-of-day duration: whole days it touches.
            dtend = start + timedelta(days=max(1, -(-dur.total_seconds() // 86400)))
        else:
            dtend = start + dur
    if isinstance(start, datetime):
        if dtend is None:
            return start
        if not isinstance(dtend, datetime):
            lineno = values["DTEND"][0].lineno
            parsed.warnings.append((lineno, "DTEND is a date but DTSTART a date-time"))
            dtend = datetime.combine(dtend, time(), tzinfo=start.tzinfo)
        if dtend < start:
            lineno = values["DTEND"][0].lineno if "DTEND" in values else parsed.chunk.lineno
            parsed.warnings.append((lineno, "event ends before it starts; read as zero length"))
            return start
        return dtend
    # All-day.
    if isinstance(dtend, datetime):
        lineno = values["DTEND"][0].lineno
        parsed.warnings.append((lineno, "DTEND is a date-time but DTSTART a date"))
        dtend = dtend.date()
    if dtend is None or dtend <= start:
        return start + timedelta(days=1)
    return dtend


# --------------------------------------------------------------------------- the parse


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
        place = f"{self.place}:{lineno}" if lineno else self.place
        self.result.problems.append(Problem(self.source, message, place))

    def as_owner(self, value: date | datetime) -> datetime:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=self.owner)
            return value.astimezone(self.owner)
        return datetime.combine(value, time(), tzinfo=self.owner)

    def emit(
        self,
        parsed: _Parsed,
        start: date | datetime,
        end: date | datetime,
        recurrence_id: date | datetime | None,
    ) -> None:
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
            )
        )

    def read(self, text: str, prescan: bool) -> None:
        scan = _scan(text)
        for lineno, message in scan.problems:
            self.problem(message, lineno)
        if not scan.events and scan.components == 0 and text.strip():
            self.problem("not an iCalendar file (no BEGIN:VCALENDAR or BEGIN:VEVENT)", 1)
            return
        zones = _FileZones(scan, self.owner, self.cache)
        groups: dict[str, list[_Chunk]] = {}
        for chunk in scan.events:
            key = chunk.uid if chunk.uid else f"\x00{chunk.lineno}"
            groups.setdefault(key, []).append(chunk)
        lo = (self.start.astimezone(UTC) - PRESCAN_MARGIN).replace(tzinfo=None)
        hi = (self.end.astimezone(UTC) + PRESCAN_MARGIN).replace(tzinfo=None)
        for chunks in groups.values():
            if prescan and not _group_may_matter(chunks, lo, hi):
                continue
            parsed: list[_Parsed] = []
            for chunk in chunks:
                try:
                    item = _parse_chunk(chunk, zones)
                except _BadEvent as exc:
                    self.problem(f"skipped {_uid_label(chunk)}: {exc.message}", exc.lineno)
                    continue
                except (OverflowError, ValueError) as exc:  # dates out of range and the like
                    self.problem(f"skipped {_uid_label(chunk)}: {exc}", chunk.lineno)
                    continue
                for lineno, message in item.warnings:
                    self.problem(f"{_uid_label(chunk)}: {message}", lineno)
                parsed.append(item)
            if parsed:
                self.expand(parsed)
        self.result.problems.extend(zones.problems(self.source, self.place))

    def expand(self, group: list[_Parsed]) -> None:
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

    def expand_series(self, master: _Parsed, overrides: list[_Parsed]) -> None:
        import icalendar
        import recurring_ical_events

        members = [master, *overrides]
        calendar = icalendar.Calendar()
        for index, p in enumerate(members):
            calendar.add_component(_component(p, index))
        query = recurring_ical_events.of(calendar)
        span = (self.start - PRESCAN_MARGIN, self.end + PRESCAN_MARGIN)
        for index, begin, finish in _occurrences(query, *span):
            p = members[index]
            recurrence = p.recurrence_id if p.recurrence_id is not None else begin
            self.emit(p, begin, finish, recurrence)


def _occurrences(
    query: recurring_ical_events.CalendarQuery, start: datetime, end: datetime
) -> Iterator[tuple[int, date | datetime, date | datetime]]:
    """(member index, start, end) of each occurrence between start and end.

    recurring-ical-events copies a whole component per occurrence in its public API, which is
    three quarters of the cost of a long series; its occurrence objects carry all we need. Use
    them when this version has them, else the public API.
    """
    between = getattr(query, "_occurrences_between", None)
    if between is not None:
        found = between(start, end)
        try:
            rows = [(int(o._adapter._component["X-NETWEAVE-INDEX"]), o.start, o.end) for o in found]
        except (AttributeError, KeyError, TypeError):
            rows = None
        if rows is not None:
            yield from rows
            return
    for occurrence in query.between(start, end):
        begin = occurrence["DTSTART"].dt
        finish = occurrence["DTEND"].dt if "DTEND" in occurrence else begin
        yield int(occurrence["X-NETWEAVE-INDEX"]), begin, finish


def _component(p: _Parsed, index: int) -> icalendar.Event:
    """An icalendar VEVENT with already resolved times, for recurring-ical-events."""
    import icalendar
    from icalendar.prop import vRecur

    comp = icalendar.Event()
    comp.add("UID", p.uid)
    comp.add("DTSTART", p.start)
    comp.add("DTEND", p.end)
    for rule in p.rrules:
        comp.add("RRULE", vRecur.from_ical(rule))
    for rule in p.exrules:
        comp.add("EXRULE", vRecur.from_ical(rule))
    if p.rdates:
        comp.add("RDATE", p.rdates)
    if p.exdates:
        comp.add("EXDATE", p.exdates)
    if p.recurrence_id is not None:
        params = {"RANGE": "THISANDFUTURE"} if p.this_and_future else {}
        comp.add("RECURRENCE-ID", p.recurrence_id, parameters=params)
    comp.add("X-NETWEAVE-INDEX", str(index))
    return comp


# --------------------------------------------------------------------------- public API


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


class IcsFileCalendar:
    """A calendar kept in one ``.ics`` file (an export, a subscribed feed saved to disk)."""

    def __init__(self, name: str, path: Path, tz: ZoneInfo) -> None:
        self.name = name
        self.path = Path(path)
        self.tz = tz

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {str(self.path)!r})"

    def read(self, start: datetime, end: datetime) -> EventsResult:
        return self._parse(self._read_bytes(), start, end)

    def _read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise SourceError(
                self.name,
                f"{self.path} does not exist: check calendars[].path in the config "
                "(relative paths are relative to the config file)",
            ) from None
        except IsADirectoryError:
            raise SourceError(
                self.name, f'{self.path} is a folder: use type = "vdir" for a folder of .ics files'
            ) from None
        except OSError as exc:
            raise SourceError(
                self.name, f"cannot read {self.path}: {exc.strerror or exc}; check its permissions"
            ) from None

    def _parse(self, data: bytes, start: datetime, end: datetime) -> EventsResult:
        return parse_calendar_bytes(data, self.name, self.tz, start, end, place=str(self.path))


class VdirCalendar:
    """A folder with one ``.ics`` file per event, as vdirsyncer and khal keep them."""

    suffix = ".ics"

    def __init__(self, name: str, path: Path, tz: ZoneInfo) -> None:
        self.name = name
        self.path = Path(path)
        self.tz = tz

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {str(self.path)!r})"

    def item_paths(self) -> list[Path]:
        """The item files, sorted; hidden and temporary files are not items."""
        if not self.path.exists():
            raise SourceError(
                self.name,
                f"{self.path} does not exist: check calendars[].path in the config "
                "(for vdirsyncer/khal, the folder of one calendar)",
            )
        if not self.path.is_dir():
            raise SourceError(
                self.name, f'{self.path} is not a folder: use type = "ics" for a single file'
            )
        try:
            entries = list(self.path.iterdir())
        except OSError as exc:
            raise SourceError(
                self.name, f"cannot list {self.path}: {exc.strerror or exc}; check its permissions"
            ) from None
        return sorted(
            p
            for p in entries
            if p.name.endswith(self.suffix) and not p.name.startswith(".") and p.is_file()
        )

    def read(self, start: datetime, end: datetime) -> EventsResult:
        result = EventsResult()
        cache = ZoneCache()
        for item in self.item_paths():
            try:
                data = self._read_item(item)
            except OSError as exc:
                result.problems.append(
                    Problem(self.name, f"cannot read item: {exc.strerror or exc}", str(item))
                )
                continue
            part = self._parse_item(data, item, start, end, cache)
            result.events.extend(part.events)
            result.problems.extend(part.problems)
        return result

    def _read_item(self, item: Path) -> bytes:
        return item.read_bytes()

    def _parse_item(
        self, data: bytes, item: Path, start: datetime, end: datetime, cache: ZoneCache
    ) -> EventsResult:
        return parse_calendar_bytes(
            data, self.name, self.tz, start, end, place=str(item), zone_cache=cache
        )

"""iCalendar rendering of planned events, the .ics agenda export, and reading owned events back.

Pure functions (no clock, no I/O) except :func:`write_atomic`.

Stability is a requirement: the same plan renders byte-identical output. So DTSTAMP is either
given by the caller (the run time) or derived from the content (a fixed epoch plus SEQUENCE
seconds, so a newer revision still carries a newer stamp), and VTIMEZONE components are generated
here from the IANA zone for the years the events span (not for "now").

VTIMEZONE: icalendar's ``Timezone.from_tzinfo`` lists every transition as one long RDATE list,
which vobject (and so Radicale and khal) misreads (it keeps only the first date and then
computes wrong offsets). :func:`vtimezone` instead writes the usual RRULE form
(``FREQ=YEARLY;BYMONTH=3;BYDAY=2SU``) whenever the transitions follow a yearly weekday rule, and
one observance per transition otherwise. Every client we know reads both.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sync.model import PlannedEvent
from sync.sources.base import OwnedEvent, SourceError

if TYPE_CHECKING:  # icalendar is imported where it is used: reading owned events needs none
    import icalendar

PRODID = "-//netweave//netweave//EN"
#: The ownership marker (its value is the planned event's uid).
MARKER = "X-NETWEAVE-ID"
KIND_PROPERTY = "X-NETWEAVE-KIND"
#: DTSTAMP when the caller gives none: this epoch plus SEQUENCE seconds (deterministic).
DTSTAMP_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


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


def _zone_id(tz: tzinfo) -> str | None:
    """The TZID to write for ``tz``, or None when times are best written in UTC."""
    key = getattr(tz, "key", None)
    if not key or key in ("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "GMT", "Etc/GMT"):
        return None
    return str(key)


def _local(dt: datetime, tz: tzinfo) -> datetime:
    """``dt`` as written: wall time in ``tz``, or UTC for a UTC zone and for the repeated hour
    when the clocks go back (a wall time there is ambiguous; RFC 5545 readers take the first
    occurrence, vobject the second, so only UTC says which one is meant)."""
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt.isoformat()}: planned events must be tz-aware")
    if not _zone_id(tz):
        return dt.astimezone(UTC)
    local = dt.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return dt.astimezone(UTC)
    return local


# --------------------------------------------------------------------------- VTIMEZONE


@dataclass(frozen=True)
class _Transition:
    at: datetime  # UTC instant
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def onset(self) -> datetime:
        """Local wall time of the transition in the offset before it (naive), per RFC 5545."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _transitions(tz: tzinfo, first: datetime, last: datetime) -> list[_Transition]:
    """Offset changes of ``tz`` in [first, last) (UTC): probe every 3 days, then bisect."""
    found: list[_Transition] = []
    step = timedelta(days=3)  # no zone changes its offset twice within 3 days
    t0 = first
    off0 = t0.astimezone(tz).utcoffset()
    while t0 < last:
        t1 = min(t0 + step, last)
        off1 = t1.astimezone(tz).utcoffset()
        if off1 != off0:
            lo, hi = t0, t1
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid.astimezone(tz).utcoffset() == off0:
                    lo = mid
                else:
                    hi = mid
            local = hi.astimezone(tz)
            dst = local.dst()
            assert off0 is not None and off1 is not None
            found.append(
                _Transition(
                    at=hi,
                    offset_from=off0,
                    offset_to=local.utcoffset() or off1,
                    name=local.tzname() or "",
                    daylight=bool(dst and dst > timedelta(0)),
                )
            )
            off0 = local.utcoffset()
        t0 = t1
    return found


def _byday(day: datetime) -> tuple[str, str]:
    """(nth weekday from the start, nth from the end) of a date, e.g. ("2SU", "-4SU")."""
    wd = _WEEKDAYS[day.weekday()]
    nth = (day.day - 1) // 7 + 1
    next_month = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    days_left = (next_month - timedelta(days=1)).day - day.day
    return f"{nth}{wd}", f"-{days_left // 7 + 1}{wd}"


def _yearly_rule(onsets: Sequence[datetime]) -> str | None:
    """A BYDAY value (``2SU``, ``-1SU``) if the onsets are one a year on a weekday rule."""
    first = onsets[0]
    for i, o in enumerate(onsets):
        if o.year != first.year + i or o.month != first.month or o.time() != first.time():
            return None
    forward = {_byday(o)[0] for o in onsets}
    if len(forward) == 1 and not next(iter(forward)).startswith("5"):
        return forward.pop()
    backward = {_byday(o)[1] for o in onsets}
    if len(backward) == 1 and next(iter(backward)).startswith("-1"):
        return backward.pop()
    return None


def _observance(
    daylight: bool, start: datetime, offset_from: timedelta, offset_to: timedelta, name: str
) -> icalendar.cal.Component:
    import icalendar

    comp: icalendar.cal.Component = (
        icalendar.TimezoneDaylight() if daylight else icalendar.TimezoneStandard()
    )
    comp.add("dtstart", start)
    if name:
        comp.add("tzname", name)
    comp.add("tzoffsetfrom", offset_from)
    comp.add("tzoffsetto", offset_to)
    return comp


def vtimezone(tz: tzinfo, first_year: int, last_year: int) -> icalendar.Timezone:
    """A VTIMEZONE for ``tz`` valid from Jan 1 of ``first_year`` to the end of ``last_year``.

    Deterministic: depends only on the zone data and the years.
    """
    import icalendar

    tzid = _zone_id(tz)
    if tzid is None:
        raise ValueError("UTC needs no VTIMEZONE")
    first = datetime(first_year, 1, 1, tzinfo=tz).astimezone(UTC)
    last = datetime(min(last_year, 9998) + 1, 1, 1, tzinfo=tz).astimezone(UTC)
    out = icalendar.Timezone()
    out.add("tzid", tzid)
    start_local = first.astimezone(tz)
    offset0 = start_local.utcoffset() or timedelta(0)
    dst0 = start_local.dst()
    out.add_component(
        _observance(
            bool(dst0 and dst0 > timedelta(0)),
            start_local.replace(tzinfo=None),
            offset0,
            offset0,
            start_local.tzname() or "",
        )
    )
    groups: dict[tuple[timedelta, timedelta, str, bool], list[_Transition]] = {}
    transitions = _transitions(tz, first, last)
    for tr in transitions:
        groups.setdefault((tr.offset_from, tr.offset_to, tr.name, tr.daylight), []).append(tr)
    last_seen_year = transitions[-1].onset.year if transitions else 0
    for (off_from, off_to, name, daylight), trs in groups.items():
        onsets = [t.onset for t in trs]
        byday = _yearly_rule(onsets)
        if byday is None:
            for onset in onsets:
                out.add_component(_observance(daylight, onset, off_from, off_to, name))
            continue
        obs = _observance(daylight, onsets[0], off_from, off_to, name)
        rule: dict[str, object] = {"freq": "YEARLY", "bymonth": onsets[0].month, "byday": byday}
        if onsets[-1].year < last_seen_year:
            # The rule stopped inside the window: bound it (times in UTC, RFC 5545 3.3.10).
            rule["until"] = trs[-1].at
        obs.add("rrule", rule)
        out.add_component(obs)
    return out


#: VTIMEZONEs start here (or earlier, for older events), whatever years the events span: a
#: client that caches a zone by its TZID (vobject does, process-wide) then gets the same rules
#: from every file, instead of rules that begin in the year of whichever file it read first.
#: Not earlier: dateutil's tzical (vobject's reader) misreads a zone whose rules changed inside
#: the VTIMEZONE (the US in 2007), so it stays after the last change of most zones.
VTIMEZONE_FIRST_YEAR = 2020


def _years(events: Iterable[PlannedEvent], tz: tzinfo) -> tuple[int, int] | None:
    years = [y for e in events for y in (_local(e.start, tz).year, _local(e.end, tz).year)]
    if not years:
        return None
    return min(min(years), VTIMEZONE_FIRST_YEAR), max(years) + 1


# --------------------------------------------------------------------------- rendering


def vevent(
    event: PlannedEvent, tz: ZoneInfo, sequence: int = 0, dtstamp: datetime | None = None
) -> icalendar.Event:
    """One VEVENT for a planned event, with netweave's ownership marker.

    Times are written in ``tz`` (the owner's zone, TZID=<IANA name>); UTC zones are written as
    UTC (``...Z``). ``dtstamp`` should be the run time; when None a content-derived value is used
    so that the output is stable.
    """
    import icalendar

    start, end = _local(event.start, tz), _local(event.end, tz)
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
    if event.description:
        ev.add("description", _text_type()(clean_text(event.description)))
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
        cal.add("x-wr-timezone", _zone_id(tz) or "UTC")
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
    event: PlannedEvent, tz: ZoneInfo, sequence: int = 0, calendar_name: str | None = None
) -> bytes:
    """One VCALENDAR with the event and its VTIMEZONE: a vdir file or a CalDAV resource."""
    cal = _calendar(calendar_name, tz)
    years = _years([event], tz)
    if _zone_id(tz) and years:
        cal.add_component(vtimezone(tz, *years))
    cal.add_component(vevent(event, tz, sequence))
    return ical_bytes(cal)


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
    years = _years(events, tz)
    if _zone_id(tz) and years:
        cal.add_component(vtimezone(tz, *years))
    seqs = sequences or {}
    for e in sorted(events, key=lambda e: (e.start.astimezone(UTC), e.uid)):
        cal.add_component(vevent(e, tz, seqs.get(e.uid, 0)))
    return ical_bytes(cal)


# --------------------------------------------------------------------------- reading back


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
        return _owned_fast(data, href, etag, zone)
    except _NeedFullParse:
        return _owned_full(data, href, etag, zone)


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


def _owned_fast(data: bytes, href: str, etag: str, zone: tzinfo) -> OwnedEvent | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _NeedFullParse("encoding") from None
    text = re.sub(r"\r?\n[ \t]", "", text)
    stack: list[str] = []
    events: list[dict[str, tuple[dict[str, str], str]]] = []
    current: dict[str, tuple[dict[str, str], str]] | None = None
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
    )


def etag_of(data: bytes) -> str:
    """A strong etag for stored bytes (quoted, as HTTP writes them)."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


# --------------------------------------------------------------------------- files


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: temp file in the same folder, fsync, rename.

    An existing file keeps its permissions; a new file is private (0600). On failure (disk full,
    read-only folder...) the old file is left intact, the temp file removed, and
    :class:`SourceError` names the path and the reason. A file that already holds exactly
    ``data`` is left alone (no write, no fsync: a sync that changed nothing touches nothing).
    """
    path = Path(path)
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    tmp: str | None = None
    try:
        try:
            mode: int | None = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = None
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if mode is not None:
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SourceError(str(path), f"cannot write {path}: {reason}") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""One VEVENT chunk to resolved values: times in their zones, texts, attendees, recurrence.

The reader's own small content-line parser: only the properties an event needs are read. A
chunk that cannot be read raises :class:`BadEvent` with the line of the offending property;
lesser faults are kept as warnings with their line and the event is read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sync.sources.ics.arithmetic import simple_rule
from sync.sources.ics.scan import Chunk, Line
from sync.sources.ics.values import parse_duration, split_prop, unescape
from sync.sources.ics.zones import FileZones

#: The properties an event is read from.
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
_DATE_PROPS = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE"})


class BadEvent(Exception):
    """A VEVENT that cannot be read; carries the line of the offending property."""

    def __init__(self, lineno: int, message: str) -> None:
        super().__init__(message)
        self.lineno = lineno
        self.message = message


@dataclass
class Parsed:
    """One VEVENT with resolved values."""

    chunk: Chunk
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
    status: str = ""  # out-of-office (Outlook's OOF busy status)
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
    """The lower-cased address of an ATTENDEE or ORGANIZER (``mailto:`` or EMAIL=), or None."""
    value = value.strip()
    if value[:7].lower() == "mailto:":
        addr = value[7:].strip()
        if "@" in addr:
            return addr.lower()
    email = params.get("EMAIL", "").strip()
    if "@" in email:
        return email.lower()
    return None


def _synthetic_uid(chunk: Chunk) -> str:
    """A stable UID for an event without one: a hash of its lines."""
    text = "\n".join(line.text for line in chunk.lines)
    return "nouid-" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


_Prop = tuple[Line, dict[str, str], str]  # the line, its parameters, its raw value


@dataclass
class _Props:
    """The wanted properties of one VEVENT, split into parameters and raw values."""

    single: dict[str, _Prop] = field(default_factory=dict)  # the first of each other property
    attendees: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    rrules: list[str] = field(default_factory=list)
    exrules: list[str] = field(default_factory=list)
    rdates: list[_Prop] = field(default_factory=list)
    exdates: list[_Prop] = field(default_factory=list)

    def text(self, name: str) -> str:
        """A TEXT property's value, unescaped and stripped; "" when absent."""
        item = self.single.get(name)
        return unescape(item[2]).strip() if item else ""


def _collect(chunk: Chunk) -> _Props:
    """The chunk's wanted properties; a malformed line of a property the event needs is bad."""
    props = _Props()
    for line in chunk.lines:
        name = line.name
        if name not in _WANTED:
            continue
        try:
            params, value = split_prop(line.text, name in _DATE_PROPS)
        except ValueError as exc:
            if name in ("DTSTART", "DTEND", "DURATION", "RRULE", "RECURRENCE-ID"):
                raise BadEvent(line.lineno, f"{name}: {exc}") from None
            continue
        if name in ("ATTENDEE", "ORGANIZER"):
            addr = _email(value, params)
            if addr:
                props.attendees.append(addr)
                if name == "ATTENDEE" and params.get("PARTSTAT", "").upper() == "DECLINED":
                    props.declined.append(addr)
        elif name == "RRULE":
            props.rrules.append("".join(value.split()))  # "BYDAY=MO, TU" is seen in the wild
        elif name == "EXRULE":
            props.exrules.append("".join(value.split()))
        elif name == "RDATE":
            props.rdates.append((line, params, value))
        elif name == "EXDATE":
            props.exdates.append((line, params, value))
        else:
            props.single.setdefault(name, (line, params, value))
    return props


def parse_chunk(chunk: Chunk, zones: FileZones) -> Parsed:
    """The event of one chunk with resolved values; :class:`BadEvent` when it cannot be read.

    Lesser faults (an odd RDATE or EXDATE value, a DTEND of the wrong type or before DTSTART)
    are kept as warnings with their line, and the event is read.
    """
    uid = chunk.uid or _synthetic_uid(chunk)
    props = _collect(chunk)
    values = props.single

    def get_dt(name: str) -> date | datetime | None:
        item = values.get(name)
        if item is None:
            return None
        line, params, value = item
        try:
            return zones.value(value, params, uid)
        except ValueError as exc:
            raise BadEvent(line.lineno, f"bad {name}: {exc}") from None

    start = get_dt("DTSTART")
    if start is None:
        raise BadEvent(chunk.lineno, "no DTSTART")
    parsed = Parsed(chunk=chunk, uid=uid, start=start, end=start)
    parsed.end = _end_of(parsed, get_dt("DTEND"), values)
    parsed.recurrence_id = get_dt("RECURRENCE-ID")
    if parsed.recurrence_id is not None:
        rid_params = values["RECURRENCE-ID"][1]
        parsed.this_and_future = rid_params.get("RANGE", "").upper() == "THISANDFUTURE"
    _read_texts(parsed, props)
    _check_rules(chunk, props.rrules + props.exrules)
    parsed.rrules = props.rrules
    parsed.exrules = props.exrules
    _read_extra_dates(parsed, props, zones)
    return parsed


def _read_texts(parsed: Parsed, props: _Props) -> None:
    """Summary, location, busy or free, cancelled, attendees and netweave's own id."""
    parsed.summary = props.text("SUMMARY")
    parsed.location = props.text("LOCATION")
    transp = props.text("TRANSP").upper()
    busy_status = props.text("X-MICROSOFT-CDO-BUSYSTATUS").upper()
    parsed.transparent = transp == "TRANSPARENT" or (not transp and busy_status == "FREE")
    parsed.cancelled = props.text("STATUS").upper() == "CANCELLED"
    parsed.attendees = tuple(dict.fromkeys(props.attendees))
    parsed.declined_by = tuple(dict.fromkeys(props.declined))
    parsed.netweave_id = props.text("X-NETWEAVE-ID") or None
    if busy_status == "OOF" or props.text("X-MICROSOFT-CDO-INTENDEDSTATUS").upper() == "OOF":
        parsed.status = "out-of-office"


def _check_rules(chunk: Chunk, rules: list[str]) -> None:
    """:class:`BadEvent` when icalendar cannot read one of the recurrence rules (those of the
    simple shape, and a bare yearly rule, it always reads: they are not handed to it)."""
    rules = [r for r in rules if r != "FREQ=YEARLY" and simple_rule(r) is None]
    if not rules:
        return
    from icalendar.prop import vRecur

    for rule in rules:
        try:
            vRecur.from_ical(rule)
        except (ValueError, TypeError, KeyError) as exc:
            line = next(li for li in chunk.lines if li.name in ("RRULE", "EXRULE"))
            raise BadEvent(line.lineno, f"bad recurrence rule {rule[:60]!r}: {exc}") from None


def _read_extra_dates(parsed: Parsed, props: _Props, zones: FileZones) -> None:
    """RDATE and EXDATE values; a bad one is a warning and left out."""
    for line, params, value in props.rdates:
        period = params.get("VALUE", "").upper() == "PERIOD"
        for item in value.split(","):
            if not item.strip():
                continue
            try:
                parsed.rdates.append(_rdate(zones, item, params, parsed.uid, period))
            except ValueError as exc:
                parsed.warnings.append((line.lineno, f"RDATE value ignored: {exc}"))
    for line, params, value in props.exdates:
        for item in value.split(","):
            if not item.strip():
                continue
            try:
                parsed.exdates.append(zones.value(item, params, parsed.uid))
            except ValueError as exc:
                parsed.warnings.append((line.lineno, f"EXDATE value ignored: {exc}"))


def _rdate(
    zones: FileZones, item: str, params: dict[str, str], uid: str, period: bool
) -> date | datetime | tuple[datetime, datetime]:
    """One RDATE value: a date, a date-time, or a period (start, end)."""
    if not period and "/" not in item:
        return zones.value(item, params, uid)
    first, _slash, second = item.partition("/")
    begin = zones.value(first, params, uid)
    if not isinstance(begin, datetime):
        return begin  # "20240101/20240102": a day, read as an instance of the event
    dur = parse_duration(second)
    if dur is not None:
        return begin, begin + dur
    finish = zones.value(second, params, uid)
    if not isinstance(finish, datetime) or finish < begin:
        raise ValueError(f"bad period end: {item[:40]!r}")
    return begin, finish


def _end_of(
    parsed: Parsed,
    dtend: date | datetime | None,
    values: dict[str, _Prop],
) -> date | datetime:
    """DTEND, else DTSTART + DURATION, else the default; same type as DTSTART, never before it."""
    start = parsed.start
    if dtend is None and "DURATION" in values:
        line, _params, text = values["DURATION"]
        dur = parse_duration(text)
        if dur is None:
            raise BadEvent(line.lineno, f"bad DURATION {text.strip()[:40]!r}")
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

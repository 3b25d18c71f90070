"""Simple series counted out by date arithmetic, over the window only.

Most series in real calendars are one ``RRULE`` of ``FREQ=DAILY``, ``WEEKLY`` (with or without
``BYDAY`` weekdays) or ``MONTHLY``, with ``INTERVAL``, ``UNTIL`` or ``COUNT``, some EXDATEs and
overrides. Those are counted out here, jumping straight to the weeks around the window, with
exactly the results ``recurring-ical-events`` gives (its DTSTART-is-an-instance rule, its
reading of a floating or date UNTIL as UTC, its EXDATE matching by UTC and wall time, the
first of duplicate overrides winning). Anything else returns None and goes to the library:
another frequency or rule part, RDATE, EXRULE, several RRULEs, RANGE=THISANDFUTURE, an
override in another zone than the series, a zone that is not a ``zoneinfo`` zone or a fixed
offset.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sync.sources.ics.parse import Parsed

_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_UNTIL_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")
_NUMBER_RE = re.compile(r"[1-9]\d{0,4}")

Occurrence = tuple[int, date | datetime, date | datetime]


@dataclass(frozen=True)
class SimpleRule:
    """A recurrence rule of the simple shape: FREQ, INTERVAL, UNTIL or COUNT, weekly BYDAY."""

    freq: str  # DAILY, WEEKLY or MONTHLY
    interval: int = 1
    count: int | None = None
    until: datetime | None = None  # as written, naive
    until_kind: str = ""  # "date", "floating" or "utc"
    weekdays: frozenset[int] = frozenset()  # WEEKLY BYDAY; empty: DTSTART's weekday
    wkst: int = 0


def simple_rule(text: str) -> SimpleRule | None:
    """The rule when it has the simple shape and is written plainly (upper case, each part
    once, UNTIL and COUNT not both); None otherwise."""
    parts: dict[str, str] = {}
    for item in text.split(";"):
        name, eq, value = item.partition("=")
        if not eq or name in parts:
            return None
        parts[name] = value
    freq = parts.pop("FREQ", "")
    if freq not in ("DAILY", "WEEKLY", "MONTHLY"):
        return None
    interval = count = None
    until: datetime | None = None
    until_kind = ""
    weekdays: set[int] = set()
    wkst = 0
    for name, value in parts.items():
        if name in ("INTERVAL", "COUNT"):
            if not _NUMBER_RE.fullmatch(value):
                return None
            if name == "INTERVAL":
                interval = int(value)
            else:
                count = int(value)
        elif name == "UNTIL":
            m = _UNTIL_RE.fullmatch(value)
            if m is None:
                return None
            numbers = [int(g) for g in m.groups()[:6] if g is not None]
            try:
                until = datetime(*numbers)  # type: ignore[arg-type]
            except ValueError:
                return None
            until_kind = "utc" if m[7] else "floating" if m[4] else "date"
        elif name == "BYDAY" and freq == "WEEKLY":
            for day in value.split(","):
                if day not in _WEEKDAYS:
                    return None
                weekdays.add(_WEEKDAYS[day])
        elif name == "WKST" and value in _WEEKDAYS:
            wkst = _WEEKDAYS[value]
        else:
            return None
    if count is not None and until is not None:
        return None
    return SimpleRule(freq, interval or 1, count, until, until_kind, frozenset(weekdays), wkst)


def _plain_zone(value: date | datetime) -> bool:
    """A date, or a date-time in a zoneinfo zone or at a fixed offset, on the whole second."""
    if not isinstance(value, datetime):
        return True
    return (
        isinstance(value.tzinfo, ZoneInfo | timezone) and not value.fold and not value.microsecond
    )


def _ids(value: date | datetime) -> tuple[datetime, ...]:
    """How recurring-ical-events identifies an instance: UTC and wall time, or midnight."""
    if not isinstance(value, datetime):
        return (datetime(value.year, value.month, value.day),)
    if value.tzinfo is None:
        return (value,)
    return value.astimezone(UTC).replace(tzinfo=None), value.replace(tzinfo=None)


def simple_occurrences(
    members: Sequence[Parsed], start: datetime, end: datetime
) -> list[Occurrence] | None:
    """(member index, start, end) of the series' occurrences in [start, end), as
    recurring-ical-events gives them; None when the series is not simple. ``members[0]`` is
    the master; the rest are its overrides.

    The library's two passes are followed step by step: the instances in its query span
    (DTSTART first), each replaced by its override or left out by an EXDATE, then the
    overrides not met that way.
    """
    master = members[0]
    first = master.start
    if len(master.rrules) != 1 or master.exrules or master.rdates or not _plain_zone(first):
        return None
    rule = simple_rule(master.rrules[0])
    if rule is None:
        return None
    zoned = isinstance(first, datetime)
    if not zoned and any(isinstance(x, datetime) for x in master.exdates):
        return None  # the library then reads the whole series in the EXDATE's zone
    by_id: dict[datetime, int] = {}
    for index, p in enumerate(members[1:], 1):
        if p.this_and_future or p.rrules or p.rdates or p.recurrence_id is None:
            return None
        for key in _ids(p.recurrence_id):
            by_id.setdefault(key, index)  # the first of duplicates wins
    excluded_ids = {key for x in master.exdates for key in _ids(x)}
    excluded_days = {x for x in master.exdates if not isinstance(x, datetime)}
    length = master.length
    query_lo, query_hi = start - length, end
    if not zoned:  # an all-day series is read in wall time
        query_lo, query_hi = query_lo.replace(tzinfo=None), query_hi.replace(tzinfo=None)
    out: list[Occurrence] = []
    seen: set[date | datetime] = set()
    met: set[int] = set()
    for when in _candidates(rule, first, query_lo, query_hi):
        moment = when if zoned else datetime(when.year, when.month, when.day)
        if not query_lo <= moment <= query_hi or when in seen:
            continue
        index = 0
        if excluded_ids or by_id:  # most series have neither
            ids = _ids(when)
            day = when.date() if isinstance(when, datetime) else when
            if day in excluded_days or not excluded_ids.isdisjoint(ids):
                continue
            index = next((by_id[key] for key in ids if key in by_id), 0)
        if index == 0:
            seen.add(when)
            finish = when + length
            if _in_span(start, end, when, finish):
                out.append((0, when, finish))
        elif index not in met:
            met.add(index)
            _add_override(out, members, index, start, end)
    for index in sorted(set(by_id.values()) - met):
        if excluded_ids.isdisjoint(_ids(members[index].recurrence_id)):  # type: ignore[arg-type]
            _add_override(out, members, index, start, end)
    return out


def _add_override(
    out: list[Occurrence], members: Sequence[Parsed], index: int, start: datetime, end: datetime
) -> None:
    p = members[index]
    if _in_span(start, end, p.start, p.end):
        out.append((index, p.start, p.end))


def _in_span(
    start: datetime, end: datetime, begin: date | datetime, finish: date | datetime
) -> bool:
    """recurring-ical-events' test: does [begin, finish) fall into [start, end)? Dates are
    midnights in the span's zone; an event of no length counts at its start."""
    if not isinstance(begin, datetime):
        begin = datetime(begin.year, begin.month, begin.day, tzinfo=start.tzinfo)
    if not isinstance(finish, datetime):
        finish = datetime(finish.year, finish.month, finish.day, tzinfo=start.tzinfo)
    if begin == finish:
        return start <= begin < end
    return begin < end and start < finish


def _candidates(
    rule: SimpleRule, first: date | datetime, lo: datetime, hi: datetime
) -> Iterator[date | datetime]:
    """DTSTART (unless after UNTIL), then the rule's instances on the days around [lo, hi]
    (a few days more on each side)."""
    limit = _until_limit(rule, isinstance(first, datetime))
    if isinstance(first, datetime):
        assert first.tzinfo is not None
        low = lo.astimezone(first.tzinfo).date() - timedelta(days=2)
        high = hi.astimezone(first.tzinfo).date() + timedelta(days=2)
        clock = first.timetz()
        if limit is None or first <= limit:
            yield first
        for day in _days(rule, first.date(), low, high):
            when = datetime.combine(day, clock)
            if limit is not None and when > limit:
                return
            yield when
        return
    low, high = lo.date() - timedelta(days=2), hi.date() + timedelta(days=2)
    if limit is None or datetime(first.year, first.month, first.day) <= limit:
        yield first
    for day in _days(rule, first, low, high):
        if limit is not None and datetime(day.year, day.month, day.day) > limit:
            return
        yield day


def _until_limit(rule: SimpleRule, zoned: bool) -> datetime | None:
    """The last moment of a rule as recurring-ical-events reads its UNTIL: for a series in a
    zone, a date or floating UNTIL is UTC; for an all-day series, a UTC UNTIL is its date."""
    if rule.until is None:
        return None
    if zoned:
        return rule.until.replace(tzinfo=UTC)
    if rule.until_kind == "utc":
        return datetime(rule.until.year, rule.until.month, rule.until.day)
    return rule.until


def _days(rule: SimpleRule, day0: date, lo: date, hi: date) -> Iterator[date]:
    """The days of the rule's instances from DTSTART's day ``day0``, those before ``lo`` left
    out (but counted for COUNT), up to ``hi``."""
    if rule.freq == "DAILY":
        yield from _daily(rule, day0, lo, hi)
    elif rule.freq == "WEEKLY":
        yield from _weekly(rule, day0, lo, hi)
    else:
        yield from _monthly(rule, day0, lo, hi)


def _daily(rule: SimpleRule, day0: date, lo: date, hi: date) -> Iterator[date]:
    step = rule.interval
    k = max(0, (lo - day0).days // step)
    last = rule.count if rule.count is not None else None
    while last is None or k < last:
        day = day0 + timedelta(days=k * step)
        if day > hi:
            return
        yield day
        k += 1


def _weekly(rule: SimpleRule, day0: date, lo: date, hi: date) -> Iterator[date]:
    wkst = rule.wkst
    days = rule.weekdays or frozenset({day0.weekday()})
    offsets = sorted((wd - wkst) % 7 for wd in days)
    week0 = day0 - timedelta(days=(day0.weekday() - wkst) % 7)
    in_first = [o for o in offsets if week0 + timedelta(days=o) >= day0]
    span = 7 * rule.interval
    period = max(0, (lo - week0).days // span)
    counted = 0 if period == 0 else len(in_first) + (period - 1) * len(offsets)
    while True:
        base = week0 + timedelta(days=period * span)
        if base > hi:
            return
        for offset in in_first if period == 0 else offsets:
            if rule.count is not None and counted >= rule.count:
                return
            counted += 1
            yield base + timedelta(days=offset)
        period += 1


def _monthly(rule: SimpleRule, day0: date, lo: date, hi: date) -> Iterator[date]:
    month0 = day0.year * 12 + day0.month - 1
    k = 0
    counted = 0
    if rule.count is None or day0.day <= 28:  # every month has the day: jump to the window
        k = max(0, ((lo.year * 12 + lo.month - 1) - month0) // rule.interval - 1)
        counted = k
    while True:
        year, month = divmod(month0 + k * rule.interval, 12)
        month += 1
        if year > 9999 or date(year, month, 1) > hi:
            return
        k += 1
        if day0.day > monthrange(year, month)[1]:
            continue  # the 31st in a month of 30 days: no instance
        if rule.count is not None and counted >= rule.count:
            return
        counted += 1
        yield date(year, month, day0.day)

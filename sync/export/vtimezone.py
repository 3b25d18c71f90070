"""VTIMEZONE components generated from IANA zones, and the wall times events are written in.

icalendar's ``Timezone.from_tzinfo`` lists every transition as one long RDATE list, which vobject
(and so Radicale and khal) misreads (it keeps only the first date and then computes wrong
offsets). :func:`vtimezone` instead writes the usual RRULE form (``FREQ=YEARLY;BYMONTH=3;
BYDAY=2SU``) whenever the transitions follow a yearly weekday rule, and one observance per
transition otherwise. Every client we know reads both.

Deterministic: a VTIMEZONE depends only on the zone data and the years the events span (not on
"now"), so the same plan renders byte-identical output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from sync.model import PlannedEvent

if TYPE_CHECKING:  # icalendar is imported where it is used
    import icalendar

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def zone_id(tz: tzinfo) -> str | None:
    """The TZID to write for ``tz``, or None when times are best written in UTC."""
    key = getattr(tz, "key", None)
    if not key or key in ("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "GMT", "Etc/GMT"):
        return None
    return str(key)


def wall_time(dt: datetime, tz: tzinfo) -> datetime:
    """``dt`` as written: wall time in ``tz``, or UTC for a UTC zone and for the repeated hour
    when the clocks go back (a wall time there is ambiguous; RFC 5545 readers take the first
    occurrence, vobject the second, so only UTC says which one is meant)."""
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt.isoformat()}: planned events must be tz-aware")
    if not zone_id(tz):
        return dt.astimezone(UTC)
    local = dt.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return dt.astimezone(UTC)
    return local


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

    tzid = zone_id(tz)
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


def span_years(events: Iterable[PlannedEvent], tz: tzinfo) -> tuple[int, int] | None:
    years = [y for e in events for y in (wall_time(e.start, tz).year, wall_time(e.end, tz).year)]
    if not years:
        return None
    return min(min(years), VTIMEZONE_FIRST_YEAR), max(years) + 1

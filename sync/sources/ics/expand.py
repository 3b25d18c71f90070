"""Recurrence expansion: one series (a master and its overrides) to its occurrences.

The members, already read with resolved times, are rebuilt as icalendar components and expanded
with ``recurring-ical-events``, one UID at a time. Both libraries are imported where used: a
run served by the read cache, or a calendar without series, never needs them.

Birthdays and anniversaries (an all-day ``FREQ=YEARLY`` and nothing else: no end, no
exceptions, no overrides) are counted out directly (:func:`plain_yearly`): building and
expanding a component costs about two milliseconds each, and an address book's worth of
birthdays adds up. Simple daily, weekly and monthly series are counted out by date
arithmetic over the window alone (:mod:`.arithmetic`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sync.sources.ics.arithmetic import simple_occurrences
from sync.sources.ics.parse import Parsed

if TYPE_CHECKING:
    import icalendar
    import recurring_ical_events


def series_occurrences(
    members: Sequence[Parsed], start: datetime, end: datetime
) -> Iterator[tuple[int, date | datetime, date | datetime]]:
    """(index into ``members``, start, end) of each occurrence of the series between start and
    end. ``members[0]`` is the master; the rest are its overrides (RECURRENCE-ID)."""
    yearly = plain_yearly(members, start, end)
    if yearly is not None:
        yield from yearly
        return
    simple = simple_occurrences(members, start, end)
    if simple is not None:
        yield from simple
        return
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar()
    for index, p in enumerate(members):
        calendar.add_component(_component(p, index))
    query = recurring_ical_events.of(calendar)
    yield from _occurrences(query, start, end)


def plain_yearly(
    members: Sequence[Parsed], start: datetime, end: datetime
) -> list[tuple[int, date, date]] | None:
    """The occurrences of an all-day ``RRULE:FREQ=YEARLY`` series without anything else (no
    UNTIL, COUNT, BYxxx, EXDATE, RDATE or override) in the years around [start, end), in
    order, as recurring-ical-events gives them; None for any other series.

    Each year holds the instance on DTSTART's month and day (none in a year without that
    day: a birthday on 29 February comes in leap years). The years around the span are a
    superset of those that overlap it; the reader keeps those that overlap its window.
    """
    if len(members) != 1:
        return None
    p = members[0]
    first, last = p.start, p.end
    if isinstance(first, datetime) or isinstance(last, datetime):
        return None
    if p.rrules != ["FREQ=YEARLY"] or p.exrules or p.rdates or p.exdates:
        return None
    length = last - first
    out: list[tuple[int, date, date]] = []
    years = range(max(first.year, start.year - 1 - length.days // 365), end.year + 2)
    for year in years:
        try:
            day = first.replace(year=year)
        except ValueError:  # 29 February in a common year
            continue
        out.append((0, day, day + length))
    return out


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


def _component(p: Parsed, index: int) -> icalendar.Event:
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

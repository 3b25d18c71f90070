"""Simple series counted out by date arithmetic (:mod:`sync.sources.ics.arithmetic`) against
recurring-ical-events, which reads every series without it: random daily, weekly and monthly
rules with INTERVAL, BYDAY, WKST, UNTIL (UTC, floating, a date) or COUNT, DTSTARTs in zones with
DST changes (at times that do not exist or come twice), all-day and UTC series, EXDATEs written
in the series' zone, in UTC or as dates, and overrides (moved, duplicated, on no instance, in
another zone), read through a random window."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.sources.ics import arithmetic, expand
from sync.sources.ics.read import parse_calendar_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402

OWNER = ZoneInfo("America/New_York")
_ZONES = ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Tokyo", "UTC", ""]
_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _read(text: str, start: datetime, end: datetime) -> list[tuple[str, ...]]:
    result = parse_calendar_text(text, "t", OWNER, start, end)
    events = [
        (
            e.uid,
            e.start.isoformat(),
            e.end.isoformat(),
            e.recurrence_id.isoformat() if e.recurrence_id else "-",
            e.summary,
            str(e.all_day),
            e.zone,
        )
        for e in result.events
    ]
    return sorted(events) + [("problem", str(p)) for p in result.problems]


def _both(text: str, start: datetime, end: datetime) -> tuple[list[Any], list[Any]]:
    fast = _read(text, start, end)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(expand, "simple_occurrences", lambda *_: None)
        slow = _read(text, start, end)
    return fast, slow


def _stamp(when: datetime, zone: str, all_day: bool) -> tuple[str, str]:
    """(parameters, value) of a DTSTART-like property in ``zone``."""
    if all_day:
        return ";VALUE=DATE", f"{when:%Y%m%d}"
    if zone == "UTC":
        return "", f"{when:%Y%m%dT%H%M%S}Z"
    if not zone:
        return "", f"{when:%Y%m%dT%H%M%S}"
    return f";TZID={zone}", f"{when:%Y%m%dT%H%M%S}"


@st.composite
def _series(draw: st.DrawFn) -> tuple[str, datetime]:
    zone = draw(st.sampled_from(_ZONES))
    all_day = draw(st.booleans()) and draw(st.booleans())
    day = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
    day = draw(st.sampled_from([day, date(2025, 3, 9), date(2025, 10, 26), date(2024, 1, 31)]))
    hour = draw(st.sampled_from([0, 1, 2, 3, 9, 12, 23]))
    first = datetime.combine(day, datetime.min.time()).replace(
        hour=hour, minute=draw(st.sampled_from([0, 30]))
    )
    length = draw(
        st.sampled_from([timedelta(0), timedelta(minutes=30), timedelta(hours=1), timedelta(1)])
        if not all_day
        else st.sampled_from([timedelta(1), timedelta(2)])
    )
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]))
    parts = [f"FREQ={freq}"]
    interval = draw(st.sampled_from([None, 1, 2, 3]))
    if interval:
        parts.append(f"INTERVAL={interval}")
    end_kind = draw(st.sampled_from(["", "count", "until-utc", "until-floating", "until-date"]))
    step = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30}[freq] * (interval or 1)
    until = first + timedelta(
        days=draw(st.integers(-3, 500) | st.integers(0, 12).map(lambda k: k * step)),
        hours=draw(st.sampled_from([0, 0, -12, -5, 1, 7, 12])),
    )
    if end_kind == "count":
        parts.append(f"COUNT={draw(st.integers(1, 80))}")
    elif end_kind == "until-utc":
        parts.append(f"UNTIL={until:%Y%m%dT%H%M%S}Z")
    elif end_kind == "until-floating":
        parts.append(f"UNTIL={until:%Y%m%dT%H%M%S}")
    elif end_kind == "until-date":
        parts.append(f"UNTIL={until:%Y%m%d}")
    if freq == "WEEKLY" and draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(_DAYS), min_size=1, max_size=4, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    if draw(st.booleans()):
        parts.append("WKST=" + draw(st.sampled_from(_DAYS)))
    parts = draw(st.permutations(parts))
    odd = draw(st.sampled_from(["", "", "", "BYSETPOS", "RDATE", "lower"]))
    if odd == "BYSETPOS":
        parts.append("BYSETPOS=1")
    rule = ";".join(parts).lower() if odd == "lower" else ";".join(parts)
    params, value = _stamp(first, zone, all_day)
    lines = ["BEGIN:VEVENT", "UID:s", f"DTSTART{params}:{value}"]
    params, value = _stamp(first + length, zone, all_day)
    lines += [f"DTEND{params}:{value}", f"RRULE:{rule}", "SUMMARY:series"]
    if odd == "RDATE":
        lines.append(
            f"RDATE{_stamp(first + timedelta(days=3), zone, all_day)[0]}:"
            + _stamp(first + timedelta(days=3), zone, all_day)[1]
        )
    for k in draw(st.lists(st.integers(0, 40), max_size=4)):
        when = first + timedelta(days=k * step)
        how = draw(st.sampled_from(["same", "utc", "date"]))
        if how == "date" or all_day:
            lines.append(f"EXDATE;VALUE=DATE:{when:%Y%m%d}")
        elif how == "utc" and zone not in ("", "UTC"):
            moment = when.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))
            lines.append(f"EXDATE:{moment:%Y%m%dT%H%M%S}Z")
        else:
            p, v = _stamp(when, zone, all_day)
            lines.append(f"EXDATE{p}:{v}")
    events = [lines + ["END:VEVENT"]]
    for n, k in enumerate(draw(st.lists(st.integers(0, 8) | st.integers(0, 40), max_size=4))):
        rid = first + timedelta(days=k * step + draw(st.sampled_from([0, 0, 0, 1])))
        moved = rid + timedelta(hours=draw(st.sampled_from([0, 2, -30, 24 * 40])))
        rid_zone = draw(st.sampled_from([zone, zone, zone, "Asia/Tokyo"]))
        p, v = _stamp(rid, rid_zone, all_day)
        body = ["BEGIN:VEVENT", "UID:s", f"RECURRENCE-ID{p}:{v}", f"SUMMARY:moved {n}"]
        p, v = _stamp(moved, zone, all_day)
        body.append(f"DTSTART{p}:{v}")
        p, v = _stamp(moved + length, zone, all_day)
        events.append([*body, f"DTEND{p}:{v}", "END:VEVENT"])
    order = draw(st.permutations(range(len(events))))
    body = [line for i in order for line in events[i]]
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *body, "END:VCALENDAR", ""])
    return text, first


@settings(max_examples=600, deadline=None)
@given(
    _series(),
    st.integers(min_value=-30, max_value=500),
    st.integers(min_value=0, max_value=60),
    st.sampled_from([0, 5, 23]),
)
def test_simple_series_read_as_the_library_reads_them(
    series: tuple[str, datetime], days: int, weeks: int, hour: int
) -> None:
    text, first = series
    start = (first + timedelta(days=days)).replace(hour=hour, minute=0, tzinfo=OWNER)
    end = start + timedelta(weeks=weeks, hours=1)
    fast, slow = _both(text, start, end)
    assert fast == slow


def test_the_benchmark_calendar_reads_the_same_without_the_arithmetic() -> None:
    text = generate.calendar(3000, [f"p{i}@example.org" for i in range(5)], seed=5)
    start = datetime(2025, 11, 20, tzinfo=OWNER)
    end = datetime(2027, 6, 1, tzinfo=OWNER)
    counted = 0
    original = arithmetic.simple_occurrences

    def counting(*args: Any) -> Any:
        nonlocal counted
        found = original(*args)
        counted += found is not None
        return found

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(expand, "simple_occurrences", counting)
        fast = _read(text, start, end)
    _fast, slow = _both(text, start, end)
    assert fast == slow
    assert counted > 50  # the path was taken


@pytest.mark.parametrize(
    ("rule", "simple"),
    [
        ("FREQ=WEEKLY;UNTIL=20260101T000000Z;BYDAY=MO,WE;WKST=SU", True),
        ("FREQ=MONTHLY;COUNT=12;INTERVAL=2", True),
        ("FREQ=DAILY", True),
        ("FREQ=DAILY;BYDAY=MO", False),
        ("FREQ=MONTHLY;BYDAY=2TU", False),
        ("FREQ=WEEKLY;BYDAY=1MO", False),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20260101", False),
        ("FREQ=WEEKLY;COUNT=0", False),
        ("FREQ=WEEKLY;INTERVAL=01", False),
        ("FREQ=YEARLY", False),
        ("freq=daily", False),
        ("FREQ=DAILY;FREQ=DAILY", False),
        ("FREQ=DAILY;BYSETPOS=1", False),
    ],
)
def test_only_plainly_written_simple_rules_are_counted_out(rule: str, simple: bool) -> None:
    assert (arithmetic.simple_rule(rule) is not None) is simple


_RULE_PARTS = st.sampled_from(
    ["FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "INTERVAL=2", "INTERVAL=99999"]
    + ["COUNT=1", "COUNT=0", "UNTIL=20260101", "UNTIL=20260101T100000", "UNTIL=20261231T235959Z"]
    + ["UNTIL=20260230", "UNTIL=20261301T000000Z", "BYDAY=MO", "BYDAY=SU,SA", "BYDAY=MO,"]
    + ["WKST=SU", "WKST=XX", "BYMONTH=2", "freq=daily", "X=1", "", "="]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_RULE_PARTS, min_size=1, max_size=5))
def test_icalendar_reads_every_rule_left_unchecked(parts: list[str]) -> None:
    """The reader asks icalendar to check only the rules not of the simple shape."""
    from icalendar.prop import vRecur

    rule = ";".join(parts)
    if arithmetic.simple_rule(rule) is not None or rule == "FREQ=YEARLY":
        vRecur.from_ical(rule)

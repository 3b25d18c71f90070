"""The .ics pre-scan's bound for COUNT-limited rules (sync.sources.ics.prescan): it never
drops a series that has an instance in the window, compared with a full expansion."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sync.sources.ics import parse_calendar_text
from sync.sources.ics import read as ics
from sync.sources.ics.prescan import count_bound as _count_bound
from sync.sources.ics.prescan import group_may_matter as _group_may_matter
from sync.sources.ics.scan import scan_text as _scan

NY = ZoneInfo("America/New_York")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def rules(draw: st.DrawFn) -> str:
    """COUNT rules of every shape, the tricky ones included (BYMONTH limiting a DAILY rule, the
    fifth Friday, BYSETPOS, days 29-31, BYYEARDAY, BYWEEKNO, INTERVAL)."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}", f"COUNT={draw(st.integers(1, 25))}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 4))}")
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
        nth = draw(st.sampled_from(["", "", "1", "2", "-1", "4", "5", "-5"]))
        if freq in ("DAILY", "WEEKLY"):
            nth = ""
        parts.append("BYDAY=" + ",".join(nth + d for d in days))
    if draw(st.integers(0, 3)) == 0:
        values = draw(st.lists(st.sampled_from([1, 13, 28, 29, 30, 31, -1, -28, -30]), min_size=1))
        parts.append("BYMONTHDAY=" + ",".join(map(str, sorted(set(values)))))
    if draw(st.integers(0, 3)) == 0:
        values = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True))
        parts.append("BYMONTH=" + ",".join(map(str, values)))
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"BYSETPOS={draw(st.sampled_from(['1', '-1', '2', '1,3', '-2']))}")
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"BYHOUR={draw(st.sampled_from(['8', '9,17', '0,23']))}")
    if freq == "YEARLY" and draw(st.integers(0, 6)) == 0:
        parts.append(draw(st.sampled_from(["BYYEARDAY=60,366", "BYWEEKNO=53", "BYWEEKNO=1"])))
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"WKST={draw(st.sampled_from(DAYS))}")
    order = draw(st.permutations(parts))
    return ";".join(order)


starts = st.builds(
    lambda day, minute: datetime(2023, 1, 1) + timedelta(days=day, minutes=15 * minute),
    st.integers(0, 3 * 366),  # 2024 (leap), the 29th-31st, year ends all come up
    st.integers(0, 95),
)


@settings(max_examples=400, deadline=None)
@given(rule=rules(), start=starts)
def test_every_instance_starts_before_the_bound(rule: str, start: datetime) -> None:
    bound = _count_bound(rule, start)
    if bound is None:
        return  # not judged: the series is expanded
    instances = list(rrulestr(rule, dtstart=start))
    assert instances, rule
    assert max(instances) <= bound, (rule, start, max(instances), bound)


@pytest.mark.parametrize(
    ("rule", "start", "bounded"),
    [
        ("FREQ=WEEKLY;COUNT=10", datetime(2015, 1, 5, 9), True),
        ("FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE;WKST=SU", datetime(2015, 1, 5, 9), True),
        ("FREQ=DAILY;COUNT=5;", datetime(2015, 1, 5, 9), True),
        ("freq=monthly;count=6;byday=-1fr", datetime(2015, 1, 30, 9), True),
        ("FREQ=MONTHLY;COUNT=6;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", datetime(2015, 1, 5), True),
        ("FREQ=YEARLY;COUNT=3", datetime(2015, 3, 31), True),
        # periods that may hold no instance: expanded, never bounded
        ("FREQ=YEARLY;COUNT=3", datetime(2016, 2, 29), False),
        ("FREQ=MONTHLY;COUNT=3", datetime(2015, 1, 31), False),
        ("FREQ=MONTHLY;COUNT=3;BYDAY=5FR", datetime(2015, 1, 30), False),
        ("FREQ=MONTHLY;COUNT=3;BYDAY=FR;BYMONTHDAY=13", datetime(2015, 2, 13), False),
        ("FREQ=DAILY;COUNT=3;BYMONTH=6", datetime(2015, 1, 5), False),
        ("FREQ=WEEKLY;COUNT=3;BYDAY=MO;BYSETPOS=2", datetime(2015, 1, 5), False),
        ("FREQ=YEARLY;COUNT=3;BYWEEKNO=53", datetime(2015, 1, 5), False),
        ("FREQ=WEEKLY;COUNT=3;X-NAME=1", datetime(2015, 1, 5), False),
        ("FREQ=HOURLY;COUNT=3", datetime(2015, 1, 5), False),
        ("FREQ=WEEKLY;COUNT=3;COUNT=300", datetime(2015, 1, 5), False),
        ("FREQ=WEEKLY", datetime(2015, 1, 5), False),
        ("FREQ=WEEKLY;COUNT=0", datetime(2015, 1, 5), False),
    ],
)
def test_which_rules_are_bounded(rule: str, start: datetime, bounded: bool) -> None:
    assert (_count_bound(rule, start) is not None) == bounded


def _series(rule: str, start: datetime, zone: str, uid: str = "s1") -> str:
    stamp = f"{start:%Y%m%dT%H%M%S}"
    when = f":{stamp}Z" if zone == "Z" else f";TZID={zone}:{stamp}" if zone else f":{stamp}"
    end = start + timedelta(minutes=45)
    end_s = f"{end:%Y%m%dT%H%M%S}"
    until = f":{end_s}Z" if zone == "Z" else f";TZID={zone}:{end_s}" if zone else f":{end_s}"
    return "\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTART{when}",
            f"DTEND{until}",
            f"RRULE:{rule}",
            "SUMMARY:series",
            "END:VEVENT",
        ]
    )


def test_a_count_series_that_ended_long_ago_is_not_parsed() -> None:
    old = _series("FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE", datetime(2015, 1, 5, 9), "America/New_York")
    scan = _scan(f"BEGIN:VCALENDAR\n{old}\nEND:VCALENDAR\n")
    lo, hi = datetime(2026, 1, 1), datetime(2026, 7, 1)
    assert not _group_may_matter(scan.events, lo, hi)
    # one that reaches into the window is kept
    assert _group_may_matter(scan.events, datetime(2015, 2, 6), hi)


@settings(max_examples=120, deadline=None)
@given(
    rule=rules(),
    start=starts,
    zone=st.sampled_from(["", "Z", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"]),
    window_day=st.integers(-10, 3 * 366 + 400),
    window_days=st.integers(1, 60),
    owner=st.sampled_from([NY, ZoneInfo("Pacific/Auckland")]),
)
def test_the_prescan_reads_what_a_full_expansion_reads(
    rule: str,
    start: datetime,
    zone: str,
    window_day: int,
    window_days: int,
    owner: ZoneInfo,
) -> None:
    # Rules the pre-scan does not bound are expanded either way; some of them have no instance
    # at all (Feb 30, the 13th as a fifth Friday) and take dateutil to year 9999: leave those.
    rare = ("BYMONTH=", "BYWEEKNO", "BYYEARDAY", "BYSETPOS")
    assume(
        _count_bound(rule, start) is not None
        or not (any(r in rule for r in rare) or ("BYDAY" in rule and "BYMONTHDAY" in rule))
    )
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\n{_series(rule, start, zone)}\nEND:VCALENDAR\n"
    w_start = datetime(2023, 1, 1, tzinfo=owner) + timedelta(days=window_day)
    w_end = w_start + timedelta(days=window_days)
    fast = parse_calendar_text(text, "c", owner, w_start, w_end)
    full = parse_calendar_text(text, "c", owner, w_start, w_end, prescan=False)
    assert sorted(map(repr, fast.events)) == sorted(map(repr, full.events)), rule
    assert fast.problems == full.problems


def test_the_generated_benchmark_calendar_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's data (COUNT, UNTIL, open-ended, BYDAY series with overrides and EXDATEs),
    small: the pre-scan skips series and reads exactly what the full expansion reads."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate

    text = generate.calendar(1500, [f"p{i}@example.org" for i in range(5)], seed=3)
    start = datetime(2021, 11, 21, tzinfo=NY)
    end = start + timedelta(weeks=26 + 52)
    expanded: list[int] = []
    real = ics._Reader.expand_series

    def counting(self: ics._Reader, master: object, overrides: object) -> None:
        expanded.append(1)
        real(self, master, overrides)  # type: ignore[arg-type]

    monkeypatch.setattr(ics._Reader, "expand_series", counting)
    full = parse_calendar_text(text, "c", NY, start, end, prescan=False)
    all_series = len(expanded)
    expanded.clear()
    fast = parse_calendar_text(text, "c", NY, start, end)
    assert sorted(map(repr, fast.events)) == sorted(map(repr, full.events))
    assert len(expanded) < all_series / 2  # most series lie outside: not expanded


@settings(max_examples=400, deadline=None)
@given(
    st.from_regex(r"\s?\d{8}([Tt]\d{4,6}[Zz]?)?\s?", fullmatch=True)
    | st.text(alphabet="0123456789Tt Z٣", min_size=13, max_size=17)
)
def test_the_quick_date_reading_is_the_pattern_reading(value: str) -> None:
    """The pre-scan's slicing of plain 15-character date-times against its pattern."""
    from sync.sources.ics import prescan
    from sync.sources.ics.values import DT_RE

    m = DT_RE.fullmatch(value.strip())
    try:
        numbers = [int(m[i] or 0) for i in range(1, 7)] if m is not None else []
        expected = datetime(*numbers) if m is not None else None  # type: ignore[arg-type]
    except ValueError:
        expected = None
    assert prescan._quick_dt(value) == expected

"""The faster readers against the straightforward ones they replaced, on generated text: the
vCard property-line fast path against the general parser, and the .ics scan with its
newline-anchored patterns against the same scan with ``^`` (re.M) patterns; the scan's first
reading of each event (UID, times, rules) against its full reading; all-day yearly series
against recurring-ical-events; ASCII name folding against the Unicode steps."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.export import render
from sync.export.vtimezone import span_years, vtimezone, zone_id
from sync.model import Kind, PlannedEvent, planned_uid
from sync.sources.ics import scan as ics_scan
from sync.sources.vcard import syntax
from sync.sources.vcard.files import decode_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402

# ----------------------------------------------------------------------------- vCard lines

_NAMES = st.sampled_from(["EMAIL", "tel", "N", "X-ABLabel", "FN", "NOTE", "bday", "X-MS-OL"])
_GROUPS = st.sampled_from(["", "item1.", ".", "a.b.", "Item-2.", " item3."])
_PARAM_TEXT = st.text(alphabet='abcTYPEQ=,;"- :.\t', max_size=12)
_PARAMS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "TYPE=INTERNET",
                "type=WORK,pref",
                "WORK",
                "VOICE",
                "ENCODING=QUOTED-PRINTABLE",
                "CHARSET=Windows-1252",
                "quoted-printable",
                "PREF=1",
                "TYPE=",
                "",
                " TYPE = home , ",
                'LABEL="a;b:c"',
            ]
        ),
        _PARAM_TEXT,
    ),
    max_size=4,
)
_VALUES = st.text(alphabet='ab:;,="\\é\t ', max_size=10)


@st.composite
def _prop_lines(draw: st.DrawFn) -> str:
    params = "".join(";" + p for p in draw(_PARAMS))
    return f"{draw(_GROUPS)}{draw(_NAMES)}{params}:{draw(_VALUES)}"


def _read(parse: Any, *args: Any) -> object:
    try:
        return parse(*args)
    except syntax.Unreadable as e:
        return ("unreadable", e.line, e.message)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_prop_lines(), st.text(max_size=20)), min_size=1, max_size=8))
def test_the_property_fast_path_reads_what_the_general_parser_reads(lines: list[str]) -> None:
    memo: dict[str, dict[str, list[str]]] = {}
    for i, text in enumerate(lines * 2):  # twice: the second time from the memo
        fast = _read(syntax.parse_prop, text, i + 1, memo)
        general = _read(syntax.parse_prop_general, text, i + 1)
        assert fast == general, text
        if isinstance(fast, syntax.Prop):  # the memo's lists are not shared
            for values in fast.params.values():
                values.append("changed")
    assert all("changed" not in v for params in memo.values() for v in params.values())


def test_every_line_of_the_benchmark_book_reads_the_same() -> None:
    text = decode_file(generate.vcards(1500, seed=5).encode("utf-8"))[0]
    lines = [lg.text for lg in syntax.unfold(syntax.split_lines(text)[0])]
    memo: dict[str, dict[str, list[str]]] = {}
    for i, line in enumerate(lines):
        assert _read(syntax.parse_prop, line, i, memo) == _read(syntax.parse_prop_general, line, i)


# ----------------------------------------------------------------------------- .ics scan


def _caret_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the scan use ``^`` (re.M) patterns, as it did before the newline-anchored ones."""
    never = re.compile(r"(?!)")
    for name in ("_MARKER_RE", "_PROP_RE", "_KEY_RE", "_X_WR_RE"):
        first, _after = getattr(ics_scan, name)
        caret = re.compile("^" + first.pattern, first.flags)
        monkeypatch.setattr(ics_scan, name, (never, caret))


def _shape(scan: ics_scan.Scan) -> object:
    for c in scan.events:  # the scan's own reading of the key lines is the full reading's
        assert c.key_lines == [li for li in c.lines if li.name in ics_scan._KEY_NAMES]
    events = [
        (
            c.lineno,
            c.uid,
            c.recurring,
            c.override,
            [(li.lineno, li.name, li.text) for li in c.lines],
            [(li.lineno, li.name, li.text) for li in c.key_lines],
        )
        for c in scan.events
    ]
    return events, scan.timezones, scan.x_wr_timezone, scan.problems, scan.components


_ICS_LINES = st.sampled_from(
    [
        "BEGIN:VCALENDAR",
        "END:VCALENDAR",
        "BEGIN:VEVENT",
        "begin:vevent ",
        "END:VEVENT",
        "End:VEvent\r",
        "BEGIN:VTIMEZONE",
        "END:VTIMEZONE",
        "TZID:Europe/Berlin",
        "TZID:Eastern",
        " Standard Time",
        "X-WR-TIMEZONE:America/New_York",
        "x-wr-timezone;X=1:Asia/Tokyo",
        "BEGIN:VALARM",
        "END:VALARM",
        "UID:abc",
        "uid:second",
        "DTSTART;TZID=Europe/Berlin:20260101T090000",
        "DTEND:20260101T100000Z",
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "RECURRENCE-ID:20260108T090000Z",
        "SUMMARY:Lunch",
        " folded continuation",
        "\tfolded tab",
        "ATTENDEE;CN=A:mailto:a@example.org",
        "DESCRIPTION:BEGIN:VEVENT inside a value",
        "TRIGGER:-PT15M",
        "",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ICS_LINES, max_size=40), st.sampled_from(["\r\n", "\n", "\r"]))
def test_the_scan_with_newline_patterns_splits_as_with_caret_patterns(
    lines: list[str], newline: str
) -> None:
    text = newline.join(lines)
    fast = _shape(ics_scan.scan_text(text))
    with pytest.MonkeyPatch.context() as mp:
        _caret_patterns(mp)
        slow = _shape(ics_scan.scan_text(text))
    assert fast == slow


def test_the_benchmark_calendar_scans_the_same() -> None:
    text = generate.calendar(1500, [f"p{i}@example.org" for i in range(5)], seed=3)
    fast = _shape(ics_scan.scan_text(text))
    with pytest.MonkeyPatch.context() as mp:
        _caret_patterns(mp)
        slow = _shape(ics_scan.scan_text(text))
    assert fast == slow
    assert len(fast[0]) == 1500  # type: ignore[index]


# ----------------------------------------------------------------------------- VTIMEZONE once


def _whole(cal_name: str | None, tz: ZoneInfo, events: list[PlannedEvent]) -> bytes:
    """The calendar as rendered before: VTIMEZONE and events added to it, rendered whole."""
    cal = render._calendar(cal_name, tz)
    years = span_years(events, tz)
    if zone_id(tz) and years:
        cal.add_component(vtimezone(tz, *years))
    for e in events:
        cal.add_component(render.vevent(e, tz, 0))
    return render.ical_bytes(cal)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        ["America/New_York", "Europe/Berlin", "UTC", "Asia/Tokyo", "Australia/Lord_Howe"]
    ),
    st.lists(
        st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1)),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from([None, "networking"]),
)
def test_a_file_with_the_zone_rendered_once_is_byte_identical(
    zone: str, starts: list[datetime], cal_name: str | None
) -> None:
    tz = ZoneInfo(zone)
    events = [
        PlannedEvent(
            uid=planned_uid("one-on-one", "c-1", str(i)),
            kind=Kind.ONE_ON_ONE,
            title="Coffee",
            start=s.replace(tzinfo=tz),
            end=s.replace(tzinfo=tz) + timedelta(minutes=45),
            contacts=("c-1",),
        )
        for i, s in enumerate(starts)
    ]
    for _twice in range(2):  # the second time from the rendered zones
        assert render.event_to_ical(events[0], tz, 0, cal_name) == _whole(cal_name, tz, events[:1])
        ordered = sorted(events, key=lambda e: (e.start.astimezone(UTC), e.uid))
        assert render.calendar_to_ical(events, tz, "agenda").replace(
            b"METHOD:PUBLISH\r\n", b""
        ) == _whole("agenda", tz, ordered)


# ----------------------------------------------------------------------------- yearly series


def _events(text: str, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
    from sync.sources.ics.read import parse_calendar_text

    ny = ZoneInfo("America/New_York")
    result = parse_calendar_text(text, "t", ny, start.replace(tzinfo=ny), end.replace(tzinfo=ny))
    return sorted((e.uid, e.start, e.end, e.recurrence_id, e.all_day) for e in result.events)


def _without_plain_yearly(monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.sources.ics import expand

    monkeypatch.setattr(expand, "plain_yearly", lambda *_: None)


@settings(max_examples=200, deadline=None)
@given(
    first=st.dates(min_value=datetime(1950, 1, 1).date(), max_value=datetime(2040, 1, 1).date())
    | st.sampled_from([datetime(1996, 2, 29).date(), datetime(2000, 2, 29).date()]),
    days=st.sampled_from([None, 0, 1, 2, 3, 400]),
    rule=st.sampled_from(["FREQ=YEARLY", "FREQ=YEARLY;COUNT=3", "FREQ=YEARLY;INTERVAL=2"]),
    exdate=st.booleans(),
    at=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2045, 1, 1)),
    weeks=st.integers(min_value=0, max_value=200),
)
def test_yearly_all_day_series_read_as_the_library_reads_them(
    first: Any, days: int | None, rule: str, exdate: bool, at: datetime, weeks: int
) -> None:
    lines = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:bday", f"DTSTART;VALUE=DATE:{first:%Y%m%d}"]
    if days is not None:
        lines.append(f"DTEND;VALUE=DATE:{first + timedelta(days=days):%Y%m%d}")
    lines.append(f"RRULE:{rule}")
    if exdate:
        lines.append(f"EXDATE;VALUE=DATE:{first.replace(year=first.year + 4):%Y%m%d}")
    text = "\r\n".join([*lines, "END:VEVENT", "END:VCALENDAR", ""])
    end = at + timedelta(weeks=weeks)
    fast = _events(text, at, end)
    with pytest.MonkeyPatch.context() as mp:
        _without_plain_yearly(mp)
        assert fast == _events(text, at, end)


def test_the_benchmark_calendar_reads_the_same_without_the_yearly_path() -> None:
    text = generate.calendar(3000, [f"p{i}@example.org" for i in range(5)], seed=4)
    start, end = datetime(2025, 11, 20), datetime(2027, 6, 1)
    fast = _events(text, start, end)
    with pytest.MonkeyPatch.context() as mp:
        _without_plain_yearly(mp)
        assert fast == _events(text, start, end)
    assert sum(1 for e in fast if e[4]) > 50


# ----------------------------------------------------------------------------- name folding


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20) | st.text(alphabet="aZ ,.'-éÉøß", max_size=20))
def test_plain_is_the_unicode_folding(text: str) -> None:
    """Names and organisations folded without the Unicode steps when they are ASCII."""
    import unicodedata

    from sync.merge import _plain

    n = unicodedata.normalize("NFKD", text)
    assert _plain(text) == "".join(ch for ch in n if not unicodedata.combining(ch)).casefold()

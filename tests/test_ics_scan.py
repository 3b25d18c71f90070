"""The scan's first reading of each event's key lines (name and text, by ``findall``, without
line numbers) against the same lines read with their numbers (``_prop_lines``), on random
event texts: folded lines, nested VALARMs, odd case, CR, LF and CRLF line ends."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.sources.ics import scan as ics_scan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402

_LINES = st.sampled_from(
    [
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "begin:vevent",
        "END:VEVENT",
        "BEGIN:VALARM",
        "END:VALARM",
        "DURATION:PT15M",
        "UID:abc",
        "uid;X=1:second",
        "DTSTART;TZID=Europe/Berlin:20260101T090000",
        "dtstart:20260101",
        "DTEND:20260101T100000Z",
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "RDATE:20260102T090000Z",
        "EXRULE:FREQ=DAILY",
        "RECURRENCE-ID;RANGE=THISANDFUTURE:20260108T090000Z",
        "SUMMARY:Lunch",
        "UIDX:not a key",
        " folded continuation",
        "\tfolded tab",
        "DTSTAMP:20250101T000000Z",
        "",
    ]
)


def _check(text: str) -> int:
    scan = ics_scan.scan_text(text)
    for chunk in scan.events:
        assert chunk.keys == [(li.name, li.text) for li in chunk.key_lines]
        assert chunk.key_lines == [li for li in chunk.lines if li.name in ics_scan._KEY_NAMES]
    return len(scan.events)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=30), st.sampled_from(["\r\n", "\n", "\r"]))
def test_the_key_texts_are_the_key_lines_without_numbers(lines: list[str], newline: str) -> None:
    _check(newline.join(lines))


def test_the_benchmark_calendar_key_texts_are_its_key_lines() -> None:
    text = generate.calendar(1500, [f"p{i}@example.org" for i in range(5)], seed=6)
    assert _check(text) == 1500

"""Fuzzing the readers (hypothesis): random and mutated vCards and .ics never crash them; every
rejected item is a Problem naming its place, and the good items around it are still read."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.model import Problem
from sync.sources.ics import IcsFileCalendar, VdirCalendar, parse_calendar_bytes
from sync.sources.vcard import VcardDir, VcardFile, parse_vcards

NY = ZoneInfo("America/New_York")
START = datetime(2026, 1, 1, tzinfo=NY)
END = datetime(2027, 1, 1, tzinfo=NY)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GOOD_EVENT = (
    "BEGIN:VEVENT\r\nUID:good-{i}\r\nDTSTART;TZID=America/New_York:2026030{d}T090000\r\n"
    "DTEND;TZID=America/New_York:2026030{d}T100000\r\nSUMMARY:Good {i}\r\nEND:VEVENT\r\n"
)
GOOD_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Person {i}\r\nEMAIL:good{i}@example.org\r\nEND:VCARD\r\n"
)

BAD_EVENTS = [
    "BEGIN:VEVENT\r\nUID:bad-date\r\nDTSTART:2026133\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:bad-month\r\nDTSTART:20261399T250000\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:no-start\r\nSUMMARY:x\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:bad-rule\r\nDTSTART:20260301T090000Z\r\nRRULE:FREQ=SOMETIMES\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:unknown-tz\r\nDTSTART;TZID=Mars/Olympus:20260302T090000\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:huge\r\nDTSTART:20260302T090000Z\r\nSUMMARY:"
    + "x" * 200_000
    + "\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:nul\x00\r\nDTSTART:20260302T09\x000000Z\r\nEND:VEVENT\r\n",
    "BEGIN:VEVENT\r\nUID:cut\r\nDTSTART:2026",
]
BAD_CARDS = [
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No end\r\n",
    "BEGIN:VCARD\r\nVERSION:3.0\r\nthis is not a property\r\nEND:VCARD\r\n",
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:=ZZ=\r\nEND:VCARD\r\n",
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\x00\x00\r\nNOTE:" + "y" * 200_000 + "\r\nEND:VCARD\r\n",
]


def check_problems(problems: list[Problem]) -> None:
    for p in problems:
        assert isinstance(p, Problem) and p.message and p.source
        assert p.place, f"problem without a place: {p}"


def calendar(*events: str) -> bytes:
    body = "".join(events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode()


def read_ics(data: bytes) -> tuple[set[str], list[Problem]]:
    result = parse_calendar_bytes(data, "fuzz", NY, START, END, place="fuzz.ics")
    check_problems(result.problems)
    return {e.uid for e in result.events}, result.problems


# --------------------------------------------------------------------------- .ics


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_ics_reader(data: bytes) -> None:
    read_ics(data)
    read_ics(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + data)


@FAST
@given(st.text(max_size=400), st.integers(0, 6), st.sampled_from(["insert", "truncate", "swap"]))
def test_mutated_calendars_keep_the_good_events(junk: str, at: int, how: str) -> None:
    good = [GOOD_EVENT.format(i=i, d=i + 1) for i in range(3)]
    events = list(good)
    if how == "insert":
        events.insert(min(at, len(events)), junk.replace("\r", "").replace("\n", "\r\n") + "\r\n")
    elif how == "truncate":
        events.insert(min(at, len(events)), BAD_EVENTS[-1][: at + 10] + "\r\nEND:VEVENT\r\n")
    else:
        events.insert(min(at, len(events)), BAD_EVENTS[at % len(BAD_EVENTS)])
    uids, _problems = read_ics(calendar(*events))
    # A junk line can at worst spoil its neighbour's chunk; the others are read.
    assert len(uids & {"good-0", "good-1", "good-2"}) >= 2


def test_each_bad_event_is_a_problem_with_its_line_and_the_rest_is_read() -> None:
    good = [GOOD_EVENT.format(i=i, d=i + 1) for i in range(3)]
    for bad in BAD_EVENTS[:-1]:
        uids, problems = read_ics(calendar(good[0], bad, good[1], good[2]))
        assert {"good-0", "good-1", "good-2"} <= uids, bad[:60]
    uids, problems = read_ics(calendar(good[0], BAD_EVENTS[0], good[1]))
    assert any(p.place and p.place.startswith("fuzz.ics:") for p in problems)


def test_bad_encodings_and_deep_nesting() -> None:
    good = GOOD_EVENT.format(i=0, d=1).encode()
    latin = (
        b"BEGIN:VEVENT\r\nUID:latin\r\nDTSTART:20260302T090000Z\r\n"
        b"SUMMARY:Caf\xe9\r\nEND:VEVENT\r\n"
    )
    uids, problems = read_ics(b"BEGIN:VCALENDAR\r\n" + good + latin + b"END:VCALENDAR\r\n")
    assert {"good-0", "latin"} <= uids and any("UTF-8" in p.message for p in problems)
    deep = "".join(f"BEGIN:X{i}\r\n" for i in range(1000)) + "".join(
        f"END:X{i}\r\n" for i in reversed(range(1000))
    )
    uids, _ = read_ics(calendar(deep, GOOD_EVENT.format(i=1, d=2)))
    assert "good-1" in uids
    nested_events = "BEGIN:VEVENT\r\n" * 1000 + "END:VEVENT\r\n" * 1000
    read_ics(calendar(nested_events, GOOD_EVENT.format(i=2, d=3)))
    utf16 = calendar(GOOD_EVENT.format(i=3, d=4)).decode().encode("utf-16")
    read_ics(utf16)


def test_file_and_vdir_classes_survive_bad_items(tmp_path: Path) -> None:
    f = tmp_path / "cal.ics"
    f.write_bytes(calendar(GOOD_EVENT.format(i=0, d=1), *BAD_EVENTS[:-1]) + b"\x00\xff" * 10)
    result = IcsFileCalendar("file", f, NY).read(START, END)
    assert "good-0" in {e.uid for e in result.events}
    check_problems(result.problems)
    vdir = tmp_path / "vdir"
    vdir.mkdir()
    (vdir / "good.ics").write_bytes(calendar(GOOD_EVENT.format(i=1, d=2)))
    for n, bad in enumerate(BAD_EVENTS):
        (vdir / f"bad{n}.ics").write_bytes(calendar(bad))
    (vdir / "empty.ics").write_bytes(b"")
    (vdir / "binary.ics").write_bytes(bytes(range(256)))
    result = VdirCalendar("vdir", vdir, NY).read(START, END)
    assert "good-1" in {e.uid for e in result.events}
    check_problems(result.problems)
    assert any("binary.ics" in (p.place or "") for p in result.problems)


# --------------------------------------------------------------------------- vCards


def read_cards(data: bytes | str) -> tuple[set[str], list[Problem]]:
    result = parse_vcards(data, "fuzz", "fuzz.vcf")
    check_problems(result.problems)
    return {c.name for c in result.contacts}, result.problems


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_vcard_reader(data: bytes) -> None:
    read_cards(data)
    read_cards(b"BEGIN:VCARD\r\nVERSION:2.1\r\n" + data)


@FAST
@given(st.text(max_size=400), st.integers(0, 4))
def test_mutated_address_books_keep_the_good_cards(junk: str, at: int) -> None:
    cards = [GOOD_CARD.format(i=i) for i in range(3)]
    cards.insert(min(at, 3), junk.replace("\r", "").replace("\n", "\r\n") + "\r\n")
    cards.insert(min(at, 3), BAD_CARDS[at % len(BAD_CARDS)])
    names, _ = read_cards("".join(cards))
    assert len(names & {f"Good Person {i}" for i in range(3)}) >= 2


def test_each_bad_card_is_a_problem_with_its_line_and_the_rest_is_read() -> None:
    for bad in BAD_CARDS[1:]:
        text = GOOD_CARD.format(i=0) + bad + GOOD_CARD.format(i=1)
        names, problems = read_cards(text)
        assert {"Good Person 0", "Good Person 1"} <= names, bad[:60]
    names, problems = read_cards(GOOD_CARD.format(i=0) + BAD_CARDS[0] + GOOD_CARD.format(i=1))
    assert problems and all((p.place or "").startswith("fuzz.vcf:") for p in problems)
    deep = "BEGIN:VCARD\r\n" * 1000 + "END:VCARD\r\n" * 1000
    read_cards(deep + GOOD_CARD.format(i=2))
    read_cards(b"\xff\xfe" + GOOD_CARD.format(i=3).encode("utf-16-le"))
    read_cards(
        GOOD_CARD.format(i=4).encode("utf-8") + b"BEGIN:VCARD\r\nFN:\xe9\xff\r\nEND:VCARD\r\n"
    )


def test_vcard_file_and_vdir_classes_survive_bad_items(tmp_path: Path) -> None:
    f = tmp_path / "book.vcf"
    f.write_text(GOOD_CARD.format(i=0) + "".join(BAD_CARDS), encoding="utf-8")
    result = VcardFile("file", f).read()
    assert "Good Person 0" in {c.name for c in result.contacts}
    check_problems(result.problems)
    d = tmp_path / "vdir"
    d.mkdir()
    (d / "good.vcf").write_text(GOOD_CARD.format(i=1), encoding="utf-8")
    for n, bad in enumerate(BAD_CARDS):
        (d / f"bad{n}.vcf").write_text(bad, encoding="utf-8")
    (d / "binary.vcf").write_bytes(bytes(range(256)))
    result = VcardDir("vdir", d).read()
    assert "Good Person 1" in {c.name for c in result.contacts}
    check_problems(result.problems)

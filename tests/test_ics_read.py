"""Reading .ics files and vdirs: sync/sources/ics/ and sync/tzmap.py."""

from __future__ import annotations

import importlib.resources
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import tzmap
from sync.model import Event
from sync.sources.base import Calendar, EventsResult, SourceError
from sync.sources.ics import (
    IcsFileCalendar,
    VdirCalendar,
    parse_calendar_bytes,
    parse_calendar_text,
)

DATA = Path(__file__).parent / "data" / "ics"
NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2024, 3, 4, tzinfo=NY)
END = datetime(2024, 4, 8, tzinfo=NY)


def read(name: str, tz: ZoneInfo = NY, start: datetime = START, end: datetime = END):
    return IcsFileCalendar("cal", DATA / name, tz).read(start, end)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def by_summary(result: EventsResult, summary: str) -> list[Event]:
    return sorted((e for e in result.events if e.summary == summary), key=lambda e: e.start)


def one(result: EventsResult, summary: str) -> Event:
    found = by_summary(result, summary)
    assert len(found) == 1, (summary, found)
    return found[0]


# --------------------------------------------------------------------------- protocol


def test_both_classes_implement_the_calendar_protocol() -> None:
    assert isinstance(IcsFileCalendar("a", DATA / "icloud.ics", NY), Calendar)
    assert isinstance(VdirCalendar("b", DATA / "vdir", NY), Calendar)


# --------------------------------------------------------------------------- Google export


def test_google_export_x_wr_timezone_keeps_utc_series_at_local_time_across_dst() -> None:
    result = read("google_export.ics")
    meetings = by_summary(result, "Partners' meeting")
    # DTSTART:20240301T140000Z weekly with X-WR-TIMEZONE America/New_York: 9:00 local every
    # week, before and after the 10 March DST change (so 14:00Z, then 13:00Z).
    assert [m.start.astimezone(NY).hour for m in meetings] == [9, 9, 9, 9, 9]
    assert meetings[0].start == utc(2024, 3, 8, 14)
    assert meetings[1].start == utc(2024, 3, 15, 13)
    assert all(m.end - m.start == timedelta(hours=1) for m in meetings)
    assert meetings[1].recurrence_id == meetings[1].start


def test_google_export_floating_time_is_in_the_x_wr_zone_not_the_owner_zone() -> None:
    result = read("google_export.ics", tz=LONDON)
    lunch = one(result, "Floating lunch (X-WR zone)")
    assert lunch.start == datetime(2024, 3, 4, 12, tzinfo=NY)


def test_google_export_fields() -> None:
    result = read("google_export.ics")
    assert result.problems == []
    breakfast = one(result, "Breakfast with Marcus")
    assert breakfast.uid == "0a1b2c3d4e5f6g7h8i9j@google.com"
    assert breakfast.start == datetime(2024, 3, 5, 8, 30, tzinfo=NY)
    assert breakfast.end == datetime(2024, 3, 5, 9, 30, tzinfo=NY)
    # organizer included, mailto: stripped, lower-cased, no duplicates, folded lines joined
    assert breakfast.attendees == ("dana.whitfield@gmail.com", "mobi@obi-partners.example")
    assert breakfast.location == "Balthazar, 80 Spring St, New York, NY 10012, USA"
    assert breakfast.source == "cal"
    assert not breakfast.all_day and not breakfast.transparent and not breakfast.cancelled
    assert one(result, "Lunch with recruiter").cancelled
    owned = one(result, "Coffee")
    assert owned.netweave_id == "nw-0123456789abcdef0123@netweave.invalid"
    birthday = one(result, "Ellen Park's birthday")
    assert birthday.all_day and birthday.transparent
    assert birthday.start == datetime(2024, 3, 7, tzinfo=NY)
    assert birthday.end == datetime(2024, 3, 8, tzinfo=NY)
    prep = one(result, "Deposition prep (all day)")
    assert prep.all_day and not prep.transparent
    assert not by_summary(result, "Long past")


# --------------------------------------------------------------------------- Outlook export


def test_outlook_windows_and_display_names_and_custom_zones() -> None:
    result = read("outlook_export.ics")
    expected = {
        "Litigation team sync": utc(2024, 3, 5, 20),  # Eastern Standard Time, 15:00 EST
        "Call with Frankfurt office": utc(2024, 3, 6, 9),  # W. Europe, 10:00 CET
        "Quoted display-name zone": utc(2024, 3, 6, 19),  # (UTC-05:00) Eastern, 14:00
        "Unquoted display-name zone": utc(2024, 3, 6, 16),  # (UTC+01:00) Amsterdam.., 17:00
        "Mumbai vendor call": utc(2024, 3, 7, 3, 30),  # tzone://Microsoft/Custom +05:30
        "London custom zone (summer time)": utc(2024, 4, 2, 8),  # Customized, BST
    }
    for summary, start in expected.items():
        assert one(result, summary).start == start, summary


def test_outlook_show_as_free_is_transparent_and_valarm_is_ignored() -> None:
    result = read("outlook_export.ics")
    assert one(result, "Show as free: webinar").transparent
    sync = one(result, "Litigation team sync")
    assert sync.end - sync.start == timedelta(hours=1)  # not the VALARM's DURATION
    assert sync.attendees == ("praman@hartley-law.example", "dwhitfield@hartley-law.example")
    assert sync.uid.startswith("040000008200E00074C5B7101A82E008") and sync.uid.endswith("1F00")
    holiday = one(result, "International Women's Day (office closed)")
    assert holiday.all_day and not holiday.transparent


def test_outlook_daily_series_with_exdate_and_utc_until() -> None:
    result = read("outlook_export.ics")
    days = [e.start.astimezone(NY).day for e in by_summary(result, "Morning docket review")]
    assert days == [4, 5, 7, 8]


def test_unknown_tzid_is_read_in_owner_zone_and_reported_with_uid() -> None:
    result = read("outlook_export.ics")
    meeting = one(result, "Unknown zone meeting")
    assert meeting.start == datetime(2024, 3, 7, 14, tzinfo=NY)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert "Mars Standard Time" in problem.message
    assert "outlook-unknown-zone" in problem.message
    assert problem.place == str(DATA / "outlook_export.ics")


# --------------------------------------------------------------------------- iCloud


def test_icloud_export_override_and_unicode() -> None:
    result = read("icloud.ics")
    assert result.problems == []
    lunch = one(result, "Lunch with Sofía Álvarez — Café Déjà Vu")
    assert lunch.start == datetime(2024, 3, 5, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert lunch.location == (
        "Café Déjà Vu\n1 Ferry Building, San Francisco, CA 94111, United States"
    )
    calls = by_summary(result, "Weekly mentoring call")
    assert [c.start.astimezone(UTC).day for c in calls] == [5, 18, 25, 1]  # 16:30 PT
    moved = one(result, "Weekly mentoring call (moved)")
    assert moved.start == datetime(2024, 3, 12, 8, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert moved.recurrence_id == datetime(
        2024, 3, 11, 16, 30, tzinfo=ZoneInfo("America/Los_Angeles")
    )


# --------------------------------------------------------------------------- recurrence


def test_recurring_exdate_rdate_override_and_cancelled_instance() -> None:
    result = read("recurring.ics")
    assert result.problems == []
    series = sorted(
        (e for e in result.events if e.uid == "weekly-1on1@example.com"), key=lambda e: e.start
    )
    starts = [(e.start.astimezone(BERLIN).strftime("%m-%d %H:%M"), e.cancelled) for e in series]
    assert starts == [
        ("03-05 10:00", False),  # 03-12 is an EXDATE
        ("03-14 15:00", False),  # RDATE
        ("03-15 15:00", False),  # RDATE
        ("03-20 14:00", False),  # 03-19 moved to Wednesday
        ("03-26 10:00", True),  # cancelled instance
        ("04-02 10:00", False),  # after Europe's DST change: still 10:00 Berlin
    ]
    assert all(e.end - e.start == timedelta(minutes=45) for e in series if e.start.day != 20)
    moved = next(e for e in series if e.start.day == 20)
    assert moved.summary == "1:1 with associate (moved to Wednesday)"
    assert moved.recurrence_id == datetime(2024, 3, 19, 10, tzinfo=BERLIN)


def test_orphan_override_yearly_all_day_series_and_ended_series() -> None:
    result = read("recurring.ics")
    orphan = one(result, "Instance of a series we were only invited to once")
    assert orphan.start == utc(2024, 3, 6, 16)
    assert orphan.recurrence_id == utc(2024, 3, 6, 15)
    retreat = one(result, "Firm retreat")
    assert retreat.all_day
    assert (retreat.start, retreat.end) == (
        datetime(2024, 3, 10, tzinfo=NY),
        datetime(2024, 3, 12, tzinfo=NY),
    )
    assert not by_summary(result, "Old series (ended 2020)")


def test_a_cancelled_master_cancels_every_instance() -> None:
    text = (
        (DATA / "recurring.ics")
        .read_text()
        .replace(
            "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=8",
            "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=8\nSTATUS:CANCELLED",
        )
    )
    result = parse_calendar_text(text, "cal", NY, START, END)
    masters = [e for e in result.events if e.summary == "1:1 with associate"]
    assert masters and all(e.cancelled for e in masters)


# --------------------------------------------------------------------------- all-day, floating


def test_all_day_events_span_midnight_to_midnight_in_owner_zone() -> None:
    result = read("allday_floating.ics", tz=BERLIN)
    holiday = one(result, "Bank holiday (no DTEND)")
    assert (holiday.start, holiday.end) == (
        datetime(2024, 3, 11, tzinfo=BERLIN),
        datetime(2024, 3, 12, tzinfo=BERLIN),
    )
    assert holiday.all_day
    show = one(result, "ABA TECHSHOW")
    assert show.end - show.start == timedelta(days=3)
    same = one(result, "All-day with DTEND equal to DTSTART")
    assert same.end - same.start == timedelta(days=1)
    birthday = one(result, "Mom's birthday")
    assert birthday.transparent and birthday.start == datetime(2024, 3, 13, tzinfo=BERLIN)


def test_floating_time_is_owner_zone_and_missing_dtend_is_zero_length() -> None:
    result = read("allday_floating.ics", tz=BERLIN)
    dentist = one(result, "Dentist (floating time)")
    assert dentist.start == datetime(2024, 3, 11, 8, tzinfo=BERLIN)
    reminder = one(result, "Zero-length reminder")
    assert reminder.start == reminder.end == utc(2024, 3, 11, 12)


# --------------------------------------------------------------------------- duplicates, errors


def test_duplicate_uids_all_count() -> None:
    result = read("duplicates.ics")
    assert result.problems == []
    copies = [e for e in result.events if e.uid == "dup-1@example.com"]
    assert sorted(e.start for e in copies) == [utc(2024, 3, 5, 15), utc(2024, 3, 5, 17)]
    series = [e for e in result.events if e.uid == "dup-series@example.com"]
    assert len(series) == 5  # COUNT=3 and COUNT=2: both masters expanded


def test_broken_events_are_skipped_with_file_line_and_uid() -> None:
    result = read("broken.ics")
    assert sorted(e.summary for e in result.events) == ["Good one", "Good two"]
    place = str(DATA / "broken.ics")
    found = {(p.place, p.message.split(":")[0]) for p in result.problems}
    assert found == {
        (f"{place}:12", "skipped UID bad-dtstart@example.com"),
        (f"{place}:16", "skipped UID no-dtstart@example.com"),
        (f"{place}:24", "skipped UID bad-dtend@example.com"),
        (f"{place}:31", "skipped UID bad-rrule@example.com"),
        (f"{place}:41", "skipped UID truncated@example.com"),
    }
    assert any("truncated@example.com" in p.message for p in result.problems)
    assert any("2024-03-05 16:00" in p.message for p in result.problems)


def test_non_utf8_file_is_read_with_a_problem() -> None:
    result = read("windows1252.ics")
    assert len(result.events) == 2
    assert one(result, "Plain ASCII").start == utc(2024, 3, 6, 14)
    assert any(e.summary.startswith("R\ufffdunion") for e in result.events)
    assert len(result.problems) == 1
    assert "UTF-8" in result.problems[0].message
    assert result.problems[0].place == f"{DATA / 'windows1252.ics'}:8"


def test_bom_lone_cr_and_bare_vevent_are_read() -> None:
    body = "BEGIN:VEVENT\rUID:x\rDTSTART:20240305T100000Z\rDTEND:20240305T110000Z\rEND:VEVENT\r"
    result = parse_calendar_bytes(b"\xef\xbb\xbf" + body.encode(), "cal", NY, START, END)
    assert [e.uid for e in result.events] == ["x"] and result.problems == []


def test_not_an_icalendar_file_is_a_problem_not_a_crash() -> None:
    html = b"<!DOCTYPE html><html><body>Sign in to continue</body></html>"
    result = parse_calendar_bytes(html, "cal", NY, START, END, place="feed.ics")
    assert result.events == []
    assert [p.place for p in result.problems] == ["feed.ics:1"]
    assert parse_calendar_bytes(b"", "cal", NY, START, END) == EventsResult()


def test_missing_file_folder_given_as_file_and_missing_vdir_raise_source_error(
    tmp_path: Path,
) -> None:
    with pytest.raises(SourceError, match="does not exist"):
        IcsFileCalendar("cal", tmp_path / "nope.ics", NY).read(START, END)
    with pytest.raises(SourceError, match="vdir"):
        IcsFileCalendar("cal", tmp_path, NY).read(START, END)
    with pytest.raises(SourceError, match="does not exist"):
        VdirCalendar("cal", tmp_path / "nope", NY).read(START, END)
    (tmp_path / "file.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    with pytest.raises(SourceError, match="not a folder"):
        VdirCalendar("cal", tmp_path / "file.ics", NY).read(START, END)


def test_escaped_text_and_colons_in_values() -> None:
    text = (
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:t\nDTSTART:20240305T100000Z\n"
        'SUMMARY;LANGUAGE="en:us":Re: 1\\:1\\; agenda\\, notes\\\\path\\nline 2\n'
        "LOCATION:Room 4\\, floor 2\n"
        'ATTENDEE;CN="Smith, Jo";EMAIL=Jo@X.example:urn:uuid:1234\n'
        "ATTENDEE;CN=Room:invalid:nomail\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    event = parse_calendar_text(text, "cal", NY, START, END).events[0]
    assert event.summary == "Re: 1:1; agenda, notes\\path\nline 2"
    assert event.location == "Room 4, floor 2"
    assert event.attendees == ("jo@x.example",)


# --------------------------------------------------------------------------- vdir


def test_vdir_reads_items_skips_hidden_and_non_ics_and_reports_bad_items() -> None:
    result = VdirCalendar("work", DATA / "vdir", NY).read(START, END)
    summaries = sorted(e.summary for e in result.events)
    assert summaries == [
        "Bar association CLE lunch",
        "Buenos Aires client (same TZID name, -03:00)",
        "Imported twice (also in another calendar)",
        "Tokyo client (custom zone, +09:00)",
    ]
    assert all(e.source == "work" for e in result.events)
    [problem] = result.problems
    assert problem.place == f"{DATA / 'vdir' / 'broken-item.ics'}:5"
    assert "vdir-broken" in problem.message


def test_same_custom_tzid_in_two_files_keeps_each_definition() -> None:
    result = VdirCalendar("work", DATA / "vdir", NY).read(START, END)
    tokyo = one(result, "Tokyo client (custom zone, +09:00)")
    buenos_aires = one(result, "Buenos Aires client (same TZID name, -03:00)")
    assert tokyo.start == utc(2024, 3, 6, 0)
    assert buenos_aires.start == utc(2024, 3, 6, 12)


def test_duplicates_across_calendars_all_count() -> None:
    a = read("duplicates.ics")
    b = VdirCalendar("work", DATA / "vdir", NY).read(START, END)
    copies = [e for e in a.events + b.events if e.uid == "dup-1@example.com"]
    assert len(copies) == 3


def test_unreadable_vdir_item_is_a_problem(tmp_path: Path) -> None:
    vdir = tmp_path / "cal"
    shutil.copytree(DATA / "vdir", vdir)

    class Flaky(VdirCalendar):
        def _read_item(self, item: Path) -> bytes:
            if item.name == "dup-1.ics":
                raise PermissionError(13, "Permission denied")
            return super()._read_item(item)

    result = Flaky("work", vdir, NY).read(START, END)
    assert len(result.events) == 3
    assert any(p.place == str(vdir / "dup-1.ics") for p in result.problems)


# --------------------------------------------------------------------------- pre-scan


def test_prescan_keeps_what_matters_and_reads_the_same() -> None:
    for name in ("google_export.ics", "outlook_export.ics", "icloud.ics", "recurring.ics"):
        data = (DATA / name).read_bytes()
        for start in (START, datetime(2024, 3, 20, tzinfo=NY), datetime(2025, 3, 1, tzinfo=NY)):
            end = start + timedelta(days=9)
            fast = parse_calendar_bytes(data, "c", NY, start, end)
            full = parse_calendar_bytes(data, "c", NY, start, end, prescan=False)
            # (problems may differ: the full read also reports events outside the window)
            assert fast.events == full.events, (name, start)


ZONES = ["", "Z", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "Etc/GMT+12"]


@st.composite
def vevents(draw: st.DrawFn) -> tuple[str, str]:
    """One UID group as text: a master (maybe recurring) and maybe an override."""
    uid = f"u{draw(st.integers(0, 10**6))}"
    base = datetime(2024, 3, 1) + timedelta(minutes=15 * draw(st.integers(-2000, 2000)))
    zone = draw(st.sampled_from(ZONES))
    all_day = draw(st.booleans())

    def fmt(when: datetime) -> str:
        if all_day:
            return f";VALUE=DATE:{when:%Y%m%d}"
        if zone == "Z":
            return f":{when:%Y%m%dT%H%M%S}Z"
        if zone:
            return f";TZID={zone}:{when:%Y%m%dT%H%M%S}"
        return f":{when:%Y%m%dT%H%M%S}"

    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART{fmt(base)}"]
    length = (
        timedelta(days=draw(st.integers(1, 3)))
        if all_day
        else timedelta(minutes=15 * draw(st.integers(0, 12)))
    )
    end_kind = draw(st.sampled_from(["dtend", "duration", "none"]))
    if end_kind == "dtend":
        lines.append(f"DTEND{fmt(base + length)}")
    elif end_kind == "duration":
        lines.append(f"DURATION:P{length.days}DT{length.seconds}S")
    rule = draw(st.sampled_from(["", "count", "until", "open"]))
    if rule == "count":
        lines.append(f"RRULE:FREQ=DAILY;COUNT={draw(st.integers(1, 30))}")
    elif rule == "until":
        until = base + timedelta(days=draw(st.integers(0, 40)))
        lines.append(f"RRULE:FREQ=WEEKLY;UNTIL={until:%Y%m%dT%H%M%S}Z")
    elif rule == "open":
        lines.append("RRULE:FREQ=MONTHLY")
    if rule and draw(st.booleans()):
        lines.append(f"RDATE{fmt(base + timedelta(days=draw(st.integers(-5, 60))))}")
    lines.append("END:VEVENT")
    if rule and draw(st.booleans()):
        moved = base + timedelta(days=draw(st.integers(-40, 40)))
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"RECURRENCE-ID{fmt(base)}",
            f"DTSTART{fmt(moved)}",
            "SUMMARY:moved",
            "END:VEVENT",
        ]
    return uid, "\n".join(lines)


@settings(max_examples=80, deadline=None)
@given(
    groups=st.lists(vevents(), min_size=1, max_size=6),
    window_day=st.integers(-20, 40),
    window_days=st.integers(1, 10),
    owner=st.sampled_from([NY, BERLIN, ZoneInfo("Pacific/Auckland")]),
)
def test_prescan_never_drops_an_event_that_matters(
    groups: list[tuple[str, str]], window_day: int, window_days: int, owner: ZoneInfo
) -> None:
    text = "BEGIN:VCALENDAR\nVERSION:2.0\n" + "\n".join(g for _u, g in groups) + "\nEND:VCALENDAR\n"
    start = datetime(2024, 3, 1, tzinfo=owner) + timedelta(days=window_day)
    end = start + timedelta(days=window_days)
    fast = parse_calendar_text(text, "c", owner, start, end)
    full = parse_calendar_text(text, "c", owner, start, end, prescan=False)
    assert sorted(map(repr, fast.events)) == sorted(map(repr, full.events))
    assert fast.problems == full.problems
    for e in full.events:  # and what is read really overlaps the window
        assert e.start < end and (e.end > start or e.start == e.end >= start)


# --------------------------------------------------------------------------- real-world files


def _real_world_files() -> list[Path]:
    roots = [
        Path(str(importlib.resources.files("icalendar") / "tests")),
        Path(str(importlib.resources.files("recurring_ical_events") / "test" / "calendars")),
    ]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*.ics"))


def test_real_world_files_never_raise() -> None:
    files = _real_world_files()
    assert len(files) > 100
    start, end = datetime(2019, 1, 1, tzinfo=NY), datetime(2021, 1, 1, tzinfo=NY)
    total = 0
    for path in files:
        data = path.read_bytes()
        result = parse_calendar_bytes(data, "rw", NY, start, end, place=path.name)
        assert all(p.source == "rw" for p in result.problems)
        for e in result.events:
            assert e.start.tzinfo is not None and e.end >= e.start
        total += len(result.events)
    assert total > 1000


def test_example_calendar_reads_cleanly() -> None:
    example = Path(__file__).parent.parent / "examples" / "calendar.ics"
    if not example.exists():
        pytest.skip("examples/calendar.ics not written yet")
    start, end = datetime(2026, 1, 1, tzinfo=NY), datetime(2027, 7, 1, tzinfo=NY)
    result = IcsFileCalendar("example", example, NY).read(start, end)
    assert result.problems == []
    assert len(result.events) > 50
    assert any(e.recurrence_id is not None for e in result.events)
    full = IcsFileCalendar("example", example, NY)._parse(example.read_bytes(), start, end)
    assert full.events == result.events


# --------------------------------------------------------------------------- tzmap


def test_every_windows_zone_maps_to_a_known_iana_zone() -> None:
    assert len(tzmap.WINDOWS_TO_IANA) >= 135
    for windows_id, iana in tzmap.WINDOWS_TO_IANA.items():
        assert tzmap.iana_zone(iana) is not None, windows_id
    for windows_id in tzmap.WINDOWS_DISPLAY_NAMES.values():
        assert windows_id in tzmap.WINDOWS_TO_IANA


@pytest.mark.parametrize(
    ("name", "iana"),
    [
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("eastern standard time", "America/New_York"),
        ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
        ("(GMT-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"),
        ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Calcutta"),  # CLDR spelling
        ("(UTC+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney"),
        ("(UTC+01:00) Oslo, Copenhagen", "Europe/Oslo"),  # unknown display name: by city
    ],
)
def test_windows_names(name: str, iana: str) -> None:
    assert tzmap.windows_to_iana(name) == iana


@pytest.mark.parametrize(
    ("name", "offset_jan"),
    [
        ("America/Chicago", -6),
        ("/mozilla.org/20050126_1/America/New_York", -5),
        ("/citadel.org/20190914_1/Europe/Berlin", 1),
        ("tzone://Microsoft/Utc", 0),
        ("GMT+01:00", 1),
        ("UTC-0530", -5.5),
        ("Z", 0),
        ('"Tokyo Standard Time"', 9),
    ],
)
def test_resolve_tz_name(name: str, offset_jan: float) -> None:
    zone = tzmap.resolve_tz_name(name)
    assert zone is not None
    off = datetime(2024, 1, 15, 12, tzinfo=zone).utcoffset()
    assert off == timedelta(hours=offset_jan)


def test_unresolvable_names_and_offset_matching() -> None:
    for name in ("Customized Time Zone", "Mars Standard Time", "", "../../etc/passwd"):
        assert tzmap.resolve_tz_name(name) is None
    assert tzmap.match_offsets(timedelta(hours=-5), timedelta(hours=-4)) == "America/New_York"
    assert tzmap.match_offsets(timedelta(hours=1), timedelta(hours=2)) == "Europe/Berlin"
    assert tzmap.match_offsets(timedelta(hours=10), timedelta(hours=11), northern=False) == (
        "Australia/Sydney"
    )
    assert tzmap.match_offsets(timedelta(hours=5, minutes=30)) == "Asia/Kolkata"


def test_malformed_custom_vtimezone_is_matched_by_offsets() -> None:
    text = """BEGIN:VCALENDAR
BEGIN:VTIMEZONE
TZID:Customized Time Zone 1
BEGIN:STANDARD
DTSTART:16011104T020000
RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11;X-BROKEN=
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010311T020000
RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3;X-BROKEN=
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:m
DTSTART;TZID=Customized Time Zone 1:20240320T090000
DTEND;TZID=Customized Time Zone 1:20240320T100000
END:VEVENT
END:VCALENDAR
"""
    result = parse_calendar_text(text, "c", BERLIN, START, END, place="x.ics")
    [event] = result.events
    assert event.start == datetime(2024, 3, 20, 9, tzinfo=NY)
    assert [p.place for p in result.problems] == ["x.ics"]
    assert "America/New_York" in result.problems[0].message


def test_all_day_dates_are_dates_not_datetimes_in_recurrence_ids() -> None:
    result = read("google_export.ics")
    birthday = one(result, "Ellen Park's birthday")
    assert birthday.recurrence_id == datetime.combine(date(2024, 3, 7), datetime.min.time(), NY)


def test_partstat_declined_is_read_per_attendee() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from sync.sources.ics import parse_calendar_bytes

    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:inv-1\r\n"
        b"DTSTAMP:20261101T000000Z\r\nDTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n"
        b"SUMMARY:Vendor pitch\r\nORGANIZER:mailto:vendor@example.com\r\n"
        b"ATTENDEE;CN=Dana;PARTSTAT=DECLINED:mailto:Dana@X.com\r\n"
        b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@x.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    res = parse_calendar_bytes(
        data,
        "t",
        ZoneInfo("America/New_York"),
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    (ev,) = res.events
    assert ev.declined_by == ("dana@x.com",)
    assert set(ev.attendees) == {"vendor@example.com", "dana@x.com", "bob@x.com"}

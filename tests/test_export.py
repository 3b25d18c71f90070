"""The export package: iCalendar rendering, the agenda export, reading owned events back,
atomic writes."""

from __future__ import annotations

import errno
import os
import random
import re
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import export
from sync.export import (
    calendar_to_ical,
    clean_text,
    event_to_ical,
    has_marker,
    owned_from_ical,
    vevent,
    vtimezone,
    write_atomic,
)
from sync.model import Kind, PlannedEvent, fingerprint, planned_uid
from sync.sources.base import SourceError
from sync.sources.ics import parse_calendar_bytes

NY = ZoneInfo("America/New_York")
AGENDA = (
    "Why: Dana chairs the litigation section; ask how she moved to a boutique.\n"
    "Questions: which firms are growing? who should I meet next?\n"
    "Ask for advice, not a job; offer the CLE materials; follow up within 48h."
)


def ev(
    key: str = "1",
    start: datetime = datetime(2031, 3, 12, 8, 0, tzinfo=NY),
    minutes: int = 60,
    **kw: Any,
) -> PlannedEvent:
    fields: dict[str, Any] = {
        "uid": planned_uid("one-on-one", "c-1", key),
        "kind": Kind.ONE_ON_ONE,
        "title": "Breakfast with Dana Whitfield",
        "start": start,
        "end": start + timedelta(minutes=minutes),
        "location": "Le Pain Quotidien, 1131 Broadway, New York",
        "contacts": ("c-1",),
        "categories": ("mentors", "alumni"),
        "goal": "g1",
        "description": AGENDA,
        "activity": "breakfast",
    }
    fields.update(kw)
    return PlannedEvent(**fields)


def plan() -> list[PlannedEvent]:
    return [
        ev("1"),
        ev("2", start=datetime(2031, 3, 9, 1, 30, tzinfo=NY), minutes=120, title="Prep, notes"),
        ev("3", start=datetime(2031, 11, 2, 1, 30, tzinfo=NY), kind=Kind.GROUP, private=False),
        ev("4", start=datetime(2032, 1, 20, 12, 0, tzinfo=NY), transparent=True),
    ]


# =========================================================================== one VEVENT


def test_vevent_properties() -> None:
    e = ev()
    comp = vevent(e, NY, sequence=3)
    assert str(comp["uid"]) == e.uid
    assert str(comp["x-netweave-id"]) == e.uid
    assert str(comp["x-netweave-kind"]) == "one-on-one"
    assert str(comp["summary"]) == e.title
    assert str(comp["location"]) == e.location
    assert str(comp["description"]) == AGENDA
    assert [str(c) for c in comp["categories"].cats] == ["mentors", "alumni"]  # type: ignore[union-attr]
    assert str(comp["class"]) == "PRIVATE"
    assert str(comp["transp"]) == "OPAQUE"
    assert comp.decoded("sequence") == 3
    assert comp.decoded("dtstart") == e.start
    assert comp["dtstart"].params["TZID"] == "America/New_York"
    text = comp.to_ical().decode()
    assert "DTSTART;TZID=America/New_York:20310312T080000" in text
    assert "DTEND;TZID=America/New_York:20310312T090000" in text


def test_vevent_public_transparent_and_empty_fields() -> None:
    comp = vevent(
        ev(private=False, transparent=True, location="", description="", categories=()), NY
    )
    assert str(comp["class"]) == "PUBLIC"
    assert str(comp["transp"]) == "TRANSPARENT"
    for name in ("location", "description", "categories"):
        assert name not in comp


def test_vevent_converts_other_zones_to_owner_zone() -> None:
    start = datetime(2031, 6, 2, 14, 0, tzinfo=ZoneInfo("Europe/London"))
    comp = vevent(ev(start=start), NY)
    assert comp["dtstart"].params["TZID"] == "America/New_York"
    assert comp.decoded("dtstart") == start
    assert comp.decoded("dtstart").hour == 9


def test_dtstamp_given_or_derived() -> None:
    e = ev()
    run = datetime(2031, 3, 1, 7, 15, 42, 999, tzinfo=NY)
    assert "DTSTAMP:20310301T121542Z" in vevent(e, NY, dtstamp=run).to_ical().decode()
    naive = datetime(2031, 3, 1, 7, 15, 42)
    assert "DTSTAMP:20310301T071542Z" in vevent(e, NY, dtstamp=naive).to_ical().decode()
    # Without a run time: stable, and a later SEQUENCE still has a later stamp.
    a = vevent(e, NY, sequence=1).decoded("dtstamp")
    b = vevent(e, NY, sequence=2).decoded("dtstamp")
    assert a == vevent(e, NY, sequence=1).decoded("dtstamp") and b > a


def test_vevent_rejects_bad_events() -> None:
    e = ev()
    with pytest.raises(ValueError):
        vevent(replace(e, end=e.start), NY)
    with pytest.raises(ValueError):
        vevent(replace(e, start=e.start.replace(tzinfo=None)), NY)


def test_clean_text_drops_control_characters() -> None:
    assert clean_text("a\x00b\x07c\r\nd\re\tf\x7f") == "a" + "bc\nd\ne\tf"
    comp = vevent(ev(title="Lunch\x1b[31m", description="line1\r\nline2"), NY)
    assert str(comp["summary"]) == "Lunch[31m"
    assert str(comp["description"]) == "line1\nline2"


def test_uid_is_stable_across_runs() -> None:
    assert ev().uid == ev().uid == planned_uid("one-on-one", "c-1", "1")
    assert event_to_ical(ev(), NY) == event_to_ical(ev(), NY)


# =========================================================================== single resource


def test_event_to_ical_is_one_event_with_its_vtimezone() -> None:
    data = event_to_ical(ev(), NY, sequence=2, calendar_name="Networking")
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["prodid"]) == "-//netweave//netweave//EN"
    assert str(cal["version"]) == "2.0"
    assert str(cal["x-wr-calname"]) == "Networking"
    assert "method" not in cal  # CalDAV resources must not carry METHOD
    assert len(cal.walk("VEVENT")) == 1
    assert [str(t["tzid"]) for t in cal.walk("VTIMEZONE")] == ["America/New_York"]
    assert cal.walk("VEVENT")[0].decoded("sequence") == 2
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_repeated_hour_is_written_in_utc() -> None:
    """01:30 on 2031-11-02 happens twice in New York: each must come back as itself."""
    first = datetime(2031, 11, 2, 5, 30, tzinfo=UTC).astimezone(NY)  # 01:30 EDT
    second = datetime(2031, 11, 2, 6, 30, tzinfo=UTC).astimezone(NY)  # 01:30 EST
    assert first.replace(tzinfo=None) == second.replace(tzinfo=None)
    for start in (first, second):
        e = ev(start=start, minutes=30)
        data = event_to_ical(e, NY)
        assert f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}".encode() in data
        assert _fields_icalendar(data) == _fields_vobject(data) == _expected([e])
        got = owned_from_ical(data, "x", "e", NY)
        assert got is not None and got.fingerprint == fingerprint(
            e.start, e.end, e.title, e.location
        )
    # Times outside the repeated hour keep the zone.
    assert b"DTSTART;TZID=America/New_York:20311102T033000" in event_to_ical(
        ev(start=datetime(2031, 11, 2, 3, 30, tzinfo=NY)), NY
    )


def test_utc_owner_writes_utc_times_and_no_vtimezone() -> None:
    data = event_to_ical(ev(), ZoneInfo("UTC"))
    assert b"BEGIN:VTIMEZONE" not in data
    assert b"DTSTART:20310312T120000Z" in data


# =========================================================================== the agenda export


def test_export_is_byte_identical_and_order_independent() -> None:
    events = plan()
    first = calendar_to_ical(events, NY, "Networking")
    shuffled = list(events)
    random.Random(7).shuffle(shuffled)
    assert calendar_to_ical(shuffled, NY, "Networking") == first
    assert calendar_to_ical(list(reversed(events)), NY, "Networking") == first


def test_export_sorted_by_start_then_uid() -> None:
    t = datetime(2031, 5, 1, 8, 0, tzinfo=NY)
    events = [ev("b", start=t), ev("a", start=t), ev("c", start=t - timedelta(days=1))]
    cal = icalendar.Calendar.from_ical(calendar_to_ical(events, NY, "N"))
    got = [str(e["uid"]) for e in cal.walk("VEVENT")]
    same_time = sorted([events[0].uid, events[1].uid])
    assert got == [events[2].uid, *same_time]


def test_export_header_sequences_and_agenda() -> None:
    events = plan()
    data = calendar_to_ical(events, NY, "Networking — private", {events[1].uid: 4})
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["x-wr-calname"]) == "Networking — private"
    assert str(cal["x-wr-timezone"]) == "America/New_York"
    assert str(cal["method"]) == "PUBLISH"
    by_uid = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert by_uid[events[1].uid].decoded("sequence") == 4
    assert by_uid[events[0].uid].decoded("sequence") == 0
    assert all(str(e["description"]) == AGENDA for e in by_uid.values())
    assert str(by_uid[events[2].uid]["class"]) == "PUBLIC"
    assert str(by_uid[events[3].uid]["transp"]) == "TRANSPARENT"


def test_export_has_a_vtimezone_for_every_tzid_used() -> None:
    zones = ["Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo"]
    for zone in zones:
        data = calendar_to_ical(plan(), ZoneInfo(zone), "N")
        used = set(re.findall(rb"TZID=([^:;]+)", data))
        defined = set(re.findall(rb"\r\nTZID:([^\r]+)", data))
        assert used == defined == {zone.encode()}
        assert data.count(b"BEGIN:VTIMEZONE") == 1


def test_export_rejects_duplicate_uids() -> None:
    with pytest.raises(ValueError):
        calendar_to_ical([ev(), ev()], NY, "N")


def test_empty_export_is_valid() -> None:
    data = calendar_to_ical([], NY, "Networking")
    cal = icalendar.Calendar.from_ical(data)
    assert cal.walk("VEVENT") == [] and cal.walk("VTIMEZONE") == []
    vobject.readOne(data.decode())


def _fields_icalendar(data: bytes) -> list[tuple[str, datetime, datetime, str, str, str]]:
    cal = icalendar.Calendar.from_ical(data)
    return sorted(
        (
            str(e["uid"]),
            e.decoded("dtstart").astimezone(UTC),
            e.decoded("dtend").astimezone(UTC),
            str(e["summary"]),
            str(e.get("description", "")),
            str(e.get("location", "")),
        )
        for e in cal.walk("VEVENT")
    )


def _fields_vobject(data: bytes) -> list[tuple[str, datetime, datetime, str, str, str]]:
    cal = vobject.readOne(data.decode("utf-8"))
    out = []
    for e in getattr(cal, "vevent_list", []):
        out.append(
            (
                e.uid.value,
                e.dtstart.value.astimezone(UTC),
                e.dtend.value.astimezone(UTC),
                e.summary.value,
                e.description.value if hasattr(e, "description") else "",
                e.location.value if hasattr(e, "location") else "",
            )
        )
    return sorted(out)


def _expected(events: list[PlannedEvent]) -> list[tuple[str, datetime, datetime, str, str, str]]:
    return sorted(
        (
            e.uid,
            e.start.astimezone(UTC),
            e.end.astimezone(UTC),
            clean_text(e.title),
            clean_text(e.description),
            clean_text(e.location),
        )
        for e in events
    )


def test_round_trip_icalendar_vobject_and_our_reader() -> None:
    events = plan()
    data = calendar_to_ical(events, NY, "N")
    assert _fields_icalendar(data) == _expected(events)
    assert _fields_vobject(data) == _expected(events)
    res = parse_calendar_bytes(
        data, "export", NY, datetime(2031, 1, 1, tzinfo=NY), datetime(2033, 1, 1, tzinfo=NY)
    )
    assert not res.problems
    assert sorted((e.uid, e.start, e.end, e.netweave_id) for e in res.events) == sorted(
        (e.uid, e.start, e.end, e.uid) for e in events
    )


# =========================================================================== VTIMEZONE


ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Dublin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "America/Sao_Paulo",
    "America/Santiago",
    "Africa/Casablanca",
]


@pytest.mark.parametrize("zone", ZONES)
def test_vtimezone_offsets_match_zoneinfo(zone: str) -> None:
    """icalendar and vobject, reading only our VTIMEZONE (not the IANA name), agree with tzdata."""
    tz = ZoneInfo(zone)
    for first, last in ((2017, 2019), (2031, 2032)):
        comp = vtimezone(tz, first, last)
        ours_ical = comp.to_tz(lookup_tzid=False)
        text = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + comp.to_ical() + b"END:VCALENDAR\r\n"
        ours_vobj = vobject.readOne(text.decode()).vtimezone.gettzinfo()
        t = datetime(first, 1, 2, tzinfo=UTC)
        while t.year <= last:
            want = t.astimezone(tz).utcoffset()
            assert t.astimezone(ours_ical).utcoffset() == want, (zone, t)
            local = t.astimezone(tz)
            # vobject guesses in the repeated hour; compare away from transitions.
            if (local - timedelta(hours=3)).utcoffset() == (local + timedelta(hours=3)).utcoffset():
                assert t.astimezone(ours_vobj).utcoffset() == want, (zone, t)
            t += timedelta(hours=29)


def test_vtimezone_uses_yearly_rules() -> None:
    text = vtimezone(NY, 2031, 2033).to_ical().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in text
    assert "RDATE" not in text
    berlin = vtimezone(ZoneInfo("Europe/Berlin"), 2031, 2032).to_ical().decode()
    assert "BYDAY=-1SU;BYMONTH=3" in berlin and "BYDAY=-1SU;BYMONTH=10" in berlin


def test_vtimezone_bounds_a_rule_that_stopped() -> None:
    # Brazil dropped DST in 2019: the DST rule must not run on forever.
    text = vtimezone(ZoneInfo("America/Sao_Paulo"), 2016, 2021).to_ical().decode()
    assert "UNTIL=" in text or "RRULE" not in text.split("BEGIN:DAYLIGHT", 2)[-1]
    tz = vtimezone(ZoneInfo("America/Sao_Paulo"), 2016, 2021).to_tz(lookup_tzid=False)
    assert datetime(2021, 12, 1, tzinfo=UTC).astimezone(tz).utcoffset() == timedelta(hours=-3)


def test_vtimezone_is_deterministic() -> None:
    assert vtimezone(NY, 2031, 2032).to_ical() == vtimezone(NY, 2031, 2032).to_ical()


# =========================================================================== reading back


def test_owned_from_ical_fingerprint_matches() -> None:
    e = ev()
    data = event_to_ical(e, NY, sequence=5)
    got = owned_from_ical(data, "x.ics", '"1"', NY)
    assert got is not None
    assert (got.nid, got.href, got.etag, got.sequence) == (e.uid, "x.ics", '"1"', 5)
    assert got.fingerprint == fingerprint(e.start, e.end, e.title, e.location)
    assert got.transparent is False


def test_owned_from_ical_after_vobject_reserialisation() -> None:
    e = ev(title="Café; Zoë, Ångström\nand 東京", location="Room 3, \\ 4th floor")
    data = vobject.readOne(event_to_ical(e, NY).decode()).serialize().encode()
    got = owned_from_ical(data, "x.ics", "e", NY)
    assert got is not None
    assert got.fingerprint == fingerprint(e.start, e.end, e.title, e.location)


def test_foreign_events_are_not_ours() -> None:
    foreign = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u@example.com\r\n"
        b"DTSTART:20310101T100000Z\r\nDTEND:20310101T110000Z\r\n"
        b"DESCRIPTION:netweave notes\\nX-NETWEAVE-ID:nw-x@netweave.invalid\r\n"
        b"X-NETWEAVE-IDEA:not a marker\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert not has_marker(foreign)
    assert owned_from_ical(foreign, "f.ics", "e") is None


def test_user_made_it_all_day_or_used_duration() -> None:
    base = event_to_ical(ev(), NY).decode()
    all_day = re.sub(r"DTSTART;TZID=[^\r]+", "DTSTART;VALUE=DATE:20310312", base)
    all_day = re.sub(r"DTEND;TZID=[^\r]+", "DTEND;VALUE=DATE:20310313", all_day)
    got = owned_from_ical(all_day.encode(), "x", "e", NY)
    assert got is not None
    assert got.start == datetime(2031, 3, 12, tzinfo=NY) and got.end - got.start == timedelta(1)
    with_duration = re.sub(r"DTEND;TZID=[^\r]+", "DURATION:PT90M", base)
    got = owned_from_ical(with_duration.encode(), "x", "e", NY)
    assert got is not None and got.end - got.start == timedelta(minutes=90)


def test_outlook_style_custom_tzid_is_resolved_from_the_file() -> None:
    e = ev()
    text = event_to_ical(e, NY).decode().replace("America/New_York", "Eastern Standard Time")
    got = owned_from_ical(text.encode(), "x", "e", NY)
    assert got is not None
    assert got.start == e.start


def test_unreadable_owned_event_raises_value_error() -> None:
    base = event_to_ical(ev(), NY).decode()
    for broken in (
        re.sub(r"DTSTART;[^\r]+\r\n", "", base),
        re.sub(r"DTSTART;TZID=America/New_York:\d+T\d+", "DTSTART:2031-13-45", base),
        base.replace("END:VEVENT\r\n", ""),
    ):
        with pytest.raises(ValueError):
            owned_from_ical(broken.encode(), "bad.ics", "e", NY)


def test_recurrence_override_does_not_shadow_the_master() -> None:
    e = ev()
    data = event_to_ical(e, NY).decode()
    chunk = data[data.index("BEGIN:VEVENT") : data.index("END:VEVENT") + len("END:VEVENT\r\n")]
    override = chunk.replace(
        "BEGIN:VEVENT\r\n", "BEGIN:VEVENT\r\nRECURRENCE-ID:20310312T120000Z\r\n"
    )
    override = override.replace("SUMMARY:", "SUMMARY:moved ")
    got = owned_from_ical(data.replace(chunk, override + chunk).encode(), "x", "e", NY)
    assert got is not None and got.title == e.title


# =========================================================================== hypothesis

TEXT = st.text(
    alphabet=st.sampled_from(list("aZé東 ,;:\\\n\"'—\tß0")) | st.characters(codec="utf-8"),
    max_size=120,
)
HYPO_ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "UTC"]


@st.composite
def planned_events(draw: st.DrawFn) -> tuple[PlannedEvent, ZoneInfo]:
    tz = ZoneInfo(draw(st.sampled_from(HYPO_ZONES)))
    # Around the 2031 DST transitions of both hemispheres, or anywhere in 2030-2033.
    anchor = draw(
        st.sampled_from(
            [
                datetime(2031, 3, 9, 6, 0, tzinfo=UTC),
                datetime(2031, 11, 2, 5, 0, tzinfo=UTC),
                datetime(2031, 3, 30, 0, 0, tzinfo=UTC),
                datetime(2031, 4, 5, 15, 0, tzinfo=UTC),
                datetime(2030, 1, 1, tzinfo=UTC),
            ]
        )
    )
    start = anchor + timedelta(minutes=draw(st.integers(-600, 600 * 24 * 3)) // 15 * 15)
    length = timedelta(minutes=draw(st.integers(1, 16 * 60)))
    return (
        PlannedEvent(
            uid=planned_uid(draw(st.text(max_size=10))),
            kind=draw(st.sampled_from(list(Kind))),
            title=draw(TEXT),
            start=start.astimezone(tz),
            end=(start + length).astimezone(tz),
            location=draw(TEXT),
            categories=tuple(draw(st.lists(st.text(min_size=1, max_size=12), max_size=3))),
            description=draw(TEXT),
            transparent=draw(st.booleans()),
            private=draw(st.booleans()),
        ),
        tz,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planned_events(), st.integers(0, 1000))
def test_hypothesis_round_trip(pair: tuple[PlannedEvent, ZoneInfo], sequence: int) -> None:
    e, tz = pair
    data = event_to_ical(e, tz, sequence)
    assert event_to_ical(e, tz, sequence) == data
    assert _fields_icalendar(data) == _expected([e])
    assert _fields_vobject(data) == _expected([e])
    expected_fp = fingerprint(e.start, e.end, clean_text(e.title), clean_text(e.location))
    got = owned_from_ical(data, "h", "e", tz)
    assert got is not None
    assert (got.nid, got.sequence, got.transparent) == (e.uid, sequence, e.transparent)
    assert got.fingerprint == expected_fp
    full = export._owned_full(data, "h", "e", tz)
    assert full is not None
    assert (full.nid, full.title, full.location, full.sequence, full.transparent) == (
        got.nid,
        got.title,
        got.location,
        got.sequence,
        got.transparent,
    )
    assert full.fingerprint == got.fingerprint
    again = vobject.readOne(data.decode()).serialize().encode()
    got2 = owned_from_ical(again, "h", "e", tz)
    assert got2 is not None and got2.fingerprint == expected_fp
    if clean_text(e.title) == e.title and clean_text(e.location) == e.location:
        assert got.fingerprint == fingerprint(e.start, e.end, e.title, e.location)


@settings(max_examples=25, deadline=None)
@given(st.lists(planned_events(), min_size=1, max_size=6, unique_by=lambda p: p[0].uid))
def test_hypothesis_export_stable_and_complete(pairs: list[tuple[PlannedEvent, ZoneInfo]]) -> None:
    tz = pairs[0][1]
    events = [p[0] for p in pairs]
    data = calendar_to_ical(events, tz, "N")
    assert calendar_to_ical(list(reversed(events)), tz, "N") == data
    assert _fields_icalendar(data) == _expected(events)
    assert _fields_vobject(data) == _expected(events)


# =========================================================================== write_atomic


def test_write_atomic_creates_private_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "agenda.ics"
    write_atomic(path, b"one")
    assert path.read_bytes() == b"one"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    write_atomic(path, b"two")
    assert path.read_bytes() == b"two"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["agenda.ics"]


@pytest.mark.parametrize("where", ["write", "replace"])
def test_write_atomic_failure_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = tmp_path / "agenda.ics"
    path.write_bytes(b"old agenda")
    code = errno.ENOSPC if where == "write" else errno.EROFS

    def fail(*args: Any) -> Any:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, where, fail)
    with pytest.raises(SourceError) as info:
        write_atomic(path, b"new agenda" * 1000)
    monkeypatch.undo()
    assert str(path) in str(info.value)
    assert os.strerror(code) in str(info.value)
    assert path.read_bytes() == b"old agenda"
    assert [p.name for p in tmp_path.iterdir()] == ["agenda.ics"]


def test_write_atomic_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        write_atomic(tmp_path / "nope" / "a.ics", b"x")
    assert "nope" in str(info.value)


@pytest.mark.parametrize("text", ["x\\N y", "a\\nb", "C:\\Users\\dana", "a;b,c\nd"])
def test_backslashes_survive_the_round_trip(text: str) -> None:
    """icalendar escapes a literal backslash-N as a newline; our TEXT escaping does not."""
    import icalendar as ical

    e = PlannedEvent(
        uid="nw-bs@netweave.invalid",
        kind=Kind.ONE_ON_ONE,
        title=text,
        start=datetime(2031, 3, 9, 9, 0, tzinfo=NY),
        end=datetime(2031, 3, 9, 10, 0, tzinfo=NY),
        location=text,
        description=text,
    )
    data = event_to_ical(e, NY)
    comp = next(iter(ical.Calendar.from_ical(data).walk("VEVENT")))
    assert str(comp["summary"]) == str(comp["location"]) == str(comp["description"]) == text
    owned = owned_from_ical(data, "h", "e")
    assert owned is not None and owned.title == text and owned.location == text


def test_vtimezone_is_the_same_whatever_years_the_events_span() -> None:
    """vobject caches a zone by TZID for the whole process: a file with events in 2031 read
    first must not make a later file's 2026 event an hour off."""

    def ev(year: int) -> PlannedEvent:
        return PlannedEvent(
            uid=f"nw-y{year}@netweave.invalid",
            kind=Kind.ONE_ON_ONE,
            title="t",
            start=datetime(year, 3, 10, 8, 0, tzinfo=NY),
            end=datetime(year, 3, 10, 9, 0, tzinfo=NY),
        )

    later, sooner = event_to_ical(ev(2031), NY), event_to_ical(ev(2026), NY)
    list(vobject.readComponents(later.decode()))  # registers America/New_York
    cal = next(vobject.readComponents(sooner.decode()))
    start = cal.vevent.dtstart.value
    assert start.utcoffset() == timedelta(hours=-4)  # EDT: DST began on 8 March 2026

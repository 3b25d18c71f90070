"""Writable local calendars: the shared contract on both, plus what is specific to files."""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from contract import NY, WritableCalendarContract, planned

from sync import export
from sync.export import etag_of, has_marker
from sync.sources import localwrite
from sync.sources.base import NotFound, OwnedEvent, PreconditionFailed, SourceError
from sync.sources.localwrite import (
    WritableIcsFileCalendar,
    WritableVdirCalendar,
    _segments,
    safe_href,
)

# A user's event as Thunderbird writes it (own VTIMEZONE, alarm, attendee, CRLF).
THUNDERBIRD_EVENT = (
    "BEGIN:VCALENDAR\r\n"
    "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n"
    "VERSION:2.0\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:America/New_York\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:-0500\r\n"
    "TZOFFSETTO:-0400\r\n"
    "TZNAME:EDT\r\n"
    "DTSTART:19700308T020000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:-0400\r\n"
    "TZOFFSETTO:-0500\r\n"
    "TZNAME:EST\r\n"
    "DTSTART:19701101T020000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "CREATED:20310101T120000Z\r\n"
    "LAST-MODIFIED:20310101T120000Z\r\n"
    "DTSTAMP:20310101T120000Z\r\n"
    "UID:{uid}\r\n"
    "SUMMARY:{summary}\r\n"
    "ORGANIZER;CN=Pat Lee:mailto:pat@firm.example\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED;CN=Pat Lee:mailto:pat@firm.example\r\n"
    "DTSTART;TZID=America/New_York:{start}\r\n"
    "DTEND;TZID=America/New_York:{end}\r\n"
    "DESCRIPTION:Privileged & confidential\\, do not forward\r\n"
    "BEGIN:VALARM\r\n"
    "ACTION:DISPLAY\r\n"
    "TRIGGER;VALUE=DURATION:-PT15M\r\n"
    "DESCRIPTION:Reminder\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def _fmt(dt: datetime) -> str:
    return dt.astimezone(NY).strftime("%Y%m%dT%H%M%S")


def thunderbird(uid: str, summary: str, start: datetime, end: datetime) -> bytes:
    return THUNDERBIRD_EVENT.format(
        uid=uid, summary=summary, start=_fmt(start), end=_fmt(end)
    ).encode()


def _move_ical(data: bytes, nid: str, start: datetime, end: datetime) -> bytes:
    """What a calendar app does when the user drags the event: reparse, move, reserialise."""
    cal = icalendar.Calendar.from_ical(data)
    for ev in cal.walk("VEVENT"):
        if str(ev.get("x-netweave-id", "")) == nid:
            for name, value in (("dtstart", start), ("dtend", end)):
                del ev[name]
                ev.add(name, value)
            seq = int(ev.decoded("sequence")) if "sequence" in ev else 0
            del ev["sequence"]
            ev.add("sequence", seq + 1)
    return bytes(cal.to_ical())


# =========================================================================== vdir


class TestVdirContract(WritableCalendarContract):
    @pytest.fixture
    def calendar(self, tmp_path: Path) -> WritableVdirCalendar:
        return WritableVdirCalendar("vdir", tmp_path / "personal", NY)

    def add_foreign(
        self, calendar: Any, uid: str, summary: str, start: datetime, end: datetime
    ) -> None:
        calendar.folder.mkdir(exist_ok=True)
        name = f"{abs(hash(uid)) % 10**12:012d}-user.ics"
        (calendar.folder / name).write_bytes(thunderbird(uid, summary, start, end))

    def user_edit(self, calendar: Any, owned: OwnedEvent, start: datetime, end: datetime) -> None:
        path = calendar.folder / owned.href
        path.write_bytes(_move_ical(path.read_bytes(), owned.nid, start, end))

    def user_delete(self, calendar: Any, owned: OwnedEvent) -> None:
        (calendar.folder / owned.href).unlink()

    def stored_description(self, calendar: Any, owned: OwnedEvent) -> str:
        cal = icalendar.Calendar.from_ical((calendar.folder / owned.href).read_bytes())
        return str(cal.walk("VEVENT")[0]["description"])

    def foreign_snapshot(self, calendar: Any) -> object:
        files = sorted(calendar.folder.iterdir()) if calendar.folder.exists() else []
        return {p.name: p.read_bytes() for p in files if not has_marker(p.read_bytes())}


def test_vdir_file_names_are_safe(tmp_path: Path) -> None:
    assert safe_href("nw-abc@netweave.invalid") == "nw-abc@netweave.invalid.ics"
    for bad in ("../../etc/passwd", "a/b", ".hidden", "x" * 300, "ünï"):
        href = safe_href(bad)
        assert "/" not in href and not href.startswith(".") and len(href) < 100
    cal = WritableVdirCalendar("vdir", tmp_path / "cal", NY)
    ev = replace(planned(), uid="weird/uid with spaces@x")
    got = cal.insert(ev)
    assert (tmp_path / "cal" / got.href).is_file()
    assert [o.nid for o in cal.list_owned()] == [ev.uid]


def test_vdir_file_is_a_valid_single_event_resource(tmp_path: Path) -> None:
    cal = WritableVdirCalendar("vdir", tmp_path / "cal", NY)
    ev = planned()
    got = cal.insert(ev)
    data = (tmp_path / "cal" / got.href).read_bytes()
    assert got.etag == etag_of(data)
    parsed = icalendar.Calendar.from_ical(data)
    assert [str(e["uid"]) for e in parsed.walk("VEVENT")] == [ev.uid]
    assert [str(t["tzid"]) for t in parsed.walk("VTIMEZONE")] == ["America/New_York"]
    v = vobject.readOne(data.decode())
    assert v.vevent.dtstart.value == ev.start
    assert v.vevent.x_netweave_id.value == ev.uid


def test_vdir_foreign_file_with_our_name_is_never_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "cal"
    folder.mkdir()
    ev = planned()
    squatter = folder / safe_href(ev.uid)
    user_bytes = thunderbird("user@example.com", "Mine", ev.start, ev.end)
    squatter.write_bytes(user_bytes)
    cal = WritableVdirCalendar("vdir", folder, NY)
    assert cal.list_owned() == []
    with pytest.raises(PreconditionFailed):
        cal.insert(ev)
    # Even with the right etag, a file without the marker is not ours to change.
    with pytest.raises(PreconditionFailed):
        cal.update(squatter.name, etag_of(user_bytes), ev, 1)
    with pytest.raises(PreconditionFailed):
        cal.delete(squatter.name, etag_of(user_bytes))
    assert squatter.read_bytes() == user_bytes


def test_vdir_marker_found_under_any_file_name(tmp_path: Path) -> None:
    """A sync tool may rename files: the marker, not the name, decides ownership."""
    folder = tmp_path / "cal"
    cal = WritableVdirCalendar("vdir", folder, NY)
    ev = planned()
    got = cal.insert(ev)
    (folder / got.href).rename(folder / "0A1B2C.ics")
    listed = cal.list_owned()
    assert [(o.nid, o.href) for o in listed] == [(ev.uid, "0A1B2C.ics")]
    with pytest.raises(PreconditionFailed):
        cal.insert(ev)
    cal.delete("0A1B2C.ics", listed[0].etag)
    assert cal.list_owned() == []


def test_vdir_ignores_hidden_and_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "cal"
    cal = WritableVdirCalendar("vdir", folder, NY)
    ev = planned()
    cal.insert(ev)
    (folder / ".nw-tmp.ics").write_bytes(b"BEGIN:VCALENDAR\r\nX-NETWEAVE-ID:x\r\n")
    (folder / "color").write_text("#ff0000")
    (folder / "sub.ics").mkdir()
    assert [o.nid for o in cal.list_owned()] == [ev.uid]


def test_vdir_unreadable_owned_file_is_an_error_not_a_deletion(tmp_path: Path) -> None:
    folder = tmp_path / "cal"
    cal = WritableVdirCalendar("vdir", folder, NY)
    cal.insert(planned())
    bad = folder / "broken.ics"
    bad.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX-NETWEAVE-ID:nw-x@netweave.invalid\r\n")
    with pytest.raises(SourceError) as info:
        cal.list_owned()
    assert "broken.ics" in str(info.value)


def test_vdir_missing_folder_is_empty_until_the_first_insert(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "networking"
    cal = WritableVdirCalendar("vdir", folder, NY)
    assert cal.list_owned() == []
    assert cal.read(*TestVdirContract.window).events == []
    assert not folder.exists()
    cal.insert(planned())
    assert len(list(folder.iterdir())) == 1


def test_vdir_insert_race_loses_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer creates the file between our scan and our link: no overwrite."""
    folder = tmp_path / "cal"
    folder.mkdir()
    cal = WritableVdirCalendar("vdir", folder, NY)
    ev = planned()
    real_link = os.link

    def racing_link(src: str, dst: str) -> None:
        Path(dst).write_bytes(b"theirs")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(PreconditionFailed):
        cal.insert(ev)
    assert (folder / safe_href(ev.uid)).read_bytes() == b"theirs"
    assert [p.name for p in folder.iterdir()] == [safe_href(ev.uid)]  # no temp file left


def test_vdir_failed_update_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cal"
    cal = WritableVdirCalendar("vdir", folder, NY)
    ev = planned()
    got = cal.insert(ev)
    before = (folder / got.href).read_bytes()

    def full(src: Any, dst: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(SourceError) as info:
        cal.update(got.href, got.etag, replace(ev, title="Lunch"), 1)
    assert "No space left on device" in str(info.value)
    assert str(folder / got.href) in str(info.value)
    assert (folder / got.href).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [got.href]


# =========================================================================== single file

USER_FILE_LF = (
    "BEGIN:VCALENDAR\n"
    "VERSION:2.0\n"
    "PRODID:-//Apple Inc.//macOS 14.0//EN\n"
    "X-WR-CALNAME:Work\n"
    "BEGIN:VTODO\n"
    "UID:todo-1@example.com\n"
    "SUMMARY:File the brief\\; call back\n"
    "DUE;VALUE=DATE:20310507\n"
    "END:VTODO\n"
    "BEGIN:VEVENT\n"
    "UID:weekly-1@example.com\n"
    "DTSTAMP:20300101T000000Z\n"
    "DTSTART:20310106T140000Z\n"
    "DTEND:20310106T150000Z\n"
    "RRULE:FREQ=WEEKLY;BYDAY=MO\n"
    "SUMMARY:Partners' meeting — très important\n"
    "DESCRIPTION:A long line that is folded by the app that wrote it because it i\n"
    " s longer than seventy-five octets.\n"
    "END:VEVENT\n"
    "END:VCALENDAR\n"
)


class TestIcsFileContract(WritableCalendarContract):
    @pytest.fixture(params=["missing", "user-crlf", "user-lf"])
    def calendar(self, request: pytest.FixtureRequest, tmp_path: Path) -> WritableIcsFileCalendar:
        path = tmp_path / "calendar.ics"
        if request.param == "user-crlf":
            t = datetime(2031, 2, 3, 10, 0, tzinfo=NY)
            path.write_bytes(thunderbird("tb-1@example.com", "Hearing", t, t + timedelta(hours=3)))
        elif request.param == "user-lf":
            path.write_bytes(USER_FILE_LF.encode())
        return WritableIcsFileCalendar("file", path, NY)

    def add_foreign(
        self, calendar: Any, uid: str, summary: str, start: datetime, end: datetime
    ) -> None:
        path: Path = calendar.file
        event = (
            "BEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20310101T000000Z\r\n"
            f"DTSTART;TZID=America/New_York:{_fmt(start)}\r\n"
            f"DTEND;TZID=America/New_York:{_fmt(end)}\r\n"
            f"SUMMARY:{summary.replace(',', chr(92) + ',')}\r\nEND:VEVENT\r\n"
        ).encode()
        if path.exists():
            data = path.read_bytes()
            cut = data.rstrip().rfind(b"END:VCALENDAR")
            if b"\r\n" not in data:
                event = event.replace(b"\r\n", b"\n")
            path.write_bytes(data[:cut] + event + data[cut:])
        else:
            path.write_bytes(
                b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//user//EN\r\n"
                + event
                + b"END:VCALENDAR\r\n"
            )

    def user_edit(self, calendar: Any, owned: OwnedEvent, start: datetime, end: datetime) -> None:
        path: Path = calendar.file
        path.write_bytes(_move_ical(path.read_bytes(), owned.nid, start, end))

    def user_delete(self, calendar: Any, owned: OwnedEvent) -> None:
        path: Path = calendar.file
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        cal.subcomponents = [
            c for c in cal.subcomponents if str(c.get("x-netweave-id", "")) != owned.nid
        ]
        path.write_bytes(cal.to_ical())

    def stored_description(self, calendar: Any, owned: OwnedEvent) -> str:
        cal = icalendar.Calendar.from_ical(calendar.file.read_bytes())
        for ev in cal.walk("VEVENT"):
            if str(ev.get("x-netweave-id", "")) == owned.nid:
                return str(ev["description"])
        raise AssertionError("not found")

    def foreign_snapshot(self, calendar: Any) -> object:
        """Exact bytes of every component and line that is not netweave's."""
        if not calendar.file.exists():
            return []
        return [
            s.data
            for s in _segments(calendar.file.read_bytes(), "t")
            if not (s.kind in ("VEVENT", "VTIMEZONE") and b"X-NETWEAVE-" in s.data)
        ]


def test_single_file_user_content_preserved_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "work.ics"
    original = USER_FILE_LF.encode()
    path.write_bytes(original)
    cal = WritableIcsFileCalendar("work", path, NY)
    a = cal.insert(planned("a"))
    b = cal.insert(planned("b", start=datetime(2031, 7, 1, 12, 0, tzinfo=NY)))
    data = path.read_bytes()
    assert b"\r\n" not in data  # the file's own line endings are kept
    user_event = original[original.index(b"BEGIN:VEVENT") : original.index(b"END:VCALENDAR")]
    assert user_event in data  # the user's event, folded line and all
    assert b"BEGIN:VTODO\nUID:todo-1@example.com\nSUMMARY:File the brief\\; call back\n" in data
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    # Both readers accept the result; the user's items are all still there.
    parsed = icalendar.Calendar.from_ical(data)
    assert {str(e["uid"]) for e in parsed.walk("VEVENT")} == {
        "weekly-1@example.com",
        a.nid,
        b.nid,
    }
    assert len(parsed.walk("VTODO")) == 1
    assert len(list(vobject.readOne(data.decode()).vevent_list)) == 3
    # Removing netweave's events restores the user's file exactly.
    cal.delete(a.href, a.etag)
    cal.delete(b.href, b.etag)
    assert path.read_bytes() == original


def test_single_file_uses_the_users_vtimezone(tmp_path: Path) -> None:
    path = tmp_path / "tb.ics"
    t = datetime(2031, 2, 3, 10, 0, tzinfo=NY)
    original = thunderbird("tb-1@example.com", "Hearing", t, t + timedelta(hours=3))
    path.write_bytes(original)
    cal = WritableIcsFileCalendar("tb", path, NY)
    got = cal.insert(planned())
    data = path.read_bytes()
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    assert data.startswith(original[: original.index(b"BEGIN:VEVENT")])
    cal.delete(got.href, got.etag)
    assert path.read_bytes() == original


def test_single_file_created_when_missing_and_valid(tmp_path: Path) -> None:
    path = tmp_path / "netweave.ics"
    cal = WritableIcsFileCalendar("nw", path, NY)
    assert cal.list_owned() == []
    assert not path.exists()
    ev = planned()
    cal.insert(ev)
    data = path.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    v = vobject.readOne(data.decode())
    assert v.vevent.dtstart.value == ev.start
    nested = WritableIcsFileCalendar("nw", tmp_path / "out" / "x.ics", NY)
    assert nested.list_owned() == []
    assert nested.read(*TestIcsFileContract.window).events == []
    nested.insert(ev)
    assert [o.nid for o in nested.list_owned()] == [ev.uid]


def test_single_file_rewrite_is_deterministic(tmp_path: Path) -> None:
    path = tmp_path / "c.ics"
    path.write_bytes(USER_FILE_LF.encode())
    cal = WritableIcsFileCalendar("c", path, NY)
    ev = planned()
    got = cal.insert(ev)
    first = path.read_bytes()
    again = cal.update(got.href, got.etag, ev, 0)
    assert path.read_bytes() == first
    assert again.etag == got.etag


def test_single_file_malformed_is_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "broken.ics"
    broken = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\nSUMMARY:half written\r\n"
    path.write_bytes(broken)
    cal = WritableIcsFileCalendar("b", path, NY)
    with pytest.raises(SourceError) as info:
        cal.insert(planned())
    assert "broken.ics" in str(info.value) or "unterminated" in str(info.value)
    assert path.read_bytes() == broken
    path.write_bytes(b"this is not a calendar\n")
    with pytest.raises(SourceError):
        cal.list_owned()


def test_single_file_failed_write_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.ics"
    path.write_bytes(USER_FILE_LF.encode())
    cal = WritableIcsFileCalendar("c", path, NY)
    got = cal.insert(planned())
    before = path.read_bytes()
    real_write = os.write

    def disk_full(fd: int, data: Any) -> int:
        if len(data) > 100:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(SourceError) as info:
        cal.update(got.href, got.etag, replace(planned(), title="Lunch"), 1)
    assert "No space left on device" in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.ics"]


def test_single_file_duplicate_copies_are_both_addressable(tmp_path: Path) -> None:
    """A client duplicated our event: both copies are listed (the engine removes one)."""
    path = tmp_path / "c.ics"
    cal = WritableIcsFileCalendar("c", path, NY)
    got = cal.insert(planned())
    data = path.read_bytes()
    chunk = data[data.index(b"BEGIN:VEVENT") : data.index(b"END:VEVENT") + len(b"END:VEVENT\r\n")]
    path.write_bytes(data.replace(chunk, chunk + chunk))
    listed = cal.list_owned()
    assert [o.href for o in listed] == [got.href, got.href + "#2"]
    cal.delete(listed[1].href, listed[1].etag)
    assert [o.href for o in cal.list_owned()] == [got.href]


def test_single_file_other_zone_and_utc(tmp_path: Path) -> None:
    for zone in ("Europe/Berlin", "UTC"):
        tz = ZoneInfo(zone)
        path = tmp_path / f"{zone.replace('/', '_')}.ics"
        cal = WritableIcsFileCalendar("c", path, tz)
        ev = planned()
        cal.insert(ev)
        data = path.read_bytes()
        assert (b"BEGIN:VTIMEZONE" in data) == (zone != "UTC")
        assert cal.list_owned()[0].fingerprint == export.owned_from_ical(data, "x", "y").fingerprint  # type: ignore[union-attr]


def test_readers_see_written_events(tmp_path: Path) -> None:
    """read() comes from the ics readers: owned events carry netweave_id."""
    for cal in (
        WritableVdirCalendar("v", tmp_path / "v", NY),
        WritableIcsFileCalendar("f", tmp_path / "f.ics", NY),
    ):
        ev = planned()
        cal.insert(ev)
        res = cal.read(datetime(2031, 3, 1, tzinfo=NY), datetime(2031, 4, 1, tzinfo=NY))
        assert [(e.uid, e.netweave_id, e.start, e.end) for e in res.events] == [
            (ev.uid, ev.uid, ev.start, ev.end)
        ]
        assert not res.problems


def test_update_of_missing_href(tmp_path: Path) -> None:
    for cal in (
        WritableVdirCalendar("v", tmp_path / "v", NY),
        WritableIcsFileCalendar("f", tmp_path / "f.ics", NY),
    ):
        cal.insert(planned())
        with pytest.raises(NotFound):
            cal.update("../../etc/passwd", '"x"', planned(), 1)


def test_module_has_no_mutable_globals() -> None:
    for name, value in vars(localwrite).items():
        if not name.startswith("__"):
            assert not isinstance(value, list | dict | set), name


def test_single_file_concurrent_change_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's app saves the file while netweave prepares its write: theirs wins."""
    path = tmp_path / "c.ics"
    path.write_bytes(USER_FILE_LF.encode())
    cal = WritableIcsFileCalendar("c", path, NY)
    theirs = USER_FILE_LF.replace("Partners' meeting", "Partners' meeting (moved)").encode()
    real = WritableIcsFileCalendar._fix_timezones

    def meanwhile(self: WritableIcsFileCalendar, segs: Any, newline: bytes) -> Any:
        path.write_bytes(theirs)
        return real(self, segs, newline)

    monkeypatch.setattr(WritableIcsFileCalendar, "_fix_timezones", meanwhile)
    with pytest.raises(PreconditionFailed):
        cal.insert(planned())
    assert path.read_bytes() == theirs


def test_single_file_with_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.ics"
    original = b"\xef\xbb\xbf" + USER_FILE_LF.replace("\n", "\r\n").encode()
    path.write_bytes(original)
    cal = WritableIcsFileCalendar("bom", path, NY)
    got = cal.insert(planned())
    assert path.read_bytes().startswith(b"\xef\xbb\xbfBEGIN:VCALENDAR\r\n")
    assert [o.nid for o in cal.list_owned()] == [got.nid]
    cal.delete(got.href, got.etag)
    assert path.read_bytes() == original


def test_single_file_unchanged_update_does_not_touch_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.ics"
    cal = WritableIcsFileCalendar("c", path, NY)
    ev = planned()
    got = cal.insert(ev)
    before = path.stat().st_mtime_ns, path.stat().st_ino
    cal.update(got.href, got.etag, ev, 0)
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before


def _corpus() -> list[Path]:
    import importlib.resources

    root = Path(str(importlib.resources.files("icalendar") / "tests"))
    return sorted(root.rglob("*.ics"))


def test_segments_reassemble_real_world_files_exactly() -> None:
    """Outlook, Google, Thunderbird... files shipped with icalendar: splitting and joining the
    segments gives back the same bytes, and nothing there is taken for netweave's."""
    files = [p for p in _corpus() if p.read_bytes().lstrip().upper().startswith(b"BEGIN:VCAL")]
    assert len(files) > 50  # (the others are bare VEVENT/VTODO fragments: refused as calendars)
    split = 0
    for path in files:
        data = path.read_bytes()
        try:
            segs = _segments(data, str(path))
        except SourceError:
            continue  # deliberately broken files: refused, never rewritten
        split += 1
        assert b"".join(s.data for s in segs) == data, path
        assert not any(s.marked for s in segs), path
    assert split > 0.9 * len(files)


def test_segments_edge_cases() -> None:
    data = (
        b"begin:vcalendar\nversion:2.0\nbegin:vevent\nuid:a\nsummary:long weekend\n"
        b"description:ends with\n END:VEVENT inside a folded line\\nX-NETWEAVE-ID:no\n"
        b"dtend:20310101T000000Z\nend:vevent\nend:vcalendar"
    )
    segs = _segments(data, "t")
    assert [s.kind for s in segs] == ["TEXT", "VEVENT", "END"]
    assert b"".join(s.data for s in segs) == data
    assert not segs[1].marked
    two = (
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
        b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
    assert [(s.kind, s.cal) for s in _segments(two, "t")] == [
        ("TEXT", 0),
        ("END", 0),
        ("TEXT", 1),
        ("VTODO", 1),
        ("END", 1),
    ]


def test_real_world_files_survive_insert_and_delete(tmp_path: Path) -> None:
    """Write into copies of real calendars (Google, Outlook, Thunderbird exports...): the user's
    components are untouched, and removing our event restores the file byte for byte."""
    tried = 0
    for src in _corpus():
        data = src.read_bytes()
        if b"BEGIN:VEVENT" not in data or not data.lstrip().upper().startswith(b"BEGIN:VCAL"):
            continue
        try:
            segs = _segments(data, "t")
        except SourceError:
            continue
        path = tmp_path / src.name
        path.write_bytes(data)
        cal = WritableIcsFileCalendar("real", path, NY)
        try:
            got = cal.insert(planned())
        except PreconditionFailed:
            continue  # the fixture reuses a UID like ours: nothing written
        after = _segments(path.read_bytes(), "t")
        kept = [s.data for s in after if not (s.marked or b"X-NETWEAVE-GENERATED" in s.data)]
        assert kept == [s.data for s in segs], src
        assert [o.nid for o in cal.list_owned()] == [got.nid]
        cal.delete(got.href, got.etag)
        assert path.read_bytes() == data, src
        tried += 1
    assert tried > 30

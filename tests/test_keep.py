"""What netweave keeps of the user's additions when it rewrites one of its events (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from sync.export import rewrite_ical, rewrite_vevent
from sync.export.keep import merge_notes, notes_hash
from sync.model import Kind, PlannedEvent, planned_uid

NY = ZoneInfo("America/New_York")
T0 = datetime(2027, 3, 2, 9, 0, tzinfo=NY)


def planned(description: str, title: str = "Coffee with Ada") -> PlannedEvent:
    return PlannedEvent(
        uid=planned_uid("t", "ada"), kind=Kind.ONE_ON_ONE, title=title, start=T0,
        end=T0 + timedelta(hours=1), location="Midtown", description=description,
    )  # fmt: skip


def test_merge_notes() -> None:
    old = "Agenda\n  - ask about the firm"
    h = notes_hash(old)
    assert merge_notes(old, h, "New agenda") == "New agenda"  # untouched: replaced
    assert merge_notes(f"{old}\n\nMy note", h, "New agenda") == "New agenda\n\nMy note"
    assert merge_notes(f"{old}\r\nMy note", h, "") == "My note"
    assert merge_notes("I rewrote it all", h, "New agenda") == "I rewrote it all"  # theirs
    assert merge_notes("", h, "New agenda") == "New agenda"
    assert merge_notes("anything", None, "New agenda") == "New agenda"  # no history: ours
    assert merge_notes("My own note", notes_hash(""), "Agenda") == "Agenda\n\nMy own note"


def test_rewrite_keeps_properties_components_and_notes() -> None:
    first = rewrite_ical(None, planned("Agenda one"), NY, 0)
    cal = icalendar.Calendar.from_ical(first)
    ev = next(iter(cal.walk("VEVENT")))
    ev["DESCRIPTION"] = "Agenda one\n\nBring the brief"
    ev.add("ATTENDEE", "mailto:guest@example.com", parameters={"CN": "Guest, Esq."})
    ev.add("X-APPLE-TRAVEL-ADVISORY-BEHAVIOR", "AUTOMATIC")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-15))
    ev.add_component(alarm)
    todo = icalendar.Todo()
    todo.add("uid", "todo-1")
    todo.add("summary", "Follow up")
    cal.add_component(todo)
    cal.add("X-WR-CALNAME", "Mine")
    edited = bytes(cal.to_ical())
    again = rewrite_ical(edited, planned("Agenda two", title="Lunch with Ada"), NY, 1)
    out = icalendar.Calendar.from_ical(again)
    new = next(iter(out.walk("VEVENT")))
    assert str(new["SUMMARY"]) == "Lunch with Ada" and new.decoded("SEQUENCE") == 1
    assert str(new["DESCRIPTION"]) == "Agenda two\n\nBring the brief"
    assert str(new["ATTENDEE"]) == "mailto:guest@example.com"
    assert new["ATTENDEE"].params["CN"] == "Guest, Esq."
    assert str(new["X-APPLE-TRAVEL-ADVISORY-BEHAVIOR"]) == "AUTOMATIC"
    assert [str(a["ACTION"]) for a in new.walk("VALARM")] == ["DISPLAY"]
    assert [str(t["SUMMARY"]) for t in out.walk("VTODO")] == ["Follow up"]
    assert str(out["X-WR-CALNAME"]) == "Mine"
    assert len(list(out.walk("VTIMEZONE"))) == 1 and len(list(out.walk("VEVENT"))) == 1
    # Rewriting what it just wrote changes nothing.
    assert rewrite_ical(again, planned("Agenda two", title="Lunch with Ada"), NY, 1) == again


def test_rewrite_vevent_chunk_keeps_alarm() -> None:
    chunk = rewrite_vevent(None, planned("A"), NY, 0)
    with_alarm = chunk.replace(
        b"END:VEVENT",
        b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT",
    )
    out = rewrite_vevent(with_alarm, planned("B"), NY, 1)
    assert b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT" in out
    assert b"DESCRIPTION:B\r\n" in out and out.count(b"BEGIN:VALARM") == 1

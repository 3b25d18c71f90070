"""The contract every :class:`~sync.sources.base.WritableCalendar` must pass (vdirsyncer style).

How to use it for a new backend::

    from contract import WritableCalendarContract   # tests/ is on sys.path under pytest

    class TestMyBackendContract(WritableCalendarContract):
        @pytest.fixture
        def calendar(self, tmp_path):          # a fresh, empty writable calendar per test
            return MyBackend(...)

        # Optional hooks (tests that need a hook you do not implement are skipped, visibly):
        def add_foreign(self, calendar, uid, summary, start, end): ...  # a user's own event
        def user_edit(self, calendar, owned, start, end): ...           # the user moves ours
        def user_delete(self, calendar, owned): ...                     # the user deletes ours
        def stored_description(self, calendar, owned): ...              # DESCRIPTION as stored
        def foreign_snapshot(self, calendar): ...                       # exact state of the
                                                                        # user's events

What is checked: insert / list_owned round trip (same fingerprint as
:func:`sync.model.fingerprint` of what was written), one event per uid (a second insert raises
PreconditionFailed), every update and delete checks the etag (PreconditionFailed on a stale one,
NotFound when gone), the etag changes on every write, user edits out of band change the etag,
foreign events are never listed as owned and survive every write unchanged, ``read(start, end)``
returns owned events (with ``netweave_id``) and foreign ones in the window, and non-ASCII titles
and long descriptions round trip.

The suite uses dates in 2031 in ``America/New_York`` (``tz``), including a meeting on the night
the clocks change (2031-03-09), so a backend that mishandles zones fails here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sync.model import Event, Kind, PlannedEvent, fingerprint, planned_uid
from sync.sources.base import (
    NotFound,
    OwnedEvent,
    PreconditionFailed,
    WritableCalendar,
)

NY = ZoneInfo("America/New_York")

LONG_AGENDA = "\n".join(
    f"{i}. Ask about the litigation group's plans; mention the Smith, Jones & Co. matter; "
    f"goal: équité, Zürich office — 東京 too."
    for i in range(1, 80)
)


def planned(
    key: str = "a",
    start: datetime | None = None,
    minutes: int = 60,
    title: str = "Coffee with Dana Whitfield",
    location: str = "Blue Bottle, 1 Main St, Brooklyn",
    description: str = "Why: advice on moving to a litigation boutique.\nAsk: who to meet next.",
    transparent: bool = False,
) -> PlannedEvent:
    """A realistic planned event; ``key`` makes the uid."""
    start = start or datetime(2031, 3, 12, 8, 30, tzinfo=NY)
    return PlannedEvent(
        uid=planned_uid("contract", key),
        kind=Kind.ONE_ON_ONE,
        title=title,
        start=start,
        end=start + timedelta(minutes=minutes),
        location=location,
        contacts=("c-0123456789ab",),
        categories=("mentors",),
        goal="g1",
        description=description,
        activity="coffee",
        transparent=transparent,
    )


def fp(event: PlannedEvent) -> str:
    return fingerprint(event.start, event.end, event.title, event.location)


def _by_nid(calendar: WritableCalendar, nid: str) -> OwnedEvent:
    found = [o for o in calendar.list_owned() if o.nid == nid]
    assert len(found) == 1, f"expected one owned event {nid}, got {found}"
    return found[0]


class WritableCalendarContract:
    """Base class: subclass it as ``Test<Backend>Contract`` and override :meth:`calendar`."""

    tz: ZoneInfo = NY
    window = (datetime(2031, 1, 1, tzinfo=NY), datetime(2032, 1, 1, tzinfo=NY))

    # ------------------------------------------------------------------ hooks to override

    @pytest.fixture
    def calendar(self) -> WritableCalendar:
        raise NotImplementedError("override the `calendar` fixture")

    def add_foreign(
        self, calendar: Any, uid: str, summary: str, start: datetime, end: datetime
    ) -> None:
        """Create an event the user owns (no netweave marker), out of band."""
        pytest.skip("backend has no add_foreign hook")

    def user_edit(self, calendar: Any, owned: OwnedEvent, start: datetime, end: datetime) -> None:
        """Move an owned event as the user would in their calendar app (keeps the marker)."""
        pytest.skip("backend has no user_edit hook")

    def user_delete(self, calendar: Any, owned: OwnedEvent) -> None:
        """Delete an owned event as the user would."""
        pytest.skip("backend has no user_delete hook")

    def stored_description(self, calendar: Any, owned: OwnedEvent) -> str:
        """The DESCRIPTION of an owned event as the backend stores it."""
        pytest.skip("backend has no stored_description hook")

    def foreign_snapshot(self, calendar: Any) -> object:
        """Everything a user could notice about their own events (override for byte checks)."""
        got = calendar.read(*self.window)
        return sorted(
            (e.uid, e.summary, e.start, e.end, e.location)
            for e in got.events
            if e.netweave_id is None
        )

    # ------------------------------------------------------------------ the contract

    def test_empty_calendar_owns_nothing(self, calendar: WritableCalendar) -> None:
        assert calendar.list_owned() == []
        assert isinstance(calendar, WritableCalendar)

    def test_insert_then_list_owned(self, calendar: WritableCalendar) -> None:
        ev = planned()
        got = calendar.insert(ev)
        assert got.nid == ev.uid
        assert got.fingerprint == fp(ev)
        listed = _by_nid(calendar, ev.uid)
        assert listed.href == got.href
        assert listed.etag == got.etag
        assert listed.fingerprint == fp(ev)
        assert listed.title == ev.title and listed.location == ev.location
        assert listed.start == ev.start and listed.end == ev.end
        assert listed.sequence == 0
        assert listed.transparent is False

    def test_transparent_flag_round_trips(self, calendar: WritableCalendar) -> None:
        ev = planned(transparent=True)
        calendar.insert(ev)
        assert _by_nid(calendar, ev.uid).transparent is True

    def test_many_events_each_listed_once(self, calendar: WritableCalendar) -> None:
        events = [
            planned(str(i), start=datetime(2031, 4, 1 + i, 12, 0, tzinfo=NY)) for i in range(12)
        ]
        for ev in events:
            calendar.insert(ev)
        listed = calendar.list_owned()
        assert sorted(o.nid for o in listed) == sorted(e.uid for e in events)
        assert len({o.href for o in listed}) == len(events)
        by_nid = {o.nid: o for o in listed}
        for ev in events:
            assert by_nid[ev.uid].fingerprint == fp(ev)

    def test_insert_same_uid_twice_fails(self, calendar: WritableCalendar) -> None:
        ev = planned()
        calendar.insert(ev)
        with pytest.raises(PreconditionFailed):
            calendar.insert(replace(ev, title="Lunch instead"))
        assert len(calendar.list_owned()) == 1
        assert _by_nid(calendar, ev.uid).fingerprint == fp(ev)

    def test_update_changes_content_sequence_and_etag(self, calendar: WritableCalendar) -> None:
        ev = planned()
        first = calendar.insert(ev)
        moved = replace(
            ev, start=ev.start + timedelta(days=1), end=ev.end + timedelta(days=1), title="Lunch"
        )
        second = calendar.update(first.href, first.etag, moved, 1)
        assert second.etag != first.etag
        assert second.fingerprint == fp(moved)
        listed = _by_nid(calendar, ev.uid)
        assert (listed.etag, listed.fingerprint, listed.sequence) == (second.etag, fp(moved), 1)
        # And again with the new etag (a chain of updates works).
        third = calendar.update(second.href, second.etag, replace(moved, location="Zoom"), 2)
        assert third.etag not in (first.etag, second.etag)
        assert _by_nid(calendar, ev.uid).location == "Zoom"

    def test_update_with_stale_etag_fails_and_changes_nothing(
        self, calendar: WritableCalendar
    ) -> None:
        ev = planned()
        first = calendar.insert(ev)
        second = calendar.update(first.href, first.etag, replace(ev, title="Breakfast"), 1)
        with pytest.raises(PreconditionFailed):
            calendar.update(first.href, first.etag, replace(ev, title="Stale write"), 2)
        listed = _by_nid(calendar, ev.uid)
        assert listed.title == "Breakfast" and listed.etag == second.etag

    def test_delete_with_stale_etag_fails(self, calendar: WritableCalendar) -> None:
        ev = planned()
        first = calendar.insert(ev)
        calendar.update(first.href, first.etag, replace(ev, title="Breakfast"), 1)
        with pytest.raises(PreconditionFailed):
            calendar.delete(first.href, first.etag)
        assert len(calendar.list_owned()) == 1

    def test_delete_then_gone(self, calendar: WritableCalendar) -> None:
        ev = planned()
        got = calendar.insert(ev)
        calendar.delete(got.href, got.etag)
        assert calendar.list_owned() == []
        with pytest.raises(NotFound):
            calendar.delete(got.href, got.etag)
        with pytest.raises(NotFound):
            calendar.update(got.href, got.etag, ev, 1)

    def test_delete_unknown_href_is_not_found(self, calendar: WritableCalendar) -> None:
        calendar.insert(planned())
        with pytest.raises(NotFound):
            calendar.delete("nw-does-not-exist@netweave.invalid.ics", '"0"')

    def test_reinsert_after_delete(self, calendar: WritableCalendar) -> None:
        ev = planned()
        got = calendar.insert(ev)
        calendar.delete(got.href, got.etag)
        again = calendar.insert(ev)
        assert again.fingerprint == fp(ev)
        assert len(calendar.list_owned()) == 1

    def test_non_ascii_title_and_long_description(self, calendar: WritableCalendar) -> None:
        ev = planned(
            title="Café with Zoë Ångström; re: Müller, Schmidt & Partner — 東京",
            location="Ristorante «Il Forno», Piazza 3; 2nd floor",
            description=LONG_AGENDA,
        )
        got = calendar.insert(ev)
        listed = _by_nid(calendar, ev.uid)
        assert listed.title == ev.title
        assert listed.location == ev.location
        assert listed.fingerprint == fp(ev) == got.fingerprint
        assert self.stored_description(calendar, listed) == LONG_AGENDA

    def test_event_across_dst_change(self, calendar: WritableCalendar) -> None:
        # 2031-03-09 02:00 EST does not exist in New York; 01:30 EST + 2h = 04:30 EDT.
        start = datetime(2031, 3, 9, 1, 30, tzinfo=NY)
        ev = replace(planned(start=start), end=start + timedelta(hours=2))
        calendar.insert(ev)
        listed = _by_nid(calendar, ev.uid)
        assert listed.end - listed.start == timedelta(hours=2)
        assert listed.fingerprint == fp(ev)

    def test_read_returns_owned_and_foreign(self, calendar: WritableCalendar) -> None:
        t = datetime(2031, 5, 6, 9, 0, tzinfo=NY)
        self.add_foreign(
            calendar, "user-1@example.com", "Deposition prep", t, t + timedelta(hours=2)
        )
        ev = planned(start=t + timedelta(hours=3))
        calendar.insert(ev)
        res = calendar.read(datetime(2031, 5, 6, tzinfo=NY), datetime(2031, 5, 7, tzinfo=NY))
        by_uid = {e.uid: e for e in res.events}
        assert by_uid["user-1@example.com"].netweave_id is None
        assert by_uid["user-1@example.com"].start == t
        assert by_uid[ev.uid].netweave_id == ev.uid
        assert by_uid[ev.uid].start == ev.start and by_uid[ev.uid].end == ev.end
        outside = calendar.read(datetime(2031, 6, 1, tzinfo=NY), datetime(2031, 6, 2, tzinfo=NY))
        assert [e for e in outside.events if e.uid in by_uid] == []

    def test_foreign_events_never_owned_and_never_touched(self, calendar: WritableCalendar) -> None:
        t = datetime(2031, 5, 6, 9, 0, tzinfo=NY)
        self.add_foreign(calendar, "user-1@example.com", "Board call", t, t + timedelta(hours=1))
        self.add_foreign(
            calendar,
            "user-2@example.com",
            "Client dinner, Chez Nous",
            t + timedelta(days=1),
            t + timedelta(days=1, hours=2),
        )
        before = self.foreign_snapshot(calendar)
        assert before, "foreign events should be readable"
        a = calendar.insert(planned("a"))
        b = calendar.insert(planned("b", start=t + timedelta(days=2)))
        assert {o.nid for o in calendar.list_owned()} == {a.nid, b.nid}
        assert self.foreign_snapshot(calendar) == before
        a2 = calendar.update(a.href, a.etag, replace(planned("a"), title="Moved"), 1)
        assert self.foreign_snapshot(calendar) == before
        calendar.delete(b.href, b.etag)
        calendar.delete(a2.href, a2.etag)
        assert calendar.list_owned() == []
        assert self.foreign_snapshot(calendar) == before

    def test_user_edit_changes_etag_and_fingerprint(self, calendar: WritableCalendar) -> None:
        ev = planned()
        got = calendar.insert(ev)
        new_start = ev.start + timedelta(hours=2)
        self.user_edit(calendar, got, new_start, new_start + timedelta(hours=1))
        listed = _by_nid(calendar, ev.uid)
        assert listed.etag != got.etag
        assert listed.start == new_start
        assert listed.fingerprint != fp(ev)
        with pytest.raises(PreconditionFailed):
            calendar.update(got.href, got.etag, ev, 1)
        with pytest.raises(PreconditionFailed):
            calendar.delete(got.href, got.etag)
        assert _by_nid(calendar, ev.uid).start == new_start

    def test_user_delete_is_seen(self, calendar: WritableCalendar) -> None:
        ev = planned()
        got = calendar.insert(ev)
        self.user_delete(calendar, got)
        assert calendar.list_owned() == []
        with pytest.raises(NotFound):
            calendar.update(got.href, got.etag, ev, 1)
        with pytest.raises(NotFound):
            calendar.delete(got.href, got.etag)

    def test_foreign_event_with_same_title_is_not_owned(self, calendar: WritableCalendar) -> None:
        ev = planned()
        self.add_foreign(calendar, "copy@example.com", ev.title, ev.start, ev.end)
        assert calendar.list_owned() == []
        calendar.insert(ev)
        assert [o.nid for o in calendar.list_owned()] == [ev.uid]


def foreign_event(uid: str, summary: str, start: datetime, end: datetime) -> Event:
    """A user's event as a model object (for backends whose hooks take one)."""
    return Event(uid=uid, summary=summary, start=start, end=end)

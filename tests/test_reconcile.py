"""observe() and reconcile(): the pure decisions of a sync, against an in-memory calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sync.engine import observe, reconcile
from sync.model import Kind, PlannedEvent, content_hash, fingerprint, planned_uid
from sync.sources.base import MemoryCalendar, OwnedEvent
from sync.state import OwnedRow

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def ev(n: int, title: str | None = None, hour: int = 0) -> PlannedEvent:
    start = T0 + timedelta(days=n, hours=hour)
    return PlannedEvent(
        uid=planned_uid("one-on-one", f"c{n}", "w1"),
        kind=Kind.ONE_ON_ONE,
        title=title or f"Coffee with Person {n}",
        start=start,
        end=start + timedelta(minutes=45),
        location="Midtown",
    )


def done_row(o: OwnedEvent, e: PlannedEvent, status: str = "done", **kw: object) -> OwnedRow:
    fp = fingerprint(e.start, e.end, e.title, e.location)
    return OwnedRow("cal", e.uid, o.href, o.etag, fp, content_hash(e), status, o.sequence, **kw)  # type: ignore[arg-type]


def written(cal: MemoryCalendar, events: list[PlannedEvent]) -> dict[str, OwnedRow]:
    rows = {}
    for e in events:
        o = cal.insert(e)
        rows[e.uid] = done_row(o, e)
    return rows


def test_first_run_inserts_everything() -> None:
    cal = MemoryCalendar("cal")
    desired = {e.uid: e for e in (ev(1), ev(2))}
    actions, unchanged = reconcile(
        observe("cal", [], {}), desired, {}, frozenset(), allow_delete=True
    )
    assert [a.op for a in actions] == ["insert", "insert"]
    assert unchanged == 0
    assert cal.list_owned() == []  # reconcile itself writes nothing


def test_nothing_changed_means_nothing_to_write() -> None:
    cal = MemoryCalendar("cal")
    events = [ev(1), ev(2)]
    rows = written(cal, events)
    obs = observe("cal", cal.list_owned(), rows)
    actions, unchanged = reconcile(
        obs, {e.uid: e for e in events}, rows, frozenset(), allow_delete=True
    )
    assert actions == [] and unchanged == 2


def test_user_move_is_kept_and_never_overwritten() -> None:
    cal = MemoryCalendar("cal")
    e = ev(1)
    rows = written(cal, [e])
    href = next(iter(cal.items))
    cal.user_move(href, e.start + timedelta(hours=3), e.end + timedelta(hours=3))
    obs = observe("cal", cal.list_owned(), rows)
    assert set(obs.user_modified) == {e.uid}
    changed = PlannedEvent(**{**e.__dict__, "title": "Lunch with Person 1"})
    actions, unchanged = reconcile(obs, {e.uid: changed}, rows, frozenset(), allow_delete=True)
    assert actions == [] and unchanged == 1
    # ... and not deleted either when the plan no longer has it
    actions, _ = reconcile(obs, {}, rows, frozenset(), allow_delete=True)
    assert actions == []


def test_user_delete_becomes_a_tombstone_and_is_not_recreated() -> None:
    cal = MemoryCalendar("cal")
    e = ev(1)
    rows = written(cal, [e])
    cal.user_delete(next(iter(cal.items)))
    obs = observe("cal", cal.list_owned(), rows)
    assert obs.user_deleted == frozenset({e.uid})
    actions, _ = reconcile(obs, {e.uid: e}, rows, frozenset(), allow_delete=True)
    assert actions == []


def test_changed_content_is_updated_with_a_higher_sequence() -> None:
    cal = MemoryCalendar("cal")
    e = ev(1)
    rows = written(cal, [e])
    new = PlannedEvent(**{**e.__dict__, "description": "Questions: how did you make partner?"})
    obs = observe("cal", cal.list_owned(), rows)
    actions, _ = reconcile(obs, {e.uid: new}, rows, frozenset(), allow_delete=True)
    assert [(a.op, a.sequence) for a in actions] == [("update", 1)]


def test_unplanned_events_are_deleted_unless_deletes_are_off() -> None:
    cal = MemoryCalendar("cal")
    events = [ev(1), ev(2)]
    rows = written(cal, events)
    obs = observe("cal", cal.list_owned(), rows)
    actions, _ = reconcile(obs, {events[0].uid: events[0]}, rows, frozenset(), allow_delete=True)
    assert [(a.op, a.nid) for a in actions] == [("delete", events[1].uid)]
    actions, unchanged = reconcile(
        obs, {events[0].uid: events[0]}, rows, frozenset(), allow_delete=False
    )
    assert actions == [] and unchanged == 2


def test_a_deletion_carries_what_it_deletes_as_planned() -> None:
    cal = MemoryCalendar("cal")
    events = [ev(1), ev(2)]
    rows = written(cal, events)
    obs = observe("cal", cal.list_owned(), rows)
    known = {e.uid: e for e in events}
    actions, _ = reconcile(obs, {}, rows, frozenset(), allow_delete=True, planned=known)
    assert [(a.op, a.event) for a in actions] == [("delete", known[a.nid]) for a in actions]
    assert {a.nid for a in actions} == set(known)
    # unknown to any plan: the deletion still happens, with nothing to say about it
    actions, _ = reconcile(obs, {}, rows, frozenset(), allow_delete=True)
    assert [a.event for a in actions] == [None, None]


def test_foreign_events_are_invisible_to_reconcile() -> None:
    from sync.model import Event

    mine = Event("user-1@example.com", "Dentist", T0, T0 + timedelta(hours=1))
    cal = MemoryCalendar("cal", foreign=[mine])
    obs = observe("cal", cal.list_owned(), {})
    actions, _ = reconcile(obs, {}, {}, frozenset(), allow_delete=True)
    assert actions == []
    assert cal.foreign == [mine]


def test_duplicate_copies_of_one_event_are_removed() -> None:
    e = ev(1)
    a = OwnedEvent(e.uid, "a.ics", "1", e.start, e.end, e.title, e.location)
    b = OwnedEvent(e.uid, "b.ics", "2", e.start, e.end, e.title, e.location)
    rows = {e.uid: done_row(a, e)}
    obs = observe("cal", [b, a], rows)
    assert obs.owned[e.uid].href == "a.ics"
    actions, _ = reconcile(obs, {e.uid: e}, rows, frozenset(), allow_delete=True)
    assert [(x.op, x.href) for x in actions] == [("delete", "b.ics")]


def test_crash_after_insert_landed_is_adopted_not_duplicated() -> None:
    cal = MemoryCalendar("cal")
    e = ev(1)
    o = cal.insert(e)
    rows = {e.uid: done_row(o, e, status="pending-insert")}
    obs = observe("cal", cal.list_owned(), rows)
    actions, _ = reconcile(obs, {e.uid: e}, rows, frozenset(), allow_delete=True)
    assert [a.op for a in actions] == ["adopt"]


def test_crash_before_insert_landed_inserts_again() -> None:
    e = ev(1)
    rows = {e.uid: OwnedRow("cal", e.uid, None, None, "fp", content_hash(e), "pending-insert")}
    obs = observe("cal", [], rows)
    assert obs.user_deleted == frozenset()
    actions, _ = reconcile(obs, {e.uid: e}, rows, frozenset(), allow_delete=True)
    assert [a.op for a in actions] == ["insert"]


def test_crash_around_an_update_converges() -> None:
    cal = MemoryCalendar("cal")
    old = ev(1)
    new = ev(1, hour=2)
    o = cal.insert(old)
    fp_old = fingerprint(old.start, old.end, old.title, old.location)
    fp_new = fingerprint(new.start, new.end, new.title, new.location)
    pending = OwnedRow(
        "cal",
        old.uid,
        o.href,
        o.etag,
        fp_new,
        content_hash(new),
        "pending-update",
        1,
        prev_fingerprint=fp_old,
    )
    # the update did not land: redo it, not a user edit
    obs = observe("cal", cal.list_owned(), {old.uid: pending})
    assert obs.user_modified == {}
    actions, _ = reconcile(obs, {new.uid: new}, {old.uid: pending}, frozenset(), allow_delete=True)
    assert [a.op for a in actions] == ["update"]
    # the update landed: record it, write nothing
    landed = cal.update(o.href, o.etag, new, 1)
    obs = observe("cal", cal.list_owned(), {old.uid: pending})
    actions, _ = reconcile(obs, {new.uid: new}, {old.uid: pending}, frozenset(), allow_delete=True)
    assert [(a.op, a.etag) for a in actions] == [("adopt", landed.etag)]


def test_tombstones_block_inserts() -> None:
    e = ev(1)
    actions, _ = reconcile(
        observe("cal", [], {}), {e.uid: e}, {}, frozenset({e.uid}), allow_delete=True
    )
    assert actions == []


def test_past_meetings_are_history_not_deleted() -> None:
    cal = MemoryCalendar("cal")
    past, future = ev(1), ev(20)
    rows = written(cal, [past, future])
    obs = observe("cal", cal.list_owned(), rows)
    window_start = T0 + timedelta(days=10)
    actions, unchanged = reconcile(
        obs, {}, rows, frozenset(), allow_delete=True, keep_before=window_start
    )
    assert [(a.op, a.nid) for a in actions] == [("delete", future.uid)]
    assert unchanged == 1


def test_an_event_the_user_invited_guests_to_is_theirs() -> None:
    """Never moved, rewritten or deleted, whatever the plan says; adopted as theirs too."""
    from dataclasses import replace

    cal = MemoryCalendar("cal")
    events = [ev(1), ev(2)]
    rows = written(cal, events)
    owned = [replace(o, has_guests=o.nid == events[0].uid) for o in cal.list_owned()]
    obs = observe("cal", owned, rows)
    assert set(obs.user_modified) == {events[0].uid}
    changed = {e.uid: replace(e, title="Lunch", description="new") for e in events}
    actions, unchanged = reconcile(obs, changed, rows, frozenset(), allow_delete=True)
    assert [(a.op, a.nid) for a in actions] == [("update", events[1].uid)] and unchanged == 1
    actions, _ = reconcile(obs, {}, rows, frozenset(), allow_delete=True)
    assert [(a.op, a.nid) for a in actions] == [("delete", events[1].uid)]
    # Unknown to the state (a crash before its row): adopted as the user's.
    fresh = observe("cal", owned, {})
    actions, _ = reconcile(fresh, {e.uid: e for e in events}, {}, frozenset(), allow_delete=True)
    assert {(a.nid, a.reason) for a in actions} == {(events[0].uid, "user"), (events[1].uid, "")}

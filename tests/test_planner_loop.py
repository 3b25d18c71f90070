"""The planner's side of the meeting loop, pure: holds on offered times (where they fit, first,
free of budget), snoozed people (not before the snooze ends), promises (one task after the
meeting, kept, never made twice)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from test_planner import MONDAY, NOW, NY, at, busy, config, of_kind, person, run

from sync.model import Kind, PlannedEvent, Promise, hold_uid
from sync.planner import footprint

MEETING = "nw-meeting@netweave.invalid"


def hold(day: date, h: int, m: int = 0) -> PlannedEvent:
    s = at(day, h, m)
    return PlannedEvent(
        uid=hold_uid(MEETING, s),
        kind=Kind.HOLD,
        title="Hold: coffee with Ada Stone (offered)",
        start=s,
        end=s + timedelta(minutes=45),
        contacts=("c-0",),
        travel_before=15,
        travel_after=15,
        transparent=True,
    )


def test_holds_stand_where_they_fit_first_and_cost_no_budget() -> None:
    cfg = config(planner={"focus_size": 2, "tentative_days": 7}, budget={"hours_per_week": 4})
    contacts = [person(i, f"Person{i} X") for i in range(4)]
    tue, wed, thu = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2), MONDAY + timedelta(3)
    ok, on_busy = hold(tue, 15), hold(wed, 15)
    first, clash = hold(thu, 15), hold(thu, 15, 30)  # the second overlaps the first
    past = hold(MONDAY - timedelta(days=1), 15)
    holds = [ok, on_busy, first, clash, past]
    base = run(cfg, contacts, [busy(wed, 15, 30, 60)])
    p = run(cfg, contacts, [busy(wed, 15, 30, 60)], holds=holds)
    got = {e.uid: e for e in of_kind(p, Kind.HOLD)}
    assert set(got) == {ok.uid, first.uid}
    assert all(e.transparent for e in got.values())  # time defence leaves them free
    # Nothing else overlaps a hold (footprints, buffers included).
    for h in got.values():
        a, b = footprint(h, 10)
        for e in p.events:
            if e.uid != h.uid and e.kind != Kind.TRAVEL:
                c, d = footprint(e, 10)
                assert not (c < b and a < d), (e.title, e.start)
    # They take no budget: the weeks use what they used without them, at most.
    used = {w.week_start: w.used_minutes for w in base.weeks}
    assert all(w.used_minutes <= used[w.week_start] for w in p.weeks)


def test_a_snoozed_person_comes_back_when_the_snooze_ends() -> None:
    cfg = config(
        planner={"focus_size": 1, "cadence": {"focus": {"ideal_days": 7, "max_days": 10}}},
        budget={"hours_per_week": 10},
    )
    ada = person(0, "Ada Stone")
    awake = MONDAY + timedelta(days=16)
    p = run(cfg, [ada], weeks=5, snoozed={ada.id: awake})
    meetings = [e for e in of_kind(p, Kind.ONE_ON_ONE) if ada.id in e.contacts]
    assert meetings and all(e.start.astimezone(NY).date() >= awake for e in meetings)
    unsnoozed = run(cfg, [ada], weeks=5)
    assert any(
        e.start.astimezone(NY).date() < awake
        for e in of_kind(unsnoozed, Kind.ONE_ON_ONE)
        if ada.id in e.contacts
    )


def test_a_promise_is_one_task_after_its_meeting_kept_and_never_made_twice() -> None:
    cfg = config(budget={"hours_per_week": 1})  # a full budget does not hold it back
    ada = person(0, "Ada Stone")
    promise = Promise("7", ada.id, ada.name, "the Kessler brief", MONDAY + timedelta(days=1))
    p = run(cfg, [ada], promises=[promise])
    (task,) = [e for e in p.events if e.uid == promise.uid]
    assert task.kind == Kind.FOLLOW_UP and task.title.endswith(": the Kessler brief")
    day = task.start.astimezone(NY)
    assert day.date() > promise.made and day.weekday() < 5 and 9 <= day.hour < 18
    assert task.start > NOW
    # The next plan keeps it where it was while that time is free...
    day_later = timedelta(days=1)
    moved = replace(task, start=task.start + day_later, end=task.end + day_later)
    again = run(cfg, [ada], promises=[promise], previous=[moved])
    assert [e.start for e in again.events if e.uid == promise.uid] == [moved.start]
    # ...and never makes it again once deleted or once it has begun.
    gone = run(cfg, [ada], promises=[promise], tombstones=frozenset({promise.uid}))
    assert promise.uid not in {e.uid for e in gone.events}
    done = replace(task, start=NOW - timedelta(hours=2), end=NOW - timedelta(minutes=105))
    later = run(cfg, [ada], promises=[promise], history=[done])
    assert [e for e in later.events if e.uid == promise.uid] == []

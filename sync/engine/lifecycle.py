"""The lifecycle in a run: which past meetings count as met (done or confirmed; an unconfirmed
slot only as ``[meetings] silence`` says), meetings logged elsewhere, confirmed meetings held at
their confirmed time and busy, holds on the other times offered, a follow-up task for each
promise, snoozed people pushed out until their snooze ends, the interaction log opening the
next agenda, and what this run saw recorded (new slots held, acceptances, cancellations).
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sync.config import Config
from sync.engine.reconcile import Observation
from sync.lifecycle import Lifecycle, counts_as_met
from sync.lifecycle.memory import with_memory
from sync.lifecycle.states import BY_USER
from sync.model import Contact, Kind, PlannedEvent, Promise, planned_from_record
from sync.state import State


def tracked(e: PlannedEvent) -> bool:
    """The activities the lifecycle follows: meetings, group visits, introduction requests."""
    return e.kind in (Kind.ONE_ON_ONE, Kind.GROUP, Kind.INTRODUCTION)


def credited(
    state: State | None, config: Config, history: Sequence[PlannedEvent], now: datetime
) -> list[PlannedEvent]:
    """The past events that count as met: meetings whose lifecycle says so; others as they are."""
    if state is None:
        return list(history)
    lc = Lifecycle(state)
    silence = config.meetings.silence
    return [
        e
        for e in history
        if e.kind not in (Kind.ONE_ON_ONE, Kind.GROUP)
        or counts_as_met(lc.activity(e.uid), now, silence)
    ]


def logged(state: State | None, now: datetime) -> list[tuple[date, tuple[str, ...]]]:
    """Meetings logged that netweave did not plan (a call, a chance meeting), up to today."""
    if state is None:
        return []
    today = now.date()
    return [
        (i.day, (i.contact,))
        for i in Lifecycle(state).interactions()
        if i.uid is None and i.day <= today and i.contact
    ]


def planned_events(state: State, last: Sequence[PlannedEvent]) -> dict[str, PlannedEvent]:
    """Every event netweave planned that it still knows: the last plan, then the record kept
    with each event it wrote (an event no longer planned is known by its record)."""
    out = {e.uid: e for e in last}
    for row in state.all_owned():
        if row.planned and row.nid not in out:
            try:
                out[row.nid] = planned_from_record(json.loads(row.planned))
            except (ValueError, KeyError, TypeError):
                continue
    return out


def confirmed(
    state: State | None, fixed: Sequence[PlannedEvent], last: Sequence[PlannedEvent]
) -> tuple[list[PlannedEvent], frozenset[str]]:
    """The fixed points plus each meeting the user confirmed, at its confirmed time and place
    (one the user moved since stays where the user put it); and the uids confirmed (always
    busy; one accepted in the calendar stays where the plan holds it)."""
    if state is None:
        return list(fixed), frozenset()
    fixed_uids = {f.uid for f in fixed}
    known = planned_events(state, last)
    out = list(fixed)
    uids: set[str] = set()
    lc = Lifecycle(state)
    for a in lc.activities():
        if a.state != "confirmed":
            continue
        uids.add(a.uid)
        base = known.get(a.uid)
        if a.uid in fixed_uids or base is None:
            continue
        if not any(note == BY_USER for st, _, note in lc.changes(a.uid) if st == "confirmed"):
            continue  # accepted in the calendar where planned: kept there, its agenda fresh
        out.append(
            replace(
                base,
                start=a.start,
                end=a.end,
                location=a.place or base.location,
                transparent=False,
                pinned=True,
            )
        )
    return sorted(out, key=lambda e: e.uid), frozenset(uids)


def snoozed(state: State | None, config: Config, now: datetime) -> dict[str, date]:
    """Contact id -> the day each snooze running today ends: the planner meets nobody
    snoozed before that day, and plans them again from it."""
    if state is None:
        return {}
    return Lifecycle(state).snoozed(now.astimezone(config.tz).date())


def offered_holds(
    state: State | None, known: Mapping[str, PlannedEvent], now: datetime
) -> dict[str, tuple[str, PlannedEvent]]:
    """The holds on the other times offered for each one-on-one proposed and not yet agreed
    (``netweave outreach --sent`` recorded them), by hold uid: (the meeting's uid, the hold).
    A message only read (not sent) holds nothing: reading drafts must not fill the calendar.
    The meeting's own time is the meeting; a confirmed, cancelled or settled one has none."""
    if state is None:
        return {}
    from sync.lifecycle.slots import hold_for

    lc = Lifecycle(state)
    out: dict[str, tuple[str, PlannedEvent]] = {}
    for a in lc.activities():
        base = known.get(a.uid)
        if a.state != "proposed" or base is None or a.end <= now:
            continue
        for s, e in lc.slots(a.uid):
            if s in (a.start, base.start) or s <= now:
                continue
            h = hold_for(base, a.name, s, e)
            out[h.uid] = (a.uid, h)
    return out


def without_orphan_holds(
    events: Sequence[PlannedEvent], holds: Mapping[str, tuple[str, PlannedEvent]]
) -> list[PlannedEvent]:
    """The plan without the holds whose meeting it no longer holds (nothing left to offer)."""
    planned = {e.uid for e in events if e.kind != Kind.HOLD}
    return [e for e in events if e.kind != Kind.HOLD or holds.get(e.uid, ("", e))[0] in planned]


def promises(state: State | None) -> list[Promise]:
    """Every promise in the interaction log: the plan makes each a follow-up task."""
    if state is None:
        return []
    return [
        Promise(str(i.id), i.contact, i.name, i.promised, i.day)
        for i in Lifecycle(state).interactions()
        if i.promised and i.contact
    ]


def remembered(state: State | None, events: Sequence[PlannedEvent]) -> list[PlannedEvent]:
    """Each one-on-one's agenda opened by the last note about that person."""
    if state is None:
        return list(events)
    log = Lifecycle(state).interactions()
    return with_memory(events, log) if log else list(events)


def accepted_by_guests(config: Config, observations: Mapping[str, Observation]) -> frozenset[str]:
    """Owned events on which someone other than the owner accepted (ATTENDEE PARTSTAT)."""
    mine = {e.lower() for e in config.owner.emails}
    return frozenset(
        nid
        for obs in observations.values()
        for nid, o in obs.owned.items()
        if set(o.accepted_by) - mine
    )


def known_names(state: State) -> dict[str, str]:
    """Contact id -> name of each person the lifecycle recorded a planned activity with (what
    a frozen plan is shown with when the address books cannot be read)."""
    return {a.contact: a.name for a in Lifecycle(state).activities() if a.contact and a.name}


def record_run(
    state: State,
    plan: Iterable[PlannedEvent],
    contacts: Sequence[Contact],
    accepted: frozenset[str],
    tombstones: frozenset[str],
    now: datetime,
) -> None:
    """What this run saw, into the lifecycle: new activities held, meetings accepted in the
    calendar confirmed, meetings the user deleted or the plan dropped before they began
    cancelled."""
    lc = Lifecycle(state)
    names = {c.id: c.name for c in contacts}
    planned = {e.uid: e for e in plan if tracked(e)}
    with state.batch():
        for e in planned.values():
            lc.hold(e, names.get(e.contacts[0], e.title) if e.contacts else e.title, now)
        for a in lc.activities():
            if a.state in ("held", "proposed") and a.uid in accepted:
                lc.set_state(a.uid, "confirmed", now, "accepted in the calendar")
            elif a.state in ("held", "proposed", "confirmed") and a.uid in tombstones:
                lc.set_state(a.uid, "cancelled", now, "deleted from the calendar")
            elif a.state in ("held", "proposed") and a.uid not in planned and a.start > now:
                lc.set_state(a.uid, "cancelled", now, "no longer planned")


def messages(
    config: Config,
    events: Sequence[PlannedEvent],
    contacts: Sequence[Contact],
    busy: Sequence[Any],
    now: datetime,
    settled: frozenset[str] = frozenset(),
    offers: Mapping[str, Sequence[tuple[datetime, datetime]]] | None = None,
) -> dict[str, Any]:
    """The outreach message of each future one-on-one not yet agreed and each introduction
    request (uid -> :class:`~sync.lifecycle.outreach.Message`), to people with an address.
    ``offers``: the times already offered per meeting (the message says those again)."""
    from sync.lifecycle.outreach import introduction_request, meeting_request

    people = {c.id: c for c in contacts}
    owner = config.owner.name
    near = _busy_near(busy)
    out: dict[str, Any] = {}
    for e in events:
        c = people.get(e.contacts[0]) if e.contacts else None
        if c is None or not c.emails or e.start <= now or e.uid in settled:
            continue
        if e.kind == Kind.ONE_ON_ONE:
            slots = list((offers or {}).get(e.uid, ())) or offer_for(
                config, e, events, near(e.start), ()
            )
            out[e.uid] = meeting_request(e, c, owner, e.goal, slots, config.tz)
        elif e.kind == Kind.INTRODUCTION and " for an introduction to " in e.title:
            target = e.title.split(" for an introduction to ", 1)[1]
            org = next((t.organization for t in contacts if t.name == target), None) or ""
            out[e.uid] = introduction_request(c, target, org, owner, e.goal)
    return out


def _busy_near(busy: Sequence[Any]) -> Callable[[datetime], Sequence[Any]]:
    """The busy time that can touch the days searched for offers after ``at`` (a superset
    of what :func:`~sync.lifecycle.slots.offered_slots` keeps): the calendars hold years of
    it, and filtering all of it for every offer cost a no-change resync 0.1 s."""
    from sync.lifecycle.slots import SEARCH_DAYS

    ordered = sorted(busy, key=lambda b: b.start)
    starts = [b.start for b in ordered]
    longest = max((b.end - b.start for b in ordered), default=timedelta(0))

    def near(at: datetime) -> Sequence[Any]:
        # the held day's midnight less the buffers (under two days) to the last day searched
        lo = bisect_left(starts, at - timedelta(days=2) - longest)
        hi = bisect_right(starts, at + timedelta(days=SEARCH_DAYS + 3))
        return ordered[lo:hi]

    return near


def offer_for(
    config: Config,
    e: PlannedEvent,
    plan: Sequence[PlannedEvent],
    busy: Sequence[Any],
    offered_before: Sequence[tuple[datetime, datetime]],
) -> list[tuple[datetime, datetime]]:
    """The times to offer for the one-on-one ``e``: its held time and the next ones clear of
    busy time and of every other planned event and hold (each with its travel and buffers;
    the holds on ``offered_before``, ``e``'s own, do not count). The sync's ``mailto:`` link
    and ``netweave outreach`` offer the same times from the same plan."""
    from sync.lifecycle.slots import offered_slots
    from sync.model import hold_uid

    mine = {hold_uid(e.uid, s) for s, _ in offered_before}
    others = [  # every other one as busy (most are already: only those are not copied)
        replace(x, transparent=False) if x.transparent else x for x in plan if x.uid not in mine
    ]
    window = next((w for w in config.windows if w.name == e.activity), None)
    n, pad = config.meetings.offer_slots, config.budget.buffer_minutes
    return offered_slots(e, window, busy, others, config.tz, n, pad)


#: What opens the outreach link at the end of an agenda.
ASK = "Ask: mailto:"


def with_links(events: Sequence[PlannedEvent], found: Mapping[str, Any]) -> list[PlannedEvent]:
    """Each event with a message gets its ``mailto:`` link at the end of its agenda."""
    out = []
    for e in events:
        m = found.get(e.uid)
        # An event kept from an earlier plan (fixed, confirmed) already carries a link: replace it.
        text = (
            e.description.split(ASK, 1)[0].rstrip("\n") if ASK in e.description else e.description
        )
        if m is not None:
            link = f"Ask: {m.mailto}"
            text = f"{text}\n\n{link}" if text else link
        out.append(e if text == e.description else replace(e, description=text))
    return out


def annotated(
    state: State | None,
    config: Config,
    events: Sequence[PlannedEvent],
    contacts: Sequence[Contact],
    busy: Sequence[Any],
    now: datetime,
) -> list[PlannedEvent]:
    """The plan as written: agendas opened by the last note, asks carrying their message.
    The link stays once the meeting is agreed: an agreement alone rewrites no agenda."""
    offers: dict[str, list[tuple[datetime, datetime]]] = {}
    if state is not None:
        lc = Lifecycle(state)
        offers = {a.uid: lc.offered(a.uid) for a in lc.activities() if a.kind == "one-on-one"}
    found = messages(config, events, contacts, busy, now, offers=offers)
    return with_links(remembered(state, events), found)

"""What earlier runs left in the state, turned into inputs of the next plan: the last plan, the
events already begun, the ones the user moved (fixed points), and the ones accepted as busy."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sync.config import Config
from sync.engine.plan import view_for
from sync.engine.reconcile import Observation
from sync.model import Kind, PlannedEvent, content_hash, planned_from_record
from sync.sources.base import WritableCalendar
from sync.state import OwnedRow, State

#: State meta key: uids of owned events the other person accepted (time defence: always busy).
ACCEPTED_META = "accepted"


def last_plan(state: State | None) -> list[PlannedEvent]:
    if state is None:
        return []
    raw = state.get_meta("last_plan")
    if not raw:
        return []
    try:
        return [planned_from_record(r) for r in json.loads(raw)]
    except (ValueError, KeyError, TypeError):
        return []


def beyond_window(
    previous: Sequence[PlannedEvent],
    plan: Sequence[PlannedEvent],
    window_start: datetime,
    window_end: datetime,
    now: datetime,
) -> list[PlannedEvent]:
    """The previous plan's events still ahead that lie outside this run's window (a shorter
    ``--weeks``, a later ``--from``): outside this plan, not out of it. They stay in the calendar
    and in the plan remembered for the next run, which then plans around them as before."""
    planned = {e.uid for e in plan}
    return [
        e
        for e in previous
        if e.uid not in planned
        and e.end > now
        and (e.start < window_start or e.start >= window_end)
    ]


def history_from_state(
    state: State | None, now: datetime, tombstones: frozenset[str] = frozenset()
) -> list[PlannedEvent]:
    """Every event netweave wrote that has begun by ``now``: what was already done.

    From the state (what was written, not the last plan, which drops the past): rows with the
    planned event, user-moved ones at the user's times, not tombstoned, not being deleted.
    """
    if state is None:
        return []
    out: dict[str, PlannedEvent] = {}
    for row in state.all_owned():
        if not row.planned or row.nid in out or row.nid in tombstones:
            continue
        if row.status == "pending-delete":
            continue
        try:
            ev = planned_from_record(json.loads(row.planned))
        except (ValueError, KeyError, TypeError):
            continue
        if ev.uid == row.nid and ev.start < now and ev.kind != Kind.HOLD:
            out[row.nid] = replace(ev, pinned=False)
    return [out[k] for k in sorted(out)]


def meetings_of(
    history: Sequence[PlannedEvent], now: datetime, tz: Any
) -> list[tuple[date, tuple[str, ...]]]:
    """(day, contact ids) of the one-on-ones and group events in ``history`` that have ended:
    the meetings credited to the contacts (:func:`sync.engine.contacts.credit_meetings`). A
    meeting the user deleted (tombstone) did not take place and is not credited."""
    return [
        (e.start.astimezone(tz).date(), tuple(e.contacts))
        for e in sorted(history, key=lambda e: e.uid)
        if e.kind in ("one-on-one", "group") and e.contacts and e.end <= now
    ]


def fixed_from_state(state: State) -> list[PlannedEvent]:
    """User-modified owned events known to the state, at the time the user put them."""
    out: dict[str, PlannedEvent] = {}
    for row in state.all_owned():
        if not row.user_modified or not row.planned:
            continue
        ev = planned_from_record(json.loads(row.planned))
        out.setdefault(row.nid, replace(ev, pinned=True))
    return [out[k] for k in sorted(out)]


def fixed_points(
    state: State,
    observations: Mapping[str, Observation],
    bases: Mapping[str, PlannedEvent] | None = None,
) -> list[PlannedEvent]:
    """The events the plan must keep where the user put them: those the state knows as moved,
    and those this run sees moved or edited (at the times the calendar holds now). ``bases``:
    what an event the state does not know was planned as (the provisional plan of this run)."""
    fixed_by_uid = {f.uid: f for f in fixed_from_state(state)}
    for obs in observations.values():
        rows_now = state.owned(obs.target)
        for nid, o in sorted(obs.user_modified.items()):
            base = fixed_by_uid.get(nid)
            row = rows_now.get(nid)
            if base is None and row is not None and row.planned:
                base = planned_from_record(json.loads(row.planned))
            if base is None and bases:
                base = bases.get(nid)
            if base is not None:
                fixed_by_uid[nid] = replace(base, start=o.start, end=o.end, pinned=True)
    return [fixed_by_uid[k] for k in sorted(fixed_by_uid)]


def accepted_before(state: State | None) -> frozenset[str]:
    """The uids recorded as accepted by earlier runs."""
    raw = state.get_meta(ACCEPTED_META) if state is not None else None
    try:
        return frozenset(str(x) for x in json.loads(raw or "[]"))
    except (ValueError, TypeError):
        return frozenset()


def accepted(
    config: Config,
    state: State,
    targets: Sequence[tuple[str, bool, WritableCalendar]],
    observations: Mapping[str, Observation],
) -> tuple[frozenset[str], dict[tuple[str, str], OwnedRow]]:
    """Owned events the other person accepted, and the state rows that now record it.

    netweave writes no attendees (discretion), so acceptance is what the user shows: an event
    netweave wrote free (transparent, time defence) that the calendar now holds busy was made
    busy by the user once the meeting was agreed. It stays accepted (kept in the state): the
    planner keeps it busy and netweave never turns it back to free. The rows are rewritten to
    what the calendar holds (busy), so the user's change is adopted, not written over.
    (A guest who accepted would need netweave to write guests; it does not.)
    """
    known = set(accepted_before(state))
    rows_out: dict[tuple[str, str], OwnedRow] = {}
    for name, shared, _cal in targets:
        obs = observations[name]
        rows = state.owned(name)
        for nid, o in sorted(obs.owned.items()):
            row = rows.get(nid)
            if o.transparent or row is None or row.status != "done" or not row.planned:
                continue
            try:
                rec = json.loads(row.planned)
            except ValueError:
                continue
            if not rec.get("transparent"):
                continue
            known.add(nid)
            rec["transparent"] = False
            busy = view_for(config, shared, planned_from_record(rec))
            rows_out[name, nid] = replace(
                row, planned=json.dumps(rec), content_hash=content_hash(busy)
            )
    return frozenset(known), rows_out

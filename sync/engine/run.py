"""One run from end to end: ``sync`` (read, observe, plan, decide, write, export, remember)
under the lock, and ``plan`` (read and plan, write nothing).

Unreadable busy time means nothing is written that run (no double-booking); an unreadable
address book means nothing is deleted (its people are not gone).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sync.cache import ReadCache
from sync.config import Config
from sync.config.paths import record_owner
from sync.engine.history import (
    ACCEPTED_META,
    accepted,
    accepted_before,
    fixed_from_state,
    fixed_points,
    history_from_state,
    last_plan,
    meetings_of,
)
from sync.engine.lifecycle import (
    accepted_by_guests,
    annotated,
    confirmed,
    credited,
    logged,
    record_run,
    snoozed_out,
)
from sync.engine.lock import Lock
from sync.engine.plan import RunOptions, make_plan, plan_window, start_weeks, view_for
from sync.engine.publish import export_plan
from sync.engine.read import Inputs, read_inputs
from sync.engine.reconcile import Action, Observation, observe, reconcile
from sync.engine.report import SyncReport
from sync.engine.write import apply_actions, record_observation, write_tags
from sync.errors import SourceError
from sync.model import Problem, planned_to_record
from sync.sources.base import WritableCalendar
from sync.state import OwnedRow, State

#: A writable calendar of this run: its name, whether it is shared, the backend.
Target = tuple[str, bool, WritableCalendar]


@dataclass(frozen=True)
class TargetActions:
    """The actions decided for one writable calendar, before any is applied."""

    target: str
    calendar: WritableCalendar
    actions: list[Action]


def run_sync(config: Config, opts: RunOptions) -> SyncReport:
    """The full run. Raises :class:`~sync.engine.lock.LockBusy` if another run holds the lock."""
    state_path = config.state.resolved()
    with Lock(state_path.with_suffix(".lock"), opts.lock_wait), State(state_path) as state:
        if not opts.dry_run:
            record_owner(state_path, config.path)
        return _run_locked(config, opts, state)


def _run_locked(config: Config, opts: RunOptions, state: State) -> SyncReport:
    now = opts.now
    start, weeks = start_weeks(config, opts)
    report = SyncReport(dry_run=opts.dry_run)
    run_id = 0 if opts.dry_run else state.start_run(now)
    inputs = _read(config, opts, state, start, weeks, report)
    targets, observations = _observe_targets(config, opts, state, inputs, report)
    tombstones, accepted_rows = _plan(
        config, opts, state, inputs, start, weeks, targets, observations, report
    )
    window_start, _window_end = plan_window(config, start, weeks)
    writes = _decide_writes(
        config,
        state,
        inputs,
        window_start,
        targets,
        observations,
        tombstones,
        accepted_rows,
        report,
    )
    if not opts.dry_run:
        _apply_writes(state, writes, now, report)
        write_tags(config, inputs, report)  # tags back into the books that ask for it
    export_path = opts.export_path or config.export.path
    if export_path is not None and not opts.dry_run:
        try:
            report.exported = export_plan(config, report.plan, export_path, state)
        except SourceError as e:
            report.errors.append(Problem("export", e.message, str(export_path)))
    report.http_requests = inputs.http_requests()
    if not opts.dry_run:
        state.set_meta("last_plan", json.dumps([planned_to_record(e) for e in report.plan]))
        state.finish_run(run_id, datetime.now(now.tzinfo), report.exit_code, report.to_json())
    return report


def _read(
    config: Config, opts: RunOptions, state: State, start: date, weeks: int, report: SyncReport
) -> Inputs:
    """Read every source. What netweave already did (begun before now) is credited to the
    contacts as meetings, so time passing does not undo it."""
    now = opts.now
    known_history = history_from_state(state, now, state.tombstones())
    with state.batch():  # sync tokens and caches: one commit, not one per key
        inputs = read_inputs(
            config,
            start,
            weeks,
            now,
            state,
            progress=opts.progress,
            cache=ReadCache.beside(state.path),
            past_meetings=[
                *meetings_of(credited(state, config, known_history, now), now, config.tz),
                *logged(state, now),
            ],
        )
    report.errors.extend(inputs.failures)
    report.contacts = inputs.contacts
    report.warnings.extend(inputs.problems)
    report.skipped = inputs.skipped
    return inputs


def _observe_targets(
    config: Config, opts: RunOptions, state: State, inputs: Inputs, report: SyncReport
) -> tuple[list[Target], dict[str, Observation]]:
    """What each writable calendar holds now, by the ownership marker (remembered unless dry)."""
    targets: list[Target] = []
    observations: dict[str, Observation] = {}
    for cal_cfg in config.calendars:
        if not cal_cfg.write:
            continue
        cal = inputs.calendars.get(cal_cfg.name)
        if cal is None or not hasattr(cal, "list_owned"):
            continue
        if getattr(cal, "read_only_reason", None):  # e.g. a partial Google authorization
            report.warnings.append(Problem(cal_cfg.name, cal.read_only_reason, cal_cfg.key))
            continue
        try:
            owned = cal.list_owned()
        except SourceError as e:
            report.errors.append(Problem(cal_cfg.name, e.message, cal_cfg.key))
            continue
        rows = state.owned(cal_cfg.name)
        obs = observe(cal_cfg.name, owned, rows)
        report.warnings.extend(_guests_notices(obs, rows))
        observations[cal_cfg.name] = obs
        targets.append((cal_cfg.name, cal_cfg.shared, cal))
        if not opts.dry_run:
            record_observation(state, obs, rows, opts.now)
    return targets, observations


def _guests_notices(obs: Observation, rows: Mapping[str, OwnedRow]) -> list[Problem]:
    """Say so when an event of netweave's becomes the user's because they invited guests."""
    return [
        Problem(
            obs.target,
            f"{o.title!r} {o.start:%a %Y-%m-%d %H:%M}: you invited guests to it, so it is yours "
            "now: netweave will not move or delete it (cancel it yourself to tell them)",
            o.href,
        )
        for nid, o in sorted(obs.user_modified.items())
        if o.has_guests and not rows[nid].user_modified
    ]


def _plan(
    config: Config,
    opts: RunOptions,
    state: State,
    inputs: Inputs,
    start: date,
    weeks: int,
    targets: Sequence[Target],
    observations: Mapping[str, Observation],
    report: SyncReport,
) -> tuple[frozenset[str], dict[tuple[str, str], OwnedRow]]:
    """Plan around the user's decisions (moves, deletes, acceptances) into ``report.plan``.
    Returns the tombstones and the state rows that record accepted events."""
    from sync.planner import explain

    now = opts.now
    tombstones = state.tombstones() | frozenset().union(
        *(o.user_deleted for o in observations.values())
    )
    previous = last_plan(state)
    fixed, confirmed_uids = confirmed(state, fixed_points(state, observations), previous)
    fixed_uids = {f.uid for f in fixed}
    history = [e for e in history_from_state(state, now, tombstones) if e.uid not in fixed_uids]
    accepted_uids, accepted_rows = accepted(config, state, targets, observations)
    accepted_uids |= confirmed_uids | accepted_by_guests(config, observations)
    if not opts.dry_run:
        for row in accepted_rows.values():
            state.put_owned(row, now)
        if accepted_rows:
            state.set_meta(ACCEPTED_META, json.dumps(sorted(accepted_uids)))
    result = make_plan(
        config,
        snoozed_out(state, config, inputs, now),
        start,
        weeks,
        now,
        fixed=fixed,
        previous=previous,
        tombstones=tombstones,
        history=history,
        accepted=accepted_uids,
    )
    report.plan = annotated(state, config, result.events, inputs.contacts, inputs.busy, now)
    report.explain = explain(result)
    if not opts.dry_run:
        record_run(state, report.plan, inputs.contacts, accepted_uids, tombstones, now)
    return tombstones, accepted_rows


def _decide_writes(
    config: Config,
    state: State,
    inputs: Inputs,
    window_start: datetime,
    targets: Sequence[Target],
    observations: Mapping[str, Observation],
    tombstones: frozenset[str],
    accepted_rows: Mapping[tuple[str, str], OwnedRow],
    report: SyncReport,
) -> list[TargetActions]:
    """The actions for every writable calendar, counted into the report, none applied yet."""
    allow_write = not inputs.calendars_failed
    allow_delete = allow_write and not inputs.addressbooks_failed
    if not allow_write and targets:
        report.warnings.append(
            Problem(
                "sync", "a calendar could not be read: nothing written this run (no double-booking)"
            )
        )
    out: list[TargetActions] = []
    for name, shared, cal in targets:
        obs = observations[name]
        rows = {**state.owned(name), **{n: r for (t, n), r in accepted_rows.items() if t == name}}
        desired = {e.uid: view_for(config, shared, e) for e in report.plan}
        actions, unchanged = reconcile(
            obs, desired, rows, tombstones, allow_delete=allow_delete, keep_before=window_start
        )
        report.unchanged += unchanged
        if not allow_write:
            actions = [a for a in actions if a.op == "adopt"]
        report.actions.extend(a for a in actions if a.op != "adopt")
        out.append(TargetActions(name, cal, actions))
    return out


def _apply_writes(
    state: State, writes: Sequence[TargetActions], now: datetime, report: SyncReport
) -> None:
    plan_by_uid = {e.uid: e for e in report.plan}
    for w in writes:
        apply_actions(state, w.calendar, w.actions, plan_by_uid, now, report)


def plan_only(config: Config, opts: RunOptions) -> tuple[Inputs, Any]:
    """Read and plan; write nothing (``netweave plan``, ``contacts``, ``export``)."""
    start, weeks = start_weeks(config, opts)
    state_path = config.state.resolved()
    state = State(state_path) if state_path.exists() else None
    try:
        cache = ReadCache.beside(state_path) if state is not None else None
        return _plan_only(config, opts, state, cache, start, weeks)
    finally:
        if state is not None:
            state.close()


def _plan_only(
    config: Config,
    opts: RunOptions,
    state: State | None,
    cache: ReadCache | None,
    start: date,
    weeks: int,
) -> tuple[Inputs, Any]:
    tombs: frozenset[str] = state.tombstones() if state is not None else frozenset()
    history = history_from_state(state, opts.now, tombs)
    inputs = read_inputs(
        config,
        start,
        weeks,
        opts.now,
        None,
        progress=opts.progress,
        cache=cache,
        past_meetings=[
            *meetings_of(credited(state, config, history, opts.now), opts.now, config.tz),
            *logged(state, opts.now),
        ],
    )
    previous = last_plan(state)
    fixed, confirmed_uids = confirmed(
        state, fixed_from_state(state) if state is not None else [], previous
    )
    agreed = accepted_before(state) | confirmed_uids
    result = make_plan(
        config,
        snoozed_out(state, config, inputs, opts.now),
        start,
        weeks,
        opts.now,
        fixed=fixed,
        previous=previous,
        tombstones=tombs,
        history=history,
        accepted=agreed,
    )
    events = annotated(state, config, result.events, inputs.contacts, inputs.busy, opts.now)
    return inputs, replace(result, events=events)

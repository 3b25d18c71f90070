"""One run from end to end: ``sync`` (read, judge, observe, plan, decide, check, write, export,
remember) under the lock, and ``plan`` (read and plan, write nothing).

Every source's read is judged before anything is planned (:mod:`sync.engine.health`): unless
every one is healthy, nothing is written to any calendar, the agenda and the feed keep the last
good plan, and the run exits 1 naming the source. The plan is checked before writing
(:mod:`sync.engine.invariants`); a broken promise means nothing is written either.
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
from sync.engine.health import DEGRADED, FAILED, Health, Seen, all_healthy, judge, to_remember
from sync.engine.history import (
    ACCEPTED_META,
    accepted,
    accepted_before,
    beyond_window,
    fixed_from_state,
    fixed_points,
    history_from_state,
    last_plan,
    meetings_of,
)
from sync.engine.invariants import check_deletes, check_plan
from sync.engine.lifecycle import (
    accepted_by_guests,
    annotated,
    confirmed,
    credited,
    known_names,
    logged,
    offered_holds,
    planned_events,
    promises,
    record_run,
    snoozed,
    without_orphan_holds,
)
from sync.engine.lock import Lock
from sync.engine.plan import (
    RunOptions,
    carries,
    declined_spans,
    make_plan,
    plan_window,
    start_weeks,
    view_for,
)
from sync.engine.publish import export_plan
from sync.engine.read import Inputs, read_inputs
from sync.engine.reconcile import Action, Observation, observe, reconcile
from sync.engine.report import SyncReport
from sync.engine.write import apply_actions, record_observation, write_tags
from sync.errors import SourceError
from sync.model import (
    OwnedEvent,
    PlannedEvent,
    Problem,
    content_hash,
    fingerprint,
    planned_to_record,
)
from sync.sources.base import WritableCalendar
from sync.state import LAST_FAILURE_META, OwnedRow, State

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
        report = _run_locked(config, opts, state)
        if not opts.dry_run:
            remember_outcome(state, report, opts.now)
        return report


def remember_outcome(state: State, report: SyncReport, now: datetime) -> None:
    """A failed run's errors stay in the state until the next failure (``netweave status``
    shows them even after later runs succeeded)."""
    if report.exit_code == 0:
        return
    problems = [*report.errors, *report.warnings][:20]
    record = {"time": now.isoformat(), "errors": [str(p) for p in problems]}
    state.set_meta(LAST_FAILURE_META, json.dumps(record))


def _run_locked(config: Config, opts: RunOptions, state: State) -> SyncReport:
    now = opts.now
    start, weeks = start_weeks(config, opts)
    report = SyncReport(dry_run=opts.dry_run)
    run_id = 0 if opts.dry_run else state.start_run(now)
    inputs = _read(config, opts, state, start, weeks, report)
    targets, listed = _list_targets(config, opts, inputs, report)
    verdicts = _judge(config, opts, state, inputs, listed)
    report.health = verdicts
    if all_healthy(verdicts):
        _plan_and_write(config, opts, state, inputs, start, weeks, targets, listed, report)
    else:
        _hold(state, verdicts, report)
    report.http_requests = inputs.http_requests()
    if not opts.dry_run:
        state.finish_run(run_id, datetime.now(now.tzinfo), report.exit_code, report.to_json())
    return report


def _hold(state: State, verdicts: Sequence[Health], report: SyncReport) -> None:
    """A source is not trusted: nothing is written; say which and why (a source that could not
    be read was named when it failed), and show the last good plan, which stands."""
    for v in verdicts:
        if v.status == DEGRADED:
            report.errors.append(Problem(v.seen.name, v.message()))
    if any(v.status == FAILED for v in verdicts):
        report.errors.append(
            Problem(
                "sync",
                "a source could not be read: nothing was written to any calendar this run "
                "(no double-booking; the last good plan stands)",
            )
        )
    report.plan = last_plan(state)
    report.known_names = known_names(state)  # the books may be what could not be read


def _plan_and_write(
    config: Config,
    opts: RunOptions,
    state: State,
    inputs: Inputs,
    start: date,
    weeks: int,
    targets: Sequence[Target],
    listed: Mapping[str, list[OwnedEvent]],
    report: SyncReport,
) -> None:
    """Every source healthy: remember what the user did, plan, decide, check, write, export."""
    observations = _observe(opts, state, targets, listed, report)
    observations, strays, stray_rows = _pin_strays(
        config, opts, state, inputs, (start, weeks), targets, observations, report
    )
    previous = last_plan(state)
    tombstones, accepted_rows = _plan(
        config, opts, state, inputs, start, weeks, targets, observations, report, strays
    )
    accepted_rows = {**stray_rows, **accepted_rows}
    window_start, window_end = plan_window(config, start, weeks)
    writes = _decide_writes(
        config,
        state,
        previous,
        (window_start, window_end),
        targets,
        observations,
        tombstones,
        accepted_rows,
        report,
    )
    broken = check_plan(report.plan, inputs.busy, config.budget.buffer_minutes, opts.now)
    broken += check_deletes(sum(a.op == "delete" for a in report.actions), True)
    if broken:
        for b in broken:
            report.errors.append(Problem("sync", f"refusing to write: {b}"))
        report.actions = []
        return
    if opts.dry_run:
        return
    _apply_writes(config, state, writes, opts.now, report)
    write_tags(config, inputs, report)  # tags back into the books that ask for it
    standing = beyond_window(previous, report.plan, window_start, window_end, opts.now)
    kept = [*report.plan, *(e for e in standing if e.uid not in tombstones)]
    export_path = opts.export_path or config.export.path
    if export_path is not None:
        try:
            report.exported = export_plan(config, kept, export_path, state)
        except SourceError as e:
            report.errors.append(Problem("export", e.message, str(export_path)))
    state.set_meta("last_plan", json.dumps([planned_to_record(e) for e in kept]))


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


def _list_targets(
    config: Config, opts: RunOptions, inputs: Inputs, report: SyncReport
) -> tuple[list[Target], dict[str, list[OwnedEvent]]]:
    """Each writable calendar that could be read, and netweave's events in it (by the marker).
    Temp files a killed write left there are removed first (not on a dry run)."""
    targets: list[Target] = []
    listed: dict[str, list[OwnedEvent]] = {}
    failed = {s.name for s in inputs.seen if s.kind == "calendar" and s.count is None}
    for cal_cfg in config.calendars:
        cal = inputs.calendars.get(cal_cfg.name)
        if not cal_cfg.write or cal is None or not hasattr(cal, "list_owned"):
            continue
        if cal_cfg.name in failed:
            continue  # its read failed: said once, judged failed
        if getattr(cal, "read_only_reason", None):  # e.g. a partial Google authorization
            report.warnings.append(Problem(cal_cfg.name, cal.read_only_reason, cal_cfg.key))
            continue
        if not opts.dry_run and hasattr(cal, "remove_stale_temp_files"):
            cal.remove_stale_temp_files()
        try:
            listed[cal_cfg.name] = cal.list_owned()
        except SourceError as e:
            report.errors.append(Problem(cal_cfg.name, e.message, cal_cfg.key))
            inputs.seen.append(Seen("target", cal_cfg.name, None, e.message))
            continue
        targets.append((cal_cfg.name, cal_cfg.shared, cal))
        nids = {o.nid for o in listed[cal_cfg.name]}
        seen = Seen("target", cal_cfg.name, len(nids), expect_empty=cal_cfg.expect_empty)
        inputs.seen.append(seen)
    return targets, listed


def _judge(
    config: Config,
    opts: RunOptions,
    state: State,
    inputs: Inputs,
    listed: Mapping[str, list[OwnedEvent]],
) -> list[Health]:
    """The verdict on every source; the counts of the healthy ones are remembered."""
    remembered = state.remembered_counts()
    for name in listed:
        remembered[f"target:{name}"] = sum(
            1 for r in state.owned(name).values() if r.status in ("done", "pending-update")
        )
    verdicts = judge(
        inputs.seen, remembered, min_ratio=config.safety.min_ratio, accepted=opts.accept
    )
    if not opts.dry_run:
        state.remember_counts(to_remember(verdicts))
    return verdicts


def _observe(
    opts: RunOptions,
    state: State,
    targets: Sequence[Target],
    listed: Mapping[str, list[OwnedEvent]],
    report: SyncReport,
) -> dict[str, Observation]:
    """What each writable calendar holds now against the state (remembered unless dry): the
    user's moves, edits and deletes. Only ever from a healthy read."""
    observations: dict[str, Observation] = {}
    for name, _shared, _cal in targets:
        rows = state.owned(name)
        obs = observe(name, listed[name], rows)
        report.warnings.extend(_guests_notices(obs, rows))
        observations[name] = obs
        if not opts.dry_run:
            record_observation(state, obs, rows, opts.now)
    return observations


def _pin_strays(
    config: Config,
    opts: RunOptions,
    state: State,
    inputs: Inputs,
    span: tuple[date, int],
    targets: Sequence[Target],
    observations: Mapping[str, Observation],
    report: SyncReport,
) -> tuple[dict[str, Observation], dict[str, PlannedEvent], dict[tuple[str, str], OwnedRow]]:
    """Events found by their marker that the state does not know (it was deleted or lost),
    judged against a provisional plan (made only when there are such events). Those where it
    would plan them are netweave's, as it wrote them; the others (or with guests) are the
    user's, moved or edited while the state could not see it, and kept where they are by this
    very plan, as every later run keeps them. Returns the observations with the user's among
    their moves, what the provisional plan made of those, and a state row for every such event
    (recorded unless on a dry run)."""
    strays = {
        name: [n for n in obs.owned if n not in state.owned(name) and n not in obs.user_modified]
        for name, obs in observations.items()
    }
    if not any(strays.values()):
        return dict(observations), {}, {}
    _plan(config, replace(opts, dry_run=True), state, inputs, *span, targets, observations, report)
    provisional = {e.uid: e for e in report.plan}
    out, pinned, rows = dict(observations), {}, {}
    for name, shared, _cal in targets:
        obs, moved = observations[name], {}
        for nid in strays.get(name, []):
            o, want = obs.owned[nid], provisional.get(nid)
            if want is None or not carries(config, shared, want):
                continue  # not planned at all: reconcile decides (outside the window: kept)
            view = view_for(config, shared, want)
            mine = not o.has_guests and o.fingerprint == fingerprint(
                view.start, view.end, view.title, view.location
            )
            if not mine:
                moved[nid], pinned[nid] = o, want
                want = replace(want, start=o.start, end=o.end)
            row = OwnedRow(
                name, nid, o.href, o.etag, o.fingerprint, content_hash(view), "done",
                o.sequence, user_modified=not mine, planned=json.dumps(planned_to_record(want)),
            )  # fmt: skip
            rows[(name, nid)] = row
            if not opts.dry_run:
                state.put_owned(row, opts.now)
        out[name] = replace(obs, user_modified={**obs.user_modified, **moved})
    return out, pinned, rows


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
    strays: Mapping[str, PlannedEvent] | None = None,
) -> tuple[frozenset[str], dict[tuple[str, str], OwnedRow]]:
    """Plan around the user's decisions (moves, deletes, acceptances) into ``report.plan``.
    Returns the tombstones and the state rows that record accepted events. ``strays``: what
    the provisional plan made of moved events the state did not know (see :func:`_pin_strays`)."""
    from sync.planner import explain

    now = opts.now
    tombstones = state.tombstones() | frozenset().union(
        *(o.user_deleted for o in observations.values())
    )
    previous = last_plan(state)
    fixed, confirmed_uids = confirmed(state, fixed_points(state, observations, strays), previous)
    fixed_uids = {f.uid for f in fixed}
    history = [e for e in history_from_state(state, now, tombstones) if e.uid not in fixed_uids]
    accepted_uids, accepted_rows = accepted(config, state, targets, observations)
    accepted_uids |= confirmed_uids | accepted_by_guests(config, observations)
    if not opts.dry_run:
        for row in accepted_rows.values():
            state.put_owned(row, now)
        if accepted_rows:
            state.set_meta(ACCEPTED_META, json.dumps(sorted(accepted_uids)))
    offered = offered_holds(state, planned_events(state, previous), now)
    result = make_plan(
        config,
        inputs,
        start,
        weeks,
        now,
        fixed=fixed,
        previous=previous,
        tombstones=tombstones,
        history=history,
        accepted=accepted_uids,
        declined=declined_spans(state, previous, tombstones, now, remember=not opts.dry_run),
        snoozed=snoozed(state, config, now),
        holds=[h for _, h in offered.values()],
        promises=promises(state),
    )
    events = without_orphan_holds(result.events, offered)
    report.plan = annotated(state, config, events, inputs.contacts, inputs.busy, now)
    report.explain = explain(result)
    if not opts.dry_run:
        record_run(state, report.plan, inputs.contacts, accepted_uids, tombstones, now)
    return tombstones, accepted_rows


def _decide_writes(
    config: Config,
    state: State,
    previous: Sequence[PlannedEvent],
    window: tuple[datetime, datetime],
    targets: Sequence[Target],
    observations: Mapping[str, Observation],
    tombstones: frozenset[str],
    accepted_rows: Mapping[tuple[str, str], OwnedRow],
    report: SyncReport,
) -> list[TargetActions]:
    """The actions for every writable calendar, counted into the report, none applied yet.
    Events outside the window are outside this plan, not out of it: never deleted for it.
    A deletion carries the event as it was planned (this plan, else the previous one or the
    record kept with the event), so that what was deleted can be said."""
    known = {**planned_events(state, previous), **{e.uid: e for e in report.plan}}
    out: list[TargetActions] = []
    for name, shared, cal in targets:
        obs = observations[name]
        rows = {**state.owned(name), **{n: r for (t, n), r in accepted_rows.items() if t == name}}
        desired = {
            e.uid: view_for(config, shared, e) for e in report.plan if carries(config, shared, e)
        }
        actions, unchanged = reconcile(
            obs,
            desired,
            rows,
            tombstones,
            allow_delete=True,
            keep_before=window[0],
            keep_after=window[1],
            planned=known,
        )
        report.unchanged += unchanged
        report.actions.extend(a for a in actions if a.op != "adopt")
        out.append(TargetActions(name, cal, actions))
    return out


def _apply_writes(
    config: Config,
    state: State,
    writes: Sequence[TargetActions],
    now: datetime,
    report: SyncReport,
) -> None:
    plan_by_uid = {e.uid: e for e in report.plan}
    for w in writes:
        apply_actions(
            state,
            w.calendar,
            w.actions,
            plan_by_uid,
            now,
            report,
            max_failures=config.safety.max_write_failures,
        )


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
    known = planned_events(state, previous) if state is not None else {}
    offered = offered_holds(state, known, opts.now)
    result = make_plan(
        config,
        inputs,
        start,
        weeks,
        opts.now,
        fixed=fixed,
        previous=previous,
        tombstones=tombs,
        history=history,
        accepted=agreed,
        declined=declined_spans(state, previous, tombs, opts.now, remember=False),
        snoozed=snoozed(state, config, opts.now),
        holds=[h for _, h in offered.values()],
        promises=promises(state),
    )
    plan = without_orphan_holds(result.events, offered)
    events = annotated(state, config, plan, inputs.contacts, inputs.busy, opts.now)
    return inputs, replace(result, events=events)

"""Applying decided actions: each write to a calendar is recorded in the state as an intent
before it is made and as an outcome after (so a run killed at any point converges on the next
run), what the user did to netweave's events is remembered, and netweave's tags are written
back into the address books that ask for them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sync.config import Config
from sync.engine.read import Inputs
from sync.engine.reconcile import Action, Observation
from sync.engine.report import SyncReport
from sync.errors import NotFound, PreconditionFailed, SourceError
from sync.model import (
    OwnedEvent,
    PlannedEvent,
    Problem,
    content_hash,
    fingerprint,
    planned_to_record,
)
from sync.sources.base import WritableCalendar
from sync.state import OwnedRow, State


def apply_actions(
    state: State,
    cal: WritableCalendar,
    actions: Sequence[Action],
    plan_by_uid: Mapping[str, PlannedEvent],
    now: datetime,
    report: SyncReport,
    *,
    max_failures: int = 3,
) -> None:
    """Apply one target's actions: in few requests where the calendar batches, else one by one.
    After ``max_failures`` failed writes in a row (a server gone), the rest wait for the next
    run: each failure may have cost a round of retries already."""
    if hasattr(cal, "write_batch") and len(actions) > 1:
        _apply_batch(state, cal, actions, plan_by_uid, now, report)
        return
    in_a_row = 0
    for i, action in enumerate(actions):
        failed = _apply(state, cal, action, plan_by_uid.get(action.nid), now, report)
        in_a_row = in_a_row + 1 if failed else 0
        left = sum(1 for a in actions[i + 1 :] if a.op != "adopt")
        if in_a_row >= max_failures and left:
            report.errors.append(
                Problem(
                    action.target,
                    f"stopped writing to it after {in_a_row} failed writes in a row; "
                    f"{left} more changes wait for the next run",
                )
            )
            return


def record_observation(
    state: State, obs: Observation, rows: Mapping[str, OwnedRow], now: datetime
) -> None:
    """Remember what the user did: events moved or edited (kept at their times from now on),
    events deleted (tombstones), and interrupted deletes that completed."""
    for nid, o in obs.user_modified.items():
        row = rows[nid]
        if not row.user_modified:
            planned = row.planned
            if planned:
                rec = json.loads(planned)
                rec["start"], rec["end"] = o.start.isoformat(), o.end.isoformat()
                planned = json.dumps(rec)
            state.put_owned(
                replace(
                    row,
                    user_modified=True,
                    href=o.href,
                    etag=o.etag,
                    status="done",
                    planned=planned,
                ),
                now,
            )
    for nid in obs.user_deleted:
        state.add_tombstone(obs.target, nid, now)
    for nid in obs.completed_deletes:
        state.drop_owned(obs.target, nid)


def _row(a: Action, status: str, record: str | None, **kw: Any) -> OwnedRow:
    assert a.event is not None
    e = a.event
    return OwnedRow(
        a.target,
        a.nid,
        kw.pop("href", a.href),
        kw.pop("etag", a.etag),
        fingerprint(e.start, e.end, e.title, e.location),
        content_hash(e),
        status,
        kw.pop("sequence", a.sequence),
        planned=record,
        **kw,
    )


def _intent(state: State, a: Action, record: str | None, now: datetime) -> None:
    """Record what is about to be written, before writing it (crash safety)."""
    if a.op == "insert":
        state.put_owned(_row(a, "pending-insert", record, href=None, etag=None, sequence=0), now)
    elif a.op == "update":
        state.put_owned(_row(a, "pending-update", record, prev_fingerprint=a.prev_fingerprint), now)
    elif a.op == "delete" and a.reason != "duplicate":
        row = state.owned(a.target).get(a.nid)
        if row is not None:
            state.put_owned(replace(row, status="pending-delete", href=a.href, etag=a.etag), now)


def _outcome(
    state: State,
    a: Action,
    result: OwnedEvent | BaseException | None,
    record: str | None,
    now: datetime,
    report: SyncReport,
) -> bool:
    """Record what a write did (or why it did not). True when it failed (not written)."""
    if isinstance(result, PreconditionFailed):
        # The user changed it between our read and our write: their version wins.
        report.warnings.append(
            Problem(a.target, f"{a.nid} changed while syncing; kept the calendar's version", a.href)
        )
    elif isinstance(result, NotFound):
        if a.op == "delete":
            state.drop_owned(a.target, a.nid)
        report.warnings.append(Problem(a.target, f"{a.nid} disappeared while syncing", a.href))
    elif isinstance(result, SourceError):
        report.errors.append(Problem(a.target, result.message, a.href))
        return True
    elif isinstance(result, BaseException):
        raise result
    elif a.op == "delete":
        if a.reason != "duplicate":
            state.drop_owned(a.target, a.nid)
        report.deleted += 1
    else:
        assert result is not None
        seq = result.sequence if a.op == "insert" else a.sequence
        state.put_owned(
            _row(a, "done", record, href=result.href, etag=result.etag, sequence=seq), now
        )
        if a.op == "insert":
            report.inserted += 1
        else:
            report.updated += 1
    return False


def _record(planned: PlannedEvent | None) -> str | None:
    return json.dumps(planned_to_record(planned)) if planned else None


def _apply(
    state: State,
    cal: WritableCalendar,
    a: Action,
    planned: PlannedEvent | None,
    now: datetime,
    report: SyncReport,
) -> bool:
    """One action: intent, write, outcome. True when the write failed."""
    record = _record(planned)
    if a.op == "adopt":
        state.put_owned(_row(a, "done", record, user_modified=a.reason == "user"), now)
        return False
    _intent(state, a, record, now)
    result: OwnedEvent | BaseException | None
    try:
        if a.op == "insert":
            assert a.event is not None
            result = cal.insert(a.event)
        elif a.op == "update":
            assert a.event is not None and a.href is not None and a.etag is not None
            result = cal.update(a.href, a.etag, a.event, a.sequence)
        else:
            assert a.href is not None and a.etag is not None
            cal.delete(a.href, a.etag)
            result = None
    except SourceError as e:
        result = e
    return _outcome(state, a, result, record, now, report)


def _apply_batch(
    state: State,
    cal: Any,
    actions: Sequence[Action],
    plan_by_uid: Mapping[str, PlannedEvent],
    now: datetime,
    report: SyncReport,
) -> None:
    """Many actions in few requests (Google batch): all intents, one batch, all outcomes."""
    remote = [a for a in actions if a.op != "adopt"]
    for a in actions:
        if a.op == "adopt":
            _apply(state, cal, a, plan_by_uid.get(a.nid), now, report)
    if not remote:
        return
    records = {id(a): _record(plan_by_uid.get(a.nid)) for a in remote}
    for a in remote:
        _intent(state, a, records[id(a)], now)
    inserts = [a for a in remote if a.op == "insert"]
    updates = [a for a in remote if a.op == "update"]
    deletes = [a for a in remote if a.op == "delete"]
    try:
        results = cal.write_batch(
            [a.event for a in inserts],
            [(a.href, a.etag, a.event, a.sequence) for a in updates],
            [(a.href, a.etag) for a in deletes],
        )
    except SourceError as e:
        results = [e] * len(remote)
    for a, result in zip([*inserts, *updates, *deletes], results, strict=True):
        _outcome(state, a, result, records[id(a)], now, report)


def write_tags(config: Config, inputs: Inputs, report: SyncReport) -> None:
    """netweave's categories onto each address book with ``write_tags`` (its own prefix only)."""
    from sync.merge import tags_for_source

    tags = {c.id: tuple(c.categories) for c in inputs.contacts}
    for ab_cfg in config.addressbooks:
        book = inputs.addressbooks.get(ab_cfg.name)
        reduced = getattr(book, "read_only_reason", None)
        if ab_cfg.write_tags and reduced:  # e.g. a partial Google authorization
            report.warnings.append(Problem(ab_cfg.name, str(reduced), ab_cfg.key))
            continue
        if not ab_cfg.write_tags or book is None or not getattr(book, "can_write_tags", False):
            continue
        try:
            problems = book.write_tags(tags_for_source(tags, inputs.contacts, ab_cfg.name))
        except SourceError as e:
            report.errors.append(Problem(ab_cfg.name, e.message, ab_cfg.key))
            continue
        report.errors.extend(problems)  # a tag that could not be written: exit 1

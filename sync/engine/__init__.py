"""One sync: read -> tag -> plan -> reconcile -> write -> export.

This package and the adapters in :mod:`sync.sources` are the only places that do I/O. The
decisions are pure functions (:func:`observe`, :func:`reconcile`) over model objects, so that
``--dry-run`` is free: compute the actions, print them, apply nothing.

Invariants: netweave only ever writes, changes or deletes events carrying its marker; a second
run with nothing changed writes nothing; a user's move or edit of an owned event wins (it becomes
a fixed point of the plan); a user's delete becomes a tombstone; a run killed at any point
converges on the next run (intent is recorded before each write, the outcome after).

The rooms: :mod:`~sync.engine.read` (the sources, through the read cache),
:mod:`~sync.engine.contacts` (merged and tagged contacts), :mod:`~sync.engine.health` (whether
each source's read is trusted), :mod:`~sync.engine.history` (what
earlier runs left in the state), :mod:`~sync.engine.plan` (options, window, planner call),
:mod:`~sync.engine.reconcile` (actions, pure), :mod:`~sync.engine.invariants` (the promises
checked before writing), :mod:`~sync.engine.write` (applying them),
:mod:`~sync.engine.publish` (the agenda file), :mod:`~sync.engine.lock`,
:mod:`~sync.engine.report` and :mod:`~sync.engine.run` (the orchestration).
"""

from __future__ import annotations

from sync.engine.contacts import credit_meetings
from sync.engine.health import DEGRADED, FAILED, HEALTHY, Health, Seen, judge
from sync.engine.history import (
    ACCEPTED_META,
    history_from_state,
    last_plan,
    meetings_of,
)
from sync.engine.lock import Lock, LockBusy
from sync.engine.plan import RunOptions, make_plan, plan_window, start_weeks, view_for
from sync.engine.publish import export_plan
from sync.engine.read import Inputs, read_inputs
from sync.engine.reconcile import Action, Observation, observe, reconcile
from sync.engine.report import SyncReport
from sync.engine.run import plan_only, run_sync

#: The name the command line knew :func:`start_weeks` by.
_start_weeks = start_weeks

__all__ = [
    "ACCEPTED_META",
    "DEGRADED",
    "FAILED",
    "HEALTHY",
    "Health",
    "Seen",
    "judge",
    "Action",
    "Inputs",
    "Lock",
    "LockBusy",
    "Observation",
    "RunOptions",
    "SyncReport",
    "_start_weeks",
    "credit_meetings",
    "export_plan",
    "history_from_state",
    "last_plan",
    "make_plan",
    "meetings_of",
    "observe",
    "plan_only",
    "plan_window",
    "read_inputs",
    "reconcile",
    "run_sync",
    "start_weeks",
    "view_for",
]

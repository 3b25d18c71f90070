"""What one run plans for: its options, the window it covers, the planner call, and the view of
each planned event that a calendar is given (the neutral one on a shared calendar)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.config import Config
from sync.model import Busy, Kind, PlannedEvent, Promise

if TYPE_CHECKING:
    from sync.engine.read import Inputs
    from sync.state import State

#: State meta key: the times of activities the user deleted, by uid (kept free of new ones).
DECLINED_META = "declined_spans"


@dataclass
class RunOptions:
    now: datetime
    start: date | None = None
    weeks: int | None = None
    dry_run: bool = False
    export_path: Path | None = None
    lock_wait: float = 10.0
    progress: Callable[[str], None] | None = None  # called per source read (sync.view.progress)
    accept: frozenset[str] = frozenset()  # sources whose read is trusted although it shrank


def start_weeks(config: Config, opts: RunOptions) -> tuple[date, int]:
    """The first day and the number of weeks a run plans: the options, else today and the config."""
    start = opts.start or opts.now.astimezone(config.tz).date()
    return start, opts.weeks or config.planner.weeks


def plan_window(config: Config, start: date, weeks: int) -> tuple[datetime, datetime]:
    tz = config.tz
    begin = datetime.combine(start, datetime.min.time(), tz)
    end = datetime.combine(start + timedelta(days=7 * weeks), datetime.min.time(), tz)
    return begin, end


def make_plan(
    config: Config,
    inputs: Inputs,
    start: date,
    weeks: int,
    now: datetime,
    *,
    fixed: Sequence[PlannedEvent] = (),
    previous: Sequence[PlannedEvent] = (),
    tombstones: frozenset[str] = frozenset(),
    history: Sequence[PlannedEvent] = (),
    accepted: frozenset[str] = frozenset(),
    declined: Sequence[Busy] = (),
    snoozed: Mapping[str, date] | None = None,
    holds: Sequence[PlannedEvent] = (),
    promises: Sequence[Promise] = (),
) -> Any:
    """``declined``: times the user freed by deleting an activity; nothing new goes there."""
    from sync.busy import merge_busy
    from sync.daysoff import days_off
    from sync.planner import PlanInput, plan

    end = start + timedelta(days=7 * weeks)
    return plan(
        PlanInput(
            config=config,
            contacts=inputs.contacts,
            busy=merge_busy([*inputs.busy, *declined]) if declined else inputs.busy,
            start=start,
            weeks=weeks,
            now=now,
            fixed=tuple(fixed),
            previous=tuple(previous),
            tombstones=tombstones,
            group_events=tuple(inputs.group_events),
            history=tuple(e for e in history if e.uid not in tombstones),
            accepted=accepted,
            events=tuple(e for e in inputs.events if not e.netweave_id),
            days_off=days_off(config, start, end, inputs.holidays),
            snoozed=dict(snoozed or {}),
            holds=tuple(holds),
            promises=tuple(promises),
        )
    )


def carries(config: Config, target_shared: bool, event: PlannedEvent) -> bool:
    """Whether a calendar gets this event: travel blocks only where ``travel.blocks`` says."""
    if event.kind != Kind.TRAVEL:
        return True
    from sync.planner.travelblocks import wants_travel_blocks

    return wants_travel_blocks(config, target_shared)


def view_for(config: Config, target_shared: bool, event: PlannedEvent) -> PlannedEvent:
    """What is written to a calendar: the neutral view on a shared one (confidential mode)."""
    if target_shared and config.confidential.enabled:
        from dataclasses import replace

        from sync.agenda import public_view

        shown = public_view(event, config.confidential)
        # A travel block says only that: "Travel" names no one and nothing.
        return replace(shown, title=event.title) if event.kind == Kind.TRAVEL else shown
    return event


def declined_spans(
    state: State | None,
    previous: Sequence[PlannedEvent],
    tombstones: frozenset[str],
    now: datetime,
    *,
    remember: bool,
) -> list[Busy]:
    """The times of activities the user deleted, still ahead: the time a person freed on purpose
    stays free (no one else is put there). Taken from the previous plan when the deletion is new,
    and kept in the state for later runs (``remember``)."""
    import json

    stored = state.get_meta(DECLINED_META) if state is not None else None
    try:
        known: dict[str, list[str]] = dict(json.loads(stored or "{}"))
    except (ValueError, TypeError):
        known = {}
    for e in previous:
        if e.uid in tombstones and e.kind != Kind.TRAVEL and e.uid not in known:
            known[e.uid] = [e.start.isoformat(), e.end.isoformat()]
    ahead = {
        uid: span
        for uid, span in sorted(known.items())
        if datetime.fromisoformat(span[1]) > now and uid in tombstones
    }
    text = json.dumps(ahead, sort_keys=True)
    if remember and state is not None and text != (stored or "{}"):
        state.set_meta(DECLINED_META, text)
    return [
        Busy(datetime.fromisoformat(a), datetime.fromisoformat(b), "deleted by you")
        for a, b in ahead.values()
    ]

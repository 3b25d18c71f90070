"""What one run plans for: its options, the window it covers, the planner call, and the view of
each planned event that a calendar is given (the neutral one on a shared calendar)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.config import Config
from sync.model import Kind, PlannedEvent

if TYPE_CHECKING:
    from sync.engine.read import Inputs


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
) -> Any:
    from sync.daysoff import days_off
    from sync.planner import PlanInput, plan

    end = start + timedelta(days=7 * weeks)
    return plan(
        PlanInput(
            config=config,
            contacts=inputs.contacts,
            busy=inputs.busy,
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
            days_off=days_off(config, start, end),
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

"""What one planning run is given: the config, contacts, busy time and what is already decided."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sync.config import Config
from sync.model import Busy, Contact, Event, PlannedEvent, Promise


@dataclass(frozen=True)
class PlanInput:
    config: Config
    contacts: Sequence[Contact]
    busy: Sequence[Busy]
    start: date
    weeks: int
    now: datetime
    fixed: Sequence[PlannedEvent] = ()
    previous: Sequence[PlannedEvent] = ()
    tombstones: frozenset[str] = frozenset()
    group_events: Sequence[Event] = ()
    accepted: frozenset[str] = frozenset()  # uids the other person accepted: always busy
    # Events netweave wrote that have begun (the engine reads them from its state, user-moved
    # ones at the user's times): what was already done. They stand as they are, count as
    # done (introductions asked, trial visits made, decisions noted, people met) and their
    # uids are never produced for anything else.
    history: Sequence[PlannedEvent] = ()
    # The owner's own calendar events (not netweave's): where the owner is (trips, out of
    # office). Busy time still comes from ``busy`` alone.
    events: Sequence[Event] = ()
    # Days without activity and why (public holidays, days off): sync.daysoff.days_off.
    days_off: Mapping[date, str] = field(default_factory=dict)
    # Other times offered for a held meeting (Kind.HOLD, transparent): each stands where it
    # fits (no busy time, no other event or hold), committed before anything else is placed,
    # and costs no budget.
    holds: Sequence[PlannedEvent] = ()
    # Promises from the interaction log: each becomes a short follow-up task after the
    # meeting it was made in (once: a task that has begun is history).
    promises: Sequence[Promise] = ()
    # People the user snoozed: contact id -> the first day they may be met again.
    snoozed: Mapping[str, date] = field(default_factory=dict)

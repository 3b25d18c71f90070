"""What the plan has taken so far: time on the timeline, minutes and counters in the ledger,
the uids produced or never to be produced, and the events that fall in the horizon."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sync.model import PlannedEvent
from sync.planner.clock import Horizon, epoch, in_budget, is_activity
from sync.planner.inputs import PlanInput
from sync.planner.ledger import Ledger
from sync.planner.timeline import Timeline


class Board:
    def __init__(self, inp: PlanInput, horizon: Horizon, ledger: Ledger) -> None:
        tz = inp.config.tz
        self.horizon = horizon
        self.ledger = ledger
        self.timeline = Timeline((epoch(b.start, tz), epoch(b.end, tz)) for b in inp.busy)
        self.tombstones = inp.tombstones
        self.fixed_uids = frozenset(e.uid for e in inp.fixed)
        self.out: dict[str, PlannedEvent] = {}
        self.taken: set[str] = set(inp.tombstones)  # uids that may not be produced again
        self.active_days: dict[date, int] = defaultdict(int)
        # Searches that found nothing since the last commit (a commit only takes time away).
        self.memo: set[tuple[object, ...]] = set()

    def generated(self, uid: str) -> bool:
        """The planner makes this uid (the user neither fixed nor deleted it)."""
        return uid not in self.fixed_uids and uid not in self.tombstones

    def commit(self, e: PlannedEvent, counters: Iterable[str] = ()) -> None:
        """Take an event's time and budget (any event: fixed, past, kept or new)."""
        h = self.horizon
        a, b = h.fp(e)
        self.timeline.add(a, b)
        s = int(e.start.timestamp())
        wi = h.wi_of(s)
        self.ledger.commit(wi, (b - a) // 60 if in_budget(e) else 0, counters)
        if is_activity(e.kind):
            self.active_days[h.clock.day(s)] += 1
        if h.in_horizon(s):
            self.out[e.uid] = e
        self.taken.add(e.uid)
        self.memo.clear()

    def hold(self, e: PlannedEvent) -> None:
        """Take a hold's time (travel included), not its budget: it is an offer, not a
        meeting."""
        a, b = self.horizon.fp(e)
        self.timeline.add(a, b)
        self.out[e.uid] = e
        self.taken.add(e.uid)
        self.memo.clear()

    def fits(self, wi: int, ev: PlannedEvent, kids: Sequence[PlannedEvent]) -> bool:
        """An event and its blocks fit in what is left of week ``wi``'s budget."""
        total = self.horizon.cost(ev) + sum(self.horizon.cost(k) for k in kids)
        return total <= self.ledger.remaining(wi)

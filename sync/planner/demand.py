"""Who is due to keep in touch: people with a category cadence wait in a queue by due date;
each week those due by its last day come forward, most overdue first (after focus people).

The pool also keeps, among the people ready, those whose turn needs a look of its own (see
:mod:`~sync.planner.overflow`): waiting for an introduction, met since they were queued, or
met in the previous plan (``watch``); everyone else ready is certainly due and free to be
tried."""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date

from sync.planner.people import Person

Entry = tuple[int, int, str]  # (date ordinal, person order, key)


class Pool:
    def __init__(
        self,
        persons: Mapping[str, Person],
        start: date,
        lead_days: int,
        met_log: Sequence[tuple[Person, int]] = (),
    ) -> None:
        self.persons = persons
        self.start = start
        self.lead_days = lead_days
        self.heap: list[Entry] = []  # waiting, by due date
        self.ready: dict[str, Person] = {}  # due: to be met, most overdue first
        self.ready_order: list[Entry] = []  # by deadline: exactly the people in ``ready``
        self.ready_entry: dict[str, Entry] = {}
        self.watch: set[str] = set()  # people the previous plan meets
        self.flagged: set[str] = set()  # ready, and their turn needs a look of its own
        self.pushed: dict[str, int] = {}  # meetings in the plan when last queued, by person
        self.met_log = met_log
        self.seen = len(met_log)
        # The people ready by a class of what decides their turn (set by who reads them).
        self.classify: Callable[[Person], Hashable] | None = None
        self.by_class: dict[Hashable, list[Entry]] = defaultdict(list)
        self.class_of: dict[str, Hashable] = {}

    def push(self, p: Person) -> None:
        """Queue ``p`` at the date their cadence is next due (if it can be due)."""
        if p.in_heap or p.pool_cadence is None:
            return
        due = p.due(self.start, self.lead_days)
        if due is None:
            return
        heapq.heappush(self.heap, (due.toordinal(), p.order, p.key))
        p.in_heap = True
        self.pushed[p.key] = p.planned

    def gather(self, last_day: date) -> None:
        """Bring forward everyone due by ``last_day``."""
        end_ord = last_day.toordinal()
        while self.heap and self.heap[0][0] <= end_ord:
            _, _, key = heapq.heappop(self.heap)
            p = self.persons[key]
            p.in_heap = False
            if not p.in_focus and not p.retired and key not in self.ready:
                self.ready[key] = p
                entry = (p.deadline(self.start).toordinal(), p.order, key)
                self.ready_entry[key] = entry
                insort(self.ready_order, entry)
                met = p.planned != self.pushed.get(key, 0)  # since queued: due later
                if p.needs_intro or met or key in self.watch:
                    self.flagged.add(key)
                if self.classify is not None:
                    cls = self.class_of[key] = self.classify(p)
                    insort(self.by_class[cls], entry)

    def done(self, p: Person) -> None:
        """``p`` leaves the ready list (met, in focus, or due later after all)."""
        if self.ready.pop(p.key, None) is not None:
            entry = self.ready_entry[p.key]
            del self.ready_order[bisect_left(self.ready_order, entry)]
            self.flagged.discard(p.key)
            cls = self.class_of.pop(p.key, None)
            if cls is not None:
                same = self.by_class[cls]
                del same[bisect_left(same, entry)]

    def odd(self) -> set[str]:
        """The people ready whose turn needs a look of its own (focus people aside): flagged
        when they came forward, or met since."""
        for p, _ in self.met_log[self.seen :]:
            if p.key in self.ready:
                self.flagged.add(p.key)
        self.seen = len(self.met_log)
        return self.flagged

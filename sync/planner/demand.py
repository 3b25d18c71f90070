"""Who is due to keep in touch: people with a category cadence wait in a queue by due date;
each week those due by its last day come forward, most overdue first (after focus people)."""

from __future__ import annotations

import heapq
from bisect import insort
from collections.abc import Mapping
from datetime import date

from sync.planner.people import Person

Entry = tuple[int, int, str]  # (date ordinal, person order, key)


class Pool:
    def __init__(self, persons: Mapping[str, Person], start: date, lead_days: int) -> None:
        self.persons = persons
        self.start = start
        self.lead_days = lead_days
        self.heap: list[Entry] = []  # waiting, by due date
        self.ready: dict[str, Person] = {}  # due: to be met, most overdue first
        self.ready_order: list[Entry] = []  # by deadline
        self.ready_entry: dict[str, Entry] = {}

    def push(self, p: Person) -> None:
        """Queue ``p`` at the date their cadence is next due (if it can be due)."""
        if p.in_heap or p.pool_cadence is None:
            return
        due = p.due(self.start, self.lead_days)
        if due is None:
            return
        heapq.heappush(self.heap, (due.toordinal(), p.order, p.key))
        p.in_heap = True

    def gather(self, last_day: date) -> None:
        """Bring forward everyone due by ``last_day`` (and forget those met meanwhile)."""
        end_ord = last_day.toordinal()
        self.ready_order = [
            x for x in self.ready_order if x[2] in self.ready and self.ready_entry[x[2]] == x
        ]
        while self.heap and self.heap[0][0] <= end_ord:
            _, _, key = heapq.heappop(self.heap)
            p = self.persons[key]
            p.in_heap = False
            if not p.in_focus and not p.retired and key not in self.ready:
                self.ready[key] = p
                entry = (p.deadline(self.start).toordinal(), p.order, key)
                self.ready_entry[key] = entry
                insort(self.ready_order, entry)

    def done(self, p: Person) -> None:
        """``p`` leaves the ready list (met, in focus, or due later after all)."""
        self.ready.pop(p.key, None)

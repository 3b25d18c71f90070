"""The strong ties as the floor needs them, without a pass over every one each week: who is
most overdue (by last meeting, then order), and how many strong-tie meetings each block of four
weeks holds. Both catch up from the roster's meeting log when asked."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date

from sync.planner.people import Person, Roster

Entry = tuple[int, int, str]  # (last met as an ordinal, date.min if never; order; key)


def _entry(p: Person) -> Entry:
    return ((p.last or date.min).toordinal(), p.order, p.key)


class StrongTies:
    def __init__(
        self, roster: Roster, strong: list[Person], block_of_week: Callable[[int], int]
    ) -> None:
        self.roster = roster
        self.block_of_week = block_of_week
        self.keys = {p.key for p in strong}
        # Retired people never become candidates (retirement is settled with the roster).
        self.entry = {p.key: _entry(p) for p in strong if not p.retired}
        self.queue = sorted(self.entry.values())
        self.pairs: set[tuple[str, int]] = set()  # (person, week) met
        self.weeks: dict[int, int] = defaultdict(int)  # block -> weeks met, over all people
        self.people: dict[int, set[str]] = defaultdict(set)  # block -> who was met in it
        for p in strong:
            for wi in p.weeks_met:
                self._count(p.key, wi)
        self.seen = len(roster.met_log)

    def _count(self, key: str, wi: int) -> None:
        if (key, wi) not in self.pairs:
            self.pairs.add((key, wi))
            block = self.block_of_week(wi)
            self.weeks[block] += 1
            self.people[block].add(key)

    def catch_up(self) -> None:
        log = self.roster.met_log
        for p, wi in log[self.seen :]:
            if p.key not in self.keys:
                continue
            self._count(p.key, wi)
            old = self.entry.get(p.key)
            new = _entry(p)
            if old is not None and old != new:
                del self.queue[bisect_left(self.queue, old)]
                insort(self.queue, new)
                self.entry[p.key] = new
        self.seen = len(log)

    def met_in_block(self, block: int) -> tuple[int, set[str]]:
        """Weeks met with strong ties in ``block`` (a person met in two weeks counts twice),
        and who they were."""
        self.catch_up()
        return self.weeks.get(block, 0), self.people.get(block, set())

    def overdue(self, wi: int, day: date, recent: date) -> Iterator[Person]:
        """Strong ties not met in week ``wi``, awake on ``day``, last met on or before
        ``recent`` (or never), most overdue first."""
        self.catch_up()
        persons = self.roster.persons
        limit = recent.toordinal()
        for last, _, key in self.queue:
            if last > limit:
                return
            p = persons[key]
            if wi not in p.weeks_met and not p.asleep(day):
                yield p

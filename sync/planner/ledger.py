"""The budget and the balance: minutes and counters per week, and the limits a one-on-one or
an activity must stay within.

Each ISO week (Monday to Sunday, owner's zone) has a budget of minutes that covers everything
planned: meetings, travel, buffers, prep and follow-up blocks, introduction requests and
decision notes. One-on-ones are capped per week; one-on-ones and group events together
("activities") per rolling four weeks (``planner.activities_per_month``, 0: no cap). Over every
four consecutive weeks, strong-tie one-on-ones and one-on-ones per category stay within their
shares of the month's one-on-one capacity; virtual (not in-person) activities only while the
in-person share stays at or above ``budget.min_in_person_share``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sync.config import Config
from sync.model import Kind, PlannedEvent
from sync.planner.people import Person
from sync.planner.reasons import CAP, month_cap


class Ledger:
    """Budget minutes and counters per week (index), with rolling four-week checks."""

    def __init__(self, budget_minutes: int) -> None:
        self.budget = budget_minutes
        self.used: dict[int, int] = defaultdict(int)
        self.declined: dict[int, int] = defaultdict(int)  # room of activities the user deleted
        self.counts: dict[tuple[str, int], int] = defaultdict(int)

    def remaining(self, wi: int) -> int:
        return self.budget - self.used[wi]

    def month(self, name: str, wi: int, add: int = 1) -> int:
        """The largest four-week sum of counter ``name`` around week ``wi`` after adding."""
        c = self.counts
        return max(sum(c[name, k] for k in range(s, s + 4)) for s in range(wi - 3, wi + 1)) + add

    def fullest_month(self, name: str, wi: int) -> tuple[int, int]:
        """The four weeks around week ``wi`` with the most of counter ``name``: (the count, the
        index of their first week); the earliest of equals."""
        c = self.counts
        sums = [(sum(c[name, k] for k in range(s, s + 4)), -s) for s in range(wi - 3, wi + 1)]
        n, first = max(sums)
        return n, -first

    def in_person_ok(self, wi: int, share: float) -> bool:
        """Would one more virtual activity keep every month at the in-person share?"""
        c = self.counts
        for s in range(wi - 3, wi + 1):
            inp = sum(c["inp", k] for k in range(s, s + 4))
            virt = sum(c["virt", k] for k in range(s, s + 4))
            if inp < share * (inp + virt + 1) - 1e-9:
                return False
        return True

    def reserve(self, wi: int, counters: Iterable[str], n: int) -> None:
        for name in counters:
            self.counts[name, wi] += n

    def commit(self, wi: int, minutes: int, counters: Iterable[str]) -> None:
        self.used[wi] += minutes
        for name in counters:
            self.counts[name, wi] += 1


def share_limit(share: float, capacity: int) -> int | None:
    if share >= 1:
        return None
    n = math.floor(share * capacity + 1e-9)
    return 1 if n == 0 and share > 0 else n


class Balance:
    """The caps and shares, read from the config and checked against the ledger."""

    def __init__(self, cfg: Config, ledger: Ledger, monday0: date) -> None:
        self.ledger = ledger
        self.monday0 = monday0  # the Monday of week index 0 (to name a month's weeks)
        self.cap = cfg.budget.max_one_on_ones_per_week
        apm = cfg.planner.activities_per_month
        self.month_cap = apm or None
        capacity = 4 * self.cap if not apm else min(4 * self.cap, apm)
        self.strong_limit = share_limit(cfg.planner.strong_share_max, capacity)
        self.cat_limits = {
            c: lim
            for c, s in cfg.planner.category_share_max
            if (lim := share_limit(s, capacity)) is not None
        }
        self.in_person_share = cfg.budget.min_in_person_share

    def counters_for(self, e: PlannedEvent, p: Person | None) -> tuple[str, ...]:
        """The ledger counters an event adds to."""
        if e.kind == Kind.ONE_ON_ONE:
            cs = ["act", "ooo", "inp" if e.in_person else "virt"]
            if p is not None:
                if p.strong:
                    cs.append("strong")
                cs.extend(f"cat:{c}" for c in p.categories if c in self.cat_limits)
            return tuple(cs)
        if e.kind == Kind.GROUP:
            return ("act", "inp" if e.in_person else "virt")
        return ()

    def month_full(self, wi: int) -> bool:
        """One more activity would pass the monthly activity cap."""
        return self.month_cap is not None and self.ledger.month("act", wi) > self.month_cap

    def month_full_why(self, wi: int) -> str:
        """Why no activity goes in week ``wi`` for the monthly cap: the four weeks that hold
        as many as the cap allows, with the count ("" if one more fits)."""
        if not self.month_full(wi):
            return ""
        assert self.month_cap is not None
        n, first = self.ledger.fullest_month("act", wi)
        monday = self.monday0 + timedelta(days=7 * first)
        return month_cap(n, self.month_cap, monday, monday + timedelta(days=27))

    def one_on_one_check(self, p: Person, wi: int) -> str | None:
        """Why one more one-on-one with ``p`` in week ``wi`` breaks a limit, or None."""
        if self.ledger.counts["ooo", wi] >= self.cap:
            return CAP
        if self.month_full(wi):
            return self.month_full_why(wi)
        return self.share_refusal(p.strong, p.categories, wi)

    def share_refusal(self, strong: bool, categories: Iterable[str], wi: int) -> str | None:
        """Why one more one-on-one with a person this strong, of these categories, in week
        ``wi`` passes the month's strong-tie or category share, or None."""
        if (
            strong
            and self.strong_limit is not None
            and (self.ledger.month("strong", wi) > self.strong_limit)
        ):
            return "strong-tie share of the month reached"
        for c in categories:
            lim = self.cat_limits.get(c)
            if lim is not None and self.ledger.month(f"cat:{c}", wi) > lim:
                return f"{c} share of the month reached"
        return None

    def virtual_ok(self, wi: int) -> bool:
        return self.ledger.in_person_ok(wi, self.in_person_share)

"""The rest of the keep-in-touch list, read without trying each person where the outcome is
sure. Once nothing more fits the week, the rest are named, then counted, with that reason
(:func:`blocked`). Once the month is full, everyone whose turn comes would be refused with the
same reason (the monthly activity cap, which nothing placed later in the week can lift): the
first ones are named, the others counted, and the few whose turn needs a look of their own
(focus people, those met since they were queued, waiting for an introduction, met in the
previous plan) are looked at one by one, with what their turn does to the pool. Once as many
are named as the report lists, runs of people surely refused for a share or the budget are
counted (:class:`Refusals`)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date
from typing import cast

from sync.planner.context import Context
from sync.planner.demand import Entry
from sync.planner.outcome import Unplaced, WeekReport
from sync.planner.people import Person


def take_turn(
    ctx: Context, p: Person, wi: int, last_day: date, planned_later: Callable[[Person], bool]
) -> bool:
    """What the keep-in-touch pass does with ``p`` before trying to place them: True if they
    would be tried; else False, after what their turn does (leave the list, queue again)."""
    pool = ctx.pool
    if p.in_focus:
        pool.done(p)
        return False
    due = p.due(ctx.horizon.start, ctx.cfg.planner.introduction_lead_days)
    if due is None or wi in p.weeks_met:
        return False
    if due > last_day:  # met since it was queued: queue again at the new due date
        pool.done(p)
        pool.push(p)
        return False
    return not planned_later(p)


def blocked(
    ctx: Context, order: list[Entry], n: int, why: str, room: int, report: WeekReport
) -> None:
    """``order[n:]``: the rest of the ready list from where nothing more fits the week, for
    ``why``; ``room``: how many more people the report names (the others are counted)."""
    ready = ctx.pool.ready
    named = min(max(0, room), len(order) - n)
    for i in range(n, n + named):
        report.unplaced.append(Unplaced(ready[order[i][2]].name, why))
    report.unplaced_more += len(order) - n - named


def month_full(
    ctx: Context,
    order: list[Entry],
    n: int,
    wi: int,
    last_day: date,
    planned_later: Callable[[Person], bool],
    room: int,
    report: WeekReport,
) -> None:
    """``order[n:]``: the rest of the ready list from where the month was found full (read in
    place: a turn that takes someone off the list takes their entry out of ``order``);
    ``room``: how many more people the report names (the others are counted)."""
    pool = ctx.pool
    ready = pool.ready
    why = ctx.balance.month_full_why(wi)
    odd = pool.odd() | {k for k in ctx.roster.focus if k in ready}
    i = n
    while i < len(order) and room > 0:
        key = order[i][2]
        p = ready[key]
        if key not in odd or take_turn(ctx, p, wi, last_day, planned_later):
            report.unplaced.append(Unplaced(p.name, why))
            room -= 1
        if key in ready:  # else their entry is gone and order[i] is the next one
            i += 1
    if i == len(order):
        return
    first = order[i]
    rest = len(order) - i
    later = sorted(pool.ready_entry[k] for k in odd if k in ready and pool.ready_entry[k] >= first)
    tried = sum(1 for e in later if take_turn(ctx, ready[e[2]], wi, last_day, planned_later))
    report.unplaced_more += rest - len(later) + tried


Class = tuple[bool, tuple[str, ...], int | None, int | None]


class Refusals:
    """Runs of the ready list that are surely refused, found without trying each person: once
    the report has named as many as it lists, a refusal only counts, and for the people whose
    turn needs no look of its own what decides it is their class (strong tie or not, the
    categories with a share of the month, the cheapest one-on-one with them in person and
    virtually) and the week's state (shares, budget left), which changes only when something
    is placed. Used only when the user fixed and deleted nothing: then every one-on-one costs
    what its class says and no uid of theirs is taken."""

    def __init__(self, ctx: Context, cheapest: Callable[[Person], tuple[int | None, int | None]]):
        self.ctx = ctx
        self.cheapest = cheapest
        self.classes: dict[str, Class] = {}
        self.on = not ctx.board.fixed_uids and not ctx.board.tombstones
        if self.on:
            ctx.pool.classify = self.classify

    def classify(self, p: Person) -> Class:
        cls = self.classes.get(p.key)
        if cls is None:
            limits = self.ctx.balance.cat_limits
            cats = tuple(c for c in p.categories if c in limits)
            cls = self.classes[p.key] = (p.strong, cats, *self.cheapest(p))
        return cls

    def refused(self, cls: Class, wi: int) -> bool:
        """A one-on-one with anyone of ``cls`` in week ``wi`` is refused for a share of the
        month or for the budget (the cap and the month's cap are looked at before)."""
        ctx = self.ctx
        strong, cats, in_person, virtual = cls
        if ctx.balance.share_refusal(strong, cats, wi):
            return True
        left = ctx.ledger.remaining(wi) * 60
        if in_person is not None and in_person <= left:
            return False
        return virtual is None or virtual > left or not ctx.balance.virtual_ok(wi)

    def run_end(self, order: list[Entry], n: int, wi: int, odd: list[Entry]) -> int:
        """Where the run of sure refusals starting at ``order[n]`` ends (``n``: none);
        ``odd``: the entries whose turn needs a look of their own, sorted."""
        pool = self.ctx.pool
        first = order[n]
        if not self.refused(cast(Class, pool.class_of[first[2]]), wi):
            return n
        i = bisect_right(odd, first)
        bound = odd[i] if i < len(odd) else None
        for cls, same in pool.by_class.items():
            j = bisect_right(same, first)
            nearer = j < len(same) and (bound is None or same[j] < bound)
            if nearer and not self.refused(cast(Class, cls), wi):
                bound = same[j]
        return len(order) if bound is None else bisect_left(order, bound)

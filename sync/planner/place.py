"""Finding the time: slots for one-on-ones, group visits, tasks, and the prep and follow-up
blocks that go with them.

A one-on-one sits fully inside a window (breakfast, coffee, lunch, evening...) on one of the
window's days; its travel and buffers may stick out of the window. Footprints never overlap
busy time or each other, and the whole unit must fit in the week's budget. A prep block goes
the same day before the activity (right before if free, else earlier that day), a follow-up
the same day after a one-on-one; without them the activity is not placed. Introduction
requests and decision notes go in office hours on weekdays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sync.config import Place, Window
from sync.model import Kind, PlannedEvent, planned_uid
from sync.planner.clock import week_label
from sync.planner.commit import Unit
from sync.planner.context import Context
from sync.planner.events import window_order
from sync.planner.groups import Instance
from sync.planner.people import Person
from sync.planner.reasons import BUDGET_SPENT, NO_WINDOW, TRAVEL_SHORT
from sync.planner.timeline import up
from sync.planner.travel import Spot

STEP = 15 * 60  # meetings start on the quarter hour
FINE = 5 * 60  # prep/follow-up blocks on five minutes
DAY_FROM = time(6, 0)  # prep and follow-up blocks stay within this part of the day
DAY_TO = time(22, 0)
WORK_FROM = time(9, 0)  # introduction requests and decision notes: office hours, weekdays
WORK_TO = time(18, 0)
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class _Room:
    """Where a parent's blocks may go: its day, between lo and hi, before a or after b."""

    day: date
    lo: int
    hi: int
    a: int  # the parent's footprint
    b: int
    parent: str = ""  # the parent's uid and start
    parent_start: int = 0
    in_person: bool = True


class Blocks:
    """Prep before (and follow-up after a one-on-one) the same day, kept where they were."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def around(self, parent: PlannedEvent, one_on_one: bool) -> list[PlannedEvent] | None:
        """The blocks ``parent`` gets (fixed or deleted ones left out); None if impossible."""
        ctx = self.ctx
        pl = ctx.cfg.planner
        clock = ctx.horizon.clock
        day = clock.day(int(parent.start.timestamp()))
        a, b = ctx.horizon.fp(parent)
        lo = max(clock.ts(day, DAY_FROM), ctx.horizon.now)
        ps = int(parent.start.timestamp())
        room = _Room(day, lo, clock.ts(day, DAY_TO), a, b, parent.uid, ps, parent.in_person)
        specs = []
        if pl.prep_minutes:
            specs.append((Kind.PREP, pl.prep_minutes * 60))
        if one_on_one and pl.follow_up_minutes:
            specs.append((Kind.FOLLOW_UP, pl.follow_up_minutes * 60))
        out: list[PlannedEvent] = []
        for kind, length in specs:
            uid = planned_uid(str(kind), parent.uid)
            if not ctx.board.generated(uid):
                continue
            start = self._kept(uid, kind, length, room)
            if start is None:
                start = self._free(kind, length, room)
            if start is None:
                return None
            out.append(ctx.events.block(kind, uid, parent, start, length))
        return out

    def _kept(self, uid: str, kind: Kind, length: int, room: _Room) -> int | None:
        """The previous plan's start of this block, if still good."""
        prev = self.ctx.past.previous.get(uid)
        if prev is None or self._parent_moved(uid, room):
            return None
        ps = int(prev.start.timestamp())
        ok = (
            self.ctx.horizon.clock.day(ps) == room.day
            and ps >= room.lo
            and ps + length <= room.hi
            and (ps + length <= room.a if kind == Kind.PREP else ps >= room.b)
            and self.ctx.board.timeline.conflict(ps, ps + length) is None
            and self.ctx.presence.conflict(ps, ps + length, room.in_person) is None
        )
        return ps if ok else None

    def _parent_moved(self, uid: str, room: _Room) -> bool:
        """The block's activity is no longer where it was when the block was placed (the
        user moved it): the block moves with it."""
        parent_uid = room.parent
        before = self.ctx.past.starts.get(parent_uid)
        return before is not None and int(before.timestamp()) != room.parent_start

    def _free(self, kind: Kind, length: int, room: _Room) -> int | None:
        """The latest free time before (prep) or earliest after (follow-up), where the owner
        is: in town for an in-person activity, not out of office."""
        timeline = self.ctx.board.timeline
        presence = self.ctx.presence
        lo, hi = room.lo, room.hi
        for _ in range(200):
            if kind == Kind.PREP:
                s = timeline.latest(lo, min(room.a, hi), length, FINE)
            else:
                s = timeline.earliest(max(room.b, lo), hi, length, FINE)
            if s is None:
                return None
            end = presence.conflict(s, s + length, room.in_person)
            if end is None:
                return s
            if kind == Kind.PREP:
                hi = s + length - FINE
            else:
                lo = max(end, s + FINE)
        return None


@dataclass(frozen=True)
class _Ask:
    """A one-on-one being placed: with whom, which week, its uid, and why."""

    person: Person
    wi: int
    uid: str
    why: str


@dataclass(frozen=True)
class Choice:
    """A window a one-on-one may use: the time it needs around it, and where (in person)."""

    window: Window
    pre: int  # seconds before and after: travel and buffer
    spot: Spot | None  # None: not in person


def _cost(w: Window, travel: int, buffer: int, extra: int) -> int:
    """Seconds of budget a one-on-one in ``w`` costs: the meeting, travel and buffer each way
    (seconds), and ``extra`` for its prep and follow-up blocks."""
    return w.duration_minutes * 60 + 2 * (travel + buffer) + extra


class Placer:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.blocks = Blocks(ctx)
        self._places: dict[str, Place | None] = {}
        self.travel_short: set[date] = set()  # days a slot was free but its travel was not

    # ------------------------------------------------------------------ one-on-ones

    def one_on_one(
        self,
        p: Person,
        wi: int,
        days: Sequence[date],
        lo_day: date,
        why: str,
        exact: PlannedEvent | None = None,
    ) -> Unit | str:
        """Find (or, with ``exact``, check) a slot for a one-on-one; a unit or the reason not."""
        ctx = self.ctx
        if wi in p.weeks_met:
            return "already meeting this week"
        reason = ctx.balance.one_on_one_check(p, wi)
        if reason:
            return reason
        uid = planned_uid("one-on-one", p.key, week_label(ctx.horizon.monday(wi)))
        if uid in ctx.board.taken:
            return "you deleted this week's meeting" if uid in ctx.board.tombstones else "taken"
        windows = self._affordable(p, wi, uid)
        if not windows:
            return BUDGET_SPENT
        ask = _Ask(p, wi, uid, why)
        if exact is not None:
            return self._exact_one_on_one(ask, exact, windows)
        memo = ctx.board.memo
        memo_key: tuple[object, ...] = (
            wi,
            lo_day,
            tuple(sorted({(c.window.name, c.pre, c.spot) for c in windows}, key=repr)),
        )
        if memo_key in memo:
            return NO_WINDOW
        active = ctx.board.active_days
        cands = [d for d in days if d >= lo_day]
        cands.sort(key=lambda d: (active.get(d, 0) > 0, d))
        for day in cands:
            wd = day.weekday()
            for c in windows:
                if DAY_NAMES[wd] not in c.window.days:
                    continue
                unit = self._search_window(ask, day, c)
                if unit is not None:
                    return unit
        memo.add(memo_key)
        memo.add((wi, lo_day))  # the windows on offer are the same for everyone
        return NO_WINDOW

    def _their_place(self, p: Person) -> Place | None:
        if p.key not in self._places:
            t = p.target
            c = p.contact
            org = (c.organization if c else "") or (t.organization if t else "")
            refs = (p.name, *(c.emails if c else ()), *((t.email,) if t and t.email else ()))
            self._places[p.key] = self.ctx.atlas.person_place(c, t.place if t else "", org, refs)
        return self._places[p.key]

    def _affordable(self, p: Person, wi: int, uid: str) -> list[Choice]:
        """The windows for ``p`` the week's budget still allows, with the time each needs
        before (and after) the meeting (travel and buffer) and where the meeting goes."""
        cfg = self.ctx.cfg
        board = self.ctx.board
        buffer = self.ctx.horizon.buffer
        remaining = board.ledger.remaining(wi)
        pl = cfg.planner
        extra = sum(  # prep/follow-up blocks this meeting would get (not fixed, not deleted)
            minutes * 60
            for kind, minutes in (
                (Kind.PREP, pl.prep_minutes),
                (Kind.FOLLOW_UP, pl.follow_up_minutes),
            )
            if board.generated(planned_uid(str(kind), uid))
        )
        virtual_ok = self.ctx.balance.virtual_ok(wi)
        theirs = self._their_place(p)
        target = "targets" in p.categories
        windows = []
        for w in window_order(p, cfg.windows, p.met == 0):
            if not w.in_person and not virtual_ok:
                continue
            spot = self.ctx.atlas.one_on_one(w, theirs, target) if w.in_person else None
            if w.in_person and spot is None:
                continue
            travel = spot.minutes * 60 if spot is not None else 0
            if _cost(w, travel, buffer, extra) <= remaining * 60:
                windows.append(Choice(w, travel + buffer, spot))
        return windows

    def cheapest(self, p: Person) -> tuple[int | None, int | None]:
        """The fewest seconds of budget a one-on-one with ``p`` costs in person and, apart,
        virtually (None: no such window), as :meth:`_affordable` counts them when the user
        fixed and deleted nothing (every prep and follow-up block is the planner's)."""
        pl = self.ctx.cfg.planner
        extra = (pl.prep_minutes + pl.follow_up_minutes) * 60
        buffer = self.ctx.horizon.buffer
        theirs = self._their_place(p)
        target = "targets" in p.categories
        in_person: int | None = None
        virtual: int | None = None
        for w in self.ctx.cfg.windows:
            if w.in_person:
                spot = self.ctx.atlas.one_on_one(w, theirs, target)
                if spot is not None:
                    cost = _cost(w, spot.minutes * 60, buffer, extra)
                    in_person = cost if in_person is None else min(in_person, cost)
            else:
                cost = _cost(w, 0, buffer, extra)
                virtual = cost if virtual is None else min(virtual, cost)
        return in_person, virtual

    def _search_window(self, ask: _Ask, day: date, c: Choice) -> Unit | None:
        ctx = self.ctx
        clock = ctx.horizon.clock
        timeline = ctx.board.timeline
        presence = ctx.presence
        w, pre = c.window, c.pre
        dur = w.duration_minutes * 60
        ws, we = clock.ts(day, w.start), clock.ts(day, w.end)
        s = up(max(ws, ctx.horizon.now + pre), STEP)
        while s + dur <= we:
            end = timeline.conflict(s - pre, s + dur + pre)
            if end is None:
                end = presence.conflict(s - pre, s + dur + pre, w.in_person)
            if end is not None:
                if pre > self.ctx.horizon.buffer and timeline.conflict(s, s + dur) is None:
                    self.travel_short.add(day)
                s = up(end + pre, STEP)
                continue
            ev = ctx.events.one_on_one(ask.person, w, s, ask.uid, c.spot)
            kids = self.blocks.around(ev, True)
            if kids is not None and ctx.board.fits(ask.wi, ev, kids):
                return self._unit(ask, ev, kids)
            s += STEP
        return None

    def _exact_one_on_one(
        self, ask: _Ask, prev: PlannedEvent, windows: Sequence[Choice]
    ) -> Unit | str:
        ctx = self.ctx
        clock = ctx.horizon.clock
        s = int(prev.start.timestamp())
        day = clock.day(s)
        if day in ctx.horizon.off:
            return ctx.presence.why_not(day) or NO_WINDOW
        for c in windows:
            w, pre = c.window, c.pre
            if w.name != prev.activity or DAY_NAMES[day.weekday()] not in w.days:
                continue
            ws, we = clock.ts(day, w.start), clock.ts(day, w.end)
            dur = w.duration_minutes * 60
            if s < ws or s + dur > we or s - pre < ctx.horizon.now:
                return NO_WINDOW
            if ctx.board.timeline.conflict(s - pre, s + dur + pre) is not None:
                return NO_WINDOW
            if ctx.presence.conflict(s - pre, s + dur + pre, w.in_person) is not None:
                return ctx.presence.why_not(day) or NO_WINDOW
            ev = ctx.events.one_on_one(ask.person, w, s, ask.uid, c.spot)
            kids = self.blocks.around(ev, True)
            if kids is None:
                return NO_WINDOW
            if not ctx.board.fits(ask.wi, ev, kids):
                return BUDGET_SPENT
            return self._unit(ask, ev, kids)
        return NO_WINDOW

    def _unit(self, ask: _Ask, ev: PlannedEvent, kids: list[PlannedEvent]) -> Unit:
        counters = self.ctx.balance.counters_for(ev, ask.person)
        return Unit(ev, kids, ask.wi, counters, ask.why, person=ask.person)

    # ------------------------------------------------------------------ groups

    def group(self, inst: Instance, wi: int, why: str, exact: int | None) -> Unit | str:
        """Place a visit of ``inst`` (or, with ``exact``, check it at that start)."""
        ctx = self.ctx
        g = inst.group
        if inst.uid in ctx.board.taken:
            return "you deleted this visit" if inst.uid in ctx.board.tombstones else "taken"
        if ctx.balance.month_full(wi):
            return ctx.balance.month_full_why(wi)
        spot = ctx.atlas.venue(inst.location, g.place)
        where, travel = spot.where, spot.minutes
        pre = travel * 60 + ctx.horizon.buffer
        dur = inst.end - inst.start
        tries = self._group_starts(inst, wi, exact)
        if tries is None:
            return NO_WINDOW
        reason = NO_WINDOW
        for s in tries:
            if s - pre < ctx.horizon.now:
                continue
            if ctx.board.timeline.conflict(s - pre, s + dur + pre) is not None:
                if travel and ctx.board.timeline.conflict(s, s + dur) is None:
                    reason = TRAVEL_SHORT
                    self.travel_short.add(ctx.horizon.clock.day(s))
                continue
            if ctx.presence.conflict(s - pre, s + dur + pre, True) is not None:
                reason = ctx.presence.why_not(ctx.horizon.clock.day(s)) or reason
                continue
            if ctx.horizon.clock.day(s) in ctx.horizon.off:
                reason = ctx.presence.why_not(ctx.horizon.clock.day(s)) or reason
                continue
            ev = ctx.events.group(inst, s, where, travel)
            kids = self.blocks.around(ev, False)
            if kids is None:
                continue
            if not ctx.board.fits(wi, ev, kids):
                reason = BUDGET_SPENT
                continue
            return Unit(ev, kids, wi, ctx.balance.counters_for(ev, None), why, instance=inst)
        return reason

    def _group_starts(self, inst: Instance, wi: int, exact: int | None) -> list[int] | None:
        """The starts to try: the instance's, or ``exact``; an active group (hosted) may move
        to another weekday of the same week, nearest first. None: ``exact`` is not allowed."""
        h = self.ctx.horizon
        g = inst.group
        tries = [inst.start] if (exact is None or exact == inst.start) else [exact]
        if (
            exact is not None
            and exact != inst.start
            and (g.mode != "active" or h.wi_of(exact) != wi or h.clock.day(exact).weekday() >= 5)
        ):
            return None
        if g.mode == "active" and exact is None:
            day = h.clock.day(inst.start)
            t = h.clock.dt(inst.start).time()
            others = sorted(
                (day + timedelta(days=k) for k in range(-6, 7) if k),
                key=lambda d: (abs((d - day).days), d),
            )
            for d in others:
                if d.weekday() < 5 and h.wi_of_day(d) == wi and (h.start <= d < h.end):
                    tries.append(h.clock.ts(d, t))
        return tries

    # ------------------------------------------------------------------ tasks

    def task_slot(
        self, days: Sequence[date], after: int, wi: int, budget: bool = True
    ) -> int | None:
        """The first office-hours slot for a task on a weekday of ``days``, after ``after``
        (``budget``: only if the week's budget has room for it)."""
        ctx = self.ctx
        length = ctx.events.task_len
        if budget and ctx.ledger.remaining(wi) * 60 < length:
            return None
        clock = ctx.horizon.clock
        for d in days:
            if d.weekday() >= 5:
                continue
            lo = max(clock.ts(d, WORK_FROM), ctx.horizon.now, after)
            s = ctx.board.timeline.earliest(lo, clock.ts(d, WORK_TO), length, STEP)
            if s is not None and ctx.presence.conflict(s, s + length, False) is None:
                return s
        return None

    def exact_task(
        self, prev: PlannedEvent, wi: int, after: int, budget: bool = True
    ) -> int | None:
        """``prev``'s start if a task can still go there."""
        ctx = self.ctx
        length = ctx.events.task_len
        s = int(prev.start.timestamp())
        if s < max(ctx.horizon.now, after):
            return None
        if budget and ctx.ledger.remaining(wi) * 60 < length:
            return None
        if ctx.board.timeline.conflict(s, s + length) is not None:
            return None
        if ctx.presence.conflict(s, s + length, False) is not None:
            return None
        return s

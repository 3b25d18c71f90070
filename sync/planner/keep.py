"""Keeping the previous plan: week by week, its events still valid stay at the same time with
the same uid; only invalid ones move (their rolling-month room is reserved beforehand, so filling
earlier weeks cannot squeeze them out). Fixed (user-moved) activities get their prep and
follow-up blocks here too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sync.model import Kind, PlannedEvent
from sync.planner.clock import is_activity
from sync.planner.commit import Committer, Unit
from sync.planner.connect import Connector
from sync.planner.context import Context
from sync.planner.outcome import WeekReport
from sync.planner.people import Person
from sync.planner.place import Placer
from sync.planner.promises import Promises
from sync.planner.reasons import KEPT, TRIAL_DONE, UNDER_WAY, intro_why, one_on_one_why
from sync.planner.standing import Standing


class Keeper:
    """Week by week: the previous plan's events kept where still valid; fixed blocks added."""

    def __init__(
        self, ctx: Context, placer: Placer, committer: Committer, connect: Connector
    ) -> None:
        self.ctx = ctx
        self.placer = placer
        self.committer = committer
        self.connect = connect
        self.standing = Standing(ctx)
        self.promises = Promises(ctx, placer)
        self.displaced: set[tuple[str, int]] = set()  # (person, week): kept meeting failed
        self.prev_by_person: dict[str, list[PlannedEvent]] = defaultdict(list)
        h = ctx.horizon
        for e in ctx.past.previous.values():
            if e.kind == Kind.ONE_ON_ONE and h.fp(e)[0] >= h.now:
                q = self.standing.person_of(e)
                if q is not None:
                    self.prev_by_person[q.key].append(e)
        ctx.pool.watch.update(self.prev_by_person)

    def reserve_previous(self) -> dict[int, list[PlannedEvent]]:
        """The previous plan's future events by week, their rolling-month room reserved, so
        that filling earlier weeks cannot take what a still-valid later event needs."""
        h = self.ctx.horizon
        by_week: dict[int, list[PlannedEvent]] = defaultdict(list)
        for e in self.ctx.past.previous.values():
            s = int(e.start.timestamp())
            if h.fp(e)[0] >= h.now and h.in_horizon(s):
                by_week[h.wi_of(s)].append(e)
                self.ctx.ledger.reserve(h.wi_of(s), self.standing.counters_of(e), 1)
        return by_week

    def keep(
        self, wi: int, days: list[date], previous: list[PlannedEvent], report: WeekReport
    ) -> None:
        """Keep this week's previous events that are still valid, where they are."""
        for e in sorted(previous, key=lambda e: (e.start, e.uid)):
            self.ctx.ledger.reserve(wi, self.standing.counters_of(e), -1)
            if e.uid in self.ctx.board.taken:
                continue
            unit = self._kept(e, wi, days)
            if isinstance(unit, Unit):
                unit.note = KEPT
                self.committer.unit(unit, report)
                if unit.instance is not None:
                    self.connect.ahead(unit, report)

    def _kept(self, e: PlannedEvent, wi: int, days: list[date]) -> Unit | str | None:
        ctx = self.ctx
        if e.kind == Kind.ONE_ON_ONE:
            return self._keep_one_on_one(e, wi, days)
        if e.kind == Kind.GROUP and e.uid in ctx.groups.by_uid:
            inst = ctx.groups.by_uid[e.uid]
            if not ctx.groups.wanted(inst.group):
                return None
            why = ctx.groups.why(inst.group)
            return self.placer.group(inst, wi, why, exact=int(e.start.timestamp()))
        if e.uid in self.standing.children and e.kind in (Kind.PREP, Kind.FOLLOW_UP):
            # The follow-up of a meeting under way: keep it if its time is still free.
            a, b = ctx.horizon.fp(e)
            if ctx.board.timeline.conflict(a, b) is None and ctx.horizon.cost(e) <= (
                ctx.ledger.remaining(wi)
            ):
                return Unit(e, [], wi, (), UNDER_WAY)
            return None
        if e.uid in self.promises.by_uid:
            return self.promises.keep(e, wi)
        if e.uid in ctx.roster.intro_by_uid:
            return self._keep_introduction(e, wi)
        return self._keep_decision(e, wi)

    def _keep_one_on_one(self, e: PlannedEvent, wi: int, days: list[date]) -> Unit | str | None:
        ctx = self.ctx
        p = self.standing.person_of(e)
        if p is None or p.retired or p.cadence() is None:
            return None
        due = p.due(ctx.horizon.start, ctx.cfg.planner.introduction_lead_days)
        if due is None or ctx.horizon.clock.day(int(e.start.timestamp())) < due:
            return None
        cad = p.cadence()
        assert cad is not None
        what = "focus person" if p.in_focus else "keep in touch"
        why = one_on_one_why(what, p.last, due, cad)
        unit = self.placer.one_on_one(p, wi, days, due, why, exact=e)
        if not isinstance(unit, Unit):
            self.displaced.add((p.key, wi))  # it moves: fill may place it this week
        return unit

    def _keep_introduction(self, e: PlannedEvent, wi: int) -> Unit | None:
        ctx = self.ctx
        p = ctx.roster.persons[ctx.roster.intro_by_uid[e.uid]]
        if not p.in_focus or p.intro_day is not None or p.introducer is None:
            return None
        s = self.placer.exact_task(e, wi, 0)
        if s is None:
            return None
        unit = Unit(ctx.events.introduction(p, s), [], wi, (), intro_why(p.name))
        p.intro_day = ctx.horizon.clock.day(s)
        return unit

    def _keep_decision(self, e: PlannedEvent, wi: int) -> Unit | None:
        groups = self.ctx.groups
        unit = None
        for g in self.ctx.cfg.groups:
            if e.uid == groups.decide_uid[g.name] and groups.decide_due(g):
                s = self.placer.exact_task(e, wi, groups.last_visit.get(g.name, 0))
                if s is not None:
                    unit = Unit(self.ctx.events.decision(g, s), [], wi, (), TRIAL_DONE)
                    groups.decided.add(g.name)
        return unit

    def planned_later(self, p: Person, wi: int) -> bool:
        """The previous plan meets ``p`` in a later week: that meeting stands (stability)
        until its own week finds it invalid, and then ``p`` is planned afresh there."""
        h = self.ctx.horizon
        taken = self.ctx.board.taken
        return any(
            h.wi_of(int(e.start.timestamp())) > wi and e.uid not in taken
            for e in self.prev_by_person.get(p.key, [])
        )

    def fixed_children(self, wi: int) -> None:
        """Prep/follow-up blocks for fixed (user-moved) activities of this week."""
        ctx = self.ctx
        h = ctx.horizon
        for e in sorted(ctx.inp.fixed, key=lambda e: (e.start, e.uid)):
            s = int(e.start.timestamp())
            if not is_activity(e.kind) or h.wi_of(s) != wi or not h.in_horizon(s):
                continue
            if h.fp(e)[0] < h.now:
                continue
            kids = self.placer.blocks.around(e, e.kind == Kind.ONE_ON_ONE)
            if not kids:
                continue
            total = sum(h.cost(k) for k in kids)
            if total > ctx.ledger.remaining(wi):
                continue
            for k in kids:
                if k.uid in ctx.board.taken:
                    continue
                ctx.board.commit(ctx.events.block_described(k, e))

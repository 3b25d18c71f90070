"""Filling a week after what is kept: group visits, then tasks (decision notes, introduction
requests, promises to keep), then one-on-ones: thanks to introducers and the strong-tie floor
(:mod:`~sync.planner.floor`), focus people, most urgent first, then the keep-in-touch people
who are due, most overdue first. What cannot be placed is reported with the reason."""

from __future__ import annotations

from datetime import date, timedelta

from sync.planner import overflow
from sync.planner.commit import Committer, Unit
from sync.planner.connect import Connector
from sync.planner.context import Context
from sync.planner.floor import Floor
from sync.planner.groups import restricted
from sync.planner.keep import Keeper
from sync.planner.outcome import Unplaced, WeekReport
from sync.planner.people import Person
from sync.planner.place import DAY_TO, Placer
from sync.planner.reasons import (
    BUDGET_SPENT,
    CAP,
    NO_WINDOW,
    NOT_DUE,
    TRIAL_DONE,
    intro_wait,
    intro_why,
    one_on_one_why,
)

MAX_UNPLACED_LISTED = 20  # per week, beyond focus people, groups and introductions


def _not_yet(asked: date | None, lead: int, due: date) -> str:
    """Why someone due after this week waits: the introduction's lead time when that is what
    holds the meeting back (asked on ``asked``), else the cadence."""
    if asked is not None and due == asked + timedelta(days=lead):
        return intro_wait(asked, due)
    return f"{NOT_DUE} (due {due.isoformat()})"


class Filler:
    def __init__(
        self,
        ctx: Context,
        placer: Placer,
        committer: Committer,
        keeper: Keeper,
        connect: Connector,
    ) -> None:
        self.ctx = ctx
        self.placer = placer
        self.committer = committer
        self.keeper = keeper
        self.connect = connect
        self.floor = Floor(ctx, placer, committer, keeper)
        self.refusals = overflow.Refusals(ctx, placer.cheapest)

    def groups(self, wi: int, days: list[date], report: WeekReport) -> None:
        """The week's group events: groups you host or belong to first (a member's regular
        meeting outranks a trial visit), then trial visits to events that fit you."""
        if not days:
            return
        groups = self.ctx.groups
        profession = self.ctx.cfg.owner.profession
        week = groups.on(days)
        week.sort(key=lambda i: (i.group.status == "trial" and i.group.mode != "active", i.start))
        for inst in week:
            d = self.ctx.horizon.clock.day(inst.start)
            if inst.uid in self.ctx.board.out:
                continue
            g = inst.group
            if not groups.wanted(g):
                continue
            what = f"{g.name} ({d:%a %d %b})"
            unfit = (
                restricted(inst.summary, profession, inst.description)
                if g.status == "trial"
                else ""
            )
            if unfit and g.mode != "active":
                report.unplaced.append(Unplaced(what, f"not a trial visit: {unfit}"))
                continue
            res = self.placer.group(inst, wi, groups.why(g), None)
            if isinstance(res, Unit):
                self.committer.unit(res, report)
                self.connect.ahead(res, report)
            elif res != "taken":
                report.unplaced.append(Unplaced(what, res))

    def tasks(self, wi: int, days: list[date], report: WeekReport) -> None:
        if not days:
            return
        self._decisions(wi, days, report)
        self._introductions(wi, days, report)
        self.keeper.promises.place(wi, days, report, self.committer)

    def _decisions(self, wi: int, days: list[date], report: WeekReport) -> None:
        ctx = self.ctx
        groups = ctx.groups
        for g in ctx.cfg.groups:
            if not groups.decide_due(g):
                continue
            after = groups.last_visit.get(g.name, 0)
            s = self.placer.task_slot(days, wi=wi, after=after)
            if s is None:
                if after < ctx.horizon.clock.ts(days[-1], DAY_TO):
                    report.unplaced.append(Unplaced(f"Decide on {g.name}", NO_WINDOW))
                continue
            self.committer.unit(Unit(ctx.events.decision(g, s), [], wi, (), TRIAL_DONE), report)
            groups.decided.add(g.name)

    def _introductions(self, wi: int, days: list[date], report: WeekReport) -> None:
        ctx = self.ctx
        roster = ctx.roster
        for key in list(roster.focus):
            p = roster.persons[key]
            if not p.needs_intro or p.intro_day is not None or p.introducer is None:
                continue
            if roster.intro_uid[key] in ctx.board.taken:
                continue
            helper = roster.persons.get(p.introducer.id)
            if helper is not None and helper.asleep(days[0]):
                continue  # the introducer is snoozed: asked when the snooze ends
            s = self.placer.task_slot(days, wi=wi, after=0)
            if s is None:
                short = ctx.ledger.remaining(wi) * 60 < ctx.events.task_len
                why = BUDGET_SPENT if short else NO_WINDOW
                report.unplaced.append(Unplaced(f"Introduction to {p.name}", why))
                continue
            p.intro_day = ctx.horizon.clock.day(s)
            unit = Unit(ctx.events.introduction(p, s), [], wi, (), intro_why(p.name))
            self.committer.unit(unit, report)

    def one_on_ones(self, wi: int, days: list[date], report: WeekReport) -> None:
        if not days:
            return
        if self.floor.last_chance(wi):  # the block ends: the strong ties come first
            self.floor.strong_ties(wi, days, report)
        self._focus(wi, days, report)
        self._keep_in_touch(wi, days, report)
        self.floor.strong_ties(wi, days, report)  # else with the time that is left
        self.floor.thanks(wi, days, report)

    def _focus(self, wi: int, days: list[date], report: WeekReport) -> None:
        """Focus people first, most urgent first."""
        ctx = self.ctx
        start = ctx.horizon.start
        lead = ctx.cfg.planner.introduction_lead_days
        last_day = days[-1]
        focus = [ctx.roster.persons[k] for k in ctx.roster.focus]
        focus.sort(key=lambda p: (p.deadline(start), p.order))
        for p in focus:
            due = p.due(start, lead)
            if due is None:
                why = "introduction pending" if p.needs_intro else NOT_DUE
                report.unplaced.append(Unplaced(p.name, why))
                continue
            if wi in p.weeks_met:
                continue
            if due > last_day:
                asked = p.intro_day if p.needs_intro else None
                report.unplaced.append(Unplaced(p.name, _not_yet(asked, lead, due)))
                continue
            if self.keeper.planned_later(p, wi) and (p.key, wi) not in self.keeper.displaced:
                continue
            why = one_on_one_why("focus person", p.last, due, p.focus_cadence)
            lo = max(due, days[0], ctx.horizon.first_new)
            res = self.placer.one_on_one(p, wi, days, lo, why)
            if isinstance(res, Unit):
                self.committer.unit(res, report)
            elif res != "taken":
                report.unplaced.append(Unplaced(p.name, res))

    def _keep_in_touch(self, wi: int, days: list[date], report: WeekReport) -> None:
        """Then the keep-in-touch pool, most overdue first, until nothing more fits."""
        ctx = self.ctx
        pool = ctx.pool
        start = ctx.horizon.start
        lead = ctx.cfg.planner.introduction_lead_days
        last_day = days[-1]
        pool.gather(last_day)
        listed = 0

        def later(p: Person) -> bool:  # the previous plan meets p later: that stands
            return self.keeper.planned_later(p, wi) and (p.key, wi) not in self.keeper.displaced

        order = pool.ready_order  # read in place: done() takes the entry just read out of it
        full = ctx.balance.month_full(wi)
        refusals = self.refusals if self.refusals.on else None
        odd = pool.odd() | {k for k in ctx.roster.focus if k in pool.ready}
        odd_entries = sorted(pool.ready_entry[k] for k in odd) if refusals else []
        n = 0
        while n < len(order):
            key = order[n][2]
            p = pool.ready[key]
            if p.in_focus:
                pool.done(p)  # order[n] is now the next one
                continue
            blocked = self._blocked(wi, max(days[0], ctx.horizon.first_new))
            if blocked:  # once nothing fits this week, nobody else is tried
                overflow.blocked(ctx, order, n, blocked, MAX_UNPLACED_LISTED - listed, report)
                break
            if full:  # everyone tried from here on is refused for the month's cap
                room = MAX_UNPLACED_LISTED - listed
                overflow.month_full(ctx, order, n, wi, last_day, later, room, report)
                break
            if refusals and listed >= MAX_UNPLACED_LISTED and key not in odd:
                end = refusals.run_end(order, n, wi, odd_entries)
                if end > n:  # each of these would be refused, and counted
                    report.unplaced_more += end - n
                    n = end
                    continue
            if not overflow.take_turn(ctx, p, wi, last_day, later):
                if key in pool.ready:  # else their turn took them off: order[n] is the next
                    n += 1
                continue
            due = p.due(start, lead)
            assert due is not None  # take_turn found them due this week
            pool_cad = p.pool_cadence
            assert pool_cad is not None
            why = one_on_one_why("keep in touch", p.last, due, pool_cad)
            lo = max(due, days[0], ctx.horizon.first_new)
            res = self.placer.one_on_one(p, wi, days, lo, why)
            if isinstance(res, Unit):
                pool.done(p)  # order[n] is now the next one
                self.committer.unit(res, report)
                full = ctx.balance.month_full(wi)
                continue
            n += 1
            if res != "taken":
                if listed < MAX_UNPLACED_LISTED:
                    report.unplaced.append(Unplaced(p.name, res))
                    listed += 1
                else:
                    report.unplaced_more += 1

    def _blocked(self, wi: int, first_day: date) -> str:
        """Why no more one-on-one can go in week ``wi`` at all ("" if one might)."""
        ctx = self.ctx
        if ctx.ledger.counts["ooo", wi] >= ctx.balance.cap:
            return CAP
        if ctx.ledger.remaining(wi) < ctx.min_cost:
            return BUDGET_SPENT
        if (wi, first_day) in ctx.board.memo:
            return NO_WINDOW
        return ""

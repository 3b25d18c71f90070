"""One planning run: what stands is committed first, then the weeks in order; in each, the
focus list rotates, the previous plan is kept where still valid, and the week is filled."""

from __future__ import annotations

from datetime import date, timedelta

from sync.model import PlannedEvent
from sync.planner.clock import week_label
from sync.planner.commit import Committer
from sync.planner.connect import Connector
from sync.planner.context import Context
from sync.planner.events import defend
from sync.planner.fill import Filler
from sync.planner.holds import commit_holds
from sync.planner.inputs import PlanInput
from sync.planner.keep import Keeper
from sync.planner.outcome import Plan, WeekReport
from sync.planner.place import DAY_NAMES, WORK_TO, Placer
from sync.planner.reasons import NO_WINDOW, TRAVEL_SHORT, week_over
from sync.planner.travelblocks import wants_travel_blocks, with_travel


class Sweep:
    def __init__(self, inp: PlanInput) -> None:
        self.ctx = Context.of(inp)
        placer = self.placer = Placer(self.ctx)
        committer = Committer(self.ctx)
        connect = Connector(self.ctx, placer, committer)
        self.keeper = Keeper(self.ctx, placer, committer, connect)
        self.filler = Filler(self.ctx, placer, committer, self.keeper, connect)
        self.reports: list[WeekReport] = []
        self.first_focus: tuple[str, ...] = ()

    def run(self) -> Plan:
        ctx = self.ctx
        self.keeper.standing.commit()
        commit_holds(ctx)
        self.keeper.standing.declined()
        for p in sorted(ctx.roster.persons.values(), key=lambda p: p.order):
            if p.pool_cadence is not None and not p.retired:
                ctx.pool.push(p)
        by_week = self.keeper.reserve_previous()
        for wi in range(ctx.horizon.n_weeks):
            self.week(wi, by_week.get(wi, []))
        events = sorted(ctx.board.out.values(), key=lambda e: (e.start, e.uid))
        if wants_travel_blocks(ctx.cfg):
            events = with_travel(events, ctx)
        days = ctx.cfg.planner.tentative_days
        events = [defend(e, days, ctx.horizon, ctx.inp.accepted) for e in events]
        return Plan(events=events, weeks=self.reports, focus=self.first_focus)

    def week(self, wi: int, previous: list[PlannedEvent]) -> None:
        ctx = self.ctx
        monday = ctx.horizon.monday(wi)
        days = ctx.horizon.days(wi)
        report = WeekReport(
            week_start=monday,
            label=week_label(monday),
            budget_minutes=ctx.ledger.budget,
            max_one_on_ones=ctx.balance.cap,
        )
        roster = ctx.roster
        for p in roster.rotate():
            ctx.pool.push(p)
        if days and days[0] > monday:  # the days before are past, or before the plan starts
            report.open_from = days[0]
            run_today = ctx.horizon.run_today
            report.past = ctx.horizon.start <= run_today and monday < run_today
        report.focus = list(roster.focus)
        report.focus_names = [roster.persons[k].name for k in roster.focus]
        if wi == 0:
            self.first_focus = tuple(roster.focus)
        self.keeper.keep(wi, days, previous, report)
        self.filler.groups(wi, days, report)
        self.filler.tasks(wi, days, report)
        self.filler.one_on_ones(wi, days, report)
        self.keeper.fixed_children(wi)
        report.placed.sort(key=lambda pl: (pl.start, pl.uid))
        report.used_minutes = ctx.ledger.used[wi] - ctx.ledger.declined[wi]
        report.declined_minutes = ctx.ledger.declined[wi]
        report.one_on_ones = ctx.ledger.counts["ooo", wi]
        report.skipped = self._skipped(wi)
        if days and not self._time_left(days):
            # Nothing could start any more: one reason for the week, not one per person.
            report.closed = week_over(days)
            report.unplaced = [u for u in report.unplaced if u.why != NO_WINDOW]
        self.reports.append(report)

    def _time_left(self, days: list[date]) -> bool:
        """Whether anything could still start on ``days`` (from now): a meeting window, office
        hours for a task, or a group's event."""
        ctx = self.ctx
        h = ctx.horizon
        for d in days:
            for w in ctx.cfg.windows:
                latest = h.clock.ts(d, w.end) - w.duration_minutes * 60
                if DAY_NAMES[d.weekday()] in w.days and latest >= h.now:
                    return True
            if d.weekday() < 5 and h.clock.ts(d, WORK_TO) - ctx.events.task_len >= h.now:
                return True
        return any(i.start >= h.now for i in ctx.groups.on(days))

    def _skipped(self, wi: int) -> list[tuple[date, str]]:
        """The week's days in the horizon with no activity, and why (when something says)."""
        ctx = self.ctx
        h = ctx.horizon
        active = ctx.board.active_days
        out = []
        for k in range(7):
            d = h.monday(wi) + timedelta(days=k)
            if not (h.start <= d < h.end) or d < h.today or active.get(d, 0):
                continue
            why = ctx.presence.why_not(d)
            if not why and d in self.placer.travel_short:
                why = TRAVEL_SHORT
            if why:
                out.append((d, why))
        return out

"""Taking a placed activity or task for good: its agenda is written, its time and budget are
taken, the meeting or visit is counted, and the week's report says why it was placed."""

from __future__ import annotations

from dataclasses import dataclass

from sync.model import Kind, PlannedEvent
from sync.planner.context import Context
from sync.planner.groups import Instance
from sync.planner.outcome import Placement, WeekReport
from sync.planner.people import Person


@dataclass
class Unit:
    """An activity (or task) and its prep/follow-up blocks, placed or committed together."""

    parent: PlannedEvent
    children: list[PlannedEvent]
    wi: int
    counters: tuple[str, ...]
    why: str
    person: Person | None = None
    instance: Instance | None = None
    note: str = ""  # for the report only (descriptions must not depend on it)


class Committer:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def unit(self, u: Unit, report: WeekReport | None) -> None:
        ctx = self.ctx
        p = u.person
        parent = ctx.events.described(u.parent, p, u.instance, u.why)
        ctx.board.commit(parent, u.counters)
        for ch in u.children:
            ctx.board.commit(ctx.events.block_described(ch, parent))
        s = int(parent.start.timestamp())
        if parent.kind == Kind.ONE_ON_ONE and p is not None:
            ctx.roster.meet(p, ctx.horizon.clock.day(s), u.wi)
            if not p.in_focus and p.pool_cadence is not None:
                ctx.pool.push(p)
        if u.instance is not None:
            ctx.groups.visit(u.instance.group.name, ctx.horizon.fp(parent)[1])
        if report is not None and ctx.horizon.in_horizon(s):
            report.placed.append(Placement(parent.uid, parent.title, parent.start, u.why + u.note))

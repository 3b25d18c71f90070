"""Promises made in meetings as follow-up tasks: each a short block in office hours after the
meeting it was made in (and after now), kept where it was while its time stays free, placed
once (a task that has begun is history; one the user deleted is never made again). An
obligation already made, it goes in the first free time whatever the week's budget says
(and is not counted in it)."""

from __future__ import annotations

from datetime import date, time, timedelta

from sync.model import PlannedEvent, Promise
from sync.planner.commit import Committer, Unit
from sync.planner.context import Context
from sync.planner.outcome import Unplaced, WeekReport
from sync.planner.place import Placer
from sync.planner.reasons import NO_WINDOW


def _why(p: Promise) -> str:
    return f"you promised {p.name} on {p.made.isoformat()}"


class Promises:
    def __init__(self, ctx: Context, placer: Placer) -> None:
        self.ctx = ctx
        self.placer = placer
        self.by_uid = {p.uid: p for p in ctx.inp.promises}

    def _after(self, p: Promise) -> int:
        """The earliest start: the day after the meeting the promise was made in."""
        return self.ctx.horizon.clock.ts(p.made + timedelta(days=1), time(0, 0))

    def keep(self, e: PlannedEvent, wi: int) -> Unit | None:
        """The previous plan's task for a promise, where it was, if that time is still free."""
        p = self.by_uid[e.uid]
        s = self.placer.exact_task(e, wi, self._after(p), budget=False)
        if s is None:
            return None
        return Unit(self.ctx.events.promise(p, s), [], wi, (), _why(p))

    def place(self, wi: int, days: list[date], report: WeekReport, committer: Committer) -> None:
        """A task for each promise not yet placed, kept or done, oldest promise first."""
        ctx = self.ctx
        for p in sorted(self.by_uid.values(), key=lambda p: (p.made, p.key)):
            if p.uid in ctx.board.taken or days[-1] <= p.made:
                continue
            s = self.placer.task_slot(days, wi=wi, after=self._after(p), budget=False)
            if s is None:
                report.unplaced.append(Unplaced(f"Keep your promise to {p.name}", NO_WINDOW))
                continue
            committer.unit(Unit(ctx.events.promise(p, s), [], wi, (), _why(p)), report)

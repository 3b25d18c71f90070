""" "Connect ahead": a few days (``planner.connect_ahead_days``) before a group event you go
to, a task to write to the people you know who will be there, named. Who attends comes from
what the feed or your notes say: the feed event's attendees who are your contacts, your
targets who go to the group (``targets.groups``), and contacts whose notes name the group.
No one named, no task.
"""

from __future__ import annotations

from datetime import timedelta

from sync.model import Kind, PlannedEvent, planned_uid
from sync.planner.commit import Committer, Unit
from sync.planner.context import Context
from sync.planner.groups import Instance
from sync.planner.outcome import WeekReport
from sync.planner.place import Placer


def attendees(ctx: Context, inst: Instance) -> list[tuple[str, str]]:
    """(contact id or "", name) of the people you know who attend ``inst``, sorted by name."""
    g = inst.group
    found: dict[str, tuple[str, str]] = {}
    emails = set(inst.attendees)
    owner = {e.casefold() for e in ctx.cfg.owner.emails}
    name_cf = g.name.casefold()
    for c in ctx.roster.contact_list:
        mine = {e.casefold() for e in c.emails}
        if (mine & emails and not mine & owner) or (c.note and name_cf in c.note.casefold()):
            found[c.name.casefold()] = (c.id, c.name)
    for t in ctx.cfg.targets:
        if g.name in t.groups and t.name.casefold() not in found:
            known = ctx.roster.find(t.email or t.name)
            found[t.name.casefold()] = (known.id if known else "", t.name)
    return [found[k] for k in sorted(found)]


class Connector:
    def __init__(self, ctx: Context, placer: Placer, committer: Committer) -> None:
        self.ctx = ctx
        self.placer = placer
        self.committer = committer

    def ahead(self, visit: Unit, report: WeekReport) -> None:
        """Plan the "connect ahead" task of a group visit just placed, if anyone is named."""
        ctx = self.ctx
        inst = visit.instance
        n = ctx.cfg.planner.connect_ahead_days
        if inst is None or n == 0:
            return
        uid = planned_uid("prep", "connect", inst.uid)
        if uid in ctx.board.taken:
            return
        people = attendees(ctx, inst)
        if not people:
            return
        h = ctx.horizon
        prev = ctx.past.previous.get(uid)
        if prev is not None:  # where the previous plan had it, if still good
            pd = h.clock.day(int(prev.start.timestamp()))
            s = self.placer.exact_task(prev, h.wi_of_day(pd), 0)
            if s is not None and pd < h.clock.day(inst.start) and pd not in h.off:
                ev = self._task(uid, visit.parent, inst, s, people)
                self.committer.unit(Unit(ev, [], h.wi_of_day(pd), (), "connect ahead"), report)
                return
        day = h.clock.day(inst.start)
        for k in range(n, 0, -1):
            d = day - timedelta(days=k)
            if not (h.start <= d < h.end) or d < h.today or d in h.off:
                continue
            wi = h.wi_of_day(d)
            s = self.placer.task_slot([d], after=0, wi=wi)
            if s is None:
                continue
            ev = self._task(uid, visit.parent, inst, s, people)
            self.committer.unit(Unit(ev, [], wi, (), "connect ahead"), report)
            return

    def _task(
        self, uid: str, visit: PlannedEvent, inst: Instance, s: int, people: list[tuple[str, str]]
    ) -> PlannedEvent:
        ctx = self.ctx
        names = ", ".join(n for _, n in people)
        when = f"{visit.start:%a %d %b %H:%M}"
        text = (
            f"Before {inst.group.name} on {when}: write to {names} that you will be there, "
            "and suggest a few minutes together at the event."
        )
        return PlannedEvent(
            uid=uid,
            kind=Kind.PREP,
            title=f"Connect ahead: {inst.group.name}",
            start=ctx.horizon.clock.dt(s),
            end=ctx.horizon.clock.dt(s + ctx.events.task_len),
            contacts=tuple(i for i, _ in people if i),
            goal=visit.goal,
            description=text,
            activity=inst.group.name,
            in_person=False,
        )

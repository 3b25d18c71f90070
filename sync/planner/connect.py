""" "Connect ahead": a few days (``planner.connect_ahead_days``) before a group event you go
to, a task to write to the people you know who will be there, named. Who attends comes from
what the feed or your notes say: the feed event's attendees who are your contacts, your
targets who go to the group (``targets.groups``), and contacts whose notes name the group.
No one named, no task.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sync.model import Kind, PlannedEvent, planned_uid
from sync.planner.commit import Committer, Unit
from sync.planner.context import Context
from sync.planner.groups import Instance
from sync.planner.outcome import WeekReport
from sync.planner.place import Placer


class Attendance:
    """Who you know at a group's event: the contacts by email and by the groups their notes
    name, indexed once (when the first visit asks) rather than read for every visit."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.by_email: dict[str, list[int]] | None = None  # email -> places in contact_list
        self.noting: dict[str, list[int]] = {}  # group name -> places in contact_list

    def _emails(self) -> dict[str, list[int]]:
        if self.by_email is None:
            self.by_email = defaultdict(list)
            for n, c in enumerate(self.ctx.roster.contact_list):
                for e in {e.casefold() for e in c.emails}:
                    self.by_email[e].append(n)
        return self.by_email

    def _notes(self, name: str) -> list[int]:
        if name not in self.noting:
            name_cf = name.casefold()
            self.noting[name] = [
                n
                for n, c in enumerate(self.ctx.roster.contact_list)
                if c.note and name_cf in c.note.casefold()
            ]
        return self.noting[name]

    def of(self, inst: Instance) -> list[tuple[str, str]]:
        """(contact id or "", name) of the people you know who attend ``inst``, by name."""
        ctx = self.ctx
        g = inst.group
        contacts = ctx.roster.contact_list
        owner = {e.casefold() for e in ctx.cfg.owner.emails}
        hits = set(self._notes(g.name))
        by_email = self._emails()
        for a in set(inst.attendees):
            for n in by_email.get(a, ()):
                if not {e.casefold() for e in contacts[n].emails} & owner:
                    hits.add(n)
        found: dict[str, tuple[str, str]] = {}
        for n in sorted(hits):  # the address book's order: a later namesake wins
            c = contacts[n]
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
        self.attendance = Attendance(ctx)

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
        people = self.attendance.of(inst)
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

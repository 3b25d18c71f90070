"""What stands before anything is placed: fixed events, history, previous events already
begun, and the room of what the user deleted.

Fixed events (the user moved them) are kept exactly and use time and budget. Events already
under way (before ``now``) stand as they are. History (what netweave wrote that has begun)
stands like a fixed event: in the horizon it is planned as is, before it it only counts. An
introduction request in it has been made (the target's first meeting follows
``introduction_lead_days`` after it), group events in it are trial visits made, a decision note
in it is taken, and its uids are never reused. A one-on-one in it counts as a meeting unless it
is on or before the contact's ``last_met`` (then ``times_met`` already counts it). So "first
meeting or repeat", "trial visit n of m" and focus rotation follow stable inputs.

Tombstoned uids are never produced; a deleted activity's prep/follow-up blocks go with it, and
its week's room stays taken (the user made that week lighter: it is not refilled).
"""

from __future__ import annotations

from dataclasses import replace

from sync.model import Kind, PlannedEvent, planned_uid
from sync.planner.clock import epoch, is_activity, week_label
from sync.planner.context import Context
from sync.planner.people import Person


class Standing:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.children: set[str] = set()  # prep/follow-up uids of activities already begun

    def person_of(self, e: PlannedEvent) -> Person | None:
        """Whom a one-on-one is with (a target not yet a contact: by its uid)."""
        persons = self.ctx.roster.persons
        if e.contacts:
            return persons.get(e.contacts[0])
        label = self.ctx.horizon.label_of(int(e.start.timestamp()))
        for key in self.ctx.roster.target_keys:
            if planned_uid("one-on-one", key, label) == e.uid:
                return persons[key]
        return None

    def counters_of(self, e: PlannedEvent) -> tuple[str, ...]:
        p = self.person_of(e) if e.kind == Kind.ONE_ON_ONE else None
        return self.ctx.balance.counters_for(e, p)

    def commit(self) -> None:
        """Fixed events, history, and previous events already begun: they stand as they are."""
        ctx = self.ctx
        h = ctx.horizon
        stand: list[PlannedEvent] = [replace(e, pinned=True) for e in ctx.inp.fixed]
        stand += list(ctx.past.history.values())
        stand += [e for e in ctx.past.previous.values() if h.fp(e)[0] < h.now]
        for e in sorted(stand, key=lambda e: (e.start, e.uid)):
            self._stand(e)
        tombstones = ctx.board.tombstones
        for key, uid in ctx.roster.intro_uid.items():
            if uid in tombstones:
                ctx.roster.persons[key].intro_blocked = True
        for name, uid in ctx.groups.decide_uid.items():
            if uid in tombstones:
                ctx.groups.decided.add(name)

    def _stand(self, e: PlannedEvent) -> None:
        ctx = self.ctx
        h = ctx.horizon
        begun = h.fp(e)[0] < h.now
        if e.kind == Kind.TRAVEL:  # a travel block the user moved: theirs, not counted again
            if h.in_horizon(int(e.start.timestamp())):
                ctx.board.out[e.uid] = e
            ctx.board.taken.add(e.uid)
            return
        if is_activity(e.kind) and begun:
            self.children |= {planned_uid(str(k), e.uid) for k in Kind}
        if e.uid in ctx.board.taken:
            return
        s = int(e.start.timestamp())
        p = self.person_of(e) if e.kind == Kind.ONE_ON_ONE else None
        ctx.board.commit(e, ctx.balance.counters_for(e, p))
        day = h.clock.day(s)
        if p is not None:
            ctx.roster.meet(p, day, h.wi_of(s), counted=begun and p.credited(day))
        if e.kind == Kind.GROUP:
            for g in ctx.cfg.groups:
                if e.activity == g.name:
                    ctx.groups.visit(g.name, h.fp(e)[1])
        if e.uid in ctx.roster.intro_by_uid:
            ctx.roster.persons[ctx.roster.intro_by_uid[e.uid]].intro_day = day
        for name, uid in ctx.groups.decide_uid.items():
            if e.uid == uid:
                ctx.groups.decided.add(name)

    def declined(self) -> None:
        """An activity the user deleted keeps its week's room taken: the user made that week
        lighter on purpose, so the freed time is not refilled with someone else."""
        ctx = self.ctx
        dead = ctx.board.tombstones
        if not dead:
            return
        h = ctx.horizon
        labels = {week_label(h.monday(wi)): wi for wi in range(h.n_weeks)}
        roster = ctx.roster
        keys = [
            p.key
            for p in roster.persons.values()
            if p.pool_cadence is not None or p.key in roster.candidates
        ]
        pl = ctx.cfg.planner
        one_cost = max(0, ctx.min_cost - pl.prep_minutes - pl.follow_up_minutes)
        done: set[str] = set()
        for label, wi in sorted(labels.items()):
            for key in keys:
                uid = planned_uid("one-on-one", key, label)
                if uid in dead:
                    done.add(uid)
                    self._decline(wi, one_cost + self._freed_blocks(uid, True), ("act", "ooo"))
        # Anyone else's deleted one-on-one (a focus person, say) as the previous plan had it.
        for e in sorted(ctx.inp.previous, key=lambda e: (e.start, e.uid)):
            if (
                e.uid in dead
                and e.uid not in done
                and e.kind == Kind.ONE_ON_ONE
                and h.in_horizon(epoch(e.start, ctx.cfg.tz))
            ):
                done.add(e.uid)
                minutes = one_cost + self._freed_blocks(e.uid, True)
                self._decline(h.wi_of(epoch(e.start, ctx.cfg.tz)), minutes, ("act", "ooo"))
        for inst in ctx.groups.instances:
            if inst.uid in dead and h.in_horizon(inst.start):
                travel = ctx.atlas.venue(inst.location, inst.group.place).minutes
                minutes = (inst.end - inst.start) // 60 + 2 * travel + 2 * (h.buffer // 60)
                minutes += self._freed_blocks(inst.uid, False)
                self._decline(h.wi_of(inst.start), minutes, ("act",))

    def _decline(self, wi: int, minutes: int, counters: tuple[str, ...]) -> None:
        self.ctx.ledger.commit(wi, minutes, counters)
        self.ctx.ledger.declined[wi] += minutes

    def _freed_blocks(self, uid: str, one_on_one: bool) -> int:
        """Minutes of a deleted activity's blocks: they went with it, unless the user kept
        one (moved or edited: it is fixed and counted as such)."""
        pl = self.ctx.cfg.planner
        specs = [(Kind.PREP, pl.prep_minutes)]
        if one_on_one:
            specs.append((Kind.FOLLOW_UP, pl.follow_up_minutes))
        fixed = self.ctx.board.fixed_uids
        return sum(m for k, m in specs if planned_uid(str(k), uid) not in fixed)

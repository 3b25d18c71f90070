"""What planned events look like: titles, places, goals and descriptions (agendas) of
one-on-ones, group visits, prep and follow-up blocks and tasks (introduction requests, decision
notes), and whether they show as busy: events more than ``planner.tentative_days`` days ahead
are transparent (free) unless the other person accepted (``PlanInput.accepted``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from sync import agenda
from sync.config import Config, Goal, Group, Window
from sync.model import Kind, PlannedEvent, Promise
from sync.planner.clock import PROMISE, Clock, Horizon
from sync.planner.groups import Groups, Instance
from sync.planner.people import Person, Roster
from sync.planner.travel import Spot
from sync.who.fields import goal_title, infer_field

TASK_MINUTES = 15  # an introduction request or a decision note (or prep_minutes if larger)

_ACTIVITY_TITLES: Mapping[str, str] = {
    "breakfast": "Breakfast",
    "coffee": "Coffee",
    "lunch": "Lunch",
    "evening": "Dinner",
}


def goal_for(categories: Sequence[str], goals: Sequence[Goal]) -> str:
    for g in goals:
        if g.categories and set(g.categories) & set(categories):
            return g.text
    for g in goals:
        if not g.categories:
            return g.text
    return goals[0].text if goals else ""


def window_order(p: Person, windows: Sequence[Window], first: bool) -> list[Window]:
    """The windows to try for ``p``, in-person first, in the order that suits the meeting."""
    if p.strong:
        pref: tuple[str, ...] = ("evening", "lunch", "breakfast", "coffee")
    elif first:
        pref = ("coffee", "breakfast", "lunch", "evening")
    elif set(p.categories) & {"mentors", "clients", "client-professionals", "targets"}:
        pref = ("lunch", "breakfast", "coffee", "evening")
    else:
        pref = ("breakfast", "coffee", "lunch", "evening")
    rank = {n: i for i, n in enumerate(pref)}
    idx = {id(w): i for i, w in enumerate(windows)}
    return sorted(windows, key=lambda w: (not w.in_person, rank.get(w.name, 9), idx[id(w)]))


def venue(cfg: Config, name: str) -> tuple[str, int]:
    """Where a place is (its address, else its name) and its one-way travel minutes."""
    p = cfg.place(name) if name else None
    if p is None:
        return name, 0
    return (p.address or p.name), p.travel_minutes


def defend(
    e: PlannedEvent, tentative_days: int, horizon: Horizon, accepted: frozenset[str]
) -> PlannedEvent:
    """Time defence: transparent while far ahead, busy from tentative_days before. A hold
    stays free: it is an offer, not a meeting."""
    if e.kind == Kind.HOLD:
        return e
    n = tentative_days
    far = n > 0 and (e.start.astimezone(horizon.clock.tz).date() - horizon.run_today).days > n
    far = far and e.uid not in accepted
    transparent = (e.transparent and far) if e.pinned else far
    return e if e.transparent == transparent else replace(e, transparent=transparent)


class Events:
    def __init__(self, cfg: Config, clock: Clock, roster: Roster, groups: Groups) -> None:
        self.cfg = cfg
        self.clock = clock
        self.roster = roster
        self.groups = groups
        self.task_len = max(cfg.planner.prep_minutes, TASK_MINUTES) * 60
        self.field = infer_field(cfg.owner)
        self.peer_title = next((t for t in map(goal_title, cfg.goals) if t), "")

    def one_on_one(
        self, p: Person, w: Window, s: int, uid: str, spot: Spot | None = None
    ) -> PlannedEvent:
        where, travel = venue(self.cfg, w.place)
        if spot is not None:
            where, travel = spot.where, spot.minutes
        if not w.in_person:
            where, travel = (where or "Video call"), 0
        title = _ACTIVITY_TITLES.get(w.name, w.name.replace("-", " ").capitalize())
        return PlannedEvent(
            uid=uid,
            kind=Kind.ONE_ON_ONE,
            title=f"{title} with {p.name}",
            start=self.clock.dt(s),
            end=self.clock.dt(s + w.duration_minutes * 60),
            location=where,
            contacts=(p.contact.id,) if p.contact else (),
            categories=p.categories,
            goal=goal_for(p.categories, self.cfg.goals),
            activity=w.name,
            travel_before=travel,
            travel_after=travel,
            in_person=w.in_person,
        )

    def group(self, inst: Instance, s: int, where: str, travel: int) -> PlannedEvent:
        g = inst.group
        title = (
            g.name if not inst.summary or inst.summary == g.name else f"{g.name}: {inst.summary}"
        )
        if g.mode == "active":
            title = f"Host: {title}"
        elif g.status == "trial":
            title = f"{title} (trial visit {self.groups.visits[g.name] + 1} of {g.trial_visits})"
        goals = self.cfg.goals
        goal = next((x.text for x in goals if x.id == g.goal), "") or goal_for((), goals)
        return PlannedEvent(
            uid=inst.uid,
            kind=Kind.GROUP,
            title=title,
            start=self.clock.dt(s),
            end=self.clock.dt(s + inst.end - inst.start),
            location=where,
            goal=goal,
            activity=g.name,
            travel_before=travel,
            travel_after=travel,
        )

    def block(
        self, kind: Kind, uid: str, parent: PlannedEvent, s: int, length: int
    ) -> PlannedEvent:
        """A prep (before) or follow-up (after) block for ``parent``."""
        label = "Prepare" if kind == Kind.PREP else "Follow up"
        return PlannedEvent(
            uid=uid,
            kind=kind,
            title=f"{label}: {parent.title}",
            start=self.clock.dt(s),
            end=self.clock.dt(s + length),
            contacts=parent.contacts,
            categories=parent.categories,
            goal=parent.goal,
            activity=parent.activity,
            in_person=False,
        )

    def _task(
        self, uid: str, title: str, text: str, s: int, contacts: tuple[str, ...], activity: str
    ) -> PlannedEvent:
        return PlannedEvent(
            uid=uid,
            kind=Kind.PREP,
            title=title,
            start=self.clock.dt(s),
            end=self.clock.dt(s + self.task_len),
            contacts=contacts,
            goal=goal_for((), self.cfg.goals),
            description=text,
            activity=activity,
            in_person=False,
        )

    def introduction(self, p: Person, s: int) -> PlannedEvent:
        """The request to ``p``'s introducer for an introduction to ``p``."""
        assert p.introducer is not None
        org = p.target.organization if p.target else ""
        return self._task(
            self.roster.intro_uid[p.key],
            f"Ask {p.introducer.name} for an introduction to {p.name}",
            agenda.introduction_text(
                p.introducer.name, p.name, org, goal_for(("targets",), self.cfg.goals)
            ),
            s,
            (p.introducer.id,),
            "introduction",
        )

    def promise(self, p: Promise, s: int) -> PlannedEvent:
        """The follow-up task that keeps a promise made in a meeting."""
        text = (
            f"You promised {p.name} on {p.made.isoformat()}: {p.text}.\n"
            "Do it now, then tell them it is done: it opens your next meeting with them."
        )
        task = self._task(
            p.uid, f"Keep your promise to {p.name}: {p.text}", text, s, (p.contact,), PROMISE
        )
        return replace(task, kind=Kind.FOLLOW_UP)

    def decision(self, g: Group, s: int) -> PlannedEvent:
        """The note to decide whether to join ``g`` after the trial visits."""
        return self._task(
            self.groups.decide_uid[g.name],
            f"Decide whether to join {g.name}",
            agenda.decide_text(g, self.groups.visits[g.name]),
            s,
            (),
            g.name,
        )

    def described(
        self, parent: PlannedEvent, p: Person | None, inst: Instance | None, why: str
    ) -> PlannedEvent:
        """A new one-on-one or group visit with its agenda as description."""
        if parent.kind == Kind.ONE_ON_ONE and p is not None:
            return replace(parent, description=self._agenda(parent, p, p.met == 0, why))
        if parent.kind == Kind.GROUP and inst is not None:
            return replace(parent, description=self._group_agenda(parent, inst, why))
        return parent

    def block_described(self, block: PlannedEvent, parent: PlannedEvent) -> PlannedEvent:
        if block.kind == Kind.PREP:
            return replace(block, description=agenda.prep_text(parent))
        return replace(block, description=agenda.follow_up_text(parent, self.roster.contacts))

    def _agenda(self, e: PlannedEvent, p: Person, first: bool, why: str) -> str:
        day = e.start.date()
        return agenda.agenda_for(
            e,
            self.roster.contacts,
            self.cfg.goals,
            first_meeting=first,
            person_name=p.name,
            target=p.target,
            introducer=p.introducer.name if p.introducer and p.needs_intro else "",
            asks=self.roster.asks_of(p),
            why=why,
            thanks=self.roster.thanks_of(p),
            field=self.field,
            last_met=p.last if p.last is not None and p.last < day else None,
            peer_title=self.peer_title,
        )

    def _group_agenda(self, e: PlannedEvent, inst: Instance, why: str) -> str:
        g = inst.group
        attending = [
            f"{t.name}{' (' + t.organization + ')' if t.organization else ''}"
            for t in self.cfg.targets
            if g.name in t.groups
        ]
        return agenda.agenda_for(
            e,
            self.roster.contacts,
            self.cfg.goals,
            group=g,
            visit=self.groups.visits[g.name] + 1 if g.status == "trial" else 0,
            attending_targets=attending,
            why=why,
        )

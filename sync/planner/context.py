"""One planning run's shared pieces, built once from the input: the horizon, what is taken so
far, the limits, the people, the keep-in-touch queue, the groups, the event builder, and the
events that already stand or were planned before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sync.config import Config
from sync.model import Kind, PlannedEvent
from sync.planner.board import Board
from sync.planner.clock import Horizon
from sync.planner.demand import Pool
from sync.planner.events import Events, venue
from sync.planner.groups import Groups
from sync.planner.inputs import PlanInput
from sync.planner.ledger import Balance, Ledger
from sync.planner.people import Roster
from sync.planner.presence import Presence
from sync.planner.travel import Atlas


@dataclass(frozen=True)
class Past:
    """What was there before this run (fixed events win over both; deleted uids are gone)."""

    history: dict[str, PlannedEvent]  # what netweave wrote that has begun, by uid
    previous: dict[str, PlannedEvent]  # the previous plan, minus history, by uid
    starts: dict[str, datetime]  # every previous event's start, by uid (fixed ones too)

    @classmethod
    def of(cls, inp: PlanInput) -> Past:
        """Travel blocks are left out: they follow their activity and are made again; so are
        holds (the input's holds are this run's)."""
        fixed_uids = {e.uid for e in inp.fixed}
        history = {
            e.uid: e
            for e in sorted(inp.history, key=lambda e: (e.start, e.uid))
            if e.uid not in fixed_uids
            and e.uid not in inp.tombstones
            and e.kind not in (Kind.TRAVEL, Kind.HOLD)
        }
        previous = {
            e.uid: e
            for e in sorted(inp.previous, key=lambda e: (e.start, e.uid))
            if e.uid not in fixed_uids
            and e.uid not in inp.tombstones
            and e.uid not in history
            and e.kind not in (Kind.TRAVEL, Kind.HOLD)
        }
        return cls(history, previous, {e.uid: e.start for e in inp.previous})


def _min_cost(cfg: Config, atlas: Atlas) -> int:
    """The fewest budget minutes a one-on-one with its blocks can cost."""
    extra = cfg.planner.prep_minutes + cfg.planner.follow_up_minutes
    nearest = min((atlas.to_place(p) for p in cfg.places), default=0)
    return min(
        (
            w.duration_minutes
            + 2 * (min(venue(cfg, w.place)[1], nearest) if w.in_person else 0)
            + 2 * cfg.budget.buffer_minutes
            + extra
            for w in cfg.windows
        ),
        default=0,
    )


@dataclass(frozen=True)
class Context:
    inp: PlanInput
    cfg: Config
    horizon: Horizon
    board: Board
    balance: Balance
    roster: Roster
    pool: Pool
    groups: Groups
    events: Events
    past: Past
    min_cost: int
    atlas: Atlas
    presence: Presence

    @property
    def ledger(self) -> Ledger:
        return self.board.ledger

    @classmethod
    def of(cls, inp: PlanInput) -> Context:
        cfg = inp.config
        horizon = Horizon.of(inp)
        ledger = Ledger(int(round(cfg.budget.hours_per_week * 60)))
        # The board first: its timeline sorts all busy time, a peak best passed before the
        # people exist.
        board = Board(inp, horizon, ledger)
        roster = Roster(inp)
        groups = Groups(inp, horizon)
        atlas = Atlas(cfg)
        return cls(
            inp=inp,
            cfg=cfg,
            horizon=horizon,
            board=board,
            balance=Balance(cfg, ledger, horizon.monday0),
            roster=roster,
            pool=Pool(
                roster.persons, inp.start, cfg.planner.introduction_lead_days, roster.met_log
            ),
            groups=groups,
            events=Events(cfg, horizon.clock, roster, groups),
            past=Past.of(inp),
            min_cost=_min_cost(cfg, atlas),
            atlas=atlas,
            presence=Presence(inp, horizon.clock),
        )

"""The planner's shortcuts against the straightforward reading they replaced: the strong-tie
floor counting over the strong ties only (and the history's meetings by block), the thanks
and the asks looking only at the people who wait for an introduction. The plan made with the
old readings put back is the same, event for event, on the planner benchmark's data and with
every setting of the floor.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, time
from pathlib import Path

import pytest

from sync.planner import PlanInput, plan
from sync.planner.floor import Floor, _is_strong
from sync.planner.people import Person, Roster

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench_planner as bp  # noqa: E402


def _ref_strong_in_block(self: Floor, block: int) -> int:
    lo, hi = self._block_days(block)
    n = 0
    for p in self.ctx.roster.persons.values():
        if not _is_strong(p):
            continue
        weeks = [w for w in p.weeks_met if self._block(w) == block]
        c = p.contact
        held = c is not None and c.last_met is not None and lo <= c.last_met < hi
        n += len(weeks) or int(held)
    return n


def _ref_asks_of(self: Roster, p: Person) -> list[str]:
    asks = []
    for q in self.persons.values():
        if q.needs_intro and q.introducer is not None and q.introducer.id == p.key:
            org = f" at {q.target.organization}" if q.target and q.target.organization else ""
            asks.append(f"{q.name}{org}")
    return sorted(asks)


def _ref_thanks_of(self: Roster, p: Person) -> list[str]:
    return sorted(
        q.name
        for q in self.persons.values()
        if q.needs_intro and q.introducer is not None and q.introducer.id == p.key and q.planned > 0
    )


def _input(contacts: int, busy: int, weeks: int, floor: int) -> PlanInput:
    from dataclasses import replace

    rng = random.Random(7)
    cfg = bp.make_config()
    cfg = replace(cfg, planner=replace(cfg.planner, strong_floor=floor))
    people = bp.make_contacts(rng, contacts)
    blocked = bp.make_busy(rng, busy, cfg.tz, weeks)
    now = datetime.combine(bp.START, time(6, 0), tzinfo=cfg.tz)
    return PlanInput(cfg, people, blocked, bp.START, weeks, now)


@pytest.mark.parametrize("floor", [1, 3])
def test_plan_same_as_with_the_straightforward_readings(
    monkeypatch: pytest.MonkeyPatch, floor: int
) -> None:
    inp = _input(600, 3000, 16, floor)
    counts: list[tuple[int, int]] = []
    fast = Floor._strong_in_block

    def both(self: Floor, block: int) -> int:
        got = fast(self, block)
        counts.append((got, _ref_strong_in_block(self, block)))
        return got

    monkeypatch.setattr(Floor, "_strong_in_block", both)
    got = plan(inp)
    assert counts and all(a == b for a, b in counts)
    assert any(a > 0 for a, _ in counts)
    with monkeypatch.context() as m:
        m.setattr(Floor, "_strong_in_block", _ref_strong_in_block)
        m.setattr(Roster, "asks_of", _ref_asks_of)
        m.setattr(Roster, "thanks_of", _ref_thanks_of)
        want = plan(inp)
    assert got.events == want.events
    assert got.weeks == want.weeks
    assert len(got.events) > 20


def test_presence_reads_only_recent_events_and_finds_the_same_trips() -> None:
    """Presence reads the calendar from two weeks before the start: random chains of flights
    and trip days reaching from months before the start into the plan give the same away
    time inside the horizon as reading every event."""
    from dataclasses import replace as _replace
    from datetime import timedelta

    from sync.config import parse
    from sync.model import Event
    from sync.planner.away import away_intervals
    from sync.planner.clock import Clock
    from sync.planner.presence import Presence, town_of

    cfg = parse({"owner": {"timezone": "America/New_York"}}, Path("."))
    tz = cfg.tz
    start = datetime(2027, 3, 10, tzinfo=tz).date()
    monday = start - timedelta(days=start.weekday())
    horizon = datetime.combine(monday, time(0), tz)
    for seed in range(60):
        rng = random.Random(seed)
        day = start - timedelta(days=rng.randrange(10, 120))
        events: list[Event] = []
        while day < start + timedelta(days=40):
            at = datetime.combine(day, time(rng.randrange(6, 20)), tz)
            what = rng.choice(["Flight to Boston (B6 1017)", "Client dinner", "Sync"])
            where = rng.choice(["", "Boston, MA", "Midtown office"])
            end = at + timedelta(hours=2)
            events.append(Event(f"e{len(events)}", what, at, end, location=where))
            day += timedelta(days=rng.choice([1, 2, 3, 4, 5, 9]))
        inp = PlanInput(config=cfg, contacts=(), busy=(), start=start, weeks=6,
                        now=horizon, events=tuple(events))  # fmt: skip
        fast = Presence(inp, Clock(tz)).intervals
        every = away_intervals(events, tz, town_of(cfg))

        def inside(xs: list) -> list:  # noqa: E306
            return [_replace(x, start=max(x.start, horizon)) for x in xs if x.end > horizon]

        assert inside(fast) == inside(every), seed
